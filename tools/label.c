/*
 * tools/label.c - `sift label`: options in; lib/rules.c parses the rules,
 * lib/label.c applies and combines them.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "sift.h"
#include "sift/label.h"
#include "sift/rules.h"

static const char usage[] =
	"usage: sift label -r RULES [-c COMBINER] [--confidence] [--votes] "
	"[--keep K]\n"
	"                  [--long [--id COL]] [--analyze [--gold COL]] "
	"[-o FILE] [FILE]\n";

static const char help[] =
	"Apply labeling rules (sift-rules(5)) to every record of a CSV file\n"
	"and append the combined label.\n"
	"\n"
	"  -r, --rules FILE   the rules file (required)\n"
	"  -c, --combine C    majority (default), first, weighted, model\n"
	"      --tie T        majority, weighted: a tie abstains (default) or\n"
	"                     goes to the earliest rule's label (first)\n"
	"      --out-col NAME the label column's name (default label)\n"
	"      --confidence   append the winner's probability (confidence)\n"
	"      --votes        append each rule's vote (vote_RULE columns)\n"
	"      --keep K       all (default) or labeled: drop abstained "
	"records\n"
	"      --long         write item,annotator,label, one line per vote\n"
	"                     (the input of sift audit)\n"
	"      --id COL       --long: the item column (default: record "
	"number)\n"
	"      --analyze      write the rule-analysis table instead of data\n"
	"      --gold COL     --analyze: the gold label column (accuracy)\n"
	"      --strict       a regex hitting its match limit is an error\n"
	"      --max-iter N   model: EM iterations at most (default 500)\n"
	"      --tol X        model: EM convergence tolerance (default 1e-7)\n"
	"  -o, --output FILE  write to FILE, atomically; .gz compresses\n"
	"  -q, --quiet        no progress line on stderr\n"
	"  -v, --verbose      report counts on stderr\n" TOOL_CSV_OPTIONS
	"  -h, --help         this help\n"
	"\n"
	"sift help label: the combiners and the analysis; man 5 sift-rules.\n";

enum {
	OPT_TIE = 256,
	OPT_OUTCOL,
	OPT_CONF,
	OPT_VOTES,
	OPT_KEEP,
	OPT_LONG,
	OPT_ID,
	OPT_ANALYZE,
	OPT_GOLD,
	OPT_STRICT,
	OPT_MAXITER,
	OPT_TOL,
};

static const struct option longopts[] = {
	{ "rules", required_argument, NULL, 'r' },
	{ "combine", required_argument, NULL, 'c' },
	{ "tie", required_argument, NULL, OPT_TIE },
	{ "out-col", required_argument, NULL, OPT_OUTCOL },
	{ "confidence", no_argument, NULL, OPT_CONF },
	{ "votes", no_argument, NULL, OPT_VOTES },
	{ "keep", required_argument, NULL, OPT_KEEP },
	{ "long", no_argument, NULL, OPT_LONG },
	{ "id", required_argument, NULL, OPT_ID },
	{ "analyze", no_argument, NULL, OPT_ANALYZE },
	{ "gold", required_argument, NULL, OPT_GOLD },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "max-iter", required_argument, NULL, OPT_MAXITER },
	{ "tol", required_argument, NULL, OPT_TOL },
	TOOL_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 },
};

struct args {
	struct tool_common common;
	struct sift_label_opts lo;
	const char *rules, *input;
	int long_out, analyze;
};

static int choice(const char *opt, const char *arg, const char *a,
		  const char *b, int *out)
{
	const char *words[] = { a, b };
	char near[128];

	if (strcmp(arg, a) == 0 || strcmp(arg, b) == 0) {
		*out = strcmp(arg, b) == 0;
		return 0;
	}
	return tool_usage_error(
		usage, "%s: '%s' is neither %s nor %s%s", opt, arg, a, b,
		tool_did_you_mean(arg, words, 2, near, sizeof near));
}

/* -c names no combiner: the combiners, and the nearest. */
static int no_combiner(const char *name)
{
	const char *names[SIFT_COMBINE_MODEL + 1];
	char near[128];

	for (int k = 0; k <= SIFT_COMBINE_MODEL; k++)
		names[k] = sift_combine_name((enum sift_combine)k);
	return tool_usage_error(usage,
				"-c: no combiner '%s' (majority, first, "
				"weighted, model)%s",
				name,
				tool_did_you_mean(name, names,
						  SIFT_COMBINE_MODEL + 1, near,
						  sizeof near));
}

static int parse_option(int c, void *ctx)
{
	struct args *a = ctx;
	struct sift_label_opts *o = &a->lo;
	uint64_t n;
	int k;

	switch (c) {
	case 'r':
		a->rules = optarg;
		return 0;
	case 'c':
		k = sift_combine_parse(optarg);
		if (k < 0)
			return no_combiner(optarg);
		o->combine = (enum sift_combine)k;
		return 0;
	case OPT_TIE:
		return choice("--tie", optarg, "abstain", "first",
			      &o->tie_first);
	case OPT_OUTCOL:
		if (!*optarg)
			return tool_usage_error(usage, "--out-col: the column "
						       "needs a name");
		o->out_col = optarg;
		return 0;
	case OPT_CONF:
		o->confidence = 1;
		return 0;
	case OPT_VOTES:
		o->votes = 1;
		return 0;
	case OPT_KEEP:
		return choice("--keep", optarg, "all", "labeled",
			      &o->keep_labeled);
	case OPT_LONG:
		a->long_out = 1;
		return 0;
	case OPT_ID:
		o->id_col = optarg;
		return 0;
	case OPT_ANALYZE:
		a->analyze = 1;
		return 0;
	case OPT_GOLD:
		o->gold_col = optarg;
		return 0;
	case OPT_STRICT:
		o->strict = 1;
		return 0;
	case OPT_MAXITER:
		if (tool_u64(usage, "--max-iter", optarg, &n))
			return 2;
		if (n < 1 || n > 1000000)
			return tool_usage_error(usage, "--max-iter: N must be "
						       "1..1000000");
		o->ds.max_iter = (unsigned)n;
		return 0;
	case OPT_TOL:
		if (tool_double(usage, "--tol", optarg, &o->ds.tol))
			return 2;
		return o->ds.tol >= 0 ? 0
				      : tool_usage_error(
						usage, "--tol: X must be >= 0");
	default:
		return tool_common_option(&a->common, usage, c, optarg);
	}
}

/* Options that only make sense in some modes. */
static int check_modes(struct args *a)
{
	struct sift_label_opts *o = &a->lo;
	const char *data_only = o->votes          ? "--votes"
				: o->confidence   ? "--confidence"
				: o->keep_labeled ? "--keep labeled"
						  : NULL;

	if (!a->rules)
		return tool_usage_error(usage, "say which rules: -r RULES");
	if (a->long_out && a->analyze)
		return tool_usage_error(usage, "--long and --analyze do not go "
					       "together");
	if ((a->long_out || a->analyze) && data_only)
		return tool_usage_error(usage, "%s does not go with %s",
					data_only,
					a->long_out ? "--long" : "--analyze");
	if (o->gold_col && !a->analyze)
		return tool_usage_error(usage, "--gold needs --analyze");
	if (o->id_col && !a->long_out)
		return tool_usage_error(usage, "--id needs --long");
	o->mode = a->long_out  ? SIFT_LABEL_LONG
		  : a->analyze ? SIFT_LABEL_ANALYZE
			       : SIFT_LABEL_DATA;
	return 0;
}

static int parse_args(int argc, char **argv, struct args *a)
{
	int rc;

	memset(a, 0, sizeof *a);
	sift_label_opts_init(&a->lo);
	tool_common_init(&a->common);
	rc = tool_getopt(argc, argv, ":r:c:o:qvd:h", longopts, usage, help,
			 parse_option, a);
	if (rc)
		return rc;
	rc = tool_one_input(argc, argv, usage, &a->input);
	if (rc)
		return rc;
	return check_modes(a);
}

static void report(const struct args *a, const struct sift_rules *rs,
		   const struct sift_label_stats *st)
{
	for (size_t i = 0; i < sift_rules_count(rs); i++)
		if (sift_rules_limit_hits(rs, i))
			tool_warn("%s:%u: rule '%s' hit the PCRE2 match limit "
				  "on %llu records and abstained on them",
				  sift_rules_path(rs), sift_rules_line(rs, i),
				  sift_rules_name(rs, i),
				  (unsigned long long)sift_rules_limit_hits(rs,
									    i));
	tool_notes("", st->note);
	if (a->lo.keep_labeled)
		tool_warn("kept %llu of %llu records (%llu abstained)",
			  (unsigned long long)st->n_out,
			  (unsigned long long)st->n_in,
			  (unsigned long long)st->n_abstained);
	if (!a->common.verbose)
		return;
	tool_warn("%llu records, %llu labeled, %llu abstained",
		  (unsigned long long)st->n_in,
		  (unsigned long long)(st->n_in - st->n_abstained),
		  (unsigned long long)st->n_abstained);
	if (st->n_patterns)
		tool_warn("%llu distinct vote patterns",
			  (unsigned long long)st->n_patterns);
	if (st->em_iterations)
		tool_warn("label model: %u EM iterations, %s",
			  st->em_iterations,
			  st->em_converged ? "converged" : "not converged");
}

static int run(struct args *a, struct sift_error *err)
{
	struct sift_label_stats st = { 0 };
	struct sift_rules *rs = sift_rules_load(a->rules, err);
	struct sift_reader *r = NULL;
	struct sift_writer *w = NULL;
	int rc;

	if (!rs)
		return err->code;
	if (tool_open(&a->common, a->input,
		      sift_label_needs_rewind(&a->lo) ? SIFT_READER_REWIND : 0,
		      &r, &w, err)) {
		sift_rules_free(rs);
		return err->code;
	}
	rc = sift_label_run(r, w, rs, &a->lo, &st, err);
	rc = tool_close_output(w, rc, err);
	if (!rc)
		report(a, rs, &st);
	sift_reader_close(r);
	sift_rules_free(rs);
	return rc;
}

int cmd_label(int argc, char **argv)
{
	struct sift_error err = { 0, "" };
	struct args a;
	int rc = parse_args(argc, argv, &a);

	if (rc)
		return rc < 0 ? 0 : rc;
	rc = run(&a, &err);
	return rc ? tool_fail(&err) : 0;
}
