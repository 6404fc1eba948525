/* Unit tests of the reader's progress callback (sift_reader_set_progress):
 * what it reports of a plain file, a gzip file and a second pass. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sys/stat.h>
#include <zlib.h>

#include "sift/reader.h"
#include "testutil.h"

struct seen {
	unsigned calls;
	struct sift_progress last;
	int backwards; /* in_bytes went down within a pass */
};

static void note(void *ctx, const struct sift_progress *p)
{
	struct seen *s = ctx;

	if (s->calls && p->pass == s->last.pass &&
	    p->in_bytes < s->last.in_bytes)
		s->backwards = 1;
	s->calls++;
	s->last = *p;
}

/* A CSV of n records of about 60 bytes. */
static char *corpus(size_t n, size_t *len)
{
	char *buf = malloc(n * 64 + 16), *p = buf;

	p += sprintf(p, "id,text\n");
	for (size_t i = 0; i < n; i++)
		p += sprintf(p,
			     "%zu,\"a record, padded to about sixty "
			     "bytes\"\n",
			     i);
	*len = (size_t)(p - buf);
	return buf;
}

static uint64_t file_size(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return (uint64_t)st.st_size;
}

/* Read path to its end, then rewind and read it again. */
static void read_twice(const char *path, unsigned flags, struct seen *s,
		       struct sift_progress *first)
{
	struct sift_error err;
	struct sift_reader *r = sift_reader_open(path, NULL, flags, &err);
	const struct sift_record *rec;

	assert_non_null(r);
	sift_reader_set_progress(r, note, s);
	do
		assert_int_equal(sift_reader_next(r, &rec, &err), 0);
	while (rec);
	*first = s->last;
	assert_int_equal(sift_reader_rewind(r, &err), 0);
	assert_int_equal(sift_reader_skip(r, UINT64_MAX, NULL, &err), 0);
	sift_reader_close(r);
}

static void plain_file(void **state)
{
	size_t len;
	char *csv = corpus(200000, &len);
	char *path = tmpfile_with(csv, len);
	struct seen s = { 0 };
	struct sift_progress first;

	(void)state;
	read_twice(path, 0, &s, &first);
	assert_true(s.calls >= 4); /* a call a MiB or so */
	assert_false(s.backwards);
	assert_int_equal(first.pass, 1);
	assert_int_equal(first.in_total, len);
	assert_int_equal(first.in_bytes, len);
	assert_int_equal(first.bytes, len);
	assert_true(first.records >= 190000);
	assert_int_equal(s.last.pass, 2);
	assert_int_equal(s.last.in_bytes, len);
	free(csv);
	unlink(path);
	free(path);
}

static void gzip_file_reports_the_compressed_size(void **state)
{
	size_t len;
	char *csv = corpus(200000, &len);
	char *path = strdup("/tmp/sift-unit-XXXXXX");
	gzFile gz = gzdopen(mkstemp(path), "wb");
	struct seen s = { 0 };
	struct sift_progress first;

	(void)state;
	gzwrite(gz, csv, (unsigned)len);
	gzclose(gz);
	read_twice(path, 0, &s, &first);
	assert_false(s.backwards);
	assert_int_equal(first.in_total, file_size(path));
	assert_int_equal(first.in_bytes, file_size(path));
	assert_int_equal(first.bytes, len);
	assert_true(first.in_total < len);
	free(csv);
	unlink(path);
	free(path);
}

/* A pipe has no size; its second pass reads the spool, whose size is
 * the input's, decompressed. */
static void a_pipe_has_no_total_until_spooled(void **state)
{
	size_t len;
	char *csv = corpus(100000, &len);
	char *path = tmpfile_with(csv, len);
	char cmd[300];
	struct seen s = { 0 };
	struct sift_progress first;

	(void)state;
	snprintf(cmd, sizeof cmd, "exec cat %s", path);
	FILE *pipe = popen(cmd, "r");
	int saved = dup(0);
	dup2(fileno(pipe), 0);
	read_twice("-", SIFT_READER_REWIND, &s, &first);
	dup2(saved, 0);
	close(saved);
	pclose(pipe);
	assert_int_equal(first.in_total, 0);
	assert_int_equal(first.in_bytes, len);
	assert_int_equal(s.last.pass, 2);
	assert_int_equal(s.last.in_total, len);
	free(csv);
	unlink(path);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_file),
		cmocka_unit_test(gzip_file_reports_the_compressed_size),
		cmocka_unit_test(a_pipe_has_no_total_until_spooled),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
