/*
 * lib/train_cv.c - K-fold cross-validation of sift train (see
 * sift/train_cv.h): the folds, a training run per fold through
 * train_fit_loaded (lib/train.c) on data read once, the out-of-fold
 * probabilities, the mean and sd of every figure, and the text report.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sift/predict.h"
#include "sift/rng.h"
#include "sift/train_cv.h"
#include "train_impl.h"

void sift_cv_opts_init(struct sift_cv_opts *cv)
{
	memset(cv, 0, sizeof *cv);
	cv->folds = 5;
}

/* ---- the folds ---- */

static void stratified(const int32_t *label, size_t n, size_t n_classes,
		       unsigned k, struct sift_rng *rng, size_t *pool,
		       uint32_t *fold)
{
	size_t next = 0;

	for (size_t c = 0; c < n_classes; c++) {
		size_t m = 0;

		for (size_t i = 0; i < n; i++)
			if (label[i] == (int32_t)c)
				pool[m++] = i;
		sift_rng_shuffle(rng, pool, m, sizeof *pool);
		for (size_t j = 0; j < m; j++)
			fold[pool[j]] = (uint32_t)((next + j) % k);
		next = (next + m) % k;
	}
}

struct group_order {
	uint64_t size;
	size_t rank; /* its place in the seeded random order */
	size_t id;
};

static int by_size(const void *a, const void *b)
{
	const struct group_order *x = a, *y = b;

	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return x->rank < y->rank ? -1 : x->rank > y->rank;
}

static int grouped(const int32_t *label, size_t n, size_t n_classes,
		   const uint32_t *group, size_t n_groups, unsigned k,
		   struct sift_rng *rng, uint32_t *fold, struct sift_error *err)
{
	uint32_t *count = calloc(n_groups * n_classes + 1, sizeof *count);
	uint64_t *in_fold = calloc((size_t)k * n_classes, sizeof *in_fold);
	uint64_t *total = calloc(k, sizeof *total);
	struct group_order *order = malloc((n_groups + 1) * sizeof *order);
	uint32_t *gfold = malloc((n_groups + 1) * sizeof *gfold);
	size_t m = 0;
	int rc = 0;

	if (!count || !in_fold || !total || !order || !gfold) {
		rc = sift_error_nomem(err);
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if (label[i] >= 0)
			count[group[i] * n_classes + (size_t)label[i]]++;
	for (size_t g = 0; g < n_groups; g++) {
		uint64_t size = 0;

		for (size_t c = 0; c < n_classes; c++)
			size += count[g * n_classes + c];
		if (size)
			order[m++] = (struct group_order){ size, 0, g };
	}
	if (m < k) {
		rc = sift_error_set(err, SIFT_EDATA,
				    "%zu groups of labeled records, fewer than "
				    "the %u folds",
				    m, k);
		goto out;
	}
	sift_rng_shuffle(rng, order, m, sizeof *order);
	for (size_t j = 0; j < m; j++)
		order[j].rank = j;
	qsort(order, m, sizeof *order, by_size);
	for (size_t j = 0; j < m; j++) {
		const uint32_t *gc = count + order[j].id * n_classes;
		unsigned best = 0;
		double best_score = INFINITY;

		for (unsigned f = 0; f < k; f++) {
			double s = 0;

			for (size_t c = 0; c < n_classes; c++)
				s += (double)gc[c] *
				     (double)in_fold[f * n_classes + c];
			if (s < best_score ||
			    (s == best_score && total[f] < total[best])) {
				best = f;
				best_score = s;
			}
		}
		gfold[order[j].id] = best;
		for (size_t c = 0; c < n_classes; c++)
			in_fold[best * n_classes + c] += gc[c];
		total[best] += order[j].size;
	}
	for (size_t i = 0; i < n; i++)
		fold[i] = label[i] >= 0 ? gfold[group[i]] : SIFT_CV_NO_FOLD;
out:
	free(count);
	free(in_fold);
	free(total);
	free(order);
	free(gfold);
	return rc;
}

int sift_cv_folds(const int32_t *label, size_t n, size_t n_classes,
		  const uint32_t *group, size_t n_groups, unsigned k,
		  uint64_t seed, uint32_t *fold, struct sift_error *err)
{
	struct sift_rng rng;
	size_t n_labeled = 0;
	size_t *pool;

	if (k < 2 || k > SIFT_CV_MAX_FOLDS)
		return sift_error_set(err, SIFT_EUSAGE,
				      "`cv`: %u folds: give 2 to %d", k,
				      SIFT_CV_MAX_FOLDS);
	for (size_t i = 0; i < n; i++) {
		fold[i] = SIFT_CV_NO_FOLD;
		n_labeled += label[i] >= 0;
	}
	if (n_labeled < k)
		return sift_error_set(err, SIFT_EDATA,
				      "%zu labeled records, fewer than the "
				      "%u folds",
				      n_labeled, k);
	sift_rng_seed(&rng, seed);
	if (group)
		return grouped(label, n, n_classes, group, n_groups, k, &rng,
			       fold, err);
	if (!(pool = malloc((n ? n : 1) * sizeof *pool)))
		return sift_error_nomem(err);
	stratified(label, n, n_classes, k, &rng, pool, fold);
	free(pool);
	return 0;
}

/* ---- the run ---- */

/* What a fold's run changes in the data, kept to be put back: the
 * numeric values (standardized in place) and, with self-training, the
 * labels (pseudo-labels are written into them). */
struct saved {
	float *num;
	int32_t *label;
};

static int save(const struct train_run *u, struct saved *s,
		struct sift_error *err)
{
	const struct sift_dataset *d = u->d;
	uint32_t base = UINT32_C(1) << u->m->spec.bits;
	size_t n = 0;

	memset(s, 0, sizeof *s);
	if (u->m->spec.n_num) {
		for (uint64_t j = 0; j < d->n_feat; j++)
			n += d->idx[j] >= base;
		if (!(s->num = malloc((n ? n : 1) * sizeof *s->num)))
			return sift_error_nomem(err);
		n = 0;
		for (uint64_t j = 0; j < d->n_feat; j++)
			if (d->idx[j] >= base)
				s->num[n++] = d->val[j];
	}
	if (u->o->self_train) {
		if (!(s->label = malloc((d->n ? d->n : 1) * sizeof *s->label)))
			return sift_error_nomem(err);
		memcpy(s->label, d->label, d->n * sizeof *s->label);
	}
	return 0;
}

static void restore(const struct train_run *u, const struct saved *s)
{
	struct sift_dataset *d = u->d;
	uint32_t base = UINT32_C(1) << u->m->spec.bits;
	size_t n = 0;

	if (s->num)
		for (uint64_t j = 0; j < d->n_feat; j++)
			if (d->idx[j] >= base)
				d->val[j] = s->num[n++];
	if (s->label)
		memcpy(d->label, s->label, d->n * sizeof *d->label);
}

/* What the folds share. */
struct cv_run {
	struct train_run *u; /* the data, the classes */
	const struct sift_cv_opts *cv;
	const struct sift_cv_hooks *hooks;
	struct sift_cv_result *res;
	const char *name;
	uint32_t *fold;
	double *oof_p; /* n x k, with an out-of-fold output */
	uint32_t *oof_pred;
	int has_threshold; /* the model's as it arrived */
	double threshold;
};

/* Score fold f's records with the model its run left in u->m: its
 * report, and the out-of-fold probabilities. */
static int judge(struct cv_run *c, const struct train_run *fu, unsigned f,
		 struct sift_error *err)
{
	const struct sift_dataset *d = fu->d;
	const struct sift_model *m = fu->m;
	size_t k = fu->k;
	struct sift_metrics *mt = sift_metrics_new(k);
	double *p = malloc(k * sizeof *p);
	double *h = calloc(sift_model_scratch(m) + 1, sizeof *h);
	struct sift_metrics_opts mo;
	int rc = 0;

	if (!mt || !p || !h) {
		rc = sift_error_nomem(err);
		goto out;
	}
	for (size_t i = 0; i < d->n && !rc; i++) {
		uint64_t a = d->off[i];
		uint32_t pred;

		if (c->fold[i] != f)
			continue;
		sift_model_proba(m, d->idx + a, d->val + a,
				 (size_t)(d->off[i + 1] - a), h, p);
		pred = sift_model_decide(m, p, -1);
		rc = sift_metrics_add(mt, (uint32_t)d->label[i], pred,
				      d->weight[i], p, err);
		if (c->oof_p) {
			memcpy(c->oof_p + i * k, p, k * sizeof *p);
			c->oof_pred[i] = pred;
		}
	}
	if (!rc) {
		train_metrics_opts(fu, &mo);
		rc = sift_metrics_compute(mt, &mo, &c->res->fold[f], err);
	}
out:
	sift_metrics_free(mt);
	free(p);
	free(h);
	return rc;
}

static int run_fold(struct cv_run *c, unsigned f, size_t *part,
		    const struct sift_train_opts *fo, struct sift_error *err)
{
	struct train_run *u = c->u, fu = { 0 };
	struct sift_train_result fres;
	uint64_t n_valid = 0;
	int rc;

	memset(&fres, 0, sizeof fres);
	fu.o = fo;
	fu.hooks = c->hooks ? c->hooks->train : NULL;
	fu.m = u->m;
	fu.res = &fres;
	fu.d = fu.v = u->d;
	fu.k = u->k;
	fu.part = part;
	for (size_t i = 0; i < u->d->n; i++) {
		if (c->fold[i] != f)
			part[fu.n_part++] = i;
		else
			n_valid++;
	}
	/* A stream of its own for every fold; the final model's is seed. */
	sift_rng_seed(&fu.rng, fo->seed + f + 1);
	u->m->has_threshold = c->has_threshold;
	u->m->threshold = c->threshold;
	if (c->hooks && c->hooks->fold_begin)
		c->hooks->fold_begin(c->hooks->ctx, f + 1, c->cv->folds,
				     fu.n_part, n_valid);
	rc = train_fit_loaded(&fu, c->name, train_now(), err);
	if (!rc) {
		c->res->l2_chose = fres.l2_chose;
		c->res->fold_l2[f] =
			fres.l2_chose ? sift_train_l2_grid[fres.l2_chosen]
				      : fo->l2;
		rc = judge(c, &fu, f, err);
	}
	if (!rc && c->hooks && c->hooks->fold_end)
		c->hooks->fold_end(c->hooks->ctx, f + 1, c->cv->folds,
				   &c->res->fold[f]);
	train_run_free(&fu);
	sift_train_result_free(&fres);
	return rc;
}

static void stat_add(struct sift_cv_stat *s, double x, double *m2)
{
	double dx;

	if (!isfinite(x))
		return;
	s->n++;
	dx = x - s->mean;
	s->mean += dx / s->n; /* Welford 1962 */
	*m2 += dx * (x - s->mean);
}

static void stat_end(struct sift_cv_stat *s, double m2)
{
	if (!s->n)
		s->mean = NAN;
	s->sd = s->n > 1 ? sqrt(m2 / (s->n - 1)) : NAN;
}

static void summarize(struct sift_cv_result *res)
{
	size_t k = res->n_classes;

	for (int g = 0; g < SIFT_FIG_COUNT; g++) {
		double m2 = 0;

		memset(&res->figure[g], 0, sizeof res->figure[g]);
		for (unsigned f = 0; f < res->folds; f++)
			if (res->fold[f].shown[g]) {
				res->shown[g] = 1;
				stat_add(&res->figure[g], res->fold[f].value[g],
					 &m2);
			}
		stat_end(&res->figure[g], m2);
	}
	for (size_t c = 0; c < k; c++)
		for (int j = 0; j < 4; j++) {
			struct sift_cv_stat *s = &res->per_class[c * 4 + j];
			double m2 = 0;

			memset(s, 0, sizeof *s);
			for (unsigned f = 0; f < res->folds; f++) {
				const struct sift_class_report *cr =
					&res->fold[f].classes[c];
				double x = j == 0   ? cr->precision
					   : j == 1 ? cr->recall
					   : j == 2 ? cr->f
						    : cr->support;

				stat_add(s, x, &m2);
			}
			stat_end(s, m2);
		}
}

/* The options of the folds' runs: no LIBSVM output, and for two classes
 * the positive class chosen on all the labeled records, the rarer (the
 * second on a tie) as sift_train chooses it, so that every fold's
 * figures of the positive class are of the same class. */
static void fold_opts(const struct train_run *u, const uint64_t *n,
		      struct sift_train_opts *fo)
{
	*fo = *u->o;
	fo->export_svm = NULL;
	if (!fo->positive && u->k == 2)
		fo->positive = u->m->classes[n[0] < n[1] ? 0 : 1];
}

static int check_data(const struct train_run *u, const struct sift_cv_opts *cv,
		      const uint64_t *n, const char *name,
		      struct sift_error *err)
{
	for (size_t c = 0; c < u->k; c++)
		if (n[c] < cv->folds)
			return sift_error_set(
				err, SIFT_EDATA,
				"%s: `cv`: %u folds, but class '%s' has %llu "
				"labeled record%s: every fold needs one of "
				"each class (give at most %llu folds)",
				name, cv->folds, u->m->classes[c],
				(unsigned long long)n[c], n[c] == 1 ? "" : "s",
				(unsigned long long)n[c]);
	return 0;
}

static int check_groups(const struct train_run *u,
			const struct sift_cv_opts *cv, const char *name,
			struct sift_cv_result *res, struct sift_error *err)
{
	const struct train_groups *g = u->groups;
	size_t n_groups = sift_intern_count(g->names);
	char *seen = calloc(n_groups + 1, 1);

	if (!seen)
		return sift_error_nomem(err);
	for (size_t i = 0; i < u->d->n; i++)
		if (u->d->label[i] >= 0 && !seen[g->id[i]]) {
			seen[g->id[i]] = 1;
			res->n_groups++;
		}
	free(seen);
	if (res->n_groups < cv->folds)
		return sift_error_set(err, SIFT_EDATA,
				      "%s: `group`: column '%s' makes %zu "
				      "group%s of labeled records, fewer than "
				      "the %u folds of `cv`",
				      name, g->column, res->n_groups,
				      res->n_groups == 1 ? "" : "s", cv->folds);
	return 0;
}

/* The out-of-fold output: r read again, its labeled records written
 * with their fold model's decision and probabilities. */
static int write_oof(struct cv_run *c, struct sift_reader *r,
		     struct sift_error *err)
{
	const struct train_run *u = c->u;
	struct sift_writer *w = c->cv->oof;
	const struct sift_record *rec;
	size_t i = 0;
	int rc;

	if ((rc = sift_reader_rewind(r, err)) ||
	    (rc = sift_predict_write_header(w, r, u->m, 1, err)))
		return rc;
	while (!(rc = sift_reader_next(r, &rec, err)) && rec) {
		if (i >= u->d->n)
			break;
		if (u->d->label[i] >= 0 &&
		    (rc = sift_predict_write_record(
			     w, r, rec, u->m, c->oof_pred[i],
			     c->oof_p + i * u->k, 1, err)))
			return rc;
		i++;
	}
	if (!rc && (rec || i != u->d->n))
		rc = sift_error_set(err, SIFT_EDATA,
				    "%s: the input changed while it was "
				    "read: %zu records, then %s",
				    sift_reader_name(r), u->d->n,
				    rec ? "more" : "fewer");
	return rc;
}

static int tunes_on_oof(const struct sift_train_opts *o, size_t k)
{
	return k == 2 && !(o->holdout > 0) && o->threshold != SIFT_TH_NONE;
}

static int alloc_result(struct cv_run *c, struct sift_error *err)
{
	struct sift_cv_result *res = c->res;
	const struct train_run *u = c->u;
	size_t n = u->d->n ? u->d->n : 1;

	res->n_classes = u->k;
	res->names = (const char *const *)u->m->classes;
	res->fold = calloc(res->folds, sizeof *res->fold);
	res->fold_count = calloc(res->folds * u->k, sizeof *res->fold_count);
	res->fold_l2 = calloc(res->folds, sizeof *res->fold_l2);
	res->per_class = calloc(u->k * 4, sizeof *res->per_class);
	c->fold = malloc(n * sizeof *c->fold);
	/* The out-of-fold probabilities are written with --oof, and with
	 * no holdout the final model's threshold is tuned on them. */
	if (c->cv->oof || (c->cv->final && tunes_on_oof(u->o, u->k))) {
		c->oof_p = calloc(n * u->k, sizeof *c->oof_p);
		c->oof_pred = calloc(n, sizeof *c->oof_pred);
	}
	if (!res->fold || !res->fold_count || !res->fold_l2 ||
	    !res->per_class || !c->fold ||
	    (c->cv->oof && (!c->oof_p || !c->oof_pred)))
		return sift_error_nomem(err);
	return 0;
}

static int cross_validate(struct cv_run *c, const uint64_t *n,
			  struct sift_error *err)
{
	struct train_run *u = c->u;
	struct sift_cv_result *res = c->res;
	struct sift_train_opts fo;
	struct saved sv;
	size_t *part = NULL;
	int rc;

	fold_opts(u, n, &fo);
	if ((rc = alloc_result(c, err)) ||
	    (rc = sift_cv_folds(u->d->label, u->d->n, u->k,
				u->groups ? u->groups->id : NULL,
				u->groups ? sift_intern_count(u->groups->names)
					  : 0,
				res->folds, u->o->seed, c->fold, err)))
		return rc;
	for (size_t i = 0; i < u->d->n; i++)
		if (c->fold[i] != SIFT_CV_NO_FOLD)
			res->fold_count[c->fold[i] * u->k +
					(size_t)u->d->label[i]]++;
	if ((rc = save(u, &sv, err)) ||
	    !(part = malloc((u->d->n ? u->d->n : 1) * sizeof *part))) {
		rc = rc ? rc : sift_error_nomem(err);
		goto out;
	}
	for (unsigned f = 0; f < res->folds && !rc; f++) {
		rc = run_fold(c, f, part, &fo, err);
		restore(u, &sv);
	}
	if (!rc) {
		summarize(res);
		res->positive = u->k == 2 ? res->fold[0].positive : 0;
	}
out:
	free(part);
	free(sv.num);
	free(sv.label);
	return rc;
}

/* The final model: sift_train's run on all the data, with its seed. */
static int final_model(struct cv_run *c, struct sift_error *err)
{
	struct train_run *u = c->u, fu = { 0 };
	int rc;

	fu.o = u->o;
	fu.hooks = c->hooks ? c->hooks->train : NULL;
	fu.m = u->m;
	fu.res = &c->res->final;
	fu.d = fu.v = u->d;
	fu.k = u->k;
	fu.oof_p = tunes_on_oof(u->o, u->k) ? c->oof_p : NULL;
	sift_rng_seed(&fu.rng, u->o->seed);
	u->m->has_threshold = c->has_threshold;
	u->m->threshold = c->threshold;
	if (c->hooks && c->hooks->fold_begin)
		c->hooks->fold_begin(c->hooks->ctx, 0, c->cv->folds, u->d->n,
				     0);
	c->res->has_final = 1;
	rc = train_fit_loaded(&fu, c->name, train_now(), err);
	train_run_free(&fu);
	return rc;
}

static int cv_begin(struct train_run *u, struct sift_model *m,
		    const struct sift_train_opts *o,
		    const struct sift_cv_opts *cv, struct sift_error *err)
{
	if (cv->folds < 2 || cv->folds > SIFT_CV_MAX_FOLDS)
		return sift_error_set(err, SIFT_EUSAGE,
				      "`cv`: %u folds: give 2 to %d", cv->folds,
				      SIFT_CV_MAX_FOLDS);
	if (o->valid)
		return sift_error_set(err, SIFT_EUSAGE,
				      "`cv` and `valid`: cross-validation "
				      "judges every model on its own fold; "
				      "give one or the other");
	if (!o->batch || !o->epochs || !(o->lr > 0) || !isfinite(o->lr))
		return sift_error_set(err, SIFT_EUSAGE,
				      "`batch`, `epochs` and `lr` must be > 0");
	m->kind = o->hidden ? SIFT_MODEL_MLP : SIFT_MODEL_LINEAR;
	m->hidden = o->hidden;
	if (!(m->label = strdup(o->label)))
		return sift_error_nomem(err);
	u->o = o;
	u->m = m;
	u->v = u->d;
	return 0;
}

int sift_train_cv(struct sift_reader *r, const struct sift_train_opts *o,
		  const struct sift_cv_opts *cv,
		  const struct sift_cv_hooks *hooks, struct sift_model *m,
		  struct sift_cv_result *res, struct sift_error *err)
{
	struct sift_dataset d = { 0 }, vd = { 0 };
	struct sift_train_opts oo = *o;
	struct train_groups groups = { 0 };
	struct train_run u = { 0 };
	struct cv_run c = { 0 };
	uint64_t *n = NULL;
	double t0 = train_now();
	int rc;

	memset(res, 0, sizeof *res);
	res->folds = cv->folds;
	if (oo.lr == 0)
		oo.lr = sift_train_default_lr(oo.hidden);
	u.d = &d;
	groups.column = cv->group;
	u.groups = cv->group ? &groups : NULL;
	res->grouped = cv->group != NULL;
	if ((rc = cv_begin(&u, m, &oo, cv, err)) ||
	    (rc = train_load(&u, r, &vd, err)))
		goto out;
	if (!(n = calloc(u.k, sizeof *n))) {
		rc = sift_error_nomem(err);
		goto out;
	}
	for (size_t i = 0; i < d.n; i++)
		if (d.label[i] >= 0)
			n[d.label[i]]++;
	res->n_records = d.n;
	res->n_unlabeled = d.n_unlabeled;
	res->n_labeled = d.n - d.n_unlabeled;
	c = (struct cv_run){ &u,
			     cv,
			     hooks,
			     res,
			     sift_reader_name(r),
			     NULL,
			     NULL,
			     NULL,
			     m->has_threshold,
			     m->threshold };
	if ((rc = check_data(&u, cv, n, c.name, err)) ||
	    (cv->group && (rc = check_groups(&u, cv, c.name, res, err))) ||
	    (rc = cross_validate(&c, n, err)) ||
	    (cv->final && (rc = final_model(&c, err))) ||
	    (cv->oof && (rc = write_oof(&c, r, err))))
		goto out;
	res->seconds = train_now() - t0;
	sift_note_add(res->notes, sizeof res->notes,
		      "%u %s folds of %llu labeled records%s", cv->folds,
		      cv->group ? "grouped" : "stratified",
		      (unsigned long long)res->n_labeled,
		      d.n_unlabeled ? " (the unlabeled records train every "
				      "fold and are in none)"
				    : "");
out:
	free(n);
	free(c.fold);
	free(c.oof_p);
	free(c.oof_pred);
	free(groups.id);
	sift_intern_free(groups.names);
	sift_dataset_free(&d);
	sift_dataset_free(&vd);
	return rc;
}

void sift_cv_result_free(struct sift_cv_result *res)
{
	for (unsigned f = 0; res->fold && f < res->folds; f++)
		sift_metrics_report_free(&res->fold[f]);
	free(res->fold);
	free(res->fold_count);
	free(res->fold_l2);
	free(res->per_class);
	if (res->has_final)
		sift_train_result_free(&res->final);
	memset(res, 0, sizeof *res);
}

/* ---- the report ---- */

/* " MEAN SD" with digits decimals, n/a where undefined. */
static int put_stat(struct sift_writer *w, const struct sift_cv_stat *s,
		    int digits, struct sift_error *err)
{
	char a[32], b[32];

	if (isnan(s->mean))
		snprintf(a, sizeof a, "n/a");
	else
		snprintf(a, sizeof a, "%.*f", digits, s->mean);
	if (isnan(s->sd))
		snprintf(b, sizeof b, "n/a");
	else
		snprintf(b, sizeof b, "%.*f", digits, s->sd);
	return sift_writer_printf(w, err, " %9s %9s", a, b);
}

static int write_folds(struct sift_writer *w, const struct sift_cv_result *res,
		       struct sift_error *err)
{
	size_t k = res->n_classes;
	int rc = sift_writer_printf(w, err, "\n  fold   records");

	for (size_t c = 0; c < k && !rc; c++)
		rc = sift_writer_printf(w, err, " %9.9s", res->names[c]);
	for (unsigned f = 0; f < res->folds && !rc; f++) {
		uint64_t t = 0;

		for (size_t c = 0; c < k; c++)
			t += res->fold_count[f * k + c];
		rc = sift_writer_printf(w, err, "\n  %-4u %9llu", f + 1,
					(unsigned long long)t);
		for (size_t c = 0; c < k && !rc; c++)
			rc = sift_writer_printf(
				w, err, " %9llu",
				(unsigned long long)res->fold_count[f * k + c]);
	}
	return rc ? rc : sift_writer_puts(w, "\n", err);
}

static int write_classes(struct sift_writer *w,
			 const struct sift_cv_result *res,
			 struct sift_error *err)
{
	static const char *const head[] = { "precision", "recall", "F1",
					    "support" };
	int width = 5, rc;

	for (size_t c = 0; c < res->n_classes; c++)
		if (strlen(res->names[c]) > (size_t)width)
			width = (int)strlen(res->names[c]);
	rc = sift_writer_printf(w, err, "\n  %-*s", width, "class");
	for (int j = 0; j < 4 && !rc; j++)
		rc = sift_writer_printf(w, err, " %9s %9s", head[j], "sd");
	for (size_t c = 0; c < res->n_classes && !rc; c++) {
		rc = sift_writer_printf(w, err, "\n  %-*s", width,
					res->names[c]);
		for (int j = 0; j < 4 && !rc; j++)
			rc = put_stat(w, &res->per_class[c * 4 + j],
				      j == 3 ? 1 : 4, err);
	}
	return rc ? rc : sift_writer_puts(w, "\n", err);
}

int sift_cv_write(struct sift_writer *w, const struct sift_cv_result *res,
		  struct sift_error *err)
{
	int rc = sift_writer_printf(
		w, err,
		"cross-validation report: %u %s folds, mean and sample sd "
		"over the folds\n",
		res->folds, res->grouped ? "grouped" : "stratified");

	if (!rc && res->grouped)
		rc = sift_writer_printf(w, err,
					"%zu groups of labeled records\n",
					res->n_groups);
	if (!rc && res->n_classes == 2)
		rc = sift_writer_printf(w, err, "positive class '%s'\n",
					res->names[res->positive]);
	if (!rc)
		rc = write_folds(w, res, err);
	if (!rc)
		rc = write_classes(w, res, err);
	if (!rc)
		rc = sift_writer_puts(w,
				      "\n  figure                             "
				      "mean        sd\n",
				      err);
	for (int g = 0; g < SIFT_FIG_COUNT && !rc; g++) {
		if (!res->shown[g])
			continue;
		rc = sift_writer_printf(w, err, "  %-29s",
					sift_metrics_figure_label(g));
		if (!rc)
			rc = put_stat(w, &res->figure[g], 4, err);
		if (!rc && res->figure[g].n < res->folds)
			rc = sift_writer_printf(w, err, "  (%u of %u folds)",
						res->figure[g].n, res->folds);
		if (!rc)
			rc = sift_writer_puts(w, "\n", err);
	}
	return rc;
}
