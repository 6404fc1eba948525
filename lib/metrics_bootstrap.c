/* lib/metrics_bootstrap.c - bootstrap resamples and percentile intervals (see
 * sift/bootstrap.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sift/bootstrap.h"

void sift_bootstrap_counts(struct sift_rng *rng, size_t n, uint32_t *counts)
{
	memset(counts, 0, n * sizeof *counts);
	for (size_t i = 0; i < n; i++)
		counts[sift_rng_below(rng, n)]++;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double quantile(const double *v, size_t n, double q)
{
	double h = (double)(n - 1) * q;
	size_t k = (size_t)floor(h);

	if (k + 1 >= n)
		return v[n - 1];
	return v[k] + (h - (double)k) * (v[k + 1] - v[k]);
}

void sift_bootstrap_interval(double *v, size_t n, double level, double *lo,
			     double *hi)
{
	size_t m = 0;

	for (size_t i = 0; i < n; i++)
		if (!isnan(v[i]))
			v[m++] = v[i];
	if (m == 0) {
		*lo = *hi = NAN;
		return;
	}
	qsort(v, m, sizeof *v, cmp_double);
	*lo = quantile(v, m, (1 - level) / 2);
	*hi = quantile(v, m, 1 - (1 - level) / 2);
}
