// SPDX-License-Identifier: GPL-2.0
/*
 * Canvas, font and PNG writer for pagehintctl's state map (see png.h).
 *
 * The font covers what the map's legend and axis print: digits, lower-case
 * letters (upper case is drawn lower case) and a few signs; any other
 * character is drawn as a blank. Rows are 5-bit masks, bit 4 leftmost.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "png.h"

static const char font_chars[] =
	"0123456789abcdefghijklmnopqrstuvwxyz.,:%()-/=+#";

static const unsigned char font_rows[][FONT_H] = {
	{ 0x0e, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0e },	/* 0 */
	{ 0x04, 0x0c, 0x04, 0x04, 0x04, 0x04, 0x0e },	/* 1 */
	{ 0x0e, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1f },	/* 2 */
	{ 0x1f, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0e },	/* 3 */
	{ 0x02, 0x06, 0x0a, 0x12, 0x1f, 0x02, 0x02 },	/* 4 */
	{ 0x1f, 0x10, 0x1e, 0x01, 0x01, 0x11, 0x0e },	/* 5 */
	{ 0x06, 0x08, 0x10, 0x1e, 0x11, 0x11, 0x0e },	/* 6 */
	{ 0x1f, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08 },	/* 7 */
	{ 0x0e, 0x11, 0x11, 0x0e, 0x11, 0x11, 0x0e },	/* 8 */
	{ 0x0e, 0x11, 0x11, 0x0f, 0x01, 0x02, 0x0c },	/* 9 */
	{ 0x00, 0x00, 0x0e, 0x01, 0x0f, 0x11, 0x0f },	/* a */
	{ 0x10, 0x10, 0x16, 0x19, 0x11, 0x11, 0x1e },	/* b */
	{ 0x00, 0x00, 0x0e, 0x10, 0x10, 0x11, 0x0e },	/* c */
	{ 0x01, 0x01, 0x0d, 0x13, 0x11, 0x11, 0x0f },	/* d */
	{ 0x00, 0x00, 0x0e, 0x11, 0x1f, 0x10, 0x0e },	/* e */
	{ 0x06, 0x09, 0x08, 0x1c, 0x08, 0x08, 0x08 },	/* f */
	{ 0x00, 0x0f, 0x11, 0x11, 0x0f, 0x01, 0x0e },	/* g */
	{ 0x10, 0x10, 0x16, 0x19, 0x11, 0x11, 0x11 },	/* h */
	{ 0x04, 0x00, 0x0c, 0x04, 0x04, 0x04, 0x0e },	/* i */
	{ 0x02, 0x00, 0x06, 0x02, 0x02, 0x12, 0x0c },	/* j */
	{ 0x10, 0x10, 0x12, 0x14, 0x18, 0x14, 0x12 },	/* k */
	{ 0x0c, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0e },	/* l */
	{ 0x00, 0x00, 0x1a, 0x15, 0x15, 0x11, 0x11 },	/* m */
	{ 0x00, 0x00, 0x16, 0x19, 0x11, 0x11, 0x11 },	/* n */
	{ 0x00, 0x00, 0x0e, 0x11, 0x11, 0x11, 0x0e },	/* o */
	{ 0x00, 0x00, 0x1e, 0x11, 0x1e, 0x10, 0x10 },	/* p */
	{ 0x00, 0x00, 0x0d, 0x13, 0x0f, 0x01, 0x01 },	/* q */
	{ 0x00, 0x00, 0x16, 0x19, 0x10, 0x10, 0x10 },	/* r */
	{ 0x00, 0x00, 0x0e, 0x10, 0x0e, 0x01, 0x1e },	/* s */
	{ 0x08, 0x08, 0x1c, 0x08, 0x08, 0x09, 0x06 },	/* t */
	{ 0x00, 0x00, 0x11, 0x11, 0x11, 0x13, 0x0d },	/* u */
	{ 0x00, 0x00, 0x11, 0x11, 0x11, 0x0a, 0x04 },	/* v */
	{ 0x00, 0x00, 0x11, 0x11, 0x15, 0x15, 0x0a },	/* w */
	{ 0x00, 0x00, 0x11, 0x0a, 0x04, 0x0a, 0x11 },	/* x */
	{ 0x00, 0x00, 0x11, 0x11, 0x0f, 0x01, 0x0e },	/* y */
	{ 0x00, 0x00, 0x1f, 0x02, 0x04, 0x08, 0x1f },	/* z */
	{ 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x0c },	/* . */
	{ 0x00, 0x00, 0x00, 0x00, 0x0c, 0x04, 0x08 },	/* , */
	{ 0x00, 0x0c, 0x0c, 0x00, 0x0c, 0x0c, 0x00 },	/* : */
	{ 0x18, 0x19, 0x02, 0x04, 0x08, 0x13, 0x03 },	/* % */
	{ 0x02, 0x04, 0x08, 0x08, 0x08, 0x04, 0x02 },	/* ( */
	{ 0x08, 0x04, 0x02, 0x02, 0x02, 0x04, 0x08 },	/* ) */
	{ 0x00, 0x00, 0x00, 0x1f, 0x00, 0x00, 0x00 },	/* - */
	{ 0x00, 0x01, 0x02, 0x04, 0x08, 0x10, 0x00 },	/* / */
	{ 0x00, 0x00, 0x1f, 0x00, 0x1f, 0x00, 0x00 },	/* = */
	{ 0x00, 0x04, 0x04, 0x1f, 0x04, 0x04, 0x00 },	/* + */
	{ 0x0a, 0x0a, 0x1f, 0x0a, 0x1f, 0x0a, 0x0a },	/* # */
};

_Static_assert(sizeof(font_rows) / sizeof(font_rows[0]) ==
	       sizeof(font_chars) - 1, "one glyph per font character");

int canvas_init(struct canvas *c, unsigned int w, unsigned int h,
		unsigned char bg)
{
	c->w = w;
	c->h = h;
	c->px = malloc((size_t)w * h);
	if (!c->px)
		return -ENOMEM;
	memset(c->px, bg, (size_t)w * h);
	return 0;
}

void canvas_free(struct canvas *c)
{
	free(c->px);
	c->px = NULL;
}

void canvas_rect(struct canvas *c, unsigned int x, unsigned int y,
		 unsigned int w, unsigned int h, unsigned char color)
{
	unsigned int i, j;

	for (j = y; j < y + h && j < c->h; j++)
		for (i = x; i < x + w && i < c->w; i++)
			c->px[(size_t)j * c->w + i] = color;
}

/* One glyph cell is FONT_W + 1 font pixels wide (a blank column). */
unsigned int canvas_text_width(const char *s, unsigned int scale)
{
	return (unsigned int)strlen(s) * (FONT_W + 1) * scale;
}

unsigned int canvas_text(struct canvas *c, unsigned int x, unsigned int y,
			 const char *s, unsigned char color, unsigned int scale)
{
	unsigned int x0 = x, r, b;
	const char *g;

	for (; *s; s++, x += (FONT_W + 1) * scale) {
		g = strchr(font_chars, tolower((unsigned char)*s));
		if (!g || !*s)
			continue;
		for (r = 0; r < FONT_H; r++)
			for (b = 0; b < FONT_W; b++)
				if (font_rows[g - font_chars][r] & (0x10 >> b))
					canvas_rect(c, x + b * scale,
						    y + r * scale, scale,
						    scale, color);
	}
	return x - x0;
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

static void png_chunk(FILE *f, const char *type, const unsigned char *d,
		      size_t n)
{
	unsigned char b[4];
	uint32_t c;

	put32(b, (uint32_t)n);
	fwrite(b, 1, 4, f);
	fwrite(type, 1, 4, f);
	if (n)
		fwrite(d, 1, n, f);
	c = crc32_update(0xffffffffu, (const unsigned char *)type, 4);
	c = crc32_update(c, d, n) ^ 0xffffffffu;
	put32(b, c);
	fwrite(b, 1, 4, f);
}

/* The zlib stream of @raw in stored blocks; @z has room for it. */
static size_t zlib_stored(unsigned char *z, const unsigned char *raw,
			  size_t raw_n)
{
	uint32_t a = 1, b = 0;
	size_t i, o = 0;

	z[o++] = 0x78;
	z[o++] = 0x01;
	for (i = 0; i < raw_n || !raw_n; i += 65535) {
		size_t n = raw_n - i < 65535 ? raw_n - i : 65535;

		z[o++] = i + n == raw_n;
		z[o++] = n & 0xff;
		z[o++] = n >> 8;
		z[o++] = ~n & 0xff;
		z[o++] = (~n >> 8) & 0xff;
		memcpy(z + o, raw + i, n);
		o += n;
		if (!raw_n)
			break;
	}
	for (i = 0; i < raw_n; i++) {
		a = (a + raw[i]) % 65521;
		b = (b + a) % 65521;
	}
	put32(z + o, (b << 16) | a);
	return o + 4;
}

int png_write(const char *path, const struct canvas *c,
	      const unsigned char *pal, size_t npal)
{
	size_t raw_n = (size_t)(c->w + 1) * c->h, i, zn;
	unsigned char *raw = malloc(raw_n + 1);
	unsigned char *z = malloc(raw_n + (raw_n / 65535 + 1) * 5 + 6);
	unsigned char ihdr[13] = { 0 };
	int err = 0;
	FILE *f;

	if (!raw || !z) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < c->h; i++) {
		raw[i * (c->w + 1)] = 0;	/* filter: none */
		memcpy(raw + i * (c->w + 1) + 1, c->px + i * c->w, c->w);
	}
	zn = zlib_stored(z, raw, raw_n);
	f = fopen(path, "wb");
	if (!f) {
		err = -errno;
		goto out;
	}
	fwrite("\x89PNG\r\n\x1a\n", 1, 8, f);
	put32(ihdr, c->w);
	put32(ihdr + 4, c->h);
	ihdr[8] = 8;	/* bit depth */
	ihdr[9] = 3;	/* palette */
	png_chunk(f, "IHDR", ihdr, 13);
	png_chunk(f, "PLTE", pal, npal * 3);
	png_chunk(f, "IDAT", z, zn);
	png_chunk(f, "IEND", NULL, 0);
	if (fclose(f))
		err = -errno;
out:
	free(raw);
	free(z);
	return err;
}
