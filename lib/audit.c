/*
 * lib/audit.c - an audit of a set of annotations (see sift/audit.h): it
 * gathers the agreement statistics (lib/audit_agreement.c), the Dawid-Skene
 * fit (lib/dawid_skene.c) and the review samples (lib/audit_review.c) into one
 * struct; lib/audit_format.c prints it.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sift/audit.h"
#include "sift/review.h"
#include "sift/rng.h"

void sift_audit_free(struct sift_audit *au)
{
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
	free(au->annotator);
	free(au->gold);
	memset(au, 0, sizeof *au);
}

const char *sift_audit_item_name(const struct sift_audit *au, size_t i)
{
	return sift_intern_str(au->set->items, i, NULL);
}

const char *sift_audit_annotator_name(const struct sift_audit *au, size_t j)
{
	return sift_intern_str(au->set->annotators, j, NULL);
}

const char *sift_audit_label_name(const struct sift_audit *au, size_t l)
{
	return sift_intern_str(au->set->labels, l, NULL);
}

/* The gold file: the columns named like the annotations' item and
 * label columns, else the first two, so that a plain two-column file
 * works whatever the annotations call them. */
static int gold_columns(struct sift_reader *r, const struct sift_audit_opts *o,
			size_t col[2], struct sift_error *err)
{
	if (sift_reader_column(r, o->gold_item, &col[0], err) &&
	    sift_reader_column(r, "1", &col[0], err))
		return err->code;
	if (sift_reader_column(r, o->gold_label, &col[1], err) &&
	    sift_reader_column(r, "2", &col[1], err))
		return err->code;
	return 0;
}

/* A gold label nobody gave becomes a label too: the consensus can then
 * never match it, which is what the accuracy should say. */
static int gold_row(struct sift_audit *au, struct sift_reader *r,
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
	if (!sift_intern_find(au->set->items, s[0], n[0], &i))
		return sift_error_set(err, SIFT_EDATA,
				      "%s:%llu: gold item '%.*s' is not among "
				      "the annotated items",
				      sift_reader_name(r),
				      (unsigned long long)rec->line,
				      (int)(n[0] > 200 ? 200 : n[0]), s[0]);
	if (n[1] == 0)
		return sift_error_set(
			err, SIFT_EDATA, "%s:%llu: the gold label is empty",
			sift_reader_name(r), (unsigned long long)rec->line);
	if (sift_intern_add(au->set->labels, s[1], n[1], &l))
		return sift_error_nomem(err);
	au->gold[i] = (unsigned)l;
	return 0;
}

static int load_gold(struct sift_audit *au, struct sift_reader *r,
		     struct sift_error *err)
{
	const struct sift_record *rec;
	size_t col[2];
	int rc;

	au->gold = malloc((au->n_items + 1) * sizeof *au->gold);
	if (!au->gold)
		return sift_error_nomem(err);
	for (size_t i = 0; i < au->n_items; i++)
		au->gold[i] = UINT32_MAX;
	if (!r)
		return 0;
	rc = gold_columns(r, &au->opts, col, err);
	while (!rc && !(rc = sift_reader_next(r, &rec, err)) && rec)
		rc = gold_row(au, r, rec, col, err);
	return rc;
}

static void totals(struct sift_audit *au)
{
	au->min_per_item = SIZE_MAX;
	for (size_t i = 0; i < au->n_items; i++) {
		size_t m = au->set->start[i + 1] - au->set->start[i];

		au->n_single += m == 1;
		au->min_per_item = m < au->min_per_item ? m : au->min_per_item;
		au->max_per_item = m > au->max_per_item ? m : au->max_per_item;
	}
}

static int agreement(struct sift_audit *au, struct sift_error *err)
{
	double *values = NULL;
	int rc;

	au->observed = sift_agree_observed(au->counts, au->n_items,
					   au->n_labels, &au->n_pairable);
	au->fleiss = sift_agree_fleiss(au->counts, au->n_items, au->n_labels);
	if (au->opts.level != SIFT_LEVEL_NOMINAL) {
		rc = sift_annotations_label_values(au->set, &values, err);
		if (rc)
			return rc;
	}
	au->alpha = sift_agree_alpha(au->counts, au->n_items, au->n_labels,
				     values, au->opts.level);
	free(values);
	return sift_agree_pairwise(&au->ratings, au->opts.min_overlap,
				   &au->pair_kappa, &au->pair_overlap, err);
}

static int dawid_skene(struct sift_audit *au, struct sift_error *err)
{
	struct sift_ds_opts o;
	int rc;

	if (au->n_labels < 2)
		return 0; /* one label: nothing to estimate */
	sift_annotations_ds_problem(au->set, &au->pb);
	au->pb.n_classes = au->pb.n_outputs = au->n_labels;
	sift_ds_opts_init(&o);
	rc = sift_ds_fit(&au->pb, &o, &au->fit, err);
	if (rc)
		return rc;
	au->have_ds = 1;
	return 0;
}

/* The consensus of every item: Dawid-Skene's most probable class and
 * its posterior, or the majority and its share. */
static void consensus(struct sift_audit *au)
{
	int use_ds = au->have_ds && au->opts.consensus != SIFT_AUDIT_MAJORITY;

	sift_agree_majority(au->counts, au->n_items, au->n_labels, au->majority,
			    au->majority_share);
	for (size_t i = 0; i < au->n_items; i++) {
		au->disagreement[i] = 1 - au->majority_share[i];
		if (use_ds) {
			au->consensus[i] = (unsigned)sift_ds_map(&au->fit, i);
			au->confidence[i] = au->fit.posterior[i * au->n_labels +
							      au->consensus[i]];
		} else {
			au->consensus[i] = au->majority[i];
			au->confidence[i] = au->majority_share[i];
		}
	}
}

static void gold_accuracy(struct sift_audit *au)
{
	double n = 0, maj = 0, ds = 0;

	for (size_t i = 0; i < au->n_items; i++) {
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
static void tally(struct sift_audit *au, double *table)
{
	size_t K = au->n_labels;

	memset(table, 0, au->n_annotators * K * K * sizeof *table);
	for (size_t i = 0; i < au->n_items; i++)
		for (size_t o = au->set->start[i]; o < au->set->start[i + 1];
		     o++) {
			size_t j = au->set->rater[o];
			unsigned l = au->set->label[o];
			struct sift_audit_annotator *an = &au->annotator[j];

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

static int annotators(struct sift_audit *au, struct sift_error *err)
{
	size_t K = au->n_labels, J = au->n_annotators;
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
		struct sift_audit_annotator *an = &au->annotator[j];
		struct sift_agree_profile p = {
			K, au->said + j * K, au->cons_dist + j * K,
			0, shared[j],        au->opts.min_overlap
		};

		an->loo = loo[j];
		an->shared = shared[j];
		an->kappa = sift_agree_cohen(table + j * K * K, K,
					     SIFT_WEIGHT_NONE);
		p.kappa = an->kappa;
		an->flags = sift_agree_flags(&p, &an->biased_to);
		sift_agree_wilson(an->gold_right, an->gold_n, au->z,
				  &an->gold_lo, &an->gold_hi);
		an->ds_accuracy =
			au->have_ds ? sift_ds_accuracy(&au->pb, &au->fit, j)
				    : NAN;
	}
	free(table);
	free(loo);
	free(shared);
	return 0;
}

/* Agreement is skipped for a consensus alone (it is not printed), and
 * Dawid-Skene for a majority consensus (it is not needed). */
static int figures(struct sift_audit *au, struct sift_error *err)
{
	int rc = 0;

	totals(au);
	if (au->opts.consensus == SIFT_AUDIT_REPORT) {
		rc = agreement(au, err);
		if (rc)
			return rc;
	}
	if (au->opts.consensus != SIFT_AUDIT_MAJORITY)
		rc = dawid_skene(au, err);
	if (rc)
		return rc;
	consensus(au);
	gold_accuracy(au);
	return au->opts.consensus == SIFT_AUDIT_REPORT ? annotators(au, err)
						       : 0;
}

static int alloc_audit(struct sift_audit *au, struct sift_error *err)
{
	size_t I = au->n_items + 1, JK = au->n_annotators * au->n_labels + 1;

	au->majority = malloc(I * sizeof *au->majority);
	au->consensus = malloc(I * sizeof *au->consensus);
	au->majority_share = malloc(I * sizeof *au->majority_share);
	au->confidence = malloc(I * sizeof *au->confidence);
	au->disagreement = malloc(I * sizeof *au->disagreement);
	au->said = calloc(JK, sizeof *au->said);
	au->cons_dist = calloc(JK, sizeof *au->cons_dist);
	au->annotator = calloc(au->n_annotators + 1, sizeof *au->annotator);
	if (!au->majority || !au->consensus || !au->majority_share ||
	    !au->confidence || !au->disagreement || !au->said ||
	    !au->cons_dist || !au->annotator)
		return sift_error_nomem(err);
	return 0;
}

void sift_audit_opts_init(struct sift_audit_opts *o)
{
	o->level = SIFT_LEVEL_NOMINAL;
	o->confidence = 0.95;
	o->min_overlap = 20;
	o->consensus = SIFT_AUDIT_REPORT;
	o->gold_item = "item";
	o->gold_label = "label";
}

/* The gold file is read first: a gold label nobody gave adds a label,
 * and every array below is sized by the labels. */
int sift_audit_run(struct sift_audit *au, struct sift_annotations *set,
		   struct sift_reader *gold, const struct sift_audit_opts *o,
		   struct sift_error *err)
{
	int rc;

	memset(au, 0, sizeof *au);
	au->opts = *o;
	au->set = set;
	au->n_items = sift_annotations_n_items(set);
	au->n_annotators = sift_annotations_n_annotators(set);
	rc = load_gold(au, gold, err);
	if (rc)
		return rc;
	au->n_labels = sift_annotations_n_labels(au->set);
	sift_annotations_ratings(au->set, &au->ratings);
	au->z = sift_agree_normal_quantile(1 - (1 - au->opts.confidence) / 2);
	rc = sift_agree_counts(&au->ratings, &au->counts, err);
	if (!rc)
		rc = alloc_audit(au, err);
	return rc ? rc : figures(au, err);
}

/* ---- --review: the items to look at again, the re-check samples ---- */

void sift_audit_review_free(struct sift_audit_review *rv)
{
	free(rv->top);
	free(rv->first);
	free(rv->obs);
	free(rv->population);
	memset(rv, 0, sizeof *rv);
}

/* Every annotator's sample size (Cochran, with the finite-population
 * correction, at p = 0.5: the largest, as nothing is known yet). */
static int sample_sizes(const struct sift_audit *au,
			struct sift_audit_review *rv, struct sift_error *err)
{
	size_t J = au->n_annotators;

	rv->first = calloc(J + 2, sizeof *rv->first);
	rv->population = calloc(J + 1, sizeof *rv->population);
	if (!rv->first || !rv->population)
		return sift_error_nomem(err);
	for (size_t j = 0; j < J; j++) {
		rv->population[j] = au->annotator[j].n;
		rv->first[j + 1] =
			rv->first[j] +
			sift_review_sample_size(au->annotator[j].n, rv->margin,
						au->z, 0.5);
	}
	rv->obs = malloc((rv->first[J] + 1) * sizeof *rv->obs);
	return rv->obs ? 0 : sift_error_nomem(err);
}

/* The draw: annotators in order from one generator, so that a seed
 * fixes the whole sample. pos lists each annotator's annotations,
 * grouped by annotator; fill is where each group starts. */
static void draw(const struct sift_audit *au, struct sift_audit_review *rv,
		 size_t *pos, size_t *fill)
{
	size_t J = au->n_annotators;
	struct sift_rng rng;

	for (size_t j = 1; j <= J; j++)
		fill[j] = fill[j - 1] + au->annotator[j - 1].n;
	for (size_t o = 0; o < au->set->n_obs; o++)
		pos[fill[au->set->rater[o]]++] = o;
	sift_rng_seed(&rng, rv->seed);
	for (size_t j = 0, at = 0; j < J; j++) {
		size_t n = rv->first[j + 1] - rv->first[j];
		size_t *mine = pos + at, *out = rv->obs + rv->first[j];

		sift_review_draw(&rng, au->annotator[j].n, n, out);
		for (size_t k = 0; k < n; k++)
			out[k] = mine[out[k]];
		at += au->annotator[j].n;
	}
}

static int draw_rechecks(const struct sift_audit *au,
			 struct sift_audit_review *rv, struct sift_error *err)
{
	size_t *pos = malloc((au->set->n_obs + 1) * sizeof *pos);
	size_t *fill = calloc(au->n_annotators + 1, sizeof *fill);
	int rc =
		pos && fill ? sample_sizes(au, rv, err) : sift_error_nomem(err);

	if (!rc)
		draw(au, rv, pos, fill);
	free(pos);
	free(fill);
	return rc;
}

int sift_audit_review(const struct sift_audit *au, uint64_t n, double margin,
		      uint64_t seed, struct sift_audit_review *rv,
		      struct sift_error *err)
{
	size_t n_top = n < au->n_items ? (size_t)n : au->n_items;
	int rc;

	memset(rv, 0, sizeof *rv);
	rv->margin = margin;
	rv->seed = seed;
	rv->top = malloc((n_top + 1) * sizeof *rv->top);
	if (!rv->top)
		return sift_error_nomem(err);
	rc = sift_review_top(au->confidence, au->disagreement, au->n_items,
			     n_top, rv->top, &rv->n_top, err);
	return rc ? rc : draw_rechecks(au, rv, err);
}

/* A binary search over start[]: the annotations are grouped by item. */
size_t sift_audit_item_of(const struct sift_audit *au, size_t o)
{
	size_t lo = 0, hi = au->n_items;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (au->set->start[mid] <= o)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}
