// SPDX-License-Identifier: GPL-2.0
/*
 * pagehint page states: where the transitions happen on a stock kernel
 * (6.1, and the 6.12 and 7.x names where they differ: ph_compat.h), and
 * the policies that switch them.
 *
 * Unused / stable (seed 003), cheapest attach points:
 *   mm_page_free (tracepoint)    every page freed, in free_pages_prepare(),
 *                                before it reaches a per-CPU list -> unused
 *   mm_page_alloc (tracepoint)   end of __alloc_pages() -> stable
 *   __alloc_pages_bulk / alloc_pages_bulk_noprof (kretprobe, per call),
 *   alloc_contig_range(_noprof) (kretprobe), and the targets compaction
 *   takes without the allocator's tracepoint (ftrace): migrate_folio_move,
 *   or where that is inlined (7.x) move_to_new_folio for LRU folios plus
 *   the movable_ops callbacks balloon_page_migrate and zs_page_migrate,
 *   whose pages skip it -> stable
 *
 * Volatile (seed 000, strategic points), ftrace entry hooks:
 *   folio_unlock          the seed's unlock_page. At entry the folio is
 *                         still locked, by the caller who is releasing it
 *                         in this very call: the "locked" condition is
 *                         skipped (PH_VF_UNLOCKING). Nothing can change the
 *                         folio under that lock before it is released, and
 *                         whoever takes it next goes through a lookup.
 *                         Known references: the page cache only (the read
 *                         completion holds none), like the seed's offset 1.
 *   folio_end_read        read completion since 6.8 (hook states_unlock_read):
 *                         unlocks and sets PG_uptodate in one operation, no
 *                         folio_unlock(); both conditions are this call's
 *                         to clear (PH_VF_UNLOCKING | PH_VF_ENDING_READ).
 *                         Policy volatile_unlock.
 *   folio_end_writeback   test_clear_page_writeback; PG_writeback is
 *                         cleared by this call (PH_VF_ENDING_WB).
 *   release_pages / folios_put_refs
 *                         the put of page-cache references (munmap, exit,
 *                         LRU batches): the seed's put_page_check /
 *                         __pagevec_release_nonlru, known refs: the put's.
 *   filemap_get_pages, touch_atime
 *                         the read path's folio_put() is inline; the folios
 *                         a read looks up are remembered per CPU (ring) and
 *                         tried when the read ends (file_accessed) or the
 *                         ring needs the room, i.e. after their put. Site
 *                         "read". The read path is module/states_read.c.
 *   page_add_file_rmap / folio_add_file_rmap_ptes
 *                         map count increase; attached only while the rmap
 *                         component's per-pte check is installed (without
 *                         it a mapped page stays stable: no point to try).
 *   folio_referenced + mm_vmscan_lru_shrink_active (tracepoint)
 *                         active -> inactive: remembered while isolated,
 *                         tried once shrink_active_list() put them back.
 *   try_to_inc_max_seq (kretprobe, per aging)
 *                         the same under MGLRU, where a whole generation
 *                         turns inactive when the aging opens a new one:
 *                         its file folios are tried.
 *
 * Stable on lookup (the seed's find_get_page / follow_page / do_wp_page):
 *   filemap_get_pages     the read path's batch lookup: the range it is
 *                         about to take is made stable first, the whole read
 *                         at its first batch when it fits in the ring
 *                         (folio_mark_accessed, per folio, is the fallback
 *                         on a kernel where filemap_get_pages is inlined)
 *   __filemap_get_folio(_mpol)
 *                         write_begin, fault, ... (xa_load of the index)
 *   filemap_map_pages     fault-around: the range it maps, once per call,
 *                         with the read path's page-cache walk (states_read.c)
 *                         (filemap_fault's own lookup is __filemap_get_folio;
 *                         page_add_file_rmap, per page, is the fallback)
 *   writeback_dirty_folio (tracepoint) dirtied
 *   do_wp_page            copy-on-write source (the seed's do_wp_page; the
 *                         page its write-protected pte maps); attached
 *                         only with the rmap component's per-pte check:
 *                         without it a mapped page is never made volatile,
 *                         and the source of a copy-on-write is mapped, so
 *                         every copy-on-write of a fork's child would hit
 *                         it for nothing (make profile
 *                         PROFILE=selftests/icprof/fork.sh)
 *
 * Policies: enabled (master), unused, volatile, and one per strategic
 * point. Volatile needs the allocator hooks (a freed volatile page must
 * stop being volatile), so it is effective only with unused on. Turning
 * volatile off detaches its hooks and makes every volatile page stable;
 * turning unused back on rescans the table.
 */
#define pr_fmt(fmt) "pagehint: states: " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/uio.h>
#include <linux/kprobes.h>
#include <linux/mm_inline.h>
#include "pagehint.h"
#include "ph_hooks.h"
#include "ph_compat.h"
#include "ph_states_int.h"

static int ph_st_apply(const struct ph_policy *p, unsigned long val);

PH_POLICY(ph_st_enabled, enabled, 1, 0, 1, "0/1", ph_st_apply,
	  "page states master switch: 0 detaches every states hook");
PH_POLICY(ph_st_unused, unused, 1, 0, 1, "0/1", ph_st_apply,
	  "track free pages as unused, allocated as stable");
/* the policy is named after the C keyword: pasted, so no tool reads a qualifier */
PH_POLICY(ph_st_volatile, __PASTE(vol, atile), 1, 0, 1, "0/1", ph_st_apply,
	  "volatile page cache, stable on lookup; needs unused");
PH_POLICY(ph_st_vol_unlock, volatile_unlock, 1, 0, 1, "0/1", ph_st_apply,
	  "strategic point: folio_unlock and read completion, folio_end_read");
PH_POLICY(ph_st_vol_writeback, volatile_writeback, 1, 0, 1, "0/1", ph_st_apply,
	  "strategic point: folio_end_writeback");
PH_POLICY(ph_st_vol_put, volatile_put, 1, 0, 1, "0/1", ph_st_apply,
	  "strategic point: put of page-cache references, release_pages/folios_put_refs");
unsigned long ph_st_vol_read = 1;
__PH_POLICY(ph_st_vol_read, volatile_read, 0, 1, "0/1", ph_st_apply,
	    "strategic point: after a read() put its folios");
PH_POLICY(ph_st_vol_deactivate, volatile_deactivate, 1, 0, 1, "0/1",
	  ph_st_apply,
	  "strategic point: active -> inactive (shrink_active_list; MGLRU: the generation the aging turns inactive)");
PH_POLICY(ph_st_vol_map, volatile_map, 1, 0, 1, "0/1", ph_st_apply,
	  "strategic point: file rmap added (page_add_file_rmap/folio_add_file_rmap_ptes), with the rmap per-pte check");

/* What the policies ask for, all switches combined. */
struct ph_st_cfg {
	bool unused, vol, unlock, writeback, put, read, map, deact;
	bool mcheck;	/* the rmap component's per-pte check is installed */
};

/* ---- unused / stable ---- */

/*
 * One page freed or allocated: nearly every call is for one order-0 page,
 * stored inline rather than through ph_states_set_range()'s loop (the
 * allocator hooks' share of a fork: make profile
 * PROFILE=selftests/icprof/fork.sh).
 */
static __always_inline void ph_set_one(struct page *page, enum ph_state to,
				       enum ph_site site)
{
	unsigned long i = ph_page_index(page);

	if (likely(i < ph_tab_nr))
		ph_store_state(&ph_tab[i], page, to, site);
}

PH_HOOK_HITS(states_alloc);
PH_HOOK_HITS(states_free);

static void notrace ph_tp_alloc(struct ph_hook *h, struct page *page,
				unsigned int order, gfp_t gfp, int migratetype)
{
	this_cpu_inc(ph_hits_states_alloc);
	/* a failed allocation's NULL indexes past the table (by address) */
	if (likely(!order) && (PH_TAB_BY_ADDRESS || page))
		ph_set_one(page, PH_ST_STABLE, PH_SITE_ALLOC);
	else if (page)
		ph_states_set_range(page_to_pfn(page), 1UL << order,
				    PH_ST_STABLE, PH_SITE_ALLOC);
}

static void notrace ph_tp_free(struct ph_hook *h, struct page *page,
			       unsigned int order)
{
	this_cpu_inc(ph_hits_states_free);
	if (!order)
		ph_set_one(page, PH_ST_UNUSED, PH_SITE_FREE);
	else
		ph_states_set_range(page_to_pfn(page), 1UL << order,
				    PH_ST_UNUSED, PH_SITE_FREE);
}

struct ph_bulk_data {
	struct list_head *list;
	struct page **array;
};

static int ph_bulk_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct ph_bulk_data *d = (void *)ri->data;

	d->list = PH_BULK_ARG_LIST < 0 ? NULL :
		  (void *)regs_get_kernel_argument(regs, PH_BULK_ARG_LIST);
	d->array = (void *)regs_get_kernel_argument(regs, PH_BULK_ARG_ARRAY);
	return 0;
}

/* The bulk allocator preps pages without the mm_page_alloc tracepoint. */
static int ph_bulk_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct ph_bulk_data *d = (void *)ri->data;
	unsigned long i, nr = regs_return_value(regs);
	struct page *page;

	if (d->array) {
		for (i = 0; i < nr; i++)
			if (d->array[i])
				ph_states_set_range(page_to_pfn(d->array[i]), 1,
						    PH_ST_STABLE, PH_SITE_ALLOC);
	} else if (d->list) {
		list_for_each_entry(page, d->list, lru)
			ph_states_set_range(page_to_pfn(page), 1,
					    PH_ST_STABLE, PH_SITE_ALLOC);
	}
	return 0;
}

struct ph_contig_data {
	unsigned long start, end;
};

static int ph_contig_entry(struct kretprobe_instance *ri,
			   struct pt_regs *regs)
{
	struct ph_contig_data *d = (void *)ri->data;

	d->start = regs_get_kernel_argument(regs, 0);
	d->end = regs_get_kernel_argument(regs, 1);
	return 0;
}

static int ph_contig_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct ph_contig_data *d = (void *)ri->data;

	if (!regs_return_value(regs) && d->end > d->start)
		ph_states_set_range(d->start, d->end - d->start, PH_ST_STABLE,
				    PH_SITE_ALLOC);
	return 0;
}

/*
 * A migration target is stable: compaction's free scan takes it from the
 * buddy lists without the allocator's tracepoint. migrate_folio_move(
 * put_new_folio, private, src, dst, ...) sees every target (dst is
 * argument 3), LRU and movable_ops pages alike; move_to_new_folio(dst,
 * src, mode) does on 6.1; where migrate_folio_move is inlined (7.x) it sees
 * the LRU folios only and the movable_ops callbacks (dst page, argument 0)
 * the rest.
 */
static void ph_migrate_dst(struct folio *dst)
{
	ph_states_set_range(folio_pfn(dst), folio_nr_pages(dst), PH_ST_STABLE,
			    PH_SITE_MIGRATE);
}

/*
 * compaction_alloc(src, data) returns the target compaction's free scan
 * took for @src (a page on 6.1, a folio since: the head page either way).
 * It is called through a pointer (migrate_pages()' get_new_folio), so it
 * is never inlined: its return sees every target of compaction on every
 * kernel, also where the functions the migrate hooks below attach to are
 * inlined into some of their callers (the 6.12 debug build: compaction's
 * targets for non-LRU pages reached none of them). A target migration
 * does not use is freed with the allocator's tracepoint.
 */
static int ph_compact_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct page *dst = (void *)regs_return_value(regs);

	if (dst)
		ph_migrate_dst(page_folio(dst));
	return 0;
}

static void ph_ft_migrate(struct ph_hook *h, unsigned long ip,
			  struct ftrace_regs *fregs)
{
	ph_migrate_dst((void *)ph_ftrace_arg(fregs, 3));
}

static void ph_ft_migrate_new(struct ph_hook *h, unsigned long ip,
			      struct ftrace_regs *fregs)
{
	ph_migrate_dst((void *)ph_ftrace_arg(fregs, 0));
}

static void ph_ft_migrate_mops(struct ph_hook *h, unsigned long ip,
			       struct ftrace_regs *fregs)
{
	ph_migrate_dst(page_folio((struct page *)ph_ftrace_arg(fregs, 0)));
}

/* ---- volatile: strategic points ---- */

/*
 * folio_unlock(): the per-pte check inside the try takes and drops the
 * folio lock itself, with ph_st_in_check set (interrupts off, under the
 * state-change lock): that unlock returns here at once.
 */
static void ph_unlock(unsigned long a0, unsigned long a1, unsigned long a2)
{
	struct folio *folio = (void *)a0;

	if (__this_cpu_read(ph_st_in_check))
		return;
	__ph_try_volatile(folio, PH_SITE_UNLOCK, 0, PH_VF_UNLOCKING);
}

/* folio_end_read(folio, success): a failed read leaves it not uptodate. */
static void ph_ft_end_read(struct ph_hook *h, unsigned long ip,
			   struct ftrace_regs *fregs)
{
	struct folio *folio = (void *)ph_ftrace_arg(fregs, 0);

	if (ph_ftrace_arg(fregs, 1) & 1)
		__ph_try_volatile(folio, PH_SITE_UNLOCK, 0,
				  PH_VF_UNLOCKING | PH_VF_ENDING_READ);
}

static void ph_ft_end_writeback(struct ph_hook *h, unsigned long ip,
				struct ftrace_regs *fregs)
{
	struct folio *folio = (void *)ph_ftrace_arg(fregs, 0);

	__ph_try_volatile(folio, PH_SITE_WRITEBACK, 0, PH_VF_ENDING_WB);
}

/*
 * One page the batch put drops @refs references of, past the common
 * case's test (ph_release()); @mcheck: rmap's per-pte check is on.
 */
static noinline void notrace ph_release_one(struct page *page,
					    unsigned int refs, bool mcheck)
{
	struct folio *folio;

	/* 7.x: an LRU drain may have taken the entry out of the batch */
	if (unlikely(!page))
		return;
	folio = page_folio(page);
	/* a large folio whose page is not mapped asks folio_mapped() */
	if (!mcheck && folio_test_large(folio) && folio_mapped(folio))
		return;
	if (!ph_folio_is_candidate(folio) || folio_ref_count(folio) <= refs)
		return;
	__ph_try_volatile(folio, PH_SITE_PUT, refs, 0);
}

/*
 * release_pages(pages, nr) or folios_put_refs(folios, refs) (ph_compat.h):
 * each entry gives its references back. Nothing here calls either
 * (PH_HOOK_NORECURSE). Most pages an exit releases are still mapped
 * elsewhere (shared text and libraries: make profile
 * PROFILE=selftests/icprof/fork.sh) and stay stable; a mapped page's folio
 * is mapped, so without rmap's per-pte check the loop tests the page's
 * own mapcount and goes on: that test is all those pages cost, and
 * everything else is out of line. Inline in its two callers, the direct
 * hook's C half and the ftrace_ops fallback.
 */
static __always_inline void ph_release(unsigned long a0, unsigned long a1,
				       unsigned long a2)
{
	int i, nr = ph_put_nr(a0, a1);
	struct page *page;

	if (unlikely(READ_ONCE(ph_mapped_check))) {
		for (i = 0; i < nr; i++)
			ph_release_one(ph_put_page(a0, a1, i),
				       ph_put_refs(a0, a1, i), true);
		return;
	}
	/*
	 * Unrolled: a mapped page is two loads and two branches, and the
	 * loop's own add, compare and branch would be as many again.
	 */
#pragma GCC unroll 4
	for (i = 0; i < nr; i++) {
		page = ph_put_page(a0, a1, i);
		if (likely(page) && atomic_read(&page->_mapcount) >= 0)
			continue;
		ph_release_one(page, ph_put_refs(a0, a1, i), false);
	}
}


/* ---- stable on lookup ---- */


static void ph_ft_get_folio(struct ph_hook *h, unsigned long ip,
			    struct ftrace_regs *fregs)
{
	struct address_space *mapping = (void *)ph_ftrace_arg(fregs, 0);
	pgoff_t index = ph_ftrace_arg(fregs, 1);
	struct folio *folio;

	/* under RCU the struct page stays; make_stable needs no reference */
	rcu_read_lock();
	folio = xa_load(&mapping->i_pages, index);
	if (folio && !xa_is_value(folio))
		ph_lookup_stable(folio, PH_SITE_LOOKUP);
	rcu_read_unlock();
}

static void ph_ft_map(struct ph_hook *h, unsigned long ip,
		      struct ftrace_regs *fregs)
{
	struct folio *folio = ph_map_folio(ph_ftrace_arg(fregs, 0));

	ph_lookup_stable(folio, PH_SITE_MAP);
	/*
	 * The fault paths (finish_fault, filemap_map_pages) map a locked
	 * folio: the try belongs to the folio_unlock() that follows, and
	 * would be refused here ("locked") at the cost of a full check on
	 * every page a child of fork() maps.
	 */
	if (folio_test_locked(folio))
		return;
	/* the new pte's reference is already counted, its map count not */
	if (READ_ONCE(ph_mapped_check) && READ_ONCE(ph_st_vol_map))
		__ph_try_volatile(folio, PH_SITE_MAP, 1, 0);
}


static void ph_tp_dirty(struct ph_hook *h, struct folio *folio,
			struct address_space *mapping)
{
	ph_hook_hit(h);
	ph_lookup_stable(folio, PH_SITE_DIRTY);
}

/*
 * do_wp_page(vmf): a write to a present, write-protected pte, under its
 * page table lock; the page vmf->orig_pte maps is about to be copied
 * (wp_page_copy(), inlined here since 6.x) or written in place. Either way
 * it is stable first. A pfn without a struct page (a PFN map) or outside
 * the table is left alone.
 */
static void ph_ft_cow(struct ph_hook *h, unsigned long ip,
		      struct ftrace_regs *fregs)
{
	struct vm_fault *vmf = (void *)ph_ftrace_arg(fregs, 0);
	pte_t pte = vmf->orig_pte;
	struct page *page;

	if (!pte_present(pte))
		return;
	page = pfn_to_online_page(pte_pfn(pte));
	if (page)
		ph_lookup_stable(page_folio(page), PH_SITE_COW);
}

/* ---- the table of attach points ---- */

/*
 * One name per strategic point: policy volatile_NAME, hook states_NAME
 * (a second hook of the same point states_NAME_WHAT), site PH_SITE_NAME,
 * index PH_HK_states_NAME.
 */
#define PH_ST_HOOKS(H)							\
	(H(states_alloc, TRACEPOINT, "mm_page_alloc", 0,		\
	   .tp_probe = ph_tp_alloc, PH_HOOK_HITS_FIELD(states_alloc))	\
	 H(states_free, TRACEPOINT, "mm_page_free", 0,			\
	   .tp_probe = ph_tp_free, PH_HOOK_HITS_FIELD(states_free))	\
	 H(states_alloc_bulk, KRETPROBE, PH_BULK_TARGET,		\
	   PH_HOOK_OPTIONAL, .krp_entry = ph_bulk_entry,		\
	   .krp_ret = ph_bulk_ret,					\
	   .krp_data_size = sizeof(struct ph_bulk_data))		\
	 H(states_alloc_contig, KRETPROBE, PH_CONTIG_TARGET,		\
	   PH_HOOK_OPTIONAL, .krp_entry = ph_contig_entry,		\
	   .krp_ret = ph_contig_ret,					\
	   .krp_data_size = sizeof(struct ph_contig_data))		\
	 H(states_compact, KRETPROBE, "compaction_alloc", PH_HOOK_OPTIONAL, \
	   .krp_ret = ph_compact_ret)					\
	 H(states_migrate, FTRACE, "migrate_folio_move", PH_HOOK_OPTIONAL, \
	   .ftrace_fn = ph_ft_migrate)					\
	 H(states_migrate_new, FTRACE, "move_to_new_folio",		\
	   PH_HOOK_OPTIONAL, .ftrace_fn = ph_ft_migrate_new)		\
	 H(states_migrate_balloon, FTRACE, "balloon_page_migrate",	\
	   PH_HOOK_OPTIONAL, .ftrace_fn = ph_ft_migrate_mops)		\
	 H(states_migrate_zs, FTRACE, "zs_page_migrate",		\
	   PH_HOOK_OPTIONAL, .ftrace_fn = ph_ft_migrate_mops)		\
	 H(states_unlock, FTRACE, "folio_unlock", PH_HOOK_NORECURSE,	\
	   .ftrace_fn = ph_ft_unlock, PH_DIRECT_TRAMP_DECL(states_unlock)) \
	 H(states_unlock_read, FTRACE, "folio_end_read",		\
	   PH_HOOK_OPTIONAL | PH_HOOK_NORECURSE,			\
	   .ftrace_fn = ph_ft_end_read)					\
	 H(states_writeback, FTRACE, "folio_end_writeback", 0,		\
	   .ftrace_fn = ph_ft_end_writeback)				\
	 H(states_put, FTRACE, PH_PUT_TARGET, PH_HOOK_NORECURSE,	\
	   .ftrace_fn = ph_ft_release, PH_DIRECT_TRAMP_DECL(states_put)) \
	 H(states_read, FTRACE, "filemap_get_pages",			\
	   PH_HOOK_OPTIONAL | PH_HOOK_NORECURSE,			\
	   .ftrace_fn = ph_ft_read_batch, PH_DIRECT_TRAMP_DECL(states_read)) \
	 H(states_read_end, FTRACE, "touch_atime",			\
	   PH_HOOK_OPTIONAL | PH_HOOK_NORECURSE,			\
	   .ftrace_fn = ph_ft_read_end,					\
	   PH_DIRECT_TRAMP_DECL(states_read_end))			\
	 H(states_deactivate_ref, FTRACE, "folio_referenced",		\
	   PH_HOOK_OPTIONAL, .ftrace_fn = ph_ft_referenced)		\
	 H(states_deactivate, TRACEPOINT, "mm_vmscan_lru_shrink_active", \
	   PH_HOOK_OPTIONAL, .tp_probe = ph_tp_shrink_active)		\
	 H(states_deactivate_aging, KRETPROBE, "try_to_inc_max_seq",	\
	   PH_HOOK_OPTIONAL, .krp_entry = ph_age_entry,			\
	   .krp_ret = ph_age_ret,					\
	   .krp_data_size = sizeof(struct ph_age_data))		\
	 H(states_lookup_accessed, FTRACE, "folio_mark_accessed", 0,	\
	   .ftrace_fn = ph_ft_accessed)					\
	 H(states_lookup_get, FTRACE, PH_GET_FOLIO_TARGET,		\
	   PH_HOOK_NORECURSE, .ftrace_fn = ph_ft_get_folio)		\
	 H(states_map_pages, FTRACE, "filemap_map_pages",		\
	   PH_HOOK_OPTIONAL | PH_HOOK_NORECURSE,			\
	   .ftrace_fn = ph_ft_map_pages,				\
	   PH_DIRECT_TRAMP_DECL(states_map_pages))			\
	 H(states_map, FTRACE, PH_MAP_TARGET, 0,			\
	   .ftrace_fn = ph_ft_map)					\
	 H(states_dirty, TRACEPOINT, "writeback_dirty_folio", 0,	\
	   .tp_probe = ph_tp_dirty)					\
	 H(states_cow, FTRACE, "do_wp_page", PH_HOOK_NORECURSE,		\
	   .ftrace_fn = ph_ft_cow))

enum { PH_LIST(PH_ST_HOOKS(PH_HOOK_ID)) PH_ST_NR_HOOKS };

/* the per-page and per-read hooks: direct calls where the kernel lets */
PH_DIRECT_PROTO(states_unlock);
PH_DIRECT_PROTO(states_put);
PH_DIRECT_PROTO(states_read);
PH_DIRECT_PROTO(states_read_end);
PH_DIRECT_PROTO(states_map_pages);
PH_FTRACE_ARGS(ph_ft_unlock, ph_unlock)
PH_FTRACE_ARGS(ph_ft_release, ph_release)
PH_FTRACE_ARGS(ph_ft_read_batch, ph_read_batch)
PH_FTRACE_ARGS(ph_ft_read_end, ph_read_end)
PH_FTRACE_ARGS(ph_ft_map_pages, ph_map_pages)

static struct ph_hook ph_st_hooks[PH_ST_NR_HOOKS] = {
	PH_LIST(PH_ST_HOOKS(PH_HOOK_DEF))
};

/* the trampolines that save fewer than six argument registers */
PH_DIRECT_ARGS_CHECK(folio_unlock, void (*)(struct folio *));
PH_DIRECT_ARGS_CHECK(PH_PUT_FUNC, PH_PUT_TYPE);
PH_DIRECT_ARGS_CHECK(filemap_map_pages,
		     vm_fault_t (*)(struct vm_fault *, pgoff_t, pgoff_t));
PH_DIRECT_ARGS_CHECK(touch_atime, void (*)(const struct path *));
PH_DIRECT_TRAMP(states_unlock, ph_unlock, 1);
PH_DIRECT_TRAMP(states_put, ph_release, 2);
/* filemap_get_pages() is static: no declaration to check, all six */
PH_DIRECT_TRAMP(states_read, ph_read_batch, 6);
PH_DIRECT_TRAMP(states_read_end, ph_read_end, 1);
PH_DIRECT_TRAMP(states_map_pages, ph_map_pages, 3);

/* Does configuration @c want hook @i attached? */
static bool ph_st_wants(const struct ph_st_cfg *c, int i)
{
	switch (i) {
	case PH_HK_states_alloc:
	case PH_HK_states_free:
	case PH_HK_states_alloc_bulk:
	case PH_HK_states_alloc_contig:
	case PH_HK_states_compact:
	case PH_HK_states_migrate:
		return c->unused;
	case PH_HK_states_migrate_new:	/* without states_migrate */
	case PH_HK_states_migrate_balloon:
	case PH_HK_states_migrate_zs:
		return c->unused &&
		       !ph_st_hooks[PH_HK_states_migrate].available;
	case PH_HK_states_unlock:
	case PH_HK_states_unlock_read:
		return c->vol && c->unlock;
	case PH_HK_states_writeback:
		return c->vol && c->writeback;
	case PH_HK_states_put:
		return c->vol && c->put;
	case PH_HK_states_read_end:
		return c->vol && c->read;
	case PH_HK_states_lookup_accessed:	/* without states_read */
		return c->vol && !ph_st_hooks[PH_HK_states_read].available;
	case PH_HK_states_deactivate_ref:
	case PH_HK_states_deactivate:
	case PH_HK_states_deactivate_aging:
		return c->vol && c->deact;
	case PH_HK_states_cow:	/* only a page checked per pte is volatile */
		return c->vol && c->mcheck;
	case PH_HK_states_map:	/* the strategic point, or the fallback lookup */
		return c->vol && ((c->mcheck && c->map) ||
				  !ph_st_hooks[PH_HK_states_map_pages].available);
	default:	/* lookups: whenever volatile pages may exist */
		return c->vol;
	}
}

/* The configuration if policy @p had value @val (NULL: as they are). */
static void ph_st_cfg(struct ph_st_cfg *c, const struct ph_policy *p,
		      unsigned long val)
{
#define PV(var) (p == &var##_policy ? val : READ_ONCE(var))
	bool on = PV(ph_st_enabled);

	c->unused = on && PV(ph_st_unused);
	c->vol = c->unused && PV(ph_st_volatile);
	c->unlock = PV(ph_st_vol_unlock);
	c->writeback = PV(ph_st_vol_writeback);
	c->put = PV(ph_st_vol_put);
	c->read = PV(ph_st_vol_read);
	c->map = PV(ph_st_vol_map);
	c->deact = PV(ph_st_vol_deactivate);
	c->mcheck = READ_ONCE(ph_mapped_check);
#undef PV
}

/* Current configuration, under ph_policy_lock. */
static struct ph_st_cfg ph_st_now;

static int ph_st_reconfigure(const struct ph_st_cfg *old,
			     const struct ph_st_cfg *new)
{
	int i, ret;

	for (i = PH_ST_NR_HOOKS - 1; i >= 0; i--)
		if (!ph_st_wants(new, i))
			ph_hook_detach(&ph_st_hooks[i]);
	if (old->vol && !new->vol) {
		ph_states_forget();
		ph_states_sweep_volatile(false);
	}
	for (i = 0; i < PH_ST_NR_HOOKS; i++) {
		if (!ph_st_wants(new, i) || !ph_st_hooks[i].available)
			continue;
		ret = ph_hook_attach(&ph_st_hooks[i]);
		if (ret)
			return ret;
	}
	if (new->unused && !old->unused) {
		ph_states_unscan();
		ph_states_scan(true, new->vol);
	} else if (new->vol && !old->vol) {
		ph_states_scan(true, true);
	}
	return 0;
}

/* Policy @p (NULL: none) takes value @val: the hooks follow. */
static int ph_st_apply(const struct ph_policy *p, unsigned long val)
{
	struct ph_st_cfg new;
	int ret;

	if (!ph_tab)	/* module parameter at load: init applies it */
		return 0;
	ph_st_cfg(&new, p, val);
	ret = ph_st_reconfigure(&ph_st_now, &new);
	if (ret) {
		ph_st_reconfigure(&new, &ph_st_now);
		return ret;
	}
	ph_st_now = new;
	return 0;
}

/* The per-pte check came or went (ph_policy_lock held): reattach. */
int ph_states_hooks_recheck(void)
{
	lockdep_assert_held(&ph_policy_lock);
	return ph_st_apply(NULL, 0);
}

int ph_states_hooks_init(void)
{
	static const struct ph_st_cfg off;
	int ret;

	ret = ph_hooks_register("states", ph_st_hooks, PH_ST_NR_HOOKS);
	if (ret)
		return ret;
	ph_policy_add(&ph_st_enabled_policy);
	ph_policy_add(&ph_st_unused_policy);
	ph_policy_add(&ph_st_volatile_policy);
	ph_policy_add(&ph_st_vol_unlock_policy);
	ph_policy_add(&ph_st_vol_writeback_policy);
	ph_policy_add(&ph_st_vol_put_policy);
	ph_policy_add(&ph_st_vol_read_policy);
	ph_policy_add(&ph_st_vol_map_policy);
	ph_policy_add(&ph_st_vol_deactivate_policy);

	mutex_lock(&ph_policy_lock);
	ph_st_cfg(&ph_st_now, NULL, 0);
	ret = ph_st_reconfigure(&off, &ph_st_now);
	if (!ret && !ph_st_now.unused)
		ph_states_scan(true, false);	/* a snapshot, not tracked */
	mutex_unlock(&ph_policy_lock);
	if (ret)
		ph_hooks_unregister(ph_st_hooks, PH_ST_NR_HOOKS);
	return ret;
}

void ph_states_hooks_exit(void)
{
	ph_hooks_unregister(ph_st_hooks, PH_ST_NR_HOOKS);
	ph_states_forget();
}
