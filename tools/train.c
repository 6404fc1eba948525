/*
 * tools/train.c - `sift train`: options in, lib/train.c does the rest;
 * the training log on stderr (and in SQLite with --log), the report on
 * stdout.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sift.h"
#include "sift/metrics_format.h"
#include "sift/model.h"
#include "sift/train.h"
#include "sift/train_cv.h"
#include "sift/trainlog.h"
#include "sift/trainplot.h"
#include "sift/writer.h"

static const char usage[] =
	"usage: sift train --label COL [--text COL]... [--num COLS] "
	"[--cat COLS]\n"
	"                  [--hidden N] [--epochs N] [--lr X] [--valid FILE | "
	"--holdout F]\n"
	"                  [--class-weight W] [--log DB] [--plot FILE.svg] -o "
	"MODEL "
	"[FILE]\n"
	"       sift train --cv K [--group COL] [--oof FILE] --label COL ... "
	"[-o MODEL] [FILE]\n"
	"       sift train --plot-run DB[:RUN] [--plot FILE.svg]\n";

static const char help[] =
	"Train a text classifier on labeled CSV records (plain or gzip, or "
	"stdin).\n"
	"\n"
	"  -l, --label COL      the label column; an empty label is unlabeled\n"
	"  -t, --text COL       a text column (repeatable)\n"
	"      --num COLS       numeric columns, standardized\n"
	"      --cat COLS       categorical columns, hashed as COL=VALUE\n"
	"  -w, --weight COL     sample weights (sift sample --emit-weight),\n"
	"                       normalised to mean 1 for training\n"
	"      --ngrams N       word n-grams 1..N (default 1)\n"
	"      --char-ngrams MIN,MAX  character n-grams (default none)\n"
	"  -b, --bits B         2^B hashed buckets (default 18)\n"
	"      --hidden N       a hidden layer of N units (default 0: "
	"softmax regression)\n"
	"      --lr X           learning rate, decayed linearly (default 8;\n"
	"                       0.5 with --hidden)\n"
	"  -e, --epochs N       epochs (default 10)\n"
	"      --batch N        mini-batch size (default 8)\n"
	"      --l2 X|auto      L2 penalty (default: auto with validation\n"
	"                       data, else 1e-6); auto: the best of\n"
	"                       1e-6 ... 1e-2 on validation\n"
	"      --class-weight W none, balanced or LABEL=W,... (default none)\n"
	"      --threshold T    f1, cost or none (default f1 for two classes\n"
	"                       with validation data)\n"
	"      --cost FN=X,FP=Y costs for --threshold cost (default 1 and 1)\n"
	"      --positive LABEL the positive class (default the rarer)\n"
	"      --valid FILE     validation data\n"
	"      --holdout F      else hold out a stratified fraction "
	"(default 0.1)\n"
	"      --early-stop N   keep the best epoch; after N epochs without\n"
	"                       gain, N more from it as the rate decays, "
	"then stop\n"
	"      --early-stop-on F  macro-f1 (default), ap or cost\n"
	"      --self-train R   R rounds of self-training on unlabeled "
	"records\n"
	"      --confidence P   self-training: pseudo-label at P (default "
	"0.95)\n"
	"      --calibrate KIND platt, isotonic or temperature: fit the "
	"probabilities\n"
	"                       on the validation data, store it in the "
	"model\n"
	"      --seed N         seed (default: drawn at random, printed)\n"
	"      --log DB         log the run into the SQLite database DB\n"
	"      --plot FILE.svg  draw the run: training loss and accuracy per\n"
	"                       batch, validation loss and macro-F1 per "
	"epoch\n"
	"      --plot-run DB[:RUN]  draw a run of a --log database (the "
	"last\n"
	"                       by default) to --plot FILE or stdout; no "
	"training\n"
	"      --export-svm FILE  write the hashed features of the labeled\n"
	"                       records to FILE in the LIBSVM format\n"
	"      --cv K           K-fold cross-validation: a model per "
	"stratified\n"
	"                       fold, the report as mean and sd over folds;\n"
	"                       with -o, then the model on all the data\n"
	"      --group COL      --cv: folds that never split a value of COL\n"
	"      --oof FILE       --cv: the labeled records with the pred and\n"
	"                       p_<class> columns of the fold model that did\n"
	"                       not see them\n"
	"  -o, --output MODEL   write the model to MODEL, atomically "
	"(required\n"
	"                       without --cv)\n"
	"  -q, --quiet          nothing on stderr but what is wrong\n"
	"  -v, --verbose        the seed, and the batches' loss (about ten\n"
	"                       lines an epoch), on stderr\n" TOOL_CSV_OPTIONS
	"  -h, --help           this help\n"
	"\n"
	"sift help train: the tokenizer, the models, the log schema.\n";

enum {
	OPT_NUM = 256,
	OPT_CAT,
	OPT_NGRAMS,
	OPT_CHAR,
	OPT_HIDDEN,
	OPT_LR,
	OPT_BATCH,
	OPT_L2,
	OPT_CW,
	OPT_THRESHOLD,
	OPT_COST,
	OPT_POSITIVE,
	OPT_VALID,
	OPT_HOLDOUT,
	OPT_EARLY,
	OPT_EARLY_ON,
	OPT_SELF,
	OPT_CONF,
	OPT_LOG,
	OPT_EXPORT,
	OPT_CV,
	OPT_GROUP,
	OPT_OOF,
	OPT_PLOT,
	OPT_PLOT_RUN,
	OPT_CALIBRATE,
};

static const struct option longopts[] = {
	{ "label", required_argument, NULL, 'l' },
	{ "text", required_argument, NULL, 't' },
	{ "num", required_argument, NULL, OPT_NUM },
	{ "cat", required_argument, NULL, OPT_CAT },
	{ "weight", required_argument, NULL, 'w' },
	{ "ngrams", required_argument, NULL, OPT_NGRAMS },
	{ "char-ngrams", required_argument, NULL, OPT_CHAR },
	{ "bits", required_argument, NULL, 'b' },
	{ "hidden", required_argument, NULL, OPT_HIDDEN },
	{ "lr", required_argument, NULL, OPT_LR },
	{ "epochs", required_argument, NULL, 'e' },
	{ "batch", required_argument, NULL, OPT_BATCH },
	{ "l2", required_argument, NULL, OPT_L2 },
	{ "class-weight", required_argument, NULL, OPT_CW },
	{ "threshold", required_argument, NULL, OPT_THRESHOLD },
	{ "cost", required_argument, NULL, OPT_COST },
	{ "positive", required_argument, NULL, OPT_POSITIVE },
	{ "valid", required_argument, NULL, OPT_VALID },
	{ "holdout", required_argument, NULL, OPT_HOLDOUT },
	{ "early-stop", required_argument, NULL, OPT_EARLY },
	{ "early-stop-on", required_argument, NULL, OPT_EARLY_ON },
	{ "self-train", required_argument, NULL, OPT_SELF },
	{ "confidence", required_argument, NULL, OPT_CONF },
	{ "seed", required_argument, NULL, TOOL_OPT_SEED },
	{ "log", required_argument, NULL, OPT_LOG },
	{ "export-svm", required_argument, NULL, OPT_EXPORT },
	{ "cv", required_argument, NULL, OPT_CV },
	{ "group", required_argument, NULL, OPT_GROUP },
	{ "oof", required_argument, NULL, OPT_OOF },
	{ "plot", required_argument, NULL, OPT_PLOT },
	{ "plot-run", required_argument, NULL, OPT_PLOT_RUN },
	{ "calibrate", required_argument, NULL, OPT_CALIBRATE },
	TOOL_COMMON_LONGOPTS,
	{ NULL, 0, NULL, 0 },
};

struct args {
	struct tool_common common;
	struct sift_train_opts to;
	struct sift_model m;
	const char *input, *log, *export_svm;
	/* --plot FILE; --plot-run DB[:RUN], as DB and RUN (0: the last) */
	const char *plot, *plot_db;
	char *plot_db_copy;
	int64_t plot_run;
	/* --cv K (cv_given), --group, --oof */
	int cv_given;
	struct sift_cv_opts cv;
	const char *oof;
	/* every option as given, for --log */
	size_t n_given;
	char *given_name[64], *given_value[64];
};

static int bounded(const char *opt, const char *arg, uint64_t lo, uint64_t hi,
		   uint64_t *out)
{
	if (tool_u64(usage, opt, arg, out))
		return 2;
	if (*out < lo || *out > hi)
		return tool_usage_error(usage, "%s: %s is not in %llu..%llu",
					opt, arg, (unsigned long long)lo,
					(unsigned long long)hi);
	return 0;
}

static int columns(struct args *a, int kind, const char *list)
{
	struct sift_error err = { 0, "" };
	char *copy = strdup(list), *save = NULL;
	int rc = 0;

	if (!copy)
		return tool_nomem();
	for (char *t = strtok_r(copy, ",", &save); t && !rc;
	     t = strtok_r(NULL, ",", &save))
		rc = sift_feat_spec_add(&a->m.spec, kind, t, &err);
	free(copy);
	if (rc)
		return tool_fail(&err);
	return 0;
}

static int positive_double(const char *opt, const char *arg, double *out,
			   int strictly)
{
	if (tool_double(usage, opt, arg, out))
		return 2;
	if (*out < 0 || (strictly && *out == 0))
		return tool_usage_error(usage, "%s: %s must be %s 0", opt, arg,
					strictly ? ">" : ">=");
	return 0;
}

static int parse_char(struct args *a, const char *arg)
{
	unsigned lo, hi;
	char extra;

	if (sscanf(arg, "%u,%u%c", &lo, &hi, &extra) != 2 || lo < 1 ||
	    hi < lo || hi > SIFT_FEATURES_MAX_CHAR)
		return tool_usage_error(usage,
					"--char-ngrams: '%s' is not MIN,MAX "
					"with 1 <= MIN <= MAX <= %d",
					arg, SIFT_FEATURES_MAX_CHAR);
	a->m.spec.char_min = lo;
	a->m.spec.char_max = hi;
	return 0;
}

static int parse_model_option(int c, struct args *a)
{
	struct sift_train_opts *o = &a->to;
	uint64_t u;
	int rc;

	switch (c) {
	case OPT_NGRAMS:
		rc = bounded("--ngrams", optarg, 1, SIFT_FEATURES_MAX_NGRAMS,
			     &u);
		a->m.spec.ngrams = (unsigned)u;
		return rc;
	case OPT_CHAR:
		return parse_char(a, optarg);
	case 'b':
		rc = bounded("--bits", optarg, 1, SIFT_FEATURES_MAX_BITS, &u);
		a->m.spec.bits = (unsigned)u;
		return rc;
	case OPT_HIDDEN:
		rc = bounded("--hidden", optarg, 0, SIFT_MODEL_MAX_HIDDEN, &u);
		o->hidden = (unsigned)u;
		return rc;
	case OPT_LR:
		return positive_double("--lr", optarg, &o->lr, 1);
	case 'e':
		rc = bounded("--epochs", optarg, 1, 100000, &u);
		o->epochs = (unsigned)u;
		return rc;
	case OPT_BATCH:
		rc = bounded("--batch", optarg, 1, 1u << 20, &u);
		o->batch = (size_t)u;
		return rc;
	case OPT_L2:
		o->l2_mode = strcmp(optarg, "auto") == 0 ? SIFT_L2_CHOOSE
							 : SIFT_L2_FIXED;
		if (o->l2_mode == SIFT_L2_CHOOSE)
			return 0;
		return positive_double("--l2", optarg, &o->l2, 0);
	default:
		return -1;
	}
}

static int parse_imbalance_option(int c, struct args *a)
{
	static const char *const weights[] = { "none", "balanced" };
	static const char *const thresholds[] = { "f1", "cost", "none" };
	struct sift_train_opts *o = &a->to;
	char near[128];

	switch (c) {
	case OPT_CW:
		if (strcmp(optarg, "none") == 0)
			o->class_weight = SIFT_CW_NONE;
		else if (strcmp(optarg, "balanced") == 0)
			o->class_weight = SIFT_CW_BALANCED;
		else if (strchr(optarg, '='))
			o->class_weight = SIFT_CW_LIST,
			o->class_weights = optarg;
		else
			return tool_usage_error(
				usage,
				"--class-weight: '%s' is not "
				"none, balanced or LABEL=W,...%s",
				optarg,
				tool_did_you_mean(optarg, weights, 2, near,
						  sizeof near));
		return 0;
	case OPT_THRESHOLD:
		if (strcmp(optarg, "f1") == 0)
			o->threshold = SIFT_TH_F1;
		else if (strcmp(optarg, "cost") == 0)
			o->threshold = SIFT_TH_COST;
		else if (strcmp(optarg, "none") == 0)
			o->threshold = SIFT_TH_NONE;
		else
			return tool_usage_error(
				usage,
				"--threshold: '%s' is not f1, "
				"cost or none%s",
				optarg,
				tool_did_you_mean(optarg, thresholds, 3, near,
						  sizeof near));
		return 0;
	case OPT_COST: {
		struct sift_error err = { 0, "" };

		if (sift_train_parse_cost(optarg, o, &err))
			return tool_usage_error(usage, "%s", err.msg);
		return 0;
	}
	case OPT_POSITIVE:
		o->positive = optarg;
		return 0;
	default:
		return -1;
	}
}

static int bad_stop_on(const char *arg)
{
	static const char *const figures[] = { "macro-f1", "ap", "cost" };
	char near[128];

	return tool_usage_error(
		usage,
		"--early-stop-on: '%s' is not macro-f1, ap or "
		"cost%s",
		arg, tool_did_you_mean(arg, figures, 3, near, sizeof near));
}

static int parse_loop_option(int c, struct args *a)
{
	struct sift_train_opts *o = &a->to;
	uint64_t u;
	int rc;

	switch (c) {
	case OPT_VALID:
		o->valid = optarg;
		return 0;
	case OPT_CALIBRATE: {
		static const char *const kinds[] = { "platt", "isotonic",
						     "temperature" };
		char near[128];
		int k = sift_cal_kind_of(optarg);

		if (k <= SIFT_CAL_NONE)
			return tool_usage_error(
				usage,
				"--calibrate: '%s' is not platt, isotonic or "
				"temperature%s",
				optarg,
				tool_did_you_mean(optarg, kinds, 3, near,
						  sizeof near));
		o->calibrate = (enum sift_cal_kind)k;
		return 0;
	}
	case OPT_HOLDOUT:
		if (tool_double(usage, "--holdout", optarg, &o->holdout))
			return 2;
		if (o->holdout < 0 || o->holdout >= 1)
			return tool_usage_error(
				usage, "--holdout: %s is not in [0, 1)",
				optarg);
		return 0;
	case OPT_EARLY:
		rc = bounded("--early-stop", optarg, 0, 100000, &u);
		o->early_stop = (unsigned)u;
		return rc;
	case OPT_EARLY_ON:
		if (strcmp(optarg, "macro-f1") == 0)
			o->stop_on = SIFT_STOP_MACRO_F1;
		else if (strcmp(optarg, "ap") == 0)
			o->stop_on = SIFT_STOP_AP;
		else if (strcmp(optarg, "cost") == 0)
			o->stop_on = SIFT_STOP_COST;
		else
			return bad_stop_on(optarg);
		return 0;
	case OPT_SELF:
		rc = bounded("--self-train", optarg, 0, 1000, &u);
		o->self_train = (unsigned)u;
		return rc;
	case OPT_CONF:
		if (tool_double(usage, "--confidence", optarg, &o->confidence))
			return 2;
		if (!(o->confidence > 0 && o->confidence <= 1))
			return tool_usage_error(usage,
						"--confidence: %s is not in "
						"(0, 1]",
						optarg);
		return 0;
	default:
		return -1;
	}
}

/* --log keeps every option as given. A value in longopts names one
 * option only, so it finds the name of a short option too. */
static void remember(struct args *a, int c)
{
	const char *name = NULL;

	if (a->n_given >= 64)
		return;
	for (const struct option *o = longopts; o->name; o++)
		if (o->val == c)
			name = o->name;
	if (!name)
		return;
	a->given_name[a->n_given] = (char *)(uintptr_t)name;
	a->given_value[a->n_given] = optarg ? optarg : (char *)(uintptr_t) "";
	a->n_given++;
}

static int parse_cv_option(int c, struct args *a)
{
	uint64_t u;
	int rc;

	switch (c) {
	case OPT_CV:
		rc = bounded("--cv", optarg, 2, SIFT_CV_MAX_FOLDS, &u);
		a->cv.folds = (unsigned)u;
		a->cv_given = 1;
		return rc;
	case OPT_GROUP:
		a->cv.group = optarg;
		return 0;
	case OPT_OOF:
		a->oof = optarg;
		return 0;
	default:
		return -1;
	}
}

/* What --cv and its options need of the others. */
static int check_cv_args(const struct args *a)
{
	if (!a->cv_given) {
		if (a->oof)
			return tool_usage_error(usage,
						"--oof FILE needs --cv K");
		if (a->cv.group)
			return tool_usage_error(usage,
						"--group COL needs --cv K");
		return 0;
	}
	if (a->to.valid)
		return tool_usage_error(usage,
					"--cv and --valid: cross-validation "
					"judges every model on its own fold; "
					"give one or the other");
	if (!a->common.output && a->export_svm)
		return tool_usage_error(
			usage, "--export-svm with --cv writes the "
			       "final model's features: give -o MODEL");
	if (!a->common.output && a->log)
		return tool_usage_error(
			usage, "--log with --cv logs the final model's "
			       "training: give -o MODEL");
	return 0;
}

/* DB[:RUN]: RUN is the digits after the last ':', if any (a database's
 * own name may hold a ':'). */
static int plot_run_arg(struct args *a, const char *arg)
{
	const char *colon = strrchr(arg, ':');
	uint64_t run;

	a->plot_db = arg;
	a->plot_run = 0;
	if (!colon || !colon[1] ||
	    strspn(colon + 1, "0123456789") != strlen(colon + 1))
		return 0;
	if (colon == arg)
		return tool_usage_error(usage,
					"--plot-run: '%s' names no "
					"database",
					arg);
	if (tool_u64(usage, "--plot-run", colon + 1, &run))
		return 2;
	if (run == 0 || run > INT64_MAX)
		return tool_usage_error(usage,
					"--plot-run: run %s: runs count from 1",
					colon + 1);
	free(a->plot_db_copy);
	if (!(a->plot_db_copy = strndup(arg, (size_t)(colon - arg))))
		return tool_nomem();
	a->plot_db = a->plot_db_copy;
	a->plot_run = (int64_t)run;
	return 0;
}

/* --plot-run trains nothing: an option of training is a mistake. */
static int check_plot_run_args(const struct args *a)
{
	for (size_t i = 0; i < a->n_given; i++) {
		const char *n = a->given_name[i];

		if (strcmp(n, "plot") && strcmp(n, "plot-run") &&
		    strcmp(n, "quiet") && strcmp(n, "verbose"))
			return tool_usage_error(usage,
						"--plot-run draws a logged run "
						"and trains nothing: --%s has "
						"no use with it",
						n);
	}
	if (a->input && strcmp(a->input, "-") != 0)
		return tool_usage_error(usage,
					"--plot-run draws a logged run and "
					"reads no input: '%s' has no use with "
					"it",
					a->input);
	return 0;
}

static int parse_option(int c, void *ctx)
{
	struct args *a = ctx;
	int rc;

	/* Remembered before it is parsed: a bad value ends the run. */
	remember(a, c);
	switch (c) {
	case 'l':
		a->to.label = optarg;
		return 0;
	case 't':
		return columns(a, 't', optarg);
	case OPT_NUM:
		return columns(a, 'n', optarg);
	case OPT_CAT:
		return columns(a, 'c', optarg);
	case 'w':
		a->to.weight = optarg;
		return 0;
	case OPT_LOG:
		a->log = optarg;
		return 0;
	case OPT_EXPORT:
		a->export_svm = optarg;
		return 0;
	case OPT_PLOT:
		a->plot = optarg;
		return 0;
	case OPT_PLOT_RUN:
		return plot_run_arg(a, optarg);
	}
	if ((rc = parse_model_option(c, a)) >= 0 ||
	    (rc = parse_imbalance_option(c, a)) >= 0 ||
	    (rc = parse_loop_option(c, a)) >= 0 ||
	    (rc = parse_cv_option(c, a)) >= 0)
		return rc;
	return tool_common_option(&a->common, usage, c, optarg);
}

static int parse_args(int argc, char **argv, struct args *a)
{
	int rc;

	memset(a, 0, sizeof *a);
	sift_train_opts_init(&a->to);
	tool_common_init(&a->common);
	sift_model_init(&a->m);
	sift_cv_opts_init(&a->cv);
	rc = tool_getopt(argc, argv, ":l:t:w:b:e:o:qvd:h", longopts, usage,
			 help, parse_option, a);
	if (!rc)
		rc = tool_one_input(argc, argv, usage, &a->input);
	if (rc)
		return rc;
	if (a->plot_db)
		return check_plot_run_args(a);
	if (!a->to.label)
		return tool_usage_error(usage, "--label COL is required");
	if ((rc = check_cv_args(a)))
		return rc;
	if (a->to.l2_mode == SIFT_L2_CHOOSE && !a->to.valid &&
	    a->to.holdout == 0)
		return tool_usage_error(usage,
					"--l2 auto chooses the penalty "
					"on validation data: --holdout 0 "
					"leaves none (--valid FILE, or "
					"--holdout F above 0)");
	if (a->to.calibrate && !a->to.valid && a->to.holdout == 0)
		return tool_usage_error(usage, "--calibrate needs validation "
					       "data to fit on: --holdout 0 "
					       "leaves none (--valid FILE, or "
					       "--holdout F above 0)");
	if (!a->common.output && !a->cv_given)
		return tool_usage_error(usage, "-o MODEL is required");
	if (!a->m.spec.n_text && !a->m.spec.n_num && !a->m.spec.n_cat)
		return tool_usage_error(usage, "no features: give --text, "
					       "--num or --cat");
	if (a->plot && a->cv_given && !a->common.output)
		return tool_usage_error(usage, "--plot draws the training of "
					       "the final model: with --cv it "
					       "needs -o MODEL");
	if (a->plot && a->common.output &&
	    strcmp(a->plot, a->common.output) == 0)
		return tool_usage_error(usage,
					"--plot %s would overwrite the "
					"model of -o",
					a->plot);
	a->to.seed = tool_seed(&a->common);
	return 0;
}

/* ---- the training log ---- */

struct progress {
	struct args *a;
	struct sift_trainlog *lg;
	struct sift_error err; /* the first logging error */
	int tty;
	double t0;
	uint64_t done, total;
	/* --verbose: the batches since the last line */
	double v_loss, v_acc;
	uint64_t v_n;
	unsigned fold, folds;        /* --cv: the fold in training (0: the final
					model, or no --cv) */
	struct sift_trainplot *plot; /* --plot */
};

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void on_batch(void *ctx, unsigned round, unsigned epoch, uint64_t batch,
		     uint64_t n_batches, double loss, double acc)
{
	struct progress *pg = ctx;

	if (pg->lg && !pg->err.code && !pg->fold)
		sift_trainlog_batch(pg->lg, round, epoch, batch, loss, acc,
				    &pg->err);
	if (pg->plot && !pg->fold)
		sift_trainplot_batch(pg->plot, loss, acc);
	if (pg->a->common.verbose) {
		/* About ten lines an epoch: the mean over the batches since
		 * the last line. */
		uint64_t every = (n_batches + 9) / 10;

		pg->v_loss += loss;
		pg->v_acc += acc;
		pg->v_n++;
		if (batch % every == 0 || batch == n_batches) {
			tool_warn("round %u epoch %u batches %llu-%llu/%llu: "
				  "loss %.4f accuracy %.4f",
				  round, epoch,
				  (unsigned long long)(batch - pg->v_n + 1),
				  (unsigned long long)batch,
				  (unsigned long long)n_batches,
				  pg->v_loss / (double)pg->v_n,
				  pg->v_acc / (double)pg->v_n);
			pg->v_loss = pg->v_acc = 0;
			pg->v_n = 0;
		}
	}
	if (pg->tty && !pg->a->common.quiet &&
	    (batch % 64 == 0 || batch == n_batches)) {
		double el = seconds() - pg->t0;
		double frac = ((double)(epoch - 1) +
			       (double)batch / (double)n_batches) /
			      (double)pg->a->to.epochs;
		int bar = (int)(frac * 30);

		tool_progress_line("[%-30.*s] epoch %u/%u loss %.4f ETA %.0fs",
				   bar, "==============================", epoch,
				   pg->a->to.epochs, loss,
				   frac > 0 ? el / frac - el : 0.0);
	}
}

/* "fold F/K " in cross-validation, "round R " in self-training. */
static void fold_prefix(const struct progress *pg, unsigned round, char *buf,
			size_t size)
{
	int n = 0;

	buf[0] = '\0';
	if (pg->fold)
		n = snprintf(buf, size, "fold %u/%u ", pg->fold, pg->folds);
	if (round && n >= 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, "round %u ", round);
}

static void on_epoch(void *ctx, const struct sift_epoch_stats *st)
{
	struct progress *pg = ctx;
	char r[64] = "";

	if (pg->lg && !pg->err.code && !pg->fold)
		sift_trainlog_epoch(pg->lg, st, &pg->err);
	if (pg->plot && !pg->err.code && !pg->fold)
		sift_trainplot_epoch(pg->plot, st, &pg->err);
	if (pg->a->common.quiet)
		return;
	tool_progress_clear();
	fold_prefix(pg, st->round, r, sizeof r);
	if (st->has_valid)
		tool_warn("%sepoch %u/%u: train loss %.4f acc %.4f | valid "
			  "loss %.4f macro-F1 %.4f AP %.4f%s (%.1fs)",
			  r, st->epoch, st->epochs, st->train_loss,
			  st->train_acc, st->valid_loss, st->valid_macro_f1,
			  st->valid_ap, st->best ? " *" : "", st->seconds);
	else
		tool_warn("%sepoch %u/%u: train loss %.4f acc %.4f (%.1fs)", r,
			  st->epoch, st->epochs, st->train_loss, st->train_acc,
			  st->seconds);
}

/* The penalty chosen on validation, and every penalty's score. */
static void l2_summary(const struct args *a,
		       const struct sift_train_result *res)
{
	static const char *const figure[] = {
		[SIFT_STOP_MACRO_F1] = "macro-F1",
		[SIFT_STOP_AP] = "average precision",
		[SIFT_STOP_COST] = "cost",
	};
	char line[1024];
	size_t used = 0;

	for (unsigned i = 0; i < SIFT_TRAIN_L2_GRID && used < sizeof line;
	     i++) {
		double s = res->l2_score[i];

		if (a->to.stop_on == SIFT_STOP_COST)
			s = -s; /* scored so that higher is better */
		used += (size_t)snprintf(line + used, sizeof line - used,
					 "%s%g %.4f", i ? ", " : "",
					 sift_train_l2_grid[i], s);
	}
	tool_warn("--l2: chose %g, the best %s on validation (%s)",
		  sift_train_l2_grid[res->l2_chosen], figure[a->to.stop_on],
		  line);
}

static void summary(const struct args *a, const struct sift_train_result *res,
		    const struct sift_model *m)
{
	char line[2048];
	size_t used;

	if (a->common.quiet)
		return;
	used = (size_t)snprintf(line, sizeof line,
				"%llu records: %llu labeled for training, "
				"%llu for validation, %llu unlabeled; ",
				(unsigned long long)res->n_records,
				(unsigned long long)res->n_train,
				(unsigned long long)res->n_valid,
				(unsigned long long)res->n_unlabeled);
	for (size_t c = 0; c < res->n_classes && used < sizeof line; c++)
		used += (size_t)snprintf(
			line + used, sizeof line - used,
			"%s%s %llu (weight %.4g)", c ? ", " : "", m->classes[c],
			(unsigned long long)res->class_count[c],
			res->class_weight[c]);
	tool_warn("%s", line);
	if (res->l2_chose)
		l2_summary(a, res);
	if (a->to.early_stop && res->n_valid && res->anneal_first)
		tool_warn("read in %.2fs, trained in %.2fs; kept the weights "
			  "of epoch %u of %u, the best on validation "
			  "(--early-stop; no gain in %u epochs after epoch %u, "
			  "so epochs %u to %u went on from its weights, the "
			  "rate decaying to 0)",
			  res->seconds_load, res->seconds_train,
			  res->best_epoch, res->epochs_run, a->to.early_stop,
			  res->anneal_base, res->anneal_first, res->epochs_run);
	else if (a->to.early_stop && res->n_valid)
		tool_warn("read in %.2fs, trained in %.2fs; kept the weights "
			  "of epoch %u of %u, the best on validation "
			  "(--early-stop)",
			  res->seconds_load, res->seconds_train,
			  res->best_epoch, res->epochs_run);
	else if (res->n_valid && res->best_epoch == res->epochs_run)
		tool_warn("read in %.2fs, trained in %.2fs; kept the weights "
			  "of the last epoch, %u, the best on validation",
			  res->seconds_load, res->seconds_train,
			  res->epochs_run);
	else if (res->n_valid)
		tool_warn("read in %.2fs, trained in %.2fs; kept the weights "
			  "of the last epoch, %u (the best on validation was "
			  "epoch %u; --early-stop N keeps the best)",
			  res->seconds_load, res->seconds_train,
			  res->epochs_run, res->best_epoch);
	else
		tool_warn("read in %.2fs, trained in %.2fs; kept the weights "
			  "of the last epoch, %u",
			  res->seconds_load, res->seconds_train,
			  res->epochs_run);
}

/* A seed drawn at random, so that the run can be repeated. */
static void seed_note(const struct args *a)
{
	if (!a->common.quiet && !a->common.have_seed)
		tool_warn("seed %llu, drawn at random (--seed %llu repeats "
			  "this run)",
			  (unsigned long long)a->to.seed,
			  (unsigned long long)a->to.seed);
}

/* What a run says on stderr: with -q only what is wrong. */
static void notes(const struct args *a, const struct sift_train_result *res,
		  const struct sift_model *m)
{
	summary(a, res, m);
	seed_note(a);
	if (!a->common.quiet)
		tool_notes("", res->notes);
	tool_notes("warning: ", res->diagnostics);
}

static int report(const struct sift_train_result *res, struct sift_error *err)
{
	struct sift_writer *w;
	int rc;

	if (!res->has_report)
		return 0;
	if (!(w = sift_writer_open(NULL, err)))
		return err->code;
	rc = sift_writer_puts(w,
			      res->report_on_valid
				      ? "validation report\n"
				      : "training-data report (no validation "
					"data)\n",
			      err);
	if (!rc)
		rc = sift_metrics_write(w, SIFT_METRICS_TEXT, &res->report,
					NULL, 1, err);
	return tool_close_output(w, rc, err);
}

/* --log DB: the run's row and options, before it reads a record; a
 * seed drawn at random is logged as if given, so the run can be
 * repeated from the log. */
static int log_open(const struct args *a, struct progress *pg,
		    struct sift_error *err)
{
	char *name[65], *value[65], seed[24];
	size_t n = a->n_given;

	if (!a->log)
		return 0;
	memcpy(name, a->given_name, n * sizeof *name);
	memcpy(value, a->given_value, n * sizeof *value);
	if (!a->common.have_seed) {
		snprintf(seed, sizeof seed, "%llu",
			 (unsigned long long)a->to.seed);
		name[n] = (char *)(uintptr_t) "seed";
		value[n++] = seed;
	}
	if (!(pg->lg = sift_trainlog_open(a->log, a->input, a->common.output, n,
					  name, value, err)))
		return err->code;
	return 0;
}

/* ---- --plot, --plot-run ---- */

/* --plot FILE: a wrong FILE fails before training, as -o does. */
static int plot_open(const struct args *a, struct progress *pg,
		     struct sift_error *err)
{
	int rc;

	if (!a->plot)
		return 0;
	if ((rc = sift_writer_check(a->plot, err)))
		return rc;
	if (!(pg->plot = malloc(sizeof *pg->plot)))
		return sift_error_nomem(err);
	sift_trainplot_init(pg->plot);
	return 0;
}

static void plot_free(struct progress *pg)
{
	if (pg->plot)
		sift_trainplot_free(pg->plot);
	free(pg->plot);
	pg->plot = NULL;
}

/* Draw p to path (NULL: stdout), atomically. */
static int plot_draw(const char *path, const struct sift_trainplot *p,
		     struct sift_error *err)
{
	struct sift_writer *w = sift_writer_open(path, err);

	if (!w)
		return err->code;
	return tool_close_output(w, sift_trainplot_svg(w, p, err), err);
}

/* The trained run's plot: the epoch kept marked, titled by the model,
 * the data, the seed when drawn at random, and the options. */
static int plot_write(const struct args *a, struct sift_trainplot *p,
		      const struct sift_train_result *res,
		      struct sift_error *err)
{
	char seed[64] = "";

	if (!p)
		return 0;
	sift_trainplot_keep(p, a->to.early_stop && res->n_valid
				       ? res->best_epoch
				       : res->epochs_run);
	if (!a->common.have_seed)
		snprintf(seed, sizeof seed, "seed %llu (drawn);",
			 (unsigned long long)a->to.seed);
	sift_trainplot_title(p, seed, a->input, a->common.output, a->n_given,
			     a->given_name, a->given_value);
	return plot_draw(a->plot, p, err);
}

static int run_plot(const struct args *a, struct sift_error *err)
{
	struct sift_trainplot *p = malloc(sizeof *p);
	int rc;

	if (!p)
		return sift_error_nomem(err);
	sift_trainplot_init(p);
	rc = sift_trainlog_plot(a->plot_db, a->plot_run, p, err);
	if (!rc)
		rc = plot_draw(a->plot, p, err);
	sift_trainplot_free(p);
	free(p);
	return rc;
}

/* No batch hook when nothing reads the batches (no log, plot, -v or
 * progress bar): then the penalty chosen on validation is not run
 * again to show them (lib/train_l2.c). */
static void drop_idle_batch_hook(struct sift_train_hooks *h,
				 const struct progress *pg)
{
	if (!pg->lg && !pg->plot && !pg->a->common.verbose &&
	    !(pg->tty && !pg->a->common.quiet))
		h->batch = NULL;
}

static int run(struct args *a, struct sift_error *err)
{
	struct sift_train_result res;
	struct progress pg = { .a = a, .tty = isatty(2), .t0 = seconds() };
	struct sift_train_hooks hooks = { &pg, on_batch, on_epoch };
	struct sift_reader *r;
	int rc;

	/* The model is written once trained: a wrong -o fails now. */
	if ((rc = sift_writer_check(a->common.output, err)) ||
	    (rc = plot_open(a, &pg, err)))
		goto out;
	if ((rc = log_open(a, &pg, err)))
		goto out;
	if ((r = sift_reader_open(a->input, &a->common.csv, 0, err)))
		tool_progress(r, a->common.quiet, NULL);
	if (!r || (a->export_svm && !(a->to.export_svm = sift_writer_open(
					      a->export_svm, err)))) {
		sift_reader_close(r);
		sift_trainlog_close(pg.lg, 0, NULL, NAN, &pg.err);
		rc = err->code;
		goto out;
	}
	drop_idle_batch_hook(&hooks, &pg);
	rc = sift_train(r, &a->to, &hooks, &a->m, &res, err);
	sift_reader_close(r);
	rc = tool_close_output(a->to.export_svm, rc, err);
	a->to.export_svm = NULL;
	if (!rc && pg.err.code)
		*err = pg.err, rc = err->code;
	if (!rc)
		rc = sift_model_save(&a->m, a->common.output, err);
	if (!rc)
		rc = plot_write(a, pg.plot, &res, err);
	if (!rc) {
		notes(a, &res, &a->m);
		rc = report(&res, err);
	}
	if (pg.lg) {
		struct sift_error lerr = { 0, "" };
		int lrc = sift_trainlog_close(
			pg.lg, !rc, rc ? NULL : &res,
			a->m.has_threshold ? a->m.threshold : NAN, &lerr);

		if (!rc && lrc)
			*err = lerr, rc = lrc;
	}
	sift_train_result_free(&res);
out:
	plot_free(&pg);
	return rc;
}

/* ---- --cv ---- */

static void on_fold_begin(void *ctx, unsigned f, unsigned folds,
			  uint64_t n_train, uint64_t n_valid)
{
	struct progress *pg = ctx;

	pg->fold = f;
	pg->folds = folds;
	pg->t0 = seconds();
	if (pg->a->common.quiet)
		return;
	tool_progress_clear();
	if (f)
		tool_warn("fold %u/%u: training on %llu records, judged on "
			  "%llu",
			  f, folds, (unsigned long long)n_train,
			  (unsigned long long)n_valid);
	else
		tool_warn("final model: training on all %llu records",
			  (unsigned long long)n_train);
}

/* -v: every figure of a fold's report, by its stable name. */
static void on_fold_end(void *ctx, unsigned f, unsigned folds,
			const struct sift_metrics_report *rep)
{
	struct progress *pg = ctx;
	char line[4096];
	size_t used;

	if (!pg->a->common.verbose)
		return;
	used = (size_t)snprintf(line, sizeof line, "fold %u/%u:", f, folds);
	for (int g = 0; g < SIFT_FIG_COUNT && used < sizeof line; g++)
		if (rep->shown[g])
			used += (size_t)snprintf(
				line + used, sizeof line - used, " %s %.6f",
				sift_metrics_figure_name(g), rep->value[g]);
	tool_warn("%s", line);
}

static int cv_report(const struct sift_cv_result *res, struct sift_error *err)
{
	struct sift_writer *w = sift_writer_open(NULL, err);
	int rc;

	if (!w)
		return err->code;
	rc = sift_cv_write(w, res, err);
	return tool_close_output(w, rc, err);
}

static void cv_summary(const struct args *a, const struct sift_cv_result *res)
{
	if (!a->common.quiet) {
		tool_warn("%llu records: %llu labeled in %u folds, %llu "
			  "unlabeled; cross-validated in %.2fs",
			  (unsigned long long)res->n_records,
			  (unsigned long long)res->n_labeled, res->folds,
			  (unsigned long long)res->n_unlabeled, res->seconds);
		if (res->l2_chose) {
			char line[1024];
			size_t used = 0;

			for (unsigned f = 0;
			     f < res->folds && used < sizeof line; f++)
				used += (size_t)snprintf(
					line + used, sizeof line - used, "%s%g",
					f ? ", " : "", res->fold_l2[f]);
			tool_warn("--l2: the folds chose %s, each on its own "
				  "holdout",
				  line);
		}
		tool_notes("", res->notes);
	}
	if (res->has_final)
		notes(a, &res->final, &a->m);
	else
		seed_note(a);
}

/* Open what --cv writes besides the report: the LIBSVM features of the
 * final model and the out-of-fold records. */
static int cv_open(struct args *a, struct sift_error *err)
{
	if (a->export_svm &&
	    !(a->to.export_svm = sift_writer_open(a->export_svm, err)))
		return err->code;
	if (a->oof && !(a->cv.oof = sift_writer_open(a->oof, err)))
		return err->code;
	return 0;
}

static int run_cv(struct args *a, struct sift_error *err)
{
	struct sift_cv_result res;
	struct progress pg = { .a = a, .tty = isatty(2), .t0 = seconds() };
	struct sift_train_hooks th = { &pg, on_batch, on_epoch };
	struct sift_cv_hooks hooks = { &pg, on_fold_begin, on_fold_end, &th };
	struct sift_reader *r = NULL;
	int rc;

	memset(&res, 0, sizeof res);
	if ((a->common.output &&
	     (rc = sift_writer_check(a->common.output, err))) ||
	    (rc = plot_open(a, &pg, err)))
		goto out;
	if ((rc = log_open(a, &pg, err)))
		goto out;
	a->cv.final = a->common.output != NULL;
	if ((r = sift_reader_open(a->input, &a->common.csv,
				  a->oof ? SIFT_READER_REWIND : 0, err)))
		tool_progress(r, a->common.quiet, NULL);
	rc = r ? cv_open(a, err) : err->code;
	drop_idle_batch_hook(&th, &pg);
	if (!rc)
		rc = sift_train_cv(r, &a->to, &a->cv, &hooks, &a->m, &res, err);
	sift_reader_close(r);
	rc = tool_close_output(a->to.export_svm, rc, err);
	rc = tool_close_output(a->cv.oof, rc, err);
	a->to.export_svm = NULL;
	a->cv.oof = NULL;
	if (!rc && pg.err.code)
		*err = pg.err, rc = err->code;
	if (!rc && a->common.output)
		rc = sift_model_save(&a->m, a->common.output, err);
	if (!rc && res.has_final)
		rc = plot_write(a, pg.plot, &res.final, err);
	if (!rc) {
		cv_summary(a, &res);
		rc = cv_report(&res, err);
	}
	if (pg.lg) {
		struct sift_error lerr = { 0, "" };
		int lrc = sift_trainlog_close(
			pg.lg, !rc, rc ? NULL : &res.final,
			a->m.has_threshold ? a->m.threshold : NAN, &lerr);

		if (!rc && lrc)
			*err = lerr, rc = lrc;
	}
	sift_cv_result_free(&res);
out:
	plot_free(&pg);
	return rc;
}

int cmd_train(int argc, char **argv)
{
	struct sift_error err = { 0, "" };
	struct args a;
	int rc = parse_args(argc, argv, &a);

	if (rc) {
		sift_model_free(&a.m);
		return rc < 0 ? 0 : rc;
	}
	if (a.plot_db) {
		rc = run_plot(&a, &err);
		free(a.plot_db_copy);
		sift_model_free(&a.m);
		return tool_run_status(usage, rc, &err);
	}
	if (a.common.verbose)
		tool_warn("seed %llu", (unsigned long long)a.to.seed);
	rc = a.cv_given ? run_cv(&a, &err) : run(&a, &err);
	sift_model_free(&a.m);
	return tool_run_status(usage, rc, &err);
}
