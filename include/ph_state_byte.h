/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The state byte: one per PFN in ph_tab[] (module/states.c), and the
 * protocol of the code that writes it. Every store to the table goes
 * through the helpers below; the list of writers at the end is complete.
 *
 * Encoding. Bits 0-2 hold the state: enum ph_state, or PH_ST_UNSCANNED
 * for a PFN the load-time scan has not classified yet (it reads as
 * stable). Bit 7, PH_SC_LOCK, is the seed's state-change lock
 * (page_test_set_state_change): set while a transition decides, so two
 * transitions of one page never interleave. A large folio's state is in
 * the byte of each of its pages, its lock in the head page's byte.
 *
 * Protocol.
 *  - A locked transition takes the lock with a cmpxchg from an unlocked
 *    value (ph_sb_trylock()), with interrupts off: the lock is held for a
 *    few dozen instructions and never across an interrupt that could spin
 *    on it. It stores the tails of a large folio (ph_sb_store_tail(), or
 *    eight at a time with ph_sb_cmpxchg_tails(), which leaves the word's
 *    other bytes and any store made meanwhile as they are) and then
 *    publishes the head's new state with a release store, which drops
 *    the lock (ph_sb_unlock()): whoever sees the lock gone sees the tails.
 *  - A lock holder without a reference on the folio (the read ring) drops
 *    the lock with a cmpxchg from the locked value (ph_sb_unlock_if()): if
 *    an allocator store came in meanwhile, the page was freed or reused,
 *    and the allocator's value stays.
 *  - The allocator hooks store without the lock (ph_sb_store()): a page
 *    being freed, or just allocated, has no user left that could change
 *    its state, and a lock holder without a reference loses to them.
 *  - A transition of one byte that needs no decision under the lock (a
 *    lookup's volatile -> stable of a small folio, the scans, the unscan,
 *    ph_state_set()) is a cmpxchg from the value it read (ph_sb_cmpxchg()):
 *    it loses to any store made meanwhile and may retry.
 *
 * The writers:
 *   writer                          helpers                  context
 *   ph_states_init()                memset to unscanned      load, no hook yet
 *   ph_store_state(): the alloc,    ph_sb_store              allocator hooks,
 *     free, bulk, contig, compact                            any context
 *     and migrate hooks (states_migrate
 *     and its 7.x stand-ins _new,
 *     _balloon, _zs)
 *   __ph_try_volatile(): the        ph_sb_trylock,           strategic points,
 *     strategic points (MGLRU's     ph_sb_store_tail,        interrupts off
 *     aging walk included), scan    ph_sb_cmpxchg_tails,
 *                                   ph_sb_unlock
 *   ph_ring_try() (states_read.c):  ph_sb_trylock,           read path, irqs
 *     the read point                ph_sb_unlock_if          off, no reference
 *   ph_make_stable(): lookups       ph_sb_cmpxchg (small);   any context
 *                                   ph_sb_trylock, _store_tail,
 *                                   _cmpxchg_tails, _unlock
 *                                   (large, irqs off)
 *   ph_fast_stable(): the read and  ph_sb_cmpxchg            preemption off
 *     fault-around walks
 *   ph_state_set(): the balloon     ph_sb_cmpxchg            any context
 *   ph_scan_store(): scan, sweep    ph_sb_cmpxchg            process
 *   ph_states_unscan()              ph_sb_cmpxchg            process
 */
#ifndef _PH_STATE_BYTE_H
#define _PH_STATE_BYTE_H

#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/types.h>
#include "uapi/pagehint.h"

#define PH_STATE_MASK	0x07
#define PH_SC_LOCK	0x80
/* Not classified by the scan yet; reads as stable (ph_byte_state()). */
#define PH_ST_UNSCANNED	4

static inline enum ph_state ph_byte_state(u8 b)
{
	b &= PH_STATE_MASK;
	return b == PH_ST_UNSCANNED ? PH_ST_STABLE : b;
}

/* Allocator store: no lock (see above); @v is a state. */
static __always_inline void ph_sb_store(u8 *b, u8 v)
{
	WRITE_ONCE(*b, v);
}

/* Take the lock of @b if it holds @old (unlocked), storing @state with it. */
static __always_inline bool ph_sb_trylock(u8 *b, u8 old, u8 state)
{
	return try_cmpxchg(b, &old, state | PH_SC_LOCK);
}

/* A tail page's byte, under the head's lock. */
static __always_inline void ph_sb_store_tail(u8 *b, u8 v)
{
	WRITE_ONCE(*b, v);
}

/*
 * Tail bytes of one aligned word of the table, under the head's lock: the
 * bytes in @mask become those of @v unless the word changed since it read
 * @old (an allocator store, or a byte of another folio outside @mask).
 */
static __always_inline bool ph_sb_cmpxchg_tails(unsigned long *w,
						unsigned long old,
						unsigned long mask,
						unsigned long v)
{
	return try_cmpxchg(w, &old, (old & ~mask) | (v & mask));
}

/* Publish @v and drop the lock, after the tails. */
static __always_inline void ph_sb_unlock(u8 *b, u8 v)
{
	/* release: pairs with the lock's cmpxchg; the tails are seen first */
	smp_store_release(b, v);
}

/* Drop the lock taken as @locked, with @v, unless @b changed meanwhile. */
static __always_inline bool ph_sb_unlock_if(u8 *b, u8 locked, u8 v)
{
	return try_cmpxchg(b, &locked, v);
}

/* A lockless one-byte transition: @old -> @v unless @b changed. */
static __always_inline bool ph_sb_cmpxchg(u8 *b, u8 old, u8 v)
{
	return try_cmpxchg(b, &old, v);
}

#endif /* _PH_STATE_BYTE_H */
