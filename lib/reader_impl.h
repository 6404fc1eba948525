/*
 * lib/reader_impl.h - the reader's state, shared by lib/reader.c
 * (reading, scanning and skipping records) and lib/reader_fields.c (splitting
 * a record into fields); private to lib/.
 */
#ifndef SIFT_READER_IMPL_H
#define SIFT_READER_IMPL_H

#include <stdint.h>
#include <stdio.h>

#include <csv.h>

#include "reader_scan.h"
#include "sift/reader.h"

/* Blocks scanned per call: 4 KiB of input, results in 3 KiB. */
#define SCAN_BATCH 64

struct field {
	const char *s;
	size_t len;
};

/* The delimiters outside quotes of a record, as the masks of its blocks
 * noted while it is scanned (one word per block), so that a field is
 * found without a second pass over the record: block k covers the bytes
 * from base + 64 k on, counted from the record's start (base <= 0).
 * lost: some blocks were passed over unnoted, by the skip loop (only
 * ever in a record it passes over) or for want of memory. */
struct delim_masks {
	uint64_t *mask;
	size_t n, cap;
	long long base;
	int lost;
};

struct sift_reader {
	char *name;
	struct reader_gz *gz; /* the file, inflated if gzip */
	int seekable;
	FILE *spool; /* decompressed copy of a stream we must rewind */
	struct sift_csv_opts opts;
	uint64_t quotes; /* SCAN_QUOTES_CSV, or _NONE without quoting */

	unsigned char *buf; /* own, or a chunk read ahead */
	unsigned char *own; /* the reader's buffer, cap bytes */
	size_t cap, len;
	struct readahead *ra;          /* a thread reading ahead, or NULL */
	struct readahead_chunk *chunk; /* the chunk buf is in, or NULL */
	char failure[256];             /* why reading failed, or empty */
	int stuck; /* an error reading: every later read returns it */
	sift_progress_fn progress_fn; /* or NULL */
	void *progress_ctx;
	struct sift_progress progress;
	struct sift_error stuck_err;
	int eof;
	uint64_t shifted; /* bytes moved out of the buffer's front */

	/* scanning state (see the invariant at the top of reader.c) */
	size_t rec_start;
	uint64_t rec_line;
	size_t scan_pos;
	int have_block;
	uint64_t ends, done, dout, nlmask;
	uint64_t block_line;
	uint64_t rec_delims;
	struct delim_masks open_masks; /* of the record being scanned */
	struct delim_masks rec_masks;  /* of the record returned */
	unsigned bad_bit; /* first misplaced quote in the block, or 64 */
	int bad_is_open;
	struct scan_carry carry; /* after the last block of the batch */
	unsigned nl_count;       /* newlines in the block */
	struct scan_result batch[SCAN_BATCH]; /* blocks from scan_pos on */
	size_t batch_n, batch_i;
	/* Blocks the next batch may hold: SCAN_BATCH when reading every
	 * record; after a skip it starts at 1 and doubles, so that blocks
	 * scanned ahead do not keep the next skip from the fast loop. */
	size_t batch_max;

	/* records */
	struct sift_record rec;
	struct sift_record header;
	char *header_raw;
	int has_header;
	int peeked;
	size_t ncols;
	char **colnames;
	uint64_t n_records;

	/* fields of the current record, found as asked: fields[i] holds
	 * field i of the record numbered serial where stamp[i] == serial.
	 * The header's fill fields[] in order (nfields of them). */
	uint64_t serial;
	uint64_t *stamp;
	struct field *fields;
	size_t nfields, fields_cap;
	char *fbuf;
	size_t fbuf_len, fbuf_cap;
	size_t *foff; /* offsets into fbuf while libcsv runs */
	struct csv_parser csv;
	int csv_nomem;
};

/* Split the whole record rec (the header) into r->fields: with libcsv,
 * or without quoting on its delimiters, each field decoded. */
int reader_split_record(struct sift_reader *r, const struct sift_record *rec,
			struct sift_error *err);

#endif
