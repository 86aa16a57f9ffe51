// SPDX-License-Identifier: GPL-2.0
/*
 * phfree: hold anonymous memory, then free it at a moment of the caller's
 * choosing, contiguous or scattered - for the free page reporting tests
 * and benchmarks (does the host get it back, and how soon).
 *
 *   phfree MIB contiguous|scattered|checked
 *
 * Maps MIB MiB (MADV_NOHUGEPAGE for scattered: a guest huge page would
 * keep every 2 MiB block whole), writes every page and prints "touched".
 * Each line on stdin then is a command:
 *   free    contiguous: munmap all; scattered: MADV_DONTNEED every other
 *           4 KiB page (half the memory, none of it mergeable); checked:
 *           like scattered, and the kept pages are verified later
 *   check   verify every kept page still holds its pattern (a page the
 *           host dropped while the guest used it reads as zeroes)
 * and prints "freed NS" (the time the free took, ns) or "check OK|BAD N".
 * EOF exits.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PG 4096UL

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* The pattern of page @i: its index in every word, never zero. */
static void fill(unsigned char *p, size_t i)
{
	uint64_t *w = (uint64_t *)p, v = (i << 1) | 1;
	size_t k;

	for (k = 0; k < PG / sizeof(*w); k++)
		w[k] = v ^ k;
}

static int good(const unsigned char *p, size_t i)
{
	const uint64_t *w = (const uint64_t *)p;
	uint64_t v = (i << 1) | 1;
	size_t k;

	for (k = 0; k < PG / sizeof(*w); k++)
		if (w[k] != (v ^ k))
			return 0;
	return 1;
}

int main(int argc, char **argv)
{
	size_t len, npg, i, bad;
	unsigned char *m;
	char line[64];
	int scattered, freed = 0;
	uint64_t t0;

	if (argc != 3) {
		fprintf(stderr, "usage: phfree MIB contiguous|scattered|checked\n");
		return 2;
	}
	len = strtoul(argv[1], NULL, 10) << 20;
	npg = len / PG;
	scattered = strcmp(argv[2], "contiguous") != 0;
	m = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED) {
		perror("phfree: mmap");
		return 1;
	}
	if (scattered && madvise(m, len, MADV_NOHUGEPAGE))
		perror("phfree: MADV_NOHUGEPAGE");
	for (i = 0; i < npg; i++)
		fill(m + i * PG, i);
	printf("touched\n");
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin)) {
		if (!strncmp(line, "free", 4) && !freed) {
			t0 = now_ns();
			if (!scattered) {
				munmap(m, len);
			} else {
				for (i = 0; i < npg; i += 2)
					madvise(m + i * PG, PG, MADV_DONTNEED);
			}
			freed = 1;
			printf("freed %llu\n", (unsigned long long)(now_ns() - t0));
		} else if (!strncmp(line, "check", 5) && scattered) {
			for (i = freed, bad = 0; i < npg; i += 1 + freed)
				bad += !good(m + i * PG, i);
			printf("check %s %zu\n", bad ? "BAD" : "OK", bad);
		} else {
			printf("?\n");
		}
		fflush(stdout);
	}
	return 0;
}
