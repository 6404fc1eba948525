/*
 * tests/unit/test_calibrate.c - lib/calibrate.c against hand cases and
 * scikit-learn 1.2.1 / SciPy 1.10.1: IsotonicRegression(out_of_bounds=
 * 'clip') with ties and weights, _sigmoid_calibration (the Platt fit of
 * CalibratedClassifierCV(method='sigmoid')) and, for the temperature,
 * scipy.optimize.minimize_scalar on the log loss. The numbers were
 * printed by a one-off script under /usr/bin/python3 and pasted here.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sift/calibrate.h"

#define NEAR(a, b, tol) assert_true(fabs((a) - (b)) <= (tol))

/* By hand: equal x are pooled first (x = 1: mean 0.5 of weight 2),
 * then the violation 0.5 > 0 is pooled to (2 * 0.5 + 0) / 3. */
static void test_isotonic_by_hand(void **state)
{
	const double x[] = { 1, 1, 2, 3 }, y[] = { 1, 0, 0, 1 };
	double *xs, *ys;
	size_t m;
	struct sift_error err;

	(void)state;
	assert_int_equal(sift_isotonic_fit(x, y, NULL, 4, &xs, &ys, &m, &err),
			 0);
	assert_int_equal(m, 3);
	NEAR(xs[0], 1, 0);
	NEAR(ys[0], 1.0 / 3, 1e-15);
	NEAR(xs[1], 2, 0);
	NEAR(ys[1], 1.0 / 3, 1e-15);
	NEAR(ys[2], 1, 0);
	NEAR(sift_isotonic_at(xs, ys, m, 2.5), 2.0 / 3, 1e-15);
	NEAR(sift_isotonic_at(xs, ys, m, -7), 1.0 / 3, 1e-15);
	NEAR(sift_isotonic_at(xs, ys, m, 9), 1, 0);
	free(xs);
	free(ys);
}

/* Ties, weights, a weight of 0 and a flat run that is trimmed. */
static void test_isotonic_sklearn(void **state)
{
	const double x[] = { 0.1, 0.3, 0.3, 0.2, 0.5, 0.5, 0.7, 0.9, 0.8, 0.6 };
	const double y[] = { 0, 1, 0, 0, 1, 0, 1, 1, 0, 1 };
	const double w[] = { 1, 2, 1, 1, 1, 3, 1, 1, 2, 0 };
	const double X[] = { 0.1, 0.2, 0.3, 0.8, 0.9 };
	const double Y[] = { 0, 0, 0.4, 0.4, 1 };
	const double at[] = {
		0.0, 0.15, 0.25, 0.4, 0.55, 0.65, 0.75, 0.85, 1.0
	};
	const double want[] = { 0,   0,   0.2, 0.4,
				0.4, 0.4, 0.4, 0.6999999999999997,
				1 };
	double *xs, *ys;
	size_t m;
	struct sift_error err;

	(void)state;
	assert_int_equal(sift_isotonic_fit(x, y, w, 10, &xs, &ys, &m, &err), 0);
	assert_int_equal(m, 5);
	for (size_t i = 0; i < 5; i++) {
		NEAR(xs[i], X[i], 1e-15);
		NEAR(ys[i], Y[i], 1e-12);
	}
	for (size_t i = 0; i < 9; i++)
		NEAR(sift_isotonic_at(xs, ys, m, at[i]), want[i], 1e-12);
	free(xs);
	free(ys);
}

static const double platt_f[40] = {
	1.764052345967664,    0.4001572083672233,  0.9787379841057392,
	2.240893199201458,    1.8675579901499675,  -0.977277879876411,
	0.9500884175255894,   -0.1513572082976979, -0.10321885179355784,
	0.41059850193837233,  0.144043571160878,   1.454273506962975,
	0.7610377251469934,   0.12167501649282841, 0.44386323274542566,
	0.33367432737426683,  1.4940790731576061,  -0.20515826376580087,
	0.31306770165090136,  -0.8540957393017248, -2.5529898158340787,
	0.6536185954403606,   0.8644361988595057,  -0.7421650204064419,
	2.2697546239876076,   -1.4543656745987648, 0.04575851730144607,
	-0.1871838500258336,  1.5327792143584575,  1.469358769900285,
	0.1549474256969163,   0.37816251960217356, -0.8877857476301128,
	-1.980796468223927,   -0.3479121493261526, 0.15634896910398005,
	1.2302906807277207,   1.2023798487844113,  -0.3873268174079523,
	-0.30230275057533557,
};
static const uint8_t platt_y[40] = { 1, 1, 1, 1, 0, 0, 1, 1, 0, 1, 0, 1, 1, 1,
				     0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 1,
				     1, 1, 1, 1, 0, 0, 1, 0, 1, 1, 0, 1 };
static const double platt_w[40] = {
	1.0759464955561793, 1.429296197576214,  0.8185689524513237,
	1.1674103799636817, 0.6317978624043922, 1.2163272041185655,
	0.7894060929472011, 0.6831913620071168, 1.086512934810083,
	0.5201075461874936, 1.328940029217363,  0.5046954761925471,
	1.17781653679623,   0.7700079731921649, 1.2351940221225948,
	1.4621885451174381, 0.748753143519958,  1.0761573344178368,
	1.092041931271839,  1.0722519057908735, 0.7230816326406183,
	1.452749011516985,  0.9471253786176274, 1.346408672471128,
	1.1994792753175043, 0.7974369508551337, 1.313797819702477,
	0.8965057408469846, 1.3811031971111616, 1.0812728726358587,
	1.3817353618548527, 1.192531590077766,  1.2252542798196404,
	1.0013243819267021, 1.4560836347232238, 1.1439901992296373,
	0.9238550485581797, 1.1063932141279245, 0.5191931983093335,
	0.8015748166745493,
};

/* The optimum of sklearn's objective (BFGS at gtol 1e-12); sklearn's
 * own fmin_bfgs stops at -1.2275805790555234, -0.11901374537030086. */
static void test_platt_sklearn(void **state)
{
	double a, b;

	(void)state;
	sift_platt_fit(platt_f, platt_y, platt_w, 40, &a, &b);
	NEAR(a, -1.2275808100872112, 1e-6);
	NEAR(b, -0.11901385589280127, 1e-6);
	/* and sklearn's own answer, to its tolerance */
	NEAR(a, -1.2275805790555234, 1e-5);
	NEAR(b, -0.11901374537030086, 1e-5);
}

static void test_temperature_scipy(void **state)
{
	const double z[36] = { 3.249,  -1.224, -1.056, -2.146, 1.731,  -4.603,
			       3.49,   -1.522, 0.638,  -0.499, 2.924,  -4.12,
			       -0.645, -0.768, 2.268,  -2.2,   -0.345, -1.756,
			       0.084,  1.166,  -2.201, 2.289,  1.803,  1.005,
			       1.802,  -1.367, -0.246, -1.872, -0.536, 1.061,
			       -1.383, -0.794, -1.374, -1.69,  -1.342, -0.025 };
	const uint32_t g[12] = { 0, 1, 0, 1, 2, 1, 1, 0, 0, 2, 2, 2 };

	(void)state;
	NEAR(sift_temperature_fit(z, g, NULL, 12, 3), 0.4001263916308285, 1e-6);
}

/* Two classes: the positive class is mapped and the other is 1 - p';
 * every class must be there. */
static void test_fit_apply_binary(void **state)
{
	double proba[80], p[2];
	uint32_t gold[40];
	struct sift_cal_data d = { 40, 2, proba, gold, platt_w, 1 };
	struct sift_calibration c;
	struct sift_error err;

	(void)state;
	for (size_t i = 0; i < 40; i++) {
		proba[2 * i + 1] = 1 / (1 + exp(-platt_f[i]));
		proba[2 * i] = 1 - proba[2 * i + 1];
		gold[i] = platt_y[i];
	}
	assert_int_equal(sift_calibration_fit(SIFT_CAL_PLATT, &d, &c, &err), 0);
	assert_int_equal(c.n_maps, 1);
	NEAR(c.map[0].a, -1.2275808100872112, 1e-6);
	p[0] = 0.3;
	p[1] = 0.7;
	sift_calibration_apply(&c, p, 2);
	NEAR(p[1], 1 / (1 + exp(c.map[0].a * log(0.7 / 0.3) + c.map[0].b)),
	     1e-12);
	NEAR(p[0] + p[1], 1, 1e-15);
	sift_calibration_free(&c);
	assert_int_equal(sift_calibration_fit(SIFT_CAL_ISOTONIC, &d, &c, &err),
			 0);
	assert_int_equal(c.kind, SIFT_CAL_ISOTONIC);
	sift_calibration_free(&c);
	for (size_t i = 0; i < 40; i++)
		gold[i] = 0;
	assert_int_equal(
		sift_calibration_fit(SIFT_CAL_TEMPERATURE, &d, &c, &err),
		SIFT_EDATA);
	assert_string_equal(err.msg,
			    "class 1 has no record to fit the calibration on");
}

/* Temperature on probabilities is softmax(log p / T); more than two
 * classes one against the rest, renormalised. */
static void test_apply_multiclass(void **state)
{
	struct sift_cal_map maps[3] = { { -1, 0, 0, NULL, NULL },
					{ -2, 0, 0, NULL, NULL },
					{ -1, 1, 0, NULL, NULL } };
	struct sift_calibration t = { SIFT_CAL_TEMPERATURE, 2, 0, 0, NULL };
	struct sift_calibration pl = { SIFT_CAL_PLATT, 1, 3, 0, maps };
	double p[3] = { 0.6, 0.3, 0.1 }, q[3], s;

	(void)state;
	sift_calibration_apply(&t, p, 3);
	s = sqrt(0.6) + sqrt(0.3) + sqrt(0.1);
	NEAR(p[0], sqrt(0.6) / s, 1e-12);
	NEAR(p[2], sqrt(0.1) / s, 1e-12);
	q[0] = 0.6;
	q[1] = 0.3;
	q[2] = 0.1;
	sift_calibration_apply(&pl, q, 3);
	{
		double a = 0.6, b = 1 / (1 + pow(0.7 / 0.3, 2)),
		       c = 1 / (1 + (0.9 / 0.1) * exp(1));

		s = a + b + c;
		NEAR(q[0], a / s, 1e-12);
		NEAR(q[1], b / s, 1e-12);
		NEAR(q[2], c / s, 1e-12);
	}
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(sift_cal_name(SIFT_CAL_ISOTONIC), "isotonic");
	assert_int_equal(sift_cal_kind_of("temperature"), SIFT_CAL_TEMPERATURE);
	assert_int_equal(sift_cal_kind_of("Platt"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_isotonic_by_hand),
		cmocka_unit_test(test_isotonic_sklearn),
		cmocka_unit_test(test_platt_sklearn),
		cmocka_unit_test(test_temperature_scipy),
		cmocka_unit_test(test_fit_apply_binary),
		cmocka_unit_test(test_apply_multiclass),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
