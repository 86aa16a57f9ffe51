// SPDX-License-Identifier: GPL-2.0
/*
 * pagehint host channel: QEMU's virtio-balloon device, driven by pagehint
 * instead of virtio_balloon, so that the host gets back what the page
 * states say it may have (seed 000): unused pages through free page
 * reporting (module/host_report.c) and the host's target through the
 * balloon, served unused first, then volatile, then stable
 * (module/balloon.c).
 *
 * Design
 * ------
 * Binding. Policy host_channel picks the host: "sim" (module/host.c's
 * simulated host, the default) or "virtio". Switching to virtio registers
 * a virtio driver for VIRTIO_ID_BALLOON; the driver core binds it to a
 * balloon device no other driver holds. When none got bound the switch
 * fails: -EBUSY naming the driver that holds the device (virtio_balloon)
 * and how to free it, or -ENODEV when the guest has no such device.
 * Switching back (or unloading) unbinds: every page returns to the guest,
 * the host is told first, and the device is reset so that virtio_balloon
 * can bind it afterwards.
 *
 * Features, as virtio_balloon negotiates them. STATS_VQ: QEMU numbers its
 * queues by the features it offers (inflate 0, deflate 1, stats 2, free
 * page hint 3, reporting next), so a driver that left out the stats queue
 * would put its reports on QEMU's stats queue; pagehint answers the
 * stats requests like virtio_balloon. DEFLATE_ON_OOM: the balloon may
 * give pages back on OOM; without it ballooned pages leave the managed
 * page count, as in virtio_balloon. PAGE_POISON and REPORTING: validate()
 * keeps PAGE_POISON only with init_on_free or page poisoning, and drops
 * REPORTING when poisoning is on but the host cannot be told the poison
 * value (it would see reported pages' content change). FREE_PAGE_HINT
 * (migration hints) is not used, but when the device offers it its queue
 * is created, unused, so that the reporting queue gets QEMU's number.
 *
 * The host's target. Config num_pages (4 KiB pages) is the target; a
 * config change queues cfg_work, which hands it to the balloon
 * (ph_balloon_host_target()). The balloon calls back through struct
 * ph_bl_channel: inflate and deflate send PFN arrays, one buffer of up
 * to PH_VB_PFNS pages per round trip (one 2 MiB block), deflate before
 * the pages are freed; a migrated page is an inflate of the new page and
 * a deflate of the old one (virtballoon_migratepage() is the model);
 * resized writes config actual.
 *
 * Locking
 * -------
 * ph_vb_lock (mutex) serialises the round trips on the inflate and
 * deflate queues and protects the PFN array and the counters. The
 * balloon calls in with its own lock held: balloon lock, then ph_vb_lock,
 * never the other way. ph_vb_stop_lock (spinlock, irq-safe) protects
 * stop_update, which keeps config_changed() (interrupt context) from
 * queueing work once removal began. ph_vb_dev_lock (mutex) protects the
 * ph_vb pointer for the control files: probe publishes it when the
 * device is set up, remove holds it while tearing down (the balloon's
 * callbacks use ph_vb meanwhile, they run under remove). Lock order:
 * ph_vb_dev_lock, the balloon's lock, ph_vb_lock.
 */
#define pr_fmt(fmt) "pagehint: virtio: " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/virtio_balloon.h>
#include <uapi/linux/virtio_ring.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/slab.h>
#include <linux/swap.h>
#include <linux/vmstat.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include "pagehint.h"
#include "ph_compat.h"
#include "ph_balloon.h"
#include "ph_host.h"
#include "ph_host_virtio.h"

/* Guest pages per 4 KiB balloon page (1 on x86) */
#define PH_VB_PER_PAGE	((unsigned int)(PAGE_SIZE >> VIRTIO_BALLOON_PFN_SHIFT))
/* PFNs per inflate/deflate buffer: one 2 MiB block of 4 KiB pages */
#define PH_VB_PFNS	512

enum ph_vb_vq {
	PH_VQ_INFLATE,
	PH_VQ_DEFLATE,
	PH_VQ_STATS,
	PH_VQ_FREE_PAGE,	/* created unused, see the top comment */
	PH_VQ_REPORTING,
	PH_VQ_NR,
};

struct ph_vb {
	struct virtio_device *vdev;
	struct virtqueue *vqs[PH_VQ_NR];
	wait_queue_head_t acked;	/* a buffer came back */
	struct work_struct cfg_work;	/* read num_pages */
	struct work_struct stats_work;	/* refill the stats buffer */
	bool stop_update;		/* under ph_vb_stop_lock */
	bool reporting;			/* ph_report_start() succeeded */

	/* under ph_vb_lock */
	__virtio32 pfns[PH_VB_PFNS];
	unsigned int npfns;
	struct virtio_balloon_stat stats[VIRTIO_BALLOON_S_NR];
	unsigned long inflated, deflated, migrated, round_trips, tell_errors;
	unsigned long target_changes, stats_requests;
	u32 actual;
};

static DEFINE_MUTEX(ph_vb_lock);
static DEFINE_SPINLOCK(ph_vb_stop_lock);
static DEFINE_MUTEX(ph_vb_dev_lock);
static struct ph_vb *ph_vb;
/* policy side: the driver is registered, a host.c reference is held */
static bool ph_vb_registered, ph_vb_host_ref;
/*
 * Why the last probe failed (0: it did not), for ph_vb_explain(): the
 * driver core does not pass a probe's error to register_virtio_driver().
 * Written by probe (the registering task, or whoever binds the device
 * later), read under ph_policy_lock after registering.
 */
static int ph_vb_probe_err;
/*
 * Whether probe ran since registration, the same way: the driver core
 * can fail before it (its sysfs links, say), which says nothing to us.
 */
static bool ph_vb_probed;
/* validate() saw FREE_PAGE_HINT offered (read by probe, same device) */
static bool ph_vb_fph_offered;

static void ph_vb_inflate(struct list_head *pages);
static void ph_vb_deflate(struct list_head *pages);
static void ph_vb_migrate(struct page *newpage, struct page *page);
static void ph_vb_resized(unsigned long pages);

/* Filled at probe from the negotiated features. */
static struct ph_bl_channel ph_vb_channel = {
	.name = "virtio",
	.inflate = ph_vb_inflate,
	.deflate = ph_vb_deflate,
	.migrate = ph_vb_migrate,
	.resized = ph_vb_resized,
};

static bool ph_vb_has(unsigned int fbit)
{
	return virtio_has_feature(ph_vb->vdev, fbit);
}

/* ---- round trips ------------------------------------------------------ */

static void ph_vb_ack(struct virtqueue *vq)
{
	struct ph_vb *vb = vq->vdev->priv;

	wake_up(&vb->acked);
}

/* Send the PFN array on @vq and wait for the host to return it. */
static void ph_vb_tell(struct virtqueue *vq)
{
	struct ph_vb *vb = ph_vb;
	struct scatterlist sg;
	unsigned int len;

	lockdep_assert_held(&ph_vb_lock);
	if (!vb->npfns)
		return;
	sg_init_one(&sg, vb->pfns, sizeof(vb->pfns[0]) * vb->npfns);
	/*
	 * One buffer at a time: an empty queue always takes it. Should it
	 * not, the host misses this message: it keeps pages it could have
	 * taken (inflate) or was told nothing it needs (deflate, QEMU only
	 * hints with it); counted, never retried with the pages changing.
	 */
	if (virtqueue_add_outbuf(vq, &sg, 1, vb, GFP_KERNEL) == 0) {
		virtqueue_kick(vq);
		wait_event(vb->acked, virtqueue_get_buf(vq, &len));
		vb->round_trips++;
	} else {
		vb->tell_errors++;
	}
	vb->npfns = 0;
}

/* Add @page's 4 KiB PFNs; send when the array is full. */
static void ph_vb_add(struct virtqueue *vq, struct page *page)
{
	struct ph_vb *vb = ph_vb;
	u32 pfn = page_to_pfn(page) * PH_VB_PER_PAGE;
	unsigned int i;

	for (i = 0; i < PH_VB_PER_PAGE; i++)
		vb->pfns[vb->npfns++] = cpu_to_virtio32(vb->vdev, pfn + i);
	if (vb->npfns + PH_VB_PER_PAGE > PH_VB_PFNS)
		ph_vb_tell(vq);
}

/*
 * Without DEFLATE_ON_OOM the host may count on ballooned pages staying
 * ballooned: they leave the managed page count (virtio_balloon does the
 * same), so the guest sizes itself without them.
 */
static void ph_vb_managed(struct page *page, long delta)
{
	if (!ph_vb_has(VIRTIO_BALLOON_F_DEFLATE_ON_OOM))
		adjust_managed_page_count(page, delta);
}

static void ph_vb_inflate(struct list_head *pages)
{
	struct virtqueue *vq = ph_vb->vqs[PH_VQ_INFLATE];
	struct page *page;

	mutex_lock(&ph_vb_lock);
	list_for_each_entry(page, pages, lru) {
		ph_vb_managed(page, -1);
		ph_vb_add(vq, page);
		ph_vb->inflated++;
	}
	ph_vb_tell(vq);
	mutex_unlock(&ph_vb_lock);
}

static void ph_vb_deflate(struct list_head *pages)
{
	struct virtqueue *vq = ph_vb->vqs[PH_VQ_DEFLATE];
	struct page *page;

	mutex_lock(&ph_vb_lock);
	list_for_each_entry(page, pages, lru) {
		ph_vb_add(vq, page);
		ph_vb->deflated++;
	}
	ph_vb_tell(vq);
	list_for_each_entry(page, pages, lru)
		ph_vb_managed(page, 1);
	mutex_unlock(&ph_vb_lock);
}

/* Inflate @newpage, then deflate @page, as virtballoon_migratepage(). */
static void ph_vb_migrate(struct page *newpage, struct page *page)
{
	mutex_lock(&ph_vb_lock);
	if (page_zone(page) != page_zone(newpage)) {
		ph_vb_managed(page, 1);
		ph_vb_managed(newpage, -1);
	}
	ph_vb_add(ph_vb->vqs[PH_VQ_INFLATE], newpage);
	ph_vb_tell(ph_vb->vqs[PH_VQ_INFLATE]);
	ph_vb_add(ph_vb->vqs[PH_VQ_DEFLATE], page);
	ph_vb_tell(ph_vb->vqs[PH_VQ_DEFLATE]);
	/* the host saw one inflate and one deflate */
	ph_vb->inflated++;
	ph_vb->deflated++;
	ph_vb->migrated++;
	mutex_unlock(&ph_vb_lock);
}

static void ph_vb_resized(unsigned long pages)
{
	u32 actual = pages * PH_VB_PER_PAGE;

	/* legacy balloon config space is little-endian, as virtio_balloon */
	virtio_cwrite_le(ph_vb->vdev, struct virtio_balloon_config, actual,
			 &actual);
	WRITE_ONCE(ph_vb->actual, actual);
}

/* ---- the host's target and statistics -------------------------------- */

static unsigned long ph_vb_read_target(struct ph_vb *vb)
{
	u32 num_pages;

	virtio_cread_le(vb->vdev, struct virtio_balloon_config, num_pages,
			&num_pages);
	/* whole guest pages, rounded up as virtio_balloon does */
	return ALIGN(num_pages, PH_VB_PER_PAGE) / PH_VB_PER_PAGE;
}

static void ph_vb_cfg_fn(struct work_struct *work)
{
	struct ph_vb *vb = container_of(work, struct ph_vb, cfg_work);

	mutex_lock(&ph_vb_lock);
	vb->target_changes++;
	mutex_unlock(&ph_vb_lock);
	ph_balloon_host_target(ph_vb_read_target(vb));
}

/* Interrupt context: the host changed the config (num_pages). */
static void ph_vb_changed(struct virtio_device *vdev)
{
	struct ph_vb *vb = vdev->priv;
	unsigned long flags;

	spin_lock_irqsave(&ph_vb_stop_lock, flags);
	if (!vb->stop_update)
		queue_work(system_freezable_wq, &vb->cfg_work);
	spin_unlock_irqrestore(&ph_vb_stop_lock, flags);
}

static void ph_vb_stat(struct ph_vb *vb, unsigned int *i, u16 tag, u64 val)
{
	vb->stats[*i].tag = cpu_to_virtio16(vb->vdev, tag);
	vb->stats[*i].val = cpu_to_virtio64(vb->vdev, val);
	(*i)++;
}

/* The statistics virtio_balloon sends (update_balloon_stats()). */
static unsigned int ph_vb_fill_stats(struct ph_vb *vb)
{
	unsigned long events[NR_VM_EVENT_ITEMS];
	unsigned int i = 0;
	struct sysinfo si;

	all_vm_events(events);
	si_meminfo(&si);
	ph_vb_stat(vb, &i, VIRTIO_BALLOON_S_SWAP_IN,
		   (u64)events[PSWPIN] << PAGE_SHIFT);
	ph_vb_stat(vb, &i, VIRTIO_BALLOON_S_SWAP_OUT,
		   (u64)events[PSWPOUT] << PAGE_SHIFT);
	ph_vb_stat(vb, &i, VIRTIO_BALLOON_S_MAJFLT, events[PGMAJFAULT]);
	ph_vb_stat(vb, &i, VIRTIO_BALLOON_S_MINFLT, events[PGFAULT]);
	ph_vb_stat(vb, &i, VIRTIO_BALLOON_S_MEMFREE,
		   (u64)si.freeram << PAGE_SHIFT);
	ph_vb_stat(vb, &i, VIRTIO_BALLOON_S_MEMTOT,
		   (u64)si.totalram << PAGE_SHIFT);
	ph_vb_stat(vb, &i, VIRTIO_BALLOON_S_AVAIL,
		   (u64)si_mem_available() << PAGE_SHIFT);
	ph_vb_stat(vb, &i, VIRTIO_BALLOON_S_CACHES,
		   (u64)global_node_page_state(NR_FILE_PAGES) << PAGE_SHIFT);
	return i;
}

/* Give the host a stats buffer (it holds one and returns it to ask). */
static int ph_vb_stats_send(struct ph_vb *vb)
{
	struct virtqueue *vq = vb->vqs[PH_VQ_STATS];
	struct scatterlist sg;
	unsigned int n;
	int ret;

	mutex_lock(&ph_vb_lock);
	n = ph_vb_fill_stats(vb);
	sg_init_one(&sg, vb->stats, sizeof(vb->stats[0]) * n);
	ret = virtqueue_add_outbuf(vq, &sg, 1, vb, GFP_KERNEL);
	if (!ret)
		virtqueue_kick(vq);
	mutex_unlock(&ph_vb_lock);
	return ret;
}

static void ph_vb_stats_fn(struct work_struct *work)
{
	struct ph_vb *vb = container_of(work, struct ph_vb, stats_work);
	unsigned int len;

	if (!virtqueue_get_buf(vb->vqs[PH_VQ_STATS], &len))
		return;
	mutex_lock(&ph_vb_lock);
	vb->stats_requests++;
	mutex_unlock(&ph_vb_lock);
	ph_vb_stats_send(vb);
}

/* Interrupt context: the host returned the stats buffer. */
static void ph_vb_stats_request(struct virtqueue *vq)
{
	struct ph_vb *vb = vq->vdev->priv;
	unsigned long flags;

	spin_lock_irqsave(&ph_vb_stop_lock, flags);
	if (!vb->stop_update)
		queue_work(system_freezable_wq, &vb->stats_work);
	spin_unlock_irqrestore(&ph_vb_stop_lock, flags);
}

/* ---- the driver -------------------------------------------------------- */

static int ph_vb_find_vqs(struct ph_vb *vb)
{
	struct ph_vq_info info[PH_VQ_NR] = {
		[PH_VQ_INFLATE] = { "inflate", ph_vb_ack },
		[PH_VQ_DEFLATE] = { "deflate", ph_vb_ack },
	};

	if (virtio_has_feature(vb->vdev, VIRTIO_BALLOON_F_STATS_VQ))
		info[PH_VQ_STATS] = (struct ph_vq_info){ "stats",
							 ph_vb_stats_request };
	if (ph_vb_fph_offered)
		info[PH_VQ_FREE_PAGE] = (struct ph_vq_info){ "free_page_vq",
							     NULL };
	if (virtio_has_feature(vb->vdev, VIRTIO_BALLOON_F_REPORTING))
		info[PH_VQ_REPORTING] = (struct ph_vq_info){ "reporting_vq",
							     ph_report_ack };
	return ph_virtio_find_vqs(vb->vdev, PH_VQ_NR, vb->vqs, info);
}

/* Tell a host that knows about poisoning what free pages contain. */
static void ph_vb_poison(struct ph_vb *vb)
{
	u32 poison_val = 0;

	if (!virtio_has_feature(vb->vdev, VIRTIO_BALLOON_F_PAGE_POISON))
		return;
	/* a byte pattern: no byte order to care about */
	if (!want_init_on_free())
		memset(&poison_val, PAGE_POISON, sizeof(poison_val));
	virtio_cwrite_le(vb->vdev, struct virtio_balloon_config, poison_val,
			 &poison_val);
}

static int ph_vb_do_probe(struct virtio_device *vdev)
{
	struct ph_vb *vb;
	int ret;

	if (!vdev->config->get)
		return -EINVAL;
	if (ph_vb) {
		dev_err(&vdev->dev, "pagehint drives one balloon device: %s\n",
			dev_name(&ph_vb->vdev->dev));
		return -EBUSY;
	}
	vb = kzalloc(sizeof(*vb), GFP_KERNEL);
	if (!vb)
		return -ENOMEM;
	vb->vdev = vdev;
	vdev->priv = vb;
	init_waitqueue_head(&vb->acked);
	INIT_WORK(&vb->cfg_work, ph_vb_cfg_fn);
	INIT_WORK(&vb->stats_work, ph_vb_stats_fn);
	ret = ph_vb_find_vqs(vb);
	if (ret)
		goto err_free;
	mutex_lock(&ph_vb_dev_lock);
	ph_vb = vb;
	if (virtio_has_feature(vdev, VIRTIO_BALLOON_F_STATS_VQ)) {
		ret = ph_vb_stats_send(vb);
		if (ret)
			goto err_vqs;
	}
	ph_vb_poison(vb);
	virtio_device_ready(vdev);

	ph_vb_channel.oom_deflate =
		virtio_has_feature(vdev, VIRTIO_BALLOON_F_DEFLATE_ON_OOM);
	ret = ph_balloon_attach(&ph_vb_channel);
	if (ret)
		goto err_reset;
	if (virtio_has_feature(vdev, VIRTIO_BALLOON_F_REPORTING)) {
		ret = ph_report_start(vb->vqs[PH_VQ_REPORTING]);
		if (ret)
			dev_warn(&vdev->dev, "free page reporting off: %d\n",
				 ret);
		vb->reporting = !ret;
	}
	dev_info(&vdev->dev, "pagehint drives it: features %#llx%s\n",
		 vdev->features, vb->reporting ? ", free page reporting" : "");
	/* the host may have set a target before we came */
	queue_work(system_freezable_wq, &vb->cfg_work);
	mutex_unlock(&ph_vb_dev_lock);
	return 0;

err_reset:
	virtio_reset_device(vdev);
err_vqs:
	ph_vb = NULL;
	mutex_unlock(&ph_vb_dev_lock);
	vdev->config->del_vqs(vdev);
err_free:
	kfree(vb);
	return ret;
}

static int ph_vb_probe(struct virtio_device *vdev)
{
	int ret = ph_vb_do_probe(vdev);

	WRITE_ONCE(ph_vb_probe_err, ret);
	WRITE_ONCE(ph_vb_probed, true);
	return ret;
}

static void ph_vb_remove(struct virtio_device *vdev)
{
	struct ph_vb *vb = vdev->priv;

	mutex_lock(&ph_vb_dev_lock);
	spin_lock_irq(&ph_vb_stop_lock);
	vb->stop_update = true;
	spin_unlock_irq(&ph_vb_stop_lock);
	cancel_work_sync(&vb->cfg_work);
	cancel_work_sync(&vb->stats_work);
	if (vb->reporting)
		ph_report_stop();
	/* every page back to the guest, the host told first */
	ph_balloon_detach(&ph_vb_channel);
	ph_vb_resized(0);
	virtio_reset_device(vdev);
	vdev->config->del_vqs(vdev);
	ph_vb = NULL;
	mutex_unlock(&ph_vb_dev_lock);
	kfree(vb);
	dev_info(&vdev->dev, "released: the balloon is empty, the device reset\n");
}

/* As virtballoon_validate(), plus the free page hint queue's number. */
static int ph_vb_validate(struct virtio_device *vdev)
{
	ph_vb_fph_offered =
		virtio_has_feature(vdev, VIRTIO_BALLOON_F_FREE_PAGE_HINT);
	__virtio_clear_bit(vdev, VIRTIO_BALLOON_F_FREE_PAGE_HINT);
	if (!want_init_on_free() && !page_poisoning_enabled_static())
		__virtio_clear_bit(vdev, VIRTIO_BALLOON_F_PAGE_POISON);
	else if (!virtio_has_feature(vdev, VIRTIO_BALLOON_F_PAGE_POISON))
		__virtio_clear_bit(vdev, VIRTIO_BALLOON_F_REPORTING);
	/* no allocation in virtqueue_add() while reporting */
	__virtio_clear_bit(vdev, VIRTIO_RING_F_INDIRECT_DESC);
	__virtio_clear_bit(vdev, VIRTIO_F_ACCESS_PLATFORM);
	return 0;
}

static unsigned int ph_vb_features[] = {
	VIRTIO_BALLOON_F_MUST_TELL_HOST,
	VIRTIO_BALLOON_F_STATS_VQ,
	VIRTIO_BALLOON_F_DEFLATE_ON_OOM,
	VIRTIO_BALLOON_F_FREE_PAGE_HINT,
	VIRTIO_BALLOON_F_PAGE_POISON,
	VIRTIO_BALLOON_F_REPORTING,
};

static const struct virtio_device_id ph_vb_ids[] = {
	{ VIRTIO_ID_BALLOON, VIRTIO_DEV_ANY_ID },
	{ 0 },
};

static struct virtio_driver ph_vb_driver = {
	.feature_table = ph_vb_features,
	.feature_table_size = ARRAY_SIZE(ph_vb_features),
	.driver.name = KBUILD_MODNAME,
	.driver.owner = THIS_MODULE,
	.id_table = ph_vb_ids,
	.validate = ph_vb_validate,
	.probe = ph_vb_probe,
	.remove = ph_vb_remove,
	.config_changed = ph_vb_changed,
};

/* ---- binding ------------------------------------------------------------ */

struct ph_vb_holder {
	char dev[32];
	char drv[32];
	bool found;
};

static int ph_vb_find_holder(struct device *dev, void *data)
{
	struct virtio_device *vdev = dev_to_virtio(dev);
	struct ph_vb_holder *h = data;
	struct device_driver *drv;

	if (vdev->id.device != VIRTIO_ID_BALLOON)
		return 0;
	h->found = true;
	strscpy(h->dev, dev_name(dev), sizeof(h->dev));
	drv = READ_ONCE(dev->driver);
	if (drv)
		strscpy(h->drv, drv->name, sizeof(h->drv));
	return 1;
}

/* No device got bound to us: say why and how to fix it. */
static int ph_vb_explain(void)
{
	struct ph_vb_holder h = { };
	int err;

	bus_for_each_dev(ph_vb_driver.driver.bus, NULL, &h, ph_vb_find_holder);
	if (!h.found) {
		pr_err("host_channel=virtio: no virtio-balloon device in this guest (QEMU: -device virtio-balloon-pci,free-page-reporting=on)\n");
		return -ENODEV;
	}
	if (h.drv[0]) {
		pr_err("host_channel=virtio: %s is bound to %s; free it with 'rmmod %s' (and 'blacklist %s' in /etc/modprobe.d/ to keep it free) or 'echo %s > /sys/bus/virtio/drivers/%s/unbind', then set host_channel=virtio again\n",
		       h.dev, h.drv, h.drv, h.drv, h.dev, h.drv);
		return -EBUSY;
	}
	if (!READ_ONCE(ph_vb_probed)) {
		pr_err("host_channel=virtio: the driver core did not probe %s (its own step failed, see above); set host_channel=virtio again\n",
		       h.dev);
		return -EAGAIN;
	}
	err = READ_ONCE(ph_vb_probe_err);
	pr_err("host_channel=virtio: %s could not be set up: %d\n", h.dev, err);
	return err ?: -EIO;
}

/*
 * Start or stop driving the device. Context: process, ph_policy_lock
 * held (policy host_channel, load, unload).
 */
static int ph_vb_enable(bool on)
{
	bool bound;
	int ret;

	lockdep_assert_held(&ph_policy_lock);
	if (!on) {
		if (ph_vb_registered)
			unregister_virtio_driver(&ph_vb_driver);
		if (ph_vb_host_ref)
			ph_host_device_put();
		ph_vb_registered = ph_vb_host_ref = false;
		return 0;
	}
	if (ph_vb_registered)
		return 0;
	/* without the page-state engine nothing is known volatile */
	ph_vb_host_ref = !ph_host_device_get();
	if (!ph_vb_host_ref)
		pr_info("volatile page cache is not dropped for the host: the host component is off\n");
	ph_vb_channel.drop_volatile =
		ph_vb_host_ref ? ph_host_drop_volatile : NULL;
	WRITE_ONCE(ph_vb_probe_err, 0);
	WRITE_ONCE(ph_vb_probed, false);
	ret = register_virtio_driver(&ph_vb_driver);
	if (ret) {
		ph_vb_enable(false);
		return ret;
	}
	ph_vb_registered = true;
	mutex_lock(&ph_vb_dev_lock);
	bound = ph_vb;
	mutex_unlock(&ph_vb_dev_lock);
	if (bound)
		return 0;
	ret = ph_vb_explain();
	ph_vb_enable(false);
	return ret;
}

/**
 * ph_host_channel_set() - apply policy host_channel
 * @val: enum ph_host_channel
 *
 * Context: process, ph_policy_lock held.
 * Return: 0, or why the virtio device cannot be driven (nothing changed).
 */
int ph_host_channel_set(unsigned long val)
{
	int ret;

	ret = ph_vb_enable(val == PH_CHANNEL_VIRTIO);
	if (!ret)
		WRITE_ONCE(ph_host_channel, val);
	return ret;
}

/* A snapshot for host/device. Context: process. */
void ph_vb_get_stats(struct ph_vb_stats *s)
{
	struct ph_vb *vb;

	memset(s, 0, sizeof(*s));
	mutex_lock(&ph_vb_dev_lock);
	vb = ph_vb;
	if (!vb)
		goto out;
	s->bound = true;
	strscpy(s->dev_name, dev_name(&vb->vdev->dev), sizeof(s->dev_name));
	s->features = vb->vdev->features;
	s->fph_placeholder = ph_vb_fph_offered;
	s->target = ph_vb_read_target(vb);
	s->balloon = ph_balloon_size();
	mutex_lock(&ph_vb_lock);
	s->actual = vb->actual;
	s->inflated = vb->inflated;
	s->deflated = vb->deflated;
	s->migrated = vb->migrated;
	s->round_trips = vb->round_trips;
	s->tell_errors = vb->tell_errors;
	s->target_changes = vb->target_changes;
	s->stats_requests = vb->stats_requests;
	mutex_unlock(&ph_vb_lock);
out:
	mutex_unlock(&ph_vb_dev_lock);
}

/* ---- policy host_channel ------------------------------------------------- */

static const char *const ph_channel_names[] = {
	PH_LIST(PH_CHANNELS(PH_NAME, PH_NAME))
};

/* The live value; written under ph_policy_lock after a successful switch. */
unsigned long ph_host_channel = PH_CHANNEL_SIM;

const char *ph_host_channel_name(void)
{
	return ph_channel_names[READ_ONCE(ph_host_channel)];
}

/* "sim" or "virtio" into enum ph_host_channel; -EINVAL for anything else */
int ph_host_channel_parse(const char *s, unsigned long *val)
{
	unsigned long i;

	for (i = 0; i < PH_CHANNEL_NR; i++) {
		if (!strcmp(s, ph_channel_names[i])) {
			*val = i;
			return 0;
		}
	}
	return -EINVAL;
}

/* host_channel=sim|virtio at load; applied by the component's init. */
static int ph_channel_param_set(const char *s, const struct kernel_param *kp)
{
	char buf[PAGEHINT_CMD_MAX];

	if (strscpy(buf, s, sizeof(buf)) < 0)
		return -E2BIG;
	return ph_host_channel_parse(strim(buf), &ph_host_channel);
}

static int ph_channel_param_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", ph_host_channel_name());
}

static const struct kernel_param_ops ph_channel_param_ops = {
	.set = ph_channel_param_set,
	.get = ph_channel_param_get,
};
module_param_cb(host_channel, &ph_channel_param_ops, NULL, 0444);
MODULE_PARM_DESC(host_channel,
		 "who plays the host: sim, the simulated host, or virtio, QEMU's virtio-balloon device [sim/virtio]");

/* ---- component ----------------------------------------------------------- */

static int ph_vb_init(void)
{
	int ret;

	ret = ph_report_init();
	if (ret)
		return ret;
	if (ph_host_channel != PH_CHANNEL_VIRTIO)
		return 0;
	mutex_lock(&ph_policy_lock);
	ret = ph_vb_enable(true);
	mutex_unlock(&ph_policy_lock);
	/* asked for at load: fail the load, do not fall back quietly */
	return ret == -ENODEV ? -ENXIO : ret;
}

static void ph_vb_exit(void)
{
	mutex_lock(&ph_policy_lock);
	ph_vb_enable(false);
	mutex_unlock(&ph_policy_lock);
}

const struct ph_component ph_host_virtio_component = {
	.name = "virtio",
	.init = ph_vb_init,
	.exit = ph_vb_exit,
};
