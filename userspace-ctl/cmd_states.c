// SPDX-License-Identifier: GPL-2.0
/*
 * pagehintctl states, pfn, watch, map: the page-state engine's files.
 *
 * map draws the PFN space coloured by state, from the run-length "map"
 * file: as text (one character per cell of PFNs, the cell's most common
 * state) or as a PNG (one pixel per PFN, rows of --width pixels), written
 * with stored (uncompressed) deflate blocks so no library is needed.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ctl.h"

static const char *const state_names[] = PH_STATE_NAMES;

static int show_table(const char *rel)
{
	char *text = ctl_read(rel, NULL);

	if (!text)
		return ctl_errno_exit(errno, rel);
	if (ctl_json)
		ctl_table_to_json(text, stdout);
	else
		fputs(text, stdout);
	free(text);
	return EXIT_OK;
}

int cmd_states(int argc, char **argv)
{
	if (argc == 1)
		return show_table("states");
	if (argc == 2 && !strcmp(argv[1], "transitions"))
		return show_table("transitions");
	if (argc == 2 && !strcmp(argv[1], "refusals"))
		return show_table("refusals");
	if (argc == 2 && !strcmp(argv[1], "verify"))
		return show_table("verify");
	if (argc == 2 && !strcmp(argv[1], "stats"))
		return ctl_print_file("stats", CTL_KV);
	fprintf(stderr, "usage: pagehintctl states [transitions|refusals|verify|stats]\n");
	return EXIT_USAGE;
}

int cmd_pfn(int argc, char **argv)
{
	int err;

	if (argc != 2) {
		fprintf(stderr, "usage: pagehintctl pfn PFN (decimal or 0x hex)\n");
		return EXIT_USAGE;
	}
	err = ctl_write("pfn", argv[1]);
	if (err == -ERANGE) {
		fprintf(stderr, "pagehintctl: PFN %s is outside the page table\n", argv[1]);
		return EXIT_FAIL;
	}
	if (err == -EINVAL) {
		fprintf(stderr, "pagehintctl: '%s' is not a PFN\n", argv[1]);
		return EXIT_USAGE;
	}
	if (err)
		return ctl_errno_exit(err, "pfn");
	return ctl_print_file("pfn", CTL_KV);
}

int cmd_watch(int argc, char **argv)
{
	long interval = 2, count = 0, i;
	int c;

	static const struct option opts[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};

	optind = 1;
	while ((c = getopt_long(argc, argv, "i:c:", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			interval = atol(optarg);
			break;
		case 'c':
			count = atol(optarg);
			break;
		default:
			goto usage;
		}
	}
	if (optind != argc || interval < 1 || count < 0)
		goto usage;
	for (i = 0; !count || i < count; i++) {
		int ret;

		if (i)
			sleep((unsigned int)interval);
		if (!ctl_json)
			printf("--- %ld\n", i);
		ret = show_table("states");
		fflush(stdout);
		if (ret)
			return ret;
	}
	return EXIT_OK;
usage:
	fprintf(stderr, "usage: pagehintctl watch [-i|--interval SECONDS] [-c|--count N]\n");
	return EXIT_USAGE;
}

/* ---- map ---- */

struct run {
	unsigned long start, count;
	int state;		/* 0..3, or -1 for none */
};

static int parse_state(const char *s)
{
	int i;

	for (i = 0; i < PH_ST_NR; i++)
		if (!strcmp(s, state_names[i]))
			return i;
	return -1;
}

static struct run *read_runs(size_t *n)
{
	char *text = ctl_read("map", NULL), *save = NULL, *line;
	struct run *runs = NULL, *nr;
	size_t cap = 0;

	*n = 0;
	if (!text)
		return NULL;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char st[32];
		struct run r;

		if (sscanf(line, "%lu %lu %31s", &r.start, &r.count, st) != 3)
			continue;
		r.state = parse_state(st);
		if (*n == cap) {
			cap = cap ? cap * 2 : 1024;
			nr = realloc(runs, cap * sizeof(*runs));
			if (!nr) {
				free(runs);
				free(text);
				errno = ENOMEM;
				return NULL;
			}
			runs = nr;
		}
		runs[(*n)++] = r;
	}
	free(text);
	return runs;
}

static uint32_t crc_table[256];

static uint32_t crc32_update(uint32_t c, const unsigned char *p, size_t n)
{
	size_t i;

	if (!crc_table[1]) {
		for (uint32_t k = 0; k < 256; k++) {
			uint32_t v = k;

			for (int j = 0; j < 8; j++)
				v = v & 1 ? 0xedb88320u ^ (v >> 1) : v >> 1;
			crc_table[k] = v;
		}
	}
	for (i = 0; i < n; i++)
		c = crc_table[(c ^ p[i]) & 0xff] ^ (c >> 8);
	return c;
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void png_chunk(FILE *f, const char *type, const unsigned char *d, size_t n)
{
	unsigned char b[4];
	uint32_t c;

	put32(b, (uint32_t)n);
	fwrite(b, 1, 4, f);
	fwrite(type, 1, 4, f);
	fwrite(d, 1, n, f);
	c = crc32_update(0xffffffffu, (const unsigned char *)type, 4);
	c = crc32_update(c, d, n) ^ 0xffffffffu;
	put32(b, c);
	fwrite(b, 1, 4, f);
}

/* Palette PNG, one byte per pixel, zlib stream of stored blocks. */
static int write_png(const char *path, const unsigned char *px, unsigned w, unsigned h)
{
	static const unsigned char pal[] = {
		0x2e, 0x7d, 0x32,	/* unused: green */
		0x60, 0x60, 0x60,	/* stable: grey */
		0x1e, 0x88, 0xe5,	/* volatile: blue */
		0xe5, 0x39, 0x35,	/* discarded: red */
		0x00, 0x00, 0x00,	/* none: black */
	};
	size_t raw_n = (size_t)(w + 1) * h, blocks = raw_n / 65535 + 1, i, o = 0;
	unsigned char *raw = malloc(raw_n), *z = malloc(raw_n + blocks * 5 + 6);
	unsigned char ihdr[13] = { 0 };
	uint32_t a = 1, b = 0;
	FILE *f;

	if (!raw || !z) {
		free(raw);
		free(z);
		return -ENOMEM;
	}
	for (i = 0; i < h; i++) {
		raw[i * (w + 1)] = 0;
		memcpy(raw + i * (w + 1) + 1, px + (size_t)i * w, w);
	}
	z[o++] = 0x78;
	z[o++] = 0x01;
	for (i = 0; i < raw_n; i += 65535) {
		size_t n = raw_n - i < 65535 ? raw_n - i : 65535;

		z[o++] = i + n == raw_n;
		z[o++] = n & 0xff;
		z[o++] = n >> 8;
		z[o++] = ~n & 0xff;
		z[o++] = (~n >> 8) & 0xff;
		memcpy(z + o, raw + i, n);
		o += n;
	}
	for (i = 0; i < raw_n; i++) {
		a = (a + raw[i]) % 65521;
		b = (b + a) % 65521;
	}
	put32(z + o, (b << 16) | a);
	o += 4;
	f = fopen(path, "wb");
	if (!f) {
		free(raw);
		free(z);
		return -errno;
	}
	fwrite("\x89PNG\r\n\x1a\n", 1, 8, f);
	put32(ihdr, w);
	put32(ihdr + 4, h);
	ihdr[8] = 8;	/* bit depth */
	ihdr[9] = 3;	/* palette */
	png_chunk(f, "IHDR", ihdr, 13);
	png_chunk(f, "PLTE", pal, sizeof(pal));
	png_chunk(f, "IDAT", z, o);
	png_chunk(f, "IEND", NULL, 0);
	free(raw);
	free(z);
	return fclose(f) ? -errno : 0;
}

int cmd_map(int argc, char **argv)
{
	static const char cell_chars[] = { '.', '#', '~', 'x', ' ' };
	unsigned long first, total, per, cells, i, c;
	const char *png = NULL;
	unsigned width = 0;
	struct run *runs;
	size_t n, r;
	int ch, err;

	static const struct option opts[] = {
		{ "png", required_argument, NULL, 'p' },
		{ "width", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 },
	};

	optind = 1;
	while ((ch = getopt_long(argc, argv, "p:w:", opts, NULL)) != -1) {
		if (ch == 'p')
			png = optarg;
		else if (ch == 'w')
			width = (unsigned)atoi(optarg);
		else
			goto usage;
	}
	if (optind != argc || width > 65536)
		goto usage;
	err = ctl_write("map", "all");
	if (err)
		return ctl_errno_exit(err, "map");
	runs = read_runs(&n);
	if (!runs || !n) {
		free(runs);
		return ctl_errno_exit(errno ? errno : EIO, "map");
	}
	first = runs[0].start;
	total = runs[n - 1].start + runs[n - 1].count - first;
	if (ctl_json) {
		printf("[");
		for (r = 0; r < n; r++) {
			printf("%s{\"start\":%lu,\"count\":%lu,\"state\":", r ? "," : "",
			       runs[r].start, runs[r].count);
			json_str(stdout, runs[r].state < 0 ? "none" : state_names[runs[r].state]);
			printf("}");
		}
		printf("]\n");
		free(runs);
		return EXIT_OK;
	}
	if (png) {
		unsigned w = width ? width : 512, h = (unsigned)((total + w - 1) / w);
		unsigned char *px = malloc((size_t)w * h);

		if (!px) {
			free(runs);
			return ctl_errno_exit(ENOMEM, "map");
		}
		memset(px, 4, (size_t)w * h);
		for (r = 0; r < n; r++)
			for (i = 0; i < runs[r].count; i++)
				px[runs[r].start - first + i] = runs[r].state < 0 ? 4 : runs[r].state;
		err = write_png(png, px, w, h);
		free(px);
		free(runs);
		if (err)
			return ctl_errno_exit(err, png);
		printf("%s: %ux%u, one pixel per PFN from %lu; unused green, stable grey, volatile blue, discarded red, none black\n",
		       png, w, h, first);
		return EXIT_OK;
	}
	/* text: 64 columns x 32 rows of cells by default */
	width = width ? width : 64;
	cells = (unsigned long)width * 32;
	per = (total + cells - 1) / cells;
	cells = (total + per - 1) / per;
	printf("# %lu PFNs from %lu, %lu per cell: . unused  # stable  ~ volatile  x discarded  ' ' none\n",
	       total, first, per);
	for (c = 0, r = 0; c < cells; c++) {
		unsigned long lo = first + c * per, hi = lo + per, cnt[5] = { 0 };
		int best = 4;

		while (r < n && runs[r].start + runs[r].count <= lo)
			r++;
		for (size_t q = r; q < n && runs[q].start < hi; q++) {
			unsigned long s = runs[q].start > lo ? runs[q].start : lo;
			unsigned long e = runs[q].start + runs[q].count < hi ?
				runs[q].start + runs[q].count : hi;

			cnt[runs[q].state < 0 ? 4 : runs[q].state] += e - s;
		}
		for (i = 0; i < 5; i++)
			if (cnt[i] > cnt[best])
				best = (int)i;
		putchar(cell_chars[best]);
		if ((c + 1) % width == 0 || c + 1 == cells)
			putchar('\n');
	}
	free(runs);
	return EXIT_OK;
usage:
	fprintf(stderr, "usage: pagehintctl map [--width N] [--png FILE]\n");
	return EXIT_USAGE;
}
