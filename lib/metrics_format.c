/* lib/metrics_format.c - metrics reports as text, csv and json (see
 * sift/metrics_format.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sift/metrics_format.h"

int sift_metrics_format_parse(const char *name)
{
	if (strcmp(name, "text") == 0)
		return SIFT_METRICS_TEXT;
	if (strcmp(name, "csv") == 0)
		return SIFT_METRICS_CSV;
	if (strcmp(name, "json") == 0)
		return SIFT_METRICS_JSON;
	return -1;
}

/* ---- text -------------------------------------------------------------- */

static const char *amount(char *buf, size_t size, double w)
{
	if (w == floor(w) && fabs(w) < 1e15)
		snprintf(buf, size, "%.0f", w);
	else
		snprintf(buf, size, "%.4g", w);
	return buf;
}

static const char *fixed(char *buf, size_t size, double x)
{
	if (isnan(x))
		snprintf(buf, size, "undefined");
	else
		snprintf(buf, size, "%.4f", x);
	return buf;
}

/* A figure's label, "F1" made "F2" and so on for another beta, the
 * calibration errors with their number of bins. */
static const char *label(char *buf, size_t size, enum sift_figure f,
			 const struct sift_metrics_report *rep)
{
	const char *l = sift_metrics_figure_label(f), *at = strstr(l, "F1");
	double beta = rep->beta;

	if (f == SIFT_FIG_ECE || f == SIFT_FIG_ADAPTIVE_ECE ||
	    f == SIFT_FIG_MCE) {
		snprintf(buf, size, "%s (%zu bin%s)", l, rep->bins,
			 rep->bins == 1 ? "" : "s");
		return buf;
	}
	if (!at || beta == 1.0)
		return l;
	snprintf(buf, size, "%.*sF%g%s", (int)(at - l), l, beta, at + 2);
	return buf;
}

static int name_width(const struct sift_metrics_report *rep, int min)
{
	int width = min;

	for (size_t c = 0; c < rep->n_classes; c++) {
		int len = (int)strlen(rep->names[c]);

		if (len > width)
			width = len;
	}
	return width > 40 ? 40 : width;
}

static int text_confusion(struct sift_writer *w,
			  const struct sift_metrics_report *rep,
			  struct sift_error *err)
{
	size_t k = rep->n_classes;
	int nw = name_width(rep, 16), cw = 7, rc;
	char a[32];

	for (size_t c = 0; c < k; c++) {
		int len = (int)strlen(rep->names[c]);

		cw = len > cw ? len : cw;
		cw = (int)strlen(amount(a, sizeof a, rep->total_weight)) > cw
			     ? (int)strlen(a)
			     : cw;
	}
	cw = cw > 40 ? 40 : cw;
	rc = sift_writer_printf(
		w, err,
		"confusion matrix (rows: gold, columns: predicted)\n"
		"  %-*s",
		nw, "gold \\ predicted");
	for (size_t c = 0; !rc && c < k; c++)
		rc = sift_writer_printf(w, err, " %*.*s", cw, cw,
					rep->names[c]);
	if (!rc)
		rc = sift_writer_printf(w, err, " %*s\n", cw, "total");
	for (size_t g = 0; !rc && g < k; g++) {
		rc = sift_writer_printf(w, err, "  %-*.*s", nw, nw,
					rep->names[g]);
		for (size_t p = 0; !rc && p < k; p++)
			rc = sift_writer_printf(
				w, err, " %*s", cw,
				amount(a, sizeof a, rep->confusion[g * k + p]));
		if (!rc)
			rc = sift_writer_printf(
				w, err, " %*s\n", cw,
				amount(a, sizeof a, rep->classes[g].support));
	}
	if (!rc)
		rc = sift_writer_printf(w, err, "  %-*s", nw, "total");
	for (size_t p = 0; !rc && p < k; p++)
		rc = sift_writer_printf(
			w, err, " %*s", cw,
			amount(a, sizeof a, rep->classes[p].predicted));
	if (!rc)
		rc = sift_writer_printf(w, err, " %*s\n\n", cw,
					amount(a, sizeof a, rep->total_weight));
	return rc;
}

static int text_classes(struct sift_writer *w,
			const struct sift_metrics_report *rep,
			struct sift_error *err)
{
	int nw = name_width(rep, 5), rc;
	char f[16], a[32], b[32], x[3][16];

	snprintf(f, sizeof f, "F%g", rep->beta);
	rc = sift_writer_printf(w, err, "  %-*s %9s %9s %9s %9s %9s\n", nw,
				"class", "precision", "recall", f, "support",
				"predicted");
	for (size_t c = 0; !rc && c < rep->n_classes; c++) {
		const struct sift_class_report *k = &rep->classes[c];

		if (k->support <= 0 && k->predicted <= 0)
			continue;
		rc = sift_writer_printf(
			w, err, "  %-*.*s %9s %9s %9s %9s %9s\n", nw, nw,
			rep->names[c], fixed(x[0], 16, k->precision),
			fixed(x[1], 16, k->recall), fixed(x[2], 16, k->f),
			amount(a, sizeof a, k->support),
			amount(b, sizeof b, k->predicted));
	}
	return rc ? rc : sift_writer_printf(w, err, "\n");
}

static int text_figures(struct sift_writer *w,
			const struct sift_metrics_report *rep,
			struct sift_error *err)
{
	char l[64], v[32], lo[32], hi[32], head[32];
	int rc;

	snprintf(head, sizeof head, "%g%% CI", 100 * rep->ci);
	rc = sift_writer_printf(w, err, "  %-28s %10s%s%s\n", "figure", "value",
				rep->has_ci ? "   " : "",
				rep->has_ci ? head : "");
	for (int f = 0; !rc && f < SIFT_FIG_COUNT; f++) {
		if (!rep->shown[f])
			continue;
		if (f == SIFT_FIG_PRECISION)
			rc = sift_writer_printf(w, err,
						"  positive class '%s': TP %s, "
						"FP %s, FN %s, TN %s\n",
						rep->names[rep->positive],
						amount(v, sizeof v, rep->tp),
						amount(lo, sizeof lo, rep->fp),
						amount(hi, sizeof hi, rep->fn),
						amount(l, sizeof l, rep->tn));
		if (rc)
			break;
		rc = sift_writer_printf(
			w, err, "  %-28s %10s",
			label(l, sizeof l, (enum sift_figure)f, rep),
			fixed(v, sizeof v, rep->value[f]));
		if (!rc && rep->has_ci)
			rc = sift_writer_printf(
				w, err, "   [%s, %s]",
				fixed(lo, sizeof lo, rep->lo[f]),
				fixed(hi, sizeof hi, rep->hi[f]));
		if (!rc)
			rc = sift_writer_printf(w, err, "\n");
	}
	if (!rc && rep->has_ci)
		rc = sift_writer_printf(
			w, err,
			"  (bootstrap: %llu resamples of the records, "
			"percentile intervals, seed %llu)\n",
			(unsigned long long)rep->n_boot,
			(unsigned long long)rep->seed);
	return rc;
}

static int text_lines(struct sift_writer *w, const char *title,
		      const char *mark, const char *lines,
		      struct sift_error *err)
{
	int rc = 0;

	if (!*lines)
		return 0;
	rc = sift_writer_printf(w, err, "\n%s:\n", title);
	for (const char *p = lines, *e; !rc && *p; p = e + 1) {
		e = strchr(p, '\n');
		rc = sift_writer_printf(w, err, "  %s %.*s\n", mark,
					(int)(e - p), p);
	}
	return rc;
}

static int write_text(struct sift_writer *w,
		      const struct sift_metrics_report *rep, const char *slice,
		      int first, struct sift_error *err)
{
	char a[32], word[32];
	int rc = sift_writer_printf(w, err, "%s== %s%s ==\n", first ? "" : "\n",
				    slice ? "slice " : "all records",
				    slice ? slice : "");

	if (!rc)
		rc = sift_writer_printf(
			w, err,
			"%llu records (total weight %s), %zu classes; "
			"positive class '%s'%s%s%s\n\n",
			(unsigned long long)rep->n_records,
			amount(a, sizeof a, rep->total_weight), rep->n_classes,
			rep->names[rep->positive],
			rep->positive_chosen ? " (the rarer gold class; " : "",
			rep->positive_chosen
				? sift_option_word("positive", word,
						   sizeof word)
				: "",
			rep->positive_chosen ? " names another)" : "");
	if (!rc)
		rc = text_confusion(w, rep, err);
	if (!rc)
		rc = text_classes(w, rep, err);
	if (!rc)
		rc = text_figures(w, rep, err);
	if (!rc)
		rc = text_lines(w, "warnings", "!", rep->warnings, err);
	if (!rc)
		rc = text_lines(w, "notes", "-", rep->notes, err);
	return rc;
}

/* ---- csv --------------------------------------------------------------- */

/* A field, preceded by a comma unless it is the first of its row, and
 * quoted (RFC 4180) when it needs to be. */
static int csv_field(struct sift_writer *w, int first, const char *s,
		     struct sift_error *err)
{
	if (first)
		return sift_writer_value(w, ',', s, strlen(s), err);
	return sift_writer_field(w, ',', s, strlen(s), err);
}

static int csv_number(struct sift_writer *w, int first, double x,
		      struct sift_error *err)
{
	char buf[40];

	if (isnan(x))
		return first ? 0 : sift_writer_puts(w, ",", err);
	if (isinf(x))
		return csv_field(w, first, x > 0 ? "inf" : "-inf", err);
	sift_format_double(buf, sizeof buf, x);
	return csv_field(w, first, buf, err);
}

static const char csv_header[] =
	"slice,metric,class,predicted,value,ci_low,ci_high\n";

/* One row; class_ and pred may be NULL; text, if not NULL, is the value
 * instead of x. */
static int csv_row(struct sift_writer *w, const char *slice, const char *metric,
		   const char *class_, const char *pred, double x,
		   const char *text, const double *ci, struct sift_error *err)
{
	const char *cols[4] = { slice ? slice : "", metric,
				class_ ? class_ : "", pred ? pred : "" };
	int rc = 0;

	for (int i = 0; !rc && i < 4; i++)
		rc = csv_field(w, i == 0, cols[i], err);
	if (!rc)
		rc = text ? csv_field(w, 0, text, err)
			  : csv_number(w, 0, x, err);
	for (int i = 0; !rc && i < 2; i++)
		rc = csv_number(w, 0, ci ? ci[i] : NAN, err);
	return rc ? rc : sift_writer_puts(w, "\n", err);
}

static int csv_lines(struct sift_writer *w, const char *slice,
		     const char *metric, const char *lines,
		     struct sift_error *err)
{
	int rc = 0;
	char buf[SIFT_METRICS_NOTES];

	for (const char *p = lines, *e; !rc && *p; p = e + 1) {
		e = strchr(p, '\n');
		snprintf(buf, sizeof buf, "%.*s", (int)(e - p), p);
		rc = csv_row(w, slice, metric, NULL, NULL, 0, buf, NULL, err);
	}
	return rc;
}

static int csv_classes(struct sift_writer *w,
		       const struct sift_metrics_report *rep, const char *slice,
		       struct sift_error *err)
{
	static const char *const names[] = { "class_precision", "class_recall",
					     "class_f1", "class_support",
					     "class_predicted" };
	size_t k = rep->n_classes;
	int rc = 0;

	for (size_t c = 0; !rc && c < k; c++) {
		const struct sift_class_report *r = &rep->classes[c];
		double x[5] = { r->precision, r->recall, r->f, r->support,
				r->predicted };

		for (int j = 0; !rc && j < 5; j++)
			rc = csv_row(w, slice, names[j], rep->names[c], NULL,
				     x[j], NULL, NULL, err);
	}
	for (size_t g = 0; !rc && g < k; g++)
		for (size_t p = 0; !rc && p < k; p++)
			rc = csv_row(w, slice, "confusion", rep->names[g],
				     rep->names[p], rep->confusion[g * k + p],
				     NULL, NULL, err);
	return rc;
}

static int write_csv(struct sift_writer *w,
		     const struct sift_metrics_report *rep, const char *slice,
		     struct sift_error *err)
{
	const char *pos = rep->names[rep->positive];
	double binary[4] = { rep->tp, rep->fp, rep->fn, rep->tn };
	static const char *const bnames[] = { "tp", "fp", "fn", "tn" };
	int rc = csv_row(w, slice, "records", NULL, NULL,
			 (double)rep->n_records, NULL, NULL, err);

	if (!rc)
		rc = csv_row(w, slice, "total_weight", NULL, NULL,
			     rep->total_weight, NULL, NULL, err);
	if (!rc)
		rc = csv_row(w, slice, "positive", pos, NULL, NAN, NULL, NULL,
			     err);
	if (!rc)
		rc = csv_row(w, slice, "beta", NULL, NULL, rep->beta, NULL,
			     NULL, err);
	if (!rc && rep->shown[SIFT_FIG_ECE])
		rc = csv_row(w, slice, "bins", NULL, NULL, (double)rep->bins,
			     NULL, NULL, err);
	for (int i = 0; !rc && i < 4; i++)
		rc = csv_row(w, slice, bnames[i], pos, NULL, binary[i], NULL,
			     NULL, err);
	for (int f = 0; !rc && f < SIFT_FIG_COUNT; f++) {
		double ci[2] = { rep->lo[f], rep->hi[f] };

		if (rep->shown[f])
			rc = csv_row(
				w, slice,
				sift_metrics_figure_name((enum sift_figure)f),
				NULL, NULL, rep->value[f], NULL,
				rep->has_ci ? ci : NULL, err);
	}
	if (!rc)
		rc = csv_classes(w, rep, slice, err);
	if (!rc)
		rc = csv_lines(w, slice, "warning", rep->warnings, err);
	if (!rc)
		rc = csv_lines(w, slice, "note", rep->notes, err);
	return rc;
}

/* ---- json ------------------------------------------------------------ */

static int json_string(struct sift_writer *w, const char *s,
		       struct sift_error *err)
{
	int rc = sift_writer_puts(w, "\"", err);

	for (; !rc && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			rc = sift_writer_printf(w, err, "\\%c", c);
		else if (c < 0x20)
			rc = sift_writer_printf(w, err, "\\u%04x", c);
		else
			rc = sift_writer_write(w, s, 1, err);
	}
	return rc ? rc : sift_writer_puts(w, "\"", err);
}

static int json_number(struct sift_writer *w, double x, struct sift_error *err)
{
	char buf[40];

	if (!isfinite(x))
		return sift_writer_puts(w, "null", err);
	sift_format_double(buf, sizeof buf, x);
	return sift_writer_puts(w, buf, err);
}

static int json_key(struct sift_writer *w, int comma, const char *key,
		    struct sift_error *err)
{
	int rc = sift_writer_puts(w, comma ? ", " : "", err);

	if (!rc)
		rc = json_string(w, key, err);
	return rc ? rc : sift_writer_puts(w, ": ", err);
}

static int json_lines(struct sift_writer *w, const char *key, const char *lines,
		      struct sift_error *err)
{
	char buf[SIFT_METRICS_NOTES];
	int rc = json_key(w, 1, key, err), n = 0;

	if (!rc)
		rc = sift_writer_puts(w, "[", err);
	for (const char *p = lines, *e; !rc && *p; p = e + 1, n++) {
		e = strchr(p, '\n');
		snprintf(buf, sizeof buf, "%.*s", (int)(e - p), p);
		rc = sift_writer_puts(w, n ? ", " : "", err);
		if (!rc)
			rc = json_string(w, buf, err);
	}
	return rc ? rc : sift_writer_puts(w, "]", err);
}

static int json_classes(struct sift_writer *w,
			const struct sift_metrics_report *rep,
			struct sift_error *err)
{
	static const char *const keys[] = { "precision", "recall", "f1",
					    "support", "predicted" };
	size_t k = rep->n_classes;
	int rc = json_key(w, 1, "classes", err);

	if (!rc)
		rc = sift_writer_puts(w, "[", err);
	for (size_t c = 0; !rc && c < k; c++) {
		const struct sift_class_report *r = &rep->classes[c];
		double x[5] = { r->precision, r->recall, r->f, r->support,
				r->predicted };

		rc = sift_writer_puts(w, c ? ", {" : "{", err);
		if (!rc)
			rc = json_key(w, 0, "class", err);
		if (!rc)
			rc = json_string(w, rep->names[c], err);
		for (int j = 0; !rc && j < 5; j++) {
			rc = json_key(w, 1, keys[j], err);
			if (!rc)
				rc = json_number(w, x[j], err);
		}
		if (!rc)
			rc = sift_writer_puts(w, "}", err);
	}
	if (!rc)
		rc = sift_writer_puts(w, "]", err);
	if (!rc)
		rc = json_key(w, 1, "confusion", err);
	for (size_t g = 0; !rc && g < k; g++) {
		rc = sift_writer_puts(w, g ? ", [" : "[[", err);
		for (size_t p = 0; !rc && p < k; p++) {
			rc = sift_writer_puts(w, p ? ", " : "", err);
			if (!rc)
				rc = json_number(w, rep->confusion[g * k + p],
						 err);
		}
		if (!rc)
			rc = sift_writer_puts(w, "]", err);
	}
	return rc ? rc : sift_writer_puts(w, "]", err);
}

static int json_figures(struct sift_writer *w,
			const struct sift_metrics_report *rep, int ci,
			struct sift_error *err)
{
	int rc = json_key(w, 1, ci ? "ci" : "metrics", err), n = 0;

	if (!rc)
		rc = sift_writer_puts(w, "{", err);
	if (!rc && ci) {
		rc = sift_writer_printf(w, err,
					"\"level\": %g, \"resamples\": %llu, "
					"\"seed\": %llu",
					rep->ci,
					(unsigned long long)rep->n_boot,
					(unsigned long long)rep->seed);
		n = 1;
	}
	for (int f = 0; !rc && f < SIFT_FIG_COUNT; f++) {
		if (!rep->shown[f])
			continue;
		rc = json_key(w, n++,
			      sift_metrics_figure_name((enum sift_figure)f),
			      err);
		if (!rc && !ci)
			rc = json_number(w, rep->value[f], err);
		if (!rc && ci)
			rc = sift_writer_puts(w, "[", err);
		if (!rc && ci)
			rc = json_number(w, rep->lo[f], err);
		if (!rc && ci)
			rc = sift_writer_puts(w, ", ", err);
		if (!rc && ci)
			rc = json_number(w, rep->hi[f], err);
		if (!rc && ci)
			rc = sift_writer_puts(w, "]", err);
	}
	return rc ? rc : sift_writer_puts(w, "}", err);
}

static int write_json(struct sift_writer *w,
		      const struct sift_metrics_report *rep, const char *slice,
		      int first, struct sift_error *err)
{
	int rc = sift_writer_puts(w, first ? "\n  {" : ",\n  {", err);

	if (!rc)
		rc = json_key(w, 0, "slice", err);
	if (!rc)
		rc = slice ? json_string(w, slice, err)
			   : sift_writer_puts(w, "null", err);
	if (!rc)
		rc = sift_writer_printf(
			w, err, ", \"records\": %llu, \"total_weight\": ",
			(unsigned long long)rep->n_records);
	if (!rc)
		rc = json_number(w, rep->total_weight, err);
	if (!rc)
		rc = json_key(w, 1, "positive", err);
	if (!rc)
		rc = json_string(w, rep->names[rep->positive], err);
	if (!rc)
		rc = sift_writer_printf(
			w, err, ", \"positive_chosen\": %s, \"beta\": %g, ",
			rep->positive_chosen ? "true" : "false", rep->beta);
	if (!rc && rep->shown[SIFT_FIG_ECE])
		rc = sift_writer_printf(w, err, "\"bins\": %zu, ", rep->bins);
	if (!rc)
		rc = sift_writer_puts(w, "\"tp\": ", err);
	double b[4] = { rep->tp, rep->fp, rep->fn, rep->tn };
	static const char *const bk[] = { "tp", "fp", "fn", "tn" };

	for (int i = 0; !rc && i < 4; i++) {
		if (i)
			rc = json_key(w, 1, bk[i], err);
		if (!rc)
			rc = json_number(w, b[i], err);
	}
	if (!rc)
		rc = json_figures(w, rep, 0, err);
	if (!rc && rep->has_ci)
		rc = json_figures(w, rep, 1, err);
	if (!rc)
		rc = json_classes(w, rep, err);
	if (!rc)
		rc = json_lines(w, "warnings", rep->warnings, err);
	if (!rc)
		rc = json_lines(w, "notes", rep->notes, err);
	return rc ? rc : sift_writer_puts(w, "}", err);
}

/* ---- entry points ------------------------------------------------------ */

int sift_metrics_write_begin(struct sift_writer *w,
			     enum sift_metrics_format fmt,
			     struct sift_error *err)
{
	if (fmt == SIFT_METRICS_CSV)
		return sift_writer_puts(w, csv_header, err);
	if (fmt == SIFT_METRICS_JSON)
		return sift_writer_puts(w,
					"{\"format\": \"sift-metrics 1\", "
					"\"reports\": [",
					err);
	return 0;
}

int sift_metrics_write(struct sift_writer *w, enum sift_metrics_format fmt,
		       const struct sift_metrics_report *rep, const char *slice,
		       int first, struct sift_error *err)
{
	if (fmt == SIFT_METRICS_CSV)
		return write_csv(w, rep, slice, err);
	if (fmt == SIFT_METRICS_JSON)
		return write_json(w, rep, slice, first, err);
	return write_text(w, rep, slice, first, err);
}

int sift_metrics_write_end(struct sift_writer *w, enum sift_metrics_format fmt,
			   struct sift_error *err)
{
	if (fmt == SIFT_METRICS_JSON)
		return sift_writer_puts(w, "\n]}\n", err);
	return 0;
}

int sift_metrics_write_curve(struct sift_writer *w,
			     const struct sift_curve *curve,
			     enum sift_curve_kind kind, const char *slice,
			     int header, struct sift_error *err)
{
	int rc = 0;

	if (header)
		rc = sift_writer_printf(
			w, err, "%sthreshold,%s\n", slice ? "slice," : "",
			kind == SIFT_CURVE_ROC ? "fpr,tpr"
					       : "recall,precision");
	for (size_t i = 0; !rc && i < curve->n; i++) {
		if (slice)
			rc = csv_field(w, 1, slice, err);
		if (!rc)
			rc = csv_number(w, !slice, curve->threshold[i], err);
		if (!rc)
			rc = csv_number(w, 0, curve->x[i], err);
		if (!rc)
			rc = csv_number(w, 0, curve->y[i], err);
		if (!rc)
			rc = sift_writer_puts(w, "\n", err);
	}
	return rc;
}

int sift_metrics_write_reliability(struct sift_writer *w,
				   const struct sift_reliability_bin *bins,
				   size_t n_bins, const char *slice, int header,
				   struct sift_error *err)
{
	int rc = 0;

	if (header)
		rc = sift_writer_printf(w, err,
					"%sbin,lo,hi,count,weight,"
					"mean_predicted,observed\n",
					slice ? "slice," : "");
	for (size_t b = 0; !rc && b < n_bins; b++) {
		const struct sift_reliability_bin *r = &bins[b];
		int some = r->weight > 0;

		if (slice)
			rc = csv_field(w, 1, slice, err);
		if (!rc)
			rc = csv_number(w, !slice, (double)(b + 1), err);
		if (!rc)
			rc = csv_number(w, 0, r->lo, err);
		if (!rc)
			rc = csv_number(w, 0, r->hi, err);
		if (!rc)
			rc = csv_number(w, 0, r->count, err);
		if (!rc)
			rc = csv_number(w, 0, r->weight, err);
		if (!rc)
			rc = csv_number(w, 0, some ? r->sum_p / r->weight : NAN,
					err);
		if (!rc)
			rc = csv_number(w, 0, some ? r->sum_y / r->weight : NAN,
					err);
		if (!rc)
			rc = sift_writer_puts(w, "\n", err);
	}
	return rc;
}
