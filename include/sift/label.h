/*
 * sift/label.h - sift label from reader to writer: apply a rules file to
 * every record, combine the rules' votes into one label, and write the
 * records with the label appended (or the votes in long form, or the
 * rule-analysis table).
 *
 * The combiners are majority vote, a decision list (the first rule that
 * fires), weighted vote, and the label model: Dawid-Skene EM
 * (sift/dawid_skene.h) on the rule-vote matrix. The model does not keep
 * that matrix: a first pass counts the distinct vote patterns (one byte
 * per rule, interned), EM runs on the patterns weighted by their counts,
 * which is exactly EM on the records, and a second pass (the file read
 * again, or stdin spooled: SIFT_READER_REWIND) evaluates the rules again
 * and writes each record's posterior-most label. Memory is bounded by the
 * number of distinct patterns, at most 3^rules and in practice hundreds.
 */
#ifndef SIFT_LABEL_H
#define SIFT_LABEL_H

#include <stdint.h>

#include "sift/dawid_skene.h"
#include "sift/error.h"
#include "sift/reader.h"
#include "sift/rules.h"
#include "sift/writer.h"

#ifdef __cplusplus
extern "C" {
#endif

enum sift_combine {
	SIFT_COMBINE_MAJORITY, /* most votes; a tie abstains (or tie_first) */
	SIFT_COMBINE_FIRST,    /* the first rule that votes */
	SIFT_COMBINE_WEIGHTED, /* most total rule weight; ties as majority */
	SIFT_COMBINE_MODEL,    /* Dawid-Skene posterior-most label */
};

enum sift_label_mode {
	SIFT_LABEL_DATA,    /* the records with the label appended */
	SIFT_LABEL_LONG,    /* item,annotator,label: one line per vote,
			     * the rules as annotators (sift audit's input) */
	SIFT_LABEL_ANALYZE, /* the rule-analysis table */
};

struct sift_label_opts {
	enum sift_combine combine;
	enum sift_label_mode mode;
	int tie_first;          /* majority, weighted: a tie goes to the
				 * tied label of the earliest rule */
	const char *out_col;    /* the label column's name ("label") */
	int confidence;         /* append the winner's probability */
	int votes;              /* append one vote_<rule> column per rule */
	int keep_labeled;       /* drop the records whose label is empty */
	const char *id_col;     /* long: the item column (else 1, 2, ...) */
	const char *gold_col;   /* analyze: the gold label column */
	int strict;             /* a regex hitting a limit is an error */
	struct sift_ds_opts ds; /* model: EM settings */
};

struct sift_label_stats {
	uint64_t n_in, n_out;
	uint64_t n_abstained;   /* records whose combined label is empty */
	uint64_t n_patterns;    /* model, analyze: distinct vote patterns */
	unsigned em_iterations; /* model */
	int em_converged;
	/* Warnings for the tool to print, a line each: the rules that fired
	 * on no record of the input (at most SIFT_LABEL_NOTE_RULES named). */
	char note[2048];
};

enum { SIFT_LABEL_NOTE_RULES = 10 };

/* Defaults: majority, data, "label", nothing appended, EM defaults. */
void sift_label_opts_init(struct sift_label_opts *o);

/* Parse a combiner's name; -1 if unknown. */
int sift_combine_parse(const char *s);
const char *sift_combine_name(enum sift_combine c);

/* Does the run read its input twice (open it with SIFT_READER_REWIND)? */
int sift_label_needs_rewind(const struct sift_label_opts *o);

/* Combine one record's votes (votes[i] = label or -1) from R rules with
 * weights (NULL: 1 each) over K labels, with majority, first or
 * weighted. Returns the label, or -1 (no vote, or a tie without
 * tie_first). shares (K doubles) receives each label's share of the
 * votes (weighted: of the weight); all 0 without a vote. */
int sift_label_combine(enum sift_combine m, int tie_first, const int *votes,
		       const double *weights, size_t R, size_t K,
		       double *shares);

/* Bind rs to r's columns, then read every record of r and write to w as
 * o says. Errors: the rules' binding errors, bad data, write errors,
 * and with o->strict a rule that hit a PCRE2 limit (naming the record's
 * line and the rule's). */
int sift_label_run(struct sift_reader *r, struct sift_writer *w,
		   struct sift_rules *rs, const struct sift_label_opts *o,
		   struct sift_label_stats *st, struct sift_error *err);

#ifdef __cplusplus
}
#endif

#endif
