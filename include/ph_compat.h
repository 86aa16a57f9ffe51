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
 * Non-LRU movable pages owned by a module: 6.1 .. 6.16 have
 * struct movable_operations with __SetPageMovable/__ClearPageMovable
 * (page->mapping carries PAGE_MAPPING_MOVABLE). 6.17 removed both; there
 * only balloon and zsmalloc pages may be movable, so a module's own pool
 * stays unmovable.
 */
#include <linux/page-flags.h>
#include <linux/migrate.h>
#if defined(CONFIG_MIGRATION) && defined(PAGE_MAPPING_MOVABLE)
#define PH_HAVE_MOVABLE_OPS	1
#else
#define PH_HAVE_MOVABLE_OPS	0
#endif

/*
 * alloc_contig_range() exists with CONFIG_CONTIG_ALLOC (MEMORY_ISOLATION +
 * COMPACTION, or CMA): Debian's kernel has it, a lean debug config may not.
 */
#ifdef CONFIG_CONTIG_ALLOC
#define PH_HAVE_CONTIG_ALLOC	1
#else
#define PH_HAVE_CONTIG_ALLOC	0
#endif

/*
 * Shrinkers: 6.7 replaced register_shrinker(struct shrinker *, fmt, ...)
 * with shrinker_alloc/shrinker_register/shrinker_free (and added the
 * SHRINKER_ALLOCATED flag with them: the feature test).
 */
#include <linux/shrinker.h>
#include <linux/slab.h>
#ifndef SHRINKER_ALLOCATED
struct ph_shrinker_box {
	struct shrinker s;
	void *priv;
};
#define ph_shrinker_priv(sh) \
	(container_of(sh, struct ph_shrinker_box, s)->priv)
#else
#define ph_shrinker_priv(sh)	((sh)->private_data)
#endif

static inline struct shrinker *
ph_shrinker_create(unsigned long (*count)(struct shrinker *,
					  struct shrink_control *),
		   unsigned long (*scan)(struct shrinker *,
					 struct shrink_control *),
		   void *priv, const char *name)
{
#ifdef SHRINKER_ALLOCATED
	struct shrinker *s;

	s = shrinker_alloc(0, "%s", name);
	if (!s)
		return NULL;
	s->count_objects = count;
	s->scan_objects = scan;
	s->private_data = priv;
	shrinker_register(s);
	return s;
#else
	struct ph_shrinker_box *b = kzalloc(sizeof(*b), GFP_KERNEL);

	if (!b)
		return NULL;
	b->s.count_objects = count;
	b->s.scan_objects = scan;
	b->s.seeks = DEFAULT_SEEKS;
	b->priv = priv;
	if (register_shrinker(&b->s, "%s", name)) {
		kfree(b);
		return NULL;
	}
	return &b->s;
#endif
}

static inline void ph_shrinker_destroy(struct shrinker *s)
{
#ifdef SHRINKER_ALLOCATED
	shrinker_free(s);
#else
	unregister_shrinker(s);
	kfree(container_of(s, struct ph_shrinker_box, s));
#endif
}

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
 * Order of a free buddy block (mm/internal.h's buddy_order_unsafe(): the
 * order lives in page_private of a PageBuddy head). Racy without the zone
 * lock: callers check PageBuddy first and bound the result.
 */
#define ph_buddy_order_unsafe(page)	READ_ONCE(page_private(page))

#endif /* _PH_COMPAT_H */
