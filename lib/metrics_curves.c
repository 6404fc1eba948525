/* lib/metrics_curves.c - ROC, precision-recall and threshold sweeps (see
 * sift/curves.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sift/curves.h"

/* ---- sorting ------------------------------------------------------- */

struct keyed {
	uint64_t key;
	uint32_t index;
};

/* The key of a score: for doubles >= 0 the IEEE-754 bits order as
 * unsigned integers, so their complement orders from the highest score
 * down. Adding 0.0 turns -0 into +0. */
static uint64_t descending_key(double x)
{
	uint64_t bits;

	x += 0.0;
	memcpy(&bits, &x, sizeof bits);
	return ~bits;
}

/* One stable counting pass on the 16-bit digit at shift; returns 0 if
 * every key has the same digit there (nothing to do). */
static int radix_pass(const struct keyed *from, struct keyed *to, size_t n,
		      unsigned shift, size_t *count)
{
	memset(count, 0, 65536 * sizeof *count);
	for (size_t i = 0; i < n; i++)
		count[(from[i].key >> shift) & 0xffff]++;
	for (size_t d = 0; d < 65536; d++)
		if (count[d] == n)
			return 0;
	size_t sum = 0;

	for (size_t d = 0; d < 65536; d++) {
		size_t c = count[d];

		count[d] = sum;
		sum += c;
	}
	for (size_t i = 0; i < n; i++)
		to[count[(from[i].key >> shift) & 0xffff]++] = from[i];
	return 1;
}

/* LSD radix sort in four passes of 16 bits; a pass whose digit is the
 * same for every key (common: scores share exponents) is skipped. */
int sift_curves_order(const double *score, size_t n, uint32_t *order,
		      struct sift_error *err)
{
	struct keyed *a = malloc((n ? n : 1) * sizeof *a);
	struct keyed *b = malloc((n ? n : 1) * sizeof *b);
	size_t *count = malloc(65536 * sizeof *count);

	if (!a || !b || !count) {
		free(a);
		free(b);
		free(count);
		return sift_error_nomem(err);
	}
	for (size_t i = 0; i < n; i++) {
		a[i].key = descending_key(score[i]);
		a[i].index = (uint32_t)i;
	}
	for (unsigned shift = 0; shift < 64; shift += 16) {
		if (radix_pass(a, b, n, shift, count)) {
			struct keyed *t = a;

			a = b;
			b = t;
		}
	}
	for (size_t i = 0; i < n; i++)
		order[i] = a[i].index;
	free(a);
	free(b);
	free(count);
	return 0;
}

/* ---- the sweep ------------------------------------------------------ */

static double weight_of(const struct sift_sweep_input *in, size_t i)
{
	double w = in->weight ? in->weight[i] : 1.0;

	return in->mult ? w * in->mult[i] : w;
}

static double fbeta(double tp, double fp, double fn, double beta)
{
	double b2 = beta * beta;
	double den = (1 + b2) * tp + b2 * fn + fp;

	return den > 0 ? (1 + b2) * tp / den : 0.0;
}

static double cost_at(const struct sift_cost2 *c, double tp, double fp,
		      double n_pos, double n_neg)
{
	return tp * c->tp + fp * c->fp + (n_pos - tp) * c->fn +
	       (n_neg - fp) * c->tn;
}

/* The state of the sweep after the records above the current threshold. */
struct sweep_state {
	double tp, fp;
	double auc, ap;
	double best_f, min_cost;
};

/* Account for a group of equal scores that added (dtp, dfp). */
static void sweep_group(struct sweep_state *s, struct sift_sweep *out,
			double score, double dtp, double dfp, double beta,
			const struct sift_cost2 *cost)
{
	double tp = s->tp + dtp, fp = s->fp + dfp;

	/* Trapezoid between (fp, tp) and the previous point: a group of
	 * ties is one diagonal step, which counts each positive-negative
	 * tie as half a correct ordering (Mann-Whitney). */
	s->auc += dfp * (s->tp + tp) / 2;
	if (dtp > 0)
		s->ap += dtp * (tp / (tp + fp));
	double f = fbeta(tp, fp, out->n_pos - tp, beta);

	if (f > s->best_f) {
		s->best_f = f;
		out->best_threshold = score;
		out->best_precision = tp / (tp + fp);
		out->best_recall = out->n_pos > 0 ? tp / out->n_pos : 0;
	}
	if (cost) {
		double c = cost_at(cost, tp, fp, out->n_pos, out->n_neg);

		if (c < s->min_cost) {
			s->min_cost = c;
			out->cost_threshold = score;
		}
	}
	s->tp = tp;
	s->fp = fp;
}

static void sweep_totals(const struct sift_sweep_input *in,
			 struct sift_sweep *out)
{
	double p = 0, q = 0;

	for (size_t i = 0; i < in->n; i++) {
		double w = weight_of(in, i);

		if (in->gold[i] == in->positive_id)
			p += w;
		else
			q += w;
	}
	out->n_pos = p;
	out->n_neg = q;
}

void sift_curves_sweep(const struct sift_sweep_input *in, double beta,
		       const struct sift_cost2 *cost, struct sift_sweep *out)
{
	struct sweep_state s = { 0, 0, 0, 0, -1, INFINITY };

	sweep_totals(in, out);
	out->best_threshold = out->best_f = NAN;
	out->best_precision = out->best_recall = NAN;
	out->cost_threshold = out->min_cost = NAN;
	if (cost && in->n > 0) {
		/* Above the highest score nothing is predicted positive. */
		s.min_cost = cost_at(cost, 0, 0, out->n_pos, out->n_neg);
		out->cost_threshold = nextafter(in->score[0], INFINITY);
	}
	for (size_t i = 0; i < in->n;) {
		double score = in->score[i], dtp = 0, dfp = 0;

		for (; i < in->n && in->score[i] == score; i++) {
			double w = weight_of(in, i);

			if (in->gold[i] == in->positive_id)
				dtp += w;
			else
				dfp += w;
		}
		/* A group of weight 0 (absent from a resample) adds no
		 * point: it must not become a chosen threshold. */
		if (dtp + dfp > 0)
			sweep_group(&s, out, score, dtp, dfp, beta, cost);
	}
	out->roc_auc = out->n_pos > 0 && out->n_neg > 0
			       ? s.auc / (out->n_pos * out->n_neg)
			       : NAN;
	out->ap = out->n_pos > 0 ? s.ap / out->n_pos : NAN;
	if (out->n_pos > 0) {
		out->best_f = s.best_f;
	} else {
		out->best_threshold = out->best_f = NAN;
		out->best_precision = out->best_recall = NAN;
	}
	if (cost) {
		double total = out->n_pos + out->n_neg;

		out->min_cost = total > 0 ? s.min_cost / total : NAN;
	}
}

/* ---- points ----------------------------------------------------------- */

void sift_curve_free(struct sift_curve *curve)
{
	if (!curve)
		return;
	free(curve->threshold);
	free(curve->x);
	free(curve->y);
	memset(curve, 0, sizeof *curve);
}

static void put(struct sift_curve *c, double t, double x, double y)
{
	c->threshold[c->n] = t;
	c->x[c->n] = x;
	c->y[c->n] = y;
	c->n++;
}

static double ratio(double a, double b)
{
	return b > 0 ? a / b : NAN;
}

int sift_curves_points(const struct sift_sweep_input *in,
		       enum sift_curve_kind kind, struct sift_curve *curve,
		       struct sift_error *err)
{
	struct sift_sweep_input all = *in;
	struct sift_sweep tot;
	size_t cap = in->n + 1;
	double tp = 0, fp = 0;

	all.mult = NULL;
	sweep_totals(&all, &tot);
	memset(curve, 0, sizeof *curve);
	curve->threshold = malloc(cap * sizeof(double));
	curve->x = malloc(cap * sizeof(double));
	curve->y = malloc(cap * sizeof(double));
	if (!curve->threshold || !curve->x || !curve->y) {
		sift_curve_free(curve);
		return sift_error_nomem(err);
	}
	if (kind == SIFT_CURVE_ROC)
		put(curve, INFINITY, 0, 0);
	for (size_t i = 0; i < in->n;) {
		double score = in->score[i];

		for (; i < in->n && in->score[i] == score; i++) {
			double w = weight_of(&all, i);

			if (in->gold[i] == in->positive_id)
				tp += w;
			else
				fp += w;
		}
		if (kind == SIFT_CURVE_ROC) {
			put(curve, score, ratio(fp, tot.n_neg),
			    ratio(tp, tot.n_pos));
		} else {
			put(curve, score, ratio(tp, tot.n_pos),
			    ratio(tp, tp + fp));
			if (tp >= tot.n_pos)
				break;
		}
	}
	return 0;
}
