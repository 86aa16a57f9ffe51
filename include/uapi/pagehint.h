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

/* Page states (seed 000): what the host may do with a guest page. */
enum ph_state {
	PH_ST_UNUSED,		/* free: the host may forget its content */
	PH_ST_STABLE,		/* the host must keep it */
	PH_ST_VOLATILE,		/* clean page cache: the host may discard it */
	PH_ST_DISCARDED,	/* the host discarded it; next access faults */
	PH_ST_NR,
	PH_ST_NONE = 0xff,	/* not in the table (hole, offline) */
};
#define PH_STATE_NAMES	{ "unused", "stable", "volatile", "discarded" }

/* Where a transition happened: the seed's strategic points and lookups. */
enum ph_site {
	PH_SITE_SCAN,		/* load-time scan or verify */
	PH_SITE_FREE,		/* page freed to the buddy / per-CPU lists */
	PH_SITE_ALLOC,		/* page allocated */
	PH_SITE_UNLOCK,		/* folio_unlock (read completed, ...) */
	PH_SITE_WRITEBACK,	/* folio_end_writeback */
	PH_SITE_MAP,		/* map count increase (page_add_file_rmap) */
	PH_SITE_DEACTIVATE,	/* active -> inactive */
	PH_SITE_READ,		/* added to the page cache / fault read */
	PH_SITE_LOOKUP,		/* page-cache lookup: stable on lookup */
	PH_SITE_DIRTY,		/* dirtied */
	PH_SITE_COW,		/* copy-on-write */
	PH_SITE_HOST,		/* the host model (discard, forget) */
	PH_SITE_BALLOON,	/* balloon inflate / deflate */
	PH_SITE_PUT,		/* a page-cache reference was put */
	PH_SITE_MIGRATE,	/* migration target filled */
	PH_SITE_NR,
};
#define PH_SITE_NAMES { "scan", "free", "alloc", "unlock", "writeback", \
	"map", "deactivate", "read", "lookup", "dirty", "cow", "host", \
	"balloon", "put", "migrate" }

/* Why a page stays stable: the seed's 11 conditions, plus "mapped". */
enum ph_reason {
	PH_R_NONE,		/* no reason: the page may be volatile */
	PH_R_RESERVED,
	PH_R_DIRTY,
	PH_R_WRITEBACK,
	PH_R_LOCKED,
	PH_R_ANON,
	PH_R_NO_MAPPING,
	PH_R_NOT_UPTODATE,
	PH_R_PRIVATE,
	PH_R_DISCARDED,
	PH_R_NOT_LRU,
	PH_R_REFCOUNT,		/* refcount != mapcount + known references */
	PH_R_MAPPED,		/* mapped, and no per-pte dirty check asked */
	PH_R_BUSY,		/* another CPU holds the state-change lock */
	PH_R_NR,
};
#define PH_REASON_NAMES { "none", "reserved", "dirty", "writeback", \
	"locked", "anon", "no_mapping", "not_uptodate", "private", \
	"discarded", "not_lru", "refcount", "mapped", "busy" }

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
