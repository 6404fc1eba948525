/*
 * sift/nearest.h - the nearest of a list of names to a misspelt one, for
 * the "did you mean" of an error message (an option, a column, a method),
 * and the tables that name an enum's values.
 *
 * The distance is Damerau-Levenshtein's in its optimal-string-alignment
 * form (Damerau 1964; Levenshtein 1966): the fewest insertions,
 * deletions, substitutions and transpositions of two adjacent bytes that
 * turn one string into the other, no substring edited twice. Names are
 * compared with ASCII letters folded to lower case, so that a name that
 * differs only in case is the nearest of all; the exact distance breaks
 * ties. Only a plausible misspelling is suggested: at most one edit in
 * three bytes of the longer name, and fewer edits than the typed name
 * has bytes (so that "x" suggests nothing).
 */
#ifndef SIFT_NEAREST_H
#define SIFT_NEAREST_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The optimal-string-alignment distance between a and b (NUL-terminated),
 * with ASCII letters folded to lower case when fold is set. Strings
 * longer than SIFT_NEAREST_MAX bytes are compared on their first
 * SIFT_NEAREST_MAX bytes: names, not texts. Allocates nothing. */
enum { SIFT_NEAREST_MAX = 63 };
size_t sift_edit_distance(const char *a, const char *b, int fold);

/* The index of the name among names[0..n) nearest to word, or -1 when
 * none is a plausible misspelling of it (see above) or n is 0. NULL
 * entries are skipped. A name equal to word is found too (distance 0). */
long sift_nearest(const char *word, const char *const *names, size_t n);

/* A name of an enum's value (a method, a measure), aliases included:
 * several names may share a value, the first of them its own name. */
struct sift_name {
	const char *name;
	int value;
};

/* The value named s (exactly) in t[0..n), or -1. */
int sift_name_value(const struct sift_name *t, size_t n, const char *s);

/* The first name of value in t[0..n), or "?" if it has none. */
const char *sift_name_of(const struct sift_name *t, size_t n, int value);

#ifdef __cplusplus
}
#endif

#endif
