/* SPDX-License-Identifier: GPL-2.0 */
/*
 * zspool: pagehint's movable pool for small objects (zsmalloc-style).
 *
 * In-kernel API, exported GPL by pagehint.ko. An object is named by an
 * opaque handle that stays valid while the object moves (page migration,
 * pool compaction). Objects are accessed by copy (zspool_read /
 * zspool_write); no pointer into the pool escapes, so the pool may move
 * any page whose objects are not being copied at that instant.
 *
 * Locking: every function may be called concurrently from any number of
 * threads on one pool. zspool_create, zspool_destroy and zspool_compact
 * may sleep; zspool_malloc sleeps only if @gfp allows it; zspool_free,
 * zspool_read, zspool_write and zspool_stats never sleep.
 */
#ifndef _PH_ZSPOOL_H
#define _PH_ZSPOOL_H

#include <linux/types.h>
#include <linux/gfp.h>

struct zspool;

/**
 * struct zspool_stats - a snapshot of one pool
 * @pages: pages the pool holds now
 * @objects: live objects
 * @slot_bytes: bytes of the slots they occupy (size class x objects)
 * @migrated: pages moved by page migration since creation
 * @migrate_busy: migration attempts refused with -EAGAIN (object in use)
 * @compactions: zspool_compact runs (on demand and shrinker)
 * @compact_moved: objects moved by compaction
 * @compact_freed: pages freed by compaction
 * @movable: pages are movable (0 on kernels without module movable ops)
 */
struct zspool_stats {
	unsigned long pages;
	unsigned long objects;
	u64 slot_bytes;
	u64 migrated;
	u64 migrate_busy;
	u64 compactions;
	u64 compact_moved;
	u64 compact_freed;
	bool movable;
};

/**
 * struct zspool_class_stats - one size class of a pool
 * @size: slot size in bytes
 * @ppz: pages per zspage
 * @opz: objects (slots) per zspage
 * @zspages: zspages of the class
 * @inuse: allocated slots
 * @sparse: zspages up to 30 % used
 * @half: zspages 30 % to 70 % used
 * @dense: zspages 70 % to 100 % used, not full
 * @full: full zspages
 */
struct zspool_class_stats {
	unsigned int size, ppz, opz;
	unsigned long zspages, inuse;
	unsigned long sparse, half, dense, full;
};

/* Largest object: one page. Smallest slot: ZSPOOL_MIN_SLOT bytes. */
#define ZSPOOL_MAX_SIZE		PAGE_SIZE

struct zspool *zspool_create(const char *name);
void zspool_destroy(struct zspool *pool);
int zspool_malloc(struct zspool *pool, size_t size, gfp_t gfp,
		  unsigned long *handle);
void zspool_free(struct zspool *pool, unsigned long handle);
int zspool_read(struct zspool *pool, unsigned long handle, void *buf,
		size_t len);
int zspool_write(struct zspool *pool, unsigned long handle, const void *buf,
		 size_t len);
unsigned long zspool_compact(struct zspool *pool);
void zspool_stats(struct zspool *pool, struct zspool_stats *st);
unsigned long zspool_pfns(struct zspool *pool, unsigned long *pfns,
			  unsigned long max);
bool zspool_movable(void);

/* For the control plane (pagehint's zspool/pools and zspool/classes). */
int zspool_class_stats(struct zspool *pool, unsigned int i,
		       struct zspool_class_stats *cs);
void zspool_for_each(void (*fn)(struct zspool *pool, void *arg), void *arg);
const char *zspool_name(struct zspool *pool);

#endif /* _PH_ZSPOOL_H */
