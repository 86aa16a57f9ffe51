// SPDX-License-Identifier: GPL-2.0
/*
 * used_once: a streaming mmap beside a small hot mapped working set
 * (seed 004, "vmscan: detect mapped file pages used only once").
 *
 *   used_once HOTFILE STREAMFILE [PASSES [MAXPAGES]]
 *
 * Maps both files MAP_SHARED read-only. Streams through STREAMFILE once
 * per pass, one byte per page; every 64 streamed pages it touches every
 * page of HOTFILE, first asking mincore() how many of them reclaim evicted
 * since the last round (each one is a refault of the working set).
 * The first quarter of the first pass is warm-up (the hot set starts on
 * the inactive list like everything else); the rest is measured.
 * Prints: stream_pages N hot_pages N rounds N hot_evicted N (measured part)
 *         refault_file N (/proc/vmstat workingset_refault_file, measured
 *         part) hot_resident_end N majflt N
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static size_t resident(unsigned char *vec, void *p, size_t pages, long pg)
{
	size_t i, n = 0;

	if (mincore(p, pages * (size_t)pg, vec))
		exit(1);
	for (i = 0; i < pages; i++)
		n += vec[i] & 1;
	return n;
}

static long refault_file(void)
{
	char key[64];
	long v;
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		return -1;
	while (fscanf(f, "%63s %ld", key, &v) == 2)
		if (!strcmp(key, "workingset_refault_file")) {
			fclose(f);
			return v;
		}
	fclose(f);
	return -1;
}

static void *map(const char *path, size_t *pages, long pg)
{
	struct stat st;
	void *p;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st))
		exit(1);
	*pages = (size_t)st.st_size / (size_t)pg;
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		exit(1);
	close(fd);
	return p;
}

int main(int argc, char **argv)
{
	size_t hot_pages, stream_pages, i, j, rounds = 0, evicted = 0, warm;
	long refault0 = 0;
	volatile char *hot, *stream;
	long pg = sysconf(_SC_PAGESIZE);
	int pass, passes;
	struct rusage ru;
	unsigned char *vec;
	char sum = 0;

	if (argc < 3)
		return 2;
	passes = argc > 3 ? atoi(argv[3]) : 1;
	hot = map(argv[1], &hot_pages, pg);
	stream = map(argv[2], &stream_pages, pg);
	if (argc > 4 && (size_t)atol(argv[4]) < stream_pages)
		stream_pages = (size_t)atol(argv[4]);
	vec = malloc(hot_pages);
	if (!vec)
		return 1;
	for (j = 0; j < hot_pages; j++)
		sum += hot[j * (size_t)pg];
	warm = stream_pages / 4;
	for (pass = 0; pass < passes; pass++) {
		for (i = 0; i < stream_pages; i++) {
			sum += stream[i * (size_t)pg];
			if (i % 64)
				continue;
			if (!pass && i == warm) {
				evicted = 0;
				rounds = 0;
				refault0 = refault_file();
			}
			evicted += hot_pages - resident(vec, (void *)hot, hot_pages, pg);
			for (j = 0; j < hot_pages; j++)
				sum += hot[j * (size_t)pg];
			rounds++;
		}
	}
	getrusage(RUSAGE_SELF, &ru);
	printf("stream_pages %zu hot_pages %zu rounds %zu hot_evicted %zu refault_file %ld hot_resident_end %zu majflt %ld sum %d\n",
	       stream_pages * (size_t)passes, hot_pages, rounds, evicted,
	       refault_file() - refault0,
	       resident(vec, (void *)hot, hot_pages, pg), ru.ru_majflt, sum);
	return 0;
}
