/*
 * lib/rules_parse.c - conditions and value expressions of sift-rules(5)
 * into syntax trees, and their columns bound to the data's (see
 * lib/rules_impl.h). A recursive-descent parser over the grammar
 *
 *     or     := and { 'or' and }
 *     and    := unary { 'and' unary }
 *     unary  := 'not' unary | '(' or ')' | value test
 *     value  := COLUMN | FUNCTION '(' [ arg { ',' arg } ] ')'
 *     arg    := value | STRING | NUMBER | REGEX
 *     test   := ('~' | '!~') (REGEX | '@' FILE)
 *             | ('=' | '==' | '!=') (STRING | WORD | NUMBER)
 *             | ('<' | '<=' | '>' | '>=') NUMBER
 *             | ['not'] 'in' '(' ITEM { ',' ITEM } ')'
 *
 * A chain of `and` or of `or` is one node with many children, so that a
 * long rule is a wide tree, not a deep one; not, parentheses and calls
 * nest at most RULES_MAX_DEPTH levels, so that no input can exhaust the
 * stack of the parser, the binder or the evaluator.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "rules_impl.h"
#include "sift/nearest.h"
#include "sift/parse.h"

/* ---- nodes and values ------------------------------------------------ */

void rules_value_free(struct value *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->nargs; i++)
		rules_value_free(v->args[i]);
	free(v->args);
	if (v->fn && v->fn->release)
		v->fn->release(v->state);
	if (v->re)
		pcre2_code_free(v->re);
	free(v->name);
	free(v->str);
	free(v->buf);
	free(v);
}

void rules_node_free(struct node *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->nkids; i++)
		rules_node_free(n->kids[i]);
	free(n->kids);
	rules_value_free(n->val);
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

static struct value *value_new(struct parser *p, enum vkind k)
{
	struct value *v = calloc(1, sizeof *v);

	if (!v) {
		sift_error_nomem(p->err);
		return NULL;
	}
	v->kind = k;
	v->at = p->at;
	v->org = p->org;
	return v;
}

/* Append kid to n's children. */
static int add_kid(struct parser *p, struct node *n, struct node *kid)
{
	if (sift_resize(&n->kids, n->nkids + 1, sizeof *n->kids)) {
		rules_node_free(kid);
		return sift_error_nomem(p->err);
	}
	n->kids[n->nkids++] = kid;
	return 0;
}

static int deeper(struct parser *p, size_t at)
{
	if (++p->depth > RULES_MAX_DEPTH)
		return rules_perr(p, at, "nested more than %d levels deep",
				  RULES_MAX_DEPTH);
	return 0;
}

/* ---- patterns: /regex/flags and @file ------------------------------- */

static int is_flag_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.';
}

static int regex_flags(struct parser *p, size_t i, uint32_t *opts)
{
	for (; i < p->len && is_flag_char(p->s[i]); i++) {
		switch (p->s[i]) {
		case 'i':
			*opts |= PCRE2_CASELESS;
			break;
		case 'm':
			*opts |= PCRE2_MULTILINE;
			break;
		case 's':
			*opts |= PCRE2_DOTALL;
			break;
		case 'x':
			*opts |= PCRE2_EXTENDED;
			break;
		case 'u':
			*opts |= PCRE2_UCP;
			break;
		default:
			return rules_perr(p, i,
					  "unknown regex flag '%c' "
					  "(flags: i, m, s, x, u)",
					  p->s[i]);
		}
	}
	p->pos = i;
	return 0;
}

pcre2_code *rules_compile_regex(struct parser *p, size_t start, size_t len,
				uint32_t opts)
{
	size_t erroff;
	int errcode;
	pcre2_code *re =
		pcre2_compile((PCRE2_SPTR)(p->s + start), len,
			      opts | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
			      &errcode, &erroff, NULL);

	if (!re && errcode == PCRE2_ERROR_HEAP_FAILED) {
		sift_error_nomem(p->err);
		return NULL;
	}
	if (!re) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(errcode, msg, sizeof msg);
		rules_perr(p, start + erroff,
			   "invalid regex: %s (at offset "
			   "%zu)",
			   (char *)msg, erroff);
		return NULL;
	}
	/* JIT is an optimisation: where it is unavailable the interpreter
	 * runs under the same limits. SIFT_NO_JIT asks for the interpreter
	 * (valgrind cannot follow JIT code: make valgrind sets it). */
	if (!getenv("SIFT_NO_JIT"))
		pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	return re;
}

/* A /regex/flags at the position (a '/'), compiled into *re. */
static int lex_regex(struct parser *p, pcre2_code **re)
{
	size_t start = p->pos + 1, i = start;
	uint32_t opts = 0;
	int rc;

	while (i < p->len && p->s[i] != '/')
		i += p->s[i] == '\\' && i + 1 < p->len ? 2 : 1;
	if (i >= p->len)
		return rules_perr(p, p->pos,
				  "unterminated regex (a '/' is missing)");
	rc = regex_flags(p, i + 1, &opts);
	if (rc)
		return rc;
	*re = rules_compile_regex(p, start, i - start, opts);
	return *re ? 0 : p->err->code;
}

/* Whether a phrase file's name, as a rules file gives it, stays in the
 * rules file's directory: relative, and no component "..". A rules file
 * is data that may come from anyone; it names files beside it, never
 * elsewhere (sift-rules(5), PHRASE FILES). A condition given on the
 * command line (--where, p->dir NULL) may name any file. */
static int beside_rules(const char *name)
{
	if (name[0] == '/')
		return 0;
	for (const char *c = name; *c; c += strcspn(c, "/"), c += *c == '/')
		if (c[0] == '.' && c[1] == '.' && (c[2] == '/' || !c[2]))
			return 0;
	return 1;
}

static int load_phrases(struct parser *p, struct node *n)
{
	size_t at = p->pos, a = p->pos + 1, b;
	char path[4096], *name;
	struct sift_error e = { 0, "" };

	if (a < p->len && p->s[a] == '"') {
		p->pos = a;
		int rc = rules_next(p);

		if (rc)
			return rc;
		name = sift_memdup_nul(p->val, p->vlen);
	} else {
		for (b = a; b < p->len && p->s[b] != ' ' && p->s[b] != '\t' &&
			    p->s[b] != ')' && p->s[b] != '\r';
		     b++)
			;
		if (b == a)
			return rules_perr(p, at,
					  "expected a file name after '@'");
		name = sift_memdup_nul(p->s + a, b - a);
		p->pos = b;
	}
	if (!name)
		return sift_error_nomem(p->err);
	if (p->dir && !beside_rules(name)) {
		int rc = rules_caret_error(
			p->err, SIFT_EUSAGE, p->org, at,
			"@%s: a phrase file outside the rules file's "
			"directory (name one in it or below, without '..')",
			name);

		free(name);
		return rc;
	}
	if (name[0] == '/' || !p->dir)
		snprintf(path, sizeof path, "%s", name);
	else
		snprintf(path, sizeof path, "%s/%s", p->dir, name);
	free(name);
	n->ph = sift_phrases_load(path, &e);
	/* A phrase file that is not there, or not readable, or not a
	 * phrase file is a mistake of the rules (status 2, shown at the
	 * '@'); a file that is there but fails to be read, or memory
	 * that runs out, is a failed operation (status 1). */
	if (!n->ph && (e.code == SIFT_EUSAGE || access(path, R_OK) != 0))
		return rules_caret_error(p->err, SIFT_EUSAGE, p->org, at, "%s",
					 e.msg);
	if (!n->ph)
		return sift_error_set(p->err, e.code, "%s", e.msg);
	n->kind = K_PHRASES;
	return 0;
}

static int parse_pattern(struct parser *p, struct node *n)
{
	rules_skip_blanks(p);
	if (p->pos < p->len && p->s[p->pos] == '/') {
		n->kind = K_REGEX;
		return lex_regex(p, &n->re);
	}
	if (p->pos < p->len && p->s[p->pos] == '@')
		return load_phrases(p, n);
	p->at = p->pos;
	p->end = p->pos + (p->pos < p->len);
	p->tok = p->pos < p->len ? T_BAD : T_EOL;
	return rules_expected(p, "a /regex/ or @file");
}

/* ---- values ---------------------------------------------------------- */

int rules_parse_number(struct parser *p, double *x)
{
	if (p->tok != T_NUM ||
	    sift_parse_double(p->s + p->at, p->end - p->at, x) != 0)
		return rules_expected(p, "a number");
	return 0;
}

/* Whether a '(' follows the current token (after blanks). */
static int call_follows(struct parser *p)
{
	size_t i = p->pos;

	while (i < p->len && (p->s[i] == ' ' || p->s[i] == '\t'))
		i++;
	return i < p->len && p->s[i] == '(';
}

static const char *arg_kind_name(char k)
{
	switch (k) {
	case 'n':
		return "a number";
	case 'r':
		return "a /regex/";
	case 's':
		return "a \"string\"";
	default:
		return "a column or a value";
	}
}

/* One argument of a call, of the kind the function wants there. */
static int parse_arg(struct parser *p, char want, struct value **out)
{
	struct value *v;
	int rc;

	*out = NULL;
	rules_skip_blanks(p);
	if (p->pos < p->len && p->s[p->pos] == '/') {
		if (want != 'r')
			return rules_perr(p, p->pos,
					  "expected %s, found a "
					  "/regex/",
					  arg_kind_name(want));
		p->at = p->pos;
		if (!(v = value_new(p, V_REGEX)))
			return SIFT_ENOMEM;
		*out = v;
		if ((rc = lex_regex(p, &v->re)) != 0)
			return rc;
		return rules_next(p);
	}
	if ((rc = rules_next(p)) != 0)
		return rc;
	if (want == 'r')
		return rules_expected(p, "a /regex/");
	if (p->tok == T_NUM && want != 's') {
		if (!(v = value_new(p, V_NUMBER)))
			return SIFT_ENOMEM;
		*out = v;
		if ((rc = rules_parse_number(p, &v->num)) != 0)
			return rc;
		if (!(v->str = rules_tok_value(p, &v->slen)))
			return p->err->code;
		return rules_next(p);
	}
	if (want == 'n')
		return rules_expected(p, "a number");
	if (p->tok == T_STR) {
		if (!(v = value_new(p, V_STRING)))
			return SIFT_ENOMEM;
		*out = v;
		if (!(v->str = rules_tok_value(p, &v->slen)))
			return p->err->code;
		return rules_next(p);
	}
	if (want == 's')
		return rules_expected(p, "a \"string\"");
	return rules_parse_value(p, out);
}

/* The arguments of a call, from '(' to ')', checked against fn. */
static int parse_call(struct parser *p, struct value *call)
{
	const struct func *fn = call->fn;
	size_t nk = strlen(fn->args);
	int rc;

	for (;;) { /* at the '(' or a ',' */
		char want = fn->args[call->nargs < nk ? call->nargs : nk - 1];
		if (call->nargs == fn->max_args) {
			rules_skip_blanks(p);
			return rules_perr(
				p, p->pos,
				"%s() takes %s%u "
				"argument%s",
				fn->name,
				fn->min_args == fn->max_args ? "" : "at most ",
				fn->max_args, fn->max_args == 1 ? "" : "s");
		}
		if (sift_resize(&call->args, call->nargs + 1,
				sizeof *call->args))
			return sift_error_nomem(p->err);
		call->args[call->nargs] = NULL;
		rc = parse_arg(p, want, &call->args[call->nargs]);
		call->nargs += call->args[call->nargs] != NULL;
		if (rc)
			return rc;
		if (p->tok != T_COMMA)
			break;
	}
	if (p->tok != T_RP)
		return rules_expected(p, "',' or ')'");
	if (call->nargs < fn->min_args)
		return rules_perr(
			p, p->at, "%s() takes %s%u argument%s", fn->name,
			fn->min_args == fn->max_args ? "" : "at least ",
			fn->min_args, fn->min_args == 1 ? "" : "s");
	if (fn->prepare && (rc = fn->prepare(p, call)) != 0)
		return rc;
	return rules_next(p);
}

int rules_parse_value(struct parser *p, struct value **out)
{
	struct value *v;
	int rc;

	*out = NULL;
	if ((p->tok != T_WORD && p->tok != T_NUM && p->tok != T_BQ) ||
	    rules_is_keyword(p))
		return rules_expected(p, "a column name");
	if (p->tok == T_WORD && call_follows(p)) {
		const struct func *fn =
			rules_func_find(p->s + p->at, p->end - p->at);

		if (!fn) {
			const char *near = rules_func_nearest(p->s + p->at,
							      p->end - p->at);
			char names[400], hint[80] = "";

			rules_func_names(names, sizeof names);
			if (near)
				snprintf(hint, sizeof hint,
					 " (did you mean '%s'?)", near);
			return rules_perr(p, p->at,
					  "no function '%.*s'%s "
					  "(functions: %s)",
					  (int)(p->end - p->at), p->s + p->at,
					  hint, names);
		}
		if ((rc = deeper(p, p->at)) != 0)
			return rc;
		if (!(v = value_new(p, V_CALL)))
			return SIFT_ENOMEM;
		*out = v;
		v->fn = fn;
		if ((rc = rules_next(p)) != 0)
			return rc;
		rc = parse_call(p, v);
		p->depth--;
		return rc;
	}
	if (!(v = value_new(p, V_COLUMN)))
		return SIFT_ENOMEM;
	*out = v;
	if (!(v->name = rules_tok_value(p, &v->slen)))
		return p->err->code;
	v->slen = 0;
	return rules_next(p);
}

/* ---- conditions ------------------------------------------------------ */

static int parse_list(struct parser *p, struct node *n)
{
	int rc = rules_next(p);

	if (rc)
		return rc;
	if (p->tok != T_LP)
		return rules_expected(p, "'(' and a list");
	do {
		if ((rc = rules_next(p)) != 0)
			return rc;
		if (p->tok != T_STR && p->tok != T_WORD && p->tok != T_NUM)
			return rules_expected(p, "a string, word or number");
		if (sift_resize(&n->items, n->nitems + 1, sizeof *n->items) ||
		    sift_resize(&n->ilens, n->nitems + 1, sizeof *n->ilens))
			return sift_error_nomem(p->err);
		n->items[n->nitems] = rules_tok_value(p, &n->ilens[n->nitems]);
		if (!n->items[n->nitems])
			return p->err->code;
		n->nitems++;
		if ((rc = rules_next(p)) != 0)
			return rc;
	} while (p->tok == T_COMMA);
	if (p->tok != T_RP)
		return rules_expected(p, "',' or ')'");
	n->kind = K_IN;
	return rules_next(p);
}

/* An unquoted true or false, in any case: a boolean, as pandas, R,
 * Spark and PostgreSQL write them (see leaf_value in rules_eval.c). */
static int boolean_word(const struct parser *p, int *truth)
{
	size_t n = p->end - p->at;
	const char *s = p->s + p->at;

	if (p->tok != T_WORD)
		return 0;
	if (n == 4 && strncasecmp(s, "true", 4) == 0)
		*truth = 1;
	else if (n == 5 && strncasecmp(s, "false", 5) == 0)
		*truth = 0;
	else
		return 0;
	return 1;
}

static int parse_test(struct parser *p, struct node *n)
{
	enum tok op = p->tok;
	int rc;

	n->at = p->at;
	if (op == T_MATCH || op == T_NMATCH) {
		n->negate = op == T_NMATCH;
		rc = parse_pattern(p, n);
		return rc ? rc : rules_next(p);
	}
	if (rules_is_kw(p, "in") || rules_is_kw(p, "not")) {
		if (rules_is_kw(p, "not")) {
			n->negate = 1;
			if ((rc = rules_next(p)) != 0)
				return rc;
			if (!rules_is_kw(p, "in"))
				return rules_expected(p, "'in' after 'not'");
		}
		return parse_list(p, n);
	}
	if (op < T_EQ || op > T_GE)
		return rules_expected(p, "an operator (~ !~ = != < <= > >= "
					 "in)");
	if ((rc = rules_next(p)) != 0)
		return rc;
	n->cmp = (enum cmp)(C_EQ + (op - T_EQ));
	if (op <= T_NE && boolean_word(p, &n->truth)) {
		n->kind = K_BOOL;
		n->negate = op == T_NE;
		return rules_next(p);
	}
	if (op <= T_NE && (p->tok == T_STR || p->tok == T_WORD)) {
		n->kind = K_STREQ;
		n->negate = op == T_NE;
		n->str = rules_tok_value(p, &n->slen);
		return n->str ? rules_next(p) : p->err->code;
	}
	if (op <= T_NE && p->tok != T_NUM)
		return rules_expected(p, "a string, word or number");
	n->kind = K_NUMCMP;
	rc = rules_parse_number(p, &n->num);
	return rc ? rc : rules_next(p);
}

static int parse_leaf(struct parser *p, struct node **out)
{
	struct node *n = node_new(p, K_STREQ);
	int rc;

	if (!n)
		return SIFT_ENOMEM;
	*out = n;
	n->org = p->org;
	if ((rc = rules_parse_value(p, &n->val)) != 0)
		return rc;
	return parse_test(p, n);
}

static int parse_unary(struct parser *p, struct node **out)
{
	int rc;

	*out = NULL;
	if (rules_is_kw(p, "not")) {
		struct node *n = node_new(p, K_NOT);

		if (!n)
			return SIFT_ENOMEM;
		*out = n;
		if ((rc = deeper(p, p->at)) != 0 || (rc = rules_next(p)) != 0)
			return rc;
		if ((rc = add_kid(p, n, NULL)) != 0)
			return rc;
		rc = parse_unary(p, &n->kids[0]);
		p->depth--;
		return rc;
	}
	if (p->tok == T_LP) {
		size_t open = p->at;

		if ((rc = deeper(p, open)) != 0 || (rc = rules_next(p)) != 0)
			return rc;
		if ((rc = rules_parse_cond(p, out)) != 0)
			return rc;
		p->depth--;
		if (p->tok != T_RP)
			return p->tok == T_EOL
				       ? rules_perr(p, open, "unclosed '('")
				       : rules_expected(p, "')'");
		return rules_next(p);
	}
	return parse_leaf(p, out);
}

/* `sub { kw sub }` as one node of kind k (or sub alone). */
static int parse_chain(struct parser *p, struct node **out, const char *kw,
		       enum kind k, int (*sub)(struct parser *, struct node **))
{
	struct node *n, *first;
	int rc = sub(p, &first);

	*out = first;
	if (rc || !rules_is_kw(p, kw))
		return rc;
	if (!(n = node_new(p, k)))
		return SIFT_ENOMEM;
	*out = n;
	if ((rc = add_kid(p, n, first)) != 0)
		return rc;
	while (rules_is_kw(p, kw)) {
		struct node *kid = NULL;

		if ((rc = rules_next(p)) != 0)
			return rc;
		rc = sub(p, &kid);
		if (kid && add_kid(p, n, kid) != 0)
			return SIFT_ENOMEM;
		if (rc)
			return rc;
	}
	return 0;
}

static int parse_and(struct parser *p, struct node **out)
{
	return parse_chain(p, out, "and", K_AND, parse_unary);
}

int rules_parse_cond(struct parser *p, struct node **out)
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

static int no_column(const struct value *v, const char *const *cols,
		     size_t ncols, struct sift_error *err)
{
	char list[400];
	size_t used = 0;

	list[0] = '\0';
	for (size_t i = 0; i < ncols && used < sizeof list - 8; i++) {
		int w = snprintf(list + used, sizeof list - used, "%s%s",
				 i ? ", " : "", cols[i]);

		used += w > 0 ? (size_t)w : 0;
	}
	if (used >= sizeof list - 8)
		snprintf(list + sizeof list - 8, 8, ", ...");
	long near = sift_nearest(v->name, cols, ncols);
	char hint[160] = "";

	if (near >= 0)
		snprintf(hint, sizeof hint, " (did you mean '%.120s'?)",
			 cols[near]);
	return rules_caret_error(err, SIFT_EDATA, v->org, v->at,
				 "no column '%s' in the data%s (columns: %s)",
				 v->name, hint, ncols ? list : "none");
}

int rules_bind_value(struct value *v, const char *const *cols, size_t ncols,
		     struct sift_error *err)
{
	if (!v)
		return 0;
	for (size_t i = 0; i < v->nargs; i++) {
		int rc = rules_bind_value(v->args[i], cols, ncols, err);

		if (rc)
			return rc;
	}
	if (v->kind != V_COLUMN ||
	    find_column(v->name, cols, ncols, &v->col) == 0)
		return 0;
	return no_column(v, cols, ncols, err);
}

int rules_bind_node(struct node *n, const char *const *cols, size_t ncols,
		    struct sift_error *err)
{
	if (!n)
		return 0;
	for (size_t i = 0; i < n->nkids; i++) {
		int rc = rules_bind_node(n->kids[i], cols, ncols, err);

		if (rc)
			return rc;
	}
	return rules_bind_value(n->val, cols, ncols, err);
}
