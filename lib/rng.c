/*
 * lib/rng.c - xoshiro256** seeded by SplitMix64.
 *
 * Blackman and Vigna, "Scrambled linear pseudorandom number generators"
 * (2018). Period 2^256 - 1, passes BigCrush, and is a few instructions
 * per draw, which matters: a Bernoulli sample of ten million records
 * draws a number for each skip.
 */
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sift/rng.h"

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

void sift_rng_seed(struct sift_rng *rng, uint64_t seed)
{
	uint64_t x = seed;

	for (int i = 0; i < 4; i++)
		rng->s[i] = splitmix64(&x);
}

uint64_t sift_rng_os_seed(void)
{
	uint64_t seed = 0;
	int fd = open("/dev/urandom", O_RDONLY);

	if (fd >= 0) {
		ssize_t n = read(fd, &seed, sizeof seed);

		close(fd);
		if (n == (ssize_t)sizeof seed)
			return seed;
	}
	seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	return splitmix64(&seed);
}

uint64_t sift_rng_next(struct sift_rng *rng)
{
	uint64_t *s = rng->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

double sift_rng_uniform(struct sift_rng *rng)
{
	return (double)(sift_rng_next(rng) >> 11) * 0x1.0p-53;
}

double sift_rng_uniform_pos(struct sift_rng *rng)
{
	return (double)((sift_rng_next(rng) >> 11) + 1) * 0x1.0p-53;
}

/* Lemire, "Fast random integer generation in an interval" (2019): a
 * 64x64->128 multiply, with a rejection step that is rarely taken.
 * Without a 128-bit type, the classic modulo with rejection. */
#if defined(__SIZEOF_INT128__)
__extension__ typedef unsigned __int128 u128;

uint64_t sift_rng_below(struct sift_rng *rng, uint64_t n)
{
	u128 m = (u128)sift_rng_next(rng) * n;
	uint64_t low = (uint64_t)m;

	if (low < n) {
		uint64_t threshold = -n % n;

		while (low < threshold) {
			m = (u128)sift_rng_next(rng) * n;
			low = (uint64_t)m;
		}
	}
	return (uint64_t)(m >> 64);
}
#else
uint64_t sift_rng_below(struct sift_rng *rng, uint64_t n)
{
	uint64_t threshold = -n % n, x;

	do
		x = sift_rng_next(rng);
	while (x < threshold);
	return x % n;
}
#endif

double sift_rng_exp(struct sift_rng *rng)
{
	return -log(sift_rng_uniform_pos(rng));
}

static void swap_bytes(unsigned char *a, unsigned char *b, size_t size)
{
	for (size_t k = 0; k < size; k++) {
		unsigned char t = a[k];

		a[k] = b[k];
		b[k] = t;
	}
}

void sift_rng_shuffle(struct sift_rng *rng, void *items, uint64_t n,
		      size_t size)
{
	unsigned char *base = items;

	for (uint64_t i = n > 1 ? n - 1 : 0; i > 0; i--) {
		uint64_t j = sift_rng_below(rng, i + 1);

		if (j != i)
			swap_bytes(base + i * size, base + j * size, size);
	}
}
