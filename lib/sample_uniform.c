/*
 * lib/sample_uniform.c - the methods that give every record the same
 * chance, or take them in order: first (convenience), reservoir
 * (simple random sampling, mergeable), bernoulli, systematic and hash.
 *
 * Methods that decide record by record (first, bernoulli, systematic,
 * hash) take each kept record as soon as they meet it; the reservoir
 * holds copies of at most n records and writes them in input order at
 * the end. Passing over records the sample will not keep, the reader
 * skips them unparsed (sift_reader_skip).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "sift/colexpr.h"
#include "sift/mem.h"
#include "sift/sampling.h"
#include "sample_method.h"

static int sample_first(struct sampler *c)
{
	const struct sift_record *rec;
	int rc = 0;

	while (c->st->n_in < c->o->first.n) {
		rc = sample_next(c, &rec);
		if (rc || !rec)
			break;
		c->st->n_in++;
		rc = sample_take(c, rec, NAN);
		if (rc)
			break;
	}
	return rc;
}

/* The next record of a full bottom-k reservoir whose largest key is t,
 * and its key: each record's key is below t with probability t, so the
 * records passed over before the next one that enters are geometric and
 * its key is uniform below t (the idea of Li's Algorithm L, for keys).
 * The same distribution as a key for every record, without reading the
 * records passed over. */
static int next_entrant(struct sampler *c, double t,
			const struct sift_record **rec, double *key)
{
	uint64_t skip = sift_geometric_skip(&c->rng, t), skipped;
	int rc = sift_reader_skip(c->r, skip, &skipped, c->err);

	*rec = NULL;
	if (rc || skipped < skip)
		return rc;
	rc = sample_next(c, rec);
	*key = t * sample_partial_key(c);
	return rc;
}

/* --partial: the n records of smallest random key, each written with
 * its key and the shard's size, so that --merge can keep the n smallest
 * of all shards: a uniform sample of the whole (bottom-k sampling). */
static int reservoir_partial(struct sampler *c)
{
	const struct sift_record *rec;
	struct sift_topk top;
	struct sample_record *slots = NULL;
	size_t cap = 0;
	int rc = 0;

	sift_topk_init(&top,
		       (size_t)(c->o->reservoir.n < SIZE_MAX ? c->o->reservoir.n
							     : SIZE_MAX));
	while (!rc && c->o->reservoir.n > 0) {
		size_t slot;
		double key = 0;

		if (top.n == top.k) {
			rc = next_entrant(c, -sift_topk_min(&top), &rec, &key);
		} else {
			rc = sample_next(c, &rec);
			key = sample_partial_key(c);
		}
		if (rc || !rec)
			break;
		int entered = sift_topk_offer(&top, -key, &slot);
		if (entered < 0)
			rc = sift_error_nomem(c->err);
		if (entered <= 0)
			continue;
		rc = sample_copy_at(c, &slots, &cap, slot, rec, 0);
		if (!rc)
			slots[slot].key = key;
	}
	if (!rc && c->o->reservoir.n == 0)
		rc = sift_reader_skip(c->r, UINT64_MAX, NULL, c->err);
	c->st->n_in = sift_reader_count(c->r);
	for (size_t i = 0; i < top.n; i++) {
		slots[i].count = (double)c->st->n_in;
		slots[i].weight = (double)c->st->n_in / (double)top.n;
	}
	if (!rc)
		rc = sample_write_array(c, slots, top.n);
	sample_free_records(slots, cap);
	sift_topk_free(&top);
	return rc;
}

static int sample_reservoir(struct sampler *c)
{
	const uint64_t n = c->o->reservoir.n;
	struct sample_record *slots = NULL;
	size_t n_slots = 0, cap = 0;
	const struct sift_record *rec;
	struct sift_algl algl;
	int rc = 0;

	if (c->o->partial)
		return reservoir_partial(c);
	/* The first n records fill the reservoir. */
	while (n_slots < n) {
		rc = sample_next(c, &rec);
		if (rc || !rec)
			break;
		/* Doubling, but never past n. */
		if (n_slots == cap) {
			size_t ncap = sift_grow_cap(cap, cap + 1, 1024);

			if (ncap > n)
				ncap = (size_t)n;
			if (sift_resize_zero(&slots, cap, ncap,
					     sizeof *slots)) {
				rc = sift_error_nomem(c->err);
				break;
			}
			cap = ncap;
		}
		rc = sample_copy(c, &slots[n_slots++], rec);
		if (rc)
			break;
	}
	if (!rc && n == 0) /* nothing to keep, but the input is checked */
		rc = sift_reader_skip(c->r, UINT64_MAX, NULL, c->err);
	if (!rc && n_slots == n && n > 0) {
		sift_algl_init(&algl, n, &c->rng);
		for (;;) {
			uint64_t skip = sift_algl_skip(&algl), skipped;

			rc = sift_reader_skip(c->r, skip, &skipped, c->err);
			if (rc || skipped < skip)
				break;
			rc = sample_next(c, &rec);
			if (rc || !rec)
				break;
			rc = sample_copy(c, &slots[sift_rng_below(&c->rng, n)],
					 rec);
			if (rc)
				break;
		}
	}
	c->st->n_in = sift_reader_count(c->r);
	if (!rc) {
		if (n > c->st->n_in && c->st->n_in > 0)
			sample_note_all_kept(c, n, c->st->n_in);
		for (size_t i = 0; i < n_slots; i++)
			slots[i].weight = (double)c->st->n_in / (double)n_slots;
		rc = sample_write_array(c, slots, n_slots);
	}
	sample_free_records(slots, n_slots);
	return rc;
}

static int sample_bernoulli(struct sampler *c)
{
	const struct sift_record *rec;
	const double p = c->o->bernoulli.p;
	int rc;

	for (;;) {
		uint64_t skip = sift_geometric_skip(&c->rng, p), skipped;

		rc = sift_reader_skip(c->r, skip, &skipped, c->err);
		if (rc || skipped < skip)
			break;
		rc = sample_next(c, &rec);
		if (rc || !rec)
			break;
		rc = sample_take(c, rec, 1.0 / p);
		if (rc)
			break;
	}
	c->st->n_in = sift_reader_count(c->r);
	return rc;
}

static int sample_systematic(struct sampler *c)
{
	const struct sift_record *rec;
	const uint64_t k = c->o->systematic.every;
	uint64_t skip = sift_rng_below(&c->rng, k), skipped;
	int rc;

	for (;;) {
		rc = sift_reader_skip(c->r, skip, &skipped, c->err);
		if (rc || skipped < skip)
			break;
		rc = sample_next(c, &rec);
		if (rc || !rec)
			break;
		rc = sample_take(c, rec, (double)k);
		if (rc)
			break;
		skip = k - 1;
	}
	c->st->n_in = sift_reader_count(c->r);
	return rc;
}

/* The hash threshold: keys whose 64-bit hash is below it are kept. */
static uint64_t hash_threshold(double p)
{
	double t = ldexp(p, 64);

	return t >= 18446744073709551615.0 ? UINT64_MAX : (uint64_t)t;
}

static int sample_hash(struct sampler *c)
{
	const struct sift_record *rec;
	const uint64_t threshold = hash_threshold(c->o->hash.p);
	struct sift_colexpr *key;
	int rc = sift_colexpr_open(c->r, c->o->hash.key, "key", &key, c->err);

	while (!rc) {
		const char *s;
		size_t len;

		rc = sample_next(c, &rec);
		if (rc || !rec)
			break;
		rc = sift_colexpr_get(c->r, rec, key, &s, &len, c->err);
		if (rc)
			break;
		uint64_t h = XXH3_64bits_withSeed(s, len, c->o->seed);
		if (h < threshold || c->o->hash.p >= 1.0)
			rc = sample_take(c, rec, 1.0 / c->o->hash.p);
	}
	c->st->n_in = sift_reader_count(c->r);
	sift_colexpr_free(key);
	return rc;
}

/* ---- merging reservoirs ---------------------------------------------- */

/* The one pool of a merged reservoir: its n smallest keys, each standing
 * for size/n records of the whole input. */
static int reservoir_merge(const struct sample_signature *sig,
			   struct sample_pool *pools, size_t n_pools,
			   struct sample_record **out, size_t *n_out,
			   struct sift_error *err)
{
	(void)sig;
	(void)err;
	*n_out = 0;
	for (size_t h = 0; h < n_pools; h++) {
		struct sample_pool *p = &pools[h];

		for (size_t i = 0; i < p->top.n; i++) {
			p->slots[i].weight = (double)p->size / (double)p->top.n;
			out[(*n_out)++] = &p->slots[i];
		}
	}
	return 0;
}

/* ---- the descriptors -------------------------------------------------- */

static int first_check(const struct sift_sample_opts *o, struct sift_error *err)
{
	(void)o;
	(void)err;
	return 0;
}

static int bernoulli_check(const struct sift_sample_opts *o,
			   struct sift_error *err)
{
	return sample_check_probability(err, "bernoulli.p", o->bernoulli.p);
}

static int systematic_check(const struct sift_sample_opts *o,
			    struct sift_error *err)
{
	return o->systematic.every
		       ? 0
		       : sift_error_set(err, SIFT_EUSAGE,
					"systematic.every: the interval "
					"must be >= 1");
}

static int hash_check(const struct sift_sample_opts *o, struct sift_error *err)
{
	if (!o->hash.key)
		return sample_unset(err, "hash.key");
	return sample_check_probability(err, "hash.p", o->hash.p);
}

const struct sample_method sample_method_first = {
	.passes = 1,
	.check = first_check,
	.run = sample_first,
};

const struct sample_method sample_method_reservoir = {
	.probability = 1,
	.passes = 1,
	.check = first_check,
	.run = sample_reservoir,
	.merge = reservoir_merge,
};

const struct sample_method sample_method_bernoulli = {
	.probability = 1,
	.passes = 1,
	.check = bernoulli_check,
	.run = sample_bernoulli,
};

const struct sample_method sample_method_systematic = {
	.probability = 1,
	.passes = 1,
	.check = systematic_check,
	.run = sample_systematic,
};

const struct sample_method sample_method_hash = {
	.probability = 1,
	.passes = 1,
	.check = hash_check,
	.run = sample_hash,
};
