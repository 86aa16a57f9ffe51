/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals of the page-state engine, shared by module/states.c (table,
 * transitions, predicate, scans), module/states_hooks.c (attach points),
 * module/states_read.c (the read path and the page-cache walk) and
 * module/states_deact.c (the deactivation point).
 * Nothing else includes it: the control plane uses ph_states.h.
 */
#ifndef _PH_STATES_INT_H
#define _PH_STATES_INT_H

#include <linux/percpu.h>
#include <linux/mm.h>
#include "ph_compat.h"
#include "ph_states.h"
#include "ph_state_byte.h"
#include "pagehint_trace.h"

/* Known extra references and ignored conditions of a strategic point. */
#define PH_VF_UNLOCKING	0x1	/* folio_unlock entry: the lock goes now */
#define PH_VF_ENDING_WB	0x2	/* folio_end_writeback entry: same, PG_writeback */
#define PH_VF_PRECHECK	0x4	/* lockless pre-check: defer the mapped check */
#define PH_VF_LIKELY	0x8	/* success expected: skip the lockless pre-check */
#define PH_VF_ENDING_READ 0x10	/* folio_end_read entry: PG_uptodate comes now */

/*
 * Per-CPU counters, summed on read. A transition's count is
 * trans[to][site][from]: the per-page callers know @to and @site at build
 * time, so the page's old state is the one scaled index of a single add.
 * @from is the byte's state bits as stored: the allocator hooks count an
 * unscanned page under PH_ST_UNSCANNED without telling it from stable
 * first, and ph_states_transitions() adds that slot to stable's.
 */
#define PH_FROM_NR	(PH_ST_UNSCANNED + 1)
struct ph_states_pcpu {
	unsigned long trans[PH_ST_NR][PH_SITE_NR][PH_FROM_NR];
	unsigned long refusals[PH_R_NR];
	unsigned long discard_faults;
};

/*
 * The table: ph_tab[pfn - ph_tab_start] for pfn in [ph_tab_start,
 * ph_tab_start + ph_tab_nr). Set at init before any hook attaches,
 * cleared at exit after every hook detached; never resized.
 */
extern u8 *ph_tab;
extern unsigned long ph_tab_start, ph_tab_nr;
/*
 * With a virtually contiguous memmap of struct pages whose size is a power
 * of two, a folio's table index is its address shifted right minus this
 * bias (set at init with the table): ph_folio_index().
 */
extern unsigned long ph_tab_bias;
#define PH_PAGE_SHIFT	ilog2(sizeof(struct page))
/* The table is indexed by struct page address (ph_page_index()). */
#define PH_TAB_BY_ADDRESS	(IS_ENABLED(CONFIG_SPARSEMEM_VMEMMAP) && \
				 is_power_of_2(sizeof(struct page)))
extern struct ph_states_pcpu __percpu *ph_st_stats;

static inline u8 *ph_tab_byte(unsigned long pfn)
{
	unsigned long i = pfn - ph_tab_start;

	return i < ph_tab_nr ? &ph_tab[i] : NULL;
}

/*
 * Table index of @page (of @folio); ph_tab_nr or more when it is outside
 * the table. The hot paths index the table with it and test the bound
 * themselves.
 */
static __always_inline unsigned long ph_page_index(struct page *page)
{
	if (PH_TAB_BY_ADDRESS)
		return ((unsigned long)page >> PH_PAGE_SHIFT) - ph_tab_bias;
	return page_to_pfn(page) - ph_tab_start;
}

static __always_inline unsigned long ph_folio_index(struct folio *folio)
{
	return ph_page_index(&folio->page);
}

/*
 * A folio the volatile machinery cares about: file page cache. Anonymous,
 * shmem/tmpfs (swap-backed) and movable non-LRU pages are not.
 */
static inline bool ph_folio_is_candidate(struct folio *folio)
{
	unsigned long mapping = (unsigned long)READ_ONCE(folio->mapping);

	return mapping && !(mapping & PH_MAPPING_FLAGS) &&
	       !folio_test_swapbacked(folio);
}

/* Page flags that keep any folio stable, whatever the site. */
#define PH_REFUSE_FLAGS	(BIT(PG_reserved) | BIT(PG_dirty) | BIT(PG_private) | \
			 BIT(PG_private_2))

/*
 * The flags the 11 conditions look at, and their values in the common
 * success case: an unmapped small clean page-cache folio on the LRU.
 */
#define PH_QUICK_MASK	(PH_REFUSE_FLAGS | BIT(PG_writeback) | BIT(PG_locked) | \
			 BIT(PG_swapbacked) | BIT(PG_head) | BIT(PG_uptodate) | \
			 BIT(PG_lru))
#define PH_QUICK_WANT	(BIT(PG_uptodate) | BIT(PG_lru))

/*
 * Unmapped (_mapcount -1) and referenced exactly @refs times. The two
 * counters are adjacent ints: on a little-endian 64-bit kernel one load
 * and one compare answer both (the read path asks once for every page).
 * The same snapshot semantics as two reads: the caller holds the
 * state-change lock and the answer may change the next instant anyway.
 */
static __always_inline bool ph_unmapped_refs(struct folio *folio,
					     unsigned int refs)
{
#if defined(CONFIG_64BIT) && defined(__LITTLE_ENDIAN)
	BUILD_BUG_ON(offsetof(struct folio, _refcount) !=
		     offsetof(struct folio, _mapcount) + sizeof(atomic_t));
	return READ_ONCE(*(u64 *)&folio->_mapcount) ==
	       ((u64)refs << 32 | (u32)-1);
#else
	return atomic_read(&folio->_mapcount) < 0 &&
	       folio_ref_count(folio) == refs;
#endif
}

/*
 * ph_volatile_quick() - the conditions in one flags snapshot
 *
 * True when @folio is a small unmapped page-cache folio that passes every
 * condition: one load of the flags instead of a test per condition. False
 * says nothing: ph_volatile_reason() then finds the reason (or that there
 * is none: a mapped folio, say). Under the state-change lock, like it.
 */
static __always_inline bool ph_volatile_quick(struct folio *folio,
					      unsigned int extra,
					      unsigned int flags)
{
	unsigned long f = READ_ONCE(ph_flags_word(folio)), mask = PH_QUICK_MASK;
	unsigned long mapping = (unsigned long)READ_ONCE(folio->mapping);

	if (flags & PH_VF_UNLOCKING)
		mask &= ~BIT(PG_locked);
	if (flags & PH_VF_ENDING_WB)
		mask &= ~BIT(PG_writeback);
	if (flags & PH_VF_ENDING_READ)
		f |= BIT(PG_uptodate);
	return (f & mask) == PH_QUICK_WANT && mapping &&
	       !(mapping & PH_MAPPING_FLAGS) &&
	       ph_unmapped_refs(folio, 1 + extra);
}

/*
 * The lookup transition of the read and fault-around walks, inline, for
 * the common case only: a small volatile folio whose state byte is free of
 * the state-change lock. A cached read takes two transitions for every page
 * it copies (stable at the lookup, volatile after the put): as calls to
 * ph_make_stable() and __ph_try_volatile(), with a per-CPU counter index
 * per page and their slow-case branches, they were half of what pagehint
 * added to a cached read (make profile; the README has the history). The
 * put side is ph_ring_try() in states_read.c. The caller counts what this
 * returns with one per-CPU add per walk (ph_states_count()). False: nothing
 * was done; the caller takes ph_make_stable(), which handles every case.
 */
static __always_inline bool ph_fast_stable(struct folio *folio, u8 *b,
					   enum ph_site site)
{
	/* a large folio's tails change under its lock: ph_make_stable() */
	if (folio_test_large(folio) ||
	    !ph_sb_cmpxchg(b, PH_ST_VOLATILE, PH_ST_STABLE))
		return false;
	trace_page_state(folio_pfn(folio), PH_ST_VOLATILE, PH_ST_STABLE, site);
	return true;
}

/* Count @n transitions @from -> @to at @site (one per-CPU add). */
static __always_inline void ph_states_count(enum ph_state from,
					    enum ph_state to,
					    enum ph_site site, unsigned int n)
{
	if (n)
		this_cpu_add(ph_st_stats->trans[to][site][from], n);
}

/* Count and trace one page moving @from -> @to. */
static __always_inline void ph_states_note(unsigned long pfn,
					   enum ph_state from,
					   enum ph_state to, enum ph_site site)
{
	this_cpu_inc(ph_st_stats->trans[to][site][from]);
	trace_page_state(pfn, from, to, site);
}

void ph_trace_store(struct page *page, unsigned long from, enum ph_state to,
		    enum ph_site site);

/*
 * Store @to in the byte @b of one page being freed or allocated (the
 * allocator hooks: ph_sb_store(), see ph_state_byte.h).
 */
static __always_inline void ph_store_state(u8 *b, struct page *page,
					   enum ph_state to, enum ph_site site)
{
	/* a word-sized index: the add takes it scaled, with no extension */
	unsigned long from = READ_ONCE(*b);

	from &= PH_STATE_MASK;
	OPTIMIZER_HIDE_VAR(from);
	if (from == to)
		return;
	ph_sb_store(b, to);
	/* unscanned -> stable is no transition: its slot is not read then */
	this_cpu_inc(ph_st_stats->trans[to][site][from]);
	if (trace_page_state_enabled())
		ph_trace_store(page, from, to, site);
}

/*
 * A lookup of @folio, whose byte is @b: volatile or discarded -> stable
 * (a discard fault for the latter), after a held state-change lock. True
 * if the inline fast path made it stable: the caller counts those.
 */
static __always_inline bool ph_stable_at(struct folio *folio, u8 *b,
					 enum ph_site site)
{
	u8 v = READ_ONCE(*b);

	if (likely(v == PH_ST_VOLATILE) && ph_fast_stable(folio, b, site))
		return true;
	if (v == PH_ST_STABLE)	/* fault-around's usual case */
		return false;
	if (v == PH_ST_VOLATILE || v == PH_ST_DISCARDED || (v & PH_SC_LOCK))
		ph_make_stable(folio, site);
	return false;
}

/*
 * Lookup: a folio that is stable, unused or unscanned needs nothing (one
 * byte read, no call); the walks of many folios call ph_stable_at().
 */
static __always_inline void ph_lookup_stable(struct folio *folio,
					     enum ph_site site)
{
	unsigned long i = ph_folio_index(folio);

	if (i < ph_tab_nr && ph_stable_at(folio, &ph_tab[i], site))
		ph_states_count(PH_ST_VOLATILE, PH_ST_STABLE, site, 1);
}

/* folio_mapped() without the call for a small folio (the common case). */
static inline bool ph_folio_mapped(struct folio *folio)
{
	if (!folio_test_large(folio))
		return atomic_read(&folio->_mapcount) >= 0;
	return folio_mapped(folio);
}

void ph_states_set_range(unsigned long pfn, unsigned long nr,
			 enum ph_state to, enum ph_site site);
enum ph_reason ph_volatile_reason(struct folio *folio, unsigned int extra,
				  unsigned int flags);
enum ph_reason __ph_try_volatile(struct folio *folio, enum ph_site site,
				 unsigned int extra, unsigned int flags);

/* Scans (process context, may sleep). */
void ph_states_scan(bool free_state, bool volatile_state);
void ph_states_sweep_volatile(bool mapped_only);
void ph_states_unscan(void);

/* Hooks (states_hooks.c). */
int ph_states_hooks_init(void);
void ph_states_hooks_exit(void);
int ph_states_hooks_recheck(void);
/* policy volatile_read: the read path keeps its folios for their put */
extern unsigned long ph_st_vol_read;

/* The read path and the page-cache walk (states_read.c). */
struct ph_hook;
struct ftrace_regs;
/* direct hook handlers (PH_DIRECT_TRAMP()): the traced function's arguments */
void ph_read_batch(unsigned long a0, unsigned long a1, unsigned long a2);
void ph_read_end(unsigned long a0, unsigned long a1, unsigned long a2);
void ph_map_pages(unsigned long a0, unsigned long a1, unsigned long a2);
void ph_ft_accessed(struct ph_hook *h, unsigned long ip,
		    struct ftrace_regs *fregs);
void ph_states_ring_flush_all(void);

/* The deactivation point (states_deact.c); hooks in states_hooks.c. */
struct kretprobe_instance;
struct pt_regs;
struct lruvec;
void ph_ft_referenced(struct ph_hook *h, unsigned long ip,
		      struct ftrace_regs *fregs);
void ph_tp_shrink_active(struct ph_hook *h, int nid,
			 unsigned long nr_taken, unsigned long nr_active,
			 unsigned long nr_deactivated,
			 unsigned long nr_referenced, int priority, int file);
/* MGLRU's aging, try_to_inc_max_seq(lruvec, seq, ...): a kretprobe */
struct ph_age_data {
	struct lruvec *lruvec;
	unsigned long seq;
};
int ph_age_entry(struct kretprobe_instance *ri, struct pt_regs *regs);
int ph_age_ret(struct kretprobe_instance *ri, struct pt_regs *regs);
/* forget the remembered folios (volatile switched off, or unload) */
void ph_states_forget(void);

extern bool (*ph_mapped_check)(struct folio *folio, bool locked);
/*
 * Set while a try runs the mapped check (interrupts off): the check's own
 * folio_trylock()/folio_unlock() is not a strategic point.
 */
DECLARE_PER_CPU(bool, ph_st_in_check);
extern void (*ph_discard_fault_fn)(struct folio *folio);

#endif /* _PH_STATES_INT_H */
