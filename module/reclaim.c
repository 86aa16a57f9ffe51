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
 * Per-task state: the events of one decision come from the reclaiming
 * task (kswapd or a direct reclaimer), which may change CPU between them
 * (the rmap walk reschedules), so the pending folio lives in a small table
 * of slots keyed by the task (struct ph_rc_slot). A slot is claimed with
 * cmpxchg and then touched only by its owner; it is released at the end of
 * the batch. Hooks attach end-of-batch first and the opening hook last, so
 * a batch is never half seen; after detaching, ph_rc_drain() drops what is
 * left. Counters are per CPU; handlers never allocate, sleep or print.
 *
 * Reclaim in use: with MGLRU on (/sys/kernel/mm/lru_gen/enabled, built but
 * off on Debian 6.1) there are no two inactive-list looks (mapped,
 * referenced folios are kept by generation, not rotated): classification
 * is unsupported there and says so; looks are only counted as skipped.
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
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/percpu.h>
#include "pagehint.h"
#include "ph_hooks.h"
#include "ph_compat.h"
#include "ph_states.h"
#include "ph_reclaim.h"
#include "pagehint_trace.h"

#define PH_RC_SLOTS	64	/* reclaiming tasks followed at once */
#define PH_RC_PROBE	4	/* slots probed per task */

enum ph_rc_stat {
	PH_RS_LOOK_FIRST,	/* inactive looks at mapped file folios, 1st */
	PH_RS_LOOK_SECOND,	/* ... and 2nd (PG_referenced set) */
	PH_RS_ROTATED,
	PH_RS_ACTIVATED_FIRST,	/* activated at the first look */
	PH_RS_ACTIVATED_SECOND,	/* activated on a second reference */
	PH_RS_USED_ONCE,
	PH_RS_UNREFERENCED,
	PH_RS_KEPT,
	PH_RS_FREED,
	PH_RS_MGLRU_SKIPPED,	/* looks under MGLRU: not classified */
	PH_RS_UNTRACKED,	/* no free slot for the reclaiming task */
	PH_RS_NR,
};

static const char *const ph_rc_stat_names[PH_RS_NR] = {
	"look_first", "look_second", "rotated", "activated_first",
	"activated_second", "used_once", "reclaimed_unreferenced", "kept",
	"freed", "mglru_skipped", "untracked",
};

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
	u8 trip;
	bool decided;			/* try_to_unmap seen: reclaim */
};

static struct ph_rc_slot ph_rc_slots[PH_RC_SLOTS];

/* Classification armed; changed only with every hook detached. */
static bool ph_rc_uo_armed;

/* MGLRU's on switch (lru_gen_caps[LRU_GEN_CORE]); NULL: not built. */
static struct static_key *ph_rc_lru_gen;

static int ph_rc_apply(const struct ph_policy *p, unsigned long val);

PH_POLICY(ph_used_once, used_once, 1, 0, 1, NULL, ph_rc_apply,
	  "follow reclaim's decisions on mapped file folios (0/1, default 1)");

static inline void ph_rc_count(enum ph_rc_stat s)
{
	this_cpu_inc(ph_rc_stats[s]);
}

static bool ph_rc_mglru(void)
{
	return ph_rc_lru_gen && static_key_enabled(ph_rc_lru_gen);
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
	ph_rc_count(PH_RS_UNTRACKED);
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
	ph_rc_count(stat);
	trace_reclaim_decision(s->pfn, s->ino, s->index, s->trip, d);
}

/*
 * The pending look ended without a reclaim decision. The folio is still
 * isolated by shrink_folio_list() (on its keep list), so its flags are
 * reclaim's verdict: PG_active set by activate_locked, PG_referenced set
 * by folio_check_references() for a rotation.
 */
static void ph_rc_finish(struct ph_rc_slot *s)
{
	struct folio *folio = s->folio;

	if (!folio || s->decided)
		return;
	if (folio_test_active(folio))
		ph_rc_decide(s, s->trip == PH_TRIP_SECOND ?
			     PH_RS_ACTIVATED_SECOND : PH_RS_ACTIVATED_FIRST,
			     PH_RC_ACTIVATED);
	else if (folio_test_referenced(folio))
		ph_rc_decide(s, PH_RS_ROTATED, PH_RC_ROTATED);
	else
		ph_rc_decide(s, PH_RS_KEPT, PH_RC_KEPT);
	s->folio = NULL;
}

/* A look at a folio of the inactive list: shrink_folio_list, folio locked. */
static void ph_rc_inactive_look(struct folio *folio)
{
	struct address_space *mapping;
	struct ph_rc_slot *s;
	bool mapped_file;

	if (!READ_ONCE(ph_rc_uo_armed))
		return;
	mapped_file = !folio_test_anon(folio) &&
		      !folio_test_swapbacked(folio) && folio_mapped(folio);
	s = ph_rc_slot(mapped_file);
	if (s)
		ph_rc_finish(s);
	if (!mapped_file)
		return;
	if (ph_rc_mglru()) {
		ph_rc_count(PH_RS_MGLRU_SKIPPED);
		return;
	}
	ph_rc_count(folio_test_referenced(folio) ? PH_RS_LOOK_SECOND :
		    PH_RS_LOOK_FIRST);
	if (!s)
		return;
	mapping = folio_mapping(folio);
	s->folio = folio;
	s->decided = false;
	s->trip = folio_test_referenced(folio) ? PH_TRIP_SECOND : PH_TRIP_FIRST;
	s->pfn = folio_pfn(folio);
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
 * Attach order matters: end-of-batch hooks first, the opening look last,
 * so no batch is followed from its middle (ph_hooks_detach_all() detaches
 * in reverse: the opening look goes first).
 */
enum {
	PH_RC_H_DELETE, PH_RC_H_FLUSH, PH_RC_H_UNMAP, PH_RC_H_LOOK, PH_RC_H_NR
};

static struct ph_hook ph_rc_hooks[PH_RC_H_NR] = {
	[PH_RC_H_DELETE] = {
		.name = "reclaim_freed", .kind = PH_HOOK_TRACEPOINT,
		.target = "mm_filemap_delete_from_page_cache",
		.tp_probe = ph_rc_delete,
	},
	[PH_RC_H_FLUSH] = {
		.name = "reclaim_batch_end", .kind = PH_HOOK_FTRACE,
		.target = "try_to_unmap_flush", .ftrace_fn = ph_rc_batch_end,
	},
	[PH_RC_H_UNMAP] = {
		.name = "reclaim_unmap", .kind = PH_HOOK_FTRACE,
		.target = "try_to_unmap", .ftrace_fn = ph_rc_unmap,
	},
	[PH_RC_H_LOOK] = {
		.name = "reclaim_look", .kind = PH_HOOK_FTRACE,
		.target = "folio_referenced", .ftrace_fn = ph_rc_referenced,
	},
};

/* Every hook detached: nothing runs, forget what the slots still hold. */
static void ph_rc_drain(void)
{
	memset(ph_rc_slots, 0, sizeof(ph_rc_slots));
}

/* Attach or detach the classification hooks. Sleeps. */
static int ph_rc_arm(bool uo)
{
	int ret;

	ph_hooks_detach_all(ph_rc_hooks, PH_RC_H_NR);
	ph_rc_drain();
	WRITE_ONCE(ph_rc_uo_armed, uo);
	if (!uo)
		return 0;
	ret = ph_hooks_attach_all(ph_rc_hooks, PH_RC_H_NR);
	if (!ret)
		return 0;
	ph_hooks_detach_all(ph_rc_hooks, PH_RC_H_NR);
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

static int reclaim_show(struct seq_file *m, void *v)
{
	unsigned long sum[PH_RS_NR] = { };
	int cpu, i;

	for_each_possible_cpu(cpu)
		for (i = 0; i < PH_RS_NR; i++)
			sum[i] += per_cpu(ph_rc_stats, cpu)[i];
	seq_printf(m, "lru %s\n", ph_rc_mglru() ? "mglru" : "classic");
	seq_printf(m, "classification %s\n",
		   !READ_ONCE(ph_rc_uo_armed) ? "off" :
		   ph_rc_mglru() ? "unsupported_under_mglru" : "on");
	for (i = 0; i < PH_RS_NR; i++)
		seq_printf(m, "%s %lu\n", ph_rc_stat_names[i], sum[i]);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(reclaim);

static int ph_reclaim_init(void)
{
	int ret;

	ph_rc_lru_gen = (struct static_key *)ph_lookup_symbol("lru_gen_caps");
	ret = ph_hooks_register("reclaim", ph_rc_hooks, PH_RC_H_NR);
	if (ret)
		return ret;
	mutex_lock(&ph_policy_lock);
	ret = ph_rc_arm(ph_used_once);
	mutex_unlock(&ph_policy_lock);
	if (ret) {
		ph_hooks_unregister(ph_rc_hooks, PH_RC_H_NR);
		return ret;
	}
	ph_policy_add(&ph_used_once_policy);
	debugfs_create_file("reclaim", 0400, ph_debugfs_root, NULL,
			    &reclaim_fops);
	pr_info("lru: %s%s\n", ph_rc_mglru() ? "mglru" : "classic",
		ph_rc_mglru() ? " (used-once classification unsupported)" : "");
	return 0;
}

static void ph_reclaim_exit(void)
{
	ph_hooks_unregister(ph_rc_hooks, PH_RC_H_NR);
	ph_rc_drain();
}

const struct ph_component ph_reclaim_component = {
	.name = "reclaim",
	.init = ph_reclaim_init,
	.exit = ph_reclaim_exit,
};
