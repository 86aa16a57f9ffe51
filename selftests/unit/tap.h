/* SPDX-License-Identifier: GPL-2.0 */
/* Minimal TAP for the host unit tests: ok/not ok lines, a plan, an exit. */
#ifndef PH_TAP_H
#define PH_TAP_H
#include <stdio.h>

static int tap_n, tap_fail;

#define TAP_OK(cond, ...) do {						\
	tap_n++;							\
	if (!(cond))							\
		tap_fail++;						\
	printf("%sok %d ", (cond) ? "" : "not ", tap_n);		\
	printf(__VA_ARGS__);						\
	printf("\n");							\
} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_fail ? 1 : 0;
}
#endif
