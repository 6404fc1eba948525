/*
 * sift/isotime.h - ISO 8601 dates and times, as CSV files hold them.
 *
 * The calendar is the proleptic Gregorian one of ISO 8601, computed with
 * integer arithmetic (Hinnant's days_from_civil), so results do not
 * depend on the C library's time zone database or locale.
 */
#ifndef SIFT_ISOTIME_H
#define SIFT_ISOTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What a parsed time holds, in UTC when the text gave an offset. */
struct sift_time {
	int year, month, day;     /* month 1-12, day 1-31 */
	int hour, minute, second; /* 0-23, 0-59, 0-60 */
	long nanos;               /* fraction of the second */
	int has_month;            /* "2023" has neither month nor day */
	int has_day;
	int has_time; /* a time of day was given */
};

/* Parse s[0..len): a calendar date YYYY, YYYY-MM, YYYY-MM-DD or
 * YYYYMMDD, optionally followed by 'T' (or 't', or one space) and a
 * time hh, hh:mm, hh:mm:ss or hhmmss with an optional fraction (. or ,)
 * and an optional zone (Z, +hh, +hh:mm, +hhmm, and '-'); a time with a
 * zone is converted to UTC, which may change the date. Years are 0000
 * to 9999. Returns 0, or -1 with a reason in why (e.g. "month 13 out of
 * range") when s is not such a time. */
int sift_time_parse(const char *s, size_t len, struct sift_time *t, char *why,
		    size_t why_size);

/* The days from 1970-01-01 to y-m-d (negative before). */
int64_t sift_days_from_civil(int y, int m, int d);

/* The date of a day number of sift_days_from_civil. */
void sift_civil_from_days(int64_t days, int *y, int *m, int *d);

/* The ISO weekday of a date: 1 (Monday) to 7 (Sunday). */
int sift_weekday(int y, int m, int d);

/* Seconds since 1970-01-01T00:00:00Z (without the fraction). */
int64_t sift_time_epoch(const struct sift_time *t);

/* The UTC time of seconds since the epoch (years 0000 to 9999): 0, or
 * -1 when out of range. */
int sift_time_from_epoch(int64_t secs, struct sift_time *t);

#ifdef __cplusplus
}
#endif

#endif
