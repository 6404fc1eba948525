/* Unit tests of lib/reader_gzip.c: plain bytes pass through; gzip is
 * inflated, members one after another as one stream; an input cut
 * inside a member, a corrupt one, and bytes that are not gzip after the
 * last member are errors (zeros after it are padding); rewind reads
 * again; and through sift_reader, the error names the file. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

#include "../../lib/reader_gzip.h"
#include "sift/reader.h"
#include "testutil.h"

/* text gzipped into out (of size cap): its length. */
static size_t gzip_of(const char *text, unsigned char *out, size_t cap)
{
	z_stream z;

	memset(&z, 0, sizeof z);
	assert_int_equal(
		deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY),
		Z_OK);
	z.next_in = (unsigned char *)(uintptr_t)text;
	z.avail_in = (uInt)strlen(text);
	z.next_out = out;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	size_t n = cap - z.avail_out;
	deflateEnd(&z);
	return n;
}

/* Read all of bytes[0..len) through a buffer of bufsize: 0 and the text
 * in out, or -1 and the message in out. */
static int read_all(const void *bytes, size_t len, size_t bufsize, char *out,
		    size_t cap)
{
	char *path = tmpfile_with(bytes, len);
	int fd = open(path, O_RDONLY);
	struct reader_gz *g = reader_gz_open(fd, bufsize);
	size_t got = 0;
	long n;
	int rc = 0;

	assert_non_null(g);
	while ((n = reader_gz_read(g, out + got, cap - 1 - got)) > 0)
		got += (size_t)n;
	out[got] = '\0';
	if (n < 0) {
		reader_gz_error(g, out, cap);
		rc = -1;
	}
	reader_gz_close(g);
	unlink(path);
	free(path);
	return rc;
}

static const char text[] = "id,text\n1,a\n2,b\n";

static void plain_and_gzip(void **state)
{
	unsigned char gz[256];
	char out[512];
	size_t n = gzip_of(text, gz, sizeof gz);

	(void)state;
	assert_int_equal(read_all(text, strlen(text), 7, out, sizeof out), 0);
	assert_string_equal(out, text);
	for (size_t bufsize = 2; bufsize <= 64; bufsize *= 2) {
		assert_int_equal(read_all(gz, n, bufsize, out, sizeof out), 0);
		assert_string_equal(out, text);
	}
	/* nothing, one byte of gzip's magic, a lone byte */
	assert_int_equal(read_all("", 0, 16, out, sizeof out), 0);
	assert_string_equal(out, "");
	assert_int_equal(read_all("\x1f", 1, 16, out, sizeof out), 0);
	assert_string_equal(out, "\x1f");
}

static void members_are_one_stream(void **state)
{
	unsigned char gz[512];
	char out[512];
	size_t n = gzip_of(text, gz, sizeof gz);

	(void)state;
	n += gzip_of("3,c\n", gz + n, sizeof gz - n);
	assert_int_equal(read_all(gz, n, 5, out, sizeof out), 0);
	assert_string_equal(out, "id,text\n1,a\n2,b\n3,c\n");
	/* zeros after the last member are padding */
	memset(gz + n, 0, 100);
	assert_int_equal(read_all(gz, n + 100, 16, out, sizeof out), 0);
	assert_string_equal(out, "id,text\n1,a\n2,b\n3,c\n");
}

static void cut_corrupt_and_trailing(void **state)
{
	unsigned char gz[512];
	char out[512], want[160];
	size_t n = gzip_of(text, gz, sizeof gz);

	(void)state;
	/* cut inside the member */
	assert_int_equal(read_all(gz, n - 5, 16, out, sizeof out), -1);
	assert_string_equal(out,
			    "truncated gzip stream (unexpected end of file)");
	/* its check value wrong */
	gz[n - 6] ^= 0xff;
	assert_int_equal(read_all(gz, n, 16, out, sizeof out), -1);
	assert_non_null(strstr(out, "incorrect data check"));
	gz[n - 6] ^= 0xff;
	/* bytes after it, at any buffer size */
	memcpy(gz + n, "garbage!!", 9);
	for (size_t bufsize = 2; bufsize <= 256; bufsize *= 4) {
		assert_int_equal(read_all(gz, n + 9, bufsize, out, sizeof out),
				 -1);
		snprintf(want, sizeof want,
			 "bytes that are not gzip after the end of the gzip "
			 "data, from byte %zu (gzip -t refuses them too)",
			 n);
		assert_string_equal(out, want);
	}
	/* zeros, then something else: from the zeros */
	memset(gz + n, 0, 20);
	gz[n + 19] = 'x';
	assert_int_equal(read_all(gz, n + 20, 8, out, sizeof out), -1);
	snprintf(want, sizeof want, "from byte %zu ", n);
	assert_non_null(strstr(out, want));
}

static void rewind_reads_again(void **state)
{
	unsigned char gz[256];
	char out[64];
	size_t n = gzip_of(text, gz, sizeof gz);
	char *path = tmpfile_with(gz, n);
	struct reader_gz *g = reader_gz_open(open(path, O_RDONLY), 8);

	(void)state;
	for (int pass = 0; pass < 2; pass++) {
		long got = 0, k;

		while ((k = reader_gz_read(g, out + got,
					   sizeof out - (size_t)got)) > 0)
			got += k;
		assert_int_equal(got, (long)strlen(text));
		assert_memory_equal(out, text, strlen(text));
		assert_int_equal(reader_gz_read(g, out, sizeof out), 0);
		assert_int_equal(reader_gz_offset(g), n);
		assert_int_equal(reader_gz_rewind(g), 0);
	}
	reader_gz_close(g);
	unlink(path);
	free(path);
}

/* Through the reader: records, then the error naming the file. */
static void the_reader_names_the_file(void **state)
{
	unsigned char gz[256];
	size_t n = gzip_of(text, gz, sizeof gz);
	struct sift_error err;
	const struct sift_record *rec;
	char *path;
	struct sift_reader *r;
	int rc;

	(void)state;
	memcpy(gz + n, "PK\x03\x04", 4);
	path = tmpfile_with(gz, n + 4);
	/* a small file is read whole when it is opened */
	r = sift_reader_open(path, NULL, 0, &err);
	rc = r ? 0 : err.code;
	while (rc == 0 && (rc = sift_reader_next(r, &rec, &err)) == 0 && rec)
		;
	assert_int_equal(rc, SIFT_EDATA);
	assert_non_null(strstr(err.msg, ": read error: bytes that are not "
					"gzip after the end of the gzip data"));
	assert_non_null(strstr(err.msg, path));
	sift_reader_close(r);
	unlink(path);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_and_gzip),
		cmocka_unit_test(members_are_one_stream),
		cmocka_unit_test(cut_corrupt_and_trailing),
		cmocka_unit_test(rewind_reads_again),
		cmocka_unit_test(the_reader_names_the_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
