/* Unit tests of lib/reader.c and lib/scan.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <csv.h>
#include <zlib.h>

#include "sift/reader.h"
#include "sift/rng.h"
#include "testutil.h"

struct fixture {
	char *path;
	struct sift_reader *r;
	struct sift_error err;
};

static struct sift_reader *open_str(struct fixture *f, const char *csv,
				    int header)
{
	struct sift_csv_opts o;

	sift_csv_opts_init(&o);
	o.header = header;
	f->path = tmpfile_str(csv);
	f->r = sift_reader_open(f->path, &o, 0, &f->err);
	return f->r;
}

static void done(struct fixture *f)
{
	sift_reader_close(f->r);
	unlink(f->path);
	free(f->path);
}

static void expect_field(struct fixture *f, size_t col, const char *want)
{
	const char *s;
	size_t len;

	assert_int_equal(sift_reader_field(f->r, col, &s, &len, &f->err), 0);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(s, want, len);
}

/* Read to the end expecting an error whose message contains want. */
static void expect_error(struct fixture *f, const char *want)
{
	const struct sift_record *rec;
	int rc;

	do
		rc = sift_reader_next(f->r, &rec, &f->err);
	while (rc == 0 && rec);
	assert_int_equal(rc, SIFT_EDATA);
	if (!strstr(f->err.msg, want))
		fail_msg("message '%s' lacks '%s'", f->err.msg, want);
}

static void header_and_fields(void **state)
{
	struct fixture f = {0};
	const struct sift_record *rec;

	(void)state;
	assert_non_null(open_str(&f, "id,text,n\n1,\"a, b\",2\n", 1));
	assert_int_equal(sift_reader_ncols(f.r), 3);
	assert_string_equal(sift_reader_colname(f.r, 1), "text");
	assert_int_equal(sift_reader_next(f.r, &rec, &f.err), 0);
	assert_non_null(rec);
	assert_int_equal(rec->line, 2);
	assert_int_equal(rec->index, 0);
	assert_int_equal(rec->len, strlen("1,\"a, b\",2"));
	assert_string_equal(rec->eol, "\n");
	expect_field(&f, 0, "1");
	expect_field(&f, 1, "a, b");
	expect_field(&f, 2, "2");
	assert_int_equal(sift_reader_next(f.r, &rec, &f.err), 0);
	assert_null(rec);
	done(&f);
}

static void quotes_newlines_and_line_numbers(void **state)
{
	struct fixture f = {0};
	const struct sift_record *rec;

	(void)state;
	open_str(&f,
		 "a,b\n"
		 "\"he said \"\"hi\"\"\",x\n"
		 "\"two\nlines\",y\n"
		 "\n"
		 "last,z",
		 1);
	assert_int_equal(sift_reader_next(f.r, &rec, &f.err), 0);
	expect_field(&f, 0, "he said \"hi\"");
	assert_int_equal(sift_reader_next(f.r, &rec, &f.err), 0);
	assert_int_equal(rec->line, 3);
	expect_field(&f, 0, "two\nlines");
	expect_field(&f, 1, "y");
	assert_int_equal(sift_reader_next(f.r, &rec, &f.err), 0);
	assert_int_equal(rec->line, 6); /* the blank line 5 is skipped */
	assert_string_equal(rec->eol, "");
	expect_field(&f, 1, "z");
	done(&f);
}

static void crlf_is_kept_apart(void **state)
{
	struct fixture f = {0};
	const struct sift_record *rec;

	(void)state;
	open_str(&f, "a,b\r\n1,\"2\"\r\n", 1);
	assert_string_equal(sift_reader_header(f.r)->eol, "\r\n");
	assert_int_equal(sift_reader_next(f.r, &rec, &f.err), 0);
	assert_int_equal(rec->len, 5);
	assert_string_equal(rec->eol, "\r\n");
	expect_field(&f, 1, "2");
	done(&f);
}

static void spaces_nuls_and_bad_utf8_pass_through(void **state)
{
	static const char csv[] = "a,b\n x ,\xff\xfe\0z\n";
	struct fixture f = {0};
	const struct sift_record *rec;
	struct sift_csv_opts o;

	(void)state;
	sift_csv_opts_init(&o);
	f.path = tmpfile_with(csv, sizeof csv - 1);
	f.r = sift_reader_open(f.path, &o, 0, &f.err);
	assert_int_equal(sift_reader_next(f.r, &rec, &f.err), 0);
	assert_int_equal(rec->len, 8);
	assert_memory_equal(rec->raw, " x ,\xff\xfe\0z", 8);
	expect_field(&f, 0, " x ");
	done(&f);
}

static void unterminated_quote(void **state)
{
	struct fixture f = {0};

	(void)state;
	open_str(&f, "a,b\n1,2\n3,\"open\n4,5\n", 1);
	expect_error(&f, ":3:3: unterminated quoted field");
	done(&f);
}

static void quote_inside_unquoted_field(void **state)
{
	struct fixture f = {0};

	(void)state;
	open_str(&f, "a,b\n1,ab\"c\n", 1);
	expect_error(&f, ":2:5: quote inside an unquoted field");
	done(&f);
}

static void character_after_closing_quote(void **state)
{
	struct fixture f = {0};

	(void)state;
	open_str(&f, "a,b\n1,\"ab\"c\n", 1);
	expect_error(&f, ":2:7: unexpected character after a closing quote");
	done(&f);
}

static void ragged_rows(void **state)
{
	struct fixture f = {0};

	(void)state;
	open_str(&f, "a,b\n1,2\n1,2,3\n", 1);
	expect_error(&f, ":3: ragged row: 3 fields, expected 2");
	done(&f);
	open_str(&f, "a,b\n1\n", 1);
	expect_error(&f, ":2: ragged row: 1 fields, expected 2");
	done(&f);
}

static void skipped_records_are_checked_too(void **state)
{
	struct fixture f = {0};
	uint64_t skipped;

	(void)state;
	open_str(&f, "a,b\n1,2\n3,4\n5\n", 1);
	assert_int_equal(sift_reader_skip(f.r, 10, &skipped, &f.err),
			 SIFT_EDATA);
	assert_non_null(strstr(f.err.msg, ":4: ragged row"));
	done(&f);
}

static void columns_by_name_and_number(void **state)
{
	struct fixture f = {0};
	size_t col, *cols, n;

	(void)state;
	open_str(&f, "id,user,2,user\n1,a,b,c\n", 1);
	assert_int_equal(sift_reader_column(f.r, "id", &col, &f.err), 0);
	assert_int_equal(col, 0);
	assert_int_equal(sift_reader_column(f.r, "2", &col, &f.err), 0);
	assert_int_equal(col, 2); /* a name wins over a number */
	assert_int_equal(sift_reader_column(f.r, "4", &col, &f.err), 0);
	assert_int_equal(col, 3);
	assert_int_equal(sift_reader_column(f.r, "user", &col, &f.err),
			 SIFT_EDATA);
	assert_non_null(strstr(f.err.msg, "ambiguous"));
	assert_int_equal(sift_reader_column(f.r, "nope", &col, &f.err),
			 SIFT_EDATA);
	assert_non_null(strstr(f.err.msg, "columns are: id, user, 2, user"));
	assert_int_equal(sift_reader_column(f.r, "5", &col, &f.err),
			 SIFT_EDATA);
	assert_int_equal(sift_reader_columns(f.r, "id,4", &cols, &n, &f.err),
			 0);
	assert_int_equal(n, 2);
	assert_int_equal(cols[1], 3);
	free(cols);
	done(&f);
}

static void no_header(void **state)
{
	struct fixture f = {0};
	const struct sift_record *rec;
	size_t col;

	(void)state;
	open_str(&f, "1,2\n3,4\n", 0);
	assert_null(sift_reader_header(f.r));
	assert_int_equal(sift_reader_ncols(f.r), 2);
	assert_int_equal(sift_reader_column(f.r, "2", &col, &f.err), 0);
	assert_int_equal(sift_reader_next(f.r, &rec, &f.err), 0);
	assert_int_equal(rec->line, 1);
	expect_field(&f, 1, "2");
	assert_int_equal(sift_reader_next(f.r, &rec, &f.err), 0);
	expect_field(&f, 0, "3");
	assert_int_equal(sift_reader_count(f.r), 2);
	done(&f);
}

static void empty_and_header_only(void **state)
{
	struct fixture f = {0};
	const struct sift_record *rec;

	(void)state;
	open_str(&f, "", 1);
	assert_non_null(f.r);
	assert_int_equal(sift_reader_ncols(f.r), 0);
	assert_int_equal(sift_reader_next(f.r, &rec, &f.err), 0);
	assert_null(rec);
	done(&f);
	open_str(&f, "a,b\n", 1);
	assert_int_equal(sift_reader_ncols(f.r), 2);
	assert_int_equal(sift_reader_next(f.r, &rec, &f.err), 0);
	assert_null(rec);
	done(&f);
}

static void tab_delimiter(void **state)
{
	struct fixture f = {0};
	const struct sift_record *rec;
	struct sift_csv_opts o;

	(void)state;
	sift_csv_opts_init(&o);
	o.delim = '\t';
	f.path = tmpfile_str("a\tb\nx,y\t\"q\tr\"\n");
	f.r = sift_reader_open(f.path, &o, 0, &f.err);
	assert_int_equal(sift_reader_next(f.r, &rec, &f.err), 0);
	expect_field(&f, 0, "x,y");
	expect_field(&f, 1, "q\tr");
	done(&f);
}

static char *gzip_file(const char *data, size_t len, size_t keep)
{
	char *path = strdup("/tmp/sift-unit-XXXXXX");
	int fd = mkstemp(path);
	gzFile gz = gzdopen(fd, "wb");

	gzwrite(gz, data, (unsigned)len);
	gzclose(gz);
	if (keep) /* cut the stream short: a truncated download */
		assert_int_equal(truncate(path, (off_t)keep), 0);
	return path;
}

static void gzip_input(void **state)
{
	struct fixture f = {0};
	const struct sift_record *rec;
	const char *csv = "a,b\n1,2\n3,4\n";

	(void)state;
	f.path = gzip_file(csv, strlen(csv), 0);
	f.r = sift_reader_open(f.path, NULL, 0, &f.err);
	assert_int_equal(sift_reader_next(f.r, &rec, &f.err), 0);
	assert_int_equal(sift_reader_next(f.r, &rec, &f.err), 0);
	expect_field(&f, 1, "4");
	done(&f);
}

static void truncated_gzip(void **state)
{
	struct fixture f = {0};
	char *big = malloc(200000);
	struct sift_rng rng;

	(void)state;
	/* Random digits compress poorly, so cutting the file at half its
	 * size cuts the deflate stream itself. */
	sift_rng_seed(&rng, 1);
	memcpy(big, "a,b\n", 4);
	for (size_t i = 4; i < 200000; i++)
		big[i] = (i % 10 == 9) ? '\n' : (i % 10 == 4) ? ',' :
			 (char)('0' + sift_rng_below(&rng, 10));
	f.path = gzip_file(big, 200000, 50000);
	f.r = sift_reader_open(f.path, NULL, 0, &f.err);
	assert_non_null(f.r);
	expect_error(&f, "truncated gzip");
	free(big);
	done(&f);
}

/* Many records of random shapes, some longer than the read buffer, so
 * that every boundary case of the block scanner and of refilling is met:
 * every field must come back exactly, every line number must be right. */
static void stress_against_a_model(void **state)
{
	struct sift_rng rng;
	size_t cap = 64 << 20, len = 0;
	char *csv = malloc(cap);
	uint64_t *lines = malloc(200000 * sizeof *lines), line = 2;
	uint64_t *sums = malloc(200000 * sizeof *sums);
	struct fixture f = {0};
	const struct sift_record *rec;
	size_t nrec = 0;

	(void)state;
	sift_rng_seed(&rng, 99);
	len += (size_t)sprintf(csv, "k,text,sum\n");
	while (nrec < 20000) {
		size_t n = sift_rng_below(&rng, 8) == 0
				   ? sift_rng_below(&rng, 3000000)
				   : sift_rng_below(&rng, 200);
		uint64_t sum = 0, nl = 0;
		int quoted = sift_rng_below(&rng, 2);

		lines[nrec] = line;
		len += (size_t)sprintf(csv + len, "%zu,", nrec);
		if (quoted)
			csv[len++] = '"';
		for (size_t i = 0; i < n; i++) {
			char c = (char)('a' + sift_rng_below(&rng, 26));
			uint64_t kind = quoted ? sift_rng_below(&rng, 20) : 9;

			if (kind == 0)
				c = ',';
			else if (kind == 1)
				c = '\n';
			if (kind == 2) {
				csv[len++] = '"';
				csv[len++] = '"';
				sum += '"';
				continue;
			}
			csv[len++] = c;
			sum += (unsigned char)c;
			nl += c == '\n';
		}
		if (quoted)
			csv[len++] = '"';
		len += (size_t)sprintf(csv + len, ",%llu\n",
				       (unsigned long long)sum);
		sums[nrec++] = sum;
		line += 1 + nl;
		if (len + 7000000 > cap)
			break;
	}
	f.path = tmpfile_with(csv, len);
	f.r = sift_reader_open(f.path, NULL, 0, &f.err);
	for (size_t i = 0; i < nrec; i++) {
		const char *s;
		size_t n;
		uint64_t sum = 0;

		assert_int_equal(sift_reader_next(f.r, &rec, &f.err), 0);
		assert_non_null(rec);
		assert_int_equal(rec->line, lines[i]);
		assert_int_equal(sift_reader_field(f.r, 1, &s, &n, &f.err), 0);
		for (size_t j = 0; j < n; j++)
			sum += (unsigned char)s[j];
		assert_int_equal(sum, sums[i]);
	}
	assert_int_equal(sift_reader_next(f.r, &rec, &f.err), 0);
	assert_null(rec);
	/* The same file skipped in strides lands on the same records. */
	assert_int_equal(sift_reader_rewind(f.r, &f.err), 0);
	for (size_t i = 0; i + 7 < nrec; i += 7) {
		uint64_t skipped;

		assert_int_equal(sift_reader_skip(f.r, 6, &skipped, &f.err), 0);
		assert_int_equal(skipped, 6);
		assert_int_equal(sift_reader_next(f.r, &rec, &f.err), 0);
		assert_int_equal(rec->line, lines[i + 6]);
	}
	done(&f);
	free(csv);
	free(lines);
	free(sums);
}

static void rewind_a_pipe_through_the_spool(void **state)
{
	int fds[2], saved = dup(STDIN_FILENO);
	const char *csv = "a,b\n1,2\n3,4\n";
	struct sift_error err;
	struct sift_reader *r;
	const struct sift_record *rec;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], csv, strlen(csv)), (ssize_t)strlen(csv));
	close(fds[1]);
	dup2(fds[0], STDIN_FILENO);
	close(fds[0]);
	r = sift_reader_open("-", NULL, SIFT_READER_REWIND, &err);
	assert_non_null(r);
	assert_string_equal(sift_reader_name(r), "stdin");
	assert_int_equal(sift_reader_next(r, &rec, &err), 0);
	assert_int_equal(sift_reader_rewind(r, &err), 0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(sift_reader_next(r, &rec, &err), 0);
	assert_int_equal(rec->line, 3);
	assert_int_equal(sift_reader_count(r), 2);
	assert_int_equal(sift_reader_next(r, &rec, &err), 0);
	assert_null(rec);
	sift_reader_close(r);
	dup2(saved, STDIN_FILENO);
	close(saved);
}

static void missing_file(void **state)
{
	struct sift_error err;

	(void)state;
	assert_null(sift_reader_open("/nonexistent/x.csv", NULL, 0, &err));
	assert_int_equal(err.code, SIFT_EIO);
	assert_non_null(strstr(err.msg, "/nonexistent/x.csv: No such file"));
	assert_null(sift_reader_open("/tmp", NULL, 0, &err));
	assert_non_null(strstr(err.msg, "is a directory"));
}

/* The reader's splitter and libcsv (strict) must agree on every field
 * of random records full of quotes, delimiters and line breaks. */
struct lc {
	char fields[8][64];
	size_t len[8];
	int n;
};

static void lc_field(void *s, size_t len, void *data)
{
	struct lc *l = data;

	memcpy(l->fields[l->n], s, len);
	l->len[l->n++] = len;
}

static void lc_record(int c, void *data)
{
	(void)c;
	(void)data;
}

static int lc_never(unsigned char c)
{
	(void)c;
	return 0;
}

static void splitter_agrees_with_libcsv(void **state)
{
	static const char alphabet[] = "ab,\"\n x";
	struct sift_rng rng;
	char *csv = malloc(1 << 20), line[600];
	size_t len = 0, nrec = 0;
	struct fixture f = {0};
	const struct sift_record *rec;

	(void)state;
	sift_rng_seed(&rng, 4);
	len += (size_t)sprintf(csv, "c1,c2,c3,c4\n");
	for (nrec = 0; nrec < 3000; nrec++) {
		for (int k = 0; k < 4; k++) {
			size_t n = sift_rng_below(&rng, 12);
			int quote = sift_rng_below(&rng, 2);
			if (k)
				csv[len++] = ',';
			if (quote)
				csv[len++] = '"';
			for (size_t i = 0; i < n; i++) {
				char c = alphabet[sift_rng_below(&rng, 8)];
				if (!quote && (c == ',' || c == '"' ||
					       c == '\n'))
					c = 'q';
				csv[len++] = c;
				if (c == '"')
					csv[len++] = '"';
			}
			if (quote)
				csv[len++] = '"';
		}
		csv[len++] = '\n';
	}
	f.path = tmpfile_with(csv, len);
	f.r = sift_reader_open(f.path, NULL, 0, &f.err);
	while (sift_reader_next(f.r, &rec, &f.err) == 0 && rec) {
		struct csv_parser p;
		struct lc l = {0};

		csv_init(&p, CSV_STRICT | CSV_STRICT_FINI);
		csv_set_space_func(&p, lc_never);
		assert_true(rec->len < sizeof line);
		memcpy(line, rec->raw, rec->len);
		assert_int_equal(csv_parse(&p, line, rec->len, lc_field,
					   lc_record, &l), rec->len);
		assert_int_equal(csv_fini(&p, lc_field, lc_record, &l), 0);
		csv_free(&p);
		assert_int_equal(l.n, 4);
		for (int k = 3; k >= 0; k--) /* out of order on purpose */
			{
			const char *s;
			size_t n;

			assert_int_equal(sift_reader_field(f.r, (size_t)k, &s,
							   &n, &f.err), 0);
			assert_int_equal(n, l.len[k]);
			assert_memory_equal(s, l.fields[k], n);
		}
	}
	assert_int_equal(sift_reader_count(f.r), 3000);
	done(&f);
	free(csv);
}

/* A CR after a closing quote must be followed by a LF, also when the CR
 * is the last byte of a 64-byte block or of the input. */
static void carriage_return_after_a_quote_at_a_block_end(void **state)
{
	struct fixture f = {0};
	char csv[128];
	int n = snprintf(csv, sizeof csv, "x,y\n\"%057d\"\rb,c\n", 0);

	(void)state;
	assert_int_equal(csv[63], '\r');
	f.path = tmpfile_with(csv, (size_t)n);
	f.r = sift_reader_open(f.path, NULL, 0, &f.err);
	expect_error(&f, "unexpected character after a closing quote");
	done(&f);
	open_str(&f, "x,y\n1,\"a\"\r", 1);
	expect_error(&f, "unexpected character after a closing quote");
	done(&f);
	/* CR LF across the block boundary is a line ending. */
	n = snprintf(csv, sizeof csv, "x\n\"%059d\"\r\nb\n", 0);
	assert_int_equal(csv[63], '\r');
	f.path = tmpfile_with(csv, (size_t)n);
	f.r = sift_reader_open(f.path, NULL, 0, &f.err);
	const struct sift_record *rec;
	assert_int_equal(sift_reader_next(f.r, &rec, &f.err), 0);
	assert_string_equal(rec->eol, "\r\n");
	assert_int_equal(sift_reader_next(f.r, &rec, &f.err), 0);
	expect_field(&f, 0, "b");
	done(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(header_and_fields),
		cmocka_unit_test(quotes_newlines_and_line_numbers),
		cmocka_unit_test(crlf_is_kept_apart),
		cmocka_unit_test(spaces_nuls_and_bad_utf8_pass_through),
		cmocka_unit_test(unterminated_quote),
		cmocka_unit_test(quote_inside_unquoted_field),
		cmocka_unit_test(character_after_closing_quote),
		cmocka_unit_test(ragged_rows),
		cmocka_unit_test(skipped_records_are_checked_too),
		cmocka_unit_test(columns_by_name_and_number),
		cmocka_unit_test(no_header),
		cmocka_unit_test(empty_and_header_only),
		cmocka_unit_test(tab_delimiter),
		cmocka_unit_test(gzip_input),
		cmocka_unit_test(truncated_gzip),
		cmocka_unit_test(stress_against_a_model),
		cmocka_unit_test(rewind_a_pipe_through_the_spool),
		cmocka_unit_test(missing_file),
		cmocka_unit_test(splitter_agrees_with_libcsv),
		cmocka_unit_test(carriage_return_after_a_quote_at_a_block_end),
	};

	return cmocka_run_group_tests_name("reader", tests, NULL, NULL);
}
