/*
 * lib/clean.c - confident learning (Northcutt, Jiang and Chuang, JAIR
 * 2021): the per-class thresholds, the confident joint, its
 * calibration, and the pruning rules that choose the label issues; see
 * sift/clean.h. The conventions where the paper leaves a choice (the
 * 1e-6 margin on thresholds, the diagonal of at least 1, the rounding
 * that keeps row totals, ties at the cut-offs) are cleanlab's, so that
 * the issues are those its find_label_issues returns.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sift/clean.h"

/* cleanlab compares p_j >= t_j - 1e-6: a record whose probability is
 * the class mean, printed and read back, still counts. */
#define THRESHOLD_SLACK 1e-6

static const char *const filter_names[] = {
	[SIFT_CLEAN_PRUNE_BY_NOISE_RATE] = "prune_by_noise_rate",
	[SIFT_CLEAN_PRUNE_BY_CLASS] = "prune_by_class",
	[SIFT_CLEAN_BOTH] = "both",
	[SIFT_CLEAN_CONFIDENT_LEARNING] = "confident_learning",
	[SIFT_CLEAN_PREDICTED_NEQ_GIVEN] = "predicted_neq_given",
};

static const char *const rank_names[] = {
	[SIFT_CLEAN_SELF_CONFIDENCE] = "self_confidence",
	[SIFT_CLEAN_NORMALIZED_MARGIN] = "normalized_margin",
};

static const char *const sort_names[] = {
	[SIFT_CLEAN_SORT_QUALITY] = "quality",
	[SIFT_CLEAN_SORT_INPUT] = "input",
};

#define NELEM(a) (sizeof(a) / sizeof *(a))

static int find_name(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}

const char *sift_clean_filter_name(enum sift_clean_filter f)
{
	return (size_t)f < NELEM(filter_names) ? filter_names[f] : "?";
}

int sift_clean_filter_parse(const char *s)
{
	return find_name(filter_names, NELEM(filter_names), s);
}

const char *sift_clean_rank_name(enum sift_clean_rank r)
{
	return (size_t)r < NELEM(rank_names) ? rank_names[r] : "?";
}

int sift_clean_rank_parse(const char *s)
{
	return find_name(rank_names, NELEM(rank_names), s);
}

const char *sift_clean_sort_name(enum sift_clean_sort o)
{
	return (size_t)o < NELEM(sort_names) ? sort_names[o] : "?";
}

int sift_clean_sort_parse(const char *s)
{
	return find_name(sort_names, NELEM(sort_names), s);
}

int sift_clean_init(struct sift_clean *c, size_t k, enum sift_clean_filter f,
		    struct sift_error *err)
{
	memset(c, 0, sizeof *c);
	c->k = k;
	c->filter = f;
	c->n_given = calloc(k, sizeof *c->n_given);
	c->self_sum = calloc(k, sizeof *c->self_sum);
	c->threshold = calloc(k, sizeof *c->threshold);
	c->joint = calloc(k * k, sizeof *c->joint);
	c->calibrated = calloc(k * k, sizeof *c->calibrated);
	c->prune = calloc(k * k, sizeof *c->prune);
	c->margin_cut = calloc(k * k, sizeof *c->margin_cut);
	c->self_cut = calloc(k, sizeof *c->self_cut);
	if (!c->n_given || !c->self_sum || !c->threshold || !c->joint ||
	    !c->calibrated || !c->prune || !c->margin_cut || !c->self_cut) {
		sift_clean_free(c);
		return sift_error_nomem(err);
	}
	return 0;
}

static void free_heaps(struct sift_clean *c)
{
	for (size_t i = 0; c->margin_top && i < c->k * c->k; i++)
		sift_topk_free(&c->margin_top[i]);
	for (size_t i = 0; c->self_low && i < c->k; i++)
		sift_topk_free(&c->self_low[i]);
	free(c->margin_top);
	free(c->self_low);
	c->margin_top = NULL;
	c->self_low = NULL;
}

void sift_clean_free(struct sift_clean *c)
{
	if (!c)
		return;
	free_heaps(c);
	free(c->n_given);
	free(c->self_sum);
	free(c->threshold);
	free(c->joint);
	free(c->calibrated);
	free(c->prune);
	free(c->margin_cut);
	free(c->self_cut);
	memset(c, 0, sizeof *c);
}

void sift_clean_add_self(struct sift_clean *c, size_t given, const double *p)
{
	c->n++;
	c->n_given[given]++;
	c->self_sum[given] += p[given];
}

void sift_clean_thresholds(struct sift_clean *c)
{
	for (size_t i = 0; i < c->k; i++)
		c->threshold[i] =
			c->n_given[i] ? c->self_sum[i] / (double)c->n_given[i]
				      : INFINITY;
}

size_t sift_clean_argmax(const double *p, size_t k)
{
	size_t best = 0;

	for (size_t j = 1; j < k; j++)
		if (p[j] > p[best])
			best = j;
	return best;
}

long sift_clean_guess(const struct sift_clean *c, const double *p)
{
	long best = -1;

	for (size_t j = 0; j < c->k; j++)
		if (p[j] >= c->threshold[j] - THRESHOLD_SLACK &&
		    (best < 0 || p[j] > p[best]))
			best = (long)j;
	return best;
}

void sift_clean_add_joint(struct sift_clean *c, size_t given, const double *p)
{
	long j = sift_clean_guess(c, p);

	if (j < 0)
		return;
	c->joint[given * c->k + (size_t)j]++;
	c->n_confident++;
}

void sift_clean_round_row(const uint64_t *count, size_t k, uint64_t total,
			  uint64_t *out)
{
	uint64_t sum = 0, have = 0;

	for (size_t j = 0; j < k; j++)
		sum += count[j];
	if (sum == 0) {
		memset(out, 0, k * sizeof *out);
		return;
	}
	/* count[j] * total / sum to the nearest, ties to even; exact, in
	 * integers. */
	for (size_t j = 0; j < k; j++) {
		uint64_t x = count[j] * total, q = x / sum, r = x % sum;

		out[j] = q + (2 * r > sum || (2 * r == sum && q % 2 == 1));
		have += out[j];
	}
	/* Then the largest remainders raised, or the smallest lowered, one
	 * a cell, until the row holds total; among equal remainders the
	 * last is raised first and the first lowered first (cleanlab's
	 * round_preserving_sum, whose stable sort orders them so). The
	 * remainder x - out, times sum, is count * total - out * sum: in
	 * (-sum, sum), compared as signed integers. */
	while (have != total) {
		int up = have < total;
		size_t pick = k;
		int64_t best = 0;

		for (size_t j = 0; j < k; j++) {
			int64_t rem = (int64_t)(count[j] * total) -
				      (int64_t)(out[j] * sum);

			if (pick == k || (up ? rem >= best : rem < best)) {
				pick = j;
				best = rem;
			}
		}
		out[pick] = up ? out[pick] + 1 : out[pick] - 1;
		have = up ? have + 1 : have - 1;
	}
}

/* The joint, row i scaled to the n_i records labeled i (the whole then
 * holds n, as cleanlab's second scaling makes it), rounded keeping the
 * rows' totals. */
static void calibrate_joint(struct sift_clean *c)
{
	size_t k = c->k;

	for (size_t i = 0; i < k; i++)
		sift_clean_round_row(c->joint + i * k, k, c->n_given[i],
				     c->calibrated + i * k);
}

/* m: the calibrated joint with each diagonal cell at least 1; a cell
 * raised takes that record, shared evenly, from the other non-zero
 * cells of its row, and those are cut to whole records (cleanlab's
 * _keep_at_least_n_per_class with n = 1, frac_noise = 1). */
static void prune_counts(struct sift_clean *c)
{
	size_t k = c->k;

	for (size_t i = 0; i < k; i++) {
		const uint64_t *cal = c->calibrated + i * k;
		uint64_t *m = c->prune + i * k;
		double take = cal[i] < 1 ? 1 : 0, others = 0;

		for (size_t j = 0; j < k; j++)
			others += cal[j] != 0;
		others = others - 1 < 1 ? 1 : others - 1;
		for (size_t j = 0; j < k; j++) {
			double x = (double)cal[j] - take / others;

			m[j] = j == i ? (cal[i] < 1 ? 1 : cal[i])
				      : (x > 0 ? (uint64_t)x : 0);
		}
	}
}

int sift_clean_calibrate(struct sift_clean *c, struct sift_error *err)
{
	size_t k = c->k;

	/* The rounding multiplies two counts in 63 bits. */
	if (c->n >= (uint64_t)1 << 31)
		return sift_error_set(err, SIFT_EDATA,
				      "%llu labeled records: confident "
				      "learning counts up to 2^31",
				      (unsigned long long)c->n);
	for (size_t i = 0; i < k; i++)
		if (c->joint[i * k + i] < 1)
			c->joint[i * k + i] = 1;
	calibrate_joint(c);
	prune_counts(c);
	if (!sift_clean_needs_cuts(c))
		return 0;
	c->margin_top = calloc(k * k, sizeof *c->margin_top);
	c->self_low = calloc(k, sizeof *c->self_low);
	if (!c->margin_top || !c->self_low) {
		free_heaps(c);
		return sift_error_nomem(err);
	}
	for (size_t i = 0; i < k; i++) {
		uint64_t keep = c->prune[i * k + i];

		for (size_t j = 0; j < k; j++)
			if (j != i && c->prune[i * k + j] > 0)
				sift_topk_init(&c->margin_top[i * k + j],
					       (size_t)c->prune[i * k + j]);
		/* The n_i - m[i][i] lowest are cut: the next one up is
		 * the cut-off, so one more is kept. */
		if (c->n_given[i] > keep)
			sift_topk_init(&c->self_low[i],
				       (size_t)(c->n_given[i] - keep) + 1);
	}
	return 0;
}

int sift_clean_needs_cuts(const struct sift_clean *c)
{
	return c->filter == SIFT_CLEAN_PRUNE_BY_NOISE_RATE ||
	       c->filter == SIFT_CLEAN_PRUNE_BY_CLASS ||
	       c->filter == SIFT_CLEAN_BOTH;
}

static int offer(struct sift_topk *t, double key, struct sift_error *err)
{
	size_t slot;

	if (t->k == 0)
		return 0;
	return sift_topk_offer(t, key, &slot) < 0 ? sift_error_nomem(err) : 0;
}

int sift_clean_add_cut(struct sift_clean *c, size_t given, const double *p,
		       struct sift_error *err)
{
	size_t k = c->k;
	int rc = 0;

	if (c->filter != SIFT_CLEAN_PRUNE_BY_CLASS)
		for (size_t j = 0; j < k && !rc; j++)
			if (j != given)
				rc = offer(&c->margin_top[given * k + j],
					   p[j] - p[given], err);
	if (!rc && c->filter != SIFT_CLEAN_PRUNE_BY_NOISE_RATE)
		rc = offer(&c->self_low[given], -p[given], err);
	return rc;
}

void sift_clean_cuts(struct sift_clean *c)
{
	size_t k = c->k;

	for (size_t i = 0; c->margin_top && i < k; i++) {
		for (size_t j = 0; j < k; j++) {
			const struct sift_topk *t = &c->margin_top[i * k + j];

			/* No cell to prune, or fewer records than it
			 * counts: nothing, or every record, is cut. */
			c->margin_cut[i * k + j] = t->k == 0 ? INFINITY
						   : t->n < t->k
							   ? -INFINITY
							   : sift_topk_min(t);
		}
		c->self_cut[i] =
			c->self_low[i].k == 0 ||
					c->self_low[i].n < c->self_low[i].k
				? -INFINITY
				: -sift_topk_min(&c->self_low[i]);
	}
	free_heaps(c);
}

static int by_noise_rate(const struct sift_clean *c, size_t given,
			 const double *p)
{
	size_t k = c->k;

	if (c->n_given[given] <= 1)
		return 0;
	for (size_t j = 0; j < k; j++)
		if (j != given && c->prune[given * k + j] > 0 &&
		    p[j] - p[given] >= c->margin_cut[given * k + j])
			return 1;
	return 0;
}

static int by_class(const struct sift_clean *c, size_t given, const double *p)
{
	return c->n_given[given] > 1 && p[given] < c->self_cut[given];
}

int sift_clean_is_issue(const struct sift_clean *c, size_t given,
			const double *p)
{
	long guess;

	if (sift_clean_argmax(p, c->k) == given)
		return 0;
	switch (c->filter) {
	case SIFT_CLEAN_PRUNE_BY_NOISE_RATE:
		return by_noise_rate(c, given, p);
	case SIFT_CLEAN_PRUNE_BY_CLASS:
		return by_class(c, given, p);
	case SIFT_CLEAN_BOTH:
		return by_noise_rate(c, given, p) && by_class(c, given, p);
	case SIFT_CLEAN_CONFIDENT_LEARNING:
		guess = sift_clean_guess(c, p);
		return guess >= 0 && (size_t)guess != given;
	default:
		return 1;
	}
}

double sift_clean_quality(enum sift_clean_rank rank, size_t given,
			  const double *p, size_t k)
{
	double other = 0;

	if (rank == SIFT_CLEAN_SELF_CONFIDENCE)
		return p[given];
	for (size_t j = 0; j < k; j++)
		if (j != given && p[j] > other)
			other = p[j];
	return (p[given] - other + 1) / 2;
}
