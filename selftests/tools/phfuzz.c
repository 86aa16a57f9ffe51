// SPDX-License-Identifier: GPL-2.0
/*
 * phfuzz: hostile input for every writable control file.
 *
 *   phfuzz [-f SPEC] [-r N] [-S SEED] [-v] check ROOT...
 *   phfuzz [-f SPEC] [-t THREADS] [-s SECONDS] [-S SEED] storm ROOT...
 *
 * The files are found at run time: every regular file under each ROOT with
 * the owner's write bit is fuzzed, so files that move or appear need no
 * change here. A ROOT that does not exist (yet) is skipped.
 *
 * check: one file at a time, nothing else writing. Each file gets
 *   - known-bad inputs, which must fail: empty, blanks, garbage, control
 *     bytes, each seed with trailing garbage, an embedded NUL, written at
 *     offsets 1..1 MiB, split in two write() calls (the second must fail),
 *     padded past the 127-byte limit, up to 1 MiB, and with each number
 *     replaced by a negative, an overflowing or a non-decimal word;
 *   - boundary inputs, which may succeed: each seed, padded to 127 bytes,
 *     with leading blanks, with each number replaced by 0, 1, 2^31-1, 2^32,
 *     2^63, 2^64-1, hex, K/M/G/E sizes ...;
 *   - N random mutations of the seeds (byte flips, insertions, deletions,
 *     boundary numbers, duplicated or cut tokens), which may succeed.
 * A failed write must return a clean errno and leave the state unchanged:
 * the written file's state is compared after every write, the state of
 * every file after each file's battery. A boundary or random write that
 * succeeded on a one-value file (a policy) is undone by writing the old
 * value back; after one that succeeded on a command file the state is
 * taken again.
 *
 * storm: THREADS threads write random inputs of every class to random files
 * for SECONDS while the caller loads and unloads the module and flips
 * policies. Files are found again whenever one vanishes. Known-bad inputs
 * must still fail, every errno must be clean; EIO and ENOENT are clean only
 * for a file that was removed meanwhile (debugfs refuses writes to it).
 *
 * SPEC lines (PATTERN is an fnmatch() pattern on the path below ROOT;
 * the first matching "state" line wins):
 *   seed PATTERN TEXT     a valid input for the matching files (\xNN ok);
 *                         "!TEXT": only the known-bad variants and TEXT
 *                         itself (for commands whose valid variants run
 *                         long: "stress 1 1")
 *   state PATTERN all     the whole content is state (default for a file
 *                         that is both readable and writable)
 *   state PATTERN keys K1,K2,...  lines whose first word is one of these
 *   state PATTERN cols C1,C2,...  these columns (1-based) of every line
 *   state PATTERN rle     run-length table: first start and sum of counts
 *   state PATTERN none    no state (default for a read-only file)
 *   slow PATTERN          valid inputs run long: the seeds as they are and
 *                         known-bad inputs only (storm: known-bad only)
 *   calm PATTERN          storm: known-bad inputs only (valid ones would
 *                         take the machine's memory or CPU meanwhile)
 * Before fuzzing, the state is read twice a second apart: a file whose state
 * changes on its own needs a rule; phfuzz says which and fails.
 *
 * Output: one "FAIL ..." line per problem, then
 *   "phfuzz: MODE: N inputs (B known-bad, M boundary or random; A accepted)
 *    to F files, P problems". Exit 0 when P is 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <ftw.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_FILES	512
#define MAX_RULES	256
#define MAX_SEEDS	1024
#define STATE_MAX	(1 << 20)
#define CMD_MAX		128	/* PAGEHINT_CMD_MAX: bytes a command may use */

enum rule_kind { R_DEFAULT, R_ALL, R_KEYS, R_COLS, R_RLE, R_NONE };

struct rule {
	char pat[256];
	enum rule_kind kind;
	char args[256];
};

struct seed {
	char pat[256];
	char text[CMD_MAX + 8];
	size_t len;
	int exact;	/* "!TEXT": the text as it is, no boundary variants */
};

struct file {
	char path[512];
	char rel[256];
	int readable, writable;
	const struct rule *rule;
	int slow, calm;
};

/* One input: bytes, where and how to write them, what must happen. */
struct input {
	unsigned char *buf;
	size_t len;
	long off;		/* pwrite() offset; 0: write() */
	size_t split;		/* > 0: two write()s, the second must fail */
	int bad;		/* known-bad: must fail */
};

static struct rule rules[MAX_RULES];
static int nrules;
static struct seed seeds[MAX_SEEDS];
static int nseeds;
static char slow_pats[64][256], calm_pats[64][256];
static int nslow, ncalm;
static struct file files[MAX_FILES];
static int nfiles;
static char **roots;
static int nroots;

static atomic_long n_inputs, n_bad, n_maybe, n_accepted, n_problems;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

static void problem(const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&out_lock);
	fputs("FAIL ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
	pthread_mutex_unlock(&out_lock);
	atomic_fetch_add(&n_problems, 1);
}

/* printable form of an input, for messages */
static const char *show(const struct input *in, char *out, size_t size)
{
	size_t i, o = 0;

	for (i = 0; i < in->len && o + 8 < size; i++) {
		unsigned char c = in->buf[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			out[o++] = c;
		else
			o += snprintf(out + o, size - o, "\\x%02x", c);
		if (i == 40 && in->len > 48) {
			o += snprintf(out + o, size - o, "...(%zu bytes)", in->len);
			break;
		}
	}
	out[o] = '\0';
	if (in->off)
		snprintf(out + o, size - o, " @%ld", in->off);
	else if (in->split)
		snprintf(out + o, size - o, " split@%zu", in->split);
	return out;
}

/* ---- the spec ---- */

static size_t unescape(const char *s, char *out, size_t size)
{
	size_t o = 0;

	while (*s && o + 1 < size) {
		unsigned int v;

		if (s[0] == '\\' && s[1] == 'x' && sscanf(s + 2, "%2x", &v) == 1) {
			out[o++] = (char)v;
			s += 4;
		} else {
			out[o++] = *s++;
		}
	}
	out[o] = '\0';
	return o;
}

static int load_spec(const char *path)
{
	char line[1024], w1[32], pat[256], rest[700];
	FILE *f = fopen(path, "r");

	if (!f) {
		perror(path);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		rest[0] = '\0';
		if (line[0] == '#' || sscanf(line, "%31s %255s %699[^\n]", w1, pat, rest) < 2)
			continue;
		if (!strcmp(w1, "seed") && nseeds < MAX_SEEDS) {
			struct seed *s = &seeds[nseeds++];

			snprintf(s->pat, sizeof(s->pat), "%s", pat);
			s->exact = rest[0] == '!';
			s->len = unescape(rest + s->exact, s->text, sizeof(s->text));
		} else if (!strcmp(w1, "state") && nrules < MAX_RULES) {
			struct rule *r = &rules[nrules++];
			char kind[32] = "", args[256] = "";

			snprintf(r->pat, sizeof(r->pat), "%s", pat);
			sscanf(rest, "%31s %255s", kind, args);
			snprintf(r->args, sizeof(r->args), "%s", args);
			r->kind = !strcmp(kind, "all") ? R_ALL :
				  !strcmp(kind, "keys") ? R_KEYS :
				  !strcmp(kind, "cols") ? R_COLS :
				  !strcmp(kind, "rle") ? R_RLE :
				  !strcmp(kind, "none") ? R_NONE : R_DEFAULT;
			if (r->kind == R_DEFAULT) {
				fprintf(stderr, "phfuzz: bad rule: %s\n", line);
				fclose(f);
				return -1;
			}
		} else if (!strcmp(w1, "slow") && nslow < 64) {
			snprintf(slow_pats[nslow++], sizeof(slow_pats[0]), "%s", pat);
		} else if (!strcmp(w1, "calm") && ncalm < 64) {
			snprintf(calm_pats[ncalm++], sizeof(calm_pats[0]), "%s", pat);
		}
	}
	fclose(f);
	return 0;
}

/* ---- discovery ---- */

static const char *cur_root;

static int add_file(const char *path, const struct stat *st, int type,
		    struct FTW *ftw)
{
	struct file *fl;
	int i;

	(void)ftw;
	if (type != FTW_F || !S_ISREG(st->st_mode) || nfiles >= MAX_FILES)
		return 0;
	fl = &files[nfiles++];
	snprintf(fl->path, sizeof(fl->path), "%s", path);
	snprintf(fl->rel, sizeof(fl->rel), "%s", path + strlen(cur_root) +
		 (path[strlen(cur_root)] == '/'));
	fl->readable = !!(st->st_mode & S_IRUSR);
	fl->writable = !!(st->st_mode & S_IWUSR);
	fl->rule = NULL;
	for (i = 0; i < nrules; i++)
		if (!fnmatch(rules[i].pat, fl->rel, 0)) {
			fl->rule = &rules[i];
			break;
		}
	fl->slow = fl->calm = 0;
	for (i = 0; i < nslow; i++)
		if (!fnmatch(slow_pats[i], fl->rel, 0))
			fl->slow = fl->calm = 1;
	for (i = 0; i < ncalm; i++)
		if (!fnmatch(calm_pats[i], fl->rel, 0))
			fl->calm = 1;
	return 0;
}

static int cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct file *)a)->path,
		      ((const struct file *)b)->path);
}

static void discover(void)
{
	int i;

	nfiles = 0;
	for (i = 0; i < nroots; i++) {
		struct stat st;

		if (stat(roots[i], &st) || !S_ISDIR(st.st_mode))
			continue;
		cur_root = roots[i];
		nftw(roots[i], add_file, 16, FTW_PHYS);
	}
	qsort(files, nfiles, sizeof(files[0]), cmp_file);
}

static enum rule_kind kind_of(const struct file *f)
{
	if (!f->readable)
		return R_NONE;
	if (f->rule)
		return f->rule->kind;
	return f->writable ? R_ALL : R_NONE;
}

/* ---- state ---- */

/* Read a whole file; returns its length or -errno. */
static long read_all(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	size_t got = 0;
	ssize_t n;

	if (fd < 0)
		return -errno;
	while (got + 1 < size && (n = read(fd, buf + got, size - 1 - got)) > 0)
		got += n;
	n = n < 0 ? -errno : 0;
	close(fd);
	buf[got] = '\0';
	return n < 0 ? n : (long)got;
}

static int in_list(const char *list, const char *word)
{
	size_t l = strlen(word);
	const char *p = list;

	while ((p = strstr(p, word))) {
		if ((p == list || p[-1] == ',') && (p[l] == ',' || !p[l]))
			return 1;
		p += l;
	}
	return 0;
}

/* The state of one file as text, appended to @out (NUL-terminated). */
static void file_state(const struct file *f, char *out, size_t size)
{
	static __thread char buf[STATE_MAX];
	enum rule_kind k = kind_of(f);
	size_t o = strlen(out);
	char *line, *save = NULL;
	unsigned long rle_start = 0, rle_sum = 0;
	int row = 0;
	long n;

	if (k == R_NONE)
		return;
	n = read_all(f->path, buf, sizeof(buf));
	o += snprintf(out + o, size - o, "[%s]\n", f->rel);
	if (n < 0) {
		snprintf(out + o, size - o, "read error %ld\n", n);
		return;
	}
	if (k == R_ALL) {
		snprintf(out + o, size - o, "%s", buf);
		return;
	}
	for (line = strtok_r(buf, "\n", &save); line && o + 1 < size;
	     line = strtok_r(NULL, "\n", &save), row++) {
		char word[128] = "";

		if (k == R_KEYS) {
			sscanf(line, "%127s", word);
			word[strcspn(word, ":")] = '\0';
			if (in_list(f->rule->args, word))
				o += snprintf(out + o, size - o, "%s\n", line);
		} else if (k == R_COLS) {
			char *tok, *s2 = NULL;
			int col = 1;

			for (tok = strtok_r(line, " \t", &s2); tok;
			     tok = strtok_r(NULL, " \t", &s2), col++) {
				snprintf(word, sizeof(word), "%d", col);
				if (in_list(f->rule->args, word))
					o += snprintf(out + o, size - o, "%s ", tok);
			}
			o += snprintf(out + o, size - o, "\n");
		} else if (k == R_RLE && row > 0) {
			unsigned long s, c;

			if (sscanf(line, "%lu %lu", &s, &c) == 2) {
				if (row == 1)
					rle_start = s;
				rle_sum += c;
			}
		}
	}
	if (k == R_RLE)
		snprintf(out + o, size - o, "start %lu count %lu\n", rle_start,
			 rle_sum);
}

static char *all_state(void)
{
	char *s = calloc(1, STATE_MAX);
	int i;

	if (!s)
		exit(2);
	for (i = 0; i < nfiles; i++)
		file_state(&files[i], s, STATE_MAX);
	return s;
}

static char *one_state(const struct file *f)
{
	char *s = calloc(1, 65536);

	if (!s)
		exit(2);
	file_state(f, s, 65536);
	return s;
}

/* first differing line of two states, for the message */
static void diff_line(const char *a, const char *b, char *out, size_t size)
{
	size_t i = 0, start = 0;

	while (a[i] && a[i] == b[i]) {
		if (a[i] == '\n')
			start = i + 1;
		i++;
	}
	snprintf(out, size, "was '%.*s' now '%.*s'",
		 (int)strcspn(a + start, "\n"), a + start,
		 (int)strcspn(b + start, "\n"), b + start);
}

/* ---- inputs ---- */

static const char *const bad_words[] = {
	"", " ", "\n", "\t \n", "garbage", "x", "-", "+", "0x", "0xg", "--1",
	"\x01", "\xff\xfe", "1\x01", "\x7f", "\x1b[0m",
};
static const char *const bad_numbers[] = {
	"-1", "-0", "99999999999999999999999", "18446744073709551616",
	"0x10000000000000000", "1.5", "1e5", "0b1", "1x", "x1", "--5",
};
static const char *const edge_numbers[] = {
	"0", "1", "2", "3", "7", "63", "64", "127", "128", "4095", "4096",
	"65535", "65536", "2147483647", "2147483648", "4294967295",
	"4294967296", "9223372036854775807", "9223372036854775808",
	"18446744073709551615", "0x0", "0x1", "0x7fffffff",
	"0xffffffffffffffff", "+1", "01", "0001", "1K", "1k", "4K", "1M",
	"1G", "1T", "16E", "17E",
};
#define N(a) (sizeof(a) / sizeof((a)[0]))

struct inputs {
	struct input *v;
	size_t n, cap;
};

static void push(struct inputs *l, const void *buf, size_t len, long off,
		 size_t split, int bad)
{
	struct input *in;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (!l->v)
			exit(2);
	}
	in = &l->v[l->n++];
	in->buf = malloc(len + 1);
	if (!in->buf)
		exit(2);
	memcpy(in->buf, buf, len);
	in->buf[len] = '\0';
	in->len = len;
	in->off = off;
	in->split = split;
	in->bad = bad;
}

static void free_inputs(struct inputs *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].buf);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

/* seed texts for @f (a generic "1" when the spec has none) */
static int seeds_for(const struct file *f, const struct seed **out, int max)
{
	static const struct seed one = { "*", "1", 1, 0 };
	int i, n = 0;

	for (i = 0; i < nseeds && n < max; i++)
		if (!fnmatch(seeds[i].pat, f->rel, 0))
			out[n++] = &seeds[i];
	if (!n)
		out[n++] = &one;
	return n;
}

/* Each word of @s that starts with a digit, replaced by each of @words. */
static void replace_numbers(struct inputs *l, const char *s,
			    const char *const *words, size_t nw, int bad)
{
	char buf[4 * CMD_MAX];
	size_t i = 0, w;

	while (s[i]) {
		size_t end;

		if (!(s[i] >= '0' && s[i] <= '9') || (i && s[i - 1] != ' ')) {
			i++;
			continue;
		}
		end = i + strcspn(s + i, " ");
		for (w = 0; w < nw; w++) {
			int n = snprintf(buf, sizeof(buf), "%.*s%s%s", (int)i, s,
					 words[w], s + end);

			push(l, buf, (size_t)n, 0, 0, bad);
		}
		i = end;
	}
}

static uint64_t rnd_state;
static int verbose;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static uint64_t rnd(uint64_t *st)
{
	uint64_t x = *st;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*st = x;
	return x;
}

/* One random mutation chain of @s into @out; returns the length. */
static size_t mutate(const char *s, size_t len, char *out, size_t size,
		     uint64_t *st)
{
	int k, steps = 1 + rnd(st) % 4;

	if (len >= size)
		len = size - 1;
	memcpy(out, s, len);
	for (k = 0; k < steps; k++) {
		size_t pos = len ? rnd(st) % (len + 1) : 0;
		const char *w;
		size_t wl;

		switch (rnd(st) % 7) {
		case 0:		/* flip a byte */
			if (len && pos < len)
				out[pos] ^= 1 << (rnd(st) % 8);
			break;
		case 1:		/* insert a random byte */
			if (len + 1 < size) {
				memmove(out + pos + 1, out + pos, len - pos);
				out[pos] = (char)rnd(st);
				len++;
			}
			break;
		case 2:		/* delete a byte */
			if (len && pos < len) {
				memmove(out + pos, out + pos + 1, len - pos - 1);
				len--;
			}
			break;
		case 3:		/* insert a number, edge or bad */
		case 4:
			w = rnd(st) & 1 ? edge_numbers[rnd(st) % N(edge_numbers)] :
				bad_numbers[rnd(st) % N(bad_numbers)];
			wl = strlen(w);
			if (len + wl + 1 < size) {
				memmove(out + pos + wl, out + pos, len - pos);
				memcpy(out + pos, w, wl);
				len += wl;
			}
			break;
		case 5:		/* duplicate the text after a blank */
			if (2 * len + 1 < size) {
				out[len] = ' ';
				memcpy(out + len + 1, out, len);
				len = 2 * len + 1;
			}
			break;
		default:	/* cut */
			len = pos;
			break;
		}
	}
	return len;
}

/*
 * The known-bad and boundary inputs made from one seed; an exact seed (or
 * any seed of a slow file) is written as it is, without boundary numbers.
 */
static void seed_inputs(struct inputs *l, const struct seed *sd, int slow)
{
	static const long offsets[] = { 1, 3, 127, 128, 4096, 1 << 20 };
	static const size_t pads[] = { 128, 129, 4096, 65536, 1 << 20 };
	const char *s = sd->text;
	size_t len = sd->len, p, w;
	char buf[4 * CMD_MAX], *big;
	int n;

	/* known-bad */
	n = snprintf(buf, sizeof(buf), "%sx", s);
	push(l, buf, n, 0, 0, 1);
	n = snprintf(buf, sizeof(buf), "%s\x01", s);
	push(l, buf, n, 0, 0, 1);
	n = snprintf(buf, sizeof(buf), "%s garbage", s);
	push(l, buf, n, 0, 0, 1);
	memcpy(buf, s, len);
	memcpy(buf + len, "\0" "1", 2);
	push(l, buf, len + 2, 0, 0, 1);
	buf[0] = '\0';
	memcpy(buf + 1, s, len);
	push(l, buf, len + 1, 0, 0, 1);
	for (w = 0; w < N(offsets); w++)
		push(l, s, len, offsets[w], 0, 1);
	if (len > 1)
		push(l, s, len, 0, len / 2, 1);
	for (w = 0; w < N(pads); w++) {
		big = malloc(pads[w]);
		if (!big)
			exit(2);
		memset(big, ' ', pads[w]);
		memcpy(big, s, len);
		big[pads[w] - 1] = '\n';
		push(l, big, pads[w], 0, 0, 1);
		free(big);
	}
	replace_numbers(l, s, bad_numbers, N(bad_numbers), 1);
	/* boundary: may succeed */
	push(l, s, len, 0, 0, 0);
	if (sd->exact || slow)
		return;
	n = snprintf(buf, sizeof(buf), "%s\n", s);
	push(l, buf, n, 0, 0, 0);
	n = snprintf(buf, sizeof(buf), "  %s", s);
	push(l, buf, n, 0, 0, 0);
	p = CMD_MAX - 1;
	memset(buf, ' ', p);
	memcpy(buf, s, len < p ? len : p);
	buf[p - 1] = '\n';
	push(l, buf, p, 0, 0, 0);
	replace_numbers(l, s, edge_numbers, N(edge_numbers), 0);
}

/*
 * The inputs for @f: the generic bad words, the battery of every seed (of
 * seed @which only when >= 0), @nrand random mutations.
 */
static void make_inputs(const struct file *f, struct inputs *l, int nrand,
			uint64_t *st, int which)
{
	const struct seed *sd[256];
	char buf[4 * CMD_MAX];
	int ns = seeds_for(f, sd, 256), i;
	size_t w;

	for (w = 0; w < N(bad_words); w++)
		push(l, bad_words[w], strlen(bad_words[w]), 0, 0, 1);
	for (i = 0; i < ns; i++)
		if (which < 0 || i == which % ns)
			seed_inputs(l, sd[i], f->slow);
	for (i = 0; i < nrand && !f->slow; i++) {
		const struct seed *s = sd[rnd(st) % ns];
		size_t n;

		if (s->exact)
			continue;
		n = mutate(s->text, s->len, buf, CMD_MAX + 16, st);
		push(l, buf, n, 0, 0, 0);
	}
}

/* ---- writing ---- */

static int clean_errno(int e)
{
	switch (e) {
	case EINVAL: case ERANGE: case E2BIG: case ENOENT: case ENODEV:
	case EBUSY: case EOPNOTSUPP: case ENOSPC: case EEXIST: case ESRCH:
	case ENXIO: case EPERM: case EFAULT: case ESPIPE: case EAGAIN:
	case ENOMEM:
		return 1;
	}
	return 0;
}

/*
 * Write one input; 0 when accepted, else the errno of the failing write.
 * *@first_ok: the first half of a split write was accepted (it may be a
 * whole command on its own; only the continuation must fail).
 */
static int do_write(const char *path, const struct input *in, int *open_err,
		    int *first_ok)
{
	ssize_t n;
	int fd, e = 0;

	*open_err = 0;
	*first_ok = 0;
	fd = open(path, O_WRONLY);
	if (fd < 0) {
		*open_err = errno;
		return errno;
	}
	if (in->off) {
		n = pwrite(fd, in->buf, in->len, in->off);
	} else if (in->split) {
		n = write(fd, in->buf, in->split);
		if (n >= 0) {
			*first_ok = 1;
			n = write(fd, in->buf + in->split, in->len - in->split);
		}
	} else {
		n = write(fd, in->buf, in->len);
	}
	if (n < 0)
		e = errno;
	else if ((size_t)n != (in->split ? in->len - in->split : in->len))
		e = -1;		/* a short write: nobody asked for that */
	close(fd);
	return e;
}

/* the one-line content of a one-value file, or NULL */
static char *one_value(const struct file *f)
{
	char buf[256];
	long n;

	if (!f->readable || kind_of(f) != R_ALL)
		return NULL;
	n = read_all(f->path, buf, sizeof(buf));
	if (n <= 0 || n >= CMD_MAX || strchr(buf, '\n') != buf + n - 1)
		return NULL;
	return strdup(buf);
}

/*
 * After an accepted write: put a one-value file's old value back (the
 * value must read back as before), then take every file's state again (an
 * accepted write may change more than its own file, e.g. a policy switch
 * reattaches hooks).
 */
static void after_accept(const struct file *f, const char *orig,
			 const struct input *in, char **before, char **all)
{
	char msg[320], d[512], *now;
	int oe, fo;

	if (orig) {
		struct input r = { (unsigned char *)orig, strlen(orig), 0, 0, 0 };

		if (do_write(f->path, &r, &oe, &fo))
			problem("%s: old value '%s' refused after '%s'", f->rel,
				orig, show(in, msg, sizeof(msg)));
	}
	now = one_state(f);
	if (orig && strcmp(now, *before)) {
		diff_line(*before, now, d, sizeof(d));
		problem("%s: not restored after '%s': %s", f->rel,
			show(in, msg, sizeof(msg)), d);
	}
	free(*before);
	*before = now;
	free(*all);
	*all = all_state();
}

static void check_file(struct file *f, int nrand, uint64_t *st)
{
	struct inputs l = { 0 };
	char *before, *after, *all0, *all1, *orig;
	char msg[320], d[512];
	size_t i;

	make_inputs(f, &l, nrand, st, -1);
	orig = one_value(f);
	before = one_state(f);
	all0 = all_state();
	/* the known-bad inputs first: none may change any file's state */
	for (i = 0; i < 2 * l.n; i++) {
		const struct input *in = &l.v[i % l.n];
		int oe, fo, e;

		if (i == l.n) {
			all1 = all_state();
			if (strcmp(all0, all1)) {
				diff_line(all0, all1, d, sizeof(d));
				problem("%s: a rejected write changed another file's state: %s",
					f->rel, d);
			}
			free(all0);
			all0 = all1;
		}
		if (in->bad != (i < l.n))
			continue;
		e = do_write(f->path, in, &oe, &fo);

		atomic_fetch_add(&n_inputs, 1);
		atomic_fetch_add(in->bad ? &n_bad : &n_maybe, 1);
		if (oe) {
			problem("%s: open: %s", f->rel, strerror(oe));
			break;
		}
		if (e == 0) {
			atomic_fetch_add(&n_accepted, 1);
			if (in->bad)
				problem("%s: bad input accepted: '%s'", f->rel,
					show(in, msg, sizeof(msg)));
			after_accept(f, orig, in, &before, &all0);
			continue;
		}
		if (e < 0 || !clean_errno(e)) {
			problem("%s: '%s' -> %s", f->rel, show(in, msg, sizeof(msg)),
				e < 0 ? "short write" : strerror(e));
			continue;
		}
		if (fo) {	/* the first half was a command of its own */
			after_accept(f, orig, in, &before, &all0);
			continue;
		}
		after = one_state(f);
		if (strcmp(after, before)) {
			diff_line(before, after, d, sizeof(d));
			problem("%s: rejected '%s' (%s) changed state: %s", f->rel,
				show(in, msg, sizeof(msg)), strerror(e), d);
			free(before);
			before = after;
		} else {
			free(after);
		}
	}
	all1 = all_state();
	if (strcmp(all0, all1)) {
		diff_line(all0, all1, d, sizeof(d));
		problem("%s: a rejected write changed another file's state: %s",
			f->rel, d);
	}
	free(all0);
	free(all1);
	free(before);
	free(orig);
	free_inputs(&l);
}

static int cmd_check(int nrand)
{
	char *a, *b, d[512];
	int i, nw = 0;

	discover();
	a = all_state();
	sleep(1);
	b = all_state();
	if (strcmp(a, b)) {
		diff_line(a, b, d, sizeof(d));
		problem("state changes on its own (give the file a state rule): %s", d);
		return 1;
	}
	free(a);
	free(b);
	for (i = 0; i < nfiles; i++) {
		long n0 = atomic_load(&n_inputs), a0 = atomic_load(&n_accepted);
		double t0 = now_ms();

		if (!files[i].writable)
			continue;
		nw++;
		check_file(&files[i], nrand, &rnd_state);
		if (verbose)
			printf("# phfuzz: %s: %ld inputs, %ld accepted, %.0f ms\n",
			       files[i].rel, atomic_load(&n_inputs) - n0,
			       atomic_load(&n_accepted) - a0, now_ms() - t0);
	}
	return nw;
}

/* ---- storm ---- */

static pthread_mutex_t disc_lock = PTHREAD_MUTEX_INITIALIZER;
static time_t deadline;
static atomic_long n_gone, n_seen;

/* A random writable file and one of its inputs, copied out. */
static int storm_pick(uint64_t *st, struct file *out, struct input *in)
{
	struct inputs l = { 0 };
	int i, w = 0, pick;
	struct input *src;

	pthread_mutex_lock(&disc_lock);
	discover();
	for (i = 0; i < nfiles; i++)
		w += files[i].writable;
	if (w > atomic_load(&n_seen))
		atomic_store(&n_seen, w);
	if (!w) {
		pthread_mutex_unlock(&disc_lock);
		return -1;
	}
	pick = rnd(st) % w;
	for (i = 0; i < nfiles; i++)
		if (files[i].writable && !pick--)
			break;
	*out = files[i];
	pthread_mutex_unlock(&disc_lock);
	make_inputs(out, &l, 8, st, (int)(rnd(st) & 0xffff));
	for (;;) {
		src = &l.v[rnd(st) % l.n];
		if (!out->calm || src->bad)
			break;
	}
	*in = *src;
	in->buf = malloc(src->len + 1);
	if (!in->buf)
		exit(2);
	memcpy(in->buf, src->buf, src->len + 1);
	free_inputs(&l);
	return 0;
}

static void *storm_thread(void *arg)
{
	uint64_t st = (uint64_t)(uintptr_t)arg * 0x9E3779B97F4A7C15ULL + rnd_state;
	char msg[320];

	while (time(NULL) < deadline) {
		struct stat s0, s1;
		struct input in;
		struct file f;
		int e, oe, fo, j;

		if (storm_pick(&st, &f, &in)) {
			usleep(50000);
			continue;
		}
		/* a few writes to the same file before looking again */
		for (j = 0; j < 8; j++) {
			int had = !stat(f.path, &s0);

			e = do_write(f.path, &in, &oe, &fo);
			atomic_fetch_add(&n_inputs, 1);
			atomic_fetch_add(in.bad ? &n_bad : &n_maybe, 1);
			if (e == 0) {
				atomic_fetch_add(&n_accepted, 1);
				if (in.bad)
					problem("%s: bad input accepted: '%s'",
						f.rel, show(&in, msg, sizeof(msg)));
			} else if ((e == ENOENT || e == EIO) &&
				   (!had || stat(f.path, &s1) ||
				    s1.st_ino != s0.st_ino)) {
				atomic_fetch_add(&n_gone, 1);	/* removed meanwhile */
				break;
			} else if (e < 0 || !clean_errno(e)) {
				problem("%s: '%s' -> %s", f.rel,
					show(&in, msg, sizeof(msg)),
					e < 0 ? "short write" : strerror(e));
			}
		}
		free(in.buf);
	}
	return NULL;
}

static int cmd_storm(int threads, int seconds)
{
	pthread_t t[64];
	int i;

	deadline = time(NULL) + seconds;
	if (threads > 64)
		threads = 64;
	for (i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, storm_thread, (void *)(uintptr_t)(i + 1));
	for (i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	return (int)atomic_load(&n_seen);
}

int main(int argc, char **argv)
{
	int opt, nrand = 100, threads = 4, seconds = 30, nf;
	const char *mode;

	rnd_state = 0x243F6A8885A308D3ULL;
	while ((opt = getopt(argc, argv, "f:r:t:s:S:v")) != -1) {
		switch (opt) {
		case 'f':
			if (load_spec(optarg))
				return 2;
			break;
		case 'r': nrand = atoi(optarg); break;
		case 't': threads = atoi(optarg); break;
		case 's': seconds = atoi(optarg); break;
		case 'v': verbose = 1; break;
		case 'S': rnd_state = strtoull(optarg, NULL, 0) | 1; break;
		default: return 2;
		}
	}
	if (argc - optind < 2)
		return 2;
	mode = argv[optind];
	roots = argv + optind + 1;
	nroots = argc - optind - 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(mode, "check"))
		nf = cmd_check(nrand);
	else if (!strcmp(mode, "storm"))
		nf = cmd_storm(threads, seconds);
	else
		return 2;
	printf("phfuzz: %s: %ld inputs (%ld known-bad, %ld boundary or random; %ld accepted) to %d files, %ld problems",
	       mode, atomic_load(&n_inputs), atomic_load(&n_bad),
	       atomic_load(&n_maybe), atomic_load(&n_accepted), nf,
	       atomic_load(&n_problems));
	if (!strcmp(mode, "storm"))
		printf(", %ld writes met a removed file", atomic_load(&n_gone));
	printf("\n");
	return atomic_load(&n_problems) || nf <= 0;
}
