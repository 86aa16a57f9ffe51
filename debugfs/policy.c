// SPDX-License-Identifier: GPL-2.0
/*
 * Policies: every tunable of every component is one struct ph_policy,
 * shown as /sys/kernel/debug/pagehint/policy/<name> (0600) and, when the
 * component declares it with PH_POLICY(), also a module parameter with the
 * same name, parser and range (read-only in sysfs after load).
 *
 * A write is parsed completely, range-checked, handed to the policy's
 * apply() (which may attach or detach hooks, or refuse), and only then
 * stored. Any failure leaves the old value in place.
 */
#include <linux/module.h>
#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include "pagehint.h"

/* Serialises policy writes: apply() and the store of the new value. */
DEFINE_MUTEX(ph_policy_lock);

static bool ph_policy_is_bool(const struct ph_policy *p)
{
	return p->min == 0 && p->max == 1;
}

static bool ph_policy_is_bytes(const struct ph_policy *p)
{
	return p->unit && !strcmp(p->unit, "bytes");
}

/**
 * ph_policy_parse() - parse and range-check a new policy value
 * @p: the policy
 * @s: text without surrounding blanks
 * @val: result
 *
 * Return: 0, -EINVAL for text that is not a value, -ERANGE for a value
 * outside [min, max].
 */
int ph_policy_parse(const struct ph_policy *p, const char *s,
		    unsigned long *val)
{
	unsigned long long v;
	bool b;
	int ret;

	if (ph_policy_is_bool(p)) {
		ret = kstrtobool(s, &b);
		if (ret)
			return -EINVAL;
		/* kstrtobool looks at the first char(s) only: be strict */
		if (strcmp(s, "0") && strcmp(s, "1") && strcmp(s, "on") &&
		    strcmp(s, "off") && strcmp(s, "y") && strcmp(s, "n"))
			return -EINVAL;
		*val = b;
		return 0;
	}
	if (ph_policy_is_bytes(p))
		ret = ph_parse_size(s, &v);
	else
		ret = kstrtoull(s, 10, &v);
	if (ret)
		return ret == -ERANGE ? -ERANGE : -EINVAL;
	if (v < p->min || v > p->max)
		return -ERANGE;
	*val = v;
	return 0;
}

static int policy_show(struct seq_file *m, void *v)
{
	const struct ph_policy *p = m->private;

	seq_printf(m, "%lu\n", READ_ONCE(*p->value));
	return 0;
}

static int policy_open(struct inode *inode, struct file *file)
{
	return single_open(file, policy_show, inode->i_private);
}

/**
 * ph_policy_set() - validate, apply and store a new value
 * @p: the policy
 * @val: the value, already range-checked
 *
 * Return: 0 or the error of the policy's apply().
 */
int ph_policy_set(const struct ph_policy *p, unsigned long val)
{
	int ret = 0;

	mutex_lock(&ph_policy_lock);
	if (p->apply && val != *p->value)
		ret = p->apply(p, val);
	if (!ret)
		WRITE_ONCE(*p->value, val);
	mutex_unlock(&ph_policy_lock);
	return ret;
}

static ssize_t policy_write(struct file *file, const char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	const struct ph_policy *p = file_inode(file)->i_private;
	char buf[PAGEHINT_CMD_MAX];
	unsigned long val;
	int ret;

	ret = ph_copy_cmd(buf, sizeof(buf), ubuf, len, ppos);
	if (ret)
		return ret;
	ret = ph_policy_parse(p, buf, &val);
	if (ret)
		return ret;
	ret = ph_policy_set(p, val);
	return ret ? ret : len;
}

static const struct file_operations policy_fops = {
	.owner = THIS_MODULE,
	.open = policy_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = policy_write,
};

/**
 * ph_policy_file() - publish a policy as a file named @name in @dir
 * @p: the policy; must outlive the debugfs tree (static storage)
 * @dir: debugfs folder
 * @name: file name (a component may show a policy in its own folder too)
 */
void ph_policy_file(const struct ph_policy *p, struct dentry *dir,
		    const char *name)
{
	debugfs_create_file(name, 0600, dir, (void *)p, &policy_fops);
}

/**
 * ph_policy_add() - publish a policy as policy/<name>
 * @p: the policy; must outlive the debugfs tree (static storage)
 */
void ph_policy_add(const struct ph_policy *p)
{
	ph_policy_file(p, ph_debugfs_policy, p->name);
}

/* Module parameter side of PH_POLICY(): same parser, same range. */
static int ph_param_set(const char *s, const struct kernel_param *kp)
{
	const struct ph_policy *p = kp->arg;
	char buf[PAGEHINT_CMD_MAX];
	unsigned long val;
	int ret;

	if (strscpy(buf, s, sizeof(buf)) < 0)
		return -E2BIG;
	ret = ph_policy_parse(p, strim(buf), &val);
	if (ret)
		return ret;
	*p->value = val;
	return 0;
}

static int ph_param_get(char *buf, const struct kernel_param *kp)
{
	const struct ph_policy *p = kp->arg;

	return sysfs_emit(buf, "%lu\n", READ_ONCE(*p->value));
}

const struct kernel_param_ops ph_policy_param_ops = {
	.set = ph_param_set,
	.get = ph_param_get,
};
