/* lib/cost.c - the --cost spec (sift/cost.h). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sift/cost.h"
#include "sift/parse.h"

static const char *const outcomes[] = { "TP", "FP", "FN", "TN" };

static int bad_entry(const char *entry, struct sift_error *err)
{
	return sift_error_set(err, SIFT_EUSAGE,
			      "`cost`: '%s' is not KEY=NUMBER (KEY: TP, FP, "
			      "FN, TN or gold:pred)",
			      entry);
}

/* One entry, its text at s (NUL-terminated, in spec->buf); the key and
 * the class names are cut out of the buffer, the text kept in a copy
 * beside them. */
static int parse_entry(char *s, char *copy, struct sift_cost_entry *e,
		       struct sift_error *err)
{
	/* the last '=': a class name may hold one, a number never does */
	char *eq = strrchr(s, '='), *colon;
	size_t k;

	e->text = copy;
	e->gold = e->pred = NULL;
	if (!eq || eq == s ||
	    sift_parse_double(eq + 1, strlen(eq + 1), &e->cost) != 0)
		return bad_entry(copy, err);
	*eq = '\0';
	for (k = 0; k < 4; k++)
		if (strcasecmp(s, outcomes[k]) == 0)
			break;
	if (k < 4) {
		e->key = (enum sift_cost_key)k;
		return 0;
	}
	if (!(colon = strchr(s, ':')))
		return bad_entry(copy, err);
	*colon = '\0';
	e->key = SIFT_COST_CELL;
	e->gold = s;
	e->pred = colon + 1;
	return 0;
}

int sift_cost_parse(const char *text, struct sift_cost_spec *spec,
		    struct sift_error *err)
{
	size_t len = strlen(text), most = 1, binary = 0;
	char *save = NULL, *copies;
	int rc = 0;

	memset(spec, 0, sizeof *spec);
	for (const char *p = text; *p; p++)
		most += *p == ',';
	/* the entries cut up, then the same offsets: each entry whole */
	spec->buf = malloc(2 * (len + 1));
	spec->entry = calloc(most, sizeof *spec->entry);
	if (!spec->buf || !spec->entry) {
		sift_cost_free(spec);
		return sift_error_nomem(err);
	}
	memcpy(spec->buf, text, len + 1);
	copies = spec->buf + len + 1;
	for (char *s = strtok_r(spec->buf, ",", &save); s && !rc;
	     s = strtok_r(NULL, ",", &save)) {
		char *copy = copies + (s - spec->buf);
		struct sift_cost_entry *e = &spec->entry[spec->n++];

		memcpy(copy, s, strlen(s) + 1);
		rc = parse_entry(s, copy, e, err);
		binary += !rc && e->key != SIFT_COST_CELL;
		spec->cells |= !rc && e->key == SIFT_COST_CELL;
	}
	if (!rc && spec->n == 0)
		rc = sift_error_set(err, SIFT_EUSAGE,
				    "`cost`: no entry in '%s': give "
				    "KEY=NUMBER,... (KEY: TP, FP, FN, TN or "
				    "gold:pred)",
				    text);
	if (!rc && binary && spec->cells)
		rc = sift_error_set(err, SIFT_EUSAGE,
				    "`cost`: give TP/FP/FN/TN or gold:pred "
				    "entries, not both");
	if (rc)
		sift_cost_free(spec);
	return rc;
}

void sift_cost_free(struct sift_cost_spec *spec)
{
	free(spec->entry);
	free(spec->buf);
	memset(spec, 0, sizeof *spec);
}
