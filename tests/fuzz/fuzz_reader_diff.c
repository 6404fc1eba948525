/*
 * fuzz_reader_diff: sift's reader against libcsv, the strict RFC 4180
 * parser sift's header goes through (lib/reader_fields.c), on the same
 * bytes.
 * libcsv runs with CSV_STRICT | CSV_STRICT_FINI, the delimiter of the
 * input, no space trimming (sift keeps spaces: sift(1)) and its default
 * record ends, CR or LF. Where libcsv accepts the input, sift must read
 * the same records, each with the same fields, byte for byte; where
 * libcsv refuses it (a quote out of place, a quote never closed), sift
 * must read the same records up to the one libcsv stopped in, then fail
 * with a quoting error there.
 *
 * The differences that are sift's own, and how each is judged:
 *
 *   - A record whose field count is not the header's (or the first
 *     record's) is an error in sift, a ragged row; libcsv has no notion
 *     of width. So where libcsv gives such a record, sift must fail
 *     with "ragged row" there, after the same records before it.
 *   - A line may end in LF or CR LF, and blank lines (empty, or a lone
 *     CR before the LF) are skipped: the same in both, since libcsv
 *     ends a record at the CR and skips the empty one at the LF.
 *   - A CR outside quotes that does not end a CRLF: libcsv ends a
 *     record there; sift(1) says lines end in LF or CR LF and a field
 *     holding a CR is quoted, and sift refuses it. So libcsv reads only
 *     the lines before the one that holds it, and sift must read the
 *     same records and then fail there: on the CR, or on a misplaced
 *     quote before it (a CR after a closing quote is one).
 *   - A UTF-8 byte-order mark at the start of the first column's
 *     name is no part of the name in sift (sift(1)); a record's fields
 *     keep it, as libcsv's do. So a header name is compared without it.
 *   - A last record without a line end is a record in both, a NUL a
 *     byte like any other in both: no difference to skip.
 *
 * The first byte picks the dialect: bits 0-1 the delimiter (',', tab,
 * ';', '|'), bit 2 no header; with bits 3 and 4 the rest, the CSV, is
 * repeated to 70 KiB.
 */
#include <csv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "sift/reader.h"

/* The records libcsv gave: their fields' bytes in one buffer. */
struct parsed {
	char *bytes;
	size_t len, cap;
	struct field {
		size_t start, len;
	} * field;
	size_t nfields, fcap;
	size_t *first; /* per record: its first field; one past the last */
	size_t nrecords, rcap;
	int failed; /* libcsv refused the input after nrecords records */
};

static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return p;
	*cap = need * 2;
	if (!(p = realloc(p, *cap * size)))
		abort();
	return p;
}

static void on_field(void *s, size_t len, void *data)
{
	struct parsed *p = data;

	p->bytes = grow(p->bytes, &p->cap, p->len + len + 1, 1);
	if (len)
		memcpy(p->bytes + p->len, s, len);
	p->field = grow(p->field, &p->fcap, p->nfields + 1, sizeof *p->field);
	p->field[p->nfields].start = p->len;
	p->field[p->nfields++].len = len;
	p->len += len;
}

static void on_record(int c, void *data)
{
	struct parsed *p = data;

	(void)c;
	p->first = grow(p->first, &p->rcap, p->nrecords + 2, sizeof *p->first);
	p->first[++p->nrecords] = p->nfields;
}

static int never_space(unsigned char c)
{
	(void)c;
	return 0;
}

static void parse(const uint8_t *data, size_t size, char delim,
		  struct parsed *p)
{
	struct csv_parser csv;

	memset(p, 0, sizeof *p);
	p->first = grow(NULL, &p->rcap, 2, sizeof *p->first);
	p->first[0] = 0;
	if (csv_init(&csv, CSV_STRICT | CSV_STRICT_FINI))
		abort();
	csv_set_delim(&csv, (unsigned char)delim);
	csv_set_space_func(&csv, never_space);
	if (csv_parse(&csv, data, size, on_field, on_record, p) != size ||
	    csv_fini(&csv, on_field, on_record, p) != 0) {
		if (csv_error(&csv) != CSV_EPARSE)
			abort();
		p->failed = 1;
	}
	csv_free(&csv);
}

static void parsed_free(struct parsed *p)
{
	free(p->bytes);
	free(p->field);
	free(p->first);
}

/* The start of the line that holds the first CR outside quotes that no
 * LF follows (where sift must stop), or size without one. Quotes are
 * counted as libcsv counts them, which is exact up to its first error. */
static size_t lone_cr_line(const uint8_t *data, size_t size)
{
	size_t line = 0;
	int inside = 0;

	for (size_t i = 0; i < size; i++) {
		inside ^= data[i] == '"';
		if (inside)
			continue;
		if (data[i] == '\n')
			line = i + 1;
		else if (data[i] == '\r' &&
			 (i + 1 == size || data[i + 1] != '\n'))
			return line;
	}
	return size;
}

/* sift failed with a data error whose message has what (or or_what). */
static void expect_error(int rc, const struct sift_error *err, const char *what,
			 const char *or_what)
{
	if (rc != SIFT_EDATA || (!strstr(err->msg, what) &&
				 !(or_what && strstr(err->msg, or_what))))
		abort();
}

/* sift's end after the records libcsv gave: the end of input, a quoting
 * error where libcsv failed, or where a lone CR stopped it. */
static void expect_end(int rc, const struct sift_record *rec,
		       const struct sift_error *err, const struct parsed *p,
		       int lone_cr)
{
	if (p->failed)
		expect_error(rc, err, "quote", NULL);
	else if (lone_cr)
		expect_error(rc, err, "carriage return", "quote");
	else if (rc || rec)
		abort();
}

/* Field k of record i of p is s[0..len). */
static int same_field(const struct parsed *p, size_t i, size_t k, const char *s,
		      size_t len)
{
	const struct field *f = &p->field[p->first[i] + k];

	return f->len == len && (!len || !memcmp(p->bytes + f->start, s, len));
}

/* The header's names, which are NUL-terminated: equal up to a NUL. */
static void check_header(struct sift_reader *r, const struct parsed *p)
{
	size_t n = p->first[1] - p->first[0];

	if (sift_reader_ncols(r) != n)
		abort();
	for (size_t k = 0; k < n; k++) {
		const char *name = sift_reader_colname(r, k);
		struct field f = p->field[p->first[0] + k];
		size_t len = strlen(name);

		if (k == 0 && f.len >= 3 &&
		    memcmp(p->bytes + f.start, "\xEF\xBB\xBF", 3) == 0) {
			f.start += 3;
			f.len -= 3;
		}
		if (len > f.len || memcmp(p->bytes + f.start, name, len) ||
		    (len < f.len && p->bytes[f.start + len]))
			abort();
	}
}

static void compare(const char *path, const struct sift_csv_opts *o,
		    const struct parsed *p, int lone_cr)
{
	struct sift_error err;
	struct sift_reader *r = sift_reader_open(path, o, 0, &err);
	const struct sift_record *rec;
	size_t i = 0, width;
	int rc;

	if (!r) {
		/* The header (or the first record) is where it ends. */
		if (p->nrecords > 0 || (!p->failed && !lone_cr))
			abort();
		expect_end(err.code, NULL, &err, p, lone_cr);
		return;
	}
	if (o->header && p->nrecords > 0) {
		check_header(r, p);
		i = 1;
	}
	width = p->nrecords > 0 ? p->first[1] - p->first[0] : 0;
	for (; i < p->nrecords; i++) {
		size_t n = p->first[i + 1] - p->first[i];

		rc = sift_reader_next(r, &rec, &err);
		if (n != width) {
			expect_error(rc, &err, "ragged row", NULL);
			sift_reader_close(r);
			return;
		}
		if (rc || !rec)
			abort();
		for (size_t k = 0; k < n; k++) {
			const char *s;
			size_t len;

			if (sift_reader_field(r, k, &s, &len, &err) ||
			    !same_field(p, i, k, s, len))
				abort();
		}
	}
	rc = sift_reader_next(r, &rec, &err);
	expect_end(rc, rec, &err, p, lone_cr);
	sift_reader_close(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delims[] = { ',', '\t', ';', '|' };
	unsigned mode = size ? data[0] : 0;
	size_t min = (mode & 24) == 24 ? (size_t)70 << 10 : 0;
	size_t len = size ? size - 1 : 0;
	uint8_t *csv = fuzz_repeat(data + (size > 0), len, min, &len);
	struct sift_csv_opts o;
	struct parsed p;
	size_t stop;

	stop = lone_cr_line(csv, len);
	sift_csv_opts_init(&o);
	o.delim = delims[mode & 3];
	o.header = !(mode & 4);
	parse(csv, stop, o.delim, &p);
	compare(fuzz_write("diff.csv", csv, len), &o, &p, stop < len);
	parsed_free(&p);
	free(csv);
	return 0;
}
