// SPDX-License-Identifier: GPL-2.0
/*
 * pagehint page states: where the transitions happen on a stock 6.1
 * kernel, and the policies that switch them.
 *
 * Unused / stable (seed 003), cheapest attach points:
 *   mm_page_free (tracepoint)    every page freed, in free_pages_prepare(),
 *                                before it reaches a per-CPU list -> unused
 *   mm_page_alloc (tracepoint)   end of __alloc_pages() -> stable
 *   __alloc_pages_bulk (kretprobe, per call), alloc_contig_range
 *   (kretprobe), move_to_new_folio (ftrace: migration targets taken by
 *   compaction without the allocator's tracepoint) -> stable
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
 *   folio_end_writeback   test_clear_page_writeback; PG_writeback is
 *                         cleared by this call (PH_VF_ENDING_WB).
 *   release_pages         the put of page-cache references (munmap, LRU
 *                         batches): the seed's put_page_check /
 *                         __pagevec_release_nonlru, known refs: the one put.
 *   filemap_get_pages, touch_atime
 *                         the read path's folio_put() is inline; the folios
 *                         a read looks up are remembered per CPU (ring) and
 *                         tried when the read ends (file_accessed) or the
 *                         ring needs the room, i.e. after their put. Site
 *                         "put".
 *   page_add_file_rmap    map count increase; attached only while the rmap
 *                         component's per-pte check is installed (without
 *                         it a mapped page stays stable: no point to try).
 *   folio_referenced + mm_vmscan_lru_shrink_active (tracepoint)
 *                         active -> inactive: remembered while isolated,
 *                         tried once shrink_active_list() put them back.
 *
 * Stable on lookup (the seed's find_get_page / follow_page / do_wp_page):
 *   filemap_get_pages     the read path's batch lookup: the range it is
 *                         about to take is made stable first, the whole read
 *                         at its first batch when it fits in the ring
 *                         (folio_mark_accessed, per folio, is the fallback
 *                         on a kernel where filemap_get_pages is inlined)
 *   __filemap_get_folio   write_begin, fault, ... (xa_load of the index)
 *   filemap_map_pages     fault-around: the range it maps, once per call
 *                         (filemap_fault's own lookup is __filemap_get_folio;
 *                         page_add_file_rmap, per page, is the fallback)
 *   writeback_dirty_folio (tracepoint) dirtied
 *   wp_page_copy          copy-on-write source; attached only with the rmap
 *                         component's per-pte check: without it a mapped
 *                         page is never made volatile, and the source of a
 *                         copy-on-write is mapped (about 10 hits a fork
 *                         + exit for nothing: detaching it took 621 guest
 *                         instructions off each, selftests/icprof fork.sh)
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
#include <linux/pagevec.h>
#include <linux/uio.h>
#include <linux/kprobes.h>
#include <linux/seq_file.h>
#include "pagehint.h"
#include "ph_hooks.h"
#include "ph_compat.h"
#include "ph_states_int.h"

static int ph_st_apply(const struct ph_policy *p, unsigned long val);

PH_POLICY(ph_st_enabled, enabled, 1, 0, 1, NULL, ph_st_apply,
	  "page states master switch: 0 detaches every states hook (default 1)");
PH_POLICY(ph_st_unused, unused, 1, 0, 1, NULL, ph_st_apply,
	  "track free pages as unused, allocated as stable (default 1)");
PH_POLICY(ph_st_volatile, volatile, 1, 0, 1, NULL, ph_st_apply,
	  "volatile page cache, stable on lookup; needs unused (default 1)");
PH_POLICY(ph_st_vol_unlock, volatile_unlock, 1, 0, 1, NULL, ph_st_apply,
	  "strategic point: folio_unlock (default 1)");
PH_POLICY(ph_st_vol_writeback, volatile_writeback, 1, 0, 1, NULL, ph_st_apply,
	  "strategic point: folio_end_writeback (default 1)");
PH_POLICY(ph_st_vol_put, volatile_put, 1, 0, 1, NULL, ph_st_apply,
	  "strategic point: put of page-cache references, release_pages (default 1)");
PH_POLICY(ph_st_vol_read, volatile_read, 1, 0, 1, NULL, ph_st_apply,
	  "strategic point: after a read() dropped its folios (default 1)");
PH_POLICY(ph_st_vol_deactivate, volatile_deactivate, 1, 0, 1, NULL,
	  ph_st_apply,
	  "strategic point: active -> inactive in shrink_active_list (default 1)");
PH_POLICY(ph_st_vol_map, volatile_map, 1, 0, 1, NULL, ph_st_apply,
	  "strategic point: page_add_file_rmap, with the rmap per-pte check (default 1)");

/* What the policies ask for, all switches combined. */
struct ph_st_cfg {
	bool unused, vol, unlock, writeback, put, read, map, deact;
	bool mcheck;	/* the rmap component's per-pte check is installed */
};

/* ---- unused / stable ---- */

/*
 * One page freed or allocated: order 0, nearly every call (fork + exit
 * allocates about 20 pages and frees about 20 for each child), stored
 * inline.
 * ph_states_set_range() and its loop took 62 guest instructions a call
 * (selftests/icprof, fork.sh).
 */
static __always_inline void ph_set_one(struct page *page, enum ph_state to,
				       enum ph_site site)
{
	unsigned long i = ph_page_index(page);

	if (likely(i < ph_tab_nr))
		ph_store_state(&ph_tab[i], page_to_pfn(page), to, site);
}

static void ph_tp_alloc(struct ph_hook *h, struct page *page,
			unsigned int order, gfp_t gfp, int migratetype)
{
	ph_hook_hit(h);
	if (!page)
		return;
	if (!order)
		ph_set_one(page, PH_ST_STABLE, PH_SITE_ALLOC);
	else
		ph_states_set_range(page_to_pfn(page), 1UL << order,
				    PH_ST_STABLE, PH_SITE_ALLOC);
}

static void ph_tp_free(struct ph_hook *h, struct page *page,
		       unsigned int order)
{
	ph_hook_hit(h);
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

	d->list = (void *)regs_get_kernel_argument(regs, 4);
	d->array = (void *)regs_get_kernel_argument(regs, 5);
	return 0;
}

/* __alloc_pages_bulk() preps pages without the mm_page_alloc tracepoint. */
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

/* move_to_new_folio(dst, src, mode): dst came from compaction's free scan. */
static void ph_ft_migrate(struct ph_hook *h, unsigned long ip,
			  struct ftrace_regs *fregs)
{
	struct folio *dst = (void *)ph_ftrace_arg(fregs, 0);

	ph_states_set_range(folio_pfn(dst), folio_nr_pages(dst), PH_ST_STABLE,
			    PH_SITE_MIGRATE);
}

/* ---- volatile: strategic points ---- */

/*
 * folio_unlock(): the per-pte check inside the try takes and drops the
 * folio lock itself, with ph_st_in_check set (interrupts off, under the
 * state-change lock): that unlock returns here at once.
 */
static void ph_ft_unlock(struct ph_hook *h, unsigned long ip,
			 struct ftrace_regs *fregs)
{
	struct folio *folio = (void *)ph_ftrace_arg(fregs, 0);

	if (__this_cpu_read(ph_st_in_check))
		return;
	__ph_try_volatile(folio, PH_SITE_UNLOCK, 0, PH_VF_UNLOCKING);
}

static void ph_ft_end_writeback(struct ph_hook *h, unsigned long ip,
				struct ftrace_regs *fregs)
{
	struct folio *folio = (void *)ph_ftrace_arg(fregs, 0);

	__ph_try_volatile(folio, PH_SITE_WRITEBACK, 0, PH_VF_ENDING_WB);
}

/* One page release_pages() puts; @mcheck: rmap's per-pte check is on. */
static __always_inline void ph_release_one(struct page *page, bool mcheck)
{
	struct folio *folio;

	/*
	 * Still mapped elsewhere and no per-pte check installed: it stays
	 * stable, skip it quietly. Tested first, on the page: at exit most
	 * pages are shared text and libraries (72 % of the pages 200 fork +
	 * exit released, selftests/icprof fork.sh), and a mapped page's
	 * folio is mapped. A large folio whose page is not mapped asks
	 * folio_mapped().
	 */
	if (!mcheck && atomic_read(&page->_mapcount) >= 0)
		return;
	folio = page_folio(page);
	if (!mcheck && folio_test_large(folio) && folio_mapped(folio))
		return;
	if (!ph_folio_is_candidate(folio) || folio_ref_count(folio) <= 1)
		return;
	__ph_try_volatile(folio, PH_SITE_PUT, 1, 0);
}

/*
 * release_pages(pages, nr): each page gives one reference back. Nothing
 * here calls release_pages() (PH_HOOK_NORECURSE). One loop per @mcheck
 * value: the skip above is 9 guest instructions a page.
 */
static void ph_ft_release(struct ph_hook *h, unsigned long ip,
			  struct ftrace_regs *fregs)
{
	struct page **pages = (void *)ph_ftrace_arg(fregs, 0);
	int i, nr = (int)ph_ftrace_arg(fregs, 1);

	if (READ_ONCE(ph_mapped_check)) {
		for (i = 0; i < nr; i++)
			ph_release_one(pages[i], true);
	} else {
		for (i = 0; i < nr; i++)
			ph_release_one(pages[i], false);
	}
}

/*
 * The read path, per read, not per folio: a hook hit that does nothing
 * costs about 50 guest instructions (the ftrace trampoline and our thunk),
 * 1 % of a cached 4 KiB read before any work is done. filemap_read()
 * takes its folios in batches of up to 15 through filemap_get_pages(iocb,
 * iter, fbatch), puts them (inline folio_put) before the next batch, and
 * ends with file_accessed() -> touch_atime().
 *
 * At the read's first filemap_get_pages(), its whole range (up to PH_RING
 * pages; a longer read one batch at a time) is walked under RCU: volatile
 * folios are made stable before the lookups take them (the seed's
 * find_get_page) and every folio is remembered in this CPU's ring. The
 * read's later batches find their range walked and return. At
 * touch_atime(), or at the next walk that needs the room, i.e. after
 * their put, the remembered folios are tried volatile (site put). The ring
 * holds no references: see ph_ring_try().
 *
 * Between the walk and the lookup's own reference another CPU could make a
 * folio volatile again; the host side cannot discard it from under the
 * read anyway (invalidation refuses a folio with an extra reference). A
 * read preempted mid-way may see its ring tried by another read on the
 * same CPU: the folios it still holds are refused (refcount) and stay
 * stable; the rest of its range is walked again at its next batch.
 */
/*
 * ph_xa_leaf() - the leaf node of @xa that holds @index
 * @xa: the page cache's xarray
 * @index: the index
 * @entry: set when there is no leaf: what stands above the leaves at
 *	@index (a large folio's entry, a hole, a retry entry, or the root's
 *	single entry for index 0)
 * @next: set when there is no leaf: the first index past @entry's span,
 *	0 when nothing lies past it
 *
 * xas_load()'s descent without the xa_state (xas_start(), xas_descend()):
 * it took 65 guest instructions a call, as much as fault-around's walk of
 * 3 slots (selftests/icprof, fork.sh). The caller has preemption or
 * interrupts off, an RCU read-side critical section since v4.20 (xarray
 * nodes are freed by call_rcu()): rcu_dereference_sched(), and lockdep
 * checks it.
 */
static __always_inline struct xa_node *ph_xa_leaf(struct xarray *xa,
						  pgoff_t index, void **entry,
						  pgoff_t *next)
{
	void *e = rcu_dereference_sched(xa->xa_head);
	struct xa_node *node;
	unsigned int off;

	if (!xa_is_node(e)) {
		*entry = index ? NULL : e;
		*next = 0;
		return NULL;
	}
	node = xa_to_node(e);
	if ((index >> node->shift) > XA_CHUNK_MASK) {	/* beyond the tree */
		*entry = NULL;
		*next = 0;
		return NULL;
	}
	while (node->shift) {
		off = (index >> node->shift) & XA_CHUNK_MASK;
		e = rcu_dereference_sched(node->slots[off]);
		if (xa_is_sibling(e))
			e = rcu_dereference_sched(node->slots[xa_to_sibling(e)]);
		if (!xa_is_node(e)) {
			*entry = e;
			*next = ((index >> node->shift) + 1) << node->shift;
			return NULL;
		}
		node = xa_to_node(e);
	}
	return node;
}

/*
 * ph_walk_cache() - call @fn on every folio cached at [@index, @last]
 * @mapping: the page cache
 * @index: first index
 * @last: last index
 * @fn: called with preemption off, without a reference, on each folio in
 *	the table once (a large folio's sibling slots are skipped), with its
 *	state byte
 * @arg: for @fn
 *
 * The read and fault-around hooks walk every index they are about to look
 * up, with preemption or interrupts off (see ph_xa_leaf()). xas_next()
 * with the checks its users need cost about 35 guest instructions an index
 * (selftests/icprof on ph_ft_read_batch): here the leaf node is found once
 * per 64 indices and its slots are read directly, 15 instructions a slot
 * holding a stable folio (fork.sh, fault-around). An empty slot needs no
 * test of its own: NULL's table index is out of range (ph_entry_index()).
 * Shadow entries and siblings are skipped; a retry entry (the node is
 * being replaced) loads that index from the root again, a few times at
 * most. The table's address, bias and size stay in registers.
 */
static __always_inline void ph_walk_cache(struct address_space *mapping,
					  pgoff_t index, pgoff_t last,
					  void (*fn)(struct folio *folio,
						     u8 *b, void *arg),
					  void *arg)
{
	const unsigned long bias = ph_tab_bias, nr = ph_tab_nr;
	u8 *const tab = ph_tab;
	void __rcu **slot, **end;
	unsigned int retries = 0;
	struct xa_node *node;
	pgoff_t base, next;
	unsigned long i;
	void *entry;

	while (index <= last) {
		node = ph_xa_leaf(&mapping->i_pages, index, &entry, &next);
		if (!node) {
			if (unlikely(xa_is_retry(entry)) && retries++ < 4)
				continue;
			i = ph_entry_index(entry, bias);
			if (!xa_is_internal(entry) && !xa_is_value(entry) &&
			    i < nr)
				fn(entry, &tab[i], arg);
			if (!next)
				return;
			index = next;
			continue;
		}
		base = index & ~(pgoff_t)XA_CHUNK_MASK;
		end = &node->slots[min_t(pgoff_t, XA_CHUNK_MASK, last - base)];
		for (slot = &node->slots[index - base]; slot <= end; slot++) {
			entry = rcu_dereference_sched(*slot);
			if (likely(!((unsigned long)entry & 3))) {
				i = ph_entry_index(entry, bias);
				if (i < nr)
					fn(entry, &tab[i], arg);
				continue;
			}
			if (unlikely(xa_is_retry(entry)) && retries++ < 4)
				break;
		}
		index = base + (slot - node->slots);
	}
}

#define PH_RING	64
struct ph_ring {
	unsigned int n;
	/*
	 * The read whose whole range the last walk took (NULL: none): the
	 * later batches of that read, up to @last, need no walk. Any flush
	 * ends it.
	 */
	const struct kiocb *iocb;
	struct address_space *mapping;
	pgoff_t last;
	struct ph_ring_entry {
		struct folio *folio;
		u8 *b;		/* its state byte */
	} e[PH_RING];
};
/*
 * Used with interrupts off, by the read hooks and the per-folio fallback
 * (which an interrupt could reach): entries are added and tried in place.
 */
static DEFINE_PER_CPU(struct ph_ring, ph_ring);

/*
 * Try @folio volatile at its put, from the ring: no reference held.
 *
 * Fast path, a stable small folio: take the state-change lock, check the
 * conditions in one snapshot with the page cache's reference as the only
 * one, and store volatile with cmpxchg from the locked value. The allocator
 * hooks store the byte without the lock (a page being freed or allocated
 * has no other user), so a folio freed or reused while we looked fails
 * the cmpxchg and keeps what its hooks stored. A folio reused before we
 * took the lock is checked as what it is now: the conditions are the
 * folio's, whatever the ring remembered.
 *
 * Everything else (not stable, a refusal, a large folio) takes a reference
 * and the full path, which counts the reason; the candidate test (page
 * cache, not mapped) is only needed there. True if the fast path made it.
 */
static __always_inline bool ph_ring_try(struct folio *folio, u8 *b)
{
	u8 old = PH_ST_STABLE;

	if (try_cmpxchg(b, &old, PH_ST_STABLE | PH_SC_LOCK)) {
		old = PH_ST_STABLE | PH_SC_LOCK;
		if (ph_volatile_quick(folio, 0, 0)) {
			if (!try_cmpxchg(b, &old, PH_ST_VOLATILE))
				return false;
			trace_page_state(folio_pfn(folio), PH_ST_STABLE,
					 PH_ST_VOLATILE, PH_SITE_PUT);
			return true;
		}
		try_cmpxchg(b, &old, PH_ST_STABLE);
	}
	if (!folio_try_get(folio))	/* freed; never a tail page */
		return false;
	if (ph_folio_is_candidate(folio) && !ph_folio_mapped(folio))
		__ph_try_volatile(folio, PH_SITE_PUT, 1, PH_VF_LIKELY);
	folio_put(folio);
	return false;
}

/* Try and empty this CPU's ring (interrupts off). */
static __always_inline void ph_ring_flush_local(struct ph_ring *r)
{
	struct ph_ring_entry *e, *end = &r->e[r->n];
	unsigned int made = 0;

	for (e = r->e; e < end; e++)
		made += ph_ring_try(e->folio, e->b);
	r->n = 0;
	r->iocb = NULL;
	ph_states_count(PH_ST_STABLE, PH_ST_VOLATILE, PH_SITE_PUT, made);
}

/* What a walk of the read path carries. */
struct ph_read_walk {
	/*
	 * The ring's next free entry, and how far it moves per folio: one
	 * entry, or none (policy volatile_read off: the entry is written and
	 * not kept). A store and an add instead of a test and a branch.
	 */
	struct ph_ring_entry *e;
	unsigned long step;
	unsigned int made;	/* volatile -> stable by the fast path */
};

#define PH_READ_WALK_INIT {						\
	.step = READ_ONCE(ph_st_vol_read) ? sizeof(struct ph_ring_entry) : 0 }

/* A read looks @folio up: stable now, remembered for its put. */
static __always_inline void ph_read_lookup(struct folio *folio, u8 *b,
					    void *arg)
{
	struct ph_read_walk *w = arg;

	w->made += ph_stable_at(folio, b, PH_SITE_LOOKUP);
	w->e->folio = folio;
	w->e->b = b;
	w->e = (void *)w->e + w->step;
}

/* Walk [@first, @last] of a read (interrupts off; not the covered case). */
static noinline void ph_read_walk(struct ph_ring *r, const struct kiocb *iocb,
				  struct address_space *mapping, pgoff_t first,
				  pgoff_t last)
{
	struct ph_read_walk w = PH_READ_WALK_INIT;
	pgoff_t nr = last - first + 1;

	if (nr > PH_RING)
		nr = PAGEVEC_SIZE;	/* the kernel's batch */
	/* the previous batches' folios were put: their strategic point */
	if (r->n + nr > PH_RING)
		ph_ring_flush_local(r);
	w.e = &r->e[r->n];
	ph_walk_cache(mapping, first, first + nr - 1, ph_read_lookup, &w);
	r->n = w.e - r->e;
	r->iocb = first + nr - 1 == last ? iocb : NULL;
	r->mapping = mapping;
	r->last = last;
	ph_states_count(PH_ST_VOLATILE, PH_ST_STABLE, PH_SITE_LOOKUP, w.made);
}

/*
 * filemap_get_pages() entry: the batch about to be looked up. A read that
 * fits in the ring is walked whole at its first batch, so its later
 * batches (a 64 KiB read takes 15 pages, then 1) cost a compare here
 * instead of a walk; a longer one is walked a batch at a time.
 */
static void ph_ft_read_batch(struct ph_hook *h, unsigned long ip,
			     struct ftrace_regs *fregs)
{
	struct kiocb *iocb = (void *)ph_ftrace_arg(fregs, 0);
	struct iov_iter *iter = (void *)ph_ftrace_arg(fregs, 1);
	struct address_space *mapping = iocb->ki_filp->f_mapping;
	size_t count = iov_iter_count(iter);
	unsigned long flags;
	struct ph_ring *r;
	pgoff_t last;

	if (!count)
		return;
	last = (iocb->ki_pos + count - 1) >> PAGE_SHIFT;
	local_irq_save(flags);
	r = this_cpu_ptr(&ph_ring);
	/* not walked with this read's first batch */
	if (r->iocb != iocb || r->mapping != mapping || r->last != last)
		ph_read_walk(r, iocb, mapping, iocb->ki_pos >> PAGE_SHIFT, last);
	local_irq_restore(flags);
}

static void ph_ft_read_end(struct ph_hook *h, unsigned long ip,
			   struct ftrace_regs *fregs)
{
	unsigned long flags;
	struct ph_ring *r;

	local_irq_save(flags);
	r = this_cpu_ptr(&ph_ring);
	if (r->n)
		ph_ring_flush_local(r);
	local_irq_restore(flags);
}

/*
 * Deactivation (the seed's active -> inactive move). The folios
 * shrink_active_list() deactivates are isolated while it decides, so the
 * try waits until it put them back: folio_referenced() (called on each
 * while it is still active) remembers page-cache candidates, the
 * mm_vmscan_lru_shrink_active tracepoint at the end tries those that are
 * no longer active.
 *
 * shrink_active_list() calls cond_resched() between folios and may end on
 * another CPU than it began: the folios are remembered per reclaiming
 * task, in one of PH_DSLOTS slots a task owns from its first remembered
 * folio to its tracepoint. A task that finds no free slot, or a full one
 * (one shrink batch is SWAP_CLUSTER_MAX), does not remember; the
 * "deactivate_unremembered" line of the stats file counts them. A
 * slot never holds references: entries are revalidated with
 * folio_try_get(). A slot whose owner never reached the tracepoint (it
 * exited, or called folio_referenced() elsewhere) is taken over after
 * PH_DSLOT_AGE.
 */
#define PH_DRING	64
#define PH_DSLOTS	8
#define PH_DSLOT_AGE	(10 * HZ)
struct ph_dslot {
	/* claimed by cmpxchg from NULL; n, f and stamp: the owner's only */
	struct task_struct *owner;
	unsigned long stamp;
	unsigned int n;
	struct folio *f[PH_DRING];
};
static struct ph_dslot ph_dslots[PH_DSLOTS];
static DEFINE_PER_CPU(unsigned long, ph_dslot_misses);

static struct ph_dslot *ph_dslot_find(void)
{
	int i;

	for (i = 0; i < PH_DSLOTS; i++)
		if (READ_ONCE(ph_dslots[i].owner) == current)
			return &ph_dslots[i];
	return NULL;
}

static struct ph_dslot *ph_dslot_claim(void)
{
	struct ph_dslot *s;
	struct task_struct *old;
	int i;

	for (i = 0; i < PH_DSLOTS; i++) {
		s = &ph_dslots[i];
		old = READ_ONCE(s->owner);
		if (old && time_before(jiffies, READ_ONCE(s->stamp) +
				       PH_DSLOT_AGE))
			continue;
		if (cmpxchg(&s->owner, old, current) != old)
			continue;
		WRITE_ONCE(s->stamp, jiffies);
		s->n = 0;
		return s;
	}
	return NULL;
}

static void ph_ft_referenced(struct ph_hook *h, unsigned long ip,
			     struct ftrace_regs *fregs)
{
	struct folio *folio = (void *)ph_ftrace_arg(fregs, 0);
	struct ph_dslot *s;
	unsigned int n;

	if (!folio_test_active(folio) || !ph_folio_is_candidate(folio))
		return;
	s = ph_dslot_find();
	if (!s)
		s = ph_dslot_claim();
	n = s ? s->n : PH_DRING;
	if (n < PH_DRING) {
		WRITE_ONCE(s->f[n], folio);
		s->n = n + 1;
	} else
		this_cpu_inc(ph_dslot_misses);
}

static void ph_tp_shrink_active(struct ph_hook *h, int nid,
				unsigned long nr_taken, unsigned long nr_active,
				unsigned long nr_deactivated,
				unsigned long nr_referenced, int priority,
				int file)
{
	struct ph_dslot *s;
	struct folio *f;
	unsigned int i;

	ph_hook_hit(h);
	s = ph_dslot_find();
	if (!s)
		return;
	for (i = 0; i < s->n; i++) {
		f = READ_ONCE(s->f[i]);
		if (!folio_try_get(f))
			continue;
		if (!PageTail(&f->page) && !folio_test_active(f) &&
		    ph_folio_is_candidate(f))
			__ph_try_volatile(f, PH_SITE_DEACTIVATE, 1, 0);
		folio_put(f);
	}
	s->n = 0;
	/* release: the next owner sees n = 0 */
	smp_store_release(&s->owner, NULL);
}

/* ---- stable on lookup ---- */

/*
 * folio_mark_accessed(): per-folio fallback for the read path, attached
 * only when filemap_get_pages() cannot be hooked on this kernel.
 */
static void ph_ft_accessed(struct ph_hook *h, unsigned long ip,
			   struct ftrace_regs *fregs)
{
	struct folio *folio = (void *)ph_ftrace_arg(fregs, 0);
	struct ph_read_walk w = PH_READ_WALK_INIT;
	unsigned long i = ph_folio_index(folio);
	unsigned long flags;
	struct ph_ring *r;

	if (i >= ph_tab_nr)
		return;
	local_irq_save(flags);
	r = this_cpu_ptr(&ph_ring);
	if (r->n == PH_RING)
		ph_ring_flush_local(r);
	w.e = &r->e[r->n];
	ph_read_lookup(folio, &ph_tab[i], &w);
	r->n = w.e - r->e;
	ph_states_count(PH_ST_VOLATILE, PH_ST_STABLE, PH_SITE_LOOKUP, w.made);
	local_irq_restore(flags);
}

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
	struct page *page = (void *)ph_ftrace_arg(fregs, 0);
	struct folio *folio = page_folio(page);

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

/*
 * filemap_map_pages(vmf, start_pgoff, end_pgoff): fault-around maps the
 * uptodate, unlocked folios of the range. The range is made stable first,
 * once per call, not once per mapped page in page_add_file_rmap(): a
 * child of fork() maps about 110 pages of its binary and libc this way
 * (22,501 page_add_file_rmap() hits in 200 fork + exit), in about 10
 * calls (9,706 filemap_map_pages() hits in 1,000).
 */
static __always_inline void ph_map_lookup(struct folio *folio, u8 *b,
					   void *arg)
{
	unsigned int *made = arg;

	/* a fork child maps its parent's pages: stable, tested first */
	if (likely(READ_ONCE(*b) == PH_ST_STABLE))
		return;
	*made += ph_stable_at(folio, b, PH_SITE_MAP);
}

static void ph_ft_map_pages(struct ph_hook *h, unsigned long ip,
			    struct ftrace_regs *fregs)
{
	struct vm_fault *vmf = (void *)ph_ftrace_arg(fregs, 0);
	pgoff_t start = ph_ftrace_arg(fregs, 1);
	pgoff_t end = ph_ftrace_arg(fregs, 2);
	unsigned int made = 0;

	/* preemption is off: PH_HOOK_NORECURSE */
	ph_walk_cache(vmf->vma->vm_file->f_mapping, start, end,
		      ph_map_lookup, &made);
	ph_states_count(PH_ST_VOLATILE, PH_ST_STABLE, PH_SITE_MAP, made);
}

static void ph_tp_dirty(struct ph_hook *h, struct folio *folio,
			struct address_space *mapping)
{
	ph_hook_hit(h);
	ph_lookup_stable(folio, PH_SITE_DIRTY);
}

static void ph_ft_cow(struct ph_hook *h, unsigned long ip,
		      struct ftrace_regs *fregs)
{
	struct vm_fault *vmf = (void *)ph_ftrace_arg(fregs, 0);
	struct page *page = READ_ONCE(vmf->page);

	if (page)
		ph_lookup_stable(page_folio(page), PH_SITE_COW);
}

/* ---- the table of attach points ---- */

enum {
	H_ALLOC, H_FREE, H_BULK, H_CONTIG, H_MIGRATE,
	H_UNLOCK, H_WRITEBACK, H_PUT, H_READ_NEXT, H_READ_END,
	H_DEACT_REF, H_DEACT_END,
	H_ACCESSED, H_GET_FOLIO, H_MAP_PAGES, H_MAP, H_DIRTY, H_COW,
	H_NR
};

static struct ph_hook ph_st_hooks[H_NR] = {
	[H_ALLOC] = { .name = "states_alloc", .kind = PH_HOOK_TRACEPOINT,
		.target = "mm_page_alloc", .tp_probe = ph_tp_alloc },
	[H_FREE] = { .name = "states_free", .kind = PH_HOOK_TRACEPOINT,
		.target = "mm_page_free", .tp_probe = ph_tp_free },
	[H_BULK] = { .name = "states_alloc_bulk", .kind = PH_HOOK_KRETPROBE,
		.target = "__alloc_pages_bulk", .flags = PH_HOOK_OPTIONAL,
		.krp_entry = ph_bulk_entry, .krp_ret = ph_bulk_ret,
		.krp_data_size = sizeof(struct ph_bulk_data) },
	[H_CONTIG] = { .name = "states_alloc_contig", .kind = PH_HOOK_KRETPROBE,
		.target = "alloc_contig_range", .flags = PH_HOOK_OPTIONAL,
		.krp_entry = ph_contig_entry, .krp_ret = ph_contig_ret,
		.krp_data_size = sizeof(struct ph_contig_data) },
	[H_MIGRATE] = { .name = "states_migrate", .kind = PH_HOOK_FTRACE,
		.target = "move_to_new_folio", .flags = PH_HOOK_OPTIONAL,
		.ftrace_fn = ph_ft_migrate },
	[H_UNLOCK] = { .name = "states_unlock", .kind = PH_HOOK_FTRACE,
		.target = "folio_unlock", .flags = PH_HOOK_NORECURSE,
		.ftrace_fn = ph_ft_unlock },
	[H_WRITEBACK] = { .name = "states_end_writeback",
		.kind = PH_HOOK_FTRACE, .target = "folio_end_writeback",
		.ftrace_fn = ph_ft_end_writeback },
	[H_PUT] = { .name = "states_put", .kind = PH_HOOK_FTRACE,
		.target = "release_pages", .flags = PH_HOOK_NORECURSE,
		.ftrace_fn = ph_ft_release },
	[H_READ_NEXT] = { .name = "states_read_batch", .kind = PH_HOOK_FTRACE,
		.target = "filemap_get_pages",
		.flags = PH_HOOK_OPTIONAL | PH_HOOK_NORECURSE,
		.ftrace_fn = ph_ft_read_batch },
	[H_READ_END] = { .name = "states_read_end", .kind = PH_HOOK_FTRACE,
		.target = "touch_atime",
		.flags = PH_HOOK_OPTIONAL | PH_HOOK_NORECURSE,
		.ftrace_fn = ph_ft_read_end },
	[H_DEACT_REF] = { .name = "states_deactivate_ref",
		.kind = PH_HOOK_FTRACE, .target = "folio_referenced",
		.flags = PH_HOOK_OPTIONAL, .ftrace_fn = ph_ft_referenced },
	[H_DEACT_END] = { .name = "states_deactivate",
		.kind = PH_HOOK_TRACEPOINT,
		.target = "mm_vmscan_lru_shrink_active",
		.flags = PH_HOOK_OPTIONAL, .tp_probe = ph_tp_shrink_active },
	[H_ACCESSED] = { .name = "states_lookup_accessed",
		.kind = PH_HOOK_FTRACE, .target = "folio_mark_accessed",
		.ftrace_fn = ph_ft_accessed },
	[H_GET_FOLIO] = { .name = "states_lookup_get", .kind = PH_HOOK_FTRACE,
		.target = "__filemap_get_folio", .flags = PH_HOOK_NORECURSE,
		.ftrace_fn = ph_ft_get_folio },
	[H_MAP_PAGES] = { .name = "states_map_pages", .kind = PH_HOOK_FTRACE,
		.target = "filemap_map_pages",
		.flags = PH_HOOK_OPTIONAL | PH_HOOK_NORECURSE,
		.ftrace_fn = ph_ft_map_pages },
	[H_MAP] = { .name = "states_map", .kind = PH_HOOK_FTRACE,
		.target = "page_add_file_rmap", .ftrace_fn = ph_ft_map },
	[H_DIRTY] = { .name = "states_dirty", .kind = PH_HOOK_TRACEPOINT,
		.target = "writeback_dirty_folio", .tp_probe = ph_tp_dirty },
	[H_COW] = { .name = "states_cow", .kind = PH_HOOK_FTRACE,
		.target = "wp_page_copy", .flags = PH_HOOK_NORECURSE,
		.ftrace_fn = ph_ft_cow },
};

/* Does configuration @c want hook @i attached? */
static bool ph_st_wants(const struct ph_st_cfg *c, int i)
{
	switch (i) {
	case H_ALLOC: case H_FREE: case H_BULK: case H_CONTIG: case H_MIGRATE:
		return c->unused;
	case H_UNLOCK:
		return c->vol && c->unlock;
	case H_WRITEBACK:
		return c->vol && c->writeback;
	case H_PUT:
		return c->vol && c->put;
	case H_READ_END:
		return c->vol && c->read;
	case H_ACCESSED:	/* fallback when the batch hook is missing */
		return c->vol && !ph_st_hooks[H_READ_NEXT].available;
	case H_DEACT_REF: case H_DEACT_END:
		return c->vol && c->deact;
	case H_COW:	/* only a mapped page checked per pte is volatile */
		return c->vol && c->mcheck;
	case H_MAP:	/* the strategic point, or the fallback lookup */
		return c->vol && ((c->mcheck && c->map) ||
				  !ph_st_hooks[H_MAP_PAGES].available);
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

	for (i = H_NR - 1; i >= 0; i--)
		if (!ph_st_wants(new, i))
			ph_hook_detach(&ph_st_hooks[i]);
	if (old->vol && !new->vol) {
		ph_states_ring_flush_all();
		ph_states_sweep_volatile(false);
	}
	for (i = 0; i < H_NR; i++) {
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

unsigned long ph_states_deact_misses(void)
{
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu(ph_dslot_misses, cpu);
	return sum;
}

/* The per-pte check came or went (ph_policy_lock held): reattach. */
int ph_states_hooks_recheck(void)
{
	lockdep_assert_held(&ph_policy_lock);
	return ph_st_apply(NULL, 0);
}

/* Drop every CPU's ring (volatile switched off, or unload). */
void ph_states_ring_flush_all(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		per_cpu_ptr(&ph_ring, cpu)->n = 0;
		per_cpu_ptr(&ph_ring, cpu)->iocb = NULL;
	}
	memset(ph_dslots, 0, sizeof(ph_dslots));
}

int ph_states_hooks_init(void)
{
	static const struct ph_st_cfg off;
	int ret;

	ret = ph_hooks_register("states", ph_st_hooks, H_NR);
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
		ph_hooks_unregister(ph_st_hooks, H_NR);
	return ret;
}

void ph_states_hooks_exit(void)
{
	ph_hooks_unregister(ph_st_hooks, H_NR);
	ph_states_ring_flush_all();
}
