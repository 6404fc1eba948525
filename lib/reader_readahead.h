/*
 * lib/reader_readahead.h - a thread that reads a file ahead of the reader
 * (private to lib/).
 *
 * Reading costs the kernel's copy of every byte (about as much as the
 * block scanner's pass over the same bytes), and inflating a gzip file
 * costs several times more. With a second thread doing the reading
 * while the reader scans, the two overlap. The thread fills a ring of
 * buffers in order; each buffer has room before its data, where the
 * reader puts the part of a record that the buffer before it cut off,
 * so that the input is not copied again (only a record longer than the
 * room is gathered in the reader's own buffer).
 *
 * Only for regular files: a read from a pipe may wait for ever, and a
 * thread blocked in it could not be stopped when the reader is closed.
 */
#ifndef SIFT_READER_READAHEAD_H
#define SIFT_READER_READAHEAD_H

#include <stddef.h>
#include <stdint.h>

#include "reader_gzip.h"

struct readahead;

struct readahead_chunk {
	unsigned char *data; /* len bytes, then 64 zero bytes; before
				data, room bytes the taker may write */
	size_t room;
	size_t len;        /* 0: the input has ended */
	const char *error; /* NULL, or why reading failed (no more then) */
	uint64_t offset;   /* where the file is read to after this chunk
			      (compressed bytes, for progress) */
};

/* Start reading gz from where it is, in chunks of chunk bytes, each with
 * room bytes before it. NULL when a thread or memory is lacking: read
 * without one then. */
struct readahead *readahead_start(struct reader_gz *gz, size_t room,
				  size_t chunk);

/* The next chunk of the input, waiting for it. It is the caller's until
 * given back; hold at most two. After a chunk with len 0 or an error
 * there are no more: do not call again. */
struct readahead_chunk *readahead_take(struct readahead *ra);

/* Give a taken chunk back, to be filled again. */
void readahead_give(struct readahead *ra, struct readahead_chunk *chunk);

/* Stop the thread and free every buffer, taken or not. gz is the
 * caller's again, at an unspecified position. */
void readahead_stop(struct readahead *ra);

#endif
