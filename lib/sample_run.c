/*
 * lib/sample_run.c - sift_sample_run and sift_sample_check: the checks
 * every method shares, then the method's own, through its descriptor
 * (lib/sample_method.h); the run writes the header, calls the method,
 * and ends a shuffled sample or a partial.
 */
#include <stdlib.h>
#include <string.h>

#include "sift/sample.h"
#include "sample_method.h"

/* The descriptors, by enum sift_sample_method. */
static const struct sample_method *const methods[] = {
	[SIFT_SAMPLE_FIRST] = &sample_method_first,
	[SIFT_SAMPLE_RESERVOIR] = &sample_method_reservoir,
	[SIFT_SAMPLE_BERNOULLI] = &sample_method_bernoulli,
	[SIFT_SAMPLE_SYSTEMATIC] = &sample_method_systematic,
	[SIFT_SAMPLE_HASH] = &sample_method_hash,
	[SIFT_SAMPLE_STRATIFIED] = &sample_method_stratified,
	[SIFT_SAMPLE_QUOTA] = &sample_method_quota,
	[SIFT_SAMPLE_WEIGHTED] = &sample_method_weighted,
	[SIFT_SAMPLE_IMPORTANCE] = &sample_method_importance,
	[SIFT_SAMPLE_SNOWBALL] = &sample_method_snowball,
	[SIFT_SAMPLE_JUDGMENT] = &sample_method_judgment,
	[SIFT_SAMPLE_UNCERTAINTY] = &sample_method_uncertainty,
};

const struct sample_method *sample_method(enum sift_sample_method m)
{
	return methods[m];
}

int sift_sample_needs_rewind(const struct sift_sample_opts *o)
{
	return (unsigned)o->method <= SIFT_SAMPLE_UNCERTAINTY &&
	       methods[o->method]->passes == 2 && !o->partial;
}

/* The option that sets each field of enum sample_field, by bit, for
 * messages. */
static const char *const field_options[] = {
	"-n",
	"-p",
	"-k",
	"--key",
	"--by",
	"--per-stratum",
	"--min-per-stratum",
	"--weight",
	"--target",
	"--replace",
	"--emit-weight",
	"--allocation",
	"--seeds",
	"--user",
	"--links",
	"--waves",
	"--where",
	"--proba-prefix",
	"--by (a measure)",
	"--mix",
	"--partial",
};

/* The fields of o that are set, as enum sample_field bits. */
static unsigned fields_set(const struct sift_sample_opts *o)
{
	return (o->have_n ? SAMPLE_N : 0) | (o->have_p ? SAMPLE_P : 0) |
	       (o->every ? SAMPLE_EVERY : 0) | (o->key ? SAMPLE_KEY : 0) |
	       (o->by ? SAMPLE_BY : 0) |
	       (o->have_per_stratum ? SAMPLE_PER_STRATUM : 0) |
	       (o->have_min ? SAMPLE_MIN : 0) |
	       (o->weight ? SAMPLE_WEIGHT : 0) |
	       (o->target ? SAMPLE_TARGET : 0) |
	       (o->replace ? SAMPLE_REPLACE : 0) |
	       (o->emit_weight ? SAMPLE_EMIT_WEIGHT : 0) |
	       (o->have_allocation ? SAMPLE_ALLOCATION : 0) |
	       (o->seeds ? SAMPLE_SEEDS : 0) | (o->user ? SAMPLE_USER : 0) |
	       (o->links ? SAMPLE_LINKS : 0) |
	       (o->have_waves ? SAMPLE_WAVES : 0) |
	       (o->where ? SAMPLE_WHERE : 0) |
	       (o->proba_prefix ? SAMPLE_PROBA : 0) |
	       (o->have_measure ? SAMPLE_MEASURE : 0) |
	       (o->have_mix ? SAMPLE_MIX : 0) |
	       (o->partial ? SAMPLE_PARTIAL : 0);
}

/* The index of the lowest bit set in x (x != 0). */
static size_t lowest_bit(unsigned x)
{
	size_t i = 0;

	while (!(x & 1u)) {
		x >>= 1;
		i++;
	}
	return i;
}

/* What every method's options must satisfy: no field the method does
 * not take, and what --partial and -p need. */
static int check_common(const struct sift_sample_opts *o,
			const struct sample_method *method,
			struct sift_error *err)
{
	const char *m = sift_sample_method_name(o->method);
	unsigned extra = fields_set(o) & ~method->fields;

	if (extra & SAMPLE_EMIT_WEIGHT)
		return sift_error_set(err, SIFT_EUSAGE,
				      "--emit-weight: -m %s is not a "
				      "probability sample, so it has no "
				      "design weight",
				      m);
	if (extra)
		return sift_error_set(err, SIFT_EUSAGE,
				      "%s does not apply to -m %s",
				      field_options[lowest_bit(extra)], m);
	if (o->partial && (!o->shard || !*o->shard))
		return sift_error_set(err, SIFT_EUSAGE,
				      "--partial needs the shard's identity "
				      "(--shard ID), from which with the seed "
				      "its keys are drawn");
	if (o->partial && o->by && strlen(o->by) > SIFT_SAMPLE_MAX_BY)
		return sift_error_set(err, SIFT_EUSAGE,
				      "--by: longer than %d bytes, too long "
				      "for --partial",
				      SIFT_SAMPLE_MAX_BY);
	if (o->partial && o->emit_weight)
		return sift_error_set(err, SIFT_EUSAGE,
				      "--emit-weight goes with --merge, which "
				      "sees the whole input, not with "
				      "--partial");
	if (o->have_p && o->method != SIFT_SAMPLE_IMPORTANCE &&
	    !(o->p >= 0 && o->p <= 1))
		return sift_error_set(err, SIFT_EUSAGE,
				      "-p: P must be in [0, 1]");
	return 0;
}

int sift_sample_check(const struct sift_sample_opts *o, struct sift_error *err)
{
	if ((unsigned)o->method > SIFT_SAMPLE_UNCERTAINTY)
		return sift_error_set(err, SIFT_EUSAGE, "no sampling method %d",
				      (int)o->method);
	const struct sample_method *method = methods[o->method];
	int rc = check_common(o, method, err);

	return rc ? rc : method->check(o, err);
}

void sift_sample_stats_free(struct sift_sample_stats *stats)
{
	for (size_t i = 0; stats->strata && i < stats->n_strata; i++)
		free(stats->strata[i].name);
	free(stats->strata);
	stats->strata = NULL;
	stats->n_strata = 0;
}

/* ---- the run ---------------------------------------------------------- */

/* A partial ends with its trailer, once its shard's input has been read
 * to the end: a method that stopped early would be a bug, and would
 * otherwise pass a part of the shard for the whole. */
static int finish_partial(struct sampler *c)
{
	const struct sift_record *rec;
	int rc = sift_reader_next(c->r, &rec, c->err);

	if (!rc && rec)
		return sift_error_set(c->err, SIFT_EDATA,
				      "%s:%llu: --partial stopped before the "
				      "end of its input",
				      sift_reader_name(c->r),
				      (unsigned long long)rec->line);
	return rc ? rc : sample_partial_trailer(c);
}

int sift_sample_run(struct sift_reader *r, struct sift_writer *w,
		    const struct sift_sample_opts *o,
		    struct sift_sample_stats *stats, struct sift_error *err)
{
	struct sampler c;
	int rc;

	memset(stats, 0, sizeof *stats);
	rc = sift_sample_check(o, err);
	if (rc)
		return rc;
	const struct sample_method *method = methods[o->method];
	memset(&c, 0, sizeof c);
	c.r = r;
	c.w = w;
	c.o = o;
	c.st = stats;
	c.err = err;
	c.delim = sift_reader_delim(r);
	sift_writer_set_quoting(w, sift_reader_quoting(r));
	c.extra = method->column ? method->column(o) : o->emit_weight;
	if (o->partial)
		sample_partial_signature(o, c.partial, sizeof c.partial);

	if (o->partial && sift_reader_ncols(r) == 0)
		return sample_partial_empty(&c);
	if (o->partial && !sift_reader_header(r))
		return sift_error_set(err, SIFT_EUSAGE,
				      "--partial needs a header (not "
				      "--no-header): the merge matches the "
				      "partials of one input by it");
	if (sift_reader_ncols(r) == 0)
		return 0;
	sift_rng_seed(&c.rng, o->partial ? sample_partial_seed(o) : o->seed);
	rc = sample_write_header(&c);
	if (!rc)
		rc = method->run(&c);
	/* What sample_take held to shuffle. */
	if (!rc && c.n_held)
		rc = sample_write_array(&c, c.held, c.n_held);
	sample_free_records(c.held, c.cap_held);
	if (!rc && o->partial)
		rc = finish_partial(&c);
	return rc;
}
