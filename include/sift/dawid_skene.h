/*
 * sift/dawid_skene.h - the Dawid-Skene model: how good is each source of
 * labels, when no one knows the truth?
 *
 * Dawid and Skene (1979), "Maximum likelihood estimation of observer
 * error-rates using the EM algorithm", Applied Statistics 28(1). Items
 * have an unknown true class k in 0..K-1; each source j (a human
 * annotator, or a labeling rule) that labels item i says l with
 * probability pi_j[k][l], independently of the other sources given the
 * class. EM alternates: the M-step estimates the class priors and every
 * source's confusion matrix from the current class posteriors of the
 * items; the E-step recomputes the posteriors from them. It starts from
 * the majority-vote shares of each item (the paper's initialisation).
 *
 * This is the one implementation behind sift label --combine model (the
 * sources are rules, and "abstained" is an output of its own, so that
 * when a rule fires is evidence too) and sift audit (the sources are
 * annotators; a missing label is simply not an observation).
 *
 * Items may carry a weight (a multiplicity): n identical items are one
 * item of weight n, which gives exactly the same estimates. sift label
 * uses that to run EM on the distinct vote patterns of millions of
 * records.
 */
#ifndef SIFT_DAWID_SKENE_H
#define SIFT_DAWID_SKENE_H

#include <stddef.h>

#include "sift/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One label: source said label about item. */
struct sift_ds_obs {
	size_t item, source;
	unsigned label;
};

struct sift_ds_problem {
	size_t n_items, n_sources;
	size_t n_classes; /* K >= 2 true classes */
	size_t n_outputs; /* labels a source can say: 0..n_outputs-1, >= K
			   * (0 means K); outputs >= K are not classes
			   * (such as "abstained") */
	const struct sift_ds_obs *obs;
	size_t n_obs;
	const double *item_weight; /* n_items multiplicities, or NULL (1) */
};

struct sift_ds_opts {
	unsigned max_iter; /* EM iterations (M-step + E-step) at most */
	double tol;        /* stop when the log-likelihood changes by less
			    * than tol x |log-likelihood| */
	double smoothing;  /* pseudo-count added to every confusion cell
			    * (0: plain maximum likelihood) */
};

/* max_iter 500, tol 1e-7, smoothing 0.01. */
void sift_ds_opts_init(struct sift_ds_opts *o);

struct sift_ds_fit {
	size_t n_items, n_sources, n_classes, n_outputs;
	double *prior;     /* [k]: the class priors of the last M-step */
	double *confusion; /* [(j * K + k) * n_outputs + l] = pi_j[k][l] */
	double *posterior; /* [i * K + k]: P(class k | item i's labels) */
	unsigned iterations;
	int converged;
	double loglik; /* of the labels under the last E-step's parameters */
};

/* Fit the model. Observations must have item < n_items, source <
 * n_sources and label < n_outputs (else SIFT_EUSAGE). An item no
 * source labelled with a class (only outputs >= K, or none) starts from
 * the priors of the others. On success fills *fit (free it with
 * sift_ds_fit_free); on failure *fit holds nothing to free. */
int sift_ds_fit(const struct sift_ds_problem *pb, const struct sift_ds_opts *o,
		struct sift_ds_fit *fit, struct sift_error *err);

void sift_ds_fit_free(struct sift_ds_fit *fit);

/* pi_j[k][l]. */
double sift_ds_confusion(const struct sift_ds_fit *fit, size_t j, size_t k,
			 size_t l);

/* The most probable class of item i (the lowest on a tie). */
size_t sift_ds_map(const struct sift_ds_fit *fit, size_t i);

/* Source j's estimated accuracy: the probability that a class it says
 * is the true one, averaged over the items it labelled with a class
 * (weighted by item weight) under the posteriors; -1 if it said none. */
double sift_ds_accuracy(const struct sift_ds_problem *pb,
			const struct sift_ds_fit *fit, size_t j);

#ifdef __cplusplus
}
#endif

#endif
