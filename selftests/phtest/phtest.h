/* SPDX-License-Identifier: GPL-2.0 */
/* phtest: the test module's parts (selftests/phtest/main.c wires them). */
#ifndef _PHTEST_H
#define _PHTEST_H

struct dentry;

void phtest_zspool_init(struct dentry *root);
void phtest_zspool_exit(void);
void phtest_balloon_init(struct dentry *root);

#endif /* _PHTEST_H */
