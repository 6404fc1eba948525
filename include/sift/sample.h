/*
 * sift/sample.h - sampling records from a reader to a writer.
 *
 * sift_sample_run reads every record it needs from r, decides with one
 * of the methods below which to keep, and writes them to w: the header
 * first (with the weight column appended when asked), then the kept
 * records byte for byte, in input order unless shuffled. The inclusion
 * probability pi of each method is documented in sift-sample(1); the
 * design weight written by emit_weight is 1/pi.
 */
#ifndef SIFT_SAMPLE_H
#define SIFT_SAMPLE_H

#include <stdint.h>

#include "sift/error.h"
#include "sift/reader.h"
#include "sift/writer.h"

#ifdef __cplusplus
extern "C" {
#endif

enum sift_sample_method {
	SIFT_SAMPLE_FIRST,       /* convenience: the first n */
	SIFT_SAMPLE_RESERVOIR,   /* n uniformly, without replacement */
	SIFT_SAMPLE_BERNOULLI,   /* each with probability p */
	SIFT_SAMPLE_SYSTEMATIC,  /* every k-th from a random start */
	SIFT_SAMPLE_HASH,        /* keys hashing below p */
	SIFT_SAMPLE_STRATIFIED,  /* n over strata, or k per stratum */
	SIFT_SAMPLE_QUOTA,       /* the first k of every stratum */
	SIFT_SAMPLE_WEIGHTED,    /* n with probability ~ a weight */
	SIFT_SAMPLE_IMPORTANCE,  /* priority or Poisson sampling, P/Q */
	SIFT_SAMPLE_SNOWBALL,    /* seed users, then the users they reach */
	SIFT_SAMPLE_JUDGMENT,    /* the records an expert's condition picks */
	SIFT_SAMPLE_UNCERTAINTY, /* those a model is least sure of */
};

/* How uncertain a record's class probabilities are (Settles 2009). */
enum sift_uncertainty {
	SIFT_LEAST_CONFIDENCE, /* 1 - max p */
	SIFT_MARGIN,           /* 1 - (p_first - p_second) */
	SIFT_ENTROPY,          /* -sum p log p */
};

enum sift_allocation {
	SIFT_ALLOC_PROPORTIONAL,
	SIFT_ALLOC_EQUAL,
};

/* The users a snowball may reach by default: a wave that passes it has
 * left sampling behind (two waves from one user of a million generated
 * tweets reach most of them). */
#define SIFT_SNOWBALL_MAX 100000

/* A judgment sample's n when it takes every record that matches. */
#define SIFT_SAMPLE_ALL UINT64_MAX

/* How a stratified sample's size is given. */
enum sift_strata_size {
	SIFT_STRATA_SHARED, /* n over all strata, by the allocation */
	SIFT_STRATA_EACH,   /* n of each stratum (all of a smaller one) */
};

/* The options of a run. method says which member of the union holds
 * the method's parameters; sift_sample_opts_init fills them with the
 * method's defaults. Only the methods named beside emit_weight and
 * partial take them. */
struct sift_sample_opts {
	enum sift_sample_method method;
	uint64_t seed;
	int shuffle;             /* output in random order */
	const char *emit_weight; /* probability samples (not first, quota,
				    snowball, judgment, uncertainty): the
				    name of a design-weight column to
				    append, or NULL */
	int partial;             /* reservoir, weighted without
				    replacement, stratified: write a
				    mergeable partial sample */
	const char *shard;       /* partial: the shard's identity, which
				    with the seed makes its keys */
	union {
		struct {
			uint64_t n; /* the first n records */
		} first;
		struct {
			uint64_t n; /* n uniformly, without replacement */
		} reservoir;
		struct {
			double p; /* each record with probability p */
		} bernoulli;
		struct {
			uint64_t every; /* every k-th (k >= 1), random start */
		} systematic;
		struct {
			const char *key; /* the column (or value) hashed */
			double p;        /* keys hashing below p */
		} hash;
		struct {
			const char *by; /* "col[,col...]": the strata */
			enum sift_strata_size size;
			uint64_t n;   /* the sample's size, or each stratum's */
			uint64_t min; /* shared: at least min of each stratum */
			enum sift_allocation allocation; /* shared */
		} stratified;
		struct {
			const char *by;       /* the strata */
			uint64_t per_stratum; /* the first k of each */
		} quota;
		struct {
			const char *weight; /* the weight column (or value) */
			uint64_t n;
			int replace; /* n draws with replacement */
		} weighted;
		struct {
			const char *weight; /* the proposal Q */
			const char *target; /* the target P, or NULL for 1 */
			int by_rate;        /* Poisson sampling at rate, else
					       priority sampling of n */
			uint64_t n;
			double rate; /* >= 0 */
		} importance;
		struct {
			const char *seeds; /* "u1,u2" or "@FILE" */
			const char *user;  /* the column of the record's user */
			const char
				*links; /* the column of users it refers to */
			uint64_t waves; /* waves to follow (1) */
			const char *wave_col; /* the appended column ("wave") */
			uint64_t max_users;   /* the users it may reach, seeds
						 included (SIFT_SNOWBALL_MAX) */
		} snowball;
		struct {
			const char *where; /* a condition of sift-rules(5) */
			uint64_t n;        /* n at random of the matches, or
					      SIFT_SAMPLE_ALL (the default) */
		} judgment;
		struct {
			uint64_t n;
			const char
				*proba_prefix; /* class probabilities ("p_") */
			enum sift_uncertainty measure; /* least-confidence */
			double mix; /* the share drawn at random (0) */
		} uncertainty;
	};
};

/* The longest --by of a stratified --partial sample, whose rows carry
 * it for --merge. */
#define SIFT_SAMPLE_MAX_BY 2048

/* The defaults of method m: seed 0, input order, no design weight, and
 * the method's own (see the union above); sizes, columns and
 * probabilities are 0 or NULL, for the caller to set. */
void sift_sample_opts_init(struct sift_sample_opts *o,
			   enum sift_sample_method m);

/* The method named s ("reservoir", "bernoulli", ... and the aliases
 * "convenience", "random", "srs", "pps"), or -1. */
int sift_sample_method_parse(const char *s);
const char *sift_sample_method_name(enum sift_sample_method m);

/* One stratum of a stratified or quota sample, for reports. */
struct sift_stratum_count {
	char *name;     /* the --by values, joined by commas */
	uint64_t size;  /* its records in the input (stratified) */
	uint64_t taken; /* its records in the sample */
};

struct sift_sample_stats {
	uint64_t n_in;       /* data records in the input (merge: over all the
				partials' shards, as their trailers say) */
	uint64_t n_out;      /* records written */
	uint64_t n_partials; /* merge: the partials read */
	uint64_t n_rows;     /* merge: their rows */
	size_t n_strata;
	struct sift_stratum_count *strata; /* n_strata of them, or NULL */
	char note[2048]; /* what the user should hear, a line each, or "" */
};

/* Free what sift_sample_run left in stats (the strata). */
void sift_sample_stats_free(struct sift_sample_stats *stats);

/* Check that o's method has what it needs and that its values are in
 * range; returns SIFT_EUSAGE with a message naming the field at fault
 * ("stratified.by is not set"), in the vocabulary of this header: a
 * tool checks its own options first and names them. */
int sift_sample_check(const struct sift_sample_opts *o, struct sift_error *err);

/* Sample r into w. The reader must have been opened with
 * SIFT_READER_REWIND for stratified sampling (it reads twice). Returns 0
 * or an error code; w is flushed but not closed. */
int sift_sample_run(struct sift_reader *r, struct sift_writer *w,
		    const struct sift_sample_opts *o,
		    struct sift_sample_stats *stats, struct sift_error *err);

/* Whether the method reads its input twice (the tool then opens it with
 * SIFT_READER_REWIND). */
int sift_sample_needs_rewind(const struct sift_sample_opts *o);

/* How unsure a model is of a record whose k class probabilities are p:
 * larger is less sure (1 - max p; 1 - the margin between the two
 * largest; the entropy in nats). */
double sift_uncertainty_score(enum sift_uncertainty m, const double *p,
			      size_t k);

/* The uncertainty measure named s ("least-confidence", "margin",
 * "entropy"), or -1. */
int sift_uncertainty_parse(const char *s);

struct sift_merge_opts {
	const char *emit_weight; /* a design-weight column to append, or
				    NULL */
	int shuffle;             /* write in random order (seed) */
	uint64_t seed;
	uint64_t expect_records; /* with have_expect: the input's records */
	int have_expect;
};

/* Defaults: no weight column, input order, no expected count. */
void sift_merge_opts_init(struct sift_merge_opts *o);

/* Merge partial samples (written with opts.partial by shards of one
 * input, with the same method, size and seed) into the exact global
 * sample: the same distribution as one pass over the whole input.
 * inputs[0..n_inputs) are read in turn; a stream may also hold several
 * partials one after another, each starting with its header line.
 *
 * Nothing is written unless every partial is whole: each must end with
 * its trailer (see sift-sample(1), FILES), hold as many rows as the
 * trailer counts and no row after it, carry one signature, and come
 * from a shard identity no other partial has; with have_expect, the
 * trailers' records must add up to expect_records. Otherwise returns
 * SIFT_EDATA with a message naming the input and line. stats receive
 * the records over all shards (n_in), the rows written, the partials
 * and their rows. */
int sift_sample_merge(struct sift_reader **inputs, size_t n_inputs,
		      struct sift_writer *w, const struct sift_merge_opts *o,
		      struct sift_sample_stats *stats, struct sift_error *err);

#ifdef __cplusplus
}
#endif

#endif
