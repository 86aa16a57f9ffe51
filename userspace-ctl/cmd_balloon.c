// SPDX-License-Identifier: GPL-2.0
/*
 * pagehintctl balloon: size the balloon, show its status, switch its mode
 * (/sys/kernel/debug/pagehint/balloon/), run its test hooks (probe,
 * contig: the test module phtest.ko, phtest/balloon/).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "ctl.h"

#define BALLOON_USAGE \
	"usage: pagehintctl balloon status\n" \
	"       pagehintctl balloon set SIZE       (pages, or bytes with K/M/G: 256M)\n" \
	"       pagehintctl balloon mode movable|unmovable   (balloon empty only)\n" \
	"       pagehintctl balloon wait [SECONDS] (until the worker is idle; default 600)\n" \
	"       pagehintctl balloon probe ORDER    (order-ORDER blocks obtainable now; phtest.ko)\n" \
	"       pagehintctl balloon contig [PFN]   (alloc_contig_range over a balloon pageblock; phtest.ko)\n"

/* value of @key in the status text, or NULL (points into a static copy) */
static const char *kv_get(const char *text, const char *key)
{
	static char val[192];
	const char *p = text;
	size_t kl = strlen(key);

	while (p && *p) {
		if (!strncmp(p, key, kl) && (p[kl] == ' ' || p[kl] == '\t')) {
			if (sscanf(p + kl, "%191s", val) == 1)
				return val;
			return NULL;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

static int balloon_status(void)
{
	return ctl_print_file("balloon/status", CTL_KV);
}

static int balloon_write(const char *file, const char *text, const char *what)
{
	char rel[64];
	int err;

	snprintf(rel, sizeof(rel), "%sballoon/%s",
		 strcmp(file, "probe") && strcmp(file, "contig") ? "" : "phtest/",
		 file);
	err = ctl_write(rel, text);
	switch (err) {
	case 0:
		return EXIT_OK;
	case -EINVAL:
		fprintf(stderr, "pagehintctl: balloon %s: '%s' is not valid\n", what, text);
		return EXIT_FAIL;
	case -ERANGE:
		fprintf(stderr, "pagehintctl: balloon %s: '%s' is out of range\n", what, text);
		return EXIT_FAIL;
	case -EBUSY:
		fprintf(stderr, "pagehintctl: balloon %s: busy (%s)\n", what,
			!strcmp(file, "movable") ? "the balloon must be empty: set 0 first" :
			!strcmp(file, "target") ? "the host sets the target: policy host_channel is virtio" :
			"a page in the range could not be moved");
		return EXIT_FAIL;
	case -ENOENT:
		fprintf(stderr, "pagehintctl: balloon %s: %s\n", what,
			!strcmp(file, "contig") ? "no balloon page found" : "not available");
		return EXIT_FAIL;
	default:
		return ctl_errno_exit(err, rel);
	}
}

static int balloon_wait(int secs)
{
	struct timespec nap = { 0, 100 * 1000 * 1000 };
	time_t end = time(NULL) + secs;
	char *text;

	for (;;) {
		const char *st;

		text = ctl_read("balloon/status", NULL);
		if (!text)
			return ctl_errno_exit(errno, "balloon/status");
		st = kv_get(text, "state");
		if (st && !strcmp(st, "idle"))
			break;
		free(text);
		if (time(NULL) >= end) {
			fprintf(stderr, "pagehintctl: balloon still busy after %d s\n", secs);
			return EXIT_FAIL;
		}
		nanosleep(&nap, NULL);
	}
	if (ctl_json) {
		ctl_kv_to_json(text, stdout);
	} else {
		const char *v;

		printf("size %s pages", (v = kv_get(text, "size_pages")) ? v : "?");
		printf(", target %s", (v = kv_get(text, "target_pages")) ? v : "?");
		printf(", stopped: %s\n", (v = kv_get(text, "stop")) ? v : "?");
	}
	free(text);
	return EXIT_OK;
}

int cmd_balloon(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "status";

	if (!strcmp(sub, "status") && argc <= 2)
		return balloon_status();
	if (!strcmp(sub, "set") && argc == 3)
		return balloon_write("target", argv[2], "target");
	if (!strcmp(sub, "mode") && argc == 3 &&
	    (!strcmp(argv[2], "movable") || !strcmp(argv[2], "unmovable")))
		return balloon_write("movable", argv[2][0] == 'm' ? "1" : "0", "mode");
	if (!strcmp(sub, "wait") && argc <= 3) {
		char *end;
		long s = argc == 3 ? strtol(argv[2], &end, 10) : 600;

		if (argc == 3 && (*end || s <= 0)) {
			fputs(BALLOON_USAGE, stderr);
			return EXIT_USAGE;
		}
		return balloon_wait((int)s);
	}
	if (!strcmp(sub, "probe") && argc == 3) {
		char *text;
		int ret = ctl_check_test();
		const char *v;

		if (!ret)
			ret = balloon_write("probe", argv[2], "probe");
		if (ret)
			return ret;
		text = ctl_read("phtest/balloon/status", NULL);
		if (!text)
			return ctl_errno_exit(errno, "phtest/balloon/status");
		v = kv_get(text, "probe_blocks");
		if (ctl_json)
			printf("{\"order\":%s,\"blocks\":%s}\n", argv[2], v ? v : "null");
		else
			printf("order-%s blocks obtainable: %s\n", argv[2], v ? v : "?");
		free(text);
		return EXIT_OK;
	}
	if (!strcmp(sub, "contig") && argc <= 3) {
		int ret = ctl_check_test();

		if (!ret)
			ret = balloon_write("contig", argc == 3 ? argv[2] : "auto",
					    "contig");

		if (!ret)
			printf("alloc_contig_range: ok\n");
		return ret;
	}
	fputs(BALLOON_USAGE, stderr);
	return EXIT_USAGE;
}
