/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pagehintctl internals: the command table and the helpers every command
 * uses to talk to /sys/kernel/debug/pagehint.
 */
#ifndef PAGEHINTCTL_H
#define PAGEHINTCTL_H

#include <stdbool.h>
#include <stddef.h>
#include "uapi/pagehint.h"
#include <stdio.h>

/* Exit codes (documented in --help and the README). */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,		/* the kernel refused, or a check failed */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_NOMOD = 3,		/* pagehint.ko is not loaded */
	EXIT_NODEBUGFS = 4,	/* debugfs is not mounted */
	EXIT_NOPERM = 5,	/* not root */
};

struct ctl_cmd {
	const char *name;
	const char *usage;	/* "NAME args: what it does" for --help */
	int (*run)(int argc, char **argv);	/* argv[0] is the command */
};

/* The test module's folder (selftests/phtest: workload driver, test hooks). */
#define PHTEST_DEBUGFS	"/sys/kernel/debug/phtest"

extern bool ctl_json;		/* --json given */
extern const char *ctl_root;	/* debugfs folder, PAGEHINT_DEBUGFS */
extern const char *ctl_test_root;	/* PHTEST_DEBUGFS */

int ctl_check_access(void);
int ctl_check_test(void);
char *ctl_read(const char *rel, size_t *len);
int ctl_write(const char *rel, const char *text);
int ctl_errno_exit(int err, const char *what);
void json_str(FILE *f, const char *s);
int ctl_table_to_json(const char *text, FILE *f);
int ctl_kv_to_json(const char *text, FILE *f);

enum ctl_fmt { CTL_RAW, CTL_TABLE, CTL_KV };
int ctl_print_file(const char *rel, enum ctl_fmt fmt);

/* commands, one file each */
int cmd_status(int argc, char **argv);
int cmd_hooks(int argc, char **argv);
int cmd_policy(int argc, char **argv);
int cmd_zspool(int argc, char **argv);
int cmd_rmap(int argc, char **argv);
int cmd_states(int argc, char **argv);
int cmd_pfn(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_map(int argc, char **argv);
int cmd_balloon(int argc, char **argv);
int cmd_reclaim(int argc, char **argv);
int cmd_host(int argc, char **argv);

#endif
