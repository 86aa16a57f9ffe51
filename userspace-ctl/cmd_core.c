// SPDX-License-Identifier: GPL-2.0
/* pagehintctl status, hooks, policy. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ctl.h"

int cmd_status(int argc, char **argv)
{
	char *ver, *comp, *hooks;
	int ret = EXIT_OK;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: pagehintctl status\n");
		return EXIT_USAGE;
	}
	ver = ctl_read("version", NULL);
	comp = ctl_read("components", NULL);
	hooks = ctl_read("hooks", NULL);
	if (!ver || !comp || !hooks) {
		ret = ctl_errno_exit(errno, "status");
		goto out;
	}
	ver[strcspn(ver, "\n")] = '\0';
	if (ctl_json) {
		printf("{\"loaded\":true,\"version\":");
		json_str(stdout, ver);
		printf(",\"components\":");
		ctl_table_to_json(comp, stdout);
		printf(",\"hooks\":");
		ctl_table_to_json(hooks, stdout);
		printf("}\n");
	} else {
		printf("pagehint %s loaded\n\n%s\n%s", ver, comp, hooks);
	}
out:
	free(ver);
	free(comp);
	free(hooks);
	return ret;
}

int cmd_hooks(int argc, char **argv)
{
	char cmd[PAGEHINT_CMD_MAX];
	int err;

	if (argc == 1 || (argc == 2 && !strcmp(argv[1], "list")))
		return ctl_print_file("hooks", CTL_TABLE);
	if (argc != 3 || (strcmp(argv[1], "enable") && strcmp(argv[1], "disable"))) {
		fprintf(stderr, "usage: pagehintctl hooks [list|enable NAME|disable NAME]\n");
		return EXIT_USAGE;
	}
	snprintf(cmd, sizeof(cmd), "%s %s", argv[1], argv[2]);
	err = ctl_write("hooks", cmd);
	if (err == -ENOENT) {
		fprintf(stderr, "pagehintctl: no hook named '%s' (see: pagehintctl hooks)\n", argv[2]);
		return EXIT_FAIL;
	}
	if (err == -ENODEV) {
		fprintf(stderr, "pagehintctl: hook '%s' has no target on this kernel\n", argv[2]);
		return EXIT_FAIL;
	}
	return err ? ctl_errno_exit(err, cmd) : EXIT_OK;
}

static int policy_list(const char *only)
{
	char path[600], rel[300];
	struct dirent *de;
	int n = 0, ret = EXIT_OK;
	DIR *d;

	snprintf(path, sizeof(path), "%s/policy", ctl_root);
	d = opendir(path);
	if (!d)
		return ctl_errno_exit(errno, path);
	if (ctl_json)
		putchar('{');
	while ((de = readdir(d))) {
		char *v;

		if (de->d_name[0] == '.' || (only && strcmp(only, de->d_name)))
			continue;
		snprintf(rel, sizeof(rel), "policy/%s", de->d_name);
		v = ctl_read(rel, NULL);
		if (!v) {
			ret = ctl_errno_exit(errno, rel);
			break;
		}
		v[strcspn(v, "\n")] = '\0';
		if (ctl_json) {
			printf(n ? "," : "");
			json_str(stdout, de->d_name);
			/* numbers as they are, names (host_channel) as strings */
			if (*v && v[strspn(v, "0123456789")] == '\0') {
				printf(":%s", v);
			} else {
				putchar(':');
				json_str(stdout, v);
			}
		} else {
			printf("%-24s %s\n", de->d_name, v);
		}
		n++;
		free(v);
	}
	closedir(d);
	if (ctl_json)
		printf("}\n");
	if (only && !n && ret == EXIT_OK) {
		fprintf(stderr, "pagehintctl: no policy named '%s'\n", only);
		return EXIT_FAIL;
	}
	return ret;
}

int cmd_policy(int argc, char **argv)
{
	char rel[300];
	int err;

	if (argc == 1 || (argc <= 3 && !strcmp(argv[1], "get")))
		return policy_list(argc == 3 ? argv[2] : NULL);
	if (argc != 4 || strcmp(argv[1], "set")) {
		fprintf(stderr, "usage: pagehintctl policy [get [NAME]|set NAME VALUE]\n");
		return EXIT_USAGE;
	}
	if (strchr(argv[2], '/')) {
		fprintf(stderr, "pagehintctl: bad policy name '%s'\n", argv[2]);
		return EXIT_USAGE;
	}
	snprintf(rel, sizeof(rel), "policy/%s", argv[2]);
	err = ctl_write(rel, argv[3]);
	if (err == -ENOENT) {
		fprintf(stderr, "pagehintctl: no policy named '%s'\n", argv[2]);
		return EXIT_FAIL;
	}
	if (err == -EINVAL || err == -ERANGE) {
		fprintf(stderr, "pagehintctl: policy %s: value '%s' %s\n", argv[2], argv[3],
			err == -EINVAL ? "is not valid" : "is out of range");
		return EXIT_FAIL;
	}
	return err ? ctl_errno_exit(err, rel) : EXIT_OK;
}
