/*
 * sift/writer.h - buffered output that checks every write.
 *
 * Standard output, or a file written atomically: the data goes to a
 * temporary file beside it, renamed over the name only when
 * sift_writer_close succeeds, so a failed run never leaves a half-written
 * output behind. A name ending in ".gz" is gzip-compressed.
 *
 * Errors are sticky: after a failed write, every later call returns the
 * same code. A reader that went away (EPIPE, as when the output is piped
 * into `head`) gives SIFT_EPIPE, which tools treat as a quiet success;
 * the process must ignore SIGPIPE for that to be seen.
 */
#ifndef SIFT_WRITER_H
#define SIFT_WRITER_H

#include <stddef.h>

#include "sift/dialect.h"
#include "sift/error.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sift_writer;

/* Open path, or standard output for NULL or "-". Returns NULL and fills
 * err (SIFT_EIO, naming path) when it cannot be written, before any
 * data: path is a directory, a symbolic link to nothing, a file the
 * user may not write, or in a directory where no file can be created.
 *
 * What path names (sift(1), OUTPUT): a regular file, new or not, is
 * written to a temporary ".NAME.PID.RANDOM" of mode 0600 beside it and
 * renamed over it by sift_writer_close, which gives a replaced file its
 * old permissions and a new one those of the umask; the temporaries
 * that killed runs left beside it are removed. A symbolic link is
 * followed: the file it leads to is replaced, the link stays. A
 * device, FIFO or socket is opened and written in place, and so is the
 * descriptor of /dev/stdout, /dev/stderr, /dev/fd/N or /proc/self/fd/N
 * (written through a duplicate, never renamed over). */
struct sift_writer *sift_writer_open(const char *path, struct sift_error *err);

/* Whether sift_writer_open(path) would fail for what path names, with
 * the same error, and nothing made: for a command that opens its output
 * only once the input is read (a model, a report), so that a wrong -o
 * fails before the work. 0 for NULL and "-". */
int sift_writer_check(const char *path, struct sift_error *err);

/* Append n bytes. */
int sift_writer_write(struct sift_writer *w, const void *p, size_t n,
		      struct sift_error *err);

/* Append a NUL-terminated string. */
int sift_writer_puts(struct sift_writer *w, const char *s,
		     struct sift_error *err);

/* How sift_writer_field and sift_writer_value write a field from now
 * on: CSV quoting (the default) or none (TSV escapes). A command that
 * appends fields to records it read sets its reader's quoting
 * (sift_reader_quoting), so that the records stay in their dialect.
 * w may be NULL (a dry run writes nothing). */
void sift_writer_set_quoting(struct sift_writer *w, enum sift_quoting quoting);

/* Append one field preceded by the delimiter. CSV: quoted (RFC 4180,
 * quotes doubled) when it holds the delimiter, a quote, CR or LF, as is
 * otherwise. Without quoting: never quoted; a tab, LF, CR, backslash or
 * the delimiter in it escaped as sift_tsv_escape says. */
int sift_writer_field(struct sift_writer *w, char delim, const char *s,
		      size_t len, struct sift_error *err);

/* The same without the delimiter before it: the first field of a
 * line. */
int sift_writer_value(struct sift_writer *w, char delim, const char *s,
		      size_t len, struct sift_error *err);

/* Append a number as a field (preceded by the delimiter), printed in
 * the C locale with the fewest digits (up to 17) that read back to the
 * same double. */
int sift_writer_double(struct sift_writer *w, char delim, double x,
		       struct sift_error *err);

/* Append printf-style text of any length. */
int sift_writer_printf(struct sift_writer *w, struct sift_error *err,
		       const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

/* Flush and, for a file, rename it into place; frees w (w may be NULL).
 * Returns the first error met on any write. */
int sift_writer_close(struct sift_writer *w, struct sift_error *err);

/* Abandon: a file's temporary is removed, nothing is renamed; frees w. */
void sift_writer_discard(struct sift_writer *w);

/* Remove the temporary of every file writer open in the process, for a
 * handler of a signal that ends it (SIGINT, SIGTERM): async-signal-safe
 * (it calls unlink alone and changes no state), on the thread that
 * opens and closes the writers. Nothing is renamed; the writers stay
 * open and are not to be used after. */
void sift_writer_remove_temporaries(void);

/* Format x as sift_writer_double does into buf (at least 32 bytes). */
void sift_format_double(char *buf, size_t size, double x);

#ifdef __cplusplus
}
#endif

#endif
