/*
 * sift/predict.h - scoring a stream of records with a model.
 *
 * sift_predict_run reads every record of r, computes its features as the
 * model's spec says, and writes it to w byte for byte with the predicted
 * class (column "pred") and, if asked, each class's probability (columns
 * "p_<class>") appended, in the reader's dialect.
 */
#ifndef SIFT_PREDICT_H
#define SIFT_PREDICT_H

#include "sift/error.h"
#include "sift/model.h"
#include "sift/reader.h"
#include "sift/writer.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sift_predict_opts {
	double threshold; /* binary models: predict the positive class when
			     its probability is >= threshold; < 0 for the
			     model's own */
	int proba;        /* append the p_<class> columns */
	int raw;          /* the p_ columns before the model's calibration (the
			     decision is still made on the calibrated ones) */
	struct sift_writer *svm; /* also write each record's hashed
				    features in the LIBSVM format (its
				    label's class id, or -1), or NULL */
};

/* Defaults: the model's threshold, the probabilities, no LIBSVM. */
void sift_predict_opts_init(struct sift_predict_opts *o);

/* Score r into w with m. Returns 0 or an error code (a record whose
 * features cannot be computed is SIFT_EDATA, naming its line); w and
 * o->svm are flushed by the caller's close, not closed here. */
int sift_predict_run(struct sift_reader *r, struct sift_writer *w,
		     const struct sift_model *m,
		     const struct sift_predict_opts *o, struct sift_error *err);

/* The header line of sift predict's output: r's header, byte for byte,
 * with "pred" and (if proba) a "p_<class>" column per class of m
 * appended, and the header's line ending; nothing when r has no header.
 * Sets w's quoting to r's first, so that the appended fields are in the
 * input's dialect: call it before sift_predict_write_record. */
int sift_predict_write_header(struct sift_writer *w, struct sift_reader *r,
			      const struct sift_model *m, int proba,
			      struct sift_error *err);

/* One output record: rec (read from r) byte for byte, then the name of
 * class pred, then (if proba) the probabilities p[0 .. n_classes) in
 * the shortest form that reads back, then rec's line ending ("\n" for an
 * unterminated last record). */
int sift_predict_write_record(struct sift_writer *w, struct sift_reader *r,
			      const struct sift_record *rec,
			      const struct sift_model *m, uint32_t pred,
			      const double *p, int proba,
			      struct sift_error *err);

#ifdef __cplusplus
}
#endif

#endif
