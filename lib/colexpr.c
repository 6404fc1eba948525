/*
 * lib/colexpr.c - the column of a command's option: a column, or a
 * value expression of sift-rules(5) (see sift/colexpr.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sift/colexpr.h"
#include "sift/mem.h"
#include "sift/rules.h"

struct sift_colexpr {
	char *text;
	size_t col;
	struct sift_value *value; /* NULL for a plain column */
};

static int reader_field(void *ctx, size_t col, const char **s, size_t *len,
			struct sift_error *err)
{
	return sift_reader_field(ctx, col, s, len, err);
}

/* Compile spec as a value over r's columns. */
static int compile(struct sift_reader *r, struct sift_colexpr *c,
		   const char *option, struct sift_error *err)
{
	size_t n = sift_reader_ncols(r);
	const char **names = malloc((n ? n : 1) * sizeof *names);

	if (!names)
		return sift_error_nomem(err);
	for (size_t i = 0; i < n; i++)
		names[i] = sift_reader_colname(r, i);
	c->value = sift_value_compile(c->text, option, names, n, err);
	free(names);
	return c->value ? 0 : err->code;
}

int sift_colexpr_open(struct sift_reader *r, const char *spec,
		      const char *option, struct sift_colexpr **out,
		      struct sift_error *err)
{
	struct sift_colexpr *c = calloc(1, sizeof *c);
	struct sift_error column_err = { 0, "" };
	char word[64];
	int rc;

	*out = NULL;
	if (!c || !(c->text = strdup(spec))) {
		free(c);
		return sift_error_nomem(err);
	}
	rc = sift_reader_column(r, spec, &c->col, &column_err);
	if (rc && strchr(spec, '(') && sift_reader_ncols(r) > 0)
		rc = compile(r, c, sift_option_word(option, word, sizeof word),
			     err);
	else if (rc && err)
		*err = column_err;
	if (rc) {
		sift_colexpr_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

/* The end of the spec starting at s: the first comma outside
 * parentheses, strings and regexes (a '/' after '(' or ',' opens one),
 * or the end of s. */
static const char *spec_end(const char *s)
{
	int depth = 0, after_open = 0;

	for (; *s; s++) {
		char q = *s;

		if (q == ',' && depth == 0)
			break;
		if (q == '"' || q == '`' || (q == '/' && after_open)) {
			for (s++; *s && *s != q; s++)
				if (*s == '\\' && s[1])
					s++;
			if (!*s)
				break;
			after_open = 0;
			continue;
		}
		if (q == '(')
			depth++;
		else if (q == ')' && depth > 0)
			depth--;
		if (q == '(' || (q == ',' && depth > 0))
			after_open = 1;
		else if (q != ' ' && q != '\t')
			after_open = 0;
	}
	return s;
}

int sift_colexpr_list(struct sift_reader *r, const char *list,
		      const char *option, struct sift_colexpr ***out, size_t *n,
		      struct sift_error *err)
{
	struct sift_colexpr **cs = NULL;
	size_t k = 0;
	int rc = 0;

	*out = NULL;
	*n = 0;
	for (const char *s = list;; s++) {
		const char *e = spec_end(s);
		char *spec = strndup(s, (size_t)(e - s));

		if (!spec || sift_resize(&cs, k + 1, sizeof *cs)) {
			free(spec);
			rc = sift_error_nomem(err);
			break;
		}
		rc = sift_colexpr_open(r, spec, option, &cs[k], err);
		free(spec);
		if (rc)
			break;
		k++;
		if (!*e)
			break;
		s = e;
	}
	if (rc) {
		sift_colexpr_list_free(cs, k);
		return rc;
	}
	*out = cs;
	*n = k;
	return 0;
}

int sift_colexpr_get(struct sift_reader *r, const struct sift_record *rec,
		     struct sift_colexpr *c, const char **s, size_t *len,
		     struct sift_error *err)
{
	const char *missing;
	int rc;

	if (!c->value)
		return sift_reader_field(r, c->col, s, len, err);
	rc = sift_value_eval(c->value, reader_field, r, s, len, &missing, err);
	if (!rc && missing)
		rc = sift_error_set(
			err, SIFT_EDATA, "%s:%llu: %s: %s", sift_reader_name(r),
			(unsigned long long)rec->line, c->text, missing);
	return rc;
}

int sift_colexpr_join(struct sift_reader *r, const struct sift_record *rec,
		      struct sift_colexpr *const *cs, size_t n, char **buf,
		      size_t *cap, size_t *len, struct sift_error *err)
{
	size_t used = 0;

	for (size_t i = 0; i < n; i++) {
		const char *f;
		size_t flen;
		int rc = sift_colexpr_get(r, rec, cs[i], &f, &flen, err);

		if (rc)
			return rc;
		if (sift_grow(buf, cap, used + flen + 2, 1, 64))
			return sift_error_nomem(err);
		if (i)
			(*buf)[used++] = '\x1f';
		memcpy(*buf + used, f, flen);
		used += flen;
	}
	*len = used;
	return 0;
}

const char *sift_colexpr_text(const struct sift_colexpr *c)
{
	return c->text;
}

int sift_colexpr_column(const struct sift_colexpr *c, size_t *col)
{
	if (c->value)
		return 0;
	*col = c->col;
	return 1;
}

int sift_colexpr_error(const struct sift_reader *r, uint64_t line,
		       const struct sift_colexpr *c, const char *what,
		       const char *s, size_t len, const char *why,
		       struct sift_error *err)
{
	char where[96];

	if (!c->value)
		return sift_reader_column_error(r, line, c->col, what, s, len,
						why, err);
	snprintf(where, sizeof where, "value '%.64s'", c->text);
	return sift_reader_field_error(r, line, where, what, s, len, why, err);
}

void sift_colexpr_free(struct sift_colexpr *c)
{
	if (!c)
		return;
	sift_value_free(c->value);
	free(c->text);
	free(c);
}

void sift_colexpr_list_free(struct sift_colexpr **cs, size_t n)
{
	for (size_t i = 0; cs && i < n; i++)
		sift_colexpr_free(cs[i]);
	free(cs);
}
