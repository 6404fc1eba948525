/*
 * sift/file.h - reading a small file whole (a rules file, a phrase
 * file, a list of seed users), and the spool of a stream.
 */
#ifndef SIFT_FILE_H
#define SIFT_FILE_H

#include <stddef.h>
#include <stdio.h>

#include "sift/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The bytes of the file at path, then a NUL (not counted in *len), in
 * a malloc'ed buffer; what names the kind of file for messages ("rules
 * file"). NULL with err set when it cannot be opened or read (SIFT_EIO,
 * with the system's reason), when it is a directory, or when it holds
 * more than max bytes, as /dev/zero would (SIFT_EUSAGE: a wrong name
 * more likely than a file that large). */
char *sift_read_small_file(const char *path, size_t max, const char *what,
			   size_t *len, struct sift_error *err);

/* An unlinked temporary file in $TMPDIR (else /tmp), named
 * "<prefix>-XXXXXX" while it is made, open for writing and reading: it
 * disappears however the process ends. NULL with errno set on
 * failure. */
FILE *sift_spool_file(const char *prefix);

#ifdef __cplusplus
}
#endif

#endif
