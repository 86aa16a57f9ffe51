// SPDX-License-Identifier: GPL-2.0
/*
 * pagehint core: module entry and exit, the component table.
 *
 * Load order: debugfs root, then every component in ph_components[]
 * order. A component that returns -ENODEV from init is not supported on
 * this kernel (a target or symbol is missing): it is marked "unsupported",
 * a message says so, and loading goes on. Any other error unwinds the
 * components already up, in reverse order, and fails the load.
 * Unload runs the exits in reverse order, then removes debugfs.
 */
#define pr_fmt(fmt) "pagehint: " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include "pagehint.h"
#include "ph_hooks.h"

static const struct ph_component *const ph_components[] = {
	&ph_states_component,
	&ph_host_component,
	&ph_balloon_component,
	&ph_zspool_component,
	&ph_rmap_component,
	&ph_reclaim_component,
};

enum ph_comp_state { PH_COMP_DOWN, PH_COMP_UP, PH_COMP_UNSUPPORTED };

/* Written only at load and unload, read by the "components" file. */
static enum ph_comp_state ph_comp_state[ARRAY_SIZE(ph_components) + 1];

static int components_show(struct seq_file *m, void *v)
{
	static const char * const names[] = {
		[PH_COMP_DOWN] = "down",
		[PH_COMP_UP] = "up",
		[PH_COMP_UNSUPPORTED] = "unsupported",
	};
	unsigned int i;

	seq_printf(m, "%-10s %s\n", "name", "state");
	for (i = 0; i < ARRAY_SIZE(ph_components); i++)
		seq_printf(m, "%-10s %s\n", ph_components[i]->name,
			   names[ph_comp_state[i]]);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(components);

static void ph_components_down(unsigned int n)
{
	while (n--) {
		if (ph_comp_state[n] != PH_COMP_UP)
			continue;
		ph_components[n]->exit();
		ph_comp_state[n] = PH_COMP_DOWN;
	}
}

static int ph_components_up(void)
{
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(ph_components); i++) {
		const struct ph_component *c = ph_components[i];

		ret = c->init();
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
		ph_comp_state[i] = PH_COMP_UP;
	}
	return 0;
}

static int __init pagehint_init(void)
{
	int ret;

	ret = ph_debugfs_init();
	if (ret)
		return ret;
	debugfs_create_file("components", 0400, ph_debugfs_root, NULL,
			    &components_fops);
	ret = ph_components_up();
	if (ret)
		goto err_debugfs;
	pr_info("version %s loaded\n", PAGEHINT_VERSION);
	return 0;

err_debugfs:
	ph_debugfs_exit();
	return ret;
}

static void __exit pagehint_exit(void)
{
	ph_components_down(ARRAY_SIZE(ph_components));
	ph_debugfs_exit();
	ph_hooks_exit();
	pr_info("unloaded\n");
}

module_init(pagehint_init);
module_exit(pagehint_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("pagehint developers");
MODULE_DESCRIPTION("Guest page hinting, movable balloon and pool, rmap insight");
MODULE_VERSION(PAGEHINT_VERSION);
