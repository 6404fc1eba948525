#!/usr/bin/env bash
# bench/cv.sh: sift train --cv 5 beside scikit-learn's cross_val_predict,
# in one run, on the same hashed features of 100,000 generated tweets.
#
#   apt-get install -y python3-sklearn       (benchmark only)
#
# sift: `sift train --cv 5 --oof FILE` from the CSV (reading, tokenizing
# and hashing included), its out-of-fold macro-F1 pooled over all the
# records by `sift metrics` on the --oof output, and the report's mean
# macro-F1 over the folds. scikit-learn: the very features sift's models
# see (written by `sift train --export-svm`, not counted in its time),
# read by load_svmlight_file, then cross_val_predict with 5 stratified
# shuffled folds of SGDClassifier(loss='log_loss') and of
# LogisticRegression (liblinear); its time is the loading and the five
# fits. Printed: each tool's seconds and pooled out-of-fold macro-F1,
# and the time ratio peer / sift. Without scikit-learn, a line says so.
#
# Environment: SIFT, SIFT_BENCH_DIR (lib.sh); SIFT_BENCH_CV_TWEETS
# (default 100000 tweets, seed 3).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
bench_init
n=${SIFT_BENCH_CV_TWEETS:-100000}
work=$bench_tmp
py=/usr/bin/python3

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

"$bench_repo/examples/tweets/gen-tweets" -n "$n" --seed 3 >"$work/tweets.csv"

t0=$(now)
"$SIFT" train --cv 5 -l misinfo -t text --seed 1 -q --oof "$work/oof.csv" \
	"$work/tweets.csv" >"$work/cv.report" 2>/dev/null
t1=$(now)
sift_s=$(secs "$t0" "$t1")
sift_f1=$("$SIFT" metrics --gold misinfo --pred pred --format csv "$work/oof.csv" |
	awk -F, '$2 == "macro_f1" { printf "%.4f", $5 }')
sift_mean=$(awk '/^  macro F1 / { print $3 " (sd " $4 ")" }' "$work/cv.report")

echo "cross-validation, 5 folds, $n generated tweets (seed 3)"
printf '%-28s %9s %12s  %s\n' tool seconds "oof macro-F1" note
printf '%-28s %9s %12s  %s\n' "sift train --cv 5" "$sift_s" "$sift_f1" \
	"mean over folds $sift_mean; CSV parsing included"

if ! "$py" -c 'import sklearn' 2>/dev/null; then
	echo "scikit-learn: not installed (apt-get install python3-sklearn), skipped"
	exit 0
fi
"$SIFT" train -l misinfo -t text --seed 1 -q -o "$work/m" \
	--export-svm "$work/feats.svm" "$work/tweets.csv" >/dev/null 2>&1
"$py" - "$work/feats.svm" "$sift_s" <<'EOF'
import sys, time
from sklearn.datasets import load_svmlight_file
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict

path, sift_s = sys.argv[1], float(sys.argv[2])
peers = [
    # 5 epochs and the L2 penalty of sift train's defaults
    ("sklearn SGD log_loss", lambda: SGDClassifier(
        loss="log_loss", alpha=1e-6, max_iter=5, tol=None, random_state=1)),
    ("sklearn LogisticRegression", lambda: LogisticRegression(solver="liblinear")),
]
for name, make in peers:
    t0 = time.perf_counter()
    X, y = load_svmlight_file(path, n_features=(1 << 20) + 1)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=1)
    pred = cross_val_predict(make(), X, y, cv=folds)
    s = time.perf_counter() - t0
    f1 = f1_score(y, pred, average="macro")
    print("%-28s %9.3f %12.4f  %.1f times sift's time" % (name, s, f1, s / sift_s))
EOF
