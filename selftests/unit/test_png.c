// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of pagehintctl's PNG writer and font: a canvas with a
 * rectangle and a line of text is written, read back with an independent
 * reader (chunk CRCs, the zlib stream's stored blocks and Adler-32) and
 * compared pixel by pixel.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "tap.h"
#include "../../userspace-ctl/png.h"

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | p[2] << 8 | p[3];
}

/* Bitwise CRC-32, written apart from the writer's table version. */
static uint32_t crc32_bits(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	while (n--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
	}
	return c ^ 0xffffffffu;
}

struct png_read {
	unsigned int w, h, npal;
	unsigned char *px;	/* filter bytes removed */
	int crc_bad, zlib_bad;
};

/* Inflate a zlib stream made only of stored blocks; -1 on anything else. */
static long inflate_stored(const unsigned char *z, size_t zn,
			   unsigned char *out, size_t cap)
{
	size_t o = 0, i = 2;
	uint32_t a = 1, b = 0;
	int last = 0;

	if (zn < 6 || z[0] != 0x78)
		return -1;
	while (!last) {
		unsigned int len, nlen;

		if (i + 5 > zn)
			return -1;
		last = z[i] & 1;
		if (z[i] & 6)	/* not a stored block */
			return -1;
		len = z[i + 1] | z[i + 2] << 8;
		nlen = z[i + 3] | z[i + 4] << 8;
		if ((len ^ 0xffff) != nlen || i + 5 + len > zn || o + len > cap)
			return -1;
		memcpy(out + o, z + i + 5, len);
		o += len;
		i += 5 + len;
	}
	for (size_t k = 0; k < o; k++) {
		a = (a + out[k]) % 65521;
		b = (b + a) % 65521;
	}
	if (i + 4 > zn || get32(z + i) != ((b << 16) | a))
		return -1;
	return (long)o;
}

static int png_read(const char *path, struct png_read *r)
{
	size_t n, pos = 8, zn = 0;
	unsigned char *d = (unsigned char *)tap_slurp(path, &n), *z = NULL, *raw;
	long rn;

	memset(r, 0, sizeof(*r));
	if (!d || n < 8 || memcmp(d, "\x89PNG\r\n\x1a\n", 8))
		return -1;
	z = malloc(n);
	while (pos + 12 <= n) {
		uint32_t len = get32(d + pos);
		const unsigned char *type = d + pos + 4;

		if (pos + 12 + len > n)
			break;
		if (crc32_bits(type, len + 4) != get32(d + pos + 8 + len))
			r->crc_bad++;
		if (!memcmp(type, "IHDR", 4)) {
			r->w = get32(d + pos + 8);
			r->h = get32(d + pos + 12);
		} else if (!memcmp(type, "PLTE", 4)) {
			r->npal = len / 3;
		} else if (!memcmp(type, "IDAT", 4)) {
			memcpy(z + zn, d + pos + 8, len);
			zn += len;
		}
		pos += 12 + len;
	}
	raw = malloc((size_t)(r->w + 1) * r->h + 1);
	rn = inflate_stored(z, zn, raw, (size_t)(r->w + 1) * r->h);
	r->zlib_bad = rn != (long)(r->w + 1) * r->h;
	r->px = malloc((size_t)r->w * r->h);
	for (unsigned int y = 0; !r->zlib_bad && y < r->h; y++)
		memcpy(r->px + (size_t)y * r->w, raw + (size_t)y * (r->w + 1) + 1,
		       r->w);
	free(raw);
	free(z);
	free(d);
	return 0;
}

int main(void)
{
	static const unsigned char pal[] = { 255, 255, 255, 0, 0, 0, 255, 0, 0 };
	const char *path = "test_png.out.png";
	struct canvas c;
	struct png_read r;
	unsigned int w, ink = 0;

	TAP_OK(canvas_init(&c, 300, 40, 0) == 0, "canvas 300x40");
	canvas_rect(&c, 2, 2, 10, 10, 2);
	w = canvas_text(&c, 20, 2, "pfn 0x1f: 12.5% (unused)", 1, 2);
	TAP_OK(w == canvas_text_width("pfn 0x1f: 12.5% (unused)", 2) && w == 24 * 12,
	       "text advances 12 pixels a glyph at scale 2 (%u)", w);
	for (size_t i = 0; i < (size_t)c.w * c.h; i++)
		ink += c.px[i] == 1;
	TAP_OK(ink > 200, "the text draws pixels (%u)", ink);
	TAP_OK(png_write(path, &c, pal, 3) == 0, "png_write");
	TAP_OK(png_read(path, &r) == 0, "read back: PNG signature");
	TAP_OK(r.w == 300 && r.h == 40 && r.npal == 3,
	       "IHDR 300x40, 3 palette entries (%ux%u, %u)", r.w, r.h, r.npal);
	TAP_OK(!r.crc_bad, "every chunk CRC matches (%d bad)", r.crc_bad);
	TAP_OK(!r.zlib_bad, "zlib stream: stored blocks, length and Adler-32");
	TAP_OK(!r.zlib_bad && !memcmp(r.px, c.px, (size_t)c.w * c.h),
	       "pixels read back equal the canvas");
	free(r.px);
	canvas_free(&c);
	remove(path);
	/* a canvas of more than one stored block (65535 bytes) */
	TAP_OK(canvas_init(&c, 700, 200, 1) == 0 &&
	       png_write(path, &c, pal, 3) == 0 && png_read(path, &r) == 0 &&
	       !r.zlib_bad && !r.crc_bad && !memcmp(r.px, c.px, 700 * 200),
	       "a 700x200 picture (3 stored blocks) reads back equal");
	free(r.px);
	canvas_free(&c);
	remove(path);
	return tap_done();
}
