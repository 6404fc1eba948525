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

/* What every method's options must satisfy: a design weight only for
 * a probability sample, and a partial only of a method that merges. */
static int check_common(const struct sift_sample_opts *o,
			const struct sample_method *method,
			struct sift_error *err)
{
	const char *m = sift_sample_method_name(o->method);

	if (o->emit_weight && !method->probability)
		return sift_error_set(err, SIFT_EUSAGE,
				      "emit_weight: %s sampling is not a "
				      "probability sample, so it has no "
				      "design weight",
				      m);
	if (o->emit_weight && !*o->emit_weight)
		return sift_error_set(err, SIFT_EUSAGE,
				      "emit_weight: the column needs a name");
	if (!o->partial)
		return 0;
	if (!method->merge ||
	    (o->method == SIFT_SAMPLE_WEIGHTED && o->weighted.replace))
		return sift_error_set(err, SIFT_EUSAGE,
				      "partial: %s sampling%s cannot be "
				      "merged",
				      m,
				      o->method == SIFT_SAMPLE_WEIGHTED
					      ? " with replacement"
					      : "");
	if (!o->shard || !*o->shard)
		return sift_error_set(err, SIFT_EUSAGE,
				      "partial: the shard's identity (shard) "
				      "is not set; with the seed it draws "
				      "the keys");
	if (o->emit_weight)
		return sift_error_set(err, SIFT_EUSAGE,
				      "partial: emit_weight goes with the "
				      "merge, which sees the whole input");
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
				      "%s:%llu: `partial` stopped before the "
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
				      "`partial` needs a header (not "
				      "`no_header`): the merge matches the "
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
