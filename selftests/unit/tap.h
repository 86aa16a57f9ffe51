/* SPDX-License-Identifier: GPL-2.0 */
/* Minimal TAP for the host unit tests: ok/not ok lines, a plan, an exit. */
#ifndef PH_TAP_H
#define PH_TAP_H
#include <stdio.h>
#include <stdlib.h>

static int tap_n, tap_fail;

#define TAP_OK(cond, ...) do {						\
	tap_n++;							\
	if (!(cond))							\
		tap_fail++;						\
	printf("%sok %d ", (cond) ? "" : "not ", tap_n);		\
	printf(__VA_ARGS__);						\
	printf("\n");							\
} while (0)

/* A whole file, NUL-terminated; its length in *@n (unless NULL). */
static inline char *tap_slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *b;
	long len;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	b = calloc(1, (size_t)len + 1);
	if (b && fread(b, 1, (size_t)len, f) != (size_t)len) {
		free(b);
		b = NULL;
	}
	fclose(f);
	if (n)
		*n = (size_t)len;
	return b;
}

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_fail ? 1 : 0;
}
#endif
