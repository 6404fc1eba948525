/*
 * lib/train_log.c - training runs in SQLite (schema in sift/trainlog.h).
 */
#include <errno.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sift/trainlog.h"
#include "sift/trainplot.h"

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

/* The schema's version into *version: 0 for a database sift has not
 * made a log of, SIFT_TRAINLOG_VERSION, or an error for another. */
static int schema_version(struct sift_trainlog *lg, const char *path,
			  int *version, struct sift_error *err)
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
	*version = v;
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
	int version;

	if (!lg) {
		sift_error_nomem(err);
		return NULL;
	}
	if (sqlite3_open(path, &lg->db) != SQLITE_OK) {
		fail(lg, path, err);
		goto bad;
	}
	sqlite3_busy_timeout(lg->db, 5000);
	if (schema_version(lg, path, &version, err) ||
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

/* ---- reading a run back: the plot ---- */

/* The run to draw: run, or the last when run is 0. */
static int plot_run(sqlite3 *db, const char *path, int64_t run,
		    struct sift_trainplot *p, int64_t *id, int64_t *kept,
		    struct sift_error *err)
{
	char prefix[128];
	sqlite3_stmt *st = NULL, *op = NULL;
	int rc = 0, early = 0, valid;
	const char *status;

	if (sqlite3_prepare_v2(db,
			       "SELECT run_id, started, status, input, output,"
			       " n_valid, epochs_run, best_epoch FROM runs"
			       " WHERE run_id = ?1 OR (?1 = 0 AND run_id ="
			       " (SELECT max(run_id) FROM runs))",
			       -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
			       "SELECT name, value FROM options WHERE"
			       " run_id = ? ORDER BY rowid",
			       -1, &op, NULL) != SQLITE_OK) {
		rc = sift_error_set(err, SIFT_EDATA, "%s: %s", path,
				    sqlite3_errmsg(db));
		goto out;
	}
	sqlite3_bind_int64(st, 1, run);
	if (sqlite3_step(st) != SQLITE_ROW) {
		rc = run ? sift_error_set(err, SIFT_EDATA,
					  "%s: no run %lld in the training log",
					  path, (long long)run)
			 : sift_error_set(err, SIFT_EDATA,
					  "%s: the training log has no run",
					  path);
		goto out;
	}
	*id = sqlite3_column_int64(st, 0);
	status = (const char *)sqlite3_column_text(st, 2);
	valid = sqlite3_column_int64(st, 5) > 0;
	snprintf(prefix, sizeof prefix, "run %lld of %s%s%s;", (long long)*id,
		 (const char *)sqlite3_column_text(st, 1),
		 status && strcmp(status, "ok") ? ", status " : "",
		 status && strcmp(status, "ok") ? status : "");
	{
		char *names[64], *values[64];
		size_t n = 0;

		sqlite3_bind_int64(op, 1, *id);
		while (n < 64 && sqlite3_step(op) == SQLITE_ROW) {
			const char *k =
				(const char *)sqlite3_column_text(op, 0);
			const char *v =
				(const char *)sqlite3_column_text(op, 1);

			names[n] = strdup(k ? k : "");
			values[n] = strdup(v ? v : "");
			if (!names[n] || !values[n]) {
				free(names[n]);
				free(values[n]);
				rc = sift_error_nomem(err);
				break;
			}
			if (strcmp(names[n], "early-stop") == 0 &&
			    strtol(values[n], NULL, 10) > 0)
				early = 1;
			n++;
		}
		if (!rc)
			sift_trainplot_title(
				p, prefix,
				(const char *)sqlite3_column_text(st, 3),
				(const char *)sqlite3_column_text(st, 4), n,
				names, values);
		for (size_t i = 0; i < n; i++) {
			free(names[i]);
			free(values[i]);
		}
	}
	/* Early stopping keeps the best epoch; otherwise the last is kept.
	 * An interrupted run kept none. */
	*kept = sqlite3_column_type(st, early && valid ? 7 : 6) == SQLITE_NULL
			? 0
			: sqlite3_column_int64(st, early && valid ? 7 : 6);
out:
	sqlite3_finalize(st);
	sqlite3_finalize(op);
	return rc;
}

static double column_real(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL
		       ? NAN
		       : sqlite3_column_double(st, i);
}

/* Each epoch of the run after its batches, in order. */
static int plot_epochs(sqlite3 *db, const char *path, int64_t id,
		       struct sift_trainplot *p, struct sift_error *err)
{
	sqlite3_stmt *ep = NULL, *ba = NULL;
	int rc = 0, more = 0;

	if (sqlite3_prepare_v2(db,
			       "SELECT round, epoch, train_loss, train_acc,"
			       " valid_loss, valid_macro_f1 FROM epochs"
			       " WHERE run_id = ? ORDER BY round, epoch",
			       -1, &ep, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
			       "SELECT round, epoch, loss, accuracy FROM"
			       " batches WHERE run_id = ? ORDER BY round,"
			       " epoch, batch",
			       -1, &ba, NULL) != SQLITE_OK) {
		rc = sift_error_set(err, SIFT_EDATA, "%s: %s", path,
				    sqlite3_errmsg(db));
		goto out;
	}
	sqlite3_bind_int64(ep, 1, id);
	sqlite3_bind_int64(ba, 1, id);
	more = sqlite3_step(ba) == SQLITE_ROW;
	while (!rc && sqlite3_step(ep) == SQLITE_ROW) {
		struct sift_epoch_stats s = { 0 };
		int64_t key;

		s.round = (unsigned)sqlite3_column_int(ep, 0);
		s.epoch = (unsigned)sqlite3_column_int(ep, 1);
		key = ((int64_t)s.round << 32) | s.epoch;
		while (more && (((int64_t)sqlite3_column_int(ba, 0) << 32) |
				sqlite3_column_int(ba, 1)) <= key) {
			sift_trainplot_batch(p, column_real(ba, 2),
					     column_real(ba, 3));
			more = sqlite3_step(ba) == SQLITE_ROW;
		}
		s.train_loss = column_real(ep, 2);
		s.train_acc = column_real(ep, 3);
		s.valid_loss = column_real(ep, 4);
		s.valid_macro_f1 = column_real(ep, 5);
		s.has_valid = !isnan(s.valid_loss);
		rc = sift_trainplot_epoch(p, &s, err);
	}
out:
	sqlite3_finalize(ep);
	sqlite3_finalize(ba);
	return rc;
}

int sift_trainlog_plot(const char *path, int64_t run, struct sift_trainplot *p,
		       struct sift_error *err)
{
	struct sift_trainlog lg = { 0 };
	int64_t id = 0, kept = 0;
	int rc, version = 0;

	if (access(path, R_OK) != 0)
		return sift_error_set(err, SIFT_EIO, "%s: %s", path,
				      strerror(errno));
	if (sqlite3_open_v2(path, &lg.db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		rc = fail(&lg, path, err);
		sqlite3_close(lg.db);
		return rc;
	}
	sqlite3_busy_timeout(lg.db, 5000);
	rc = schema_version(&lg, path, &version, err);
	if (!rc && version == 0)
		rc = sift_error_set(err, SIFT_EDATA,
				    "%s: not a training log (made by `log`)",
				    path);
	if (!rc)
		rc = plot_run(lg.db, path, run, p, &id, &kept, err);
	if (!rc)
		rc = plot_epochs(lg.db, path, id, p, err);
	if (!rc && kept > 0)
		sift_trainplot_keep(p, (unsigned)kept);
	if (!rc && !p->n_batch)
		rc = sift_error_set(err, SIFT_EDATA,
				    "%s: run %lld has no batch to draw", path,
				    (long long)id);
	sqlite3_close(lg.db);
	return rc;
}
