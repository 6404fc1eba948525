/* Unit tests of lib/nearest.c: the optimal-string-alignment distance on
 * textbook pairs, case folding, and which names are suggested; the
 * tables that name an enum's values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sift/nearest.h"

static void test_distance(void **state)
{
	(void)state;
	assert_int_equal(sift_edit_distance("kitten", "sitting", 0), 3);
	assert_int_equal(sift_edit_distance("", "abc", 0), 3);
	assert_int_equal(sift_edit_distance("abc", "", 0), 3);
	assert_int_equal(sift_edit_distance("same", "same", 0), 0);
	/* a transposition is one edit */
	assert_int_equal(sift_edit_distance("lable", "label", 0), 1);
	assert_int_equal(sift_edit_distance("ab", "ba", 0), 1);
	/* optimal string alignment edits no substring twice: "ca" to "abc"
	 * is 3, where unrestricted Damerau-Levenshtein says 2 */
	assert_int_equal(sift_edit_distance("ca", "abc", 0), 3);
	assert_int_equal(sift_edit_distance("Text", "text", 0), 1);
	assert_int_equal(sift_edit_distance("Text", "text", 1), 0);
	assert_int_equal(sift_edit_distance("TEXT", "tetx", 1), 1);
	/* symmetric */
	assert_int_equal(sift_edit_distance("emit-weights", "emit-weight", 0),
			 sift_edit_distance("emit-weight", "emit-weights", 0));
}

static void test_long_names(void **state)
{
	char a[200], b[200];

	(void)state;
	memset(a, 'x', sizeof a - 1);
	a[sizeof a - 1] = '\0';
	memcpy(b, a, sizeof b);
	b[150] = 'y'; /* beyond the bytes compared */
	assert_int_equal(sift_edit_distance(a, b, 0), 0);
	b[10] = 'y';
	assert_int_equal(sift_edit_distance(a, b, 0), 1);
}

static const char *const options[] = {
	"method", "size",  "emit-weight", "weight",          "by",
	"seed",   "seeds", "per-stratum", "min-per-stratum",
};
#define N_OPTIONS (sizeof options / sizeof *options)

static void test_nearest(void **state)
{
	(void)state;
	assert_int_equal(sift_nearest("emit-weights", options, N_OPTIONS), 2);
	assert_int_equal(sift_nearest("mehtod", options, N_OPTIONS), 0);
	assert_int_equal(sift_nearest("sise", options, N_OPTIONS), 1);
	assert_int_equal(sift_nearest("seed", options, N_OPTIONS), 5);
	assert_int_equal(sift_nearest("seedz", options, N_OPTIONS), 5);
	assert_int_equal(sift_nearest("per-stratun", options, N_OPTIONS), 7);
	/* nothing plausible */
	assert_int_equal(sift_nearest("x", options, N_OPTIONS), -1);
	assert_int_equal(sift_nearest("verbose", options, N_OPTIONS), -1);
	assert_int_equal(sift_nearest("", options, N_OPTIONS), -1);
	assert_int_equal(sift_nearest("by", NULL, 0), -1);
	/* one edit in two bytes is plausible; two are not */
	assert_int_equal(sift_nearest("bu", options, N_OPTIONS), 4);
	assert_int_equal(sift_nearest("ux", options, N_OPTIONS), -1);
}

static void test_case_preferred(void **state)
{
	static const char *const cols[] = { "next", "text", "Texts", NULL,
					    "TEXT" };

	(void)state;
	/* folded, "text" and "TEXT" are both 0 from "Text"; the exact
	 * distance prefers "text" (1) to "TEXT" (3), and "next" (1 folded)
	 * loses to both */
	assert_int_equal(sift_nearest("Text", cols, 5), 1);
	assert_int_equal(sift_nearest("TEXt", cols, 5), 4);
	assert_int_equal(sift_nearest("texts", cols, 5), 2);
}

static void test_name_table(void **state)
{
	static const struct sift_name t[] = {
		{ "reservoir", 1 },
		{ "random", 1 },
		{ "first", 0 },
	};

	(void)state;
	assert_int_equal(sift_name_value(t, 3, "random"), 1);
	assert_int_equal(sift_name_value(t, 3, "first"), 0);
	assert_int_equal(sift_name_value(t, 3, "Random"), -1);
	assert_int_equal(sift_name_value(t, 0, "first"), -1);
	/* a value's own name is its first */
	assert_string_equal(sift_name_of(t, 3, 1), "reservoir");
	assert_string_equal(sift_name_of(t, 3, 0), "first");
	assert_string_equal(sift_name_of(t, 3, 7), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_long_names),
		cmocka_unit_test(test_nearest),
		cmocka_unit_test(test_case_preferred),
		cmocka_unit_test(test_name_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
