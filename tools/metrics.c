/*
 * tools/metrics.c - `sift metrics`: read gold labels, predictions and
 * scores from CSV, hand them to lib/metrics.c, print the report.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sift.h"
#include "sift/cost.h"
#include "sift/intern.h"
#include "sift/metrics.h"
#include "sift/metrics_format.h"
#include "sift/metrics_read.h"
#include "sift/parse.h"
#include "sift/svg.h"
#include "sift/writer.h"

static const char usage[] =
	"usage: sift metrics --gold COL (--pred COL | --proba-prefix P) "
	"[--score COL]\n"
	"                    [--positive LABEL] [--weight COL] [--by COL] "
	"[--ci LEVEL]\n"
	"                    [--bins N] [--format F] "
	"[--curve pr|roc|reliability]\n"
	"                    [--plot FILE.svg] [-o FILE] [FILE]\n";

static const char help[] =
	"Evaluate a classifier: gold labels against predictions (and "
	"scores).\n"
	"\n"
	"  -g, --gold COL         the gold label column\n"
	"  -p, --pred COL         the predicted label column (default with\n"
	"                         --proba-prefix: the most probable class)\n"
	"  -s, --score COL        probability of the positive class (binary)\n"
	"      --proba-prefix P   one probability column per class, P<label>\n"
	"      --positive LABEL   the positive class (default: the rarer gold "
	"class)\n"
	"  -w, --weight COL       per-record weights (design weights)\n"
	"      --beta B           F-beta instead of F1\n"
	"      --cost SPEC        FN=10,FP=1 or gold:pred=C,... (others cost "
	"0)\n"
	"      --ci LEVEL         bootstrap confidence intervals (e.g. 0.95)\n"
	"      --bootstrap N      resamples for --ci (default 1000)\n"
	"      --seed N           seed of the bootstrap (default: random)\n"
	"      --bins N           calibration bins of ECE and MCE (default "
	"15)\n"
	"      --by COL           a report per value of COL, after the "
	"overall one\n"
	"  -f, --format F         text (default), csv or json\n"
	"      --curve KIND       write the pr or roc curve's points, or the\n"
	"                         reliability bins, as CSV\n"
	"      --plot FILE.svg    draw the curves, the reliability diagram "
	"and\n"
	"                         the confusion matrix\n"
	"  -o, --output FILE      write to FILE, atomically\n"
	"  -q, --quiet            no progress line on stderr\n"
	"  -v, --verbose          report the seed and the counts on "
	"stderr\n" TOOL_CSV_OPTIONS "  -h, --help             this help\n"
	"\n"
	"sift help metrics: the definition of every figure, the formats.\n";

enum {
	OPT_PROBA = 256,
	OPT_POSITIVE,
	OPT_BETA,
	OPT_COST,
	OPT_CI,
	OPT_BOOT,
	OPT_BY,
	OPT_CURVE,
	OPT_PLOT,
	OPT_BINS,
};

/* --curve reliability, beside enum sift_curve_kind. */
#define CURVE_RELIABILITY 2

static const struct option longopts[] = {
	{ "gold", required_argument, NULL, 'g' },
	{ "pred", required_argument, NULL, 'p' },
	{ "score", required_argument, NULL, 's' },
	{ "proba-prefix", required_argument, NULL, OPT_PROBA },
	{ "positive", required_argument, NULL, OPT_POSITIVE },
	{ "weight", required_argument, NULL, 'w' },
	{ "beta", required_argument, NULL, OPT_BETA },
	{ "cost", required_argument, NULL, OPT_COST },
	{ "ci", required_argument, NULL, OPT_CI },
	{ "bootstrap", required_argument, NULL, OPT_BOOT },
	{ "seed", required_argument, NULL, TOOL_OPT_SEED },
	{ "by", required_argument, NULL, OPT_BY },
	{ "format", required_argument, NULL, 'f' },
	{ "curve", required_argument, NULL, OPT_CURVE },
	{ "plot", required_argument, NULL, OPT_PLOT },
	{ "bins", required_argument, NULL, OPT_BINS },
	TOOL_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 },
};

struct args {
	struct tool_common common;
	struct sift_metrics_opts mo;
	const char *gold, *pred, *score, *proba, *positive, *weight, *by;
	const char *cost, *plot, *input;
	struct sift_cost_spec cost_spec; /* --cost, parsed */
	int format, curve;
	int bins_given; /* --bins */
};

/* The tables of one run. */
struct run {
	struct args *a;
	struct sift_reader *r;
	struct sift_metrics_input in; /* the whole and each slice */
	double *cost;
	const char **names;
};

/* ---- options ---------------------------------------------------------- */

/* --cost is parsed at once; its classes are found once known. */
static int parse_cost(struct args *a, const char *spec)
{
	struct sift_error err = { 0, "" };

	a->cost = spec;
	sift_cost_free(&a->cost_spec); /* a --cost given again */
	return sift_cost_parse(spec, &a->cost_spec, &err)
		       ? tool_usage_error(usage, "%s", err.msg)
		       : 0;
}

static int parse_choice(int c, struct args *a)
{
	static const char *const formats[] = { "text", "csv", "json" };
	static const char *const curves[] = { "pr", "roc", "reliability" };
	uint64_t bins;
	char near[128];

	switch (c) {
	case 'f':
		a->format = sift_metrics_format_parse(optarg);
		return a->format >= 0
			       ? 0
			       : tool_usage_error(
					 usage,
					 "--format: '%s' is not text, "
					 "csv or json%s",
					 optarg,
					 tool_did_you_mean(optarg, formats, 3,
							   near, sizeof near));
	case OPT_CURVE:
		a->curve = strcmp(optarg, "roc") == 0  ? SIFT_CURVE_ROC
			   : strcmp(optarg, "pr") == 0 ? SIFT_CURVE_PR
			   : strcmp(optarg, "reliability") == 0
				   ? CURVE_RELIABILITY
				   : -2;
		return a->curve != -2
			       ? 0
			       : tool_usage_error(
					 usage,
					 "--curve: '%s' is not pr, roc "
					 "or reliability%s",
					 optarg,
					 tool_did_you_mean(optarg, curves, 3,
							   near, sizeof near));
	case OPT_BINS:
		if (tool_u64(usage, "--bins", optarg, &bins))
			return 2;
		a->mo.bins = (size_t)bins;
		a->bins_given = 1;
		return bins >= 1 && bins <= SIFT_METRICS_MAX_BINS
			       ? 0
			       : tool_usage_error(usage,
						  "--bins: N must be from 1 "
						  "to %d, not %s",
						  SIFT_METRICS_MAX_BINS,
						  optarg);
	case OPT_CI:
		if (tool_double(usage, "--ci", optarg, &a->mo.ci))
			return 2;
		return a->mo.ci > 0 && a->mo.ci < 1
			       ? 0
			       : tool_usage_error(usage,
						  "--ci: the level must be "
						  "between 0 and 1, not %s",
						  optarg);
	case OPT_BETA:
		if (tool_double(usage, "--beta", optarg, &a->mo.beta))
			return 2;
		return a->mo.beta > 0
			       ? 0
			       : tool_usage_error(usage, "--beta: B must be "
							 "> 0");
	case OPT_BOOT:
		if (tool_u64(usage, "--bootstrap", optarg, &a->mo.n_boot))
			return 2;
		return a->mo.n_boot > 0 && a->mo.n_boot <= 1000000
			       ? 0
			       : tool_usage_error(usage,
						  "--bootstrap: N must be "
						  "from 1 to 1000000");
	case OPT_COST:
		return parse_cost(a, optarg);
	default:
		return TOOL_NOT_MINE;
	}
}

static int parse_option(int c, void *ctx)
{
	struct args *a = ctx;
	int rc = parse_choice(c, a);

	if (rc != TOOL_NOT_MINE)
		return rc;
	switch (c) {
	case 'g':
		a->gold = optarg;
		return 0;
	case 'p':
		a->pred = optarg;
		return 0;
	case 's':
		a->score = optarg;
		return 0;
	case OPT_PROBA:
		a->proba = optarg;
		return 0;
	case OPT_POSITIVE:
		a->positive = optarg;
		return 0;
	case 'w':
		a->weight = optarg;
		return 0;
	case OPT_BY:
		a->by = optarg;
		return 0;
	case OPT_PLOT:
		a->plot = optarg;
		return 0;
	default:
		return tool_common_option(&a->common, usage, c, optarg);
	}
}

static int check_args(struct args *a)
{
	if (!a->gold)
		return tool_usage_error(usage, "--gold COL is required");
	if (!a->pred && !a->proba)
		return tool_usage_error(usage, "--pred COL is required (or "
					       "--proba-prefix P)");
	if (a->score && a->proba)
		return tool_usage_error(usage, "--score and --proba-prefix "
					       "exclude each other");
	if (a->proba && !*a->proba)
		return tool_usage_error(usage, "--proba-prefix: the prefix "
					       "is empty");
	if (a->curve >= 0 && !a->score && !a->proba)
		return tool_usage_error(usage, "--curve needs scores: "
					       "--score COL or --proba-prefix "
					       "P");
	if (a->bins_given && !a->score && !a->proba)
		return tool_usage_error(usage, "--bins needs scores: --score "
					       "COL or --proba-prefix P");
	if (a->curve >= 0 && a->format != SIFT_METRICS_TEXT)
		return tool_usage_error(usage, "--curve writes CSV points "
					       "instead of the report: drop "
					       "--format");
	return 0;
}

static int parse_args(int argc, char **argv, struct args *a)
{
	int rc;

	memset(a, 0, sizeof *a);
	tool_common_init(&a->common);
	sift_metrics_opts_init(&a->mo);
	a->curve = -1;
	rc = tool_getopt(argc, argv, ":g:p:s:w:f:o:qvd:h", longopts, usage,
			 help, parse_option, a);
	if (rc)
		return rc;
	rc = tool_one_input(argc, argv, usage, &a->input);
	if (rc)
		return rc;
	if ((rc = check_args(a)))
		return rc;
	a->mo.seed = tool_seed(&a->common);
	return 0;
}

/* --by with one value over the whole input: one slice, whose report is
 * the overall one again. */
static void warn_one_slice(const struct run *u)
{
	if (u->a->by && sift_intern_count(u->in.slices) == 1)
		tool_warn("--by %s: all %llu records have the value '%.40s': "
			  "a single slice, whose report repeats the overall "
			  "one",
			  u->a->by,
			  (unsigned long long)sift_metrics_count(u->in.all),
			  sift_intern_str(u->in.slices, 0, NULL));
}

/* ---- the report ------------------------------------------------------- */

static int find_class(struct run *u, const char *name, const char *opt,
		      size_t *id, struct sift_error *err)
{
	size_t n = sift_intern_count(u->in.classes), len = 0;
	char list[512] = "";

	if (sift_intern_find(u->in.classes, name, strlen(name), id))
		return 0;
	for (size_t k = 0; k < n && len + 4 < sizeof list; k++)
		len += (size_t)snprintf(list + len, sizeof list - len, "%s'%s'",
					k ? ", " : "", u->names[k]);
	return sift_error_set(err, SIFT_EUSAGE,
			      "%s: no class '%s' in the input (classes: %s)",
			      opt, name, list);
}

/* --cost, now that the classes are known. */
static int resolve_cost(struct run *u, struct sift_error *err)
{
	struct sift_metrics_opts *o = &u->a->mo;
	const struct sift_cost_spec *spec = &u->a->cost_spec;
	double *outcome[] = { &o->cost_tp, &o->cost_fp, &o->cost_fn,
			      &o->cost_tn }; /* by enum sift_cost_key */
	size_t k = o->n_classes;
	int rc = 0;

	if (spec->cells && !(u->cost = calloc(k * k, sizeof *u->cost)))
		return sift_error_nomem(err);
	for (size_t i = 0; !rc && i < spec->n; i++) {
		const struct sift_cost_entry *e = &spec->entry[i];
		size_t g, p;

		if (e->key != SIFT_COST_CELL) {
			*outcome[e->key] = e->cost;
			continue;
		}
		rc = find_class(u, e->gold, "--cost", &g, err);
		if (!rc)
			rc = find_class(u, e->pred, "--cost", &p, err);
		if (!rc)
			u->cost[g * k + p] = e->cost;
	}
	o->binary_cost = !spec->cells;
	o->cost = spec->cells ? u->cost : NULL;
	return rc;
}

static int setup_opts(struct run *u, struct sift_error *err)
{
	struct sift_metrics_opts *o = &u->a->mo;
	size_t n = sift_intern_count(u->in.classes);
	int rc = 0;

	u->names = calloc(n ? n : 1, sizeof *u->names);
	if (!u->names)
		return sift_error_nomem(err);
	for (size_t k = 0; k < n; k++)
		u->names[k] = sift_intern_str(u->in.classes, k, NULL);
	o->n_classes = n;
	o->names = u->names;
	if (u->a->positive) {
		o->have_positive = 1;
		rc = find_class(u, u->a->positive, "--positive", &o->positive,
				err);
	}
	if (!rc && u->a->cost)
		rc = resolve_cost(u, err);
	return rc;
}

static int write_plot(struct run *u, struct sift_metrics *m,
		      const struct sift_metrics_report *rep,
		      struct sift_error *err)
{
	struct sift_curve roc = { 0 }, pr = { 0 };
	struct sift_reliability_bin *bins = NULL;
	int scored = u->a->score || u->a->proba, rc = 0;
	struct sift_writer *w;

	if (scored)
		rc = sift_metrics_curve(m, rep, SIFT_CURVE_ROC, &roc, err);
	if (!rc && scored)
		rc = sift_metrics_curve(m, rep, SIFT_CURVE_PR, &pr, err);
	if (!rc && scored) {
		bins = calloc(rep->bins, sizeof *bins);
		rc = bins ? sift_metrics_reliability(m, rep, SIFT_BINS_UNIFORM,
						     bins, err)
			  : sift_error_nomem(err);
	}
	w = rc ? NULL : sift_writer_open(u->a->plot, err);
	if (w) {
		rc = sift_svg_metrics(w, sift_reader_name(u->r), rep,
				      scored ? &roc : NULL, scored ? &pr : NULL,
				      bins, err);
		rc = tool_close_output(w, rc, err);
	} else if (!rc) {
		rc = err->code;
	}
	free(bins);
	sift_curve_free(&roc);
	sift_curve_free(&pr);
	return rc;
}

/* The reliability bins of rep, as CSV. */
static int write_bins(struct run *u, struct sift_writer *w,
		      struct sift_metrics *m,
		      const struct sift_metrics_report *rep, const char *slice,
		      int first, struct sift_error *err)
{
	struct sift_reliability_bin *bins = calloc(rep->bins, sizeof *bins);
	int rc = bins ? 0 : sift_error_nomem(err);

	if (!rc)
		rc = sift_metrics_reliability(m, rep, SIFT_BINS_UNIFORM, bins,
					      err);
	if (!rc)
		rc = sift_metrics_write_reliability(
			w, bins, rep->bins,
			u->a->by ? (slice ? slice : "") : NULL, first, err);
	free(bins);
	return rc;
}

/* One report (or curve) for m, which is the whole input when slice is
 * NULL. */
static int report_one(struct run *u, struct sift_writer *w,
		      struct sift_metrics *m, const char *slice, int first,
		      struct sift_error *err)
{
	struct sift_metrics_report rep;
	struct sift_curve curve = { 0 };
	int rc = sift_metrics_compute(m, &u->a->mo, &rep, err);

	if (!rc && u->a->curve == CURVE_RELIABILITY) {
		rc = write_bins(u, w, m, &rep, slice, first, err);
	} else if (!rc && u->a->curve >= 0) {
		rc = sift_metrics_curve(m, &rep,
					(enum sift_curve_kind)u->a->curve,
					&curve, err);
		if (!rc)
			rc = sift_metrics_write_curve(
				w, &curve, (enum sift_curve_kind)u->a->curve,
				u->a->by ? (slice ? slice : "") : NULL, first,
				err);
		sift_curve_free(&curve);
	} else if (!rc) {
		rc = sift_metrics_write(w,
					(enum sift_metrics_format)u->a->format,
					&rep, slice, first, err);
	}
	if (!rc && !slice && u->a->plot)
		rc = write_plot(u, m, &rep, err);
	/* Every slice is judged on the same positive class as the whole. */
	if (!rc && !slice) {
		u->a->mo.have_positive = 1;
		u->a->mo.positive = rep.positive;
	}
	sift_metrics_report_free(&rep);
	return rc;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int report_slices(struct run *u, struct sift_writer *w,
			 struct sift_error *err)
{
	size_t n = sift_intern_count(u->in.slices);
	const char **sorted = malloc((n ? n : 1) * sizeof *sorted);
	int rc = sorted ? 0 : sift_error_nomem(err);

	for (size_t i = 0; !rc && i < n; i++)
		sorted[i] = sift_intern_str(u->in.slices, i, NULL);
	if (!rc)
		qsort(sorted, n, sizeof *sorted, cmp_name);
	for (size_t i = 0; !rc && i < n; i++) {
		size_t id;

		sift_intern_find(u->in.slices, sorted[i], strlen(sorted[i]),
				 &id);
		/* No figure is defined on a weight of 0; the others stand. */
		if (!(sift_metrics_total_weight(u->in.slice[id]) > 0)) {
			uint64_t k = sift_metrics_count(u->in.slice[id]);

			tool_warn("--by %s: slice '%.40s': %s %llu record%s "
				  "%s 0: no report for it",
				  u->a->by, sorted[i],
				  k == 1 ? "the weight of its"
					 : "the weights of its",
				  (unsigned long long)k, k == 1 ? "" : "s",
				  k == 1 ? "is" : "are all");
			continue;
		}
		rc = report_one(u, w, u->in.slice[id], sorted[i], 0, err);
	}
	free(sorted);
	return rc;
}

static int report(struct run *u, struct sift_error *err)
{
	enum sift_metrics_format fmt = (enum sift_metrics_format)u->a->format;
	struct sift_writer *w = sift_writer_open(u->a->common.output, err);
	int rc;

	if (!w)
		return err->code;
	rc = u->a->curve >= 0 ? 0 : sift_metrics_write_begin(w, fmt, err);
	if (!rc)
		rc = report_one(u, w, u->in.all, NULL, 1, err);
	if (!rc && u->a->by)
		rc = report_slices(u, w, err);
	if (!rc && u->a->curve < 0)
		rc = sift_metrics_write_end(w, fmt, err);
	return tool_close_output(w, rc, err);
}

static void run_free(struct run *u)
{
	sift_metrics_input_free(&u->in);
	sift_reader_close(u->r);
	free(u->cost);
	free(u->names);
}

static int run(struct args *a, struct sift_error *err)
{
	const struct sift_metrics_columns cols = {
		.gold = a->gold,
		.pred = a->pred,
		.proba_prefix = a->proba,
		.score = a->score,
		.weight = a->weight,
		.by = a->by,
	};
	struct run u = { 0 };
	int rc = 0;

	u.a = a;
	/* The outputs are written once the input is read: wrong names fail
	 * now. */
	if ((rc = sift_writer_check(a->common.output, err)) ||
	    (rc = sift_writer_check(a->plot, err)))
		return rc;
	if (!(u.r = sift_reader_open(a->input, &a->common.csv, 0, err)))
		rc = err->code;
	if (!rc)
		tool_progress(u.r, a->common.quiet, a->common.output);
	if (!rc)
		rc = sift_metrics_read(u.r, &cols, &u.in, err);
	if (!rc)
		rc = setup_opts(&u, err);
	if (!rc)
		warn_one_slice(&u);
	if (!rc && a->common.verbose)
		tool_warn("%s: %llu records, %zu classes, %zu slices, seed "
			  "%llu",
			  sift_reader_name(u.r),
			  (unsigned long long)sift_metrics_count(u.in.all),
			  sift_intern_count(u.in.classes),
			  sift_intern_count(u.in.slices),
			  (unsigned long long)a->mo.seed);
	if (!rc)
		rc = report(&u, err);
	run_free(&u);
	return rc;
}

int cmd_metrics(int argc, char **argv)
{
	struct sift_error err = { 0, "" };
	struct args a;
	int rc = parse_args(argc, argv, &a);

	if (rc) {
		sift_cost_free(&a.cost_spec);
		return rc < 0 ? 0 : rc;
	}
	rc = run(&a, &err);
	sift_cost_free(&a.cost_spec);
	return tool_run_status(usage, rc, &err);
}
