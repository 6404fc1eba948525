/* Unit tests of lib/cost.c: the --cost spec of sift metrics and sift
 * train. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sift/cost.h"

static void binary_keys_in_any_case(void **state)
{
	struct sift_cost_spec s;
	struct sift_error err = { 0, "" };

	(void)state;
	assert_int_equal(sift_cost_parse("fn=10,FP=1,Tp=-2.5,tN=0", &s, &err),
			 0);
	assert_int_equal(s.n, 4);
	assert_false(s.cells);
	assert_int_equal(s.entry[0].key, SIFT_COST_FN);
	assert_float_equal(s.entry[0].cost, 10, 0);
	assert_string_equal(s.entry[0].text, "fn=10");
	assert_int_equal(s.entry[1].key, SIFT_COST_FP);
	assert_int_equal(s.entry[2].key, SIFT_COST_TP);
	assert_float_equal(s.entry[2].cost, -2.5, 0);
	assert_int_equal(s.entry[3].key, SIFT_COST_TN);
	assert_null(s.entry[3].gold);
	sift_cost_free(&s);
}

static void cells_name_two_classes(void **state)
{
	struct sift_cost_spec s;
	struct sift_error err = { 0, "" };

	(void)state;
	/* empty entries are passed over; the last '=' ends the key, so a
	 * predicted class may hold one */
	assert_int_equal(
		sift_cost_parse(",fraud:ok=10,,ok:a=b=1e-3,", &s, &err), 0);
	assert_int_equal(s.n, 2);
	assert_true(s.cells);
	assert_int_equal(s.entry[0].key, SIFT_COST_CELL);
	assert_string_equal(s.entry[0].gold, "fraud");
	assert_string_equal(s.entry[0].pred, "ok");
	assert_string_equal(s.entry[0].text, "fraud:ok=10");
	assert_string_equal(s.entry[1].gold, "ok");
	assert_string_equal(s.entry[1].pred, "a=b");
	assert_float_equal(s.entry[1].cost, 1e-3, 0);
	assert_string_equal(s.entry[1].text, "ok:a=b=1e-3");
	sift_cost_free(&s);
	sift_cost_free(&s); /* freed twice: nothing left to free */
}

static void bad_specs_are_usage_errors(void **state)
{
	static const struct {
		const char *spec, *msg;
	} bad[] = {
		{ "FN", "cost: 'FN' is not KEY=NUMBER (KEY: TP, FP, FN, TN "
			"or gold:pred)" },
		{ "FN=1,FP=x", "cost: 'FP=x' is not KEY=NUMBER (KEY: TP, FP, "
			       "FN, TN or gold:pred)" },
		{ "FN=nan", "cost: 'FN=nan' is not KEY=NUMBER (KEY: TP, FP, "
			    "FN, TN or gold:pred)" },
		{ "=1", "cost: '=1' is not KEY=NUMBER (KEY: TP, FP, FN, TN "
			"or gold:pred)" },
		{ "XY=1", "cost: 'XY=1' is not KEY=NUMBER (KEY: TP, FP, FN, "
			  "TN or gold:pred)" },
		{ "FN=", "cost: 'FN=' is not KEY=NUMBER (KEY: TP, FP, FN, "
			 "TN or gold:pred)" },
		{ "", "cost: no entry in '': give KEY=NUMBER,... (KEY: TP, "
		      "FP, FN, TN or gold:pred)" },
		{ "a:b=1,FN=2", "cost: give TP/FP/FN/TN or gold:pred "
				"entries, not both" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct sift_cost_spec s;
		struct sift_error err = { 0, "" };

		assert_int_equal(sift_cost_parse(bad[i].spec, &s, &err),
				 SIFT_EUSAGE);
		assert_string_equal(err.msg, bad[i].msg);
		/* nothing to free, and freeing it is harmless */
		assert_null(s.entry);
		sift_cost_free(&s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(binary_keys_in_any_case),
		cmocka_unit_test(cells_name_two_classes),
		cmocka_unit_test(bad_specs_are_usage_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
