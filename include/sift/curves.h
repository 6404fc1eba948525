/*
 * sift/curves.h - ROC and precision-recall curves of a binary scorer,
 * and the threshold sweeps built on them.
 *
 * The records are given sorted by score, highest first (sift_curves_order
 * sorts them, in O(n) by a radix sort on the bits of the doubles). One
 * pass over them then gives ROC-AUC, average precision, the threshold
 * that maximises F-beta and the one that minimises a cost. Records with
 * equal scores move together, as in scikit-learn's _binary_clf_curve: a
 * threshold t predicts positive every record whose score is >= t, so the
 * curves have one point per distinct score.
 */
#ifndef SIFT_CURVES_H
#define SIFT_CURVES_H

#include <stddef.h>
#include <stdint.h>

#include "sift/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Fill order[0..n) with the indices of score[] from the highest score
 * to the lowest; equal scores keep their index order (stable). Scores
 * are finite and >= 0. Returns 0 or SIFT_ENOMEM. */
int sift_curves_order(const double *score, size_t n, uint32_t *order,
		      struct sift_error *err);

/* Records in sorted order: score (descending), gold class (positive
 * when it is positive_id), weight (NULL: all 1), and an optional
 * multiplier (NULL: all 1; a bootstrap resample's counts). */
struct sift_sweep_input {
	size_t n;
	const double *score;
	const uint32_t *gold;
	uint32_t positive_id;
	const double *weight;
	const uint32_t *mult;
};

/* Costs of the four outcomes, per unit of weight. */
struct sift_cost2 {
	double tp, fp, fn, tn;
};

struct sift_sweep {
	double n_pos, n_neg; /* weights of the positives and negatives */
	/* NaN when undefined: ROC-AUC without both classes, AP without
	 * positives. */
	double roc_auc;
	double ap; /* sum over thresholds of (R_k - R_k-1) P_k */
	/* The threshold with the highest F-beta (the highest such
	 * threshold on a tie), its F-beta, precision and recall; NaN when
	 * there is no record of positive weight. */
	double best_threshold, best_f, best_precision, best_recall;
	/* With costs: the threshold with the lowest total cost (the
	 * highest on a tie; a threshold above every score predicts none)
	 * and that cost per unit of weight. */
	double cost_threshold, min_cost;
};

/* One pass over in. cost may be NULL (then the cost fields are NaN). */
void sift_curves_sweep(const struct sift_sweep_input *in, double beta,
		       const struct sift_cost2 *cost, struct sift_sweep *out);

enum sift_curve_kind { SIFT_CURVE_ROC, SIFT_CURVE_PR };

/* The points of a curve: one per distinct score, from the highest
 * score down. ROC starts with (0, 0) at threshold +inf; x is the false
 * positive rate, y the true positive rate. PR has x the recall, y the
 * precision, and stops at the first point of full recall (as
 * scikit-learn's precision_recall_curve, which also drops the points
 * that follow). Rates are NaN when their denominator is 0. */
struct sift_curve {
	size_t n;
	double *threshold, *x, *y;
};

/* The curve of in (whose mult is ignored). Returns 0 or SIFT_ENOMEM. */
int sift_curves_points(const struct sift_sweep_input *in,
		       enum sift_curve_kind kind, struct sift_curve *curve,
		       struct sift_error *err);

/* Free the arrays; curve may be NULL. */
void sift_curve_free(struct sift_curve *curve);

#ifdef __cplusplus
}
#endif

#endif
