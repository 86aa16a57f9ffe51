// SPDX-License-Identifier: GPL-2.0
/*
 * phbench: microbenchmarks for `make bench`. Under QEMU -icount shift=0
 * the guest clock advances 1 ns per guest instruction, so the times it
 * prints are instruction counts and repeat exactly.
 *
 *   phbench fault MIB REPS    mmap + touch + munmap MIB MiB, REPS times
 *   phbench read FILE REPS    read FILE (cached) REPS times
 *   phbench fork N            fork + exit + wait, N times
 * Prints: "<mode> total_ns=T per_unit_ns=U units=N" (unit: page or fork).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long bench_fault(long mib, long reps, long *units)
{
	size_t len = (size_t)mib << 20, off;
	long long t0 = now_ns();
	long r;

	for (r = 0; r < reps; r++) {
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			perror("mmap");
			exit(1);
		}
		for (off = 0; off < len; off += 4096)
			p[off] = 1;
		munmap(p, len);
	}
	*units = reps * (long)(len / 4096);
	return now_ns() - t0;
}

static long long bench_read(const char *path, long reps, long *units)
{
	static char buf[1 << 16];
	long long t0 = 0, bytes = 0;
	ssize_t n;
	long r;
	int fd;

	for (r = -1; r < reps; r++) {	/* r == -1: warm the cache */
		if (r == 0) {
			t0 = now_ns();
			bytes = 0;
		}
		fd = open(path, O_RDONLY);
		if (fd < 0) {
			perror(path);
			exit(1);
		}
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			bytes += n;
		close(fd);
	}
	*units = (long)(bytes / 4096);
	return now_ns() - t0;
}

static long long bench_fork(long n, long *units)
{
	long long t0 = now_ns();
	long i;

	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		if (pid < 0) {
			perror("fork");
			exit(1);
		}
		waitpid(pid, NULL, 0);
	}
	*units = n;
	return now_ns() - t0;
}

int main(int argc, char **argv)
{
	long units = 0;
	long long t;

	if (argc == 4 && !strcmp(argv[1], "fault"))
		t = bench_fault(atol(argv[2]), atol(argv[3]), &units);
	else if (argc == 4 && !strcmp(argv[1], "read"))
		t = bench_read(argv[2], atol(argv[3]), &units);
	else if (argc == 3 && !strcmp(argv[1], "fork"))
		t = bench_fork(atol(argv[2]), &units);
	else {
		fprintf(stderr, "usage: phbench fault MIB REPS | read FILE REPS | fork N\n");
		return 2;
	}
	printf("%s total_ns=%lld per_unit_ns=%lld units=%ld\n", argv[1], t,
	       units ? t / units : 0, units);
	return 0;
}
