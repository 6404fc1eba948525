/*
 * lib/rules_funcs.c - the functions of value expressions (sift-rules(5),
 * VALUES): what users stratify, hash and group by without running
 * another tool first, such as the month of a timestamp, the domain of a
 * URL, a bin of a number.
 *
 * A function gets its arguments' values on a record and writes its
 * result into the call's buffer. Unless it says otherwise (coalesce), a
 * call with a missing argument is missing too, with that argument's
 * reason. Text is UTF-8: lengths and positions count characters (a byte
 * that is not valid UTF-8 counts as one); case mapping is ASCII.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "rules_impl.h"
#include "sift/isotime.h"
#include "sift/nearest.h"
#include "sift/parse.h"
#include "sift/writer.h"

/* ---- helpers ---------------------------------------------------------- */

/* Set the result to the n bytes at s (copied). */
static int put(struct eval *x, struct value *call, struct vres *out,
	       const char *s, size_t n)
{
	char *b = rules_value_room(call, n);

	if (!b)
		return sift_error_nomem(x->err);
	memcpy(b, s, n);
	out->s = b;
	out->len = n;
	return 0;
}

static int put_number(struct eval *x, struct value *call, struct vres *out,
		      double v)
{
	char buf[40];

	if (v == floor(v) && fabs(v) < 1e15)
		snprintf(buf, sizeof buf, "%.0f", v == 0 ? 0.0 : v);
	else
		sift_format_double(buf, sizeof buf, v);
	return put(x, call, out, buf, strlen(buf));
}

/* The value of argument i as a number, or missing. */
static int number_arg(struct eval *x, const struct vres *a, struct vres *out,
		      double *v)
{
	if (sift_parse_double(a->s, a->len, v) == 0)
		return 1;
	rules_missing(x, out, "'%.*s' is not a number",
		      (int)(a->len > 40 ? 40 : a->len), a->s);
	return 0;
}

/* A number literal argument that must be a whole number in [lo, hi]. */
static int whole_arg(struct parser *p, const struct value *call, size_t i,
		     double lo, double hi, long *out)
{
	const struct value *a = call->args[i];

	if (a->num != floor(a->num) || a->num < lo || a->num > hi)
		return rules_perr(p, a->at,
				  "%s(): expected a whole number "
				  "from %.0f to %.0f",
				  call->fn->name, lo, hi);
	*out = (long)a->num;
	return 0;
}

/* The byte length of the UTF-8 character at s (1 for an invalid byte). */
static size_t char_len(const unsigned char *s, size_t n)
{
	size_t want = s[0] < 0x80    ? 1
		      : s[0] >= 0xF0 ? 4
		      : s[0] >= 0xE0 ? 3
		      : s[0] >= 0xC2 ? 2
				     : 1;

	if (want > n)
		return 1;
	for (size_t k = 1; k < want; k++)
		if ((s[k] & 0xC0) != 0x80)
			return 1;
	return want;
}

static size_t count_chars(const char *s, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; k++)
		i += char_len((const unsigned char *)s + i, n - i);
	return k;
}

/* The byte offset of character k (0-based) of s, or n past its end. */
static size_t char_offset(const char *s, size_t n, size_t k)
{
	size_t i = 0;

	for (; i < n && k > 0; k--)
		i += char_len((const unsigned char *)s + i, n - i);
	return i;
}

/* ---- text --------------------------------------------------------------- */

static int case_map(struct eval *x, struct value *call, struct vres *out,
		    const struct vres *a, int upper)
{
	char *b = rules_value_room(call, a->len);

	if (!b)
		return sift_error_nomem(x->err);
	for (size_t i = 0; i < a->len; i++) {
		char c = a->s[i];

		if (upper && c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		else if (!upper && c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		b[i] = c;
	}
	out->s = b;
	out->len = a->len;
	return 0;
}

static int fn_lower(struct eval *x, struct value *call, const struct vres *a,
		    struct vres *out)
{
	return case_map(x, call, out, &a[0], 0);
}

static int fn_upper(struct eval *x, struct value *call, const struct vres *a,
		    struct vres *out)
{
	return case_map(x, call, out, &a[0], 1);
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

static int fn_trim(struct eval *x, struct value *call, const struct vres *a,
		   struct vres *out)
{
	size_t from = 0, to = a[0].len;

	(void)x;
	(void)call;
	while (from < to && is_blank(a[0].s[from]))
		from++;
	while (to > from && is_blank(a[0].s[to - 1]))
		to--;
	out->s = a[0].s + from;
	out->len = to - from;
	return 0;
}

static int fn_len(struct eval *x, struct value *call, const struct vres *a,
		  struct vres *out)
{
	return put_number(x, call, out, (double)count_chars(a[0].s, a[0].len));
}

/* The characters [from, from + count) of a, clipped to it. */
static void char_range(const struct vres *a, size_t from, size_t count,
		       struct vres *out)
{
	size_t b = char_offset(a->s, a->len, from);
	size_t e = b + char_offset(a->s + b, a->len - b, count);

	out->s = a->s + b;
	out->len = e - b;
}

struct span_args {
	long start, count; /* count < 0: to the end */
};

static int prepare_substr(struct parser *p, struct value *call)
{
	struct span_args *sa = calloc(1, sizeof *sa);
	int rc;

	if (!sa)
		return sift_error_nomem(p->err);
	call->state = sa;
	sa->count = -1;
	rc = whole_arg(p, call, 1, -1e9, 1e9, &sa->start);
	if (!rc && sa->start == 0)
		return rules_perr(p, call->args[1]->at,
				  "substr(): positions start at 1 (or -1 for "
				  "the last character)");
	if (!rc && call->nargs > 2)
		rc = whole_arg(p, call, 2, 0, 1e9, &sa->count);
	return rc;
}

static int fn_substr(struct eval *x, struct value *call, const struct vres *a,
		     struct vres *out)
{
	const struct span_args *sa = call->state;
	long start = sa->start;
	size_t count = sa->count < 0 ? SIZE_MAX : (size_t)sa->count;

	(void)x;
	if (start < 0) {
		size_t n = count_chars(a[0].s, a[0].len);

		start = (long)n + start + 1;
		if (start < 1) {
			/* Before the first character: what remains of the
			 * count from there. */
			size_t before = (size_t)(1 - start);

			count = count == SIZE_MAX ? count
				: count > before  ? count - before
						  : 0;
			start = 1;
		}
	}
	char_range(&a[0], (size_t)start - 1, count, out);
	return 0;
}

static int prepare_count(struct parser *p, struct value *call)
{
	struct span_args *sa = calloc(1, sizeof *sa);

	if (!sa)
		return sift_error_nomem(p->err);
	call->state = sa;
	return whole_arg(p, call, 1, 0, 1e9, &sa->count);
}

static int fn_prefix(struct eval *x, struct value *call, const struct vres *a,
		     struct vres *out)
{
	const struct span_args *sa = call->state;

	(void)x;
	char_range(&a[0], 0, (size_t)sa->count, out);
	return 0;
}

static int fn_suffix(struct eval *x, struct value *call, const struct vres *a,
		     struct vres *out)
{
	const struct span_args *sa = call->state;
	size_t n = count_chars(a[0].s, a[0].len);
	size_t k = (size_t)sa->count;

	(void)x;
	char_range(&a[0], n > k ? n - k : 0, SIZE_MAX, out);
	return 0;
}

/* ---- regexes ------------------------------------------------------------ */

struct regex_state {
	pcre2_match_data *md;
	uint32_t group;
	PCRE2_SPTR with; /* replace(): the replacement */
	size_t with_len;
};

static void release_regex(void *state)
{
	struct regex_state *rs = state;

	if (rs)
		pcre2_match_data_free(rs->md);
	free(rs);
}

static int prepare_regex(struct parser *p, struct value *call)
{
	const pcre2_code *re = call->args[1]->re;
	struct regex_state *rs = calloc(1, sizeof *rs);
	uint32_t groups = 0;

	if (!rs)
		return sift_error_nomem(p->err);
	call->state = rs;
	rs->md = pcre2_match_data_create_from_pattern(re, NULL);
	if (!rs->md)
		return sift_error_nomem(p->err);
	pcre2_pattern_info(re, PCRE2_INFO_CAPTURECOUNT, &groups);
	rs->group = groups > 0;
	if (strcmp(call->fn->name, "replace") == 0) {
		rs->with = (PCRE2_SPTR)call->args[2]->str;
		rs->with_len = call->args[2]->slen;
	} else if (call->nargs > 2) {
		long g;
		int rc = whole_arg(p, call, 2, 0, groups, &g);

		if (rc)
			return rc;
		rs->group = (uint32_t)g;
	}
	return 0;
}

static int regex_failed(struct eval *x, struct vres *out, int rc)
{
	PCRE2_UCHAR msg[120];

	x->limited = 1;
	pcre2_get_error_message(rc, msg, sizeof msg);
	rules_missing(x, out, "the regex failed: %s", (char *)msg);
	return 0;
}

static int fn_match(struct eval *x, struct value *call, const struct vres *a,
		    struct vres *out)
{
	struct regex_state *rs = call->state;
	int rc = pcre2_match(call->args[1]->re, (PCRE2_SPTR)a[0].s, a[0].len, 0,
			     0, rs->md, x->eng->mctx);
	PCRE2_SIZE *ov;

	out->s = a[0].s;
	out->len = 0;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc < 0)
		return regex_failed(x, out, rc);
	ov = pcre2_get_ovector_pointer(rs->md);
	if ((uint32_t)rc <= rs->group || ov[2 * rs->group] == PCRE2_UNSET)
		return 0; /* the group took no part in the match */
	out->s = a[0].s + ov[2 * rs->group];
	out->len = ov[2 * rs->group + 1] - ov[2 * rs->group];
	return 0;
}

static int fn_replace(struct eval *x, struct value *call, const struct vres *a,
		      struct vres *out)
{
	struct regex_state *rs = call->state;
	PCRE2_SIZE n = a[0].len + rs->with_len + 64;

	for (int tries = 0; tries < 2; tries++) {
		char *b = rules_value_room(call, n);
		int rc;

		if (!b)
			return sift_error_nomem(x->err);
		rc = pcre2_substitute(call->args[1]->re, (PCRE2_SPTR)a[0].s,
				      a[0].len, 0,
				      PCRE2_SUBSTITUTE_GLOBAL |
					      PCRE2_SUBSTITUTE_OVERFLOW_LENGTH,
				      rs->md, x->eng->mctx, rs->with,
				      rs->with_len, (PCRE2_UCHAR *)b, &n);
		if (rc >= 0) {
			out->s = b;
			out->len = n;
			return 0;
		}
		if (rc != PCRE2_ERROR_NOMEMORY)
			return regex_failed(x, out, rc);
	}
	return regex_failed(x, out, PCRE2_ERROR_NOMEMORY);
}

/* The host of the first URL in the value (scheme://[user@]host[:port]),
 * else of an e-mail address (after the last '@'), else the value up to
 * its first '/': lower-cased. */
static int fn_domain(struct eval *x, struct value *call, const struct vres *a,
		     struct vres *out)
{
	const char *s = a[0].s, *end = s + a[0].len, *p, *h;
	const char *scheme = NULL;

	for (p = s; p + 3 <= end; p++)
		if (memcmp(p, "://", 3) == 0) {
			scheme = p;
			break;
		}
	if (scheme) {
		h = scheme + 3;
		for (p = h; p < end && !strchr("/?#", *p) && !is_blank(*p); p++)
			if (*p == '@')
				h = p + 1; /* user info */
	} else {
		for (h = end; h > s && h[-1] != '@'; h--)
			;
		if (h == s)
			while (h < end && is_blank(*h))
				h++;
		for (p = h; p < end && !strchr("/?#>", *p) && !is_blank(*p);
		     p++)
			;
	}
	const char *colon = memchr(h, ':', (size_t)(p - h));
	if (colon)
		p = colon; /* the port */
	if (p == h) {
		rules_missing(x, out, "no domain in '%.*s'",
			      (int)(a[0].len > 40 ? 40 : a[0].len), a[0].s);
		return 0;
	}
	struct vres host = { h, (size_t)(p - h), 0 };
	return case_map(x, call, out, &host, 0);
}

/* The first argument that is neither missing nor empty. */
static int fn_coalesce(struct eval *x, struct value *call, const struct vres *a,
		       struct vres *out)
{
	(void)x;
	for (size_t i = 0; i < call->nargs; i++)
		if (!a[i].missing && a[i].len) {
			*out = a[i];
			return 0;
		}
	*out = a[call->nargs - 1];
	return 0;
}

/* ---- times -------------------------------------------------------------- */

/* The time in a, or missing with the reason. */
static int time_arg(struct eval *x, const struct vres *a, struct vres *out,
		    struct sift_time *t)
{
	char why[100];

	if (sift_time_parse(a->s, a->len, t, why, sizeof why) == 0)
		return 1;
	rules_missing(x, out, "'%.*s' is not an ISO 8601 date or time (%s)",
		      (int)(a->len > 40 ? 40 : a->len), a->s, why);
	return 0;
}

enum part { P_YEAR, P_MONTH, P_DAY, P_HOUR, P_MINUTE, P_SECOND, P_WEEKDAY };

struct part_fn {
	const char *name;
	enum part part;
};

static int time_part(struct eval *x, struct value *call, const struct vres *a,
		     struct vres *out, enum part part)
{
	struct sift_time t;
	int v;

	if (!time_arg(x, &a[0], out, &t))
		return 0;
	if ((part == P_MONTH && !t.has_month) ||
	    ((part == P_DAY || part == P_WEEKDAY) && !t.has_day)) {
		rules_missing(x, out, "'%.*s' has no %s", (int)a[0].len, a[0].s,
			      part == P_MONTH ? "month" : "day");
		return 0;
	}
	if (part >= P_HOUR && part <= P_SECOND && !t.has_time) {
		rules_missing(x, out, "'%.*s' has no time of day",
			      (int)a[0].len, a[0].s);
		return 0;
	}
	switch (part) {
	case P_YEAR:
		v = t.year;
		break;
	case P_MONTH:
		v = t.month;
		break;
	case P_DAY:
		v = t.day;
		break;
	case P_HOUR:
		v = t.hour;
		break;
	case P_MINUTE:
		v = t.minute;
		break;
	case P_SECOND:
		v = t.second;
		break;
	default:
		v = sift_weekday(t.year, t.month, t.day);
		break;
	}
	return put_number(x, call, out, v);
}

#define PART_FN(fname, part)                                                   \
	static int fn_##fname(struct eval *x, struct value *call,              \
			      const struct vres *a, struct vres *out)          \
	{                                                                      \
		return time_part(x, call, a, out, part);                       \
	}

PART_FN(year, P_YEAR)
PART_FN(month, P_MONTH)
PART_FN(day, P_DAY)
PART_FN(hour, P_HOUR)
PART_FN(minute, P_MINUTE)
PART_FN(second, P_SECOND)
PART_FN(weekday, P_WEEKDAY)

/* The day (2023-05-17) or the month (2023-05) of a time. */
static int period(struct eval *x, struct value *call, const struct vres *a,
		  struct vres *out, int day)
{
	struct sift_time t;
	char buf[16];

	if (!time_arg(x, &a[0], out, &t))
		return 0;
	if (!(day ? t.has_day : t.has_month)) {
		rules_missing(x, out, "'%.*s' has no %s", (int)a[0].len, a[0].s,
			      day ? "day" : "month");
		return 0;
	}
	if (day)
		snprintf(buf, sizeof buf, "%04d-%02d-%02d", t.year, t.month,
			 t.day);
	else
		snprintf(buf, sizeof buf, "%04d-%02d", t.year, t.month);
	return put(x, call, out, buf, strlen(buf));
}

static int fn_date(struct eval *x, struct value *call, const struct vres *a,
		   struct vres *out)
{
	return period(x, call, a, out, 1);
}

static int fn_yearmonth(struct eval *x, struct value *call,
			const struct vres *a, struct vres *out)
{
	return period(x, call, a, out, 0);
}

/* strftime() in the C locale sift runs in, on the UTC time. */
static int fn_strftime(struct eval *x, struct value *call, const struct vres *a,
		       struct vres *out)
{
	struct sift_time t;
	struct tm tm;
	char buf[256];
	size_t n;

	if (!time_arg(x, &a[0], out, &t))
		return 0;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = t.year - 1900;
	tm.tm_mon = (t.has_month ? t.month : 1) - 1;
	tm.tm_mday = t.has_day ? t.day : 1;
	tm.tm_hour = t.hour;
	tm.tm_min = t.minute;
	tm.tm_sec = t.second;
	tm.tm_wday = sift_weekday(t.year, tm.tm_mon + 1, tm.tm_mday) % 7;
	tm.tm_yday =
		(int)(sift_days_from_civil(t.year, tm.tm_mon + 1, tm.tm_mday) -
		      sift_days_from_civil(t.year, 1, 1));
	/* The format is the user's, checked by strftime itself. */
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#endif
	n = strftime(buf, sizeof buf, call->args[1]->str, &tm);
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
	if (n == 0 && call->args[1]->slen) {
		rules_missing(x, out,
			      "strftime(): the result is empty or "
			      "longer than %zu bytes",
			      sizeof buf - 1);
		return 0;
	}
	return put(x, call, out, buf, n);
}

static int fn_epoch(struct eval *x, struct value *call, const struct vres *a,
		    struct vres *out)
{
	struct sift_time t;

	if (!time_arg(x, &a[0], out, &t))
		return 0;
	return put_number(x, call, out, (double)sift_time_epoch(&t));
}

static int fn_utc(struct eval *x, struct value *call, const struct vres *a,
		  struct vres *out)
{
	struct sift_time t;
	double v;
	char buf[32];

	if (!number_arg(x, &a[0], out, &v))
		return 0;
	if (!(fabs(v) < 1e13) ||
	    sift_time_from_epoch((int64_t)floor(v), &t) != 0) {
		rules_missing(x, out,
			      "%.*s seconds since 1970 is beyond the "
			      "year 9999",
			      (int)a[0].len, a[0].s);
		return 0;
	}
	snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", t.year,
		 t.month, t.day, t.hour, t.minute, t.second);
	return put(x, call, out, buf, strlen(buf));
}

/* ---- numbers ------------------------------------------------------------ */

static int prepare_bin(struct parser *p, struct value *call)
{
	if (!(call->args[1]->num > 0))
		return rules_perr(p, call->args[1]->at,
				  "bin(): the width must be > 0");
	return 0;
}

/* The lower edge of the bin of width w (from origin o) that holds x. */
static int fn_bin(struct eval *x, struct value *call, const struct vres *a,
		  struct vres *out)
{
	double v, w = call->args[1]->num;
	double o = call->nargs > 2 ? call->args[2]->num : 0;

	if (!number_arg(x, &a[0], out, &v))
		return 0;
	return put_number(x, call, out, floor((v - o) / w) * w + o);
}

static int prepare_cut(struct parser *p, struct value *call)
{
	for (size_t i = 2; i < call->nargs; i++)
		if (!(call->args[i]->num > call->args[i - 1]->num))
			return rules_perr(p, call->args[i]->at,
					  "cut(): the edges must increase");
	return 0;
}

/* The interval among the edges that holds x: "<e1", "[e1,e2)", ...,
 * ">=ek", with the edges as written. */
static int fn_cut(struct eval *x, struct value *call, const struct vres *a,
		  struct vres *out)
{
	struct value *const *e = call->args + 1;
	size_t k = call->nargs - 1, i = 0;
	char buf[160];
	double v;

	if (!number_arg(x, &a[0], out, &v))
		return 0;
	while (i < k && v >= e[i]->num)
		i++;
	if (i == 0)
		snprintf(buf, sizeof buf, "<%s", e[0]->str);
	else if (i == k)
		snprintf(buf, sizeof buf, ">=%s", e[k - 1]->str);
	else
		snprintf(buf, sizeof buf, "[%s,%s)", e[i - 1]->str, e[i]->str);
	return put(x, call, out, buf, strlen(buf));
}

/* ---- the table ---------------------------------------------------------- */

#define NONE  NULL, NULL
#define REGEX prepare_regex, release_regex

static const struct func funcs[] = {
	{ "lower", 1, 1, "v", NONE, fn_lower },
	{ "upper", 1, 1, "v", NONE, fn_upper },
	{ "trim", 1, 1, "v", NONE, fn_trim },
	{ "len", 1, 1, "v", NONE, fn_len },
	{ "length", 1, 1, "v", NONE, fn_len },
	{ "substr", 2, 3, "vnn", prepare_substr, free, fn_substr },
	{ "prefix", 2, 2, "vn", prepare_count, free, fn_prefix },
	{ "suffix", 2, 2, "vn", prepare_count, free, fn_suffix },
	{ "match", 2, 3, "vrn", REGEX, fn_match },
	{ "replace", 3, 3, "vrs", REGEX, fn_replace },
	{ "domain", 1, 1, "v", NONE, fn_domain },
	{ "coalesce", 2, RULES_MAX_ARGS, "v", NONE, fn_coalesce },
	{ "year", 1, 1, "v", NONE, fn_year },
	{ "month", 1, 1, "v", NONE, fn_month },
	{ "day", 1, 1, "v", NONE, fn_day },
	{ "hour", 1, 1, "v", NONE, fn_hour },
	{ "minute", 1, 1, "v", NONE, fn_minute },
	{ "second", 1, 1, "v", NONE, fn_second },
	{ "weekday", 1, 1, "v", NONE, fn_weekday },
	{ "date", 1, 1, "v", NONE, fn_date },
	{ "yearmonth", 1, 1, "v", NONE, fn_yearmonth },
	{ "strftime", 2, 2, "vs", NONE, fn_strftime },
	{ "epoch", 1, 1, "v", NONE, fn_epoch },
	{ "utc", 1, 1, "v", NONE, fn_utc },
	{ "bin", 2, 3, "vnn", prepare_bin, NULL, fn_bin },
	{ "cut", 2, RULES_MAX_ARGS, "vn", prepare_cut, NULL, fn_cut },
};

const struct func *rules_func_find(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof funcs / sizeof *funcs; i++)
		if (strlen(funcs[i].name) == len &&
		    memcmp(funcs[i].name, name, len) == 0)
			return &funcs[i];
	return NULL;
}

void rules_func_names(char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof funcs / sizeof *funcs; i++) {
		int n = snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
				 funcs[i].name);

		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
}

const char *rules_func_nearest(const char *name, size_t len)
{
	const char *names[sizeof funcs / sizeof *funcs];
	char word[SIFT_NEAREST_MAX + 1];
	long near;

	for (size_t i = 0; i < sizeof funcs / sizeof *funcs; i++)
		names[i] = funcs[i].name;
	snprintf(word, sizeof word, "%.*s", (int)len, name);
	near = sift_nearest(word, names, sizeof funcs / sizeof *funcs);
	return near >= 0 ? names[near] : NULL;
}

int rules_func_takes_missing(const struct func *fn)
{
	return fn->run == fn_coalesce;
}
