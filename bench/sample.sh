#!/usr/bin/env bash
# bench/sample.sh: throughput and peak memory of `sift sample`, each method
# on the same ~1 GB gen-tweets corpus, next to `wc -l` (the yardstick),
# `cat`, `shuf -n` and, if installed, miller's `sample -k`.
#
# Environment (besides lib.sh's SIFT and SIFT_BENCH_DIR):
#   SIFT_BENCH_TWEETS  corpus size in tweets (default 8000000, ~1 GB)
#   SIFT_BENCH_RUNS    runs per command; the median is reported (default 3)
#
# Prints a table and the issue's targets as PASS/FAIL lines. A missed
# target does not make it exit non-zero; only a broken setup does.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh"

tweets=${SIFT_BENCH_TWEETS:-8000000}
runs=${SIFT_BENCH_RUNS:-3}
n=10000

bench_init
file=$(bench_corpus_tweets "$tweets" 1)
size=$(bench_file_size "$file")
bench_warm "$file"
lines=$(wc -l <"$file" | tr -d ' ')

echo "== sift sample: $("$SIFT" --version 2>/dev/null || echo "$SIFT")"
echo "corpus: $file"
awk -v s="$size" -v t="$tweets" -v l="$lines" -v r="$runs" 'BEGIN {
	printf "        %.1f MB, %d records (CSV), %d lines; median of %d runs\n",
		s / 1e6, t, l, r
}'
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || :)
echo "host:   ${cpu:-unknown cpu}, $(nproc 2>/dev/null || echo '?') cpus"
echo

bench_say "timing on $file:"
bench_run "wc -l" "$runs" 0 wc -l "$file"
bench_run "cat" "$runs" 0 cat "$file"
bench_run "sift reservoir -n $n" "$runs" 0 \
	"$SIFT" sample -n "$n" --seed 1 "$file"
bench_run "sift bernoulli -p 0.01" "$runs" 0 \
	"$SIFT" sample -m bernoulli -p 0.01 --seed 1 "$file"
bench_run "sift strat misinfo" "$runs" 0 \
	"$SIFT" sample -m stratified --by misinfo -n "$n" --seed 1 "$file"
bench_run "sift strat verified,misinfo" "$runs" 0 \
	"$SIFT" sample -m stratified --by verified,misinfo -n "$n" --seed 1 "$file"
bench_run "sift hash user -p 0.01" "$runs" 0 \
	"$SIFT" sample -m hash --key user -p 0.01 "$file"
bench_run "sift weighted followers" "$runs" 0 \
	"$SIFT" sample -w followers -n "$n" --seed 1 "$file"
bench_run "shuf -n $n (lines)" "$runs" 0 shuf -n "$n" "$file"
bench_add_note "shuf -n $n (lines)" \
	"line-based, not CSV-aware: it samples $lines lines, not $tweets records, and splits quoted fields"
if command -v mlr >/dev/null 2>&1; then
	bench_run "mlr sample -k $n" "$runs" 60 \
		mlr --icsv --ocsv sample -k "$n" "$file"
else
	bench_skip "mlr sample -k $n" "miller (mlr) is not installed"
fi

bench_table "$size" "wc -l"
cat <<EOF

commands (FILE is the corpus; all output goes to /dev/null):
  wc -l                        wc -l FILE
  cat                          cat FILE
  sift reservoir -n $n      sift sample -n $n --seed 1 FILE
  sift bernoulli -p 0.01       sift sample -m bernoulli -p 0.01 --seed 1 FILE
  sift strat misinfo           sift sample -m stratified --by misinfo -n $n --seed 1 FILE (two passes)
  sift strat verified,misinfo  sift sample -m stratified --by verified,misinfo -n $n --seed 1 FILE (two passes)
  sift hash user -p 0.01       sift sample -m hash --key user -p 0.01 FILE
  sift weighted followers      sift sample -w followers -n $n --seed 1 FILE
  shuf -n $n (lines)        shuf -n $n FILE
  mlr sample -k $n          mlr --icsv --ocsv sample -k $n FILE

targets:
EOF
bench_check_ratio "reservoir throughput >= 0.5 x wc -l's" \
	"sift reservoir -n $n" "wc -l" 0.5
bench_check_faster "reservoir faster than shuf -n $n" \
	"sift reservoir -n $n" "shuf -n $n (lines)"
bench_check_rss "peak memory of sift sample -n $n < 32 MB" \
	"sift reservoir -n $n" 32
