/*
 * lib/metrics_read.c - reading scored records into the accumulators of
 * the whole and of each slice (see sift/metrics_read.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sift/colexpr.h"
#include "sift/mem.h"
#include "sift/metrics_read.h"
#include "sift/parse.h"

/* One read: the columns as asked and as found. */
struct metrics_reader {
	const struct sift_metrics_columns *c;
	struct sift_metrics_input *in;
	struct sift_reader *r;
	/* the columns (or values) of the options; NULL where not given */
	struct sift_colexpr *gold, *pred, *score, *weight, *by;
	size_t *proba; /* proba columns; class k <-> proba[k] */
	double *row;   /* the record's probabilities */
};

static int find_proba_columns(struct metrics_reader *u, struct sift_error *err)
{
	size_t ncols = sift_reader_ncols(u->r),
	       plen = strlen(u->c->proba_prefix);

	u->proba = calloc(ncols ? ncols : 1, sizeof *u->proba);
	if (!u->proba)
		return sift_error_nomem(err);
	for (size_t i = 0; i < ncols; i++) {
		const char *name = sift_reader_colname(u->r, i);
		size_t id;

		if (strncmp(name, u->c->proba_prefix, plen) != 0 || !name[plen])
			continue;
		if (sift_intern_add(u->in->classes, name + plen,
				    strlen(name + plen), &id))
			return sift_error_nomem(err);
		if (id != u->in->n_proba)
			return sift_error_set(err, SIFT_EUSAGE,
					      "%s: two columns for class "
					      "'%s'",
					      sift_reader_name(u->r),
					      name + plen);
		u->proba[u->in->n_proba++] = i;
	}
	if (u->in->n_proba == 0)
		return sift_error_set(
			err, SIFT_EDATA, "%s: no column starts with '%s'",
			sift_reader_name(u->r), u->c->proba_prefix);
	u->row = calloc(u->in->n_proba, sizeof *u->row);
	return u->row ? 0 : sift_error_nomem(err);
}

static int find_columns(struct metrics_reader *u, struct sift_error *err)
{
	const struct sift_metrics_columns *a = u->c;
	int rc;

	if (sift_reader_ncols(u->r) == 0)
		return sift_error_set(err, SIFT_EDATA, "%s: empty input",
				      sift_reader_name(u->r));
	rc = sift_colexpr_open(u->r, a->gold, "gold", &u->gold, err);
	if (!rc && a->pred)
		rc = sift_colexpr_open(u->r, a->pred, "pred", &u->pred, err);
	if (!rc && a->score)
		rc = sift_colexpr_open(u->r, a->score, "score", &u->score, err);
	if (!rc && a->weight)
		rc = sift_colexpr_open(u->r, a->weight, "weight", &u->weight,
				       err);
	if (!rc && a->by)
		rc = sift_colexpr_open(u->r, a->by, "by", &u->by, err);
	if (!rc && a->proba_prefix)
		rc = find_proba_columns(u, err);
	return rc;
}

/* s[0..len) of value c (or, c NULL, of column col) as a probability (in
 * [0, 1]) or a weight (>= 0). */
static int check_number(struct metrics_reader *u, const struct sift_record *rec,
			const struct sift_colexpr *c, size_t col, const char *s,
			size_t len, int prob, double *x, struct sift_error *err)
{
	const char *what = prob ? "score" : "weight", *why = NULL;
	int rc = sift_parse_double(s, len, x);

	if (rc == -2)
		why = "is NaN or infinite";
	else if (rc)
		why = "is not a number";
	else if (prob && (*x < 0 || *x > 1))
		why = "is outside [0, 1]";
	else if (!prob && *x < 0)
		why = "is negative";
	if (!why)
		return 0;
	if (c)
		return sift_colexpr_error(u->r, rec->line, c, what, s, len, why,
					  err);
	return sift_reader_column_error(u->r, rec->line, col, what, s, len, why,
					err);
}

/* A probability column of --proba-prefix. */
static int read_proba(struct metrics_reader *u, const struct sift_record *rec,
		      size_t col, double *x, struct sift_error *err)
{
	const char *s;
	size_t len;
	int rc = sift_reader_field(u->r, col, &s, &len, err);

	return rc ? rc : check_number(u, rec, NULL, col, s, len, 1, x, err);
}

/* The score or the weight. */
static int read_number(struct metrics_reader *u, const struct sift_record *rec,
		       struct sift_colexpr *c, int prob, double *x,
		       struct sift_error *err)
{
	const char *s;
	size_t len;
	int rc = sift_colexpr_get(u->r, rec, c, &s, &len, err);

	return rc ? rc : check_number(u, rec, c, 0, s, len, prob, x, err);
}

static int read_label(struct metrics_reader *u, const struct sift_record *rec,
		      struct sift_intern *t, struct sift_colexpr *c, size_t *id,
		      struct sift_error *err)
{
	const char *s;
	size_t len;
	int rc = sift_colexpr_get(u->r, rec, c, &s, &len, err);

	if (rc)
		return rc;
	if (sift_intern_add(t, s, len, id))
		return sift_error_nomem(err);
	if (t == u->in->classes && *id >= SIFT_METRICS_MAX_CLASSES)
		return sift_error_set(
			err, SIFT_EDATA, "%s: more than %d classes",
			sift_reader_name(u->r), SIFT_METRICS_MAX_CLASSES);
	return 0;
}

/* The accumulator of slice id, made when first met. */
static int slice_metrics(struct sift_metrics_input *in, size_t id,
			 struct sift_metrics **m, struct sift_error *err)
{
	if (sift_grow_zero(&in->slice, &in->slice_cap, id + 1,
			   sizeof *in->slice, 16))
		return sift_error_nomem(err);
	if (!in->slice[id] && !(in->slice[id] = sift_metrics_new(in->n_proba)))
		return sift_error_nomem(err);
	if (id >= in->n_slices)
		in->n_slices = id + 1;
	*m = in->slice[id];
	return 0;
}

static int add_one(struct sift_metrics_input *in, struct sift_metrics *m,
		   size_t gold, size_t pred, double weight,
		   const double *scores, struct sift_error *err)
{
	if (scores && in->n_proba == 0)
		return sift_metrics_add_score(m, (uint32_t)gold, (uint32_t)pred,
					      weight, *scores, err);
	return sift_metrics_add(m, (uint32_t)gold, (uint32_t)pred, weight,
				scores, err);
}

/* Add one record to in->all and, when slice is not SIZE_MAX, to that
 * slice's accumulator. scores is NULL, one score (in->n_proba 0) or
 * in->n_proba probabilities. */
static int input_add(struct sift_metrics_input *in, size_t gold, size_t pred,
		     double weight, const double *scores, size_t slice,
		     struct sift_error *err)
{
	struct sift_metrics *m = NULL;
	int rc = add_one(in, in->all, gold, pred, weight, scores, err);

	if (!rc && slice != SIZE_MAX)
		rc = slice_metrics(in, slice, &m, err);
	if (!rc && m)
		rc = add_one(in, m, gold, pred, weight, scores, err);
	return rc;
}

/* A class's name, for sorting. */
struct class_name {
	const char *s;
	size_t len;
	uint32_t id;
};

static int cmp_class(const void *a, const void *b)
{
	const struct class_name *x = a, *y = b;
	int c = memcmp(x->s, y->s, x->len < y->len ? x->len : y->len);

	return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* The classes in canonical order: by_rank[r] is the class of rank r.
 * The probability columns' classes keep their places. */
static int canonical_ranks(const struct sift_metrics_input *in,
			   uint32_t *by_rank, struct sift_error *err)
{
	size_t n = sift_intern_count(in->classes), rest = n - in->n_proba;
	struct class_name *c = malloc((rest ? rest : 1) * sizeof *c);

	if (!c)
		return sift_error_nomem(err);
	for (size_t i = 0; i < rest; i++) {
		c[i].id = (uint32_t)(in->n_proba + i);
		c[i].s = sift_intern_str(in->classes, c[i].id, &c[i].len);
	}
	qsort(c, rest, sizeof *c, cmp_class);
	for (size_t r = 0; r < n; r++)
		by_rank[r] =
			r < in->n_proba ? (uint32_t)r : c[r - in->n_proba].id;
	free(c);
	return 0;
}

int sift_metrics_input_finish(struct sift_metrics_input *in,
			      struct sift_error *err)
{
	size_t n = sift_intern_count(in->classes);
	uint32_t *by_rank = malloc((n ? n : 1) * sizeof *by_rank),
		 *map = malloc((n ? n : 1) * sizeof *map);
	struct sift_intern *sorted = sift_intern_new();
	int rc = by_rank && map && sorted ? 0 : sift_error_nomem(err);

	if (!rc)
		rc = canonical_ranks(in, by_rank, err);
	for (size_t r = 0; !rc && r < n; r++) {
		size_t len, id;
		const char *s = sift_intern_str(in->classes, by_rank[r], &len);

		map[by_rank[r]] = (uint32_t)r;
		if (sift_intern_add(sorted, s, len, &id))
			rc = sift_error_nomem(err);
	}
	if (!rc && in->all)
		rc = sift_metrics_relabel(in->all, map, n, err);
	for (size_t i = 0; !rc && i < in->n_slices; i++)
		if (in->slice[i])
			rc = sift_metrics_relabel(in->slice[i], map, n, err);
	if (!rc) {
		sift_intern_free(in->classes);
		in->classes = sorted;
		sorted = NULL;
	}
	sift_intern_free(sorted);
	free(by_rank);
	free(map);
	return rc;
}

/* Add the record to the whole and its slice; a message names the line. */
static int add_to(struct metrics_reader *u, const struct sift_record *rec,
		  size_t gold, size_t pred, double weight, double score,
		  size_t slice, struct sift_error *err)
{
	const double *scores = u->c->score          ? &score
			       : u->c->proba_prefix ? u->row
						    : NULL;
	int rc = input_add(u->in, gold, pred, weight, scores, slice, err);

	if (rc && rc != SIFT_ENOMEM) {
		char msg[sizeof err->msg];

		snprintf(msg, sizeof msg, "%s", err->msg);
		sift_error_set(err, rc, "%s:%llu: %s", sift_reader_name(u->r),
			       (unsigned long long)rec->line, msg);
	}
	return rc;
}

static size_t argmax(const double *row, size_t n)
{
	size_t best = 0;

	for (size_t k = 1; k < n; k++)
		if (row[k] > row[best])
			best = k;
	return best;
}

static int read_record(struct metrics_reader *u, const struct sift_record *rec,
		       struct sift_error *err)
{
	const struct sift_metrics_columns *a = u->c;
	size_t gold, pred = 0, slice = SIZE_MAX;
	double weight = 1, score = 0;
	int rc = read_label(u, rec, u->in->classes, u->gold, &gold, err);

	for (size_t k = 0; !rc && k < u->in->n_proba; k++)
		rc = read_proba(u, rec, u->proba[k], &u->row[k], err);
	if (!rc && a->pred)
		rc = read_label(u, rec, u->in->classes, u->pred, &pred, err);
	else if (!rc)
		pred = argmax(u->row, u->in->n_proba);
	if (!rc && a->score)
		rc = read_number(u, rec, u->score, 1, &score, err);
	if (!rc && a->weight)
		rc = read_number(u, rec, u->weight, 0, &weight, err);
	if (!rc && a->by)
		rc = read_label(u, rec, u->in->slices, u->by, &slice, err);
	if (!rc)
		rc = add_to(u, rec, gold, pred, weight, score, slice, err);
	return rc;
}

static int read_all(struct metrics_reader *u, struct sift_error *err)
{
	const struct sift_record *rec;
	int rc = find_columns(u, err);

	if (!rc && !(u->in->all = sift_metrics_new(u->in->n_proba)))
		rc = sift_error_nomem(err);
	while (!rc && !(rc = sift_reader_next(u->r, &rec, err)) && rec)
		rc = read_record(u, rec, err);
	if (!rc && sift_metrics_count(u->in->all) == 0)
		rc = sift_error_set(err, SIFT_EDATA, "%s: no records",
				    sift_reader_name(u->r));
	if (!rc && !(sift_metrics_total_weight(u->in->all) > 0))
		rc = sift_error_set(
			err, SIFT_EDATA,
			"%s: column '%s': the weights of the %llu "
			"records are all 0: no figure can be "
			"computed",
			sift_reader_name(u->r), sift_colexpr_text(u->weight),
			(unsigned long long)sift_metrics_count(u->in->all));
	return rc;
}

void sift_metrics_input_free(struct sift_metrics_input *in)
{
	for (size_t i = 0; i < in->n_slices; i++)
		sift_metrics_free(in->slice[i]);
	free(in->slice);
	sift_metrics_free(in->all);
	sift_intern_free(in->classes);
	sift_intern_free(in->slices);
	memset(in, 0, sizeof *in);
}

int sift_metrics_read(struct sift_reader *r,
		      const struct sift_metrics_columns *cols,
		      struct sift_metrics_input *in, struct sift_error *err)
{
	struct metrics_reader u = { 0 };
	int rc = 0;

	memset(in, 0, sizeof *in);
	u.c = cols;
	u.in = in;
	u.r = r;
	in->classes = sift_intern_new();
	in->slices = sift_intern_new();
	if (!in->classes || !in->slices)
		rc = sift_error_nomem(err);
	if (!rc)
		rc = read_all(&u, err);
	if (!rc)
		rc = sift_metrics_input_finish(in, err);
	sift_colexpr_free(u.gold);
	sift_colexpr_free(u.pred);
	sift_colexpr_free(u.score);
	sift_colexpr_free(u.weight);
	sift_colexpr_free(u.by);
	free(u.proba);
	free(u.row);
	return rc;
}
