// SPDX-License-Identifier: GPL-2.0
/*
 * pagehint page-state engine: the CMM2 page states (seed 000, seed 003)
 * kept by a module for every online page of a stock kernel.
 *
 * Design
 * ------
 * States: unused (free: the host may forget the content), stable (the
 * host must keep it), volatile (clean page cache the host may discard),
 * discarded (the host did; the next lookup is a discard fault).
 *
 * The table is one byte per PFN over [lowest, highest online PFN] of
 * every online node, vmalloc'd at load. Holes and offline sections are
 * never looked at (pfn_to_online_page()). The byte's encoding (state,
 * state-change lock), the protocol of its writers and the list of them
 * are in include/ph_state_byte.h. In short: the allocator's tracepoints
 * store unused (mm_page_free fires in free_pages_prepare(), before the page
 * reaches a per-CPU list, so pages on per-CPU lists are unused, as seed 003
 * has it) and stable without the lock; ph_try_volatile() (the seed's
 * page_make_volatile) takes the lock at the strategic points, checks the
 * conditions and publishes volatile or stable; ph_make_stable() (the
 * seed's page_make_stable) turns volatile back to stable at lookups, and a
 * lookup that finds a discarded page is a discard fault; the load-time
 * scan, with the allocator hooks already attached, classifies a byte only
 * from PH_ST_UNSCANNED, so a hook that got there first wins.
 *
 * Counters (transitions from x to x site, refusals by reason, discard
 * faults) are per-CPU and summed on read. Per-state page counts are not
 * kept on the hot path: the "states" file counts the table.
 */
#define pr_fmt(fmt) "pagehint: states: " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/memory_hotplug.h>
#include <linux/page-flags.h>
#include <linux/pagemap.h>
#include <linux/sched.h>
#include <linux/vmalloc.h>
#include "pagehint.h"
#include "ph_hooks.h"
#include "ph_compat.h"
#include "pagehint_trace.h"
#include "ph_states_int.h"

u8 *ph_tab;
unsigned long ph_tab_start, ph_tab_nr, ph_tab_bias;
struct ph_states_pcpu __percpu *ph_st_stats;

/* Installed by other components; read under RCU (preemption disabled). */
bool (*ph_mapped_check)(struct folio *folio, bool locked);
DEFINE_PER_CPU(bool, ph_st_in_check);
void (*ph_discard_fault_fn)(struct folio *folio);

/* drain_all_pages(): not exported, resolved into a static call. */
DEFINE_STATIC_CALL_RET0(ph_drain_all_pages, drain_all_pages);
static bool ph_can_drain;

/**
 * ph_states_set_range() - store a state for a block of pages (no lock)
 * @pfn: first PFN
 * @nr: number of pages
 * @to: new state
 * @site: who
 *
 * For the allocator hooks: the pages are being freed or were just
 * allocated, so nobody holds their state-change lock.
 */
void notrace ph_states_set_range(unsigned long pfn, unsigned long nr,
				 enum ph_state to, enum ph_site site)
{
	u8 *b = ph_tab_byte(pfn);
	unsigned long i;

	if (unlikely(!b))
		return;
	nr = min(nr, ph_tab_nr - (pfn - ph_tab_start));
	for (i = 0; i < nr; i++)
		ph_store_state(&b[i], pfn_to_page(pfn + i), to, site);
}

/*
 * The allocator hooks' trace event, out of line: with the event off their
 * store computes no PFN. @from is the byte's state bits.
 */
void __cold notrace ph_trace_store(struct page *page, unsigned long from,
				   enum ph_state to, enum ph_site site)
{
	if (ph_byte_state(from) != to)
		trace_page_state(page_to_pfn(page), ph_byte_state(from), to,
				 site);
}

enum ph_state ph_state_get(unsigned long pfn)
{
	u8 *b = ph_tab ? ph_tab_byte(pfn) : NULL;

	if (!b || !pfn_to_online_page(pfn))
		return PH_ST_NONE;
	return ph_byte_state(READ_ONCE(*b));
}
EXPORT_SYMBOL_GPL(ph_state_get);

enum ph_state ph_state_set(unsigned long pfn, enum ph_state to,
			   enum ph_site site)
{
	u8 *b = ph_tab ? ph_tab_byte(pfn) : NULL;
	u8 old;

	if (!b || to >= PH_ST_NR || !pfn_to_online_page(pfn))
		return PH_ST_NONE;
	do {
		old = READ_ONCE(*b);
		if (old & PH_SC_LOCK)
			return PH_ST_NONE;
	} while (!ph_sb_cmpxchg(b, old, to));
	if (ph_byte_state(old) != to)
		ph_states_note(pfn, ph_byte_state(old), to, site);
	return ph_byte_state(old);
}
EXPORT_SYMBOL_GPL(ph_state_set);

unsigned long ph_state_next(unsigned long start, enum ph_state st)
{
	unsigned long i;

	if (!ph_tab || start < ph_tab_start)
		start = ph_tab_start;
	for (i = start - ph_tab_start; i < ph_tab_nr; i++)
		if (ph_byte_state(READ_ONCE(ph_tab[i])) == st &&
		    pfn_to_online_page(ph_tab_start + i))
			return ph_tab_start + i;
	return ULONG_MAX;
}
EXPORT_SYMBOL_GPL(ph_state_next);

/*
 * Map count of a small folio; -1 for a mapped large folio, whose total
 * map count is not available to modules (folio_mapcount is not exported):
 * those stay stable with reason "mapped".
 */
static int ph_folio_mapcount(struct folio *folio)
{
	if (!folio_test_large(folio))
		return atomic_read(&folio->_mapcount) + 1;
	return folio_mapped(folio) ? -1 : 0;
}

/**
 * ph_volatile_reason() - the seed's 11 conditions, in the seed's order
 * @folio: the folio, referenced by the caller
 * @extra: references known besides the page cache's and the mappers'
 * @flags: PH_VF_*: a condition this very call is about to clear
 *
 * Return: PH_R_NONE when the folio may be volatile, else the first
 * condition that keeps it stable. Condition 9 (discarded) is checked by
 * the caller from the table.
 */
enum ph_reason notrace ph_volatile_reason(struct folio *folio,
					  unsigned int extra,
					  unsigned int flags)
{
	unsigned long mapping = (unsigned long)READ_ONCE(folio->mapping);
	bool (*mapped_ok)(struct folio *folio, bool locked);
	long nr = folio_nr_pages(folio);
	int mapcount;

	if (PageReserved(&folio->page))
		return PH_R_RESERVED;
	if (folio_test_dirty(folio))
		return PH_R_DIRTY;
	if (!(flags & PH_VF_ENDING_WB) && folio_test_writeback(folio))
		return PH_R_WRITEBACK;
	if (!(flags & PH_VF_UNLOCKING) && folio_test_locked(folio))
		return PH_R_LOCKED;
	if ((mapping & PH_MAPPING_ANON) || folio_test_swapbacked(folio))
		return PH_R_ANON;
	if (!mapping || (mapping & PH_MAPPING_FLAGS))
		return PH_R_NO_MAPPING;
	if (!(flags & PH_VF_ENDING_READ) && !folio_test_uptodate(folio))
		return PH_R_NOT_UPTODATE;
	if (folio_test_private(folio) || folio_test_private_2(folio))
		return PH_R_PRIVATE;
	if (!folio_test_lru(folio))
		return PH_R_NOT_LRU;
	mapcount = ph_folio_mapcount(folio);
	if (mapcount < 0)
		return PH_R_MAPPED;
	if (mapcount) {
		mapped_ok = READ_ONCE(ph_mapped_check);
		if (!mapped_ok)
			return PH_R_MAPPED;
		/* the per-pte check runs only under the state-change lock */
		if (flags & PH_VF_PRECHECK)
			return PH_R_NONE;
		/* its own folio_trylock()/folio_unlock() is no strategic point */
		__this_cpu_write(ph_st_in_check, true);
		if (!mapped_ok(folio, flags & PH_VF_UNLOCKING)) {
			__this_cpu_write(ph_st_in_check, false);
			return PH_R_MAPPED;
		}
		__this_cpu_write(ph_st_in_check, false);
	}
	if (folio_ref_count(folio) != mapcount + nr + extra)
		return PH_R_REFCOUNT;
	return PH_R_NONE;
}

static void ph_refused(struct folio *folio, enum ph_reason r)
{
	this_cpu_inc(ph_st_stats->refusals[r]);
	trace_volatile_refused(folio_pfn(folio), r);
}

/* One tail byte of ph_set_tails(). */
static void ph_set_tail(u8 *b, unsigned long pfn, enum ph_state to,
			enum ph_site site, bool only_volatile)
{
	u8 old = READ_ONCE(*b);

	if ((old & PH_STATE_MASK) == to)
		return;
	if (only_volatile && old != PH_ST_VOLATILE)
		return;
	ph_sb_store_tail(b, to);
	ph_states_note(pfn, ph_byte_state(old), to, site);
}

/* @v in every byte of a word */
#define PH_SB_WORD(v)	((unsigned long)(v) * (ULONG_MAX / 0xff))

/* The @n bytes of a word from its byte @off on, in memory order. */
static __always_inline unsigned long ph_word_bytes(unsigned int off,
						   unsigned int n)
{
	unsigned long m = n < sizeof(m) ? (1UL << (8 * n)) - 1 : ULONG_MAX;

	if (IS_ENABLED(CONFIG_CPU_BIG_ENDIAN))
		return m << (8 * (sizeof(m) - off - n));
	return m << (8 * off);
}

/*
 * The tails b[1] to b[@nr - 1] of a large folio a word at a time, while
 * they all hold @s: every aligned word holding @s in each of its tail
 * bytes (the bytes outside the folio masked off) changes to @to when
 * @change, with ph_sb_cmpxchg_tails() (make_stable holds no reference: an
 * allocator store made meanwhile stays). @moved counts the pages changed.
 * The table is allocated in whole words (ph_states_init()).
 *
 * Return: the first tail not done (@nr when all were).
 */
static long ph_set_tail_words(u8 *b, long nr, u8 s, u8 to, bool change,
			      unsigned int *moved)
{
	const long wsz = sizeof(unsigned long);
	const unsigned long from = PH_SB_WORD(s), new = PH_SB_WORD(to);
	long i = 1, off = (unsigned long)&b[1] & (wsz - 1), n;
	unsigned long *w = (unsigned long *)&b[1 - off];
	unsigned long mask, old;

	for (; i < nr; i += n, w++, off = 0) {
		n = min(wsz - off, nr - i);
		mask = ph_word_bytes(off, n);
		old = READ_ONCE(*w);
		if ((old ^ from) & mask)
			break;
		if (!change)
			continue;
		if (!ph_sb_cmpxchg_tails(w, old, mask, new))
			break;
		*moved += n;
	}
	return i;
}

/*
 * Store @to in the tail bytes of a large folio (head lock held). With
 * @only_volatile, only volatile tails change (make_stable may run on a
 * folio it holds no reference on: never turn anything but volatile).
 * A folio's tails usually all hold one state: they change a word at a
 * time and are counted once, unless page_state is traced (one event a
 * page); from the first that differs on, one at a time.
 */
static void ph_set_tails(struct folio *folio, u8 *b, enum ph_state to,
			 enum ph_site site, bool only_volatile)
{
	unsigned long pfn = folio_pfn(folio);
	long i = 1, nr = folio_nr_pages(folio);
	unsigned int moved = 0;
	bool change;
	u8 s;

	if (nr > MAX_ORDER_NR_PAGES)
		return;
	nr = min_t(long, nr, ph_tab_nr - (pfn - ph_tab_start));
	if (nr > 1 && !trace_page_state_enabled()) {
		s = READ_ONCE(b[1]);
		change = (s & PH_STATE_MASK) != to &&
			 (!only_volatile || s == PH_ST_VOLATILE);
		i = ph_set_tail_words(b, nr, s, to, change, &moved);
		if (ph_byte_state(s) != to)
			ph_states_count(ph_byte_state(s), to, site, moved);
	}
	for (; i < nr; i++)
		ph_set_tail(&b[i], pfn + i, to, site, only_volatile);
}

/**
 * __ph_try_volatile() - page_make_volatile with a site's known references
 * @folio: referenced folio
 * @site: strategic point
 * @extra: references held besides the page cache's and the mappers'
 * @flags: PH_VF_*
 *
 * Return: see ph_try_volatile().
 */
enum ph_reason notrace __ph_try_volatile(struct folio *folio,
					 enum ph_site site,
					 unsigned int extra,
					 unsigned int flags)
{
	unsigned long pfn = folio_pfn(folio), irqflags;
	enum ph_reason r;
	u8 *b, old, to;

	b = ph_tab_byte(pfn);
	if (unlikely(!b))
		return PH_R_NONE;
	old = READ_ONCE(*b);
	if ((old & PH_STATE_MASK) == PH_ST_VOLATILE)
		return PH_R_NONE;
	if ((old & PH_STATE_MASK) == PH_ST_DISCARDED) {
		ph_refused(folio, PH_R_DISCARDED);
		return PH_R_DISCARDED;
	}
	/*
	 * Check once without the lock: a page that stays stable needs no
	 * state change, so refusals (the common case at most sites) cost no
	 * atomic. Only a page that may become volatile takes the lock and is
	 * checked again under it. Sites where success is the rule
	 * (PH_VF_LIKELY) go straight to the lock, unless one flags test
	 * shows a condition that refuses for sure (buffer heads on every
	 * page of a file written through the cache, say).
	 */
	if (!(flags & PH_VF_LIKELY) ||
	    (READ_ONCE(ph_flags_word(folio)) & PH_REFUSE_FLAGS)) {
		r = ph_volatile_reason(folio, extra, flags | PH_VF_PRECHECK);
		if (r) {
			ph_refused(folio, r);
			return r;
		}
	}
	local_irq_save(irqflags);
	if (old & PH_SC_LOCK || !ph_sb_trylock(b, old, old)) {
		local_irq_restore(irqflags);
		ph_refused(folio, PH_R_BUSY);
		return PH_R_BUSY;
	}
	r = ph_volatile_quick(folio, extra, flags) ? PH_R_NONE :
	    ph_volatile_reason(folio, extra, flags);
	to = r ? PH_ST_STABLE : PH_ST_VOLATILE;
	if (folio_test_large(folio))
		ph_set_tails(folio, b, to, site, false);
	/* drops the lock after the tail stores */
	ph_sb_unlock(b, to);
	local_irq_restore(irqflags);
	if (r)
		ph_refused(folio, r);
	if (ph_byte_state(old) != to)
		ph_states_note(pfn, ph_byte_state(old), to, site);
	return r;
}

enum ph_reason ph_try_volatile(struct folio *folio, enum ph_site site)
{
	return __ph_try_volatile(folio, site, 1, 0);
}
EXPORT_SYMBOL_GPL(ph_try_volatile);

static void ph_discard_fault(struct folio *folio)
{
	void (*fn)(struct folio *folio);

	this_cpu_inc(ph_st_stats->discard_faults);
	fn = READ_ONCE(ph_discard_fault_fn);
	if (fn)
		fn(folio);
}

void ph_make_stable(struct folio *folio, enum ph_site site)
{
	unsigned long pfn = folio_pfn(folio), irqflags;
	u8 *b = ph_tab_byte(pfn), old;

	if (unlikely(!b))
		return;
	for (;;) {
		old = READ_ONCE(*b);
		if (unlikely(old & PH_SC_LOCK)) {
			cpu_relax();
			continue;
		}
		switch (old) {
		case PH_ST_VOLATILE:
			/* a small folio has no tails to store: no lock needed */
			if (!PageHead(&folio->page)) {
				if (!ph_sb_cmpxchg(b, old, PH_ST_STABLE))
					continue;
				ph_states_note(pfn, old, PH_ST_STABLE, site);
				return;
			}
			/*
			 * Interrupts off while the lock is held, as in
			 * __ph_try_volatile(): a lookup in an interrupt on this
			 * CPU would otherwise spin on it forever.
			 */
			local_irq_save(irqflags);
			if (!ph_sb_trylock(b, old, PH_ST_STABLE)) {
				local_irq_restore(irqflags);
				continue;
			}
			/* PageHead, not folio_test_large: @folio may be stale */
			if (PageHead(&folio->page))
				ph_set_tails(folio, b, PH_ST_STABLE, site, true);
			/* drop the lock after the tail stores */
			ph_sb_unlock(b, PH_ST_STABLE);
			local_irq_restore(irqflags);
			ph_states_note(pfn, PH_ST_VOLATILE, PH_ST_STABLE, site);
			return;
		case PH_ST_DISCARDED:
			ph_discard_fault(folio);
			return;
		default:
			return;
		}
	}
}
EXPORT_SYMBOL_GPL(ph_make_stable);

int ph_states_set_mapped_check(bool (*fn)(struct folio *folio,
					  bool locked))
{
	bool (*old)(struct folio *folio, bool locked) = ph_mapped_check;
	int ret;

	lockdep_assert_held(&ph_policy_lock);
	WRITE_ONCE(ph_mapped_check, fn);
	ret = ph_states_hooks_recheck();
	if (ret) {
		WRITE_ONCE(ph_mapped_check, old);
		return ret;
	}
	if (!fn && old) {
		synchronize_rcu();	/* no try runs the old check now */
		ph_states_sweep_volatile(true);
	}
	return 0;
}
EXPORT_SYMBOL_GPL(ph_states_set_mapped_check);

void ph_states_set_discard_fault(void (*fn)(struct folio *folio))
{
	WRITE_ONCE(ph_discard_fault_fn, fn);
	if (!fn)
		synchronize_rcu();
}
EXPORT_SYMBOL_GPL(ph_states_set_discard_fault);

unsigned long ph_states_discard_faults(void)
{
	unsigned long sum = 0;
	int cpu;

	if (!ph_st_stats)
		return 0;
	for_each_possible_cpu(cpu)
		sum += per_cpu_ptr(ph_st_stats, cpu)->discard_faults;
	return sum;
}
EXPORT_SYMBOL_GPL(ph_states_discard_faults);

/* ---- scans: load time, policy changes, verify (process context) ---- */

/**
 * ph_states_drain_pcp() - move per-CPU free pages back to the buddy lists
 *
 * Pages on per-CPU lists are free but not PageBuddy, so a scan cannot tell
 * them from allocated pages. drain_all_pages() is not exported; it is
 * resolved once at load into a static call and, when missing, scans
 * simply see those pages as "indeterminate".
 */
void ph_states_drain_pcp(void)
{
	if (ph_can_drain)
		static_call(ph_drain_all_pages)(NULL);
}
EXPORT_SYMBOL_GPL(ph_states_drain_pcp);

/* Set @b from PH_ST_UNSCANNED (or @expect) to @to unless a hook was first. */
static void ph_scan_store(unsigned long pfn, u8 expect, enum ph_state to)
{
	u8 *b = ph_tab_byte(pfn);

	if (b && ph_sb_cmpxchg(b, expect, to) &&
	    ph_byte_state(expect) != to)
		ph_states_note(pfn, ph_byte_state(expect), to, PH_SITE_SCAN);
}

/*
 * Classify one allocated page cache folio: take a reference (the page may
 * be freed under us otherwise), check the conditions with our reference
 * known. Return: pages covered.
 */
static unsigned long ph_scan_folio(struct page *page, bool vol)
{
	struct folio *folio = page_folio(page);
	unsigned long nr = 1;

	/* PageLRU, not folio_test_lru: the folio may change under us */
	if (!vol || !PageLRU(page) || !folio_try_get(folio))
		return 0;
	if (page_folio(page) != folio || &folio->page != page)
		goto out;
	nr = folio_nr_pages(folio);
	if (ph_folio_is_candidate(folio))
		__ph_try_volatile(folio, PH_SITE_SCAN, 1, 0);
out:
	folio_put(folio);
	return nr;
}

/**
 * ph_states_scan() - classify the PFNs still marked unscanned
 * @free_state: buddy pages become unused (else stable), the rest stable
 * @volatile_state: eligible page cache becomes volatile, also where the
 *                  table already says stable
 *
 * Runs with the allocator hooks attached. Walks the table in chunks,
 * rescheduling between them, so the machine keeps running.
 */
void ph_states_scan(bool free_state, bool volatile_state)
{
	unsigned long i, pfn, nr;
	struct page *page;
	u8 b;

	ph_states_drain_pcp();
	for (i = 0; i < ph_tab_nr; i++) {
		if (!(i & 1023))
			cond_resched();
		pfn = ph_tab_start + i;
		page = pfn_to_online_page(pfn);
		if (!page)
			continue;
		b = READ_ONCE(ph_tab[i]);
		if (b == PH_ST_STABLE && volatile_state) {
			nr = ph_scan_folio(page, true);
			if (nr > 1)
				i += nr - 1;
			continue;
		}
		if (b != PH_ST_UNSCANNED)
			continue;
		smp_rmb();	/* read the byte before the page */
		if (PageBuddy(page)) {
			unsigned long o = ph_buddy_order_unsafe(page), j;

			if (o >= PH_NR_PAGE_ORDERS)
				o = 0;
			nr = min(1UL << o, ph_tab_nr - i);
			for (j = 0; j < nr; j++)
				ph_scan_store(pfn + j, PH_ST_UNSCANNED,
					      free_state ? PH_ST_UNUSED :
					      PH_ST_STABLE);
			i += nr - 1;
			continue;
		}
		/* the try takes the lock from "unscanned" and stores */
		nr = ph_scan_folio(page, volatile_state);
		if (READ_ONCE(ph_tab[i]) == PH_ST_UNSCANNED)
			ph_scan_store(pfn, PH_ST_UNSCANNED, PH_ST_STABLE);
		if (nr > 1)
			i += nr - 1;
	}
	/* tails of folios skipped above */
	for (i = 0; i < ph_tab_nr; i++) {
		if (!(i & 4095))
			cond_resched();
		if (READ_ONCE(ph_tab[i]) == PH_ST_UNSCANNED &&
		    pfn_to_online_page(ph_tab_start + i))
			ph_scan_store(ph_tab_start + i, PH_ST_UNSCANNED,
				      PH_ST_STABLE);
	}
}

/*
 * Make every volatile page stable (volatile hinting switched off); with
 * @mapped_only, the mapped ones (the per-pte check went away: a mapped
 * page is volatile only under it, and the hooks that guard one, such as
 * copy-on-write, are detached with it). A page mapped after the test
 * went through a lookup hook on its way into the page table.
 */
void ph_states_sweep_volatile(bool mapped_only)
{
	struct page *page;
	unsigned long i;

	for (i = 0; i < ph_tab_nr; i++) {
		if (!(i & 4095))
			cond_resched();
		if (READ_ONCE(ph_tab[i]) != PH_ST_VOLATILE)
			continue;
		if (mapped_only) {
			page = pfn_to_online_page(ph_tab_start + i);
			if (!page || !folio_mapped(page_folio(page)))
				continue;
		}
		ph_scan_store(ph_tab_start + i, PH_ST_VOLATILE, PH_ST_STABLE);
	}
}

/* Mark every classified PFN unscanned again (before a rescan). */
void ph_states_unscan(void)
{
	unsigned long i;
	u8 old;

	for (i = 0; i < ph_tab_nr; i++) {
		if (!(i & 4095))
			cond_resched();
		old = READ_ONCE(ph_tab[i]);
		if (old == PH_ST_UNUSED || old == PH_ST_STABLE)
			ph_sb_cmpxchg(&ph_tab[i], old, PH_ST_UNSCANNED);
	}
}

/* Disagreement kinds, 0 = agrees. */
enum { PH_V_OK, PH_V_UNUSED_IN_USE, PH_V_USED_FREE, PH_V_VOL_BAD,
	PH_V_INDET };

static int ph_verify_one(unsigned long pfn, bool in_buddy,
			 struct ph_verify *v)
{
	struct page *page = pfn_to_online_page(pfn);
	enum ph_state st = ph_byte_state(READ_ONCE(*ph_tab_byte(pfn)));
	unsigned long mapping;
	struct folio *folio;

	if (!page)
		return PH_V_OK;
	if (in_buddy)
		return st == PH_ST_UNUSED ? PH_V_OK : PH_V_USED_FREE;
	if (!page_count(page))
		return st == PH_ST_UNUSED || st == PH_ST_STABLE ?
			PH_V_INDET : PH_V_USED_FREE;
	/*
	 * A balloon's page (PageOffline): the host's. pagehint's balloon
	 * marks its pages unused; another driver's balloon is not ours.
	 */
	if (PageOffline(page)) {
		if (st == PH_ST_UNUSED)
			v->balloon++;
		else
			v->offline_other++;
		return PH_V_OK;
	}
	if (st == PH_ST_UNUSED)
		return PH_V_UNUSED_IN_USE;
	if (st != PH_ST_VOLATILE)
		return PH_V_OK;
	/* no reference held: page-flag tests, which follow compound_head */
	folio = page_folio(page);
	mapping = (unsigned long)READ_ONCE(folio->mapping);
	if (!mapping || (mapping & PH_MAPPING_FLAGS) ||
	    folio_test_swapbacked(folio) || folio_test_dirty(folio) ||
	    folio_test_writeback(folio))
		return PH_V_VOL_BAD;
	return PH_V_OK;
}

/* A disagreement of @kind at @pfn: counted, and an example kept. */
static void ph_verify_count(struct ph_verify *v, unsigned long pfn, int kind)
{
	if (v->nfirst < ARRAY_SIZE(v->first))
		v->first[v->nfirst++] = pfn;
	if (kind == PH_V_UNUSED_IN_USE)
		v->unused_in_use++;
	else if (kind == PH_V_USED_FREE)
		v->used_but_free++;
	else
		v->volatile_ineligible++;
}

/**
 * ph_states_verify() - compare the table with the pages
 * @v: result
 *
 * Drains the per-CPU free lists, then walks every online PFN. A PFN that
 * disagrees is looked at again after the walk; one that agrees then was a
 * transition in flight ("transient"), not an error. Pages with a zero
 * reference count outside the buddy lists (per-CPU lists, tails of
 * non-compound blocks) are "indeterminate" unless marked volatile.
 */
void ph_states_verify(struct ph_verify *v)
{
	unsigned long i, pfn, buddy_end = 0, suspects[64];
	struct ph_verify scratch = { };	/* the second look counts nothing */
	unsigned int ns = 0, k;
	struct page *page;
	int kind;

	memset(v, 0, sizeof(*v));
	ph_states_drain_pcp();
	for (i = 0; i < ph_tab_nr; i++) {
		if (!(i & 1023))
			cond_resched();
		pfn = ph_tab_start + i;
		page = pfn_to_online_page(pfn);
		if (!page) {
			v->holes++;
			continue;
		}
		v->checked++;
		if (pfn >= buddy_end && PageBuddy(page)) {
			unsigned long o = ph_buddy_order_unsafe(page);

			if (o < PH_NR_PAGE_ORDERS) {
				buddy_end = pfn + (1UL << o);
				/* free, and the host was told: it holds none */
				if (PageReported(page))
					v->reported += 1UL << o;
			}
		}
		kind = ph_verify_one(pfn, pfn < buddy_end, v);
		if (kind == PH_V_INDET)
			v->indeterminate++;
		else if (kind && ns < ARRAY_SIZE(suspects))
			suspects[ns++] = pfn;
		else if (kind)	/* no room to look again: counts now */
			ph_verify_count(v, pfn, kind);
	}
	/* second look at the suspects, outside the walk */
	for (k = 0; k < ns; k++) {
		pfn = suspects[k];
		page = pfn_to_online_page(pfn);
		kind = ph_verify_one(pfn, page && PageBuddy(page), &scratch);
		if (kind == PH_V_OK || kind == PH_V_INDET)
			v->transient++;
		else
			ph_verify_count(v, pfn, kind);
	}
}

/* ---- the control plane's view (process context) ---- */

void ph_states_table(unsigned long *start_pfn, unsigned long *nr_pfns)
{
	*start_pfn = ph_tab_start;
	*nr_pfns = ph_tab_nr;
}

/*
 * Count the table over @zone's span into @n[PH_ST_NR]. Zone spans may
 * overlap (ZONE_MOVABLE): only the zone's own pages count.
 */
void ph_states_count_zone(struct zone *zone, unsigned long *n)
{
	unsigned long pfn, start, end;
	struct page *page;

	start = max(zone->zone_start_pfn, ph_tab_start);
	end = min(zone_end_pfn(zone), ph_tab_start + ph_tab_nr);
	for (pfn = start; pfn < end; pfn++) {
		if (!((pfn - start) & 4095))
			cond_resched();
		page = pfn_to_online_page(pfn);
		if (!page || page_zone(page) != zone)
			continue;
		n[ph_byte_state(READ_ONCE(ph_tab[pfn - ph_tab_start]))]++;
	}
}

unsigned long ph_states_transitions(enum ph_state from, enum ph_state to,
				    enum ph_site site)
{
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		sum += per_cpu_ptr(ph_st_stats, cpu)->trans[to][site][from];
		if (from == PH_ST_STABLE && to != PH_ST_STABLE)
			sum += per_cpu_ptr(ph_st_stats, cpu)->trans[to][site][PH_ST_UNSCANNED];
	}
	return sum;
}

unsigned long ph_states_refusals(enum ph_reason r)
{
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu_ptr(ph_st_stats, cpu)->refusals[r];
	return sum;
}

/* Is @pfn's state-change lock held (a transition deciding)? */
bool ph_state_locked(unsigned long pfn)
{
	u8 *b = ph_tab ? ph_tab_byte(pfn) : NULL;

	return b && (READ_ONCE(*b) & PH_SC_LOCK);
}

/* Why @folio, which the caller holds a reference on, would stay stable. */
enum ph_reason ph_states_reason(struct folio *folio)
{
	return ph_volatile_reason(folio, 1, 0);
}

/* ---- table setup ---- */

static int ph_states_init(void)
{
	unsigned long start, end, size;
	int ret;

	ph_online_pfn_span(&start, &end);
	if (start >= end)
		return -ENODEV;
	ph_st_stats = alloc_percpu(struct ph_states_pcpu);
	if (!ph_st_stats)
		return -ENOMEM;
	/* whole words: ph_set_tail_words() reads the one holding the last */
	size = round_up(end - start, sizeof(unsigned long));
	ph_tab = vmalloc(size);
	if (!ph_tab) {
		ret = -ENOMEM;
		goto err_stats;
	}
	memset(ph_tab, PH_ST_UNSCANNED, size);
	ph_tab_start = start;
	ph_tab_nr = end - start;
	ph_tab_bias = (unsigned long)pfn_to_page(start) >> PH_PAGE_SHIFT;
	ph_can_drain = !ph_resolve(ph_drain_all_pages, "drain_all_pages");
	if (!ph_can_drain)
		pr_info("drain_all_pages not found: scans see per-CPU free pages as indeterminate\n");
	ret = ph_states_hooks_init();
	if (ret)
		goto err_tab;
	pr_info("table: %lu PFNs from %lu (%lu KiB)\n", ph_tab_nr,
		ph_tab_start, ph_tab_nr >> 10);
	return 0;

err_tab:
	vfree(ph_tab);
	ph_tab = NULL;
err_stats:
	free_percpu(ph_st_stats);
	ph_st_stats = NULL;
	return ret;
}

static void ph_states_exit(void)
{
	ph_states_hooks_exit();
	synchronize_rcu();
	vfree(ph_tab);
	ph_tab = NULL;
	ph_tab_nr = 0;
	free_percpu(ph_st_stats);
	ph_st_stats = NULL;
}

const struct ph_component ph_states_component = {
	.name = "states",
	.init = ph_states_init,
	.exit = ph_states_exit,
};
