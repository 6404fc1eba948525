/*
 * lib/reader_gzip.c - reading a file that may be gzip (see
 * reader_gzip.h): zlib's inflate over the file's bytes, member after
 * member, and a check of what follows the last.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "reader_gzip.h"

enum kind {
	KIND_UNKNOWN, /* nothing read yet */
	KIND_PLAIN,   /* not gzip: passed through */
	KIND_GZIP,
};

enum failure {
	FAIL_NONE,
	FAIL_SYSTEM,    /* read(2) failed: errnum */
	FAIL_TRUNCATED, /* the input ends inside a member */
	FAIL_CORRUPT,   /* inflate refused: zmsg */
	FAIL_TRAILING,  /* bytes after the last member */
	FAIL_MEMORY,
};

struct reader_gz {
	int fd;
	enum kind kind;
	z_stream z;
	int z_ready;       /* inflateInit2 done */
	unsigned char *in; /* the input buffer, cap bytes */
	size_t cap;
	int eof;              /* read(2) has returned 0 */
	int done;             /* the input has ended cleanly */
	uint64_t raw;         /* bytes read from fd */
	enum failure failure; /* once set, every read fails */
	int errnum;
	char zmsg[96];
	uint64_t trailing_at; /* where the bytes after the last member start */
};

struct reader_gz *reader_gz_open(int fd, size_t bufsize)
{
	struct reader_gz *g = calloc(1, sizeof *g);

	if (g)
		g->in = malloc(bufsize);
	if (!g || !g->in) {
		free(g);
		close(fd);
		return NULL;
	}
	g->fd = fd;
	g->cap = bufsize;
	return g;
}

static long fail(struct reader_gz *g, enum failure f)
{
	if (f == FAIL_SYSTEM)
		g->errnum = errno;
	if (f == FAIL_CORRUPT)
		snprintf(g->zmsg, sizeof g->zmsg, "%s",
			 g->z.msg ? g->z.msg : "corrupt gzip stream");
	g->failure = f;
	return -1;
}

/* Move what is left of the input to the buffer's start and read more
 * after it: 0 (eof is set at the end), or -1. */
static int fill(struct reader_gz *g)
{
	size_t have = g->z.avail_in;
	ssize_t n;

	if (have && g->z.next_in != g->in)
		memmove(g->in, g->z.next_in, have);
	g->z.next_in = g->in;
	do
		n = read(g->fd, g->in + have, g->cap - have);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return (int)fail(g, FAIL_SYSTEM);
	if (n == 0)
		g->eof = 1;
	g->raw += (uint64_t)n;
	g->z.avail_in = (uInt)(have + (size_t)n);
	return 0;
}

/* At least two bytes of input unless the input ends first. */
static int look(struct reader_gz *g)
{
	while (g->z.avail_in < 2 && !g->eof)
		if (fill(g))
			return -1;
	return 0;
}

static int gzip_magic(const struct reader_gz *g)
{
	return g->z.avail_in >= 2 && g->z.next_in[0] == 0x1f &&
	       g->z.next_in[1] == 0x8b;
}

/* After a member: another, the end, zeros to the end, or bytes that
 * are not gzip. */
static int after_member(struct reader_gz *g)
{
	if (look(g))
		return -1;
	if (g->z.avail_in == 0) {
		g->done = 1;
		return 0;
	}
	if (gzip_magic(g))
		return inflateReset(&g->z) == Z_OK ? 0
						   : (int)fail(g, FAIL_CORRUPT);
	g->trailing_at = g->raw - g->z.avail_in;
	for (;;) {
		for (uInt i = 0; i < g->z.avail_in; i++)
			if (g->z.next_in[i] != 0)
				return (int)fail(g, FAIL_TRAILING);
		g->z.avail_in = 0;
		if (g->eof)
			break;
		if (fill(g))
			return -1;
	}
	g->done = 1;
	return 0;
}

static long read_plain(struct reader_gz *g, void *buf, size_t len)
{
	ssize_t n;

	if (g->z.avail_in) { /* the bytes looked at first */
		size_t k = g->z.avail_in < len ? g->z.avail_in : len;

		memcpy(buf, g->z.next_in, k);
		g->z.next_in += k;
		g->z.avail_in -= (uInt)k;
		return (long)k;
	}
	do
		n = read(g->fd, buf, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return fail(g, FAIL_SYSTEM);
	g->raw += (uint64_t)n;
	if (n == 0)
		g->done = 1;
	return (long)n;
}

static long read_gzip(struct reader_gz *g, void *buf, size_t len)
{
	for (;;) {
		if (g->z.avail_in == 0 && !g->eof && fill(g))
			return -1;
		g->z.next_out = buf;
		g->z.avail_out = (uInt)len;
		int ret = inflate(&g->z, Z_NO_FLUSH);
		long made = (long)(len - g->z.avail_out);

		if (ret == Z_STREAM_END) {
			if (after_member(g) && made == 0)
				return -1;
			if (made > 0 || g->done)
				return made;
			continue;
		}
		if (ret == Z_MEM_ERROR)
			return fail(g, FAIL_MEMORY);
		if (ret != Z_OK && ret != Z_BUF_ERROR)
			return fail(g, FAIL_CORRUPT);
		if (made > 0)
			return made;
		if (g->z.avail_in == 0 && g->eof)
			return fail(g, FAIL_TRUNCATED);
	}
}

/* One step: some bytes, 0 at the end, or -1. */
static long read_some(struct reader_gz *g, void *buf, size_t len)
{
	if (g->failure)
		return -1;
	if (g->done || len == 0)
		return 0;
	if (g->kind == KIND_UNKNOWN) {
		if (look(g))
			return -1;
		g->kind = gzip_magic(g) ? KIND_GZIP : KIND_PLAIN;
		if (g->kind == KIND_GZIP && !g->z_ready) {
			/* 15 + 16: a window of 2^15, gzip's wrapper */
			if (inflateInit2(&g->z, 15 + 16) != Z_OK)
				return fail(g, FAIL_MEMORY);
			g->z_ready = 1;
		} else if (g->kind == KIND_GZIP &&
			   inflateReset(&g->z) != Z_OK) {
			return fail(g, FAIL_MEMORY);
		}
	}
	return g->kind == KIND_GZIP ? read_gzip(g, buf, len)
				    : read_plain(g, buf, len);
}

long reader_gz_read(struct reader_gz *g, void *buf, size_t len)
{
	if (len > INT32_MAX)
		len = INT32_MAX;
	return read_some(g, buf, len);
}

void reader_gz_error(const struct reader_gz *g, char *msg, size_t size)
{
	switch (g->failure) {
	case FAIL_SYSTEM:
		/* strerror_r: this runs in the read-ahead thread too */
		if (strerror_r(g->errnum, msg, size) != 0)
			snprintf(msg, size, "error %d", g->errnum);
		return;
	case FAIL_TRUNCATED:
		snprintf(msg, size,
			 "truncated gzip stream (unexpected end of file)");
		return;
	case FAIL_CORRUPT:
		snprintf(msg, size, "%s", g->zmsg);
		return;
	case FAIL_TRAILING:
		snprintf(msg, size,
			 "bytes that are not gzip after the end of the gzip "
			 "data, from byte %llu (gzip -t refuses them too)",
			 (unsigned long long)g->trailing_at);
		return;
	case FAIL_MEMORY:
		snprintf(msg, size, "out of memory");
		return;
	case FAIL_NONE:
		break;
	}
	snprintf(msg, size, "no error");
}

uint64_t reader_gz_offset(const struct reader_gz *g)
{
	return g->raw - g->z.avail_in;
}

int reader_gz_rewind(struct reader_gz *g)
{
	if (lseek(g->fd, 0, SEEK_SET) != 0)
		return -1;
	g->kind = KIND_UNKNOWN;
	g->z.avail_in = 0;
	g->z.next_in = g->in;
	g->eof = g->done = 0;
	g->raw = 0;
	g->failure = FAIL_NONE;
	return 0;
}

void reader_gz_close(struct reader_gz *g)
{
	if (!g)
		return;
	if (g->z_ready)
		inflateEnd(&g->z);
	close(g->fd);
	free(g->in);
	free(g);
}
