/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host model (module/host.c): what the control plane asks of it and
 * reads from it. The model itself is described at the top of host.c.
 *
 * A real host channel (module/host_virtio.c) uses the seed's volatile
 * step, done by the guest for a host that cannot see guest page states:
 * drop volatile page cache through the discard path, remember what was
 * dropped, count a re-read as a discard fault.
 */
#ifndef _PH_HOST_H
#define _PH_HOST_H

#include <linux/types.h>

/* What the reclaim passes did; under ph_host_mutex in host.c. */
struct ph_host_stats {
	unsigned long passes;
	unsigned long requested;
	unsigned long forgotten;
	unsigned long discarded;
	unsigned long would_swap;
	unsigned long refilled;
	unsigned long lost_locked;
	unsigned long lost_dirty;
	unsigned long lost_stable;
	unsigned long lost_inode;
	unsigned long lost_busy;
	unsigned long skipped;
	unsigned long deficit;		/* shortfall of the last pass */
	unsigned long pressure_runs;	/* pressure work executions */
	unsigned long for_device;	/* discarded for a real host's target */
};

/**
 * struct ph_host_status - the host and its discard records, for "stats"
 * @on: the host is on (policy host)
 * @total_pages: PFNs of the state table, all host-backed at load
 * @resident_pages: @total_pages minus @gone_pages
 * @gone_pages: frames whose host copy the host dropped
 * @target_pages: policy host_target in pages (0: no pressure mode)
 * @host_cpu_ns: CPU time of the passes and sweeps (hypervisor time)
 * @pass: the passes' counters
 * @discard_faults: discarded pages read back into the page cache
 * @fault_ns_sum: their times since the discard, summed
 * @records: discard records in use
 * @records_max: the table's size (parameter host_records)
 * @records_bytes: memory of the table and its hashes
 * @records_evicted: records the clock hand took for newer discards
 * @records_dropped_inode: records dropped with their inode
 * @records_dropped_off: records dropped when the host went off
 */
struct ph_host_status {
	bool on;
	unsigned long total_pages, resident_pages, gone_pages, target_pages;
	u64 host_cpu_ns;
	struct ph_host_stats pass;
	unsigned long discard_faults, fault_ns_sum;
	unsigned int records, records_max;
	size_t records_bytes;
	unsigned long records_evicted, records_dropped_inode;
	unsigned long records_dropped_off;
};

void ph_host_status(struct ph_host_status *st);
int ph_host_request(unsigned long pages);

/* For a real host channel. */
int ph_host_device_get(void);
void ph_host_device_put(void);
unsigned long ph_host_drop_volatile(unsigned long want);

/* What the host model counted for a real host (debugfs host/device). */
struct ph_host_device_stats {
	unsigned long dropped;		/* volatile pages dropped for it */
	unsigned long discard_faults;	/* dropped pages read back */
	unsigned long lost_races;	/* volatile pages that turned busy */
};
void ph_host_device_stats(struct ph_host_device_stats *s);

#endif /* _PH_HOST_H */
