/* Unit tests of lib/error.c: messages, notes and exit statuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sift/error.h"
#include "testutil.h"

static void error_set_returns_its_code(void **state)
{
	struct sift_error err;

	(void)state;
	assert_int_equal(sift_error_set(&err, SIFT_EDATA, "%s:%d: bad", "f", 3),
			 SIFT_EDATA);
	assert_int_equal(err.code, SIFT_EDATA);
	assert_string_equal(err.msg, "f:3: bad");
	assert_int_equal(sift_error_set(NULL, SIFT_EIO, "x"), SIFT_EIO);
	assert_int_equal(sift_error_nomem(&err), SIFT_ENOMEM);
	assert_string_equal(err.msg, "out of memory");
}

static void notes_are_lines(void **state)
{
	char buf[64] = "";

	(void)state;
	sift_note_add(buf, sizeof buf, "first %d", 1);
	sift_note_add(buf, sizeof buf, "second");
	assert_string_equal(buf, "first 1\nsecond\n");
}

/* A line that does not fit is cut, still ending the text with a newline;
 * nothing is added once the buffer is full. */
static void notes_stop_at_the_buffer_end(void **state)
{
	char buf[16] = "";

	(void)state;
	sift_note_add(buf, sizeof buf, "0123456789");
	sift_note_add(buf, sizeof buf, "abcdefghij");
	assert_string_equal(buf, "0123456789\nabc\n");
	sift_note_add(buf, sizeof buf, "more");
	assert_string_equal(buf, "0123456789\nabc\n");
}

/* A program's words for the library's fields: flags, and one with a '%'
 * to show that a word cannot turn into a conversion. */
static void flags(const char *field, char *out, size_t size)
{
	snprintf(out, size, "%s%s", strcmp(field, "pct") ? "--" : "100%",
		 strcmp(field, "pct") ? field : "");
}

/* Without a namer a field reads as its own name; with one, in the
 * program's words, in errors, notes and hints alike. */
static void options_are_named_by_the_program(void **state)
{
	struct sift_error err;
	char buf[64] = "", word[16];

	(void)state;
	sift_error_set(&err, SIFT_EUSAGE, "`ratio`: '%s' is not A:B", "3");
	assert_string_equal(err.msg, "ratio: '3' is not A:B");
	sift_set_option_namer(flags);
	sift_error_set(&err, SIFT_EUSAGE, "`ratio`: '%s' is not A:B", "3");
	assert_string_equal(err.msg, "--ratio: '3' is not A:B");
	sift_error_set(&err, SIFT_EUSAGE, "`pct` of %d, and a ` alone", 7);
	assert_string_equal(err.msg, "100% of 7, and a ` alone");
	sift_note_add(buf, sizeof buf, "try `lr` %g", 0.5);
	assert_string_equal(buf, "try --lr 0.5\n");
	assert_string_equal(sift_option_text("drop `tsv`", word, sizeof word),
			    "drop --tsv");
	assert_string_equal(sift_option_word("by", word, sizeof word), "--by");
	/* Data in the arguments is never read for names. */
	sift_error_set(&err, SIFT_EDATA, "value '%s'", "`by`");
	assert_string_equal(err.msg, "value '`by`'");
	sift_set_option_namer(NULL);
	assert_string_equal(sift_option_word("by", word, sizeof word), "by");
}

static void exit_statuses(void **state)
{
	(void)state;
	assert_int_equal(sift_exit_status(SIFT_OK), 0);
	assert_int_equal(sift_exit_status(SIFT_EPIPE), 0);
	assert_int_equal(sift_exit_status(SIFT_EUSAGE), 2);
	assert_int_equal(sift_exit_status(SIFT_EDATA), 1);
	assert_int_equal(sift_exit_status(SIFT_EIO), 1);
	assert_int_equal(sift_exit_status(SIFT_ENOMEM), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(error_set_returns_its_code),
		cmocka_unit_test(notes_are_lines),
		cmocka_unit_test(notes_stop_at_the_buffer_end),
		cmocka_unit_test(options_are_named_by_the_program),
		cmocka_unit_test(exit_statuses),
	};

	return cmocka_run_group_tests_name("error", tests, NULL, NULL);
}
