#!/usr/bin/env bash
# bench/split.sh: cutting the ~1 GB gen-tweets corpus into 8 shards.
# `sift split --chunks 8` (quote-aware: every record whole in one shard)
# beside GNU `split -n l/8` (line-based: it cuts records whose quoted
# fields hold line breaks) and `cat` (reading alone, and reading and
# writing one copy), in the same run; from the file (contiguous ranges)
# and from a pipe (round robin).
#
# Environment: as bench/sample.sh (SIFT, SIFT_BENCH_DIR, SIFT_BENCH_TWEETS,
# SIFT_BENCH_RUNS). The shards are written under the run's scratch
# directory in $TMPDIR (about 3 GB at the default size) and removed at
# the end.
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
out=$bench_tmp/out
mkdir -p "$out/sift" "$out/stdin" "$out/split" "$out/cat"

echo "== sift split --chunks 8: $("$SIFT" --version 2>/dev/null || echo "$SIFT")"
echo "corpus: $file ($(awk -v s="$size" 'BEGIN { printf "%.1f MB", s / 1e6 }')); shards in $out"
echo

# Each command starts with the page cache's dirty pages written out, so
# that it does not pay for the writeback of the one before.
settle() {
	sync
	sleep 1
}

bench_run "cat > /dev/null" "$runs" 0 cat "$file"
settle
bench_run "cat > file" "$runs" 0 bash -c "cat '$file' > '$out/cat/copy.csv'"
rm -f "$out"/cat/*
settle
bench_run "split -n l/8" "$runs" 0 split -n l/8 "$file" "$out/split/x"
settle
bench_run "sift split --chunks 8" "$runs" 0 \
	"$SIFT" split --chunks 8 -q -o "$out/sift/shard-%d.csv" "$file"
settle
bench_run "sift split --chunks 8 <pipe" "$runs" 0 bash -c \
	"cat '$file' | '$SIFT' split --chunks 8 -q -o '$out/stdin/shard-%d.csv'"
rm -f "$out"/stdin/*
bench_table "$size" "split -n l/8"

# Whether each cut kept the records whole: a shard of split's (given
# the header it lacks) that sift cannot read was cut inside a quoted
# field.
bad=0
for f in "$out"/split/x*; do
	if [ "${f##*/}" = xaa ]; then
		cat "$f"
	else
		head -n 1 "$file"
		cat "$f"
	fi | "$SIFT" sample -n 1 --seed 1 -o /dev/null 2>/dev/null || bad=$((bad + 1))
done
sift_bad=0
for f in "$out"/sift/shard-*.csv; do
	"$SIFT" sample -n 1 --seed 1 -o /dev/null "$f" 2>/dev/null || sift_bad=$((sift_bad + 1))
done
cat <<EOF

commands (FILE is the corpus; DIR a scratch directory):
  cat > /dev/null               cat FILE > /dev/null
  cat > file                    cat FILE > DIR/copy.csv
  split -n l/8                  split -n l/8 FILE DIR/x
  sift split --chunks 8         sift split --chunks 8 -q -o 'DIR/shard-%d.csv' FILE (contiguous ranges)
  sift split --chunks 8 <pipe   cat FILE | sift split --chunks 8 -q -o 'DIR/shard-%d.csv' (round robin)

Shards that do not read as CSV (split's given the header they lack): of
split -n l/8's 8, $bad (a cut inside a quoted field spoils the two shards
beside it); of sift split's 8, $sift_bad.

targets:
EOF
bench_check_ratio "sift split --chunks 8 throughput >= 0.5 x split -n l/8's" \
	"sift split --chunks 8" "split -n l/8" 0.5
