/* Unit tests of lib/audit_review.c: Cochran's sample sizes, the review order,
 * and a chi-square test that the re-check draw is uniform. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sift/review.h"
#include "testutil.h"

static void cochran_sizes(void **state)
{
	const double z = 1.959963984540054;

	(void)state;
	/* the textbook 385 for a large population, 5% margin, 95% */
	assert_int_equal(sift_review_sample_size(100000000, 0.05, z, 0.5), 385);
	/* n0 = 384.146; with N = 1000: 384.146 / (1 + 383.146 / 1000) =
	 * 277.7 -> 278 */
	assert_int_equal(sift_review_sample_size(1000, 0.05, z, 0.5), 278);
	/* N = 100: 79.5 -> 80 */
	assert_int_equal(sift_review_sample_size(100, 0.05, z, 0.5), 80);
	/* never more than the population, nothing from nothing */
	assert_int_equal(sift_review_sample_size(10, 0.01, z, 0.5), 10);
	assert_int_equal(sift_review_sample_size(0, 0.05, z, 0.5), 0);
	/* 1% margin at 99%: 2.5758^2 / 4 / 1e-4 = 16587.0 */
	assert_int_equal(
		sift_review_sample_size(UINT64_MAX, 0.01, 2.5758293035489, 0.5),
		16588);
}

static void review_order(void **state)
{
	const double conf[5] = { 0.9, 0.5, 0.5, 1.0, 0.6 };
	const double dis[5] = { 0.1, 0.2, 0.5, 0.0, 0.5 };
	size_t out[5], n;
	struct sift_error err;

	(void)state;
	assert_int_equal(sift_review_top(conf, dis, 5, 3, out, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(out[0], 2);
	assert_int_equal(out[1], 1);
	assert_int_equal(out[2], 4);
	assert_int_equal(sift_review_top(conf, dis, 5, 9, out, &n, &err), 0);
	assert_int_equal(n, 5);
	assert_int_equal(out[4], 3);
}

static void draw_is_uniform_and_sorted(void **state)
{
	enum { N = 30, K = 7, T = 20000 };
	double obs[N] = { 0 }, exp_[N];
	size_t out[K];
	struct sift_rng rng;

	(void)state;
	sift_rng_seed(&rng, 11);
	for (int t = 0; t < T; t++) {
		sift_review_draw(&rng, N, K, out);
		for (int j = 0; j < K; j++) {
			if (j > 0)
				assert_true(out[j] > out[j - 1]);
			obs[out[j]]++;
		}
	}
	for (int i = 0; i < N; i++)
		exp_[i] = (double)T * K / N;
	assert_true(chi2_stat(obs, exp_, N) < chi2_crit(N - 1));
}

static void draw_is_reproducible(void **state)
{
	size_t a[50], b[50];
	struct sift_rng r1, r2;

	(void)state;
	sift_rng_seed(&r1, 3);
	sift_rng_seed(&r2, 3);
	sift_review_draw(&r1, 1000, 50, a);
	sift_review_draw(&r2, 1000, 50, b);
	assert_memory_equal(a, b, sizeof a);
	sift_review_draw(&r1, 5, 5, a); /* k = n takes all */
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(a[i], i);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cochran_sizes),
		cmocka_unit_test(review_order),
		cmocka_unit_test(draw_is_uniform_and_sorted),
		cmocka_unit_test(draw_is_reproducible),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
