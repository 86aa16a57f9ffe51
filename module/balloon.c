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
 * Movable mode (default) uses mm/balloon_compaction.c and nothing else for
 * migration: pages come from balloon_page_alloc() (GFP_HIGHUSER_MOVABLE, so
 * movable pageblocks), are enqueued with balloon_page_enqueue() (PageOffline,
 * movable through balloon_mops, page->private = our balloon_dev_info) and
 * leave through balloon_page_list_dequeue(). Compaction and
 * alloc_contig_range() isolate them through balloon_mops and call
 * ph_bl_migratepage() with both pages locked: insert the new page, release
 * the old one, count it. That is where a host channel tells the host
 * "inflated new, deflated old" (virtballoon_migratepage() is the model).
 *
 * Unmovable mode allocates plain GFP_KERNEL pages (unmovable pageblocks,
 * stealing movable ones when those run out), marks them PageOffline and
 * keeps them on ph_bl.unmovable: the pre-2016 balloon, for side-by-side
 * fragmentation experiments. The mode changes only while the balloon is
 * empty.
 *
 * Sizing. A write to balloon/target only stores the target and kicks a
 * worker that moves at most PH_BL_BATCH pages per run and requeues itself,
 * so writes return at once and a deflate or unload never waits behind a
 * long inflate. Inflation never takes free memory below the floor (the
 * zones' min watermarks and lowmem reserves plus policy balloon_margin) and
 * allocates with __GFP_NORETRY, so it never OOM-kills anything; blocked by
 * the floor or a failed allocation it retries PH_BL_RETRIES times
 * PH_BL_RETRY_MS apart (kswapd may be refilling), then stops and shows why.
 *
 * Giving memory back under pressure: an OOM notifier deflates
 * balloon_oom_deflate bytes per call (virtio_balloon: 1 MiB); with policy
 * balloon_shrinker on, a shrinker deflates what reclaim asks for. Both are
 * counted, and both hold inflation until the next target write so the
 * balloon does not fight the workload it just made room for.
 *
 * Locking. ph_bl.lock (a mutex) protects the balloon's contents and books:
 * the unmovable list, size, mode, target, the worker's run state and the
 * totals not kept in atomics. Pages are allocated outside it. The migrate
 * callback runs under two page locks from compaction, which our own
 * allocations can enter, so it only trylocks ph_bl.lock and asks for a
 * retry (-EAGAIN) when busy, like virtio_balloon's balloon_lock. The core's
 * ph_bl.info.pages_lock (spinlock) protects info.pages and
 * info.isolated_pages. Lock order: ph_bl.lock, page lock (trylock only),
 * info.pages_lock.
 */
#define pr_fmt(fmt) "pagehint: balloon: " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/balloon_compaction.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/oom.h>
#include <linux/seq_file.h>
#include <linux/vmstat.h>
#include <linux/workqueue.h>
#include "pagehint.h"
#include "ph_hooks.h"
#include "ph_compat.h"
#include "ph_balloon.h"
#include "ph_states.h"
#include "pagehint_trace.h"

#ifndef CONFIG_BALLOON_COMPACTION
#error "pagehint's balloon needs CONFIG_BALLOON_COMPACTION"
#endif

/* Pages per worker run: 1 MiB, virtio_balloon's VIRTIO_BALLOON_ARRAY_PFNS_MAX */
#define PH_BL_BATCH		256UL
/* Blocked runs (floor or allocation failure) before the worker gives up */
#define PH_BL_RETRIES		5
/* Pause between blocked runs: virtio_balloon's 200 ms */
#define PH_BL_RETRY_MS		200
/* Unmovable mode: what a pre-2016 balloon driver allocated */
#define PH_BL_GFP_UNMOVABLE	(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN | \
				 __GFP_NOMEMALLOC)

PH_POLICY(ph_bl_margin, balloon_margin, 16UL << 20, 0, 1UL << 40, "bytes",
	  NULL,
	  "free memory kept above the min watermarks that the balloon never takes (bytes, default 16M)");
PH_POLICY(ph_bl_oom_bytes, balloon_oom_deflate, 16UL << 20, 0, 1UL << 40,
	  "bytes", NULL,
	  "bytes the balloon gives back per OOM notification, 0 = off (default 16M; virtio_balloon: 1M)");
static int ph_bl_shrinker_apply(const struct ph_policy *p, unsigned long val);
PH_POLICY(ph_bl_shrink, balloon_shrinker, 0, 0, 1, NULL, ph_bl_shrinker_apply,
	  "1: a shrinker deflates the balloon under memory reclaim (default 0)");

enum ph_bl_state { PH_BL_IDLE, PH_BL_INFLATING, PH_BL_DEFLATING, PH_BL_WAITING };
static const char * const ph_bl_state_names[] = {
	"idle", "inflating", "deflating", "waiting",
};

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
static const char * const ph_bl_stop_names[] = {
	"none", "target", "floor", "nomem", "oom", "shrinker", "busy",
};

static struct ph_balloon {
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

	/* the current (or last) run of the worker */
	bool run_inflate;
	unsigned long run_pages;
	u64 run_start_ns, run_last_ns;
	unsigned long last_rate[2];	/* KiB/s of the last run: [inflate] */

	/* totals */
	unsigned long inflated, deflated;
	unsigned long floor_blocks, nomem_blocks;
	unsigned long oom_calls, oom_pages;
	unsigned long shrinker_calls, shrinker_pages;
	atomic_long_t migrated, migrate_busy, isolated, putback;

	/* test hooks, serialised by their debugfs writes' probe_lock */
	struct mutex probe_lock;	/* the probe_* and contig_* fields */
	int probe_order;
	unsigned long probe_blocks;
	unsigned long contig_ok, contig_fail, contig_pfn, contig_ours;
	int contig_ret;
} ph_bl;

static struct dentry *ph_bl_dir;
static struct notifier_block ph_bl_oom_nb;

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
	int nid, i, j;

	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);

		for (i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *z = &pgdat->node_zones[i];
			long reserve = 0;

			if (!populated_zone(z))
				continue;
			for (j = 0; j < MAX_NR_ZONES; j++)
				reserve = max_t(long, reserve,
						z->lowmem_reserve[j]);
			floor += min_wmark_pages(z) + reserve;
		}
	}
	return floor;
}

static unsigned long ph_bl_free_pages(void)
{
	return global_zone_page_state(NR_FREE_PAGES);
}

/* ---- enqueue / dequeue --------------------------------------------- */

/* Put a freshly allocated @page into the balloon. Caller holds ph_bl.lock. */
static void ph_bl_insert(struct page *page)
{
	lockdep_assert_held(&ph_bl.lock);
	if (ph_bl.movable) {
		balloon_page_enqueue(&ph_bl.info, page);
	} else {
		__SetPageOffline(page);
		set_page_private(page, (unsigned long)&ph_bl.unmovable);
		list_add(&page->lru, &ph_bl.unmovable);
	}
	ph_bl_page_state(page, true);
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

/**
 * ph_bl_deflate_locked() - give up to @nr pages back to the page allocator
 * @nr: pages wanted
 * @cause: who asks (traced)
 *
 * Context: ph_bl.lock held; does not sleep or allocate, so the OOM
 * notifier can use it.
 * Return: pages freed; fewer than asked when the balloon is smaller or
 * compaction holds some of its pages isolated.
 */
static unsigned long ph_bl_deflate_locked(unsigned long nr,
					  enum ph_bl_cause cause)
{
	unsigned long done = 0, n;
	struct page *page, *tmp;
	LIST_HEAD(pages);

	lockdep_assert_held(&ph_bl.lock);
	nr = min(nr, ph_bl.size);
	while (done < nr) {
		/* bounded batches: the core holds pages_lock, irqs off */
		n = ph_bl_take(&pages, min(nr - done, PH_BL_BATCH));
		if (!n)
			break;
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
static void ph_bl_run_end(enum ph_bl_stop why)
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
static void ph_bl_run_start(void)
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
		ph_bl_run_end(why);
		return;
	}
	ph_bl.stop = why;	/* shown while waiting */
	ph_bl.state = PH_BL_WAITING;
	ph_bl_requeue(n ? 0 : msecs_to_jiffies(PH_BL_RETRY_MS));
}

/* Allocate up to @want pages for the balloon onto @pages, outside the lock. */
static enum ph_bl_stop ph_bl_alloc_batch(struct list_head *pages,
					 unsigned long want, bool movable,
					 unsigned long *got)
{
	unsigned long floor = ph_bl_floor();
	struct page *page;

	for (*got = 0; *got < want; (*got)++) {
		if (ph_bl_free_pages() <= floor)
			return PH_BL_STOP_FLOOR;
		page = movable ? balloon_page_alloc() :
				 alloc_page(PH_BL_GFP_UNMOVABLE);
		if (!page)
			return PH_BL_STOP_NOMEM;
		list_add(&page->lru, pages);
	}
	return PH_BL_STOP_NONE;
}

static void ph_bl_inflate_step(void)
{
	unsigned long want, got, added = 0;
	struct page *page, *tmp;
	enum ph_bl_stop why;
	LIST_HEAD(pages);
	bool movable;

	mutex_lock(&ph_bl.lock);
	want = min(ph_bl.target - ph_bl.size, PH_BL_BATCH);
	movable = ph_bl.movable;
	mutex_unlock(&ph_bl.lock);

	why = ph_bl_alloc_batch(&pages, want, movable, &got);

	mutex_lock(&ph_bl.lock);
	/* the target, the hold or (when empty) the mode may have changed */
	list_for_each_entry_safe(page, tmp, &pages, lru) {
		list_del(&page->lru);
		if (!ph_bl.hold && !ph_bl.dying && ph_bl.movable == movable &&
		    ph_bl.size + added < ph_bl.target) {
			ph_bl_insert(page);
			added++;
		} else {
			__free_page(page);
		}
	}
	ph_bl.size += added;
	ph_bl.inflated += added;
	if (added)
		trace_balloon_inflate(added, ph_bl.size, ph_bl.target,
				      PH_BL_CAUSE_TARGET);
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
 * virtballoon_migratepage(): take @newpage into the balloon, then release
 * @page. A host channel would tell the host here: inflated @newpage,
 * deflated @page. The size does not change.
 */
static int ph_bl_migratepage(struct balloon_dev_info *info,
			     struct page *newpage, struct page *page,
			     enum migrate_mode mode)
{
	unsigned long flags;

	/* our worker may be allocating into compaction; retry later */
	if (!mutex_trylock(&ph_bl.lock)) {
		atomic_long_inc(&ph_bl.migrate_busy);
		return -EAGAIN;
	}

	get_page(newpage);	/* the balloon's reference */
	spin_lock_irqsave(&info->pages_lock, flags);
	balloon_page_insert(info, newpage);
	info->isolated_pages--;
	__count_vm_event(BALLOON_MIGRATE);
	spin_unlock_irqrestore(&info->pages_lock, flags);
	ph_bl_page_state(newpage, true);

	ph_balloon_page_finalize(page);
	ph_bl_page_state(page, false);
	atomic_long_inc(&ph_bl.migrated);
	trace_balloon_migrate(page_to_pfn(page), page_to_pfn(newpage), mode);
	mutex_unlock(&ph_bl.lock);
	put_page(page);		/* the balloon's reference */

	return MIGRATEPAGE_SUCCESS;
}

/*
 * Isolations and putbacks happen inside balloon_mops (mm/balloon_compaction.c,
 * static functions); ftrace entry hooks count the ones of our balloon.
 * Optional: without them the counters read "n/a". They only fire when
 * compaction isolates a balloon page.
 */
static void ph_bl_isolate_hook(struct ph_hook *h, unsigned long ip,
			       struct ftrace_regs *fregs)
{
	struct page *page = (struct page *)ph_ftrace_arg(fregs, 0);

	if (balloon_page_device(page) == &ph_bl.info)
		atomic_long_inc(&ph_bl.isolated);
}

static void ph_bl_putback_hook(struct ph_hook *h, unsigned long ip,
			       struct ftrace_regs *fregs)
{
	struct page *page = (struct page *)ph_ftrace_arg(fregs, 0);

	if (balloon_page_device(page) == &ph_bl.info)
		atomic_long_inc(&ph_bl.putback);
}

static struct ph_hook ph_bl_hooks[] = {
	{
		.name = "balloon_isolate", .kind = PH_HOOK_FTRACE,
		.target = "balloon_page_isolate", .flags = PH_HOOK_OPTIONAL,
		.ftrace_fn = ph_bl_isolate_hook,
	},
	{
		.name = "balloon_putback", .kind = PH_HOOK_FTRACE,
		.target = "balloon_page_putback", .flags = PH_HOOK_OPTIONAL,
		.ftrace_fn = ph_bl_putback_hook,
	},
};

/* ---- giving memory back under pressure ----------------------------- */

static int ph_bl_oom_notify(struct notifier_block *nb, unsigned long unused,
			    void *parm)
{
	unsigned long nr = READ_ONCE(ph_bl_oom_bytes) >> PAGE_SHIFT;
	unsigned long *freed = parm, n;

	if (!nr)
		return NOTIFY_OK;
	mutex_lock(&ph_bl.lock);
	ph_bl.oom_calls++;
	n = ph_bl_deflate_locked(nr, PH_BL_CAUSE_OOM);
	ph_bl.oom_pages += n;
	if (n && ph_bl.target > ph_bl.size) {
		ph_bl.hold = true;
		ph_bl.stop = PH_BL_STOP_OOM;
	}
	mutex_unlock(&ph_bl.lock);
	*freed += n;
	return NOTIFY_OK;
}

static unsigned long ph_bl_shrink_count(struct shrinker *s,
					struct shrink_control *sc)
{
	unsigned long size = READ_ONCE(ph_bl.size);

	return size ? size : SHRINK_EMPTY;
}

static unsigned long ph_bl_shrink_scan(struct shrinker *s,
				       struct shrink_control *sc)
{
	unsigned long n;

	/* reclaim may run inside our own inflation: never wait here */
	if (!mutex_trylock(&ph_bl.lock))
		return SHRINK_STOP;
	ph_bl.shrinker_calls++;
	n = ph_bl_deflate_locked(sc->nr_to_scan, PH_BL_CAUSE_SHRINKER);
	ph_bl.shrinker_pages += n;
	if (n && ph_bl.target > ph_bl.size) {
		ph_bl.hold = true;
		ph_bl.stop = PH_BL_STOP_SHRINKER;
	}
	mutex_unlock(&ph_bl.lock);
	return n ? n : SHRINK_STOP;
}

static int ph_bl_shrinker_set(bool on)
{
	struct shrinker *s;

	lockdep_assert_held(&ph_policy_lock);
	if (on && !ph_bl.shrinker) {
		s = ph_shrinker_create(ph_bl_shrink_count, ph_bl_shrink_scan,
				       NULL, "pagehint-balloon");
		if (!s)
			return -ENOMEM;
		ph_bl.shrinker = s;
	} else if (!on && ph_bl.shrinker) {
		ph_shrinker_destroy(ph_bl.shrinker);
		ph_bl.shrinker = NULL;
	}
	return 0;
}

/* policy balloon_shrinker: runs with ph_policy_lock held */
static int ph_bl_shrinker_apply(const struct ph_policy *p, unsigned long val)
{
	if (READ_ONCE(ph_bl.dying))
		return -ENODEV;
	return ph_bl_shrinker_set(val);
}

/* ---- debugfs: target, movable, status ------------------------------ */

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
	seq_printf(m, "%lu\n", READ_ONCE(ph_bl.target));
	return 0;
}

static int target_open(struct inode *inode, struct file *file)
{
	return single_open(file, target_show, NULL);
}

static ssize_t target_write(struct file *file, const char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	char buf[PAGEHINT_CMD_MAX];
	unsigned long pages;
	int ret;

	ret = ph_copy_cmd(buf, sizeof(buf), ubuf, len, ppos);
	if (ret)
		return ret;
	ret = ph_bl_parse_target(buf, &pages);
	if (ret)
		return ret;
	mutex_lock(&ph_bl.lock);
	ph_bl.target = pages;
	ph_bl_run_start();
	mutex_unlock(&ph_bl.lock);
	return len;
}

static const struct file_operations target_fops = {
	.owner = THIS_MODULE,
	.open = target_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = target_write,
};

static int movable_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%d\n", READ_ONCE(ph_bl.movable));
	return 0;
}

static int movable_open(struct inode *inode, struct file *file)
{
	return single_open(file, movable_show, NULL);
}

/* "0" or "1"; only while the balloon is empty and has no target */
static ssize_t movable_write(struct file *file, const char __user *ubuf,
			     size_t len, loff_t *ppos)
{
	char buf[PAGEHINT_CMD_MAX];
	int ret;

	ret = ph_copy_cmd(buf, sizeof(buf), ubuf, len, ppos);
	if (ret)
		return ret;
	if (strcmp(buf, "0") && strcmp(buf, "1"))
		return -EINVAL;
	mutex_lock(&ph_bl.lock);
	if (ph_bl.size || ph_bl.target) {
		ret = -EBUSY;
	} else {
		ph_bl.movable = buf[0] == '1';
		ret = len;
	}
	mutex_unlock(&ph_bl.lock);
	return ret;
}

static const struct file_operations movable_fops = {
	.owner = THIS_MODULE,
	.open = movable_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = movable_write,
};

static void ph_bl_show_hooked(struct seq_file *m, const char *key,
			      const struct ph_hook *h, atomic_long_t *v)
{
	if (h->attached)
		seq_printf(m, "%-20s %ld\n", key, atomic_long_read(v));
	else
		seq_printf(m, "%-20s n/a\n", key);
}

static int status_show(struct seq_file *m, void *v)
{
	unsigned long rate = 0, isolated_now, floor = ph_bl_floor();
	struct ph_balloon *b = &ph_bl;
	u64 run_ns;

	spin_lock_irq(&b->info.pages_lock);
	isolated_now = b->info.isolated_pages;
	spin_unlock_irq(&b->info.pages_lock);

	mutex_lock(&b->lock);
	run_ns = b->run_last_ns - b->run_start_ns;
	if (b->run_pages)
		rate = ph_bl_rate(b->run_pages, run_ns);
	seq_printf(m, "%-20s %s\n", "mode", b->movable ? "movable" : "unmovable");
	seq_printf(m, "%-20s %s\n", "state", ph_bl_state_names[b->state]);
	seq_printf(m, "%-20s %s\n", "stop", ph_bl_stop_names[b->stop]);
	seq_printf(m, "%-20s %lu\n", "target_pages", b->target);
	seq_printf(m, "%-20s %lu\n", "size_pages", b->size);
	seq_printf(m, "%-20s %lu\n", "size_kib", b->size * (PAGE_SIZE / 1024));
	seq_printf(m, "%-20s %lu\n", "free_pages", ph_bl_free_pages());
	seq_printf(m, "%-20s %lu\n", "floor_pages", floor);
	seq_printf(m, "%-20s %s\n", "run", b->run_inflate ? "inflate" : "deflate");
	seq_printf(m, "%-20s %lu\n", "run_pages", b->run_pages);
	seq_printf(m, "%-20s %llu\n", "run_ms", div_u64(run_ns, NSEC_PER_MSEC));
	seq_printf(m, "%-20s %lu\n", "run_kib_s", rate);
	seq_printf(m, "%-20s %lu\n", "inflate_kib_s", b->last_rate[1]);
	seq_printf(m, "%-20s %lu\n", "deflate_kib_s", b->last_rate[0]);
	seq_printf(m, "%-20s %lu\n", "inflated", b->inflated);
	seq_printf(m, "%-20s %lu\n", "deflated", b->deflated);
	seq_printf(m, "%-20s %lu\n", "floor_blocks", b->floor_blocks);
	seq_printf(m, "%-20s %lu\n", "nomem_blocks", b->nomem_blocks);
	seq_printf(m, "%-20s %lu\n", "oom_calls", b->oom_calls);
	seq_printf(m, "%-20s %lu\n", "oom_deflated", b->oom_pages);
	seq_printf(m, "%-20s %lu\n", "shrinker_calls", b->shrinker_calls);
	seq_printf(m, "%-20s %lu\n", "shrinker_deflated", b->shrinker_pages);
	mutex_unlock(&b->lock);

	seq_printf(m, "%-20s %ld\n", "migrated", atomic_long_read(&b->migrated));
	seq_printf(m, "%-20s %ld\n", "migrate_busy",
		   atomic_long_read(&b->migrate_busy));
	ph_bl_show_hooked(m, "isolated", &ph_bl_hooks[0], &b->isolated);
	ph_bl_show_hooked(m, "putback", &ph_bl_hooks[1], &b->putback);
	seq_printf(m, "%-20s %lu\n", "isolated_now", isolated_now);

	mutex_lock(&b->probe_lock);
	seq_printf(m, "%-20s %lu\n", "contig_ok", b->contig_ok);
	seq_printf(m, "%-20s %lu\n", "contig_fail", b->contig_fail);
	seq_printf(m, "%-20s %lu\n", "contig_pfn", b->contig_pfn);
	seq_printf(m, "%-20s %lu\n", "contig_balloon", b->contig_ours);
	seq_printf(m, "%-20s %d\n", "contig_ret", b->contig_ret);
	seq_printf(m, "%-20s %d\n", "probe_order", b->probe_order);
	seq_printf(m, "%-20s %lu\n", "probe_blocks", b->probe_blocks);
	mutex_unlock(&b->probe_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(status);

/* ---- debugfs: test hooks (probe, contig) --------------------------- */

/*
 * probe: "ORDER" allocates blocks of 2^ORDER pages without reclaim or
 * compaction until the allocator says no or free memory reaches the floor,
 * counts them and frees them: what is obtainable right now. The result is
 * in status (probe_order, probe_blocks).
 */
static unsigned long ph_bl_probe(unsigned int order)
{
	gfp_t gfp = (GFP_HIGHUSER_MOVABLE & ~__GFP_RECLAIM) | __GFP_NOWARN |
		    __GFP_NOMEMALLOC;
	unsigned long floor = ph_bl_floor(), n = 0;
	struct page *page, *tmp;
	LIST_HEAD(blocks);

	while (ph_bl_free_pages() > floor + (1UL << order)) {
		page = alloc_pages(gfp, order);
		if (!page)
			break;
		list_add(&page->lru, &blocks);
		n++;
	}
	list_for_each_entry_safe(page, tmp, &blocks, lru) {
		list_del(&page->lru);
		__free_pages(page, order);
	}
	return n;
}

static ssize_t probe_write(struct file *file, const char __user *ubuf,
			   size_t len, loff_t *ppos)
{
	char buf[PAGEHINT_CMD_MAX];
	unsigned int order;
	int ret;

	ret = ph_copy_cmd(buf, sizeof(buf), ubuf, len, ppos);
	if (ret)
		return ret;
	ret = kstrtouint(buf, 10, &order);
	if (ret)
		return ret == -ERANGE ? -ERANGE : -EINVAL;
	if (order >= MAX_ORDER)
		return -ERANGE;
	mutex_lock(&ph_bl.probe_lock);
	ph_bl.probe_order = order;
	ph_bl.probe_blocks = ph_bl_probe(order);
	mutex_unlock(&ph_bl.probe_lock);
	return len;
}

static const struct file_operations probe_fops = {
	.owner = THIS_MODULE,
	.write = probe_write,
};

#ifdef CONFIG_CONTIG_ALLOC
/* Is @page in our balloon (either mode)? Racy read; a heuristic only. */
static bool ph_bl_owns(struct page *page)
{
	unsigned long priv = page_private(page);

	return PageOffline(page) &&
	       (priv == (unsigned long)&ph_bl.info ||
		priv == (unsigned long)&ph_bl.unmovable);
}

/*
 * The pageblock holding the most balloon pages, first found wins a tie; a
 * block made only of balloon pages ends the search. Return: its first
 * PFN and in @ours the number of balloon pages seen, 0 when none.
 */
static unsigned long ph_bl_contig_pick(unsigned long *ours)
{
	unsigned long pfn, i, n, best = 0;
	struct page *page;
	int nid, z;

	*ours = 0;
	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);

		for (z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &pgdat->node_zones[z];
			unsigned long end = zone_end_pfn(zone);

			if (!populated_zone(zone))
				continue;
			pfn = ALIGN(zone->zone_start_pfn, pageblock_nr_pages);
			for (; pfn + pageblock_nr_pages <= end;
			     pfn += pageblock_nr_pages) {
				page = pfn_to_online_page(pfn);
				if (!page)
					continue;
				for (i = 0, n = 0; i < pageblock_nr_pages; i++)
					n += ph_bl_owns(page + i);
				if (n > *ours) {
					*ours = n;
					best = pfn;
				}
				if (n == pageblock_nr_pages)
					return best;
				cond_resched();
			}
		}
	}
	return best;
}

/*
 * contig: "auto" runs alloc_contig_range() over the pageblock holding the
 * most balloon pages, "PFN" over the pageblock of PFN; a success frees the
 * range again. The write returns alloc_contig_range()'s error (-EBUSY when
 * a page could not be moved). In movable mode the balloon pages migrate and
 * the balloon keeps its size.
 */
/* The pageblock a contig command names: "auto" or a PFN inside it. */
static int ph_bl_contig_range(const char *cmd, unsigned long *start,
			      unsigned long *ours)
{
	unsigned long pfn, last;
	int ret;

	*ours = 0;
	if (!strcmp(cmd, "auto")) {
		*start = ph_bl_contig_pick(ours);
		return *ours ? 0 : -ENOENT;
	}
	ret = kstrtoul(cmd, 0, &pfn);
	if (ret)
		return ret == -ERANGE ? -ERANGE : -EINVAL;
	pfn = ALIGN_DOWN(pfn, pageblock_nr_pages);
	last = pfn + pageblock_nr_pages - 1;
	if (last < pfn || !pfn_to_online_page(pfn) ||
	    !pfn_to_online_page(last) ||
	    page_zone(pfn_to_page(pfn)) != page_zone(pfn_to_page(last)))
		return -ERANGE;
	*start = pfn;
	return 0;
}

/*
 * contig: "auto" runs alloc_contig_range() over the pageblock holding the
 * most balloon pages, "PFN" over the pageblock of PFN; a success frees the
 * range again. The write returns alloc_contig_range()'s error (-EBUSY when
 * a page could not be moved). In movable mode the balloon pages migrate and
 * the balloon keeps its size.
 */
static ssize_t contig_write(struct file *file, const char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	char buf[PAGEHINT_CMD_MAX];
	unsigned long start, ours;
	int ret;

	ret = ph_copy_cmd(buf, sizeof(buf), ubuf, len, ppos);
	if (ret)
		return ret;
	mutex_lock(&ph_bl.probe_lock);
	ret = ph_bl_contig_range(buf, &start, &ours);
	if (ret)
		goto out;
	/* not under ph_bl.lock: the migrate callback needs it */
	ret = alloc_contig_range(start, start + pageblock_nr_pages,
				 MIGRATE_MOVABLE, GFP_KERNEL);
	if (!ret)
		free_contig_range(start, pageblock_nr_pages);
	ph_bl.contig_pfn = start;
	ph_bl.contig_ours = ours;
	ph_bl.contig_ret = ret;
	if (ret)
		ph_bl.contig_fail++;
	else
		ph_bl.contig_ok++;
out:
	mutex_unlock(&ph_bl.probe_lock);
	return ret ? ret : len;
}

static const struct file_operations contig_fops = {
	.owner = THIS_MODULE,
	.write = contig_write,
};
#endif /* CONFIG_CONTIG_ALLOC */

static void ph_bl_debugfs_init(void)
{
	ph_bl_dir = debugfs_create_dir("balloon", ph_debugfs_root);
	debugfs_create_file("target", 0600, ph_bl_dir, NULL, &target_fops);
	debugfs_create_file("movable", 0600, ph_bl_dir, NULL, &movable_fops);
	debugfs_create_file("status", 0400, ph_bl_dir, NULL, &status_fops);
	debugfs_create_file("probe", 0200, ph_bl_dir, NULL, &probe_fops);
#ifdef CONFIG_CONTIG_ALLOC
	debugfs_create_file("contig", 0200, ph_bl_dir, NULL, &contig_fops);
#endif
}

/* ---- init / exit --------------------------------------------------- */

/* Return every page; waits for pages compaction holds isolated. */
static void ph_bl_drain(void)
{
	for (;;) {
		mutex_lock(&ph_bl.lock);
		ph_bl_deflate_locked(ph_bl.size, PH_BL_CAUSE_UNLOAD);
		if (!ph_bl.size) {
			mutex_unlock(&ph_bl.lock);
			break;
		}
		mutex_unlock(&ph_bl.lock);
		msleep(20);
	}
}

static int ph_bl_init(void)
{
	int ret;

	balloon_devinfo_init(&ph_bl.info);
	ph_bl.info.migratepage = ph_bl_migratepage;
	mutex_init(&ph_bl.lock);
	mutex_init(&ph_bl.probe_lock);
	INIT_LIST_HEAD(&ph_bl.unmovable);
	INIT_DELAYED_WORK(&ph_bl.work, ph_bl_work_fn);
	ph_bl.movable = true;
	ph_bl.dying = false;

	ret = ph_hooks_register("balloon", ph_bl_hooks, ARRAY_SIZE(ph_bl_hooks));
	if (ret)
		return ret;
	/* optional: counting isolations is not worth failing the balloon */
	if (ph_hooks_attach_all(ph_bl_hooks, ARRAY_SIZE(ph_bl_hooks)))
		pr_info("isolate/putback counters off\n");

	ph_bl_oom_nb.notifier_call = ph_bl_oom_notify;
	ph_bl_oom_nb.priority = 80;	/* virtio_balloon's */
	ret = register_oom_notifier(&ph_bl_oom_nb);
	if (ret)
		goto err_hooks;

	mutex_lock(&ph_policy_lock);
	ret = ph_bl_shrinker_set(ph_bl_shrink);
	mutex_unlock(&ph_policy_lock);
	if (ret)
		goto err_oom;

	ph_policy_add(&ph_bl_margin_policy);
	ph_policy_add(&ph_bl_oom_bytes_policy);
	ph_policy_add(&ph_bl_shrink_policy);
	ph_bl_debugfs_init();
	return 0;

err_oom:
	unregister_oom_notifier(&ph_bl_oom_nb);
err_hooks:
	ph_hooks_unregister(ph_bl_hooks, ARRAY_SIZE(ph_bl_hooks));
	return ret;
}

static void ph_bl_exit(void)
{
	/* no new commands, then no worker, then nobody else deflating */
	debugfs_remove(ph_bl_dir);
	mutex_lock(&ph_bl.lock);
	WRITE_ONCE(ph_bl.dying, true);
	ph_bl.target = 0;
	mutex_unlock(&ph_bl.lock);
	cancel_delayed_work_sync(&ph_bl.work);

	mutex_lock(&ph_policy_lock);
	ph_bl_shrinker_set(false);
	mutex_unlock(&ph_policy_lock);
	unregister_oom_notifier(&ph_bl_oom_nb);
	ph_hooks_unregister(ph_bl_hooks, ARRAY_SIZE(ph_bl_hooks));

	ph_bl_drain();
}

const struct ph_component ph_balloon_component = {
	.name = "balloon",
	.init = ph_bl_init,
	.exit = ph_bl_exit,
};
