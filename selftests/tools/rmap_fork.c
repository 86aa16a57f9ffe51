// SPDX-License-Identifier: GPL-2.0
/*
 * rmap_fork: the ground-truth workload of the reverse-map test (seed 001:
 * an anonymous page's address differs between processes after mremap; the
 * kernel finds it with vaddr = vm_start + ((index - vm_pgoff) << PAGE_SHIFT)).
 *
 *   rmap_fork FILE NCHILD
 *
 * The parent maps, and touches every page of:
 *   A  anonymous private, 32 pages, written
 *   H  anonymous private, 2 MiB aligned, MADV_HUGEPAGE (a THP when the
 *      kernel gives one), written
 *   F  FILE pages 0..31, MAP_SHARED, read
 *   P  FILE pages 32..63, MAP_PRIVATE, read; pages 0..3 written (COW: anon
 *      pages whose index comes from the file offset)
 * then forks NCHILD children. Child i does, by i % 5:
 *   0  nothing: shares everything
 *   1  writes two pages of A and one of H (COW: child-private pages)
 *   2  mremaps all of A to a new address, then writes one page there
 *   3  mremaps the upper half of A elsewhere (splits the VMA), writes a page
 *      of F through the shared mapping
 *   4  writes a page of P (private file COW), mremaps F to a new address
 * When all children are ready the parent mremaps A to a new address and
 * writes one page of it (the parent's copy moves to its own anon_vma while
 * the children keep the original), prints "READY <pid> <A before the move>"
 * (children 1, 6, 11 ... wrote pages 1 and 8 of A there) and waits for a
 * line (or EOF) on stdin, then kills the children.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#define NA	32
#define NF	32
#define HSZ	(2UL << 20)

static long pg;

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* A fresh address range of @len bytes nobody uses, for MREMAP_FIXED. */
static void *hole(size_t len)
{
	void *p = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap hole");
	return p;
}

static char *move(char *old, size_t len)
{
	void *p = mremap(old, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, hole(len));

	if (p == MAP_FAILED)
		die("mremap");
	return p;
}

static void touch_read(volatile char *p, size_t n)
{
	size_t i;
	char s = 0;

	for (i = 0; i < n; i++)
		s += p[i * pg];
	(void)s;
}

int main(int argc, char **argv)
{
	char *a, *a0, *h, *f, *p, *raw, line[16];
	int n, i, fd, ready[2];
	pid_t *kids;
	size_t k;

	if (argc != 3)
		return 2;
	pg = sysconf(_SC_PAGESIZE);
	n = atoi(argv[2]);
	kids = calloc((size_t)n, sizeof(*kids));
	fd = open(argv[1], O_RDWR);
	if (fd < 0 || !kids)
		die("open");

	a = mmap(NULL, NA * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	raw = mmap(NULL, 2 * HSZ, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	f = mmap(NULL, NF * pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	p = mmap(NULL, NF * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, NF * pg);
	if (a == MAP_FAILED || raw == MAP_FAILED || f == MAP_FAILED || p == MAP_FAILED)
		die("mmap");
	h = (char *)(((unsigned long)raw + HSZ - 1) & ~(HSZ - 1));
	madvise(h, HSZ, MADV_HUGEPAGE);
	for (k = 0; k < NA; k++)
		a[k * pg] = (char)k;
	memset(h, 1, HSZ);
	touch_read(f, NF);
	touch_read(p, NF);
	for (k = 0; k < 4; k++)
		p[k * pg] = 'p';
	if (pipe(ready))
		die("pipe");

	for (i = 0; i < n; i++) {
		kids[i] = fork();
		if (kids[i] < 0)
			die("fork");
		if (kids[i])
			continue;
		switch (i % 5) {
		case 1:
			a[(i % NA) * pg] = 'c';
			a[((i + 7) % NA) * pg] = 'c';
			h[(i % 512) * pg] = 'c';
			break;
		case 2:
			a = move(a, NA * pg);
			a[(i % NA) * pg] = 'm';
			break;
		case 3:
			move(a + NA / 2 * pg, NA / 2 * pg);
			f[(i % NF) * pg] = 'w';
			break;
		case 4:
			p[(4 + i % (NF - 4)) * pg] = 'q';
			move(f, NF * pg);
			break;
		}
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	for (i = 0; i < n; i++)
		if (read(ready[0], line, 1) != 1)
			die("ready");
	a0 = a;
	a = move(a, NA * pg);
	a[5 * pg] = 'P';
	printf("READY %d %lu\n", (int)getpid(), (unsigned long)a0);
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		line[0] = 0;
	for (i = 0; i < n; i++)
		kill(kids[i], SIGKILL);
	for (i = 0; i < n; i++)
		waitpid(kids[i], NULL, 0);
	return 0;
}
