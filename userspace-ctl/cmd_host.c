// SPDX-License-Identifier: GPL-2.0
/*
 * pagehintctl host status | reclaim SIZE | target SIZE|off
 * The simulated host: its statistics, one reclaim request, pressure mode.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ctl.h"

static int host_usage(void)
{
	fprintf(stderr, "usage: pagehintctl host [status|reclaim SIZE|target SIZE|target off]\n"
		"  SIZE: bytes, with an optional K/M/G suffix (64M)\n");
	return EXIT_USAGE;
}

static int host_status(void)
{
	char *text = ctl_read("host/stats", NULL);

	if (!text) {
		if (errno == ENOENT) {
			fprintf(stderr, "pagehintctl: the host component is not loaded\n");
			return EXIT_FAIL;
		}
		return ctl_errno_exit(errno, "host/stats");
	}
	if (ctl_json)
		ctl_kv_to_json(text, stdout);
	else
		fputs(text, stdout);
	free(text);
	return EXIT_OK;
}

static int host_write(const char *rel, const char *val)
{
	unsigned long long bytes;
	int err;

	if (ph_parse_size(val, &bytes)) {
		fprintf(stderr, "pagehintctl: bad size '%s' (e.g. 64M)\n", val);
		return EXIT_USAGE;
	}
	err = ctl_write(rel, val);
	if (err == -ENODEV) {
		fprintf(stderr, "pagehintctl: the host is off; turn it on with: pagehintctl policy set host on\n");
		return EXIT_FAIL;
	}
	if (err == -EINVAL || err == -ERANGE) {
		fprintf(stderr, "pagehintctl: %s: size '%s' %s\n", rel, val,
			err == -EINVAL ? "is not valid" : "is out of range");
		return EXIT_FAIL;
	}
	return err ? ctl_errno_exit(err, rel) : EXIT_OK;
}

int cmd_host(int argc, char **argv)
{
	if (argc == 1 || (argc == 2 && !strcmp(argv[1], "status")))
		return host_status();
	if (argc != 3)
		return host_usage();
	if (!strcmp(argv[1], "reclaim"))
		return host_write("host/reclaim", argv[2]);
	if (!strcmp(argv[1], "target"))
		return host_write("host/target", strcmp(argv[2], "off") ? argv[2] : "0");
	return host_usage();
}
