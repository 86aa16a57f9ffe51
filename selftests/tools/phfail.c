// SPDX-License-Identifier: GPL-2.0
/*
 * phfail: systematic fault injection (/proc/self/fail-nth) into one
 * operation, done again with the 1st, 2nd, ... fault site of this task
 * failing, until the operation passes fewer sites than the next N.
 *
 *   phfail [-m MAX] load KO [PARAM=VALUE...]
 *       finit_module(KO) with the module's own hook fail_nth=N, which
 *       counts from the module's init on (pagehint's core.c says why); the
 *       parameter reads back 0 when the fault was injected. A load that
 *       succeeds anyway is unloaded again (delete_module must succeed). A
 *       load that fails must leave no module behind (/sys/module/NAME).
 *   phfail [-m MAX] [-c|-C CHECKFILE CHECKTEXT] write FILE TEXT
 *       one write(FILE, TEXT); after each, CHECKTEXT written to CHECKFILE
 *       without a fault must succeed (e.g. "verify" to the pool); -C: only
 *       after a write that succeeded (e.g. "destroy" after "create").
 *   -n N: only the run with the Nth site failing (exit 3: fewer sites).
 *
 * Which allocations are fault sites is the kernel's choice: failslab and
 * fail_page_alloc must be set up (probability 0 or task-filter, see
 * Documentation/fault-injection/fault-injection.rst); fail-nth counts every
 * site of this task that passes their filters. After the first DENSE sites
 * (-d, default 200) N grows by PCT % a step (-g, default 2); MAX bounds it
 * (-m, default 100000).
 *
 * Output: one line per N whose result differs from the one before
 * ("N: ERRNO" / "N: ok"), "FAIL ..." lines for problems, then
 *   "phfail: OP: S sites, F faults injected (E failed cleanly, A passed
 *    anyway), P problems". Exit 0 when P is 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static long problems;

static int nth_fd(void)
{
	static int fd = -1;

	if (fd < 0)
		fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (fd < 0) {
		perror("fail-nth (CONFIG_FAULT_INJECTION)");
		exit(2);
	}
	return fd;
}

static void nth_set(unsigned long n)
{
	char buf[32];
	int len = snprintf(buf, sizeof(buf), "%lu", n);

	if (pwrite(nth_fd(), buf, len, 0) != len) {
		perror("fail-nth write");
		exit(2);
	}
}

/* what is left of the count: 0 when the fault was injected */
static unsigned long nth_get(void)
{
	char buf[32] = "";

	if (pread(nth_fd(), buf, sizeof(buf) - 1, 0) < 0) {
		perror("fail-nth read");
		exit(2);
	}
	return strtoul(buf, NULL, 10);
}

static const char *ename(int e)
{
	static char buf[32];

	switch (e) {
	case 0: return "ok";
	case ENOMEM: return "ENOMEM";
	case EINVAL: return "EINVAL";
	case ENODEV: return "ENODEV";
	case ENOENT: return "ENOENT";
	case EBUSY: return "EBUSY";
	case EEXIST: return "EEXIST";
	case EIO: return "EIO";
	case EFAULT: return "EFAULT";
	case ENOSPC: return "ENOSPC";
	case EAGAIN: return "EAGAIN";
	}
	snprintf(buf, sizeof(buf), "errno %d", e);
	return buf;
}

struct op {
	int load;
	const char *path, *text;	/* write: file and text */
	const char *params;		/* load: parameters */
	const char *name;		/* load: module name */
	const char *cfile, *ctext;	/* check after each write */
	int check_ok_only;		/* -C: only after a success */
};

static int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY), e = 0;
	ssize_t len = strlen(text);

	if (fd < 0)
		return errno;
	if (write(fd, text, len) != len)
		e = errno ? errno : EIO;
	close(fd);
	return e;
}

static int module_present(const char *name)
{
	char p[256];
	struct stat st;

	snprintf(p, sizeof(p), "/sys/module/%s", name);
	return !stat(p, &st);
}

/* what a loaded module left of its fail_nth count */
static unsigned long module_left(const char *name)
{
	char p[256], buf[32] = "";
	int fd;

	snprintf(p, sizeof(p), "/sys/module/%s/parameters/fail_nth", name);
	fd = open(p, O_RDONLY);
	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) < 0) {
		perror(p);
		exit(2);
	}
	close(fd);
	return strtoul(buf, NULL, 10);
}

/* The operation with the Nth fault site failing; its errno (0: ok). */
static int run(const struct op *op, unsigned long n, int *injected)
{
	char params[4200];
	int fd = -1, e = 0;

	if (op->load) {
		fd = open(op->path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			perror(op->path);
			exit(2);
		}
		snprintf(params, sizeof(params), "%s fail_nth=%lu", op->params, n);
		if (syscall(SYS_finit_module, fd, params, 0))
			e = errno;
		close(fd);
		/* a failed load: the fault did it (a load without one must pass) */
		*injected = n && (e || !module_left(op->name));
		return e;
	}
	/* opened first: only the write's own allocations count */
	fd = open(op->path, O_WRONLY);
	if (fd < 0)
		return errno;
	nth_set(n);
	if (write(fd, op->text, strlen(op->text)) < 0)
		e = errno;
	*injected = n && nth_get() == 0;
	nth_set(0);
	close(fd);
	return e;
}

/* After one run: the module is gone or unloads, the check passes. */
static void after(const struct op *op, unsigned long n, int e)
{
	int ce;

	if (op->load) {
		if (!e) {
			if (syscall(SYS_delete_module, op->name, O_NONBLOCK)) {
				printf("FAIL %lu: loaded, then delete_module: %s\n",
				       n, strerror(errno));
				problems++;
			}
		} else if (module_present(op->name)) {
			printf("FAIL %lu: load failed (%s) but /sys/module/%s exists\n",
			       n, ename(e), op->name);
			problems++;
			syscall(SYS_delete_module, op->name, O_NONBLOCK);
		}
		return;
	}
	if (op->cfile && (!e || !op->check_ok_only) &&
	    (ce = write_text(op->cfile, op->ctext))) {
		printf("FAIL %lu: after %s: check '%s' -> %s\n", n, ename(e),
		       op->ctext, ename(ce));
		problems++;
	}
}

static int clean(int e)
{
	return e == ENOMEM || e == ENOSPC || e == EAGAIN || e == EBUSY ||
	       e == ENODEV || e == EINVAL || e == EFAULT;
}

int main(int argc, char **argv)
{
	unsigned long n, max = 100000, sites = 0, faults = 0, failed = 0,
		      passed = 0, dense = 200, growth = 2;
	char params[4096] = "";
	struct op op = { 0 };
	int opt, e, inj, last = -1, i, one = 0;
	const char *base;

	while ((opt = getopt(argc, argv, "+m:n:c:C:d:g:")) != -1) {
		switch (opt) {
		case 'm': max = strtoul(optarg, NULL, 0); break;
		case 'd': dense = strtoul(optarg, NULL, 0); break;
		case 'g': growth = strtoul(optarg, NULL, 0); break;
		case 'n': one = atoi(optarg); break;
		case 'C':
		case 'c':
			if (optind >= argc)
				return 2;
			op.check_ok_only = opt == 'C';
			op.cfile = optarg;
			op.ctext = argv[optind++];
			break;
		default: return 2;
		}
	}
	if (argc - optind < 2)
		return 2;
	if (!strcmp(argv[optind], "load")) {
		op.load = 1;
		op.path = argv[optind + 1];
		for (i = optind + 2; i < argc; i++) {
			strncat(params, argv[i], sizeof(params) - strlen(params) - 2);
			strcat(params, " ");
		}
		op.params = params;
		base = strrchr(op.path, '/');
		base = base ? base + 1 : op.path;
		op.name = strndup(base, strcspn(base, "."));
		if (module_present(op.name)) {
			fprintf(stderr, "phfail: %s is loaded\n", op.name);
			return 2;
		}
	} else if (!strcmp(argv[optind], "write") && argc - optind >= 3) {
		op.path = argv[optind + 1];
		op.text = argv[optind + 2];
	} else {
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (one > 0) {
		e = run(&op, one, &inj);
		after(&op, one, e);
		printf("%d: %s%s\n", one, ename(e), inj ? "" : " (not injected)");
		if (e && !clean(e)) {
			printf("FAIL %d: unclean error %s\n", one, ename(e));
			problems++;
		}
		return problems ? 1 : inj ? 0 : 3;
	}
	for (n = 1; n <= max; n += n < dense ? 1 : n * growth / 100 + 1) {
		e = run(&op, n, &inj);
		after(&op, n, e);
		if (!inj)
			break;		/* fewer than n sites: every one was tried */
		sites = n;	/* at least */
		faults++;
		if (e && clean(e)) {
			failed++;
		} else if (e) {
			printf("FAIL %lu: unclean error %s\n", n, ename(e));
			problems++;
		} else {
			passed++;
		}
		if (e != last)
			printf("%lu: %s\n", n, ename(e));
		last = e;
	}
	/* the operation must still work without a fault */
	e = run(&op, 0, &inj);
	after(&op, 0, e);
	if (e) {
		printf("FAIL without a fault: %s\n", ename(e));
		problems++;
	}
	printf("phfail: %s: %lu sites, %lu faults injected (%lu failed cleanly, %lu passed anyway), %ld problems\n",
	       op.load ? "load" : op.text, sites, faults, failed, passed, problems);
	return problems != 0;
}
