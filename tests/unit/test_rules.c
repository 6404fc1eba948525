/* Unit tests of lib/rules.c: every operator of the condition language,
 * the rules-file parser and its error messages, and the regex limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sift/rules.h"
#include "testutil.h"

static const char *const cols[] = { "text", "verified", "followers", "lang" };

/* A record: one value per column of cols. */
struct rec {
	const char *v[4];
	size_t len[4]; /* 0: strlen */
};

static int get(void *ctx, size_t col, const char **s, size_t *len,
	       struct sift_error *err)
{
	const struct rec *r = ctx;

	(void)err;
	*s = r->v[col];
	*len = r->len[col] ? r->len[col] : strlen(r->v[col]);
	return 0;
}

/* Is the condition true on the record (text, verified, followers, lang)? */
static int holds(const char *cond, const char *text, const char *verified,
		 const char *followers, const char *lang)
{
	struct sift_error err;
	struct sift_cond *c =
		sift_cond_compile(cond, "test", cols, 4, NULL, &err);
	struct rec r = { { text, verified, followers, lang }, { 0 } };
	int res = -1, lim = -1;

	if (!c)
		fail_msg("%s: %s", cond, err.msg);
	assert_int_equal(sift_cond_eval(c, get, &r, &res, &lim, &err), 0);
	assert_int_equal(lim, 0);
	sift_cond_free(c);
	return res;
}

static int on_text(const char *cond, const char *text)
{
	return holds(cond, text, "false", "10", "en");
}

static void regex_operators(void **state)
{
	(void)state;
	assert_true(on_text("text ~ /hoax/", "a hoax"));
	assert_false(on_text("text ~ /hoax/", "a HOAX"));
	assert_true(on_text("text ~ /hoax/i", "a HOAX"));
	assert_true(on_text("text !~ /hoax/", "fine"));
	assert_false(on_text("text !~ /hoax/i", "Hoax"));
	assert_true(on_text("text ~ /^b$/m", "a\nb\nc"));
	assert_false(on_text("text ~ /^b$/", "a\nb\nc"));
	assert_true(on_text("text ~ /a.b/s", "a\nb"));
	assert_false(on_text("text ~ /a.b/", "a\nb"));
	assert_true(on_text("text ~ /h o a x # comment/x", "hoax"));
	assert_true(on_text("text ~ /^\\w+$/u", "caf\xC3\xA9"));
	assert_false(on_text("text ~ /^\\w+$/", "caf\xC3\xA9"));
	assert_true(on_text("text ~ /a\\/b/", "a/b"));
	assert_true(on_text("text ~ /^.$/", "\xC3\xA9")); /* UTF-8 aware */
	assert_true(on_text("`text` ~ /x/", "x"));
	assert_true(on_text("1 ~ /x/", "x")); /* a column by number */
}

static void invalid_utf8_never_fails(void **state)
{
	(void)state;
	assert_true(on_text("text ~ /hoax/i", "\xFF\xFE hoax \xC3"));
	assert_false(on_text("text ~ /^.+$/", "\xFF"));
	assert_true(on_text("text ~ /b/", "\xC3(b"));
}

static void comparisons(void **state)
{
	(void)state;
	assert_true(holds("verified = \"true\"", "", "true", "1", ""));
	assert_true(holds("verified == true", "", "true", "1", ""));
	assert_false(holds("verified = \"true\"", "", "True", "1", ""));
	assert_true(holds("verified != \"true\"", "", "false", "1", ""));
	assert_true(holds("followers >= 100000", "", "", "100000", ""));
	assert_false(holds("followers > 100000", "", "", "100000", ""));
	assert_true(holds("followers < 1e3", "", "", "999.5", ""));
	assert_true(holds("followers <= -1", "", "", "-1", ""));
	assert_true(holds("followers = 7", "", "", "7.0", ""));
	assert_true(holds("followers != 7", "", "", "8", ""));
	/* a field that is no number: every comparison is false but != */
	assert_false(holds("followers < 5", "", "", "n/a", ""));
	assert_false(holds("followers >= 5", "", "", "", ""));
	assert_true(holds("followers != 5", "", "", "n/a", ""));
	assert_true(holds("lang in (en, \"fr\", 3)", "", "", "", "fr"));
	assert_true(holds("lang in (en, \"fr\", 3)", "", "", "", "3"));
	assert_false(holds("lang in (en, fr)", "", "", "", "de"));
	assert_true(holds("lang not in (en, fr)", "", "", "", "de"));
}

static void logic(void **state)
{
	(void)state;
	assert_true(on_text("text ~ /a/ and text ~ /b/", "ab"));
	assert_false(on_text("text ~ /a/ and text ~ /b/", "a"));
	assert_true(on_text("text ~ /a/ or text ~ /b/", "b"));
	assert_false(on_text("not text ~ /a/", "a"));
	assert_true(on_text("not not text ~ /a/", "a"));
	/* and binds tighter than or */
	assert_true(on_text("text ~ /a/ or text ~ /b/ and text ~ /c/", "a"));
	assert_false(on_text("(text ~ /a/ or text ~ /b/) and text ~ /c/", "a"));
	assert_true(
		holds("verified = \"true\" and (followers > 5 or lang = en)",
		      "", "true", "1", "en"));
}

static void phrase_files(void **state)
{
	char *path = tmpfile_str("miracle cure\nplandemic\n");
	char cond[256];

	(void)state;
	snprintf(cond, sizeof cond, "text ~ @%s", path);
	assert_true(on_text(cond, "a MIRACLE cure!"));
	assert_false(on_text(cond, "miracle cures"));
	snprintf(cond, sizeof cond, "text !~ @\"%s\"", path);
	assert_true(on_text(cond, "nothing"));
	unlink(path);
	free(path);
}

/* A rules file names phrase files beside it only; a condition from the
 * command line names any. */
static void phrase_files_of_a_rules_file_stay_beside_it(void **state)
{
	static const char *const outside[] = { "/etc/passwd", "../x.txt",
					       "a/../../x.txt", "a/..", ".." };
	char *path = tmpfile_str("miracle\n");
	char text[512], cond[256];
	struct sift_error err;

	(void)state;
	for (size_t i = 0; i < sizeof outside / sizeof *outside; i++) {
		snprintf(text, sizeof text, "r: text ~ @%s -> x\n", outside[i]);
		assert_null(sift_rules_parse(text, strlen(text), "d/t.rules",
					     &err));
		assert_int_equal(err.code, SIFT_EUSAGE);
		assert_non_null(strstr(err.msg, "a phrase file outside the "
						"rules file's directory"));
	}
	/* a name that only starts with dots is a name in the directory */
	snprintf(text, sizeof text, "r: text ~ @..x.txt -> x\n");
	assert_null(sift_rules_parse(text, strlen(text), "d/t.rules", &err));
	assert_non_null(strstr(err.msg, "d/..x.txt: cannot open"));
	snprintf(cond, sizeof cond, "text ~ @%s", path);
	assert_true(on_text(cond, "a miracle"));
	unlink(path);
	free(path);
}

/* The message of compiling cond, which must fail. */
static const char *cond_error(const char *cond)
{
	static struct sift_error err;
	struct sift_cond *c = sift_cond_compile(cond, "w", cols, 4, NULL, &err);

	assert_null(c);
	return err.msg;
}

static void condition_errors(void **state)
{
	(void)state;
	assert_string_equal(cond_error("text ~ hoax"),
			    "w:1:8: expected a /regex/ or @file, found 'h'\n"
			    "    text ~ hoax\n"
			    "           ^");
	assert_string_equal(
		cond_error("text ~ /(a/"),
		"w:1:11: invalid regex: missing closing parenthesis "
		"(at offset 2)\n"
		"    text ~ /(a/\n"
		"              ^");
	assert_string_equal(
		cond_error("text ~ /a/q"),
		"w:1:11: unknown regex flag 'q' (flags: i, m, s, x, "
		"u)\n    text ~ /a/q\n              ^");
	assert_string_equal(cond_error("text ~ /a"),
			    "w:1:8: unterminated regex (a '/' is missing)\n"
			    "    text ~ /a\n           ^");
	assert_string_equal(cond_error("txt = 1"),
			    "w:1:1: no column 'txt' in the data (did you mean "
			    "'text'?) (columns: text, verified, followers, "
			    "lang)\n    txt = 1\n    ^");
	assert_string_equal(cond_error("(text ~ /a/"),
			    "w:1:1: unclosed '('\n    (text ~ /a/\n    ^");
	assert_string_equal(cond_error("followers > many"),
			    "w:1:13: expected a number, found 'many'\n"
			    "    followers > many\n                ^");
	assert_string_equal(cond_error("text ~ /a/ xor text ~ /b/"),
			    "w:1:12: expected 'and', 'or' or the end, found "
			    "'xor'\n    text ~ /a/ xor text ~ /b/\n"
			    "               ^");
	assert_string_equal(cond_error("verified = \"true"),
			    "w:1:12: unterminated string\n"
			    "    verified = \"true\n               ^");
	assert_string_equal(cond_error("lang in en"),
			    "w:1:9: expected '(' and a list, found 'en'\n"
			    "    lang in en\n            ^");
	assert_string_equal(cond_error("text $ 1"),
			    "w:1:6: unexpected character '$'\n"
			    "    text $ 1\n         ^");
	assert_string_equal(cond_error("and"),
			    "w:1:1: expected a column name, found 'and'\n"
			    "    and\n    ^");
	assert_non_null(strstr(cond_error("text ~ @/nonexistent/w.txt"),
			       "w:1:8: /nonexistent/w.txt: cannot open"));
}

/* Catastrophic backtracking ends at the match limit: the rule abstains. */
static void pathological_regex_is_bounded(void **state)
{
	enum { N = 100000 };
	char *text = malloc(N + 2);
	struct sift_error err;
	struct sift_cond *c =
		sift_cond_compile("text ~ /(a+)+$/", "w", cols, 4, NULL, &err);
	struct rec r = { { text, "", "", "" }, { N + 1, 1, 1, 1 } };
	int res = 1, lim = 0;

	(void)state;
	memset(text, 'a', N);
	text[N] = 'b';
	text[N + 1] = '\0';
	assert_non_null(c);
	assert_int_equal(sift_cond_eval(c, get, &r, &res, &lim, &err), 0);
	assert_int_equal(lim, 1);
	assert_int_equal(res, 0);
	sift_cond_free(c);
	free(text);
}

static struct sift_rules *parse(const char *text, struct sift_error *err)
{
	return sift_rules_parse(text, strlen(text), "t.rules", err);
}

static void rules_files(void **state)
{
	struct sift_error err;
	struct sift_rules *rs = parse(
		"# comment\n\nversion: 1\nlabels: misinfo = \"1\", ok = 0\n"
		"hoax: text ~ /hoax/i -> misinfo   # trailing comment\n"
		"  official : verified = \"true\" -> ok weight 2.5\r\n"
		"dup-name_2: followers > 5 -> misinfo\n",
		&err);
	struct rec r = { { "HOAX", "true", "9", "" }, { 0 } };
	int votes[3], lim;

	(void)state;
	if (!rs)
		fail_msg("%s", err.msg);
	assert_int_equal(sift_rules_count(rs), 3);
	assert_int_equal(sift_rules_nlabels(rs), 2);
	assert_string_equal(sift_rules_label_name(rs, 0), "misinfo");
	assert_string_equal(sift_rules_label_value(rs, 0), "1");
	assert_string_equal(sift_rules_label_value(rs, 1), "0");
	assert_string_equal(sift_rules_name(rs, 1), "official");
	assert_int_equal(sift_rules_line(rs, 1), 6);
	assert_float_equal(sift_rules_weight(rs, 1), 2.5, 0);
	assert_float_equal(sift_rules_weight(rs, 0), 1, 0);
	assert_string_equal(sift_rules_name(rs, 2), "dup-name_2");
	assert_int_equal(sift_rules_bind(rs, cols, 4, &err), 0);
	assert_int_equal(sift_rules_eval(rs, get, &r, votes, &lim, &err), 0);
	assert_int_equal(votes[0], 0);
	assert_int_equal(votes[1], 1);
	assert_int_equal(votes[2], 0);
	assert_int_equal(lim, -1);
	r.v[0] = "fine";
	r.v[2] = "1";
	assert_int_equal(sift_rules_eval(rs, get, &r, votes, &lim, &err), 0);
	assert_int_equal(votes[0], -1);
	assert_int_equal(votes[2], -1);
	sift_rules_free(rs);
}

static void undeclared_labels_in_order(void **state)
{
	struct sift_error err;
	struct sift_rules *rs = parse("a: text ~ /x/ -> spam\n"
				      "b: text ~ /y/ -> ham\n"
				      "c: text ~ /z/ -> spam\n",
				      &err);

	(void)state;
	assert_non_null(rs);
	assert_int_equal(sift_rules_nlabels(rs), 2);
	assert_string_equal(sift_rules_label_value(rs, 0), "spam");
	assert_int_equal(sift_rules_label_of(rs, 2), 0);
	assert_int_equal(sift_rules_label_of(rs, 1), 1);
	sift_rules_free(rs);
}

static const char *rules_error(const char *text)
{
	static struct sift_error err;

	assert_null(parse(text, &err));
	return err.msg;
}

static void rules_errors(void **state)
{
	struct sift_error err;
	struct sift_rules *rs;

	(void)state;
	assert_string_equal(
		rules_error("labels: a, b\nr: text ~ /x/ -> c\n"),
		"t.rules:2:18: label 'c' is not declared (labels: "
		"a, b)\n    r: text ~ /x/ -> c\n                     ^");
	assert_string_equal(rules_error("r: text ~ /x/ spam\n"),
			    "t.rules:1:15: expected 'and', 'or' or '-> LABEL', "
			    "found 'spam'\n    r: text ~ /x/ spam\n"
			    "                  ^");
	assert_string_equal(rules_error("r text ~ /x/ -> a\n"),
			    "t.rules:1:3: expected ':' after the rule name, "
			    "found 'text'\n    r text ~ /x/ -> a\n      ^");
	assert_string_equal(rules_error("r: -> a\n"),
			    "t.rules:1:4: expected a condition, found '->'\n"
			    "    r: -> a\n       ^");
	assert_string_equal(rules_error("r: text ~ /x/ ->\n"),
			    "t.rules:1:17: expected a label after '->', found "
			    "the end of the line\n    r: text ~ /x/ ->\n"
			    "                    ^");
	assert_string_equal(rules_error("r: text ~ /x/ -> a weight 0\n"),
			    "t.rules:1:27: a weight must be > 0\n"
			    "    r: text ~ /x/ -> a weight 0\n"
			    "                              ^");
	assert_string_equal(rules_error("r: text ~ /x/ -> a\n"
					"r: text ~ /y/ -> a\n"),
			    "t.rules:2:1: rule 'r' is defined twice (first on "
			    "line 1)\n    r: text ~ /y/ -> a\n    ^");
	assert_string_equal(rules_error("r: text ~ /x/ -> a\nlabels: a\n"),
			    "t.rules:2:1: declare the labels before the rules\n"
			    "    labels: a\n    ^");
	assert_string_equal(rules_error("version: 2\n"),
			    "t.rules:1:10: rules version 2 is not supported "
			    "(this sift reads version 1)\n    version: 2\n"
			    "             ^");
	assert_string_equal(rules_error("# nothing\n\n"),
			    "t.rules: no rules in the file");
	assert_string_equal(rules_error("labels: a, a\n"),
			    "t.rules:1:12: label declared twice\n"
			    "    labels: a, a\n               ^");
	/* the first error of the file is reported; tabs keep the caret
	 * aligned */
	assert_string_equal(
		rules_error("ok: text ~ /x/ -> a\n"
			    "\tbad:\ttext ~ /[/ -> a\n"),
		"t.rules:2:16: invalid regex: missing terminating ] "
		"for character class (at offset 1)\n"
		"    \tbad:\ttext ~ /[/ -> a\n"
		"    \t    \t         ^");
	/* unknown columns are found when binding */
	rs = parse("r: txt ~ /x/ -> a\n", &err);
	assert_non_null(rs);
	assert_int_equal(sift_rules_bind(rs, cols, 4, &err), SIFT_EDATA);
	assert_string_equal(
		err.msg, "t.rules:1:4: no column 'txt' in the data (did you "
			 "mean 'text'?) (columns: text, verified, followers, "
			 "lang)\n"
			 "    r: txt ~ /x/ -> a\n       ^");
	sift_rules_free(rs);
	assert_null(sift_rules_load("/nonexistent.rules", &err));
	assert_int_equal(err.code, SIFT_EIO);
	/* An endless file ends in an error at a size cap. */
	assert_null(sift_rules_load("/dev/zero", &err));
	assert_int_equal(err.code, SIFT_EUSAGE);
	assert_string_equal(err.msg, "/dev/zero: larger than 64 MiB: not a "
				     "rules file");
	/* A directory: the same class of error, not a "read error". */
	assert_null(sift_rules_load("/tmp", &err));
	assert_int_equal(err.code, SIFT_EUSAGE);
	assert_string_equal(err.msg, "/tmp: a directory, not a rules file");
}

static void limits_are_counted(void **state)
{
	enum { N = 50000 };
	char *text = malloc(N + 2);
	struct sift_error err;
	struct sift_rules *rs = parse("ok: text ~ /a/ -> x\n"
				      "bad: text ~ /(a+)+$/ -> y\n",
				      &err);
	struct rec r = { { text, "", "", "" }, { N + 1, 1, 1, 1 } };
	int votes[2], lim;

	(void)state;
	memset(text, 'a', N);
	text[N] = 'b';
	assert_int_equal(sift_rules_bind(rs, cols, 4, &err), 0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(
			sift_rules_eval(rs, get, &r, votes, &lim, &err), 0);
		assert_int_equal(votes[0], 0);
		assert_int_equal(votes[1], -1);
		assert_int_equal(lim, 1);
	}
	assert_int_equal(sift_rules_limit_hits(rs, 1), 3);
	assert_int_equal(sift_rules_limit_hits(rs, 0), 0);
	sift_rules_free(rs);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(regex_operators),
		cmocka_unit_test(invalid_utf8_never_fails),
		cmocka_unit_test(comparisons),
		cmocka_unit_test(logic),
		cmocka_unit_test(phrase_files),
		cmocka_unit_test(phrase_files_of_a_rules_file_stay_beside_it),
		cmocka_unit_test(condition_errors),
		cmocka_unit_test(pathological_regex_is_bounded),
		cmocka_unit_test(rules_files),
		cmocka_unit_test(undeclared_labels_in_order),
		cmocka_unit_test(rules_errors),
		cmocka_unit_test(limits_are_counted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
