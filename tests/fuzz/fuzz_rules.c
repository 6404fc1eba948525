/*
 * fuzz_rules: the input as a rules file (sift_rules_parse; if it parses,
 * bound to fixed columns and evaluated on fixed records), and as a
 * condition (sift_cond_compile, then evaluated the same way). Phrase
 * files (@name) are found in the fuzzer's private directory, which holds
 * words.txt and conspiracy-words.txt; fopen is wrapped (fuzz.h) so that
 * no other file can be read.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "sift/rules.h"

static const char *const cols[] = { "text", "verified", "followers", "lang",
				    "id" };
#define NCOLS (sizeof cols / sizeof *cols)

static const char *recs[][NCOLS] = {
	{ "BREAKING: the vaccine is a hoax #truth", "false", "12", "en", "1" },
	{ "fact check: no evidence, debunked", "true", "250000", "en", "2" },
	{ "", "", "", "", "" },
	{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!",
	  "TRUE", "-1e308", "\xff\xfe", "nan" },
	{ "caf\xc3\xa9 5G towers \xf0\x9f\x98\x80 miracle cure", "1", "1e400",
	  "de", "0x10" },
};
#define NRECS (sizeof recs / sizeof *recs)

static int get(void *ctx, size_t col, const char **s, size_t *len,
	       struct sift_error *err)
{
	const char **rec = ctx;

	if (col >= NCOLS)
		return sift_error_set(err, SIFT_EDATA, "column %zu", col);
	*s = rec[col];
	*len = strlen(rec[col]);
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char words[] = "hoax\nplandemic\n# comment\n\n"
				    "miracle cure\n#truth\ncaf\xc3\xa9\n";

	(void)argc;
	(void)argv;
	fuzz_write("words.txt", (const uint8_t *)words, sizeof words - 1);
	fuzz_write("conspiracy-words.txt", (const uint8_t *)words,
		   sizeof words - 1);
	return 0;
}

static void rules(const uint8_t *data, size_t size)
{
	char path[128];
	struct sift_error err;
	struct sift_rules *rs;
	int votes[4096], first;

	snprintf(path, sizeof path, "%s/fuzz.rules", fuzz_tmpdir());
	if (!(rs = sift_rules_parse((const char *)data, size, path, &err)))
		return;
	if (sift_rules_count(rs) <= sizeof votes / sizeof *votes &&
	    !sift_rules_bind(rs, cols, NCOLS, &err))
		for (size_t i = 0; i < NRECS; i++)
			(void)sift_rules_eval(rs, get, (void *)recs[i], votes,
					      &first, &err);
	for (size_t i = 0; i < sift_rules_count(rs); i++) {
		(void)sift_rules_name(rs, i);
		(void)sift_rules_weight(rs, i);
		(void)sift_rules_label_of(rs, i);
	}
	for (size_t k = 0; k < sift_rules_nlabels(rs); k++) {
		(void)strlen(sift_rules_label_name(rs, k));
		(void)strlen(sift_rules_label_value(rs, k));
	}
	sift_rules_free(rs);
}

static void cond(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct sift_error err;
	struct sift_cond *c;
	int res, lim;

	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = 0;
	c = sift_cond_compile(text, "--where", cols, NCOLS, fuzz_tmpdir(),
			      &err);
	free(text);
	if (!c)
		return;
	for (size_t i = 0; i < NRECS; i++)
		(void)sift_cond_eval(c, get, (void *)recs[i], &res, &lim, &err);
	sift_cond_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rules(data, size);
	cond(data, size);
	return 0;
}
