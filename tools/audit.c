/*
 * tools/audit.c - `sift audit`: annotator agreement, annotator quality,
 * consensus labels and review lists over long-form annotations (CSV or
 * the SQLite store). The statistics are lib/agreement.c, Dawid-Skene is
 * lib/dawid_skene.c, the samples lib/review.c; this file gathers them
 * into one report and prints it as text, CSV or JSON.
 *
 * Over a thousand lines because it prints two outputs (the report and
 * the review) in three formats each; the arithmetic is all in lib/.
 * Splitting the printers into tools/audit_format.c would be the next step.
 */
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sift.h"
#include "sift/agreement.h"
#include "sift/annotations.h"
#include "sift/dawid_skene.h"
#include "sift/parse.h"
#include "sift/review.h"
#include "sift/rng.h"
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
	"  -v, --verbose         report counts and the seed on stderr\n" TOOL_CSV_OPTIONS
	"  -h, --help            this help\n"
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
	OPT_SEED,
	OPT_TSV,
	OPT_NOHEADER,
};

static const struct option longopts[] = {
	{"item", required_argument, NULL, OPT_ITEM},
	{"annotator", required_argument, NULL, OPT_ANNOTATOR},
	{"label", required_argument, NULL, OPT_LABEL},
	{"db", required_argument, NULL, OPT_DB},
	{"import", required_argument, NULL, OPT_IMPORT},
	{"busy-timeout", required_argument, NULL, OPT_BUSY},
	{"gold", required_argument, NULL, OPT_GOLD},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"level", required_argument, NULL, OPT_LEVEL},
	{"min-overlap", required_argument, NULL, OPT_OVERLAP},
	{"consensus", required_argument, NULL, OPT_CONSENSUS},
	{"review", required_argument, NULL, OPT_REVIEW},
	{"margin", required_argument, NULL, OPT_MARGIN},
	{"seed", required_argument, NULL, OPT_SEED},
	{"output", required_argument, NULL, 'o'},
	{"verbose", no_argument, NULL, 'v'},
	{"delimiter", required_argument, NULL, 'd'},
	{"tsv", no_argument, NULL, OPT_TSV},
	{"no-header", no_argument, NULL, OPT_NOHEADER},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

enum format { FMT_TEXT, FMT_CSV, FMT_JSON };
enum consensus { CONS_NONE, CONS_MAJORITY, CONS_DS };

struct args {
	struct sift_annotation_cols cols;
	struct sift_csv_opts csv;
	const char *input, *db, *import, *gold, *output;
	enum format format;
	enum sift_agree_level level;
	enum consensus consensus;
	double confidence, margin;
	uint64_t min_overlap, review, seed, busy_ms;
	int have_review, have_seed, verbose;
};

static int parse_format(struct args *a, const char *s)
{
	if (strcmp(s, "text") == 0)
		a->format = FMT_TEXT;
	else if (strcmp(s, "csv") == 0)
		a->format = FMT_CSV;
	else if (strcmp(s, "json") == 0)
		a->format = FMT_JSON;
	else
		return tool_usage_error(usage,
					"--format: '%s' is none of text, csv, "
					"json",
					s);
	return 0;
}

/* --level is the level of measurement (a word) or the confidence level
 * (a number), as the two uses of it ask. */
static int parse_level(struct args *a, const char *s)
{
	int l = sift_agree_level_parse(s);
	double x;

	if (l >= 0) {
		a->level = (enum sift_agree_level)l;
		return 0;
	}
	if (sift_parse_double(s, strlen(s), &x) == 0 && x > 0 && x < 1) {
		a->confidence = x;
		return 0;
	}
	return tool_usage_error(usage,
				"--level: '%s' is neither nominal, ordinal, "
				"interval, ratio nor a confidence level in "
				"(0, 1)",
				s);
}

static int parse_consensus(struct args *a, const char *s)
{
	if (strcmp(s, "majority") == 0)
		a->consensus = CONS_MAJORITY;
	else if (strcmp(s, "dawid-skene") == 0)
		a->consensus = CONS_DS;
	else
		return tool_usage_error(usage,
					"--consensus: '%s' is neither majority "
					"nor dawid-skene",
					s);
	return 0;
}

static int parse_margin(struct args *a, const char *s)
{
	if (tool_double(usage, "--margin", s, &a->margin))
		return 2;
	if (!(a->margin > 0 && a->margin < 1))
		return tool_usage_error(usage,
					"--margin: %s is not in (0, 1)", s);
	return 0;
}

static int parse_option(int c, struct args *a, char **argv_now)
{
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
				&a->min_overlap);
	case OPT_CONSENSUS:
		return parse_consensus(a, optarg);
	case OPT_REVIEW:
		a->have_review = 1;
		return tool_u64(usage, "--review", optarg, &a->review);
	case OPT_MARGIN:
		return parse_margin(a, optarg);
	case OPT_SEED:
		a->have_seed = 1;
		return tool_u64(usage, "--seed", optarg, &a->seed);
	case 'o':
		a->output = optarg;
		return 0;
	case 'v':
		a->verbose = 1;
		return 0;
	case 'd':
		return tool_delim(usage, optarg, &a->csv.delim);
	case OPT_TSV:
		a->csv.delim = '\t';
		return 0;
	case OPT_NOHEADER:
		a->csv.header = 0;
		return 0;
	default:
		return tool_bad_option(usage, c, optopt, optind, argv_now);
	}
}

static int check_args(int argc, char **argv, struct args *a)
{
	if (argc - optind > 1)
		return tool_usage_error(usage, "one input at most (got %d)",
					argc - optind);
	a->input = optind < argc ? argv[optind] : "-";
	if (a->import && !a->db)
		return tool_usage_error(usage, "--import needs --db");
	if (a->db && optind < argc)
		return tool_usage_error(usage,
					"--db and an input file: give one");
	if (a->consensus != CONS_NONE && a->have_review)
		return tool_usage_error(usage,
					"--consensus and --review: give one");
	if (a->busy_ms > 3600000)
		return tool_usage_error(usage,
					"--busy-timeout: at most 3600000 ms");
	if (!a->have_seed)
		a->seed = sift_rng_os_seed();
	return 0;
}

static int parse_args(int argc, char **argv, struct args *a)
{
	int c, rc;

	memset(a, 0, sizeof *a);
	sift_csv_opts_init(&a->csv);
	a->cols.item = "item";
	a->cols.annotator = "annotator";
	a->cols.label = "label";
	a->confidence = 0.95;
	a->margin = 0.05;
	a->min_overlap = 20;
	a->busy_ms = 5000;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:vd:h", longopts, NULL)) !=
	       -1) {
		if (c == 'h') {
			fputs(usage, stdout);
			fputs(help, stdout);
			return -1;
		}
		rc = parse_option(c, a, argv);
		if (rc)
			return rc;
	}
	return check_args(argc, argv, a);
}

/* ---- the audit: everything the outputs print ---- */

struct annotator {
	size_t n, shared;
	double loo, kappa, ds_accuracy;
	double gold_n, gold_right, gold_lo, gold_hi;
	unsigned flags;
	size_t biased_to;
};

struct audit {
	const struct args *args;
	struct sift_annotations set;
	struct sift_agree_ratings ratings;
	size_t I, J, K;
	unsigned *counts;
	size_t n_single, min_per_item, max_per_item;
	size_t n_pairable;
	double observed, fleiss, alpha;
	double *pair_kappa;
	size_t *pair_overlap;
	int have_ds;
	struct sift_ds_problem pb;
	struct sift_ds_fit fit;
	unsigned *majority, *consensus; /* I each */
	double *majority_share, *confidence, *disagreement;
	double *said;      /* J x K */
	double *cons_dist; /* J x K: consensus labels of j's items */
	struct annotator *ann;
	unsigned *gold; /* I: a label id, or K_gold if none */
	size_t n_gold;
	double gold_majority, gold_ds; /* consensus accuracy on gold */
	double z;
};

static void audit_free(struct audit *au)
{
	sift_annotations_free(&au->set);
	free(au->counts);
	free(au->pair_kappa);
	free(au->pair_overlap);
	if (au->have_ds)
		sift_ds_fit_free(&au->fit);
	free(au->majority);
	free(au->consensus);
	free(au->majority_share);
	free(au->confidence);
	free(au->disagreement);
	free(au->said);
	free(au->cons_dist);
	free(au->ann);
	free(au->gold);
}

static const char *item_name(const struct audit *au, size_t i)
{
	return sift_intern_str(au->set.items, i, NULL);
}

static const char *annotator_name(const struct audit *au, size_t j)
{
	return sift_intern_str(au->set.annotators, j, NULL);
}

static const char *label_name(const struct audit *au, size_t l)
{
	return sift_intern_str(au->set.labels, l, NULL);
}

static int load(struct audit *au, struct sift_error *err)
{
	const struct args *a = au->args;
	int rc;

	if (a->db) {
		struct sift_store *st;

		rc = sift_store_open(a->db, 0, (int)a->busy_ms, &st, err);
		if (rc)
			return rc;
		rc = sift_store_load(st, &au->set, err);
		sift_store_close(st, 0);
	} else {
		struct sift_reader *r =
			sift_reader_open(a->input, &a->csv, 0, err);

		if (!r)
			return err->code;
		rc = sift_annotations_read(&au->set, r, &a->cols, NULL, err);
		sift_reader_close(r);
	}
	if (!rc)
		rc = sift_annotations_finish(&au->set, err);
	if (rc == SIFT_EDATA && strcmp(err->msg, "no annotations") == 0)
		sift_error_set(err, SIFT_EDATA, "%s: no annotations",
			       a->db ? a->db
				     : strcmp(a->input, "-") ? a->input
							     : "stdin");
	return rc;
}

/* The gold file: the columns named like --item and --label, else the
 * first two. A gold label nobody gave becomes a label too. */
static int gold_columns(struct sift_reader *r, const struct args *a,
			size_t col[2], struct sift_error *err)
{
	if (sift_reader_column(r, a->cols.item, &col[0], err) &&
	    sift_reader_column(r, "1", &col[0], err))
		return err->code;
	if (sift_reader_column(r, a->cols.label, &col[1], err) &&
	    sift_reader_column(r, "2", &col[1], err))
		return err->code;
	return 0;
}

static int gold_row(struct audit *au, struct sift_reader *r,
		    const struct sift_record *rec, const size_t col[2],
		    struct sift_error *err)
{
	const char *s[2];
	size_t n[2], i, l;
	int rc = sift_reader_field(r, col[0], &s[0], &n[0], err);

	if (!rc)
		rc = sift_reader_field(r, col[1], &s[1], &n[1], err);
	if (rc)
		return rc;
	if (!sift_intern_find(au->set.items, s[0], n[0], &i))
		return sift_error_set(err, SIFT_EDATA,
				      "%s:%llu: gold item '%.*s' is not among "
				      "the annotated items",
				      sift_reader_name(r),
				      (unsigned long long)rec->line,
				      (int)(n[0] > 200 ? 200 : n[0]), s[0]);
	if (n[1] == 0)
		return sift_error_set(err, SIFT_EDATA,
				      "%s:%llu: the gold label is empty",
				      sift_reader_name(r),
				      (unsigned long long)rec->line);
	if (sift_intern_add(au->set.labels, s[1], n[1], &l))
		return sift_error_nomem(err);
	au->gold[i] = (unsigned)l;
	return 0;
}

static int load_gold(struct audit *au, struct sift_error *err)
{
	const struct sift_record *rec;
	struct sift_reader *r;
	size_t col[2];
	int rc;

	au->gold = malloc((au->I + 1) * sizeof *au->gold);
	if (!au->gold)
		return sift_error_nomem(err);
	for (size_t i = 0; i < au->I; i++)
		au->gold[i] = UINT32_MAX;
	if (!au->args->gold)
		return 0;
	r = sift_reader_open(au->args->gold, &au->args->csv, 0, err);
	if (!r)
		return err->code;
	rc = gold_columns(r, au->args, col, err);
	while (!rc && !(rc = sift_reader_next(r, &rec, err)) && rec)
		rc = gold_row(au, r, rec, col, err);
	sift_reader_close(r);
	return rc;
}

static void totals(struct audit *au)
{
	au->min_per_item = SIZE_MAX;
	for (size_t i = 0; i < au->I; i++) {
		size_t m = au->set.start[i + 1] - au->set.start[i];

		au->n_single += m == 1;
		au->min_per_item = m < au->min_per_item ? m : au->min_per_item;
		au->max_per_item = m > au->max_per_item ? m : au->max_per_item;
	}
}

static int agreement(struct audit *au, struct sift_error *err)
{
	double *values = NULL;
	int rc;

	au->observed = sift_agree_observed(au->counts, au->I, au->K,
					   &au->n_pairable);
	au->fleiss = sift_agree_fleiss(au->counts, au->I, au->K);
	if (au->args->level != SIFT_LEVEL_NOMINAL) {
		rc = sift_annotations_label_values(&au->set, &values, err);
		if (rc)
			return rc;
	}
	au->alpha = sift_agree_alpha(au->counts, au->I, au->K, values,
				     au->args->level);
	free(values);
	return sift_agree_pairwise(&au->ratings, au->args->min_overlap,
				   &au->pair_kappa, &au->pair_overlap, err);
}

static int dawid_skene(struct audit *au, struct sift_error *err)
{
	struct sift_ds_opts o;
	int rc;

	if (au->K < 2)
		return 0; /* one label: nothing to estimate */
	sift_annotations_ds_problem(&au->set, &au->pb);
	au->pb.n_classes = au->pb.n_outputs = au->K;
	sift_ds_opts_init(&o);
	rc = sift_ds_fit(&au->pb, &o, &au->fit, err);
	if (rc)
		return rc;
	au->have_ds = 1;
	if (au->args->verbose)
		tool_warn("Dawid-Skene: %u iterations, %s, log-likelihood %g",
			  au->fit.iterations,
			  au->fit.converged ? "converged" : "not converged",
			  au->fit.loglik);
	return 0;
}

/* The consensus of every item: Dawid-Skene's most probable class and
 * its posterior, or the majority and its share. */
static void consensus(struct audit *au)
{
	int use_ds = au->have_ds && au->args->consensus != CONS_MAJORITY;

	sift_agree_majority(au->counts, au->I, au->K, au->majority,
			    au->majority_share);
	for (size_t i = 0; i < au->I; i++) {
		au->disagreement[i] = 1 - au->majority_share[i];
		if (use_ds) {
			au->consensus[i] = (unsigned)sift_ds_map(&au->fit, i);
			au->confidence[i] =
				au->fit.posterior[i * au->K + au->consensus[i]];
		} else {
			au->consensus[i] = au->majority[i];
			au->confidence[i] = au->majority_share[i];
		}
	}
}

static void gold_accuracy(struct audit *au)
{
	double n = 0, maj = 0, ds = 0;

	for (size_t i = 0; i < au->I; i++) {
		if (au->gold[i] == UINT32_MAX)
			continue;
		n++;
		maj += au->majority[i] == au->gold[i];
		if (au->have_ds)
			ds += sift_ds_map(&au->fit, i) == au->gold[i];
	}
	au->n_gold = (size_t)n;
	au->gold_majority = n > 0 ? maj / n : NAN;
	au->gold_ds = n > 0 && au->have_ds ? ds / n : NAN;
}

/* Each annotator's counts against the consensus and the gold. */
static void tally(struct audit *au, double *table)
{
	size_t K = au->K;

	memset(table, 0, au->J * K * K * sizeof *table);
	for (size_t i = 0; i < au->I; i++)
		for (size_t o = au->set.start[i]; o < au->set.start[i + 1];
		     o++) {
			size_t j = au->set.rater[o];
			unsigned l = au->set.label[o];
			struct annotator *an = &au->ann[j];

			an->n++;
			au->said[j * K + l]++;
			au->cons_dist[j * K + au->consensus[i]]++;
			table[(j * K + l) * K + au->consensus[i]]++;
			if (au->gold[i] != UINT32_MAX) {
				an->gold_n++;
				an->gold_right += l == au->gold[i];
			}
		}
}

static int annotators(struct audit *au, struct sift_error *err)
{
	size_t K = au->K, J = au->J;
	double *table = malloc((J * K * K + 1) * sizeof *table);
	double *loo = malloc((J + 1) * sizeof *loo);
	size_t *shared = malloc((J + 1) * sizeof *shared);

	if (!table || !loo || !shared) {
		free(table);
		free(loo);
		free(shared);
		return sift_error_nomem(err);
	}
	tally(au, table);
	sift_agree_loo(&au->ratings, au->counts, loo, shared);
	for (size_t j = 0; j < J; j++) {
		struct annotator *an = &au->ann[j];
		struct sift_agree_profile p = {
			K, au->said + j * K, au->cons_dist + j * K, 0,
			shared[j], au->args->min_overlap};

		an->loo = loo[j];
		an->shared = shared[j];
		an->kappa = sift_agree_cohen(table + j * K * K, K,
					     SIFT_WEIGHT_NONE);
		p.kappa = an->kappa;
		an->flags = sift_agree_flags(&p, &an->biased_to);
		sift_agree_wilson(an->gold_right, an->gold_n, au->z,
				  &an->gold_lo, &an->gold_hi);
		an->ds_accuracy = au->have_ds
					  ? sift_ds_accuracy(&au->pb, &au->fit, j)
					  : NAN;
	}
	free(table);
	free(loo);
	free(shared);
	return 0;
}

static int alloc_audit(struct audit *au, struct sift_error *err)
{
	size_t I = au->I + 1, JK = au->J * au->K + 1;

	au->majority = malloc(I * sizeof *au->majority);
	au->consensus = malloc(I * sizeof *au->consensus);
	au->majority_share = malloc(I * sizeof *au->majority_share);
	au->confidence = malloc(I * sizeof *au->confidence);
	au->disagreement = malloc(I * sizeof *au->disagreement);
	au->said = calloc(JK, sizeof *au->said);
	au->cons_dist = calloc(JK, sizeof *au->cons_dist);
	au->ann = calloc(au->J + 1, sizeof *au->ann);
	if (!au->majority || !au->consensus || !au->majority_share ||
	    !au->confidence || !au->disagreement || !au->said ||
	    !au->cons_dist || !au->ann)
		return sift_error_nomem(err);
	return 0;
}

static int run_audit(struct audit *au, struct sift_error *err)
{
	int rc = load(au, err);

	if (rc)
		return rc;
	au->I = sift_annotations_n_items(&au->set);
	au->J = sift_annotations_n_annotators(&au->set);
	if (au->set.n_duplicates)
		tool_warn("%zu duplicate annotations (an annotator labelled "
			  "the same item again): the later ones count",
			  au->set.n_duplicates);
	rc = load_gold(au, err);
	if (rc)
		return rc;
	au->K = sift_annotations_n_labels(&au->set);
	sift_annotations_ratings(&au->set, &au->ratings);
	au->z = sift_agree_normal_quantile(1 - (1 - au->args->confidence) / 2);
	rc = sift_agree_counts(&au->ratings, &au->counts, err);
	if (!rc)
		rc = alloc_audit(au, err);
	if (rc)
		return rc;
	totals(au);
	if (au->args->consensus == CONS_NONE) {
		rc = agreement(au, err);
		if (rc)
			return rc;
	}
	if (au->args->consensus != CONS_MAJORITY)
		rc = dawid_skene(au, err);
	if (rc)
		return rc;
	consensus(au);
	gold_accuracy(au);
	return au->args->consensus == CONS_NONE ? annotators(au, err) : 0;
}

/* ---- output ---- */

static void wprintf_(struct sift_writer *w, struct sift_error *err,
		     const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

/* Errors are sticky in the writer: sift_writer_close reports them. */
static void wprintf_(struct sift_writer *w, struct sift_error *err,
		     const char *fmt, ...)
{
	char buf[4096];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n > 0)
		sift_writer_write(w, buf,
				  (size_t)n < sizeof buf ? (size_t)n
							 : sizeof buf - 1,
				  err);
}

/* A statistic in text: 4 decimals, "-" when undefined. */
static const char *num(char *buf, double x)
{
	if (isnan(x))
		return "-";
	snprintf(buf, 32, "%.4f", x);
	return buf;
}

static void flag_words(const struct audit *au, const struct annotator *an,
		       char *buf, size_t size, const char *sep)
{
	buf[0] = '\0';
	for (unsigned bit = 1; bit <= SIFT_FLAG_OVERLAP; bit <<= 1) {
		if (!(an->flags & bit))
			continue;
		if (buf[0])
			strncat(buf, sep, size - strlen(buf) - 1);
		if (bit == SIFT_FLAG_BIASED)
			snprintf(buf + strlen(buf), size - strlen(buf),
				 "biased toward %s",
				 label_name(au, an->biased_to));
		else
			strncat(buf, sift_agree_flag_name(bit),
				size - strlen(buf) - 1);
	}
}

static size_t name_width(const struct audit *au, size_t min)
{
	size_t w = min;

	for (size_t j = 0; j < au->J; j++) {
		size_t n = strlen(annotator_name(au, j));

		w = n > w ? n : w;
	}
	return w > 40 ? 40 : w;
}

static void text_totals(const struct audit *au, struct sift_writer *w,
			struct sift_error *err)
{
	wprintf_(w, err, "items                    %zu\n", au->I);
	wprintf_(w, err, "annotators               %zu\n", au->J);
	wprintf_(w, err, "annotations              %zu\n", au->set.n_obs);
	wprintf_(w, err, "labels                   %zu:", au->K);
	for (size_t l = 0; l < au->K; l++)
		wprintf_(w, err, "%s %s", l ? "," : "", label_name(au, l));
	wprintf_(w, err, "\nannotations per item     %.2f (%zu to %zu)\n",
		 (double)au->set.n_obs / (double)au->I, au->min_per_item,
		 au->max_per_item);
	wprintf_(w, err,
		 "items with one annotator %zu (left out of agreement)\n",
		 au->n_single);
	if (au->set.n_duplicates)
		wprintf_(w, err, "duplicates replaced      %zu\n",
			 au->set.n_duplicates);
}

static void text_agreement(const struct audit *au, struct sift_writer *w,
			   struct sift_error *err)
{
	char b[32];

	wprintf_(w, err, "\nagreement over %zu items with 2 or more "
			 "annotations\n",
		 au->n_pairable);
	wprintf_(w, err, "  observed agreement     %s\n",
		 num(b, au->observed));
	wprintf_(w, err, "  Fleiss' kappa          %s\n", num(b, au->fleiss));
	wprintf_(w, err, "  Krippendorff's alpha   %s (%s)\n",
		 num(b, au->alpha), sift_agree_level_name(au->args->level));
	if (au->n_gold) {
		wprintf_(w, err,
			 "\nconsensus accuracy on %zu gold items: majority %s",
			 au->n_gold, num(b, au->gold_majority));
		wprintf_(w, err, ", Dawid-Skene %s\n", num(b, au->gold_ds));
	}
}

static void text_annotators(const struct audit *au, struct sift_writer *w,
			    struct sift_error *err)
{
	int nw = (int)name_width(au, 9);
	char b1[32], b2[32], b3[32], b4[32], b5[32], b6[32], flags[256];

	wprintf_(w, err, "\n%-*s %11s %9s %7s %8s %17s %7s  %s\n", nw,
		 "annotator", "annotations", "loo-agree", "kappa", "gold-acc",
		 "gold interval", "ds-acc", "flags");
	for (size_t j = 0; j < au->J; j++) {
		const struct annotator *an = &au->ann[j];
		char iv[80] = "-";

		if (an->gold_n > 0)
			snprintf(iv, sizeof iv, "[%s, %s]",
				 num(b4, an->gold_lo), num(b5, an->gold_hi));
		flag_words(au, an, flags, sizeof flags, ", ");
		wprintf_(w, err, "%-*s %11zu %9s %7s %8s %17s %7s%s%s\n", nw,
			 annotator_name(au, j), an->n, num(b1, an->loo),
			 num(b2, an->kappa),
			 an->gold_n > 0 ? num(b3, an->gold_right / an->gold_n)
					: "-",
			 iv, num(b6, an->ds_accuracy), flags[0] ? "  " : "",
			 flags);
	}
	if (au->n_gold)
		wprintf_(w, err, "(gold interval: Wilson, %g%%)\n",
			 au->args->confidence * 100);
}

static void text_pairwise(const struct audit *au, struct sift_writer *w,
			  struct sift_error *err)
{
	int nw = (int)name_width(au, 4), cw = nw > 7 ? nw : 7;
	char b[32];

	wprintf_(w, err,
		 "\npairwise Cohen's kappa (- : fewer than %llu shared "
		 "items)\n%-*s",
		 (unsigned long long)au->args->min_overlap, nw, "");
	for (size_t b2 = 0; b2 < au->J; b2++)
		wprintf_(w, err, " %*s", cw, annotator_name(au, b2));
	for (size_t a = 0; a < au->J; a++) {
		wprintf_(w, err, "\n%-*s", nw, annotator_name(au, a));
		for (size_t c = 0; c < au->J; c++)
			wprintf_(w, err, " %*s", cw,
				 num(b, au->pair_kappa[a * au->J + c]));
	}
	wprintf_(w, err, "\n");
}

static void text_matrix_head(const struct audit *au, struct sift_writer *w,
			     struct sift_error *err, const char *first,
			     int nw)
{
	wprintf_(w, err, "%-*s", nw, first);
	for (size_t l = 0; l < au->K; l++)
		wprintf_(w, err, " %7s", label_name(au, l));
	wprintf_(w, err, "\n");
}

static void text_confusion(const struct audit *au, struct sift_writer *w,
			   struct sift_error *err)
{
	int nw = (int)name_width(au, 9);
	char b[32];

	if (!au->have_ds)
		return;
	wprintf_(w, err, "\nDawid-Skene confusion matrices (rows: true label; "
			 "columns: label given)\n");
	for (size_t j = 0; j < au->J; j++) {
		text_matrix_head(au, w, err, annotator_name(au, j), nw);
		for (size_t k = 0; k < au->K; k++) {
			wprintf_(w, err, "  %-*s", nw - 2, label_name(au, k));
			for (size_t l = 0; l < au->K; l++)
				wprintf_(w, err, " %7s",
					 num(b, sift_ds_confusion(&au->fit, j,
								  k, l)));
			wprintf_(w, err, "\n");
		}
	}
	wprintf_(w, err, "class priors");
	for (size_t k = 0; k < au->K; k++)
		wprintf_(w, err, " %s %s", label_name(au, k),
			 num(b, au->fit.prior[k]));
	wprintf_(w, err, "\n");
}

static void text_distribution(const struct audit *au, struct sift_writer *w,
			      struct sift_error *err)
{
	int nw = (int)name_width(au, 9);
	char b[32];
	double *all = calloc(au->K + 1, sizeof *all);

	wprintf_(w, err, "\nlabel distribution (share of each annotator's "
			 "labels)\n");
	text_matrix_head(au, w, err, "annotator", nw);
	for (size_t j = 0; j < au->J; j++) {
		wprintf_(w, err, "%-*s", nw, annotator_name(au, j));
		for (size_t l = 0; l < au->K; l++) {
			wprintf_(w, err, " %7s",
				 num(b, au->said[j * au->K + l] /
						(double)au->ann[j].n));
			if (all)
				all[l] += au->said[j * au->K + l];
		}
		wprintf_(w, err, "\n");
	}
	wprintf_(w, err, "%-*s", nw, "all");
	for (size_t l = 0; all && l < au->K; l++)
		wprintf_(w, err, " %7s",
			 num(b, all[l] / (double)au->set.n_obs));
	wprintf_(w, err, "\n");
	free(all);
}

static void text_report(const struct audit *au, struct sift_writer *w,
			struct sift_error *err)
{
	text_totals(au, w, err);
	text_agreement(au, w, err);
	text_annotators(au, w, err);
	text_pairwise(au, w, err);
	text_confusion(au, w, err);
	text_distribution(au, w, err);
}

static void csv_num(struct sift_writer *w, double x, struct sift_error *err)
{
	if (isnan(x))
		sift_writer_write(w, ",", 1, err);
	else
		sift_writer_double(w, ',', x, err);
}

/* A field, quoted as RFC 4180 asks; the first of a record has no
 * delimiter before it (sift_writer_field always writes one). */
static void csv_str(struct sift_writer *w, const char *s, int first,
		    struct sift_error *err)
{
	if (!first) {
		sift_writer_field(w, ',', s, strlen(s), err);
		return;
	}
	if (!s[strcspn(s, ",\"\r\n")]) {
		sift_writer_puts(w, s, err);
		return;
	}
	sift_writer_puts(w, "\"", err);
	for (; *s; s++) {
		sift_writer_write(w, s, 1, err);
		if (*s == '"')
			sift_writer_write(w, s, 1, err);
	}
	sift_writer_puts(w, "\"", err);
}

static void csv_report(const struct audit *au, struct sift_writer *w,
		       struct sift_error *err)
{
	char flags[256];

	sift_writer_puts(w,
			 "annotator,annotations,shared_items,loo_agreement,"
			 "kappa,gold_items,gold_accuracy,gold_low,gold_high,"
			 "ds_accuracy,flags",
			 err);
	for (size_t l = 0; l < au->K; l++) {
		char name[256];

		snprintf(name, sizeof name, "share:%s", label_name(au, l));
		csv_str(w, name, 0, err);
	}
	sift_writer_puts(w, "\n", err);
	for (size_t j = 0; j < au->J; j++) {
		const struct annotator *an = &au->ann[j];

		csv_str(w, annotator_name(au, j), 1, err);
		sift_writer_double(w, ',', (double)an->n, err);
		sift_writer_double(w, ',', (double)an->shared, err);
		csv_num(w, an->loo, err);
		csv_num(w, an->kappa, err);
		sift_writer_double(w, ',', an->gold_n, err);
		csv_num(w, an->gold_n > 0 ? an->gold_right / an->gold_n : NAN,
			err);
		csv_num(w, an->gold_n > 0 ? an->gold_lo : NAN, err);
		csv_num(w, an->gold_n > 0 ? an->gold_hi : NAN, err);
		csv_num(w, an->ds_accuracy, err);
		flag_words(au, an, flags, sizeof flags, ";");
		csv_str(w, flags, 0, err);
		for (size_t l = 0; l < au->K; l++)
			csv_num(w, au->said[j * au->K + l] / (double)an->n,
				err);
		sift_writer_puts(w, "\n", err);
	}
}

/* A JSON string: quotes, backslashes and control bytes escaped; other
 * bytes as they are (the input's encoding). */
static void json_str(struct sift_writer *w, const char *s,
		     struct sift_error *err)
{
	char esc[8];

	sift_writer_puts(w, "\"", err);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			sift_writer_write(w, esc, 2, err);
		} else if (c < 0x20) {
			snprintf(esc, sizeof esc, "\\u%04x", c);
			sift_writer_puts(w, esc, err);
		} else {
			sift_writer_write(w, s, 1, err);
		}
	}
	sift_writer_puts(w, "\"", err);
}

static void json_num(struct sift_writer *w, double x, struct sift_error *err)
{
	char buf[40];

	if (isnan(x) || isinf(x)) {
		sift_writer_puts(w, "null", err);
		return;
	}
	sift_format_double(buf, sizeof buf, x);
	sift_writer_puts(w, buf, err);
}

static void json_key(struct sift_writer *w, const char *key, int first,
		     struct sift_error *err)
{
	if (!first)
		sift_writer_puts(w, ",", err);
	json_str(w, key, err);
	sift_writer_puts(w, ":", err);
}

static void json_totals(const struct audit *au, struct sift_writer *w,
			struct sift_error *err)
{
	json_key(w, "totals", 1, err);
	wprintf_(w, err,
		 "{\"items\":%zu,\"annotators\":%zu,\"annotations\":%zu,"
		 "\"duplicates\":%zu,\"single_annotator_items\":%zu,"
		 "\"annotations_per_item\":",
		 au->I, au->J, au->set.n_obs, au->set.n_duplicates,
		 au->n_single);
	json_num(w, (double)au->set.n_obs / (double)au->I, err);
	json_key(w, "labels", 0, err);
	sift_writer_puts(w, "[", err);
	for (size_t l = 0; l < au->K; l++) {
		if (l)
			sift_writer_puts(w, ",", err);
		json_str(w, label_name(au, l), err);
	}
	sift_writer_puts(w, "]}", err);
}

static void json_agreement(const struct audit *au, struct sift_writer *w,
			   struct sift_error *err)
{
	int first = 1;

	json_key(w, "agreement", 0, err);
	wprintf_(w, err, "{\"items\":%zu,\"observed\":", au->n_pairable);
	json_num(w, au->observed, err);
	json_key(w, "fleiss_kappa", 0, err);
	json_num(w, au->fleiss, err);
	json_key(w, "krippendorff_alpha", 0, err);
	json_num(w, au->alpha, err);
	json_key(w, "level", 0, err);
	json_str(w, sift_agree_level_name(au->args->level), err);
	wprintf_(w, err, ",\"min_overlap\":%llu,\"pairwise\":[",
		 (unsigned long long)au->args->min_overlap);
	for (size_t a = 0; a < au->J; a++)
		for (size_t b = a + 1; b < au->J; b++) {
			sift_writer_puts(w, first ? "{" : ",{", err);
			first = 0;
			json_key(w, "a", 1, err);
			json_str(w, annotator_name(au, a), err);
			json_key(w, "b", 0, err);
			json_str(w, annotator_name(au, b), err);
			wprintf_(w, err, ",\"overlap\":%zu,\"kappa\":",
				 au->pair_overlap[a * au->J + b]);
			json_num(w, au->pair_kappa[a * au->J + b], err);
			sift_writer_puts(w, "}", err);
		}
	sift_writer_puts(w, "]", err);
	if (au->n_gold) {
		wprintf_(w, err, ",\"gold_items\":%zu", au->n_gold);
		json_key(w, "gold_accuracy_majority", 0, err);
		json_num(w, au->gold_majority, err);
		json_key(w, "gold_accuracy_dawid_skene", 0, err);
		json_num(w, au->gold_ds, err);
	}
	sift_writer_puts(w, "}", err);
}

static void json_confusion(const struct audit *au, size_t j,
			   struct sift_writer *w, struct sift_error *err)
{
	json_key(w, "confusion", 0, err);
	if (!au->have_ds) {
		sift_writer_puts(w, "null", err);
		return;
	}
	sift_writer_puts(w, "{", err);
	for (size_t k = 0; k < au->K; k++) {
		json_key(w, label_name(au, k), k == 0, err);
		sift_writer_puts(w, "{", err);
		for (size_t l = 0; l < au->K; l++) {
			json_key(w, label_name(au, l), l == 0, err);
			json_num(w, sift_ds_confusion(&au->fit, j, k, l), err);
		}
		sift_writer_puts(w, "}", err);
	}
	sift_writer_puts(w, "}", err);
}

static void json_annotator(const struct audit *au, size_t j,
			   struct sift_writer *w, struct sift_error *err)
{
	const struct annotator *an = &au->ann[j];

	sift_writer_puts(w, j ? ",{" : "{", err);
	json_key(w, "name", 1, err);
	json_str(w, annotator_name(au, j), err);
	wprintf_(w, err, ",\"annotations\":%zu,\"shared_items\":%zu", an->n,
		 an->shared);
	json_key(w, "loo_agreement", 0, err);
	json_num(w, an->loo, err);
	json_key(w, "kappa", 0, err);
	json_num(w, an->kappa, err);
	json_key(w, "gold", 0, err);
	if (an->gold_n > 0) {
		wprintf_(w, err, "{\"items\":%.0f,\"accuracy\":", an->gold_n);
		json_num(w, an->gold_right / an->gold_n, err);
		json_key(w, "low", 0, err);
		json_num(w, an->gold_lo, err);
		json_key(w, "high", 0, err);
		json_num(w, an->gold_hi, err);
		sift_writer_puts(w, "}", err);
	} else {
		sift_writer_puts(w, "null", err);
	}
	json_key(w, "ds_accuracy", 0, err);
	json_num(w, an->ds_accuracy, err);
	json_confusion(au, j, w, err);
	json_key(w, "labels", 0, err);
	sift_writer_puts(w, "{", err);
	for (size_t l = 0; l < au->K; l++) {
		json_key(w, label_name(au, l), l == 0, err);
		json_num(w, au->said[j * au->K + l], err);
	}
	sift_writer_puts(w, "},\"flags\":[", err);
	for (unsigned bit = 1, n = 0; bit <= SIFT_FLAG_OVERLAP; bit <<= 1)
		if (an->flags & bit) {
			if (n++)
				sift_writer_puts(w, ",", err);
			json_str(w, sift_agree_flag_name(bit), err);
		}
	sift_writer_puts(w, "]", err);
	if (an->flags & SIFT_FLAG_BIASED) {
		json_key(w, "biased_toward", 0, err);
		json_str(w, label_name(au, an->biased_to), err);
	}
	sift_writer_puts(w, "}", err);
}

static void json_report(const struct audit *au, struct sift_writer *w,
			struct sift_error *err)
{
	sift_writer_puts(w, "{", err);
	json_totals(au, w, err);
	json_agreement(au, w, err);
	json_key(w, "annotators", 0, err);
	sift_writer_puts(w, "[", err);
	for (size_t j = 0; j < au->J; j++)
		json_annotator(au, j, w, err);
	sift_writer_puts(w, "]}\n", err);
}

static void write_consensus(const struct audit *au, struct sift_writer *w,
			    struct sift_error *err)
{
	sift_writer_puts(w, "item,label,confidence\n", err);
	for (size_t i = 0; i < au->I; i++) {
		const char *s = item_name(au, i), *l;

		csv_str(w, s, 1, err);
		l = label_name(au, au->consensus[i]);
		sift_writer_field(w, ',', l, strlen(l), err);
		sift_writer_double(w, ',', au->confidence[i], err);
		sift_writer_puts(w, "\n", err);
	}
}


/* ---- --review: the items to look at again, the re-check samples ---- */

struct recheck {
	size_t *first; /* J + 1: annotator j's drawn annotations are */
	size_t *obs;   /* obs[first[j] .. first[j + 1] - 1] (indices into
			* the set's annotations, in item order) */
	size_t *population;
};

static void recheck_free(struct recheck *rc)
{
	free(rc->first);
	free(rc->obs);
	free(rc->population);
}

/* Every annotator's sample size (Cochran, with the finite-population
 * correction, at p = 0.5), then the draw: annotators in order, one
 * generator, so a seed fixes the whole sample. */
static int draw_rechecks(const struct audit *au, struct recheck *rc,
			 struct sift_error *err)
{
	size_t J = au->J, total = 0, *pos = NULL, *fill;
	struct sift_rng rng;

	rc->first = calloc(J + 2, sizeof *rc->first);
	rc->population = calloc(J + 1, sizeof *rc->population);
	fill = calloc(J + 1, sizeof *fill);
	if (!rc->first || !rc->population || !fill)
		goto nomem;
	for (size_t j = 0; j < J; j++) {
		rc->population[j] = au->ann[j].n;
		rc->first[j + 1] = rc->first[j] +
				   sift_review_sample_size(au->ann[j].n,
							   au->args->margin,
							   au->z, 0.5);
	}
	total = rc->first[J];
	rc->obs = malloc((total + 1) * sizeof *rc->obs);
	/* pos: each annotator's annotations, grouped by annotator */
	pos = malloc((au->set.n_obs + 1) * sizeof *pos);
	if (!rc->obs || !pos)
		goto nomem;
	for (size_t j = 1; j <= J; j++)
		fill[j] = fill[j - 1] + au->ann[j - 1].n;
	for (size_t o = 0; o < au->set.n_obs; o++)
		pos[fill[au->set.rater[o]]++] = o;
	sift_rng_seed(&rng, au->args->seed);
	for (size_t j = 0, at = 0; j < J; j++) {
		size_t n = rc->first[j + 1] - rc->first[j];
		size_t *mine = pos + at;

		sift_review_draw(&rng, au->ann[j].n, n, rc->obs + rc->first[j]);
		for (size_t k = 0; k < n; k++)
			rc->obs[rc->first[j] + k] =
				mine[rc->obs[rc->first[j] + k]];
		at += au->ann[j].n;
	}
	free(pos);
	free(fill);
	return 0;
nomem:
	free(pos);
	free(fill);
	return sift_error_nomem(err);
}

/* The item of annotation o (a binary search over start[]). */
static size_t item_of(const struct audit *au, size_t o)
{
	size_t lo = 0, hi = au->I;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (au->set.start[mid] <= o)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static void text_item_labels(const struct audit *au, size_t i,
			     struct sift_writer *w, struct sift_error *err)
{
	for (size_t o = au->set.start[i]; o < au->set.start[i + 1]; o++)
		wprintf_(w, err, " %s=%s", annotator_name(au, au->set.rater[o]),
			 label_name(au, au->set.label[o]));
}

static void text_review(const struct audit *au, const size_t *top, size_t n,
			const struct recheck *rc, struct sift_writer *w,
			struct sift_error *err)
{
	char b1[32], b2[32];

	wprintf_(w, err,
		 "items most worth a second look (%zu of %zu; consensus by "
		 "%s)\n%-12s %-12s %10s %12s  labels\n",
		 n, au->I, au->have_ds ? "Dawid-Skene" : "majority vote",
		 "item", "consensus", "confidence", "disagreement");
	for (size_t k = 0; k < n; k++) {
		size_t i = top[k];

		wprintf_(w, err, "%-12s %-12s %10s %12s ", item_name(au, i),
			 label_name(au, au->consensus[i]),
			 num(b1, au->confidence[i]),
			 num(b2, au->disagreement[i]));
		text_item_labels(au, i, w, err);
		wprintf_(w, err, "\n");
	}
	wprintf_(w, err,
		 "\nre-check samples: each annotator's error rate within "
		 "+-%g at %g%% (seed %llu)\n%-12s %11s %7s\n",
		 au->args->margin, au->args->confidence * 100,
		 (unsigned long long)au->args->seed, "annotator",
		 "annotations", "sample");
	for (size_t j = 0; j < au->J; j++)
		wprintf_(w, err, "%-12s %11zu %7zu\n", annotator_name(au, j),
			 rc->population[j], rc->first[j + 1] - rc->first[j]);
	wprintf_(w, err, "\nre-check list\n%-12s %-12s %s\n", "annotator",
		 "item", "label");
	for (size_t j = 0; j < au->J; j++)
		for (size_t k = rc->first[j]; k < rc->first[j + 1]; k++)
			wprintf_(w, err, "%-12s %-12s %s\n",
				 annotator_name(au, j),
				 item_name(au, item_of(au, rc->obs[k])),
				 label_name(au, au->set.label[rc->obs[k]]));
}

static void csv_review_row(const struct audit *au, size_t i,
			   const char *reason, const char *annotator,
			   const char *label, struct sift_writer *w,
			   struct sift_error *err)
{
	csv_str(w, item_name(au, i), 1, err);
	csv_str(w, reason, 0, err);
	csv_str(w, annotator, 0, err);
	csv_str(w, label, 0, err);
	csv_str(w, label_name(au, au->consensus[i]), 0, err);
	sift_writer_double(w, ',', au->confidence[i], err);
	sift_writer_double(w, ',', au->disagreement[i], err);
	sift_writer_puts(w, "\n", err);
}

static void csv_review(const struct audit *au, const size_t *top, size_t n,
		       const struct recheck *rc, struct sift_writer *w,
		       struct sift_error *err)
{
	sift_writer_puts(w,
			 "item,reason,annotator,label,consensus,confidence,"
			 "disagreement\n",
			 err);
	for (size_t k = 0; k < n; k++)
		csv_review_row(au, top[k], "second-look", "", "", w, err);
	for (size_t j = 0; j < au->J; j++)
		for (size_t k = rc->first[j]; k < rc->first[j + 1]; k++)
			csv_review_row(au, item_of(au, rc->obs[k]), "recheck",
				       annotator_name(au, j),
				       label_name(au,
						  au->set.label[rc->obs[k]]),
				       w, err);
}

static void json_review_item(const struct audit *au, size_t i, int first,
			     struct sift_writer *w, struct sift_error *err)
{
	sift_writer_puts(w, first ? "{" : ",{", err);
	json_key(w, "item", 1, err);
	json_str(w, item_name(au, i), err);
	json_key(w, "consensus", 0, err);
	json_str(w, label_name(au, au->consensus[i]), err);
	json_key(w, "confidence", 0, err);
	json_num(w, au->confidence[i], err);
	json_key(w, "disagreement", 0, err);
	json_num(w, au->disagreement[i], err);
	json_key(w, "labels", 0, err);
	sift_writer_puts(w, "{", err);
	for (size_t o = au->set.start[i]; o < au->set.start[i + 1]; o++) {
		json_key(w, annotator_name(au, au->set.rater[o]),
			 o == au->set.start[i], err);
		json_str(w, label_name(au, au->set.label[o]), err);
	}
	sift_writer_puts(w, "}}", err);
}

static void json_review(const struct audit *au, const size_t *top, size_t n,
			const struct recheck *rc, struct sift_writer *w,
			struct sift_error *err)
{
	sift_writer_puts(w, "{\"margin\":", err);
	json_num(w, au->args->margin, err);
	json_key(w, "confidence_level", 0, err);
	json_num(w, au->args->confidence, err);
	wprintf_(w, err, ",\"seed\":%llu,\"second_look\":[",
		 (unsigned long long)au->args->seed);
	for (size_t k = 0; k < n; k++)
		json_review_item(au, top[k], k == 0, w, err);
	sift_writer_puts(w, "],\"recheck\":[", err);
	for (size_t j = 0; j < au->J; j++) {
		sift_writer_puts(w, j ? ",{" : "{", err);
		json_key(w, "annotator", 1, err);
		json_str(w, annotator_name(au, j), err);
		wprintf_(w, err, ",\"annotations\":%zu,\"sample\":%zu,"
				 "\"items\":[",
			 rc->population[j], rc->first[j + 1] - rc->first[j]);
		for (size_t k = rc->first[j]; k < rc->first[j + 1]; k++) {
			sift_writer_puts(w, k > rc->first[j] ? ",{" : "{", err);
			json_key(w, "item", 1, err);
			json_str(w, item_name(au, item_of(au, rc->obs[k])), err);
			json_key(w, "label", 0, err);
			json_str(w, label_name(au, au->set.label[rc->obs[k]]),
				 err);
			sift_writer_puts(w, "}", err);
		}
		sift_writer_puts(w, "]}", err);
	}
	sift_writer_puts(w, "]}\n", err);
}

static int write_review(const struct audit *au, struct sift_writer *w,
			struct sift_error *err)
{
	struct recheck rc = {NULL, NULL, NULL};
	size_t n = au->args->review < au->I ? (size_t)au->args->review : au->I;
	size_t *top = malloc((n + 1) * sizeof *top);
	int rcode = top ? 0 : sift_error_nomem(err);

	if (!rcode)
		rcode = sift_review_top(au->confidence, au->disagreement, au->I,
					n, top, &n, err);
	if (!rcode)
		rcode = draw_rechecks(au, &rc, err);
	if (!rcode) {
		if (au->args->format == FMT_CSV)
			csv_review(au, top, n, &rc, w, err);
		else if (au->args->format == FMT_JSON)
			json_review(au, top, n, &rc, w, err);
		else
			text_review(au, top, n, &rc, w, err);
	}
	recheck_free(&rc);
	free(top);
	return rcode;
}

static int write_output(const struct audit *au, struct sift_error *err)
{
	const struct args *a = au->args;
	struct sift_writer *w = sift_writer_open(a->output, err);
	int rc = 0;

	if (!w)
		return err->code;
	if (a->consensus != CONS_NONE)
		write_consensus(au, w, err);
	else if (a->have_review)
		rc = write_review(au, w, err);
	else if (a->format == FMT_CSV)
		csv_report(au, w, err);
	else if (a->format == FMT_JSON)
		json_report(au, w, err);
	else
		text_report(au, w, err);
	if (rc) {
		sift_writer_discard(w);
		return rc;
	}
	return sift_writer_close(w, err);
}

static int import(const struct args *a, struct sift_error *err)
{
	struct sift_store *st;
	struct sift_reader *r;
	uint64_t n = 0;
	int rc;

	r = sift_reader_open(a->import, &a->csv, 0, err);
	if (!r)
		return err->code;
	rc = sift_store_open(a->db, 1, (int)a->busy_ms, &st, err);
	if (!rc) {
		rc = sift_store_import(st, r, &a->cols, &n, err);
		sift_store_close(st, rc != 0);
	}
	sift_reader_close(r);
	if (!rc && a->verbose)
		tool_warn("%s: imported %llu annotations", a->db,
			  (unsigned long long)n);
	return rc;
}

int cmd_audit(int argc, char **argv)
{
	struct sift_error err = {0, ""};
	struct args a;
	struct audit au;
	int rc = parse_args(argc, argv, &a);

	if (rc)
		return rc < 0 ? 0 : rc;
	if (a.import)
		return (rc = import(&a, &err)) ? tool_fail(&err) : 0;
	memset(&au, 0, sizeof au);
	au.args = &a;
	if (sift_annotations_init(&au.set, &err))
		return tool_fail(&err);
	rc = run_audit(&au, &err);
	if (!rc)
		rc = write_output(&au, &err);
	audit_free(&au);
	if (rc == SIFT_EUSAGE)
		return tool_usage_error(usage, "%s", err.msg);
	return rc ? tool_fail(&err) : 0;
}
