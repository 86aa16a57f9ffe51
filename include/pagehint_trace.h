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

#endif /* _PAGEHINT_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE pagehint_trace
#include <trace/define_trace.h>
