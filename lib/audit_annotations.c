/*
 * lib/audit_annotations.c - the annotation set in memory and the SQLite
 * annotation store (see sift/annotations.h and sift-annotations(5)).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "sift/annotations.h"
#include "sift/mem.h"
#include "sift/parse.h"

int sift_annotations_init(struct sift_annotations *a, struct sift_error *err)
{
	memset(a, 0, sizeof *a);
	a->items = sift_intern_new();
	a->annotators = sift_intern_new();
	a->labels = sift_intern_new();
	if (!a->items || !a->annotators || !a->labels) {
		sift_annotations_free(a);
		return sift_error_nomem(err);
	}
	return 0;
}

void sift_annotations_free(struct sift_annotations *a)
{
	sift_intern_free(a->items);
	sift_intern_free(a->annotators);
	sift_intern_free(a->labels);
	free(a->added);
	free(a->obs);
	free(a->start);
	free(a->rater);
	free(a->label);
	memset(a, 0, sizeof *a);
}

int sift_annotations_add(struct sift_annotations *a, const char *item,
			 size_t item_len, const char *annotator,
			 size_t annotator_len, const char *label,
			 size_t label_len, struct sift_error *err)
{
	size_t i, j, l;

	if (!item_len)
		return sift_error_set(err, SIFT_EDATA, "the item id is empty");
	if (!annotator_len)
		return sift_error_set(err, SIFT_EDATA,
				      "the annotator id is empty");
	if (!label_len)
		return sift_error_set(err, SIFT_EDATA, "the label is empty");
	if (sift_grow(&a->added, &a->cap, a->n_added + 1, sizeof *a->added,
		      1024))
		return sift_error_nomem(err);
	if (sift_intern_add(a->items, item, item_len, &i) ||
	    sift_intern_add(a->annotators, annotator, annotator_len, &j) ||
	    sift_intern_add(a->labels, label, label_len, &l))
		return sift_error_nomem(err);
	a->added[a->n_added].item = i;
	a->added[a->n_added].source = j;
	a->added[a->n_added].label = (unsigned)l;
	a->n_added++;
	return 0;
}

/* The three columns of r. */
static int find_cols(struct sift_reader *r,
		     const struct sift_annotation_cols *cols, size_t col[3],
		     struct sift_error *err)
{
	const char *spec[3] = { cols->item, cols->annotator, cols->label };

	for (int c = 0; c < 3; c++) {
		int rc = sift_reader_column(r, spec[c], &col[c], err);

		if (rc)
			return rc;
	}
	return 0;
}

/* Prefix err's message with the file and line of rec. */
static void at_line(const struct sift_reader *r, const struct sift_record *rec,
		    struct sift_error *err)
{
	char msg[sizeof err->msg];

	memcpy(msg, err->msg, sizeof msg);
	sift_error_set(err, err->code, "%s:%llu: %s", sift_reader_name(r),
		       (unsigned long long)rec->line, msg);
}

int sift_annotations_read(struct sift_annotations *a, struct sift_reader *r,
			  const struct sift_annotation_cols *cols,
			  uint64_t *n_read, struct sift_error *err)
{
	const struct sift_record *rec;
	size_t col[3];
	int rc = find_cols(r, cols, col, err);

	while (!rc && !(rc = sift_reader_next(r, &rec, err)) && rec) {
		const char *s[3];
		size_t n[3];

		for (int c = 0; c < 3 && !rc; c++)
			rc = sift_reader_field(r, col[c], &s[c], &n[c], err);
		if (rc)
			break;
		rc = sift_annotations_add(a, s[0], n[0], s[1], n[1], s[2], n[2],
					  err);
		if (rc == SIFT_EDATA)
			at_line(r, rec, err);
	}
	if (n_read)
		*n_read = sift_reader_count(r);
	return rc;
}

/* Counting sort of the added annotations by item, keeping their order
 * within an item; a later label of the same annotator overwrites the
 * earlier one in place. last[j] is where annotator j's label of the
 * current item is, valid when seen[j] names the current item. */
static void group(struct sift_annotations *a, size_t *fill, size_t *seen,
		  size_t *last)
{
	size_t I = sift_intern_count(a->items), n = 0;
	struct sift_ds_obs *tmp = a->obs;

	for (size_t o = 0; o < a->n_added; o++)
		fill[a->added[o].item + 1]++;
	for (size_t i = 0; i < I; i++)
		fill[i + 1] += fill[i];
	for (size_t o = 0; o < a->n_added; o++)
		tmp[fill[a->added[o].item]++] = a->added[o];
	/* fill[i] is now the end of item i's slice: dedup each slice in
	 * place (every write goes to an index <= the one being read) */
	for (size_t i = 0, from = 0; i < I; i++) {
		a->start[i] = n;
		for (; from < fill[i]; from++) {
			size_t j = tmp[from].source;

			if (seen[j] == i + 1) {
				a->obs[last[j]] = tmp[from];
				a->n_duplicates++;
				continue;
			}
			seen[j] = i + 1;
			last[j] = n;
			a->obs[n++] = tmp[from];
		}
	}
	a->start[I] = n;
	a->n_obs = n;
}

int sift_annotations_finish(struct sift_annotations *a, struct sift_error *err)
{
	size_t I = sift_intern_count(a->items);
	size_t J = sift_intern_count(a->annotators);
	size_t *fill = calloc(I + 2, sizeof *fill);
	size_t *seen = calloc(J + 1, sizeof *seen);
	size_t *last = malloc((J + 1) * sizeof *last);
	int rc = 0;

	if (!a->n_added) {
		rc = sift_error_set(err, SIFT_EDATA, "no annotations");
		goto out;
	}
	a->obs = malloc(a->n_added * sizeof *a->obs);
	a->start = malloc((I + 1) * sizeof *a->start);
	a->rater = malloc(a->n_added * sizeof *a->rater);
	a->label = malloc(a->n_added * sizeof *a->label);
	if (!fill || !seen || !last || !a->obs || !a->start || !a->rater ||
	    !a->label) {
		rc = sift_error_nomem(err);
		goto out;
	}
	group(a, fill, seen, last);
	for (size_t o = 0; o < a->n_obs; o++) {
		a->rater[o] = a->obs[o].source;
		a->label[o] = a->obs[o].label;
	}
	free(a->added);
	a->added = NULL;
	a->n_added = a->cap = 0;
out:
	free(fill);
	free(seen);
	free(last);
	return rc;
}

size_t sift_annotations_n_items(const struct sift_annotations *a)
{
	return sift_intern_count(a->items);
}

size_t sift_annotations_n_annotators(const struct sift_annotations *a)
{
	return sift_intern_count(a->annotators);
}

size_t sift_annotations_n_labels(const struct sift_annotations *a)
{
	return sift_intern_count(a->labels);
}

void sift_annotations_ratings(const struct sift_annotations *a,
			      struct sift_agree_ratings *r)
{
	r->n_items = sift_annotations_n_items(a);
	r->n_raters = sift_annotations_n_annotators(a);
	r->n_cats = sift_annotations_n_labels(a);
	r->start = a->start;
	r->rater = a->rater;
	r->label = a->label;
}

void sift_annotations_ds_problem(const struct sift_annotations *a,
				 struct sift_ds_problem *pb)
{
	memset(pb, 0, sizeof *pb);
	pb->n_items = sift_annotations_n_items(a);
	pb->n_sources = sift_annotations_n_annotators(a);
	pb->n_classes = sift_annotations_n_labels(a);
	pb->n_outputs = pb->n_classes;
	pb->obs = a->obs;
	pb->n_obs = a->n_obs;
}

int sift_annotations_label_values(const struct sift_annotations *a,
				  double **values, struct sift_error *err)
{
	size_t K = sift_annotations_n_labels(a);

	*values = malloc((K + 1) * sizeof **values);
	if (!*values)
		return sift_error_nomem(err);
	for (size_t l = 0; l < K; l++) {
		size_t len;
		const char *s = sift_intern_str(a->labels, l, &len);

		if (sift_parse_double(s, len, &(*values)[l]) != 0) {
			free(*values);
			*values = NULL;
			return sift_error_set(err, SIFT_EDATA,
					      "label '%s' is not a number "
					      "(ordinal, interval and ratio "
					      "levels need numeric labels)",
					      s);
		}
	}
	return 0;
}

/*
 * The SQLite store. Every statement binds its values (never builds SQL
 * from data); writes happen inside one transaction per import.
 */
struct sift_store {
	sqlite3 *db;
	char *path;
	int created;   /* the file did not exist before we opened it */
	int sqlite_rc; /* the last failure's code, for open_db */
};

static const char schema_sql[] =
	"CREATE TABLE sift_schema (name TEXT NOT NULL, version INTEGER NOT "
	"NULL);"
	"INSERT INTO sift_schema VALUES ('sift-annotations', 1);"
	"CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL "
	"UNIQUE);"
	"CREATE TABLE annotators (id INTEGER PRIMARY KEY, name TEXT NOT NULL "
	"UNIQUE);"
	"CREATE TABLE labels (id INTEGER PRIMARY KEY, name TEXT NOT NULL "
	"UNIQUE);"
	"CREATE TABLE annotations (id INTEGER PRIMARY KEY,"
	" item INTEGER NOT NULL REFERENCES items(id),"
	" annotator INTEGER NOT NULL REFERENCES annotators(id),"
	" label INTEGER NOT NULL REFERENCES labels(id),"
	" time TEXT NOT NULL);"
	"CREATE INDEX annotations_item ON annotations(item);";

/* An SQLite failure as a sift error naming the file. */
static int db_error(struct sift_store *st, int sqlite_rc,
		    struct sift_error *err)
{
	int base = sqlite_rc & 0xff;
	/* The errno of SQLite's last failed system call: the cause its
	 * own words ("disk I/O error") leave out. */
	int errnum = st->db ? sqlite3_system_errno(st->db) : 0;

	st->sqlite_rc = sqlite_rc;
	if (base == SQLITE_BUSY || base == SQLITE_LOCKED)
		return sift_error_set(err, SIFT_EIO,
				      "%s: the database is locked (another "
				      "process is writing to it)",
				      st->path);
	if (base == SQLITE_NOTADB || base == SQLITE_CORRUPT)
		return sift_error_set(err, SIFT_EDATA,
				      "%s: not an SQLite database, or a "
				      "corrupt one",
				      st->path);
	if (base == SQLITE_READONLY)
		return sift_error_set(err, SIFT_EIO,
				      "%s: the store is read-only (%s)",
				      st->path,
				      st->db ? sqlite3_errmsg(st->db)
					     : sqlite3_errstr(sqlite_rc));
	if (base == SQLITE_NOMEM)
		return sift_error_nomem(err);
	if ((base == SQLITE_IOERR || base == SQLITE_FULL ||
	     base == SQLITE_CANTOPEN) &&
	    errnum)
		return sift_error_set(err, SIFT_EIO, "%s: %s: %s", st->path,
				      sqlite3_errmsg(st->db), strerror(errnum));
	return sift_error_set(err, SIFT_EIO, "%s: %s", st->path,
			      st->db ? sqlite3_errmsg(st->db)
				     : sqlite3_errstr(sqlite_rc));
}

static int exec(struct sift_store *st, const char *sql, struct sift_error *err)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : db_error(st, rc, err);
}

/* The number of rows of a one-integer query, or an error. */
static int query_int(struct sift_store *st, const char *sql, int64_t *out,
		     struct sift_error *err)
{
	sqlite3_stmt *q;
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &q, NULL);

	if (rc != SQLITE_OK)
		return db_error(st, rc, err);
	rc = sqlite3_step(q);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	sqlite3_finalize(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
						     : db_error(st, rc, err);
}

/* Is this a store of our version? An empty database (no tables) gets
 * the schema when create is set. */
static int check_schema(struct sift_store *st, int create,
			struct sift_error *err)
{
	int64_t tables, n_rows, version;
	int rc = query_int(st, "SELECT count(*) FROM sqlite_master", &tables,
			   err);

	if (rc)
		return rc;
	if (tables == 0 && create)
		return exec(st, schema_sql, err);
	rc = query_int(st,
		       "SELECT count(*) FROM sqlite_master WHERE type = "
		       "'table' AND name = 'sift_schema'",
		       &n_rows, err);
	if (rc)
		return rc;
	if (n_rows == 0)
		return sift_error_set(err, SIFT_EDATA,
				      "%s: not a sift annotation store (no "
				      "sift_schema table)",
				      st->path);
	rc = query_int(st,
		       "SELECT version FROM sift_schema WHERE name = "
		       "'sift-annotations'",
		       &version, err);
	if (rc)
		return rc;
	if (version != SIFT_STORE_VERSION)
		return sift_error_set(err, SIFT_EDATA,
				      "%s: annotation store of schema version "
				      "%lld; this sift reads version %d",
				      st->path, (long long)version,
				      SIFT_STORE_VERSION);
	return 0;
}

/* Connect to name (a path, or a URI with SQLITE_OPEN_URI in flags)
 * and check the store's schema: an import's (create) in a write
 * transaction, in WAL mode, the schema made in an empty file; a
 * reader's in a read transaction, the file changed in nothing. */
static int connect(struct sift_store *st, const char *name, int flags,
		   int create, int busy_ms, struct sift_error *err)
{
	int rc = sqlite3_open_v2(name, &st->db, flags, NULL);

	if (rc != SQLITE_OK)
		return db_error(st, rc, err);
	sqlite3_busy_timeout(st->db, busy_ms);
	sqlite3_extended_result_codes(st->db, 1);
	/* WAL: readers never block the writer, nor it them; an import is
	 * durable when its COMMIT returns. */
	if (create) {
		rc = exec(st, "PRAGMA journal_mode = WAL", err);
		if (!rc)
			rc = exec(st, "PRAGMA foreign_keys = ON", err);
	}
	if (!rc)
		rc = exec(st, create ? "BEGIN IMMEDIATE" : "BEGIN", err);
	if (rc)
		return rc;
	rc = check_schema(st, create, err);
	if (rc) {
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		return rc;
	}
	return exec(st, "COMMIT", err);
}

/* Whether a reader of the store at path cannot share it as SQLite's
 * WAL mode shares: no PATH-wal (no import in progress, nothing to read
 * there), and a directory where PATH-shm, the WAL index, cannot be
 * made. Such a store is read as an immutable file (SQLite's URI
 * parameter immutable=1; sift-audit(1), FILES). */
static int unshared(const char *path)
{
	const char *slash = strrchr(path, '/');
	char name[4200];
	struct stat sb;

	snprintf(name, sizeof name, "%s-wal", path);
	if (stat(name, &sb) == 0)
		return 0;
	snprintf(name, sizeof name, "%.*s", slash ? (int)(slash - path) + 1 : 1,
		 slash ? path : ".");
	return access(name, W_OK) != 0;
}

/* path as a URI that opens it immutable: "file:", the path with every
 * byte but the unreserved and '/' percent-encoded, "?immutable=1". */
static char *immutable_uri(const char *path)
{
	static const char keep[] = "-._~/";
	size_t n = strlen(path);
	char *uri = malloc(3 * n + 32), *q = uri;

	if (!uri)
		return NULL;
	q += sprintf(q, "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr(keep, *p))
			*q++ = (char)*p;
		else
			q += sprintf(q, "%%%02X", *p);
	sprintf(q, "?immutable=1");
	return uri;
}

/* A store to read is changed in nothing and waits for no import; SQLite
 * opens it read-only where the user may only read it. (Opened for
 * writing where it may be, the last connection to close removes the
 * -wal and -shm files beside it.) */
static int open_db(struct sift_store *st, int create, int busy_ms,
		   struct sift_error *err)
{
	int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
	int rc = connect(st, st->path, flags, create, busy_ms, err);
	int base = st->sqlite_rc & 0xff;
	char *uri;

	if (!rc || create ||
	    (base != SQLITE_READONLY && base != SQLITE_CANTOPEN) ||
	    !unshared(st->path))
		return rc;
	sqlite3_close(st->db);
	st->db = NULL;
	if (!(uri = immutable_uri(st->path)))
		return sift_error_nomem(err);
	rc = connect(st, uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, 0,
		     busy_ms, err);
	free(uri);
	return rc;
}

int sift_store_open(const char *path, int create, int busy_ms,
		    struct sift_store **st, struct sift_error *err)
{
	struct stat sb;
	struct sift_store *s = calloc(1, sizeof *s);
	int rc;

	*st = NULL;
	if (!s || !(s->path = strdup(path))) {
		free(s);
		return sift_error_nomem(err);
	}
	if (stat(path, &sb) != 0) {
		if (!create || errno != ENOENT) {
			rc = sift_error_set(err, SIFT_EIO, "%s: %s", path,
					    strerror(errno));
			sift_store_close(s, 0);
			return rc;
		}
		s->created = 1;
	}
	rc = open_db(s, create, busy_ms, err);
	if (rc) {
		sift_store_close(s, 1);
		return rc;
	}
	*st = s;
	return 0;
}

void sift_store_close(struct sift_store *st, int remove_if_new)
{
	char side[4200];
	int64_t n = 1;
	struct stat sb;

	if (!st)
		return;
	/* A store this run created and failed to fill is removed: with
	 * no annotations, or (a failure before its schema was whole) with
	 * no tables at all, or still empty. */
	if (remove_if_new && st->created &&
	    (!st->db || (stat(st->path, &sb) == 0 && sb.st_size == 0)))
		n = 0;
	else if (remove_if_new && st->created &&
		 query_int(st, "SELECT count(*) FROM annotations", &n, NULL))
		query_int(st, "SELECT count(*) FROM sqlite_master", &n, NULL);
	sqlite3_close(st->db);
	if (remove_if_new && st->created && n == 0) {
		unlink(st->path);
		snprintf(side, sizeof side, "%s-wal", st->path);
		unlink(side);
		snprintf(side, sizeof side, "%s-shm", st->path);
		unlink(side);
	}
	free(st->path);
	free(st);
}

/* The statements of one import, and the ids of names already looked up
 * (interned: id -> row id), so each name costs one query per import. */
struct importer {
	struct sift_store *st;
	sqlite3_stmt *find[3], *insert[3], *annotation;
	struct sift_intern *names[3];
	int64_t *rowid[3];
	size_t cap[3];
	char time[32];
};

static const char *const tables[3] = { "items", "annotators", "labels" };

static int prepare(struct importer *im, struct sift_error *err)
{
	char sql[128];
	int rc = SQLITE_OK;

	for (int t = 0; t < 3 && rc == SQLITE_OK; t++) {
		im->names[t] = sift_intern_new();
		if (!im->names[t])
			return sift_error_nomem(err);
		snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE name = ?",
			 tables[t]);
		rc = sqlite3_prepare_v2(im->st->db, sql, -1, &im->find[t],
					NULL);
		if (rc != SQLITE_OK)
			break;
		snprintf(sql, sizeof sql, "INSERT INTO %s (name) VALUES (?)",
			 tables[t]);
		rc = sqlite3_prepare_v2(im->st->db, sql, -1, &im->insert[t],
					NULL);
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(im->st->db,
					"INSERT INTO annotations (item, "
					"annotator, label, time) VALUES "
					"(?, ?, ?, ?)",
					-1, &im->annotation, NULL);
	return rc == SQLITE_OK ? 0 : db_error(im->st, rc, err);
}

static void importer_free(struct importer *im)
{
	for (int t = 0; t < 3; t++) {
		sqlite3_finalize(im->find[t]);
		sqlite3_finalize(im->insert[t]);
		sift_intern_free(im->names[t]);
		free(im->rowid[t]);
	}
	sqlite3_finalize(im->annotation);
}

/* Run a bound statement that returns at most one row; *id gets its
 * first column (a SELECT) or the new row id (an INSERT). */
static int step_id(struct importer *im, sqlite3_stmt *q, int64_t *id,
		   struct sift_error *err)
{
	int rc = sqlite3_step(q);

	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(q, 0);
	else if (rc == SQLITE_DONE)
		*id = sqlite3_last_insert_rowid(im->st->db);
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE
		       ? rc
		       : db_error(im->st, rc, err);
}

/* The row id of name in table t, inserted if new. */
static int name_id(struct importer *im, int t, const char *s, size_t len,
		   int64_t *id, struct sift_error *err)
{
	size_t k, n = sift_intern_count(im->names[t]);
	int rc;

	if (sift_intern_add(im->names[t], s, len, &k))
		return sift_error_nomem(err);
	if (k < n) {
		*id = im->rowid[t][k];
		return 0;
	}
	if (sift_grow(&im->rowid[t], &im->cap[t], k + 1, sizeof *im->rowid[t],
		      256))
		return sift_error_nomem(err);
	/* A bind copies the name (SQLITE_TRANSIENT), and can fail: a
	 * statement run without it would look up or insert NULL. */
	rc = sqlite3_bind_text(im->find[t], 1, s, (int)len, SQLITE_TRANSIENT);
	if (rc != SQLITE_OK)
		return db_error(im->st, rc, err);
	rc = step_id(im, im->find[t], id, err);
	if (rc == SQLITE_DONE) {
		rc = sqlite3_bind_text(im->insert[t], 1, s, (int)len,
				       SQLITE_TRANSIENT);
		if (rc != SQLITE_OK)
			return db_error(im->st, rc, err);
		rc = step_id(im, im->insert[t], id, err);
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return rc;
	im->rowid[t][k] = *id;
	return 0;
}

static int import_row(struct importer *im, const char *const s[3],
		      const size_t n[3], struct sift_error *err)
{
	static const char *const empty[3] = { "the item id is empty",
					      "the annotator id is empty",
					      "the label is empty" };
	int64_t id[3];
	int rc;

	for (int t = 0; t < 3; t++) {
		if (n[t] == 0)
			return sift_error_set(err, SIFT_EDATA, "%s", empty[t]);
		if (n[t] > 1000000)
			return sift_error_set(err, SIFT_EDATA,
					      "a field is longer than 1000000 "
					      "bytes");
		rc = name_id(im, t, s[t], n[t], &id[t], err);
		if (rc)
			return rc;
	}
	rc = SQLITE_OK;
	for (int t = 0; t < 3 && rc == SQLITE_OK; t++)
		rc = sqlite3_bind_int64(im->annotation, t + 1, id[t]);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(im->annotation, 4, im->time, -1,
				       SQLITE_STATIC);
	if (rc != SQLITE_OK)
		return db_error(im->st, rc, err);
	rc = step_id(im, im->annotation, &id[0], err);
	return rc == SQLITE_DONE ? 0 : rc;
}

static void now_utc(char *buf, size_t size)
{
	time_t t = time(NULL);
	struct tm tm;

	if (gmtime_r(&t, &tm))
		strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
	else
		snprintf(buf, size, "1970-01-01T00:00:00Z");
}

static int import_rows(struct importer *im, struct sift_reader *r,
		       const size_t col[3], uint64_t *n_added,
		       struct sift_error *err)
{
	const struct sift_record *rec;
	int rc;

	while (!(rc = sift_reader_next(r, &rec, err)) && rec) {
		const char *s[3];
		size_t n[3];

		for (int c = 0; c < 3 && !rc; c++)
			rc = sift_reader_field(r, col[c], &s[c], &n[c], err);
		if (rc)
			return rc;
		rc = import_row(im, s, n, err);
		if (rc) {
			if (rc == SIFT_EDATA)
				at_line(r, rec, err);
			return rc;
		}
		(*n_added)++;
	}
	return rc;
}

int sift_store_import(struct sift_store *st, struct sift_reader *r,
		      const struct sift_annotation_cols *cols,
		      uint64_t *n_added, struct sift_error *err)
{
	struct importer im;
	uint64_t added = 0;
	size_t col[3];
	int rc;

	memset(&im, 0, sizeof im);
	im.st = st;
	now_utc(im.time, sizeof im.time);
	rc = find_cols(r, cols, col, err);
	if (!rc)
		rc = exec(st, "BEGIN IMMEDIATE", err);
	if (rc)
		return rc;
	rc = prepare(&im, err);
	if (!rc)
		rc = import_rows(&im, r, col, &added, err);
	importer_free(&im);
	if (!rc)
		rc = exec(st, "COMMIT", err);
	if (rc)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	if (n_added)
		*n_added = rc ? 0 : added;
	return rc;
}

static int load_rows(struct sift_store *st, sqlite3_stmt *q,
		     struct sift_annotations *a, struct sift_error *err)
{
	int rc;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *s[3];
		size_t n[3];

		for (int c = 0; c < 3; c++) {
			s[c] = (const char *)sqlite3_column_text(q, c);
			n[c] = (size_t)sqlite3_column_bytes(q, c);
			if (!s[c])
				s[c] = "";
		}
		rc = sift_annotations_add(a, s[0], n[0], s[1], n[1], s[2], n[2],
					  err);
		if (rc) {
			char msg[sizeof err->msg];

			memcpy(msg, err->msg, sizeof msg);
			return sift_error_set(
				err, rc, "%s: annotation %lld: %s", st->path,
				(long long)sqlite3_column_int64(q, 3), msg);
		}
	}
	return rc == SQLITE_DONE ? 0 : db_error(st, rc, err);
}

int sift_store_load(struct sift_store *st, struct sift_annotations *a,
		    struct sift_error *err)
{
	sqlite3_stmt *q;
	int rc = exec(st, "BEGIN", err);

	if (rc)
		return rc;
	rc = sqlite3_prepare_v2(st->db,
				"SELECT i.name, n.name, l.name, a.id FROM "
				"annotations a JOIN items i ON i.id = a.item "
				"JOIN annotators n ON n.id = a.annotator "
				"JOIN labels l ON l.id = a.label ORDER BY a.id",
				-1, &q, NULL);
	if (rc != SQLITE_OK) {
		rc = db_error(st, rc, err);
	} else {
		rc = load_rows(st, q, a, err);
		sqlite3_finalize(q);
	}
	sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
	return rc;
}
