/*
 * lib/train.c - the training loop (sift/train.h).
 *
 * Read once into a struct sift_dataset, split (stratified, seeded),
 * standardize the numeric columns with the training part's mean and sd,
 * then epochs of mini-batch SGD whose learning rate decays linearly to 0
 * over the planned steps, as fastText does (Joulin et al. 2017). Every
 * figure reported on validation data comes from sift/metrics.h.
 *
 * Reading the records is lib/train_read.c's, the diagnostics after
 * the run lib/train_diagnose.c's; they share the run's state,
 * struct train_run (lib/train_impl.h).
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sift/cost.h"
#include "sift/linear.h"
#include "sift/mlp.h"
#include "sift/parse.h"
#include "sift/rng.h"
#include "sift/train.h"
#include "train_impl.h"

void sift_train_opts_init(struct sift_train_opts *o)
{
	memset(o, 0, sizeof *o);
	o->lr = 0; /* the model's default: see sift_train_default_lr */
	o->epochs = 10;
	o->batch = 8;
	o->l2 = 1e-6;
	o->holdout = 0.1;
	o->cost_fn = 1;
	o->cost_fp = 1;
	o->confidence = 0.95;
}

double sift_train_default_lr(unsigned hidden)
{
	/* Chosen with the epochs, the n-grams and the penalty on real
	 * text (bench/quality.sh): softmax regression underfits
	 * at small steps, and with features of unit norm and the penalty
	 * chosen on validation a step of lr / batch = 1 a record is
	 * stable. The hidden layer's embedding bag wants smaller steps. */
	return hidden ? 0.5 : 8.0;
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
					    "`cost`: '%s': sift train weighs "
					    "its two errors only: give "
					    "FN=X,FP=Y",
					    e->text);
		else if (e->cost < 0)
			rc = sift_error_set(err, SIFT_EUSAGE,
					    "`cost`: '%s': a cost must be >= 0",
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

/* ---- splitting, standardizing, weighting ---- */

/* Stratified holdout: from each class, a seeded random round(f n_c)
 * records (at most n_c - 1) go to validation; unlabeled records stay in
 * training (self-training may use them). */
static int split(struct train_run *u, struct sift_error *err)
{
	struct sift_dataset *d = u->d;
	size_t n_part = u->part ? u->n_part : d->n;
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

			for (size_t t = 0; t < n_part; t++) {
				size_t i = u->part ? u->part[t] : t;

				if (d->label[i] == (int32_t)c)
					pool[n++] = i;
			}
			sift_rng_shuffle(&u->rng, pool, n, sizeof *pool);
			take = (size_t)floor(u->o->holdout * (double)n + 0.5);
			if (take >= n)
				take = n ? n - 1 : 0;
			for (size_t i = 0; i < take; i++)
				is_valid[pool[i]] = 1;
		}
	}
	for (size_t t = 0; t < n_part; t++) {
		size_t i = u->part ? u->part[t] : t;

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
static void standardize(struct train_run *u)
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

static int class_weights(struct train_run *u, struct sift_error *err)
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
				      "`class_weight`: the list is too long");
	strcpy(buf, o->class_weights);
	for (char *t = strtok_r(buf, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		char *eq = strrchr(t, '=');
		double w;
		size_t c;

		if (!eq || sift_parse_double(eq + 1, strlen(eq + 1), &w) ||
		    w < 0)
			return sift_error_set(err, SIFT_EUSAGE,
					      "`class_weight`: '%s' is not "
					      "LABEL=W with W >= 0",
					      t);
		*eq = 0;
		for (c = 0; c < u->k; c++)
			if (strcmp(u->m->classes[c], t) == 0)
				break;
		if (c == u->k)
			return sift_error_set(err, SIFT_EUSAGE,
					      "`class_weight`: no class '%s' "
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
static int normalise_weights(struct train_run *u, const char *name,
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

static void metrics_opts(const struct train_run *u,
			 struct sift_metrics_opts *mo)
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
 * threshold, or with the probabilities of proba (k a record of ds) if
 * not NULL; fill rep (free it after). Unlabeled records are left out.
 * objective (if not NULL) gets the mean loss that training minimises:
 * the log loss with each record weighted by its sample weight times its
 * class weight, which is the report's log loss when no class weights
 * are given. */
static int evaluate(struct train_run *u, const struct sift_dataset *ds,
		    const size_t *idx, size_t n, const double *proba,
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

		const double *pr = proba ? proba + i * u->k : u->p;

		if (ds->label[i] < 0)
			continue;
		if (!proba)
			sift_model_proba(u->m, ds->idx + a, ds->val + a,
					 (size_t)(ds->off[i + 1] - a), u->h,
					 u->p);
		rc = sift_metrics_add(mt, (uint32_t)ds->label[i],
				      sift_model_decide(u->m, pr, -1),
				      ds->weight[i], pr, err);
		if (objective) {
			double c = ds->weight[i] * u->cw[ds->label[i]];
			double p = pr[ds->label[i]];

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
static double stop_score(const struct train_run *u,
			 const struct sift_epoch_stats *st)
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

static void init_params(struct train_run *u)
{
	struct sift_model *m = u->m;

	if (m->kind == SIFT_MODEL_MLP)
		sift_mlp_init(m->w, m->dim, m->hidden, u->k, &u->rng);
	else
		memset(m->w, 0, m->n_w * sizeof *m->w);
}

/* One record's forward pass and gradient at the logits (and, for an
 * mlp, at the bag), into slot b of the batch buffers. */
static double forward(struct train_run *u, size_t i, size_t b, int *correct)
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

static void apply(struct train_run *u, size_t i, size_t b, double step)
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

/* The learning rate: from lr0 at batch `from` down linearly to zero at
 * batch `to` (see fit). */
struct schedule {
	double lr0;
	uint64_t from, to;
};

static double rate(const struct schedule *s, uint64_t step)
{
	if (step >= s->to)
		return 0;
	return s->lr0 *
	       (1.0 - (double)(step - s->from) / (double)(s->to - s->from));
}

/* One epoch over lab[0..n) in a seeded random order. *step counts the
 * batches done so far, for the learning-rate schedule sch. */
static void epoch(struct train_run *u, unsigned round, unsigned e, size_t *lab,
		  size_t n, uint64_t *step, const struct schedule *sch,
		  struct sift_epoch_stats *st)
{
	size_t bs = u->o->batch;
	uint64_t n_batches = (n + bs - 1) / bs;
	double sum_loss = 0, sum_c = 0, sum_ok = 0;

	sift_rng_shuffle(&u->rng, lab, n, sizeof *lab);
	for (uint64_t b = 0; b < n_batches; b++) {
		size_t from = (size_t)(b * bs),
		       to = from + bs < n ? from + bs : n;
		double lr = rate(sch, *step);
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

static int validate(struct train_run *u, struct sift_epoch_stats *st,
		    double *objective, struct sift_error *err)
{
	struct sift_metrics_report rep;
	int rc;

	*objective = NAN;
	st->has_valid = u->n_valid > 0;
	if (!st->has_valid)
		return 0;
	rc = evaluate(u, u->v, u->valid, u->n_valid, NULL, &rep, objective,
		      err);
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
static size_t labeled(const struct train_run *u, size_t *lab)
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

/* Patience ran out with epochs to go, at a rate still high: back to
 * the best epoch's weights, and the rate from where it is down to zero
 * over the next `early_stop` epochs (no more than are left), the best
 * epoch of the whole run kept. Without this, a generous --epochs kept
 * the rate high and early stopping the weights of an epoch trained at
 * that rate (issue 18). Returns the last epoch. */
static unsigned anneal(struct train_run *u, unsigned e, uint64_t step,
		       uint64_t n_batches, struct schedule *sch)
{
	unsigned left = u->o->epochs - e;
	unsigned a = u->o->early_stop < left ? u->o->early_stop : left;

	memcpy(u->m->w, u->best_w, u->m->n_w * sizeof *u->m->w);
	u->res->anneal_first = e + 1;
	u->res->anneal_base = u->res->best_epoch;
	sch->lr0 = rate(sch, step);
	sch->from = step;
	sch->to = step + a * n_batches;
	return e + a;
}

/* The epochs of one round (train_impl.h): the rate decays linearly
 * over the --epochs asked for; with --early-stop, see anneal. */
int train_fit(struct train_run *u, unsigned round, struct sift_error *err)
{
	const struct sift_train_opts *o = u->o;
	size_t *lab = malloc((u->n_train ? u->n_train : 1) * sizeof *lab);
	size_t n;
	uint64_t step = 0, n_batches;
	struct schedule sch;
	double best = -INFINITY, score = NAN;
	unsigned since = 0, last = o->epochs;
	int annealing = 0, rc = 0;

	if (!lab)
		return sift_error_nomem(err);
	n = labeled(u, lab);
	n_batches = (n + o->batch - 1) / o->batch;
	sch = (struct schedule){ o->lr, 0, (uint64_t)o->epochs * n_batches };
	if (!sch.to)
		sch.to = 1;
	init_params(u);
	u->n_ep = 0;
	u->res->best_epoch = 0;
	u->res->anneal_first = u->res->anneal_base = 0;
	for (unsigned e = 1; e <= last && !rc; e++) {
		struct sift_epoch_stats st = { 0 };
		double t0 = now();

		st.round = round;
		st.epoch = e;
		st.epochs = o->epochs;
		epoch(u, round, e, lab, n, &step, &sch, &st);
		if (!isfinite(st.train_loss) || !finite_params(u->m)) {
			rc = sift_error_set(err, SIFT_EDATA,
					    "the training loss or the weights "
					    "are %s at epoch %u: the learning "
					    "rate is too high; try `lr` %g",
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
		if (o->early_stop && st.has_valid && since >= o->early_stop &&
		    !annealing && u->best_w && e < last) {
			last = anneal(u, e, step, n_batches, &sch);
			annealing = 1;
			since = 0;
		}
	}
	u->fit_score = score;
	if (!rc && u->best_w && u->res->best_epoch) {
		memcpy(u->m->w, u->best_w, u->m->n_w * sizeof *u->m->w);
		u->fit_score = best;
	}
	if (!rc && !u->res->best_epoch)
		u->res->best_epoch = u->res->epochs_run;
	free(lab);
	return rc;
}

/* ---- threshold, self-training ---- */

static int tune_threshold(struct train_run *u, struct sift_error *err)
{
	enum sift_threshold_mode mode = u->o->threshold;
	const int on_oof = !u->n_valid && u->oof_p;
	struct sift_metrics_report rep;
	double t;
	int rc;

	if (mode == SIFT_TH_DEFAULT)
		mode = u->k == 2 ? SIFT_TH_F1 : SIFT_TH_NONE;
	if (mode == SIFT_TH_NONE)
		return 0;
	if (u->k != 2)
		return sift_error_set(err, SIFT_EUSAGE,
				      "`threshold`: a tuned threshold needs "
				      "two classes (the data has %zu)",
				      u->k);
	if (!u->n_valid && !on_oof) {
		sift_note_add(u->res->notes, sizeof u->res->notes,
			      "no validation data: the threshold is not tuned "
			      "and stays 0.5 (`valid` FILE or `holdout` F; "
			      "with `cv` K and `holdout` 0 it is tuned on "
			      "the out-of-fold probabilities)");
		return 0;
	}
	u->m->has_threshold = 0;
	rc = on_oof ? evaluate(u, u->d, u->train, u->n_train, u->oof_p, &rep,
			       NULL, err)
		    : evaluate(u, u->v, u->valid, u->n_valid, NULL, &rep, NULL,
			       err);
	if (rc) {
		sift_metrics_report_free(&rep);
		return rc;
	}
	t = figure(&rep, mode == SIFT_TH_COST ? SIFT_FIG_COST_THRESHOLD
					      : SIFT_FIG_BEST_THRESHOLD);
	sift_metrics_report_free(&rep);
	if (!(t >= 0 && t <= 1)) {
		sift_note_add(u->res->diagnostics, sizeof u->res->diagnostics,
			      "the threshold could not be tuned (no positive "
			      "%s record): it stays 0.5",
			      on_oof ? "labeled" : "validation");
		return 0;
	}
	u->m->has_threshold = 1;
	u->m->threshold = t;
	sift_note_add(u->res->notes, sizeof u->res->notes,
		      "threshold %.6g on P(%s), tuned for %s on the %s", t,
		      u->m->classes[u->m->positive],
		      mode == SIFT_TH_COST ? "the lowest cost" : "the best F1",
		      on_oof ? "out-of-fold probabilities" : "validation data");
	return 0;
}

/* ---- calibration ---- */

/* The labeled validation records' probabilities before any
 * calibration, their classes and weights: the data of a fit. */
struct cal_buf {
	double *p, *w;
	uint32_t *g;
};

static int calibration_data(struct train_run *u, struct cal_buf *b,
			    struct sift_cal_data *d, struct sift_error *err)
{
	size_t room = u->n_valid ? u->n_valid : 1, n = 0;
	double *p = b->p = malloc(room * u->k * sizeof *p);
	double *w = b->w = malloc(room * sizeof *w);
	uint32_t *g = b->g = malloc(room * sizeof *g);

	if (!p || !w || !g)
		return sift_error_nomem(err);
	for (size_t t = 0; t < u->n_valid; t++) {
		size_t i = u->valid[t];
		uint64_t a = u->v->off[i];

		if (u->v->label[i] < 0)
			continue;
		sift_model_proba_raw(u->m, u->v->idx + a, u->v->val + a,
				     (size_t)(u->v->off[i + 1] - a), u->h,
				     p + n * u->k);
		g[n] = (uint32_t)u->v->label[i];
		w[n++] = u->v->weight[i];
	}
	*d = (struct sift_cal_data){ n, u->k, p, g, w, u->m->positive };
	return 0;
}

/* The validation log loss and ECE with the model as it is. */
static int calibration_figures(struct train_run *u, double *loss, double *ece,
			       struct sift_error *err)
{
	struct sift_metrics_report rep;
	int rc = evaluate(u, u->v, u->valid, u->n_valid, NULL, &rep, NULL, err);

	if (!rc) {
		*loss = figure(&rep, SIFT_FIG_LOG_LOSS);
		*ece = figure(&rep, SIFT_FIG_ECE);
	}
	sift_metrics_report_free(&rep);
	return rc;
}

/* `calibrate`: fit the calibration on the validation data, by sample
 * weight (not class weight: the probabilities are to match the data's
 * frequencies), and store it in the model. */
static int calibrate(struct train_run *u, struct sift_error *err)
{
	enum sift_cal_kind kind = u->o->calibrate;
	struct cal_buf b = { NULL, NULL, NULL };
	struct sift_cal_data d = { 0 };
	double loss0, ece0, loss1, ece1;
	char what[64];
	int rc;

	if (kind == SIFT_CAL_NONE)
		return 0;
	if (!u->n_valid)
		return sift_error_set(err, SIFT_EUSAGE,
				      "`calibrate` needs validation data to "
				      "fit on (`valid` FILE or `holdout` F "
				      "above 0)");
	rc = calibration_data(u, &b, &d, err);
	for (uint32_t c = 0; c < u->k && !rc; c++) {
		double w = 0;

		for (size_t i = 0; i < d.n; i++)
			w += d.gold[i] == c ? d.weight[i] : 0;
		if (!(w > 0))
			rc = sift_error_set(
				err, SIFT_EDATA,
				"the validation data has no record of class "
				"'%s': `calibrate` %s needs every class to "
				"fit on (a larger `holdout`, or a `valid` "
				"FILE that has it)",
				u->m->classes[c], sift_cal_name(kind));
	}
	if (!rc)
		rc = calibration_figures(u, &loss0, &ece0, err);
	if (!rc)
		rc = sift_calibration_fit(kind, &d, &u->m->cal, err);
	free(b.p);
	free(b.w);
	free(b.g);
	if (!rc)
		rc = calibration_figures(u, &loss1, &ece1, err);
	if (rc)
		return rc;
	if (kind == SIFT_CAL_TEMPERATURE)
		snprintf(what, sizeof what, "temperature %.4g",
			 u->m->cal.temperature);
	else if (kind == SIFT_CAL_PLATT && u->k == 2)
		snprintf(what, sizeof what, "platt A %.4g B %.4g",
			 u->m->cal.map[0].a, u->m->cal.map[0].b);
	else if (kind == SIFT_CAL_ISOTONIC && u->k == 2)
		snprintf(what, sizeof what, "isotonic, %zu points",
			 u->m->cal.map[0].n);
	else
		snprintf(what, sizeof what, "%s, one class against the rest",
			 sift_cal_name(kind));
	sift_note_add(u->res->notes, sizeof u->res->notes,
		      "calibration %s, fitted on the %zu validation records: "
		      "on them, log loss %.4f -> %.4f, ECE %.4f -> %.4f",
		      what, d.n, loss0, loss1, ece0, ece1);
	return 0;
}

/* Pseudo-label the unlabeled training records the model is at least
 * confidence sure of; returns how many were added. */
static uint64_t pseudo_label(struct train_run *u, unsigned round,
			     uint64_t *added)
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

static int self_train(struct train_run *u, struct sift_error *err)
{
	uint64_t *added = calloc(u->k, sizeof *added);
	int rc = 0;

	if (!added)
		return sift_error_nomem(err);
	for (unsigned r = 1; r <= u->o->self_train && !rc; r++) {
		if (pseudo_label(u, r, added) == 0)
			break;
		rc = train_fit(u, r, err);
	}
	free(added);
	return rc;
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

static int record_options(struct train_run *u, struct sift_error *err)
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
	OPT("calibrate", "%s", sift_cal_name(o->calibrate));
#undef OPT
	if (!rc && o->class_weight == SIFT_CW_LIST)
		rc = sift_model_set_option(u->m, "class-weights",
					   o->class_weights, err);
	if (!rc && o->weight)
		rc = sift_model_set_option(u->m, "weight", o->weight, err);
	return rc;
}

static int choose_positive(struct train_run *u, struct sift_error *err)
{
	uint64_t *n = u->res->class_count;

	if (u->o->positive) {
		for (size_t c = 0; c < u->k; c++)
			if (strcmp(u->m->classes[c], u->o->positive) == 0) {
				u->m->positive = (uint32_t)c;
				return 0;
			}
		return sift_error_set(err, SIFT_EUSAGE,
				      "`positive`: no class '%s' in the "
				      "training data",
				      u->o->positive);
	}
	/* The rarer class; the second on a tie. */
	u->m->positive = u->k == 2 && n[0] < n[1] ? 0 : 1;
	if (u->k != 2)
		u->m->positive = 0;
	return 0;
}

static int prepare(struct train_run *u, struct sift_error *err)
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

static void run_free(struct train_run *u)
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

static int count_classes(struct train_run *u, struct sift_error *err)
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

static int final_report(struct train_run *u, struct sift_error *err)
{
	const struct sift_dataset *ds = u->n_valid ? u->v : u->d;
	const size_t *idx = u->n_valid ? u->valid : u->train;
	size_t n = u->n_valid ? u->n_valid : u->n_train;
	int rc = evaluate(u, ds, idx, n, NULL, &u->res->report, NULL, err);

	u->res->has_report = 1;
	u->res->report_on_valid = u->n_valid > 0;
	if (!u->n_valid)
		sift_note_add(u->res->notes, sizeof u->res->notes,
			      "no validation data: the report is on the "
			      "training data "
			      "and is optimistic");
	return rc;
}

int train_fit_loaded(struct train_run *u, const char *name, double t0,
		     struct sift_error *err)
{
	const struct sift_train_opts *o = u->o;
	struct sift_train_result *res = u->res;
	struct sift_train_opts chosen;
	int rc;

	/* A fold's model may hold the last fold's calibration. */
	sift_calibration_free(&u->m->cal);
	if ((rc = split(u, err)) || (rc = count_classes(u, err)) ||
	    (rc = choose_positive(u, err)))
		return rc;
	standardize(u);
	if ((rc = normalise_weights(u, name, err)))
		return rc;
	if (o->export_svm && (rc = export_svm(u->d, o->export_svm, err)))
		return rc;
	res->seconds_load = now() - t0;
	t0 = now();
	if ((rc = prepare(u, err)))
		return rc;
	memcpy(res->class_weight, u->cw, u->k * sizeof *u->cw);
	if (o->l2_mode == SIFT_L2_CHOOSE && !u->n_valid)
		return sift_error_set(err, SIFT_EUSAGE,
				      "`l2` auto chooses the penalty on "
				      "validation data, and there is none "
				      "(`holdout` is 0 or draws no record)");
	res->l2_chose = o->l2_mode != SIFT_L2_FIXED && u->n_valid;
	rc = res->l2_chose ? train_fit_choosing_l2(u, &chosen, err)
			   : train_fit(u, 0, err);
	if (!rc && o->self_train)
		rc = self_train(u, err);
	if (!rc && !(rc = calibrate(u, err)) &&
	    !(rc = tune_threshold(u, err)) && !(rc = final_report(u, err)))
		rc = record_options(u, err);
	if (!rc) {
		res->seconds_train = now() - t0;
		train_diagnose(u);
	}
	u->o = o;
	return rc;
}

void train_run_free(struct train_run *u)
{
	run_free(u);
	u->train = u->valid = NULL;
	u->n_train = u->n_valid = 0;
	u->cw = u->p = u->g = u->h = u->da = NULL;
	u->best_w = NULL;
	u->ep_train_loss = u->ep_valid_loss = u->ep_valid_obj = NULL;
	u->n_ep = 0;
}

void train_metrics_opts(const struct train_run *u, struct sift_metrics_opts *mo)
{
	metrics_opts(u, mo);
}

double train_now(void)
{
	return now();
}

int sift_train(struct sift_reader *r, const struct sift_train_opts *o,
	       const struct sift_train_hooks *hooks, struct sift_model *m,
	       struct sift_train_result *res, struct sift_error *err)
{
	struct sift_dataset d = { 0 }, vd = { 0 };
	struct sift_train_opts oo = *o;
	struct train_run u = { 0 };
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
				      "`batch`, `epochs` and `lr` must be > 0");
	if (!(m->label = strdup(o->label)))
		return sift_error_nomem(err);
	sift_rng_seed(&u.rng, o->seed);
	if (!(rc = train_load(&u, r, &vd, err)))
		rc = train_fit_loaded(&u, sift_reader_name(r), t0, err);
	run_free(&u);
	sift_dataset_free(&d);
	sift_dataset_free(&vd);
	return rc;
}
