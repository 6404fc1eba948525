/* Unit tests of lib/rebalance_smote.c and of -m smote in lib/rebalance.c: exact
 * neighbours, the draws, and the segment property: every synthetic point
 * lies between its base record and one of that record's k nearest
 * neighbours of the same class. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sift/parse.h"
#include "sift/rebalance.h"
#include "sift/smote.h"
#include "testutil.h"

static void test_neighbours_line(void **state)
{
	/* 0, 1, 2, 3, 10 on a line; 1.5 away from 0.5 twice: a tie. */
	const double x[] = { 0, 1, 2, 3, 10 };
	size_t nn[5 * 2];

	(void)state;
	assert_int_equal(sift_smote_neighbours(x, 5, 1, 2, nn), 0);
	assert_int_equal(nn[0], 1);
	assert_int_equal(nn[1], 2);
	assert_int_equal(nn[2 * 1 + 0], 0); /* 1: 0 and 2 tie; 0 first */
	assert_int_equal(nn[2 * 1 + 1], 2);
	assert_int_equal(nn[2 * 4 + 0], 3);
	assert_int_equal(nn[2 * 4 + 1], 2);
}

/* Brute force against a plain O(n^2 log n) reference on random points. */
static void test_neighbours_random(void **state)
{
	enum { N = 60, D = 3, K = 5 };
	double x[N * D];
	size_t nn[N * K];
	struct sift_rng rng;

	(void)state;
	sift_rng_seed(&rng, 3);
	for (size_t i = 0; i < N * D; i++)
		x[i] = sift_rng_uniform(&rng);
	assert_int_equal(sift_smote_neighbours(x, N, D, K, nn), 0);
	for (size_t i = 0; i < N; i++) {
		double kth = 0;

		for (size_t j = 0; j < K; j++) {
			double d = 0;

			assert_true(nn[i * K + j] != i);
			for (size_t t = 0; t < D; t++)
				d += pow(x[i * D + t] -
						 x[nn[i * K + j] * D + t],
					 2);
			assert_true(d >= kth);
			kth = d;
		}
		/* No other point is nearer than the k-th. */
		size_t nearer = 0;
		for (size_t c = 0; c < N; c++) {
			double d = 0;

			for (size_t t = 0; t < D; t++)
				d += pow(x[i * D + t] - x[c * D + t], 2);
			nearer += c != i && d < kth;
		}
		assert_true(nearer < K);
	}
}

static void test_point(void **state)
{
	const double a[] = { 1, 10 }, b[] = { 3, 0 };
	double out[2];

	(void)state;
	sift_smote_point(a, b, 2, 0.25, out);
	assert_true(out[0] == 1.5 && out[1] == 7.5);
	sift_smote_point(a, b, 2, 0, out);
	assert_true(out[0] == 1 && out[1] == 10);
}

static void test_plan(void **state)
{
	enum { N = 8, K = 3, M = 500 };
	double x[N];
	size_t nn[N * K];
	struct sift_smote_draw dr[M];
	struct sift_rng rng;
	double obs[N] = { 0 }, exp_[N];

	(void)state;
	for (size_t i = 0; i < N; i++)
		x[i] = (double)(i * i);
	sift_smote_neighbours(x, N, 1, K, nn);
	sift_rng_seed(&rng, 5);
	assert_int_equal(sift_smote_plan(&rng, N, K, nn, dr, M), 0);
	for (size_t i = 0; i < M; i++) {
		int found = 0;

		if (i)
			assert_true(dr[i].base >= dr[i - 1].base);
		for (size_t j = 0; j < K; j++)
			found |= nn[dr[i].base * K + j] == dr[i].neighbour;
		assert_true(found);
		assert_true(dr[i].u >= 0 && dr[i].u < 1);
		obs[dr[i].base]++;
	}
	for (size_t i = 0; i < N; i++)
		exp_[i] = (double)M / N;
	assert_true(chi2_stat(obs, exp_, N) < chi2_crit(N - 1));
}

/* ---- through sift_rebalance_run -------------------------------------- */

enum { NA = 200, NB = 23, D = 3, K = 4 };

struct row {
	unsigned id;
	char cls;
	double f[D];
	int synthetic;
};

static char *make_input(double pts[][D])
{
	size_t cap = (NA + NB) * 128 + 64, len = 0;
	char *csv = malloc(cap), *path;
	struct sift_rng rng;

	sift_rng_seed(&rng, 11);
	len += (size_t)snprintf(csv, cap, "id,f1,label,f2,note,f3\n");
	for (unsigned i = 0; i < NA + NB; i++) {
		for (int t = 0; t < D; t++)
			pts[i][t] = sift_rng_uniform(&rng) * 10 - 5;
		len += (size_t)snprintf(csv + len, cap - len,
					"%u,%.17g,%c,%.17g,\"x, y\",%.17g\n", i,
					pts[i][0], i < NA ? 'a' : 'b',
					pts[i][1], pts[i][2]);
	}
	path = tmpfile_with(csv, len);
	free(csv);
	return path;
}

static size_t read_rows(const char *path, struct row *rows, size_t cap)
{
	struct sift_error err;
	struct sift_reader *r = sift_reader_open(path, NULL, 0, &err);
	const struct sift_record *rec;
	const size_t fcol[D] = { 1, 3, 5 };
	size_t n = 0;

	assert_non_null(r);
	assert_int_equal(sift_reader_ncols(r), 7);
	assert_string_equal(sift_reader_colname(r, 6), "synthetic");
	while (sift_reader_next(r, &rec, &err) == 0 && rec && n < cap) {
		const char *s;
		size_t len;
		double v;

		sift_reader_field(r, 0, &s, &len, &err);
		sift_parse_double(s, len, &v);
		rows[n].id = (unsigned)v;
		sift_reader_field(r, 2, &s, &len, &err);
		rows[n].cls = s[0];
		for (int t = 0; t < D; t++) {
			sift_reader_field(r, fcol[t], &s, &len, &err);
			assert_int_equal(
				sift_parse_double(s, len, &rows[n].f[t]), 0);
		}
		sift_reader_field(r, 4, &s, &len, &err);
		assert_int_equal(len, 4); /* the quoted "x, y" kept */
		sift_reader_field(r, 6, &s, &len, &err);
		rows[n].synthetic = s[0] == '1';
		n++;
	}
	sift_reader_close(r);
	return n;
}

/* Is p on the segment from a to b, p = a + u (b - a), 0 <= u <= 1? */
static int on_segment(const double *a, const double *b, const double *p)
{
	size_t big = 0;

	for (size_t t = 1; t < D; t++)
		if (fabs(b[t] - a[t]) > fabs(b[big] - a[big]))
			big = t;
	if (fabs(b[big] - a[big]) < 1e-12)
		return fabs(p[0] - a[0]) < 1e-9;
	double u = (p[big] - a[big]) / (b[big] - a[big]);
	if (u < -1e-12 || u > 1 + 1e-12)
		return 0;
	for (size_t t = 0; t < D; t++)
		if (fabs(a[t] + u * (b[t] - a[t]) - p[t]) > 1e-9)
			return 0;
	return 1;
}

static void test_segment_property(void **state)
{
	static double pts[NA + NB][D];
	static struct row rows[2 * NA + 10];
	char *in = make_input(pts);
	char out[] = "/tmp/sift-unit-out-XXXXXX";
	int fd = mkstemp(out);
	struct sift_error err;
	struct sift_rebalance_opts o;
	struct sift_rebalance_stats st;
	size_t nn[NB * K];

	(void)state;
	close(fd);
	sift_rebalance_opts_init(&o);
	o.method = SIFT_REBALANCE_SMOTE;
	o.by = "label";
	o.features = "f1,f2,f3";
	o.k = K;
	o.seed = 8;
	struct sift_reader *r =
		sift_reader_open(in, NULL, SIFT_READER_REWIND, &err);
	struct sift_writer *w = sift_writer_open(out, &err);
	if (sift_rebalance_run(r, w, &o, &st, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(sift_writer_close(w, &err), 0);
	sift_reader_close(r);
	assert_int_equal(st.classes[1].after, NA);
	sift_rebalance_stats_free(&st);

	size_t n = read_rows(out, rows, 2 * NA + 10), n_syn = 0;
	assert_int_equal(n, 2 * NA);
	/* The reference neighbours of class b, computed here. */
	double xb[NB * D];
	for (size_t i = 0; i < NB; i++)
		memcpy(xb + i * D, pts[NA + i], sizeof pts[0]);
	sift_smote_neighbours(xb, NB, D, K, nn);
	for (size_t i = 0; i < n; i++) {
		if (!rows[i].synthetic) {
			assert_true(i < NA + NB); /* real rows come first */
			continue;
		}
		n_syn++;
		assert_int_equal(rows[i].cls, 'b');
		size_t base = rows[i].id - NA;
		int ok = 0;
		for (size_t j = 0; j < K && !ok; j++)
			ok = on_segment(pts[NA + base],
					xb + nn[base * K + j] * D, rows[i].f);
		assert_true(ok);
	}
	assert_int_equal(n_syn, NA - NB);
	unlink(out);
	unlink(in);
	free(in);
}

static void test_too_few_records(void **state)
{
	char *in = tmpfile_str("f,label\n1,a\n2,a\n3,a\n4,a\n5,b\n6,b\n");
	struct sift_error err;
	struct sift_rebalance_opts o;
	struct sift_rebalance_stats st;

	(void)state;
	sift_rebalance_opts_init(&o);
	o.method = SIFT_REBALANCE_SMOTE;
	o.by = "label";
	o.features = "f";
	o.k = 2;
	o.dry_run = 1;
	struct sift_reader *r =
		sift_reader_open(in, NULL, SIFT_READER_REWIND, &err);
	assert_int_equal(sift_rebalance_run(r, NULL, &o, &st, &err),
			 SIFT_EDATA);
	assert_non_null(strstr(err.msg, ": class 'b' has 2 records: method "
					"smote with k 2 needs at least 3 in "
					"a class it grows"));
	sift_rebalance_stats_free(&st);
	sift_reader_close(r);
	unlink(in);
	free(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_neighbours_line),
		cmocka_unit_test(test_neighbours_random),
		cmocka_unit_test(test_point),
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_segment_property),
		cmocka_unit_test(test_too_few_records),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
