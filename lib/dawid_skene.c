/*
 * lib/dawid_skene.c - EM for the Dawid-Skene model (Dawid and Skene
 * 1979; see sift/dawid_skene.h).
 *
 * The E-step works in log space (a sum of log pi over every label an
 * item got, then log-sum-exp), so dozens of sources cannot underflow a
 * posterior to 0/0. Observations are grouped by item once (counting
 * sort), so both steps are one sweep over the labels.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sift/dawid_skene.h"

void sift_ds_opts_init(struct sift_ds_opts *o)
{
	o->max_iter = 500;
	o->tol = 1e-7;
	o->smoothing = 0.01;
}

struct work {
	const struct sift_ds_problem *pb;
	size_t K, L;
	size_t *start; /* n_items + 1: each item's slice of byitem */
	const struct sift_ds_obs **byitem;
	double *logpi; /* J x K x L */
	double *logprior;
};

static double weight(const struct sift_ds_problem *pb, size_t i)
{
	return pb->item_weight ? pb->item_weight[i] : 1.0;
}

static int check(const struct sift_ds_problem *pb, size_t L,
		 struct sift_error *err)
{
	if (pb->n_classes < 2 || L < pb->n_classes)
		return sift_error_set(err, SIFT_EUSAGE,
				      "Dawid-Skene needs at least 2 classes");
	for (size_t o = 0; o < pb->n_obs; o++) {
		const struct sift_ds_obs *ob = &pb->obs[o];

		if (ob->item >= pb->n_items || ob->source >= pb->n_sources ||
		    ob->label >= L)
			return sift_error_set(err, SIFT_EUSAGE,
					      "Dawid-Skene: observation %zu "
					      "is out of range",
					      o + 1);
	}
	return 0;
}

static int group(struct work *w)
{
	const struct sift_ds_problem *pb = w->pb;
	size_t *fill;

	w->start = calloc(pb->n_items + 1, sizeof *w->start);
	w->byitem = malloc((pb->n_obs ? pb->n_obs : 1) * sizeof *w->byitem);
	fill = calloc(pb->n_items + 1, sizeof *fill);
	if (!w->start || !w->byitem || !fill) {
		free(fill);
		return -1;
	}
	for (size_t o = 0; o < pb->n_obs; o++)
		w->start[pb->obs[o].item + 1]++;
	for (size_t i = 0; i < pb->n_items; i++)
		w->start[i + 1] += w->start[i];
	for (size_t o = 0; o < pb->n_obs; o++) {
		size_t i = pb->obs[o].item;

		w->byitem[w->start[i] + fill[i]++] = &pb->obs[o];
	}
	free(fill);
	return 0;
}

/* Majority-vote shares of the class labels; items without one get the
 * priors of the others (uniform if there are none). */
static void init_posteriors(struct work *w, double *T)
{
	const struct sift_ds_problem *pb = w->pb;
	size_t K = w->K;
	double *share = calloc(K, sizeof *share), total = 0;
	int *voted = calloc(pb->n_items ? pb->n_items : 1, sizeof *voted);

	for (size_t i = 0; share && voted && i < pb->n_items; i++) {
		double n = 0;

		memset(T + i * K, 0, K * sizeof *T);
		for (size_t o = w->start[i]; o < w->start[i + 1]; o++)
			if (w->byitem[o]->label < K) {
				T[i * K + w->byitem[o]->label] += 1;
				n += 1;
			}
		if (n == 0)
			continue;
		voted[i] = 1;
		for (size_t k = 0; k < K; k++) {
			T[i * K + k] /= n;
			share[k] += weight(pb, i) * T[i * K + k];
		}
		total += weight(pb, i);
	}
	for (size_t i = 0; share && voted && i < pb->n_items; i++)
		if (!voted[i])
			for (size_t k = 0; k < K; k++)
				T[i * K + k] = total > 0 ? share[k] / total
							 : 1.0 / (double)K;
	free(share);
	free(voted);
}

static void m_step(struct work *w, const double *T, const double *s,
		   double *prior, double *pi)
{
	const struct sift_ds_problem *pb = w->pb;
	size_t K = w->K, L = w->L, J = pb->n_sources;
	double total = 0;

	memset(prior, 0, K * sizeof *prior);
	for (size_t c = 0; c < J * K * L; c++)
		pi[c] = *s;
	for (size_t i = 0; i < pb->n_items; i++) {
		double wi = weight(pb, i);

		total += wi;
		for (size_t k = 0; k < K; k++)
			prior[k] += wi * T[i * K + k];
		for (size_t o = w->start[i]; o < w->start[i + 1]; o++) {
			const struct sift_ds_obs *ob = w->byitem[o];

			for (size_t k = 0; k < K; k++)
				pi[(ob->source * K + k) * L + ob->label] +=
					wi * T[i * K + k];
		}
	}
	for (size_t k = 0; k < K; k++) {
		prior[k] = total > 0 ? prior[k] / total : 1.0 / (double)K;
		w->logprior[k] = log(prior[k]);
	}
	for (size_t jk = 0; jk < J * K; jk++) {
		double row = 0;

		for (size_t l = 0; l < L; l++)
			row += pi[jk * L + l];
		for (size_t l = 0; l < L; l++) {
			/* A class no item has yet: its rows say nothing. */
			pi[jk * L + l] = row > 0 ? pi[jk * L + l] / row
						 : 1.0 / (double)L;
			w->logpi[jk * L + l] = log(pi[jk * L + l]);
		}
	}
}

/* Returns the log-likelihood. */
static double e_step(struct work *w, double *T, const double *prior)
{
	const struct sift_ds_problem *pb = w->pb;
	size_t K = w->K, L = w->L;
	double ll = 0;

	for (size_t i = 0; i < pb->n_items; i++) {
		double *t = T + i * K, max = -INFINITY, sum = 0;

		for (size_t k = 0; k < K; k++) {
			t[k] = w->logprior[k];
			for (size_t o = w->start[i]; o < w->start[i + 1]; o++) {
				const struct sift_ds_obs *ob = w->byitem[o];

				t[k] += w->logpi[(ob->source * K + k) * L +
						 ob->label];
			}
			if (t[k] > max)
				max = t[k];
		}
		if (max == -INFINITY) { /* impossible under every class */
			memcpy(t, prior, K * sizeof *t);
			continue;
		}
		for (size_t k = 0; k < K; k++)
			sum += t[k] = exp(t[k] - max);
		for (size_t k = 0; k < K; k++)
			t[k] /= sum;
		ll += weight(pb, i) * (max + log(sum));
	}
	return ll;
}

static int alloc_fit(struct sift_ds_fit *f, const struct sift_ds_problem *pb,
		     size_t L)
{
	memset(f, 0, sizeof *f);
	f->n_items = pb->n_items;
	f->n_sources = pb->n_sources;
	f->n_classes = pb->n_classes;
	f->n_outputs = L;
	f->prior = calloc(pb->n_classes, sizeof *f->prior);
	f->confusion = calloc(pb->n_sources * pb->n_classes * L + 1,
			      sizeof *f->confusion);
	f->posterior =
		calloc(pb->n_items * pb->n_classes + 1, sizeof *f->posterior);
	return f->prior && f->confusion && f->posterior ? 0 : -1;
}

int sift_ds_fit(const struct sift_ds_problem *pb, const struct sift_ds_opts *o,
		struct sift_ds_fit *fit, struct sift_error *err)
{
	size_t L = pb->n_outputs ? pb->n_outputs : pb->n_classes;
	struct work w = { pb, pb->n_classes, L, NULL, NULL, NULL, NULL };
	double prev = 0;
	int rc = check(pb, L, err);

	memset(fit, 0, sizeof *fit);
	if (rc)
		return rc;
	w.logpi = malloc((pb->n_sources * w.K * L + 1) * sizeof *w.logpi);
	w.logprior = malloc(w.K * sizeof *w.logprior);
	if (!w.logpi || !w.logprior || group(&w) || alloc_fit(fit, pb, L)) {
		rc = sift_error_nomem(err);
		sift_ds_fit_free(fit);
		goto out;
	}
	init_posteriors(&w, fit->posterior);
	for (unsigned it = 0; it < o->max_iter; it++) {
		m_step(&w, fit->posterior, &o->smoothing, fit->prior,
		       fit->confusion);
		fit->loglik = e_step(&w, fit->posterior, fit->prior);
		fit->iterations = it + 1;
		if (it > 0 && fabs(fit->loglik - prev) <=
				      o->tol * fmax(1.0, fabs(fit->loglik))) {
			fit->converged = 1;
			break;
		}
		prev = fit->loglik;
	}
out:
	free(w.logpi);
	free(w.logprior);
	free(w.start);
	free(w.byitem);
	return rc;
}

void sift_ds_fit_free(struct sift_ds_fit *fit)
{
	free(fit->prior);
	free(fit->confusion);
	free(fit->posterior);
	memset(fit, 0, sizeof *fit);
}

double sift_ds_confusion(const struct sift_ds_fit *fit, size_t j, size_t k,
			 size_t l)
{
	return fit->confusion[(j * fit->n_classes + k) * fit->n_outputs + l];
}

size_t sift_ds_map(const struct sift_ds_fit *fit, size_t i)
{
	const double *t = fit->posterior + i * fit->n_classes;
	size_t best = 0;

	for (size_t k = 1; k < fit->n_classes; k++)
		if (t[k] > t[best])
			best = k;
	return best;
}

double sift_ds_accuracy(const struct sift_ds_problem *pb,
			const struct sift_ds_fit *fit, size_t j)
{
	double right = 0, all = 0;

	for (size_t o = 0; o < pb->n_obs; o++) {
		const struct sift_ds_obs *ob = &pb->obs[o];
		double wi = weight(pb, ob->item);

		if (ob->source != j || ob->label >= fit->n_classes)
			continue;
		right += wi *
			 fit->posterior[ob->item * fit->n_classes + ob->label];
		all += wi;
	}
	return all > 0 ? right / all : -1;
}
