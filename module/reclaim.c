// SPDX-License-Identifier: GPL-2.0
/*
 * pagehint reclaim: used-once detection for mapped file pages (seed 004).
 *
 * Since "vmscan: detect mapped file pages used only once" (2.6.34), the
 * classic LRU gives a mapped file folio two looks on the inactive list:
 * every mapped page starts with a young pte from its fault, so a first
 * referenced look only sets PG_referenced and rotates the folio; it is
 * activated only if it comes back with another pte reference, and
 * reclaimed as used-once otherwise. A linear stream of mmapped data then
 * leaves after one inactive-list cycle without pushing the working set out.
 * This component watches those decisions on a stock kernel, per folio:
 *
 *   folio_referenced(folio, is_locked=1)   the inactive-list look, inside
 *       (ftrace entry)                     shrink_folio_list(), folio locked:
 *                                          PG_referenced tells the trip
 *   try_to_unmap(folio)  (ftrace entry)    the look decided "reclaim"
 *   mm_filemap_delete_from_page_cache      ... and the folio left the cache
 *   next look / try_to_unmap_flush()       no reclaim: read the outcome from
 *       (ftrace entry)                     the flags while the folio is
 *                                          still isolated: PG_active =
 *                                          activated, else rotated / kept
 *
 * No kretprobe, no rmap walk of our own: the kernel's folio_referenced()
 * has already walked the ptes; we read the flags it leaves.
 *
 * MGLRU (/sys/kernel/mm/lru_gen/enabled; on at boot on Debian's 6.12 and
 * 7.x) has no inactive list, but its eviction takes the oldest
 * generation's folios through the same shrink_folio_list() and
 * folio_referenced(folio, 1, ...) look, so the four events above are the
 * same; what differs is where a folio's first page-table reference went
 * and so which trip a look is:
 *  - 6.12's aging (the page-table walk, folio_update_gen()) promotes a
 *    folio to the youngest generation at its first young pte and clears
 *    it, and its eviction look keeps a referenced folio (PG_referenced,
 *    then the youngest generation) the first time too: no flag remembers
 *    either. pagehint remembers it, one bit per PFN ("seen"): set at an
 *    aging promotion (ftrace on folio_update_gen) or at a referenced
 *    eviction look, cleared when the folio enters the page cache
 *    (mm_filemap_add_to_page_cache).
 *    An eviction look that finds a young pte also clears the young ptes
 *    around it (lru_gen_look_around()) and promotes their folios without
 *    folio_update_gen() when the reclaimer has no page-table walk
 *    (folio_activate()), or, for the folios reclaim isolated in the same
 *    batch, sets PG_referenced, which makes shrink_folio_list() keep them
 *    without a look of their own. When reclaim reaches a stream before
 *    any aging walked its page tables, that is how most of its folios
 *    are first referenced, so the bit is also set at the look-around's
 *    entry for every young pte in its range (ftrace on
 *    lru_gen_look_around).
 *  - 7.x's MGLRU applies the two-look rule itself: the first page-table
 *    access only sets PG_referenced (aging and eviction alike), a second
 *    one promotes and sets PG_workingset. folio_update_gen() is inlined
 *    there; those flags say what the bit would.
 * A look is the second trip when the folio was seen referenced through
 * page tables before (bit, or on 7.x PG_referenced/PG_workingset); the
 * decisions and their names are those of the classic LRU. Reclaimed
 * unreferenced on its second trip is used once: it left after one
 * promotion, which the fault's young pte earned it.
 *
 * Per-task state: the events of one decision come from the reclaiming
 * task (kswapd or a direct reclaimer), which may change CPU between them
 * (the rmap walk reschedules), so the pending folio lives in a small table
 * of slots keyed by the task (struct ph_rc_slot). A slot is claimed with
 * cmpxchg and then touched only by its owner; it is released at the end of
 * the batch. Hooks attach end-of-batch first and the opening hook last, so
 * a batch is never half seen; after detaching, ph_rc_drain() drops what is
 * left. Counters are per CPU; handlers never allocate, sleep or print.
 *
 * Deactivation (active -> inactive, the seed's strategic point 5) is the
 * states component's: policy volatile_deactivate.
 */
#define pr_fmt(fmt) "pagehint: reclaim: " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/hash.h>
#include <linux/jump_label.h>
#include <linux/percpu.h>
#include <linux/bitmap.h>
#include <linux/vmalloc.h>
#include <linux/rmap.h>
#include <linux/memcontrol.h>
#include "pagehint.h"
#include "ph_hooks.h"
#include "ph_compat.h"
#include "ph_states.h"
#include "ph_reclaim.h"
#include "pagehint_trace.h"

#define PH_RC_SLOTS	64	/* reclaiming tasks followed at once */
#define PH_RC_PROBE	4	/* slots probed per task */

static DEFINE_PER_CPU(unsigned long [PH_RS_NR], ph_rc_stats);

/*
 * One reclaiming task's pending work. @task is claimed with cmpxchg(); all
 * other fields belong to that task and are only touched from its context
 * (or by ph_rc_drain() once every hook is detached).
 */
struct ph_rc_slot {
	struct task_struct *task;
	struct folio *folio;		/* inactive look in progress */
	unsigned long pfn, ino, index;
	unsigned long nr;		/* pages of the folio */
	u8 trip;
	bool ref0;			/* PG_referenced at the look */
	bool decided;			/* try_to_unmap seen: reclaim */
};

static struct ph_rc_slot ph_rc_slots[PH_RC_SLOTS];

/* Classification armed; changed only with every hook detached. */
static bool ph_rc_uo_armed;

/* MGLRU's on switch (lru_gen_caps[LRU_GEN_CORE]); NULL: not built. */
static struct static_key *ph_rc_lru_gen;

/*
 * MGLRU: one bit per PFN of [ph_rc_seen_start, + ph_rc_seen_nr), set when
 * a page-table reference of the mapped file folio there was seen (atomic
 * bit operations; allocated at init, freed after every hook detached).
 */
static unsigned long *ph_rc_seen;
static unsigned long ph_rc_seen_start, ph_rc_seen_nr;
/* 7.x's MGLRU marks a first page-table access itself (lru_gen_set_refs). */
static bool ph_rc_mglru_marks;

static int ph_rc_apply(const struct ph_policy *p, unsigned long val);

PH_POLICY(ph_used_once, used_once, 1, 0, 1, "0/1", ph_rc_apply,
	  "follow reclaim's decisions on mapped file folios");

/*
 * Count @nr pages for @s: the decisions are per folio, the counters in
 * pages (7.x's ext4 caches large folios), "untracked" in looks.
 */
static inline void ph_rc_count(enum ph_rc_stat s, unsigned long nr)
{
	this_cpu_add(ph_rc_stats[s], nr);
}

static bool ph_rc_mglru(void)
{
	return ph_rc_lru_gen && static_key_enabled(ph_rc_lru_gen);
}

static bool ph_rc_seen_test(struct folio *folio)
{
	unsigned long i = folio_pfn(folio) - ph_rc_seen_start;

	return i < ph_rc_seen_nr && test_bit(i, ph_rc_seen);
}

static void ph_rc_seen_set(struct folio *folio)
{
	unsigned long i = folio_pfn(folio) - ph_rc_seen_start;

	if (i < ph_rc_seen_nr && !test_bit(i, ph_rc_seen))
		set_bit(i, ph_rc_seen);
}

/*
 * Has a page-table reference of @folio been seen before this look? The
 * classic LRU's own answer is PG_referenced (folio_check_references());
 * MGLRU's is above.
 */
static bool ph_rc_second_trip(struct folio *folio)
{
	if (!ph_rc_mglru())
		return folio_test_referenced(folio);
	return ph_rc_seen_test(folio) ||
	       (ph_rc_mglru_marks && (folio_test_referenced(folio) ||
				      folio_test_workingset(folio)));
}

/* The calling task's slot; claim a free one when @claim. NULL if none. */
static struct ph_rc_slot *ph_rc_slot(bool claim)
{
	unsigned int h = hash_ptr(current, ilog2(PH_RC_SLOTS)), i;
	struct ph_rc_slot *s;

	for (i = 0; i < PH_RC_PROBE; i++) {
		s = &ph_rc_slots[(h + i) % PH_RC_SLOTS];
		if (READ_ONCE(s->task) == current)
			return s;
	}
	if (!claim)
		return NULL;
	for (i = 0; i < PH_RC_PROBE; i++) {
		s = &ph_rc_slots[(h + i) % PH_RC_SLOTS];
		if (!READ_ONCE(s->task) && !cmpxchg(&s->task, NULL, current))
			return s;
	}
	ph_rc_count(PH_RS_UNTRACKED, 1);
	return NULL;
}

static void ph_rc_release(struct ph_rc_slot *s)
{
	s->folio = NULL;
	/* reset before another task may claim the slot */
	smp_store_release(&s->task, NULL);
}

static void ph_rc_decide(struct ph_rc_slot *s, enum ph_rc_stat stat,
			 enum ph_rc_decision d)
{
	ph_rc_count(stat, s->nr);
	trace_reclaim_decision(s->pfn, s->ino, s->index, s->trip, d);
}

/*
 * The pending look ended without a reclaim decision. The folio is still
 * isolated by shrink_folio_list() (on its keep list), so its flags are
 * reclaim's verdict: PG_active set by activate_locked, PG_referenced set
 * by the look for a rotation (or, under MGLRU, a first reference kept for
 * the youngest generation). A PG_referenced that was there before the look
 * and stays without activation is a keep for another reason (rmap
 * contention, say): 7.x's MGLRU does not clear it at the look.
 */
static void ph_rc_finish(struct ph_rc_slot *s)
{
	struct folio *folio = s->folio;
	bool referenced;

	if (!folio || s->decided)
		return;
	referenced = folio_test_active(folio) ||
		     (folio_test_referenced(folio) && !s->ref0);
	if (folio_test_active(folio))
		ph_rc_decide(s, s->trip == PH_TRIP_SECOND ?
			     PH_RS_ACTIVATED_SECOND : PH_RS_ACTIVATED_FIRST,
			     PH_RC_ACTIVATED);
	else if (referenced)
		ph_rc_decide(s, PH_RS_ROTATED, PH_RC_ROTATED);
	else
		ph_rc_decide(s, PH_RS_KEPT, PH_RC_KEPT);
	if (referenced && ph_rc_mglru())
		ph_rc_seen_set(folio);
	s->folio = NULL;
}

/* A look at a folio of the inactive list: shrink_folio_list, folio locked. */
static void ph_rc_inactive_look(struct folio *folio)
{
	struct address_space *mapping;
	struct ph_rc_slot *s;
	bool mapped_file, second;

	if (!READ_ONCE(ph_rc_uo_armed))
		return;
	mapped_file = !folio_test_anon(folio) &&
		      !folio_test_swapbacked(folio) && folio_mapped(folio);
	s = ph_rc_slot(mapped_file);
	if (s)
		ph_rc_finish(s);
	if (!mapped_file)
		return;
	second = ph_rc_second_trip(folio);
	ph_rc_count(second ? PH_RS_LOOK_SECOND : PH_RS_LOOK_FIRST,
		    folio_nr_pages(folio));
	if (!s)
		return;
	mapping = folio_mapping(folio);
	s->folio = folio;
	s->decided = false;
	s->ref0 = folio_test_referenced(folio);
	s->trip = second ? PH_TRIP_SECOND : PH_TRIP_FIRST;
	s->pfn = folio_pfn(folio);
	s->nr = folio_nr_pages(folio);
	s->index = folio->index;
	s->ino = mapping && mapping->host ? mapping->host->i_ino : 0;
}

/* ftrace: folio_referenced(folio, is_locked, memcg, vm_flags) */
static void ph_rc_referenced(struct ph_hook *h, unsigned long ip,
			     struct ftrace_regs *fregs)
{
	struct folio *folio = (struct folio *)ph_ftrace_arg(fregs, 0);

	if (!current->reclaim_state)
		return;
	/* is_locked: the inactive list's look (the active list's is not) */
	if (ph_ftrace_arg(fregs, 1))
		ph_rc_inactive_look(folio);
}

/* ftrace: try_to_unmap(folio, flags): the pending look said "reclaim" */
static void ph_rc_unmap(struct ph_hook *h, unsigned long ip,
			struct ftrace_regs *fregs)
{
	struct folio *folio = (struct folio *)ph_ftrace_arg(fregs, 0);
	struct ph_rc_slot *s;

	if (!current->reclaim_state)
		return;
	s = ph_rc_slot(false);
	if (!s || s->folio != folio || s->decided)
		return;
	s->decided = true;
	if (s->trip == PH_TRIP_SECOND)
		ph_rc_decide(s, PH_RS_USED_ONCE, PH_RC_USED_ONCE);
	else
		ph_rc_decide(s, PH_RS_UNREFERENCED, PH_RC_UNREFERENCED);
}

/* ftrace: try_to_unmap_flush(), last call of shrink_folio_list()'s batch */
static void ph_rc_batch_end(struct ph_hook *h, unsigned long ip,
			    struct ftrace_regs *fregs)
{
	struct ph_rc_slot *s;

	if (!current->reclaim_state)
		return;
	s = ph_rc_slot(false);
	if (!s)
		return;
	ph_rc_finish(s);
	ph_rc_release(s);
}

/* tracepoint mm_filemap_delete_from_page_cache(folio), i_pages locked */
static void ph_rc_delete(struct ph_hook *h, struct folio *folio)
{
	struct ph_rc_slot *s;

	ph_hook_hit(h);
	if (!current->reclaim_state)
		return;
	s = ph_rc_slot(false);
	if (!s || s->folio != folio || !s->decided)
		return;
	ph_rc_decide(s, PH_RS_FREED, PH_RC_FREED);
	s->folio = NULL;
}

/*
 * MGLRU's aging found a young pte of @folio and promotes it to the
 * youngest generation: folio_update_gen(folio, gen), entry (6.x; inlined
 * on 7.x, whose flags tell instead). Anon folios are not our business.
 */
static void ph_rc_aging(struct ph_hook *h, unsigned long ip,
			struct ftrace_regs *fregs)
{
	struct folio *folio = (struct folio *)ph_ftrace_arg(fregs, 0);

	if (!READ_ONCE(ph_rc_uo_armed) || folio_test_anon(folio) ||
	    folio_test_swapbacked(folio))
		return;
	ph_rc_count(PH_RS_AGING, folio_nr_pages(folio));
	ph_rc_seen_set(folio);
}

/*
 * The ptes lru_gen_look_around() scans around @pvmw's: those of the same
 * page table and VMA, at most PH_LRU_LOOK_BATCH centred on it.
 */
static void ph_rc_look_range(const struct page_vma_mapped_walk *pvmw,
			     unsigned long *startp, unsigned long *endp)
{
	unsigned long addr = pvmw->address;
	unsigned long batch = PH_LRU_LOOK_BATCH * PAGE_SIZE;
	unsigned long start = max(addr & PMD_MASK, pvmw->vma->vm_start);
	unsigned long end = min(addr | ~PMD_MASK, pvmw->vma->vm_end - 1) + 1;

	if (end - start > batch) {
		if (addr - start < batch / 2) {
			end = start + batch;
		} else if (end - addr < batch / 2) {
			start = end - batch;
		} else {
			start = addr - batch / 2;
			end = addr + batch / 2;
		}
	}
	*startp = start;
	*endp = end;
}

/*
 * One pte of the range: a young pte of a file folio the look-around will
 * take (its node and memory cgroup: get_pfn_folio()) is a first reference.
 */
static void ph_rc_look_pte(pte_t pte, int nid, struct mem_cgroup *memcg)
{
	unsigned long pfn = pte_pfn(pte);
	struct folio *folio;

	if (!pte_present(pte) || !pte_young(pte) || pte_special(pte) ||
	    !pfn_valid(pfn))
		return;
	folio = pfn_folio(pfn);
	if (folio_test_anon(folio) || !READ_ONCE(folio->mapping) ||
	    folio_nid(folio) != nid || folio_memcg(folio) != memcg)
		return;
	ph_rc_count(PH_RS_LOOK_AROUND, 1);
	ph_rc_seen_set(folio);
}

/*
 * lru_gen_look_around(pvmw), entry (6.x; 7.x's flags tell instead): the
 * eviction look at pvmw's folio found its pte young; the ptes are read
 * before the kernel clears them. pvmw->ptl is held, so the page table
 * stays and the folios mapped there keep their mapping's reference.
 */
static void ph_rc_look_around(struct ph_hook *h, unsigned long ip,
			      struct ftrace_regs *fregs)
{
	struct page_vma_mapped_walk *pvmw = (void *)ph_ftrace_arg(fregs, 0);
	unsigned long start, end, addr;
	struct folio *target;
	struct mem_cgroup *memcg;
	pte_t *pte;

	if (!READ_ONCE(ph_rc_uo_armed) || ph_rc_mglru_marks || !pvmw->pte ||
	    (pvmw->vma->vm_flags & VM_SPECIAL))
		return;
	ph_rc_look_range(pvmw, &start, &end);
	target = pfn_folio(pvmw->pfn);
	pte = pvmw->pte - (pvmw->address - start) / PAGE_SIZE;
	rcu_read_lock();	/* folio_memcg() */
	memcg = folio_memcg(target);
	for (addr = start; addr != end; addr += PAGE_SIZE, pte++)
		ph_rc_look_pte(ptep_get(pte), folio_nid(target), memcg);
	rcu_read_unlock();
}

/*
 * tracepoint mm_filemap_add_to_page_cache(folio): a new page-cache life
 * for these PFNs; nothing of an earlier one was seen.
 */
static void ph_rc_added(struct ph_hook *h, struct folio *folio)
{
	unsigned long i = folio_pfn(folio) - ph_rc_seen_start;
	unsigned long nr = folio_nr_pages(folio);

	ph_hook_hit(h);
	if (i >= ph_rc_seen_nr || nr > ph_rc_seen_nr - i)
		return;
	if (nr == 1) {
		if (test_bit(i, ph_rc_seen))
			clear_bit(i, ph_rc_seen);
		return;
	}
	bitmap_clear(ph_rc_seen, i, nr);	/* under the folio lock */
}

/*
 * Attach order matters: end-of-batch hooks first, the opening look last,
 * so no batch is followed from its middle (ph_hooks_detach_all() detaches
 * in reverse: the opening look goes first). The MGLRU bookkeeping (new
 * page-cache folios, aging promotions) comes before all of them.
 */
#define PH_RC_HOOKS(H)							\
	(H(reclaim_added, TRACEPOINT, "mm_filemap_add_to_page_cache", 0, \
	   .tp_probe = ph_rc_added)					\
	 H(reclaim_aging, FTRACE, "folio_update_gen", PH_HOOK_OPTIONAL,	\
	   .ftrace_fn = ph_rc_aging)					\
	 H(reclaim_look_around, FTRACE, "lru_gen_look_around",		\
	   PH_HOOK_OPTIONAL, .ftrace_fn = ph_rc_look_around)		\
	 H(reclaim_freed, TRACEPOINT, "mm_filemap_delete_from_page_cache", \
	   0, .tp_probe = ph_rc_delete)					\
	 H(reclaim_batch_end, FTRACE, "try_to_unmap_flush", 0,		\
	   .ftrace_fn = ph_rc_batch_end)				\
	 H(reclaim_unmap, FTRACE, "try_to_unmap", 0,			\
	   .ftrace_fn = ph_rc_unmap)					\
	 H(reclaim_look, FTRACE, "folio_referenced", 0,			\
	   .ftrace_fn = ph_rc_referenced))

enum { PH_LIST(PH_RC_HOOKS(PH_HOOK_ID)) PH_RC_NR_HOOKS };

static struct ph_hook ph_rc_hooks[PH_RC_NR_HOOKS] = {
	PH_LIST(PH_RC_HOOKS(PH_HOOK_DEF))
};

/*
 * Every hook detached: nothing runs, forget what the slots still hold;
 * and what was seen (folios added meanwhile were not cleared).
 */
static void ph_rc_drain(void)
{
	memset(ph_rc_slots, 0, sizeof(ph_rc_slots));
	bitmap_zero(ph_rc_seen, ph_rc_seen_nr);
}

/* Attach or detach the classification hooks. Sleeps. */
static int ph_rc_arm(bool uo)
{
	int ret;

	ph_hooks_detach_all(ph_rc_hooks, PH_RC_NR_HOOKS);
	ph_rc_drain();
	WRITE_ONCE(ph_rc_uo_armed, uo);
	if (!uo)
		return 0;
	ret = ph_hooks_attach_all(ph_rc_hooks, PH_RC_NR_HOOKS);
	if (!ret)
		return 0;
	ph_hooks_detach_all(ph_rc_hooks, PH_RC_NR_HOOKS);
	ph_rc_drain();
	WRITE_ONCE(ph_rc_uo_armed, false);
	return ret;
}

/* Policy apply(), ph_policy_lock held; the new value is stored after. */
static int ph_rc_apply(const struct ph_policy *p, unsigned long val)
{
	int ret = ph_rc_arm(val);

	if (ret)	/* back to what the old value asked for */
		ph_rc_arm(READ_ONCE(ph_used_once));
	return ret;
}

/* ---- for the control plane (debugfs/reclaim.c) ---- */

void ph_reclaim_status(struct ph_reclaim_status *st)
{
	int cpu, i;

	memset(st, 0, sizeof(*st));
	for_each_possible_cpu(cpu)
		for (i = 0; i < PH_RS_NR; i++)
			st->stats[i] += per_cpu(ph_rc_stats, cpu)[i];
	st->mglru = ph_rc_mglru();
	st->armed = READ_ONCE(ph_rc_uo_armed);
	if (ph_rc_mglru_marks)
		st->first_ref = PH_RC_FIRST_KERNEL_FLAGS;
	else if (!ph_rc_hooks[PH_HK_reclaim_aging].available)
		st->first_ref = PH_RC_FIRST_LOOKS;
	else if (ph_rc_hooks[PH_HK_reclaim_look_around].available)
		st->first_ref = PH_RC_FIRST_HOOKS;
	else
		st->first_ref = PH_RC_FIRST_AGING_HOOK;
}

/* The PFN span of every online node, for the seen bitmap. */
static int ph_rc_seen_alloc(void)
{
	unsigned long start, end;

	ph_online_pfn_span(&start, &end);
	if (start >= end)
		return -ENODEV;
	ph_rc_seen = vzalloc(BITS_TO_LONGS(end - start) * sizeof(long));
	if (!ph_rc_seen)
		return -ENOMEM;
	ph_rc_seen_start = start;
	ph_rc_seen_nr = end - start;
	return 0;
}

static int ph_reclaim_init(void)
{
	int ret;

	ph_rc_lru_gen = (struct static_key *)ph_lookup_symbol("lru_gen_caps");
	ph_rc_mglru_marks = ph_lookup_symbol("lru_gen_set_refs");
	ret = ph_rc_seen_alloc();
	if (ret)
		return ret;
	ret = ph_hooks_register("reclaim", ph_rc_hooks, PH_RC_NR_HOOKS);
	if (ret)
		goto err_seen;
	mutex_lock(&ph_policy_lock);
	ret = ph_rc_arm(ph_used_once);
	mutex_unlock(&ph_policy_lock);
	if (ret) {
		ph_hooks_unregister(ph_rc_hooks, PH_RC_NR_HOOKS);
		goto err_seen;
	}
	ph_policy_add(&ph_used_once_policy);
	pr_info("lru: %s\n", ph_rc_mglru() ? "mglru" : "classic");
	return 0;

err_seen:
	vfree(ph_rc_seen);
	ph_rc_seen = NULL;
	return ret;
}

static void ph_reclaim_exit(void)
{
	ph_hooks_unregister(ph_rc_hooks, PH_RC_NR_HOOKS);
	ph_rc_drain();
	vfree(ph_rc_seen);
	ph_rc_seen = NULL;
}

const struct ph_component ph_reclaim_component = {
	.name = "reclaim",
	.init = ph_reclaim_init,
	.exit = ph_reclaim_exit,
};
