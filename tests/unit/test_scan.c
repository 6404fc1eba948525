/* Unit tests of lib/reader_scan.c: every variant of the block scanner this
 * processor can run gives the masks of the portable one, bit for bit,
 * with CSV quoting and without (TSV); the first scans of several threads
 * at once choose one variant without a race (make tsan). */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../lib/reader_scan.h"
#include "sift/rng.h"
#include "testutil.h"

enum { BLOCKS = 64 * 40, BYTES = BLOCKS * SCAN_BLOCK };

/* Bytes where quotes, delimiters, CR and LF are common. */
static unsigned char *random_csv(uint64_t seed)
{
	static const char alphabet[] = "\"\",,\n\r\txyz09";
	unsigned char *p = malloc(BYTES);
	struct sift_rng rng;

	sift_rng_seed(&rng, seed);
	for (size_t i = 0; i < BYTES; i++)
		p[i] = (unsigned char)
			alphabet[sift_rng_below(&rng, sizeof alphabet - 1)];
	return p;
}

static void run(const char *variant, const unsigned char *p, size_t n,
		unsigned valid_last, unsigned char delim, uint64_t quotes,
		struct scan_result *out, struct scan_carry *c)
{
	assert_int_equal(scan_select(variant), 0);
	c->quote = 0;
	c->fence = 1;
	c->closer = 0;
	c->cr = 0;
	/* In batches of 64 blocks, as the reader calls it. */
	for (size_t i = 0; i < n; i += 64) {
		size_t k = n - i < 64 ? n - i : 64;

		scan_blocks(p + i * SCAN_BLOCK, k,
			    i + k == n ? valid_last : SCAN_BLOCK, delim, quotes,
			    c, out + i);
	}
}

static void variants_agree(void **state)
{
	const char *variants[] = { "sse2", "avx2", "avx512" };
	struct scan_result *want = calloc(BLOCKS, sizeof *want);
	struct scan_result *got = calloc(BLOCKS, sizeof *got);
	int compared = 0;

	(void)state;
	for (uint64_t seed = 1; seed <= 8; seed++) {
		unsigned char *p = random_csv(seed);
		unsigned char delim = seed % 2 ? ',' : '\t';
		uint64_t quotes =
			seed <= 4 ? SCAN_QUOTES_CSV : SCAN_QUOTES_NONE;
		unsigned valid_last = (unsigned)(seed * 13 % 64) + 1;
		struct scan_carry cw, cg;

		run("portable", p, BLOCKS, valid_last, delim, quotes, want,
		    &cw);
		for (size_t v = 0; v < 3; v++) {
			if (scan_select(variants[v]) != 0)
				continue; /* not on this processor */
			run(variants[v], p, BLOCKS, valid_last, delim, quotes,
			    got, &cg);
			for (size_t b = 0; b < BLOCKS; b++)
				if (memcmp(&want[b], &got[b], sizeof *got)) {
					fail_msg("%s differs at block %zu",
						 variants[v], b);
				}
			assert_memory_equal(&cw, &cg, sizeof cw);
			compared++;
		}
		free(p);
	}
	assert_true(compared >= 8); /* SSE2 at least, on any x86-64 */
	scan_select("portable");
	free(want);
	free(got);
}

static void a_quoted_newline_does_not_end_a_record(void **state)
{
	unsigned char block[SCAN_BLOCK + SCAN_BLOCK] = "a,\"b\nc\"\nd";
	struct scan_result r;
	struct scan_carry c = { 0, 1, 0, 0 };

	(void)state;
	assert_int_equal(scan_select("portable"), 0);
	scan_blocks(block, 1, 9, ',', SCAN_QUOTES_CSV, &c, &r);
	assert_true(r.ends == (uint64_t)1 << 7); /* the LF after c" */
	assert_true(r.nl == (((uint64_t)1 << 4) | ((uint64_t)1 << 7)));
	assert_true(r.dout == (uint64_t)1 << 1);
	assert_int_equal(r.nl_count, 2);
	assert_true(r.bad_open == 0 && r.bad_close == 0);
}

/* Without quoting, a quote is a byte like any other: every newline ends
 * a record, every delimiter counts, and quotes in odd places are no
 * error, in every variant. */
static void without_quoting_a_quote_is_a_plain_byte(void **state)
{
	unsigned char block[SCAN_BLOCK + SCAN_BLOCK] =
		"a\t\"b\nc\"x\t\"\"\"\r\nd\"\"\te\"";
	const uint64_t nl = ((uint64_t)1 << 4) | ((uint64_t)1 << 13);
	const uint64_t tabs =
		((uint64_t)1 << 1) | ((uint64_t)1 << 8) | ((uint64_t)1 << 17);

	(void)state;
	for (size_t v = 0; v < 4; v++) {
		static const char *const names[] = { "portable", "sse2", "avx2",
						     "avx512" };
		struct scan_carry c = { 0, 1, 0, 0 };
		struct scan_result r;

		if (scan_select(names[v]) != 0)
			continue;
		scan_blocks(block, 1, 20, '\t', SCAN_QUOTES_NONE, &c, &r);
		assert_true(r.ends == nl);
		assert_true(r.nl == nl);
		assert_true(r.dout == tabs);
		assert_int_equal(r.nl_count, 2);
		assert_true(r.bad_open == 0 && r.bad_close == 0);
		assert_true(c.quote == 0 && c.closer == 0 && c.cr == 0);
		/* With quoting, the same bytes hold a quoted newline and
		 * misplaced quotes. */
		c = (struct scan_carry){ 0, 1, 0, 0 };
		scan_blocks(block, 1, 20, '\t', SCAN_QUOTES_CSV, &c, &r);
		assert_true(r.ends != nl);
		assert_true((r.bad_open | r.bad_close) != 0);
	}
	scan_select("portable");
}

/* ---- scan_skip -------------------------------------------------------- */

enum { SKIP_BLOCKS = 320, SKIP_BYTES = SKIP_BLOCKS * SCAN_BLOCK };

static const char *const all_variants[] = { "portable", "sse2", "avx2",
					    "avx512" };
#define N_VARIANTS (sizeof all_variants / sizeof all_variants[0])

struct gen {
	unsigned char *p;
	size_t len, cap;
	struct sift_rng rng;
};

static void put(struct gen *g, char c)
{
	if (g->len < g->cap)
		g->p[g->len++] = (unsigned char)c;
}

static void put_text(struct gen *g, const char *alphabet, size_t n)
{
	size_t k = strlen(alphabet);

	for (size_t i = 0; i < n; i++)
		put(g, alphabet[sift_rng_below(&g->rng, k)]);
}

/* A quoted field: doubled quotes, delimiters, CR and LF inside, now and
 * then longer than a block. */
static void put_quoted(struct gen *g, char delim)
{
	size_t n = sift_rng_below(&g->rng, 12) == 0
			   ? 60 + sift_rng_below(&g->rng, 200)
			   : sift_rng_below(&g->rng, 16);

	put(g, '"');
	for (size_t i = 0; i < n; i++) {
		uint64_t k = sift_rng_below(&g->rng, 12);

		if (k == 0) {
			put(g, '"');
			put(g, '"');
		} else if (k == 1) {
			put(g, delim);
		} else if (k == 2) {
			put(g, '\n');
		} else if (k == 3) {
			put(g, '\r');
		} else {
			put_text(g, "abcxyz019 ", 1);
		}
	}
	put(g, '"');
}

/* Mostly valid CSV of nf fields a record filling cap bytes: now and then
 * a blank line, a ragged row, a misplaced quote, a character or a lone CR
 * after a closing quote, or (rarely) a quote that opens and never closes
 * where it should. */
static unsigned char *gen_csv(uint64_t seed, size_t cap, size_t nf, char delim)
{
	struct gen g = { malloc(cap), 0, cap, { { 0 } } };
	int crlf_often = seed % 3 == 0;
	/* Odd records: one in 150, or in 2000 for long runs of good ones. */
	uint64_t rate = seed % 2 ? 2000 : 150;

	sift_rng_seed(&g.rng, seed);
	while (g.len < g.cap) {
		uint64_t odd = sift_rng_below(&g.rng, rate);
		size_t fields = nf;

		if (odd == 0) { /* a blank line */
			if (sift_rng_below(&g.rng, 2))
				put(&g, '\r');
			put(&g, '\n');
			continue;
		}
		if (odd == 1) /* a ragged row */
			fields = sift_rng_below(&g.rng, 2) ? nf + 1 : nf - 1;
		for (size_t f = 0; f < fields; f++) {
			if (f)
				put(&g, delim);
			if (odd >= 2 && odd <= 5 &&
			    sift_rng_below(&g.rng, fields) == 0) {
				odd = rate; /* one anomaly a record */
				switch (sift_rng_below(&g.rng, 4)) {
				case 0: /* a quote inside an unquoted field */
					put_text(&g, "ab",
						 1 + sift_rng_below(&g.rng, 3));
					put(&g, '"');
					put_text(&g, "ab",
						 sift_rng_below(&g.rng, 3));
					break;
				case 1: /* a character after a closing quote */
					put_quoted(&g, delim);
					put(&g, 'x');
					break;
				case 2: /* a CR after a closing quote */
					put_quoted(&g, delim);
					put(&g, '\r');
					break;
				default: /* opens, never closes in place */
					if (sift_rng_below(&g.rng, 8) == 0)
						put(&g, '"');
					break;
				}
				continue;
			}
			if (sift_rng_below(&g.rng, 3) == 0)
				put_quoted(&g, delim);
			else
				put_text(&g, "abcdefgh0123 ",
					 sift_rng_below(&g.rng, 12));
		}
		if (crlf_often ? sift_rng_below(&g.rng, 4) != 0
			       : sift_rng_below(&g.rng, 20) == 0)
			put(&g, '\r');
		put(&g, '\n');
	}
	return g.p;
}

/* One call of scan_skip and the state it starts from and ends in. */
struct skip_call {
	size_t from, n, used;
	struct scan_carry carry;
	struct scan_skip s;
};

static int same_call(const struct skip_call *a, const struct skip_call *b)
{
	return a->from == b->from && a->n == b->n && a->used == b->used &&
	       a->carry.quote == b->carry.quote &&
	       a->carry.fence == b->carry.fence &&
	       a->carry.closer == b->carry.closer &&
	       a->carry.cr == b->carry.cr && a->s.want == b->s.want &&
	       a->s.need == b->s.need && a->s.delims == b->s.delims &&
	       a->s.lines == b->s.lines && a->s.skipped == b->s.skipped &&
	       a->s.rec_start == b->s.rec_start &&
	       a->s.rec_line == b->s.rec_line;
}

static void print_call(const char *who, const struct skip_call *c)
{
	print_message(
		"%s: from %zu n %zu used %zu carry {%llu %llu %llu %llu}"
		" want %llu need %llu delims %llu lines %llu skipped "
		"%llu rec_start %zu rec_line %llu\n",
		who, c->from, c->n, c->used, (unsigned long long)c->carry.quote,
		(unsigned long long)c->carry.fence,
		(unsigned long long)c->carry.closer,
		(unsigned long long)c->carry.cr, (unsigned long long)c->s.want,
		(unsigned long long)c->s.need, (unsigned long long)c->s.delims,
		(unsigned long long)c->s.lines,
		(unsigned long long)c->s.skipped, c->s.rec_start,
		(unsigned long long)c->s.rec_line);
}

/* The reference: scan_skip worked out from scan_blocks (the variant
 * selected) one block at a time and a plain count of LF bytes. */
static struct skip_call reference_skip(const unsigned char *p, size_t from,
				       size_t n, unsigned char delim,
				       uint64_t quotes, struct scan_carry carry,
				       struct scan_skip s)
{
	struct skip_call out = { from, n, 0, carry, s };
	uint64_t delims = s.delims, skipped = 0;
	size_t rec_start = 0, i;

	for (i = 0; i < n; i++) {
		const unsigned char *b = p + SCAN_BLOCK * (from + i);
		struct scan_carry c = carry;
		struct scan_result r;
		uint64_t d = delims, k = 0;
		unsigned last = 0;
		int bad = 0;

		scan_blocks(b, 1, SCAN_BLOCK, delim, quotes, &c, &r);
		if (r.bad_open | r.bad_close)
			break;
		for (unsigned bit = 0; bit < SCAN_BLOCK; bit++) {
			d += (r.dout >> bit) & 1;
			if ((r.ends >> bit) & 1) {
				bad |= d != s.need;
				d = 0;
				k++;
				last = bit;
			}
		}
		if (bad || skipped + k >= s.want)
			break;
		delims = d;
		skipped += k;
		if (k)
			rec_start = SCAN_BLOCK * i + last + 1;
		carry = c;
	}
	out.used = i;
	out.carry = carry;
	out.s.delims = delims;
	out.s.skipped = skipped;
	for (size_t k = 0; k < SCAN_BLOCK * i; k++)
		out.s.lines += p[SCAN_BLOCK * from + k] == '\n';
	if (skipped) {
		out.s.rec_start = rec_start;
		out.s.rec_line = s.lines;
		for (size_t k = 0; k < rec_start; k++)
			out.s.rec_line += p[SCAN_BLOCK * from + k] == '\n';
	}
	return out;
}

/* Step over block b record by record, as the reader does where scan_skip
 * stops: the carry, the delimiters of the record begun last, the line. */
static void step_block(const unsigned char *b, unsigned char delim,
		       uint64_t quotes, struct scan_carry *carry,
		       struct scan_skip *s)
{
	struct scan_result r;

	scan_blocks(b, 1, SCAN_BLOCK, delim, quotes, carry, &r);
	if (r.ends)
		s->delims = scan_popcount(
			r.dout &
			~scan_below(64u - (unsigned)__builtin_clzll(r.ends)));
	else
		s->delims += scan_popcount(r.dout);
	s->lines += r.nl_count;
}

/* Call the scan_skip of variant over the blocks of p, from the start
 * (carry {0, 1, 0, 0}, no delimiters, line 1), again and again: after
 * each stop, step over the block it stopped before (with the portable
 * scan_blocks), and go on, so that calls start inside quotes, after a
 * closing quote or a CR, within a record. The calls go to log[]; returns
 * how many. With check, each call is compared with reference_skip of the
 * portable scan_blocks. */
static size_t skip_chain(const char *variant, const unsigned char *p,
			 size_t nblocks, unsigned char delim, uint64_t quotes,
			 uint64_t need, uint64_t want, uint64_t seed,
			 struct skip_call *log, size_t max, int check)
{
	struct scan_carry carry = { 0, 1, 0, 0 };
	struct scan_skip s = { want, need, 0, 1, 0, 0, 0 };
	struct sift_rng rng;
	size_t from = 0, calls = 0;

	sift_rng_seed(&rng, seed);
	while (from < nblocks && calls < max) {
		struct skip_call *c = &log[calls++];
		size_t n = nblocks - from;

		/* The first call is given every block; later ones now and
		 * then fewer than are left. */
		if (calls > 1 && sift_rng_below(&rng, 3) == 0)
			n = 1 + sift_rng_below(&rng, n < 40 ? n : 40);
		s.skipped = 0;
		s.rec_start = 0;
		s.rec_line = 0;
		c->from = from;
		c->n = n;
		c->carry = carry;
		c->s = s;
		if (check) {
			struct skip_call want_call;

			assert_int_equal(scan_select("portable"), 0);
			want_call = reference_skip(p, from, n, delim, quotes,
						   carry, s);
			assert_int_equal(scan_select(variant), 0);
			c->used = scan_skip(p + SCAN_BLOCK * from, n, delim,
					    quotes, &c->carry, &c->s);
			if (!c->s.skipped) { /* unspecified then */
				c->s.rec_start = 0;
				c->s.rec_line = 0;
			}
			if (!same_call(c, &want_call)) {
				print_call("reference", &want_call);
				print_call(variant, c);
				fail_msg("%s: call %zu of the chain differs",
					 variant, calls - 1);
			}
		} else {
			assert_int_equal(scan_select(variant), 0);
			c->used = scan_skip(p + SCAN_BLOCK * from, n, delim,
					    quotes, &c->carry, &c->s);
		}
		assert_true(c->used <= n);
		carry = c->carry;
		s.delims = c->s.delims;
		s.lines = c->s.lines;
		from += c->used;
		if (c->used < n) {
			assert_int_equal(scan_select("portable"), 0);
			step_block(p + SCAN_BLOCK * from, delim, quotes, &carry,
				   &s);
			from++;
		}
	}
	return calls;
}

static const uint64_t skip_wants[] = { 0, 1, 2, 3, 7, 40, 300, UINT64_MAX };
#define N_WANTS (sizeof skip_wants / sizeof skip_wants[0])

/* Mostly valid TSV of nf fields a record filling cap bytes: quotes
 * anywhere in a field, backslash escapes, now and then a blank line, a
 * ragged row or a CR within a field. */
static unsigned char *gen_tsv(uint64_t seed, size_t cap, size_t nf)
{
	struct gen g = { malloc(cap), 0, cap, { { 0 } } };
	uint64_t rate = seed % 2 ? 2000 : 150;

	sift_rng_seed(&g.rng, seed);
	while (g.len < g.cap) {
		uint64_t odd = sift_rng_below(&g.rng, rate);
		size_t fields = nf;

		if (odd == 0) { /* a blank line */
			if (sift_rng_below(&g.rng, 2))
				put(&g, '\r');
			put(&g, '\n');
			continue;
		}
		if (odd == 1) /* a ragged row */
			fields = sift_rng_below(&g.rng, 2) ? nf + 1 : nf - 1;
		for (size_t f = 0; f < fields; f++) {
			size_t n = sift_rng_below(&g.rng, 12) == 0
					   ? 60 + sift_rng_below(&g.rng, 200)
					   : sift_rng_below(&g.rng, 14);

			if (f)
				put(&g, '\t');
			put_text(&g, odd == 2 ? "ab\"\r" : "abc\"\\ 01\"", n);
		}
		if (sift_rng_below(&g.rng, 5) == 0)
			put(&g, '\r');
		put(&g, '\n');
	}
	return g.p;
}

/* The bytes of seed: nf fields (3 to 6); CSV with a comma or a tab up
 * to seed 10, TSV after. */
static unsigned char *skip_input(uint64_t seed, size_t *nf, char *delim,
				 uint64_t *quotes)
{
	*nf = 3 + seed % 4;
	if (seed > 10) {
		*delim = '\t';
		*quotes = SCAN_QUOTES_NONE;
		return gen_tsv(seed, SKIP_BYTES, *nf);
	}
	*delim = seed % 5 == 4 ? '\t' : ',';
	*quotes = SCAN_QUOTES_CSV;
	return gen_csv(seed, SKIP_BYTES, *nf, *delim);
}

#define SKIP_SEEDS 14

static void skip_variants_agree(void **state)
{
	size_t max = 4 * SKIP_BLOCKS;
	struct skip_call *want = malloc(max * sizeof *want);
	struct skip_call *got = malloc(max * sizeof *got);
	int compared = 0;

	(void)state;
	for (uint64_t seed = 1; seed <= SKIP_SEEDS; seed++) {
		size_t nf;
		char delim;
		uint64_t quotes;
		unsigned char *p = skip_input(seed, &nf, &delim, &quotes);

		for (size_t w = 0; w < N_WANTS; w++) {
			size_t nw, ng;

			nw = skip_chain("portable", p, SKIP_BLOCKS,
					(unsigned char)delim, quotes, nf - 1,
					skip_wants[w], seed * 31 + w, want, max,
					0);
			for (size_t v = 1; v < N_VARIANTS; v++) {
				if (scan_select(all_variants[v]) != 0)
					continue; /* not on this processor */
				ng = skip_chain(all_variants[v], p, SKIP_BLOCKS,
						(unsigned char)delim, quotes,
						nf - 1, skip_wants[w],
						seed * 31 + w, got, max, 0);
				assert_int_equal(ng, nw);
				for (size_t i = 0; i < nw; i++)
					if (!same_call(&want[i], &got[i])) {
						print_call("portable",
							   &want[i]);
						print_call(all_variants[v],
							   &got[i]);
						fail_msg("seed %llu want %llu: "
							 "%s differs at call "
							 "%zu",
							 (unsigned long long)
								 seed,
							 (unsigned long long)
								 skip_wants[w],
							 all_variants[v], i);
					}
				compared++;
			}
		}
		free(p);
	}
	assert_true(compared >= SKIP_SEEDS * (int)N_WANTS); /* SSE2 at least */
	scan_select("portable");
	free(want);
	free(got);
}

/* Where each call of a chain stops, and the state it leaves, must be
 * what scan_blocks says, block by block. */
static void skip_agrees_with_blocks(void **state)
{
	size_t max = 4 * SKIP_BLOCKS;
	struct skip_call *log = malloc(max * sizeof *log);
	size_t calls = 0, passed = 0, skipped = 0, stops = 0;
	size_t tsv_passed = 0, tsv_skipped = 0;

	(void)state;
	for (uint64_t seed = 1; seed <= SKIP_SEEDS; seed++) {
		size_t nf;
		char delim;
		uint64_t quotes;
		unsigned char *p = skip_input(seed, &nf, &delim, &quotes);

		for (size_t v = 0; v < N_VARIANTS; v++) {
			if (scan_select(all_variants[v]) != 0)
				continue;
			for (size_t w = 0; w < N_WANTS; w++) {
				size_t n = skip_chain(
					all_variants[v], p, SKIP_BLOCKS,
					(unsigned char)delim, quotes, nf - 1,
					skip_wants[w], seed * 77 + w + 1000 * v,
					log, max, 1);

				calls += n;
				for (size_t i = 0; i < n; i++) {
					passed += log[i].used;
					skipped += log[i].s.skipped;
					stops += log[i].used < log[i].n;
					if (!quotes) {
						tsv_passed += log[i].used;
						tsv_skipped += log[i].s.skipped;
					}
				}
			}
		}
		free(p);
	}
	/* The chains did pass over blocks and records, and stopped; TSV
	 * ones too. */
	assert_true(passed > 10 * SKIP_BLOCKS);
	assert_true(skipped > 10000);
	assert_true(stops > 1000);
	assert_true(calls > stops);
	assert_true(tsv_passed > 2 * SKIP_BLOCKS);
	assert_true(tsv_skipped > 3000);
	scan_select("portable");
	free(log);
}

/* One thread's first scan: a block of one record. */
static void *scan_once(void *arg)
{
	unsigned char block[SCAN_BLOCK];
	struct scan_result out;
	struct scan_carry c = { .fence = 1 };

	memset(block, 'x', sizeof block);
	block[SCAN_BLOCK - 1] = '\n';
	scan_blocks(block, 1, SCAN_BLOCK, ',', SCAN_QUOTES_CSV, &c, &out);
	*(uint64_t *)arg = out.ends;
	return NULL;
}

/* Run first, before any scan_select: the variant is chosen by whichever
 * thread scans first, once (a race here is ThreadSanitizer's to find). */
static void first_scans_race_free(void **state)
{
	pthread_t t[4];
	uint64_t ends[4] = { 0 };

	(void)state;
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(
			pthread_create(&t[i], NULL, scan_once, &ends[i]), 0);
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(ends[i], (uint64_t)1 << (SCAN_BLOCK - 1));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(first_scans_race_free),
		cmocka_unit_test(variants_agree),
		cmocka_unit_test(a_quoted_newline_does_not_end_a_record),
		cmocka_unit_test(without_quoting_a_quote_is_a_plain_byte),
		cmocka_unit_test(skip_variants_agree),
		cmocka_unit_test(skip_agrees_with_blocks),
	};

	return cmocka_run_group_tests_name("scan", tests, NULL, NULL);
}
