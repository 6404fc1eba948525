/*
 * lib/sample_judgment.c - judgment sampling: the records an expert's criterion
 * selects, written in the condition language of sift-rules(5) (the one
 * parser, lib/rules.c), optionally capped at n drawn uniformly from the
 * matches (bottom-n of random keys, in input order).
 */
#include <math.h>
#include <stdlib.h>

#include "sift/rules.h"
#include "sift/sampling.h"
#include "sample_method.h"

static int get_field(void *ctx, size_t col, const char **s, size_t *len,
		     struct sift_error *err)
{
	return sift_reader_field(ctx, col, s, len, err);
}

static const char **column_names(struct sift_reader *r)
{
	size_t n = sift_reader_ncols(r);
	const char **names = malloc((n ? n : 1) * sizeof *names);

	for (size_t i = 0; names && i < n; i++)
		names[i] = sift_reader_colname(r, i);
	return names;
}

static int sample_judgment(struct sampler *c)
{
	const struct sift_record *rec;
	const char **names = column_names(c->r);
	struct sift_cond *cond = NULL;
	struct sift_topk top = { 0 };
	struct sample_record *slots = NULL;
	size_t cap = 0;
	const uint64_t n = c->o->judgment.n;
	const int all = n == SIFT_SAMPLE_ALL;
	uint64_t limited = 0, matched = 0;
	char where[64];
	int rc = 0;

	if (!names)
		return sift_error_nomem(c->err);
	cond = sift_cond_compile(c->o->judgment.where,
				 sift_option_word("where", where, sizeof where),
				 names, sift_reader_ncols(c->r), NULL, c->err);
	if (!cond)
		rc = c->err->code;
	if (!all)
		sift_topk_init(&top, (size_t)(n ? n : 1));
	while (!rc) {
		int yes = 0, hit = 0;
		size_t slot;

		rc = sample_next(c, &rec);
		if (rc || !rec)
			break;
		rc = sift_cond_eval(cond, get_field, c->r, &yes, &hit, c->err);
		limited += hit;
		if (rc || !yes)
			continue;
		matched++;
		if (all) {
			rc = sample_take(c, rec, NAN);
			continue;
		}
		if (n == 0)
			continue;
		int entered = sift_topk_offer(
			&top, -sift_rng_uniform_pos(&c->rng), &slot);
		if (entered < 0)
			rc = sift_error_nomem(c->err);
		if (entered > 0)
			rc = sample_copy_at(c, &slots, &cap, slot, rec, 0);
	}
	c->st->n_in = sift_reader_count(c->r);
	if (!rc && !all)
		rc = sample_write_array(c, slots, top.n);
	if (!rc && limited)
		sample_note(c,
			    "%llu records hit a regular-expression limit "
			    "in `where` and count as not matching",
			    (unsigned long long)limited);
	if (!rc && !all && matched > n)
		sample_note(c, "%llu records match; %llu drawn at random",
			    (unsigned long long)matched, (unsigned long long)n);
	sample_free_records(slots, cap);
	sift_topk_free(&top);
	sift_cond_free(cond);
	free(names);
	return rc;
}

static int judgment_check(const struct sift_sample_opts *o,
			  struct sift_error *err)
{
	return o->judgment.where ? 0 : sample_unset(err, "judgment.where");
}

const struct sample_method sample_method_judgment = {
	.passes = 1,
	.check = judgment_check,
	.run = sample_judgment,
};
