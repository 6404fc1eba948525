/*
 * sift/calibrate.h - making a classifier's probabilities mean what they
 * say: Platt scaling, isotonic regression and temperature scaling,
 * fitted on held-out probabilities and applied to new ones.
 *
 * A calibration maps a record's K class probabilities p (a softmax) to
 * new ones:
 *
 *  - platt: per class, p' = 1 / (1 + exp(A f + B)) of f = logit(p)
 *    (Platt 1999), A and B fitted by the Newton method with
 *    backtracking of Lin, Lin and Weng (2007) on Platt's smoothed
 *    targets, (N+ + 1) / (N+ + 2) and 1 / (N- + 2);
 *  - isotonic: per class, p' = the non-decreasing step function of p
 *    fitted by pool-adjacent-violators, interpolated linearly between
 *    its points and held at its ends, as scikit-learn's
 *    IsotonicRegression(out_of_bounds='clip') does (equal p pooled
 *    first, at their weighted mean outcome);
 *  - temperature: one T > 0 for all classes, p' = softmax(log p / T)
 *    (Guo et al. 2017), T minimising the log loss.
 *
 * Per class means: for two classes the positive class's p is mapped and
 * the other is 1 - p'; for more, each class is mapped one against the
 * rest and the results divided by their sum (uniform when it is 0), as
 * scikit-learn's CalibratedClassifierCV does. Records may be weighted.
 */
#ifndef SIFT_CALIBRATE_H
#define SIFT_CALIBRATE_H

#include <stddef.h>
#include <stdint.h>

#include "sift/error.h"

#ifdef __cplusplus
extern "C" {
#endif

enum sift_cal_kind {
	SIFT_CAL_NONE = 0,
	SIFT_CAL_PLATT = 1,
	SIFT_CAL_ISOTONIC = 2,
	SIFT_CAL_TEMPERATURE = 3,
};

/* The most points an isotonic map may have (a model file's bound). */
#define SIFT_CAL_MAX_POINTS 10000000

/* One class's map: Platt's a and b, or the isotonic points (x strictly
 * increasing, y non-decreasing in [0, 1]). */
struct sift_cal_map {
	double a, b;
	size_t n;
	double *x, *y;
};

struct sift_calibration {
	enum sift_cal_kind kind;
	double temperature; /* temperature */
	size_t n_maps;      /* platt, isotonic: 1 for two classes, else K */
	uint32_t positive;  /* two classes: the class mapped */
	struct sift_cal_map *map;
};

/* "none", "platt", "isotonic", "temperature"; the kind of a name, or -1. */
const char *sift_cal_name(enum sift_cal_kind kind);
int sift_cal_kind_of(const char *name);

void sift_calibration_free(struct sift_calibration *c);

/* The held-out records a calibration is fitted on: n records of k
 * classes, proba[i * k + c] the model's probabilities, gold[i] < k,
 * weight NULL (all 1) or >= 0. positive is the class mapped when k is
 * 2. */
struct sift_cal_data {
	size_t n, k;
	const double *proba;
	const uint32_t *gold;
	const double *weight;
	uint32_t positive;
};

/* Fit a calibration of kind (not none) to d into c (freed first with
 * sift_calibration_free, or zeroed). Errors: SIFT_EDATA when a class has
 * no record of positive weight (a calibration needs every class: with
 * one it would learn to predict it always; the message names it),
 * SIFT_ENOMEM. */
int sift_calibration_fit(enum sift_cal_kind kind, const struct sift_cal_data *d,
			 struct sift_calibration *c, struct sift_error *err);

/* Map the k probabilities p in place; c of kind none leaves them. */
void sift_calibration_apply(const struct sift_calibration *c, double *p,
			    size_t k);

/* The building blocks, for tests and for other callers. */

/* Isotonic regression of y on x (n >= 1 points, weights w NULL or >= 0,
 * at least one > 0): the fitted points, after pooling equal x and
 * dropping the points in the middle of a flat run, into *xs and *ys
 * (malloc'ed, *m of them). Returns 0 or SIFT_ENOMEM. */
int sift_isotonic_fit(const double *x, const double *y, const double *w,
		      size_t n, double **xs, double **ys, size_t *m,
		      struct sift_error *err);

/* The fitted function at v: linear between the points, the end values
 * outside them. */
double sift_isotonic_at(const double *xs, const double *ys, size_t m, double v);

/* Platt's A and B for decision values f and outcomes y (0 or 1), with
 * the smoothed targets; weights w NULL or >= 0. */
void sift_platt_fit(const double *f, const uint8_t *y, const double *w,
		    size_t n, double *a, double *b);

/* The T > 0 minimising the weighted log loss of softmax(z_i / T) for
 * gold[i], z the n x k logits. */
double sift_temperature_fit(const double *z, const uint32_t *gold,
			    const double *w, size_t n, size_t k);

#ifdef __cplusplus
}
#endif

#endif
