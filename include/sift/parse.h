/*
 * sift/parse.h - numbers from fields, strictly and in the C locale.
 */
#ifndef SIFT_PARSE_H
#define SIFT_PARSE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Parse the whole of s[0..len) as a finite decimal or scientific
 * number. Returns 0 on success; -1 if it is not a number (empty, junk,
 * spaces, trailing characters); -2 if it is NaN or infinite. */
int sift_parse_double(const char *s, size_t len, double *out);

/* Parse a NUL-terminated unsigned decimal integer (no sign, no spaces)
 * that fits in 64 bits. Returns 0 or -1. */
int sift_parse_u64(const char *s, uint64_t *out);

#ifdef __cplusplus
}
#endif

#endif
