#!/usr/bin/env bats
# Command tests of `sift audit`: every documented option and every bad
# input of issue 6, with the exact message and exit status.

bats_require_minimum_version 1.5.0
load nobody

setup() {
	S="$SIFT"
	D="$DATA/audit"
	T="$BATS_TEST_TMPDIR"
}

teardown() {
	nobody_cleanup
	[ -z "${lock_pid:-}" ] || release_lock
}

need_sqlite3() { command -v sqlite3 >/dev/null || skip "sqlite3 (the shell) is not installed"; }

# Hold a write lock on the store $1 (BEGIN IMMEDIATE, or $2: EXCLUSIVE)
# in an sqlite3 shell until release_lock; back once the lock is held.
hold_lock() {
	rm -f "$T/held" "$T/lock-fifo"
	mkfifo "$T/lock-fifo"
	sqlite3 "$1" <"$T/lock-fifo" >/dev/null 3>&- &
	lock_pid=$!
	exec 8>"$T/lock-fifo"
	printf 'BEGIN %s;\n.shell touch %s/held\n' "${2:-IMMEDIATE}" "$T" >&8
	for _ in $(seq 200); do
		[ -e "$T/held" ] && return 0
		sleep 0.05
	done
	return 1
}

release_lock() {
	exec 8>&-
	wait "$lock_pid" || true
	lock_pid=
}

# The number of annotations in the store $1 whose annotator is $2.
count_by() {
	sqlite3 "$1" "SELECT count(*) FROM annotations a JOIN annotators n ON n.id = a.annotator WHERE n.name = '$2'"
}

# N annotations by annotator $1, items i1..iN, in $T/$1.csv.
annotations() {
	awk -v a="$1" -v n="$2" 'BEGIN { print "item,annotator,label"; for (i = 1; i <= n; i++) print "i" i "," a "," (i % 3) }' >"$T/$1.csv"
}

# A value from JSON on stdin (python3 checks that it parses, too).
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
need_python() { command -v python3 >/dev/null || skip "python3 is not installed"; }

@test "the text report: totals, agreement, annotators, flags in words" {
	run --separate-stderr "$S" audit --min-overlap 1 "$D/small.csv"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "items                    4" ]
	[ "${lines[1]}" = "annotators               3" ]
	[ "${lines[2]}" = "annotations              9" ]
	[ "${lines[3]}" = "labels                   2: pos, neg" ]
	[ "${lines[4]}" = "annotations per item     2.25 (1 to 3)" ]
	[ "${lines[5]}" = "items with one annotator 1 (left out of agreement)" ]
	[[ "$output" == *"  Fleiss' kappa          0.4074"* ]]
	[[ "$output" == *"  Krippendorff's alpha   0.4167 (nominal)"* ]]
	[[ "$output" == *"cat "*"always the same label"* ]]
	[ "$stderr" = "sift audit: 1 duplicate annotations (an annotator labelled the same item again): the later ones count" ]
}

@test "Fleiss' worked example (Wikipedia): kappa 0.2099307" {
	need_python
	run --separate-stderr "$S" audit --format json "$DATA/audit/fleiss.csv"
	[ "$status" -eq 0 ]
	k=$(printf '%s' "$output" | json "round(d['agreement']['fleiss_kappa'], 7)")
	[ "$k" = "0.2099307" ]
}

@test "Krippendorff (2011): alpha at every --level, missing values" {
	need_python
	for pair in nominal:0.743 ordinal:0.815 interval:0.849 ratio:0.797; do
		run --separate-stderr "$S" audit --format json --level "${pair%%:*}" "$D/krippendorff.csv"
		[ "$status" -eq 0 ] || false
		a=$(printf '%s' "$output" | json "round(d['agreement']['krippendorff_alpha'], 3)")
		[ "$a" = "${pair##*:}" ] || false
	done
}

@test "--level ordinal on labels that are not numbers" {
	run --separate-stderr "$S" audit --level ordinal "$D/small.csv"
	[ "$status" -eq 1 ]
	[ "${stderr_lines[1]}" = "sift audit: label 'pos' is not a number (ordinal, interval and ratio levels need numeric labels)" ]
}

@test "--format csv: one row per annotator, stable columns" {
	run --separate-stderr "$S" audit --format csv --min-overlap 1 "$D/small.csv"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "annotator,annotations,shared_items,loo_agreement,kappa,gold_items,gold_accuracy,gold_low,gold_high,ds_accuracy,flags,share:pos,share:neg" ]
	[ "${#lines[@]}" -eq 4 ]
	[[ "${lines[3]}" == "cat,2,2,0.5,0,0,,,,"*",always the same label,0,1" ]]
}

@test "--format json parses and names every section" {
	need_python
	run --separate-stderr "$S" audit --format json --min-overlap 1 "$D/small.csv"
	[ "$status" -eq 0 ]
	[ "$(printf '%s' "$output" | json "sorted(d.keys())")" = "['agreement', 'annotators', 'totals']" ]
	[ "$(printf '%s' "$output" | json "d['annotators'][2]['flags']")" = "['always the same label']" ]
	[ "$(printf '%s' "$output" | json "d['totals']['duplicates']")" = "1" ]
}

@test "--min-overlap: pairs sharing too few items are not judged" {
	need_python
	run --separate-stderr "$S" audit --format json --min-overlap 3 "$D/small.csv"
	[ "$(printf '%s' "$output" | json "[p['kappa'] for p in d['agreement']['pairwise']]")" = "[1, None, None]" ]
	[ "$(printf '%s' "$output" | json "d['annotators'][2]['flags']")" = "['too little overlap to judge']" ]
}

@test "--gold: accuracy with a Wilson interval, consensus accuracy" {
	need_python
	run --separate-stderr "$S" audit --gold "$D/gold.csv" --min-overlap 1 --format json "$D/small.csv"
	[ "$status" -eq 0 ]
	[ "$(printf '%s' "$output" | json "d['annotators'][0]['gold']['items']")" = "3" ]
	[ "$(printf '%s' "$output" | json "d['agreement']['gold_items']")" = "3" ]
	lo=$(printf '%s' "$output" | json "d['annotators'][0]['gold']['low'] > 0")
	[ "$lo" = "True" ]
}

@test "--gold naming an unknown item" {
	run --separate-stderr "$S" audit --gold "$D/gold-unknown.csv" "$D/small.csv"
	[ "$status" -eq 1 ]
	[ "${stderr_lines[1]}" = "sift audit: $D/gold-unknown.csv:3: gold item 't9' is not among the annotated items" ]
}

@test "--consensus majority and dawid-skene write item,label,confidence" {
	run --separate-stderr "$S" audit --consensus majority "$D/small.csv"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "item,label,confidence" ]
	[ "${lines[1]}" = "t1,pos,0.6666666666666666" ]
	[ "${lines[2]}" = "t2,neg,1" ]
	[ "${#lines[@]}" -eq 5 ]
	run --separate-stderr "$S" audit --consensus dawid-skene "$D/small.csv"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "item,label,confidence" ]
	[[ "${lines[1]}" == t1,pos,0.9* ]]
}

@test "--review N --margin --level --seed: reproducible, csv" {
	need_python
	"$S" audit --review 2 --margin 0.2 --level 0.9 --seed 3 --format csv "$D/small.csv" >"$T/a" 2>/dev/null
	"$S" audit --review 2 --margin 0.2 --level 0.9 --seed 3 --format csv "$D/small.csv" >"$T/b" 2>/dev/null
	cmp "$T/a" "$T/b"
	[ "$(head -1 "$T/a")" = "item,reason,annotator,label,consensus,confidence,disagreement" ]
	[ "$(grep -c ',second-look,' "$T/a")" -eq 2 ]
	# Cochran with the finite-population correction: all of tiny samples
	[ "$(grep -c ',recheck,ann,' "$T/a")" -eq 4 ]
	run "$S" audit --review 1 --seed 1 "$D/small.csv"
	[[ "$output" == *"items most worth a second look (1 of 4"* ]]
	run --separate-stderr "$S" audit --review 1 --seed 1 --format json "$D/small.csv"
	[ "$(printf '%s' "$output" | json "d['recheck'][0]['sample']")" = "4" ]
}

@test "--review sample sizes on a large annotator" {
	need_python
	awk 'BEGIN { print "item,annotator,label"; for (i = 1; i <= 1000; i++) {
		print "t" i ",a," (i % 3); print "t" i ",b," (i % 2) } }' >"$T/big.csv"
	run --separate-stderr "$S" audit --review 0 --seed 1 --format json "$T/big.csv"
	[ "$(printf '%s' "$output" | json "d['recheck'][0]['sample']")" = "278" ]
}

@test "--item --annotator --label name the columns; -d and --tsv" {
	printf 'who\ttweet\tsays\na\t1\tx\nb\t1\tx\n' >"$T/in.tsv"
	run "$S" audit --tsv --item tweet --annotator who --label says --consensus majority "$T/in.tsv"
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "1,x,1" ]
	tr '\t' ';' <"$T/in.tsv" >"$T/in.txt"
	run "$S" audit -d ';' --item tweet --annotator who --label says --consensus majority "$T/in.txt"
	[ "${lines[1]}" = "1,x,1" ]
	run "$S" audit --no-header --item 2 --annotator 1 --label 3 --consensus majority <(tail -n +2 "$T/in.txt" | tr ';' ',')
	[ "${lines[1]}" = "1,x,1" ]
}

@test "stdin and -o FILE" {
	"$S" audit --consensus majority -o "$T/out.csv" <"$D/small.csv" 2>/dev/null
	[ "$(head -1 "$T/out.csv")" = "item,label,confidence" ]
}

@test "-v reports Dawid-Skene's convergence" {
	run --separate-stderr "$S" audit -v "$D/small.csv"
	[[ "$stderr" == *"sift audit: Dawid-Skene: "*" iterations, converged"* ]]
}

@test "empty input, header only, a missing column, empty ids" {
	run --separate-stderr "$S" audit "$D/empty.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift audit: $D/empty.csv: no column 'item': the input is empty" ]
	run --separate-stderr "$S" audit "$D/header-only.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift audit: $D/header-only.csv: no annotations" ]
	run --separate-stderr "$S" audit "$D/missing-column.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift audit: $D/missing-column.csv: no column 'annotator'; the columns are: item, who, label" ]
	run --separate-stderr "$S" audit "$D/empty-annotator.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift audit: $D/empty-annotator.csv:3: the annotator id is empty" ]
	run --separate-stderr "$S" audit "$D/empty-item.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift audit: $D/empty-item.csv:3: the item id is empty" ]
}

@test "--db --import, then --db: the same report as the CSV" {
	run "$S" audit --db "$T/s.db" --import "$D/small.csv" -v
	[ "$status" -eq 0 ]
	[ "$output" = "sift audit: $T/s.db: imported 10 annotations" ]
	"$S" audit --db "$T/s.db" --format csv >"$T/db.csv" 2>/dev/null
	"$S" audit --format csv "$D/small.csv" >"$T/csv.csv" 2>/dev/null
	cmp "$T/db.csv" "$T/csv.csv"
}

@test "--import is all or nothing and names the bad line" {
	need_python
	"$S" audit --db "$T/s.db" --import "$D/small.csv"
	run --separate-stderr "$S" audit --db "$T/s.db" --import "$D/empty-item.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift audit: $D/empty-item.csv:3: the item id is empty" ]
	run --separate-stderr "$S" audit --db "$T/s.db" --format json
	[ "$(printf '%s' "$output" | json "d['totals']['annotations']")" = "9" ]
	# a failed first import leaves no database behind
	run "$S" audit --db "$T/new.db" --import "$D/empty-item.csv"
	[ "$status" -eq 1 ]
	[ ! -e "$T/new.db" ]
}

@test "--db: missing, corrupt, foreign, other version" {
	run --separate-stderr "$S" audit --db "$T/none.db"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift audit: $T/none.db: No such file or directory" ]
	head -c 4096 /dev/urandom | tr -d '\0' >"$T/bad.db"
	run --separate-stderr "$S" audit --db "$T/bad.db"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift audit: $T/bad.db: not an SQLite database, or a corrupt one" ]
	need_sqlite3
	sqlite3 "$T/other.db" 'CREATE TABLE t (x);'
	run --separate-stderr "$S" audit --db "$T/other.db"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift audit: $T/other.db: not a sift annotation store (no sift_schema table)" ]
	"$S" audit --db "$T/s.db" --import "$D/small.csv"
	sqlite3 "$T/s.db" 'UPDATE sift_schema SET version = 2;'
	run --separate-stderr "$S" audit --db "$T/s.db"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift audit: $T/s.db: annotation store of schema version 2; this sift reads version 1" ]
}

@test "--db: a file that is not SQLite is refused and left as it was, by import too" {
	printf 'item,annotator,label\nt1,a,pos\n' >"$T/text.db"
	cp "$T/text.db" "$T/text.orig"
	run --separate-stderr "$S" audit --db "$T/text.db" --import "$D/small.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift audit: $T/text.db: not an SQLite database, or a corrupt one" ]
	cmp "$T/text.db" "$T/text.orig"
	[ ! -e "$T/text.db-wal" ]
	# an empty file is an empty database: an import gives it the schema
	: >"$T/empty.db"
	run --separate-stderr "$S" audit --db "$T/empty.db"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift audit: $T/empty.db: not a sift annotation store (no sift_schema table)" ]
	"$S" audit --db "$T/empty.db" --import "$D/small.csv"
	[ "$("$S" audit --db "$T/empty.db" --format csv 2>/dev/null | wc -l)" -gt 1 ]
}

@test "--db locked by another writer: import waits --busy-timeout, then fails; reading works" {
	need_sqlite3
	"$S" audit --db "$T/s.db" --import "$D/small.csv"
	"$S" audit --db "$T/s.db" --format csv >"$T/before.csv" 2>/dev/null
	for mode in IMMEDIATE EXCLUSIVE; do
		hold_lock "$T/s.db" "$mode"
		run --separate-stderr "$S" audit --db "$T/s.db" --import "$D/small.csv" --busy-timeout 100
		[ "$status" -eq 1 ] || false
		[ "$stderr" = "sift audit: $T/s.db: the database is locked (another process is writing to it)" ] || false
		# WAL: a reader waits for no writer
		run --separate-stderr "$S" audit --db "$T/s.db" --format csv --busy-timeout 100
		[ "$status" -eq 0 ] || false
		[ "$output" = "$(cat "$T/before.csv")" ] || false
		release_lock
	done
	[ "$(sqlite3 "$T/s.db" 'SELECT count(*) FROM annotations')" -eq 10 ]
}

@test "two imports at once: the second waits for the first; both whole, not mixed" {
	need_sqlite3
	annotations a 3000
	annotations b 2000
	"$S" audit --db "$T/s.db" --import "$D/small.csv"
	# the first import holds its transaction open while its input comes
	mkfifo "$T/a-fifo"
	"$S" audit --db "$T/s.db" --import - <"$T/a-fifo" 3>&- &
	a_pid=$!
	exec 7>"$T/a-fifo"
	head -1000 "$T/a.csv" >&7
	for _ in $(seq 200); do
		sqlite3 "$T/s.db" 'BEGIN IMMEDIATE; ROLLBACK;' 2>/dev/null || break
		sleep 0.05
	done
	run --separate-stderr "$S" audit --db "$T/s.db" --import "$T/b.csv" --busy-timeout 100
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift audit: $T/s.db: the database is locked (another process is writing to it)" ]
	"$S" audit --db "$T/s.db" --import "$T/b.csv" --busy-timeout 600000 7>&- 3>&- &
	b_pid=$!
	tail -n +1001 "$T/a.csv" >&7
	exec 7>&-
	wait "$a_pid"
	wait "$b_pid"
	[ "$(sqlite3 "$T/s.db" 'PRAGMA integrity_check')" = ok ]
	[ "$(count_by "$T/s.db" a)" -eq 3000 ]
	[ "$(count_by "$T/s.db" b)" -eq 2000 ]
	# one import after the other: a's rows all come before b's
	[ "$(sqlite3 "$T/s.db" "SELECT max(a.id) < (SELECT min(a2.id) FROM annotations a2 JOIN annotators n2 ON n2.id = a2.annotator WHERE n2.name = 'b') FROM annotations a JOIN annotators n ON n.id = a.annotator WHERE n.name = 'a'")" -eq 1 ]
}

@test "a read-only store: read, not imported into, in a read-only directory too" {
	need_sqlite3
	need_nobody
	"$S" audit --db "$P/s.db" --import "$D/small.csv"
	"$S" audit --format csv "$D/small.csv" >"$T/want.csv" 2>/dev/null
	chmod 0444 "$P/s.db"
	# no WAL index (-shm) for a reader to share
	[ "$(ls -A "$P")" = s.db ]
	# $P is root's (a directory nobody may not write), then nobody's
	for dir in closed open; do
		if [ "$dir" = open ]; then give_nobody "$P"; fi
		run --separate-stderr as_nobody "$S" audit --db "$P/s.db" --format csv
		[ "$status" -eq 0 ] || false
		[ "$output" = "$(cat "$T/want.csv")" ] || false
		run --separate-stderr as_nobody "$S" audit --db "$P/s.db" --import "$D/small.csv"
		[ "$status" -eq 1 ] || false
		[ "$stderr" = "sift audit: $P/s.db: the store is read-only (attempt to write a readonly database)" ] || false
		[ "$(sqlite3 "$P/s.db" 'SELECT count(*) FROM annotations')" -eq 10 ] || false
	done
}

@test "kill -9 at 20 moments of an import: the store is whole, with all of it or none" {
	need_sqlite3
	annotations k 10000
	"$S" audit --db "$T/s.db" --import "$D/small.csv"
	n=10
	RANDOM=14
	for _ in $(seq 20); do
		"$S" audit --db "$T/s.db" --import "$T/k.csv" &
		sleep "0.0$((RANDOM % 10))$((RANDOM % 10))"
		kill -9 $! 2>/dev/null || true
		wait $! || true
		[ "$(sqlite3 "$T/s.db" 'PRAGMA integrity_check')" = ok ] || false
		got=$(sqlite3 "$T/s.db" 'SELECT count(*) FROM annotations')
		[ "$got" -eq "$n" ] || [ "$got" -eq $((n + 10000)) ] || false
		n=$got
	done
	# and sift reads it
	run --separate-stderr "$S" audit --db "$T/s.db" --format csv
	[ "$status" -eq 0 ]
}

@test "bad usage: status 2 and the usage line" {
	run --separate-stderr "$S" audit --format xml "$D/small.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift audit: --format: 'xml' is none of text, csv, json" ]
	[[ "${stderr_lines[1]}" == "usage: sift audit"* ]]
	run --separate-stderr "$S" audit --level 1.5 "$D/small.csv"
	[ "$status" -eq 2 ]
	run --separate-stderr "$S" audit --consensus mean "$D/small.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift audit: --consensus: 'mean' is neither majority nor dawid-skene" ]
	run --separate-stderr "$S" audit --import "$D/small.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift audit: --import needs --db" ]
	run --separate-stderr "$S" audit --consensus majority --review 3 "$D/small.csv"
	[ "$status" -eq 2 ]
	run --separate-stderr "$S" audit --margin 0 "$D/small.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift audit: --margin: 0 is not in (0, 1)" ]
	run --separate-stderr "$S" audit --bogus
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift audit: unknown option --bogus" ]
	run "$S" audit --help
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "usage: sift audit"* ]]
}
