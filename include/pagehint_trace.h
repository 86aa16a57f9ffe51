/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "pagehint" trace system. Every event pagehint emits is declared here;
 * module/trace.c instantiates them (CREATE_TRACE_POINTS). Events cost a
 * static-key test when nobody listens. Fields are scalars or fixed-size
 * char arrays (no __string: its assign macro changed in 6.10), of C types
 * only: on a kernel without BTF bpftrace compiles the tracefs format, and
 * u8, bool, u64 or dev_t there fail it ("unknown type name 'u8'", the debug
 * kernel of ../shared/kernels).
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM pagehint

#if !defined(_PAGEHINT_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _PAGEHINT_TRACE_H

#include <linux/tracepoint.h>
#include <linux/migrate_mode.h>
#include "ph_balloon.h"
#include "uapi/pagehint.h"

/* A hook was attached to (on = 1) or detached from (on = 0) its target. */
TRACE_EVENT(hook_state,
	TP_PROTO(const char *name, const char *owner, bool on),
	TP_ARGS(name, owner, on),
	TP_STRUCT__entry(
		__array(char, name, 32)
		__array(char, owner, 16)
		__field(unsigned char, on)
	),
	TP_fast_assign(
		strscpy(__entry->name, name, sizeof(__entry->name));
		strscpy(__entry->owner, owner, sizeof(__entry->owner));
		__entry->on = on;
	),
	TP_printk("hook=%s owner=%s %s", __entry->name, __entry->owner,
		  __entry->on ? "attached" : "detached")
);

/* zspool: one page of a pool moved by page migration (ret 0) or refused. */
TRACE_EVENT(zspool_migrate,
	TP_PROTO(const char *pool, unsigned long src_pfn, unsigned long dst_pfn,
		 unsigned int class_size, unsigned int handles, int ret),
	TP_ARGS(pool, src_pfn, dst_pfn, class_size, handles, ret),
	TP_STRUCT__entry(
		__array(char, pool, 16)
		__field(unsigned long, src_pfn)
		__field(unsigned long, dst_pfn)
		__field(unsigned int, class_size)
		__field(unsigned int, handles)
		__field(int, ret)
	),
	TP_fast_assign(
		strscpy(__entry->pool, pool, sizeof(__entry->pool));
		__entry->src_pfn = src_pfn;
		__entry->dst_pfn = dst_pfn;
		__entry->class_size = class_size;
		__entry->handles = handles;
		__entry->ret = ret;
	),
	TP_printk("pool=%s pfn=0x%lx -> 0x%lx class=%u handles=%u ret=%d",
		  __entry->pool, __entry->src_pfn, __entry->dst_pfn,
		  __entry->class_size, __entry->handles, __entry->ret)
);

/* zspool: compaction of one size class moved objects and freed pages. */
TRACE_EVENT(zspool_compact,
	TP_PROTO(const char *pool, unsigned int class_size,
		 unsigned long moved, unsigned long pages_freed),
	TP_ARGS(pool, class_size, moved, pages_freed),
	TP_STRUCT__entry(
		__array(char, pool, 16)
		__field(unsigned int, class_size)
		__field(unsigned long, moved)
		__field(unsigned long, pages_freed)
	),
	TP_fast_assign(
		strscpy(__entry->pool, pool, sizeof(__entry->pool));
		__entry->class_size = class_size;
		__entry->moved = moved;
		__entry->pages_freed = pages_freed;
	),
	TP_printk("pool=%s class=%u moved=%lu pages_freed=%lu",
		  __entry->pool, __entry->class_size, __entry->moved,
		  __entry->pages_freed)
);

/* Balloon (module/balloon.c): pages moved in or out, by whom. */
TRACE_DEFINE_ENUM(PH_BL_CAUSE_TARGET);
TRACE_DEFINE_ENUM(PH_BL_CAUSE_OOM);
TRACE_DEFINE_ENUM(PH_BL_CAUSE_SHRINKER);
TRACE_DEFINE_ENUM(PH_BL_CAUSE_UNLOAD);

DECLARE_EVENT_CLASS(ph_balloon_resize,
	TP_PROTO(unsigned long nr, unsigned long size, unsigned long target,
		 int cause),
	TP_ARGS(nr, size, target, cause),
	TP_STRUCT__entry(
		__field(unsigned long, nr)
		__field(unsigned long, size)
		__field(unsigned long, target)
		__field(int, cause)
	),
	TP_fast_assign(
		__entry->nr = nr;
		__entry->size = size;
		__entry->target = target;
		__entry->cause = cause;
	),
	TP_printk("pages=%lu size=%lu target=%lu cause=%s", __entry->nr,
		  __entry->size, __entry->target,
		  __print_symbolic(__entry->cause,
				   { PH_BL_CAUSE_TARGET, "target" },
				   { PH_BL_CAUSE_OOM, "oom" },
				   { PH_BL_CAUSE_SHRINKER, "shrinker" },
				   { PH_BL_CAUSE_UNLOAD, "unload" }))
);

/* @nr pages entered the balloon; @size is the balloon size after. */
DEFINE_EVENT(ph_balloon_resize, balloon_inflate,
	TP_PROTO(unsigned long nr, unsigned long size, unsigned long target,
		 int cause),
	TP_ARGS(nr, size, target, cause)
);

/* @nr pages went back to the page allocator. */
DEFINE_EVENT(ph_balloon_resize, balloon_deflate,
	TP_PROTO(unsigned long nr, unsigned long size, unsigned long target,
		 int cause),
	TP_ARGS(nr, size, target, cause)
);

TRACE_DEFINE_ENUM(MIGRATE_ASYNC);
TRACE_DEFINE_ENUM(MIGRATE_SYNC_LIGHT);
TRACE_DEFINE_ENUM(MIGRATE_SYNC);

/* Compaction or alloc_contig_range moved a balloon page. */
TRACE_EVENT(balloon_migrate,
	TP_PROTO(unsigned long old_pfn, unsigned long new_pfn, int mode),
	TP_ARGS(old_pfn, new_pfn, mode),
	TP_STRUCT__entry(
		__field(unsigned long, old_pfn)
		__field(unsigned long, new_pfn)
		__field(int, mode)
	),
	TP_fast_assign(
		__entry->old_pfn = old_pfn;
		__entry->new_pfn = new_pfn;
		__entry->mode = mode;
	),
	TP_printk("old_pfn=%#lx new_pfn=%#lx mode=%s", __entry->old_pfn,
		  __entry->new_pfn,
		  __print_symbolic(__entry->mode,
				   { MIGRATE_ASYNC, "async" },
				   { MIGRATE_SYNC_LIGHT, "sync_light" },
				   { MIGRATE_SYNC, "sync" }))
);

/* Page states (page_state, volatile_refused): enum values for user space. */
TRACE_DEFINE_ENUM(PH_ST_UNUSED);
TRACE_DEFINE_ENUM(PH_ST_STABLE);
TRACE_DEFINE_ENUM(PH_ST_VOLATILE);
TRACE_DEFINE_ENUM(PH_ST_DISCARDED);
TRACE_DEFINE_ENUM(PH_SITE_SCAN);
TRACE_DEFINE_ENUM(PH_SITE_FREE);
TRACE_DEFINE_ENUM(PH_SITE_ALLOC);
TRACE_DEFINE_ENUM(PH_SITE_UNLOCK);
TRACE_DEFINE_ENUM(PH_SITE_WRITEBACK);
TRACE_DEFINE_ENUM(PH_SITE_MAP);
TRACE_DEFINE_ENUM(PH_SITE_DEACTIVATE);
TRACE_DEFINE_ENUM(PH_SITE_READ);
TRACE_DEFINE_ENUM(PH_SITE_LOOKUP);
TRACE_DEFINE_ENUM(PH_SITE_DIRTY);
TRACE_DEFINE_ENUM(PH_SITE_COW);
TRACE_DEFINE_ENUM(PH_SITE_HOST);
TRACE_DEFINE_ENUM(PH_SITE_BALLOON);
TRACE_DEFINE_ENUM(PH_SITE_PUT);
TRACE_DEFINE_ENUM(PH_SITE_MIGRATE);
TRACE_DEFINE_ENUM(PH_R_NONE);
TRACE_DEFINE_ENUM(PH_R_RESERVED);
TRACE_DEFINE_ENUM(PH_R_DIRTY);
TRACE_DEFINE_ENUM(PH_R_WRITEBACK);
TRACE_DEFINE_ENUM(PH_R_LOCKED);
TRACE_DEFINE_ENUM(PH_R_ANON);
TRACE_DEFINE_ENUM(PH_R_NO_MAPPING);
TRACE_DEFINE_ENUM(PH_R_NOT_UPTODATE);
TRACE_DEFINE_ENUM(PH_R_PRIVATE);
TRACE_DEFINE_ENUM(PH_R_DISCARDED);
TRACE_DEFINE_ENUM(PH_R_NOT_LRU);
TRACE_DEFINE_ENUM(PH_R_REFCOUNT);
TRACE_DEFINE_ENUM(PH_R_MAPPED);
TRACE_DEFINE_ENUM(PH_R_BUSY);

#define ph_show_state(s) __print_symbolic(s,				\
	{ PH_ST_UNUSED, "unused" }, { PH_ST_STABLE, "stable" },		\
	{ PH_ST_VOLATILE, "volatile" }, { PH_ST_DISCARDED, "discarded" })

#define ph_show_site(s) __print_symbolic(s,				\
	{ PH_SITE_SCAN, "scan" }, { PH_SITE_FREE, "free" },		\
	{ PH_SITE_ALLOC, "alloc" }, { PH_SITE_UNLOCK, "unlock" },	\
	{ PH_SITE_WRITEBACK, "writeback" }, { PH_SITE_MAP, "map" },	\
	{ PH_SITE_DEACTIVATE, "deactivate" }, { PH_SITE_READ, "read" },	\
	{ PH_SITE_LOOKUP, "lookup" }, { PH_SITE_DIRTY, "dirty" },	\
	{ PH_SITE_COW, "cow" }, { PH_SITE_HOST, "host" },		\
	{ PH_SITE_BALLOON, "balloon" }, { PH_SITE_PUT, "put" },		\
	{ PH_SITE_MIGRATE, "migrate" })

#define ph_show_reason(r) __print_symbolic(r,				\
	{ PH_R_NONE, "none" }, { PH_R_RESERVED, "reserved" },		\
	{ PH_R_DIRTY, "dirty" }, { PH_R_WRITEBACK, "writeback" },	\
	{ PH_R_LOCKED, "locked" }, { PH_R_ANON, "anon" },		\
	{ PH_R_NO_MAPPING, "no_mapping" },				\
	{ PH_R_NOT_UPTODATE, "not_uptodate" },				\
	{ PH_R_PRIVATE, "private" }, { PH_R_DISCARDED, "discarded" },	\
	{ PH_R_NOT_LRU, "not_lru" }, { PH_R_REFCOUNT, "refcount" },	\
	{ PH_R_MAPPED, "mapped" }, { PH_R_BUSY, "busy" })

/* A page changed state (pagehint's table), at a strategic point or lookup. */
TRACE_EVENT(page_state,
	TP_PROTO(unsigned long pfn, int from, int to, int site),
	TP_ARGS(pfn, from, to, site),
	TP_STRUCT__entry(
		__field(unsigned long, pfn)
		__field(unsigned char, from)
		__field(unsigned char, to)
		__field(unsigned char, site)
	),
	TP_fast_assign(
		__entry->pfn = pfn;
		__entry->from = from;
		__entry->to = to;
		__entry->site = site;
	),
	TP_printk("pfn=0x%lx %s -> %s site=%s", __entry->pfn,
		  ph_show_state(__entry->from), ph_show_state(__entry->to),
		  ph_show_site(__entry->site))
);

/* A try to make a page volatile found a reason to keep it stable. */
TRACE_EVENT(volatile_refused,
	TP_PROTO(unsigned long pfn, int reason),
	TP_ARGS(pfn, reason),
	TP_STRUCT__entry(
		__field(unsigned long, pfn)
		__field(unsigned char, reason)
	),
	TP_fast_assign(
		__entry->pfn = pfn;
		__entry->reason = reason;
	),
	TP_printk("pfn=0x%lx reason=%s", __entry->pfn,
		  ph_show_reason(__entry->reason))
);

/* reclaim: a decision of the LRU on a mapped file folio (module/reclaim.c). */
#include "ph_reclaim.h"
TRACE_DEFINE_ENUM(PH_TRIP_FIRST);
TRACE_DEFINE_ENUM(PH_TRIP_SECOND);
TRACE_DEFINE_ENUM(PH_RC_ROTATED);
TRACE_DEFINE_ENUM(PH_RC_ACTIVATED);
TRACE_DEFINE_ENUM(PH_RC_USED_ONCE);
TRACE_DEFINE_ENUM(PH_RC_UNREFERENCED);
TRACE_DEFINE_ENUM(PH_RC_KEPT);
TRACE_DEFINE_ENUM(PH_RC_FREED);

TRACE_EVENT(reclaim_decision,
	TP_PROTO(unsigned long pfn, unsigned long ino, unsigned long index,
		 int trip, int decision),
	TP_ARGS(pfn, ino, index, trip, decision),
	TP_STRUCT__entry(
		__field(unsigned long, pfn)
		__field(unsigned long, ino)
		__field(unsigned long, index)
		__field(int, trip)
		__field(int, decision)
	),
	TP_fast_assign(
		__entry->pfn = pfn;
		__entry->ino = ino;
		__entry->index = index;
		__entry->trip = trip;
		__entry->decision = decision;
	),
	TP_printk("pfn=%lu ino=%lu index=%lu trip=%s decision=%s",
		  __entry->pfn, __entry->ino, __entry->index,
		  __print_symbolic(__entry->trip,
				   { PH_TRIP_FIRST, "first" },
				   { PH_TRIP_SECOND, "second" }),
		  __print_symbolic(__entry->decision,
				   { PH_RC_ROTATED, "rotated" },
				   { PH_RC_ACTIVATED, "activated" },
				   { PH_RC_USED_ONCE, "used_once" },
				   { PH_RC_UNREFERENCED, "unreferenced" },
				   { PH_RC_KEPT, "kept" },
				   { PH_RC_FREED, "freed" }))
);

/*
 * The host discarded a page-cache folio (seed 000): @nr pages of file
 * (@dev, @ino) from page @index left the guest page cache; @mapped: it had
 * to be unmapped first.
 */
TRACE_EVENT(discard,
	TP_PROTO(unsigned long pfn, dev_t dev, unsigned long ino,
		 unsigned long index, long nr, bool mapped),
	TP_ARGS(pfn, dev, ino, index, nr, mapped),
	TP_STRUCT__entry(
		__field(unsigned long, pfn)
		__field(unsigned long, ino)
		__field(unsigned long, index)
		__field(long, nr)
		__field(unsigned int, dev)
		__field(unsigned char, mapped)
	),
	TP_fast_assign(
		__entry->pfn = pfn;
		__entry->ino = ino;
		__entry->index = index;
		__entry->nr = nr;
		__entry->dev = dev;
		__entry->mapped = mapped;
	),
	TP_printk("dev %d:%d ino %lu index %lu nr %ld pfn 0x%lx%s",
		  MAJOR(__entry->dev), MINOR(__entry->dev), __entry->ino,
		  __entry->index, __entry->nr, __entry->pfn,
		  __entry->mapped ? " mapped" : "")
);

/*
 * Discard fault: a page the host discarded was read back into the page
 * cache, @delta_ns after its discard.
 */

TRACE_EVENT(discard_fault,
	TP_PROTO(dev_t dev, unsigned long ino, unsigned long index,
		 u64 delta_ns),
	TP_ARGS(dev, ino, index, delta_ns),
	TP_STRUCT__entry(
		__field(unsigned long, ino)
		__field(unsigned long, index)
		__field(unsigned long long, delta_ns)
		__field(unsigned int, dev)
	),
	TP_fast_assign(
		__entry->ino = ino;
		__entry->index = index;
		__entry->delta_ns = delta_ns;
		__entry->dev = dev;
	),
	TP_printk("dev %d:%d ino %lu index %lu after %llu us",
		  MAJOR(__entry->dev), MINOR(__entry->dev), __entry->ino,
		  __entry->index, __entry->delta_ns / 1000)
);

#endif /* _PAGEHINT_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE pagehint_trace
#include <trace/define_trace.h>
