// SPDX-License-Identifier: GPL-2.0
/*
 * phstress: checksummed memory that changes all the time, for the "nothing
 * lost" test of the host channel: a page the host dropped while the guest
 * still used it reads back as zeroes (or stale) and is counted bad.
 *
 *   phstress anon MIB SECONDS        anonymous memory in 256 KiB chunks
 *   phstress file DIR MIB SECONDS    files of 4 MiB on DIR
 *
 * Every 4 KiB page holds a pattern derived from (object, page, generation)
 * in every word. anon: a random chunk is verified, then either freed
 * (MADV_DONTNEED: its pages go back to the allocator, to be reported) and
 * refilled with the next generation, or kept. file: a random file is
 * verified through read(), rewritten through write() (dirty page cache,
 * fsync now and then), verified and written through a shared mapping
 * (pte-dirty pages, msync now and then), or dropped from the page cache
 * (POSIX_FADV_DONTNEED: the next read comes from the disk). A final pass
 * verifies everything. Prints "phstress MODE pages_checked N bad N ops N"
 * and exits 1 when a page was bad.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PG		4096UL
#define CHUNK		(256UL << 10)
#define FILESZ		(4UL << 20)

static unsigned long long checked, bad, ops;
static uint64_t rnd = 88172645463325252ULL;

static uint64_t next(void)
{
	rnd ^= rnd << 13;
	rnd ^= rnd >> 7;
	rnd ^= rnd << 17;
	return rnd;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t seed(uint64_t obj, uint64_t page, uint64_t gen)
{
	return (obj << 40) ^ (page << 16) ^ (gen << 1) ^ 0x9e3779b97f4a7c15ULL;
}

static void fill(void *p, uint64_t s)
{
	uint64_t *w = p;
	size_t k;

	for (k = 0; k < PG / 8; k++)
		w[k] = s + k;
}

static void verify(const void *p, uint64_t s)
{
	const uint64_t *w = p;
	size_t k;

	checked++;
	for (k = 0; k < PG / 8; k++) {
		if (w[k] != s + k) {
			if (bad < 10)
				fprintf(stderr, "phstress: bad page: word %zu is %#llx, want %#llx\n",
					k, (unsigned long long)w[k],
					(unsigned long long)(s + k));
			bad++;
			return;
		}
	}
}

static int anon(size_t mib, double secs)
{
	size_t nch = (mib << 20) / CHUNK, per = CHUNK / PG, c, i;
	uint64_t *gen = calloc(nch, sizeof(*gen));
	unsigned char *m;
	double end = now() + secs;

	m = mmap(NULL, nch * CHUNK, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED || !gen)
		return 2;
	/* small pages: freeing a chunk must free pages, not split a THP */
	madvise(m, nch * CHUNK, MADV_NOHUGEPAGE);
	for (c = 0; c < nch; c++)
		for (i = 0; i < per; i++)
			fill(m + c * CHUNK + i * PG, seed(c, i, 0));
	while (now() < end) {
		c = next() % nch;
		for (i = 0; i < per; i++)
			verify(m + c * CHUNK + i * PG, seed(c, i, gen[c]));
		if (next() & 1) {
			madvise(m + c * CHUNK, CHUNK, MADV_DONTNEED);
			gen[c]++;
			for (i = 0; i < per; i++)
				fill(m + c * CHUNK + i * PG, seed(c, i, gen[c]));
		}
		ops++;
	}
	for (c = 0; c < nch; c++)
		for (i = 0; i < per; i++)
			verify(m + c * CHUNK + i * PG, seed(c, i, gen[c]));
	return 0;
}

struct file {
	int fd;
	uint64_t *gen;		/* per page */
};

static int file_check(struct file *f, size_t n, unsigned char *buf)
{
	size_t i;

	if (pread(f->fd, buf, FILESZ, 0) != (ssize_t)FILESZ)
		return -1;
	for (i = 0; i < FILESZ / PG; i++)
		verify(buf + i * PG, seed(n, i, f->gen[i]));
	return 0;
}

static int file_write(struct file *f, size_t n, unsigned char *buf)
{
	size_t i;

	for (i = 0; i < FILESZ / PG; i++) {
		f->gen[i]++;
		fill(buf + i * PG, seed(n, i, f->gen[i]));
	}
	if (pwrite(f->fd, buf, FILESZ, 0) != (ssize_t)FILESZ)
		return -1;
	if (!(next() % 4))
		fsync(f->fd);
	return 0;
}

static int file_mapped(struct file *f, size_t n)
{
	unsigned char *m;
	size_t i;

	m = mmap(NULL, FILESZ, PROT_READ | PROT_WRITE, MAP_SHARED, f->fd, 0);
	if (m == MAP_FAILED)
		return -1;
	for (i = 0; i < FILESZ / PG; i++) {
		verify(m + i * PG, seed(n, i, f->gen[i]));
		/* every other page dirtied through the pte */
		if ((i ^ ops) & 1) {
			f->gen[i]++;
			fill(m + i * PG, seed(n, i, f->gen[i]));
		}
	}
	if (!(next() % 4))
		msync(m, FILESZ, MS_SYNC);
	munmap(m, FILESZ);
	return 0;
}

static int files(const char *dir, size_t mib, double secs)
{
	size_t nf = (mib << 20) / FILESZ, n;
	unsigned char *buf = malloc(FILESZ);
	struct file *f = calloc(nf, sizeof(*f));
	double end = now() + secs;
	char path[512];
	int ret = 0;

	if (!buf || !f || !nf)
		return 2;
	for (n = 0; n < nf; n++) {
		snprintf(path, sizeof(path), "%s/phstress.%zu", dir, n);
		f[n].fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
		f[n].gen = calloc(FILESZ / PG, sizeof(uint64_t));
		if (f[n].fd < 0 || !f[n].gen || file_write(&f[n], n, buf))
			return 2;
	}
	while (now() < end && !ret) {
		n = next() % nf;
		switch (next() % 4) {
		case 0:
			ret = file_check(&f[n], n, buf);
			break;
		case 1:
			ret = file_write(&f[n], n, buf);
			break;
		case 2:
			ret = file_mapped(&f[n], n);
			break;
		default:
			/* clean pages leave; dirty ones stay until written */
			fdatasync(f[n].fd);
			posix_fadvise(f[n].fd, 0, 0, POSIX_FADV_DONTNEED);
		}
		ops++;
	}
	for (n = 0; n < nf && !ret; n++)
		ret = file_check(&f[n], n, buf);
	for (n = 0; n < nf; n++) {
		close(f[n].fd);
		snprintf(path, sizeof(path), "%s/phstress.%zu", dir, n);
		unlink(path);
	}
	return ret ? 2 : 0;
}

int main(int argc, char **argv)
{
	int ret;

	if (argc == 4 && !strcmp(argv[1], "anon")) {
		ret = anon(strtoul(argv[2], NULL, 10), atof(argv[3]));
	} else if (argc == 5 && !strcmp(argv[1], "file")) {
		ret = files(argv[2], strtoul(argv[3], NULL, 10), atof(argv[4]));
	} else {
		fprintf(stderr, "usage: phstress anon MIB SECONDS | file DIR MIB SECONDS\n");
		return 2;
	}
	if (ret == 2) {
		perror("phstress");
		return 2;
	}
	printf("phstress %s pages_checked %llu bad %llu ops %llu\n", argv[1],
	       checked, bad, ops);
	return bad ? 1 : 0;
}
