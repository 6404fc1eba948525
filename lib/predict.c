/*
 * lib/predict.c - scoring a stream of records with a model (see
 * sift/predict.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sift/features.h"
#include "sift/model.h"
#include "sift/predict.h"

int sift_predict_write_header(struct sift_writer *w, struct sift_reader *r,
			      const struct sift_model *m, int proba,
			      struct sift_error *err)
{
	const struct sift_record *h = sift_reader_header(r);
	char d = sift_reader_delim(r);
	int rc;

	/* pred and the p_ columns in the input's dialect */
	sift_writer_set_quoting(w, sift_reader_quoting(r));
	if (!h)
		return 0;
	if ((rc = sift_writer_write(w, h->raw, h->len, err)) ||
	    (rc = sift_writer_field(w, d, "pred", 4, err)))
		return rc;
	for (size_t c = 0; proba && c < m->n_classes; c++) {
		char name[512];
		int n = snprintf(name, sizeof name, "p_%s", m->classes[c]);

		if ((rc = sift_writer_field(w, d, name,
					    (size_t)n < sizeof name
						    ? (size_t)n
						    : sizeof name - 1,
					    err)))
			return rc;
	}
	return sift_writer_puts(w, *h->eol ? h->eol : "\n", err);
}

int sift_predict_write_record(struct sift_writer *w, struct sift_reader *r,
			      const struct sift_record *rec,
			      const struct sift_model *m, uint32_t pred,
			      const double *p, int proba,
			      struct sift_error *err)
{
	const char *name = m->classes[pred];
	char d = sift_reader_delim(r);
	int rc;

	if ((rc = sift_writer_write(w, rec->raw, rec->len, err)) ||
	    (rc = sift_writer_field(w, d, name, strlen(name), err)))
		return rc;
	for (size_t c = 0; proba && c < m->n_classes && !rc; c++)
		rc = sift_writer_double(w, d, p[c], err);
	return rc ? rc : sift_writer_puts(w, *rec->eol ? rec->eol : "\n", err);
}

/* The class id of the record's label, for --export-svm: -1 when the
 * input has no label column, or the label is not one of the model's. */
static long label_id(struct sift_reader *r, size_t col,
		     const struct sift_model *m)
{
	const char *f;
	size_t len;
	struct sift_error e;

	if (col == (size_t)-1 || sift_reader_field(r, col, &f, &len, &e))
		return -1;
	for (size_t c = 0; c < m->n_classes; c++)
		if (strlen(m->classes[c]) == len &&
		    memcmp(m->classes[c], f, len) == 0)
			return (long)c;
	return -1;
}

void sift_predict_opts_init(struct sift_predict_opts *o)
{
	o->threshold = -1;
	o->proba = 1;
	o->svm = NULL;
}

int sift_predict_run(struct sift_reader *r, struct sift_writer *w,
		     const struct sift_model *m,
		     const struct sift_predict_opts *o, struct sift_error *err)
{
	struct sift_writer *svm = o->svm;
	struct sift_svm_buf sb = { 0 };
	size_t label_col = (size_t)-1;
	struct sift_feat_vec v;
	const struct sift_record *rec;
	size_t *cols = NULL;
	double *p = malloc(2 * m->n_classes * sizeof *p), *cal;
	double *scratch = calloc(sift_model_scratch(m) + 1, sizeof *scratch);
	int rc;

	sift_feat_vec_init(&v);
	if (!p || !scratch) {
		rc = sift_error_nomem(err);
		goto out;
	}
	cal = p + m->n_classes;
	if ((rc = sift_features_bind(&m->spec, r, &cols, err)) ||
	    (rc = sift_predict_write_header(w, r, m, o->proba, err)))
		goto out;
	if (svm && m->label) {
		struct sift_error e;

		if (sift_reader_column(r, m->label, &label_col, &e))
			label_col = (size_t)-1;
	}
	while (!(rc = sift_reader_next(r, &rec, err)) && rec) {
		uint32_t pred;

		if ((rc = sift_features_extract(&m->spec, r, rec->line, cols, 0,
						&v, NULL, err)))
			break;
		if (svm && (rc = sift_features_write_svm(
				    svm, label_id(r, label_col, m), v.idx,
				    v.val, v.n, &sb, err)))
			break;
		/* raw: the columns before the calibration, the decision
		 * after it */
		sift_model_proba_raw(m, v.idx, v.val, v.n, scratch, p);
		memcpy(cal, p, m->n_classes * sizeof *p);
		sift_calibration_apply(&m->cal, cal, m->n_classes);
		pred = sift_model_decide(m, cal, o->threshold);
		if (!o->raw)
			memcpy(p, cal, m->n_classes * sizeof *p);
		if ((rc = sift_predict_write_record(w, r, rec, m, pred, p,
						    o->proba, err)))
			break;
	}
out:
	sift_features_svm_free(&sb);
	sift_feat_vec_free(&v);
	free(cols);
	free(p);
	free(scratch);
	return rc;
}
