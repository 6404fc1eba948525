/*
 * lib/rebalance_smote.c - the geometry and the draws of SMOTE (Chawla et al.
 * 2002); see sift/smote.h. lib/rebalance.c reads and writes the records.
 */
#include <stdlib.h>
#include <string.h>

#include "sift/smote.h"

static double dist2(const double *a, const double *b, size_t d)
{
	double s = 0;

	for (size_t j = 0; j < d; j++) {
		double t = a[j] - b[j];

		s += t * t;
	}
	return s;
}

/* Insert candidate c at distance dc into the sorted list of the m <= k
 * nearest so far; a tie keeps the earlier point ahead. */
static size_t insert(size_t *best, double *bd, size_t m, size_t k, size_t c,
		     double dc)
{
	size_t pos = m < k ? m : k - 1;

	if (m == k && !(dc < bd[k - 1]))
		return m;
	while (pos > 0 && dc < bd[pos - 1]) {
		if (pos < k) {
			best[pos] = best[pos - 1];
			bd[pos] = bd[pos - 1];
		}
		pos--;
	}
	best[pos] = c;
	bd[pos] = dc;
	return m < k ? m + 1 : k;
}

int sift_smote_neighbours(const double *x, size_t n, size_t d, size_t k,
			  size_t *nn)
{
	double *bd = malloc((k ? k : 1) * sizeof *bd);

	if (!bd)
		return -1;
	for (size_t i = 0; i < n; i++) {
		size_t *best = nn + i * k, m = 0;

		for (size_t c = 0; c < n && k > 0; c++)
			if (c != i)
				m = insert(best, bd, m, k, c,
					   dist2(x + i * d, x + c * d, d));
	}
	free(bd);
	return 0;
}

void sift_smote_point(const double *a, const double *b, size_t d, double u,
		      double *out)
{
	for (size_t j = 0; j < d; j++)
		out[j] = a[j] + u * (b[j] - a[j]);
}

int sift_smote_plan(struct sift_rng *rng, size_t n, size_t k, const size_t *nn,
		    struct sift_smote_draw *draws, size_t m)
{
	for (size_t i = 0; i < m; i++) {
		size_t base = (size_t)sift_rng_below(rng, n);
		size_t j = (size_t)sift_rng_below(rng, k);

		draws[i].base = base;
		draws[i].neighbour = nn[base * k + j];
		draws[i].u = sift_rng_uniform(rng);
	}
	/* A counting sort by base: stable, O(n + m). */
	if (m < 2)
		return 0;
	size_t *start = calloc(n + 1, sizeof *start);
	struct sift_smote_draw *tmp = malloc(m * sizeof *tmp);

	if (!start || !tmp) {
		free(start);
		free(tmp);
		return -1;
	}
	for (size_t i = 0; i < m; i++)
		start[draws[i].base + 1]++;
	for (size_t b = 0; b < n; b++)
		start[b + 1] += start[b];
	for (size_t i = 0; i < m; i++)
		tmp[start[draws[i].base]++] = draws[i];
	memcpy(draws, tmp, m * sizeof *draws);
	free(start);
	free(tmp);
	return 0;
}
