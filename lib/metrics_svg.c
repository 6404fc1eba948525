/* lib/metrics_svg.c - a metrics report as an SVG drawing (see sift/svg.h). */
#include <math.h>
#include <stdio.h>

#include "sift/svg.h"
#include "sift/svgdraw.h"

#define PANEL  300 /* side of a plot, in pixels */
#define MARGIN 50
#define TOP    60
#define PITCH  (PANEL + 2 * MARGIN) /* from one panel to the next */
#define ROW    (PANEL + 110)        /* from one row to the next */
#define STRIP  50                   /* height of the counts per bin */
#define BLUE   "#1f5fbf"

static int label(struct sift_writer *w, double x, double y, const char *anchor,
		 const char *s, struct sift_error *err)
{
	return sift_svg_label(w, x, y, anchor, NULL, s, err);
}

/* A frame at (x0, y0) with axes from 0 to 1, its title and axis names. */
static int frame(struct sift_writer *w, double x0, double y0, const char *title,
		 const char *xname, const char *yname, struct sift_error *err)
{
	int rc = sift_writer_printf(
		w, err,
		"<rect x=\"%.0f\" y=\"%.0f\" width=\"%d\" height=\"%d\" "
		"fill=\"none\" stroke=\"#444\"/>\n",
		x0, y0, PANEL, PANEL);

	for (int i = 0; !rc && i <= 4; i++) {
		char tick[16];

		snprintf(tick, sizeof tick, "%.2g", i / 4.0);
		rc = label(w, x0 + i * PANEL / 4.0, y0 + PANEL + 15, "middle",
			   tick, err);
		if (!rc)
			rc = label(w, x0 - 5, y0 + PANEL - i * PANEL / 4.0 + 4,
				   "end", tick, err);
	}
	if (!rc)
		rc = label(w, x0 + PANEL / 2.0, y0 - 10, "middle", title, err);
	if (!rc)
		rc = label(w, x0 + PANEL / 2.0, y0 + PANEL + 35, "middle",
			   xname, err);
	if (!rc)
		rc = sift_writer_printf(
			w, err,
			"<text transform=\"translate(%.0f,%.0f) rotate(-90)\" "
			"text-anchor=\"middle\">%s</text>\n",
			x0 - 35, y0 + PANEL / 2.0, yname);
	return rc;
}

/* The dashed diagonal of a frame: chance for ROC, perfect calibration
 * for the reliability diagram. */
static int diagonal(struct sift_writer *w, double x0, double y0,
		    struct sift_error *err)
{
	return sift_writer_printf(
		w, err,
		"<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" "
		"stroke=\"#aaa\" stroke-dasharray=\"4\"/>\n",
		x0, y0 + PANEL, x0 + PANEL, y0);
}

/* The curve, thinned to the pixels of the drawing. PR is drawn as steps
 * (precision held until the next recall), as average precision sums
 * it. */
static int curve(struct sift_writer *w, double x0, double y0,
		 const struct sift_curve *c, int steps, struct sift_error *err)
{
	struct sift_svg_line l;
	double py = NAN;
	int rc = sift_svg_line_begin(
		&l, w, "stroke=\"" BLUE "\" stroke-width=\"2\"", err);

	for (size_t i = 0; !rc && i < c->n; i++) {
		if (isnan(c->x[i]) || isnan(c->y[i]))
			continue;
		double x = x0 + c->x[i] * PANEL;
		double y = y0 + PANEL - c->y[i] * PANEL;

		if (steps)
			rc = sift_svg_line_to(&l, x, py, err);
		if (!rc)
			rc = sift_svg_line_to(&l, x, y, err);
		py = y;
	}
	return rc ? rc : sift_svg_line_end(&l, err);
}

static int curves(struct sift_writer *w, const struct sift_metrics_report *rep,
		  const struct sift_curve *roc, const struct sift_curve *pr,
		  struct sift_error *err)
{
	char title[96];
	double x1 = MARGIN, x2 = MARGIN + PITCH;
	int rc;

	snprintf(title, sizeof title, "precision-recall (AP %.3f)",
		 rep->value[SIFT_FIG_AP]);
	rc = frame(w, x1, TOP, title, "recall", "precision", err);
	if (!rc)
		rc = curve(w, x1, TOP, pr, 1, err);
	snprintf(title, sizeof title, "ROC (AUC %.3f)",
		 rep->value[SIFT_FIG_ROC_AUC]);
	if (!rc)
		rc = frame(w, x2, TOP, title, "false positive rate",
			   "true positive rate", err);
	if (!rc)
		rc = diagonal(w, x2, TOP, err);
	if (!rc)
		rc = curve(w, x2, TOP, roc, 0, err);
	return rc;
}

/* Each bin's observed share as a bar over its width, its mean
 * probability against that share as a point on a line, and under the
 * frame the records of each bin, as bars to the scale of the fullest. */
static int bars(struct sift_writer *w, double x0, double y0,
		const struct sift_reliability_bin *bins, size_t n,
		struct sift_error *err)
{
	double most = 0, strip = y0 + PANEL + 45;
	int rc = 0;

	for (size_t b = 0; b < n; b++)
		most = bins[b].count > most ? bins[b].count : most;
	for (size_t b = 0; !rc && b < n; b++) {
		const struct sift_reliability_bin *c = &bins[b];
		double x = x0 + c->lo * PANEL, bw = (c->hi - c->lo) * PANEL;

		if (!(c->weight > 0))
			continue;
		double h = c->sum_y / c->weight * PANEL;
		double hc = most > 0 ? c->count / most * STRIP : 0;

		rc = sift_writer_printf(
			w, err,
			"<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			"height=\"%.1f\" fill=\"#c6d6f0\" stroke=\"#fff\"/>\n"
			"<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			"height=\"%.1f\" fill=\"#999\" stroke=\"#fff\"/>\n",
			x, y0 + PANEL - h, bw, h, x, strip + STRIP - hc, bw,
			hc);
	}
	return rc;
}

static int points(struct sift_writer *w, double x0, double y0,
		  const struct sift_reliability_bin *bins, size_t n,
		  struct sift_error *err)
{
	struct sift_svg_line l;
	int rc = sift_svg_line_begin(
		&l, w, "stroke=\"" BLUE "\" stroke-width=\"2\"", err);

	for (size_t b = 0; !rc && b < n; b++)
		if (bins[b].weight > 0)
			rc = sift_svg_line_to(
				&l, x0 + bins[b].sum_p / bins[b].weight * PANEL,
				y0 + PANEL -
					bins[b].sum_y / bins[b].weight * PANEL,
				err);
	if (!rc)
		rc = sift_svg_line_end(&l, err);
	for (size_t b = 0; !rc && b < n; b++)
		if (bins[b].weight > 0)
			rc = sift_writer_printf(
				w, err,
				"<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" "
				"fill=\"" BLUE "\"/>\n",
				x0 + bins[b].sum_p / bins[b].weight * PANEL,
				y0 + PANEL -
					bins[b].sum_y / bins[b].weight * PANEL);
	return rc;
}

static int reliability(struct sift_writer *w, double x0, double y0,
		       const struct sift_metrics_report *rep,
		       const struct sift_reliability_bin *bins,
		       struct sift_error *err)
{
	char title[96], counts[96];
	double most = 0;
	int rc;

	for (size_t b = 0; b < rep->bins; b++)
		most = bins[b].count > most ? bins[b].count : most;
	snprintf(title, sizeof title, "reliability (ECE %.3f, %zu bins)",
		 rep->value[SIFT_FIG_ECE], rep->bins);
	snprintf(counts, sizeof counts, "records per bin (fullest %.0f)", most);
	rc = frame(w, x0, y0, title,
		   rep->top_label ? "confidence" : "mean predicted probability",
		   rep->top_label ? "accuracy" : "observed frequency", err);
	if (!rc)
		rc = bars(w, x0, y0, bins, rep->bins, err);
	if (!rc)
		rc = diagonal(w, x0, y0, err);
	if (!rc)
		rc = points(w, x0, y0, bins, rep->bins, err);
	if (!rc)
		rc = label(w, x0 + PANEL / 2.0, y0 + PANEL + 45 + STRIP + 15,
			   "middle", counts, err);
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

static int heatmap(struct sift_writer *w, double x0, double y0,
		   const struct sift_metrics_report *rep,
		   struct sift_error *err)
{
	size_t k = rep->n_classes;
	double side = (double)PANEL / (double)(k ? k : 1);
	int rc = label(w, x0 + PANEL / 2.0, y0 - 10, "middle",
		       "confusion (rows gold, columns predicted)", err);

	for (size_t g = 0; !rc && g < k; g++) {
		double support = rep->classes[g].support;

		for (size_t p = 0; !rc && p < k; p++) {
			double n = rep->confusion[g * k + p];

			rc = cell(w, x0 + p * side, y0 + g * side, side,
				  support > 0 ? n / support : 0, n, err);
		}
		if (!rc && k <= 20)
			rc = label(w, x0 - 5, y0 + (g + 0.5) * side + 4, "end",
				   rep->names[g], err);
		if (!rc && k <= 20)
			rc = label(w, x0 + (g + 0.5) * side, y0 + PANEL + 15,
				   "middle", rep->names[g], err);
	}
	return rc;
}

int sift_svg_metrics(struct sift_writer *w, const char *title,
		     const struct sift_metrics_report *rep,
		     const struct sift_curve *roc, const struct sift_curve *pr,
		     const struct sift_reliability_bin *bins,
		     struct sift_error *err)
{
	int scored = roc && pr && bins;
	/* Scored: PR and ROC above, reliability and confusion below. */
	int width = (scored ? 2 : 1) * PITCH + MARGIN;
	int height = scored ? TOP + ROW + PANEL + 130 : TOP + PANEL + 50;
	double hx = scored ? MARGIN + PITCH : 2 * MARGIN;
	double hy = scored ? TOP + ROW : TOP;
	int rc = sift_writer_printf(
		w, err,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" "
		"width=\"%d\" height=\"%d\" font-family=\"sans-serif\" "
		"font-size=\"12\">\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n",
		width, height);

	if (!rc)
		rc = sift_writer_puts(w, "<title>sift metrics: ", err);
	if (!rc)
		rc = sift_svg_text(w, title, err);
	if (!rc)
		rc = sift_writer_puts(w, "</title>\n", err);
	if (!rc)
		rc = label(w, MARGIN, 20, "start", title, err);
	if (!rc && scored)
		rc = curves(w, rep, roc, pr, err);
	if (!rc && scored)
		rc = reliability(w, MARGIN, TOP + ROW, rep, bins, err);
	if (!rc)
		rc = heatmap(w, hx, hy, rep, err);
	return rc ? rc : sift_writer_puts(w, "</svg>\n", err);
}
