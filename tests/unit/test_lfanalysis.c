/* Unit tests of lib/label_analysis.c and the vote combiners of lib/label.c:
 * Snorkel's documented LF-analysis example, and hand-worked votes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sift/label.h"
#include "sift/lfanalysis.h"
#include "testutil.h"

static void snorkel_example(void **state)
{
	static const int L[5][3] = { { -1, 0, 0 },
				     { -1, -1, -1 },
				     { 1, 0, -1 },
				     { -1, 0, -1 },
				     { 0, 0, 0 } };
	static const double cov[3] = { .4, .8, .4 }, ovl[3] = { .4, .6, .4 },
			    cnf[3] = { .2, .2, 0 };
	struct sift_lfa *a = sift_lfa_new(3, 2, 2);
	const struct sift_lfa_stats *s;

	(void)state;
	assert_non_null(a);
	for (size_t i = 0; i < 5; i++)
		sift_lfa_add(a, L[i], -1, -1, 1);
	assert_float_equal(sift_lfa_records(a), 5, 0);
	s = sift_lfa_set(a);
	assert_float_equal(s->covered / 5, .8, 1e-12);
	assert_float_equal(s->overlapped / 5, .6, 1e-12);
	assert_float_equal(s->conflicted / 5, .2, 1e-12);
	for (size_t j = 0; j < 3; j++) {
		s = sift_lfa_rule(a, j);
		assert_float_equal(s->covered / 5, cov[j], 1e-12);
		assert_float_equal(s->overlapped / 5, ovl[j], 1e-12);
		assert_float_equal(s->conflicted / 5, cnf[j], 1e-12);
	}
	/* normalised: overlaps / coverage [1, .75, 1]; conflicts /
	 * overlaps [.5, .333, 0] */
	assert_float_equal(sift_lfa_rule(a, 1)->overlapped /
				   sift_lfa_rule(a, 1)->covered,
			   .75, 1e-12);
	assert_float_equal(sift_lfa_rule(a, 1)->conflicted /
				   sift_lfa_rule(a, 1)->overlapped,
			   1.0 / 3, 1e-12);
	/* polarities [[0,1],[0],[0]] */
	assert_true(sift_lfa_rule(a, 0)->emitted[0] > 0);
	assert_true(sift_lfa_rule(a, 0)->emitted[1] > 0);
	assert_true(sift_lfa_rule(a, 1)->emitted[1] == 0);
	assert_true(sift_lfa_rule(a, 2)->emitted[1] == 0);
	sift_lfa_free(a);
}

static void accuracy_against_gold(void **state)
{
	static const int L[4][2] = { { 1, -1 }, { 1, 0 }, { 0, 0 }, { 1, 1 } };
	static const int gold[4] = { 1, 0, 0, 2 }; /* 2: a value no rule says */
	struct sift_lfa *a = sift_lfa_new(2, 2, 3);
	const struct sift_lfa_stats *s;

	(void)state;
	for (size_t i = 0; i < 4; i++)
		sift_lfa_add(a, L[i], gold[i], L[i][0], i == 3 ? 2 : 1);
	s = sift_lfa_rule(a, 0);
	assert_float_equal(s->correct, 2, 0);   /* records 0 and 2 */
	assert_float_equal(s->incorrect, 3, 0); /* record 1, record 3 x2 */
	assert_float_equal(sift_lfa_accuracy(s), 0.4, 1e-12);
	assert_float_equal(s->confusion[0 * 2 + 1], 1, 0); /* gold 0, said 1 */
	assert_float_equal(s->confusion[2 * 2 + 1], 2, 0);
	s = sift_lfa_rule(a, 1);
	assert_float_equal(sift_lfa_accuracy(s), 0.5, 1e-12);
	s = sift_lfa_combined(a);
	assert_float_equal(s->covered, 5, 0);
	assert_float_equal(sift_lfa_accuracy(s), 0.4, 1e-12);
	sift_lfa_free(a);
}

/* Snorkel's majority-vote probabilities on [[0,0,-1],[-1,0,1],[1,-1,0]]:
 * [[1,0],[.5,.5],[.5,.5]]. */
static void majority_vote_shares(void **state)
{
	static const int L[3][3] = { { 0, 0, -1 }, { -1, 0, 1 }, { 1, -1, 0 } };
	static const double want[3][2] = { { 1, 0 }, { .5, .5 }, { .5, .5 } };
	double sh[2];

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		int k = sift_label_combine(SIFT_COMBINE_MAJORITY, 0, L[i], NULL,
					   3, 2, sh);

		assert_float_equal(sh[0], want[i][0], 1e-12);
		assert_float_equal(sh[1], want[i][1], 1e-12);
		assert_int_equal(k, i == 0 ? 0 : -1); /* ties abstain */
	}
	/* --tie first: the tied label of the earliest rule */
	assert_int_equal(sift_label_combine(SIFT_COMBINE_MAJORITY, 1, L[1],
					    NULL, 3, 2, sh),
			 0);
	assert_int_equal(sift_label_combine(SIFT_COMBINE_MAJORITY, 1, L[2],
					    NULL, 3, 2, sh),
			 1);
}

static void every_combiner_by_hand(void **state)
{
	/* rules: r0 -> 1, r1 -> 0, r2 -> 0, r3 -> 1 (weight 5) */
	static const double w[4] = { 1, 1, 1, 5 };
	static const int all[4] = { 1, 0, 0, 1 }, three[4] = { 1, 0, 0, -1 },
			 none[4] = { -1, -1, -1, -1 },
			 late[4] = { -1, 0, 0, 1 };
	double sh[2];

	(void)state;
	assert_int_equal(sift_label_combine(SIFT_COMBINE_MAJORITY, 0, three, w,
					    4, 2, sh),
			 0);
	assert_float_equal(sh[0], 2.0 / 3, 1e-12);
	assert_int_equal(
		sift_label_combine(SIFT_COMBINE_MAJORITY, 0, all, w, 4, 2, sh),
		-1);
	assert_int_equal(
		sift_label_combine(SIFT_COMBINE_FIRST, 0, three, w, 4, 2, sh),
		1);
	assert_int_equal(
		sift_label_combine(SIFT_COMBINE_FIRST, 0, late, w, 4, 2, sh),
		0);
	assert_int_equal(
		sift_label_combine(SIFT_COMBINE_WEIGHTED, 0, all, w, 4, 2, sh),
		1);
	assert_float_equal(sh[1], 6.0 / 8, 1e-12);
	assert_int_equal(sift_label_combine(SIFT_COMBINE_WEIGHTED, 0, three, w,
					    4, 2, sh),
			 0);
	for (int m = 0; m < 3; m++)
		assert_int_equal(sift_label_combine((enum sift_combine)m, 1,
						    none, w, 4, 2, sh),
				 -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(snorkel_example),
		cmocka_unit_test(accuracy_against_gold),
		cmocka_unit_test(majority_vote_shares),
		cmocka_unit_test(every_combiner_by_hand),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
