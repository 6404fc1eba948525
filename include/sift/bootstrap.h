/*
 * sift/bootstrap.h - the nonparametric bootstrap (Efron 1979) with
 * percentile intervals (Efron and Tibshirani 1993, ch. 13).
 *
 * A resample is drawn as counts: counts[i] is how many times record i
 * is drawn among n draws with replacement. A statistic computed with
 * each record's weight multiplied by its count is the statistic of the
 * resample, and records keep the order they are in (so data sorted once
 * by score stays sorted in every resample).
 */
#ifndef SIFT_BOOTSTRAP_H
#define SIFT_BOOTSTRAP_H

#include <stddef.h>
#include <stdint.h>

#include "sift/rng.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Fill counts[0..n) with the multiplicities of n uniform draws. */
void sift_bootstrap_counts(struct sift_rng *rng, size_t n, uint32_t *counts);

/* The percentile interval at level (0.95: the 2.5% and 97.5% points)
 * of the n values v, which are sorted in place; NaN values (a resample
 * in which the statistic was undefined) are left out. Quantiles are
 * interpolated linearly between order statistics (numpy's default).
 * Both ends are NaN when no value is a number. */
void sift_bootstrap_interval(double *v, size_t n, double level, double *lo,
			     double *hi);

#ifdef __cplusplus
}
#endif

#endif
