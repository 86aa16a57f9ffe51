// SPDX-License-Identifier: GPL-2.0
/*
 * pagehint page states: the deactivation strategic point (the seed's
 * active -> inactive move), on the classic LRU and under MGLRU. Its
 * hooks are in states_hooks.c's table (states_deactivate_ref,
 * states_deactivate, states_deactivate_aging); what a try decides is
 * __ph_try_volatile()'s (states.c).
 *
 * Classic LRU. The folios shrink_active_list() deactivates are isolated
 * while it decides, so the try waits until it put them back:
 * folio_referenced() (called on each while it is still active) remembers
 * page-cache candidates, the mm_vmscan_lru_shrink_active tracepoint at
 * the end tries those that are no longer active.
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
#define pr_fmt(fmt) "pagehint: states: " fmt

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mm_inline.h>
#include <linux/kprobes.h>
#include <linux/sched.h>
#include "pagehint.h"
#include "ph_hooks.h"
#include "ph_compat.h"
#include "ph_states_int.h"

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

void ph_ft_referenced(struct ph_hook *h, unsigned long ip,
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

void ph_tp_shrink_active(struct ph_hook *h, int nid,
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

/* Forget the remembered folios (volatile switched off, or unload). */
void ph_states_forget(void)
{
	ph_states_ring_flush_all();
	memset(ph_dslots, 0, sizeof(ph_dslots));
}

#ifdef CONFIG_LRU_GEN
/*
 * Deactivation under MGLRU. There is no active list: a folio counts as
 * active while it is in one of the MIN_NR_GENS youngest generations
 * (lru_gen_is_active()), and the aging (inc_max_seq(), reached through
 * try_to_inc_max_seq(lruvec, seq, ...)) turns a whole generation inactive
 * when it opens a new one: the generation of seq - 1, as inc_max_seq()
 * moves it from the active to the inactive LRU sizes. After an aging that
 * succeeded, that generation's file folios are tried (site deactivate),
 * from its tail, which the eviction reaches first: up to PH_DRING at a
 * time are taken with a reference under the lruvec's LRU lock, PH_DSCAN
 * entries looked at per lock hold, and tried after it is dropped. The next
 * batch resumes after the last folio looked at, held by a reference, while
 * that folio is still on the generation's list; the walk ends there
 * otherwise, at the list's head, or after PH_MGLRU_DEACT_MAX folios.
 *
 * The walk runs in the kretprobe's return handler, in the reclaiming
 * task after its aging (preemption off, a few times per reclaim cycle);
 * the lruvec is its reclaim's, alive for the call.
 */
#define PH_DSCAN		(4 * PH_DRING)
#define PH_MGLRU_DEACT_MAX	8192

int ph_age_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct ph_age_data *d = (void *)ri->data;

	d->lruvec = (void *)regs_get_kernel_argument(regs, 0);
	d->seq = regs_get_kernel_argument(regs, 1);
	return 0;
}

/* Is @f still on the file list of generation @gen, zone @zone? (LRU lock) */
static bool ph_on_gen_list(struct folio *f, int gen, int zone)
{
	return folio_test_lru(f) && folio_lru_gen(f) == gen &&
	       folio_is_file_lru(f) && folio_zonenum(f) == zone;
}

/*
 * One batch of the walk of @head, after *@cursor (NULL: from the tail);
 * returns the folios taken, leaves *@cursor referenced or NULL at the end.
 */
static unsigned int ph_age_batch(struct lruvec *lruvec, struct list_head *head,
				 int gen, int zone, struct folio **cursor,
				 struct folio **batch)
{
	struct folio *f = NULL, *last = *cursor, *next = NULL;
	struct list_head *pos;
	unsigned int n = 0, seen = 0;
	unsigned long flags, i;

	spin_lock_irqsave(&lruvec->lru_lock, flags);
	if (last && !ph_on_gen_list(last, gen, zone))
		pos = head;
	else
		pos = last ? last->lru.prev : head->prev;
	while (pos != head && seen++ < PH_DSCAN && n < PH_DRING) {
		f = list_entry(pos, struct folio, lru);
		pos = pos->prev;
		i = ph_folio_index(f);
		if (i < ph_tab_nr && READ_ONCE(ph_tab[i]) == PH_ST_STABLE &&
		    ph_folio_is_candidate(f) && folio_try_get(f))
			batch[n++] = f;
	}
	/* resume after the last one looked at: keep it referenced */
	if (pos != head && f && folio_try_get(f))
		next = f;
	spin_unlock_irqrestore(&lruvec->lru_lock, flags);
	if (last)
		folio_put(last);
	*cursor = next;
	return n;
}

static void ph_mglru_deactivate(struct lruvec *lruvec, int gen)
{
	struct folio *batch[PH_DRING], *cursor;
	unsigned int n, i, done = 0;
	int zone;

	for (zone = 0; zone < MAX_NR_ZONES && done < PH_MGLRU_DEACT_MAX;
	     zone++) {
		struct list_head *head =
			&lruvec->lrugen.folios[gen][LRU_GEN_FILE][zone];

		cursor = NULL;
		do {
			n = ph_age_batch(lruvec, head, gen, zone, &cursor,
					 batch);
			for (i = 0; i < n; i++) {
				__ph_try_volatile(batch[i], PH_SITE_DEACTIVATE,
						  1, 0);
				folio_put(batch[i]);
			}
			done += n;
		} while (cursor && done < PH_MGLRU_DEACT_MAX);
		if (cursor)
			folio_put(cursor);
	}
}

int ph_age_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct ph_age_data *d = (void *)ri->data;

	if (regs_return_value(regs) & 1)
		ph_mglru_deactivate(d->lruvec, lru_gen_from_seq(d->seq - 1));
	return 0;
}
#else
int ph_age_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return 0;
}

int ph_age_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return 0;
}
#endif /* CONFIG_LRU_GEN */

/* Folios not remembered: no free slot, or a full one (stats file). */
unsigned long ph_states_deact_misses(void)
{
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu(ph_dslot_misses, cpu);
	return sum;
}
