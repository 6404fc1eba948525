/*
 * lib/scan.h - classifying 64 bytes of CSV at a time (private to lib/).
 *
 * In the manner of simdjson's structural masks (Langdale and Lemire,
 * "Parsing gigabytes of JSON per second", 2019): one bit per byte for
 * quotes, newlines, carriage returns and delimiters; a prefix XOR of the
 * quote bits then says which bytes lie inside quotes, so a newline that
 * ends a record is found with a few word-wide operations rather than a
 * branch per byte.
 */
#ifndef SIFT_SCAN_H
#define SIFT_SCAN_H

#include <stdint.h>

#define SCAN_BLOCK 64

struct scan_masks {
	uint64_t quote, nl, cr, delim;
};

/* Classify the 64 bytes at p (all readable). */
void scan_classify(const unsigned char *p, unsigned char delim,
		   struct scan_masks *m);

/* Bit i of the result is the parity of the set bits 0..i of x. */
static inline uint64_t scan_prefix_xor(uint64_t x)
{
	x ^= x << 1;
	x ^= x << 2;
	x ^= x << 4;
	x ^= x << 8;
	x ^= x << 16;
	x ^= x << 32;
	return x;
}

/* Bits strictly below bit b. */
static inline uint64_t scan_below(unsigned b)
{
	return b >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << b) - 1;
}

#endif
