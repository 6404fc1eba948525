/*
 * lib/model_tokenize.c - the tweet tokenizer (rules in sift/tokenize.h).
 *
 * One pass over the bytes, folding into a buffer that is at most a few
 * bytes longer than the text (a URL gives "__url__" plus its host), so
 * the buffer is sized once per text and never per token.
 */
#include <stdlib.h>
#include <string.h>

#include "sift/mem.h"
#include "sift/tokenize.h"

void sift_tokens_init(struct sift_tokens *t)
{
	memset(t, 0, sizeof *t);
}

void sift_tokens_free(struct sift_tokens *t)
{
	if (!t)
		return;
	free(t->buf);
	free(t->off);
	free(t->len);
	sift_tokens_init(t);
}

static int is_word(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* Does s[i..n) start with the ASCII prefix p, ignoring ASCII case? */
static int starts(const char *s, size_t i, size_t n, const char *p)
{
	size_t k = strlen(p);

	if (n - i < k)
		return 0;
	for (size_t j = 0; j < k; j++)
		if (lower((unsigned char)s[i + j]) != (unsigned char)p[j])
			return 0;
	return 1;
}

static int push(struct sift_tokens *t, size_t off, size_t len)
{
	if (t->n == t->cap) {
		size_t cap = sift_grow_cap(t->cap, t->n + 1, 64);

		if (sift_resize(&t->off, cap, sizeof *t->off) ||
		    sift_resize(&t->len, cap, sizeof *t->len))
			return -1;
		t->cap = cap;
	}
	t->off[t->n] = (uint32_t)off;
	t->len[t->n] = (uint32_t)len;
	t->n++;
	return 0;
}

/* Copy s[i..end) folded to out; returns the bytes written. Folding never
 * changes a length: C3 80..9E -> C3 A0..BE is one byte for one byte. */
static size_t fold(const char *s, size_t i, size_t end, char *out)
{
	size_t k = 0;

	for (; i < end; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == 0xC3 && i + 1 < end) {
			unsigned char d = (unsigned char)s[i + 1];

			out[k++] = (char)c;
			i++;
			if (d >= 0x80 && d <= 0x9E && d != 0x97)
				d = (unsigned char)(d + 0x20);
			out[k++] = (char)d;
			continue;
		}
		out[k++] = (char)lower(c);
	}
	return k;
}

/* A URL at s[i..end): "__url__" and the host. */
static int url(const char *s, size_t i, size_t end, struct sift_tokens *t,
	       size_t *used)
{
	size_t h, e, k = *used;

	if (starts(s, i, end, "http://"))
		i += 7;
	else if (starts(s, i, end, "https://"))
		i += 8;
	if (starts(s, i, end, "www."))
		i += 4;
	memcpy(t->buf + k, SIFT_TOKEN_URL, sizeof SIFT_TOKEN_URL - 1);
	if (push(t, k, sizeof SIFT_TOKEN_URL - 1))
		return -1;
	k += sizeof SIFT_TOKEN_URL - 1;
	for (e = i; e < end && s[e] != '/' && s[e] != ':' && s[e] != '?' &&
		    s[e] != '#';
	     e++)
		;
	/* A host ends before trailing punctuation ("see x.com."). */
	while (e > i && !is_word((unsigned char)s[e - 1]))
		e--;
	if (e > i) {
		h = fold(s, i, e, t->buf + k);
		if (push(t, k, h))
			return -1;
		k += h;
	}
	*used = k;
	return 0;
}

static int word(const char *s, size_t *pi, size_t n, struct sift_tokens *t,
		size_t *used)
{
	size_t i = *pi, start = i, k;

	if (s[i] == '#' || s[i] == '@')
		i++;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];

		if (is_word(c) || (c == '\'' && i + 1 < n && i > start &&
				   is_word((unsigned char)s[i - 1]) &&
				   is_word((unsigned char)s[i + 1])))
			i++;
		else
			break;
	}
	k = fold(s, start, i, t->buf + *used);
	if (push(t, *used, k))
		return -1;
	*used += k;
	*pi = i;
	return 0;
}

int sift_tokenize(const char *s, size_t n, struct sift_tokens *t)
{
	size_t i = 0, used = 0;
	/* A URL of m >= 4 bytes gives at most m + 3, and URLs are separated
	 * by spaces, so the folded tokens fit in 2n + 16 bytes. */
	size_t need = 2 * n + 16;

	t->n = 0;
	if (sift_grow(&t->buf, &t->buf_size, need, 1, 256))
		return -1;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];

		if ((c == 'h' || c == 'H' || c == 'w' || c == 'W') &&
		    (starts(s, i, n, "http://") ||
		     starts(s, i, n, "https://") || starts(s, i, n, "www."))) {
			size_t end = i;

			while (end < n && !is_space((unsigned char)s[end]))
				end++;
			if (url(s, i, end, t, &used))
				goto nomem;
			i = end;
		} else if (is_word(c) || ((c == '#' || c == '@') && i + 1 < n &&
					  is_word((unsigned char)s[i + 1]))) {
			if (word(s, &i, n, t, &used))
				goto nomem;
		} else {
			i++;
		}
	}
	return 0;
nomem:
	t->n = 0;
	return -1;
}
