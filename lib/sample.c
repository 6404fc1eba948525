/*
 * lib/sample.c - the sampling methods of sift sample, from reader to
 * writer (see sift/sample.h; the selection primitives are in
 * sift/sampling.h).
 *
 * Methods that decide record by record (first, bernoulli, systematic,
 * hash, quota, and stratified on its second pass) write each kept record
 * as soon as they meet it; methods that keep a reservoir (reservoir,
 * weighted, importance) hold copies of at most n records and write them
 * in input order at the end. With shuffle, every method holds its sample
 * and writes it in random order.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "sift/colexpr.h"
#include "sift/intern.h"
#include "sift/parse.h"
#include "sift/sample.h"
#include "sift/sampling.h"
#include "sample_impl.h"

/* ---- names and checks ------------------------------------------------ */

static const struct {
	const char *name;
	enum sift_sample_method method;
} method_names[] = {
	{ "first", SIFT_SAMPLE_FIRST },
	{ "convenience", SIFT_SAMPLE_FIRST },
	{ "reservoir", SIFT_SAMPLE_RESERVOIR },
	{ "random", SIFT_SAMPLE_RESERVOIR },
	{ "srs", SIFT_SAMPLE_RESERVOIR },
	{ "bernoulli", SIFT_SAMPLE_BERNOULLI },
	{ "systematic", SIFT_SAMPLE_SYSTEMATIC },
	{ "hash", SIFT_SAMPLE_HASH },
	{ "stratified", SIFT_SAMPLE_STRATIFIED },
	{ "quota", SIFT_SAMPLE_QUOTA },
	{ "weighted", SIFT_SAMPLE_WEIGHTED },
	{ "pps", SIFT_SAMPLE_WEIGHTED },
	{ "importance", SIFT_SAMPLE_IMPORTANCE },
	{ "snowball", SIFT_SAMPLE_SNOWBALL },
	{ "judgment", SIFT_SAMPLE_JUDGMENT },
	{ "judgement", SIFT_SAMPLE_JUDGMENT },
	{ "uncertainty", SIFT_SAMPLE_UNCERTAINTY },
	{ "active", SIFT_SAMPLE_UNCERTAINTY },
};

int sift_sample_method_parse(const char *s)
{
	for (size_t i = 0; i < sizeof method_names / sizeof *method_names; i++)
		if (strcmp(s, method_names[i].name) == 0)
			return (int)method_names[i].method;
	return -1;
}

const char *sift_sample_method_name(enum sift_sample_method m)
{
	for (size_t i = 0; i < sizeof method_names / sizeof *method_names; i++)
		if (method_names[i].method == m)
			return method_names[i].name;
	return "?";
}

void sift_sample_opts_init(struct sift_sample_opts *o)
{
	memset(o, 0, sizeof *o);
	o->method = SIFT_SAMPLE_RESERVOIR;
	o->allocation = SIFT_ALLOC_PROPORTIONAL;
}

int sift_sample_needs_rewind(const struct sift_sample_opts *o)
{
	return (o->method == SIFT_SAMPLE_STRATIFIED && !o->partial) ||
	       o->method == SIFT_SAMPLE_SNOWBALL;
}

int sift_uncertainty_parse(const char *s)
{
	if (strcmp(s, "least-confidence") == 0)
		return SIFT_LEAST_CONFIDENCE;
	if (strcmp(s, "margin") == 0)
		return SIFT_MARGIN;
	if (strcmp(s, "entropy") == 0)
		return SIFT_ENTROPY;
	return -1;
}

/* Option letters, for messages, in the order of the checks below. */
enum {
	USE_N = 1,
	USE_P = 2,
	USE_EVERY = 4,
	USE_KEY = 8,
	USE_BY = 16,
	USE_PER = 32,
	USE_MIN = 64,
	USE_WEIGHT = 128,
	USE_TARGET = 256,
	USE_REPLACE = 512,
	USE_EMIT = 1024,
	USE_ALLOC = 2048,
	USE_SEEDS = 4096,
	USE_USER = 8192,
	USE_LINKS = 16384,
	USE_WAVES = 32768,
	USE_WHERE = 65536,
	USE_PROBA = 131072,
	USE_MEASURE = 262144,
	USE_MIX = 524288,
	USE_PARTIAL = 1048576
};

static unsigned options_allowed(enum sift_sample_method m)
{
	switch (m) {
	case SIFT_SAMPLE_FIRST:
		return USE_N;
	case SIFT_SAMPLE_RESERVOIR:
		return USE_N | USE_EMIT | USE_PARTIAL;
	case SIFT_SAMPLE_BERNOULLI:
		return USE_P | USE_EMIT;
	case SIFT_SAMPLE_SYSTEMATIC:
		return USE_EVERY | USE_EMIT;
	case SIFT_SAMPLE_HASH:
		return USE_KEY | USE_P | USE_EMIT;
	case SIFT_SAMPLE_STRATIFIED:
		return USE_BY | USE_N | USE_PER | USE_MIN | USE_ALLOC |
		       USE_EMIT | USE_PARTIAL;
	case SIFT_SAMPLE_QUOTA:
		return USE_BY | USE_PER;
	case SIFT_SAMPLE_WEIGHTED:
		return USE_WEIGHT | USE_N | USE_REPLACE | USE_EMIT |
		       USE_PARTIAL;
	case SIFT_SAMPLE_IMPORTANCE:
		return USE_WEIGHT | USE_N | USE_P | USE_TARGET | USE_EMIT;
	case SIFT_SAMPLE_SNOWBALL:
		return USE_SEEDS | USE_USER | USE_LINKS | USE_WAVES;
	case SIFT_SAMPLE_JUDGMENT:
		return USE_WHERE | USE_N;
	case SIFT_SAMPLE_UNCERTAINTY:
		return USE_N | USE_PROBA | USE_MEASURE | USE_MIX;
	}
	return 0;
}

static unsigned options_given(const struct sift_sample_opts *o)
{
	return (o->have_n ? USE_N : 0) | (o->have_p ? USE_P : 0) |
	       (o->every ? USE_EVERY : 0) | (o->key ? USE_KEY : 0) |
	       (o->by ? USE_BY : 0) | (o->have_per_stratum ? USE_PER : 0) |
	       (o->have_min ? USE_MIN : 0) | (o->weight ? USE_WEIGHT : 0) |
	       (o->target ? USE_TARGET : 0) | (o->replace ? USE_REPLACE : 0) |
	       (o->emit_weight ? USE_EMIT : 0) |
	       (o->have_allocation ? USE_ALLOC : 0) |
	       (o->seeds ? USE_SEEDS : 0) | (o->user ? USE_USER : 0) |
	       (o->links ? USE_LINKS : 0) | (o->have_waves ? USE_WAVES : 0) |
	       (o->where ? USE_WHERE : 0) | (o->proba_prefix ? USE_PROBA : 0) |
	       (o->have_measure ? USE_MEASURE : 0) |
	       (o->have_mix ? USE_MIX : 0) | (o->partial ? USE_PARTIAL : 0);
}

static const char *option_name(unsigned bit)
{
	switch (bit) {
	case USE_N:
		return "-n";
	case USE_P:
		return "-p";
	case USE_EVERY:
		return "-k";
	case USE_KEY:
		return "--key";
	case USE_BY:
		return "--by";
	case USE_PER:
		return "--per-stratum";
	case USE_MIN:
		return "--min-per-stratum";
	case USE_WEIGHT:
		return "--weight";
	case USE_TARGET:
		return "--target";
	case USE_REPLACE:
		return "--replace";
	case USE_EMIT:
		return "--emit-weight";
	case USE_SEEDS:
		return "--seeds";
	case USE_USER:
		return "--user";
	case USE_LINKS:
		return "--links";
	case USE_WAVES:
		return "--waves";
	case USE_WHERE:
		return "--where";
	case USE_PROBA:
		return "--proba-prefix";
	case USE_MEASURE:
		return "--by (a measure)";
	case USE_MIX:
		return "--mix";
	case USE_PARTIAL:
		return "--partial";
	default:
		return "--allocation";
	}
}

static int need(struct sift_error *err, const char *method, const char *what)
{
	return sift_error_set(err, SIFT_EUSAGE, "-m %s needs %s", method, what);
}

int sift_sample_check(const struct sift_sample_opts *o, struct sift_error *err)
{
	const char *m = sift_sample_method_name(o->method);
	unsigned extra = options_given(o) & ~options_allowed(o->method);

	if ((unsigned)o->method > SIFT_SAMPLE_UNCERTAINTY)
		return sift_error_set(err, SIFT_EUSAGE, "no sampling method %d",
				      (int)o->method);

	if (extra) {
		unsigned bit = extra & -extra;

		if (bit == USE_EMIT)
			return sift_error_set(err, SIFT_EUSAGE,
					      "--emit-weight: -m %s is not a "
					      "probability sample, so it has "
					      "no design weight",
					      m);
		return sift_error_set(err, SIFT_EUSAGE,
				      "%s does not apply to -m %s",
				      option_name(bit), m);
	}
	if (o->partial && (!o->shard || !*o->shard))
		return sift_error_set(err, SIFT_EUSAGE,
				      "--partial needs the shard's identity "
				      "(--shard ID), from which with the seed "
				      "its keys are drawn");
	if (o->partial && o->by && strlen(o->by) > SIFT_SAMPLE_MAX_BY)
		return sift_error_set(err, SIFT_EUSAGE,
				      "--by: longer than %d bytes, too long "
				      "for --partial",
				      SIFT_SAMPLE_MAX_BY);
	if (o->partial && o->emit_weight)
		return sift_error_set(err, SIFT_EUSAGE,
				      "--emit-weight goes with --merge, which "
				      "sees the whole input, not with "
				      "--partial");
	if (o->have_p && o->method != SIFT_SAMPLE_IMPORTANCE &&
	    !(o->p >= 0 && o->p <= 1))
		return sift_error_set(err, SIFT_EUSAGE,
				      "-p: P must be in [0, 1]");
	switch (o->method) {
	case SIFT_SAMPLE_FIRST:
	case SIFT_SAMPLE_RESERVOIR:
		return o->have_n ? 0 : need(err, m, "-n N");
	case SIFT_SAMPLE_BERNOULLI:
		return o->have_p ? 0 : need(err, m, "-p P");
	case SIFT_SAMPLE_SYSTEMATIC:
		return o->every ? 0 : need(err, m, "-k K (keep every K-th)");
	case SIFT_SAMPLE_HASH:
		if (!o->key)
			return need(err, m, "--key COL");
		return o->have_p ? 0 : need(err, m, "-p P");
	case SIFT_SAMPLE_STRATIFIED:
		if (!o->by)
			return need(err, m, "--by COL");
		if (o->have_n == o->have_per_stratum)
			return need(err, m, "either -n N or --per-stratum K");
		if (o->have_per_stratum && (o->have_min || o->have_allocation))
			return sift_error_set(err, SIFT_EUSAGE,
					      "--per-stratum takes neither "
					      "--min-per-stratum nor "
					      "--allocation");
		return 0;
	case SIFT_SAMPLE_QUOTA:
		if (!o->by)
			return need(err, m, "--by COL");
		return o->have_per_stratum ? 0
					   : need(err, m, "--per-stratum K");
	case SIFT_SAMPLE_WEIGHTED:
		if (!o->weight)
			return need(err, m, "--weight COL");
		if (o->partial && o->replace)
			return sift_error_set(err, SIFT_EUSAGE,
					      "--partial: weighted sampling "
					      "with --replace cannot be "
					      "merged");
		return o->have_n ? 0 : need(err, m, "-n N");
	case SIFT_SAMPLE_IMPORTANCE:
		if (!o->weight)
			return need(err, m, "--weight COL (the proposal Q)");
		if (o->have_n == o->have_p)
			return need(err, m, "either -n N or -p RATE");
		if (o->have_p && o->p < 0)
			return sift_error_set(err, SIFT_EUSAGE,
					      "-p: the rate must be >= 0");
		return 0;
	case SIFT_SAMPLE_SNOWBALL:
		if (!o->seeds)
			return need(err, m, "--seeds USER[,USER...] or @FILE");
		if (!o->user)
			return need(err, m, "--user COL");
		return o->links ? 0 : need(err, m, "--links COL");
	case SIFT_SAMPLE_JUDGMENT:
		return o->where ? 0 : need(err, m, "--where EXPR");
	case SIFT_SAMPLE_UNCERTAINTY:
		if (!o->have_n)
			return need(err, m, "-n N");
		if (o->have_mix && !(o->mix >= 0 && o->mix <= 1))
			return sift_error_set(err, SIFT_EUSAGE,
					      "--mix: the share must be in "
					      "[0, 1]");
		return 0;
	}
	return 0;
}

/* ---- holding and writing records ------------------------------------- */

int sample_keep(struct ctx *c, struct kept *k, const struct sift_record *rec)
{
	if (rec->len > k->cap) {
		size_t cap = rec->len < 64 ? 64 : rec->len;
		char *p = realloc(k->raw, cap);

		if (!p)
			return sift_error_nomem(c->err);
		k->raw = p;
		k->cap = cap;
	}
	memcpy(k->raw, rec->raw, rec->len);
	k->len = rec->len;
	k->eol = rec->eol;
	k->index = rec->index;
	k->weight = NAN;
	return 0;
}

static int write_line(struct ctx *c, const char *raw, size_t len,
		      const char *eol, double weight, const struct kept *k)
{
	int rc = sift_writer_write(c->w, raw, len, c->err);

	if (!rc && c->extra)
		rc = sift_writer_double(c->w, c->delim, weight, c->err);
	if (!rc && c->partial[0] && k) {
		rc = sift_writer_field(c->w, c->delim, c->partial,
				       strlen(c->partial), c->err);
		if (!rc)
			rc = sift_writer_double(c->w, c->delim, k->key, c->err);
		if (!rc)
			rc = sift_writer_double(c->w, c->delim, k->count,
						c->err);
	}
	if (!rc)
		rc = sift_writer_puts(c->w, *eol ? eol : "\n", c->err);
	if (!rc)
		c->st->n_out++;
	return rc;
}

static int write_header(struct ctx *c)
{
	static const char *const partial_cols[] = { SAMPLE_PARTIAL_COLS };
	const struct sift_record *h = sift_reader_header(c->r);
	int rc;

	if (!h)
		return 0;
	rc = sift_writer_write(c->w, h->raw, h->len, c->err);
	if (!rc && c->extra)
		rc = sift_writer_field(c->w, c->delim, c->extra,
				       strlen(c->extra), c->err);
	for (size_t i = 0; !rc && c->partial[0] && i < 3; i++)
		rc = sift_writer_field(c->w, c->delim, partial_cols[i],
				       strlen(partial_cols[i]), c->err);
	if (!rc)
		rc = sift_writer_puts(c->w, *h->eol ? h->eol : "\n", c->err);
	return rc;
}

int sample_emit(struct ctx *c, const struct sift_record *rec, double weight)
{
	if (!c->o->shuffle)
		return write_line(c, rec->raw, rec->len, rec->eol, weight,
				  NULL);
	if (c->n_held == c->cap_held) {
		size_t cap = c->cap_held ? c->cap_held * 2 : 1024;
		struct kept *p = realloc(c->held, cap * sizeof *p);

		if (!p)
			return sift_error_nomem(c->err);
		memset(p + c->cap_held, 0, (cap - c->cap_held) * sizeof *p);
		c->held = p;
		c->cap_held = cap;
	}
	int rc = sample_keep(c, &c->held[c->n_held], rec);
	if (rc)
		return rc;
	c->held[c->n_held++].weight = weight;
	return 0;
}

int sample_by_key(const void *a, const void *b)
{
	const struct kept *x = a, *y = b;

	return (x->key > y->key) - (x->key < y->key);
}

static int by_index(const void *a, const void *b)
{
	const struct kept *x = *(struct kept *const *)a;
	const struct kept *y = *(struct kept *const *)b;

	return (x->index > y->index) - (x->index < y->index);
}

/* Write n held records: in input order, or shuffled. */
int sample_write_held(struct ctx *c, struct kept **ks, size_t n)
{
	if (c->o->shuffle)
		sift_rng_shuffle(&c->rng, ks, n, sizeof *ks);
	else
		qsort(ks, n, sizeof *ks, by_index);
	for (size_t i = 0; i < n; i++) {
		int rc = write_line(c, ks[i]->raw, ks[i]->len, ks[i]->eol,
				    ks[i]->weight, ks[i]);
		if (rc)
			return rc;
	}
	return 0;
}

int sample_write_array(struct ctx *c, struct kept *ks, size_t n)
{
	struct kept **ptrs = malloc((n ? n : 1) * sizeof *ptrs);
	int rc;

	if (!ptrs)
		return sift_error_nomem(c->err);
	for (size_t i = 0; i < n; i++)
		ptrs[i] = &ks[i];
	rc = sample_write_held(c, ptrs, n);
	free(ptrs);
	return rc;
}

void sample_free_kept(struct kept *ks, size_t n)
{
	for (size_t i = 0; ks && i < n; i++)
		free(ks[i].raw);
	free(ks);
}

/* The capacity of a reservoir that keeps n records and the threshold
 * record after them, without overflow for absurd n. */
size_t sample_plus_one(uint64_t n)
{
	return n >= SIZE_MAX - 1 ? SIZE_MAX - 1 : (size_t)n + 1;
}

/* ---- reading fields --------------------------------------------------- */

/* A non-negative finite number from the weight column (or value) w of
 * rec, or an error that names the file, line, column and value. */
int sample_read_weight(struct ctx *c, const struct sift_record *rec,
		       struct sift_colexpr *w, const char *what, double *out)
{
	const char *s;
	size_t len;
	int rc = sift_colexpr_get(c->r, rec, w, &s, &len, c->err);

	if (rc)
		return rc;
	rc = sift_parse_double(s, len, out);
	if (rc == 0 && *out >= 0)
		return 0;
	return sift_error_set(
		c->err, SIFT_EDATA, "%s:%llu: %s '%.*s' in column '%s' is %s",
		sift_reader_name(c->r), (unsigned long long)rec->line, what,
		(int)(len > 40 ? 40 : len), s, sift_colexpr_text(w),
		rc == -2 ? "not finite"
		: rc     ? "not a number"
			 : "negative");
}

int sample_next(struct ctx *c, const struct sift_record **rec)
{
	return sift_reader_next(c->r, rec, c->err);
}

/* ---- the methods ------------------------------------------------------ */

static int sample_first(struct ctx *c)
{
	const struct sift_record *rec;
	int rc = 0;

	while (c->st->n_in < c->o->n) {
		rc = sample_next(c, &rec);
		if (rc || !rec)
			break;
		c->st->n_in++;
		rc = sample_emit(c, rec, NAN);
		if (rc)
			break;
	}
	return rc;
}

/* Add a line to the notes the tool prints on stderr. */
void sample_note(struct ctx *c, const char *fmt, ...)
{
	char line[sizeof c->st->note];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	sift_note_add(c->st->note, sizeof c->st->note, "%s", line);
}

void sample_note_all_kept(struct ctx *c, uint64_t n_in)
{
	sample_note(c,
		    "-n %llu is more than the %llu records of the input: "
		    "all are kept",
		    (unsigned long long)c->o->n, (unsigned long long)n_in);
}

/* The next record of a full bottom-k reservoir whose largest key is t,
 * and its key: each record's key is below t with probability t, so the
 * records passed over before the next one that enters are geometric and
 * its key is uniform below t (the idea of Li's Algorithm L, for keys).
 * The same distribution as a key for every record, without reading the
 * records passed over. */
static int next_entrant(struct ctx *c, double t, const struct sift_record **rec,
			double *key)
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
static int reservoir_partial(struct ctx *c)
{
	const struct sift_record *rec;
	struct sift_topk top;
	struct kept *slots = NULL;
	size_t cap = 0;
	int rc = 0;

	sift_topk_init(&top, (size_t)(c->o->n < SIZE_MAX ? c->o->n : SIZE_MAX));
	while (!rc && c->o->n > 0) {
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
		rc = sample_hold(c, &slots, &cap, slot, rec, 0);
		if (!rc)
			slots[slot].key = key;
	}
	if (!rc && c->o->n == 0)
		rc = sift_reader_skip(c->r, UINT64_MAX, NULL, c->err);
	c->st->n_in = sift_reader_count(c->r);
	for (size_t i = 0; i < top.n; i++) {
		slots[i].count = (double)c->st->n_in;
		slots[i].weight = (double)c->st->n_in / (double)top.n;
	}
	if (!rc)
		rc = sample_write_array(c, slots, top.n);
	sample_free_kept(slots, cap);
	sift_topk_free(&top);
	return rc;
}

static int sample_reservoir(struct ctx *c)
{
	const uint64_t n = c->o->n;
	struct kept *slots = NULL;
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
		if (n_slots == cap) {
			size_t ncap = cap ? cap * 2 : 1024;
			struct kept *p;

			if (ncap > n)
				ncap = (size_t)n;
			p = realloc(slots, ncap * sizeof *p);
			if (!p) {
				rc = sift_error_nomem(c->err);
				break;
			}
			memset(p + cap, 0, (ncap - cap) * sizeof *p);
			slots = p;
			cap = ncap;
		}
		rc = sample_keep(c, &slots[n_slots++], rec);
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
			rc = sample_keep(c, &slots[sift_rng_below(&c->rng, n)],
					 rec);
			if (rc)
				break;
		}
	}
	c->st->n_in = sift_reader_count(c->r);
	if (!rc) {
		if (n > c->st->n_in && c->st->n_in > 0)
			sample_note_all_kept(c, c->st->n_in);
		for (size_t i = 0; i < n_slots; i++)
			slots[i].weight = (double)c->st->n_in / (double)n_slots;
		rc = sample_write_array(c, slots, n_slots);
	}
	sample_free_kept(slots, n_slots);
	return rc;
}

static int sample_bernoulli(struct ctx *c)
{
	const struct sift_record *rec;
	const double p = c->o->p;
	int rc;

	for (;;) {
		uint64_t skip = sift_geometric_skip(&c->rng, p), skipped;

		rc = sift_reader_skip(c->r, skip, &skipped, c->err);
		if (rc || skipped < skip)
			break;
		rc = sample_next(c, &rec);
		if (rc || !rec)
			break;
		rc = sample_emit(c, rec, 1.0 / p);
		if (rc)
			break;
	}
	c->st->n_in = sift_reader_count(c->r);
	return rc;
}

static int sample_systematic(struct ctx *c)
{
	const struct sift_record *rec;
	const uint64_t k = c->o->every;
	uint64_t skip = sift_rng_below(&c->rng, k), skipped;
	int rc;

	for (;;) {
		rc = sift_reader_skip(c->r, skip, &skipped, c->err);
		if (rc || skipped < skip)
			break;
		rc = sample_next(c, &rec);
		if (rc || !rec)
			break;
		rc = sample_emit(c, rec, (double)k);
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

static int sample_hash(struct ctx *c)
{
	const struct sift_record *rec;
	const uint64_t threshold = hash_threshold(c->o->p);
	struct sift_colexpr *key;
	int rc = sift_colexpr_open(c->r, c->o->key, "--key", &key, c->err);

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
		if (h < threshold || c->o->p >= 1.0)
			rc = sample_emit(c, rec, 1.0 / c->o->p);
	}
	c->st->n_in = sift_reader_count(c->r);
	sift_colexpr_free(key);
	return rc;
}

void sift_sample_stats_free(struct sift_sample_stats *stats)
{
	for (size_t i = 0; stats->strata && i < stats->n_strata; i++)
		free(stats->strata[i].name);
	free(stats->strata);
	stats->strata = NULL;
	stats->n_strata = 0;
}

/* ---- the driver ------------------------------------------------------- */

/* A partial ends with its trailer, once its shard's input has been read
 * to the end: a method that stopped early would be a bug, and would
 * otherwise pass a part of the shard for the whole. */
static int finish_partial(struct ctx *c)
{
	const struct sift_record *rec;
	int rc = sift_reader_next(c->r, &rec, c->err);

	if (!rc && rec)
		return sift_error_set(c->err, SIFT_EDATA,
				      "%s:%llu: --partial stopped before the "
				      "end of its input",
				      sift_reader_name(c->r),
				      (unsigned long long)rec->line);
	return rc ? rc : sample_partial_trailer(c);
}

/* The methods, by enum sift_sample_method. */
static int (*const methods[])(struct ctx *) = {
	[SIFT_SAMPLE_FIRST] = sample_first,
	[SIFT_SAMPLE_RESERVOIR] = sample_reservoir,
	[SIFT_SAMPLE_BERNOULLI] = sample_bernoulli,
	[SIFT_SAMPLE_SYSTEMATIC] = sample_systematic,
	[SIFT_SAMPLE_HASH] = sample_hash,
	[SIFT_SAMPLE_STRATIFIED] = sample_stratified,
	[SIFT_SAMPLE_QUOTA] = sample_quota,
	[SIFT_SAMPLE_WEIGHTED] = sample_weighted,
	[SIFT_SAMPLE_IMPORTANCE] = sample_importance,
	[SIFT_SAMPLE_SNOWBALL] = sample_snowball,
	[SIFT_SAMPLE_JUDGMENT] = sample_judgment,
	[SIFT_SAMPLE_UNCERTAINTY] = sample_uncertainty,
};

int sift_sample_run(struct sift_reader *r, struct sift_writer *w,
		    const struct sift_sample_opts *o,
		    struct sift_sample_stats *stats, struct sift_error *err)
{
	struct ctx c;
	int rc = sift_sample_check(o, err);

	memset(&c, 0, sizeof c);
	c.r = r;
	c.w = w;
	c.o = o;
	c.st = stats;
	c.err = err;
	c.delim = sift_reader_delim(r);
	sift_writer_set_quoting(w, sift_reader_quoting(r));
	c.extra = o->emit_weight;
	if (o->method == SIFT_SAMPLE_SNOWBALL)
		c.extra = o->wave_col ? o->wave_col : "wave";
	if (o->partial)
		sample_partial_signature(o, c.partial, sizeof c.partial);

	memset(stats, 0, sizeof *stats);
	if (!rc && o->partial && sift_reader_ncols(r) == 0)
		return sample_partial_empty(&c);
	if (!rc && o->partial && !sift_reader_header(r))
		return sift_error_set(err, SIFT_EUSAGE,
				      "--partial needs a header (not "
				      "--no-header): the merge matches the "
				      "partials of one input by it");
	if (rc || sift_reader_ncols(r) == 0)
		return rc;
	sift_rng_seed(&c.rng, o->partial ? sample_partial_seed(o) : o->seed);
	rc = write_header(&c);
	if (rc)
		return rc;
	if (o->method == SIFT_SAMPLE_WEIGHTED && o->replace)
		rc = sample_weighted_replace(&c);
	else
		rc = methods[o->method](&c);
	if (!rc && o->shuffle && c.n_held) {
		struct kept **ptrs = malloc(c.n_held * sizeof *ptrs);

		if (!ptrs)
			rc = sift_error_nomem(err);
		for (size_t i = 0; !rc && i < c.n_held; i++)
			ptrs[i] = &c.held[i];
		if (!rc)
			rc = sample_write_held(&c, ptrs, c.n_held);
		free(ptrs);
	}
	sample_free_kept(c.held, c.cap_held);
	if (!rc && o->partial)
		rc = finish_partial(&c);
	return rc;
}
