/*
 * lib/rules_impl.h - the condition language of sift-rules(5) inside
 * libsift (private to lib/): its syntax tree, and the lexer, parser,
 * binder and evaluator that share it.
 *
 *     lib/rules_lex.c    tokens and the caret errors every stage uses
 *     lib/rules_parse.c  conditions and values into nodes, and binding
 *                        their columns to the data's
 *     lib/rules_funcs.c  the functions of value expressions
 *     lib/rules_eval.c   evaluation on a record; sift_cond_*, sift_value_*
 *     lib/rules.c        rules files: labels, directives, rules
 */
#ifndef SIFT_RULES_IMPL_H
#define SIFT_RULES_IMPL_H

#define PCRE2_CODE_UNIT_WIDTH 8

#include <pcre2.h>
#include <stddef.h>
#include <stdint.h>

#include "sift/error.h"
#include "sift/mem.h"
#include "sift/phrases.h"
#include "sift/rules.h"

/* Where a node came from, for messages. */
struct origin {
	char *path;
	char *text; /* the whole line (owned by the rule or cond) */
	size_t len;
	unsigned line;
};

/* ---- tokens ---------------------------------------------------------- */

enum tok {
	T_EOL,
	T_WORD,
	T_NUM,
	T_STR,
	T_BQ,
	T_COLON,
	T_COMMA,
	T_LP,
	T_RP,
	T_ARROW,
	T_MATCH,
	T_NMATCH,
	T_EQ,
	T_NE,
	T_LT,
	T_LE,
	T_GT,
	T_GE,
	T_BAD
};

struct parser {
	const struct origin *org;
	const char *s; /* the line */
	size_t len, pos;
	const char *dir; /* for phrase files */
	struct sift_error *err;
	unsigned depth; /* nesting of not, parentheses and calls */
	/* the current token */
	enum tok tok;
	size_t at, end; /* its bytes s[at..end) */
	char *val;      /* STR and BQ: the unescaped text */
	size_t vlen;
};

void rules_parser_init(struct parser *p, const struct origin *o,
		       const char *dir, struct sift_error *err);

/* The next token; the position moves past it. */
int rules_next(struct parser *p);

/* Skip blanks and a comment from the position. */
void rules_skip_blanks(struct parser *p);

/* Whether the current token is the word kw; whether it is a keyword of
 * the language (and, or, not, in, weight). */
int rules_is_kw(const struct parser *p, const char *kw);
int rules_is_keyword(const struct parser *p);

/* "expected WHAT, found TOKEN" at the current token. */
int rules_expected(struct parser *p, const char *what);

/* A syntax error at byte at of the line (SIFT_EUSAGE). */
int rules_perr(struct parser *p, size_t at, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

/* "PATH:LINE:COL: message", then the line and a caret under byte at. */
int rules_caret_error(struct sift_error *err, int code, const struct origin *o,
		      size_t at, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 5, 6)))
#endif
	;

/* The current WORD/NUM/STR/BQ token's text, malloc'ed (NULL and err
 * filled when memory runs out). */
char *rules_tok_value(struct parser *p, size_t *len);

/* ---- values ---------------------------------------------------------- */

/* What a value is: a column of the record, a literal, or a call of a
 * function of rules_funcs.c on other values. */
enum vkind { V_COLUMN, V_STRING, V_NUMBER, V_REGEX, V_CALL };

struct func;
struct eval;

struct value {
	enum vkind kind;
	size_t at; /* where it was written, for messages */
	const struct origin *org;
	char *name; /* V_COLUMN: as written */
	size_t col; /* V_COLUMN: bound to the data's column */
	char *str;  /* V_STRING; V_NUMBER: as written */
	size_t slen;
	double num;            /* V_NUMBER */
	pcre2_code *re;        /* V_REGEX */
	const struct func *fn; /* V_CALL */
	struct value **args;
	size_t nargs;
	void *state; /* V_CALL: what the function prepared at parse time */
	char *buf;   /* V_CALL: its result, valid until the next record */
	size_t cap;
};

/* A value on one record: bytes, or missing (a function could not compute
 * it: a timestamp that is not one, a number that is not one). */
struct vres {
	const char *s;
	size_t len;
	int missing;
};

/* The result buffer of a call: room for n bytes (NULL without memory). */
char *rules_value_room(struct value *v, size_t n);

/* The functions: their names, arity and argument kinds are checked as
 * a call is parsed. */
struct func {
	const char *name;
	unsigned min_args, max_args;
	/* The kind of each argument: 'v' any value, 'n' a number literal,
	 * 'r' a /regex/, 's' a string literal; the last letter repeats. */
	const char *args;
	/* Prepare what does not change from record to record (checked
	 * arguments, a compiled format); may be NULL. Returns 0 or an
	 * error with a caret at the call. */
	int (*prepare)(struct parser *p, struct value *call);
	void (*release)(void *state);
	/* Compute the call from its arguments' values. */
	int (*run)(struct eval *x, struct value *call, const struct vres *arg,
		   struct vres *out);
};

/* The most arguments a call takes. */
#define RULES_MAX_ARGS 32

/* The function named name[0..len), or NULL. */
const struct func *rules_func_find(const char *name, size_t len);

/* The function whose name is nearest to name[0..len) (a misspelling),
 * or NULL. */
const char *rules_func_nearest(const char *name, size_t len);

/* Whether fn is called with missing arguments (else the call is
 * missing when one of them is). */
int rules_func_takes_missing(const struct func *fn);

/* "lower, upper, ..." for messages, into buf. */
void rules_func_names(char *buf, size_t size);

void rules_value_free(struct value *v);

/* ---- conditions ------------------------------------------------------ */

enum kind {
	K_AND,
	K_OR,
	K_NOT,
	K_REGEX,
	K_PHRASES,
	K_STREQ,
	K_BOOL,
	K_NUMCMP,
	K_IN
};
enum cmp { C_EQ, C_NE, C_LT, C_LE, C_GT, C_GE };

struct node {
	enum kind kind;
	/* K_AND, K_OR: kids[0..nkids); K_NOT: kids[0] */
	struct node **kids;
	size_t nkids;
	/* tests: the value tested, and where the test was written */
	struct value *val;
	size_t at;
	const struct origin *org;
	int negate; /* !~, !=, not in */
	enum cmp cmp;
	pcre2_code *re;
	struct sift_phrases *ph;
	char *str; /* K_STREQ */
	size_t slen;
	int truth;  /* K_BOOL: the boolean compared with */
	double num; /* K_NUMCMP */
	char **items;
	size_t *ilens, nitems;
};

void rules_node_free(struct node *n);

/* The most that not, parentheses and calls may nest: deeper is an
 * error, never a stack overflow. */
#define RULES_MAX_DEPTH 256

/* cond := or; stops at the first token that cannot continue it. */
int rules_parse_cond(struct parser *p, struct node **out);

/* A number token into *x, or an error. */
int rules_parse_number(struct parser *p, double *x);

/* A value expression: a column, or a call. */
int rules_parse_value(struct parser *p, struct value **out);

/* Bind every column of a tree to colnames[0..ncols) (by name, else by
 * 1-based number): an unknown column is an error with a caret. */
int rules_bind_node(struct node *n, const char *const *cols, size_t ncols,
		    struct sift_error *err);
int rules_bind_value(struct value *v, const char *const *cols, size_t ncols,
		     struct sift_error *err);

/* ---- evaluation ------------------------------------------------------ */

/* The match resources every regex of one rules set or condition shares. */
struct engine {
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;
	pcre2_match_data *md;
};

int rules_engine_init(struct engine *e);
void rules_engine_free(struct engine *e);

/* Compile a regex with the language's options (UTF, invalid UTF-8
 * matched as bytes), JIT where available; NULL and a caret error at the
 * pattern's offset on failure. */
pcre2_code *rules_compile_regex(struct parser *p, size_t start, size_t len,
				uint32_t opts);

struct eval {
	struct engine *eng;
	sift_field_fn get;
	void *ctx;
	struct sift_error *err;
	int limited;     /* a regex hit a PCRE2 limit */
	const char *why; /* the last missing value's reason, or NULL */
	char whybuf[160];
};

/* Match re on s[0..len): 1, or 0 (also when a limit was hit: then
 * x->limited is set). Leaves the match in x->eng->md. */
int rules_match(struct eval *x, const pcre2_code *re, const char *s,
		size_t len);

/* Say why a value is missing (printf-style, into x->whybuf). */
void rules_missing(struct eval *x, struct vres *out, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

int rules_eval_node(struct eval *x, const struct node *n, int *res);
int rules_eval_value(struct eval *x, struct value *v, struct vres *out);

#endif
