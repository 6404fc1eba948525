/*
 * lib/sample_strata.c - stratified and quota sampling (see sift/sample.h).
 *
 * Stratified sampling with an allocation reads its input twice: the
 * first pass counts each stratum, sift_allocate shares the sample among
 * them, and the second pass takes exactly each stratum's share by
 * selection sampling, in input order and with memory bounded by the
 * number of strata.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sift/colexpr.h"
#include "sift/intern.h"
#include "sift/mem.h"
#include "sift/sampling.h"
#include "sample_method.h"

/* ---- strata ----------------------------------------------------------- */

struct strata {
	struct sift_colexpr **cols;
	size_t ncols;
	struct sift_intern *names;
	char *key;
	size_t key_cap;
	uint64_t *size, *alloc, *seen, *taken;
	size_t cap;
};

/* Copy the strata's names and counts into the stats, for reports. */
static int report_strata(struct sampler *c, const struct strata *s)
{
	size_t k = s->names ? sift_intern_count(s->names) : 0;
	struct sift_stratum_count *out = calloc(k ? k : 1, sizeof *out);

	if (!out)
		return sift_error_nomem(c->err);
	c->st->strata = out;
	c->st->n_strata = k;
	for (size_t h = 0; h < k; h++) {
		size_t len;
		const char *name = sift_intern_str(s->names, h, &len);

		out[h].name = malloc(len + 1);
		if (!out[h].name)
			return sift_error_nomem(c->err);
		for (size_t i = 0; i < len; i++)
			out[h].name[i] = name[i] == '\x1f' ? ',' : name[i];
		out[h].name[len] = '\0';
		out[h].size = s->size[h];
		out[h].taken = s->taken[h];
	}
	return 0;
}

static void strata_free(struct strata *s)
{
	sift_colexpr_list_free(s->cols, s->ncols);
	sift_intern_free(s->names);
	free(s->key);
	free(s->size);
	free(s->alloc);
	free(s->seen);
	free(s->taken);
}

/* The id of rec's stratum (its --by values joined), adding it if
 * new. */
static int stratum_of(struct sampler *c, struct strata *s,
		      const struct sift_record *rec, size_t *id)
{
	size_t len;
	int rc = sift_colexpr_join(c->r, rec, s->cols, s->ncols, &s->key,
				   &s->key_cap, &len, c->err);

	if (rc)
		return rc;
	if (sift_intern_add(s->names, s->key ? s->key : "", len, id))
		return sift_error_nomem(c->err);
	if (*id < s->cap)
		return 0;
	/* Four arrays of one room. */
	size_t cap = sift_grow_cap(s->cap, *id + 1, 64);
	uint64_t **arrays[] = { &s->size, &s->alloc, &s->seen, &s->taken };
	for (size_t i = 0; i < 4; i++)
		if (sift_resize_zero(arrays[i], s->cap, cap,
				     sizeof **arrays[i]))
			return sift_error_nomem(c->err);
	s->cap = cap;
	return 0;
}

/* The strata's columns: stratified.by or quota.by. */
static const char *strata_by(const struct sift_sample_opts *o)
{
	return o->method == SIFT_SAMPLE_QUOTA ? o->quota.by : o->stratified.by;
}

static int strata_init(struct sampler *c, struct strata *s)
{
	memset(s, 0, sizeof *s);
	s->names = sift_intern_new();
	if (!s->names)
		return sift_error_nomem(c->err);
	return sift_colexpr_list(c->r, strata_by(c->o), "by", &s->cols,
				 &s->ncols, c->err);
}

/* A stratum's name for a note: its --by values joined by commas. */
static void stratum_name(const struct strata *s, size_t h, char *buf,
			 size_t size)
{
	size_t len, i;
	const char *name = sift_intern_str(s->names, h, &len);

	for (i = 0; i < len && i + 1 < size; i++)
		buf[i] = name[i] == '\x1f' ? ',' : name[i];
	buf[i] = '\0';
}

/* Strata that have records and get none of the sample, by name, at most
 * NOTE_STRATA of them (their records can never be drawn); the hint goes
 * on the last line. */
enum { NOTE_STRATA = 5 };

static void note_empty_strata(struct sampler *c, const struct strata *s)
{
	static const char hint[] = " (`min` 1 gives each stratum at least one)";
	char said_hint[128];
	size_t k = sift_intern_count(s->names), empty = 0, said = 0;
	char name[64];

	for (size_t h = 0; h < k; h++)
		empty += s->alloc[h] == 0 && s->size[h] > 0;
	for (size_t h = 0; h < k && said < NOTE_STRATA; h++) {
		if (s->alloc[h] > 0 || s->size[h] == 0)
			continue;
		stratum_name(s, h, name, sizeof name);
		said++;
		sample_note(c,
			    "stratum '%s' (%llu records) gets no record of "
			    "`n` %llu, so its records cannot be drawn%s",
			    name, (unsigned long long)s->size[h],
			    (unsigned long long)c->o->stratified.n,
			    said == empty ? sift_option_text(hint, said_hint,
							     sizeof said_hint)
					  : "");
	}
	if (empty > said)
		sample_note(c,
			    "and %zu more strata get no record, %zu of %zu "
			    "in all (`verbose` lists every stratum; `min` "
			    "1 gives each at least one)",
			    empty - said, empty, k);
}

/* --by with one value over the whole input: one stratum, which slices
 * nothing. */
static void note_one_stratum(struct sampler *c, const struct strata *s)
{
	char name[64];

	if (sift_intern_count(s->names) != 1 || c->st->n_in == 0)
		return;
	stratum_name(s, 0, name, sizeof name);
	sample_note(c,
		    "`by` %s: all %llu records have the value '%s': a "
		    "single stratum, so the sample is %s",
		    strata_by(c->o), (unsigned long long)c->st->n_in, name,
		    c->o->method == SIFT_SAMPLE_QUOTA
			    ? "the first records of the input"
			    : "a simple random sample");
}

static int sample_quota(struct sampler *c)
{
	const struct sift_record *rec;
	struct strata s;
	int rc = strata_init(c, &s);

	while (!rc) {
		size_t id;

		rc = sample_next(c, &rec);
		if (rc || !rec)
			break;
		rc = stratum_of(c, &s, rec, &id);
		if (!rc)
			s.size[id]++;
		if (!rc && s.taken[id] < c->o->quota.per_stratum) {
			s.taken[id]++;
			rc = sample_take(c, rec, NAN);
		}
	}
	c->st->n_in = sift_reader_count(c->r);
	if (!rc)
		note_one_stratum(c, &s);
	if (!rc)
		rc = report_strata(c, &s);
	strata_free(&s);
	return rc;
}

/* First pass: the size of every stratum; then the allocation. */
static int count_strata(struct sampler *c, struct strata *s)
{
	const struct sift_record *rec;
	int rc;

	for (;;) {
		size_t id;

		rc = sample_next(c, &rec);
		if (rc || !rec)
			break;
		rc = stratum_of(c, s, rec, &id);
		if (rc)
			break;
		s->size[id]++;
	}
	c->st->n_in = sift_reader_count(c->r);
	return rc;
}

static int allocate(struct sampler *c, struct strata *s)
{
	size_t k = sift_intern_count(s->names);
	double *share;

	const uint64_t n = c->o->stratified.n;

	if (c->o->stratified.size == SIFT_STRATA_EACH) {
		for (size_t h = 0; h < k; h++)
			s->alloc[h] = s->size[h] < n ? s->size[h] : n;
		return 0;
	}
	share = malloc((k ? k : 1) * sizeof *share);
	if (!share)
		return sift_error_nomem(c->err);
	for (size_t h = 0; h < k; h++)
		share[h] = c->o->stratified.allocation == SIFT_ALLOC_EQUAL
				   ? 1.0
				   : (double)s->size[h];
	int bad = sift_allocate(n, k, s->size, share, c->o->stratified.min,
				s->alloc);
	free(share);
	if (bad == -2)
		return sift_error_nomem(c->err);
	if (bad)
		return sift_error_set(c->err, SIFT_EDATA,
				      "%s: `min` %llu over %zu "
				      "strata needs more than `n` %llu records",
				      sift_reader_name(c->r),
				      (unsigned long long)c->o->stratified.min,
				      k, (unsigned long long)n);
	if (n > c->st->n_in && c->st->n_in > 0)
		sample_note_all_kept(c, n, c->st->n_in);
	note_empty_strata(c, s);
	return 0;
}

static int changed(struct sampler *c)
{
	return sift_error_set(c->err, SIFT_EDATA,
			      "%s: the input changed between its two readings",
			      sift_reader_name(c->r));
}

/* Second pass: in each stratum, selection sampling (Fan, Muller and
 * Rezucha 1962; Knuth's Algorithm S) takes exactly alloc of its size
 * records, each subset equally likely, in input order. */
static int select_strata(struct sampler *c, struct strata *s)
{
	const size_t k = sift_intern_count(s->names);
	struct sift_select *sel = malloc((k ? k : 1) * sizeof *sel);
	const struct sift_record *rec;
	int rc = 0;

	if (!sel)
		return sift_error_nomem(c->err);
	for (size_t h = 0; h < k; h++)
		sift_select_init(&sel[h], s->alloc[h], s->size[h]);
	for (;;) {
		size_t len, id;

		rc = sample_next(c, &rec);
		if (rc || !rec)
			break;
		rc = sift_colexpr_join(c->r, rec, s->cols, s->ncols, &s->key,
				       &s->key_cap, &len, c->err);
		if (rc)
			break;
		if (!sift_intern_find(s->names, s->key ? s->key : "", len,
				      &id) ||
		    s->seen[id] >= s->size[id]) {
			rc = changed(c);
			break;
		}
		s->seen[id]++;
		if (sift_select_take(&sel[id], &c->rng)) {
			s->taken[id]++;
			rc = sample_take(c, rec,
					 (double)s->size[id] /
						 (double)s->alloc[id]);
			if (rc)
				break;
		}
	}
	free(sel);
	/* Shorter on the second reading: a stratum came up short. */
	for (size_t h = 0; !rc && h < k; h++)
		if (s->seen[h] != s->size[h])
			rc = changed(c);
	return rc;
}

/* One stratum's keyed reservoir, for --partial. */
struct keyed {
	struct sift_topk top;
	struct sample_record *slots;
	size_t cap;
};

/* --partial: one pass keeping, in every stratum, the records of smallest
 * random key, as many as the stratum could be given (n, or k per
 * stratum), each written with its key and the stratum's size in this
 * shard; --merge adds the sizes up, allocates, and keeps the smallest
 * keys of each stratum. Memory: up to n records per stratum. */
static int stratified_partial(struct sampler *c, struct strata *s)
{
	const uint64_t m = c->o->stratified.n;
	const struct sift_record *rec;
	struct keyed *res = NULL;
	size_t nres = 0, total = 0;
	int rc = 0;

	while (!rc && m > 0) {
		size_t id, slot;

		rc = sample_next(c, &rec);
		if (rc || !rec)
			break;
		rc = stratum_of(c, s, rec, &id);
		if (rc)
			break;
		s->size[id]++;
		if (id >= nres) {
			if (sift_resize(&res, id + 1, sizeof *res)) {
				rc = sift_error_nomem(c->err);
				break;
			}
			for (; nres <= id; nres++) {
				memset(&res[nres], 0, sizeof res[nres]);
				sift_topk_init(&res[nres].top, (size_t)m);
			}
		}
		double key = sample_partial_key(c);
		int entered = sift_topk_offer(&res[id].top, -key, &slot);
		if (entered < 0)
			rc = sift_error_nomem(c->err);
		if (entered <= 0)
			continue;
		rc = sample_copy_at(c, &res[id].slots, &res[id].cap, slot, rec,
				    0);
		if (!rc) {
			res[id].slots[slot].key = key;
			res[id].slots[slot].count = (double)id; /* for now */
		}
	}
	if (!rc && m == 0)
		rc = sift_reader_skip(c->r, UINT64_MAX, NULL, c->err);
	c->st->n_in = sift_reader_count(c->r);
	for (size_t h = 0; h < nres; h++)
		total += res[h].top.n;
	struct sample_record **all = malloc((total ? total : 1) * sizeof *all);
	if (!all && !rc)
		rc = sift_error_nomem(c->err);
	for (size_t h = 0, k = 0; all && h < nres; h++)
		for (size_t i = 0; i < res[h].top.n; i++) {
			res[h].slots[i].count = (double)s->size[h];
			res[h].slots[i].weight = NAN;
			s->taken[h]++;
			all[k++] = &res[h].slots[i];
		}
	if (!rc)
		rc = sample_write_held(c, all, total);
	free(all);
	for (size_t h = 0; h < nres; h++) {
		sample_free_records(res[h].slots, res[h].cap);
		sift_topk_free(&res[h].top);
	}
	free(res);
	return rc;
}

static int sample_stratified(struct sampler *c)
{
	struct strata s;
	int rc = strata_init(c, &s);

	if (!rc && c->o->partial) {
		rc = stratified_partial(c, &s);
		if (!rc)
			rc = report_strata(c, &s);
		strata_free(&s);
		return rc;
	}
	if (!rc)
		rc = count_strata(c, &s);
	if (!rc)
		note_one_stratum(c, &s);
	if (!rc)
		rc = allocate(c, &s);
	if (!rc)
		rc = sift_reader_rewind(c->r, c->err);
	if (!rc)
		rc = select_strata(c, &s);
	if (!rc)
		rc = report_strata(c, &s);
	strata_free(&s);
	return rc;
}

/* ---- merging stratified partials -------------------------------------- */

/* Each stratum's allocation over all shards, then its alloc smallest
 * keys, each standing for size/alloc records of its stratum. */
static int stratified_merge(const struct sample_signature *sig,
			    struct sample_pool *pools, size_t n_pools,
			    struct sample_record **out, size_t *n_out,
			    struct sift_error *err)
{
	size_t n = n_pools ? n_pools : 1;
	uint64_t *size = calloc(n, sizeof *size);
	uint64_t *alloc = calloc(n, sizeof *alloc);
	double *share = calloc(n, sizeof *share);
	int rc = 0;

	*n_out = 0;
	if (!size || !alloc || !share) {
		rc = sift_error_nomem(err);
		goto out;
	}
	for (size_t h = 0; h < n_pools; h++) {
		size[h] = pools[h].size;
		share[h] = sig->allocation == SIFT_ALLOC_EQUAL
				   ? 1
				   : (double)size[h];
	}
	if (sig->per_stratum) {
		for (size_t h = 0; h < n_pools; h++)
			alloc[h] = size[h] < sig->n ? size[h] : sig->n;
	} else if (sift_allocate(sig->n, n_pools, size, share, sig->min,
				 alloc) != 0) {
		rc = sift_error_set(err, SIFT_EDATA,
				    "`min` %llu over %zu strata "
				    "needs more than `n` %llu records",
				    (unsigned long long)sig->min, n_pools,
				    (unsigned long long)sig->n);
		goto out;
	}
	for (size_t h = 0; h < n_pools; h++) {
		struct sample_pool *p = &pools[h];

		qsort(p->slots, p->top.n, sizeof *p->slots, sample_by_key);
		for (size_t i = 0; i < alloc[h]; i++) {
			p->slots[i].weight = (double)size[h] / (double)alloc[h];
			out[(*n_out)++] = &p->slots[i];
		}
	}
out:
	free(size);
	free(alloc);
	free(share);
	return rc;
}

/* ---- the descriptors -------------------------------------------------- */

static int stratified_check(const struct sift_sample_opts *o,
			    struct sift_error *err)
{
	if (!o->stratified.by)
		return sample_unset(err, "stratified.by");
	if (o->partial && strlen(o->stratified.by) > SIFT_SAMPLE_MAX_BY)
		return sift_error_set(err, SIFT_EUSAGE,
				      "stratified.by: longer than %d bytes, "
				      "too long for a partial",
				      SIFT_SAMPLE_MAX_BY);
	if (o->stratified.size == SIFT_STRATA_EACH && o->stratified.min)
		return sift_error_set(err, SIFT_EUSAGE,
				      "stratified.min: a minimum goes with a "
				      "shared size, not with n of each "
				      "stratum");
	return 0;
}

static int quota_check(const struct sift_sample_opts *o, struct sift_error *err)
{
	return o->quota.by ? 0 : sample_unset(err, "quota.by");
}

const struct sample_method sample_method_stratified = {
	.probability = 1,
	.passes = 2,
	.check = stratified_check,
	.run = sample_stratified,
	.merge = stratified_merge,
};

const struct sample_method sample_method_quota = {
	.passes = 1,
	.check = quota_check,
	.run = sample_quota,
};
