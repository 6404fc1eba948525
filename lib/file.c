/*
 * lib/file.c - reading a small file whole, and spools (see sift/file.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sift/file.h"
#include "sift/mem.h"

char *sift_read_small_file(const char *path, size_t max, const char *what,
			   size_t *len, struct sift_error *err)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (!f) {
		sift_error_set(err, SIFT_EIO, "%s: cannot open: %s", path,
			       strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		sift_error_set(err, SIFT_EUSAGE, "%s: a directory, not a %s",
			       path, what);
		goto fail;
	}
	do {
		if (n > max) {
			sift_error_set(err, SIFT_EUSAGE,
				       "%s: larger than %zu MiB: not a %s",
				       path, max >> 20, what);
			goto fail;
		}
		/* at least 4096 bytes of room for each read, and the NUL */
		if (sift_grow(&buf, &cap, n + 4097, 1, 8192)) {
			sift_error_nomem(err);
			goto fail;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
	} while (got);
	if (ferror(f)) {
		sift_error_set(err, SIFT_EIO, "%s: read error: %s", path,
			       strerror(errno));
		goto fail;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
fail:
	free(buf);
	fclose(f);
	return NULL;
}

FILE *sift_spool_file(const char *prefix)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	int fd;
	FILE *f;

	if (!dir || !*dir)
		dir = "/tmp";
	if (snprintf(path, sizeof path, "%s/%s-XXXXXX", dir, prefix) >=
	    (int)sizeof path) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	unlink(path);
	f = fdopen(fd, "w+b");
	if (!f)
		close(fd);
	return f;
}
