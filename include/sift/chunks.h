/*
 * sift/chunks.h - cut an input into K shards at record boundaries, for
 * work spread over processes or machines (sift split --chunks).
 *
 * A line-based splitter (split -n l/K, parallel --pipepart) cuts a record
 * whose quoted field holds a line break in two, and both halves are lost
 * or misread downstream. The reader's scanner knows where every record
 * ends, quotes included, so the shards are cut there and only there:
 * every record of the input is in exactly one shard, byte for byte.
 *
 * Two ways to cut, chosen by what is known of the input:
 *  - ranges: an uncompressed regular file, whose size is known before it
 *    is read, is cut into K contiguous byte ranges of near-equal size;
 *    shard j ends with the first record that reaches j+1 K-ths of the
 *    file. The shards, concatenated in order, are the input.
 *  - round robin: a stream (standard input, a pipe) or a gzip file, whose
 *    size is known only at its end, sends record i to shard i mod K: one
 *    pass, no temporary copy, memory bounded by the writers' buffers,
 *    and the shards' record counts within one of each other.
 */
#ifndef SIFT_CHUNKS_H
#define SIFT_CHUNKS_H

#include <stddef.h>
#include <stdint.h>

#include "sift/error.h"
#include "sift/reader.h"
#include "sift/writer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The most shards one run writes: every shard's writer is open until
 * the end (so that a failure leaves none behind), and each holds a
 * buffer and a file descriptor. */
enum { SIFT_CHUNKS_MAX = 1024 };

enum sift_chunks_mode {
	SIFT_CHUNKS_RANGES,      /* contiguous byte ranges of a file */
	SIFT_CHUNKS_ROUND_ROBIN, /* record i to shard i mod K */
};

/* The size in bytes of path when it is an uncompressed regular file
 * (what the ranges need); 0 for standard input ("-" or NULL), a pipe,
 * a device, a gzip file (one that starts with gzip's magic bytes), an
 * empty file, or a file that cannot be read (the reader then reports
 * why). */
uint64_t sift_chunks_plain_size(const char *path);

/* Check a number of shards: 1 to SIFT_CHUNKS_MAX. Returns 0 or
 * SIFT_EUSAGE with a message naming --chunks. */
int sift_chunks_check(uint64_t k, struct sift_error *err);

/* Write every record of r, opened on path (NULL or "-" for standard
 * input), to one of w[0 .. k), the header (if any) to all: by ranges or
 * round robin (see above), as sift_chunks_plain_size(path) says. A
 * record keeps its bytes. Ranges are found by skipping records (which
 * checks them as strictly as reading does) and their bytes are then
 * copied from the file, blank lines included; round robin writes
 * record by record, and a last line without a line ending gets "\n".
 * records[j] receives shard j's record count (the caller gives k of
 * them) and *mode the way the input was cut. Returns 0 or an error
 * code: the input's (bad CSV, a read error, a file that shrank while
 * it was read) or a writer's. The writers are not closed: the caller
 * closes them all on success and discards them all on error. */
int sift_chunks_run(struct sift_reader *r, const char *path,
		    struct sift_writer **w, size_t k, uint64_t *records,
		    enum sift_chunks_mode *mode, struct sift_error *err);

#ifdef __cplusplus
}
#endif

#endif
