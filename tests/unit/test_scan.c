/* Unit tests of lib/scan.c: every variant of the block scanner this
 * processor can run gives the masks of the portable one, bit for bit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../lib/scan.h"
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
		p[i] = (unsigned char)alphabet[sift_rng_below(
			&rng, sizeof alphabet - 1)];
	return p;
}

static void run(const char *variant, const unsigned char *p, size_t n,
		unsigned valid_last, unsigned char delim,
		struct scan_result *out, struct scan_carry *c)
{
	assert_int_equal(scan_select(variant), 0);
	c->quote = 0;
	c->sep = 1;
	c->closer = 0;
	c->cr = 0;
	/* In batches of 64 blocks, as the reader calls it. */
	for (size_t i = 0; i < n; i += 64) {
		size_t k = n - i < 64 ? n - i : 64;

		scan_blocks(p + i * SCAN_BLOCK, k,
			    i + k == n ? valid_last : SCAN_BLOCK, delim, c,
			    out + i);
	}
}

static void variants_agree(void **state)
{
	const char *variants[] = {"sse2", "avx2", "avx512"};
	struct scan_result *want = calloc(BLOCKS, sizeof *want);
	struct scan_result *got = calloc(BLOCKS, sizeof *got);
	int compared = 0;

	(void)state;
	for (uint64_t seed = 1; seed <= 4; seed++) {
		unsigned char *p = random_csv(seed);
		unsigned char delim = seed % 2 ? ',' : '\t';
		unsigned valid_last = (unsigned)(seed * 13 % 64) + 1;
		struct scan_carry cw, cg;

		run("portable", p, BLOCKS, valid_last, delim, want, &cw);
		for (size_t v = 0; v < 3; v++) {
			if (scan_select(variants[v]) != 0)
				continue; /* not on this processor */
			run(variants[v], p, BLOCKS, valid_last, delim, got,
			    &cg);
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
	assert_true(compared >= 4); /* SSE2 at least, on any x86-64 */
	scan_select("portable");
	free(want);
	free(got);
}

static void a_quoted_newline_does_not_end_a_record(void **state)
{
	unsigned char block[SCAN_BLOCK + SCAN_BLOCK] = "a,\"b\nc\"\nd";
	struct scan_result r;
	struct scan_carry c = {0, 1, 0, 0};

	(void)state;
	assert_int_equal(scan_select("portable"), 0);
	scan_blocks(block, 1, 9, ',', &c, &r);
	assert_true(r.ends == (uint64_t)1 << 7);  /* the LF after c" */
	assert_true(r.nl == (((uint64_t)1 << 4) | ((uint64_t)1 << 7)));
	assert_true(r.dout == (uint64_t)1 << 1);
	assert_int_equal(r.nl_count, 2);
	assert_true(r.bad_open == 0 && r.bad_close == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(variants_agree),
		cmocka_unit_test(a_quoted_newline_does_not_end_a_record),
	};

	return cmocka_run_group_tests_name("scan", tests, NULL, NULL);
}
