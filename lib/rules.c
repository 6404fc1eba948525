/*
 * lib/rules.c - the rules language of sift label: lexer, parser,
 * column binding and the condition evaluator (see sift/rules.h and
 * sift-rules(5)).
 *
 * The language is line-oriented, so the parser takes a file one line at
 * a time; a line is lexed on demand by a recursive-descent parser whose
 * grammar is
 *
 *     line   := blank | directive | rule
 *     rule   := NAME ':' or '->' LABEL [ 'weight' NUMBER ]
 *     or     := and { 'or' and }
 *     and    := unary { 'and' unary }
 *     unary  := 'not' unary | '(' or ')' | COLUMN test
 *     test   := ('~' | '!~') (REGEX | '@' FILE)
 *             | ('=' | '==' | '!=') (STRING | WORD | NUMBER)
 *             | ('<' | '<=' | '>' | '>=') NUMBER
 *             | ['not'] 'in' '(' ITEM { ',' ITEM } ')'
 *
 * Regexes are compiled by PCRE2 with UTF and MATCH_INVALID_UTF (data
 * that is not valid UTF-8 is matched, never rejected), JIT-compiled, and
 * run under a match context with match and depth limits and a JIT stack
 * of bounded size, so that backtracking cannot run away.
 *
 * Why one file of more than a thousand lines: the lexer, the parser, the
 * binder and the evaluator share the node type and the caret-error
 * helper, which the public header keeps opaque; split, they would need a
 * private header exposing both, for no reader's benefit.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <errno.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sift/parse.h"
#include "sift/phrases.h"
#include "sift/rules.h"

enum kind { K_AND, K_OR, K_NOT, K_REGEX, K_PHRASES, K_STREQ, K_NUMCMP,
	    K_IN };
enum cmp { C_EQ, C_NE, C_LT, C_LE, C_GT, C_GE };

/* Where a node came from, for binding errors. */
struct origin {
	char *path;
	char *text; /* the whole line (owned by the rule or cond) */
	size_t len;
	unsigned line;
};

struct node {
	enum kind kind;
	struct node *a, *b;
	/* leaves: the column, its name and where it was written */
	char *colname;
	size_t col, at;
	const struct origin *org;
	int negate; /* !~, !=, not in */
	enum cmp cmp;
	pcre2_code *re;
	struct sift_phrases *ph;
	char *str;
	size_t slen;
	double num;
	char **items;
	size_t *ilens, nitems;
};

/* The match resources every regex of one rules set or condition shares. */
struct engine {
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;
	pcre2_match_data *md;
};

struct label {
	char *name, *value;
};

struct rule {
	char *name;
	struct node *cond;
	struct origin *org; /* on the heap: nodes point to it */
	int label;
	double weight;
	uint64_t limit_hits;
};

struct sift_rules {
	char *path, *dir;
	struct rule *rules;
	size_t n, cap;
	struct label *labels;
	size_t nlabels;
	int declared;
	struct engine eng;
};

struct sift_cond {
	struct node *root;
	struct origin org;
	struct engine eng;
};

/* ---- tokens ---------------------------------------------------------- */

enum tok { T_EOL, T_WORD, T_NUM, T_STR, T_BQ, T_COLON, T_COMMA, T_LP, T_RP,
	   T_ARROW, T_MATCH, T_NMATCH, T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE,
	   T_BAD };

struct parser {
	const struct origin *org;
	const char *s; /* the line */
	size_t len, pos;
	const char *dir; /* for phrase files */
	struct sift_error *err;
	/* the current token */
	enum tok tok;
	size_t at, end;   /* its bytes s[at..end) */
	char *val;        /* STR and BQ: the unescaped text */
	size_t vlen;
};

/* "PATH:LINE:COL: message", then the line and a caret under byte at. */
static int caret_error(struct sift_error *err, int code,
		       const struct origin *o, size_t at, const char *fmt, ...)
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
			      o->path, o->line, at + 1, msg,
			      from ? "..." : "", (int)show, o->text + from,
			      from ? "   " : "", pad);
}

static int perr(struct parser *p, size_t at, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return caret_error(p->err, SIFT_EUSAGE, p->org, at, "%s", msg);
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

static void skip_blanks(struct parser *p)
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
		return perr(p, p->pos, "unterminated %s",
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
	static const struct { const char *t; enum tok tok; } ops[] = {
		{"->", T_ARROW}, {"!~", T_NMATCH}, {"==", T_EQ}, {"!=", T_NE},
		{"<=", T_LE}, {">=", T_GE}, {"~", T_MATCH}, {"=", T_EQ},
		{"<", T_LT}, {">", T_GT}, {":", T_COLON}, {",", T_COMMA},
		{"(", T_LP}, {")", T_RP},
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

/* The next token; the position moves past it. */
static int next(struct parser *p)
{
	const char *s = p->s;
	size_t i, w;

	skip_blanks(p);
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
			return perr(p, i, "unexpected character '%c'", s[i]);
	}
	p->pos = p->end;
	return 0;
}

static int is_kw(const struct parser *p, const char *kw)
{
	size_t n = strlen(kw);

	return p->tok == T_WORD && p->end - p->at == n &&
	       memcmp(p->s + p->at, kw, n) == 0;
}

static int is_keyword(const struct parser *p)
{
	return is_kw(p, "and") || is_kw(p, "or") || is_kw(p, "not") ||
	       is_kw(p, "in") || is_kw(p, "weight");
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

static int expected(struct parser *p, const char *what)
{
	char buf[64];

	return perr(p, p->at, "expected %s, found %s", what,
		    tok_text(p, buf, sizeof buf));
}

static char *dup_range(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* The current WORD/NUM/STR/BQ token's text, malloc'ed. */
static char *tok_value(struct parser *p, size_t *len)
{
	char *d;

	if (p->tok == T_STR || p->tok == T_BQ) {
		d = dup_range(p->val, p->vlen);
		*len = p->vlen;
	} else {
		d = dup_range(p->s + p->at, p->end - p->at);
		*len = p->end - p->at;
	}
	if (!d)
		sift_error_nomem(p->err);
	return d;
}

/* ---- nodes ----------------------------------------------------------- */

static void node_free(struct node *n)
{
	if (!n)
		return;
	node_free(n->a);
	node_free(n->b);
	free(n->colname);
	if (n->re)
		pcre2_code_free(n->re);
	sift_phrases_free(n->ph);
	free(n->str);
	for (size_t i = 0; i < n->nitems; i++)
		free(n->items[i]);
	free(n->items);
	free(n->ilens);
	free(n);
}

static struct node *node_new(struct parser *p, enum kind k)
{
	struct node *n = calloc(1, sizeof *n);

	if (!n)
		sift_error_nomem(p->err);
	else
		n->kind = k;
	return n;
}

/* ---- patterns: /regex/flags and @file ------------------------------- */

static int regex_flags(struct parser *p, size_t i, uint32_t *opts)
{
	for (; i < p->len && is_word_char(p->s[i]); i++) {
		switch (p->s[i]) {
		case 'i': *opts |= PCRE2_CASELESS; break;
		case 'm': *opts |= PCRE2_MULTILINE; break;
		case 's': *opts |= PCRE2_DOTALL; break;
		case 'x': *opts |= PCRE2_EXTENDED; break;
		case 'u': *opts |= PCRE2_UCP; break;
		default:
			return perr(p, i, "unknown regex flag '%c' (flags: "
					  "i, m, s, x, u)", p->s[i]);
		}
	}
	p->pos = i;
	return 0;
}

static int compile_regex(struct parser *p, struct node *n)
{
	size_t start = p->pos + 1, i = start, erroff;
	uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
	int errcode, rc;

	while (i < p->len && p->s[i] != '/')
		i += p->s[i] == '\\' && i + 1 < p->len ? 2 : 1;
	if (i >= p->len)
		return perr(p, p->pos, "unterminated regex (a '/' is missing)");
	rc = regex_flags(p, i + 1, &opts);
	if (rc)
		return rc;
	n->re = pcre2_compile((PCRE2_SPTR)(p->s + start), i - start, opts,
			      &errcode, &erroff, NULL);
	if (!n->re) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(errcode, msg, sizeof msg);
		return perr(p, start + erroff, "invalid regex: %s (at offset "
					       "%zu)", (char *)msg, erroff);
	}
	/* JIT is an optimisation: where it is unavailable the interpreter
	 * runs under the same limits. */
	pcre2_jit_compile(n->re, PCRE2_JIT_COMPLETE);
	n->kind = K_REGEX;
	return 0;
}

static int load_phrases(struct parser *p, struct node *n)
{
	size_t at = p->pos, a = p->pos + 1, b;
	char path[4096], *name;
	struct sift_error e = {0, ""};

	if (a < p->len && p->s[a] == '"') {
		p->pos = a;
		int rc = lex_quoted(p, '"');

		if (rc)
			return rc;
		name = dup_range(p->val, p->vlen);
		p->pos = p->end;
	} else {
		for (b = a; b < p->len && p->s[b] != ' ' && p->s[b] != '\t' &&
			    p->s[b] != ')' && p->s[b] != '\r'; b++)
			;
		if (b == a)
			return perr(p, at, "expected a file name after '@'");
		name = dup_range(p->s + a, b - a);
		p->pos = b;
	}
	if (!name)
		return sift_error_nomem(p->err);
	if (name[0] == '/' || !p->dir)
		snprintf(path, sizeof path, "%s", name);
	else
		snprintf(path, sizeof path, "%s/%s", p->dir, name);
	free(name);
	n->ph = sift_phrases_load(path, &e);
	if (!n->ph)
		return caret_error(p->err, e.code == SIFT_ENOMEM ? e.code
								 : SIFT_EUSAGE,
				   p->org, at, "%s", e.msg);
	n->kind = K_PHRASES;
	return 0;
}

static int parse_pattern(struct parser *p, struct node *n)
{
	skip_blanks(p);
	if (p->pos < p->len && p->s[p->pos] == '/')
		return compile_regex(p, n);
	if (p->pos < p->len && p->s[p->pos] == '@')
		return load_phrases(p, n);
	p->at = p->pos;
	p->end = p->pos + (p->pos < p->len);
	p->tok = p->pos < p->len ? T_BAD : T_EOL;
	return expected(p, "a /regex/ or @file");
}

/* ---- conditions ------------------------------------------------------ */

static int parse_or(struct parser *p, struct node **out);

static int parse_number(struct parser *p, double *x)
{
	if (p->tok != T_NUM ||
	    sift_parse_double(p->s + p->at, p->end - p->at, x) != 0)
		return expected(p, "a number");
	return 0;
}

static int parse_list(struct parser *p, struct node *n)
{
	int rc = next(p);

	if (rc)
		return rc;
	if (p->tok != T_LP)
		return expected(p, "'(' and a list");
	do {
		if ((rc = next(p)) != 0)
			return rc;
		if (p->tok != T_STR && p->tok != T_WORD && p->tok != T_NUM)
			return expected(p, "a string, word or number");
		char **it = realloc(n->items, (n->nitems + 1) * sizeof *it);
		size_t *il = it ? realloc(n->ilens,
					  (n->nitems + 1) * sizeof *il)
				: NULL;

		if (it)
			n->items = it;
		if (!it || !il)
			return sift_error_nomem(p->err);
		n->ilens = il;
		n->items[n->nitems] = tok_value(p, &n->ilens[n->nitems]);
		if (!n->items[n->nitems])
			return p->err->code;
		n->nitems++;
		if ((rc = next(p)) != 0)
			return rc;
	} while (p->tok == T_COMMA);
	if (p->tok != T_RP)
		return expected(p, "',' or ')'");
	n->kind = K_IN;
	return next(p);
}

static int parse_test(struct parser *p, struct node *n)
{
	enum tok op = p->tok;
	int rc;

	if (op == T_MATCH || op == T_NMATCH) {
		n->negate = op == T_NMATCH;
		rc = parse_pattern(p, n);
		return rc ? rc : next(p);
	}
	if (is_kw(p, "in") || is_kw(p, "not")) {
		if (is_kw(p, "not")) {
			n->negate = 1;
			if ((rc = next(p)) != 0)
				return rc;
			if (!is_kw(p, "in"))
				return expected(p, "'in' after 'not'");
		}
		return parse_list(p, n);
	}
	if (op < T_EQ || op > T_GE)
		return expected(p, "an operator (~ !~ = != < <= > >= in)");
	if ((rc = next(p)) != 0)
		return rc;
	n->cmp = (enum cmp)(C_EQ + (op - T_EQ));
	if (op <= T_NE && (p->tok == T_STR || p->tok == T_WORD)) {
		n->kind = K_STREQ;
		n->negate = op == T_NE;
		n->str = tok_value(p, &n->slen);
		return n->str ? next(p) : p->err->code;
	}
	if (op <= T_NE && p->tok != T_NUM)
		return expected(p, "a string, word or number");
	n->kind = K_NUMCMP;
	rc = parse_number(p, &n->num);
	return rc ? rc : next(p);
}

static int parse_leaf(struct parser *p, struct node **out)
{
	struct node *n;
	int rc;

	if ((p->tok != T_WORD && p->tok != T_NUM && p->tok != T_BQ) ||
	    is_keyword(p))
		return expected(p, "a column name");
	n = node_new(p, K_STREQ);
	if (!n)
		return SIFT_ENOMEM;
	*out = n;
	n->at = p->at;
	n->org = p->org;
	n->colname = tok_value(p, &n->slen);
	n->slen = 0;
	if (!n->colname)
		return p->err->code;
	if ((rc = next(p)) != 0)
		return rc;
	return parse_test(p, n);
}

static int parse_unary(struct parser *p, struct node **out)
{
	int rc;

	if (is_kw(p, "not")) {
		struct node *n = node_new(p, K_NOT);

		if (!n)
			return SIFT_ENOMEM;
		*out = n;
		if ((rc = next(p)) != 0)
			return rc;
		return parse_unary(p, &n->a);
	}
	if (p->tok == T_LP) {
		size_t open = p->at;

		if ((rc = next(p)) != 0)
			return rc;
		if ((rc = parse_or(p, out)) != 0)
			return rc;
		if (p->tok != T_RP)
			return p->tok == T_EOL
				       ? perr(p, open, "unclosed '('")
				       : expected(p, "')'");
		return next(p);
	}
	return parse_leaf(p, out);
}

/* A left-associative chain of `sub (kw sub)*`. */
static int parse_chain(struct parser *p, struct node **out, const char *kw,
		       enum kind k, int (*sub)(struct parser *, struct node **))
{
	int rc = sub(p, out);

	while (!rc && is_kw(p, kw)) {
		struct node *n = node_new(p, k);

		if (!n)
			return SIFT_ENOMEM;
		n->a = *out;
		*out = n;
		if ((rc = next(p)) != 0)
			return rc;
		rc = sub(p, &n->b);
	}
	return rc;
}

static int parse_and(struct parser *p, struct node **out)
{
	return parse_chain(p, out, "and", K_AND, parse_unary);
}

static int parse_or(struct parser *p, struct node **out)
{
	return parse_chain(p, out, "or", K_OR, parse_and);
}

/* ---- binding --------------------------------------------------------- */

static int find_column(const char *name, const char *const *cols, size_t n,
		       size_t *col)
{
	uint64_t k;

	for (size_t i = 0; i < n; i++)
		if (strcmp(cols[i], name) == 0) {
			*col = i;
			return 0;
		}
	if (sift_parse_u64(name, &k) == 0 && k >= 1 && k <= n) {
		*col = (size_t)(k - 1);
		return 0;
	}
	return -1;
}

static int bind_node(struct node *n, const char *const *cols, size_t ncols,
		     struct sift_error *err)
{
	char list[400];
	size_t used = 0;
	int rc;

	if (!n)
		return 0;
	if ((rc = bind_node(n->a, cols, ncols, err)) != 0 ||
	    (rc = bind_node(n->b, cols, ncols, err)) != 0)
		return rc;
	if (!n->colname || find_column(n->colname, cols, ncols, &n->col) == 0)
		return 0;
	list[0] = '\0';
	for (size_t i = 0; i < ncols && used < sizeof list - 8; i++) {
		int w = snprintf(list + used, sizeof list - used, "%s%s",
				 i ? ", " : "", cols[i]);

		used += w > 0 ? (size_t)w : 0;
	}
	if (used >= sizeof list - 8)
		snprintf(list + sizeof list - 8, 8, ", ...");
	return caret_error(err, SIFT_EDATA, n->org, n->at,
			   "no column '%s' in the data (columns: %s)",
			   n->colname, ncols ? list : "none");
}

/* ---- evaluation ------------------------------------------------------ */

struct eval {
	struct engine *eng;
	sift_field_fn get;
	void *ctx;
	struct sift_error *err;
	int limited;
};

static int match_regex(struct eval *x, const struct node *n, const char *s,
		       size_t len)
{
	int rc = pcre2_match(n->re, (PCRE2_SPTR)(s ? s : ""), len, 0, 0,
			     x->eng->md, x->eng->mctx);

	if (rc >= 0)
		return 1;
	if (rc != PCRE2_ERROR_NOMATCH)
		x->limited = 1; /* a limit (or any other failure): abstain */
	return 0;
}

static int leaf_value(struct eval *x, const struct node *n, const char *s,
		      size_t len)
{
	double v;

	switch (n->kind) {
	case K_REGEX:
		return match_regex(x, n, s, len);
	case K_PHRASES:
		return sift_phrases_match(n->ph, s, len);
	case K_STREQ:
		return len == n->slen && memcmp(s, n->str, len) == 0;
	case K_IN:
		for (size_t i = 0; i < n->nitems; i++)
			if (len == n->ilens[i] && memcmp(s, n->items[i], len) == 0)
				return 1;
		return 0;
	case K_NUMCMP:
		if (sift_parse_double(s, len, &v) != 0)
			return n->cmp == C_NE;
		switch (n->cmp) {
		case C_EQ: return v == n->num;
		case C_NE: return v != n->num;
		case C_LT: return v < n->num;
		case C_LE: return v <= n->num;
		case C_GT: return v > n->num;
		case C_GE: return v >= n->num;
		}
		return 0;
	default:
		return 0;
	}
}

static int eval_node(struct eval *x, const struct node *n, int *res)
{
	const char *s;
	size_t len;
	int rc;

	switch (n->kind) {
	case K_AND:
	case K_OR:
		if ((rc = eval_node(x, n->a, res)) != 0)
			return rc;
		if (*res == (n->kind == K_OR))
			return 0;
		return eval_node(x, n->b, res);
	case K_NOT:
		rc = eval_node(x, n->a, res);
		*res = !*res;
		return rc;
	default:
		if ((rc = x->get(x->ctx, n->col, &s, &len, x->err)) != 0)
			return rc;
		*res = leaf_value(x, n, s, len);
		if (n->negate && n->kind != K_NUMCMP)
			*res = !*res;
		return 0;
	}
}

static int engine_init(struct engine *e)
{
	e->mctx = pcre2_match_context_create(NULL);
	e->jit = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
	e->md = pcre2_match_data_create(1, NULL);
	if (!e->mctx || !e->jit || !e->md)
		return -1;
	pcre2_set_match_limit(e->mctx, SIFT_RULES_MATCH_LIMIT);
	pcre2_set_depth_limit(e->mctx, SIFT_RULES_DEPTH_LIMIT);
	pcre2_jit_stack_assign(e->mctx, NULL, e->jit);
	return 0;
}

static void engine_free(struct engine *e)
{
	if (e->md)
		pcre2_match_data_free(e->md);
	if (e->jit)
		pcre2_jit_stack_free(e->jit);
	if (e->mctx)
		pcre2_match_context_free(e->mctx);
}

/* ---- a single condition ---------------------------------------------- */

static void parser_init(struct parser *p, const struct origin *o,
			const char *dir, struct sift_error *err)
{
	memset(p, 0, sizeof *p);
	p->org = o;
	p->s = o->text;
	p->len = o->len;
	p->dir = dir;
	p->err = err;
}

struct sift_cond *sift_cond_compile(const char *text, const char *origin,
				    const char *const *colnames, size_t ncols,
				    const char *base_dir,
				    struct sift_error *err)
{
	struct sift_cond *c = calloc(1, sizeof *c);
	struct parser p;
	int rc;

	if (!c || !(c->org.text = dup_range(text, strlen(text))) ||
	    !(c->org.path = dup_range(origin, strlen(origin))) ||
	    engine_init(&c->eng)) {
		sift_cond_free(c);
		sift_error_nomem(err);
		return NULL;
	}
	c->org.len = strlen(text);
	c->org.line = 1;
	parser_init(&p, &c->org, base_dir, err);
	rc = next(&p);
	if (!rc)
		rc = parse_or(&p, &c->root);
	if (!rc && p.tok != T_EOL)
		rc = expected(&p, "'and', 'or' or the end");
	if (!rc)
		rc = bind_node(c->root, colnames, ncols, err);
	free(p.val);
	if (rc) {
		sift_cond_free(c);
		return NULL;
	}
	return c;
}

int sift_cond_eval(struct sift_cond *c, sift_field_fn get, void *ctx,
		   int *result, int *limited, struct sift_error *err)
{
	struct eval x = {&c->eng, get, ctx, err, 0};
	int rc = eval_node(&x, c->root, result);

	if (x.limited)
		*result = 0;
	if (limited)
		*limited = x.limited;
	return rc;
}

void sift_cond_free(struct sift_cond *c)
{
	if (!c)
		return;
	node_free(c->root);
	engine_free(&c->eng);
	free(c->org.text);
	free(c->org.path);
	free(c);
}

/* ---- rules files ----------------------------------------------------- */

static int find_label(const struct sift_rules *rs, const char *s)
{
	for (size_t k = 0; k < rs->nlabels; k++)
		if (strcmp(rs->labels[k].name, s) == 0)
			return (int)k;
	return -1;
}

static int add_label(struct sift_rules *rs, char *name, char *value)
{
	struct label *l = realloc(rs->labels,
				  (rs->nlabels + 1) * sizeof *l);

	if (!l)
		return -1;
	rs->labels = l;
	l[rs->nlabels].name = name;
	l[rs->nlabels].value = value;
	return (int)rs->nlabels++;
}

/* A vote is kept in a byte (0 for an abstention) by the label model
 * and the rule analysis. */
static int too_many_labels(struct parser *p)
{
	return perr(p, p->at, "more than %d labels", SIFT_RULES_MAX_LABELS);
}

/* labels: NAME [= VALUE] { , NAME [= VALUE] } */
static int parse_labels(struct parser *p, struct sift_rules *rs)
{
	int rc;

	if (rs->declared)
		return perr(p, p->at, "the labels are declared twice");
	if (rs->n)
		return perr(p, p->at, "declare the labels before the rules");
	rs->declared = 1;
	do {
		char *name, *value;
		size_t n;

		if ((rc = next(p)) != 0)
			return rc;
		if (p->tok != T_WORD && p->tok != T_NUM && p->tok != T_STR)
			return expected(p, "a label");
		if (!(name = tok_value(p, &n)))
			return p->err->code;
		if (find_label(rs, name) >= 0) {
			free(name);
			return perr(p, p->at, "label declared twice");
		}
		if ((rc = next(p)) == 0 && p->tok == T_EQ) {
			if ((rc = next(p)) != 0 ||
			    (p->tok != T_WORD && p->tok != T_NUM &&
			     p->tok != T_STR)) {
				free(name);
				return rc ? rc : expected(p, "a label value");
			}
			value = tok_value(p, &n);
			rc = value ? next(p) : p->err->code;
		} else {
			value = dup_range(name, strlen(name));
		}
		if (rs->nlabels >= SIFT_RULES_MAX_LABELS) {
			free(name);
			free(value);
			return too_many_labels(p);
		}
		if (!value || add_label(rs, name, value) < 0) {
			free(name);
			free(value);
			return rc ? rc : sift_error_nomem(p->err);
		}
		if (rc)
			return rc;
	} while (p->tok == T_COMMA);
	return p->tok == T_EOL ? 0 : expected(p, "',' or the end of the line");
}

static int parse_version(struct parser *p)
{
	double v;
	int rc = next(p);

	if (rc || (rc = parse_number(p, &v)) != 0)
		return rc;
	if (v != SIFT_RULES_VERSION)
		return perr(p, p->at, "rules version %.*s is not supported "
				      "(this sift reads version %d)",
			    (int)(p->end - p->at), p->s + p->at,
			    SIFT_RULES_VERSION);
	if ((rc = next(p)) != 0)
		return rc;
	return p->tok == T_EOL ? 0 : expected(p, "the end of the line");
}

/* -> LABEL [weight W] */
static int parse_target(struct parser *p, struct sift_rules *rs,
			struct rule *r)
{
	char *name;
	size_t n, at;
	int rc;

	if (p->tok != T_ARROW)
		return expected(p, "'and', 'or' or '-> LABEL'");
	if ((rc = next(p)) != 0)
		return rc;
	if (p->tok != T_WORD && p->tok != T_NUM && p->tok != T_STR)
		return expected(p, "a label after '->'");
	at = p->at;
	if (!(name = tok_value(p, &n)))
		return p->err->code;
	r->label = find_label(rs, name);
	if (r->label < 0 && rs->declared) {
		char list[300] = "";

		for (size_t k = 0; k < rs->nlabels; k++)
			snprintf(list + strlen(list), sizeof list - strlen(list),
				 "%s%s", k ? ", " : "", rs->labels[k].name);
		rc = perr(p, at, "label '%s' is not declared (labels: %s)",
			  name, list);
		free(name);
		return rc;
	}
	if (r->label < 0 && rs->nlabels >= SIFT_RULES_MAX_LABELS) {
		free(name);
		return too_many_labels(p);
	}
	if (r->label < 0) {
		char *value = dup_range(name, n);

		if (!value || (r->label = add_label(rs, name, value)) < 0) {
			free(name);
			free(value);
			return sift_error_nomem(p->err);
		}
	} else {
		free(name);
	}
	if ((rc = next(p)) != 0)
		return rc;
	if (is_kw(p, "weight")) {
		if ((rc = next(p)) != 0 || (rc = parse_number(p, &r->weight)))
			return rc;
		if (!(r->weight > 0))
			return perr(p, p->at, "a weight must be > 0");
		if ((rc = next(p)) != 0)
			return rc;
	}
	return p->tok == T_EOL ? 0 : expected(p, "the end of the line");
}

static int parse_rule(struct parser *p, struct sift_rules *rs,
		      struct rule *r)
{
	size_t n;
	int rc;

	if (p->tok != T_WORD || is_keyword(p))
		return expected(p, "a rule name, 'labels:' or a comment");
	if (!(r->name = tok_value(p, &n)))
		return p->err->code;
	for (size_t i = 0; i < rs->n; i++)
		if (strcmp(rs->rules[i].name, r->name) == 0)
			return perr(p, p->at, "rule '%s' is defined twice "
					      "(first on line %u)",
				    r->name, rs->rules[i].org->line);
	if ((rc = next(p)) != 0)
		return rc;
	if (p->tok != T_COLON)
		return expected(p, "':' after the rule name");
	if ((rc = next(p)) != 0)
		return rc;
	if (p->tok == T_EOL || p->tok == T_ARROW)
		return expected(p, "a condition");
	if ((rc = parse_or(p, &r->cond)) != 0)
		return rc;
	return parse_target(p, rs, r);
}

static int is_directive(struct parser *p, const char *kw)
{
	size_t save = p->pos;

	if (!is_kw(p, kw))
		return 0;
	skip_blanks(p);
	if (p->pos < p->len && p->s[p->pos] == ':') {
		p->pos++;
		return 1;
	}
	p->pos = save;
	return 0;
}

static void rule_free(struct rule *r)
{
	free(r->name);
	node_free(r->cond);
	if (r->org)
		free(r->org->text);
	free(r->org);
}

/* One line of the file: nothing, a directive, or a rule. */
static int parse_line(struct sift_rules *rs, const char *s, size_t len,
		      unsigned lineno, struct sift_error *err)
{
	struct rule r = {0};
	struct parser p;
	int rc;

	r.weight = 1;
	if (!(r.org = calloc(1, sizeof *r.org)) ||
	    !(r.org->text = dup_range(s, len))) {
		free(r.org);
		return sift_error_nomem(err);
	}
	r.org->path = rs->path;
	r.org->line = lineno;
	r.org->len = len;
	parser_init(&p, r.org, rs->dir, err);
	rc = next(&p);
	if (rc || p.tok == T_EOL)
		goto out;
	if (is_directive(&p, "labels")) {
		rc = parse_labels(&p, rs);
		goto out;
	}
	if (is_directive(&p, "version")) {
		rc = parse_version(&p);
		goto out;
	}
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 16;
		struct rule *nr = realloc(rs->rules, cap * sizeof *nr);

		if (!nr) {
			rc = sift_error_nomem(err);
			goto out;
		}
		rs->rules = nr;
		rs->cap = cap;
	}
	rc = parse_rule(&p, rs, &r);
	if (!rc) {
		rs->rules[rs->n++] = r;
		free(p.val);
		return 0;
	}
out:
	free(p.val);
	rule_free(&r);
	return rc;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return dup_range(".", 1);
	return dup_range(path, slash == path ? 1 : (size_t)(slash - path));
}

struct sift_rules *sift_rules_parse(const char *text, size_t len,
				    const char *path,
				    struct sift_error *err)
{
	struct sift_rules *rs = calloc(1, sizeof *rs);
	unsigned lineno = 0;
	int rc = 0;

	if (!rs || !(rs->path = dup_range(path, strlen(path))) ||
	    !(rs->dir = dir_of(path)) || engine_init(&rs->eng)) {
		sift_rules_free(rs);
		sift_error_nomem(err);
		return NULL;
	}
	for (const char *line = text, *end; !rc && line < text + len;
	     line = end + 1) {
		end = memchr(line, '\n', (size_t)(text + len - line));
		if (!end)
			end = text + len;
		rc = parse_line(rs, line, (size_t)(end - line), ++lineno, err);
	}
	if (!rc && rs->n == 0)
		rc = sift_error_set(err, SIFT_EUSAGE, "%s: no rules in the file",
				    path);
	if (rc) {
		sift_rules_free(rs);
		return NULL;
	}
	return rs;
}

/* A rules file is a page or two; a path such as /dev/zero must end in an
 * error, not in reading until memory runs out. */
#define MAX_RULES_FILE ((size_t)64 << 20)

struct sift_rules *sift_rules_load(const char *path, struct sift_error *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, got;
	struct sift_rules *rs = NULL;

	if (!f) {
		sift_error_set(err, SIFT_EIO, "%s: cannot open: %s", path,
			       strerror(errno));
		return NULL;
	}
	do {
		if (n > MAX_RULES_FILE) {
			sift_error_set(err, SIFT_EUSAGE,
				       "%s: larger than %zu MiB: not a rules "
				       "file",
				       path, MAX_RULES_FILE >> 20);
			goto out;
		}
		if (cap - n < 4096) {
			char *b = realloc(buf, cap = cap ? cap * 2 : 8192);

			if (!b) {
				sift_error_nomem(err);
				goto out;
			}
			buf = b;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got);
	if (ferror(f))
		sift_error_set(err, SIFT_EIO, "%s: read error", path);
	else
		rs = sift_rules_parse(buf, n, path, err);
out:
	free(buf);
	fclose(f);
	return rs;
}

void sift_rules_free(struct sift_rules *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->n; i++)
		rule_free(&rs->rules[i]);
	for (size_t k = 0; k < rs->nlabels; k++) {
		free(rs->labels[k].name);
		free(rs->labels[k].value);
	}
	free(rs->labels);
	free(rs->rules);
	engine_free(&rs->eng);
	free(rs->path);
	free(rs->dir);
	free(rs);
}

int sift_rules_bind(struct sift_rules *rs, const char *const *colnames,
		    size_t ncols, struct sift_error *err)
{
	for (size_t i = 0; i < rs->n; i++) {
		int rc = bind_node(rs->rules[i].cond, colnames, ncols, err);

		if (rc)
			return rc;
	}
	return 0;
}

int sift_rules_eval(struct sift_rules *rs, sift_field_fn get, void *ctx,
		    int *votes, int *first_limited, struct sift_error *err)
{
	struct eval x = {&rs->eng, get, ctx, err, 0};

	if (first_limited)
		*first_limited = -1;
	for (size_t i = 0; i < rs->n; i++) {
		int res = 0, rc;

		x.limited = 0;
		rc = eval_node(&x, rs->rules[i].cond, &res);
		if (rc)
			return rc;
		if (x.limited) {
			rs->rules[i].limit_hits++;
			if (first_limited && *first_limited < 0)
				*first_limited = (int)i;
			res = 0;
		}
		votes[i] = res ? rs->rules[i].label : -1;
	}
	return 0;
}

size_t sift_rules_count(const struct sift_rules *rs)
{
	return rs->n;
}

const char *sift_rules_path(const struct sift_rules *rs)
{
	return rs->path;
}

const char *sift_rules_name(const struct sift_rules *rs, size_t i)
{
	return rs->rules[i].name;
}

unsigned sift_rules_line(const struct sift_rules *rs, size_t i)
{
	return rs->rules[i].org->line;
}

double sift_rules_weight(const struct sift_rules *rs, size_t i)
{
	return rs->rules[i].weight;
}

int sift_rules_label_of(const struct sift_rules *rs, size_t i)
{
	return rs->rules[i].label;
}

uint64_t sift_rules_limit_hits(const struct sift_rules *rs, size_t i)
{
	return rs->rules[i].limit_hits;
}

size_t sift_rules_nlabels(const struct sift_rules *rs)
{
	return rs->nlabels;
}

const char *sift_rules_label_name(const struct sift_rules *rs, size_t k)
{
	return rs->labels[k].name;
}

const char *sift_rules_label_value(const struct sift_rules *rs, size_t k)
{
	return rs->labels[k].value;
}
