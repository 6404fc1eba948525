#!/usr/bin/env bash
# bench/label.sh: throughput of `sift label` with 20 regex rules on
# 1,000,000 generated tweets, beside Miller applying the same 20 regexes
# (`mlr --icsv --ocsv put` with =~, a CSV-aware peer) and
# `grep -E -c -f` with the same patterns (not CSV-aware: the floor).
#
# Environment (besides lib.sh's SIFT and SIFT_BENCH_DIR):
#   SIFT_BENCH_LABEL_TWEETS  corpus size in tweets (default 1000000)
#   SIFT_BENCH_RUNS          runs per command; the median is reported
#                            (default 3; Miller runs once if slow)
#
# Prints a table, the ratios and the issue's target as a PASS/FAIL line.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh"

tweets=${SIFT_BENCH_LABEL_TWEETS:-1000000}
runs=${SIFT_BENCH_RUNS:-3}

bench_init
file=$(bench_corpus_tweets "$tweets" 1)
size=$(bench_file_size "$file")
bench_warm "$file"

# The 20 patterns: written in the common subset of PCRE2, RE2 (Miller)
# and POSIX ERE (grep -E), so every tool does the same matching.
patterns=$bench_tmp/patterns
cat >"$patterns" <<'PATTERNS'
hoax
plandemic
microchip
miracle cure
big pharma
do your own research
(wake|WAKE) up
5G (towers|maps)
want you to know
truthbomb-daily|patriot-eagle-news|realhealth-secrets
freedomwire24|awake-nation|naturalcures-now
hidden-facts|redpill-report|medfreedom|the-real-story
^(BREAKING|URGENT): 
#(truth|exposed|wakeupcall|nomorelies)
before (it's|they) delete
geoengineer
(rigged|shredded|flipped) 
[0-9]+ people (in|got)
(vaccine|vax|jab) (injur|death|kill)
doctors hate
PATTERNS

rules=$bench_tmp/bench.rules
# Every fifth rule votes another label, so that the label model has two
# classes to estimate (with one label it is majority vote).
awk '{ gsub(/\//, "\\/")
	printf "r%d: text ~ /%s/ -> %s\n", NR, $0, NR % 5 ? "m" : "o" }' \
	"$patterns" >"$rules"
mlr_expr=$(awk '{ gsub(/"/, "\\\""); printf "if ($text =~ \"%s\") { $label = \"m\" } ", $0 }
	BEGIN { printf "$label = \"\"; " }' "$patterns")

echo "== sift label: $("$SIFT" --version 2>/dev/null || echo "$SIFT")"
echo "corpus: $file"
awk -v s="$size" -v t="$tweets" -v r="$runs" 'BEGIN {
	printf "        %.1f MB, %d records; 20 regex rules; median of %d runs\n",
		s / 1e6, t, r
}'
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || :)
echo "host:   ${cpu:-unknown cpu}, $(nproc 2>/dev/null || echo '?') cpus"
echo

bench_say "timing on $file:"
# GNU grep stops at the first match when its output is /dev/null, so it
# writes its count to a file.
bench_run "grep -E -c -f (floor)" "$runs" 0 \
	sh -c 'grep -E -c -f "$1" "$2" >"$3"' sh "$patterns" "$file" \
	"$bench_tmp/grep.count"
bench_add_note "grep -E -c -f (floor)" \
	"line-based, not CSV-aware: it counts lines matching any pattern"
bench_run "sift label (majority)" "$runs" 0 "$SIFT" label -r "$rules" "$file"
bench_run "sift label --votes" "$runs" 0 \
	"$SIFT" label -r "$rules" --votes "$file"
bench_run "sift label -c model" "$runs" 0 \
	"$SIFT" label -r "$rules" -c model "$file"
if command -v mlr >/dev/null 2>&1; then
	bench_run "mlr put =~ (20 regexes)" "$runs" 30 \
		mlr --icsv --ocsv put "$mlr_expr" "$file"
else
	bench_skip "mlr put =~ (20 regexes)" "miller (mlr) is not installed"
fi

bench_table "$size" "grep -E -c -f (floor)"
cat <<TXT

commands (FILE is the corpus; all output goes to /dev/null):
  grep -E -c -f (floor)        grep -E -c -f PATTERNS FILE
  sift label (majority)        sift label -r RULES FILE
  sift label --votes           sift label -r RULES --votes FILE
  sift label -c model          sift label -r RULES -c model FILE (two passes)
  mlr put =~ (20 regexes)      mlr --icsv --ocsv put '\$label = ""; if (\$text =~ "P1") {...} ...' FILE

ratios:
TXT
if bench_ok "sift label (majority)"; then
	for peer in "mlr put =~ (20 regexes)" "grep -E -c -f (floor)"; do
		bench_ok "$peer" || continue
		awk -v a="${bench_secs["sift label (majority)"]}" \
			-v b="${bench_secs[$peer]}" -v p="$peer" \
			'BEGIN { printf "  sift label is %.2f x as fast as %s\n", b / a, p }'
	done
fi
echo
echo "targets:"
bench_check_ratio "sift label >= 10 x Miller's throughput" \
	"sift label (majority)" "mlr put =~ (20 regexes)" 10
