// SPDX-License-Identifier: GPL-2.0
/*
 * pagehintctl reclaim: which LRU reclaims, and what it decided about
 * mapped file folios (debugfs "reclaim", "key value" lines).
 */
#include <stdio.h>
#include "ctl.h"

int cmd_reclaim(int argc, char **argv)
{
	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: pagehintctl [--json] reclaim\n");
		return EXIT_USAGE;
	}
	return ctl_print_file("reclaim", CTL_KV);
}
