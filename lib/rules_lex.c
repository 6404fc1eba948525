/*
 * lib/rules_lex.c - the tokens of the condition language and the caret
 * errors every stage of it reports (see lib/rules_impl.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_impl.h"

int rules_caret_error(struct sift_error *err, int code, const struct origin *o,
		      size_t at, const char *fmt, ...)
{
	char msg[512], pad[160];
	size_t from = at > 100 ? at - 100 : 0, show, np = 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	show = o->len - from < 200 ? o->len - from : 200;
	for (size_t i = from; i < at && i < o->len && np < sizeof pad - 1; i++)
		if (((unsigned char)o->text[i] & 0xC0) != 0x80)
			pad[np++] = o->text[i] == '\t' ? '\t' : ' ';
	pad[np] = '\0';
	return sift_error_set(err, code, "%s:%u:%zu: %s\n    %s%.*s\n    %s%s^",
			      o->path, o->line, at + 1, msg, from ? "..." : "",
			      (int)show, o->text + from, from ? "   " : "",
			      pad);
}

int rules_perr(struct parser *p, size_t at, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return rules_caret_error(p->err, SIFT_EUSAGE, p->org, at, "%s", msg);
}

void rules_parser_init(struct parser *p, const struct origin *o,
		       const char *dir, struct sift_error *err)
{
	memset(p, 0, sizeof *p);
	p->org = o;
	p->s = o->text;
	p->len = o->len;
	p->dir = dir;
	p->err = err;
}

static int is_word_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_word_char(char c)
{
	return is_word_start(c) || (c >= '0' && c <= '9') || c == '.';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

void rules_skip_blanks(struct parser *p)
{
	while (p->pos < p->len &&
	       (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
		p->s[p->pos] == '\r'))
		p->pos++;
	if (p->pos < p->len && p->s[p->pos] == '#')
		p->pos = p->len;
}

/* A quoted string or `column`: q is the quote; \q and \\ are escapes. */
static int lex_quoted(struct parser *p, char q)
{
	size_t i = p->pos + 1;
	char *v = malloc(p->len - p->pos + 1);

	if (!v)
		return sift_error_nomem(p->err);
	free(p->val);
	p->val = v;
	p->vlen = 0;
	for (; i < p->len && p->s[i] != q; i++) {
		if (p->s[i] == '\\' && i + 1 < p->len &&
		    (p->s[i + 1] == q || p->s[i + 1] == '\\'))
			i++;
		v[p->vlen++] = p->s[i];
	}
	v[p->vlen] = '\0';
	if (i >= p->len)
		return rules_perr(p, p->pos, "unterminated %s",
				  q == '"' ? "string" : "`column`");
	p->end = i + 1;
	return 0;
}

static size_t lex_number(const char *s, size_t len, size_t i)
{
	if (i < len && s[i] == '-')
		i++;
	while (i < len && is_digit(s[i]))
		i++;
	if (i < len && s[i] == '.')
		for (i++; i < len && is_digit(s[i]); i++)
			;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		size_t j = i + 1;

		if (j < len && (s[j] == '+' || s[j] == '-'))
			j++;
		if (j < len && is_digit(s[j]))
			for (i = j; i < len && is_digit(s[i]); i++)
				;
	}
	return i;
}

static enum tok punct(const char *s, size_t n, size_t *w)
{
	static const struct {
		const char *t;
		enum tok tok;
	} ops[] = {
		{ "->", T_ARROW }, { "!~", T_NMATCH }, { "==", T_EQ },
		{ "!=", T_NE },    { "<=", T_LE },     { ">=", T_GE },
		{ "~", T_MATCH },  { "=", T_EQ },      { "<", T_LT },
		{ ">", T_GT },     { ":", T_COLON },   { ",", T_COMMA },
		{ "(", T_LP },     { ")", T_RP },
	};
	for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
		size_t k = strlen(ops[i].t);

		if (k <= n && memcmp(s, ops[i].t, k) == 0) {
			*w = k;
			return ops[i].tok;
		}
	}
	*w = 1;
	return T_BAD;
}

int rules_next(struct parser *p)
{
	const char *s = p->s;
	size_t i, w;

	rules_skip_blanks(p);
	p->at = p->pos;
	if (p->pos >= p->len) {
		p->tok = T_EOL;
		p->end = p->pos;
		return 0;
	}
	i = p->pos;
	if (s[i] == '"' || s[i] == '`') {
		int rc = lex_quoted(p, s[i]);

		if (rc)
			return rc;
		p->tok = s[i] == '"' ? T_STR : T_BQ;
	} else if (is_digit(s[i]) || ((s[i] == '-' || s[i] == '.') &&
				      i + 1 < p->len && is_digit(s[i + 1]))) {
		p->end = lex_number(s, p->len, i);
		p->tok = T_NUM;
	} else if (is_word_start(s[i])) {
		for (i++; i < p->len; i++)
			if (!is_word_char(s[i]) &&
			    !(s[i] == '-' && i + 1 < p->len && s[i + 1] != '>'))
				break;
		p->end = i;
		p->tok = T_WORD;
	} else {
		p->tok = punct(s + i, p->len - i, &w);
		p->end = i + w;
		if (p->tok == T_BAD)
			return rules_perr(p, i, "unexpected character '%c'",
					  s[i]);
	}
	p->pos = p->end;
	return 0;
}

int rules_is_kw(const struct parser *p, const char *kw)
{
	size_t n = strlen(kw);

	return p->tok == T_WORD && p->end - p->at == n &&
	       memcmp(p->s + p->at, kw, n) == 0;
}

int rules_is_keyword(const struct parser *p)
{
	return rules_is_kw(p, "and") || rules_is_kw(p, "or") ||
	       rules_is_kw(p, "not") || rules_is_kw(p, "in") ||
	       rules_is_kw(p, "weight");
}

/* The current token as text, for messages. */
static const char *tok_text(const struct parser *p, char *buf, size_t n)
{
	size_t k = p->end - p->at;

	if (p->tok == T_EOL)
		return "the end of the line";
	if (k > 40)
		k = 40;
	snprintf(buf, n, "'%.*s'", (int)k, p->s + p->at);
	return buf;
}

int rules_expected(struct parser *p, const char *what)
{
	char buf[64];

	return rules_perr(p, p->at, "expected %s, found %s", what,
			  tok_text(p, buf, sizeof buf));
}

char *rules_tok_value(struct parser *p, size_t *len)
{
	char *d;

	if (p->tok == T_STR || p->tok == T_BQ) {
		d = sift_memdup_nul(p->val, p->vlen);
		*len = p->vlen;
	} else {
		d = sift_memdup_nul(p->s + p->at, p->end - p->at);
		*len = p->end - p->at;
	}
	if (!d)
		sift_error_nomem(p->err);
	return d;
}
