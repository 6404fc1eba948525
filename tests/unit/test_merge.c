/* Unit tests of lib/sample_merge.c with lib/sample_partial.c: partials of
 * shards merge into a sample whose design weights add up to every record of
 * every shard; a partial without its trailer, with rows lost, or merged twice
 * is refused, and so is a total other than the one expected. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sift/parse.h"
#include "sift/sample.h"
#include "testutil.h"

enum { SHARDS = 3, PER_SHARD = 40 };

/* A shard of PER_SHARD records, ids from first. */
static char *shard_csv(unsigned first)
{
	char csv[PER_SHARD * 32 + 32];
	size_t len = (size_t)snprintf(csv, sizeof csv, "id,class\n");

	for (unsigned i = first; i < first + PER_SHARD; i++)
		len += (size_t)snprintf(csv + len, sizeof csv - len, "%u,%s\n",
					i, i % 3 ? "a" : "b");
	return tmpfile_with(csv, len);
}

/* The partial of one shard, written to a new temporary file. */
static char *partial(const char *in, const char *shard, const char *by)
{
	struct sift_sample_opts o;
	struct sift_sample_stats st;
	struct sift_error err;
	char *out = tmpfile_str("");
	struct sift_reader *r = sift_reader_open(in, NULL, 0, &err);
	struct sift_writer *w = sift_writer_open(out, &err);

	sift_sample_opts_init(&o, by ? SIFT_SAMPLE_STRATIFIED
				     : SIFT_SAMPLE_RESERVOIR);
	if (by) {
		o.stratified.by = by;
		o.stratified.n = 9;
	} else {
		o.reservoir.n = 9;
	}
	o.seed = 4;
	o.partial = 1;
	o.shard = shard;
	if (sift_sample_run(r, w, &o, &st, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(sift_writer_close(w, &err), 0);
	sift_sample_stats_free(&st);
	sift_reader_close(r);
	return out;
}

/* Merge the files; returns the status, the weights' sum in *sum. */
static int merge(char **paths, size_t n, const struct sift_merge_opts *o,
		 double *sum, struct sift_sample_stats *st,
		 struct sift_error *err)
{
	struct sift_reader *r[8];
	char *out = tmpfile_str("");
	struct sift_writer *w = sift_writer_open(out, err);
	const struct sift_record *rec;
	int rc;

	for (size_t i = 0; i < n; i++)
		assert_non_null(
			r[i] = sift_reader_open(paths[i], NULL, 0, err));
	rc = sift_sample_merge(r, n, w, o, st, err);
	for (size_t i = 0; i < n; i++)
		sift_reader_close(r[i]);
	if (rc) {
		sift_writer_discard(w);
		unlink(out);
		free(out);
		return rc;
	}
	assert_int_equal(sift_writer_close(w, err), 0);
	struct sift_reader *back = sift_reader_open(out, NULL, 0, err);
	*sum = 0;
	while (sift_reader_next(back, &rec, err) == 0 && rec) {
		const char *s;
		size_t len;
		double x = 0;

		sift_reader_field(back, 2, &s, &len, err);
		assert_int_equal(sift_parse_double(s, len, &x), 0);
		*sum += x;
	}
	sift_reader_close(back);
	unlink(out);
	free(out);
	return 0;
}

struct fixture {
	char *in[SHARDS];
	char *part[SHARDS];
};

static void make_shards(struct fixture *f, const char *by)
{
	for (size_t j = 0; j < SHARDS; j++) {
		char id[8];

		snprintf(id, sizeof id, "%zu", j + 1);
		f->in[j] = shard_csv(1 + (unsigned)j * PER_SHARD);
		f->part[j] = partial(f->in[j], id, by);
	}
}

static void free_shards(struct fixture *f)
{
	for (size_t j = 0; j < SHARDS; j++) {
		unlink(f->in[j]);
		unlink(f->part[j]);
		free(f->in[j]);
		free(f->part[j]);
	}
}

static void weights_count_every_record(void **state)
{
	const char *by[] = { NULL, "class" };
	struct sift_merge_opts o;
	struct sift_sample_stats st;
	struct sift_error err;
	double sum;

	(void)state;
	for (size_t m = 0; m < 2; m++) {
		struct fixture f;

		make_shards(&f, by[m]);
		sift_merge_opts_init(&o);
		o.emit_weight = "w";
		o.expect_records = SHARDS * PER_SHARD;
		o.have_expect = 1;
		assert_int_equal(merge(f.part, SHARDS, &o, &sum, &st, &err), 0);
		assert_true(fabs(sum - SHARDS * PER_SHARD) < 1e-9);
		assert_int_equal(st.n_in, SHARDS * PER_SHARD);
		assert_int_equal(st.n_partials, SHARDS);
		assert_int_equal(st.n_out, 9);
		sift_sample_stats_free(&st);
		free_shards(&f);
	}
}

/* Rewrite path without its last line, or without line `drop` (1-based). */
static void drop_line(const char *path, int drop)
{
	char buf[8192], *lines[64];
	FILE *f = fopen(path, "r");
	size_t n = 0;

	while (n < 64 && fgets(buf, sizeof buf, f))
		lines[n++] = strdup(buf);
	fclose(f);
	f = fopen(path, "w");
	for (size_t i = 0; i < n; i++) {
		if ((drop < 0 && i + 1 == n) || (int)i + 1 == drop)
			continue;
		fputs(lines[i], f);
	}
	fclose(f);
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
}

static void refuses_partials_not_whole(void **state)
{
	struct sift_merge_opts o;
	struct sift_sample_stats st;
	struct sift_error err;
	struct fixture f;
	double sum;

	(void)state;
	sift_merge_opts_init(&o);
	make_shards(&f, NULL);
	drop_line(f.part[1], -1); /* the trailer */
	assert_int_equal(merge(f.part, SHARDS, &o, &sum, &st, &err),
			 SIFT_EDATA);
	assert_non_null(strstr(err.msg, ":10: the partial sample of line 1 "
					"ends without its trailer (after 9 "
					"rows)"));
	free_shards(&f);

	make_shards(&f, NULL);
	drop_line(f.part[2], 3); /* a row */
	assert_int_equal(merge(f.part, SHARDS, &o, &sum, &st, &err),
			 SIFT_EDATA);
	assert_non_null(strstr(err.msg, "the trailer of shard '3' counts 9 "
					"rows, but its partial holds 8"));
	free_shards(&f);
}

static void refuses_a_shard_twice_and_a_wrong_total(void **state)
{
	struct sift_merge_opts o;
	struct sift_sample_stats st;
	struct sift_error err;
	struct fixture f;
	double sum;

	(void)state;
	sift_merge_opts_init(&o);
	make_shards(&f, NULL);
	char *twice[] = { f.part[0], f.part[1], f.part[0] };
	assert_int_equal(merge(twice, 3, &o, &sum, &st, &err), SIFT_EDATA);
	assert_non_null(strstr(err.msg, "shard '1' again"));
	o.expect_records = SHARDS * PER_SHARD + 1;
	o.have_expect = 1;
	assert_int_equal(merge(f.part, SHARDS, &o, &sum, &st, &err),
			 SIFT_EDATA);
	assert_string_equal(err.msg, "expect_records 121: the 3 partials "
				     "hold 120 records (a shard is missing)");
	free_shards(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(weights_count_every_record),
		cmocka_unit_test(refuses_partials_not_whole),
		cmocka_unit_test(refuses_a_shard_twice_and_a_wrong_total),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
