// SPDX-License-Identifier: GPL-2.0
/*
 * pagehintctl rmap PFN | PID:ADDR: who maps a page (debugfs "rmap").
 * The query and its answer go through one open file, so concurrent users
 * of the CLI do not see each other's answers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ctl.h"

static int rmap_usage(void)
{
	fprintf(stderr, "usage: pagehintctl [--json] rmap PFN | PID:ADDR   (numbers decimal or 0x hex)\n");
	return EXIT_USAGE;
}

/* Strict number: decimal or 0x hex, nothing else. */
static int parse_num(const char *s, unsigned long long *v)
{
	char *end;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || *end ? -1 : 0;
}

static char *rmap_ask(const char *cmd, int *err)
{
	char path[512], *buf = NULL, *nbuf;
	size_t size = 0, used = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/rmap", ctl_root);
	fd = open(path, O_RDWR);
	if (fd < 0) {
		*err = errno;
		return NULL;
	}
	if (write(fd, cmd, strlen(cmd)) < 0 || lseek(fd, 0, SEEK_SET) < 0) {
		*err = errno;
		goto fail;
	}
	for (;;) {
		if (used + 4096 + 1 > size) {
			size = size ? size * 2 : 65536;
			nbuf = realloc(buf, size);
			if (!nbuf) {
				*err = ENOMEM;
				goto fail;
			}
			buf = nbuf;
		}
		n = read(fd, buf + used, size - used - 1);
		if (n < 0) {
			*err = errno;
			goto fail;
		}
		if (!n)
			break;
		used += (size_t)n;
	}
	close(fd);
	buf[used] = '\0';
	return buf;
fail:
	free(buf);
	close(fd);
	return NULL;
}

/* The summary line "key value key value ..." as a JSON object. */
static void summary_json(char *line)
{
	char *save = NULL, *k, *v;
	int first = 1;

	putchar('{');
	for (k = strtok_r(line, " ", &save); k; k = strtok_r(NULL, " ", &save)) {
		char *end;

		v = strtok_r(NULL, " ", &save);
		if (!v)
			break;
		printf(first ? "" : ",");
		first = 0;
		json_str(stdout, k);
		putchar(':');
		strtoull(v, &end, 10);
		if (*end || end == v)
			json_str(stdout, v);
		else
			fputs(v, stdout);
	}
	putchar('}');
}

int cmd_rmap(int argc, char **argv)
{
	unsigned long long a, b;
	char cmd[PAGEHINT_CMD_MAX], *text, *nl, *colon;
	int err = 0;

	if (argc != 2)
		return rmap_usage();
	colon = strchr(argv[1], ':');
	if (colon) {
		*colon = '\0';
		if (parse_num(argv[1], &a) || parse_num(colon + 1, &b) || !a)
			return rmap_usage();
		snprintf(cmd, sizeof(cmd), "pid %llu addr 0x%llx", a, b);
	} else {
		if (parse_num(argv[1], &a))
			return rmap_usage();
		snprintf(cmd, sizeof(cmd), "pfn %llu", a);
	}
	text = rmap_ask(cmd, &err);
	if (!text) {
		switch (err) {
		case ESRCH:
			fprintf(stderr, "pagehintctl: rmap: no process %llu\n", a);
			return EXIT_FAIL;
		case ENXIO:
			fprintf(stderr, "pagehintctl: rmap: nothing mapped at 0x%llx in process %llu\n", b, a);
			return EXIT_FAIL;
		case ERANGE:
			fprintf(stderr, "pagehintctl: rmap: %s is out of range (not online memory)\n", cmd);
			return EXIT_FAIL;
		case EOPNOTSUPP:
			fprintf(stderr, "pagehintctl: rmap: %s: not in the reverse map (hugetlb, PFN map or special mapping)\n", cmd);
			return EXIT_FAIL;
		case ENOENT:
			fprintf(stderr, "pagehintctl: rmap: the rmap component is not available on this kernel\n");
			return EXIT_FAIL;
		}
		return ctl_errno_exit(err, "rmap");
	}
	if (!ctl_json) {
		fputs(text, stdout);
		free(text);
		return EXIT_OK;
	}
	nl = strchr(text, '\n');
	if (!nl) {
		free(text);
		return ctl_errno_exit(EIO, "rmap: malformed answer");
	}
	*nl = '\0';
	printf("{\"page\":");
	summary_json(text);
	printf(",\"mappings\":");
	ctl_table_to_json(nl + 1, stdout);
	printf("}\n");
	free(text);
	return EXIT_OK;
}
