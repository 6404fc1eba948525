/*
 * sift/svgdraw.h - the pieces sift's SVG drawings are made of: text
 * escaped for XML, a label at a point, and a line drawn point by point
 * that skips the points landing on the pixel before, so that a curve of
 * ten million points stays a small drawing. Each writes to a
 * sift_writer and returns 0 or the writer's error.
 */
#ifndef SIFT_SVGDRAW_H
#define SIFT_SVGDRAW_H

#include <stddef.h>

#include "sift/error.h"
#include "sift/writer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* s, with < > & " escaped and control characters (not allowed in XML)
 * written as '?'. */
int sift_svg_text(struct sift_writer *w, const char *s, struct sift_error *err);

/* <text> at (x, y), anchored "start", "middle" or "end"; style, if not
 * NULL, is added to the element's attributes (e.g. "font-size=\"11\""). */
int sift_svg_label(struct sift_writer *w, double x, double y,
		   const char *anchor, const char *style, const char *s,
		   struct sift_error *err);

/* A polyline being written: begin, a point at a time, end. */
struct sift_svg_line {
	struct sift_writer *w;
	double px, py; /* the last point drawn, NaN before the first */
};

/* Start a polyline stroked with attrs (e.g. "stroke=\"#1f5fbf\""). */
int sift_svg_line_begin(struct sift_svg_line *l, struct sift_writer *w,
			const char *attrs, struct sift_error *err);

/* Add (x, y), in pixels. A point not finite is left out; one within
 * half a pixel of the last drawn is skipped. */
int sift_svg_line_to(struct sift_svg_line *l, double x, double y,
		     struct sift_error *err);

int sift_svg_line_end(struct sift_svg_line *l, struct sift_error *err);

/* The n points (x[i], y[i]) as one polyline: begin, line_to, end. */
int sift_svg_polyline(struct sift_writer *w, const double *x, const double *y,
		      size_t n, const char *attrs, struct sift_error *err);

#ifdef __cplusplus
}
#endif

#endif
