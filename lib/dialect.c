/* lib/dialect.c - the backslash escapes of values without quoting (see
 * sift/dialect.h). */
#include <string.h>

#include "sift/dialect.h"

static int octal(char c)
{
	return c >= '0' && c <= '7' ? c - '0' : -1;
}

static int hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The escape at s[0] == '\\' (end: the value's end) into *byte; returns
 * the bytes it takes, or 0 for a backslash that escapes nothing. */
static size_t escape_at(const char *s, const char *end, unsigned char *byte)
{
	static const char from[] = "tnr\\bfv", to[] = "\t\n\r\\\b\f\v";
	const char *k = s + 1 < end ? strchr(from, s[1]) : NULL;
	size_t n = 1;
	unsigned v = 0;

	if (k && *k) {
		*byte = (unsigned char)to[k - from];
		return 2;
	}
	if (s + 1 < end && octal(s[1]) >= 0) {
		/* PostgreSQL keeps the low byte of \400 to \777. */
		while (n < 4 && s + n < end && octal(s[n]) >= 0)
			v = v * 8 + (unsigned)octal(s[n++]);
		*byte = (unsigned char)v;
		return n;
	}
	if (s + 2 < end && s[1] == 'x' && hex(s[2]) >= 0) {
		for (n = 2; n < 4 && s + n < end && hex(s[n]) >= 0; n++)
			v = v * 16 + (unsigned)hex(s[n]);
		*byte = (unsigned char)v;
		return n;
	}
	return 0;
}

size_t sift_tsv_decode(const char *s, size_t len, char *out)
{
	const char *end = s + len;
	char *d = out;

	if (len == 2 && s[0] == '\\' && s[1] == 'N')
		return 0;
	while (s < end) {
		const char *b = memchr(s, '\\', (size_t)(end - s));
		size_t run = (size_t)((b ? b : end) - s), n;
		unsigned char byte;

		memcpy(d, s, run);
		d += run;
		s += run;
		if (!b)
			break;
		n = escape_at(s, end, &byte);
		if (n) {
			*d++ = (char)byte;
			s += n;
		} else {
			*d++ = *s++; /* kept as it is */
		}
	}
	return (size_t)(d - out);
}

size_t sift_tsv_escape(unsigned char c, char delim, char out[4])
{
	static const char digits[] = "0123456789abcdef";
	const char *e = c == '\t'   ? "\\t"
			: c == '\n' ? "\\n"
			: c == '\r' ? "\\r"
			: c == '\\' ? "\\\\"
				    : NULL;

	if (e) {
		memcpy(out, e, 2);
		return 2;
	}
	if (c != (unsigned char)delim)
		return 0;
	out[0] = '\\';
	out[1] = 'x';
	out[2] = digits[c >> 4];
	out[3] = digits[c & 15];
	return 4;
}

int sift_csv_needs_quotes(char delim, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] == delim || s[i] == '"' || s[i] == '\n' ||
		    s[i] == '\r')
			return 1;
	return 0;
}

size_t sift_value_written_len(const char *s, size_t len, char delim,
			      enum sift_quoting q)
{
	size_t n = len;

	if (q == SIFT_QUOTING_NONE) {
		for (size_t i = 0; i < len; i++) {
			char esc[4];
			size_t k = sift_tsv_escape((unsigned char)s[i], delim,
						   esc);

			n += k ? k - 1 : 0;
		}
		return n;
	}
	if (!sift_csv_needs_quotes(delim, s, len))
		return n;
	for (size_t i = 0; i < len; i++)
		n += s[i] == '"';
	return n + 2;
}
