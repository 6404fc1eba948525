/*
 * sift/trainplot.h - a picture of a training run: training loss and
 * accuracy per batch (raw and smoothed), validation loss and macro-F1
 * per epoch, and the epoch whose weights were kept, drawn as one
 * self-contained SVG.
 *
 * The batches are kept in bounded memory whatever the run's length: at
 * most SIFT_TRAINPLOT_POINTS points, each the mean of `span` consecutive
 * batches (span doubles, pairs of points merging, when the points run
 * out), which is finer than the drawing's pixels. A run is filled
 * batch by batch and epoch by epoch as it trains (or from a training
 * log, sift_trainlog_plot in sift/trainlog.h), then drawn.
 */
#ifndef SIFT_TRAINPLOT_H
#define SIFT_TRAINPLOT_H

#include <stddef.h>
#include <stdint.h>

#include "sift/error.h"
#include "sift/train.h"
#include "sift/writer.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SIFT_TRAINPLOT_POINTS 4096

/* The mean loss and accuracy of `span` consecutive batches. */
struct sift_trainplot_point {
	double loss, acc;
};

/* An epoch: its figures, and the batches seen by its end. */
struct sift_trainplot_epoch {
	unsigned round, epoch;
	uint64_t batches_end;
	double train_loss, train_acc;
	int has_valid;
	double valid_loss, valid_macro_f1;
};

struct sift_trainplot {
	char title[512];    /* the first line of the drawing */
	char subtitle[512]; /* the second (empty: made from the run) */
	struct sift_trainplot_point point[SIFT_TRAINPLOT_POINTS];
	size_t n_point;
	uint64_t span;    /* batches a point */
	uint64_t n_batch; /* batches added */
	double pend_loss, pend_acc;
	uint64_t pend_n; /* batches of the point being filled */
	struct sift_trainplot_epoch *epoch;
	size_t n_epoch, cap_epoch;
	size_t kept; /* the kept epoch's index in epoch[] + 1; 0: none */
};

/* An empty plot (title empty); free with sift_trainplot_free. The
 * struct is large (about 64 KiB): allocate it, do not put it on a
 * small stack. */
void sift_trainplot_init(struct sift_trainplot *p);
void sift_trainplot_free(struct sift_trainplot *p);

/* One more batch's weighted mean loss and accuracy. */
void sift_trainplot_batch(struct sift_trainplot *p, double loss, double acc);

/* The end of an epoch, after its batches. Returns 0 or SIFT_ENOMEM. */
int sift_trainplot_epoch(struct sift_trainplot *p,
			 const struct sift_epoch_stats *st,
			 struct sift_error *err);

/* Mark the kept epoch: that epoch of the last round added. No such
 * epoch: nothing is marked. */
void sift_trainplot_keep(struct sift_trainplot *p, unsigned epoch);

/* Title p by its run: "OUTPUT, trained on INPUT" (input NULL or "-":
 * standard input; output NULL: "trained on INPUT"), and as subtitle
 * prefix (NULL: none), then the options as given that shape the model
 * (--name value ...; not those that name outputs or set verbosity), or
 * "the defaults". */
void sift_trainplot_title(struct sift_trainplot *p, const char *prefix,
			  const char *input, const char *output, size_t n_opts,
			  char *const *names, char *const *values);

/* Draw p to w: the title; a panel of loss (training per batch, light
 * when raw, dark when smoothed by an exponential moving average over
 * about 2% of the batches; validation per epoch, at the epoch's end);
 * a panel of accuracy and validation macro-F1 on [0, 1]; the epochs
 * along the x axis, the kept epoch marked, and a legend. A run with no
 * batch is SIFT_EDATA. Returns 0 or the writer's error. */
int sift_trainplot_svg(struct sift_writer *w, const struct sift_trainplot *p,
		       struct sift_error *err);

#ifdef __cplusplus
}
#endif

#endif
