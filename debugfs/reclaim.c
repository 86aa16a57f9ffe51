// SPDX-License-Identifier: GPL-2.0
/*
 * reclaim (0400): used-once reclaim detection (module/reclaim.c): the LRU
 * in use, whether classification runs, what tells a first page-table
 * reference under MGLRU, then "name count" per counter (pages; untracked:
 * looks).
 */
#include <linux/module.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include "pagehint.h"
#include "ph_reclaim.h"
#include "ph_debugfs.h"

static const char *const ph_rc_stat_names[PH_RS_NR] = {
	PH_LIST(PH_RC_STATS(PH_NAME, PH_NAME))
};

static const char *const ph_rc_first_ref_names[] = {
	PH_LIST(PH_RC_FIRST_REFS(PH_NAME, PH_NAME))
};

static int reclaim_show(struct seq_file *m, void *v)
{
	struct ph_reclaim_status st;
	int i;

	ph_reclaim_status(&st);
	seq_printf(m, "lru %s\n", st.mglru ? "mglru" : "classic");
	seq_printf(m, "classification %s\n", st.armed ? "on" : "off");
	/* under MGLRU: what says a first page-table reference was seen */
	seq_printf(m, "mglru_first_reference %s\n",
		   ph_rc_first_ref_names[st.first_ref]);
	for (i = 0; i < PH_RS_NR; i++)
		seq_printf(m, "%s %lu\n", ph_rc_stat_names[i], st.stats[i]);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(reclaim);

void ph_reclaim_debugfs_init(struct dentry *root)
{
	debugfs_create_file("reclaim", 0400, root, NULL, &reclaim_fops);
}
