/* lib/intern.c - interned byte strings (see sift/intern.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "sift/intern.h"
#include "sift/mem.h"

struct entry {
	size_t off, len;
	uint64_t hash;
};

struct sift_intern {
	struct entry *entries; /* by id */
	size_t count, entries_cap;
	size_t *slots; /* id + 1, 0 for empty; a power of two long */
	size_t nslots;
	char *bytes;
	size_t bytes_len, bytes_cap;
};

struct sift_intern *sift_intern_new(void)
{
	struct sift_intern *t = calloc(1, sizeof *t);

	if (!t)
		return NULL;
	t->nslots = 64;
	t->slots = calloc(t->nslots, sizeof *t->slots);
	if (!t->slots) {
		free(t);
		return NULL;
	}
	return t;
}

void sift_intern_free(struct sift_intern *t)
{
	if (!t)
		return;
	free(t->entries);
	free(t->slots);
	free(t->bytes);
	free(t);
}

static size_t probe(const struct sift_intern *t, const char *s, size_t len,
		    uint64_t hash, int *found)
{
	size_t mask = t->nslots - 1, i = (size_t)hash & mask;

	for (;; i = (i + 1) & mask) {
		size_t v = t->slots[i];

		if (v == 0) {
			*found = 0;
			return i;
		}
		const struct entry *e = &t->entries[v - 1];
		if (e->hash == hash && e->len == len &&
		    memcmp(t->bytes + e->off, s, len) == 0) {
			*found = 1;
			return i;
		}
	}
}

int sift_intern_find(const struct sift_intern *t, const char *s, size_t len,
		     size_t *id)
{
	int found;
	size_t i = probe(t, s, len, XXH3_64bits(s, len), &found);

	if (found)
		*id = t->slots[i] - 1;
	return found;
}

static int grow_slots(struct sift_intern *t)
{
	size_t n = t->nslots * 2;
	size_t *slots = calloc(n, sizeof *slots);

	if (!slots)
		return -1;
	for (size_t id = 0; id < t->count; id++) {
		size_t i = (size_t)t->entries[id].hash & (n - 1);

		while (slots[i])
			i = (i + 1) & (n - 1);
		slots[i] = id + 1;
	}
	free(t->slots);
	t->slots = slots;
	t->nslots = n;
	return 0;
}

int sift_intern_add(struct sift_intern *t, const char *s, size_t len,
		    size_t *id)
{
	uint64_t hash = XXH3_64bits(s, len);
	int found;
	size_t i;

	/* Keep the load at most 1/2 so that probes stay short. */
	if ((t->count + 1) * 2 > t->nslots && grow_slots(t) != 0)
		return -1;
	i = probe(t, s, len, hash, &found);
	if (found) {
		*id = t->slots[i] - 1;
		return 0;
	}
	if (sift_grow(&t->entries, &t->entries_cap, t->count + 1,
		      sizeof *t->entries, 16) ||
	    sift_grow(&t->bytes, &t->bytes_cap, t->bytes_len + len + 1, 1, 16))
		return -1;
	memcpy(t->bytes + t->bytes_len, s, len);
	t->bytes[t->bytes_len + len] = '\0';
	t->entries[t->count] = (struct entry){ t->bytes_len, len, hash };
	t->bytes_len += len + 1;
	t->slots[i] = ++t->count;
	*id = t->count - 1;
	return 0;
}

size_t sift_intern_count(const struct sift_intern *t)
{
	return t->count;
}

const char *sift_intern_str(const struct sift_intern *t, size_t id, size_t *len)
{
	if (len)
		*len = t->entries[id].len;
	return t->bytes + t->entries[id].off;
}
