#!/usr/bin/env bash
# bench/audit.sh: time and peak memory of `sift audit` (Dawid-Skene
# included) on one million annotations (100,000 items, 20 annotators, 10
# per item, from examples/annotators/gen-annotations), beside
# `sort | uniq -c` over the same file (the yardstick). Target: within 3x.
#
# Environment (besides lib.sh's SIFT and SIFT_BENCH_DIR):
#   SIFT_BENCH_RUNS  runs per command; the median is reported (default 3)
#   GEN_ANNOTATIONS  the generator (default examples/annotators/gen-annotations,
#                    else build/audit/gen-annotations)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh"

runs=${SIFT_BENCH_RUNS:-3}
gen=${GEN_ANNOTATIONS:-$bench_repo/examples/annotators/gen-annotations}
[ -x "$gen" ] || gen=$bench_repo/build/audit/gen-annotations

bench_init
[ -x "$gen" ] || bench_die "$gen is missing (build examples/annotators/gen-annotations)"
file=$BENCH_DIR/annotations-n100000-a20-r10-s1.csv
if [ ! -s "$file" ]; then
	bench_say "generating $file..."
	"$gen" -n 100000 -a 20 -r 10 -s 1 >"$file.tmp.$$"
	mv "$file.tmp.$$" "$file"
fi
size=$(bench_file_size "$file")
bench_warm "$file"

echo "== sift audit: $("$SIFT" --version 2>/dev/null || echo "$SIFT")"
echo "input:  $file"
echo "        $(wc -l <"$file" | tr -d ' ') lines, $size bytes; median of $runs runs"
echo

bench_run "sort | uniq -c" "$runs" 0 sh -c 'sort "$1" | uniq -c' sh "$file"
bench_run "sift audit" "$runs" 0 "$SIFT" audit "$file"
bench_run "sift audit --consensus ds" "$runs" 0 \
	"$SIFT" audit --consensus dawid-skene "$file"
bench_run "sift audit --review 100" "$runs" 0 \
	"$SIFT" audit --review 100 --seed 1 "$file"

bench_table "$size" "sort | uniq -c"
cat <<EOT

commands (FILE is the annotations; all output goes to /dev/null):
  sort | uniq -c               sort FILE | uniq -c
  sift audit                   sift audit FILE (the full report, Dawid-Skene included)
  sift audit --consensus ds    sift audit --consensus dawid-skene FILE
  sift audit --review 100      sift audit --review 100 --seed 1 FILE

targets:
EOT
bench_check_ratio "sift audit within 3x the time of sort | uniq -c" \
	"sift audit" "sort | uniq -c" 0.3333
