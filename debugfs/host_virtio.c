// SPDX-License-Identifier: GPL-2.0
/*
 * Control files of the virtio host channel (module/host_virtio.c,
 * module/host_report.c):
 *   policy/host_channel  read: "sim" or "virtio"; write: one of them
 *                        (also module parameter host_channel, at load)
 *   host/device          read: what the real host holds and was told -
 *                        its target and the balloon's actual size, pages
 *                        inflated, deflated, migrated, free pages
 *                        reported, volatile pages dropped for it and the
 *                        discard faults that followed
 */
#include <linux/module.h>
#include <linux/virtio_balloon.h>
#include "pagehint.h"
#include "ph_debugfs.h"
#include "ph_host.h"
#include "ph_host_virtio.h"

static int host_channel_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s\n", ph_host_channel_name());
	return 0;
}

/* "sim" or "virtio"; switching may fail (EBUSY, ENODEV: nothing changed) */
static int host_channel_store(char *cmd, void *data)
{
	unsigned long val;
	int ret;

	ret = ph_host_channel_parse(cmd, &val);
	if (ret)
		return ret;
	mutex_lock(&ph_policy_lock);
	ret = val == ph_host_channel ? 0 : ph_host_channel_set(val);
	mutex_unlock(&ph_policy_lock);
	return ret;
}
PH_DEBUGFS_SHOW_STORE(host_channel);

static void ph_show_feature(struct seq_file *m, u64 f, unsigned int bit,
			    const char *name)
{
	seq_printf(m, "feature_%-14s %d\n", name, !!(f & BIT_ULL(bit)));
}

static int device_show(struct seq_file *m, void *v)
{
	struct ph_host_device_stats h = { };
	struct ph_report_stats r;
	struct ph_vb_stats d;

	ph_vb_get_stats(&d);
	ph_report_get_stats(&r);
	ph_host_device_stats(&h);
	seq_printf(m, "%-22s %s\n", "channel", ph_host_channel_name());
	seq_printf(m, "%-22s %s\n", "device", d.bound ? d.dev_name : "none");
	ph_show_feature(m, d.features, VIRTIO_BALLOON_F_STATS_VQ, "stats_vq");
	ph_show_feature(m, d.features, VIRTIO_BALLOON_F_DEFLATE_ON_OOM,
			"deflate_on_oom");
	ph_show_feature(m, d.features, VIRTIO_BALLOON_F_PAGE_POISON,
			"page_poison");
	ph_show_feature(m, d.features, VIRTIO_BALLOON_F_REPORTING, "reporting");
	seq_printf(m, "%-22s %d\n", "free_page_vq_unused", d.fph_placeholder);
	seq_printf(m, "%-22s %lu\n", "target_pages", d.target);
	seq_printf(m, "%-22s %lu\n", "actual_pages", d.actual);
	seq_printf(m, "%-22s %lu\n", "balloon_pages", d.balloon);
	seq_printf(m, "%-22s %lu\n", "inflated", d.inflated);
	seq_printf(m, "%-22s %lu\n", "deflated", d.deflated);
	seq_printf(m, "%-22s %lu\n", "migrated", d.migrated);
	seq_printf(m, "%-22s %lu\n", "round_trips", d.round_trips);
	seq_printf(m, "%-22s %lu\n", "tell_errors", d.tell_errors);
	seq_printf(m, "%-22s %lu\n", "target_changes", d.target_changes);
	seq_printf(m, "%-22s %lu\n", "stats_requests", d.stats_requests);
	seq_printf(m, "%-22s %d\n", "reporting", r.registered);
	seq_printf(m, "%-22s %d\n", "report_order", r.order);
	seq_printf(m, "%-22s %lu\n", "reported_pages", r.pages);
	seq_printf(m, "%-22s %lu\n", "reported_blocks", r.entries);
	seq_printf(m, "%-22s %lu\n", "reports", r.calls);
	seq_printf(m, "%-22s %lu\n", "report_errors", r.errors);
	seq_printf(m, "%-22s %lu\n", "report_kicks", r.kicks);
	seq_printf(m, "%-22s %lu\n", "kicker_polls", r.polls);
	seq_printf(m, "%-22s %lu\n", "report_drains", r.drains);
	seq_printf(m, "%-22s %lu\n", "volatile_dropped", h.dropped);
	seq_printf(m, "%-22s %lu\n", "discard_faults", h.discard_faults);
	seq_printf(m, "%-22s %lu\n", "drop_lost_races", h.lost_races);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(device);

void ph_vb_debugfs_init(struct dentry *root)
{
	struct dentry *policy = debugfs_lookup("policy", root);
	struct dentry *host = debugfs_lookup("host", root);

	if (policy) {
		debugfs_create_file("host_channel", 0600, policy, NULL,
				    &host_channel_fops);
		dput(policy);
	}
	/* host/ is the host model's folder; without it (no page states), ours */
	if (!host)
		host = dget(debugfs_create_dir("host", root));
	debugfs_create_file("device", 0400, host, NULL, &device_fops);
	dput(host);
}
