/*
 * lib/sample_uncertainty.c - uncertainty sampling for active learning (Lewis
 * and Gale 1994; the measures as in Settles, "Active learning literature
 * survey", 2009): from records that carry a model's class probabilities,
 * the n it is least sure of; a share --mix of them drawn at random from
 * the rest instead, so that the labeled set keeps seeing the population.
 *
 * One pass, memory for 2n records: the most uncertain n - r records by
 * score, and the n smallest random keys, of which the r smallest that
 * are not among the uncertain ones make the random part (a uniform
 * r-subset of the other records).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sift/parse.h"
#include "sift/sampling.h"
#include "sample_method.h"

double sift_uncertainty_score(enum sift_uncertainty m, const double *p,
			      size_t k)
{
	double first = 0, second = 0, h = 0;

	for (size_t i = 0; i < k; i++) {
		if (p[i] > first) {
			second = first;
			first = p[i];
		} else if (p[i] > second) {
			second = p[i];
		}
		if (p[i] > 0)
			h -= p[i] * log(p[i]);
	}
	switch (m) {
	case SIFT_LEAST_CONFIDENCE:
		return 1 - first;
	case SIFT_MARGIN:
		return 1 - (first - second);
	default:
		return h;
	}
}

static int by_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

struct proba {
	size_t *cols;
	size_t k;
	double *p;
};

static int find_proba_columns(struct sampler *c, struct proba *pr)
{
	const char *prefix = c->o->uncertainty.proba_prefix
				     ? c->o->uncertainty.proba_prefix
				     : "p_";
	size_t n = sift_reader_ncols(c->r), plen = strlen(prefix);

	pr->cols = malloc((n ? n : 1) * sizeof *pr->cols);
	pr->p = malloc((n ? n : 1) * sizeof *pr->p);
	if (!pr->cols || !pr->p)
		return sift_error_nomem(c->err);
	for (size_t i = 0; i < n; i++)
		if (strncmp(sift_reader_colname(c->r, i), prefix, plen) == 0)
			pr->cols[pr->k++] = i;
	if (pr->k < 2)
		return sift_error_set(c->err, SIFT_EDATA,
				      "%s: uncertainty needs a probability "
				      "column per class, named %s<label> (as "
				      "sift predict writes them); %zu found",
				      sift_reader_name(c->r), prefix, pr->k);
	return 0;
}

static int read_proba(struct sampler *c, const struct sift_record *rec,
		      struct proba *pr)
{
	double sum = 0;

	for (size_t i = 0; i < pr->k; i++) {
		const char *s;
		size_t len;
		int rc = sift_reader_field(c->r, pr->cols[i], &s, &len, c->err);

		if (rc)
			return rc;
		if (sift_parse_double(s, len, &pr->p[i]) != 0 || pr->p[i] < 0 ||
		    pr->p[i] > 1)
			return sift_reader_column_error(
				c->r, rec->line, pr->cols[i], NULL, s, len,
				"is not a probability", c->err);
		sum += pr->p[i];
	}
	/* Probabilities printed with a few digits sum to 1 only roughly. */
	if (fabs(sum - 1) > 1e-3)
		return sift_error_set(c->err, SIFT_EDATA,
				      "%s:%llu: the class probabilities sum "
				      "to %g, not 1",
				      sift_reader_name(c->r),
				      (unsigned long long)rec->line, sum);
	return 0;
}

static int sample_uncertainty(struct sampler *c)
{
	const uint64_t n = c->o->uncertainty.n;
	const uint64_t n_random =
		(uint64_t)llround((double)n * c->o->uncertainty.mix);
	const struct sift_record *rec;
	struct proba pr = { NULL, 0, NULL };
	struct sift_topk sure = { 0 }, rand_top = { 0 };
	struct sample_record *sure_slots = NULL, *rand_slots = NULL;
	size_t sure_cap = 0, rand_cap = 0;
	int rc = find_proba_columns(c, &pr);

	sift_topk_init(&sure, (size_t)(n - n_random ? n - n_random : 1));
	sift_topk_init(&rand_top, (size_t)(n ? n : 1));
	while (!rc && n > 0) {
		size_t slot;
		int entered;

		rc = sample_next(c, &rec);
		if (rc || !rec)
			break;
		rc = read_proba(c, rec, &pr);
		if (rc)
			break;
		double score = sift_uncertainty_score(c->o->uncertainty.measure,
						      pr.p, pr.k);
		if (n - n_random > 0) {
			entered = sift_topk_offer(&sure, score, &slot);
			if (entered > 0)
				rc = sample_copy_at(c, &sure_slots, &sure_cap,
						    slot, rec, score);
			if (entered < 0)
				rc = sift_error_nomem(c->err);
		}
		if (!rc && n_random > 0) {
			double key = sift_rng_uniform_pos(&c->rng);

			entered = sift_topk_offer(&rand_top, -key, &slot);
			if (entered > 0) {
				rc = sample_copy_at(c, &rand_slots, &rand_cap,
						    slot, rec, score);
				if (!rc)
					rand_slots[slot].key = key;
			}
			if (entered < 0)
				rc = sift_error_nomem(c->err);
		}
	}
	if (!rc && n == 0)
		rc = sift_reader_skip(c->r, UINT64_MAX, NULL, c->err);
	c->st->n_in = sift_reader_count(c->r);
	if (!rc) {
		size_t total = sure.n + rand_top.n, k = 0;
		struct sample_record **all =
			malloc((total ? total : 1) * sizeof *all);

		if (!all)
			rc = sift_error_nomem(c->err);
		for (size_t i = 0; all && i < sure.n; i++)
			all[k++] = &sure_slots[i];
		/* The random part: smallest keys first, skipping records
		 * already among the uncertain ones. */
		uint64_t *sure_idx =
			malloc((sure.n ? sure.n : 1) * sizeof *sure_idx);
		if (!sure_idx)
			rc = sift_error_nomem(c->err);
		for (size_t i = 0; sure_idx && i < sure.n; i++)
			sure_idx[i] = sure_slots[i].index;
		if (sure_idx)
			qsort(sure_idx, sure.n, sizeof *sure_idx, by_u64);
		if (all && sure_idx && rand_top.n)
			qsort(rand_slots, rand_top.n, sizeof *rand_slots,
			      sample_by_key);
		for (size_t i = 0, taken = 0;
		     all && sure_idx && i < rand_top.n && taken < n_random;
		     i++) {
			if (bsearch(&rand_slots[i].index, sure_idx, sure.n,
				    sizeof *sure_idx, by_u64))
				continue;
			all[k++] = &rand_slots[i];
			taken++;
		}
		free(sure_idx);
		if (all && !rc)
			rc = sample_write_held(c, all, k);
		free(all);
	}
	sample_free_records(sure_slots, sure_cap);
	sample_free_records(rand_slots, rand_cap);
	sift_topk_free(&sure);
	sift_topk_free(&rand_top);
	free(pr.cols);
	free(pr.p);
	return rc;
}

static int uncertainty_check(const struct sift_sample_opts *o,
			     struct sift_error *err)
{
	if (!(o->uncertainty.mix >= 0 && o->uncertainty.mix <= 1))
		return sift_error_set(err, SIFT_EUSAGE,
				      "uncertainty.mix: %g is not a share in "
				      "[0, 1]",
				      o->uncertainty.mix);
	return 0;
}

const struct sample_method sample_method_uncertainty = {
	.passes = 1,
	.check = uncertainty_check,
	.run = sample_uncertainty,
};
