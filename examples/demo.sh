#!/bin/sh
# examples/demo.sh - `make demo`: generate a tweet corpus and run the
# whole story on it: sampling, weak labels from rules, training,
# prediction on a later month, evaluation against the generated ground
# truth, and what class weighting changes. SIFT names the sift binary
# (make sets it); DEMO_TWEETS the corpus size (default 1,000,000, 24
# months); DEMO_DIR where it goes.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
sift=${SIFT:-$here/../sift}
gen=$here/tweets/gen-tweets
n=${DEMO_TWEETS:-1000000}
dir=${DEMO_DIR:-${TMPDIR:-/tmp}/sift-demo}
mkdir -p "$dir"
corpus=$dir/tweets.csv.gz

say() { printf '\n$ %s\n' "$*"; }

if [ ! -s "$corpus" ]; then
	echo "generating $n tweets into $corpus ..."
	"$gen" -n "$n" -s 7 | gzip -1 >"$corpus"
fi
# A quota of 0 per stratum keeps nothing, and -v still counts every
# stratum: the class balance of the corpus in one pass.
counts=$("$sift" sample -m quota --by misinfo --per-stratum 0 -v "$corpus" 2>&1 >/dev/null)
rows=$(printf '%s\n' "$counts" | sed -n 's/.*of \([0-9]*\) records.*/\1/p')
positives=$(printf '%s\n' "$counts" | sed -n 's/.*stratum 1: \([0-9]*\) records.*/\1/p')
echo "corpus: $rows tweets, $positives of them misinformation"

say sift sample -n 5 --seed 1 tweets.csv.gz
"$sift" sample -n 5 --seed 1 "$corpus" | cut -c1-100

say "sift sample -m stratified --by misinfo --per-stratum 1000 -v --seed 1 tweets.csv.gz > balanced.csv"
"$sift" sample -m stratified --by misinfo --per-stratum 1000 -v --seed 1 "$corpus" >"$dir/balanced.csv"

say "sift sample -m hash --key user -p 0.01 tweets.csv.gz | wc -l"
"$sift" sample -m hash --key user -p 0.01 "$corpus" | wc -l

# The design weights make estimates unbiased: estimate the number of
# misinformation tweets from 5,000 records drawn by reach (followers).
say "sift sample -m importance -w followers -n 5000 --seed 3 tweets.csv.gz | (sum of weight where misinfo = 1)"
for seed in 1 2 3; do
	"$sift" sample -m importance -w followers -n 5000 --seed $seed "$corpus" |
		awk -F, -v s=$seed 'NR > 1 && NF > 2 && $(NF - 1) == 1 { est += $NF }
			END { printf "seed %d: estimated %.0f misinformation tweets\n", s, est }'
done
echo "true count: $positives"

say "sift sample --by misinfo -n 2000 --emit-weight w --seed 1 tweets.csv.gz | (rare class kept: counts)"
"$sift" sample --by misinfo -n 2000 --emit-weight w --seed 1 "$corpus" |
	awk -F, 'NR > 1 && NF > 2 && $(NF - 1) ~ /^[01]$/ { n[$(NF - 1)]++; w[$(NF - 1)] += $NF }
		END { for (k in n) printf "misinfo=%s: %d kept, weighted count %.0f\n", k, n[k], w[k] }' | sort

# ---- train, predict, evaluate ----
# Training data: 50,000 tweets of 2023 at random, labeled by the rules
# of examples/tweets/misinfo.rules (a rule that does not fire abstains:
# those records are unlabeled, and sift train skips and counts them).
# Test data: every tweet of the last month, 2024-12, with the corpus'
# own ground truth (the misinfo column) standing in for the truth.
rules=$here/tweets/misinfo.rules
"$sift" sample -m judgment --where 'created_at ~ /^2024-12/' "$corpus" 2>/dev/null |
	gzip -1 >"$dir/later.csv.gz"

say "sift sample -m judgment --where 'created_at ~ /^2023-/' -n 50000 --seed 1 tweets.csv.gz |
  sift label -r misinfo.rules -v |
  sift train -l label -t text --seed 1 -o weak.model"
"$sift" sample -m judgment --where 'created_at ~ /^2023-/' -n 50000 --seed 1 "$corpus" 2>/dev/null |
	"$sift" label -r "$rules" -v |
	"$sift" train -l label -t text --seed 1 -o "$dir/weak.model" >"$dir/weak.report"
sed -n '1,14p' "$dir/weak.report"

say "sift predict -m weak.model later.csv.gz | sift metrics --gold misinfo --pred pred"
"$sift" predict -m "$dir/weak.model" "$dir/later.csv.gz" |
	"$sift" metrics --gold misinfo --pred pred | sed -n '1,30p'
echo "(the rules label a biased tenth of the tweets: the model learns their view"
echo " of misinformation, high recall and poor precision on the real month)"

# The same 50,000 tweets with the true labels, the plain argmax decision
# (--threshold none), without and with class weights.
for cw in none balanced; do
	say "sift sample ... | sift train -l misinfo -t text --threshold none --class-weight $cw -o $cw.model; sift predict | sift metrics"
	"$sift" sample -m judgment --where 'created_at ~ /^2023-/' -n 50000 --seed 1 "$corpus" 2>/dev/null |
		"$sift" train -l misinfo -t text --seed 1 -q --threshold none \
			--class-weight "$cw" -o "$dir/$cw.model" >/dev/null
	"$sift" predict -m "$dir/$cw.model" "$dir/later.csv.gz" |
		"$sift" metrics --gold misinfo --pred pred |
		grep -E '^  class |^  1 +0\.|^  macro F1'
done
echo "(balanced weights, N / (K N_c), buy the rare class recall with precision;"
echo " the default --threshold f1 tunes the decision on validation data instead)"
