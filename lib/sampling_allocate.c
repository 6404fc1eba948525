/*
 * lib/sampling_allocate.c - sharing a sample size among strata.
 *
 * Continuous targets first: n in proportion to share[], with strata that
 * fall under their floor raised to it and strata that exceed their size
 * capped, repeated on the rest until nothing moves. Then Hamilton's
 * largest-remainder rounding turns the targets into integers that add
 * up to n exactly.
 */
#include <math.h>
#include <stdlib.h>

#include "sift/sampling.h"

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* Fix strata whose proportional target breaks a bound; returns the
 * number fixed in this round. */
static size_t fix_bounds(uint64_t n, size_t k, const uint64_t *size,
			 const double *share, uint64_t floor_n, uint64_t *alloc,
			 char *fixed)
{
	double rest = (double)n, total = 0;
	size_t moved = 0;

	for (size_t h = 0; h < k; h++) {
		if (fixed[h])
			rest -= (double)alloc[h];
		else
			total += share[h];
	}
	for (size_t h = 0; h < k && total > 0; h++) {
		if (fixed[h])
			continue;
		double target = rest * share[h] / total;
		uint64_t lo = min_u64(floor_n, size[h]);

		if (target < (double)lo || target > (double)size[h]) {
			alloc[h] = target < (double)lo ? lo : size[h];
			fixed[h] = 1;
			moved++;
		}
	}
	return moved;
}

int sift_allocate(uint64_t n, size_t k, const uint64_t *size,
		  const double *share, uint64_t floor_n, uint64_t *alloc)
{
	uint64_t total = 0, floors = 0;
	char *fixed;
	double *frac;

	for (size_t h = 0; h < k; h++) {
		total += size[h];
		floors += min_u64(floor_n, size[h]);
	}
	if (floors > n)
		return -1;
	if (total <= n) {
		for (size_t h = 0; h < k; h++)
			alloc[h] = size[h];
		return 0;
	}
	fixed = calloc(k ? k : 1, 1);
	frac = calloc(k ? k : 1, sizeof *frac);
	if (!fixed || !frac) {
		free(fixed);
		free(frac);
		return -2;
	}
	for (size_t h = 0; h < k; h++)
		if (!(share[h] > 0)) {
			alloc[h] = min_u64(floor_n, size[h]);
			fixed[h] = 1;
		}
	while (fix_bounds(n, k, size, share, floor_n, alloc, fixed))
		;

	double rest = (double)n, sum_share = 0;
	uint64_t given = 0;
	for (size_t h = 0; h < k; h++) {
		if (fixed[h]) {
			rest -= (double)alloc[h];
			given += alloc[h];
		} else {
			sum_share += share[h];
		}
	}
	for (size_t h = 0; h < k; h++) {
		if (fixed[h])
			continue;
		double target = sum_share > 0 ? rest * share[h] / sum_share : 0;
		alloc[h] = min_u64((uint64_t)floor(target), size[h]);
		frac[h] = target - floor(target);
		given += alloc[h];
	}
	/* Largest remainders get the units still to give; each pass over
	 * the strata gives at most one unit per stratum. */
	while (given < n) {
		size_t best = k;

		for (size_t h = 0; h < k; h++)
			if (!fixed[h] && alloc[h] < size[h] &&
			    (best == k || frac[h] > frac[best]))
				best = h;
		if (best == k) /* every open stratum is full: widen */
			for (size_t h = 0; h < k && best == k; h++)
				if (alloc[h] < size[h])
					best = h;
		if (best == k)
			break;
		alloc[best]++;
		frac[best] = -1;
		given++;
	}
	free(fixed);
	free(frac);
	return 0;
}
