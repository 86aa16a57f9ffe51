/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Shared between pagehint.ko and pagehintctl: names, paths and the one
 * parser both sides must agree on. Plain C, no libc and no kernel headers,
 * so the host unit tests compile it as it is.
 */
#ifndef _UAPI_PAGEHINT_H
#define _UAPI_PAGEHINT_H

#define PAGEHINT_VERSION	"0.1.0"
#define PAGEHINT_DEBUGFS	"/sys/kernel/debug/pagehint"

/*
 * The name lists: every page state, site and refusal reason once, as
 * EM(CONSTANT, "name") items, the last one EMe() (the model of the kernel's
 * include/trace/events/migrate.h). PH_LIST(LIST(EM, EMe)) expands a list
 * with item macros of the user's choice; from each list come the enum
 * (PH_ENUM), the name table of the CLI and the control files (PH_NAME),
 * and, in include/pagehint_trace.h, TRACE_DEFINE_ENUM and
 * __print_symbolic. A list is parenthesised (one expression, as checkpatch
 * reads a macro); PH_LIST() takes the parentheses off. The bpftrace
 * scripts spell the names again: a host unit test compares them with the
 * lists (selftests/unit/test_names.c).
 */
#define __PH_ITEMS(...)		__VA_ARGS__
#define __PH_EXPAND(...)	__VA_ARGS__
#define PH_LIST(list)		__PH_EXPAND(__PH_ITEMS list)
#define PH_ENUM(c, name)	c,
#define PH_NAME(c, name)	\
	[c] = name,

/* Page states (seed 000): what the host may do with a guest page. */
#define PH_STATES(EM, EMe)						\
	(EM(PH_ST_UNUSED, "unused")	/* free: the host may forget it */ \
	 EM(PH_ST_STABLE, "stable")	/* the host must keep it */	\
	 EM(PH_ST_VOLATILE, "volatile")	/* clean page cache: may discard */ \
	 EMe(PH_ST_DISCARDED, "discarded")) /* discarded; access faults */

enum ph_state {
	PH_LIST(PH_STATES(PH_ENUM, PH_ENUM))
	PH_ST_NR,
	PH_ST_NONE = 0xff,	/* not in the table (hole, offline) */
};
#define PH_STATE_NAMES	{ PH_LIST(PH_STATES(PH_NAME, PH_NAME)) }

/*
 * Where a transition happened: the seed's strategic points (a page may
 * become volatile there; one name each for the policy volatile_NAME, the
 * hook states_NAME and the site PH_SITE_NAME), the lookups that make a
 * page stable, and the allocator's and scans' stores.
 */
#define PH_SITES(EM, EMe)						\
	(EM(PH_SITE_SCAN, "scan")	/* load-time scan or verify */	\
	 EM(PH_SITE_FREE, "free")	/* freed to buddy / per-CPU lists */ \
	 EM(PH_SITE_ALLOC, "alloc")	/* allocated */			\
	 EM(PH_SITE_UNLOCK, "unlock")	/* point: folio_unlock */	\
	 EM(PH_SITE_WRITEBACK, "writeback") /* point: folio_end_writeback */ \
	 EM(PH_SITE_MAP, "map")		/* point: page_add_file_rmap */	\
	 EM(PH_SITE_DEACTIVATE, "deactivate") /* point: active -> inactive */ \
	 EM(PH_SITE_READ, "read")	/* point: a read() put its folios */ \
	 EM(PH_SITE_LOOKUP, "lookup")	/* page-cache lookup: stable */	\
	 EM(PH_SITE_DIRTY, "dirty")	/* dirtied: stable */		\
	 EM(PH_SITE_COW, "cow")		/* copy-on-write source: stable */ \
	 EM(PH_SITE_BALLOON, "balloon")	/* balloon inflate / deflate */	\
	 EM(PH_SITE_PUT, "put")		/* point: release_pages */	\
	 EMe(PH_SITE_MIGRATE, "migrate")) /* migration target filled */

enum ph_site {
	PH_LIST(PH_SITES(PH_ENUM, PH_ENUM))
	PH_SITE_NR,
};
#define PH_SITE_NAMES	{ PH_LIST(PH_SITES(PH_NAME, PH_NAME)) }

/* Why a page stays stable: the seed's 11 conditions, plus two. */
#define PH_REASONS(EM, EMe)						\
	(EM(PH_R_NONE, "none")		/* none: the page may be volatile */ \
	 EM(PH_R_RESERVED, "reserved")					\
	 EM(PH_R_DIRTY, "dirty")					\
	 EM(PH_R_WRITEBACK, "writeback")				\
	 EM(PH_R_LOCKED, "locked")					\
	 EM(PH_R_ANON, "anon")						\
	 EM(PH_R_NO_MAPPING, "no_mapping")				\
	 EM(PH_R_NOT_UPTODATE, "not_uptodate")				\
	 EM(PH_R_PRIVATE, "private")					\
	 EM(PH_R_DISCARDED, "discarded")				\
	 EM(PH_R_NOT_LRU, "not_lru")					\
	 EM(PH_R_REFCOUNT, "refcount")	/* refs != mapcount + known */	\
	 EM(PH_R_MAPPED, "mapped")	/* mapped, no per-pte check */	\
	 EMe(PH_R_BUSY, "busy"))	/* state-change lock held */

enum ph_reason {
	PH_LIST(PH_REASONS(PH_ENUM, PH_ENUM))
	PH_R_NR,
};
#define PH_REASON_NAMES	{ PH_LIST(PH_REASONS(PH_NAME, PH_NAME)) }

/* Longest command a debugfs control file accepts, NUL included. */
#define PAGEHINT_CMD_MAX	128

/**
 * ph_parse_size() - parse "123", "64K", "64M", "1G" (optionally "KiB" etc.)
 * @s: NUL-terminated text, no surrounding blanks
 * @out: parsed value in bytes (or plain units when no suffix is given)
 *
 * Return: 0 on success, -22 (EINVAL) on malformed text, -34 (ERANGE) when
 * the value does not fit in 64 bits. @out is untouched on error.
 */
static inline int ph_parse_size(const char *s, unsigned long long *out)
{
	unsigned long long v = 0, mul = 1;
	const char *p = s;

	if (!s || *p < '0' || *p > '9')
		return -22;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned int d = (unsigned int)(*p - '0');

		if (v > (~0ULL - d) / 10)
			return -34;
		v = v * 10 + d;
	}
	switch (*p) {
	case '\0':
		break;
	case 'k': case 'K':
		mul = 1ULL << 10;
		break;
	case 'm': case 'M':
		mul = 1ULL << 20;
		break;
	case 'g': case 'G':
		mul = 1ULL << 30;
		break;
	default:
		return -22;
	}
	if (*p) {
		p++;
		if (p[0] == 'i' && p[1] == 'B')
			p += 2;
		else if (p[0] == 'B')
			p++;
		if (*p)
			return -22;
	}
	if (v && mul > ~0ULL / v)
		return -34;
	*out = v * mul;
	return 0;
}

#endif /* _UAPI_PAGEHINT_H */
