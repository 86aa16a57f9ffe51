// SPDX-License-Identifier: GPL-2.0
/*
 * pagehintctl zspool: the pools' statistics, and the test module's
 * workload driver.
 *
 *   zspool [stats]          every pool (zspool/pools) and the per-class
 *                           table (zspool/classes)
 *   zspool classes          per-class table only
 *   zspool create [CAP] | destroy | alloc N MIN MAX | free PCT | verify |
 *          compact | contig ROUNDS | stress THREADS MS | try SIZE
 *                           one command to the workload driver of the test
 *                           module phtest.ko (phtest/zspool/ctl), then its
 *                           counters (phtest/zspool/pool)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ctl.h"

static const struct {
	const char *name;
	int nargs_min, nargs_max;
} zs_cmds[] = {
	{ "create", 0, 1 }, { "destroy", 0, 0 }, { "alloc", 3, 3 },
	{ "free", 1, 1 }, { "verify", 0, 0 }, { "compact", 0, 0 },
	{ "contig", 1, 1 }, { "stress", 2, 2 }, { "try", 1, 1 },
};

static int zs_usage(void)
{
	fprintf(stderr, "%s\n", "usage: pagehintctl zspool [stats|classes|create [CAP]|destroy|alloc N MIN MAX|free PCT|verify|compact|contig ROUNDS|stress THREADS MS|try SIZE]");
	return EXIT_USAGE;
}

static int zs_stats(bool pools, bool classes)
{
	char *p = pools ? ctl_read("zspool/pools", NULL) : NULL;
	char *c = classes ? ctl_read("zspool/classes", NULL) : NULL;
	int ret = EXIT_OK;

	if ((pools && !p) || (classes && !c)) {
		ret = ctl_errno_exit(errno, "zspool");
		goto out;
	}
	if (ctl_json) {
		if (pools && classes) {
			printf("{\"pools\":");
			ctl_table_to_json(p, stdout);
			printf(",\"classes\":");
			ctl_table_to_json(c, stdout);
			printf("}\n");
		} else {
			ctl_table_to_json(p ? p : c, stdout);
		}
	} else {
		if (p)
			fputs(p, stdout);
		if (p && c)
			putchar('\n');
		if (c)
			fputs(c, stdout);
	}
out:
	free(p);
	free(c);
	return ret;
}

static const char *zs_errtext(int err)
{
	switch (-err) {
	case ENOENT: return "no workload pool (run: pagehintctl zspool create)";
	case EEXIST: return "the workload pool exists already";
	case ERANGE: return "a number is out of range";
	case E2BIG: return "object size above one page";
	case ENOSPC: return "the workload table is full";
	case EIO: return "objects failed verification (see: " PHTEST_DEBUGFS "/zspool/pool)";
	case EOPNOTSUPP: return "pool pages are not movable on this kernel";
	case EINVAL: return "invalid command or argument";
	default: return strerror(-err);
	}
}

int cmd_zspool(int argc, char **argv)
{
	char cmd[PAGEHINT_CMD_MAX];
	size_t i, len;
	int a, err;

	if (argc == 1 || (argc == 2 && !strcmp(argv[1], "stats")))
		return zs_stats(true, true);
	if (argc == 2 && !strcmp(argv[1], "classes"))
		return zs_stats(false, true);
	for (i = 0; i < sizeof(zs_cmds) / sizeof(zs_cmds[0]); i++)
		if (!strcmp(argv[1], zs_cmds[i].name))
			break;
	if (i == sizeof(zs_cmds) / sizeof(zs_cmds[0]) ||
	    argc - 2 < zs_cmds[i].nargs_min || argc - 2 > zs_cmds[i].nargs_max)
		return zs_usage();
	err = ctl_check_test();
	if (err)
		return err;
	len = (size_t)snprintf(cmd, sizeof(cmd), "%s", argv[1]);
	for (a = 2; a < argc && len < sizeof(cmd); a++)
		len += (size_t)snprintf(cmd + len, sizeof(cmd) - len, " %s", argv[a]);
	if (len >= sizeof(cmd))
		return zs_usage();
	err = ctl_write("phtest/zspool/ctl", cmd);
	if (err) {
		fprintf(stderr, "pagehintctl: zspool %s: %s\n", argv[1], zs_errtext(err));
		return err == -EACCES || err == -EPERM ? EXIT_NOPERM : EXIT_FAIL;
	}
	if (!strcmp(argv[1], "destroy") || !strcmp(argv[1], "try"))
		return EXIT_OK;
	return ctl_print_file("phtest/zspool/pool", CTL_KV);
}
