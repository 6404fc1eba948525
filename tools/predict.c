/*
 * tools/predict.c - `sift predict`: score records with a model, streaming;
 * each record comes out byte-exact with pred and p_<class> appended.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sift.h"
#include "sift/model.h"
#include "sift/predict.h"
#include "sift/writer.h"

static const char usage[] =
	"usage: sift predict -m MODEL [--threshold T] [--proba | --no-proba] "
	"[--raw-proba]\n"
	"                    [-o FILE] [FILE]\n";

static const char help[] =
	"Score CSV records (plain or gzip, or stdin) with a model of sift "
	"train.\n"
	"\n"
	"  -m, --model MODEL  the model file (sift-model(5))\n"
	"      --threshold T  binary models: predict the positive class when\n"
	"                     its probability is >= T (default: the model's)\n"
	"      --proba        append p_<class> columns (default)\n"
	"      --no-proba     append only pred\n"
	"      --raw-proba    the p_ columns before the model's calibration\n"
	"                     (sift train --calibrate); pred is the same\n"
	"  -o, --output FILE  write to FILE, atomically; .gz compresses\n"
	"  -q, --quiet        no progress line on stderr\n"
	"      --export-svm FILE  also write each record's hashed features\n"
	"                     to FILE in the LIBSVM format\n" TOOL_CSV_OPTIONS
	"  -h, --help         this help\n";

enum { OPT_THRESHOLD = 256, OPT_PROBA, OPT_NOPROBA, OPT_RAW, OPT_EXPORT };

static const struct option longopts[] = {
	{ "model", required_argument, NULL, 'm' },
	{ "threshold", required_argument, NULL, OPT_THRESHOLD },
	{ "proba", no_argument, NULL, OPT_PROBA },
	{ "no-proba", no_argument, NULL, OPT_NOPROBA },
	{ "raw-proba", no_argument, NULL, OPT_RAW },
	{ "output", required_argument, NULL, 'o' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "export-svm", required_argument, NULL, OPT_EXPORT },
	TOOL_CSV_LONGOPTS,
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct args {
	struct tool_common common;
	const char *model, *input, *export_svm;
	struct sift_predict_opts po; /* threshold, proba */
};

static int parse_option(int c, void *ctx)
{
	struct args *a = ctx;

	switch (c) {
	case 'm':
		a->model = optarg;
		return 0;
	case OPT_THRESHOLD:
		if (tool_double(usage, "--threshold", optarg, &a->po.threshold))
			return 2;
		if (a->po.threshold < 0 || a->po.threshold > 1)
			return tool_usage_error(usage,
						"--threshold: %s is not in "
						"[0, 1]",
						optarg);
		return 0;
	case OPT_PROBA:
		a->po.proba = 1;
		return 0;
	case OPT_NOPROBA:
		a->po.proba = 0;
		return 0;
	case OPT_RAW:
		a->po.raw = 1;
		return 0;
	case OPT_EXPORT:
		a->export_svm = optarg;
		return 0;
	default:
		return tool_common_option(&a->common, usage, c, optarg);
	}
}

static int parse_args(int argc, char **argv, struct args *a)
{
	int rc;

	memset(a, 0, sizeof *a);
	tool_common_init(&a->common);
	sift_predict_opts_init(&a->po);
	rc = tool_getopt(argc, argv, ":m:o:qd:h", longopts, usage, help,
			 parse_option, a);
	if (!rc)
		rc = tool_one_input(argc, argv, usage, &a->input);
	if (rc)
		return rc;
	if (!a->model)
		return tool_usage_error(usage, "-m MODEL is required");
	return 0;
}

int cmd_predict(int argc, char **argv)
{
	struct sift_error err = { 0, "" };
	struct sift_model m;
	struct sift_reader *r = NULL;
	struct sift_writer *w = NULL, *svm = NULL;
	struct sift_predict_opts po;
	struct args a;
	int rc = parse_args(argc, argv, &a);

	if (rc)
		return rc < 0 ? 0 : rc;
	if (sift_model_load(a.model, &m, &err))
		return tool_fail(&err);
	rc = tool_open(&a.common, a.input, 0, &r, &w, &err);
	if (!rc && a.export_svm &&
	    !(svm = sift_writer_open(a.export_svm, &err)))
		rc = err.code;
	if (!rc) {
		po = a.po;
		po.svm = svm;
		rc = sift_predict_run(r, w, &m, &po, &err);
	}
	rc = tool_close_output(svm, rc, &err);
	rc = tool_close_output(w, rc, &err);
	sift_reader_close(r);
	sift_model_free(&m);
	return rc ? tool_fail(&err) : 0;
}
