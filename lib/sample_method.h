/*
 * lib/sample_method.h - the sampling methods as lib/sample_run.c and
 * lib/sample_merge.c see them (private to lib/): one descriptor a
 * method, defined in the method's own file.
 *
 * The module flows one way: sample_run.c (sift_sample_run, the checks)
 * and sample_merge.c (sift_sample_merge) call the methods through these
 * descriptors; the methods (sample_uniform.c, sample_strata.c,
 * sample_weighted.c, sample_snowball.c, sample_judgment.c,
 * sample_uncertainty.c) call the core (sample_core.h); the core calls
 * neither.
 */
#ifndef SIFT_SAMPLE_METHOD_H
#define SIFT_SAMPLE_METHOD_H

#include <stddef.h>
#include <stdint.h>

#include "sift/error.h"
#include "sift/sample.h"
#include "sift/sampling.h"
#include "sample_core.h"

/* What a partial's signature says: the method and its parameters, which
 * every partial of one merge shares. */
struct sample_signature {
	char text[SAMPLE_SIGNATURE_MAX];
	enum sift_sample_method method;
	uint64_t n; /* n, or k per stratum */
	int per_stratum;
	enum sift_allocation allocation;
	uint64_t min;
	char by[SIFT_SAMPLE_MAX_BY + 1];
};

/* What --merge holds of one stratum (the one pool of a method without
 * strata): the smallest keys of all the partials' rows. */
struct sample_pool {
	struct sift_topk top;
	struct sample_record *slots;
	size_t cap;
	uint64_t size;     /* records in the input, over all shards */
	size_t last_shard; /* the shard whose count was added last, + 1 */
};

struct sample_method {
	/* 1 if it is a probability sample: every record has a known
	 * inclusion probability, so a design weight. */
	int probability;
	/* 2 if it reads its input twice (not as a partial, which is always
	 * one pass). */
	int passes;
	/* Check that the fields of its member of the options' union are
	 * set and in range, naming them ("stratified.by"). */
	int (*check)(const struct sift_sample_opts *o, struct sift_error *err);
	/* The name of the number column it appends to every record, or
	 * NULL for the design weight's (opts.emit_weight). */
	const char *(*column)(const struct sift_sample_opts *o);
	/* Sample c's reader into its writer (header already written). */
	int (*run)(struct sampler *c);
	/* For --merge, with the pools of all partials read: each kept row's
	 * design weight, and the rows of the sample into out[0..*n_out)
	 * (out has room for every row the pools hold). NULL when the method
	 * cannot be merged. */
	int (*merge)(const struct sample_signature *sig,
		     struct sample_pool *pools, size_t n_pools,
		     struct sample_record **out, size_t *n_out,
		     struct sift_error *err);
};

/* The method m's descriptor (m in range). */
const struct sample_method *sample_method(enum sift_sample_method m);

extern const struct sample_method sample_method_first;
extern const struct sample_method sample_method_reservoir;
extern const struct sample_method sample_method_bernoulli;
extern const struct sample_method sample_method_systematic;
extern const struct sample_method sample_method_hash;
extern const struct sample_method sample_method_stratified;
extern const struct sample_method sample_method_quota;
extern const struct sample_method sample_method_weighted;
extern const struct sample_method sample_method_importance;
extern const struct sample_method sample_method_snowball;
extern const struct sample_method sample_method_judgment;
extern const struct sample_method sample_method_uncertainty;

#endif
