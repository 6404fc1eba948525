/* lib/writer.c - buffered, checked, atomic output (see sift/writer.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "sift/writer.h"

#define WRITE_BUF ((size_t)256 << 10)

struct sift_writer {
	int fd;
	gzFile gz;  /* for a .gz name */
	char *path; /* the final name, NULL for stdout */
	char *tmp;  /* the temporary beside it */
	char *buf;
	size_t len;
	int special; /* fd is a device or FIFO opened in place */
	enum sift_quoting quoting;
	int failed;    /* sticky error code */
	double last_x; /* the last number written, and its text */
	char last_num[40];
	size_t last_len;
	char failmsg[256];
};

static int fail(struct sift_writer *w, int code, const char *what,
		struct sift_error *err)
{
	if (!w->failed) {
		w->failed = code;
		snprintf(w->failmsg, sizeof w->failmsg, "%s: %s",
			 w->path ? w->path : "stdout", what);
	}
	return sift_error_set(err, w->failed, "%s", w->failmsg);
}

/* Write n bytes at p to the file or stream, bypassing the buffer. */
static int write_out(struct sift_writer *w, const char *p, size_t n,
		     struct sift_error *err)
{
	if (w->failed)
		return sift_error_set(err, w->failed, "%s", w->failmsg);
	while (w->gz && n > 0) {
		/* gzwrite takes an unsigned count: at most 1 GiB a call. */
		unsigned chunk = n > (1u << 30) ? 1u << 30 : (unsigned)n;

		if (gzwrite(w->gz, p, chunk) == 0) {
			int errnum;
			const char *msg = gzerror(w->gz, &errnum);

			return fail(w, SIFT_EIO,
				    errnum == Z_ERRNO ? strerror(errno) : msg,
				    err);
		}
		p += chunk;
		n -= chunk;
	}
	if (w->gz)
		return 0;
	while (n > 0) {
		ssize_t k = write(w->fd, p, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0 && errno == EPIPE)
			return fail(w, SIFT_EPIPE, "broken pipe", err);
		if (k < 0) {
			char what[128];

			snprintf(what, sizeof what, "write error: %s",
				 strerror(errno));
			return fail(w, SIFT_EIO, what, err);
		}
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

static int flush(struct sift_writer *w, struct sift_error *err)
{
	int rc = write_out(w, w->buf, w->len, err);

	w->len = 0;
	return rc;
}

/* Whether name (in the output's directory) is a temporary of an output
 * named base that a process no longer running left behind: a run killed
 * before its rename. ".BASE.PID." and mkstemp's six characters, PID not ours
 * and not alive. */
static int stale_temporary(const char *name, const char *base, size_t blen)
{
	const char *p = name + 1 + blen + 1;
	char *end;
	long pid;

	if (name[0] != '.' || strncmp(name + 1, base, blen) != 0 ||
	    name[1 + blen] != '.' || *p < '1' || *p > '9')
		return 0;
	errno = 0;
	pid = strtol(p, &end, 10);
	if (errno || *end != '.' || strlen(end + 1) != 6 ||
	    pid == (long)getpid())
		return 0;
	return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

/* Remove what runs that were killed while writing path left beside it
 * (see sift(1), OUTPUT): their outputs never appeared. */
static void remove_stale(const char *dir, size_t dirlen, const char *base)
{
	char dirname[4096], victim[4096 + 256];
	size_t blen = strlen(base);
	DIR *d;
	struct dirent *e;

	if (dirlen >= sizeof dirname)
		return;
	snprintf(dirname, sizeof dirname, "%.*s", (int)dirlen,
		 dirlen ? dir : ".");
	if (!(d = opendir(dirname)))
		return;
	while ((e = readdir(d)))
		if (stale_temporary(e->d_name, base, blen) &&
		    snprintf(victim, sizeof victim, "%s/%s", dirname,
			     e->d_name) < (int)sizeof victim)
			unlink(victim);
	closedir(d);
}

static int open_file(struct sift_writer *w, const char *path,
		     struct sift_error *err)
{
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	size_t cap = strlen(path) + 40;

	w->fd = -1; /* not stdout, whatever fails below */
	w->path = strdup(path);
	w->tmp = malloc(cap);
	if (!w->path || !w->tmp)
		return sift_error_nomem(err);
	/* Mode 0600 until it is whole: the rename gives it its mode. */
	snprintf(w->tmp, cap, "%.*s.%s.%ld.XXXXXX", (int)dirlen, path,
		 path + dirlen, (long)getpid());
	w->fd = mkstemp(w->tmp);
	if (w->fd < 0)
		return sift_error_set(err, SIFT_EIO, "%s: cannot create: %s",
				      path, strerror(errno));
	remove_stale(path, dirlen, path + dirlen);
	size_t n = strlen(path);
	if (n > 3 && strcmp(path + n - 3, ".gz") == 0) {
		w->gz = gzdopen(w->fd, "wb6");
		if (!w->gz)
			return sift_error_nomem(err);
	}
	return 0;
}

/* A path that names a device, a FIFO or a socket (/dev/null, /dev/stdout,
 * a named pipe) is written in place: renaming a file over it would
 * replace the device. */
static int open_special(struct sift_writer *w, const char *path,
			struct sift_error *err)
{
	w->fd = -1;
	w->path = strdup(path);
	if (!w->path)
		return sift_error_nomem(err);
	w->fd = open(path, O_WRONLY);
	if (w->fd < 0)
		return sift_error_set(err, SIFT_EIO, "%s: cannot open: %s",
				      path, strerror(errno));
	w->special = 1;
	return 0;
}

struct sift_writer *sift_writer_open(const char *path, struct sift_error *err)
{
	struct sift_writer *w = calloc(1, sizeof *w);
	struct stat st;
	int rc = 0;

	if (!w || !(w->buf = malloc(WRITE_BUF))) {
		free(w);
		sift_error_nomem(err);
		return NULL;
	}
	w->fd = STDOUT_FILENO;
	if (path && strcmp(path, "-") != 0) {
		if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) &&
		    !S_ISDIR(st.st_mode))
			rc = open_special(w, path, err);
		else
			rc = open_file(w, path, err);
	}
	if (rc) {
		sift_writer_discard(w);
		return NULL;
	}
	return w;
}

int sift_writer_write(struct sift_writer *w, const void *p, size_t n,
		      struct sift_error *err)
{
	if (w->len + n > WRITE_BUF) {
		int rc = flush(w, err);

		if (rc)
			return rc;
		if (n > WRITE_BUF)
			return write_out(w, p, n, err);
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
	return w->failed ? sift_error_set(err, w->failed, "%s", w->failmsg) : 0;
}

int sift_writer_puts(struct sift_writer *w, const char *s,
		     struct sift_error *err)
{
	return sift_writer_write(w, s, strlen(s), err);
}

void sift_writer_set_quoting(struct sift_writer *w, enum sift_quoting quoting)
{
	if (w)
		w->quoting = quoting;
}

/* RFC 4180: quoted whole, quotes doubled, where it must be. */
static int write_quoted(struct sift_writer *w, char delim, const char *s,
			size_t len, struct sift_error *err)
{
	int rc;

	if (!sift_csv_needs_quotes(delim, s, len))
		return sift_writer_write(w, s, len, err);
	rc = sift_writer_write(w, "\"", 1, err);
	while (!rc && len) {
		const char *q = memchr(s, '"', len);
		size_t n = q ? (size_t)(q - s) + 1 : len;

		rc = sift_writer_write(w, s, n, err);
		if (!rc && q)
			rc = sift_writer_write(w, "\"", 1, err);
		s += n;
		len -= n;
	}
	return rc ? rc : sift_writer_write(w, "\"", 1, err);
}

/* Without quoting: the runs between bytes to escape as they are, each
 * of those as its escape. */
static int write_escaped(struct sift_writer *w, char delim, const char *s,
			 size_t len, struct sift_error *err)
{
	size_t run = 0;
	int rc = 0;

	for (size_t i = 0; !rc && i < len; i++) {
		char esc[4];
		size_t n = sift_tsv_escape((unsigned char)s[i], delim, esc);

		if (!n)
			continue;
		rc = sift_writer_write(w, s + run, i - run, err);
		if (!rc)
			rc = sift_writer_write(w, esc, n, err);
		run = i + 1;
	}
	return rc ? rc : sift_writer_write(w, s + run, len - run, err);
}

int sift_writer_value(struct sift_writer *w, char delim, const char *s,
		      size_t len, struct sift_error *err)
{
	if (w->quoting == SIFT_QUOTING_NONE)
		return write_escaped(w, delim, s, len, err);
	return write_quoted(w, delim, s, len, err);
}

int sift_writer_field(struct sift_writer *w, char delim, const char *s,
		      size_t len, struct sift_error *err)
{
	int rc = sift_writer_write(w, &delim, 1, err);

	return rc ? rc : sift_writer_value(w, delim, s, len, err);
}

int sift_writer_printf(struct sift_writer *w, struct sift_error *err,
		       const char *fmt, ...)
{
	char small[512], *big = NULL;
	const char *buf = small;
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return sift_error_set(err, SIFT_EIO, "cannot format output");
	if ((size_t)n >= sizeof small) {
		big = malloc((size_t)n + 1);
		if (!big)
			return sift_error_nomem(err);
		va_start(ap, fmt);
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		va_end(ap);
		buf = big;
	}
	rc = sift_writer_write(w, buf, (size_t)n, err);
	free(big);
	return rc;
}

void sift_format_double(char *buf, size_t size, double x)
{
	if (isnan(x)) {
		snprintf(buf, size, "nan");
		return;
	}
	if (isinf(x)) {
		snprintf(buf, size, x > 0 ? "inf" : "-inf");
		return;
	}
	/* 15 significant digits print most numbers at their shortest;
	 * 17 always read back exactly. */
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, x);
		if (strtod(buf, NULL) == x)
			return;
	}
}

int sift_writer_double(struct sift_writer *w, char delim, double x,
		       struct sift_error *err)
{
	/* Columns of weights repeat the same few values: format each once. */
	if (!w->last_len || memcmp(&w->last_x, &x, sizeof x) != 0) {
		sift_format_double(w->last_num, sizeof w->last_num, x);
		w->last_len = strlen(w->last_num);
		w->last_x = x;
	}
	return sift_writer_field(w, delim, w->last_num, w->last_len, err);
}

static void release(struct sift_writer *w)
{
	free(w->buf);
	free(w->path);
	free(w->tmp);
	free(w);
}

int sift_writer_close(struct sift_writer *w, struct sift_error *err)
{
	int rc;

	if (!w)
		return 0;
	rc = flush(w, err);
	if (w->special) {
		if (close(w->fd) != 0 && !rc)
			rc = sift_error_set(err, SIFT_EIO, "%s",
					    strerror(errno));
		release(w);
		return rc;
	}
	if (!w->path) {
		release(w);
		return rc;
	}
	if (!rc && w->gz) {
		int zrc = gzclose(w->gz);

		w->gz = NULL;
		w->fd = -1;
		if (zrc == Z_ERRNO) {
			/* the last of the stream failed to be written */
			char what[128];

			snprintf(what, sizeof what, "write error: %s",
				 strerror(errno));
			rc = fail(w, SIFT_EIO, what, err);
		} else if (zrc != Z_OK) {
			rc = fail(w, SIFT_EIO, "cannot finish the gzip stream",
				  err);
		}
	}
	/* No fsync: the rename makes the output appear whole or not at
	 * all to other processes, which is the promise; surviving a power
	 * cut is the file system's business, as for cp and sort -o. */
	if (!rc && w->fd >= 0 && close(w->fd) != 0) {
		w->fd = -1;
		rc = fail(w, SIFT_EIO, strerror(errno), err);
	}
	w->fd = -1;
	if (!rc) {
		mode_t mask = umask(0);

		umask(mask);
		if (chmod(w->tmp, 0666 & ~mask) != 0)
			rc = fail(w, SIFT_EIO, strerror(errno), err);
	}
	if (!rc && rename(w->tmp, w->path) != 0)
		rc = fail(w, SIFT_EIO, strerror(errno), err);
	if (rc) {
		sift_writer_discard(w);
		return rc;
	}
	release(w);
	return 0;
}

void sift_writer_discard(struct sift_writer *w)
{
	if (!w)
		return;
	if (w->gz)
		gzclose(w->gz);
	else if ((w->path || w->special) && w->fd >= 0)
		close(w->fd);
	if (w->tmp && w->path && !w->special)
		unlink(w->tmp);
	release(w);
}
