/*
 * sift/intern.h - a set of byte strings, each given a small number.
 *
 * Strata, labels, annotators and users are named by strings that repeat
 * millions of times; interning turns each into a dense id (0, 1, 2, ...
 * in order of first appearance) so that counts live in plain arrays.
 * Open addressing with linear probing over XXH3 hashes.
 */
#ifndef SIFT_INTERN_H
#define SIFT_INTERN_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct sift_intern;

/* A new empty set, or NULL when out of memory. */
struct sift_intern *sift_intern_new(void);

/* Free t and its strings; t may be NULL. */
void sift_intern_free(struct sift_intern *t);

/* The id of s[0..len), added if new. Returns 0, or -1 when out of
 * memory (t is unchanged then). */
int sift_intern_add(struct sift_intern *t, const char *s, size_t len,
		    size_t *id);

/* The id of s[0..len) if present: returns 1 and sets *id, else 0. */
int sift_intern_find(const struct sift_intern *t, const char *s, size_t len,
		     size_t *id);

/* The number of strings. */
size_t sift_intern_count(const struct sift_intern *t);

/* String id (NUL-terminated; *len, if not NULL, gets its length, which
 * counts any embedded NULs). Valid until the next add. */
const char *sift_intern_str(const struct sift_intern *t, size_t id,
			    size_t *len);

#ifdef __cplusplus
}
#endif

#endif
