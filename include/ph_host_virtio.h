/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pagehint's virtio-balloon host channel, shared by module/host_virtio.c
 * (the driver: binding, queues, the host's target), module/host_report.c
 * (free page reporting) and debugfs/host_virtio.c (host/device).
 */
#ifndef _PH_HOST_VIRTIO_H
#define _PH_HOST_VIRTIO_H

#include <linux/types.h>
#include "uapi/pagehint.h"

struct virtqueue;
struct dentry;

/* policy host_channel: who plays the host (a name list, uapi/pagehint.h) */
#define PH_CHANNELS(EM, EMe)						\
	(EM(PH_CHANNEL_SIM, "sim")	/* module/host.c's simulated host */ \
	 EMe(PH_CHANNEL_VIRTIO, "virtio"))	/* QEMU's virtio-balloon device */

enum ph_host_channel { PH_LIST(PH_CHANNELS(PH_ENUM, PH_ENUM)) PH_CHANNEL_NR };

/* A snapshot of the device, for host/device. */
struct ph_vb_stats {
	bool bound;			/* a device is driven by pagehint */
	char dev_name[32];		/* its name on the virtio bus */
	u64 features;			/* negotiated */
	bool fph_placeholder;		/* free page hint queue created unused */
	unsigned long target;		/* config num_pages, 4 KiB pages */
	unsigned long actual;		/* config actual, as last written */
	unsigned long balloon;		/* pages the balloon holds */
	unsigned long inflated;		/* pages told to the host, inflate */
	unsigned long deflated;		/* pages told to the host, deflate */
					/* (both count migrations too) */
	unsigned long migrated;		/* migrations told (inflate + deflate) */
	unsigned long round_trips;	/* inflate/deflate buffers acked */
	unsigned long tell_errors;	/* buffers the queue refused */
	unsigned long target_changes;	/* config changes read */
	unsigned long stats_requests;	/* stats queue buffers returned */
};
void ph_vb_get_stats(struct ph_vb_stats *s);

/* Free page reporting (module/host_report.c). */
struct ph_report_stats {
	bool registered;		/* pagehint is the page_reporting device */
	int order;			/* page_reporting_order now, -1: unknown */
	unsigned long calls;		/* report() calls, each one round trip */
	unsigned long entries;		/* free blocks reported */
	unsigned long pages;		/* 4 KiB pages reported */
	unsigned long errors;		/* reports the queue refused */
	unsigned long kicks;		/* pending runs started early */
	unsigned long polls;		/* kicker wake-ups */
	unsigned long drains;		/* per-CPU lists drained after a burst */
};
int ph_report_start(struct virtqueue *vq);
void ph_report_stop(void);
void ph_report_ack(struct virtqueue *vq);
void ph_report_get_stats(struct ph_report_stats *s);
int ph_report_init(void);

/* policy host_channel (its control file: debugfs/host_virtio.c) */
extern unsigned long ph_host_channel;
const char *ph_host_channel_name(void);
int ph_host_channel_parse(const char *s, unsigned long *val);
int ph_host_channel_set(unsigned long val);

#endif /* _PH_HOST_VIRTIO_H */
