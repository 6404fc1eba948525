/*
 * lib/split_chunks.c - cutting an input into K shards at record boundaries
 * (see sift/chunks.h).
 *
 * Ranges: the reader skips records (its fast path over whole blocks,
 * quotes and widths still checked) until it passes each cut, and the
 * bytes between two cuts are copied from the file with pread, in large
 * pieces: about the work of a line-based split, where writing record
 * by record would cost a call per record. Round robin has no such
 * shortcut: each record goes to its own shard.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sift/chunks.h"

/* The piece of a range copied at a time. */
#define COPY_BUF ((size_t)1 << 20)

uint64_t sift_chunks_plain_size(const char *path)
{
	unsigned char magic[2];
	struct stat st;
	uint64_t size = 0;
	int fd;

	if (!path || strcmp(path, "-") == 0)
		return 0;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	/* gzip's magic bytes: its size is known only once inflated. */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    !(read(fd, magic, 2) == 2 && magic[0] == 0x1f && magic[1] == 0x8b))
		size = (uint64_t)st.st_size;
	close(fd);
	return size;
}

int sift_chunks_check(uint64_t k, struct sift_error *err)
{
	if (k < 1 || k > SIFT_CHUNKS_MAX)
		return sift_error_set(err, SIFT_EUSAGE,
				      "`chunks`: %llu shards; give 1 to %d",
				      (unsigned long long)k, SIFT_CHUNKS_MAX);
	return 0;
}

static int write_record(struct sift_writer *w, const struct sift_record *rec,
			struct sift_error *err)
{
	int rc = sift_writer_write(w, rec->raw, rec->len, err);

	return rc ? rc : sift_writer_puts(w, *rec->eol ? rec->eol : "\n", err);
}

static int write_headers(struct sift_reader *r, struct sift_writer **w,
			 size_t k, struct sift_error *err)
{
	const struct sift_record *h = sift_reader_header(r);
	int rc = 0;

	for (size_t i = 0; !rc && h && i < k; i++)
		rc = write_record(w[i], h, err);
	return rc;
}

static int round_robin(struct sift_reader *r, struct sift_writer **w, size_t k,
		       uint64_t *records, struct sift_error *err)
{
	const struct sift_record *rec;
	size_t j = 0;
	int rc;

	while (!(rc = sift_reader_next(r, &rec, err)) && rec) {
		rc = write_record(w[j], rec, err);
		if (rc)
			break;
		records[j]++;
		j = j + 1 == k ? 0 : j + 1;
	}
	return rc;
}

/* Where shard j's range ends, counted from the data's start: (j + 1)
 * K-ths of size, without overflow. */
static uint64_t range_end(uint64_t size, size_t k, size_t j)
{
	return size / k * (j + 1) + size % k * (j + 1) / k;
}

/* Skip at least one record, then on until the reader has consumed
 * `end` bytes (or the input ends). Each skip aims at half the bytes
 * still to go, at the mean record size so far, so that the cut lands on
 * the first record boundary at or just past end in a few dozen calls.
 * The one record first gives every shard a record while any are left,
 * even where records are longer than a shard's share. */
static int skip_to(struct sift_reader *r, uint64_t end, uint64_t start,
		   struct sift_error *err)
{
	uint64_t step = 1, got;

	for (;;) {
		int rc = sift_reader_skip(r, step, &got, err);
		uint64_t at = sift_reader_bytes(r), n = sift_reader_count(r);
		uint64_t mean = n && at > start ? (at - start) / n : 1;

		if (rc || got < step || at >= end)
			return rc;
		step = (end - at) / (2 * (mean ? mean : 1));
		step = step ? step : 1;
	}
}

/* Copy bytes [from, to) of the file fd to w. */
static int copy_range(int fd, const char *path, uint64_t from, uint64_t to,
		      char *buf, struct sift_writer *w, struct sift_error *err)
{
	while (from < to) {
		size_t want =
			to - from < COPY_BUF ? (size_t)(to - from) : COPY_BUF;
		ssize_t n = pread(fd, buf, want, (off_t)from);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return sift_error_set(err, SIFT_EIO,
					      "%s: read error: %s", path,
					      strerror(errno));
		if (n == 0)
			return sift_error_set(err, SIFT_EDATA,
					      "%s: the file shrank while it "
					      "was split",
					      path);
		int rc = sift_writer_write(w, buf, (size_t)n, err);
		if (rc)
			return rc;
		from += (uint64_t)n;
	}
	return 0;
}

static int ranges(struct sift_reader *r, const char *path, uint64_t size,
		  struct sift_writer **w, size_t k, uint64_t *records,
		  struct sift_error *err)
{
	/* Without a header the reader has read the first record ahead;
	 * with one, the data starts where the header ends. */
	uint64_t from = sift_reader_header(r) ? sift_reader_bytes(r) : 0;
	uint64_t start = from, counted = sift_reader_count(r);
	uint64_t data = size > start ? size - start : 0;
	char *buf = malloc(COPY_BUF);
	int fd = open(path, O_RDONLY), rc = 0;

	if (!buf)
		rc = sift_error_nomem(err);
	else if (fd < 0)
		rc = sift_error_set(err, SIFT_EIO, "%s: %s", path,
				    strerror(errno));
	for (size_t j = 0; !rc && j < k; j++) {
		if (j + 1 < k)
			rc = skip_to(r, start + range_end(data, k, j), start,
				     err);
		else
			rc = sift_reader_skip(r, UINT64_MAX, NULL, err);
		if (rc)
			break;
		uint64_t to = sift_reader_bytes(r);
		records[j] = sift_reader_count(r) - counted;
		counted = sift_reader_count(r);
		rc = copy_range(fd, path, from, to, buf, w[j], err);
		from = to;
	}
	if (fd >= 0)
		close(fd);
	free(buf);
	return rc;
}

int sift_chunks_run(struct sift_reader *r, const char *path,
		    struct sift_writer **w, size_t k, uint64_t *records,
		    enum sift_chunks_mode *mode, struct sift_error *err)
{
	uint64_t size = sift_chunks_plain_size(path);
	int rc = sift_chunks_check(k, err);

	*mode = size ? SIFT_CHUNKS_RANGES : SIFT_CHUNKS_ROUND_ROBIN;
	for (size_t i = 0; i < k; i++)
		records[i] = 0;
	if (!rc)
		rc = write_headers(r, w, k, err);
	if (rc)
		return rc;
	if (*mode == SIFT_CHUNKS_RANGES)
		return ranges(r, path, size, w, k, records, err);
	return round_robin(r, w, k, records, err);
}
