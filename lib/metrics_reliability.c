/* lib/metrics_reliability.c - calibration bins, ECE and MCE (see
 * sift/reliability.h). */
#include <math.h>
#include <string.h>

#include "sift/reliability.h"

/* The index of the record at rank t from the highest p down. */
static size_t at(const struct sift_reliability_input *in, size_t t)
{
	return in->order ? in->order[t] : t;
}

static double weight_of(const struct sift_reliability_input *in, size_t i)
{
	double w = in->weight ? in->weight[i] : 1.0;

	return in->mult ? w * in->mult[i] : w;
}

/* The fraction j/N as numpy gets it in calibration_curve: linspace's
 * j * (1/N), times 100, and percentile's division by 100. */
static double fraction(size_t j, size_t n_bins)
{
	double step = 1.0 / (double)n_bins;

	return ((double)j * step * 100.0) / 100.0;
}

/* numpy's _lerp: exact at both ends. */
static double lerp(double a, double b, double t)
{
	double d = b - a;

	return t >= 0.5 ? b - d * (1 - t) : a + d * t;
}

/* The inner equal-mass edges 1..N-1 (see the header), in one pass from
 * the lowest p up; edge 0 and N are the lowest and highest p of weight. */
static void quantile_edges(const struct sift_reliability_input *in,
			   size_t n_bins, double *edges)
{
	double total = 0, last_w = 0, lo = 0, hi = 0;
	size_t n = in->n, first = n;

	for (size_t t = 0; t < n; t++) {
		double w = weight_of(in, at(in, t));

		if (w <= 0)
			continue;
		if (first == n) {
			first = t;
			last_w = w;
			hi = in->p[at(in, t)];
		}
		lo = in->p[at(in, t)];
		total += w;
	}
	for (size_t j = 0; j <= n_bins; j++)
		edges[j] = 0;
	if (first == n)
		return;
	edges[0] = lo;
	edges[n_bins] = hi;

	double scale = total - last_w, before = 0;
	size_t t = n, j = 1;

	/* t walks up from the lowest p; before is the weight below it. */
	while (j < n_bins && t > first) {
		size_t i = at(in, --t);
		double w = weight_of(in, i);

		if (w <= 0)
			continue;
		for (; j < n_bins; j++) {
			double h = fraction(j, n_bins) * scale;

			/* The last record takes what is left: with a
			 * single record of weight, h is 0 on it. */
			if (h >= before + w && t > first)
				break;
			/* h falls on this record: interpolate towards the
			 * next record of weight up. */
			double next = in->p[i];

			for (size_t u = t; u > first;) {
				size_t k = at(in, --u);

				if (weight_of(in, k) > 0) {
					next = in->p[k];
					break;
				}
			}
			edges[j] = lerp(in->p[i], next, (h - before) / w);
		}
		before += w;
	}
}

static void uniform_edges(size_t n_bins, double *edges)
{
	double step = 1.0 / (double)n_bins;

	for (size_t j = 0; j < n_bins; j++)
		edges[j] = (double)j * step;
	edges[n_bins] = 1.0;
}

void sift_reliability_bins(const struct sift_reliability_input *in,
			   enum sift_bins_kind kind, size_t n_bins,
			   double *edges, struct sift_reliability_bin *bins)
{
	size_t b = 0;

	if (kind == SIFT_BINS_QUANTILE)
		quantile_edges(in, n_bins, edges);
	else
		uniform_edges(n_bins, edges);
	for (size_t k = 0; k < n_bins; k++)
		bins[k] = (struct sift_reliability_bin){ edges[k], edges[k + 1],
							 0,        0,
							 0,        0 };
	/* From the lowest p up, the bin only moves up: it is the number of
	 * inner edges below p. */
	for (size_t t = in->n; t > 0; t--) {
		size_t i = at(in, t - 1);
		double p = in->p[i], w = weight_of(in, i);
		int y = in->hit ? in->hit[i] != 0
				: in->gold[i] == in->positive_id;

		while (b + 1 < n_bins && p > edges[b + 1])
			b++;
		bins[b].count += in->mult ? in->mult[i] : 1;
		bins[b].weight += w;
		bins[b].sum_p += w * p;
		bins[b].sum_y += y ? w : 0;
	}
}

void sift_reliability_errors(const struct sift_reliability_bin *bins,
			     size_t n_bins, double *ece, double *mce)
{
	double gap = 0, total = 0, worst = 0;

	for (size_t k = 0; k < n_bins; k++) {
		const struct sift_reliability_bin *r = &bins[k];

		if (!(r->weight > 0))
			continue;
		double d = fabs(r->sum_p / r->weight - r->sum_y / r->weight);

		gap += fabs(r->sum_p - r->sum_y);
		total += r->weight;
		worst = d > worst ? d : worst;
	}
	*ece = total > 0 ? gap / total : NAN;
	*mce = total > 0 ? worst : NAN;
}
