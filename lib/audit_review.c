/*
 * lib/audit_review.c - review lists and re-check samples (see sift/review.h).
 */
#include <math.h>
#include <stdlib.h>

#include "sift/review.h"
#include "sift/sampling.h"

uint64_t sift_review_sample_size(uint64_t N, double margin, double z, double p)
{
	double n0, n;

	if (N == 0)
		return 0;
	n0 = z * z * p * (1 - p) / (margin * margin);
	n = n0 / (1 + (n0 - 1) / (double)N);
	/* a hair below an integer is that integer, not the next one */
	n = ceil(n - 1e-9);
	if (n < 1)
		n = 1;
	return n >= (double)N ? N : (uint64_t)n;
}

struct ranked {
	double confidence, disagreement;
	size_t index;
};

static int by_need(const void *pa, const void *pb)
{
	const struct ranked *a = pa, *b = pb;

	if (a->confidence != b->confidence)
		return a->confidence < b->confidence ? -1 : 1;
	if (a->disagreement != b->disagreement)
		return a->disagreement > b->disagreement ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

int sift_review_top(const double *confidence, const double *disagreement,
		    size_t n_items, size_t n, size_t *out, size_t *n_out,
		    struct sift_error *err)
{
	struct ranked *r = malloc((n_items + 1) * sizeof *r);

	if (!r)
		return sift_error_nomem(err);
	for (size_t i = 0; i < n_items; i++) {
		r[i].confidence = confidence[i];
		r[i].disagreement = disagreement[i];
		r[i].index = i;
	}
	qsort(r, n_items, sizeof *r, by_need);
	*n_out = n < n_items ? n : n_items;
	for (size_t i = 0; i < *n_out; i++)
		out[i] = r[i].index;
	free(r);
	return 0;
}

void sift_review_draw(struct sift_rng *rng, size_t n, size_t k, size_t *out)
{
	struct sift_select pick;
	size_t chosen = 0;

	sift_select_init(&pick, k, n);
	for (size_t t = 0; t < n && pick.need > 0; t++)
		if (sift_select_take(&pick, rng))
			out[chosen++] = t;
}
