/* Unit tests of lib/rules_phrases.c: Aho-Corasick whole-word phrase matching.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sift/phrases.h"
#include "testutil.h"

static struct sift_phrases *make(const char *const *ph, size_t n)
{
	size_t lens[16];
	struct sift_error err;
	struct sift_phrases *p;

	for (size_t i = 0; i < n; i++)
		lens[i] = strlen(ph[i]);
	p = sift_phrases_new(ph, lens, n, &err);
	assert_non_null(p);
	return p;
}

static int has(const struct sift_phrases *p, const char *s)
{
	return sift_phrases_match(p, s, strlen(s));
}

static void whole_words_any_case(void **state)
{
	const char *ph[] = { "hoax", "big pharma", "5G", "wake up" };
	struct sift_phrases *p = make(ph, 4);

	(void)state;
	assert_int_equal(sift_phrases_count(p), 4);
	assert_true(has(p, "this is a HOAX!"));
	assert_true(has(p, "Hoax"));
	assert_true(has(p, "it's big pharma's fault"));
	assert_true(has(p, "my phone gets 5g"));
	assert_true(has(p, "time to wake up."));
	assert_false(has(p, "hoaxes everywhere"));
	assert_false(has(p, "a bighoax"));
	assert_false(has(p, "big pharmacy"));
	assert_false(has(p, "15G"));
	assert_false(has(p, "wake upstairs"));
	assert_false(has(p, ""));
	sift_phrases_free(p);
}

static void overlapping_phrases(void **state)
{
	/* The textbook example: he, she, his, hers (Aho-Corasick 1975). */
	const char *ph[] = { "he", "she", "his", "hers", "ushers x" };
	struct sift_phrases *p = make(ph, 5);

	(void)state;
	assert_false(has(p, "ushers"));  /* only inside a word */
	assert_true(has(p, "ushers x")); /* the long one */
	assert_true(has(p, "so she said"));
	assert_true(has(p, "it is hers"));
	assert_true(has(p, "xhe he")); /* the second occurrence */
	assert_false(has(p, "sheer hiss"));
	sift_phrases_free(p);
}

static void utf8_boundaries(void **state)
{
	const char *ph[] = { "caf", "hoax", "#truth", "é" };
	struct sift_phrases *p = make(ph, 4);

	(void)state;
	assert_false(has(p, "café"));                /* é is a letter */
	assert_true(has(p, "hoax\xF0\x9F\x99\x84")); /* emoji is not */
	assert_true(has(p, "\xE2\x80\x9Choax\xE2\x80\x9D")); /* quotes */
	assert_true(has(p, "so #truth!"));
	assert_true(has(p, "x#truth")); /* '#' edge needs no boundary */
	assert_false(has(p, "#truthful"));
	assert_false(has(p, "clich\xC3\xA9"));
	/* invalid UTF-8 around a word never crashes and is no letter */
	assert_true(has(p, "\xFF\xFEhoax\xC3"));
	assert_true(has(p, "\x80hoax\xBF"));
	sift_phrases_free(p);
}

static void loads_a_file(void **state)
{
	char *path = tmpfile_str("# a comment\n\n  miracle cure \r\n"
				 "plandemic\nplandemic\n");
	struct sift_error err;
	struct sift_phrases *p = sift_phrases_load(path, &err);

	(void)state;
	assert_non_null(p);
	assert_int_equal(sift_phrases_count(p), 2);
	assert_true(has(p, "a Miracle Cure!"));
	assert_true(has(p, "the plandemic"));
	sift_phrases_free(p);
	unlink(path);
	free(path);
}

static void bad_files(void **state)
{
	char *path = tmpfile_str("# only comments\n\n");
	struct sift_error err;

	(void)state;
	assert_null(sift_phrases_load(path, &err));
	assert_int_equal(err.code, SIFT_EUSAGE);
	assert_non_null(strstr(err.msg, "no phrases in the file"));
	unlink(path);
	free(path);
	assert_null(sift_phrases_load("/nonexistent/words.txt", &err));
	assert_int_equal(err.code, SIFT_EIO);
	assert_non_null(strstr(err.msg, "/nonexistent/words.txt: cannot open"));
	/* An endless file is refused at a size cap, not read until memory
	 * runs out (found while fuzzing rules files). */
	assert_null(sift_phrases_load("/dev/zero", &err));
	assert_int_equal(err.code, SIFT_EUSAGE);
	assert_string_equal(err.msg, "/dev/zero: larger than 64 MiB: not a "
				     "phrase file");
	/* A directory: the same class of error, not a "read error". */
	assert_null(sift_phrases_load("/tmp", &err));
	assert_int_equal(err.code, SIFT_EUSAGE);
	assert_string_equal(err.msg, "/tmp: a directory, not a phrase file");
}

static void many_phrases(void **state)
{
	enum { N = 2000 };
	static char buf[N][16];
	const char *ph[N];
	size_t lens[N];
	struct sift_error err;
	struct sift_phrases *p;

	(void)state;
	for (size_t i = 0; i < N; i++) {
		snprintf(buf[i], sizeof buf[i], "w%zuz", i * 7919 % 100000);
		ph[i] = buf[i];
		lens[i] = strlen(buf[i]);
	}
	p = sift_phrases_new(ph, lens, N, &err);
	assert_non_null(p);
	for (size_t i = 0; i < N; i += 97) {
		char text[64];

		snprintf(text, sizeof text, "x %.15s y", buf[i]);
		assert_true(has(p, text));
		snprintf(text, sizeof text, "x %.15sq y", buf[i]);
		assert_false(has(p, text));
	}
	sift_phrases_free(p);
}

static uint32_t lcg(uint64_t *x)
{
	*x = *x * 6364136223846793005u + 1442695040888963407u;
	return (uint32_t)(*x >> 33);
}

static int word_byte(unsigned char b)
{
	return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') ||
	       (b >= '0' && b <= '9') || b == '_';
}

static int lower_byte(int b)
{
	return b >= 'A' && b <= 'Z' ? b - 'A' + 'a' : b;
}

/* The definition, phrase by phrase and position by position (ASCII). */
static int naive(const char *const *ph, const size_t *lens, size_t n,
		 const char *t, size_t len)
{
	const unsigned char *u = (const unsigned char *)t;

	for (size_t i = 0; i < n; i++) {
		const unsigned char *q = (const unsigned char *)ph[i];

		for (size_t a = 0; a + lens[i] <= len; a++) {
			size_t k = 0, b = a + lens[i];

			while (k < lens[i] &&
			       lower_byte(u[a + k]) == lower_byte(q[k]))
				k++;
			if (k < lens[i])
				continue;
			if (word_byte(q[0]) && a > 0 && word_byte(u[a - 1]))
				continue;
			if (word_byte(q[lens[i] - 1]) && b < len &&
			    word_byte(u[b]))
				continue;
			return 1;
		}
	}
	return 0;
}

/* A lexicon far past the automaton's complete rows (over few letters,
 * deep and overlapping, with one phrase of 90 other bytes so that the
 * rows are wide and few), against the definition on random texts. */
static void deep_lexicon_against_definition(void **state)
{
	enum { N = 8000, TEXTS = 400 };
	static char buf[N + 1][100];
	const char *ph[N + 1];
	size_t lens[N + 1];
	const char alpha[] = "abAB -";
	struct sift_error err;
	struct sift_phrases *p;
	uint64_t seed = 42;
	size_t hits = 0;

	(void)state;
	for (size_t i = 0; i < N; i++) {
		size_t len = 6 + lcg(&seed) % 15;

		for (size_t k = 0; k < len; k++)
			buf[i][k] = alpha[lcg(&seed) % 6];
		ph[i] = buf[i];
		lens[i] = len;
	}
	for (int k = 0; k < 90; k++)
		buf[N][k] = (char)('!' + k);
	ph[N] = buf[N];
	lens[N] = 90;
	p = sift_phrases_new(ph, lens, N + 1, &err);
	assert_non_null(p);
	for (size_t j = 0; j < TEXTS; j++) {
		char text[80];
		size_t len = lcg(&seed) % sizeof text;
		int want, got;

		for (size_t k = 0; k < len; k++)
			text[k] = "abABx -"[lcg(&seed) % 7];
		want = naive(ph, lens, N + 1, text, len);
		got = sift_phrases_match(p, text, len);
		if (want != got)
			fail_msg("text %zu \"%.*s\": want %d, got %d", j,
				 (int)len, text, want, got);
		hits += (size_t)want;
	}
	/* both answers occur */
	print_message("%zu of %d texts match\n", hits, TEXTS);
	assert_true(hits > TEXTS / 10);
	assert_true(hits < TEXTS - TEXTS / 10);
	sift_phrases_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(whole_words_any_case),
		cmocka_unit_test(overlapping_phrases),
		cmocka_unit_test(utf8_boundaries),
		cmocka_unit_test(loads_a_file),
		cmocka_unit_test(bad_files),
		cmocka_unit_test(many_phrases),
		cmocka_unit_test(deep_lexicon_against_definition),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
