/*
 * lib/audit_agreement.c - agreement statistics and annotator flags (see
 * sift/agreement.h for the contracts and the papers).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sift/agreement.h"

int sift_agree_counts(const struct sift_agree_ratings *r, unsigned **counts,
		      struct sift_error *err)
{
	size_t K = r->n_cats;

	*counts = calloc(r->n_items * K + 1, sizeof **counts);
	if (!*counts)
		return sift_error_nomem(err);
	for (size_t i = 0; i < r->n_items; i++)
		for (size_t o = r->start[i]; o < r->start[i + 1]; o++)
			(*counts)[i * K + r->label[o]]++;
	return 0;
}

static double row_total(const unsigned *row, size_t K)
{
	double m = 0;

	for (size_t c = 0; c < K; c++)
		m += row[c];
	return m;
}

/* The share of agreeing pairs among an item's m ratings. */
static double pair_share(const unsigned *row, size_t K, double m)
{
	double agree = 0;

	for (size_t c = 0; c < K; c++)
		agree += (double)row[c] * ((double)row[c] - 1);
	return agree / (m * (m - 1));
}

double sift_agree_observed(const unsigned *counts, size_t n_items,
			   size_t n_cats, size_t *n_used)
{
	double sum = 0;
	size_t used = 0;

	for (size_t i = 0; i < n_items; i++) {
		const unsigned *row = counts + i * n_cats;
		double m = row_total(row, n_cats);

		if (m < 2)
			continue;
		sum += pair_share(row, n_cats, m);
		used++;
	}
	if (n_used)
		*n_used = used;
	return used ? sum / (double)used : NAN;
}

double sift_agree_fleiss(const unsigned *counts, size_t n_items, size_t n_cats)
{
	double *p = calloc(n_cats + 1, sizeof *p), total = 0, pe = 0, po;
	size_t used;

	if (!p)
		return NAN;
	for (size_t i = 0; i < n_items; i++) {
		const unsigned *row = counts + i * n_cats;
		double m = row_total(row, n_cats);

		if (m < 2)
			continue;
		for (size_t c = 0; c < n_cats; c++)
			p[c] += row[c];
		total += m;
	}
	for (size_t c = 0; c < n_cats && total > 0; c++)
		pe += (p[c] / total) * (p[c] / total);
	free(p);
	po = sift_agree_observed(counts, n_items, n_cats, &used);
	if (!used || pe >= 1)
		return NAN;
	return (po - pe) / (1 - pe);
}

static const char *const level_names[] = { "nominal", "ordinal", "interval",
					   "ratio" };

int sift_agree_level_parse(const char *name)
{
	for (int l = 0; l < 4; l++)
		if (strcmp(name, level_names[l]) == 0)
			return l;
	return -1;
}

const char *sift_agree_level_name(enum sift_agree_level level)
{
	return level_names[level];
}

static double value_of(const double *value, size_t c)
{
	return value ? value[c] : (double)c;
}

/* Categories in the order of their values (ordinal ranks). */
static size_t *rank_order(const double *value, size_t K)
{
	size_t *order = malloc((K + 1) * sizeof *order);

	if (!order)
		return NULL;
	for (size_t c = 0; c < K; c++) {
		size_t j = c;

		/* insertion sort: K is the number of labels, small */
		while (j > 0 &&
		       value_of(value, order[j - 1]) > value_of(value, c)) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = c;
	}
	return order;
}

/* Krippendorff's metric delta^2 between categories a and b. For
 * ordinal, pos[c] is c's rank and n_c the marginals of the coincidence
 * matrix. */
static double delta2(enum sift_agree_level level, const double *value,
		     const size_t *order, const size_t *pos, const double *nc,
		     size_t a, size_t b)
{
	double va = value_of(value, a), vb = value_of(value, b), s;

	if (a == b)
		return 0;
	switch (level) {
	case SIFT_LEVEL_NOMINAL:
		return 1;
	case SIFT_LEVEL_ORDINAL: {
		size_t lo = pos[a] < pos[b] ? pos[a] : pos[b];
		size_t hi = pos[a] ^ pos[b] ^ lo;

		s = 0;
		for (size_t g = lo; g <= hi; g++)
			s += nc[order[g]];
		s -= (nc[a] + nc[b]) / 2;
		return s * s;
	}
	case SIFT_LEVEL_INTERVAL:
		return (va - vb) * (va - vb);
	case SIFT_LEVEL_RATIO:
		s = va + vb;
		return s == 0 ? 0 : ((va - vb) / s) * ((va - vb) / s);
	}
	return 1;
}

/* The coincidence matrix o (K x K) of the pairable items. */
static void coincidences(const unsigned *counts, size_t n_items, size_t K,
			 double *o)
{
	for (size_t i = 0; i < n_items; i++) {
		const unsigned *row = counts + i * K;
		double m = row_total(row, K);

		if (m < 2)
			continue;
		for (size_t a = 0; a < K; a++) {
			if (!row[a])
				continue;
			for (size_t b = 0; b < K; b++)
				o[a * K + b] += (double)row[a] *
						((double)row[b] - (a == b)) /
						(m - 1);
		}
	}
}

double sift_agree_alpha(const unsigned *counts, size_t n_items, size_t n_cats,
			const double *value, enum sift_agree_level level)
{
	size_t K = n_cats;
	double *o = calloc(K * K + 1, sizeof *o),
	       *nc = calloc(K + 1, sizeof *nc);
	size_t *order = rank_order(value, K),
	       *pos = malloc((K + 1) * sizeof *pos);
	double n = 0, dobs = 0, dexp = 0, alpha = NAN;

	if (!o || !nc || !order || !pos)
		goto out;
	coincidences(counts, n_items, K, o);
	for (size_t a = 0; a < K; a++) {
		pos[order[a]] = a;
		for (size_t b = 0; b < K; b++)
			nc[a] += o[a * K + b];
		n += nc[a];
	}
	for (size_t a = 0; a < K; a++)
		for (size_t b = 0; b < K; b++) {
			double d = delta2(level, value, order, pos, nc, a, b);

			dobs += o[a * K + b] * d;
			dexp += nc[a] * nc[b] * d;
		}
	if (n > 1 && dexp > 0)
		alpha = 1 - (n - 1) * dobs / dexp;
out:
	free(o);
	free(nc);
	free(order);
	free(pos);
	return alpha;
}

static double cohen_weight(enum sift_agree_weight weight, size_t a, size_t b,
			   size_t K)
{
	double d = a > b ? (double)(a - b) : (double)(b - a);

	switch (weight) {
	case SIFT_WEIGHT_LINEAR:
		return d / (double)(K - 1);
	case SIFT_WEIGHT_QUADRATIC:
		return (d / (double)(K - 1)) * (d / (double)(K - 1));
	case SIFT_WEIGHT_NONE:
		break;
	}
	return a != b;
}

double sift_agree_cohen(const double *table, size_t n_cats,
			enum sift_agree_weight weight)
{
	size_t K = n_cats;
	double n = 0, obs = 0, exp_ = 0;

	if (K < 2)
		return NAN;
	for (size_t c = 0; c < K * K; c++)
		n += table[c];
	if (n <= 0)
		return NAN;
	for (size_t a = 0; a < K; a++) {
		double row = 0;

		for (size_t b = 0; b < K; b++)
			row += table[a * K + b];
		for (size_t b = 0; b < K; b++) {
			double col = 0, w = cohen_weight(weight, a, b, K);

			for (size_t x = 0; x < K; x++)
				col += table[x * K + b];
			obs += w * table[a * K + b];
			exp_ += w * row * col / n;
		}
	}
	return exp_ > 0 ? 1 - obs / exp_ : NAN;
}

/* The ratings regrouped by rater: rater j's are items[o], labels[o] for
 * o in first[j] .. first[j + 1] - 1. */
struct by_rater {
	size_t *first, *items;
	unsigned *labels;
};

static int group_by_rater(const struct sift_agree_ratings *r,
			  struct by_rater *g)
{
	size_t n_obs = r->start[r->n_items], J = r->n_raters;
	size_t *fill = calloc(J + 1, sizeof *fill);

	g->first = calloc(J + 1, sizeof *g->first);
	g->items = malloc((n_obs + 1) * sizeof *g->items);
	g->labels = malloc((n_obs + 1) * sizeof *g->labels);
	if (!fill || !g->first || !g->items || !g->labels) {
		free(fill);
		return -1;
	}
	for (size_t o = 0; o < n_obs; o++)
		g->first[r->rater[o] + 1]++;
	for (size_t j = 0; j < J; j++)
		g->first[j + 1] += g->first[j];
	for (size_t i = 0; i < r->n_items; i++)
		for (size_t o = r->start[i]; o < r->start[i + 1]; o++) {
			size_t j = r->rater[o], at = g->first[j] + fill[j]++;

			g->items[at] = i;
			g->labels[at] = r->label[o];
		}
	free(fill);
	return 0;
}

/* One pair: rater a's labels are in lab_a (by item, n_cats if none). */
static void pair_kappa(const struct sift_agree_ratings *r,
		       const struct by_rater *g, const unsigned *lab_a,
		       size_t b, double *table, size_t *shared, double *kappa)
{
	size_t K = r->n_cats, n = 0;

	memset(table, 0, K * K * sizeof *table);
	for (size_t o = g->first[b]; o < g->first[b + 1]; o++) {
		unsigned la = lab_a[g->items[o]];

		if (la < K) {
			table[la * K + g->labels[o]]++;
			n++;
		}
	}
	*shared = n;
	*kappa = sift_agree_cohen(table, K, SIFT_WEIGHT_NONE);
}

/* Every pair (a, b) costs rater b's ratings, so the whole matrix costs
 * n_raters x n_ratings / 2 steps and O(n_items + K^2) memory: no
 * n_raters^2 x K^2 tables. */
int sift_agree_pairwise(const struct sift_agree_ratings *r, size_t min_overlap,
			double **kappa, size_t **overlap,
			struct sift_error *err)
{
	size_t J = r->n_raters, K = r->n_cats;
	struct by_rater g = { NULL, NULL, NULL };
	unsigned *lab_a = malloc((r->n_items + 1) * sizeof *lab_a);
	double *table = malloc((K * K + 1) * sizeof *table);
	int rc = 0;

	*kappa = malloc((J * J + 1) * sizeof **kappa);
	*overlap = calloc(J * J + 1, sizeof **overlap);
	if (!lab_a || !table || !*kappa || !*overlap || group_by_rater(r, &g)) {
		rc = sift_error_nomem(err);
		free(*kappa);
		free(*overlap);
		*kappa = NULL;
		*overlap = NULL;
		goto out;
	}
	for (size_t a = 0; a < J; a++) {
		(*kappa)[a * J + a] = NAN;
		for (size_t i = 0; i < r->n_items; i++)
			lab_a[i] = (unsigned)K;
		for (size_t o = g.first[a]; o < g.first[a + 1]; o++)
			lab_a[g.items[o]] = g.labels[o];
		for (size_t b = a + 1; b < J; b++) {
			size_t n;
			double k;

			pair_kappa(r, &g, lab_a, b, table, &n, &k);
			if (n < min_overlap || n == 0)
				k = NAN;
			(*kappa)[a * J + b] = (*kappa)[b * J + a] = k;
			(*overlap)[a * J + b] = (*overlap)[b * J + a] = n;
		}
	}
out:
	free(lab_a);
	free(table);
	free(g.first);
	free(g.items);
	free(g.labels);
	return rc;
}

void sift_agree_majority(const unsigned *counts, size_t n_items, size_t n_cats,
			 unsigned *consensus, double *share)
{
	for (size_t i = 0; i < n_items; i++) {
		const unsigned *row = counts + i * n_cats;
		size_t best = 0;
		double m = row_total(row, n_cats);

		for (size_t c = 1; c < n_cats; c++)
			if (row[c] > row[best])
				best = c;
		if (consensus)
			consensus[i] = (unsigned)best;
		if (share)
			share[i] = m > 0 ? row[best] / m : 0;
	}
}

/* The credit of saying `label` on an item whose other ratings are
 * row minus that one: 1/m if label is among the m most frequent. */
static double loo_credit(const unsigned *row, size_t K, unsigned label)
{
	unsigned max = 0, mine = row[label] - 1, ties = 0;

	for (size_t c = 0; c < K; c++) {
		unsigned n = row[c] - (c == label);

		if (n > max) {
			max = n;
			ties = 1;
		} else if (n == max) {
			ties++;
		}
	}
	return mine == max ? 1.0 / ties : 0;
}

void sift_agree_loo(const struct sift_agree_ratings *r, const unsigned *counts,
		    double *loo, size_t *shared)
{
	size_t J = r->n_raters, K = r->n_cats;

	/* shared[] counts, loo[] sums credits; divided at the end */
	for (size_t j = 0; j < J; j++) {
		loo[j] = 0;
		shared[j] = 0;
	}
	for (size_t i = 0; i < r->n_items; i++) {
		if (r->start[i + 1] - r->start[i] < 2)
			continue;
		for (size_t o = r->start[i]; o < r->start[i + 1]; o++) {
			size_t j = r->rater[o];

			loo[j] += loo_credit(counts + i * K, K, r->label[o]);
			shared[j]++;
		}
	}
	for (size_t j = 0; j < J; j++)
		loo[j] = shared[j] ? loo[j] / (double)shared[j] : NAN;
}

void sift_agree_wilson(double successes, double n, double z, double *lo,
		       double *hi)
{
	double p, z2n, centre, half;

	if (n <= 0) {
		*lo = 0;
		*hi = 1;
		return;
	}
	p = successes / n;
	z2n = z * z / n;
	centre = (p + z2n / 2) / (1 + z2n);
	half = z / (1 + z2n) * sqrt(p * (1 - p) / n + z2n / (4 * n));
	*lo = fmax(0, centre - half);
	*hi = fmin(1, centre + half);
}

/* Acklam's coefficients (P. J. Acklam, "An algorithm for computing the
 * inverse normal cumulative distribution function", 2003). */
static const double qa[] = { -3.969683028665376e+01, 2.209460984245205e+02,
			     -2.759285104469687e+02, 1.383577518672690e+02,
			     -3.066479806614716e+01, 2.506628277459239e+00 };
static const double qb[] = { -5.447609879822406e+01, 1.615858368580409e+02,
			     -1.556989798598866e+02, 6.680131188771972e+01,
			     -1.328068155288572e+01 };
static const double qc[] = { -7.784894002430293e-03, -3.223964580411365e-01,
			     -2.400758277161838e+00, -2.549732539343734e+00,
			     4.374664141464968e+00,  2.938163982698783e+00 };
static const double qd[] = { 7.784695709041462e-03, 3.224671290700398e-01,
			     2.445134137142996e+00, 3.754408661907416e+00 };

static double tail(double q)
{
	return (((((qc[0] * q + qc[1]) * q + qc[2]) * q + qc[3]) * q + qc[4]) *
			q +
		qc[5]) /
	       ((((qd[0] * q + qd[1]) * q + qd[2]) * q + qd[3]) * q + 1);
}

double sift_agree_normal_quantile(double p)
{
	double x, q, r, e, u;

	if (!(p > 0 && p < 1))
		return p == 0 ? -INFINITY : p == 1 ? INFINITY : NAN;
	if (p < 0.02425) {
		x = tail(sqrt(-2 * log(p)));
	} else if (p > 1 - 0.02425) {
		x = -tail(sqrt(-2 * log(1 - p)));
	} else {
		q = p - 0.5;
		r = q * q;
		x = (((((qa[0] * r + qa[1]) * r + qa[2]) * r + qa[3]) * r +
		      qa[4]) *
			     r +
		     qa[5]) *
		    q /
		    (((((qb[0] * r + qb[1]) * r + qb[2]) * r + qb[3]) * r +
		      qb[4]) *
			     r +
		     1);
	}
	/* one Halley step on erfc brings it to full precision */
	e = 0.5 * erfc(-x / sqrt(2)) - p;
	u = e * 2.5066282746310002 * exp(x * x / 2); /* sqrt(2 pi) */
	return x - u / (1 + x * u / 2);
}

/* The label said most above its consensus share, or K if none is
 * clearly so. */
static size_t bias_label(const struct sift_agree_profile *p, double n)
{
	size_t best = p->n_cats;
	double best_diff = 0;

	for (size_t c = 0; c < p->n_cats; c++) {
		double s = p->said[c] / n, e = p->consensus[c] / n;
		double se = sqrt(fmax(e * (1 - e), 1 / n) / n), d = s - e;

		if (d >= 0.15 && d >= 3 * se && d > best_diff) {
			best = c;
			best_diff = d;
		}
	}
	return best;
}

unsigned sift_agree_flags(const struct sift_agree_profile *p, size_t *biased_to)
{
	double n = 0;
	size_t used = 0, label;

	if (p->shared < p->min_overlap || p->shared == 0)
		return SIFT_FLAG_OVERLAP;
	for (size_t c = 0; c < p->n_cats; c++) {
		n += p->said[c];
		used += p->said[c] > 0;
	}
	if (used == 1 && n >= 2 && p->n_cats >= 2)
		return SIFT_FLAG_CONSTANT;
	if (!isnan(p->kappa) && p->kappa < 0.2)
		return SIFT_FLAG_RANDOM;
	label = n > 0 ? bias_label(p, n) : p->n_cats;
	if (label < p->n_cats) {
		if (biased_to)
			*biased_to = label;
		return SIFT_FLAG_BIASED;
	}
	return 0;
}

const char *sift_agree_flag_name(unsigned bit)
{
	switch (bit) {
	case SIFT_FLAG_RANDOM:
		return "near-random";
	case SIFT_FLAG_CONSTANT:
		return "always the same label";
	case SIFT_FLAG_BIASED:
		return "biased toward a label";
	case SIFT_FLAG_OVERLAP:
		return "too little overlap to judge";
	}
	return "";
}
