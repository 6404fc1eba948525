/*
 * fuzz_metrics: `sift metrics` on fuzzed scored records. The input is a
 * CSV read by sift_metrics_read with fixed column names (gold, pred,
 * score, w, by, and the probabilities p_<class>), computed by
 * sift_metrics_compute for the whole input and each slice, written in
 * every format of sift/metrics_format.h and as an SVG plot to /dev/null,
 * with the ROC and precision-recall curves. The first byte picks the
 * options, as sift metrics' flags would:
 *
 *   bit 0   --pred pred, else --proba-prefix p_
 *   bit 1   --score score (with --pred only: they exclude each other)
 *   bit 2   --weight w
 *   bit 3   --by by
 *   bit 4   --ci 0.9 --bootstrap 16
 *   bit 5   --positive: the class first met
 *   bit 6   costs: FN=10,FP=1, or with bit 7 a matrix over the classes
 *   bit 7   --beta 2
 */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz.h"
#include "sift/curves.h"
#include "sift/intern.h"
#include "sift/metrics.h"
#include "sift/metrics_format.h"
#include "sift/metrics_read.h"
#include "sift/svg.h"
#include "sift/writer.h"

/* The options of the first byte, for n classes. */
static void options(unsigned mode, size_t n, const char **names, double *cost,
		    struct sift_metrics_opts *o)
{
	sift_metrics_opts_init(o);
	o->n_classes = n;
	o->names = names;
	o->seed = 7;
	if (mode & 16) {
		o->ci = 0.9;
		o->n_boot = 16;
	}
	if (mode & 32 && n > 0) {
		o->have_positive = 1;
		o->positive = 0;
	}
	if (mode & 64 && mode & 128) {
		for (size_t g = 0; g < n; g++)
			for (size_t p = 0; p < n; p++)
				cost[g * n + p] = g == p ? 0 : (double)(g + 1);
		o->cost = cost;
	} else if (mode & 64) {
		o->binary_cost = 1;
		o->cost_fn = 10;
		o->cost_fp = 1;
	}
	if (mode & 128)
		o->beta = 2;
}

/* The report of m and its curves, in every format. */
static void report(struct sift_writer *w, struct sift_metrics *m,
		   struct sift_metrics_opts *o, const char *slice, int scored)
{
	static const enum sift_metrics_format formats[] = { SIFT_METRICS_TEXT,
							    SIFT_METRICS_CSV,
							    SIFT_METRICS_JSON };
	struct sift_metrics_report rep;
	struct sift_curve roc = { 0 }, pr = { 0 };
	struct sift_error err;

	if (!sift_metrics_compute(m, o, &rep, &err)) {
		for (size_t f = 0; f < 3; f++)
			(void)sift_metrics_write(w, formats[f], &rep, slice, 1,
						 &err);
		if (scored &&
		    !sift_metrics_curve(m, &rep, SIFT_CURVE_ROC, &roc, &err))
			(void)sift_metrics_write_curve(w, &roc, SIFT_CURVE_ROC,
						       slice, 1, &err);
		if (scored &&
		    !sift_metrics_curve(m, &rep, SIFT_CURVE_PR, &pr, &err))
			(void)sift_metrics_write_curve(w, &pr, SIFT_CURVE_PR,
						       slice, 0, &err);
		if (scored && !slice) {
			struct sift_reliability_bin bins[15];

			if (rep.bins <= 15 &&
			    !sift_metrics_reliability(
				    m, &rep, SIFT_BINS_UNIFORM, bins, &err))
				(void)sift_svg_metrics(w, "fuzz", &rep, &roc,
						       &pr, bins, &err);
		} else if (!slice) {
			(void)sift_svg_metrics(w, "fuzz", &rep, NULL, NULL,
					       NULL, &err);
		}
		/* Every slice is judged on the whole's positive class. */
		if (!slice) {
			o->have_positive = 1;
			o->positive = rep.positive;
		}
	}
	sift_curve_free(&roc);
	sift_curve_free(&pr);
	sift_metrics_report_free(&rep);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned mode = size ? data[0] : 0;
	const char *path = fuzz_write("metrics.csv", data + (size > 0),
				      size ? size - 1 : 0);
	struct sift_metrics_columns cols = {
		.gold = "gold",
		.pred = mode & 1 ? "pred" : NULL,
		.proba_prefix = mode & 1 ? NULL : "p_",
		.score = (mode & 3) == 3 ? "score" : NULL,
		.weight = mode & 4 ? "w" : NULL,
		.by = mode & 8 ? "by" : NULL,
	};
	int scored = cols.score || cols.proba_prefix;
	struct sift_metrics_input in = { 0 };
	struct sift_metrics_opts o;
	struct sift_error err;
	struct sift_reader *r = sift_reader_open(path, NULL, 0, &err);
	struct sift_writer *w;
	const char **names;
	double *cost;
	size_t n;

	if (!r)
		return 0;
	if (sift_metrics_read(r, &cols, &in, &err)) {
		sift_metrics_input_free(&in);
		sift_reader_close(r);
		return 0;
	}
	n = sift_intern_count(in.classes);
	names = calloc(n ? n : 1, sizeof *names);
	cost = calloc(n ? n * n : 1, sizeof *cost);
	if (!names || !cost || !(w = sift_writer_open("/dev/null", &err)))
		abort();
	for (size_t k = 0; k < n; k++)
		names[k] = sift_intern_str(in.classes, k, NULL);
	options(mode, n, names, cost, &o);
	for (size_t f = 0; f < 3; f++)
		(void)sift_metrics_write_begin(w, (enum sift_metrics_format)f,
					       &err);
	report(w, in.all, &o, NULL, scored);
	for (size_t s = 0; s < in.n_slices; s++)
		report(w, in.slice[s], &o, sift_intern_str(in.slices, s, NULL),
		       scored);
	for (size_t f = 0; f < 3; f++)
		(void)sift_metrics_write_end(w, (enum sift_metrics_format)f,
					     &err);
	if (sift_writer_close(w, &err))
		abort(); /* /dev/null takes anything */
	free(cost);
	free(names);
	sift_metrics_input_free(&in);
	sift_reader_close(r);
	return 0;
}
