/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Used-once reclaim detection (module/reclaim.c): the decisions the
 * classic LRU takes on mapped file folios at their inactive-list scans
 * (seed 004, "vmscan: detect mapped file pages used only once"), as the
 * pagehint:reclaim_decision tracepoint reports them.
 */
#ifndef _PH_RECLAIM_H
#define _PH_RECLAIM_H

/* Which look at the inactive list this is for the folio. */
enum ph_rc_trip {
	PH_TRIP_FIRST,		/* PG_referenced clear: first look */
	PH_TRIP_SECOND,		/* PG_referenced set: it was rotated before */
};

/* What reclaim did with the folio. */
enum ph_rc_decision {
	PH_RC_ROTATED,		/* referenced once: kept for another trip */
	PH_RC_ACTIVATED,	/* activated (second reference, exec, shared) */
	PH_RC_USED_ONCE,	/* no new reference on its second trip: reclaim */
	PH_RC_UNREFERENCED,	/* not referenced at its first look: reclaim */
	PH_RC_KEPT,		/* kept for another reason (contention, ...) */
	PH_RC_FREED,		/* left the page cache after a reclaim decision */
};

#endif /* _PH_RECLAIM_H */
