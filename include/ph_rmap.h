/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reverse-map inspector (module/rmap.c): a query answers "which ptes
 * map this page?" as text (the format is at the top of rmap.c), for the
 * control file "rmap" (debugfs/rmap.c).
 */
#ifndef _PH_RMAP_H
#define _PH_RMAP_H

#include <linux/kref.h>
#include <linux/types.h>

/*
 * An answer: reference counted, so every reader that opened the control
 * file while it was the current one keeps reading it.
 */
struct ph_rmap_answer {
	struct kref ref;
	size_t len;
	char text[];
};

int ph_rmap_query_pfn(unsigned long pfn, struct ph_rmap_answer **out);
int ph_rmap_query_addr(pid_t nr, unsigned long addr,
		       struct ph_rmap_answer **out);
struct ph_rmap_answer *ph_rmap_answer_get(struct ph_rmap_answer *a);
void ph_rmap_answer_put(struct ph_rmap_answer *a);

#endif /* _PH_RMAP_H */
