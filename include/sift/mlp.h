/*
 * sift/mlp.h - the small neural network of --hidden H: an embedding bag,
 * tanh, then softmax (Joulin et al. 2017, fastText, with a non-linearity
 * added).
 *
 *   a = b1 + sum_j x_j E[j]         (H: the bag of the record's hashed
 *                                    features, weighted by their values)
 *   h = tanh(a)
 *   p = softmax(W2 h + b2)          (K)
 *
 * Parameters: E[dim][H], b1[H], W2[K][H], b2[K]. tanh rather than ReLU:
 * it is smooth (the gradient check is exact) and a unit cannot die.
 * Mini-batch training is exact: sift_mlp_forward and sift_mlp_delta run
 * on every record of a batch with the parameters frozen, then
 * sift_mlp_apply applies each record's step.
 */
#ifndef SIFT_MLP_H
#define SIFT_MLP_H

#include <stddef.h>
#include <stdint.h>

#include "sift/rng.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The number of parameters, 0 on overflow. */
size_t sift_mlp_param_count(uint32_t dim, size_t hidden, size_t k);

/* Initial parameters: E and W2 uniform in +-1/sqrt(H) (Glorot-like for
 * tanh), biases 0, drawn from rng in a fixed order. */
void sift_mlp_init(float *w, uint32_t dim, size_t hidden, size_t k,
		   struct sift_rng *rng);

/* h[0..H) and p[0..K) of the record. */
void sift_mlp_forward(const float *w, uint32_t dim, size_t hidden, size_t k,
		      const uint32_t *idx, const float *val, size_t n,
		      double *h, double *p);

/* g[0..K) = c (p - onehot(y)) (sift_linear_delta's) and da[0..H) =
 * (1 - h^2) (W2^T g): the gradients at the logits and at the bag.
 * Returns the loss -c log p_y. */
double sift_mlp_delta(const float *w, uint32_t dim, size_t hidden, size_t k,
		      const double *h, const double *p, uint32_t y, double c,
		      double *g, double *da);

/* One step on target (the parameters, or a zeroed array with step -1 to
 * collect the gradient): W2 -= step (g h^T + l2 W2), b2 -= step g,
 * E[j] -= step (x_j da + l2 E[j]) for the record's features, b1 -= step
 * da. */
void sift_mlp_apply(float *target, uint32_t dim, size_t hidden, size_t k,
		    const uint32_t *idx, const float *val, size_t n,
		    const double *h, const double *g, const double *da,
		    double step, double l2);

#ifdef __cplusplus
}
#endif

#endif
