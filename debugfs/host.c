// SPDX-License-Identifier: GPL-2.0
/*
 * host/: the simulated host (module/host.c).
 *
 *   stats        "key value" lines: residency, passes, what reclaim did,
 *                lost races by cause, discard faults, the record table
 *   reclaim      write SIZE (bytes, K/M/G): one host reclaim request;
 *                ENODEV while the host is off
 *   target, interval_ms
 *                the policies host_target and host_interval_ms again
 */
#include <linux/module.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/math64.h>
#include "pagehint.h"
#include "ph_host.h"
#include "ph_debugfs.h"

static int stats_show(struct seq_file *m, void *v)
{
	struct ph_host_status st;
	const struct ph_host_stats *s = &st.pass;
	unsigned long lost;

	ph_host_status(&st);
	lost = s->lost_locked + s->lost_dirty + s->lost_stable +
	       s->lost_inode + s->lost_busy;
	seq_printf(m, "on %d\n", st.on);
	seq_printf(m, "total_pages %lu\n", st.total_pages);
	seq_printf(m, "resident_pages %lu\n", st.resident_pages);
	seq_printf(m, "gone_pages %lu\n", st.gone_pages);
	seq_printf(m, "target_pages %lu\n", st.target_pages);
	seq_printf(m, "passes %lu\n", s->passes);
	seq_printf(m, "pressure_runs %lu\n", s->pressure_runs);
	seq_printf(m, "host_cpu_us %llu\n",
		   div_u64(st.host_cpu_ns, NSEC_PER_USEC));
	seq_printf(m, "requested %lu\n", s->requested);
	seq_printf(m, "forgotten %lu\n", s->forgotten);
	seq_printf(m, "discarded %lu\n", s->discarded);
	seq_printf(m, "discarded_for_device %lu\n", s->for_device);
	seq_printf(m, "would_swap %lu\n", s->would_swap);
	seq_printf(m, "deficit %lu\n", s->deficit);
	seq_printf(m, "refilled %lu\n", s->refilled);
	/* every discarded page is a page the host did not write to swap */
	seq_printf(m, "io_avoided_bytes %lu\n", s->discarded << PAGE_SHIFT);
	seq_printf(m, "lost_races %lu\n", lost);
	seq_printf(m, "lost_locked %lu\n", s->lost_locked);
	seq_printf(m, "lost_dirty %lu\n", s->lost_dirty);
	seq_printf(m, "lost_stable %lu\n", s->lost_stable);
	seq_printf(m, "lost_inode %lu\n", s->lost_inode);
	seq_printf(m, "lost_busy %lu\n", s->lost_busy);
	seq_printf(m, "skipped %lu\n", s->skipped);
	seq_printf(m, "discard_faults %lu\n", st.discard_faults);
	/* per mille of the discarded pages that came back */
	seq_printf(m, "refault_permille %lu\n",
		   s->discarded ? st.discard_faults * 1000 / s->discarded : 0);
	seq_printf(m, "fault_avg_ms %lu\n", st.discard_faults ?
		   (unsigned long)div64_u64(st.fault_ns_sum,
					    st.discard_faults) / NSEC_PER_MSEC :
		   0);
	seq_printf(m, "records %u\n", st.records);
	seq_printf(m, "records_max %u\n", st.records_max);
	seq_printf(m, "records_bytes %zu\n", st.records_bytes);
	seq_printf(m, "records_evicted %lu\n", st.records_evicted);
	seq_printf(m, "records_dropped_inode %lu\n", st.records_dropped_inode);
	seq_printf(m, "records_dropped_off %lu\n", st.records_dropped_off);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

/* "SIZE": bytes, K/M/G suffix allowed; rounded up to whole pages. */
static int reclaim_store(char *cmd, void *data)
{
	unsigned long long bytes;
	int ret;

	ret = ph_parse_size(cmd, &bytes);
	if (ret)
		return ret;
	if (!bytes)
		return -EINVAL;
	return ph_host_request(min_t(unsigned long long,
				     DIV_ROUND_UP_ULL(bytes, PAGE_SIZE),
				     ULONG_MAX));
}
PH_DEBUGFS_STORE(reclaim);

void ph_host_debugfs_init(struct dentry *root)
{
	struct dentry *dir = debugfs_create_dir("host", root);

	debugfs_create_file("stats", 0400, dir, NULL, &stats_fops);
	debugfs_create_file("reclaim", 0200, dir, NULL, &reclaim_fops);
	ph_policy_file(ph_policy_find("host_target"), dir, "target");
	ph_policy_file(ph_policy_find("host_interval_ms"), dir, "interval_ms");
}
