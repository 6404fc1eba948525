/* Unit tests of lib/sample_*.c (through sift_sample_run): each method's
 * selection and design weights, checked statistically over many fixed seeds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sift/parse.h"
#include "sift/sample.h"
#include "testutil.h"

enum { MAXN = 256 };

/* The records kept by one run: their ids (column 1, numbered from 1)
 * and the value of the last column (the design weight, if emitted). */
struct result {
	size_t n;
	unsigned id[4 * MAXN];
	double weight[4 * MAXN];
};

static void run_once(const char *input, const struct sift_sample_opts *o,
		     struct result *res)
{
	struct sift_error err;
	struct sift_sample_stats st = { 0 };
	char out[] = "/tmp/sift-unit-out-XXXXXX";
	int fd = mkstemp(out);
	struct sift_reader *r = sift_reader_open(
		input, NULL,
		sift_sample_needs_rewind(o) ? SIFT_READER_REWIND : 0, &err);
	struct sift_writer *w = sift_writer_open(out, &err);
	const struct sift_record *rec;

	close(fd);
	assert_non_null(r);
	assert_non_null(w);
	if (sift_sample_run(r, w, o, &st, &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(sift_writer_close(w, &err), 0);
	sift_sample_stats_free(&st);
	sift_reader_close(r);

	r = sift_reader_open(out, NULL, 0, &err);
	res->n = 0;
	while (sift_reader_next(r, &rec, &err) == 0 && rec) {
		const char *s;
		size_t len;
		double x = NAN;

		assert_true(res->n < 4 * MAXN);
		sift_reader_field(r, 0, &s, &len, &err);
		sift_parse_double(s, len, &x);
		res->id[res->n] = isnan(x) ? 0 : (unsigned)x; /* a trailer */
		sift_reader_field(r, sift_reader_ncols(r) - 1, &s, &len, &err);
		x = NAN;
		sift_parse_double(s, len, &x);
		res->weight[res->n++] = x;
	}
	sift_reader_close(r);
	unlink(out);
}

/* A CSV of n records: id, class (1 in 5 "rare"), w = a weight. */
static char *numbered(unsigned n, double (*weight)(unsigned))
{
	size_t cap = (size_t)n * 64 + 64, len = 0;
	char *csv = malloc(cap), *path;

	len += (size_t)snprintf(csv, cap, "id,class,w\n");
	for (unsigned i = 1; i <= n; i++)
		len += (size_t)snprintf(csv + len, cap - len, "%u,%s,%.17g\n",
					i, i % 5 == 0 ? "rare" : "common",
					weight ? weight(i) : 1.0);
	path = tmpfile_with(csv, len);
	free(csv);
	return path;
}

static void reservoir_is_uniform(void **state)
{
	enum { N = 100, n = 10, T = 2000 };
	char *in = numbered(N, NULL);
	double obs[N] = { 0 }, exp_[N];
	struct sift_sample_opts o;
	struct result res;

	(void)state;
	sift_sample_opts_init(&o, SIFT_SAMPLE_RESERVOIR);
	o.reservoir.n = n;
	o.emit_weight = "dw";
	for (unsigned seed = 0; seed < T; seed++) {
		o.seed = seed;
		run_once(in, &o, &res);
		assert_int_equal(res.n, n);
		for (size_t i = 0; i < res.n; i++) {
			obs[res.id[i] - 1]++;
			assert_true(res.weight[i] == 10.0);
			if (i)
				assert_true(res.id[i] > res.id[i - 1]);
		}
	}
	for (int i = 0; i < N; i++)
		exp_[i] = (double)T * n / N;
	assert_true(chi2_stat(obs, exp_, N) < chi2_crit(N - 1));
	unlink(in);
	free(in);
}

static void bernoulli_is_uniform_with_probability_p(void **state)
{
	enum { N = 100, T = 2000 };
	char *in = numbered(N, NULL);
	double obs[N] = { 0 }, x2 = 0, total = 0;
	struct sift_sample_opts o;
	struct result res;

	(void)state;
	sift_sample_opts_init(&o, SIFT_SAMPLE_BERNOULLI);
	o.bernoulli.p = 0.2;
	for (unsigned seed = 0; seed < T; seed++) {
		o.seed = seed;
		run_once(in, &o, &res);
		for (size_t i = 0; i < res.n; i++)
			obs[res.id[i] - 1]++;
		total += (double)res.n;
	}
	/* Each record's count is Binomial(T, p): sum of squared z-scores
	 * is chi-square with N degrees of freedom. */
	for (int i = 0; i < N; i++) {
		double d = obs[i] - T * 0.2;

		x2 += d * d / (T * 0.2 * 0.8);
	}
	assert_true(x2 < chi2_crit(N));
	assert_true(fabs(total / T - 20) < 4 * sqrt(100 * 0.16 / T));
	unlink(in);
	free(in);
}

static void systematic_takes_every_kth_from_a_uniform_start(void **state)
{
	char *in = numbered(50, NULL);
	double obs[7] = { 0 }, exp_[7];
	struct sift_sample_opts o;
	struct result res;

	(void)state;
	sift_sample_opts_init(&o, SIFT_SAMPLE_SYSTEMATIC);
	o.systematic.every = 7;
	for (unsigned seed = 0; seed < 7000; seed++) {
		o.seed = seed;
		run_once(in, &o, &res);
		assert_true(res.n == 7 || res.n == 8);
		for (size_t i = 1; i < res.n; i++)
			assert_int_equal(res.id[i], res.id[0] + 7 * i);
		obs[res.id[0] - 1]++;
	}
	for (int i = 0; i < 7; i++)
		exp_[i] = 1000;
	assert_true(chi2_stat(obs, exp_, 7) < chi2_crit(6));
	unlink(in);
	free(in);
}

static void stratified_meets_its_allocation_exactly(void **state)
{
	enum { N = 100, T = 2000 };
	char *in = numbered(N, NULL); /* 80 common, 20 rare */
	double obs[N] = { 0 }, exp_[80], o80[80];
	struct sift_sample_opts o;
	struct result res;

	(void)state;
	sift_sample_opts_init(&o, SIFT_SAMPLE_STRATIFIED);
	o.stratified.by = "class";
	o.stratified.n = 10;
	o.stratified.min = 4;
	o.emit_weight = "dw";
	for (unsigned seed = 0; seed < T; seed++) {
		size_t rare = 0;

		o.seed = seed;
		run_once(in, &o, &res);
		assert_int_equal(res.n, 10);
		for (size_t i = 0; i < res.n; i++) {
			int is_rare = res.id[i] % 5 == 0;

			rare += is_rare;
			obs[res.id[i] - 1]++;
			assert_true(res.weight[i] ==
				    (is_rare ? 5.0 : 80.0 / 6));
		}
		/* proportional would give 2; the floor raises it to 4 */
		assert_int_equal(rare, 4);
	}
	/* Within a stratum, every record is equally likely. */
	for (int i = 0, k = 0; i < N; i++)
		if ((i + 1) % 5 != 0) {
			o80[k] = obs[i];
			exp_[k++] = T * 6.0 / 80;
		}
	assert_true(chi2_stat(o80, exp_, 80) < chi2_crit(79));
	unlink(in);
	free(in);
}

/* Successive-sampling inclusion probabilities of 2 from 6 weights. */
static double pps2(const double *w, int N, int i)
{
	double W = 0, pi;

	for (int j = 0; j < N; j++)
		W += w[j];
	pi = w[i] / W;
	for (int j = 0; j < N; j++)
		if (j != i)
			pi += w[j] / W * w[i] / (W - w[j]);
	return pi;
}

static double linear(unsigned i)
{
	return (double)i;
}

static void weighted_keeps_its_inclusion_probabilities(void **state)
{
	enum { N = 6, T = 20000 };
	const double w[N] = { 1, 2, 3, 4, 5, 6 };
	char *in = numbered(N, linear);
	double obs[N] = { 0 }, sum_w = 0, sum_w2 = 0;
	struct sift_sample_opts o;
	struct result res;

	(void)state;
	sift_sample_opts_init(&o, SIFT_SAMPLE_WEIGHTED);
	o.weighted.weight = "w";
	o.weighted.n = 2;
	o.emit_weight = "dw";
	for (unsigned seed = 0; seed < T; seed++) {
		double total = 0;

		o.seed = seed;
		run_once(in, &o, &res);
		assert_int_equal(res.n, 2);
		for (size_t i = 0; i < res.n; i++) {
			obs[res.id[i] - 1]++;
			total += res.weight[i];
		}
		sum_w += total;
		sum_w2 += total * total;
	}
	for (int i = 0; i < N; i++) {
		double pi = pps2(w, N, i), sd = sqrt(T * pi * (1 - pi));

		if (fabs(obs[i] - T * pi) > 4.5 * sd)
			fail_msg("record %d: %g kept, %g expected", i + 1,
				 obs[i], T * pi);
	}
	/* The design weights are unbiased: their sum estimates N. */
	double mean = sum_w / T, se = sqrt((sum_w2 / T - mean * mean) / T);
	if (fabs(mean - N) > 4 * se)
		fail_msg("sum of weights %g, expected %d (se %g)", mean, N, se);
	unlink(in);
	free(in);
}

static void weighted_with_replacement_draws_proportionally(void **state)
{
	enum { N = 5, T = 4000, n = 10 };
	char *in = numbered(N, linear); /* weights 1..5, W = 15 */
	double obs[N] = { 0 }, exp_[N], sum_w = 0, sum_w2 = 0;
	struct sift_sample_opts o;
	struct result res;

	(void)state;
	sift_sample_opts_init(&o, SIFT_SAMPLE_WEIGHTED);
	o.weighted.weight = "w";
	o.weighted.n = n;
	o.weighted.replace = 1;
	o.emit_weight = "dw";
	for (unsigned seed = 0; seed < T; seed++) {
		double total = 0;

		o.seed = seed;
		run_once(in, &o, &res);
		assert_int_equal(res.n, n);
		for (size_t i = 0; i < res.n; i++) {
			obs[res.id[i] - 1]++;
			total += res.weight[i];
			assert_true(fabs(res.weight[i] -
					 15.0 / (n * res.id[i])) < 1e-12);
		}
		sum_w += total;
		sum_w2 += total * total;
	}
	for (int i = 0; i < N; i++)
		exp_[i] = (double)T * n * (i + 1) / 15.0;
	assert_true(chi2_stat(obs, exp_, N) < chi2_crit(N - 1));
	double mean = sum_w / T, se = sqrt((sum_w2 / T - mean * mean) / T);
	assert_true(fabs(mean - N) < 4 * se);
	unlink(in);
	free(in);
}

static double heavy(unsigned i)
{
	return 1.0 + (double)((i * 37) % 11) * (double)((i * 37) % 11);
}

/* The importance weights make the weighted count of the rare class an
 * unbiased estimate of its count (20 of 100), with -n and with -p. */
static void importance_estimates_are_unbiased(void **state)
{
	enum { N = 100, T = 3000 };
	char *in = numbered(N, heavy);
	struct sift_sample_opts o;
	struct result res;

	(void)state;
	for (int poisson = 0; poisson < 2; poisson++) {
		double sum = 0, sum2 = 0;

		sift_sample_opts_init(&o, SIFT_SAMPLE_IMPORTANCE);
		o.importance.weight = "w";
		o.emit_weight = "iw";
		o.importance.by_rate = poisson;
		o.importance.rate = 0.01;
		o.importance.n = 15;
		for (unsigned seed = 0; seed < T; seed++) {
			double est = 0;

			o.seed = seed;
			run_once(in, &o, &res);
			for (size_t i = 0; i < res.n; i++)
				if (res.id[i] % 5 == 0)
					est += res.weight[i];
			sum += est;
			sum2 += est * est;
		}
		double mean = sum / T;
		double se = sqrt((sum2 / T - mean * mean) / T);
		if (fabs(mean - 20) > 4 * se)
			fail_msg("%s: estimate %g of 20 (se %g)",
				 poisson ? "poisson" : "priority", mean, se);
	}
	unlink(in);
	free(in);
}

static void design_weights_estimate_the_rare_count(void **state)
{
	enum { N = 200, T = 1500 };
	char *in = numbered(N, NULL); /* 40 rare */
	struct sift_sample_opts o;
	struct result res;
	const enum sift_sample_method methods[] = { SIFT_SAMPLE_RESERVOIR,
						    SIFT_SAMPLE_BERNOULLI,
						    SIFT_SAMPLE_SYSTEMATIC };

	(void)state;
	for (size_t m = 0; m < 3; m++) {
		double sum = 0, sum2 = 0;

		sift_sample_opts_init(&o, methods[m]);
		o.emit_weight = "dw";
		if (methods[m] == SIFT_SAMPLE_RESERVOIR)
			o.reservoir.n = 20;
		else if (methods[m] == SIFT_SAMPLE_BERNOULLI)
			o.bernoulli.p = 0.1;
		else
			o.systematic.every = 9;
		for (unsigned seed = 0; seed < T; seed++) {
			double est = 0;

			o.seed = seed;
			run_once(in, &o, &res);
			for (size_t i = 0; i < res.n; i++)
				if (res.id[i] % 5 == 0)
					est += res.weight[i];
			sum += est;
			sum2 += est * est;
		}
		double mean = sum / T;
		double se = sqrt((sum2 / T - mean * mean) / T);
		if (fabs(mean - 40) > 4 * se + 1e-9)
			fail_msg("%s: estimate %g of 40 (se %g)",
				 sift_sample_method_name(methods[m]), mean, se);
	}
	unlink(in);
	free(in);
}

/* The library's checks name the field at fault, in its own words. */
static void checks_name_the_field_at_fault(void **state)
{
	struct sift_sample_opts o;
	struct sift_error err;

	(void)state;
	sift_sample_opts_init(&o, SIFT_SAMPLE_BERNOULLI);
	o.bernoulli.p = 1.5;
	assert_int_equal(sift_sample_check(&o, &err), SIFT_EUSAGE);
	assert_string_equal(err.msg,
			    "bernoulli.p: 1.5 is not a probability in [0, 1]");
	sift_sample_opts_init(&o, SIFT_SAMPLE_STRATIFIED);
	assert_int_equal(sift_sample_check(&o, &err), SIFT_EUSAGE);
	assert_string_equal(err.msg, "stratified.by is not set");
	o.stratified.by = "x";
	o.stratified.size = SIFT_STRATA_EACH;
	o.stratified.min = 2;
	assert_int_equal(sift_sample_check(&o, &err), SIFT_EUSAGE);
	assert_non_null(strstr(err.msg, "stratified.min:"));
	sift_sample_opts_init(&o, SIFT_SAMPLE_SYSTEMATIC);
	assert_int_equal(sift_sample_check(&o, &err), SIFT_EUSAGE);
	assert_non_null(strstr(err.msg, "systematic.every:"));
	sift_sample_opts_init(&o, SIFT_SAMPLE_QUOTA);
	o.quota.by = "x";
	o.emit_weight = "w";
	assert_int_equal(sift_sample_check(&o, &err), SIFT_EUSAGE);
	assert_non_null(strstr(err.msg, "not a probability sample"));
	sift_sample_opts_init(&o, SIFT_SAMPLE_BERNOULLI);
	o.partial = 1;
	o.shard = "a";
	assert_int_equal(sift_sample_check(&o, &err), SIFT_EUSAGE);
	assert_string_equal(err.msg,
			    "partial: bernoulli sampling cannot be merged");
	sift_sample_opts_init(&o, SIFT_SAMPLE_WEIGHTED);
	o.weighted.weight = "w";
	o.weighted.replace = 1;
	o.partial = 1;
	o.shard = "a";
	assert_int_equal(sift_sample_check(&o, &err), SIFT_EUSAGE);
	assert_string_equal(err.msg, "partial: weighted sampling with "
				     "replacement cannot be merged");
	sift_sample_opts_init(&o, SIFT_SAMPLE_UNCERTAINTY);
	o.uncertainty.mix = -0.5;
	assert_int_equal(sift_sample_check(&o, &err), SIFT_EUSAGE);
	assert_non_null(strstr(err.msg, "uncertainty.mix:"));
	assert_int_equal(
		sift_sample_check(
			&(struct sift_sample_opts){
				.method = (enum sift_sample_method)99 },
			&err),
		SIFT_EUSAGE);
	assert_int_equal(sift_sample_method_parse("srs"),
			 SIFT_SAMPLE_RESERVOIR);
	assert_int_equal(sift_sample_method_parse("nope"), -1);
}

/* Each method's defaults. */
static void defaults_of_each_method(void **state)
{
	struct sift_sample_opts o;

	(void)state;
	sift_sample_opts_init(&o, SIFT_SAMPLE_SNOWBALL);
	assert_int_equal(o.snowball.waves, 1);
	sift_sample_opts_init(&o, SIFT_SAMPLE_JUDGMENT);
	assert_true(o.judgment.n == SIFT_SAMPLE_ALL);
	sift_sample_opts_init(&o, SIFT_SAMPLE_UNCERTAINTY);
	assert_int_equal(o.uncertainty.measure, SIFT_LEAST_CONFIDENCE);
	sift_sample_opts_init(&o, SIFT_SAMPLE_STRATIFIED);
	assert_int_equal(o.stratified.size, SIFT_STRATA_SHARED);
	assert_int_equal(o.stratified.allocation, SIFT_ALLOC_PROPORTIONAL);
	assert_int_equal(o.method, SIFT_SAMPLE_STRATIFIED);
	assert_null(o.emit_weight);
}

/* --partial: the keys come from the seed and the shard's identity, so
 * two shards of the same bytes keep different records. */
static void partial_keys_depend_on_the_shard(void **state)
{
	char *in = numbered(100, NULL);
	struct sift_sample_opts o;
	struct sift_error err;
	struct result a, b, again;

	(void)state;
	sift_sample_opts_init(&o, SIFT_SAMPLE_RESERVOIR);
	o.reservoir.n = 10;
	o.partial = 1;
	o.seed = 7;
	assert_int_equal(sift_sample_check(&o, &err), SIFT_EUSAGE);
	assert_string_equal(err.msg, "partial: the shard's identity (shard) "
				     "is not set; with the seed it draws the "
				     "keys");
	o.shard = "1";
	run_once(in, &o, &a);
	run_once(in, &o, &again);
	o.shard = "2";
	run_once(in, &o, &b);
	assert_int_equal(a.n, 11); /* and the trailer */
	assert_int_equal(b.n, 11);
	assert_memory_equal(a.id, again.id, sizeof a.id[0] * 10);
	assert_memory_not_equal(a.id, b.id, sizeof a.id[0] * 10);
	unlink(in);
	free(in);
}

static void uncertainty_measures_by_hand(void **state)
{
	const double a[3] = { 0.5, 0.3, 0.2 }, b[3] = { 0.8, 0.1, 0.1 };

	(void)state;
	assert_true(fabs(sift_uncertainty_score(SIFT_LEAST_CONFIDENCE, a, 3) -
			 0.5) < 1e-12);
	assert_true(fabs(sift_uncertainty_score(SIFT_MARGIN, a, 3) - 0.8) <
		    1e-12);
	/* -(.5 ln .5 + .3 ln .3 + .2 ln .2) = 1.029653 */
	assert_true(fabs(sift_uncertainty_score(SIFT_ENTROPY, a, 3) -
			 1.0296530) < 1e-6);
	assert_true(fabs(sift_uncertainty_score(SIFT_ENTROPY, b, 3) -
			 0.6390319) < 1e-6);
	assert_int_equal(sift_uncertainty_parse("margin"), SIFT_MARGIN);
	assert_int_equal(sift_uncertainty_parse("nope"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reservoir_is_uniform),
		cmocka_unit_test(bernoulli_is_uniform_with_probability_p),
		cmocka_unit_test(
			systematic_takes_every_kth_from_a_uniform_start),
		cmocka_unit_test(stratified_meets_its_allocation_exactly),
		cmocka_unit_test(weighted_keeps_its_inclusion_probabilities),
		cmocka_unit_test(
			weighted_with_replacement_draws_proportionally),
		cmocka_unit_test(importance_estimates_are_unbiased),
		cmocka_unit_test(design_weights_estimate_the_rare_count),
		cmocka_unit_test(checks_name_the_field_at_fault),
		cmocka_unit_test(defaults_of_each_method),
		cmocka_unit_test(uncertainty_measures_by_hand),
		cmocka_unit_test(partial_keys_depend_on_the_shard),
	};

	return cmocka_run_group_tests_name("sample", tests, NULL, NULL);
}
