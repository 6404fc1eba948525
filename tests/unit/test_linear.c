/* Unit tests of lib/model_linear.c: the analytic gradient against central
 * differences, probabilities that sum to 1, softmax itself. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sift/linear.h"
#include "sift/rng.h"

enum { DIM = 7, K = 3, NW = (DIM + 1) * K };

static const uint32_t idx[] = { 0, 3, 5, 3 };
static const float val[] = { 0.5f, -1.25f, 2.0f, 0.75f };

static double loss_at(const float *w, uint32_t y, double c)
{
	double p[K], g[K];

	sift_linear_forward(w, DIM, K, idx, val, 4, p);
	return sift_linear_delta(p, K, y, c, g);
}

static void test_gradient(void **state)
{
	float w[NW], grad[NW] = { 0 };
	double p[K], g[K];
	struct sift_rng rng;
	const double eps = 1.0 / 128;

	(void)state;
	sift_rng_seed(&rng, 3);
	for (int i = 0; i < NW; i++)
		w[i] = (float)(sift_rng_uniform(&rng) - 0.5);
	sift_linear_forward(w, DIM, K, idx, val, 4, p);
	sift_linear_delta(p, K, 2, 1.7, g);
	sift_linear_apply(grad, DIM, K, idx, val, 4, g, -1, 0);
	for (int i = 0; i < NW; i++) {
		float save = w[i];
		double up, down, num;

		w[i] = (float)(save + eps);
		up = loss_at(w, 2, 1.7);
		w[i] = (float)(save - eps);
		down = loss_at(w, 2, 1.7);
		w[i] = save;
		num = (up - down) / (2 * eps);
		assert_true(fabs(num - grad[i]) < 1e-3 * (1 + fabs(num)));
	}
}

static void test_proba_and_l2(void **state)
{
	float w[NW];
	double p[K], s = 0, g[K] = { 0 };

	(void)state;
	for (int i = 0; i < NW; i++)
		w[i] = (float)(i % 5) * 100.0f; /* large logits: no overflow */
	sift_linear_forward(w, DIM, K, idx, val, 4, p);
	for (int c = 0; c < K; c++)
		s += p[c], assert_true(p[c] >= 0 && isfinite(p[c]));
	assert_float_equal(s, 1, 1e-12);
	/* With g = 0, a step only shrinks the touched rows by l2. */
	sift_linear_apply(w, DIM, K, idx, val, 4, g, 0.5, 0.1);
	assert_float_equal(w[1 * K + 1], 400.0f, 0); /* untouched */
	assert_float_equal(w[0 * K + 1], 100.0f * 0.95f, 1e-3);
}

/* softmax against its definition; logits far beyond exp's range. */
static void test_softmax(void **state)
{
	double z[3] = { 1, 2, 3 }, big[2] = { 1000, 999 }, one[1] = { -7 };
	double e = exp(1) + exp(2) + exp(3);

	(void)state;
	sift_softmax(z, 3);
	for (int c = 0; c < 3; c++)
		assert_float_equal(z[c], exp(c + 1) / e, 1e-15);
	sift_softmax(big, 2);
	assert_float_equal(big[0], 1 / (1 + exp(-1)), 1e-15);
	assert_float_equal(big[1], exp(-1) / (1 + exp(-1)), 1e-15);
	sift_softmax(one, 1);
	assert_float_equal(one[0], 1, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gradient),
		cmocka_unit_test(test_proba_and_l2),
		cmocka_unit_test(test_softmax),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
