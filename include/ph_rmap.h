/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reverse-map inspector's interface to the other components
 * (module/rmap.c). It wraps the kernel's own rmap walk (rmap_walk() and
 * page_vma_mapped_walk(), resolved once at load), so a component can ask
 * "which ptes map this folio, and how" without knowing anon_vma chains or
 * the i_mmap tree.
 */
#ifndef _PH_RMAP_H
#define _PH_RMAP_H

#include <linux/mm_types.h>
#include "uapi/pagehint.h"

/* What one rmap walk saw, summed over every pte (or pmd) mapping a folio. */
struct ph_rmap_summary {
	unsigned int vmas;	/* VMAs the walk visited (rmap_one calls) */
	unsigned int ptes;	/* ptes / pmds found mapping the folio */
	unsigned int writable;	/* of those, writable */
	unsigned int dirty;	/* of those, dirty */
	unsigned int young;	/* of those, young (accessed) */
};

/*
 * True when the rmap component is up (its symbols resolved); every other
 * function here fails with -ENODEV otherwise.
 */
bool ph_rmap_available(void);

/*
 * Walk every pte mapping @folio and sum their bits into @s.
 * Context: process context, may sleep; the caller holds a reference on
 * @folio and has it locked (folio_lock): the kernel's rmap walk needs the
 * folio lock for file and KSM folios. Return: 0, -ENODEV, -EOPNOTSUPP
 * (hugetlb).
 */
int ph_rmap_summarize(struct folio *folio, struct ph_rmap_summary *s);

/*
 * The per-pte dirty check of policy volatile_mapped (seed 000, "patch #4":
 * x86 keeps dirty bits per pte, the host cannot see them). For a mapped
 * page-cache folio: PH_R_NONE when no pte maps it dirty or writable,
 * PH_R_DIRTY when a pte is dirty, PH_R_MAPPED when a pte is writable (a
 * store could dirty it without a fault), PH_R_LOCKED when the walk could
 * not run (folio lock or rmap lock contended; the caller may retry).
 * Unmapped folios and a policy that is off return PH_R_NONE.
 * Context: process context, may sleep; caller holds a folio reference,
 * folio NOT locked (taken with a trylock here).
 */
enum ph_reason ph_rmap_mapped_check(struct folio *folio);

/* Policy volatile_mapped: is the per-pte check asked for? */
bool ph_rmap_volatile_mapped(void);

#endif /* _PH_RMAP_H */
