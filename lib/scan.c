/*
 * lib/scan.c - byte classes of a 64-byte block as bit masks.
 *
 * SSE2 is part of every x86-64 processor, so no run-time dispatch is
 * needed; elsewhere a portable loop gives the same masks.
 */
#include "scan.h"

#if defined(__SSE2__)
#include <emmintrin.h>

static uint64_t eq16(__m128i x, __m128i c, int i)
{
	unsigned bits = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, c));

	return (uint64_t)(bits & 0xffff) << (16 * i);
}

void scan_classify(const unsigned char *p, unsigned char delim,
		   struct scan_masks *m)
{
	const __m128i q = _mm_set1_epi8('"');
	const __m128i nl = _mm_set1_epi8('\n');
	const __m128i cr = _mm_set1_epi8('\r');
	const __m128i d = _mm_set1_epi8((char)delim);

	m->quote = m->nl = m->cr = m->delim = 0;
	for (int i = 0; i < 4; i++) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i));

		m->quote |= eq16(x, q, i);
		m->nl |= eq16(x, nl, i);
		m->cr |= eq16(x, cr, i);
		m->delim |= eq16(x, d, i);
	}
}
#else
void scan_classify(const unsigned char *p, unsigned char delim,
		   struct scan_masks *m)
{
	m->quote = m->nl = m->cr = m->delim = 0;
	for (unsigned i = 0; i < SCAN_BLOCK; i++) {
		uint64_t bit = (uint64_t)1 << i;

		m->quote |= p[i] == '"' ? bit : 0;
		m->nl |= p[i] == '\n' ? bit : 0;
		m->cr |= p[i] == '\r' ? bit : 0;
		m->delim |= p[i] == delim ? bit : 0;
	}
}
#endif
