/* lib/mem.c - the shared allocation patterns (sift/mem.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sift/mem.h"

char *sift_memdup_nul(const char *s, size_t n)
{
	char *d = n < SIZE_MAX ? malloc(n + 1) : NULL;

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}
