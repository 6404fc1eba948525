/*
 * sift/error.h - how libsift reports failure.
 *
 * Library functions never print and never exit. A function that can fail
 * returns 0 on success or one of the SIFT_E* codes below, and fills the
 * caller's struct sift_error with a message that already names the file,
 * line and column at fault. The tool decides what to print and which
 * status to exit with (sift_exit_status maps a code to it).
 */
#ifndef SIFT_ERROR_H
#define SIFT_ERROR_H

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum sift_status {
	SIFT_OK = 0,
	SIFT_EDATA = 1,  /* malformed or impossible input data */
	SIFT_EUSAGE = 2, /* bad options or arguments */
	SIFT_EIO = 3,    /* an operating-system call failed */
	SIFT_ENOMEM = 4, /* out of memory */
	SIFT_EPIPE = 5,  /* the reader of our output went away: quiet */
};

struct sift_error {
	int code;
	char msg[1024];
};

/* Fill err (if not NULL) with code and a printf-style message; returns
 * code, so that `return sift_error_set(err, SIFT_EDATA, ...)` reads well.
 * A message already present is replaced. */
int sift_error_set(struct sift_error *err, int code, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

/* Set SIFT_ENOMEM with a fixed message; returns SIFT_ENOMEM. */
int sift_error_nomem(struct sift_error *err);

/* Append a printf-style line, and a newline, to the text in buf (size
 * bytes, NUL-terminated), as far as it fits: the notes and warnings a
 * result carries for the tool to print, one per line. A line that does
 * not fit whole is cut; nothing is added once buf is full. */
void sift_note_add(char *buf, size_t size, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

/* sift_note_add with its arguments in ap. */
void sift_note_vadd(char *buf, size_t size, const char *fmt, va_list ap)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 0)))
#endif
	;

/* Messages name an option by its field in the library's option structs,
 * between backquotes in the format: "`ratio`: '%s' is not A:B". A
 * program renders those names in its own words, as sift's commands do
 * with their flags ("--ratio: ..."): name writes the word for field into
 * out (size bytes). Without a namer, or after NULL, a field reads as its
 * own name ("ratio: ..."). Set it once, before other calls: the namer is
 * the process's, as a locale is. */
typedef void sift_option_namer(const char *field, char *out, size_t size);
void sift_set_option_namer(sift_option_namer *name);

/* The word for field in messages, as the namer (or the default) gives
 * it; out holds size bytes. Returns out. */
const char *sift_option_word(const char *field, char *out, size_t size);

/* text with each `field` in it put in words, in out (size bytes), for a
 * hint that goes into a message as an argument. Returns out. */
const char *sift_option_text(const char *text, char *out, size_t size);

/* The process exit status for a code: 0 for SIFT_OK and SIFT_EPIPE (a
 * closed pipe downstream is not a failure), 2 for SIFT_EUSAGE, else 1. */
int sift_exit_status(int code);

#ifdef __cplusplus
}
#endif

#endif
