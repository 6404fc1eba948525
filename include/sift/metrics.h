/*
 * sift/metrics.h - how good is a classifier, told honestly about rare
 * classes.
 *
 * Accumulate, then compute. A caller (sift metrics reading a CSV, or a
 * trainer scoring its validation set every epoch) adds one record at a
 * time: its gold class, its predicted class (dense ids 0, 1, 2 ... that
 * the caller assigns, for instance with sift/intern.h), a weight, and
 * optionally its scores. sift_metrics_compute then fills a report: the
 * confusion matrix, per-class precision/recall/F, the averaged figures,
 * Matthews correlation, Cohen's kappa, the geometric mean of recalls and,
 * with scores, ROC-AUC, average precision, log loss, Brier score, the
 * calibration errors (ECE, adaptive ECE, MCE; sift/reliability.h), the
 * best-F threshold and the cost-minimising threshold, each optionally
 * with a bootstrap confidence interval. The definitions follow
 * scikit-learn (zero_division=0, ties in scores move together); each is
 * written out in sift-metrics(1).
 *
 * The report is a function of the records, not of the order they were
 * added in: sift_metrics_compute first puts them in an order of their
 * own (gold, pred, weight; then score; then the other probabilities),
 * so that sums and bootstrap resamples are the same for any order, and
 * shards added in any order give the whole's report to the last digit.
 *
 * Memory: the records are kept, 8 bytes each plus 8 for a weight other
 * than 1 plus 8 per score (so 10 million binary scored records take
 * about 240 MB with the sort), because ROC, average precision, the
 * threshold sweeps and the bootstrap need them all; scores are sorted
 * once, by a radix sort, O(n).
 */
#ifndef SIFT_METRICS_H
#define SIFT_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "sift/curves.h"
#include "sift/error.h"
#include "sift/reliability.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sift_metrics;

/* A new empty accumulator. n_proba is the number of class probabilities
 * each record will carry through sift_metrics_add (column k being the
 * probability of class id k), or 0 for records without them. Returns
 * NULL when out of memory. */
struct sift_metrics *sift_metrics_new(size_t n_proba);

/* Free m; m may be NULL. */
void sift_metrics_free(struct sift_metrics *m);

/* Add one record. gold and pred are class ids (any value below
 * SIFT_METRICS_MAX_CLASSES; a predicted class never seen in gold is
 * fine). weight is finite and >= 0 (use 1 for unweighted data). proba is
 * NULL, or n_proba probabilities in [0, 1] copied in; every record of an
 * accumulator either has them or not. Returns 0; SIFT_EDATA (with a
 * message naming what is wrong, but no file or line: the caller adds
 * those) for a bad weight or probability, or for mixing records with and
 * without scores; SIFT_ENOMEM. On error nothing is added. */
int sift_metrics_add(struct sift_metrics *m, uint32_t gold, uint32_t pred,
		     double weight, const double *proba,
		     struct sift_error *err);

/* Add one record of a binary scorer: score is the probability in [0, 1]
 * that the record belongs to the positive class (which the report's
 * options name, or which is chosen as the rarer gold class). Only for an
 * accumulator made with n_proba 0, and not mixed with sift_metrics_add
 * records. Errors as sift_metrics_add. */
int sift_metrics_add_score(struct sift_metrics *m, uint32_t gold, uint32_t pred,
			   double weight, double score, struct sift_error *err);

/* The number of records added, and 1 + the largest class id seen (0
 * when empty). */
uint64_t sift_metrics_count(const struct sift_metrics *m);
size_t sift_metrics_classes_seen(const struct sift_metrics *m);

/* The sum of the weights of the records added (their number when every
 * weight is 1). */
double sift_metrics_total_weight(const struct sift_metrics *m);

/* Give the classes new ids: class c becomes map[c]. map has n_map
 * entries, at least sift_metrics_classes_seen(m), each below
 * SIFT_METRICS_MAX_CLASSES, no two alike; with probability columns,
 * ids below n_proba must keep their places (column k is the
 * probability of class k). Returns 0, or SIFT_EUSAGE for a map that is
 * none of these (m is then unchanged). */
int sift_metrics_relabel(struct sift_metrics *m, const uint32_t *map,
			 size_t n_map, struct sift_error *err);

/* The confusion matrix is dense: n_classes^2 doubles. */
#define SIFT_METRICS_MAX_CLASSES 1024

/* The figures of a report, in the order they are printed. Their names
 * (sift_metrics_figure_name) are the stable field names of the csv and
 * json formats. */
enum sift_figure {
	SIFT_FIG_ACCURACY,
	SIFT_FIG_BALANCED_ACCURACY,
	SIFT_FIG_PRECISION, /* of the positive class */
	SIFT_FIG_RECALL,
	SIFT_FIG_F,
	SIFT_FIG_SPECIFICITY,
	SIFT_FIG_MACRO_PRECISION,
	SIFT_FIG_MACRO_RECALL,
	SIFT_FIG_MACRO_F,
	SIFT_FIG_MICRO_PRECISION,
	SIFT_FIG_MICRO_RECALL,
	SIFT_FIG_MICRO_F,
	SIFT_FIG_WEIGHTED_PRECISION,
	SIFT_FIG_WEIGHTED_RECALL,
	SIFT_FIG_WEIGHTED_F,
	SIFT_FIG_MCC,
	SIFT_FIG_KAPPA,
	SIFT_FIG_GMEAN,
	SIFT_FIG_ROC_AUC,
	SIFT_FIG_AP,
	SIFT_FIG_LOG_LOSS,
	SIFT_FIG_BRIER,
	SIFT_FIG_ECE,          /* over equal-width bins */
	SIFT_FIG_ADAPTIVE_ECE, /* over equal-mass bins */
	SIFT_FIG_MCE,          /* the worst equal-width bin */
	SIFT_FIG_BEST_THRESHOLD,
	SIFT_FIG_BEST_F,
	SIFT_FIG_COST,
	SIFT_FIG_COST_THRESHOLD,
	SIFT_FIG_MIN_COST,
	SIFT_FIG_COUNT
};

/* "accuracy", "balanced_accuracy", "precision", ... */
const char *sift_metrics_figure_name(enum sift_figure f);

/* A short human name: "balanced accuracy", "ROC-AUC", ... */
const char *sift_metrics_figure_label(enum sift_figure f);

struct sift_metrics_opts {
	/* Class names for ids 0 .. n_classes-1 (n_classes must be at least
	 * sift_metrics_classes_seen). Borrowed: the report points to them. */
	size_t n_classes;
	const char *const *names;
	double beta;       /* F-beta; 1 by default */
	int have_positive; /* else the rarer gold class (by weight) */
	size_t positive;
	/* Costs, cost[gold * n_classes + pred], or NULL; or the binary
	 * form (positive against the rest) when binary_cost is set. */
	const double *cost;
	int binary_cost;
	double cost_tp, cost_fp, cost_fn, cost_tn;
	double ci;       /* 0: no intervals; else a level in (0, 1) */
	uint64_t n_boot; /* resamples, 1000 by default */
	uint64_t seed;
	/* The calibration bins, 1 to SIFT_METRICS_MAX_BINS; 15 by default. */
	size_t bins;
};

#define SIFT_METRICS_MAX_BINS 1000000

/* Defaults: beta 1, no positive named, no costs, no intervals, 15
 * bins. */
void sift_metrics_opts_init(struct sift_metrics_opts *o);

struct sift_class_report {
	double support;   /* weight of the records of this gold class */
	double predicted; /* weight of the records predicted as it */
	double tp;
	double precision, recall, f; /* 0 where undefined (see notes) */
};

#define SIFT_METRICS_NOTES 4096

struct sift_metrics_report {
	size_t n_classes;
	const char *const *names;
	uint64_t n_records;
	double total_weight;
	double beta;
	size_t bins;
	/* The calibration figures bin the positive class's probability
	 * against gold being it (top_label 0: a score, or two probability
	 * columns), or the highest probability against the most probable
	 * class (the first on a tie) being gold (top_label 1: more columns;
	 * Guo et al. 2017). */
	int top_label;
	size_t positive;
	int positive_chosen; /* 1: not named, chosen as the rarer class */
	double *confusion;   /* n_classes^2, row gold, column predicted */
	struct sift_class_report *classes;
	/* value[f]: NaN where undefined (ROC-AUC with one gold class...);
	 * shown[f]: 0 where the figure does not apply (no scores, no
	 * costs), and is then left out of every format. */
	double value[SIFT_FIG_COUNT];
	int shown[SIFT_FIG_COUNT];
	int has_ci;
	double ci;
	uint64_t n_boot, seed;
	double lo[SIFT_FIG_COUNT], hi[SIFT_FIG_COUNT];
	/* The binary confusion of the positive class against the rest. */
	double tp, fp, fn, tn;
	/* Plain-words warnings (the picture is misleading) and notes
	 * (conventions applied), one per line, each ending in '\n'. */
	char warnings[SIFT_METRICS_NOTES];
	char notes[SIFT_METRICS_NOTES];
};

/* Compute the report of the records added so far. Returns 0;
 * SIFT_EDATA for no records, or records whose weights are all 0 (no
 * figure is defined on a total weight of 0); SIFT_EUSAGE for options that do
 * not fit the data (n_classes too small, a positive class out of range, a level
 * outside (0, 1)); SIFT_ENOMEM. Free the report with
 * sift_metrics_report_free, also after an error. m keeps the sorted
 * order of the scores for sift_metrics_curve. */
int sift_metrics_compute(struct sift_metrics *m,
			 const struct sift_metrics_opts *opts,
			 struct sift_metrics_report *rep,
			 struct sift_error *err);

void sift_metrics_report_free(struct sift_metrics_report *rep);

/* The curve of the positive class of rep, which sift_metrics_compute
 * made from m. Returns 0, SIFT_EUSAGE when m has no scores, or
 * SIFT_ENOMEM. Free with sift_curve_free. */
int sift_metrics_curve(struct sift_metrics *m,
		       const struct sift_metrics_report *rep,
		       enum sift_curve_kind kind, struct sift_curve *curve,
		       struct sift_error *err);

/* The calibration bins of rep, which sift_metrics_compute made from m
 * (the probability binned as rep->top_label says). Fills bins[0 ..
 * rep->bins); bins is the caller's. Returns 0, SIFT_EUSAGE when m has
 * no scores, or SIFT_ENOMEM. */
int sift_metrics_reliability(struct sift_metrics *m,
			     const struct sift_metrics_report *rep,
			     enum sift_bins_kind kind,
			     struct sift_reliability_bin *bins,
			     struct sift_error *err);

#ifdef __cplusplus
}
#endif

#endif
