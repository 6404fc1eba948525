/*
 * lib/sample_merge.c - merging partial samples into the exact global sample
 * (see sift_sample_merge in sift/sample.h).
 *
 * A partial sample is the reservoir of one shard written with three more
 * columns: the sample's signature (method, size, seed), each record's
 * random key, and a count (the shard's size, or its stratum's size; for
 * weighted sampling the record's weight). Reservoir, weighted and
 * stratified sampling are all bottom-k samples over random keys, so the
 * k smallest keys of the union of the shards' k smallest are the k
 * smallest of the whole input: the merged sample is exactly what one
 * pass over the whole input would give (Cohen and Kaplan, "Summarizing
 * data using bottom-k sketches", 2007).
 *
 * Only whole partials are merged: each must end with its trailer (see
 * lib/sample_partial.c), which says how many records its shard read (the
 * reservoir's population, and the total the merge reports and checks)
 * and how many rows it wrote; a partial cut short, a row after a
 * trailer, a shard merged twice or a total other than expected is an
 * error before anything is written.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sift/colexpr.h"
#include "sift/intern.h"
#include "sift/mem.h"
#include "sift/parse.h"
#include "sift/sampling.h"
#include "sample_method.h"

/* Where a shard's partial was met, for the message if it comes again. */
struct seen_shard {
	const char *input; /* the reader's name */
	uint64_t line;     /* of the trailer */
};

/* The partial being read: from its header to its trailer. */
struct segment {
	int open;      /* its header was read, its trailer not yet */
	uint64_t line; /* of its header */
	uint64_t rows;
	uint64_t last_line;      /* of the last row read */
	uint64_t strata_records; /* stratified: its strata's sizes, added */
};

struct merge {
	struct sampler c;
	struct sift_sample_opts o;
	struct sample_signature sig;
	int have_sig;
	const struct sift_record *header;
	size_t ncols; /* of the partials of inputs, their 3 columns included */
	struct sift_colexpr **by_cols;
	size_t n_by;
	struct sift_intern *strata;
	struct sample_pool *pools;
	size_t npools;
	size_t shard;     /* partials met so far */
	uint64_t index;   /* rows met, in order, over all inputs */
	uint64_t records; /* records over all shards, from the trailers */
	struct segment seg;
	struct sift_intern *shards; /* the identities met */
	struct seen_shard *seen;
	size_t seen_cap;
	char *key;
	size_t key_cap;
};

static int parse_signature(const char *text, struct sample_signature *sig)
{
	char method[32];
	unsigned long long n, seed, min = 0;
	char alloc[16] = "proportional", kind;
	int used = 0;

	memset(sig, 0, sizeof *sig);
	snprintf(sig->text, sizeof sig->text, "%s", text);
	if (sscanf(text, "%31s %c=%llu seed=%llu%n", method, &kind, &n, &seed,
		   &used) != 4)
		return -1;
	int m = sift_sample_method_parse(method);
	if (m < 0 || !sample_method((enum sift_sample_method)m)->merge)
		return -1;
	sig->method = (enum sift_sample_method)m;
	sig->n = n;
	sig->per_stratum = kind == 'k';
	if (m == SIFT_SAMPLE_STRATIFIED) {
		int more = 0;

		if (sscanf(text + used, " %15s min=%llu by=%n", alloc, &min,
			   &more) != 2 ||
		    !more)
			return -1;
		snprintf(sig->by, sizeof sig->by, "%s", text + used + more);
		sig->allocation = strcmp(alloc, "equal") == 0
					  ? SIFT_ALLOC_EQUAL
					  : SIFT_ALLOC_PROPORTIONAL;
		sig->min = min;
	}
	return 0;
}

static int not_partial(struct sift_reader *r, struct sift_error *err)
{
	return sift_error_set(err, SIFT_EDATA,
			      "%s: not a partial sample (its last columns "
			      "are not sift_partial, sift_key, sift_count; "
			      "write one with sift sample `partial`)",
			      sift_reader_name(r));
}

/* Check that r's header ends in the partial columns. A partial of an
 * empty input has those three alone, and goes with any other. */
static int check_header(struct merge *m, struct sift_reader *r,
			struct sift_error *err)
{
	static const char *const cols[] = { SAMPLE_PARTIAL_COLS };
	size_t n = sift_reader_ncols(r);

	if (n == 0)
		return sift_error_set(err, SIFT_EDATA,
				      "%s: empty, so not a partial sample: "
				      "its shard wrote nothing (it failed, "
				      "or its output was lost)",
				      sift_reader_name(r));
	if (n < 3 || !sift_reader_header(r))
		return not_partial(r, err);
	for (size_t i = 0; i < 3; i++)
		if (strcmp(sift_reader_colname(r, n - 3 + i), cols[i]) != 0)
			return not_partial(r, err);
	if (n == 3)
		return 0;
	if (m->ncols && n != m->ncols)
		return sift_error_set(err, SIFT_EDATA,
				      "%s: partial samples of different "
				      "inputs (%zu columns, not %zu)",
				      sift_reader_name(r), n, m->ncols);
	m->ncols = n;
	return 0;
}

static int pool_of(struct merge *m, struct sift_reader *r,
		   const struct sift_record *rec, size_t *id,
		   struct sift_error *err)
{
	size_t used = 0;

	*id = 0;
	/* The strata columns, from the first partial with rows (one of an
	 * empty input has no such columns). */
	if (m->sig.method == SIFT_SAMPLE_STRATIFIED && !m->by_cols) {
		int rc = sift_colexpr_list(r, m->sig.by, "by", &m->by_cols,
					   &m->n_by, err);
		if (rc)
			return rc;
	}
	if (m->sig.method == SIFT_SAMPLE_STRATIFIED) {
		int rc = sift_colexpr_join(r, rec, m->by_cols, m->n_by, &m->key,
					   &m->key_cap, &used, err);

		if (rc)
			return rc;
		if (sift_intern_add(m->strata, m->key ? m->key : "", used, id))
			return sift_error_nomem(err);
	}
	if (*id < m->npools)
		return 0;
	if (sift_resize(&m->pools, *id + 1, sizeof *m->pools))
		return sift_error_nomem(err);
	for (; m->npools <= *id; m->npools++) {
		struct sample_pool *q = &m->pools[m->npools];
		size_t k = m->sig.method == SIFT_SAMPLE_WEIGHTED
				   ? sample_plus_one(m->sig.n)
				   : (size_t)m->sig.n;

		memset(q, 0, sizeof *q);
		sift_topk_init(&q->top, k ? k : 1);
	}
	return 0;
}

/* The first row or trailer fixes the signature. */
static int start(struct merge *m, struct sift_reader *r, const char *sig,
		 size_t len, uint64_t line, struct sift_error *err)
{
	char text[SAMPLE_SIGNATURE_MAX];

	snprintf(text, sizeof text, "%.*s", (int)len, sig);
	if (parse_signature(text, &m->sig) != 0)
		return sift_error_set(err, SIFT_EDATA,
				      "%s:%llu: '%s' is not the signature of "
				      "a mergeable sample",
				      sift_reader_name(r),
				      (unsigned long long)line, text);
	m->have_sig = 1;
	return 0;
}

/* Where the partial columns start in rec's bytes: before the three
 * fields the shard appended, measured from the end as they were written
 * (the key and the count are numbers, never quoted or escaped). 0 with
 * *cut, or -1 when the bytes there are not those fields. */
static int cut_at(struct sift_reader *r, const struct sift_record *rec,
		  const char *sig, size_t sig_len, size_t *cut)
{
	const size_t n = sift_reader_ncols(r);
	size_t tail = sift_value_written_len(sig, sig_len, sift_reader_delim(r),
					     sift_reader_quoting(r));

	for (size_t col = n - 2; col < n; col++) {
		const char *f;
		size_t len;

		if (sift_reader_field(r, col, &f, &len, NULL) != 0)
			return -1;
		tail += len;
	}
	tail += 2; /* the delimiters between them */
	if (tail > rec->len)
		return -1;
	*cut = rec->len - tail;
	if (n > 3) { /* the delimiter before them */
		if (*cut == 0 || rec->raw[*cut - 1] != sift_reader_delim(r))
			return -1;
		(*cut)--;
	}
	return 0;
}

static int read_number(struct sift_reader *r, const struct sift_record *rec,
		       size_t col, double *x, struct sift_error *err)
{
	const char *f;
	size_t len;
	int rc = sift_reader_field(r, col, &f, &len, err);

	if (!rc && sift_parse_double(f, len, x) != 0)
		rc = sift_reader_column_error(r, rec->line, col, NULL, f, len,
					      "is not a number", err);
	return rc;
}

static int malformed(struct sift_reader *r, const struct sift_record *rec,
		     const char *what, struct sift_error *err)
{
	return sift_error_set(err, SIFT_EDATA,
			      "%s:%llu: malformed partial "
			      "sample row (%s)",
			      sift_reader_name(r),
			      (unsigned long long)rec->line, what);
}

/* The row's signature, checked against the partials' one (the first
 * fixes it). */
static int check_signature(struct merge *m, struct sift_reader *r,
			   const struct sift_record *rec, const char **sig,
			   size_t *sig_len, struct sift_error *err)
{
	size_t len;
	int rc = sift_reader_field(r, sift_reader_ncols(r) - 3, sig, &len, err);

	if (!rc && !m->have_sig)
		rc = start(m, r, *sig, len, rec->line, err);
	if (rc)
		return rc;
	if (len != strlen(m->sig.text) || memcmp(*sig, m->sig.text, len) != 0)
		return sift_error_set(err, SIFT_EDATA,
				      "%s:%llu: partial samples of different "
				      "methods, sizes or seeds mixed: '%.*s' "
				      "after '%s'",
				      sift_reader_name(r),
				      (unsigned long long)rec->line, (int)len,
				      *sig, m->sig.text);
	*sig_len = len;
	return 0;
}

static int take_row(struct merge *m, struct sift_reader *r,
		    const struct sift_record *rec, struct sift_error *err)
{
	const size_t ncols = sift_reader_ncols(r);
	const char *sig;
	size_t id, slot, sig_len, cut;
	double key, count;
	int rc = check_signature(m, r, rec, &sig, &sig_len, err);

	if (rc)
		return rc;
	if (ncols == 3)
		return malformed(r, rec,
				 "the partial of an empty input has "
				 "no rows",
				 err);
	if (cut_at(r, rec, sig, sig_len, &cut) != 0)
		return malformed(r, rec,
				 "its last fields are not those a "
				 "partial appends",
				 err);
	rc = read_number(r, rec, ncols - 2, &key, err);
	if (!rc)
		rc = read_number(r, rec, ncols - 1, &count, err);
	if (rc)
		return rc;
	rc = pool_of(m, r, rec, &id, err);
	if (rc)
		return rc;
	struct sample_pool *p = &m->pools[id];
	/* A stratum's size in this shard, once; reservoir sizes come from
	 * the trailers. */
	if (m->sig.method == SIFT_SAMPLE_STRATIFIED &&
	    p->last_shard != m->shard + 1) {
		p->size += (uint64_t)count;
		p->last_shard = m->shard + 1;
		m->seg.strata_records += (uint64_t)count;
	}
	/* Reservoir and stratified keep the smallest uniform keys; weighted
	 * the largest log(u)/w. */
	int entered = sift_topk_offer(
		&p->top, m->sig.method == SIFT_SAMPLE_WEIGHTED ? key : -key,
		&slot);
	if (entered < 0)
		return sift_error_nomem(err);
	if (entered == 0)
		return 0;
	struct sift_record cut_rec = *rec;
	cut_rec.len = cut;
	cut_rec.index = m->index;
	rc = sample_copy_at(&m->c, &p->slots, &p->cap, slot, &cut_rec, count);
	if (!rc) {
		p->slots[slot].key = key;
		p->slots[slot].index = m->index;
	}
	return rc;
}

static int write_out_header(struct merge *m, struct sift_reader *r,
			    struct sift_error *err)
{
	const struct sift_record *h = sift_reader_header(r);
	char delim = sift_reader_delim(r), suffix[64];
	int rc;

	/* The three names were written unquoted, after the delimiter. */
	snprintf(suffix, sizeof suffix, "%csift_partial%csift_key%csift_count",
		 delim, delim, delim);
	size_t cut = h->len - strlen(suffix);
	if (h->len < strlen(suffix) ||
	    memcmp(h->raw + cut, suffix, strlen(suffix)) != 0)
		return not_partial(r, err);
	rc = sift_writer_write(m->c.w, h->raw, cut, err);
	if (!rc && m->c.extra)
		rc = sift_writer_field(m->c.w, delim, m->c.extra,
				       strlen(m->c.extra), err);
	if (!rc)
		rc = sift_writer_puts(m->c.w, *h->eol ? h->eol : "\n", err);
	return rc;
}

/* The trailer at rec: its data fields empty, a line ending after it,
 * its counts parsed into *t. */
static int read_trailer(struct merge *m, struct sift_reader *r,
			const struct sift_record *rec, struct sample_trailer *t,
			struct sift_error *err)
{
	const char *sig, *counts;
	size_t len, sig_len, cut = 0;
	int rc = check_signature(m, r, rec, &sig, &sig_len, err);

	if (!rc)
		rc = sift_reader_field(r, sift_reader_ncols(r) - 1, &counts,
				       &len, err);
	if (rc)
		return rc;
	if (cut_at(r, rec, sig, sig_len, &cut) != 0)
		return malformed(r, rec,
				 "its last fields are not those a "
				 "partial appends",
				 err);
	for (const char *p = rec->raw; p < rec->raw + cut; p++)
		if (*p != sift_reader_delim(r))
			return malformed(r, rec, "a trailer with data", err);
	if (!*rec->eol)
		return sift_error_set(err, SIFT_EDATA,
				      "%s:%llu: the trailer has no line "
				      "ending: the partial was cut short",
				      sift_reader_name(r),
				      (unsigned long long)rec->line);
	if (sample_partial_parse_counts(counts, len, t) != 0)
		return sift_error_set(err, SIFT_EDATA,
				      "%s:%llu: malformed trailer '%.*s' (not "
				      "records=N rows=M shard=ID)",
				      sift_reader_name(r),
				      (unsigned long long)rec->line,
				      (int)(len > 160 ? 160 : len), counts);
	return 0;
}

/* The trailer's counts against the rows of its partial. */
static int check_counts(struct merge *m, struct sift_reader *r,
			const struct sift_record *rec,
			const struct sample_trailer *t, struct sift_error *err)
{
	if (t->rows != m->seg.rows)
		return sift_error_set(err, SIFT_EDATA,
				      "%s:%llu: the trailer of shard '%.*s' "
				      "counts %llu rows, but its partial "
				      "holds %llu: rows were lost or added",
				      sift_reader_name(r),
				      (unsigned long long)rec->line,
				      (int)t->shard_len, t->shard,
				      (unsigned long long)t->rows,
				      (unsigned long long)m->seg.rows);
	/* Every stratum of the shard has a row (its size with it), so
	 * their sizes add up to the shard's records. */
	if (m->sig.method == SIFT_SAMPLE_STRATIFIED && t->rows &&
	    m->seg.strata_records != t->records)
		return sift_error_set(err, SIFT_EDATA,
				      "%s:%llu: the strata of shard '%.*s' "
				      "hold %llu records, its trailer says "
				      "%llu",
				      sift_reader_name(r),
				      (unsigned long long)rec->line,
				      (int)t->shard_len, t->shard,
				      (unsigned long long)m->seg.strata_records,
				      (unsigned long long)t->records);
	return 0;
}

/* Note the trailer's shard; a shard met before is counted twice. */
static int note_shard(struct merge *m, struct sift_reader *r,
		      const struct sift_record *rec,
		      const struct sample_trailer *t, struct sift_error *err)
{
	size_t before = sift_intern_count(m->shards), id;

	if (sift_intern_add(m->shards, t->shard, t->shard_len, &id))
		return sift_error_nomem(err);
	if (id < before)
		return sift_error_set(
			err, SIFT_EDATA,
			"%s:%llu: shard '%.*s' again (its partial "
			"ends at %s:%llu): a shard counted twice",
			sift_reader_name(r), (unsigned long long)rec->line,
			(int)t->shard_len, t->shard, m->seen[id].input,
			(unsigned long long)m->seen[id].line);
	if (sift_grow(&m->seen, &m->seen_cap, id + 1, sizeof *m->seen, 64))
		return sift_error_nomem(err);
	m->seen[id].input = sift_reader_name(r);
	m->seen[id].line = rec->line;
	return 0;
}

/* The trailer of the partial being read: checked, its shard noted, its
 * records added up (for reservoir, the population of the sample). */
static int take_trailer(struct merge *m, struct sift_reader *r,
			const struct sift_record *rec, struct sift_error *err)
{
	struct sample_trailer t = { 0, 0, NULL, 0 };
	size_t id;
	int rc = read_trailer(m, r, rec, &t, err);

	if (!rc)
		rc = check_counts(m, r, rec, &t, err);
	if (!rc)
		rc = note_shard(m, r, rec, &t, err);
	if (!rc && m->sig.method == SIFT_SAMPLE_RESERVOIR) {
		rc = pool_of(m, r, rec, &id, err);
		if (!rc)
			m->pools[0].size += t.records;
	}
	if (rc)
		return rc;
	m->records += t.records;
	m->seg.open = 0;
	m->shard++;
	return 0;
}

/* A partial must end with its trailer before the next one, or the
 * input, ends. */
static int no_trailer(struct merge *m, struct sift_reader *r,
		      struct sift_error *err)
{
	return sift_error_set(err, SIFT_EDATA,
			      "%s:%llu: the partial sample of line %llu "
			      "ends without its trailer (after %llu rows): "
			      "its shard failed or its output was cut short",
			      sift_reader_name(r),
			      (unsigned long long)m->seg.last_line,
			      (unsigned long long)m->seg.line,
			      (unsigned long long)m->seg.rows);
}

static void open_segment(struct merge *m, uint64_t line)
{
	memset(&m->seg, 0, sizeof m->seg);
	m->seg.open = 1;
	m->seg.line = line;
	m->seg.last_line = line;
	m->c.st->n_partials++;
}

/* The field that tells a trailer from a row: sift_key. */
static int is_trailer(struct sift_reader *r, int *yes, struct sift_error *err)
{
	const char *f;
	size_t len;
	int rc = sift_reader_field(r, sift_reader_ncols(r) - 2, &f, &len, err);

	*yes = !rc && len == strlen(SAMPLE_TRAILER_KEY) &&
	       memcmp(f, SAMPLE_TRAILER_KEY, len) == 0;
	return rc;
}

static int read_input(struct merge *m, struct sift_reader *r,
		      struct sift_error *err)
{
	const struct sift_record *rec, *h;
	int rc = check_header(m, r, err);

	if (rc)
		return rc;
	h = sift_reader_header(r);
	if (!m->header && sift_reader_ncols(r) > 3) {
		m->header = h;
		m->c.delim = sift_reader_delim(r);
		sift_writer_set_quoting(m->c.w, sift_reader_quoting(r));
		rc = write_out_header(m, r, err);
	}
	open_segment(m, h->line);
	while (!rc) {
		int trailer;

		rc = sift_reader_next(r, &rec, err);
		if (rc || !rec)
			break;
		/* Concatenated partials: each starts with its header. */
		int is_header = rec->len == h->len &&
				memcmp(rec->raw, h->raw, h->len) == 0;
		if (is_header && m->seg.open)
			return no_trailer(m, r, err);
		if (is_header) {
			open_segment(m, rec->line);
			continue;
		}
		if (!m->seg.open)
			return sift_error_set(
				err, SIFT_EDATA,
				"%s:%llu: a row after the "
				"trailer of line %llu, where "
				"only the header of another "
				"partial may follow",
				sift_reader_name(r),
				(unsigned long long)rec->line,
				(unsigned long long)m->seg.last_line);
		m->seg.last_line = rec->line;
		rc = is_trailer(r, &trailer, err);
		if (!rc && trailer) {
			rc = take_trailer(m, r, rec, err);
			continue;
		}
		if (!rc)
			rc = take_row(m, r, rec, err);
		m->index++;
		m->seg.rows++;
		m->c.st->n_rows++;
	}
	if (!rc && m->seg.open)
		rc = no_trailer(m, r, err);
	return rc;
}

/* The method's rows of the merged sample, with their design weights;
 * then every one, in input order. */
static int finish(struct merge *m, struct sift_error *err)
{
	size_t total = 0, n = 0;
	int rc;

	for (size_t h = 0; h < m->npools; h++)
		total += m->pools[h].top.n;
	struct sample_record **rows =
		malloc((total ? total : 1) * sizeof *rows);
	if (!rows)
		return sift_error_nomem(err);
	rc = sample_method(m->sig.method)
		     ->merge(&m->sig, m->pools, m->npools, rows, &n, err);
	if (!rc)
		rc = sample_write_held(&m->c, rows, n);
	free(rows);
	return rc;
}

void sift_merge_opts_init(struct sift_merge_opts *o)
{
	memset(o, 0, sizeof *o);
}

int sift_sample_merge(struct sift_reader **inputs, size_t n_inputs,
		      struct sift_writer *w, const struct sift_merge_opts *o,
		      struct sift_sample_stats *stats, struct sift_error *err)
{
	struct merge m;
	int rc = 0;

	memset(&m, 0, sizeof m);
	memset(stats, 0, sizeof *stats);
	sift_sample_opts_init(&m.o, SIFT_SAMPLE_RESERVOIR);
	m.o.shuffle = o->shuffle;
	m.o.emit_weight = o->emit_weight;
	m.c.w = w;
	m.c.o = &m.o;
	m.c.st = stats;
	m.c.err = err;
	m.c.extra = o->emit_weight;
	sift_rng_seed(&m.c.rng, o->seed);
	m.strata = sift_intern_new();
	m.shards = sift_intern_new();
	if (!m.strata || !m.shards)
		rc = sift_error_nomem(err);
	for (size_t i = 0; !rc && i < n_inputs; i++) {
		m.c.r = inputs[i];
		rc = read_input(&m, inputs[i], err);
	}
	stats->n_in = m.records;
	if (!rc && o->have_expect && m.records != o->expect_records)
		rc = sift_error_set(err, SIFT_EDATA,
				    "`expect_records` %llu: the %llu partials "
				    "hold %llu records (%s)",
				    (unsigned long long)o->expect_records,
				    (unsigned long long)stats->n_partials,
				    (unsigned long long)m.records,
				    m.records < o->expect_records
					    ? "a shard is missing"
					    : "a shard too many, or another "
					      "input's");
	if (!rc && m.have_sig)
		rc = finish(&m, err);
	for (size_t h = 0; h < m.npools; h++) {
		sample_free_records(m.pools[h].slots, m.pools[h].cap);
		sift_topk_free(&m.pools[h].top);
	}
	free(m.pools);
	sift_colexpr_list_free(m.by_cols, m.n_by);
	free(m.key);
	free(m.seen);
	sift_intern_free(m.strata);
	sift_intern_free(m.shards);
	return rc;
}
