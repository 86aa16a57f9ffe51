// SPDX-License-Identifier: GPL-2.0
/*
 * policy/<name>: one file per policy of the registry (module/policy.c),
 * 0600. A read gives the current value; a write goes through
 * ph_policy_parse() and ph_policy_set(): parsed, range-checked, applied,
 * only then stored.
 */
#include <linux/module.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include "pagehint.h"
#include "ph_debugfs.h"

static int policy_show(struct seq_file *m, void *v)
{
	const struct ph_policy *p = m->private;

	seq_printf(m, "%lu\n", READ_ONCE(*p->value));
	return 0;
}

static int policy_store(char *cmd, void *data)
{
	const struct ph_policy *p = data;
	unsigned long val;
	int ret;

	ret = ph_policy_parse(p, cmd, &val);
	return ret ? ret : ph_policy_set(p, val);
}
PH_DEBUGFS_SHOW_STORE(policy);

/**
 * ph_policy_file() - show policy @p as the file @name in @dir
 * @p: the policy (static storage)
 * @dir: debugfs folder
 * @name: file name (a component may show a policy in its own folder too)
 */
void ph_policy_file(const struct ph_policy *p, struct dentry *dir,
		    const char *name)
{
	debugfs_create_file(name, 0600, dir, (void *)p, &policy_fops);
}

/* policy/: every policy of the components that are up. */
void ph_policy_debugfs_init(struct dentry *root)
{
	struct dentry *dir = debugfs_create_dir("policy", root);
	unsigned int i;

	for (i = 0; i < ph_policy_count(); i++)
		ph_policy_file(ph_policy_at(i), dir, ph_policy_at(i)->name);
}
