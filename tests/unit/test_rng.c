/* Unit tests of lib/rng.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sift/rng.h"
#include "testutil.h"

/* xoshiro256** from SplitMix64(0): the reference implementations of
 * both, run by hand once, give these first outputs. */
static void seed_is_reproducible(void **state)
{
	struct sift_rng a, b;

	(void)state;
	sift_rng_seed(&a, 42);
	sift_rng_seed(&b, 42);
	for (int i = 0; i < 1000; i++)
		assert_true(sift_rng_next(&a) == sift_rng_next(&b));
	sift_rng_seed(&b, 43);
	assert_true(sift_rng_next(&a) != sift_rng_next(&b));
}

static void known_stream(void **state)
{
	struct sift_rng r;

	(void)state;
	/* SplitMix64 from 0 gives the state; its first output is fixed by
	 * the algorithm, so any change of generator shows here. */
	sift_rng_seed(&r, 0);
	assert_true(r.s[0] == 0xe220a8397b1dcdafULL);
	assert_true(r.s[1] == 0x6e789e6aa1b965f4ULL);
	assert_true(r.s[2] == 0x06c45d188009454fULL);
	assert_true(r.s[3] == 0xf88bb8a8724c81ecULL);
}

static void uniform_in_range(void **state)
{
	struct sift_rng r;
	double sum = 0;

	(void)state;
	sift_rng_seed(&r, 1);
	for (int i = 0; i < 100000; i++) {
		double u = sift_rng_uniform(&r), v = sift_rng_uniform_pos(&r);

		assert_true(u >= 0 && u < 1);
		assert_true(v > 0 && v <= 1);
		sum += u;
	}
	/* mean 1/2, sd of the mean sqrt(1/12/1e5) ~ 0.0009 */
	assert_true(fabs(sum / 100000 - 0.5) < 0.004);
}

static void below_is_uniform(void **state)
{
	struct sift_rng r;
	double obs[7] = { 0 }, exp_[7];

	(void)state;
	sift_rng_seed(&r, 7);
	for (int i = 0; i < 70000; i++) {
		uint64_t x = sift_rng_below(&r, 7);

		assert_true(x < 7);
		obs[x]++;
	}
	for (int i = 0; i < 7; i++)
		exp_[i] = 10000;
	assert_true(chi2_stat(obs, exp_, 7) < chi2_crit(6));
	assert_true(sift_rng_below(&r, 1) == 0);
}

static void exp_has_mean_one(void **state)
{
	struct sift_rng r;
	double sum = 0;

	(void)state;
	sift_rng_seed(&r, 3);
	for (int i = 0; i < 100000; i++)
		sum += sift_rng_exp(&r);
	assert_true(fabs(sum / 100000 - 1.0) < 0.013);
}

static void shuffle_is_a_permutation_and_uniform(void **state)
{
	struct sift_rng r;
	double first[5] = { 0 }, exp_[5];

	(void)state;
	sift_rng_seed(&r, 11);
	for (int t = 0; t < 50000; t++) {
		int v[5] = { 0, 1, 2, 3, 4 }, seen = 0;

		sift_rng_shuffle(&r, v, 5, sizeof *v);
		for (int i = 0; i < 5; i++)
			seen |= 1 << v[i];
		assert_int_equal(seen, 31);
		first[v[0]]++;
	}
	for (int i = 0; i < 5; i++)
		exp_[i] = 10000;
	assert_true(chi2_stat(first, exp_, 5) < chi2_crit(4));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(seed_is_reproducible),
		cmocka_unit_test(known_stream),
		cmocka_unit_test(uniform_in_range),
		cmocka_unit_test(below_is_uniform),
		cmocka_unit_test(exp_has_mean_one),
		cmocka_unit_test(shuffle_is_a_permutation_and_uniform),
	};

	return cmocka_run_group_tests_name("rng", tests, NULL, NULL);
}
