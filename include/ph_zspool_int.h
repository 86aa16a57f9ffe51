/* SPDX-License-Identifier: GPL-2.0 */
/*
 * zspool internals shared by module/zspool.c (the allocator: zspages,
 * slots, objects), module/zspool_pool.c (pools, size classes, the
 * component) and module/zspool_migrate.c (what moves objects: compaction
 * and page migration). Not exported; the control plane uses ph_zspool.h. The design and the lock
 * order are at the top of module/zspool.c.
 */
#ifndef _PH_ZSPOOL_INT_H
#define _PH_ZSPOOL_INT_H

#include <linux/types.h>
#include <linux/mm.h>
#include <linux/migrate.h>
#include <linux/shrinker.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include "ph_compat.h"
#include "ph_zspool.h"

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
 * @node: on the list of every pool (zsp_pools_lock)
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
	struct list_head node;
};

/* ---- locations and handles ---- */

static inline unsigned long zsp_loc(struct page *page, unsigned int idx)
{
	return page_to_pfn(page) << ZSP_IDX_BITS | idx;
}

static inline struct page *zsp_loc_page(unsigned long loc)
{
	return pfn_to_page(loc >> ZSP_IDX_BITS);
}

static inline unsigned int zsp_loc_idx(unsigned long loc)
{
	return loc & ZSP_IDX_MASK;
}

static inline unsigned long zsp_handle_loc(unsigned long handle)
{
	return READ_ONCE(*(unsigned long *)handle);
}

static inline void zsp_handle_set(unsigned long handle, unsigned long loc)
{
	WRITE_ONCE(*(unsigned long *)handle, loc);
}

static inline struct zspage *zsp_page_zspage(struct page *page)
{
	return (struct zspage *)page_private(page);
}

/* zspool.c */
extern struct kmem_cache *zsp_handle_cache;	/* handle cells */
extern struct kmem_cache *zspage_cache;		/* struct zspage */
void zsp_free_locked(struct zsp_class *c, struct zspage *zs);
void zsp_lock_pages(struct zspage *zs);
void zsp_deferred_free(struct work_struct *work);
void zsp_copy_chain(struct zspage *d, size_t doff, struct zspage *s,
		    size_t soff, size_t len);
unsigned long zsp_slot_handle(struct zspage *zs, unsigned int idx);
struct zspage *zsp_densest(struct zsp_class *c, unsigned int min_group,
			   struct zspage *skip);
struct zspage *zsp_sparsest(struct zsp_class *c);
unsigned int zsp_slot_alloc(struct zspage *zs, unsigned long handle);
bool zsp_slot_free(struct zspage *zs, unsigned int idx);
void zsp_free_zspage(struct zsp_class *c, struct zspage *zs);

/* zspool_migrate.c */
unsigned long zsp_shrink_count(struct shrinker *s, struct shrink_control *sc);
unsigned long zsp_shrink_scan(struct shrinker *s, struct shrink_control *sc);
#if PH_HAVE_MOVABLE_OPS
extern const struct movable_operations zsp_mops;
#endif

#endif /* _PH_ZSPOOL_INT_H */
