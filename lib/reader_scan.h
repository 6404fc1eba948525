/*
 * lib/reader_scan.h - classifying 64 bytes of CSV at a time (private to lib/).
 *
 * In the manner of simdjson's structural masks (Langdale and Lemire,
 * "Parsing gigabytes of JSON per second", 2019): one bit per byte for
 * quotes, newlines, carriage returns and delimiters; a prefix XOR of the
 * quote bits then says which bytes lie inside quotes, so a newline that
 * ends a record is found with a few word-wide operations rather than a
 * branch per byte. The same masks check that every quote opens at the
 * start of a field and closes before a delimiter or a line end. For TSV,
 * where a quote is an ordinary byte, the quote mask is zeroed: one AND
 * a block, and the same code.
 */
#ifndef SIFT_READER_SCAN_H
#define SIFT_READER_SCAN_H

#include <stddef.h>
#include <stdint.h>

#define SCAN_BLOCK 64

/* What one block passes to the next. */
struct scan_carry {
	uint64_t quote;  /* 1: the block ended inside quotes */
	uint64_t fence;  /* 1: its last byte was a delimiter, a newline or a
			    quote (or the input starts) */
	uint64_t closer; /* 1: its last byte was a closing quote */
	uint64_t cr;     /* 1: its last byte was a CR outside quotes,
			    which only a LF may follow */
};

struct scan_result {
	uint64_t ends;      /* newlines outside quotes: record ends */
	uint64_t dout;      /* delimiters outside quotes */
	uint64_t nl;        /* every newline, for line numbers */
	uint64_t bad_open;  /* quotes inside an unquoted field */
	uint64_t bad_close; /* bytes that may not follow a closing quote,
			       and CRs outside quotes without a LF after
			       them (bit 0: the block before's last) */
	unsigned nl_count;  /* newlines in the block */
};

/* The quotes argument of scan_blocks and scan_skip: ANDed with each
 * block's quote mask, it makes a quote an ordinary byte (TSV) or not. */
#define SCAN_QUOTES_CSV  (~(uint64_t)0)
#define SCAN_QUOTES_NONE ((uint64_t)0)

/* Scan n blocks of 64 bytes from p (all readable; in the last block,
 * only the first valid_last bytes count) into out[0..n), carrying the
 * state from block to block; quotes is SCAN_QUOTES_CSV or
 * SCAN_QUOTES_NONE (no quote state: nothing inside quotes, no quote
 * errors). The variant is chosen once, at the first call of any thread:
 * AVX-512BW or AVX2 with carry-less multiplication where the processor has
 * them, else SSE2 or portable C; all give the same result. */
void scan_blocks(const unsigned char *p, size_t n, unsigned valid_last,
		 unsigned char delim, uint64_t quotes, struct scan_carry *carry,
		 struct scan_result *out);

/* The state of the skip loop besides the scan's carry. */
struct scan_skip {
	uint64_t want;     /* in: stop before the block of the want-th
			      record end from the start of the call */
	uint64_t need;     /* in: delimiters a record must hold */
	uint64_t delims;   /* in/out: delimiters of the record begun
			      before the first block */
	uint64_t lines;    /* in/out: the line of the first block's
			      first byte */
	uint64_t skipped;  /* out: records passed over (from 0) */
	size_t rec_start;  /* out, when skipped: the byte after the last
			      record end passed over, from p */
	uint64_t rec_line; /* out, when skipped: its line */
};

/* Pass over whole records in n whole blocks from p as fast as the
 * blocks can be classified, with the checks of scan_blocks and of the
 * reader: every record holding s->need delimiters, no quote misplaced.
 * Stops before the first block where a record-by-record reading must
 * take over: one holding the s->want-th record end, a misplaced quote,
 * or a record of another width (a blank line, a ragged row); quotes as
 * for scan_blocks. Returns the number of blocks passed over; *carry and
 * *s describe the state after them. Chosen with scan_blocks. */
size_t scan_skip(const unsigned char *p, size_t n, unsigned char delim,
		 uint64_t quotes, struct scan_carry *carry,
		 struct scan_skip *s);

/* Use one variant of scan_blocks and scan_skip: "portable", "sse2", "avx2" or
 * "avx512" (the tests compare them; call it while no other thread scans).
 * Returns 0, or -1 when this build or processor lacks it. */
int scan_select(const char *variant);

/* Bits strictly below bit b. */
static inline uint64_t scan_below(unsigned b)
{
	return b >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << b) - 1;
}

/* The number of set bits, without relying on a POPCNT instruction the
 * baseline x86-64 lacks (a library call otherwise). */
static inline unsigned scan_popcount(uint64_t x)
{
	x = x - ((x >> 1) & 0x5555555555555555ULL);
	x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return (unsigned)((x * 0x0101010101010101ULL) >> 56);
}

#endif
