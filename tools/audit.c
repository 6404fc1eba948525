/*
 * tools/audit.c - `sift audit`: annotator agreement, annotator quality,
 * consensus labels and review lists over long-form annotations (CSV or
 * the SQLite store). The audit is lib/audit.c and its outputs
 * lib/audit_format.c; this file reads the options, loads the
 * annotations, and prints what goes to stderr.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sift.h"
#include "sift/annotations.h"
#include "sift/audit.h"
#include "sift/audit_format.h"
#include "sift/parse.h"
#include "sift/writer.h"

static const char usage[] =
	"usage: sift audit [--item COL] [--annotator COL] [--label COL] "
	"[--gold FILE]\n"
	"                  [--format text|csv|json] [--level LEVEL] "
	"[--min-overlap N]\n"
	"                  [--consensus majority|dawid-skene | --review N "
	"[--margin M]]\n"
	"                  [--seed N] [-o FILE] [FILE | --db DB [--import "
	"CSV]]\n";

static const char help[] =
	"Audit annotations in long form (item,annotator,label): how much the\n"
	"annotators agree, how good each one is, consensus labels, and which\n"
	"labels to look at again.\n"
	"\n"
	"      --item COL        the item column (default item)\n"
	"      --annotator COL   the annotator column (default annotator)\n"
	"      --label COL       the label column (default label)\n"
	"      --db DB           read the annotations from an SQLite store\n"
	"      --import CSV      with --db: append CSV to the store (creating\n"
	"                        it), in one transaction, and stop\n"
	"      --busy-timeout MS wait this long for a locked store (5000)\n"
	"      --gold FILE       item,label of items whose true label is "
	"known\n"
	"      --format F        text (default), csv or json\n"
	"      --level L         nominal (default), ordinal, interval or "
	"ratio\n"
	"                        for Krippendorff's alpha; a number in (0,1)\n"
	"                        is the confidence level (default 0.95)\n"
	"      --min-overlap N   items two annotators must share to be "
	"judged (20)\n"
	"      --consensus M     write item,label,confidence instead: "
	"majority\n"
	"                        or dawid-skene\n"
	"      --review N        write the N items most worth a second look\n"
	"                        and a re-check sample of every annotator\n"
	"      --margin M        the re-check's margin of error (0.05)\n"
	"      --seed N          seed of the re-check draw (default: random)\n"
	"  -o, --output FILE     write to FILE, atomically\n"
	"  -q, --quiet           no progress line on stderr\n"
	"  -v, --verbose         report counts and the seed on "
	"stderr\n" TOOL_CSV_OPTIONS "  -h, --help            this help\n"
	"\n"
	"sift help audit: every statistic, flag and output field.\n";

enum {
	OPT_ITEM = 256,
	OPT_ANNOTATOR,
	OPT_LABEL,
	OPT_DB,
	OPT_IMPORT,
	OPT_BUSY,
	OPT_GOLD,
	OPT_FORMAT,
	OPT_LEVEL,
	OPT_OVERLAP,
	OPT_CONSENSUS,
	OPT_REVIEW,
	OPT_MARGIN,
};

static const struct option longopts[] = {
	{ "item", required_argument, NULL, OPT_ITEM },
	{ "annotator", required_argument, NULL, OPT_ANNOTATOR },
	{ "label", required_argument, NULL, OPT_LABEL },
	{ "db", required_argument, NULL, OPT_DB },
	{ "import", required_argument, NULL, OPT_IMPORT },
	{ "busy-timeout", required_argument, NULL, OPT_BUSY },
	{ "gold", required_argument, NULL, OPT_GOLD },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "level", required_argument, NULL, OPT_LEVEL },
	{ "min-overlap", required_argument, NULL, OPT_OVERLAP },
	{ "consensus", required_argument, NULL, OPT_CONSENSUS },
	{ "review", required_argument, NULL, OPT_REVIEW },
	{ "margin", required_argument, NULL, OPT_MARGIN },
	{ "seed", required_argument, NULL, TOOL_OPT_SEED },
	TOOL_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 },
};

struct args {
	struct tool_common common;
	struct sift_annotation_cols cols;
	struct sift_audit_opts audit;
	const char *input, *db, *import, *gold;
	enum sift_audit_format format;
	double margin;
	uint64_t review, busy_ms;
	int have_review;
};

static int parse_format(struct args *a, const char *s)
{
	static const char *const formats[] = { "text", "csv", "json" };
	int f = sift_audit_format_parse(s);
	char near[128];

	if (f < 0)
		return tool_usage_error(
			usage,
			"--format: '%s' is none of text, csv, "
			"json%s",
			s, tool_did_you_mean(s, formats, 3, near, sizeof near));
	a->format = (enum sift_audit_format)f;
	return 0;
}

/* --level is the level of measurement (a word) or the confidence level
 * (a number), as the two uses of it ask. */
static int parse_level(struct args *a, const char *s)
{
	int l = sift_agree_level_parse(s);
	const char *levels[4];
	char near[128];
	double x;

	if (l >= 0) {
		a->audit.level = (enum sift_agree_level)l;
		return 0;
	}
	if (sift_parse_double(s, strlen(s), &x) == 0 && x > 0 && x < 1) {
		a->audit.confidence = x;
		return 0;
	}
	for (int k = 0; k < 4; k++)
		levels[k] = sift_agree_level_name((enum sift_agree_level)k);
	return tool_usage_error(
		usage,
		"--level: '%s' is neither nominal, ordinal, "
		"interval, ratio nor a confidence level in "
		"(0, 1)%s",
		s, tool_did_you_mean(s, levels, 4, near, sizeof near));
}

static int parse_consensus(struct args *a, const char *s)
{
	static const char *const words[] = { "majority", "dawid-skene" };
	char near[128];

	if (strcmp(s, "majority") == 0)
		a->audit.consensus = SIFT_AUDIT_MAJORITY;
	else if (strcmp(s, "dawid-skene") == 0)
		a->audit.consensus = SIFT_AUDIT_DAWID_SKENE;
	else
		return tool_usage_error(
			usage,
			"--consensus: '%s' is neither majority "
			"nor dawid-skene%s",
			s, tool_did_you_mean(s, words, 2, near, sizeof near));
	return 0;
}

static int parse_margin(struct args *a, const char *s)
{
	if (tool_double(usage, "--margin", s, &a->margin))
		return 2;
	if (!(a->margin > 0 && a->margin < 1))
		return tool_usage_error(usage, "--margin: %s is not in (0, 1)",
					s);
	return 0;
}

static int parse_option(int c, void *ctx)
{
	struct args *a = ctx;
	switch (c) {
	case OPT_ITEM:
		a->cols.item = optarg;
		return 0;
	case OPT_ANNOTATOR:
		a->cols.annotator = optarg;
		return 0;
	case OPT_LABEL:
		a->cols.label = optarg;
		return 0;
	case OPT_DB:
		a->db = optarg;
		return 0;
	case OPT_IMPORT:
		a->import = optarg;
		return 0;
	case OPT_BUSY:
		return tool_u64(usage, "--busy-timeout", optarg, &a->busy_ms);
	case OPT_GOLD:
		a->gold = optarg;
		return 0;
	case OPT_FORMAT:
		return parse_format(a, optarg);
	case OPT_LEVEL:
		return parse_level(a, optarg);
	case OPT_OVERLAP:
		return tool_u64(usage, "--min-overlap", optarg,
				&a->audit.min_overlap);
	case OPT_CONSENSUS:
		return parse_consensus(a, optarg);
	case OPT_REVIEW:
		a->have_review = 1;
		return tool_u64(usage, "--review", optarg, &a->review);
	case OPT_MARGIN:
		return parse_margin(a, optarg);
	default:
		return tool_common_option(&a->common, usage, c, optarg);
	}
}

static int check_args(int argc, char **argv, struct args *a)
{
	int rc = tool_one_input(argc, argv, usage, &a->input);

	if (rc)
		return rc;
	if (a->import && !a->db)
		return tool_usage_error(usage, "--import needs --db");
	if (a->db && optind < argc)
		return tool_usage_error(usage,
					"--db and an input file: give one");
	if (a->audit.consensus != SIFT_AUDIT_REPORT && a->have_review)
		return tool_usage_error(usage,
					"--consensus and --review: give one");
	if (a->busy_ms > 3600000)
		return tool_usage_error(usage,
					"--busy-timeout: at most 3600000 ms");
	tool_seed(&a->common);
	a->audit.gold_item = a->cols.item;
	a->audit.gold_label = a->cols.label;
	return 0;
}

static int parse_args(int argc, char **argv, struct args *a)
{
	int rc;

	memset(a, 0, sizeof *a);
	tool_common_init(&a->common);
	a->cols.item = "item";
	a->cols.annotator = "annotator";
	a->cols.label = "label";
	sift_audit_opts_init(&a->audit);
	a->margin = 0.05;
	a->busy_ms = 5000;
	rc = tool_getopt(argc, argv, ":o:qvd:h", longopts, usage, help,
			 parse_option, a);
	if (rc)
		return rc;
	return check_args(argc, argv, a);
}

/* ---- running it ---- */

/* The annotations of the input file or the store, finished. An input
 * with a header only is named in the message, as the store is. */
static int load(const struct args *a, struct sift_annotations *set,
		struct sift_error *err)
{
	int rc;

	if (a->db) {
		struct sift_store *st;

		rc = sift_store_open(a->db, 0, (int)a->busy_ms, &st, err);
		if (rc)
			return rc;
		rc = sift_store_load(st, set, err);
		sift_store_close(st, 0);
	} else {
		struct sift_reader *r =
			sift_reader_open(a->input, &a->common.csv, 0, err);

		if (!r)
			return err->code;
		tool_progress(r, a->common.quiet, a->common.output);
		rc = sift_annotations_read(set, r, &a->cols, NULL, err);
		sift_reader_close(r);
	}
	if (!rc)
		rc = sift_annotations_finish(set, err);
	if (rc == SIFT_EDATA && strcmp(err->msg, "no annotations") == 0)
		sift_error_set(err, SIFT_EDATA, "%s: no annotations",
			       a->db                   ? a->db
			       : strcmp(a->input, "-") ? a->input
						       : "stdin");
	return rc;
}

/* Load, warn about duplicates, read the gold file, compute. The
 * warnings come in the order the steps run, before any error. */
static int run(const struct args *a, struct sift_annotations *set,
	       struct sift_audit *au, struct sift_error *err)
{
	struct sift_reader *gold = NULL;
	/* The output is written once the input is read: a wrong -o fails
	 * now. */
	int rc = sift_writer_check(a->common.output, err);

	if (!rc)
		rc = load(a, set, err);
	if (rc)
		return rc;
	if (set->n_duplicates)
		tool_warn("%zu duplicate annotations (an annotator labelled "
			  "the same item again): the later ones count",
			  set->n_duplicates);
	if (a->gold &&
	    !(gold = sift_reader_open(a->gold, &a->common.csv, 0, err)))
		return err->code;
	rc = sift_audit_run(au, set, gold, &a->audit, err);
	sift_reader_close(gold);
	if (au->have_ds && a->common.verbose)
		tool_warn("Dawid-Skene: %u iterations, %s, log-likelihood %g",
			  au->fit.iterations,
			  au->fit.converged ? "converged" : "not converged",
			  au->fit.loglik);
	return rc;
}

static int write_review(const struct args *a, const struct sift_audit *au,
			struct sift_writer *w, struct sift_error *err)
{
	struct sift_audit_review rv;
	int rc = sift_audit_review(au, a->review, a->margin, a->common.seed,
				   &rv, err);

	if (!rc)
		rc = sift_audit_write_review(w, a->format, au, &rv, err);
	sift_audit_review_free(&rv);
	return rc;
}

static int write_output(const struct args *a, const struct sift_audit *au,
			struct sift_error *err)
{
	struct sift_writer *w = sift_writer_open(a->common.output, err);
	int rc;

	if (!w)
		return err->code;
	if (a->audit.consensus != SIFT_AUDIT_REPORT)
		rc = sift_audit_write_consensus(w, au, err);
	else if (a->have_review)
		rc = write_review(a, au, w, err);
	else
		rc = sift_audit_write_report(w, a->format, au, err);
	return tool_close_output(w, rc, err);
}

static int import(const struct args *a, struct sift_error *err)
{
	struct sift_store *st;
	struct sift_reader *r;
	uint64_t n = 0;
	int rc;

	r = sift_reader_open(a->import, &a->common.csv, 0, err);
	if (!r)
		return err->code;
	tool_progress(r, a->common.quiet, ""); /* into the store, not stdout */
	rc = sift_store_open(a->db, 1, (int)a->busy_ms, &st, err);
	if (!rc) {
		rc = sift_store_import(st, r, &a->cols, &n, err);
		sift_store_close(st, rc != 0);
	}
	sift_reader_close(r);
	if (!rc && a->common.verbose)
		tool_warn("%s: imported %llu annotations", a->db,
			  (unsigned long long)n);
	return rc;
}

int cmd_audit(int argc, char **argv)
{
	struct sift_error err = { 0, "" };
	struct sift_annotations set;
	struct sift_audit au;
	struct args a;
	int rc = parse_args(argc, argv, &a);

	if (rc)
		return rc < 0 ? 0 : rc;
	if (a.import)
		return (rc = import(&a, &err)) ? tool_fail(&err) : 0;
	if (sift_annotations_init(&set, &err))
		return tool_fail(&err);
	memset(&au, 0, sizeof au);
	rc = run(&a, &set, &au, &err);
	if (!rc)
		rc = write_output(&a, &au, &err);
	sift_audit_free(&au);
	sift_annotations_free(&set);
	return tool_run_status(usage, rc, &err);
}
