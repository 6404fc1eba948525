/* Unit tests of lib/model_mlp.c: the analytic gradient of every parameter (E,
 * b1, W2, b2) against central differences. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sift/mlp.h"
#include "sift/rng.h"

enum { DIM = 6, H = 4, K = 3 };

static const uint32_t idx[] = { 1, 4, 1, 5 };
static const float val[] = { 0.5f, -1.0f, 0.25f, 1.5f };

static double loss_at(const float *w, uint32_t y, double c)
{
	double h[H], p[K], g[K], da[H];

	sift_mlp_forward(w, DIM, H, K, idx, val, 4, h, p);
	return sift_mlp_delta(w, DIM, H, K, h, p, y, c, g, da);
}

static void test_gradient(void **state)
{
	size_t nw = sift_mlp_param_count(DIM, H, K);
	float *w = malloc(nw * sizeof *w), *grad = calloc(nw, sizeof *grad);
	double h[H], p[K], g[K], da[H];
	struct sift_rng rng;
	const double eps = 1.0 / 256;

	(void)state;
	assert_int_equal(nw, (DIM + 1 + K) * H + K);
	sift_rng_seed(&rng, 9);
	sift_mlp_init(w, DIM, H, K, &rng);
	for (size_t i = 0; i < nw; i++) /* biases too, so they are checked */
		w[i] = (float)(w[i] + 0.3 * (sift_rng_uniform(&rng) - 0.5));
	sift_mlp_forward(w, DIM, H, K, idx, val, 4, h, p);
	sift_mlp_delta(w, DIM, H, K, h, p, 1, 0.8, g, da);
	sift_mlp_apply(grad, DIM, H, K, idx, val, 4, h, g, da, -1, 0);
	for (size_t i = 0; i < nw; i++) {
		float save = w[i];
		double up, down, num;

		w[i] = (float)(save + eps);
		up = loss_at(w, 1, 0.8);
		w[i] = (float)(save - eps);
		down = loss_at(w, 1, 0.8);
		w[i] = save;
		num = (up - down) / (2 * eps);
		assert_true(fabs(num - grad[i]) < 2e-3 * (1 + fabs(num)));
	}
	free(w);
	free(grad);
}

static void test_init_is_seeded(void **state)
{
	size_t nw = sift_mlp_param_count(DIM, H, K);
	float *a = malloc(nw * sizeof *a), *b = malloc(nw * sizeof *b);
	struct sift_rng r1, r2;

	(void)state;
	sift_rng_seed(&r1, 5);
	sift_rng_seed(&r2, 5);
	sift_mlp_init(a, DIM, H, K, &r1);
	sift_mlp_init(b, DIM, H, K, &r2);
	assert_memory_equal(a, b, nw * sizeof *a);
	assert_int_equal(sift_mlp_param_count(DIM, 0, K), 0);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gradient),
		cmocka_unit_test(test_init_is_seeded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
