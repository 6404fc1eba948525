/* Unit tests of lib/dawid_skene.c: a hand-worked EM step (the reference
 * values of ../shared/REFERENCE-VALUES.md) and the recovery of known
 * source accuracies from synthetic labels. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sift/dawid_skene.h"
#include "sift/rng.h"
#include "testutil.h"

/* 5 tasks x 5 workers, 0 = no, 1 = yes, -1 = missing (w3 on t1). */
static const int votes5[5][5] = {
	{ 0, 1, -1, 1, 0 }, { 1, 1, 1, 0, 0 }, { 1, 0, 0, 1, 0 },
	{ 1, 1, 1, 1, 1 },  { 1, 0, 0, 0, 0 },
};

static size_t load5(struct sift_ds_obs *obs)
{
	size_t n = 0;

	for (size_t i = 0; i < 5; i++)
		for (size_t j = 0; j < 5; j++)
			if (votes5[i][j] >= 0) {
				obs[n].item = i;
				obs[n].source = j;
				obs[n++].label = (unsigned)votes5[i][j];
			}
	return n;
}

static void one_em_step_by_hand(void **state)
{
	static const double want[5][2] = {
		{ .35, .65 }, { .26, .74 }, { .87, .13 }, { 0, 1 }, { .95, .05 }
	};
	struct sift_ds_obs obs[25];
	struct sift_ds_problem pb = { 5, 5, 2, 0, obs, load5(obs), NULL };
	struct sift_ds_opts o;
	struct sift_ds_fit fit;
	struct sift_error err;
	double mean_no = 0;

	(void)state;
	sift_ds_opts_init(&o);
	o.max_iter = 1;
	o.smoothing = 0;
	assert_int_equal(sift_ds_fit(&pb, &o, &fit, &err), 0);
	assert_int_equal(fit.iterations, 1);
	/* the M-step's prior is the mean of the starting shares */
	assert_float_equal(fit.prior[0], .46, 1e-12);
	assert_float_equal(fit.prior[1], .54, 1e-12);
	for (size_t i = 0; i < 5; i++) {
		assert_float_equal(fit.posterior[i * 2], want[i][0], 0.005);
		assert_float_equal(fit.posterior[i * 2 + 1], want[i][1], 0.005);
		mean_no += fit.posterior[i * 2] / 5;
	}
	/* and the next prior, .49/.51 */
	assert_float_equal(mean_no, .49, 0.005);
	sift_ds_fit_free(&fit);
}

/* Synthetic binary votes: 5 sources of known accuracy, each voting on
 * half the items; the model must recover every accuracy within 0.03. */
static void recovers_known_accuracies(void **state)
{
	enum { N = 20000, J = 5 };
	static const double acc[J] = { 0.9, 0.8, 0.7, 0.65, 0.6 };
	static struct sift_ds_obs obs[N * J];
	struct sift_ds_problem pb = { N, J, 2, 0, obs, 0, NULL };
	struct sift_ds_opts o;
	struct sift_ds_fit fit;
	struct sift_error err;
	struct sift_rng rng;
	size_t n = 0;

	(void)state;
	sift_rng_seed(&rng, 42);
	for (size_t i = 0; i < N; i++) {
		unsigned truth = sift_rng_uniform(&rng) < 0.3;

		for (size_t j = 0; j < J; j++) {
			if (sift_rng_uniform(&rng) >= 0.5)
				continue;
			obs[n].item = i;
			obs[n].source = j;
			obs[n++].label = sift_rng_uniform(&rng) < acc[j]
						 ? truth
						 : 1 - truth;
		}
	}
	pb.n_obs = n;
	sift_ds_opts_init(&o);
	o.max_iter = 5000;
	assert_int_equal(sift_ds_fit(&pb, &o, &fit, &err), 0);
	assert_true(fit.converged);
	for (size_t j = 0; j < J; j++) {
		double a = sift_ds_accuracy(&pb, &fit, j);

		assert_float_equal(a, acc[j], 0.03);
		/* the class-wise rates are less well identified with 1.25
		 * labels an item, but stay close */
		assert_float_equal(sift_ds_confusion(&fit, j, 0, 0), acc[j],
				   0.05);
		assert_float_equal(sift_ds_confusion(&fit, j, 1, 1), acc[j],
				   0.05);
	}
	assert_float_equal(fit.prior[1], 0.3, 0.03);
	sift_ds_fit_free(&fit);
}

/* n identical items are one item of weight n: the 5 tasks, each twice,
 * give the same fit as the 5 tasks with weight 2. */
static void weights_are_multiplicities(void **state)
{
	struct sift_ds_obs obs[25], obs2[50];
	double w[5] = { 2, 2, 2, 2, 2 };
	size_t n = load5(obs);
	struct sift_ds_problem pb = { 5, 5, 2, 0, obs, n, w };
	struct sift_ds_problem pb2 = { 10, 5, 2, 0, obs2, 2 * n, NULL };
	struct sift_ds_opts o;
	struct sift_ds_fit a, b;
	struct sift_error err;

	(void)state;
	for (size_t k = 0; k < n; k++) {
		obs2[2 * k] = obs[k];
		obs2[2 * k + 1] = obs[k];
		obs2[2 * k + 1].item += 5;
	}
	sift_ds_opts_init(&o);
	assert_int_equal(sift_ds_fit(&pb, &o, &a, &err), 0);
	assert_int_equal(sift_ds_fit(&pb2, &o, &b, &err), 0);
	for (size_t i = 0; i < 5; i++) {
		assert_float_equal(a.posterior[i * 2], b.posterior[i * 2],
				   1e-9);
		assert_float_equal(a.posterior[i * 2], b.posterior[(i + 5) * 2],
				   1e-9);
	}
	sift_ds_fit_free(&a);
	sift_ds_fit_free(&b);
}

static void bad_problems(void **state)
{
	struct sift_ds_obs obs[1] = { { 0, 0, 5 } };
	struct sift_ds_problem pb = { 1, 1, 2, 0, obs, 1, NULL };
	struct sift_ds_opts o;
	struct sift_ds_fit fit;
	struct sift_error err;

	(void)state;
	sift_ds_opts_init(&o);
	assert_int_equal(sift_ds_fit(&pb, &o, &fit, &err), SIFT_EUSAGE);
	assert_non_null(strstr(err.msg, "out of range"));
	pb.n_classes = 1;
	assert_int_equal(sift_ds_fit(&pb, &o, &fit, &err), SIFT_EUSAGE);
}

/* An extra output ("abstained") that is not a class: an item with only
 * that output starts from the priors and stays sane. */
static void abstain_output(void **state)
{
	struct sift_ds_obs obs[] = { { 0, 0, 0 }, { 0, 1, 0 }, { 1, 0, 1 },
				     { 1, 1, 1 }, { 2, 0, 2 }, { 2, 1, 2 } };
	struct sift_ds_problem pb = { 3, 2, 2, 3, obs, 6, NULL };
	struct sift_ds_opts o;
	struct sift_ds_fit fit;
	struct sift_error err;

	(void)state;
	sift_ds_opts_init(&o);
	assert_int_equal(sift_ds_fit(&pb, &o, &fit, &err), 0);
	assert_int_equal(sift_ds_map(&fit, 0), 0);
	assert_int_equal(sift_ds_map(&fit, 1), 1);
	assert_float_equal(fit.posterior[4] + fit.posterior[5], 1, 1e-9);
	assert_float_equal(sift_ds_accuracy(&pb, &fit, 0), 1, 0.05);
	sift_ds_fit_free(&fit);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_em_step_by_hand),
		cmocka_unit_test(recovers_known_accuracies),
		cmocka_unit_test(weights_are_multiplicities),
		cmocka_unit_test(bad_problems),
		cmocka_unit_test(abstain_output),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
