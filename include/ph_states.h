/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The page-state engine's interface to the other components (host,
 * balloon, rmap, reclaim). Implemented by module/states.c.
 *
 * One byte per online PFN: the low bits hold enum ph_state, PH_SC_LOCK is
 * the seed's state-change lock (page_test_set_state_change): set while a
 * transition decides, so two transitions of one page never interleave.
 * Names of states, sites and refusal reasons live in uapi/pagehint.h so
 * the CLI prints the same words.
 */
#ifndef _PH_STATES_H
#define _PH_STATES_H

#include <linux/mm_types.h>
#include "uapi/pagehint.h"

#define PH_STATE_MASK	0x07
#define PH_SC_LOCK	0x80

/* Current state of @pfn; PH_ST_NONE for a PFN outside the table. */
enum ph_state ph_state_get(unsigned long pfn);

/*
 * Move @pfn to @to on behalf of @site, taking the state-change lock.
 * Return: the previous state, or PH_ST_NONE when the PFN is outside the
 * table or its lock is held (the caller lost a race and may retry).
 */
enum ph_state ph_state_set(unsigned long pfn, enum ph_state to,
			   enum ph_site site);

/*
 * The seed's page_make_volatile: check the 11 conditions on @folio and make
 * it volatile when none holds. Return: PH_R_NONE when it became (or
 * stayed) volatile, else the reason it stays stable (counted, traced).
 */
enum ph_reason ph_try_volatile(struct folio *folio, enum ph_site site);

/* The seed's page_make_stable: a volatile page is made stable. */
void ph_make_stable(struct folio *folio, enum ph_site site);

/*
 * Iterate PFNs in state @st from @start; returns the next one at or after
 * @start, or ULONG_MAX. For the host model's reclaim passes.
 */
unsigned long ph_state_next(unsigned long start, enum ph_state st);

#endif /* _PH_STATES_H */
