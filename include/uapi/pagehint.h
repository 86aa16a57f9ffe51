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
