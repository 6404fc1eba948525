/*
 * lib/isotime.c - ISO 8601 dates and times (see sift/isotime.h).
 */
#include <stdio.h>
#include <string.h>

#include "sift/isotime.h"

/* Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms":
 * exact for every proleptic Gregorian date, no tables, no loops. */
int64_t sift_days_from_civil(int y, int m, int d)
{
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t mp = (m + 9) % 12; /* March is 0 */
	int64_t doy = (153 * mp + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void sift_civil_from_days(int64_t days, int *y, int *m, int *d)
{
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int sift_weekday(int y, int m, int d)
{
	int64_t days = sift_days_from_civil(y, m, d);
	/* 1970-01-01 was a Thursday (4). */
	int64_t w = (days % 7 + 7 + 3) % 7;

	return (int)w + 1;
}

static int days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

int64_t sift_time_epoch(const struct sift_time *t)
{
	int64_t days = sift_days_from_civil(
		t->year, t->has_month ? t->month : 1, t->has_day ? t->day : 1);

	return days * 86400 + t->hour * 3600 + t->minute * 60 + t->second;
}

int sift_time_from_epoch(int64_t secs, struct sift_time *t)
{
	int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
	int64_t rest = secs - days * 86400;

	memset(t, 0, sizeof *t);
	if (days < sift_days_from_civil(0, 1, 1) ||
	    days > sift_days_from_civil(9999, 12, 31))
		return -1;
	sift_civil_from_days(days, &t->year, &t->month, &t->day);
	t->hour = (int)(rest / 3600);
	t->minute = (int)(rest / 60 % 60);
	t->second = (int)(rest % 60);
	t->has_month = t->has_day = t->has_time = 1;
	return 0;
}

/* A cursor over the text. */
struct scan {
	const char *s;
	size_t len, i;
};

static int digit_at(const struct scan *c, size_t k)
{
	return c->i + k < c->len && c->s[c->i + k] >= '0' &&
	       c->s[c->i + k] <= '9';
}

/* Exactly n digits as a number, or -1. */
static int digits(struct scan *c, size_t n)
{
	int v = 0;

	for (size_t k = 0; k < n; k++) {
		if (!digit_at(c, k))
			return -1;
		v = v * 10 + (c->s[c->i + k] - '0');
	}
	c->i += n;
	return v;
}

static int accept(struct scan *c, char ch)
{
	if (c->i < c->len && c->s[c->i] == ch) {
		c->i++;
		return 1;
	}
	return 0;
}

#define FAIL(...) (snprintf(why, why_size, __VA_ARGS__), -1)

static int parse_date(struct scan *c, struct sift_time *t, char *why,
		      size_t why_size)
{
	if ((t->year = digits(c, 4)) < 0)
		return FAIL("no four-digit year");
	if (digit_at(c, 0) && digit_at(c, 3)) { /* YYYYMMDD */
		t->month = digits(c, 2);
		t->day = digits(c, 2);
		t->has_month = t->has_day = 1;
	} else if (accept(c, '-')) {
		if ((t->month = digits(c, 2)) < 0)
			return FAIL("no two-digit month");
		t->has_month = 1;
		if (accept(c, '-')) {
			if ((t->day = digits(c, 2)) < 0)
				return FAIL("no two-digit day");
			t->has_day = 1;
		}
	}
	if (t->has_month && (t->month < 1 || t->month > 12))
		return FAIL("month %d out of range", t->month);
	if (t->has_day &&
	    (t->day < 1 || t->day > days_in_month(t->year, t->month)))
		return FAIL("day %d out of range for %04d-%02d", t->day,
			    t->year, t->month);
	return 0;
}

/* hh[:mm[:ss]] or hhmm[ss], a fraction, then a zone: minutes east of
 * UTC in *offset. */
static int parse_clock(struct scan *c, struct sift_time *t, int *offset,
		       char *why, size_t why_size)
{
	int colons = 0;

	if ((t->hour = digits(c, 2)) < 0)
		return FAIL("no two-digit hour");
	t->has_time = 1;
	colons = accept(c, ':');
	if (colons || digit_at(c, 0)) {
		if ((t->minute = digits(c, 2)) < 0)
			return FAIL("no two-digit minute");
		if ((colons ? accept(c, ':') : digit_at(c, 0)) &&
		    (t->second = digits(c, 2)) < 0)
			return FAIL("no two-digit second");
	}
	if (accept(c, '.') || accept(c, ',')) {
		long scale = 100000000;

		if (!digit_at(c, 0))
			return FAIL("no digits after the decimal point");
		for (; digit_at(c, 0); c->i++, scale /= 10)
			t->nanos += (c->s[c->i] - '0') * scale;
	}
	if (t->hour > 23 || t->minute > 59 || t->second > 60)
		return FAIL("time %02d:%02d:%02d out of range", t->hour,
			    t->minute, t->second);
	if (accept(c, 'Z') || accept(c, 'z'))
		return 0;
	if (c->i < c->len && (c->s[c->i] == '+' || c->s[c->i] == '-')) {
		int sign = c->s[c->i++] == '-' ? -1 : 1;
		int hh = digits(c, 2), mm = 0;

		if (hh < 0)
			return FAIL("no two-digit hour in the zone offset");
		if (accept(c, ':') || digit_at(c, 0))
			if ((mm = digits(c, 2)) < 0)
				return FAIL("no two-digit minute in the zone "
					    "offset");
		if (hh > 23 || mm > 59)
			return FAIL("zone offset out of range");
		*offset = sign * (hh * 60 + mm);
	}
	return 0;
}

int sift_time_parse(const char *s, size_t len, struct sift_time *t, char *why,
		    size_t why_size)
{
	struct scan c = { s, len, 0 };
	int offset = 0;

	memset(t, 0, sizeof *t);
	if (parse_date(&c, t, why, why_size))
		return -1;
	if (c.i < len && (s[c.i] == 'T' || s[c.i] == 't' || s[c.i] == ' ')) {
		if (!t->has_day)
			return FAIL("a time of day without a day");
		c.i++;
		if (parse_clock(&c, t, &offset, why, why_size))
			return -1;
	}
	if (c.i != len)
		return FAIL("unexpected '%c' at character %zu", s[c.i],
			    c.i + 1);
	if (offset) {
		int nanos = (int)t->nanos, has_time = t->has_time;
		int64_t at = sift_time_epoch(t) - (int64_t)offset * 60;

		if (sift_time_from_epoch(at, t) != 0)
			return FAIL("out of the years 0000 to 9999 in UTC");
		t->nanos = nanos;
		t->has_time = has_time;
	}
	return 0;
}
