/*
 * lib/model_linear.c - softmax regression over sparse features (sift/linear.h).
 */
#include <math.h>

#include "sift/linear.h"

void sift_softmax(double *z, size_t k)
{
	double max = z[0], sum = 0;

	for (size_t c = 1; c < k; c++)
		if (z[c] > max)
			max = z[c];
	for (size_t c = 0; c < k; c++) {
		z[c] = exp(z[c] - max);
		sum += z[c];
	}
	for (size_t c = 0; c < k; c++)
		z[c] /= sum;
}

void sift_linear_forward(const float *w, uint32_t dim, size_t k,
			 const uint32_t *idx, const float *val, size_t n,
			 double *p)
{
	const float *b = w + (size_t)dim * k;

	for (size_t c = 0; c < k; c++)
		p[c] = b[c];
	for (size_t j = 0; j < n; j++) {
		const float *row = w + (size_t)idx[j] * k;
		double x = val[j];

		for (size_t c = 0; c < k; c++)
			p[c] += x * row[c];
	}
	sift_softmax(p, k);
}

double sift_linear_delta(const double *p, size_t k, uint32_t y, double c,
			 double *g)
{
	for (size_t i = 0; i < k; i++)
		g[i] = c * (p[i] - (i == y ? 1.0 : 0.0));
	return -c * log(p[y] > 1e-300 ? p[y] : 1e-300);
}

void sift_linear_apply(float *target, uint32_t dim, size_t k,
		       const uint32_t *idx, const float *val, size_t n,
		       const double *g, double step, double l2)
{
	float *b = target + (size_t)dim * k;

	for (size_t j = 0; j < n; j++) {
		float *row = target + (size_t)idx[j] * k;
		double x = val[j];

		for (size_t c = 0; c < k; c++)
			row[c] = (float)(row[c] -
					 step * (x * g[c] + l2 * row[c]));
	}
	for (size_t c = 0; c < k; c++)
		b[c] = (float)(b[c] - step * g[c]);
}
