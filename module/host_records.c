// SPDX-License-Identifier: GPL-2.0
/*
 * pagehint host model: the discard records and the discard fault - the
 * guest side of a discard, for the simulated host (module/host.c) and a
 * real host's channel (module/host_virtio.c through host.c).
 *
 * Design
 * ------
 * Discard records. Each discarded page is remembered as (dev, ino, index)
 * with the discard time, in a fixed-size table allocated at load
 * (host_records entries): no allocation after load. When the table is
 * full, the entry under a clock hand is evicted (counted). Records of an
 * inode are dropped when it is evicted (clear_inode(), ftrace, optional);
 * they are also dropped when the host is turned off.
 *
 * Discard fault. Every folio added to the page cache passes the
 * mm_filemap_add_to_page_cache tracepoint. When the table is not empty the
 * probe looks (dev, ino, index) up; a hit is a discard fault: the guest
 * reads back a page the host discarded. It is counted (per CPU), traced
 * with the time since the discard (pagehint:discard_fault) and the record
 * is freed. The probe neither sleeps nor allocates; it takes one spinlock.
 *
 * The records are in use while the hooks are attached
 * (ph_host_records_attach(), counted by host.c); detaching waits for
 * running probes and drops every record.
 *
 * Locking: ph_rec_lock (a spinlock, irq-safe) protects the record table:
 * hashes, free list, clock hand and count. The per-CPU counters are the
 * probes'; the rarer ones are atomics.
 */
#define pr_fmt(fmt) "pagehint: host: " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/fs.h>
#include <linux/hash.h>
#include <linux/vmalloc.h>
#include <linux/spinlock.h>
#include <linux/percpu.h>
#include <linux/ktime.h>
#include "pagehint.h"
#include "ph_compat.h"
#include "ph_hooks.h"
#include "ph_host.h"
#include "ph_host_int.h"
#include "pagehint_trace.h"

static unsigned int ph_host_records = 65536;
module_param_named(host_records, ph_host_records, uint, 0444);
MODULE_PARM_DESC(host_records,
		 "discard records kept (1024..4194304; at load only) [records]");

/* ---- discard records: (dev, ino, index) -> discard time ---- */

struct ph_drec {
	struct hlist_node key_node;	/* on ph_rec_key[] or the free list */
	struct hlist_node ino_node;	/* on ph_rec_ino[] while in use */
	u64 ino;
	pgoff_t index;
	u64 time_ns;
	dev_t dev;
	bool used;
};

/* Protects everything below up to ph_rec_count. */
static DEFINE_SPINLOCK(ph_rec_lock);
static struct ph_drec *ph_rec;		/* ph_host_records entries */
static struct hlist_head *ph_rec_key;	/* by (dev, ino, index) */
static struct hlist_head *ph_rec_ino;	/* by (dev, ino) */
static HLIST_HEAD(ph_rec_free);
static unsigned int ph_rec_key_bits, ph_rec_ino_bits;
static unsigned int ph_rec_hand;	/* clock hand for eviction */
/* Records in use; read locklessly by the fault probe's fast path. */
static atomic_t ph_rec_count = ATOMIC_INIT(0);

/* Per-CPU counters written by the hot paths. */
struct ph_host_pcpu {
	unsigned long faults;
	unsigned long fault_ns_sum;
};
static DEFINE_PER_CPU(struct ph_host_pcpu, ph_host_pcpu);

/* Counters of rarer events (record table, passes). */
static atomic_long_t ph_rec_evicted, ph_rec_dropped_inode,
	ph_rec_dropped_off;

static u64 ph_rec_hash(dev_t dev, u64 ino, pgoff_t index)
{
	return hash_64(((u64)dev << 40) ^ (ino * GOLDEN_RATIO_64) ^ index,
		       ph_rec_key_bits);
}

static u64 ph_rec_ino_hash(dev_t dev, u64 ino)
{
	return hash_64(((u64)dev << 40) ^ ino, ph_rec_ino_bits);
}

static struct ph_drec *ph_rec_find(dev_t dev, u64 ino, pgoff_t index)
{
	struct ph_drec *r;

	lockdep_assert_held(&ph_rec_lock);
	hlist_for_each_entry(r, &ph_rec_key[ph_rec_hash(dev, ino, index)],
			     key_node)
		if (r->index == index && r->ino == ino && r->dev == dev)
			return r;
	return NULL;
}

static void ph_rec_release(struct ph_drec *r)
{
	lockdep_assert_held(&ph_rec_lock);
	hlist_del(&r->key_node);
	hlist_del(&r->ino_node);
	r->used = false;
	hlist_add_head(&r->key_node, &ph_rec_free);
	atomic_dec(&ph_rec_count);
}

/* A free entry; when none is left, the one under the clock hand. */
static struct ph_drec *ph_rec_get(void)
{
	struct ph_drec *r;

	lockdep_assert_held(&ph_rec_lock);
	if (!hlist_empty(&ph_rec_free)) {
		r = hlist_entry(ph_rec_free.first, struct ph_drec, key_node);
		hlist_del(&r->key_node);
		return r;
	}
	/* table full: every entry is in use */
	r = &ph_rec[ph_rec_hand];
	ph_rec_hand = (ph_rec_hand + 1) % ph_host_records;
	hlist_del(&r->key_node);
	hlist_del(&r->ino_node);
	atomic_dec(&ph_rec_count);
	atomic_long_inc(&ph_rec_evicted);
	return r;
}

/* A discarded page: (dev, ino, index) at @now (host.c). Any context. */
void ph_host_record(dev_t dev, u64 ino, pgoff_t index, u64 now)
{
	struct ph_drec *r;
	unsigned long flags;

	spin_lock_irqsave(&ph_rec_lock, flags);
	r = ph_rec_find(dev, ino, index);
	if (r) {
		r->time_ns = now;
		goto out;
	}
	r = ph_rec_get();
	r->dev = dev;
	r->ino = ino;
	r->index = index;
	r->time_ns = now;
	r->used = true;
	hlist_add_head(&r->key_node, &ph_rec_key[ph_rec_hash(dev, ino, index)]);
	hlist_add_head(&r->ino_node, &ph_rec_ino[ph_rec_ino_hash(dev, ino)]);
	atomic_inc(&ph_rec_count);
out:
	spin_unlock_irqrestore(&ph_rec_lock, flags);
}

/* Drop every record; the host was turned off or is going away. */
static void ph_rec_clear(void)
{
	unsigned long flags;
	unsigned int i, n = 0;

	spin_lock_irqsave(&ph_rec_lock, flags);
	for (i = 0; i < ph_host_records; i++) {
		if (!ph_rec[i].used)
			continue;
		ph_rec_release(&ph_rec[i]);
		n++;
	}
	spin_unlock_irqrestore(&ph_rec_lock, flags);
	atomic_long_add(n, &ph_rec_dropped_off);
}

static int ph_rec_alloc(void)
{
	unsigned int i;

	if (ph_host_records < 1024 || ph_host_records > (1U << 22)) {
		pr_err("host_records=%u out of range 1024..4194304\n",
		       ph_host_records);
		return -ERANGE;
	}
	ph_rec_key_bits = ilog2(roundup_pow_of_two(ph_host_records));
	ph_rec_ino_bits = ph_rec_key_bits - 2;
	ph_rec = vcalloc(ph_host_records, sizeof(*ph_rec));
	ph_rec_key = vcalloc(1UL << ph_rec_key_bits, sizeof(*ph_rec_key));
	ph_rec_ino = vcalloc(1UL << ph_rec_ino_bits, sizeof(*ph_rec_ino));
	if (!ph_rec || !ph_rec_key || !ph_rec_ino) {
		vfree(ph_rec);
		vfree(ph_rec_key);
		vfree(ph_rec_ino);
		return -ENOMEM;
	}
	for (i = ph_host_records; i--; )
		hlist_add_head(&ph_rec[i].key_node, &ph_rec_free);
	return 0;
}

static void ph_rec_free_all(void)
{
	vfree(ph_rec);
	vfree(ph_rec_key);
	vfree(ph_rec_ino);
}

/* ---- hooks: discard-fault detection and inode eviction ---- */

static void ph_host_fault_one(dev_t dev, u64 ino, pgoff_t index, u64 now)
{
	struct ph_drec *r;
	unsigned long flags;
	u64 delta = 0;
	bool hit = false;

	spin_lock_irqsave(&ph_rec_lock, flags);
	r = ph_rec_find(dev, ino, index);
	if (r) {
		delta = now - r->time_ns;
		ph_rec_release(r);
		hit = true;
	}
	spin_unlock_irqrestore(&ph_rec_lock, flags);
	if (!hit)
		return;
	this_cpu_inc(ph_host_pcpu.faults);
	this_cpu_add(ph_host_pcpu.fault_ns_sum, delta);
	trace_discard_fault(dev, ino, index, delta);
}

/*
 * mm_filemap_add_to_page_cache: @folio is locked, in the page cache, with
 * a stable ->mapping. Process context; may run under filesystem locks.
 */
static void ph_host_add_probe(struct ph_hook *h, struct folio *folio)
{
	struct inode *inode;
	long i, nr;
	dev_t dev;
	u64 now;

	ph_hook_hit(h);
	if (!atomic_read(&ph_rec_count))
		return;
	inode = folio->mapping->host;
	dev = inode->i_sb ? inode->i_sb->s_dev : inode->i_rdev;
	nr = folio_nr_pages(folio);
	now = ktime_get_ns();
	for (i = 0; i < nr; i++)
		ph_host_fault_one(dev, inode->i_ino, folio->index + i, now);
}

/* clear_inode(inode): the inode is being freed, its records are stale. */
static void ph_host_clear_inode(struct ph_hook *h, unsigned long ip,
				struct ftrace_regs *fregs)
{
	struct inode *inode = (struct inode *)ph_ftrace_arg(fregs, 0);
	struct hlist_node *tmp;
	struct ph_drec *r;
	unsigned long flags, n = 0;
	dev_t dev;

	if (!atomic_read(&ph_rec_count) || !inode->i_sb)
		return;
	dev = inode->i_sb->s_dev;
	spin_lock_irqsave(&ph_rec_lock, flags);
	hlist_for_each_entry_safe(r, tmp,
				  &ph_rec_ino[ph_rec_ino_hash(dev, inode->i_ino)],
				  ino_node) {
		if (r->ino != inode->i_ino || r->dev != dev)
			continue;
		ph_rec_release(r);
		n++;
	}
	spin_unlock_irqrestore(&ph_rec_lock, flags);
	if (n)
		atomic_long_add(n, &ph_rec_dropped_inode);
}

#define PH_HOST_HOOKS(H)						\
	(H(host_discard_fault, TRACEPOINT, "mm_filemap_add_to_page_cache", \
	   0, .tp_probe = ph_host_add_probe)				\
	 H(host_inode_evict, FTRACE, "clear_inode", PH_HOOK_OPTIONAL,	\
	   .ftrace_fn = ph_host_clear_inode))

enum { PH_LIST(PH_HOST_HOOKS(PH_HOOK_ID)) PH_HOST_NR_HOOKS };

static struct ph_hook ph_host_hooks[PH_HOST_NR_HOOKS] = {
	PH_LIST(PH_HOST_HOOKS(PH_HOOK_DEF))
};

/* ---- for host.c ---- */

/* The hooks attached: records start being used. ph_policy_lock. */
int ph_host_records_attach(void)
{
	return ph_hooks_attach_all(ph_host_hooks, PH_HOST_NR_HOOKS);
}

/* The hooks detached and every record dropped. ph_policy_lock. */
void ph_host_records_detach(void)
{
	/* waits for running probes: nobody uses the records after this */
	ph_hooks_detach_all(ph_host_hooks, PH_HOST_NR_HOOKS);
	ph_rec_clear();
}

/* Discard faults counted so far, all CPUs. */
unsigned long ph_host_discard_faults(void)
{
	unsigned long n = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		n += per_cpu(ph_host_pcpu.faults, cpu);
	return n;
}

/* The records' and the discard faults' part of ph_host_status(). */
void ph_host_records_status(struct ph_host_status *st)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		st->discard_faults += per_cpu(ph_host_pcpu.faults, cpu);
		st->fault_ns_sum += per_cpu(ph_host_pcpu.fault_ns_sum, cpu);
	}
	st->records = atomic_read(&ph_rec_count);
	st->records_max = ph_host_records;
	/* the table, its two hashes: allocated at load, never grows */
	st->records_bytes = ph_host_records * sizeof(*ph_rec) +
			    (sizeof(*ph_rec_key) << ph_rec_key_bits) +
			    (sizeof(*ph_rec_ino) << ph_rec_ino_bits);
	st->records_evicted = atomic_long_read(&ph_rec_evicted);
	st->records_dropped_inode = atomic_long_read(&ph_rec_dropped_inode);
	st->records_dropped_off = atomic_long_read(&ph_rec_dropped_off);
}

/* The table allocated and the hooks registered (not attached). */
int ph_host_records_init(void)
{
	int ret;

	ret = ph_rec_alloc();
	if (ret)
		return ret;
	ret = ph_hooks_register("host", ph_host_hooks, PH_HOST_NR_HOOKS);
	if (ret)
		ph_rec_free_all();
	return ret;
}

void ph_host_records_exit(void)
{
	ph_hooks_unregister(ph_host_hooks, PH_HOST_NR_HOOKS);
	ph_rec_free_all();
}
