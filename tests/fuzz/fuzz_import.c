/*
 * fuzz_import: sift audit's --db --import on fuzzed CSV. Each input is
 * imported as tools/audit.c does (sift_store_open with create, then
 * sift_store_import) into a fresh store in the fuzzer's private
 * directory: a copy of one made at start, which holds a fixed import of
 * three annotations. Then the store must pass `pragma integrity_check`
 * and `pragma foreign_key_check`, hold the fixed annotations and all of
 * the input's or none of them (an import is one transaction), and load
 * back whole with sift_store_load. The first byte picks the options:
 * bit 0 names the columns by number, bit 1 reads the input as TSV, bit
 * 2 imports it twice.
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "sift/annotations.h"
#include "sift/reader.h"

static const char fixed[] = "item,annotator,label\n"
			    "t1,ann,pos\n"
			    "t1,bob,neg\n"
			    "\"t,2\",ann,\"multi\nline\"\n";
#define N_FIXED 3

static char store[128];
/* The store after the fixed import, made once and copied for each
 * input: creating the schema again would only cost time. */
static uint8_t *template;
static size_t template_len;

static void remove_store(void)
{
	char side[160];

	unlink(store);
	snprintf(side, sizeof side, "%s-wal", store);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", store);
	unlink(side);
}

/* Import path into st; the number added, which is 0 on an error. */
static uint64_t import(struct sift_store *st, const char *path,
		       const struct sift_csv_opts *csv,
		       const struct sift_annotation_cols *cols)
{
	struct sift_error err;
	struct sift_reader *r = sift_reader_open(path, csv, 0, &err);
	uint64_t n = 0;

	if (!r)
		return 0;
	if (sift_store_import(st, r, cols, &n, &err))
		n = 0;
	sift_reader_close(r);
	return n;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const struct sift_annotation_cols cols = { "item", "annotator",
							  "label" };
	const char *path = fuzz_write("fixed.csv", (const uint8_t *)fixed,
				      sizeof fixed - 1);
	struct sift_store *st;
	struct sift_error err;
	FILE *f;
	long n;

	(void)argc;
	(void)argv;
	snprintf(store, sizeof store, "%s/store.db", fuzz_tmpdir());
	remove_store();
	if (sift_store_open(store, 1, 0, &st, &err) ||
	    import(st, path, NULL, &cols) != N_FIXED)
		abort();
	sift_store_close(st, 0);
	if (!(f = __real_fopen(store, "rb")) || fseek(f, 0, SEEK_END) ||
	    (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET) ||
	    !(template = malloc((size_t)n)) ||
	    fread(template, 1, (size_t)n, f) != (size_t)n || fclose(f))
		abort();
	template_len = (size_t)n;
	return 0;
}

/* Run sql, which gives at most a row of one column: its text must be
 * want (NULL: no row at all), or the target aborts. */
static void expect(sqlite3 *db, const char *sql, const char *want)
{
	sqlite3_stmt *q;
	const unsigned char *got;

	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		abort();
	if (sqlite3_step(q) == SQLITE_ROW) {
		got = sqlite3_column_text(q, 0);
		if (!want || !got || strcmp((const char *)got, want) != 0)
			abort();
	} else if (want) {
		abort();
	}
	sqlite3_finalize(q);
}

static void check_store(uint64_t n_want)
{
	char want[32];
	sqlite3 *db;
	struct sift_store *st;
	struct sift_annotations set;
	struct sift_error err;

	if (sqlite3_open_v2(store, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK)
		abort();
	expect(db, "PRAGMA integrity_check", "ok");
	expect(db, "PRAGMA foreign_key_check", NULL);
	snprintf(want, sizeof want, "%llu", (unsigned long long)n_want);
	expect(db, "SELECT count(*) FROM annotations", want);
	sqlite3_close(db);
	if (sift_store_open(store, 0, 0, &st, &err) ||
	    sift_annotations_init(&set, &err) ||
	    sift_store_load(st, &set, &err) || set.n_added != n_want)
		abort();
	sift_annotations_free(&set);
	sift_store_close(st, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct sift_annotation_cols by_name = { "item",
							     "annotator",
							     "label" };
	static const struct sift_annotation_cols by_number = { "1", "2", "3" };
	unsigned mode = size ? data[0] : 0;
	char path[128];
	struct sift_csv_opts csv;
	struct sift_store *st;
	struct sift_error err;
	uint64_t n;

	sift_csv_opts_init(&csv);
	if (mode & 2) {
		csv.delim = '\t';
		csv.quoting = SIFT_QUOTING_NONE;
	}
	/* fuzz_write's path is overwritten by the next call: kept here. */
	snprintf(path, sizeof path, "%s",
		 fuzz_write("import.csv", data + (size > 0),
			    size ? size - 1 : 0));
	remove_store();
	fuzz_write("store.db", template, template_len);
	if (sift_store_open(store, 1, 0, &st, &err))
		abort();
	n = import(st, path, &csv, mode & 1 ? &by_number : &by_name);
	if (mode & 4)
		n += import(st, path, &csv, mode & 1 ? &by_number : &by_name);
	sift_store_close(st, 0);
	check_store(N_FIXED + n);
	return 0;
}
