/*
 * sift/reliability.h - calibration bins of a scorer: the reliability
 * diagram, the expected and maximum calibration errors.
 *
 * Each record has a probability p (a binary scorer's score of the
 * positive class, or a multiclass model's top-label confidence) and an
 * outcome y in {0, 1} (gold is the positive class, or the top label is
 * right). The records are binned by p, and each bin compares its mean p
 * with its mean y, weighted. The edges follow scikit-learn's
 * calibration_curve, so the numbers can be checked against it:
 *
 *  - equal-width (strategy='uniform'): edges j/N, j = 0..N;
 *  - equal-mass (strategy='quantile'): edge j is the j/N quantile of p,
 *    interpolated linearly between neighbouring records as numpy's
 *    percentile does; with weights, record i (ascending, weight w_i > 0)
 *    sits at the position S_i (the weight of the records before it) on a
 *    scale of S_last (the weight before the last one), which is numpy's
 *    index when every weight is 1.
 *
 * A record goes to the bin whose upper edge is the first edge >= p
 * (numpy's searchsorted on the inner edges): a p equal to an edge goes
 * down, bin 0 is [edge 0, edge 1] and bin b > 0 is (edge b, edge b+1].
 * Equal p always share a bin. One pass over the records in order of p.
 */
#ifndef SIFT_RELIABILITY_H
#define SIFT_RELIABILITY_H

#include <stddef.h>
#include <stdint.h>

#include "sift/error.h"

#ifdef __cplusplus
extern "C" {
#endif

enum sift_bins_kind { SIFT_BINS_UNIFORM, SIFT_BINS_QUANTILE };

/* The records, from the highest p down: in place (order NULL), or
 * through order[0..n), the indices of p from the highest down. The
 * outcome of record i is hit[i] when hit is not NULL, else gold[i] ==
 * positive_id. weight NULL: all 1; mult NULL: all 1 (a bootstrap
 * resample's counts). p is in [0, 1]. */
struct sift_reliability_input {
	size_t n;
	const double *p;
	const uint32_t *order;
	const uint32_t *gold;
	uint32_t positive_id;
	const uint8_t *hit;
	const double *weight;
	const uint32_t *mult;
};

/* One bin: its edges (lo excluded but for bin 0, hi included), its
 * records (times mult), their weight, and the weighted sums of p and y. */
struct sift_reliability_bin {
	double lo, hi;
	double count;
	double weight;
	double sum_p, sum_y;
};

/* Fill bins[0..n_bins) (n_bins >= 1) with the bins of in. edges is
 * scratch of n_bins + 1 doubles. Equal-mass edges of records whose
 * weights are all 0 are all 0. Never fails. */
void sift_reliability_bins(const struct sift_reliability_input *in,
			   enum sift_bins_kind kind, size_t n_bins,
			   double *edges, struct sift_reliability_bin *bins);

/* The calibration errors of bins: ece is sum_b |sum_p - sum_y| / W (W
 * the weight of every bin), that is sum_b (W_b / W) |mean p - mean y|;
 * mce is the largest |mean p - mean y| over the bins of positive
 * weight. Both are NaN when no bin has weight. */
void sift_reliability_errors(const struct sift_reliability_bin *bins,
			     size_t n_bins, double *ece, double *mce);

#ifdef __cplusplus
}
#endif

#endif
