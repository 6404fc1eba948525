/*
 * fuzz_where: the condition language evaluated on fuzzed records, rules
 * and fields together. The input's first line is a condition
 * (sift_cond_compile over the columns of the CSV's header, as --where
 * compiles it) and the rest a CSV, whose records are read with
 * sift_reader and evaluated one by one, every value and function of
 * sift-rules(5) on fields nobody chose. An input with a line "%%" is
 * a rules file before it and the CSV after it: parsed, bound to the
 * header's columns and evaluated on each record, as sift label does.
 * Phrase files (@name) are found in the fuzzer's private directory,
 * which holds words.txt; fopen is wrapped (fuzz.h) so that no other file
 * can be read.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "sift/reader.h"
#include "sift/rules.h"

/* Records evaluated per input: enough for every path, few enough that
 * a slow regex on many records does not hide the others. */
#define MAX_RECORDS 256

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char words[] = "hoax\nplandemic\n# comment\n\n"
				    "miracle cure\n#truth\ncaf\xc3\xa9\n";

	(void)argc;
	(void)argv;
	fuzz_write("words.txt", (const uint8_t *)words, sizeof words - 1);
	return 0;
}

static int get(void *ctx, size_t col, const char **s, size_t *len,
	       struct sift_error *err)
{
	return sift_reader_field(ctx, col, s, len, err);
}

/* The header's names, borrowed from r. */
static const char **column_names(struct sift_reader *r)
{
	size_t n = sift_reader_ncols(r);
	const char **names = calloc(n ? n : 1, sizeof *names);

	if (!names)
		abort();
	for (size_t i = 0; i < n; i++)
		names[i] = sift_reader_colname(r, i);
	return names;
}

static void where(struct sift_reader *r, const uint8_t *text, size_t size)
{
	char *cond_text = malloc(size + 1);
	const char **names = column_names(r);
	const struct sift_record *rec;
	struct sift_error err;
	struct sift_cond *c;

	if (!cond_text)
		abort();
	memcpy(cond_text, text, size);
	cond_text[size] = '\0';
	c = sift_cond_compile(cond_text, "--where", names, sift_reader_ncols(r),
			      fuzz_tmpdir(), &err);
	for (int k = 0;
	     c && k < MAX_RECORDS && !sift_reader_next(r, &rec, &err) && rec;
	     k++) {
		int res, lim;

		if (sift_cond_eval(c, get, r, &res, &lim, &err))
			break;
	}
	sift_cond_free(c);
	free(names);
	free(cond_text);
}

static void rules(struct sift_reader *r, const uint8_t *text, size_t size)
{
	char path[128];
	const char **names = column_names(r);
	const struct sift_record *rec;
	struct sift_error err;
	struct sift_rules *rs;
	int *votes = NULL, first;

	snprintf(path, sizeof path, "%s/fuzz.rules", fuzz_tmpdir());
	rs = sift_rules_parse((const char *)text, size, path, &err);
	if (rs && !sift_rules_bind(rs, names, sift_reader_ncols(r), &err)) {
		votes = malloc((sift_rules_count(rs) + 1) * sizeof *votes);
		if (!votes)
			abort();
		for (int k = 0;
		     k < MAX_RECORDS && !sift_reader_next(r, &rec, &err) && rec;
		     k++)
			if (sift_rules_eval(rs, get, r, votes, &first, &err))
				break;
		for (size_t i = 0; i < sift_rules_count(rs); i++)
			(void)sift_rules_limit_hits(rs, i);
	}
	free(votes);
	sift_rules_free(rs);
	free(names);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *mark = fuzz_find(data, size, "\n%%\n");
	const uint8_t *nl = memchr(data, '\n', size);
	size_t head = mark ? (size_t)(mark - data) + 1
		      : nl ? (size_t)(nl - data)
			   : size;
	size_t skip = mark ? 3 : nl ? 1 : 0;
	const char *csv =
		fuzz_write("where.csv", data + head + skip, size - head - skip);
	struct sift_error err;
	struct sift_reader *r = sift_reader_open(csv, NULL, 0, &err);

	if (!r)
		return 0;
	if (mark)
		rules(r, data, head);
	else
		where(r, data, head);
	sift_reader_close(r);
	return 0;
}
