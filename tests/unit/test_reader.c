/* Unit tests of lib/reader.c and lib/reader_scan.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <csv.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <zlib.h>

#include "../../lib/reader_scan.h"
#include "sift/reader.h"
#include "sift/rng.h"
#include "sift/writer.h"
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
	if (f->path) /* none for a pipe */
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
	struct fixture f = { 0 };
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
	struct fixture f = { 0 };
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
	struct fixture f = { 0 };
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
	struct fixture f = { 0 };
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
	struct fixture f = { 0 };

	(void)state;
	open_str(&f, "a,b\n1,2\n3,\"open\n4,5\n", 1);
	expect_error(&f, ":3:3: unterminated quoted field");
	done(&f);
}

static void quote_inside_unquoted_field(void **state)
{
	struct fixture f = { 0 };

	(void)state;
	open_str(&f, "a,b\n1,ab\"c\n", 1);
	expect_error(&f, ":2:5: quote inside an unquoted field");
	done(&f);
}

static void character_after_closing_quote(void **state)
{
	struct fixture f = { 0 };

	(void)state;
	open_str(&f, "a,b\n1,\"ab\"c\n", 1);
	expect_error(&f, ":2:7: unexpected character after a closing quote");
	done(&f);
}

static void ragged_rows(void **state)
{
	struct fixture f = { 0 };

	(void)state;
	open_str(&f, "a,b\n1,2\n1,2,3\n", 1);
	expect_error(&f, ":3: ragged row: 3 fields, the header has 2: "
			 "field 3 is past column 'b' (2)");
	done(&f);
	open_str(&f, "a,b\n1\n", 1);
	expect_error(&f, ":2: ragged row: 1 fields, the header has 2: "
			 "no column 'b' (2)");
	done(&f);
}

static void skipped_records_are_checked_too(void **state)
{
	struct fixture f = { 0 };
	uint64_t skipped;

	(void)state;
	open_str(&f, "a,b\n1,2\n3,4\n5\n", 1);
	assert_int_equal(sift_reader_skip(f.r, 10, &skipped, &f.err),
			 SIFT_EDATA);
	assert_non_null(strstr(f.err.msg, ":4: ragged row"));
	assert_int_equal(skipped, 2); /* the ragged row is not passed over */
	assert_int_equal(sift_reader_count(f.r), 2);
	done(&f);
}

static void columns_by_name_and_number(void **state)
{
	struct fixture f = { 0 };
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
	struct fixture f = { 0 };
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
	struct fixture f = { 0 };
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
	struct fixture f = { 0 };
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
	struct fixture f = { 0 };
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
	struct fixture f = { 0 };
	char *big = malloc(200000);
	struct sift_rng rng;

	(void)state;
	/* Random digits compress poorly, so cutting the file at half its
	 * size cuts the deflate stream itself. */
	sift_rng_seed(&rng, 1);
	memcpy(big, "a,b\n", 4);
	for (size_t i = 4; i < 200000; i++)
		big[i] = (i % 10 == 9) ? '\n'
			 : (i % 10 == 4)
				 ? ','
				 : (char)('0' + sift_rng_below(&rng, 10));
	f.path = gzip_file(big, 200000, 50000);
	f.r = sift_reader_open(f.path, NULL, 0, &f.err);
	assert_non_null(f.r);
	expect_error(&f, "truncated gzip");
	free(big);
	done(&f);
}

/* Random digit records after a header a,b, gzip-compressed; cut short
 * (keep bytes) or with the stream's checksum damaged (keep 0, bad 1). */
static char *digits_gz(size_t len, size_t keep, int bad_crc)
{
	char *big = malloc(len);
	struct sift_rng rng;
	char *path;

	sift_rng_seed(&rng, 1);
	memcpy(big, "a,b\n", 4);
	for (size_t i = 4; i < len; i++)
		big[i] = (i % 10 == 9) ? '\n'
			 : (i % 10 == 4)
				 ? ','
				 : (char)('0' + sift_rng_below(&rng, 10));
	path = gzip_file(big, len, keep);
	free(big);
	if (bad_crc) {
		/* The CRC-32 is the trailer's first four bytes. */
		FILE *fp = fopen(path, "r+b");
		int c;

		assert_non_null(fp);
		assert_int_equal(fseek(fp, -8, SEEK_END), 0);
		c = fgetc(fp);
		assert_int_equal(fseek(fp, -8, SEEK_END), 0);
		fputc(c ^ 0xff, fp);
		fclose(fp);
	}
	return path;
}

/* A reader with opts o on data[0..len): from a temporary file, or
 * (pipe) on stdin fed by a child process. */
static struct sift_reader *open_bytes(const char *data, size_t len,
				      const struct sift_csv_opts *o,
				      int from_pipe, struct fixture *f,
				      pid_t *child)
{
	struct sift_reader *r;
	int fds[2], saved;

	*child = -1;
	if (!from_pipe) {
		f->path = tmpfile_with(data, len);
		return sift_reader_open(f->path, o, 0, &f->err);
	}
	saved = dup(STDIN_FILENO);
	assert_int_equal(pipe(fds), 0);
	*child = fork();
	assert_true(*child >= 0);
	if (*child == 0) {
		close(fds[0]);
		while (len) {
			ssize_t n = write(fds[1], data, len);

			if (n <= 0)
				_exit(1); /* the reader stopped early */
			data += n;
			len -= (size_t)n;
		}
		_exit(0);
	}
	close(fds[1]);
	dup2(fds[0], STDIN_FILENO);
	close(fds[0]);
	r = sift_reader_open("-", o, 0, &f->err);
	dup2(saved, STDIN_FILENO);
	close(saved);
	return r;
}

/* A reader on csv[0..len) that refuses records longer than max. */
static struct sift_reader *open_limited(const char *csv, size_t len, size_t max,
					int from_pipe, struct fixture *f,
					pid_t *child)
{
	struct sift_csv_opts o;

	sift_csv_opts_init(&o);
	o.max_record = max;
	return open_bytes(csv, len, &o, from_pipe, f, child);
}

/* A record longer than max_record is refused, from a file (read ahead)
 * as from a pipe; the error sticks, and nothing after it is returned.
 * Within the limit, a record longer than a read-ahead chunk comes back
 * whole. */
static void records_longer_than_the_limit(void **state)
{
	size_t big = 9u << 20, len = 0;
	char *csv = malloc(big + 64);
	const struct sift_record *rec;

	(void)state;
	len += (size_t)sprintf(csv, "a,b\n1,\"");
	memset(csv + len, 'x', big);
	len += big;
	len += (size_t)sprintf(csv + len, "\"\n2,y\n");
	for (int from_pipe = 0; from_pipe < 2; from_pipe++) {
		struct fixture f = { 0 };
		pid_t child;

		f.r = open_limited(csv, len, 1u << 20, from_pipe, &f, &child);
		assert_non_null(f.r);
		for (int i = 0; i < 3; i++) {
			assert_int_equal(sift_reader_next(f.r, &rec, &f.err),
					 SIFT_EDATA);
			assert_null(rec);
			assert_non_null(strstr(f.err.msg,
					       ":2: record longer than 1 MiB "
					       "(an unterminated quote?)"));
		}
		sift_reader_close(f.r);
		f.r = NULL;
		if (child > 0)
			waitpid(child, NULL, 0);
		done(&f);

		f = (struct fixture){ 0 };
		f.r = open_limited(csv, len, 16u << 20, from_pipe, &f, &child);
		assert_non_null(f.r);
		assert_int_equal(sift_reader_next(f.r, &rec, &f.err), 0);
		assert_int_equal(rec->len, big + 4);
		assert_int_equal(sift_reader_next(f.r, &rec, &f.err), 0);
		expect_field(&f, 1, "y");
		sift_reader_close(f.r);
		f.r = NULL;
		if (child > 0)
			waitpid(child, NULL, 0);
		done(&f);
	}
	free(csv);
}

/* A rewind that fails leaves nothing to read: later reads fail too,
 * rather than return records from a buffer that is gone. Here the
 * thread reading ahead meets the damaged checksum while the reader is
 * still at the first records, and gzip cannot rewind past that. */
static void a_failed_rewind_fails_later_reads(void **state)
{
	struct fixture f = { 0 };
	const struct sift_record *rec;
	struct timespec pause = { 0, 200000000 };

	(void)state;
	f.path = digits_gz(3000000, 0, 1);
	f.r = sift_reader_open(f.path, NULL, 0, &f.err);
	assert_non_null(f.r);
	assert_int_equal(sift_reader_next(f.r, &rec, &f.err), 0);
	nanosleep(&pause, NULL); /* the thread reads to the end */
	if (sift_reader_rewind(f.r, &f.err) == 0) {
		/* the damage was not met yet: a true rewind */
		assert_int_equal(sift_reader_next(f.r, &rec, &f.err), 0);
		assert_int_equal(rec->line, 2);
	} else {
		assert_non_null(strstr(f.err.msg, "incorrect data check"));
		for (int i = 0; i < 3; i++) {
			assert_int_equal(sift_reader_next(f.r, &rec, &f.err),
					 SIFT_EDATA);
			assert_null(rec);
			assert_non_null(
				strstr(f.err.msg, "incorrect data check"));
		}
	}
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
	struct fixture f = { 0 };
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
	char fields[64][64];
	size_t len[64];
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

/* Random records of ncol fields full of quotes, delimiters and line
 * breaks, after a header c1,c2,... */
static char *random_quoted_csv(uint64_t seed, int ncol, size_t nrec,
			       size_t *len)
{
	static const char alphabet[] = "ab,\"\n x";
	struct sift_rng rng;
	char *csv = malloc(nrec * (size_t)ncol * 30 + 1000);
	size_t n = 0;

	sift_rng_seed(&rng, seed);
	for (int k = 0; k < ncol; k++)
		n += (size_t)sprintf(csv + n, k ? ",c%d" : "c%d", k + 1);
	csv[n++] = '\n';
	for (size_t r = 0; r < nrec; r++) {
		for (int k = 0; k < ncol; k++) {
			size_t m = sift_rng_below(&rng, 12);
			int quote = sift_rng_below(&rng, 2);

			if (k)
				csv[n++] = ',';
			if (quote)
				csv[n++] = '"';
			for (size_t i = 0; i < m; i++) {
				char c = alphabet[sift_rng_below(&rng, 8)];

				if (!quote &&
				    (c == ',' || c == '"' || c == '\n'))
					c = 'q';
				csv[n++] = c;
				if (c == '"')
					csv[n++] = '"';
			}
			if (quote)
				csv[n++] = '"';
		}
		csv[n++] = '\n';
	}
	*len = n;
	return csv;
}

/* Every field of the record just read, asked for in the order of cols
 * (twice each), equals what libcsv makes of the record. */
static void fields_match_libcsv(struct fixture *f,
				const struct sift_record *rec, int ncol,
				const int *cols)
{
	struct csv_parser p;
	struct lc l = { 0 };
	char line[4096];

	csv_init(&p, CSV_STRICT | CSV_STRICT_FINI);
	csv_set_space_func(&p, lc_never);
	assert_true(rec->len < sizeof line);
	memcpy(line, rec->raw, rec->len);
	assert_int_equal(csv_parse(&p, line, rec->len, lc_field, lc_record, &l),
			 rec->len);
	assert_int_equal(csv_fini(&p, lc_field, lc_record, &l), 0);
	csv_free(&p);
	assert_int_equal(l.n, ncol);
	for (int twice = 0; twice < 2; twice++)
		for (int i = 0; i < ncol; i++) {
			int k = cols[i];
			const char *s;
			size_t n;

			assert_int_equal(sift_reader_field(f->r, (size_t)k, &s,
							   &n, &f->err),
					 0);
			assert_int_equal(n, l.len[k]);
			assert_memory_equal(s, l.fields[k], n);
		}
}

static void splitter_agrees_with_libcsv(void **state)
{
	static const int backwards[] = { 3, 2, 1, 0 },
			 forwards[] = { 0, 1, 2, 3 };
	size_t len;
	char *csv = random_quoted_csv(4, 4, 3000, &len);
	struct fixture f = { 0 };
	const struct sift_record *rec;
	struct sift_rng rng;

	(void)state;
	f.path = tmpfile_with(csv, len);
	f.r = sift_reader_open(f.path, NULL, SIFT_READER_REWIND, &f.err);
	while (sift_reader_next(f.r, &rec, &f.err) == 0 && rec)
		fields_match_libcsv(&f, rec, 4,
				    rec->index % 2 ? backwards : forwards);
	assert_int_equal(sift_reader_count(f.r), 3000);
	/* After skips, where the skip loop may have passed over part of
	 * the record without noting its delimiters. */
	sift_rng_seed(&rng, 5);
	assert_int_equal(sift_reader_rewind(f.r, &f.err), 0);
	for (;;) {
		uint64_t skipped;

		assert_int_equal(sift_reader_skip(f.r, sift_rng_below(&rng, 60),
						  &skipped, &f.err),
				 0);
		assert_int_equal(sift_reader_next(f.r, &rec, &f.err), 0);
		if (!rec)
			break;
		fields_match_libcsv(&f, rec, 4, backwards);
	}
	done(&f);
	free(csv);
}

/* Records of many fields spanning several blocks: any column, in any
 * order, and a column past the last is an error naming the count. */
static void fields_of_wide_records(void **state)
{
	int cols[64];
	size_t len;
	char *csv = random_quoted_csv(6, 64, 200, &len);
	struct fixture f = { 0 };
	const struct sift_record *rec;
	const char *s;
	size_t n;

	(void)state;
	for (int i = 0; i < 64; i++)
		cols[i] = i * 37 % 64; /* every column, out of order */
	f.path = tmpfile_with(csv, len);
	f.r = sift_reader_open(f.path, NULL, 0, &f.err);
	while (sift_reader_next(f.r, &rec, &f.err) == 0 && rec) {
		fields_match_libcsv(&f, rec, 64, cols);
		assert_int_equal(sift_reader_field(f.r, 64, &s, &n, &f.err),
				 SIFT_EDATA);
		assert_non_null(
			strstr(f.err.msg, "no field 65 (the record has 64)"));
	}
	assert_int_equal(sift_reader_count(f.r), 200);
	done(&f);
	free(csv);
}

/* A CR after a closing quote must be followed by a LF, also when the CR
 * is the last byte of a 64-byte block or of the input. */
static void carriage_return_after_a_quote_at_a_block_end(void **state)
{
	struct fixture f = { 0 };
	char csv[128];
	int n = snprintf(csv, sizeof csv, "x,y\n\"%057d\"\rb,c\n", 0);

	(void)state;
	assert_int_equal(csv[63], '\r');
	f.path = tmpfile_with(csv, (size_t)n);
	f.r = sift_reader_open(f.path, NULL, 0, &f.err);
	expect_error(&f, ":2:60: unexpected character after a closing quote");
	done(&f);
	/* The CR is the character reported, wherever the block ends. */
	n = snprintf(csv, sizeof csv, "x,y\n\"%056d\"\r,c\n", 0);
	f.path = tmpfile_with(csv, (size_t)n);
	f.r = sift_reader_open(f.path, NULL, 0, &f.err);
	expect_error(&f, ":2:59: unexpected character after a closing quote");
	done(&f);
	open_str(&f, "x,y\n1,\"a\"\r", 1);
	expect_error(&f, ":2:6: unexpected character after a closing quote");
	done(&f);
	/* ... and when it ends the input at a block's end. */
	n = snprintf(csv, sizeof csv, "x,y\n1,\"%055d\"\r", 0);
	assert_int_equal(csv[63], '\r');
	f.path = tmpfile_with(csv, (size_t)n);
	f.r = sift_reader_open(f.path, NULL, 0, &f.err);
	expect_error(&f, ":2:60: unexpected character after a closing quote");
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

/* ---- skipping lands where reading does -------------------------------- */

static const char *const scan_variants[] = { "portable", "sse2", "avx2",
					     "avx512" };
#define N_SCAN_VARIANTS (sizeof scan_variants / sizeof scan_variants[0])

/* Back to the variant the library picks for itself, the most capable one
 * this processor runs, so that the tests after are not affected. */
static void select_best_variant(void)
{
	for (size_t v = N_SCAN_VARIANTS; v-- > 0;)
		if (scan_select(scan_variants[v]) == 0)
			return;
}

static struct sift_reader *open_with(const char *path, char delim, int header,
				     struct sift_error *err)
{
	struct sift_csv_opts o;

	sift_csv_opts_init(&o);
	o.delim = delim;
	o.header = header;
	return sift_reader_open(path, &o, 0, err);
}

struct text {
	char *p;
	size_t len, cap;
};

static void tput(struct text *t, char c)
{
	if (t->len == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 4096;
		t->p = realloc(t->p, t->cap);
		assert_non_null(t->p);
	}
	t->p[t->len++] = c;
}

static void tputs(struct text *t, const char *s)
{
	while (*s)
		tput(t, *s++);
}

/* n bytes of an unquoted field. */
static void put_plain(struct text *t, struct sift_rng *rng, size_t n)
{
	static const char alphabet[] = "abcdefghij0123456789 .-";

	for (size_t i = 0; i < n; i++)
		tput(t, alphabet[sift_rng_below(rng, sizeof alphabet - 1)]);
}

/* The inside of a quoted field (quotes doubled), without its quotes:
 * delimiters, newlines and CRs, now and then long. */
static void put_inside(struct text *t, struct sift_rng *rng, char delim)
{
	size_t n = sift_rng_below(rng, 60) == 0 ? 64 + sift_rng_below(rng, 700)
						: sift_rng_below(rng, 20);

	for (size_t i = 0; i < n; i++) {
		uint64_t k = sift_rng_below(rng, 14);

		if (k == 0) {
			tput(t, '"');
			tput(t, '"');
		} else if (k == 1) {
			tput(t, delim);
		} else if (k == 2) {
			tput(t, '\n');
		} else if (k == 3) {
			tput(t, '\r');
		} else {
			put_plain(t, rng, 1);
		}
	}
}

static void put_quoted_field(struct text *t, struct sift_rng *rng, char delim)
{
	tput(t, '"');
	put_inside(t, rng, delim);
	tput(t, '"');
}

enum inject {
	INJECT_NONE,
	INJECT_RAGGED,
	INJECT_QUOTE_IN_UNQUOTED,
	INJECT_AFTER_CLOSING_QUOTE,
	INJECT_UNTERMINATED,
	INJECT_CR_AFTER_CLOSING_QUOTE,
	INJECT_STRAY_OPENING_QUOTE,
	INJECT_KINDS
};

struct gen_file {
	struct text t;
	size_t nf;
	char delim;
	int header;
	enum inject kind;
};

/* A random CSV file of about size bytes (see skip_lands_where_next_does):
 * one error of the kind given at a random record from byte err_min on,
 * or none. With huge, now and then a field of 300 to 600 KB, longer
 * than the room the reader keeps before a chunk read ahead. */
static void gen_file(struct gen_file *g, uint64_t seed, size_t size,
		     size_t err_min, enum inject kind, int huge)
{
	struct sift_rng rng;
	size_t err_at, nrec = 0;
	int crlf, blanks, injected = 0;

	sift_rng_seed(&rng, seed);
	memset(g, 0, sizeof *g);
	g->nf = 3 + sift_rng_below(&rng, 4);
	g->delim = sift_rng_below(&rng, 4) == 0 ? '\t' : ',';
	g->header = sift_rng_below(&rng, 5) != 0;
	g->kind = kind;
	crlf = (int)sift_rng_below(&rng, 3); /* never, always, at random */
	blanks = sift_rng_below(&rng, 2) ? 30 : 0;
	err_at = err_min + sift_rng_below(&rng, size - err_min);
	if (g->header) {
		for (size_t f = 0; f < g->nf; f++) {
			if (f)
				tput(&g->t, g->delim);
			tputs(&g->t, "col");
			tput(&g->t, (char)('1' + f));
		}
		tputs(&g->t, crlf == 1 ? "\r\n" : "\n");
	}
	while (g->t.len < size) {
		size_t fields = g->nf;
		int inject = kind != INJECT_NONE && !injected && nrec > 0 &&
			     g->t.len >= err_at && kind != INJECT_UNTERMINATED;
		size_t bad_field = sift_rng_below(&rng, fields);

		if (blanks && sift_rng_below(&rng, blanks) == 0) {
			tputs(&g->t, sift_rng_below(&rng, 2) ? "\r\n" : "\n");
			continue;
		}
		if (inject && kind == INJECT_RAGGED)
			fields =
				sift_rng_below(&rng, 2) ? g->nf + 1 : g->nf - 1;
		for (size_t f = 0; f < fields; f++) {
			if (f)
				tput(&g->t, g->delim);
			if (inject && f == bad_field && kind != INJECT_RAGGED) {
				switch (kind) {
				case INJECT_QUOTE_IN_UNQUOTED:
					put_plain(&g->t, &rng,
						  1 + sift_rng_below(&rng, 70));
					tput(&g->t, '"');
					put_plain(&g->t, &rng,
						  sift_rng_below(&rng, 5));
					break;
				case INJECT_AFTER_CLOSING_QUOTE:
					put_quoted_field(&g->t, &rng, g->delim);
					tput(&g->t, 'x');
					break;
				case INJECT_CR_AFTER_CLOSING_QUOTE:
					put_quoted_field(&g->t, &rng, g->delim);
					tputs(&g->t, "\ry");
					break;
				default: /* a stray opening quote */
					tput(&g->t, '"');
					put_plain(&g->t, &rng,
						  sift_rng_below(&rng, 9));
					break;
				}
				continue;
			}
			if (huge && sift_rng_below(&rng, 40000) == 0) {
				size_t n =
					300000 + sift_rng_below(&rng, 300000);

				tput(&g->t, '"');
				for (size_t i = 0; i < n; i++)
					tput(&g->t, i % 97 == 0   ? '\n'
						    : i % 89 == 0 ? g->delim
								  : 'h');
				tput(&g->t, '"');
			} else if (sift_rng_below(&rng, 3) == 0)
				put_quoted_field(&g->t, &rng, g->delim);
			else
				put_plain(
					&g->t, &rng,
					sift_rng_below(&rng, 60) == 0
						? 64 + sift_rng_below(&rng, 200)
						: sift_rng_below(&rng, 12));
		}
		injected |= inject;
		if (crlf == 1 || (crlf == 2 && sift_rng_below(&rng, 2)))
			tput(&g->t, '\r');
		tput(&g->t, '\n');
		nrec++;
	}
	if (kind == INJECT_UNTERMINATED) {
		/* A last record whose field opens and runs to the end. */
		size_t bad_field = sift_rng_below(&rng, g->nf);

		for (size_t f = 0; f <= bad_field; f++) {
			if (f)
				tput(&g->t, g->delim);
			if (f < bad_field)
				put_plain(&g->t, &rng,
					  sift_rng_below(&rng, 12));
		}
		tput(&g->t, '"');
		put_inside(&g->t, &rng, g->delim);
	} else if (sift_rng_below(&rng, 2) && g->t.len) {
		g->t.len--; /* no newline at the end */
		if (g->t.len && g->t.p[g->t.len - 1] == '\r')
			g->t.len--;
	}
}

/* Where a generated file is read from: the regular file at path (read
 * ahead by a thread), or with pipe a pipe on stdin fed by a child process
 * (the reader reads for itself then, in pieces of a size that is not a
 * whole number of blocks). */
struct source {
	const char *path;
	const struct gen_file *g;
	int pipe;
	pid_t child;
};

static struct sift_reader *open_source(struct source *src,
				       struct sift_error *err)
{
	struct sift_reader *r;
	int fds[2], saved;

	if (!src->pipe)
		return open_with(src->path, src->g->delim, src->g->header, err);
	saved = dup(STDIN_FILENO);
	assert_true(saved >= 0);
	assert_int_equal(pipe(fds), 0);
	src->child = fork();
	assert_true(src->child >= 0);
	if (src->child == 0) {
		const char *p = src->g->t.p;
		size_t left = src->g->t.len;

		close(fds[0]);
		while (left) {
			ssize_t n = write(fds[1], p, left);

			if (n <= 0)
				_exit(1); /* the reader stopped early */
			p += n;
			left -= (size_t)n;
		}
		_exit(0);
	}
	close(fds[1]);
	dup2(fds[0], STDIN_FILENO);
	close(fds[0]);
	r = open_with("-", src->g->delim, src->g->header, err);
	dup2(saved, STDIN_FILENO);
	close(saved);
	return r;
}

static void close_source(struct source *src, struct sift_reader *r)
{
	sift_reader_close(r);
	if (src->pipe)
		waitpid(src->child, NULL, 0);
}

/* What a reading of a file record by record gave. */
struct first_pass {
	size_t n, cap;
	uint64_t *line;
	size_t *off, *len;
	const char **eol;
	struct text bytes;
	int rc;
	char msg[sizeof((struct sift_error *)0)->msg];
};

static void read_all(struct source *src, struct first_pass *fp)
{
	struct sift_error err;
	struct sift_reader *r = open_source(src, &err);
	const struct sift_record *rec;

	memset(fp, 0, sizeof *fp);
	assert_non_null(r);
	while ((fp->rc = sift_reader_next(r, &rec, &err)) == 0 && rec) {
		if (fp->n == fp->cap) {
			fp->cap = fp->cap ? 2 * fp->cap : 1024;
			fp->line =
				realloc(fp->line, fp->cap * sizeof *fp->line);
			fp->off = realloc(fp->off, fp->cap * sizeof *fp->off);
			fp->len = realloc(fp->len, fp->cap * sizeof *fp->len);
			fp->eol = realloc(fp->eol, fp->cap * sizeof *fp->eol);
			assert_true(fp->line && fp->off && fp->len && fp->eol);
		}
		assert_int_equal(rec->index, fp->n);
		fp->line[fp->n] = rec->line;
		fp->off[fp->n] = fp->bytes.len;
		fp->len[fp->n] = rec->len;
		fp->eol[fp->n] = rec->eol;
		for (size_t i = 0; i < rec->len; i++)
			tput(&fp->bytes, rec->raw[i]);
		fp->n++;
	}
	if (fp->rc)
		memcpy(fp->msg, err.msg, sizeof fp->msg);
	close_source(src, r);
}

static void free_pass(struct first_pass *fp)
{
	free(fp->line);
	free(fp->off);
	free(fp->len);
	free(fp->eol);
	free(fp->bytes.p);
}

static void same_record(const struct first_pass *fp, uint64_t i,
			const struct sift_record *rec, const char *variant)
{
	if (i >= fp->n)
		fail_msg("%s: record %llu beyond the %zu read", variant,
			 (unsigned long long)i, fp->n);
	if (rec->line != fp->line[i] || rec->index != i ||
	    rec->len != fp->len[i] ||
	    memcmp(rec->raw, fp->bytes.p + fp->off[i], rec->len) != 0 ||
	    strcmp(rec->eol, fp->eol[i]) != 0)
		fail_msg("%s: record %llu: line %llu index %llu len %zu, read "
			 "as line %llu len %zu",
			 variant, (unsigned long long)i,
			 (unsigned long long)rec->line,
			 (unsigned long long)rec->index, rec->len,
			 (unsigned long long)fp->line[i], fp->len[i]);
}

/* Errors where the records before them were counted wrong: reported at
 * the end of the test, so that the rest of it still runs. */
static size_t miscounted;
static char miscounted_msg[1400];

/* An error in the second reading after at records (so says skip), and
 * sift_reader_count count: the same as in the first. */
static void same_error(const struct first_pass *fp, int rc,
		       const struct sift_error *err, uint64_t at,
		       uint64_t count, const char *variant)
{
	if (rc != fp->rc || strcmp(err->msg, fp->msg) != 0)
		fail_msg("%s: error %d '%s' after %llu records; read record "
			 "by record: %d '%s' after %zu",
			 variant, rc, err->msg, (unsigned long long)at, fp->rc,
			 fp->rc ? fp->msg : "", fp->n);
	if ((at != fp->n || count != fp->n) && miscounted++ == 0)
		snprintf(miscounted_msg, sizeof miscounted_msg,
			 "%s: at the error '%s' skip and next had passed %llu "
			 "records (sift_reader_count %llu); next alone read "
			 "%zu",
			 variant, fp->msg, (unsigned long long)at,
			 (unsigned long long)count, fp->n);
}

static void no_miscounts(void)
{
	if (miscounted)
		fail_msg("%zu errors came after a wrong count of records; the "
			 "first: %s",
			 miscounted, miscounted_msg);
}

/* Read path again in random strides of sift_reader_skip, each followed
 * by a sift_reader_next: the same records, the same end. */
static void read_in_strides(struct source *src, const struct first_pass *fp,
			    uint64_t seed, const char *variant)
{
	struct sift_error err;
	struct sift_reader *r = open_source(src, &err);
	const struct sift_record *rec;
	struct sift_rng rng;
	uint64_t at = 0;

	assert_non_null(r);
	sift_rng_seed(&rng, seed);
	for (;;) {
		uint64_t pick = sift_rng_below(&rng, 4), n, skipped = 777777;
		int rc;

		n = pick == 0   ? sift_rng_below(&rng, 2001)
		    : pick == 1 ? sift_rng_below(&rng, 100)
				: sift_rng_below(&rng, 8);
		rc = sift_reader_skip(r, n, &skipped, &err);
		assert_true(skipped <= n);
		at += skipped;
		if (rc) {
			same_error(fp, rc, &err, at, sift_reader_count(r),
				   variant);
			break;
		}
		assert_int_equal(sift_reader_count(r), at);
		if (skipped < n) { /* the end of input, and no error */
			if (fp->rc || at != fp->n)
				fail_msg("%s: skip ended after %llu records "
					 "with no error; read record by "
					 "record: %zu, error '%s'",
					 variant, (unsigned long long)at, fp->n,
					 fp->rc ? fp->msg : "");
		}
		rc = sift_reader_next(r, &rec, &err);
		if (rc) {
			same_error(fp, rc, &err, at, sift_reader_count(r),
				   variant);
			break;
		}
		if (!rec) {
			assert_int_equal(fp->rc, 0);
			assert_int_equal(at, fp->n);
			break;
		}
		same_record(fp, at, rec, variant);
		at++;
		assert_int_equal(sift_reader_count(r), at);
	}
	close_source(src, r);
}

/* A file read with sift_reader_next, and again skipping with every
 * variant of the scanner: returns how many records it had. */
static size_t next_against_skip(uint64_t seed, size_t size, size_t err_min,
				enum inject kind, int huge, int pipe)
{
	struct gen_file g;
	struct first_pass ref, got;
	struct source src = { NULL, &g, pipe, 0 };
	char *path;
	size_t n;

	gen_file(&g, seed, size, err_min, kind, huge);
	path = tmpfile_with(g.t.p, g.t.len);
	src.path = path;
	assert_int_equal(scan_select("portable"), 0);
	read_all(&src, &ref);
	/* The injected error is found (a stray quote may end in any
	 * error, or none if no quote follows it). */
	if (kind != INJECT_NONE && kind != INJECT_STRAY_OPENING_QUOTE &&
	    ref.rc == 0)
		fail_msg("seed %llu: injected error %d not found",
			 (unsigned long long)seed, (int)kind);
	if (kind == INJECT_NONE && ref.rc)
		fail_msg("seed %llu: %s", (unsigned long long)seed, ref.msg);
	for (size_t v = 0; v < N_SCAN_VARIANTS; v++) {
		if (scan_select(scan_variants[v]) != 0)
			continue; /* not on this processor */
		if (v) {
			/* record by record, as with portable */
			read_all(&src, &got);
			assert_int_equal(got.n, ref.n);
			assert_int_equal(got.rc, ref.rc);
			assert_string_equal(got.msg, ref.msg);
			assert_int_equal(got.bytes.len, ref.bytes.len);
			assert_memory_equal(got.bytes.p, ref.bytes.p,
					    ref.bytes.len);
			free_pass(&got);
		}
		for (uint64_t k = 0; k < (pipe ? 1u : 3u); k++)
			read_in_strides(&src, &ref, seed * 1000 + v * 10 + k,
					scan_variants[v]);
	}
	select_best_variant();
	n = ref.n;
	free_pass(&ref);
	unlink(path);
	free(path);
	free(g.t.p);
	return n;
}

/* Random files of 100 to 300 KB (3 to 6 fields, quoted fields with
 * delimiters, doubled quotes, CRs and newlines, CRLF now and then, blank
 * lines now and then, with a header or without), most with one error
 * injected: read record by record, then in random strides of skip and
 * next, with every variant of the scanner. */
static void skip_lands_where_next_does(void **state)
{
	size_t records = 0;

	(void)state;
	miscounted = 0;
	for (uint64_t seed = 1; seed <= 3 * INJECT_KINDS; seed++) {
		struct sift_rng rng;

		sift_rng_seed(&rng, seed + 5000);
		records += next_against_skip(
			seed, 100000 + sift_rng_below(&rng, 200000), 64,
			(enum inject)(seed % INJECT_KINDS), 0, 0);
	}
	assert_true(records > 30000);
	no_miscounts();
}

/* The same across the refills of the read buffer (4 MiB at a time). */
static void skip_lands_where_next_does_across_refills(void **state)
{
	(void)state;
	miscounted = 0;
	assert_true(next_against_skip(101, 5 << 20, 0, INJECT_NONE, 0, 0) >
		    50000);
	assert_true(next_against_skip(104, 5 << 20, 0, INJECT_NONE, 1, 0) >
		    20000);
	/* an error after the first refills */
	assert_true(next_against_skip(102, 5 << 20, 17 << 18, INJECT_RAGGED, 1,
				      0) > 20000);
	assert_true(next_against_skip(103, 5 << 20, 17 << 18,
				      INJECT_QUOTE_IN_UNQUOTED, 0, 0) > 50000);
	no_miscounts();
}

/* The same from a pipe, where the reader reads 4 MiB less 64 bytes at a
 * time: a buffer ends within a block. */
static void skip_lands_where_next_does_from_a_pipe(void **state)
{
	(void)state;
	miscounted = 0;
	assert_true(next_against_skip(105, 5 << 20, 0, INJECT_NONE, 1, 1) >
		    20000);
	assert_true(next_against_skip(106, 9 << 19, 17 << 18,
				      INJECT_AFTER_CLOSING_QUOTE, 0,
				      1) > 50000);
	no_miscounts();
}

/* ---- where errors are reported ---------------------------------------- */

/* A header "a,b", then pre records "1,2" (none, a few, or enough for
 * scan_skip to pass over whole groups of blocks), then tail: read with
 * sift_reader_next, and with one long sift_reader_skip, under every
 * variant, the error must be exactly "path:line:col: what" (line counted
 * from 1 in tail; no column when col is 0), after the pre records and
 * good_in_tail records of tail. */
static void expect_message(const char *tail, size_t good_in_tail, unsigned line,
			   unsigned col, const char *what)
{
	static const size_t prefixes[] = { 0, 1, 5, 17, 300 };

	for (size_t k = 0; k < sizeof prefixes / sizeof prefixes[0]; k++) {
		size_t pre = prefixes[k];
		struct text t = { 0 };
		char want[1200];
		char *path;

		tputs(&t, "a,b\n");
		for (size_t i = 0; i < pre; i++)
			tputs(&t, "1,2\n");
		tputs(&t, tail);
		path = tmpfile_with(t.p, t.len);
		if (col)
			snprintf(want, sizeof want, "%s:%zu:%u: %s", path,
				 1 + pre + line, col, what);
		else
			snprintf(want, sizeof want, "%s:%zu: %s", path,
				 1 + pre + line, what);
		for (size_t v = 0; v < N_SCAN_VARIANTS; v++) {
			struct sift_error err;
			struct sift_reader *r;
			const struct sift_record *rec;
			uint64_t n = 0, skipped;
			int rc;

			if (scan_select(scan_variants[v]) != 0)
				continue;
			r = open_with(path, ',', 1, &err);
			assert_non_null(r);
			while ((rc = sift_reader_next(r, &rec, &err)) == 0 &&
			       rec)
				n++;
			assert_int_equal(rc, SIFT_EDATA);
			if (strcmp(err.msg, want) != 0)
				fail_msg("%s, %zu records before, next: '%s', "
					 "want '%s'",
					 scan_variants[v], pre, err.msg, want);
			assert_int_equal(n, pre + good_in_tail);
			sift_reader_close(r);

			r = open_with(path, ',', 1, &err);
			assert_non_null(r);
			rc = sift_reader_skip(r, 1000000, &skipped, &err);
			assert_int_equal(rc, SIFT_EDATA);
			if (strcmp(err.msg, want) != 0)
				fail_msg("%s, %zu records before, skip: '%s', "
					 "want '%s'",
					 scan_variants[v], pre, err.msg, want);
			assert_int_equal(skipped, pre + good_in_tail);
			sift_reader_close(r);
		}
		select_best_variant();
		unlink(path);
		free(path);
		free(t.p);
	}
}

static const char quote_msg[] =
	"quote inside an unquoted field (a field with quotes must be "
	"quoted whole, quotes doubled)";
static const char closing_msg[] = "unexpected character after a closing "
				  "quote";
static const char unterminated_msg[] =
	"unterminated quoted field (it runs to the end of the input)";

static void quote_error_on_a_later_line_of_a_record(void **state)
{
	char tail[400];

	(void)state;
	/* The column counts from the quoted newline. */
	expect_message("\"x\ny\",ab\"c\n3,4\n", 0, 2, 6, quote_msg);
	expect_message("3,4\n\"x\ny\"z,1\n", 1, 3, 3, closing_msg);
	expect_message("\"x\n\n\"\"y\",\"\"\"z\"\n\"1\",2,\"\"\"q\"x\n", 1, 4,
		       12, closing_msg);
	/* ... also when the newline is blocks before the error. */
	snprintf(tail, sizeof tail, "\"%070d\n%090d\",1%0100dq\"\n", 0, 0, 0);
	expect_message(tail, 0, 2, 195, quote_msg);
	snprintf(tail, sizeof tail, "\"%070d\n%090d\"%0100d,1\n", 0, 0, 0);
	expect_message(tail, 0, 2, 92, closing_msg);
}

static void quote_error_blocks_after_the_record_starts(void **state)
{
	char tail[400];

	(void)state;
	/* No newline before the error: the column is the offset in the
	 * line, + 1. */
	snprintf(tail, sizeof tail, "%0150d,ab\"c\n", 0);
	expect_message(tail, 0, 1, 154, quote_msg);
	snprintf(tail, sizeof tail, "5,6\n\"%0140d\",\"a,b\"\"c\"%060d\n", 0,
		 0);
	expect_message(tail, 1, 2, 152, closing_msg);
	snprintf(tail, sizeof tail, "\"%0200d\",\"\"\"\"x\n", 0);
	expect_message(tail, 0, 1, 208, closing_msg);
}

static void unterminated_quote_positions(void **state)
{
	(void)state;
	/* The field's opening quote, not the quote it doubles. */
	expect_message("3,\"x\"\"y\n", 0, 1, 3, unterminated_msg);
	expect_message("3,\"x\"\"y\n4,5\n6,7", 0, 1, 3, unterminated_msg);
	expect_message("3,\"\"\"y", 0, 1, 3, unterminated_msg);
	expect_message("1,2\n\"a\"\"b\",\"c\"\"d\n", 1, 2, 8, unterminated_msg);
	expect_message("\"x\ny\",\"z\nw", 0, 2, 4, unterminated_msg);
	expect_message("\"\",\"", 0, 1, 4, unterminated_msg);
}

/* The first record after the header, and nothing else. */
static void unterminated_quote_without_a_newline(void **state)
{
	struct fixture f = { 0 };
	char want[1200];
	uint64_t skipped;

	(void)state;
	expect_message("1,\"xyz", 0, 1, 3, unterminated_msg);
	expect_message("\"x\"\"", 0, 1, 1, unterminated_msg);
	/* Without a header the first record is read at open. */
	f.path = tmpfile_str("1,\"xyz");
	f.r = open_with(f.path, ',', 0, &f.err);
	assert_null(f.r);
	snprintf(want, sizeof want, "%s:1:3: %s", f.path, unterminated_msg);
	assert_string_equal(f.err.msg, want);
	done(&f);
	/* The header itself. */
	f.path = tmpfile_str("a,\"b");
	f.r = open_with(f.path, ',', 1, &f.err);
	assert_null(f.r);
	snprintf(want, sizeof want, "%s:1:3: %s", f.path, unterminated_msg);
	assert_string_equal(f.err.msg, want);
	done(&f);
	/* A lone header line without its newline: no records. */
	open_str(&f, "a,b", 1);
	assert_non_null(f.r);
	assert_int_equal(sift_reader_skip(f.r, 5, &skipped, &f.err), 0);
	assert_int_equal(skipped, 0);
	done(&f);
}

/* ---- without quoting (TSV) -------------------------------------------- */

static struct sift_reader *open_tsv(struct fixture *f, const char *tsv,
				    int header)
{
	struct sift_csv_opts o;

	sift_csv_opts_init(&o);
	o.delim = '\t';
	o.quoting = SIFT_QUOTING_NONE;
	o.header = header;
	f->path = tmpfile_str(tsv);
	f->r = sift_reader_open(f->path, &o, 0, &f->err);
	return f->r;
}

/* A field is the bytes between tabs; a field without a backslash is
 * the record's own bytes, not a copy. */
static void tsv_fields_are_the_bytes_between_tabs(void **state)
{
	struct fixture f = { 0 };
	const struct sift_record *rec;
	const char *s;
	size_t len;

	(void)state;
	assert_non_null(open_tsv(&f, "id\ttext\tn\n1\ta, b\t\n", 1));
	assert_int_equal(sift_reader_ncols(f.r), 3);
	assert_int_equal(sift_reader_quoting(f.r), SIFT_QUOTING_NONE);
	assert_string_equal(sift_reader_colname(f.r, 1), "text");
	assert_int_equal(sift_reader_next(f.r, &rec, &f.err), 0);
	assert_int_equal(rec->line, 2);
	expect_field(&f, 1, "a, b");
	expect_field(&f, 2, "");
	expect_field(&f, 0, "1");
	assert_int_equal(sift_reader_field(f.r, 1, &s, &len, &f.err), 0);
	assert_ptr_equal(s, rec->raw + 2);
	assert_int_equal(sift_reader_field(f.r, 3, &s, &len, &f.err),
			 SIFT_EDATA);
	assert_non_null(strstr(f.err.msg, ":2: no field 4 (the record has 3)"));
	done(&f);
}

/* Quotes are data: where CSV would unquote, fail or read on past a
 * newline, TSV keeps them as they are. */
static void tsv_a_quote_is_a_plain_byte(void **state)
{
	struct fixture f = { 0 };
	const struct sift_record *rec;
	uint64_t skipped;

	(void)state;
	open_tsv(&f,
		 "a\t\"b\"\n"
		 "\"x\"\tsay \"hi\"\n"
		 "\"open\t2\n"
		 "\"\"\"\t\"a\"b\"\n",
		 1);
	assert_string_equal(sift_reader_colname(f.r, 1), "\"b\"");
	assert_int_equal(sift_reader_next(f.r, &rec, &f.err), 0);
	expect_field(&f, 0, "\"x\"");
	expect_field(&f, 1, "say \"hi\"");
	assert_int_equal(sift_reader_next(f.r, &rec, &f.err), 0);
	assert_int_equal(rec->line, 3);
	expect_field(&f, 0, "\"open");
	assert_int_equal(sift_reader_next(f.r, &rec, &f.err), 0);
	expect_field(&f, 0, "\"\"\"");
	expect_field(&f, 1, "\"a\"b\"");
	assert_int_equal(sift_reader_next(f.r, &rec, &f.err), 0);
	assert_null(rec);
	/* Skipped, the same records are counted, with no quote error. */
	assert_int_equal(sift_reader_rewind(f.r, &f.err), 0);
	assert_int_equal(sift_reader_skip(f.r, 10, &skipped, &f.err), 0);
	assert_int_equal(skipped, 3);
	done(&f);
}

/* Each escape Miller and PostgreSQL write decodes; anything else after
 * a backslash is kept. */
static void tsv_escapes_are_decoded(void **state)
{
	static const struct {
		const char *raw, *want;
		size_t want_len;
	} cases[] = {
		{ "a\\tb", "a\tb", 3 },
		{ "a\\nb\\r", "a\nb\r", 4 },
		{ "c:\\\\dir", "c:\\dir", 6 },
		{ "\\\\\\\\", "\\\\", 2 },
		{ "\\b\\f\\v", "\b\f\v", 3 },
		{ "\\101\\x42\\7\\x9", "AB\a\t", 4 },
		{ "\\0z", "\0z", 2 },
		{ "\\777", "\xff", 1 },
		{ "\\1011", "A1", 2 },
		{ "\\x4142", "A42", 3 },
		{ "\\N", "", 0 },
		{ "a\\N", "a\\N", 3 },
		{ "\\N\\N", "\\N\\N", 4 },
		{ "\\q\\x\\xg\\", "\\q\\x\\xg\\", 8 },
		{ "\\\\n", "\\n", 2 },
		{ "\"\\t\"", "\"\t\"", 3 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct fixture f = { 0 };
		const struct sift_record *rec;
		char tsv[128], num[24];
		const char *s;
		size_t len;

		snprintf(tsv, sizeof tsv, "k\tv\n%zu\t%s\n", i, cases[i].raw);
		open_tsv(&f, tsv, 1);
		assert_int_equal(sift_reader_next(f.r, &rec, &f.err), 0);
		/* twice: a field is decoded once, then kept */
		for (int twice = 0; twice < 2; twice++) {
			assert_int_equal(
				sift_reader_field(f.r, 1, &s, &len, &f.err), 0);
			if (len != cases[i].want_len ||
			    memcmp(s, cases[i].want, len) != 0)
				fail_msg("'%s' decodes to '%.*s'", cases[i].raw,
					 (int)len, s);
		}
		snprintf(num, sizeof num, "%zu", i);
		expect_field(&f, 0, num);
		done(&f);
	}
}

/* The header's names are split on tabs and decoded, as fields are. */
static void tsv_header_names_are_decoded(void **state)
{
	struct fixture f = { 0 };
	size_t col;

	(void)state;
	open_tsv(&f, "a\\tb\t\"q\"\tback\\\\slash\t\\N\n1\t2\t3\t4\n", 1);
	assert_int_equal(sift_reader_ncols(f.r), 4);
	assert_string_equal(sift_reader_colname(f.r, 0), "a\tb");
	assert_string_equal(sift_reader_colname(f.r, 1), "\"q\"");
	assert_string_equal(sift_reader_colname(f.r, 2), "back\\slash");
	assert_string_equal(sift_reader_colname(f.r, 3), "");
	assert_int_equal(sift_reader_column(f.r, "a\tb", &col, &f.err), 0);
	assert_int_equal(col, 0);
	assert_int_equal(sift_reader_column(f.r, "\"q\"", &col, &f.err), 0);
	assert_int_equal(col, 1);
	/* The header record itself passes through as it was read. */
	assert_int_equal(sift_reader_header(f.r)->len,
			 strlen("a\\tb\t\"q\"\tback\\\\slash\t\\N"));
	done(&f);
}

/* A CRLF line end is the record's eol, not part of its last field; a
 * blank line (or a lone CR) is skipped; a ragged row is an error. */
static void tsv_crlf_blank_lines_and_ragged_rows(void **state)
{
	struct fixture f = { 0 };
	const struct sift_record *rec;

	(void)state;
	open_tsv(&f, "a\tb\r\n1\tx\"\r\n\r\n\n2\ty\r\n3\tz", 1);
	assert_string_equal(sift_reader_colname(f.r, 1), "b");
	assert_string_equal(sift_reader_header(f.r)->eol, "\r\n");
	assert_int_equal(sift_reader_next(f.r, &rec, &f.err), 0);
	assert_string_equal(rec->eol, "\r\n");
	assert_int_equal(rec->len, 4);
	expect_field(&f, 1, "x\"");
	assert_int_equal(sift_reader_next(f.r, &rec, &f.err), 0);
	assert_int_equal(rec->line, 5);
	expect_field(&f, 1, "y");
	assert_int_equal(sift_reader_next(f.r, &rec, &f.err), 0);
	assert_string_equal(rec->eol, "");
	expect_field(&f, 1, "z");
	done(&f);
	/* A CR inside a line is a lone CR: an error (TSV escapes it). */
	open_tsv(&f, "a\tb\n1\tx\ry\n", 1);
	expect_error(&f, ":2:4: a carriage return without a line feed");
	done(&f);
	open_tsv(&f, "a\tb\n1\t2\n\"1\n2\"\t4\n", 1);
	expect_error(&f, ":3: ragged row: 1 fields, the header has 2: "
			 "no column 'b' (2)");
	done(&f);
	open_tsv(&f, "a\tb\n1\t2\t3\n", 1);
	expect_error(&f, ":2: ragged row: 3 fields, the header has 2: "
			 "field 3 is past column 'b' (2)");
	done(&f);
	/* Without a header the first record sets the width. */
	open_tsv(&f, "1\t\"2\n3\t4\n5\n", 0);
	assert_non_null(f.r);
	assert_int_equal(sift_reader_ncols(f.r), 2);
	expect_error(&f, ":3: ragged row: 1 fields, the first record has 2: "
			 "no column 2");
	done(&f);
}

/* No delimiter can also start the escapes; a long record's message does
 * not blame a quote. */
static void tsv_options_and_limits(void **state)
{
	struct fixture f = { 0 };
	struct sift_csv_opts o;
	const struct sift_record *rec;
	char *tsv = malloc((2u << 20) + 16);
	pid_t child;

	(void)state;
	sift_csv_opts_init(&o);
	o.delim = '\\';
	o.quoting = SIFT_QUOTING_NONE;
	f.path = tmpfile_str("a\\b\n");
	assert_null(sift_reader_open(f.path, &o, 0, &f.err));
	assert_int_equal(f.err.code, SIFT_EUSAGE);
	assert_string_equal(
		f.err.msg,
		"delimiter: a backslash cannot delimit fields without "
		"quoting (tsv, no_quote): it starts the "
		"escapes \\t, \\n, \\\\");
	done(&f);
	/* Another delimiter without quoting reads as TSV does. */
	o.delim = '|';
	f.path = tmpfile_str("a|b\n\"x|y\\x7c\\tz\n");
	f.r = sift_reader_open(f.path, &o, 0, &f.err);
	assert_non_null(f.r);
	assert_int_equal(sift_reader_next(f.r, &rec, &f.err), 0);
	expect_field(&f, 0, "\"x");
	expect_field(&f, 1, "y|\tz");
	done(&f);

	o.delim = '\t';
	o.max_record = 1u << 20;
	memcpy(tsv, "a\tb\n1\t", 6);
	memset(tsv + 6, '"', 2u << 20);
	f = (struct fixture){ 0 };
	f.r = open_bytes(tsv, 6 + (2u << 20), &o, 0, &f, &child);
	assert_non_null(f.r);
	assert_int_equal(sift_reader_next(f.r, &rec, &f.err), SIFT_EDATA);
	if (!strstr(f.err.msg, ":2: record longer than 1 MiB") ||
	    strstr(f.err.msg, "quote"))
		fail_msg("%s", f.err.msg);
	done(&f);
	free(tsv);
}

/* Random TSV of about size bytes (fields of letters, quotes, CRs and
 * the escapes, now and then one of 300 to 600 KB, longer than the room
 * kept before a chunk read ahead), and for each record the line it
 * starts on and the length and byte sum of its decoded field 2. */
struct tsv_model {
	struct text t;
	size_t n;
	uint64_t *line, *len, *sum;
};

static void gen_tsv(struct tsv_model *m, uint64_t seed, size_t size)
{
	static const char *const escapes[] = { "\\t",   "\\n",   "\\r", "\\\\",
					       "\\x41", "\\101", "\\q" };
	static const char decoded[] = "\t\n\r\\AA\\";
	struct sift_rng rng;
	size_t cap = 1024;
	uint64_t line = 2;

	sift_rng_seed(&rng, seed);
	memset(m, 0, sizeof *m);
	m->line = malloc(cap * sizeof *m->line);
	m->len = malloc(cap * sizeof *m->len);
	m->sum = malloc(cap * sizeof *m->sum);
	tputs(&m->t, "k\tv\tw\n");
	while (m->t.len < size) {
		size_t n = sift_rng_below(&rng, 3000) == 0
				   ? 300000 + sift_rng_below(&rng, 300000)
				   : sift_rng_below(&rng, 150);
		uint64_t len = 0, sum = 0;
		char num[24];

		if (m->n == cap) {
			cap *= 2;
			m->line = realloc(m->line, cap * sizeof *m->line);
			m->len = realloc(m->len, cap * sizeof *m->len);
			m->sum = realloc(m->sum, cap * sizeof *m->sum);
		}
		if (sift_rng_below(&rng, 50) == 0) { /* a blank line */
			tputs(&m->t, "\n");
			line++;
		}
		snprintf(num, sizeof num, "%zu\t", m->n);
		tputs(&m->t, num);
		for (size_t i = 0; i < n; i++) {
			uint64_t k = sift_rng_below(&rng, 16);
			char c = "ab\"|xyz \"0123456"[k]; /* a raw CR is an
							     error */

			if (k == 15) {
				size_t e = sift_rng_below(&rng, 7);

				tputs(&m->t, escapes[e]);
				sum += (unsigned char)decoded[e];
				len++;
				if (e == 6) { /* \q is kept whole */
					sum += 'q';
					len++;
				}
				continue;
			}
			tput(&m->t, c);
			sum += (unsigned char)c;
			len++;
		}
		tputs(&m->t, sift_rng_below(&rng, 4) ? "\tw\n" : "\tw\r\n");
		m->line[m->n] = line++;
		m->len[m->n] = len;
		m->sum[m->n++] = sum;
	}
}

/* Records that span the refills of the buffer, from a file read ahead
 * and from a pipe, read record by record and in strides of skips. */
static void tsv_records_across_refills(void **state)
{
	struct tsv_model m;
	struct sift_csv_opts o;

	(void)state;
	gen_tsv(&m, 7, 9u << 20);
	assert_true(m.n > 30000);
	sift_csv_opts_init(&o);
	o.delim = '\t';
	o.quoting = SIFT_QUOTING_NONE;
	for (int from_pipe = 0; from_pipe < 2; from_pipe++) {
		for (int strides = 0; strides < 2; strides++) {
			struct fixture f = { 0 };
			const struct sift_record *rec;
			struct sift_rng rng;
			pid_t child;
			size_t i = 0;

			sift_rng_seed(&rng, 11);
			f.r = open_bytes(m.t.p, m.t.len, &o, from_pipe, &f,
					 &child);
			assert_non_null(f.r);
			for (;;) {
				const char *s;
				size_t len;
				uint64_t sum = 0, skipped = 0;

				if (strides)
					assert_int_equal(
						sift_reader_skip(
							f.r,
							sift_rng_below(&rng,
								       40),
							&skipped, &f.err),
						0);
				i += skipped;
				assert_int_equal(
					sift_reader_next(f.r, &rec, &f.err), 0);
				if (!rec)
					break;
				assert_true(i < m.n);
				assert_int_equal(rec->line, m.line[i]);
				assert_int_equal(sift_reader_field(f.r, 1, &s,
								   &len,
								   &f.err),
						 0);
				for (size_t j = 0; j < len; j++)
					sum += (unsigned char)s[j];
				assert_int_equal(len, m.len[i]);
				assert_int_equal(sum, m.sum[i]);
				expect_field(&f, 2, "w");
				i++;
			}
			assert_int_equal(i, m.n);
			sift_reader_close(f.r);
			f.r = NULL;
			if (child > 0)
				waitpid(child, NULL, 0);
			done(&f);
		}
	}
	free(m.t.p);
	free(m.line);
	free(m.len);
	free(m.sum);
}

/* ---- the writer in each dialect --------------------------------------- */

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = malloc(1 << 20);

	assert_non_null(fp);
	*len = fread(buf, 1, 1 << 20, fp);
	fclose(fp);
	return buf;
}

/* Without quoting nothing is quoted; a tab, LF, CR and backslash are
 * escaped, and a delimiter other than a tab as \xHH. */
static void writer_escapes_without_quoting(void **state)
{
	char path[] = "/tmp/sift-unit-w-XXXXXX";
	struct sift_error err;
	struct sift_writer *w;
	size_t len;
	char *got;

	(void)state;
	close(mkstemp(path));
	w = sift_writer_open(path, &err);
	assert_non_null(w);
	sift_writer_set_quoting(w, SIFT_QUOTING_NONE);
	assert_int_equal(sift_writer_value(w, '\t', "a\tb", 3, &err), 0);
	assert_int_equal(sift_writer_field(w, '\t', "say \"hi\", x", 11, &err),
			 0);
	assert_int_equal(sift_writer_field(w, '\t', "l1\nl2\r\\", 7, &err), 0);
	assert_int_equal(sift_writer_field(w, '\t', "", 0, &err), 0);
	assert_int_equal(sift_writer_double(w, '\t', 0.25, &err), 0);
	assert_int_equal(sift_writer_puts(w, "\n", &err), 0);
	assert_int_equal(sift_writer_value(w, '|', "x|y\tz", 5, &err), 0);
	assert_int_equal(sift_writer_field(w, '|', "\"|\"", 3, &err), 0);
	assert_int_equal(sift_writer_puts(w, "\n", &err), 0);
	/* Set back, CSV quotes again. */
	sift_writer_set_quoting(w, SIFT_QUOTING_CSV);
	assert_int_equal(sift_writer_value(w, '\t', "a\tb", 3, &err), 0);
	assert_int_equal(sift_writer_field(w, '\t', "q\"\\", 3, &err), 0);
	assert_int_equal(sift_writer_value(w, ',', "plain", 5, &err), 0);
	assert_int_equal(sift_writer_close(w, &err), 0);
	got = slurp(path, &len);
	static const char want[] =
		"a\\tb\tsay \"hi\", x\tl1\\nl2\\r\\\\\t\t0.25\n"
		"x\\x7cy\\tz|\"\\x7c\"\n"
		"\"a\tb\"\t\"q\"\"\\\"plain";
	if (len != sizeof want - 1 || memcmp(got, want, len) != 0)
		fail_msg("wrote '%.*s'", (int)len, got);
	free(got);
	unlink(path);
}

/* Any bytes written as fields without quoting read back the same
 * through a TSV reader, with a tab or another delimiter. */
static void writer_and_reader_round_trip_without_quoting(void **state)
{
	static const char alphabet[] = "\t\n\r\\\"|,ab\\N0x7";
	char path[] = "/tmp/sift-unit-w-XXXXXX";
	char values[400][24];
	size_t lens[400];
	struct sift_rng rng;

	(void)state;
	sift_rng_seed(&rng, 3);
	for (size_t i = 0; i < 400; i++) {
		lens[i] = sift_rng_below(&rng, 24);
		for (size_t j = 0; j < lens[i]; j++)
			values[i][j] = alphabet[sift_rng_below(
				&rng, sizeof alphabet - 1)];
	}
	for (int pass = 0; pass < 2; pass++) {
		char delim = pass ? '|' : '\t';
		struct sift_csv_opts o;
		struct sift_error err;
		struct sift_writer *w;
		struct fixture f = { 0 };
		const struct sift_record *rec;

		close(mkstemp(path));
		w = sift_writer_open(path, &err);
		sift_writer_set_quoting(w, SIFT_QUOTING_NONE);
		for (size_t i = 0; i < 400; i += 4) {
			sift_writer_value(w, delim, values[i], lens[i], &err);
			for (size_t k = 1; k < 4; k++)
				sift_writer_field(w, delim, values[i + k],
						  lens[i + k], &err);
			sift_writer_puts(w, "\n", &err);
		}
		assert_int_equal(sift_writer_close(w, &err), 0);
		sift_csv_opts_init(&o);
		o.delim = delim;
		o.quoting = SIFT_QUOTING_NONE;
		o.header = 0;
		f.r = sift_reader_open(path, &o, 0, &f.err);
		assert_non_null(f.r);
		for (size_t i = 0; i < 400; i += 4) {
			assert_int_equal(sift_reader_next(f.r, &rec, &f.err),
					 0);
			assert_non_null(rec);
			for (size_t k = 0; k < 4; k++) {
				const char *s;
				size_t n;

				assert_int_equal(sift_reader_field(f.r, k, &s,
								   &n, &f.err),
						 0);
				/* \N alone is PostgreSQL's NULL: written as
				 * \\N, it reads back as itself */
				if (n != lens[i + k] ||
				    memcmp(s, values[i + k], n) != 0)
					fail_msg("'%.*s' read back as '%.*s'",
						 (int)lens[i + k],
						 values[i + k], (int)n, s);
			}
		}
		assert_int_equal(sift_reader_next(f.r, &rec, &f.err), 0);
		assert_null(rec);
		sift_reader_close(f.r);
		unlink(path);
	}
}

/* A CR outside quotes ends a line only before a LF: lone-CR line ends
 * are refused, not read as one header line; so is a CR in an unquoted
 * field, in a record read or passed over, at a block's end or the
 * input's. A quoted CR is data. */
static void lone_cr_is_an_error(void **state)
{
	struct fixture f = { 0 };
	const struct sift_record *rec;
	char buf[256];
	uint64_t skipped;

	(void)state;
	/* lone-CR line ends: the header itself */
	assert_null(open_str(&f, "id,text,label\r1,a,1\r2,b,0\r", 1));
	assert_non_null(strstr(f.err.msg, ":1:14: a carriage return without "
					  "a line feed after it"));
	done(&f);
	/* in an unquoted field */
	open_str(&f, "a,b\n1,x\ry\n", 1);
	expect_error(&f, ":2:4: a carriage return without a line feed");
	done(&f);
	/* the last byte of the input */
	open_str(&f, "a,b\n1,x\r", 1);
	expect_error(&f, ":2:4: a carriage return without a line feed");
	done(&f);
	/* quoted, and CRLF: data and a line end */
	open_str(&f, "a,b\r\n1,\"x\ry\"\r\n", 1);
	assert_int_equal(sift_reader_next(f.r, &rec, &f.err), 0);
	expect_field(&f, 1, "x\ry");
	assert_string_equal(rec->eol, "\r\n");
	done(&f);
	/* the last byte of a 64-byte block, then LF or not */
	for (int lf = 0; lf < 2; lf++) {
		char field[58];
		memset(field, 'x', 57);
		field[57] = '\0';
		int n = snprintf(buf, sizeof buf, "a,b\n1,%s\r%s2,z\n", field,
				 lf ? "\n" : "y\n");

		assert_int_equal(buf[63], '\r');
		assert_true(n > 64);
		open_str(&f, buf, 1);
		if (lf) {
			assert_int_equal(sift_reader_next(f.r, &rec, &f.err),
					 0);
			assert_string_equal(rec->eol, "\r\n");
			assert_int_equal(sift_reader_next(f.r, &rec, &f.err),
					 0);
			expect_field(&f, 1, "z");
		} else {
			expect_error(&f, ":2:60: a carriage return without");
		}
		done(&f);
	}
	/* passed over by the skip loop */
	{
		size_t cap = 1 << 20, len = 0;
		char *big = malloc(cap);

		assert_non_null(big);
		len += (size_t)snprintf(big + len, cap - len, "a,b\n");
		for (int i = 0; i < 20000; i++)
			len += (size_t)snprintf(big + len, cap - len,
						"%d,xyz\n", i);
		len += (size_t)snprintf(big + len, cap - len, "7,a\rb\n");
		for (int i = 0; i < 20000; i++)
			len += (size_t)snprintf(big + len, cap - len,
						"%d,xyz\n", i);
		open_str(&f, big, 1);
		free(big);
		assert_int_equal(
			sift_reader_skip(f.r, UINT64_MAX, &skipped, &f.err),
			SIFT_EDATA);
		assert_non_null(strstr(f.err.msg, ":20002:4: a carriage "
						  "return without"));
		done(&f);
	}
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
		cmocka_unit_test(records_longer_than_the_limit),
		cmocka_unit_test(a_failed_rewind_fails_later_reads),
		cmocka_unit_test(stress_against_a_model),
		cmocka_unit_test(rewind_a_pipe_through_the_spool),
		cmocka_unit_test(missing_file),
		cmocka_unit_test(splitter_agrees_with_libcsv),
		cmocka_unit_test(fields_of_wide_records),
		cmocka_unit_test(carriage_return_after_a_quote_at_a_block_end),
		cmocka_unit_test(skip_lands_where_next_does),
		cmocka_unit_test(skip_lands_where_next_does_across_refills),
		cmocka_unit_test(skip_lands_where_next_does_from_a_pipe),
		cmocka_unit_test(quote_error_on_a_later_line_of_a_record),
		cmocka_unit_test(quote_error_blocks_after_the_record_starts),
		cmocka_unit_test(unterminated_quote_positions),
		cmocka_unit_test(unterminated_quote_without_a_newline),
		cmocka_unit_test(tsv_fields_are_the_bytes_between_tabs),
		cmocka_unit_test(tsv_a_quote_is_a_plain_byte),
		cmocka_unit_test(tsv_escapes_are_decoded),
		cmocka_unit_test(tsv_header_names_are_decoded),
		cmocka_unit_test(tsv_crlf_blank_lines_and_ragged_rows),
		cmocka_unit_test(lone_cr_is_an_error),
		cmocka_unit_test(tsv_options_and_limits),
		cmocka_unit_test(tsv_records_across_refills),
		cmocka_unit_test(writer_escapes_without_quoting),
		cmocka_unit_test(writer_and_reader_round_trip_without_quoting),
	};

	return cmocka_run_group_tests_name("reader", tests, NULL, NULL);
}
