#!/bin/sh
# examples/imbalance/compare.sh - what rebalancing does to the rare class.
#
# Generates tweets (1% misinformation), splits them into training and test
# sets that keep the class proportions (sift split --stratify), then trains
# the same classifier five ways and reports the rare class on the test set:
#   plain                  the data as it is
#   class weights          sift train --class-weight balanced
#   weights column         sift rebalance -m weights | sift train --weight weight
#   under-sampled 1:3      sift rebalance -m under --ratio 1:3
#   over-sampled 1:3       sift rebalance -m over --ratio 1:3
# Every model decides by the plain argmax (--threshold none), so that the
# effect of the data alone shows; sift train's default tunes the threshold.
#
# Environment: SIFT (the binary), N (tweets, default 200000), DIR.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
sift=${SIFT:-$here/../../sift}
gen=$here/../tweets/gen-tweets
n=${N:-200000}
dir=${DIR:-${TMPDIR:-/tmp}/sift-imbalance}
mkdir -p "$dir"
cd "$dir"

"$gen" -n "$n" -s 11 >tweets.csv
"$sift" split --ratios 0.8,0.2 --stratify misinfo --seed 1 -q \
	-o train.csv,test.csv tweets.csv

train() { # NAME, then the command that writes the training set to stdout
	name=$1
	shift
	"$@" | "$sift" train -l misinfo -t text --threshold none --seed 1 \
		$TRAIN_OPTS -o "$name.model" 2>/dev/null >/dev/null
	"$sift" predict -m "$name.model" test.csv |
		"$sift" metrics --gold misinfo --pred pred --positive 1 --format csv |
		awk -F, -v name="$name" '
			# csv rows: slice,metric,class,predicted,value,...; the
			# binary summary rows of the positive class have no class.
			$3 == "" && ($2 == "precision" || $2 == "recall" ||
				     $2 == "f1") { v[$2] = $5 }
			END { printf "%-24s %9.3f %9.3f %9.3f\n", name,
				v["precision"], v["recall"], v["f1"] }'
}

printf '%-24s %9s %9s %9s\n' "training set" precision recall F1
TRAIN_OPTS="" train plain cat train.csv
TRAIN_OPTS="--class-weight balanced" train "class weights" cat train.csv
TRAIN_OPTS="--weight weight" train "weights column" \
	"$sift" rebalance --by misinfo -m weights train.csv
TRAIN_OPTS="" train "under-sampled 1:3" \
	"$sift" rebalance --by misinfo -m under --ratio 1:3 --seed 1 train.csv
TRAIN_OPTS="" train "over-sampled 1:3" \
	"$sift" rebalance --by misinfo -m over --ratio 1:3 --seed 1 train.csv
