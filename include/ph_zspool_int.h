/* SPDX-License-Identifier: GPL-2.0 */
/*
 * zspool internals shared by module/zspool.c (the allocator) and
 * debugfs/zspool.c (the workload driver and its test hooks). Not exported.
 */
#ifndef _PH_ZSPOOL_INT_H
#define _PH_ZSPOOL_INT_H

#include <linux/types.h>
#include "ph_zspool.h"

struct seq_file;

int zspool_debugfs_init(void);
void zspool_debugfs_exit(void);
void zspool_show_classes(struct seq_file *m, struct zspool *pool, bool all);
bool zspool_movable(void);

#endif /* _PH_ZSPOOL_INT_H */
