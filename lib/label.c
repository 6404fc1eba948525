/*
 * lib/label.c - sift label's data path: rules on every record, votes
 * combined, records written with the label appended (see sift/label.h).
 *
 * Majority, first and weighted decide record by record in one pass. The
 * label model and the analysis count distinct vote patterns instead of
 * keeping a records x rules matrix: a pattern is the rules' votes, one
 * byte each (label + 1, 0 for an abstain), and for the analysis the gold
 * label's id; sift_intern maps it to a dense id and counts[id] counts it.
 * Dawid-Skene EM on the patterns, each weighted by its count, gives the
 * same estimates as EM on every record.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sift/colexpr.h"
#include "sift/intern.h"
#include "sift/label.h"
#include "sift/lfanalysis.h"
#include "sift/mem.h"

struct ctx {
	struct sift_reader *r;
	struct sift_writer *w;
	struct sift_rules *rs;
	const struct sift_label_opts *o;
	struct sift_label_stats *st;
	struct sift_error *err;
	char delim;
	size_t R, K;
	int *votes;
	double *weights, *shares;
	unsigned char *key; /* R vote bytes, then 4 gold-id bytes */
	struct sift_intern *patterns;
	double *counts; /* per pattern */
	size_t cap_counts;
	double *post; /* model: K posteriors per pattern */
	int model;    /* the model was fitted (K >= 2) */
	int bound;
	struct sift_colexpr *gold_col, *id_col; /* or NULL */
	struct sift_intern *golds;
	uint64_t *fired; /* per rule: the records it voted on this pass */
};

static const char *const combine_names[] = { "majority", "first", "weighted",
					     "model" };

void sift_label_opts_init(struct sift_label_opts *o)
{
	memset(o, 0, sizeof *o);
	o->out_col = "label";
	sift_ds_opts_init(&o->ds);
}

int sift_combine_parse(const char *s)
{
	for (size_t i = 0; i < 4; i++)
		if (strcmp(s, combine_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *sift_combine_name(enum sift_combine c)
{
	return (unsigned)c < 4 ? combine_names[c] : "?";
}

int sift_label_needs_rewind(const struct sift_label_opts *o)
{
	return o->combine == SIFT_COMBINE_MODEL && o->mode == SIFT_LABEL_DATA;
}

int sift_label_combine(enum sift_combine m, int tie_first, const int *votes,
		       const double *weights, size_t R, size_t K,
		       double *shares)
{
	double total = 0, best = 0;
	int winner = -1, tied = 0, first = -1;

	memset(shares, 0, K * sizeof *shares);
	for (size_t i = 0; i < R; i++) {
		double w = m == SIFT_COMBINE_WEIGHTED && weights ? weights[i]
								 : 1.0;

		if (votes[i] < 0)
			continue;
		if (first < 0)
			first = votes[i];
		shares[votes[i]] += w;
		total += w;
	}
	if (total <= 0)
		return -1;
	for (size_t k = 0; k < K; k++) {
		shares[k] /= total;
		if (shares[k] > best) {
			best = shares[k];
			winner = (int)k;
			tied = 0;
		} else if (shares[k] == best && best > 0) {
			tied = 1;
		}
	}
	if (m == SIFT_COMBINE_FIRST)
		return first;
	if (!tied)
		return winner;
	if (!tie_first)
		return -1;
	/* The earliest rule whose label is among the tied ones. */
	for (size_t i = 0; i < R; i++)
		if (votes[i] >= 0 && shares[votes[i]] == best)
			return votes[i];
	return -1;
}

/* ---- reading ---------------------------------------------------------- */

static int get_field(void *r, size_t col, const char **s, size_t *len,
		     struct sift_error *err)
{
	return sift_reader_field(r, col, s, len, err);
}

static int bind(struct ctx *c)
{
	size_t n = sift_reader_ncols(c->r);
	const char **names = malloc((n ? n : 1) * sizeof *names);
	int rc;

	if (!names)
		return sift_error_nomem(c->err);
	for (size_t i = 0; i < n; i++)
		names[i] = sift_reader_colname(c->r, i);
	rc = sift_rules_bind(c->rs, names, n, c->err);
	free(names);
	if (!rc && c->o->gold_col)
		rc = sift_colexpr_open(c->r, c->o->gold_col, "gold",
				       &c->gold_col, c->err);
	if (!rc && c->o->id_col)
		rc = sift_colexpr_open(c->r, c->o->id_col, "id", &c->id_col,
				       c->err);
	c->bound = !rc;
	return rc;
}

/* The next record and its votes; *rec = NULL at the end. */
static int next_voted(struct ctx *c, const struct sift_record **rec)
{
	int lim, rc = sift_reader_next(c->r, rec, c->err);

	if (rc || !*rec)
		return rc;
	if (!c->bound && (rc = bind(c)) != 0)
		return rc;
	rc = sift_rules_eval(c->rs, get_field, c->r, c->votes, &lim, c->err);
	for (size_t i = 0; !rc && i < c->R; i++)
		c->fired[i] += c->votes[i] >= 0;
	if (rc || lim < 0 || !c->o->strict)
		return rc;
	return sift_error_set(
		c->err, SIFT_EDATA,
		"%s:%llu: rule '%s' (%s:%u) hit the PCRE2 match "
		"limit (`strict`)",
		sift_reader_name(c->r), (unsigned long long)(*rec)->line,
		sift_rules_name(c->rs, (size_t)lim), sift_rules_path(c->rs),
		sift_rules_line(c->rs, (size_t)lim));
}

/* ---- vote patterns ---------------------------------------------------- */

static size_t make_key(struct ctx *c, uint32_t gold)
{
	for (size_t i = 0; i < c->R; i++)
		c->key[i] = (unsigned char)(c->votes[i] + 1);
	if (c->o->mode != SIFT_LABEL_ANALYZE)
		return c->R;
	memcpy(c->key + c->R, &gold, sizeof gold);
	return c->R + sizeof gold;
}

static int count_pattern(struct ctx *c, uint32_t gold)
{
	size_t len = make_key(c, gold), id;

	if (sift_intern_add(c->patterns, (const char *)c->key, len, &id))
		return sift_error_nomem(c->err);
	if (sift_grow_zero(&c->counts, &c->cap_counts, id + 1,
			   sizeof *c->counts, 256))
		return sift_error_nomem(c->err);
	c->counts[id] += 1;
	return 0;
}

/* The gold label's id (interned), or UINT32_MAX when empty or absent. */
static int gold_of(struct ctx *c, const struct sift_record *rec, uint32_t *gold)
{
	const char *s;
	size_t len, id;
	int rc;

	*gold = UINT32_MAX;
	if (!c->o->gold_col)
		return 0;
	rc = sift_colexpr_get(c->r, rec, c->gold_col, &s, &len, c->err);
	if (rc || len == 0)
		return rc;
	if (sift_intern_add(c->golds, s, len, &id))
		return sift_error_nomem(c->err);
	*gold = (uint32_t)id;
	return 0;
}

/* Dawid-Skene on the patterns; "abstained" is output K. */
static int fit_model(struct ctx *c)
{
	size_t P = sift_intern_count(c->patterns), n = 0;
	struct sift_ds_obs *obs = malloc((P * c->R + 1) * sizeof *obs);
	struct sift_ds_problem pb = {
		P, c->R, c->K, c->K + 1, obs, 0, c->counts
	};
	struct sift_ds_fit fit;
	int rc;

	if (!obs)
		return sift_error_nomem(c->err);
	for (size_t p = 0; p < P; p++) {
		const unsigned char *k = (const unsigned char *)sift_intern_str(
			c->patterns, p, NULL);

		for (size_t i = 0; i < c->R; i++) {
			obs[n].item = p;
			obs[n].source = i;
			obs[n++].label = k[i] ? k[i] - 1u : (unsigned)c->K;
		}
	}
	pb.n_obs = n;
	rc = sift_ds_fit(&pb, &c->o->ds, &fit, c->err);
	free(obs);
	if (rc)
		return rc;
	c->st->em_iterations = fit.iterations;
	c->st->em_converged = fit.converged;
	c->post = fit.posterior;
	fit.posterior = NULL;
	sift_ds_fit_free(&fit);
	c->model = 1;
	return 0;
}

/* The combined label of the current votes; *conf its probability. */
static int decide(struct ctx *c, const double *post, double *conf)
{
	int any = 0, best = 0;

	if (!c->model) {
		int k = sift_label_combine(c->o->combine == SIFT_COMBINE_MODEL
						   ? SIFT_COMBINE_MAJORITY
						   : c->o->combine,
					   c->o->tie_first, c->votes,
					   c->weights, c->R, c->K, c->shares);

		*conf = k >= 0 ? c->shares[k] : 0;
		return k;
	}
	for (size_t i = 0; i < c->R; i++)
		any |= c->votes[i] >= 0;
	if (!any || !post)
		return -1;
	for (size_t k = 1; k < c->K; k++)
		if (post[k] > post[best])
			best = (int)k;
	*conf = post[best];
	return best;
}

static const double *posterior_of(struct ctx *c)
{
	size_t id;

	if (!c->model)
		return NULL;
	make_key(c, UINT32_MAX);
	if (!sift_intern_find(c->patterns, (const char *)c->key, c->R, &id))
		return NULL;
	return c->post + id * c->K;
}

/* ---- writing ---------------------------------------------------------- */

/* The first field of a line, written as sift_writer_field writes the
 * others, but with no delimiter before it. */
static int first_field(struct ctx *c, const char *s, size_t len)
{
	return sift_writer_value(c->w, c->delim, s, len, c->err);
}

static const char *value(struct ctx *c, int k)
{
	return k >= 0 ? sift_rules_label_value(c->rs, (size_t)k) : "";
}

static int put(struct ctx *c, const char *s)
{
	return sift_writer_field(c->w, c->delim, s, strlen(s), c->err);
}

/* A header line of n names, in the input's delimiter. */
static int write_names(struct ctx *c, const char *const *names, size_t n)
{
	int rc = first_field(c, names[0], strlen(names[0]));

	for (size_t i = 1; !rc && i < n; i++)
		rc = put(c, names[i]);
	return rc ? rc : sift_writer_puts(c->w, "\n", c->err);
}

/* sift audit's default columns: the rules are its annotators. */
static const char *const long_names[] = { "item", "annotator", "label" };

static int write_header(struct ctx *c)
{
	const struct sift_record *h = sift_reader_header(c->r);
	char name[512];
	int rc;

	if (!h)
		return 0;
	rc = sift_writer_write(c->w, h->raw, h->len, c->err);
	if (!rc)
		rc = put(c, c->o->out_col);
	if (!rc && c->o->confidence)
		rc = put(c, "confidence");
	for (size_t i = 0; !rc && c->o->votes && i < c->R; i++) {
		snprintf(name, sizeof name, "vote_%s",
			 sift_rules_name(c->rs, i));
		rc = put(c, name);
	}
	return rc ? rc
		  : sift_writer_puts(c->w, *h->eol ? h->eol : "\n", c->err);
}

static int write_record(struct ctx *c, const struct sift_record *rec, int k,
			double conf)
{
	int rc;

	if (k < 0)
		c->st->n_abstained++;
	if (k < 0 && c->o->keep_labeled)
		return 0;
	rc = sift_writer_write(c->w, rec->raw, rec->len, c->err);
	if (!rc)
		rc = put(c, value(c, k));
	if (!rc && c->o->confidence)
		rc = k >= 0 ? sift_writer_double(c->w, c->delim, conf, c->err)
			    : put(c, "");
	for (size_t i = 0; !rc && c->o->votes && i < c->R; i++)
		rc = put(c, value(c, c->votes[i]));
	if (!rc)
		rc = sift_writer_puts(c->w, *rec->eol ? rec->eol : "\n",
				      c->err);
	if (!rc)
		c->st->n_out++;
	return rc;
}

/* --long: item,annotator,label for every vote. */
static int write_long(struct ctx *c, const struct sift_record *rec)
{
	char num[32];
	const char *item = num;
	size_t len;
	int rc = 0;

	if (c->o->id_col) {
		rc = sift_colexpr_get(c->r, rec, c->id_col, &item, &len,
				      c->err);
	} else {
		snprintf(num, sizeof num, "%llu",
			 (unsigned long long)rec->index + 1);
		len = strlen(num);
	}
	for (size_t i = 0; !rc && i < c->R; i++) {
		if (c->votes[i] < 0)
			continue;
		rc = first_field(c, item, len);
		if (!rc)
			rc = put(c, sift_rules_name(c->rs, i));
		if (!rc)
			rc = put(c, value(c, c->votes[i]));
		if (!rc)
			rc = sift_writer_puts(c->w, "\n", c->err);
		c->st->n_out += !rc;
	}
	return rc;
}

/* ---- the passes ------------------------------------------------------- */

static int pass_count(struct ctx *c)
{
	const struct sift_record *rec;
	uint32_t gold;
	int rc;

	while ((rc = next_voted(c, &rec)) == 0 && rec) {
		c->st->n_in++;
		if ((rc = gold_of(c, rec, &gold)) != 0 ||
		    (rc = count_pattern(c, gold)) != 0)
			return rc;
	}
	c->st->n_patterns = sift_intern_count(c->patterns);
	return rc;
}

static int pass_write(struct ctx *c)
{
	const struct sift_record *rec;
	double conf = 0;
	int rc;

	if (c->o->mode == SIFT_LABEL_LONG)
		rc = write_names(c, long_names, 3);
	else
		rc = write_header(c);
	c->st->n_in = 0;
	memset(c->fired, 0, c->R * sizeof *c->fired);
	while (!rc && (rc = next_voted(c, &rec)) == 0 && rec) {
		c->st->n_in++;
		if (c->o->mode == SIFT_LABEL_LONG)
			rc = write_long(c, rec);
		else {
			int k = decide(c, posterior_of(c), &conf);

			rc = write_record(c, rec, k, conf);
		}
	}
	return rc;
}

/* The analysis table's text cells. */
static void polarity(struct ctx *c, const struct sift_lfa_stats *s, char *buf,
		     size_t n)
{
	buf[0] = '\0';
	for (size_t k = 0; k < c->K; k++)
		if (s->emitted[k] > 0)
			snprintf(buf + strlen(buf), n - strlen(buf), "%s%s",
				 buf[0] ? " " : "", value(c, (int)k));
}

static const char *gold_name(struct ctx *c, const size_t *extra, size_t g)
{
	if (g < c->K)
		return value(c, (int)g);
	return sift_intern_str(c->golds, extra[g - c->K], NULL);
}

static void confusion(struct ctx *c, const struct sift_lfa_stats *s,
		      const size_t *extra, size_t G, char *buf, size_t n)
{
	buf[0] = '\0';
	for (size_t g = 0; g < G; g++)
		for (size_t k = 0; k < c->K; k++)
			if (s->confusion[g * c->K + k] > 0)
				snprintf(buf + strlen(buf), n - strlen(buf),
					 "%s%s>%s:%.0f", buf[0] ? " " : "",
					 gold_name(c, extra, g),
					 value(c, (int)k),
					 s->confusion[g * c->K + k]);
}

/* x with digits decimals, or an empty cell. */
static int put_num(struct ctx *c, int digits, double x, int show)
{
	char buf[64] = "";

	if (show)
		snprintf(buf, sizeof buf, "%.*f", digits, x);
	return put(c, buf);
}

static int analysis_row(struct ctx *c, const char *name, unsigned line,
			const struct sift_lfa_stats *s, double n, int which,
			const size_t *extra, size_t G)
{
	char buf[4096];
	int gold = c->o->gold_col != NULL, rc;
	double acc = sift_lfa_accuracy(s);

	rc = first_field(c, name, strlen(name));
	snprintf(buf, sizeof buf, "%u", line);
	if (!rc)
		rc = put(c, line ? buf : "");
	polarity(c, s, buf, sizeof buf);
	if (!rc)
		rc = put(c, buf);
	if (!rc)
		rc = put_num(c, 4, n > 0 ? s->covered / n : 0, 1);
	if (!rc)
		rc = put_num(c, 4, n > 0 ? s->overlapped / n : 0, which < 2);
	if (!rc)
		rc = put_num(c, 4, n > 0 ? s->conflicted / n : 0, which < 2);
	if (!rc)
		rc = put_num(c, 0, s->correct, gold && which != 1);
	if (!rc)
		rc = put_num(c, 0, s->incorrect, gold && which != 1);
	if (!rc)
		rc = put_num(c, 4, acc, gold && which != 1 && acc >= 0);
	confusion(c, s, extra, G, buf, sizeof buf);
	if (!rc)
		rc = put(c, which != 1 ? buf : "");
	return rc ? rc : sift_writer_puts(c->w, "\n", c->err);
}

/* Gold ids -> classes: a label's value is that label; other values are
 * classes K, K+1, ... (extra[] lists their gold ids). */
static int gold_classes(struct ctx *c, int **cls, size_t **extra, size_t *G)
{
	size_t n = sift_intern_count(c->golds), ne = 0;

	*cls = malloc((n + 1) * sizeof **cls);
	*extra = malloc((n + 1) * sizeof **extra);
	if (!*cls || !*extra)
		return sift_error_nomem(c->err);
	for (size_t g = 0; g < n; g++) {
		const char *s = sift_intern_str(c->golds, g, NULL);

		(*cls)[g] = -1;
		for (size_t k = 0; k < c->K; k++)
			if (strcmp(s, value(c, (int)k)) == 0)
				(*cls)[g] = (int)k;
		if ((*cls)[g] < 0) {
			(*cls)[g] = (int)(c->K + ne);
			(*extra)[ne++] = g;
		}
	}
	*G = c->K + ne;
	return 0;
}

static int write_analysis(struct ctx *c, struct sift_lfa *a,
			  const size_t *extra, size_t G)
{
	double n = sift_lfa_records(a);
	char name[64];
	static const char *const names[] = {
		"rule",      "line",    "labels",    "coverage", "overlaps",
		"conflicts", "correct", "incorrect", "accuracy", "confusion"
	};
	int rc = write_names(c, names, sizeof names / sizeof *names);

	for (size_t i = 0; !rc && i < c->R; i++)
		rc = analysis_row(c, sift_rules_name(c->rs, i),
				  sift_rules_line(c->rs, i),
				  sift_lfa_rule(a, i), n, 0, extra, G);
	if (!rc)
		rc = analysis_row(c, "(all rules)", 0, sift_lfa_set(a), n, 1,
				  extra, G);
	snprintf(name, sizeof name, "(%s)", sift_combine_name(c->o->combine));
	if (!rc)
		rc = analysis_row(c, name, 0, sift_lfa_combined(a), n, 2, extra,
				  G);
	return rc;
}

static int analyze(struct ctx *c)
{
	size_t P, G = 0, *extra = NULL;
	int *cls = NULL, rc = pass_count(c);
	struct sift_lfa *a = NULL;

	if (!rc && c->o->combine == SIFT_COMBINE_MODEL && c->K >= 2)
		rc = fit_model(c);
	if (!rc)
		rc = gold_classes(c, &cls, &extra, &G);
	if (!rc && !(a = sift_lfa_new(c->R, c->K, G)))
		rc = sift_error_nomem(c->err);
	P = sift_intern_count(c->patterns);
	for (size_t p = 0; !rc && p < P; p++) {
		const unsigned char *k = (const unsigned char *)sift_intern_str(
			c->patterns, p, NULL);
		uint32_t gold;
		double conf;
		int comb;

		memcpy(&gold, k + c->R, sizeof gold);
		for (size_t i = 0; i < c->R; i++)
			c->votes[i] = (int)k[i] - 1;
		comb = decide(c, c->model ? c->post + p * c->K : NULL, &conf);
		if (comb < 0)
			c->st->n_abstained += (uint64_t)c->counts[p];
		sift_lfa_add(a, c->votes, gold == UINT32_MAX ? -1 : cls[gold],
			     comb, c->counts[p]);
	}
	if (!rc)
		rc = write_analysis(c, a, extra, G);
	sift_lfa_free(a);
	free(cls);
	free(extra);
	return rc;
}

static int setup(struct ctx *c)
{
	c->R = sift_rules_count(c->rs);
	c->K = sift_rules_nlabels(c->rs);
	c->delim = sift_reader_delim(c->r);
	sift_writer_set_quoting(c->w, sift_reader_quoting(c->r));
	c->votes = calloc(c->R, sizeof *c->votes);
	c->weights = calloc(c->R, sizeof *c->weights);
	c->shares = calloc(c->K + 1, sizeof *c->shares);
	c->key = malloc(c->R + sizeof(uint32_t));
	c->fired = calloc(c->R ? c->R : 1, sizeof *c->fired);
	c->patterns = sift_intern_new();
	c->golds = sift_intern_new();
	if (!c->votes || !c->weights || !c->shares || !c->key || !c->fired ||
	    !c->patterns || !c->golds)
		return sift_error_nomem(c->err);
	for (size_t i = 0; i < c->R; i++)
		c->weights[i] = sift_rules_weight(c->rs, i);
	if (sift_reader_header(c->r))
		return bind(c);
	return 0;
}

/* A rule that votes on no record of the input is a rule that does not
 * do what its author meant (a typo in a word, the wrong column): named
 * with its line, at most SIFT_LABEL_NOTE_RULES of them, then a count. */
static void note_silent_rules(struct ctx *c)
{
	size_t silent = 0, said = 0;

	if (c->st->n_in == 0)
		return;
	for (size_t i = 0; i < c->R; i++)
		silent += c->fired[i] == 0;
	for (size_t i = 0; i < c->R && said < SIFT_LABEL_NOTE_RULES; i++)
		if (c->fired[i] == 0) {
			said++;
			sift_note_add(c->st->note, sizeof c->st->note,
				      "rule '%s' (%s:%u) fired on none of the "
				      "%llu records",
				      sift_rules_name(c->rs, i),
				      sift_rules_path(c->rs),
				      sift_rules_line(c->rs, i),
				      (unsigned long long)c->st->n_in);
		}
	if (silent > said)
		sift_note_add(c->st->note, sizeof c->st->note,
			      "and %zu more rules fired on none of the %llu "
			      "records, %zu of %zu in all (`analyze` gives "
			      "every rule's coverage)",
			      silent - said, (unsigned long long)c->st->n_in,
			      silent, c->R);
}

int sift_label_run(struct sift_reader *r, struct sift_writer *w,
		   struct sift_rules *rs, const struct sift_label_opts *o,
		   struct sift_label_stats *st, struct sift_error *err)
{
	struct ctx c = {
		.r = r, .w = w, .rs = rs, .o = o, .st = st, .err = err
	};
	int rc = setup(&c);

	memset(st, 0, sizeof *st);
	if (!rc && o->mode == SIFT_LABEL_ANALYZE) {
		rc = analyze(&c);
	} else if (!rc && sift_label_needs_rewind(o) && c.K >= 2) {
		rc = pass_count(&c);
		if (!rc)
			rc = fit_model(&c);
		if (!rc)
			rc = sift_reader_rewind(r, err);
		if (!rc)
			rc = pass_write(&c);
	} else if (!rc) {
		rc = pass_write(&c);
	}
	if (!rc)
		note_silent_rules(&c);
	free(c.votes);
	free(c.fired);
	free(c.weights);
	free(c.shares);
	free(c.key);
	free(c.counts);
	free(c.post);
	sift_intern_free(c.patterns);
	sift_intern_free(c.golds);
	sift_colexpr_free(c.gold_col);
	sift_colexpr_free(c.id_col);
	return rc;
}
