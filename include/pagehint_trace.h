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
#include "ph_reclaim.h"
#include "uapi/pagehint.h"

/*
 * The name lists (uapi/pagehint.h, ph_balloon.h, ph_reclaim.h) for the
 * trace system: TRACE_DEFINE_ENUM() puts the numbers, not the enum
 * names, in the format files user space parses; __print_symbolic() prints
 * the names. PH_TRACE_ENUM's semicolon is inside a macro argument: a macro
 * ending in one reads as a statement to checkpatch.
 */
#define PH_TRACE_ENUM(c, name)	__PH_ITEMS(TRACE_DEFINE_ENUM(c);)
#define PH_SYMBOL(c, name)	{ c, name },
#define PH_SYMBOLe(c, name)	{ c, name }
#define PH_SYMBOLIC(v, list)	__print_symbolic(v, PH_LIST(list(PH_SYMBOL, PH_SYMBOLe)))

/* The kernel's migrate modes, as balloon_migrate prints them. */
#define PH_MIGRATE_MODES(EM, EMe)					\
	(EM(MIGRATE_ASYNC, "async")					\
	 EM(MIGRATE_SYNC_LIGHT, "sync_light")				\
	 EMe(MIGRATE_SYNC, "sync"))

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
PH_LIST(PH_BL_CAUSES(PH_TRACE_ENUM, PH_TRACE_ENUM))

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
		  PH_SYMBOLIC(__entry->cause, PH_BL_CAUSES))
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

PH_LIST(PH_MIGRATE_MODES(PH_TRACE_ENUM, PH_TRACE_ENUM))

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
		  __entry->new_pfn, PH_SYMBOLIC(__entry->mode, PH_MIGRATE_MODES))
);

/* Page states (page_state, volatile_refused). */
PH_LIST(PH_STATES(PH_TRACE_ENUM, PH_TRACE_ENUM))
PH_LIST(PH_SITES(PH_TRACE_ENUM, PH_TRACE_ENUM))
PH_LIST(PH_REASONS(PH_TRACE_ENUM, PH_TRACE_ENUM))

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
		  PH_SYMBOLIC(__entry->from, PH_STATES),
		  PH_SYMBOLIC(__entry->to, PH_STATES),
		  PH_SYMBOLIC(__entry->site, PH_SITES))
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
		  PH_SYMBOLIC(__entry->reason, PH_REASONS))
);

/* reclaim: a decision of the LRU on a mapped file folio (module/reclaim.c). */
PH_LIST(PH_RC_TRIPS(PH_TRACE_ENUM, PH_TRACE_ENUM))
PH_LIST(PH_RC_DECISIONS(PH_TRACE_ENUM, PH_TRACE_ENUM))

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
		  PH_SYMBOLIC(__entry->trip, PH_RC_TRIPS),
		  PH_SYMBOLIC(__entry->decision, PH_RC_DECISIONS))
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

/*
 * Free page reporting: @entries free blocks, @pages 4 KiB pages in all,
 * went to the host in one report (the host may drop their content).
 */
TRACE_EVENT(host_report,
	TP_PROTO(unsigned int entries, unsigned long pages),
	TP_ARGS(entries, pages),
	TP_STRUCT__entry(
		__field(unsigned long, pages)
		__field(unsigned int, entries)
	),
	TP_fast_assign(
		__entry->pages = pages;
		__entry->entries = entries;
	),
	TP_printk("entries=%u pages=%lu", __entry->entries, __entry->pages)
);

#endif /* _PAGEHINT_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE pagehint_trace
#include <trace/define_trace.h>
