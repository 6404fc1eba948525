/*
 * tests/unit/testutil.h - small helpers shared by the unit tests:
 * temporary files and the chi-square bound the statistical tests use.
 */
#ifndef SIFT_TESTUTIL_H
#define SIFT_TESTUTIL_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Write len bytes to a new temporary file; returns its malloc'ed path. */
static inline char *tmpfile_with(const void *data, size_t len)
{
	char *path = strdup("/tmp/sift-unit-XXXXXX");
	int fd = mkstemp(path);

	if (fd < 0 || write(fd, data, len) != (ssize_t)len)
		abort();
	close(fd);
	return path;
}

static inline char *tmpfile_str(const char *s)
{
	return tmpfile_with(s, strlen(s));
}

/* The upper 0.1% point of the chi-square distribution with df degrees
 * of freedom (Wilson and Hilferty 1931): a fixed-seed statistical test
 * that passes is then a real check, and fails by chance once in 1000
 * seeds. */
static inline double chi2_crit(double df)
{
	const double z = 3.0902; /* the standard normal's 0.999 quantile */
	double a = 2.0 / (9.0 * df);

	return df * pow(1.0 - a + z * sqrt(a), 3.0);
}

/* Pearson's statistic of observed counts against expected ones. */
static inline double chi2_stat(const double *observed, const double *expected,
			       size_t k)
{
	double x = 0;

	for (size_t i = 0; i < k; i++) {
		double d = observed[i] - expected[i];

		x += d * d / expected[i];
	}
	return x;
}

#endif
