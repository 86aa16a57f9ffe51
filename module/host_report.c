// SPDX-License-Identifier: GPL-2.0
/*
 * pagehint free page reporting: unused pages go back to the host at
 * 4 KiB granularity, within a second of being freed.
 *
 * Design
 * ------
 * The kernel's page reporting (mm/page_reporting.c) is the one correct
 * way for a module to hand free pages to a host: it isolates free blocks
 * under the zone lock (__isolate_free_page() is not exported), calls the
 * device's report() with a scatterlist of up to PAGE_REPORTING_CAPACITY
 * of them, puts them back and marks them PageReported, so they are not
 * reported again until they are allocated or merged. Allocating free
 * pages to report them instead would zero every one (init_on_alloc) and
 * make the host fault it back in. pagehint registers as that device
 * (one at a time: virtio_balloon must not hold it) and changes two of
 * its defaults:
 *
 *  - order: the kernel reports blocks of page_reporting_order and more,
 *    pageblock_order (2 MiB) unless told otherwise, so memory freed in
 *    scattered 4 KiB pages is never reported. Policy report_order
 *    (default 0) sets it: before registration where the variable is
 *    exported and survives registration (6.12 on), else (6.1: not
 *    exported, overwritten at registration) found by name and written
 *    right after registration. Unregistering puts the old value back.
 *
 *  - pacing: a free of a qualifying block requests a run, and the kernel
 *    queues the device's delayed work (which lives in our struct
 *    page_reporting_dev_info) two seconds later; a run reports about a
 *    sixteenth of each free list and, when it stopped short, requests
 *    the next run two seconds later again: a scattered list takes tens
 *    of seconds. A kicker of ours looks at that work every
 *    report_kick_ms: when the kernel has queued it, it runs it now
 *    (mod_delayed_work() to 0). While runs keep coming it looks every
 *    jiffy, so the sixteenths follow each other at once. The kicker only
 *    ever shortens a delay the kernel chose; it never starts a run the
 *    kernel did not request. The free path is not touched.
 *
 *  - per-CPU lists: an order-0 free, and on 6.1 the free of a THP too,
 *    lands on the CPU's free list, not in the buddy lists the kernel
 *    reports from, and stays there until the list passes its high mark
 *    (it scales with the zone's watermarks) or is drained. Once a
 *    burst of runs is over (no run for half a second) and those lists
 *    hold at least a pageblock, the kicker drains them once
 *    (drain_all_pages(), ph_states_drain_pcp()): the pages merge into
 *    the buddy lists, which requests a run as any free does. A burst
 *    that left little there drains nothing, so an idle guest is left
 *    alone. Not with report_kick_ms 0: the kernel's own pacing is then
 *    left as it is.
 *
 * report() is the device's: the scatterlist goes to the reporting queue
 * in one buffer (the host discards each entry, ram_block_discard_range())
 * and it waits for the buffer to come back.
 *
 * Locking: page_reporting runs one report() at a time (its work item);
 * the counters are written there and by the kicker, read unlocked;
 * drained_run belongs to the kicker (one work item, never concurrent).
 * ph_rep_lock (mutex) serialises start and stop with policy changes of
 * report_order.
 */
#define pr_fmt(fmt) "pagehint: report: " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/page_reporting.h>
#include <linux/scatterlist.h>
#include <linux/virtio.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include "pagehint.h"
#include "ph_compat.h"
#include "ph_hooks.h"
#include "ph_host_virtio.h"
#include "ph_states.h"
#include "pagehint_trace.h"

static int ph_rep_order_apply(const struct ph_policy *p, unsigned long val);

PH_POLICY(ph_rep_order, report_order, 0, 0, PH_NR_PAGE_ORDERS - 1, "order",
	  ph_rep_order_apply,
	  "smallest order of free blocks reported to the host, 0 = 4 KiB (the kernel's own default is pageblock order)");
PH_POLICY(ph_rep_kick_ms, report_kick_ms, 100, 0, 10000, "ms", NULL,
	  "how often a pending report run is started early, 0 = the kernel's own pacing");

static struct ph_report {
	struct page_reporting_dev_info prdev;
	struct virtqueue *vq;
	wait_queue_head_t acked;
	struct delayed_work kick;
	bool registered;		/* under ph_rep_lock */
	bool stopping;			/* the kicker must not requeue */
	unsigned int *order;		/* page_reporting_order, or NULL */
	unsigned int old_order;		/* its value before us */
	unsigned long last_run;		/* jiffies of the last report() */
	unsigned long drained_run;	/* last_run at the last drain (kicker) */
	atomic_long_t calls, entries, pages, errors, kicks, polls, drains;
} ph_rep;

/* Serialises start, stop and report_order changes. */
static DEFINE_MUTEX(ph_rep_lock);

/* Interrupt context: the host returned a report buffer. */
void ph_report_ack(struct virtqueue *vq)
{
	wake_up(&ph_rep.acked);
}

static int ph_report(struct page_reporting_dev_info *prdev,
		     struct scatterlist *sgl, unsigned int nents)
{
	struct scatterlist *sg;
	unsigned long bytes = 0;
	unsigned int i, len;
	int ret;

	/* the queue is empty between reports: the entries fit */
	ret = virtqueue_add_inbuf(ph_rep.vq, sgl, nents, &ph_rep,
				  GFP_NOWAIT | __GFP_NOWARN);
	if (ret) {
		atomic_long_inc(&ph_rep.errors);
		return ret;
	}
	virtqueue_kick(ph_rep.vq);
	wait_event(ph_rep.acked, virtqueue_get_buf(ph_rep.vq, &len));
	for_each_sg(sgl, sg, nents, i)
		bytes += sg->length;
	atomic_long_inc(&ph_rep.calls);
	atomic_long_add(nents, &ph_rep.entries);
	atomic_long_add(bytes >> PAGE_SHIFT, &ph_rep.pages);
	WRITE_ONCE(ph_rep.last_run, jiffies);
	trace_host_report(nents, bytes >> PAGE_SHIFT);
	return 0;
}

/* ---- pacing ------------------------------------------------------------ */

/* Pages on the per-CPU free lists of every zone, read without their locks. */
static unsigned long ph_rep_pcp_pages(void)
{
	unsigned long n = 0;
	struct zone *z;
	int cpu;

	ph_for_each_populated_zone(z)
		for_each_online_cpu(cpu)
			n += READ_ONCE(per_cpu_ptr(z->per_cpu_pageset,
						   cpu)->count);
	return n;
}

/*
 * A burst of runs ended half a second ago, the per-CPU lists were not
 * drained since, and they hold a pageblock's worth: drain them, so that
 * what frees left there reaches the buddy lists and is reported. Less
 * than that is left to the next burst, so that the few pages an idle
 * guest frees now and then do not make a drain and a run of their own.
 * Only the kicker calls it.
 */
static void ph_rep_drain_after_burst(void)
{
	unsigned long last = READ_ONCE(ph_rep.last_run);

	if (!last || last == ph_rep.drained_run ||
	    time_before(jiffies, last + HZ / 2) ||
	    ph_rep_pcp_pages() < pageblock_nr_pages)
		return;
	ph_rep.drained_run = last;
	ph_states_drain_pcp();
	atomic_long_inc(&ph_rep.drains);
}

static void ph_rep_kick_fn(struct work_struct *work)
{
	unsigned long ms = READ_ONCE(ph_rep_kick_ms), delay;

	if (READ_ONCE(ph_rep.stopping))
		return;
	atomic_long_inc(&ph_rep.polls);
	/* queued by the kernel with its delay: run it now */
	if (ms && delayed_work_pending(&ph_rep.prdev.work)) {
		mod_delayed_work(system_freezable_wq, &ph_rep.prdev.work, 0);
		atomic_long_inc(&ph_rep.kicks);
	}
	/* runs follow each other while a list is being worked through */
	if (time_before(jiffies, READ_ONCE(ph_rep.last_run) + HZ / 10))
		delay = 1;
	else
		delay = msecs_to_jiffies(ms ? ms : 1000);
	if (ms)
		ph_rep_drain_after_burst();
	queue_delayed_work(system_unbound_wq, &ph_rep.kick, delay);
}

/* ---- page_reporting_order ------------------------------------------------ */

static unsigned int *ph_rep_order_var(void)
{
#ifdef PH_HAVE_PAGE_REPORTING_ORDER_EXPORT
	return &page_reporting_order;
#else
	/* data, not code: reading and writing it is what sysfs does */
	return (unsigned int *)ph_lookup_symbol("page_reporting_order");
#endif
}

static void ph_rep_set_order(unsigned int order)
{
	if (ph_rep.order)
		WRITE_ONCE(*ph_rep.order, order);
}

/* Policy report_order: takes effect now when registered. */
static int ph_rep_order_apply(const struct ph_policy *p, unsigned long val)
{
	mutex_lock(&ph_rep_lock);
	if (ph_rep.registered) {
		if (!ph_rep.order) {
			mutex_unlock(&ph_rep_lock);
			return -ENODEV;
		}
		ph_rep_set_order(val);
	}
	mutex_unlock(&ph_rep_lock);
	return 0;
}

/**
 * ph_report_start() - become the kernel's page reporting device
 * @vq: the device's reporting queue
 *
 * Context: process, sleeps.
 * Return: 0, -EBUSY when another driver reports free pages, -ENOSPC when
 * the queue cannot hold a full report.
 */
int ph_report_start(struct virtqueue *vq)
{
	int ret;

	if (virtqueue_get_vring_size(vq) < PAGE_REPORTING_CAPACITY)
		return -ENOSPC;
	mutex_lock(&ph_rep_lock);
	ph_rep.vq = vq;
	ph_rep.order = ph_rep_order_var();
	if (ph_rep.order) {
		ph_rep.old_order = READ_ONCE(*ph_rep.order);
#ifdef PH_HAVE_PAGE_REPORTING_ORDER_EXPORT
		ph_rep_set_order(ph_rep_order);
#endif
	} else {
		pr_warn("page_reporting_order not found: the kernel's order is used\n");
	}
	ph_rep.prdev.report = ph_report;
	ret = page_reporting_register(&ph_rep.prdev);
	if (ret) {
		if (ret == -EBUSY)
			pr_err("another driver reports free pages (virtio_balloon?): reporting off\n");
		ph_rep_set_order(ph_rep.old_order);
		mutex_unlock(&ph_rep_lock);
		return ret;
	}
	/* 6.1 overwrote it at registration; harmless where it did not */
	ph_rep_set_order(ph_rep_order);
	ph_rep.registered = true;
	WRITE_ONCE(ph_rep.stopping, false);
	queue_delayed_work(system_unbound_wq, &ph_rep.kick, 0);
	mutex_unlock(&ph_rep_lock);
	return 0;
}

/* Stop reporting; the device's queue is still alive. Context: process. */
void ph_report_stop(void)
{
	mutex_lock(&ph_rep_lock);
	if (!ph_rep.registered) {
		mutex_unlock(&ph_rep_lock);
		return;
	}
	/* the kicker first: after this nobody queues the kernel's work */
	WRITE_ONCE(ph_rep.stopping, true);
	cancel_delayed_work_sync(&ph_rep.kick);
	/* waits for a running report() */
	page_reporting_unregister(&ph_rep.prdev);
	ph_rep_set_order(ph_rep.old_order);
	ph_rep.registered = false;
	mutex_unlock(&ph_rep_lock);
}

void ph_report_get_stats(struct ph_report_stats *s)
{
	mutex_lock(&ph_rep_lock);
	s->registered = ph_rep.registered;
	s->order = ph_rep.order ? (int)READ_ONCE(*ph_rep.order) : -1;
	mutex_unlock(&ph_rep_lock);
	s->calls = atomic_long_read(&ph_rep.calls);
	s->entries = atomic_long_read(&ph_rep.entries);
	s->pages = atomic_long_read(&ph_rep.pages);
	s->errors = atomic_long_read(&ph_rep.errors);
	s->kicks = atomic_long_read(&ph_rep.kicks);
	s->polls = atomic_long_read(&ph_rep.polls);
	s->drains = atomic_long_read(&ph_rep.drains);
}

/* Called once by the virtio component's init. */
int ph_report_init(void)
{
	init_waitqueue_head(&ph_rep.acked);
	INIT_DELAYED_WORK(&ph_rep.kick, ph_rep_kick_fn);
	ph_policy_add(&ph_rep_order_policy);
	ph_policy_add(&ph_rep_kick_ms_policy);
	return 0;
}
