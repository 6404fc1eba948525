/*
 * lib/calibrate.c - Platt scaling, isotonic regression and temperature
 * scaling (see sift/calibrate.h).
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sift/calibrate.h"

static const char *const names[] = { "none", "platt", "isotonic",
				     "temperature" };

const char *sift_cal_name(enum sift_cal_kind kind)
{
	return (unsigned)kind < 4 ? names[kind] : "?";
}

int sift_cal_kind_of(const char *name)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(name, names[i]) == 0)
			return i;
	return -1;
}

void sift_calibration_free(struct sift_calibration *c)
{
	for (size_t i = 0; c->map && i < c->n_maps; i++) {
		free(c->map[i].x);
		free(c->map[i].y);
	}
	free(c->map);
	memset(c, 0, sizeof *c);
}

/* ---- isotonic regression ---- */

struct point {
	double x, y, w;
};

static int by_x_then_y(const void *a, const void *b)
{
	const struct point *p = a, *q = b;

	if (p->x != q->x)
		return p->x < q->x ? -1 : 1;
	return (p->y > q->y) - (p->y < q->y);
}

/* Pool the points whose x is within the resolution of a double of the
 * first of their group, at their weighted mean y (scikit-learn's
 * _make_unique); returns how many are left. */
static size_t pool_equal_x(struct point *pt, size_t n)
{
	size_t m = 0;

	for (size_t i = 0; i < n;) {
		double x0 = pt[i].x, wy = 0, w = 0;
		size_t j = i;

		for (; j < n && pt[j].x - x0 < 1e-15; j++) {
			wy += pt[j].w * pt[j].y;
			w += pt[j].w;
		}
		pt[m].x = x0;
		pt[m].y = wy / w;
		pt[m].w = w;
		m++;
		i = j;
	}
	return m;
}

/* Pool adjacent violators on y in place, weighted: each block of points
 * whose means decrease becomes their weighted mean. */
static int pav(struct point *pt, size_t n, struct sift_error *err)
{
	/* A block: its weighted sum of y, its weight, its last point. */
	struct block {
		double wy, w;
		size_t end;
	} *bl = malloc(n * sizeof *bl);
	size_t nb = 0, start = 0;

	if (!bl)
		return sift_error_nomem(err);
	for (size_t i = 0; i < n; i++) {
		bl[nb].wy = pt[i].w * pt[i].y;
		bl[nb].w = pt[i].w;
		bl[nb].end = i;
		nb++;
		while (nb > 1 && bl[nb - 2].wy / bl[nb - 2].w >=
					 bl[nb - 1].wy / bl[nb - 1].w) {
			bl[nb - 2].wy += bl[nb - 1].wy;
			bl[nb - 2].w += bl[nb - 1].w;
			bl[nb - 2].end = bl[nb - 1].end;
			nb--;
		}
	}
	for (size_t b = 0; b < nb; b++) {
		double mean = bl[b].wy / bl[b].w;

		for (size_t i = start; i <= bl[b].end; i++)
			pt[i].y = mean;
		start = bl[b].end + 1;
	}
	free(bl);
	return 0;
}

int sift_isotonic_fit(const double *x, const double *y, const double *w,
		      size_t n, double **xs, double **ys, size_t *m,
		      struct sift_error *err)
{
	struct point *pt = malloc((n ? n : 1) * sizeof *pt);
	size_t k = 0, u;
	int rc;

	*xs = *ys = NULL;
	*m = 0;
	if (!pt)
		return sift_error_nomem(err);
	/* Records of weight 0 are left out, as scikit-learn does. */
	for (size_t i = 0; i < n; i++) {
		double wi = w ? w[i] : 1;

		if (wi > 0)
			pt[k++] = (struct point){ x[i], y[i], wi };
	}
	qsort(pt, k, sizeof *pt, by_x_then_y);
	u = pool_equal_x(pt, k);
	if ((rc = pav(pt, u, err)))
		goto out;
	*xs = malloc((u ? u : 1) * sizeof **xs);
	*ys = malloc((u ? u : 1) * sizeof **ys);
	if (!*xs || !*ys) {
		free(*xs);
		free(*ys);
		*xs = *ys = NULL;
		rc = sift_error_nomem(err);
		goto out;
	}
	/* The ends, and the points where y changes on either side. */
	for (size_t i = 0; i < u; i++) {
		if (i > 0 && i + 1 < u && pt[i].y == pt[i - 1].y &&
		    pt[i].y == pt[i + 1].y)
			continue;
		(*xs)[*m] = pt[i].x;
		(*ys)[*m] = pt[i].y;
		(*m)++;
	}
out:
	free(pt);
	return rc;
}

double sift_isotonic_at(const double *xs, const double *ys, size_t m, double v)
{
	size_t lo = 0, hi = m - 1;

	if (m == 1 || !(v > xs[0]))
		return ys[0];
	if (v >= xs[m - 1])
		return ys[m - 1];
	/* xs[lo] < v < xs[hi], down to neighbours */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (xs[mid] <= v)
			lo = mid;
		else
			hi = mid;
	}
	return ys[lo] + (ys[hi] - ys[lo]) * (v - xs[lo]) / (xs[hi] - xs[lo]);
}

/* ---- Platt scaling ---- */

/* The weighted log loss of Platt's sigmoid at (a, b) on the targets t,
 * in the overflow-free form of Lin, Lin and Weng (2007). */
static double platt_loss(const double *f, const uint8_t *y, const double *w,
			 size_t n, double hi, double lo, double a, double b)
{
	double loss = 0;

	for (size_t i = 0; i < n; i++) {
		double t = y[i] ? hi : lo, z = f[i] * a + b;
		double wi = w ? w[i] : 1;

		if (z >= 0)
			loss += wi * (t * z + log1p(exp(-z)));
		else
			loss += wi * ((t - 1) * z + log1p(exp(z)));
	}
	return loss;
}

void sift_platt_fit(const double *f, const uint8_t *y, const double *w,
		    size_t n, double *a_out, double *b_out)
{
	double n1 = 0, n0 = 0, hi, lo, a = 0, b, loss;

	for (size_t i = 0; i < n; i++)
		*(y[i] ? &n1 : &n0) += w ? w[i] : 1;
	hi = (n1 + 1) / (n1 + 2);
	lo = 1 / (n0 + 2);
	b = log((n0 + 1) / (n1 + 1));
	loss = platt_loss(f, y, w, n, hi, lo, a, b);
	for (int it = 0; it < 100; it++) {
		/* The gradient and the Hessian (made positive definite by
		 * a small ridge, as the paper does). */
		double h11 = 1e-12, h22 = 1e-12, h21 = 0, g1 = 0, g2 = 0;
		double det, da, db, gd, step;

		for (size_t i = 0; i < n; i++) {
			double z = f[i] * a + b, p, q, wi = w ? w[i] : 1;
			double t = y[i] ? hi : lo;

			if (z >= 0) {
				p = exp(-z) / (1 + exp(-z));
				q = 1 / (1 + exp(-z));
			} else {
				p = 1 / (1 + exp(z));
				q = exp(z) / (1 + exp(z));
			}
			h11 += wi * f[i] * f[i] * p * q;
			h22 += wi * p * q;
			h21 += wi * f[i] * p * q;
			g1 += wi * f[i] * (t - p);
			g2 += wi * (t - p);
		}
		if (fabs(g1) < 1e-12 * (n0 + n1) &&
		    fabs(g2) < 1e-12 * (n0 + n1))
			break;
		det = h11 * h22 - h21 * h21;
		da = -(h22 * g1 - h21 * g2) / det;
		db = -(-h21 * g1 + h11 * g2) / det;
		gd = g1 * da + g2 * db;
		for (step = 1; step >= 1e-10; step /= 2) {
			double nl = platt_loss(f, y, w, n, hi, lo,
					       a + step * da, b + step * db);

			if (nl < loss + 1e-4 * step * gd) {
				a += step * da;
				b += step * db;
				loss = nl;
				break;
			}
		}
		if (step < 1e-10)
			break; /* no step lowers the loss: at the optimum */
	}
	*a_out = a;
	*b_out = b;
}

/* ---- temperature scaling ---- */

/* The weighted log loss of softmax(beta z) and its first two
 * derivatives in beta (the loss is convex in beta). */
static double temp_loss(const double *z, const uint32_t *gold, const double *w,
			size_t n, size_t k, double beta, double *d1, double *d2)
{
	double loss = 0;

	*d1 = *d2 = 0;
	for (size_t i = 0; i < n; i++) {
		const double *zi = z + i * k;
		double mx = -INFINITY, s = 0, ez = 0, ez2 = 0,
		       wi = w ? w[i] : 1;

		for (size_t c = 0; c < k; c++)
			mx = zi[c] > mx ? zi[c] : mx;
		for (size_t c = 0; c < k; c++) {
			double e = exp(beta * (zi[c] - mx));

			s += e;
			ez += e * zi[c];
			ez2 += e * zi[c] * zi[c];
		}
		ez /= s;
		ez2 /= s;
		/* s >= 1: the largest logit adds exp(0) */
		// cppcheck-suppress invalidFunctionArg
		loss += wi * (beta * mx + log(s) - beta * zi[gold[i]]);
		*d1 += wi * (ez - zi[gold[i]]);
		*d2 += wi * (ez2 - ez * ez);
	}
	return loss;
}

double sift_temperature_fit(const double *z, const uint32_t *gold,
			    const double *w, size_t n, size_t k)
{
	/* Newton's method on beta = 1/T from 1, halving a step that does
	 * not lower the loss; T is held in [0.01, 100]. */
	double beta = 1, d1, d2,
	       loss = temp_loss(z, gold, w, n, k, beta, &d1, &d2);

	for (int it = 0; it < 100 && d2 > 0; it++) {
		double step = -d1 / d2, nb, nl, e1, e2;

		for (;;) {
			nb = beta + step;
			nb = nb < 0.01 ? 0.01 : nb > 100 ? 100 : nb;
			nl = temp_loss(z, gold, w, n, k, nb, &e1, &e2);
			if (nl <= loss || fabs(step) < 1e-15)
				break;
			step /= 2;
		}
		if (nl > loss)
			break;
		if (fabs(nb - beta) < 1e-12 * beta) {
			beta = nb;
			break;
		}
		beta = nb;
		loss = nl;
		d1 = e1;
		d2 = e2;
	}
	return 1 / beta;
}

/* ---- the whole calibration ---- */

/* The decision value Platt's sigmoid takes: the logit of p. */
static double logit(double p)
{
	p = p < 1e-15 ? 1e-15 : p > 1 - 1e-15 ? 1 - 1e-15 : p;
	return log(p) - log1p(-p);
}

static double log_clipped(double p)
{
	return log(p < 1e-300 ? 1e-300 : p);
}

/* Class c against the rest: its map. */
static int fit_map(enum sift_cal_kind kind, const struct sift_cal_data *d,
		   uint32_t c, struct sift_cal_map *map, double *v, uint8_t *y,
		   struct sift_error *err)
{
	for (size_t i = 0; i < d->n; i++) {
		double p = d->proba[i * d->k + c];

		y[i] = d->gold[i] == c;
		v[i] = kind == SIFT_CAL_PLATT ? logit(p) : p;
	}
	if (kind == SIFT_CAL_PLATT) {
		sift_platt_fit(v, y, d->weight, d->n, &map->a, &map->b);
		return 0;
	}
	for (size_t i = 0; i < d->n; i++)
		v[d->n + i] = y[i];
	return sift_isotonic_fit(v, v + d->n, d->weight, d->n, &map->x, &map->y,
				 &map->n, err);
}

int sift_calibration_fit(enum sift_cal_kind kind, const struct sift_cal_data *d,
			 struct sift_calibration *c, struct sift_error *err)
{
	double *v = NULL;
	uint8_t *y = NULL;
	int rc = 0;

	memset(c, 0, sizeof *c);
	for (uint32_t k = 0; k < d->k; k++) {
		double w = 0;

		for (size_t i = 0; i < d->n; i++)
			if (d->gold[i] == k)
				w += d->weight ? d->weight[i] : 1;
		if (!(w > 0))
			return sift_error_set(err, SIFT_EDATA,
					      "class %u has no record to fit "
					      "the calibration on",
					      k);
	}
	c->kind = kind;
	c->positive = d->positive;
	c->temperature = 1;
	if (kind == SIFT_CAL_TEMPERATURE) {
		if (!(v = malloc(d->n * d->k * sizeof *v)))
			return sift_error_nomem(err);
		for (size_t i = 0; i < d->n * d->k; i++)
			v[i] = log_clipped(d->proba[i]);
		c->temperature =
			sift_temperature_fit(v, d->gold, d->weight, d->n, d->k);
		free(v);
		return 0;
	}
	c->n_maps = d->k == 2 ? 1 : d->k;
	c->map = calloc(c->n_maps, sizeof *c->map);
	v = malloc(2 * (d->n ? d->n : 1) * sizeof *v);
	y = malloc(d->n ? d->n : 1);
	if (!c->map || !v || !y)
		rc = sift_error_nomem(err);
	for (size_t m = 0; !rc && m < c->n_maps; m++)
		rc = fit_map(kind, d, d->k == 2 ? d->positive : (uint32_t)m,
			     &c->map[m], v, y, err);
	free(v);
	free(y);
	if (rc)
		sift_calibration_free(c);
	return rc;
}

static double map_at(const struct sift_calibration *c,
		     const struct sift_cal_map *m, double p)
{
	if (c->kind == SIFT_CAL_PLATT)
		return 1 / (1 + exp(m->a * logit(p) + m->b));
	return sift_isotonic_at(m->x, m->y, m->n, p);
}

void sift_calibration_apply(const struct sift_calibration *c, double *p,
			    size_t k)
{
	double s = 0, mx = -INFINITY;

	switch (c->kind) {
	case SIFT_CAL_NONE:
		return;
	case SIFT_CAL_TEMPERATURE:
		for (size_t i = 0; i < k; i++) {
			p[i] = log_clipped(p[i]) / c->temperature;
			mx = p[i] > mx ? p[i] : mx;
		}
		for (size_t i = 0; i < k; i++)
			s += (p[i] = exp(p[i] - mx));
		for (size_t i = 0; i < k; i++)
			p[i] /= s;
		return;
	case SIFT_CAL_PLATT:
	case SIFT_CAL_ISOTONIC:
		break;
	}
	if (k == 2) {
		double v = map_at(c, &c->map[0], p[c->positive]);

		p[c->positive] = v;
		p[1 - c->positive] = 1 - v;
		return;
	}
	for (size_t i = 0; i < k; i++)
		s += (p[i] = map_at(c, &c->map[i], p[i]));
	for (size_t i = 0; i < k; i++)
		p[i] = s > 0 ? p[i] / s : 1.0 / (double)k;
}
