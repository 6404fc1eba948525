/*
 * tools/sample.c - `sift sample`: options in, lib/sample_run.c does the rest.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sift.h"
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
	"      --max-users N  snowball: reach at most N users (100000)\n"
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
	OPT_SEEDS,
	OPT_USER,
	OPT_LINKS,
	OPT_WAVES,
	OPT_MAXUSERS,
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
	{ "seed", required_argument, NULL, TOOL_OPT_SEED },
	{ "output", required_argument, NULL, 'o' },
	{ "verbose", no_argument, NULL, 'v' },
	TOOL_CSV_LONGOPTS,
	{ "seeds", required_argument, NULL, OPT_SEEDS },
	{ "user", required_argument, NULL, OPT_USER },
	{ "links", required_argument, NULL, OPT_LINKS },
	{ "waves", required_argument, NULL, OPT_WAVES },
	{ "max-users", required_argument, NULL, OPT_MAXUSERS },
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

/* The options of the methods, one bit each, in the order their faults
 * are reported. */
enum flag {
	F_N,
	F_P,
	F_EVERY,
	F_KEY,
	F_BY,
	F_PER,
	F_MIN,
	F_WEIGHT,
	F_TARGET,
	F_REPLACE,
	F_EMIT,
	F_ALLOC,
	F_SEEDS,
	F_USER,
	F_LINKS,
	F_WAVES,
	F_MAXUSERS,
	F_WHERE,
	F_PROBA,
	F_MEASURE, /* --by, of uncertainty */
	F_MIX,
	F_PARTIAL,
	N_FLAGS
};
#define BIT(f) (1u << (f))

static const char *const flag_names[N_FLAGS] = {
	[F_N] = "-n",
	[F_P] = "-p",
	[F_EVERY] = "-k",
	[F_KEY] = "--key",
	[F_BY] = "--by",
	[F_PER] = "--per-stratum",
	[F_MIN] = "--min-per-stratum",
	[F_WEIGHT] = "--weight",
	[F_TARGET] = "--target",
	[F_REPLACE] = "--replace",
	[F_EMIT] = "--emit-weight",
	[F_ALLOC] = "--allocation",
	[F_SEEDS] = "--seeds",
	[F_USER] = "--user",
	[F_LINKS] = "--links",
	[F_WAVES] = "--waves",
	[F_MAXUSERS] = "--max-users",
	[F_WHERE] = "--where",
	[F_PROBA] = "--proba-prefix",
	[F_MEASURE] = "--by (a measure)",
	[F_MIX] = "--mix",
	[F_PARTIAL] = "--partial",
};

/* The options each method takes, by enum sift_sample_method. */
static const unsigned method_flags[] = {
	[SIFT_SAMPLE_FIRST] = BIT(F_N),
	[SIFT_SAMPLE_RESERVOIR] = BIT(F_N) | BIT(F_EMIT) | BIT(F_PARTIAL),
	[SIFT_SAMPLE_BERNOULLI] = BIT(F_P) | BIT(F_EMIT),
	[SIFT_SAMPLE_SYSTEMATIC] = BIT(F_EVERY) | BIT(F_EMIT),
	[SIFT_SAMPLE_HASH] = BIT(F_KEY) | BIT(F_P) | BIT(F_EMIT),
	[SIFT_SAMPLE_STRATIFIED] = BIT(F_BY) | BIT(F_N) | BIT(F_PER) |
				   BIT(F_MIN) | BIT(F_ALLOC) | BIT(F_EMIT) |
				   BIT(F_PARTIAL),
	[SIFT_SAMPLE_QUOTA] = BIT(F_BY) | BIT(F_PER),
	[SIFT_SAMPLE_WEIGHTED] = BIT(F_WEIGHT) | BIT(F_N) | BIT(F_REPLACE) |
				 BIT(F_EMIT) | BIT(F_PARTIAL),
	[SIFT_SAMPLE_IMPORTANCE] = BIT(F_WEIGHT) | BIT(F_N) | BIT(F_P) |
				   BIT(F_TARGET) | BIT(F_EMIT),
	[SIFT_SAMPLE_SNOWBALL] = BIT(F_SEEDS) | BIT(F_USER) | BIT(F_LINKS) |
				 BIT(F_WAVES) | BIT(F_MAXUSERS),
	[SIFT_SAMPLE_JUDGMENT] = BIT(F_WHERE) | BIT(F_N),
	[SIFT_SAMPLE_UNCERTAINTY] =
		BIT(F_N) | BIT(F_PROBA) | BIT(F_MEASURE) | BIT(F_MIX),
};

/* The options as given: their values, and which were (BIT(F_*)). */
struct given {
	unsigned set;
	uint64_t n, every, per_stratum, min, waves, max_users;
	double p, mix;
	const char *key, *by, *weight, *target, *emit_weight, *seeds, *user;
	const char *links, *wave_col, *where, *proba_prefix;
	enum sift_allocation allocation;
	enum sift_uncertainty measure;
};

struct args {
	struct tool_common common;
	struct given g;
	struct sift_sample_opts so; /* made from g once the method is known */
	const char *method;
	char **inputs;
	int n_inputs;
	int shuffle;
	int partial;
	const char *shard;
	int merge;
	const char *shard_from; /* where the shard's identity came from */
	struct sift_merge_opts mo;
};

static const char *const allocations[] = { "proportional", "equal" };
static const char *const measures[] = { "least-confidence", "margin",
					"entropy" };

static int parse_option(int c, void *ctx)
{
	struct args *a = ctx;
	struct given *g = &a->g;
	char near[128];

	switch (c) {
	case 'm':
		a->method = optarg;
		return 0;
	case 'n':
		g->set |= BIT(F_N);
		return tool_u64(usage, "-n", optarg, &g->n);
	case 'p':
		g->set |= BIT(F_P);
		return tool_double(usage, "-p", optarg, &g->p);
	case 'k':
		if (tool_u64(usage, "-k", optarg, &g->every))
			return 2;
		g->set |= BIT(F_EVERY);
		return g->every ? 0
				: tool_usage_error(usage, "-k: K must be >= 1");
	case OPT_KEY:
		g->set |= BIT(F_KEY);
		g->key = optarg;
		return 0;
	case OPT_BY:
		g->set |= BIT(F_BY);
		g->by = optarg;
		return 0;
	case OPT_PER:
		g->set |= BIT(F_PER);
		return tool_u64(usage, "--per-stratum", optarg,
				&g->per_stratum);
	case OPT_MIN:
		g->set |= BIT(F_MIN);
		return tool_u64(usage, "--min-per-stratum", optarg, &g->min);
	case OPT_ALLOC:
		g->set |= BIT(F_ALLOC);
		if (strcmp(optarg, "proportional") == 0)
			g->allocation = SIFT_ALLOC_PROPORTIONAL;
		else if (strcmp(optarg, "equal") == 0)
			g->allocation = SIFT_ALLOC_EQUAL;
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
		g->set |= BIT(F_WEIGHT);
		g->weight = optarg;
		return 0;
	case OPT_REPLACE:
		g->set |= BIT(F_REPLACE);
		return 0;
	case OPT_TARGET:
		g->set |= BIT(F_TARGET);
		g->target = optarg;
		return 0;
	case OPT_EMIT:
		if (!*optarg)
			return tool_usage_error(usage, "--emit-weight: the "
						       "column needs a name");
		g->set |= BIT(F_EMIT);
		g->emit_weight = optarg;
		return 0;
	case OPT_SHUFFLE:
		a->shuffle = 1;
		return 0;
	case OPT_SEEDS:
		g->set |= BIT(F_SEEDS);
		g->seeds = optarg;
		return 0;
	case OPT_USER:
		g->set |= BIT(F_USER);
		g->user = optarg;
		return 0;
	case OPT_LINKS:
		g->set |= BIT(F_LINKS);
		g->links = optarg;
		return 0;
	case OPT_WAVES:
		g->set |= BIT(F_WAVES);
		return tool_u64(usage, "--waves", optarg, &g->waves);
	case OPT_MAXUSERS:
		if (tool_u64(usage, "--max-users", optarg, &g->max_users))
			return 2;
		g->set |= BIT(F_MAXUSERS);
		return g->max_users ? 0
				    : tool_usage_error(usage, "--max-users: N "
							      "must be >= 1");
	case OPT_WAVECOL:
		g->wave_col = optarg;
		return *optarg ? 0
			       : tool_usage_error(usage, "--wave-col: the "
							 "column needs a name");
	case OPT_WHERE:
		g->set |= BIT(F_WHERE);
		g->where = optarg;
		return 0;
	case OPT_PROBA:
		g->set |= BIT(F_PROBA);
		g->proba_prefix = optarg;
		return 0;
	case OPT_MIX:
		g->set |= BIT(F_MIX);
		return tool_double(usage, "--mix", optarg, &g->mix);
	case OPT_PARTIAL:
		g->set |= BIT(F_PARTIAL);
		a->partial = 1;
		return 0;
	case OPT_MERGE:
		a->merge = 1;
		return 0;
	case OPT_EXPECT:
		a->mo.have_expect = 1;
		return tool_u64(usage, "--expect-records", optarg,
				&a->mo.expect_records);
	case OPT_SHARD:
		if (!*optarg)
			return tool_usage_error(usage, "--shard: the identity "
						       "is empty");
		a->shard = optarg;
		a->shard_from = "--shard";
		return 0;
	default:
		return tool_common_option(&a->common, usage, c, optarg);
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
static int choose_method(struct args *a, enum sift_sample_method *method)
{
	struct given *g = &a->g;
	char near[128];
	int m;

	if (a->method) {
		m = sift_sample_method_parse(a->method);
		if (m < 0)
			return no_method(a->method);
	} else if (g->by) {
		m = SIFT_SAMPLE_STRATIFIED;
	} else if (g->weight) {
		m = SIFT_SAMPLE_WEIGHTED;
	} else if (g->key) {
		m = SIFT_SAMPLE_HASH;
	} else if (g->set & BIT(F_N)) {
		m = SIFT_SAMPLE_RESERVOIR;
	} else if (g->set & BIT(F_P)) {
		m = SIFT_SAMPLE_BERNOULLI;
	} else if (g->set & BIT(F_EVERY)) {
		m = SIFT_SAMPLE_SYSTEMATIC;
	} else {
		return tool_usage_error(usage,
					"say how much to keep: -n N, -p P or "
					"-k K");
	}
	*method = (enum sift_sample_method)m;
	if (*method == SIFT_SAMPLE_UNCERTAINTY && g->by) {
		int measure = sift_uncertainty_parse(g->by);

		if (measure < 0)
			return tool_usage_error(
				usage,
				"--by: '%s' is not a measure "
				"(least-confidence, margin, "
				"entropy)%s",
				g->by,
				tool_did_you_mean(g->by, measures, 3, near,
						  sizeof near));
		g->measure = (enum sift_uncertainty)measure;
		g->set = (g->set & ~BIT(F_BY)) | BIT(F_MEASURE);
		g->by = NULL;
	}
	return 0;
}

static int needs(enum sift_sample_method m, const char *what)
{
	return tool_usage_error(usage, "-m %s needs %s",
				sift_sample_method_name(m), what);
}

/* The options method m takes, and those it needs, in its words. */
static int check_flags(const struct args *a, enum sift_sample_method m)
{
	const struct given *g = &a->g;
	const unsigned set = g->set;
	const unsigned extra = set & ~method_flags[m];
	const int has_n = !!(set & BIT(F_N)), has_p = !!(set & BIT(F_P));
	const int has_per = !!(set & BIT(F_PER));

	if (extra) {
		unsigned f = 0;

		while (!(extra & BIT(f)))
			f++;
		if (f == F_EMIT)
			return tool_usage_error(usage,
						"--emit-weight: -m %s is not a "
						"probability sample, so it has "
						"no design weight",
						sift_sample_method_name(m));
		return tool_usage_error(usage, "%s does not apply to -m %s",
					flag_names[f],
					sift_sample_method_name(m));
	}
	if (a->partial && g->by && strlen(g->by) > SIFT_SAMPLE_MAX_BY)
		return tool_usage_error(usage,
					"--by: longer than %d bytes, too long "
					"for --partial",
					SIFT_SAMPLE_MAX_BY);
	if (a->partial && g->emit_weight)
		return tool_usage_error(usage,
					"--emit-weight goes with --merge, "
					"which sees the whole input, not with "
					"--partial");
	if (has_p && m != SIFT_SAMPLE_IMPORTANCE && !(g->p >= 0 && g->p <= 1))
		return tool_usage_error(usage, "-p: P must be in [0, 1]");
	switch (m) {
	case SIFT_SAMPLE_FIRST:
	case SIFT_SAMPLE_RESERVOIR:
		return has_n ? 0 : needs(m, "-n N");
	case SIFT_SAMPLE_BERNOULLI:
		return has_p ? 0 : needs(m, "-p P");
	case SIFT_SAMPLE_SYSTEMATIC:
		return g->every ? 0 : needs(m, "-k K (keep every K-th)");
	case SIFT_SAMPLE_HASH:
		if (!g->key)
			return needs(m, "--key COL");
		return has_p ? 0 : needs(m, "-p P");
	case SIFT_SAMPLE_STRATIFIED:
		if (!g->by)
			return needs(m, "--by COL");
		if (has_n == has_per)
			return needs(m, "either -n N or --per-stratum K");
		if (has_per && (set & (BIT(F_MIN) | BIT(F_ALLOC))))
			return tool_usage_error(usage,
						"--per-stratum takes neither "
						"--min-per-stratum nor "
						"--allocation");
		return 0;
	case SIFT_SAMPLE_QUOTA:
		if (!g->by)
			return needs(m, "--by COL");
		return has_per ? 0 : needs(m, "--per-stratum K");
	case SIFT_SAMPLE_WEIGHTED:
		if (!g->weight)
			return needs(m, "--weight COL");
		if (a->partial && (set & BIT(F_REPLACE)))
			return tool_usage_error(usage,
						"--partial: weighted sampling "
						"with --replace cannot be "
						"merged");
		return has_n ? 0 : needs(m, "-n N");
	case SIFT_SAMPLE_IMPORTANCE:
		if (!g->weight)
			return needs(m, "--weight COL (the proposal Q)");
		if (has_n == has_p)
			return needs(m, "either -n N or -p RATE");
		if (has_p && g->p < 0)
			return tool_usage_error(usage,
						"-p: the rate must be >= 0");
		return 0;
	case SIFT_SAMPLE_SNOWBALL:
		if (!g->seeds)
			return needs(m, "--seeds USER[,USER...] or @FILE");
		if (!g->user)
			return needs(m, "--user COL");
		return g->links ? 0 : needs(m, "--links COL");
	case SIFT_SAMPLE_JUDGMENT:
		return g->where ? 0 : needs(m, "--where EXPR");
	case SIFT_SAMPLE_UNCERTAINTY:
		if (!has_n)
			return needs(m, "-n N");
		if ((set & BIT(F_MIX)) && !(g->mix >= 0 && g->mix <= 1))
			return tool_usage_error(usage,
						"--mix: the share must be in "
						"[0, 1]");
		return 0;
	}
	return 0;
}

/* The library's options of method m, from the options given. */
static void make_opts(struct args *a, enum sift_sample_method m)
{
	const struct given *g = &a->g;
	struct sift_sample_opts *o = &a->so;

	sift_sample_opts_init(o, m);
	o->seed = a->common.seed;
	o->shuffle = a->shuffle;
	o->emit_weight = g->emit_weight;
	o->partial = a->partial;
	o->shard = a->shard;
	switch (m) {
	case SIFT_SAMPLE_FIRST:
		o->first.n = g->n;
		break;
	case SIFT_SAMPLE_RESERVOIR:
		o->reservoir.n = g->n;
		break;
	case SIFT_SAMPLE_BERNOULLI:
		o->bernoulli.p = g->p;
		break;
	case SIFT_SAMPLE_SYSTEMATIC:
		o->systematic.every = g->every;
		break;
	case SIFT_SAMPLE_HASH:
		o->hash.key = g->key;
		o->hash.p = g->p;
		break;
	case SIFT_SAMPLE_STRATIFIED:
		o->stratified.by = g->by;
		o->stratified.size = (g->set & BIT(F_PER)) ? SIFT_STRATA_EACH
							   : SIFT_STRATA_SHARED;
		o->stratified.n = (g->set & BIT(F_PER)) ? g->per_stratum : g->n;
		o->stratified.min = g->min;
		o->stratified.allocation = g->allocation;
		break;
	case SIFT_SAMPLE_QUOTA:
		o->quota.by = g->by;
		o->quota.per_stratum = g->per_stratum;
		break;
	case SIFT_SAMPLE_WEIGHTED:
		o->weighted.weight = g->weight;
		o->weighted.n = g->n;
		o->weighted.replace = !!(g->set & BIT(F_REPLACE));
		break;
	case SIFT_SAMPLE_IMPORTANCE:
		o->importance.weight = g->weight;
		o->importance.target = g->target;
		o->importance.by_rate = !!(g->set & BIT(F_P));
		o->importance.n = g->n;
		o->importance.rate = g->p;
		if (!o->emit_weight)
			o->emit_weight = "weight";
		break;
	case SIFT_SAMPLE_SNOWBALL:
		o->snowball.seeds = g->seeds;
		o->snowball.user = g->user;
		o->snowball.links = g->links;
		if (g->set & BIT(F_WAVES))
			o->snowball.waves = g->waves;
		if (g->set & BIT(F_MAXUSERS))
			o->snowball.max_users = g->max_users;
		o->snowball.wave_col = g->wave_col;
		break;
	case SIFT_SAMPLE_JUDGMENT:
		o->judgment.where = g->where;
		if (g->set & BIT(F_N))
			o->judgment.n = g->n;
		break;
	case SIFT_SAMPLE_UNCERTAINTY:
		o->uncertainty.n = g->n;
		o->uncertainty.proba_prefix = g->proba_prefix;
		if (g->set & BIT(F_MEASURE))
			o->uncertainty.measure = g->measure;
		o->uncertainty.mix = g->mix;
		break;
	}
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

	if (!a->partial || a->shard)
		return 0;
	if (a->n_inputs && strcmp(a->inputs[0], "-") != 0) {
		a->shard = a->inputs[0];
		a->shard_from = "the input's name";
		return 0;
	}
	for (size_t i = 0; i < sizeof vars / sizeof *vars; i++) {
		const char *v = getenv(vars[i]);

		if (v && *v) {
			a->shard = v;
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
	const unsigned sizes = BIT(F_N) | BIT(F_P) | BIT(F_EVERY) | BIT(F_BY) |
			       BIT(F_WEIGHT) | BIT(F_KEY) | BIT(F_PER);

	if (a->method || (a->g.set & sizes) || a->partial || a->shard)
		return tool_usage_error(usage,
					"--merge reads the method and size "
					"from the partial samples: give it "
					"only inputs, --expect-records, "
					"--emit-weight, --shuffle, --seed, -o, "
					"-q and -v");
	a->mo.emit_weight = a->g.emit_weight;
	a->mo.shuffle = a->shuffle;
	a->mo.seed = tool_seed(&a->common);
	return 0;
}

static int parse_args(int argc, char **argv, struct args *a)
{
	enum sift_sample_method m = SIFT_SAMPLE_RESERVOIR;
	int rc;

	memset(a, 0, sizeof *a);
	sift_merge_opts_init(&a->mo);
	tool_common_init(&a->common);
	a->g.allocation = SIFT_ALLOC_PROPORTIONAL;
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
	rc = choose_method(a, &m);
	if (!rc && a->shard && !a->partial)
		rc = tool_usage_error(usage, "--shard goes with --partial");
	if (!rc)
		rc = find_shard(a);
	if (!rc)
		rc = check_flags(a, m);
	if (rc)
		return rc;
	if (m != SIFT_SAMPLE_HASH) /* hash: seed 0 unless --seed */
		tool_seed(&a->common);
	make_opts(a, m);
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
	if (tool_open(&a->common, a->n_inputs ? a->inputs[0] : "-",
		      sift_sample_needs_rewind(&a->so) ? SIFT_READER_REWIND : 0,
		      &r, &w, err))
		return err->code;
	rc = sift_sample_run(r, w, &a->so, &stats, err);
	rc = tool_close_output(w, rc, err);
	if (!rc)
		tool_notes("", stats.note);
	if (!rc && a->common.verbose)
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
					&a->common.csv, 0, err);
		tool_progress(r[i], a->common.quiet, a->common.output);
		if (!r[i])
			rc = err->code;
	}
	if (!rc && !(w = sift_writer_open(a->common.output, err)))
		rc = err->code;
	if (!rc)
		rc = sift_sample_merge(r, n, w, &a->mo, &stats, err);
	rc = tool_close_output(w, rc, err);
	if (!rc && !a->common.quiet)
		tool_warn("merged %llu partials: kept %llu of %llu records",
			  (unsigned long long)stats.n_partials,
			  (unsigned long long)stats.n_out,
			  (unsigned long long)stats.n_in);
	if (!rc && a->common.verbose)
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
	if (a.common.verbose && !a.merge && a.so.partial)
		tool_warn("method %s, seed %llu, shard '%s' (%s)",
			  sift_sample_method_name(a.so.method),
			  (unsigned long long)a.so.seed, a.so.shard,
			  a.shard_from);
	else if (a.common.verbose && !a.merge)
		tool_warn("method %s, seed %llu",
			  sift_sample_method_name(a.so.method),
			  (unsigned long long)a.so.seed);
	rc = a.merge ? run_merge(&a, &err) : run(&a, &err);
	return tool_run_status(usage, rc, &err);
}
