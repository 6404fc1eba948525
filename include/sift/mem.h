/*
 * sift/mem.h - the allocation patterns that libsift's modules and the
 * tools share, written once.
 */
#ifndef SIFT_MEM_H
#define SIFT_MEM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A malloc'ed copy of the n bytes at s, then a NUL. Unlike strndup, all
 * n bytes are copied, NULs among them too, so that a length kept beside
 * the copy stays true of it (a rules line, a field). NULL when out of
 * memory or when n + 1 overflows. */
char *sift_memdup_nul(const char *s, size_t n);

#ifdef __cplusplus
}
#endif

#endif
