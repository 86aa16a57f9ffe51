// SPDX-License-Identifier: GPL-2.0
/*
 * pagehint page states: the debugfs files.
 *
 *   states       pages per state: all, per node, per zone (counts the table)
 *   transitions  from -> to x site page counters (non-zero rows)
 *   refusals     why pages stayed stable, by reason
 *   stats        table geometry, discard faults, deactivations not remembered
 *   pfn          write a PFN (decimal or 0x hex); read its state and page
 *   map          write "START COUNT" (PFNs); read the range run-length
 *                encoded: "start count state" per run
 *   verify       read: rescan and count entries that disagree with pages
 *
 * Tables have a header line of column names, one row per line, so that
 * pagehintctl --json converts them. Writes go through ph_copy_cmd() and a
 * strict parse: a rejected write changes nothing.
 */
#include <linux/module.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/memory_hotplug.h>
#include <linux/pagemap.h>
#include "pagehint.h"
#include "ph_compat.h"
#include "ph_states.h"
#include "ph_debugfs.h"

static const char *const ph_state_names[] = PH_STATE_NAMES;
static const char *const ph_site_names[] = PH_SITE_NAMES;
static const char *const ph_reason_names[] = PH_REASON_NAMES;

/* Selected PFN and map range; written and read under ph_st_dfs_lock. */
static DEFINE_MUTEX(ph_st_dfs_lock);
static unsigned long ph_dfs_pfn, ph_map_start, ph_map_count;

/* Is [@start, @start + @count) inside the table? */
static bool ph_in_table(unsigned long start, unsigned long count)
{
	unsigned long tab_start, tab_nr;

	ph_states_table(&tab_start, &tab_nr);
	return start >= tab_start && start - tab_start < tab_nr &&
	       count <= tab_nr - (start - tab_start);
}

static void ph_states_row(struct seq_file *m, const char *scope,
			  const unsigned long *n)
{
	seq_printf(m, "%-14s %10lu %10lu %10lu %10lu %10lu\n", scope, n[0],
		   n[1], n[2], n[3], n[0] + n[1] + n[2] + n[3]);
}

static int states_show(struct seq_file *m, void *v)
{
	unsigned long all[PH_ST_NR] = { 0 };
	char scope[32];
	int nid, z, s;

	seq_printf(m, "%-14s %10s %10s %10s %10s %10s\n", "scope", "unused",
		   "stable", "volatile", "discarded", "pages");
	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);
		unsigned long nn[PH_ST_NR] = { 0 };

		for (z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &pgdat->node_zones[z];
			unsigned long zn[PH_ST_NR] = { 0 };

			if (!zone->spanned_pages)
				continue;
			ph_states_count_zone(zone, zn);
			snprintf(scope, sizeof(scope), "node%d/%s", nid,
				 zone->name);
			ph_states_row(m, scope, zn);
			for (s = 0; s < PH_ST_NR; s++)
				nn[s] += zn[s];
		}
		snprintf(scope, sizeof(scope), "node%d", nid);
		ph_states_row(m, scope, nn);
		for (s = 0; s < PH_ST_NR; s++)
			all[s] += nn[s];
	}
	ph_states_row(m, "all", all);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(states);

static int transitions_show(struct seq_file *m, void *v)
{
	unsigned long n;
	int f, t, s;

	seq_printf(m, "%-10s %-10s %-11s %s\n", "from", "to", "site", "pages");
	for (f = 0; f < PH_ST_NR; f++)
		for (t = 0; t < PH_ST_NR; t++)
			for (s = 0; s < PH_SITE_NR; s++) {
				n = ph_states_transitions(f, t, s);
				if (n)
					seq_printf(m, "%-10s %-10s %-11s %lu\n",
						   ph_state_names[f],
						   ph_state_names[t],
						   ph_site_names[s], n);
			}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(transitions);

static int refusals_show(struct seq_file *m, void *v)
{
	int r;

	seq_printf(m, "%-14s %s\n", "reason", "count");
	for (r = 1; r < PH_R_NR; r++)
		seq_printf(m, "%-14s %lu\n", ph_reason_names[r],
			   ph_states_refusals(r));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(refusals);

static int stats_show(struct seq_file *m, void *v)
{
	unsigned long start, nr;

	ph_states_table(&start, &nr);
	seq_printf(m, "table_start_pfn %lu\n", start);
	seq_printf(m, "table_pfns %lu\n", nr);
	seq_printf(m, "table_bytes %lu\n", nr);
	seq_printf(m, "discard_faults %lu\n", ph_states_discard_faults());
	seq_printf(m, "deactivate_unremembered %lu\n",
		   ph_states_deact_misses());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

/* "123" or "0x7b"; nothing else. */
static int ph_parse_pfn(const char *s, unsigned long *pfn)
{
	unsigned long long v;
	int ret;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		ret = kstrtoull(s + 2, 16, &v);
	else
		ret = kstrtoull(s, 10, &v);
	if (ret || (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
		    (s[2] == '+' || s[2] == '-')) || s[0] == '+')
		return ret == -ERANGE ? -ERANGE : -EINVAL;
	*pfn = v;
	return 0;
}

static int pfn_show(struct seq_file *m, void *v)
{
	static const char *const lru_names[] = { "no", "yes" };
	unsigned long pfn;
	struct page *page;
	struct folio *folio;
	enum ph_state st;

	mutex_lock(&ph_st_dfs_lock);
	pfn = ph_dfs_pfn;
	mutex_unlock(&ph_st_dfs_lock);
	seq_printf(m, "pfn %lu\n", pfn);
	page = pfn_to_online_page(pfn);
	st = ph_state_get(pfn);
	if (!page || st == PH_ST_NONE) {
		seq_puts(m, "state none\n");
		return 0;
	}
	seq_printf(m, "state %s\n", ph_state_names[st]);
	seq_printf(m, "state_lock %d\n", ph_state_locked(pfn));
	seq_printf(m, "flags %#lx\n", READ_ONCE(ph_flags_word(page)));
	seq_printf(m, "buddy %d\n", PageBuddy(page));
	seq_printf(m, "refcount %d\n", page_count(page));
	seq_printf(m, "mapcount %d\n", PageSlab(page) || PageBuddy(page) ?
		   0 : ph_page_mapcount(page_folio(page), page));
	/* look at the rest only with a reference: the page could go */
	folio = page_folio(page);
	if (!PageLRU(page) || !folio_try_get(folio))
		return 0;
	if (page_folio(page) == folio) {
		struct address_space *mapping = folio_mapping(folio);

		seq_printf(m, "lru %s\n", lru_names[1]);
		seq_printf(m, "folio_pages %ld\n", folio_nr_pages(folio));
		seq_printf(m, "anon %d\n", folio_test_anon(folio));
		seq_printf(m, "dirty %d\n", folio_test_dirty(folio));
		seq_printf(m, "uptodate %d\n", folio_test_uptodate(folio));
		if (mapping && !folio_test_anon(folio) && mapping->host) {
			seq_printf(m, "inode %llu\n",
				   (unsigned long long)mapping->host->i_ino);
			seq_printf(m, "dev %u:%u\n",
				   MAJOR(mapping->host->i_sb->s_dev),
				   MINOR(mapping->host->i_sb->s_dev));
			seq_printf(m, "index %lu\n", folio->index);
		}
		seq_printf(m, "volatile_reason %s\n",
			   ph_reason_names[ph_states_reason(folio)]);
	}
	folio_put(folio);
	return 0;
}

static int pfn_store(char *cmd, void *data)
{
	unsigned long pfn;
	int ret;

	ret = ph_parse_pfn(cmd, &pfn);
	if (ret)
		return ret;
	if (!ph_in_table(pfn, 1))
		return -ERANGE;
	mutex_lock(&ph_st_dfs_lock);
	ph_dfs_pfn = pfn;
	mutex_unlock(&ph_st_dfs_lock);
	return 0;
}
PH_DEBUGFS_SHOW_STORE(pfn);

/* Runs of one state; holes are the run state "none". */
static int map_show(struct seq_file *m, void *v)
{
	unsigned long start, count, pfn, end, run = 0, n = 0;
	int cur = -1, st;

	mutex_lock(&ph_st_dfs_lock);
	start = ph_map_start;
	count = ph_map_count;
	mutex_unlock(&ph_st_dfs_lock);
	if (!count)
		ph_states_table(&start, &count);
	end = start + count;
	seq_printf(m, "%-12s %-10s %s\n", "start", "count", "state");
	for (pfn = start; pfn < end; pfn++) {
		if (!((pfn - start) & 4095))
			cond_resched();
		st = ph_state_get(pfn);
		if (st != cur) {
			if (n)
				seq_printf(m, "%-12lu %-10lu %s\n", run, n,
					   cur == PH_ST_NONE ? "none" :
					   ph_state_names[cur]);
			cur = st;
			run = pfn;
			n = 0;
		}
		n++;
	}
	if (n)
		seq_printf(m, "%-12lu %-10lu %s\n", run, n,
			   cur == PH_ST_NONE ? "none" : ph_state_names[cur]);
	return 0;
}

/* "START COUNT": PFNs inside the table; "all" resets to the whole table. */
static int map_store(char *cmd, void *data)
{
	unsigned long start = 0, count = 0;
	char *sp;
	int ret;

	if (strcmp(cmd, "all")) {
		sp = strchr(cmd, ' ');
		if (!sp)
			return -EINVAL;
		*sp++ = '\0';
		ret = ph_parse_pfn(cmd, &start);
		if (!ret)
			ret = ph_parse_pfn(sp, &count);
		if (ret)
			return ret;
		if (!count)
			return -EINVAL;
		if (!ph_in_table(start, count))
			return -ERANGE;
	}
	mutex_lock(&ph_st_dfs_lock);
	ph_map_start = start;
	ph_map_count = count;
	mutex_unlock(&ph_st_dfs_lock);
	return 0;
}
PH_DEBUGFS_WRITE(map)

/* The map of a large table is long: start with a 64 KiB buffer. */
static int map_open(struct inode *inode, struct file *file)
{
	return single_open_size(file, map_show, NULL, 1 << 16);
}

static const struct file_operations map_fops = {
	.owner = THIS_MODULE,
	.open = map_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = map_write,
};

static int verify_show(struct seq_file *m, void *v)
{
	struct ph_verify *r = kzalloc(sizeof(*r), GFP_KERNEL);
	unsigned int i;

	if (!r)
		return -ENOMEM;
	ph_states_verify(r);
	seq_printf(m, "checked %lu\n", r->checked);
	seq_printf(m, "holes %lu\n", r->holes);
	seq_printf(m, "disagree %lu\n", r->unused_in_use + r->used_but_free +
		   r->volatile_ineligible);
	seq_printf(m, "unused_in_use %lu\n", r->unused_in_use);
	seq_printf(m, "used_but_free %lu\n", r->used_but_free);
	seq_printf(m, "volatile_ineligible %lu\n", r->volatile_ineligible);
	seq_printf(m, "transient %lu\n", r->transient);
	seq_printf(m, "indeterminate %lu\n", r->indeterminate);
	seq_printf(m, "balloon %lu\n", r->balloon);
	seq_printf(m, "offline_other %lu\n", r->offline_other);
	seq_printf(m, "reported %lu\n", r->reported);
	for (i = 0; i < r->nfirst; i++)
		seq_printf(m, "example %lu\n", r->first[i]);
	kfree(r);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(verify);

void ph_states_debugfs_init(struct dentry *d)
{
	debugfs_create_file("states", 0400, d, NULL, &states_fops);
	debugfs_create_file("transitions", 0400, d, NULL, &transitions_fops);
	debugfs_create_file("refusals", 0400, d, NULL, &refusals_fops);
	debugfs_create_file("stats", 0400, d, NULL, &stats_fops);
	debugfs_create_file("pfn", 0600, d, NULL, &pfn_fops);
	debugfs_create_file("map", 0600, d, NULL, &map_fops);
	debugfs_create_file("verify", 0400, d, NULL, &verify_fops);
}
