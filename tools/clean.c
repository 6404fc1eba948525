/*
 * tools/clean.c - `sift clean`: the likely mislabeled records, by
 * confident learning; options in, lib/clean_run.c does the rest, the
 * report is printed here.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "sift.h"
#include "sift/clean.h"
#include "sift/writer.h"

static const char usage[] =
	"usage: sift clean [-l COL] [--proba-prefix P] [--filter F] "
	"[--rank R]\n"
	"                  [--sort quality|input | --all | --drop] "
	"[--report] [-o FILE] [FILE]\n";

static const char help[] =
	"Find the records whose label is likely wrong (confident learning), "
	"from\nout-of-sample class probabilities: a CSV file (plain or gzip, "
	"or stdin)\nwith a label column and a p_<label> column per class, as "
	"sift predict\nwrites them.\n"
	"\n"
	"  -l, --label COL    the given label's column (default label); "
	"empty: not\n"
	"                     judged\n"
	"      --proba-prefix P   the probability columns' prefix (default "
	"p_)\n"
	"      --filter F     which records are issues: prune_by_noise_rate "
	"(default),\n"
	"                     prune_by_class, both, confident_learning, or\n"
	"                     predicted_neq_given (the argmax baseline)\n"
	"      --rank R       label_quality: self_confidence (default) or\n"
	"                     normalized_margin\n"
	"      --sort S       the issues by quality (default: lowest first) "
	"or in\n"
	"                     input order\n"
	"      --all          write every record, with is_issue 0 or 1\n"
	"      --drop         write the records that are not issues, "
	"unchanged\n"
	"      --report       print the confident joint and the noise "
	"estimates on\n"
	"                     stderr\n"
	"  -o, --output FILE  write to FILE, atomically; .gz compresses\n"
	"  -q, --quiet        no progress line on stderr\n"
	"  -v, --verbose      the same as --report\n" TOOL_CSV_OPTIONS
	"  -h, --help         this help\n"
	"\n"
	"sift help clean: the method, the filters, the report, examples.\n";

enum {
	OPT_PREFIX = 256,
	OPT_FILTER,
	OPT_RANK,
	OPT_SORT,
	OPT_ALL,
	OPT_DROP,
	OPT_REPORT,
};

static const struct option longopts[] = {
	{ "label", required_argument, NULL, 'l' },
	{ "proba-prefix", required_argument, NULL, OPT_PREFIX },
	{ "filter", required_argument, NULL, OPT_FILTER },
	{ "rank", required_argument, NULL, OPT_RANK },
	{ "sort", required_argument, NULL, OPT_SORT },
	{ "all", no_argument, NULL, OPT_ALL },
	{ "drop", no_argument, NULL, OPT_DROP },
	{ "report", no_argument, NULL, OPT_REPORT },
	TOOL_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 },
};

struct args {
	struct tool_common common;
	struct sift_clean_opts co;
	const char *input;
	int have_sort, have_output;
};

/* A word that is none of a list: the list, and the nearest. */
static int not_one_of(const char *opt, const char *arg,
		      const char *const *words, size_t n)
{
	char list[256] = "", near[128];
	size_t len = 0;

	for (size_t i = 0; i < n && len < sizeof list; i++)
		len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
					i ? ", " : "", words[i]);
	return tool_usage_error(
		usage, "%s: '%s' is not one of %s%s", opt, arg, list,
		tool_did_you_mean(arg, words, n, near, sizeof near));
}

static int parse_filter(const char *arg, enum sift_clean_filter *f)
{
	const char *names[SIFT_CLEAN_PREDICTED_NEQ_GIVEN + 1];
	int v = sift_clean_filter_parse(arg);

	if (v >= 0) {
		*f = (enum sift_clean_filter)v;
		return 0;
	}
	for (int i = 0; i <= SIFT_CLEAN_PREDICTED_NEQ_GIVEN; i++)
		names[i] = sift_clean_filter_name((enum sift_clean_filter)i);
	return not_one_of("--filter", arg, names,
			  SIFT_CLEAN_PREDICTED_NEQ_GIVEN + 1);
}

static int parse_rank(const char *arg, enum sift_clean_rank *r)
{
	const char *names[SIFT_CLEAN_NORMALIZED_MARGIN + 1];
	int v = sift_clean_rank_parse(arg);

	if (v >= 0) {
		*r = (enum sift_clean_rank)v;
		return 0;
	}
	for (int i = 0; i <= SIFT_CLEAN_NORMALIZED_MARGIN; i++)
		names[i] = sift_clean_rank_name((enum sift_clean_rank)i);
	return not_one_of("--rank", arg, names,
			  SIFT_CLEAN_NORMALIZED_MARGIN + 1);
}

static int parse_sort(const char *arg, enum sift_clean_sort *s)
{
	const char *names[SIFT_CLEAN_SORT_INPUT + 1];
	int v = sift_clean_sort_parse(arg);

	if (v >= 0) {
		*s = (enum sift_clean_sort)v;
		return 0;
	}
	for (int i = 0; i <= SIFT_CLEAN_SORT_INPUT; i++)
		names[i] = sift_clean_sort_name((enum sift_clean_sort)i);
	return not_one_of("--sort", arg, names, SIFT_CLEAN_SORT_INPUT + 1);
}

/* --all and --drop: one of them, given once or again. */
static int set_output(struct args *a, enum sift_clean_output out)
{
	if (a->have_output && a->co.output != out)
		return tool_usage_error(usage, "give one of --all and --drop");
	a->have_output = 1;
	a->co.output = out;
	return 0;
}

static int parse_option(int c, void *ctx)
{
	struct args *a = ctx;
	struct sift_clean_opts *o = &a->co;

	switch (c) {
	case 'l':
		o->label = optarg;
		return 0;
	case OPT_PREFIX:
		o->proba_prefix = optarg;
		return 0;
	case OPT_FILTER:
		return parse_filter(optarg, &o->filter);
	case OPT_RANK:
		return parse_rank(optarg, &o->rank);
	case OPT_SORT:
		a->have_sort = 1;
		return parse_sort(optarg, &o->sort);
	case OPT_ALL:
		return set_output(a, SIFT_CLEAN_ALL);
	case OPT_DROP:
		return set_output(a, SIFT_CLEAN_DROP);
	case OPT_REPORT:
		a->common.verbose = 1;
		return 0;
	default:
		return tool_common_option(&a->common, usage, c, optarg);
	}
}

static int parse_args(int argc, char **argv, struct args *a)
{
	int rc;

	memset(a, 0, sizeof *a);
	sift_clean_opts_init(&a->co);
	tool_common_init(&a->common);
	rc = tool_getopt(argc, argv, ":l:o:qvd:h", longopts, usage, help,
			 parse_option, a);
	if (rc)
		return rc;
	if (a->have_output && a->have_sort &&
	    a->co.sort != SIFT_CLEAN_SORT_INPUT)
		return tool_usage_error(
			usage,
			"--sort %s orders the issues alone; "
			"--%s writes in input order",
			sift_clean_sort_name(a->co.sort),
			a->co.output == SIFT_CLEAN_ALL ? "all" : "drop");
	if (a->have_output)
		a->co.sort = SIFT_CLEAN_SORT_INPUT;
	return tool_one_input(argc, argv, usage, &a->input);
}

/* "6%", "0.4%": a share in words, to the precision it deserves. */
static const char *percent(double x, char *buf, size_t size)
{
	snprintf(buf, size, x < 0.01 && x > 0 ? "%.1f%%" : "%.0f%%", 100 * x);
	return buf;
}

/* A K x K table of counts, given labels down, likely true labels
 * across, a line each on stderr. */
static void print_matrix(const struct sift_clean_stats *st, const uint64_t *m)
{
	char line[1024];
	size_t k = st->k, len;

	len = (size_t)snprintf(line, sizeof line, "  %-14s", "given \\ true");
	for (size_t j = 0; j < k && len < sizeof line; j++)
		len += (size_t)snprintf(line + len, sizeof line - len, " %9.9s",
					st->classes[j]);
	tool_warn("%s", line);
	for (size_t i = 0; i < k; i++) {
		len = (size_t)snprintf(line, sizeof line, "  %-14.14s",
				       st->classes[i]);
		for (size_t j = 0; j < k && len < sizeof line; j++)
			len += (size_t)snprintf(
				line + len, sizeof line - len, " %9llu",
				(unsigned long long)m[i * k + j]);
		tool_warn("%s", line);
	}
}

/* -v, --report: what was read, the joints, the noise in words. */
static void report(const struct sift_reader *r, const struct args *a,
		   const struct sift_clean_stats *st)
{
	const struct sift_clean *e = &st->est;
	size_t k = st->k;
	uint64_t off = 0;
	char pct[32];

	tool_warn("%s: %llu records, %llu labeled, %zu classes; filter %s, "
		  "rank %s",
		  sift_reader_name(r), (unsigned long long)st->n_records,
		  (unsigned long long)e->n, k,
		  sift_clean_filter_name(a->co.filter),
		  sift_clean_rank_name(a->co.rank));
	for (size_t i = 0; i < k; i++)
		tool_warn("class '%s': %llu records, threshold %.4f",
			  st->classes[i], (unsigned long long)e->n_given[i],
			  e->threshold[i]);
	tool_warn("confident joint (%llu records above a threshold):",
		  (unsigned long long)e->n_confident);
	print_matrix(st, e->joint);
	tool_warn("calibrated to the %llu labeled records:",
		  (unsigned long long)e->n);
	print_matrix(st, e->calibrated);
	for (size_t i = 0; i < k; i++)
		for (size_t j = 0; j < k; j++)
			off += i != j ? e->calibrated[i * k + j] : 0;
	tool_warn("estimated noise rate %s (%llu of %llu labels)",
		  percent((double)off / (double)e->n, pct, sizeof pct),
		  (unsigned long long)off, (unsigned long long)e->n);
	for (size_t i = 0; i < k; i++)
		for (size_t j = 0; j < k; j++) {
			uint64_t c = e->calibrated[i * k + j];

			if (i == j || c == 0)
				continue;
			tool_warn("about %s of records labeled '%s' are "
				  "likely '%s' (%llu of %llu)",
				  percent((double)c / (double)e->n_given[i],
					  pct, sizeof pct),
				  st->classes[i], st->classes[j],
				  (unsigned long long)c,
				  (unsigned long long)e->n_given[i]);
		}
	tool_warn(
		"%llu issues found (%s of the labeled records)",
		(unsigned long long)st->n_issues,
		percent((double)st->n_issues / (double)e->n, pct, sizeof pct));
}

static int run(struct args *a, struct sift_error *err)
{
	struct sift_clean_stats st = { 0 };
	struct sift_reader *r = NULL;
	struct sift_writer *w = NULL;
	int rc = sift_clean_check(&a->co, err);

	if (rc)
		return rc;
	if (tool_open(&a->common, a->input, SIFT_READER_REWIND, &r, &w, err))
		return err->code;
	rc = sift_clean_run(r, w, &a->co, &st, err);
	rc = tool_close_output(w, rc, err);
	if (!rc) {
		tool_notes("", st.note);
		if (st.n_unlabeled)
			tool_warn("%llu of %llu records have no label: not "
				  "judged",
				  (unsigned long long)st.n_unlabeled,
				  (unsigned long long)st.n_records);
	}
	if (!rc && a->common.verbose)
		report(r, a, &st);
	sift_clean_stats_free(&st);
	sift_reader_close(r);
	return rc;
}

int cmd_clean(int argc, char **argv)
{
	struct sift_error err = { 0, "" };
	struct args a;
	int rc = parse_args(argc, argv, &a);

	if (rc)
		return rc < 0 ? 0 : rc;
	rc = run(&a, &err);
	return tool_run_status(usage, rc, &err);
}
