#!/bin/sh
# examples/demo.sh - `make demo`: generate a tweet corpus and run the
# sampling tour on it. SIFT names the sift binary (make sets it);
# DEMO_TWEETS the corpus size (default 1,000,000); DEMO_DIR where it goes.
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
