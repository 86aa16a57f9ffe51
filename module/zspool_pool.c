// SPDX-License-Identifier: GPL-2.0
/*
 * zspool: the pools - their size classes, creation and destruction, the
 * list of every pool and the counters the control plane shows, and the
 * component's setup. The design and the lock order are at the top of
 * module/zspool.c.
 */
#define pr_fmt(fmt) "pagehint: zspool: " fmt

#include <linux/module.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include "pagehint.h"
#include "ph_compat.h"
#include "ph_zspool.h"
#include "ph_zspool_int.h"

/* Every pool, for the control plane's tables: protects zsp_pools. */
static DEFINE_MUTEX(zsp_pools_lock);
static LIST_HEAD(zsp_pools);

/*
 * Pages per zspage for slot @size: the count (1..ZSP_MAX_PAGES) with the
 * best whole-percent use of its pages; on a tie the fewest pages (a
 * smaller zspage empties sooner, which helps compaction).
 */
static unsigned int zsp_best_ppz(unsigned int size)
{
	unsigned int n, used, best = 1, best_used = 0;

	for (n = 1; n <= ZSP_MAX_PAGES; n++) {
		used = (n * PAGE_SIZE / size) * size * 100 / (n * PAGE_SIZE);
		if (used > best_used) {
			best_used = used;
			best = n;
		}
	}
	return best;
}

static int zsp_init_classes(struct zspool *pool)
{
	struct zsp_class *prev = NULL, *c;
	unsigned int g;
	int i;

	/* From the largest size down, merging equal-shaped neighbours. */
	for (i = ZSP_NR_SIZES - 1; i >= 0; i--) {
		unsigned int size = ZSP_MIN_SLOT + i * ZSP_STEP;
		unsigned int ppz = zsp_best_ppz(size);
		unsigned int opz = ppz * PAGE_SIZE / size;

		if (prev && prev->ppz == ppz && prev->opz == opz) {
			pool->class_of[i] = prev;
			continue;
		}
		c = kzalloc(sizeof(*c), GFP_KERNEL);
		if (!c)
			return -ENOMEM;
		spin_lock_init(&c->lock);
		for (g = 0; g < ZSP_NR_GROUPS; g++)
			INIT_LIST_HEAD(&c->groups[g]);
		INIT_LIST_HEAD(&c->deferred);
		c->pool = pool;
		c->size = size;
		c->ppz = ppz;
		c->opz = opz;
		c->huge = opz == 1;
		pool->class_of[i] = c;
		pool->classes[pool->nr_classes++] = c;
		prev = c;
	}
	/* smallest first */
	for (i = 0; i < pool->nr_classes / 2; i++)
		swap(pool->classes[i], pool->classes[pool->nr_classes - 1 - i]);
	return 0;
}

/* Free every zspage of @c, live objects and their handles included. */
static void zsp_drain_class(struct zsp_class *c)
{
	struct zspage *zs;
	unsigned int g, idx;
	unsigned long h;

	spin_lock(&c->lock);
	for (g = 0; g < ZSP_NR_GROUPS; g++) {
		while (!list_empty(&c->groups[g])) {
			zs = list_first_entry(&c->groups[g], struct zspage,
					      list);
			c->ngroup[g]--;
			list_del(&zs->list);
			for (idx = 0; idx < c->opz && zs->inuse; idx++) {
				h = zsp_slot_handle(zs, idx);
				if (!h)
					continue;
				kmem_cache_free(zsp_handle_cache, (void *)h);
				zs->inuse--;
				c->inuse--;
			}
			spin_unlock(&c->lock);
			zsp_lock_pages(zs);
			spin_lock(&c->lock);
			zsp_free_locked(c, zs);
		}
	}
	spin_unlock(&c->lock);
}

/**
 * zspool_destroy() - free a pool and everything in it
 * @pool: the pool; NULL is ignored
 *
 * Live objects are freed with it; their handles become invalid. The caller
 * must make sure nobody uses the pool any more. Sleeps (waits for page
 * migrations in flight on the pool's pages).
 */
void zspool_destroy(struct zspool *pool)
{
	unsigned int i;

	if (!pool)
		return;
	mutex_lock(&zsp_pools_lock);
	list_del(&pool->node);
	mutex_unlock(&zsp_pools_lock);
	if (pool->shrinker)
		ph_shrinker_destroy(pool->shrinker);
	flush_work(&pool->free_work);
	for (i = 0; i < pool->nr_classes; i++)
		zsp_drain_class(pool->classes[i]);
	flush_work(&pool->free_work);
	WARN_ON(atomic_long_read(&pool->pages));
	for (i = 0; i < pool->nr_classes; i++)
		kfree(pool->classes[i]);
	kfree(pool);
}
EXPORT_SYMBOL_GPL(zspool_destroy);

/**
 * zspool_create() - make a pool
 * @name: shown in stats, traces and the shrinker's name; copied
 *
 * Context: process, may sleep.
 *
 * Return: the pool, or NULL when out of memory.
 */
struct zspool *zspool_create(const char *name)
{
	struct zspool *pool;
	char sname[48];

	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return NULL;
	strscpy(pool->name, name, sizeof(pool->name));
	INIT_LIST_HEAD(&pool->node);
	rwlock_init(&pool->migrate_lock);
	INIT_WORK(&pool->free_work, zsp_deferred_free);
	atomic_long_set(&pool->pages, 0);
	pool->movable = PH_HAVE_MOVABLE_OPS;
	if (zsp_init_classes(pool))
		goto fail;
	snprintf(sname, sizeof(sname), "zspool-%s", pool->name);
	pool->shrinker = ph_shrinker_create(zsp_shrink_count, zsp_shrink_scan,
					    pool, sname);
	if (!pool->shrinker)
		goto fail;
	mutex_lock(&zsp_pools_lock);
	list_add_tail(&pool->node, &zsp_pools);
	mutex_unlock(&zsp_pools_lock);
	return pool;
fail:
	zspool_destroy(pool);
	return NULL;
}
EXPORT_SYMBOL_GPL(zspool_create);

/**
 * zspool_stats() - read a pool's counters
 * @pool: the pool
 * @st: filled in; a snapshot, not atomic as a whole
 */
void zspool_stats(struct zspool *pool, struct zspool_stats *st)
{
	unsigned int i;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < pool->nr_classes; i++) {
		struct zsp_class *c = pool->classes[i];
		unsigned long n = READ_ONCE(c->inuse);

		st->objects += n;
		st->slot_bytes += (u64)n * c->size;
	}
	st->pages = atomic_long_read(&pool->pages);
	st->migrated = atomic64_read(&pool->migrated);
	st->migrate_busy = atomic64_read(&pool->migrate_busy);
	st->compactions = atomic64_read(&pool->compactions);
	st->compact_moved = atomic64_read(&pool->compact_moved);
	st->compact_freed = atomic64_read(&pool->compact_freed);
	st->movable = pool->movable;
}
EXPORT_SYMBOL_GPL(zspool_stats);

/**
 * zspool_class_stats() - read one size class of a pool
 * @pool: the pool
 * @i: class number, smallest first
 * @cs: filled in under the class lock
 *
 * Return: 0, or -ENOENT when @pool has no class @i.
 */
int zspool_class_stats(struct zspool *pool, unsigned int i,
		       struct zspool_class_stats *cs)
{
	struct zsp_class *c;

	if (i >= pool->nr_classes)
		return -ENOENT;
	c = pool->classes[i];
	memset(cs, 0, sizeof(*cs));
	cs->size = c->size;
	cs->ppz = c->ppz;
	cs->opz = c->opz;
	spin_lock(&c->lock);
	cs->zspages = c->zspages;
	cs->inuse = c->inuse;
	cs->sparse = c->ngroup[1] + c->ngroup[2] + c->ngroup[3];
	cs->half = c->ngroup[4] + c->ngroup[5] + c->ngroup[6] + c->ngroup[7];
	cs->dense = c->ngroup[8] + c->ngroup[9] + c->ngroup[10];
	cs->full = c->ngroup[ZSP_FULL];
	spin_unlock(&c->lock);
	return 0;
}

/**
 * zspool_pfns() - snapshot the page frames of a pool
 * @pool: the pool
 * @pfns: array to fill
 * @max: its size
 *
 * For diagnostics and migration tests (alloc_contig_range over pool
 * pages). The pages may move or be freed as soon as this returns.
 * Takes each class lock in turn; never sleeps.
 *
 * Return: how many PFNs were stored.
 */
unsigned long zspool_pfns(struct zspool *pool, unsigned long *pfns,
			  unsigned long max)
{
	unsigned long n = 0;
	struct zspage *zs;
	unsigned int i, g, k;

	for (i = 0; i < pool->nr_classes; i++) {
		struct zsp_class *c = pool->classes[i];

		spin_lock(&c->lock);
		for (g = 0; g < ZSP_NR_GROUPS; g++)
			list_for_each_entry(zs, &c->groups[g], list)
				for (k = 0; k < c->ppz && n < max; k++)
					pfns[n++] = page_to_pfn(zs->pages[k]);
		spin_unlock(&c->lock);
	}
	return n;
}
EXPORT_SYMBOL_GPL(zspool_pfns);

/**
 * zspool_for_each() - call @fn on every pool, oldest first
 * @fn: called with the pool list's lock held (pools are neither created
 *	nor destroyed meanwhile); may sleep, may not create or destroy one
 * @arg: for @fn
 */
void zspool_for_each(void (*fn)(struct zspool *pool, void *arg), void *arg)
{
	struct zspool *pool;

	mutex_lock(&zsp_pools_lock);
	list_for_each_entry(pool, &zsp_pools, node)
		fn(pool, arg);
	mutex_unlock(&zsp_pools_lock);
}

/* The name a pool was created with. */
const char *zspool_name(struct zspool *pool)
{
	return pool->name;
}

/* Whether pool pages can move on this kernel (module movable ops). */
bool zspool_movable(void)
{
	return PH_HAVE_MOVABLE_OPS;
}
EXPORT_SYMBOL_GPL(zspool_movable);

/*
 * 6.17 replaced __SetPageMovable() by set_movable_ops(ops, type), which
 * takes two page types only, each with one owner: PGTY_offline (the
 * kernel's balloon core registers it at boot) and PGTY_zsmalloc (the
 * kernel's zsmalloc). A module's own pages have neither type.
 */
static const char *zspool_limits(void)
{
	if (PH_HAVE_MOVABLE_OPS)
		return NULL;
	return "pool pages unmovable: this kernel lets only balloon (PageOffline) and zsmalloc pages have movable_ops (set_movable_ops), both owned by the kernel";
}

static int zspool_init(void)
{
	int ret;

	zsp_handle_cache = kmem_cache_create("ph_zspool_handle",
					     sizeof(unsigned long),
					     sizeof(unsigned long), 0, NULL);
	zspage_cache = kmem_cache_create("ph_zspage", sizeof(struct zspage),
					 0, 0, NULL);
	if (!zsp_handle_cache || !zspage_cache) {
		ret = -ENOMEM;
		goto err_cache;
	}
	return 0;

err_cache:
	kmem_cache_destroy(zspage_cache);
	kmem_cache_destroy(zsp_handle_cache);
	return ret;
}

static void zspool_exit(void)
{
	kmem_cache_destroy(zspage_cache);
	kmem_cache_destroy(zsp_handle_cache);
}

const struct ph_component ph_zspool_component = {
	.name = "zspool",
	.init = zspool_init,
	.exit = zspool_exit,
	.limits = zspool_limits,
};
