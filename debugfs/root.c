// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/pagehint: the root folder, "version", "components",
 * "hooks", policy/, and the helpers every control file uses to take a
 * command (see include/ph_debugfs.h for the rules of a write); exported
 * for the test module, selftests/phtest, whose files follow the same
 * rules.
 */
#include <linux/module.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include <linux/string.h>
#include "pagehint.h"
#include "ph_hooks.h"
#include "ph_debugfs.h"

static struct dentry *ph_debugfs_root;

/**
 * ph_copy_cmd() - copy a control-file write into a string
 * @buf: destination
 * @size: its size
 * @ubuf: user buffer
 * @len: bytes written
 * @ppos: file position; a command must be written at offset 0
 *
 * Trailing white space (the newline of "echo") is stripped. The command is
 * consumed: *@ppos moves past it, so a second write() on the same open file
 * (the rest of a split command) is refused.
 *
 * Return: 0; -EINVAL for an empty or partial (offset != 0) write, or one
 * with a NUL byte; -E2BIG for one that does not fit; -EFAULT.
 */
int ph_copy_cmd(char *buf, size_t size, const char __user *ubuf, size_t len,
		loff_t *ppos)
{
	if (*ppos != 0 || len == 0)
		return -EINVAL;
	if (len >= size)
		return -E2BIG;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	*ppos += len;
	buf[len] = '\0';
	if (strlen(buf) != len)
		return -EINVAL;
	strim(buf);
	if (!buf[0])
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_GPL(ph_copy_cmd);

/**
 * ph_debugfs_store() - the write() of every PH_DEBUGFS_*STORE() file
 * @file: the open file; its inode's private data goes to @store
 * @ubuf: user buffer
 * @len: bytes written
 * @ppos: file position
 * @store: takes the command; 0 or an errno
 *
 * Return: @len, or the errno of ph_copy_cmd() or @store.
 */
ssize_t ph_debugfs_store(struct file *file, const char __user *ubuf,
			 size_t len, loff_t *ppos,
			 int (*store)(char *cmd, void *data))
{
	char buf[PAGEHINT_CMD_MAX];
	int ret;

	ret = ph_copy_cmd(buf, sizeof(buf), ubuf, len, ppos);
	if (!ret)
		ret = store(buf, file_inode(file)->i_private);
	return ret ? ret : len;
}
EXPORT_SYMBOL_GPL(ph_debugfs_store);

static int version_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s\n", PAGEHINT_VERSION);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(version);

static int components_show(struct seq_file *m, void *v)
{
	unsigned int i;

	seq_printf(m, "%-10s %-11s %s\n", "name", "state", "reason");
	for (i = 0; i < ph_component_count(); i++)
		seq_printf(m, "%-10s %-11s %s\n", ph_component_name(i),
			   ph_component_state(i),
			   ph_component_reason(i) ? ph_component_reason(i) : "-");
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(components);

static void hooks_row(const struct ph_hook *h, void *arg)
{
	seq_printf(arg, "%-28s %-10s %-32s %-8s %-9s %lu\n", h->name,
		   ph_hook_kind_name(h), h->target, h->owner,
		   ph_hook_state_name(h), ph_hook_hits(h));
}

static int hooks_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%-28s %-10s %-32s %-8s %-9s %s\n", "name", "mechanism",
		   "target", "owner", "state", "hits");
	ph_hooks_for_each(hooks_row, m);
	return 0;
}

/* "enable NAME" / "disable NAME" */
static int hooks_store(char *cmd, void *data)
{
	bool enable;

	if (!strncmp(cmd, "enable ", 7))
		enable = true;
	else if (!strncmp(cmd, "disable ", 8))
		enable = false;
	else
		return -EINVAL;
	return ph_hook_set(strim(cmd + (enable ? 7 : 8)), enable);
}
PH_DEBUGFS_SHOW_STORE(hooks);

/**
 * ph_debugfs_init() - create the root folder and the core files
 *
 * Called by core.c once the components are up; the components' own
 * files follow under the returned root. Return values of
 * debugfs_create_*() are not checked, as debugfs asks.
 *
 * Return: the root, or an ERR_PTR (no debugfs on this kernel).
 */
struct dentry *ph_debugfs_init(void)
{
	ph_debugfs_root = debugfs_create_dir("pagehint", NULL);
	if (IS_ERR(ph_debugfs_root))
		return ph_debugfs_root;
	debugfs_create_file("version", 0400, ph_debugfs_root, NULL,
			    &version_fops);
	debugfs_create_file("components", 0400, ph_debugfs_root, NULL,
			    &components_fops);
	debugfs_create_file("hooks", 0600, ph_debugfs_root, NULL, &hooks_fops);
	ph_policy_debugfs_init(ph_debugfs_root);
	return ph_debugfs_root;
}

/* Removes every pagehint file; waits for the file operations in flight. */
void ph_debugfs_exit(void)
{
	debugfs_remove(ph_debugfs_root);
	ph_debugfs_root = NULL;
}
