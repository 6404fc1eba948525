/* Unit tests of lib/audit.c and lib/audit_format.c: an audit of a small
 * in-memory annotation set (the one of tests/data/audit/small.csv), its
 * figures worked by hand, the gold file, the review, and the csv
 * report's exact bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sift/audit.h"
#include "sift/audit_format.h"
#include "testutil.h"

static void add(struct sift_annotations *a, const char *i, const char *j,
		const char *l)
{
	struct sift_error err;

	assert_int_equal(sift_annotations_add(a, i, strlen(i), j, strlen(j), l,
					      strlen(l), &err),
			 0);
}

/* t1: pos pos neg; t2: neg neg neg; t3: neg neg (ann's pos replaced);
 * t4: pos alone. */
static void small_set(struct sift_annotations *a)
{
	struct sift_error err;

	assert_int_equal(sift_annotations_init(a, &err), 0);
	add(a, "t1", "ann", "pos");
	add(a, "t1", "bob", "pos");
	add(a, "t1", "cat", "neg");
	add(a, "t2", "ann", "neg");
	add(a, "t2", "bob", "neg");
	add(a, "t2", "cat", "neg");
	add(a, "t3", "ann", "pos");
	add(a, "t3", "bob", "neg");
	add(a, "t4", "ann", "pos");
	add(a, "t3", "ann", "neg");
	assert_int_equal(sift_annotations_finish(a, &err), 0);
}

static int audit_small(struct sift_annotations *set, struct sift_audit *au,
		       enum sift_audit_consensus consensus,
		       struct sift_reader *gold, struct sift_error *err)
{
	struct sift_audit_opts o;

	sift_audit_opts_init(&o);
	o.min_overlap = 1;
	o.consensus = consensus;
	small_set(set);
	return sift_audit_run(au, set, gold, &o, err);
}

static char *slurp(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static void figures(void **state)
{
	struct sift_annotations set;
	struct sift_audit au;
	struct sift_error err;

	(void)state;
	assert_int_equal(audit_small(&set, &au, SIFT_AUDIT_REPORT, NULL, &err),
			 0);
	assert_int_equal(au.n_items, 4);
	assert_int_equal(au.n_annotators, 3);
	assert_int_equal(au.n_labels, 2);
	assert_int_equal(au.n_single, 1);
	assert_int_equal(au.n_pairable, 3);
	/* P-bar = (1/3 + 1 + 1) / 3 = 7/9; p = (2/8, 6/8), P_e = 10/16;
	 * kappa = (7/9 - 5/8) / (3/8) = 11/27 */
	assert_float_equal(au.observed, 7.0 / 9, 1e-12);
	assert_float_equal(au.fleiss, 11.0 / 27, 1e-12);
	/* cat said neg only: always the same label, and nothing else */
	assert_int_equal(au.annotator[2].flags, SIFT_FLAG_CONSTANT);
	assert_int_equal(au.annotator[0].flags, 0);
	assert_int_equal(au.annotator[0].n, 4);
	assert_float_equal(au.annotator[0].loo, 5.0 / 6, 1e-12);
	/* Dawid-Skene: t1 is pos (cat is found to say neg regardless) */
	assert_true(au.have_ds);
	assert_string_equal(sift_audit_label_name(&au, au.consensus[0]), "pos");
	assert_string_equal(sift_audit_label_name(&au, au.consensus[2]), "neg");
	assert_float_equal(au.disagreement[0], 1.0 / 3, 1e-12);
	sift_audit_free(&au);
	sift_annotations_free(&set);
}

static void majority_consensus_bytes(void **state)
{
	struct sift_annotations set;
	struct sift_audit au;
	struct sift_error err;
	char *path = tmpfile_str("");
	struct sift_writer *w;

	(void)state;
	assert_int_equal(
		audit_small(&set, &au, SIFT_AUDIT_MAJORITY, NULL, &err), 0);
	assert_false(au.have_ds);
	assert_float_equal(au.confidence[0], 2.0 / 3, 1e-12);
	w = sift_writer_open(path, &err);
	assert_non_null(w);
	assert_int_equal(sift_audit_write_consensus(w, &au, &err), 0);
	assert_int_equal(sift_writer_close(w, &err), 0);
	assert_string_equal(slurp(path), "item,label,confidence\n"
					 "t1,pos,0.6666666666666666\n"
					 "t2,neg,1\n"
					 "t3,neg,1\n"
					 "t4,pos,1\n");
	unlink(path);
	free(path);
	sift_audit_free(&au);
	sift_annotations_free(&set);
}

/* The bytes sift audit --format csv --min-overlap 1 printed for
 * small.csv before the audit moved into lib/. */
static void csv_report_bytes(void **state)
{
	struct sift_annotations set;
	struct sift_audit au;
	struct sift_error err;
	char *path = tmpfile_str("");
	struct sift_writer *w;

	(void)state;
	assert_int_equal(audit_small(&set, &au, SIFT_AUDIT_REPORT, NULL, &err),
			 0);
	w = sift_writer_open(path, &err);
	assert_non_null(w);
	assert_int_equal(sift_audit_write_report(w, SIFT_AUDIT_CSV, &au, &err),
			 0);
	assert_int_equal(sift_writer_close(w, &err), 0);
	assert_string_equal(
		slurp(path),
		"annotator,annotations,shared_items,loo_agreement,kappa,"
		"gold_items,gold_accuracy,gold_low,gold_high,ds_accuracy,"
		"flags,share:pos,share:neg\n"
		"ann,4,3,0.8333333333333334,1,0,,,,0.9974987484511266,,0.5,"
		"0.5\n"
		"bob,3,3,0.8333333333333334,1,0,,,,0.9999499972719862,,"
		"0.3333333333333333,0.6666666666666666\n"
		"cat,2,2,0.5,0,0,,,,0.5000000077679787,always the same "
		"label,0,1\n");
	unlink(path);
	free(path);
	sift_audit_free(&au);
	sift_annotations_free(&set);
}

static void gold(void **state)
{
	char *path = tmpfile_str("item,label\nt1,pos\nt2,neg\nt3,pos\n");
	struct sift_csv_opts csv;
	struct sift_annotations set;
	struct sift_audit au;
	struct sift_error err;
	struct sift_reader *r;

	(void)state;
	sift_csv_opts_init(&csv);
	r = sift_reader_open(path, &csv, 0, &err);
	assert_non_null(r);
	assert_int_equal(audit_small(&set, &au, SIFT_AUDIT_REPORT, r, &err), 0);
	assert_int_equal(au.n_gold, 3);
	/* majority: t1 pos, t2 neg right; t3 neg wrong */
	assert_float_equal(au.gold_majority, 2.0 / 3, 1e-12);
	/* ann: pos, neg, neg on the gold items: 2 of 3 */
	assert_float_equal(au.annotator[0].gold_n, 3, 0);
	assert_float_equal(au.annotator[0].gold_right, 2, 0);
	sift_reader_close(r);
	sift_audit_free(&au);
	sift_annotations_free(&set);
	unlink(path);
	free(path);
}

static void gold_unknown_item(void **state)
{
	char *path = tmpfile_str("item,label\nt1,pos\nt9,neg\n");
	struct sift_csv_opts csv;
	struct sift_annotations set;
	struct sift_audit au;
	struct sift_error err;
	struct sift_reader *r;
	char want[256];

	(void)state;
	sift_csv_opts_init(&csv);
	r = sift_reader_open(path, &csv, 0, &err);
	assert_non_null(r);
	assert_int_equal(audit_small(&set, &au, SIFT_AUDIT_REPORT, r, &err),
			 SIFT_EDATA);
	snprintf(want, sizeof want,
		 "%s:3: gold item 't9' is not among the annotated items", path);
	assert_string_equal(err.msg, want);
	sift_reader_close(r);
	sift_audit_free(&au);
	sift_annotations_free(&set);
	unlink(path);
	free(path);
}

/* Tiny populations: Cochran's correction keeps every annotation. */
static void review(void **state)
{
	struct sift_annotations set;
	struct sift_audit au;
	struct sift_audit_review rv;
	struct sift_error err;

	(void)state;
	assert_int_equal(audit_small(&set, &au, SIFT_AUDIT_REPORT, NULL, &err),
			 0);
	assert_int_equal(sift_audit_review(&au, 9, 0.05, 1, &rv, &err), 0);
	assert_int_equal(rv.n_top, 4);
	/* t4 rests on one annotator, the least sure posterior; then t1,
	 * the only disagreement */
	assert_int_equal(rv.top[0], 3);
	assert_int_equal(rv.top[1], 0);
	for (size_t j = 0; j < au.n_annotators; j++)
		assert_int_equal(rv.first[j + 1] - rv.first[j],
				 au.annotator[j].n);
	for (size_t o = 0; o < set.n_obs; o++)
		assert_int_equal(sift_audit_item_of(&au, rv.obs[o]),
				 set.obs[rv.obs[o]].item);
	sift_audit_review_free(&rv);
	sift_audit_free(&au);
	sift_annotations_free(&set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(figures),
		cmocka_unit_test(majority_consensus_bytes),
		cmocka_unit_test(csv_report_bytes),
		cmocka_unit_test(gold),
		cmocka_unit_test(gold_unknown_item),
		cmocka_unit_test(review),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
