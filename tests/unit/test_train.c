/* Unit tests of lib/train.c: separable data is learned perfectly (both
 * models), class weights move the boundary the way they should, the
 * same seed gives the same model bytes, choosing l2 keeps the best
 * penalty's run, the diagnostics fire, and --cost takes sift metrics'
 * spec. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sift/train.h"
#include "testutil.h"

/* n records: label a for "good ...", b for "bad ...". */
static char *separable(int n)
{
	static char buf[1 << 16];
	size_t k = (size_t)snprintf(buf, sizeof buf, "text,label\n");

	for (int i = 0; i < n; i++)
		k += (size_t)snprintf(buf + k, sizeof buf - k, "%s w%d,%s\n",
				      i % 2 ? "good" : "bad", i % 7,
				      i % 2 ? "a" : "b");
	return tmpfile_str(buf);
}

/* Train on path's text column into m (2^12 buckets), with hooks h or
 * none; an error's message is printed. */
static int train_hooked(const char *path, struct sift_train_opts *o,
			const struct sift_train_hooks *h, struct sift_model *m,
			struct sift_train_result *res)
{
	struct sift_error err;
	struct sift_reader *r = sift_reader_open(path, NULL, 0, &err);
	int rc;

	assert_non_null(r);
	sift_model_init(m);
	m->spec.bits = 12;
	sift_feat_spec_add(&m->spec, 't', "text", &err);
	rc = sift_train(r, o, h, m, res, &err);
	if (rc)
		print_message("%s\n", err.msg);
	sift_reader_close(r);
	return rc;
}

static int train_file(const char *path, struct sift_train_opts *o,
		      struct sift_model *m, struct sift_train_result *res)
{
	return train_hooked(path, o, NULL, m, res);
}

static double proba_of(const struct sift_model *m, const char *text, size_t cls)
{
	struct sift_feat_vec v;
	double p[8], h[64];

	sift_feat_vec_init(&v);
	assert_int_equal(
		sift_features_text(&m->spec, 0, text, strlen(text), &v), 0);
	for (size_t j = 0; j < v.n; j++)
		v.val[j] = (float)(1 / sqrt((double)v.n));
	sift_model_proba(m, v.idx, v.val, v.n, h, p);
	sift_feat_vec_free(&v);
	return p[cls];
}

static void separable_learned(unsigned hidden)
{
	struct sift_train_opts o;
	struct sift_model m;
	struct sift_train_result res;
	char *path = separable(400);

	sift_train_opts_init(&o);
	o.label = "label";
	o.seed = 1;
	o.hidden = hidden;
	assert_int_equal(train_file(path, &o, &m, &res), 0);
	assert_int_equal(m.n_classes, 2);
	assert_string_equal(m.classes[0], "a");
	assert_true(res.report_on_valid);
	assert_float_equal(res.report.value[SIFT_FIG_MACRO_F], 1.0, 0);
	assert_true(proba_of(&m, "good w3", 0) > 0.9);
	assert_true(proba_of(&m, "bad w3", 1) > 0.9);
	sift_train_result_free(&res);
	sift_model_free(&m);
	unlink(path);
	free(path);
}

static void test_separable_linear(void **state)
{
	(void)state;
	separable_learned(0);
}

static void test_separable_mlp(void **state)
{
	(void)state;
	separable_learned(8);
}

/* One text, 70% a and 30% b: P(b) is about 0.3 unweighted, and above
 * 0.5 when b weighs 4 times as much (0.3 * 4 / (0.7 + 1.2) = 0.63). */
static void test_class_weights_move_boundary(void **state)
{
	char buf[8192];
	size_t k = (size_t)snprintf(buf, sizeof buf, "text,label\n");
	struct sift_train_opts o;
	struct sift_model m;
	struct sift_train_result res;
	char *path;
	double p_plain, p_weighted, p_balanced;

	(void)state;
	for (int i = 0; i < 200; i++)
		k += (size_t)snprintf(buf + k, sizeof buf - k, "same,%s\n",
				      i % 10 < 7 ? "a" : "b");
	path = tmpfile_str(buf);
	sift_train_opts_init(&o);
	o.label = "label";
	o.seed = 2;
	o.holdout = 0;
	o.epochs = 30;
	assert_int_equal(train_file(path, &o, &m, &res), 0);
	p_plain = proba_of(&m, "same", 1);
	sift_train_result_free(&res);
	sift_model_free(&m);
	o.class_weight = SIFT_CW_LIST;
	o.class_weights = "b=4";
	assert_int_equal(train_file(path, &o, &m, &res), 0);
	p_weighted = proba_of(&m, "same", 1);
	sift_train_result_free(&res);
	sift_model_free(&m);
	o.class_weight = SIFT_CW_BALANCED;
	assert_int_equal(train_file(path, &o, &m, &res), 0);
	p_balanced = proba_of(&m, "same", 1);
	assert_float_equal(res.class_weight[1], 200.0 / (2 * 60), 1e-12);
	sift_train_result_free(&res);
	sift_model_free(&m);
	assert_float_equal(p_plain, 0.3, 0.05);
	assert_float_equal(p_weighted, 1.2 / 1.9, 0.05);
	assert_float_equal(p_balanced, 0.5, 0.05);
	unlink(path);
	free(path);
}

static char *model_bytes(const char *data, uint64_t seed, unsigned hidden,
			 size_t *n)
{
	struct sift_train_opts o;
	struct sift_model m;
	struct sift_train_result res;
	struct sift_error err;
	char *out = tmpfile_str("");
	static char bytes[2][1 << 20];
	static int which;
	FILE *f;

	sift_train_opts_init(&o);
	o.label = "label";
	o.seed = seed;
	o.hidden = hidden;
	assert_int_equal(train_file(data, &o, &m, &res), 0);
	assert_int_equal(sift_model_save(&m, out, &err), 0);
	f = fopen(out, "rb");
	which = !which;
	*n = fread(bytes[which], 1, sizeof bytes[which], f);
	fclose(f);
	unlink(out);
	free(out);
	sift_train_result_free(&res);
	sift_model_free(&m);
	return bytes[which];
}

static void test_seeded_identical(void **state)
{
	char *path = separable(300);
	size_t na, nb;

	(void)state;
	for (unsigned hidden = 0; hidden <= 4; hidden += 4) {
		char *a = model_bytes(path, 7, hidden, &na);
		char *b = model_bytes(path, 7, hidden, &nb);
		char *seven = malloc(na);

		assert_int_equal(na, nb);
		assert_memory_equal(a, b, na);
		/* model_bytes keeps two models: the third call overwrites a */
		assert_non_null(seven);
		memcpy(seven, a, na);
		b = model_bytes(path, 8, hidden, &nb);
		assert_true(na != nb || memcmp(seven, b, na) != 0);
		free(seven);
	}
	unlink(path);
	free(path);
}

static void test_diagnostics(void **state)
{
	char buf[8192];
	size_t k = (size_t)snprintf(buf, sizeof buf, "text,label\n");
	struct sift_train_opts o;
	struct sift_model m;
	struct sift_train_result res;
	char *path;

	(void)state;
	/* 3 of 300 are b, indistinguishable: one class predicted, too few
	 * b, an empty text column. */
	for (int i = 0; i < 300; i++)
		k += (size_t)snprintf(buf + k, sizeof buf - k, ",%s\n",
				      i % 100 ? "a" : "b");
	path = tmpfile_str(buf);
	sift_train_opts_init(&o);
	o.label = "label";
	o.holdout = 0;
	assert_int_equal(train_file(path, &o, &m, &res), 0);
	assert_non_null(strstr(res.diagnostics, "predicts one class only"));
	assert_non_null(strstr(res.diagnostics, "class_weight balanced"));
	assert_non_null(strstr(res.diagnostics, "class 'b' has only 3"));
	assert_non_null(strstr(res.diagnostics, "'text' yielded no tokens"));
	sift_train_result_free(&res);
	sift_model_free(&m);
	unlink(path);
	free(path);
}

/* n records of separable(n), each with weight w. */
static char *separable_weighted(int n, const char *w)
{
	static char buf[1 << 16];
	size_t k = (size_t)snprintf(buf, sizeof buf, "text,label,w\n");

	for (int i = 0; i < n; i++)
		k += (size_t)snprintf(buf + k, sizeof buf - k, "%s w%d,%s,%s\n",
				      i % 2 ? "good" : "bad", i % 7,
				      i % 2 ? "a" : "b", w);
	return tmpfile_str(buf);
}

/* -w divides the weights by their mean over the training records:
 * weights that are all 3 train the very model of weights 1, and the
 * notes say so. */
static void test_weights_normalised(void **state)
{
	char *plain = separable(300), *three = separable_weighted(300, "3");
	struct sift_train_opts o;
	struct sift_model a, b;
	struct sift_train_result ra, rb;

	(void)state;
	sift_train_opts_init(&o);
	o.label = "label";
	o.seed = 5;
	assert_int_equal(train_file(plain, &o, &a, &ra), 0);
	o.weight = "w";
	assert_int_equal(train_file(three, &o, &b, &rb), 0);
	assert_int_equal(a.n_w, b.n_w);
	assert_memory_equal(a.w, b.w, a.n_w * sizeof *a.w);
	assert_null(strstr(ra.notes, "normalised"));
	assert_non_null(strstr(rb.notes, "weights normalised: mean 1 over "
					 "270 training records (raw mean "
					 "3)\n"));
	sift_train_result_free(&ra);
	sift_train_result_free(&rb);
	sift_model_free(&a);
	sift_model_free(&b);
	unlink(plain);
	unlink(three);
	free(plain);
	free(three);
}

static void test_zero_weights_are_an_error(void **state)
{
	char *path = separable_weighted(40, "0");
	struct sift_train_opts o;
	struct sift_model m;
	struct sift_train_result res;
	struct sift_error err;
	struct sift_reader *r = sift_reader_open(path, NULL, 0, &err);

	(void)state;
	sift_train_opts_init(&o);
	o.label = "label";
	o.weight = "w";
	sift_model_init(&m);
	sift_feat_spec_add(&m.spec, 't', "text", &err);
	assert_int_equal(sift_train(r, &o, NULL, &m, &res, &err), SIFT_EDATA);
	assert_non_null(strstr(err.msg, ": column 'w': the weights of the 36 "
					"training records are all 0: there is "
					"nothing to learn from"));
	sift_train_result_free(&res);
	sift_model_free(&m);
	sift_reader_close(r);
	unlink(path);
	free(path);
}

/* 600 records of two words drawn from 40, labeled b when the first
 * word is below w10, with one label in six flipped: data a sound step
 * learns smoothly and a huge one overshoots on. */
static char *noisy(void)
{
	static char buf[1 << 16];
	size_t k = (size_t)snprintf(buf, sizeof buf, "text,label\n");
	uint32_t x = 12345;

	for (int i = 0; i < 600; i++) {
		unsigned a, b;

		x = x * 1103515245u + 12345u;
		a = (x >> 16) % 40;
		x = x * 1103515245u + 12345u;
		b = (x >> 16) % 40;
		k += (size_t)snprintf(buf + k, sizeof buf - k, "w%u w%u,%s\n",
				      a, b,
				      (a < 10) != (i % 6 == 0) ? "b" : "a");
	}
	return tmpfile_str(buf);
}

/* Choosing l2 keeps the run of the grid's best validation score (the
 * larger penalty on a tie), and that run is the one l2 = that penalty
 * gives; the default chooses too. With no validation data, choosing is
 * a usage error, and the default is l2 as given. */
static void test_l2_auto(void **state)
{
	struct sift_train_opts o;
	struct sift_model ma, mf;
	struct sift_train_result ra, rf;
	char *path = noisy();
	unsigned best = 0;

	(void)state;
	sift_train_opts_init(&o);
	o.label = "label";
	o.seed = 5;
	o.holdout = 0.3;
	o.l2_mode = SIFT_L2_CHOOSE;
	assert_int_equal(train_file(path, &o, &ma, &ra), 0);
	assert_true(ra.l2_chose);
	for (unsigned i = 1; i < SIFT_TRAIN_L2_GRID; i++)
		if (ra.l2_score[i] >= ra.l2_score[best])
			best = i;
	assert_int_equal(ra.l2_chosen, best);
	/* the penalty matters here: the weakest and the strongest differ */
	assert_true(ra.l2_score[0] != ra.l2_score[SIFT_TRAIN_L2_GRID - 1]);
	assert_true(ra.l2_score[best] > 0.5);
	o.l2_mode = SIFT_L2_FIXED;
	o.l2 = sift_train_l2_grid[best];
	assert_int_equal(train_file(path, &o, &mf, &rf), 0);
	assert_false(rf.l2_chose);
	assert_int_equal(ma.n_w, mf.n_w);
	assert_memory_equal(ma.w, mf.w, ma.n_w * sizeof *ma.w);
	assert_float_equal(ra.report.value[SIFT_FIG_MACRO_F],
			   rf.report.value[SIFT_FIG_MACRO_F], 0);
	sift_train_result_free(&rf);
	sift_model_free(&mf);

	/* the default chooses the same, from the same scores */
	o.l2_mode = SIFT_L2_DEFAULT;
	o.l2 = 1e-6;
	assert_int_equal(train_file(path, &o, &mf, &rf), 0);
	assert_true(rf.l2_chose);
	assert_int_equal(rf.l2_chosen, ra.l2_chosen);
	assert_memory_equal(rf.l2_score, ra.l2_score, sizeof ra.l2_score);
	assert_memory_equal(ma.w, mf.w, ma.n_w * sizeof *ma.w);
	sift_train_result_free(&ra);
	sift_train_result_free(&rf);
	sift_model_free(&ma);
	sift_model_free(&mf);

	o.l2_mode = SIFT_L2_CHOOSE;
	o.holdout = 0;
	assert_int_equal(train_file(path, &o, &ma, &ra), SIFT_EUSAGE);
	sift_train_result_free(&ra);
	sift_model_free(&ma);
	/* the default, with no validation data: l2 as given */
	o.l2_mode = SIFT_L2_DEFAULT;
	assert_int_equal(train_file(path, &o, &ma, &ra), 0);
	assert_false(ra.l2_chose);
	sift_train_result_free(&ra);
	sift_model_free(&ma);
	unlink(path);
	free(path);
}

/* What the epoch hook saw, and how many batches the batch hook did. */
struct seen {
	struct sift_epoch_stats ep[64];
	unsigned n_ep;
	uint64_t n_batches;
};

static void seen_batch(void *ctx, unsigned round, unsigned epoch,
		       uint64_t batch, uint64_t n_batches, double loss,
		       double acc)
{
	struct seen *s = ctx;

	(void)round, (void)epoch, (void)batch, (void)n_batches;
	(void)loss, (void)acc;
	s->n_batches++;
}

static void seen_epoch(void *ctx, const struct sift_epoch_stats *st)
{
	struct seen *s = ctx;

	if (s->n_ep < 64)
		s->ep[s->n_ep++] = *st;
}

/* Without a batch hook the grid's best run is kept, not run again: the
 * model, the result and the epochs the hook sees are those of the run
 * again (which a batch hook asks for), early stopping included. */
static void test_l2_kept_equals_rerun(void **state)
{
	char *path = noisy();
	struct sift_train_opts o;
	struct sift_model ma, mb;
	struct sift_train_result ra, rb;
	static struct seen sa, sb;
	struct sift_train_hooks ha = { &sa, seen_batch, seen_epoch };
	struct sift_train_hooks hb = { &sb, NULL, seen_epoch };

	(void)state;
	for (unsigned early = 0; early <= 2; early += 2) {
		memset(&sa, 0, sizeof sa);
		memset(&sb, 0, sizeof sb);
		sift_train_opts_init(&o);
		o.label = "label";
		o.seed = 3;
		o.holdout = 0.3;
		o.epochs = 12;
		o.early_stop = early;
		assert_int_equal(train_hooked(path, &o, &ha, &ma, &ra), 0);
		assert_int_equal(train_hooked(path, &o, &hb, &mb, &rb), 0);
		assert_true(ra.l2_chose);
		assert_true(sa.n_batches > 0);
		assert_int_equal(sb.n_batches, 0);
		assert_int_equal(ra.l2_chosen, rb.l2_chosen);
		assert_memory_equal(ma.w, mb.w, ma.n_w * sizeof *ma.w);
		assert_int_equal(ra.epochs_run, rb.epochs_run);
		assert_int_equal(ra.best_epoch, rb.best_epoch);
		assert_int_equal(ra.anneal_first, rb.anneal_first);
		assert_string_equal(ra.notes, rb.notes);
		assert_string_equal(ra.diagnostics, rb.diagnostics);
		assert_int_equal(sa.n_ep, ra.epochs_run);
		assert_int_equal(sb.n_ep, sa.n_ep);
		for (unsigned e = 0; e < sa.n_ep; e++) {
			assert_int_equal(sa.ep[e].epoch, sb.ep[e].epoch);
			assert_int_equal(sa.ep[e].best, sb.ep[e].best);
			assert_float_equal(sa.ep[e].train_loss,
					   sb.ep[e].train_loss, 0);
			assert_float_equal(sa.ep[e].valid_loss,
					   sb.ep[e].valid_loss, 0);
		}
		if (early)
			assert_true(ra.anneal_first > 0);
		sift_train_result_free(&ra);
		sift_train_result_free(&rb);
		sift_model_free(&ma);
		sift_model_free(&mb);
	}
	unlink(path);
	free(path);
}

static void test_unstable_validation_loss(void **state)
{
	char *path = noisy();
	struct sift_train_opts o;
	struct sift_model m;
	struct sift_train_result res;

	(void)state;
	sift_train_opts_init(&o);
	o.label = "label";
	o.seed = 1;
	o.epochs = 8;
	/* 600 noisy records: the default rate's early steps overshoot here
	 * (a jump of 39% at epoch 3), half of it does not */
	o.lr = sift_train_default_lr(0) / 2;
	assert_int_equal(train_file(path, &o, &m, &res), 0);
	assert_null(strstr(res.diagnostics, "unstable"));
	sift_train_result_free(&res);
	sift_model_free(&m);
	o.lr = 1000;
	o.l2_mode = SIFT_L2_FIXED;
	assert_int_equal(train_file(path, &o, &m, &res), 0);
	assert_non_null(strstr(res.diagnostics, "the validation loss is "
						"unstable: it rose by "));
	assert_non_null(strstr(res.diagnostics, "the learning rate 1000 is too "
						"high, try lr 100\n"));
	sift_train_result_free(&res);
	sift_model_free(&m);
	unlink(path);
	free(path);
}

static void test_one_class_is_an_error(void **state)
{
	struct sift_train_opts o;
	struct sift_model m;
	struct sift_train_result res;
	struct sift_error err;
	char *path = tmpfile_str("text,label\nx,a\ny,a\nz,\n");
	struct sift_reader *r = sift_reader_open(path, NULL, 0, &err);

	(void)state;
	sift_train_opts_init(&o);
	o.label = "label";
	sift_model_init(&m);
	sift_feat_spec_add(&m.spec, 't', "text", &err);
	assert_int_equal(sift_train(r, &o, NULL, &m, &res, &err), SIFT_EDATA);
	assert_non_null(strstr(err.msg, "has 1 class among 3 records"));
	sift_train_result_free(&res);
	sift_model_free(&m);
	sift_reader_close(r);
	unlink(path);
	free(path);
}

/* --cost: sift metrics' spec, narrowed to the two errors. */
static void cost_spec(void **state)
{
	struct sift_train_opts o;
	struct sift_error err = { 0, "" };

	(void)state;
	sift_train_opts_init(&o);
	assert_int_equal(sift_train_parse_cost("fp=3", &o, &err), 0);
	assert_float_equal(o.cost_fn, 1, 0); /* not given: kept */
	assert_float_equal(o.cost_fp, 3, 0);
	assert_int_equal(sift_train_parse_cost("FN=10,Fp=0", &o, &err), 0);
	assert_float_equal(o.cost_fn, 10, 0);
	assert_float_equal(o.cost_fp, 0, 0);
	/* refused: o is left as it was */
	assert_int_equal(sift_train_parse_cost("FN=2,TN=1", &o, &err),
			 SIFT_EUSAGE);
	assert_string_equal(err.msg, "cost: 'TN=1': sift train weighs its "
				     "two errors only: give FN=X,FP=Y");
	assert_int_equal(sift_train_parse_cost("a:b=1", &o, &err), SIFT_EUSAGE);
	assert_int_equal(sift_train_parse_cost("FN=2,FP=-1", &o, &err),
			 SIFT_EUSAGE);
	assert_string_equal(err.msg, "cost: 'FP=-1': a cost must be >= 0");
	assert_int_equal(sift_train_parse_cost("FN", &o, &err), SIFT_EUSAGE);
	assert_float_equal(o.cost_fn, 10, 0);
	assert_float_equal(o.cost_fp, 0, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_separable_linear),
		cmocka_unit_test(cost_spec),
		cmocka_unit_test(test_separable_mlp),
		cmocka_unit_test(test_class_weights_move_boundary),
		cmocka_unit_test(test_seeded_identical),
		cmocka_unit_test(test_l2_auto),
		cmocka_unit_test(test_l2_kept_equals_rerun),
		cmocka_unit_test(test_diagnostics),
		cmocka_unit_test(test_one_class_is_an_error),
		cmocka_unit_test(test_weights_normalised),
		cmocka_unit_test(test_zero_weights_are_an_error),
		cmocka_unit_test(test_unstable_validation_loss),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
