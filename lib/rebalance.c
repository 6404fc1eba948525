/*
 * lib/rebalance.c - sift rebalance: class counts, targets, and the
 * second pass that drops, repeats, synthesizes or weights records (see
 * sift/rebalance.h; SMOTE's geometry is in lib/rebalance_smote.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sift/colexpr.h"
#include "sift/intern.h"
#include "sift/mem.h"
#include "sift/nearest.h"
#include "sift/parse.h"
#include "sift/rebalance.h"
#include "sift/sampling.h"
#include "sift/smote.h"

/* ---- names and checks ------------------------------------------------ */

static const struct sift_name method_names[] = {
	{ "under", SIFT_REBALANCE_UNDER },
	{ "undersample", SIFT_REBALANCE_UNDER },
	{ "over", SIFT_REBALANCE_OVER },
	{ "oversample", SIFT_REBALANCE_OVER },
	{ "smote", SIFT_REBALANCE_SMOTE },
	{ "weights", SIFT_REBALANCE_WEIGHTS },
};
#define N_METHOD_NAMES (sizeof method_names / sizeof *method_names)

int sift_rebalance_method_parse(const char *s)
{
	return sift_name_value(method_names, N_METHOD_NAMES, s);
}

const char *sift_rebalance_method_name(enum sift_rebalance_method m)
{
	return sift_name_of(method_names, N_METHOD_NAMES, (int)m);
}

void sift_rebalance_opts_init(struct sift_rebalance_opts *o)
{
	memset(o, 0, sizeof *o);
	o->method = SIFT_REBALANCE_UNDER;
	o->k = 5;
	o->emit_weight = "weight";
	o->mark_col = "synthetic";
}

int sift_rebalance_ratio_parse(const char *s, double *minor, double *major,
			       struct sift_error *err)
{
	const char *colon = strchr(s, ':');
	double a, b = 1;

	if (sift_parse_double(s, colon ? (size_t)(colon - s) : strlen(s), &a) !=
		    0 ||
	    (colon &&
	     sift_parse_double(colon + 1, strlen(colon + 1), &b) != 0) ||
	    !(a > 0) || !(b > 0))
		return sift_error_set(err, SIFT_EUSAGE,
				      "`ratio`: '%s' is not A:B with A, B > 0 "
				      "(minority to majority)",
				      s);
	if (a > b)
		return sift_error_set(err, SIFT_EUSAGE,
				      "`ratio`: '%s' puts the minority above "
				      "the majority (A:B needs A <= B)",
				      s);
	*minor = a;
	*major = b;
	return 0;
}

int sift_rebalance_check(const struct sift_rebalance_opts *o,
			 struct sift_error *err)
{
	const char *m = sift_rebalance_method_name(o->method);
	const int to = o->goal == SIFT_GOAL_TO;

	if (!o->by)
		return sift_error_set(err, SIFT_EUSAGE,
				      "`by` COL: name the class column");
	if (o->goal == SIFT_GOAL_CLASS_WEIGHT &&
	    o->method != SIFT_REBALANCE_WEIGHTS)
		return sift_error_set(
			err, SIFT_EUSAGE,
			"`class_weight` applies to `method` weights "
			"only");
	if (o->method == SIFT_REBALANCE_UNDER && to &&
	    o->to == SIFT_TO_MAJORITY)
		return sift_error_set(
			err, SIFT_EUSAGE,
			"`to` majority: `method` under cannot add "
			"records (use `method` over or `method` smote)");
	if ((o->method == SIFT_REBALANCE_OVER ||
	     o->method == SIFT_REBALANCE_SMOTE) &&
	    to && o->to == SIFT_TO_MINORITY)
		return sift_error_set(err, SIFT_EUSAGE,
				      "`to` minority: `method` %s cannot drop "
				      "records (use `method` under)",
				      m);
	if (o->method == SIFT_REBALANCE_SMOTE) {
		if (!o->features)
			return sift_error_set(err, SIFT_EUSAGE,
					      "`method` smote needs `features` "
					      "COL[,COL...]");
		if (o->k == 0)
			return sift_error_set(err, SIFT_EUSAGE,
					      "`k`: K must be >= 1");
		if (!o->mark_col || !*o->mark_col)
			return sift_error_set(err, SIFT_EUSAGE,
					      "`mark_col`: the column needs a "
					      "name");
	} else if (o->features) {
		return sift_error_set(
			err, SIFT_EUSAGE,
			"`features` applies to `method` smote only");
	}
	if (o->method == SIFT_REBALANCE_WEIGHTS &&
	    (!o->emit_weight || !*o->emit_weight))
		return sift_error_set(err, SIFT_EUSAGE,
				      "`emit_weight`: the column needs a "
				      "name");
	return 0;
}

void sift_rebalance_stats_free(struct sift_rebalance_stats *st)
{
	for (size_t i = 0; st->classes && i < st->n_classes; i++)
		free(st->classes[i].name);
	free(st->classes);
	st->classes = NULL;
	st->n_classes = 0;
}

/* ---- targets ---------------------------------------------------------- */

/* floor(n * mul / div), exactly when mul and div are whole numbers
 * below 2^32 (n = q div + r, so n mul / div = q mul + r mul / div with
 * r mul < 2^64), else in doubles, where a product within a relative
 * 1e-9 of the whole number above it is that number: 100 x 0.57 is
 * 56.99999999999999 in doubles, and 0.57 must count as 57:100 does. */
static double floor_mul_div(uint64_t n, double mul, double div)
{
	const double lim = 4294967296.0;
	double q, up;

	if (mul == floor(mul) && div == floor(div) && mul < lim && div < lim) {
		uint64_t m = (uint64_t)mul, d = (uint64_t)div;

		return (double)((n / d) * m + (n % d) * m / d);
	}
	q = (double)n * mul / div;
	up = ceil(q);
	return up - q <= 1e-9 * up ? up : floor(q);
}

static int unmet(struct sift_error *err, const struct sift_rebalance_opts *o,
		 const char *name, uint64_t count, double want)
{
	const char *m = sift_rebalance_method_name(o->method);

	if (o->method == SIFT_REBALANCE_UNDER)
		return sift_error_set(err, SIFT_EDATA,
				      "class '%s' has %llu records, fewer "
				      "than the %.0f asked for: `method` under "
				      "cannot add records",
				      name, (unsigned long long)count, want);
	return sift_error_set(err, SIFT_EDATA,
			      "class '%s' has %llu records, more than the "
			      "%.0f asked for: `method` %s cannot drop records",
			      name, (unsigned long long)count, want, m);
}

/* One "LABEL=VALUE" item of a list; the last '=' splits it, so labels
 * may hold '='. */
static int parse_item(const char *item, size_t len, const char *opt,
		      size_t *label_len, double *value, struct sift_error *err)
{
	const char *eq = NULL;

	for (size_t i = 0; i < len; i++)
		if (item[i] == '=')
			eq = item + i;
	if (!eq ||
	    sift_parse_double(eq + 1, (size_t)(item + len - eq - 1), value) !=
		    0 ||
	    *value < 0)
		return sift_error_set(err, SIFT_EUSAGE,
				      "%s: '%.*s' is not LABEL=N with N >= "
				      "0",
				      opt, (int)len, item);
	*label_len = (size_t)(eq - item);
	return 0;
}

/* --target or --class-weight: per-class values from "L=V,L=V". A class
 * not named keeps its count (and so weight 1). */
static int targets_listed(const struct sift_rebalance_opts *o, size_t k,
			  const uint64_t *count, const char *const *names,
			  double *target, struct sift_error *err)
{
	const int weights = o->goal == SIFT_GOAL_CLASS_WEIGHT;
	const char *list = weights ? o->class_weight : o->target;
	char opt[64];

	sift_option_word(weights ? "class_weight" : "target", opt, sizeof opt);
	for (size_t c = 0; c < k; c++)
		target[c] = (double)count[c];
	for (const char *p = list; *p;) {
		size_t len = strcspn(p, ","), llen = 0, c;
		double v;
		int rc = parse_item(p, len, opt, &llen, &v, err);

		if (rc)
			return rc;
		for (c = 0; c < k; c++)
			if (strlen(names[c]) == llen &&
			    memcmp(names[c], p, llen) == 0)
				break;
		if (c == k)
			return sift_error_set(err, SIFT_EDATA,
					      "%s: no record has class '%.*s'",
					      opt, (int)llen, p);
		if (!weights && v != floor(v))
			return sift_error_set(err, SIFT_EUSAGE,
					      "`target`: '%.*s' is not a whole "
					      "number of records",
					      (int)len, p);
		target[c] = weights ? v * (double)count[c] : v;
		p += len + (p[len] == ',');
	}
	return 0;
}

/* --to and the defaults. */
static void targets_to(const struct sift_rebalance_opts *o, size_t k,
		       const uint64_t *count, double *target)
{
	uint64_t lo = UINT64_MAX, hi = 0, n = 0;
	enum sift_rebalance_to to =
		o->goal == SIFT_GOAL_TO               ? o->to
		: o->method == SIFT_REBALANCE_UNDER   ? SIFT_TO_MINORITY
		: o->method == SIFT_REBALANCE_WEIGHTS ? SIFT_TO_MEAN
						      : SIFT_TO_MAJORITY;

	for (size_t c = 0; c < k; c++) {
		lo = count[c] < lo ? count[c] : lo;
		hi = count[c] > hi ? count[c] : hi;
		n += count[c];
	}
	for (size_t c = 0; c < k; c++) {
		double t = to == SIFT_TO_MINORITY   ? (double)lo
			   : to == SIFT_TO_MAJORITY ? (double)hi
			   : o->method == SIFT_REBALANCE_WEIGHTS
				   ? (double)n / (double)k
				   : (double)(n / k);

		/* --to mean moves only the classes on the wrong side of it. */
		if (o->method == SIFT_REBALANCE_UNDER && t > (double)count[c])
			t = (double)count[c];
		if ((o->method == SIFT_REBALANCE_OVER ||
		     o->method == SIFT_REBALANCE_SMOTE) &&
		    t < (double)count[c])
			t = (double)count[c];
		target[c] = t;
	}
}

/* --ratio A:B, as imbalanced-learn's float sampling_strategy. */
static void targets_ratio(const struct sift_rebalance_opts *o, size_t k,
			  const uint64_t *count, double *target)
{
	size_t lo = 0, hi = 0;

	for (size_t c = 1; c < k; c++) {
		lo = count[c] < count[lo] ? c : lo;
		hi = count[c] > count[hi] ? c : hi;
	}
	for (size_t c = 0; c < k; c++) {
		if (o->method == SIFT_REBALANCE_UNDER)
			target[c] = c == lo ? (double)count[c]
					    : floor_mul_div(count[lo],
							    o->ratio.major,
							    o->ratio.minor);
		else
			target[c] = c == hi ? (double)count[c]
					    : floor_mul_div(count[hi],
							    o->ratio.minor,
							    o->ratio.major);
	}
}

int sift_rebalance_targets(const struct sift_rebalance_opts *o, size_t k,
			   const uint64_t *count, const char *const *names,
			   double *target, struct sift_error *err)
{
	if (k == 0)
		return 0;
	switch (o->goal) {
	case SIFT_GOAL_TARGET:
	case SIFT_GOAL_CLASS_WEIGHT: {
		int rc = targets_listed(o, k, count, names, target, err);

		if (rc)
			return rc;
		break;
	}
	case SIFT_GOAL_RATIO:
		targets_ratio(o, k, count, target);
		break;
	case SIFT_GOAL_DEFAULT:
	case SIFT_GOAL_TO:
		targets_to(o, k, count, target);
		break;
	}
	for (size_t c = 0; c < k; c++) {
		int bad = o->method == SIFT_REBALANCE_UNDER
				  ? target[c] > (double)count[c]
				  : o->method != SIFT_REBALANCE_WEIGHTS &&
					    target[c] < (double)count[c];

		if (bad)
			return unmet(err, o, names[c], count[c], target[c]);
	}
	return 0;
}

uint64_t sift_rebalance_extra(struct sift_rng *rng, uint64_t *draws_left,
			      uint64_t left)
{
	uint64_t n = *draws_left, used = 0, got = 0;

	if (left <= 1) {
		*draws_left = 0;
		return n;
	}
	/* Each of the n draws lands on this record with probability
	 * 1/left; the gaps between those that do are geometric. */
	for (;;) {
		uint64_t gap = sift_geometric_skip(rng, 1.0 / (double)left);

		if (gap >= n - used)
			break;
		used += gap + 1;
		got++;
	}
	*draws_left = n - got;
	return got;
}

/* ---- the run ------------------------------------------------------------ */

/* One class's state. */
struct cls {
	uint64_t count, seen, extra_left;
	double target;
	struct sift_select pick; /* under: the records still to take */
	char weight[32]; /* weights: the class's weight, formatted once */
	/* smote: the class's points, neighbours and planned draws */
	double *x;
	size_t n_x, cap_x;
	size_t *nn;
	struct sift_smote_draw *draws;
	size_t n_draws, next_draw;
};

struct ctx {
	struct sift_reader *r;
	struct sift_writer *w;
	const struct sift_rebalance_opts *o;
	struct sift_rebalance_stats *st;
	struct sift_error *err;
	struct sift_rng rng;
	char delim;
	struct sift_colexpr *col; /* the class: --by */
	struct sift_intern *names;
	struct cls *cls;
	size_t cap;
	size_t *feat; /* smote: the feature columns */
	size_t n_feat;
	double *point; /* smote: one point's features, n_feat of them */
};

static int class_field(struct ctx *c, const struct sift_record *rec,
		       const char **s, size_t *len)
{
	return sift_colexpr_get(c->r, rec, c->col, s, len, c->err);
}

/* Pass 1: count the records of each class. */
static int count_classes(struct ctx *c)
{
	const struct sift_record *rec;
	int rc;

	while (!(rc = sift_reader_next(c->r, &rec, c->err)) && rec) {
		const char *s;
		size_t len, id;

		rc = class_field(c, rec, &s, &len);
		if (rc)
			return rc;
		if (sift_intern_add(c->names, s, len, &id))
			return sift_error_nomem(c->err);
		if (sift_grow_zero(&c->cls, &c->cap, id + 1, sizeof *c->cls,
				   16))
			return sift_error_nomem(c->err);
		c->cls[id].count++;
	}
	c->st->n_in = sift_reader_count(c->r);
	return rc;
}

/* The class of the current record, on a pass after the first. */
static int class_of(struct ctx *c, const struct sift_record *rec, size_t *id)
{
	const char *s;
	size_t len;
	int rc = class_field(c, rec, &s, &len);

	if (rc)
		return rc;
	if (!sift_intern_find(c->names, s, len, id) ||
	    c->cls[*id].seen >= c->cls[*id].count)
		return sift_error_set(c->err, SIFT_EDATA,
				      "%s: the input changed between its "
				      "readings",
				      sift_reader_name(c->r));
	return 0;
}

static int fill_stats(struct ctx *c)
{
	size_t k = sift_intern_count(c->names);
	struct sift_class_count *out = calloc(k ? k : 1, sizeof *out);

	if (!out)
		return sift_error_nomem(c->err);
	c->st->classes = out;
	c->st->n_classes = k;
	for (size_t i = 0; i < k; i++) {
		out[i].name = strdup(sift_intern_str(c->names, i, NULL));
		if (!out[i].name)
			return sift_error_nomem(c->err);
		out[i].before = c->cls[i].count;
		out[i].after = c->cls[i].count;
		out[i].weight = 1;
	}
	return 0;
}

/* --by with one value over the whole input: no class to balance it
 * against (a wrong column, or data already filtered to one class). */
static void note_one_class(struct ctx *c)
{
	if (sift_intern_count(c->names) != 1 || c->st->n_in == 0)
		return;
	sift_note_add(c->st->note, sizeof c->st->note,
		      "`by` %s: all %llu records have the value '%.40s': a "
		      "single class, nothing to balance it against",
		      c->o->by, (unsigned long long)c->st->n_in,
		      sift_intern_str(c->names, 0, NULL));
}

static int compute_targets(struct ctx *c)
{
	size_t k = sift_intern_count(c->names);
	const char **names = malloc((k ? k : 1) * sizeof *names);
	uint64_t *count = malloc((k ? k : 1) * sizeof *count);
	double *target = malloc((k ? k : 1) * sizeof *target);
	int rc = 0;

	if (!names || !count || !target)
		rc = sift_error_nomem(c->err);
	for (size_t i = 0; !rc && i < k; i++) {
		names[i] = sift_intern_str(c->names, i, NULL);
		count[i] = c->cls[i].count;
	}
	if (!rc)
		rc = sift_rebalance_targets(c->o, k, count, names, target,
					    c->err);
	if (rc && rc != SIFT_ENOMEM && rc != SIFT_EUSAGE) {
		char msg[sizeof c->err->msg];

		memcpy(msg, c->err->msg, sizeof msg);
		sift_error_set(c->err, rc, "%s: %s", sift_reader_name(c->r),
			       msg);
	}
	for (size_t i = 0; !rc && i < k; i++) {
		struct sift_class_count *cc = &c->st->classes[i];

		c->cls[i].target = target[i];
		if (c->o->method == SIFT_REBALANCE_WEIGHTS) {
			cc->weight = target[i] / (double)count[i];
			sift_format_double(c->cls[i].weight,
					   sizeof c->cls[i].weight, cc->weight);
		} else {
			cc->after = (uint64_t)target[i];
			c->st->n_out += cc->after;
			if (cc->after > count[i])
				c->cls[i].extra_left = cc->after - count[i];
		}
	}
	if (!rc && c->o->method == SIFT_REBALANCE_WEIGHTS)
		c->st->n_out = c->st->n_in;
	free(names);
	free(count);
	free(target);
	return rc;
}

static int write_eol(struct ctx *c, const char *eol)
{
	return sift_writer_puts(c->w, *eol ? eol : "\n", c->err);
}

static int write_header(struct ctx *c)
{
	const struct sift_record *h = sift_reader_header(c->r);
	const char *extra =
		c->o->method == SIFT_REBALANCE_WEIGHTS ? c->o->emit_weight
		: c->o->method == SIFT_REBALANCE_SMOTE ? c->o->mark_col
						       : NULL;
	int rc;

	if (!h)
		return 0;
	rc = sift_writer_write(c->w, h->raw, h->len, c->err);
	if (!rc && extra)
		rc = sift_writer_field(c->w, c->delim, extra, strlen(extra),
				       c->err);
	return rc ? rc : write_eol(c, h->eol);
}

/* The record as read, then an optional extra field. */
static int write_record(struct ctx *c, const struct sift_record *rec,
			const char *extra)
{
	int rc = sift_writer_write(c->w, rec->raw, rec->len, c->err);

	if (!rc && extra)
		rc = sift_writer_field(c->w, c->delim, extra, strlen(extra),
				       c->err);
	return rc ? rc : write_eol(c, rec->eol);
}

/*
 * Pass 2 of under, over and weights: each record, with its class k, goes
 * to one action, which writes it as often as the method says.
 */
typedef int pass_action(struct ctx *c, const struct sift_record *rec,
			struct cls *k);

static int each_record(struct ctx *c, pass_action *act)
{
	const struct sift_record *rec;
	int rc;

	while (!(rc = sift_reader_next(c->r, &rec, c->err)) && rec) {
		size_t id;

		rc = class_of(c, rec, &id);
		if (!rc)
			rc = act(c, rec, &c->cls[id]);
		if (rc)
			return rc;
	}
	return rc;
}

/* under: selection sampling in each class (Algorithm S), so that every
 * subset of the class's target size is equally likely. */
static int keep_selected(struct ctx *c, const struct sift_record *rec,
			 struct cls *k)
{
	k->seen++;
	return sift_select_take(&k->pick, &c->rng) ? write_record(c, rec, NULL)
						   : 0;
}

/* over: every record once, plus its share of the extra draws with
 * replacement. */
static int copy_drawn(struct ctx *c, const struct sift_record *rec,
		      struct cls *k)
{
	uint64_t left = k->count - k->seen++;
	uint64_t copies =
		1 + sift_rebalance_extra(&c->rng, &k->extra_left, left);
	int rc = 0;

	for (uint64_t i = 0; i < copies && !rc; i++)
		rc = write_record(c, rec, NULL);
	return rc;
}

/* weights: every record with its class's weight. Formatting a
 * round-trip double costs more than reading the record: the weight was
 * formatted once. */
static int append_weight(struct ctx *c, const struct sift_record *rec,
			 struct cls *k)
{
	k->seen++;
	return write_record(c, rec, k->weight);
}

static int pass_under(struct ctx *c)
{
	for (size_t i = 0; i < sift_intern_count(c->names); i++)
		sift_select_init(&c->cls[i].pick, (uint64_t)c->cls[i].target,
				 c->cls[i].count);
	return each_record(c, keep_selected);
}

/* ---- smote -------------------------------------------------------------- */

static int smote_columns(struct ctx *c)
{
	int rc = sift_reader_columns(c->r, c->o->features, &c->feat, &c->n_feat,
				     c->err);

	if (rc)
		return rc;
	size_t col;
	int plain = sift_colexpr_column(c->col, &col);

	for (size_t j = 0; plain && j < c->n_feat; j++)
		if (c->feat[j] == col)
			return sift_error_set(c->err, SIFT_EUSAGE,
					      "`features`: '%s' is the class "
					      "column",
					      sift_reader_colname(c->r, col));
	c->point = malloc((c->n_feat ? c->n_feat : 1) * sizeof *c->point);
	return c->point ? 0 : sift_error_nomem(c->err);
}

/* The current record's features into c->point, or an error that names
 * the line and the column. */
static int read_point(struct ctx *c, const struct sift_record *rec)
{
	for (size_t j = 0; j < c->n_feat; j++) {
		const char *s;
		size_t len;
		int rc = sift_reader_field(c->r, c->feat[j], &s, &len, c->err);

		if (rc)
			return rc;
		if (sift_parse_double(s, len, &c->point[j]) == 0)
			continue;
		if (len == 0) {
			char col[96];

			return sift_error_set(
				c->err, SIFT_EDATA,
				"%s:%llu: %s is empty: `method` smote needs a "
				"number in every feature",
				sift_reader_name(c->r),
				(unsigned long long)rec->line,
				sift_reader_colref(c->r, c->feat[j], col,
						   sizeof col));
		}
		return sift_reader_column_error(
			c->r, rec->line, c->feat[j], NULL, s, len,
			"is not a finite number", c->err);
	}
	return 0;
}

static int keep_point(struct ctx *c, struct cls *k)
{
	size_t d = c->n_feat;

	if (sift_grow(&k->x, &k->cap_x, k->n_x + 1, d * sizeof *k->x, 64))
		return sift_error_nomem(c->err);
	memcpy(k->x + k->n_x++ * d, c->point, d * sizeof *c->point);
	return 0;
}

/* Pass 2 of smote: every real record with marker 0; the features of
 * the classes to grow are kept (all features are checked). */
static int collect_point(struct ctx *c, const struct sift_record *rec,
			 struct cls *k)
{
	int rc = read_point(c, rec);

	k->seen++;
	if (!rc && k->extra_left > 0)
		rc = keep_point(c, k);
	if (!rc && !c->o->dry_run)
		rc = write_record(c, rec, "0");
	return rc;
}

/* Neighbours and draws of every class to grow. */
static int smote_plan(struct ctx *c)
{
	size_t n_classes = sift_intern_count(c->names), k = (size_t)c->o->k;

	for (size_t i = 0; i < n_classes; i++) {
		struct cls *cl = &c->cls[i];

		if (cl->extra_left == 0)
			continue;
		cl->nn = malloc(cl->n_x * k * sizeof *cl->nn);
		cl->draws = malloc(cl->extra_left * sizeof *cl->draws);
		if (!cl->nn || !cl->draws ||
		    sift_smote_neighbours(cl->x, cl->n_x, c->n_feat, k,
					  cl->nn) ||
		    sift_smote_plan(&c->rng, cl->n_x, k, cl->nn, cl->draws,
				    (size_t)cl->extra_left))
			return sift_error_nomem(c->err);
		cl->n_draws = (size_t)cl->extra_left;
	}
	return 0;
}

/* Classes that SMOTE must grow need k + 1 records: k neighbours each. */
static int smote_enough(struct ctx *c)
{
	size_t n_classes = sift_intern_count(c->names);

	for (size_t i = 0; i < n_classes; i++)
		if (c->cls[i].extra_left > 0 && c->cls[i].count <= c->o->k)
			return sift_error_set(
				c->err, SIFT_EDATA,
				"%s: class '%s' has %llu records: `method` "
				"smote "
				"with `k` %llu needs at least %llu in a class "
				"it grows",
				sift_reader_name(c->r),
				sift_intern_str(c->names, i, NULL),
				(unsigned long long)c->cls[i].count,
				(unsigned long long)c->o->k,
				(unsigned long long)c->o->k + 1);
	return 0;
}

/* A field of a new row, in the input's dialect, after the delimiter
 * unless it is the first. */
static int put_field(struct ctx *c, size_t j, const char *s, size_t len)
{
	if (j > 0)
		return sift_writer_field(c->w, c->delim, s, len, c->err);
	return sift_writer_value(c->w, c->delim, s, len, c->err);
}

/* One synthetic row: the base record's fields, its features replaced
 * by the interpolated point, then marker 1. */
static int write_synthetic(struct ctx *c, const struct sift_record *rec,
			   const struct cls *cl,
			   const struct sift_smote_draw *dr)
{
	size_t d = c->n_feat, ncols = sift_reader_ncols(c->r);
	int rc = 0;

	sift_smote_point(cl->x + dr->base * d, cl->x + dr->neighbour * d, d,
			 dr->u, c->point);
	for (size_t j = 0; !rc && j < ncols; j++) {
		const char *s;
		size_t len, f;
		char num[32];

		for (f = 0; f < d && c->feat[f] != j; f++)
			;
		if (f < d) {
			sift_format_double(num, sizeof num, c->point[f]);
			s = num;
			len = strlen(num);
		} else {
			rc = sift_reader_field(c->r, j, &s, &len, c->err);
		}
		if (!rc)
			rc = put_field(c, j, s, len);
	}
	if (!rc)
		rc = sift_writer_field(c->w, c->delim, "1", 1, c->err);
	return rc ? rc : write_eol(c, rec->eol);
}

/* Pass 3 of smote: the synthetic rows, each when its base record
 * passes (the draws of a class are sorted by base). */
static int smote_write(struct ctx *c)
{
	const struct sift_record *rec;
	size_t n_classes = sift_intern_count(c->names);
	int rc;

	for (size_t i = 0; i < n_classes; i++)
		c->cls[i].seen = 0;
	while (!(rc = sift_reader_next(c->r, &rec, c->err)) && rec) {
		size_t id;

		rc = class_of(c, rec, &id);
		if (rc)
			return rc;
		struct cls *cl = &c->cls[id];
		size_t base = (size_t)cl->seen++;

		while (!rc && cl->next_draw < cl->n_draws &&
		       cl->draws[cl->next_draw].base == base)
			rc = write_synthetic(c, rec, cl,
					     &cl->draws[cl->next_draw++]);
		if (rc)
			return rc;
	}
	return rc;
}

static int run_smote(struct ctx *c)
{
	int rc = smote_enough(c);

	if (!rc)
		rc = each_record(c, collect_point);
	if (!rc && !c->o->dry_run)
		rc = smote_plan(c);
	if (!rc && !c->o->dry_run)
		rc = sift_reader_rewind(c->r, c->err);
	if (!rc && !c->o->dry_run)
		rc = smote_write(c);
	return rc;
}

static void ctx_free(struct ctx *c)
{
	for (size_t i = 0; i < c->cap; i++) {
		free(c->cls[i].x);
		free(c->cls[i].nn);
		free(c->cls[i].draws);
	}
	free(c->cls);
	free(c->feat);
	free(c->point);
	sift_intern_free(c->names);
	sift_colexpr_free(c->col);
}

static int second_pass(struct ctx *c)
{
	int rc = sift_reader_rewind(c->r, c->err);

	if (rc)
		return rc;
	switch (c->o->method) {
	case SIFT_REBALANCE_UNDER:
		return pass_under(c);
	case SIFT_REBALANCE_OVER:
		return each_record(c, copy_drawn);
	case SIFT_REBALANCE_WEIGHTS:
		return each_record(c, append_weight);
	case SIFT_REBALANCE_SMOTE:
		return run_smote(c);
	}
	return 0;
}

int sift_rebalance_run(struct sift_reader *r, struct sift_writer *w,
		       const struct sift_rebalance_opts *o,
		       struct sift_rebalance_stats *stats,
		       struct sift_error *err)
{
	struct ctx c;
	int rc = sift_rebalance_check(o, err);

	memset(stats, 0, sizeof *stats);
	memset(&c, 0, sizeof c);
	if (rc || sift_reader_ncols(r) == 0)
		return rc;
	c.r = r;
	c.w = w;
	c.o = o;
	c.st = stats;
	c.err = err;
	c.delim = sift_reader_delim(r);
	sift_writer_set_quoting(w, sift_reader_quoting(r));
	sift_rng_seed(&c.rng, o->seed);
	c.names = sift_intern_new();
	if (!c.names)
		return sift_error_nomem(err);
	rc = sift_colexpr_open(r, o->by, "by", &c.col, err);
	if (!rc && o->method == SIFT_REBALANCE_SMOTE)
		rc = smote_columns(&c);
	if (!rc)
		rc = count_classes(&c);
	if (!rc)
		rc = fill_stats(&c);
	if (!rc)
		note_one_class(&c);
	if (!rc)
		rc = compute_targets(&c);
	/* A dry run still checks smote's features and class sizes. */
	if (!rc && o->dry_run && o->method == SIFT_REBALANCE_SMOTE) {
		rc = sift_reader_rewind(r, err);
		if (!rc)
			rc = run_smote(&c);
	}
	if (!rc && !o->dry_run)
		rc = write_header(&c);
	if (!rc && !o->dry_run)
		rc = second_pass(&c);
	ctx_free(&c);
	return rc;
}
