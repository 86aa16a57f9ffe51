// SPDX-License-Identifier: GPL-2.0
/*
 * pagehint core: module entry and exit, the component table, the order.
 *
 * Load: every component in ph_parts[] order, then the control plane (the
 * debugfs root and its core files, then the files of each component that
 * is up). A component that returns -ENODEV from init is not supported on
 * this kernel (a target or symbol is missing): it is marked
 * "unsupported", a message says so, and loading goes on. One that comes
 * up but names what this kernel lacks (its limits()) is "degraded", with
 * that reason, and runs like one that is up. Any other error unwinds the
 * components already up, in reverse order, and fails the load. A
 * component whose init failed leaves no policy behind.
 *
 * Unload: the control plane first (debugfs_remove() waits for the file
 * operations in flight, so no command reaches a component going down),
 * then the components in reverse order.
 *
 * The components never call the control plane; this table is the one
 * place that knows both (DAMON's split of core and interface).
 */
#define pr_fmt(fmt) "pagehint: " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include "pagehint.h"
#include "ph_hooks.h"
#include "ph_debugfs.h"

/**
 * struct ph_part - a component and its control files
 * @comp: the component
 * @debugfs_init: creates its files under the root; called once it is up
 * @debugfs_exit: optional; frees what its files hold, after the tree went
 */
struct ph_part {
	const struct ph_component *comp;
	void (*debugfs_init)(struct dentry *root);
	void (*debugfs_exit)(void);
};

static const struct ph_part ph_parts[] = {
	{ &ph_states_component, ph_states_debugfs_init },
	{ &ph_host_component, ph_host_debugfs_init },
	{ &ph_balloon_component, ph_balloon_debugfs_init },
	{ &ph_host_virtio_component, ph_vb_debugfs_init },
	{ &ph_zspool_component, ph_zspool_debugfs_init },
	{ &ph_rmap_component, ph_rmap_debugfs_init, ph_rmap_debugfs_exit },
	{ &ph_reclaim_component, ph_reclaim_debugfs_init },
};

enum ph_comp_state {
	PH_COMP_DOWN, PH_COMP_UP, PH_COMP_DEGRADED, PH_COMP_UNSUPPORTED
};

/* Written only at load and unload, read by the "components" file. */
static enum ph_comp_state ph_comp_state[ARRAY_SIZE(ph_parts)];
static const char *ph_comp_reason[ARRAY_SIZE(ph_parts)];

/* Up, fully or degraded: its exit and its control files run. */
static bool ph_comp_running(unsigned int i)
{
	return ph_comp_state[i] == PH_COMP_UP ||
	       ph_comp_state[i] == PH_COMP_DEGRADED;
}

unsigned int ph_component_count(void)
{
	return ARRAY_SIZE(ph_parts);
}

const char *ph_component_name(unsigned int i)
{
	return ph_parts[i].comp->name;
}

const char *ph_component_state(unsigned int i)
{
	static const char * const names[] = {
		[PH_COMP_DOWN] = "down",
		[PH_COMP_UP] = "up",
		[PH_COMP_DEGRADED] = "degraded",
		[PH_COMP_UNSUPPORTED] = "unsupported",
	};

	return names[ph_comp_state[i]];
}

/* What a degraded component lacks on this kernel; NULL otherwise. */
const char *ph_component_reason(unsigned int i)
{
	return ph_comp_reason[i];
}

static void ph_components_down(unsigned int n)
{
	while (n--) {
		if (!ph_comp_running(n))
			continue;
		ph_parts[n].comp->exit();
		ph_comp_state[n] = PH_COMP_DOWN;
		ph_comp_reason[n] = NULL;
	}
}

static int ph_components_up(void)
{
	unsigned int i, npol;
	int ret;

	for (i = 0; i < ARRAY_SIZE(ph_parts); i++) {
		const struct ph_component *c = ph_parts[i].comp;

		npol = ph_policy_count();
		ret = c->init();
		if (ret)
			ph_policy_truncate(npol);
		if (ret == -ENODEV) {
			pr_info("%s: not supported on this kernel, off\n",
				c->name);
			ph_comp_state[i] = PH_COMP_UNSUPPORTED;
			continue;
		}
		if (ret) {
			pr_err("%s: init failed: %d\n", c->name, ret);
			ph_components_down(i);
			return ret;
		}
		ph_comp_reason[i] = c->limits ? c->limits() : NULL;
		ph_comp_state[i] = ph_comp_reason[i] ? PH_COMP_DEGRADED :
				   PH_COMP_UP;
		if (ph_comp_reason[i])
			pr_info("%s: degraded on this kernel: %s\n", c->name,
				ph_comp_reason[i]);
	}
	return 0;
}

static void ph_control_down(void)
{
	unsigned int i = ARRAY_SIZE(ph_parts);

	ph_debugfs_exit();
	while (i--)
		if (ph_comp_running(i) && ph_parts[i].debugfs_exit)
			ph_parts[i].debugfs_exit();
}

static int ph_control_up(void)
{
	struct dentry *root = ph_debugfs_init();
	unsigned int i;

	if (IS_ERR(root))
		return PTR_ERR(root);
	for (i = 0; i < ARRAY_SIZE(ph_parts); i++)
		if (ph_comp_running(i))
			ph_parts[i].debugfs_init(root);
	return 0;
}

#ifdef CONFIG_FAULT_INJECTION
/*
 * Test hook (selftests/tests/04_faults.sh): fail the Nth fault site
 * (failslab, fail_page_alloc) of this init, as /proc/<tid>/fail-nth does,
 * but counted from the init on. The module loader's own sites before it
 * include jump_label_add_module(), which WARNs on -ENOMEM, so a sweep over
 * the whole finit_module() cannot get past it. After the init the
 * parameter holds what was left of the count: 0 when the fault was
 * injected.
 */
static unsigned int fail_nth;
module_param(fail_nth, uint, 0400);
MODULE_PARM_DESC(fail_nth, "test hook: fail the Nth allocation of the module's init (0: off)");

static void ph_fail_nth_start(void)
{
	if (fail_nth)
		WRITE_ONCE(current->fail_nth, fail_nth);
}

static void ph_fail_nth_end(void)
{
	if (fail_nth) {
		fail_nth = READ_ONCE(current->fail_nth);
		WRITE_ONCE(current->fail_nth, 0);
	}
}
#else
static inline void ph_fail_nth_start(void) { }
static inline void ph_fail_nth_end(void) { }
#endif

static int __init pagehint_init(void)
{
	int ret;

	ph_fail_nth_start();
	ret = ph_components_up();
	if (ret)
		goto out;
	ret = ph_control_up();
	if (ret) {
		pr_err("debugfs: %d\n", ret);
		ph_components_down(ARRAY_SIZE(ph_parts));
		ph_hooks_exit();
		goto out;
	}
	pr_info("version %s loaded\n", PAGEHINT_VERSION);
out:
	ph_fail_nth_end();
	return ret;
}

static void __exit pagehint_exit(void)
{
	ph_control_down();
	ph_components_down(ARRAY_SIZE(ph_parts));
	ph_hooks_exit();
	pr_info("unloaded\n");
}

module_init(pagehint_init);
module_exit(pagehint_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("pagehint developers");
MODULE_DESCRIPTION("Guest page hinting, movable balloon and pool, rmap insight");
MODULE_VERSION(PAGEHINT_VERSION);
