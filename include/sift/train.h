/*
 * sift/train.h - the training loop of sift train: data in memory once,
 * then seeded epochs of mini-batch SGD, validation, early stopping,
 * threshold tuning, diagnostics and self-training.
 *
 * The input is read once into compact arrays (the hashed indices and
 * values of every record, 8 bytes a feature), so memory grows as records
 * x features and each epoch is a pass over memory, not over the CSV.
 * Everything random (the holdout split, the initial weights of an mlp,
 * the order of every epoch) comes from one xoshiro256** seeded with
 * opts.seed, so the same data, options and seed give the same model
 * bytes.
 */
#ifndef SIFT_TRAIN_H
#define SIFT_TRAIN_H

#include <stddef.h>
#include <stdint.h>

#include "sift/calibrate.h"
#include "sift/error.h"
#include "sift/metrics.h"
#include "sift/model.h"
#include "sift/reader.h"
#include "sift/writer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Records as hashed features, the label and the weight of each. */
struct sift_dataset {
	size_t n;
	uint64_t *off; /* record i's features are off[i] .. off[i+1]-1 */
	uint32_t *idx;
	float *val;
	uint64_t n_feat, cap;
	int32_t *label; /* class id; -1 unlabeled */
	double *weight; /* sample weight; 1 without a weight column */
	size_t rec_cap;
	uint64_t n_unlabeled;
	uint64_t *text_tokens; /* tokens per text column, over all records */
};

void sift_dataset_free(struct sift_dataset *d);

enum sift_class_weight { SIFT_CW_NONE, SIFT_CW_BALANCED, SIFT_CW_LIST };
enum sift_threshold_mode {
	SIFT_TH_DEFAULT,
	SIFT_TH_NONE,
	SIFT_TH_F1,
	SIFT_TH_COST
};
enum sift_stop_figure { SIFT_STOP_MACRO_F1, SIFT_STOP_AP, SIFT_STOP_COST };

/* How the L2 penalty is set. Choosing it is a run for each penalty of
 * sift_train_l2_grid from the same generator state, each scored on the
 * validation data as --early-stop-on scores an epoch, then the run of
 * the best (the larger on a tie) again, so that the model is the one
 * that penalty given as l2 makes. The grid's runs share the available
 * processors (at most SIFT_TRAIN_L2_THREADS threads, each with its own
 * copy of the weights); the result does not depend on how many. */
enum sift_l2_mode {
	SIFT_L2_DEFAULT, /* chosen if there is validation data, else l2 */
	SIFT_L2_FIXED,   /* l2 */
	SIFT_L2_CHOOSE   /* chosen; no validation data is SIFT_EUSAGE */
};

#define SIFT_TRAIN_L2_THREADS 4

struct sift_train_opts {
	const char *label;  /* the label column (required) */
	const char *weight; /* the sample weight column, or NULL */
	unsigned hidden;    /* 0: softmax regression; H: mlp */
	double lr;          /* initial learning rate, decayed linearly;
			     * 0: sift_train_default_lr(hidden) */
	unsigned epochs;
	size_t batch;
	double l2; /* the penalty when it is not chosen */
	enum sift_l2_mode l2_mode;
	uint64_t seed;
	enum sift_class_weight class_weight;
	const char *class_weights; /* SIFT_CW_LIST: "LABEL=W,..." */
	enum sift_threshold_mode threshold;
	double cost_fn, cost_fp; /* --cost; defaults 1 and 1 */
	const char *positive;    /* binary: the positive class, or NULL */
	const char *valid;       /* a validation file (read with the
				  * input's options), or NULL */
	double holdout;          /* else this stratified fraction */
	unsigned early_stop;     /* epochs without improvement; 0: off */
	enum sift_stop_figure stop_on;
	unsigned self_train; /* rounds; 0: off */
	double confidence;
	/* Fitted on the validation data after training, stored in the
	 * model, and applied before the threshold is tuned; none: off. */
	enum sift_cal_kind calibrate;
	/* If not NULL: every labeled record of the training input (the
	 * holdout too, not the --valid file), in input order, as
	 * sift_features_write_svm lines labeled with the class id (0-based,
	 * in the model's class order): the exact features the model sees. */
	struct sift_writer *export_svm;
};

/* The default learning rate: 8 for softmax regression, 0.5 with a
 * hidden layer. */
double sift_train_default_lr(unsigned hidden);

/* The penalties tried when l2 is chosen, from the weakest: 1e-6, 1e-5,
 * 1e-4, 3e-4, 1e-3, 3e-3 and 1e-2. */
#define SIFT_TRAIN_L2_GRID 7
extern const double sift_train_l2_grid[SIFT_TRAIN_L2_GRID];

/* Defaults: lr 0 (the model's default), 10 epochs, batch 8, l2 chosen on
 * the validation data (SIFT_L2_DEFAULT; 1e-6 without), seed 0, holdout
 * 0.1, threshold f1 for two classes with validation data, confidence
 * 0.95. */
void sift_train_opts_init(struct sift_train_opts *o);

/* What the loop reports as it goes. */
struct sift_epoch_stats {
	unsigned round; /* self-training round, 0 first */
	unsigned epoch, epochs;
	double train_loss, train_acc; /* weighted means over the epoch */
	int has_valid;
	double valid_loss, valid_macro_f1, valid_ap, valid_cost;
	double seconds;
	int best; /* 1: the best epoch so far on the stopping figure */
};

struct sift_train_hooks {
	void *ctx;
	/* After every batch: its weighted mean loss and accuracy. */
	void (*batch)(void *ctx, unsigned round, unsigned epoch, uint64_t batch,
		      uint64_t n_batches, double loss, double acc);
	void (*epoch)(void *ctx, const struct sift_epoch_stats *st);
};

struct sift_train_result {
	uint64_t n_records, n_labeled, n_unlabeled, n_train, n_valid;
	size_t n_classes;
	uint64_t *class_count; /* labeled training records per class */
	double *class_weight;
	unsigned epochs_run, best_epoch;
	/* --early-stop: the first epoch that went on from the best
	 * epoch's weights, base, at a rate decaying to 0; or 0, 0. */
	unsigned anneal_first, anneal_base;
	/* l2_chose: the penalty was chosen (enum sift_l2_mode); then the
	 * validation score of each penalty of the grid (NaN for a run that
	 * failed), and the one chosen (an index into sift_train_l2_grid). */
	int l2_chose;
	double l2_score[SIFT_TRAIN_L2_GRID];
	unsigned l2_chosen;
	double seconds_load, seconds_train;
	/* The final report, on validation data (or on the training data
	 * when there is none, which the notes say). */
	int has_report;
	int report_on_valid;
	struct sift_metrics_report report;
	/* Plain-words diagnostics (what looks wrong and the fix) and notes
	 * (what was done), one per line, each ending in '\n'. */
	char diagnostics[8192];
	char notes[8192];
};

/* Train a model from reader r: m arrives initialised, with its spec's
 * columns and tokenizer settings and (for an mlp) kind and hidden set;
 * it leaves with classes, standardization, threshold, options and
 * weights. res is filled (free it with sift_train_result_free, also on
 * error). Errors: bad data (a missing label column, a label of the
 * validation file unknown to training, fewer than two classes, a bad
 * weight, a NaN loss), SIFT_EUSAGE for options that do not fit the data,
 * SIFT_EIO, SIFT_ENOMEM. */
int sift_train(struct sift_reader *r, const struct sift_train_opts *o,
	       const struct sift_train_hooks *hooks, struct sift_model *m,
	       struct sift_train_result *res, struct sift_error *err);

void sift_train_result_free(struct sift_train_result *res);

/* Parse --cost (sift/cost.h: "FN=10,FP=1", keys in any case) into o's
 * cost_fn and cost_fp; a key not given keeps its value. The binary
 * form's TP and TN and the gold:pred form are refused: training tunes
 * its threshold on the costs of its two errors. Returns 0, or
 * SIFT_EUSAGE (or SIFT_ENOMEM) with err filled and o unchanged. */
int sift_train_parse_cost(const char *s, struct sift_train_opts *o,
			  struct sift_error *err);

#ifdef __cplusplus
}
#endif

#endif
