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

#ifdef __cplusplus
}
#endif

#endif
