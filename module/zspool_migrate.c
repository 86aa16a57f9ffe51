// SPDX-License-Identifier: GPL-2.0
/*
 * zspool: what moves objects - compaction (zspool_compact(), on demand and
 * from the pool's shrinker) and page migration of pool pages (the
 * movable_operations compaction and alloc_contig_range() call). The design
 * and the lock order are at the top of module/zspool.c.
 */
#define pr_fmt(fmt) "pagehint: zspool: " fmt

#include <linux/module.h>
#include <linux/mm.h>
#include <linux/highmem.h>
#include <linux/migrate.h>
#include "ph_compat.h"
#include "ph_zspool_int.h"
#include "pagehint_trace.h"

/* ---- compaction ---- */

/* Pages the class could give back if its objects were packed. */
static unsigned long zsp_class_slack(struct zsp_class *c)
{
	unsigned long alloc = READ_ONCE(c->zspages) * c->opz;
	unsigned long used = READ_ONCE(c->inuse);

	if (alloc <= used)
		return 0;
	return (alloc - used) / c->opz * c->ppz;
}

/*
 * Move one object from slot @idx of @src to the densest other zspage.
 * Called with migrate_lock (write), class->lock and src->lock (write).
 * Returns false when there is no zspage to move into.
 */
static bool zsp_move_object(struct zsp_class *c, struct zspage *src,
			    unsigned int idx)
{
	unsigned long h = zsp_slot_handle(src, idx);
	struct zspage *dst;
	unsigned int didx;
	size_t skip = c->huge ? 0 : ZSP_HDR;

	dst = zsp_densest(c, src->group, src);
	if (!dst)
		return false;
	didx = zsp_slot_alloc(dst, h);
	zsp_copy_chain(dst, (size_t)didx * c->size + skip, src,
		       (size_t)idx * c->size + skip, c->size - skip);
	zsp_slot_free(src, idx);
	return true;
}

/* Empty the sparsest zspage of @c into the others; pages freed. */
static unsigned long zsp_compact_one(struct zsp_class *c, unsigned long *moved)
{
	struct zspage *src;
	unsigned int idx;
	unsigned long freed = 0;

	src = zsp_sparsest(c);
	if (!src)
		return 0;
	write_lock(&src->lock);
	for (idx = 0; idx < c->opz && src->inuse; idx++) {
		if (!zsp_slot_handle(src, idx))
			continue;
		if (!zsp_move_object(c, src, idx))
			break;
		(*moved)++;
	}
	write_unlock(&src->lock);
	if (!src->inuse) {
		zsp_free_zspage(c, src);
		freed = c->ppz;
	}
	return freed;
}

static unsigned long zsp_compact_class(struct zspool *pool,
				       struct zsp_class *c)
{
	unsigned long freed = 0, moved = 0, got;

	while (zsp_class_slack(c)) {
		write_lock(&pool->migrate_lock);
		spin_lock(&c->lock);
		got = zsp_class_slack(c) ? zsp_compact_one(c, &moved) : 0;
		spin_unlock(&c->lock);
		write_unlock(&pool->migrate_lock);
		if (!got)
			break;
		freed += got;
		cond_resched();
	}
	if (moved)
		trace_zspool_compact(pool->name, c->size, moved, freed);
	atomic64_add(moved, &pool->compact_moved);
	return freed;
}

/**
 * zspool_compact() - pack every class and free the emptied zspages
 * @pool: the pool
 *
 * Moves objects from the sparsest zspages of each class into its fullest
 * ones; handles stay valid. Takes the pool's migrate lock for writing one
 * zspage at a time and may sleep between zspages.
 *
 * Return: pages freed (a page still locked by a migration in progress is
 * freed shortly after, by a work item, and counted here already).
 */
unsigned long zspool_compact(struct zspool *pool)
{
	unsigned long freed = 0;
	unsigned int i;

	for (i = 0; i < pool->nr_classes; i++)
		freed += zsp_compact_class(pool, pool->classes[i]);
	atomic64_inc(&pool->compactions);
	atomic64_add(freed, &pool->compact_freed);
	return freed;
}
EXPORT_SYMBOL_GPL(zspool_compact);

unsigned long zsp_shrink_count(struct shrinker *s,
				      struct shrink_control *sc)
{
	struct zspool *pool = ph_shrinker_priv(s);
	unsigned long n = 0;
	unsigned int i;

	for (i = 0; i < pool->nr_classes; i++)
		n += zsp_class_slack(pool->classes[i]);
	return n;
}

unsigned long zsp_shrink_scan(struct shrinker *s,
				     struct shrink_control *sc)
{
	unsigned long freed = zspool_compact(ph_shrinker_priv(s));

	return freed ? freed : SHRINK_STOP;
}

/* ---- page migration ---- */

#if PH_HAVE_MOVABLE_OPS
static bool zsp_isolate_page(struct page *page, isolate_mode_t mode)
{
	struct zspage *zs = zsp_page_zspage(page);

	/* Page locked: the zspage cannot be freed under us. */
	spin_lock(&zs->class->lock);
	zs->isolated++;
	spin_unlock(&zs->class->lock);
	return true;
}

static void zsp_putback_page(struct page *page)
{
	struct zspage *zs = zsp_page_zspage(page);

	spin_lock(&zs->class->lock);
	zs->isolated--;
	spin_unlock(&zs->class->lock);
}

/*
 * Re-point the cells of the objects starting on @src (page @i of the
 * chain) to @newpage. Their headers all lie in @src: one mapping.
 */
static unsigned int zsp_fix_handles(struct zspage *zs, struct page *src,
				    unsigned int i, struct page *newpage)
{
	struct zsp_class *c = zs->class;
	unsigned int idx, n = 0;
	unsigned long h, off;
	void *va;

	if (c->huge) {
		if (zs->inuse)
			zsp_handle_set(zs->huge_handle, zsp_loc(newpage, 0));
		return zs->inuse;
	}
	idx = DIV_ROUND_UP(i * PAGE_SIZE, c->size);
	off = (unsigned long)idx * c->size - i * PAGE_SIZE;
	va = kmap_local_page(src);
	for (; idx < c->opz && off < PAGE_SIZE; idx++, off += c->size) {
		h = *(unsigned long *)(va + off);
		if (!(h & ZSP_TAG_USED))
			continue;
		zsp_handle_set(h & ~ZSP_TAG_USED, zsp_loc(newpage, idx));
		n++;
	}
	kunmap_local(va);
	return n;
}

static int zsp_migrate_page(struct page *dst, struct page *src,
			    enum migrate_mode mode)
{
	struct zspage *zs = zsp_page_zspage(src);
	struct zsp_class *c = zs->class;
	struct zspool *pool = c->pool;
	unsigned int i, fixed;

	/* The copy must happen under our locks. */
	if (ph_migrate_no_copy(mode))
		return -EINVAL;
	write_lock(&pool->migrate_lock);
	spin_lock(&c->lock);
	if (!write_trylock(&zs->lock)) {
		spin_unlock(&c->lock);
		write_unlock(&pool->migrate_lock);
		atomic64_inc(&pool->migrate_busy);
		trace_zspool_migrate(pool->name, page_to_pfn(src),
				     page_to_pfn(dst), c->size, 0, -EAGAIN);
		return -EAGAIN;
	}
	for (i = 0; i < c->ppz && zs->pages[i] != src; i++)
		;
	if (WARN_ON_ONCE(i == c->ppz)) {
		write_unlock(&zs->lock);
		spin_unlock(&c->lock);
		write_unlock(&pool->migrate_lock);
		return -EINVAL;
	}
	copy_highpage(dst, src);
	fixed = zsp_fix_handles(zs, src, i, dst);
	zs->pages[i] = dst;
	set_page_private(dst, (unsigned long)zs);
	__SetPageMovable(dst, &zsp_mops);
	zs->isolated--;
	write_unlock(&zs->lock);
	spin_unlock(&c->lock);
	write_unlock(&pool->migrate_lock);

	get_page(dst);
	__ClearPageMovable(src);
	set_page_private(src, 0);
	put_page(src);
	atomic64_inc(&pool->migrated);
	trace_zspool_migrate(pool->name, page_to_pfn(src), page_to_pfn(dst),
			     c->size, fixed, 0);
	return MIGRATEPAGE_SUCCESS;
}

const struct movable_operations zsp_mops = {
	.isolate_page = zsp_isolate_page,
	.migrate_page = zsp_migrate_page,
	.putback_page = zsp_putback_page,
};
#endif
