/*
 * sift/rng.h - the one seeded random generator every sift command uses.
 *
 * xoshiro256** 1.0 (Blackman and Vigna, 2018), its 256-bit state filled
 * from the 64-bit seed by SplitMix64, as its authors recommend. The same
 * seed gives the same stream on every machine: only integer arithmetic
 * and IEEE-754 doubles built from the top 53 bits are used.
 */
#ifndef SIFT_RNG_H
#define SIFT_RNG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct sift_rng {
	uint64_t s[4];
};

/* Seed the generator; any 64-bit value, including 0, is a good seed. */
void sift_rng_seed(struct sift_rng *rng, uint64_t seed);

/* A seed from the operating system's entropy (/dev/urandom), falling
 * back to the time and the process id if it cannot be read. */
uint64_t sift_rng_os_seed(void);

/* The next 64 random bits. */
uint64_t sift_rng_next(struct sift_rng *rng);

/* A uniform double in [0, 1), a multiple of 2^-53. */
double sift_rng_uniform(struct sift_rng *rng);

/* A uniform double in (0, 1]: safe to take the logarithm of. */
double sift_rng_uniform_pos(struct sift_rng *rng);

/* A uniform integer in [0, n), without bias (Lemire 2019); n > 0. */
uint64_t sift_rng_below(struct sift_rng *rng, uint64_t n);

/* An exponential variate with rate 1. */
double sift_rng_exp(struct sift_rng *rng);

/* Shuffle n items of size bytes each in place (Fisher-Yates). */
void sift_rng_shuffle(struct sift_rng *rng, void *items, uint64_t n,
		      size_t size);

#ifdef __cplusplus
}
#endif

#endif
