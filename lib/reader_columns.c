/*
 * lib/reader_columns.c - finding columns by header name or 1-based number, with
 * messages that list what is there (see sift/reader.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sift/nearest.h"
#include "sift/reader.h"

/* "id, created_at, user, ..." for messages; at most ~600 bytes. */
static void list_columns(const struct sift_reader *r, char *out, size_t size)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < sift_reader_ncols(r) && used + 8 < size; i++) {
		int n = snprintf(out + used, size - used, "%s%s", i ? ", " : "",
				 sift_reader_colname(r, i));
		if (n < 0 || (size_t)n >= size - used) {
			snprintf(out + (size > 4 ? size - 4 : 0),
				 size > 4 ? 4 : size, "...");
			return;
		}
		used += (size_t)n;
	}
}

const char *sift_reader_colref(const struct sift_reader *r, size_t i, char *buf,
			       size_t size)
{
	if (sift_reader_header(r))
		snprintf(buf, size, "column '%.64s' (%zu)",
			 sift_reader_colname(r, i), i + 1);
	else
		snprintf(buf, size, "column %zu", i + 1);
	return buf;
}

int sift_reader_field_error(const struct sift_reader *r, uint64_t line,
			    const char *where, const char *what, const char *s,
			    size_t len, const char *why, struct sift_error *err)
{
	return sift_error_set(err, SIFT_EDATA, "%s:%llu: %s: %s%s'%.*s' %s",
			      sift_reader_name(r), (unsigned long long)line,
			      where, what ? what : "", what ? " " : "",
			      (int)(len > 40 ? 40 : len), s, why);
}

int sift_reader_column_error(const struct sift_reader *r, uint64_t line,
			     size_t col, const char *what, const char *s,
			     size_t len, const char *why,
			     struct sift_error *err)
{
	char where[96];

	return sift_reader_field_error(
		r, line, sift_reader_colref(r, col, where, sizeof where), what,
		s, len, why, err);
}

/* A header read as one column that holds another delimiter: the input
 * is likely tab- or semicolon-separated, read with the wrong delimiter.
 * Fills the hint ("try `tsv`", "try `delimiter` ';'") and the delimiter's name,
 * or returns 0. */
static int other_delimiter(const struct sift_reader *r, const char **opt,
			   const char **what)
{
	static const struct {
		char delim;
		const char *opt, *what;
	} others[] = {
		{ '\t', "try `tsv`", "tabs" },
		{ ';', "try `delimiter` ';'", "';'" },
		{ '|', "try `delimiter` '|'", "'|'" },
		{ ',', "commas are the default: drop `tsv` or `delimiter`",
		  "commas" },
	};
	const char *name;

	if (sift_reader_ncols(r) != 1 || !sift_reader_header(r))
		return 0;
	name = sift_reader_colname(r, 0);
	for (size_t i = 0; i < sizeof others / sizeof *others; i++)
		if (others[i].delim != sift_reader_delim(r) &&
		    strchr(name, others[i].delim)) {
			*opt = others[i].opt;
			*what = others[i].what;
			return 1;
		}
	return 0;
}

/* The header's one column for a message: at most 40 bytes, a tab as
 * \t. */
static void show_name(const char *name, char *out, size_t size)
{
	size_t used = 0;

	for (; *name && used + 3 < size && used < 40; name++) {
		if (*name == '\t') {
			out[used++] = '\\';
			out[used++] = 't';
		} else {
			out[used++] = *name;
		}
	}
	out[used] = '\0';
	if (*name && size > 4)
		snprintf(out + used, size - used, "...");
}

/* " (did you mean 'text'?)" for the column nearest spec, or "". */
static void suggest_column(const struct sift_reader *r, const char *spec,
			   char *out, size_t size)
{
	size_t n = sift_reader_ncols(r);
	const char **names = malloc((n ? n : 1) * sizeof *names);
	long near;

	out[0] = '\0';
	if (!names)
		return;
	for (size_t i = 0; i < n; i++)
		names[i] = sift_reader_colname(r, i);
	near = sift_nearest(spec, names, n);
	if (near >= 0)
		snprintf(out, size, " (did you mean '%s'?)", names[near]);
	free(names);
}

static int parse_colnum(const char *spec, size_t *num)
{
	size_t n = 0;

	if (!*spec)
		return 0;
	for (const char *p = spec; *p; p++) {
		if (*p < '0' || *p > '9' || n > SIZE_MAX / 10 - 10)
			return 0;
		n = n * 10 + (size_t)(*p - '0');
	}
	*num = n;
	return 1;
}

int sift_reader_column(struct sift_reader *r, const char *spec, size_t *col,
		       struct sift_error *err)
{
	char avail[640], near[128], shown[64];
	size_t found = SIZE_MAX, num;
	const char *opt, *what;

	for (size_t i = 0; sift_reader_header(r) && i < sift_reader_ncols(r);
	     i++) {
		if (strcmp(sift_reader_colname(r, i), spec) != 0)
			continue;
		if (found != SIZE_MAX)
			return sift_error_set(err, SIFT_EDATA,
					      "%s: column '%s' is ambiguous: "
					      "columns %zu and %zu are both "
					      "named so (use a number)",
					      sift_reader_name(r), spec,
					      found + 1, i + 1);
		found = i;
	}
	if (found != SIZE_MAX) {
		*col = found;
		return 0;
	}
	if (parse_colnum(spec, &num) && num >= 1 &&
	    num <= sift_reader_ncols(r)) {
		*col = num - 1;
		return 0;
	}
	if (sift_reader_ncols(r) == 0)
		return sift_error_set(err, SIFT_EDATA,
				      "%s: no column '%s': the input is empty",
				      sift_reader_name(r), spec);
	if (!sift_reader_header(r))
		return sift_error_set(err, SIFT_EDATA,
				      "%s: no column '%s' (without a header, "
				      "columns are numbers 1 to %zu)",
				      sift_reader_name(r), spec,
				      sift_reader_ncols(r));
	if (other_delimiter(r, &opt, &what)) {
		char hint[128];

		show_name(sift_reader_colname(r, 0), shown, sizeof shown);
		return sift_error_set(err, SIFT_EDATA,
				      "%s: no column '%s': the header is one "
				      "column, '%s', that holds %s: is that "
				      "the delimiter? (%s)",
				      sift_reader_name(r), spec, shown, what,
				      sift_option_text(opt, hint, sizeof hint));
	}
	list_columns(r, avail, sizeof avail);
	suggest_column(r, spec, near, sizeof near);
	return sift_error_set(err, SIFT_EDATA,
			      "%s: no column '%s'%s; the columns are: %s",
			      sift_reader_name(r), spec, near, avail);
}

int sift_reader_columns(struct sift_reader *r, const char *list, size_t **cols,
			size_t *ncols, struct sift_error *err)
{
	char *copy = strdup(list);
	size_t n = 1, k = 0;
	int rc = 0;

	*cols = NULL;
	*ncols = 0;
	if (!copy)
		return sift_error_nomem(err);
	for (const char *p = list; *p; p++)
		n += *p == ',';
	*cols = malloc(n * sizeof **cols);
	if (!*cols) {
		free(copy);
		return sift_error_nomem(err);
	}
	for (char *tok = copy, *next; tok; tok = next) {
		next = strchr(tok, ',');
		if (next)
			*next++ = '\0';
		rc = sift_reader_column(r, tok, &(*cols)[k], err);
		if (rc)
			break;
		k++;
	}
	free(copy);
	if (rc) {
		free(*cols);
		*cols = NULL;
		return rc;
	}
	*ncols = k;
	return 0;
}
