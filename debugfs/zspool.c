// SPDX-License-Identifier: GPL-2.0
/*
 * zspool/: every zspool pool in the system (module/zspool.c), whoever
 * made it (a driver using the exported API, phtest's workload, zsbench).
 *
 *   pools    (0400) one row per pool: pages, objects and the bytes of
 *            their slots, migrations, compactions
 *   classes  (0400) one row per size class in use, per pool: slot size,
 *            pages and objects per zspage, zspages by fullness
 *
 * The tables have a header line of column names (pagehintctl --json
 * reads them).
 */
#include <linux/module.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include "pagehint.h"
#include "ph_zspool.h"
#include "ph_debugfs.h"

static void pools_row(struct zspool *pool, void *arg)
{
	struct zspool_stats st;

	zspool_stats(pool, &st);
	seq_printf(arg, "%-16s %9lu %9lu %11llu %9llu %12llu %11llu %13llu %13llu %7d\n",
		   zspool_name(pool), st.pages, st.objects, st.slot_bytes,
		   st.migrated, st.migrate_busy, st.compactions,
		   st.compact_moved, st.compact_freed, st.movable);
}

static int pools_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%-16s %9s %9s %11s %9s %12s %11s %13s %13s %7s\n",
		   "pool", "pages", "objects", "slot_bytes", "migrated",
		   "migrate_busy", "compactions", "compact_moved",
		   "compact_freed", "movable");
	zspool_for_each(pools_row, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pools);

static void classes_rows(struct zspool *pool, void *arg)
{
	struct zspool_class_stats cs;
	unsigned int i;

	for (i = 0; !zspool_class_stats(pool, i, &cs); i++)
		if (cs.zspages)
			seq_printf(arg, "%-16s %-6u %-4u %-5u %-8lu %-9lu %-9lu %-7lu %-8lu %-8lu %-8lu %-8lu\n",
				   zspool_name(pool), cs.size, cs.ppz, cs.opz,
				   cs.zspages, cs.zspages * cs.opz, cs.inuse,
				   cs.zspages * cs.ppz, cs.sparse, cs.half,
				   cs.dense, cs.full);
}

static int classes_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%-16s %-6s %-4s %-5s %-8s %-9s %-9s %-7s %-8s %-8s %-8s %-8s\n",
		   "pool", "size", "ppz", "opz", "zspages", "objs", "used",
		   "pages", "g0-30", "g30-70", "g70-99", "full");
	zspool_for_each(classes_rows, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(classes);

void ph_zspool_debugfs_init(struct dentry *root)
{
	struct dentry *dir = debugfs_create_dir("zspool", root);

	debugfs_create_file("pools", 0400, dir, NULL, &pools_fops);
	debugfs_create_file("classes", 0400, dir, NULL, &classes_fops);
}
