// SPDX-License-Identifier: GPL-2.0
/*
 * pagehint balloon: a balloon whose pages compaction can move (seed 002).
 *
 * A balloon takes pages away from the guest so that, in a real VM, the host
 * can use them. Pages it holds are "unused" in the page-state table: their
 * content means nothing. An unmovable balloon pins its pages wherever the
 * allocator put them and fragments memory; "Support non-lru page migration"
 * (Minchan Kim, 2016) made balloon pages movable. This component is a client
 * of that infrastructure, usable on a stock kernel without a balloon device.
 *
 * Movable mode (default) uses the kernel's balloon core
 * (mm/balloon_compaction.c, mm/balloon.c on 7.x) and nothing else for
 * migration: pages are allocated GFP_HIGHUSER_MOVABLE (movable pageblocks;
 * balloon_page_alloc() where reclaim is allowed), are enqueued with
 * balloon_page_list_enqueue() (PageOffline, movable through the core's
 * movable_ops, page->private = our balloon_dev_info) and leave through
 * balloon_page_list_dequeue(). Compaction and alloc_contig_range() isolate
 * them through the core and call ph_bl_migratepage() with both pages
 * locked: the new page enters the balloon, the old one leaves, counted
 * (who keeps which books changed in 7.x: ph_balloon_migrated()), and a
 * host is told "inflated new, deflated old" (virtballoon_migratepage() is
 * the model).
 *
 * Unmovable mode reproduces what non-LRU page migration fixed: it
 * allocates single pages exactly as movable mode does (movable pageblocks,
 * among the workload's pages), marks them PageOffline and keeps them on
 * ph_bl.unmovable, but never makes them movable. Compaction cannot move
 * them, so every pageblock holding one stays fragmented, for side-by-side
 * experiments on the same fragmented memory. (GFP_KERNEL pages would
 * instead gather in unmovable pageblocks, out of compaction's way, and
 * show no difference.) The mode changes only while the balloon is empty.
 *
 * Sizing. A write to balloon/target only stores the target and kicks a
 * worker that moves at most PH_BL_BATCH pages per run and requeues itself,
 * so writes return at once and a deflate or unload never waits behind a
 * long inflate. Inflation takes unused memory first, whole 2 MiB blocks
 * while there are free ones (a host then frees whole huge pages; no
 * reclaim or compaction for them), then single pages, never below the
 * floor (the zones' min watermarks and lowmem reserves plus policy
 * balloon_margin). Blocked by the floor or a failed allocation it retries
 * PH_BL_RETRIES times PH_BL_RETRY_MS apart (kswapd may be refilling),
 * then stops and shows why. It never OOM-kills anything.
 *
 * A host. With a host channel attached (struct ph_bl_channel: the virtio
 * balloon device, module/host_virtio.c) the host sets the target and
 * learns about every page: inflated pages before they are enqueued,
 * deflated ones before they are freed, a migration as inflate new and
 * deflate old, the size after each change ("actual"). A host's target is
 * served in the seed's order (enum ph_bl_src): unused memory above the
 * floor, then volatile page cache the channel drops (a re-read is a
 * discard fault), and only when none is left stable memory, through the
 * allocator's own reclaim (__GFP_NORETRY, its LRU order). The target
 * stands: blocked, the worker keeps retrying every PH_BL_HOST_RETRY_MS.
 *
 * Giving memory back under pressure (module/balloon_host.c, with the host
 * channel's attach and detach): an OOM notifier deflates
 * balloon_oom_deflate bytes per call (virtio_balloon: 1 MiB); with policy
 * balloon_shrinker on, a shrinker deflates what reclaim asks for. Both are
 * counted, and both hold inflation until the next target write so the
 * balloon does not fight the workload it just made room for.
 *
 * Locking. ph_bl.lock (a mutex) protects the balloon's contents and books:
 * the unmovable list, size, mode, target, the channel, the worker's run
 * state and the totals not kept in atomics; the channel's callbacks run
 * under it (host round trips: it is a mutex for that). Pages are allocated outside it. The migrate
 * callback runs under two page locks from compaction, which our own
 * allocations can enter, so it only trylocks ph_bl.lock and asks for a
 * retry (-EAGAIN) when busy, like virtio_balloon's balloon_lock. The core's
 * list lock (info.pages_lock up to 6.x, a global on 7.x) protects
 * info.pages and info.isolated_pages. Lock order: ph_bl.lock, page lock
 * (trylock only), the core's list lock.
 */
#define pr_fmt(fmt) "pagehint: balloon: " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/gfp.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/mutex.h>
#include <linux/vmstat.h>
#include <linux/workqueue.h>
#include "pagehint.h"
#include "ph_hooks.h"
#include "ph_compat.h"
#include "ph_balloon.h"
#include "ph_balloon_int.h"
#include "ph_states.h"
#include "pagehint_trace.h"

#if !PH_HAVE_BALLOON_MIGRATION
#error "pagehint's balloon needs CONFIG_BALLOON_COMPACTION (CONFIG_BALLOON_MIGRATION on 7.x)"
#endif

/* Pages per worker run: one 2 MiB block (virtio_balloon: 1 MiB per run) */
#define PH_BL_BATCH		512UL
/* Inflation takes whole blocks of this order first (no reclaim for them) */
#define PH_BL_HUGE_ORDER	pageblock_order
#define PH_BL_HUGE_NR		(1UL << PH_BL_HUGE_ORDER)
/* Blocked runs (floor or allocation failure) before the worker gives up */
#define PH_BL_RETRIES		5
/* Pause between blocked runs: virtio_balloon's 200 ms */
#define PH_BL_RETRY_MS		200
/* Stage reclaim, unmovable mode: balloon_page_alloc()'s flags */
#define PH_BL_GFP_UNMOVABLE	(GFP_HIGHUSER_MOVABLE | __GFP_NORETRY | \
				 __GFP_NOWARN | __GFP_NOMEMALLOC)
/* Free memory only: no reclaim, no compaction (stages huge and free) */
#define PH_BL_GFP_FREE		((GFP_HIGHUSER_MOVABLE & ~__GFP_RECLAIM) | \
				 __GFP_NOWARN | __GFP_NOMEMALLOC)
/* Host mode, blocked host retries: the target stands until it changes */
#define PH_BL_HOST_RETRY_MS	1000

PH_POLICY(ph_bl_margin, balloon_margin, 16UL << 20, 0, 1UL << 40, "bytes",
	  NULL,
	  "free memory above the min watermarks that the balloon never takes");

static const char * const ph_bl_state_names[] = {
	"idle", "inflating", "deflating", "waiting",
};

static const char * const ph_bl_stop_names[] = {
	"none", "target", "floor", "nomem", "oom", "shrinker", "busy",
};

/* Names of enum ph_bl_src (include/ph_balloon.h), for status. */
static const char * const ph_bl_src_names[] = {
	PH_LIST(PH_BL_SRCS(PH_NAME, PH_NAME))
};

struct ph_balloon ph_bl;

/* ---- page-state table ---------------------------------------------- */

/*
 * Balloon pages are unused (their content is meaningless; the host may
 * take them); a page leaving the balloon is stable (the page-state
 * engine's free hook makes it unused again once it reaches the buddy).
 * module/states.c owns the table; without it this does nothing.
 */
static inline void ph_bl_page_state(struct page *page, bool in_balloon)
{
	ph_state_set(page_to_pfn(page),
		     in_balloon ? PH_ST_UNUSED : PH_ST_STABLE, PH_SITE_BALLOON);
}

/* ---- the floor ----------------------------------------------------- */

/*
 * Free pages the balloon never takes: every populated zone's min watermark
 * and largest lowmem reserve (what the allocator keeps from movable user
 * allocations anyway), plus policy balloon_margin.
 */
static unsigned long ph_bl_floor(void)
{
	unsigned long floor = READ_ONCE(ph_bl_margin) >> PAGE_SHIFT;
	struct zone *z;
	int j;

	ph_for_each_populated_zone(z) {
		long reserve = 0;

		for (j = 0; j < MAX_NR_ZONES; j++)
			reserve = max_t(long, reserve, z->lowmem_reserve[j]);
		floor += min_wmark_pages(z) + reserve;
	}
	return floor;
}

static unsigned long ph_bl_free_pages(void)
{
	return global_zone_page_state(NR_FREE_PAGES);
}

/* ---- enqueue / dequeue --------------------------------------------- */

/*
 * Put freshly allocated @pages (linked by lru) into the balloon; empties
 * the list. Caller holds ph_bl.lock.
 */
static void ph_bl_insert_list(struct list_head *pages)
{
	struct page *page, *tmp;

	lockdep_assert_held(&ph_bl.lock);
	list_for_each_entry(page, pages, lru)
		ph_bl_page_state(page, true);
	if (ph_bl.movable) {
		/* one pages_lock hold for the batch */
		balloon_page_list_enqueue(&ph_bl.info, pages);
		return;
	}
	list_for_each_entry_safe(page, tmp, pages, lru) {
		__SetPageOffline(page);
		set_page_private(page, (unsigned long)&ph_bl.unmovable);
		list_move(&page->lru, &ph_bl.unmovable);
	}
}

/*
 * Take up to @nr pages out of the balloon onto @pages, ready to be freed.
 * Movable mode may return fewer while compaction has pages isolated.
 * Caller holds ph_bl.lock.
 */
static unsigned long ph_bl_take(struct list_head *pages, unsigned long nr)
{
	struct page *page;
	unsigned long n = 0;

	lockdep_assert_held(&ph_bl.lock);
	if (ph_bl.movable)
		return balloon_page_list_dequeue(&ph_bl.info, pages, nr);
	while (n < nr && !list_empty(&ph_bl.unmovable)) {
		page = list_first_entry(&ph_bl.unmovable, struct page, lru);
		list_move(&page->lru, pages);
		set_page_private(page, 0);
		__ClearPageOffline(page);
		n++;
	}
	return n;
}

/* The balloon changed size: tell the host (its "actual"). */
void ph_bl_resized(void)
{
	lockdep_assert_held(&ph_bl.lock);
	if (ph_bl.channel)
		ph_bl.channel->resized(ph_bl.size);
}

/**
 * ph_bl_deflate_locked() - give up to @nr pages back to the page allocator
 * @nr: pages wanted
 * @cause: who asks (traced)
 *
 * With a host channel, the host learns about every batch before it is
 * freed (a round trip: may sleep, as virtio_balloon's OOM notifier does).
 * Context: ph_bl.lock held; does not allocate, so the OOM notifier can
 * use it.
 * Return: pages freed; fewer than asked when the balloon is smaller or
 * compaction holds some of its pages isolated.
 */
unsigned long ph_bl_deflate_locked(unsigned long nr,
					  enum ph_bl_cause cause)
{
	unsigned long done = 0, n;
	struct page *page, *tmp;
	LIST_HEAD(pages);

	lockdep_assert_held(&ph_bl.lock);
	nr = min(nr, ph_bl.size);
	while (done < nr) {
		/* bounded batches: the core holds its list lock, irqs off */
		n = ph_bl_take(&pages, min(nr - done, PH_BL_BATCH));
		if (!n)
			break;
		if (ph_bl.channel)
			ph_bl.channel->deflate(&pages);
		list_for_each_entry_safe(page, tmp, &pages, lru) {
			list_del(&page->lru);
			ph_bl_page_state(page, false);
			__free_page(page);
		}
		done += n;
	}
	if (!done)
		return 0;
	ph_bl.size -= done;
	ph_bl.deflated += done;
	ph_bl_resized();
	trace_balloon_deflate(done, ph_bl.size, ph_bl.target, cause);
	return done;
}

/* ---- the worker ---------------------------------------------------- */

static void ph_bl_requeue(unsigned long delay)
{
	if (!ph_bl.dying)
		mod_delayed_work(system_freezable_wq, &ph_bl.work, delay);
}

static unsigned long ph_bl_rate(unsigned long pages, u64 ns)
{
	if (!ns)
		return 0;
	return div64_u64((u64)pages * (PAGE_SIZE / 1024) * NSEC_PER_SEC, ns);
}

/* End the current run. Caller holds ph_bl.lock. */
void ph_bl_run_end(enum ph_bl_stop why)
{
	lockdep_assert_held(&ph_bl.lock);
	if (ph_bl.state != PH_BL_IDLE && ph_bl.run_pages)
		ph_bl.last_rate[ph_bl.run_inflate] =
			ph_bl_rate(ph_bl.run_pages,
				   ph_bl.run_last_ns - ph_bl.run_start_ns);
	ph_bl.state = PH_BL_IDLE;
	ph_bl.stop = why;
	cancel_delayed_work(&ph_bl.work);
}

/* Start a run towards ph_bl.target. Caller holds ph_bl.lock. */
void ph_bl_run_start(void)
{
	lockdep_assert_held(&ph_bl.lock);
	ph_bl_run_end(PH_BL_STOP_NONE);
	if (ph_bl.size == ph_bl.target) {
		ph_bl.stop = PH_BL_STOP_TARGET;
		return;
	}
	ph_bl.run_inflate = ph_bl.target > ph_bl.size;
	ph_bl.state = ph_bl.run_inflate ? PH_BL_INFLATING : PH_BL_DEFLATING;
	ph_bl.hold = false;
	ph_bl.retries = 0;
	ph_bl.run_pages = 0;
	ph_bl.run_start_ns = ktime_get_ns();
	ph_bl.run_last_ns = ph_bl.run_start_ns;
	ph_bl_requeue(0);
}

/* A run moved @n pages (or was blocked: @why). Caller holds ph_bl.lock. */
static void ph_bl_progress(unsigned long n, enum ph_bl_stop why)
{
	if (n) {
		ph_bl.run_pages += n;
		ph_bl.run_last_ns = ktime_get_ns();
		ph_bl.retries = 0;
	}
	if (why == PH_BL_STOP_NONE) {
		ph_bl.state = ph_bl.run_inflate ? PH_BL_INFLATING :
						  PH_BL_DEFLATING;
		ph_bl_requeue(0);
		return;
	}
	if (why == PH_BL_STOP_FLOOR)
		ph_bl.floor_blocks++;
	else if (why == PH_BL_STOP_NOMEM)
		ph_bl.nomem_blocks++;
	if (!n && ++ph_bl.retries > PH_BL_RETRIES) {
		/* a host's target stands: keep trying, slowly */
		if (!ph_bl.channel) {
			ph_bl_run_end(why);
			return;
		}
		ph_bl.stop = why;
		ph_bl.state = PH_BL_WAITING;
		ph_bl_requeue(msecs_to_jiffies(PH_BL_HOST_RETRY_MS));
		return;
	}
	ph_bl.stop = why;	/* shown while waiting */
	ph_bl.state = PH_BL_WAITING;
	ph_bl_requeue(n ? 0 : msecs_to_jiffies(PH_BL_RETRY_MS));
}

/* A free 2 MiB block, split into pages the balloon takes one by one. */
static bool ph_bl_alloc_huge(struct list_head *pages)
{
	struct page *page;
	unsigned long i;

	page = alloc_pages(PH_BL_GFP_FREE | __GFP_NORETRY, PH_BL_HUGE_ORDER);
	if (!page)
		return false;
	split_page(page, PH_BL_HUGE_ORDER);
	for (i = 0; i < PH_BL_HUGE_NR; i++)
		list_add_tail(&page[i].lru, pages);
	return true;
}

/*
 * Stages huge and free: unused memory above the floor, whole 2 MiB
 * blocks while they exist (movable mode), then single pages. Adds to
 * @src[]; returns the reason it stopped short of @want.
 */
static enum ph_bl_stop ph_bl_alloc_free(struct list_head *pages,
					unsigned long want, bool movable,
					unsigned long *got, unsigned long *src)
{
	unsigned long floor = ph_bl_floor();
	bool huge = movable;
	struct page *page;

	while (*got < want) {
		/* no reclaim, so no preemption point in the allocator either */
		cond_resched();
		if (ph_bl_free_pages() <= floor)
			return PH_BL_STOP_FLOOR;
		if (huge && want - *got >= PH_BL_HUGE_NR &&
		    ph_bl_free_pages() > floor + PH_BL_HUGE_NR) {
			if (ph_bl_alloc_huge(pages)) {
				*got += PH_BL_HUGE_NR;
				src[PH_BL_SRC_HUGE] += PH_BL_HUGE_NR;
				continue;
			}
			huge = false;	/* none left: single pages */
		}
		page = alloc_page(PH_BL_GFP_FREE);
		if (!page)
			return PH_BL_STOP_NOMEM;
		list_add_tail(&page->lru, pages);
		(*got)++;
		src[PH_BL_SRC_FREE]++;
	}
	return PH_BL_STOP_NONE;
}

/*
 * Allocate up to @want pages for the balloon onto @pages, outside the
 * lock, in the order of enum ph_bl_src. Without a host (@ch NULL) only
 * unused memory is taken: the balloon stops at the floor. For a host's
 * target, volatile page cache is dropped next and only when none is left
 * does the allocator reclaim (stable memory, by its LRU).
 */
static enum ph_bl_stop ph_bl_alloc_batch(struct list_head *pages,
					 unsigned long want, bool movable,
					 const struct ph_bl_channel *ch,
					 unsigned long *got, unsigned long *src)
{
	unsigned long dropped, n;
	enum ph_bl_stop why;
	struct page *page;

	*got = 0;
	why = ph_bl_alloc_free(pages, want, movable, got, src);
	if (why == PH_BL_STOP_NONE || !ch)
		return why;
	while (ch->drop_volatile && *got < want) {
		dropped = ch->drop_volatile(want - *got);
		if (!dropped)
			break;
		src[PH_BL_SRC_NR] += dropped;
		/*
		 * The frames just freed wait on this CPU's free lists, not
		 * yet counted free (the floor cannot see them): take as
		 * many, without reclaim.
		 */
		for (n = 0; n < dropped && *got < want; n++) {
			cond_resched();
			page = alloc_page(PH_BL_GFP_FREE);
			if (!page)
				break;
			list_add_tail(&page->lru, pages);
			(*got)++;
			src[PH_BL_SRC_VOLATILE]++;
		}
	}
	while (*got < want) {
		page = movable ? balloon_page_alloc() :
				 alloc_page(PH_BL_GFP_UNMOVABLE);
		if (!page)
			return PH_BL_STOP_NOMEM;
		list_add_tail(&page->lru, pages);
		(*got)++;
		src[PH_BL_SRC_RECLAIM]++;
	}
	return PH_BL_STOP_NONE;
}

static void ph_bl_inflate_step(void)
{
	/* pages by source, [PH_BL_SRC_NR]: volatile pages dropped */
	unsigned long want, got, added = 0, src[PH_BL_SRC_NR + 1] = { };
	const struct ph_bl_channel *ch;
	struct page *page, *tmp;
	enum ph_bl_stop why;
	LIST_HEAD(pages);
	LIST_HEAD(in);
	bool movable;
	int i;

	mutex_lock(&ph_bl.lock);
	want = min(ph_bl.target - ph_bl.size, PH_BL_BATCH);
	movable = ph_bl.movable;
	/* stays attached while the worker runs: detach cancels it first */
	ch = ph_bl.channel;
	mutex_unlock(&ph_bl.lock);

	why = ph_bl_alloc_batch(&pages, want, movable, ch, &got, src);

	mutex_lock(&ph_bl.lock);
	/* the target, the hold or (when empty) the mode may have changed */
	list_for_each_entry_safe(page, tmp, &pages, lru) {
		if (!ph_bl.hold && !ph_bl.dying && ph_bl.movable == movable &&
		    ph_bl.channel == ch && ph_bl.size + added < ph_bl.target) {
			list_move_tail(&page->lru, &in);
			added++;
		} else {
			list_del(&page->lru);
			__free_page(page);
			ph_bl.excess++;
		}
	}
	/* the host may take them as soon as it knows: their content is void */
	if (added && ch)
		ch->inflate(&in);
	ph_bl_insert_list(&in);
	for (i = 0; i < PH_BL_SRC_NR; i++)
		ph_bl.src[i] += src[i];
	ph_bl.volatile_dropped += src[PH_BL_SRC_NR];
	ph_bl.size += added;
	ph_bl.inflated += added;
	if (added) {
		ph_bl_resized();
		trace_balloon_inflate(added, ph_bl.size, ph_bl.target,
				      PH_BL_CAUSE_TARGET);
	}
	if (ph_bl.state != PH_BL_IDLE)
		ph_bl_progress(added, why);
	mutex_unlock(&ph_bl.lock);
}

static void ph_bl_deflate_step(void)
{
	unsigned long n;

	mutex_lock(&ph_bl.lock);
	if (ph_bl.size > ph_bl.target) {
		n = ph_bl_deflate_locked(min(ph_bl.size - ph_bl.target,
					     PH_BL_BATCH), PH_BL_CAUSE_TARGET);
		if (ph_bl.state != PH_BL_IDLE)
			ph_bl_progress(n, n ? PH_BL_STOP_NONE :
					      PH_BL_STOP_BUSY);
	}
	mutex_unlock(&ph_bl.lock);
}

static void ph_bl_work_fn(struct work_struct *work)
{
	unsigned long size, target;
	bool hold;

	mutex_lock(&ph_bl.lock);
	size = ph_bl.size;
	target = ph_bl.target;
	hold = ph_bl.hold;
	if (ph_bl.dying || ph_bl.state == PH_BL_IDLE) {
		mutex_unlock(&ph_bl.lock);
		return;
	}
	if (size == target || (size < target && hold)) {
		ph_bl_run_end(size == target ? PH_BL_STOP_TARGET : ph_bl.stop);
		mutex_unlock(&ph_bl.lock);
		return;
	}
	/* a run goes one way; the other way is a new run */
	if (ph_bl.run_inflate != (target > size))
		ph_bl_run_start();
	mutex_unlock(&ph_bl.lock);

	if (size < target)
		ph_bl_inflate_step();
	else
		ph_bl_deflate_step();
}

/* ---- migration ----------------------------------------------------- */

/*
 * b_dev_info.migratepage: compaction (or alloc_contig_range) moves an
 * isolated balloon page @page to @newpage; both are locked. Same steps as
 * virtballoon_migratepage(): take @newpage into the balloon, tell the
 * host (inflated @newpage, deflated @page), then release @page. The size
 * does not change.
 */
static int ph_bl_migratepage(struct balloon_dev_info *info,
			     struct page *newpage, struct page *page,
			     enum migrate_mode mode)
{
	/* our worker may be allocating into compaction; retry later */
	if (!mutex_trylock(&ph_bl.lock)) {
		atomic_long_inc(&ph_bl.migrate_busy);
		return -EAGAIN;
	}
	ph_balloon_migrated(info, newpage, page);
	ph_bl_page_state(newpage, true);

	/* the host takes the new page, then gives the old one back */
	if (ph_bl.channel)
		ph_bl.channel->migrate(newpage, page);

	ph_bl_page_state(page, false);
	atomic_long_inc(&ph_bl.migrated);
	trace_balloon_migrate(page_to_pfn(page), page_to_pfn(newpage), mode);
	mutex_unlock(&ph_bl.lock);
	ph_balloon_migrated_put(page);
	return 0;
}

/*
 * Isolations and putbacks happen inside the core's movable_ops
 * (balloon_page_isolate/putback, static); ftrace entry hooks count the
 * ones of our balloon.
 * Optional: without them the counters read "n/a". They only fire when
 * compaction isolates a balloon page.
 */
static void ph_bl_isolate_hook(struct ph_hook *h, unsigned long ip,
			       struct ftrace_regs *fregs)
{
	struct page *page = (struct page *)ph_ftrace_arg(fregs, 0);

	if (ph_balloon_page_device(page) == &ph_bl.info)
		atomic_long_inc(&ph_bl.isolated);
}

static void ph_bl_putback_hook(struct ph_hook *h, unsigned long ip,
			       struct ftrace_regs *fregs)
{
	struct page *page = (struct page *)ph_ftrace_arg(fregs, 0);

	if (ph_balloon_page_device(page) == &ph_bl.info)
		atomic_long_inc(&ph_bl.putback);
}

#define PH_BL_HOOKS(H)							\
	(H(balloon_isolate, FTRACE, "balloon_page_isolate",		\
	   PH_HOOK_OPTIONAL, .ftrace_fn = ph_bl_isolate_hook)		\
	 H(balloon_putback, FTRACE, "balloon_page_putback",		\
	   PH_HOOK_OPTIONAL, .ftrace_fn = ph_bl_putback_hook))

enum { PH_LIST(PH_BL_HOOKS(PH_HOOK_ID)) PH_BL_NR_HOOKS };

static struct ph_hook ph_bl_hooks[PH_BL_NR_HOOKS] = {
	PH_LIST(PH_BL_HOOKS(PH_HOOK_DEF))
};

/* ---- for the control plane (debugfs/balloon.c) --------------------- */

unsigned long ph_balloon_target(void)
{
	return READ_ONCE(ph_bl.target);
}

/*
 * A new target: the worker starts towards it; returns at once.
 * Return: 0, or -EBUSY while a host channel owns the target.
 */
int ph_balloon_set_target(unsigned long pages)
{
	mutex_lock(&ph_bl.lock);
	if (ph_bl.channel || ph_bl.switching) {
		mutex_unlock(&ph_bl.lock);
		return -EBUSY;
	}
	ph_bl.target = pages;
	ph_bl_run_start();
	mutex_unlock(&ph_bl.lock);
	return 0;
}

bool ph_balloon_movable(void)
{
	return READ_ONCE(ph_bl.movable);
}

/* Return: 0, or -EBUSY unless the balloon is empty and has no target. */
int ph_balloon_set_movable(bool movable)
{
	int ret = 0;

	mutex_lock(&ph_bl.lock);
	if (ph_bl.size || ph_bl.target)
		ret = -EBUSY;
	else
		ph_bl.movable = movable;
	mutex_unlock(&ph_bl.lock);
	return ret;
}

/* A counter of a hook that is not attached reads -1 ("n/a"). */
static long ph_bl_hooked(const struct ph_hook *h, atomic_long_t *v)
{
	return h->attached ? atomic_long_read(v) : -1;
}

/**
 * ph_balloon_status() - a snapshot of the balloon
 * @st: filled in; the books under ph_bl.lock, the atomics after
 */
void ph_balloon_status(struct ph_balloon_status *st)
{
	struct ph_balloon *b = &ph_bl;

	memset(st, 0, sizeof(*st));
	st->floor_pages = ph_bl_floor();
	/* a snapshot; the core's list lock is private on 7.x */
	st->isolated_now = READ_ONCE(b->info.isolated_pages);

	mutex_lock(&b->lock);
	st->run_ns = b->run_last_ns - b->run_start_ns;
	if (b->run_pages)
		st->run_kib_s = ph_bl_rate(b->run_pages, st->run_ns);
	st->movable = b->movable;
	st->state = ph_bl_state_names[b->state];
	st->stop = ph_bl_stop_names[b->stop];
	st->target_pages = b->target;
	st->size_pages = b->size;
	st->free_pages = ph_bl_free_pages();
	st->run_inflate = b->run_inflate;
	st->run_pages = b->run_pages;
	st->inflate_kib_s = b->last_rate[1];
	st->deflate_kib_s = b->last_rate[0];
	st->inflated = b->inflated;
	st->deflated = b->deflated;
	st->floor_blocks = b->floor_blocks;
	st->nomem_blocks = b->nomem_blocks;
	st->oom_calls = b->oom_calls;
	st->oom_pages = b->oom_pages;
	st->shrinker_calls = b->shrinker_calls;
	st->shrinker_pages = b->shrinker_pages;
	st->channel = b->channel ? b->channel->name : "none";
	memcpy(st->src, b->src, sizeof(st->src));
	st->src_names = ph_bl_src_names;
	st->volatile_dropped = b->volatile_dropped;
	st->excess = b->excess;
	mutex_unlock(&b->lock);

	st->migrated = atomic_long_read(&b->migrated);
	st->migrate_busy = atomic_long_read(&b->migrate_busy);
	st->isolated = ph_bl_hooked(&ph_bl_hooks[PH_HK_balloon_isolate],
				    &b->isolated);
	st->putback = ph_bl_hooked(&ph_bl_hooks[PH_HK_balloon_putback],
				   &b->putback);
}

/**
 * ph_balloon_floor() - free pages the balloon never takes
 *
 * Every populated zone's min watermark and largest lowmem reserve, plus
 * policy balloon_margin. For test drivers that allocate up to the same
 * floor (phtest's probe).
 */
unsigned long ph_balloon_floor(void)
{
	return ph_bl_floor();
}
EXPORT_SYMBOL_GPL(ph_balloon_floor);

/**
 * ph_balloon_owns() - is @page in the balloon (either mode)?
 * @page: any page
 *
 * A racy read, for heuristics only (phtest's contig picks a pageblock
 * full of balloon pages).
 */
bool ph_balloon_owns(struct page *page)
{
	unsigned long priv = page_private(page);

	return PageOffline(page) &&
	       (priv == (unsigned long)&ph_bl.info ||
		priv == (unsigned long)&ph_bl.unmovable);
}
EXPORT_SYMBOL_GPL(ph_balloon_owns);

/* ---- init / exit --------------------------------------------------- */

static int ph_bl_init(void)
{
	int ret;

	balloon_devinfo_init(&ph_bl.info);
	ph_bl.info.migratepage = ph_bl_migratepage;
	mutex_init(&ph_bl.lock);
	INIT_LIST_HEAD(&ph_bl.unmovable);
	INIT_DELAYED_WORK(&ph_bl.work, ph_bl_work_fn);
	ph_bl.movable = true;
	ph_bl.dying = false;

	ret = ph_hooks_register("balloon", ph_bl_hooks, PH_BL_NR_HOOKS);
	if (ret)
		return ret;
	/* optional: counting isolations is not worth failing the balloon */
	if (ph_hooks_attach_all(ph_bl_hooks, PH_BL_NR_HOOKS))
		pr_info("isolate/putback counters off\n");

	ret = ph_bl_pressure_init();
	if (ret)
		goto err_hooks;
	ph_policy_add(&ph_bl_margin_policy);
	return 0;

err_hooks:
	ph_hooks_unregister(ph_bl_hooks, PH_BL_NR_HOOKS);
	return ret;
}

static void ph_bl_exit(void)
{
	/* no worker, then nobody else deflating */
	mutex_lock(&ph_bl.lock);
	WRITE_ONCE(ph_bl.dying, true);
	ph_bl.target = 0;
	mutex_unlock(&ph_bl.lock);
	cancel_delayed_work_sync(&ph_bl.work);

	ph_bl_pressure_exit();
	ph_hooks_unregister(ph_bl_hooks, PH_BL_NR_HOOKS);

	ph_bl_drain(PH_BL_CAUSE_UNLOAD);
}

const struct ph_component ph_balloon_component = {
	.name = "balloon",
	.init = ph_bl_init,
	.exit = ph_bl_exit,
};
