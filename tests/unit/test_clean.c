/* Unit tests of lib/clean.c and lib/clean_run.c: confident learning's
 * thresholds, confident joint, calibrated joint, prune counts, noise
 * rate and issue sets, against an independent computation.
 *
 * The reference numbers were computed by bench/clean-numpy.py (numpy,
 * written apart from the C code from Northcutt, Jiang and Chuang 2021
 * and cleanlab's conventions; `clean-numpy.py --explain --filter F
 * FILE` on the CSV of each case below), and those of the small case by
 * hand as well (worked in the comments). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sift/clean.h"
#include "sift/parse.h"
#include "testutil.h"

/* 30 records, 3 classes (a, b, c), probabilities with two decimals:
 * a seeded draw with a quarter of the labels flipped, on which the four
 * filters choose four different sets. */
static const char *const case30_label = "babcbabcaabbbacbaabaccbbbcbbbc";
static const double case30_p[30][3] = {
	{ 0.21, 0.60, 0.19 }, { 0.42, 0.24, 0.34 }, { 0.81, 0.01, 0.18 },
	{ 0.08, 0.39, 0.53 }, { 0.56, 0.08, 0.36 }, { 0.69, 0.24, 0.07 },
	{ 0.50, 0.30, 0.20 }, { 0.61, 0.19, 0.20 }, { 0.54, 0.37, 0.09 },
	{ 0.54, 0.33, 0.13 }, { 0.14, 0.70, 0.16 }, { 0.06, 0.50, 0.44 },
	{ 0.10, 0.66, 0.24 }, { 0.50, 0.41, 0.09 }, { 0.62, 0.24, 0.14 },
	{ 0.69, 0.12, 0.19 }, { 0.65, 0.01, 0.34 }, { 0.45, 0.33, 0.22 },
	{ 0.59, 0.36, 0.05 }, { 0.52, 0.15, 0.33 }, { 0.23, 0.34, 0.43 },
	{ 0.76, 0.18, 0.06 }, { 0.11, 0.32, 0.57 }, { 0.26, 0.45, 0.29 },
	{ 0.20, 0.51, 0.29 }, { 0.38, 0.01, 0.61 }, { 0.29, 0.42, 0.29 },
	{ 0.25, 0.50, 0.25 }, { 0.42, 0.34, 0.24 }, { 0.16, 0.23, 0.61 },
};

/* The estimator run over the records of n labels (class letters from
 * 'a') and probabilities (k a row), through its four passes. */
static void estimate(struct sift_clean *c, size_t k, enum sift_clean_filter f,
		     const char *labels, const double *p, size_t n)
{
	struct sift_error err;

	assert_int_equal(sift_clean_init(c, k, f, &err), 0);
	for (size_t i = 0; i < n; i++)
		sift_clean_add_self(c, (size_t)(labels[i] - 'a'), p + i * k);
	sift_clean_thresholds(c);
	for (size_t i = 0; i < n; i++)
		sift_clean_add_joint(c, (size_t)(labels[i] - 'a'), p + i * k);
	assert_int_equal(sift_clean_calibrate(c, &err), 0);
	if (sift_clean_needs_cuts(c)) {
		for (size_t i = 0; i < n; i++)
			assert_int_equal(
				sift_clean_add_cut(c, (size_t)(labels[i] - 'a'),
						   p + i * k, &err),
				0);
		sift_clean_cuts(c);
	}
}

/* The issues as "2 4 6" (0-based record numbers). */
static void issues(const struct sift_clean *c, const char *labels,
		   const double *p, size_t n, char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n; i++)
		if (sift_clean_is_issue(c, (size_t)(labels[i] - 'a'),
					p + i * c->k))
			len += (size_t)snprintf(out + len, size - len, "%s%zu",
						len ? " " : "", i);
}

static void matrix_equal(const uint64_t *got, const uint64_t *want, size_t n)
{
	for (size_t i = 0; i < n; i++)
		assert_int_equal(got[i], want[i]);
}

static void case30_estimates(void **state)
{
	/* clean-numpy.py --explain: thresholds 0.53875, 0.391333...,
	 * 0.368571...; joint [[4,1,0],[4,8,1],[3,0,4]]; calibrated
	 * [[6,2,0],[5,9,1],[3,0,4]] (row b: 4, 8, 1 of 13 scaled to 15 is
	 * 4.62, 9.23, 1.15); prune counts the same; noise rate 11/30. */
	static const uint64_t joint[9] = { 4, 1, 0, 4, 8, 1, 3, 0, 4 };
	static const uint64_t cal[9] = { 6, 2, 0, 5, 9, 1, 3, 0, 4 };
	struct sift_clean c;
	uint64_t off = 0;

	(void)state;
	estimate(&c, 3, SIFT_CLEAN_PRUNE_BY_NOISE_RATE, case30_label,
		 &case30_p[0][0], 30);
	assert_int_equal(c.n, 30);
	assert_int_equal(c.n_given[0], 8);
	assert_int_equal(c.n_given[1], 15);
	assert_int_equal(c.n_given[2], 7);
	assert_float_equal(c.threshold[0], 0.53875, 1e-12);
	assert_float_equal(c.threshold[1], 0.39133333333333326, 1e-12);
	assert_float_equal(c.threshold[2], 0.3685714285714286, 1e-12);
	matrix_equal(c.joint, joint, 9);
	assert_int_equal(c.n_confident, 25);
	matrix_equal(c.calibrated, cal, 9);
	matrix_equal(c.prune, cal, 9);
	for (size_t i = 0; i < 3; i++)
		for (size_t j = 0; j < 3; j++)
			off += i != j ? c.calibrated[i * 3 + j] : 0;
	assert_int_equal(off, 11);
	sift_clean_free(&c);
}

static void case30_filters(void **state)
{
	/* clean-numpy.py --filter F, record numbers from 0 */
	static const struct {
		enum sift_clean_filter f;
		const char *want;
	} cases[] = {
		{ SIFT_CLEAN_PRUNE_BY_NOISE_RATE, "2 4 6 7 14 15 18 21" },
		{ SIFT_CLEAN_PRUNE_BY_CLASS, "2 4 6 7 14 15 21 22 28" },
		{ SIFT_CLEAN_BOTH, "2 4 6 7 14 15 21" },
		{ SIFT_CLEAN_CONFIDENT_LEARNING, "2 4 7 14 15 18 21 22" },
		{ SIFT_CLEAN_PREDICTED_NEQ_GIVEN, "2 4 6 7 14 15 18 21 22 28" },
	};
	char got[256];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct sift_clean c;

		estimate(&c, 3, cases[i].f, case30_label, &case30_p[0][0], 30);
		issues(&c, case30_label, &case30_p[0][0], 30, got, sizeof got);
		assert_string_equal(got, cases[i].want);
		sift_clean_free(&c);
	}
}

/* Five records, worked by hand. x's one record (0.3, 0.7): t_x = 0.3;
 * t_y = (0.1 + 0.8 + 0.7 + 0.9) / 4 = 0.625. The x record is at both
 * thresholds, likely y (0.7 > 0.3): C[x] = [0, 1], its diagonal raised
 * to [1, 1]; y's (0.9, 0.1) is likely x, the other three y: C[y] =
 * [1, 3]. Calibrated: [1, 1] scaled to 1 record is 0.5, 0.5, rounded to
 * even 0, 0, and the last raised: [0, 1]; [1, 3] stays. The prune
 * counts keep x's one record: [1, 0]. Noise rate 2/5. Issues: x has one
 * record, never pruned; y's one likely x, of largest margin p_x - p_y
 * (0.8): record 1. Its off-diagonals: records 0 and 1. */
static const char *const mini_label = "abbbb";
static const double mini_p[5][2] = {
	{ 0.3, 0.7 }, { 0.9, 0.1 }, { 0.2, 0.8 }, { 0.3, 0.7 }, { 0.1, 0.9 },
};

static void mini_by_hand(void **state)
{
	static const uint64_t joint[4] = { 1, 1, 1, 3 };
	static const uint64_t cal[4] = { 0, 1, 1, 3 };
	static const uint64_t prune[4] = { 1, 0, 1, 3 };
	static const struct {
		enum sift_clean_filter f;
		const char *want;
	} cases[] = {
		{ SIFT_CLEAN_PRUNE_BY_NOISE_RATE, "1" },
		{ SIFT_CLEAN_PRUNE_BY_CLASS, "1" },
		{ SIFT_CLEAN_BOTH, "1" },
		{ SIFT_CLEAN_CONFIDENT_LEARNING, "0 1" },
		{ SIFT_CLEAN_PREDICTED_NEQ_GIVEN, "0 1" },
	};
	char got[64];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct sift_clean c;

		estimate(&c, 2, cases[i].f, mini_label, &mini_p[0][0], 5);
		assert_float_equal(c.threshold[0], 0.3, 1e-15);
		assert_float_equal(c.threshold[1], 0.625, 1e-15);
		matrix_equal(c.joint, joint, 4);
		matrix_equal(c.calibrated, cal, 4);
		matrix_equal(c.prune, prune, 4);
		issues(&c, mini_label, &mini_p[0][0], 5, got, sizeof got);
		assert_string_equal(got, cases[i].want);
		sift_clean_free(&c);
	}
}

static void rounding_keeps_row_totals(void **state)
{
	static const struct {
		uint64_t count[3];
		uint64_t total;
		uint64_t want[3];
	} cases[] = {
		/* 26.67, 70.67, 10.67 round to 109: the three remainders
		 * are equal (-1/3), the first is lowered */
		{ { 20, 53, 8 }, 108, { 26, 71, 11 } },
		/* 3.33 each round to 9: the last is raised */
		{ { 1, 1, 1 }, 10, { 3, 3, 4 } },
		/* 2.5 and 7.5 to even: 2 and 8, already 10 */
		{ { 1, 3, 0 }, 10, { 2, 8, 0 } },
		/* 0.5 0.5 to even is 0 0: the last raised */
		{ { 1, 1, 0 }, 1, { 0, 1, 0 } },
		/* nothing to scale */
		{ { 0, 0, 0 }, 5, { 0, 0, 0 } },
		/* 1.4, 1.4, 1.2 round to 3 of 4: the largest remainder,
		 * 0.4, the last of two, is raised */
		{ { 7, 7, 6 }, 4, { 1, 2, 1 } },
	};
	uint64_t out[3];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		sift_clean_round_row(cases[i].count, 3, cases[i].total, out);
		matrix_equal(out, cases[i].want, 3);
	}
}

static void quality_and_guess(void **state)
{
	static const double p[3] = { 0.2, 0.5, 0.3 };
	static const double tie[3] = { 0.4, 0.4, 0.2 };
	struct sift_clean c;
	struct sift_error err;

	(void)state;
	assert_float_equal(
		sift_clean_quality(SIFT_CLEAN_SELF_CONFIDENCE, 0, p, 3), 0.2,
		1e-15);
	/* (0.2 - 0.5 + 1) / 2 and (0.5 - 0.3 + 1) / 2 */
	assert_float_equal(
		sift_clean_quality(SIFT_CLEAN_NORMALIZED_MARGIN, 0, p, 3), 0.35,
		1e-15);
	assert_float_equal(
		sift_clean_quality(SIFT_CLEAN_NORMALIZED_MARGIN, 1, p, 3), 0.6,
		1e-15);
	assert_int_equal(sift_clean_argmax(p, 3), 1);
	assert_int_equal(sift_clean_argmax(tie, 3), 0);

	assert_int_equal(sift_clean_init(&c, 3, SIFT_CLEAN_BOTH, &err), 0);
	c.threshold[0] = 0.6;
	c.threshold[1] = 0.45;
	c.threshold[2] = 0.3;
	/* b and c are at their thresholds, a (0.2) is not: b */
	assert_int_equal(sift_clean_guess(&c, p), 1);
	/* a, of the highest probability, is below its threshold: the
	 * paper's argmax among the classes at theirs, c */
	c.threshold[0] = 0.5;
	c.threshold[1] = 0.45;
	c.threshold[2] = 0.1;
	assert_int_equal(sift_clean_guess(&c, tie), 2);
	/* a and b tie above theirs: the first */
	c.threshold[0] = 0.35;
	c.threshold[1] = 0.35;
	assert_int_equal(sift_clean_guess(&c, tie), 0);
	/* within 1e-6 of a threshold counts; above none is -1 */
	c.threshold[0] = 0.4 + 5e-7;
	c.threshold[1] = 0.41;
	c.threshold[2] = 0.5;
	assert_int_equal(sift_clean_guess(&c, tie), 0);
	c.threshold[0] = 0.41;
	assert_int_equal(sift_clean_guess(&c, tie), -1);
	sift_clean_free(&c);
}

static void names_parse(void **state)
{
	(void)state;
	assert_int_equal(sift_clean_filter_parse("prune_by_noise_rate"),
			 SIFT_CLEAN_PRUNE_BY_NOISE_RATE);
	assert_int_equal(sift_clean_filter_parse("both"), SIFT_CLEAN_BOTH);
	assert_int_equal(sift_clean_filter_parse("noise"), -1);
	assert_string_equal(
		sift_clean_filter_name(SIFT_CLEAN_CONFIDENT_LEARNING),
		"confident_learning");
	assert_int_equal(sift_clean_rank_parse("normalized_margin"),
			 SIFT_CLEAN_NORMALIZED_MARGIN);
	assert_int_equal(sift_clean_sort_parse("input"), SIFT_CLEAN_SORT_INPUT);
	assert_int_equal(sift_clean_sort_parse("rank"), -1);
}

/* case30 as CSV: id (from 1), label, p_a, p_b, p_c. */
static char *case30_csv(void)
{
	char buf[4096];
	size_t len =
		(size_t)snprintf(buf, sizeof buf, "id,label,p_a,p_b,p_c\n");

	for (size_t i = 0; i < 30; i++)
		len += (size_t)snprintf(buf + len, sizeof buf - len,
					"%zu,%c,%.2f,%.2f,%.2f\n", i + 1,
					case30_label[i], case30_p[i][0],
					case30_p[i][1], case30_p[i][2]);
	return tmpfile_with(buf, len);
}

/* sift_clean_run on path into the first column of each output line
 * ("3 22 5"), and the stats. */
static int run_ids(const char *path, const struct sift_clean_opts *o, char *ids,
		   size_t size, struct sift_clean_stats *st,
		   struct sift_error *err)
{
	char out[] = "/tmp/sift-unit-out-XXXXXX";
	int fd = mkstemp(out);
	struct sift_reader *r =
		sift_reader_open(path, NULL, SIFT_READER_REWIND, err);
	struct sift_writer *w = sift_writer_open(out, err);
	const struct sift_record *rec;
	size_t len = 0;
	int rc;

	close(fd);
	assert_non_null(r);
	assert_non_null(w);
	rc = sift_clean_run(r, w, o, st, err);
	sift_reader_close(r);
	if (rc) {
		sift_writer_discard(w);
		unlink(out);
		return rc;
	}
	assert_int_equal(sift_writer_close(w, err), 0);
	r = sift_reader_open(out, NULL, 0, err);
	assert_non_null(r);
	ids[0] = '\0';
	while (sift_reader_next(r, &rec, err) == 0 && rec) {
		const char *s;
		size_t n;

		assert_int_equal(sift_reader_field(r, 0, &s, &n, err), 0);
		len += (size_t)snprintf(ids + len, size - len, "%s%.*s",
					len ? " " : "", (int)n, s);
	}
	sift_reader_close(r);
	unlink(out);
	return 0;
}

static void run_ranks_and_outputs(void **state)
{
	char *path = case30_csv(), ids[512];
	struct sift_clean_opts o;
	struct sift_clean_stats st;
	struct sift_error err;

	(void)state;
	sift_clean_opts_init(&o);
	/* the issues of prune_by_noise_rate by self-confidence: 0.01,
	 * 0.06, 0.08, 0.12, 0.14, 0.20, 0.30, 0.36 */
	assert_int_equal(run_ids(path, &o, ids, sizeof ids, &st, &err), 0);
	assert_string_equal(ids, "3 22 5 16 15 8 7 19");
	assert_int_equal(st.n_records, 30);
	assert_int_equal(st.n_issues, 8);
	assert_int_equal(st.k, 3);
	assert_string_equal(st.classes[2], "c");
	assert_int_equal(st.est.calibrated[3], 5);
	sift_clean_stats_free(&st);
	/* by normalized margin: 0.10, 0.15, 0.215, 0.26 (5 and 15 tie, in
	 * input order), 0.295, 0.385, 0.40 */
	o.rank = SIFT_CLEAN_NORMALIZED_MARGIN;
	assert_int_equal(run_ids(path, &o, ids, sizeof ids, &st, &err), 0);
	assert_string_equal(ids, "3 22 16 5 15 8 19 7");
	sift_clean_stats_free(&st);
	o.sort = SIFT_CLEAN_SORT_INPUT;
	assert_int_equal(run_ids(path, &o, ids, sizeof ids, &st, &err), 0);
	assert_string_equal(ids, "3 5 7 8 15 16 19 22");
	sift_clean_stats_free(&st);
	o.output = SIFT_CLEAN_DROP;
	assert_int_equal(run_ids(path, &o, ids, sizeof ids, &st, &err), 0);
	assert_string_equal(ids, "1 2 4 6 9 10 11 12 13 14 17 18 20 21 23 24 "
				 "25 26 27 28 29 30");
	sift_clean_stats_free(&st);
	o.sort = SIFT_CLEAN_SORT_QUALITY;
	assert_int_equal(run_ids(path, &o, ids, sizeof ids, &st, &err),
			 SIFT_EUSAGE);
	/* without a namer, the fields read as their names */
	assert_string_equal(err.msg, "sort: 'quality' orders the issues "
				     "alone; all and drop write in input "
				     "order");
	sift_clean_stats_free(&st);
	unlink(path);
	free(path);
}

static void run_refuses_bad_data(void **state)
{
	/* Each message, with %s for the file's name. */
	static const struct {
		const char *csv, *msg;
	} cases[] = {
		{ "label,p_a\na,1\n",
		  "%s: confident learning needs a probability column per "
		  "class, named p_<label> (as sift predict writes them); 1 "
		  "found" },
		{ "label,p_a,p_b\na,0.5,0.5\nc,0.5,0.5\n",
		  "%s:3: label 'c' has no probability column p_c (the classes "
		  "are 'a', 'b')" },
		{ "label,p_a,p_b\na,0.5,0.6\n",
		  "%s:2: the class probabilities sum to 1.1, not 1" },
		{ "label,p_a,p_b\na,-0.5,1.5\n",
		  "%s:2: column 'p_a' (2): '-0.5' is not a probability" },
		{ "label,p_a,p_b\na,x,1\n",
		  "%s:2: column 'p_a' (2): 'x' is not a probability" },
		{ "label,p_a,p_b\na,0.5,0.5\na,0.2,0.8\n,0.5,0.5\n",
		  "%s: every labeled record is labeled 'a': confident "
		  "learning needs two classes or more" },
		{ "label,p_a,p_b\n,0.5,0.5\n",
		  "%s: no record has a label in column 'label' (1)" },
	};
	struct sift_clean_opts o;

	(void)state;
	sift_clean_opts_init(&o);
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *path = tmpfile_str(cases[i].csv), ids[64], want[512];
		struct sift_clean_stats st;
		struct sift_error err;

		assert_int_equal(run_ids(path, &o, ids, sizeof ids, &st, &err),
				 SIFT_EDATA);
		const char *at = strstr(cases[i].msg, "%s");

		snprintf(want, sizeof want, "%.*s%s%s",
			 (int)(at - cases[i].msg), cases[i].msg, path, at + 2);
		assert_string_equal(err.msg, want);
		sift_clean_stats_free(&st);
		unlink(path);
		free(path);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(case30_estimates),
		cmocka_unit_test(case30_filters),
		cmocka_unit_test(mini_by_hand),
		cmocka_unit_test(rounding_keeps_row_totals),
		cmocka_unit_test(quality_and_guess),
		cmocka_unit_test(names_parse),
		cmocka_unit_test(run_ranks_and_outputs),
		cmocka_unit_test(run_refuses_bad_data),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
