/*
 * lib/train_plot.c - a picture of a training run (see sift/trainplot.h):
 * the batches in bounded memory, and the drawing.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sift/mem.h"
#include "sift/svgdraw.h"
#include "sift/trainplot.h"

void sift_trainplot_init(struct sift_trainplot *p)
{
	memset(p, 0, sizeof *p);
	p->span = 1;
}

void sift_trainplot_free(struct sift_trainplot *p)
{
	free(p->epoch);
	p->epoch = NULL;
	p->n_epoch = p->cap_epoch = 0;
}

/* The points are full: each pair becomes one point of twice the span. */
static void halve(struct sift_trainplot *p)
{
	for (size_t i = 0; i < p->n_point / 2; i++) {
		p->point[i].loss =
			(p->point[2 * i].loss + p->point[2 * i + 1].loss) / 2;
		p->point[i].acc =
			(p->point[2 * i].acc + p->point[2 * i + 1].acc) / 2;
	}
	p->n_point /= 2;
	p->span *= 2;
}

void sift_trainplot_batch(struct sift_trainplot *p, double loss, double acc)
{
	p->pend_loss += loss;
	p->pend_acc += acc;
	p->n_batch++;
	if (++p->pend_n < p->span)
		return;
	p->point[p->n_point].loss = p->pend_loss / (double)p->pend_n;
	p->point[p->n_point].acc = p->pend_acc / (double)p->pend_n;
	p->n_point++;
	p->pend_loss = p->pend_acc = 0;
	p->pend_n = 0;
	if (p->n_point == SIFT_TRAINPLOT_POINTS)
		halve(p);
}

int sift_trainplot_epoch(struct sift_trainplot *p,
			 const struct sift_epoch_stats *st,
			 struct sift_error *err)
{
	struct sift_trainplot_epoch *e;

	if (sift_grow(&p->epoch, &p->cap_epoch, p->n_epoch + 1,
		      sizeof *p->epoch, 16))
		return sift_error_nomem(err);
	e = &p->epoch[p->n_epoch++];
	e->round = st->round;
	e->epoch = st->epoch;
	e->batches_end = p->n_batch;
	e->train_loss = st->train_loss;
	e->train_acc = st->train_acc;
	e->has_valid = st->has_valid;
	e->valid_loss = st->valid_loss;
	e->valid_macro_f1 = st->valid_macro_f1;
	return 0;
}

void sift_trainplot_keep(struct sift_trainplot *p, unsigned epoch)
{
	p->kept = 0;
	for (size_t i = p->n_epoch; i-- > 0;) {
		if (p->epoch[i].round != p->epoch[p->n_epoch - 1].round)
			break;
		if (p->epoch[i].epoch == epoch) {
			p->kept = i + 1;
			break;
		}
	}
}

/* Whether an option shapes the model, as opposed to saying where the
 * run writes or how much it says. */
static int trains(const char *name)
{
	static const char *const outputs[] = {
		"output", "log", "plot", "quiet", "verbose", "export-svm", "oof"
	};

	for (size_t i = 0; i < sizeof outputs / sizeof *outputs; i++)
		if (strcmp(name, outputs[i]) == 0)
			return 0;
	return 1;
}

void sift_trainplot_title(struct sift_trainplot *p, const char *prefix,
			  const char *input, const char *output, size_t n_opts,
			  char *const *names, char *const *values)
{
	size_t used = 0, size = sizeof p->subtitle;
	int given = 0;

	if (!input || strcmp(input, "-") == 0)
		input = "standard input";
	if (output)
		snprintf(p->title, sizeof p->title, "%s, trained on %s", output,
			 input);
	else
		snprintf(p->title, sizeof p->title, "trained on %s", input);
	p->subtitle[0] = '\0';
	if (prefix)
		used = (size_t)snprintf(p->subtitle, size, "%s", prefix);
	for (size_t i = 0; i < n_opts && used < size; i++) {
		if (!trains(names[i]))
			continue;
		used += (size_t)snprintf(p->subtitle + used, size - used,
					 "%s--%s%s%s", used ? " " : "",
					 names[i], values[i][0] ? " " : "",
					 values[i]);
		given = 1;
	}
	if (!given && used < size)
		snprintf(p->subtitle + used, size - used, "%sthe defaults",
			 used ? " " : "");
}

/* ---- the drawing ---- */

#define WIDTH  1010
#define LEFT   70  /* the panels' left edge */
#define PW     680 /* a panel's width */
#define PH     220 /* a panel's height */
#define TOP1   80  /* the first panel's top */
#define GAP    60  /* between the panels */
#define TOP2   (TOP1 + PH + GAP)
#define HEIGHT (TOP2 + PH + 70)
#define KEY    (LEFT + PW + 20) /* the legend's left edge */

#define RAW_LOSS   "#a6c8ea"
#define LOSS       "#1f5fbf"
#define VALID_LOSS "#d9480f"
#define RAW_ACC    "#b2dfb0"
#define ACC        "#2b8a3e"
#define VALID_F1   "#862e9c"

/* The drawing's mapping from batches and values to pixels. */
struct axes {
	double nx;         /* batches on the x axis */
	double top;        /* the panel's top */
	double ymin, ymax; /* the values at its bottom and top */
};

static double px(const struct axes *a, double batch)
{
	return LEFT + batch / a->nx * PW;
}

static double py(const struct axes *a, double v)
{
	if (v > a->ymax)
		v = a->ymax;
	if (v < a->ymin)
		v = a->ymin;
	return a->top + PH - (v - a->ymin) / (a->ymax - a->ymin) * PH;
}

/* A round step (1, 2 or 5 times a power of ten) near range / 4. */
static double nice_step(double range)
{
	double raw = range / 4, mag = pow(10, floor(log10(raw)));
	double f = raw / mag;

	return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
}

/* Point i's batch at its middle; the last may be a partial one. */
static double point_x(const struct sift_trainplot *p, size_t i)
{
	if (i < p->n_point)
		return ((double)i + 0.5) * (double)p->span;
	return (double)(p->n_batch - p->pend_n) + (double)p->pend_n / 2;
}

static double point_v(const struct sift_trainplot *p, size_t i, int acc)
{
	if (i < p->n_point)
		return acc ? p->point[i].acc : p->point[i].loss;
	return (acc ? p->pend_acc : p->pend_loss) / (double)p->pend_n;
}

static size_t n_points(const struct sift_trainplot *p)
{
	return p->n_point + (p->pend_n > 0);
}

/* The weight of a new point in the exponential moving average over
 * about 2% of the batches (at least one point). */
static double ema_alpha(const struct sift_trainplot *p)
{
	double window = 0.02 * (double)n_points(p);

	return 2 / ((window < 1 ? 1 : window) + 1);
}

/* The moving average after v, started at the first value so that it
 * does not rise from 0; NaN values are passed over. */
static double ema_next(double ema, double v, double alpha)
{
	if (!isfinite(v))
		return ema;
	return isnan(ema) ? v : ema + alpha * (v - ema);
}

/* The raw line, then the moving average. */
static int batch_lines(struct sift_writer *w, const struct sift_trainplot *p,
		       const struct axes *a, int acc, struct sift_error *err)
{
	size_t n = n_points(p);
	double alpha = ema_alpha(p), ema = NAN;
	struct sift_svg_line l;
	int rc = sift_svg_line_begin(
		&l, w,
		acc ? "stroke=\"" RAW_ACC
		      "\" stroke-width=\"0.8\" stroke-opacity=\"0.6\""
		    : "stroke=\"" RAW_LOSS
		      "\" stroke-width=\"0.8\" stroke-opacity=\"0.6\"",
		err);

	for (size_t i = 0; !rc && i < n; i++)
		rc = sift_svg_line_to(&l, px(a, point_x(p, i)),
				      py(a, point_v(p, i, acc)), err);
	if (!rc)
		rc = sift_svg_line_end(&l, err);
	if (!rc)
		rc = sift_svg_line_begin(
			&l, w,
			acc ? "stroke=\"" ACC "\" stroke-width=\"2\""
			    : "stroke=\"" LOSS "\" stroke-width=\"2\"",
			err);
	for (size_t i = 0; !rc && i < n; i++) {
		double v = point_v(p, i, acc);

		if (!isfinite(v))
			continue;
		ema = ema_next(ema, v, alpha);
		rc = sift_svg_line_to(&l, px(a, point_x(p, i)), py(a, ema),
				      err);
	}
	return rc ? rc : sift_svg_line_end(&l, err);
}

/* The validation figure per epoch, at the epoch's end: a line through
 * the epochs of each round, and a dot at each. */
static int valid_line(struct sift_writer *w, const struct sift_trainplot *p,
		      const struct axes *a, int f1, struct sift_error *err)
{
	const char *color = f1 ? VALID_F1 : VALID_LOSS;
	char attrs[96];
	struct sift_svg_line l;
	int rc = 0, open = 0;

	snprintf(attrs, sizeof attrs, "stroke=\"%s\" stroke-width=\"2\"",
		 color);
	for (size_t i = 0; !rc && i < p->n_epoch; i++) {
		const struct sift_trainplot_epoch *e = &p->epoch[i];
		double v = f1 ? e->valid_macro_f1 : e->valid_loss;

		if (!e->has_valid || !isfinite(v))
			continue;
		if (open && i > 0 && e->round != p->epoch[i - 1].round) {
			rc = sift_svg_line_end(&l, err);
			open = 0;
		}
		if (!rc && !open) {
			rc = sift_svg_line_begin(&l, w, attrs, err);
			open = 1;
		}
		if (!rc)
			rc = sift_svg_line_to(&l, px(a, (double)e->batches_end),
					      py(a, v), err);
	}
	if (!rc && open)
		rc = sift_svg_line_end(&l, err);
	for (size_t i = 0; !rc && i < p->n_epoch; i++) {
		const struct sift_trainplot_epoch *e = &p->epoch[i];
		double v = f1 ? e->valid_macro_f1 : e->valid_loss;

		if (e->has_valid && isfinite(v))
			rc = sift_writer_printf(
				w, err,
				"<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" "
				"fill=\"%s\"/>\n",
				px(a, (double)e->batches_end), py(a, v), color);
	}
	return rc;
}

static int has_valid(const struct sift_trainplot *p)
{
	for (size_t i = 0; i < p->n_epoch; i++)
		if (p->epoch[i].has_valid)
			return 1;
	return 0;
}

/* The frame, the value ticks and grid, and the y axis's name. */
static int frame(struct sift_writer *w, const struct axes *a, const char *yname,
		 struct sift_error *err)
{
	double step = nice_step(a->ymax - a->ymin);
	int rc = sift_writer_printf(
		w, err,
		"<rect x=\"%d\" y=\"%.0f\" width=\"%d\" height=\"%d\" "
		"fill=\"none\" stroke=\"#444\"/>\n",
		LEFT, a->top, PW, PH);

	for (int i = 0; !rc && a->ymin + i * step <= a->ymax + 1e-9 * step;
	     i++) {
		char tick[32];
		double v = a->ymin + i * step, y = py(a, v);

		snprintf(tick, sizeof tick, "%g", fabs(v) < 1e-12 ? 0 : v);
		rc = sift_svg_label(w, LEFT - 6, y + 4, "end", NULL, tick, err);
		if (!rc && i > 0)
			rc = sift_writer_printf(
				w, err,
				"<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" "
				"y2=\"%.1f\" stroke=\"#eee\"/>\n",
				LEFT, y, LEFT + PW, y);
	}
	if (!rc)
		rc = sift_writer_printf(
			w, err,
			"<text transform=\"translate(%d,%.0f) rotate(-90)\" "
			"text-anchor=\"middle\">%s</text>\n",
			LEFT - 50, a->top + PH / 2.0, yname);
	return rc;
}

/* The epochs' ends as light vertical lines over both panels, numbered
 * under the lower one (no more than about 25 numbers); a darker line
 * where a self-training round begins. */
static int epoch_ticks(struct sift_writer *w, const struct sift_trainplot *p,
		       const struct axes *a, struct sift_error *err)
{
	size_t every = p->n_epoch / 25 + 1;
	int rc = 0;

	for (size_t i = 0; !rc && i < p->n_epoch; i++) {
		const struct sift_trainplot_epoch *e = &p->epoch[i];
		int round_end =
			i + 1 < p->n_epoch && p->epoch[i + 1].round != e->round;
		double x = px(a, (double)e->batches_end);

		rc = sift_writer_printf(
			w, err,
			"<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
			"stroke=\"%s\"/>\n"
			"<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
			"stroke=\"%s\"/>\n",
			x, TOP1, x, TOP1 + PH, round_end ? "#999" : "#ddd", x,
			TOP2, x, TOP2 + PH, round_end ? "#999" : "#ddd");
		if (!rc && (i % every == every - 1 || i + 1 == p->n_epoch)) {
			char num[32];

			if (p->epoch[p->n_epoch - 1].round > 0)
				snprintf(num, sizeof num, "%u.%u", e->round,
					 e->epoch);
			else
				snprintf(num, sizeof num, "%u", e->epoch);
			rc = sift_svg_label(w, x, TOP2 + PH + 15, "middle",
					    NULL, num, err);
		}
	}
	if (!rc)
		rc = sift_svg_label(
			w, LEFT + PW / 2.0, TOP2 + PH + 38, "middle", NULL,
			p->epoch && p->epoch[p->n_epoch - 1].round > 0
				? "batches, with the end of each epoch "
				  "(round.epoch of self-training) marked"
				: "batches, with the end of each epoch marked",
			err);
	return rc;
}

static int kept_mark(struct sift_writer *w, const struct sift_trainplot *p,
		     const struct axes *a, struct sift_error *err)
{
	const struct sift_trainplot_epoch *e;
	char what[64];
	double x;
	int rc;

	if (!p->kept)
		return 0;
	e = &p->epoch[p->kept - 1];
	x = px(a, (double)e->batches_end);
	rc = sift_writer_printf(
		w, err,
		"<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
		"stroke=\"#222\" stroke-width=\"1.5\" "
		"stroke-dasharray=\"6,4\"/>\n",
		x, TOP1 - 8, x, TOP2 + PH);
	snprintf(what, sizeof what, "kept: epoch %u", e->epoch);
	return rc ? rc
		  : sift_svg_label(w, x, TOP1 - 12,
				   x > LEFT + PW - 60 ? "end" : "middle",
				   "font-size=\"11\"", what, err);
}

/* One legend entry: a short line or a dot in color, and its words. */
static int key(struct sift_writer *w, double y, const char *color, int width,
	       int dot, const char *words, struct sift_error *err)
{
	int rc = sift_writer_printf(
		w, err,
		"<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
		"stroke=\"%s\" stroke-width=\"%d\"/>\n",
		KEY, y, KEY + 22, y, color, width);

	if (!rc && dot)
		rc = sift_writer_printf(
			w, err,
			"<circle cx=\"%d\" cy=\"%.1f\" r=\"3.5\" "
			"fill=\"%s\"/>\n",
			KEY + 11, y, color);
	return rc ? rc
		  : sift_svg_label(w, KEY + 28, y + 4, "start",
				   "font-size=\"11\"", words, err);
}

static int legend(struct sift_writer *w, const struct sift_trainplot *p,
		  struct sift_error *err)
{
	int v = has_valid(p);
	int rc = key(w, TOP1 + 12, RAW_LOSS, 1, 0, "training loss, per batch",
		     err);

	if (!rc)
		rc = key(w, TOP1 + 30, LOSS, 2, 0, "training loss, smoothed",
			 err);
	if (!rc && v)
		rc = key(w, TOP1 + 48, VALID_LOSS, 2, 1,
			 "validation loss, per epoch", err);
	if (!rc)
		rc = key(w, TOP2 + 12, RAW_ACC, 1, 0,
			 "training accuracy, per batch", err);
	if (!rc)
		rc = key(w, TOP2 + 30, ACC, 2, 0, "training accuracy, smoothed",
			 err);
	if (!rc && v)
		rc = key(w, TOP2 + 48, VALID_F1, 2, 1,
			 "validation macro-F1, per epoch", err);
	return rc;
}

/* The top of the loss axis: the highest smoothed or validation loss,
 * and the raw batches' up to three times that (a spike beyond is cut
 * at the frame, not allowed to flatten the rest). */
static double loss_max(const struct sift_trainplot *p)
{
	double raw = 0, level = 0;

	for (size_t i = 0; i < n_points(p); i++) {
		double v = point_v(p, i, 0);

		if (isfinite(v) && v > raw)
			raw = v;
	}
	for (size_t i = 0; i < p->n_epoch; i++) {
		const struct sift_trainplot_epoch *e = &p->epoch[i];

		if (isfinite(e->train_loss) && e->train_loss > level)
			level = e->train_loss;
		if (e->has_valid && isfinite(e->valid_loss) &&
		    e->valid_loss > level)
			level = e->valid_loss;
	}
	if (level > 0 && raw > 3 * level)
		raw = 3 * level;
	raw = raw > level ? raw : level;
	return raw > 0 ? raw * 1.05 : 1;
}

/* The bottom of the accuracy axis: a step of 0.1 under the lowest of
 * the smoothed accuracy and the validation macro-F1, so that their
 * changes show; a raw batch below is cut at the frame. */
static double acc_min(const struct sift_trainplot *p)
{
	double alpha = ema_alpha(p), ema = NAN, low = 1;

	for (size_t i = 0; i < n_points(p); i++) {
		ema = ema_next(ema, point_v(p, i, 1), alpha);
		if (ema < low)
			low = ema;
	}
	for (size_t i = 0; i < p->n_epoch; i++)
		if (p->epoch[i].has_valid && p->epoch[i].valid_macro_f1 < low)
			low = p->epoch[i].valid_macro_f1;
	low = floor((low - 0.05) * 10) / 10;
	return low > 0 ? low : 0;
}

static int heading(struct sift_writer *w, const struct sift_trainplot *p,
		   struct sift_error *err)
{
	int rc = sift_writer_printf(
		w, err,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		"height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n"
		"<title>",
		WIDTH, HEIGHT);

	if (!rc)
		rc = sift_svg_text(w, p->title, err);
	if (!rc)
		rc = sift_writer_puts(w, "</title>\n", err);
	if (!rc)
		rc = sift_svg_label(w, LEFT, 24, "start",
				    "font-size=\"15\" font-weight=\"bold\"",
				    p->title, err);
	if (!rc && p->subtitle[0])
		rc = sift_svg_label(w, LEFT, 44, "start",
				    "font-size=\"11\" fill=\"#555\"",
				    p->subtitle, err);
	return rc;
}

int sift_trainplot_svg(struct sift_writer *w, const struct sift_trainplot *p,
		       struct sift_error *err)
{
	struct axes loss = { 0, TOP1, 0, 1 }, acc = { 0, TOP2, 0, 1 };
	int rc;

	if (!p->n_batch)
		return sift_error_set(err, SIFT_EDATA,
				      "the run has no batch to draw");
	loss.nx = acc.nx = (double)p->n_batch;
	loss.ymax = loss_max(p);
	acc.ymin = acc_min(p);
	rc = heading(w, p, err);
	if (!rc)
		rc = frame(w, &loss, "loss", err);
	if (!rc)
		rc = frame(w, &acc,
			   has_valid(p) ? "accuracy, macro-F1" : "accuracy",
			   err);
	if (!rc)
		rc = epoch_ticks(w, p, &acc, err);
	if (!rc)
		rc = batch_lines(w, p, &loss, 0, err);
	if (!rc)
		rc = valid_line(w, p, &loss, 0, err);
	if (!rc)
		rc = batch_lines(w, p, &acc, 1, err);
	if (!rc)
		rc = valid_line(w, p, &acc, 1, err);
	if (!rc)
		rc = kept_mark(w, p, &acc, err);
	if (!rc)
		rc = legend(w, p, err);
	return rc ? rc : sift_writer_puts(w, "</svg>\n", err);
}
