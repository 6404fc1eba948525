/*
 * tools/sift.h - what the commands share: the dispatcher's helpers for
 * messages, exit statuses and the options every command takes.
 *
 * Only tools print and exit. Messages go to stderr as
 * "sift CMD: message"; statuses are 0 (success, or a closed pipe
 * downstream), 1 (bad data or a failed operation), 2 (bad usage).
 */
#ifndef SIFT_TOOLS_H
#define SIFT_TOOLS_H

#include <getopt.h>
#include <stdint.h>

#include "sift/error.h"
#include "sift/reader.h"

struct sift_writer;

/* The running command's name, for messages ("sample"). */
extern const char *sift_cmd;

int cmd_sample(int argc, char **argv);
int cmd_train(int argc, char **argv);
int cmd_predict(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_metrics(int argc, char **argv);
int cmd_label(int argc, char **argv);
int cmd_rebalance(int argc, char **argv);
int cmd_split(int argc, char **argv);
int cmd_clean(int argc, char **argv);

/* Draw a progress line on stderr while r is read, when stderr is a
 * terminal, unless quiet or the command writes output (NULL or "-":
 * stdout) to a terminal too (tools/sift.c). */
void tool_progress(struct sift_reader *r, int quiet, const char *output);

/* Draw a progress line of the command's own (printf-style) in place of
 * the one shown, on a terminal; the caller decides when and whether. */
void tool_progress_line(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2)))
#endif
	;

/* Erase the progress line, if one is shown: before a message, and when
 * the command ends. */
void tool_progress_clear(void);

/* "sift CMD: <message>" on stderr. */
void tool_warn(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2)))
#endif
	;

/* The notes a library result carries (sift_note_add: lines, each ending
 * in '\n'), one "sift CMD: <prefix><line>" on stderr for each. */
void tool_notes(const char *prefix, const char *notes);

/* Print err's message (unless it is a quiet SIGPIPE-like end) and
 * return the exit status for it. */
int tool_fail(const struct sift_error *err);

/* "sift CMD: out of memory" on stderr; returns 1, a failed operation
 * (never 2: no option is wrong). */
int tool_nomem(void);

/* The exit status of a command's run that returned rc, with err: 0 if
 * rc is; for SIFT_EUSAGE (an option the input shows wrong, such as a
 * column it lacks) the message and the usage line, 2; else tool_fail's. */
int tool_run_status(const char *usage, int rc, const struct sift_error *err);

/* Print "sift CMD: <message>" and the usage line to stderr; returns 2. */
int tool_usage_error(const char *usage, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/* " (did you mean 'W'?)" when W, one of words[0..n), is the nearest
 * plausible spelling of arg (lib/nearest.c), else "": the end of a
 * message about a word that is none of a list. Returns buf, which holds
 * it. */
const char *tool_did_you_mean(const char *arg, const char *const *words,
			      size_t n, char *buf, size_t size);

/* Option values: each prints its own message; returns 0 or 2. */
int tool_u64(const char *usage, const char *opt, const char *arg,
	     uint64_t *out);
int tool_double(const char *usage, const char *opt, const char *arg,
		double *out);
int tool_delim(const char *usage, const char *arg, char *delim);

/* What getopt_long (with opterr = 0 and a ':' leading the short options)
 * returned for an unknown option or a missing value: a message and the
 * usage line; returns 2. longopts (the command's table, or NULL) names
 * the options an unknown or ambiguous long one may have meant: "unknown
 * option --emit-weights (did you mean --emit-weight?)". */
int tool_bad_option(const char *usage, int c, int opt, int ind, char **argv,
		    const struct option *longopts);

/* What an option handler returns for an option it does not take, so
 * that tool_getopt can say so (tool_bad_option). */
#define TOOL_NOT_MINE (-2)

/* Parse the options of argv with getopt_long (opterr off: shortopts must
 * start with ':'), handing each to handle(c, ctx), which returns 0, a
 * status, or TOOL_NOT_MINE; -h or --help prints usage and help on stdout
 * and returns -1; an unknown option or a missing value is
 * tool_bad_option's (with longopts), status 2. Returns 0, -1, 2, or the
 * first non-zero status of handle. */
int tool_getopt(int argc, char **argv, const char *shortopts,
		const struct option *longopts, const char *usage,
		const char *help, int (*handle)(int c, void *ctx), void *ctx);

/* The operand after the options: at most one input file, "-" (stdin)
 * when there is none. Returns 0, or 2 after a usage message. */
int tool_one_input(int argc, char **argv, const char *usage,
		   const char **input);

/* The values of the long options the commands share beside a short
 * letter: the CSV options (-d's long one is { "delimiter", ..., 'd' })
 * and --seed. -d sets the delimiter, --no-quote the quoting, --tsv both
 * (tab, none), each leaving the other as it is. */
enum {
	TOOL_OPT_TSV = 0x1000,
	TOOL_OPT_NO_HEADER,
	TOOL_OPT_NO_QUOTE,
	TOOL_OPT_SEED,
};
#define TOOL_CSV_LONGOPTS                                                      \
	{ "delimiter", required_argument, NULL, 'd' },                         \
		{ "tsv", no_argument, NULL, TOOL_OPT_TSV },                    \
		{ "no-quote", no_argument, NULL, TOOL_OPT_NO_QUOTE },          \
	{                                                                      \
		"no-header", no_argument, NULL, TOOL_OPT_NO_HEADER             \
	}

/* The end of most commands' long options: -o, -q, -v, the CSV options
 * and -h, in that order (an ambiguous abbreviation lists its options in
 * a table's order). */
#define TOOL_COMMON_LONGOPTS                                                   \
	{ "output", required_argument, NULL, 'o' },                            \
		{ "quiet", no_argument, NULL, 'q' },                           \
		{ "verbose", no_argument, NULL, 'v' }, TOOL_CSV_LONGOPTS,      \
	{                                                                      \
		"help", no_argument, NULL, 'h'                                 \
	}

/* The CSV options' lines in a command's --help. */
#define TOOL_CSV_OPTIONS                                                       \
	"  -d, --delimiter C  field delimiter (default ,; tab or \\t for a "   \
	"tab), with\n"                                                         \
	"                     CSV quoting (-d tab reads csvformat -T's "       \
	"output)\n"                                                            \
	"      --tsv          TSV as Miller and PostgreSQL write it: tabs, "   \
	"no quoting,\n"                                                        \
	"                     \\t \\n \\r \\\\ escapes (the same as -d tab "   \
	"--no-quote)\n"                                                        \
	"      --no-quote     no quoting with -d's delimiter: a quote is "     \
	"data\n"                                                               \
	"      --no-header    the first line is data; columns are numbers\n"

/* The options the commands share: -o FILE, -q, -v, --seed N ({ "seed",
 * required_argument, NULL, TOOL_OPT_SEED }) and the CSV options. A
 * command takes those its option tables name, and keeps their values in
 * one of these. */
struct tool_common {
	struct sift_csv_opts csv;
	const char *output; /* -o; NULL: stdout */
	uint64_t seed;      /* --seed, when have_seed */
	int have_seed, quiet, verbose;
};

/* No option given yet: sift_csv_opts_init's CSV, the rest 0. */
void tool_common_init(struct tool_common *common);

/* Take option c (with its value arg) if it is one of the shared ones:
 * returns 0, or 2 after a usage message for a bad value (--seed, -d);
 * TOOL_NOT_MINE for any other option. A command's handler ends in it. */
int tool_common_option(struct tool_common *common, const char *usage, int c,
		       const char *arg);

/* Open the input (with sift_reader_open's flags) and its progress line,
 * then the output, common->output, into *w; w NULL: the run writes no
 * records, so the progress line may show beside a terminal's stdout.
 * Returns 0, or err->code with neither left open. */
int tool_open(const struct tool_common *common, const char *input,
	      unsigned flags, struct sift_reader **r, struct sift_writer **w,
	      struct sift_error *err);

/* The end of an output w (NULL: none) of a run whose status is rc:
 * closed (a file renamed into place) when rc is 0, returning the
 * close's status; else discarded, returning rc. */
int tool_close_output(struct sift_writer *w, int rc, struct sift_error *err);

/* The seed of the run, once parsing is done: --seed's, else one drawn
 * from the OS into common->seed (which -v prints). Call it once. */
uint64_t tool_seed(struct tool_common *common);

#endif
