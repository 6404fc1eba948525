/*
 * lib/sample_core.c - what the sampling methods share (sample_core.h):
 * taking, copying and writing records, reading weights, notes.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sift/colexpr.h"
#include "sift/mem.h"
#include "sift/nearest.h"
#include "sift/parse.h"
#include "sift/sample.h"
#include "sample_core.h"

/* ---- names ------------------------------------------------------------ */

static const struct sift_name method_names[] = {
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
#define N_METHOD_NAMES (sizeof method_names / sizeof *method_names)

int sift_sample_method_parse(const char *s)
{
	return sift_name_value(method_names, N_METHOD_NAMES, s);
}

const char *sift_sample_method_name(enum sift_sample_method m)
{
	return sift_name_of(method_names, N_METHOD_NAMES, (int)m);
}

void sift_sample_opts_init(struct sift_sample_opts *o,
			   enum sift_sample_method m)
{
	memset(o, 0, sizeof *o);
	o->method = m;
	switch (m) {
	case SIFT_SAMPLE_STRATIFIED:
		o->stratified.size = SIFT_STRATA_SHARED;
		o->stratified.allocation = SIFT_ALLOC_PROPORTIONAL;
		break;
	case SIFT_SAMPLE_SNOWBALL:
		o->snowball.waves = 1;
		o->snowball.max_users = SIFT_SNOWBALL_MAX;
		break;
	case SIFT_SAMPLE_JUDGMENT:
		o->judgment.n = SIFT_SAMPLE_ALL;
		break;
	case SIFT_SAMPLE_UNCERTAINTY:
		o->uncertainty.measure = SIFT_LEAST_CONFIDENCE;
		break;
	default:
		break;
	}
}

int sift_uncertainty_parse(const char *s)
{
	static const struct sift_name measures[] = {
		{ "least-confidence", SIFT_LEAST_CONFIDENCE },
		{ "margin", SIFT_MARGIN },
		{ "entropy", SIFT_ENTROPY },
	};

	return sift_name_value(measures, sizeof measures / sizeof *measures, s);
}

/* ---- holding and writing records ------------------------------------- */

int sample_copy(struct sampler *c, struct sample_record *k,
		const struct sift_record *rec)
{
	/* Exactly the record's size: a reservoir holds n of them. */
	if (rec->len > k->cap) {
		size_t cap = rec->len < 64 ? 64 : rec->len;

		if (sift_resize(&k->raw, cap, 1))
			return sift_error_nomem(c->err);
		k->cap = cap;
	}
	memcpy(k->raw, rec->raw, rec->len);
	k->len = rec->len;
	k->eol = rec->eol;
	k->index = rec->index;
	k->weight = NAN;
	return 0;
}

int sample_copy_at(struct sampler *c, struct sample_record **slots, size_t *cap,
		   size_t slot, const struct sift_record *rec, double w_in)
{
	if (sift_grow_zero(slots, cap, slot + 1, sizeof **slots, 1024))
		return sift_error_nomem(c->err);
	int rc = sample_copy(c, &(*slots)[slot], rec);
	if (!rc)
		(*slots)[slot].w_in = w_in;
	return rc;
}

static int write_line(struct sampler *c, const char *raw, size_t len,
		      const char *eol, double weight,
		      const struct sample_record *k)
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

int sample_write_header(struct sampler *c)
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

int sample_take(struct sampler *c, const struct sift_record *rec, double weight)
{
	if (!c->o->shuffle)
		return write_line(c, rec->raw, rec->len, rec->eol, weight,
				  NULL);
	if (sift_grow_zero(&c->held, &c->cap_held, c->n_held + 1,
			   sizeof *c->held, 1024))
		return sift_error_nomem(c->err);
	int rc = sample_copy(c, &c->held[c->n_held], rec);
	if (rc)
		return rc;
	c->held[c->n_held++].weight = weight;
	return 0;
}

int sample_by_key(const void *a, const void *b)
{
	const struct sample_record *x = a, *y = b;

	return (x->key > y->key) - (x->key < y->key);
}

static int by_index(const void *a, const void *b)
{
	const struct sample_record *x = *(struct sample_record *const *)a;
	const struct sample_record *y = *(struct sample_record *const *)b;

	return (x->index > y->index) - (x->index < y->index);
}

/* Write n held records: in input order, or shuffled. */
int sample_write_held(struct sampler *c, struct sample_record **ks, size_t n)
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

int sample_write_array(struct sampler *c, struct sample_record *ks, size_t n)
{
	struct sample_record **ptrs = malloc((n ? n : 1) * sizeof *ptrs);
	int rc;

	if (!ptrs)
		return sift_error_nomem(c->err);
	for (size_t i = 0; i < n; i++)
		ptrs[i] = &ks[i];
	rc = sample_write_held(c, ptrs, n);
	free(ptrs);
	return rc;
}

void sample_free_records(struct sample_record *ks, size_t n)
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
int sample_read_weight(struct sampler *c, const struct sift_record *rec,
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
	return sift_colexpr_error(c->r, rec->line, w, what, s, len,
				  rc == -2 ? "is not finite"
				  : rc     ? "is not a number"
					   : "is negative",
				  c->err);
}

int sample_next(struct sampler *c, const struct sift_record **rec)
{
	return sift_reader_next(c->r, rec, c->err);
}

/* ---- notes and errors ------------------------------------------------- */

/* Add a line to the notes the tool prints on stderr. */
void sample_note(struct sampler *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sift_note_vadd(c->st->note, sizeof c->st->note, fmt, ap);
	va_end(ap);
}

void sample_note_all_kept(struct sampler *c, uint64_t n, uint64_t n_in)
{
	sample_note(c,
		    "`n` %llu is more than the %llu records of the input: "
		    "all are kept",
		    (unsigned long long)n, (unsigned long long)n_in);
}

int sample_unset(struct sift_error *err, const char *field)
{
	return sift_error_set(err, SIFT_EUSAGE, "%s is not set", field);
}

int sample_check_probability(struct sift_error *err, const char *field,
			     double p)
{
	if (p >= 0 && p <= 1)
		return 0;
	return sift_error_set(err, SIFT_EUSAGE,
			      "%s: %g is not a probability in [0, 1]", field,
			      p);
}
