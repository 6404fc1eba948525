/*
 * gen-annotations - write annotations (item,annotator,label) by
 * annotators of known quality, for trying out `sift audit`.
 *
 *   gen-annotations [-n ITEMS] [-a ANNOTATORS] [-r PER_ITEM] [-k LABELS]
 *                   [-s SEED] [-t TRUTH.csv] [-q QUALITY.csv] > ann.csv
 *
 * Every item has a true label, drawn with weights K, K-1, ..., 1 (for 3
 * labels: neu 1/2, neg 1/3, pos 1/6). Each item is labelled by PER_ITEM
 * annotators chosen at random. Annotator j says the true label with
 * probability acc_j, else one of the other labels uniformly; the acc_j
 * spread evenly from 0.95 down to 0.60. Two annotators are not like that:
 * the one a third of the way down the list answers uniformly at random,
 * the one two thirds down always says the most common label. -t writes
 * the true labels (item,label), -q every annotator's kind and its
 * expected accuracy (annotator,kind,accuracy).
 *
 * Output is a pure function of the options: xoshiro256** seeded by
 * splitmix64, integer arithmetic only (probabilities in per mille).
 * Standard: C11 + POSIX.1-2008 (getopt).
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROG "gen-annotations"

static const char usage[] =
	"usage: " PROG " [-n ITEMS] [-a ANNOTATORS] [-r PER_ITEM] "
	"[-k LABELS] [-s SEED]\n"
	"                       [-t TRUTH.csv] [-q QUALITY.csv]\n";

static uint64_t state[4];

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t next(void)
{
	uint64_t r = rotl(state[1] * 5, 7) * 9, t = state[1] << 17;

	state[2] ^= state[0];
	state[3] ^= state[1];
	state[1] ^= state[2];
	state[0] ^= state[3];
	state[2] ^= t;
	state[3] = rotl(state[3], 45);
	return r;
}

/* Uniform in [0, n), without bias (rejection). */
static uint64_t below(uint64_t n)
{
	uint64_t limit = UINT64_MAX - UINT64_MAX % n, x;

	do
		x = next();
	while (x >= limit);
	return x % n;
}

enum kind { GOOD, RANDOM, CONSTANT };

struct opts {
	long items, annotators, per_item, labels;
	uint64_t seed;
	const char *truth, *quality;
};

static const char *const names3[] = { "neu", "neg", "pos" };

static void label_name(long k, long K, char *buf, size_t size)
{
	if (K <= 3)
		snprintf(buf, size, "%s", names3[k]);
	else
		snprintf(buf, size, "l%ld", k + 1);
}

static enum kind kind_of(long j, long A)
{
	if (j == A / 3)
		return RANDOM;
	if (j == 2 * A / 3)
		return CONSTANT;
	return GOOD;
}

/* Per mille: 950 down to 600 over the good annotators. */
static long accuracy(long j, long A)
{
	return A > 1 ? 950 - 350 * j / (A - 1) : 950;
}

static long draw_class(long K)
{
	long total = K * (K + 1) / 2, x = (long)below((uint64_t)total);

	for (long k = 0; k < K; k++) {
		x -= K - k;
		if (x < 0)
			return k;
	}
	return K - 1;
}

static long say(long j, long A, long K, long truth)
{
	long other;

	switch (kind_of(j, A)) {
	case RANDOM:
		return (long)below((uint64_t)K);
	case CONSTANT:
		return 0;
	case GOOD:
		break;
	}
	if ((long)below(1000) < accuracy(j, A))
		return truth;
	other = (long)below((uint64_t)K - 1);
	return other >= truth ? other + 1 : other;
}

static int bad(const char *msg, const char *arg)
{
	fprintf(stderr, PROG ": %s '%s'\n%s", msg, arg, usage);
	return 2;
}

static int number(const char *arg, long lo, long hi, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(arg, &end, 10);
	return errno || *end || end == arg || *out < lo || *out > hi;
}

static int parse(int argc, char **argv, struct opts *o)
{
	int c;
	char *end;

	*o = (struct opts){ 10000, 20, 5, 3, 1, NULL, NULL };
	while ((c = getopt(argc, argv, "n:a:r:k:s:t:q:h")) != -1) {
		switch (c) {
		case 'n':
			if (number(optarg, 1, 100000000, &o->items))
				return bad("-n: not a count in 1..1e8:",
					   optarg);
			break;
		case 'a':
			if (number(optarg, 3, 100000, &o->annotators))
				return bad("-a: not a count in 3..1e5:",
					   optarg);
			break;
		case 'r':
			if (number(optarg, 1, 100000, &o->per_item))
				return bad("-r: not a count >= 1:", optarg);
			break;
		case 'k':
			if (number(optarg, 2, 1000, &o->labels))
				return bad("-k: not a count in 2..1000:",
					   optarg);
			break;
		case 's':
			errno = 0;
			o->seed = strtoull(optarg, &end, 10);
			if (errno || *end || end == optarg || *optarg == '-')
				return bad("-s: not a seed:", optarg);
			break;
		case 't':
			o->truth = optarg;
			break;
		case 'q':
			o->quality = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return -1;
		default:
			fputs(usage, stderr);
			return 2;
		}
	}
	if (optind < argc)
		return bad("no operands expected, got", argv[optind]);
	if (o->per_item > o->annotators)
		return bad("-r: more than the annotators:", "-r");
	return 0;
}

static int write_quality(const struct opts *o)
{
	static const char *const kinds[] = { "good", "random", "constant" };
	FILE *f = fopen(o->quality, "w");
	long A = o->annotators, K = o->labels;

	if (!f)
		return -1;
	fprintf(f, "annotator,kind,accuracy\n");
	for (long j = 0; j < A; j++) {
		enum kind k = kind_of(j, A);
		/* expected accuracy: random 1/K; constant the prior of
		 * label 0, K / (K (K + 1) / 2) = 2 / (K + 1) */
		long num = k == GOOD ? accuracy(j, A) : 0;

		fprintf(f, "ann%02ld,%s,", j + 1, kinds[k]);
		if (k == GOOD)
			fprintf(f, "%ld.%03ld\n", num / 1000, num % 1000);
		else if (k == RANDOM)
			fprintf(f, "%.4f\n", 1.0 / (double)K);
		else
			fprintf(f, "%.4f\n", 2.0 / (double)(K + 1));
	}
	return fclose(f) ? -1 : 0;
}

static int generate(const struct opts *o, FILE *truth)
{
	long A = o->annotators, *who = malloc((size_t)A * sizeof *who);
	char lab[32];

	if (!who)
		return -1;
	for (long j = 0; j < A; j++)
		who[j] = j;
	printf("item,annotator,label\n");
	if (truth)
		fprintf(truth, "item,label\n");
	for (long i = 0; i < o->items; i++) {
		long t = draw_class(o->labels);

		if (truth) {
			label_name(t, o->labels, lab, sizeof lab);
			fprintf(truth, "t%ld,%s\n", i + 1, lab);
		}
		/* the first per_item of a partial Fisher-Yates shuffle */
		for (long r = 0; r < o->per_item; r++) {
			long k = r + (long)below((uint64_t)(A - r)), j = who[k];

			who[k] = who[r];
			who[r] = j;
			label_name(say(j, A, o->labels, t), o->labels, lab,
				   sizeof lab);
			printf("t%ld,ann%02ld,%s\n", i + 1, j + 1, lab);
		}
	}
	free(who);
	return ferror(stdout) ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct opts o;
	FILE *truth = NULL;
	uint64_t x;
	int rc = parse(argc, argv, &o);

	if (rc)
		return rc < 0 ? 0 : rc;
	x = o.seed;
	for (int i = 0; i < 4; i++)
		state[i] = splitmix(&x);
	if (o.quality && write_quality(&o)) {
		fprintf(stderr, PROG ": %s: %s\n", o.quality, strerror(errno));
		return 1;
	}
	if (o.truth && !(truth = fopen(o.truth, "w"))) {
		fprintf(stderr, PROG ": %s: %s\n", o.truth, strerror(errno));
		return 1;
	}
	rc = generate(&o, truth);
	if (truth && fclose(truth))
		rc = -1;
	if (rc || fflush(stdout)) {
		if (errno == EPIPE)
			return 0;
		fprintf(stderr, PROG ": write error: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
