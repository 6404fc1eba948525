#!/usr/bin/env bash
# bench/rebalance.sh: throughput and peak memory of `sift rebalance` and
# `sift split` on the ~1 GB gen-tweets corpus, next to `wc -l` (the
# yardstick) and `cat`, measured in the same run.
#
# Environment (besides lib.sh's SIFT and SIFT_BENCH_DIR):
#   SIFT_BENCH_TWEETS  corpus size in tweets (default 8000000, ~1 GB)
#   SIFT_BENCH_RUNS    runs per command; the median is reported (default 3)
#
# Every sift command here reads the corpus twice (count, then write),
# except split --group, which reads it once. Outputs of split go to a
# scratch directory that is removed at the end.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh"

tweets=${SIFT_BENCH_TWEETS:-8000000}
runs=${SIFT_BENCH_RUNS:-3}

bench_init
file=$(bench_corpus_tweets "$tweets" 1)
size=$(bench_file_size "$file")
bench_warm "$file"
lines=$(wc -l <"$file" | tr -d ' ')
out=$bench_tmp/split

echo "== sift rebalance and split: $("$SIFT" --version 2>/dev/null || echo "$SIFT")"
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
bench_run "sample --by misinfo" "$runs" 0 \
	"$SIFT" sample --by misinfo -n 20000 --seed 1 "$file"
bench_run "rebalance under 1:1" "$runs" 0 \
	"$SIFT" rebalance --by misinfo -m under --ratio 1:1 --seed 1 "$file"
bench_run "rebalance weights" "$runs" 0 \
	"$SIFT" rebalance --by misinfo -m weights "$file"
bench_run "split 0.8,0.1,0.1 --group" "$runs" 0 \
	"$SIFT" split -r 0.8,0.1,0.1 --group user -q --prefix "$out" "$file"
bench_run "split 0.8,0.2 --stratify" "$runs" 0 \
	"$SIFT" split -r 0.8,0.2 --stratify misinfo -q --seed 1 --prefix "$out" "$file"
rm -f "$out"-*.csv

bench_table "$size" "wc -l"
cat <<EOF

commands (FILE is the corpus; stdout goes to /dev/null, split's parts to a scratch dir):
  wc -l                        wc -l FILE
  cat                          cat FILE
  sample --by misinfo          sift sample --by misinfo -n 20000 --seed 1 FILE (two passes, the same reading)
  rebalance under 1:1          sift rebalance --by misinfo -m under --ratio 1:1 --seed 1 FILE (two passes)
  rebalance weights            sift rebalance --by misinfo -m weights FILE (two passes, writes every record)
  split 0.8,0.1,0.1 --group    sift split -r 0.8,0.1,0.1 --group user -q --prefix P FILE (one pass, writes every record)
  split 0.8,0.2 --stratify     sift split -r 0.8,0.2 --stratify misinfo -q --seed 1 --prefix P FILE (two passes)

targets:
EOF
bench_check_rss "peak memory of rebalance under < 32 MB" "rebalance under 1:1" 32
bench_check_rss "peak memory of split --group < 32 MB" "split 0.8,0.1,0.1 --group" 32
bench_check_ratio "rebalance under throughput >= 0.8 x sample --by's (both two passes)" \
	"rebalance under 1:1" "sample --by misinfo" 0.8
bench_check_ratio "rebalance weights throughput >= 0.5 x sample --by's (writes every record)" \
	"rebalance weights" "sample --by misinfo" 0.5
