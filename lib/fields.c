/*
 * lib/fields.c - a record's fields (see sift_reader_field in
 * sift/reader.h).
 *
 * The block scanner has already checked every record's quoting, so a
 * record is split with memchr, as far as the column asked for; a field
 * that holds a doubled quote is unescaped into fbuf. libcsv, in strict
 * mode, splits the header: an independent check of the first line.
 */
#include <stdlib.h>
#include <string.h>

#include "reader_impl.h"

static int push_field(struct sift_reader *r, const char *s, size_t len)
{
	if (r->nfields == r->fields_cap) {
		size_t cap = r->fields_cap ? r->fields_cap * 2 : 16;
		struct field *f = realloc(r->fields, cap * sizeof *f);
		size_t *o = realloc(r->foff, cap * sizeof *o);

		if (f)
			r->fields = f;
		if (o)
			r->foff = o;
		if (!f || !o)
			return SIFT_ENOMEM;
		r->fields_cap = cap;
	}
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
	if (r->fbuf_len + len + 1 > r->fbuf_cap) {
		size_t cap = (r->fbuf_len + len + 1) * 2;
		char *p = realloc(r->fbuf, cap);

		if (!p) {
			r->csv_nomem = 1;
			return;
		}
		r->fbuf = p;
		r->fbuf_cap = cap;
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
	if (n != rec->len || csv_fini(&r->csv, csv_field_cb, csv_record_cb,
				      r) != 0) {
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

/* Split a whole record through libcsv: used for the header, where
 * the columns are named, so that an independent strict parser reads it. */
int reader_split_record(struct sift_reader *r, const struct sift_record *rec,
			struct sift_error *err)
{
	r->nfields = 0;
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

/* Split the current record up to field col. The scanner has already
 * checked the record's quoting, so fields are found with memchr alone:
 * a quoted field runs to the quote that is not doubled, an unquoted one
 * to the next delimiter. Fields come out in order; unescaped text goes
 * to fbuf, reserved at the record's length so it never moves. */
static int split_until(struct sift_reader *r, size_t col,
		       struct sift_error *err)
{
	const char *raw = r->rec.raw, *end = raw + r->rec.len;
	const char *p = raw + r->split_off;

	if (r->nfields == 0 && r->fbuf_cap < r->rec.len + 1) {
		char *buf = realloc(r->fbuf, r->rec.len + 1);

		if (!buf)
			return sift_error_nomem(err);
		r->fbuf = buf;
		r->fbuf_cap = r->rec.len + 1;
	}
	while (!r->split_all && r->nfields <= col) {
		const char *s = p, *q;
		size_t len;

		if (p < end && *p == '"') {
			int doubled = 0;

			for (q = p + 1;; q += 2) {
				q = memchr(q, '"', (size_t)(end - q));
				if (!q || q + 1 >= end || q[1] != '"')
					break;
				doubled = 1;
			}
			if (!q)
				return sift_error_set(err, SIFT_EDATA,
						      "%s:%llu: unterminated "
						      "quoted field",
						      r->name,
						      (unsigned long long)
							      r->rec.line);
			s = doubled ? unescape(r, p + 1, (size_t)(q - p - 1),
					       &len)
				    : p + 1;
			if (!doubled)
				len = (size_t)(q - p - 1);
			p = q + 1;
			/* The scanner let only a delimiter through here; a
			 * second line of defence keeps fields from shifting. */
			if (p < end && *p != r->opts.delim)
				return sift_error_set(
					err, SIFT_EDATA,
					"%s:%llu: unexpected character after a "
					"closing quote",
					r->name, (unsigned long long)r->rec.line);
		} else {
			q = memchr(p, r->opts.delim, (size_t)(end - p));
			p = q ? q : end;
			len = (size_t)(p - s);
		}
		if (push_field(r, s, len))
			return sift_error_nomem(err);
		if (p >= end)
			r->split_all = 1;
		else
			p++; /* the delimiter */
	}
	r->split_off = (size_t)(p - raw);
	return 0;
}

int sift_reader_field(struct sift_reader *r, size_t col, const char **s,
		      size_t *len, struct sift_error *err)
{
	if (col >= r->nfields) {
		int rc = split_until(r, col, err);

		if (rc)
			return rc;
	}
	if (col >= r->nfields)
		return sift_error_set(err, SIFT_EDATA,
				      "%s:%llu: no field %zu (the record has "
				      "%zu)",
				      r->name, (unsigned long long)r->rec.line,
				      col + 1, r->nfields);
	*s = r->fields[col].s;
	*len = r->fields[col].len;
	return 0;
}

