/*
 * lib/sampling_reservoir.c - skip lengths for uniform and Bernoulli sampling,
 * and selection sampling of k items among n known.
 *
 * The first two decide which items to keep by drawing how many to pass
 * over, not by drawing a number per item: the reader then skips records
 * without splitting them into fields. Selection sampling draws per item,
 * on a pass that looks at every item anyway.
 */
#include <math.h>

#include "sift/sampling.h"

/* A double count of items to skip, as an integer; +inf and counts past
 * 2^63 mean "never". */
static uint64_t to_skip(double s)
{
	if (!(s < 9.2e18))
		return UINT64_MAX;
	return (uint64_t)s;
}

void sift_algl_init(struct sift_algl *a, uint64_t n, struct sift_rng *rng)
{
	a->n = n;
	a->rng = rng;
	a->w = exp(log(sift_rng_uniform_pos(rng)) / (double)n);
}

/* Li (1994), Algorithm L: the gap to the next item that enters is
 * geometric with parameter W, the largest of n uniform keys in the
 * reservoir; after an entry W shrinks by a factor u^(1/n). */
uint64_t sift_algl_skip(struct sift_algl *a)
{
	double u = sift_rng_uniform_pos(a->rng);
	double s = floor(log(u) / log1p(-a->w));

	a->w *= exp(log(sift_rng_uniform_pos(a->rng)) / (double)a->n);
	return to_skip(s);
}

uint64_t sift_geometric_skip(struct sift_rng *rng, double p)
{
	if (p >= 1.0)
		return 0;
	if (p <= 0.0)
		return UINT64_MAX;
	return to_skip(floor(log(sift_rng_uniform_pos(rng)) / log1p(-p)));
}

void sift_select_init(struct sift_select *s, uint64_t k, uint64_t n)
{
	s->need = k < n ? k : n;
	s->left = n;
}

/* Algorithm S: the item is taken when a uniform draw in [0, left) falls
 * below need, that is with probability need / left. */
int sift_select_take(struct sift_select *s, struct sift_rng *rng)
{
	uint64_t left = s->left;

	if (left == 0)
		return 0;
	s->left--;
	if (s->need == 0 || sift_rng_below(rng, left) >= s->need)
		return 0;
	s->need--;
	return 1;
}
