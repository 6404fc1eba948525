/*
 * lib/rules_phrases.c - whole-word phrase matching with an Aho-Corasick
 * automaton over case-folded bytes (see sift/phrases.h).
 *
 * The automaton is built as a complete DFA: delta[state][class] is the
 * next state, with failure transitions already folded in (Aho and
 * Corasick 1975, Algorithm 3 made into a deterministic machine), so the
 * scan does one table load per byte. Bytes are first mapped to classes:
 * class 0 is every byte that occurs in no phrase (it always leads back
 * to the root), so the table is states x (distinct bytes + 1) wide, not
 * states x 256.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sift/mem.h"
#include "sift/file.h"
#include "sift/phrases.h"

struct phrase {
	size_t len;
	unsigned char need_left, need_right; /* word char at that edge */
};

struct sift_phrases {
	unsigned char cls[256]; /* byte -> class (case-folded) */
	size_t ncls;
	int32_t *delta; /* nstates x ncls */
	int32_t *out;   /* the phrase that ends at a state, or -1 */
	int32_t *dict;  /* the next suffix state with an output, or -1 */
	size_t nstates, cap;
	struct phrase *ph;
	size_t nph;
};

static unsigned char fold(unsigned char b)
{
	return b >= 'A' && b <= 'Z' ? (unsigned char)(b - 'A' + 'a') : b;
}

static int ascii_word(unsigned char b)
{
	return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') ||
	       (b >= '0' && b <= '9') || b == '_';
}

/* Letters of most scripts are word characters; punctuation, symbols and
 * emoji (U+2000 and up, outside the ranges of scripts) are not. */
static int cp_word(uint32_t cp)
{
	if (cp >= 0xC0 && cp < 0x2000)
		return cp != 0xD7 && cp != 0xF7;
	return (cp >= 0x2C00 && cp < 0xD800) || (cp >= 0xF900 && cp < 0xFE00);
}

/* Decode the UTF-8 sequence at s[0..n); 0 if invalid. */
static uint32_t decode(const unsigned char *s, size_t n)
{
	size_t need;
	uint32_t cp;

	if (s[0] >= 0xF0 && s[0] < 0xF5)
		need = 4, cp = s[0] & 0x07u;
	else if (s[0] >= 0xE0)
		need = s[0] < 0xF0 ? 3 : 0, cp = s[0] & 0x0Fu;
	else if (s[0] >= 0xC2)
		need = 2, cp = s[0] & 0x1Fu;
	else
		return 0;
	if (need == 0 || n < need)
		return 0;
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3Fu);
	}
	return cp;
}

/* Is the character that ends just before text[pos] a word character? */
static int word_before(const unsigned char *t, size_t pos)
{
	size_t i;

	if (pos == 0)
		return 0;
	if (t[pos - 1] < 0x80)
		return ascii_word(t[pos - 1]);
	i = pos - 1;
	while (i > 0 && pos - i < 4 && (t[i] & 0xC0) == 0x80)
		i--;
	return cp_word(decode(t + i, pos - i));
}

/* Is the character that starts at text[pos] a word character? */
static int word_at(const unsigned char *t, size_t pos, size_t len)
{
	if (pos >= len)
		return 0;
	if (t[pos] < 0x80)
		return ascii_word(t[pos]);
	return cp_word(decode(t + pos, len - pos));
}

static int add_state(struct sift_phrases *p)
{
	if (p->nstates == p->cap) {
		size_t cap = sift_grow_cap(p->cap, p->nstates + 1, 64);

		if (sift_resize(&p->delta, cap, p->ncls * sizeof *p->delta) ||
		    sift_resize(&p->out, cap, sizeof *p->out) ||
		    sift_resize(&p->dict, cap, sizeof *p->dict))
			return -1;
		p->cap = cap;
	}
	for (size_t c = 0; c < p->ncls; c++)
		p->delta[p->nstates * p->ncls + c] = -1;
	p->out[p->nstates] = -1;
	p->dict[p->nstates] = -1;
	return (int)p->nstates++;
}

static void make_classes(struct sift_phrases *p, const char *const *phrases,
			 const size_t *lens, size_t n)
{
	unsigned char seen[256] = { 0 };

	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < lens[i]; j++)
			seen[fold((unsigned char)phrases[i][j])] = 1;
	p->ncls = 1;
	for (int b = 0; b < 256; b++)
		if (seen[b])
			p->cls[b] = (unsigned char)p->ncls++;
	for (int b = 'A'; b <= 'Z'; b++)
		p->cls[b] = p->cls[b - 'A' + 'a'];
}

/* Insert phrase i into the trie; a duplicate shares the first one's
 * output. */
static int insert(struct sift_phrases *p, const char *s, size_t len)
{
	int32_t st = 0;

	for (size_t j = 0; j < len; j++) {
		size_t c = p->cls[(unsigned char)s[j]];
		int32_t next = p->delta[(size_t)st * p->ncls + c];

		if (next < 0) {
			int ns = add_state(p);

			if (ns < 0)
				return -1;
			next = ns;
			p->delta[(size_t)st * p->ncls + c] = next;
		}
		st = next;
	}
	if (p->out[st] < 0) {
		struct phrase *ph = &p->ph[p->nph];

		ph->len = len;
		ph->need_left =
			(unsigned char)ascii_word((unsigned char)s[0]) ||
			(unsigned char)s[0] >= 0x80;
		ph->need_right = ascii_word((unsigned char)s[len - 1]) ||
				 (unsigned char)s[len - 1] >= 0x80;
		p->out[st] = (int32_t)p->nph++;
	}
	return 0;
}

/* Breadth first: fail links, dictionary links, and the missing
 * transitions filled from the fail state's (a complete DFA). */
static int complete(struct sift_phrases *p)
{
	int32_t *queue = malloc(p->nstates * sizeof *queue);
	int32_t *fail = malloc(p->nstates * sizeof *fail);
	size_t head = 0, tail = 0, w = p->ncls;

	if (!queue || !fail) {
		free(queue);
		free(fail);
		return -1;
	}
	for (size_t c = 0; c < w; c++) {
		int32_t s = p->delta[c];

		if (s < 0 || c == 0) {
			p->delta[c] = 0;
		} else {
			fail[s] = 0;
			queue[tail++] = s;
		}
	}
	while (head < tail) {
		int32_t r = queue[head++];

		for (size_t c = 0; c < w; c++) {
			int32_t s = p->delta[(size_t)r * w + c];
			int32_t f = p->delta[(size_t)fail[r] * w + c];

			if (s < 0) {
				p->delta[(size_t)r * w + c] = f;
				continue;
			}
			fail[s] = f;
			p->dict[s] = p->out[f] >= 0 ? f : p->dict[f];
			queue[tail++] = s;
		}
	}
	free(queue);
	free(fail);
	return 0;
}

struct sift_phrases *sift_phrases_new(const char *const *phrases,
				      const size_t *lens, size_t n,
				      struct sift_error *err)
{
	struct sift_phrases *p = calloc(1, sizeof *p);

	if (!p || !(p->ph = calloc(n ? n : 1, sizeof *p->ph)))
		goto nomem;
	for (size_t i = 0; i < n; i++)
		if (lens[i] == 0) {
			sift_phrases_free(p);
			sift_error_set(err, SIFT_EUSAGE, "phrase %zu is empty",
				       i + 1);
			return NULL;
		}
	make_classes(p, phrases, lens, n);
	if (add_state(p) < 0)
		goto nomem;
	for (size_t i = 0; i < n; i++)
		if (insert(p, phrases[i], lens[i]))
			goto nomem;
	if (complete(p))
		goto nomem;
	return p;
nomem:
	sift_phrases_free(p);
	sift_error_nomem(err);
	return NULL;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* A lexicon is kilobytes to megabytes; a name such as @/dev/zero must
 * end in an error, not in reading until memory runs out. */
#define MAX_PHRASE_FILE ((size_t)64 << 20)

struct sift_phrases *sift_phrases_load(const char *path, struct sift_error *err)
{
	size_t len = 0, n = 0, cap = 0;
	char *text = sift_read_small_file(path, MAX_PHRASE_FILE, "phrase file",
					  &len, err);
	const char **ph = NULL;
	size_t *lens = NULL;
	struct sift_phrases *p = NULL;

	if (!text)
		return NULL;
	for (char *line = text, *end; line < text + len; line = end + 1) {
		end = memchr(line, '\n', (size_t)(text + len - line));
		if (!end)
			end = text + len;
		char *a = line, *b = end;

		while (a < b && is_blank(*a))
			a++;
		while (b > a && is_blank(b[-1]))
			b--;
		if (a == b || *a == '#')
			continue;
		if (n == cap) {
			size_t room = sift_grow_cap(cap, n + 1, 64);

			if (sift_resize(&ph, room, sizeof *ph) ||
			    sift_resize(&lens, room, sizeof *lens)) {
				sift_error_nomem(err);
				goto out;
			}
			cap = room;
		}
		ph[n] = a;
		lens[n++] = (size_t)(b - a);
	}
	if (n == 0)
		sift_error_set(err, SIFT_EUSAGE, "%s: no phrases in the file",
			       path);
	else
		p = sift_phrases_new(ph, lens, n, err);
out:
	free(ph);
	free(lens);
	free(text);
	return p;
}

void sift_phrases_free(struct sift_phrases *p)
{
	if (!p)
		return;
	free(p->delta);
	free(p->out);
	free(p->dict);
	free(p->ph);
	free(p);
}

size_t sift_phrases_count(const struct sift_phrases *p)
{
	return p->nph;
}

static int boundary_ok(const struct phrase *ph, const unsigned char *t,
		       size_t end, size_t len)
{
	size_t start = end - ph->len;

	if (ph->need_left && word_before(t, start))
		return 0;
	return !(ph->need_right && word_at(t, end, len));
}

int sift_phrases_match(const struct sift_phrases *p, const char *text,
		       size_t len)
{
	const unsigned char *t = (const unsigned char *)text;
	const int32_t *delta = p->delta;
	size_t w = p->ncls;
	int32_t st = 0;

	for (size_t i = 0; i < len; i++) {
		st = delta[(size_t)st * w + p->cls[t[i]]];
		for (int32_t s = p->out[st] >= 0 ? st : p->dict[st]; s >= 0;
		     s = p->dict[s])
			if (boundary_ok(&p->ph[p->out[s]], t, i + 1, len))
				return 1;
	}
	return 0;
}
