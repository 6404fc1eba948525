/*
 * lib/reader_gzip.h - reading a file that may be gzip (private to lib/).
 *
 * What zlib's gzread does (plain bytes pass through, gzip is inflated,
 * members one after another are one stream), with one difference: bytes
 * after the last member that do not start another are an error, where
 * gzread passes over them in silence (gzip -t refuses them). Zeros are
 * the exception, as for gzip: a tape's or a disk image's padding.
 */
#ifndef SIFT_READER_GZIP_H
#define SIFT_READER_GZIP_H

#include <stddef.h>
#include <stdint.h>

struct reader_gz;

/* Read fd (which it then owns), with an input buffer of bufsize bytes.
 * NULL when memory is lacking (fd is then closed). */
struct reader_gz *reader_gz_open(int fd, size_t bufsize);

/* Up to len bytes into buf, as many as one read of the file gives (a
 * pipe's reader gets what was written, without waiting for more): the
 * count, 0 at the end of the input, or -1 on an error (reader_gz_error
 * says which; reading again repeats it). */
long reader_gz_read(struct reader_gz *g, void *buf, size_t len);

/* Why the last read failed: the system's error, a truncated or corrupt
 * gzip stream, or bytes after its end. Written into msg. */
void reader_gz_error(const struct reader_gz *g, char *msg, size_t size);

/* The bytes of the file read so far (compressed bytes, for progress). */
uint64_t reader_gz_offset(const struct reader_gz *g);

/* Back to the start of a regular file: 0, or -1 with errno. */
int reader_gz_rewind(struct reader_gz *g);

/* Close the file and free g (NULL is nothing). */
void reader_gz_close(struct reader_gz *g);

#endif
