/*
 * lib/sample_core.h - what every sampling method calls (private to lib/):
 * the sampler a run hands its method, the copies of records a sample
 * holds, writing them, reading weights, the notes, and the format of a
 * partial sample. lib/sample_core.c and lib/sample_partial.c define
 * them; they call no method (lib/sample_method.h has the methods).
 */
#ifndef SIFT_SAMPLE_CORE_H
#define SIFT_SAMPLE_CORE_H

#include <stddef.h>
#include <stdint.h>

#include "sift/colexpr.h"
#include "sift/rng.h"
#include "sift/sample.h"

/* A copy of a record that the sample holds. */
struct sample_record {
	char *raw;
	size_t len, cap;
	const char *eol; /* one of the reader's static strings */
	uint64_t index;
	double weight; /* design weight 1/pi, once known */
	double w_in;   /* the record's weight column, where there is one */
	double target; /* importance: the target column */
	double key;    /* --partial: the record's random key */
	double count;  /* --partial: the size of its shard (or stratum) */
	unsigned refs; /* weighted with replacement: slots that hold it */
};

/* The longest signature of a partial sample; --by may use most of it
 * (SIFT_SAMPLE_MAX_BY in sift/sample.h). */
#define SAMPLE_SIGNATURE_MAX (SIFT_SAMPLE_MAX_BY + 160)

/* One run of a method: where it reads and writes, its options, its
 * generator, and how each kept record is written. */
struct sampler {
	struct sift_reader *r;
	struct sift_writer *w;
	const struct sift_sample_opts *o;
	struct sift_sample_stats *st;
	struct sift_error *err;
	struct sift_rng rng;
	char delim;
	const char *extra; /* the appended number column: a design weight
			      or a snowball wave; NULL for none */
	char partial[SAMPLE_SIGNATURE_MAX]; /* --partial: the method's
					     signature, else "" */
	struct sample_record *held; /* shuffle: records waiting to be written */
	size_t n_held, cap_held;
};

/* ---- records: three ways into a sample -------------------------------- */

/* rec is in the sample, with its design weight: written now, or held in
 * the sampler to be written shuffled at the end (methods that decide
 * record by record). */
int sample_take(struct sampler *c, const struct sift_record *rec,
		double weight);

/* Copy rec into k, reusing k's buffer; its weight is set to NaN (methods
 * that hold candidates and decide at the end). */
int sample_copy(struct sampler *c, struct sample_record *k,
		const struct sift_record *rec);

/* Copy rec into slot of the growing array *slots (of *cap, zeroed as it
 * grows), with its weight column's value: sample_copy for a keyed
 * reservoir, whose slots fill in any order. */
int sample_copy_at(struct sampler *c, struct sample_record **slots, size_t *cap,
		   size_t slot, const struct sift_record *rec, double w_in);

/* ---- the partial-sample format (lib/sample_partial.c)
 * ------------------------ */

/* The columns --partial appends, after any design weight. */
#define SAMPLE_PARTIAL_COLS "sift_partial", "sift_key", "sift_count"

/* What a partial's trailer says: its sift_key field is "end", its
 * sift_count field "records=N rows=M shard=ID". */
#define SAMPLE_TRAILER_KEY "end"
struct sample_trailer {
	uint64_t records;  /* data records the shard read */
	uint64_t rows;     /* rows of the partial before the trailer */
	const char *shard; /* its identity (not NUL-terminated) */
	size_t shard_len;
};

/* Write the trailer after the rows of a partial: its data fields empty,
 * the signature, SAMPLE_TRAILER_KEY and the counts, from c->st (n_in
 * records read, n_out rows written) and c->o->shard. Call it only once
 * the input has been read to its end without error. */
int sample_partial_trailer(struct sampler *c);

/* The whole partial of an empty input (no header, no records): the
 * three columns alone, then the trailer. */
int sample_partial_empty(struct sampler *c);

/* Parse a trailer's counts field s[0..len) into *t (t->shard points
 * into s). Returns 0, or -1 if it is not "records=N rows=M shard=ID"
 * with whole numbers and a non-empty ID. */
int sample_partial_parse_counts(const char *s, size_t len,
				struct sample_trailer *t);

/* The next record's random key for --partial: a uniform number in
 * (0, 1) from the generator, which sift_sample_run seeds with the seed
 * and the shard's identity (sample_partial_seed), so that shards sampled
 * with one seed draw independent keys, even shards of the same bytes. */
double sample_partial_key(struct sampler *c);

/* The generator's seed for --partial: XXH3 of the shard's identity,
 * seeded with the seed. */
uint64_t sample_partial_seed(const struct sift_sample_opts *o);

/* The method's signature that every row of a partial sample carries:
 * "reservoir n=100 seed=7", "stratified n=100 seed=7 proportional
 * min=0"; --merge refuses to mix partials whose signatures differ. */
void sample_partial_signature(const struct sift_sample_opts *o, char *buf,
			      size_t size);

/* Write the input's header, with the columns the sample appends. */
int sample_write_header(struct sampler *c);

/* Write n held records (by pointer or as an array): in input order, or
 * shuffled. */
int sample_write_held(struct sampler *c, struct sample_record **ks, size_t n);
int sample_write_array(struct sampler *c, struct sample_record *ks, size_t n);

/* qsort order of kept records by ascending key. */
int sample_by_key(const void *a, const void *b);

/* Free n held records and the array. */
void sample_free_records(struct sample_record *ks, size_t n);

/* n + 1 without overflow: the capacity of a reservoir that also keeps
 * the threshold record. */
size_t sample_plus_one(uint64_t n);

/* A non-negative finite number from the weight column (or value) w of
 * rec, or an error naming the file, line, column and value. */
int sample_read_weight(struct sampler *c, const struct sift_record *rec,
		       struct sift_colexpr *w, const char *what, double *out);

/* The next record, or NULL at the end. */
int sample_next(struct sampler *c, const struct sift_record **rec);

/* Add a line to the notes the tool prints on stderr. */
void sample_note(struct sampler *c, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
/* The note of a sample of n asked of fewer records, n_in. */
void sample_note_all_kept(struct sampler *c, uint64_t n, uint64_t n_in);

/* The usage errors of a method's check, naming the field: "FIELD is
 * not set", "FIELD: X is not a probability in [0, 1]". */
int sample_unset(struct sift_error *err, const char *field);
int sample_check_probability(struct sift_error *err, const char *field,
			     double p);

#endif
