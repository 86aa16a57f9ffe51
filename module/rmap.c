// SPDX-License-Identifier: GPL-2.0
/*
 * pagehint rmap: the reverse-map inspector (seed 001, seed 004).
 *
 * Question: "which page table entries map this physical page?" The answer
 * is the kernel's own reverse map, asked the way reclaim asks it:
 *
 *  - file pages: the mapping's i_mmap interval tree gives every VMA whose
 *    file range covers folio->index;
 *  - anon pages: folio->mapping is an anon_vma, whose interval tree of
 *    anon_vma_chains gives every VMA (in every forked process) that may map
 *    it. Since the anon_vma chains of 2.6.34 (seed 004), a page COWed in a
 *    child lives in the child's own anon_vma, so its walk is O(1) in the
 *    number of forked children; a page still shared by all N is O(N);
 *  - KSM pages: their stable-tree rmap_items.
 *
 * In every case the virtual address in a VMA follows DaveM's rule (seed 001):
 *     vaddr = vm_start + ((index - vm_pgoff) << PAGE_SHIFT)
 * which stays right across fork and mremap because mremap keeps vm_pgoff.
 *
 * The walk is rmap_walk() with our rmap_one(), which runs
 * page_vma_mapped_walk() to find the pte (or PMD of a THP) under its page
 * table lock and reads its bits. Neither is exported: both are resolved once
 * at load through ph_lookup_symbol(); if either is missing the component is
 * unsupported (-ENODEV) and the module loads without it.
 *
 * Locking, as the kernel's own walkers do it: take a folio reference first
 * (folio_try_get on the PFN's folio, re-checked against page_folio), then
 * the folio lock (file and KSM walks need it; it also keeps the anon_vma
 * stable), then rmap_walk() takes i_mmap_rwsem or the anon_vma rwsem for
 * read, and page_vma_mapped_walk() the page table lock. rmap_one() never
 * allocates: the result array is sized from the page's mapcount before the
 * walk and grown and retried if mappings were added meanwhile.
 *
 * "pid P addr A" finds the PFN without faulting anything in: find_vma()
 * under mmap_lock, a PMD check for a THP, then the pte under its page
 * table lock (ph_pte_map_lock()); the folio reference is taken under it. hugetlb,
 * PFN maps and special mappings are not in the reverse map (-EOPNOTSUPP).
 *
 * The owner of an mm is mm->owner (CONFIG_MEMCG); the pid is printed in the
 * reader's pid namespace.
 *
 * An answer (struct ph_rmap_answer, for the control file "rmap" in
 * debugfs/rmap.c) is text, a summary line and a table:
 *
 *   pfn 4660 folio 4660 order 0 kind file dev 254:0 ino 12 index 3
 *       mapcount 2 vmas 2 mappings 2 lost 0 walk_ns 5400
 *   pid comm vaddr present writable dirty young kind ino index
 *   812 rmap_fork 0x7f2c1a403000 1 0 0 1 file 12 3
 *
 * "vmas" is how many VMAs the walk visited, "mappings" how many ptes map
 * the page; "lost" mappings did not fit (mapped more times meanwhile, after
 * two retries). walk_ns: the rmap walk alone.
 *
 * Policy volatile_mapped: see ph_rmap_mapped_clean() below.
 */
#define pr_fmt(fmt) "pagehint: rmap: " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/rmap.h>
#include <linux/pagemap.h>
#include <linux/memory_hotplug.h>
#include <linux/hugetlb.h>
#include <linux/ksm.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/pid_namespace.h>
#include <linux/slab.h>
#include <linux/kref.h>
#include <linux/ktime.h>
#include "pagehint.h"
#include "ph_hooks.h"
#include "ph_compat.h"
#include "ph_states.h"
#include "ph_rmap.h"

/*
 * The kernel's rmap walkers: not exported, resolved once at init into
 * static calls (never called through a pointer: see ph_resolve()).
 */
DEFINE_STATIC_CALL_RET0(ph_rmap_walk, rmap_walk);
DEFINE_STATIC_CALL_RET0(ph_pvmw, page_vma_mapped_walk);

static int ph_rmap_mapped_apply(const struct ph_policy *p, unsigned long val);

PH_POLICY(ph_volatile_mapped, volatile_mapped, 0, 0, 1, "0/1",
	  ph_rmap_mapped_apply,
	  "a mapped page-cache page may become volatile when no pte maps it dirty or writable");

#define PH_PTE_PRESENT	0x1
#define PH_PTE_WRITE	0x2
#define PH_PTE_DIRTY	0x4
#define PH_PTE_YOUNG	0x8

/* Mapped-page array bounds: a sane upper limit, and the retry factor. */
#define PH_RMAP_MAX_ENTRIES	(1U << 20)
#define PH_RMAP_SLACK		16

struct ph_rmap_ent {
	unsigned long vaddr;
	pid_t pid;
	u8 bits;
	char comm[TASK_COMM_LEN];
};

/* What one walk saw, summed over every pte (or PMD) mapping the page. */
struct ph_rmap_summary {
	unsigned int vmas;	/* VMAs the walk visited (rmap_one calls) */
	unsigned int ptes;	/* ptes / PMDs found mapping the page */
	unsigned int writable, dirty, young;
};

/* One walk: filled by rmap_one under the rmap and page table locks. */
struct ph_rmap_walk {
	unsigned long pfn;		/* the page asked for */
	struct pid_namespace *ns;	/* pids are printed in this namespace */
	struct ph_rmap_ent *ents;	/* NULL: summary only */
	unsigned int cap, n, lost;	/* array size, used, did not fit */
	struct ph_rmap_summary sum;
};

/* What the answer says about the page itself; read under the folio lock. */
struct ph_rmap_page {
	const char *kind;
	unsigned long folio_pfn, ino, index;
	unsigned int order;
	int mapcount;
	dev_t dev;
	bool has_ino, has_index;
};


static const char *const ph_pid_comm_none = "-";

static pid_t ph_mm_owner(struct mm_struct *mm, struct pid_namespace *ns,
			 char *comm)
{
	pid_t pid = 0;
#ifdef CONFIG_MEMCG
	struct task_struct *t;

	rcu_read_lock();
	t = rcu_dereference(mm->owner);
	if (t) {
		pid = task_tgid_nr_ns(t, ns);
		/* comm is always NUL-terminated; a racing rename is harmless */
		memcpy(comm, t->comm, TASK_COMM_LEN);
		comm[TASK_COMM_LEN - 1] = '\0';
	}
	rcu_read_unlock();
#endif
	if (!pid)
		strscpy(comm, ph_pid_comm_none, TASK_COMM_LEN);
	return pid;
}

static void ph_rmap_record(struct ph_rmap_walk *w, struct vm_area_struct *vma,
			   unsigned long vaddr, u8 bits)
{
	struct ph_rmap_ent *e;

	w->sum.ptes++;
	w->sum.writable += !!(bits & PH_PTE_WRITE);
	w->sum.dirty += !!(bits & PH_PTE_DIRTY);
	w->sum.young += !!(bits & PH_PTE_YOUNG);
	if (!w->ents)
		return;
	if (w->n >= w->cap) {
		w->lost++;
		return;
	}
	e = &w->ents[w->n++];
	e->vaddr = vaddr;
	e->bits = bits;
	e->pid = ph_mm_owner(vma->vm_mm, w->ns, e->comm);
}

static u8 ph_pte_bits(pte_t pte)
{
	return PH_PTE_PRESENT | (pte_write(pte) ? PH_PTE_WRITE : 0) |
	       (pte_dirty(pte) ? PH_PTE_DIRTY : 0) |
	       (pte_young(pte) ? PH_PTE_YOUNG : 0);
}

#ifdef CONFIG_TRANSPARENT_HUGEPAGE
static u8 ph_pmd_bits(pmd_t pmd)
{
	return PH_PTE_PRESENT | (pmd_write(pmd) ? PH_PTE_WRITE : 0) |
	       (pmd_dirty(pmd) ? PH_PTE_DIRTY : 0) |
	       (pmd_young(pmd) ? PH_PTE_YOUNG : 0);
}
#endif

/*
 * rmap_one: one VMA that may map the folio at @addr. page_vma_mapped_walk()
 * returns with the page table lock held for each pte (or PMD) that maps a
 * page of the folio, and drops it when it returns false.
 */
static bool ph_rmap_one(struct folio *folio, struct vm_area_struct *vma,
			unsigned long addr, void *arg)
{
	struct ph_rmap_walk *w = arg;
	/*
	 * DEFINE_FOLIO_VMA_WALK() spelled out: its folio_pgoff() links to
	 * hugetlb_basepage_index() (not exported); hugetlb is never walked.
	 */
	struct page_vma_mapped_walk pvmw = {
		.pfn = folio_pfn(folio),
		.nr_pages = folio_nr_pages(folio),
		.pgoff = folio->index,
		.vma = vma,
		.address = addr,
	};

	w->sum.vmas++;
	while (static_call(ph_pvmw)(&pvmw)) {
		unsigned long vaddr = pvmw.address;
		u8 bits;

		if (pvmw.pte) {
			pte_t pte = ptep_get(pvmw.pte);

			/* device-private entries are "mapped" but not present */
			if (!pte_present(pte)) {
				if (w->pfn == folio_pfn(folio) +
				    ((vaddr - addr) >> PAGE_SHIFT))
					ph_rmap_record(w, vma, vaddr, 0);
				continue;
			}
			if (pte_pfn(pte) != w->pfn)
				continue;
			bits = ph_pte_bits(pte);
		} else {
#ifdef CONFIG_TRANSPARENT_HUGEPAGE
			pmd_t pmd = *pvmw.pmd;
			unsigned long base = pmd_pfn(pmd);

			if (w->pfn < base || w->pfn >= base + HPAGE_PMD_NR)
				continue;
			vaddr += (w->pfn - base) << PAGE_SHIFT;
			bits = ph_pmd_bits(pmd);
#else
			continue;
#endif
		}
		ph_rmap_record(w, vma, vaddr, bits);
	}
	return true;
}

/* The folio is referenced and locked by the caller. */
static void ph_rmap_do_walk(struct folio *folio, struct ph_rmap_walk *w)
{
	struct rmap_walk_control rwc = {
		.arg = w,
		.rmap_one = ph_rmap_one,
	};

	if (!folio_mapped(folio))
		return;
	if (!folio_test_anon(folio) && !folio_mapping(folio))
		return;
	static_call(ph_rmap_walk)(folio, &rwc);
}

/*
 * Policy volatile_mapped, the per-pte dirty check (seed 000, "patch #4":
 * x86 keeps dirty bits in the ptes, where a host cannot see them). The
 * page-state engine asks ph_rmap_mapped_clean() before it lets a mapped
 * page-cache folio become volatile: only when no pte maps it dirty or
 * writable. A store through a clean, write-protected pte faults, and the
 * fault (page_mkwrite, folio_mark_dirty) makes the page stable again.
 *
 * It runs in atomic context (interrupts off, the state-change lock held),
 * so it cannot use rmap_walk() (which may sleep: rwsems, cond_resched())
 * nor page_vma_mapped_walk() (which waits for page table locks). It walks
 * the file's i_mmap tree itself with trylocks only: the folio lock (which
 * keeps the mapping alive), i_mmap_rwsem for read, then the pte of each
 * VMA at vaddr = vm_start + ((index - vm_pgoff) << PAGE_SHIFT) (seed 001)
 * under a tried page table lock. Small folios only (the engine keeps
 * mapped large folios stable). Anything it cannot decide cheaply
 * (contention, interrupt context, more than PH_RMAP_ATOMIC_VMAS mappings)
 * keeps the folio stable.
 */
#define PH_RMAP_ATOMIC_VMAS	64

/* The i_mmap tree's walkers (not exported; ph_compat.h names them). */
DEFINE_STATIC_CALL_RET0(ph_vma_first, PH_VMA_ITER_FIRST);
DEFINE_STATIC_CALL_RET0(ph_vma_next, PH_VMA_ITER_NEXT);
static bool ph_have_vma_iter;

/*
 * ph_pte_map_lock() - the pte of @addr, its page table lock held
 * @mm: the address space
 * @pmd: the pmd entry covering @addr; the levels above it were checked
 * @addr: the address
 * @try: only try the lock (atomic context: see ph_rmap_vma_clean())
 * @ptlp: the lock taken, for ph_pte_unmap_unlock()
 *
 * pte_offset_map_lock() done here: the kernel's __pte_offset_map_lock()
 * and __pte_offset_map() are not exported (6.5 on), and follow_pte(), which
 * did it for us on 6.1, serves no normal VMA since 6.12. As
 * __pte_offset_map() does: one lockless read of the pmd, a page table
 * followed only inside an RCU read-side section (khugepaged frees an
 * emptied page table through RCU with no more than the i_mmap lock held
 * for read), and once the lock is held the pmd must still be the one read,
 * or the table was freed or replaced meanwhile. (A single load reads the
 * pmd on x86-64, where pmdp_get_lockless() is one; 6.1 lacks the helper.)
 *
 * Return: the pte, or NULL: no page table there (none, huge, migrating),
 * the lock busy (@try), or the pmd changed.
 */
static pte_t *ph_pte_map_lock(struct mm_struct *mm, pmd_t *pmd,
			      unsigned long addr, bool try, spinlock_t **ptlp)
{
	spinlock_t *ptl;
	pmd_t pmdval;

	rcu_read_lock();
	pmdval = READ_ONCE(*pmd);
	if (pmd_none(pmdval) || !pmd_present(pmdval) || pmd_leaf(pmdval) ||
	    pmd_bad(pmdval))
		goto fail;
	ptl = pte_lockptr(mm, &pmdval);
	if (!try)
		spin_lock(ptl);
	else if (!spin_trylock(ptl))
		goto fail;
	if (!pmd_same(pmdval, READ_ONCE(*pmd))) {
		spin_unlock(ptl);
		goto fail;
	}
	*ptlp = ptl;
	return pte_offset_kernel(&pmdval, addr);
fail:
	rcu_read_unlock();
	return NULL;
}

static void ph_pte_unmap_unlock(spinlock_t *ptl)
{
	spin_unlock(ptl);
	rcu_read_unlock();
}

/*
 * Does the pte of @vma that may map the small @folio map it dirty or
 * writable? The page tables of a VMA in the i_mmap tree cannot be freed
 * while we hold i_mmap_rwsem (munmap unlinks the VMA under the write lock
 * before freeing them), so the upper levels are read locklessly, as
 * page_vma_mapped_walk() does. The page table lock is only TRIED: the
 * kernel takes ptl -> state-change lock (a fault maps a page and makes it
 * stable under the ptl); we hold the state-change lock here, so waiting
 * for a ptl could deadlock. A busy ptl keeps the folio stable.
 * Return: true when clean (or not mapped here), false otherwise.
 */
static bool ph_rmap_vma_clean(struct folio *folio, struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long addr, pfn = folio_pfn(folio);
	bool clean = true;
	spinlock_t *ptl;
	pmd_t *pmd, pmdval;
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t *pud;
	pte_t *ptep, pte;

	if (folio->index < vma->vm_pgoff)
		return true;
	addr = vma->vm_start + ((folio->index - vma->vm_pgoff) << PAGE_SHIFT);
	if (addr >= vma->vm_end)
		return true;
	pgd = pgd_offset(mm, addr);
	if (!pgd_present(READ_ONCE(*pgd)))
		return true;
	p4d = p4d_offset(pgd, addr);
	if (!p4d_present(READ_ONCE(*p4d)))
		return true;
	pud = pud_offset(p4d, addr);
	if (!pud_present(READ_ONCE(*pud)))
		return true;
	if (pud_leaf(READ_ONCE(*pud)))
		return false;
	pmd = pmd_offset(pud, addr);
	pmdval = READ_ONCE(*pmd);
	if (pmd_none(pmdval))
		return true;
	if (!pmd_present(pmdval) || pmd_leaf(pmdval) || pmd_bad(pmdval))
		return false;	/* migrating, huge, or changing: stay stable */
	ptep = ph_pte_map_lock(mm, pmd, addr, true, &ptl);
	if (!ptep)
		return false;	/* busy, or the table changed */
	pte = ptep_get(ptep);
	if (pte_present(pte) && pte_pfn(pte) == pfn)
		clean = !pte_write(pte) && !pte_dirty(pte);
	ph_pte_unmap_unlock(ptl);
	return clean;
}

/*
 * ph_rmap_mapped_clean() - may this mapped page-cache folio be volatile?
 * @folio: referenced by the caller, state-change lock held
 * @locked: the folio lock is held for us (the unlock strategic point runs
 *          at folio_unlock() entry, inside the lock holder's call)
 *
 * Context: atomic (interrupts disabled); never sleeps.
 * Return: true when every pte mapping @folio is clean and read-only.
 */
static bool ph_rmap_mapped_clean(struct folio *folio, bool locked)
{
	struct address_space *mapping;
	struct vm_area_struct *vma;
	unsigned int seen = 0;
	pgoff_t first, last;
	bool clean = false;

	if (in_interrupt() || folio_test_large(folio) ||
	    (!locked && !folio_trylock(folio)))
		return false;
	mapping = folio_mapping(folio);
	if (!mapping || folio_test_anon(folio) || folio_test_ksm(folio))
		goto unlock;
	if (!i_mmap_trylock_read(mapping))
		goto unlock;
	first = folio->index;
	last = first + folio_nr_pages(folio) - 1;
	clean = true;
	for (vma = static_call(ph_vma_first)(ph_vma_tree_root(mapping), first,
					     last);
	     vma && clean; vma = static_call(ph_vma_next)(vma, first, last)) {
		if (++seen > PH_RMAP_ATOMIC_VMAS)
			clean = false;
		else
			clean = ph_rmap_vma_clean(folio, vma);
	}
	i_mmap_unlock_read(mapping);
unlock:
	if (!locked)
		folio_unlock(folio);
	return clean;
}

/* volatile_mapped apply(): install or remove the check (ph_policy_lock). */
static int ph_rmap_mapped_apply(const struct ph_policy *p, unsigned long val)
{
	if (val && !ph_have_vma_iter)
		return -ENODEV;
	return ph_states_set_mapped_check(val ? ph_rmap_mapped_clean : NULL);
}

/*
 * A reference on the folio holding @page, or NULL when it is free. The
 * folio may be split or freed between page_folio() and the get: re-check.
 */
static struct folio *ph_folio_get(struct page *page)
{
	struct folio *folio;

	for (;;) {
		folio = page_folio(page);
		if (!folio_try_get(folio))
			return NULL;
		if (likely(page_folio(page) == folio))
			return folio;
		folio_put(folio);
	}
}

static const char *ph_rmap_kind(struct folio *folio, unsigned long pfn)
{
	if (is_zero_pfn(pfn))
		return "zero";
	if (!folio)
		return "free";
	if (folio_test_hugetlb(folio))
		return "hugetlb";
	if (folio_test_ksm(folio))
		return "ksm";
	if (folio_test_anon(folio))
		return "anon";
	if (folio_mapping(folio))
		return "file";
	return "none";
}

static void ph_rmap_answer_free(struct kref *ref)
{
	kvfree(container_of(ref, struct ph_rmap_answer, ref));
}

/* Drop a reference on @a (NULL is ignored); the last one frees it. */
void ph_rmap_answer_put(struct ph_rmap_answer *a)
{
	if (a)
		kref_put(&a->ref, ph_rmap_answer_free);
}

/* Take a reference on @a (NULL is ignored). */
struct ph_rmap_answer *ph_rmap_answer_get(struct ph_rmap_answer *a)
{
	if (a)
		kref_get(&a->ref);
	return a;
}

/* Describe the page; file details only under the folio lock (@locked). */
static void ph_rmap_describe(unsigned long pfn, struct folio *folio,
			     struct ph_rmap_page *pg, bool locked)
{
	struct page *page = pfn_to_page(pfn);

	memset(pg, 0, sizeof(*pg));
	pg->kind = ph_rmap_kind(folio, pfn);
	pg->folio_pfn = folio ? folio_pfn(folio) : pfn;
	if (!folio)
		return;
	pg->order = folio_order(folio);
	pg->mapcount = ph_page_mapcount(folio, page);
	if (folio_test_anon(folio) || folio_mapping(folio)) {
		pg->index = ph_page_pgoff(folio, page);
		pg->has_index = true;
	}
	if (locked && !strcmp(pg->kind, "file")) {
		struct inode *host = folio_mapping(folio)->host;

		pg->ino = host->i_ino;
		pg->dev = host->i_sb->s_dev;
		pg->has_ino = true;
	}
}

/* Print the answer for @pfn from a finished walk. */
static struct ph_rmap_answer *ph_rmap_format(unsigned long pfn,
					     const struct ph_rmap_page *pg,
					     struct ph_rmap_walk *w, u64 ns,
					     const char *from)
{
	char ino_s[24] = "-", index_s[24] = "-";
	struct ph_rmap_answer *a;
	size_t size, len;
	unsigned int i;

	if (pg->has_index)
		snprintf(index_s, sizeof(index_s), "%lu", pg->index);
	if (pg->has_ino)
		snprintf(ino_s, sizeof(ino_s), "%lu", pg->ino);
	size = sizeof(*a) + 512 + (size_t)w->n * 112;
	a = kvmalloc(size, GFP_KERNEL);
	if (!a)
		return NULL;
	kref_init(&a->ref);
	size -= sizeof(*a);
	len = scnprintf(a->text, size,
			"pfn %lu folio %lu order %u kind %s dev %u:%u ino %s index %s mapcount %d vmas %u mappings %u lost %u walk_ns %llu%s\n",
			pfn, pg->folio_pfn, pg->order, pg->kind,
			MAJOR(pg->dev), MINOR(pg->dev), ino_s, index_s,
			pg->mapcount, w->sum.vmas, w->n, w->lost, ns, from);
	len += scnprintf(a->text + len, size - len,
			 "pid comm vaddr present writable dirty young kind ino index\n");
	for (i = 0; i < w->n; i++) {
		struct ph_rmap_ent *e = &w->ents[i];
		char *c;

		/* one token per column: blanks in a comm become '_' */
		for (c = e->comm; *c; c++)
			if (*c <= ' ')
				*c = '_';
		len += scnprintf(a->text + len, size - len,
				 "%d %s 0x%lx %d %d %d %d %s %s %s\n", e->pid,
				 e->comm, e->vaddr, !!(e->bits & PH_PTE_PRESENT),
				 !!(e->bits & PH_PTE_WRITE),
				 !!(e->bits & PH_PTE_DIRTY),
				 !!(e->bits & PH_PTE_YOUNG), pg->kind, ino_s,
				 index_s);
	}
	a->len = len;
	return a;
}

/*
 * Answer for @pfn, whose folio the caller referenced (@folio, NULL for a
 * free page); consumes that reference. Context: process, may sleep.
 */
static int ph_rmap_answer(unsigned long pfn, struct folio *folio,
			  const char *from, struct ph_rmap_answer **out)
{
	struct ph_rmap_walk w = {
		.pfn = pfn,
		.ns = task_active_pid_ns(current),
	};
	struct ph_rmap_page pg;
	unsigned int tries = 3, cap;
	u64 t0, ns = 0;
	int ret = 0;

	if (folio && folio_test_hugetlb(folio)) {
		ret = -EOPNOTSUPP;
		goto out_put;
	}
	ph_rmap_describe(pfn, folio, &pg, false);
	cap = folio ? ph_page_mapcount(folio, pfn_to_page(pfn)) : 0;
	while (tries--) {
		cap = min_t(unsigned int, cap + PH_RMAP_SLACK,
			    PH_RMAP_MAX_ENTRIES);
		kvfree(w.ents);
		w.ents = kvcalloc(cap, sizeof(*w.ents), GFP_KERNEL);
		if (!w.ents) {
			ret = -ENOMEM;
			goto out_put;
		}
		w.cap = cap;
		w.n = 0;
		w.lost = 0;
		memset(&w.sum, 0, sizeof(w.sum));
		if (!folio || is_zero_pfn(pfn))
			break;
		if (folio_lock_killable(folio)) {
			ret = -EINTR;
			goto out_free;
		}
		ph_rmap_describe(pfn, folio, &pg, true);
		t0 = ktime_get_ns();
		ph_rmap_do_walk(folio, &w);
		ns = ktime_get_ns() - t0;
		folio_unlock(folio);
		if (!w.lost || cap >= PH_RMAP_MAX_ENTRIES)
			break;
		/* mapped more times meanwhile: grow and walk again */
		cap = (w.n + w.lost) * 2;
	}
	*out = ph_rmap_format(pfn, &pg, &w, ns, from);
	if (!*out)
		ret = -ENOMEM;
out_free:
	kvfree(w.ents);
out_put:
	if (folio)
		folio_put(folio);
	return ret;
}

/**
 * ph_rmap_query_pfn() - every pte mapping the page at @pfn
 * @pfn: an online PFN
 * @out: the answer (one reference) on success
 *
 * Context: process, sleeps. Return: 0, -ERANGE for a PFN that is not
 * online memory, -EOPNOTSUPP for hugetlb, -EINTR, -ENOMEM.
 */
int ph_rmap_query_pfn(unsigned long pfn, struct ph_rmap_answer **out)
{
	struct page *page = pfn_to_online_page(pfn);

	if (!page)
		return -ERANGE;
	return ph_rmap_answer(pfn, ph_folio_get(page), "", out);
}

/*
 * The PFN mapped at @addr in @mm, with a reference on its folio, without
 * faulting anything in. Called with mmap_lock held for read.
 * Return: 0, -ENXIO when nothing is mapped there, -EOPNOTSUPP for mappings
 * the reverse map does not track (PFN maps, hugetlb).
 */
static int ph_rmap_follow(struct mm_struct *mm, struct vm_area_struct *vma,
			  unsigned long addr, unsigned long *pfnp,
			  struct folio **foliop)
{
	struct page *page = NULL;
	spinlock_t *ptl;
	pte_t *ptep;
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;
	pte_t pte;

	if (is_vm_hugetlb_page(vma) || (vma->vm_flags & (VM_PFNMAP | VM_IO)))
		return -EOPNOTSUPP;
	pgd = pgd_offset(mm, addr);
	if (pgd_none(*pgd) || pgd_bad(*pgd))
		return -ENXIO;
	p4d = p4d_offset(pgd, addr);
	if (p4d_none(*p4d) || p4d_bad(*p4d))
		return -ENXIO;
	pud = pud_offset(p4d, addr);
	if (pud_none(*pud) || pud_bad(*pud))
		return -ENXIO;
	pmd = pmd_offset(pud, addr);
#ifdef CONFIG_TRANSPARENT_HUGEPAGE
	if (pmd_trans_huge(READ_ONCE(*pmd))) {
		pmd_t val;

		ptl = pmd_lock(mm, pmd);
		val = *pmd;
		if (pmd_trans_huge(val) && pmd_present(val)) {
			*pfnp = pmd_pfn(val) + ((addr & ~PMD_MASK) >> PAGE_SHIFT);
			page = pfn_to_online_page(*pfnp);
			*foliop = page ? ph_folio_get(page) : NULL;
		}
		spin_unlock(ptl);
		if (page)
			return 0;
		/* split meanwhile: fall through to the pte level */
	}
#endif
	ptep = ph_pte_map_lock(mm, pmd, addr, false, &ptl);
	if (!ptep)
		return -ENXIO;
	pte = ptep_get(ptep);
	if (pte_present(pte)) {
		*pfnp = pte_pfn(pte);
		if (!pte_special(pte) || is_zero_pfn(*pfnp))
			page = pfn_to_online_page(*pfnp);
		/* mapped under our page table lock: the get cannot fail */
		*foliop = page ? ph_folio_get(page) : NULL;
	}
	ph_pte_unmap_unlock(ptl);
	if (!page)
		return pte_present(pte) ? -EOPNOTSUPP : -ENXIO;
	return 0;
}

/**
 * ph_rmap_query_addr() - the same for the page mapped at @addr in @nr
 * @nr: a pid in the caller's pid namespace
 * @addr: a user address of that process
 * @out: the answer (one reference) on success
 *
 * Faults nothing in. Context: process, sleeps. Return: 0, -ESRCH (no such
 * process, or no mm), -ENXIO (nothing mapped there), -EOPNOTSUPP (a
 * mapping the reverse map does not track), -EINTR, -ENOMEM.
 */
int ph_rmap_query_addr(pid_t nr, unsigned long addr,
		       struct ph_rmap_answer **out)
{
	struct folio *folio = NULL;
	struct vm_area_struct *vma;
	struct task_struct *task;
	struct mm_struct *mm;
	unsigned long pfn = 0;
	char from[64];
	struct pid *pid;
	int ret;

	pid = find_get_pid(nr);
	if (!pid)
		return -ESRCH;
	task = get_pid_task(pid, PIDTYPE_PID);
	put_pid(pid);
	if (!task)
		return -ESRCH;
	mm = get_task_mm(task);
	put_task_struct(task);
	if (!mm)
		return -ESRCH;	/* a kernel thread, or exiting */
	ret = mmap_read_lock_killable(mm);
	if (ret)
		goto out_mm;
	vma = find_vma(mm, addr);
	if (!vma || vma->vm_start > addr)
		ret = -ENXIO;
	else
		ret = ph_rmap_follow(mm, vma, addr, &pfn, &folio);
	mmap_read_unlock(mm);
	if (ret)
		goto out_mm;
	snprintf(from, sizeof(from), " from_pid %d from_addr 0x%lx", nr, addr);
	ret = ph_rmap_answer(pfn, folio, from, out);
out_mm:
	mmput(mm);
	return ret;
}

static int ph_rmap_init(void)
{
	if (ph_resolve(ph_rmap_walk, "rmap_walk") ||
	    ph_resolve(ph_pvmw, "page_vma_mapped_walk")) {
		pr_info("rmap_walk or page_vma_mapped_walk not found: inspector off\n");
		return -ENODEV;
	}
	/* only the atomic per-pte check needs these; optional */
	ph_have_vma_iter =
		!ph_resolve(ph_vma_first, __stringify(PH_VMA_ITER_FIRST)) &&
		!ph_resolve(ph_vma_next, __stringify(PH_VMA_ITER_NEXT));
	if (!ph_have_vma_iter)
		pr_info(__stringify(PH_VMA_ITER_FIRST) " not found: policy volatile_mapped off\n");
	mutex_lock(&ph_policy_lock);
	if (ph_volatile_mapped && ph_rmap_mapped_apply(NULL, 1))
		ph_volatile_mapped = 0;
	mutex_unlock(&ph_policy_lock);
	ph_policy_add(&ph_volatile_mapped_policy);
	return 0;
}

static void ph_rmap_exit(void)
{
	/* waits until no call of the check runs (detaching cannot fail) */
	mutex_lock(&ph_policy_lock);
	ph_states_set_mapped_check(NULL);
	mutex_unlock(&ph_policy_lock);
}

const struct ph_component ph_rmap_component = {
	.name = "rmap",
	.init = ph_rmap_init,
	.exit = ph_rmap_exit,
};
