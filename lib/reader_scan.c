/*
 * lib/reader_scan.c - the block scanner (see reader_scan.h).
 *
 * One portable definition of the mask algebra (scan_masks_to_result)
 * and of the loops over blocks (SCAN_VARIANT), fed by four classifiers:
 * portable C, SSE2 (every x86-64), AVX2 and AVX-512BW (with PCLMULQDQ
 * and POPCNT), picked at run time so that the binary runs on any x86-64
 * and uses what the machine has.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "reader_scan.h"

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

#define BIT63 ((uint64_t)1 << 63)

/* From the byte masks of a block to its record ends and checks. inside
 * has a bit for each byte inside quotes, the opening quote included and
 * the closing one not. */
static inline void scan_masks_to_result(struct masks m, uint64_t inside,
					unsigned valid, struct scan_carry *c,
					struct scan_result *out)
{
	uint64_t closer = m.quote & ~inside;
	/* A quote opens a field after a delimiter, a line end, or the
	 * closing quote it doubles. The byte before an opening quote is
	 * outside quotes, so these need no test of inside. */
	uint64_t fence = m.delim | m.nl | m.quote;
	uint64_t after_closer = (closer << 1) | c->closer;
	/* Bytes a LF follows, and the last (whose follower is the next
	 * block's first byte, checked there). */
	uint64_t lf_next = (m.nl >> 1) | BIT63;
	/* After a closing quote: the same, or a CR before a LF. */
	uint64_t may_follow = fence | (m.cr & lf_next);
	/* Outside quotes a CR ends a line before a LF, and is out of place
	 * anywhere else: a lone CR. */
	uint64_t cr_out = m.cr & ~inside;
	uint64_t lone = cr_out & ~lf_next;

	out->bad_open = m.quote & inside & ~((fence << 1) | c->fence);
	out->bad_close =
		((after_closer & ~may_follow) | lone | (c->cr & ~m.nl)) &
		valid_mask(valid);
	out->ends = m.nl & ~inside;
	out->dout = m.delim & ~inside;
	out->nl = m.nl;
	c->quote = inside >> 63;
	c->fence = fence >> 63;
	c->closer = closer >> 63;
	c->cr = cr_out >> 63;
}

static inline void mask_valid(struct masks *m, unsigned valid)
{
	uint64_t v = valid_mask(valid);

	m->quote &= v;
	m->nl &= v;
	m->cr &= v;
	m->delim &= v;
}

/* What the skip loop keeps of a scanned block. */
struct block_ends {
	uint64_t ends, dout, nl_count;
};

/* The state of the skip loop. */
struct skip_state {
	uint64_t delims;    /* of the record begun last */
	uint64_t lines;     /* the line of the next block's first byte */
	uint64_t skipped;   /* record ends passed over */
	uint64_t rec_start; /* after the last of them */
};

/* a where mask is all ones, b where it is zero: a choice that takes no
 * branch, for data no branch predictor can guess. */
static inline uint64_t pick(uint64_t mask, uint64_t a, uint64_t b)
{
	return (a & mask) | (b & ~mask);
}

/* The record ends of a block with more than one: each record's
 * delimiters lie below its end, after the record before it. Returns
 * the new delimiter count of the record begun last, or -1 for a record
 * without need delimiters. */
static inline __attribute__((always_inline)) long long
many_ends(uint64_t ends, uint64_t dout, uint64_t delims, uint64_t need,
	  unsigned (*count)(uint64_t))
{
	for (uint64_t e = ends; e; e &= e - 1) {
		uint64_t below = (e - 1) & ~e;

		if (delims + count(dout & below) != need)
			return -1;
		dout &= ~below;
		delims = 0;
	}
	return (long long)count(dout);
}

/* The records of one scanned block in the skip loop (see scan_skip in
 * reader_scan.h), block i of the call: the state after it in *st, and nonzero
 * if a record does not hold need delimiters. count is the variant's
 * population count. A block with one record end or none, the common
 * case, takes no branch that depends on the data. */
static inline __attribute__((always_inline)) uint64_t
skip_records(const struct block_ends *r, size_t i, struct skip_state *st,
	     uint64_t need, unsigned (*count)(uint64_t))
{
	uint64_t delims, n_ends, bad;

	if (r->ends & (r->ends - 1)) {
		long long d =
			many_ends(r->ends, r->dout, st->delims, need, count);

		bad = d < 0;
		delims = (uint64_t)d;
		n_ends = count(r->ends);
	} else {
		/* below the end, or the whole block without one */
		uint64_t to_end =
			count(r->dout & ((r->ends & (0 - r->ends)) - 1));
		uint64_t upto = st->delims + to_end;
		uint64_t has = 0 - (uint64_t)(r->ends != 0);

		n_ends = has & 1;
		bad = n_ends & (upto != need);
		delims = pick(has, count(r->dout) - to_end, upto);
	}
	/* The last record end, if any: where the next record starts. */
	unsigned b = 63u - (unsigned)__builtin_clzll(r->ends | 1);

	st->rec_start = pick(0 - (uint64_t)(r->ends != 0),
			     SCAN_BLOCK * i + b + 1, st->rec_start);
	st->delims = delims;
	st->lines += r->nl_count;
	st->skipped += n_ends;
	return bad;
}

typedef struct masks masks_fn(const unsigned char *p, unsigned char delim);
typedef uint64_t prefix_fn(uint64_t x);
typedef unsigned count_fn(uint64_t x);

/* Scan block i into *e; nonzero if a quote is misplaced. */
static inline __attribute__((always_inline)) uint64_t
skip_scan(const unsigned char *p, size_t i, unsigned char delim,
	  uint64_t quotes, struct scan_carry *c, struct block_ends *e,
	  masks_fn *masks_of, prefix_fn *prefix_of, count_fn *count)
{
	struct masks m = masks_of(p + SCAN_BLOCK * i, delim);
	struct scan_result r;

	m.quote &= quotes;
	scan_masks_to_result(m, prefix_of(m.quote) ^ (0 - c->quote), SCAN_BLOCK,
			     c, &r);
	e->ends = r.ends;
	e->dout = r.dout;
	e->nl_count = count(m.nl);
	return r.bad_open | r.bad_close;
}

/* Blocks passed over between checks in the skip loop. The blocks of a
 * group are scanned first and their records counted after, so that
 * neither loop needs more registers than the processor has. */
#define SKIP_GROUP 16

/* The skip loop of scan_skip, for a variant's classifier, prefix XOR
 * and population count. A group with anything to stop for is passed
 * over again block by block, to stop exactly before the block where the
 * reader must take over. */
static inline __attribute__((always_inline)) size_t
skip_loop(const unsigned char *p, size_t n, unsigned char delim,
	  uint64_t quotes, struct scan_carry *c, struct scan_skip *s,
	  masks_fn *masks_of, prefix_fn *prefix_of, count_fn *count)
{
	struct skip_state st = { s->delims, s->lines, 0, 0 }, st0;
	struct scan_carry carry = *c, carry0;
	struct block_ends r[SKIP_GROUP];
	size_t i = 0;

	for (; i + SKIP_GROUP <= n; i += SKIP_GROUP) {
		uint64_t bad = 0;

		st0 = st;
		carry0 = carry;
		for (size_t j = 0; j < SKIP_GROUP; j++)
			bad |= skip_scan(p, i + j, delim, quotes, &carry, &r[j],
					 masks_of, prefix_of, count);
		for (size_t j = 0; j < SKIP_GROUP; j++)
			bad |= skip_records(&r[j], i + j, &st, s->need, count);
		if (bad || st.skipped >= s->want) {
			st = st0;
			carry = carry0;
			break;
		}
	}
	for (; i < n; i++) {
		st0 = st;
		carry0 = carry;
		if (skip_scan(p, i, delim, quotes, &carry, &r[0], masks_of,
			      prefix_of, count) ||
		    skip_records(&r[0], i, &st, s->need, count) ||
		    st.skipped >= s->want) {
			st = st0;
			carry = carry0;
			break;
		}
	}
	*c = carry;
	s->delims = st.delims;
	s->lines = st.lines;
	s->skipped = st.skipped;
	if (st.skipped) {
		/* Its line: the lines passed over less the newlines of the
		 * record begun at rec_start, counted only here. */
		s->rec_start = st.rec_start;
		s->rec_line = st.lines;
		for (size_t k = st.rec_start; k < SCAN_BLOCK * i; k++)
			s->rec_line -= p[k] == '\n';
	}
	return i;
}

/* The loop of scan_blocks, likewise. */
static inline __attribute__((always_inline)) void
blocks_loop(const unsigned char *p, size_t n, unsigned valid_last,
	    unsigned char delim, uint64_t quotes, struct scan_carry *c,
	    struct scan_result *out, masks_fn *masks_of, prefix_fn *prefix_of,
	    count_fn *count)
{
	struct scan_carry carry = *c;

	for (size_t i = 0; i < n; i++) {
		unsigned valid = i + 1 == n ? valid_last : SCAN_BLOCK;
		struct masks m = masks_of(p + SCAN_BLOCK * i, delim);

		m.quote &= quotes;
		mask_valid(&m, valid);
		scan_masks_to_result(m, prefix_of(m.quote) ^ (0 - carry.quote),
				     valid, &carry, &out[i]);
		out[i].nl_count = count(m.nl);
	}
	*c = carry;
}

/* A variant of the scanner is a classifier of 64 bytes into masks, a
 * prefix XOR and a population count; its two loops are the ones above,
 * compiled for its instructions. Each loop is compiled twice, with the
 * quote mask a constant: for CSV the AND folds away, so that CSV runs
 * the code it ran before TSV was read at all (a mask ANDed a block cost
 * 2% of the skip loop's instructions), and for TSV the quote algebra
 * goes. One branch a call picks the copy. */
#define SCAN_VARIANT(name, attr, masks_of, prefix_of, count)                   \
	attr static void blocks_##name(                                        \
		const unsigned char *p, size_t n, unsigned valid_last,         \
		unsigned char delim, uint64_t quotes, struct scan_carry *c,    \
		struct scan_result *out)                                       \
	{                                                                      \
		if (quotes)                                                    \
			blocks_loop(p, n, valid_last, delim, SCAN_QUOTES_CSV,  \
				    c, out, masks_of, prefix_of, count);       \
		else                                                           \
			blocks_loop(p, n, valid_last, delim, SCAN_QUOTES_NONE, \
				    c, out, masks_of, prefix_of, count);       \
	}                                                                      \
	attr static size_t skip_##name(                                        \
		const unsigned char *p, size_t n, unsigned char delim,         \
		uint64_t quotes, struct scan_carry *c, struct scan_skip *s)    \
	{                                                                      \
		if (quotes)                                                    \
			return skip_loop(p, n, delim, SCAN_QUOTES_CSV, c, s,   \
					 masks_of, prefix_of, count);          \
		return skip_loop(p, n, delim, SCAN_QUOTES_NONE, c, s,          \
				 masks_of, prefix_of, count);                  \
	}

static inline struct masks masks_portable(const unsigned char *p,
					  unsigned char delim)
{
	struct masks m = { 0, 0, 0, 0 };

	for (unsigned i = 0; i < SCAN_BLOCK; i++) {
		uint64_t bit = (uint64_t)1 << i;

		m.quote |= p[i] == '"' ? bit : 0;
		m.nl |= p[i] == '\n' ? bit : 0;
		m.cr |= p[i] == '\r' ? bit : 0;
		m.delim |= p[i] == delim ? bit : 0;
	}
	return m;
}

SCAN_VARIANT(portable, , masks_portable, prefix_xor, scan_popcount)

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

static inline uint64_t eq16(__m128i x, __m128i c, int i)
{
	unsigned bits = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, c));

	return (uint64_t)(bits & 0xffff) << (16 * i);
}

static inline struct masks masks_sse2(const unsigned char *p,
				      unsigned char delim)
{
	const __m128i q = _mm_set1_epi8('"'), nl = _mm_set1_epi8('\n');
	const __m128i cr = _mm_set1_epi8('\r');
	const __m128i d = _mm_set1_epi8((char)delim);
	struct masks m = { 0, 0, 0, 0 };

	for (int i = 0; i < 4; i++) {
		__m128i x = _mm_loadu_si128(
			(const __m128i *)(const void *)(p + 16 * i));

		m.quote |= eq16(x, q, i);
		m.nl |= eq16(x, nl, i);
		m.cr |= eq16(x, cr, i);
		m.delim |= eq16(x, d, i);
	}
	return m;
}

SCAN_VARIANT(sse2, , masks_sse2, prefix_xor, scan_popcount)

#define AVX2 __attribute__((target("avx2,bmi,bmi2,pclmul,popcnt")))
#define AVX512                                                                 \
	__attribute__((target("avx512f,avx512bw,bmi,bmi2,pclmul,popcnt")))

__attribute__((target("popcnt"))) static inline unsigned popcount_hw(uint64_t x)
{
	return (unsigned)_mm_popcnt_u64(x);
}

/* A carry-less multiply by all ones is the prefix XOR. */
__attribute__((target("pclmul"))) static inline uint64_t
prefix_xor_clmul(uint64_t x)
{
	return (uint64_t)_mm_cvtsi128_si64(_mm_clmulepi64_si128(
		_mm_set_epi64x(0, (long long)x), _mm_set1_epi8(-1), 0));
}

AVX2 static inline uint64_t eq32(__m256i lo, __m256i hi, __m256i c)
{
	uint32_t a = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, c));
	uint32_t b = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, c));

	return (uint64_t)a | ((uint64_t)b << 32);
}

AVX2 static inline struct masks masks_avx2(const unsigned char *p,
					   unsigned char delim)
{
	const __m256i lo = _mm256_loadu_si256((const __m256i *)(const void *)p);
	const __m256i hi =
		_mm256_loadu_si256((const __m256i *)(const void *)(p + 32));
	struct masks m;

	m.quote = eq32(lo, hi, _mm256_set1_epi8('"'));
	m.nl = eq32(lo, hi, _mm256_set1_epi8('\n'));
	m.cr = eq32(lo, hi, _mm256_set1_epi8('\r'));
	m.delim = eq32(lo, hi, _mm256_set1_epi8((char)delim));
	return m;
}

SCAN_VARIANT(avx2, AVX2, masks_avx2, prefix_xor_clmul, popcount_hw)

/* With AVX-512BW a comparison of 64 bytes gives the 64-bit mask at once. */
AVX512 static inline struct masks masks_avx512(const unsigned char *p,
					       unsigned char delim)
{
	const __m512i x = _mm512_loadu_si512((const void *)p);
	struct masks m;

	m.quote = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('"'));
	m.nl = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('\n'));
	m.cr = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('\r'));
	m.delim = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8((char)delim));
	return m;
}

SCAN_VARIANT(avx512, AVX512, masks_avx512, prefix_xor_clmul, popcount_hw)

#endif

typedef void blocks_fn(const unsigned char *p, size_t n, unsigned valid_last,
		       unsigned char delim, uint64_t quotes,
		       struct scan_carry *c, struct scan_result *out);
typedef size_t skip_fn(const unsigned char *p, size_t n, unsigned char delim,
		       uint64_t quotes, struct scan_carry *c,
		       struct scan_skip *s);

/* From the least to the most capable. */
static const struct variant {
	const char *name;
	blocks_fn *blocks;
	skip_fn *skip;
} variants[] = {
	{ "portable", blocks_portable, skip_portable },
#if defined(__x86_64__) && defined(__GNUC__)
	{ "sse2", blocks_sse2, skip_sse2 },
	{ "avx2", blocks_avx2, skip_avx2 },
	{ "avx512", blocks_avx512, skip_avx512 },
#endif
};

/* Whether this processor runs a variant. */
static int runs(const char *name)
{
#if defined(__x86_64__) && defined(__GNUC__)
	__builtin_cpu_init();
	int clmul = __builtin_cpu_supports("pclmul") &&
		    __builtin_cpu_supports("popcnt");

	if (strcmp(name, "avx2") == 0)
		return clmul && __builtin_cpu_supports("avx2");
	if (strcmp(name, "avx512") == 0)
		return clmul && __builtin_cpu_supports("avx512bw");
#endif
	(void)name;
	return 1;
}

/* The variant in use: the most capable that runs, chosen once by the
 * first scan of any thread (pthread_once), or the one a test selected. */
static pthread_once_t picked = PTHREAD_ONCE_INIT;
static const struct variant *_Atomic chosen;

static void pick_variant(void)
{
	const struct variant *best = &variants[0];

	/* The last that runs is the most capable. */
	for (size_t i = 1; i < sizeof variants / sizeof variants[0]; i++)
		if (runs(variants[i].name))
			best = &variants[i];
	atomic_store_explicit(&chosen, best, memory_order_release);
}

static const struct variant *variant_in_use(void)
{
	pthread_once(&picked, pick_variant);
	return atomic_load_explicit(&chosen, memory_order_acquire);
}

void scan_blocks(const unsigned char *p, size_t n, unsigned valid_last,
		 unsigned char delim, uint64_t quotes, struct scan_carry *carry,
		 struct scan_result *out)
{
	variant_in_use()->blocks(p, n, valid_last, delim, quotes, carry, out);
}

size_t scan_skip(const unsigned char *p, size_t n, unsigned char delim,
		 uint64_t quotes, struct scan_carry *carry, struct scan_skip *s)
{
	return variant_in_use()->skip(p, n, delim, quotes, carry, s);
}

int scan_select(const char *name)
{
	pthread_once(&picked, pick_variant);
	for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++)
		if (strcmp(variants[i].name, name) == 0 && runs(name)) {
			atomic_store_explicit(&chosen, &variants[i],
					      memory_order_release);
			return 0;
		}
	return -1;
}
