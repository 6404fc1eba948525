/*
 * sift/lfanalysis.h - labeling-function analysis: what each rule covers,
 * where rules overlap and conflict, which labels each emits, and how
 * often it is right where a gold label is known.
 *
 * These are the statistics of Snorkel's LFAnalysis (Ratner et al. 2017,
 * "Snorkel: rapid training data creation with weak supervision"):
 * coverage (the share of records a rule votes on), overlaps (records it
 * votes on where some other rule votes too), conflicts (records where
 * some other rule votes a different label), polarity (the labels it
 * emits) and empirical accuracy against gold. The same statistics are
 * kept for the whole rule set and for a combined label.
 *
 * Records are added one vote vector at a time, each with a count, so a
 * caller may add each distinct (votes, gold) pattern once with its
 * multiplicity.
 */
#ifndef SIFT_LFANALYSIS_H
#define SIFT_LFANALYSIS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Counts (weighted by the counts added) for one rule, the set or the
 * combined label. */
struct sift_lfa_stats {
	double covered;    /* records voted on */
	double overlapped; /* ... where another rule also voted */
	double conflicted; /* ... where another rule voted another label */
	double *emitted;   /* [n_labels]: votes per label (the polarity) */
	double correct;    /* voted and equal to a known gold label */
	double incorrect;  /* voted and not equal to a known gold label */
	double *confusion; /* [gold * n_labels + label]: votes by gold */
};

struct sift_lfa;

/* Rules vote labels 0..n_labels-1; gold classes are 0..n_gold-1, the
 * first n_labels of them the labels themselves (a gold value that is
 * no label can never be matched). NULL when out of memory. */
struct sift_lfa *sift_lfa_new(size_t n_rules, size_t n_labels, size_t n_gold);

void sift_lfa_free(struct sift_lfa *a);

/* Add count records with these votes (votes[i] = label or -1 for an
 * abstain), gold class (or -1 when unknown) and combined label (or -1). */
void sift_lfa_add(struct sift_lfa *a, const int *votes, int gold, int combined,
		  double count);

/* The total count of records added. */
double sift_lfa_records(const struct sift_lfa *a);

/* Statistics of rule i; of the set (covered: any rule voted; overlapped:
 * two or more voted; conflicted: two or more labels were voted; no
 * accuracy); and of the combined label (covered: it was not empty;
 * overlapped and conflicted: 0). */
const struct sift_lfa_stats *sift_lfa_rule(const struct sift_lfa *a, size_t i);
const struct sift_lfa_stats *sift_lfa_set(const struct sift_lfa *a);
const struct sift_lfa_stats *sift_lfa_combined(const struct sift_lfa *a);

/* correct / (correct + incorrect), or -1 when no voted record had a
 * known gold label. */
double sift_lfa_accuracy(const struct sift_lfa_stats *s);

#ifdef __cplusplus
}
#endif

#endif
