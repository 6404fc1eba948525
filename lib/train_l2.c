/*
 * lib/train_l2.c - choosing the L2 penalty on the validation data
 * (sift/train.h, enum sift_l2_mode).
 *
 * Every penalty of the grid is a whole run of train_fit from the same
 * generator state, so each sees the same batches in the same order and
 * its score depends on the penalty alone. The runs are independent and
 * share the processors: the calling thread takes penalties 0, T, 2T, ...
 * on the run's own state, and each of T - 1 helper threads the others on
 * a copy of it that shares the data and owns its weights and buffers.
 * When nothing reads the batches (no batch hook), each share keeps the
 * state its best run ended with, the weights and the epochs' figures,
 * and the winner's is installed in the caller's run, its epochs passed
 * to the epoch hook afterwards: the same model and lines as a run of
 * its own, without the time of one. Otherwise the winner is run once
 * more on the caller's state with the hooks, for the log and the plot.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sift/train.h"
#include "train_impl.h"

const double sift_train_l2_grid[SIFT_TRAIN_L2_GRID] = { 1e-6, 1e-5, 1e-4, 3e-4,
							1e-3, 3e-3, 1e-2 };

/* One thread's share of the grid: penalties first, first + stride, ...
 * each scored into score[] (NaN for a run that failed). */
struct l2_share {
	struct train_run u;
	struct sift_train_opts o;
	struct sift_model m;          /* a copy of the run's, with its own w */
	struct sift_train_result res; /* what train_fit writes, unread */
	struct sift_rng start;
	unsigned first, stride;
	double *score;
	int rc;   /* 0 or SIFT_ENOMEM */
	int copy; /* u's buffers are this share's own */
	pthread_t thread;
	/* With keep_w: the state after the share's best run so far (the
	 * last of its best scores, as the choice below breaks ties), and
	 * the epochs of the run under way, recorded by record_epoch. */
	float *keep_w;
	int kept;
	unsigned keep_index, n_cur, n_keep;
	struct sift_epoch_stats *cur, *keep_ep;
	double *keep_tl, *keep_vl, *keep_vo;
	struct kept_run {
		unsigned best_epoch, epochs_run, anneal_first, anneal_base;
		unsigned n_ep;
		double fit_score;
		struct sift_rng rng;
	} keep;
	struct sift_train_hooks rec;
};

static void record_epoch(void *ctx, const struct sift_epoch_stats *st)
{
	struct l2_share *s = ctx;

	if (s->n_cur < s->o.epochs)
		s->cur[s->n_cur++] = *st;
}

static void swap_w(float **a, float **b)
{
	float *t = *a;

	*a = *b;
	*b = t;
}

/* Run i ended well with score: keep its state if it is the share's
 * best so far. The weights are swapped, not copied (the next run
 * starts them afresh). */
static void share_keep(struct l2_share *s, unsigned i, double score)
{
	const struct train_run *u = &s->u;
	size_t ne = u->n_ep * sizeof(double);
	struct sift_epoch_stats *ep = s->cur;

	if (!s->keep_w || isnan(score) ||
	    (s->kept && !(score >= s->keep.fit_score)))
		return;
	swap_w(&s->u.m->w, &s->keep_w);
	s->cur = s->keep_ep;
	s->keep_ep = ep;
	s->n_keep = s->n_cur;
	memcpy(s->keep_tl, u->ep_train_loss, ne);
	memcpy(s->keep_vl, u->ep_valid_loss, ne);
	memcpy(s->keep_vo, u->ep_valid_obj, ne);
	s->keep = (struct kept_run){ u->res->best_epoch,
				     u->res->epochs_run,
				     u->res->anneal_first,
				     u->res->anneal_base,
				     u->n_ep,
				     u->fit_score,
				     u->rng };
	s->keep_index = i;
	s->kept = 1;
}

static void share_runs(struct l2_share *s)
{
	for (unsigned i = s->first; i < SIFT_TRAIN_L2_GRID; i += s->stride) {
		struct sift_error failed = { 0 };
		int rc;

		s->o.l2 = sift_train_l2_grid[i];
		s->u.rng = s->start;
		s->n_cur = 0;
		rc = train_fit(&s->u, 0, &failed);
		if (rc == SIFT_ENOMEM) {
			s->rc = rc;
			return;
		}
		s->score[i] = rc ? NAN : s->u.fit_score;
		if (!rc)
			share_keep(s, i, s->u.fit_score);
	}
}

static void *share_thread(void *arg)
{
	share_runs(arg);
	return NULL;
}

static void keep_free(struct l2_share *s)
{
	free(s->keep_w);
	free(s->cur);
	free(s->keep_ep);
	free(s->keep_tl);
	free(s->keep_vl);
	free(s->keep_vo);
	s->keep_w = NULL;
	s->cur = s->keep_ep = NULL;
	s->keep_tl = s->keep_vl = s->keep_vo = NULL;
}

/* The buffers of share_keep, when nothing reads the batches; without
 * them (no memory) the share keeps nothing and the winner runs again. */
static void keep_init(struct l2_share *s, const struct train_run *u)
{
	size_t ne = u->o->epochs + 1;

	s->kept = 0;
	s->keep_w = NULL;
	if (u->hooks && u->hooks->batch)
		return;
	s->keep_w = malloc(u->m->n_w * sizeof *u->m->w);
	s->cur = calloc(ne, sizeof *s->cur);
	s->keep_ep = calloc(ne, sizeof *s->keep_ep);
	s->keep_tl = calloc(ne, sizeof(double));
	s->keep_vl = calloc(ne, sizeof(double));
	s->keep_vo = calloc(ne, sizeof(double));
	if (!s->keep_w || !s->cur || !s->keep_ep || !s->keep_tl ||
	    !s->keep_vl || !s->keep_vo) {
		keep_free(s);
		return;
	}
	s->rec = (struct sift_train_hooks){ s, NULL, record_epoch };
	s->u.hooks = &s->rec;
}

static void share_free(struct l2_share *s)
{
	keep_free(s);
	if (!s->copy)
		return;
	free(s->m.w);
	free(s->u.p);
	free(s->u.g);
	free(s->u.h);
	free(s->u.da);
	free(s->u.best_w);
	free(s->u.ep_train_loss);
	free(s->u.ep_valid_loss);
	free(s->u.ep_valid_obj);
}

/* s for the grid's runs on u itself (copy 0) or on a copy of u that
 * shares its data (copy 1). Returns 0 or SIFT_ENOMEM (s freed). */
static int share_init(struct l2_share *s, const struct train_run *u,
		      const struct sift_rng *start, int copy)
{
	const struct sift_model *m = u->m;
	size_t b = u->o->batch, k = u->k, hh = m->hidden ? m->hidden : 1;
	size_t ne = u->o->epochs + 1;

	memset(s, 0, sizeof *s);
	s->u = *u;
	s->o = *u->o;
	s->u.o = &s->o;
	s->u.hooks = NULL;
	s->start = *start;
	s->copy = copy;
	if (!copy) {
		keep_init(s, u);
		return 0;
	}
	s->m = *m;
	s->u.m = &s->m;
	s->res = *u->res;
	s->u.res = &s->res;
	s->m.w = malloc(m->n_w * sizeof *m->w);
	s->u.p = calloc(b * k, sizeof *s->u.p);
	s->u.g = calloc(b * k, sizeof *s->u.g);
	s->u.h = calloc(b * hh, sizeof *s->u.h);
	s->u.da = calloc(b * hh, sizeof *s->u.da);
	s->u.best_w = u->best_w ? malloc(m->n_w * sizeof *m->w) : NULL;
	s->u.ep_train_loss = calloc(ne, sizeof(double));
	s->u.ep_valid_loss = calloc(ne, sizeof(double));
	s->u.ep_valid_obj = calloc(ne, sizeof(double));
	if (!s->m.w || !s->u.p || !s->u.g || !s->u.h || !s->u.da ||
	    (u->best_w && !s->u.best_w) || !s->u.ep_train_loss ||
	    !s->u.ep_valid_loss || !s->u.ep_valid_obj) {
		share_free(s);
		return SIFT_ENOMEM;
	}
	keep_init(s, u);
	return 0;
}

/* Make u's state that of the run s kept, as if it had been run on u
 * with u's hooks: the weights (swapped in), the result's epochs, the
 * figures the diagnostics read, the generator after it; then the
 * epochs it recorded, to the epoch hook. */
static void install(struct train_run *u, struct l2_share *s)
{
	size_t ne = s->keep.n_ep * sizeof(double);

	swap_w(&u->m->w, &s->keep_w);
	u->res->best_epoch = s->keep.best_epoch;
	u->res->epochs_run = s->keep.epochs_run;
	u->res->anneal_first = s->keep.anneal_first;
	u->res->anneal_base = s->keep.anneal_base;
	u->n_ep = s->keep.n_ep;
	memcpy(u->ep_train_loss, s->keep_tl, ne);
	memcpy(u->ep_valid_loss, s->keep_vl, ne);
	memcpy(u->ep_valid_obj, s->keep_vo, ne);
	u->fit_score = s->keep.fit_score;
	u->rng = s->keep.rng;
	for (unsigned e = 0; u->hooks && u->hooks->epoch && e < s->n_keep; e++)
		u->hooks->epoch(u->hooks->ctx, &s->keep_ep[e]);
}

/* How many threads share the grid: the processors online, at most
 * SIFT_TRAIN_L2_THREADS and the grid's size. */
static unsigned grid_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		n = 1;
	if (n > SIFT_TRAIN_L2_THREADS)
		n = SIFT_TRAIN_L2_THREADS;
	if (n > SIFT_TRAIN_L2_GRID)
		n = SIFT_TRAIN_L2_GRID;
	return (unsigned)n;
}

int train_fit_choosing_l2(struct train_run *u, struct sift_train_opts *chosen,
			  struct sift_error *err)
{
	struct sift_train_result *res = u->res;
	struct l2_share share[SIFT_TRAIN_L2_THREADS];
	struct sift_rng start = u->rng;
	unsigned t, n = grid_threads(), started = 0;
	struct l2_share *owner;
	double top = NAN;
	unsigned best = 0;
	int rc = 0, installed;

	for (unsigned i = 0; i < SIFT_TRAIN_L2_GRID; i++)
		res->l2_score[i] = NAN;
	/* Copies first: one that cannot be made leaves its penalties to
	 * the threads that could. */
	for (t = 1; t < n; t++)
		if (share_init(&share[t], u, &start, 1))
			break;
	n = t;
	share_init(&share[0], u, &start, 0);
	for (t = 0; t < n; t++) {
		share[t].first = t;
		share[t].stride = n;
		share[t].score = res->l2_score;
	}
	for (t = 1; t < n; t++) {
		if (pthread_create(&share[t].thread, NULL, share_thread,
				   &share[t]))
			break;
		started++;
	}
	share_runs(&share[0]);
	/* A thread that did not start: its share here, after ours. */
	for (t = 1 + started; t < n; t++)
		share_runs(&share[t]);
	for (t = 1; t <= started; t++)
		pthread_join(share[t].thread, NULL);
	for (t = 0; t < n; t++)
		if (share[t].rc)
			rc = share[t].rc;
	for (unsigned i = 0; rc == 0 && i < SIFT_TRAIN_L2_GRID; i++) {
		double s = res->l2_score[i];

		if (!isnan(s) && (isnan(top) || s >= top)) {
			top = s;
			best = i;
		}
	}
	*chosen = *u->o;
	chosen->l2 = sift_train_l2_grid[best];
	u->o = chosen;
	res->l2_chosen = best;
	owner = &share[best % n];
	installed = !rc && owner->kept && owner->keep_index == best;
	if (installed)
		install(u, owner);
	for (t = 0; t < n; t++)
		share_free(&share[t]);
	if (rc)
		return sift_error_nomem(err);
	if (installed)
		return 0;
	u->rng = start;
	return train_fit(u, 0, err);
}
