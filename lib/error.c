/* lib/error.c - filling struct sift_error. */
#include <stdarg.h>
#include <stdio.h>

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
