/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pagehint internal interface: components and policies.
 *
 * The module is a set of components (states, host, balloon, zspool, rmap,
 * reclaim ...). Each one registers a struct ph_component in the table in
 * module/core.c. The core brings them up in table order and down in reverse
 * order; a component whose init returns -ENODEV is "not supported on this
 * kernel": it is skipped with a message and the module still loads. The
 * control plane (include/ph_debugfs.h) comes up after the components and
 * goes first.
 */
#ifndef _PAGEHINT_H
#define _PAGEHINT_H

#include <linux/types.h>
#include <linux/fs.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include "uapi/pagehint.h"

/**
 * struct ph_component - one part of the module
 * @name: short name, shown in debugfs "components" and in log messages
 * @init: bring the component up; -ENODEV means "unsupported here, skip"
 * @exit: undo @init; only called when @init returned 0
 * @limits: optional, asked after @init returned 0: NULL when the
 *          component works fully on this kernel, else what the kernel
 *          lacks (a static string): the component is up but "degraded",
 *          and "components" shows the reason
 */
struct ph_component {
	const char *name;
	int (*init)(void);
	void (*exit)(void);
	const char *(*limits)(void);
};

/**
 * struct ph_policy - a tunable shown as policy/<name> in debugfs
 * @name: file name under policy/
 * @value: the live value; read locklessly (READ_ONCE) by users
 * @min: smallest accepted value
 * @max: largest accepted value (1 for a boolean switch)
 * @unit: "0/1" for a switch, else what the number counts ("bytes", "ms",
 *        "pages")
 * @apply: optional; called with ph_policy_lock held before the value is
 *         stored; a non-zero return rejects the write and leaves @value
 * @help: what it does, one line (no unit, no default: both come from the
 *        code, see below)
 *
 * Writes accept a decimal number (or 0/1/on/off/y/n for booleans), a size
 * with a K/M/G suffix for policies whose @unit is "bytes", nothing else.
 *
 * The README's policy table is made from the module itself (make
 * policies; 01_badinput compares): the meaning and the unit from modinfo
 * (MODULE_PARM_DESC is "@help [@unit]"), the default from the parameter's
 * value after a load without parameters.
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

/*
 * The policy registry (module/policy.c): a component adds its policies at
 * init; the control plane shows every policy of the components that came
 * up. Written only while the module loads, before the control plane
 * exists.
 */
void ph_policy_add(const struct ph_policy *p);
unsigned int ph_policy_count(void);
const struct ph_policy *ph_policy_at(unsigned int i);
const struct ph_policy *ph_policy_find(const char *name);
void ph_policy_truncate(unsigned int n);
int ph_policy_parse(const struct ph_policy *p, const char *s,
		    unsigned long *val);
int ph_policy_set(const struct ph_policy *p, unsigned long val);
extern const struct kernel_param_ops ph_policy_param_ops;

/*
 * PH_POLICY() - declare a policy variable that is both a module parameter
 * and (after ph_policy_add(&<var>_policy)) a debugfs policy file; @def is
 * its default, @punit a string literal.
 */
#define PH_POLICY(var, pname, def, lo, hi, punit, fn, text)		\
	static unsigned long var = (def);				\
	__PH_POLICY(var, pname, lo, hi, punit, fn, text)
/* The same for a variable defined (and shared) by the caller. */
#define __PH_POLICY(var, pname, lo, hi, punit, fn, text)		\
	static const struct ph_policy var##_policy = {			\
		.name = #pname, .value = &var, .min = (lo), .max = (hi), \
		.unit = (punit), .apply = (fn), .help = (text),		\
	};								\
	module_param_cb(pname, &ph_policy_param_ops, (void *)&var##_policy, 0444); \
	MODULE_PARM_DESC(pname, text " [" punit "]")
/* Serialises every policy change (apply + store); may sleep. */
extern struct mutex ph_policy_lock;

/* The components as core.c brought them up ("components" file). */
unsigned int ph_component_count(void);
const char *ph_component_name(unsigned int i);
const char *ph_component_state(unsigned int i);
const char *ph_component_reason(unsigned int i);

/*
 * The populated zone after @z (the first one for NULL), in every online
 * node; NULL after the last. The kernel's next_zone() and
 * first_online_pgdat() are not exported.
 */
static inline struct zone *ph_next_populated_zone(struct zone *z)
{
	pg_data_t *pgdat;
	int nid;

	if (z) {
		pgdat = z->zone_pgdat;
		z++;
	} else {
		nid = first_online_node;
		if (nid >= MAX_NUMNODES)
			return NULL;
		pgdat = NODE_DATA(nid);
		z = pgdat->node_zones;
	}
	for (;;) {
		for (; z < pgdat->node_zones + MAX_NR_ZONES; z++)
			if (populated_zone(z))
				return z;
		nid = next_online_node(pgdat->node_id);
		if (nid >= MAX_NUMNODES)
			return NULL;
		pgdat = NODE_DATA(nid);
		z = pgdat->node_zones;
	}
}

/* ph_for_each_populated_zone() - @z: every populated zone of the guest */
#define ph_for_each_populated_zone(z)					\
	for ((z) = ph_next_populated_zone(NULL); (z);			\
	     (z) = ph_next_populated_zone(z))

/**
 * ph_online_pfn_span() - the PFNs every online node with memory spans
 * @start: set to the lowest PFN
 * @end: set to one past the highest
 *
 * Memory holes between and inside nodes are included. *@start >= *@end
 * when no node spans memory.
 */
static inline void ph_online_pfn_span(unsigned long *start,
				      unsigned long *end)
{
	int nid;

	*start = ULONG_MAX;
	*end = 0;
	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);

		if (!pgdat->node_spanned_pages)
			continue;
		*start = min(*start, pgdat->node_start_pfn);
		*end = max(*end, pgdat_end_pfn(pgdat));
	}
}

/* Components, in load order (module/core.c lists them). */
extern const struct ph_component ph_zspool_component;
extern const struct ph_component ph_states_component;
extern const struct ph_component ph_balloon_component;
extern const struct ph_component ph_rmap_component;
extern const struct ph_component ph_reclaim_component;
extern const struct ph_component ph_host_component;
extern const struct ph_component ph_host_virtio_component;

#endif /* _PAGEHINT_H */
