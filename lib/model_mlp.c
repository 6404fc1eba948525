/*
 * lib/model_mlp.c - embedding bag, tanh, softmax (sift/mlp.h).
 */
#include <math.h>
#include <stdint.h>

#include "sift/linear.h"
#include "sift/mlp.h"

size_t sift_mlp_param_count(uint32_t dim, size_t hidden, size_t k)
{
	if (hidden == 0 || k == 0 ||
	    hidden > SIZE_MAX / 4 / ((size_t)dim + 1 + k))
		return 0;
	return ((size_t)dim + 1 + k) * hidden + k;
}

void sift_mlp_init(float *w, uint32_t dim, size_t hidden, size_t k,
		   struct sift_rng *rng)
{
	double a = 1.0 / sqrt((double)hidden);
	size_t ne = (size_t)dim * hidden, nw2 = k * hidden;
	float *b1 = w + ne, *w2 = b1 + hidden, *b2 = w2 + nw2;

	for (size_t i = 0; i < ne; i++)
		w[i] = (float)(a * (2 * sift_rng_uniform(rng) - 1));
	for (size_t i = 0; i < hidden; i++)
		b1[i] = 0;
	for (size_t i = 0; i < nw2; i++)
		w2[i] = (float)(a * (2 * sift_rng_uniform(rng) - 1));
	for (size_t i = 0; i < k; i++)
		b2[i] = 0;
}

void sift_mlp_forward(const float *w, uint32_t dim, size_t hidden, size_t k,
		      const uint32_t *idx, const float *val, size_t n,
		      double *h, double *p)
{
	const float *b1 = w + (size_t)dim * hidden, *w2 = b1 + hidden,
		    *b2 = w2 + k * hidden;

	for (size_t i = 0; i < hidden; i++)
		h[i] = b1[i];
	for (size_t j = 0; j < n; j++) {
		const float *e = w + (size_t)idx[j] * hidden;
		double x = val[j];

		for (size_t i = 0; i < hidden; i++)
			h[i] += x * e[i];
	}
	for (size_t i = 0; i < hidden; i++)
		h[i] = tanh(h[i]);
	for (size_t c = 0; c < k; c++) {
		const float *row = w2 + c * hidden;
		double z = b2[c];

		for (size_t i = 0; i < hidden; i++)
			z += row[i] * h[i];
		p[c] = z;
	}
	sift_softmax(p, k);
}

double sift_mlp_delta(const float *w, uint32_t dim, size_t hidden, size_t k,
		      const double *h, const double *p, uint32_t y, double c,
		      double *g, double *da)
{
	const float *w2 = w + (size_t)dim * hidden + hidden;
	double loss = sift_linear_delta(p, k, y, c, g);

	for (size_t i = 0; i < hidden; i++) {
		double s = 0;

		for (size_t q = 0; q < k; q++)
			s += w2[q * hidden + i] * g[q];
		da[i] = (1 - h[i] * h[i]) * s;
	}
	return loss;
}

void sift_mlp_apply(float *target, uint32_t dim, size_t hidden, size_t k,
		    const uint32_t *idx, const float *val, size_t n,
		    const double *h, const double *g, const double *da,
		    double step, double l2)
{
	float *b1 = target + (size_t)dim * hidden, *w2 = b1 + hidden,
	      *b2 = w2 + k * hidden;

	for (size_t q = 0; q < k; q++) {
		float *row = w2 + q * hidden;

		for (size_t i = 0; i < hidden; i++)
			row[i] = (float)(row[i] -
					 step * (g[q] * h[i] + l2 * row[i]));
		b2[q] = (float)(b2[q] - step * g[q]);
	}
	for (size_t j = 0; j < n; j++) {
		float *e = target + (size_t)idx[j] * hidden;
		double x = val[j];

		for (size_t i = 0; i < hidden; i++)
			e[i] = (float)(e[i] - step * (x * da[i] + l2 * e[i]));
	}
	for (size_t i = 0; i < hidden; i++)
		b1[i] = (float)(b1[i] - step * da[i]);
}
