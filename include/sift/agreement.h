/*
 * sift/agreement.h - how much do annotators (or labeling rules) agree,
 * and how good is each of them, without a gold standard?
 *
 * The one implementation of the agreement statistics in sift: observed
 * agreement, Cohen's kappa (plain and weighted), Fleiss' kappa,
 * Krippendorff's alpha at four levels of measurement, the pairwise
 * Cohen's kappa matrix, majority-vote consensus, leave-one-out agreement,
 * the Wilson score interval and the words sift audit flags annotators
 * with. sift audit (people) and sift label (rules) both call it.
 *
 * Two shapes of input:
 *
 *   - a count table, n_items x n_cats: counts[i * n_cats + c] is how many
 *     raters put item i in category c (Fleiss, Krippendorff, observed
 *     agreement need nothing else);
 *   - ratings grouped by item (struct sift_agree_ratings), for what needs
 *     to know who said what (pairwise kappa, leave-one-out, majority).
 *
 * A statistic that is undefined (no item with two ratings, one category
 * only, chance agreement of 1) is NaN; callers print it as "-"/null.
 */
#ifndef SIFT_AGREEMENT_H
#define SIFT_AGREEMENT_H

#include <stddef.h>

#include "sift/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Ratings grouped by item: item i's ratings are rater[o], label[o] for
 * o in start[i] .. start[i + 1] - 1, at most one per rater and item.
 * Labels are category ids < n_cats. */
struct sift_agree_ratings {
	size_t n_items, n_raters, n_cats;
	const size_t *start; /* n_items + 1 */
	const size_t *rater;
	const unsigned *label;
};

/* The count table of r: *counts (n_items x n_cats, malloc'ed, owned by
 * the caller). Returns 0 or SIFT_ENOMEM. */
int sift_agree_counts(const struct sift_agree_ratings *r, unsigned **counts,
		      struct sift_error *err);

/* Observed agreement: over the items with two or more ratings, the share
 * of agreeing pairs of ratings, averaged over items (each item weighs
 * the same, Fleiss' P-bar). *n_used, if not NULL, gets the number of
 * items counted. */
double sift_agree_observed(const unsigned *counts, size_t n_items,
			   size_t n_cats, size_t *n_used);

/* Fleiss' kappa (Fleiss 1971), (P-bar - P_e) / (1 - P_e), over the items
 * with two or more ratings. Items may have different numbers of raters:
 * P_i is then each item's own pair share and p_c the share of category c
 * among all their ratings, which gives Fleiss' formula exactly when every
 * item has the same number. */
double sift_agree_fleiss(const unsigned *counts, size_t n_items, size_t n_cats);

enum sift_agree_level {
	SIFT_LEVEL_NOMINAL,
	SIFT_LEVEL_ORDINAL,
	SIFT_LEVEL_INTERVAL,
	SIFT_LEVEL_RATIO,
};

/* "nominal", "ordinal", "interval" or "ratio" to a level; -1 if none. */
int sift_agree_level_parse(const char *name);
const char *sift_agree_level_name(enum sift_agree_level level);

/* Krippendorff's alpha, 1 - D_o / D_e from the coincidence matrix
 * (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"):
 * missing ratings are simply absent from counts; items with fewer than
 * two ratings are not pairable and left out. value[c] is category c's
 * numeric value (ordinal: its rank order; interval and ratio: the
 * distances); value may be NULL for nominal, and then means c itself for
 * the other levels. Ratio needs non-negative values. */
double sift_agree_alpha(const unsigned *counts, size_t n_items, size_t n_cats,
			const double *value, enum sift_agree_level level);

enum sift_agree_weight {
	SIFT_WEIGHT_NONE,      /* plain kappa: every disagreement weighs 1 */
	SIFT_WEIGHT_LINEAR,    /* |a - b| / (K - 1) */
	SIFT_WEIGHT_QUADRATIC, /* ((a - b) / (K - 1))^2 */
};

/* Cohen's kappa (Cohen 1960; weighted: Cohen 1968) of a K x K contingency
 * table (table[a * K + b]: items rater 1 put in a and rater 2 in b).
 * Weights are disagreement weights over the category order 0..K-1. */
double sift_agree_cohen(const double *table, size_t n_cats,
			enum sift_agree_weight weight);

/* Cohen's kappa for every pair of raters over the items both rated.
 * *kappa and *overlap are n_raters x n_raters (malloc'ed, owned by the
 * caller, symmetric; the diagonal is NaN and 0); a pair that shares fewer
 * than min_overlap items (or at least one) gets NaN. Returns 0 or
 * SIFT_ENOMEM. */
int sift_agree_pairwise(const struct sift_agree_ratings *r, size_t min_overlap,
			double **kappa, size_t **overlap,
			struct sift_error *err);

/* Majority vote of every item: consensus[i] the most frequent label
 * (ties go to the lowest category id), share[i] its share of the item's
 * ratings (either may be NULL). An item without ratings gets label 0 and
 * share 0. */
void sift_agree_majority(const unsigned *counts, size_t n_items, size_t n_cats,
			 unsigned *consensus, double *share);

/* Per rater: agreement with the leave-one-out majority, the share of its
 * ratings equal to the majority of the other raters of the same item
 * (a tie of m labels that includes its own counts 1/m), over the items
 * somebody else rated too; loo[j] is NaN for a rater who shares no item.
 * shared[j] gets that number of items. Both arrays have n_raters
 * entries; counts is r's count table. */
void sift_agree_loo(const struct sift_agree_ratings *r, const unsigned *counts,
		    double *loo, size_t *shared);

/* Wilson's score interval (Wilson 1927) for a proportion of successes
 * out of n at the normal quantile z: *lo, *hi in [0, 1]. n = 0 gives
 * [0, 1]. */
void sift_agree_wilson(double successes, double n, double z, double *lo,
		       double *hi);

/* The quantile of the standard normal distribution at p in (0, 1)
 * (Acklam's rational approximation refined by one Halley step, accurate
 * to about 1e-15); the z of a two-sided level L is quantile(1 - (1-L)/2). */
double sift_agree_normal_quantile(double p);

/* The flags sift audit gives an annotator, as bits. */
enum {
	SIFT_FLAG_RANDOM = 1,   /* near-random: kappa with consensus < 0.2 */
	SIFT_FLAG_CONSTANT = 2, /* always the same label */
	SIFT_FLAG_BIASED = 4,   /* says one label far more than consensus */
	SIFT_FLAG_OVERLAP = 8,  /* too little overlap to judge */
};

/* What the flags are decided on, for one annotator. */
struct sift_agree_profile {
	size_t n_cats;
	const double *said;      /* n_cats: how often it said each label */
	const double *consensus; /* n_cats: the consensus labels of the
				  * items it rated */
	double kappa;            /* Cohen's kappa with the consensus */
	size_t shared;           /* items it shares with other annotators */
	size_t min_overlap;
};

/* The flags of a profile; *biased_to gets the label it is biased toward
 * (when SIFT_FLAG_BIASED). Rules, in order: fewer than min_overlap
 * shared items is "too little overlap" and nothing else; one label only
 * (with 2 or more ratings) is "always the same label"; kappa below 0.2
 * (Landis and Koch's "slight" agreement) is "near-random"; otherwise a
 * label said at least 0.15 more often (as a share) than the consensus
 * gives it on the same items, and 3 standard errors more, is "biased". */
unsigned sift_agree_flags(const struct sift_agree_profile *p,
			  size_t *biased_to);

/* The flag bit's words: "near-random", "always the same label",
 * "biased toward a label", "too little overlap to judge". */
const char *sift_agree_flag_name(unsigned bit);

#ifdef __cplusplus
}
#endif

#endif
