/* lib/svg.c - the pieces of sift's SVG drawings (see sift/svgdraw.h). */
#include <math.h>

#include "sift/svgdraw.h"

int sift_svg_text(struct sift_writer *w, const char *s, struct sift_error *err)
{
	int rc = 0;

	for (; !rc && *s; s++) {
		switch (*s) {
		case '<':
			rc = sift_writer_puts(w, "&lt;", err);
			break;
		case '>':
			rc = sift_writer_puts(w, "&gt;", err);
			break;
		case '&':
			rc = sift_writer_puts(w, "&amp;", err);
			break;
		case '"':
			rc = sift_writer_puts(w, "&quot;", err);
			break;
		default:
			rc = sift_writer_write(
				w, (unsigned char)*s < 0x20 ? "?" : s, 1, err);
		}
	}
	return rc;
}

int sift_svg_label(struct sift_writer *w, double x, double y,
		   const char *anchor, const char *style, const char *s,
		   struct sift_error *err)
{
	int rc = sift_writer_printf(
		w, err, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s%s>",
		x, y, anchor, style ? " " : "", style ? style : "");

	if (!rc)
		rc = sift_svg_text(w, s, err);
	return rc ? rc : sift_writer_puts(w, "</text>\n", err);
}

int sift_svg_line_begin(struct sift_svg_line *l, struct sift_writer *w,
			const char *attrs, struct sift_error *err)
{
	l->w = w;
	l->px = NAN;
	l->py = NAN;
	return sift_writer_printf(
		w, err, "<polyline fill=\"none\" %s points=\"", attrs);
}

int sift_svg_line_to(struct sift_svg_line *l, double x, double y,
		     struct sift_error *err)
{
	if (!isfinite(x) || !isfinite(y))
		return 0;
	if (fabs(x - l->px) < 0.5 && fabs(y - l->py) < 0.5)
		return 0;
	l->px = x;
	l->py = y;
	return sift_writer_printf(l->w, err, "%.1f,%.1f ", x, y);
}

int sift_svg_line_end(struct sift_svg_line *l, struct sift_error *err)
{
	return sift_writer_puts(l->w, "\"/>\n", err);
}

int sift_svg_polyline(struct sift_writer *w, const double *x, const double *y,
		      size_t n, const char *attrs, struct sift_error *err)
{
	struct sift_svg_line l;
	int rc = sift_svg_line_begin(&l, w, attrs, err);

	for (size_t i = 0; !rc && i < n; i++)
		rc = sift_svg_line_to(&l, x[i], y[i], err);
	return rc ? rc : sift_svg_line_end(&l, err);
}
