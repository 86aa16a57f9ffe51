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

/* reclaim: a decision of the LRU on a mapped file folio (module/reclaim.c). */
#include "ph_reclaim.h"
TRACE_DEFINE_ENUM(PH_TRIP_FIRST);
TRACE_DEFINE_ENUM(PH_TRIP_SECOND);
TRACE_DEFINE_ENUM(PH_TRIP_ACTIVE);
TRACE_DEFINE_ENUM(PH_RC_ROTATED);
TRACE_DEFINE_ENUM(PH_RC_ACTIVATED);
TRACE_DEFINE_ENUM(PH_RC_USED_ONCE);
TRACE_DEFINE_ENUM(PH_RC_UNREFERENCED);
TRACE_DEFINE_ENUM(PH_RC_KEPT);
TRACE_DEFINE_ENUM(PH_RC_FREED);
TRACE_DEFINE_ENUM(PH_RC_DEACTIVATED);

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
				   { PH_TRIP_SECOND, "second" },
				   { PH_TRIP_ACTIVE, "active" }),
		  __print_symbolic(__entry->decision,
				   { PH_RC_ROTATED, "rotated" },
				   { PH_RC_ACTIVATED, "activated" },
				   { PH_RC_USED_ONCE, "used_once" },
				   { PH_RC_UNREFERENCED, "unreferenced" },
				   { PH_RC_KEPT, "kept" },
				   { PH_RC_FREED, "freed" },
				   { PH_RC_DEACTIVATED, "deactivated" }))
);

#endif /* _PAGEHINT_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE pagehint_trace
#include <trace/define_trace.h>
