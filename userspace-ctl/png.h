/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A palette canvas, a 5x7 bitmap font and a PNG writer, so that
 * `pagehintctl map --png` needs no library: stored (uncompressed) deflate
 * blocks, one byte per pixel.
 */
#ifndef PAGEHINTCTL_PNG_H
#define PAGEHINTCTL_PNG_H

#include <stddef.h>

struct canvas {
	unsigned int w, h;
	unsigned char *px;	/* w * h palette indices, row by row */
};

#define FONT_W	5		/* glyph cell, before scaling */
#define FONT_H	7

int canvas_init(struct canvas *c, unsigned int w, unsigned int h,
		unsigned char bg);
void canvas_free(struct canvas *c);
void canvas_rect(struct canvas *c, unsigned int x, unsigned int y,
		 unsigned int w, unsigned int h, unsigned char color);
/* Draw @s at (@x, @y), each font pixel @scale pixels; returns the width. */
unsigned int canvas_text(struct canvas *c, unsigned int x, unsigned int y,
			 const char *s, unsigned char color, unsigned int scale);
unsigned int canvas_text_width(const char *s, unsigned int scale);

/* @pal: @npal RGB triplets. Returns 0 or -errno. */
int png_write(const char *path, const struct canvas *c,
	      const unsigned char *pal, size_t npal);

#endif
