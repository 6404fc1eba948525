/*
 * fuzz_tsv: the reader without quoting (sift/dialect.h: TSV, or
 * --no-quote with another delimiter), checked against its definition.
 * Every field of every record, asked for with sift_reader_field in a
 * scrambled order, must be what splitting the record's bytes on the
 * delimiter and sift_tsv_decode give, and a record must have as many
 * fields as the header; the header's names likewise. Each value is then
 * written back with sift_tsv_escape: the escaped bytes hold no
 * delimiter, tab, LF or CR, decode to the value again, and are as long
 * as sift_value_written_len says; sift_writer_field writes them to
 * /dev/null. The first byte picks the dialect: bits 0-1 the delimiter
 * (tab, '|', ',' or ';'), bit 2 no header; with bits 3 and 4 the rest
 * is repeated to 70 KiB (fuzz_repeat).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "sift/dialect.h"
#include "sift/reader.h"
#include "sift/writer.h"

/* Room for a decoded or an escaped value, and for the fields' starts:
 * the input is small. */
static char *decoded, *escaped, *again;
static size_t *field_start;

/* value must be raw[0..len) decoded. */
static void check_decoded(const char *raw, size_t len, const char *value,
			  size_t value_len)
{
	size_t n = sift_tsv_decode(raw, len, decoded);

	if (n != value_len || (n && memcmp(decoded, value, n)))
		abort();
}

/* A column's name is its header field decoded, up to a NUL byte; the
 * first's without a UTF-8 byte-order mark (sift(1)). */
static void check_name(const char *raw, size_t len, const char *name, int first)
{
	size_t n = sift_tsv_decode(raw, len, decoded), k = strlen(name);
	const char *d = decoded;

	if (first && n >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0) {
		d += 3;
		n -= 3;
	}
	if (k > n || memcmp(d, name, k) || (k < n && d[k]))
		abort();
}

/* Escaped for writing, value holds none of the bytes that end a field
 * or a record, and reads back the same. */
static void check_escape(const char *value, size_t len, char delim)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		size_t k = sift_tsv_escape((unsigned char)value[i], delim,
					   escaped + n);

		if (!k)
			escaped[n++] = value[i];
		else
			n += k;
	}
	for (size_t i = 0; i < n; i++)
		if (escaped[i] == delim || escaped[i] == '\t' ||
		    escaped[i] == '\n' || escaped[i] == '\r')
			abort();
	if (sift_value_written_len(value, len, delim, SIFT_QUOTING_NONE) != n)
		abort();
	if (sift_tsv_decode(escaped, n, again) != len ||
	    (len && memcmp(again, value, len)))
		abort();
}

/* The fields of raw[0..len), split on delim: field k is
 * raw[start[k] .. start[k + 1] - 1). Returns their number; start holds
 * room for len + 2. */
static size_t split(const char *raw, size_t len, char delim, size_t *start)
{
	size_t n = 0;

	start[n++] = 0;
	for (size_t i = 0; i < len; i++)
		if (raw[i] == delim)
			start[n++] = i + 1;
	start[n] = len + 1;
	return n;
}

static void check_record(struct sift_reader *r, const struct sift_record *rec,
			 struct sift_writer *w, char delim)
{
	size_t ncols = sift_reader_ncols(r);
	struct sift_error err;
	const char *s;
	size_t len;

	if (split(rec->raw, rec->len, delim, field_start) != ncols)
		abort();
	/* Last to first, then first to last: fields are found in any
	 * order, and kept once found. */
	for (size_t pass = 0; pass < 2; pass++)
		for (size_t k = 0; k < ncols; k++) {
			size_t col = pass ? k : ncols - 1 - k;

			if (sift_reader_field(r, col, &s, &len, &err))
				abort();
			check_decoded(rec->raw + field_start[col],
				      field_start[col + 1] - 1 -
					      field_start[col],
				      s, len);
			if (pass)
				continue;
			check_escape(s, len, delim);
			(void)(col ? sift_writer_field(w, delim, s, len, &err)
				   : sift_writer_value(w, delim, s, len, &err));
		}
	if (sift_reader_field(r, ncols, &s, &len, &err) == 0)
		abort();
	(void)sift_writer_puts(w, "\n", &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delims[] = { '\t', '|', ',', ';' };
	unsigned mode = size ? data[0] : 0;
	size_t len = size ? size - 1 : 0;
	uint8_t *tsv =
		fuzz_repeat(data + (size > 0), len,
			    (mode & 24) == 24 ? (size_t)70 << 10 : 0, &len);
	const char *path = fuzz_write("in.tsv", tsv, len);
	const struct sift_record *rec, *h;
	struct sift_csv_opts o;
	struct sift_error err;
	struct sift_reader *r;
	struct sift_writer *w;

	sift_csv_opts_init(&o);
	o.delim = delims[mode & 3];
	o.quoting = SIFT_QUOTING_NONE;
	o.header = !(mode & 4);
	free(tsv);
	decoded = realloc(decoded, len + 1);
	escaped = realloc(escaped, 4 * len + 1);
	again = realloc(again, 4 * len + 1);
	field_start = realloc(field_start, (len + 2) * sizeof *field_start);
	if (!decoded || !escaped || !again || !field_start)
		abort();
	if (!(r = sift_reader_open(path, &o, 0, &err)))
		return 0;
	if (!(w = sift_writer_open("/dev/null", &err)))
		abort();
	sift_writer_set_quoting(w, SIFT_QUOTING_NONE);
	if ((h = sift_reader_header(r)) &&
	    split(h->raw, h->len, o.delim, field_start) != sift_reader_ncols(r))
		abort();
	for (size_t i = 0; h && i < sift_reader_ncols(r); i++)
		check_name(h->raw + field_start[i],
			   field_start[i + 1] - 1 - field_start[i],
			   sift_reader_colname(r, i), i == 0);
	while (!sift_reader_next(r, &rec, &err) && rec)
		check_record(r, rec, w, o.delim);
	if (sift_writer_close(w, &err))
		abort();
	sift_reader_close(r);
	return 0;
}
