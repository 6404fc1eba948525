#!/usr/bin/env bash
# bench/clean.sh: `sift clean` (confident learning, prune_by_noise_rate)
# on 1,000,000 scored records of 3 classes, beside bench/clean-numpy.py,
# an implementation in numpy (under /usr/bin/python3 where python3-numpy
# is installed), in the same run; from the file (read twice) and from a
# pipe (spooled). The two must flag the same records.
#
# Environment (besides lib.sh's SIFT and SIFT_BENCH_DIR):
#   SIFT_BENCH_CLEAN_ROWS  scored records (default 1000000, ~40 MB)
#   SIFT_BENCH_RUNS        runs per command; the median is reported
#                          (default 3)
#
# The records are generated once into the cache (never committed): a
# true class, a given label redrawn at random for 10% of them, and
# probabilities from a noisy softmax around the true class, printed to 4
# digits (so they sum to 1 within 1e-3, and there are ties).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh"

rows=${SIFT_BENCH_CLEAN_ROWS:-1000000}
runs=${SIFT_BENCH_RUNS:-3}
py=/usr/bin/python3

# scored_labels N: the path of a cached file of N scored records.
scored_labels() {
	local n=$1 f
	f=$BENCH_DIR/clean-n$n.csv
	if [ ! -s "$f" ]; then
		bench_say "generating $f ($n records)..."
		awk -v n="$n" 'BEGIN {
			srand(7)
			split("ham spam promo", name, " ")
			print "id,true,label,p_ham,p_spam,p_promo"
			for (i = 1; i <= n; i++) {
				r = rand()
				t = r < 0.6 ? 1 : (r < 0.9 ? 2 : 3)
				g = rand() < 0.1 ? int(rand() * 3) + 1 : t
				s = 0
				for (j = 1; j <= 3; j++) {
					z = (j == t ? 1.5 : 0) + 1.2 * (rand() + rand() + rand() - 1.5)
					e[j] = exp(z)
					s += e[j]
				}
				a = sprintf("%.4f", e[1] / s)
				b = sprintf("%.4f", e[2] / s)
				c = sprintf("%.4f", 1 - a - b)
				if (c < 0) c = "0.0000"
				printf "%d,%s,%s,%s,%s,%s\n", i, name[t], name[g], a, b, c
			}
		}' >"$f.tmp.$$" || {
			rm -f "$f.tmp.$$"
			bench_die "generating the scored records failed"
		}
		mv "$f.tmp.$$" "$f"
	fi
	printf '%s\n' "$f"
}

bench_init
file=$(scored_labels "$rows")
size=$(bench_file_size "$file")
bench_warm "$file"

echo "== sift clean: $("$SIFT" --version 2>/dev/null || echo "$SIFT")"
echo "records: $file ($rows, $(awk -v s="$size" 'BEGIN { printf "%.1f MB", s / 1e6 }'))"
echo

bench_run "sift clean" "$runs" 0 "$SIFT" clean -q "$file"
bench_run "sift clean --sort input" "$runs" 0 "$SIFT" clean -q --sort input "$file"
bench_run "sift clean <pipe" "$runs" 0 bash -c "'$SIFT' clean -q < '$file'"
bench_run "sift clean --drop" "$runs" 0 "$SIFT" clean -q --drop "$file"
have_numpy=0
if "$py" -c 'import numpy' 2>/dev/null; then
	have_numpy=1
	bench_run "numpy" "$runs" 0 "$py" "$here/clean-numpy.py" "$file"
else
	bench_skip "numpy" "python3-numpy is not installed"
fi
bench_table "$size" "numpy"

# The same records flagged by both, and how many of them are the labels
# that were redrawn to another class.
"$SIFT" clean -q --all "$file" >"$bench_tmp/all.csv"
flagged=$(awk -F, '$NF == 1' "$bench_tmp/all.csv" | wc -l | tr -d ' ')
wrong=$(awk -F, 'NR > 1 && $2 != $3' "$file" | wc -l | tr -d ' ')
hits=$(awk -F, '$NF == 1 && $2 != $3' "$bench_tmp/all.csv" | wc -l | tr -d ' ')
cat <<EOT

commands (FILE is the scored records):
  sift clean                 sift clean -q FILE (the issues, ranked by self-confidence)
  sift clean --sort input    sift clean -q --sort input FILE (streamed, not ranked)
  sift clean <pipe           sift clean -q < FILE (stdin spooled to TMPDIR)
  sift clean --drop          sift clean -q --drop FILE (the records that are not issues)
  numpy                      clean-numpy.py FILE (the numbers of the issues)

$wrong of $rows labels are wrong; sift clean flags $flagged, of which $hits
are wrong (precision $(awk -v h="$hits" -v f="$flagged" 'BEGIN { printf "%.3f", f ? h / f : 0 }'), recall $(awk -v h="$hits" -v w="$wrong" 'BEGIN { printf "%.3f", w ? h / w : 0 }')).
EOT
if [ "$have_numpy" = 1 ]; then
	awk -F, '$NF == 1 { print NR - 2 }' "$bench_tmp/all.csv" >"$bench_tmp/sift.ids"
	"$py" "$here/clean-numpy.py" "$file" >"$bench_tmp/numpy.ids"
	if cmp -s "$bench_tmp/sift.ids" "$bench_tmp/numpy.ids"; then
		bench_verdict "sift clean flags the records numpy flags" 1 "$flagged records"
	else
		bench_verdict "sift clean flags the records numpy flags" 0 \
			"$(diff "$bench_tmp/sift.ids" "$bench_tmp/numpy.ids" | grep -c '^[<>]') differ"
	fi
	bench_check_faster "sift clean is faster than numpy" "sift clean" "numpy"
fi
bench_check_rss "sift clean --sort input stays small" "sift clean --sort input" 64
