/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The page-state engine's interface to the other components (host,
 * balloon, rmap, reclaim). Implemented by module/states.c.
 *
 * One byte per online PFN holds the page's state and the seed's
 * state-change lock (include/ph_state_byte.h: the encoding and the
 * protocol of its writers). Names of states, sites and refusal reasons
 * live in uapi/pagehint.h so the CLI prints the same words.
 *
 * Context: every function here may be called from any context that may
 * not sleep (hooks run in atomic context); none of them allocates.
 */
#ifndef _PH_STATES_H
#define _PH_STATES_H

#include <linux/mm_types.h>
#include <linux/mmzone.h>
#include "uapi/pagehint.h"

/**
 * ph_state_get() - current state of a PFN
 * @pfn: page frame number
 *
 * Return: the state, or PH_ST_NONE for a PFN outside the table (a hole,
 * offline memory, or the engine is not loaded).
 */
enum ph_state ph_state_get(unsigned long pfn);

/**
 * ph_state_set() - move a PFN to a state, under its state-change lock
 * @pfn: page frame number
 * @to: new state
 * @site: who asks (counted in "transitions", traced)
 *
 * Return: the previous state, or PH_ST_NONE when the PFN is outside the
 * table or its lock is held (the caller lost a race and may retry).
 */
enum ph_state ph_state_set(unsigned long pfn, enum ph_state to,
			   enum ph_site site);

/**
 * ph_try_volatile() - the seed's page_make_volatile
 * @folio: a folio the caller holds a reference on
 * @site: the strategic point (counted, traced)
 *
 * Checks the 11 conditions (plus "mapped") under the state-change lock
 * of the folio's head PFN and makes every page of @folio volatile when
 * none holds. The caller's own reference is one of the known references.
 *
 * Return: PH_R_NONE when the folio became (or stayed) volatile, else the
 * reason it stays stable (counted in "refusals", traced).
 */
enum ph_reason ph_try_volatile(struct folio *folio, enum ph_site site);

/**
 * ph_make_stable() - the seed's page_make_stable
 * @folio: the folio; need not be referenced (only volatile -> stable,
 *         the safe direction, is done without a reference)
 * @site: the lookup site
 *
 * Waits (spins) while another CPU holds the state-change lock. A folio
 * found discarded is a discard fault: counted, and handed to the handler
 * installed with ph_states_set_discard_fault().
 */
void ph_make_stable(struct folio *folio, enum ph_site site);

/**
 * ph_state_next() - next PFN in a state
 * @start: first PFN to look at
 * @st: wanted state
 *
 * Return: the first PFN >= @start in state @st, or ULONG_MAX. Lockless:
 * the state may change right after. For the host model's passes.
 */
unsigned long ph_state_next(unsigned long start, enum ph_state st);

/**
 * ph_states_set_mapped_check() - let mapped folios become volatile
 * @fn: returns true when every pte mapping @folio is clean and may be
 *      zapped by a discard (the rmap component's per-pte check); NULL
 *      restores the default (mapped folios stay stable, reason "mapped").
 *      Its second argument is true when the folio lock is held by the
 *      task this check runs for (the unlock strategic point).
 *
 * @fn is called with the state-change lock held and interrupts off, in
 * any context including hard interrupts (writeback completion calls
 * folio_end_writeback() there): no sleeping, no locks that are taken
 * with interrupts on. Setting NULL waits until no call to the old @fn
 * runs. One check at a time: a later call replaces the earlier one.
 * The caller holds ph_policy_lock: the map strategic point
 * (page_add_file_rmap) is attached only while a check is installed.
 *
 * Return: 0, or the error attaching that point (the old check stays).
 */
int ph_states_set_mapped_check(bool (*fn)(struct folio *folio,
					  bool locked));

/**
 * ph_states_set_discard_fault() - install the discard-fault handler
 * @fn: called when a lookup finds a discarded folio, in atomic context,
 *      possibly without a reference held by the caller (take one with
 *      folio_try_get() before touching the folio); must not sleep. NULL
 *      removes it (waits for running calls). Faults are counted anyway.
 */
void ph_states_set_discard_fault(void (*fn)(struct folio *folio));

/* Discard faults seen so far (lookups that found a discarded page). */
unsigned long ph_states_discard_faults(void);

/*
 * For the control plane (debugfs/states.c). Lockless snapshots; the
 * counters are per-CPU sums. Process context.
 */
void ph_states_table(unsigned long *start_pfn, unsigned long *nr_pfns);
void ph_states_count_zone(struct zone *zone, unsigned long *n);
unsigned long ph_states_transitions(enum ph_state from, enum ph_state to,
				    enum ph_site site);
unsigned long ph_states_refusals(enum ph_reason r);
unsigned long ph_states_deact_misses(void);
bool ph_state_locked(unsigned long pfn);
enum ph_reason ph_states_reason(struct folio *folio);

/* What ph_states_verify() found: the table against the pages. */
struct ph_verify {
	unsigned long checked, holes, indeterminate;
	unsigned long unused_in_use, used_but_free, volatile_ineligible;
	unsigned long transient;
	/* what the host holds none of: balloon pages, reported free pages */
	unsigned long balloon, offline_other, reported;
	unsigned long first[8];
	unsigned int nfirst;
};
void ph_states_verify(struct ph_verify *v);

/*
 * Move the per-CPU free lists back to the buddy allocator (drain_all_pages(),
 * resolved at load; nothing happens where it could not be). Process
 * context. Exported (GPL) for test drivers: pages parked there are free
 * but neither merge nor show in /proc/buddyinfo.
 */
void ph_states_drain_pcp(void);

#endif /* _PH_STATES_H */
