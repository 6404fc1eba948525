/*
 * tools/rebalance.c - `sift rebalance`: options in, lib/rebalance.c does
 * the rest.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "sift.h"
#include "sift/rebalance.h"

static const char usage[] =
	"usage: sift rebalance --by COL [-m under|over|smote|weights]\n"
	"                      [--ratio A:B | --target L=N,... | --to WHICH]\n"
	"                      [--report] [--dry-run] [--seed N] [-o FILE] "
	"[FILE]\n";

static const char help[] =
	"Rebalance the classes of a CSV file (plain or gzip, or stdin).\n"
	"\n"
	"      --by COL       the class column (required)\n"
	"  -m, --method M     under (default): drop records of larger classes\n"
	"                     over: repeat records of smaller classes\n"
	"                     smote: synthesize records of smaller classes\n"
	"                     weights: append a class weight column\n"
	"      --ratio A:B    minority A to majority B (A <= B)\n"
	"      --target L=N,...   exactly N records of class L\n"
	"      --to WHICH     majority, minority or mean: every class to that\n"
	"                     count (default: under minority, over and smote\n"
	"                     majority, weights balanced N/(K N_c))\n"
	"      --class-weight L=W,...  weights: the weight of class L\n"
	"      --emit-weight NAME  weights: the column's name (default "
	"weight)\n"
	"      --features COLS     smote: the numeric feature columns\n"
	"  -k, --neighbours K smote: nearest neighbours (default 5)\n"
	"      --mark-col NAME     smote: marker column, 1 for synthetic rows\n"
	"                     (default synthetic)\n"
	"      --report       print the class counts before and after on "
	"stderr\n"
	"      --dry-run      print only the report; write nothing\n"
	"      --seed N       seed (default: drawn at random)\n"
	"  -o, --output FILE  write to FILE, atomically; .gz compresses\n"
	"  -q, --quiet        no progress line on stderr\n"
	"  -v, --verbose      report the seed on stderr\n" TOOL_CSV_OPTIONS
	"  -h, --help         this help\n"
	"\n"
	"sift help rebalance: the methods, the targets, examples.\n";

enum {
	OPT_BY = 256,
	OPT_RATIO,
	OPT_TARGET,
	OPT_TO,
	OPT_CLASS_WEIGHT,
	OPT_EMIT,
	OPT_FEATURES,
	OPT_MARK,
	OPT_REPORT,
	OPT_DRY,
};

static const struct option longopts[] = {
	{ "by", required_argument, NULL, OPT_BY },
	{ "method", required_argument, NULL, 'm' },
	{ "ratio", required_argument, NULL, OPT_RATIO },
	{ "target", required_argument, NULL, OPT_TARGET },
	{ "to", required_argument, NULL, OPT_TO },
	{ "class-weight", required_argument, NULL, OPT_CLASS_WEIGHT },
	{ "emit-weight", required_argument, NULL, OPT_EMIT },
	{ "features", required_argument, NULL, OPT_FEATURES },
	{ "neighbours", required_argument, NULL, 'k' },
	{ "neighbors", required_argument, NULL, 'k' },
	{ "mark-col", required_argument, NULL, OPT_MARK },
	{ "report", no_argument, NULL, OPT_REPORT },
	{ "dry-run", no_argument, NULL, OPT_DRY },
	{ "seed", required_argument, NULL, TOOL_OPT_SEED },
	TOOL_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 },
};

struct args {
	struct tool_common common;
	struct sift_rebalance_opts ro;
	const char *input;
	int have_emit;
	int have_mark;
	int have_k;
	int report;
};

/* --ratio, --target, --to and --class-weight each set the goal: one of
 * them, given once or again. */
static int set_goal(struct sift_rebalance_opts *o, enum sift_rebalance_goal g)
{
	if (o->goal != SIFT_GOAL_DEFAULT && o->goal != g)
		return tool_usage_error(usage, "give one of --ratio, --target, "
					       "--to and --class-weight");
	o->goal = g;
	return 0;
}

static int parse_to(const char *s, enum sift_rebalance_to *to)
{
	static const char *const words[] = { "majority", "minority", "mean" };
	char near[128];

	if (strcmp(s, "majority") == 0)
		*to = SIFT_TO_MAJORITY;
	else if (strcmp(s, "minority") == 0)
		*to = SIFT_TO_MINORITY;
	else if (strcmp(s, "mean") == 0)
		*to = SIFT_TO_MEAN;
	else
		return tool_usage_error(
			usage,
			"--to: '%s' is not majority, minority "
			"or mean%s",
			s, tool_did_you_mean(s, words, 3, near, sizeof near));
	return 0;
}

/* -m names no method: the methods, and the nearest. */
static int no_method(const char *name)
{
	const char *names[SIFT_REBALANCE_WEIGHTS + 1];
	char near[128];

	for (int m = 0; m <= SIFT_REBALANCE_WEIGHTS; m++)
		names[m] = sift_rebalance_method_name(
			(enum sift_rebalance_method)m);
	return tool_usage_error(usage,
				"-m: no method '%s' (under, over, smote, "
				"weights)%s",
				name,
				tool_did_you_mean(name, names,
						  SIFT_REBALANCE_WEIGHTS + 1,
						  near, sizeof near));
}

static int parse_option(int c, void *ctx)
{
	struct args *a = ctx;
	struct sift_rebalance_opts *o = &a->ro;
	struct sift_error err;
	int m, rc;

	switch (c) {
	case OPT_BY:
		o->by = optarg;
		return 0;
	case 'm':
		m = sift_rebalance_method_parse(optarg);
		if (m < 0)
			return no_method(optarg);
		o->method = (enum sift_rebalance_method)m;
		return 0;
	case OPT_RATIO:
		if ((rc = set_goal(o, SIFT_GOAL_RATIO)) == 0 &&
		    sift_rebalance_ratio_parse(optarg, &o->ratio.minor,
					       &o->ratio.major, &err))
			rc = tool_usage_error(usage, "%s", err.msg);
		return rc;
	case OPT_TARGET:
		if ((rc = set_goal(o, SIFT_GOAL_TARGET)) == 0)
			o->target = optarg;
		return rc;
	case OPT_TO:
		if ((rc = set_goal(o, SIFT_GOAL_TO)) == 0)
			rc = parse_to(optarg, &o->to);
		return rc;
	case OPT_CLASS_WEIGHT:
		if ((rc = set_goal(o, SIFT_GOAL_CLASS_WEIGHT)) == 0)
			o->class_weight = optarg;
		return rc;
	case OPT_EMIT:
		a->have_emit = 1;
		o->emit_weight = optarg;
		return 0;
	case OPT_FEATURES:
		o->features = optarg;
		return 0;
	case 'k':
		a->have_k = 1;
		return tool_u64(usage, "-k", optarg, &o->k);
	case OPT_MARK:
		a->have_mark = 1;
		o->mark_col = optarg;
		return 0;
	case OPT_REPORT:
		a->report = 1;
		return 0;
	case OPT_DRY:
		o->dry_run = 1;
		return 0;
	default:
		return tool_common_option(&a->common, usage, c, optarg);
	}
}

/* Options that belong to one method only. */
static int check_method_options(const struct args *a)
{
	enum sift_rebalance_method m = a->ro.method;
	const char *name = sift_rebalance_method_name(m);

	if (a->have_emit && m != SIFT_REBALANCE_WEIGHTS)
		return tool_usage_error(usage,
					"--emit-weight applies to -m weights "
					"only");
	if ((a->have_k || a->have_mark) && m != SIFT_REBALANCE_SMOTE)
		return tool_usage_error(usage,
					"%s applies to -m smote only "
					"(not -m %s)",
					a->have_k ? "-k" : "--mark-col", name);
	return 0;
}

static int parse_args(int argc, char **argv, struct args *a)
{
	int rc;

	memset(a, 0, sizeof *a);
	sift_rebalance_opts_init(&a->ro);
	tool_common_init(&a->common);
	rc = tool_getopt(argc, argv, ":m:k:o:qvd:h", longopts, usage, help,
			 parse_option, a);
	if (rc)
		return rc;
	rc = tool_one_input(argc, argv, usage, &a->input);
	if (rc)
		return rc;
	rc = check_method_options(a);
	if (rc)
		return rc;
	a->ro.seed = tool_seed(&a->common);
	return 0;
}

/* --report: each class's count before and after (weights: its weight). */
static void report(const struct sift_reader *r,
		   const struct sift_rebalance_opts *o,
		   const struct sift_rebalance_stats *st)
{
	char num[32];

	for (size_t i = 0; i < st->n_classes; i++) {
		const struct sift_class_count *cc = &st->classes[i];

		if (o->method == SIFT_REBALANCE_WEIGHTS) {
			sift_format_double(num, sizeof num, cc->weight);
			tool_warn("class '%s': %llu records, weight %s",
				  cc->name, (unsigned long long)cc->before,
				  num);
		} else {
			tool_warn("class '%s': %llu -> %llu", cc->name,
				  (unsigned long long)cc->before,
				  (unsigned long long)cc->after);
		}
	}
	tool_warn("%s: %llu records -> %llu", sift_reader_name(r),
		  (unsigned long long)st->n_in, (unsigned long long)st->n_out);
}

static int run(struct args *a, struct sift_error *err)
{
	struct sift_rebalance_stats stats = { 0 };
	struct sift_reader *r = NULL;
	struct sift_writer *w = NULL;
	int rc = sift_rebalance_check(&a->ro, err);

	if (rc)
		return rc;
	if (tool_open(&a->common, a->input, SIFT_READER_REWIND, &r,
		      a->ro.dry_run ? NULL : &w, err))
		return err->code;
	rc = sift_rebalance_run(r, w, &a->ro, &stats, err);
	rc = tool_close_output(w, rc, err);
	if (!rc)
		tool_notes("", stats.note);
	if (!rc && (a->report || a->ro.dry_run))
		report(r, &a->ro, &stats);
	sift_rebalance_stats_free(&stats);
	sift_reader_close(r);
	return rc;
}

int cmd_rebalance(int argc, char **argv)
{
	struct sift_error err = { 0, "" };
	struct args a;
	int rc = parse_args(argc, argv, &a);

	if (rc)
		return rc < 0 ? 0 : rc;
	if (a.common.verbose)
		tool_warn("method %s, seed %llu",
			  sift_rebalance_method_name(a.ro.method),
			  (unsigned long long)a.ro.seed);
	rc = run(&a, &err);
	return tool_run_status(usage, rc, &err);
}
