/*
 * lib/scan.c - the block scanner (see scan.h).
 *
 * One portable definition of the mask algebra (scan_masks_to_result),
 * fed by three classifiers: portable C, SSE2 (every x86-64), and AVX2
 * with PCLMULQDQ and POPCNT, picked at run time so that the binary runs
 * on any x86-64 and uses what the machine has.
 */
#include <string.h>

#include "scan.h"

struct masks {
	uint64_t quote, nl, cr, delim;
};

static inline uint64_t valid_mask(unsigned valid)
{
	return valid >= SCAN_BLOCK ? ~(uint64_t)0 : scan_below(valid);
}

/* Bit i of the result is the parity of bits 0..i of x. */
static inline uint64_t prefix_xor(uint64_t x)
{
	x ^= x << 1;
	x ^= x << 2;
	x ^= x << 4;
	x ^= x << 8;
	x ^= x << 16;
	x ^= x << 32;
	return x;
}

/* From the byte masks of a block to its record ends and checks. inside
 * has a bit for each byte inside quotes, the opening quote included and
 * the closing one not. */
static inline void scan_masks_to_result(struct masks m, uint64_t inside,
					unsigned valid, struct scan_carry *c,
					struct scan_result *out)
{
	uint64_t opener = m.quote & inside;
	uint64_t closer = m.quote & ~inside;
	uint64_t sep = (m.delim | m.nl) & ~inside;
	uint64_t after_closer = (closer << 1) | c->closer;

	out->bad_open = opener & ~((sep << 1) | c->sep | after_closer);
	/* After a closing quote: a delimiter, a line ending (CR only
	 * before LF; unknown for the block's last byte), or the quote
	 * that doubles it. */
	out->bad_close = after_closer & valid_mask(valid) &
			 ~(m.delim | m.nl | m.cr | m.quote);
	uint64_t cr_after = after_closer & m.cr;

	out->bad_close |= cr_after & ~(m.nl >> 1) & ~((uint64_t)1 << 63);
	/* A CR that ended the last block is checked here, on the byte
	 * after it. */
	out->bad_close |= c->cr & ~m.nl & 1 & valid_mask(valid);
	out->ends = m.nl & ~inside;
	out->dout = m.delim & ~inside;
	out->nl = m.nl;
	out->opener = opener;
	c->quote = inside >> 63;
	c->sep = sep >> 63;
	c->closer = closer >> 63;
	c->cr = cr_after >> 63;
	out->quote_after = (unsigned)c->quote;
}

static void mask_valid(struct masks *m, unsigned valid)
{
	uint64_t v = valid_mask(valid);

	m->quote &= v;
	m->nl &= v;
	m->cr &= v;
	m->delim &= v;
}

static inline void scan_portable(const unsigned char *p, unsigned valid,
			  unsigned char delim, struct scan_carry *c,
			  struct scan_result *out)
{
	struct masks m = {0, 0, 0, 0};

	for (unsigned i = 0; i < SCAN_BLOCK; i++) {
		uint64_t bit = (uint64_t)1 << i;

		m.quote |= p[i] == '"' ? bit : 0;
		m.nl |= p[i] == '\n' ? bit : 0;
		m.cr |= p[i] == '\r' ? bit : 0;
		m.delim |= p[i] == delim ? bit : 0;
	}
	mask_valid(&m, valid);
	scan_masks_to_result(m, prefix_xor(m.quote) ^ (0 - c->quote), valid, c,
			      out);
	out->nl_count = scan_popcount(m.nl);
}

static void blocks_portable(const unsigned char *p, size_t n,
			    unsigned valid_last, unsigned char delim,
			    struct scan_carry *c, struct scan_result *out)
{
	for (size_t i = 0; i < n; i++)
		scan_portable(p + SCAN_BLOCK * i,
			      i + 1 == n ? valid_last : SCAN_BLOCK, delim, c,
			      &out[i]);
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

static inline uint64_t eq16(__m128i x, __m128i c, int i)
{
	unsigned bits = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, c));

	return (uint64_t)(bits & 0xffff) << (16 * i);
}

static inline void scan_sse2(const unsigned char *p, unsigned valid,
		      unsigned char delim, struct scan_carry *c,
		      struct scan_result *out)
{
	const __m128i q = _mm_set1_epi8('"'), nl = _mm_set1_epi8('\n');
	const __m128i cr = _mm_set1_epi8('\r');
	const __m128i d = _mm_set1_epi8((char)delim);
	struct masks m = {0, 0, 0, 0};

	for (int i = 0; i < 4; i++) {
		__m128i x = _mm_loadu_si128(
			(const __m128i *)(const void *)(p + 16 * i));

		m.quote |= eq16(x, q, i);
		m.nl |= eq16(x, nl, i);
		m.cr |= eq16(x, cr, i);
		m.delim |= eq16(x, d, i);
	}
	mask_valid(&m, valid);
	scan_masks_to_result(m, prefix_xor(m.quote) ^ (0 - c->quote), valid, c,
			      out);
	out->nl_count = scan_popcount(m.nl);
}

#define AVX2 __attribute__((target("avx2,pclmul,popcnt")))

AVX2 static inline uint64_t eq32(__m256i lo, __m256i hi, __m256i c)
{
	uint32_t a = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, c));
	uint32_t b = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, c));

	return (uint64_t)a | ((uint64_t)b << 32);
}

AVX2 static inline void scan_avx2(const unsigned char *p, unsigned valid,
			   unsigned char delim, struct scan_carry *c,
			   struct scan_result *out)
{
	const __m256i lo = _mm256_loadu_si256((const __m256i *)(const void *)p);
	const __m256i hi =
		_mm256_loadu_si256((const __m256i *)(const void *)(p + 32));
	struct masks m;

	m.quote = eq32(lo, hi, _mm256_set1_epi8('"'));
	m.nl = eq32(lo, hi, _mm256_set1_epi8('\n'));
	m.cr = eq32(lo, hi, _mm256_set1_epi8('\r'));
	m.delim = eq32(lo, hi, _mm256_set1_epi8((char)delim));
	mask_valid(&m, valid);
	/* A carry-less multiply by all ones is the prefix XOR. */
	uint64_t inside = (uint64_t)_mm_cvtsi128_si64(_mm_clmulepi64_si128(
		_mm_set_epi64x(0, (long long)m.quote), _mm_set1_epi8(-1), 0));
	scan_masks_to_result(m, inside ^ (0 - c->quote), valid, c, out);
	out->nl_count = (unsigned)_mm_popcnt_u64(m.nl);
}

/* The loops over many blocks: one call per batch, with the constants
 * and the carry kept in registers. */
static void blocks_sse2(const unsigned char *p, size_t n, unsigned valid_last,
			unsigned char delim, struct scan_carry *c,
			struct scan_result *out)
{
	for (size_t i = 0; i < n; i++)
		scan_sse2(p + SCAN_BLOCK * i, i + 1 == n ? valid_last : SCAN_BLOCK,
			  delim, c, &out[i]);
}

AVX2 static void blocks_avx2(const unsigned char *p, size_t n,
			     unsigned valid_last, unsigned char delim,
			     struct scan_carry *c, struct scan_result *out)
{
	for (size_t i = 0; i < n; i++)
		scan_avx2(p + SCAN_BLOCK * i, i + 1 == n ? valid_last : SCAN_BLOCK,
			  delim, c, &out[i]);
}

#define AVX512 __attribute__((target("avx512f,avx512bw,pclmul,popcnt")))

/* With AVX-512BW a comparison of 64 bytes gives the 64-bit mask at once. */
AVX512 static inline void scan_avx512(const unsigned char *p, unsigned valid,
				      unsigned char delim, struct scan_carry *c,
				      struct scan_result *out)
{
	const __m512i x = _mm512_loadu_si512((const void *)p);
	struct masks m;

	m.quote = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('"'));
	m.nl = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('\n'));
	m.cr = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('\r'));
	m.delim = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8((char)delim));
	mask_valid(&m, valid);
	uint64_t inside = (uint64_t)_mm_cvtsi128_si64(_mm_clmulepi64_si128(
		_mm_set_epi64x(0, (long long)m.quote), _mm_set1_epi8(-1), 0));
	scan_masks_to_result(m, inside ^ (0 - c->quote), valid, c, out);
	out->nl_count = (unsigned)_mm_popcnt_u64(m.nl);
}

AVX512 static void blocks_avx512(const unsigned char *p, size_t n,
				 unsigned valid_last, unsigned char delim,
				 struct scan_carry *c, struct scan_result *out)
{
	for (size_t i = 0; i < n; i++)
		scan_avx512(p + SCAN_BLOCK * i,
			    i + 1 == n ? valid_last : SCAN_BLOCK, delim, c,
			    &out[i]);
}

static void scan_pick(const unsigned char *p, size_t n, unsigned valid_last,
		      unsigned char delim, struct scan_carry *c,
		      struct scan_result *out)
{
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx512bw") &&
	    __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("popcnt"))
		scan_blocks = blocks_avx512;
	else if (__builtin_cpu_supports("avx2") &&
		 __builtin_cpu_supports("pclmul") &&
		 __builtin_cpu_supports("popcnt"))
		scan_blocks = blocks_avx2;
	else
		scan_blocks = blocks_sse2;
	scan_blocks(p, n, valid_last, delim, c, out);
}
#else
#define scan_pick blocks_portable
#endif

void (*scan_blocks)(const unsigned char *p, size_t n, unsigned valid_last,
		    unsigned char delim, struct scan_carry *carry,
		    struct scan_result *out) = scan_pick;

int scan_select(const char *variant)
{
	if (strcmp(variant, "portable") == 0) {
		scan_blocks = blocks_portable;
		return 0;
	}
#if defined(__x86_64__) && defined(__GNUC__)
	__builtin_cpu_init();
	if (strcmp(variant, "sse2") == 0) {
		scan_blocks = blocks_sse2;
		return 0;
	}
	if (!__builtin_cpu_supports("pclmul") ||
	    !__builtin_cpu_supports("popcnt"))
		return -1;
	if (strcmp(variant, "avx2") == 0 && __builtin_cpu_supports("avx2")) {
		scan_blocks = blocks_avx2;
		return 0;
	}
	if (strcmp(variant, "avx512") == 0 &&
	    __builtin_cpu_supports("avx512bw")) {
		scan_blocks = blocks_avx512;
		return 0;
	}
#endif
	return -1;
}
