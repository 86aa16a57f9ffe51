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
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/shrinker.h>

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
 * balloon_page_finalize() replaced balloon_page_delete() (6.1.162 in the
 * 6.1 series). Both are static inlines, so Kbuild greps the header and
 * defines PH_HAVE_BALLOON_PAGE_FINALIZE. pagehint calls it only on an
 * isolated page (balloon migration), where the two do the same.
 */
#ifdef PH_HAVE_BALLOON_PAGE_FINALIZE
#define ph_balloon_page_finalize(page)	balloon_page_finalize(page)
#else
#define ph_balloon_page_finalize(page)	balloon_page_delete(page)
#endif

/*
 * Shrinkers: 6.7 replaced register_shrinker() on a caller-owned struct
 * with shrinker_alloc()/shrinker_register()/shrinker_free(); Kbuild
 * defines PH_HAVE_SHRINKER_ALLOC when the header declares it.
 */
#ifdef PH_HAVE_SHRINKER_ALLOC
static inline struct shrinker *
ph_shrinker_create(const char *name,
		   unsigned long (*count)(struct shrinker *,
					  struct shrink_control *),
		   unsigned long (*scan)(struct shrinker *,
					 struct shrink_control *))
{
	struct shrinker *s = shrinker_alloc(0, "%s", name);

	if (!s)
		return ERR_PTR(-ENOMEM);
	s->count_objects = count;
	s->scan_objects = scan;
	s->seeks = DEFAULT_SEEKS;
	shrinker_register(s);
	return s;
}

static inline void ph_shrinker_destroy(struct shrinker *s)
{
	shrinker_free(s);
}
#else
static inline struct shrinker *
ph_shrinker_create(const char *name,
		   unsigned long (*count)(struct shrinker *,
					  struct shrink_control *),
		   unsigned long (*scan)(struct shrinker *,
					 struct shrink_control *))
{
	struct shrinker *s = kzalloc(sizeof(*s), GFP_KERNEL);
	int ret;

	if (!s)
		return ERR_PTR(-ENOMEM);
	s->count_objects = count;
	s->scan_objects = scan;
	s->seeks = DEFAULT_SEEKS;
	ret = register_shrinker(s, "%s", name);
	if (ret) {
		kfree(s);
		return ERR_PTR(ret);
	}
	return s;
}

static inline void ph_shrinker_destroy(struct shrinker *s)
{
	unregister_shrinker(s);
	kfree(s);
}
#endif

/*
 * Order of a free buddy block (mm/internal.h's buddy_order_unsafe(): the
 * order lives in page_private of a PageBuddy head). Racy without the zone
 * lock: callers check PageBuddy first and bound the result.
 */
#define ph_buddy_order_unsafe(page)	READ_ONCE(page_private(page))

#endif /* _PH_COMPAT_H */
