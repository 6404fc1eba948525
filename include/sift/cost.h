/*
 * sift/cost.h - the --cost spec of sift metrics and sift train: what
 * each outcome of a prediction costs.
 *
 * A comma-separated list of KEY=C, C a finite number. Either the binary
 * form, KEY one of TP, FP, FN, TN in any case (the positive class
 * against the rest: FN=10,FP=1), or cells of the cost matrix, KEY
 * gold:pred, the cost of predicting class pred for a record of class
 * gold (fraud:ok=10,ok:fraud=1). The two forms do not mix. The spec is
 * parsed before the data is read; the classes a cell names are looked
 * up by the caller once they are known.
 */
#ifndef SIFT_COST_H
#define SIFT_COST_H

#include <stddef.h>

#include "sift/error.h"

#ifdef __cplusplus
extern "C" {
#endif

enum sift_cost_key {
	SIFT_COST_TP,
	SIFT_COST_FP,
	SIFT_COST_FN,
	SIFT_COST_TN,
	SIFT_COST_CELL /* gold:pred */
};

struct sift_cost_entry {
	enum sift_cost_key key;
	const char *gold, *pred; /* SIFT_COST_CELL: the two class names */
	const char *text;        /* the entry as written, KEY=C */
	double cost;
};

struct sift_cost_spec {
	size_t n;
	struct sift_cost_entry *entry; /* in the order written */
	int cells;                     /* the matrix form (else binary) */
	char *buf;                     /* owns the strings above */
};

/* Parse text into spec. Returns 0; SIFT_EUSAGE, with a message that
 * names --cost and the entry at fault, for an entry that is not KEY=C,
 * a C that is not a finite number, a spec with no entry or with both
 * forms; or SIFT_ENOMEM. Empty entries (",,") are passed over. On error
 * spec holds nothing to free; else free it with sift_cost_free. */
int sift_cost_parse(const char *text, struct sift_cost_spec *spec,
		    struct sift_error *err);

/* Free what spec holds (spec itself is the caller's); spec may be
 * empty. */
void sift_cost_free(struct sift_cost_spec *spec);

#ifdef __cplusplus
}
#endif

#endif
