/*
 * sift/dialect.h - the two ways sift reads and writes delimited records.
 *
 * CSV (RFC 4180): a field that holds the delimiter, a quote, CR or LF
 * is quoted whole, its quotes doubled; a quote anywhere else is an
 * error.
 *
 * None, as TSV is written (IANA text/tab-separated-values, Miller,
 * PostgreSQL's COPY text format, tsv-utils): no quoting at all. A field
 * is every byte between two delimiters, a record is a line, and a quote
 * is a byte like any other. A tab, LF, CR or backslash in a value is
 * written as the escape \t, \n, \r or \\ (Miller and PostgreSQL), so
 * that it cannot end a field or a record. The tab-separated format with
 * CSV quoting that some tools write (csvkit's csvformat -T, pandas'
 * to_csv(sep="\t")) is CSV with a tab delimiter, not this.
 */
#ifndef SIFT_DIALECT_H
#define SIFT_DIALECT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum sift_quoting {
	SIFT_QUOTING_CSV = 0, /* RFC 4180 quotes (the default) */
	SIFT_QUOTING_NONE,    /* no quotes; backslash escapes (TSV) */
};

/* Decode the backslash escapes of a value without quoting, s[0..len),
 * into out (room for len bytes; out may not overlap s): \t \n \r \\ as
 * Miller and PostgreSQL write them, and PostgreSQL's \b \f \v, \NNN (1
 * to 3 octal digits) and \xHH (1 or 2 hex digits); a value that is \N
 * alone (PostgreSQL's NULL) is empty. A backslash before anything else,
 * or at the end, is kept with what follows it, as Miller keeps it: data
 * that was never escaped (tsv-utils has no escapes) loses nothing but
 * these sequences. Returns the decoded length, at most len. */
size_t sift_tsv_decode(const char *s, size_t len, char *out);

/* The escape that writes byte c in a value without quoting, delimited
 * by delim, into out: \t \n \r \\ for a tab, LF, CR or backslash, and
 * \xHH for the delimiter where it is not a tab (sift_tsv_decode and
 * PostgreSQL read it back). Returns its length, or 0 for a byte written
 * as it is. */
size_t sift_tsv_escape(unsigned char c, char delim, char out[4]);

/* Whether a CSV field holding s[0..len) must be quoted: it holds the
 * delimiter, a quote, CR or LF. */
int sift_csv_needs_quotes(char delim, const char *s, size_t len);

/* The bytes a value s[0..len) takes once written in quoting q with
 * delimiter delim, as sift_writer_value writes it (quotes and doubled
 * quotes, or escapes): where a record's appended fields start is found
 * from the end by it. */
size_t sift_value_written_len(const char *s, size_t len, char delim,
			      enum sift_quoting q);

#ifdef __cplusplus
}
#endif

#endif
