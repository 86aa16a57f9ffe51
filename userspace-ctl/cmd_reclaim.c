// SPDX-License-Identifier: GPL-2.0
/*
 * pagehintctl reclaim: which LRU reclaims, and what it decided about
 * mapped file folios (debugfs "reclaim", "key value" lines).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ctl.h"

int cmd_reclaim(int argc, char **argv)
{
	char *text, *line, *save = NULL;
	int n = 0;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: pagehintctl [--json] reclaim\n");
		return EXIT_USAGE;
	}
	text = ctl_read("reclaim", NULL);
	if (!text) {
		if (errno == ENOENT) {
			fprintf(stderr, "pagehintctl: reclaim: the reclaim component is not available on this kernel\n");
			return EXIT_FAIL;
		}
		return ctl_errno_exit(errno, "reclaim");
	}
	if (!ctl_json) {
		fputs(text, stdout);
		free(text);
		return EXIT_OK;
	}
	putchar('{');
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *v = strchr(line, ' '), *end;

		if (!v)
			continue;
		*v++ = '\0';
		printf(n++ ? "," : "");
		json_str(stdout, line);
		putchar(':');
		strtoull(v, &end, 10);
		if (*end || end == v)
			json_str(stdout, v);
		else
			fputs(v, stdout);
	}
	printf("}\n");
	free(text);
	return EXIT_OK;
}
