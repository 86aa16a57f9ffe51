/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "pagehint" trace system. Every event pagehint emits is declared here;
 * module/trace.c instantiates them (CREATE_TRACE_POINTS). Events cost a
 * static-key test when nobody listens. Fields are scalars or fixed-size
 * char arrays (no __string: its assign macro changed in 6.10).
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM pagehint

#if !defined(_PAGEHINT_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _PAGEHINT_TRACE_H

#include <linux/tracepoint.h>
#include <linux/migrate_mode.h>
#include "ph_balloon.h"

/* A hook was attached to (on = 1) or detached from (on = 0) its target. */
TRACE_EVENT(hook_state,
	TP_PROTO(const char *name, const char *owner, bool on),
	TP_ARGS(name, owner, on),
	TP_STRUCT__entry(
		__array(char, name, 32)
		__array(char, owner, 16)
		__field(bool, on)
	),
	TP_fast_assign(
		strscpy(__entry->name, name, sizeof(__entry->name));
		strscpy(__entry->owner, owner, sizeof(__entry->owner));
		__entry->on = on;
	),
	TP_printk("hook=%s owner=%s %s", __entry->name, __entry->owner,
		  __entry->on ? "attached" : "detached")
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

#endif /* _PAGEHINT_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE pagehint_trace
#include <trace/define_trace.h>
