// SPDX-License-Identifier: GPL-2.0
/*
 * phtest zspool/: a workload driver for pagehint's zspool, through its
 * exported API only (include/ph_zspool.h).
 *
 *   ctl      (0200) one command per write:
 *            create [CAPACITY]    make the workload pool "workload" (table
 *                                 of CAPACITY objects, default 262144, max
 *                                 4194304)
 *            destroy              free the pool, live objects included
 *            alloc N MIN MAX      N objects, sizes uniform in [MIN, MAX];
 *                                 object i holds a pattern derived from its
 *                                 id (id in the first 8 bytes), and the
 *                                 table keeps its crc32
 *            free PCT             free PCT % of the live objects at random
 *            verify               read every object back; -EIO on a bad one
 *            compact              zspool_compact()
 *            contig ROUNDS        alloc_contig_range() + free_contig_range()
 *                                 over every run of physically contiguous
 *                                 pool pages, ROUNDS times (forces migration
 *                                 of pool pages)
 *            stress THREADS MS    THREADS kernel threads allocate, write,
 *                                 verify and free their own objects for MS
 *                                 milliseconds while one thread compacts and
 *                                 one runs the contig pass
 *            try SIZE             zspool_malloc(SIZE) + zspool_free: the
 *                                 API's answer to SIZE as the write's errno
 *   pool     (0400) "key value" lines: the workload pool's counters
 *            (zspool_stats()) and the workload's (verify, contig, stress)
 *
 * The pool's size classes are in pagehint's own zspool/classes. Commands
 * run one at a time (zw_lock). A rejected command changes nothing.
 */
#define pr_fmt(fmt) "phtest: zspool: " fmt

#include <linux/module.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/mutex.h>
#include <linux/kthread.h>
#include <linux/delay.h>
#include <linux/random.h>
#include <linux/prandom.h>
#include <linux/crc32.h>
#include <linux/sort.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include "pagehint.h"
#include "ph_compat.h"
#include "ph_zspool.h"
#include "ph_debugfs.h"
#include "phtest.h"

#define ZW_CAP_DEFAULT	262144UL
#define ZW_CAP_MAX	4194304UL
#define ZW_RUN_MAX	64		/* pages per alloc_contig_range call */
#define ZW_STRESS_MAX_THREADS	16
#define ZW_STRESS_MAX_MS	120000UL
#define ZW_STRESS_OBJS	512		/* objects per stress thread */
#define ZW_CONTIG_MAX_ROUNDS	1000UL

struct zw_obj {
	unsigned long handle;
	u64 id;
	u32 size;
	u32 crc;
};

/* The workload: everything below is protected by zw_lock. */
static DEFINE_MUTEX(zw_lock);
static struct zspool *zw_pool;
static struct zw_obj *zw_objs;
static unsigned long zw_cap, zw_n;
static u64 zw_next_id;
static u64 zw_payload;
static struct rnd_state zw_rnd;
/* last results, for the "pool" file */
static u64 zw_verified, zw_corrupt, zw_lost, zw_last_freed;
static u64 zw_contig_ok, zw_contig_busy, zw_contig_pages;
static u64 zw_stress_ops, zw_stress_corrupt, zw_stress_lost;
static u64 zw_stress_left;


/* ---- objects ---- */

/* Fill @buf with the pattern of object @id. */
static void zw_pattern(u64 id, u8 *buf, u32 size)
{
	u64 x = id * 0x9E3779B97F4A7C15ULL + 1;
	u32 i;

	for (i = 0; i < size; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		buf[i] = x;
	}
	memcpy(buf, &id, min_t(u32, size, sizeof(id)));
}

static int zw_obj_new(struct zspool *pool, struct zw_obj *o, u64 id, u32 size,
		      u8 *buf)
{
	int ret;

	ret = zspool_malloc(pool, size, GFP_KERNEL, &o->handle);
	if (ret)
		return ret;
	o->id = id;
	o->size = size;
	zw_pattern(id, buf, size);
	o->crc = crc32_le(~0, buf, size);
	return zspool_write(pool, o->handle, buf, size);
}

/* 0 good, 1 corrupt (content changed), 2 lost (another object's bytes) */
static int zw_obj_check(struct zspool *pool, struct zw_obj *o, u8 *buf)
{
	u64 id = 0;

	if (zspool_read(pool, o->handle, buf, o->size))
		return 2;
	memcpy(&id, buf, min_t(u32, o->size, sizeof(id)));
	if (o->size >= sizeof(id) && id != o->id)
		return 2;
	return crc32_le(~0, buf, o->size) != o->crc;
}

static u32 zw_rand_size(struct rnd_state *r, u32 lo, u32 hi)
{
	return lo + prandom_u32_state(r) % (hi - lo + 1);
}

/* ---- commands ---- */

static int zw_create(unsigned long cap)
{
	if (zw_pool)
		return -EEXIST;
	if (!cap || cap > ZW_CAP_MAX)
		return -ERANGE;
	zw_objs = kvcalloc(cap, sizeof(*zw_objs), GFP_KERNEL);
	if (!zw_objs)
		return -ENOMEM;
	zw_pool = zspool_create("workload");
	if (!zw_pool) {
		kvfree(zw_objs);
		zw_objs = NULL;
		return -ENOMEM;
	}
	zw_cap = cap;
	zw_n = 0;
	zw_payload = 0;
	zw_next_id = 1;
	prandom_seed_state(&zw_rnd, 42);
	return 0;
}

static void zw_destroy(void)
{
	zspool_destroy(zw_pool);
	zw_pool = NULL;
	kvfree(zw_objs);
	zw_objs = NULL;
	zw_n = zw_cap = 0;
	zw_payload = 0;
}

static int zw_alloc(unsigned long n, unsigned long lo, unsigned long hi)
{
	unsigned long i;
	u8 *buf;
	int ret = 0;

	if (!lo || lo > hi)
		return -EINVAL;
	if (hi > PAGE_SIZE)
		return -E2BIG;
	if (!n || n > ZW_CAP_MAX)
		return -ERANGE;
	if (n > zw_cap - zw_n)
		return -ENOSPC;
	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct zw_obj *o = &zw_objs[zw_n];
		u32 size = zw_rand_size(&zw_rnd, lo, hi);

		ret = zw_obj_new(zw_pool, o, zw_next_id, size, buf);
		if (ret)
			break;
		zw_next_id++;
		zw_n++;
		zw_payload += size;
		if (!(i & 1023))
			cond_resched();
	}
	kfree(buf);
	return ret;
}

static void zw_free_at(unsigned long j)
{
	zspool_free(zw_pool, zw_objs[j].handle);
	zw_payload -= zw_objs[j].size;
	zw_objs[j] = zw_objs[--zw_n];
}

static int zw_free(unsigned long pct)
{
	unsigned long k;

	if (!pct || pct > 100)
		return -ERANGE;
	for (k = zw_n * pct / 100; k; k--) {
		zw_free_at(prandom_u32_state(&zw_rnd) % zw_n);
		if (!(k & 1023))
			cond_resched();
	}
	return 0;
}

static int zw_verify(void)
{
	unsigned long i;
	u8 *buf;
	int r;

	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	zw_verified = zw_corrupt = zw_lost = 0;
	for (i = 0; i < zw_n; i++) {
		r = zw_obj_check(zw_pool, &zw_objs[i], buf);
		if (r == 1)
			zw_corrupt++;
		else if (r == 2)
			zw_lost++;
		else
			zw_verified++;
		if (!(i & 1023))
			cond_resched();
	}
	kfree(buf);
	return zw_corrupt || zw_lost ? -EIO : 0;
}

#if PH_HAVE_CONTIG_ALLOC
static int zw_pfn_cmp(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a;
	unsigned long y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/*
 * One pass of the alloc_contig_range hook: take every run of contiguous
 * pool pages (same zone, at most ZW_RUN_MAX), allocate it (the core
 * migrates our pages out of it), give it back.
 */
static int zw_contig_pass(struct zspool *pool, u64 *ok, u64 *busy, u64 *pages)
{
	unsigned long n, i, start, len, max;
	unsigned long *pfns;
	struct zspool_stats st;

	zspool_stats(pool, &st);
	max = st.pages + 64;
	pfns = kvmalloc_array(max, sizeof(*pfns), GFP_KERNEL);
	if (!pfns)
		return -ENOMEM;
	n = zspool_pfns(pool, pfns, max);
	sort(pfns, n, sizeof(*pfns), zw_pfn_cmp, NULL);
	for (i = 0; i < n; i += len) {
		start = pfns[i];
		for (len = 1; i + len < n && len < ZW_RUN_MAX &&
		     pfns[i + len] == start + len &&
		     page_zone(pfn_to_page(start + len)) ==
		     page_zone(pfn_to_page(start)); len++)
			;
		if (!alloc_contig_range(start, start + len, PH_CONTIG_MOVABLE,
					GFP_KERNEL)) {
			free_contig_range(start, len);
			(*ok)++;
			*pages += len;
		} else {
			(*busy)++;
		}
		cond_resched();
		if (((current->flags & PF_KTHREAD) && kthread_should_stop()) ||
		    fatal_signal_pending(current))
			break;
	}
	kvfree(pfns);
	return 0;
}
#else
static int zw_contig_pass(struct zspool *pool, u64 *ok, u64 *busy, u64 *pages)
{
	return -EOPNOTSUPP;
}
#endif

static int zw_contig(unsigned long rounds)
{
	int ret = 0;

	if (!rounds || rounds > ZW_CONTIG_MAX_ROUNDS)
		return -ERANGE;
	if (!zspool_movable() || !PH_HAVE_CONTIG_ALLOC)
		return -EOPNOTSUPP;
	zw_contig_ok = zw_contig_busy = zw_contig_pages = 0;
	while (rounds-- && !ret && !fatal_signal_pending(current))
		ret = zw_contig_pass(zw_pool, &zw_contig_ok, &zw_contig_busy,
				     &zw_contig_pages);
	return ret;
}

static int zw_try(unsigned long size)
{
	unsigned long h;
	int ret;

	ret = zspool_malloc(zw_pool, size, GFP_KERNEL, &h);
	if (!ret)
		zspool_free(zw_pool, h);
	return ret;
}

/* ---- stress ---- */

struct zw_worker {
	struct task_struct *task;
	struct rnd_state rnd;
	struct zw_obj objs[ZW_STRESS_OBJS];
	unsigned int n;
	u64 ops, corrupt, lost, id_base;
	int kind;	/* 0 object worker, 1 compactor, 2 migrator */
};

static void zw_worker_check(struct zw_worker *w, struct zw_obj *o, u8 *buf)
{
	int r = zw_obj_check(zw_pool, o, buf);

	if (r == 1)
		w->corrupt++;
	else if (r == 2)
		w->lost++;
}

static void zw_worker_step(struct zw_worker *w, u8 *buf)
{
	u32 r = prandom_u32_state(&w->rnd) % 100;
	struct zw_obj *o;
	unsigned int j;

	if (r < 45 && w->n < ZW_STRESS_OBJS) {
		o = &w->objs[w->n];
		if (!zw_obj_new(zw_pool, o, w->id_base++,
				zw_rand_size(&w->rnd, 1, PAGE_SIZE), buf))
			w->n++;
	} else if (r < 75 && w->n) {
		j = prandom_u32_state(&w->rnd) % w->n;
		zw_worker_check(w, &w->objs[j], buf);
		zspool_free(zw_pool, w->objs[j].handle);
		w->objs[j] = w->objs[--w->n];
	} else if (w->n) {
		zw_worker_check(w, &w->objs[prandom_u32_state(&w->rnd) % w->n],
				buf);
	}
	w->ops++;
}

static int zw_worker_fn(void *arg)
{
	struct zw_worker *w = arg;
	u64 ok = 0, busy = 0, pages = 0;
	u8 *buf = kmalloc(PAGE_SIZE, GFP_KERNEL);

	while (!kthread_should_stop()) {
		if (w->kind == 1) {
			zspool_compact(zw_pool);
			w->ops++;
			usleep_range(500, 1000);
		} else if (w->kind == 2) {
			zw_contig_pass(zw_pool, &ok, &busy, &pages);
			w->ops += pages;
			pages = 0;
			usleep_range(500, 1000);
		} else if (buf) {
			zw_worker_step(w, buf);
			if (!(w->ops & 63))
				cond_resched();
		} else {
			usleep_range(1000, 2000);
		}
	}
	while (w->n) {
		if (buf)
			zw_worker_check(w, &w->objs[w->n - 1], buf);
		zspool_free(zw_pool, w->objs[--w->n].handle);
	}
	kfree(buf);
	return 0;
}

static int zw_stress(unsigned long threads, unsigned long ms)
{
	struct zw_worker *w;
	unsigned long i, nw = threads + 2;
	u64 left = 0;
	int ret = 0;

	if (!threads || threads > ZW_STRESS_MAX_THREADS || !ms ||
	    ms > ZW_STRESS_MAX_MS)
		return -ERANGE;
	w = vzalloc(nw * sizeof(*w));
	if (!w)
		return -ENOMEM;
	for (i = 0; i < nw; i++) {
		w[i].kind = i < threads ? 0 : (i == threads ? 1 : 2);
		if (w[i].kind == 2 &&
		    (!zspool_movable() || !PH_HAVE_CONTIG_ALLOC))
			continue;
		prandom_seed_state(&w[i].rnd, 1000 + i);
		w[i].id_base = (u64)(i + 1) << 48;
		w[i].task = kthread_run(zw_worker_fn, &w[i], "zspool-st/%lu",
					i);
		if (IS_ERR(w[i].task)) {
			ret = PTR_ERR(w[i].task);
			w[i].task = NULL;
			break;
		}
	}
	if (!ret)
		msleep_interruptible(ms);
	zw_stress_ops = zw_stress_corrupt = zw_stress_lost = 0;
	for (i = 0; i < nw; i++) {
		if (!w[i].task)
			continue;
		kthread_stop(w[i].task);
		zw_stress_ops += w[i].ops;
		zw_stress_corrupt += w[i].corrupt;
		zw_stress_lost += w[i].lost;
	}
	for (i = 0; i < nw; i++)
		left += w[i].n;
	zw_stress_left = left;
	vfree(w);
	if (!ret && (zw_stress_corrupt || zw_stress_lost))
		ret = -EIO;
	return ret;
}

/* ---- ctl ---- */

/* Parse "WORD [N [N [N]]]": exactly @want numbers, all unsigned. */
static int zw_args(char *s, unsigned long *v, int want)
{
	char *tok;
	int n = 0;

	while ((tok = strsep(&s, " \t"))) {
		if (!*tok)
			continue;
		if (n == want)
			return -EINVAL;
		if (kstrtoul(tok, 0, &v[n]))
			return -EINVAL;
		n++;
	}
	return n == want ? 0 : -EINVAL;
}

static int zw_do_alloc(unsigned long *v) { return zw_alloc(v[0], v[1], v[2]); }
static int zw_do_free(unsigned long *v) { return zw_free(v[0]); }
static int zw_do_verify(unsigned long *v) { return zw_verify(); }
static int zw_do_contig(unsigned long *v) { return zw_contig(v[0]); }
static int zw_do_stress(unsigned long *v) { return zw_stress(v[0], v[1]); }
static int zw_do_try(unsigned long *v) { return zw_try(v[0]); }

static int zw_do_compact(unsigned long *v)
{
	zw_last_freed = zspool_compact(zw_pool);
	return 0;
}

static int zw_do_destroy(unsigned long *v)
{
	zw_destroy();
	return 0;
}

/* Commands that need the pool: name, number of arguments, handler. */
static const struct {
	const char *name;
	int nargs;
	int (*fn)(unsigned long *v);
} zw_cmds[] = {
	{ "destroy", 0, zw_do_destroy }, { "alloc", 3, zw_do_alloc },
	{ "free", 1, zw_do_free }, { "verify", 0, zw_do_verify },
	{ "compact", 0, zw_do_compact }, { "contig", 1, zw_do_contig },
	{ "stress", 2, zw_do_stress }, { "try", 1, zw_do_try },
};

static int zw_cmd(char *buf)
{
	char *args = buf, *cmd = strsep(&args, " \t");
	unsigned long v[3] = { ZW_CAP_DEFAULT };
	unsigned int i;
	int ret;

	if (!strcmp(cmd, "create")) {
		if (args && zw_args(args, v, 1))
			return -EINVAL;
		return zw_create(v[0]);
	}
	for (i = 0; i < ARRAY_SIZE(zw_cmds); i++) {
		if (strcmp(cmd, zw_cmds[i].name))
			continue;
		if (zw_cmds[i].nargs)
			ret = args ? zw_args(args, v, zw_cmds[i].nargs) : -EINVAL;
		else
			ret = args ? -EINVAL : 0;
		if (ret)
			return ret;
		if (!zw_pool)
			return -ENOENT;
		return zw_cmds[i].fn(v);
	}
	return -EINVAL;
}

static int ctl_store(char *cmd, void *data)
{
	int ret;

	if (mutex_lock_interruptible(&zw_lock))
		return -EINTR;
	ret = zw_cmd(cmd);
	mutex_unlock(&zw_lock);
	return ret;
}
PH_DEBUGFS_STORE(ctl);

static int pool_show(struct seq_file *m, void *v)
{
	struct zspool_stats st = {};

	mutex_lock(&zw_lock);
	if (zw_pool)
		zspool_stats(zw_pool, &st);
	seq_printf(m, "created %d\nmovable %d\ncontig_hook %d\n", !!zw_pool,
		   zspool_movable(), zspool_movable() && PH_HAVE_CONTIG_ALLOC);
	seq_printf(m, "pages %lu\npool_objects %lu\nslot_bytes %llu\n",
		   st.pages, st.objects, st.slot_bytes);
	seq_printf(m, "objects %lu\npayload %llu\nefficiency_pct %llu\n",
		   zw_n, zw_payload, st.pages ?
		   div64_u64(zw_payload * 100, (u64)st.pages * PAGE_SIZE) : 0);
	seq_printf(m, "migrated %llu\nmigrate_busy %llu\n", st.migrated,
		   st.migrate_busy);
	seq_printf(m, "compactions %llu\ncompact_moved %llu\ncompact_freed %llu\nlast_compact_freed %llu\n",
		   st.compactions, st.compact_moved, st.compact_freed,
		   zw_last_freed);
	seq_printf(m, "verified %llu\ncorrupt %llu\nlost %llu\n",
		   zw_verified, zw_corrupt, zw_lost);
	seq_printf(m, "contig_ok %llu\ncontig_busy %llu\ncontig_pages %llu\n",
		   zw_contig_ok, zw_contig_busy, zw_contig_pages);
	seq_printf(m, "stress_ops %llu\nstress_corrupt %llu\nstress_lost %llu\nstress_left %llu\n",
		   zw_stress_ops, zw_stress_corrupt, zw_stress_lost,
		   zw_stress_left);
	mutex_unlock(&zw_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pool);

/* zspool/: the workload driver's files. */
void phtest_zspool_init(struct dentry *root)
{
	struct dentry *dir = debugfs_create_dir("zspool", root);

	debugfs_create_file("ctl", 0200, dir, NULL, &ctl_fops);
	debugfs_create_file("pool", 0400, dir, NULL, &pool_fops);
}

/* After the files went: the workload pool goes with the module. */
void phtest_zspool_exit(void)
{
	mutex_lock(&zw_lock);
	if (zw_pool)
		zw_destroy();
	mutex_unlock(&zw_lock);
}
