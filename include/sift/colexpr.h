/*
 * sift/colexpr.h - the column of a command's option: a header name, a
 * 1-based number, or a value expression of sift-rules(5) computed from
 * the record's columns.
 *
 *     --by user                      a column
 *     --by 'yearmonth(created_at)'   the month of a timestamp: 2023-05
 *     --key 'domain(url)'            the host of a URL
 *     --by 'bin(followers, 1000)'    0, 1000, 2000, ...
 *
 * A spec that names a column exactly is that column, whatever it looks
 * like; else a spec with a '(' is a value expression; else it is a
 * column the data lacks, and the error lists the columns. A plain
 * column costs what sift_reader_field costs; a value is computed once
 * per record and call.
 */
#ifndef SIFT_COLEXPR_H
#define SIFT_COLEXPR_H

#include <stddef.h>

#include "sift/error.h"
#include "sift/reader.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sift_colexpr;

/* Resolve spec against r's columns into *out. option names it in
 * messages: the field of an options struct ("by"), which the program's
 * namer puts in its words (see sift_option_word in sift/error.h). Returns 0, or
 * SIFT_EDATA for a column the data lacks (the reader's message, listing the
 * columns), SIFT_EUSAGE for an expression that does not parse (file:line:col
 * "OPTION:1:COL" and a caret), SIFT_ENOMEM. */
int sift_colexpr_open(struct sift_reader *r, const char *spec,
		      const char *option, struct sift_colexpr **out,
		      struct sift_error *err);

/* A comma-separated list of specs ("user,yearmonth(created_at)"):
 * commas inside parentheses, strings and regexes do not separate.
 * *out (n of them) is owned by the caller: sift_colexpr_list_free. */
int sift_colexpr_list(struct sift_reader *r, const char *list,
		      const char *option, struct sift_colexpr ***out, size_t *n,
		      struct sift_error *err);

/* The value of c on rec, the reader's current record, in *s and *len
 * (valid until the next record or the next call for c). A value that
 * cannot be computed on rec is an error (SIFT_EDATA) naming the file,
 * the line, the spec and why: "t.csv:17: yearmonth(created_at): 'soon'
 * is not an ISO 8601 date or time (no four-digit year)". */
int sift_colexpr_get(struct sift_reader *r, const struct sift_record *rec,
		     struct sift_colexpr *c, const char **s, size_t *len,
		     struct sift_error *err);

/* The values of cs[0..n) on rec joined by the ASCII unit separator
 * (0x1f, which no field written by a person holds) into *buf (grown as
 * needed, *cap bytes, owned by the caller); their length in *len. */
int sift_colexpr_join(struct sift_reader *r, const struct sift_record *rec,
		      struct sift_colexpr *const *cs, size_t n, char **buf,
		      size_t *cap, size_t *len, struct sift_error *err);

/* The spec as given. */
const char *sift_colexpr_text(const struct sift_colexpr *c);

/* 1 and its column (0-based) in *col if c is a plain column, else 0. */
int sift_colexpr_column(const struct sift_colexpr *c, size_t *col);

/* sift_reader_field_error for the value s[0..len) of c on the record
 * on line `line`: a plain column named as sift_reader_colref names it, a
 * derived value by its spec ("value 'lower(user)'"). */
int sift_colexpr_error(const struct sift_reader *r, uint64_t line,
		       const struct sift_colexpr *c, const char *what,
		       const char *s, size_t len, const char *why,
		       struct sift_error *err);

/* Free c (may be NULL); a list and its n members. */
void sift_colexpr_free(struct sift_colexpr *c);
void sift_colexpr_list_free(struct sift_colexpr **cs, size_t n);

#ifdef __cplusplus
}
#endif

#endif
