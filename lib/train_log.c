/*
 * lib/train_log.c - training runs in SQLite (schema in sift/trainlog.h).
 */
#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "sift/trainlog.h"

struct sift_trainlog {
	sqlite3 *db;
	sqlite3_stmt *batch, *epoch;
	int64_t run;
	int in_tx;
};

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS runs(run_id INTEGER PRIMARY KEY,"
	" started TEXT NOT NULL, finished TEXT, status TEXT NOT NULL,"
	" input TEXT, output TEXT, n_train INTEGER, n_valid INTEGER,"
	" epochs_run INTEGER, best_epoch INTEGER, threshold REAL);"
	"CREATE TABLE IF NOT EXISTS options(run_id INTEGER NOT NULL"
	" REFERENCES runs(run_id), name TEXT NOT NULL, value TEXT,"
	" PRIMARY KEY(run_id, name));"
	"CREATE TABLE IF NOT EXISTS epochs(run_id INTEGER NOT NULL"
	" REFERENCES runs(run_id), round INTEGER NOT NULL, epoch INTEGER"
	" NOT NULL, train_loss REAL, train_acc REAL, valid_loss REAL,"
	" valid_macro_f1 REAL, valid_ap REAL, valid_cost REAL, seconds REAL,"
	" PRIMARY KEY(run_id, round, epoch));"
	"CREATE TABLE IF NOT EXISTS batches(run_id INTEGER NOT NULL"
	" REFERENCES runs(run_id), round INTEGER NOT NULL, epoch INTEGER"
	" NOT NULL, batch INTEGER NOT NULL, loss REAL, accuracy REAL,"
	" PRIMARY KEY(run_id, round, epoch, batch));";

static int fail(struct sift_trainlog *lg, const char *path,
		struct sift_error *err)
{
	return sift_error_set(err, SIFT_EIO, "%s: %s", path ? path : "log",
			      sqlite3_errmsg(lg->db));
}

static int exec(struct sift_trainlog *lg, const char *sql,
		struct sift_error *err)
{
	return sqlite3_exec(lg->db, sql, NULL, NULL, NULL) == SQLITE_OK
		       ? 0
		       : fail(lg, NULL, err);
}

static int schema_version(struct sift_trainlog *lg, const char *path,
			  struct sift_error *err)
{
	sqlite3_stmt *st;
	int v = -1;

	if (sqlite3_prepare_v2(lg->db, "PRAGMA user_version", -1, &st, NULL) !=
	    SQLITE_OK)
		return fail(lg, path, err);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (v < 0)
		return fail(lg, path, err);
	if (v != 0 && v != SIFT_TRAINLOG_VERSION)
		return sift_error_set(err, SIFT_EDATA,
				      "%s: training log schema version %d, "
				      "this sift writes %d",
				      path, v, SIFT_TRAINLOG_VERSION);
	return 0;
}

static int start_run(struct sift_trainlog *lg, const char *input,
		     const char *output, size_t n, char *const *names,
		     char *const *values, struct sift_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;

	if ((rc = exec(lg, "BEGIN IMMEDIATE", err)))
		return rc;
	if (sqlite3_prepare_v2(lg->db,
			       "INSERT INTO runs(started, status, input, "
			       "output) VALUES(strftime('%Y-%m-%dT%H:%M:%SZ',"
			       "'now'), 'running', ?, ?)",
			       -1, &st, NULL) != SQLITE_OK)
		goto bad;
	sqlite3_bind_text(st, 1, input, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, output, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto bad;
	sqlite3_finalize(st);
	lg->run = sqlite3_last_insert_rowid(lg->db);
	if (sqlite3_prepare_v2(lg->db, "INSERT INTO options VALUES(?, ?, ?)",
			       -1, &st, NULL) != SQLITE_OK)
		goto bad;
	for (size_t i = 0; i < n; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, lg->run);
		sqlite3_bind_text(st, 2, names[i], -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, values[i], -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto bad;
	}
	sqlite3_finalize(st);
	return exec(lg, "COMMIT", err);
bad:
	rc = fail(lg, NULL, err);
	sqlite3_finalize(st);
	sqlite3_exec(lg->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

struct sift_trainlog *sift_trainlog_open(const char *path, const char *input,
					 const char *output, size_t n_opts,
					 char *const *names,
					 char *const *values,
					 struct sift_error *err)
{
	struct sift_trainlog *lg = calloc(1, sizeof *lg);

	if (!lg) {
		sift_error_nomem(err);
		return NULL;
	}
	if (sqlite3_open(path, &lg->db) != SQLITE_OK) {
		fail(lg, path, err);
		goto bad;
	}
	sqlite3_busy_timeout(lg->db, 5000);
	if (schema_version(lg, path, err) ||
	    exec(lg, "PRAGMA journal_mode=WAL", err) ||
	    exec(lg, "BEGIN IMMEDIATE", err) || exec(lg, schema, err) ||
	    exec(lg, "PRAGMA user_version=1", err) || exec(lg, "COMMIT", err) ||
	    start_run(lg, input, output, n_opts, names, values, err))
		goto bad;
	if (sqlite3_prepare_v2(lg->db,
			       "INSERT INTO batches VALUES(?, ?, ?, ?, ?, ?)",
			       -1, &lg->batch, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(lg->db,
			       "INSERT INTO epochs VALUES(?, ?, ?, ?, ?, ?, "
			       "?, ?, ?, ?)",
			       -1, &lg->epoch, NULL) != SQLITE_OK) {
		fail(lg, path, err);
		goto bad;
	}
	return lg;
bad:
	sqlite3_finalize(lg->batch);
	sqlite3_finalize(lg->epoch);
	sqlite3_close(lg->db);
	free(lg);
	return NULL;
}

static void bind_real(sqlite3_stmt *st, int i, double x)
{
	if (isfinite(x))
		sqlite3_bind_double(st, i, x);
	else
		sqlite3_bind_null(st, i);
}

int sift_trainlog_batch(struct sift_trainlog *lg, unsigned round,
			unsigned epoch, uint64_t batch, double loss, double acc,
			struct sift_error *err)
{
	int rc;

	if (!lg->in_tx) {
		if ((rc = exec(lg, "BEGIN", err)))
			return rc;
		lg->in_tx = 1;
	}
	sqlite3_reset(lg->batch);
	sqlite3_bind_int64(lg->batch, 1, lg->run);
	sqlite3_bind_int(lg->batch, 2, (int)round);
	sqlite3_bind_int(lg->batch, 3, (int)epoch);
	sqlite3_bind_int64(lg->batch, 4, (sqlite3_int64)batch);
	bind_real(lg->batch, 5, loss);
	bind_real(lg->batch, 6, acc);
	return sqlite3_step(lg->batch) == SQLITE_DONE ? 0 : fail(lg, NULL, err);
}

int sift_trainlog_epoch(struct sift_trainlog *lg,
			const struct sift_epoch_stats *s,
			struct sift_error *err)
{
	sqlite3_stmt *st = lg->epoch;
	int rc;

	if (!lg->in_tx) {
		if ((rc = exec(lg, "BEGIN", err)))
			return rc;
		lg->in_tx = 1;
	}
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, lg->run);
	sqlite3_bind_int(st, 2, (int)s->round);
	sqlite3_bind_int(st, 3, (int)s->epoch);
	bind_real(st, 4, s->train_loss);
	bind_real(st, 5, s->train_acc);
	bind_real(st, 6, s->has_valid ? s->valid_loss : NAN);
	bind_real(st, 7, s->has_valid ? s->valid_macro_f1 : NAN);
	bind_real(st, 8, s->has_valid ? s->valid_ap : NAN);
	bind_real(st, 9, s->has_valid ? s->valid_cost : NAN);
	bind_real(st, 10, s->seconds);
	if (sqlite3_step(st) != SQLITE_DONE)
		return fail(lg, NULL, err);
	lg->in_tx = 0;
	return exec(lg, "COMMIT", err);
}

int sift_trainlog_close(struct sift_trainlog *lg, int ok,
			const struct sift_train_result *res, double threshold,
			struct sift_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;

	if (!lg)
		return 0;
	if (lg->in_tx)
		sqlite3_exec(lg->db, "COMMIT", NULL, NULL, NULL);
	if (sqlite3_prepare_v2(lg->db,
			       "UPDATE runs SET finished = strftime("
			       "'%Y-%m-%dT%H:%M:%SZ','now'), status = ?, "
			       "n_train = ?, n_valid = ?, epochs_run = ?, "
			       "best_epoch = ?, threshold = ? WHERE run_id = ?",
			       -1, &st, NULL) != SQLITE_OK) {
		rc = fail(lg, NULL, err);
	} else {
		sqlite3_bind_text(st, 1, ok ? "ok" : "failed", -1,
				  SQLITE_STATIC);
		if (res) {
			sqlite3_bind_int64(st, 2, (sqlite3_int64)res->n_train);
			sqlite3_bind_int64(st, 3, (sqlite3_int64)res->n_valid);
			sqlite3_bind_int(st, 4, (int)res->epochs_run);
			sqlite3_bind_int(st, 5, (int)res->best_epoch);
		}
		bind_real(st, 6, threshold);
		sqlite3_bind_int64(st, 7, lg->run);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = fail(lg, NULL, err);
	}
	sqlite3_finalize(st);
	sqlite3_finalize(lg->batch);
	sqlite3_finalize(lg->epoch);
	sqlite3_close(lg->db);
	free(lg);
	return rc;
}

int64_t sift_trainlog_run_id(const struct sift_trainlog *lg)
{
	return lg->run;
}
