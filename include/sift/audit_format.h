/*
 * sift/audit_format.h - an audit (sift/audit.h) written out: the report
 * as text, CSV or JSON, the consensus labels as CSV, the review lists
 * in the three formats.
 *
 * text is aligned for people (statistics to 4 decimals, "-" when
 * undefined); csv and json are stable for scripts, with round-trip
 * numbers (empty and null when undefined); the fields are listed in
 * sift-audit(1). Each writer returns 0 or the writer's first error
 * (sift/writer.h: errors are sticky); it never closes w.
 */
#ifndef SIFT_AUDIT_FORMAT_H
#define SIFT_AUDIT_FORMAT_H

#include "sift/audit.h"
#include "sift/error.h"
#include "sift/writer.h"

#ifdef __cplusplus
extern "C" {
#endif

enum sift_audit_format {
	SIFT_AUDIT_TEXT,
	SIFT_AUDIT_CSV,
	SIFT_AUDIT_JSON,
};

/* "text", "csv" or "json" to its format, or -1. */
int sift_audit_format_parse(const char *name);

/* The report of an audit run as SIFT_AUDIT_REPORT: totals, agreement,
 * annotators (text adds the pairwise kappas, the Dawid-Skene confusion
 * matrices and the label distribution; csv is one row per annotator). */
int sift_audit_write_report(struct sift_writer *w, enum sift_audit_format fmt,
			    const struct sift_audit *au,
			    struct sift_error *err);

/* item,label,confidence: every item's consensus, in item order. */
int sift_audit_write_consensus(struct sift_writer *w,
			       const struct sift_audit *au,
			       struct sift_error *err);

/* The review rv of au (sift_audit_review): the items most worth a
 * second look, then every annotator's re-check sample. */
int sift_audit_write_review(struct sift_writer *w, enum sift_audit_format fmt,
			    const struct sift_audit *au,
			    const struct sift_audit_review *rv,
			    struct sift_error *err);

#ifdef __cplusplus
}
#endif

#endif
