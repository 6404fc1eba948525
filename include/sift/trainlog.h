/*
 * sift/trainlog.h - every figure and option of training runs, in SQLite.
 *
 * Schema version 1 (PRAGMA user_version = 1; documented in
 * sift-train(1)):
 *
 *   runs(run_id INTEGER PRIMARY KEY, started TEXT, finished TEXT,
 *        status TEXT, input TEXT, output TEXT, n_train INTEGER,
 *        n_valid INTEGER, epochs_run INTEGER, best_epoch INTEGER,
 *        threshold REAL)
 *   options(run_id, name TEXT, value TEXT)          one row per option
 *   epochs(run_id, round, epoch, train_loss, train_acc, valid_loss,
 *          valid_macro_f1, valid_ap, valid_cost, seconds)
 *   batches(run_id, round, epoch, batch, loss, accuracy)
 *
 * Runs accumulate. The database is in WAL mode; a run's row is written
 * at its start (status 'running'), each epoch's figures and batches are
 * committed together at the epoch's end, and the run is marked 'ok' or
 * 'failed' at its end: an interrupted run leaves complete epochs and a
 * status of 'running'. Every value goes through bound parameters.
 */
#ifndef SIFT_TRAINLOG_H
#define SIFT_TRAINLOG_H

#include <stdint.h>

#include "sift/error.h"
#include "sift/train.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SIFT_TRAINLOG_VERSION 1

struct sift_trainlog;

/* Open (creating if needed) the database at path and start a run: its
 * row and its options. Errors: SIFT_EIO with SQLite's message, SIFT_EDATA
 * for a database of another schema version. */
struct sift_trainlog *sift_trainlog_open(const char *path, const char *input,
					 const char *output, size_t n_opts,
					 char *const *names,
					 char *const *values,
					 struct sift_error *err);

/* A batch's figures (kept until the epoch is committed). */
int sift_trainlog_batch(struct sift_trainlog *lg, unsigned round,
			unsigned epoch, uint64_t batch, double loss, double acc,
			struct sift_error *err);

/* An epoch's figures; commits it with its batches. */
int sift_trainlog_epoch(struct sift_trainlog *lg,
			const struct sift_epoch_stats *st,
			struct sift_error *err);

/* Mark the run finished (ok or not) with its summary, and close; lg may
 * be NULL. res may be NULL for a failed run. */
int sift_trainlog_close(struct sift_trainlog *lg, int ok,
			const struct sift_train_result *res, double threshold,
			struct sift_error *err);

/* The run's id. */
int64_t sift_trainlog_run_id(const struct sift_trainlog *lg);

struct sift_trainplot;

/* Fill p (initialised, empty) from run `run` of the training log at
 * path, read only (0: the last run): its batches and epochs, its title
 * (the model, the data, the options as given, when it started) and the
 * epoch kept (the best with early stopping and validation data, else
 * the last; none for a run that did not finish). Errors: SIFT_EIO for a
 * file that cannot be read, SIFT_EDATA for one that is not a training
 * log, a run that does not exist or one with no batch. */
int sift_trainlog_plot(const char *path, int64_t run, struct sift_trainplot *p,
		       struct sift_error *err);

#ifdef __cplusplus
}
#endif

#endif
