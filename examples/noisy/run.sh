#!/bin/sh
# examples/noisy/run.sh - does sift clean find the labels we broke?
#
# Generates tweets (1% misinformation, with the true label misinfo),
# flips a known share of the labels into a column `label` (and notes
# which in `flipped`), gets out-of-fold probabilities for every tweet
# (a model that never saw it), and finds the likely wrong labels two
# ways:
#   sift clean                   confident learning, prune_by_noise_rate
#   argmax baseline              sift clean --filter predicted_neq_given:
#                                the out-of-fold argmax is not the label
# then prints each one's precision and recall against the flips.
#
# The flips are class-conditional, as an annotator's misses are:
# examples/noisy/flip.rules labels 20% of the misinformation tweets 0
# and 0.2% of the others 1, chosen by the last digits of their ids.
#
# Environment: SIFT (the binary), N (tweets, default 100000), FOLDS
# (default 2), DIR (the working directory, default $TMPDIR/sift-noisy).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
sift=${SIFT:-$here/../../sift}
gen=$here/../tweets/gen-tweets
n=${N:-100000}
folds=${FOLDS:-2}
dir=${DIR:-${TMPDIR:-/tmp}/sift-noisy}
mkdir -p "$dir"
cd "$dir"

"$gen" -n "$n" -s 5 >tweets.csv
"$sift" label -q -r "$here/flip.rules" -c first --out-col label tweets.csv \
	>noisy.csv

# Out-of-fold probabilities into oof.csv: every labeled record with
# p_0 and p_1 from a model trained on the other folds. By hand: a
# stratified split into folds, a model for each fold's complement, each
# fold scored by the model that did not see it.
oof_split() {
	parts=""
	i=1
	while [ "$i" -le "$folds" ]; do
		parts="$parts${parts:+,}fold$i.csv"
		i=$((i + 1))
	done
	ratios=$(awk -v k="$folds" 'BEGIN { for (i = 1; i <= k; i++)
		printf "%s%g", (i > 1 ? "," : ""), 1 / k }')
	"$sift" split -q -r "$ratios" --stratify label --seed 1 -o "$parts" \
		noisy.csv
	i=1
	while [ "$i" -le "$folds" ]; do
		# the other folds, with one header
		awk -v skip="fold$i.csv" 'FILENAME == skip { next }
			FNR == 1 && seen++ { next } { print }' fold*.csv >rest.csv
		"$sift" train -l label -t text --seed 1 -q -o "fold$i.model" \
			rest.csv >/dev/null 2>"fold$i.log"
		"$sift" predict -q -m "fold$i.model" "fold$i.csv" |
			if [ "$i" -eq 1 ]; then cat; else tail -n +2; fi
		i=$((i + 1))
	done >oof.csv
}

# The same with sift train's cross-validation, where it has --cv.
oof_cv() {
	"$sift" train -l label -t text --seed 1 -q --cv "$folds" --oof oof.csv \
		-o cv.model noisy.csv >/dev/null
}

oof=oof_split
$oof

# The wrong labels of a file: its records whose label is not misinfo.
flips() { # FILE
	"$sift" metrics --gold misinfo --pred label --positive 1 -f csv "$1" |
		awk -F, '$2 == "records" { n = $5 }
			$2 == "fp" || $2 == "fn" { f += $5 }
			END { print n + 0, f + 0 }'
}

"$sift" clean -q -l label oof.csv >issues.csv
"$sift" clean -q -l label --filter predicted_neq_given oof.csv >argmax.csv
# shellcheck disable=SC2046 # two numbers, split on purpose
set -- $(flips oof.csv)
total=$2
echo "$total of $1 labels flipped"
printf '%-24s %8s %9s %9s\n' "flagged by" records precision recall
for f in issues argmax; do
	# shellcheck disable=SC2046
	set -- $(flips "$f.csv")
	name="sift clean"
	[ $f = issues ] || name="argmax != label"
	awk -v name="$name" -v n="$1" -v hit="$2" -v total="$total" 'BEGIN {
		printf "%-24s %8d %9.3f %9.3f\n", name, n,
			n ? hit / n : 0, total ? hit / total : 0 }'
done
