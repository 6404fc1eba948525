/*
 * lib/train_read.c - reading sift train's input into a dataset: each
 * record's label, weight and hashed features (see train_impl.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sift/colexpr.h"
#include "sift/intern.h"
#include "sift/mem.h"
#include "sift/parse.h"
#include "train_impl.h"

struct source {
	struct sift_reader *r;
	size_t *cols;
	struct sift_colexpr *label, *weight; /* weight: NULL without -w */
	struct sift_colexpr *group;          /* NULL without groups */
	struct train_groups *groups;
};

static void close_source(struct source *s)
{
	free(s->cols);
	sift_colexpr_free(s->label);
	sift_colexpr_free(s->weight);
	sift_colexpr_free(s->group);
}

static int ds_push(struct sift_dataset *d, const struct sift_feat_vec *v,
		   int32_t label, double weight, struct sift_error *err)
{
	/* off has one entry more than the records: room for n + 2 */
	if (d->n + 1 >= d->rec_cap) {
		size_t cap = sift_grow_cap(d->rec_cap, d->n + 2, 1024);

		if (sift_resize(&d->off, cap + 1, sizeof *d->off) ||
		    sift_resize(&d->label, cap, sizeof *d->label) ||
		    sift_resize(&d->weight, cap, sizeof *d->weight))
			return sift_error_nomem(err);
		if (d->n == 0)
			d->off[0] = 0;
		d->rec_cap = cap;
	}
	if (d->n_feat + v->n > d->cap) {
		size_t cap = sift_grow_cap(d->cap, d->n_feat + v->n, 65536);

		if (sift_resize(&d->idx, cap, sizeof *d->idx) ||
		    sift_resize(&d->val, cap, sizeof *d->val))
			return sift_error_nomem(err);
		d->cap = cap;
	}
	if (v->n) { /* d->idx is still NULL before the first feature */
		memcpy(d->idx + d->n_feat, v->idx, v->n * sizeof *v->idx);
		memcpy(d->val + d->n_feat, v->val, v->n * sizeof *v->val);
	}
	d->n_feat += v->n;
	d->label[d->n] = label;
	d->weight[d->n] = weight;
	d->n++;
	d->off[d->n] = d->n_feat;
	return 0;
}

static int read_weight(struct source *s, const struct sift_record *rec,
		       double *w, struct sift_error *err)
{
	const char *f;
	size_t len;
	int rc;

	*w = 1;
	if (!s->weight)
		return 0;
	if ((rc = sift_colexpr_get(s->r, rec, s->weight, &f, &len, err)))
		return rc;
	if (sift_parse_double(f, len, w) || *w < 0)
		return sift_colexpr_error(s->r, rec->line, s->weight, "weight",
					  f, len, "is not a finite number >= 0",
					  err);
	return 0;
}

/* The group of record rec, by its value of the group column (an empty
 * value is a group like any other). */
static int read_group(struct source *s, const struct sift_record *rec,
		      struct sift_error *err)
{
	struct train_groups *g = s->groups;
	const char *f;
	size_t len, id;
	int rc;

	if ((rc = sift_colexpr_get(s->r, rec, s->group, &f, &len, err)))
		return rc;
	if (g->n >= g->cap) {
		size_t cap = sift_grow_cap(g->cap, g->n + 1, 1024);

		if (sift_resize(&g->id, cap, sizeof *g->id))
			return sift_error_nomem(err);
		g->cap = cap;
	}
	if (sift_intern_add(g->names, f, len, &id))
		return sift_error_nomem(err);
	g->id[g->n++] = (uint32_t)id;
	return 0;
}

/* Read every record of s into d. classes: training interns new labels
 * (add 1); validation only finds them (add 0). */
static int load(struct source *s, const struct sift_feat_spec *spec,
		struct sift_intern *classes, int add, struct sift_dataset *d,
		struct sift_error *err)
{
	struct sift_feat_vec v;
	const struct sift_record *rec;
	int rc = 0;

	sift_feat_vec_init(&v);
	d->text_tokens = calloc(spec->n_text + 1, sizeof *d->text_tokens);
	if (!d->text_tokens)
		return sift_error_nomem(err);
	while (!(rc = sift_reader_next(s->r, &rec, err)) && rec) {
		const char *f;
		size_t len, id = 0;
		double w;
		int32_t label = -1;

		if ((rc = sift_colexpr_get(s->r, rec, s->label, &f, &len, err)))
			break;
		if (len && add && sift_intern_add(classes, f, len, &id)) {
			rc = sift_error_nomem(err);
			break;
		}
		if (len && !add && !sift_intern_find(classes, f, len, &id)) {
			rc = sift_colexpr_error(s->r, rec->line, s->label,
						"label", f, len,
						"is not among the training "
						"classes",
						err);
			break;
		}
		if (len)
			label = (int32_t)id;
		else
			d->n_unlabeled++;
		if ((rc = read_weight(s, rec, &w, err)) ||
		    (rc = sift_features_extract(spec, s->r, rec->line, s->cols,
						1, &v, d->text_tokens, err)) ||
		    (rc = ds_push(d, &v, label, w, err)) ||
		    (s->group && (rc = read_group(s, rec, err))))
			break;
	}
	sift_feat_vec_free(&v);
	return rc;
}

static int open_source(struct source *s, struct sift_reader *r,
		       const struct sift_feat_spec *spec,
		       const struct sift_train_opts *o, struct sift_error *err)
{
	int rc;

	memset(s, 0, sizeof *s);
	s->r = r;
	if ((rc = sift_colexpr_open(r, o->label, "label", &s->label, err)))
		return rc;
	if (o->weight &&
	    (rc = sift_colexpr_open(r, o->weight, "weight", &s->weight, err)))
		return rc;
	return sift_features_bind(spec, r, &s->cols, err);
}

/* Class ids in bytewise order of their names, so that the model does not
 * depend on which label came first. */
static int sort_classes(struct sift_intern *t, struct sift_model *m,
			struct sift_dataset *d, struct sift_intern **sorted,
			struct sift_error *err)
{
	size_t k = sift_intern_count(t);
	size_t *order = malloc((k ? k : 1) * sizeof *order);
	int32_t *to = malloc((k ? k : 1) * sizeof *to);
	int rc = 0;

	if (!order || !to) {
		rc = sift_error_nomem(err);
		goto out;
	}
	for (size_t i = 0; i < k; i++)
		order[i] = i;
	for (size_t i = 1; i < k; i++) /* insertion sort: k is small */
		for (size_t j = i; j > 0; j--) {
			size_t la, lb;
			const char *a = sift_intern_str(t, order[j - 1], &la);
			const char *b = sift_intern_str(t, order[j], &lb);
			int c = memcmp(a, b, la < lb ? la : lb);

			if (c < 0 || (c == 0 && la <= lb))
				break;
			size_t tmp = order[j];

			order[j] = order[j - 1];
			order[j - 1] = tmp;
		}
	if (!(*sorted = sift_intern_new())) {
		rc = sift_error_nomem(err);
		goto out;
	}
	for (size_t i = 0; i < k && !rc; i++) {
		size_t len, id;
		const char *name = sift_intern_str(t, order[i], &len);

		to[order[i]] = (int32_t)i;
		rc = sift_model_add_class(m, name, err);
		if (!rc && sift_intern_add(*sorted, name, len, &id))
			rc = sift_error_nomem(err);
	}
	for (size_t i = 0; i < d->n && !rc; i++)
		if (d->label[i] >= 0)
			d->label[i] = to[d->label[i]];
out:
	free(order);
	free(to);
	return rc;
}

int train_load(struct train_run *u, struct sift_reader *r,
	       struct sift_dataset *vd, struct sift_error *err)
{
	struct sift_intern *seen = sift_intern_new(), *sorted = NULL;
	struct sift_reader *vr = NULL;
	struct source src = { 0 }, vsrc = { 0 };
	int rc;

	if (!seen)
		return sift_error_nomem(err);
	if ((rc = open_source(&src, r, &u->m->spec, u->o, err)))
		goto out;
	if (u->groups) {
		src.groups = u->groups;
		if (!(u->groups->names = sift_intern_new())) {
			rc = sift_error_nomem(err);
			goto out;
		}
		if ((rc = sift_colexpr_open(r, u->groups->column, "group",
					    &src.group, err)))
			goto out;
	}
	if ((rc = load(&src, &u->m->spec, seen, 1, u->d, err)))
		goto out;
	if (sift_intern_count(seen) < 2) {
		rc = sift_error_set(err, SIFT_EDATA,
				    "%s: the label column '%s' has %zu "
				    "class%s among %zu records: training "
				    "needs at least two",
				    sift_reader_name(r), u->o->label,
				    sift_intern_count(seen),
				    sift_intern_count(seen) == 1 ? "" : "es",
				    u->d->n);
		goto out;
	}
	if ((rc = sort_classes(seen, u->m, u->d, &sorted, err)))
		goto out;
	u->k = u->m->n_classes;
	if (!u->o->valid)
		goto out;
	/* The validation file is in the training input's dialect. */
	if (!(vr = sift_reader_open(u->o->valid, sift_reader_opts(r), 0,
				    err))) {
		rc = err->code;
		goto out;
	}
	if ((rc = open_source(&vsrc, vr, &u->m->spec, u->o, err)) ||
	    (rc = load(&vsrc, &u->m->spec, sorted, 0, vd, err)))
		goto out;
	u->v = vd;
	if (!(u->valid = malloc((vd->n ? vd->n : 1) * sizeof *u->valid))) {
		rc = sift_error_nomem(err);
		goto out;
	}
	for (size_t i = 0; i < vd->n; i++)
		if (vd->label[i] >= 0)
			u->valid[u->n_valid++] = i;
out:
	close_source(&src);
	close_source(&vsrc);
	sift_reader_close(vr);
	sift_intern_free(seen);
	sift_intern_free(sorted);
	return rc;
}
