/*
 * sift/rules.h - the labeling-rules language of sift label (sift-rules(5))
 * and its conditions, which other commands reuse on their own.
 *
 * A rules file is line-oriented:
 *
 *     # misinformation.rules
 *     version: 1
 *     labels: misinfo = "1", ok = "0"
 *     hoax:     text ~ /\b(hoax|plandemic)\b/i            -> misinfo
 *     cure:     text ~ /miracle cure/i and not verified = "true" -> misinfo
 *     lexicon:  text ~ @conspiracy-words.txt               -> misinfo weight 2
 *     official: verified = "true" and followers >= 100000 -> ok
 *
 * Each rule is a labeling function: on a record its condition is true
 * (it votes its label) or not (it abstains). Conditions test a value (a
 * column, or a function of columns such as `len(text)` or
 * `month(created_at)`): regex match (PCRE2, JIT, match and depth limits)
 * and non-match, a phrase file (sift/phrases.h), string equality, a
 * boolean (`verified = true` matches true, True, TRUE, t and 1), numeric
 * comparison, membership in a list; and, or, not, parentheses.
 *
 * Life cycle: parse (syntax, regexes and phrase files are compiled and
 * checked; columns are names only), then bind to the data's columns
 * (a column the data lacks is an error), then evaluate record after
 * record through a field callback. Errors name file:line:column, quote
 * the line and put a caret under the offending text.
 *
 * Safety: a regex that exceeds the match or depth limit on a field
 * (catastrophic backtracking such as /(a+)+$/) is not an error: the
 * condition counts as "limited" and the rule abstains on that record;
 * sift_rules_limit_hits counts them. Invalid UTF-8 in the data is
 * matched as bytes that match nothing special (PCRE2_MATCH_INVALID_UTF).
 */
#ifndef SIFT_RULES_H
#define SIFT_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "sift/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The rules-file format version this library reads. */
#define SIFT_RULES_VERSION 1

/* The most labels a rules file may name. */
#define SIFT_RULES_MAX_LABELS 254

/* PCRE2 limits applied to every match: enough for any sane pattern on a
 * long field, small enough that a pathological one ends in milliseconds. */
#define SIFT_RULES_MATCH_LIMIT 1000000u
#define SIFT_RULES_DEPTH_LIMIT 10000u

/* How a condition reaches a record's fields: put field col (0-based) of
 * the current record in *s, *len (not NUL-terminated). Returns 0, or a
 * SIFT_E* code with err filled, which the evaluation passes up. */
typedef int (*sift_field_fn)(void *ctx, size_t col, const char **s, size_t *len,
			     struct sift_error *err);

/* ---- a single condition ------------------------------------------------ */

struct sift_cond;

/* Compile the condition text (the part of a rule between ':' and '->',
 * e.g. `text ~ /hoax/i and followers > 100`) against the columns named
 * colnames[0..ncols) (a column may also be named by its 1-based number).
 * Phrase files (@file) are read relative to base_dir, and then only
 * relative names without a ".." component are allowed, as in a rules
 * file; with base_dir NULL (a condition from the command line) any name,
 * relative to the current directory or absolute. origin names the text in
 * messages ("--where"). Returns NULL and fills err (SIFT_EUSAGE for a syntax
 * error or an invalid regex, SIFT_EDATA for a column the data lacks, SIFT_EIO
 * for an unreadable phrase file). */
struct sift_cond *sift_cond_compile(const char *text, const char *origin,
				    const char *const *colnames, size_t ncols,
				    const char *base_dir,
				    struct sift_error *err);

/* Evaluate c on the current record: *result = 1 (true) or 0 (false).
 * *limited (may be NULL) is set to 1 when a regex hit a PCRE2 limit, and
 * *result is then 0. Returns 0 or the error of get. */
int sift_cond_eval(struct sift_cond *c, sift_field_fn get, void *ctx,
		   int *result, int *limited, struct sift_error *err);

/* Free c; c may be NULL. */
void sift_cond_free(struct sift_cond *c);

/* ---- a single value ---------------------------------------------------- */

/* A value expression: a column, or a function of columns such as
 * `yearmonth(created_at)`, `lower(domain(url))`, `bin(followers, 1000)`
 * or `match(text, /#(\w+)/)` (sift-rules(5), VALUES). Commands accept
 * one wherever they take a column (see sift/colexpr.h). */
struct sift_value;

/* Compile the value text against colnames[0..ncols) (a column may also
 * be named by its 1-based number); origin names the text in messages
 * ("--by"). Returns NULL and fills err: SIFT_EUSAGE for a syntax error,
 * an unknown function or wrong arguments (with a caret), SIFT_EDATA for
 * a column the data lacks. */
struct sift_value *sift_value_compile(const char *text, const char *origin,
				      const char *const *colnames, size_t ncols,
				      struct sift_error *err);

/* Compute v on the current record: its bytes in *s, *len (valid until
 * the next evaluation of v or the next record). *missing is NULL, or the
 * reason v has no value on this record (e.g. "'soon' is not an ISO 8601
 * date or time (no four-digit year)"); *s is then "". Returns 0 or the
 * error of get. */
int sift_value_eval(struct sift_value *v, sift_field_fn get, void *ctx,
		    const char **s, size_t *len, const char **missing,
		    struct sift_error *err);

/* 1 and the column in *col if v is a plain column, else 0. */
int sift_value_is_column(const struct sift_value *v, size_t *col);

/* Free v; v may be NULL. */
void sift_value_free(struct sift_value *v);

/* ---- a rules file ------------------------------------------------------ */

struct sift_rules;

/* Parse a rules file held in text[0..len); path names it in messages and
 * its directory is where phrase files are found: a phrase file is named
 * relative to it, in it or below, never absolute nor with a ".."
 * component (an error at the name, SIFT_EUSAGE), since a rules file is
 * data that names no file elsewhere. Returns NULL and fills err
 * (SIFT_EUSAGE: a syntax error, an invalid regex, an undeclared label,
 * a duplicate rule, a file with no rules; SIFT_EIO, SIFT_ENOMEM). */
struct sift_rules *sift_rules_parse(const char *text, size_t len,
				    const char *path, struct sift_error *err);

/* Read and parse the rules file at path. A path that is not a regular
 * file (a pipe) or is under /dev or /proc (/dev/stdin, /dev/fd/N) has no
 * directory of its own: its phrase files are found in the current
 * directory, by the same rule. */
struct sift_rules *sift_rules_load(const char *path, struct sift_error *err);

/* Free rs; rs may be NULL. */
void sift_rules_free(struct sift_rules *rs);

/* Resolve every column the rules name against the data's columns (by
 * name, else by 1-based number). An unknown column is an error naming
 * the rules file's line and column and listing the available columns
 * (SIFT_EDATA, like every missing column). Must succeed before
 * sift_rules_eval. */
int sift_rules_bind(struct sift_rules *rs, const char *const *colnames,
		    size_t ncols, struct sift_error *err);

/* Evaluate every rule on the current record: votes[i] is the label id
 * (0..sift_rules_nlabels-1) rule i votes, or -1 when it abstains
 * (including when a regex hit a limit: see sift_rules_limit_hits).
 * *first_limited (may be NULL) gets the index of the first rule that hit
 * a limit on this record, or -1. Returns 0 or the error of get. */
int sift_rules_eval(struct sift_rules *rs, sift_field_fn get, void *ctx,
		    int *votes, int *first_limited, struct sift_error *err);

size_t sift_rules_count(const struct sift_rules *rs);
const char *sift_rules_path(const struct sift_rules *rs);
/* Rule i's name, its line in the rules file, its weight (1 unless
 * given) and its label id. */
const char *sift_rules_name(const struct sift_rules *rs, size_t i);
unsigned sift_rules_line(const struct sift_rules *rs, size_t i);
double sift_rules_weight(const struct sift_rules *rs, size_t i);
int sift_rules_label_of(const struct sift_rules *rs, size_t i);
/* Records on which rule i abstained because a regex hit a PCRE2 limit. */
uint64_t sift_rules_limit_hits(const struct sift_rules *rs, size_t i);

/* The label set: declared (`labels:`), else the rules' labels in order
 * of first appearance. A label has a name (used in the rules) and a
 * value (written to the data; the name unless declared `name = "value"`). */
size_t sift_rules_nlabels(const struct sift_rules *rs);
const char *sift_rules_label_name(const struct sift_rules *rs, size_t k);
const char *sift_rules_label_value(const struct sift_rules *rs, size_t k);

#ifdef __cplusplus
}
#endif

#endif
