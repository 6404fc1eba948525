/*
 * examples/libsift/classes.c - a C program on libsift: the records of
 * a CSV file (plain or gzip) counted by the value of a column or of a
 * value expression, as `sift sample -m quota --per-stratum 0 -v` counts
 * strata, in a dozen calls. Built against an installed libsift:
 *
 *     cc $(pkg-config --cflags sift) classes.c $(pkg-config --libs sift)
 *     ./a.out tweets.csv.gz 'yearmonth(created_at)'
 */
#include <stdio.h>
#include <stdlib.h>

#include <sift/colexpr.h>
#include <sift/intern.h>
#include <sift/reader.h>
#include <sift/version.h>

static int count(const char *path, const char *spec)
{
	struct sift_error err = { 0, "" };
	struct sift_reader *r = sift_reader_open(path, NULL, 0, &err);
	struct sift_intern *classes = sift_intern_new();
	struct sift_colexpr *col = NULL;
	const struct sift_record *rec;
	uint64_t *n = NULL;
	size_t cap = 0, id;
	int rc = r ? 0 : err.code;

	if (!classes)
		rc = sift_error_nomem(&err);
	if (!rc)
		rc = sift_colexpr_open(r, spec, "COL", &col, &err);
	while (!rc && !(rc = sift_reader_next(r, &rec, &err)) && rec) {
		const char *s;
		size_t len;

		rc = sift_colexpr_get(r, rec, col, &s, &len, &err);
		if (!rc && sift_intern_add(classes, s, len, &id))
			rc = sift_error_nomem(&err);
		if (!rc && id >= cap) {
			size_t more = 2 * id + 16;
			uint64_t *p = realloc(n, more * sizeof *n);

			if (!p) {
				rc = sift_error_nomem(&err);
				break;
			}
			for (n = p; cap < more; cap++)
				n[cap] = 0;
		}
		if (!rc)
			n[id]++;
	}
	for (size_t k = 0; !rc && k < sift_intern_count(classes); k++) {
		size_t len;
		const char *s = sift_intern_str(classes, k, &len);

		printf("%.*s\t%llu\n", (int)len, s, (unsigned long long)n[k]);
	}
	if (rc)
		fprintf(stderr, "classes: %s\n", err.msg);
	free(n);
	sift_colexpr_free(col);
	sift_intern_free(classes);
	sift_reader_close(r);
	return sift_exit_status(rc);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: classes FILE COL (libsift %s)\n",
			sift_version());
		return 2;
	}
	return count(argv[1], argv[2]);
}
