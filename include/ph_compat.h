/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel-version difference pagehint cares about, in one place.
 * Feature tests first; a version number only where no symbol tells.
 */
#ifndef _PH_COMPAT_H
#define _PH_COMPAT_H

#include <linux/version.h>
#include <linux/ftrace.h>
#include <linux/ptrace.h>

/*
 * Argument @n (0-based) of the function an ftrace_ops callback traces.
 * 6.1 x86 keeps the argument registers in fregs->regs (WITH_ARGS);
 * later kernels provide ftrace_regs_get_argument().
 */
#ifdef ftrace_regs_get_argument
#define ph_ftrace_arg(fregs, n)	ftrace_regs_get_argument(fregs, n)
#else
#define ph_ftrace_arg(fregs, n)	regs_get_kernel_argument(&(fregs)->regs, n)
#endif

/*
 * Order of a free buddy block (mm/internal.h's buddy_order_unsafe(): the
 * order lives in page_private of a PageBuddy head). Racy without the zone
 * lock: callers check PageBuddy first and bound the result.
 */
#define ph_buddy_order_unsafe(page)	READ_ONCE(page_private(page))

#endif /* _PH_COMPAT_H */
