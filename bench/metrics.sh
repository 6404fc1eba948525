#!/usr/bin/env bash
# bench/metrics.sh: `sift metrics`, the full binary report (confusion
# matrix, per-class and averaged figures, MCC, kappa, ROC-AUC, average
# precision, log loss, Brier, best-F1 threshold) on 10 million scored
# rows, beside scikit-learn computing the same figures from the same file
# (pandas read_csv + sklearn.metrics, under /usr/bin/python3 where
# python3-sklearn and python3-pandas are installed) and `wc -l`.
#
# Environment (besides lib.sh's SIFT and SIFT_BENCH_DIR):
#   SIFT_BENCH_ROWS  scored rows (default 10000000, ~170 MB)
#   SIFT_BENCH_RUNS  runs per command; the median is reported (default 3)
#
# The rows are generated once into the cache (never committed): gold is 1
# for 5% of them, the score a noisy function of it rounded to 4 digits
# (so there are ties), pred is score >= 0.5.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh"

rows=${SIFT_BENCH_ROWS:-10000000}
runs=${SIFT_BENCH_RUNS:-3}
py=/usr/bin/python3

# scored_rows N: the path of a cached file of N scored rows.
scored_rows() {
	local n=$1 f
	f=$BENCH_DIR/scored-n$n.csv
	if [ ! -s "$f" ]; then
		bench_say "generating $f ($n rows)..."
		awk -v n="$n" 'BEGIN {
			srand(1)
			print "gold,pred,score"
			for (i = 0; i < n; i++) {
				g = rand() < 0.05
				s = 0.35 * rand() + 0.65 * rand() * (g ? 1 : 0.6)
				printf "%d,%d,%.4f\n", g, (s >= 0.5), s
			}
		}' >"$f.tmp.$$" || { rm -f "$f.tmp.$$"; bench_die "generation failed"; }
		mv "$f.tmp.$$" "$f"
	fi
	printf '%s\n' "$f"
}

bench_init
file=$(scored_rows "$rows")
size=$(bench_file_size "$file")
bench_warm "$file"

cat >"$bench_tmp/sk_peer.py" <<'PY'
import sys
import numpy as np
import pandas as pd
from sklearn import metrics as M

df = pd.read_csv(sys.argv[1])
y, p, s = df["gold"].to_numpy(), df["pred"].to_numpy(), df["score"].to_numpy()
out = {
    "confusion": M.confusion_matrix(y, p).tolist(),
    "per_class": M.precision_recall_fscore_support(y, p, zero_division=0),
    "macro": M.precision_recall_fscore_support(y, p, average="macro", zero_division=0),
    "weighted": M.precision_recall_fscore_support(y, p, average="weighted", zero_division=0),
    "accuracy": M.accuracy_score(y, p),
    "balanced_accuracy": M.balanced_accuracy_score(y, p),
    "mcc": M.matthews_corrcoef(y, p),
    "kappa": M.cohen_kappa_score(y, p),
    "roc_auc": M.roc_auc_score(y, s),
    "average_precision": M.average_precision_score(y, s),
    "log_loss": M.log_loss(y, s),
    "brier": M.brier_score_loss(y, s),
}
prec, rec, thr = M.precision_recall_curve(y, s)
f1 = np.where(prec + rec > 0, 2 * prec * rec / np.maximum(prec + rec, 1e-300), 0)
i = int(np.argmax(f1[:-1]))
out["best_threshold"], out["best_f1"] = thr[i], f1[i]
for k in ("roc_auc", "average_precision", "log_loss", "brier", "mcc", "kappa", "best_threshold", "best_f1"):
    print(k, repr(float(out[k])))
PY

echo "== sift metrics: $("$SIFT" --version 2>/dev/null || echo "$SIFT")"
echo "input:  $file"
awk -v s="$size" -v n="$rows" -v r="$runs" 'BEGIN {
	printf "        %.1f MB, %d scored rows; median of %d runs\n", s / 1e6, n, r }'
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || :)
echo "host:   ${cpu:-unknown cpu}, $(nproc 2>/dev/null || echo '?') cpus"
echo

bench_say "timing on $file:"
bench_run "wc -l" "$runs" 0 wc -l "$file"
bench_run "sift metrics (binary, full)" "$runs" 0 \
	"$SIFT" metrics --gold gold --pred pred --score score --positive 1 "$file"
if "$py" -c 'import sklearn, pandas' 2>/dev/null; then
	bench_run "pandas + sklearn" "$runs" 120 "$py" "$bench_tmp/sk_peer.py" "$file"
	# The same figures, side by side (outside the timing).
	echo "figures (sift | scikit-learn):"
	"$SIFT" metrics --gold gold --pred pred --score score --positive 1 -f csv "$file" |
		awk -F, '$1 == "" && $2 ~ /^(roc_auc|average_precision|log_loss|brier|mcc|kappa|best_threshold|best_f1)$/ { print $2, $5 }' |
		sort >"$bench_tmp/sift.txt"
	"$py" "$bench_tmp/sk_peer.py" "$file" | sort >"$bench_tmp/sk.txt"
	join "$bench_tmp/sift.txt" "$bench_tmp/sk.txt" |
		awk '{ printf "  %-20s %-22s %s\n", $1, $2, $3 }'
	echo
else
	bench_skip "pandas + sklearn" "python3-sklearn/python3-pandas not installed for $py"
fi

bench_table "$size" "wc -l"
cat <<EOF2

commands (FILE is the input; all output goes to /dev/null):
  wc -l                        wc -l FILE
  sift metrics (binary, full)  sift metrics --gold gold --pred pred --score score --positive 1 FILE
  pandas + sklearn             $py sk_peer.py FILE (read_csv, confusion_matrix,
                               precision_recall_fscore_support x3, accuracy, balanced accuracy,
                               MCC, kappa, roc_auc_score, average_precision_score, log_loss,
                               brier_score_loss, precision_recall_curve for the best F1)

targets:
EOF2
bench_check_ratio "sift metrics >= 10 x faster than pandas + sklearn" \
	"sift metrics (binary, full)" "pandas + sklearn" 10
