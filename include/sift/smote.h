/*
 * sift/smote.h - SMOTE: synthetic minority over-sampling (Chawla, Bowyer,
 * Hall and Kegelmeyer, "SMOTE: Synthetic Minority Over-sampling
 * Technique", JAIR 16, 2002).
 *
 * For a class of n points in d numeric features, each point's k nearest
 * neighbours of the same class are found by raw Euclidean distance (no
 * standardization, as imbalanced-learn does), exactly, by brute force:
 * O(n^2 d) time and O(n k) memory, which suits the minority classes SMOTE
 * is used on. A synthetic point is x + u (y - x), x a base point drawn
 * uniformly with replacement, y one of its k neighbours drawn uniformly,
 * u uniform in [0, 1): the draws of imbalanced-learn's SMOTE.
 */
#ifndef SIFT_SMOTE_H
#define SIFT_SMOTE_H

#include <stddef.h>
#include <stdint.h>

#include "sift/rng.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The k nearest neighbours of each of n points x[i*d .. i*d+d) among the
 * others (a point is never its own neighbour; ties go to the earlier
 * point), nearest first, into nn[i*k .. i*k+k). Needs n > k. Returns 0,
 * or -1 when out of memory. */
int sift_smote_neighbours(const double *x, size_t n, size_t d, size_t k,
			  size_t *nn);

/* out = a + u (b - a), in d dimensions. */
void sift_smote_point(const double *a, const double *b, size_t d, double u,
		      double *out);

/* One planned synthetic point: base point, its neighbour, the step. */
struct sift_smote_draw {
	size_t base;
	size_t neighbour; /* an index of a point, not of nn */
	double u;
};

/* Plan m synthetic points of a class of n points with neighbours nn (n
 * by k, from sift_smote_neighbours): base uniform in [0, n), neighbour
 * uniform among the base's k, u uniform in [0, 1). The draws are sorted
 * by base (stably, so equal bases keep their draw order), which lets a
 * caller write them in one pass over the records. Returns 0, or -1 when
 * out of memory. */
int sift_smote_plan(struct sift_rng *rng, size_t n, size_t k, const size_t *nn,
		    struct sift_smote_draw *draws, size_t m);

#ifdef __cplusplus
}
#endif

#endif
