/*
 * tools/progress.c - the progress line every command draws on stderr
 * while it reads, when stderr is a terminal (see tool_progress in
 * sift.h).
 *
 *     sift sample: 412 MB of 1.0 GB (41%), 3.2M records, 180 MB/s, 3 s left
 *
 * The reader calls back about once a MiB (sift_reader_set_progress); the
 * line is drawn no sooner than a second after the start, so that short
 * runs stay silent, and at most every quarter second. It is redrawn in
 * place with a carriage return, padded with blanks over a longer line
 * before it, and erased before any message and at the end. Nothing is
 * drawn when the command writes to the same terminal (its records or
 * report show that it runs).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sift.h"
#include "sift/parse.h"

#define FIRST_AFTER                                                            \
	1.0        /* seconds before the first line, unless                    \
		      $SIFT_PROGRESS_AFTER says otherwise */
#define EVERY 0.25 /* seconds between lines */

static struct {
	int on;        /* a reader reports to us */
	double start;  /* when the first reader was attached */
	double after;  /* seconds from then to the first line */
	double last;   /* when the line was last drawn, or 0 */
	size_t shown;  /* the width of the line on the screen, or 0 */
	unsigned pass; /* the pass the rate was measured from */
	double pass_start;
	uint64_t pass_bytes;
} line;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* n bytes as "412 MB", "1.0 GB" (powers of 1000, as disks are sold). */
static void size_text(char *buf, size_t size, double n)
{
	static const char *const units[] = { "B", "kB", "MB", "GB", "TB" };
	size_t u = 0;

	while (n >= 1000 && u + 1 < sizeof units / sizeof *units) {
		n /= 1000;
		u++;
	}
	snprintf(buf, size, n < 10 && u ? "%.1f %s" : "%.0f %s", n, units[u]);
}

static void count_text(char *buf, size_t size, double n)
{
	if (n >= 1e9)
		snprintf(buf, size, "%.1fG", n / 1e9);
	else if (n >= 1e6)
		snprintf(buf, size, "%.1fM", n / 1e6);
	else if (n >= 1e4)
		snprintf(buf, size, "%.0fk", n / 1e3);
	else
		snprintf(buf, size, "%.0f", n);
}

static void draw(const char *text)
{
	size_t n = strlen(text);

	fprintf(stderr, "\r%s", text);
	for (size_t i = n; i < line.shown; i++)
		fputc(' ', stderr);
	fflush(stderr);
	line.shown = n;
}

void tool_progress_line(const char *fmt, ...)
{
	char text[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	draw(text);
}

void tool_progress_clear(void)
{
	if (!line.shown)
		return;
	fputc('\r', stderr);
	for (size_t i = 0; i < line.shown; i++)
		fputc(' ', stderr);
	fputc('\r', stderr);
	fflush(stderr);
	line.shown = 0;
}

static void report(void *ctx, const struct sift_progress *p)
{
	double t = now(), rate;
	char text[200], at[16], total[16], recs[16], speed[16];
	size_t n;

	(void)ctx;
	if (p->pass != line.pass) { /* a rate per pass, and news */
		line.pass = p->pass;
		line.pass_start = t;
		line.pass_bytes = p->in_bytes;
		line.last = 0;
	}
	if (t - line.start < line.after || t - line.last < EVERY)
		return;
	line.last = t;
	rate = t > line.pass_start ? (double)(p->in_bytes - line.pass_bytes) /
					     (t - line.pass_start)
				   : 0;
	size_text(at, sizeof at, (double)p->in_bytes);
	size_text(total, sizeof total, (double)p->in_total);
	count_text(recs, sizeof recs, (double)p->records);
	size_text(speed, sizeof speed, rate);
	n = (size_t)snprintf(text, sizeof text, "sift %s: %s%s", sift_cmd,
			     p->pass > 1 ? "second pass: " : "", at);
	if (p->in_total && p->in_bytes <= p->in_total) {
		n += (size_t)snprintf(
			text + n, sizeof text - n, " of %s (%.0f%%)", total,
			100.0 * (double)p->in_bytes / (double)p->in_total);
	}
	n += (size_t)snprintf(text + n, sizeof text - n, ", %s records", recs);
	if (rate > 0)
		n += (size_t)snprintf(text + n, sizeof text - n, ", %s/s",
				      speed);
	if (p->in_total && rate > 0 && p->in_bytes <= p->in_total)
		snprintf(text + n, sizeof text - n, ", %.0f s left",
			 (double)(p->in_total - p->in_bytes) / rate + 0.5);
	draw(text);
}

void tool_progress(struct sift_reader *r, int quiet, const char *output)
{
	int to_stdout = !output || strcmp(output, "-") == 0;

	/* Records or a report on the terminal show progress themselves,
	 * and a line drawn among them would garble them. */
	if (quiet || !r || !isatty(STDERR_FILENO) ||
	    (to_stdout && isatty(STDOUT_FILENO)))
		return;
	if (!line.on) {
		const char *env = getenv("SIFT_PROGRESS_AFTER");
		double after;

		line.on = 1;
		line.start = now();
		line.pass = 1; /* the first pass's rate is from the start */
		line.pass_start = line.start;
		line.pass_bytes = 0;
		line.after = FIRST_AFTER;
		if (env && sift_parse_double(env, strlen(env), &after) == 0 &&
		    after >= 0)
			line.after = after;
	}
	sift_reader_set_progress(r, report, NULL);
}
