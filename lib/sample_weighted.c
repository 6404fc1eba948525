/*
 * lib/sample_weighted.c - weighted sampling, with and without
 * replacement, and importance sampling (see sift/sample.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sift/sampling.h"
#include "sample_method.h"

/* ---- weighted --------------------------------------------------------- */

/* The next of n draws after draw j that a record taking each draw with
 * probability p takes over; n when none does (without overflow: a skip
 * may be UINT64_MAX). */
static uint64_t next_draw(struct sampler *c, uint64_t j, uint64_t n, double p)
{
	uint64_t skip = sift_geometric_skip(&c->rng, p);

	return skip >= n - j - 1 ? n : j + 1 + skip;
}

/* A weight column that is 0 in every record: nothing can be drawn. */
static void note_all_zero(struct sampler *c, const struct sift_colexpr *col,
			  const char *what)
{
	sample_note(c,
		    "column '%s': the %s of the %llu records are all 0: "
		    "no record can be drawn, the sample is empty",
		    sift_colexpr_text(col), what,
		    (unsigned long long)c->st->n_in);
}

/* Move slot drop (the threshold record) to the end of the n held. */
static void set_aside(struct sample_record *slots, size_t n, size_t drop)
{
	struct sample_record tmp = slots[drop];

	slots[drop] = slots[n - 1];
	slots[n - 1] = tmp;
}

/* Without replacement: A-ExpJ keeps the n + 1 largest keys, the extra
 * one giving the threshold for the inclusion probabilities. Given the
 * (n+1)-th smallest exponential key tau = E/w, record i of weight w_i is
 * in the sample with probability 1 - exp(-w_i tau) (the rank-conditioning
 * estimator of Cohen and Kaplan, 2007), which makes 1/pi unbiased. */
static int sample_weighted(struct sampler *c)
{
	const struct sift_record *rec;
	struct sift_es es;
	struct sample_record *slots = NULL;
	size_t cap = 0;
	uint64_t n_pos = 0;
	struct sift_colexpr *col;
	int rc = sift_colexpr_open(c->r, c->o->weighted.weight, "weight", &col,
				   c->err);

	if (rc)
		return rc;
	if (sift_es_init(&es, sample_plus_one(c->o->weighted.n), &c->rng)) {
		sift_colexpr_free(col);
		return sift_error_nomem(c->err);
	}
	while (!rc) {
		double w;
		size_t slot;

		rc = sample_next(c, &rec);
		if (rc || !rec)
			break;
		rc = sample_read_weight(c, rec, col, "weight", &w);
		if (rc)
			break;
		n_pos += w > 0;
		int entered;
		double key = 0;
		if (c->o->partial) {
			/* A key for every record, which the merge compares
			 * across shards: the same log(u)/w as A-ExpJ,
			 * without the jumps. */
			key = log(sample_partial_key(c)) / w;
			entered = w > 0 ? sift_topk_offer(&es.top, key, &slot)
					: 0;
		} else {
			entered = sift_es_offer(&es, w, &slot);
		}
		if (entered < 0)
			rc = sift_error_nomem(c->err);
		if (entered <= 0)
			continue;
		rc = sample_copy_at(c, &slots, &cap, slot, rec, w);
		if (!rc) {
			slots[slot].key = key;
			slots[slot].count = w;
		}
	}
	c->st->n_in = sift_reader_count(c->r);
	size_t n = es.top.n;
	if (!rc && c->o->partial) {
		/* All n + 1: the merge needs the threshold candidates too. */
		for (size_t i = 0; i < n; i++)
			slots[i].weight = NAN;
		rc = sample_write_array(c, slots, n);
	} else if (!rc && n == es.top.k) {
		double tau = -sift_topk_min(&es.top);
		size_t drop = sift_topk_min_slot(&es.top);

		for (size_t i = 0; i < n; i++)
			slots[i].weight = 1.0 / -expm1(-slots[i].w_in * tau);
		/* Move the threshold record out of the sample. */
		set_aside(slots, n, drop);
		rc = sample_write_array(c, slots, n - 1);
	} else if (!rc) {
		for (size_t i = 0; i < n; i++)
			slots[i].weight = 1.0;
		if (n_pos == 0 && c->st->n_in > 0)
			note_all_zero(c, col, "weights");
		else if (n_pos < c->o->weighted.n && c->st->n_in > 0)
			sample_note(c,
				    "`n` %llu is more than the %llu records of "
				    "positive weight: all are kept",
				    (unsigned long long)c->o->weighted.n,
				    (unsigned long long)n_pos);
		rc = sample_write_array(c, slots, n);
	}
	sample_free_records(slots, cap);
	sift_es_free(&es);
	sift_colexpr_free(col);
	return rc;
}

/* With replacement: n independent draws, each a weighted reservoir of
 * one (record i replaces the draw's holder with probability w_i / W_i,
 * W_i the weight seen so far). The draws a record takes over are found by
 * geometric skips over the n draws, so a record costs O(1 + n w_i / W_i).
 * A record drawn m times is written m times, each with the
 * Hansen-Hurwitz weight W / (n w_i). */
static int sample_weighted_replace(struct sampler *c)
{
	const struct sift_record *rec;
	const uint64_t n = c->o->weighted.n;
	struct sample_record **draw = NULL;
	struct sift_colexpr *col = NULL;
	double total = 0;
	int rc = sift_colexpr_open(c->r, c->o->weighted.weight, "weight", &col,
				   c->err);

	if (!rc && n > 0 && !(draw = calloc((size_t)n, sizeof *draw)))
		rc = sift_error_nomem(c->err);
	while (!rc) {
		double w;

		rc = sample_next(c, &rec);
		if (rc || !rec)
			break;
		rc = sample_read_weight(c, rec, col, "weight", &w);
		if (rc || !(w > 0))
			continue;
		total += w;
		struct sample_record *k = NULL;
		for (uint64_t j = sift_geometric_skip(&c->rng, w / total);
		     j < n; j = next_draw(c, j, n, w / total)) {
			if (!k) {
				k = calloc(1, sizeof *k);
				if (!k || sample_copy(c, k, rec)) {
					free(k);
					rc = sift_error_nomem(c->err);
					break;
				}
				k->w_in = w;
			}
			if (draw[j] && --draw[j]->refs == 0) {
				free(draw[j]->raw);
				free(draw[j]);
			}
			draw[j] = k;
			k->refs++;
		}
	}
	c->st->n_in = sift_reader_count(c->r);
	size_t m = 0;
	for (uint64_t j = 0; draw && j < n; j++)
		if (draw[j]) {
			draw[j]->weight = total / ((double)n * draw[j]->w_in);
			draw[m++] = draw[j];
		}
	if (!rc && total == 0 && c->st->n_in > 0)
		note_all_zero(c, col, "weights");
	if (!rc)
		rc = sample_write_held(c, draw, m);
	for (size_t j = 0; j < m; j++)
		if (--draw[j]->refs == 0) {
			free(draw[j]->raw);
			free(draw[j]);
		}
	free(draw);
	sift_colexpr_free(col);
	return rc;
}

/* ---- importance -------------------------------------------------------- */

/* Records are drawn with probability growing with the proposal Q and
 * weighted by (P / mean P) / pi, pi their inclusion probability: with
 * -n, priority sampling (Duffield, Lund and Thorup 2007: priority Q/u,
 * the n largest kept, tau the (n+1)-th, pi = min(1, Q/tau)); with -p,
 * Poisson sampling (pi = min(1, rate Q)). */
static int sample_importance(struct sampler *c)
{
	const struct sift_record *rec;
	const int poisson = c->o->importance.by_rate;
	struct sift_topk top = { 0 };
	struct sample_record *slots = NULL;
	size_t cap = 0, n_held = 0;
	struct sift_colexpr *qcol = NULL, *pcol = NULL;
	double sum_target = 0;
	uint64_t n_pos = 0, n_unreachable = 0;
	int rc = sift_colexpr_open(c->r, c->o->importance.weight, "weight",
				   &qcol, c->err);

	if (!rc && c->o->importance.target)
		rc = sift_colexpr_open(c->r, c->o->importance.target, "target",
				       &pcol, c->err);
	if (!rc && !poisson)
		sift_topk_init(&top, sample_plus_one(c->o->importance.n));
	while (!rc) {
		double q, p = 1.0, u;
		size_t slot;

		rc = sample_next(c, &rec);
		if (rc || !rec)
			break;
		rc = sample_read_weight(c, rec, qcol, "proposal", &q);
		if (!rc && c->o->importance.target)
			rc = sample_read_weight(c, rec, pcol, "target", &p);
		if (rc)
			break;
		sum_target += p;
		if (!(q > 0)) {
			n_unreachable += p > 0;
			continue;
		}
		n_pos++;
		u = sift_rng_uniform_pos(&c->rng);
		if (poisson) {
			if (u >= c->o->importance.rate * q)
				continue;
			slot = n_held++;
		} else {
			int entered = sift_topk_offer(&top, q / u, &slot);

			if (entered < 0)
				rc = sift_error_nomem(c->err);
			if (entered <= 0)
				continue;
		}
		rc = sample_copy_at(c, &slots, &cap, slot, rec, q);
		if (!rc) {
			slots[slot].target = p;
		}
	}
	c->st->n_in = sift_reader_count(c->r);
	if (rc)
		goto out;
	if (sum_target == 0 && c->st->n_in > 0) {
		rc = sift_error_set(c->err, SIFT_EDATA,
				    "%s: column '%s' (`target`): the targets "
				    "of the %llu records are all 0: the "
				    "importance weights P / mean P are "
				    "undefined",
				    sift_reader_name(c->r),
				    sift_colexpr_text(pcol),
				    (unsigned long long)c->st->n_in);
		goto out;
	}
	if (n_pos == 0 && c->st->n_in > 0)
		note_all_zero(c, qcol, "proposals");
	else if (!poisson && n_pos < c->o->importance.n && n_pos > 0)
		sample_note(c,
			    "`n` %llu is more than the %llu records of "
			    "positive proposal: all are kept",
			    (unsigned long long)c->o->importance.n,
			    (unsigned long long)n_pos);
	if (n_unreachable && n_pos > 0)
		sample_note(c,
			    "%llu records have proposal 0 and can never be "
			    "drawn: weighted sums over the sample leave them "
			    "out",
			    (unsigned long long)n_unreachable);
	double mean_target = c->st->n_in ? sum_target / (double)c->st->n_in : 1;
	double tau = 0;
	if (!poisson) {
		n_held = top.n;
		if (top.n == top.k) {
			size_t drop = sift_topk_min_slot(&top);

			tau = sift_topk_min(&top);
			set_aside(slots, n_held, drop);
			n_held--;
		}
	}
	for (size_t i = 0; i < n_held; i++) {
		double q = slots[i].w_in;
		double pi = poisson ? c->o->importance.rate * q : q / tau;

		if (!(pi < 1))
			pi = 1;
		slots[i].weight = slots[i].target / mean_target / pi;
	}
	rc = sample_write_array(c, slots, n_held);
out:
	sample_free_records(slots, cap);
	sift_topk_free(&top);
	sift_colexpr_free(qcol);
	sift_colexpr_free(pcol);
	return rc;
}

static int weighted_run(struct sampler *c)
{
	return c->o->weighted.replace ? sample_weighted_replace(c)
				      : sample_weighted(c);
}

/* ---- merging weighted partials ---------------------------------------- */

/* The n largest of the n + 1 largest log-keys over all shards; the
 * (n+1)-th is the threshold tau, and a record of weight w was kept with
 * probability 1 - exp(-w tau). */
static int weighted_merge(const struct sample_signature *sig,
			  struct sample_pool *pools, size_t n_pools,
			  struct sample_record **out, size_t *n_out,
			  struct sift_error *err)
{
	(void)sig;
	(void)err;
	*n_out = 0;
	for (size_t h = 0; h < n_pools; h++) {
		struct sample_pool *p = &pools[h];
		size_t drop = SIZE_MAX;
		double tau = 0;

		if (p->top.n == p->top.k) {
			tau = -sift_topk_min(&p->top);
			drop = sift_topk_min_slot(&p->top);
		}
		for (size_t i = 0; i < p->top.n; i++) {
			struct sample_record *k = &p->slots[i];

			if (i == drop)
				continue;
			k->weight =
				tau > 0 ? 1.0 / -expm1(-k->w_in * tau) : 1.0;
			out[(*n_out)++] = k;
		}
	}
	return 0;
}

/* ---- the descriptors -------------------------------------------------- */

static int weighted_check(const struct sift_sample_opts *o,
			  struct sift_error *err)
{
	return o->weighted.weight ? 0 : sample_unset(err, "weighted.weight");
}

static int importance_check(const struct sift_sample_opts *o,
			    struct sift_error *err)
{
	if (!o->importance.weight)
		return sample_unset(err, "importance.weight");
	if (o->importance.by_rate && !(o->importance.rate >= 0))
		return sift_error_set(err, SIFT_EUSAGE,
				      "importance.rate: %g is not >= 0",
				      o->importance.rate);
	return 0;
}

const struct sample_method sample_method_weighted = {
	.probability = 1,
	.passes = 1,
	.check = weighted_check,
	.run = weighted_run,
	.merge = weighted_merge,
};

const struct sample_method sample_method_importance = {
	.probability = 1,
	.passes = 1,
	.check = importance_check,
	.run = sample_importance,
};
