// SPDX-License-Identifier: GPL-2.0
/*
 * phwrite: write to a control file the way bad-input tests need, and say
 * what the kernel answered. Prints "OK" or the errno name (EINVAL ...).
 *
 *   phwrite FILE TEXT            one write() of TEXT at offset 0
 *   phwrite -o OFF FILE TEXT     one pwrite() at offset OFF (partial write)
 *   phwrite -s FILE TEXT         TEXT split into two write() calls
 *   phwrite -n N FILE            one write() of N bytes of 'A' (huge input)
 *   phwrite -z FILE TEXT         TEXT with an embedded NUL byte
 *   phwrite -b FILE...           the bad-input battery on each FILE: garbage,
 *                                empty, negative, overflowing, too many
 *                                words, a bare verb, 64 KiB, offset 3, NUL;
 *                                prints FILE<-what for each write that was
 *                                accepted (one process for the whole list)
 * Exit: 0 when the write succeeded, 1 when it failed, 2 on usage errors;
 * with -b, 0 when every bad write was refused, 1 otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *errname(int e)
{
	switch (e) {
	case EINVAL: return "EINVAL";
	case ERANGE: return "ERANGE";
	case E2BIG: return "E2BIG";
	case ENOENT: return "ENOENT";
	case ENODEV: return "ENODEV";
	case EBUSY: return "EBUSY";
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case ENOMEM: return "ENOMEM";
	case EFAULT: return "EFAULT";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EAGAIN: return "EAGAIN";
	case ENOSPC: return "ENOSPC";
	case EEXIST: return "EEXIST";
	default: return strerror(e);
	}
}

static int report(ssize_t n)
{
	if (n < 0) {
		printf("%s\n", errname(errno));
		return 1;
	}
	printf("OK\n");
	return 0;
}

/* one bad write on a fresh descriptor; true when the kernel accepted it */
static int accepted(const char *path, const char *buf, size_t len, off_t off)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = off ? pwrite(fd, buf, len, off) : write(fd, buf, len);
	close(fd);
	return n >= 0;
}

static int battery(char **files, int nfiles)
{
	static const char *const words[] = {
		"garbage", "", "-1", "99999999999999999999999999", "1 2 3 4",
		"enable",
	};
	static char huge[65536];
	int i, bad = 0;
	size_t w;

	memset(huge, 'A', sizeof(huge));
	for (i = 0; i < nfiles; i++) {
		const char *f = files[i];

		for (w = 0; w < sizeof(words) / sizeof(words[0]); w++)
			if (accepted(f, words[w], strlen(words[w]), 0)) {
				printf("%s<-'%s'\n", f, words[w]);
				bad = 1;
			}
		if (accepted(f, huge, sizeof(huge), 0)) {
			printf("%s<-huge\n", f);
			bad = 1;
		}
		if (accepted(f, "1", 1, 3)) {
			printf("%s<-offset3\n", f);
			bad = 1;
		}
		if (accepted(f, "1\0" "1", 3, 0)) {
			printf("%s<-NUL\n", f);
			bad = 1;
		}
	}
	return bad;
}

int main(int argc, char **argv)
{
	int opt, fd, mode = 0;
	long off = 0, count = 0;
	char *buf;
	size_t len;
	ssize_t n;

	while ((opt = getopt(argc, argv, "+o:szn:b")) != -1) {
		switch (opt) {
		case 'b': return battery(argv + optind, argc - optind);
		case 'o': mode = 'o'; off = atol(optarg); break;
		case 's': mode = 's'; break;
		case 'z': mode = 'z'; break;
		case 'n': mode = 'n'; count = atol(optarg); break;
		default: return 2;
		}
	}
	if (argc - optind < (mode == 'n' ? 1 : 2))
		return 2;
	fd = open(argv[optind], O_WRONLY);
	if (fd < 0) {
		printf("%s\n", errname(errno));
		return 1;
	}
	if (mode == 'n') {
		buf = malloc((size_t)count + 1);
		if (!buf)
			return 2;
		memset(buf, 'A', (size_t)count);
		return report(write(fd, buf, (size_t)count));
	}
	buf = argv[optind + 1];
	len = strlen(buf);
	switch (mode) {
	case 'o':
		return report(pwrite(fd, buf, len, off));
	case 's':
		n = write(fd, buf, len / 2);
		if (n < 0)
			return report(n);
		return report(write(fd, buf + len / 2, len - len / 2));
	case 'z': {
		char tmp[256];

		if (len + 2 > sizeof(tmp))
			return 2;
		memcpy(tmp, buf, len);
		tmp[len] = '\0';
		tmp[len + 1] = '1';
		return report(write(fd, tmp, len + 2));
	}
	default:
		return report(write(fd, buf, len));
	}
}
