/*
 * lib/audit_format.c - an audit (sift/audit.h) as text, CSV or JSON, its
 * consensus labels, and its review lists (see sift/audit_format.h).
 *
 * The printers ignore each write's result: the writer's errors are
 * sticky, so one check at the end (status) reports the first of them.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sift/audit_format.h"

int sift_audit_format_parse(const char *name)
{
	if (strcmp(name, "text") == 0)
		return SIFT_AUDIT_TEXT;
	if (strcmp(name, "csv") == 0)
		return SIFT_AUDIT_CSV;
	if (strcmp(name, "json") == 0)
		return SIFT_AUDIT_JSON;
	return -1;
}

/* The writer's sticky error, if any write failed: writing nothing
 * returns it. */
static int status(struct sift_writer *w, struct sift_error *err)
{
	return sift_writer_write(w, "", 0, err);
}

static const char *item_name(const struct sift_audit *au, size_t i)
{
	return sift_audit_item_name(au, i);
}

static const char *annotator_name(const struct sift_audit *au, size_t j)
{
	return sift_audit_annotator_name(au, j);
}

static const char *label_name(const struct sift_audit *au, size_t l)
{
	return sift_audit_label_name(au, l);
}

/* A statistic in text: 4 decimals, "-" when undefined. */
static const char *num(char *buf, double x)
{
	if (isnan(x))
		return "-";
	snprintf(buf, 32, "%.4f", x);
	return buf;
}

static void flag_words(const struct sift_audit *au,
		       const struct sift_audit_annotator *an, char *buf,
		       size_t size, const char *sep)
{
	buf[0] = '\0';
	for (unsigned bit = 1; bit <= SIFT_FLAG_OVERLAP; bit <<= 1) {
		if (!(an->flags & bit))
			continue;
		if (buf[0])
			strncat(buf, sep, size - strlen(buf) - 1);
		if (bit == SIFT_FLAG_BIASED)
			snprintf(buf + strlen(buf), size - strlen(buf),
				 "biased toward %s",
				 label_name(au, an->biased_to));
		else
			strncat(buf, sift_agree_flag_name(bit),
				size - strlen(buf) - 1);
	}
}

static size_t name_width(const struct sift_audit *au, size_t min)
{
	size_t w = min;

	for (size_t j = 0; j < au->n_annotators; j++) {
		size_t n = strlen(annotator_name(au, j));

		w = n > w ? n : w;
	}
	return w > 40 ? 40 : w;
}

static void text_totals(const struct sift_audit *au, struct sift_writer *w,
			struct sift_error *err)
{
	sift_writer_printf(w, err, "items                    %zu\n",
			   au->n_items);
	sift_writer_printf(w, err, "annotators               %zu\n",
			   au->n_annotators);
	sift_writer_printf(w, err, "annotations              %zu\n",
			   au->set->n_obs);
	sift_writer_printf(w, err,
			   "labels                   %zu:", au->n_labels);
	for (size_t l = 0; l < au->n_labels; l++)
		sift_writer_printf(w, err, "%s %s", l ? "," : "",
				   label_name(au, l));
	sift_writer_printf(w, err,
			   "\nannotations per item     %.2f (%zu to %zu)\n",
			   (double)au->set->n_obs / (double)au->n_items,
			   au->min_per_item, au->max_per_item);
	sift_writer_printf(
		w, err,
		"items with one annotator %zu (left out of agreement)\n",
		au->n_single);
	if (au->set->n_duplicates)
		sift_writer_printf(w, err, "duplicates replaced      %zu\n",
				   au->set->n_duplicates);
}

static void text_agreement(const struct sift_audit *au, struct sift_writer *w,
			   struct sift_error *err)
{
	char b[32];

	sift_writer_printf(w, err,
			   "\nagreement over %zu items with 2 or more "
			   "annotations\n",
			   au->n_pairable);
	sift_writer_printf(w, err, "  observed agreement     %s\n",
			   num(b, au->observed));
	sift_writer_printf(w, err, "  Fleiss' kappa          %s\n",
			   num(b, au->fleiss));
	sift_writer_printf(w, err, "  Krippendorff's alpha   %s (%s)\n",
			   num(b, au->alpha),
			   sift_agree_level_name(au->opts.level));
	if (au->n_gold) {
		sift_writer_printf(
			w, err,
			"\nconsensus accuracy on %zu gold items: majority %s",
			au->n_gold, num(b, au->gold_majority));
		sift_writer_printf(w, err, ", Dawid-Skene %s\n",
				   num(b, au->gold_ds));
	}
}

static void text_annotators(const struct sift_audit *au, struct sift_writer *w,
			    struct sift_error *err)
{
	int nw = (int)name_width(au, 9);
	char b1[32], b2[32], b3[32], b4[32], b5[32], b6[32], flags[256];

	sift_writer_printf(w, err, "\n%-*s %11s %9s %7s %8s %17s %7s  %s\n", nw,
			   "annotator", "annotations", "loo-agree", "kappa",
			   "gold-acc", "gold interval", "ds-acc", "flags");
	for (size_t j = 0; j < au->n_annotators; j++) {
		const struct sift_audit_annotator *an = &au->annotator[j];
		char iv[80] = "-";

		if (an->gold_n > 0)
			snprintf(iv, sizeof iv, "[%s, %s]",
				 num(b4, an->gold_lo), num(b5, an->gold_hi));
		flag_words(au, an, flags, sizeof flags, ", ");
		sift_writer_printf(
			w, err, "%-*s %11zu %9s %7s %8s %17s %7s%s%s\n", nw,
			annotator_name(au, j), an->n, num(b1, an->loo),
			num(b2, an->kappa),
			an->gold_n > 0 ? num(b3, an->gold_right / an->gold_n)
				       : "-",
			iv, num(b6, an->ds_accuracy), flags[0] ? "  " : "",
			flags);
	}
	if (au->n_gold)
		sift_writer_printf(w, err, "(gold interval: Wilson, %g%%)\n",
				   au->opts.confidence * 100);
}

static void text_pairwise(const struct sift_audit *au, struct sift_writer *w,
			  struct sift_error *err)
{
	int nw = (int)name_width(au, 4), cw = nw > 7 ? nw : 7;
	char b[32];

	sift_writer_printf(
		w, err,
		"\npairwise Cohen's kappa (- : fewer than %llu shared "
		"items)\n%-*s",
		(unsigned long long)au->opts.min_overlap, nw, "");
	for (size_t b2 = 0; b2 < au->n_annotators; b2++)
		sift_writer_printf(w, err, " %*s", cw, annotator_name(au, b2));
	for (size_t a = 0; a < au->n_annotators; a++) {
		sift_writer_printf(w, err, "\n%-*s", nw, annotator_name(au, a));
		for (size_t c = 0; c < au->n_annotators; c++)
			sift_writer_printf(
				w, err, " %*s", cw,
				num(b,
				    au->pair_kappa[a * au->n_annotators + c]));
	}
	sift_writer_printf(w, err, "\n");
}

static void text_matrix_head(const struct sift_audit *au, struct sift_writer *w,
			     struct sift_error *err, const char *first, int nw)
{
	sift_writer_printf(w, err, "%-*s", nw, first);
	for (size_t l = 0; l < au->n_labels; l++)
		sift_writer_printf(w, err, " %7s", label_name(au, l));
	sift_writer_printf(w, err, "\n");
}

static void text_confusion(const struct sift_audit *au, struct sift_writer *w,
			   struct sift_error *err)
{
	int nw = (int)name_width(au, 9);
	char b[32];

	if (!au->have_ds)
		return;
	sift_writer_printf(
		w, err,
		"\nDawid-Skene confusion matrices (rows: true label; "
		"columns: label given)\n");
	for (size_t j = 0; j < au->n_annotators; j++) {
		text_matrix_head(au, w, err, annotator_name(au, j), nw);
		for (size_t k = 0; k < au->n_labels; k++) {
			sift_writer_printf(w, err, "  %-*s", nw - 2,
					   label_name(au, k));
			for (size_t l = 0; l < au->n_labels; l++)
				sift_writer_printf(
					w, err, " %7s",
					num(b, sift_ds_confusion(&au->fit, j, k,
								 l)));
			sift_writer_printf(w, err, "\n");
		}
	}
	sift_writer_printf(w, err, "class priors");
	for (size_t k = 0; k < au->n_labels; k++)
		sift_writer_printf(w, err, " %s %s", label_name(au, k),
				   num(b, au->fit.prior[k]));
	sift_writer_printf(w, err, "\n");
}

static void text_distribution(const struct sift_audit *au,
			      struct sift_writer *w, struct sift_error *err)
{
	int nw = (int)name_width(au, 9);
	char b[32];
	double *all = calloc(au->n_labels + 1, sizeof *all);

	sift_writer_printf(w, err,
			   "\nlabel distribution (share of each annotator's "
			   "labels)\n");
	text_matrix_head(au, w, err, "annotator", nw);
	for (size_t j = 0; j < au->n_annotators; j++) {
		sift_writer_printf(w, err, "%-*s", nw, annotator_name(au, j));
		for (size_t l = 0; l < au->n_labels; l++) {
			sift_writer_printf(
				w, err, " %7s",
				num(b, au->said[j * au->n_labels + l] /
					       (double)au->annotator[j].n));
			if (all)
				all[l] += au->said[j * au->n_labels + l];
		}
		sift_writer_printf(w, err, "\n");
	}
	sift_writer_printf(w, err, "%-*s", nw, "all");
	for (size_t l = 0; all && l < au->n_labels; l++)
		sift_writer_printf(w, err, " %7s",
				   num(b, all[l] / (double)au->set->n_obs));
	sift_writer_printf(w, err, "\n");
	free(all);
}

static void text_report(const struct sift_audit *au, struct sift_writer *w,
			struct sift_error *err)
{
	text_totals(au, w, err);
	text_agreement(au, w, err);
	text_annotators(au, w, err);
	text_pairwise(au, w, err);
	text_confusion(au, w, err);
	text_distribution(au, w, err);
}

static void csv_num(struct sift_writer *w, double x, struct sift_error *err)
{
	if (isnan(x))
		sift_writer_write(w, ",", 1, err);
	else
		sift_writer_double(w, ',', x, err);
}

/* A field, quoted as RFC 4180 asks (the reports are CSV, whatever the
 * input was); the first of a record has no delimiter before it. */
static void csv_str(struct sift_writer *w, const char *s, int first,
		    struct sift_error *err)
{
	if (first)
		sift_writer_value(w, ',', s, strlen(s), err);
	else
		sift_writer_field(w, ',', s, strlen(s), err);
}

static void csv_report(const struct sift_audit *au, struct sift_writer *w,
		       struct sift_error *err)
{
	char flags[256];

	sift_writer_puts(w,
			 "annotator,annotations,shared_items,loo_agreement,"
			 "kappa,gold_items,gold_accuracy,gold_low,gold_high,"
			 "ds_accuracy,flags",
			 err);
	for (size_t l = 0; l < au->n_labels; l++) {
		char name[256];

		snprintf(name, sizeof name, "share:%s", label_name(au, l));
		csv_str(w, name, 0, err);
	}
	sift_writer_puts(w, "\n", err);
	for (size_t j = 0; j < au->n_annotators; j++) {
		const struct sift_audit_annotator *an = &au->annotator[j];

		csv_str(w, annotator_name(au, j), 1, err);
		sift_writer_double(w, ',', (double)an->n, err);
		sift_writer_double(w, ',', (double)an->shared, err);
		csv_num(w, an->loo, err);
		csv_num(w, an->kappa, err);
		sift_writer_double(w, ',', an->gold_n, err);
		csv_num(w, an->gold_n > 0 ? an->gold_right / an->gold_n : NAN,
			err);
		csv_num(w, an->gold_n > 0 ? an->gold_lo : NAN, err);
		csv_num(w, an->gold_n > 0 ? an->gold_hi : NAN, err);
		csv_num(w, an->ds_accuracy, err);
		flag_words(au, an, flags, sizeof flags, ";");
		csv_str(w, flags, 0, err);
		for (size_t l = 0; l < au->n_labels; l++)
			csv_num(w,
				au->said[j * au->n_labels + l] / (double)an->n,
				err);
		sift_writer_puts(w, "\n", err);
	}
}

/* A JSON string: quotes, backslashes and control bytes escaped; other
 * bytes as they are (the input's encoding). */
static void json_str(struct sift_writer *w, const char *s,
		     struct sift_error *err)
{
	char esc[8];

	sift_writer_puts(w, "\"", err);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			sift_writer_write(w, esc, 2, err);
		} else if (c < 0x20) {
			snprintf(esc, sizeof esc, "\\u%04x", c);
			sift_writer_puts(w, esc, err);
		} else {
			sift_writer_write(w, s, 1, err);
		}
	}
	sift_writer_puts(w, "\"", err);
}

static void json_num(struct sift_writer *w, double x, struct sift_error *err)
{
	char buf[40];

	if (isnan(x) || isinf(x)) {
		sift_writer_puts(w, "null", err);
		return;
	}
	sift_format_double(buf, sizeof buf, x);
	sift_writer_puts(w, buf, err);
}

static void json_key(struct sift_writer *w, const char *key, int first,
		     struct sift_error *err)
{
	if (!first)
		sift_writer_puts(w, ",", err);
	json_str(w, key, err);
	sift_writer_puts(w, ":", err);
}

static void json_totals(const struct sift_audit *au, struct sift_writer *w,
			struct sift_error *err)
{
	json_key(w, "totals", 1, err);
	sift_writer_printf(
		w, err,
		"{\"items\":%zu,\"annotators\":%zu,\"annotations\":%zu,"
		"\"duplicates\":%zu,\"single_annotator_items\":%zu,"
		"\"annotations_per_item\":",
		au->n_items, au->n_annotators, au->set->n_obs,
		au->set->n_duplicates, au->n_single);
	json_num(w, (double)au->set->n_obs / (double)au->n_items, err);
	json_key(w, "labels", 0, err);
	sift_writer_puts(w, "[", err);
	for (size_t l = 0; l < au->n_labels; l++) {
		if (l)
			sift_writer_puts(w, ",", err);
		json_str(w, label_name(au, l), err);
	}
	sift_writer_puts(w, "]}", err);
}

static void json_agreement(const struct sift_audit *au, struct sift_writer *w,
			   struct sift_error *err)
{
	int first = 1;

	json_key(w, "agreement", 0, err);
	sift_writer_printf(w, err,
			   "{\"items\":%zu,\"observed\":", au->n_pairable);
	json_num(w, au->observed, err);
	json_key(w, "fleiss_kappa", 0, err);
	json_num(w, au->fleiss, err);
	json_key(w, "krippendorff_alpha", 0, err);
	json_num(w, au->alpha, err);
	json_key(w, "level", 0, err);
	json_str(w, sift_agree_level_name(au->opts.level), err);
	sift_writer_printf(w, err, ",\"min_overlap\":%llu,\"pairwise\":[",
			   (unsigned long long)au->opts.min_overlap);
	for (size_t a = 0; a < au->n_annotators; a++)
		for (size_t b = a + 1; b < au->n_annotators; b++) {
			sift_writer_puts(w, first ? "{" : ",{", err);
			first = 0;
			json_key(w, "a", 1, err);
			json_str(w, annotator_name(au, a), err);
			json_key(w, "b", 0, err);
			json_str(w, annotator_name(au, b), err);
			sift_writer_printf(
				w, err, ",\"overlap\":%zu,\"kappa\":",
				au->pair_overlap[a * au->n_annotators + b]);
			json_num(w, au->pair_kappa[a * au->n_annotators + b],
				 err);
			sift_writer_puts(w, "}", err);
		}
	sift_writer_puts(w, "]", err);
	if (au->n_gold) {
		sift_writer_printf(w, err, ",\"gold_items\":%zu", au->n_gold);
		json_key(w, "gold_accuracy_majority", 0, err);
		json_num(w, au->gold_majority, err);
		json_key(w, "gold_accuracy_dawid_skene", 0, err);
		json_num(w, au->gold_ds, err);
	}
	sift_writer_puts(w, "}", err);
}

static void json_confusion(const struct sift_audit *au, size_t j,
			   struct sift_writer *w, struct sift_error *err)
{
	json_key(w, "confusion", 0, err);
	if (!au->have_ds) {
		sift_writer_puts(w, "null", err);
		return;
	}
	sift_writer_puts(w, "{", err);
	for (size_t k = 0; k < au->n_labels; k++) {
		json_key(w, label_name(au, k), k == 0, err);
		sift_writer_puts(w, "{", err);
		for (size_t l = 0; l < au->n_labels; l++) {
			json_key(w, label_name(au, l), l == 0, err);
			json_num(w, sift_ds_confusion(&au->fit, j, k, l), err);
		}
		sift_writer_puts(w, "}", err);
	}
	sift_writer_puts(w, "}", err);
}

static void json_annotator(const struct sift_audit *au, size_t j,
			   struct sift_writer *w, struct sift_error *err)
{
	const struct sift_audit_annotator *an = &au->annotator[j];

	sift_writer_puts(w, j ? ",{" : "{", err);
	json_key(w, "name", 1, err);
	json_str(w, annotator_name(au, j), err);
	sift_writer_printf(w, err, ",\"annotations\":%zu,\"shared_items\":%zu",
			   an->n, an->shared);
	json_key(w, "loo_agreement", 0, err);
	json_num(w, an->loo, err);
	json_key(w, "kappa", 0, err);
	json_num(w, an->kappa, err);
	json_key(w, "gold", 0, err);
	if (an->gold_n > 0) {
		sift_writer_printf(w, err,
				   "{\"items\":%.0f,\"accuracy\":", an->gold_n);
		json_num(w, an->gold_right / an->gold_n, err);
		json_key(w, "low", 0, err);
		json_num(w, an->gold_lo, err);
		json_key(w, "high", 0, err);
		json_num(w, an->gold_hi, err);
		sift_writer_puts(w, "}", err);
	} else {
		sift_writer_puts(w, "null", err);
	}
	json_key(w, "ds_accuracy", 0, err);
	json_num(w, an->ds_accuracy, err);
	json_confusion(au, j, w, err);
	json_key(w, "labels", 0, err);
	sift_writer_puts(w, "{", err);
	for (size_t l = 0; l < au->n_labels; l++) {
		json_key(w, label_name(au, l), l == 0, err);
		json_num(w, au->said[j * au->n_labels + l], err);
	}
	sift_writer_puts(w, "},\"flags\":[", err);
	for (unsigned bit = 1, n = 0; bit <= SIFT_FLAG_OVERLAP; bit <<= 1)
		if (an->flags & bit) {
			if (n++)
				sift_writer_puts(w, ",", err);
			json_str(w, sift_agree_flag_name(bit), err);
		}
	sift_writer_puts(w, "]", err);
	if (an->flags & SIFT_FLAG_BIASED) {
		json_key(w, "biased_toward", 0, err);
		json_str(w, label_name(au, an->biased_to), err);
	}
	sift_writer_puts(w, "}", err);
}

static void json_report(const struct sift_audit *au, struct sift_writer *w,
			struct sift_error *err)
{
	sift_writer_puts(w, "{", err);
	json_totals(au, w, err);
	json_agreement(au, w, err);
	json_key(w, "annotators", 0, err);
	sift_writer_puts(w, "[", err);
	for (size_t j = 0; j < au->n_annotators; j++)
		json_annotator(au, j, w, err);
	sift_writer_puts(w, "]}\n", err);
}

int sift_audit_write_consensus(struct sift_writer *w,
			       const struct sift_audit *au,
			       struct sift_error *err)
{
	sift_writer_puts(w, "item,label,confidence\n", err);
	for (size_t i = 0; i < au->n_items; i++) {
		const char *s = item_name(au, i), *l;

		csv_str(w, s, 1, err);
		l = label_name(au, au->consensus[i]);
		sift_writer_field(w, ',', l, strlen(l), err);
		sift_writer_double(w, ',', au->confidence[i], err);
		sift_writer_puts(w, "\n", err);
	}
	return status(w, err);
}

static void text_item_labels(const struct sift_audit *au, size_t i,
			     struct sift_writer *w, struct sift_error *err)
{
	for (size_t o = au->set->start[i]; o < au->set->start[i + 1]; o++)
		sift_writer_printf(w, err, " %s=%s",
				   annotator_name(au, au->set->rater[o]),
				   label_name(au, au->set->label[o]));
}

static void text_review(const struct sift_audit *au,
			const struct sift_audit_review *rv,
			struct sift_writer *w, struct sift_error *err)
{
	char b1[32], b2[32];

	sift_writer_printf(
		w, err,
		"items most worth a second look (%zu of %zu; consensus by "
		"%s)\n%-12s %-12s %10s %12s  labels\n",
		rv->n_top, au->n_items,
		au->have_ds ? "Dawid-Skene" : "majority vote", "item",
		"consensus", "confidence", "disagreement");
	for (size_t k = 0; k < rv->n_top; k++) {
		size_t i = rv->top[k];

		sift_writer_printf(w, err, "%-12s %-12s %10s %12s ",
				   item_name(au, i),
				   label_name(au, au->consensus[i]),
				   num(b1, au->confidence[i]),
				   num(b2, au->disagreement[i]));
		text_item_labels(au, i, w, err);
		sift_writer_printf(w, err, "\n");
	}
	sift_writer_printf(
		w, err,
		"\nre-check samples: each annotator's error rate within "
		"+-%g at %g%% (seed %llu)\n%-12s %11s %7s\n",
		rv->margin, au->opts.confidence * 100,
		(unsigned long long)rv->seed, "annotator", "annotations",
		"sample");
	for (size_t j = 0; j < au->n_annotators; j++)
		sift_writer_printf(w, err, "%-12s %11zu %7zu\n",
				   annotator_name(au, j), rv->population[j],
				   rv->first[j + 1] - rv->first[j]);
	sift_writer_printf(w, err, "\nre-check list\n%-12s %-12s %s\n",
			   "annotator", "item", "label");
	for (size_t j = 0; j < au->n_annotators; j++)
		for (size_t k = rv->first[j]; k < rv->first[j + 1]; k++)
			sift_writer_printf(
				w, err, "%-12s %-12s %s\n",
				annotator_name(au, j),
				item_name(au,
					  sift_audit_item_of(au, rv->obs[k])),
				label_name(au, au->set->label[rv->obs[k]]));
}

static void csv_review_row(const struct sift_audit *au, size_t i,
			   const char *reason, const char *annotator,
			   const char *label, struct sift_writer *w,
			   struct sift_error *err)
{
	csv_str(w, item_name(au, i), 1, err);
	csv_str(w, reason, 0, err);
	csv_str(w, annotator, 0, err);
	csv_str(w, label, 0, err);
	csv_str(w, label_name(au, au->consensus[i]), 0, err);
	sift_writer_double(w, ',', au->confidence[i], err);
	sift_writer_double(w, ',', au->disagreement[i], err);
	sift_writer_puts(w, "\n", err);
}

static void csv_review(const struct sift_audit *au,
		       const struct sift_audit_review *rv,
		       struct sift_writer *w, struct sift_error *err)
{
	sift_writer_puts(w,
			 "item,reason,annotator,label,consensus,confidence,"
			 "disagreement\n",
			 err);
	for (size_t k = 0; k < rv->n_top; k++)
		csv_review_row(au, rv->top[k], "second-look", "", "", w, err);
	for (size_t j = 0; j < au->n_annotators; j++)
		for (size_t k = rv->first[j]; k < rv->first[j + 1]; k++)
			csv_review_row(
				au, sift_audit_item_of(au, rv->obs[k]),
				"recheck", annotator_name(au, j),
				label_name(au, au->set->label[rv->obs[k]]), w,
				err);
}

static void json_review_item(const struct sift_audit *au, size_t i, int first,
			     struct sift_writer *w, struct sift_error *err)
{
	sift_writer_puts(w, first ? "{" : ",{", err);
	json_key(w, "item", 1, err);
	json_str(w, item_name(au, i), err);
	json_key(w, "consensus", 0, err);
	json_str(w, label_name(au, au->consensus[i]), err);
	json_key(w, "confidence", 0, err);
	json_num(w, au->confidence[i], err);
	json_key(w, "disagreement", 0, err);
	json_num(w, au->disagreement[i], err);
	json_key(w, "labels", 0, err);
	sift_writer_puts(w, "{", err);
	for (size_t o = au->set->start[i]; o < au->set->start[i + 1]; o++) {
		json_key(w, annotator_name(au, au->set->rater[o]),
			 o == au->set->start[i], err);
		json_str(w, label_name(au, au->set->label[o]), err);
	}
	sift_writer_puts(w, "}}", err);
}

static void json_review(const struct sift_audit *au,
			const struct sift_audit_review *rv,
			struct sift_writer *w, struct sift_error *err)
{
	sift_writer_puts(w, "{\"margin\":", err);
	json_num(w, rv->margin, err);
	json_key(w, "confidence_level", 0, err);
	json_num(w, au->opts.confidence, err);
	sift_writer_printf(w, err, ",\"seed\":%llu,\"second_look\":[",
			   (unsigned long long)rv->seed);
	for (size_t k = 0; k < rv->n_top; k++)
		json_review_item(au, rv->top[k], k == 0, w, err);
	sift_writer_puts(w, "],\"recheck\":[", err);
	for (size_t j = 0; j < au->n_annotators; j++) {
		sift_writer_puts(w, j ? ",{" : "{", err);
		json_key(w, "annotator", 1, err);
		json_str(w, annotator_name(au, j), err);
		sift_writer_printf(w, err,
				   ",\"annotations\":%zu,\"sample\":%zu,"
				   "\"items\":[",
				   rv->population[j],
				   rv->first[j + 1] - rv->first[j]);
		for (size_t k = rv->first[j]; k < rv->first[j + 1]; k++) {
			sift_writer_puts(w, k > rv->first[j] ? ",{" : "{", err);
			json_key(w, "item", 1, err);
			json_str(w,
				 item_name(au,
					   sift_audit_item_of(au, rv->obs[k])),
				 err);
			json_key(w, "label", 0, err);
			json_str(w, label_name(au, au->set->label[rv->obs[k]]),
				 err);
			sift_writer_puts(w, "}", err);
		}
		sift_writer_puts(w, "]}", err);
	}
	sift_writer_puts(w, "]}\n", err);
}

int sift_audit_write_report(struct sift_writer *w, enum sift_audit_format fmt,
			    const struct sift_audit *au, struct sift_error *err)
{
	if (fmt == SIFT_AUDIT_CSV)
		csv_report(au, w, err);
	else if (fmt == SIFT_AUDIT_JSON)
		json_report(au, w, err);
	else
		text_report(au, w, err);
	return status(w, err);
}

int sift_audit_write_review(struct sift_writer *w, enum sift_audit_format fmt,
			    const struct sift_audit *au,
			    const struct sift_audit_review *rv,
			    struct sift_error *err)
{
	if (fmt == SIFT_AUDIT_CSV)
		csv_review(au, rv, w, err);
	else if (fmt == SIFT_AUDIT_JSON)
		json_review(au, rv, w, err);
	else
		text_review(au, rv, w, err);
	return status(w, err);
}
