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

#include "sift/intern.h"
#include "sift/parse.h"
#include "sift/sample.h"
#include "sift/sampling.h"

/* A copy of a record that the sample holds. */
struct kept {
	char *raw;
	size_t len, cap;
	const char *eol; /* one of the reader's static strings */
	uint64_t index;
	double weight; /* design weight 1/pi, once known */
	double w_in;   /* the record's weight column, where there is one */
	double target; /* importance: the target column */
	unsigned refs; /* weighted with replacement: slots that hold it */
};

struct ctx {
	struct sift_reader *r;
	struct sift_writer *w;
	const struct sift_sample_opts *o;
	struct sift_sample_stats *st;
	struct sift_error *err;
	struct sift_rng rng;
	char delim;
	struct kept *held; /* shuffle: records waiting to be written */
	size_t n_held, cap_held;
};

/* ---- names and checks ------------------------------------------------ */

static const struct {
	const char *name;
	enum sift_sample_method method;
} method_names[] = {
	{"first", SIFT_SAMPLE_FIRST},
	{"convenience", SIFT_SAMPLE_FIRST},
	{"reservoir", SIFT_SAMPLE_RESERVOIR},
	{"random", SIFT_SAMPLE_RESERVOIR},
	{"srs", SIFT_SAMPLE_RESERVOIR},
	{"bernoulli", SIFT_SAMPLE_BERNOULLI},
	{"systematic", SIFT_SAMPLE_SYSTEMATIC},
	{"hash", SIFT_SAMPLE_HASH},
	{"stratified", SIFT_SAMPLE_STRATIFIED},
	{"quota", SIFT_SAMPLE_QUOTA},
	{"weighted", SIFT_SAMPLE_WEIGHTED},
	{"pps", SIFT_SAMPLE_WEIGHTED},
	{"importance", SIFT_SAMPLE_IMPORTANCE},
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
	return o->method == SIFT_SAMPLE_STRATIFIED;
}

/* Option letters, for messages, in the order of the checks below. */
enum { USE_N = 1, USE_P = 2, USE_EVERY = 4, USE_KEY = 8, USE_BY = 16,
       USE_PER = 32, USE_MIN = 64, USE_WEIGHT = 128, USE_TARGET = 256,
       USE_REPLACE = 512, USE_EMIT = 1024, USE_ALLOC = 2048 };

static unsigned options_allowed(enum sift_sample_method m)
{
	switch (m) {
	case SIFT_SAMPLE_FIRST:
		return USE_N;
	case SIFT_SAMPLE_RESERVOIR:
		return USE_N | USE_EMIT;
	case SIFT_SAMPLE_BERNOULLI:
		return USE_P | USE_EMIT;
	case SIFT_SAMPLE_SYSTEMATIC:
		return USE_EVERY | USE_EMIT;
	case SIFT_SAMPLE_HASH:
		return USE_KEY | USE_P | USE_EMIT;
	case SIFT_SAMPLE_STRATIFIED:
		return USE_BY | USE_N | USE_PER | USE_MIN | USE_ALLOC | USE_EMIT;
	case SIFT_SAMPLE_QUOTA:
		return USE_BY | USE_PER;
	case SIFT_SAMPLE_WEIGHTED:
		return USE_WEIGHT | USE_N | USE_REPLACE | USE_EMIT;
	case SIFT_SAMPLE_IMPORTANCE:
		return USE_WEIGHT | USE_N | USE_P | USE_TARGET | USE_EMIT;
	}
	return 0;
}

static unsigned options_given(const struct sift_sample_opts *o)
{
	return (o->have_n ? USE_N : 0) | (o->have_p ? USE_P : 0) |
	       (o->every ? USE_EVERY : 0) | (o->key ? USE_KEY : 0) |
	       (o->by ? USE_BY : 0) | (o->have_per_stratum ? USE_PER : 0) |
	       (o->have_min ? USE_MIN : 0) |
	       (o->weight ? USE_WEIGHT : 0) | (o->target ? USE_TARGET : 0) |
	       (o->replace ? USE_REPLACE : 0) |
	       (o->emit_weight ? USE_EMIT : 0) |
	       (o->have_allocation ? USE_ALLOC : 0);
}

static const char *option_name(unsigned bit)
{
	switch (bit) {
	case USE_N: return "-n";
	case USE_P: return "-p";
	case USE_EVERY: return "-k";
	case USE_KEY: return "--key";
	case USE_BY: return "--by";
	case USE_PER: return "--per-stratum";
	case USE_MIN: return "--min-per-stratum";
	case USE_WEIGHT: return "--weight";
	case USE_TARGET: return "--target";
	case USE_REPLACE: return "--replace";
	case USE_EMIT: return "--emit-weight";
	default: return "--allocation";
	}
}

static int need(struct sift_error *err, const char *method, const char *what)
{
	return sift_error_set(err, SIFT_EUSAGE, "-m %s needs %s", method,
			      what);
}

int sift_sample_check(const struct sift_sample_opts *o,
		      struct sift_error *err)
{
	const char *m = sift_sample_method_name(o->method);
	unsigned extra = options_given(o) & ~options_allowed(o->method);

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
		return o->have_per_stratum ? 0 : need(err, m, "--per-stratum K");
	case SIFT_SAMPLE_WEIGHTED:
		if (!o->weight)
			return need(err, m, "--weight COL");
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
	}
	return 0;
}

/* ---- holding and writing records ------------------------------------- */

static int kept_set(struct ctx *c, struct kept *k,
		    const struct sift_record *rec)
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
		      const char *eol, double weight)
{
	int rc = sift_writer_write(c->w, raw, len, c->err);

	if (!rc && c->o->emit_weight)
		rc = sift_writer_double(c->w, c->delim, weight, c->err);
	if (!rc)
		rc = sift_writer_puts(c->w, *eol ? eol : "\n", c->err);
	if (!rc)
		c->st->n_out++;
	return rc;
}

static int write_header(struct ctx *c)
{
	const struct sift_record *h = sift_reader_header(c->r);
	const char *name = c->o->emit_weight;
	int rc;

	if (!h)
		return 0;
	rc = sift_writer_write(c->w, h->raw, h->len, c->err);
	if (!rc && name)
		rc = sift_writer_field(c->w, c->delim, name, strlen(name),
				       c->err);
	if (!rc)
		rc = sift_writer_puts(c->w, *h->eol ? h->eol : "\n", c->err);
	return rc;
}

/* Keep rec with its design weight: write it now, or hold it to shuffle. */
static int emit(struct ctx *c, const struct sift_record *rec, double weight)
{
	if (!c->o->shuffle)
		return write_line(c, rec->raw, rec->len, rec->eol, weight);
	if (c->n_held == c->cap_held) {
		size_t cap = c->cap_held ? c->cap_held * 2 : 1024;
		struct kept *p = realloc(c->held, cap * sizeof *p);

		if (!p)
			return sift_error_nomem(c->err);
		memset(p + c->cap_held, 0, (cap - c->cap_held) * sizeof *p);
		c->held = p;
		c->cap_held = cap;
	}
	int rc = kept_set(c, &c->held[c->n_held], rec);
	if (rc)
		return rc;
	c->held[c->n_held++].weight = weight;
	return 0;
}

static int by_index(const void *a, const void *b)
{
	const struct kept *x = *(struct kept *const *)a;
	const struct kept *y = *(struct kept *const *)b;

	return (x->index > y->index) - (x->index < y->index);
}

/* Write n held records: in input order, or shuffled. */
static int write_held(struct ctx *c, struct kept **ks, size_t n)
{
	if (c->o->shuffle)
		sift_rng_shuffle(&c->rng, ks, n, sizeof *ks);
	else
		qsort(ks, n, sizeof *ks, by_index);
	for (size_t i = 0; i < n; i++) {
		int rc = write_line(c, ks[i]->raw, ks[i]->len, ks[i]->eol,
				    ks[i]->weight);
		if (rc)
			return rc;
	}
	return 0;
}

static int write_array(struct ctx *c, struct kept *ks, size_t n)
{
	struct kept **ptrs = malloc((n ? n : 1) * sizeof *ptrs);
	int rc;

	if (!ptrs)
		return sift_error_nomem(c->err);
	for (size_t i = 0; i < n; i++)
		ptrs[i] = &ks[i];
	rc = write_held(c, ptrs, n);
	free(ptrs);
	return rc;
}

static void free_kept(struct kept *ks, size_t n)
{
	for (size_t i = 0; ks && i < n; i++)
		free(ks[i].raw);
	free(ks);
}

/* The capacity of a reservoir that keeps n records and the threshold
 * record after them, without overflow for absurd n. */
static size_t plus_one(uint64_t n)
{
	return n >= SIZE_MAX - 1 ? SIZE_MAX - 1 : (size_t)n + 1;
}

/* ---- reading fields --------------------------------------------------- */

/* A non-negative finite number from column col of rec, or an error
 * that names the file, line, column and value. */
static int read_weight(struct ctx *c, const struct sift_record *rec,
		       size_t col, const char *what, double *out)
{
	const char *s;
	size_t len;
	int rc = sift_reader_field(c->r, col, &s, &len, c->err);

	if (rc)
		return rc;
	rc = sift_parse_double(s, len, out);
	if (rc == 0 && *out >= 0)
		return 0;
	return sift_error_set(c->err, SIFT_EDATA,
			      "%s:%llu: %s '%.*s' in column '%s' is %s",
			      sift_reader_name(c->r),
			      (unsigned long long)rec->line, what,
			      (int)(len > 40 ? 40 : len), s,
			      sift_reader_colname(c->r, col),
			      rc == -2 ? "not finite"
			      : rc    ? "not a number"
				      : "negative");
}

static int next(struct ctx *c, const struct sift_record **rec)
{
	return sift_reader_next(c->r, rec, c->err);
}

/* ---- the methods ------------------------------------------------------ */

static int sample_first(struct ctx *c)
{
	const struct sift_record *rec;
	int rc = 0;

	while (c->st->n_in < c->o->n) {
		rc = next(c, &rec);
		if (rc || !rec)
			break;
		c->st->n_in++;
		rc = emit(c, rec, NAN);
		if (rc)
			break;
	}
	return rc;
}

/* Add a line to the notes the tool prints on stderr. */
static void add_note(struct ctx *c, const char *fmt, ...)
{
	char *note = c->st->note;
	size_t used = strlen(note);
	va_list ap;

	if (used && used + 2 < sizeof c->st->note)
		note[used++] = '\n';
	va_start(ap, fmt);
	vsnprintf(note + used, sizeof c->st->note - used, fmt, ap);
	va_end(ap);
}

static void note_all_kept(struct ctx *c, uint64_t n_in)
{
	add_note(c, "-n %llu is more than the %llu records of the input: "
		    "all are kept",
		 (unsigned long long)c->o->n, (unsigned long long)n_in);
}

static int sample_reservoir(struct ctx *c)
{
	const uint64_t n = c->o->n;
	struct kept *slots = NULL;
	size_t n_slots = 0, cap = 0;
	const struct sift_record *rec;
	struct sift_algl algl;
	int rc = 0;

	/* The first n records fill the reservoir. */
	while (n_slots < n) {
		rc = next(c, &rec);
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
		rc = kept_set(c, &slots[n_slots++], rec);
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
			rc = next(c, &rec);
			if (rc || !rec)
				break;
			rc = kept_set(c, &slots[sift_rng_below(&c->rng, n)],
				      rec);
			if (rc)
				break;
		}
	}
	c->st->n_in = sift_reader_count(c->r);
	if (!rc) {
		if (n > c->st->n_in && c->st->n_in > 0)
			note_all_kept(c, c->st->n_in);
		for (size_t i = 0; i < n_slots; i++)
			slots[i].weight = (double)c->st->n_in / (double)n_slots;
		rc = write_array(c, slots, n_slots);
	}
	free_kept(slots, n_slots);
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
		rc = next(c, &rec);
		if (rc || !rec)
			break;
		rc = emit(c, rec, 1.0 / p);
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
		rc = next(c, &rec);
		if (rc || !rec)
			break;
		rc = emit(c, rec, (double)k);
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
	size_t col;
	int rc = sift_reader_column(c->r, c->o->key, &col, c->err);

	while (!rc) {
		const char *s;
		size_t len;

		rc = next(c, &rec);
		if (rc || !rec)
			break;
		rc = sift_reader_field(c->r, col, &s, &len, c->err);
		if (rc)
			break;
		uint64_t h = XXH3_64bits_withSeed(s, len, c->o->seed);
		if (h < threshold || c->o->p >= 1.0)
			rc = emit(c, rec, 1.0 / c->o->p);
	}
	c->st->n_in = sift_reader_count(c->r);
	return rc;
}

/* ---- strata ----------------------------------------------------------- */

struct strata {
	size_t *cols;
	size_t ncols;
	struct sift_intern *names;
	char *key;
	size_t key_cap;
	uint64_t *size, *alloc, *seen, *taken;
	size_t cap;
};

void sift_sample_stats_free(struct sift_sample_stats *stats)
{
	for (size_t i = 0; stats->strata && i < stats->n_strata; i++)
		free(stats->strata[i].name);
	free(stats->strata);
	stats->strata = NULL;
	stats->n_strata = 0;
}

/* Copy the strata's names and counts into the stats, for reports. */
static int report_strata(struct ctx *c, const struct strata *s)
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
	free(s->cols);
	sift_intern_free(s->names);
	free(s->key);
	free(s->size);
	free(s->alloc);
	free(s->seen);
	free(s->taken);
}

/* The stratum key of the current record: its by-fields joined by the
 * ASCII unit separator, which no CSV field written by a person holds. */
static int stratum_key(struct ctx *c, struct strata *s, size_t *len)
{
	size_t used = 0;

	for (size_t i = 0; i < s->ncols; i++) {
		const char *f;
		size_t n;
		int rc = sift_reader_field(c->r, s->cols[i], &f, &n, c->err);

		if (rc)
			return rc;
		if (used + n + 1 > s->key_cap) {
			size_t cap = (used + n + 1) * 2;
			char *p = realloc(s->key, cap);

			if (!p)
				return sift_error_nomem(c->err);
			s->key = p;
			s->key_cap = cap;
		}
		if (i)
			s->key[used++] = '\x1f';
		memcpy(s->key + used, f, n);
		used += n;
	}
	*len = used;
	return 0;
}

/* The id of the current record's stratum, adding it if new. */
static int stratum_of(struct ctx *c, struct strata *s, size_t *id)
{
	size_t len;
	int rc = stratum_key(c, s, &len);

	if (rc)
		return rc;
	if (sift_intern_add(s->names, s->key ? s->key : "", len, id))
		return sift_error_nomem(c->err);
	if (*id < s->cap)
		return 0;
	size_t cap = s->cap ? s->cap * 2 : 64;
	uint64_t **arrays[] = {&s->size, &s->alloc, &s->seen, &s->taken};
	for (size_t i = 0; i < 4; i++) {
		uint64_t *p = realloc(*arrays[i], cap * sizeof *p);

		if (!p)
			return sift_error_nomem(c->err);
		memset(p + s->cap, 0, (cap - s->cap) * sizeof *p);
		*arrays[i] = p;
	}
	s->cap = cap;
	return 0;
}

static int strata_init(struct ctx *c, struct strata *s)
{
	memset(s, 0, sizeof *s);
	s->names = sift_intern_new();
	if (!s->names)
		return sift_error_nomem(c->err);
	return sift_reader_columns(c->r, c->o->by, &s->cols, &s->ncols,
				   c->err);
}

static int sample_quota(struct ctx *c)
{
	const struct sift_record *rec;
	struct strata s;
	int rc = strata_init(c, &s);

	while (!rc) {
		size_t id;

		rc = next(c, &rec);
		if (rc || !rec)
			break;
		rc = stratum_of(c, &s, &id);
		if (!rc)
			s.size[id]++;
		if (!rc && s.taken[id] < c->o->per_stratum) {
			s.taken[id]++;
			rc = emit(c, rec, NAN);
		}
	}
	c->st->n_in = sift_reader_count(c->r);
	if (!rc)
		rc = report_strata(c, &s);
	strata_free(&s);
	return rc;
}

/* First pass: the size of every stratum; then the allocation. */
static int count_strata(struct ctx *c, struct strata *s)
{
	const struct sift_record *rec;
	int rc;

	for (;;) {
		size_t id;

		rc = next(c, &rec);
		if (rc || !rec)
			break;
		rc = stratum_of(c, s, &id);
		if (rc)
			break;
		s->size[id]++;
	}
	c->st->n_in = sift_reader_count(c->r);
	return rc;
}

static int allocate(struct ctx *c, struct strata *s)
{
	size_t k = sift_intern_count(s->names);
	double *share;

	if (c->o->have_per_stratum) {
		for (size_t h = 0; h < k; h++)
			s->alloc[h] = s->size[h] < c->o->per_stratum
					      ? s->size[h]
					      : c->o->per_stratum;
		return 0;
	}
	share = malloc((k ? k : 1) * sizeof *share);
	if (!share)
		return sift_error_nomem(c->err);
	for (size_t h = 0; h < k; h++)
		share[h] = c->o->allocation == SIFT_ALLOC_EQUAL
				   ? 1.0
				   : (double)s->size[h];
	int bad = sift_allocate(c->o->n, k, s->size, share,
				c->o->min_per_stratum, s->alloc);
	free(share);
	if (bad == -2)
		return sift_error_nomem(c->err);
	if (bad)
		return sift_error_set(c->err, SIFT_EDATA,
				      "%s: --min-per-stratum %llu over %zu "
				      "strata needs more than -n %llu records",
				      sift_reader_name(c->r),
				      (unsigned long long)c->o->min_per_stratum,
				      k, (unsigned long long)c->o->n);
	if (c->o->n > c->st->n_in && c->st->n_in > 0)
		note_all_kept(c, c->st->n_in);
	size_t empty = 0;
	for (size_t h = 0; h < k; h++)
		empty += s->alloc[h] == 0 && s->size[h] > 0;
	if (empty)
		add_note(c, "%zu of %zu strata get no record in the "
			    "allocation, so their records cannot be drawn "
			    "(--min-per-stratum 1 gives each at least one)",
			 empty, k);
	return 0;
}

/* Second pass: in each stratum, selection sampling (Fan, Muller and
 * Rezucha 1962; Knuth's Algorithm S) takes exactly alloc of its size
 * records, each subset equally likely, in input order. */
static int select_strata(struct ctx *c, struct strata *s)
{
	const struct sift_record *rec;
	int rc;

	for (;;) {
		size_t len, id;

		rc = next(c, &rec);
		if (rc || !rec)
			break;
		rc = stratum_key(c, s, &len);
		if (rc)
			break;
		if (!sift_intern_find(s->names, s->key ? s->key : "", len,
				      &id) ||
		    s->seen[id] >= s->size[id])
			return sift_error_set(c->err, SIFT_EDATA,
					      "%s: the input changed between "
					      "its two readings",
					      sift_reader_name(c->r));
		uint64_t left = s->size[id] - s->seen[id]++;
		uint64_t want = s->alloc[id] - s->taken[id];
		if (want > 0 && sift_rng_below(&c->rng, left) < want) {
			s->taken[id]++;
			rc = emit(c, rec, (double)s->size[id] /
						  (double)s->alloc[id]);
			if (rc)
				break;
		}
	}
	return rc;
}

static int sample_stratified(struct ctx *c)
{
	struct strata s;
	int rc = strata_init(c, &s);

	if (!rc)
		rc = count_strata(c, &s);
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

/* ---- weighted --------------------------------------------------------- */

static int grow_slots(struct ctx *c, struct kept **slots, size_t *cap,
		      size_t need_n)
{
	if (need_n <= *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 1024;
	while (ncap < need_n)
		ncap *= 2;
	struct kept *p = realloc(*slots, ncap * sizeof *p);
	if (!p)
		return sift_error_nomem(c->err);
	memset(p + *cap, 0, (ncap - *cap) * sizeof *p);
	*slots = p;
	*cap = ncap;
	return 0;
}

/* Without replacement: A-ExpJ keeps the n + 1 largest keys, the extra
 * one giving the threshold for the inclusion probabilities. Given the
 * (n+1)-th smallest exponential key tau = E/w, record i of weight w_i is
 * in the sample with probability 1 - exp(-w_i tau) (the rank-conditioning
 * estimator of Cohen and Kaplan, 2007), which makes 1/pi unbiased. */
static int sample_weighted(struct ctx *c)
{
	const struct sift_record *rec;
	struct sift_es es;
	struct kept *slots = NULL;
	size_t cap = 0, col;
	uint64_t n_pos = 0;
	int rc = sift_reader_column(c->r, c->o->weight, &col, c->err);

	if (rc)
		return rc;
	if (sift_es_init(&es, plus_one(c->o->n), &c->rng))
		return sift_error_nomem(c->err);
	while (!rc) {
		double w;
		size_t slot;

		rc = next(c, &rec);
		if (rc || !rec)
			break;
		rc = read_weight(c, rec, col, "weight", &w);
		if (rc)
			break;
		n_pos += w > 0;
		int entered = sift_es_offer(&es, w, &slot);
		if (entered < 0)
			rc = sift_error_nomem(c->err);
		if (entered <= 0)
			continue;
		rc = grow_slots(c, &slots, &cap, slot + 1);
		if (!rc)
			rc = kept_set(c, &slots[slot], rec);
		if (!rc)
			slots[slot].w_in = w;
	}
	c->st->n_in = sift_reader_count(c->r);
	size_t n = es.top.n;
	if (!rc && n == es.top.k) {
		double tau = -sift_topk_min(&es.top);
		size_t drop = sift_topk_min_slot(&es.top);

		for (size_t i = 0; i < n; i++)
			slots[i].weight = 1.0 / -expm1(-slots[i].w_in * tau);
		/* Move the threshold record out of the sample. */
		struct kept tmp = slots[drop];
		slots[drop] = slots[n - 1];
		slots[n - 1] = tmp;
		rc = write_array(c, slots, n - 1);
	} else if (!rc) {
		for (size_t i = 0; i < n; i++)
			slots[i].weight = 1.0;
		if (n_pos < c->o->n && c->st->n_in > 0)
			add_note(c, "-n %llu is more than the %llu records of "
				    "positive weight: all are kept",
				 (unsigned long long)c->o->n,
				 (unsigned long long)n_pos);
		rc = write_array(c, slots, n);
	}
	free_kept(slots, cap);
	sift_es_free(&es);
	return rc;
}

/* With replacement: n independent draws, each a weighted reservoir of
 * one (record i replaces the draw's holder with probability w_i / W_i,
 * W_i the weight seen so far). The draws a record takes over are found by
 * geometric skips over the n draws, so a record costs O(1 + n w_i / W_i).
 * A record drawn m times is written m times, each with the
 * Hansen-Hurwitz weight W / (n w_i). */
static int sample_weighted_replace(struct ctx *c)
{
	const struct sift_record *rec;
	const uint64_t n = c->o->n;
	struct kept **draw = NULL;
	size_t col;
	double total = 0;
	int rc = sift_reader_column(c->r, c->o->weight, &col, c->err);

	if (!rc && n > 0 && !(draw = calloc((size_t)n, sizeof *draw)))
		rc = sift_error_nomem(c->err);
	while (!rc) {
		double w;

		rc = next(c, &rec);
		if (rc || !rec)
			break;
		rc = read_weight(c, rec, col, "weight", &w);
		if (rc || !(w > 0))
			continue;
		total += w;
		struct kept *k = NULL;
		for (uint64_t j = sift_geometric_skip(&c->rng, w / total);
		     j < n; j += 1 + sift_geometric_skip(&c->rng, w / total)) {
			if (!k) {
				k = calloc(1, sizeof *k);
				if (!k || kept_set(c, k, rec)) {
					free(k);
					rc = sift_error_nomem(c->err);
					break;
				}
				k->w_in = w;
			}
			if (draw[j] && --draw[j]->refs == 0) {
				free(draw[j]->raw);
				free(draw[j]);
			}
			draw[j] = k;
			k->refs++;
		}
	}
	c->st->n_in = sift_reader_count(c->r);
	size_t m = 0;
	for (uint64_t j = 0; draw && j < n; j++)
		if (draw[j]) {
			draw[j]->weight = total / ((double)n * draw[j]->w_in);
			draw[m++] = draw[j];
		}
	if (!rc && m == 0 && n > 0 && c->st->n_in > 0)
		add_note(c, "no record has a positive weight: the sample is "
			    "empty");
	if (!rc)
		rc = write_held(c, draw, m);
	for (size_t j = 0; j < m; j++)
		if (--draw[j]->refs == 0) {
			free(draw[j]->raw);
			free(draw[j]);
		}
	free(draw);
	return rc;
}

/* ---- importance -------------------------------------------------------- */

/* Records are drawn with probability growing with the proposal Q and
 * weighted by (P / mean P) / pi, pi their inclusion probability: with
 * -n, priority sampling (Duffield, Lund and Thorup 2007: priority Q/u,
 * the n largest kept, tau the (n+1)-th, pi = min(1, Q/tau)); with -p,
 * Poisson sampling (pi = min(1, rate Q)). */
static int sample_importance(struct ctx *c)
{
	const struct sift_record *rec;
	const int poisson = c->o->have_p;
	struct sift_topk top = {0};
	struct kept *slots = NULL;
	size_t cap = 0, n_held = 0, qcol, pcol = 0;
	double sum_target = 0;
	uint64_t n_pos = 0, n_unreachable = 0;
	int rc = sift_reader_column(c->r, c->o->weight, &qcol, c->err);

	if (!rc && c->o->target)
		rc = sift_reader_column(c->r, c->o->target, &pcol, c->err);
	if (!rc && !poisson)
		sift_topk_init(&top, plus_one(c->o->n));
	while (!rc) {
		double q, p = 1.0, u;
		size_t slot;

		rc = next(c, &rec);
		if (rc || !rec)
			break;
		rc = read_weight(c, rec, qcol, "proposal", &q);
		if (!rc && c->o->target)
			rc = read_weight(c, rec, pcol, "target", &p);
		if (rc)
			break;
		sum_target += p;
		if (!(q > 0)) {
			n_unreachable += p > 0;
			continue;
		}
		n_pos++;
		u = sift_rng_uniform_pos(&c->rng);
		if (poisson) {
			if (u >= c->o->p * q)
				continue;
			slot = n_held++;
		} else {
			int entered = sift_topk_offer(&top, q / u, &slot);

			if (entered < 0)
				rc = sift_error_nomem(c->err);
			if (entered <= 0)
				continue;
		}
		rc = grow_slots(c, &slots, &cap, slot + 1);
		if (!rc)
			rc = kept_set(c, &slots[slot], rec);
		if (!rc) {
			slots[slot].w_in = q;
			slots[slot].target = p;
		}
	}
	c->st->n_in = sift_reader_count(c->r);
	if (rc)
		goto out;
	if (!poisson && n_pos < c->o->n && n_pos > 0)
		add_note(c, "-n %llu is more than the %llu records of "
			    "positive proposal: all are kept",
			 (unsigned long long)c->o->n,
			 (unsigned long long)n_pos);
	if (n_unreachable)
		add_note(c, "%llu records have proposal 0 and can never be "
			    "drawn: weighted sums over the sample leave them "
			    "out",
			 (unsigned long long)n_unreachable);
	double mean_target = c->st->n_in ? sum_target / (double)c->st->n_in : 1;
	double tau = 0;
	if (!poisson) {
		n_held = top.n;
		if (top.n == top.k) {
			size_t drop = sift_topk_min_slot(&top);

			tau = sift_topk_min(&top);
			struct kept tmp = slots[drop];
			slots[drop] = slots[n_held - 1];
			slots[n_held - 1] = tmp;
			n_held--;
		}
	}
	for (size_t i = 0; i < n_held; i++) {
		double q = slots[i].w_in;
		double pi = poisson ? c->o->p * q : q / tau;

		if (!(pi < 1))
			pi = 1;
		slots[i].weight = slots[i].target / mean_target / pi;
	}
	rc = write_array(c, slots, n_held);
out:
	free_kept(slots, cap);
	sift_topk_free(&top);
	return rc;
}

/* ---- the driver ------------------------------------------------------- */

int sift_sample_run(struct sift_reader *r, struct sift_writer *w,
		    const struct sift_sample_opts *o,
		    struct sift_sample_stats *stats, struct sift_error *err)
{
	struct ctx c = {r, w, o, stats, err, {{0}}, sift_reader_delim(r),
			NULL, 0, 0};
	int rc = sift_sample_check(o, err);

	memset(stats, 0, sizeof *stats);
	if (rc || sift_reader_ncols(r) == 0)
		return rc;
	sift_rng_seed(&c.rng, o->seed);
	rc = write_header(&c);
	if (rc)
		return rc;
	switch (o->method) {
	case SIFT_SAMPLE_FIRST:
		rc = sample_first(&c);
		break;
	case SIFT_SAMPLE_RESERVOIR:
		rc = sample_reservoir(&c);
		break;
	case SIFT_SAMPLE_BERNOULLI:
		rc = sample_bernoulli(&c);
		break;
	case SIFT_SAMPLE_SYSTEMATIC:
		rc = sample_systematic(&c);
		break;
	case SIFT_SAMPLE_HASH:
		rc = sample_hash(&c);
		break;
	case SIFT_SAMPLE_STRATIFIED:
		rc = sample_stratified(&c);
		break;
	case SIFT_SAMPLE_QUOTA:
		rc = sample_quota(&c);
		break;
	case SIFT_SAMPLE_WEIGHTED:
		rc = o->replace ? sample_weighted_replace(&c)
				: sample_weighted(&c);
		break;
	case SIFT_SAMPLE_IMPORTANCE:
		rc = sample_importance(&c);
		break;
	}
	if (!rc && o->shuffle && c.n_held) {
		struct kept **ptrs = malloc(c.n_held * sizeof *ptrs);

		if (!ptrs)
			rc = sift_error_nomem(err);
		for (size_t i = 0; !rc && i < c.n_held; i++)
			ptrs[i] = &c.held[i];
		if (!rc)
			rc = write_held(&c, ptrs, c.n_held);
		free(ptrs);
	}
	free_kept(c.held, c.cap_held);
	return rc;
}
