/* lib/parse.c - strict number parsing (see sift/parse.h). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sift/parse.h"

int sift_parse_double(const char *s, size_t len, double *out)
{
	char buf[64], *end;
	double x;

	if (len == 0 || len >= sizeof buf)
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	/* strtod would skip leading spaces and accept hex; a field with
	 * either is not what a CSV means by a number. NaN and infinities
	 * are numbers, but never usable ones. */
	const char *word = buf + (buf[0] == '-' || buf[0] == '+');
	if (strcasecmp(word, "nan") == 0 || strcasecmp(word, "inf") == 0 ||
	    strcasecmp(word, "infinity") == 0)
		return -2;
	if (!(buf[0] == '-' || buf[0] == '+' || buf[0] == '.' ||
	      (buf[0] >= '0' && buf[0] <= '9')))
		return -1;
	errno = 0;
	x = strtod(buf, &end);
	if (*end != '\0' || end == buf)
		return -1;
	for (const char *p = buf; *p; p++)
		if (*p == 'x' || *p == 'X')
			return -1;
	if (isnan(x) || isinf(x))
		return -2;
	*out = x;
	return 0;
}

int sift_parse_u64(const char *s, uint64_t *out)
{
	uint64_t n = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (n > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -1;
		n = n * 10 + (uint64_t)(*s - '0');
	}
	*out = n;
	return 0;
}
