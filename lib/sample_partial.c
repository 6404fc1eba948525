/*
 * lib/sample_partial.c - the format of a partial sample: what sift sample
 * --partial writes for one shard and lib/sample_merge.c reads back (documented
 * in sift-sample(1), FILES).
 *
 *   header   the input's header, then sift_partial,sift_key,sift_count
 *   row      a kept record's bytes, then the signature, its random key
 *            and its count (the shard's or the stratum's size, or the
 *            record's weight)
 *   trailer  empty data fields, the signature, "end", and
 *            "records=N rows=M shard=ID": the records the shard read,
 *            the rows written before it, the shard's identity
 *
 * The trailer is written last, and only once the shard's whole input has
 * been read without error, so a partial cut short (a job killed, a disk
 * full, a pipe broken) has none: the merge refuses it rather than take
 * a part of a shard for the whole. The rows' count catches rows lost in
 * between; the identity, a shard merged twice.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "sift/parse.h"
#include "sample_core.h"

void sample_partial_signature(const struct sift_sample_opts *o, char *buf,
			      size_t size)
{
	const int strata = o->method == SIFT_SAMPLE_STRATIFIED;
	char n[32] = "", alloc[48] = "";
	uint64_t size_n = strata                              ? o->stratified.n
			  : o->method == SIFT_SAMPLE_WEIGHTED ? o->weighted.n
							      : o->reservoir.n;

	snprintf(n, sizeof n, "%c=%llu",
		 strata && o->stratified.size == SIFT_STRATA_EACH ? 'k' : 'n',
		 (unsigned long long)size_n);
	if (strata)
		snprintf(alloc, sizeof alloc, " %s min=%llu",
			 o->stratified.allocation == SIFT_ALLOC_EQUAL
				 ? "equal"
				 : "proportional",
			 (unsigned long long)o->stratified.min);
	snprintf(buf, size, "%s %s seed=%llu%s%s%s",
		 sift_sample_method_name(o->method), n,
		 (unsigned long long)o->seed, alloc, strata ? " by=" : "",
		 strata ? o->stratified.by : "");
}

uint64_t sample_partial_seed(const struct sift_sample_opts *o)
{
	const char *id = o->shard ? o->shard : "";

	return XXH3_64bits_withSeed(id, strlen(id), o->seed);
}

double sample_partial_key(struct sampler *c)
{
	/* The top 53 bits, centred: never 0, whose log weighted keys take. */
	return ((double)(sift_rng_next(&c->rng) >> 11) + 0.5) * 0x1.0p-53;
}

/* A field with no delimiter before it (the first of a line), quoted as
 * sift_writer_field quotes. */
static int first_field(struct sampler *c, const char *s)
{
	size_t len = strlen(s);
	int rc;

	if (!memchr(s, c->delim, len) && !strpbrk(s, "\"\r\n"))
		return sift_writer_write(c->w, s, len, c->err);
	rc = sift_writer_write(c->w, "\"", 1, c->err);
	for (const char *q; !rc && (q = strchr(s, '"')); s = q + 1) {
		rc = sift_writer_write(c->w, s, (size_t)(q - s) + 1, c->err);
		if (!rc)
			rc = sift_writer_write(c->w, "\"", 1, c->err);
	}
	if (!rc)
		rc = sift_writer_puts(c->w, s, c->err);
	return rc ? rc : sift_writer_write(c->w, "\"", 1, c->err);
}

int sample_partial_trailer(struct sampler *c)
{
	const struct sift_record *h = sift_reader_header(c->r);
	const char *id = c->o->shard ? c->o->shard : "";
	size_t ncols = sift_reader_ncols(c->r);
	char *counts = NULL;
	int n, rc = 0;

	/* The data fields, empty: ncols - 1 delimiters. */
	for (size_t i = 1; !rc && i < ncols; i++)
		rc = sift_writer_write(c->w, &c->delim, 1, c->err);
	if (!rc)
		rc = ncols ? sift_writer_field(c->w, c->delim, c->partial,
					       strlen(c->partial), c->err)
			   : first_field(c, c->partial);
	if (!rc)
		rc = sift_writer_field(c->w, c->delim, SAMPLE_TRAILER_KEY,
				       strlen(SAMPLE_TRAILER_KEY), c->err);
	/* The identity ends the field: it may hold anything. */
	n = snprintf(NULL, 0, "records=%llu rows=%llu shard=%s",
		     (unsigned long long)c->st->n_in,
		     (unsigned long long)c->st->n_out, id);
	if (!rc && (n < 0 || !(counts = malloc((size_t)n + 1))))
		rc = sift_error_nomem(c->err);
	if (!rc) {
		snprintf(counts, (size_t)n + 1,
			 "records=%llu rows=%llu shard=%s",
			 (unsigned long long)c->st->n_in,
			 (unsigned long long)c->st->n_out, id);
		rc = sift_writer_field(c->w, c->delim, counts, (size_t)n,
				       c->err);
	}
	free(counts);
	if (!rc)
		rc = sift_writer_puts(c->w, h && *h->eol ? h->eol : "\n",
				      c->err);
	return rc;
}

int sample_partial_empty(struct sampler *c)
{
	static const char *const cols[] = { SAMPLE_PARTIAL_COLS };
	int rc = sift_writer_puts(c->w, cols[0], c->err);

	for (size_t i = 1; !rc && i < 3; i++)
		rc = sift_writer_field(c->w, c->delim, cols[i], strlen(cols[i]),
				       c->err);
	if (!rc)
		rc = sift_writer_puts(c->w, "\n", c->err);
	return rc ? rc : sample_partial_trailer(c);
}

/* A decimal number at *p, up to the next space or the end; *p moves on. */
static int number(const char **p, const char *end, uint64_t *out)
{
	char digits[24];
	size_t n = 0;

	while (*p < end && **p != ' ' && n + 1 < sizeof digits)
		digits[n++] = *(*p)++;
	digits[n] = '\0';
	return n && sift_parse_u64(digits, out) == 0 ? 0 : -1;
}

/* Whether s[0..len) at *p starts with word; *p moves past it. */
static int word(const char **p, const char *end, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(end - *p) < n || memcmp(*p, w, n) != 0)
		return 0;
	*p += n;
	return 1;
}

int sample_partial_parse_counts(const char *s, size_t len,
				struct sample_trailer *t)
{
	const char *p = s, *end = s + len;

	if (!word(&p, end, "records=") || number(&p, end, &t->records) ||
	    !word(&p, end, " rows=") || number(&p, end, &t->rows) ||
	    !word(&p, end, " shard=") || p == end)
		return -1;
	t->shard = p;
	t->shard_len = (size_t)(end - p);
	return 0;
}
