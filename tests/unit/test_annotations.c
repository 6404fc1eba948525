/* Unit tests of lib/audit_annotations.c: interning and duplicates, reading
 * long-form CSV, and the SQLite store (round trip, all-or-nothing
 * import, locked, corrupt and other-version databases). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "sift/annotations.h"
#include "testutil.h"

static const struct sift_annotation_cols cols = { "item", "annotator",
						  "label" };

static void add(struct sift_annotations *a, const char *i, const char *j,
		const char *l)
{
	struct sift_error err;

	assert_int_equal(sift_annotations_add(a, i, strlen(i), j, strlen(j), l,
					      strlen(l), &err),
			 0);
}

static void duplicates_later_counts(void **state)
{
	struct sift_annotations a;
	struct sift_error err;

	(void)state;
	assert_int_equal(sift_annotations_init(&a, &err), 0);
	add(&a, "t1", "ann", "pos");
	add(&a, "t2", "ann", "neg");
	add(&a, "t1", "bob", "neg");
	add(&a, "t1", "ann", "neg"); /* replaces ann's pos on t1 */
	assert_int_equal(sift_annotations_finish(&a, &err), 0);
	assert_int_equal(a.n_duplicates, 1);
	assert_int_equal(a.n_obs, 3);
	assert_int_equal(sift_annotations_n_items(&a), 2);
	assert_int_equal(sift_annotations_n_labels(&a), 2);
	/* item t1: ann (now neg) then bob, in the order first added */
	assert_int_equal(a.start[1], 2);
	assert_int_equal(a.rater[0], 0);
	assert_int_equal(a.label[0], 1);
	assert_int_equal(a.rater[1], 1);
	sift_annotations_free(&a);
}

static void empty_ids_and_no_annotations(void **state)
{
	struct sift_annotations a;
	struct sift_error err;

	(void)state;
	assert_int_equal(sift_annotations_init(&a, &err), 0);
	assert_int_equal(sift_annotations_add(&a, "", 0, "x", 1, "y", 1, &err),
			 SIFT_EDATA);
	assert_string_equal(err.msg, "the item id is empty");
	assert_int_equal(sift_annotations_add(&a, "x", 1, "", 0, "y", 1, &err),
			 SIFT_EDATA);
	assert_string_equal(err.msg, "the annotator id is empty");
	assert_int_equal(sift_annotations_finish(&a, &err), SIFT_EDATA);
	assert_string_equal(err.msg, "no annotations");
	sift_annotations_free(&a);
}

static int read_csv(const char *text, struct sift_annotations *a,
		    struct sift_error *err, char **path)
{
	struct sift_reader *r;
	int rc;

	*path = tmpfile_str(text);
	r = sift_reader_open(*path, NULL, 0, err);
	assert_non_null(r);
	rc = sift_annotations_read(a, r, &cols, NULL, err);
	sift_reader_close(r);
	return rc;
}

static void read_names_the_line(void **state)
{
	struct sift_annotations a;
	struct sift_error err;
	char *path, want[256];

	(void)state;
	assert_int_equal(sift_annotations_init(&a, &err), 0);
	assert_int_equal(read_csv("label,item,annotator\npos,t1,a\nneg,t2,\n",
				  &a, &err, &path),
			 SIFT_EDATA);
	snprintf(want, sizeof want, "%s:3: the annotator id is empty", path);
	assert_string_equal(err.msg, want);
	unlink(path);
	free(path);
	sift_annotations_free(&a);
}

static void label_values(void **state)
{
	struct sift_annotations a;
	struct sift_error err;
	double *v;

	(void)state;
	assert_int_equal(sift_annotations_init(&a, &err), 0);
	add(&a, "t1", "a", "2");
	add(&a, "t1", "b", "4.5");
	assert_int_equal(sift_annotations_finish(&a, &err), 0);
	assert_int_equal(sift_annotations_label_values(&a, &v, &err), 0);
	assert_true(v[0] == 2 && v[1] == 4.5);
	free(v);
	sift_annotations_free(&a);
	assert_int_equal(sift_annotations_init(&a, &err), 0);
	add(&a, "t1", "a", "low");
	assert_int_equal(sift_annotations_finish(&a, &err), 0);
	assert_int_equal(sift_annotations_label_values(&a, &v, &err),
			 SIFT_EDATA);
	sift_annotations_free(&a);
}

static char *db_path(void)
{
	char *p = tmpfile_str("");

	unlink(p); /* a name that does not exist yet */
	return p;
}

static void remove_db(char *p)
{
	char side[512];

	unlink(p);
	snprintf(side, sizeof side, "%s-wal", p);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", p);
	unlink(side);
	free(p);
}

static int import_text(const char *db, const char *text, uint64_t *n,
		       struct sift_error *err)
{
	char *csv = tmpfile_str(text);
	struct sift_reader *r = sift_reader_open(csv, NULL, 0, err);
	struct sift_store *st;
	int rc;

	assert_non_null(r);
	rc = sift_store_open(db, 1, 100, &st, err);
	if (!rc) {
		rc = sift_store_import(st, r, &cols, n, err);
		sift_store_close(st, rc != 0);
	}
	sift_reader_close(r);
	unlink(csv);
	free(csv);
	return rc;
}

static size_t load_count(const char *db, struct sift_error *err, int *rc)
{
	struct sift_annotations a;
	struct sift_store *st;
	size_t n = 0;

	assert_int_equal(sift_annotations_init(&a, err), 0);
	*rc = sift_store_open(db, 0, 100, &st, err);
	if (!*rc) {
		*rc = sift_store_load(st, &a, err);
		sift_store_close(st, 0);
	}
	if (!*rc && !(*rc = sift_annotations_finish(&a, err)))
		n = a.n_obs;
	sift_annotations_free(&a);
	return n;
}

static void store_round_trip_and_all_or_nothing(void **state)
{
	char *db = db_path(), want[512];
	struct sift_error err;
	uint64_t n;
	int rc;

	(void)state;
	assert_int_equal(import_text(db,
				     "item,annotator,label\nt1,a,x\n"
				     "t1,b,y\nt2,a,x\n",
				     &n, &err),
			 0);
	assert_int_equal(n, 3);
	assert_int_equal(import_text(db,
				     "item,annotator,label\nt3,a,x\n"
				     "t1,a,y\n",
				     &n, &err),
			 0);
	assert_int_equal(load_count(db, &err, &rc), 4); /* t1,a replaced */
	/* a bad third line: nothing of this import stays */
	assert_int_equal(import_text(db,
				     "item,annotator,label\nt4,a,x\n"
				     ",b,y\n",
				     &n, &err),
			 SIFT_EDATA);
	assert_non_null(strstr(err.msg, ":3: the item id is empty"));
	assert_int_equal(load_count(db, &err, &rc), 4);
	remove_db(db);
	/* a failed first import leaves no file behind */
	db = db_path();
	assert_int_equal(
		import_text(db, "item,annotator,label\n,a,x\n", &n, &err),
		SIFT_EDATA);
	assert_int_equal(access(db, F_OK), -1);
	load_count(db, &err, &rc);
	assert_int_equal(rc, SIFT_EIO);
	snprintf(want, sizeof want, "%s: No such file or directory", db);
	assert_string_equal(err.msg, want);
	remove_db(db);
}

static void store_locked(void **state)
{
	char *db = db_path();
	struct sift_error err;
	sqlite3 *other;
	uint64_t n;

	(void)state;
	assert_int_equal(
		import_text(db, "item,annotator,label\nt1,a,x\n", &n, &err), 0);
	assert_int_equal(sqlite3_open(db, &other), SQLITE_OK);
	assert_int_equal(
		sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL),
		SQLITE_OK);
	assert_int_equal(
		import_text(db, "item,annotator,label\nt2,a,x\n", &n, &err),
		SIFT_EIO);
	assert_non_null(strstr(err.msg, "the database is locked"));
	sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(other);
	remove_db(db);
}

static void store_other_version_and_foreign(void **state)
{
	char *db = db_path(), want[512];
	struct sift_error err;
	sqlite3 *other;
	uint64_t n;
	int rc;

	(void)state;
	assert_int_equal(
		import_text(db, "item,annotator,label\nt1,a,x\n", &n, &err), 0);
	assert_int_equal(sqlite3_open(db, &other), SQLITE_OK);
	sqlite3_exec(other, "UPDATE sift_schema SET version = 2", NULL, NULL,
		     NULL);
	sqlite3_close(other);
	load_count(db, &err, &rc);
	assert_int_equal(rc, SIFT_EDATA);
	snprintf(want, sizeof want,
		 "%s: annotation store of schema version 2; this sift reads "
		 "version 1",
		 db);
	assert_string_equal(err.msg, want);
	assert_int_equal(sqlite3_open(db, &other), SQLITE_OK);
	sqlite3_exec(other, "DROP TABLE sift_schema", NULL, NULL, NULL);
	sqlite3_close(other);
	load_count(db, &err, &rc);
	assert_int_equal(rc, SIFT_EDATA);
	assert_non_null(strstr(err.msg, "not a sift annotation store"));
	remove_db(db);
}

static void store_corrupt(void **state)
{
	char *db = tmpfile_str("this is not a database, not at all; it is "
			       "text long enough to fill a header page.\n"),
	     want[512];
	struct sift_error err;
	int rc;

	(void)state;
	load_count(db, &err, &rc);
	assert_int_equal(rc, SIFT_EDATA);
	snprintf(want, sizeof want,
		 "%s: not an SQLite database, or a corrupt "
		 "one",
		 db);
	assert_string_equal(err.msg, want);
	remove_db(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(duplicates_later_counts),
		cmocka_unit_test(empty_ids_and_no_annotations),
		cmocka_unit_test(read_names_the_line),
		cmocka_unit_test(label_values),
		cmocka_unit_test(store_round_trip_and_all_or_nothing),
		cmocka_unit_test(store_locked),
		cmocka_unit_test(store_other_version_and_foreign),
		cmocka_unit_test(store_corrupt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
