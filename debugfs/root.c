// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/pagehint: the root folder, "version", "components",
 * "hooks", and the helper every control file uses to read a command.
 *
 * All files are root-only (0400 read, 0200 write, 0600 both). Writes are
 * bounded by PAGEHINT_CMD_MAX, must arrive in one write() at offset 0, and
 * are parsed strictly: a rejected write changes nothing.
 */
#include <linux/module.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include <linux/string.h>
#include "pagehint.h"
#include "ph_hooks.h"

struct dentry *ph_debugfs_root;
struct dentry *ph_debugfs_policy;

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

static int version_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s\n", PAGEHINT_VERSION);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(version);

static int hooks_show(struct seq_file *m, void *v)
{
	ph_hooks_show(m);
	return 0;
}

static int hooks_fopen(struct inode *inode, struct file *file)
{
	return single_open(file, hooks_show, NULL);
}

/* "enable NAME" / "disable NAME" */
static ssize_t hooks_write(struct file *file, const char __user *ubuf,
			   size_t len, loff_t *ppos)
{
	char buf[PAGEHINT_CMD_MAX];
	bool enable;
	int ret;

	ret = ph_copy_cmd(buf, sizeof(buf), ubuf, len, ppos);
	if (ret)
		return ret;
	if (!strncmp(buf, "enable ", 7))
		enable = true;
	else if (!strncmp(buf, "disable ", 8))
		enable = false;
	else
		return -EINVAL;
	ret = ph_hook_set(strim(buf + (enable ? 7 : 8)), enable);
	return ret ? ret : len;
}

static const struct file_operations hooks_fops = {
	.owner = THIS_MODULE,
	.open = hooks_fopen,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = hooks_write,
};

/**
 * ph_debugfs_init() - create the root folder and the core files
 *
 * Called before any component, which add their own files under
 * ph_debugfs_root. Return values of debugfs_create_* are not checked, as
 * debugfs asks.
 */
int ph_debugfs_init(void)
{
	ph_debugfs_root = debugfs_create_dir("pagehint", NULL);
	if (IS_ERR(ph_debugfs_root))
		return PTR_ERR(ph_debugfs_root);
	ph_debugfs_policy = debugfs_create_dir("policy", ph_debugfs_root);
	debugfs_create_file("version", 0400, ph_debugfs_root, NULL,
			    &version_fops);
	debugfs_create_file("hooks", 0600, ph_debugfs_root, NULL, &hooks_fops);
	return 0;
}

/* Removes every pagehint file; open files are drained by debugfs. */
void ph_debugfs_exit(void)
{
	debugfs_remove(ph_debugfs_root);
}
