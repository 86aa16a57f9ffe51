// SPDX-License-Identifier: GPL-2.0
/*
 * zspool: a zsmalloc-style pool of small objects whose pages compaction and
 * page migration can move (seed 002, "Support non-lru page migration").
 *
 * Design
 * ------
 * Size classes. An object of @size bytes takes a slot of the smallest class
 * that fits size + ZSP_HDR (the handle back-pointer, see below). Classes run
 * from ZSP_MIN_SLOT (32) to PAGE_SIZE in steps of ZSP_STEP (16 bytes on 4 KiB
 * pages: 255 classes). For each class the pool picks how many order-0 pages
 * (1..ZSP_MAX_PAGES = 8) one "zspage" chains together: the count that wastes
 * the least tail space. Neighbouring classes that end up with the same
 * pages-per-zspage and objects-per-zspage are merged into the larger one:
 * same memory use, fewer lists, better packing (on 4 KiB pages 255 sizes
 * give about 70 real classes).
 *
 * Zspages. A zspage is an array of up to 8 order-0 pages that need not be
 * physically contiguous; slot i lives at byte i * class_size of the chain,
 * so a slot may straddle a page boundary (reads and writes are copied piece
 * by piece). The 8-byte header at the start of each slot never straddles
 * (class sizes and PAGE_SIZE are multiples of 16). A class whose zspage
 * holds one object in one page is "huge": its slot has no header; the
 * handle is kept in struct zspage instead.
 *
 * In-page links and handles. A free slot's header holds the index of the
 * next free slot << 1 (bit 0 clear): the free list is made of indices,
 * not addresses, so a page copied elsewhere keeps valid links. An
 * allocated slot's header holds its handle | ZSP_TAG_USED. A handle is a
 * pointer to an 8-byte cell (from zsp_handle_cache) holding the object's
 * location, (pfn of the page the slot starts in << ZSP_IDX_BITS) | index.
 * Users only ever see the handle; when an object moves (migration of the
 * page it starts on, or compaction) only the cell changes.
 *
 * Fullness groups. Each class keeps its zspages on ZSP_NR_GROUPS lists:
 * group 1..10 holds zspages (0 %, 10 %], ..., (90 %, 100 %) used, group 11
 * the full ones. Allocation takes the fullest non-full zspage (dense
 * packing); compaction empties the sparsest into the fullest and frees it.
 *
 * Movable pages (6.1 .. 6.16). Every pool page is allocated __GFP_MOVABLE
 * and marked __SetPageMovable(page, &zsp_mops) under its page lock, with
 * page->private pointing to its zspage. The core isolates a page (locked,
 * extra reference), then calls zsp_migrate_page with both pages locked:
 * we copy the page, re-point the cells of the objects that start on it,
 * put the new page in the chain, take a reference on it, clear movable on
 * the old one and drop ours. If any object of the zspage is being read
 * or written at that moment we return -EAGAIN and the core retries.
 * On kernels without module movable ops the pool allocates unmovable
 * pages and says so once.
 *
 * Compaction (zspool_compact, on demand and from the pool's shrinker):
 * per class, while the free slots add up to at least one zspage, move every
 * object of the sparsest zspage into the fullest ones and free it.
 *
 * Locking (order: page lock > pool->migrate_lock > class->lock >
 * zspage->lock):
 *  - pool->migrate_lock (rwlock): read side held while a handle cell is
 *    turned into a zspage (read, write, free); write side held by page
 *    migration and by compaction, the two things that change cells.
 *  - class->lock (spinlock), one per size class: the class's fullness
 *    lists, each zspage's free list, in-use count and group, the deferred
 *    free list, the class counters. Alloc and free of different classes
 *    never contend.
 *  - zspage->lock (rwlock): read side held while an object of the zspage
 *    is copied in or out; migration takes the write side with a trylock
 *    (busy => -EAGAIN), compaction with a plain write lock.
 *  - page locks: isolate/migrate/putback run with the page locked by the
 *    core. Freeing a zspage needs all its page locks (so that no migration
 *    is inside it); under class->lock only trylock is possible, so a
 *    zspage whose page is locked goes to the class's deferred list and a
 *    work item frees it after sleeping on the page locks.
 */
#define pr_fmt(fmt) "pagehint: zspool: " fmt

#include <linux/module.h>
#include <linux/mm.h>
#include <linux/highmem.h>
#include <linux/pagemap.h>
#include <linux/migrate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/atomic.h>
#include <linux/seq_file.h>
#include "pagehint.h"
#include "ph_compat.h"
#include "ph_zspool.h"
#include "ph_zspool_int.h"
#include "pagehint_trace.h"

#define ZSP_MAX_PAGES	8
#define ZSP_MIN_SLOT	32
#define ZSP_STEP	(PAGE_SIZE >> 8 < 16 ? 16 : PAGE_SIZE >> 8)
#define ZSP_NR_SIZES	((PAGE_SIZE - ZSP_MIN_SLOT) / ZSP_STEP + 1)
#define ZSP_HDR		sizeof(unsigned long)
#define ZSP_TAG_USED	1UL
/* Slot indices: at most ZSP_MAX_PAGES * PAGE_SIZE / ZSP_MIN_SLOT slots. */
#define ZSP_IDX_BITS	(PAGE_SHIFT + 3 - 5 + 1)
#define ZSP_IDX_MASK	((1UL << ZSP_IDX_BITS) - 1)
#define ZSP_FREE_END	ZSP_IDX_MASK

enum { ZSP_EMPTY = 0, ZSP_FULL = 11, ZSP_NR_GROUPS = 12 };

struct zsp_class;

/**
 * struct zspage - a chain of pages holding the slots of one class
 * @list: on one of @class's fullness lists or its deferred list
 * @class: the class; never changes
 * @pages: the chain; an entry changes only in migration (all locks held)
 * @lock: readers copy objects in/out, writers move pages or objects
 * @inuse: allocated slots (class->lock)
 * @freeobj: first free slot or ZSP_FREE_END (class->lock)
 * @group: current fullness group (class->lock)
 * @isolated: pages of this zspage isolated for migration (class->lock)
 * @huge_handle: the handle of the only object of a huge zspage
 */
struct zspage {
	struct list_head list;
	struct zsp_class *class;
	struct page *pages[ZSP_MAX_PAGES];
	rwlock_t lock;
	unsigned int inuse;
	unsigned int freeobj;
	unsigned int group;
	unsigned int isolated;
	unsigned long huge_handle;
};

/**
 * struct zsp_class - one size class
 * @lock: protects everything below but @size, @ppz, @opz, @huge, @pool
 * @groups: zspages per fullness group
 * @deferred: empty zspages waiting for their page locks to be freed
 * @ngroup: zspages per group, for the stats table
 * @zspages: zspages of the class (including deferred ones)
 * @inuse: allocated slots
 * @pool: owner
 * @size: slot size in bytes (object + ZSP_HDR unless @huge)
 * @ppz: pages per zspage
 * @opz: objects (slots) per zspage
 * @huge: one object per one-page zspage; no slot header
 */
struct zsp_class {
	spinlock_t lock;
	struct list_head groups[ZSP_NR_GROUPS];
	struct list_head deferred;
	unsigned long ngroup[ZSP_NR_GROUPS];
	unsigned long zspages;
	unsigned long inuse;
	struct zspool *pool;
	unsigned int size;
	unsigned int ppz;
	unsigned int opz;
	bool huge;
};

/**
 * struct zspool - a pool
 * @migrate_lock: see the locking section at the top
 * @class_of: size index -> class (merged classes share one)
 * @classes: the distinct classes, smallest first
 * @nr_classes: how many
 * @free_work: frees deferred zspages
 * @shrinker: compacts under memory pressure
 * @pages: pages held
 * @migrated: pages moved by migration
 * @migrate_busy: migrations refused with -EAGAIN
 * @compactions: zspool_compact() runs
 * @compact_moved: objects moved by compaction
 * @compact_freed: pages freed by compaction
 * @movable: pages are movable on this kernel
 * @name: for stats, traces and the shrinker
 */
struct zspool {
	rwlock_t migrate_lock;
	struct zsp_class *class_of[ZSP_NR_SIZES];
	struct zsp_class *classes[ZSP_NR_SIZES];
	unsigned int nr_classes;
	struct work_struct free_work;
	struct shrinker *shrinker;
	atomic_long_t pages;
	atomic64_t migrated;
	atomic64_t migrate_busy;
	atomic64_t compactions;
	atomic64_t compact_moved;
	atomic64_t compact_freed;
	bool movable;
	char name[32];
};

static struct kmem_cache *zsp_handle_cache;
static struct kmem_cache *zspage_cache;

/* ---- locations and handles ---- */

static unsigned long zsp_loc(struct page *page, unsigned int idx)
{
	return page_to_pfn(page) << ZSP_IDX_BITS | idx;
}

static struct page *zsp_loc_page(unsigned long loc)
{
	return pfn_to_page(loc >> ZSP_IDX_BITS);
}

static unsigned int zsp_loc_idx(unsigned long loc)
{
	return loc & ZSP_IDX_MASK;
}

static unsigned long zsp_handle_loc(unsigned long handle)
{
	return READ_ONCE(*(unsigned long *)handle);
}

static void zsp_handle_set(unsigned long handle, unsigned long loc)
{
	WRITE_ONCE(*(unsigned long *)handle, loc);
}

static struct zspage *zsp_page_zspage(struct page *page)
{
	return (struct zspage *)page_private(page);
}

/* ---- byte access to a chain ---- */

/* Copy @len bytes at byte @off of @zs's chain into @buf (zspage->lock). */
static void zsp_copy_out(struct zspage *zs, size_t off, void *buf, size_t len)
{
	while (len) {
		size_t po = offset_in_page(off);
		size_t n = min_t(size_t, len, PAGE_SIZE - po);
		void *va = kmap_local_page(zs->pages[off >> PAGE_SHIFT]);

		memcpy(buf, va + po, n);
		kunmap_local(va);
		buf += n;
		off += n;
		len -= n;
	}
}

static void zsp_copy_in(struct zspage *zs, size_t off, const void *buf,
			size_t len)
{
	while (len) {
		size_t po = offset_in_page(off);
		size_t n = min_t(size_t, len, PAGE_SIZE - po);
		void *va = kmap_local_page(zs->pages[off >> PAGE_SHIFT]);

		memcpy(va + po, buf, n);
		kunmap_local(va);
		buf += n;
		off += n;
		len -= n;
	}
}

/* Copy @len bytes between two chains, piece by piece (no bounce buffer). */
static void zsp_copy_chain(struct zspage *d, size_t doff, struct zspage *s,
			   size_t soff, size_t len)
{
	while (len) {
		size_t n = min3(len, PAGE_SIZE - offset_in_page(doff),
				PAGE_SIZE - offset_in_page(soff));
		void *dv = kmap_local_page(d->pages[doff >> PAGE_SHIFT]);
		void *sv = kmap_local_page(s->pages[soff >> PAGE_SHIFT]);

		memcpy(dv + offset_in_page(doff), sv + offset_in_page(soff), n);
		kunmap_local(sv);
		kunmap_local(dv);
		doff += n;
		soff += n;
		len -= n;
	}
}

/* Slot headers never straddle a page: one mapping, one word. */
static unsigned long *zsp_hdr_map(struct zspage *zs, unsigned int idx)
{
	size_t off = (size_t)idx * zs->class->size;
	void *va = kmap_local_page(zs->pages[off >> PAGE_SHIFT]);

	return va + offset_in_page(off);
}

static unsigned long zsp_hdr_get(struct zspage *zs, unsigned int idx)
{
	unsigned long *p = zsp_hdr_map(zs, idx), v = *p;

	kunmap_local(p);
	return v;
}

static void zsp_hdr_set(struct zspage *zs, unsigned int idx, unsigned long v)
{
	unsigned long *p = zsp_hdr_map(zs, idx);

	*p = v;
	kunmap_local(p);
}

/* The page a slot starts in. */
static struct page *zsp_slot_page(struct zspage *zs, unsigned int idx)
{
	return zs->pages[((size_t)idx * zs->class->size) >> PAGE_SHIFT];
}

/* The handle of slot @idx, or 0 if it is free. */
static unsigned long zsp_slot_handle(struct zspage *zs, unsigned int idx)
{
	unsigned long h;

	if (zs->class->huge)
		return zs->inuse ? zs->huge_handle : 0;
	h = zsp_hdr_get(zs, idx);
	return (h & ZSP_TAG_USED) ? h & ~ZSP_TAG_USED : 0;
}

/* ---- fullness groups (class->lock) ---- */

static unsigned int zsp_group(struct zsp_class *c, unsigned int inuse)
{
	if (!inuse)
		return ZSP_EMPTY;
	if (inuse == c->opz)
		return ZSP_FULL;
	return DIV_ROUND_UP(inuse * 10, c->opz);
}

static void zsp_regroup(struct zsp_class *c, struct zspage *zs)
{
	unsigned int g = zsp_group(c, zs->inuse);

	lockdep_assert_held(&c->lock);
	if (g == zs->group)
		return;
	c->ngroup[zs->group]--;
	c->ngroup[g]++;
	zs->group = g;
	list_move(&zs->list, &c->groups[g]);
}

/* The fullest non-full zspage with at least @min_group, not @skip. */
static struct zspage *zsp_densest(struct zsp_class *c, unsigned int min_group,
				  struct zspage *skip)
{
	struct zspage *zs;
	int g;

	for (g = ZSP_FULL - 1; g >= (int)min_group && g > ZSP_EMPTY; g--)
		list_for_each_entry(zs, &c->groups[g], list)
			if (zs != skip)
				return zs;
	return NULL;
}

static struct zspage *zsp_sparsest(struct zsp_class *c)
{
	int g;

	for (g = ZSP_EMPTY + 1; g < ZSP_FULL; g++)
		if (!list_empty(&c->groups[g]))
			return list_first_entry(&c->groups[g], struct zspage,
						list);
	return NULL;
}

/* ---- zspage life cycle ---- */

#if PH_HAVE_MOVABLE_OPS
static const struct movable_operations zsp_mops;
#endif

static void zsp_page_release(struct page *page, bool movable)
{
#if PH_HAVE_MOVABLE_OPS
	if (movable)
		__ClearPageMovable(page);
#endif
	set_page_private(page, 0);
	unlock_page(page);
	put_page(page);
}

/* All page locks held, class->lock held: give the pages back. */
static void zsp_free_locked(struct zsp_class *c, struct zspage *zs)
{
	unsigned int i;

	for (i = 0; i < c->ppz; i++)
		zsp_page_release(zs->pages[i], c->pool->movable);
	c->zspages--;
	atomic_long_sub(c->ppz, &c->pool->pages);
	kmem_cache_free(zspage_cache, zs);
}

static bool zsp_trylock_pages(struct zspage *zs)
{
	unsigned int i, n = zs->class->ppz;

	for (i = 0; i < n; i++)
		if (!trylock_page(zs->pages[i]))
			goto unlock;
	return true;
unlock:
	while (i--)
		unlock_page(zs->pages[i]);
	return false;
}

/*
 * Sleep until every page of @zs is locked by us. A page may migrate away
 * while we wait, so each page is read under zspage->lock and waited on with
 * a reference; once locked, it cannot change.
 */
static void zsp_lock_pages(struct zspage *zs)
{
	unsigned int i = 0;
	struct page *page;

	while (i < zs->class->ppz) {
		read_lock(&zs->lock);
		page = zs->pages[i];
		if (trylock_page(page)) {
			read_unlock(&zs->lock);
			i++;
			continue;
		}
		get_page(page);
		read_unlock(&zs->lock);
		wait_on_page_locked(page);
		put_page(page);
	}
}

/* An empty zspage leaves its class (class->lock held). */
static void zsp_free_zspage(struct zsp_class *c, struct zspage *zs)
{
	c->ngroup[zs->group]--;
	list_del(&zs->list);
	if (zsp_trylock_pages(zs)) {
		zsp_free_locked(c, zs);
		return;
	}
	list_add(&zs->list, &c->deferred);
	schedule_work(&c->pool->free_work);
}

static void zsp_deferred_free(struct work_struct *work)
{
	struct zspool *pool = container_of(work, struct zspool, free_work);
	struct zspage *zs, *tmp;
	unsigned int i;
	LIST_HEAD(list);

	for (i = 0; i < pool->nr_classes; i++) {
		struct zsp_class *c = pool->classes[i];

		spin_lock(&c->lock);
		list_splice_init(&c->deferred, &list);
		spin_unlock(&c->lock);
		list_for_each_entry_safe(zs, tmp, &list, list) {
			list_del(&zs->list);
			zsp_lock_pages(zs);
			spin_lock(&c->lock);
			zsp_free_locked(c, zs);
			spin_unlock(&c->lock);
		}
	}
}

static struct zspage *zsp_new_zspage(struct zsp_class *c, gfp_t gfp)
{
	struct zspage *zs;
	unsigned int i;

	zs = kmem_cache_zalloc(zspage_cache, gfp & ~(__GFP_HIGHMEM |
						     __GFP_MOVABLE));
	if (!zs)
		return NULL;
	if (c->pool->movable)
		gfp |= __GFP_MOVABLE;
	for (i = 0; i < c->ppz; i++) {
		zs->pages[i] = alloc_page(gfp);
		if (!zs->pages[i])
			goto fail;
		set_page_private(zs->pages[i], (unsigned long)zs);
	}
	zs->class = c;
	rwlock_init(&zs->lock);
	INIT_LIST_HEAD(&zs->list);
	zs->freeobj = 0;
	if (!c->huge)
		for (i = 0; i < c->opz; i++)
			zsp_hdr_set(zs, i, (i + 1 == c->opz ? ZSP_FREE_END :
					    i + 1) << 1);
	return zs;
fail:
	while (i--) {
		set_page_private(zs->pages[i], 0);
		__free_page(zs->pages[i]);
	}
	kmem_cache_free(zspage_cache, zs);
	return NULL;
}

/* Publish a new zspage in its class (class->lock held). */
static void zsp_add_zspage(struct zsp_class *c, struct zspage *zs)
{
	unsigned int i;

	zs->group = ZSP_EMPTY;
	c->ngroup[ZSP_EMPTY]++;
	list_add(&zs->list, &c->groups[ZSP_EMPTY]);
	c->zspages++;
	atomic_long_add(c->ppz, &c->pool->pages);
#if PH_HAVE_MOVABLE_OPS
	if (c->pool->movable)
		for (i = 0; i < c->ppz; i++) {
			/* Nobody else knows the page yet: cannot fail. */
			if (WARN_ON_ONCE(!trylock_page(zs->pages[i])))
				continue;
			__SetPageMovable(zs->pages[i], &zsp_mops);
			unlock_page(zs->pages[i]);
		}
#endif
	(void)i;
}

/* ---- slots (class->lock held) ---- */

static unsigned int zsp_slot_alloc(struct zspage *zs, unsigned long handle)
{
	struct zsp_class *c = zs->class;
	unsigned int idx = zs->freeobj;

	if (c->huge) {
		zs->freeobj = ZSP_FREE_END;
		zs->huge_handle = handle;
	} else {
		zs->freeobj = zsp_hdr_get(zs, idx) >> 1;
		zsp_hdr_set(zs, idx, handle | ZSP_TAG_USED);
	}
	zs->inuse++;
	c->inuse++;
	zsp_handle_set(handle, zsp_loc(zsp_slot_page(zs, idx), idx));
	zsp_regroup(c, zs);
	return idx;
}

/* Returns true if the zspage became empty (caller frees it). */
static bool zsp_slot_free(struct zspage *zs, unsigned int idx)
{
	struct zsp_class *c = zs->class;

	if (c->huge)
		zs->huge_handle = 0;
	else
		zsp_hdr_set(zs, idx, (unsigned long)zs->freeobj << 1);
	zs->freeobj = idx;
	zs->inuse--;
	c->inuse--;
	zsp_regroup(c, zs);
	return !zs->inuse;
}

/* ---- API ---- */

static struct zsp_class *zsp_class_for(struct zspool *pool, size_t size)
{
	size_t slot = size + ZSP_HDR;

	if (slot > PAGE_SIZE)
		slot = PAGE_SIZE;
	if (slot < ZSP_MIN_SLOT)
		slot = ZSP_MIN_SLOT;
	return pool->class_of[DIV_ROUND_UP(slot - ZSP_MIN_SLOT, ZSP_STEP)];
}

/* Bytes an object of class @c may hold. */
static size_t zsp_capacity(struct zsp_class *c)
{
	return c->huge ? c->size : c->size - ZSP_HDR;
}

/**
 * zspool_malloc() - allocate an object
 * @pool: the pool
 * @size: bytes, 1 .. ZSPOOL_MAX_SIZE
 * @gfp: allocation flags for new pool pages (GFP_KERNEL, GFP_NOWAIT, ...);
 *       __GFP_MOVABLE is added by the pool when its pages can move
 * @handle: where to store the new object's handle
 *
 * The content of a new object is undefined. Takes the class lock; sleeps
 * only if @gfp allows and the class needs a new zspage.
 *
 * Return: 0; -EINVAL for size 0; -E2BIG above ZSPOOL_MAX_SIZE; -ENOMEM.
 */
int zspool_malloc(struct zspool *pool, size_t size, gfp_t gfp,
		  unsigned long *handle)
{
	struct zsp_class *c;
	struct zspage *zs;
	unsigned long h;

	if (!size)
		return -EINVAL;
	if (size > ZSPOOL_MAX_SIZE)
		return -E2BIG;
	c = zsp_class_for(pool, size);
	h = (unsigned long)kmem_cache_alloc(zsp_handle_cache,
					    gfp & ~(__GFP_HIGHMEM |
						    __GFP_MOVABLE));
	if (!h)
		return -ENOMEM;
	spin_lock(&c->lock);
	zs = zsp_densest(c, ZSP_EMPTY + 1, NULL);
	if (!zs) {
		spin_unlock(&c->lock);
		zs = zsp_new_zspage(c, gfp);
		if (!zs) {
			kmem_cache_free(zsp_handle_cache, (void *)h);
			return -ENOMEM;
		}
		spin_lock(&c->lock);
		zsp_add_zspage(c, zs);
	}
	zsp_slot_alloc(zs, h);
	spin_unlock(&c->lock);
	*handle = h;
	return 0;
}
EXPORT_SYMBOL_GPL(zspool_malloc);

/**
 * zspool_free() - free an object
 * @pool: the pool
 * @handle: from zspool_malloc(); 0 is ignored
 *
 * Frees the zspage when it was the last object in it. Never sleeps.
 */
void zspool_free(struct zspool *pool, unsigned long handle)
{
	struct zsp_class *c;
	struct zspage *zs;
	unsigned long loc;

	if (!handle)
		return;
	read_lock(&pool->migrate_lock);
	loc = zsp_handle_loc(handle);
	zs = zsp_page_zspage(zsp_loc_page(loc));
	c = zs->class;
	spin_lock(&c->lock);
	read_unlock(&pool->migrate_lock);
	if (zsp_slot_free(zs, zsp_loc_idx(loc)))
		zsp_free_zspage(c, zs);
	spin_unlock(&c->lock);
	kmem_cache_free(zsp_handle_cache, (void *)handle);
}
EXPORT_SYMBOL_GPL(zspool_free);

/*
 * Find and read-lock the zspage of @handle: the object cannot move until
 * zsp_access_end(). Returns the byte offset of its data in the chain.
 */
static struct zspage *zsp_access_begin(struct zspool *pool,
				       unsigned long handle, size_t *off)
{
	struct zspage *zs;
	unsigned long loc;

	read_lock(&pool->migrate_lock);
	loc = zsp_handle_loc(handle);
	zs = zsp_page_zspage(zsp_loc_page(loc));
	read_lock(&zs->lock);
	read_unlock(&pool->migrate_lock);
	*off = (size_t)zsp_loc_idx(loc) * zs->class->size +
	       (zs->class->huge ? 0 : ZSP_HDR);
	return zs;
}

static void zsp_access_end(struct zspage *zs)
{
	read_unlock(&zs->lock);
}

/**
 * zspool_read() - copy an object out
 * @pool: the pool
 * @handle: the object
 * @buf: destination
 * @len: bytes from the start of the object; at most its slot's capacity
 *
 * While the copy runs, migration of the object's pages returns -EAGAIN.
 * Never sleeps.
 *
 * Return: 0, or -EINVAL if @len exceeds the slot.
 */
int zspool_read(struct zspool *pool, unsigned long handle, void *buf,
		size_t len)
{
	struct zspage *zs;
	size_t off;
	int ret = 0;

	zs = zsp_access_begin(pool, handle, &off);
	if (len <= zsp_capacity(zs->class))
		zsp_copy_out(zs, off, buf, len);
	else
		ret = -EINVAL;
	zsp_access_end(zs);
	return ret;
}
EXPORT_SYMBOL_GPL(zspool_read);

/**
 * zspool_write() - copy into an object
 * @pool: the pool
 * @handle: the object
 * @buf: source
 * @len: bytes to the start of the object; at most its slot's capacity
 *
 * Same rules as zspool_read().
 *
 * Return: 0, or -EINVAL if @len exceeds the slot.
 */
int zspool_write(struct zspool *pool, unsigned long handle, const void *buf,
		 size_t len)
{
	struct zspage *zs;
	size_t off;
	int ret = 0;

	zs = zsp_access_begin(pool, handle, &off);
	if (len <= zsp_capacity(zs->class))
		zsp_copy_in(zs, off, buf, len);
	else
		ret = -EINVAL;
	zsp_access_end(zs);
	return ret;
}
EXPORT_SYMBOL_GPL(zspool_write);

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

static unsigned long zsp_shrink_count(struct shrinker *s,
				      struct shrink_control *sc)
{
	struct zspool *pool = ph_shrinker_priv(s);
	unsigned long n = 0;
	unsigned int i;

	for (i = 0; i < pool->nr_classes; i++)
		n += zsp_class_slack(pool->classes[i]);
	return n;
}

static unsigned long zsp_shrink_scan(struct shrinker *s,
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
	if (mode == MIGRATE_SYNC_NO_COPY)
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

static const struct movable_operations zsp_mops = {
	.isolate_page = zsp_isolate_page,
	.migrate_page = zsp_migrate_page,
	.putback_page = zsp_putback_page,
};
#endif

/* ---- pool ---- */

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

/* Per-class table for debugfs (header + one row per class in use). */
void zspool_show_classes(struct seq_file *m, struct zspool *pool, bool all)
{
	unsigned int i;

	seq_printf(m, "%-6s %-4s %-5s %-8s %-9s %-9s %-7s %-8s %-8s %-8s %-8s\n",
		   "size", "ppz", "opz", "zspages", "objs", "used", "pages",
		   "g0-30", "g30-70", "g70-99", "full");
	for (i = 0; i < pool->nr_classes; i++) {
		struct zsp_class *c = pool->classes[i];
		unsigned long lo, mid, hi;

		spin_lock(&c->lock);
		lo = c->ngroup[1] + c->ngroup[2] + c->ngroup[3];
		mid = c->ngroup[4] + c->ngroup[5] + c->ngroup[6] +
		      c->ngroup[7];
		hi = c->ngroup[8] + c->ngroup[9] + c->ngroup[10];
		if (all || c->zspages)
			seq_printf(m, "%-6u %-4u %-5u %-8lu %-9lu %-9lu %-7lu %-8lu %-8lu %-8lu %-8lu\n",
				   c->size, c->ppz, c->opz, c->zspages,
				   c->zspages * c->opz, c->inuse,
				   c->zspages * c->ppz, lo, mid, hi,
				   c->ngroup[ZSP_FULL]);
		spin_unlock(&c->lock);
	}
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

bool zspool_movable(void)
{
	return PH_HAVE_MOVABLE_OPS;
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
	if (!PH_HAVE_MOVABLE_OPS)
		pr_info("this kernel has no movable_operations for modules: pool pages are unmovable\n");
	ret = zspool_debugfs_init();
	if (ret)
		goto err_cache;
	return 0;

err_cache:
	kmem_cache_destroy(zspage_cache);
	kmem_cache_destroy(zsp_handle_cache);
	return ret;
}

static void zspool_exit(void)
{
	zspool_debugfs_exit();
	kmem_cache_destroy(zspage_cache);
	kmem_cache_destroy(zsp_handle_cache);
}

const struct ph_component ph_zspool_component = {
	.name = "zspool",
	.init = zspool_init,
	.exit = zspool_exit,
};
