/*
 * tools/sample.c - `sift sample`: options in, lib/sample.c does the rest.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sift.h"
#include "sift/rng.h"
#include "sift/sample.h"

static const char usage[] =
	"usage: sift sample [-m METHOD] [-n N | -p P | -k K] [--by COL] "
	"[-w COL]\n"
	"                   [--emit-weight NAME] [--seed N] [-o FILE] "
	"[FILE]\n"
	"       sift sample --merge [--expect-records N] [--emit-weight NAME] "
	"[-o FILE]\n"
	"                   [-q] [PARTIAL...]\n";

static const char help[] =
	"Draw a sample of the records of a CSV file (plain or gzip, or "
	"stdin).\n"
	"\n"
	"  -m, --method M     first, reservoir, bernoulli, systematic, hash,\n"
	"                     stratified, quota, weighted, importance,\n"
	"                     snowball, judgment, uncertainty; without\n"
	"                     -m: stratified with --by, weighted with -w, "
	"hash\n"
	"                     with --key, else reservoir with -n, bernoulli\n"
	"                     with -p, systematic with -k\n"
	"  -n, --size N       sample size\n"
	"  -p, --prob P       probability (bernoulli, hash), rate "
	"(importance)\n"
	"  -k, --every K      systematic: every K-th record\n"
	"      --key COL      hash: the key column\n"
	"      --by COL[,COL] stratified, quota: the strata columns\n"
	"      --per-stratum K      stratified, quota: K records per stratum\n"
	"      --min-per-stratum M  stratified: at least M per stratum\n"
	"      --allocation A stratified: proportional (default) or equal\n"
	"  -w, --weight COL   weighted, importance: the weight (proposal) "
	"column\n"
	"      --replace      weighted: draw with replacement\n"
	"      --target COL   importance: the target column (default: "
	"uniform)\n"
	"      --emit-weight NAME   append the design weight 1/pi as NAME\n"
	"      --seeds U,U|@FILE    snowball: the seed users\n"
	"      --user COL     snowball: the column of the record's user\n"
	"      --links COL    snowball: the column of users it refers to\n"
	"      --waves K      snowball: waves to follow (default 1)\n"
	"      --wave-col NAME      snowball: the appended wave column (wave)\n"
	"      --where EXPR   judgment: a condition of sift-rules(5)\n"
	"      --proba-prefix P     uncertainty: probability columns (p_)\n"
	"      --by MEASURE   uncertainty: least-confidence (default), "
	"margin,\n"
	"                     entropy\n"
	"      --mix SHARE    uncertainty: that share of n drawn at random\n"
	"      --partial      reservoir, weighted, stratified: write a "
	"shard's\n"
	"                     sample with its keys, for --merge\n"
	"      --shard ID     --partial: the shard's identity, which with the\n"
	"                     seed draws its keys (default: the input file's\n"
	"                     name, else $PARALLEL_SEQ, else\n"
	"                     $mapreduce_task_partition)\n"
	"      --merge        merge the partial samples of shards (files or\n"
	"                     stdin) into the exact sample of the whole; each\n"
	"                     must be whole (its trailer, every row), each\n"
	"                     shard once; reports the records over all shards\n"
	"      --expect-records N   --merge: fail unless the shards held N\n"
	"  -q, --quiet        no progress line (--merge: no report) on stderr\n"
	"      --shuffle      write the sample in random order\n"
	"      --seed N       seed (default: drawn at random; hash: 0)\n"
	"  -o, --output FILE  write to FILE, atomically; .gz compresses\n"
	"  -v, --verbose      report the seed and the counts on "
	"stderr\n" TOOL_CSV_OPTIONS "  -h, --help         this help\n"
	"\n"
	"sift help sample: every method's inclusion probability, examples.\n";

enum {
	OPT_KEY = 256,
	OPT_BY,
	OPT_PER,
	OPT_MIN,
	OPT_ALLOC,
	OPT_REPLACE,
	OPT_TARGET,
	OPT_EMIT,
	OPT_SHUFFLE,
	OPT_SEED,
	OPT_SEEDS,
	OPT_USER,
	OPT_LINKS,
	OPT_WAVES,
	OPT_WAVECOL,
	OPT_WHERE,
	OPT_PROBA,
	OPT_MIX,
	OPT_PARTIAL,
	OPT_MERGE,
	OPT_SHARD,
	OPT_EXPECT,
};

static const struct option longopts[] = {
	{ "method", required_argument, NULL, 'm' },
	{ "size", required_argument, NULL, 'n' },
	{ "prob", required_argument, NULL, 'p' },
	{ "every", required_argument, NULL, 'k' },
	{ "key", required_argument, NULL, OPT_KEY },
	{ "by", required_argument, NULL, OPT_BY },
	{ "per-stratum", required_argument, NULL, OPT_PER },
	{ "min-per-stratum", required_argument, NULL, OPT_MIN },
	{ "allocation", required_argument, NULL, OPT_ALLOC },
	{ "weight", required_argument, NULL, 'w' },
	{ "replace", no_argument, NULL, OPT_REPLACE },
	{ "target", required_argument, NULL, OPT_TARGET },
	{ "emit-weight", required_argument, NULL, OPT_EMIT },
	{ "shuffle", no_argument, NULL, OPT_SHUFFLE },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "output", required_argument, NULL, 'o' },
	{ "verbose", no_argument, NULL, 'v' },
	TOOL_CSV_LONGOPTS,
	{ "seeds", required_argument, NULL, OPT_SEEDS },
	{ "user", required_argument, NULL, OPT_USER },
	{ "links", required_argument, NULL, OPT_LINKS },
	{ "waves", required_argument, NULL, OPT_WAVES },
	{ "wave-col", required_argument, NULL, OPT_WAVECOL },
	{ "where", required_argument, NULL, OPT_WHERE },
	{ "proba-prefix", required_argument, NULL, OPT_PROBA },
	{ "mix", required_argument, NULL, OPT_MIX },
	{ "partial", no_argument, NULL, OPT_PARTIAL },
	{ "merge", no_argument, NULL, OPT_MERGE },
	{ "shard", required_argument, NULL, OPT_SHARD },
	{ "expect-records", required_argument, NULL, OPT_EXPECT },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct args {
	struct sift_sample_opts so;
	struct sift_csv_opts csv;
	const char *method;
	const char *output;
	char **inputs;
	int n_inputs;
	int have_seed;
	int verbose;
	int merge;
	int quiet;
	const char *shard_from; /* where the shard's identity came from */
	struct sift_merge_opts mo;
};

static const char *const allocations[] = { "proportional", "equal" };
static const char *const measures[] = { "least-confidence", "margin",
					"entropy" };

static int parse_option(int c, void *ctx, char **argv_now)
{
	struct args *a = ctx;
	struct sift_sample_opts *o = &a->so;
	char near[128];

	switch (c) {
	case 'm':
		a->method = optarg;
		return 0;
	case 'n':
		o->have_n = 1;
		return tool_u64(usage, "-n", optarg, &o->n);
	case 'p':
		o->have_p = 1;
		return tool_double(usage, "-p", optarg, &o->p);
	case 'k':
		if (tool_u64(usage, "-k", optarg, &o->every))
			return 2;
		return o->every ? 0
				: tool_usage_error(usage, "-k: K must be >= 1");
	case OPT_KEY:
		o->key = optarg;
		return 0;
	case OPT_BY:
		o->by = optarg;
		return 0;
	case OPT_PER:
		o->have_per_stratum = 1;
		return tool_u64(usage, "--per-stratum", optarg,
				&o->per_stratum);
	case OPT_MIN:
		o->have_min = 1;
		return tool_u64(usage, "--min-per-stratum", optarg,
				&o->min_per_stratum);
	case OPT_ALLOC:
		o->have_allocation = 1;
		if (strcmp(optarg, "proportional") == 0)
			o->allocation = SIFT_ALLOC_PROPORTIONAL;
		else if (strcmp(optarg, "equal") == 0)
			o->allocation = SIFT_ALLOC_EQUAL;
		else
			return tool_usage_error(
				usage,
				"--allocation: '%s' is neither "
				"proportional nor equal%s",
				optarg,
				tool_did_you_mean(optarg, allocations, 2, near,
						  sizeof near));
		return 0;
	case 'w':
		o->weight = optarg;
		return 0;
	case OPT_REPLACE:
		o->replace = 1;
		return 0;
	case OPT_TARGET:
		o->target = optarg;
		return 0;
	case OPT_EMIT:
		if (!*optarg)
			return tool_usage_error(usage, "--emit-weight: the "
						       "column needs a name");
		o->emit_weight = optarg;
		return 0;
	case OPT_SHUFFLE:
		o->shuffle = 1;
		return 0;
	case OPT_SEED:
		a->have_seed = 1;
		return tool_u64(usage, "--seed", optarg, &o->seed);
	case 'o':
		a->output = optarg;
		return 0;
	case 'v':
		a->verbose = 1;
		return 0;
	case 'd':
	case TOOL_OPT_TSV:
	case TOOL_OPT_NO_QUOTE:
	case TOOL_OPT_NO_HEADER:
		return tool_csv_option(usage, c, optarg, &a->csv);
	case OPT_SEEDS:
		o->seeds = optarg;
		return 0;
	case OPT_USER:
		o->user = optarg;
		return 0;
	case OPT_LINKS:
		o->links = optarg;
		return 0;
	case OPT_WAVES:
		o->have_waves = 1;
		return tool_u64(usage, "--waves", optarg, &o->waves);
	case OPT_WAVECOL:
		o->wave_col = optarg;
		return *optarg ? 0
			       : tool_usage_error(usage, "--wave-col: the "
							 "column needs a name");
	case OPT_WHERE:
		o->where = optarg;
		return 0;
	case OPT_PROBA:
		o->proba_prefix = optarg;
		return 0;
	case OPT_MIX:
		o->have_mix = 1;
		return tool_double(usage, "--mix", optarg, &o->mix);
	case OPT_PARTIAL:
		o->partial = 1;
		return 0;
	case OPT_MERGE:
		a->merge = 1;
		return 0;
	case OPT_EXPECT:
		a->mo.have_expect = 1;
		return tool_u64(usage, "--expect-records", optarg,
				&a->mo.expect_records);
	case 'q':
		a->quiet = 1;
		return 0;
	case OPT_SHARD:
		if (!*optarg)
			return tool_usage_error(usage, "--shard: the identity "
						       "is empty");
		o->shard = optarg;
		a->shard_from = "--shard";
		return 0;
	default:
		return tool_bad_option(usage, c, optopt, optind, argv_now,
				       longopts);
	}
}

/* -m names no method: the methods, and the nearest. */
static int no_method(const char *name)
{
	const char *names[SIFT_SAMPLE_UNCERTAINTY + 1];
	char list[512] = "", near[128];
	size_t used = 0;

	for (int m = 0; m <= SIFT_SAMPLE_UNCERTAINTY; m++) {
		names[m] = sift_sample_method_name((enum sift_sample_method)m);
		used += (size_t)snprintf(list + used, sizeof list - used,
					 "%s%s", m ? ", " : "", names[m]);
	}
	return tool_usage_error(usage, "-m: no method '%s' (%s)%s", name, list,
				tool_did_you_mean(name, names,
						  SIFT_SAMPLE_UNCERTAINTY + 1,
						  near, sizeof near));
}

/* The method: named, or implied by the options given. */
static int choose_method(struct args *a)
{
	struct sift_sample_opts *o = &a->so;
	char near[128];
	int m;

	if (a->method) {
		m = sift_sample_method_parse(a->method);
		if (m < 0)
			return no_method(a->method);
	} else if (o->by) {
		m = SIFT_SAMPLE_STRATIFIED;
	} else if (o->weight) {
		m = SIFT_SAMPLE_WEIGHTED;
	} else if (o->key) {
		m = SIFT_SAMPLE_HASH;
	} else if (o->have_n) {
		m = SIFT_SAMPLE_RESERVOIR;
	} else if (o->have_p) {
		m = SIFT_SAMPLE_BERNOULLI;
	} else if (o->every) {
		m = SIFT_SAMPLE_SYSTEMATIC;
	} else {
		return tool_usage_error(usage,
					"say how much to keep: -n N, -p P or "
					"-k K");
	}
	o->method = (enum sift_sample_method)m;
	if (o->method == SIFT_SAMPLE_IMPORTANCE && !o->emit_weight)
		o->emit_weight = "weight";
	if (o->method == SIFT_SAMPLE_UNCERTAINTY && o->by) {
		int measure = sift_uncertainty_parse(o->by);

		if (measure < 0)
			return tool_usage_error(
				usage,
				"--by: '%s' is not a measure "
				"(least-confidence, margin, "
				"entropy)%s",
				o->by,
				tool_did_you_mean(o->by, measures, 3, near,
						  sizeof near));
		o->measure = (enum sift_uncertainty)measure;
		o->have_measure = 1;
		o->by = NULL;
	}
	return 0;
}

/* --partial: the shard's identity, which with the seed draws its keys:
 * --shard, else the input file's name (it names the data: the same
 * file given twice is then caught by --merge as a shard counted twice),
 * else the job's number under GNU parallel or Hadoop Streaming (for a
 * shard that comes on stdin). Without one, shards of one seed would
 * draw the same keys. */
static int find_shard(struct args *a)
{
	static const char *const vars[] = { "PARALLEL_SEQ",
					    "mapreduce_task_partition" };
	struct sift_sample_opts *o = &a->so;

	if (!o->partial || o->shard)
		return 0;
	if (a->n_inputs && strcmp(a->inputs[0], "-") != 0) {
		o->shard = a->inputs[0];
		a->shard_from = "the input's name";
		return 0;
	}
	for (size_t i = 0; i < sizeof vars / sizeof *vars; i++) {
		const char *v = getenv(vars[i]);

		if (v && *v) {
			o->shard = v;
			a->shard_from = vars[i];
			return 0;
		}
	}
	return tool_usage_error(usage,
				"--partial on stdin needs the shard's "
				"identity: --shard ID (GNU parallel's "
				"$PARALLEL_SEQ and Hadoop's "
				"$mapreduce_task_partition are not set)");
}

/* --merge takes its inputs, --emit-weight, --shuffle, --seed, -o. */
static int check_merge(struct args *a)
{
	struct sift_sample_opts *o = &a->so;

	if (a->method || o->have_n || o->have_p || o->every || o->by ||
	    o->weight || o->key || o->partial || o->have_per_stratum ||
	    o->shard)
		return tool_usage_error(usage,
					"--merge reads the method and size "
					"from the partial samples: give it "
					"only inputs, --expect-records, "
					"--emit-weight, --shuffle, --seed, -o, "
					"-q and -v");
	if (!a->have_seed)
		o->seed = sift_rng_os_seed();
	a->mo.emit_weight = o->emit_weight;
	a->mo.shuffle = o->shuffle;
	a->mo.seed = o->seed;
	return 0;
}

static int parse_args(int argc, char **argv, struct args *a)
{
	int rc;

	memset(a, 0, sizeof *a);
	sift_sample_opts_init(&a->so);
	sift_merge_opts_init(&a->mo);
	sift_csv_opts_init(&a->csv);
	rc = tool_getopt(argc, argv, ":m:n:p:k:w:o:qvd:h", longopts, usage,
			 help, parse_option, a);
	if (rc)
		return rc;
	a->inputs = argv + optind;
	a->n_inputs = argc - optind;
	if (a->merge)
		return check_merge(a);
	if (a->mo.have_expect)
		return tool_usage_error(usage,
					"--expect-records goes with --merge");
	if (a->n_inputs > 1)
		return tool_usage_error(usage, "one input at most (got %d)",
					a->n_inputs);
	rc = choose_method(a);
	if (!rc && a->so.shard && !a->so.partial)
		rc = tool_usage_error(usage, "--shard goes with --partial");
	if (!rc)
		rc = find_shard(a);
	if (rc)
		return rc;
	if (!a->have_seed && a->so.method != SIFT_SAMPLE_HASH)
		a->so.seed = sift_rng_os_seed();
	return 0;
}

/* -v: the counts, and each stratum's size and share of the sample. */
static void report(const struct sift_reader *r,
		   const struct sift_sample_stats *st)
{
	tool_warn("%s: kept %llu of %llu records", sift_reader_name(r),
		  (unsigned long long)st->n_out, (unsigned long long)st->n_in);
	for (size_t h = 0; h < st->n_strata; h++)
		tool_warn("stratum %s: %llu records, %llu kept",
			  st->strata[h].name,
			  (unsigned long long)st->strata[h].size,
			  (unsigned long long)st->strata[h].taken);
}

static int run(struct args *a, struct sift_error *err)
{
	struct sift_sample_stats stats = { 0 };
	struct sift_reader *r;
	struct sift_writer *w;
	int rc = sift_sample_check(&a->so, err);

	if (rc)
		return rc;
	r = sift_reader_open(
		a->n_inputs ? a->inputs[0] : "-", &a->csv,
		sift_sample_needs_rewind(&a->so) ? SIFT_READER_REWIND : 0, err);
	tool_progress(r, a->quiet, a->output);
	if (!r)
		return err->code;
	w = sift_writer_open(a->output, err);
	if (!w) {
		sift_reader_close(r);
		return err->code;
	}
	rc = sift_sample_run(r, w, &a->so, &stats, err);
	if (rc) {
		sift_writer_discard(w);
	} else {
		rc = sift_writer_close(w, err);
	}
	if (!rc)
		tool_notes("", stats.note);
	if (!rc && a->verbose)
		report(r, &stats);
	sift_sample_stats_free(&stats);
	sift_reader_close(r);
	return rc;
}

static int run_merge(struct args *a, struct sift_error *err)
{
	struct sift_sample_stats stats = { 0 };
	size_t n = a->n_inputs ? (size_t)a->n_inputs : 1;
	struct sift_reader **r = calloc(n, sizeof *r);
	struct sift_writer *w = NULL;
	int rc = 0;

	if (!r)
		return sift_error_nomem(err);
	for (size_t i = 0; !rc && i < n; i++) {
		r[i] = sift_reader_open(a->n_inputs ? a->inputs[i] : "-",
					&a->csv, 0, err);
		tool_progress(r[i], a->quiet, a->output);
		if (!r[i])
			rc = err->code;
	}
	if (!rc && !(w = sift_writer_open(a->output, err)))
		rc = err->code;
	if (!rc)
		rc = sift_sample_merge(r, n, w, &a->mo, &stats, err);
	if (rc)
		sift_writer_discard(w);
	else
		rc = sift_writer_close(w, err);
	if (!rc && !a->quiet)
		tool_warn("merged %llu partials: kept %llu of %llu records",
			  (unsigned long long)stats.n_partials,
			  (unsigned long long)stats.n_out,
			  (unsigned long long)stats.n_in);
	if (!rc && a->verbose)
		tool_warn("the partials held %llu rows",
			  (unsigned long long)stats.n_rows);
	sift_sample_stats_free(&stats);
	for (size_t i = 0; i < n; i++)
		sift_reader_close(r[i]);
	free(r);
	return rc;
}

int cmd_sample(int argc, char **argv)
{
	struct sift_error err = { 0, "" };
	struct args a;
	int rc = parse_args(argc, argv, &a);

	if (rc)
		return rc < 0 ? 0 : rc;
	if (a.verbose && !a.merge && a.so.partial)
		tool_warn("method %s, seed %llu, shard '%s' (%s)",
			  sift_sample_method_name(a.so.method),
			  (unsigned long long)a.so.seed, a.so.shard,
			  a.shard_from);
	else if (a.verbose && !a.merge)
		tool_warn("method %s, seed %llu",
			  sift_sample_method_name(a.so.method),
			  (unsigned long long)a.so.seed);
	rc = a.merge ? run_merge(&a, &err) : run(&a, &err);
	if (rc == SIFT_EUSAGE) {
		tool_usage_error(usage, "%s", err.msg);
		return 2;
	}
	return rc ? tool_fail(&err) : 0;
}
