/*
 * lib/split.c - sift split: every record to exactly one part, by exact
 * random partition, by class, by a hash of its group, or by time (see
 * sift/split.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "sift/colexpr.h"
#include "sift/intern.h"
#include "sift/mem.h"
#include "sift/rng.h"
#include "sift/sampling.h"
#include "sift/parse.h"
#include "sift/split.h"

void sift_split_opts_init(struct sift_split_opts *o)
{
	memset(o, 0, sizeof *o);
}

int sift_split_ratios_parse(const char *s, struct sift_split_opts *o,
			    struct sift_error *err)
{
	double sum = 0;
	size_t n = 0;

	for (const char *p = s;; p++) {
		size_t len = strcspn(p, ",");
		double x;

		if (n == SIFT_SPLIT_MAX_PARTS)
			return sift_error_set(err, SIFT_EUSAGE,
					      "`ratios`: at most %d parts",
					      SIFT_SPLIT_MAX_PARTS);
		if (len == 0 || sift_parse_double(p, len, &x) != 0 || !(x > 0))
			return sift_error_set(err, SIFT_EUSAGE,
					      "`ratios`: '%s' is not a list "
					      "of numbers > 0 (such as "
					      "0.8,0.1,0.1)",
					      s);
		o->ratio[n++] = x;
		sum += x;
		p += len;
		if (!*p)
			break;
	}
	if (n < 2)
		return sift_error_set(err, SIFT_EUSAGE,
				      "`ratios`: '%s' names one part; a split "
				      "needs two or more",
				      s);
	for (size_t j = 0; j < n; j++)
		o->ratio[j] /= sum;
	o->n_parts = n;
	return 0;
}

/* YYYY, then nothing or '-': enough to catch a date written another
 * way (01/02/2024), which would not sort in time order. */
static int iso_like(const char *s, size_t len)
{
	if (len < 4)
		return 0;
	for (size_t i = 0; i < 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return len == 4 || s[4] == '-';
}

int sift_split_check(const struct sift_split_opts *o, struct sift_error *err)
{
	if (o->way == SIFT_SPLIT_TIME) {
		if (!o->time.by_time || !o->time.cut)
			return sift_error_set(err, SIFT_EUSAGE,
					      "`by_time` COL and `cut` T go "
					      "together");
		if (o->n_parts != 2)
			return sift_error_set(err, SIFT_EUSAGE,
					      "`by_time` writes two parts "
					      "(before the cut, from it on), "
					      "not %zu",
					      o->n_parts);
		if (!iso_like(o->time.cut, strlen(o->time.cut)))
			return sift_error_set(err, SIFT_EUSAGE,
					      "`cut`: '%s' is not an ISO-8601 "
					      "date (YYYY-MM-DD, optionally "
					      "with a time)",
					      o->time.cut);
		return 0;
	}
	if (o->n_parts < 2)
		return sift_error_set(err, SIFT_EUSAGE,
				      "say how to split: `ratios` R,R[,R...] "
				      "or `by_time` COL `cut` T");
	return 0;
}

int sift_split_needs_rewind(const struct sift_split_opts *o)
{
	return o->way == SIFT_SPLIT_RATIOS && !o->ratios.group;
}

size_t sift_split_group_part(const struct sift_split_opts *o, const char *key,
			     size_t len)
{
	uint64_t h = XXH3_64bits_withSeed(key, len, o->seed);
	/* h / 2^64 is uniform in [0, 1): compare it with the cumulative
	 * ratios. */
	double u = ldexp((double)(h >> 11), -53), cum = 0;

	for (size_t j = 0; j + 1 < o->n_parts; j++) {
		cum += o->ratio[j];
		if (u < cum)
			return j;
	}
	return o->n_parts - 1;
}

void sift_split_stats_free(struct sift_split_stats *st)
{
	for (size_t i = 0; st->classes && i < st->n_classes; i++)
		free(st->classes[i].name);
	free(st->classes);
	st->classes = NULL;
	st->n_classes = 0;
}

/* ---- the run ------------------------------------------------------------ */

/* Counts per class of one column, and (stratify) per class and part. */
struct tally {
	struct sift_colexpr *col; /* NULL for a plain split */
	struct sift_intern *names;
	size_t cap;
	uint64_t *total, *seen;
	uint64_t (*alloc)[SIFT_SPLIT_MAX_PARTS];
	uint64_t (*part)[SIFT_SPLIT_MAX_PARTS];
};

struct ctx {
	struct sift_reader *r;
	struct sift_writer **w;
	const struct sift_split_opts *o;
	struct sift_split_stats *st;
	struct sift_error *err;
	struct sift_rng rng;
	size_t n_parts;
	struct tally strata; /* stratify, or one class for a plain split */
	struct tally label;  /* the reported classes, if any */
	int have_strata, have_label, label_is_strata;
	struct sift_colexpr *group, *time;
};

static void tally_free(struct tally *t)
{
	sift_colexpr_free(t->col);
	sift_intern_free(t->names);
	free(t->total);
	free(t->seen);
	free(t->alloc);
	free(t->part);
}

/* The id of s[0..len) in t, adding it (and room for its counts). */
static int tally_id(struct ctx *c, struct tally *t, const char *s, size_t len,
		    size_t *id)
{
	if (sift_intern_add(t->names, s, len, id))
		return sift_error_nomem(c->err);
	if (*id < t->cap)
		return 0;
	size_t cap = sift_grow_cap(t->cap, *id + 1, 16);

	if (sift_resize_zero(&t->total, t->cap, cap, sizeof *t->total) ||
	    sift_resize_zero(&t->seen, t->cap, cap, sizeof *t->seen) ||
	    sift_resize_zero(&t->alloc, t->cap, cap, sizeof *t->alloc) ||
	    sift_resize_zero(&t->part, t->cap, cap, sizeof *t->part))
		return sift_error_nomem(c->err);
	t->cap = cap;
	return 0;
}

static int tally_init(struct ctx *c, struct tally *t, const char *col,
		      const char *option)
{
	memset(t, 0, sizeof *t);
	t->names = sift_intern_new();
	if (!t->names)
		return sift_error_nomem(c->err);
	return col ? sift_colexpr_open(c->r, col, option, &t->col, c->err) : 0;
}

/* The current record's class in t (a plain split has one, ""). */
static int class_of(struct ctx *c, struct tally *t, int plain,
		    const struct sift_record *rec, size_t *id)
{
	const char *s = "";
	size_t len = 0;

	if (!plain) {
		int rc = sift_colexpr_get(c->r, rec, t->col, &s, &len, c->err);

		if (rc)
			return rc;
	}
	return tally_id(c, t, s, len, id);
}

static int write_to(struct ctx *c, size_t part, const struct sift_record *rec)
{
	struct sift_writer *w = c->w[part];
	int rc = sift_writer_write(w, rec->raw, rec->len, c->err);

	if (!rc)
		rc = sift_writer_puts(w, *rec->eol ? rec->eol : "\n", c->err);
	if (!rc)
		c->st->part[part]++;
	return rc;
}

/* The record goes to part: counted under its label, then written. */
static int place(struct ctx *c, size_t part, const struct sift_record *rec)
{
	if (c->have_label && !c->label_is_strata) {
		size_t id;
		int rc = class_of(c, &c->label, 0, rec, &id);

		if (rc)
			return rc;
		c->label.total[id]++;
		c->label.part[id][part]++;
	}
	return write_to(c, part, rec);
}

/* Pass 1 of an exact split: each class's size, then its parts' sizes by
 * largest remainder (sift_allocate, caps that never bind). */
static int count_and_allocate(struct ctx *c, int plain)
{
	const struct sift_record *rec;
	uint64_t caps[SIFT_SPLIT_MAX_PARTS];
	int rc;

	while (!(rc = sift_reader_next(c->r, &rec, c->err)) && rec) {
		size_t id;

		rc = class_of(c, &c->strata, plain, rec, &id);
		if (rc)
			return rc;
		c->strata.total[id]++;
	}
	if (rc)
		return rc;
	size_t k = sift_intern_count(c->strata.names);
	for (size_t h = 0; h < k; h++) {
		for (size_t j = 0; j < c->n_parts; j++)
			caps[j] = c->strata.total[h];
		if (sift_allocate(c->strata.total[h], c->n_parts, caps,
				  c->o->ratio, 0, c->strata.alloc[h]))
			return sift_error_nomem(c->err);
	}
	return sift_reader_rewind(c->r, c->err);
}

/* Pass 2: record i of a class goes to part j with probability (its
 * records still owed to j) / (the class's records still to come), so
 * that every partition of the allocated shape is equally likely: a
 * multivariate form of selection sampling (Knuth's Algorithm S). */
static int assign_exact(struct ctx *c, int plain)
{
	const struct sift_record *rec;
	int rc;

	while (!(rc = sift_reader_next(c->r, &rec, c->err)) && rec) {
		size_t id, j;

		rc = class_of(c, &c->strata, plain, rec, &id);
		if (rc)
			return rc;
		struct tally *t = &c->strata;
		if (t->seen[id] >= t->total[id])
			return sift_error_set(c->err, SIFT_EDATA,
					      "%s: the input changed between "
					      "its two readings",
					      sift_reader_name(c->r));
		uint64_t u =
			sift_rng_below(&c->rng, t->total[id] - t->seen[id]++);
		for (j = 0; j + 1 < c->n_parts; j++) {
			uint64_t owed = t->alloc[id][j] - t->part[id][j];

			if (u < owed)
				break;
			u -= owed;
		}
		t->part[id][j]++;
		rc = place(c, j, rec);
		if (rc)
			return rc;
	}
	return rc;
}

static int assign_group(struct ctx *c)
{
	const struct sift_record *rec;
	int rc;

	while (!(rc = sift_reader_next(c->r, &rec, c->err)) && rec) {
		const char *s;
		size_t len, id, part;

		rc = sift_colexpr_get(c->r, rec, c->group, &s, &len, c->err);
		if (rc)
			return rc;
		part = sift_split_group_part(c->o, s, len);
		if (c->have_strata) {
			rc = class_of(c, &c->strata, 0, rec, &id);
			if (rc)
				return rc;
			c->strata.total[id]++;
			c->strata.part[id][part]++;
		}
		rc = place(c, part, rec);
		if (rc)
			return rc;
	}
	return rc;
}

/* Byte-wise order, a prefix before what extends it. */
static int before_cut(const char *s, size_t len, const char *cut)
{
	size_t n = strlen(cut);
	int d = memcmp(s, cut, len < n ? len : n);

	return d < 0 || (d == 0 && len < n);
}

static int assign_time(struct ctx *c)
{
	const struct sift_record *rec;
	int rc;

	while (!(rc = sift_reader_next(c->r, &rec, c->err)) && rec) {
		const char *s;
		size_t len;

		rc = sift_colexpr_get(c->r, rec, c->time, &s, &len, c->err);
		if (rc)
			return rc;
		if (!iso_like(s, len))
			return sift_colexpr_error(
				c->r, rec->line, c->time, NULL, s, len,
				"is not an ISO-8601 date (YYYY-MM-DD...)",
				c->err);
		rc = place(c, before_cut(s, len, c->o->time.cut) ? 0 : 1, rec);
		if (rc)
			return rc;
	}
	return rc;
}

static int write_headers(struct ctx *c)
{
	const struct sift_record *h = sift_reader_header(c->r);
	int rc = 0;

	for (size_t j = 0; h && !rc && j < c->n_parts; j++) {
		rc = sift_writer_write(c->w[j], h->raw, h->len, c->err);
		if (!rc)
			rc = sift_writer_puts(c->w[j], *h->eol ? h->eol : "\n",
					      c->err);
	}
	return rc;
}

/* The reported classes and how far their shares in the parts are from
 * their share overall. */
static int fill_stats(struct ctx *c)
{
	const struct tally *t = c->label_is_strata ? &c->strata : &c->label;
	struct sift_split_stats *st = c->st;
	size_t k = sift_intern_count(t->names);

	for (size_t j = 0; j < c->n_parts; j++)
		st->n_in += st->part[j];
	st->classes = calloc(k ? k : 1, sizeof *st->classes);
	if (!st->classes)
		return sift_error_nomem(c->err);
	st->n_classes = k;
	for (size_t h = 0; h < k; h++) {
		struct sift_split_class *cl = &st->classes[h];

		cl->name = strdup(sift_intern_str(t->names, h, NULL));
		if (!cl->name)
			return sift_error_nomem(c->err);
		cl->total = t->total[h];
		for (size_t j = 0; j < c->n_parts; j++) {
			cl->part[j] = t->part[h][j];
			if (st->part[j] == 0)
				continue;
			double dev =
				100.0 *
				fabs((double)cl->part[j] / (double)st->part[j] -
				     (double)cl->total / (double)st->n_in);
			if (dev > st->max_dev_pp)
				st->max_dev_pp = dev;
		}
	}
	return 0;
}

static int setup(struct ctx *c)
{
	const struct sift_split_opts *o = c->o;
	const char *stratify =
		o->way == SIFT_SPLIT_RATIOS ? o->ratios.stratify : NULL;
	const char *label = o->label ? o->label : stratify;
	int rc = tally_init(c, &c->strata, stratify, "stratify");

	c->have_strata = stratify != NULL;
	if (!rc)
		rc = tally_init(c, &c->label, label,
				o->label ? "label" : "stratify");
	c->have_label = label != NULL;
	if (!rc && c->have_label && c->have_strata) {
		size_t a, b;

		c->label_is_strata =
			strcmp(sift_colexpr_text(c->label.col),
			       sift_colexpr_text(c->strata.col)) == 0 ||
			(sift_colexpr_column(c->label.col, &a) &&
			 sift_colexpr_column(c->strata.col, &b) && a == b);
	}
	if (!rc && o->way == SIFT_SPLIT_RATIOS && o->ratios.group)
		rc = sift_colexpr_open(c->r, o->ratios.group, "group",
				       &c->group, c->err);
	if (!rc && o->way == SIFT_SPLIT_TIME)
		rc = sift_colexpr_open(c->r, o->time.by_time, "by_time",
				       &c->time, c->err);
	return rc;
}

/* --stratify with one value over the whole input stratifies nothing. */
static void note_one_stratum(struct ctx *c)
{
	if (!c->have_strata || sift_intern_count(c->strata.names) != 1 ||
	    c->st->n_in == 0)
		return;
	sift_note_add(c->st->note, sizeof c->st->note,
		      "`stratify` %s: all %llu records have the value "
		      "'%.40s': a single class, nothing to keep in "
		      "proportion",
		      c->o->ratios.stratify, (unsigned long long)c->st->n_in,
		      sift_intern_str(c->strata.names, 0, NULL));
}

int sift_split_run(struct sift_reader *r, struct sift_writer **w,
		   const struct sift_split_opts *o,
		   struct sift_split_stats *stats, struct sift_error *err)
{
	struct ctx c;
	int rc = sift_split_check(o, err);

	memset(stats, 0, sizeof *stats);
	memset(&c, 0, sizeof c);
	if (rc || sift_reader_ncols(r) == 0)
		return rc;
	c.r = r;
	c.w = w;
	c.o = o;
	c.st = stats;
	c.err = err;
	c.n_parts = o->n_parts;
	sift_rng_seed(&c.rng, o->seed);
	rc = setup(&c);
	if (!rc)
		rc = write_headers(&c);
	if (!rc && o->way == SIFT_SPLIT_TIME) {
		rc = assign_time(&c);
	} else if (!rc && c.group) {
		rc = assign_group(&c);
	} else if (!rc) {
		/* Exact: by class with --stratify, else as one class. */
		int plain = !c.have_strata;

		rc = count_and_allocate(&c, plain);
		if (!rc)
			rc = assign_exact(&c, plain);
	}
	if (!rc && c.have_label)
		rc = fill_stats(&c);
	else if (!rc)
		for (size_t j = 0; j < c.n_parts; j++)
			stats->n_in += stats->part[j];
	if (!rc)
		note_one_stratum(&c);
	tally_free(&c.strata);
	tally_free(&c.label);
	sift_colexpr_free(c.group);
	sift_colexpr_free(c.time);
	return rc;
}
