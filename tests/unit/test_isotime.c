/* Unit tests of lib/isotime.c: ISO 8601 parsing, zones, the calendar
 * arithmetic against known dates, and every refusal with its reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sift/isotime.h"
#include "testutil.h"

static struct sift_time parse_ok(const char *s)
{
	struct sift_time t;
	char why[100] = "";

	if (sift_time_parse(s, strlen(s), &t, why, sizeof why) != 0)
		fail_msg("%s: %s", s, why);
	return t;
}

static const char *parse_why(const char *s)
{
	static char why[100];
	struct sift_time t;

	assert_int_equal(sift_time_parse(s, strlen(s), &t, why, sizeof why),
			 -1);
	return why;
}

static void forms(void **state)
{
	struct sift_time t;

	(void)state;
	t = parse_ok("2023");
	assert_int_equal(t.year, 2023);
	assert_false(t.has_month);
	t = parse_ok("2023-05");
	assert_int_equal(t.month, 5);
	assert_false(t.has_day);
	t = parse_ok("2023-05-17");
	assert_int_equal(t.day, 17);
	assert_false(t.has_time);
	t = parse_ok("20230517");
	assert_int_equal(t.month, 5);
	assert_int_equal(t.day, 17);
	t = parse_ok("2023-05-17T13:04:59Z");
	assert_true(t.has_time);
	assert_int_equal(t.hour, 13);
	assert_int_equal(t.minute, 4);
	assert_int_equal(t.second, 59);
	t = parse_ok("2023-05-17 13:04");
	assert_int_equal(t.minute, 4);
	assert_int_equal(t.second, 0);
	t = parse_ok("2023-05-17T13");
	assert_int_equal(t.hour, 13);
	t = parse_ok("20230517T130459");
	assert_int_equal(t.second, 59);
	t = parse_ok("2023-05-17T13:04:59.250Z");
	assert_int_equal(t.nanos, 250000000);
	t = parse_ok("2023-05-17t13:04:59,5");
	assert_int_equal(t.nanos, 500000000);
	t = parse_ok("2016-12-31T23:59:60Z"); /* a leap second */
	assert_int_equal(t.second, 60);
}

static void zones_convert_to_utc(void **state)
{
	struct sift_time t;

	(void)state;
	t = parse_ok("2023-05-17T01:30:00+02:00");
	assert_int_equal(t.day, 16);
	assert_int_equal(t.hour, 23);
	assert_int_equal(t.minute, 30);
	t = parse_ok("2023-12-31T22:00:00-0230");
	assert_int_equal(t.year, 2024);
	assert_int_equal(t.month, 1);
	assert_int_equal(t.day, 1);
	assert_int_equal(t.hour, 0);
	assert_int_equal(t.minute, 30);
	t = parse_ok("2024-03-01T00:00:00.75+01");
	assert_int_equal(t.month, 2);
	assert_int_equal(t.day, 29); /* 2024 is a leap year */
	assert_int_equal(t.nanos, 750000000);
}

static void calendar(void **state)
{
	int y, m, d;

	(void)state;
	assert_int_equal(sift_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(sift_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(sift_days_from_civil(1969, 12, 31), -1);
	assert_int_equal(sift_days_from_civil(0, 1, 1), -719528);
	sift_civil_from_days(19494, &y, &m, &d); /* date -d @$((19494*86400)) */
	assert_int_equal(y, 2023);
	assert_int_equal(m, 5);
	assert_int_equal(d, 17);
	for (int64_t k = -800000; k <= 3000000; k += 997) {
		sift_civil_from_days(k, &y, &m, &d);
		assert_int_equal(sift_days_from_civil(y, m, d), k);
	}
	assert_int_equal(sift_weekday(2023, 5, 17), 3); /* a Wednesday */
	assert_int_equal(sift_weekday(1970, 1, 1), 4);
	assert_int_equal(sift_weekday(2000, 1, 2), 7);
	assert_int_equal(sift_weekday(1969, 12, 29), 1);
}

static void epoch(void **state)
{
	struct sift_time t = parse_ok("2023-05-17T13:04:59Z");

	(void)state;
	assert_int_equal(sift_time_epoch(&t), 1684328699); /* date +%s */
	assert_int_equal(sift_time_from_epoch(-1, &t), 0);
	assert_int_equal(t.year, 1969);
	assert_int_equal(t.hour, 23);
	assert_int_equal(t.second, 59);
	assert_int_equal(sift_time_from_epoch(INT64_C(400000000000), &t), -1);
}

static void refusals(void **state)
{
	(void)state;
	assert_string_equal(parse_why(""), "no four-digit year");
	assert_string_equal(parse_why("soon"), "no four-digit year");
	assert_string_equal(parse_why("23-05-17"), "no four-digit year");
	assert_string_equal(parse_why("2023-13-01"), "month 13 out of range");
	assert_string_equal(parse_why("2023-02-29"),
			    "day 29 out of range for 2023-02");
	assert_string_equal(parse_why("2023-5-17"), "no two-digit month");
	assert_string_equal(parse_why("2023-05-17T25:00"),
			    "time 25:00:00 out of range");
	assert_string_equal(parse_why("2023-05-17T12:00+25:00"),
			    "zone offset out of range");
	assert_string_equal(parse_why("2023-05T12:00"),
			    "a time of day without a day");
	assert_string_equal(parse_why("2023-05-17 12:00 UTC"),
			    "unexpected ' ' at character 17");
	assert_string_equal(parse_why("2023-05-17T12:00:00."),
			    "no digits after the decimal point");
	assert_string_equal(parse_why("0000-01-01T00:00:00+01:00"),
			    "out of the years 0000 to 9999 in UTC");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(forms),
		cmocka_unit_test(zones_convert_to_utc),
		cmocka_unit_test(calendar),
		cmocka_unit_test(epoch),
		cmocka_unit_test(refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
