// SPDX-License-Identifier: GPL-2.0
/*
 * phtest balloon/: test hooks for pagehint's balloon, through its exported
 * helpers (ph_balloon_floor(), ph_balloon_owns()).
 *
 *   probe    (0200) write ORDER: blocks of 2^ORDER pages obtainable now
 *            (no reclaim, no compaction, never below the balloon's floor)
 *   contig   (0200) write "auto" or a PFN: alloc_contig_range() over the
 *            pageblock holding the most balloon pages, or over PFN's
 *            (CONFIG_CONTIG_ALLOC only); the write's errno is its answer
 *   status   (0400) "key value" lines: the last results
 */
#define pr_fmt(fmt) "phtest: balloon: " fmt

#include <linux/module.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/mutex.h>
#include <linux/vmstat.h>
#include "pagehint.h"
#include "ph_compat.h"
#include "ph_balloon.h"
#include "ph_states.h"
#include "ph_debugfs.h"
#include "phtest.h"

/* The last results; serialises the hooks. */
static DEFINE_MUTEX(pt_bl_lock);
static int pt_bl_probe_order;
static unsigned long pt_bl_probe_blocks;
static unsigned long pt_bl_probe_free;	/* free pages after the drain */
static unsigned long pt_bl_contig_ok, pt_bl_contig_fail, pt_bl_contig_pfn;
static unsigned long pt_bl_contig_ours;
static int pt_bl_contig_ret;

static int status_show(struct seq_file *m, void *v)
{
	mutex_lock(&pt_bl_lock);
	seq_printf(m, "%-20s %lu\n", "contig_ok", pt_bl_contig_ok);
	seq_printf(m, "%-20s %lu\n", "contig_fail", pt_bl_contig_fail);
	seq_printf(m, "%-20s %lu\n", "contig_pfn", pt_bl_contig_pfn);
	seq_printf(m, "%-20s %lu\n", "contig_balloon", pt_bl_contig_ours);
	seq_printf(m, "%-20s %d\n", "contig_ret", pt_bl_contig_ret);
	seq_printf(m, "%-20s %d\n", "probe_order", pt_bl_probe_order);
	seq_printf(m, "%-20s %lu\n", "probe_blocks", pt_bl_probe_blocks);
	seq_printf(m, "%-20s %lu\n", "probe_free", pt_bl_probe_free);
	mutex_unlock(&pt_bl_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(status);

/*
 * probe: "ORDER" allocates blocks of 2^ORDER pages without reclaim or
 * compaction until the allocator says no or free memory reaches the floor,
 * counts them and frees them: what is obtainable right now. The per-CPU
 * free lists are drained first, as an allocation that may reclaim would
 * drain them: a few thousand pages parked there would otherwise keep
 * dozens of pageblocks from merging. The result is in status
 * (probe_order, probe_blocks, and probe_free: free pages after the drain).
 */
static unsigned long pt_bl_probe(unsigned int order)
{
	gfp_t gfp = (GFP_HIGHUSER_MOVABLE & ~__GFP_RECLAIM) | __GFP_NOWARN |
		    __GFP_NOMEMALLOC;
	unsigned long floor = ph_balloon_floor(), n = 0;
	struct page *page, *tmp;
	LIST_HEAD(blocks);

	ph_states_drain_pcp();
	pt_bl_probe_free = global_zone_page_state(NR_FREE_PAGES);
	while (global_zone_page_state(NR_FREE_PAGES) > floor + (1UL << order)) {
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

static int probe_store(char *cmd, void *data)
{
	unsigned int order;
	int ret;

	ret = kstrtouint(cmd, 10, &order);
	if (ret)
		return ret == -ERANGE ? -ERANGE : -EINVAL;
	if (order >= PH_NR_PAGE_ORDERS)
		return -ERANGE;
	mutex_lock(&pt_bl_lock);
	pt_bl_probe_order = order;
	pt_bl_probe_blocks = pt_bl_probe(order);
	mutex_unlock(&pt_bl_lock);
	return 0;
}
PH_DEBUGFS_STORE(probe);

#ifdef CONFIG_CONTIG_ALLOC
/*
 * The pageblock holding the most balloon pages, first found wins a tie; a
 * block made only of balloon pages ends the search. Return: its first
 * PFN and in @ours the number of balloon pages seen, 0 when none.
 */
static unsigned long pt_bl_contig_pick(unsigned long *ours)
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
					n += ph_balloon_owns(page + i);
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

/* The pageblock a contig command names: "auto" or a PFN inside it. */
static int pt_bl_contig_range(const char *cmd, unsigned long *start,
			      unsigned long *ours)
{
	unsigned long pfn, last;
	int ret;

	*ours = 0;
	if (!strcmp(cmd, "auto")) {
		*start = pt_bl_contig_pick(ours);
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
static int contig_store(char *cmd, void *data)
{
	unsigned long start, ours;
	int ret;

	mutex_lock(&pt_bl_lock);
	ret = pt_bl_contig_range(cmd, &start, &ours);
	if (ret)
		goto out;
	ret = alloc_contig_range(start, start + pageblock_nr_pages,
				 PH_CONTIG_MOVABLE, GFP_KERNEL);
	if (!ret)
		free_contig_range(start, pageblock_nr_pages);
	pt_bl_contig_pfn = start;
	pt_bl_contig_ours = ours;
	pt_bl_contig_ret = ret;
	if (ret)
		pt_bl_contig_fail++;
	else
		pt_bl_contig_ok++;
out:
	mutex_unlock(&pt_bl_lock);
	return ret;
}
PH_DEBUGFS_STORE(contig);
#endif /* CONFIG_CONTIG_ALLOC */

/* balloon/: the test hooks and their results. */
void phtest_balloon_init(struct dentry *root)
{
	struct dentry *dir = debugfs_create_dir("balloon", root);

	debugfs_create_file("probe", 0200, dir, NULL, &probe_fops);
#ifdef CONFIG_CONTIG_ALLOC
	debugfs_create_file("contig", 0200, dir, NULL, &contig_fops);
#endif
	debugfs_create_file("status", 0400, dir, NULL, &status_fops);
}
