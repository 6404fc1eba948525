# shellcheck shell=bash
# bench/lib.sh: helpers shared by the benchmarks. Sourced, not run:
#
#   . "$(dirname "$0")/lib.sh"
#   bench_init
#   file=$(bench_corpus_tweets 8000000 1)
#   bench_warm "$file"
#   bench_run "wc -l" 3 0 wc -l "$file"
#   bench_table "$(bench_file_size "$file")" "wc -l"
#
# Environment:
#   SIFT            the sift binary (set by `make bench`; default ./sift)
#   SIFT_BENCH_DIR  where generated corpora are cached (default
#                   /tmp/sift-bench); never inside the repository
#   SIFT_BENCH_TIME GNU time (default /usr/bin/time)
#
# Every timed command runs with LC_ALL=C, stdout to /dev/null and stderr to
# a log, under GNU time for the peak RSS. Wall time is measured around it
# with bash's EPOCHREALTIME (microseconds), falling back to GNU time's %e
# (centiseconds) on an older bash.

export LC_ALL=C

bench_repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_DIR=${SIFT_BENCH_DIR:-/tmp/sift-bench}
BENCH_TIME=${SIFT_BENCH_TIME:-/usr/bin/time}
SIFT=${SIFT:-$bench_repo/sift}

# Results, keyed by label; bench_order keeps the order of bench_run calls.
bench_order=()
declare -A bench_secs=() bench_cpu=() bench_rss=() bench_runs=() \
	bench_status=() bench_note=()

bench_tmp=""

bench_say() { printf '%s\n' "$*" >&2; }
bench_die() {
	printf 'bench: %s\n' "$*" >&2
	exit 1
}

# bench_init: check the tools, create the cache and a scratch directory.
bench_init() {
	[ -x "$SIFT" ] || bench_die "SIFT=$SIFT is not an executable (run make)"
	[ -x "$BENCH_TIME" ] || bench_die "$BENCH_TIME (GNU time) is missing"
	"$BENCH_TIME" -f '%e %M' -o /dev/null true 2>/dev/null ||
		bench_die "$BENCH_TIME does not look like GNU time"
	# Resolve the cache directory before creating it: never in the repo.
	local dir=$BENCH_DIR p rest=""
	case "$dir" in /*) ;; *) dir=$PWD/$dir ;; esac
	p=$dir
	while [ ! -d "$p" ]; do
		rest=/${p##*/}$rest
		p=${p%/*}
		[ -n "$p" ] || p=/
	done
	dir=$(cd "$p" && pwd -P)$rest
	case "$dir/" in
	"$(cd "$bench_repo" && pwd -P)"/*)
		bench_die "SIFT_BENCH_DIR=$BENCH_DIR is inside the repository"
		;;
	esac
	mkdir -p "$dir"
	BENCH_DIR=$(cd "$dir" && pwd -P)
	bench_tmp=$(mktemp -d "${TMPDIR:-/tmp}/sift-bench-run.XXXXXX")
	trap 'rm -rf "$bench_tmp"' EXIT
}

# bench_corpus_tweets N SEED: print the path of a cached gen-tweets corpus
# of N tweets, generating it first if it is missing.
bench_corpus_tweets() {
	local n=$1 seed=$2 gen f
	gen=$bench_repo/examples/tweets/gen-tweets
	f=$BENCH_DIR/tweets-n$n-s$seed.csv
	if [ ! -s "$f" ]; then
		[ -x "$gen" ] || bench_die "$gen is missing (run make)"
		bench_say "generating $f ($n tweets)..."
		"$gen" -n "$n" -s "$seed" >"$f.tmp.$$" ||
			{
				rm -f "$f.tmp.$$"
				bench_die "gen-tweets failed"
			}
		mv "$f.tmp.$$" "$f"
	fi
	printf '%s\n' "$f"
}

# bench_file_size FILE: its size in bytes.
bench_file_size() { wc -c <"$1" | tr -d ' '; }

# bench_warm FILE: read it once so that every timed run finds it in the
# page cache.
bench_warm() { cat "$1" >/dev/null; }

# bench_median: the median of the numbers on stdin, one a line.
bench_median() {
	sort -g | awk '{ v[NR] = $1 }
		END {
			if (NR == 0) exit 1
			if (NR % 2) printf "%.6f\n", v[(NR + 1) / 2]
			else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2
		}'
}

# bench_run LABEL RUNS SLOW CMD [ARG...]: run CMD up to RUNS times, with
# stdout to /dev/null, and record under LABEL the median wall time, the
# median CPU time (user + system: more than the wall time where a command
# uses a second thread) and the largest peak RSS of the runs. If SLOW > 0 and the first run took longer
# than SLOW seconds, it is not repeated. A failing command is recorded as
# such (its stderr is kept for the notes); it never stops the benchmark.
bench_run() {
	local label=$1 runs=$2 slow=$3 n=0 t0 t1 st secs rss line
	shift 3
	local times=$bench_tmp/times cpus=$bench_tmp/cpus
	local tf=$bench_tmp/time log=$bench_tmp/log
	: >"$times"
	: >"$cpus"
	: >"$log"
	rss=0
	st=0
	bench_say "  $label ..."
	while [ "$n" -lt "$runs" ]; do
		n=$((n + 1))
		t0=${EPOCHREALTIME:-}
		if "$BENCH_TIME" -f '%e %U %S %M' -o "$tf" "$@" >/dev/null 2>>"$log"; then
			st=0
		else
			st=$?
		fi
		t1=${EPOCHREALTIME:-}
		line=$(tail -n 1 "$tf")
		if [ -n "$t0" ] && [ -n "$t1" ]; then
			secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')
		else
			secs=${line%% *}
		fi
		echo "$secs" >>"$times"
		awk -v l="$line" 'BEGIN { split(l, f, " "); printf "%.2f\n", f[2] + f[3] }' >>"$cpus"
		rss=$(awk -v a="$rss" -v b="${line##* }" 'BEGIN { m = (b + 0 > a + 0) ? b : a; print m + 0 }')
		[ "$st" -eq 0 ] || break
		if [ "$slow" != 0 ] && [ "$n" -lt "$runs" ] &&
			awk -v s="$secs" -v m="$slow" 'BEGIN { exit !(s > m) }'; then
			bench_note[$label]="1 run only: the first took $(printf '%.1f' "$secs") s (> $slow s)"
			break
		fi
	done
	bench_order+=("$label")
	bench_secs[$label]=$(bench_median <"$times")
	bench_cpu[$label]=$(bench_median <"$cpus")
	bench_rss[$label]=$rss
	bench_runs[$label]=$n
	bench_status[$label]=$st
	if [ "$st" -ne 0 ]; then
		bench_note[$label]="FAILED (exit $st): $(tail -n 3 "$log" | tr '\n' ' ')"
	fi
}

# bench_skip LABEL REASON: a table row for a command that was not run.
bench_skip() {
	bench_order+=("$1")
	bench_status[$1]=skip
	bench_note[$1]="not run: $2"
}

# bench_add_note LABEL TEXT: add a note printed under the table.
bench_add_note() {
	if [ -n "${bench_note[$1]:-}" ]; then
		bench_note[$1]="${bench_note[$1]}; $2"
	else
		bench_note[$1]=$2
	fi
}

bench_ok() { [ "${bench_status[$1]:-skip}" = 0 ]; }

# bench_table SIZE BASE: the results table. MB/s is SIZE (bytes) / 10^6
# per second of median wall time; "x BASE" is the throughput relative to
# the row labelled BASE; peak RSS is in MiB (2^20 bytes).
bench_table() {
	local size=$1 base=$2 label bsecs=0 n=0 lw=28 xw=9 rule
	bench_ok "$base" && bsecs=${bench_secs[$base]}
	# Columns as wide as their longest entry.
	for label in "${bench_order[@]}"; do
		[ "${#label}" -le "$lw" ] || lw=${#label}
	done
	[ $((${#base} + 2)) -le "$xw" ] || xw=$((${#base} + 2))
	printf "%-${lw}s %9s %6s %9s %${xw}s %10s %5s\n" \
		benchmark "median s" "cpu s" "MB/s" "x $base" "peak MiB" runs
	rule=$(printf '%*s' "$lw" '' | tr ' ' -)
	printf "%s %9s %6s %9s %${xw}s %10s %5s\n" "$rule" --------- ------ \
		--------- "$(printf '%*s' "$xw" '' | tr ' ' -)" ---------- -----
	for label in "${bench_order[@]}"; do
		if ! bench_ok "$label"; then
			printf "%-${lw}s %9s %6s %9s %${xw}s %10s %5s\n" \
				"$label" - - - - - "${bench_runs[$label]:-0}"
			continue
		fi
		awk -v l="$label" -v s="${bench_secs[$label]}" -v sz="$size" \
			-v c="${bench_cpu[$label]}" -v lw="$lw" -v xw="$xw" \
			-v b="$bsecs" -v r="${bench_rss[$label]}" \
			-v n="${bench_runs[$label]}" 'BEGIN {
				mbs = s > 0 ? sprintf("%.1f", sz / 1e6 / s) : "-"
				x = (s > 0 && b > 0) ? sprintf("%.2f", b / s) : "-"
				fmt = "%-" lw "s %9.3f %6.2f %9s %" xw "s %10.1f %5d\n"
				printf fmt, l, s, c, mbs, x, r / 1024, n
			}'
	done
	for label in "${bench_order[@]}"; do
		if [ -n "${bench_note[$label]:-}" ]; then
			[ "$n" -gt 0 ] || echo
			n=$((n + 1))
			printf '  %s: %s\n' "$label" "${bench_note[$label]}"
		fi
	done
}

# bench_check_* DESCRIPTION ...: one PASS/FAIL/SKIP line. A missed target
# is reported, never turned into a non-zero exit: tests judge, benchmarks
# report.
bench_verdict() {
	local desc=$1 ok=$2 detail=$3
	if [ "$ok" = skip ]; then
		printf 'SKIP  %s (%s)\n' "$desc" "$detail"
	elif [ "$ok" = 1 ]; then
		printf 'PASS  %s (%s)\n' "$desc" "$detail"
	else
		printf 'FAIL  %s (%s)\n' "$desc" "$detail"
	fi
}

# bench_check_ratio DESC LABEL BASE MIN: throughput of LABEL >= MIN times
# that of BASE (same input, so the inverse ratio of their times).
bench_check_ratio() {
	local desc=$1 a=$2 b=$3 min=$4 r
	if ! bench_ok "$a" || ! bench_ok "$b"; then
		bench_verdict "$desc" skip "no result for $a or $b"
		return 0
	fi
	r=$(awk -v a="${bench_secs[$a]}" -v b="${bench_secs[$b]}" \
		'BEGIN { printf "%.2f", (a > 0 ? b / a : 1e9) }')
	bench_verdict "$desc" "$(awk -v r="$r" -v m="$min" \
		'BEGIN { print ((r >= m) ? 1 : 0) }')" "measured ${r} x"
}

# bench_check_faster DESC LABEL OTHER: LABEL's median time < OTHER's.
bench_check_faster() {
	local desc=$1 a=$2 b=$3
	if ! bench_ok "$a" || ! bench_ok "$b"; then
		bench_verdict "$desc" skip "no result for $a or $b"
		return 0
	fi
	bench_verdict "$desc" "$(awk -v a="${bench_secs[$a]}" \
		-v b="${bench_secs[$b]}" 'BEGIN { print ((a < b) ? 1 : 0) }')" \
		"$(printf '%.3f s vs %.3f s' "${bench_secs[$a]}" "${bench_secs[$b]}")"
}

# bench_check_rss DESC LABEL MAX_MIB: LABEL's peak RSS < MAX_MIB MiB.
bench_check_rss() {
	local desc=$1 a=$2 max=$3 mib
	if ! bench_ok "$a"; then
		bench_verdict "$desc" skip "no result for $a"
		return 0
	fi
	mib=$(awk -v k="${bench_rss[$a]}" 'BEGIN { printf "%.1f", k / 1024 }')
	bench_verdict "$desc" "$(awk -v m="$mib" -v x="$max" \
		'BEGIN { print ((m < x) ? 1 : 0) }')" "measured $mib MiB"
}
