/* Unit tests of lib/predict.c: every record comes out byte for byte with
 * pred and the p_ columns appended, in the reader's dialect; the
 * prediction is the model's decision at the threshold asked; a record
 * the model's features cannot read is an error naming its line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sift/model.h"
#include "sift/predict.h"
#include "sift/rng.h"
#include "testutil.h"

/* A linear model of two classes over the text column and the number x. */
static void make_model(struct sift_model *m)
{
	struct sift_error err;
	struct sift_rng rng;

	sift_model_init(m);
	m->spec.bits = 8;
	m->kind = SIFT_MODEL_LINEAR;
	m->label = strdup("label");
	assert_int_equal(sift_feat_spec_add(&m->spec, 't', "text", &err), 0);
	assert_int_equal(sift_feat_spec_add(&m->spec, 'n', "x", &err), 0);
	m->spec.mean[0] = 0;
	m->spec.sd[0] = 1;
	assert_int_equal(sift_model_add_class(m, "no", &err), 0);
	assert_int_equal(sift_model_add_class(m, "yes", &err), 0);
	m->has_threshold = 1;
	m->threshold = 0.5;
	m->positive = 1;
	assert_int_equal(sift_model_alloc(m, &err), 0);
	sift_rng_seed(&rng, 3);
	for (size_t i = 0; i < m->n_w; i++)
		m->w[i] = (float)(sift_rng_uniform(&rng) - 0.5);
}

/* Run sift_predict_run on input; the output's bytes, or NULL on error
 * (with *rc and err set). */
static char *predict(const char *input, const struct sift_csv_opts *csv,
		     const struct sift_predict_opts *o, int *rc,
		     struct sift_error *err)
{
	struct sift_model m;
	char out[] = "/tmp/sift-unit-out-XXXXXX";
	int fd = mkstemp(out);
	char *in = tmpfile_str(input);
	struct sift_reader *r = sift_reader_open(in, csv, 0, err);
	struct sift_writer *w = sift_writer_open(out, err);
	char *text = NULL;

	close(fd);
	assert_non_null(r);
	assert_non_null(w);
	make_model(&m);
	*rc = sift_predict_run(r, w, &m, o, err);
	if (*rc == 0) {
		FILE *f;
		long n;

		assert_int_equal(sift_writer_close(w, err), 0);
		f = fopen(out, "rb");
		assert_non_null(f);
		fseek(f, 0, SEEK_END);
		n = ftell(f);
		rewind(f);
		text = calloc((size_t)n + 1, 1);
		assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
		fclose(f);
	} else {
		sift_writer_discard(w);
	}
	sift_reader_close(r);
	sift_model_free(&m);
	unlink(in);
	unlink(out);
	free(in);
	return text;
}

static const char input[] = "text,x\r\n"
			    "\"a field, quoted\nover two lines\",1.5\r\n"
			    "plain words,-2\r\n"
			    "\"\",0\r\n";

static void records_pass_through(void **state)
{
	struct sift_predict_opts o;
	struct sift_error err;
	int rc;

	(void)state;
	sift_predict_opts_init(&o);
	char *out = predict(input, NULL, &o, &rc, &err);
	assert_non_null(out);
	/* the header with its CRLF, then each record's bytes as read */
	assert_memory_equal(out, "text,x,pred,p_no,p_yes\r\n", 24);
	assert_non_null(strstr(out, "\r\n\"a field, quoted\nover two "
				    "lines\",1.5,"));
	assert_non_null(strstr(out, "\r\nplain words,-2,"));
	assert_non_null(strstr(out, "\r\n\"\",0,"));
	free(out);
}

/* pred is "yes" exactly when p_yes >= the threshold; the probabilities
 * add up to 1. */
static void check_decisions(const char *out, double threshold)
{
	const char *line = strchr(out, '\n') + 1;
	int rows = 0;

	for (; *line; line = strchr(line, '\n') + 1) {
		const char *end = strchr(line, '\r');
		const char *pred = end;
		double p_no, p_yes;

		/* pred,p_no,p_yes are the last three fields */
		for (int commas = 0; commas < 3; pred--)
			commas += pred[-1] == ',';
		assert_int_equal(sscanf(strchr(pred + 1, ',') + 1, "%lf,%lf",
					&p_no, &p_yes),
				 2);
		assert_true(p_no + p_yes > 1 - 1e-6 && p_no + p_yes < 1 + 1e-6);
		if (p_yes >= threshold)
			assert_memory_equal(pred + 1, "yes,", 4);
		else
			assert_memory_equal(pred + 1, "no,", 3);
		rows++;
		line = end;
	}
	assert_int_equal(rows, 3);
}

static void threshold_decides(void **state)
{
	struct sift_predict_opts o;
	struct sift_error err;
	const double thresholds[] = { -1, 0, 0.25, 0.5, 0.75, 1 };
	int rc;

	(void)state;
	for (size_t i = 0; i < sizeof thresholds / sizeof *thresholds; i++) {
		sift_predict_opts_init(&o);
		o.threshold = thresholds[i];
		char *out = predict(input, NULL, &o, &rc, &err);
		assert_non_null(out);
		/* -1: the model's own, 0.5 */
		check_decisions(out, thresholds[i] < 0 ? 0.5 : thresholds[i]);
		free(out);
	}
}

static void without_probabilities(void **state)
{
	struct sift_predict_opts o;
	struct sift_error err;
	int rc;

	(void)state;
	sift_predict_opts_init(&o);
	o.proba = 0;
	char *out = predict("text,x\nsome words,1\n", NULL, &o, &rc, &err);
	assert_non_null(out);
	assert_memory_equal(out, "text,x,pred\nsome words,1,", 25);
	assert_null(strstr(out, "p_"));
	free(out);
}

/* TSV in, TSV out: the appended fields are tab-separated. */
static void in_the_readers_dialect(void **state)
{
	struct sift_predict_opts o;
	struct sift_csv_opts csv;
	struct sift_error err;
	int rc;

	(void)state;
	sift_csv_opts_init(&csv);
	csv.delim = '\t';
	csv.quoting = SIFT_QUOTING_NONE;
	sift_predict_opts_init(&o);
	char *out =
		predict("text\tx\n\"quoted\" words\t1\n", &csv, &o, &rc, &err);
	assert_non_null(out);
	assert_memory_equal(
		out, "text\tx\tpred\tp_no\tp_yes\n\"quoted\" words\t1\t", 40);
	free(out);
}

static void unreadable_features(void **state)
{
	struct sift_predict_opts o;
	struct sift_error err;
	int rc;

	(void)state;
	sift_predict_opts_init(&o);
	/* x is not a number on line 3 */
	char *out = predict("text,x\na,1\nb,many\n", NULL, &o, &rc, &err);
	assert_null(out);
	assert_int_equal(rc, SIFT_EDATA);
	assert_non_null(strstr(err.msg, ":3:"));
	/* no column x at all */
	out = predict("text,y\na,1\n", NULL, &o, &rc, &err);
	assert_null(out);
	assert_int_not_equal(rc, 0);
	assert_non_null(strstr(err.msg, "'x'"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(records_pass_through),
		cmocka_unit_test(threshold_decides),
		cmocka_unit_test(without_probabilities),
		cmocka_unit_test(in_the_readers_dialect),
		cmocka_unit_test(unreadable_features),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
