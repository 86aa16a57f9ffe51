// SPDX-License-Identifier: GPL-2.0
/*
 * pagehint page states: the read path and the page-cache walk.
 *
 * The read point. filemap_read() takes its folios in batches (15 on 6.1,
 * 31 later) through filemap_get_pages(iocb, iter or count, fbatch, ...)
 * (ph_compat.h), puts them (an inline folio_put()) before the next batch,
 * and ends with file_accessed() -> touch_atime(). A hook hit that does
 * nothing costs about 1 % of a cached 4 KiB read (the ftrace trampoline
 * and the thunk: make profile), so the read point works per read, not per
 * folio:
 *  - at the read's first filemap_get_pages() (hook states_read) its whole
 *    range, up to PH_RING pages (a longer read one batch at a time), is
 *    walked: volatile folios are made stable before the lookups take them
 *    (the seed's find_get_page) and every folio is remembered in this
 *    CPU's ring. The read's later batches find their range walked;
 *  - at touch_atime() (hook states_read_end), or at the next walk that
 *    needs the room, i.e. after their put, the remembered folios are tried
 *    volatile (site read). The ring holds no references: ph_ring_try().
 * Between the walk and the lookup's own reference another CPU could make a
 * folio volatile again; the host cannot discard it from under the read
 * anyway (invalidation refuses a folio with an extra reference). A read
 * preempted mid-way may see its ring tried by another read on the same
 * CPU: the folios it still holds are refused (refcount) and stay stable;
 * the rest of its range is walked again at its next batch.
 *
 * The walk, ph_walk_cache(), serves the read point and fault-around
 * (filemap_map_pages(), hook states_map_pages). It finds the leaf node
 * once per XA_CHUNK_SIZE indices with a descent of its own, ph_xa_leaf(),
 * and reads the leaf's slots directly: xas_load() and xas_next() with the
 * checks their users need cost several times as much an index (make
 * profile, read.sh and fork.sh).
 *
 * The xarray layout the walk relies on (include/linux/xarray.h), named
 * here and nowhere else:
 *  - xa_head is NULL, a single entry (index 0 only), or a node;
 *  - a node covers XA_CHUNK_SIZE << node->shift indices, from 0 at the
 *    root; the slot of an index in a node is (index >> shift) &
 *    XA_CHUNK_MASK; a leaf has shift 0;
 *  - an entry is internal, bits 1:0 = 10: a node, a sibling (a slot of a
 *    multi-index entry after its first; xa_to_sibling() names the first)
 *    or a retry entry (the node is being replaced: load from the root
 *    again); or a value, bit 0 set (a shadow); or a pointer, bits 1:0 =
 *    00: a folio;
 *  - nodes are freed by RCU (call_rcu()): a walker with preemption or
 *    interrupts off, an RCU read-side critical section since v4.20, may
 *    read them, with rcu_dereference_sched() (lockdep checks it).
 * On a CONFIG_DEBUG_VM kernel every entry the walk reads is checked
 * against xa_load() (ph_xa_verify()): a layout the walk does not know
 * fails the debug kernel's tests, which run with panic_on_warn.
 */
#define pr_fmt(fmt) "pagehint: states: " fmt

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/uio.h>
#include "pagehint.h"
#include "ph_hooks.h"
#include "ph_compat.h"
#include "ph_states_int.h"

/*
 * Table index of a page-cache slot's @entry, a folio or NULL, with
 * @bias = ph_tab_bias (the walks keep it in a register): ph_tab_nr or more
 * for a folio outside the table and for NULL, which wraps far above any
 * table (the bias is a kernel address shifted right, never 0). The walks
 * need no NULL test of their own.
 */
static __always_inline unsigned long ph_entry_index(void *entry,
						    unsigned long bias)
{
	if (PH_TAB_BY_ADDRESS)
		return ((unsigned long)entry >> PH_PAGE_SHIFT) - bias;
	return entry ? ph_folio_index(entry) : ULONG_MAX;
}

/*
 * ph_xa_leaf() - the leaf node of @xa that holds @index
 * @xa: the page cache's xarray
 * @index: the index
 * @entry: set when there is no leaf: what stands above the leaves at
 *	@index (a large folio's entry, a hole, a retry entry, or the root's
 *	single entry for index 0)
 * @next: set when there is no leaf: the first index past @entry's span,
 *	0 when nothing lies past it
 *
 * xas_load()'s descent without the xa_state (xas_start(), xas_descend()),
 * on the layout named at the top. Preemption or interrupts off.
 */
static __always_inline struct xa_node *ph_xa_leaf(struct xarray *xa,
						  pgoff_t index, void **entry,
						  pgoff_t *next)
{
	void *e = rcu_dereference_sched(xa->xa_head);
	struct xa_node *node;
	unsigned int off;

	if (!xa_is_node(e)) {
		*entry = index ? NULL : e;
		*next = 0;
		return NULL;
	}
	node = xa_to_node(e);
	if ((index >> node->shift) > XA_CHUNK_MASK) {	/* beyond the tree */
		*entry = NULL;
		*next = 0;
		return NULL;
	}
	while (node->shift) {
		off = (index >> node->shift) & XA_CHUNK_MASK;
		e = rcu_dereference_sched(node->slots[off]);
		if (xa_is_sibling(e))
			e = rcu_dereference_sched(node->slots[xa_to_sibling(e)]);
		if (!xa_is_node(e)) {
			*entry = e;
			*next = ((index >> node->shift) + 1) << node->shift;
			return NULL;
		}
		node = xa_to_node(e);
	}
	return node;
}

/* The entry ph_xa_leaf() finds at @index (a sibling resolved). */
static void *ph_xa_entry(struct xarray *xa, pgoff_t index)
{
	struct xa_node *node;
	pgoff_t next;
	void *e;

	node = ph_xa_leaf(xa, index, &e, &next);
	if (!node)
		return e;
	e = rcu_dereference_sched(node->slots[index & XA_CHUNK_MASK]);
	if (xa_is_sibling(e))
		e = rcu_dereference_sched(node->slots[xa_to_sibling(e)]);
	return e;
}

/*
 * ph_xa_verify() - CONFIG_DEBUG_VM: the walk read @entry at @index; does
 * xa_load() agree? The page cache may change under the walk, so a
 * disagreement counts only when it holds across a second descent and a
 * second xa_load(): then the walk's idea of the layout is wrong.
 */
static noinline void ph_xa_verify(struct xarray *xa, pgoff_t index,
				  void *entry)
{
	void *e;

	if (xa_is_retry(entry))
		return;
	if (xa_is_sibling(entry))
		return;		/* checked at the entry's first slot */
	e = xa_load(xa, index);
	if (e == entry || ph_xa_entry(xa, index) != entry ||
	    xa_load(xa, index) != e)
		return;
	VM_WARN_ONCE(1, "pagehint: page-cache walk read %p at index %lu, xa_load() %p\n",
		     entry, index, e);
}

/*
 * ph_walk_cache() - call @fn on every folio cached at [@index, @last]
 * @mapping: the page cache
 * @index: first index
 * @last: last index
 * @fn: called with preemption off, without a reference, on each folio in
 *	the table once (a large folio's sibling slots are skipped; one that
 *	starts before @index is called too), with its state byte
 * @arg: for @fn
 * @max: stop after @max folios (0: no limit; a constant for the inline
 *	walk to lose the test)
 * @skip: a state whose folios @fn would leave alone (fault-around's
 *	stable), or PH_WALK_ALL; a constant
 *
 * Return: true when the walk went past @last, false when @max stopped it.
 *
 * The read and fault-around hooks walk every index they are about to look
 * up, with preemption or interrupts off. An empty slot needs no test of
 * its own: NULL's table index is out of range (ph_entry_index()). Shadow
 * entries and siblings are skipped; a retry entry loads that index from
 * the root again, a few times at most. The table's address, bias and size
 * stay in registers. With @skip, a slot whose table byte holds @skip is
 * passed over before its entry is told from a shadow or an internal one:
 * whatever the entry is, the walk does nothing with it, and the common
 * slot of fault-around, a stable folio, costs the index and one load.
 */
#define PH_WALK_ALL	(-1)
static __always_inline bool ph_walk_cache(struct address_space *mapping,
					  pgoff_t index, pgoff_t last,
					  void (*fn)(struct folio *folio,
						     u8 *b, void *arg),
					  void *arg, unsigned int max, int skip)
{
	const unsigned long bias = ph_tab_bias, nr = ph_tab_nr;
	u8 *const tab = ph_tab;
	void __rcu **slot, **end;
	unsigned int retries = 0;
	struct xa_node *node;
	pgoff_t base, next;
	unsigned long i;
	void *entry;

	while (index <= last) {
		node = ph_xa_leaf(&mapping->i_pages, index, &entry, &next);
		if (!node) {
			if (IS_ENABLED(CONFIG_DEBUG_VM))
				ph_xa_verify(&mapping->i_pages, index, entry);
			if (unlikely(xa_is_retry(entry)) && retries++ < 4)
				continue;
			i = ph_entry_index(entry, bias);
			if (!xa_is_internal(entry) && !xa_is_value(entry) &&
			    i < nr) {
				fn(entry, &tab[i], arg);
				if (max && !--max)
					return !next || next > last;
			}
			if (!next)
				return true;
			index = next;
			continue;
		}
		base = index & ~(pgoff_t)XA_CHUNK_MASK;
		end = &node->slots[min_t(pgoff_t, XA_CHUNK_MASK, last - base)];
		slot = &node->slots[index - base];
		/*
		 * A walk that starts inside a large folio of this leaf (a
		 * read that goes on where the last one stopped) finds a
		 * sibling there: the folio's own slot is before @index.
		 */
		entry = rcu_dereference_sched(*slot);
		if (unlikely(xa_is_sibling(entry))) {
			entry = rcu_dereference_sched(node->slots[xa_to_sibling(entry)]);
			if (!((unsigned long)entry & 3)) {
				i = ph_entry_index(entry, bias);
				if (i < nr) {
					fn(entry, &tab[i], arg);
					if (max && !--max)
						return index >= last;
				}
			}
			slot++;
		}
		for (; slot <= end; slot++) {
			/*
			 * The skip test loads the slot for its index alone
			 * and compares the table byte in memory: one register
			 * a slot it passes. A slot it does not pass is loaded
			 * again.
			 */
			if (PH_TAB_BY_ADDRESS && skip != PH_WALK_ALL) {
				i = ph_entry_index(rcu_dereference_sched(*slot),
						   bias);
				/* racy by design: a byte does not tear, @fn reads it again */
				if (likely(i < nr && data_race(tab[i]) == skip) &&
				    !IS_ENABLED(CONFIG_DEBUG_VM))
					continue;
			}
			entry = rcu_dereference_sched(*slot);
			if (IS_ENABLED(CONFIG_DEBUG_VM))
				ph_xa_verify(&mapping->i_pages,
					     base + (slot - node->slots), entry);
			if (likely(!((unsigned long)entry & 3))) {
				i = ph_entry_index(entry, bias);
				if (i < nr) {
					fn(entry, &tab[i], arg);
					if (max && !--max)
						return base + (slot - node->slots) >=
						       last;
				}
				continue;
			}
			if (unlikely(xa_is_retry(entry)) && retries++ < 4)
				break;
		}
		index = base + (slot - node->slots);
	}
	return true;
}

#define PH_RING	64
struct ph_ring {
	unsigned int n;
	/*
	 * The read whose whole range the last walk took (NULL: none): the
	 * later batches of that read, up to @last, need no walk. Any flush
	 * ends it.
	 */
	const struct kiocb *iocb;
	/* the last walk's read: its file, last index, the file's last index */
	struct address_space *mapping;
	pgoff_t last;
	pgoff_t eof;
	struct ph_ring_entry {
		struct folio *folio;
		u8 *b;		/* its state byte */
	} e[PH_RING];
};
/*
 * Used with interrupts off, by the read hooks and the per-folio fallback
 * (which an interrupt could reach): entries are added and tried in place.
 */
static DEFINE_PER_CPU(struct ph_ring, ph_ring);

/*
 * Try @folio volatile at its put, from the ring: no reference held.
 *
 * Fast path, a stable small folio: take the state-change lock, check the
 * conditions in one snapshot with the page cache's reference as the only
 * one, and store volatile with cmpxchg from the locked value. The allocator
 * hooks store the byte without the lock (a page being freed or allocated
 * has no other user), so a folio freed or reused while we looked fails
 * the cmpxchg and keeps what its hooks stored. A folio reused before we
 * took the lock is checked as what it is now: the conditions are the
 * folio's, whatever the ring remembered.
 *
 * Everything else (not stable, a refusal, a large folio) takes a reference
 * and the full path, which counts the reason; the candidate test (page
 * cache, not mapped) is only needed there. True if the fast path made it.
 *
 * A large folio that the read ended inside, short of the file's end,
 * stays stable: the next read of a sequential reader takes it on (large
 * folios are read a buffer at a time), and trying it at every buffer
 * would store every one of its pages volatile, then stable again at the
 * next lookup. It is tried at the read that reaches its end or the
 * file's; a reader that stops inside it leaves it stable (other points,
 * its unmap or deactivation, may still make it volatile).
 */
static __always_inline bool ph_read_goes_on(struct folio *folio,
					    const struct ph_ring *r)
{
	return folio_test_large(folio) && r->last < r->eof &&
	       READ_ONCE(folio->mapping) == r->mapping &&
	       folio->index + folio_nr_pages(folio) - 1 > r->last;
}

static __always_inline bool ph_ring_try(struct folio *folio, u8 *b,
					const struct ph_ring *r)
{
	if (ph_sb_trylock(b, PH_ST_STABLE, PH_ST_STABLE)) {
		if (ph_volatile_quick(folio, 0, 0)) {
			if (!ph_sb_unlock_if(b, PH_ST_STABLE | PH_SC_LOCK,
					     PH_ST_VOLATILE))
				return false;
			trace_page_state(folio_pfn(folio), PH_ST_STABLE,
					 PH_ST_VOLATILE, PH_SITE_READ);
			return true;
		}
		ph_sb_unlock_if(b, PH_ST_STABLE | PH_SC_LOCK, PH_ST_STABLE);
	}
	if (!folio_try_get(folio))	/* freed; never a tail page */
		return false;
	if (ph_read_goes_on(folio, r)) {
		folio_put(folio);
		return false;
	}
	if (ph_folio_is_candidate(folio) && !ph_folio_mapped(folio))
		__ph_try_volatile(folio, PH_SITE_READ, 1, PH_VF_LIKELY);
	folio_put(folio);
	return false;
}

/* Try and empty this CPU's ring (interrupts off). */
static __always_inline void ph_ring_flush_local(struct ph_ring *r)
{
	struct ph_ring_entry *e, *end = &r->e[r->n];
	unsigned int made = 0;

	for (e = r->e; e < end; e++)
		made += ph_ring_try(e->folio, e->b, r);
	r->n = 0;
	r->iocb = NULL;
	r->mapping = NULL;	/* ph_read_goes_on(): only a walk's own entries */
	ph_states_count(PH_ST_STABLE, PH_ST_VOLATILE, PH_SITE_READ, made);
}

/* What a walk of the read path carries. */
struct ph_read_walk {
	/*
	 * The ring's next free entry, and how far it moves per folio: one
	 * entry, or none (policy volatile_read off: the entry is written and
	 * not kept). A store and an add instead of a test and a branch.
	 */
	struct ph_ring_entry *e;
	unsigned long step;
	unsigned int made;	/* volatile -> stable by the fast path */
};

#define PH_READ_WALK_INIT {						\
	.step = READ_ONCE(ph_st_vol_read) ? sizeof(struct ph_ring_entry) : 0 }

/* A read looks @folio up: stable now, remembered for its put. */
static __always_inline void ph_read_lookup(struct folio *folio, u8 *b,
					    void *arg)
{
	struct ph_read_walk *w = arg;

	w->made += ph_stable_at(folio, b, PH_SITE_LOOKUP);
	w->e->folio = folio;
	w->e->b = b;
	w->e = (void *)w->e + w->step;
}

/*
 * Walk [@first, @last] of a read (interrupts off; not the covered case).
 * A read longer than the ring is walked as the kernel takes it: a batch of
 * up to PH_FOLIO_BATCH folios from @first, whatever their size (7.x's
 * ext4 caches large folios: one batch may be a whole 1 MiB read).
 */
static noinline void ph_read_walk(struct ph_ring *r, const struct kiocb *iocb,
				  struct address_space *mapping, pgoff_t first,
				  pgoff_t last, pgoff_t eof)
{
	struct ph_read_walk w = PH_READ_WALK_INIT;
	bool whole;

	/* the previous batches' folios were put: their strategic point */
	if (last - first + 1 > PH_RING) {
		if (r->n + PH_FOLIO_BATCH > PH_RING)
			ph_ring_flush_local(r);
		w.e = &r->e[r->n];
		whole = ph_walk_cache(mapping, first, last, ph_read_lookup, &w,
				      PH_FOLIO_BATCH, PH_WALK_ALL);
	} else {
		if (r->n + (last - first + 1) > PH_RING)
			ph_ring_flush_local(r);
		w.e = &r->e[r->n];
		whole = ph_walk_cache(mapping, first, last, ph_read_lookup, &w,
				      0, PH_WALK_ALL);
	}
	r->n = w.e - r->e;
	r->iocb = whole ? iocb : NULL;
	r->mapping = mapping;
	r->last = last;
	r->eof = eof;
	ph_states_count(PH_ST_VOLATILE, PH_ST_STABLE, PH_SITE_LOOKUP, w.made);
}

/*
 * filemap_get_pages() entry: the batch about to be looked up. A read that
 * fits in the ring is walked whole at its first batch, so its later
 * batches (a 64 KiB read takes 15 pages, then 1) cost a compare here
 * instead of a walk; a longer one is walked a batch at a time.
 */
void notrace ph_read_batch(unsigned long a0, unsigned long a1,
			   unsigned long a2)
{
	struct kiocb *iocb = (void *)a0;
	struct address_space *mapping = iocb->ki_filp->f_mapping;
	size_t count = ph_read_count(a1);
	loff_t size = i_size_read(mapping->host);
	unsigned long flags;
	struct ph_ring *r;
	pgoff_t last;

	if (!count)
		return;
	last = (iocb->ki_pos + count - 1) >> PAGE_SHIFT;
	local_irq_save(flags);
	r = this_cpu_ptr(&ph_ring);
	/* not walked with this read's first batch */
	if (r->iocb != iocb || r->mapping != mapping || r->last != last)
		ph_read_walk(r, iocb, mapping, iocb->ki_pos >> PAGE_SHIFT, last,
			     size > 0 ? (size - 1) >> PAGE_SHIFT : 0);
	local_irq_restore(flags);
}

void notrace ph_read_end(unsigned long a0, unsigned long a1,
			 unsigned long a2)
{
	unsigned long flags;
	struct ph_ring *r;

	local_irq_save(flags);
	r = this_cpu_ptr(&ph_ring);
	if (r->n)
		ph_ring_flush_local(r);
	local_irq_restore(flags);
}

/*
 * folio_mark_accessed(): per-folio fallback for the read path, attached
 * only when filemap_get_pages() cannot be hooked on this kernel.
 */
void ph_ft_accessed(struct ph_hook *h, unsigned long ip,
			   struct ftrace_regs *fregs)
{
	struct folio *folio = (void *)ph_ftrace_arg(fregs, 0);
	struct ph_read_walk w = PH_READ_WALK_INIT;
	unsigned long i = ph_folio_index(folio);
	unsigned long flags;
	struct ph_ring *r;

	if (i >= ph_tab_nr)
		return;
	local_irq_save(flags);
	r = this_cpu_ptr(&ph_ring);
	if (r->n == PH_RING)
		ph_ring_flush_local(r);
	w.e = &r->e[r->n];
	ph_read_lookup(folio, &ph_tab[i], &w);
	r->n = w.e - r->e;
	ph_states_count(PH_ST_VOLATILE, PH_ST_STABLE, PH_SITE_LOOKUP, w.made);
	local_irq_restore(flags);
}

/*
 * filemap_map_pages(vmf, start_pgoff, end_pgoff): fault-around maps the
 * uptodate, unlocked folios of the range. The range is made stable first,
 * once per call, not once per mapped page in page_add_file_rmap(): a
 * child of fork() maps the pages of its binary and libc this way, ten or
 * so in each call (make profile PROFILE=selftests/icprof/fork.sh counts
 * both functions' calls).
 */
static __always_inline void ph_map_lookup(struct folio *folio, u8 *b,
					   void *arg)
{
	unsigned int *made = arg;

	/* the walk passed most stable ones over (@skip) */
	*made += ph_stable_at(folio, b, PH_SITE_MAP);
}

void notrace ph_map_pages(unsigned long a0, unsigned long a1,
			  unsigned long a2)
{
	struct vm_fault *vmf = (void *)a0;
	pgoff_t start = a1, end = a2;
	unsigned int made = 0;

	/* preemption is off: a direct hook's (PH_HOOK_NORECURSE) */
	ph_walk_cache(vmf->vma->vm_file->f_mapping, start, end,
		      ph_map_lookup, &made, 0, PH_ST_STABLE);
	ph_states_count(PH_ST_VOLATILE, PH_ST_STABLE, PH_SITE_MAP, made);
}

/* Drop every CPU's ring (volatile switched off, or unload). */
void ph_states_ring_flush_all(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		per_cpu_ptr(&ph_ring, cpu)->n = 0;
		per_cpu_ptr(&ph_ring, cpu)->iocb = NULL;
	}
}
