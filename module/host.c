// SPDX-License-Identifier: GPL-2.0
/*
 * pagehint host model: a simulated hypervisor inside the guest that acts
 * on the page states (seed 000) - it forgets unused pages, discards
 * volatile ones, and counts what it would have to swap - plus the guest
 * side of the discard fault.
 *
 * Design
 * ------
 * Host backing. The host keeps one bit per guest PFN, "gone": set when the
 * host dropped its copy of the frame (it forgot an unused page, or the
 * frame was freed by a discard). Every other PFN of the state table is
 * host-resident. When the guest reuses a gone frame (the page-state engine
 * sees it allocated: stable or volatile again) the host has to supply a
 * fresh page; each pass starts with a sweep that finds those frames,
 * clears their bit and counts them "refilled". resident = table PFNs -
 * gone PFNs.
 *
 * Reclaim. A request for N pages is served in the seed's order:
 *  1. unused pages the host still backs are forgotten (free for the host:
 *     no I/O, nothing for the guest to notice);
 *  2. volatile pages are discarded (no host I/O; the guest re-reads them
 *     from its own backing device if it ever needs them again);
 *  3. what is left would have to go to the host's swap device (the pages
 *     are stable): counted as would-swap, not simulated further.
 * The pressure mode (host_target > 0) runs the same reclaim from a delayed
 * work every host_interval_ms, asking for resident - target pages.
 *
 * Discard. A volatile frame is discarded through the kernel's own locked
 * page-cache paths, never by poking at the page cache directly:
 *  - take a reference (folio_try_get) and the folio lock (trylock only:
 *    a locked page is busy, a lost race) to read a stable ->mapping and
 *    ->index, and pin the inode with igrab() so that the mapping outlives
 *    the folio lock (igrab fails on an inode being freed: a lost race);
 *  - drop lock and reference, then unmap_mapping_range() the folio's file
 *    range when it is mapped: pte dirty bits move to the folio, so a page
 *    written through a shared mapping becomes dirty and stays;
 *  - invalidate_mapping_pages() on exactly that range: it locks the folio
 *    itself and removes it only if it is clean, not under writeback, not
 *    mapped and has no reference beyond the page cache's. Anything else -
 *    a page dirtied, re-mapped (a fault or a fork copying the pte), looked
 *    up or locked meanwhile - keeps the page, and is counted as a lost
 *    race. The freed frame goes back to the buddy allocator, where the
 *    state engine sees it become unused.
 * These are the seed's PG_discarded races (discard vs. removal from the
 * page cache, vs. pte establish, vs. copy_one_pte), settled here by the
 * page lock and the refcount check of the page cache's own eviction.
 *
 * Each discarded page is recorded, and its re-read counted as a discard
 * fault: module/host_records.c.
 *
 * Locking
 * -------
 * ph_host_mutex serialises reclaim passes (debugfs writes and the pressure
 * work) and protects the gone bitmap's writers and the pass statistics.
 * Policy changes run under ph_policy_lock and never wait for
 * ph_host_mutex except through cancel_delayed_work_sync; the work never
 * takes ph_policy_lock.
 */
#define pr_fmt(fmt) "pagehint: host: " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/memory_hotplug.h>
#include <linux/mmzone.h>
#include <linux/fs.h>
#include <linux/bitmap.h>
#include <linux/workqueue.h>
#include <linux/spinlock.h>
#include <linux/percpu.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include "pagehint.h"
#include "ph_compat.h"
#include "ph_hooks.h"
#include "ph_states.h"
#include "ph_host.h"
#include "ph_host_int.h"
#include "pagehint_trace.h"

/* Policies: see the help texts; all may change at runtime. */
static int ph_host_enable_apply(const struct ph_policy *p, unsigned long val);
static int ph_host_target_apply(const struct ph_policy *p, unsigned long val);
static int ph_host_interval_apply(const struct ph_policy *p,
				  unsigned long val);

PH_POLICY(ph_host_on, host, 0, 0, 1, "0/1", ph_host_enable_apply,
	  "the simulated host: reclaim requests, discards, discard faults");
PH_POLICY(ph_host_discard_on, host_discard, 1, 0, 1, "0/1", NULL,
	  "the host may discard volatile pages (0: it forgets unused pages only)");
PH_POLICY(ph_host_target, host_target, 0, 0, 1UL << 50, "bytes",
	  ph_host_target_apply,
	  "pressure mode: the host-resident size the host holds, 0 = off");
PH_POLICY(ph_host_interval, host_interval_ms, 100, 1, 60000, "ms",
	  ph_host_interval_apply,
	  "pressure mode: period between reclaim passes");
PH_POLICY(ph_host_max_discards, host_max_discards, 65536, 1, 1UL << 30,
	  "pages", NULL,
	  "most pages one reclaim pass discards");

/* ---------------------------------------------------------------------
 * The host's view of guest memory
 */

/* Protects the gone bitmap's writers, the pass stats and the pass itself. */
static DEFINE_MUTEX(ph_host_mutex);
static unsigned long ph_host_lo, ph_host_hi;	/* PFN range [lo, hi) */
static unsigned long ph_host_npfn;	/* PFNs in the state table */
static unsigned long *ph_host_gone;	/* bit (pfn - lo): host dropped it */

/* Under ph_host_mutex; read without it by "stats" (tearing is fine). */
static struct ph_host_stats ph_hs;
/* CPU time of the simulated host (passes, sweeps): hypervisor time. */
static atomic64_t ph_host_ns = ATOMIC64_INIT(0);

/*
 * CPU time the current task ran, as the scheduler accounts it (updated at
 * every tick and context switch): a pass that yields does not count the
 * time others ran meanwhile.
 */
static u64 ph_host_cpu_ns(void)
{
	return READ_ONCE(current->se.sum_exec_runtime);
}

static void ph_host_range_init(void)
{
	unsigned long pfn;

	ph_online_pfn_span(&ph_host_lo, &ph_host_hi);
	if (ph_host_lo > ph_host_hi)
		ph_host_lo = ph_host_hi = 0;
	ph_host_npfn = 0;
	for (pfn = ph_host_lo; pfn < ph_host_hi; pfn++) {
		if (ph_state_get(pfn) != PH_ST_NONE)
			ph_host_npfn++;
		if (!(pfn & 0xffff))
			cond_resched();
	}
}

/*
 * The guest reused frames the host had dropped: the host supplies them
 * again (zero-filled on a real host). Returns the gone count.
 */
static unsigned long ph_host_sweep(void)
{
	unsigned long bit, gone = 0;
	enum ph_state st;

	lockdep_assert_held(&ph_host_mutex);
	for_each_set_bit(bit, ph_host_gone, ph_host_hi - ph_host_lo) {
		st = ph_state_get(ph_host_lo + bit);
		if (st == PH_ST_UNUSED || st == PH_ST_DISCARDED) {
			gone++;
			continue;
		}
		clear_bit(bit, ph_host_gone);
		ph_hs.refilled++;
	}
	return gone;
}

static unsigned long ph_host_resident(unsigned long gone)
{
	return ph_host_npfn > gone ? ph_host_npfn - gone : 0;
}

static bool ph_host_test_set_gone(unsigned long pfn)
{
	return __test_and_set_bit(pfn - ph_host_lo, ph_host_gone);
}

/* Forget up to @want unused pages the host still backs. */
static unsigned long ph_host_forget(unsigned long want)
{
	unsigned long pfn, done = 0;

	for (pfn = ph_state_next(ph_host_lo, PH_ST_UNUSED);
	     pfn < ph_host_hi && done < want;
	     pfn = ph_state_next(pfn + 1, PH_ST_UNUSED)) {
		if (ph_host_test_set_gone(pfn))
			continue;
		done++;
		if (!(done & 1023))
			cond_resched();
	}
	ph_hs.forgotten += done;
	return done;
}

enum ph_discard_res {
	PH_DISC_DONE,		/* the folio left the page cache */
	PH_DISC_SKIP,		/* not a page-cache folio (any more) */
	PH_DISC_LOST_LOCKED,	/* locked by someone else */
	PH_DISC_LOST_DIRTY,	/* dirty or under writeback */
	PH_DISC_LOST_STABLE,	/* made stable (looked up) meanwhile */
	PH_DISC_LOST_INODE,	/* its inode is being freed */
	PH_DISC_LOST_BUSY,	/* kept: referenced/mapped/dirtied meanwhile */
	PH_DISC_RECENT,		/* active (used lately): left for a later pass */
};

/* What the discard needs once the folio lock is dropped. */
struct ph_discard_ctx {
	struct inode *inode;
	pgoff_t index;
	unsigned long pfn;
	long nr;
	bool mapped;
};

/*
 * With a reference on @folio: lock it, check it is clean page cache and
 * pin its inode. On PH_DISC_DONE, @c holds the inode reference.
 */
static enum ph_discard_res ph_host_discard_prepare(struct folio *folio,
						   struct ph_discard_ctx *c)
{
	struct address_space *mapping;
	enum ph_discard_res res = PH_DISC_DONE;

	if (!folio_trylock(folio))
		return PH_DISC_LOST_LOCKED;
	mapping = folio->mapping;
	if (!mapping || folio_test_anon(folio) ||
	    folio_test_swapbacked(folio) || !folio_test_uptodate(folio) ||
	    folio_test_mlocked(folio) || mapping_unevictable(mapping)) {
		res = PH_DISC_SKIP;
		goto unlock;
	}
	if (folio_test_dirty(folio) || folio_test_writeback(folio)) {
		res = PH_DISC_LOST_DIRTY;
		goto unlock;
	}
	/* a lookup made it stable since the pass saw it volatile */
	if (ph_state_get(folio_pfn(folio)) != PH_ST_VOLATILE) {
		res = PH_DISC_LOST_STABLE;
		goto unlock;
	}
	/* the folio lock keeps ->mapping, hence its inode, alive here */
	c->inode = igrab(mapping->host);
	if (!c->inode) {
		res = PH_DISC_LOST_INODE;
		goto unlock;
	}
	c->index = folio->index;
	c->nr = folio_nr_pages(folio);
	c->pfn = folio_pfn(folio);
	c->mapped = folio_mapped(folio);
unlock:
	folio_unlock(folio);
	return res;
}

/**
 * ph_host_discard_pfn() - discard the page-cache folio holding @pfn
 * @pfn: a PFN the state engine reports volatile
 * @next: set to the first PFN after the folio
 * @freed: set to the number of pages that left the page cache
 * @skip_recent: leave a folio on the active LRU list alone
 *
 * Context: process context, may sleep; ph_host_mutex held.
 * Return: what happened (see enum ph_discard_res).
 */
static enum ph_discard_res ph_host_discard_pfn(unsigned long pfn,
					       unsigned long *next,
					       unsigned long *freed,
					       bool skip_recent)
{
	struct ph_discard_ctx c = { };
	struct address_space *mapping;
	enum ph_discard_res res;
	struct folio *folio;
	struct page *page;
	dev_t dev;
	u64 now;
	long i;

	*next = pfn + 1;
	*freed = 0;
	page = pfn_to_online_page(pfn);
	if (!page)
		return PH_DISC_SKIP;
	folio = page_folio(page);
	if (!folio_try_get(folio))
		return PH_DISC_SKIP;
	if (unlikely(page_folio(page) != folio)) {
		/* split or freed and reused while we looked */
		folio_put(folio);
		return PH_DISC_SKIP;
	}
	*next = folio_pfn(folio) + folio_nr_pages(folio);
	/* our reference keeps it from being split while we look */
	if (skip_recent && folio_test_active(folio)) {
		folio_put(folio);
		return PH_DISC_RECENT;
	}
	res = ph_host_discard_prepare(folio, &c);
	/* our reference would make invalidation refuse the folio */
	folio_put(folio);
	if (res != PH_DISC_DONE)
		return res;

	mapping = c.inode->i_mapping;
	if (c.mapped)
		unmap_mapping_range(mapping, (loff_t)c.index << PAGE_SHIFT,
				    (loff_t)c.nr << PAGE_SHIFT, 0);
	if (!invalidate_mapping_pages(mapping, c.index, c.index + c.nr - 1)) {
		res = PH_DISC_LOST_BUSY;
		goto out;
	}
	now = ktime_get_ns();
	dev = c.inode->i_sb->s_dev;
	for (i = 0; i < c.nr; i++) {
		ph_host_record(dev, c.inode->i_ino, c.index + i, now);
		ph_host_test_set_gone(c.pfn + i);
	}
	trace_discard(c.pfn, dev, c.inode->i_ino, c.index, c.nr, c.mapped);
	*freed = c.nr;
out:
	iput(c.inode);
	return res;
}

/* Discard volatile pages until @want pages left the page cache. */
/*
 * Discard volatile pages from PFN *@from on until @want pages left the
 * page cache or the table ends; *@from is left where the scan stopped.
 */
static unsigned long ph_host_discard(unsigned long want, bool skip_recent,
				     unsigned long *from)
{
	unsigned long pfn, next, freed, done = 0;
	unsigned long budget = READ_ONCE(ph_host_max_discards);

	want = min(want, budget);
	for (pfn = ph_state_next(*from, PH_ST_VOLATILE);
	     pfn < ph_host_hi && done < want;
	     pfn = ph_state_next(next, PH_ST_VOLATILE)) {
		switch (ph_host_discard_pfn(pfn, &next, &freed, skip_recent)) {
		case PH_DISC_DONE:
			done += freed;
			break;
		case PH_DISC_SKIP:
			ph_hs.skipped++;
			break;
		case PH_DISC_RECENT:
			break;
		case PH_DISC_LOST_LOCKED:
			ph_hs.lost_locked++;
			break;
		case PH_DISC_LOST_DIRTY:
			ph_hs.lost_dirty++;
			break;
		case PH_DISC_LOST_STABLE:
			ph_hs.lost_stable++;
			break;
		case PH_DISC_LOST_INODE:
			ph_hs.lost_inode++;
			break;
		case PH_DISC_LOST_BUSY:
			ph_hs.lost_busy++;
			break;
		}
		cond_resched();
	}
	*from = min(pfn, ph_host_hi);
	ph_hs.discarded += done;
	return done;
}

/* One reclaim pass of @want pages; the caller swept. */
static unsigned long ph_host_reclaim_locked(unsigned long want)
{
	unsigned long done;

	lockdep_assert_held(&ph_host_mutex);
	ph_hs.passes++;
	ph_hs.requested += want;
	done = ph_host_forget(want);
	if (done < want && READ_ONCE(ph_host_discard_on)) {
		unsigned long from = ph_host_lo;

		done += ph_host_discard(want - done, false, &from);
	}
	ph_hs.deficit = want - done;
	ph_hs.would_swap += want - done;
	return done;
}

/**
 * ph_host_reclaim() - serve a host reclaim request of @want pages
 * @want: pages the host wants back
 *
 * Unused first, then volatile (when host_discard is on), the rest is
 * counted as would-swap. Context: process, sleeps; takes ph_host_mutex.
 * Return: pages forgotten or discarded.
 */
static unsigned long ph_host_reclaim(unsigned long want)
{
	unsigned long done;
	u64 t0 = ph_host_cpu_ns();

	mutex_lock(&ph_host_mutex);
	ph_host_sweep();
	done = ph_host_reclaim_locked(want);
	mutex_unlock(&ph_host_mutex);
	atomic64_add(ph_host_cpu_ns() - t0, &ph_host_ns);
	return done;
}

/* ---------------------------------------------------------------------
 * Pressure mode
 */

/* Set while the host is on; the work re-arms itself only while set. */
static bool ph_host_running;
static void ph_host_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(ph_host_work, ph_host_work_fn);

/*
 * Users of the discard-fault hooks and the records: the simulated host
 * (policy host) and a real host's channel (ph_host_device_get()). Under
 * ph_policy_lock. ph_host_up: the component is up (set at init).
 */
static unsigned int ph_host_hook_users;
static bool ph_host_up;
/*
 * A real host's inactive pass: where it goes on, and until when it is
 * skipped after finding none (pages turn inactive as reclaim deactivates
 * them). Under ph_host_mutex.
 */
static unsigned long ph_host_dev_cursor, ph_host_dev_dry_until;

static int ph_host_hooks_get(void)
{
	int ret;

	lockdep_assert_held(&ph_policy_lock);
	if (!ph_host_hook_users) {
		ret = ph_host_records_attach();
		if (ret)
			return ret;
	}
	ph_host_hook_users++;
	return 0;
}

static void ph_host_hooks_put(void)
{
	lockdep_assert_held(&ph_policy_lock);
	if (--ph_host_hook_users)
		return;
	ph_host_records_detach();
}

static void ph_host_work_fn(struct work_struct *work)
{
	unsigned long target = READ_ONCE(ph_host_target) >> PAGE_SHIFT;
	unsigned long resident;
	u64 t0;

	if (!target || !READ_ONCE(ph_host_running))
		return;
	t0 = ph_host_cpu_ns();
	mutex_lock(&ph_host_mutex);
	ph_hs.pressure_runs++;
	resident = ph_host_resident(ph_host_sweep());
	if (resident > target)
		ph_host_reclaim_locked(resident - target);
	mutex_unlock(&ph_host_mutex);
	atomic64_add(ph_host_cpu_ns() - t0, &ph_host_ns);
	if (READ_ONCE(ph_host_running))
		queue_delayed_work(system_unbound_wq, &ph_host_work,
				   msecs_to_jiffies(READ_ONCE(ph_host_interval)));
}

/* Under ph_policy_lock: (re)start or stop the pressure work. */
static void ph_host_pressure_update(bool running, unsigned long target)
{
	if (running && target)
		mod_delayed_work(system_unbound_wq, &ph_host_work, 0);
	else
		cancel_delayed_work_sync(&ph_host_work);
}

static int ph_host_start(void)
{
	int ret;

	ret = ph_host_hooks_get();
	if (ret)
		return ret;
	WRITE_ONCE(ph_host_running, true);
	ph_host_pressure_update(true, READ_ONCE(ph_host_target));
	return 0;
}

static void ph_host_stop(void)
{
	if (!READ_ONCE(ph_host_running))
		return;
	WRITE_ONCE(ph_host_running, false);
	cancel_delayed_work_sync(&ph_host_work);
	ph_host_hooks_put();
}

/**
 * ph_host_device_get() - a real host will drop volatile pages
 *
 * Attaches the discard-fault detection (records, mm_filemap_add_to_page_cache)
 * for ph_host_drop_volatile(). Context: process, ph_policy_lock held.
 * Return: 0, -ENODEV when the host component is not up (no page-state
 * table: nothing is known volatile), or the error attaching the hooks.
 */
int ph_host_device_get(void)
{
	if (!ph_host_up)
		return -ENODEV;
	mutex_lock(&ph_host_mutex);
	ph_host_dev_cursor = ph_host_lo;
	ph_host_dev_dry_until = jiffies - 1;
	mutex_unlock(&ph_host_mutex);
	return ph_host_hooks_get();
}

/* Undo ph_host_device_get(). Context: process, ph_policy_lock held. */
void ph_host_device_put(void)
{
	ph_host_hooks_put();
}

/**
 * ph_host_drop_volatile() - discard volatile page cache for a real host
 * @want: pages wanted
 *
 * The volatile step of a reclaim pass: the folios leave the page cache
 * through the kernel's locked paths and are remembered, so that reading
 * one back is a discard fault (counted, traced). The frames go back to
 * the page allocator. Pages on the active LRU list go last: the guest
 * used them lately and would read them back first. Caller holds a
 * ph_host_device_get() reference.
 * Context: process, sleeps; takes ph_host_mutex.
 * Return: pages that left the page cache.
 */
unsigned long ph_host_drop_volatile(unsigned long want)
{
	unsigned long done, from;
	u64 t0 = ph_host_cpu_ns();

	mutex_lock(&ph_host_mutex);
	/*
	 * The inactive pass goes on where the last one stopped: a target is
	 * served batch by batch, and the active pages it leaves would
	 * otherwise be looked at again for every batch.
	 */
	done = 0;
	if (time_after(jiffies, ph_host_dev_dry_until)) {
		if (ph_host_dev_cursor >= ph_host_hi)
			ph_host_dev_cursor = ph_host_lo;
		done = ph_host_discard(want, true, &ph_host_dev_cursor);
	}
	if (done < want && time_after(jiffies, ph_host_dev_dry_until)) {
		/* wrapped: from the start of the table */
		from = ph_host_lo;
		done += ph_host_discard(want - done, true, &from);
		ph_host_dev_cursor = from;
		/* no inactive one left: the active pages, for a second */
		if (done < want)
			ph_host_dev_dry_until = jiffies + HZ;
	}
	if (done < want) {
		from = ph_host_lo;
		done += ph_host_discard(want - done, false, &from);
	}
	ph_hs.for_device += done;
	mutex_unlock(&ph_host_mutex);
	atomic64_add(ph_host_cpu_ns() - t0, &ph_host_ns);
	return done;
}

static int ph_host_enable_apply(const struct ph_policy *p, unsigned long val)
{
	if (val)
		return ph_host_start();
	ph_host_stop();
	return 0;
}

static int ph_host_target_apply(const struct ph_policy *p, unsigned long val)
{
	/* the work reads the target itself; WRITE_ONCE follows apply */
	WRITE_ONCE(ph_host_target, val);
	ph_host_pressure_update(READ_ONCE(ph_host_running), val);
	return 0;
}

static int ph_host_interval_apply(const struct ph_policy *p,
				  unsigned long val)
{
	WRITE_ONCE(ph_host_interval, val);
	ph_host_pressure_update(READ_ONCE(ph_host_running),
				READ_ONCE(ph_host_target));
	return 0;
}

/* ---------------------------------------------------------------------
 * For the control plane (debugfs/host.c)
 */

/**
 * ph_host_status() - a snapshot of the host and its records
 * @st: filled in; the pass statistics are copied under ph_host_mutex
 *
 * Sweeps first (frames the guest reused are host-resident again).
 * Context: process, sleeps.
 */
void ph_host_status(struct ph_host_status *st)
{
	memset(st, 0, sizeof(*st));
	mutex_lock(&ph_host_mutex);
	st->gone_pages = ph_host_sweep();
	st->pass = ph_hs;
	mutex_unlock(&ph_host_mutex);
	st->on = READ_ONCE(ph_host_running);
	st->total_pages = ph_host_npfn;
	st->resident_pages = ph_host_resident(st->gone_pages);
	st->target_pages = READ_ONCE(ph_host_target) >> PAGE_SHIFT;
	st->host_cpu_ns = atomic64_read(&ph_host_ns);
	ph_host_records_status(st);
}

/* Counters of the volatile step done for a real host. */
void ph_host_device_stats(struct ph_host_device_stats *s)
{
	mutex_lock(&ph_host_mutex);
	s->dropped = ph_hs.for_device;
	s->lost_races = ph_hs.lost_locked + ph_hs.lost_dirty +
			ph_hs.lost_stable + ph_hs.lost_inode + ph_hs.lost_busy;
	mutex_unlock(&ph_host_mutex);
	s->discard_faults = ph_host_discard_faults();
}

/**
 * ph_host_request() - one host reclaim request of @pages pages
 * @pages: pages the host wants back
 *
 * Context: process, sleeps. Return: 0, or -ENODEV while the host is off.
 */
int ph_host_request(unsigned long pages)
{
	if (!READ_ONCE(ph_host_running))
		return -ENODEV;
	ph_host_reclaim(pages);
	return 0;
}

/* ---------------------------------------------------------------------
 * Component
 */

static int ph_host_init(void)
{
	int ret;

	ph_host_range_init();
	if (!ph_host_npfn)
		return -ENODEV;	/* the page-state engine is off: nothing to act on */
	ph_host_gone = bitmap_zalloc(max(ph_host_hi - ph_host_lo, 1UL),
				     GFP_KERNEL);
	if (!ph_host_gone)
		return -ENOMEM;
	ret = ph_host_records_init();
	if (ret)
		goto err_bitmap;
	if (ph_host_on) {
		mutex_lock(&ph_policy_lock);
		ret = ph_host_start();
		mutex_unlock(&ph_policy_lock);
		if (ret)
			goto err_records;
	}
	ph_policy_add(&ph_host_on_policy);
	ph_policy_add(&ph_host_discard_on_policy);
	ph_policy_add(&ph_host_target_policy);
	ph_policy_add(&ph_host_interval_policy);
	ph_policy_add(&ph_host_max_discards_policy);
	ph_host_up = true;
	return 0;

err_records:
	ph_host_records_exit();
err_bitmap:
	bitmap_free(ph_host_gone);
	return ret;
}

static void ph_host_exit(void)
{
	ph_host_up = false;
	mutex_lock(&ph_policy_lock);
	ph_host_stop();
	mutex_unlock(&ph_policy_lock);
	ph_host_records_exit();
	bitmap_free(ph_host_gone);
}

const struct ph_component ph_host_component = {
	.name = "host",
	.init = ph_host_init,
	.exit = ph_host_exit,
};
