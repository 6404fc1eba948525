/*
 * tests/unit/test_metrics.c - lib/metrics.c, lib/metrics_curves.c,
 * lib/metrics_bootstrap.c and lib/metrics_format.c against values worked by
 * hand, published ones (../shared/REFERENCE-VALUES.md, scikit-learn's
 * documentation) and textbook edge cases.
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

#include "sift/bootstrap.h"
#include "sift/curves.h"
#include "sift/metrics.h"
#include "sift/metrics_format.h"
#include "sift/metrics_read.h"
#include "sift/reader.h"
#include "sift/rng.h"
#include "sift/writer.h"
#include "testutil.h"

static const char *const names01[] = { "0", "1", "2" };

#define NEAR(a, b, tol) assert_true(fabs((a) - (b)) <= (tol))

/* An accumulator of gold/pred pairs, no scores, weight 1. */
static struct sift_metrics *pairs(const uint32_t *gold, const uint32_t *pred,
				  size_t n)
{
	struct sift_metrics *m = sift_metrics_new(0);
	struct sift_error err;

	assert_non_null(m);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(
			sift_metrics_add(m, gold[i], pred[i], 1.0, NULL, &err),
			0);
	return m;
}

/* Add count copies of (gold, pred). */
static void add_n(struct sift_metrics *m, uint32_t gold, uint32_t pred,
		  int count)
{
	struct sift_error err;

	for (int i = 0; i < count; i++)
		assert_int_equal(
			sift_metrics_add(m, gold, pred, 1.0, NULL, &err), 0);
}

static void compute(struct sift_metrics *m, size_t k, int positive,
		    struct sift_metrics_report *rep)
{
	struct sift_metrics_opts o;
	struct sift_error err;

	sift_metrics_opts_init(&o);
	o.n_classes = k;
	o.names = names01;
	if (positive >= 0) {
		o.have_positive = 1;
		o.positive = (size_t)positive;
	}
	assert_int_equal(sift_metrics_compute(m, &o, rep, &err), 0);
}

/* The lecture's bank models: both 90% accurate. */
static void test_bank_models(void **state)
{
	struct sift_metrics_report rep;
	struct sift_metrics *a = sift_metrics_new(0), *b = sift_metrics_new(0);

	(void)state;
	add_n(a, 1, 1, 10);
	add_n(a, 0, 1, 10);
	add_n(a, 1, 0, 90);
	add_n(a, 0, 0, 890);
	compute(a, 2, -1, &rep);
	assert_int_equal(rep.positive, 1);
	assert_true(rep.positive_chosen);
	NEAR(rep.value[SIFT_FIG_ACCURACY], 0.90, 1e-12);
	NEAR(rep.value[SIFT_FIG_PRECISION], 0.5, 1e-12);
	NEAR(rep.value[SIFT_FIG_RECALL], 0.1, 1e-12);
	NEAR(rep.value[SIFT_FIG_F], 1.0 / 6, 1e-12);
	assert_non_null(strstr(rep.warnings, "hides a recall of 10.0% on '1'"));
	sift_metrics_report_free(&rep);

	add_n(b, 1, 1, 90);
	add_n(b, 0, 1, 90);
	add_n(b, 1, 0, 10);
	add_n(b, 0, 0, 810);
	compute(b, 2, 1, &rep);
	NEAR(rep.value[SIFT_FIG_ACCURACY], 0.90, 1e-12);
	NEAR(rep.value[SIFT_FIG_PRECISION], 0.5, 1e-12);
	NEAR(rep.value[SIFT_FIG_RECALL], 0.9, 1e-12);
	NEAR(rep.value[SIFT_FIG_F], 0.642857142857, 1e-9);
	assert_string_equal(rep.warnings, "");
	assert_int_equal(rep.tp, 90);
	assert_int_equal(rep.fp, 90);
	assert_int_equal(rep.fn, 10);
	assert_int_equal(rep.tn, 810);
	sift_metrics_report_free(&rep);
	sift_metrics_free(a);
	sift_metrics_free(b);
}

/* MCC, y = [1,1,1,-1], predicted [1,-1,1,1]: -0.3333 (scikit-learn's
 * documented example); here class 1 is id 1 and -1 is id 0. */
static void test_mcc_reference(void **state)
{
	const uint32_t gold[] = { 1, 1, 1, 0 }, pred[] = { 1, 0, 1, 1 };
	struct sift_metrics *m = pairs(gold, pred, 4);
	struct sift_metrics_report rep;

	(void)state;
	compute(m, 2, 1, &rep);
	NEAR(rep.value[SIFT_FIG_MCC], -1.0 / 3, 1e-12);
	sift_metrics_report_free(&rep);
	sift_metrics_free(m);
}

/* Balanced accuracy, y = [0,1,0,0,1,0], predicted [0,1,0,0,0,1]: 0.625. */
static void test_balanced_accuracy_reference(void **state)
{
	const uint32_t gold[] = { 0, 1, 0, 0, 1, 0 },
		       pred[] = { 0, 1, 0, 0, 0, 1 };
	struct sift_metrics *m = pairs(gold, pred, 6);
	struct sift_metrics_report rep;

	(void)state;
	compute(m, 2, 1, &rep);
	NEAR(rep.value[SIFT_FIG_BALANCED_ACCURACY], 0.625, 1e-12);
	/* recalls 0.75 and 0.5: G-mean sqrt(0.375) */
	NEAR(rep.value[SIFT_FIG_GMEAN], sqrt(0.375), 1e-12);
	sift_metrics_report_free(&rep);
	sift_metrics_free(m);
}

/* Cohen's kappa: [[0,4,1],[0,8,0],[0,1,5]] gives 0.4842; Wikipedia's
 * two readers (20, 5, 10, 15) give 0.4. */
static void test_kappa_reference(void **state)
{
	const int table[3][3] = { { 0, 4, 1 }, { 0, 8, 0 }, { 0, 1, 5 } };
	struct sift_metrics *m = sift_metrics_new(0), *w = sift_metrics_new(0);
	struct sift_metrics_report rep;

	(void)state;
	for (uint32_t g = 0; g < 3; g++)
		for (uint32_t p = 0; p < 3; p++)
			add_n(m, g, p, table[g][p]);
	compute(m, 3, -1, &rep);
	NEAR(rep.value[SIFT_FIG_KAPPA], 0.4842, 5e-5);
	sift_metrics_report_free(&rep);
	add_n(w, 0, 0, 20);
	add_n(w, 0, 1, 5);
	add_n(w, 1, 0, 10);
	add_n(w, 1, 1, 15);
	compute(w, 2, -1, &rep);
	NEAR(rep.value[SIFT_FIG_KAPPA], 0.4, 1e-12);
	sift_metrics_report_free(&rep);
	sift_metrics_free(m);
	sift_metrics_free(w);
}

/* Macro, micro and weighted averages, worked by hand on
 * y = [0,1,2,0,1,2], pred = [0,2,1,0,0,1] (scikit-learn's
 * precision_recall_fscore_support example): macro P 0.2222, R 0.3333,
 * F 0.2667; micro 0.3333; weighted equal to macro here. */
static void test_averages(void **state)
{
	const uint32_t gold[] = { 0, 1, 2, 0, 1, 2 },
		       pred[] = { 0, 2, 1, 0, 0, 1 };
	struct sift_metrics *m = pairs(gold, pred, 6);
	struct sift_metrics_report rep;

	(void)state;
	compute(m, 3, -1, &rep);
	NEAR(rep.value[SIFT_FIG_MACRO_PRECISION], 2.0 / 9, 1e-12);
	NEAR(rep.value[SIFT_FIG_MACRO_RECALL], 1.0 / 3, 1e-12);
	NEAR(rep.value[SIFT_FIG_MACRO_F], 0.8 / 3, 1e-12);
	NEAR(rep.value[SIFT_FIG_MICRO_PRECISION], 1.0 / 3, 1e-12);
	NEAR(rep.value[SIFT_FIG_MICRO_RECALL], 1.0 / 3, 1e-12);
	NEAR(rep.value[SIFT_FIG_MICRO_F], 1.0 / 3, 1e-12);
	NEAR(rep.value[SIFT_FIG_WEIGHTED_F], 0.8 / 3, 1e-12);
	NEAR(rep.classes[0].precision, 2.0 / 3, 1e-12);
	NEAR(rep.classes[0].recall, 1.0, 1e-12);
	sift_metrics_report_free(&rep);
	sift_metrics_free(m);
}

static struct sift_metrics *scored(const uint32_t *gold, const double *s,
				   size_t n)
{
	struct sift_metrics *m = sift_metrics_new(0);
	struct sift_error err;

	for (size_t i = 0; i < n; i++)
		assert_int_equal(sift_metrics_add_score(m, gold[i], s[i] >= 0.5,
							1.0, s[i], &err),
				 0);
	return m;
}

/* AP on y = [0,0,1,1], s = [.1,.4,.35,.8]: 0.8333 (step-wise, not the
 * trapezoid's 0.7917); ROC-AUC 0.75 (scikit-learn's examples). */
static void test_ap_auc_reference(void **state)
{
	const uint32_t gold[] = { 0, 0, 1, 1 };
	const double s[] = { 0.1, 0.4, 0.35, 0.8 };
	struct sift_metrics *m = scored(gold, s, 4);
	struct sift_metrics_report rep;

	(void)state;
	compute(m, 2, 1, &rep);
	NEAR(rep.value[SIFT_FIG_AP], 0.8333333333, 1e-9);
	NEAR(rep.value[SIFT_FIG_ROC_AUC], 0.75, 1e-12);
	/* thresholds .8: F 2/3; .4: P .5 R .5 F .5; .35: P 2/3 R 1 F .8 */
	NEAR(rep.value[SIFT_FIG_BEST_THRESHOLD], 0.35, 1e-15);
	NEAR(rep.value[SIFT_FIG_BEST_F], 0.8, 1e-12);
	/* log loss: -(log .9 + log .6 + log .35 + log .8)/4 */
	NEAR(rep.value[SIFT_FIG_LOG_LOSS],
	     -(log(0.9) + log(0.6) + log(0.35) + log(0.8)) / 4, 1e-12);
	/* Brier: (.01 + .16 + .4225 + .04)/4 */
	NEAR(rep.value[SIFT_FIG_BRIER], 0.6325 / 4, 1e-12);
	sift_metrics_report_free(&rep);
	sift_metrics_free(m);
}

/* Ties move together: y = [0,1,0,1], all scores 0.5 gives ROC-AUC 0.5
 * (one diagonal step) and AP 0.5 (one point, precision 0.5); a mixed
 * case, y = [1,0,1,0], s = [.9,.5,.5,.1]: AUC (1 + .5 + .5 + 1)/4. */
static void test_ties(void **state)
{
	const uint32_t g1[] = { 0, 1, 0, 1 }, g2[] = { 1, 0, 1, 0 };
	const double s1[] = { 0.5, 0.5, 0.5, 0.5 },
		     s2[] = { 0.9, 0.5, 0.5, 0.1 };
	struct sift_metrics *m = scored(g1, s1, 4);
	struct sift_metrics_report rep;

	(void)state;
	compute(m, 2, 1, &rep);
	NEAR(rep.value[SIFT_FIG_ROC_AUC], 0.5, 1e-12);
	NEAR(rep.value[SIFT_FIG_AP], 0.5, 1e-12);
	sift_metrics_report_free(&rep);
	sift_metrics_free(m);
	m = scored(g2, s2, 4);
	compute(m, 2, 1, &rep);
	NEAR(rep.value[SIFT_FIG_ROC_AUC], 0.875, 1e-12);
	/* thresholds .9: P 1 R .5; .5: P 2/3 R 1 -> AP .5 + .5 * 2/3 */
	NEAR(rep.value[SIFT_FIG_AP], 0.5 + 1.0 / 3, 1e-12);
	sift_metrics_report_free(&rep);
	sift_metrics_free(m);
}

/* All correct: every figure 1 (kappa, MCC too), log loss of perfect
 * scores ~0; all wrong: accuracy 0, MCC -1. */
static void test_all_correct_all_wrong(void **state)
{
	const uint32_t gold[] = { 0, 1, 0, 1 }, right[] = { 0, 1, 0, 1 },
		       wrong[] = { 1, 0, 1, 0 };
	struct sift_metrics *m = pairs(gold, right, 4);
	struct sift_metrics_report rep;

	(void)state;
	compute(m, 2, 1, &rep);
	for (int f = SIFT_FIG_ACCURACY; f <= SIFT_FIG_GMEAN; f++)
		NEAR(rep.value[f], 1.0, 1e-12);
	assert_string_equal(rep.warnings, "");
	sift_metrics_report_free(&rep);
	sift_metrics_free(m);
	m = pairs(gold, wrong, 4);
	compute(m, 2, 1, &rep);
	NEAR(rep.value[SIFT_FIG_ACCURACY], 0, 1e-12);
	NEAR(rep.value[SIFT_FIG_MCC], -1, 1e-12);
	NEAR(rep.value[SIFT_FIG_KAPPA], -1, 1e-12);
	NEAR(rep.value[SIFT_FIG_F], 0, 1e-12);
	NEAR(rep.value[SIFT_FIG_GMEAN], 0, 1e-12);
	sift_metrics_report_free(&rep);
	sift_metrics_free(m);
}

/* One gold class: ROC-AUC undefined, kappa undefined when predictions
 * agree, and a warning in words. */
static void test_single_class(void **state)
{
	const uint32_t gold[] = { 0, 0, 0 };
	const double s[] = { 0.1, 0.2, 0.3 };
	struct sift_metrics *m = scored(gold, s, 3);
	struct sift_metrics_report rep;

	(void)state;
	compute(m, 1, -1, &rep);
	assert_int_equal(rep.positive, 0);
	assert_true(isnan(rep.value[SIFT_FIG_ROC_AUC]));
	assert_true(isnan(rep.value[SIFT_FIG_KAPPA]));
	NEAR(rep.value[SIFT_FIG_MCC], 0, 0);
	NEAR(rep.value[SIFT_FIG_ACCURACY], 1, 0);
	assert_non_null(strstr(rep.warnings, "gold holds one class only"));
	assert_non_null(strstr(rep.notes, "ROC-AUC is undefined"));
	sift_metrics_report_free(&rep);
	sift_metrics_free(m);
}

/* Nothing predicted positive: precision 0 with a note; the model that
 * predicts only 'ok' is named. */
static void test_nothing_predicted(void **state)
{
	struct sift_metrics *m = sift_metrics_new(0);
	struct sift_metrics_report rep;

	(void)state;
	add_n(m, 0, 0, 99);
	add_n(m, 1, 0, 1);
	compute(m, 2, -1, &rep);
	NEAR(rep.value[SIFT_FIG_ACCURACY], 0.99, 1e-12);
	NEAR(rep.value[SIFT_FIG_PRECISION], 0, 0);
	NEAR(rep.value[SIFT_FIG_RECALL], 0, 0);
	assert_non_null(strstr(rep.warnings, "the model predicts only '0'"));
	assert_non_null(strstr(rep.warnings, "class '1' is never predicted"));
	assert_non_null(strstr(rep.notes, "nothing is predicted '1': its "
					  "precision is undefined, reported "
					  "as 0"));
	sift_metrics_report_free(&rep);
	sift_metrics_free(m);
}

/* A predicted class absent from gold: counted, reported, warned. */
static void test_pred_not_in_gold(void **state)
{
	const uint32_t gold[] = { 0, 1, 0, 1 }, pred[] = { 0, 1, 2, 1 };
	struct sift_metrics *m = pairs(gold, pred, 4);
	struct sift_metrics_report rep;

	(void)state;
	compute(m, 3, 1, &rep);
	NEAR(rep.value[SIFT_FIG_ACCURACY], 0.75, 1e-12);
	NEAR(rep.confusion[0 * 3 + 2], 1, 0);
	assert_non_null(strstr(rep.warnings,
			       "class '2' is predicted (1 records) "
			       "but never occurs in gold"));
	sift_metrics_report_free(&rep);
	sift_metrics_free(m);
}

/* Weights: a record of weight 3 counts as three records. */
static void test_weights(void **state)
{
	struct sift_metrics *a = sift_metrics_new(0), *b = sift_metrics_new(0);
	struct sift_metrics_report ra, rb;
	struct sift_error err;

	(void)state;
	assert_int_equal(sift_metrics_add_score(a, 1, 1, 3.0, 0.9, &err), 0);
	assert_int_equal(sift_metrics_add_score(a, 0, 1, 1.0, 0.6, &err), 0);
	assert_int_equal(sift_metrics_add_score(a, 0, 0, 2.0, 0.2, &err), 0);
	assert_int_equal(sift_metrics_add_score(a, 1, 0, 1.0, 0.3, &err), 0);
	for (int i = 0; i < 3; i++)
		sift_metrics_add_score(b, 1, 1, 1.0, 0.9, &err);
	sift_metrics_add_score(b, 0, 1, 1.0, 0.6, &err);
	for (int i = 0; i < 2; i++)
		sift_metrics_add_score(b, 0, 0, 1.0, 0.2, &err);
	sift_metrics_add_score(b, 1, 0, 1.0, 0.3, &err);
	compute(a, 2, 1, &ra);
	compute(b, 2, 1, &rb);
	for (int f = 0; f < SIFT_FIG_COUNT; f++)
		if (!isnan(rb.value[f]))
			NEAR(ra.value[f], rb.value[f], 1e-12);
	NEAR(ra.total_weight, 7, 0);
	sift_metrics_report_free(&ra);
	sift_metrics_report_free(&rb);
	sift_metrics_free(a);
	sift_metrics_free(b);
}

static void test_bad_records(void **state)
{
	struct sift_metrics *m = sift_metrics_new(0);
	struct sift_metrics_report rep;
	struct sift_metrics_opts o;
	struct sift_error err;

	(void)state;
	assert_int_equal(sift_metrics_add(m, 0, 0, -1, NULL, &err), SIFT_EDATA);
	assert_int_equal(sift_metrics_add(m, 0, 0, NAN, NULL, &err),
			 SIFT_EDATA);
	assert_int_equal(sift_metrics_add_score(m, 0, 0, 1, 1.5, &err),
			 SIFT_EDATA);
	assert_int_equal(sift_metrics_add_score(m, 0, 0, 1, NAN, &err),
			 SIFT_EDATA);
	sift_metrics_opts_init(&o);
	o.n_classes = 1;
	o.names = names01;
	assert_int_equal(sift_metrics_compute(m, &o, &rep, &err), SIFT_EDATA);
	assert_string_equal(err.msg, "no records");
	sift_metrics_report_free(&rep);
	assert_int_equal(sift_metrics_add(m, 0, 0, 1, NULL, &err), 0);
	assert_int_equal(sift_metrics_add_score(m, 0, 0, 1, 0.5, &err),
			 SIFT_EDATA);
	assert_int_equal(sift_metrics_count(m), 1);
	sift_metrics_free(m);
}

/* Records whose weights are all 0 define no figure: an error, and
 * sift_metrics_total_weight says why. */
static void test_zero_total_weight(void **state)
{
	struct sift_metrics *m = sift_metrics_new(0);
	struct sift_metrics_report rep;
	struct sift_metrics_opts o;
	struct sift_error err;

	(void)state;
	assert_int_equal(sift_metrics_add(m, 0, 0, 0, NULL, &err), 0);
	assert_int_equal(sift_metrics_add(m, 1, 0, 0, NULL, &err), 0);
	assert_true(sift_metrics_total_weight(m) == 0);
	sift_metrics_opts_init(&o);
	o.n_classes = 2;
	o.names = names01;
	assert_int_equal(sift_metrics_compute(m, &o, &rep, &err), SIFT_EDATA);
	assert_string_equal(err.msg, "the weights of the 2 records are all 0: "
				     "no figure can be computed");
	sift_metrics_report_free(&rep);
	assert_int_equal(sift_metrics_add(m, 1, 1, 0.5, NULL, &err), 0);
	assert_true(sift_metrics_total_weight(m) == 0.5);
	assert_int_equal(sift_metrics_compute(m, &o, &rep, &err), 0);
	sift_metrics_report_free(&rep);
	sift_metrics_free(m);
	m = sift_metrics_new(0);
	add_n(m, 0, 1, 3);
	assert_true(sift_metrics_total_weight(m) == 3);
	sift_metrics_free(m);
}

/* Probabilities per class: argmax-free records, multiclass log loss and
 * Brier worked by hand. */
static void test_proba(void **state)
{
	const double rows[3][3] = { { 0.7, 0.2, 0.1 },
				    { 0.1, 0.8, 0.1 },
				    { 0.3, 0.3, 0.4 } };
	const uint32_t gold[] = { 0, 1, 0 };
	struct sift_metrics *m = sift_metrics_new(3);
	struct sift_metrics_report rep;
	struct sift_error err;

	(void)state;
	for (int i = 0; i < 3; i++)
		assert_int_equal(sift_metrics_add(m, gold[i], (uint32_t)i, 1.0,
						  rows[i], &err),
				 0);
	compute(m, 3, 0, &rep);
	NEAR(rep.value[SIFT_FIG_LOG_LOSS],
	     -(log(0.7) + log(0.8) + log(0.3)) / 3, 1e-12);
	NEAR(rep.value[SIFT_FIG_BRIER],
	     ((0.09 + 0.04 + 0.01) + (0.01 + 0.04 + 0.01) +
	      (0.49 + 0.09 + 0.16)) /
		     3,
	     1e-12);
	/* positive 0 vs rest, scores .7 .1 .3, gold 1 0 1: AUC 1 */
	NEAR(rep.value[SIFT_FIG_ROC_AUC], 1.0, 1e-12);
	sift_metrics_report_free(&rep);
	sift_metrics_free(m);
}

/* Costs: FN=10, FP=1 on the bank model A: (90*10 + 10*1)/1000 = 0.91;
 * the sweep's minimum is found among the thresholds. */
static void test_cost(void **state)
{
	const uint32_t gold[] = { 0, 0, 1, 1 };
	const double s[] = { 0.1, 0.4, 0.35, 0.8 };
	struct sift_metrics *m = scored(gold, s, 4);
	struct sift_metrics_report rep;
	struct sift_metrics_opts o;
	struct sift_error err;

	(void)state;
	sift_metrics_opts_init(&o);
	o.n_classes = 2;
	o.names = names01;
	o.have_positive = 1;
	o.positive = 1;
	o.binary_cost = 1;
	o.cost_fn = 10;
	o.cost_fp = 1;
	assert_int_equal(sift_metrics_compute(m, &o, &rep, &err), 0);
	/* at 0.5: predictions 0 0 0 1: one FN: cost 10/4 */
	NEAR(rep.value[SIFT_FIG_COST], 2.5, 1e-12);
	/* at .35: TP 2, FP 1: cost 1/4 */
	NEAR(rep.value[SIFT_FIG_COST_THRESHOLD], 0.35, 0);
	NEAR(rep.value[SIFT_FIG_MIN_COST], 0.25, 1e-12);
	sift_metrics_report_free(&rep);
	sift_metrics_free(m);
}

/* The bootstrap: the same seed gives the same interval, the interval
 * holds the estimate, and a figure constant in every resample has a
 * point interval. */
static void test_bootstrap(void **state)
{
	struct sift_metrics *m = sift_metrics_new(0);
	struct sift_metrics_report r1, r2;
	struct sift_metrics_opts o;
	struct sift_error err;

	(void)state;
	for (int i = 0; i < 400; i++)
		sift_metrics_add_score(m, i % 4 == 0, i % 3 == 0, 1.0,
				       (i % 4 == 0) ? 0.3 + (i % 7) / 10.0
						    : (i % 10) / 10.0,
				       &err);
	sift_metrics_opts_init(&o);
	o.n_classes = 2;
	o.names = names01;
	o.ci = 0.95;
	o.n_boot = 200;
	o.seed = 7;
	assert_int_equal(sift_metrics_compute(m, &o, &r1, &err), 0);
	assert_int_equal(sift_metrics_compute(m, &o, &r2, &err), 0);
	for (int f = 0; f < SIFT_FIG_COUNT; f++) {
		if (!r1.shown[f] || isnan(r1.value[f]))
			continue;
		assert_true(r1.lo[f] == r2.lo[f] && r1.hi[f] == r2.hi[f]);
		assert_true(r1.lo[f] <= r1.hi[f]);
	}
	assert_true(r1.lo[SIFT_FIG_ROC_AUC] < r1.value[SIFT_FIG_ROC_AUC]);
	assert_true(r1.hi[SIFT_FIG_ROC_AUC] > r1.value[SIFT_FIG_ROC_AUC]);
	/* sd of an accuracy near p on 400 records: sqrt(p(1-p)/400) */
	double p = r1.value[SIFT_FIG_ACCURACY], sd = sqrt(p * (1 - p) / 400);
	double width = r1.hi[SIFT_FIG_ACCURACY] - r1.lo[SIFT_FIG_ACCURACY];

	assert_true(width > 2 * 1.96 * sd * 0.7 && width < 2 * 1.96 * sd * 1.3);
	sift_metrics_report_free(&r1);
	sift_metrics_report_free(&r2);
	sift_metrics_free(m);
}

static void test_bootstrap_primitives(void **state)
{
	double v[] = { 5, NAN, 1, 3, 2, 4 };
	uint32_t counts[1000];
	struct sift_rng rng;
	double lo, hi;
	uint64_t sum = 0;

	(void)state;
	sift_bootstrap_interval(v, 6, 0.5, &lo, &hi);
	NEAR(lo, 2, 1e-12); /* numpy.percentile([1..5], 25) */
	NEAR(hi, 4, 1e-12);
	sift_rng_seed(&rng, 1);
	sift_bootstrap_counts(&rng, 1000, counts);
	for (int i = 0; i < 1000; i++)
		sum += counts[i];
	assert_int_equal(sum, 1000);
}

/* The radix sort orders from the highest score down, stably. */
static void test_order(void **state)
{
	const double s[] = { 0.5, 0.0, 1.0, 0.5, 1e-300, 0.25, -0.0 };
	uint32_t order[7];
	struct sift_error err;
	const uint32_t want[] = { 2, 0, 3, 5, 4, 1, 6 };

	(void)state;
	assert_int_equal(sift_curves_order(s, 7, order, &err), 0);
	for (int i = 0; i < 7; i++)
		assert_int_equal(order[i], want[i]);
}

static void test_curve_points(void **state)
{
	const uint32_t gold[] = { 0, 0, 1, 1 };
	const double s[] = { 0.1, 0.4, 0.35, 0.8 };
	struct sift_metrics *m = scored(gold, s, 4);
	struct sift_metrics_report rep;
	struct sift_curve c;
	struct sift_error err;

	(void)state;
	compute(m, 2, 1, &rep);
	assert_int_equal(sift_metrics_curve(m, &rep, SIFT_CURVE_ROC, &c, &err),
			 0);
	/* sklearn roc_curve (drop_intermediate=False): thresholds inf .8
	 * .4 .35 .1; fpr 0 0 .5 .5 1; tpr 0 .5 .5 1 1 */
	assert_int_equal(c.n, 5);
	assert_true(isinf(c.threshold[0]));
	NEAR(c.x[2], 0.5, 0);
	NEAR(c.y[3], 1, 0);
	sift_curve_free(&c);
	assert_int_equal(sift_metrics_curve(m, &rep, SIFT_CURVE_PR, &c, &err),
			 0);
	/* .8: R .5 P 1; .4: R .5 P .5; .35: R 1 P 2/3; stops there */
	assert_int_equal(c.n, 3);
	NEAR(c.y[2], 2.0 / 3, 1e-12);
	sift_curve_free(&c);
	sift_metrics_report_free(&rep);
	sift_metrics_free(m);
}

/* The csv and json formats keep their field names. */
static void test_formats(void **state)
{
	struct sift_metrics *m = sift_metrics_new(0);
	struct sift_metrics_report rep;
	struct sift_error err;
	char *path = tmpfile_str(""), buf[16384];

	(void)state;
	add_n(m, 0, 0, 3);
	add_n(m, 1, 0, 1);
	compute(m, 2, -1, &rep);
	for (int fmt = 0; fmt < 3; fmt++) {
		struct sift_writer *w = sift_writer_open(path, &err);
		FILE *f;
		size_t n;

		assert_non_null(w);
		assert_int_equal(sift_metrics_write_begin(w, fmt, &err), 0);
		assert_int_equal(
			sift_metrics_write(w, fmt, &rep, NULL, 1, &err), 0);
		assert_int_equal(sift_metrics_write_end(w, fmt, &err), 0);
		assert_int_equal(sift_writer_close(w, &err), 0);
		f = fopen(path, "r");
		n = fread(buf, 1, sizeof buf - 1, f);
		buf[n] = '\0';
		fclose(f);
		if (fmt == SIFT_METRICS_CSV) {
			assert_non_null(strstr(buf, "slice,metric,class,"
						    "predicted,value,ci_low,"
						    "ci_high\n"));
			assert_non_null(strstr(buf, ",accuracy,,,0.75,,\n"));
			assert_non_null(strstr(buf, ",confusion,1,0,1,,\n"));
		} else if (fmt == SIFT_METRICS_JSON) {
			assert_non_null(strstr(buf, "\"accuracy\": 0.75"));
			assert_non_null(strstr(buf, "\"confusion\": [[3, 0], "
						    "[1, 0]]"));
		} else {
			assert_non_null(strstr(buf, "accuracy"));
			assert_non_null(strstr(buf, "0.7500"));
		}
	}
	unlink(path);
	free(path);
	sift_metrics_report_free(&rep);
	sift_metrics_free(m);
}

/* sift_metrics_read on text: 0 and in, or the error code. */
static int read_text(const char *text, const struct sift_metrics_columns *c,
		     struct sift_metrics_input *in, struct sift_error *err)
{
	char *path = tmpfile_str(text);
	struct sift_reader *r = sift_reader_open(path, NULL, 0, err);
	int rc;

	assert_non_null(r);
	rc = sift_metrics_read(r, c, in, err);
	sift_reader_close(r);
	remove(path);
	free(path);
	return rc;
}

/* The reader's classes, slices and weights; a CRLF file with a quoted
 * field. */
static void test_read_slices(void **state)
{
	const struct sift_metrics_columns c = {
		.gold = "gold", .pred = "pred", .weight = "w", .by = "src"
	};
	struct sift_metrics_input in;
	struct sift_error err;

	(void)state;
	assert_int_equal(read_text("gold,pred,w,src\r\n"
				   "spam,ham,2,\"web, mobile\"\r\n"
				   "ham,ham,1,mail\r\n"
				   "spam,spam,0.5,mail\r\n",
				   &c, &in, &err),
			 0);
	assert_int_equal(sift_intern_count(in.classes), 2);
	/* ids in bytewise order, not the order met */
	assert_string_equal(sift_intern_str(in.classes, 0, NULL), "ham");
	assert_string_equal(sift_intern_str(in.classes, 1, NULL), "spam");
	assert_int_equal(sift_metrics_count(in.all), 3);
	assert_true(fabs(sift_metrics_total_weight(in.all) - 3.5) < 1e-12);
	assert_int_equal(in.n_slices, 2);
	assert_string_equal(sift_intern_str(in.slices, 0, NULL), "web, mobile");
	assert_int_equal(sift_metrics_count(in.slice[1]), 2);
	assert_true(fabs(sift_metrics_total_weight(in.slice[1]) - 1.5) < 1e-12);
	sift_metrics_input_free(&in);
}

/* The class ids do not depend on the order the classes are met in:
 * bytewise, after the probability columns' classes in their columns'
 * order; the confusion matrix follows them. */
static void test_read_class_order(void **state)
{
	const struct sift_metrics_columns plain = { .gold = "g", .pred = "p" },
					  proba = { .gold = "g",
						    .proba_prefix = "p_" };
	struct sift_metrics_opts o;
	struct sift_metrics_report rep;
	struct sift_metrics_input in;
	struct sift_error err;
	const char *names[3];

	(void)state;
	assert_int_equal(
		read_text("g,p\nzeta,zeta\nab,zeta\na,ab\n", &plain, &in, &err),
		0);
	assert_int_equal(sift_intern_count(in.classes), 3);
	assert_string_equal(sift_intern_str(in.classes, 0, NULL), "a");
	assert_string_equal(sift_intern_str(in.classes, 1, NULL), "ab");
	assert_string_equal(sift_intern_str(in.classes, 2, NULL), "zeta");
	for (size_t k = 0; k < 3; k++)
		names[k] = sift_intern_str(in.classes, k, NULL);
	sift_metrics_opts_init(&o);
	o.n_classes = 3;
	o.names = names;
	assert_int_equal(sift_metrics_compute(in.all, &o, &rep, &err), 0);
	/* gold a predicted ab; gold ab predicted zeta; zeta, zeta */
	assert_true(rep.confusion[0 * 3 + 1] == 1);
	assert_true(rep.confusion[1 * 3 + 2] == 1);
	assert_true(rep.confusion[2 * 3 + 2] == 1);
	sift_metrics_report_free(&rep);
	sift_metrics_input_free(&in);
	/* the columns' classes first, as the columns come; then the rest */
	assert_int_equal(read_text("g,p_z,p_b\nc,0.5,0.5\na,0.1,0.9\n"
				   "z,0.8,0.2\n",
				   &proba, &in, &err),
			 0);
	assert_int_equal(sift_intern_count(in.classes), 4);
	assert_string_equal(sift_intern_str(in.classes, 0, NULL), "z");
	assert_string_equal(sift_intern_str(in.classes, 1, NULL), "b");
	assert_string_equal(sift_intern_str(in.classes, 2, NULL), "a");
	assert_string_equal(sift_intern_str(in.classes, 3, NULL), "c");
	sift_metrics_input_free(&in);
}

/* sift_metrics_relabel refuses a map that is not a permutation, or that
 * moves a probability column's class. */
static void test_relabel_checks(void **state)
{
	const double pr[2] = { 0.25, 0.75 };
	const uint32_t swap[2] = { 1, 0 }, twice[2] = { 1, 1 },
		       id[3] = { 0, 1, 2 };
	struct sift_metrics *m = sift_metrics_new(0), *q = sift_metrics_new(2);
	struct sift_error err;

	(void)state;
	assert_int_equal(sift_metrics_add(m, 0, 1, 1, NULL, &err), 0);
	assert_int_equal(sift_metrics_relabel(m, twice, 2, &err), SIFT_EUSAGE);
	assert_int_equal(sift_metrics_relabel(m, swap, 1, &err), SIFT_EUSAGE);
	assert_int_equal(sift_metrics_relabel(m, swap, 2, &err), 0);
	assert_int_equal(sift_metrics_classes_seen(m), 2);
	assert_int_equal(sift_metrics_add(q, 2, 0, 1, pr, &err), 0);
	assert_int_equal(sift_metrics_relabel(q, id, 3, &err), 0);
	assert_int_equal(
		sift_metrics_relabel(q, (const uint32_t[]){ 1, 0, 2 }, 3, &err),
		SIFT_EUSAGE);
	assert_non_null(strstr(err.msg, "probability column"));
	sift_metrics_free(m);
	sift_metrics_free(q);
}

/* Without pred, the class of highest probability; the probability
 * columns name the classes first. */
static void test_read_proba(void **state)
{
	const struct sift_metrics_columns c = { .gold = "y",
						.proba_prefix = "p_" };
	struct sift_metrics_input in;
	struct sift_metrics_opts o;
	struct sift_metrics_report rep;
	const char *names[2];
	struct sift_error err;

	(void)state;
	assert_int_equal(read_text("y,p_a,p_b\na,0.9,0.1\nb,0.2,0.8\n"
				   "b,0.6,0.4\n",
				   &c, &in, &err),
			 0);
	assert_int_equal(in.n_proba, 2);
	assert_string_equal(sift_intern_str(in.classes, 1, NULL), "b");
	names[0] = "a";
	names[1] = "b";
	sift_metrics_opts_init(&o);
	o.n_classes = 2;
	o.names = names;
	assert_int_equal(sift_metrics_compute(in.all, &o, &rep, &err), 0);
	/* 2 of 3 right: the third's argmax is a */
	assert_true(fabs(rep.value[SIFT_FIG_ACCURACY] - 2.0 / 3) < 1e-12);
	sift_metrics_report_free(&rep);
	sift_metrics_input_free(&in);
}

static void test_read_errors(void **state)
{
	const struct sift_metrics_columns c = {
		.gold = "g", .pred = "p", .score = "s", .weight = "w"
	};
	const struct sift_metrics_columns nop = { .gold = "g",
						  .proba_prefix = "q_" };
	struct sift_metrics_input in;
	struct sift_error err;

	(void)state;
	assert_int_equal(read_text("g,p,s,w\n1,1,1.5,1\n", &c, &in, &err),
			 SIFT_EDATA);
	assert_non_null(strstr(err.msg, ":2: column 's' (3): score '1.5' is "
					"outside [0, 1]"));
	sift_metrics_input_free(&in);
	assert_int_equal(read_text("g,p,s,w\n1,1,0.5,-1\n", &c, &in, &err),
			 SIFT_EDATA);
	assert_non_null(strstr(err.msg, "is negative"));
	sift_metrics_input_free(&in);
	assert_int_equal(
		read_text("g,p,s,w\n1,1,0.5,0\n0,0,0.1,0\n", &c, &in, &err),
		SIFT_EDATA);
	assert_non_null(strstr(err.msg, "are all 0"));
	sift_metrics_input_free(&in);
	assert_int_equal(read_text("g,p,s,w\n", &c, &in, &err), SIFT_EDATA);
	assert_non_null(strstr(err.msg, "no records"));
	sift_metrics_input_free(&in);
	assert_int_equal(read_text("g,p_a\nx,1\n", &nop, &in, &err),
			 SIFT_EDATA);
	assert_non_null(strstr(err.msg, "no column starts with 'q_'"));
	sift_metrics_input_free(&in);
}

/* Records for test_any_order: 3 classes, weights with many digits,
 * probabilities of 2 digits (so the positive class's ties) whose other
 * columns differ among the ties. mode 0: plain, 1: a score, 2: rows. */
struct rec {
	uint32_t gold, pred;
	double w, p[3];
};

static struct sift_metrics *
add_in_order(const struct rec *r, const size_t *order, size_t n, int mode)
{
	struct sift_metrics *m = sift_metrics_new(mode == 2 ? 3 : 0);
	struct sift_error err;

	assert_non_null(m);
	for (size_t t = 0; t < n; t++) {
		const struct rec *x = &r[order[t]];
		int rc = mode == 1 ? sift_metrics_add_score(m, x->gold % 2,
							    x->pred % 2, x->w,
							    x->p[1], &err)
				   : sift_metrics_add(m, x->gold, x->pred, x->w,
						      mode == 2 ? x->p : NULL,
						      &err);

		assert_int_equal(rc, 0);
	}
	return m;
}

static void report_of(struct sift_metrics *m, int mode,
		      struct sift_metrics_report *rep)
{
	struct sift_metrics_opts o;
	struct sift_error err;

	sift_metrics_opts_init(&o);
	o.n_classes = mode == 1 ? 2 : 3;
	o.names = names01;
	o.have_positive = 1;
	o.positive = 1; /* the column of 2 digits: ties */
	o.ci = 0.9;
	o.n_boot = 50;
	o.seed = 3;
	assert_int_equal(sift_metrics_compute(m, &o, rep, &err), 0);
}

/* The same records in another order give the same report, bit for bit,
 * intervals included: what merging the shards of an input relies on. */
static void test_any_order(void **state)
{
	enum { N = 3000 };
	static struct rec r[N];
	static size_t fwd[N], shuf[N];
	struct sift_rng rng;

	(void)state;
	sift_rng_seed(&rng, 11);
	for (size_t i = 0; i < N; i++) {
		double a = floor(sift_rng_uniform(&rng) * 100) / 100;
		double b = sift_rng_uniform(&rng) * (1 - a);

		r[i].gold = (uint32_t)(sift_rng_next(&rng) % 3);
		r[i].pred = (uint32_t)(sift_rng_next(&rng) % 3);
		r[i].w = i % 5 ? 0.1 + sift_rng_uniform(&rng) : 1.0 / 3;
		r[i].p[1] = a;
		r[i].p[0] = b;
		r[i].p[2] = 1 - a - b;
		fwd[i] = shuf[i] = i;
	}
	sift_rng_shuffle(&rng, shuf, N, sizeof *shuf);
	for (int mode = 0; mode < 3; mode++) {
		struct sift_metrics *ma = add_in_order(r, fwd, N, mode);
		struct sift_metrics *mb = add_in_order(r, shuf, N, mode);
		struct sift_metrics_report ra, rb;

		report_of(ma, mode, &ra);
		report_of(mb, mode, &rb);
		assert_memory_equal(ra.value, rb.value, sizeof ra.value);
		assert_memory_equal(ra.lo, rb.lo, sizeof ra.lo);
		assert_memory_equal(ra.hi, rb.hi, sizeof ra.hi);
		assert_memory_equal(ra.confusion, rb.confusion,
				    ra.n_classes * ra.n_classes *
					    sizeof *ra.confusion);
		assert_true(ra.total_weight == rb.total_weight);
		sift_metrics_report_free(&ra);
		sift_metrics_report_free(&rb);
		sift_metrics_free(ma);
		sift_metrics_free(mb);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bank_models),
		cmocka_unit_test(test_read_slices),
		cmocka_unit_test(test_read_proba),
		cmocka_unit_test(test_read_errors),
		cmocka_unit_test(test_mcc_reference),
		cmocka_unit_test(test_balanced_accuracy_reference),
		cmocka_unit_test(test_kappa_reference),
		cmocka_unit_test(test_averages),
		cmocka_unit_test(test_ap_auc_reference),
		cmocka_unit_test(test_ties),
		cmocka_unit_test(test_all_correct_all_wrong),
		cmocka_unit_test(test_single_class),
		cmocka_unit_test(test_nothing_predicted),
		cmocka_unit_test(test_pred_not_in_gold),
		cmocka_unit_test(test_weights),
		cmocka_unit_test(test_bad_records),
		cmocka_unit_test(test_zero_total_weight),
		cmocka_unit_test(test_proba),
		cmocka_unit_test(test_cost),
		cmocka_unit_test(test_bootstrap),
		cmocka_unit_test(test_bootstrap_primitives),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_curve_points),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_any_order),
		cmocka_unit_test(test_read_class_order),
		cmocka_unit_test(test_relabel_checks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
