#!/usr/bin/env bash
# bench/merge.sh: sampling across shards, the safe recipe of README.md
# and sift-sample(1): the ~1 GB gen-tweets corpus cut into 8 shards by
# `sift split --chunks 8` (at record boundaries, quotes respected); GNU
# parallel samples them with 2 jobs (`sift sample --partial`, halting on
# the first failure, under pipefail) and `sift sample --merge
# --expect-records N` joins the partials; beside one process over the
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
shards="$BENCH_DIR/chunks-n$tweets"
if [ ! -s "$shards/shard-8.csv" ]; then
	bench_say "cutting $file into 8 shards ..."
	mkdir -p "$shards"
	"$SIFT" split --chunks 8 -q -o "$shards/shard-%d.csv" "$file"
fi
bench_warm "$file"
for f in "$shards"/shard-*.csv; do bench_warm "$f"; done

echo "== sift sample across 8 shards: $("$SIFT" --version 2>/dev/null || echo "$SIFT")"
echo "corpus: $file ($(awk -v s="$size" 'BEGIN { printf "%.1f MB", s / 1e6 }')), 8 shards in $shards"
echo

# recipe METHOD-AND-SIZE: the safe recipe over the 8 shards.
recipe() {
	printf '%s' "set -o pipefail
parallel --will-cite --halt now,fail=1 -j 2 '$SIFT' sample $1 --partial --seed 1 ::: '$shards'/shard-*.csv |
  '$SIFT' sample --merge -q --expect-records $tweets"
}

bench_run "wc -l" "$runs" 0 wc -l "$file"
bench_run "reservoir, 1 process" "$runs" 0 \
	"$SIFT" sample -n "$n" --seed 1 "$file"
bench_run "reservoir, 8 shards, 2 jobs" "$runs" 0 bash -c "$(recipe "-n $n")"
bench_run "reservoir, cut + 8 shards" "$runs" 0 bash -c \
	"'$SIFT' split --chunks 8 -q -o '$bench_tmp/cut-%d.csv' '$file' && $(recipe "-n $n" | sed "s|'$shards'/shard-|'$bench_tmp'/cut-|")"
bench_run "stratified, 1 process" "$runs" 0 \
	"$SIFT" sample --by misinfo -n "$n" --seed 1 "$file"
bench_run "stratified, 8 shards, 2 jobs" "$runs" 0 bash -c "$(recipe "--by misinfo -n $n")"
bench_run "parallel alone, 8 jobs" "$runs" 0 \
	parallel --will-cite -j 2 true ::: 1 2 3 4 5 6 7 8
bench_table "$size" "reservoir, 1 process"
rm -f "$bench_tmp"/cut-*.csv
cat <<EOF

commands (FILE is the corpus, SHARDS its 8 shards by sift split --chunks 8):
  reservoir, 1 process          sift sample -n $n --seed 1 FILE
  reservoir, 8 shards, 2 jobs   set -o pipefail; parallel --will-cite --halt now,fail=1 -j 2
                                  sift sample -n $n --partial --seed 1 ::: SHARDS
                                  | sift sample --merge -q --expect-records $tweets
  reservoir, cut + 8 shards     sift split --chunks 8 FILE, then the same
  stratified, ...               the same with --by misinfo -n $n
  parallel alone, 8 jobs        parallel --will-cite -j 2 true ::: 1 2 ... 8

The merged sample is exact: it has the distribution of one pass over the
whole file. With 2 jobs on 2 cores the sharded run can at best halve the
single process's time; a reservoir of $n skips most records whole in
either, so what the shards cost beyond it is mostly GNU parallel's own
start (the last row) and the start of 8 processes.
EOF
