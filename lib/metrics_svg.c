/* lib/metrics_svg.c - a metrics report as an SVG drawing (see sift/svg.h). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sift/svg.h"

#define PANEL  300 /* side of a plot, in pixels */
#define MARGIN 50
#define TOP    60

/* Text, XML-escaped. */
static int text(struct sift_writer *w, const char *s, struct sift_error *err)
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
			/* Control characters are not allowed in XML. */
			rc = sift_writer_write(
				w, (unsigned char)*s < 0x20 ? "?" : s, 1, err);
		}
	}
	return rc;
}

static int label(struct sift_writer *w, double x, double y, const char *anchor,
		 const char *s, struct sift_error *err)
{
	int rc = sift_writer_printf(
		w, err, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">", x, y,
		anchor);

	if (!rc)
		rc = text(w, s, err);
	return rc ? rc : sift_writer_puts(w, "</text>\n", err);
}

/* A frame with axes from 0 to 1, its title and axis names. */
static int frame(struct sift_writer *w, double x0, const char *title,
		 const char *xname, const char *yname, struct sift_error *err)
{
	int rc = sift_writer_printf(
		w, err,
		"<rect x=\"%.0f\" y=\"%d\" width=\"%d\" height=\"%d\" "
		"fill=\"none\" stroke=\"#444\"/>\n",
		x0, TOP, PANEL, PANEL);

	for (int i = 0; !rc && i <= 4; i++) {
		char tick[16];

		snprintf(tick, sizeof tick, "%.2g", i / 4.0);
		rc = label(w, x0 + i * PANEL / 4.0, TOP + PANEL + 15, "middle",
			   tick, err);
		if (!rc)
			rc = label(w, x0 - 5, TOP + PANEL - i * PANEL / 4.0 + 4,
				   "end", tick, err);
	}
	if (!rc)
		rc = label(w, x0 + PANEL / 2.0, TOP - 10, "middle", title, err);
	if (!rc)
		rc = label(w, x0 + PANEL / 2.0, TOP + PANEL + 35, "middle",
			   xname, err);
	if (!rc)
		rc = sift_writer_printf(
			w, err,
			"<text transform=\"translate(%.0f,%d) rotate(-90)\" "
			"text-anchor=\"middle\">%s</text>\n",
			x0 - 35, TOP + PANEL / 2, yname);
	return rc;
}

/* The curve as a polyline; a point that lands on the previous pixel is
 * skipped, so a curve of ten million points stays a small drawing. PR
 * is drawn as steps (precision held until the next recall), as average
 * precision sums it. */
static int polyline(struct sift_writer *w, double x0,
		    const struct sift_curve *c, int steps,
		    struct sift_error *err)
{
	double px = -1, py = -1;
	int rc =
		sift_writer_printf(w, err,
				   "<polyline fill=\"none\" stroke=\"#1f5fbf\" "
				   "stroke-width=\"2\" points=\"");

	for (size_t i = 0; !rc && i < c->n; i++) {
		if (isnan(c->x[i]) || isnan(c->y[i]))
			continue;
		double x = x0 + c->x[i] * PANEL;
		double y = TOP + PANEL - c->y[i] * PANEL;

		if (fabs(x - px) < 0.5 && fabs(y - py) < 0.5)
			continue;
		if (steps && px >= 0)
			rc = sift_writer_printf(w, err, "%.1f,%.1f ", x, py);
		if (!rc)
			rc = sift_writer_printf(w, err, "%.1f,%.1f ", x, y);
		px = x;
		py = y;
	}
	return rc ? rc : sift_writer_puts(w, "\"/>\n", err);
}

static int curves(struct sift_writer *w, const struct sift_metrics_report *rep,
		  const struct sift_curve *roc, const struct sift_curve *pr,
		  struct sift_error *err)
{
	char title[96];
	double x1 = MARGIN, x2 = MARGIN + PANEL + 2 * MARGIN;
	int rc;

	snprintf(title, sizeof title, "precision-recall (AP %.3f)",
		 rep->value[SIFT_FIG_AP]);
	rc = frame(w, x1, title, "recall", "precision", err);
	if (!rc)
		rc = polyline(w, x1, pr, 1, err);
	snprintf(title, sizeof title, "ROC (AUC %.3f)",
		 rep->value[SIFT_FIG_ROC_AUC]);
	if (!rc)
		rc = frame(w, x2, title, "false positive rate",
			   "true positive rate", err);
	if (!rc)
		rc = sift_writer_printf(
			w, err,
			"<line x1=\"%.0f\" y1=\"%d\" x2=\"%.0f\" y2=\"%d\" "
			"stroke=\"#aaa\" stroke-dasharray=\"4\"/>\n",
			x2, TOP + PANEL, x2 + PANEL, TOP);
	if (!rc)
		rc = polyline(w, x2, roc, 0, err);
	return rc;
}

static int cell(struct sift_writer *w, double x, double y, double side,
		double share, double count, struct sift_error *err)
{
	char num[32];
	int shade = (int)(255 - 200 * (share > 0 ? share : 0));
	int rc =
		sift_writer_printf(w, err,
				   "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
				   "height=\"%.1f\" fill=\"rgb(%d,%d,255)\" "
				   "stroke=\"#fff\"/>\n",
				   x, y, side, side, shade, shade);

	if (rc || side < 18)
		return rc;
	if (count == floor(count) && count < 1e15)
		snprintf(num, sizeof num, "%.0f", count);
	else
		snprintf(num, sizeof num, "%.3g", count);
	return label(w, x + side / 2, y + side / 2 + 4, "middle", num, err);
}

static int heatmap(struct sift_writer *w, double x0,
		   const struct sift_metrics_report *rep,
		   struct sift_error *err)
{
	size_t k = rep->n_classes;
	double side = (double)PANEL / (double)(k ? k : 1);
	int rc = label(w, x0 + PANEL / 2.0, TOP - 10, "middle",
		       "confusion (rows gold, columns predicted)", err);

	for (size_t g = 0; !rc && g < k; g++) {
		double support = rep->classes[g].support;

		for (size_t p = 0; !rc && p < k; p++) {
			double n = rep->confusion[g * k + p];

			rc = cell(w, x0 + p * side, TOP + g * side, side,
				  support > 0 ? n / support : 0, n, err);
		}
		if (!rc && k <= 20)
			rc = label(w, x0 - 5, TOP + (g + 0.5) * side + 4, "end",
				   rep->names[g], err);
		if (!rc && k <= 20)
			rc = label(w, x0 + (g + 0.5) * side, TOP + PANEL + 15,
				   "middle", rep->names[g], err);
	}
	return rc;
}

int sift_svg_metrics(struct sift_writer *w, const char *title,
		     const struct sift_metrics_report *rep,
		     const struct sift_curve *roc, const struct sift_curve *pr,
		     struct sift_error *err)
{
	int scored = roc && pr;
	int width = (scored ? 3 : 1) * (PANEL + 2 * MARGIN) + MARGIN;
	double hx = scored ? MARGIN + 2 * (PANEL + 2 * MARGIN) + MARGIN
			   : 2 * MARGIN;
	int rc = sift_writer_printf(
		w, err,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" "
		"width=\"%d\" height=\"%d\" font-family=\"sans-serif\" "
		"font-size=\"12\">\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n",
		width, TOP + PANEL + 50);

	if (!rc)
		rc = sift_writer_printf(w, err, "<title>sift metrics: ");
	if (!rc)
		rc = text(w, title, err);
	if (!rc)
		rc = sift_writer_printf(w, err, "</title>\n");
	if (!rc)
		rc = label(w, MARGIN, 20, "start", title, err);
	if (!rc && scored)
		rc = curves(w, rep, roc, pr, err);
	if (!rc)
		rc = heatmap(w, hx, rep, err);
	return rc ? rc : sift_writer_puts(w, "</svg>\n", err);
}
