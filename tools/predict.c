/*
 * tools/predict.c - `sift predict`: score records with a model, streaming;
 * each record comes out byte-exact with pred and p_<class> appended.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sift.h"
#include "sift/features.h"
#include "sift/model.h"
#include "sift/writer.h"

static const char usage[] =
	"usage: sift predict -m MODEL [--threshold T] [--proba | --no-proba] "
	"[-o FILE] [FILE]\n";

static const char help[] =
	"Score CSV records (plain or gzip, or stdin) with a model of sift "
	"train.\n"
	"\n"
	"  -m, --model MODEL  the model file (sift-model(5))\n"
	"      --threshold T  binary models: predict the positive class when\n"
	"                     its probability is >= T (default: the model's)\n"
	"      --proba        append p_<class> columns (default)\n"
	"      --no-proba     append only pred\n"
	"  -o, --output FILE  write to FILE, atomically; .gz compresses\n"
	"  -q, --quiet        no progress line on stderr\n"
	"      --export-svm FILE  also write each record's hashed features\n"
	"                     to FILE in the LIBSVM format\n" TOOL_CSV_OPTIONS
	"  -h, --help         this help\n";

enum { OPT_THRESHOLD = 256, OPT_PROBA, OPT_NOPROBA, OPT_EXPORT };

static const struct option longopts[] = {
	{ "model", required_argument, NULL, 'm' },
	{ "threshold", required_argument, NULL, OPT_THRESHOLD },
	{ "proba", no_argument, NULL, OPT_PROBA },
	{ "no-proba", no_argument, NULL, OPT_NOPROBA },
	{ "output", required_argument, NULL, 'o' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "export-svm", required_argument, NULL, OPT_EXPORT },
	TOOL_CSV_LONGOPTS,
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct args {
	struct sift_csv_opts csv;
	const char *model, *output, *input, *export_svm;
	double threshold; /* -1: the model's */
	int proba;
	int quiet;
};

static int parse_args(int argc, char **argv, struct args *a)
{
	int c;

	memset(a, 0, sizeof *a);
	sift_csv_opts_init(&a->csv);
	a->threshold = -1;
	a->proba = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":m:o:qd:h", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'h':
			fputs(usage, stdout);
			fputs(help, stdout);
			return -1;
		case 'm':
			a->model = optarg;
			break;
		case OPT_THRESHOLD:
			if (tool_double(usage, "--threshold", optarg,
					&a->threshold))
				return 2;
			if (a->threshold < 0 || a->threshold > 1)
				return tool_usage_error(usage,
							"--threshold: %s is "
							"not in [0, 1]",
							optarg);
			break;
		case OPT_PROBA:
			a->proba = 1;
			break;
		case OPT_NOPROBA:
			a->proba = 0;
			break;
		case 'o':
			a->output = optarg;
			break;
		case 'q':
			a->quiet = 1;
			break;
		case OPT_EXPORT:
			a->export_svm = optarg;
			break;
		case 'd':
		case TOOL_OPT_TSV:
		case TOOL_OPT_NO_QUOTE:
		case TOOL_OPT_NO_HEADER:
			if (tool_csv_option(usage, c, optarg, &a->csv))
				return 2;
			break;
		default:
			return tool_bad_option(usage, c, optopt, optind, argv,
					       longopts);
		}
	}
	if (argc - optind > 1)
		return tool_usage_error(usage, "one input at most (got %d)",
					argc - optind);
	a->input = optind < argc ? argv[optind] : "-";
	if (!a->model)
		return tool_usage_error(usage, "-m MODEL is required");
	return 0;
}

static int write_header(struct sift_writer *w, struct sift_reader *r,
			const struct sift_model *m, const struct args *a,
			struct sift_error *err)
{
	const struct sift_record *h = sift_reader_header(r);
	char d = sift_reader_delim(r);
	int rc;

	if (!h)
		return 0;
	if ((rc = sift_writer_write(w, h->raw, h->len, err)) ||
	    (rc = sift_writer_field(w, d, "pred", 4, err)))
		return rc;
	for (size_t c = 0; a->proba && c < m->n_classes; c++) {
		char name[512];
		int n = snprintf(name, sizeof name, "p_%s", m->classes[c]);

		if ((rc = sift_writer_field(w, d, name,
					    (size_t)n < sizeof name
						    ? (size_t)n
						    : sizeof name - 1,
					    err)))
			return rc;
	}
	return sift_writer_puts(w, *h->eol ? h->eol : "\n", err);
}

/* The class id of the record's label, for --export-svm: -1 when the
 * input has no label column, or the label is not one of the model's. */
static long label_id(struct sift_reader *r, size_t col,
		     const struct sift_model *m)
{
	const char *f;
	size_t len;
	struct sift_error e;

	if (col == (size_t)-1 || sift_reader_field(r, col, &f, &len, &e))
		return -1;
	for (size_t c = 0; c < m->n_classes; c++)
		if (strlen(m->classes[c]) == len &&
		    memcmp(m->classes[c], f, len) == 0)
			return (long)c;
	return -1;
}

static int score(struct sift_reader *r, struct sift_writer *w,
		 struct sift_writer *svm, const struct sift_model *m,
		 const struct args *a, struct sift_error *err)
{
	struct sift_svm_buf sb = { 0 };
	size_t label_col = (size_t)-1;
	struct sift_feat_vec v;
	const struct sift_record *rec;
	size_t *cols = NULL;
	double *p = malloc(m->n_classes * sizeof *p);
	double *scratch = calloc(sift_model_scratch(m) + 1, sizeof *scratch);
	char d = sift_reader_delim(r);
	int rc;

	sift_feat_vec_init(&v);
	if (!p || !scratch) {
		rc = sift_error_nomem(err);
		goto out;
	}
	if ((rc = sift_features_bind(&m->spec, r, &cols, err)) ||
	    (rc = write_header(w, r, m, a, err)))
		goto out;
	if (svm && m->label) {
		struct sift_error e;

		if (sift_reader_column(r, m->label, &label_col, &e))
			label_col = (size_t)-1;
	}
	while (!(rc = sift_reader_next(r, &rec, err)) && rec) {
		uint32_t pred;
		const char *name;

		if ((rc = sift_features_extract(&m->spec, r, rec->line, cols, 0,
						&v, NULL, err)))
			break;
		if (svm && (rc = sift_features_write_svm(
				    svm, label_id(r, label_col, m), v.idx,
				    v.val, v.n, &sb, err)))
			break;
		sift_model_proba(m, v.idx, v.val, v.n, scratch, p);
		pred = sift_model_decide(m, p, a->threshold);
		name = m->classes[pred];
		if ((rc = sift_writer_write(w, rec->raw, rec->len, err)) ||
		    (rc = sift_writer_field(w, d, name, strlen(name), err)))
			break;
		for (size_t c = 0; a->proba && c < m->n_classes && !rc; c++)
			rc = sift_writer_double(w, d, p[c], err);
		if (rc || (rc = sift_writer_puts(w, *rec->eol ? rec->eol : "\n",
						 err)))
			break;
	}
out:
	sift_features_svm_free(&sb);
	sift_feat_vec_free(&v);
	free(cols);
	free(p);
	free(scratch);
	return rc;
}

int cmd_predict(int argc, char **argv)
{
	struct sift_error err = { 0, "" };
	struct sift_model m;
	struct sift_reader *r = NULL;
	struct sift_writer *w = NULL, *svm = NULL;
	struct args a;
	int rc = parse_args(argc, argv, &a);

	if (rc)
		return rc < 0 ? 0 : rc;
	if ((rc = sift_model_load(a.model, &m, &err)))
		return tool_fail(&err);
	if (!(r = sift_reader_open(a.input, &a.csv, 0, &err)) ||
	    !(w = sift_writer_open(a.output, &err)) ||
	    (a.export_svm && !(svm = sift_writer_open(a.export_svm, &err)))) {
		rc = err.code;
		goto out;
	}
	tool_progress(r, a.quiet, a.output);
	/* pred and p_ columns appended in the input's dialect */
	sift_writer_set_quoting(w, sift_reader_quoting(r));
	rc = score(r, w, svm, &m, &a, &err);
	if (!rc && svm)
		rc = sift_writer_close(svm, &err);
	else if (svm)
		sift_writer_discard(svm);
	svm = NULL;
	if (rc)
		sift_writer_discard(w);
	else
		rc = sift_writer_close(w, &err);
	w = NULL;
out:
	if (svm)
		sift_writer_discard(svm);
	if (w)
		sift_writer_discard(w);
	sift_reader_close(r);
	sift_model_free(&m);
	return rc ? tool_fail(&err) : 0;
}
