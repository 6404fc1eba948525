/*
 * lib/clean_run.c - sift clean over a stream: the label and probability
 * columns of each record read and checked, the scores spooled, the
 * estimator's passes (lib/clean.c) run over the spool, and the records
 * read again to be written, flagged or dropped (see sift/clean.h).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sift/file.h"
#include "sift/clean.h"
#include "sift/intern.h"
#include "sift/mem.h"
#include "sift/parse.h"

/* Probabilities printed with a few digits sum to 1 only roughly: the
 * tolerance of sift sample -m uncertainty too. */
#define SUM_TOLERANCE 1e-3

/* A record of the spool: its label's class, then its k probabilities. */
#define NO_LABEL UINT32_MAX

struct clean_pass {
	struct sift_reader *r;
	struct sift_writer *w;
	const struct sift_clean_opts *o;
	struct sift_clean_stats *st;
	struct sift_error *err;
	size_t label_col;
	size_t *cols; /* the probability columns, in class order */
	size_t k;
	struct sift_intern *names;
	double *p;
	FILE *spool;
};

/* One issue held to be ranked. */
struct held {
	double quality;
	uint64_t index;
	size_t suggested;
	char *raw; /* the record's bytes and its line ending */
	size_t len;
};

void sift_clean_opts_init(struct sift_clean_opts *o)
{
	o->label = "label";
	o->proba_prefix = "p_";
	o->filter = SIFT_CLEAN_PRUNE_BY_NOISE_RATE;
	o->rank = SIFT_CLEAN_SELF_CONFIDENCE;
	o->output = SIFT_CLEAN_ISSUES;
	o->sort = SIFT_CLEAN_SORT_QUALITY;
}

int sift_clean_check(const struct sift_clean_opts *o, struct sift_error *err)
{
	if (o->sort != SIFT_CLEAN_SORT_INPUT && o->output != SIFT_CLEAN_ISSUES)
		return sift_error_set(err, SIFT_EUSAGE,
				      "`sort`: '%s' orders the issues "
				      "alone; `all` and `drop` write in input "
				      "order",
				      sift_clean_sort_name(o->sort));
	if (!o->label || !*o->label)
		return sift_error_set(err, SIFT_EUSAGE,
				      "`label`: no label column named");
	return 0;
}

void sift_clean_stats_free(struct sift_clean_stats *st)
{
	for (size_t i = 0; st->classes && i < st->k; i++)
		free(st->classes[i]);
	free(st->classes);
	st->classes = NULL;
	sift_clean_free(&st->est);
}

static int spool_error(struct clean_pass *c, const char *what)
{
	return sift_error_set(c->err, SIFT_EIO,
			      "%s the temporary file of scores: %s", what,
			      errno ? strerror(errno) : "short read");
}

/* The probability columns: those whose names start with the prefix
 * (the label's column aside), each a class named by the rest. */
static int find_columns(struct clean_pass *c)
{
	const char *prefix = c->o->proba_prefix;
	size_t n = sift_reader_ncols(c->r), plen = strlen(prefix);
	int rc = sift_reader_column(c->r, c->o->label, &c->label_col, c->err);

	if (rc)
		return rc;
	c->names = sift_intern_new();
	c->cols = malloc((n ? n : 1) * sizeof *c->cols);
	c->p = malloc((n ? n : 1) * sizeof *c->p);
	if (!c->names || !c->cols || !c->p)
		return sift_error_nomem(c->err);
	for (size_t i = 0; i < n; i++) {
		const char *name = sift_reader_colname(c->r, i);
		size_t id;

		if (i == c->label_col || strncmp(name, prefix, plen) != 0)
			continue;
		if (sift_intern_add(c->names, name + plen, strlen(name + plen),
				    &id))
			return sift_error_nomem(c->err);
		if (id < c->k)
			return sift_error_set(c->err, SIFT_EDATA,
					      "%s: two probability columns "
					      "'%s' for one class",
					      sift_reader_name(c->r), name);
		c->cols[c->k++] = i;
	}
	if (c->k < 2)
		return sift_error_set(c->err, SIFT_EDATA,
				      "%s: confident learning needs a "
				      "probability column per class, named "
				      "%s<label> (as sift predict writes "
				      "them); %zu found",
				      sift_reader_name(c->r), prefix, c->k);
	return 0;
}

/* The classes, "'a', 'b'" (cut short), for a message. */
static const char *class_list(const struct clean_pass *c, char *buf,
			      size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < c->k && len + 1 < size; i++) {
		int n = snprintf(buf + len, size - len, "%s'%s'", i ? ", " : "",
				 sift_intern_str(c->names, i, NULL));

		if (n < 0)
			break;
		len += (size_t)n;
	}
	return buf;
}

/* The record's label, as a class (NO_LABEL when empty), and its
 * probabilities into c->p, checked. */
static int read_scores(struct clean_pass *c, const struct sift_record *rec,
		       uint32_t *given)
{
	const char *s;
	size_t len, id;
	double sum = 0;
	int rc = sift_reader_field(c->r, c->label_col, &s, &len, c->err);

	if (rc)
		return rc;
	*given = NO_LABEL;
	if (len > 0) {
		char list[256];

		if (!sift_intern_find(c->names, s, len, &id))
			return sift_error_set(
				c->err, SIFT_EDATA,
				"%s:%llu: label '%.*s' has no probability "
				"column %s%.*s (the classes are %s)",
				sift_reader_name(c->r),
				(unsigned long long)rec->line,
				(int)(len > 40 ? 40 : len), s,
				c->o->proba_prefix, (int)(len > 40 ? 40 : len),
				s, class_list(c, list, sizeof list));
		*given = (uint32_t)id;
	}
	for (size_t i = 0; i < c->k; i++) {
		if ((rc = sift_reader_field(c->r, c->cols[i], &s, &len,
					    c->err)))
			return rc;
		if (sift_parse_double(s, len, &c->p[i]) != 0 || c->p[i] < 0 ||
		    c->p[i] > 1)
			return sift_reader_column_error(
				c->r, rec->line, c->cols[i], NULL, s, len,
				"is not a probability", c->err);
		sum += c->p[i];
	}
	if (fabs(sum - 1) > SUM_TOLERANCE)
		return sift_error_set(c->err, SIFT_EDATA,
				      "%s:%llu: the class probabilities sum "
				      "to %g, not 1",
				      sift_reader_name(c->r),
				      (unsigned long long)rec->line, sum);
	return 0;
}

/* Pass 1: every record read and checked, the labeled ones' scores
 * spooled and their self-confidence summed. */
static int first_pass(struct clean_pass *c)
{
	const struct sift_record *rec;
	int rc;

	while (!(rc = sift_reader_next(c->r, &rec, c->err)) && rec) {
		uint32_t given;

		if ((rc = read_scores(c, rec, &given)))
			return rc;
		c->st->n_records++;
		if (given == NO_LABEL) {
			c->st->n_unlabeled++;
			continue;
		}
		if (fwrite(&given, sizeof given, 1, c->spool) != 1 ||
		    fwrite(c->p, sizeof *c->p, c->k, c->spool) != c->k)
			return spool_error(c, "cannot write");
		sift_clean_add_self(&c->st->est, given, c->p);
	}
	if (!rc && fflush(c->spool) != 0)
		return spool_error(c, "cannot write");
	return rc;
}

/* No label, or one class only: nothing to tell apart. */
static int check_classes(struct clean_pass *c)
{
	const struct sift_clean *e = &c->st->est;
	size_t seen = 0, one = 0;

	for (size_t i = 0; i < c->k; i++)
		if (e->n_given[i]) {
			seen++;
			one = i;
		}
	if (seen == 0) {
		char col[96];

		return sift_error_set(c->err, SIFT_EDATA,
				      "%s: no record has a label in %s",
				      sift_reader_name(c->r),
				      sift_reader_colref(c->r, c->label_col,
							 col, sizeof col));
	}
	if (seen == 1)
		return sift_error_set(
			c->err, SIFT_EDATA,
			"%s: every labeled record is labeled '%s': "
			"confident learning needs two classes or more",
			sift_reader_name(c->r),
			sift_intern_str(c->names, one, NULL));
	for (size_t i = 0; i < c->k; i++)
		if (!e->n_given[i])
			sift_note_add(c->st->note, sizeof c->st->note,
				      "no record is labeled '%s' (column "
				      "%s%s): it is never an issue's given "
				      "label",
				      sift_intern_str(c->names, i, NULL),
				      c->o->proba_prefix,
				      sift_intern_str(c->names, i, NULL));
	return 0;
}

/* A pass over the spooled scores: pass 2 (the joint) or 3 (the cuts). */
static int spool_pass(struct clean_pass *c, int pass)
{
	struct sift_clean *e = &c->st->est;
	uint32_t given;

	errno = 0;
	if (fseek(c->spool, 0, SEEK_SET) != 0)
		return spool_error(c, "cannot rewind");
	for (uint64_t i = 0; i < e->n; i++) {
		int rc = 0;

		if (fread(&given, sizeof given, 1, c->spool) != 1 ||
		    fread(c->p, sizeof *c->p, c->k, c->spool) != c->k ||
		    given >= c->k)
			return spool_error(c, "cannot read");
		if (pass == 2)
			sift_clean_add_joint(e, given, c->p);
		else
			rc = sift_clean_add_cut(e, given, c->p, c->err);
		if (rc)
			return rc;
	}
	return 0;
}

static int write_eol(struct clean_pass *c, const char *eol)
{
	return sift_writer_puts(c->w, *eol ? eol : "\n", c->err);
}

/* A record as it was read. */
static int write_record(struct clean_pass *c, const struct sift_record *rec)
{
	int rc = sift_writer_write(c->w, rec->raw, rec->len, c->err);

	return rc ? rc : write_eol(c, rec->eol);
}

static int write_header(struct clean_pass *c)
{
	const struct sift_record *h = sift_reader_header(c->r);
	char d = sift_reader_delim(c->r);
	int rc;

	if (!h)
		return 0;
	rc = sift_writer_write(c->w, h->raw, h->len, c->err);
	if (!rc && c->o->output != SIFT_CLEAN_DROP)
		rc = sift_writer_field(c->w, d, "suggested_label", 15, c->err);
	if (!rc && c->o->output != SIFT_CLEAN_DROP)
		rc = sift_writer_field(c->w, d, "label_quality", 13, c->err);
	if (!rc && c->o->output == SIFT_CLEAN_ALL)
		rc = sift_writer_field(c->w, d, "is_issue", 8, c->err);
	return rc ? rc : write_eol(c, h->eol);
}

/* A record with suggested_label and label_quality (empty for a record
 * without a label) and, for --all, is_issue. */
static int write_flagged(struct clean_pass *c, const char *raw, size_t len,
			 const char *eol, size_t suggested, double quality,
			 int issue)
{
	char d = sift_reader_delim(c->r);
	size_t nlen;
	const char *name = sift_intern_str(c->names, suggested, &nlen);
	int rc = sift_writer_write(c->w, raw, len, c->err);

	if (!rc)
		rc = sift_writer_field(c->w, d, name, nlen, c->err);
	if (!rc)
		rc = isnan(quality)
			     ? sift_writer_field(c->w, d, "", 0, c->err)
			     : sift_writer_double(c->w, d, quality, c->err);
	if (!rc && c->o->output == SIFT_CLEAN_ALL)
		rc = sift_writer_field(c->w, d, issue ? "1" : "0", 1, c->err);
	return rc ? rc : write_eol(c, eol);
}

static int by_quality(const void *a, const void *b)
{
	const struct held *x = a, *y = b;

	if (x->quality != y->quality)
		return x->quality < y->quality ? -1 : 1;
	return (x->index > y->index) - (x->index < y->index);
}

static int hold(struct held **held, size_t *n, size_t *cap,
		const struct sift_record *rec, size_t suggested, double quality)
{
	size_t eol = strlen(rec->eol);
	struct held *h;

	if (sift_grow(held, cap, *n + 1, sizeof **held, 64))
		return -1;
	h = &(*held)[*n];
	h->raw = malloc(rec->len + eol + 1);
	if (!h->raw)
		return -1;
	memcpy(h->raw, rec->raw, rec->len);
	memcpy(h->raw + rec->len, rec->eol, eol + 1);
	h->len = rec->len;
	h->quality = quality;
	h->index = rec->index;
	h->suggested = suggested;
	(*n)++;
	return 0;
}

static int write_held(struct clean_pass *c, struct held *held, size_t n)
{
	int rc = 0;

	if (n)
		qsort(held, n, sizeof *held, by_quality);
	for (size_t i = 0; i < n && !rc; i++)
		rc = write_flagged(c, held[i].raw, held[i].len,
				   held[i].raw + held[i].len, held[i].suggested,
				   held[i].quality, 1);
	return rc;
}

/* Pass 4: every record read again, decided and written. */
static int last_pass(struct clean_pass *c)
{
	const struct sift_clean *e = &c->st->est;
	const struct sift_record *rec;
	struct held *held = NULL;
	size_t n_held = 0, cap = 0;
	int keep = c->o->output == SIFT_CLEAN_ISSUES &&
		   c->o->sort == SIFT_CLEAN_SORT_QUALITY;
	int rc = sift_reader_rewind(c->r, c->err);

	if (!rc)
		rc = write_header(c);
	while (!rc && !(rc = sift_reader_next(c->r, &rec, c->err)) && rec) {
		uint32_t given;
		int issue = 0;
		double quality = NAN;
		size_t suggested;

		if ((rc = read_scores(c, rec, &given)))
			break;
		suggested = sift_clean_argmax(c->p, c->k);
		if (given != NO_LABEL) {
			issue = sift_clean_is_issue(e, given, c->p);
			quality = sift_clean_quality(c->o->rank, given, c->p,
						     c->k);
		}
		c->st->n_issues += (uint64_t)issue;
		if (c->o->output == SIFT_CLEAN_DROP)
			rc = issue ? 0 : write_record(c, rec);
		else if (c->o->output == SIFT_CLEAN_ALL || (issue && !keep))
			rc = write_flagged(c, rec->raw, rec->len, rec->eol,
					   suggested, quality, issue);
		else if (issue &&
			 hold(&held, &n_held, &cap, rec, suggested, quality))
			rc = sift_error_nomem(c->err);
	}
	if (!rc)
		rc = write_held(c, held, n_held);
	for (size_t i = 0; i < n_held; i++)
		free(held[i].raw);
	free(held);
	return rc;
}

static int keep_classes(struct clean_pass *c)
{
	c->st->k = c->k;
	c->st->classes = calloc(c->k, sizeof *c->st->classes);
	if (!c->st->classes)
		return sift_error_nomem(c->err);
	for (size_t i = 0; i < c->k; i++) {
		c->st->classes[i] = strdup(sift_intern_str(c->names, i, NULL));
		if (!c->st->classes[i])
			return sift_error_nomem(c->err);
	}
	return 0;
}

static int estimate(struct clean_pass *c)
{
	struct sift_clean *e = &c->st->est;
	int rc = first_pass(c);

	if (!rc)
		rc = check_classes(c);
	if (rc)
		return rc;
	sift_clean_thresholds(e);
	if ((rc = spool_pass(c, 2)) || (rc = sift_clean_calibrate(e, c->err)))
		return rc;
	if (sift_clean_needs_cuts(e)) {
		if ((rc = spool_pass(c, 3)))
			return rc;
		sift_clean_cuts(e);
	}
	return 0;
}

int sift_clean_run(struct sift_reader *r, struct sift_writer *w,
		   const struct sift_clean_opts *o, struct sift_clean_stats *st,
		   struct sift_error *err)
{
	struct clean_pass c = { .r = r, .w = w, .o = o, .st = st, .err = err };
	int rc;

	memset(st, 0, sizeof *st);
	sift_writer_set_quoting(w, sift_reader_quoting(r));
	if ((rc = sift_clean_check(o, err)) || (rc = find_columns(&c)) ||
	    (rc = keep_classes(&c)) ||
	    (rc = sift_clean_init(&st->est, c.k, o->filter, err)))
		goto out;
	c.spool = sift_spool_file("sift-scores");
	if (!c.spool) {
		rc = sift_error_set(err, SIFT_EIO,
				    "cannot create a temporary file for the "
				    "scores of %s: %s",
				    sift_reader_name(r), strerror(errno));
		goto out;
	}
	if (!(rc = estimate(&c)))
		rc = last_pass(&c);
out:
	if (c.spool)
		fclose(c.spool);
	sift_intern_free(c.names);
	free(c.cols);
	free(c.p);
	return rc;
}
