/*
 * lib/train_diagnose.c - what a finished training run says about itself,
 * in plain words with the fix: a model that predicts one class, a loss
 * that did not fall or swung, a column that does nothing, a feature
 * that leaks the label (see train_impl.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sift/train.h"
#include "train_impl.h"

static void diag_predictions(struct train_run *u)
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
			"0; try `class_weight` balanced",
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
static double heaviest(const struct train_run *u)
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

static int class_weighted(const struct train_run *u)
{
	for (size_t c = 0; c < u->k; c++)
		if (u->cw[c] != 1)
			return 1;
	return 0;
}

/* Returns whether it said so. */
static int diag_unstable(struct train_run *u)
{
	const double *vl =
		class_weighted(u) ? u->ep_valid_obj : u->ep_valid_loss;
	unsigned jumps = 0, at = 0, from = 0;
	double worst = 0, top;
	char more[64] = "", heavy[128] = "";

	for (unsigned e = 1; e < u->n_ep; e++) {
		/* An epoch that went back to the best weights follows
		 * them, not the epoch before it (see anneal in train.c). */
		unsigned prev = e + 1 == u->res->anneal_first
					? u->res->anneal_base - 1
					: e - 1;
		double rise = (vl[e] - vl[prev]) / vl[prev];

		if (!(vl[prev] > 0) || !(rise > UNSTABLE_RISE))
			continue;
		jumps++;
		if (rise > worst)
			worst = rise, at = e, from = prev;
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
		      "`lr` %g",
		      class_weighted(u) ? " (weighted by the class weights, "
					  "as in training)"
					: "",
		      100 * worst, from + 1, at + 1, vl[from], vl[at], more,
		      heavy, u->o->lr, u->o->lr / 10);
	return 1;
}

static void diag_loss(struct train_run *u)
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
			"epoch %u): the learning rate %g is too high; try `lr` "
			"%g",
			tl[0], tl[n - 1], n, u->o->lr, u->o->lr / 10);
	else if (fabs(tl[n - 1] - tl[0]) <= 1e-3 * fabs(tl[0]))
		sift_note_add(
			buf, size,
			"the training loss does not move (%.4g): the learning "
			"rate %g may be too low (try `lr` %g), or the features "
			"are empty",
			tl[0], u->o->lr, u->o->lr * 10);
	if (diag_unstable(u))
		return; /* the jumps explain a rise better than overfitting */
	/* Three epochs at the end, none of them a step back (anneal). */
	if (n >= 3 && (!u->res->anneal_first || n - 2 > u->res->anneal_first) &&
	    vl[n - 1] > vl[n - 2] && vl[n - 2] > vl[n - 3] &&
	    tl[n - 1] < tl[n - 3])
		sift_note_add(
			buf, size,
			"the validation loss rises (%.4g to %.4g) while the "
			"training loss falls: overfitting; use fewer epochs, "
			"more `l2`, or `early_stop` 2",
			vl[n - 3], vl[n - 1]);
}

static void diag_columns(struct train_run *u)
{
	const struct sift_feat_spec *s = &u->m->spec;

	for (size_t i = 0; i < s->n_text; i++)
		if (u->d->text_tokens[i] == 0)
			sift_note_add(
				u->res->diagnostics, sizeof u->res->diagnostics,
				"text column '%s' yielded no tokens in any "
				"record: check `text`",
				s->text[i]);
	for (size_t c = 0; c < u->k; c++)
		if (u->res->class_count[c] < 10)
			sift_note_add(
				u->res->diagnostics, sizeof u->res->diagnostics,
				"class '%s' has only %llu labeled training "
				"records: too few to learn it; label more of "
				"it "
				"(sift sample `by` %s ... | sift label)",
				u->m->classes[c],
				(unsigned long long)u->res->class_count[c],
				u->o->label);
}

/* Where bucket j came from, for the leak message: a categorical column
 * if it sits among a record's last n_cat entries, else text: the text
 * column when there is one, NULL when there are several (the hashed
 * entries of a record do not say which text column gave them). */
static const char *origin(const struct train_run *u, uint32_t j, int *cat)
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

static void diag_leak_buckets(struct train_run *u)
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
					sift_option_text("a text feature (of "
							 "one of the `text` "
							 "columns)",
							 where, sizeof where);
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

static void diag_leak_numeric(struct train_run *u)
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
				      "perfectly: a leak? drop it from `num`",
				      s->num[col]);
	}
}

void train_diagnose(struct train_run *u)
{
	if (u->res->has_report)
		diag_predictions(u);
	diag_loss(u);
	diag_columns(u);
	diag_leak_buckets(u);
	diag_leak_numeric(u);
}
