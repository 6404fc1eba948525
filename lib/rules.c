/*
 * lib/rules.c - rules files of sift label (see sift/rules.h and
 * sift-rules(5)): a line is blank, a directive (version:, labels:) or a
 * rule `NAME: CONDITION -> LABEL [weight W]`, whose condition the
 * parser of lib/rules_parse.c reads.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sift/file.h"
#include "rules_impl.h"

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
	if (sift_resize(&rs->labels, rs->nlabels + 1, sizeof *rs->labels))
		return -1;
	rs->labels[rs->nlabels].name = name;
	rs->labels[rs->nlabels].value = value;
	return (int)rs->nlabels++;
}

/* A vote is kept in a byte (0 for an abstention) by the label model
 * and the rule analysis. */
static int too_many_labels(struct parser *p)
{
	return rules_perr(p, p->at, "more than %d labels",
			  SIFT_RULES_MAX_LABELS);
}

/* labels: NAME [= VALUE] { , NAME [= VALUE] } */
static int parse_labels(struct parser *p, struct sift_rules *rs)
{
	int rc;

	if (rs->declared)
		return rules_perr(p, p->at, "the labels are declared twice");
	if (rs->n)
		return rules_perr(p, p->at,
				  "declare the labels before the rules");
	rs->declared = 1;
	do {
		char *name, *value;
		size_t n;

		if ((rc = rules_next(p)) != 0)
			return rc;
		if (p->tok != T_WORD && p->tok != T_NUM && p->tok != T_STR)
			return rules_expected(p, "a label");
		if (!(name = rules_tok_value(p, &n)))
			return p->err->code;
		if (find_label(rs, name) >= 0) {
			free(name);
			return rules_perr(p, p->at, "label declared twice");
		}
		if ((rc = rules_next(p)) == 0 && p->tok == T_EQ) {
			if ((rc = rules_next(p)) != 0 ||
			    (p->tok != T_WORD && p->tok != T_NUM &&
			     p->tok != T_STR)) {
				free(name);
				return rc ? rc
					  : rules_expected(p, "a label value");
			}
			value = rules_tok_value(p, &n);
			rc = value ? rules_next(p) : p->err->code;
		} else {
			value = strdup(name);
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
	return p->tok == T_EOL
		       ? 0
		       : rules_expected(p, "',' or the end of the line");
}

static int parse_version(struct parser *p)
{
	double v;
	int rc = rules_next(p);

	if (rc || (rc = rules_parse_number(p, &v)) != 0)
		return rc;
	if (v != SIFT_RULES_VERSION)
		return rules_perr(p, p->at,
				  "rules version %.*s is not supported "
				  "(this sift reads version %d)",
				  (int)(p->end - p->at), p->s + p->at,
				  SIFT_RULES_VERSION);
	if ((rc = rules_next(p)) != 0)
		return rc;
	return p->tok == T_EOL ? 0 : rules_expected(p, "the end of the line");
}

/* -> LABEL [weight W] */
static int parse_target(struct parser *p, struct sift_rules *rs, struct rule *r)
{
	char *name;
	size_t n, at;
	int rc;

	if (p->tok != T_ARROW)
		return rules_expected(p, "'and', 'or' or '-> LABEL'");
	if ((rc = rules_next(p)) != 0)
		return rc;
	if (p->tok != T_WORD && p->tok != T_NUM && p->tok != T_STR)
		return rules_expected(p, "a label after '->'");
	at = p->at;
	if (!(name = rules_tok_value(p, &n)))
		return p->err->code;
	r->label = find_label(rs, name);
	if (r->label < 0 && rs->declared) {
		char list[300] = "";

		for (size_t k = 0; k < rs->nlabels; k++)
			snprintf(list + strlen(list),
				 sizeof list - strlen(list), "%s%s",
				 k ? ", " : "", rs->labels[k].name);
		rc = rules_perr(p, at,
				"label '%s' is not declared (labels: %s)", name,
				list);
		free(name);
		return rc;
	}
	if (r->label < 0 && rs->nlabels >= SIFT_RULES_MAX_LABELS) {
		free(name);
		return too_many_labels(p);
	}
	if (r->label < 0) {
		char *value = sift_memdup_nul(name, n);

		if (!value || (r->label = add_label(rs, name, value)) < 0) {
			free(name);
			free(value);
			return sift_error_nomem(p->err);
		}
	} else {
		free(name);
	}
	if ((rc = rules_next(p)) != 0)
		return rc;
	if (rules_is_kw(p, "weight")) {
		if ((rc = rules_next(p)) != 0 ||
		    (rc = rules_parse_number(p, &r->weight)))
			return rc;
		if (!(r->weight > 0))
			return rules_perr(p, p->at, "a weight must be > 0");
		if ((rc = rules_next(p)) != 0)
			return rc;
	}
	return p->tok == T_EOL ? 0 : rules_expected(p, "the end of the line");
}

static int parse_rule(struct parser *p, struct sift_rules *rs, struct rule *r)
{
	size_t n;
	int rc;

	if (p->tok != T_WORD || rules_is_keyword(p))
		return rules_expected(p, "a rule name, 'labels:' or a comment");
	if (!(r->name = rules_tok_value(p, &n)))
		return p->err->code;
	for (size_t i = 0; i < rs->n; i++)
		if (strcmp(rs->rules[i].name, r->name) == 0)
			return rules_perr(p, p->at,
					  "rule '%s' is defined twice "
					  "(first on line %u)",
					  r->name, rs->rules[i].org->line);
	if ((rc = rules_next(p)) != 0)
		return rc;
	if (p->tok != T_COLON)
		return rules_expected(p, "':' after the rule name");
	if ((rc = rules_next(p)) != 0)
		return rc;
	if (p->tok == T_EOL || p->tok == T_ARROW)
		return rules_expected(p, "a condition");
	if ((rc = rules_parse_cond(p, &r->cond)) != 0)
		return rc;
	return parse_target(p, rs, r);
}

static int is_directive(struct parser *p, const char *kw)
{
	size_t save = p->pos;

	if (!rules_is_kw(p, kw))
		return 0;
	rules_skip_blanks(p);
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
	rules_node_free(r->cond);
	if (r->org)
		free(r->org->text);
	free(r->org);
}

/* One line of the file: nothing, a directive, or a rule. */
static int parse_line(struct sift_rules *rs, const char *s, size_t len,
		      unsigned lineno, struct sift_error *err)
{
	struct rule r = { 0 };
	struct parser p;
	int rc;

	r.weight = 1;
	if (!(r.org = calloc(1, sizeof *r.org)) ||
	    !(r.org->text = sift_memdup_nul(s, len))) {
		free(r.org);
		return sift_error_nomem(err);
	}
	r.org->path = rs->path;
	r.org->line = lineno;
	r.org->len = len;
	rules_parser_init(&p, r.org, rs->dir, err);
	rc = rules_next(&p);
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
	if (sift_grow(&rs->rules, &rs->cap, rs->n + 1, sizeof *rs->rules, 16)) {
		rc = sift_error_nomem(err);
		goto out;
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
		return strdup(".");
	return sift_memdup_nul(path,
			       slash == path ? 1 : (size_t)(slash - path));
}

/* Parse text, read from path; its phrase files are in dir. */
static struct sift_rules *parse_in(const char *text, size_t len,
				   const char *path, const char *dir,
				   struct sift_error *err)
{
	struct sift_rules *rs = calloc(1, sizeof *rs);
	unsigned lineno = 0;
	int rc = 0;

	if (!rs || !(rs->path = strdup(path)) || !(rs->dir = strdup(dir)) ||
	    rules_engine_init(&rs->eng)) {
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
		rc = sift_error_set(err, SIFT_EUSAGE,
				    "%s: no rules in the file", path);
	if (rc) {
		sift_rules_free(rs);
		return NULL;
	}
	return rs;
}

struct sift_rules *sift_rules_parse(const char *text, size_t len,
				    const char *path, struct sift_error *err)
{
	char *dir = dir_of(path);
	struct sift_rules *rs =
		dir ? parse_in(text, len, path, dir, err) : NULL;

	if (!dir)
		sift_error_nomem(err);
	free(dir);
	return rs;
}

/* A rules file is a page or two; a path such as /dev/zero must end in an
 * error, not in reading until memory runs out. */
#define MAX_RULES_FILE ((size_t)64 << 20)

struct sift_rules *sift_rules_load(const char *path, struct sift_error *err)
{
	size_t n;
	struct stat st;
	char *buf = sift_read_small_file(path, MAX_RULES_FILE, "rules file", &n,
					 err);
	struct sift_rules *rs = NULL;

	/* A rules file that is no file in a directory (a pipe, /dev/stdin
	 * whatever it reads, the shell's <(...)) names its phrase files in
	 * the current directory, not in /dev or /dev/fd. */
	if (buf && (strncmp(path, "/dev/", 5) == 0 ||
		    strncmp(path, "/proc/", 6) == 0 ||
		    (stat(path, &st) == 0 && !S_ISREG(st.st_mode))))
		rs = parse_in(buf, n, path, ".", err);
	else if (buf)
		rs = sift_rules_parse(buf, n, path, err);
	free(buf);
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
	rules_engine_free(&rs->eng);
	free(rs->path);
	free(rs->dir);
	free(rs);
}

int sift_rules_bind(struct sift_rules *rs, const char *const *colnames,
		    size_t ncols, struct sift_error *err)
{
	for (size_t i = 0; i < rs->n; i++) {
		int rc = rules_bind_node(rs->rules[i].cond, colnames, ncols,
					 err);

		if (rc)
			return rc;
	}
	return 0;
}

int sift_rules_eval(struct sift_rules *rs, sift_field_fn get, void *ctx,
		    int *votes, int *first_limited, struct sift_error *err)
{
	struct eval x = { &rs->eng, get, ctx, err, 0, NULL, "" };

	if (first_limited)
		*first_limited = -1;
	for (size_t i = 0; i < rs->n; i++) {
		int res = 0, rc;

		x.limited = 0;
		rc = rules_eval_node(&x, rs->rules[i].cond, &res);
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
