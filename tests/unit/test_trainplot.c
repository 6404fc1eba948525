/*
 * tests/unit/test_trainplot.c - lib/train_plot.c and sift_trainlog_plot:
 * the batches in bounded memory, the epochs and the kept one, the title,
 * the drawing, and a run read back from a training log as it was drawn
 * live.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sift/trainlog.h"
#include "sift/trainplot.h"
#include "testutil.h"

#define NEAR(a, b, tol) assert_true(fabs((a) - (b)) <= (tol))

static struct sift_trainplot *new_plot(void)
{
	struct sift_trainplot *p = malloc(sizeof *p);

	assert_non_null(p);
	sift_trainplot_init(p);
	return p;
}

static void free_plot(struct sift_trainplot *p)
{
	sift_trainplot_free(p);
	free(p);
}

static void add_epoch(struct sift_trainplot *p, unsigned round, unsigned e,
		      int valid, double f1)
{
	struct sift_epoch_stats st = { 0 };
	struct sift_error err;

	st.round = round;
	st.epoch = e;
	st.train_loss = 0.5;
	st.train_acc = 0.8;
	st.has_valid = valid;
	st.valid_loss = 0.4;
	st.valid_macro_f1 = f1;
	assert_int_equal(sift_trainplot_epoch(p, &st, &err), 0);
}

/* 10,000 batches fit in at most SIFT_TRAINPLOT_POINTS points, each the
 * mean of its span of batches: spans 1, 2, then 4 after 4096 and 8192
 * batches. */
static void test_bounded_points(void **state)
{
	struct sift_trainplot *p = new_plot();

	(void)state;
	for (int i = 0; i < 10000; i++)
		sift_trainplot_batch(p, i, i % 2);
	assert_int_equal(p->n_batch, 10000);
	assert_int_equal(p->span, 4);
	assert_int_equal(p->n_point, 2500);
	assert_int_equal(p->pend_n, 0);
	NEAR(p->point[0].loss, 1.5, 1e-12);
	NEAR(p->point[0].acc, 0.5, 1e-12);
	NEAR(p->point[2047].loss, 8189.5, 1e-9);
	NEAR(p->point[2499].loss, 9997.5, 1e-9);
	sift_trainplot_batch(p, 1, 1);
	assert_int_equal(p->pend_n, 1);
	assert_int_equal(p->n_point, 2500);
	free_plot(p);
}

/* The kept epoch is found in the last round only. */
static void test_keep(void **state)
{
	struct sift_trainplot *p = new_plot();

	(void)state;
	sift_trainplot_batch(p, 1, 1);
	add_epoch(p, 0, 1, 1, 0.5);
	sift_trainplot_batch(p, 1, 1);
	add_epoch(p, 0, 2, 1, 0.6);
	sift_trainplot_batch(p, 1, 1);
	add_epoch(p, 1, 1, 1, 0.7);
	assert_int_equal(p->epoch[1].batches_end, 2);
	sift_trainplot_keep(p, 1);
	assert_int_equal(p->kept, 3);
	sift_trainplot_keep(p, 2); /* epoch 2 is of round 0 only */
	assert_int_equal(p->kept, 0);
	free_plot(p);
}

static void test_title(void **state)
{
	struct sift_trainplot *p = new_plot();
	char *names[] = { "label", "output", "epochs", "log", "quiet" };
	char *values[] = { "y", "m.model", "30", "r.db", "" };

	(void)state;
	sift_trainplot_title(p, "seed 7;", "-", "m.model", 5, names, values);
	assert_string_equal(p->title, "m.model, trained on standard input");
	assert_string_equal(p->subtitle, "seed 7; --label y --epochs 30");
	sift_trainplot_title(p, NULL, "in.csv", NULL, 0, NULL, NULL);
	assert_string_equal(p->title, "trained on in.csv");
	assert_string_equal(p->subtitle, "the defaults");
	free_plot(p);
}

/* What sift_trainplot_svg drew, or NULL with *rc its error. */
static char *drawn(const struct sift_trainplot *p, int *rc)
{
	char *path = tmpfile_str(""), *buf = calloc(1, 1 << 20);
	struct sift_error err;
	struct sift_writer *w = sift_writer_open(path, &err);
	FILE *f;

	assert_non_null(w);
	assert_non_null(buf);
	*rc = sift_trainplot_svg(w, p, &err);
	assert_int_equal(sift_writer_close(w, &err), 0);
	f = fopen(path, "r");
	assert_non_null(f);
	(void)!fread(buf, 1, (1 << 20) - 1, f);
	fclose(f);
	unlink(path);
	free(path);
	if (*rc) {
		free(buf);
		return NULL;
	}
	return buf;
}

static void test_svg(void **state)
{
	struct sift_trainplot *p = new_plot();
	char *svg;
	int rc;

	(void)state;
	assert_null(drawn(p, &rc));
	assert_int_equal(rc, SIFT_EDATA);
	for (int e = 1; e <= 3; e++) {
		for (int b = 0; b < 50; b++)
			sift_trainplot_batch(p, 1.0 / (e + b), 0.5 + e / 10.0);
		add_epoch(p, 0, (unsigned)e, 1, 0.5 + e / 10.0);
	}
	sift_trainplot_keep(p, 2);
	sift_trainplot_title(p, NULL, "t.csv", "t.model", 0, NULL, NULL);
	svg = drawn(p, &rc);
	assert_int_equal(rc, 0);
	assert_non_null(
		strstr(svg, "<title>t.model, trained on t.csv</title>"));
	assert_non_null(strstr(svg, ">kept: epoch 2</text>"));
	assert_non_null(strstr(svg, ">validation macro-F1, per epoch</text>"));
	assert_non_null(strstr(svg, ">training loss, smoothed</text>"));
	assert_non_null(strstr(svg, ">accuracy, macro-F1</text>"));
	assert_non_null(strstr(svg, "</svg>\n"));
	free(svg);
	/* Without validation data the legend says nothing of it. */
	for (size_t i = 0; i < p->n_epoch; i++)
		p->epoch[i].has_valid = 0;
	svg = drawn(p, &rc);
	assert_int_equal(rc, 0);
	assert_null(strstr(svg, "validation"));
	assert_non_null(strstr(svg, ">accuracy</text>"));
	free(svg);
	free_plot(p);
}

/* A run logged batch by batch reads back as the same points, epochs
 * and kept epoch. */
static void test_from_log(void **state)
{
	char *db = tmpfile_str(""), *names[] = { "early-stop", "seed" },
	     *values[] = { "2", "5" };
	struct sift_train_result res;
	struct sift_trainplot *live = new_plot(), *back = new_plot();
	struct sift_trainlog *lg;
	struct sift_error err;

	(void)state;
	unlink(db);
	lg = sift_trainlog_open(db, "in.csv", "m.model", 2, names, values,
				&err);
	assert_non_null(lg);
	for (unsigned e = 1; e <= 3; e++) {
		struct sift_epoch_stats st = { 0 };

		for (uint64_t b = 1; b <= 20; b++) {
			double loss = 1.0 / (double)(e * b), acc = 0.5;

			assert_int_equal(sift_trainlog_batch(lg, 0, e, b, loss,
							     acc, &err),
					 0);
			sift_trainplot_batch(live, loss, acc);
		}
		st.epoch = e;
		st.train_loss = 0.3;
		st.train_acc = 0.7;
		st.has_valid = 1;
		st.valid_loss = 0.2 * e;
		st.valid_macro_f1 = 0.9 - 0.1 * e;
		assert_int_equal(sift_trainlog_epoch(lg, &st, &err), 0);
		assert_int_equal(sift_trainplot_epoch(live, &st, &err), 0);
	}
	memset(&res, 0, sizeof res);
	res.n_valid = 10;
	res.epochs_run = 3;
	res.best_epoch = 1;
	assert_int_equal(sift_trainlog_close(lg, 1, &res, NAN, &err), 0);
	assert_int_equal(sift_trainlog_plot(db, 0, back, &err), 0);
	assert_int_equal(back->n_batch, live->n_batch);
	assert_int_equal(back->n_point, live->n_point);
	for (size_t i = 0; i < live->n_point; i++)
		NEAR(back->point[i].loss, live->point[i].loss, 1e-15);
	assert_int_equal(back->n_epoch, 3);
	assert_int_equal(back->epoch[2].batches_end, 60);
	NEAR(back->epoch[1].valid_macro_f1, 0.7, 1e-15);
	assert_int_equal(back->kept, 1); /* early stopping: the best */
	assert_string_equal(back->title, "m.model, trained on in.csv");
	assert_non_null(strstr(back->subtitle, "--early-stop 2 --seed 5"));
	assert_non_null(strstr(back->subtitle, "run 1 of "));
	/* A run that is not there, a file that is not a log, no file. */
	sift_trainplot_free(back);
	sift_trainplot_init(back);
	assert_int_equal(sift_trainlog_plot(db, 2, back, &err), SIFT_EDATA);
	assert_non_null(strstr(err.msg, "no run 2 in the training log"));
	free_plot(back);
	free_plot(live);
	unlink(db);
	free(db);
}

static void test_log_bad_files(void **state)
{
	char *text = tmpfile_str("id,label\n1,a\n");
	struct sift_trainplot *p = new_plot();
	struct sift_error err;

	(void)state;
	assert_int_not_equal(sift_trainlog_plot(text, 0, p, &err), 0);
	assert_non_null(strstr(err.msg, text));
	assert_int_equal(sift_trainlog_plot("/nonexistent/run.db", 0, p, &err),
			 SIFT_EIO);
	assert_string_equal(err.msg,
			    "/nonexistent/run.db: No such file or directory");
	free_plot(p);
	unlink(text);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bounded_points),
		cmocka_unit_test(test_keep),
		cmocka_unit_test(test_title),
		cmocka_unit_test(test_svg),
		cmocka_unit_test(test_from_log),
		cmocka_unit_test(test_log_bad_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
