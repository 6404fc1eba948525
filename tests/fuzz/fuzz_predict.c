/*
 * fuzz_predict: sift_predict_run with fixed models on fuzzed records. Two
 * small models are built at start: a linear binary one with a threshold
 * (word and character n-grams of text, a numeric x, a categorical c)
 * and an mlp of three classes over the same columns. The input is a CSV
 * scored into a file of the private directory, which is then read back
 * beside the input: every record must come out byte for byte with its
 * appended columns (pred, and p_<class> for each class), no record lost
 * or added. The first byte picks the options:
 *
 *   bit 0   the mlp, else the linear model
 *   bit 1   no p_ columns (--no-proba)
 *   bit 2   --threshold 0.25
 *   bit 3   the LIBSVM export too (--export-svm), to /dev/null
 *   bit 4   TSV (no quoting, tab), else CSV
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "sift/model.h"
#include "sift/predict.h"
#include "sift/reader.h"
#include "sift/rng.h"
#include "sift/writer.h"

static struct sift_model linear, mlp;

static void make_model(struct sift_model *m, int is_mlp)
{
	static const char *const classes[] = { "no", "yes", "maybe" };
	struct sift_error err;
	struct sift_rng rng;

	sift_model_init(m);
	m->spec.bits = 8;
	m->spec.char_min = is_mlp ? 0 : 2;
	m->spec.char_max = is_mlp ? 0 : 4;
	m->kind = is_mlp ? SIFT_MODEL_MLP : SIFT_MODEL_LINEAR;
	m->hidden = is_mlp ? 4 : 0;
	m->label = strdup("label");
	if (!m->label || sift_feat_spec_add(&m->spec, 't', "text", &err) ||
	    sift_feat_spec_add(&m->spec, 'n', "x", &err) ||
	    sift_feat_spec_add(&m->spec, 'c', "c", &err))
		abort();
	m->spec.mean[0] = 2.5;
	m->spec.sd[0] = 0.5;
	for (size_t k = 0; k < (is_mlp ? 3u : 2u); k++)
		if (sift_model_add_class(m, classes[k], &err))
			abort();
	m->has_threshold = !is_mlp;
	m->threshold = 0.5;
	m->positive = 1;
	if (sift_model_alloc(m, &err))
		abort();
	sift_rng_seed(&rng, 3);
	for (size_t i = 0; i < m->n_w; i++)
		m->w[i] = (float)(sift_rng_uniform(&rng) - 0.5);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	make_model(&linear, 0);
	make_model(&mlp, 1);
	return 0;
}

/* The scored output out read back beside the input in: each record as
 * it was, then its delimiter and the appended fields; as many records. */
static void check_output(const char *in, const char *out,
			 const struct sift_csv_opts *csv, size_t appended)
{
	struct sift_error err;
	struct sift_reader *a = sift_reader_open(in, csv, 0, &err);
	struct sift_reader *b = sift_reader_open(out, csv, 0, &err);
	const struct sift_record *ra, *rb;

	if (!a || !b || sift_reader_ncols(b) != sift_reader_ncols(a) + appended)
		abort();
	for (;;) {
		if (sift_reader_next(a, &ra, &err) ||
		    sift_reader_next(b, &rb, &err))
			abort();
		if (!ra || !rb)
			break;
		if (rb->len <= ra->len || memcmp(rb->raw, ra->raw, ra->len) ||
		    rb->raw[ra->len] != csv->delim)
			abort();
	}
	if (ra || rb)
		abort();
	sift_reader_close(a);
	sift_reader_close(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned mode = size ? data[0] : 0;
	const struct sift_model *m = mode & 1 ? &mlp : &linear;
	char in[128], out[128];
	struct sift_predict_opts o;
	struct sift_csv_opts csv;
	struct sift_error err;
	struct sift_reader *r;
	struct sift_writer *w, *svm = NULL;
	int rc;

	snprintf(in, sizeof in, "%s",
		 fuzz_write("predict.csv", data + (size > 0),
			    size ? size - 1 : 0));
	snprintf(out, sizeof out, "%s/scored.csv", fuzz_tmpdir());
	sift_csv_opts_init(&csv);
	if (mode & 16) {
		csv.delim = '\t';
		csv.quoting = SIFT_QUOTING_NONE;
	}
	sift_predict_opts_init(&o);
	o.proba = !(mode & 2);
	if (mode & 4)
		o.threshold = 0.25;
	if (!(r = sift_reader_open(in, &csv, 0, &err)))
		return 0;
	if (!(w = sift_writer_open(out, &err)) ||
	    (mode & 8 && !(svm = sift_writer_open("/dev/null", &err))))
		abort();
	o.svm = svm;
	rc = sift_predict_run(r, w, m, &o, &err);
	sift_reader_close(r);
	if (sift_writer_close(svm, &err))
		abort();
	if (rc) {
		sift_writer_discard(w);
		return 0;
	}
	if (sift_writer_close(w, &err))
		abort();
	check_output(in, out, &csv, 1 + (o.proba ? m->n_classes : 0));
	return 0;
}
