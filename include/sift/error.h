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

/* The process exit status for a code: 0 for SIFT_OK and SIFT_EPIPE (a
 * closed pipe downstream is not a failure), 2 for SIFT_EUSAGE, else 1. */
int sift_exit_status(int code);

#ifdef __cplusplus
}
#endif

#endif
