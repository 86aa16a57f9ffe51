/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Used-once reclaim detection (module/reclaim.c): the decisions reclaim
 * takes on mapped file folios at their eviction looks, the classic LRU's
 * inactive-list scans or MGLRU's oldest generation (seed 004, "vmscan:
 * detect mapped file pages used only once"), as the
 * pagehint:reclaim_decision tracepoint reports them.
 */
#ifndef _PH_RECLAIM_H
#define _PH_RECLAIM_H

#include <linux/types.h>
#include "uapi/pagehint.h"

/*
 * The pagehint:reclaim_decision event's fields and the "reclaim" file's
 * counters: name lists (see uapi/pagehint.h).
 */

/*
 * Which look this is for the folio: the first, or one after a page-table
 * reference was seen (rotated, or promoted by MGLRU's aging).
 */
#define PH_RC_TRIPS(EM, EMe)						\
	(EM(PH_TRIP_FIRST, "first")					\
	 EMe(PH_TRIP_SECOND, "second"))

/* What reclaim did with the folio. */
#define PH_RC_DECISIONS(EM, EMe)					\
	(EM(PH_RC_ROTATED, "rotated")	/* referenced once: another trip */ \
	 EM(PH_RC_ACTIVATED, "activated") /* second reference, exec, ... */ \
	 EM(PH_RC_USED_ONCE, "used_once") /* no new reference on trip 2 */ \
	 EM(PH_RC_UNREFERENCED, "unreferenced") /* none at its first look */ \
	 EM(PH_RC_KEPT, "kept")		/* kept for another reason */	\
	 EMe(PH_RC_FREED, "freed"))	/* left the page cache */

/* The counters, as the "reclaim" file names them. */
#define PH_RC_STATS(EM, EMe)						\
	(EM(PH_RS_LOOK_FIRST, "look_first") /* eviction looks, 1st trip */ \
	 EM(PH_RS_LOOK_SECOND, "look_second") /* ... 2nd (seen before) */ \
	 EM(PH_RS_ROTATED, "rotated")					\
	 EM(PH_RS_ACTIVATED_FIRST, "activated_first")			\
	 EM(PH_RS_ACTIVATED_SECOND, "activated_second")			\
	 EM(PH_RS_USED_ONCE, "used_once")				\
	 EM(PH_RS_UNREFERENCED, "reclaimed_unreferenced")		\
	 EM(PH_RS_KEPT, "kept")						\
	 EM(PH_RS_FREED, "freed")					\
	 EM(PH_RS_AGING, "aging_referenced") /* MGLRU aging promoted */ \
	 EM(PH_RS_LOOK_AROUND, "look_around_referenced") /* ptes, 6.x */ \
	 EMe(PH_RS_UNTRACKED, "untracked")) /* no slot for the task */

enum ph_rc_trip { PH_LIST(PH_RC_TRIPS(PH_ENUM, PH_ENUM)) };
enum ph_rc_decision { PH_LIST(PH_RC_DECISIONS(PH_ENUM, PH_ENUM)) };
enum ph_rc_stat { PH_LIST(PH_RC_STATS(PH_ENUM, PH_ENUM)) PH_RS_NR };

/* Under MGLRU, what says a folio's first page-table reference was seen. */
#define PH_RC_FIRST_REFS(EM, EMe)					\
	(EM(PH_RC_FIRST_KERNEL_FLAGS, "kernel_flags") /* 7.x's flags */	\
	 EM(PH_RC_FIRST_HOOKS, "aging_look_around_hooks") /* both below */ \
	 EM(PH_RC_FIRST_AGING_HOOK, "aging_hook") /* folio_update_gen */ \
	 EMe(PH_RC_FIRST_LOOKS, "eviction_looks")) /* looks only */

enum ph_rc_first_ref { PH_LIST(PH_RC_FIRST_REFS(PH_ENUM, PH_ENUM)) };

/* What the "reclaim" file shows (module/reclaim.c fills it). */
struct ph_reclaim_status {
	unsigned long stats[PH_RS_NR];
	bool mglru;	/* MGLRU is on */
	bool armed;	/* policy used_once: the hooks are attached */
	enum ph_rc_first_ref first_ref;
};

void ph_reclaim_status(struct ph_reclaim_status *st);

#endif /* _PH_RECLAIM_H */
