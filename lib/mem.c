/* lib/mem.c - the shared allocation patterns (sift/mem.h). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sift/mem.h"

size_t sift_grow_cap(size_t cap, size_t need, size_t first)
{
	size_t n = cap ? cap : first;

	if (need <= cap)
		return cap;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			return SIZE_MAX;
		n *= 2;
	}
	return n;
}

/* The array's pointer is read and written through memcpy: pp points to
 * a T *, which is not a void * object. */
int sift_resize(void *pp, size_t n, size_t elem)
{
	size_t bytes = n * elem;
	void *old, *p;

	if (elem && n > SIZE_MAX / elem) {
		errno = ENOMEM;
		return -1;
	}
	memcpy(&old, pp, sizeof old);
	/* realloc of 0 bytes may free and return NULL: ask for 1 */
	p = realloc(old, bytes ? bytes : 1);
	if (!p)
		return -1;
	memcpy(pp, &p, sizeof p);
	/* p is not lost: it went to *pp, which cppcheck does not follow
	 * through memcpy. */
	/* cppcheck-suppress memleak */
	return 0;
}

int sift_resize_zero(void *pp, size_t old, size_t n, size_t elem)
{
	char *p;

	if (sift_resize(pp, n, elem))
		return -1;
	memcpy(&p, pp, sizeof p);
	memset(p + old * elem, 0, (n - old) * elem);
	return 0;
}

static int grow(void *pp, size_t *cap, size_t need, size_t elem, size_t first,
		int zero)
{
	size_t n = sift_grow_cap(*cap, need, first);

	if (n == *cap)
		return 0;
	if (zero ? sift_resize_zero(pp, *cap, n, elem)
		 : sift_resize(pp, n, elem))
		return -1;
	*cap = n;
	return 0;
}

int sift_grow(void *pp, size_t *cap, size_t need, size_t elem, size_t first)
{
	return grow(pp, cap, need, elem, first, 0);
}

int sift_grow_zero(void *pp, size_t *cap, size_t need, size_t elem,
		   size_t first)
{
	return grow(pp, cap, need, elem, first, 1);
}

char *sift_memdup_nul(const char *s, size_t n)
{
	char *d = n < SIZE_MAX ? malloc(n + 1) : NULL;

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}
