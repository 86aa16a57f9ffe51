/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control plane, /sys/kernel/debug/pagehint (debugfs/): one file per
 * component's interface. An interface file calls its component's C API
 * (include/ph_*.h) and nothing in module/ calls an interface: the split of
 * DAMON's core and its sysfs interface. module/core.c creates the whole
 * tree once every component is up and removes it before the first one
 * goes down (debugfs_remove() waits for the file operations in flight),
 * so no control file outlives what it shows.
 *
 * Every file is root-only (0400 read, 0200 write, 0600 both). A write is
 * one command of at most PAGEHINT_CMD_MAX - 1 bytes in one write() at
 * offset 0 (ph_copy_cmd()), parsed strictly: a rejected write changes
 * nothing.
 */
#ifndef _PH_DEBUGFS_H
#define _PH_DEBUGFS_H

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/seq_file.h>

struct ph_policy;

int ph_copy_cmd(char *buf, size_t size, const char __user *ubuf, size_t len,
		loff_t *ppos);
ssize_t ph_debugfs_store(struct file *file, const char __user *ubuf,
			 size_t len, loff_t *ppos,
			 int (*store)(char *cmd, void *data));

/*
 * The show/store pattern, one macro for every control file:
 *
 *   PH_DEBUGFS_SHOW_STORE(name)  name##_fops of a file read through
 *                   int name##_show(struct seq_file *m, void *v) and
 *                   written through int name##_store(char *cmd, void *data)
 *   PH_DEBUGFS_STORE(name)       the same, write-only
 *   DEFINE_SHOW_ATTRIBUTE(name)  the kernel's, read-only
 *   PH_DEBUGFS_WRITE(name)       only name##_write(), for a file whose
 *                   open is its own
 *
 * m->private and @data are the file's data (debugfs_create_file()'s
 * @data). @cmd is the written command as ph_copy_cmd() leaves it (NUL
 * terminated, trailing blanks stripped, never empty); a store returns 0
 * or the errno the write() fails with.
 */
#define PH_DEBUGFS_WRITE(name)					\
static ssize_t name##_write(struct file *file, const char __user *ubuf, \
			    size_t len, loff_t *ppos)			\
{									\
	return ph_debugfs_store(file, ubuf, len, ppos, name##_store);	\
}

#define PH_DEBUGFS_SHOW_STORE(name)					\
PH_DEBUGFS_WRITE(name)						\
static int name##_open(struct inode *inode, struct file *file)		\
{									\
	return single_open(file, name##_show, inode->i_private);	\
}									\
static const struct file_operations name##_fops = {			\
	.owner = THIS_MODULE,						\
	.open = name##_open,						\
	.read = seq_read,						\
	.llseek = seq_lseek,						\
	.release = single_release,					\
	.write = name##_write,						\
}

#define PH_DEBUGFS_STORE(name)						\
PH_DEBUGFS_WRITE(name)						\
static const struct file_operations name##_fops = {			\
	.owner = THIS_MODULE,						\
	.open = simple_open,						\
	.write = name##_write,						\
	.llseek = noop_llseek,						\
}

/* The tree: the root and its core files (debugfs/root.c). */
struct dentry *ph_debugfs_init(void);
void ph_debugfs_exit(void);

/* policy/<name> (debugfs/policy.c); a component folder may show one too. */
void ph_policy_debugfs_init(struct dentry *root);
void ph_policy_file(const struct ph_policy *p, struct dentry *dir,
		    const char *name);

/* Each component's files, created under @root once the component is up. */
void ph_states_debugfs_init(struct dentry *root);
void ph_host_debugfs_init(struct dentry *root);
void ph_balloon_debugfs_init(struct dentry *root);
void ph_vb_debugfs_init(struct dentry *root);
void ph_zspool_debugfs_init(struct dentry *root);
void ph_rmap_debugfs_init(struct dentry *root);
void ph_rmap_debugfs_exit(void);
void ph_reclaim_debugfs_init(struct dentry *root);

#endif /* _PH_DEBUGFS_H */
