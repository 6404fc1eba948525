/*
 * tools/sift.c - `sift CMD ...`: find the command and run it; the
 * helpers every command shares.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sift.h"
#include "sift/version.h"
#include "sift/nearest.h"
#include "sift/parse.h"
#include "sift/rng.h"
#include "sift/writer.h"

const char *sift_cmd = "";

static const struct {
	const char *name;
	int (*run)(int, char **);
	const char *summary;
} commands[] = {
	{ "sample", cmd_sample,
	  "draw a sample of records: random, Bernoulli, "
	  "stratified, weighted, importance..." },
	{ "label", cmd_label,
	  "label records with rules (labeling functions), "
	  "combined by vote or a label model" },
	{ "audit", cmd_audit,
	  "audit annotators: agreement, quality, "
	  "consensus labels, what to re-check" },
	{ "rebalance", cmd_rebalance,
	  "rebalance classes: under- or over-sample, "
	  "SMOTE, class weights" },
	{ "split", cmd_split,
	  "split into train/valid/test: by ratios, group, "
	  "class or time" },
	{ "train", cmd_train,
	  "train a text classifier: softmax regression or "
	  "a small neural network" },
	{ "predict", cmd_predict,
	  "score records with a model: pred and "
	  "p_<class> columns" },
	{ "clean", cmd_clean,
	  "find mislabeled records by confident learning: "
	  "flag or drop them" },
	{ "metrics", cmd_metrics,
	  "evaluate predictions: confusion, F1, MCC, "
	  "ROC-AUC, AP, costs, per slice" },
};

#define NCOMMANDS (sizeof commands / sizeof *commands)

static void print_help(FILE *out)
{
	fprintf(out,
		"usage: sift COMMAND [OPTIONS] [FILE]\n"
		"       sift help COMMAND|FORMAT | sift --help | sift "
		"--version\n"
		"\n"
		"Unix filters for the data side of machine learning: CSV "
		"records in\n(plain or gzip, a file or stdin), records out.\n"
		"\ncommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(out, "\n`sift COMMAND --help` lists a command's options; "
		     "`sift help COMMAND` shows\nits manual, and `sift help "
		     "rules|model|annotations` a file format's.\n");
}

void tool_warn(const char *fmt, ...)
{
	va_list ap;

	tool_progress_clear();
	fprintf(stderr, "sift %s: ", sift_cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void tool_notes(const char *prefix, const char *notes)
{
	for (const char *line = notes, *end; *line; line = end) {
		end = line + strcspn(line, "\n");
		tool_warn("%s%.*s", prefix, (int)(end - line), line);
		end += *end == '\n';
	}
}

int tool_fail(const struct sift_error *err)
{
	if (err->code != SIFT_EPIPE)
		tool_warn("%s", err->msg);
	return sift_exit_status(err->code);
}

int tool_nomem(void)
{
	struct sift_error err;

	sift_error_nomem(&err);
	return tool_fail(&err);
}

int tool_usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;

	tool_progress_clear();
	fprintf(stderr, "sift %s: ", sift_cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%s", usage);
	return 2;
}

int tool_run_status(const char *usage, int rc, const struct sift_error *err)
{
	if (rc == SIFT_EUSAGE)
		return tool_usage_error(usage, "%s", err->msg);
	return rc ? tool_fail(err) : 0;
}

const char *tool_did_you_mean(const char *arg, const char *const *words,
			      size_t n, char *buf, size_t size)
{
	long near = sift_nearest(arg, words, n);

	if (near >= 0 && strcmp(arg, words[near]) != 0)
		snprintf(buf, size, " (did you mean '%s'?)", words[near]);
	else if (size)
		buf[0] = '\0';
	return buf;
}

int tool_u64(const char *usage, const char *opt, const char *arg, uint64_t *out)
{
	if (sift_parse_u64(arg, out) == 0)
		return 0;
	if (arg[0] && strspn(arg, "0123456789") == strlen(arg))
		return tool_usage_error(usage,
					"%s: %s is too large (at most "
					"%llu)",
					opt, arg,
					(unsigned long long)UINT64_MAX);
	return tool_usage_error(usage, "%s: '%s' is not a whole number >= 0",
				opt, arg);
}

int tool_double(const char *usage, const char *opt, const char *arg,
		double *out)
{
	if (sift_parse_double(arg, strlen(arg), out) != 0)
		return tool_usage_error(usage, "%s: '%s' is not a number", opt,
					arg);
	return 0;
}

int tool_delim(const char *usage, const char *arg, char *delim)
{
	if (strcmp(arg, "\\t") == 0 || strcmp(arg, "tab") == 0)
		arg = "\t";
	if (strlen(arg) != 1 || arg[0] == '"' || arg[0] == '\n' ||
	    arg[0] == '\r')
		return tool_usage_error(usage,
					"-d: the delimiter must be one "
					"character other than a quote or a "
					"line break, not '%s'",
					arg);
	*delim = arg[0];
	return 0;
}

/* Whether name[0..len) abbreviates long options of different meanings
 * (getopt_long takes an abbreviation that is unique up to synonyms such
 * as --neighbours and --neighbors); if so, lists them in buf as
 * "--a, --b". */
static int ambiguous(const struct option *longopts, const char *name,
		     size_t len, char *buf, size_t size)
{
	const struct option *first = NULL;
	size_t used = 0;
	int differ = 0;

	buf[0] = '\0';
	for (const struct option *o = longopts; o && o->name; o++) {
		if (strncmp(o->name, name, len) != 0)
			continue;
		if (!first)
			first = o;
		differ |= o->val != first->val || o->flag != first->flag;
		if (used + strlen(o->name) + 5 < size)
			used += (size_t)snprintf(buf + used, size - used,
						 "%s--%s", used ? ", " : "",
						 o->name);
	}
	return differ;
}

/* An unknown long option arg ("--name[=value]"): ambiguous, a switch
 * given a value, or a misspelling of the nearest option, if any. */
static int bad_long_option(const char *usage, const char *arg,
			   const struct option *longopts)
{
	const char *name = arg + 2, *names[256];
	size_t len = strcspn(name, "="), n = 0;
	char list[512], word[128];
	long near;

	for (const struct option *o = longopts; o && o->name && n < 256; o++) {
		if (strlen(o->name) == len &&
		    strncmp(o->name, name, len) == 0 &&
		    o->has_arg == no_argument && name[len] == '=')
			return tool_usage_error(usage, "--%s takes no value",
						o->name);
		names[n++] = o->name;
	}
	if (len && ambiguous(longopts, name, len, list, sizeof list))
		return tool_usage_error(usage,
					"option --%.*s is ambiguous (%s)",
					(int)len, name, list);
	snprintf(word, sizeof word, "%.*s", (int)len, name);
	near = sift_nearest(word, names, n);
	if (near >= 0)
		return tool_usage_error(usage,
					"unknown option --%s (did you mean "
					"--%s?)",
					word, names[near]);
	return tool_usage_error(usage, "unknown option %s", arg);
}

int tool_bad_option(const char *usage, int c, int opt, int ind, char **argv,
		    const struct option *longopts)
{
	const char *arg = ind > 0 ? argv[ind - 1] : "?";

	/* optopt is the letter of a short option; for a long one it is
	 * its value (or 0), and argv names it. */
	int letter = opt > 0 && opt < 128 ? opt : 0;
	int is_long = strncmp(arg, "--", 2) == 0 && arg[2];

	if (c == ':')
		return letter && !is_long
			       ? tool_usage_error(usage, "-%c needs a value",
						  letter)
			       : tool_usage_error(usage, "%s needs a value",
						  arg);
	if (is_long)
		return bad_long_option(usage, arg, longopts);
	if (letter)
		return tool_usage_error(usage, "unknown option -%c", letter);
	return tool_usage_error(usage, "unknown option %s", arg);
}

int tool_getopt(int argc, char **argv, const char *shortopts,
		const struct option *longopts, const char *usage,
		const char *help, int (*handle)(int c, void *ctx), void *ctx)
{
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		int rc;

		if (c == 'h') {
			fputs(usage, stdout);
			fputs(help, stdout);
			return -1;
		}
		if (c == '?' || c == ':')
			return tool_bad_option(usage, c, optopt, optind, argv,
					       longopts);
		rc = handle(c, ctx);
		if (rc == TOOL_NOT_MINE) /* in longopts, yet not handled */
			return tool_bad_option(usage, c, optopt, optind, argv,
					       longopts);
		if (rc)
			return rc;
	}
	return 0;
}

int tool_one_input(int argc, char **argv, const char *usage, const char **input)
{
	if (argc - optind > 1)
		return tool_usage_error(usage, "one input at most (got %d)",
					argc - optind);
	*input = optind < argc ? argv[optind] : "-";
	return 0;
}

/* -d, --tsv, --no-quote, --no-header into csv. */
static int csv_option(const char *usage, int c, const char *arg,
		      struct sift_csv_opts *csv)
{
	switch (c) {
	case TOOL_OPT_TSV:
		csv->delim = '\t';
		csv->quoting = SIFT_QUOTING_NONE;
		return 0;
	case TOOL_OPT_NO_QUOTE:
		csv->quoting = SIFT_QUOTING_NONE;
		return 0;
	case TOOL_OPT_NO_HEADER:
		csv->header = 0;
		return 0;
	default:
		return tool_delim(usage, arg, &csv->delim);
	}
}

void tool_common_init(struct tool_common *common)
{
	memset(common, 0, sizeof *common);
	sift_csv_opts_init(&common->csv);
}

int tool_common_option(struct tool_common *common, const char *usage, int c,
		       const char *arg)
{
	switch (c) {
	case 'o':
		common->output = arg;
		return 0;
	case 'q':
		common->quiet = 1;
		return 0;
	case 'v':
		common->verbose = 1;
		return 0;
	case TOOL_OPT_SEED:
		common->have_seed = 1;
		return tool_u64(usage, "--seed", arg, &common->seed);
	case 'd':
	case TOOL_OPT_TSV:
	case TOOL_OPT_NO_QUOTE:
	case TOOL_OPT_NO_HEADER:
		return csv_option(usage, c, arg, &common->csv);
	default:
		return TOOL_NOT_MINE;
	}
}

int tool_open(const struct tool_common *common, const char *input,
	      unsigned flags, struct sift_reader **r, struct sift_writer **w,
	      struct sift_error *err)
{
	*r = sift_reader_open(input, &common->csv, flags, err);
	if (!*r)
		return err->code;
	tool_progress(*r, common->quiet, w ? common->output : "");
	if (w && !(*w = sift_writer_open(common->output, err))) {
		sift_reader_close(*r);
		*r = NULL;
		return err->code;
	}
	return 0;
}

int tool_close_output(struct sift_writer *w, int rc, struct sift_error *err)
{
	if (rc) {
		sift_writer_discard(w);
		return rc;
	}
	return sift_writer_close(w, err);
}

uint64_t tool_seed(struct tool_common *common)
{
	if (!common->have_seed)
		common->seed = sift_rng_os_seed();
	return common->seed;
}

static int exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* The directory of the running binary (from /proc/self/exe, else
 * argv[0] when it holds a slash) into dir; 0, or -1 if unknown. */
static int exe_dir(const char *argv0, char *dir, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", dir, size - 1);
	char *slash;

	if (n > 0) {
		dir[n] = '\0';
	} else if (argv0 && strchr(argv0, '/') && strlen(argv0) < size) {
		snprintf(dir, size, "%s", argv0);
	} else {
		return -1;
	}
	slash = strrchr(dir, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	return 0;
}

/* The file of page (sift-sample) in section 1 or 5 under the manual
 * directory mandir (man1/ and man5/ below it, or flat for the source
 * tree's man/) into path; 0, or -1 if there is none. */
static int find_page(const char *mandir, int flat, const char *page, char *path,
		     size_t size)
{
	static const char sections[] = "15";

	for (const char *sec = sections; *sec; sec++) {
		if (flat)
			snprintf(path, size, "%s/%s.%c", mandir, page, *sec);
		else
			snprintf(path, size, "%s/man%c/%s.%c", mandir, *sec,
				 page, *sec);
		if (exists(path))
			return 0;
	}
	return -1;
}

/* sift help NAME: the manual page sift-NAME in section 1 or 5 (a
 * command, or a format: rules, model, annotations), of the sift that
 * runs: beside the source tree's binary, its man/; beside an installed
 * one, PREFIX/share/man of its own prefix (so that `make install
 * PREFIX=/opt/x` finds /opt/x/share/man whatever it was built with); else
 * the MANDIR it was built for; else man's own search. */
static int show_manual(const char *argv0, const char *name)
{
	char page[128], path[4096], dir[4096], mandir[4096 + 16];

	if (strcmp(name, "sift") == 0 || strncmp(name, "sift-", 5) == 0)
		snprintf(page, sizeof page, "%s", name);
	else
		snprintf(page, sizeof page, "sift-%s", name);
	fflush(stdout);
	if (exe_dir(argv0, dir, sizeof dir) == 0) {
		char src[sizeof dir + 8];

		/* the binary of a build in the source tree: ./sift or
		 * build/san/sift and the like */
		snprintf(src, sizeof src, "%s", SIFT_SRCMAN);
		*strrchr(src, '/') = '\0';
		if ((strncmp(dir, src, strlen(src)) == 0 &&
		     (dir[strlen(src)] == '\0' || dir[strlen(src)] == '/')) &&
		    find_page(SIFT_SRCMAN, 1, page, path, sizeof path) == 0)
			goto found;
		snprintf(mandir, sizeof mandir, "%s/../share/man", dir);
		if (find_page(mandir, 0, page, path, sizeof path) == 0)
			goto found;
	}
	if (find_page(SIFT_MANDIR, 0, page, path, sizeof path) == 0)
		goto found;
	execlp("man", "man", page, (char *)NULL);
	goto failed;
found:
	execlp("man", "man", "-l", path, (char *)NULL);
failed:
	fprintf(stderr,
		"sift help: cannot run man (%s); try `sift %s "
		"--help`\n",
		strerror(errno), name);
	return 1;
}

/* The names `sift help` knows: the commands, and the formats of
 * section 5. */
static const char *const formats[] = { "rules", "model", "annotations" };

static int is_format(const char *name)
{
	for (size_t i = 0; i < sizeof formats / sizeof *formats; i++)
		if (strcmp(name, formats[i]) == 0)
			return 1;
	return 0;
}

static int find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* "sift: no command 'smaple' (did you mean sift sample?)" */
/* "no command NAME", with the nearest command (or, for sift help, the
 * nearest command or format) to suggest. */
static int no_command(const char *prefix, const char *name, const char *hint,
		      int formats_too)
{
	const size_t nf = sizeof formats / sizeof *formats;
	const char *names[NCOMMANDS + sizeof formats / sizeof *formats];
	const char *what = formats_too ? "command or format" : "command";
	size_t n = 0;
	long near;

	for (size_t i = 0; i < NCOMMANDS; i++)
		names[n++] = commands[i].name;
	for (size_t i = 0; formats_too && i < nf; i++)
		names[n++] = formats[i];
	near = sift_nearest(name, names, n);
	if (near >= 0)
		fprintf(stderr, "%s: no %s '%s' (did you mean %s%s?)\n", prefix,
			what, name, hint, names[near]);
	else if (formats_too)
		fprintf(stderr,
			"%s: no %s '%s' (commands: see sift --help; "
			"formats: rules, model, annotations)\n",
			prefix, what, name);
	else
		fprintf(stderr, "%s: no %s '%s' (see sift --help)\n", prefix,
			what, name);
	return 2;
}

/*
 * The library names an option by its field ("min", "class_weight"); on
 * the command line it is a flag. A field reads as "--" and its name with
 * '-' for '_', one letter as "-x", except for the fields below, whose
 * flags say more than the field's name.
 */
static const struct {
	const char *field, *flag;
} option_flags[] = {
	{ "method", "-m" },
	{ "verbose", "-v" },
	{ "delimiter", "-d" },
	{ "min", "--min-per-stratum" },
};

static void flag_word(const char *field, char *out, size_t size)
{
	size_t n = 0;

	for (size_t i = 0; i < sizeof option_flags / sizeof *option_flags; i++)
		if (strcmp(field, option_flags[i].field) == 0) {
			snprintf(out, size, "%s", option_flags[i].flag);
			return;
		}
	if (size < 3)
		return;
	out[n++] = '-';
	if (field[0] && field[1])
		out[n++] = '-';
	for (; *field && n + 1 < size; field++)
		out[n++] = *field == '_' ? '-' : *field;
	out[n] = '\0';
}

/* What went to stdout through stdio (--help, --version) is written out
 * here: a failure to write it is an error, not a quiet status 0 (a
 * closed pipe excepted, as for records). */
static int end_stdout(int status)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return status;
	if (errno == EPIPE)
		return status;
	fprintf(stderr, "sift%s%s: stdout: write error: %s\n",
		*sift_cmd ? " " : "", sift_cmd, strerror(errno));
	return status ? status : 1;
}

/* A run ended by a signal leaves no temporary of -o FILE behind; the
 * signal then ends the process as it would have (status 128 + N). */
static void end_by_signal(int sig)
{
	sift_writer_remove_temporaries();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* The signals that end a run, caught unless ignored on entry (nohup,
 * a shell's background job), where they stay ignored. */
static void catch_ending_signals(void)
{
	static const int sigs[] = { SIGHUP, SIGINT, SIGTERM };
	struct sigaction sa, old;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = end_by_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
		if (sigaction(sigs[i], NULL, &old) == 0 &&
		    old.sa_handler != SIG_IGN)
			sigaction(sigs[i], &sa, NULL);
}

int main(int argc, char **argv)
{
	int i;

	sift_set_option_namer(flag_word);

	/* A closed pipe downstream shows up as EPIPE from write(2), which
	 * the writer turns into a quiet exit with status 0. */
	signal(SIGPIPE, SIG_IGN);
	catch_ending_signals();
	if (argc < 2) {
		print_help(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		print_help(stdout);
		return end_stdout(0);
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("sift %s\n", SIFT_VERSION);
		return end_stdout(0);
	}
	if (strcmp(argv[1], "help") == 0) {
		const char *name = argc < 3 ? "sift" : argv[2];
		const char *bare =
			strncmp(name, "sift-", 5) == 0 ? name + 5 : name;

		if (find_command(bare) < 0 && !is_format(bare) &&
		    strcmp(name, "sift"))
			return no_command("sift help", name, "sift help ", 1);
		return show_manual(argv[0], name);
	}
	i = find_command(argv[1]);
	if (i < 0)
		return no_command("sift", argv[1], "sift ", 0);
	sift_cmd = commands[i].name;
	int status = commands[i].run(argc - 1, argv + 1);
	tool_progress_clear();
	return end_stdout(status);
}

/* ---- the progress line ---------------------------------------------- */

/*
 * The progress line every command draws on stderr while it reads, when
 * stderr is a terminal (see tool_progress in sift.h).
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
