/*
 * sift/split.h - split records into parts (train, validation, test):
 * each record goes to exactly one part.
 *
 * Four ways to choose the part:
 *  - by ratios alone: the part sizes are the ratios of N rounded by
 *    largest remainder, exactly; which records go where is a uniformly
 *    random partition of that shape (two passes: count, then assign
 *    sequentially, part j with probability left_j / left, a
 *    multivariate form of selection sampling, Knuth's Algorithm S).
 *  - --stratify COL: the same within each class, so each part holds the
 *    class's share of the ratios, exactly up to rounding.
 *  - --group COL: a group (a user) goes to the part in which the seeded
 *    XXH3 hash of its key falls, the unit interval cut by the
 *    cumulative ratios. One pass; a group keeps its part as the data
 *    grows and on every machine. Part sizes match the ratios only in
 *    expectation; with --stratify as well, class proportions too, and
 *    the report says how far off they ended.
 *  - --by-time COL --cut T: records whose COL sorts before T (byte-wise,
 *    which for ISO-8601 dates and times of one format is time order) go
 *    to the first part, the others to the second.
 */
#ifndef SIFT_SPLIT_H
#define SIFT_SPLIT_H

#include <stddef.h>
#include <stdint.h>

#include "sift/error.h"
#include "sift/reader.h"
#include "sift/writer.h"

#ifdef __cplusplus
extern "C" {
#endif

enum { SIFT_SPLIT_MAX_PARTS = 16 };

/* A split by ratios (randomly, by class, by group) or at a time. */
enum sift_split_way {
	SIFT_SPLIT_RATIOS,
	SIFT_SPLIT_TIME,
};

struct sift_split_opts {
	enum sift_split_way way;
	size_t n_parts;                     /* time: 2 */
	double ratio[SIFT_SPLIT_MAX_PARTS]; /* > 0; normalized to sum 1 */
	union {
		struct {
			const char *group;    /* the group column, or NULL */
			const char *stratify; /* the class column, or NULL */
		} ratios;                     /* SIFT_SPLIT_RATIOS */
		struct {
			const char *by_time; /* the time column */
			const char *cut;     /* before it: part 1; else 2 */
		} time;                      /* SIFT_SPLIT_TIME */
	};
	const char *label; /* the column whose classes are reported
			    * (default: ratios.stratify) or NULL */
	uint64_t seed;
};

void sift_split_opts_init(struct sift_split_opts *o);

/* Parse "0.8,0.1,0.1" into o->ratio and o->n_parts (2 to 16 positive
 * numbers, normalized to sum 1). Returns 0 or SIFT_EUSAGE. */
int sift_split_ratios_parse(const char *s, struct sift_split_opts *o,
			    struct sift_error *err);

/* Check o: ratios, or by_time with cut (two parts, no ratios, group or
 * stratify); a cut that begins like an ISO-8601 date (YYYY, YYYY-MM,
 * YYYY-MM-DD, optionally a time). Returns 0 or SIFT_EUSAGE. */
int sift_split_check(const struct sift_split_opts *o, struct sift_error *err);

/* Whether the split reads its input twice (ratios alone, --stratify
 * without --group): then open the reader with SIFT_READER_REWIND. */
int sift_split_needs_rewind(const struct sift_split_opts *o);

/* The part, 0 .. n_parts-1, of a group key: where XXH3_64(key, seed)
 * falls among the cumulative ratios. */
size_t sift_split_group_part(const struct sift_split_opts *o, const char *key,
			     size_t len);

struct sift_split_class {
	char *name;
	uint64_t total;
	uint64_t part[SIFT_SPLIT_MAX_PARTS];
};

struct sift_split_stats {
	uint64_t n_in;
	uint64_t part[SIFT_SPLIT_MAX_PARTS]; /* records in each part */
	size_t n_classes;                    /* of o->label or stratify */
	struct sift_split_class *classes;
	/* With a class column: the largest |share of class c in part j -
	 * share of c overall|, in percentage points. */
	double max_dev_pp;
	char note[512]; /* warnings for the tool to print, a line each */
};

void sift_split_stats_free(struct sift_split_stats *st);

/* Write each record of r to exactly one of w[0 .. o->n_parts), the
 * header (if any) to all. Records keep their bytes and their input
 * order within a part. Returns 0 or an error code (the writers are
 * flushed but not closed; the caller closes or discards them all). */
int sift_split_run(struct sift_reader *r, struct sift_writer **w,
		   const struct sift_split_opts *o,
		   struct sift_split_stats *stats, struct sift_error *err);

#ifdef __cplusplus
}
#endif

#endif
