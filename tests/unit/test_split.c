/* Unit tests of lib/split.c: every record in exactly one part, exact part
 * sizes and class proportions, groups never straddling parts, uniform
 * assignment (chi-square over fixed seeds), the time cut. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sift/parse.h"
#include "sift/split.h"
#include "testutil.h"

enum { MAXREC = 2000, P = 3 };

/* Records: id, user (id % n_users), class (1 in 7 "r"), a date. */
static char *make_input(unsigned n, unsigned n_users)
{
	size_t cap = (size_t)n * 64 + 64, len = 0;
	char *csv = malloc(cap), *path;

	len += (size_t)snprintf(csv, cap, "id,user,cls,day\n");
	for (unsigned i = 0; i < n; i++)
		len += (size_t)snprintf(
			csv + len, cap - len, "%u,u%u,%s,2023-%02u-%02u\n", i,
			i % n_users, i % 7 ? "c" : "r", 1 + i % 12, 1 + i % 28);
	path = tmpfile_with(csv, len);
	free(csv);
	return path;
}

/* part[id] for each record; returns the records seen over all parts. */
static size_t run_split(const char *in, const struct sift_split_opts *o,
			int *part, struct sift_split_stats *st)
{
	char paths[P][32];
	struct sift_writer *w[P];
	struct sift_error err;
	struct sift_reader *r = sift_reader_open(
		in, NULL, sift_split_needs_rewind(o) ? SIFT_READER_REWIND : 0,
		&err);
	size_t total = 0;

	assert_non_null(r);
	for (size_t j = 0; j < o->n_parts; j++) {
		strcpy(paths[j], "/tmp/sift-unit-out-XXXXXX");
		close(mkstemp(paths[j]));
		w[j] = sift_writer_open(paths[j], &err);
	}
	if (sift_split_run(r, w, o, st, &err))
		fail_msg("%s", err.msg);
	sift_reader_close(r);
	for (size_t i = 0; i < MAXREC; i++)
		part[i] = -1;
	for (size_t j = 0; j < o->n_parts; j++) {
		const struct sift_record *rec;

		assert_int_equal(sift_writer_close(w[j], &err), 0);
		r = sift_reader_open(paths[j], NULL, 0, &err);
		assert_int_equal(sift_reader_ncols(r), 4); /* the header */
		while (sift_reader_next(r, &rec, &err) == 0 && rec) {
			const char *s;
			size_t len;
			double id;

			sift_reader_field(r, 0, &s, &len, &err);
			sift_parse_double(s, len, &id);
			assert_int_equal(part[(size_t)id], -1); /* once only */
			part[(size_t)id] = (int)j;
			total++;
		}
		assert_int_equal(sift_reader_count(r), st->part[j]);
		sift_reader_close(r);
		unlink(paths[j]);
	}
	return total;
}

static void opts3(struct sift_split_opts *o, uint64_t seed)
{
	struct sift_error err;

	sift_split_opts_init(o);
	assert_int_equal(sift_split_ratios_parse("0.8,0.1,0.1", o, &err), 0);
	o->seed = seed;
}

static void test_ratios_parse(void **state)
{
	struct sift_split_opts o;
	struct sift_error err;

	(void)state;
	sift_split_opts_init(&o);
	assert_int_equal(sift_split_ratios_parse("8,1,1", &o, &err), 0);
	assert_int_equal(o.n_parts, 3);
	assert_true(fabs(o.ratio[0] - 0.8) < 1e-15);
	assert_int_equal(sift_split_ratios_parse("1", &o, &err), SIFT_EUSAGE);
	assert_int_equal(sift_split_ratios_parse("0.5,0", &o, &err),
			 SIFT_EUSAGE);
	assert_int_equal(sift_split_ratios_parse("0.5,,0.5", &o, &err),
			 SIFT_EUSAGE);
	assert_int_equal(sift_split_ratios_parse("a,b", &o, &err), SIFT_EUSAGE);
	sift_split_opts_init(&o);
	o.way = SIFT_SPLIT_TIME;
	o.time.by_time = "day";
	o.time.cut = "01/02/2024";
	o.n_parts = 2;
	assert_int_equal(sift_split_check(&o, &err), SIFT_EUSAGE);
	assert_string_equal(err.msg, "cut: '01/02/2024' is not an ISO-8601 "
				     "date (YYYY-MM-DD, optionally with a "
				     "time)");
}

/* Exact sizes by largest remainder: 0.8, 0.1, 0.1 of 1001 records are
 * 801, 100, 100 (800.8 -> 801). */
static void test_exact_sizes(void **state)
{
	char *in = make_input(1001, 50);
	int part[MAXREC];
	struct sift_split_opts o;
	struct sift_split_stats st;

	(void)state;
	opts3(&o, 4);
	assert_int_equal(run_split(in, &o, part, &st), 1001);
	assert_int_equal(st.part[0], 801);
	assert_int_equal(st.part[1], 100);
	assert_int_equal(st.part[2], 100);
	sift_split_stats_free(&st);
	unlink(in);
	free(in);
}

/* Every record equally likely to land in each part (chi-square of how
 * often each of 40 records lands in part 0, over 1000 seeds). */
static void test_exact_uniform(void **state)
{
	enum { N = 40, SEEDS = 1000 };
	char *in = make_input(N, 5);
	int part[MAXREC];
	double obs[N] = { 0 }, exp_[N];
	struct sift_split_opts o;
	struct sift_split_stats st;
	struct sift_error err;

	(void)state;
	sift_split_opts_init(&o);
	assert_int_equal(sift_split_ratios_parse("0.25,0.75", &o, &err), 0);
	for (uint64_t seed = 0; seed < SEEDS; seed++) {
		o.seed = seed;
		run_split(in, &o, part, &st);
		assert_int_equal(st.part[0], 10);
		for (size_t i = 0; i < N; i++)
			obs[i] += part[i] == 0;
		sift_split_stats_free(&st);
	}
	for (size_t i = 0; i < N; i++)
		exp_[i] = SEEDS * 0.25;
	assert_true(chi2_stat(obs, exp_, N) < chi2_crit(N - 1));
	unlink(in);
	free(in);
}

/* --stratify: each class split by the ratios exactly (up to rounding). */
static void test_stratified(void **state)
{
	char *in = make_input(1400, 50); /* 200 "r", 1200 "c" */
	int part[MAXREC];
	struct sift_split_opts o;
	struct sift_split_stats st;

	(void)state;
	opts3(&o, 9);
	o.ratios.stratify = "cls";
	run_split(in, &o, part, &st);
	assert_int_equal(st.n_classes, 2);
	for (size_t h = 0; h < 2; h++) {
		const struct sift_split_class *c = &st.classes[h];
		uint64_t n = c->total;

		assert_int_equal(c->part[0] + c->part[1] + c->part[2], n);
		assert_int_equal(c->part[1], n / 10);
		assert_int_equal(c->part[2], n / 10);
	}
	assert_true(st.max_dev_pp < 1e-9);
	/* The records of class r, by id, agree with the counts. */
	unsigned r_in[P] = { 0 };
	for (unsigned i = 0; i < 1400; i++)
		if (i % 7 == 0)
			r_in[part[i]]++;
	assert_int_equal(r_in[0], 160);
	assert_int_equal(r_in[1], 20);
	sift_split_stats_free(&st);
	unlink(in);
	free(in);
}

/* --stratify on a column of one value: a note names it, and the split
 * is still exact; a column of two values gives no note. */
static void test_stratify_one_value(void **state)
{
	char *two = make_input(14, 3); /* "r" for ids 0 and 7 */
	char *one = tmpfile_str("id,user,cls,day\n0,u,c,d\n1,u,c,d\n"
				"2,u,c,d\n3,u,c,d\n");
	int part[MAXREC];
	struct sift_split_opts o;
	struct sift_split_stats st;

	(void)state;
	opts3(&o, 9);
	o.ratios.stratify = "cls";
	assert_int_equal(run_split(two, &o, part, &st), 14);
	assert_string_equal(st.note, "");
	sift_split_stats_free(&st);
	assert_int_equal(run_split(one, &o, part, &st), 4);
	assert_string_equal(st.note, "stratify cls: all 4 records have the "
				     "value 'c': a single class, nothing to "
				     "keep in proportion\n");
	sift_split_stats_free(&st);
	unlink(two);
	unlink(one);
	free(two);
	free(one);
}

/* --group: no group in two parts; the parts near the ratios; a group
 * keeps its part when more data comes (a bigger file, same users). */
static void test_group(void **state)
{
	enum { N = 1800, USERS = 600 };
	char *in = make_input(N, USERS);
	char *more = make_input(MAXREC - 1, USERS + 100);
	int part[MAXREC], part2[MAXREC], of_user[USERS + 100];
	struct sift_split_opts o;
	struct sift_split_stats st;

	(void)state;
	opts3(&o, 0);
	o.ratios.group = "user";
	o.ratios.stratify = "cls";
	run_split(in, &o, part, &st);
	for (size_t u = 0; u < USERS; u++)
		of_user[u] = -1;
	for (unsigned i = 0; i < N; i++) {
		unsigned u = i % USERS;

		if (of_user[u] < 0)
			of_user[u] = part[i];
		assert_int_equal(part[i], of_user[u]);
	}
	/* Users per part: chi-square against 0.8, 0.1, 0.1 of 600. */
	double obs[P] = { 0 }, exp_[P] = { 480, 60, 60 };
	for (size_t u = 0; u < USERS; u++)
		obs[of_user[u]]++;
	assert_true(chi2_stat(obs, exp_, P) < chi2_crit(P - 1));
	assert_true(st.max_dev_pp > 0); /* reported, not forced to 0 */
	sift_split_stats_free(&st);
	run_split(more, &o, part2, &st);
	for (unsigned i = 0; i < MAXREC - 1; i++) {
		unsigned u = i % (USERS + 100);

		if (u < USERS)
			assert_int_equal(part2[i], of_user[u]);
	}
	sift_split_stats_free(&st);
	unlink(in);
	free(in);
	unlink(more);
	free(more);
}

static void test_time_cut(void **state)
{
	char *in = make_input(300, 10);
	int part[MAXREC];
	struct sift_split_opts o;
	struct sift_split_stats st;

	(void)state;
	sift_split_opts_init(&o);
	o.way = SIFT_SPLIT_TIME;
	o.time.by_time = "day";
	o.time.cut = "2023-07-01";
	o.n_parts = 2;
	run_split(in, &o, part, &st);
	for (unsigned i = 0; i < 300; i++)
		assert_int_equal(part[i], 1 + i % 12 >= 7);
	sift_split_stats_free(&st);
	unlink(in);
	free(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ratios_parse),
		cmocka_unit_test(test_exact_sizes),
		cmocka_unit_test(test_exact_uniform),
		cmocka_unit_test(test_stratified),
		cmocka_unit_test(test_stratify_one_value),
		cmocka_unit_test(test_group),
		cmocka_unit_test(test_time_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
