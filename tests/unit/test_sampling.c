/* Unit tests of the sampling primitives: lib/sampling_reservoir.c,
 * lib/sampling_topk.c, lib/sampling_weighted.c, lib/sampling_allocate.c.
 * Statistical tests use fixed seeds. */
#include <setjmp.h>
#include <string.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sift/sampling.h"
#include "testutil.h"

/* Run Algorithm L over positions 0..N-1 and mark the n kept. */
static void algl_once(struct sift_rng *rng, uint64_t N, uint64_t n,
		      uint64_t *slots)
{
	struct sift_algl a;
	uint64_t i;

	for (i = 0; i < n && i < N; i++)
		slots[i] = i;
	sift_algl_init(&a, n, rng);
	for (;;) {
		uint64_t skip = sift_algl_skip(&a);

		if (skip >= N - i)
			break;
		i += skip;
		slots[sift_rng_below(rng, n)] = i++;
	}
}

static void algorithm_l_is_uniform(void **state)
{
	enum { N = 40, n = 5, T = 20000 };
	double obs[N] = { 0 }, exp_[N];
	uint64_t slots[n];
	struct sift_rng rng;

	(void)state;
	sift_rng_seed(&rng, 2024);
	for (int t = 0; t < T; t++) {
		algl_once(&rng, N, n, slots);
		for (int j = 0; j < n; j++)
			obs[slots[j]]++;
	}
	for (int i = 0; i < N; i++)
		exp_[i] = (double)T * n / N;
	assert_true(chi2_stat(obs, exp_, N) < chi2_crit(N - 1));
}

static void algorithm_l_pairs_are_uniform(void **state)
{
	/* Uniform inclusion alone would not catch a sampler that keeps
	 * neighbours together; every pair of 8 must be equally likely. */
	enum { N = 8, n = 2, T = 56000 };
	double obs[N * N] = { 0 }, exp_[28], o[28];
	uint64_t slots[n];
	struct sift_rng rng;
	int k = 0;

	(void)state;
	sift_rng_seed(&rng, 5);
	for (int t = 0; t < T; t++) {
		algl_once(&rng, N, n, slots);
		uint64_t a = slots[0] < slots[1] ? slots[0] : slots[1];
		uint64_t b = slots[0] ^ slots[1] ^ a;
		obs[a * N + b]++;
	}
	for (int a = 0; a < N; a++)
		for (int b = a + 1; b < N; b++) {
			o[k] = obs[a * N + b];
			exp_[k++] = T / 28.0;
		}
	assert_true(chi2_stat(o, exp_, 28) < chi2_crit(27));
}

static void geometric_skips(void **state)
{
	struct sift_rng rng;
	double sum = 0;

	(void)state;
	sift_rng_seed(&rng, 9);
	assert_true(sift_geometric_skip(&rng, 1.0) == 0);
	assert_true(sift_geometric_skip(&rng, 0.0) == UINT64_MAX);
	for (int i = 0; i < 100000; i++)
		sum += (double)sift_geometric_skip(&rng, 0.1);
	/* mean (1-p)/p = 9, sd of the mean 9.49/316 = 0.03 */
	assert_true(fabs(sum / 100000 - 9.0) < 0.15);
}

static int cmp_desc(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x < y) - (x > y);
}

/* Selection sampling over n items: the taken positions as a bit mask. */
static unsigned select_once(struct sift_rng *rng, uint64_t k, uint64_t n)
{
	struct sift_select s;
	unsigned mask = 0;

	sift_select_init(&s, k, n);
	for (uint64_t i = 0; i < n; i++)
		if (sift_select_take(&s, rng))
			mask |= 1u << i;
	return mask;
}

static void select_takes_exactly_k(void **state)
{
	struct sift_rng rng, before;

	(void)state;
	sift_rng_seed(&rng, 7);
	for (uint64_t n = 0; n <= 12; n++)
		for (uint64_t k = 0; k <= n + 2; k++) {
			struct sift_select s;
			uint64_t taken = 0;

			sift_select_init(&s, k, n);
			for (uint64_t i = 0; i < n; i++)
				taken += (uint64_t)sift_select_take(&s, &rng);
			/* k > n is clamped: all n are taken */
			assert_true(taken == (k < n ? k : n));
			/* past the n-th item: nothing taken, nothing drawn */
			before = rng;
			assert_int_equal(sift_select_take(&s, &rng), 0);
			assert_memory_equal(&rng, &before, sizeof rng);
		}
}

static void select_edges(void **state)
{
	struct sift_rng rng, before;

	(void)state;
	sift_rng_seed(&rng, 8);
	before = rng;
	/* k = 0 takes nothing and draws nothing */
	assert_int_equal(select_once(&rng, 0, 10), 0);
	assert_memory_equal(&rng, &before, sizeof rng);
	/* k = n and k > n take every item */
	assert_int_equal(select_once(&rng, 10, 10), 0x3ff);
	assert_int_equal(select_once(&rng, 11, 10), 0x3ff);
	assert_int_equal(select_once(&rng, 5, 0), 0);
}

static void select_subsets_are_uniform(void **state)
{
	/* All 20 subsets of 3 among 6, each equally likely: uniform
	 * inclusion alone would pass a sampler that favours runs. */
	enum { N = 6, K = 3, T = 40000, SUBSETS = 20 };
	double obs[SUBSETS] = { 0 }, exp_[SUBSETS];
	int index[1 << N];
	struct sift_rng rng;
	int m = 0;

	(void)state;
	for (unsigned mask = 0; mask < 1u << N; mask++) {
		int bits = 0;

		for (unsigned b = mask; b; b &= b - 1)
			bits++;
		index[mask] = bits == K ? m++ : -1;
	}
	assert_int_equal(m, SUBSETS);
	sift_rng_seed(&rng, 2025);
	for (int t = 0; t < T; t++) {
		int i = index[select_once(&rng, K, N)];

		assert_true(i >= 0);
		obs[i]++;
	}
	for (int i = 0; i < SUBSETS; i++)
		exp_[i] = (double)T / SUBSETS;
	assert_true(chi2_stat(obs, exp_, SUBSETS) < chi2_crit(SUBSETS - 1));
}

static void select_draws_as_before(void **state)
{
	/* The draws of the loop sift rebalance and sift audit wrote by
	 * hand: one uniform in [0, left) per item while one is needed.
	 * The same seed must keep giving the same sample. */
	struct sift_rng a, b;

	(void)state;
	sift_rng_seed(&a, 9);
	sift_rng_seed(&b, 9);
	for (uint64_t n = 1; n <= 30; n++)
		for (uint64_t k = 0; k <= n; k += 3) {
			struct sift_select s;
			uint64_t taken = 0;

			sift_select_init(&s, k, n);
			for (uint64_t i = 0; i < n; i++) {
				int mine = sift_select_take(&s, &a);
				int hand =
					taken < k &&
					sift_rng_below(&b, n - i) < k - taken;

				assert_int_equal(mine, hand);
				taken += (uint64_t)hand;
			}
		}
	assert_memory_equal(&a, &b, sizeof a);
}

static void topk_keeps_the_largest(void **state)
{
	struct sift_topk t;
	struct sift_rng rng;
	double keys[1000], held[10];

	(void)state;
	sift_rng_seed(&rng, 1);
	assert_int_equal(sift_topk_init(&t, 10), 0);
	assert_true(isinf(sift_topk_min(&t)));
	for (int i = 0; i < 1000; i++) {
		size_t slot;

		keys[i] = sift_rng_uniform(&rng);
		if (sift_topk_offer(&t, keys[i], &slot))
			assert_true(slot < 10);
	}
	qsort(keys, 1000, sizeof *keys, cmp_desc);
	memcpy(held, t.key, sizeof held);
	qsort(held, 10, sizeof *held, cmp_desc);
	assert_memory_equal(held, keys, sizeof held);
	assert_true(sift_topk_min(&t) == keys[9]);
	assert_true(t.key[sift_topk_min_slot(&t)] == keys[9]);
	sift_topk_free(&t);
}

/* One weighted draw without replacement over weights w[0..N-1]. */
static void es_once(struct sift_rng *rng, const double *w, size_t N, size_t k,
		    size_t *held)
{
	struct sift_es es;
	size_t slot;

	assert_int_equal(sift_es_init(&es, k, rng), 0);
	for (size_t i = 0; i < N; i++)
		if (sift_es_offer(&es, w[i], &slot))
			held[slot] = i;
	sift_es_free(&es);
}

static void es_single_draw_is_proportional(void **state)
{
	const double w[4] = { 1, 2, 3, 4 };
	double obs[4] = { 0 }, exp_[4];
	struct sift_rng rng;
	size_t held;

	(void)state;
	sift_rng_seed(&rng, 77);
	for (int t = 0; t < 40000; t++) {
		es_once(&rng, w, 4, 1, &held);
		obs[held]++;
	}
	for (int i = 0; i < 4; i++)
		exp_[i] = 40000 * w[i] / 10;
	assert_true(chi2_stat(obs, exp_, 4) < chi2_crit(3));
}

/* Successive sampling of 2: pi_i = w_i/W + sum_j (w_j/W) w_i/(W - w_j).
 * Thirty items, so most entries come through the exponential jumps. */
static void es_pairs_match_successive_sampling(void **state)
{
	enum { N = 30, T = 30000 };
	double w[N], W = 0, obs[N] = { 0 };
	struct sift_rng rng;
	size_t held[2];

	(void)state;
	for (int i = 0; i < N; i++)
		W += w[i] = i % 3 == 0 ? 0.5 : i + 1;
	sift_rng_seed(&rng, 3);
	for (int t = 0; t < T; t++) {
		es_once(&rng, w, N, 2, held);
		obs[held[0]]++;
		obs[held[1]]++;
	}
	for (int i = 0; i < N; i++) {
		double pi = w[i] / W;

		for (int j = 0; j < N; j++)
			if (j != i)
				pi += w[j] / W * w[i] / (W - w[j]);
		double sd = sqrt(T * pi * (1 - pi));
		if (fabs(obs[i] - T * pi) > 4.5 * sd)
			fail_msg("item %d: %g drawn, %g expected", i, obs[i],
				 T * pi);
	}
}

static void es_zero_weight_never_enters(void **state)
{
	const double w[5] = { 0, 1, 0, 1, 0 };
	struct sift_rng rng;
	size_t held[2];

	(void)state;
	sift_rng_seed(&rng, 1);
	for (int t = 0; t < 1000; t++) {
		es_once(&rng, w, 5, 2, held);
		assert_true(held[0] % 2 == 1 && held[1] % 2 == 1);
	}
}

static void allocate_proportional_is_exact(void **state)
{
	uint64_t size[3] = { 700, 250, 50 }, alloc[3];
	double share[3] = { 700, 250, 50 };

	(void)state;
	assert_int_equal(sift_allocate(20, 3, size, share, 0, alloc), 0);
	assert_true(alloc[0] == 14 && alloc[1] == 5 && alloc[2] == 1);
	/* 10 * (.35, .35, .30): remainders .5, .5, 0 go to the first two */
	uint64_t s2[3] = { 35, 35, 30 }, a2[3];
	double sh2[3] = { 35, 35, 30 };
	assert_int_equal(sift_allocate(10, 3, s2, sh2, 0, a2), 0);
	assert_true(a2[0] == 4 && a2[1] == 3 && a2[2] == 3);
}

static void allocate_floors_and_caps(void **state)
{
	uint64_t size[3] = { 70, 25, 5 }, alloc[3];
	double share[3] = { 70, 25, 5 }, equal[3] = { 1, 1, 1 };

	(void)state;
	/* Floor 3: the rare stratum gets 3, the other 17 go 12.53/4.47. */
	assert_int_equal(sift_allocate(20, 3, size, share, 3, alloc), 0);
	assert_true(alloc[0] == 13 && alloc[1] == 4 && alloc[2] == 3);
	/* Equal, capped: 30 each, but the last has only 5. */
	assert_int_equal(sift_allocate(60, 3, size, equal, 0, alloc), 0);
	assert_true(alloc[2] == 5 && alloc[0] + alloc[1] == 55);
	assert_true(alloc[0] >= 27 && alloc[1] >= 25 - 0);
	/* Floors over n: an error. */
	assert_int_equal(sift_allocate(10, 3, size, share, 4, alloc), -1);
	/* n over the total: everything. */
	assert_int_equal(sift_allocate(1000, 3, size, share, 0, alloc), 0);
	assert_true(alloc[0] == 70 && alloc[1] == 25 && alloc[2] == 5);
}

static void allocate_random_cases_add_up(void **state)
{
	struct sift_rng rng;

	(void)state;
	sift_rng_seed(&rng, 8);
	for (int t = 0; t < 2000; t++) {
		size_t k = 1 + sift_rng_below(&rng, 12);
		uint64_t size[12], alloc[12], total = 0, sum = 0;
		double share[12];
		uint64_t floor_n = sift_rng_below(&rng, 4);
		uint64_t n = sift_rng_below(&rng, 400);

		for (size_t h = 0; h < k; h++) {
			size[h] = sift_rng_below(&rng, 100);
			share[h] = (double)size[h];
			total += size[h];
		}
		int rc = sift_allocate(n, k, size, share, floor_n, alloc);
		uint64_t floors = 0;
		for (size_t h = 0; h < k; h++)
			floors += size[h] < floor_n ? size[h] : floor_n;
		if (floors > n) {
			assert_int_equal(rc, -1);
			continue;
		}
		assert_int_equal(rc, 0);
		for (size_t h = 0; h < k; h++) {
			assert_true(alloc[h] <= size[h]);
			assert_true(alloc[h] >=
				    (size[h] < floor_n ? size[h] : floor_n));
			sum += alloc[h];
		}
		assert_true(sum == (n < total ? n : total));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(algorithm_l_is_uniform),
		cmocka_unit_test(algorithm_l_pairs_are_uniform),
		cmocka_unit_test(geometric_skips),
		cmocka_unit_test(select_takes_exactly_k),
		cmocka_unit_test(select_edges),
		cmocka_unit_test(select_subsets_are_uniform),
		cmocka_unit_test(select_draws_as_before),
		cmocka_unit_test(topk_keeps_the_largest),
		cmocka_unit_test(es_single_draw_is_proportional),
		cmocka_unit_test(es_pairs_match_successive_sampling),
		cmocka_unit_test(es_zero_weight_never_enters),
		cmocka_unit_test(allocate_proportional_is_exact),
		cmocka_unit_test(allocate_floors_and_caps),
		cmocka_unit_test(allocate_random_cases_add_up),
	};

	return cmocka_run_group_tests_name("sampling", tests, NULL, NULL);
}
