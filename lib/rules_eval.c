/*
 * lib/rules_eval.c - conditions and values of sift-rules(5) evaluated on
 * a record, and the public sift_cond_* and sift_value_* (see
 * sift/rules.h and lib/rules_impl.h).
 *
 * A value is computed on demand: a column through the caller's field
 * callback, a call from its arguments into the call's own buffer, so a
 * plain column costs one callback and nothing is copied. A value a
 * function cannot compute (a timestamp that is not one) is missing: a
 * test on it is false, as a numeric comparison on a field that is not a
 * number is, and sift_value_eval hands its reason to the caller.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_impl.h"
#include "sift/parse.h"

/* ---- the match engine ------------------------------------------------ */

int rules_engine_init(struct engine *e)
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

void rules_engine_free(struct engine *e)
{
	if (e->md)
		pcre2_match_data_free(e->md);
	if (e->jit)
		pcre2_jit_stack_free(e->jit);
	if (e->mctx)
		pcre2_match_context_free(e->mctx);
}

int rules_match(struct eval *x, const pcre2_code *re, const char *s, size_t len)
{
	int rc = pcre2_match(re, (PCRE2_SPTR)(s ? s : ""), len, 0, 0,
			     x->eng->md, x->eng->mctx);

	if (rc >= 0)
		return 1;
	if (rc != PCRE2_ERROR_NOMATCH)
		x->limited = 1; /* a limit (or any other failure): abstain */
	return 0;
}

/* ---- values ---------------------------------------------------------- */

char *rules_value_room(struct value *v, size_t n)
{
	return sift_grow(&v->buf, &v->cap, n + 1, 1, 64) ? NULL : v->buf;
}

void rules_missing(struct eval *x, struct vres *out, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(x->whybuf, sizeof x->whybuf, fmt, ap);
	va_end(ap);
	x->why = x->whybuf;
	out->s = "";
	out->len = 0;
	out->missing = 1;
}

static int eval_call(struct eval *x, struct value *v, struct vres *out)
{
	struct vres arg[RULES_MAX_ARGS];
	int takes_missing = rules_func_takes_missing(v->fn);

	for (size_t i = 0; i < v->nargs; i++) {
		int rc = rules_eval_value(x, v->args[i], &arg[i]);

		if (rc)
			return rc;
		if (arg[i].missing && !takes_missing) {
			*out = arg[i];
			return 0;
		}
	}
	return v->fn->run(x, v, arg, out);
}

int rules_eval_value(struct eval *x, struct value *v, struct vres *out)
{
	out->missing = 0;
	switch (v->kind) {
	case V_COLUMN:
		return x->get(x->ctx, v->col, &out->s, &out->len, x->err);
	case V_STRING:
	case V_NUMBER:
		out->s = v->str;
		out->len = v->slen;
		return 0;
	case V_REGEX:
		out->s = NULL;
		out->len = 0;
		return 0;
	case V_CALL:
		return eval_call(x, v, out);
	}
	return 0;
}

/* ---- conditions ------------------------------------------------------ */

/* A field that spells a boolean as pandas (True), R (TRUE), Spark
 * (true), PostgreSQL (t) or a number (1) does: 1, 0, or -1 for neither. */
static int truth_of(const char *s, size_t len)
{
	static const char *const yes[] = { "true", "True", "TRUE", "t", "1" };
	static const char *const no[] = { "false", "False", "FALSE", "f", "0" };

	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
		if (len == strlen(yes[i]) && memcmp(s, yes[i], len) == 0)
			return 1;
		if (len == strlen(no[i]) && memcmp(s, no[i], len) == 0)
			return 0;
	}
	return -1;
}

static int leaf_value(struct eval *x, const struct node *n,
		      const struct vres *v)
{
	const char *s = v->s;
	size_t len = v->len;
	double d;

	if (v->missing) /* false, and its negation true */
		return n->kind == K_NUMCMP && n->cmp == C_NE;
	switch (n->kind) {
	case K_REGEX:
		return rules_match(x, n->re, s, len);
	case K_PHRASES:
		return sift_phrases_match(n->ph, s, len);
	case K_STREQ:
		return len == n->slen && memcmp(s, n->str, len) == 0;
	case K_BOOL:
		return truth_of(s, len) == n->truth;
	case K_IN:
		for (size_t i = 0; i < n->nitems; i++)
			if (len == n->ilens[i] &&
			    memcmp(s, n->items[i], len) == 0)
				return 1;
		return 0;
	case K_NUMCMP:
		if (sift_parse_double(s, len, &d) != 0)
			return n->cmp == C_NE;
		switch (n->cmp) {
		case C_EQ:
			return d == n->num;
		case C_NE:
			return d != n->num;
		case C_LT:
			return d < n->num;
		case C_LE:
			return d <= n->num;
		case C_GT:
			return d > n->num;
		case C_GE:
			return d >= n->num;
		}
		return 0;
	default:
		return 0;
	}
}

int rules_eval_node(struct eval *x, const struct node *n, int *res)
{
	struct vres v;
	int rc;

	switch (n->kind) {
	case K_AND:
	case K_OR:
		/* Stop at the first child that decides. */
		for (size_t i = 0; i < n->nkids; i++) {
			if ((rc = rules_eval_node(x, n->kids[i], res)) != 0)
				return rc;
			if (*res == (n->kind == K_OR))
				return 0;
		}
		return 0;
	case K_NOT:
		rc = rules_eval_node(x, n->kids[0], res);
		*res = !*res;
		return rc;
	default:
		if ((rc = rules_eval_value(x, n->val, &v)) != 0)
			return rc;
		*res = leaf_value(x, n, &v);
		if (n->negate && n->kind != K_NUMCMP)
			*res = !*res;
		return 0;
	}
}

/* ---- a single condition ---------------------------------------------- */

struct sift_cond {
	struct node *root;
	struct origin org;
	struct engine eng;
};

/* The origin of a condition or value given on the command line. */
static int origin_init(struct origin *o, const char *text, const char *name)
{
	o->len = strlen(text);
	o->line = 1;
	o->text = strdup(text);
	o->path = strdup(name);
	return o->text && o->path ? 0 : -1;
}

/* Parse text whole as a condition (into *cond) or a value (*val) and
 * bind its columns. */
static int parse_whole(const struct origin *o, const char *dir,
		       struct node **cond, struct value **val,
		       const char *const *cols, size_t ncols,
		       struct sift_error *err)
{
	struct parser p;
	int rc;

	rules_parser_init(&p, o, dir, err);
	rc = rules_next(&p);
	if (rc) {
		/* nothing parsed */
	} else if (cond) {
		rc = rules_parse_cond(&p, cond);
		if (!rc && p.tok != T_EOL)
			rc = rules_expected(&p, "'and', 'or' or the end");
		if (!rc)
			rc = rules_bind_node(*cond, cols, ncols, err);
	} else if (val) {
		rc = rules_parse_value(&p, val);
		if (!rc && p.tok != T_EOL)
			rc = rules_expected(&p, "the end of the value");
		if (!rc)
			rc = rules_bind_value(*val, cols, ncols, err);
	}
	free(p.val);
	return rc;
}

struct sift_cond *sift_cond_compile(const char *text, const char *origin,
				    const char *const *colnames, size_t ncols,
				    const char *base_dir,
				    struct sift_error *err)
{
	struct sift_cond *c = calloc(1, sizeof *c);

	if (!c || origin_init(&c->org, text, origin) ||
	    rules_engine_init(&c->eng)) {
		sift_cond_free(c);
		sift_error_nomem(err);
		return NULL;
	}
	if (parse_whole(&c->org, base_dir, &c->root, NULL, colnames, ncols,
			err)) {
		sift_cond_free(c);
		return NULL;
	}
	return c;
}

int sift_cond_eval(struct sift_cond *c, sift_field_fn get, void *ctx,
		   int *result, int *limited, struct sift_error *err)
{
	struct eval x = { &c->eng, get, ctx, err, 0, NULL, "" };
	int rc = rules_eval_node(&x, c->root, result);

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
	rules_node_free(c->root);
	rules_engine_free(&c->eng);
	free(c->org.text);
	free(c->org.path);
	free(c);
}

/* ---- a single value -------------------------------------------------- */

struct sift_value {
	struct value *root;
	struct origin org;
	struct engine eng;
	char why[sizeof((struct eval *)0)->whybuf];
};

struct sift_value *sift_value_compile(const char *text, const char *origin,
				      const char *const *colnames, size_t ncols,
				      struct sift_error *err)
{
	struct sift_value *v = calloc(1, sizeof *v);

	if (!v || origin_init(&v->org, text, origin) ||
	    rules_engine_init(&v->eng)) {
		sift_value_free(v);
		sift_error_nomem(err);
		return NULL;
	}
	if (parse_whole(&v->org, NULL, NULL, &v->root, colnames, ncols, err)) {
		sift_value_free(v);
		return NULL;
	}
	return v;
}

int sift_value_eval(struct sift_value *v, sift_field_fn get, void *ctx,
		    const char **s, size_t *len, const char **missing,
		    struct sift_error *err)
{
	struct eval x = { &v->eng, get, ctx, err, 0, NULL, "" };
	struct vres r;
	int rc = rules_eval_value(&x, v->root, &r);

	*missing = NULL;
	if (rc)
		return rc;
	*s = r.s;
	*len = r.len;
	if (r.missing) {
		snprintf(v->why, sizeof v->why, "%s",
			 x.why ? x.why : "no value");
		*missing = v->why;
	}
	return 0;
}

int sift_value_is_column(const struct sift_value *v, size_t *col)
{
	if (v->root->kind != V_COLUMN)
		return 0;
	*col = v->root->col;
	return 1;
}

void sift_value_free(struct sift_value *v)
{
	if (!v)
		return;
	rules_value_free(v->root);
	rules_engine_free(&v->eng);
	free(v->org.text);
	free(v->org.path);
	free(v);
}
