/*
 * sift/clean.h - finding mislabeled records by confident learning
 * (Northcutt, Jiang and Chuang, "Confident Learning: Estimating
 * Uncertainty in Dataset Labels", JAIR 70, 2021), from records that
 * carry a given label and a model's out-of-sample class probabilities.
 *
 * The estimate, for K classes and n labeled records with given labels
 * i and probabilities p[0..K):
 *  - the threshold of class j, t_j: the mean of p_j over the records
 *    labeled j (the class's mean self-confidence);
 *  - the confident joint C[i][j]: the records labeled i whose likely
 *    true label is j, where a record's likely true label is, among the
 *    classes j with p_j >= t_j - 1e-6 (cleanlab's margin for rounding),
 *    the one of highest probability (the lowest class number among
 *    equals: the order of the probability columns); a record above no
 *    threshold is counted nowhere. Each diagonal cell is then at least
 *    1, as cleanlab makes it;
 *  - the calibrated joint: each row i scaled to the n_i records labeled
 *    i, the whole to n, and rounded to whole records keeping each row's
 *    total (largest remainders, as cleanlab's round_preserving_sum);
 *    the estimated joint Q = calibrated / n, the noise matrix
 *    P(label = i | true = j) = calibrated[i][j] / sum_i calibrated[i][j]
 *    and the noise rate 1 - trace(Q);
 *  - the issues, by one of the paper's rules (below); a record whose
 *    given label is also its class of highest probability is never
 *    one.
 *
 * Three passes over the scores find them: the thresholds, the joint,
 * and (prune_by_noise_rate, prune_by_class, both) the cut-off scores;
 * a fourth over the records decides each one. struct sift_clean holds
 * the state of those passes, O(K^2) plus the cut-off heaps, whose size
 * is the number of issues; sift_clean_run drives them over a stream.
 */
#ifndef SIFT_CLEAN_H
#define SIFT_CLEAN_H

#include <stddef.h>
#include <stdint.h>

#include "sift/error.h"
#include "sift/reader.h"
#include "sift/sampling.h"
#include "sift/writer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Which records are issues (Northcutt et al. 2021, section 3.2, and
 * cleanlab's find_label_issues, whose names these are). m[i][j] is the
 * calibrated joint with its diagonal at least 1 (cleanlab's
 * min_examples_per_class = 1: a cell grown to 1 takes that record from
 * the row's other non-zero cells, whose counts are then cut to whole
 * records). A class with a single labeled record is never pruned. */
enum sift_clean_filter {
	/* for each pair i != j, the m[i][j] records labeled i of largest
	 * margin p_j - p_i (all those tied with the last one too); the
	 * default, as cleanlab's */
	SIFT_CLEAN_PRUNE_BY_NOISE_RATE,
	/* for each class i, the n_i - m[i][i] records labeled i of
	 * lowest p_i (none tied with the next one) */
	SIFT_CLEAN_PRUNE_BY_CLASS,
	/* the records both of the above choose */
	SIFT_CLEAN_BOTH,
	/* the off-diagonal records of the confident joint: labeled i,
	 * likely j != i */
	SIFT_CLEAN_CONFIDENT_LEARNING,
	/* the baseline: the class of highest probability is not the label
	 * (cleanlab's predicted_neq_given) */
	SIFT_CLEAN_PREDICTED_NEQ_GIVEN,
};

/* The label quality score, low for a likely issue (cleanlab's
 * get_label_quality_scores). */
enum sift_clean_rank {
	SIFT_CLEAN_SELF_CONFIDENCE,   /* p_i, i the given label */
	SIFT_CLEAN_NORMALIZED_MARGIN, /* (p_i - max_{j != i} p_j + 1) / 2 */
};

/* What sift_clean_run writes. */
enum sift_clean_output {
	SIFT_CLEAN_ISSUES, /* the issues, with suggested_label and
			      label_quality appended */
	SIFT_CLEAN_ALL,    /* every record, with suggested_label,
			      label_quality and is_issue */
	SIFT_CLEAN_DROP,   /* the records that are not issues, unchanged */
};

/* The order of SIFT_CLEAN_ISSUES's records. */
enum sift_clean_sort {
	SIFT_CLEAN_SORT_QUALITY, /* lowest label quality first, ties in input
				  order; the issues are held in memory */
	SIFT_CLEAN_SORT_INPUT,   /* input order, streamed */
};

/* The name of a filter, rank or sort, and back (-1 for no such name). */
const char *sift_clean_filter_name(enum sift_clean_filter f);
int sift_clean_filter_parse(const char *s);
const char *sift_clean_rank_name(enum sift_clean_rank r);
int sift_clean_rank_parse(const char *s);
const char *sift_clean_sort_name(enum sift_clean_sort o);
int sift_clean_sort_parse(const char *s);

/* The estimator's state. Fill it through the calls below, in order;
 * the arrays are K or K*K (row i, column j at [i * k + j]). */
struct sift_clean {
	size_t k;
	enum sift_clean_filter filter;
	uint64_t n;           /* labeled records added to pass 1 */
	uint64_t *n_given;    /* records labeled i */
	double *self_sum;     /* the sum of their p_i */
	double *threshold;    /* t_i; +infinity for a class no record has */
	uint64_t *joint;      /* C[i][j], diagonal at least 1 */
	uint64_t n_confident; /* records counted in the joint */
	uint64_t *calibrated; /* the calibrated joint, whole records */
	uint64_t *prune;      /* m[i][j] */
	struct sift_topk *margin_top; /* [i * k + j]: the m[i][j] largest
					 p_j - p_i of records labeled i */
	struct sift_topk *self_low;   /* [i]: the n_i - m[i][i] + 1 lowest
					 p_i of records labeled i (negated) */
	double *margin_cut;           /* the m[i][j]-th largest margin */
	double *self_cut; /* the (n_i - m[i][i] + 1)-th lowest p_i */
};

/* Ready for pass 1 over k >= 2 classes, with filter f. Returns 0 or
 * SIFT_ENOMEM (c is then freed). */
int sift_clean_init(struct sift_clean *c, size_t k, enum sift_clean_filter f,
		    struct sift_error *err);
void sift_clean_free(struct sift_clean *c);

/* Pass 1: a record labeled given (< k) with probabilities p[0..k). */
void sift_clean_add_self(struct sift_clean *c, size_t given, const double *p);

/* After pass 1: the thresholds. */
void sift_clean_thresholds(struct sift_clean *c);

/* The likely true label of a record (after sift_clean_thresholds): the
 * class of highest probability among those at or above their
 * threshold, or -1 when none is. */
long sift_clean_guess(const struct sift_clean *c, const double *p);

/* Pass 2: count a record into the confident joint. */
void sift_clean_add_joint(struct sift_clean *c, size_t given, const double *p);

/* After pass 2: the diagonal raised to 1, the calibrated joint, m, and
 * the cut-off heaps pass 3 fills. Returns 0, SIFT_ENOMEM, or SIFT_EDATA
 * for 2^31 labeled records or more. */
int sift_clean_calibrate(struct sift_clean *c, struct sift_error *err);

/* Whether the filter needs pass 3 (sift_clean_add_cut). */
int sift_clean_needs_cuts(const struct sift_clean *c);

/* Pass 3: offer a record's scores to the cut-off heaps. Returns 0 or
 * SIFT_ENOMEM. */
int sift_clean_add_cut(struct sift_clean *c, size_t given, const double *p,
		       struct sift_error *err);

/* After pass 3: the cut-off scores (the heaps are freed). */
void sift_clean_cuts(struct sift_clean *c);

/* Pass 4: 1 when the record labeled given with probabilities p is an
 * issue, else 0. */
int sift_clean_is_issue(const struct sift_clean *c, size_t given,
			const double *p);

/* The class of highest probability (the lowest among equals). */
size_t sift_clean_argmax(const double *p, size_t k);

/* The label quality score of a record labeled given. */
double sift_clean_quality(enum sift_clean_rank rank, size_t given,
			  const double *p, size_t k);

/* count[0..k) scaled to sum to total and rounded to whole records that
 * sum to total, into out[0..k): each to the nearest (ties to even),
 * then the cells of largest remainder raised (or of smallest lowered)
 * one at a time, as cleanlab's round_preserving_sum does, but in exact
 * integer arithmetic, so that remainders that are equal are treated as
 * equal (the last raised first, the first lowered first). All zeros
 * when count sums to 0. count[j] * total must fit in 63 bits. */
void sift_clean_round_row(const uint64_t *count, size_t k, uint64_t total,
			  uint64_t *out);

struct sift_clean_opts {
	const char *label;        /* the given label's column ("label") */
	const char *proba_prefix; /* the probability columns' ("p_") */
	enum sift_clean_filter filter;
	enum sift_clean_rank rank;
	enum sift_clean_output output;
	enum sift_clean_sort sort; /* SIFT_CLEAN_ISSUES only */
};

/* Defaults: column "label", prefix "p_", prune_by_noise_rate, ranked by
 * self-confidence, the issues by quality. */
void sift_clean_opts_init(struct sift_clean_opts *o);

/* Check o: a sort other than input order with an output other than
 * the issues is SIFT_EUSAGE. */
int sift_clean_check(const struct sift_clean_opts *o, struct sift_error *err);

/* What a run found, for reports. */
struct sift_clean_stats {
	uint64_t n_records;   /* data records read */
	uint64_t n_unlabeled; /* of them with an empty label, not judged */
	uint64_t n_issues;
	size_t k;
	char **classes;        /* class names: the probability columns'
				  names without the prefix, in their order */
	struct sift_clean est; /* the estimator (its heaps freed) */
	char note[512];        /* notes for the tool, a line each */
};

void sift_clean_stats_free(struct sift_clean_stats *st);

/* Find the issues of r and write what o->output says to w (the header
 * first, with the columns appended). r must have been opened with
 * SIFT_READER_REWIND: it is read twice (the scores between are kept in
 * an unlinked temporary file in $TMPDIR, the label's class number and
 * K doubles a record). Memory: O(K^2), the cut-off heaps (16 bytes an
 * issue) and, for the issues by quality, the issues' records.
 *
 * Errors (SIFT_EDATA, naming the file and line): fewer than two
 * probability columns; a label that has no probability column; a
 * probability that is not a number in [0, 1]; probabilities that do not
 * sum to 1 within 1e-3 (printed with few digits, they sum to 1 only
 * roughly); no labeled record, or a single class among the labels. A
 * record with an empty label is not judged: counted in
 * st->n_unlabeled, left out of the issues, kept by SIFT_CLEAN_DROP and
 * written by SIFT_CLEAN_ALL with an empty label_quality. st is filled
 * as far as the run went. Returns 0 or an error code; w is flushed by
 * the caller's close. */
int sift_clean_run(struct sift_reader *r, struct sift_writer *w,
		   const struct sift_clean_opts *o, struct sift_clean_stats *st,
		   struct sift_error *err);

#ifdef __cplusplus
}
#endif

#endif
