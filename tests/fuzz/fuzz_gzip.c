/*
 * fuzz_gzip: the input, gzip-compressed, through sift_reader: the
 * decompressing path of the reader (block boundaries, a record split
 * across inflate buffers) on arbitrary CSV; and the input as a gzip
 * stream with its end cut off, which must be a clean "truncated" error.
 */
#include <stdint.h>
#include <stdlib.h>
#include <zlib.h>

#include "fuzz.h"
#include "sift/reader.h"

static void read_all(const char *path, char delim, int header)
{
	struct sift_csv_opts o;
	struct sift_error err;
	struct sift_reader *r;
	const struct sift_record *rec;

	sift_csv_opts_init(&o);
	o.delim = delim;
	o.header = header;
	if (!(r = sift_reader_open(path, &o, 0, &err)))
		return;
	while (!sift_reader_next(r, &rec, &err) && rec)
		for (size_t i = 0; i < sift_reader_ncols(r); i++) {
			const char *s;
			size_t len;

			if (sift_reader_field(r, i, &s, &len, &err))
				break;
		}
	sift_reader_close(r);
}

/* gzip-compress data (a gzip header, not zlib's) into a malloc'ed buffer. */
static uint8_t *gzip(const uint8_t *data, size_t size, size_t *out)
{
	z_stream z = { 0 };
	size_t cap = compressBound((uLong)size) + 64;
	uint8_t *buf = malloc(cap);

	if (!buf || deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8,
				 Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	z.next_in = (Bytef *)(uintptr_t)data;
	z.avail_in = (uInt)size;
	z.next_out = buf;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		abort();
	*out = z.total_out;
	deflateEnd(&z);
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n;
	uint8_t *gz = gzip(data, size, &n);
	const char *path = fuzz_write("in.csv.gz", gz, n);

	read_all(path, ',', 1);
	read_all(path, '\t', 0);
	/* Cut inside the deflate stream or its trailer. */
	path = fuzz_write("cut.csv.gz", gz, n - 1 - (size ? data[0] % 8 : 0));
	read_all(path, ',', 1);
	free(gz);
	return 0;
}
