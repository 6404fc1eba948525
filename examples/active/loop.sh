#!/bin/sh
# examples/active/loop.sh - the active-learning loop of issue 8 on the
# generated tweets: train on a small labeled set, predict on the pool,
# pick the records the model is least sure of (sift sample -m
# uncertainty, a fifth of them at random: --mix 0.2), "label" them (the
# generated ground truth, the misinfo column, stands in for the
# annotator), retrain; beside it, random sampling of the same size. After
# each round: macro-F1 and the rare class's F1 on a test corpus of
# another seed, through sift metrics.
#
#   sh examples/active/loop.sh            (about a minute)
#
# Environment: SIFT (default: the sift beside the repository), ACTIVE_DIR
# (scratch, default a temporary directory), ACTIVE_POOL (50000),
# ACTIVE_TEST (50000), ACTIVE_INIT (1000 labeled at first), ACTIVE_N
# (500 a round), ACTIVE_ROUNDS (5), ACTIVE_PREVALENCE (0.01, the share
# of misinformation).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
sift=${SIFT:-$here/../../sift}
gen=$here/../tweets/gen-tweets
pool_n=${ACTIVE_POOL:-50000}
test_n=${ACTIVE_TEST:-50000}
prev=${ACTIVE_PREVALENCE:-0.01}
init=${ACTIVE_INIT:-1000}
n=${ACTIVE_N:-500}
rounds=${ACTIVE_ROUNDS:-5}
dir=${ACTIVE_DIR:-}
if [ -z "$dir" ]; then
	dir=$(mktemp -d "${TMPDIR:-/tmp}/sift-active.XXXXXX")
	trap 'rm -rf "$dir"' EXIT
fi
mkdir -p "$dir"

# csv_awk MODE ARG [FILE]: records, not lines (a quoted field may span
# lines: an odd count of quotes so far means the record goes on).
#   strip K: drop the last K fields (pred and the p_ columns, all
#            unquoted) of every record
#   minus IDS: the records whose first field is not in the file IDS
csv_awk() {
	awk -v mode="$1" -v arg="$2" '
	BEGIN { if (mode == "minus") while ((getline l < arg) > 0) { split(l, a, ","); drop[a[1]] = 1 } }
	{ rec = (open ? rec "\n" : "") $0; q = gsub(/"/, "\"", $0); quotes += q
	  if (quotes % 2) { open = 1; next }
	  open = 0; quotes = 0
	  if (mode == "strip") { for (i = 0; i < arg; i++) sub(/,[^,]*$/, "", rec); print rec }
	  else { split(rec, f, ","); if (NR == 1 || !(f[1] in drop)) print rec }
	  rec = "" }' "${3:--}"
}

"$gen" -n "$pool_n" -p "$prev" -s 31 >"$dir/pool.csv"
"$gen" -n "$test_n" -p "$prev" -s 32 >"$dir/test.csv"
"$sift" sample -n "$init" --seed 1 "$dir/pool.csv" >"$dir/init.csv"
csv_awk minus "$dir/init.csv" "$dir/pool.csv" >"$dir/rest.csv"
for s in unc rnd; do
	cp "$dir/init.csv" "$dir/$s.lab.csv"
	cp "$dir/rest.csv" "$dir/$s.pool.csv"
done

# f1 STRATEGY: train on its labeled set, print "macro rare" on the test set.
f1() {
	"$sift" train -l misinfo -t text --seed 1 -q -o "$dir/$1.model" \
		"$dir/$1.lab.csv" >/dev/null 2>&1
	"$sift" predict -m "$dir/$1.model" "$dir/test.csv" |
		"$sift" metrics --gold misinfo --pred pred --positive 1 --format csv |
		awk -F, '$2 == "macro_f1" { m = $5 } $2 == "class_f1" && $3 == "1" { r = $5 }
			END { printf "%.4f %.4f", m, r }'
}

# pick STRATEGY ROUND: N more records from its pool, labeled.
pick() {
	if [ "$1" = unc ]; then
		"$sift" predict -m "$dir/unc.model" "$dir/unc.pool.csv" |
			"$sift" sample -m uncertainty -n "$n" --mix 0.2 --seed "$2" |
			csv_awk strip 3 >"$dir/new.csv"
	else
		"$sift" sample -n "$n" --seed "$2" "$dir/rnd.pool.csv" >"$dir/new.csv"
	fi
	tail -n +2 "$dir/new.csv" >>"$dir/$1.lab.csv"
	csv_awk minus "$dir/new.csv" "$dir/$1.pool.csv" >"$dir/$1.pool.tmp"
	mv "$dir/$1.pool.tmp" "$dir/$1.pool.csv"
}

positives() { awk -F, '/,1$/ { n++ } END { print n + 0 }' "$1"; }

printf '%-5s %8s  %-26s  %-26s\n' round labeled "uncertainty: macro rare (+)" "random: macro rare (+)"
r=0
while :; do
	u=$(f1 unc)
	v=$(f1 rnd)
	printf '%-5s %8s  %-19s (%4s)  %-19s (%4s)\n' "$r" $((init + r * n)) "$u" \
		"$(positives "$dir/unc.lab.csv")" "$v" "$(positives "$dir/rnd.lab.csv")"
	[ "$r" -lt "$rounds" ] || break
	r=$((r + 1))
	pick unc "$r"
	pick rnd "$r"
done
echo "(+): misinformation tweets in the labeled set"
