#!/usr/bin/env bash
# bench/memory.sh: peak memory of the streaming commands does not grow
# with the input. Each command runs on 1M and on 4M generated tweets
# (gen-tweets, seed 7, cached in SIFT_BENCH_DIR, never in the tree) under
# GNU time; the table gives both peaks ("Maximum resident set size") and
# their ratio.
#
# Unlike the speed benchmarks this one is a check: it exits 1 when a
# command's peak on 4M exceeds its peak on 1M by more than 10%, since a
# streaming command whose memory follows its input is a defect (one that
# a small test input cannot show).
#
# Environment: SIFT_BENCH_MEMORY_SMALL and SIFT_BENCH_MEMORY_LARGE, the
# two corpus sizes (default 1000000 and 4000000).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
bench_init

small=${SIFT_BENCH_MEMORY_SMALL:-1000000}
large=${SIFT_BENCH_MEMORY_LARGE:-4000000}
rules=$bench_repo/examples/tweets/misinfo.rules
a=$(bench_corpus_tweets "$small" 7)
b=$(bench_corpus_tweets "$large" 7)
work=$bench_tmp/memory
mkdir -p "$work"

# A model to predict with, trained on a sample of the small corpus.
"$SIFT" sample -n 20000 --seed 1 "$a" >"$work/train.csv"
"$SIFT" train -l misinfo -t text --seed 1 -q -o "$work/model" \
	"$work/train.csv" >/dev/null 2>&1 || bench_die "sift train failed"

# peak_kb FILE CMD...: the peak RSS (KiB) of sift CMD... FILE.
peak_kb() {
	local file=$1
	shift
	rm -f "$work"/part-*
	"$BENCH_TIME" -f '%M' -o "$work/rss" "$SIFT" "$@" "$file" \
		>/dev/null 2>"$work/err" ||
		bench_die "sift $* failed: $(head -3 "$work/err")"
	cat "$work/rss"
}

commands=(
	"sample -n 1000 --seed 1"
	"label -r $rules"
	"predict -m $work/model"
	"split -r 0.8,0.2 --seed 1 --prefix $work/part"
	"rebalance --by misinfo -m under --seed 1"
)
names=(
	"sample -n 1000"
	"label -r RULES"
	"predict -m MODEL"
	"split -r 0.8,0.2"
	"rebalance -m under"
)

echo "== peak memory on $small vs $large tweets: $("$SIFT" --version 2>/dev/null || echo "$SIFT")"
printf '%-20s %12s %12s %7s\n' command "${small} KiB" "${large} KiB" ratio
status=0
for i in "${!commands[@]}"; do
	# shellcheck disable=SC2086 # each entry is a command's words
	m=$(peak_kb "$a" ${commands[$i]})
	# shellcheck disable=SC2086
	n=$(peak_kb "$b" ${commands[$i]})
	ratio=$(awk -v m="$m" -v n="$n" 'BEGIN { printf "%.3f", n / m }')
	verdict=$(awk -v r="$ratio" 'BEGIN { print (r > 1.10 ? "GROWS" : "ok") }')
	printf '%-20s %12s %12s %7s %s\n' "${names[$i]}" "$m" "$n" "$ratio" "$verdict"
	[ "$verdict" = ok ] || status=1
done
rm -f "$work"/part-*
[ "$status" = 0 ] || echo "memory: a command's peak grows with its input by more than 10%"
exit "$status"
