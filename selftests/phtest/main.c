// SPDX-License-Identifier: GPL-2.0
/*
 * phtest.ko: pagehint's test module. Not part of pagehint.ko and not for
 * production: the drivers the selftests, the benchmarks and the demo use
 * to put load on pagehint's components, through pagehint.ko's exported
 * API only (so it loads after pagehint.ko and pins it while loaded).
 *
 * /sys/kernel/debug/phtest/ (root only, strict writes as pagehint's):
 *   zspool/ctl, zspool/pool           the zspool workload driver (zspool.c)
 *   balloon/probe, balloon/contig,
 *   balloon/status                    the balloon's test hooks (balloon.c)
 */
#include <linux/module.h>
#include <linux/debugfs.h>
#include "phtest.h"

static struct dentry *phtest_root;

static int __init phtest_init(void)
{
	phtest_root = debugfs_create_dir("phtest", NULL);
	if (IS_ERR(phtest_root))
		return PTR_ERR(phtest_root);
	phtest_zspool_init(phtest_root);
	phtest_balloon_init(phtest_root);
	return 0;
}

static void __exit phtest_exit(void)
{
	/* waits for the file operations in flight */
	debugfs_remove(phtest_root);
	phtest_zspool_exit();
}

module_init(phtest_init);
module_exit(phtest_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("pagehint developers");
MODULE_DESCRIPTION("pagehint test drivers: zspool workload, balloon test hooks (not for production)");
