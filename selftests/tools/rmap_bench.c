// SPDX-License-Identifier: GPL-2.0
/*
 * rmap_bench: cost of a reverse-map query in a forking workload (seed 004:
 * anon_vma chains make a child's COWed page O(1) to walk; a page shared by
 * all N processes stays O(N)).
 *
 *   rmap_bench N [LOOPS]
 *
 * The parent writes two anonymous pages, forks N children; every child
 * writes page 0 (COW: a private copy in the child's own anon_vma) and
 * leaves page 1 shared. Then LOOPS queries of debugfs "rmap" for the last
 * child's private page and for the shared page are timed with
 * CLOCK_MONOTONIC (under -icount, guest time = instructions).
 * Prints one line:
 *   n N cow_query_ns X cow_walk_ns X cow_vmas V cow_mappings M
 *       shared_query_ns X shared_walk_ns X shared_vmas V shared_mappings M
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RMAP "/sys/kernel/debug/pagehint/rmap"

static char answer[1 << 22];

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
}

static unsigned long pfn_of(pid_t pid, void *addr)
{
	unsigned long long e = 0;
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0 || pread(fd, &e, 8, (off_t)((unsigned long)addr / 4096 * 8)) != 8)
		exit(1);
	close(fd);
	return (unsigned long)(e & ((1ULL << 55) - 1));
}

/* One query; returns the value of @key in the answer's first line. */
static unsigned long long query(int fd, const char *cmd, const char *key)
{
	char *p;
	ssize_t n;

	if (lseek(fd, 0, SEEK_SET) < 0 || write(fd, cmd, strlen(cmd)) < 0) {
		perror("rmap query");
		exit(1);
	}
	n = pread(fd, answer, sizeof(answer) - 1, 0);
	if (n <= 0)
		exit(1);
	answer[n] = '\0';
	if (!key)
		return 0;
	p = strstr(answer, key);
	return p ? strtoull(p + strlen(key) + 1, NULL, 10) : 0;
}

static void measure(int fd, const char *what, unsigned long pfn, int loops)
{
	unsigned long long t0, t;
	char cmd[64];
	int i;

	snprintf(cmd, sizeof(cmd), "pfn %lu", pfn);
	query(fd, cmd, NULL);	/* warm */
	t0 = now_ns();
	for (i = 0; i < loops; i++)
		query(fd, cmd, NULL);
	t = (now_ns() - t0) / (unsigned long long)loops;
	printf(" %s_query_ns %llu %s_walk_ns %llu %s_vmas %llu %s_mappings %llu",
	       what, t, what, query(fd, cmd, "walk_ns"), what,
	       query(fd, cmd, "vmas"), what, query(fd, cmd, "mappings"));
}

int main(int argc, char **argv)
{
	int n, loops, i, fd, ready[2];
	pid_t *kids;
	char *a, c;

	if (argc < 2)
		return 2;
	n = atoi(argv[1]);
	loops = argc > 2 ? atoi(argv[2]) : 20;
	kids = calloc((size_t)n, sizeof(*kids));
	a = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!kids || a == MAP_FAILED || pipe(ready))
		return 1;
	a[0] = 1;
	a[4096] = 1;
	for (i = 0; i < n; i++) {
		kids[i] = fork();
		if (kids[i] < 0) {
			perror("fork");
			return 1;
		}
		if (!kids[i]) {
			a[0] = 2;
			if (write(ready[1], "r", 1) != 1)
				_exit(1);
			for (;;)
				pause();
		}
	}
	for (i = 0; i < n; i++)
		if (read(ready[0], &c, 1) != 1)
			return 1;
	fd = open(RMAP, O_RDWR);
	if (fd < 0) {
		perror(RMAP);
		return 1;
	}
	printf("n %d", n);
	measure(fd, "cow", pfn_of(kids[n - 1], a), loops);
	measure(fd, "shared", pfn_of(getpid(), a + 4096), loops);
	printf("\n");
	close(fd);
	for (i = 0; i < n; i++)
		kill(kids[i], SIGKILL);
	for (i = 0; i < n; i++)
		waitpid(kids[i], NULL, 0);
	return 0;
}
