/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pagehint internal interface: components, policies and the debugfs tree.
 *
 * The module is a set of components (states, host, balloon, zspool, rmap,
 * reclaim ...). Each one registers a struct ph_component in the table in
 * module/core.c. The core brings them up in table order and down in reverse
 * order; a component whose init returns -ENODEV is "not supported on this
 * kernel": it is skipped with a message and the module still loads.
 */
#ifndef _PAGEHINT_H
#define _PAGEHINT_H

#include <linux/types.h>
#include <linux/fs.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include "uapi/pagehint.h"

struct dentry;
struct seq_file;

/**
 * struct ph_component - one part of the module
 * @name: short name, shown in debugfs "components" and in log messages
 * @init: bring the component up; -ENODEV means "unsupported here, skip"
 * @exit: undo @init; only called when @init returned 0
 */
struct ph_component {
	const char *name;
	int (*init)(void);
	void (*exit)(void);
};

/* Root of /sys/kernel/debug/pagehint and its policy/ folder. */
extern struct dentry *ph_debugfs_root;
extern struct dentry *ph_debugfs_policy;

/**
 * struct ph_policy - a tunable shown as policy/<name> in debugfs
 * @name: file name under policy/
 * @value: the live value; read locklessly (READ_ONCE) by users
 * @min: smallest accepted value
 * @max: largest accepted value (1 for a boolean switch)
 * @apply: optional; called with ph_policy_lock held before the value is
 *         stored; a non-zero return rejects the write and leaves @value
 * @help: one line: meaning, unit and default
 *
 * Writes accept a decimal number (or 0/1/on/off/y/n for booleans), a size
 * with a K/M/G suffix for policies whose @unit is "bytes", nothing else.
 */
struct ph_policy {
	const char *name;
	unsigned long *value;
	unsigned long min;
	unsigned long max;
	const char *unit;
	int (*apply)(const struct ph_policy *p, unsigned long val);
	const char *help;
};

void ph_policy_add(const struct ph_policy *p);
int ph_policy_parse(const struct ph_policy *p, const char *s,
		    unsigned long *val);
int ph_policy_set(const struct ph_policy *p, unsigned long val);
extern const struct kernel_param_ops ph_policy_param_ops;

/*
 * PH_POLICY() - declare a policy variable that is both a module parameter
 * and (after ph_policy_add(&<var>_policy)) a debugfs policy file.
 */
#define PH_POLICY(var, pname, def, lo, hi, punit, fn, text)		\
	static unsigned long var = (def);				\
	static const struct ph_policy var##_policy = {			\
		.name = #pname, .value = &var, .min = (lo), .max = (hi), \
		.unit = (punit), .apply = (fn), .help = (text),		\
	};								\
	module_param_cb(pname, &ph_policy_param_ops, (void *)&var##_policy, 0444); \
	MODULE_PARM_DESC(pname, text)
/* Serialises every policy change (apply + store); may sleep. */
extern struct mutex ph_policy_lock;

/* Read a bounded user buffer into a NUL-terminated, stripped string. */
int ph_copy_cmd(char *buf, size_t size, const char __user *ubuf, size_t len,
		loff_t *ppos);

int ph_debugfs_init(void);
void ph_debugfs_exit(void);

/* Components, in load order (module/core.c lists them). */
extern const struct ph_component ph_zspool_component;
extern const struct ph_component ph_states_component;
extern const struct ph_component ph_balloon_component;
extern const struct ph_component ph_rmap_component;
extern const struct ph_component ph_reclaim_component;
extern const struct ph_component ph_host_component;

#endif /* _PAGEHINT_H */
