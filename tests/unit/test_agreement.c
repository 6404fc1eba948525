/* Unit tests of lib/audit_agreement.c against published values: Fleiss'
 * worked example (Wikipedia), Krippendorff (2011)'s reliability data and
 * Wikipedia's three-coder example, hand-worked Cohen's kappa tables
 * (../shared/REFERENCE-VALUES.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sift/agreement.h"
#include "testutil.h"

static const unsigned fleiss_table[10 * 5] = {
	0, 0, 0, 0, 14, 0, 2, 6, 4, 2, 0, 0, 3, 5, 6, 0, 3,
	9, 2, 0, 2, 2,  8, 1, 1, 7, 7, 0, 0, 0, 3, 2, 6, 3,
	0, 2, 5, 3, 2,  2, 6, 5, 2, 1, 0, 0, 2, 2, 3, 7,
};

static void fleiss_wikipedia(void **state)
{
	(void)state;
	assert_true(fabs(sift_agree_fleiss(fleiss_table, 10, 5) - 0.2099307) <
		    5e-8);
}

static void fleiss_undefined(void **state)
{
	unsigned one_cat[3] = { 2, 3, 1 };

	(void)state;
	/* one category: chance agreement is 1 */
	assert_true(isnan(sift_agree_fleiss(one_cat, 3, 1)));
	/* no item with two ratings */
	assert_true(isnan(sift_agree_fleiss(one_cat + 2, 1, 1)));
}

/* Rows are coders, 0 is missing; fill the count table (values 1..5 are
 * categories 0..4). */
static void to_counts(const int *data, size_t coders, size_t units,
		      unsigned *counts, size_t K)
{
	memset(counts, 0, units * K * sizeof *counts);
	for (size_t c = 0; c < coders; c++)
		for (size_t u = 0; u < units; u++)
			if (data[c * units + u])
				counts[u * K + (size_t)data[c * units + u] -
				       1]++;
}

static const int kripp_2011[4 * 12] = {
	1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0, /* A */
	1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3, /* B */
	0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0, /* C */
	1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0, /* D */
};

static const double values5[5] = { 1, 2, 3, 4, 5 };

static double kripp(const int *data, size_t coders, size_t units,
		    enum sift_agree_level level)
{
	unsigned counts[15 * 5];

	to_counts(data, coders, units, counts, 5);
	return sift_agree_alpha(counts, units, 5, values5, level);
}

static void krippendorff_2011(void **state)
{
	(void)state;
	assert_true(fabs(kripp(kripp_2011, 4, 12, SIFT_LEVEL_NOMINAL) - 0.743) <
		    5e-4);
	assert_true(fabs(kripp(kripp_2011, 4, 12, SIFT_LEVEL_ORDINAL) - 0.815) <
		    5e-4);
	assert_true(fabs(kripp(kripp_2011, 4, 12, SIFT_LEVEL_INTERVAL) -
			 0.849) < 5e-4);
	assert_true(fabs(kripp(kripp_2011, 4, 12, SIFT_LEVEL_RATIO) - 0.797) <
		    5e-4);
}

static const int kripp_wiki[3 * 15] = {
	0, 0, 0, 0, 0, 3, 4, 1, 2, 1, 1, 3, 3, 0, 3, 1, 0, 2, 1, 3, 3, 4, 3,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 1, 3, 4, 4, 0, 2, 1, 1, 3, 3, 0, 4,
};

static void krippendorff_wikipedia(void **state)
{
	(void)state;
	assert_true(fabs(kripp(kripp_wiki, 3, 15, SIFT_LEVEL_NOMINAL) -
			 0.691358) < 5e-7);
	assert_true(fabs(kripp(kripp_wiki, 3, 15, SIFT_LEVEL_INTERVAL) -
			 0.810845) < 5e-7);
}

static void krippendorff_nominal_ignores_values(void **state)
{
	unsigned counts[12 * 5];

	(void)state;
	to_counts(kripp_2011, 4, 12, counts, 5);
	assert_true(
		fabs(sift_agree_alpha(counts, 12, 5, NULL, SIFT_LEVEL_NOMINAL) -
		     sift_agree_alpha(counts, 12, 5, values5,
				      SIFT_LEVEL_NOMINAL)) < 1e-15);
	/* value NULL means the category number: interval is unchanged by a
	 * shift of all values */
	assert_true(fabs(sift_agree_alpha(counts, 12, 5, NULL,
					  SIFT_LEVEL_INTERVAL) -
			 0.849) < 5e-4);
}

static void cohen_hand_worked(void **state)
{
	const double t3[9] = { 0, 4, 1, 0, 8, 0, 0, 1, 5 };
	const double wiki[4] = { 20, 5, 10, 15 };

	(void)state;
	assert_true(fabs(sift_agree_cohen(t3, 3, SIFT_WEIGHT_NONE) - 0.4842) <
		    5e-5);
	assert_true(fabs(sift_agree_cohen(t3, 3, SIFT_WEIGHT_LINEAR) - 0.4701) <
		    5e-5);
	assert_true(fabs(sift_agree_cohen(wiki, 2, SIFT_WEIGHT_NONE) - 0.4) <
		    1e-12);
}

static void cohen_edge_cases(void **state)
{
	const double perfect[4] = { 3, 0, 0, 7 };
	const double constant[4] = { 5, 5, 0, 0 }; /* rater 1 always says 0 */
	const double none[4] = { 0, 0, 0, 0 };
	const double q[9] = { 0, 4, 1, 0, 8, 0, 0, 1, 5 };
	double kq;

	(void)state;
	assert_true(sift_agree_cohen(perfect, 2, SIFT_WEIGHT_NONE) == 1);
	assert_true(fabs(sift_agree_cohen(constant, 2, SIFT_WEIGHT_NONE)) <
		    1e-12);
	assert_true(isnan(sift_agree_cohen(none, 2, SIFT_WEIGHT_NONE)));
	/* 2 categories: every weighting is the plain kappa */
	assert_true(fabs(sift_agree_cohen(perfect, 2, SIFT_WEIGHT_QUADRATIC) -
			 1) < 1e-12);
	/* quadratic weights, worked by hand: rows 5, 8, 6, columns 0, 13,
	 * 6 of 19; sum w*o = 4 * .25 + 1 * 1 + 1 * .25 = 2.25; sum w*e =
	 * (.25 * 5 * 13 + 5 * 6 + .25 * 8 * 6 + .25 * 6 * 13) / 19 */
	kq = sift_agree_cohen(q, 3, SIFT_WEIGHT_QUADRATIC);
	assert_true(
		fabs(kq -
		     (1 - 2.25 * 19 / (.25 * 65 + 30 + .25 * 48 + .25 * 78))) <
		1e-12);
}

/* Two raters on 5 items, as grouped ratings. */
static void pairwise_matrix(void **state)
{
	/* items 0..4; raters 0,1 rate all; rater 2 rates item 0 only */
	const size_t start[6] = { 0, 3, 5, 7, 9, 11 };
	const size_t rater[11] = { 0, 1, 2, 0, 1, 0, 1, 0, 1, 0, 1 };
	const unsigned label[11] = { 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0 };
	struct sift_agree_ratings r = { 5, 3, 2, start, rater, label };
	struct sift_error err;
	double *kappa, table[4] = { 2, 1, 0, 2 };
	size_t *overlap;

	(void)state;
	assert_int_equal(sift_agree_pairwise(&r, 2, &kappa, &overlap, &err), 0);
	assert_int_equal(overlap[0 * 3 + 1], 5);
	assert_int_equal(overlap[1 * 3 + 0], 5);
	assert_int_equal(overlap[0 * 3 + 2], 1);
	assert_true(fabs(kappa[1] -
			 sift_agree_cohen(table, 2, SIFT_WEIGHT_NONE)) < 1e-12);
	assert_true(isnan(kappa[0 * 3 + 2])); /* 1 shared item < 2 */
	assert_true(isnan(kappa[0]));
	free(kappa);
	free(overlap);
}

static void observed_majority_loo(void **state)
{
	const size_t start[4] = { 0, 3, 5, 6 };
	const size_t rater[6] = { 0, 1, 2, 0, 2, 1 };
	const unsigned label[6] = { 0, 0, 1, 1, 0, 1 };
	struct sift_agree_ratings r = { 3, 3, 2, start, rater, label };
	struct sift_error err;
	unsigned *counts, cons[3];
	double share[3], loo[3];
	size_t shared[3], used;

	(void)state;
	assert_int_equal(sift_agree_counts(&r, &counts, &err), 0);
	/* item 0: 1 agreeing pair of 3; item 1: 0 of 1; item 2 not used */
	assert_true(fabs(sift_agree_observed(counts, 3, 2, &used) - 1.0 / 6) <
		    1e-12);
	assert_int_equal(used, 2);
	sift_agree_majority(counts, 3, 2, cons, share);
	assert_int_equal(cons[0], 0);
	assert_true(fabs(share[0] - 2.0 / 3) < 1e-12);
	assert_int_equal(cons[1], 0); /* a tie goes to the lowest id */
	assert_int_equal(cons[2], 1);
	sift_agree_loo(&r, counts, loo, shared);
	/* rater 0: item 0 others {0,1} tie, it said 0: 1/2; item 1 other
	 * says 0, it said 1: 0 -> 0.25 over 2 items */
	assert_int_equal(shared[0], 2);
	assert_true(fabs(loo[0] - 0.25) < 1e-12);
	/* rater 1: item 0 only (item 2 alone): others {0,1}: 1/2 */
	assert_int_equal(shared[1], 1);
	assert_true(fabs(loo[1] - 0.5) < 1e-12);
	free(counts);
}

static void wilson_interval(void **state)
{
	double lo, hi;

	(void)state;
	/* 8 of 10 at 95%: [0.4902, 0.9433] (Newcombe 1998, table I style) */
	sift_agree_wilson(8, 10, 1.959964, &lo, &hi);
	assert_true(fabs(lo - 0.4902) < 1e-4);
	assert_true(fabs(hi - 0.9433) < 1e-4);
	sift_agree_wilson(0, 10, 1.959964, &lo, &hi);
	assert_true(lo == 0);
	assert_true(fabs(hi - 0.2775) < 1e-4);
	sift_agree_wilson(0, 0, 1.96, &lo, &hi);
	assert_true(lo == 0 && hi == 1);
}

static void normal_quantile(void **state)
{
	(void)state;
	assert_true(fabs(sift_agree_normal_quantile(0.975) -
			 1.959963984540054) < 1e-12);
	assert_true(fabs(sift_agree_normal_quantile(0.995) - 2.5758293035489) <
		    1e-12);
	assert_true(fabs(sift_agree_normal_quantile(0.5)) < 1e-15);
	assert_true(fabs(sift_agree_normal_quantile(1e-10) +
			 6.361340902404056) < 1e-9);
	assert_true(isnan(sift_agree_normal_quantile(1.5)));
}

static void levels(void **state)
{
	(void)state;
	assert_int_equal(sift_agree_level_parse("ordinal"), SIFT_LEVEL_ORDINAL);
	assert_int_equal(sift_agree_level_parse("ratio"), SIFT_LEVEL_RATIO);
	assert_int_equal(sift_agree_level_parse("0.95"), -1);
	assert_string_equal(sift_agree_level_name(SIFT_LEVEL_INTERVAL),
			    "interval");
}

static void flags(void **state)
{
	double said[3], cons[3] = { 50, 30, 20 };
	struct sift_agree_profile p = { 3, said, cons, 0.7, 100, 20 };
	size_t to = 9;

	(void)state;
	memcpy(said, (double[]){ 48, 32, 20 }, sizeof said);
	assert_int_equal(sift_agree_flags(&p, &to), 0);
	memcpy(said, (double[]){ 0, 100, 0 }, sizeof said);
	assert_int_equal(sift_agree_flags(&p, &to), SIFT_FLAG_CONSTANT);
	memcpy(said, (double[]){ 34, 33, 33 }, sizeof said);
	p.kappa = 0.01;
	assert_int_equal(sift_agree_flags(&p, &to), SIFT_FLAG_RANDOM);
	p.kappa = 0.6;
	memcpy(said, (double[]){ 30, 30, 40 }, sizeof said);
	assert_int_equal(sift_agree_flags(&p, &to), SIFT_FLAG_BIASED);
	assert_int_equal(to, 2);
	p.shared = 19;
	assert_int_equal(sift_agree_flags(&p, &to), SIFT_FLAG_OVERLAP);
	assert_string_equal(sift_agree_flag_name(SIFT_FLAG_RANDOM),
			    "near-random");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fleiss_wikipedia),
		cmocka_unit_test(fleiss_undefined),
		cmocka_unit_test(krippendorff_2011),
		cmocka_unit_test(krippendorff_wikipedia),
		cmocka_unit_test(krippendorff_nominal_ignores_values),
		cmocka_unit_test(cohen_hand_worked),
		cmocka_unit_test(cohen_edge_cases),
		cmocka_unit_test(pairwise_matrix),
		cmocka_unit_test(observed_majority_loo),
		cmocka_unit_test(wilson_interval),
		cmocka_unit_test(normal_quantile),
		cmocka_unit_test(levels),
		cmocka_unit_test(flags),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
