/*
 * sift/metrics_format.h - a metrics report as text, CSV or JSON.
 *
 * text is an aligned table for people; csv and json are stable for
 * scripts, their field names listed in sift-metrics(1). A run writes
 * begin, one report per slice (the whole input first, slice NULL), end.
 */
#ifndef SIFT_METRICS_FORMAT_H
#define SIFT_METRICS_FORMAT_H

#include "sift/error.h"
#include "sift/metrics.h"
#include "sift/writer.h"

#ifdef __cplusplus
extern "C" {
#endif

enum sift_metrics_format {
	SIFT_METRICS_TEXT,
	SIFT_METRICS_CSV,
	SIFT_METRICS_JSON,
};

/* "text", "csv" or "json" to its format, or -1. */
int sift_metrics_format_parse(const char *name);

/* The csv header line, or json's opening; nothing for text. */
int sift_metrics_write_begin(struct sift_writer *w,
			     enum sift_metrics_format fmt,
			     struct sift_error *err);

/* One report; slice names the slice (--by), or NULL for all records.
 * first is 1 for the first report of a run. */
int sift_metrics_write(struct sift_writer *w, enum sift_metrics_format fmt,
		       const struct sift_metrics_report *rep, const char *slice,
		       int first, struct sift_error *err);

/* json's closing; nothing for text and csv. */
int sift_metrics_write_end(struct sift_writer *w, enum sift_metrics_format fmt,
			   struct sift_error *err);

/* A curve as CSV rows "threshold,x,y" (x, y named by kind: fpr,tpr or
 * recall,precision), preceded by a slice column when slice is not NULL;
 * header writes the header line first. */
int sift_metrics_write_curve(struct sift_writer *w,
			     const struct sift_curve *curve,
			     enum sift_curve_kind kind, const char *slice,
			     int header, struct sift_error *err);

/* Calibration bins as CSV rows "bin,lo,hi,count,weight,mean_predicted,
 * observed" (bin from 1; the means empty for a bin of no weight),
 * preceded by a slice column when slice is not NULL; header writes the
 * header line first. */
int sift_metrics_write_reliability(struct sift_writer *w,
				   const struct sift_reliability_bin *bins,
				   size_t n_bins, const char *slice, int header,
				   struct sift_error *err);

#ifdef __cplusplus
}
#endif

#endif
