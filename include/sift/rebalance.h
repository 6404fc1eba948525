/*
 * sift/rebalance.h - class rebalancing: under-sampling, over-sampling,
 * SMOTE and class weights, from a reader to a writer.
 *
 * Every method reads its input at least twice: a first pass counts the
 * records of each class (the values of the --by column), the targets
 * follow from the counts, and a second pass writes. The reader must be
 * opened with SIFT_READER_REWIND (stdin is then spooled). Memory is
 * bounded by the number of classes (under, over, weights) or by the
 * feature vectors of the classes SMOTE grows and the synthetic rows it
 * plans (smote); never by the input.
 *
 * What is drawn, and from which distribution:
 *  - under: in each class, exactly target of its N_c records are kept,
 *    every subset of that size equally likely (selection sampling, Fan,
 *    Muller and Rezucha 1962; Knuth's Algorithm S), in input order.
 *  - over: every record is kept, and target - N_c extra copies are drawn
 *    uniformly with replacement from the class, as imbalanced-learn's
 *    RandomOverSampler does; the multinomial counts are drawn in one
 *    streaming pass as successive binomials, and a record drawn m times
 *    is written 1 + m times in a row, in input order.
 *  - smote: see sift/smote.h; the synthetic rows follow the real ones.
 *  - weights: nothing dropped or repeated; a weight column is appended.
 */
#ifndef SIFT_REBALANCE_H
#define SIFT_REBALANCE_H

#include <stddef.h>
#include <stdint.h>

#include "sift/error.h"
#include "sift/reader.h"
#include "sift/rng.h"
#include "sift/writer.h"

#ifdef __cplusplus
extern "C" {
#endif

enum sift_rebalance_method {
	SIFT_REBALANCE_UNDER,
	SIFT_REBALANCE_OVER,
	SIFT_REBALANCE_SMOTE,
	SIFT_REBALANCE_WEIGHTS,
};

/* A count every class is brought to. */
enum sift_rebalance_to {
	SIFT_TO_MAJORITY,
	SIFT_TO_MINORITY,
	SIFT_TO_MEAN,
};

/* How the size (or weight) of each class is set. */
enum sift_rebalance_goal {
	/* under: to the minority; over, smote: to the majority; weights:
	 * balanced (each class's total weight the mean class size). */
	SIFT_GOAL_DEFAULT,
	SIFT_GOAL_RATIO,  /* A:B, as imbalanced-learn's float strategy */
	SIFT_GOAL_TARGET, /* "LABEL=N,LABEL=N": counts; others keep theirs */
	SIFT_GOAL_TO,     /* every class to the minority, majority, mean */
	SIFT_GOAL_CLASS_WEIGHT, /* weights: "LABEL=W,..." (others 1) */
};

struct sift_rebalance_opts {
	enum sift_rebalance_method method;
	const char *by; /* the class column (required) */
	/* What each class becomes: one goal, and its member below. */
	enum sift_rebalance_goal goal;
	union {
		struct {
			double minor, major; /* minority to majority */
		} ratio;                     /* SIFT_GOAL_RATIO */
		const char *target;          /* SIFT_GOAL_TARGET */
		enum sift_rebalance_to to;   /* SIFT_GOAL_TO */
		const char *class_weight;    /* SIFT_GOAL_CLASS_WEIGHT */
	};
	const char *emit_weight; /* weights: the column's name */
	const char *features;    /* smote: "COL,COL,..." numeric columns */
	uint64_t k;              /* smote: neighbours (default 5) */
	const char *mark_col;    /* smote: the synthetic-row marker column */
	uint64_t seed;
	int dry_run; /* count and plan only; w may be NULL */
};

/* Defaults: under, k = 5, emit_weight "weight", mark_col "synthetic". */
void sift_rebalance_opts_init(struct sift_rebalance_opts *o);

/* "under", "over", "smote", "weights" (and "undersample", "oversample"),
 * or -1. */
int sift_rebalance_method_parse(const char *s);
const char *sift_rebalance_method_name(enum sift_rebalance_method m);

/* Parse "A:B" (or a single number A, meaning A:1) into a ratio of
 * minority to majority, 0 < A/B <= 1 as imbalanced-learn requires.
 * Returns 0, or SIFT_EUSAGE with a message. */
int sift_rebalance_ratio_parse(const char *s, double *minor, double *major,
			       struct sift_error *err);

/* Check o: a class column, a goal the method can reach, options that
 * belong to the method. Returns 0 or SIFT_EUSAGE naming the option. */
int sift_rebalance_check(const struct sift_rebalance_opts *o,
			 struct sift_error *err);

/* One class, for reports: its name (the --by value), its records
 * before and after, and (weights) its weight. */
struct sift_class_count {
	char *name;
	uint64_t before;
	uint64_t after;
	double weight;
};

struct sift_rebalance_stats {
	uint64_t n_in;
	uint64_t n_out;
	size_t n_classes;
	struct sift_class_count *classes; /* in order of first appearance */
	char note[512]; /* warnings for the tool to print, a line each */
};

void sift_rebalance_stats_free(struct sift_rebalance_stats *st);

/* The target count of each of k classes of sizes count[] (names[] for
 * --target), from o's ratio, target or --to, into target[]. Ratios
 * follow imbalanced-learn: under, every class but the smallest goes to
 * floor(N_min * B / A); over and smote, every class but the largest to
 * floor(N_max * A / B) (exactly, in integers, when A and B are whole).
 * --to mean is floor(N / k). A class a method cannot reach (under asked
 * to grow one, over to shrink one) is an error SIFT_EDATA naming it, as
 * is a --target label that is no class. weights: the targets are the
 * counts whose weight target/N_c the method writes; balanced gives
 * target = N / k, not rounded. Returns 0 or an error. */
int sift_rebalance_targets(const struct sift_rebalance_opts *o, size_t k,
			   const uint64_t *count, const char *const *names,
			   double *target, struct sift_error *err);

/* Copies of the next record of a class over-sampled with replacement:
 * of the extra draws still to place (*draws_left) among the records
 * still to come (left >= 1), this record takes Binomial(*draws_left,
 * 1/left); *draws_left is reduced by it. Successive calls give the
 * multinomial counts of *draws_left uniform draws with replacement.
 * Cost O(1 + the count), by geometric skips over the draws. */
uint64_t sift_rebalance_extra(struct sift_rng *rng, uint64_t *draws_left,
			      uint64_t left);

/* Rebalance r into w (the header, with weight or marker column
 * appended, then the records). r must have been opened with
 * SIFT_READER_REWIND. With o->dry_run nothing is written and w may be
 * NULL. stats gets the class counts before and after, also on some
 * errors (a target that cannot be met) so that they can be shown.
 * Returns 0 or an error code; w is flushed but not closed. */
int sift_rebalance_run(struct sift_reader *r, struct sift_writer *w,
		       const struct sift_rebalance_opts *o,
		       struct sift_rebalance_stats *stats,
		       struct sift_error *err);

#ifdef __cplusplus
}
#endif

#endif
