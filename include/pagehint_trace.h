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
		__field(dev_t, dev)
		__field(bool, mapped)
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
		__field(u64, delta_ns)
		__field(dev_t, dev)
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
