/* Unit tests of lib/rebalance.c: targets as imbalanced-learn computes
 * them, exact counts, and uniformity of what is dropped or repeated
 * (chi-square over fixed seeds). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sift/parse.h"
#include "sift/rebalance.h"
#include "testutil.h"

enum { MAXOUT = 4096 };

struct result {
	size_t n;
	unsigned id[MAXOUT];
	char cls[MAXOUT];
	double last[MAXOUT]; /* the last column (weight or marker) */
};

/* n_a records of class a then n_b of class b (ids 1..), interleaved
 * every third record so that input order is not class order. */
static char *two_classes(unsigned n_a, unsigned n_b)
{
	size_t cap = (size_t)(n_a + n_b) * 32 + 32, len = 0;
	char *csv = malloc(cap), *path;
	unsigned a = 0, b = 0, id = 1;

	len += (size_t)snprintf(csv, cap, "id,label,x\n");
	while (a < n_a || b < n_b) {
		int take_b = b < n_b && (a == n_a || id % 3 == 0);

		len += (size_t)snprintf(csv + len, cap - len, "%u,%c,%u\n", id,
					take_b ? 'b' : 'a', id);
		take_b ? b++ : a++;
		id++;
	}
	path = tmpfile_with(csv, len);
	free(csv);
	return path;
}

static int run_once(const char *input, const struct sift_rebalance_opts *o,
		    struct result *res, struct sift_rebalance_stats *st,
		    struct sift_error *err)
{
	char out[] = "/tmp/sift-unit-out-XXXXXX";
	int fd = mkstemp(out);
	struct sift_reader *r =
		sift_reader_open(input, NULL, SIFT_READER_REWIND, err);
	struct sift_writer *w = sift_writer_open(out, err);
	const struct sift_record *rec;
	int rc;

	close(fd);
	assert_non_null(r);
	assert_non_null(w);
	rc = sift_rebalance_run(r, w, o, st, err);
	if (rc) {
		sift_writer_discard(w);
		sift_reader_close(r);
		unlink(out);
		return rc;
	}
	assert_int_equal(sift_writer_close(w, err), 0);
	sift_reader_close(r);

	r = sift_reader_open(out, NULL, 0, err);
	res->n = 0;
	while (sift_reader_next(r, &rec, err) == 0 && rec) {
		const char *s;
		size_t len;
		double x = NAN;

		assert_true(res->n < MAXOUT);
		sift_reader_field(r, 0, &s, &len, err);
		sift_parse_double(s, len, &x);
		res->id[res->n] = (unsigned)x;
		sift_reader_field(r, 1, &s, &len, err);
		res->cls[res->n] = s[0];
		sift_reader_field(r, sift_reader_ncols(r) - 1, &s, &len, err);
		x = NAN;
		sift_parse_double(s, len, &x);
		res->last[res->n++] = x;
	}
	sift_reader_close(r);
	unlink(out);
	return 0;
}

static void opts(struct sift_rebalance_opts *o, enum sift_rebalance_method m,
		 uint64_t seed)
{
	sift_rebalance_opts_init(o);
	o->method = m;
	o->by = "label";
	o->seed = seed;
}

/* ---- targets ---------------------------------------------------------- */

static const char *const names3[] = { "a", "b", "c" };

static void targets(struct sift_rebalance_opts *o, const uint64_t *count,
		    double *t)
{
	struct sift_error err;

	if (sift_rebalance_targets(o, 3, count, names3, t, &err))
		fail_msg("%s", err.msg);
}

static void test_targets_defaults(void **state)
{
	const uint64_t count[] = { 100, 7, 30 };
	struct sift_rebalance_opts o;
	double t[3];

	(void)state;
	opts(&o, SIFT_REBALANCE_UNDER, 0);
	targets(&o, count, t);
	assert_true(t[0] == 7 && t[1] == 7 && t[2] == 7);
	opts(&o, SIFT_REBALANCE_OVER, 0);
	targets(&o, count, t);
	assert_true(t[0] == 100 && t[1] == 100 && t[2] == 100);
	/* Balanced weights: N / (K N_c), the target being N / K. */
	opts(&o, SIFT_REBALANCE_WEIGHTS, 0);
	targets(&o, count, t);
	assert_true(fabs(t[1] / 7 - 137.0 / (3 * 7)) < 1e-12);
	/* --to mean: floor(137 / 3) = 45; under leaves the smaller alone. */
	opts(&o, SIFT_REBALANCE_UNDER, 0);
	o.goal = SIFT_GOAL_TO;
	o.to = SIFT_TO_MEAN;
	targets(&o, count, t);
	assert_true(t[0] == 45 && t[1] == 7 && t[2] == 30);
	opts(&o, SIFT_REBALANCE_OVER, 0);
	o.goal = SIFT_GOAL_TO;
	o.to = SIFT_TO_MEAN;
	targets(&o, count, t);
	assert_true(t[0] == 100 && t[1] == 45 && t[2] == 45);
}

/* imbalanced-learn, float sampling_strategy r: under-sampling takes the
 * other classes to int(N_min / r), over-sampling to int(N_max * r). */
static void test_targets_ratio(void **state)
{
	const uint64_t count[] = { 100, 7, 30 };
	struct sift_rebalance_opts o;
	struct sift_error err;
	double t[3];

	(void)state;
	opts(&o, SIFT_REBALANCE_UNDER, 0);
	o.goal = SIFT_GOAL_RATIO;
	o.ratio.minor = 1;
	o.ratio.major = 3;
	targets(&o, count, t); /* 7 * 3 = 21, but c has 30: fine */
	assert_true(t[0] == 21 && t[1] == 7 && t[2] == 21);
	opts(&o, SIFT_REBALANCE_OVER, 0);
	o.goal = SIFT_GOAL_RATIO;
	o.ratio.minor = 1;
	o.ratio.major = 3;
	targets(&o, count, t); /* floor(100 / 3) = 33, exactly */
	assert_true(t[0] == 100 && t[1] == 33 && t[2] == 33);
	/* 1:4 asks over-sampling to shrink c (30 > 25): cannot be met. */
	o.ratio.major = 4;
	assert_int_equal(sift_rebalance_targets(&o, 3, count, names3, t, &err),
			 SIFT_EDATA);
	assert_string_equal(err.msg,
			    "class 'c' has 30 records, more than "
			    "the 25 asked for: method over cannot drop "
			    "records");
	/* A decimal ratio: 0.1 of 30 is 3 (not 2.9999...). */
	const uint64_t c2[] = { 30, 2, 3 };
	o.ratio.minor = 0.1;
	o.ratio.major = 1;
	targets(&o, c2, t);
	assert_true(t[1] == 3 && t[2] == 3);
	/* 100 x 0.57 is 56.99999999999999 in doubles: 57, as 57:100
	 * counts; 0.999999 of 100 is 99.9999, floored to 99. */
	const uint64_t c3[] = { 100, 2, 3 };
	o.ratio.minor = 0.57;
	targets(&o, c3, t);
	assert_true(t[1] == 57 && t[2] == 57);
	o.ratio.minor = 57;
	o.ratio.major = 100;
	targets(&o, c3, t);
	assert_true(t[1] == 57 && t[2] == 57);
	o.ratio.minor = 0.999999;
	o.ratio.major = 1;
	targets(&o, c3, t);
	assert_true(t[1] == 99 && t[2] == 99);
}

static void test_targets_listed(void **state)
{
	const uint64_t count[] = { 100, 7, 30 };
	struct sift_rebalance_opts o;
	struct sift_error err;
	double t[3];

	(void)state;
	opts(&o, SIFT_REBALANCE_UNDER, 0);
	o.goal = SIFT_GOAL_TARGET;
	o.target = "a=10,c=0";
	targets(&o, count, t);
	assert_true(t[0] == 10 && t[1] == 7 && t[2] == 0);
	o.goal = SIFT_GOAL_TARGET;
	o.target = "a=10,zzz=3";
	assert_int_equal(sift_rebalance_targets(&o, 3, count, names3, t, &err),
			 SIFT_EDATA);
	assert_string_equal(err.msg, "target: no record has class 'zzz'");
	o.goal = SIFT_GOAL_TARGET;
	o.target = "b=8";
	assert_int_equal(sift_rebalance_targets(&o, 3, count, names3, t, &err),
			 SIFT_EDATA);
	assert_string_equal(err.msg, "class 'b' has 7 records, fewer than "
				     "the 8 asked for: method under cannot add "
				     "records");
	o.goal = SIFT_GOAL_TARGET;
	o.target = "a";
	assert_int_equal(sift_rebalance_targets(&o, 3, count, names3, t, &err),
			 SIFT_EUSAGE);
	opts(&o, SIFT_REBALANCE_WEIGHTS, 0);
	o.goal = SIFT_GOAL_CLASS_WEIGHT;
	o.class_weight = "b=3.5";
	targets(&o, count, t);
	assert_true(t[0] == 100 && t[1] == 3.5 * 7 && t[2] == 30);
}

static void test_ratio_parse(void **state)
{
	struct sift_error err;
	double a, b;

	(void)state;
	assert_int_equal(sift_rebalance_ratio_parse("1:2", &a, &b, &err), 0);
	assert_true(a == 1 && b == 2);
	assert_int_equal(sift_rebalance_ratio_parse("0.5", &a, &b, &err), 0);
	assert_true(a == 0.5 && b == 1);
	assert_int_equal(sift_rebalance_ratio_parse("2:1", &a, &b, &err),
			 SIFT_EUSAGE);
	assert_int_equal(sift_rebalance_ratio_parse("1:0", &a, &b, &err),
			 SIFT_EUSAGE);
	assert_int_equal(sift_rebalance_ratio_parse("x", &a, &b, &err),
			 SIFT_EUSAGE);
}

/* ---- the draws --------------------------------------------------------- */

/* Successive binomials are the multinomial of uniform draws with
 * replacement: the totals add up, and each record's expected share is
 * equal (chi-square over 4000 seeds). */
static void test_extra_multinomial(void **state)
{
	enum { N = 12, DRAWS = 7, SEEDS = 4000 };
	double obs[N] = { 0 }, exp_[N];

	(void)state;
	for (uint64_t seed = 0; seed < SEEDS; seed++) {
		struct sift_rng rng;
		uint64_t left = DRAWS, sum = 0;

		sift_rng_seed(&rng, seed);
		for (unsigned i = 0; i < N; i++) {
			uint64_t m = sift_rebalance_extra(&rng, &left, N - i);

			obs[i] += (double)m;
			sum += m;
		}
		assert_int_equal(sum, DRAWS);
		assert_int_equal(left, 0);
	}
	for (unsigned i = 0; i < N; i++)
		exp_[i] = (double)DRAWS * SEEDS / N;
	assert_true(chi2_stat(obs, exp_, N) < chi2_crit(N - 1));
}

/* Many more draws than records: no underflow, still uniform. */
static void test_extra_many_draws(void **state)
{
	enum { N = 5, DRAWS = 100000 };
	struct sift_rng rng;
	uint64_t left = DRAWS;
	double obs[N], exp_[N];

	(void)state;
	sift_rng_seed(&rng, 9);
	for (unsigned i = 0; i < N; i++) {
		obs[i] = (double)sift_rebalance_extra(&rng, &left, N - i);
		exp_[i] = (double)DRAWS / N;
	}
	assert_int_equal(left, 0);
	assert_true(chi2_stat(obs, exp_, N) < chi2_crit(N - 1));
}

/* ---- runs --------------------------------------------------------------- */

static void count_classes(const struct result *res, unsigned *a, unsigned *b)
{
	*a = *b = 0;
	for (size_t i = 0; i < res->n; i++)
		res->cls[i] == 'a' ? (*a)++ : (*b)++;
}

/* Under: exact counts, input order, and every record of the larger
 * class equally likely to be kept (chi-square over 600 seeds). */
static void test_under_uniform(void **state)
{
	enum { NA = 40, NB = 8, SEEDS = 600 };
	char *in = two_classes(NA, NB);
	struct result *res = malloc(sizeof *res);
	double obs[NA + NB + 1] = { 0 }, exp_[NA];
	struct sift_rebalance_opts o;
	struct sift_rebalance_stats st;
	struct sift_error err;

	(void)state;
	for (uint64_t seed = 0; seed < SEEDS; seed++) {
		unsigned a, b;

		opts(&o, SIFT_REBALANCE_UNDER, seed);
		assert_int_equal(run_once(in, &o, res, &st, &err), 0);
		count_classes(res, &a, &b);
		assert_int_equal(a, NB);
		assert_int_equal(b, NB);
		assert_int_equal(st.n_out, 2 * NB);
		for (size_t i = 1; i < res->n; i++)
			assert_true(res->id[i] > res->id[i - 1]);
		for (size_t i = 0; i < res->n; i++)
			obs[res->id[i]] += res->cls[i] == 'a';
		sift_rebalance_stats_free(&st);
	}
	/* The class-a records: all ids but the first NB multiples of 3. */
	double oa[NA];
	size_t k = 0;
	for (unsigned id = 1; id <= NA + NB; id++)
		if (id % 3 != 0 || id / 3 > NB)
			oa[k++] = obs[id];
	assert_int_equal(k, NA);
	for (size_t i = 0; i < NA; i++)
		exp_[i] = (double)NB * SEEDS / NA;
	assert_true(chi2_stat(oa, exp_, NA) < chi2_crit(NA - 1));
	free(res);
	unlink(in);
	free(in);
}

/* Over: exact counts; every original kept; the extra copies spread
 * uniformly over the smaller class (chi-square over 600 seeds). */
static void test_over_uniform(void **state)
{
	enum { NA = 30, NB = 6, SEEDS = 600 };
	char *in = two_classes(NA, NB);
	struct result *res = malloc(sizeof *res);
	double obs[NA + NB + 1] = { 0 };
	struct sift_rebalance_opts o;
	struct sift_rebalance_stats st;
	struct sift_error err;
	unsigned bid[NB], nb = 0;

	(void)state;
	for (unsigned id = 3; id <= NA + NB && nb < NB; id += 3)
		bid[nb++] = id;
	for (uint64_t seed = 0; seed < SEEDS; seed++) {
		unsigned a, b;

		opts(&o, SIFT_REBALANCE_OVER, seed);
		assert_int_equal(run_once(in, &o, res, &st, &err), 0);
		count_classes(res, &a, &b);
		assert_int_equal(a, NA);
		assert_int_equal(b, NA);
		for (size_t i = 0; i < res->n; i++)
			obs[res->id[i]]++;
		sift_rebalance_stats_free(&st);
	}
	double ob[NB], exp_[NB];
	for (unsigned i = 0; i < NB; i++) {
		assert_true(obs[bid[i]] >= SEEDS); /* the original, always */
		ob[i] = obs[bid[i]] - SEEDS;
		exp_[i] = (double)(NA - NB) * SEEDS / NB;
	}
	assert_true(chi2_stat(ob, exp_, NB) < chi2_crit(NB - 1));
	free(res);
	unlink(in);
	free(in);
}

static void test_weights(void **state)
{
	char *in = two_classes(30, 10);
	struct result *res = malloc(sizeof *res);
	struct sift_rebalance_opts o;
	struct sift_rebalance_stats st;
	struct sift_error err;

	(void)state;
	opts(&o, SIFT_REBALANCE_WEIGHTS, 1);
	assert_int_equal(run_once(in, &o, res, &st, &err), 0);
	assert_int_equal(res->n, 40);
	for (size_t i = 0; i < res->n; i++)
		assert_true(fabs(res->last[i] - (res->cls[i] == 'a'
							 ? 40.0 / (2 * 30)
							 : 40.0 / (2 * 10))) <
			    1e-15);
	sift_rebalance_stats_free(&st);
	free(res);
	unlink(in);
	free(in);
}

/* The same seed gives the same output; a dry run writes nothing but
 * fills the counts. */
static void test_reproducible_and_dry(void **state)
{
	char *in = two_classes(50, 9);
	struct result *r1 = malloc(sizeof *r1), *r2 = malloc(sizeof *r2);
	struct sift_rebalance_opts o;
	struct sift_rebalance_stats st;
	struct sift_error err;

	(void)state;
	opts(&o, SIFT_REBALANCE_UNDER, 42);
	assert_int_equal(run_once(in, &o, r1, &st, &err), 0);
	sift_rebalance_stats_free(&st);
	assert_int_equal(run_once(in, &o, r2, &st, &err), 0);
	sift_rebalance_stats_free(&st);
	assert_int_equal(r1->n, r2->n);
	assert_memory_equal(r1->id, r2->id, r1->n * sizeof *r1->id);

	struct sift_reader *r =
		sift_reader_open(in, NULL, SIFT_READER_REWIND, &err);
	o.dry_run = 1;
	assert_int_equal(sift_rebalance_run(r, NULL, &o, &st, &err), 0);
	assert_int_equal(st.n_classes, 2);
	assert_int_equal(st.classes[0].before, 50);
	assert_int_equal(st.classes[0].after, 9);
	assert_int_equal(st.n_out, 18);
	sift_rebalance_stats_free(&st);
	sift_reader_close(r);
	free(r1);
	free(r2);
	unlink(in);
	free(in);
}

static void test_missing_column(void **state)
{
	char *in = two_classes(5, 5);
	struct result *res = malloc(sizeof *res);
	struct sift_rebalance_opts o;
	struct sift_rebalance_stats st;
	struct sift_error err;

	(void)state;
	opts(&o, SIFT_REBALANCE_UNDER, 1);
	o.by = "nope";
	assert_int_equal(run_once(in, &o, res, &st, &err), SIFT_EDATA);
	assert_non_null(strstr(err.msg, "no column 'nope'"));
	sift_rebalance_stats_free(&st);
	free(res);
	unlink(in);
	free(in);
}

/* One class over the whole input: a note names the column and the
 * value; two classes leave the note empty. */
static void test_one_class_noted(void **state)
{
	char *one = two_classes(6, 0), *two = two_classes(6, 2);
	struct result *res = malloc(sizeof *res);
	struct sift_rebalance_opts o;
	struct sift_rebalance_stats st;
	struct sift_error err;

	(void)state;
	opts(&o, SIFT_REBALANCE_WEIGHTS, 1);
	assert_int_equal(run_once(one, &o, res, &st, &err), 0);
	assert_string_equal(st.note, "by label: all 6 records have the "
				     "value 'a': a single class, nothing to "
				     "balance it against\n");
	assert_int_equal(res->n, 6);
	sift_rebalance_stats_free(&st);
	assert_int_equal(run_once(two, &o, res, &st, &err), 0);
	assert_string_equal(st.note, "");
	sift_rebalance_stats_free(&st);
	free(res);
	unlink(one);
	unlink(two);
	free(one);
	free(two);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_targets_defaults),
		cmocka_unit_test(test_targets_ratio),
		cmocka_unit_test(test_targets_listed),
		cmocka_unit_test(test_ratio_parse),
		cmocka_unit_test(test_extra_multinomial),
		cmocka_unit_test(test_extra_many_draws),
		cmocka_unit_test(test_under_uniform),
		cmocka_unit_test(test_over_uniform),
		cmocka_unit_test(test_weights),
		cmocka_unit_test(test_reproducible_and_dry),
		cmocka_unit_test(test_missing_column),
		cmocka_unit_test(test_one_class_noted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
