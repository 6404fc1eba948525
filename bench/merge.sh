#!/usr/bin/env bash
# bench/merge.sh: sampling across shards. The ~1 GB gen-tweets corpus is
# cut into 8 shard files (at record boundaries, quotes respected); GNU
# parallel samples them with 2 jobs (`sift sample --partial`) and
# `sift sample --merge` joins the partials; beside one process over the
# whole file, in the same run.
#
# Environment: as bench/sample.sh (SIFT, SIFT_BENCH_DIR, SIFT_BENCH_TWEETS,
# SIFT_BENCH_RUNS).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh"

tweets=${SIFT_BENCH_TWEETS:-8000000}
runs=${SIFT_BENCH_RUNS:-3}
n=10000

if ! command -v parallel >/dev/null 2>&1; then
	echo "== sift sample --merge: skipped (GNU parallel is not installed)"
	exit 0
fi
bench_init
file=$(bench_corpus_tweets "$tweets" 1)
size=$(bench_file_size "$file")
shards="$BENCH_DIR/shards-n$tweets"
if [ ! -s "$shards/shard-8.csv" ]; then
	bench_say "cutting $file into 8 shards ..."
	mkdir -p "$shards"
	awk -v dir="$shards" -v total="$tweets" '
		NR == 1 { header = $0; for (i = 1; i <= 8; i++)
			print header > (dir "/shard-" i ".csv"); next }
		{ buf = buf $0 "\n"; q += gsub(/"/, "&") }
		q % 2 == 0 { k = int(rec * 8 / total) + 1; if (k > 8) k = 8
			printf "%s", buf > (dir "/shard-" k ".csv")
			buf = ""; q = 0; rec++ }' "$file"
fi
bench_warm "$file"
for f in "$shards"/shard-*.csv; do bench_warm "$f"; done

echo "== sift sample across 8 shards: $("$SIFT" --version 2>/dev/null || echo "$SIFT")"
echo "corpus: $file ($(awk -v s="$size" 'BEGIN { printf "%.1f MB", s / 1e6 }')), 8 shards in $shards"
echo

bench_run "wc -l" "$runs" 0 wc -l "$file"
bench_run "sift reservoir, 1 process" "$runs" 0 \
	"$SIFT" sample -n "$n" --seed 1 "$file"
bench_run "sift reservoir, 8 shards, 2 jobs" "$runs" 0 bash -c \
	"parallel --will-cite -j 2 '$SIFT' sample -n $n --partial --seed 1 ::: '$shards'/shard-*.csv | '$SIFT' sample --merge"
bench_run "sift stratified, 1 process" "$runs" 0 \
	"$SIFT" sample --by misinfo -n "$n" --seed 1 "$file"
bench_run "sift stratified, 8 shards, 2 jobs" "$runs" 0 bash -c \
	"parallel --will-cite -j 2 '$SIFT' sample --by misinfo -n $n --partial --seed 1 ::: '$shards'/shard-*.csv | '$SIFT' sample --merge"
bench_table "$size" "wc -l"
echo
echo "The merged sample is exact: it has the distribution of one pass over"
echo "the whole file. With 2 jobs on 2 cores the sharded run can at best"
echo "halve the single process's time; --partial hashes every record, which"
echo "the single process's Algorithm L does not need to."
