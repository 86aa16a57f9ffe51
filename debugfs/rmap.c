// SPDX-License-Identifier: GPL-2.0
/*
 * rmap (0600): the reverse-map inspector (module/rmap.c).
 *
 * Write "pfn N" or "pid P addr A" (decimal or 0x hex): the query runs at
 * write time and its answer replaces the last one. A read returns the
 * answer current when the file was opened (or the one this open file last
 * wrote); before any query, a line saying what to write.
 */
#include <linux/module.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/threads.h>
#include "pagehint.h"
#include "ph_rmap.h"
#include "ph_debugfs.h"

/* Serialises queries and protects ph_rmap_last. */
static DEFINE_MUTEX(ph_rmap_lock);
static struct ph_rmap_answer *ph_rmap_last;

/* "pfn N" or "pid P addr A"; numbers in decimal or 0x hex. */
static int ph_rmap_parse(char *buf, struct ph_rmap_answer **out)
{
	char *tok[5], *p = buf;
	unsigned long a, b;
	int n = 0;

	while (p && n < ARRAY_SIZE(tok)) {
		char *t = strsep(&p, " \t");

		if (*t)
			tok[n++] = t;
	}
	if (p && *skip_spaces(p))
		return -EINVAL;
	if (n == 2 && !strcmp(tok[0], "pfn")) {
		if (kstrtoul(tok[1], 0, &a))
			return -EINVAL;
		return ph_rmap_query_pfn(a, out);
	}
	if (n == 4 && !strcmp(tok[0], "pid") && !strcmp(tok[2], "addr")) {
		if (kstrtoul(tok[1], 0, &a) || kstrtoul(tok[3], 0, &b))
			return -EINVAL;
		if (!a || a > PID_MAX_LIMIT)
			return -ERANGE;
		if (b >= TASK_SIZE_MAX)
			return -ERANGE;
		return ph_rmap_query_addr(a, b, out);
	}
	return -EINVAL;
}

static int ph_rmap_open(struct inode *inode, struct file *file)
{
	mutex_lock(&ph_rmap_lock);
	file->private_data = ph_rmap_answer_get(ph_rmap_last);
	mutex_unlock(&ph_rmap_lock);
	return 0;
}

static int ph_rmap_release(struct inode *inode, struct file *file)
{
	ph_rmap_answer_put(file->private_data);
	return 0;
}

static ssize_t ph_rmap_read(struct file *file, char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	struct ph_rmap_answer *a = file->private_data;
	static const char none[] = "no query yet: write \"pfn N\" or \"pid P addr A\"\n";

	if (!a)
		return simple_read_from_buffer(ubuf, len, ppos, none,
					       sizeof(none) - 1);
	return simple_read_from_buffer(ubuf, len, ppos, a->text, a->len);
}

static ssize_t ph_rmap_write(struct file *file, const char __user *ubuf,
			     size_t len, loff_t *ppos)
{
	struct ph_rmap_answer *a = NULL;
	char buf[PAGEHINT_CMD_MAX];
	int ret;

	ret = ph_copy_cmd(buf, sizeof(buf), ubuf, len, ppos);
	if (ret)
		return ret;
	mutex_lock(&ph_rmap_lock);
	ret = ph_rmap_parse(buf, &a);
	if (!ret) {
		ph_rmap_answer_put(ph_rmap_last);
		ph_rmap_last = a;
		/* this open file now reads its own answer */
		ph_rmap_answer_put(file->private_data);
		file->private_data = ph_rmap_answer_get(a);
	}
	mutex_unlock(&ph_rmap_lock);
	return ret ? ret : len;
}

static const struct file_operations ph_rmap_fops = {
	.owner = THIS_MODULE,
	.open = ph_rmap_open,
	.release = ph_rmap_release,
	.read = ph_rmap_read,
	.write = ph_rmap_write,
	.llseek = default_llseek,
};

void ph_rmap_debugfs_init(struct dentry *root)
{
	debugfs_create_file("rmap", 0600, root, NULL, &ph_rmap_fops);
}

/* After the tree went (no open file is left): the last answer. */
void ph_rmap_debugfs_exit(void)
{
	mutex_lock(&ph_rmap_lock);
	ph_rmap_answer_put(ph_rmap_last);
	ph_rmap_last = NULL;
	mutex_unlock(&ph_rmap_lock);
}
