/*
 * sift/audit.h - an audit of a set of annotations: how much the
 * annotators agree, how good each one is, the consensus label of every
 * item, and which labels to look at again (sift audit).
 *
 * It gathers the statistics of sift/agreement.h, the Dawid-Skene model
 * of sift/dawid_skene.h and the samples of sift/review.h into one
 * struct, which sift/audit_format.h prints. Every figure is defined in
 * sift-audit(1).
 *
 * Life cycle: load and finish a struct sift_annotations (the caller's),
 * sift_audit_run, read the fields, sift_audit_free; optionally
 * sift_audit_review in between for the re-check samples.
 */
#ifndef SIFT_AUDIT_H
#define SIFT_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "sift/agreement.h"
#include "sift/annotations.h"
#include "sift/dawid_skene.h"
#include "sift/error.h"
#include "sift/reader.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a run computes. The report (agreement, annotators, and the
 * consensus by Dawid-Skene, or by majority where the model cannot be
 * fitted) is what --review needs too; the two consensus modes compute
 * only the consensus, by the method they name. */
enum sift_audit_consensus {
	SIFT_AUDIT_REPORT,
	SIFT_AUDIT_MAJORITY,
	SIFT_AUDIT_DAWID_SKENE,
};

struct sift_audit_opts {
	enum sift_agree_level level; /* of Krippendorff's alpha */
	double confidence;    /* level of the Wilson intervals, in (0, 1) */
	uint64_t min_overlap; /* items two annotators must share */
	enum sift_audit_consensus consensus;
	/* The gold file's columns: these names, else columns 1 and 2. */
	const char *gold_item, *gold_label;
};

/* nominal, 0.95, 20, SIFT_AUDIT_REPORT, "item" and "label". */
void sift_audit_opts_init(struct sift_audit_opts *o);

/* One annotator's figures (SIFT_AUDIT_REPORT only). NaN is undefined. */
struct sift_audit_annotator {
	size_t n;           /* annotations */
	size_t shared;      /* items somebody else labelled too */
	double loo;         /* agreement with the leave-one-out majority */
	double kappa;       /* Cohen's kappa with the consensus */
	double ds_accuracy; /* Dawid-Skene's estimate; NaN without a fit */
	double gold_n, gold_right; /* gold items labelled, rightly */
	double gold_lo, gold_hi;   /* Wilson interval of gold accuracy */
	unsigned flags;            /* SIFT_FLAG_* of sift/agreement.h */
	size_t biased_to;          /* the label, with SIFT_FLAG_BIASED */
};

/* The audit. Arrays by item have n_items entries, by annotator
 * n_annotators; "J x K" ones are [j * n_labels + label]. Items,
 * annotators and labels are the set's ids (sift_audit_*_name). */
struct sift_audit {
	struct sift_audit_opts opts;
	struct sift_annotations *set; /* the caller's, not owned */
	struct sift_agree_ratings ratings;
	size_t n_items, n_annotators, n_labels;
	unsigned *counts; /* the count table of sift/agreement.h */
	size_t n_single;  /* items with one annotation */
	size_t min_per_item, max_per_item;

	/* Agreement (SIFT_AUDIT_REPORT only). */
	size_t n_pairable; /* items with two or more annotations */
	double observed, fleiss, alpha;
	double *pair_kappa;   /* J x J, NaN below min_overlap */
	size_t *pair_overlap; /* J x J */

	/* Dawid-Skene, when have_ds (two labels or more, and not
	 * SIFT_AUDIT_MAJORITY). */
	int have_ds;
	struct sift_ds_problem pb;
	struct sift_ds_fit fit;

	/* Consensus. disagreement is 1 - the majority's share. */
	unsigned *majority, *consensus;
	double *majority_share, *confidence, *disagreement;

	/* Per annotator (SIFT_AUDIT_REPORT only). */
	double *said;      /* J x K: how often j said each label */
	double *cons_dist; /* J x K: consensus labels of j's items */
	struct sift_audit_annotator *annotator;

	/* Gold: gold[i] is item i's label id, UINT32_MAX if none. */
	unsigned *gold;
	size_t n_gold;
	double gold_majority, gold_ds; /* consensus accuracy on gold */
	double z; /* the normal quantile of opts.confidence */
};

/* Audit the finished set (sift_annotations_finish) as o asks. gold is
 * NULL or a reader of item,label rows, read to its end (the caller
 * closes it): a missing column, an item not in the set or an empty
 * label is SIFT_EDATA naming the file (and line); a gold label nobody
 * gave is added to the set's labels. Other errors: a non-numeric label
 * at a level other than nominal (SIFT_EDATA), SIFT_ENOMEM. The set must
 * outlive au. Whatever it returns, free au with sift_audit_free. */
int sift_audit_run(struct sift_audit *au, struct sift_annotations *set,
		   struct sift_reader *gold, const struct sift_audit_opts *o,
		   struct sift_error *err);

/* Free what sift_audit_run allocated (not the set). */
void sift_audit_free(struct sift_audit *au);

/* Names of ids, owned by the set. */
const char *sift_audit_item_name(const struct sift_audit *au, size_t i);
const char *sift_audit_annotator_name(const struct sift_audit *au, size_t j);
const char *sift_audit_label_name(const struct sift_audit *au, size_t l);

/* The item of annotation o (an index into the set's annotations). */
size_t sift_audit_item_of(const struct sift_audit *au, size_t o);

/* What --review lists: the items most worth a second look, and a random
 * sample of every annotator's labels to re-check. */
struct sift_audit_review {
	size_t *top; /* n_top item ids, most worth a look first */
	size_t n_top;
	/* Annotator j's sample is obs[first[j] .. first[j + 1] - 1]
	 * (annotation indices, in item order); population[j] is how many
	 * annotations j gave. */
	size_t *first, *obs, *population;
	double margin;
	uint64_t seed;
};

/* The n items of sift_review_top, and per annotator Cochran's sample
 * size for its error rate within +-margin (in (0, 1)) at the audit's
 * confidence, drawn with the generator seeded by seed. Needs an audit
 * run as SIFT_AUDIT_REPORT. Returns 0 or SIFT_ENOMEM; either way free
 * rv with sift_audit_review_free. */
int sift_audit_review(const struct sift_audit *au, uint64_t n, double margin,
		      uint64_t seed, struct sift_audit_review *rv,
		      struct sift_error *err);

void sift_audit_review_free(struct sift_audit_review *rv);

#ifdef __cplusplus
}
#endif

#endif
