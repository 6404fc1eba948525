/* Unit tests of lib/reader_columns.c's messages for a column that is not
 * there (the nearest name, and the delimiter a one-column header hints
 * at), and for a field at fault. (Finding columns is tested with the reader, in
 * test_reader.c.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sift/reader.h"
#include "testutil.h"

/* The message for column spec of the CSV text read with delimiter
 * delim. */
static void column_error(const char *text, char delim, const char *spec,
			 char *msg, size_t size)
{
	char *path = tmpfile_str(text);
	struct sift_csv_opts csv;
	struct sift_error err;
	struct sift_reader *r;
	size_t col;

	sift_csv_opts_init(&csv);
	csv.delim = delim;
	r = sift_reader_open(path, &csv, 0, &err);
	assert_non_null(r);
	assert_int_equal(sift_reader_column(r, spec, &col, &err), SIFT_EDATA);
	snprintf(msg, size, "%s", err.msg);
	sift_reader_close(r);
	unlink(path);
	free(path);
}

static void test_nearest_column(void **state)
{
	char msg[1024];

	(void)state;
	column_error("id,text,label\n1,a,b\n", ',', "Text", msg, sizeof msg);
	assert_non_null(strstr(msg, ": no column 'Text' (did you mean "
				    "'text'?); the columns are: id, text, "
				    "label"));
	column_error("id,text,label\n1,a,b\n", ',', "lable", msg, sizeof msg);
	assert_non_null(strstr(msg, "(did you mean 'label'?)"));
	column_error("id,text,label\n1,a,b\n", ',', "zzz", msg, sizeof msg);
	assert_non_null(strstr(msg, ": no column 'zzz'; the columns are: "));
}

static void test_one_column_header(void **state)
{
	char msg[1024];

	(void)state;
	column_error("id\ttext\n1\ta\n", ',', "text", msg, sizeof msg);
	assert_non_null(strstr(msg, ": no column 'text': the header is one "
				    "column, 'id\\ttext', that holds tabs: is "
				    "that the delimiter? (try tsv)"));
	column_error("id;text\n1;a\n", ',', "text", msg, sizeof msg);
	assert_non_null(strstr(msg, "that holds ';': is that the delimiter? "
				    "(try delimiter ';')"));
	column_error("id,text\n1,a\n", '\t', "text", msg, sizeof msg);
	assert_non_null(strstr(msg, "that holds commas: is that the "
				    "delimiter? (commas are the default: "
				    "drop tsv or delimiter)"));
	/* a long header is cut */
	column_error("aaaaaaaaaa\tbbbbbbbbbb\tcccccccccc\tdddddddddd\teeeeee\n"
		     "1\t2\t3\t4\t5\n",
		     ',', "x", msg, sizeof msg);
	assert_non_null(strstr(msg, "...', that holds tabs"));
	/* one column without another delimiter: the plain message */
	column_error("id\n1\n", ',', "text", msg, sizeof msg);
	assert_non_null(strstr(msg, ": no column 'text'; the columns are: id"));
}

/* A field at fault is named by its column's name and number, or by its
 * number alone without a header; a long name is cut. */
static void test_field_errors(void **state)
{
	char *path = tmpfile_str("id,score\n1,abc\n");
	char where[96], name[200];
	struct sift_csv_opts csv;
	struct sift_error err;
	struct sift_reader *r = sift_reader_open(path, NULL, 0, &err);

	(void)state;
	assert_non_null(r);
	assert_string_equal(sift_reader_colref(r, 1, where, sizeof where),
			    "column 'score' (2)");
	assert_int_equal(sift_reader_column_error(r, 2, 1, "score", "abc", 3,
						  "is not a number", &err),
			 SIFT_EDATA);
	assert_int_equal(err.code, SIFT_EDATA);
	assert_non_null(strstr(err.msg, ":2: column 'score' (2): score 'abc' "
					"is not a number"));
	assert_int_equal(sift_reader_field_error(r, 7, "value 'f(x)'", NULL,
						 "0123456789012345678901234567"
						 "890123456789xyz",
						 45, "is wrong", &err),
			 SIFT_EDATA);
	assert_non_null(strstr(err.msg, ":7: value 'f(x)': '0123456789012345"
					"678901234567890123456789' is wrong"));
	sift_reader_close(r);
	unlink(path);
	free(path);

	memset(name, 'n', 150);
	snprintf(name + 150, sizeof name - 150, "\n1\n");
	path = tmpfile_str(name);
	r = sift_reader_open(path, NULL, 0, &err);
	assert_non_null(r);
	sift_reader_colref(r, 0, where, sizeof where);
	assert_int_equal(strlen(where), strlen("column '' (1)") + 64);
	sift_reader_close(r);
	unlink(path);
	free(path);

	path = tmpfile_str("1,2\n");
	sift_csv_opts_init(&csv);
	csv.header = 0;
	r = sift_reader_open(path, &csv, 0, &err);
	assert_non_null(r);
	assert_string_equal(sift_reader_colref(r, 1, where, sizeof where),
			    "column 2");
	sift_reader_close(r);
	unlink(path);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nearest_column),
		cmocka_unit_test(test_one_column_header),
		cmocka_unit_test(test_field_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
