/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The balloon (module/balloon.c): its names shared with the tracepoints
 * (pagehint:balloon_inflate, balloon_deflate, balloon_migrate), what the
 * control plane asks of it, and the two helpers exported for test drivers.
 */
#ifndef _PH_BALLOON_H
#define _PH_BALLOON_H

#include <linux/types.h>
#include <linux/list.h>
#include "uapi/pagehint.h"

struct page;

/*
 * Who resized the balloon: the "cause" field of inflate/deflate events
 * (a name list, see uapi/pagehint.h).
 */
#define PH_BL_CAUSES(EM, EMe)						\
	(EM(PH_BL_CAUSE_TARGET, "target")	/* the worker, to target */ \
	 EM(PH_BL_CAUSE_OOM, "oom")		/* the OOM notifier */	\
	 EM(PH_BL_CAUSE_SHRINKER, "shrinker")	/* balloon_shrinker */	\
	 EM(PH_BL_CAUSE_UNLOAD, "unload")	/* unload: every page */ \
	 EMe(PH_BL_CAUSE_HOST, "host"))		/* a channel (de)attached */

enum ph_bl_cause { PH_LIST(PH_BL_CAUSES(PH_ENUM, PH_ENUM)) };

/*
 * Where inflation takes its pages from, in the seed's order: unused
 * memory first (whole 2 MiB blocks, then single pages, never below the
 * floor), then - only for a host's target - pages freed by dropping
 * volatile page cache, and last stable memory through the allocator's
 * own reclaim. balloon/status shows from_<name> for each.
 */
#define PH_BL_SRCS(EM, EMe)						\
	(EM(PH_BL_SRC_HUGE, "huge")		/* free 2 MiB blocks, split */ \
	 EM(PH_BL_SRC_FREE, "free")		/* free pages above the floor */ \
	 EM(PH_BL_SRC_VOLATILE, "volatile")	/* freed by dropping page cache */ \
	 EMe(PH_BL_SRC_RECLAIM, "reclaim"))	/* the allocator reclaimed */

enum ph_bl_src { PH_LIST(PH_BL_SRCS(PH_ENUM, PH_ENUM)) PH_BL_SRC_NR };

/**
 * struct ph_balloon_status - a snapshot for the "status" file
 * @movable: mode: movable (balloon_compaction) or unmovable
 * @state: the worker: idle, inflating, deflating, waiting
 * @stop: why the last run stopped (or waits): none, target, floor, ...
 * @target_pages: pages wanted
 * @size_pages: pages held
 * @free_pages: free pages in the system now
 * @floor_pages: free pages inflation never takes
 * @run_inflate: the current (or last) run inflates
 * @run_pages: pages it moved
 * @run_ns: its duration so far
 * @run_kib_s: its rate
 * @inflate_kib_s: rate of the last inflating run
 * @deflate_kib_s: rate of the last deflating run
 * @inflated: pages ever inflated
 * @deflated: pages ever deflated
 * @floor_blocks: runs blocked at the floor
 * @nomem_blocks: runs blocked by a failed allocation
 * @oom_calls: OOM notifications
 * @oom_pages: pages they deflated
 * @shrinker_calls: shrinker scans
 * @shrinker_pages: pages they deflated
 * @migrated: pages moved by compaction or alloc_contig_range()
 * @migrate_busy: migrations refused (-EAGAIN)
 * @isolated: isolations seen, -1 when that hook is not attached
 * @putback: putbacks seen, -1 likewise
 * @isolated_now: pages compaction holds isolated now
 * @channel: the host channel attached ("none" without)
 * @src: pages inflated by source (enum ph_bl_src order: huge, free,
 *       volatile, reclaim), @src_names their names
 * @volatile_dropped: volatile pages dropped to make room
 * @excess: pages allocated, then not needed (the target moved)
 */
struct ph_balloon_status {
	bool movable;
	const char *state, *stop;
	unsigned long target_pages, size_pages, free_pages, floor_pages;
	bool run_inflate;
	unsigned long run_pages;
	u64 run_ns;
	unsigned long run_kib_s, inflate_kib_s, deflate_kib_s;
	unsigned long inflated, deflated, floor_blocks, nomem_blocks;
	unsigned long oom_calls, oom_pages, shrinker_calls, shrinker_pages;
	long migrated, migrate_busy, isolated, putback;
	unsigned long isolated_now;
	const char *channel;
	unsigned long src[PH_BL_SRC_NR];
	const char *const *src_names;
	unsigned long volatile_dropped, excess;
};

void ph_balloon_status(struct ph_balloon_status *st);
unsigned long ph_balloon_target(void);
int ph_balloon_set_target(unsigned long pages);
bool ph_balloon_movable(void);
int ph_balloon_set_movable(bool movable);

/* Exported (GPL) for test drivers. */
unsigned long ph_balloon_floor(void);
bool ph_balloon_owns(struct page *page);

/**
 * struct ph_bl_channel - the host behind the balloon (module/host_virtio.c)
 * @inflate: @pages (linked by page->lru) enter the balloon; tell the host
 *           it may take them. Called before they are enqueued.
 * @deflate: @pages (linked by page->lru) leave the balloon; tell the host
 *           before they are freed.
 * @migrate: compaction moved a balloon page: the host takes @newpage and
 *           gives @page back (inflate new, deflate old). Both pages are
 *           locked.
 * @resized: the balloon now holds @pages (the device's "actual").
 * @drop_volatile: optional; free up to @want pages of volatile page cache
 *           so that the balloon can take them. Called by the worker
 *           without the balloon's lock. Return: pages freed.
 * @name: shown in balloon/status
 * @oom_deflate: the host allows deflating on OOM (virtio's DEFLATE_ON_OOM)
 *
 * Every callback runs in process context and may sleep (a host round
 * trip); all but @drop_volatile with the balloon's lock held. None may
 * call back into the balloon.
 */
struct ph_bl_channel {
	const char *name;
	void (*inflate)(struct list_head *pages);
	void (*deflate)(struct list_head *pages);
	void (*migrate)(struct page *newpage, struct page *page);
	void (*resized)(unsigned long pages);
	unsigned long (*drop_volatile)(unsigned long want);
	bool oom_deflate;
};

int ph_balloon_attach(const struct ph_bl_channel *ch);
void ph_balloon_detach(const struct ph_bl_channel *ch);
void ph_balloon_host_target(unsigned long pages);
unsigned long ph_balloon_size(void);

#endif /* _PH_BALLOON_H */
