/*
 * lib/rules_phrases.c - whole-word phrase matching with an Aho-Corasick
 * automaton over case-folded bytes (see sift/phrases.h).
 *
 * Memory is what shapes it. A lexicon of a million phrases is a trie of
 * some 13 million states, and a complete DFA over it (a row of next
 * states for every state) took a hundred times the size of the file. So
 * the automaton keeps a complete DFA only for its first states, and a
 * compact trie with failure links (Aho and Corasick 1975, Algorithm 2)
 * for the rest:
 *
 *  - States are numbered breadth first, so the first states are the
 *    shallow ones, where a scan of ordinary text spends nearly all its
 *    time. The first DENSE_CELLS / classes of them have a complete row,
 *    failures folded in: one table load per byte, as before.
 *  - In breadth-first order the children of a state are consecutive and
 *    follow those of the state before it, so a state needs only its
 *    number of children and the class of the edge into it (a byte
 *    each), with the first child of every SAMPLE-th state written down.
 *  - Failure links are packed in as many bits as a state number needs.
 *  - Phrase ends and dictionary links (the next state on the failure
 *    chain where a phrase ends) are kept only for the states that have
 *    them, found by rank in a bit vector.
 *
 * About 6 bytes a state in all. The trie is built from the sorted
 * phrases one level at a time: the states of depth d are the distinct
 * d-byte prefixes in sorted order, and a phrase starts a new one where
 * its common prefix with the phrase before it is shorter than d.
 *
 * Bytes are first mapped to classes: class 0 is every byte that occurs
 * in no phrase (it always leads back to the root); the classes of the
 * other bytes keep the order of the folded bytes, so the children of a
 * state, in sorted order, have ascending classes.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sift/mem.h"
#include "sift/file.h"
#include "sift/phrases.h"

/* 4 MiB of complete rows: the shallow states of any lexicon. */
#define DENSE_CELLS ((size_t)1 << 20)
#define SAMPLE      16

struct phrase {
	uint32_t len;
	unsigned char need_left, need_right; /* word char at that edge */
};

/* n numbers of `bits` bits each, little-endian, with 8 bytes of slack
 * at the end so that every read is one 64-bit load. */
struct packed {
	unsigned char *bytes;
	unsigned bits;
	uint32_t mask;
};

/* A bit vector with the count of set bits before each 64-bit word. */
struct bitrank {
	uint64_t *words;
	uint32_t *rank;
};

struct sift_phrases {
	unsigned char cls[256]; /* byte -> class (case-folded) */
	size_t ncls;
	uint32_t nstates, ndense;
	uint32_t *dense;       /* ndense x ncls, a complete DFA */
	unsigned char *label;  /* the class of the edge into each state */
	unsigned char *nchild; /* each state's number of children */
	uint32_t *first;       /* the first child of every SAMPLE-th state */
	struct packed fail;    /* each state's failure link */
	struct bitrank term;   /* the states where a phrase ends */
	struct phrase *ph;     /* the phrases, by rank in term */
	size_t nph;
	struct bitrank hasdict; /* the states with a dictionary link */
	struct packed dict;     /* the links, by rank in hasdict */
};

/* A phrase to compile: its bytes, not folded. */
struct entry {
	const unsigned char *s;
	size_t len;
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

static unsigned width(uint32_t max)
{
	unsigned b = 1;

	while (b < 32 && max >> b)
		b++;
	return b;
}

static int packed_init(struct packed *a, size_t n, uint32_t max)
{
	a->bits = width(max);
	a->mask = a->bits == 32 ? UINT32_MAX : ((uint32_t)1 << a->bits) - 1;
	a->bytes = calloc(n / 8 * a->bits + a->bits + 8, 1);
	return a->bytes ? 0 : -1;
}

static uint64_t load64(const unsigned char *b)
{
	uint64_t w = 0;

	for (int k = 7; k >= 0; k--)
		w = w << 8 | b[k];
	return w;
}

static void store64(unsigned char *b, uint64_t w)
{
	for (int k = 0; k < 8; k++, w >>= 8)
		b[k] = (unsigned char)w;
}

static uint32_t packed_get(const struct packed *a, size_t i)
{
	size_t bit = i * a->bits;

	return (uint32_t)(load64(a->bytes + bit / 8) >> (bit % 8)) & a->mask;
}

static void packed_set(struct packed *a, size_t i, uint32_t v)
{
	size_t bit = i * a->bits;
	unsigned char *b = a->bytes + bit / 8;
	uint64_t m = (uint64_t)a->mask << (bit % 8);

	store64(b, (load64(b) & ~m) | (uint64_t)v << (bit % 8));
}

static int bits_init(struct bitrank *b, size_t n)
{
	b->words = calloc(n / 64 + 1, sizeof *b->words);
	b->rank = calloc(n / 64 + 1, sizeof *b->rank);
	return b->words && b->rank ? 0 : -1;
}

static void bits_free(struct bitrank *b)
{
	free(b->words);
	free(b->rank);
}

static void bits_set(struct bitrank *b, size_t i)
{
	b->words[i / 64] |= (uint64_t)1 << (i % 64);
}

static int bits_test(const struct bitrank *b, size_t i)
{
	return (int)(b->words[i / 64] >> (i % 64) & 1);
}

/* Count the set bits once all are set; returns their number. */
static size_t bits_count(struct bitrank *b, size_t n)
{
	size_t total = 0;

	for (size_t k = 0; k <= n / 64; k++) {
		b->rank[k] = (uint32_t)total;
		total += (size_t)__builtin_popcountll(b->words[k]);
	}
	return total;
}

/* The number of set bits before bit i. */
static size_t bits_rank(const struct bitrank *b, size_t i)
{
	uint64_t below = b->words[i / 64] & (((uint64_t)1 << (i % 64)) - 1);

	return b->rank[i / 64] + (size_t)__builtin_popcountll(below);
}

static uint32_t first_child(const struct sift_phrases *p, uint32_t s)
{
	uint32_t c = p->first[s / SAMPLE];

	for (uint32_t x = s - s % SAMPLE; x < s; x++)
		c += p->nchild[x];
	return c;
}

/* The child of state s on class c, or 0 (the root is no one's child). */
static uint32_t child(const struct sift_phrases *p, uint32_t s, unsigned c)
{
	uint32_t lo = first_child(p, s), end = lo + p->nchild[s], hi = end;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (p->label[mid] < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < end && p->label[lo] == c ? lo : 0;
}

/* The DFA's transition: a row in the dense states, else the trie's edge
 * or the failure link's transition. */
static uint32_t step(const struct sift_phrases *p, uint32_t s, unsigned c)
{
	while (s >= p->ndense) {
		uint32_t t = child(p, s, c);

		if (t)
			return t;
		s = packed_get(&p->fail, s);
	}
	return p->dense[(size_t)s * p->ncls + c];
}

static void make_classes(struct sift_phrases *p, const struct entry *e,
			 size_t n)
{
	unsigned char seen[256] = { 0 };

	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < e[i].len; j++)
			seen[fold(e[i].s[j])] = 1;
	p->ncls = 1;
	for (int b = 0; b < 256; b++)
		if (seen[b])
			p->cls[b] = (unsigned char)p->ncls++;
	for (int b = 'A'; b <= 'Z'; b++)
		p->cls[b] = p->cls[b - 'A' + 'a'];
}

/* Sorted by folded bytes, a prefix first. */
static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;

	for (size_t k = 0; k < n; k++) {
		unsigned char u = fold(x->s[k]), v = fold(y->s[k]);

		if (u != v)
			return u < v ? -1 : 1;
	}
	return x->len < y->len ? -1 : x->len > y->len;
}

static size_t common_prefix(const struct entry *x, const struct entry *y)
{
	size_t k = 0;

	while (k < x->len && k < y->len && fold(x->s[k]) == fold(y->s[k]))
		k++;
	return k;
}

static struct phrase phrase_of(const struct entry *e)
{
	struct phrase ph;

	ph.len = (uint32_t)e->len;
	ph.need_left = ascii_word(e->s[0]) || e->s[0] >= 0x80;
	ph.need_right =
		ascii_word(e->s[e->len - 1]) || e->s[e->len - 1] >= 0x80;
	return ph;
}

/* Lay out the states of depth d, children of those of depth d - 1 that
 * cur[] names for the phrases still active (act[], sorted): a phrase
 * whose common prefix with the one before it is shorter than d starts a
 * new state, the others share the last one. Phrases that end at d mark
 * their state and leave act[]. Returns the new number of states. */
static uint32_t lay_level(struct sift_phrases *p, const struct entry *e,
			  const uint32_t *lcp, uint32_t *act, size_t *nact,
			  uint32_t *cur, size_t d, uint32_t next)
{
	uint32_t last = 0;
	size_t keep = 0;

	for (size_t k = 0; k < *nact; k++) {
		uint32_t i = act[k];

		if (lcp[i] < d) {
			p->nchild[cur[i]]++;
			p->label[next] = p->cls[e[i].s[d - 1]];
			last = next++;
		}
		cur[i] = last;
		if (e[i].len > d)
			act[keep++] = i;
		else if (!bits_test(&p->term, last)) {
			bits_set(&p->term, last);
			p->ph[p->nph++] = phrase_of(&e[i]);
		}
	}
	*nact = keep;
	return next;
}

/* The trie of the n phrases e[] (sorted here), without its links. */
static int build_trie(struct sift_phrases *p, struct entry *e, size_t n)
{
	size_t room = n ? n : 1;
	uint32_t *lcp = malloc(room * sizeof *lcp);
	uint32_t *act = malloc(room * sizeof *act);
	uint32_t *cur = calloc(room, sizeof *cur), next = 1;
	size_t nstates = 1, ndistinct = 0, nact = n;
	int rc = -1;

	make_classes(p, e, n);
	if (!lcp || !act || !cur)
		goto out;
	qsort(e, n, sizeof *e, entry_cmp);
	for (size_t i = 0; i < n; i++) {
		lcp[i] = i ? (uint32_t)common_prefix(&e[i - 1], &e[i]) : 0;
		nstates += e[i].len - lcp[i];
		ndistinct += e[i].len > lcp[i];
		act[i] = (uint32_t)i;
	}
	p->nstates = (uint32_t)nstates;
	p->label = calloc(nstates, 1);
	p->nchild = calloc(nstates, 1);
	p->first = malloc((nstates / SAMPLE + 1) * sizeof *p->first);
	p->ph = malloc((ndistinct ? ndistinct : 1) * sizeof *p->ph);
	if (!p->label || !p->nchild || !p->first || !p->ph ||
	    bits_init(&p->term, nstates))
		goto out;
	for (size_t d = 1; nact > 0; d++)
		next = lay_level(p, e, lcp, act, &nact, cur, d, next);
	bits_count(&p->term, nstates);
	next = 1;
	for (uint32_t s = 0; s < nstates; s++) {
		if (s % SAMPLE == 0)
			p->first[s / SAMPLE] = next;
		next += p->nchild[s];
	}
	rc = 0;
out:
	free(lcp);
	free(act);
	free(cur);
	return rc;
}

/* State t < ndense, of failure link f: its row is f's, with its own
 * edges in place. */
static void dense_row(struct sift_phrases *p, uint32_t t, uint32_t f)
{
	uint32_t *row = p->dense + (size_t)t * p->ncls;
	uint32_t c = first_child(p, t);

	if (t)
		memcpy(row, p->dense + (size_t)f * p->ncls,
		       p->ncls * sizeof *row);
	else
		memset(row, 0, p->ncls * sizeof *row);
	for (uint32_t end = c + p->nchild[t]; c < end; c++)
		row[p->label[c]] = c;
}

/* Breadth first, so that every link points to a state already linked:
 * failure links, the dense rows, then dictionary links. */
static int link_trie(struct sift_phrases *p)
{
	uint32_t n = p->nstates, c = 1;
	size_t rows = DENSE_CELLS / p->ncls;

	p->ndense = (uint32_t)(rows < 1 ? 1 : rows < n ? rows : n);
	p->dense = malloc((size_t)p->ndense * p->ncls * sizeof *p->dense);
	if (!p->dense || packed_init(&p->fail, n, n - 1) ||
	    bits_init(&p->hasdict, n))
		return -1;
	dense_row(p, 0, 0);
	for (uint32_t s = 0; s < n; s++)
		for (uint32_t end = c + p->nchild[s]; c < end; c++) {
			uint32_t f = s ? step(p, packed_get(&p->fail, s),
					      p->label[c])
				       : 0;

			packed_set(&p->fail, c, f);
			if (c < p->ndense)
				dense_row(p, c, f);
			if (bits_test(&p->term, f) || bits_test(&p->hasdict, f))
				bits_set(&p->hasdict, c);
		}
	if (packed_init(&p->dict, bits_count(&p->hasdict, n), n - 1))
		return -1;
	for (uint32_t s = 1; s < n; s++) {
		uint32_t f = packed_get(&p->fail, s);

		if (!bits_test(&p->hasdict, s))
			continue;
		if (!bits_test(&p->term, f))
			f = packed_get(&p->dict, bits_rank(&p->hasdict, f));
		packed_set(&p->dict, bits_rank(&p->hasdict, s), f);
	}
	return 0;
}

/* The phrases' trie, checked; e[] is sorted and may be freed after, with
 * the bytes it points to, before link_trie(). */
static struct sift_phrases *trie_new(struct entry *e, size_t n,
				     struct sift_error *err)
{
	struct sift_phrases *p;
	size_t total = 0;

	for (size_t i = 0; i < n; i++) {
		if (e[i].len == 0) {
			sift_error_set(err, SIFT_EUSAGE, "phrase %zu is empty",
				       i + 1);
			return NULL;
		}
		total += e[i].len;
		if (total >= INT32_MAX || n >= INT32_MAX) {
			sift_error_set(err, SIFT_EUSAGE,
				       "phrases: more than 2 GiB in all");
			return NULL;
		}
	}
	p = calloc(1, sizeof *p);
	if (!p || build_trie(p, e, n)) {
		sift_phrases_free(p);
		sift_error_nomem(err);
		return NULL;
	}
	return p;
}

static struct sift_phrases *trie_link(struct sift_phrases *p,
				      struct sift_error *err)
{
	if (p && link_trie(p)) {
		sift_phrases_free(p);
		sift_error_nomem(err);
		return NULL;
	}
	return p;
}

struct sift_phrases *sift_phrases_new(const char *const *phrases,
				      const size_t *lens, size_t n,
				      struct sift_error *err)
{
	struct entry *e = malloc((n ? n : 1) * sizeof *e);
	struct sift_phrases *p;

	if (!e) {
		sift_error_nomem(err);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		e[i].s = (const unsigned char *)phrases[i];
		e[i].len = lens[i];
	}
	p = trie_new(e, n, err);
	free(e);
	return trie_link(p, err);
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* A lexicon is kilobytes to megabytes; a name such as @/dev/zero must
 * end in an error, not in reading until memory runs out. */
#define MAX_PHRASE_FILE ((size_t)64 << 20)

/* The phrases of text[0..len), one a line, into *e. */
static int split_lines(const char *text, size_t len, struct entry **e,
		       size_t *n)
{
	size_t cap = 0;

	*n = 0;
	for (const char *line = text, *end; line < text + len; line = end + 1) {
		const char *a = line, *b;

		end = memchr(line, '\n', (size_t)(text + len - line));
		if (!end)
			end = text + len;
		b = end;
		while (a < b && is_blank(*a))
			a++;
		while (b > a && is_blank(b[-1]))
			b--;
		if (a == b || *a == '#')
			continue;
		if (sift_grow(e, &cap, *n + 1, sizeof **e, 1024))
			return -1;
		(*e)[*n].s = (const unsigned char *)a;
		(*e)[(*n)++].len = (size_t)(b - a);
	}
	return 0;
}

struct sift_phrases *sift_phrases_load(const char *path, struct sift_error *err)
{
	size_t len = 0, n = 0;
	char *text = sift_read_small_file(path, MAX_PHRASE_FILE, "phrase file",
					  &len, err);
	struct entry *e = NULL;
	struct sift_phrases *p = NULL;

	if (!text)
		return NULL;
	if (split_lines(text, len, &e, &n))
		sift_error_nomem(err);
	else if (n == 0)
		sift_error_set(err, SIFT_EUSAGE, "%s: no phrases in the file",
			       path);
	else
		p = trie_new(e, n, err);
	/* the text is no longer needed: free it before the links, the
	 * larger half of the automaton, are made */
	free(e);
	free(text);
	return trie_link(p, err);
}

void sift_phrases_free(struct sift_phrases *p)
{
	if (!p)
		return;
	free(p->dense);
	free(p->label);
	free(p->nchild);
	free(p->first);
	free(p->fail.bytes);
	bits_free(&p->term);
	free(p->ph);
	bits_free(&p->hasdict);
	free(p->dict.bytes);
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
	uint32_t st = 0;

	for (size_t i = 0; i < len; i++) {
		st = step(p, st, p->cls[t[i]]);
		/* the phrases that end here: st's own, then down the
		 * dictionary links */
		for (uint32_t s = st;;) {
			if (bits_test(&p->term, s) &&
			    boundary_ok(&p->ph[bits_rank(&p->term, s)], t,
					i + 1, len))
				return 1;
			if (!bits_test(&p->hasdict, s))
				break;
			s = packed_get(&p->dict, bits_rank(&p->hasdict, s));
		}
	}
	return 0;
}
