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
#include <linux/mm.h>

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
 * Direct ftrace calls (ph_hook_attach_direct()): an ftrace_ops filtered
 * on one function whose fentry call goes straight to a module trampoline.
 * 6.1 names the per-ops API *_direct_multi (its register_ftrace_direct()
 * takes an ip); 6.5 renamed it, and unregister frees the filter on request.
 * Without DYNAMIC_FTRACE_WITH_DIRECT_CALLS the stubs fail and the hook
 * attaches through ftrace_ops. CALL_DEPTH_ACCOUNT (6.2) keeps the return
 * stack depth of call-depth tracking right across the trampoline's call.
 */
#ifdef PH_HAVE_FTRACE_DIRECT_MULTI
#define ph_ftrace_direct_register(ops, addr)				\
	register_ftrace_direct_multi(ops, addr)
#define ph_ftrace_direct_unregister(ops, addr)				\
	unregister_ftrace_direct_multi(ops, addr)
#else
#define ph_ftrace_direct_register(ops, addr)				\
	register_ftrace_direct(ops, addr)
#define ph_ftrace_direct_unregister(ops, addr)				\
	unregister_ftrace_direct(ops, addr, false)
#endif
#include <asm/ibt.h>
#include <asm/linkage.h>
#include <asm/nospec-branch.h>
#ifndef CALL_DEPTH_ACCOUNT
#define CALL_DEPTH_ACCOUNT ""
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
 * Kernel functions pagehint resolves by address (ph_resolve()) whose
 * declaration left the public headers on newer kernels; declared here
 * with the kernel's prototype for their static call's type.
 * drain_all_pages(): linux/gfp.h up to 6.x, mm/page_alloc.h on 7.x.
 */
struct zone;
void drain_all_pages(struct zone *zone);

/*
 * The i_mmap interval tree's walkers: vma_interval_tree_iter_first/next
 * (root, start, last) until 7.x renamed them mapping_rmap_tree_iter_*,
 * taking the mapping (Kbuild greps mm.h).
 */
#ifdef PH_HAVE_MAPPING_RMAP_TREE
#define PH_VMA_ITER_FIRST		mapping_rmap_tree_iter_first
#define PH_VMA_ITER_NEXT		mapping_rmap_tree_iter_next
#define ph_vma_tree_root(mapping)	(mapping)
#else
#define PH_VMA_ITER_FIRST		vma_interval_tree_iter_first
#define PH_VMA_ITER_NEXT		vma_interval_tree_iter_next
#define ph_vma_tree_root(mapping)	(&(mapping)->i_mmap)
#endif

/*
 * ---- attach points of the page-state engine (module/states_hooks.c) ----
 * Targets and argument layouts that changed; the hook table names the
 * target, the handler reads arguments through these.
 */

/*
 * The map strategic point: page_add_file_rmap(page, vma, compound) until
 * 6.9 made it folio_add_file_rmap_ptes(folio, page, nr, vma) (and _pmd).
 */
#ifdef PH_HAVE_FOLIO_ADD_FILE_RMAP
#define PH_MAP_TARGET		"folio_add_file_rmap_ptes"
#define ph_map_folio(arg0)	((struct folio *)(arg0))
#else
#define PH_MAP_TARGET		"page_add_file_rmap"
#define ph_map_folio(arg0)	page_folio((struct page *)(arg0))
#endif

/*
 * filemap_get_pages() (static: the read path's batch lookup) takes the
 * read's remaining byte count since 6.5, an iov_iter before. That change
 * ("mm: Pass info, not iter, into filemap_get_pages()") came in the series
 * that added filemap_splice_read() to linux/fs.h: Kbuild greps for it.
 */
#ifdef PH_HAVE_FILEMAP_SPLICE_READ
#define ph_read_count(arg1)	((size_t)(arg1))
#else
#define ph_read_count(arg1)	iov_iter_count((struct iov_iter *)(arg1))
#endif

/*
 * The put of page-cache references in batches (munmap, exit, LRU
 * batches): release_pages(pages, nr) on 6.1; since 6.9 release_pages()
 * and free_pages_and_swap_cache() both end in folios_put_refs(folio_batch,
 * refs), each folio giving refs[i] references (1 without refs).
 */
#ifdef PH_HAVE_FOLIOS_PUT_REFS
#define PH_PUT_TARGET		"folios_put_refs"
#define PH_PUT_FUNC		folios_put_refs
#define PH_PUT_TYPE		void (*)(struct folio_batch *, unsigned int *)
#define ph_put_nr(a0, a1)	((int)((struct folio_batch *)(a0))->nr)
#define ph_put_page(a0, a1, i)	(&((struct folio_batch *)(a0))->folios[i]->page)
#define ph_put_refs(a0, a1, i)	((a1) ? ((unsigned int *)(a1))[i] : 1)
#else
#define PH_PUT_TARGET		"release_pages"
#define PH_PUT_FUNC		release_pages
#define PH_PUT_TYPE		void (*)(struct page **, int)
#define ph_put_nr(a0, a1)	((int)(a1))
#define ph_put_page(a0, a1, i)	(((struct page **)(a0))[i])
#define ph_put_refs(a0, a1, i)	1
#endif

/*
 * The allocators that skip the mm_page_alloc tracepoint: since memory
 * allocation profiling (6.10) the out-of-line functions are *_noprof.
 * 6.14 dropped the bulk allocator's list: its page array moved from
 * argument 5 to 4 (Kbuild greps gfp.h for the list parameter).
 */
#ifdef PH_HAVE_ALLOC_NOPROF
#define PH_BULK_TARGET		"alloc_pages_bulk_noprof"
#define PH_CONTIG_TARGET	"alloc_contig_range_noprof"
#else
#define PH_BULK_TARGET		"__alloc_pages_bulk"
#define PH_CONTIG_TARGET	"alloc_contig_range"
#endif
#ifdef PH_HAVE_BULK_LIST
#define PH_BULK_ARG_LIST	4
#define PH_BULK_ARG_ARRAY	5
#else
#define PH_BULK_ARG_LIST	-1
#define PH_BULK_ARG_ARRAY	4
#endif

/*
 * alloc_contig_range()'s third argument: a migratetype until 6.16 made it
 * acr_flags_t (ACR_FLAGS_NONE for an ordinary range).
 */
#ifdef PH_HAVE_ACR_FLAGS
#define PH_CONTIG_MOVABLE	ACR_FLAGS_NONE
#else
#define PH_CONTIG_MOVABLE	MIGRATE_MOVABLE
#endif

/*
 * Lookup by index (write_begin, fault): __filemap_get_folio(), an inline
 * wrapper of __filemap_get_folio_mpol() (same first arguments) on 7.x.
 */
#ifdef PH_HAVE_FILEMAP_GET_FOLIO_MPOL
#define PH_GET_FOLIO_TARGET	"__filemap_get_folio_mpol"
#else
#define PH_GET_FOLIO_TARGET	"__filemap_get_folio"
#endif

/* The kernel's folio batch size: linux/pagevec.h, linux/folio_batch.h on 7.x. */
#if __has_include("linux/folio_batch.h")
#include <linux/folio_batch.h>
#define PH_FOLIO_BATCH		FOLIO_BATCH_SIZE
#else
#include <linux/pagevec.h>
#define PH_FOLIO_BATCH		PAGEVEC_SIZE
#endif

/*
 * MIGRATE_SYNC_NO_COPY (migration without the copy, for a device that
 * copies with DMA) left enum migrate_mode in 6.10: an enum value, so
 * Kbuild greps migrate_mode.h.
 */
#ifdef PH_HAVE_MIGRATE_SYNC_NO_COPY
#define ph_migrate_no_copy(mode)	((mode) == MIGRATE_SYNC_NO_COPY)
#else
#define ph_migrate_no_copy(mode)	false
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
 * Balloon pages (module/balloon.c). Up to 6.x: linux/balloon_compaction.h,
 * CONFIG_BALLOON_COMPACTION, and a driver's migratepage does the core's
 * books itself (virtballoon_migratepage(): insert the new page under
 * info->pages_lock, drop the isolation count, finalize and put the old
 * page). 6.19 (7.x) renamed the header balloon.h (CONFIG_BALLOON_MIGRATION),
 * made the lock a private global and does all of that in the core: the
 * driver only answers for its device. ph_balloon_migrated() is the books
 * a driver keeps on each; ph_balloon_page_device() the balloon a page is in.
 */
#if __has_include("linux/balloon.h")
#include <linux/balloon.h>
#define PH_HAVE_BALLOON_MIGRATION	IS_ENABLED(CONFIG_BALLOON_MIGRATION)
#define ph_balloon_page_device(page)	\
	((struct balloon_dev_info *)page_private(page))

static inline void ph_balloon_migrated(struct balloon_dev_info *info,
				       struct page *newpage, struct page *page)
{
}

static inline void ph_balloon_migrated_put(struct page *page)
{
}
#else
#include <linux/balloon_compaction.h>
#define PH_HAVE_BALLOON_MIGRATION	IS_ENABLED(CONFIG_BALLOON_COMPACTION)
#define ph_balloon_page_device(page)	balloon_page_device(page)

/*
 * balloon_page_finalize() replaced balloon_page_delete() (6.1.162 in the
 * 6.1 series). Both are static inlines, so Kbuild greps the header and
 * defines PH_HAVE_BALLOON_PAGE_FINALIZE. On an isolated page, as here,
 * the two do the same.
 */
static inline void ph_balloon_migrated(struct balloon_dev_info *info,
				       struct page *newpage, struct page *page)
{
	unsigned long flags;

	get_page(newpage);	/* the balloon's reference */
	spin_lock_irqsave(&info->pages_lock, flags);
	balloon_page_insert(info, newpage);
	info->isolated_pages--;
	__count_vm_event(BALLOON_MIGRATE);
	spin_unlock_irqrestore(&info->pages_lock, flags);
#ifdef PH_HAVE_BALLOON_PAGE_FINALIZE
	balloon_page_finalize(page);
#else
	balloon_page_delete(page);
#endif
}

/* after the driver's own lock: the balloon's reference on the old page */
static inline void ph_balloon_migrated_put(struct page *page)
{
	put_page(page);
}
#endif

/*
 * Order of a free buddy block (mm/internal.h's buddy_order_unsafe(): the
 * order lives in page_private of a PageBuddy head). Racy without the zone
 * lock: callers check PageBuddy first and bound the result.
 */
#define ph_buddy_order_unsafe(page)	READ_ONCE(page_private(page))

/*
 * How many buddy orders there are (0 .. PH_NR_PAGE_ORDERS - 1). MAX_ORDER
 * was that count on 6.1, the largest order on 6.4 .. 6.7, and is gone
 * since (MAX_PAGE_ORDER, NR_PAGE_ORDERS): MAX_ORDER_NR_PAGES, the pages of
 * a largest-order block, kept its meaning through all of them.
 */
#include <linux/log2.h>
#include <linux/mmzone.h>
#define PH_NR_PAGE_ORDERS	(ilog2(MAX_ORDER_NR_PAGES) + 1)

/*
 * The low bits of folio->mapping that say what it points to:
 * PAGE_MAPPING_ANON/_FLAGS until 6.17 named them FOLIO_MAPPING_*.
 */
#ifdef FOLIO_MAPPING_FLAGS
#define PH_MAPPING_ANON		FOLIO_MAPPING_ANON
#define PH_MAPPING_FLAGS	FOLIO_MAPPING_FLAGS
#else
#define PH_MAPPING_ANON		PAGE_MAPPING_ANON
#define PH_MAPPING_FLAGS	PAGE_MAPPING_FLAGS
#endif

/*
 * Page flags of a struct page or folio: a word on 6.1 and 6.12, the word
 * inside a memdesc_flags_t since 6.17 (Kbuild greps mm_types.h).
 */
#ifdef PH_HAVE_MEMDESC_FLAGS
#define ph_flags_word(p)	((p)->flags.f)
#else
#define ph_flags_word(p)	((p)->flags)
#endif

/*
 * How many page table entries map @page of @folio: its own ptes plus the
 * folio's PMD mappings, what page_mapcount() returned until 6.12 removed
 * it (/proc/kpagecount's number). Lockless, a snapshot. A page type
 * (buddy, offline, ...) may share the counter's word: those read 0. With
 * CONFIG_NO_PAGE_MAPCOUNT the kernel keeps no count per page: the folio's
 * total, an upper bound.
 */
static inline int ph_page_mapcount(struct folio *folio, struct page *page)
{
	int mc;

	if (IS_ENABLED(CONFIG_NO_PAGE_MAPCOUNT))
		return folio_mapcount(folio);
	mc = atomic_read(&page->_mapcount) + 1;
	if (mc < 0)
		mc = 0;
	if (folio_test_large(folio))
		mc += folio_entire_mapcount(folio);
	return mc;
}

/* The file (or anon) offset of @page in @folio; page_to_index() until 6.12. */
#define ph_page_pgoff(folio, page)	((folio)->index + folio_page_idx(folio, page))

/*
 * The kernel's zsmalloc, as selftests/zsbench drives it (after including
 * linux/zsmalloc.h): zs_malloc() takes a node since 6.17; zs_obj_write()
 * replaced zs_map_object()'s write mapping (6.16); pages have the
 * PGTY_zsmalloc type since 6.10, a movable page->mapping before.
 * Kbuild greps zsmalloc.h and page-flags.h (selftests/zsbench/Kbuild).
 */
#ifdef _ZS_MALLOC_H_
#ifdef PH_HAVE_ZS_MALLOC_NID
#define ph_zs_malloc(pool, size, gfp)	zs_malloc(pool, size, gfp, NUMA_NO_NODE)
#else
#define ph_zs_malloc(pool, size, gfp)	zs_malloc(pool, size, gfp)
#endif

static inline void ph_zs_write(struct zs_pool *pool, unsigned long handle,
			       const void *src, size_t len)
{
#ifdef PH_HAVE_ZS_OBJ_WRITE
	zs_obj_write(pool, handle, (void *)src, len);
#else
	void *dst = zs_map_object(pool, handle, ZS_MM_WO);

	memcpy(dst, src, len);
	zs_unmap_object(pool, handle);
#endif
}
#endif /* _ZS_MALLOC_H_ */

/*
 * virtio_find_vqs(): 6.11 replaced its callbacks[] and names[] arrays by
 * one struct virtqueue_info[] (Kbuild greps virtio_config.h for it and
 * defines PH_HAVE_VIRTQUEUE_INFO). ph_virtio_find_vqs() takes the new
 * form everywhere: at most PH_VQS_MAX queues, an entry with a NULL name
 * is a queue the driver does not use (none is created for it).
 */
#include <linux/virtio_config.h>
#define PH_VQS_MAX	8
struct ph_vq_info {
	const char *name;
	vq_callback_t *callback;
};

static inline int ph_virtio_find_vqs(struct virtio_device *vdev,
				     unsigned int nvqs, struct virtqueue *vqs[],
				     const struct ph_vq_info *info)
{
#ifdef PH_HAVE_VIRTQUEUE_INFO
	struct virtqueue_info vi[PH_VQS_MAX] = { };
#else
	vq_callback_t *cbs[PH_VQS_MAX] = { };
	const char *names[PH_VQS_MAX] = { };
#endif
	unsigned int i;

	if (nvqs > PH_VQS_MAX)
		return -EINVAL;
	for (i = 0; i < nvqs; i++) {
#ifdef PH_HAVE_VIRTQUEUE_INFO
		vi[i].name = info[i].name;
		vi[i].callback = info[i].callback;
#else
		names[i] = info[i].name;
		cbs[i] = info[i].callback;
#endif
	}
#ifdef PH_HAVE_VIRTQUEUE_INFO
	return virtio_find_vqs(vdev, nvqs, vqs, vi, NULL);
#else
	return virtio_find_vqs(vdev, nvqs, vqs, cbs, names, NULL);
#endif
}

/*
 * page_reporting_order (mm/page_reporting.c), the smallest order the
 * kernel reports: exported since 6.12, where a value set before
 * page_reporting_register() survives it. On 6.1 it is not exported and
 * registration overwrites it (with pageblock_order for a device order of
 * 0): module/host_report.c finds it by name and writes it afterwards.
 * Either way the variable is declared only in mm/page_reporting.h.
 */
#ifdef PH_HAVE_PAGE_REPORTING_ORDER_EXPORT
extern unsigned int page_reporting_order;
#endif

/*
 * MGLRU's look-around (lru_gen_look_around(), CONFIG_LRU_GEN) clears at
 * most MIN_LRU_BATCH young ptes around an eviction look's own.
 */
#ifdef MIN_LRU_BATCH
#define PH_LRU_LOOK_BATCH	MIN_LRU_BATCH
#else
#define PH_LRU_LOOK_BATCH	BITS_PER_LONG
#endif

#endif /* _PH_COMPAT_H */
