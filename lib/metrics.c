/*
 * lib/metrics.c - classification metrics from accumulated records (see
 * sift/metrics.h; the formulas are written out in sift-metrics(1)).
 *
 * Every figure is a function of the records, each record's weight
 * multiplied by an optional multiplier. Without one it is the report;
 * with a bootstrap resample's counts (sift/bootstrap.h) it is the same
 * figure on the resample. Scored records are sorted once by the score of
 * the positive class, in place, so that every resample's ROC and
 * threshold sweeps are a single pass in O(n).
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sift/bootstrap.h"
#include "sift/curves.h"
#include "sift/mem.h"
#include "sift/metrics.h"
#include "sift/rng.h"

enum mode { MODE_EMPTY, MODE_PLAIN, MODE_SCORE, MODE_PROBA };

struct sift_metrics {
	size_t n_proba;
	enum mode mode;
	size_t n, cap;
	uint32_t *gold, *pred;
	double *weight; /* NULL while every weight is 1 */
	double *score;  /* n scores, or n rows of n_proba probabilities */
	double *key;    /* the positive class's scores (proba mode) */
	uint32_t n_seen;
	int canonical;     /* the records are in canonical_order */
	size_t sorted_for; /* the positive class the records are sorted
			    * for, or SIZE_MAX */
	/* With more than two probability columns, per record: the top-label
	 * confidence, whether the top label is gold, and the records from
	 * the highest confidence down; made for the order sorted_for. */
	double *conf;
	uint8_t *hit;
	uint32_t *conf_order;
	size_t conf_for;
};

/* ---- names ------------------------------------------------------------ */

static const char *const fig_names[SIFT_FIG_COUNT][2] = {
	{ "accuracy", "accuracy" },
	{ "balanced_accuracy", "balanced accuracy" },
	{ "precision", "precision" },
	{ "recall", "recall" },
	{ "f1", "F1" },
	{ "specificity", "specificity" },
	{ "macro_precision", "macro precision" },
	{ "macro_recall", "macro recall" },
	{ "macro_f1", "macro F1" },
	{ "micro_precision", "micro precision" },
	{ "micro_recall", "micro recall" },
	{ "micro_f1", "micro F1" },
	{ "weighted_precision", "weighted precision" },
	{ "weighted_recall", "weighted recall" },
	{ "weighted_f1", "weighted F1" },
	{ "mcc", "Matthews correlation" },
	{ "kappa", "Cohen's kappa" },
	{ "gmean", "geometric mean of recalls" },
	{ "roc_auc", "ROC-AUC" },
	{ "average_precision", "average precision" },
	{ "log_loss", "log loss" },
	{ "brier", "Brier score" },
	{ "ece", "ECE" },
	{ "adaptive_ece", "adaptive ECE" },
	{ "mce", "MCE" },
	{ "best_threshold", "best-F1 threshold" },
	{ "best_f1", "F1 at that threshold" },
	{ "cost", "cost per record" },
	{ "cost_threshold", "cost-minimising threshold" },
	{ "min_cost", "cost per record at it" },
};

const char *sift_metrics_figure_name(enum sift_figure f)
{
	return f < SIFT_FIG_COUNT ? fig_names[f][0] : "?";
}

const char *sift_metrics_figure_label(enum sift_figure f)
{
	return f < SIFT_FIG_COUNT ? fig_names[f][1] : "?";
}

/* ---- accumulating ---------------------------------------------------- */

struct sift_metrics *sift_metrics_new(size_t n_proba)
{
	struct sift_metrics *m = calloc(1, sizeof *m);

	if (m) {
		m->n_proba = n_proba;
		m->sorted_for = SIZE_MAX;
		m->conf_for = SIZE_MAX;
	}
	return m;
}

void sift_metrics_free(struct sift_metrics *m)
{
	if (!m)
		return;
	free(m->gold);
	free(m->pred);
	free(m->weight);
	free(m->score);
	free(m->key);
	free(m->conf);
	free(m->hit);
	free(m->conf_order);
	free(m);
}

uint64_t sift_metrics_count(const struct sift_metrics *m)
{
	return m->n;
}

size_t sift_metrics_classes_seen(const struct sift_metrics *m)
{
	return m->n_seen;
}

double sift_metrics_total_weight(const struct sift_metrics *m)
{
	double sum = 0;

	if (!m->weight)
		return (double)m->n;
	for (size_t i = 0; i < m->n; i++)
		sum += m->weight[i];
	return sum;
}

/* map, of n entries, sends distinct ids to distinct ids below the
 * limit and leaves the probability columns' ids where they are. */
static int check_map(const struct sift_metrics *m, const uint32_t *map,
		     size_t n, struct sift_error *err)
{
	uint8_t *used = calloc(SIFT_METRICS_MAX_CLASSES, 1);
	int rc = used ? 0 : sift_error_nomem(err);

	if (!rc && n < m->n_seen)
		rc = sift_error_set(err, SIFT_EUSAGE,
				    "a map of %zu classes for %u seen", n,
				    (unsigned)m->n_seen);
	for (size_t c = 0; !rc && c < n; c++) {
		if (map[c] >= SIFT_METRICS_MAX_CLASSES || used[map[c]])
			rc = sift_error_set(err, SIFT_EUSAGE,
					    "class %zu: id %u is out of range "
					    "or given twice",
					    c, (unsigned)map[c]);
		else if (m->mode == MODE_PROBA && c < m->n_proba && map[c] != c)
			rc = sift_error_set(err, SIFT_EUSAGE,
					    "class %zu has a probability "
					    "column: its id cannot change",
					    c);
		else
			used[map[c]] = 1;
	}
	free(used);
	return rc;
}

int sift_metrics_relabel(struct sift_metrics *m, const uint32_t *map,
			 size_t n_map, struct sift_error *err)
{
	int rc = check_map(m, map, n_map, err);

	if (rc)
		return rc;
	m->n_seen = 0;
	for (size_t i = 0; i < m->n; i++) {
		m->gold[i] = map[m->gold[i]];
		m->pred[i] = map[m->pred[i]];
		if (m->gold[i] >= m->n_seen)
			m->n_seen = m->gold[i] + 1;
		if (m->pred[i] >= m->n_seen)
			m->n_seen = m->pred[i] + 1;
	}
	m->canonical = 0;
	m->sorted_for = m->conf_for = SIZE_MAX;
	return 0;
}

static int grow(struct sift_metrics *m, size_t per_score,
		struct sift_error *err)
{
	size_t cap = sift_grow_cap(m->cap, m->n + 1, 1024);

	if (sift_resize(&m->gold, cap, sizeof *m->gold) ||
	    sift_resize(&m->pred, cap, sizeof *m->pred) ||
	    (m->weight && sift_resize(&m->weight, cap, sizeof *m->weight)) ||
	    (per_score &&
	     sift_resize(&m->score, cap, per_score * sizeof *m->score)))
		return sift_error_nomem(err);
	m->cap = cap;
	return 0;
}

/* The first weight other than 1 makes the weight array. */
static int set_weight(struct sift_metrics *m, double weight,
		      struct sift_error *err)
{
	if (!m->weight && weight != 1.0) {
		m->weight = malloc(m->cap * sizeof *m->weight);
		if (!m->weight)
			return sift_error_nomem(err);
		for (size_t i = 0; i < m->n; i++)
			m->weight[i] = 1.0;
	}
	if (m->weight)
		m->weight[m->n] = weight;
	return 0;
}

static int check_record(struct sift_metrics *m, uint32_t gold, uint32_t pred,
			double weight, enum mode mode, struct sift_error *err)
{
	if (gold >= SIFT_METRICS_MAX_CLASSES ||
	    pred >= SIFT_METRICS_MAX_CLASSES)
		return sift_error_set(err, SIFT_EDATA, "more than %d classes",
				      SIFT_METRICS_MAX_CLASSES);
	if (!isfinite(weight) || weight < 0)
		return sift_error_set(err, SIFT_EDATA,
				      "weight %g is not a finite number >= 0",
				      weight);
	if (m->mode != MODE_EMPTY && m->mode != mode)
		return sift_error_set(err, SIFT_EDATA,
				      "records with and without scores mixed");
	if (m->n >= UINT32_MAX)
		return sift_error_set(err, SIFT_EDATA, "more than %lu records",
				      (unsigned long)UINT32_MAX);
	return 0;
}

static int check_prob(double p, struct sift_error *err)
{
	if (!(p >= 0 && p <= 1))
		return sift_error_set(err, SIFT_EDATA,
				      "probability %g is not in [0, 1]", p);
	return 0;
}

static int push(struct sift_metrics *m, uint32_t gold, uint32_t pred,
		double weight, enum mode mode, size_t per_score,
		struct sift_error *err)
{
	int rc = check_record(m, gold, pred, weight, mode, err);

	if (!rc && m->n == m->cap)
		rc = grow(m, per_score, err);
	if (!rc)
		rc = set_weight(m, weight, err);
	if (rc)
		return rc;
	m->mode = mode;
	m->gold[m->n] = gold;
	m->pred[m->n] = pred;
	if (gold >= m->n_seen)
		m->n_seen = gold + 1;
	if (pred >= m->n_seen)
		m->n_seen = pred + 1;
	m->canonical = 0;
	m->sorted_for = m->conf_for = SIZE_MAX;
	return 0;
}

int sift_metrics_add(struct sift_metrics *m, uint32_t gold, uint32_t pred,
		     double weight, const double *proba, struct sift_error *err)
{
	int rc;

	if (proba && m->n_proba == 0)
		return sift_error_set(err, SIFT_EDATA,
				      "probabilities given to an accumulator "
				      "made without them");
	for (size_t k = 0; proba && k < m->n_proba; k++)
		if ((rc = check_prob(proba[k], err)))
			return rc;
	rc = push(m, gold, pred, weight, proba ? MODE_PROBA : MODE_PLAIN,
		  proba ? m->n_proba : 0, err);
	if (rc)
		return rc;
	if (proba)
		memcpy(m->score + m->n * m->n_proba, proba,
		       m->n_proba * sizeof *proba);
	m->n++;
	return 0;
}

int sift_metrics_add_score(struct sift_metrics *m, uint32_t gold, uint32_t pred,
			   double weight, double score, struct sift_error *err)
{
	int rc = m->n_proba ? sift_error_set(err, SIFT_EDATA,
					     "a single score given to an "
					     "accumulator of probabilities")
			    : check_prob(score, err);

	if (!rc)
		rc = push(m, gold, pred, weight, MODE_SCORE, 1, err);
	if (rc)
		return rc;
	m->score[m->n] = score;
	m->n++;
	return 0;
}

/* ---- sorting by the positive score ------------------------------------ */

static int permute(void **array, size_t size, const uint32_t *order, size_t n,
		   struct sift_error *err)
{
	char *from = *array, *to = malloc((n ? n : 1) * size);

	if (!to)
		return sift_error_nomem(err);
	for (size_t i = 0; i < n; i++)
		memcpy(to + i * size, from + (size_t)order[i] * size, size);
	free(from);
	*array = to;
	return 0;
}

/* Every array of the records in the order order[], the score rows
 * included (a row is n_proba probabilities, or one score). */
static int permute_records(struct sift_metrics *m, const uint32_t *order,
			   struct sift_error *err)
{
	size_t row = (m->mode == MODE_PROBA ? m->n_proba : 1) * sizeof(double);
	int rc = permute((void **)&m->gold, sizeof *m->gold, order, m->n, err);

	if (!rc)
		rc = permute((void **)&m->pred, sizeof *m->pred, order, m->n,
			     err);
	if (!rc && m->weight)
		rc = permute((void **)&m->weight, sizeof *m->weight, order,
			     m->n, err);
	if (!rc && m->score)
		rc = permute((void **)&m->score, row, order, m->n, err);
	if (!rc && m->key)
		rc = permute((void **)&m->key, sizeof *m->key, order, m->n,
			     err);
	if (!rc)
		m->cap = m->n;  /* the arrays are exactly n long now */
	m->conf_for = SIZE_MAX; /* the confidences are of the old order */
	return rc;
}

/* Put the records in an order that depends on the records alone, not on
 * the order they came in: by gold class, then predicted class, then
 * weight (the highest first), each sort stable. Every figure is summed
 * in the records' order and every bootstrap resample is drawn over it,
 * so the same records in any order (the shards of an input, merged in
 * any order) give the same report to the last digit. sort_records keeps
 * this order among equal scores, and rows_in_order the last ties. */
static int canonical_order(struct sift_metrics *m, struct sift_error *err)
{
	size_t k = m->n_seen ? m->n_seen : 1, cells = k * k;
	uint32_t *by_weight = NULL, *order;
	size_t *start;
	int rc = 0;

	if (m->canonical)
		return 0;
	order = malloc((m->n ? m->n : 1) * sizeof *order);
	start = calloc(cells + 1, sizeof *start);
	if (!order || !start) {
		rc = sift_error_nomem(err);
		goto out;
	}
	if (m->weight) {
		by_weight = malloc((m->n ? m->n : 1) * sizeof *by_weight);
		rc = by_weight ? sift_curves_order(m->weight, m->n, by_weight,
						   err)
			       : sift_error_nomem(err);
		if (rc)
			goto out;
	}
	/* A counting sort by (gold, pred) over the weights' order. */
	for (size_t i = 0; i < m->n; i++)
		start[m->gold[i] * k + m->pred[i] + 1]++;
	for (size_t c = 0; c < cells; c++)
		start[c + 1] += start[c];
	for (size_t t = 0; t < m->n; t++) {
		uint32_t i = by_weight ? by_weight[t] : (uint32_t)t;

		order[start[m->gold[i] * k + m->pred[i]]++] = i;
	}
	rc = permute_records(m, order, err);
	if (!rc) {
		m->canonical = 1;
		m->sorted_for = SIZE_MAX;
	}
out:
	free(by_weight);
	free(order);
	free(start);
	return rc;
}

/* Whether records i and j tie on all but their probabilities. */
static int same_but_row(const struct sift_metrics *m, size_t i, size_t j)
{
	return m->key[i] == m->key[j] && m->gold[i] == m->gold[j] &&
	       m->pred[i] == m->pred[j] &&
	       (!m->weight || m->weight[i] == m->weight[j]);
}

static int row_cmp(const double *a, const double *b, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (a[k] != b[k])
			return a[k] < b[k] ? -1 : 1;
	return 0;
}

/* Records that tie on the positive score, the classes and the weight
 * but differ in the other probabilities: their rows in ascending
 * order (a stable merge sort of each such run, through tmp). */
static void sort_rows(double *rows, size_t n, size_t w, double *tmp)
{
	for (size_t width = 1; width < n; width *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * width) {
			size_t mid = lo + width < n ? lo + width : n;
			size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
			size_t a = lo, b = mid, t = lo;

			while (a < mid || b < hi) {
				size_t from = (b >= hi ||
					       (a < mid &&
						row_cmp(rows + a * w,
							rows + b * w, w) <= 0))
						      ? a++
						      : b++;

				memcpy(tmp + t++ * w, rows + from * w,
				       w * sizeof *rows);
			}
		}
		memcpy(rows, tmp, n * w * sizeof *rows);
	}
}

static int rows_in_order(struct sift_metrics *m, struct sift_error *err)
{
	size_t w = m->n_proba;
	double *tmp = NULL;

	if (m->mode != MODE_PROBA || w < 2)
		return 0;
	for (size_t i = 0, j; i < m->n; i = j) {
		for (j = i + 1; j < m->n && same_but_row(m, i, j); j++)
			;
		if (j - i < 2)
			continue;
		if (!tmp && !(tmp = malloc(m->n * w * sizeof *tmp)))
			return sift_error_nomem(err);
		sort_rows(m->score + i * w, j - i, w, tmp);
	}
	free(tmp);
	return 0;
}

/* The score of the positive class, per record, in one array. */
static int make_key(struct sift_metrics *m, size_t positive,
		    struct sift_error *err)
{
	if (m->mode == MODE_SCORE)
		return 0;
	free(m->key);
	m->key = malloc((m->n ? m->n : 1) * sizeof *m->key);
	if (!m->key)
		return sift_error_nomem(err);
	for (size_t i = 0; i < m->n; i++)
		m->key[i] = m->score[i * m->n_proba + positive];
	return 0;
}

/* Reorder the records from the highest positive score down. The
 * figures do not depend on the order of the records, so it is done in
 * place, one array at a time. */
static int sort_records(struct sift_metrics *m, size_t positive,
			struct sift_error *err)
{
	uint32_t *order;
	int rc;

	if (m->sorted_for == positive)
		return 0;
	if ((rc = make_key(m, positive, err)))
		return rc;
	order = malloc((m->n ? m->n : 1) * sizeof *order);
	if (!order)
		return sift_error_nomem(err);
	rc = sift_curves_order(m->mode == MODE_SCORE ? m->score : m->key, m->n,
			       order, err);
	if (!rc)
		rc = permute_records(m, order, err);
	free(order);
	if (!rc)
		rc = rows_in_order(m, err);
	if (!rc)
		m->sorted_for = positive;
	return rc;
}

/* ---- the calibration bins ------------------------------------------ */

/* The calibration figures bin the top-label confidence when there are
 * more than two probability columns, else the positive class's score. */
static int top_label(const struct sift_metrics *m)
{
	return m->mode == MODE_PROBA && m->n_proba > 2;
}

/* The top-label confidence, the hit and their order, for the records
 * as sort_records left them (Guo et al. 2017: the highest probability
 * against the most probable class, the first column on a tie as sift
 * metrics predicts, being gold). */
static int make_confidence(struct sift_metrics *m, struct sift_error *err)
{
	size_t n = m->n ? m->n : 1;

	if (!top_label(m) || m->conf_for == m->sorted_for)
		return 0;
	free(m->conf);
	free(m->hit);
	free(m->conf_order);
	m->conf = malloc(n * sizeof *m->conf);
	m->hit = malloc(n * sizeof *m->hit);
	m->conf_order = malloc(n * sizeof *m->conf_order);
	if (!m->conf || !m->hit || !m->conf_order)
		return sift_error_nomem(err);
	for (size_t i = 0; i < m->n; i++) {
		const double *row = m->score + i * m->n_proba;
		size_t best = 0;

		for (size_t k = 1; k < m->n_proba; k++)
			if (row[k] > row[best])
				best = k;
		m->conf[i] = row[best];
		m->hit[i] = m->gold[i] == best;
	}
	int rc = sift_curves_order(m->conf, m->n, m->conf_order, err);

	if (!rc)
		m->conf_for = m->sorted_for;
	return rc;
}

/* The records as the bins see them; mult as in the figures. */
static struct sift_reliability_input
calibration_input(const struct sift_metrics *m, size_t positive,
		  const uint32_t *mult)
{
	struct sift_reliability_input in = { m->n,
					     m->mode == MODE_SCORE ? m->score
								   : m->key,
					     NULL,
					     m->gold,
					     (uint32_t)positive,
					     NULL,
					     m->weight,
					     mult };

	if (top_label(m)) {
		in.p = m->conf;
		in.order = m->conf_order;
		in.hit = m->hit;
	}
	return in;
}

/* ---- the figures ------------------------------------------------------ */

/* What one evaluation needs besides the records. */
struct eval {
	size_t k; /* classes */
	size_t positive;
	double beta;
	double *cost; /* k x k, or NULL; owned */
	int cost2_ok; /* the binary cost sweep applies */
	struct sift_cost2 cost2;
	double *confusion; /* k x k scratch */
	double *t, *p;     /* row and column sums, k each */
	size_t bins;
	double *edges;                    /* bins + 1 scratch */
	struct sift_reliability_bin *bin; /* bins scratch */
};

static double record_weight(const struct sift_metrics *m, const uint32_t *mult,
			    size_t i)
{
	double w = m->weight ? m->weight[i] : 1.0;

	return mult ? w * mult[i] : w;
}

static void fill_confusion(const struct sift_metrics *m, const uint32_t *mult,
			   struct eval *e)
{
	memset(e->confusion, 0, e->k * e->k * sizeof *e->confusion);
	for (size_t i = 0; i < m->n; i++)
		e->confusion[(size_t)m->gold[i] * e->k + m->pred[i]] +=
			record_weight(m, mult, i);
	memset(e->t, 0, e->k * sizeof *e->t);
	memset(e->p, 0, e->k * sizeof *e->p);
	for (size_t g = 0; g < e->k; g++)
		for (size_t q = 0; q < e->k; q++) {
			e->t[g] += e->confusion[g * e->k + q];
			e->p[q] += e->confusion[g * e->k + q];
		}
}

static double safe_div(double a, double b)
{
	return b > 0 ? a / b : 0.0;
}

static double fbeta(double tp, double fp, double fn, double beta)
{
	double b2 = beta * beta;

	return safe_div((1 + b2) * tp, (1 + b2) * tp + b2 * fn + fp);
}

/* Per class, and the macro, micro and weighted averages over the
 * classes present (positive weight in gold or in the predictions, as
 * scikit-learn averages over the labels seen in either). */
static void averages(const struct eval *e, double *v,
		     struct sift_class_report *cls)
{
	double sum[3] = { 0, 0, 0 }, wsum[3] = { 0, 0, 0 }, n_present = 0;
	double tp_all = 0, pred_all = 0, sup_all = 0;

	for (size_t c = 0; c < e->k; c++) {
		double tp = e->confusion[c * e->k + c];
		double x[3] = { safe_div(tp, e->p[c]), safe_div(tp, e->t[c]),
				fbeta(tp, e->p[c] - tp, e->t[c] - tp,
				      e->beta) };

		if (cls)
			cls[c] = (struct sift_class_report){ e->t[c], e->p[c],
							     tp,      x[0],
							     x[1],    x[2] };
		if (e->t[c] <= 0 && e->p[c] <= 0)
			continue;
		n_present++;
		for (int j = 0; j < 3; j++) {
			sum[j] += x[j];
			wsum[j] += e->t[c] * x[j];
		}
		tp_all += tp;
		pred_all += e->p[c];
		sup_all += e->t[c];
	}
	for (int j = 0; j < 3; j++) {
		v[SIFT_FIG_MACRO_PRECISION + j] = safe_div(sum[j], n_present);
		v[SIFT_FIG_WEIGHTED_PRECISION + j] = safe_div(wsum[j], sup_all);
	}
	v[SIFT_FIG_MICRO_PRECISION] = safe_div(tp_all, pred_all);
	v[SIFT_FIG_MICRO_RECALL] = safe_div(tp_all, sup_all);
	v[SIFT_FIG_MICRO_F] =
		fbeta(tp_all, pred_all - tp_all, sup_all - tp_all, e->beta);
}

/* Balanced accuracy and the geometric mean of recalls, over the classes
 * present in gold (scikit-learn's balanced_accuracy_score; the G-mean of
 * Kubat and Matwin 1997). */
static void recall_means(const struct eval *e, double *v)
{
	double sum = 0, logsum = 0, n = 0;
	int zero = 0;

	for (size_t c = 0; c < e->k; c++) {
		if (e->t[c] <= 0)
			continue;
		double r = e->confusion[c * e->k + c] / e->t[c];

		sum += r;
		if (r > 0)
			logsum += log(r);
		else
			zero = 1;
		n++;
	}
	v[SIFT_FIG_BALANCED_ACCURACY] = n > 0 ? sum / n : NAN;
	v[SIFT_FIG_GMEAN] = n > 0 ? (zero ? 0.0 : exp(logsum / n)) : NAN;
}

/* Matthews correlation for k classes (Gorodkin 2004), 0 when a
 * variance is 0 (scikit-learn); Cohen's kappa (1960), NaN when chance
 * agreement is 1. */
static void agreement(const struct eval *e, double *v)
{
	double s = 0, c = 0, tp = 0, pp = 0, tt = 0;

	for (size_t j = 0; j < e->k; j++) {
		s += e->t[j];
		c += e->confusion[j * e->k + j];
		tp += e->t[j] * e->p[j];
		pp += e->p[j] * e->p[j];
		tt += e->t[j] * e->t[j];
	}
	double den = (s * s - pp) * (s * s - tt);

	v[SIFT_FIG_MCC] = den > 0 ? (c * s - tp) / sqrt(den) : 0.0;
	double pe = s > 0 ? tp / (s * s) : NAN;

	v[SIFT_FIG_KAPPA] = s > 0 && pe < 1 ? (c / s - pe) / (1 - pe) : NAN;
	v[SIFT_FIG_ACCURACY] = s > 0 ? c / s : NAN;
}

static void positive_summary(const struct eval *e, double *v, double *out4)
{
	size_t q = e->positive;
	double tp = e->confusion[q * e->k + q], s = 0;

	for (size_t j = 0; j < e->k; j++)
		s += e->t[j];
	double fn = e->t[q] - tp, fp = e->p[q] - tp, tn = s - tp - fn - fp;

	v[SIFT_FIG_PRECISION] = safe_div(tp, tp + fp);
	v[SIFT_FIG_RECALL] = safe_div(tp, tp + fn);
	v[SIFT_FIG_F] = fbeta(tp, fp, fn, e->beta);
	v[SIFT_FIG_SPECIFICITY] = safe_div(tn, tn + fp);
	if (out4) {
		out4[0] = tp;
		out4[1] = fp;
		out4[2] = fn;
		out4[3] = tn;
	}
	if (e->cost) {
		double c = 0;

		for (size_t j = 0; j < e->k * e->k; j++)
			c += e->confusion[j] * e->cost[j];
		v[SIFT_FIG_COST] = s > 0 ? c / s : NAN;
	}
}

/* The log loss and Brier score of record i. With one score (or two
 * probabilities) both are those of the binary problem, positive class
 * against the rest; with more, the multiclass log loss -log p(gold) and
 * Brier sum over classes (Brier 1950). Probabilities are clipped to
 * [eps, 1-eps] for the logarithm, eps the double's epsilon. */
static void record_loss(const struct sift_metrics *m, size_t positive, size_t i,
			double *loss, double *brier)
{
	const double eps = DBL_EPSILON;
	double p, y;

	if (m->mode == MODE_SCORE || m->n_proba == 2) {
		p = m->mode == MODE_SCORE ? m->score[i]
					  : m->score[i * 2 + positive];
		y = m->gold[i] == positive;
		*brier = (p - y) * (p - y);
		p = y ? p : 1 - p;
	} else {
		const double *row = m->score + i * m->n_proba;

		*brier = 0;
		for (size_t k = 0; k < m->n_proba; k++) {
			double d = row[k] - (m->gold[i] == k);

			*brier += d * d;
		}
		if (m->gold[i] >= m->n_proba)
			*brier += 1;
		p = m->gold[i] < m->n_proba ? row[m->gold[i]] : 0;
	}
	p = p < eps ? eps : p > 1 - eps ? 1 - eps : p;
	*loss = -log(p);
}

static void score_figures(const struct sift_metrics *m, const uint32_t *mult,
			  const struct eval *e, double *v)
{
	double loss_sum = 0, brier_sum = 0, wsum = 0;

	for (size_t i = 0; i < m->n; i++) {
		double w = record_weight(m, mult, i), loss, brier;

		if (w <= 0)
			continue;
		record_loss(m, e->positive, i, &loss, &brier);
		loss_sum += w * loss;
		brier_sum += w * brier;
		wsum += w;
	}
	v[SIFT_FIG_LOG_LOSS] = wsum > 0 ? loss_sum / wsum : NAN;
	v[SIFT_FIG_BRIER] = wsum > 0 ? brier_sum / wsum : NAN;

	struct sift_reliability_input cal =
		calibration_input(m, e->positive, mult);
	double unused;

	sift_reliability_bins(&cal, SIFT_BINS_UNIFORM, e->bins, e->edges,
			      e->bin);
	sift_reliability_errors(e->bin, e->bins, &v[SIFT_FIG_ECE],
				&v[SIFT_FIG_MCE]);
	sift_reliability_bins(&cal, SIFT_BINS_QUANTILE, e->bins, e->edges,
			      e->bin);
	sift_reliability_errors(e->bin, e->bins, &v[SIFT_FIG_ADAPTIVE_ECE],
				&unused);

	struct sift_sweep_input in = {
		m->n,      m->mode == MODE_SCORE ? m->score : m->key,
		m->gold,   (uint32_t)e->positive,
		m->weight, mult
	};
	struct sift_sweep sw;

	sift_curves_sweep(&in, e->beta, e->cost2_ok ? &e->cost2 : NULL, &sw);
	v[SIFT_FIG_ROC_AUC] = sw.roc_auc;
	v[SIFT_FIG_AP] = sw.ap;
	v[SIFT_FIG_BEST_THRESHOLD] = sw.best_threshold;
	v[SIFT_FIG_BEST_F] = sw.best_f;
	v[SIFT_FIG_COST_THRESHOLD] = sw.cost_threshold;
	v[SIFT_FIG_MIN_COST] = sw.min_cost;
}

/* Every figure of the records (weights times mult, if not NULL). */
static void evaluate(const struct sift_metrics *m, const uint32_t *mult,
		     struct eval *e, double *v, struct sift_class_report *cls,
		     double *out4)
{
	for (int f = 0; f < SIFT_FIG_COUNT; f++)
		v[f] = NAN;
	fill_confusion(m, mult, e);
	averages(e, v, cls);
	recall_means(e, v);
	agreement(e, v);
	positive_summary(e, v, out4);
	if (m->mode == MODE_SCORE || m->mode == MODE_PROBA)
		score_figures(m, mult, e, v);
}

/* ---- the report ----------------------------------------------------- */

void sift_metrics_opts_init(struct sift_metrics_opts *o)
{
	memset(o, 0, sizeof *o);
	o->beta = 1.0;
	o->n_boot = 1000;
	/* Guo et al. 2017 and most reports since use 15 bins. */
	o->bins = 15;
}

void sift_metrics_report_free(struct sift_metrics_report *rep)
{
	if (!rep)
		return;
	free(rep->confusion);
	free(rep->classes);
	rep->confusion = NULL;
	rep->classes = NULL;
}

/* The rarer gold class, by weight; a tie goes to the later class. */
static size_t rarer_class(const struct eval *e)
{
	size_t best = SIZE_MAX;

	for (size_t c = 0; c < e->k; c++)
		if (e->t[c] > 0 && (best == SIZE_MAX || e->t[c] <= e->t[best]))
			best = c;
	return best == SIZE_MAX ? 0 : best;
}

static int check_opts(const struct sift_metrics *m,
		      const struct sift_metrics_opts *o, struct sift_error *err)
{
	if (m->n == 0)
		return sift_error_set(err, SIFT_EDATA, "no records");
	if (!(sift_metrics_total_weight(m) > 0))
		return sift_error_set(err, SIFT_EDATA,
				      "the weights of the %llu records are all "
				      "0: no figure can be computed",
				      (unsigned long long)m->n);
	if (o->n_classes < m->n_seen || !o->names)
		return sift_error_set(err, SIFT_EUSAGE,
				      "%zu class names for %u classes",
				      o->n_classes, (unsigned)m->n_seen);
	if (o->n_classes > SIFT_METRICS_MAX_CLASSES)
		return sift_error_set(err, SIFT_EUSAGE, "more than %d classes",
				      SIFT_METRICS_MAX_CLASSES);
	if (o->have_positive && o->positive >= o->n_classes)
		return sift_error_set(err, SIFT_EUSAGE,
				      "positive class %zu out of range",
				      o->positive);
	if (o->ci != 0 && !(o->ci > 0 && o->ci < 1))
		return sift_error_set(err, SIFT_EUSAGE,
				      "confidence level %g is not in (0, 1)",
				      o->ci);
	if (!(o->beta > 0) || !isfinite(o->beta))
		return sift_error_set(err, SIFT_EUSAGE,
				      "beta %g is not a positive number",
				      o->beta);
	if (o->bins < 1 || o->bins > SIFT_METRICS_MAX_BINS)
		return sift_error_set(err, SIFT_EUSAGE,
				      "`bins`: %zu is not from 1 to %d",
				      o->bins, SIFT_METRICS_MAX_BINS);
	return 0;
}

static int eval_init(struct eval *e, const struct sift_metrics_opts *o,
		     struct sift_error *err)
{
	memset(e, 0, sizeof *e);
	e->k = o->n_classes ? o->n_classes : 1;
	e->beta = o->beta;
	e->confusion = calloc(e->k * e->k, sizeof *e->confusion);
	e->t = calloc(e->k, sizeof *e->t);
	e->p = calloc(e->k, sizeof *e->p);
	e->bins = o->bins;
	e->edges = calloc(e->bins + 1, sizeof *e->edges);
	e->bin = calloc(e->bins ? e->bins : 1, sizeof *e->bin);
	if (!e->confusion || !e->t || !e->p || !e->edges || !e->bin)
		return sift_error_nomem(err);
	return 0;
}

static void eval_free(struct eval *e)
{
	free(e->confusion);
	free(e->t);
	free(e->p);
	free(e->edges);
	free(e->bin);
	free(e->cost);
	e->cost = NULL;
}

/* The cost matrix as given, or built from the binary form; and the
 * binary costs for the threshold sweep when they are defined: two
 * classes, or the binary form (every negative class alike). */
static int setup_costs(struct eval *e, const struct sift_metrics_opts *o,
		       struct sift_error *err)
{
	size_t k = e->k, q = e->positive;
	double *c;

	if (!o->cost && !o->binary_cost)
		return 0;
	c = malloc(k * k * sizeof *c);
	if (!c)
		return sift_error_nomem(err);
	for (size_t g = 0; g < k; g++)
		for (size_t p = 0; p < k; p++)
			c[g * k + p] =
				o->cost  ? o->cost[g * k + p]
				: g == q ? (p == q ? o->cost_tp : o->cost_fn)
					 : (p == q ? o->cost_fp : o->cost_tn);
	e->cost = c;
	if (o->binary_cost) {
		e->cost2 = (struct sift_cost2){ o->cost_tp, o->cost_fp,
						o->cost_fn, o->cost_tn };
		e->cost2_ok = 1;
	} else if (k == 2) {
		size_t n = 1 - q;

		e->cost2 = (struct sift_cost2){ c[q * k + q], c[n * k + q],
						c[q * k + n], c[n * k + n] };
		e->cost2_ok = 1;
	}
	return 0;
}

static void mark_shown(struct sift_metrics_report *rep,
		       const struct sift_metrics *m, const struct eval *e)
{
	int scored = m->mode == MODE_SCORE || m->mode == MODE_PROBA;

	for (int f = 0; f < SIFT_FIG_COUNT; f++)
		rep->shown[f] = 1;
	for (int f = SIFT_FIG_ROC_AUC; f <= SIFT_FIG_BEST_F; f++)
		rep->shown[f] = scored;
	rep->shown[SIFT_FIG_COST] = e->cost != NULL;
	rep->shown[SIFT_FIG_COST_THRESHOLD] = scored && e->cost2_ok;
	rep->shown[SIFT_FIG_MIN_COST] = scored && e->cost2_ok;
}

/* ---- the words ------------------------------------------------------- */

/* A line of the report's notes or warnings. */
#define say(buf, ...) sift_note_add(buf, SIFT_METRICS_NOTES, __VA_ARGS__)

/* A weight as a count when it is one. */
static const char *amount(char *buf, size_t size, double w)
{
	if (w == floor(w) && w < 1e15)
		snprintf(buf, size, "%.0f", w);
	else
		snprintf(buf, size, "%.4g", w);
	return buf;
}

/* The class-by-class warnings: never predicted, absent from gold, or a
 * recall that the accuracy hides. */
static void class_warnings(struct sift_metrics_report *rep)
{
	double acc = rep->value[SIFT_FIG_ACCURACY];
	char a[32], b[32];

	for (size_t c = 0; c < rep->n_classes; c++) {
		const struct sift_class_report *k = &rep->classes[c];
		const char *name = rep->names[c];

		if (k->support > 0 && k->predicted <= 0)
			say(rep->warnings,
			    "class '%s' is never predicted: its recall is 0",
			    name);
		else if (k->support <= 0 && k->predicted > 0)
			say(rep->warnings,
			    "class '%s' is predicted (%s records) but never "
			    "occurs "
			    "in gold: its recall, undefined, is reported as 0",
			    name, amount(a, sizeof a, k->predicted));
		else if (k->support > 0 && k->recall < 0.5 &&
			 acc - k->recall >= 0.25)
			say(rep->warnings,
			    "accuracy %.1f%% hides a recall of %.1f%% on "
			    "'%s': %s of its %s records are missed",
			    100 * acc, 100 * k->recall, name,
			    amount(a, sizeof a, k->support - k->tp),
			    amount(b, sizeof b, k->support));
	}
}

static void overall_warnings(const struct sift_metrics *m,
			     struct sift_metrics_report *rep)
{
	size_t n_pred = 0, n_gold = 0, only = 0, gold_only = 0;

	for (size_t c = 0; c < rep->n_classes; c++) {
		if (rep->classes[c].predicted > 0) {
			n_pred++;
			only = c;
		}
		if (rep->classes[c].support > 0) {
			n_gold++;
			gold_only = c;
		}
	}
	if (n_pred == 1 && n_gold > 1)
		say(rep->warnings,
		    "the model predicts only '%s': its accuracy of %.1f%% is "
		    "the share of '%s' in gold",
		    rep->names[only], 100 * rep->value[SIFT_FIG_ACCURACY],
		    rep->names[only]);
	if (n_gold == 1)
		say(rep->warnings,
		    "gold holds one class only ('%s'): nothing here measures "
		    "how the model tells classes apart",
		    rep->names[gold_only]);
	(void)m;
}

static void undefined_notes(struct sift_metrics_report *rep)
{
	const double *v = rep->value;

	if (rep->shown[SIFT_FIG_ROC_AUC] && isnan(v[SIFT_FIG_ROC_AUC]))
		say(rep->notes, "ROC-AUC is undefined: gold needs records of "
				"the positive class and of the others");
	if (rep->shown[SIFT_FIG_AP] && isnan(v[SIFT_FIG_AP]))
		say(rep->notes, "average precision is undefined: gold has no "
				"record of the positive class");
	if (isnan(v[SIFT_FIG_KAPPA]))
		say(rep->notes, "Cohen's kappa is undefined: gold and "
				"predictions use one and the same class");
	for (size_t c = 0; c < rep->n_classes; c++) {
		if (rep->classes[c].predicted > 0)
			continue;
		if (rep->classes[c].support > 0 || c == rep->positive)
			say(rep->notes,
			    "nothing is predicted '%s': its precision is "
			    "undefined, reported as 0",
			    rep->names[c]);
	}
}

static void metrics_notes(const struct sift_metrics *m,
			  struct sift_metrics_report *rep)
{
	rep->warnings[0] = rep->notes[0] = '\0';
	overall_warnings(m, rep);
	class_warnings(rep);
	undefined_notes(rep);
}

static int bootstrap(const struct sift_metrics *m, struct eval *e,
		     struct sift_metrics_report *rep, struct sift_error *err)
{
	size_t nb = (size_t)rep->n_boot;
	uint32_t *counts = malloc(m->n * sizeof *counts);
	double *vals = malloc(nb * SIFT_FIG_COUNT * sizeof *vals);
	double v[SIFT_FIG_COUNT];
	struct sift_rng rng;

	if (!counts || !vals) {
		free(counts);
		free(vals);
		return sift_error_nomem(err);
	}
	sift_rng_seed(&rng, rep->seed);
	for (size_t b = 0; b < nb; b++) {
		sift_bootstrap_counts(&rng, m->n, counts);
		evaluate(m, counts, e, v, NULL, NULL);
		for (int f = 0; f < SIFT_FIG_COUNT; f++)
			vals[(size_t)f * nb + b] = v[f];
	}
	for (int f = 0; f < SIFT_FIG_COUNT; f++)
		sift_bootstrap_interval(vals + (size_t)f * nb, nb, rep->ci,
					&rep->lo[f], &rep->hi[f]);
	free(counts);
	free(vals);
	return 0;
}

static int report_init(struct sift_metrics_report *rep,
		       const struct sift_metrics *m,
		       const struct sift_metrics_opts *o,
		       struct sift_error *err)
{
	size_t k = o->n_classes ? o->n_classes : 1;

	memset(rep, 0, sizeof *rep);
	rep->n_classes = o->n_classes;
	rep->names = o->names;
	rep->n_records = m->n;
	rep->beta = o->beta;
	rep->bins = o->bins;
	rep->top_label = top_label(m);
	rep->confusion = calloc(k * k, sizeof *rep->confusion);
	rep->classes = calloc(k, sizeof *rep->classes);
	if (!rep->confusion || !rep->classes)
		return sift_error_nomem(err);
	return 0;
}

int sift_metrics_compute(struct sift_metrics *m,
			 const struct sift_metrics_opts *o,
			 struct sift_metrics_report *rep,
			 struct sift_error *err)
{
	struct eval e;
	double out4[4];
	int rc = report_init(rep, m, o, err);

	if (!rc)
		rc = check_opts(m, o, err);
	if (rc)
		return rc;
	if ((rc = eval_init(&e, o, err)) || (rc = canonical_order(m, err))) {
		eval_free(&e);
		return rc;
	}
	fill_confusion(m, NULL, &e);
	rep->positive_chosen = !o->have_positive;
	e.positive = o->have_positive ? o->positive : rarer_class(&e);
	rep->positive = e.positive;
	if (m->mode == MODE_PROBA && e.positive >= m->n_proba)
		rc = sift_error_set(err, SIFT_EUSAGE,
				    "the positive class '%s' has no "
				    "probability",
				    o->names[e.positive]);
	if (!rc)
		rc = setup_costs(&e, o, err);
	if (!rc && (m->mode == MODE_SCORE || m->mode == MODE_PROBA))
		rc = sort_records(m, e.positive, err);
	if (!rc)
		rc = make_confidence(m, err);
	if (rc) {
		eval_free(&e);
		return rc;
	}
	evaluate(m, NULL, &e, rep->value, rep->classes, out4);
	memcpy(rep->confusion, e.confusion, e.k * e.k * sizeof *e.confusion);
	for (size_t c = 0; c < e.k; c++)
		rep->total_weight += e.t[c];
	rep->tp = out4[0];
	rep->fp = out4[1];
	rep->fn = out4[2];
	rep->tn = out4[3];
	mark_shown(rep, m, &e);
	metrics_notes(m, rep);
	if (o->ci > 0) {
		rep->has_ci = 1;
		rep->ci = o->ci;
		rep->n_boot = o->n_boot ? o->n_boot : 1;
		rep->seed = o->seed;
		rc = bootstrap(m, &e, rep, err);
	}
	eval_free(&e);
	return rc;
}

int sift_metrics_curve(struct sift_metrics *m,
		       const struct sift_metrics_report *rep,
		       enum sift_curve_kind kind, struct sift_curve *curve,
		       struct sift_error *err)
{
	int rc;

	memset(curve, 0, sizeof *curve);
	if (m->mode != MODE_SCORE && m->mode != MODE_PROBA)
		return sift_error_set(err, SIFT_EUSAGE, "a curve needs scores");
	if ((rc = sort_records(m, rep->positive, err)))
		return rc;
	struct sift_sweep_input in = {
		m->n,      m->mode == MODE_SCORE ? m->score : m->key,
		m->gold,   (uint32_t)rep->positive,
		m->weight, NULL
	};

	return sift_curves_points(&in, kind, curve, err);
}

int sift_metrics_reliability(struct sift_metrics *m,
			     const struct sift_metrics_report *rep,
			     enum sift_bins_kind kind,
			     struct sift_reliability_bin *bins,
			     struct sift_error *err)
{
	double *edges;
	int rc;

	if (m->mode != MODE_SCORE && m->mode != MODE_PROBA)
		return sift_error_set(err, SIFT_EUSAGE,
				      "calibration bins need scores");
	if ((rc = sort_records(m, rep->positive, err)) ||
	    (rc = make_confidence(m, err)))
		return rc;
	edges = malloc((rep->bins + 1) * sizeof *edges);
	if (!edges)
		return sift_error_nomem(err);
	struct sift_reliability_input in =
		calibration_input(m, rep->positive, NULL);

	sift_reliability_bins(&in, kind, rep->bins, edges, bins);
	free(edges);
	return 0;
}
