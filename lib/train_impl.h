/*
 * lib/train_impl.h - what the parts of sift_train share (private to
 * lib/): the state of one run, and the reading and the diagnostics that
 * lib/train.c calls before and after its loop.
 */
#ifndef SIFT_TRAIN_IMPL_H
#define SIFT_TRAIN_IMPL_H

#include <stddef.h>

#include "sift/error.h"
#include "sift/intern.h"
#include "sift/model.h"
#include "sift/reader.h"
#include "sift/rng.h"
#include "sift/train.h"

/* Cross-validation's groups: each training record's group, by the
 * value of a column. */
struct train_groups {
	const char *column;        /* the group column */
	struct sift_intern *names; /* the values seen, ids in order */
	uint32_t *id;              /* record i's group */
	size_t n, cap;
};

/* The state of one training run. */
struct train_run {
	const struct sift_train_opts *o;
	const struct sift_train_hooks *hooks;
	struct sift_model *m;
	struct sift_train_result *res;
	struct sift_dataset *d; /* training file (and holdout) */
	struct sift_dataset *v; /* validation file, or d for a holdout */
	/* The records to train on, the holdout drawn from them (a fold's
	 * training part in cross-validation), or NULL for all of d. */
	const size_t *part;
	size_t n_part;
	/* If not NULL, train_load reads each record's group into it. */
	struct train_groups *groups;
	size_t *train, n_train; /* indices into d */
	size_t *valid, n_valid; /* indices into v */
	size_t k;
	/* Cross-validation with no holdout: the out-of-fold probabilities
	 * of d's records (k a record), for the final model's threshold. */
	const double *oof_p;
	double *cw; /* class weights */
	struct sift_rng rng;
	/* batch buffers */
	double *p, *g, *h, *da;
	float *best_w;
	/* per epoch figures, for the diagnostics */
	double *ep_train_loss, *ep_valid_loss;
	double *ep_valid_obj; /* the validation loss that training minimises */
	unsigned n_ep;
	/* The validation score of the weights fit ended with (NAN with no
	 * validation data), for choosing l2. */
	double fit_score;
	int single_class_pred;
	/* The mean sample weight of the labeled training records: SGD sees
	 * the weights divided by it (see normalise_weights). */
	double w_mean;
};

/* Read the training input r into u->d and the validation file, if
 * u->o names one, into vd: the classes in bytewise order into u->m,
 * u->k, and u->valid; with u->groups, each training record's group
 * (groups->names is made here). */
int train_load(struct train_run *u, struct sift_reader *r,
	       struct sift_dataset *vd, struct sift_error *err);

/* Everything sift_train does once the input is read into u->d: the
 * holdout split of u->part (or of all records), standardization, the
 * weights, the loop, self-training, the threshold, the report on the
 * holdout, the options into u->m and the diagnostics into u->res (which
 * arrives zeroed). name is the input's name for messages, t0 the
 * train_now() at which the run began. The buffers are left in u: free
 * them with train_run_free. */
int train_fit_loaded(struct train_run *u, const char *name, double t0,
		     struct sift_error *err);

/* The epochs of one round of training (round 0, then self-training's)
 * on u's state, from its generator: the weights into u->m, the best
 * epoch and the epochs run into u->res, the validation score of the
 * weights kept into u->fit_score. Without hooks it reads u and writes
 * only u's own buffers, so runs on copies of u that own theirs may go
 * at once on several threads (lib/train_l2.c). */
int train_fit(struct train_run *u, unsigned round, struct sift_error *err);

/* train_fit with the penalty chosen on the validation data (sift/train.h,
 * enum sift_l2_mode): chosen receives u->o with that penalty, and u->o
 * points to it; u->res gets every penalty's score and the choice. */
int train_fit_choosing_l2(struct train_run *u, struct sift_train_opts *chosen,
			  struct sift_error *err);

/* Free what train_fit_loaded left in u, ready for another run on the
 * same data. */
void train_run_free(struct train_run *u);

/* The metrics options of the run's reports: its classes, its positive
 * class, its costs. */
void train_metrics_opts(const struct train_run *u,
			struct sift_metrics_opts *mo);

/* A monotonic clock, in seconds. */
double train_now(void);

/* The diagnostics of a finished run, in plain words with the fix, into
 * u->res's notes. */
void train_diagnose(struct train_run *u);

#endif
