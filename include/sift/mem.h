/*
 * sift/mem.h - the allocation patterns that libsift's modules and the
 * tools share, written once: arrays that grow, and copies of byte
 * strings.
 *
 * An array that grows is a pointer and its room, in elements: doubling
 * the room when it is full makes n appends cost O(n) copying. The
 * functions take the array's address as void * (a T ** really, with
 * elem = sizeof(T)), so that one function serves every element type.
 */
#ifndef SIFT_MEM_H
#define SIFT_MEM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The room that an array of room cap grows to, to hold need elements:
 * cap when need <= cap; else first (when cap is 0) or cap, doubled
 * until it holds need. SIZE_MAX when the doubling overflows: no array
 * of that room can be allocated. first > 0. */
size_t sift_grow_cap(size_t cap, size_t need, size_t first);

/* Resize the array *pp to n elements of elem bytes (realloc). Returns
 * 0, or -1 with errno ENOMEM when n * elem overflows or memory runs
 * out: *pp is then unchanged and still valid. Elements past the old
 * size are not initialised. For arrays that share one room. */
int sift_resize(void *pp, size_t n, size_t elem);

/* sift_resize, with the elements from old (<= n) to n zeroed. */
int sift_resize_zero(void *pp, size_t old, size_t n, size_t elem);

/* Room for need elements in the array *pp of room *cap: when need is
 * more than *cap, the array is resized to sift_grow_cap(*cap, need,
 * first) elements and *cap set to that. Returns 0 (need <= *cap
 * changes nothing), or -1 with errno ENOMEM when memory runs out or the
 * size overflows: *pp and *cap are then unchanged. The new elements are
 * not initialised. */
int sift_grow(void *pp, size_t *cap, size_t need, size_t elem, size_t first);

/* sift_grow, with the new elements (from the old *cap on) zeroed. */
int sift_grow_zero(void *pp, size_t *cap, size_t need, size_t elem,
		   size_t first);

/* A malloc'ed copy of the n bytes at s, then a NUL. Unlike strndup, all
 * n bytes are copied, NULs among them too, so that a length kept beside
 * the copy stays true of it (a rules line, a field). NULL when out of
 * memory or when n + 1 overflows. */
char *sift_memdup_nul(const char *s, size_t n);

#ifdef __cplusplus
}
#endif

#endif
