/*
 * lib/train.c - the training loop (sift/train.h).
 *
 * Read once into a struct sift_dataset, split (stratified, seeded),
 * standardize the numeric columns with the training part's mean and sd,
 * then epochs of mini-batch SGD whose learning rate decays linearly to 0
 * over the planned steps, as fastText does (Joulin et al. 2017). Every
 * figure reported on validation data comes from sift/metrics.h.
 *
 * This file is long because the loop, its evaluation and its
 * diagnostics share one state; each function is short.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sift/colexpr.h"
#include "sift/cost.h"
#include "sift/intern.h"
#include "sift/linear.h"
#include "sift/mem.h"
#include "sift/mlp.h"
#include "sift/parse.h"
#include "sift/rng.h"
#include "sift/train.h"

void sift_train_opts_init(struct sift_train_opts *o)
{
	memset(o, 0, sizeof *o);
	o->lr = 0; /* the model's default: see sift_train_default_lr */
	o->epochs = 5;
	o->batch = 8;
	o->l2 = 1e-6;
	o->holdout = 0.1;
	o->cost_fn = 1;
	o->cost_fp = 1;
	o->confidence = 0.95;
}

double sift_train_default_lr(unsigned hidden)
{
	/* Tuned on generated tweets (100,000 to train, two other seeds to
	 * validate; bench/train.sh reports a third): softmax regression
	 * underfits at small steps, and with features of unit norm a step
	 * of lr / batch = 0.5 a record is stable. The hidden layer's
	 * embedding bag wants smaller steps. */
	return hidden ? 0.5 : 4.0;
}

int sift_train_parse_cost(const char *s, struct sift_train_opts *o,
			  struct sift_error *err)
{
	struct sift_cost_spec spec;
	double fn = o->cost_fn, fp = o->cost_fp;
	int rc = sift_cost_parse(s, &spec, err);

	for (size_t i = 0; !rc && i < spec.n; i++) {
		const struct sift_cost_entry *e = &spec.entry[i];

		/* the threshold is tuned on the costs of the two errors;
		 * TP, TN and a matrix are forms for sift metrics */
		if (e->key != SIFT_COST_FN && e->key != SIFT_COST_FP)
			rc = sift_error_set(err, SIFT_EUSAGE,
					    "--cost: '%s': sift train weighs "
					    "its two errors only: give "
					    "FN=X,FP=Y",
					    e->text);
		else if (e->cost < 0)
			rc = sift_error_set(err, SIFT_EUSAGE,
					    "--cost: '%s': a cost must be >= 0",
					    e->text);
		else if (e->key == SIFT_COST_FN)
			fn = e->cost;
		else
			fp = e->cost;
	}
	sift_cost_free(&spec);
	if (!rc) {
		o->cost_fn = fn;
		o->cost_fp = fp;
	}
	return rc;
}

void sift_dataset_free(struct sift_dataset *d)
{
	free(d->off);
	free(d->idx);
	free(d->val);
	free(d->label);
	free(d->weight);
	free(d->text_tokens);
	memset(d, 0, sizeof *d);
}

void sift_train_result_free(struct sift_train_result *res)
{
	free(res->class_count);
	free(res->class_weight);
	if (res->has_report)
		sift_metrics_report_free(&res->report);
	memset(res, 0, sizeof *res);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- reading ---- */

struct source {
	struct sift_reader *r;
	size_t *cols;
	struct sift_colexpr *label, *weight; /* weight: NULL without -w */
};

static void close_source(struct source *s)
{
	free(s->cols);
	sift_colexpr_free(s->label);
	sift_colexpr_free(s->weight);
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
		return sift_error_set(err, SIFT_EDATA,
				      "%s:%llu: weight '%.*s' is not a "
				      "finite number >= 0",
				      sift_reader_name(s->r),
				      (unsigned long long)rec->line,
				      (int)(len > 40 ? 40 : len), f);
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
			rc = sift_error_set(err, SIFT_EDATA,
					    "%s:%llu: label '%.*s' is not "
					    "among the training classes",
					    sift_reader_name(s->r),
					    (unsigned long long)rec->line,
					    (int)(len > 40 ? 40 : len), f);
			break;
		}
		if (len)
			label = (int32_t)id;
		else
			d->n_unlabeled++;
		if ((rc = read_weight(s, rec, &w, err)) ||
		    (rc = sift_features_extract(spec, s->r, rec->line, s->cols,
						1, &v, d->text_tokens, err)) ||
		    (rc = ds_push(d, &v, label, w, err)))
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
	if ((rc = sift_colexpr_open(r, o->label, "--label", &s->label, err)))
		return rc;
	if (o->weight &&
	    (rc = sift_colexpr_open(r, o->weight, "--weight", &s->weight, err)))
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

/* ---- splitting, standardizing, weighting ---- */

/* The state of one training run. */
struct run {
	const struct sift_train_opts *o;
	const struct sift_train_hooks *hooks;
	struct sift_model *m;
	struct sift_train_result *res;
	struct sift_dataset *d; /* training file (and holdout) */
	struct sift_dataset *v; /* validation file, or d for a holdout */
	size_t *train, n_train; /* indices into d */
	size_t *valid, n_valid; /* indices into v */
	size_t k;
	double *cw; /* class weights */
	struct sift_rng rng;
	/* batch buffers */
	double *p, *g, *h, *da;
	float *best_w;
	/* per epoch figures, for the diagnostics */
	double *ep_train_loss, *ep_valid_loss;
	double *ep_valid_obj; /* the validation loss that training minimises */
	unsigned n_ep;
	int single_class_pred;
	/* The mean sample weight of the labeled training records: SGD sees
	 * the weights divided by it (see normalise_weights). */
	double w_mean;
};

/* Stratified holdout: from each class, a seeded random round(f n_c)
 * records (at most n_c - 1) go to validation; unlabeled records stay in
 * training (self-training may use them). */
static int split(struct run *u, struct sift_error *err)
{
	struct sift_dataset *d = u->d;
	size_t *pool = malloc((d->n ? d->n : 1) * sizeof *pool);
	char *is_valid = calloc(d->n ? d->n : 1, 1);
	int rc = 0;

	u->train = malloc((d->n ? d->n : 1) * sizeof *u->train);
	if (!u->valid && u->v == d)
		u->valid = malloc((d->n ? d->n : 1) * sizeof *u->valid);
	if (!pool || !is_valid || !u->train || (u->v == d && !u->valid)) {
		rc = sift_error_nomem(err);
		goto out;
	}
	if (u->v == d && u->o->holdout > 0) {
		for (size_t c = 0; c < u->k; c++) {
			size_t n = 0, take;

			for (size_t i = 0; i < d->n; i++)
				if (d->label[i] == (int32_t)c)
					pool[n++] = i;
			sift_rng_shuffle(&u->rng, pool, n, sizeof *pool);
			take = (size_t)floor(u->o->holdout * (double)n + 0.5);
			if (take >= n)
				take = n ? n - 1 : 0;
			for (size_t i = 0; i < take; i++)
				is_valid[pool[i]] = 1;
		}
	}
	for (size_t i = 0; i < d->n; i++) {
		if (is_valid[i])
			u->valid[u->n_valid++] = i;
		else
			u->train[u->n_train++] = i;
	}
out:
	free(pool);
	free(is_valid);
	return rc;
}

/* Mean and sd of each numeric column over the training records (empty
 * fields left out; an sd of 0 becomes 1), then every record of d and v
 * standardized with them. */
static void standardize(struct run *u)
{
	struct sift_feat_spec *s = &u->m->spec;
	uint32_t base = UINT32_C(1) << s->bits;

	for (size_t k = 0; k < s->n_num; k++) {
		double n = 0, mean = 0, m2 = 0;

		for (size_t t = 0; t < u->n_train; t++) {
			size_t i = u->train[t];

			for (uint64_t j = u->d->off[i]; j < u->d->off[i + 1];
			     j++)
				if (u->d->idx[j] == base + k &&
				    !isnan(u->d->val[j])) {
					double x = u->d->val[j], dx = x - mean;

					n++;
					mean += dx / n; /* Welford 1962 */
					m2 += dx * (x - mean);
				}
		}
		s->mean[k] = mean;
		s->sd[k] = n > 1 && m2 > 0 ? sqrt(m2 / (n - 1)) : 1;
	}
	if (!s->n_num)
		return;
	sift_features_standardize(s, u->d->idx, u->d->val, u->d->n_feat);
	if (u->v != u->d)
		sift_features_standardize(s, u->v->idx, u->v->val,
					  u->v->n_feat);
}

static int class_weights(struct run *u, struct sift_error *err)
{
	const struct sift_train_opts *o = u->o;
	double n = 0;

	for (size_t c = 0; c < u->k; c++)
		n += (double)u->res->class_count[c];
	for (size_t c = 0; c < u->k; c++) {
		double nc = (double)u->res->class_count[c];

		u->cw[c] = 1;
		if (o->class_weight == SIFT_CW_BALANCED && nc > 0)
			u->cw[c] = n / ((double)u->k * nc);
	}
	if (o->class_weight != SIFT_CW_LIST)
		return 0;
	char buf[1024], *save = NULL;

	if (strlen(o->class_weights) >= sizeof buf)
		return sift_error_set(err, SIFT_EUSAGE,
				      "--class-weight: the list is too long");
	strcpy(buf, o->class_weights);
	for (char *t = strtok_r(buf, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		char *eq = strrchr(t, '=');
		double w;
		size_t c;

		if (!eq || sift_parse_double(eq + 1, strlen(eq + 1), &w) ||
		    w < 0)
			return sift_error_set(err, SIFT_EUSAGE,
					      "--class-weight: '%s' is not "
					      "LABEL=W with W >= 0",
					      t);
		*eq = 0;
		for (c = 0; c < u->k; c++)
			if (strcmp(u->m->classes[c], t) == 0)
				break;
		if (c == u->k)
			return sift_error_set(err, SIFT_EUSAGE,
					      "--class-weight: no class '%s' "
					      "in the training data",
					      t);
		u->cw[c] = w;
	}
	return 0;
}

/* The sum of the weights of the labeled records idx[0..n) of ds, and
 * their number. */
static double weight_sum(const struct sift_dataset *ds, const size_t *idx,
			 size_t n, size_t *n_labeled)
{
	double sum = 0;

	*n_labeled = 0;
	for (size_t t = 0; t < n; t++)
		if (ds->label[idx[t]] >= 0) {
			sum += ds->weight[idx[t]];
			(*n_labeled)++;
		}
	return sum;
}

/* -w: scale the sample weights to mean 1 over the labeled training
 * records. A common factor leaves the optimum of the weighted loss where
 * it is, but SGD's step on a record is lr / batch times its weight:
 * design weights of 100 (sift sample --emit-weight) make steps 100
 * times the ones the default learning rate is tuned for, and the loss
 * jumps from epoch to epoch. The validation figures are weighted means,
 * which no common factor changes, so the raw weights stay in the data.
 * Weights that add up to 0 leave nothing to learn from, or to judge the
 * model by: an error, not a model of zeros. */
static int normalise_weights(struct run *u, const char *name,
			     struct sift_error *err)
{
	size_t n, n_valid;
	double sum = weight_sum(u->d, u->train, u->n_train, &n);
	double valid = weight_sum(u->v, u->valid, u->n_valid, &n_valid);

	u->w_mean = 1;
	if (!u->o->weight)
		return 0;
	if (!(sum > 0))
		return sift_error_set(err, SIFT_EDATA,
				      "%s: column '%s': the weights of the "
				      "%zu training records are all 0: there "
				      "is nothing to learn from",
				      name, u->o->weight, n);
	if (n_valid && !(valid > 0))
		return sift_error_set(err, SIFT_EDATA,
				      "%s: column '%s': the weights of the "
				      "%zu validation records are all 0: no "
				      "figure can judge the model on them",
				      u->o->valid ? u->o->valid : name,
				      u->o->weight, n_valid);
	/* Dividing by the mean, not multiplying by its inverse, keeps
	 * equal weights exactly 1. */
	u->w_mean = sum / (double)n;
	sift_note_add(u->res->notes, sizeof u->res->notes,
		      "weights normalised: mean 1 over %zu training records "
		      "(raw mean %.4g)",
		      n, u->w_mean);
	return 0;
}

/* ---- evaluation through sift/metrics.h ---- */

static void metrics_opts(const struct run *u, struct sift_metrics_opts *mo)
{
	sift_metrics_opts_init(mo);
	mo->n_classes = u->k;
	mo->names = (const char *const *)u->m->classes;
	if (u->k == 2) {
		mo->have_positive = 1;
		mo->positive = u->m->positive;
	}
	if (u->k == 2 && (u->o->threshold == SIFT_TH_COST ||
			  u->o->stop_on == SIFT_STOP_COST)) {
		mo->binary_cost = 1;
		mo->cost_fn = u->o->cost_fn;
		mo->cost_fp = u->o->cost_fp;
	}
}

/* Score the records idx[0..n) of ds with the current model and its
 * threshold; fill rep (free it after). Unlabeled records are left out.
 * objective (if not NULL) gets the mean loss that training minimises:
 * the log loss with each record weighted by its sample weight times its
 * class weight, which is the report's log loss when no class weights
 * are given. */
static int evaluate(struct run *u, const struct sift_dataset *ds,
		    const size_t *idx, size_t n,
		    struct sift_metrics_report *rep, double *objective,
		    struct sift_error *err)
{
	struct sift_metrics *mt = sift_metrics_new(u->k);
	struct sift_metrics_opts mo;
	double loss = 0, wsum = 0;
	int rc = 0;

	memset(rep, 0, sizeof *rep);
	if (!mt)
		return sift_error_nomem(err);
	for (size_t t = 0; t < n && !rc; t++) {
		size_t i = idx[t];
		uint64_t a = ds->off[i];

		if (ds->label[i] < 0)
			continue;
		sift_model_proba(u->m, ds->idx + a, ds->val + a,
				 (size_t)(ds->off[i + 1] - a), u->h, u->p);
		rc = sift_metrics_add(mt, (uint32_t)ds->label[i],
				      sift_model_decide(u->m, u->p, -1),
				      ds->weight[i], u->p, err);
		if (objective) {
			double c = ds->weight[i] * u->cw[ds->label[i]];
			double p = u->p[ds->label[i]];

			/* clipped as sift metrics clips its log loss */
			p = p < DBL_EPSILON ? DBL_EPSILON : p;
			loss -= c * log(p);
			wsum += c;
		}
	}
	if (objective)
		*objective = wsum > 0 ? loss / wsum : NAN;
	if (!rc) {
		metrics_opts(u, &mo);
		rc = sift_metrics_compute(mt, &mo, rep, err);
	}
	sift_metrics_free(mt);
	return rc;
}

static double figure(const struct sift_metrics_report *rep, enum sift_figure f)
{
	return rep->shown[f] ? rep->value[f] : NAN;
}

/* The stopping figure, oriented so that higher is better. */
static double stop_score(const struct run *u, const struct sift_epoch_stats *st)
{
	switch (u->o->stop_on) {
	case SIFT_STOP_AP:
		return st->valid_ap;
	case SIFT_STOP_COST:
		return -st->valid_cost;
	default:
		return st->valid_macro_f1;
	}
}

/* ---- the loop ---- */

static void init_params(struct run *u)
{
	struct sift_model *m = u->m;

	if (m->kind == SIFT_MODEL_MLP)
		sift_mlp_init(m->w, m->dim, m->hidden, u->k, &u->rng);
	else
		memset(m->w, 0, m->n_w * sizeof *m->w);
}

/* One record's forward pass and gradient at the logits (and, for an
 * mlp, at the bag), into slot b of the batch buffers. */
static double forward(struct run *u, size_t i, size_t b, int *correct)
{
	const struct sift_dataset *d = u->d;
	struct sift_model *m = u->m;
	uint64_t a = d->off[i];
	size_t n = (size_t)(d->off[i + 1] - a), k = u->k, hh = m->hidden;
	double *p = u->p + b * k, *g = u->g + b * k;
	uint32_t y = (uint32_t)d->label[i];
	double c = d->weight[i] / u->w_mean * u->cw[y], loss;
	uint32_t best = 0;

	if (m->kind == SIFT_MODEL_MLP) {
		sift_mlp_forward(m->w, m->dim, hh, k, d->idx + a, d->val + a, n,
				 u->h + b * hh, p);
		loss = sift_mlp_delta(m->w, m->dim, hh, k, u->h + b * hh, p, y,
				      c, g, u->da + b * hh);
	} else {
		sift_linear_forward(m->w, m->dim, k, d->idx + a, d->val + a, n,
				    p);
		loss = sift_linear_delta(p, k, y, c, g);
	}
	for (uint32_t q = 1; q < k; q++)
		if (p[q] > p[best])
			best = q;
	*correct = best == y;
	return loss;
}

static void apply(struct run *u, size_t i, size_t b, double step)
{
	const struct sift_dataset *d = u->d;
	struct sift_model *m = u->m;
	uint64_t a = d->off[i];
	size_t n = (size_t)(d->off[i + 1] - a), k = u->k, hh = m->hidden;

	if (m->kind == SIFT_MODEL_MLP)
		sift_mlp_apply(m->w, m->dim, hh, k, d->idx + a, d->val + a, n,
			       u->h + b * hh, u->g + b * k, u->da + b * hh,
			       step, u->o->l2);
	else
		sift_linear_apply(m->w, m->dim, k, d->idx + a, d->val + a, n,
				  u->g + b * k, step, u->o->l2);
}

/* One epoch over lab[0..n) in a seeded random order. *step counts the
 * batches done so far, of total, for the learning-rate schedule. */
static void epoch(struct run *u, unsigned round, unsigned e, size_t *lab,
		  size_t n, uint64_t *step, uint64_t total,
		  struct sift_epoch_stats *st)
{
	size_t bs = u->o->batch;
	uint64_t n_batches = (n + bs - 1) / bs;
	double sum_loss = 0, sum_c = 0, sum_ok = 0;

	sift_rng_shuffle(&u->rng, lab, n, sizeof *lab);
	for (uint64_t b = 0; b < n_batches; b++) {
		size_t from = (size_t)(b * bs),
		       to = from + bs < n ? from + bs : n;
		double lr = u->o->lr * (1.0 - (double)*step / (double)total);
		double bl = 0, bc = 0, bok = 0;

		(*step)++;
		for (size_t t = from; t < to; t++) {
			int ok;
			size_t i = lab[t];
			double c = u->d->weight[i] / u->w_mean *
				   u->cw[u->d->label[i]];

			bl += forward(u, i, t - from, &ok);
			bc += c;
			bok += ok ? c : 0;
		}
		for (size_t t = from; t < to; t++)
			apply(u, lab[t], t - from, lr / (double)(to - from));
		sum_loss += bl;
		sum_c += bc;
		sum_ok += bok;
		if (u->hooks && u->hooks->batch)
			u->hooks->batch(u->hooks->ctx, round, e, b + 1,
					n_batches, bc > 0 ? bl / bc : 0,
					bc > 0 ? bok / bc : 0);
	}
	st->train_loss = sum_c > 0 ? sum_loss / sum_c : 0;
	st->train_acc = sum_c > 0 ? sum_ok / sum_c : 0;
}

static int validate(struct run *u, struct sift_epoch_stats *st,
		    double *objective, struct sift_error *err)
{
	struct sift_metrics_report rep;
	int rc;

	*objective = NAN;
	st->has_valid = u->n_valid > 0;
	if (!st->has_valid)
		return 0;
	rc = evaluate(u, u->v, u->valid, u->n_valid, &rep, objective, err);
	if (!rc) {
		st->valid_loss = figure(&rep, SIFT_FIG_LOG_LOSS);
		st->valid_macro_f1 = figure(&rep, SIFT_FIG_MACRO_F);
		st->valid_ap = figure(&rep, SIFT_FIG_AP);
		st->valid_cost = figure(&rep, SIFT_FIG_MIN_COST);
	}
	sift_metrics_report_free(&rep);
	return rc;
}

/* The labeled training records. */
static size_t labeled(const struct run *u, size_t *lab)
{
	size_t n = 0;

	for (size_t t = 0; t < u->n_train; t++)
		if (u->d->label[u->train[t]] >= 0)
			lab[n++] = u->train[t];
	return n;
}

static int finite_params(const struct sift_model *m)
{
	for (size_t i = 0; i < m->n_w; i++)
		if (!isfinite(m->w[i]))
			return 0;
	return 1;
}

static int fit(struct run *u, unsigned round, struct sift_error *err)
{
	const struct sift_train_opts *o = u->o;
	size_t *lab = malloc((u->n_train ? u->n_train : 1) * sizeof *lab);
	size_t n;
	uint64_t step = 0, total;
	double best = -INFINITY;
	unsigned since = 0;
	int rc = 0;

	if (!lab)
		return sift_error_nomem(err);
	n = labeled(u, lab);
	total = (uint64_t)o->epochs * ((n + o->batch - 1) / o->batch);
	init_params(u);
	u->n_ep = 0;
	u->res->best_epoch = 0;
	for (unsigned e = 1; e <= o->epochs && !rc; e++) {
		struct sift_epoch_stats st = { 0 };
		double t0 = now(), score;

		st.round = round;
		st.epoch = e;
		st.epochs = o->epochs;
		epoch(u, round, e, lab, n, &step, total ? total : 1, &st);
		if (!isfinite(st.train_loss) || !finite_params(u->m)) {
			rc = sift_error_set(err, SIFT_EDATA,
					    "the training loss or the weights "
					    "are %s at epoch %u: the learning "
					    "rate is too high; try --lr %g",
					    isnan(st.train_loss) ? "NaN"
								 : "infinite",
					    e, o->lr / 10);
			break;
		}
		rc = validate(u, &st, &u->ep_valid_obj[u->n_ep], err);
		st.seconds = now() - t0;
		u->ep_train_loss[u->n_ep] = st.train_loss;
		u->ep_valid_loss[u->n_ep++] =
			st.has_valid ? st.valid_loss : NAN;
		score = stop_score(u, &st);
		if (st.has_valid &&
		    (score > best || (isnan(best) && !isnan(score)) ||
		     e == 1)) {
			best = score;
			since = 0;
			st.best = 1;
			u->res->best_epoch = e;
			if (u->best_w)
				memcpy(u->best_w, u->m->w,
				       u->m->n_w * sizeof *u->m->w);
		} else {
			since++;
		}
		u->res->epochs_run = e;
		if (u->hooks && u->hooks->epoch)
			u->hooks->epoch(u->hooks->ctx, &st);
		if (o->early_stop && st.has_valid && since >= o->early_stop)
			break;
	}
	if (!rc && u->best_w && u->res->best_epoch)
		memcpy(u->m->w, u->best_w, u->m->n_w * sizeof *u->m->w);
	if (!rc && !u->res->best_epoch)
		u->res->best_epoch = u->res->epochs_run;
	free(lab);
	return rc;
}

/* ---- threshold, self-training ---- */

static int tune_threshold(struct run *u, struct sift_error *err)
{
	enum sift_threshold_mode mode = u->o->threshold;
	struct sift_metrics_report rep;
	double t;
	int rc;

	if (mode == SIFT_TH_DEFAULT)
		mode = u->k == 2 && u->n_valid ? SIFT_TH_F1 : SIFT_TH_NONE;
	if (mode == SIFT_TH_NONE)
		return 0;
	if (u->k != 2)
		return sift_error_set(err, SIFT_EUSAGE,
				      "--threshold: a tuned threshold needs "
				      "two classes (the data has %zu)",
				      u->k);
	if (!u->n_valid) {
		sift_note_add(u->res->notes, sizeof u->res->notes,
			      "no validation data: the threshold is not tuned "
			      "(--valid FILE or --holdout F)");
		return 0;
	}
	u->m->has_threshold = 0;
	rc = evaluate(u, u->v, u->valid, u->n_valid, &rep, NULL, err);
	if (rc) {
		sift_metrics_report_free(&rep);
		return rc;
	}
	t = figure(&rep, mode == SIFT_TH_COST ? SIFT_FIG_COST_THRESHOLD
					      : SIFT_FIG_BEST_THRESHOLD);
	sift_metrics_report_free(&rep);
	if (!(t >= 0 && t <= 1)) {
		sift_note_add(u->res->notes, sizeof u->res->notes,
			      "the threshold could not be tuned (no positive "
			      "validation record): it stays 0.5");
		return 0;
	}
	u->m->has_threshold = 1;
	u->m->threshold = t;
	sift_note_add(
		u->res->notes, sizeof u->res->notes,
		"threshold %.6g on P(%s), tuned for %s on the validation data",
		t, u->m->classes[u->m->positive],
		mode == SIFT_TH_COST ? "the lowest cost" : "the best F1");
	return 0;
}

/* Pseudo-label the unlabeled training records the model is at least
 * confidence sure of; returns how many were added. */
static uint64_t pseudo_label(struct run *u, unsigned round, uint64_t *added)
{
	uint64_t total = 0;
	char line[1024];
	size_t used;

	memset(added, 0, u->k * sizeof *added);
	for (size_t t = 0; t < u->n_train; t++) {
		size_t i = u->train[t];
		uint64_t a = u->d->off[i];
		uint32_t best = 0;

		if (u->d->label[i] >= 0)
			continue;
		sift_model_proba(u->m, u->d->idx + a, u->d->val + a,
				 (size_t)(u->d->off[i + 1] - a), u->h, u->p);
		for (uint32_t c = 1; c < u->k; c++)
			if (u->p[c] > u->p[best])
				best = c;
		if (u->p[best] >= u->o->confidence) {
			u->d->label[i] = (int32_t)best;
			added[best]++;
			total++;
		}
	}
	used = (size_t)snprintf(line, sizeof line,
				"self-training round %u: %llu records "
				"pseudo-labeled (",
				round, (unsigned long long)total);
	for (size_t c = 0; c < u->k && used < sizeof line; c++)
		used += (size_t)snprintf(line + used, sizeof line - used,
					 "%s%s %llu", c ? ", " : "",
					 u->m->classes[c],
					 (unsigned long long)added[c]);
	sift_note_add(u->res->notes, sizeof u->res->notes, "%s)", line);
	return total;
}

static int self_train(struct run *u, struct sift_error *err)
{
	uint64_t *added = calloc(u->k, sizeof *added);
	int rc = 0;

	if (!added)
		return sift_error_nomem(err);
	for (unsigned r = 1; r <= u->o->self_train && !rc; r++) {
		if (pseudo_label(u, r, added) == 0)
			break;
		rc = fit(u, r, err);
	}
	free(added);
	return rc;
}

/* ---- diagnostics, in plain words with the fix ---- */

static void diag_predictions(struct run *u)
{
	const struct sift_metrics_report *rep = &u->res->report;
	size_t predicted = 0, present = 0, only = 0, missed = 0;

	for (size_t c = 0; c < rep->n_classes; c++) {
		if (rep->classes[c].predicted > 0)
			predicted++, only = c;
		if (rep->classes[c].support > 0)
			present++;
		if (rep->classes[c].support > 0 &&
		    rep->classes[c].predicted == 0)
			missed = c;
	}
	if (predicted == 1 && present > 1)
		sift_note_add(
			u->res->diagnostics, sizeof u->res->diagnostics,
			"the model predicts one class only ('%s'): its "
			"accuracy "
			"of %.1f%% is the accuracy trap, the recall of '%s' is "
			"0; try --class-weight balanced",
			u->m->classes[only],
			100 * rep->value[SIFT_FIG_ACCURACY],
			u->m->classes[missed]);
}

/* An unstable validation loss: it rises by more than a quarter from one
 * epoch to the next. SGD on a convex loss with a sound step makes the
 * validation loss fall, or creep up when it overfits (a few percent an
 * epoch); on generated tweets at the default steps the largest rise in
 * one epoch was 18%. A jump beyond 25% means steps that overshoot: a
 * learning rate too high for the data, or records of large weight (a
 * record's step is lr / batch times its sample and class weight). The
 * loss judged is the one training minimises, with the class weights;
 * without them it is the logged validation loss. */
#define UNSTABLE_RISE 0.25

/* The largest weight a labeled training record's loss carries. */
static double heaviest(const struct run *u)
{
	double top = 0;

	for (size_t t = 0; t < u->n_train; t++) {
		size_t i = u->train[t];
		double c;

		if (u->d->label[i] < 0)
			continue;
		c = u->d->weight[i] / u->w_mean * u->cw[u->d->label[i]];
		top = c > top ? c : top;
	}
	return top;
}

static int class_weighted(const struct run *u)
{
	for (size_t c = 0; c < u->k; c++)
		if (u->cw[c] != 1)
			return 1;
	return 0;
}

/* Returns whether it said so. */
static int diag_unstable(struct run *u)
{
	const double *vl =
		class_weighted(u) ? u->ep_valid_obj : u->ep_valid_loss;
	unsigned jumps = 0, at = 0;
	double worst = 0, top;
	char more[64] = "", heavy[128] = "";

	for (unsigned e = 1; e < u->n_ep; e++) {
		double rise = (vl[e] - vl[e - 1]) / vl[e - 1];

		if (!(vl[e - 1] > 0) || !(rise > UNSTABLE_RISE))
			continue;
		jumps++;
		if (rise > worst)
			worst = rise, at = e;
	}
	if (!jumps)
		return 0;
	if (jumps > 1)
		snprintf(more, sizeof more,
			 ", and by more than %.0f%% %u more time%s",
			 100 * UNSTABLE_RISE, jumps - 1, jumps > 2 ? "s" : "");
	if ((top = heaviest(u)) >= 4)
		snprintf(heavy, sizeof heavy,
			 " (a record of weight %.3g takes a step %.3g times "
			 "that of one of weight 1)",
			 top, top);
	sift_note_add(u->res->diagnostics, sizeof u->res->diagnostics,
		      "the validation loss%s is unstable: it rose by %.0f%% "
		      "from epoch %u to %u (%.4g to %.4g)%s: the steps "
		      "overshoot%s; the learning rate %g is too high, try "
		      "--lr %g",
		      class_weighted(u) ? " (weighted by the class weights, "
					  "as in training)"
					: "",
		      100 * worst, at, at + 1, vl[at - 1], vl[at], more, heavy,
		      u->o->lr, u->o->lr / 10);
	return 1;
}

static void diag_loss(struct run *u)
{
	const double *tl = u->ep_train_loss, *vl = u->ep_valid_loss;
	unsigned n = u->n_ep;
	char *buf = u->res->diagnostics;
	size_t size = sizeof u->res->diagnostics;

	if (n < 2)
		return;
	if (tl[n - 1] > tl[0] * 1.05)
		sift_note_add(
			buf, size,
			"the training loss grows (%.4g at epoch 1, %.4g at "
			"epoch %u): the learning rate %g is too high; try --lr "
			"%g",
			tl[0], tl[n - 1], n, u->o->lr, u->o->lr / 10);
	else if (fabs(tl[n - 1] - tl[0]) <= 1e-3 * fabs(tl[0]))
		sift_note_add(
			buf, size,
			"the training loss does not move (%.4g): the learning "
			"rate %g may be too low (try --lr %g), or the features "
			"are empty",
			tl[0], u->o->lr, u->o->lr * 10);
	if (diag_unstable(u))
		return; /* the jumps explain a rise better than overfitting */
	if (n >= 3 && vl[n - 1] > vl[n - 2] && vl[n - 2] > vl[n - 3] &&
	    tl[n - 1] < tl[n - 3])
		sift_note_add(
			buf, size,
			"the validation loss rises (%.4g to %.4g) while the "
			"training loss falls: overfitting; use fewer epochs, "
			"more --l2, or --early-stop 2",
			vl[n - 3], vl[n - 1]);
}

static void diag_columns(struct run *u)
{
	const struct sift_feat_spec *s = &u->m->spec;

	for (size_t i = 0; i < s->n_text; i++)
		if (u->d->text_tokens[i] == 0)
			sift_note_add(
				u->res->diagnostics, sizeof u->res->diagnostics,
				"text column '%s' yielded no tokens in any "
				"record: check --text",
				s->text[i]);
	for (size_t c = 0; c < u->k; c++)
		if (u->res->class_count[c] < 10)
			sift_note_add(
				u->res->diagnostics, sizeof u->res->diagnostics,
				"class '%s' has only %llu labeled training "
				"records: too few to learn it; label more of "
				"it "
				"(sift sample --by %s ... | sift label)",
				u->m->classes[c],
				(unsigned long long)u->res->class_count[c],
				u->o->label);
}

/* Where bucket j came from, for the leak message: a categorical column
 * if it sits among a record's last n_cat entries, else text: the text
 * column when there is one, NULL when there are several (the hashed
 * entries of a record do not say which text column gave them). */
static const char *origin(const struct run *u, uint32_t j, int *cat)
{
	const struct sift_feat_spec *s = &u->m->spec;

	for (size_t t = 0; t < u->n_train; t++) {
		size_t i = u->train[t];
		uint64_t end = u->d->off[i + 1];

		for (uint64_t q = u->d->off[i]; q < end; q++)
			if (u->d->idx[q] == j) {
				uint64_t from_end = end - q;

				if (from_end <= s->n_cat) {
					*cat = 1;
					return s->cat[s->n_cat - from_end];
				}
				*cat = 0;
				return s->n_text == 1 ? s->text[0] : NULL;
			}
	}
	*cat = 0;
	return "?";
}

static void diag_leak_buckets(struct run *u)
{
	uint32_t nb = UINT32_C(1) << u->m->spec.bits;
	size_t k = u->k;
	uint32_t *cnt, *last;

	if (k > 16 || (uint64_t)nb * k > (UINT64_C(1) << 27))
		return;
	cnt = calloc((size_t)nb * k, sizeof *cnt);
	last = malloc((size_t)nb * sizeof *last);
	if (!cnt || !last)
		goto out;
	memset(last, 0xff, (size_t)nb * sizeof *last);
	for (size_t t = 0; t < u->n_train; t++) {
		size_t i = u->train[t];
		int32_t y = u->d->label[i];

		if (y < 0)
			continue;
		for (uint64_t q = u->d->off[i]; q < u->d->off[i + 1]; q++) {
			uint32_t j = u->d->idx[q];

			if (j < nb && last[j] != (uint32_t)t) {
				last[j] = (uint32_t)t;
				cnt[(size_t)j * k + (size_t)y]++;
			}
		}
	}
	for (uint32_t j = 0; j < nb; j++)
		for (size_t c = 0; c < k; c++) {
			uint64_t nc = u->res->class_count[c], other = 0;

			if (nc < 5 || cnt[(size_t)j * k + c] != nc)
				continue;
			for (size_t q = 0; q < k; q++)
				other += q == c ? 0 : cnt[(size_t)j * k + q];
			if (other == 0) {
				int cat;
				const char *col = origin(u, j, &cat);
				char where[300];

				if (col)
					snprintf(where, sizeof where,
						 "a %s feature of column "
						 "'%.200s'",
						 cat ? "categorical" : "text",
						 col);
				else
					snprintf(where, sizeof where,
						 "a text feature (of one of "
						 "the --text columns)");
				sift_note_add(
					u->res->diagnostics,
					sizeof u->res->diagnostics,
					"one feature alone predicts the label "
					"perfectly: %s is in every '%s' record "
					"and in no other: a leak? (the label "
					"or "
					"something derived from it among the "
					"features); drop that column",
					where, u->m->classes[c]);
				goto out;
			}
		}
out:
	free(cnt);
	free(last);
}

static void diag_leak_numeric(struct run *u)
{
	const struct sift_feat_spec *s = &u->m->spec;
	uint32_t base = UINT32_C(1) << s->bits;

	if (u->k != 2)
		return;
	for (size_t col = 0; col < s->n_num; col++) {
		double lo[2] = { INFINITY, INFINITY },
		       hi[2] = { -INFINITY, -INFINITY };

		for (size_t t = 0; t < u->n_train; t++) {
			size_t i = u->train[t];
			int32_t y = u->d->label[i];

			for (uint64_t q = u->d->off[i];
			     y >= 0 && q < u->d->off[i + 1]; q++)
				if (u->d->idx[q] == base + col) {
					double x = u->d->val[q];

					lo[y] = x < lo[y] ? x : lo[y];
					hi[y] = x > hi[y] ? x : hi[y];
				}
		}
		if (u->res->class_count[0] >= 5 &&
		    u->res->class_count[1] >= 5 &&
		    (hi[0] < lo[1] || hi[1] < lo[0]))
			sift_note_add(u->res->diagnostics,
				      sizeof u->res->diagnostics,
				      "numeric column '%s' alone separates the "
				      "classes "
				      "perfectly: a leak? drop it from --num",
				      s->num[col]);
	}
}

static void diagnose(struct run *u)
{
	if (u->res->has_report)
		diag_predictions(u);
	diag_loss(u);
	diag_columns(u);
	diag_leak_buckets(u);
	diag_leak_numeric(u);
}

/* ---- the whole run ---- */

static int export_svm(const struct sift_dataset *d, struct sift_writer *w,
		      struct sift_error *err)
{
	struct sift_svm_buf b = { 0 };
	int rc = 0;

	for (size_t i = 0; i < d->n && !rc; i++) {
		uint64_t a = d->off[i];

		if (d->label[i] >= 0)
			rc = sift_features_write_svm(
				w, d->label[i], d->idx + a, d->val + a,
				(size_t)(d->off[i + 1] - a), &b, err);
	}
	sift_features_svm_free(&b);
	return rc;
}

static int record_options(struct run *u, struct sift_error *err)
{
	const struct sift_train_opts *o = u->o;
	static const char *const cw[] = { "none", "balanced", "list" };
	static const char *const th[] = { "default", "none", "f1", "cost" };
	static const char *const stop[] = { "macro-f1", "ap", "cost" };
	char v[64];
	int rc = 0;

#define OPT(name, ...)                                                         \
	do {                                                                   \
		snprintf(v, sizeof v, __VA_ARGS__);                            \
		if (!rc)                                                       \
			rc = sift_model_set_option(u->m, name, v, err);        \
	} while (0)
	OPT("lr", "%.17g", o->lr);
	OPT("epochs", "%u", o->epochs);
	OPT("batch", "%zu", o->batch);
	OPT("l2", "%.17g", o->l2);
	OPT("seed", "%llu", (unsigned long long)o->seed);
	OPT("hidden", "%u", o->hidden);
	OPT("class-weight", "%s", cw[o->class_weight]);
	OPT("threshold", "%s", th[o->threshold]);
	OPT("cost", "FN=%.17g,FP=%.17g", o->cost_fn, o->cost_fp);
	OPT("holdout", "%.17g", o->valid ? 0.0 : o->holdout);
	OPT("early-stop", "%u", o->early_stop);
	OPT("early-stop-on", "%s", stop[o->stop_on]);
	OPT("self-train", "%u", o->self_train);
	OPT("confidence", "%.17g", o->confidence);
#undef OPT
	if (!rc && o->class_weight == SIFT_CW_LIST)
		rc = sift_model_set_option(u->m, "class-weights",
					   o->class_weights, err);
	if (!rc && o->weight)
		rc = sift_model_set_option(u->m, "weight", o->weight, err);
	return rc;
}

static int choose_positive(struct run *u, struct sift_error *err)
{
	uint64_t *n = u->res->class_count;

	if (u->o->positive) {
		for (size_t c = 0; c < u->k; c++)
			if (strcmp(u->m->classes[c], u->o->positive) == 0) {
				u->m->positive = (uint32_t)c;
				return 0;
			}
		return sift_error_set(err, SIFT_EUSAGE,
				      "--positive: no class '%s' in the "
				      "training data",
				      u->o->positive);
	}
	/* The rarer class; the second on a tie. */
	u->m->positive = u->k == 2 && n[0] < n[1] ? 0 : 1;
	if (u->k != 2)
		u->m->positive = 0;
	return 0;
}

static int prepare(struct run *u, struct sift_error *err)
{
	struct sift_model *m = u->m;
	size_t b = u->o->batch, k = u->k, hh = m->hidden ? m->hidden : 1;
	int rc;

	if ((rc = sift_model_alloc(m, err)))
		return rc;
	u->cw = calloc(k, sizeof *u->cw);
	u->p = calloc(b * k, sizeof *u->p);
	u->g = calloc(b * k, sizeof *u->g);
	u->h = calloc(b * hh, sizeof *u->h);
	u->da = calloc(b * hh, sizeof *u->da);
	u->ep_train_loss = calloc(u->o->epochs + 1, sizeof(double));
	u->ep_valid_loss = calloc(u->o->epochs + 1, sizeof(double));
	u->ep_valid_obj = calloc(u->o->epochs + 1, sizeof(double));
	if (u->n_valid && u->o->early_stop)
		u->best_w = malloc(m->n_w * sizeof *m->w);
	if (!u->cw || !u->p || !u->g || !u->h || !u->da || !u->ep_train_loss ||
	    !u->ep_valid_loss || !u->ep_valid_obj ||
	    (u->n_valid && u->o->early_stop && !u->best_w))
		return sift_error_nomem(err);
	return class_weights(u, err);
}

static void run_free(struct run *u)
{
	free(u->train);
	free(u->valid);
	free(u->cw);
	free(u->p);
	free(u->g);
	free(u->h);
	free(u->da);
	free(u->best_w);
	free(u->ep_train_loss);
	free(u->ep_valid_loss);
	free(u->ep_valid_obj);
}

static int load_all(struct run *u, struct sift_reader *r,
		    struct sift_dataset *vd, struct sift_error *err)
{
	struct sift_intern *seen = sift_intern_new(), *sorted = NULL;
	struct sift_reader *vr = NULL;
	struct source src = { 0 }, vsrc = { 0 };
	int rc;

	if (!seen)
		return sift_error_nomem(err);
	if ((rc = open_source(&src, r, &u->m->spec, u->o, err)) ||
	    (rc = load(&src, &u->m->spec, seen, 1, u->d, err)))
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

static int count_classes(struct run *u, struct sift_error *err)
{
	struct sift_train_result *res = u->res;

	res->n_classes = u->k;
	res->class_count = calloc(u->k, sizeof *res->class_count);
	res->class_weight = calloc(u->k, sizeof *res->class_weight);
	if (!res->class_count || !res->class_weight)
		return sift_error_nomem(err);
	for (size_t t = 0; t < u->n_train; t++) {
		int32_t y = u->d->label[u->train[t]];

		if (y >= 0)
			res->class_count[y]++;
	}
	res->n_records = u->d->n;
	res->n_unlabeled = u->d->n_unlabeled;
	res->n_labeled = u->d->n - u->d->n_unlabeled;
	res->n_valid = u->n_valid;
	res->n_train = 0;
	for (size_t c = 0; c < u->k; c++)
		res->n_train += res->class_count[c];
	return 0;
}

static int final_report(struct run *u, struct sift_error *err)
{
	const struct sift_dataset *ds = u->n_valid ? u->v : u->d;
	const size_t *idx = u->n_valid ? u->valid : u->train;
	size_t n = u->n_valid ? u->n_valid : u->n_train;
	int rc = evaluate(u, ds, idx, n, &u->res->report, NULL, err);

	u->res->has_report = 1;
	u->res->report_on_valid = u->n_valid > 0;
	if (!u->n_valid)
		sift_note_add(u->res->notes, sizeof u->res->notes,
			      "no validation data: the report is on the "
			      "training data "
			      "and is optimistic");
	return rc;
}

int sift_train(struct sift_reader *r, const struct sift_train_opts *o,
	       const struct sift_train_hooks *hooks, struct sift_model *m,
	       struct sift_train_result *res, struct sift_error *err)
{
	struct sift_dataset d = { 0 }, vd = { 0 };
	struct sift_train_opts oo = *o;
	struct run u = { 0 };
	double t0 = now();
	int rc;

	memset(res, 0, sizeof *res);
	if (oo.lr == 0)
		oo.lr = sift_train_default_lr(oo.hidden);
	o = &oo;
	u.o = o;
	u.hooks = hooks;
	u.m = m;
	u.res = res;
	u.d = &d;
	u.v = &d;
	m->kind = o->hidden ? SIFT_MODEL_MLP : SIFT_MODEL_LINEAR;
	m->hidden = o->hidden;
	if (!o->batch || !o->epochs || !(o->lr > 0) || !isfinite(o->lr))
		return sift_error_set(err, SIFT_EUSAGE,
				      "--batch, --epochs and --lr must be > 0");
	if (!(m->label = strdup(o->label)))
		return sift_error_nomem(err);
	sift_rng_seed(&u.rng, o->seed);
	if ((rc = load_all(&u, r, &vd, err)) || (rc = split(&u, err)) ||
	    (rc = count_classes(&u, err)) || (rc = choose_positive(&u, err)))
		goto out;
	standardize(&u);
	if ((rc = normalise_weights(&u, sift_reader_name(r), err)))
		goto out;
	if (o->export_svm && (rc = export_svm(&d, o->export_svm, err)))
		goto out;
	res->seconds_load = now() - t0;
	t0 = now();
	if ((rc = prepare(&u, err)))
		goto out;
	memcpy(res->class_weight, u.cw, u.k * sizeof *u.cw);
	if ((rc = fit(&u, 0, err)) ||
	    (o->self_train && (rc = self_train(&u, err))) ||
	    (rc = tune_threshold(&u, err)) || (rc = final_report(&u, err)) ||
	    (rc = record_options(&u, err)))
		goto out;
	res->seconds_train = now() - t0;
	diagnose(&u);
out:
	run_free(&u);
	sift_dataset_free(&d);
	sift_dataset_free(&vd);
	return rc;
}
