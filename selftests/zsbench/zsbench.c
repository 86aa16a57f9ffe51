// SPDX-License-Identifier: GPL-2.0
/*
 * zsbench: the same workloads on pagehint's zspool and on the kernel's
 * zsmalloc, side by side. Loaded after pagehint.ko and zsmalloc.ko; runs
 * once at load (module parameters below) and leaves its table in
 * /sys/kernel/debug/zsbench/results until unloaded.
 *
 * Per size distribution and allocator:
 *   1. allocate payload_mb MiB worth of objects (sizes from a seeded PRNG: both allocators
 *      get the same sequence) and write each one (zspool_write /
 *      zs_map_object + memcpy + zs_unmap_object)
 *   2. memory efficiency = payload bytes / (pool pages * PAGE_SIZE)
 *   3. migration: alloc_contig_range + free_contig_range over every run of
 *      contiguous pool pages; pages moved = pgmigrate_success delta
 *   4. free 70 % at random (same choice for both), compact: pages freed
 *   5. free the rest
 * One warm-up round of each allocator runs first and is not reported.
 * Rates use ktime (guest time; under -icount it counts instructions).
 * alloc+free rate = 2 * objects / (time of all allocs + all frees).
 */
#define pr_fmt(fmt) "zsbench: " fmt

#include <linux/module.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/random.h>
#include <linux/prandom.h>
#include <linux/sort.h>
#include <linux/mm.h>
#include <linux/gfp.h>
#include <linux/vmstat.h>
#include <linux/memory_hotplug.h>
#include <linux/ktime.h>
#include <linux/zsmalloc.h>
#include "ph_compat.h"
#include "ph_zspool.h"

static unsigned int payload_mb = 40;
module_param(payload_mb, uint, 0444);
MODULE_PARM_DESC(payload_mb, "payload per run in MiB; objects = payload / mean size (default 40, max 256)");
#define ZB_MAX_OBJECTS	2000000U
static unsigned int free_pct = 70;
module_param(free_pct, uint, 0444);
MODULE_PARM_DESC(free_pct, "percent freed at random before compaction (default 70)");

#define ZB_RUN_MAX	64

struct zb_dist {
	const char *name;
	u32 (*size)(struct rnd_state *r);
	u32 mean;	/* expected size, to size runs to payload_mb */
};

static u32 zb_small(struct rnd_state *r)
{
	return 32 + prandom_u32_state(r) % 225;		/* 32..256 */
}

static u32 zb_uniform(struct rnd_state *r)
{
	return 1 + prandom_u32_state(r) % PAGE_SIZE;	/* 1..4096 */
}

/* compressed 4 KiB pages: mostly 1-3 KiB, some near-incompressible */
static u32 zb_zram(struct rnd_state *r)
{
	u32 p = prandom_u32_state(r) % 100;

	if (p < 15)
		return 64 + prandom_u32_state(r) % 448;
	if (p < 85)
		return 1024 + prandom_u32_state(r) % 2048;
	return 3072 + prandom_u32_state(r) % (PAGE_SIZE - 3072 + 1);
}

static const struct zb_dist zb_dists[] = {
	{ "small", zb_small, 144 },
	{ "uniform", zb_uniform, (PAGE_SIZE + 1) / 2 },
	/* 0.15 * 288 + 0.70 * 2048 + 0.15 * (3072 + PAGE_SIZE) / 2 */
	{ "zram", zb_zram, 43 + 1434 + 15 * (3072 + PAGE_SIZE) / 200 },
};

/* One allocator behind four calls. */
struct zb_ops {
	const char *name;
	void *(*create)(void);
	void (*destroy)(void *p);
	unsigned long (*alloc)(void *p, u32 size, const void *src);
	void (*free)(void *p, unsigned long h);
	unsigned long (*pages)(void *p);
	unsigned long (*compact)(void *p);
	unsigned long (*pfns)(void *p, unsigned long *pfns, unsigned long max);
};

static void *zb_zspool_create(void) { return zspool_create("zsbench"); }
static void zb_zspool_destroy(void *p) { zspool_destroy(p); }

static unsigned long zb_zspool_alloc(void *p, u32 size, const void *src)
{
	unsigned long h;

	if (zspool_malloc(p, size, GFP_KERNEL, &h))
		return 0;
	zspool_write(p, h, src, size);
	return h;
}

static void zb_zspool_free(void *p, unsigned long h) { zspool_free(p, h); }

static unsigned long zb_zspool_pages(void *p)
{
	struct zspool_stats st;

	zspool_stats(p, &st);
	return st.pages;
}

static unsigned long zb_zspool_compact(void *p) { return zspool_compact(p); }

static unsigned long zb_zspool_pfns(void *p, unsigned long *pfns,
				    unsigned long max)
{
	return zspool_pfns(p, pfns, max);
}

static void *zb_zs_create(void) { return zs_create_pool("zsbench"); }
static void zb_zs_destroy(void *p) { zs_destroy_pool(p); }

static unsigned long zb_zs_alloc(void *p, u32 size, const void *src)
{
	unsigned long h = ph_zs_malloc(p, size, GFP_KERNEL | __GFP_HIGHMEM |
				       __GFP_MOVABLE);

	if (IS_ERR_VALUE(h))
		return 0;
	ph_zs_write(p, h, src, size);
	return h;
}

static void zb_zs_free(void *p, unsigned long h) { zs_free(p, h); }
static unsigned long zb_zs_pages(void *p) { return zs_get_total_pages(p); }
static unsigned long zb_zs_compact(void *p) { return zs_compact(p); }

/*
 * zsmalloc does not list its pages: find them by their page type
 * (PGTY_zsmalloc, 6.10 on), or before it by their page->mapping (movable
 * ops | PAGE_MAPPING_MOVABLE), learnt from a page we know. The scan reads
 * without locks; alloc_contig_range checks for itself.
 */
#ifndef PH_HAVE_PAGE_ZSMALLOC
static unsigned long zb_zs_mapping;
#endif

static bool zb_zs_page(struct page *page)
{
#ifdef PH_HAVE_PAGE_ZSMALLOC
	return PageZsmalloc(page);
#else
	return (unsigned long)READ_ONCE(page->mapping) == zb_zs_mapping;
#endif
}

static unsigned long zb_zs_pfns(void *p, unsigned long *pfns,
				unsigned long max)
{
	unsigned long pfn, n = 0;
	int nid;

	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);

		for (pfn = pgdat->node_start_pfn; pfn < pgdat_end_pfn(pgdat) &&
		     n < max; pfn++) {
			struct page *page = pfn_to_online_page(pfn);

			if (page && zb_zs_page(page))
				pfns[n++] = pfn;
		}
	}
	return n;
}

static const struct zb_ops zb_ops[] = {
	{ "zspool", zb_zspool_create, zb_zspool_destroy, zb_zspool_alloc,
	  zb_zspool_free, zb_zspool_pages, zb_zspool_compact, zb_zspool_pfns },
	{ "zsmalloc", zb_zs_create, zb_zs_destroy, zb_zs_alloc, zb_zs_free,
	  zb_zs_pages, zb_zs_compact, zb_zs_pfns },
};

struct zb_result {
	unsigned int objects;
	u64 payload;
	unsigned long pages;
	u64 alloc_ns, free_ns;
	unsigned long mig_pages;
	u64 mig_ns;
	unsigned long pages_before_compact, compact_freed;
	unsigned int failed;
};

static char *zb_text;
static size_t zb_len;
#define ZB_TEXT_MAX	8192

static __printf(1, 2) void zb_out(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	zb_len += vscnprintf(zb_text + zb_len, ZB_TEXT_MAX - zb_len, fmt, ap);
	va_end(ap);
}

#ifdef CONFIG_CONTIG_ALLOC
static unsigned long zb_migrated(void)
{
	unsigned long ev[NR_VM_EVENT_ITEMS];

	all_vm_events(ev);
	return ev[PGMIGRATE_SUCCESS];
}

static int zb_ulong_cmp(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a;
	unsigned long y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

static void zb_migrate(const struct zb_ops *ops, void *pool,
		       struct zb_result *r)
{
	unsigned long max = ops->pages(pool) + 64, n, i, len, m0;
	unsigned long *pfns = kvmalloc_array(max, sizeof(*pfns), GFP_KERNEL);
	u64 t0;

	if (!pfns)
		return;
	n = ops->pfns(pool, pfns, max);
	sort(pfns, n, sizeof(*pfns), zb_ulong_cmp, NULL);
	m0 = zb_migrated();
	t0 = ktime_get_ns();
	for (i = 0; i < n; i += len) {
		for (len = 1; i + len < n && len < ZB_RUN_MAX &&
		     pfns[i + len] == pfns[i] + len &&
		     page_zone(pfn_to_page(pfns[i] + len)) ==
		     page_zone(pfn_to_page(pfns[i])); len++)
			;
		if (!alloc_contig_range(pfns[i], pfns[i] + len,
					MIGRATE_MOVABLE, GFP_KERNEL))
			free_contig_range(pfns[i], len);
	}
	r->mig_ns = ktime_get_ns() - t0;
	r->mig_pages = zb_migrated() - m0;
	kvfree(pfns);
}
#else
static void zb_migrate(const struct zb_ops *ops, void *pool,
		       struct zb_result *r)
{
}
#endif

static unsigned int zb_objects(const struct zb_dist *d)
{
	return min_t(u64, ZB_MAX_OBJECTS, ((u64)payload_mb << 20) / d->mean);
}

static int zb_run(const struct zb_ops *ops, const struct zb_dist *d,
		  unsigned long *h, u8 *buf, struct zb_result *r)
{
	unsigned int objects = zb_objects(d);
	struct rnd_state rnd;
	unsigned int i, k, left;
	void *pool;
	u64 t0;

	memset(r, 0, sizeof(*r));
	r->objects = objects;
	pool = ops->create();
	if (!pool)
		return -ENOMEM;
	prandom_seed_state(&rnd, 1);
	t0 = ktime_get_ns();
	for (i = 0; i < objects; i++) {
		u32 size = d->size(&rnd);

		h[i] = ops->alloc(pool, size, buf);
		if (!h[i])
			r->failed++;
		else
			r->payload += size;
	}
	r->alloc_ns = ktime_get_ns() - t0;
	r->pages = ops->pages(pool);
	zb_migrate(ops, pool, r);

	/* free free_pct % at random: the same choice for both allocators */
	prandom_seed_state(&rnd, 2);
	left = objects;
	t0 = ktime_get_ns();
	for (k = objects / 100 * free_pct; k; k--) {
		i = prandom_u32_state(&rnd) % left;
		ops->free(pool, h[i]);
		h[i] = h[--left];
	}
	r->free_ns = ktime_get_ns() - t0;
	r->pages_before_compact = ops->pages(pool);
	r->compact_freed = ops->compact(pool);
	t0 = ktime_get_ns();
	for (i = 0; i < left; i++)
		ops->free(pool, h[i]);
	r->free_ns += ktime_get_ns() - t0;
	ops->destroy(pool);
	return 0;
}

/* zsmalloc's page->mapping: from the page of a small object we map. */
static int zb_learn_zs_mapping(void)
{
#ifdef PH_HAVE_PAGE_ZSMALLOC
	return 0;
#else
	struct zs_pool *pool = zs_create_pool("zsbench-probe");
	unsigned long h;
	void *va;

	if (!pool)
		return -ENOMEM;
	h = zs_malloc(pool, 32, GFP_KERNEL | __GFP_MOVABLE);
	if (IS_ERR_VALUE(h)) {
		zs_destroy_pool(pool);
		return -ENOMEM;
	}
	va = zs_map_object(pool, h, ZS_MM_RO);
	zb_zs_mapping = (unsigned long)READ_ONCE(virt_to_page(va)->mapping);
	zs_unmap_object(pool, h);
	zs_free(pool, h);
	zs_destroy_pool(pool);
	return 0;
#endif
}

static u64 zb_rate(u64 ops, u64 ns)
{
	return ns ? div64_u64(ops * NSEC_PER_SEC, ns) : 0;
}

static void zb_report(const char *dist, const char *alloc,
		      const struct zb_result *r)
{
	zb_out("%-8s %-9s %8u %10llu %7lu %4llu %9llu %7lu %7lu %4lu %7lu %9llu %6u\n",
	       dist, alloc, r->objects, r->payload, r->pages,
	       r->pages ? div64_u64(r->payload * 100,
				    (u64)r->pages * PAGE_SIZE) : 0,
	       zb_rate(2ULL * (r->objects - r->failed),
		       r->alloc_ns + r->free_ns),
	       r->pages_before_compact, r->compact_freed,
	       r->pages_before_compact ?
	       r->compact_freed * 100 / r->pages_before_compact : 0,
	       r->mig_pages, zb_rate(r->mig_pages, r->mig_ns), r->failed);
}

static int results_show(struct seq_file *m, void *v)
{
	seq_write(m, zb_text, zb_len);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(results);

static struct dentry *zb_dir;

static int __init zsbench_init(void)
{
	struct zb_result r;
	unsigned long *h;
	unsigned int d, a;
	u8 *buf;
	int ret;

	if (!payload_mb || payload_mb > 256 || free_pct > 100)
		return -ERANGE;
	ret = zb_learn_zs_mapping();
	if (ret)
		return ret;
	zb_text = kzalloc(ZB_TEXT_MAX, GFP_KERNEL);
	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	h = kvmalloc_array(ZB_MAX_OBJECTS, sizeof(*h), GFP_KERNEL);
	ret = -ENOMEM;
	if (!zb_text || !buf || !h)
		goto out;
	memset(buf, 0x5a, PAGE_SIZE);
	zb_out("%-8s %-9s %8s %10s %7s %4s %9s %7s %7s %4s %7s %9s %6s\n",
	       "dist", "alloc", "objects", "payload", "pages", "eff%",
	       "ops_per_s", "pages_c", "freed_c", "c%", "migr", "migr_per_s",
	       "failed");
	/*
	 * Warm-up, not reported: the first run after module load gets pages
	 * from pageblocks the loads left mixed, which skews whichever
	 * allocator would run first.
	 */
	for (a = 0; a < ARRAY_SIZE(zb_ops); a++) {
		ret = zb_run(&zb_ops[a], &zb_dists[0], h, buf, &r);
		if (ret)
			goto out;
	}
	for (d = 0; d < ARRAY_SIZE(zb_dists); d++)
		for (a = 0; a < ARRAY_SIZE(zb_ops); a++) {
			ret = zb_run(&zb_ops[a], &zb_dists[d], h, buf, &r);
			if (ret)
				goto out;
			zb_report(zb_dists[d].name, zb_ops[a].name, &r);
			cond_resched();
		}
	zb_dir = debugfs_create_dir("zsbench", NULL);
	debugfs_create_file("results", 0400, zb_dir, NULL, &results_fops);
	ret = 0;
out:
	kvfree(h);
	kfree(buf);
	if (ret)
		kfree(zb_text);
	return ret;
}

static void __exit zsbench_exit(void)
{
	debugfs_remove_recursive(zb_dir);
	kfree(zb_text);
}

module_init(zsbench_init);
module_exit(zsbench_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("zspool vs zsmalloc benchmark (pagehint selftest)");
