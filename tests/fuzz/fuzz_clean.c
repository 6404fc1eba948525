/*
 * fuzz_clean: `sift clean` on fuzzed scored records. The input is a
 * CSV with a label column and probability columns p_<class>, read
 * twice by sift_clean_run (the reader rewinds; the scores are spooled
 * between), every issue written to /dev/null. The first byte picks the
 * options, as sift clean's flags would:
 *
 *   bits 0-2  --filter: the filter of that number, modulo the five
 *   bit 3     --rank normalized_margin
 *   bits 4-5  --all (1), --drop (2), else the issues; with bit 6 and
 *             the issues, --sort input
 *
 * Whatever the bytes, a run ends with 0 or an error code and a message;
 * an issue count larger than the labeled records is a defect.
 */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz.h"
#include "sift/clean.h"
#include "sift/writer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned mode = size ? data[0] : 0;
	const char *path =
		fuzz_write("clean.csv", data + (size > 0), size ? size - 1 : 0);
	struct sift_clean_stats st = { 0 };
	struct sift_clean_opts o;
	struct sift_error err;
	struct sift_reader *r;
	struct sift_writer *w;

	sift_clean_opts_init(&o);
	o.filter = (enum sift_clean_filter)(
		(mode & 7) % (SIFT_CLEAN_PREDICTED_NEQ_GIVEN + 1));
	if (mode & 8)
		o.rank = SIFT_CLEAN_NORMALIZED_MARGIN;
	if ((mode >> 4 & 3) == 1)
		o.output = SIFT_CLEAN_ALL;
	else if ((mode >> 4 & 3) == 2)
		o.output = SIFT_CLEAN_DROP;
	if (o.output != SIFT_CLEAN_ISSUES || mode & 64)
		o.sort = SIFT_CLEAN_SORT_INPUT;
	if (sift_clean_check(&o, &err))
		abort(); /* every mode above is a valid combination */
	r = sift_reader_open(path, NULL, SIFT_READER_REWIND, &err);
	if (!r)
		return 0;
	if (!(w = sift_writer_open("/dev/null", &err)))
		abort();
	if (!sift_clean_run(r, w, &o, &st, &err) &&
	    st.n_issues + st.n_unlabeled > st.n_records)
		abort();
	(void)sift_writer_close(w, &err);
	sift_clean_stats_free(&st);
	sift_reader_close(r);
	return 0;
}
