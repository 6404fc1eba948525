/*
 * sift/metrics_read.h - reading a stream of scored records into the
 * accumulators of sift/metrics.h: the whole, and each slice.
 *
 * Each record gives its gold class, and its prediction (a column, or the
 * class of highest probability among the PREFIX<class> columns), and
 * optionally a score of the positive class, a weight and a slice. Class
 * ids are canonical: the probability columns' classes first, in the
 * columns' order, then the others in bytewise order of their names, so
 * that the same records in any order, or in any shards, get the same
 * ids and so the same report; sift_metrics_opts.names names them.
 */
#ifndef SIFT_METRICS_READ_H
#define SIFT_METRICS_READ_H

#include <stddef.h>

#include "sift/error.h"
#include "sift/intern.h"
#include "sift/metrics.h"
#include "sift/reader.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Where a record's figures are: columns, or values of sift(1)'s
 * derived-column expressions. gold is required; pred or proba_prefix
 * gives the prediction (pred first). */
struct sift_metrics_columns {
	const char *gold;
	const char *pred;         /* the predicted class, or NULL */
	const char *proba_prefix; /* class probabilities PREFIX<class> */
	const char *score;        /* the positive class's score, in [0, 1] */
	const char *weight;       /* a weight >= 0, or NULL for 1 */
	const char *by;           /* the slice, or NULL for none */
};

/* What sift_metrics_read found. */
struct sift_metrics_input {
	struct sift_intern *classes; /* the class names, by id */
	struct sift_metrics *all;    /* every record */
	struct sift_intern *slices;  /* the slices' names, by id */
	struct sift_metrics **slice; /* n_slices accumulators, by id */
	size_t n_slices;
	size_t n_proba;   /* the probability columns */
	size_t slice_cap; /* of slice */
};

/* Read every record of r into in (which it sets up; free it with
 * sift_metrics_input_free, whatever the return). Returns 0, or an error
 * naming the input, line and column: a gold or predicted class beyond
 * SIFT_METRICS_MAX_CLASSES, a score outside [0, 1], a weight that is
 * negative, not a number or not finite, an input without records, or
 * weights that are all 0. */
int sift_metrics_read(struct sift_reader *r,
		      const struct sift_metrics_columns *cols,
		      struct sift_metrics_input *in, struct sift_error *err);

void sift_metrics_input_free(struct sift_metrics_input *in);

/* Once every record is in: give the classes their canonical ids (see
 * above), in in->classes and in every accumulator. */
int sift_metrics_input_finish(struct sift_metrics_input *in,
			      struct sift_error *err);

#ifdef __cplusplus
}
#endif

#endif
