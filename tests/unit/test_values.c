/* Unit tests of the value expressions of the condition language
 * (lib/rules_parse.c, lib/rules_funcs.c, lib/rules_eval.c): every
 * function, missing values, their use in conditions, booleans, and the
 * errors of a bad expression, with the caret. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sift/rules.h"
#include "testutil.h"

static const char *const cols[] = { "t", "x", "url", "name" };

struct rec {
	const char *v[4];
};

static int get(void *ctx, size_t col, const char **s, size_t *len,
	       struct sift_error *err)
{
	const struct rec *r = ctx;

	(void)err;
	*s = r->v[col];
	*len = strlen(r->v[col]);
	return 0;
}

/* The value of expr on the record (t, x, url, name), as a string in a
 * static buffer; "<missing: REASON>" when it is missing. */
static const char *value4(const char *expr, const char *t, const char *x,
			  const char *url, const char *name)
{
	static char out[400];
	struct sift_error err;
	struct sift_value *v = sift_value_compile(expr, "--by", cols, 4, &err);
	struct rec r = { { t, x, url, name } };
	const char *s, *missing;
	size_t len;

	if (!v)
		fail_msg("%s: %s", expr, err.msg);
	assert_int_equal(sift_value_eval(v, get, &r, &s, &len, &missing, &err),
			 0);
	if (missing)
		snprintf(out, sizeof out, "<missing: %s>", missing);
	else
		snprintf(out, sizeof out, "%.*s", (int)len, s);
	sift_value_free(v);
	return out;
}

static const char *on_t(const char *expr, const char *t)
{
	return value4(expr, t, "0", "", "");
}

static const char *on_x(const char *expr, const char *x)
{
	return value4(expr, "", x, "", "");
}

static void text_functions(void **state)
{
	(void)state;
	assert_string_equal(on_t("lower(t)", "MiXeD \xC3\x89"),
			    "mixed \xC3\x89");
	assert_string_equal(on_t("upper(t)", "abc"), "ABC");
	assert_string_equal(on_t("trim(t)", " \t a b \r\n"), "a b");
	assert_string_equal(on_t("len(t)", "caf\xC3\xA9"), "4");
	assert_string_equal(on_t("length(t)", ""), "0");
	assert_string_equal(on_t("len(t)", "\xFF\xFE"), "2");
	assert_string_equal(on_t("substr(t, 2, 3)", "abcdef"), "bcd");
	assert_string_equal(on_t("substr(t, 2)", "abcdef"), "bcdef");
	assert_string_equal(on_t("substr(t, -2)", "abcdef"), "ef");
	assert_string_equal(on_t("substr(t, -8, 3)", "abcdef"), "a");
	assert_string_equal(on_t("substr(t, 9)", "abc"), "");
	assert_string_equal(on_t("substr(t, 2, 1)", "\xC3\xA9\xC3\xA8x"),
			    "\xC3\xA8");
	assert_string_equal(on_t("prefix(t, 3)", "abcdef"), "abc");
	assert_string_equal(on_t("prefix(t, 9)", "ab"), "ab");
	assert_string_equal(on_t("suffix(t, 2)", "abcdef"), "ef");
	assert_string_equal(on_t("suffix(t, 0)", "abc"), "");
	assert_string_equal(on_t("lower(prefix(t, 2))", "ABC"), "ab");
	assert_string_equal(on_t("`t`", "as is"), "as is");
	assert_string_equal(on_t("1", "by number"), "by number");
}

static void regex_functions(void **state)
{
	(void)state;
	assert_string_equal(on_t("match(t, /#(\\w+)/)", "so #hoax, yes"),
			    "hoax");
	assert_string_equal(on_t("match(t, /#\\w+/)", "so #hoax, yes"),
			    "#hoax");
	assert_string_equal(on_t("match(t, /(a)(b)/, 2)", "xab"), "b");
	assert_string_equal(on_t("match(t, /(a)(b)/, 0)", "xab"), "ab");
	assert_string_equal(on_t("match(t, /#(\\w+)/)", "nothing"), "");
	assert_string_equal(on_t("match(t, /(x)|y/)", "y"), "");
	assert_string_equal(on_t("match(t, /HOAX/i)", "a hoax"), "hoax");
	assert_string_equal(on_t("replace(t, /\\s+/, \" \")", "a  b\t\tc"),
			    "a b c");
	assert_string_equal(
		on_t("replace(t, /(\\w+)@/, \"$1 at \")", "me@x me@y"),
		"me at x me at y");
	assert_string_equal(
		on_t("match(t, /(a+)+$/)",
		     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"),
		"<missing: the regex failed: match limit exceeded>");
}

static void domains(void **state)
{
	(void)state;
	assert_string_equal(
		on_t("domain(t)", "see https://News.Example.com/a?b"),
		"news.example.com");
	assert_string_equal(on_t("domain(t)", "http://user@host.org:8080/x"),
			    "host.org");
	assert_string_equal(on_t("domain(t)", "Jane <jane@Mail.Example.org>"),
			    "mail.example.org");
	assert_string_equal(on_t("domain(t)", "example.com/path"),
			    "example.com");
	assert_string_equal(on_t("domain(t)", ""),
			    "<missing: no domain in ''>");
}

static void times(void **state)
{
	const char *t = "2023-05-17T13:04:59Z";

	(void)state;
	assert_string_equal(on_t("year(t)", t), "2023");
	assert_string_equal(on_t("month(t)", t), "5");
	assert_string_equal(on_t("day(t)", t), "17");
	assert_string_equal(on_t("hour(t)", t), "13");
	assert_string_equal(on_t("minute(t)", t), "4");
	assert_string_equal(on_t("second(t)", t), "59");
	assert_string_equal(on_t("weekday(t)", t), "3");
	assert_string_equal(on_t("date(t)", t), "2023-05-17");
	assert_string_equal(on_t("yearmonth(t)", t), "2023-05");
	assert_string_equal(on_t("strftime(t, \"%Y/W%V %a\")", t),
			    "2023/W20 Wed");
	assert_string_equal(on_t("epoch(t)", t), "1684328699");
	assert_string_equal(on_x("utc(x)", "1684328699"),
			    "2023-05-17T13:04:59Z");
	assert_string_equal(on_x("yearmonth(utc(x))", "1684328699.5"),
			    "2023-05");
	assert_string_equal(on_t("hour(t)", "2023-05-17T23:30:00-02:00"), "1");
	assert_string_equal(on_t("date(t)", "2023-05-17T23:30:00-02:00"),
			    "2023-05-18");
	assert_string_equal(on_t("yearmonth(t)", "2023-05"), "2023-05");
	assert_string_equal(on_t("year(t)", "yesterday"),
			    "<missing: 'yesterday' is not an ISO 8601 date or "
			    "time (no four-digit year)>");
	assert_string_equal(on_t("hour(t)", "2023-05-17"),
			    "<missing: '2023-05-17' has no time of day>");
	assert_string_equal(on_t("day(t)", "2023-05"),
			    "<missing: '2023-05' has no day>");
	assert_string_equal(on_x("utc(x)", "1e20"),
			    "<missing: 1e20 seconds since 1970 is beyond the "
			    "year 9999>");
}

static void numbers(void **state)
{
	(void)state;
	assert_string_equal(on_x("bin(x, 1000)", "2345"), "2000");
	assert_string_equal(on_x("bin(x, 1000)", "-1"), "-1000");
	assert_string_equal(on_x("bin(x, 0.5)", "1.7"), "1.5");
	assert_string_equal(on_x("bin(x, 10, 5)", "14"), "5");
	assert_string_equal(on_x("bin(x, 10)", "n/a"),
			    "<missing: 'n/a' is not a number>");
	assert_string_equal(on_x("cut(x, 10, 100, 1e3)", "9"), "<10");
	assert_string_equal(on_x("cut(x, 10, 100, 1e3)", "10"), "[10,100)");
	assert_string_equal(on_x("cut(x, 10, 100, 1e3)", "999.9"), "[100,1e3)");
	assert_string_equal(on_x("cut(x, 10, 100, 1e3)", "1000"), ">=1e3");
	assert_string_equal(on_x("bin(len(x), 10)", "abcdefghijkl"), "10");
}

static void coalesce_and_missing(void **state)
{
	(void)state;
	assert_string_equal(
		value4("coalesce(yearmonth(t), \"none\")", "soon", "", "", ""),
		"none");
	assert_string_equal(
		value4("coalesce(name, url, \"-\")", "", "", "u", ""), "u");
	assert_string_equal(value4("coalesce(name, url)", "", "", "", ""), "");
	/* a missing argument makes the call missing, with its reason */
	assert_string_equal(on_t("lower(yearmonth(t))", "x"),
			    "<missing: 'x' is not an ISO 8601 date or time (no "
			    "four-digit year)>");
}

static int holds(const char *cond, const char *t, const char *x)
{
	struct sift_error err;
	struct sift_cond *c = sift_cond_compile(cond, "w", cols, 4, NULL, &err);
	struct rec r = { { t, x, "", "" } };
	int res = -1;

	if (!c)
		fail_msg("%s: %s", cond, err.msg);
	assert_int_equal(sift_cond_eval(c, get, &r, &res, NULL, &err), 0);
	sift_cond_free(c);
	return res;
}

static void in_conditions(void **state)
{
	(void)state;
	assert_true(holds("len(t) > 3", "abcd", ""));
	assert_false(holds("len(t) > 3", "abc", ""));
	assert_true(holds("month(t) in (11, 12)", "2023-12-01", ""));
	assert_true(holds("lower(t) = \"yes\"", "YeS", ""));
	assert_true(holds("domain(t) ~ /\\.org$/", "https://a.org/x", ""));
	/* a test on a missing value is false, its negation true */
	assert_false(holds("month(t) = 5", "soon", ""));
	assert_true(holds("month(t) != 5", "soon", ""));
	assert_false(holds("year(t) ~ /./", "soon", ""));
	assert_true(holds("year(t) !~ /./", "soon", ""));
	assert_false(holds("year(t) >= 0", "soon", ""));
}

static void booleans(void **state)
{
	static const char *const yes[] = { "true", "True", "TRUE", "t", "1" };
	static const char *const no[] = { "false", "False", "FALSE", "f", "0" };

	(void)state;
	for (size_t i = 0; i < 5; i++) {
		assert_true(holds("x = true", "", yes[i]));
		assert_false(holds("x = true", "", no[i]));
		assert_true(holds("x = false", "", no[i]));
		assert_true(holds("x == TRUE", "", yes[i]));
		assert_true(holds("x != true", "", no[i]));
		assert_true(holds("x = False", "", no[i]));
	}
	assert_false(holds("x = true", "", "yes"));
	assert_false(holds("x = false", "", ""));
	assert_true(holds("x != true", "", "yes"));
	/* quoted, the comparison stays exact */
	assert_false(holds("x = \"true\"", "", "True"));
	assert_true(holds("x = \"True\"", "", "True"));
}

static const char *value_error(const char *expr, int code)
{
	static struct sift_error err;
	struct sift_value *v = sift_value_compile(expr, "--by", cols, 4, &err);

	assert_null(v);
	assert_int_equal(err.code, code);
	return err.msg;
}

static void errors(void **state)
{
	(void)state;
	assert_string_equal(value_error("mnth(t)", SIFT_EUSAGE),
			    "--by:1:1: no function 'mnth' (did you mean "
			    "'month'?) (functions: lower, "
			    "upper, trim, len, length, substr, prefix, suffix, "
			    "match, replace, domain, coalesce, year, month, "
			    "day, hour, minute, second, weekday, date, "
			    "yearmonth, strftime, epoch, utc, bin, cut)\n"
			    "    mnth(t)\n    ^");
	assert_string_equal(
		value_error("month(tt)", SIFT_EDATA),
		"--by:1:7: no column 'tt' in the data (did you mean "
		"'t'?) (columns: t, x, url, name)\n    month(tt)\n"
		"          ^");
	assert_string_equal(value_error("month(t", SIFT_EUSAGE),
			    "--by:1:8: expected ',' or ')', found the end of "
			    "the line\n    month(t\n           ^");
	assert_string_equal(value_error("month(t, x)", SIFT_EUSAGE),
			    "--by:1:10: month() takes 1 argument\n"
			    "    month(t, x)\n             ^");
	assert_string_equal(value_error("substr(t)", SIFT_EUSAGE),
			    "--by:1:9: substr() takes at least 2 arguments\n"
			    "    substr(t)\n            ^");
	assert_string_equal(value_error("substr(t, 0)", SIFT_EUSAGE),
			    "--by:1:11: substr(): positions start at 1 (or -1 "
			    "for the last character)\n    substr(t, 0)\n"
			    "              ^");
	assert_string_equal(value_error("prefix(t, x)", SIFT_EUSAGE),
			    "--by:1:11: expected a number, found 'x'\n"
			    "    prefix(t, x)\n              ^");
	assert_string_equal(value_error("prefix(t, 1.5)", SIFT_EUSAGE),
			    "--by:1:11: prefix(): expected a whole number from "
			    "0 to 1000000000\n    prefix(t, 1.5)\n"
			    "              ^");
	assert_string_equal(value_error("match(t, \"x\")", SIFT_EUSAGE),
			    "--by:1:10: expected a /regex/, found '\"x\"'\n"
			    "    match(t, \"x\")\n             ^");
	assert_string_equal(value_error("lower(/x/)", SIFT_EUSAGE),
			    "--by:1:7: expected a column or a value, found a "
			    "/regex/\n    lower(/x/)\n          ^");
	assert_string_equal(
		value_error("match(t, /a/, 1)", SIFT_EUSAGE),
		"--by:1:15: match(): expected a whole number from 0 "
		"to 0\n    match(t, /a/, 1)\n                  ^");
	assert_string_equal(value_error("bin(x, 0)", SIFT_EUSAGE),
			    "--by:1:8: bin(): the width must be > 0\n"
			    "    bin(x, 0)\n           ^");
	assert_string_equal(value_error("cut(x, 10, 5)", SIFT_EUSAGE),
			    "--by:1:12: cut(): the edges must increase\n"
			    "    cut(x, 10, 5)\n               ^");
	assert_string_equal(value_error("t x", SIFT_EUSAGE),
			    "--by:1:3: expected the end of the value, found "
			    "'x'\n    t x\n      ^");
	assert_string_equal(value_error("match(t, /(/)", SIFT_EUSAGE),
			    "--by:1:12: invalid regex: missing closing "
			    "parenthesis (at offset 1)\n    match(t, /(/)\n"
			    "               ^");
}

/* Nesting deeper than the limit is an error at the first level too
 * deep, never a stack overflow; a long chain of `and` is not nesting. */
static void nesting_is_bounded(void **state)
{
	enum { DEEP = 50000 };
	char *cond = malloc(DEEP * 16 + 64), *p = cond;
	struct sift_error err;
	struct sift_cond *c;

	(void)state;
	for (int i = 0; i < DEEP; i++)
		p += sprintf(p, "not ");
	strcpy(p, "t = 1");
	c = sift_cond_compile(cond, "w", cols, 4, NULL, &err);
	assert_null(c);
	assert_non_null(strstr(err.msg, "w:1:1025: nested more than 256 "
					"levels deep"));
	p = cond;
	for (int i = 0; i < DEEP; i++)
		*p++ = '(';
	strcpy(p, "t = 1");
	assert_null(sift_cond_compile(cond, "w", cols, 4, NULL, &err));
	assert_non_null(strstr(err.msg, "w:1:257: nested more than 256 "
					"levels deep"));
	p = cond;
	for (int i = 0; i < DEEP; i++)
		p += sprintf(p, "lower(");
	strcpy(p, "t");
	assert_null(sift_value_compile(cond, "--by", cols, 4, &err));
	assert_non_null(strstr(err.msg, "--by:1:1537: nested more than 256 "
					"levels deep"));
	p = cond;
	for (int i = 0; i < DEEP; i++)
		p += sprintf(p, "t = %d and ", i);
	strcpy(p, "t = 1");
	c = sift_cond_compile(cond, "w", cols, 4, NULL, &err);
	assert_non_null(c);
	sift_cond_free(c);
	free(cond);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_functions),
		cmocka_unit_test(regex_functions),
		cmocka_unit_test(domains),
		cmocka_unit_test(times),
		cmocka_unit_test(numbers),
		cmocka_unit_test(coalesce_and_missing),
		cmocka_unit_test(in_conditions),
		cmocka_unit_test(booleans),
		cmocka_unit_test(errors),
		cmocka_unit_test(nesting_is_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
