/*
 * lib/nearest.c - the nearest name to a misspelt one, and the names of
 * an enum's values (see sift/nearest.h).
 */
#include <string.h>

#include "sift/nearest.h"

static unsigned char fold_byte(unsigned char c, int fold)
{
	return fold && c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a')
					    : c;
}

static size_t min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;

	return m < c ? m : c;
}

size_t sift_edit_distance(const char *a, const char *b, int fold)
{
	/* Three rows of the dynamic programme (Wagner and Fischer 1974):
	 * the transposition looks two rows back. */
	size_t rows[3][SIFT_NEAREST_MAX + 1];
	size_t la = strlen(a), lb = strlen(b);
	size_t *two = rows[0], *prev = rows[1], *cur = rows[2];

	la = la < SIFT_NEAREST_MAX ? la : SIFT_NEAREST_MAX;
	lb = lb < SIFT_NEAREST_MAX ? lb : SIFT_NEAREST_MAX;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		unsigned char ca = fold_byte((unsigned char)a[i - 1], fold);

		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned char cb =
				fold_byte((unsigned char)b[j - 1], fold);
			size_t cost = ca != cb;

			cur[j] = min3(prev[j] + 1, cur[j - 1] + 1,
				      prev[j - 1] + cost);
			if (i > 1 && j > 1 && cost &&
			    ca == fold_byte((unsigned char)b[j - 2], fold) &&
			    cb == fold_byte((unsigned char)a[i - 2], fold) &&
			    two[j - 2] + 1 < cur[j])
				cur[j] = two[j - 2] + 1;
		}
		size_t *t = two;

		two = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb];
}

/* At most one edit in three bytes of the longer name, and fewer edits
 * than the typed word has bytes: "emit-weights" for "emit-weight" (1 of
 * 4 allowed), "lable" for "label" (a transposition), not "x" for "by". */
static int plausible(size_t d, size_t len_word, size_t len_name)
{
	size_t longer = len_word > len_name ? len_word : len_name;
	size_t limit = longer / 3; /* "best" is not "cost" (2 of 4) */

	return d <= (limit ? limit : 1) && (d == 0 || d < len_word);
}

long sift_nearest(const char *word, const char *const *names, size_t n)
{
	size_t best_fold = (size_t)-1, best_exact = (size_t)-1;
	size_t len = strlen(word);
	long best = -1;

	for (size_t i = 0; i < n; i++) {
		size_t df, de;

		if (!names[i])
			continue;
		df = sift_edit_distance(word, names[i], 1);
		if (!plausible(df, len, strlen(names[i])) || df > best_fold)
			continue;
		de = sift_edit_distance(word, names[i], 0);
		if (df < best_fold || de < best_exact) {
			best_fold = df;
			best_exact = de;
			best = (long)i;
		}
	}
	return best;
}

int sift_name_value(const struct sift_name *t, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, t[i].name) == 0)
			return t[i].value;
	return -1;
}

const char *sift_name_of(const struct sift_name *t, size_t n, int value)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].value == value)
			return t[i].name;
	return "?";
}
