/*
 * tools/split.c - `sift split`: options in, lib/split.c does the rest.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sift.h"
#include "sift/chunks.h"
#include "sift/mem.h"
#include "sift/split.h"

static const char usage[] =
	"usage: sift split --ratios R,R[,R...] (-o FILE,FILE[,...] | "
	"--prefix P)\n"
	"                  [--group COL] [--stratify COL] [--seed N] [FILE]\n"
	"       sift split --by-time COL --cut T (-o FILE,FILE | --prefix P) "
	"[FILE]\n"
	"       sift split --chunks K (-o 'NAME-%03d.csv' | --prefix P) "
	"[FILE]\n";

static const char help[] =
	"Split the records of a CSV file (plain or gzip, or stdin) into "
	"parts.\n"
	"\n"
	"  -r, --ratios R,R,...  the parts' shares (normalized to sum 1)\n"
	"  -o, --output F,F,...  the parts' files, one per ratio\n"
	"      --prefix P     P-train.csv, P-test.csv (two parts), "
	"P-train.csv,\n"
	"                     P-valid.csv, P-test.csv (three), else "
	"P-1.csv...\n"
	"      --group COL    all records of a group in one part, by a seeded\n"
	"                     hash of COL (stable as the data grows)\n"
	"      --stratify COL each part keeps the class proportions of COL\n"
	"      --label COL    report the classes of COL (default: --stratify)\n"
	"      --by-time COL  records whose COL sorts before --cut go to the\n"
	"      --cut T        first part, the others to the second (ISO-8601)\n"
	"      --chunks K     cut into K shards at record boundaries, for\n"
	"                     parallel work: -o names them with one %d (such\n"
	"                     as shard-%03d.csv.gz), --prefix P as P-1.csv...\n"
	"      --seed N       seed (default: drawn at random; --group: 0)\n"
	"  -q, --quiet        no report of the parts on stderr\n"
	"  -v, --verbose      report the seed on stderr\n" TOOL_CSV_OPTIONS
	"  -h, --help         this help\n"
	"\n"
	"sift help split: how each way chooses the part, examples.\n";

enum {
	OPT_PREFIX = 256,
	OPT_GROUP,
	OPT_STRATIFY,
	OPT_LABEL,
	OPT_BY_TIME,
	OPT_CUT,
	OPT_CHUNKS,
};

static const struct option longopts[] = {
	{ "ratios", required_argument, NULL, 'r' },
	{ "output", required_argument, NULL, 'o' },
	{ "prefix", required_argument, NULL, OPT_PREFIX },
	{ "group", required_argument, NULL, OPT_GROUP },
	{ "stratify", required_argument, NULL, OPT_STRATIFY },
	{ "label", required_argument, NULL, OPT_LABEL },
	{ "by-time", required_argument, NULL, OPT_BY_TIME },
	{ "cut", required_argument, NULL, OPT_CUT },
	{ "seed", required_argument, NULL, TOOL_OPT_SEED },
	{ "chunks", required_argument, NULL, OPT_CHUNKS },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	TOOL_CSV_LONGOPTS,
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct args {
	struct tool_common common;
	struct sift_split_opts so;
	const char *ratios;
	const char *group, *stratify, *by_time, *cut; /* as given */
	const char *outputs;
	const char *prefix;
	const char *input;
	char **names; /* malloc'ed output names, n_names of them */
	size_t n_names;
	uint64_t chunks; /* --chunks K */
	int have_chunks;
};

static int parse_option(int c, void *ctx)
{
	struct args *a = ctx;
	struct sift_split_opts *o = &a->so;

	switch (c) {
	case 'r':
		a->ratios = optarg;
		return 0;
	case 'o':
		a->outputs = optarg;
		return 0;
	case OPT_PREFIX:
		if (!*optarg)
			return tool_usage_error(usage, "--prefix: empty");
		a->prefix = optarg;
		return 0;
	case OPT_GROUP:
		a->group = optarg;
		return 0;
	case OPT_STRATIFY:
		a->stratify = optarg;
		return 0;
	case OPT_LABEL:
		o->label = optarg;
		return 0;
	case OPT_BY_TIME:
		a->by_time = optarg;
		return 0;
	case OPT_CUT:
		a->cut = optarg;
		return 0;
	case OPT_CHUNKS:
		a->have_chunks = 1;
		return tool_u64(usage, "--chunks", optarg, &a->chunks);
	default:
		return tool_common_option(&a->common, usage, c, optarg);
	}
}

/* The parts' file names: -o's list, or made from --prefix. */
static int output_names(struct args *a)
{
	static const char *const two[] = { "train", "test" };
	static const char *const three[] = { "train", "valid", "test" };
	size_t n = a->so.n_parts, got = 0;

	if (!a->outputs == !a->prefix)
		return tool_usage_error(usage, "name the parts' files: -o "
					       "FILE,FILE,... or --prefix P");
	if (!(a->names = calloc(n, sizeof *a->names)))
		return tool_nomem();
	a->n_names = n;
	for (const char *p = a->outputs; p && got <= n; got++) {
		size_t len = strcspn(p, ",");

		if (got < n && !(a->names[got] = sift_memdup_nul(p, len)))
			return tool_nomem();
		if (len == 0)
			return tool_usage_error(usage,
						"-o: an empty file name "
						"in '%s'",
						a->outputs);
		p = p[len] ? p + len + 1 : NULL;
	}
	if (a->outputs && got != n)
		return tool_usage_error(usage, "-o: %zu files for %zu parts",
					got, n);
	for (size_t j = 0; a->prefix && j < n; j++) {
		char buf[4096];

		if (n <= 3)
			snprintf(buf, sizeof buf, "%s-%s.csv", a->prefix,
				 n == 2 ? two[j] : three[j]);
		else
			snprintf(buf, sizeof buf, "%s-%zu.csv", a->prefix,
				 j + 1);
		if (!(a->names[j] = strdup(buf)))
			return tool_nomem();
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (strcmp(a->names[i], a->names[j]) == 0)
				return tool_usage_error(usage,
							"-o: '%s' names two "
							"parts",
							a->names[i]);
	return 0;
}

/* A --chunks -o pattern cut around its number slot: %d, or %0Nd for a
 * number zero-padded to N digits; %% is a percent sign. */
struct pattern {
	char head[2048], tail[2048];
	int width;
};

/* Copy pattern text with %% made %, up to the end or a lone %. */
static const char *copy_text(const char *p, char *out, size_t size)
{
	size_t n = 0;

	for (; *p && !(p[0] == '%' && p[1] != '%'); p += 1 + (*p == '%'))
		if (n + 1 < size)
			out[n++] = *p;
	out[n] = '\0';
	return p;
}

/* The number slot at p ("%d", "%03d"): its width, and the text after. */
static const char *number_slot(const char *p, int *width)
{
	int zero = p[1] == '0';
	const char *q = p + 1 + zero;

	*width = 0;
	while (*q >= '0' && *q <= '9' && *width < 100)
		*width = *width * 10 + (*q++ - '0');
	if (*q != 'd' || (zero && *width == 0) || (!zero && *width) ||
	    *width > 20)
		return NULL;
	return q + 1;
}

static int parse_pattern(const char *s, struct pattern *pt)
{
	const char *p;

	if (strlen(s) >= sizeof pt->head)
		return tool_usage_error(usage, "--chunks: -o: name too long");
	p = copy_text(s, pt->head, sizeof pt->head);
	if (!*p)
		return tool_usage_error(usage,
					"--chunks: -o '%s' has no %%d for the "
					"shard's number (such as "
					"shard-%%03d.csv)",
					s);
	p = number_slot(p, &pt->width);
	if (p)
		p = copy_text(p, pt->tail, sizeof pt->tail);
	if (!p || *p)
		return tool_usage_error(usage,
					"--chunks: -o '%s' must hold one %%d "
					"or %%0Nd (such as shard-%%03d.csv) "
					"and no other %% but %%%%",
					s);
	return 0;
}

/* The shards' names, numbered from 1: from -o's pattern, or
 * P-1.csv ... P-K.csv padded to K's width, so that they sort in order. */
static int chunk_names(struct args *a)
{
	size_t k = (size_t)a->chunks;
	struct pattern pt = { "", "", 0 };
	int rc;

	if (!a->outputs == !a->prefix)
		return tool_usage_error(usage, "name the shards' files: -o "
					       "NAME-%%03d.csv or --prefix P");
	if (a->prefix) {
		snprintf(pt.head, sizeof pt.head, "%s-", a->prefix);
		snprintf(pt.tail, sizeof pt.tail, ".csv");
		pt.width = snprintf(NULL, 0, "%zu", k);
	} else if ((rc = parse_pattern(a->outputs, &pt)) != 0) {
		return rc;
	}
	if (!(a->names = calloc(k, sizeof *a->names)))
		return tool_nomem();
	a->n_names = k;
	for (size_t j = 0; j < k; j++) {
		int n = snprintf(NULL, 0, "%s%0*zu%s", pt.head, pt.width, j + 1,
				 pt.tail);

		if (n < 0 || !(a->names[j] = malloc((size_t)n + 1)))
			return tool_nomem();
		snprintf(a->names[j], (size_t)n + 1, "%s%0*zu%s", pt.head,
			 pt.width, j + 1, pt.tail);
	}
	return 0;
}

/* --chunks cuts in input order: it takes no option that chooses parts. */
static int check_chunks(struct args *a)
{
	const struct sift_split_opts *o = &a->so;
	struct sift_error err;

	if (a->ratios || a->group || a->stratify || o->label || a->by_time ||
	    a->cut || a->common.have_seed)
		return tool_usage_error(usage,
					"--chunks cuts the input in order: it "
					"takes no --ratios, --group, "
					"--stratify, --label, --by-time, --cut "
					"or --seed");
	if (sift_chunks_check(a->chunks, &err))
		return tool_usage_error(usage, "%s", err.msg);
	return chunk_names(a);
}

/* The way to split, from the flags: --by-time and --cut, or --ratios
 * with --group and --stratify. */
static int make_opts(struct args *a)
{
	struct sift_split_opts *o = &a->so;
	struct sift_error err;

	if (a->by_time || a->cut) {
		if (a->ratios)
			return tool_usage_error(usage,
						"--by-time splits at "
						"--cut, not by --ratios");
		if (a->group || a->stratify)
			return tool_usage_error(usage,
						"--by-time takes neither "
						"--group nor --stratify");
		o->way = SIFT_SPLIT_TIME;
		o->n_parts = 2;
		o->time.by_time = a->by_time;
		o->time.cut = a->cut;
		return 0;
	}
	o->way = SIFT_SPLIT_RATIOS;
	o->ratios.group = a->group;
	o->ratios.stratify = a->stratify;
	if (a->ratios && sift_split_ratios_parse(a->ratios, o, &err))
		return tool_usage_error(usage, "%s", err.msg);
	return 0;
}

static int parse_args(int argc, char **argv, struct args *a)
{
	struct sift_error err;
	int rc;

	memset(a, 0, sizeof *a);
	sift_split_opts_init(&a->so);
	tool_common_init(&a->common);
	rc = tool_getopt(argc, argv, ":r:o:qvd:h", longopts, usage, help,
			 parse_option, a);
	if (rc)
		return rc;
	rc = tool_one_input(argc, argv, usage, &a->input);
	if (rc)
		return rc;
	if (a->have_chunks)
		return check_chunks(a);
	rc = make_opts(a);
	if (rc)
		return rc;
	if (sift_split_check(&a->so, &err))
		return tool_usage_error(usage, "%s", err.msg);
	rc = output_names(a);
	if (rc)
		return rc;
	/* --group: seed 0 unless --seed */
	a->so.seed = a->group ? a->common.seed : tool_seed(&a->common);
	return 0;
}

/* Each part's size and classes; how far off the class shares ended. */
static void report(const struct args *a, const struct sift_split_stats *st)
{
	for (size_t j = 0; j < a->so.n_parts; j++) {
		char line[2048];
		int used =
			snprintf(line, sizeof line,
				 "%s: %llu records "
				 "(%.1f%%)",
				 a->names[j], (unsigned long long)st->part[j],
				 st->n_in ? 100.0 * (double)st->part[j] /
						    (double)st->n_in
					  : 0.0);

		for (size_t h = 0; h < st->n_classes && used > 0 &&
				   (size_t)used < sizeof line;
		     h++) {
			const struct sift_split_class *cl = &st->classes[h];

			used += snprintf(
				line + used, sizeof line - (size_t)used,
				"%s '%s' %llu (%.1f%%)", h ? "," : ";",
				cl->name, (unsigned long long)cl->part[j],
				st->part[j] ? 100.0 * (double)cl->part[j] /
						      (double)st->part[j]
					    : 0.0);
		}
		tool_warn("%s", line);
	}
	if (st->n_classes)
		tool_warn("class shares in the parts are within %.2f "
			  "percentage points of the whole",
			  st->max_dev_pp);
}

static int run(struct args *a, struct sift_error *err)
{
	struct sift_split_stats stats = { 0 };
	struct sift_writer *w[SIFT_SPLIT_MAX_PARTS] = { 0 };
	struct sift_reader *r;
	int rc = 0;

	r = sift_reader_open(
		a->input, &a->common.csv,
		sift_split_needs_rewind(&a->so) ? SIFT_READER_REWIND : 0, err);
	tool_progress(r, a->common.quiet, ""); /* into files */
	if (!r)
		return err->code;
	for (size_t j = 0; !rc && j < a->so.n_parts; j++)
		if (!(w[j] = sift_writer_open(a->names[j], err)))
			rc = err->code;
	if (!rc)
		rc = sift_split_run(r, w, &a->so, &stats, err);
	for (size_t j = 0; j < a->so.n_parts; j++)
		rc = tool_close_output(w[j], rc, err);
	if (!rc)
		tool_notes("", stats.note);
	if (!rc && !a->common.quiet)
		report(a, &stats);
	sift_split_stats_free(&stats);
	sift_reader_close(r);
	return rc;
}

/* --chunks: each shard's records; the total and how the input was cut. */
static void report_chunks(const struct args *a, const uint64_t *records,
			  enum sift_chunks_mode mode)
{
	uint64_t total = 0;

	for (size_t j = 0; j < a->n_names; j++)
		total += records[j];
	for (size_t j = 0; j < a->n_names; j++)
		tool_warn("%s: %llu records (%.1f%%)", a->names[j],
			  (unsigned long long)records[j],
			  total ? 100.0 * (double)records[j] / (double)total
				: 0.0);
	tool_warn("%llu records in %zu shards (%s)", (unsigned long long)total,
		  a->n_names,
		  mode == SIFT_CHUNKS_RANGES
			  ? "contiguous ranges of the file"
			  : "round robin: one record to each shard in turn");
}

static int run_chunks(struct args *a, struct sift_error *err)
{
	enum sift_chunks_mode mode = SIFT_CHUNKS_ROUND_ROBIN;
	struct sift_writer **w = calloc(a->n_names, sizeof *w);
	uint64_t *records = calloc(a->n_names, sizeof *records);
	struct sift_reader *r = NULL;
	int rc = 0;

	if (!w || !records) {
		free(w);
		free(records);
		return sift_error_nomem(err);
	}
	if (!(r = sift_reader_open(a->input, &a->common.csv, 0, err)))
		rc = err->code;
	tool_progress(r, a->common.quiet, ""); /* into files */
	for (size_t j = 0; !rc && j < a->n_names; j++)
		if (!(w[j] = sift_writer_open(a->names[j], err)))
			rc = err->code;
	if (!rc)
		rc = sift_chunks_run(r, a->input, w, a->n_names, records, &mode,
				     err);
	for (size_t j = 0; j < a->n_names; j++)
		rc = tool_close_output(w[j], rc, err);
	if (!rc && !a->common.quiet)
		report_chunks(a, records, mode);
	sift_reader_close(r);
	free(records);
	free(w);
	return rc;
}

int cmd_split(int argc, char **argv)
{
	struct sift_error err = { 0, "" };
	struct args a;
	int rc = parse_args(argc, argv, &a);

	if (rc == 0) {
		if (a.common.verbose)
			tool_warn("seed %llu", (unsigned long long)a.so.seed);
		rc = a.have_chunks ? run_chunks(&a, &err) : run(&a, &err);
		rc = tool_run_status(usage, rc, &err);
	}
	for (size_t j = 0; j < a.n_names; j++)
		free(a.names[j]);
	free(a.names);
	return rc < 0 ? 0 : rc;
}
