// SPDX-License-Identifier: GPL-2.0
/*
 * pagehint balloon: who else sizes it - a host through its channel, and
 * the guest itself under memory pressure.
 *
 * A host channel (module/host_virtio.c) owns the balloon between
 * ph_balloon_attach() and ph_balloon_detach(): its target replaces
 * balloon/target, and each hand-over returns every page to the guest
 * first, told to the owner that had them. Under memory pressure an OOM
 * notifier and, with policy balloon_shrinker, a shrinker deflate; both
 * hold inflation until the next target (the design is at the top of
 * module/balloon.c).
 *
 * Locking: ph_bl.lock, as in balloon.c. The shrinker only tries it:
 * reclaim may run inside the balloon's own inflation. ph_bl.shrinker is
 * under ph_policy_lock.
 */
#define pr_fmt(fmt) "pagehint: balloon: " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/delay.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/oom.h>
#include <linux/workqueue.h>
#include "pagehint.h"
#include "ph_compat.h"
#include "ph_balloon.h"
#include "ph_balloon_int.h"

PH_POLICY(ph_bl_oom_bytes, balloon_oom_deflate, 16UL << 20, 0, 1UL << 40,
	  "bytes", NULL,
	  "what the balloon gives back per OOM notification, 0 = off (virtio_balloon: 1 MiB)");
static int ph_bl_shrinker_apply(const struct ph_policy *p, unsigned long val);
PH_POLICY(ph_bl_shrink, balloon_shrinker, 0, 0, 1, "0/1",
	  ph_bl_shrinker_apply,
	  "a shrinker deflates the balloon under memory reclaim");

static struct notifier_block ph_bl_oom_nb;

/* ---- giving memory back under pressure ---------------------------- */

static int ph_bl_oom_notify(struct notifier_block *nb, unsigned long unused,
			    void *parm)
{
	unsigned long nr = READ_ONCE(ph_bl_oom_bytes) >> PAGE_SHIFT;
	unsigned long *freed = parm, n;

	if (!nr)
		return NOTIFY_OK;
	mutex_lock(&ph_bl.lock);
	/* a host that did not offer DEFLATE_ON_OOM keeps its pages */
	if (ph_bl.channel && !ph_bl.channel->oom_deflate) {
		mutex_unlock(&ph_bl.lock);
		return NOTIFY_OK;
	}
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
	if (ph_bl.channel && !ph_bl.channel->oom_deflate) {
		mutex_unlock(&ph_bl.lock);
		return SHRINK_STOP;
	}
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

/* ---- the host channel ---------------------------------------------- */

/* Return every page; waits for pages compaction holds isolated. */
void ph_bl_drain(enum ph_bl_cause cause)
{
	for (;;) {
		mutex_lock(&ph_bl.lock);
		ph_bl_deflate_locked(ph_bl.size, cause);
		if (!ph_bl.size) {
			mutex_unlock(&ph_bl.lock);
			break;
		}
		mutex_unlock(&ph_bl.lock);
		msleep(20);
	}
}

/*
 * Hand the balloon from one owner to another (@to NULL: back to the
 * guest). Called with ph_bl.lock held, returns with it dropped. While
 * "switching" no target is accepted: the worker stops, every page goes
 * back (told to the old owner, if any), and only then @to owns it.
 */
static void ph_bl_switch_unlock(const struct ph_bl_channel *to)
	__releases(&ph_bl.lock)
{
	ph_bl.switching = true;
	ph_bl.target = 0;
	ph_bl_run_end(PH_BL_STOP_NONE);
	mutex_unlock(&ph_bl.lock);
	cancel_delayed_work_sync(&ph_bl.work);
	ph_bl_drain(PH_BL_CAUSE_HOST);

	mutex_lock(&ph_bl.lock);
	ph_bl.channel = to;
	ph_bl.switching = false;
	if (to)
		ph_bl_resized();
	mutex_unlock(&ph_bl.lock);
}

/**
 * ph_balloon_attach() - let a host own the balloon
 * @ch: the channel; must stay valid until ph_balloon_detach()
 *
 * Pages the balloon holds were never given to this host: they are
 * returned to the guest first. From now on only ph_balloon_host_target()
 * sets the target (balloon/target writes are refused with EBUSY).
 * Context: process, sleeps.
 * Return: 0, -EBUSY when another channel is attached, -ENODEV while the
 * balloon is going away.
 */
int ph_balloon_attach(const struct ph_bl_channel *ch)
{
	int ret = 0;

	mutex_lock(&ph_bl.lock);
	if (ph_bl.dying)
		ret = -ENODEV;
	else if (ph_bl.channel || ph_bl.switching)
		ret = -EBUSY;
	if (ret) {
		mutex_unlock(&ph_bl.lock);
		return ret;
	}
	ph_bl_switch_unlock(ch);
	return 0;
}

/**
 * ph_balloon_detach() - give the balloon back to the guest
 * @ch: the channel attached
 *
 * Stops the worker and returns every page, telling the host about each
 * batch before it is freed; then the host is forgotten. The caller must
 * not call ph_balloon_host_target() any more. Context: process, sleeps.
 */
void ph_balloon_detach(const struct ph_bl_channel *ch)
{
	mutex_lock(&ph_bl.lock);
	if (ph_bl.channel != ch) {
		mutex_unlock(&ph_bl.lock);
		return;
	}
	ph_bl_switch_unlock(NULL);
}

/**
 * ph_balloon_host_target() - the host's target changed
 * @pages: pages the host wants the balloon to hold
 *
 * Starts a run towards @pages; returns at once. Context: process.
 */
void ph_balloon_host_target(unsigned long pages)
{
	mutex_lock(&ph_bl.lock);
	if (ph_bl.channel && !ph_bl.dying && pages != ph_bl.target) {
		ph_bl.target = pages;
		ph_bl_run_start();
	}
	mutex_unlock(&ph_bl.lock);
}

/* Pages the balloon holds now (racy read). */
unsigned long ph_balloon_size(void)
{
	return READ_ONCE(ph_bl.size);
}

/* The OOM notifier, the shrinker (policy balloon_shrinker), the policies. */
int ph_bl_pressure_init(void)
{
	int ret;

	ph_bl_oom_nb.notifier_call = ph_bl_oom_notify;
	ph_bl_oom_nb.priority = 80;	/* virtio_balloon's */
	ret = register_oom_notifier(&ph_bl_oom_nb);
	if (ret)
		return ret;
	mutex_lock(&ph_policy_lock);
	ret = ph_bl_shrinker_set(ph_bl_shrink);
	mutex_unlock(&ph_policy_lock);
	if (ret) {
		unregister_oom_notifier(&ph_bl_oom_nb);
		return ret;
	}
	ph_policy_add(&ph_bl_oom_bytes_policy);
	ph_policy_add(&ph_bl_shrink_policy);
	return 0;
}

void ph_bl_pressure_exit(void)
{
	mutex_lock(&ph_policy_lock);
	ph_bl_shrinker_set(false);
	mutex_unlock(&ph_policy_lock);
	unregister_oom_notifier(&ph_bl_oom_nb);
}
