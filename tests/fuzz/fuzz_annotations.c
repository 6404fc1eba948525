/*
 * fuzz_annotations: the input as long-form annotation CSV (item,
 * annotator, label) through sift_annotations_read and _finish, then the
 * whole audit (agreement, Dawid-Skene, consensus, review sample) on what
 * loaded. The first byte picks the level of alpha, the consensus method
 * and the minimum overlap; the rest is the CSV.
 */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz.h"
#include "sift/annotations.h"
#include "sift/audit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct sift_annotation_cols cols = { "item", "annotator",
							  "label" };
	struct sift_annotations set;
	struct sift_audit au = { 0 };
	struct sift_audit_opts o;
	struct sift_audit_review rv = { 0 };
	struct sift_error err;
	struct sift_reader *r;
	unsigned mode = size ? data[0] : 0;
	const char *path =
		fuzz_write("ann.csv", data + (size > 0), size ? size - 1 : 0);

	if (sift_annotations_init(&set, &err))
		abort();
	if (!(r = sift_reader_open(path, NULL, 0, &err))) {
		sift_annotations_free(&set);
		return 0;
	}
	if (!sift_annotations_read(&set, r, &cols, NULL, &err) &&
	    !sift_annotations_finish(&set, &err)) {
		sift_audit_opts_init(&o);
		o.min_overlap = mode >> 4;
		o.consensus = (enum sift_audit_consensus)(mode % 3);
		o.level = (enum sift_agree_level)((mode >> 2) % 4);
		if (!sift_audit_run(&au, &set, NULL, &o, &err) &&
		    o.consensus == SIFT_AUDIT_REPORT)
			(void)sift_audit_review(&au, 5, 0.1, 1, &rv, &err);
		sift_audit_review_free(&rv);
		sift_audit_free(&au);
	}
	sift_reader_close(r);
	sift_annotations_free(&set);
	return 0;
}
