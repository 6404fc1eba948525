/*
 * tests/unit/test_reliability.c - lib/metrics_reliability.c and the
 * calibration figures of lib/metrics.c (ECE, adaptive ECE, MCE) against
 * cases worked by hand and scikit-learn's calibration_curve.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sift/metrics.h"
#include "sift/reliability.h"

#define NEAR(a, b, tol) assert_true(fabs((a) - (b)) <= (tol))

static const char *const names[] = { "0", "1", "2" };

/* The reference case, made by a one-off script under /usr/bin/python3
 * (numpy 1.24.2, scikit-learn 1.2.1):
 *
 *   rng = np.random.RandomState(15); n = 200
 *   cents = rng.randint(0, 101, n); p = cents / 100.0
 *   y = (rng.uniform(size=n) < p ** 1.5).astype(int)
 *   w = rng.randint(0, 4, n)
 *
 * then, for each strategy, prob_true, prob_pred = calibration_curve(y, p,
 * n_bins=N, strategy=S), the bin counts from np.searchsorted(edges[1:-1],
 * p) as calibration_curve bins, ECE = sum(count * |prob_true -
 * prob_pred|) / sum(count) and MCE = max |prob_true - prob_pred|. The
 * weighted equal-width figures are those of np.repeat(y, w),
 * np.repeat(p, w): integer weights as repeated records. */
static const unsigned char cents[200] = {
	72, 12, 5,  0,  28, 27, 71, 75, 85, 47, 93, 17, 31, 23, 32, 62, 10,
	15, 68, 39, 37, 19, 44, 77, 60, 29, 79, 15, 56, 49, 1,  31, 96, 85,
	26, 34, 75, 50, 65, 53, 70, 41, 34, 40, 22, 63, 79, 56, 28, 99, 4,
	7,  66, 42, 96, 7,  24, 60, 45, 83, 49, 53, 29, 76, 88, 76, 33, 2,
	88, 42, 81, 51, 62, 23, 93, 98, 87, 18, 90, 90, 16, 77, 90, 32, 70,
	4,  28, 84, 35, 28, 69, 54, 64, 73, 84, 56, 46, 38, 35, 14, 82, 92,
	90, 52, 82, 41, 99, 35, 67, 19, 79, 80, 32, 54, 33, 34, 33, 28, 100,
	87, 60, 8,  10, 75, 43, 77, 61, 98, 79, 85, 76, 63, 67, 44, 60, 27,
	41, 84, 84, 62, 91, 0,  68, 13, 5,  59, 3,  52, 48, 11, 65, 74, 68,
	37, 27, 84, 27, 72, 19, 95, 57, 31, 17, 99, 17, 70, 71, 48, 25, 31,
	39, 88, 35, 42, 68, 25, 57, 10, 47, 34, 43, 34, 68, 66, 80, 77, 17,
	23, 60, 53, 40, 10, 54, 70, 55, 95, 89, 4,  85, 96,
};
static const unsigned char outcome[200] = {
	0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0,
	0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1, 1, 1, 1, 0, 0,
	1, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 1, 0, 1, 1, 0, 0, 0, 1,
	0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 1, 1,
	1, 1, 1, 0, 1, 0, 0, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0,
	0, 1, 0, 1, 1, 0, 0, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 0, 0,
	1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 1, 1, 1, 0, 1, 0,
	0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0, 1,
	1, 1, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1, 1, 0, 0, 1,
};
static const unsigned char weights[200] = {
	3, 2, 0, 0, 3, 0, 2, 1, 1, 1, 3, 1, 1, 1, 2, 1, 2, 2, 1, 3, 3, 0, 3,
	1, 1, 0, 1, 0, 2, 0, 2, 3, 3, 1, 0, 1, 1, 2, 0, 2, 2, 1, 1, 1, 2, 0,
	3, 3, 2, 1, 1, 2, 0, 2, 1, 0, 0, 2, 0, 3, 2, 2, 2, 3, 0, 3, 1, 0, 2,
	2, 2, 2, 3, 0, 1, 1, 0, 0, 3, 3, 2, 0, 0, 3, 1, 2, 3, 0, 2, 1, 0, 1,
	0, 1, 1, 1, 3, 1, 2, 0, 1, 1, 1, 1, 3, 1, 2, 1, 3, 2, 3, 2, 0, 3, 1,
	1, 3, 3, 1, 2, 0, 3, 1, 3, 0, 1, 2, 3, 3, 1, 1, 2, 1, 1, 3, 3, 2, 2,
	1, 0, 1, 3, 0, 3, 2, 2, 3, 1, 2, 2, 1, 3, 1, 3, 3, 2, 1, 1, 3, 2, 2,
	1, 2, 3, 1, 2, 3, 1, 2, 3, 3, 3, 0, 0, 1, 0, 0, 1, 3, 1, 3, 3, 1, 3,
	0, 1, 3, 2, 2, 0, 0, 0, 0, 2, 2, 3, 3, 3, 2, 0,
};
static const unsigned char top_a[60] = {
	24, 3,  56, 72, 0,  21, 19, 74, 41, 10, 21, 38, 96, 20, 44,
	93, 39, 14, 26, 81, 90, 22, 66, 2,  63, 60, 1,  51, 90, 69,
	97, 29, 24, 62, 7,  43, 33, 79, 48, 37, 20, 94, 49, 21, 78,
	28, 54, 0,  64, 18, 63, 37, 56, 56, 71, 37, 46, 33, 1,  85,
};
static const unsigned char top_b[60] = {
	74, 91, 16, 16, 32, 16, 18, 11, 55, 13, 37, 30, 0,  61, 33,
	4,  49, 2,  28, 4,  10, 44, 10, 54, 36, 27, 21, 49, 8,  8,
	3,  29, 32, 9,  33, 47, 60, 11, 20, 10, 80, 4,  4,  44, 12,
	19, 16, 98, 1,  35, 1,  18, 2,  23, 3,  20, 17, 22, 92, 11,
};
static const unsigned char top_gold[60] = {
	1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 2, 0, 0, 1, 2, 2, 0, 1,
	0, 1, 2, 1, 1, 0, 1, 2, 0, 0, 0, 1, 2, 0, 0, 2, 0, 0, 2, 0,
	2, 1, 0, 0, 1, 2, 0, 0, 0, 1, 0, 1, 2, 0, 2, 1, 0, 1, 1, 0,
};

struct reference {
	size_t bins;
	double ece, adaptive_ece, mce, weighted_ece, weighted_mce;
};

static const struct reference sklearn_binary[] = {
	{ 15, 0.1046000000, 0.1165000000, 0.2984615385, 0.0880707395,
	  0.2340000000 },
	{ 10, 0.1076000000, 0.1053000000, 0.2500000000, 0.0981672026,
	  0.1835135135 },
	{ 7, 0.1028000000, 0.1028000000, 0.2169696970, 0.0870418006,
	  0.1889090909 },
};

/* Three classes, from the same script: rng = RandomState(3), k = 60,
 * a = rng.randint(0, 101, k), b_i = rng.randint(0, 101 - a_i), c = 100
 * - a - b, P = [a, b, c] / 100, gold = rng.randint(0, 3, k); binned is
 * P.max(1) against P.argmax(1) == gold. */
static const struct reference sklearn_top_label[] = {
	{ 15, 0.2285000000, 0.2841666667, 0.7125000000, 0, 0 },
	{ 5, 0.2285000000, 0.2078333333, 0.6200000000, 0, 0 },
};

static void compute(struct sift_metrics *m, size_t k, size_t positive,
		    size_t bins, struct sift_metrics_report *rep)
{
	struct sift_metrics_opts o;
	struct sift_error err;

	sift_metrics_opts_init(&o);
	o.n_classes = k;
	o.names = names;
	o.have_positive = 1;
	o.positive = positive;
	o.bins = bins;
	assert_int_equal(sift_metrics_compute(m, &o, rep, &err), 0);
}

static void check(struct sift_metrics *m, size_t k, size_t bins, double ece,
		  double adaptive, double mce)
{
	struct sift_metrics_report rep;

	compute(m, k, 1, bins, &rep);
	assert_true(rep.shown[SIFT_FIG_ECE]);
	NEAR(rep.value[SIFT_FIG_ECE], ece, 1e-6);
	NEAR(rep.value[SIFT_FIG_ADAPTIVE_ECE], adaptive, 1e-6);
	NEAR(rep.value[SIFT_FIG_MCE], mce, 1e-6);
	sift_metrics_report_free(&rep);
}

/* Scores .1 (gold 0), .4 (0, weight 2), .35 (1), .8 (1), by hand.
 * 15 equal-width bins: .1 alone, .35 and .4 in (1/3, .4] (the edge .4
 * goes down), .8 in (11/15, .8]; ECE (.1 + 2 * |.375 - .5| + .2) / 4 =
 * .1375, MCE .2; 15 equal-mass bins hold one record each: (.1 + .65 +
 * .4 + .2) / 4 = .3375. Two bins: equal-width (.1, .35, .4 | .8) gives
 * (3 * |.85/3 - 1/3| + .2) / 4 = .0875; equal-mass, the edge at index
 * 1.5 is .375: (2 * .275 + 2 * .1) / 4 = .1875.
 * Weighted: 15 bins give (.1 + 3 * |1.15/3 - 1/3| + .2) / 5 = .09, and
 * equal-mass (.1 + .65 + 2 * .4 + .2) / 5 = .35; two equal-mass bins put
 * the edge on .4 itself (position 2 of 4), which goes down: (|1.25 - 1|
 * + .2) / 5 = .09. */
static void test_hand(void **state)
{
	const double score[] = { 0.1, 0.4, 0.35, 0.8 };
	const uint32_t gold[] = { 0, 0, 1, 1 };
	const double weight[] = { 1, 2, 1, 1 };
	struct sift_metrics *m = sift_metrics_new(0);
	struct sift_metrics *mw = sift_metrics_new(0);
	struct sift_error err;

	(void)state;
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(sift_metrics_add_score(m, gold[i], gold[i], 1,
							score[i], &err),
				 0);
		assert_int_equal(sift_metrics_add_score(mw, gold[i], gold[i],
							weight[i], score[i],
							&err),
				 0);
	}
	check(m, 2, 15, 0.1375, 0.3375, 0.2);
	check(m, 2, 2, 0.0875, 0.1875, 0.2);
	check(mw, 2, 15, 0.09, 0.35, 0.2);
	check(mw, 2, 2, 0.09, 0.09, 0.2);
	sift_metrics_free(m);
	sift_metrics_free(mw);
}

/* A score on an edge goes down; 0 and 1 go to the end bins; equal
 * scores share a bin however many equal-mass bins there are. */
static void test_edges(void **state)
{
	const double p[] = { 1.0, 0.6, 0.4, 0.2, 0.0 }; /* highest first */
	const uint32_t gold[] = { 1, 1, 0, 1, 0 };
	const double tied[] = { 0.9, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.1 };
	const uint32_t tgold[8] = { 1, 1, 0, 1, 0, 1, 0, 0 };
	struct sift_reliability_bin bin[5];
	double edges[6];
	struct sift_reliability_input in = { 5, p,    NULL, gold,
					     1, NULL, NULL, NULL };

	(void)state;
	sift_reliability_bins(&in, SIFT_BINS_UNIFORM, 5, edges, bin);
	assert_true(bin[0].count == 2); /* 0 and the edge 0.2 */
	assert_true(bin[1].count == 1); /* the edge 0.4 */
	assert_true(bin[2].count == 1); /* the edge 0.6 */
	assert_true(bin[3].count == 0);
	assert_true(bin[4].count == 1); /* 1 */
	NEAR(bin[0].lo, 0, 0);
	NEAR(bin[0].hi, 0.2, 0);
	NEAR(bin[4].hi, 1, 0);
	NEAR(bin[0].sum_p, 0.2, 1e-15);
	NEAR(bin[0].sum_y, 1, 0);

	in = (struct sift_reliability_input){ 8, tied, NULL, tgold,
					      1, NULL, NULL, NULL };
	sift_reliability_bins(&in, SIFT_BINS_QUANTILE, 4, edges, bin);
	/* numpy: percentiles 25, 50, 75 of the eight are all 0.5 */
	assert_true(bin[0].count == 7);
	assert_true(bin[1].count == 0);
	assert_true(bin[2].count == 0);
	assert_true(bin[3].count == 1);
	NEAR(bin[0].lo, 0.1, 0);
	NEAR(bin[3].hi, 0.9, 0);

	/* The hand case of test_hand: the median is interpolated, .375;
	 * weighted, it falls on .4 itself (numpy: np.percentile([.1, .35,
	 * .4, .4, .8], 50) for weight 2 as two records). */
	const double four[] = { 0.8, 0.4, 0.35, 0.1 };
	const uint32_t fgold[] = { 1, 0, 1, 0 };
	const double fw[] = { 1, 2, 1, 1 };

	in = (struct sift_reliability_input){ 4, four, NULL, fgold,
					      1, NULL, NULL, NULL };
	sift_reliability_bins(&in, SIFT_BINS_QUANTILE, 2, edges, bin);
	NEAR(bin[0].hi, 0.375, 1e-15);
	assert_true(bin[0].count == 2);
	in.weight = fw;
	sift_reliability_bins(&in, SIFT_BINS_QUANTILE, 2, edges, bin);
	NEAR(bin[0].hi, 0.4, 0);
	assert_true(bin[0].count == 3);
	NEAR(bin[0].weight, 4, 0);
}

/* The errors of bins: empty bins count for nothing; no weight, NaN. */
static void test_errors(void **state)
{
	struct sift_reliability_bin bin[3] = {
		{ 0, 0.3, 2, 2, 0.2, 1 },
		{ 0.3, 0.6, 0, 0, 0, 0 },
		{ 0.6, 1, 2, 2, 1.6, 2 },
	};
	double ece, mce;

	(void)state;
	sift_reliability_errors(bin, 3, &ece, &mce);
	NEAR(ece, (0.8 + 0.4) / 4, 1e-15);
	NEAR(mce, 0.4, 1e-15);
	bin[0].weight = bin[2].weight = 0;
	sift_reliability_errors(bin, 3, &ece, &mce);
	assert_true(isnan(ece));
	assert_true(isnan(mce));
}

static struct sift_metrics *sklearn_case(int weighted)
{
	struct sift_metrics *m = sift_metrics_new(0);
	struct sift_error err;

	assert_non_null(m);
	for (size_t i = 0; i < sizeof cents; i++)
		assert_int_equal(
			sift_metrics_add_score(m, outcome[i], outcome[i],
					       weighted ? weights[i] : 1.0,
					       cents[i] / 100.0, &err),
			0);
	return m;
}

static void test_sklearn_binary(void **state)
{
	struct sift_metrics *m = sklearn_case(0), *mw = sklearn_case(1);
	struct sift_metrics_report rep;

	(void)state;
	for (size_t r = 0; r < 3; r++) {
		const struct reference *x = &sklearn_binary[r];

		check(m, 2, x->bins, x->ece, x->adaptive_ece, x->mce);
		compute(mw, 2, 1, x->bins, &rep);
		NEAR(rep.value[SIFT_FIG_ECE], x->weighted_ece, 1e-6);
		NEAR(rep.value[SIFT_FIG_MCE], x->weighted_mce, 1e-6);
		sift_metrics_report_free(&rep);
	}
	sift_metrics_free(m);
	sift_metrics_free(mw);
}

/* The same figures with two probability columns: the positive class's. */
static void test_two_columns(void **state)
{
	struct sift_metrics *m = sift_metrics_new(2);
	struct sift_error err;

	(void)state;
	for (size_t i = 0; i < sizeof cents; i++) {
		double row[2] = { (100 - cents[i]) / 100.0, cents[i] / 100.0 };

		assert_int_equal(sift_metrics_add(m, outcome[i], outcome[i], 1,
						  row, &err),
				 0);
	}
	check(m, 2, 15, sklearn_binary[0].ece, sklearn_binary[0].adaptive_ece,
	      sklearn_binary[0].mce);
	sift_metrics_free(m);
}

static void test_sklearn_top_label(void **state)
{
	struct sift_metrics *m = sift_metrics_new(3);
	struct sift_metrics_report rep;
	struct sift_error err;

	(void)state;
	for (size_t i = 0; i < sizeof top_a; i++) {
		double row[3] = { top_a[i] / 100.0, top_b[i] / 100.0,
				  (100 - top_a[i] - top_b[i]) / 100.0 };

		assert_int_equal(sift_metrics_add(m, top_gold[i], top_gold[i],
						  1, row, &err),
				 0);
	}
	for (size_t r = 0; r < 2; r++) {
		const struct reference *x = &sklearn_top_label[r];

		/* whatever the positive class: the top label is binned */
		check(m, 3, x->bins, x->ece, x->adaptive_ece, x->mce);
		compute(m, 3, 2, x->bins, &rep);
		assert_true(rep.top_label);
		NEAR(rep.value[SIFT_FIG_ECE], x->ece, 1e-6);
		sift_metrics_report_free(&rep);
	}
	sift_metrics_free(m);
}

/* The bins of the report: every record and weight in one of them. */
static void test_report_bins(void **state)
{
	struct sift_metrics *m = sklearn_case(1);
	struct sift_metrics_report rep;
	struct sift_reliability_bin bin[15];
	struct sift_error err;
	double count = 0, weight = 0, w_all = 0, gap = 0;

	(void)state;
	compute(m, 2, 1, 15, &rep);
	assert_int_equal(
		sift_metrics_reliability(m, &rep, SIFT_BINS_UNIFORM, bin, &err),
		0);
	for (size_t b = 0; b < 15; b++) {
		count += bin[b].count;
		weight += bin[b].weight;
		gap += fabs(bin[b].sum_p - bin[b].sum_y);
	}
	for (size_t i = 0; i < sizeof weights; i++)
		w_all += weights[i];
	NEAR(count, 200, 0);
	NEAR(weight, w_all, 0);
	NEAR(gap / weight, rep.value[SIFT_FIG_ECE], 1e-12);
	sift_metrics_report_free(&rep);
	sift_metrics_free(m);
}

/* `bins` out of range, and no bins without scores. */
static void test_bad_bins(void **state)
{
	struct sift_metrics *m = sklearn_case(0), *plain = sift_metrics_new(0);
	struct sift_metrics_report rep;
	struct sift_metrics_opts o;
	struct sift_reliability_bin bin[15];
	struct sift_error err;

	(void)state;
	sift_metrics_opts_init(&o);
	assert_int_equal(o.bins, 15);
	o.n_classes = 2;
	o.names = names;
	o.bins = 0;
	assert_int_equal(sift_metrics_compute(m, &o, &rep, &err), SIFT_EUSAGE);
	assert_string_equal(err.msg, "bins: 0 is not from 1 to 1000000");
	sift_metrics_report_free(&rep);
	assert_int_equal(sift_metrics_add(plain, 1, 0, 1, NULL, &err), 0);
	o.bins = 15;
	assert_int_equal(sift_metrics_compute(plain, &o, &rep, &err), 0);
	assert_false(rep.shown[SIFT_FIG_ECE]);
	assert_int_equal(sift_metrics_reliability(plain, &rep,
						  SIFT_BINS_UNIFORM, bin, &err),
			 SIFT_EUSAGE);
	sift_metrics_report_free(&rep);
	sift_metrics_free(m);
	sift_metrics_free(plain);
}

/* The bootstrap interval brackets the figure. */
static void test_interval(void **state)
{
	struct sift_metrics *m = sklearn_case(0);
	struct sift_metrics_report rep;
	struct sift_metrics_opts o;
	struct sift_error err;

	(void)state;
	sift_metrics_opts_init(&o);
	o.n_classes = 2;
	o.names = names;
	o.have_positive = 1;
	o.positive = 1;
	o.ci = 0.9;
	o.n_boot = 200;
	o.seed = 7;
	assert_int_equal(sift_metrics_compute(m, &o, &rep, &err), 0);
	for (int f = SIFT_FIG_ECE; f <= SIFT_FIG_MCE; f++) {
		assert_true(rep.lo[f] <= rep.value[f]);
		assert_true(rep.value[f] <= rep.hi[f]);
		assert_true(rep.lo[f] < rep.hi[f]);
	}
	sift_metrics_report_free(&rep);
	sift_metrics_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hand),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_sklearn_binary),
		cmocka_unit_test(test_two_columns),
		cmocka_unit_test(test_sklearn_top_label),
		cmocka_unit_test(test_report_bins),
		cmocka_unit_test(test_bad_bins),
		cmocka_unit_test(test_interval),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
