/*
 * lib/reader_fields.c - a record's fields (see sift_reader_field in
 * sift/reader.h).
 *
 * The reader notes, as it scans a record, the mask of the delimiters
 * outside quotes of each of its blocks; a field is found from them at
 * once, whatever its column, with no second pass over the record. A
 * quoted field loses its quotes, and one that holds a doubled quote is
 * unescaped into fbuf; without quoting (TSV), a field that holds a
 * backslash is decoded into fbuf. Fields are kept once found, until the
 * next record. libcsv, in strict mode, splits a CSV header: an
 * independent check of the first line; a TSV header is split on its
 * delimiters, as its records are.
 */
#include <stdlib.h>
#include <string.h>

#include "reader_impl.h"
#include "sift/mem.h"

/* Room for n fields. */
static int reserve_fields(struct sift_reader *r, size_t n)
{
	size_t cap = sift_grow_cap(r->fields_cap, n, 16);

	if (n <= r->fields_cap)
		return 0;
	if (sift_resize(&r->fields, cap, sizeof *r->fields) ||
	    sift_resize(&r->foff, cap, sizeof *r->foff) ||
	    sift_resize_zero(&r->stamp, r->fields_cap, cap, sizeof *r->stamp))
		return SIFT_ENOMEM;
	r->fields_cap = cap;
	return 0;
}

/* Append a field of the header, as libcsv finds it. */
static int push_field(struct sift_reader *r, const char *s, size_t len)
{
	if (reserve_fields(r, r->nfields + 1))
		return SIFT_ENOMEM;
	r->fields[r->nfields].s = s;
	r->fields[r->nfields].len = len;
	r->nfields++;
	return 0;
}

static void csv_field_cb(void *s, size_t len, void *data)
{
	struct sift_reader *r = data;

	if (r->csv_nomem)
		return;
	if (sift_grow(&r->fbuf, &r->fbuf_cap, r->fbuf_len + len + 1, 1, 256)) {
		r->csv_nomem = 1;
		return;
	}
	if (len)
		memcpy(r->fbuf + r->fbuf_len, s, len);
	if (push_field(r, NULL, len)) {
		r->csv_nomem = 1;
		return;
	}
	r->foff[r->nfields - 1] = r->fbuf_len;
	r->fbuf_len += len;
}

static void csv_record_cb(int c, void *data)
{
	(void)c;
	(void)data;
}

static int split_quoted(struct sift_reader *r, const struct sift_record *rec,
			struct sift_error *err)
{
	r->fbuf_len = 0;
	r->csv_nomem = 0;
	size_t n = csv_parse(&r->csv, rec->raw, rec->len, csv_field_cb,
			     csv_record_cb, r);
	if (n != rec->len ||
	    csv_fini(&r->csv, csv_field_cb, csv_record_cb, r) != 0) {
		if (r->csv_nomem)
			return sift_error_nomem(err);
		return sift_error_set(err, SIFT_EDATA,
				      "%s:%llu: malformed quoted field (%s)",
				      r->name, (unsigned long long)rec->line,
				      csv_strerror(csv_error(&r->csv)));
	}
	if (r->csv_nomem)
		return sift_error_nomem(err);
	for (size_t i = 0; i < r->nfields; i++)
		r->fields[i].s = r->fbuf + r->foff[i];
	return 0;
}

/* Room in fbuf for the decoded fields of the current record: none is
 * longer decoded than raw, and each is decoded at most once a record,
 * so the record's length is room for them all. fbuf is grown only
 * before any of them is handed out. */
static int reserve_decoded(struct sift_reader *r, size_t rec_len,
			   struct sift_error *err)
{
	if (r->fbuf_len == 0 &&
	    sift_grow(&r->fbuf, &r->fbuf_cap, rec_len + 1, 1, 256))
		return sift_error_nomem(err);
	return 0;
}

/* A value without quoting that holds a backslash, decoded into fbuf. */
static const char *decode(struct sift_reader *r, const char *s, size_t len,
			  size_t *out_len)
{
	char *dst = r->fbuf + r->fbuf_len;

	*out_len = sift_tsv_decode(s, len, dst);
	r->fbuf_len += *out_len;
	return dst;
}

/* Split a record without quoting on its delimiters, each field decoded. */
static int split_plain(struct sift_reader *r, const struct sift_record *rec,
		       struct sift_error *err)
{
	const char *s = rec->raw, *end = rec->raw + rec->len;
	int rc;

	r->fbuf_len = 0;
	if ((rc = reserve_decoded(r, rec->len, err)))
		return rc;
	for (;;) {
		const char *d = memchr(s, r->opts.delim, (size_t)(end - s));
		size_t len = (size_t)((d ? d : end) - s);

		if (memchr(s, '\\', len))
			s = decode(r, s, len, &len);
		if (push_field(r, s, len))
			return sift_error_nomem(err);
		if (!d)
			return 0;
		s = d + 1;
	}
}

/* Split a whole record: used for the header, where the columns are
 * named. A CSV header goes through libcsv, so that an independent strict
 * parser reads it. */
int reader_split_record(struct sift_reader *r, const struct sift_record *rec,
			struct sift_error *err)
{
	r->nfields = 0;
	if (r->opts.quoting == SIFT_QUOTING_NONE)
		return split_plain(r, rec, err);
	return split_quoted(r, rec, err);
}

/* Unescape a quoted field's inside (doubled quotes) into fbuf: the runs
 * up to each quote copied whole, the second quote of each pair left
 * out. */
static const char *unescape(struct sift_reader *r, const char *s, size_t len,
			    size_t *out_len)
{
	char *dst = r->fbuf + r->fbuf_len, *d = dst;
	const char *end = s + len;

	while (s < end) {
		const char *q = memchr(s, '"', (size_t)(end - s));
		size_t run = (size_t)((q ? q + 1 : end) - s);

		memcpy(d, s, run);
		d += run;
		s += run + (q != NULL);
	}
	*out_len = (size_t)(d - dst);
	r->fbuf_len += *out_len;
	return dst;
}

/* The offsets from the current record's start of its delimiters col - 1
 * and col (numbered from 0), by its noted masks: -1 for "before the
 * record" and for "after its end". A word is skipped by its population
 * count, or its bits are walked where the delimiter is near. */
static void delims_around(const struct delim_masks *m, size_t col,
			  long long *from, long long *to)
{
	size_t k = 0; /* delimiters before the word */

	*from = *to = -1;
	for (size_t b = 0; b < m->n; b++) {
		uint64_t x = m->mask[b];

		if (col >= k + 8) {
			size_t c = scan_popcount(x);

			if (col > k + c) {
				k += c;
				continue;
			}
		}
		for (; x; x &= x - 1, k++) {
			long long at = m->base + (long long)(SCAN_BLOCK * b) +
				       __builtin_ctzll(x);

			if (k + 1 == col)
				*from = at;
			if (k == col) {
				*to = at;
				return;
			}
		}
	}
}

/* Field col of the current record, found at once from its noted
 * delimiters; quoted, it loses its quotes and is unescaped into fbuf if
 * it holds a doubled quote; without quoting, it is decoded into fbuf if
 * it holds a backslash. Returns -1 if the record has fewer fields. */
static int field_at(struct sift_reader *r, size_t col, struct sift_error *err)
{
	long long from, to;
	const char *s;
	size_t len;

	delims_around(&r->rec_masks, col, &from, &to);
	if (col && from < 0)
		return -1;
	s = r->rec.raw + from + 1;
	len = (size_t)((to < 0 ? (long long)r->rec.len : to) - from - 1);
	if (reserve_fields(r, col + 1))
		return sift_error_nomem(err);
	if (r->opts.quoting == SIFT_QUOTING_NONE) {
		if (memchr(s, '\\', len)) {
			if (reserve_decoded(r, r->rec.len, err))
				return SIFT_ENOMEM;
			s = decode(r, s, len, &len);
		}
	} else if (len >= 2 && *s == '"') {
		s++;
		len -= 2;
		if (memchr(s, '"', len)) {
			if (reserve_decoded(r, r->rec.len, err))
				return SIFT_ENOMEM;
			s = unescape(r, s, len, &len);
		}
	}
	r->fields[col].s = s;
	r->fields[col].len = len;
	r->stamp[col] = r->serial;
	return 0;
}

/* The number of fields of the current record. */
static size_t field_count(const struct sift_reader *r)
{
	size_t n = 1;

	for (size_t b = 0; b < r->rec_masks.n; b++)
		n += scan_popcount(r->rec_masks.mask[b]);
	return n;
}

int sift_reader_field(struct sift_reader *r, size_t col, const char **s,
		      size_t *len, struct sift_error *err)
{
	int rc = 0;

	if (r->rec_masks.lost) /* noting them ran out of memory */
		return sift_error_nomem(err);
	if (col >= r->fields_cap || r->stamp[col] != r->serial)
		rc = field_at(r, col, err);
	if (rc == -1)
		return sift_error_set(err, SIFT_EDATA,
				      "%s:%llu: no field %zu (the record has "
				      "%zu)",
				      r->name, (unsigned long long)r->rec.line,
				      col + 1, field_count(r));
	if (rc)
		return rc;
	*s = r->fields[col].s;
	*len = r->fields[col].len;
	return 0;
}
