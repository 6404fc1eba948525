/* Unit tests of lib/mem.c: arrays that grow, copies of byte strings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sift/mem.h"

static void grow_cap_doubles_from_first(void **state)
{
	(void)state;
	assert_int_equal(sift_grow_cap(0, 1, 16), 16);
	assert_int_equal(sift_grow_cap(0, 17, 16), 32);
	assert_int_equal(sift_grow_cap(16, 17, 1024), 32);
	assert_int_equal(sift_grow_cap(16, 100, 1024), 128);
	/* need <= cap: the room stays */
	assert_int_equal(sift_grow_cap(16, 16, 1024), 16);
	assert_int_equal(sift_grow_cap(16, 0, 1024), 16);
	/* a doubling past SIZE_MAX */
	assert_true(sift_grow_cap(SIZE_MAX / 2 + 1, SIZE_MAX, 1) == SIZE_MAX);
	assert_true(sift_grow_cap(3, SIZE_MAX - 1, 1) == SIZE_MAX);
}

static void grow_keeps_and_zeroes(void **state)
{
	int *a = NULL, *before;
	size_t cap = 0;

	(void)state;
	assert_int_equal(sift_grow(&a, &cap, 3, sizeof *a, 4), 0);
	assert_non_null(a);
	assert_int_equal(cap, 4);
	for (int i = 0; i < 4; i++)
		a[i] = i + 1;
	/* need <= cap changes nothing */
	before = a;
	assert_int_equal(sift_grow(&a, &cap, 4, sizeof *a, 4), 0);
	assert_ptr_equal(a, before);
	assert_int_equal(cap, 4);
	/* grown and zeroed past the old room; the old elements kept */
	assert_int_equal(sift_grow_zero(&a, &cap, 9, sizeof *a, 4), 0);
	assert_int_equal(cap, 16);
	for (int i = 0; i < 4; i++)
		assert_int_equal(a[i], i + 1);
	for (int i = 4; i < 16; i++)
		assert_int_equal(a[i], 0);
	free(a);
}

static void grow_refuses_an_overflow(void **state)
{
	double *a = NULL, *before;
	size_t cap = 0;

	(void)state;
	assert_int_equal(sift_grow(&a, &cap, 10, sizeof *a, 8), 0);
	before = a;
	/* need * elem overflows: nothing changes, the array stays valid */
	errno = 0;
	assert_int_equal(sift_grow(&a, &cap, SIZE_MAX / 4, sizeof *a, 8), -1);
	assert_int_equal(errno, ENOMEM);
	assert_ptr_equal(a, before);
	assert_int_equal(cap, 16);
	assert_int_equal(sift_grow_zero(&a, &cap, SIZE_MAX, sizeof *a, 8), -1);
	assert_int_equal(cap, 16);
	errno = 0;
	assert_int_equal(sift_resize(&a, SIZE_MAX / 2, sizeof *a), -1);
	assert_int_equal(errno, ENOMEM);
	assert_ptr_equal(a, before);
	a[15] = 1; /* still the array of 16 */
	free(a);
}

static void resize_to_any_size(void **state)
{
	char *s = NULL;

	(void)state;
	assert_int_equal(sift_resize(&s, 0, 1), 0); /* a valid pointer */
	assert_non_null(s);
	assert_int_equal(sift_resize(&s, 6, 1), 0);
	memcpy(s, "sift!", 6);
	assert_int_equal(sift_resize(&s, 3, 1), 0);
	assert_memory_equal(s, "sif", 3);
	/* arrays that share a room: zeroed from the old size on */
	assert_int_equal(sift_resize_zero(&s, 3, 8, 1), 0);
	assert_memory_equal(s, "sif\0\0\0\0\0", 8);
	assert_int_equal(sift_resize_zero(&s, 8, SIZE_MAX, 2), -1);
	assert_memory_equal(s, "sif", 3);
	free(s);
}

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
		cmocka_unit_test(grow_cap_doubles_from_first),
		cmocka_unit_test(grow_keeps_and_zeroes),
		cmocka_unit_test(grow_refuses_an_overflow),
		cmocka_unit_test(resize_to_any_size),
		cmocka_unit_test(memdup_nul_copies_every_byte),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
