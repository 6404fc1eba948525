/*
 * sift/svg.h - a metrics report drawn as one self-contained SVG: the
 * precision-recall curve, the ROC curve, the reliability diagram (each
 * calibration bin's observed share against its mean probability, and
 * the records in each) and the confusion matrix as a heat map (each row shaded
 * by the share of its gold class, so that a rare class's row is as readable as
 * a common one's).
 */
#ifndef SIFT_SVG_H
#define SIFT_SVG_H

#include "sift/curves.h"
#include "sift/error.h"
#include "sift/metrics.h"
#include "sift/reliability.h"
#include "sift/writer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Draw rep (title names the input) to w. roc, pr and bins (rep->bins
 * equal-width bins) may be NULL (no scores): then only the confusion
 * matrix is drawn. Curves of many
 * points are thinned to the resolution of the drawing. Returns 0 or the
 * writer's error. */
int sift_svg_metrics(struct sift_writer *w, const char *title,
		     const struct sift_metrics_report *rep,
		     const struct sift_curve *roc, const struct sift_curve *pr,
		     const struct sift_reliability_bin *bins,
		     struct sift_error *err);

#ifdef __cplusplus
}
#endif

#endif
