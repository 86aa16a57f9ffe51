// SPDX-License-Identifier: GPL-2.0
/*
 * pagehintctl: access to the debugfs control plane. Every read is a whole
 * file; every write is one write() at offset 0, as the module requires.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#include "ctl.h"

#define DEBUGFS_MAGIC 0x64626720

bool ctl_json;
const char *ctl_root = PAGEHINT_DEBUGFS;
const char *ctl_test_root = PHTEST_DEBUGFS;

/* Distinguish "not root", "debugfs not mounted", "module not loaded". */
int ctl_check_access(void)
{
	struct statfs sfs;
	struct stat st;

	if (geteuid() != 0) {
		fprintf(stderr, "pagehintctl: must be root (debugfs is root-only)\n");
		return EXIT_NOPERM;
	}
	if (getenv("PHTEST_DEBUGFS"))
		ctl_test_root = getenv("PHTEST_DEBUGFS");
	if (getenv("PAGEHINT_DEBUGFS"))
		ctl_root = getenv("PAGEHINT_DEBUGFS");
	else if (statfs("/sys/kernel/debug", &sfs) || sfs.f_type != DEBUGFS_MAGIC) {
		fprintf(stderr, "pagehintctl: debugfs is not mounted; try: mount -t debugfs none /sys/kernel/debug\n");
		return EXIT_NODEBUGFS;
	}
	if (stat(ctl_root, &st) || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "pagehintctl: pagehint module not loaded (%s missing); try: insmod pagehint.ko\n",
			ctl_root);
		return EXIT_NOMOD;
	}
	return EXIT_OK;
}

/* @rel under the module's folder; "phtest/..." under the test module's. */
static void ctl_path(char *buf, size_t size, const char *rel)
{
	if (!strncmp(rel, "phtest/", 7))
		snprintf(buf, size, "%s/%s", ctl_test_root, rel + 7);
	else
		snprintf(buf, size, "%s/%s", ctl_root, rel);
}

/* The commands that drive the test module: is it loaded? */
int ctl_check_test(void)
{
	struct stat st;

	if (stat(ctl_test_root, &st) || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "pagehintctl: this command needs the test module phtest.ko (%s missing); try: insmod selftests/phtest/phtest.ko\n",
			ctl_test_root);
		return EXIT_NOMOD;
	}
	return EXIT_OK;
}

/* Read a whole control file; NULL with errno set on failure. */
char *ctl_read(const char *rel, size_t *len)
{
	char path[512], *buf = NULL, *nbuf;
	size_t size = 0, used = 0;
	ssize_t n;
	int fd, err;

	ctl_path(path, sizeof(path), rel);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	for (;;) {
		if (used + 4096 + 1 > size) {
			size = size ? size * 2 : 16384;
			nbuf = realloc(buf, size);
			if (!nbuf) {
				err = ENOMEM;
				goto fail;
			}
			buf = nbuf;
		}
		n = read(fd, buf + used, size - used - 1);
		if (n < 0) {
			err = errno;
			goto fail;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	close(fd);
	buf[used] = '\0';
	if (len)
		*len = used;
	return buf;
fail:
	free(buf);
	close(fd);
	errno = err;
	return NULL;
}

/* One write() of @text; 0 or -errno. */
int ctl_write(const char *rel, const char *text)
{
	char path[512];
	ssize_t n;
	int fd, err = 0;

	ctl_path(path, sizeof(path), rel);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	if (n < 0)
		err = -errno;
	close(fd);
	return err;
}

/* Explain a failed operation and map it to an exit code. */
int ctl_errno_exit(int err, const char *what)
{
	if (err < 0)
		err = -err;
	fprintf(stderr, "pagehintctl: %s: %s\n", what, strerror(err));
	if (err == EACCES || err == EPERM)
		return EXIT_NOPERM;
	return EXIT_FAIL;
}

void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

/*
 * A debugfs table (a header line of column names, then rows of
 * white-space separated fields) as a JSON array of objects. Fields that
 * are decimal numbers become JSON numbers.
 */
int ctl_table_to_json(const char *text, FILE *f)
{
	char *copy = strdup(text), *save = NULL, *line, *cols[32];
	int ncol = 0, row = 0;

	if (!copy)
		return -ENOMEM;
	fputc('[', f);
	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *fs = NULL, *tok;
		int i = 0;

		if (!ncol) {
			for (tok = strtok_r(line, " \t", &fs); tok && ncol < 32;
			     tok = strtok_r(NULL, " \t", &fs))
				cols[ncol++] = tok;
			continue;
		}
		fputs(row++ ? ",{" : "{", f);
		for (tok = strtok_r(line, " \t", &fs); tok && i < ncol;
		     tok = strtok_r(NULL, " \t", &fs), i++) {
			char *end;

			/* the last column is the rest of the line (a reason) */
			if (i == ncol - 1 && fs && *fs) {
				tok[strlen(tok)] = ' ';
				tok[strcspn(tok, "\n")] = '\0';
				while (*tok && tok[strlen(tok) - 1] == ' ')
					tok[strlen(tok) - 1] = '\0';
			}
			if (i)
				fputc(',', f);
			json_str(f, cols[i]);
			fputc(':', f);
			strtoull(tok, &end, 10);
			if (*tok != '-' && *end == '\0' && end != tok)
				fputs(tok, f);
			else
				json_str(f, tok);
		}
		fputc('}', f);
	}
	fputs("]\n", f);
	free(copy);
	return 0;
}

/*
 * "key value" lines (a debugfs stats file) as one JSON object: the key is
 * the first word (a trailing ':' dropped), the value the rest of the line.
 * Values that are decimal numbers become JSON numbers; lines with no value
 * are skipped.
 */
int ctl_kv_to_json(const char *text, FILE *f)
{
	char *copy = strdup(text), *save = NULL, *line;
	int n = 0;

	if (!copy)
		return -ENOMEM;
	fputc('{', f);
	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *v = line + strcspn(line, " \t"), *end;
		size_t klen = (size_t)(v - line);

		v += strspn(v, " \t");
		if (!*v)
			continue;
		end = v + strlen(v);
		while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (klen && line[klen - 1] == ':')
			klen--;
		line[klen] = '\0';
		fputs(n++ ? "," : "", f);
		json_str(f, line);
		fputc(':', f);
		strtoull(v, &end, 10);
		if (*end == '\0' && end != v && v[0] != '-')
			fputs(v, f);
		else
			json_str(f, v);
	}
	fputs("}\n", f);
	free(copy);
	return 0;
}

/* Print a control file: as it is, or with --json as a table or key/values. */
int ctl_print_file(const char *rel, enum ctl_fmt fmt)
{
	char *text = ctl_read(rel, NULL);

	if (!text && errno == ENOENT) {
		fprintf(stderr, "pagehintctl: %s: not there: its component is not loaded or not supported on this kernel (see: pagehintctl status)\n",
			rel);
		return EXIT_FAIL;
	}
	if (!text)
		return ctl_errno_exit(errno, rel);
	if (ctl_json && fmt == CTL_TABLE)
		ctl_table_to_json(text, stdout);
	else if (ctl_json && fmt == CTL_KV)
		ctl_kv_to_json(text, stdout);
	else
		fputs(text, stdout);
	free(text);
	return EXIT_OK;
}
