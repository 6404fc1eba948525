/*
 * sift/annotations.h - a set of annotations (who gave which label to
 * which item) in memory, read from long-form CSV or from the SQLite
 * annotation store described in sift-annotations(5).
 *
 * Items, annotators and labels are interned (sift/intern.h): each gets a
 * dense id in order of first appearance, so every statistic works on
 * plain arrays. The same annotator labelling the same item again
 * replaces the earlier label (the later one counts); such duplicates are
 * counted, so the caller can warn about them.
 *
 * Life cycle: sift_annotations_init, then any number of _add / _read /
 * sift_store_load, then sift_annotations_finish, which groups the
 * annotations by item (the layout of sift/agreement.h and
 * sift/dawid_skene.h alike); then read the fields below.
 */
#ifndef SIFT_ANNOTATIONS_H
#define SIFT_ANNOTATIONS_H

#include <stddef.h>
#include <stdint.h>

#include "sift/agreement.h"
#include "sift/dawid_skene.h"
#include "sift/error.h"
#include "sift/intern.h"
#include "sift/reader.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sift_annotations {
	struct sift_intern *items, *annotators, *labels;

	/* As added, duplicates included (freed by _finish). */
	struct sift_ds_obs *added;
	size_t n_added, cap;

	/* After sift_annotations_finish: one observation per (item,
	 * annotator), grouped by item in item order (start[i] ..
	 * start[i + 1] - 1 are item i's), in the order they were added
	 * within an item. obs, rater and label hold the same data in the
	 * shapes sift_ds_fit and sift_agree_* read. */
	size_t n_obs;
	struct sift_ds_obs *obs;
	size_t *start; /* n_items + 1 */
	size_t *rater;
	unsigned *label;
	size_t n_duplicates; /* annotations replaced by a later one */
};

/* The column names of the long form (item, annotator, label): header
 * names, or 1-based numbers. */
struct sift_annotation_cols {
	const char *item, *annotator, *label;
};

/* An empty set. Returns 0 or SIFT_ENOMEM (then a holds nothing). */
int sift_annotations_init(struct sift_annotations *a, struct sift_error *err);

/* Free everything a holds; a may have failed to init. */
void sift_annotations_free(struct sift_annotations *a);

/* Add one annotation. An empty item or annotator id or an empty label
 * is SIFT_EDATA ("the item id is empty", ...); out of memory is
 * SIFT_ENOMEM. Not after _finish. */
int sift_annotations_add(struct sift_annotations *a, const char *item,
			 size_t item_len, const char *annotator,
			 size_t annotator_len, const char *label,
			 size_t label_len, struct sift_error *err);

/* Read every record of r, adding the columns cols names. A missing
 * column, a bad record or an empty id is an error naming the file and
 * line (SIFT_EDATA, a missing column included, as everywhere in sift).
 * *n_read, if not NULL, gets the number of records read. */
int sift_annotations_read(struct sift_annotations *a, struct sift_reader *r,
			  const struct sift_annotation_cols *cols,
			  uint64_t *n_read, struct sift_error *err);

/* Group by item and drop replaced duplicates (see the struct). Returns
 * 0 or SIFT_ENOMEM. No annotation at all is SIFT_EDATA ("no
 * annotations"). */
int sift_annotations_finish(struct sift_annotations *a, struct sift_error *err);

/* Counts, valid after _finish. */
size_t sift_annotations_n_items(const struct sift_annotations *a);
size_t sift_annotations_n_annotators(const struct sift_annotations *a);
size_t sift_annotations_n_labels(const struct sift_annotations *a);

/* The ratings view of a finished set, for sift/agreement.h. */
void sift_annotations_ratings(const struct sift_annotations *a,
			      struct sift_agree_ratings *r);

/* The Dawid-Skene problem of a finished set: every label is a class. */
void sift_annotations_ds_problem(const struct sift_annotations *a,
				 struct sift_ds_problem *pb);

/* Every label's numeric value, for the ordinal, interval and ratio
 * levels of Krippendorff's alpha: *values (n_labels, malloc'ed, owned by
 * the caller). A label that is not a number is SIFT_EDATA naming it. */
int sift_annotations_label_values(const struct sift_annotations *a,
				  double **values, struct sift_error *err);

/*
 * The SQLite annotation store, schema version 1 (sift-annotations(5)):
 *
 *   sift_schema(name, version)       one row: 'sift-annotations', 1
 *   items(id, name)                  annotators(id, name)
 *   labels(id, name)                 annotations(id, item, annotator,
 *                                                label, time)
 *
 * in WAL mode, written only inside transactions, with bound parameters
 * only. annotations.id gives the order: a later row replaces an earlier
 * one of the same item and annotator.
 */
#define SIFT_STORE_VERSION 1

struct sift_store;

/* Open the store at path. With create, a missing file (or an empty one)
 * becomes a new store; without, it is an error. busy_ms is how long to
 * wait for another writer's lock. A file that is not an SQLite database
 * or is corrupt, a database without sift's schema, or one of another
 * schema version is SIFT_EDATA with a message naming the file. Returns
 * 0 and *st, or an error code with *st NULL. */
int sift_store_open(const char *path, int create, int busy_ms,
		    struct sift_store **st, struct sift_error *err);

/* Close st (may be NULL). If it was created by this process's
 * sift_store_open and holds no annotations after a failed import
 * (remove_if_new), the file is removed. */
void sift_store_close(struct sift_store *st, int remove_if_new);

/* Append every record of r to the store in one transaction: all or
 * nothing. A bad record aborts it with an error naming the file and
 * line, and nothing of this import remains; a lock held longer than the
 * busy timeout is SIFT_EIO ("the database is locked"). *n_added, if not
 * NULL, gets the number of annotations added. */
int sift_store_import(struct sift_store *st, struct sift_reader *r,
		      const struct sift_annotation_cols *cols,
		      uint64_t *n_added, struct sift_error *err);

/* Add every annotation of the store to a (in annotation id order), in
 * one read transaction. */
int sift_store_load(struct sift_store *st, struct sift_annotations *a,
		    struct sift_error *err);

#ifdef __cplusplus
}
#endif

#endif
