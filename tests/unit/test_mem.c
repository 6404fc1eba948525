/* Unit tests of lib/mem.c: copies of byte strings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "sift/mem.h"

static void memdup_nul_copies_every_byte(void **state)
{
	static const char bytes[] = { 'a', '\0', 'b', 'c' };
	char *d;

	(void)state;
	/* a NUL among the bytes is copied, unlike strndup */
	d = sift_memdup_nul(bytes, sizeof bytes);
	assert_non_null(d);
	assert_memory_equal(d, bytes, sizeof bytes);
	assert_int_equal(d[sizeof bytes], '\0');
	free(d);
	/* a prefix, terminated */
	d = sift_memdup_nul("abcdef", 3);
	assert_string_equal(d, "abc");
	free(d);
	d = sift_memdup_nul("", 0);
	assert_string_equal(d, "");
	free(d);
	/* n + 1 overflows: no allocation, no copy */
	assert_null(sift_memdup_nul("x", SIZE_MAX));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(memdup_nul_copies_every_byte),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
