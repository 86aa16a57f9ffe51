// SPDX-License-Identifier: GPL-2.0
/*
 * Policies: every tunable of every component is one struct ph_policy, a
 * module parameter when the component declares it with PH_POLICY()
 * (read-only in sysfs after load) and a control file policy/<name>
 * (debugfs/policy.c), with the same name, parser and range.
 *
 * A new value is parsed completely, range-checked, handed to the policy's
 * apply() (which may attach or detach hooks, or refuse), and only then
 * stored. Any failure leaves the old value in place.
 *
 * The registry lists the policies of the components that are up: a
 * component adds its own at init, core.c drops those of a component whose
 * init failed. Written only while the module loads, before the control
 * plane exists; read by the control plane afterwards.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include "pagehint.h"

/* Serialises policy writes: apply() and the store of the new value. */
DEFINE_MUTEX(ph_policy_lock);

#define PH_POLICY_MAX	32
static const struct ph_policy *ph_policies[PH_POLICY_MAX];
static unsigned int ph_nr_policies;

/**
 * ph_policy_add() - list a policy in the registry
 * @p: the policy; static storage (it outlives the control plane)
 */
void ph_policy_add(const struct ph_policy *p)
{
	if (!WARN_ON_ONCE(ph_nr_policies == PH_POLICY_MAX))
		ph_policies[ph_nr_policies++] = p;
}

unsigned int ph_policy_count(void)
{
	return ph_nr_policies;
}

const struct ph_policy *ph_policy_at(unsigned int i)
{
	return i < ph_nr_policies ? ph_policies[i] : NULL;
}

/* The policy named @name, or NULL. */
const struct ph_policy *ph_policy_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < ph_nr_policies; i++)
		if (!strcmp(ph_policies[i]->name, name))
			return ph_policies[i];
	return NULL;
}

/* Forget the policies added after the first @n (a failed component init). */
void ph_policy_truncate(unsigned int n)
{
	ph_nr_policies = min(n, ph_nr_policies);
}

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
