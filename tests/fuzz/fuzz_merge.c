/*
 * fuzz_merge: sift sample --merge on fuzzed partial samples. The input
 * is one stream of partials, or two split at a line "%%" (two files, as
 * `sift sample --merge a.csv b.csv` reads them); sift_sample_merge
 * writes to a file of the private directory. Each input is merged
 * twice: with the defaults, then with a design-weight column, shuffled,
 * and (when the first merge worked) the record count it reported
 * expected, so that the paths past a passed check are reached too.
 */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz.h"
#include "sift/reader.h"
#include "sift/sample.h"
#include "sift/writer.h"

/* Merge the partial files paths[0..n); the records over all shards, or
 * -1 when the merge failed. */
static long long merge(const char *const *paths, size_t n,
		       const struct sift_merge_opts *o)
{
	struct sift_reader *r[2] = { NULL, NULL };
	struct sift_sample_stats stats = { 0 };
	struct sift_error err;
	struct sift_writer *w = NULL;
	char out[128];
	long long records = -1;
	int rc = 0;

	snprintf(out, sizeof out, "%s/merged.csv", fuzz_tmpdir());
	for (size_t i = 0; i < n && !rc; i++)
		if (!(r[i] = sift_reader_open(paths[i], NULL, 0, &err)))
			rc = 1;
	if (!rc && !(w = sift_writer_open(out, &err)))
		abort();
	if (!rc && !sift_sample_merge(r, n, w, o, &stats, &err)) {
		if (sift_writer_close(w, &err))
			abort();
		records = (long long)stats.n_in;
	} else {
		sift_writer_discard(w);
	}
	sift_sample_stats_free(&stats);
	for (size_t i = 0; i < n; i++)
		sift_reader_close(r[i]);
	return records;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *mark = fuzz_find(data, size, "\n%%\n");
	size_t first = mark ? (size_t)(mark - data) + 1 : size;
	char a[128], b[128];
	const char *paths[2] = { a, b };
	struct sift_merge_opts o;
	long long records;

	snprintf(a, sizeof a, "%s", fuzz_write("a.csv", data, first));
	if (mark)
		snprintf(b, sizeof b, "%s",
			 fuzz_write("b.csv", mark + 4, size - first - 3));
	sift_merge_opts_init(&o);
	records = merge(paths, mark ? 2 : 1, &o);
	o.emit_weight = "weight";
	o.shuffle = 1;
	o.seed = 7;
	o.have_expect = 1;
	o.expect_records = records >= 0 ? (uint64_t)records : 100;
	(void)merge(paths, mark ? 2 : 1, &o);
	return 0;
}
