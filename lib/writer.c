/* lib/writer.c - buffered, checked, atomic output (see sift/writer.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
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
	gzFile gz;    /* for a .gz name */
	char *path;   /* the name given, for messages; NULL for stdout */
	char *target; /* the file renamed over: path, its links followed */
	char *tmp;    /* the temporary beside target, while it exists */
	int replace;  /* target exists: its permissions are mode's */
	mode_t mode;
	struct sift_writer *volatile next_live; /* see live below */
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

/* The file writers whose temporary exists, newest first. Each change
 * of the list is one store of a pointer, made after the writer it
 * publishes is whole, so a signal handler that interrupts the change
 * (see sift_writer_remove_temporaries) walks a whole list. */
static struct sift_writer *volatile live;

static void live_add(struct sift_writer *w)
{
	w->next_live = live;
	atomic_signal_fence(memory_order_seq_cst);
	live = w;
}

static void live_remove(struct sift_writer *w)
{
	for (struct sift_writer *volatile *pp = &live; *pp;
	     pp = &(*pp)->next_live)
		if (*pp == w) {
			*pp = w->next_live;
			return;
		}
}

void sift_writer_remove_temporaries(void)
{
	for (struct sift_writer *w = live; w; w = w->next_live)
		unlink(w->tmp);
}

/* Where the bytes of -o PATH go (sift(1), OUTPUT). */
struct target {
	char file[4096]; /* the file to create or replace, or to open */
	int fd;          /* >= 0: PATH names this open descriptor */
	int in_place;    /* a device, FIFO or socket: opened, never replaced */
	int exists;      /* file exists: mode holds its permissions */
	mode_t mode;
};

/* The descriptor that name stands for, as a shell's redirections read
 * it: /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N. Opening
 * such a name gives a new open file description (at offset 0, without
 * O_APPEND), and renaming over it would replace /dev/stdout itself, so
 * the descriptor is written instead. -1 for any other name. */
static int descriptor_name(const char *name)
{
	static const char *const dirs[] = { "/dev/fd/", "/proc/self/fd/" };
	char *end;
	long fd;

	if (strcmp(name, "/dev/stdout") == 0)
		return STDOUT_FILENO;
	if (strcmp(name, "/dev/stderr") == 0)
		return STDERR_FILENO;
	for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
		size_t n = strlen(dirs[i]);

		if (strncmp(name, dirs[i], n) != 0 || name[n] < '0' ||
		    name[n] > '9')
			continue;
		errno = 0;
		fd = strtol(name + n, &end, 10);
		if (!errno && !*end && fd <= INT_MAX)
			return (int)fd;
	}
	return -1;
}

/* The next name along the symbolic link at t->file, in place. */
static int follow_link(const char *path, struct target *t,
		       struct sift_error *err)
{
	char link[4096];
	ssize_t n = readlink(t->file, link, sizeof link - 1);
	const char *slash = strrchr(t->file, '/');
	int dirlen = slash ? (int)(slash - t->file) + 1 : 0;

	if (n < 0)
		return sift_error_set(err, SIFT_EIO, "%s: cannot open: %s",
				      path, strerror(errno));
	link[n] = '\0';
	if (link[0] == '/')
		dirlen = 0;
	if (snprintf(t->file + dirlen, sizeof t->file - (size_t)dirlen, "%s",
		     link) >= (int)(sizeof t->file - (size_t)dirlen))
		return sift_error_set(err, SIFT_EIO, "%s: cannot open: %s",
				      path, strerror(ENAMETOOLONG));
	return 0;
}

/* Whether a file may be created in the directory of t->file, where its
 * temporary goes: the error mkstemp would give there, before it runs. */
static int check_dir(const char *path, const struct target *t,
		     struct sift_error *err)
{
	const char *slash = strrchr(t->file, '/');
	char dir[sizeof t->file];

	snprintf(dir, sizeof dir, "%.*s",
		 slash ? (int)(slash - t->file) + 1 : 1, slash ? t->file : ".");
	if (faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) != 0)
		return sift_error_set(err, SIFT_EIO, "%s: cannot create: %s",
				      path, strerror(errno));
	return 0;
}

/* What -o path names, its symbolic links followed: the output replaces
 * the file a link leads to and the link stays, as with sort -o and
 * sed -i --follow-symlinks. A link to nothing is refused, as cp refuses
 * to write through one: the name it would create is the link's choice,
 * not the user's. A directory, and a file the user may not write, are
 * refused before any input is read. */
static int resolve(const char *path, struct target *t, struct sift_error *err)
{
	struct stat st;
	int rc;

	if (snprintf(t->file, sizeof t->file, "%s", path) >=
	    (int)sizeof t->file)
		return sift_error_set(err, SIFT_EIO, "%s: cannot create: %s",
				      path, strerror(ENAMETOOLONG));
	t->exists = 0;
	t->in_place = 0;
	for (int hops = 0;; hops++) {
		if ((t->fd = descriptor_name(t->file)) >= 0)
			return 0;
		if (lstat(t->file, &st) != 0) {
			if (errno != ENOENT)
				return sift_error_set(err, SIFT_EIO,
						      "%s: cannot open: %s",
						      path, strerror(errno));
			if (hops)
				return sift_error_set(
					err, SIFT_EIO,
					"%s: not writing through a dangling "
					"symbolic link (to %s)",
					path, t->file);
			return check_dir(path, t, err);
		}
		if (!S_ISLNK(st.st_mode))
			break;
		if (hops == 40)
			return sift_error_set(err, SIFT_EIO,
					      "%s: cannot open: %s", path,
					      strerror(ELOOP));
		if ((rc = follow_link(path, t, err)))
			return rc;
	}
	if (S_ISDIR(st.st_mode))
		return sift_error_set(err, SIFT_EIO, "%s: is a directory",
				      path);
	if (!S_ISREG(st.st_mode)) {
		t->in_place = 1;
		return 0;
	}
	/* Replacing a file is writing it: its own permission must allow
	 * that, not only its directory's. */
	if (faccessat(AT_FDCWD, t->file, W_OK, AT_EACCESS) != 0)
		return sift_error_set(err, SIFT_EIO, "%s: cannot write: %s",
				      path, strerror(errno));
	t->exists = 1;
	t->mode = st.st_mode & 0777;
	return check_dir(path, t, err);
}

int sift_writer_check(const char *path, struct sift_error *err)
{
	struct target t = { .fd = -1 }; /* resolve fills it */

	if (!path || strcmp(path, "-") == 0)
		return 0;
	return resolve(path, &t, err);
}

static int open_file(struct sift_writer *w, const struct target *t,
		     struct sift_error *err)
{
	const char *file = t->file, *slash = strrchr(file, '/');
	size_t dirlen = slash ? (size_t)(slash - file) + 1 : 0;
	size_t cap = strlen(file) + 40;
	int rc;

	w->target = strdup(file);
	w->tmp = malloc(cap);
	if (!w->target || !w->tmp)
		return sift_error_nomem(err);
	w->replace = t->exists;
	w->mode = t->mode;
	/* Mode 0600 until it is whole: the rename gives it its mode. */
	snprintf(w->tmp, cap, "%.*s.%s.%ld.XXXXXX", (int)dirlen, file,
		 file + dirlen, (long)getpid());
	w->fd = mkstemp(w->tmp);
	if (w->fd < 0) {
		rc = sift_error_set(err, SIFT_EIO, "%s: cannot create: %s",
				    w->path, strerror(errno));
		free(w->tmp);
		w->tmp = NULL; /* nothing to remove */
		return rc;
	}
	live_add(w);
	remove_stale(file, dirlen, file + dirlen);
	size_t n = strlen(w->path);
	if (n > 3 && strcmp(w->path + n - 3, ".gz") == 0) {
		w->gz = gzdopen(w->fd, "wb6");
		if (!w->gz)
			return sift_error_nomem(err);
	}
	return 0;
}

/* A device, a FIFO or a socket (/dev/null, a named pipe) is written in
 * place, and so is a descriptor named as a file (/dev/stdout): renaming
 * a file over it would replace the device. */
static int open_special(struct sift_writer *w, const struct target *t,
			struct sift_error *err)
{
	w->special = 1;
	w->fd = t->fd >= 0 ? fcntl(t->fd, F_DUPFD_CLOEXEC, 0)
			   : open(t->file, O_WRONLY | O_CLOEXEC);
	if (w->fd < 0)
		return sift_error_set(err, SIFT_EIO, "%s: cannot open: %s",
				      w->path, strerror(errno));
	return 0;
}

struct sift_writer *sift_writer_open(const char *path, struct sift_error *err)
{
	struct sift_writer *w = calloc(1, sizeof *w);
	struct target t = { .fd = -1 }; /* resolve fills it */
	int rc = 0;

	if (!w || !(w->buf = malloc(WRITE_BUF))) {
		free(w);
		sift_error_nomem(err);
		return NULL;
	}
	w->fd = STDOUT_FILENO;
	if (path && strcmp(path, "-") != 0) {
		w->fd = -1; /* not stdout, whatever fails below */
		if (!(w->path = strdup(path)))
			rc = sift_error_nomem(err);
		if (!rc)
			rc = resolve(path, &t, err);
		if (!rc && (t.fd >= 0 || t.in_place))
			rc = open_special(w, &t, err);
		else if (!rc)
			rc = open_file(w, &t, err);
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
	live_remove(w);
	free(w->buf);
	free(w->path);
	free(w->target);
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
			rc = fail(w, SIFT_EIO, strerror(errno), err);
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
		/* A file replaced keeps its permissions (a private file stays
		 * private); a new one gets those the umask leaves. */
		mode_t mask = umask(0);

		umask(mask);
		if (chmod(w->tmp, w->replace ? w->mode : 0666 & ~mask) != 0)
			rc = fail(w, SIFT_EIO, strerror(errno), err);
	}
	if (!rc && rename(w->tmp, w->target) != 0)
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
	else if (w->path && w->fd >= 0)
		close(w->fd);
	if (w->tmp && !w->special)
		unlink(w->tmp);
	release(w);
}
