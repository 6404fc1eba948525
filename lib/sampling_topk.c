/*
 * lib/sampling_topk.c - the k largest keys of a stream, each in a fixed slot.
 *
 * A binary min-heap of slot numbers ordered by key: the smallest key is at
 * the root, where a new larger key replaces it in O(log k). Slots never
 * move, so the caller can keep a record in slot s for as long as the key
 * in slot s stays in the heap.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "sift/mem.h"
#include "sift/sampling.h"

int sift_topk_init(struct sift_topk *t, size_t k)
{
	t->k = k;
	t->n = 0;
	t->cap = 0;
	t->key = NULL;
	t->heap = NULL;
	return 0;
}

/* The arrays grow with the items held, so that a capacity far above
 * the input's size costs nothing. */
static int grow(struct sift_topk *t)
{
	size_t cap = sift_grow_cap(t->cap, t->cap + 1, 256);

	if (cap > t->k)
		cap = t->k;
	if (sift_resize(&t->key, cap, sizeof *t->key) ||
	    sift_resize(&t->heap, cap, sizeof *t->heap))
		return -1;
	t->cap = cap;
	return 0;
}

void sift_topk_free(struct sift_topk *t)
{
	free(t->key);
	free(t->heap);
	t->key = NULL;
	t->heap = NULL;
}

static void sift_down(struct sift_topk *t, size_t i)
{
	size_t slot = t->heap[i];
	double key = t->key[slot];

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= t->n)
			break;
		if (c + 1 < t->n && t->key[t->heap[c + 1]] < t->key[t->heap[c]])
			c++;
		if (!(t->key[t->heap[c]] < key))
			break;
		t->heap[i] = t->heap[c];
		i = c;
	}
	t->heap[i] = slot;
}

static void sift_up(struct sift_topk *t, size_t i)
{
	size_t slot = t->heap[i];
	double key = t->key[slot];

	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (!(key < t->key[t->heap[parent]]))
			break;
		t->heap[i] = t->heap[parent];
		i = parent;
	}
	t->heap[i] = slot;
}

int sift_topk_offer(struct sift_topk *t, double key, size_t *slot)
{
	if (t->n < t->k) {
		if (t->n == t->cap && grow(t))
			return -1;
		*slot = t->n;
		t->key[t->n] = key;
		t->heap[t->n] = t->n;
		t->n++;
		sift_up(t, t->n - 1);
		return 1;
	}
	if (!(key > t->key[t->heap[0]]))
		return 0;
	*slot = t->heap[0];
	t->key[*slot] = key;
	sift_down(t, 0);
	return 1;
}

double sift_topk_min(const struct sift_topk *t)
{
	return t->n < t->k ? -INFINITY : t->key[t->heap[0]];
}

size_t sift_topk_min_slot(const struct sift_topk *t)
{
	return t->heap[0];
}
