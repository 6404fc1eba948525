/*
 * sift/tokenize.h - the tweet tokenizer of sift train and sift predict.
 *
 * A model stores the tokenizer's settings, and predict must split text
 * exactly as training did, so the rules are fixed and written out here
 * (and in sift-train(1)); changing them needs a new model version.
 *
 * Bytes are classified, never decoded to code points except to fold
 * case:
 *   - word bytes: ASCII letters and digits, '_', and every byte >= 0x80
 *     (so UTF-8 sequences, accented letters and emoji alike, stay whole
 *     inside tokens);
 *   - an apostrophe between two word bytes is a word byte ("don't");
 *   - '#' or '@' followed by a word byte starts a hashtag or mention
 *     token that keeps its sign ("#vote", "@u123");
 *   - a URL is a run of non-space bytes starting with "http://",
 *     "https://" or "www." (ASCII case ignored): it becomes two tokens,
 *     SIFT_TOKEN_URL ("__url__") and its host, folded, without "www."
 *     and without a port ("example.com");
 *   - every other byte separates tokens.
 * Case folding: ASCII A-Z to a-z, and the Latin-1 supplement capitals
 * U+00C0..U+00DE except U+00D7 (the multiplication sign), encoded in
 * UTF-8 as C3 80..C3 9E, to their small letters U+00E0..U+00FE (C3 A0..
 * C3 BE). Nothing else is folded (no other scripts, no normalization).
 * Invalid UTF-8 is kept as it is, byte for byte.
 */
#ifndef SIFT_TOKENIZE_H
#define SIFT_TOKENIZE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SIFT_TOKEN_URL "__url__"

/* The tokens of one text: their bytes (folded) back to back in buf, token
 * i at buf + off[i] with length len[i]. The arrays grow as needed and are
 * reused from one text to the next, so a stream of records allocates only
 * while its longest text grows. */
struct sift_tokens {
	char *buf;
	size_t buf_size;
	uint32_t *off, *len;
	size_t n, cap;
};

/* An empty set of tokens (no allocation yet). */
void sift_tokens_init(struct sift_tokens *t);

/* Free the arrays; t may be NULL. */
void sift_tokens_free(struct sift_tokens *t);

/* Replace t's tokens with those of s[0..len). Returns 0, or -1 when out of
 * memory (t is then empty). */
int sift_tokenize(const char *s, size_t len, struct sift_tokens *t);

#ifdef __cplusplus
}
#endif

#endif
