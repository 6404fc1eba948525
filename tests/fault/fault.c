/*
 * tests/fault/fault.c - an LD_PRELOAD shim that makes the n-th call of a
 * kind fail, for the fault loops of tests/fault/run.sh (make fault).
 *
 *   SIFT_FAULT=KIND:N[+][:ERRNO][,KIND:N...]
 *	the N-th call of KIND fails (with "+", that call and every later
 *	one: a disk that stays full), setting errno to ERRNO (a name:
 *	ENOSPC, EIO, EXDEV, ...) or to the kind's own.
 *   SIFT_FAULT_COUNT=FILE
 *	at exit, write to FILE one line "KIND CALLS" a kind: how many
 *	calls the run made, so that a loop can walk N over every one.
 *   SIFT_FAULT_TRACE=1
 *	print the stack of the call made to fail on stderr.
 *
 * The kinds and the calls they count:
 *
 *   write   write, pwrite, pwrite64, writev, fwrite, fflush   ENOSPC
 *   read    read, pread, pread64, readv, fread                EIO
 *   fsync   fsync, fdatasync                                   EIO
 *   rename  rename, renameat                                   EIO
 *   malloc  malloc, calloc, realloc                            ENOMEM
 *
 * stdio does its own writing inside glibc, past any shim, so fwrite,
 * fread and fflush are counted as the calls that move the data: one
 * made to fail returns a short count with the stream's error flag set
 * (fflush only where something is buffered),
 * as a write(2) failing inside stdio would leave it. Writes to standard
 * error are neither counted nor failed: it is where the message goes.
 * SQLite calls pwrite64, pread64 and fdatasync through the dynamic
 * linker, so they are seen; zlib's gzwrite calls write.
 *
 * Calls made before the shim's constructor ran (glibc's own start-up)
 * and the shim's own calls are not counted. The counters are atomic:
 * the reader's read-ahead thread reads beside the main thread.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

enum kind { K_WRITE, K_READ, K_FSYNC, K_RENAME, K_MALLOC, N_KINDS };

static const struct {
	const char *name;
	int errnum;
} kinds[N_KINDS] = {
	[K_WRITE] = { "write", ENOSPC },   [K_READ] = { "read", EIO },
	[K_FSYNC] = { "fsync", EIO },      [K_RENAME] = { "rename", EIO },
	[K_MALLOC] = { "malloc", ENOMEM },
};

static const struct {
	const char *name;
	int errnum;
} errnos[] = {
	{ "ENOSPC", ENOSPC }, { "EIO", EIO },       { "EXDEV", EXDEV },
	{ "ENOMEM", ENOMEM }, { "EDQUOT", EDQUOT }, { "EINTR", EINTR },
	{ "EAGAIN", EAGAIN }, { "EPIPE", EPIPE },   { "EFBIG", EFBIG },
	{ "EACCES", EACCES }, { "EROFS", EROFS },
};

#define MAX_FAULTS 8

static struct {
	enum kind kind;
	unsigned long n;
	int from_on; /* N+: every call from the N-th */
	int errnum;
} faults[MAX_FAULTS];
static int n_faults;
static atomic_ulong counts[N_KINDS];
static atomic_int ready;
static int trace;
static char count_file[4096];
/* Set while the shim itself runs (a trace, its set-up): calls it makes
 * pass through uncounted. */
static _Thread_local int inside;

static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_writev)(int, const struct iovec *, int);
static size_t (*real_fwrite)(const void *, size_t, size_t, FILE *);
static int (*real_fflush)(FILE *);
static ssize_t (*real_read)(int, void *, size_t);
static ssize_t (*real_pread)(int, void *, size_t, off_t);
static ssize_t (*real_readv)(int, const struct iovec *, int);
static size_t (*real_fread)(void *, size_t, size_t, FILE *);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_rename)(const char *, const char *);
static int (*real_renameat)(int, const char *, int, const char *);

/* glibc's own allocator, so that ours needs no dlsym (which allocates). */
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

__attribute__((format(printf, 1, 2))) static void say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n > 0)
		syscall(SYS_write, 2, buf,
			(size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

static int parse_errno(const char *s)
{
	for (size_t i = 0; i < sizeof errnos / sizeof errnos[0]; i++)
		if (strcmp(s, errnos[i].name) == 0)
			return errnos[i].errnum;
	return 0;
}

/* One KIND:N[+][:ERRNO]; 0, or -1 if it is not one. */
static int parse_fault(char *spec)
{
	char *colon = strchr(spec, ':'), *end, *name;
	int k;

	if (!colon || n_faults == MAX_FAULTS)
		return -1;
	*colon = '\0';
	for (k = 0; k < N_KINDS && strcmp(spec, kinds[k].name); k++)
		;
	if (k == N_KINDS)
		return -1;
	errno = 0;
	faults[n_faults].n = strtoul(colon + 1, &end, 10);
	if (errno || end == colon + 1 || faults[n_faults].n == 0)
		return -1;
	faults[n_faults].kind = (enum kind)k;
	faults[n_faults].from_on = *end == '+';
	end += *end == '+';
	faults[n_faults].errnum = kinds[k].errnum;
	if (*end == ':') {
		name = end + 1;
		if (!(faults[n_faults].errnum = parse_errno(name)))
			return -1;
	} else if (*end) {
		return -1;
	}
	n_faults++;
	return 0;
}

/* POSIX's way to store dlsym's answer in a pointer to a function. */
#define RESOLVE(fn) (*(void **)&real_##fn = dlsym(RTLD_NEXT, #fn))

__attribute__((constructor)) static void fault_init(void)
{
	const char *spec = getenv("SIFT_FAULT");
	const char *file = getenv("SIFT_FAULT_COUNT");
	const char *tr = getenv("SIFT_FAULT_TRACE");
	char copy[512], *tok, *save;

	inside = 1;
	RESOLVE(write);
	RESOLVE(pwrite);
	RESOLVE(writev);
	RESOLVE(fwrite);
	RESOLVE(fflush);
	RESOLVE(read);
	RESOLVE(pread);
	RESOLVE(readv);
	RESOLVE(fread);
	RESOLVE(fsync);
	RESOLVE(fdatasync);
	RESOLVE(rename);
	RESOLVE(renameat);
	trace = tr && *tr && strcmp(tr, "0") != 0;
	if (file && strlen(file) < sizeof count_file)
		strcpy(count_file, file);
	if (spec && *spec) {
		if (strlen(spec) >= sizeof copy) {
			say("fault.so: SIFT_FAULT too long\n");
			_exit(125);
		}
		strcpy(copy, spec);
		for (tok = strtok_r(copy, ",", &save); tok;
		     tok = strtok_r(NULL, ",", &save))
			if (parse_fault(tok) != 0) {
				say("fault.so: bad SIFT_FAULT '%s' (KIND:N[+]"
				    "[:ERRNO], KIND write, read, fsync, "
				    "rename or malloc)\n",
				    spec);
				_exit(125);
			}
	}
	inside = 0;
	atomic_store(&ready, 1);
}

__attribute__((destructor)) static void fault_fini(void)
{
	char line[64];
	int fd, n;

	if (!count_file[0])
		return;
	inside = 1;
	fd = (int)syscall(SYS_openat, AT_FDCWD, count_file,
			  O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	for (int k = 0; k < N_KINDS; k++) {
		n = snprintf(line, sizeof line, "%s %lu\n", kinds[k].name,
			     atomic_load(&counts[k]));
		syscall(SYS_write, fd, line, (size_t)n);
	}
	syscall(SYS_close, fd);
}

static void show_stack(enum kind k, unsigned long n)
{
	void *frames[32];
	int depth;

	inside = 1;
	say("fault.so: failing %s call %lu\n", kinds[k].name, n);
	depth = backtrace(frames, 32);
	backtrace_symbols_fd(frames, depth, 2);
	inside = 0;
}

/* Whether this call of kind k is to fail (errno set then). */
static int fails(enum kind k)
{
	unsigned long n;

	if (inside || !atomic_load_explicit(&ready, memory_order_relaxed))
		return 0;
	n = atomic_fetch_add(&counts[k], 1) + 1;
	for (int i = 0; i < n_faults; i++)
		if (faults[i].kind == k &&
		    (n == faults[i].n ||
		     (faults[i].from_on && n > faults[i].n))) {
			if (trace)
				show_stack(k, n);
			errno = faults[i].errnum;
			return 1;
		}
	return 0;
}

/* A stream made to fail as stdio's own write(2) or read(2) failing
 * would leave it: its error flag set, so that ferror() tells. */
static void set_error(FILE *f)
{
	f->_flags |= _IO_ERR_SEEN;
}

/* ---- write ------------------------------------------------------------ */

ssize_t write(int fd, const void *p, size_t n)
{
	if (fd != 2 && fails(K_WRITE))
		return -1;
	return real_write(fd, p, n);
}

ssize_t pwrite(int fd, const void *p, size_t n, off_t off)
{
	if (fd != 2 && fails(K_WRITE))
		return -1;
	return real_pwrite(fd, p, n, off);
}

ssize_t pwrite64(int fd, const void *p, size_t n, off_t off)
{
	return pwrite(fd, p, n, off);
}

ssize_t writev(int fd, const struct iovec *iov, int n)
{
	if (fd != 2 && fails(K_WRITE))
		return -1;
	return real_writev(fd, iov, n);
}

size_t fwrite(const void *p, size_t size, size_t n, FILE *f)
{
	if (f != stderr && size && n && fails(K_WRITE)) {
		set_error(f);
		return 0;
	}
	return real_fwrite(p, size, n, f);
}

/* A flush with nothing buffered writes nothing, and cannot fail so. */
int fflush(FILE *f)
{
	if (f && f != stderr && f->_IO_write_ptr > f->_IO_write_base &&
	    fails(K_WRITE)) {
		set_error(f);
		return EOF;
	}
	return real_fflush(f);
}

/* ---- read ------------------------------------------------------------- */

ssize_t read(int fd, void *p, size_t n)
{
	if (fails(K_READ))
		return -1;
	return real_read(fd, p, n);
}

ssize_t pread(int fd, void *p, size_t n, off_t off)
{
	if (fails(K_READ))
		return -1;
	return real_pread(fd, p, n, off);
}

ssize_t pread64(int fd, void *p, size_t n, off_t off)
{
	return pread(fd, p, n, off);
}

ssize_t readv(int fd, const struct iovec *iov, int n)
{
	if (fails(K_READ))
		return -1;
	return real_readv(fd, iov, n);
}

size_t fread(void *p, size_t size, size_t n, FILE *f)
{
	if (size && n && fails(K_READ)) {
		set_error(f);
		return 0;
	}
	return real_fread(p, size, n, f);
}

/* ---- fsync, rename ---------------------------------------------------- */

int fsync(int fd)
{
	if (fails(K_FSYNC))
		return -1;
	return real_fsync(fd);
}

int fdatasync(int fd)
{
	if (fails(K_FSYNC))
		return -1;
	return real_fdatasync(fd);
}

int rename(const char *from, const char *to)
{
	if (fails(K_RENAME))
		return -1;
	return real_rename(from, to);
}

int renameat(int dirfrom, const char *from, int dirto, const char *to)
{
	if (fails(K_RENAME))
		return -1;
	return real_renameat(dirfrom, from, dirto, to);
}

/* ---- malloc ----------------------------------------------------------- */

void *malloc(size_t n)
{
	if (fails(K_MALLOC))
		return NULL;
	return __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
	if (fails(K_MALLOC))
		return NULL;
	return __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
	/* realloc(p, 0) frees: nothing to fail. */
	if ((n || !p) && fails(K_MALLOC))
		return NULL;
	return __libc_realloc(p, n);
}
