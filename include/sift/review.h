/*
 * sift/review.h - which labels to look at again, and how many.
 *
 * Two questions after an audit: which items most need a second look
 * (where the annotators disagree and the consensus is least sure), and,
 * to measure each annotator's error rate by re-checking a random sample
 * of their labels, how large that sample must be and which labels it
 * holds. The draws use the one seeded generator (sift/rng.h), so the
 * same seed gives the same sample everywhere.
 */
#ifndef SIFT_REVIEW_H
#define SIFT_REVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "sift/error.h"
#include "sift/rng.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The sample size that estimates a proportion near p within +-margin
 * at the normal quantile z, from a population of N (Cochran 1977,
 * "Sampling Techniques", 4.2-4.3): n0 = z^2 p (1 - p) / margin^2, then
 * the finite-population correction n = n0 / (1 + (n0 - 1) / N), rounded
 * up; never more than N, 0 for N = 0. p = 0.5 is the safe choice when
 * nothing is known (it gives the largest n). margin in (0, 1). */
uint64_t sift_review_sample_size(uint64_t N, double margin, double z, double p);

/* The n items most worth a second look, in *out (n entries, or fewer if
 * there are fewer items; *n_out gets how many): lowest confidence (the
 * consensus label's posterior or share) first, then the greatest
 * disagreement (1 - the majority's share), then the lower index.
 * Returns 0 or SIFT_ENOMEM. */
int sift_review_top(const double *confidence, const double *disagreement,
		    size_t n_items, size_t n, size_t *out, size_t *n_out,
		    struct sift_error *err);

/* Choose k of the positions 0..n-1 uniformly without replacement, in
 * increasing order, into out: selection sampling (sift_select of
 * sift/sampling.h, Knuth's Algorithm S). k <= n. */
void sift_review_draw(struct sift_rng *rng, size_t n, size_t k, size_t *out);

#ifdef __cplusplus
}
#endif

#endif
