/* Unit tests of lib/train_cv.c: stratified folds hold scikit-learn's
 * class counts, grouped folds never split a group, the same seed gives
 * the same folds, the bad inputs are refused, and the means and sds of
 * a run are those of its folds' reports. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sift/train_cv.h"
#include "testutil.h"

/* 17 records of class 0, 5 of class 1, 9 of class 2, and 3 unlabeled. */
static size_t labels(int32_t *y)
{
	size_t n = 0;

	for (int i = 0; i < 17; i++)
		y[n++] = 0;
	for (int i = 0; i < 5; i++)
		y[n++] = 1;
	for (int i = 0; i < 9; i++)
		y[n++] = 2;
	for (int i = 0; i < 3; i++)
		y[n++] = -1;
	return n;
}

/* The class counts per fold of scikit-learn 1.2.1's StratifiedKFold on
 * the labels above, computed by
 *   y = np.array([0]*17 + [1]*5 + [2]*9)
 *   skf = StratifiedKFold(n_splits=k, shuffle=True, random_state=0)
 *   [np.bincount(y[test], minlength=3) for _, test in skf.split(X, y)]
 * (the counts do not depend on the shuffle; sift deals each class to
 * the folds in turn, starting where the last class left off, as
 * scikit-learn does). */
static const unsigned sklearn_counts[3][4][3] = {
	{ { 9, 2, 5 }, { 8, 3, 4 } },
	{ { 6, 2, 3 }, { 6, 1, 3 }, { 5, 2, 3 } },
	{ { 5, 1, 2 }, { 4, 2, 2 }, { 4, 1, 3 }, { 4, 1, 2 } },
};

static void stratified_counts(void **state)
{
	int32_t y[64];
	uint32_t fold[64], again[64], other[64];
	size_t n = labels(y);
	struct sift_error err;

	(void)state;
	for (unsigned k = 2; k <= 4; k++) {
		unsigned count[4][3] = { { 0 } };

		assert_int_equal(
			sift_cv_folds(y, n, 3, NULL, 0, k, 7, fold, &err), 0);
		for (size_t i = 0; i < n; i++) {
			if (y[i] < 0) {
				assert_int_equal(fold[i], SIFT_CV_NO_FOLD);
				continue;
			}
			assert_true(fold[i] < k);
			count[fold[i]][y[i]]++;
		}
		for (unsigned f = 0; f < k; f++)
			for (int c = 0; c < 3; c++)
				assert_int_equal(count[f][c],
						 sklearn_counts[k - 2][f][c]);
		/* the same seed, the same folds; another seed, others */
		assert_int_equal(
			sift_cv_folds(y, n, 3, NULL, 0, k, 7, again, &err), 0);
		assert_memory_equal(fold, again, n * sizeof *fold);
		assert_int_equal(
			sift_cv_folds(y, n, 3, NULL, 0, k, 8, other, &err), 0);
		assert_memory_not_equal(fold, other, n * sizeof *fold);
	}
}

static void grouped_never_split(void **state)
{
	enum { N = 600, G = 97 };
	int32_t *y = malloc(N * sizeof *y);
	uint32_t *g = malloc(N * sizeof *g), *fold = malloc(N * sizeof *fold);
	uint32_t gfold[G];
	unsigned in[5][2] = { { 0 } };
	struct sift_error err;

	(void)state;
	for (size_t i = 0; i < N; i++) {
		/* groups of uneven sizes; a fifth of the records positive,
		 * more often in some groups than in others */
		g[i] = (uint32_t)((i * i + 3 * i) % G);
		y[i] = (i % 5 == 0) || (g[i] % 11 == 0 && i % 2);
	}
	assert_int_equal(sift_cv_folds(y, N, 2, g, G, 5, 1, fold, &err), 0);
	for (size_t j = 0; j < G; j++)
		gfold[j] = SIFT_CV_NO_FOLD;
	for (size_t i = 0; i < N; i++) {
		assert_true(fold[i] < 5);
		if (gfold[g[i]] == SIFT_CV_NO_FOLD)
			gfold[g[i]] = fold[i];
		assert_int_equal(fold[i], gfold[g[i]]);
		in[fold[i]][y[i]]++;
	}
	/* stratified as far as the groups allow: every fold within a
	 * quarter of its share of each class */
	for (int c = 0; c < 2; c++) {
		unsigned total = 0;

		for (int f = 0; f < 5; f++)
			total += in[f][c];
		for (int f = 0; f < 5; f++)
			assert_true(fabs(in[f][c] - total / 5.0) <
				    0.25 * total / 5.0);
	}
	free(y);
	free(g);
	free(fold);
}

static void bad_folds(void **state)
{
	int32_t y[64];
	uint32_t fold[64], g[64];
	size_t n = labels(y);
	struct sift_error err;

	(void)state;
	assert_int_equal(sift_cv_folds(y, n, 3, NULL, 0, 1, 1, fold, &err),
			 SIFT_EUSAGE);
	assert_string_equal(err.msg, "cv: 1 folds: give 2 to 1000");
	assert_int_equal(sift_cv_folds(y, n, 3, NULL, 0, 32, 1, fold, &err),
			 SIFT_EDATA);
	assert_string_equal(err.msg,
			    "31 labeled records, fewer than the 32 folds");
	for (size_t i = 0; i < n; i++)
		g[i] = (uint32_t)(i % 3);
	assert_int_equal(sift_cv_folds(y, n, 3, g, 3, 4, 1, fold, &err),
			 SIFT_EDATA);
	assert_string_equal(err.msg, "3 groups of labeled records, fewer "
				     "than the 4 folds");
}

/* n records: label a for "good ...", b for "bad ...", every seventh
 * label flipped, so that the folds' figures differ. */
static char *noisy(int n)
{
	static char buf[1 << 16];
	size_t k = (size_t)snprintf(buf, sizeof buf, "text,label\n");

	for (int i = 0; i < n; i++)
		k += (size_t)snprintf(buf + k, sizeof buf - k, "%s w%d,%s\n",
				      i % 2 ? "good" : "bad", i % 13,
				      (i % 2) ^ (i % 7 == 0) ? "a" : "b");
	return tmpfile_str(buf);
}

static void means_are_the_folds(void **state)
{
	struct sift_train_opts o;
	struct sift_cv_opts cv;
	struct sift_cv_result res;
	struct sift_model m;
	struct sift_error err;
	char *path = noisy(300);
	struct sift_reader *r = sift_reader_open(path, NULL, 0, &err);

	(void)state;
	assert_non_null(r);
	sift_train_opts_init(&o);
	o.label = "label";
	o.seed = 3;
	sift_cv_opts_init(&cv);
	cv.folds = 4;
	sift_model_init(&m);
	m.spec.bits = 12;
	sift_feat_spec_add(&m.spec, 't', "text", &err);
	assert_int_equal(sift_train_cv(r, &o, &cv, NULL, &m, &res, &err), 0);
	assert_int_equal(res.n_labeled, 300);
	for (int g = 0; g < SIFT_FIG_COUNT; g++) {
		double s = 0, ss = 0, mean;

		if (!res.shown[g] || res.figure[g].n < 4)
			continue;
		for (unsigned f = 0; f < 4; f++)
			s += res.fold[f].value[g];
		mean = s / 4;
		for (unsigned f = 0; f < 4; f++)
			ss += pow(res.fold[f].value[g] - mean, 2);
		assert_float_equal(res.figure[g].mean, mean, 1e-12);
		assert_float_equal(res.figure[g].sd, sqrt(ss / 3), 1e-12);
	}
	/* the folds differ: the flipped labels are not where they were */
	assert_true(res.figure[SIFT_FIG_ACCURACY].sd > 0);
	assert_true(res.figure[SIFT_FIG_ACCURACY].mean > 0.6);
	/* 75 records of each fold; support 37 or 38 of each class */
	for (unsigned f = 0; f < 4; f++)
		assert_int_equal(res.fold[f].n_records, 75);
	sift_cv_result_free(&res);
	sift_model_free(&m);
	sift_reader_close(r);
	remove(path);
	free(path);
}

static void class_smaller_than_k(void **state)
{
	struct sift_train_opts o;
	struct sift_cv_opts cv;
	struct sift_cv_result res;
	struct sift_model m;
	struct sift_error err;
	char *path = tmpfile_str("text,label\nx,a\ny,a\nz,a\nw,b\nv,b\n");
	struct sift_reader *r = sift_reader_open(path, NULL, 0, &err);

	(void)state;
	sift_train_opts_init(&o);
	o.label = "label";
	sift_cv_opts_init(&cv);
	cv.folds = 3;
	sift_model_init(&m);
	sift_feat_spec_add(&m.spec, 't', "text", &err);
	assert_int_equal(sift_train_cv(r, &o, &cv, NULL, &m, &res, &err),
			 SIFT_EDATA);
	assert_non_null(strstr(err.msg,
			       ": cv: 3 folds, but class 'b' has 2 labeled "
			       "records: every fold needs one of each class "
			       "(give at most 2 folds)"));
	sift_cv_result_free(&res);
	sift_model_free(&m);
	sift_reader_close(r);
	remove(path);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stratified_counts),
		cmocka_unit_test(grouped_never_split),
		cmocka_unit_test(bad_folds),
		cmocka_unit_test(means_are_the_folds),
		cmocka_unit_test(class_smaller_than_k),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
