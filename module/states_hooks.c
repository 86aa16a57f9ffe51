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
 *                         a read batch looks up are remembered per CPU (ring)
 *                         and tried when the read takes its next batch or
 *                         ends (file_accessed), i.e. after their put. Site
 *                         "put".
 *   page_add_file_rmap    map count increase (tried only when the rmap
 *                         component installed a per-pte check).
 *   folio_referenced + mm_vmscan_lru_shrink_active (tracepoint)
 *                         active -> inactive: remembered while isolated,
 *                         tried once shrink_active_list() put them back.
 *
 * Stable on lookup (the seed's find_get_page / follow_page / do_wp_page):
 *   filemap_get_pages     the read path's batch lookup: the range it is
 *                         about to take is made stable first, once per batch
 *                         (folio_mark_accessed, per folio, is the fallback
 *                         on a kernel where filemap_get_pages is inlined)
 *   __filemap_get_folio   write_begin, fault, ... (xa_load of the index)
 *   page_add_file_rmap    a page reachable through a pte
 *   writeback_dirty_folio (tracepoint) dirtied
 *   wp_page_copy          copy-on-write source
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
};

/* ---- unused / stable ---- */

static void ph_tp_alloc(struct ph_hook *h, struct page *page,
			unsigned int order, gfp_t gfp, int migratetype)
{
	ph_hook_hit(h);
	if (page)
		ph_states_set_range(page_to_pfn(page), 1UL << order,
				    PH_ST_STABLE, PH_SITE_ALLOC);
}

static void ph_tp_free(struct ph_hook *h, struct page *page,
		       unsigned int order)
{
	ph_hook_hit(h);
	ph_states_set_range(page_to_pfn(page), 1UL << order, PH_ST_UNUSED,
			    PH_SITE_FREE);
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

/* release_pages(pages, nr): each page gives one reference back. */
static void ph_ft_release(struct ph_hook *h, unsigned long ip,
			  struct ftrace_regs *fregs)
{
	struct page **pages = (void *)ph_ftrace_arg(fregs, 0);
	int i, nr = (int)ph_ftrace_arg(fregs, 1);

	for (i = 0; i < nr; i++) {
		struct folio *folio = page_folio(pages[i]);

		/*
		 * Still mapped elsewhere (exit, munmap of shared text) and no
		 * per-pte check installed: it stays stable, skip it quietly.
		 */
		if (!ph_folio_is_candidate(folio) ||
		    folio_ref_count(folio) <= 1 ||
		    (ph_folio_mapped(folio) && !READ_ONCE(ph_mapped_check)))
			continue;
		__ph_try_volatile(folio, PH_SITE_PUT, 1, 0);
	}
}

/*
 * The read path, per batch, not per folio: a hook hit that does nothing
 * costs about 50 guest instructions (states_read_end in the per-hook table
 * of selftests/bench/00_overhead.sh), 1 % of a cached 4 KiB read before any
 * work is done. filemap_read() takes its folios in batches
 * through filemap_get_pages(iocb, iter, fbatch) and puts them (inline
 * folio_put) before the next batch or file_accessed() -> touch_atime().
 *
 * At filemap_get_pages() entry, the range the batch will look up is
 * walked under RCU: volatile folios are made stable before the lookup
 * takes them (the seed's find_get_page), and page-cache candidates are
 * remembered per CPU. At the next batch or touch_atime(), i.e. after their
 * put, the remembered folios are tried volatile (site put). The ring holds
 * no references: entries are revalidated with folio_try_get().
 *
 * Between the walk and the lookup's own reference another CPU could make a
 * folio volatile again; the host side cannot discard it from under the
 * read anyway (invalidation refuses a folio with an extra reference).
 */
#define PH_RING	32
struct ph_ring {
	unsigned int n;
	struct folio *f[PH_RING];
};
static DEFINE_PER_CPU(struct ph_ring, ph_ring);

static void ph_ring_try(struct folio *folio)
{
	if (!folio_try_get(folio))
		return;
	/* the conditions check mapping and flags again: no candidate test */
	if (!PageTail(&folio->page))
		__ph_try_volatile(folio, PH_SITE_PUT, 1, PH_VF_LIKELY);
	folio_put(folio);
}

static void ph_ring_flush(void)
{
	struct folio *f[PH_RING];
	unsigned long flags;
	unsigned int i, n;
	struct ph_ring *r;

	local_irq_save(flags);
	r = this_cpu_ptr(&ph_ring);
	n = r->n;
	memcpy(f, r->f, n * sizeof(f[0]));
	r->n = 0;
	local_irq_restore(flags);
	for (i = 0; i < n; i++)
		ph_ring_try(f[i]);
}

/* Remember @n <= PH_RING folios; a full ring is tried first. */
static void ph_ring_add(struct folio **f, unsigned int n)
{
	unsigned long flags;
	struct ph_ring *r;
	bool full;

	while (n) {
		local_irq_save(flags);
		r = this_cpu_ptr(&ph_ring);
		full = r->n + n > PH_RING;
		if (!full) {
			memcpy(&r->f[r->n], f, n * sizeof(f[0]));
			r->n += n;
		}
		local_irq_restore(flags);
		if (!full)
			return;
		ph_ring_flush();
	}
}

/* A read looked @folio up (per-folio fallback: folio_mark_accessed). */
static void ph_read_lookup(struct folio *folio, struct folio **f,
			   unsigned int *n)
{
	ph_lookup_stable(folio, PH_SITE_LOOKUP);
	if (READ_ONCE(ph_st_vol_read) && ph_folio_is_candidate(folio) &&
	    !ph_folio_mapped(folio))
		f[(*n)++] = folio;
}

#define PH_READ_BATCH	min_t(unsigned int, PH_RING, PAGEVEC_SIZE)

static void ph_ft_read_batch(struct ph_hook *h, unsigned long ip,
			     struct ftrace_regs *fregs)
{
	struct kiocb *iocb = (void *)ph_ftrace_arg(fregs, 0);
	struct iov_iter *iter = (void *)ph_ftrace_arg(fregs, 1);
	struct address_space *mapping = iocb->ki_filp->f_mapping;
	size_t count = iov_iter_count(iter);
	XA_STATE(xas, &mapping->i_pages, iocb->ki_pos >> PAGE_SHIFT);
	struct folio *f[PH_RING], *folio;
	unsigned int n = 0, steps = 0;
	pgoff_t last;

	if (this_cpu_read(ph_ring.n))
		ph_ring_flush();
	if (!count)
		return;
	last = (iocb->ki_pos + count - 1) >> PAGE_SHIFT;
	rcu_read_lock();
	for (folio = xas_load(&xas); folio; folio = xas_next(&xas)) {
		if (xas_retry(&xas, folio))
			continue;
		if (xas.xa_index > last || xa_is_value(folio) ||
		    xa_is_sibling(folio))
			break;
		ph_read_lookup(folio, f, &n);
		/* stale ->index (no reference held): bounded by steps */
		if (n == PH_READ_BATCH || ++steps == PH_READ_BATCH)
			break;
		if (folio->index + folio_nr_pages(folio) - 1 > xas.xa_index)
			xas_advance(&xas, folio->index + folio_nr_pages(folio) - 1);
	}
	rcu_read_unlock();
	ph_ring_add(f, n);
}

static void ph_ft_read_end(struct ph_hook *h, unsigned long ip,
			   struct ftrace_regs *fregs)
{
	if (this_cpu_read(ph_ring.n))
		ph_ring_flush();
}

/*
 * Deactivation (the seed's active -> inactive move). The folios
 * shrink_active_list() deactivates are isolated while it decides, so the
 * try waits until it put them back: folio_referenced() (called on each
 * while it is still active) remembers page-cache candidates per CPU, the
 * mm_vmscan_lru_shrink_active tracepoint at the end tries those that are
 * no longer active. Entries beyond PH_DRING (one shrink batch is
 * SWAP_CLUSTER_MAX) are not remembered.
 */
#define PH_DRING	64
struct ph_dring {
	unsigned int n;
	struct folio *f[PH_DRING];
};
static DEFINE_PER_CPU(struct ph_dring, ph_dring);

static void ph_ft_referenced(struct ph_hook *h, unsigned long ip,
			     struct ftrace_regs *fregs)
{
	struct folio *folio = (void *)ph_ftrace_arg(fregs, 0);
	unsigned long flags;
	struct ph_dring *r;

	if (!folio_test_active(folio) || !ph_folio_is_candidate(folio))
		return;
	local_irq_save(flags);
	r = this_cpu_ptr(&ph_dring);
	if (r->n < PH_DRING)
		r->f[r->n++] = folio;
	local_irq_restore(flags);
}

static void ph_tp_shrink_active(struct ph_hook *h, int nid,
				unsigned long nr_taken, unsigned long nr_active,
				unsigned long nr_deactivated,
				unsigned long nr_referenced, int priority,
				int file)
{
	struct folio *f[PH_DRING];
	unsigned long flags;
	unsigned int i, n;
	struct ph_dring *r;

	ph_hook_hit(h);
	local_irq_save(flags);
	r = this_cpu_ptr(&ph_dring);
	n = r->n;
	memcpy(f, r->f, n * sizeof(f[0]));
	r->n = 0;
	local_irq_restore(flags);
	for (i = 0; i < n; i++) {
		if (!folio_try_get(f[i]))
			continue;
		if (!PageTail(&f[i]->page) && !folio_test_active(f[i]) &&
		    ph_folio_is_candidate(f[i]))
			__ph_try_volatile(f[i], PH_SITE_DEACTIVATE, 1, 0);
		folio_put(f[i]);
	}
}

/* ---- stable on lookup ---- */

/*
 * folio_mark_accessed(): per-folio fallback for the read path, attached
 * only when filemap_get_pages() cannot be hooked on this kernel.
 */
static void ph_ft_accessed(struct ph_hook *h, unsigned long ip,
			   struct ftrace_regs *fregs)
{
	struct folio *folio = (void *)ph_ftrace_arg(fregs, 0), *f[1];
	unsigned int n = 0;

	ph_read_lookup(folio, f, &n);
	ph_ring_add(f, n);
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
	H_ACCESSED, H_GET_FOLIO, H_MAP, H_DIRTY, H_COW,
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
		.target = "folio_unlock", .ftrace_fn = ph_ft_unlock },
	[H_WRITEBACK] = { .name = "states_end_writeback",
		.kind = PH_HOOK_FTRACE, .target = "folio_end_writeback",
		.ftrace_fn = ph_ft_end_writeback },
	[H_PUT] = { .name = "states_put", .kind = PH_HOOK_FTRACE,
		.target = "release_pages", .ftrace_fn = ph_ft_release },
	[H_READ_NEXT] = { .name = "states_read_batch", .kind = PH_HOOK_FTRACE,
		.target = "filemap_get_pages", .flags = PH_HOOK_OPTIONAL,
		.ftrace_fn = ph_ft_read_batch },
	[H_READ_END] = { .name = "states_read_end", .kind = PH_HOOK_FTRACE,
		.target = "touch_atime", .flags = PH_HOOK_OPTIONAL,
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
		.target = "__filemap_get_folio", .ftrace_fn = ph_ft_get_folio },
	[H_MAP] = { .name = "states_map", .kind = PH_HOOK_FTRACE,
		.target = "page_add_file_rmap", .ftrace_fn = ph_ft_map },
	[H_DIRTY] = { .name = "states_dirty", .kind = PH_HOOK_TRACEPOINT,
		.target = "writeback_dirty_folio", .tp_probe = ph_tp_dirty },
	[H_COW] = { .name = "states_cow", .kind = PH_HOOK_FTRACE,
		.target = "wp_page_copy", .ftrace_fn = ph_ft_cow },
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
		ph_states_sweep_volatile();
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

/* Drop every CPU's ring (volatile switched off, or unload). */
void ph_states_ring_flush_all(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		per_cpu_ptr(&ph_ring, cpu)->n = 0;
		per_cpu_ptr(&ph_dring, cpu)->n = 0;
	}
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
