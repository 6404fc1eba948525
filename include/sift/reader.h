/*
 * sift/reader.h - records from a CSV or TSV stream, plain or gzip.
 *
 * The data path of every sift command starts here:
 *
 *     path or "-" --> zlib (gzip or plain alike; a regular file read
 *     ahead by a thread) --> record boundaries (a quote-aware scan over
 *     64-byte blocks, noting the delimiters outside quotes) --> fields
 *     (on demand; the header through libcsv, strict, or for TSV split
 *     on its delimiters)
 *
 * A record keeps the bytes it was read as, so a command that keeps a
 * record writes exactly those bytes. Finding where a record ends costs a
 * few instructions per 64 bytes; a field is taken out only when a command
 * asks for it, and skipped records are passed over whole blocks at a
 * time, which is what lets a reservoir sampler skip unselected records at
 * close to the speed of the disk.
 *
 * Strictness: every record, read or skipped, is checked for the number of
 * fields and (CSV) for quotes that open or close in the wrong place; an
 * unterminated quote is reported at the line where it opened. Blank lines
 * are skipped (but counted in line numbers).
 *
 * The dialect (sift/dialect.h) is CSV by default; without quoting (TSV)
 * a quote is an ordinary byte, a field is the bytes between delimiters,
 * and a value is decoded from its backslash escapes.
 */
#ifndef SIFT_READER_H
#define SIFT_READER_H

#include <stddef.h>
#include <stdint.h>

#include "sift/dialect.h"
#include "sift/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The longest record read by default: a longer one is almost surely a
 * quote left open in a big file, and refusing it keeps memory bounded. */
#define SIFT_MAX_RECORD ((size_t)256 << 20)

struct sift_csv_opts {
	char delim;                /* field delimiter, ',' by default */
	enum sift_quoting quoting; /* CSV (default) or none (TSV); none
				      cannot have a backslash delimiter */
	int header;        /* 1: the first record names the columns (default) */
	size_t max_record; /* bytes; a longer record is an error, found
			      when more input is read while it is open
			      (0: the default, SIFT_MAX_RECORD) */
};

/* Defaults: comma, CSV quoting, header on, records up to
 * SIFT_MAX_RECORD. */
void sift_csv_opts_init(struct sift_csv_opts *opts);

/* One record. Its pointers are valid until the next call that reads,
 * skips or rewinds the reader it came from. */
struct sift_record {
	const char *raw; /* the record's bytes, without the line ending */
	size_t len;
	const char *eol; /* "\n", "\r\n", or "" at a file's unterminated end */
	uint64_t line;   /* the 1-based line on which the record starts */
	uint64_t index;  /* 0-based number among the data records */
};

struct sift_reader;

/* Flags for sift_reader_open. */
enum {
	/* The caller will call sift_reader_rewind: a stream that cannot be
	 * re-read (stdin, a pipe) is spooled to an unlinked temporary file
	 * as it is read. */
	SIFT_READER_REWIND = 1,
};

/* Open path ("-" or NULL for stdin) and read its header (if opts say
 * there is one). Returns NULL and fills err on failure: a file that
 * cannot be opened, a header that is not valid CSV, options no input
 * can have (SIFT_EUSAGE: a backslash delimiter without quoting). An
 * empty input is not an error: it has no columns and no records. opts
 * may be NULL.
 * A regular file is read ahead by a thread the reader starts here and
 * stops in sift_reader_close (and around a rewind): a child forked in
 * between must not use the reader. */
struct sift_reader *sift_reader_open(const char *path,
				     const struct sift_csv_opts *opts,
				     unsigned flags, struct sift_error *err);

/* Close and free; r may be NULL. */
void sift_reader_close(struct sift_reader *r);

/* The name used in messages: the path, or "stdin". */
const char *sift_reader_name(const struct sift_reader *r);

/* The delimiter in use. */
char sift_reader_delim(const struct sift_reader *r);

/* The quoting in use: a record's fields are written back in it (see
 * sift_writer_set_quoting). */
enum sift_quoting sift_reader_quoting(const struct sift_reader *r);

/* The options r was opened with (another input in the same dialect,
 * such as a validation file, is opened with them). */
const struct sift_csv_opts *sift_reader_opts(const struct sift_reader *r);

/* The header record, or NULL without a header (or on empty input). */
const struct sift_record *sift_reader_header(const struct sift_reader *r);

/* The number of columns: the header's width, or without a header the
 * width of the first record (0 until one has been read). */
size_t sift_reader_ncols(const struct sift_reader *r);

/* Column i's name (0-based): the header's field (for TSV decoded from
 * its escapes), or its 1-based number as text without a header. Valid
 * while r is open. */
const char *sift_reader_colname(const struct sift_reader *r, size_t i);

/* How a message names column i (0-based) of r: its header name and
 * 1-based number, "column 'text' (7)", or without a header "column 7".
 * Written to buf (size bytes; 96 hold any, a long name being cut) and
 * returned. */
const char *sift_reader_colref(const struct sift_reader *r, size_t i, char *buf,
			       size_t size);

/* Fill err with SIFT_EDATA for a field of the record on line `line` that
 * does not hold what it should: "FILE:LINE: WHERE: WHAT 'VALUE' WHY",
 * WHERE naming the column (sift_reader_colref, or a derived value's
 * text), WHAT the field's role ("weight", "score"; NULL for none), the
 * value cut to 40 bytes, WHY the fault ("is not a number"). The one
 * form of every such message. Returns SIFT_EDATA. */
int sift_reader_field_error(const struct sift_reader *r, uint64_t line,
			    const char *where, const char *what, const char *s,
			    size_t len, const char *why,
			    struct sift_error *err);

/* sift_reader_field_error for the field of column col. */
int sift_reader_column_error(const struct sift_reader *r, uint64_t line,
			     size_t col, const char *what, const char *s,
			     size_t len, const char *why,
			     struct sift_error *err);

/* Find a column by header name, else by 1-based number. Errors name the
 * column and list the available ones: a name that is not there (with the
 * nearest name, sift/nearest.h, or, when the header is one column that
 * holds tabs or ';', the delimiter option to try), a name that two
 * columns share (ambiguous), a number out of range. */
int sift_reader_column(struct sift_reader *r, const char *spec, size_t *col,
		       struct sift_error *err);

/* Several columns from a comma-separated list "a,b,3"; *cols is
 * malloc'ed and owned by the caller. */
int sift_reader_columns(struct sift_reader *r, const char *list, size_t **cols,
			size_t *ncols, struct sift_error *err);

/* The next data record in *rec, or *rec = NULL at the end of input.
 * Returns 0, or an error code with err filled (bad CSV, a ragged row, a
 * read error, a truncated gzip stream). */
int sift_reader_next(struct sift_reader *r, const struct sift_record **rec,
		     struct sift_error *err);

/* Skip up to n data records without splitting them into fields; the
 * number skipped goes to *skipped (fewer than n only at the end). Skipped
 * records are still checked as strictly as read ones. */
int sift_reader_skip(struct sift_reader *r, uint64_t n, uint64_t *skipped,
		     struct sift_error *err);

/* Field col (0-based) of the last record returned by sift_reader_next,
 * unquoted (CSV) or decoded from its backslash escapes (TSV: see
 * sift_tsv_decode; a field without a backslash is not copied), in *s
 * and *len (not NUL-terminated; valid until the next
 * read, whatever other fields are asked for meanwhile). Found from the
 * delimiters noted as the record was scanned, in any order; an error
 * names the record's field count when it has no field col. */
int sift_reader_field(struct sift_reader *r, size_t col, const char **s,
		      size_t *len, struct sift_error *err);

/* Go back to the first data record. Needs SIFT_READER_REWIND at open
 * for a stream that cannot seek. */
int sift_reader_rewind(struct sift_reader *r, struct sift_error *err);

/* How far an input is read, for a progress display. */
struct sift_progress {
	uint64_t in_bytes; /* of the file as stored (compressed, for
			      gzip), read so far; of a pipe, as inflated */
	uint64_t in_total; /* its size, or 0 when unknown (a pipe) */
	uint64_t bytes;    /* of decompressed input read so far */
	uint64_t records;  /* data records returned or skipped so far */
	unsigned pass;     /* 1, then 2... for an input read again */
};

typedef void (*sift_progress_fn)(void *ctx, const struct sift_progress *p);

/* Call fn(ctx, ...) each time the reader has read more input, about
 * once a MiB (fn may be NULL: no calls). The callback must not use r. */
void sift_reader_set_progress(struct sift_reader *r, sift_progress_fn fn,
			      void *ctx);

/* Data records returned or skipped so far. */
uint64_t sift_reader_count(const struct sift_reader *r);

/* Bytes of (decompressed) input consumed so far. */
uint64_t sift_reader_bytes(const struct sift_reader *r);

#ifdef __cplusplus
}
#endif

#endif
