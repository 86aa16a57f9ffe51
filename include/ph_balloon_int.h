/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Balloon internals shared by module/balloon.c (pages in and out, the
 * worker, migration, the control plane's API) and module/balloon_host.c
 * (who else sizes it: a host's channel, and the guest's own memory
 * pressure). Not exported; the control plane and the channel use
 * ph_balloon.h. The design and the lock order are at the top of
 * module/balloon.c.
 */
#ifndef _PH_BALLOON_INT_H
#define _PH_BALLOON_INT_H

#include <linux/mutex.h>
#include <linux/workqueue.h>
#include "ph_compat.h"
#include "ph_balloon.h"

/* What the worker is doing (names in balloon.c). */
enum ph_bl_state { PH_BL_IDLE, PH_BL_INFLATING, PH_BL_DEFLATING, PH_BL_WAITING };

/* Why the last run stopped short of (or at) its target. */
enum ph_bl_stop {
	PH_BL_STOP_NONE,	/* running, or never run */
	PH_BL_STOP_TARGET,	/* size == target */
	PH_BL_STOP_FLOOR,	/* free memory at the floor */
	PH_BL_STOP_NOMEM,	/* the allocator said no (__GFP_NORETRY) */
	PH_BL_STOP_OOM,		/* the OOM notifier deflated: held */
	PH_BL_STOP_SHRINKER,	/* the shrinker deflated: held */
	PH_BL_STOP_BUSY,	/* deflate: every page isolated by compaction */
};

/* The balloon: one per module, ph_bl (balloon.c). */
struct ph_balloon {
	struct balloon_dev_info info;	/* movable mode; see the top comment */
	struct mutex lock;		/* everything below but the atomics */
	struct list_head unmovable;	/* unmovable-mode pages, by page->lru */
	unsigned long size;		/* pages held (READ_ONCE outside lock) */
	unsigned long target;		/* pages wanted */
	bool movable;			/* mode; changes only when empty */
	bool hold;			/* no inflation until the next target */
	bool dying;			/* unload: the worker must not requeue */
	enum ph_bl_state state;
	enum ph_bl_stop stop;
	unsigned int retries;		/* consecutive blocked runs */
	struct delayed_work work;
	struct shrinker *shrinker;	/* under ph_policy_lock */
	/* the host the balloon serves, NULL: none (debugfs sets the target) */
	const struct ph_bl_channel *channel;
	bool switching;			/* a channel attaches or detaches */

	/* the current (or last) run of the worker */
	bool run_inflate;
	unsigned long run_pages;
	u64 run_start_ns, run_last_ns;
	unsigned long last_rate[2];	/* KiB/s of the last run: [inflate] */

	/* totals */
	unsigned long inflated, deflated;
	unsigned long src[PH_BL_SRC_NR];	/* pages inflated, by source */
	unsigned long excess;		/* allocated, then not needed */
	unsigned long volatile_dropped;	/* dropped to make room */
	unsigned long floor_blocks, nomem_blocks;
	unsigned long oom_calls, oom_pages;
	unsigned long shrinker_calls, shrinker_pages;
	atomic_long_t migrated, migrate_busy, isolated, putback;
};

extern struct ph_balloon ph_bl;

/* balloon.c, under ph_bl.lock */
unsigned long ph_bl_deflate_locked(unsigned long nr, enum ph_bl_cause cause);
void ph_bl_run_start(void);
void ph_bl_run_end(enum ph_bl_stop why);
void ph_bl_resized(void);

/* balloon_host.c */
int ph_bl_pressure_init(void);
void ph_bl_pressure_exit(void);
void ph_bl_drain(enum ph_bl_cause cause);

#endif /* _PH_BALLOON_INT_H */
