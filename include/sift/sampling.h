/*
 * sift/sampling.h - the random-selection primitives behind sift sample.
 *
 * Each works on positions and weights only, never on records, so that it
 * can be tested exactly and reused (split, rebalance and the samplers of
 * later commands draw on the same ones). Implemented in
 * lib/sampling_reservoir.c (Algorithm L, geometric skips, selection sampling),
 * lib/sampling_topk.c (a keyed reservoir) and lib/sampling_weighted.c
 * (Efraimidis-Spirakis), lib/sampling_allocate.c (strata).
 */
#ifndef SIFT_SAMPLING_H
#define SIFT_SAMPLING_H

#include <stddef.h>
#include <stdint.h>

#include "sift/rng.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- uniform reservoir: Li (1994), "Reservoir-sampling algorithms of
 * time complexity O(n(1 + log(N/n)))", Algorithm L. ------------------- */

struct sift_algl {
	uint64_t n; /* reservoir size, > 0 */
	double w;   /* the running W of the paper */
	struct sift_rng *rng;
};

/* Start a reservoir of n > 0 items; fill it with the first n items. */
void sift_algl_init(struct sift_algl *a, uint64_t n, struct sift_rng *rng);

/* Once the reservoir is full: how many items to pass over before the
 * next one that enters (it replaces a slot drawn uniformly with
 * sift_rng_below(rng, n)). UINT64_MAX means none will. */
uint64_t sift_algl_skip(struct sift_algl *a);

/* ---- Bernoulli: the gaps between kept items are geometric. ----------- */

/* Items to pass over before the next one kept, when each is kept with
 * probability p in [0, 1]; UINT64_MAX for p = 0. */
uint64_t sift_geometric_skip(struct sift_rng *rng, double p);

/* ---- selection sampling: Knuth, TAOCP vol. 2, 3.4.2, Algorithm S
 * (Fan, Muller and Rezucha 1962). Of n items seen in turn, each is taken
 * with probability (items still needed) / (items still to come): exactly
 * k are taken, and every k-subset of the n is equally likely. For a
 * second pass, when n is known; one uniform per item looked at. ------ */

struct sift_select {
	uint64_t need; /* items still to take */
	uint64_t left; /* items still to come */
};

/* Take k of the next n items. k > n is clamped to n: all are taken. */
void sift_select_init(struct sift_select *s, uint64_t k, uint64_t n);

/* For the next item: 1 to take it, 0 to pass it over. While an item is
 * still needed, each call draws sift_rng_below(rng, left) once, also
 * when every item left is needed (the draws are part of what a seed
 * reproduces: sift rebalance and sift audit --review made them so);
 * once none is needed, or after the n-th item, it returns 0 and draws
 * nothing. */
int sift_select_take(struct sift_select *s, struct sift_rng *rng);

/* ---- a keyed reservoir: keep the k items of largest key. ------------- */

struct sift_topk {
	size_t k;     /* capacity */
	size_t n;     /* items held, <= k */
	size_t cap;   /* room in the arrays, grown as items come */
	double *key;  /* key of the item in each slot */
	size_t *heap; /* slots, a min-heap on key */
};

/* Capacity k > 0; memory grows with the items held, not with k.
 * Returns 0. */
int sift_topk_init(struct sift_topk *t, size_t k);
void sift_topk_free(struct sift_topk *t);

/* Offer an item with this key. Returns 1 and the slot (0..k-1) it now
 * occupies, evicting the smallest-keyed item if the reservoir was full;
 * 0 if it does not enter (its key is not above the smallest); -1 when
 * out of memory. */
int sift_topk_offer(struct sift_topk *t, double key, size_t *slot);

/* The smallest key held (the threshold an item must beat once full);
 * -infinity while not full. */
double sift_topk_min(const struct sift_topk *t);

/* The slot holding the smallest key (t->n > 0). */
size_t sift_topk_min_slot(const struct sift_topk *t);

/* ---- weighted sampling without replacement: Efraimidis and Spirakis,
 * "Weighted random sampling with a reservoir" (2006), Algorithm A-ExpJ.
 * Item i gets key u_i^(1/w_i) (kept as its logarithm); the k largest
 * keys are a weighted sample without replacement. Exponential jumps
 * draw one random number per item that enters, not per item seen. ---- */

struct sift_es {
	struct sift_topk top;
	struct sift_rng *rng;
	double jump; /* weight still to pass over before the next entry */
};

int sift_es_init(struct sift_es *es, size_t k, struct sift_rng *rng);
void sift_es_free(struct sift_es *es);

/* Offer an item of weight w >= 0 (0 never enters). Returns 1 and its
 * slot if it enters, 0 if not, -1 when out of memory. */
int sift_es_offer(struct sift_es *es, double w, size_t *slot);

/* The log-key of slot s, log(u^(1/w)) = log(u)/w: -E/w for an
 * exponential E. */
double sift_es_logkey(const struct sift_es *es, size_t slot);

/* ---- allocation of a sample among strata. ---------------------------- */

/* Share n among k strata of the given sizes in proportion to share[]
 * (the sizes for proportional allocation, ones for equal), each stratum
 * getting at least min(floor, size) and at most its size. Fractions are
 * rounded by largest remainder, ties to the earlier stratum, so the
 * allocations add up to n exactly (to the total size when that is
 * smaller). Returns 0, or -1 when the floors alone exceed n. */
int sift_allocate(uint64_t n, size_t k, const uint64_t *size,
		  const double *share, uint64_t floor, uint64_t *alloc);

#ifdef __cplusplus
}
#endif

#endif
