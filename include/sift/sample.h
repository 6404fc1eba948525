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

struct sift_sample_opts {
	enum sift_sample_method method;
	uint64_t n; /* sample size (first, reservoir, ...) */
	int have_n;
	double p; /* probability or rate */
	int have_p;
	uint64_t every;       /* systematic interval k */
	uint64_t per_stratum; /* stratified and quota: k per stratum */
	int have_per_stratum;
	uint64_t min_per_stratum;
	int have_min;
	enum sift_allocation allocation;
	int have_allocation;
	const char *key;         /* hash: the key column */
	const char *by;          /* stratified, quota: "col[,col...]" */
	const char *weight;      /* weighted, importance: the weight column */
	const char *target;      /* importance: the target column, or NULL */
	const char *emit_weight; /* name of the design-weight column */
	int replace;             /* weighted: with replacement */
	int shuffle;             /* output in random order */
	uint64_t seed;
	/* snowball */
	const char *seeds; /* "u1,u2" or "@FILE" (one user a line) */
	const char *user;  /* the column of record's user */
	const char *links; /* the column of users it refers to */
	uint64_t waves;    /* waves to follow (default 1) */
	int have_waves;
	const char *wave_col; /* the appended wave column ("wave") */
	/* judgment */
	const char *where; /* a condition of sift-rules(5) */
	/* uncertainty */
	const char *proba_prefix; /* class probability columns ("p_") */
	enum sift_uncertainty measure;
	int have_measure;
	double mix; /* the share drawn at random instead */
	int have_mix;
	/* mergeable samples: write the reservoir with its keys */
	int partial;
	const char *shard; /* --partial: the shard's identity, which
			      with the seed makes its keys */
};

/* The longest --by of a stratified --partial sample, whose rows carry
 * it for --merge. */
#define SIFT_SAMPLE_MAX_BY 2048

/* Defaults: reservoir, nothing set, seed 0. */
void sift_sample_opts_init(struct sift_sample_opts *o);

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

/* Check o for the method's required and forbidden options; returns
 * SIFT_EUSAGE with a message naming the option at fault. */
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
