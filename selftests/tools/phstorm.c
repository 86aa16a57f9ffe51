// SPDX-License-Identifier: GPL-2.0
/*
 * phstorm: a fork/munmap storm that checks every anonymous page it wrote.
 *
 *   phstorm SECONDS PROCS
 *
 * Until SECONDS have passed: PROCS children at a time, each maps 8 regions
 * of 1..4 MiB, stamps every page with (pid, region, page), forks a
 * grandchild that checks the stamps it inherited, overwrites its copy
 * (copy on write) and exits, checks its own stamps again, unmaps every
 * other region and a hole in the middle of the others (split VMAs),
 * checks what is left, and exits.
 *
 * Output: "phstorm: F forks, M mmaps, U munmaps, P pages checked,
 * C corrupt". Exit 1 when a page was corrupt or a child died.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define REGIONS 8
#define PG 4096UL

struct counts {
	unsigned long forks, mmaps, munmaps, pages, corrupt;
};

static uint64_t stamp(pid_t pid, int r, size_t i)
{
	return ((uint64_t)pid << 40) ^ ((uint64_t)r << 32) ^ i ^ 0x5a5a0000;
}

static void fill(char *p, size_t n, pid_t pid, int r)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint64_t s = stamp(pid, r, i);

		memcpy(p + i * PG, &s, sizeof(s));
		memcpy(p + i * PG + PG - sizeof(s), &s, sizeof(s));
	}
}

static unsigned long check(const char *p, size_t from, size_t to, pid_t pid,
			   int r, struct counts *c)
{
	unsigned long bad = 0;
	size_t i;

	for (i = from; i < to; i++) {
		uint64_t s = stamp(pid, r, i), a, b;

		memcpy(&a, p + i * PG, sizeof(a));
		memcpy(&b, p + i * PG + PG - sizeof(b), sizeof(b));
		bad += a != s || b != s;
		c->pages++;
	}
	c->corrupt += bad;
	return bad;
}

/* One child's work; its counts go back through a pipe. */
static void child(int fd, unsigned int seed)
{
	struct counts c = { 0 };
	char *m[REGIONS];
	size_t n[REGIONS];
	pid_t me = getpid(), g;
	int r, st;

	srand(seed);
	for (r = 0; r < REGIONS; r++) {
		n[r] = 256 + rand() % 768;
		m[r] = mmap(NULL, n[r] * PG, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m[r] == MAP_FAILED)
			_exit(2);
		c.mmaps++;
		fill(m[r], n[r], me, r);
	}
	g = fork();
	if (g == 0) {
		struct counts gc = { 0 };

		for (r = 0; r < REGIONS; r++) {
			check(m[r], 0, n[r], me, r, &gc);
			fill(m[r], n[r], getpid(), r);
		}
		_exit(gc.corrupt ? 1 : 0);
	}
	c.forks++;
	if (g < 0 || waitpid(g, &st, 0) != g || !WIFEXITED(st) || WEXITSTATUS(st))
		c.corrupt++;
	for (r = 0; r < REGIONS; r++) {
		check(m[r], 0, n[r], me, r, &c);
		if (r & 1) {
			munmap(m[r], n[r] * PG);
		} else {
			munmap(m[r] + n[r] / 4 * PG, n[r] / 4 * PG);
			check(m[r], 0, n[r] / 4, me, r, &c);
			check(m[r], n[r] / 2, n[r], me, r, &c);
			munmap(m[r], n[r] * PG);
			c.munmaps++;
		}
		c.munmaps++;
	}
	if (write(fd, &c, sizeof(c)) != sizeof(c))
		_exit(3);
	_exit(c.corrupt ? 1 : 0);
}

int main(int argc, char **argv)
{
	struct counts all = { 0 }, c;
	unsigned long died = 0;
	time_t end;
	int procs, i, p[2], st, wrote;
	unsigned int seed = 1;

	if (argc != 3)
		return 2;
	end = time(NULL) + atoi(argv[1]);
	procs = atoi(argv[2]);
	if (pipe(p))
		return 2;
	while (time(NULL) < end) {
		for (i = 0; i < procs; i++) {
			pid_t pid = fork();

			if (pid == 0) {
				close(p[0]);
				child(p[1], seed + i);
			}
			if (pid > 0)
				all.forks++;
		}
		seed += procs;
		wrote = 0;
		for (i = 0; i < procs; i++) {
			if (wait(&st) < 0)
				break;
			if (!WIFEXITED(st) || WEXITSTATUS(st) > 1)
				died++;
			else
				wrote++;	/* counts written before exit */
		}
		for (i = 0; i < wrote; i++) {
			if (read(p[0], &c, sizeof(c)) != sizeof(c))
				break;
			all.forks += c.forks;
			all.mmaps += c.mmaps;
			all.munmaps += c.munmaps;
			all.pages += c.pages;
			all.corrupt += c.corrupt;
		}
	}
	printf("phstorm: %lu forks, %lu mmaps, %lu munmaps, %lu pages checked, %lu corrupt, %lu children died\n",
	       all.forks, all.mmaps, all.munmaps, all.pages, all.corrupt, died);
	return all.corrupt || died;
}
