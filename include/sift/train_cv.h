/*
 * sift/train_cv.h - K-fold cross-validation of sift train: the input read
 * once, K models trained on seeded stratified (or grouped) folds, each
 * judged on the fold it did not see, every figure as a mean and a sample
 * standard deviation over the folds; the out-of-fold probabilities of
 * every labeled record; and, if asked, the final model trained on all
 * the data, the very model sift_train makes with the same options.
 *
 * Memory: that of one training run (the dataset and one model), plus 4
 * bytes a record for its fold, 4 for a copy of its label with
 * self-training, 4 a numeric feature for a copy of the unstandardized
 * values, and, with an out-of-fold output, 8 bytes a class and 4 more a
 * record for the out-of-fold probabilities and decision; the K folds'
 * reports are small. With groups, 4 bytes a record for its group and 4
 * a class a group for the groups' class counts.
 */
#ifndef SIFT_TRAIN_CV_H
#define SIFT_TRAIN_CV_H

#include <stddef.h>
#include <stdint.h>

#include "sift/error.h"
#include "sift/metrics.h"
#include "sift/model.h"
#include "sift/reader.h"
#include "sift/train.h"
#include "sift/writer.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SIFT_CV_MAX_FOLDS 1000
/* The fold of a record that is in none (an unlabeled record). */
#define SIFT_CV_NO_FOLD UINT32_MAX

/* Assign the labeled records of label[0..n) (class ids below n_classes;
 * -1 unlabeled: SIFT_CV_NO_FOLD) to folds 0..k-1 in fold[0..n), seeded.
 *
 * Without groups (group NULL), stratified: each class's records in a
 * seeded random order are dealt to the folds in turn, each class
 * starting at the fold after the one where the last left off, so that
 * every fold holds floor or ceil of n_c / k records of each class c and
 * the folds' sizes differ by at most one.
 *
 * With groups (group[i] < n_groups, the group of record i), no group is
 * split: the groups that hold labeled records, in a seeded random order
 * then by their number of labeled records, the largest first (a stable
 * sort), go one by one to the fold that holds the fewest records of the
 * group's classes (the least sum over classes c of the group's count of
 * c times the fold's), ties going to the smaller fold, then the lower
 * fold: stratified as far as the groups allow.
 *
 * Returns 0; SIFT_EUSAGE for k outside 2..SIFT_CV_MAX_FOLDS; SIFT_EDATA
 * for fewer labeled records (or groups of them) than k; SIFT_ENOMEM. */
int sift_cv_folds(const int32_t *label, size_t n, size_t n_classes,
		  const uint32_t *group, size_t n_groups, unsigned k,
		  uint64_t seed, uint32_t *fold, struct sift_error *err);

struct sift_cv_opts {
	unsigned folds;          /* K, 2 .. SIFT_CV_MAX_FOLDS */
	const char *group;       /* the group column, or NULL */
	int final;               /* 1: then train the final model on all data */
	struct sift_writer *oof; /* the out-of-fold output, or NULL: the
				    reader must then be opened with
				    SIFT_READER_REWIND */
};

/* Defaults: 5 folds, no groups, no final model, no out-of-fold output. */
void sift_cv_opts_init(struct sift_cv_opts *cv);

struct sift_cv_hooks {
	void *ctx;
	/* Before the training of fold f (1-based) of folds, on n_train
	 * records (the holdout among them), to judge on n_valid; f 0 is the
	 * final model, on all records. */
	void (*fold_begin)(void *ctx, unsigned f, unsigned folds,
			   uint64_t n_train, uint64_t n_valid);
	/* After fold f: its report on the records it did not see. */
	void (*fold_end)(void *ctx, unsigned f, unsigned folds,
			 const struct sift_metrics_report *rep);
	/* Passed to the training of every fold and of the final model. */
	const struct sift_train_hooks *train;
};

/* A figure over the folds. */
struct sift_cv_stat {
	double mean, sd; /* sd: the sample standard deviation (n - 1) */
	unsigned n;      /* the folds where the figure is defined */
};

struct sift_cv_result {
	unsigned folds;
	int grouped;
	size_t n_groups; /* groups of labeled records */
	uint64_t n_records, n_labeled, n_unlabeled;
	size_t n_classes;
	const char *const *names; /* the model's class names */
	size_t positive;          /* binary: the positive class */
	uint64_t *fold_count;     /* [f * n_classes + c]: fold f's records
				     of class c */
	struct sift_metrics_report *fold; /* each fold's report */
	/* Each fold's L2 penalty, chosen on its holdout when l2_chose
	 * (sift/train.h, enum sift_l2_mode), else the one given. */
	double *fold_l2;
	int l2_chose;
	int shown[SIFT_FIG_COUNT]; /* shown in a fold's report */
	struct sift_cv_stat figure[SIFT_FIG_COUNT];
	/* [c * 4 + j]: class c's precision, recall, F and support (j 0..3) */
	struct sift_cv_stat *per_class;
	/* The final model's run (cv->final). */
	int has_final;
	struct sift_train_result final;
	double seconds;
	char notes[4096];
};

/* Cross-validate sift_train's options o on r (see above): m arrives as
 * sift_train wants it and leaves with the classes (and, with
 * cv->final, as the final model). o->valid is refused (SIFT_EUSAGE: the
 * folds are the validation data); o->holdout is drawn from each fold's
 * training part, for the threshold and early stopping, as sift_train
 * draws it from all the data. With cv->oof, every labeled record of r,
 * in input order, is written byte for byte with "pred" and the
 * "p_<class>" columns appended as sift predict appends them
 * (sift/predict.h), from the model of the fold that did not see it;
 * unlabeled records are not written. Errors: sift_train's, SIFT_EDATA
 * for a class with fewer labeled records than folds (naming it and its
 * count), for a group column that is not there, or that makes fewer
 * groups than folds; SIFT_EIO. res is filled: free it with
 * sift_cv_result_free, also on error. */
int sift_train_cv(struct sift_reader *r, const struct sift_train_opts *o,
		  const struct sift_cv_opts *cv,
		  const struct sift_cv_hooks *hooks, struct sift_model *m,
		  struct sift_cv_result *res, struct sift_error *err);

void sift_cv_result_free(struct sift_cv_result *res);

/* res as a text report: the folds' class counts, then per class and per
 * figure the mean and the sample sd over the folds. */
int sift_cv_write(struct sift_writer *w, const struct sift_cv_result *res,
		  struct sift_error *err);

#ifdef __cplusplus
}
#endif

#endif
