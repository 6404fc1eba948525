/* Unit tests of lib/split_chunks.c: shards cut at record boundaries (quoted
 * line breaks never cut), contiguous near-equal ranges from a plain
 * file, round robin from a gzip file, the header in every shard, every
 * record in exactly one shard, the counts, the checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <zlib.h>

#include "sift/chunks.h"
#include "testutil.h"

enum { K = 4, N = 301 };

/* N records, every third with a quoted field across two lines. */
static char *make_csv(size_t *len)
{
	size_t cap = (size_t)N * 64 + 64, n = 0;
	char *csv = malloc(cap);

	n += (size_t)snprintf(csv, cap, "id,text\n");
	for (unsigned i = 0; i < N; i++)
		n += (size_t)snprintf(csv + n, cap - n,
				      i % 3 ? "%u,plain %u\n"
					    : "%u,\"two\nlines, %u\"\n",
				      i, i);
	*len = n;
	return csv;
}

static char *slurp(const char *path, size_t *len)
{
	gzFile gz = gzopen(path, "rb");
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	int got;

	assert_non_null(gz);
	while ((got = gzread(gz, buf + n, (unsigned)(cap - n))) > 0) {
		n += (size_t)got;
		if (n == cap)
			buf = realloc(buf, cap *= 2);
	}
	gzclose(gz);
	*len = n;
	return buf;
}

/* Cut in into K shards named out-j[.gz]; the shards' bytes and counts. */
static void cut(const char *in, const char *suffix, char *shard[K],
		size_t shard_len[K], uint64_t records[K],
		enum sift_chunks_mode *mode)
{
	struct sift_writer *w[K];
	struct sift_error err;
	struct sift_reader *r = sift_reader_open(in, NULL, 0, &err);
	char path[K][64];

	assert_non_null(r);
	for (size_t j = 0; j < K; j++) {
		snprintf(path[j], sizeof path[j],
			 "/tmp/sift-unit-chunk-%d-%zu%s", (int)getpid(), j,
			 suffix);
		w[j] = sift_writer_open(path[j], &err);
		assert_non_null(w[j]);
	}
	if (sift_chunks_run(r, in, w, K, records, mode, &err))
		fail_msg("%s", err.msg);
	sift_reader_close(r);
	for (size_t j = 0; j < K; j++) {
		assert_int_equal(sift_writer_close(w[j], &err), 0);
		shard[j] = slurp(path[j], &shard_len[j]);
		unlink(path[j]);
	}
}

static const char header[] = "id,text\n";

static void test_ranges(void **state)
{
	size_t len, shard_len[K], joined = 0;
	char *csv = make_csv(&len), *in = tmpfile_with(csv, len), *shard[K];
	char *all = malloc(len);
	uint64_t records[K], total = 0;
	enum sift_chunks_mode mode;

	(void)state;
	assert_int_equal(sift_chunks_plain_size(in), len);
	cut(in, "", shard, shard_len, records, &mode);
	assert_int_equal(mode, SIFT_CHUNKS_RANGES);
	memcpy(all, header, strlen(header));
	joined = strlen(header);
	for (size_t j = 0; j < K; j++) {
		size_t h = strlen(header);

		assert_true(shard_len[j] > h);
		assert_memory_equal(shard[j], header, h);
		/* near-equal: within a record of a quarter of the data */
		assert_true(shard_len[j] - h + 40 > (len - h) / K);
		assert_true(shard_len[j] - h < (len - h) / K + 40);
		/* every shard ends a record: the next starts with a digit */
		assert_int_equal(shard[j][shard_len[j] - 1], '\n');
		memcpy(all + joined, shard[j] + h, shard_len[j] - h);
		joined += shard_len[j] - h;
		total += records[j];
		free(shard[j]);
	}
	/* in order, the shards are the input */
	assert_int_equal(joined, len);
	assert_memory_equal(all, csv, len);
	assert_int_equal(total, N);
	unlink(in);
	free(in);
	free(all);
	free(csv);
}

static void test_round_robin_gzip(void **state)
{
	size_t len, shard_len[K];
	char *csv = make_csv(&len), *shard[K];
	char in[] = "/tmp/sift-unit-chunk-in-XXXXXX";
	uint64_t records[K];
	enum sift_chunks_mode mode;
	int fd = mkstemp(in);
	gzFile gz = gzdopen(fd, "wb");

	(void)state;
	assert_int_equal(gzwrite(gz, csv, (unsigned)len), (int)len);
	gzclose(gz);
	assert_int_equal(sift_chunks_plain_size(in), 0);
	cut(in, ".gz", shard, shard_len, records, &mode);
	assert_int_equal(mode, SIFT_CHUNKS_ROUND_ROBIN);
	for (size_t j = 0; j < K; j++) {
		/* record i in shard i mod K: its first data record is j */
		char first[32];
		size_t h = strlen(header);

		assert_int_equal(records[j], N / K + (j < N % K));
		assert_memory_equal(shard[j], header, h);
		snprintf(first, sizeof first, "%zu,", j);
		assert_memory_equal(shard[j] + h, first, strlen(first));
		free(shard[j]);
	}
	unlink(in);
	free(csv);
}

/* Fewer records than shards: the last shards hold the header alone. */
static void test_few_records(void **state)
{
	const char csv[] = "a,b\n1,\"x\ny\"\n2,z";
	char *in = tmpfile_str(csv), *shard[K];
	size_t shard_len[K];
	uint64_t records[K];
	enum sift_chunks_mode mode;

	(void)state;
	cut(in, "", shard, shard_len, records, &mode);
	assert_int_equal(records[0] + records[1] + records[2] + records[3], 2);
	assert_int_equal(records[3], 0);
	assert_int_equal(shard_len[3], 4);
	assert_memory_equal(shard[3], "a,b\n", 4);
	for (size_t j = 0; j < K; j++)
		free(shard[j]);
	unlink(in);
	free(in);
}

static void test_check(void **state)
{
	struct sift_error err;

	(void)state;
	assert_int_equal(sift_chunks_check(0, &err), SIFT_EUSAGE);
	assert_string_equal(err.msg, "chunks: 0 shards; give 1 to 1024");
	assert_int_equal(sift_chunks_check(1025, &err), SIFT_EUSAGE);
	assert_int_equal(sift_chunks_check(1, &err), 0);
	assert_int_equal(sift_chunks_check(SIFT_CHUNKS_MAX, &err), 0);
	assert_int_equal(sift_chunks_plain_size("-"), 0);
	assert_int_equal(sift_chunks_plain_size(NULL), 0);
	assert_int_equal(sift_chunks_plain_size("/nonexistent/x"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_round_robin_gzip),
		cmocka_unit_test(test_few_records),
		cmocka_unit_test(test_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
