/* lib/error.c - filling struct sift_error, and the notes results carry. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sift/error.h"

int sift_error_set(struct sift_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return code;
}

int sift_error_nomem(struct sift_error *err)
{
	return sift_error_set(err, SIFT_ENOMEM, "out of memory");
}

void sift_note_add(char *buf, size_t size, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	if (used + 2 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, size - used - 1, fmt, ap);
	va_end(ap);
	used = strlen(buf);
	buf[used] = '\n';
	buf[used + 1] = '\0';
}

int sift_exit_status(int code)
{
	switch (code) {
	case SIFT_OK:
	case SIFT_EPIPE:
		return 0;
	case SIFT_EUSAGE:
		return 2;
	default:
		return 1;
	}
}
