// SPDX-License-Identifier: GPL-2.0
/*
 * pagehintctl: command-line front end of /sys/kernel/debug/pagehint.
 * One entry per command in ctl_cmds[]; each command lives in its own file.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "ctl.h"

static const struct ctl_cmd ctl_cmds[] = {
	{ "status", "status: module loaded?, version, components, hooks", cmd_status },
	{ "hooks", "hooks [list|enable NAME|disable NAME]: the attach points", cmd_hooks },
	{ "policy", "policy [get [NAME]|set NAME VALUE]: tunables (on/off, numbers, sizes)", cmd_policy },
	{ "zspool", "zspool [stats|classes]: movable object pools; [create|destroy|alloc N MIN MAX|free PCT|verify|compact|contig N|stress T MS|try SIZE]: the test module's workload driver", cmd_zspool },
	{ "rmap", "rmap PFN|PID:ADDR: every pte mapping a page (pid, comm, address, pte bits, kind)", cmd_rmap },
	{ "states", "states [transitions|refusals|verify|stats]: pages per state, counters, table check", cmd_states },
	{ "pfn", "pfn PFN: state and page of one PFN (decimal or 0x hex)", cmd_pfn },
	{ "watch", "watch [-i SECONDS] [-c COUNT]: page counts per state, refreshed", cmd_watch },
	{ "map", "map [--width N] [--png FILE]: picture of the PFN space by state", cmd_map },
	{ "balloon", "balloon [status|set SIZE|mode movable|unmovable|wait [S]]: the balloon; [probe ORDER|contig [PFN]]: its test hooks (phtest.ko)", cmd_balloon },
	{ "reclaim", "reclaim: LRU in use, used-once decisions on mapped file folios", cmd_reclaim },
	{ "host", "host [status|device|sim|reclaim SIZE|target SIZE|target off]: the host (virtio device or simulated)", cmd_host },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: pagehintctl [--json] [--help] COMMAND [ARGS]\n\ncommands:\n");
	for (i = 0; i < sizeof(ctl_cmds) / sizeof(ctl_cmds[0]); i++)
		fprintf(f, "  %s\n", ctl_cmds[i].usage);
	fprintf(f, "\noptions:\n  --json   machine-readable output for read commands\n"
		"  --help   this text\n\nexit codes: 0 ok, 1 operation failed or refused, 2 usage,\n"
		"  3 module not loaded, 4 debugfs not mounted, 5 not root\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	size_t i;
	int c;

	while ((c = getopt_long(argc, argv, "+jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			ctl_json = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	for (i = 0; i < sizeof(ctl_cmds) / sizeof(ctl_cmds[0]); i++) {
		if (strcmp(argv[optind], ctl_cmds[i].name))
			continue;
		c = ctl_check_access();
		if (c)
			return c;
		return ctl_cmds[i].run(argc - optind, argv + optind);
	}
	fprintf(stderr, "pagehintctl: unknown command '%s'\n", argv[optind]);
	usage(stderr);
	return EXIT_USAGE;
}
