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
#include "pagehint.h"
#include "ph_compat.h"
#include "ph_zspool.h"
#include "ph_zspool_int.h"

struct kmem_cache *zsp_handle_cache;
struct kmem_cache *zspage_cache;

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
void zsp_copy_chain(struct zspage *d, size_t doff, struct zspage *s,
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
unsigned long zsp_slot_handle(struct zspage *zs, unsigned int idx)
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
struct zspage *zsp_densest(struct zsp_class *c, unsigned int min_group,
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

struct zspage *zsp_sparsest(struct zsp_class *c)
{
	int g;

	for (g = ZSP_EMPTY + 1; g < ZSP_FULL; g++)
		if (!list_empty(&c->groups[g]))
			return list_first_entry(&c->groups[g], struct zspage,
						list);
	return NULL;
}

/* ---- zspage life cycle ---- */

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
void zsp_free_locked(struct zsp_class *c, struct zspage *zs)
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
void zsp_lock_pages(struct zspage *zs)
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
		folio_wait_locked(page_folio(page));
		put_page(page);
	}
}

/* An empty zspage leaves its class (class->lock held). */
void zsp_free_zspage(struct zsp_class *c, struct zspage *zs)
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

void zsp_deferred_free(struct work_struct *work)
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

unsigned int zsp_slot_alloc(struct zspage *zs, unsigned long handle)
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
bool zsp_slot_free(struct zspage *zs, unsigned int idx)
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

/* Copy @len bytes of the object @handle to @dst, or from @src into it. */
static int zsp_access(struct zspool *pool, unsigned long handle, void *dst,
		      const void *src, size_t len)
{
	struct zspage *zs;
	size_t off;
	int ret = 0;

	zs = zsp_access_begin(pool, handle, &off);
	if (len > zsp_capacity(zs->class))
		ret = -EINVAL;
	else if (src)
		zsp_copy_in(zs, off, src, len);
	else
		zsp_copy_out(zs, off, dst, len);
	zsp_access_end(zs);
	return ret;
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
	return zsp_access(pool, handle, buf, NULL, len);
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
	return zsp_access(pool, handle, NULL, buf, len);
}
EXPORT_SYMBOL_GPL(zspool_write);
