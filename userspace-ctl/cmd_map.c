// SPDX-License-Identifier: GPL-2.0
/*
 * pagehintctl map: the PFN space coloured by state, from the run-length
 * "map" file. As text, one character per cell of PFNs (the cell's most
 * common state); as a PNG, one pixel per PFN in rows of --width pixels,
 * under a title and a legend that gives every state's colour, page count
 * and share, beside an axis that labels the first PFN of every 64th row.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ctl.h"
#include "png.h"

static const char *const state_names[] = PH_STATE_NAMES;

/* Palette: the states in enum order, then "none" and the drawing colours. */
enum { PAL_NONE = PH_ST_NR, PAL_BG, PAL_TEXT, PAL_TICK, PAL_NR };
static const unsigned char map_palette[PAL_NR * 3] = {
	0x2e, 0x7d, 0x32,	/* unused: green */
	0x90, 0x90, 0x90,	/* stable: grey */
	0x1e, 0x88, 0xe5,	/* volatile: blue */
	0xe5, 0x39, 0x35,	/* discarded: red */
	0x00, 0x00, 0x00,	/* none (hole, offline): black */
	0xff, 0xff, 0xff,	/* background */
	0x20, 0x20, 0x20,	/* text */
	0x40, 0x40, 0x40,	/* axis ticks */
};

#define MAP_SCALE	2			/* font pixels per glyph pixel */
#define MAP_LINE	((FONT_H + 3) * MAP_SCALE)	/* text line height */
#define MAP_PAD		8
#define MAP_TICK_ROWS	64			/* rows between axis labels */
#define MAP_AXIS_CHARS	9			/* "0x1234567" */

struct run {
	unsigned long start, count;
	int state;		/* 0..PH_ST_NR-1, or PAL_NONE */
};

struct map {
	struct run *runs;
	size_t n;
	unsigned long first, total;
	unsigned long count[PH_ST_NR + 1];	/* pages per state, none last */
};

static int parse_state(const char *s)
{
	int i;

	for (i = 0; i < PH_ST_NR; i++)
		if (!strcmp(s, state_names[i]))
			return i;
	return PAL_NONE;
}

static int map_add(struct map *m, size_t *cap, const struct run *r)
{
	struct run *nr;

	if (m->n == *cap) {
		*cap = *cap ? *cap * 2 : 1024;
		nr = realloc(m->runs, *cap * sizeof(*m->runs));
		if (!nr)
			return -ENOMEM;
		m->runs = nr;
	}
	m->runs[m->n++] = *r;
	m->count[r->state] += r->count;
	return 0;
}

/* Read the whole map; 0 or -errno. */
static int map_read(struct map *m)
{
	char *text, *save = NULL, *line, st[32];
	size_t cap = 0;
	struct run r;
	int err = 0;

	memset(m, 0, sizeof(*m));
	err = ctl_write("map", "all");
	if (err)
		return err;
	text = ctl_read("map", NULL);
	if (!text)
		return -errno;
	for (line = strtok_r(text, "\n", &save); line && !err;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "%lu %lu %31s", &r.start, &r.count, st) != 3)
			continue;
		r.state = parse_state(st);
		err = map_add(m, &cap, &r);
	}
	free(text);
	if (!err && !m->n)
		err = -EIO;
	if (err) {
		free(m->runs);
		return err;
	}
	m->first = m->runs[0].start;
	m->total = m->runs[m->n - 1].start + m->runs[m->n - 1].count - m->first;
	return 0;
}

static double map_share(const struct map *m, int state)
{
	return m->total ? 100.0 * m->count[state] / m->total : 0;
}

static void map_json(const struct map *m)
{
	size_t r;

	printf("[");
	for (r = 0; r < m->n; r++) {
		printf("%s{\"start\":%lu,\"count\":%lu,\"state\":", r ? "," : "",
		       m->runs[r].start, m->runs[r].count);
		json_str(stdout, m->runs[r].state == PAL_NONE ? "none" :
			 state_names[m->runs[r].state]);
		printf("}");
	}
	printf("]\n");
}

/* Title and one legend line per state: swatch, name, pages, share. */
static void map_legend(struct canvas *c, const struct map *m, unsigned int w)
{
	unsigned int y = MAP_PAD, sw = FONT_H * MAP_SCALE;
	char line[160];
	int s;

	snprintf(line, sizeof(line),
		 "pagehint state map: %lu pfns from 0x%lx, 1 pixel per pfn, %u per row",
		 m->total, m->first, w);
	canvas_text(c, MAP_PAD, y, line, PAL_TEXT, MAP_SCALE);
	for (s = 0; s <= PH_ST_NR; s++) {
		y += MAP_LINE;
		canvas_rect(c, MAP_PAD, y, sw, sw, s == PH_ST_NR ? PAL_NONE : s);
		snprintf(line, sizeof(line), "%-10s %10lu pages %5.1f%%",
			 s == PH_ST_NR ? "none" : state_names[s],
			 m->count[s], map_share(m, s));
		canvas_text(c, MAP_PAD + sw + MAP_PAD, y, line, PAL_TEXT,
			    MAP_SCALE);
	}
}

/* The map itself at (@x0, @y0) and its PFN axis to the left. */
static void map_body(struct canvas *c, const struct map *m, unsigned int w,
		     unsigned int x0, unsigned int y0)
{
	unsigned long i, off;
	unsigned int row;
	char label[24];
	size_t r;

	for (r = 0; r < m->n; r++)
		for (i = 0; i < m->runs[r].count; i++) {
			off = m->runs[r].start - m->first + i;
			c->px[(size_t)(y0 + off / w) * c->w + x0 + off % w] =
				(unsigned char)m->runs[r].state;
		}
	for (row = 0; (unsigned long)row * w < m->total;
	     row += MAP_TICK_ROWS) {
		snprintf(label, sizeof(label), "0x%lx",
			 m->first + (unsigned long)row * w);
		canvas_rect(c, x0 - MAP_PAD, y0 + row, MAP_PAD - 2, 1,
			    PAL_TICK);
		canvas_text(c, x0 - MAP_PAD - 2 -
			    canvas_text_width(label, MAP_SCALE),
			    y0 + row, label, PAL_TEXT, MAP_SCALE);
	}
}

static int map_png(const struct map *m, const char *path, unsigned int w)
{
	unsigned int rows = (unsigned int)((m->total + w - 1) / w);
	unsigned int axis = canvas_text_width("0x1234567", MAP_SCALE) +
			    2 * MAP_PAD;
	unsigned int top = MAP_PAD + (PH_ST_NR + 2) * MAP_LINE + MAP_PAD;
	unsigned int cw = axis + w + MAP_PAD, ch = top + rows + MAP_LINE;
	struct canvas c;
	int err;

	/* the title is the widest text line */
	if (cw < 72 * (FONT_W + 1) * MAP_SCALE + 2 * MAP_PAD)
		cw = 72 * (FONT_W + 1) * MAP_SCALE + 2 * MAP_PAD;
	err = canvas_init(&c, cw, ch, PAL_BG);
	if (err)
		return err;
	map_legend(&c, m, w);
	map_body(&c, m, w, axis, top);
	err = png_write(path, &c, map_palette, PAL_NR);
	canvas_free(&c);
	if (err)
		return err;
	printf("%s: %ux%u pixels: a legend, then %u rows of %u pfns from 0x%lx (axis: first pfn of every %dth row)\n",
	       path, cw, ch, rows, w, m->first, MAP_TICK_ROWS);
	for (int s = 0; s <= PH_ST_NR; s++)
		printf("  %-10s %10lu pages %5.1f%%\n",
		       s == PH_ST_NR ? "none" : state_names[s], m->count[s],
		       map_share(m, s));
	return 0;
}

static void map_text(const struct map *m, unsigned int width)
{
	static const char cell_chars[] = { '.', '#', '~', 'x', ' ' };
	unsigned long per, cells, c, i;
	size_t r = 0, q;

	width = width ? width : 64;
	cells = (unsigned long)width * 32;
	per = (m->total + cells - 1) / cells;
	cells = (m->total + per - 1) / per;
	printf("# %lu PFNs from %lu, %lu per cell: . unused  # stable  ~ volatile  x discarded  ' ' none\n",
	       m->total, m->first, per);
	for (c = 0; c < cells; c++) {
		unsigned long lo = m->first + c * per, hi = lo + per;
		unsigned long cnt[PH_ST_NR + 1] = { 0 };
		int best = PAL_NONE;

		while (r < m->n && m->runs[r].start + m->runs[r].count <= lo)
			r++;
		for (q = r; q < m->n && m->runs[q].start < hi; q++) {
			unsigned long s = m->runs[q].start > lo ?
					  m->runs[q].start : lo;
			unsigned long e = m->runs[q].start + m->runs[q].count;

			cnt[m->runs[q].state] += (e < hi ? e : hi) - s;
		}
		for (i = 0; i <= PH_ST_NR; i++)
			if (cnt[i] > cnt[best])
				best = (int)i;
		putchar(cell_chars[best]);
		if ((c + 1) % width == 0 || c + 1 == cells)
			putchar('\n');
	}
}

int cmd_map(int argc, char **argv)
{
	const char *png = NULL;
	unsigned int width = 0;
	struct map m;
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
			width = (unsigned int)atoi(optarg);
		else
			goto usage;
	}
	if (optind != argc || width > 65536)
		goto usage;
	err = map_read(&m);
	if (err)
		return ctl_errno_exit(err, "map");
	if (ctl_json)
		map_json(&m);
	else if (png)
		err = map_png(&m, png, width ? width : 512);
	else
		map_text(&m, width);
	free(m.runs);
	return err ? ctl_errno_exit(err, png) : EXIT_OK;
usage:
	fprintf(stderr, "usage: pagehintctl map [--width N] [--png FILE]\n");
	return EXIT_USAGE;
}
