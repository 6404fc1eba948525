/* Unit tests of lib/model_tokenize.c: the rules of sift/tokenize.h, one by one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sift/tokenize.h"

/* The tokens of s joined by '|'. */
static const char *toks(const char *s)
{
	static char out[1024];
	struct sift_tokens t;
	size_t k = 0;

	sift_tokens_init(&t);
	assert_int_equal(sift_tokenize(s, strlen(s), &t), 0);
	out[0] = 0;
	for (size_t i = 0; i < t.n; i++) {
		if (i)
			out[k++] = '|';
		memcpy(out + k, t.buf + t.off[i], t.len[i]);
		k += t.len[i];
	}
	out[k] = 0;
	sift_tokens_free(&t);
	return out;
}

static void test_words_and_case(void **state)
{
	(void)state;
	assert_string_equal(toks("Hello, WORLD!! it's 2024"),
			    "hello|world|it's|2024");
	assert_string_equal(toks(""), "");
	assert_string_equal(toks("  ,,. "), "");
	assert_string_equal(toks("'quoted' don't"), "quoted|don't");
}

static void test_hashtags_mentions(void **state)
{
	(void)state;
	assert_string_equal(toks("@U123 says #Vote2024 # @ ok"),
			    "@u123|says|#vote2024|ok");
	assert_string_equal(toks("a#b"), "a|#b");
}

static void test_urls(void **state)
{
	(void)state;
	assert_string_equal(toks("see https://WWW.Example.com/a?b=1 now"),
			    "see|__url__|example.com|now");
	assert_string_equal(toks("http://x.org:8080/p."), "__url__|x.org");
	assert_string_equal(toks("www.news.co.uk."), "__url__|news.co.uk");
	assert_string_equal(toks("https://"), "__url__");
}

static void test_utf8(void **state)
{
	(void)state;
	/* Latin-1 capitals fold (É -> é, Ö -> ö), × does not, others stay. */
	assert_string_equal(toks("\xc3\x89t\xc3\xa9 \xc3\x96L \xc3\x97 "
				 "\xce\x94"),
			    "\xc3\xa9t\xc3\xa9|\xc3\xb6l|\xc3\x97|\xce\x94");
	/* Emoji are word bytes: kept whole. */
	assert_string_equal(toks("fire\xf0\x9f\x94\xa5 \xe2\x9c\xa8"),
			    "fire\xf0\x9f\x94\xa5|\xe2\x9c\xa8");
	/* Invalid UTF-8 passes through. */
	assert_string_equal(toks("a\xff\xc3"), "a\xff\xc3");
}

static void test_many_urls_fit(void **state)
{
	char s[4000];
	size_t k = 0;

	(void)state;
	while (k + 5 < sizeof s - 1) {
		memcpy(s + k, "www. ", 5);
		k += 5;
	}
	s[k] = 0;
	struct sift_tokens t;

	sift_tokens_init(&t);
	assert_int_equal(sift_tokenize(s, k, &t), 0);
	assert_int_equal(t.n, k / 5);
	sift_tokens_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words_and_case),
		cmocka_unit_test(test_hashtags_mentions),
		cmocka_unit_test(test_urls),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_many_urls_fit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
