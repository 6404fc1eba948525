/*
 * sift/linear.h - softmax (multinomial logistic) regression over sparse
 * hashed features: p = softmax(x W + b).
 *
 * Parameters are laid out W[dim][K] then b[K], row-major by feature, so
 * the K weights of one feature are contiguous and a sparse record touches
 * n rows. The loss of a record of class y with weight c is
 * -c log p_y; its gradient is x_j (p_k - [k = y]) c for W[j][k] and
 * (p_k - [k = y]) c for b[k] (Bishop 2006, 4.3.4).
 *
 * Mini-batch training is exact: the trainer runs sift_linear_forward on
 * every record of a batch with the parameters frozen, then applies each
 * record's step with sift_linear_apply.
 */
#ifndef SIFT_LINEAR_H
#define SIFT_LINEAR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* z[0..k) replaced by softmax(z): exp(z_c - max z) / sum of the same,
 * k > 0. The shift by the largest logit keeps exp from overflowing; the
 * output layer of both models (sift/mlp.h too). */
void sift_softmax(double *z, size_t k);

/* p[0..K) = softmax(x W + b) for the features idx/val[0..n) (every
 * index < dim), computed in double. */
void sift_linear_forward(const float *w, uint32_t dim, size_t k,
			 const uint32_t *idx, const float *val, size_t n,
			 double *p);

/* g[0..K) = c (p_k - [k = y]): the gradient of the loss with respect to
 * the logits of a softmax layer (of either model). Returns the loss
 * -c log p_y (p_y floored at 1e-300). */
double sift_linear_delta(const double *p, size_t k, uint32_t y, double c,
			 double *g);

/* One step on target (the parameters, or a zeroed array to collect the
 * gradient with step -1): W[j][k] -= step (x_j g_k + l2 W[j][k]) for the
 * record's features, b[k] -= step g_k. L2 is applied lazily, to the rows
 * the record touches, as sparse SGD does (Bottou 2012); b is not
 * penalised. */
void sift_linear_apply(float *target, uint32_t dim, size_t k,
		       const uint32_t *idx, const float *val, size_t n,
		       const double *g, double step, double l2);

#ifdef __cplusplus
}
#endif

#endif
