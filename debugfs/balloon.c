// SPDX-License-Identifier: GPL-2.0
/*
 * balloon/: the balloon (module/balloon.c).
 *
 *   target     pages wanted; write pages, or a size with K/M/G (a whole
 *              number of pages): the worker starts towards it
 *   movable    1 movable, 0 unmovable; changes only while the balloon is
 *              empty and has no target (EBUSY)
 *   status     "key value" lines (struct ph_balloon_status)
 *
 * The balloon's test hooks (probe, contig) are in the test module,
 * selftests/phtest/balloon.c.
 */
#include <linux/module.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/mm.h>
#include "pagehint.h"
#include "ph_balloon.h"
#include "ph_debugfs.h"

/* "N" pages, or a size with K/M/G (a whole number of pages) */
static int ph_bl_parse_target(const char *s, unsigned long *pages)
{
	unsigned long long v;
	int ret;

	ret = ph_parse_size(s, &v);
	if (ret)
		return ret == -ERANGE ? -ERANGE : -EINVAL;
	if (s[strspn(s, "0123456789")]) {	/* a size in bytes */
		if (v & (PAGE_SIZE - 1))
			return -EINVAL;
		v >>= PAGE_SHIFT;
	}
	/* the size in bytes must fit an unsigned long */
	if (v > (ULONG_MAX >> PAGE_SHIFT))
		return -ERANGE;
	*pages = v;
	return 0;
}

static int target_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%lu\n", ph_balloon_target());
	return 0;
}

static int target_store(char *cmd, void *data)
{
	unsigned long pages;
	int ret;

	ret = ph_bl_parse_target(cmd, &pages);
	if (!ret)
		ret = ph_balloon_set_target(pages);
	return ret;
}
PH_DEBUGFS_SHOW_STORE(target);

static int movable_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%d\n", ph_balloon_movable());
	return 0;
}

/* "0" or "1" */
static int movable_store(char *cmd, void *data)
{
	if (strcmp(cmd, "0") && strcmp(cmd, "1"))
		return -EINVAL;
	return ph_balloon_set_movable(cmd[0] == '1');
}
PH_DEBUGFS_SHOW_STORE(movable);

static void ph_bl_show_hooked(struct seq_file *m, const char *key, long v)
{
	if (v >= 0)
		seq_printf(m, "%-20s %ld\n", key, v);
	else
		seq_printf(m, "%-20s n/a\n", key);
}

static int status_show(struct seq_file *m, void *v)
{
	struct ph_balloon_status st;
	int i;

	ph_balloon_status(&st);
	seq_printf(m, "%-20s %s\n", "mode", st.movable ? "movable" : "unmovable");
	seq_printf(m, "%-20s %s\n", "channel", st.channel);
	seq_printf(m, "%-20s %s\n", "state", st.state);
	seq_printf(m, "%-20s %s\n", "stop", st.stop);
	seq_printf(m, "%-20s %lu\n", "target_pages", st.target_pages);
	seq_printf(m, "%-20s %lu\n", "size_pages", st.size_pages);
	seq_printf(m, "%-20s %lu\n", "size_kib",
		   st.size_pages * (PAGE_SIZE / 1024));
	seq_printf(m, "%-20s %lu\n", "free_pages", st.free_pages);
	seq_printf(m, "%-20s %lu\n", "floor_pages", st.floor_pages);
	seq_printf(m, "%-20s %s\n", "run", st.run_inflate ? "inflate" : "deflate");
	seq_printf(m, "%-20s %lu\n", "run_pages", st.run_pages);
	seq_printf(m, "%-20s %llu\n", "run_ms", div_u64(st.run_ns, NSEC_PER_MSEC));
	seq_printf(m, "%-20s %lu\n", "run_kib_s", st.run_kib_s);
	seq_printf(m, "%-20s %lu\n", "inflate_kib_s", st.inflate_kib_s);
	seq_printf(m, "%-20s %lu\n", "deflate_kib_s", st.deflate_kib_s);
	seq_printf(m, "%-20s %lu\n", "inflated", st.inflated);
	seq_printf(m, "%-20s %lu\n", "deflated", st.deflated);
	for (i = 0; i < PH_BL_SRC_NR; i++)
		seq_printf(m, "from_%-15s %lu\n", st.src_names[i], st.src[i]);
	seq_printf(m, "%-20s %lu\n", "volatile_dropped", st.volatile_dropped);
	seq_printf(m, "%-20s %lu\n", "excess_freed", st.excess);
	seq_printf(m, "%-20s %lu\n", "floor_blocks", st.floor_blocks);
	seq_printf(m, "%-20s %lu\n", "nomem_blocks", st.nomem_blocks);
	seq_printf(m, "%-20s %lu\n", "oom_calls", st.oom_calls);
	seq_printf(m, "%-20s %lu\n", "oom_deflated", st.oom_pages);
	seq_printf(m, "%-20s %lu\n", "shrinker_calls", st.shrinker_calls);
	seq_printf(m, "%-20s %lu\n", "shrinker_deflated", st.shrinker_pages);
	seq_printf(m, "%-20s %ld\n", "migrated", st.migrated);
	seq_printf(m, "%-20s %ld\n", "migrate_busy", st.migrate_busy);
	ph_bl_show_hooked(m, "isolated", st.isolated);
	ph_bl_show_hooked(m, "putback", st.putback);
	seq_printf(m, "%-20s %lu\n", "isolated_now", st.isolated_now);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(status);

void ph_balloon_debugfs_init(struct dentry *root)
{
	struct dentry *dir = debugfs_create_dir("balloon", root);

	debugfs_create_file("target", 0600, dir, NULL, &target_fops);
	debugfs_create_file("movable", 0600, dir, NULL, &movable_fops);
	debugfs_create_file("status", 0400, dir, NULL, &status_fops);
}
