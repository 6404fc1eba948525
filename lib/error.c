/* lib/error.c - filling struct sift_error, and the notes results carry. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sift/error.h"

static sift_option_namer *option_namer;

void sift_set_option_namer(sift_option_namer *name)
{
	option_namer = name;
}

const char *sift_option_word(const char *field, char *out, size_t size)
{
	if (option_namer)
		option_namer(field, out, size);
	else
		snprintf(out, size, "%s", field);
	return out;
}

/* The format vsnprintf gets below is the caller's, checked by the
 * compiler at the call (format attributes in sift/error.h), with field
 * names put in: not a literal, and no less safe for it. */
#if defined(__clang__)
#pragma clang diagnostic ignored "-Wformat-nonliteral"
#endif

/* fmt with each `field` in it replaced by its word, in out (size bytes);
 * fmt itself when it names no field. With escape, a '%' in a word is
 * doubled, so that the result is still a format for fmt's arguments. */
static const char *render(const char *fmt, char *out, size_t size, int escape)
{
	size_t o = 0;

	if (!strchr(fmt, '`'))
		return fmt;
	for (const char *p = fmt; *p && o + 1 < size;) {
		const char *end = *p == '`' ? strchr(p + 1, '`') : NULL;
		char field[64], word[64];
		size_t n;

		if (!end) {
			out[o++] = *p++;
			continue;
		}
		n = (size_t)(end - p - 1);
		if (n >= sizeof field)
			n = sizeof field - 1;
		memcpy(field, p + 1, n);
		field[n] = '\0';
		sift_option_word(field, word, sizeof word);
		for (const char *c = word; *c && o + 2 < size; c++) {
			if (escape && *c == '%')
				out[o++] = '%';
			out[o++] = *c;
		}
		p = end + 1;
	}
	out[o] = '\0';
	return out;
}

const char *sift_option_text(const char *text, char *out, size_t size)
{
	const char *s = render(text, out, size, 0);

	if (s != out)
		snprintf(out, size, "%s", text);
	return out;
}

int sift_error_set(struct sift_error *err, int code, const char *fmt, ...)
{
	char spec[1024];
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, render(fmt, spec, sizeof spec, 1),
		  ap);
	va_end(ap);
	return code;
}

int sift_error_nomem(struct sift_error *err)
{
	return sift_error_set(err, SIFT_ENOMEM, "out of memory");
}

void sift_note_vadd(char *buf, size_t size, const char *fmt, va_list ap)
{
	size_t used = strlen(buf);
	char spec[1024];

	if (used + 2 >= size)
		return;
	vsnprintf(buf + used, size - used - 1,
		  render(fmt, spec, sizeof spec, 1), ap);
	used = strlen(buf);
	buf[used] = '\n';
	buf[used + 1] = '\0';
}

void sift_note_add(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sift_note_vadd(buf, size, fmt, ap);
	va_end(ap);
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
