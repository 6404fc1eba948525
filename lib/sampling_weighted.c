/*
 * lib/sampling_weighted.c - weighted reservoir sampling without replacement:
 * Efraimidis and Spirakis (2006), Algorithm A-ExpJ.
 *
 * Keys are kept as logarithms, log(u)/w, so that tiny weights and long
 * streams never underflow u^(1/w) to zero.
 */
#include <math.h>

#include "sift/sampling.h"

int sift_es_init(struct sift_es *es, size_t k, struct sift_rng *rng)
{
	es->rng = rng;
	es->jump = 0;
	return sift_topk_init(&es->top, k);
}

void sift_es_free(struct sift_es *es)
{
	sift_topk_free(&es->top);
}

/* The weight to pass over before the next entry: X_w = log(r)/log(T_w)
 * with T_w the smallest key, here both as logarithms. */
static void draw_jump(struct sift_es *es)
{
	double t = sift_topk_min(&es->top);

	es->jump = log(sift_rng_uniform_pos(es->rng)) / t;
}

int sift_es_offer(struct sift_es *es, double w, size_t *slot)
{
	struct sift_topk *top = &es->top;

	if (!(w > 0))
		return 0;
	if (top->n < top->k) {
		double key = log(sift_rng_uniform_pos(es->rng)) / w;

		if (sift_topk_offer(top, key, slot) < 0)
			return -1;
		if (top->n == top->k)
			draw_jump(es);
		return 1;
	}
	es->jump -= w;
	if (es->jump > 0)
		return 0;
	/* This item enters: its key is uniform on (T_w^w, 1]^(1/w), i.e.
	 * conditioned to beat the smallest key T_w. */
	double t_w = exp(w * sift_topk_min(top));
	double r = t_w + (1.0 - t_w) * sift_rng_uniform_pos(es->rng);
	double key = log(r) / w;

	if (!(key > sift_topk_min(top)))
		key = nextafter(sift_topk_min(top), 0.0);
	sift_topk_offer(top, key, slot);
	draw_jump(es);
	return 1;
}

double sift_es_logkey(const struct sift_es *es, size_t slot)
{
	return es->top.key[slot];
}
