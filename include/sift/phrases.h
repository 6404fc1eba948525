/*
 * sift/phrases.h - does a text contain any of a list of words or phrases,
 * as whole words, ignoring ASCII case?
 *
 * A lexicon of thousands of phrases is compiled once into an Aho-Corasick
 * automaton (Aho and Corasick 1975, "Efficient string matching: an aid to
 * bibliographic search") over case-folded bytes: a complete transition
 * table for its shallow states, a compact trie with failure links for
 * the rest, about 6 bytes a trie state (a phrase file of a million
 * lines, 18 MB, takes some 90 MB). A text is then scanned once, in time
 * linear in its length whatever the number of phrases, instead of once
 * per phrase.
 *
 * Whole words: a match counts only if the characters around it are not
 * word characters (ASCII letters, digits, '_', and letters encoded in
 * UTF-8 below U+2000; emoji, symbols and punctuation are not word
 * characters), on each side where the phrase itself begins or ends with
 * a word character (so "#hoax" matches in "x #hoax!"). Case folding is
 * ASCII only; other bytes, including invalid UTF-8, compare exactly.
 */
#ifndef SIFT_PHRASES_H
#define SIFT_PHRASES_H

#include <stddef.h>

#include "sift/error.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sift_phrases;

/* Compile n phrases (phrases[i] of lens[i] bytes; empty ones are an
 * error). Returns NULL and fills err (SIFT_EUSAGE, SIFT_ENOMEM). */
struct sift_phrases *sift_phrases_new(const char *const *phrases,
				      const size_t *lens, size_t n,
				      struct sift_error *err);

/* Read a phrase file: one word or phrase a line, surrounding blanks
 * trimmed; blank lines and lines starting with '#' are skipped. A file
 * with no phrase is an error. */
struct sift_phrases *sift_phrases_load(const char *path,
				       struct sift_error *err);

void sift_phrases_free(struct sift_phrases *p);

/* The number of distinct phrases. */
size_t sift_phrases_count(const struct sift_phrases *p);

/* 1 if text[0..len) contains one of the phrases as whole words, else 0. */
int sift_phrases_match(const struct sift_phrases *p, const char *text,
		       size_t len);

#ifdef __cplusplus
}
#endif

#endif
