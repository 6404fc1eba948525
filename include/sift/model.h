/*
 * sift/model.h - a trained classifier and its file format, sift-model(5).
 *
 * A model is everything sift predict needs to reproduce training's view
 * of a record and score it: the feature spec (columns, tokenizer
 * settings, hashing, numeric standardization), the class names, the
 * decision threshold, the options it was trained with, and the
 * parameters, as 32-bit floats:
 *
 *   linear (hidden 0): W[dim][K] then b[K]      (sift/linear.h)
 *   mlp (hidden H):    E[dim][H], b1[H], W2[K][H], b2[K] (sift/mlp.h)
 *
 * with dim = 2^bits + n_num and K classes. The file is a 40-byte header
 * (magic, version, sizes, two CRC-32s) and a zlib stream of the fields;
 * every length read from it is checked against the bytes that are left,
 * so a truncated, corrupted or foreign file is an error, never a crash.
 */
#ifndef SIFT_MODEL_H
#define SIFT_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "sift/calibrate.h"
#include "sift/error.h"
#include "sift/features.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SIFT_MODEL_MAGIC "SIFTMODL"
/* The newest format read and written: 2 adds the calibration, and is
 * written only by a calibrated model, so that a model without one stays
 * readable by a sift that knows version 1. */
#define SIFT_MODEL_VERSION     2
#define SIFT_MODEL_MAX_CLASSES 1024
#define SIFT_MODEL_MAX_HIDDEN  4096

enum sift_model_kind { SIFT_MODEL_LINEAR = 0, SIFT_MODEL_MLP = 1 };

struct sift_model {
	enum sift_model_kind kind;
	uint32_t hidden; /* H for an mlp, 0 for linear */
	struct sift_feat_spec spec;
	char *label; /* the label column it was trained on */
	size_t n_classes;
	char **classes; /* class names, ids 0 .. n_classes-1 */
	/* Binary models: predict `positive` when its probability is >=
	 * threshold (has_threshold), else the most probable class. */
	int has_threshold;
	double threshold;
	uint32_t positive;
	/* Applied to the probabilities by sift_model_proba (kind none:
	 * nothing); sift_model_free frees it. */
	struct sift_calibration cal;
	size_t n_opts; /* the training options, as name/value text */
	char **opt_name, **opt_value;
	uint32_t dim; /* sift_feat_dim(&spec) */
	size_t n_w;
	float *w;
};

/* An empty model; the spec gets its defaults. */
void sift_model_init(struct sift_model *m);

/* Free everything m owns (m itself is the caller's); m may be NULL. */
void sift_model_free(struct sift_model *m);

/* Add a class name (copied); returns 0 or SIFT_ENOMEM. */
int sift_model_add_class(struct sift_model *m, const char *name,
			 struct sift_error *err);

/* Record a training option (copied, replacing one of the same name). */
int sift_model_set_option(struct sift_model *m, const char *name,
			  const char *value, struct sift_error *err);

/* The number of parameters for m's kind, hidden, spec and classes; 0
 * when it would overflow. */
size_t sift_model_param_count(const struct sift_model *m);

/* Set dim and allocate n_w zeroed parameters. Returns 0, SIFT_ENOMEM. */
int sift_model_alloc(struct sift_model *m, struct sift_error *err);

/* Class probabilities of the features idx/val[0..n) into proba[K],
 * calibrated when m has a calibration; scratch holds at least
 * sift_model_scratch(m) doubles. */
void sift_model_proba(const struct sift_model *m, const uint32_t *idx,
		      const float *val, size_t n, double *scratch,
		      double *proba);

/* The same before any calibration: the network's own softmax. */
void sift_model_proba_raw(const struct sift_model *m, const uint32_t *idx,
			  const float *val, size_t n, double *scratch,
			  double *proba);
size_t sift_model_scratch(const struct sift_model *m);

/* The class decided from proba: for a binary model with a threshold t
 * (threshold >= 0 overrides the stored one), the positive class when its
 * probability is >= t; otherwise the most probable class (the lowest id
 * on a tie). */
uint32_t sift_model_decide(const struct sift_model *m, const double *proba,
			   double threshold);

/* Write m to path atomically (a temporary file beside it, renamed into
 * place). The bytes depend only on m. Returns 0, SIFT_EIO, SIFT_ENOMEM. */
int sift_model_save(const struct sift_model *m, const char *path,
		    struct sift_error *err);

/* Read path into m (initialised here). Every failure is SIFT_EDATA with a
 * message naming the file and the fault (not a sift model, truncated,
 * corrupted, a newer format version), or SIFT_EIO / SIFT_ENOMEM; m is
 * then empty. */
int sift_model_load(const char *path, struct sift_model *m,
		    struct sift_error *err);

#ifdef __cplusplus
}
#endif

#endif
