#!/usr/bin/env bats
# Command tests of `sift rebalance`: every documented option, every bad
# input of issue 7, with the exact message and exit status.

bats_require_minimum_version 1.5.0

setup() {
	S="$SIFT"
	R="$DATA/rebalance"
	T="$BATS_TEST_TMPDIR"
}

USAGE1="usage: sift rebalance --by COL [-m under|over|smote|weights]"

# Records per class in CSV on stdin: "no 7 yes 7" (class column 3).
per_class() { tail -n +2 | cut -d, -f3 | sort | uniq -c | awk '{ printf "%s %s ", $2, $1 }'; }

@test "under is the default: every class to the minority's count, input order, bytes kept" {
	run --separate-stderr "$S" rebalance --by label --seed 1 "$R/classes.csv"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "${lines[0]}" = "id,user,label,f1,f2,text,day" ]
	[ "$(printf '%s\n' "$output" | per_class)" = "no 7 yes 7 " ]
	ids=$(printf '%s\n' "$output" | tail -n +2 | cut -d, -f1)
	[ "$ids" = "$(printf '%s\n' "$ids" | sort -n)" ]
	# Every written record is a line of the input, byte for byte.
	printf '%s\n' "$output" | tail -n +2 | while IFS= read -r line; do
		grep -qxF -- "$line" "$R/classes.csv" || false
	done
}

@test "the same seed gives the same output; another seed differs" {
	for m in under over "smote --features f1,f2"; do
		"$S" rebalance --by label -m $m --seed 5 "$R/classes.csv" >"$T/a"
		"$S" rebalance --by label -m $m --seed 5 "$R/classes.csv" >"$T/b"
		"$S" rebalance --by label -m $m --seed 6 "$R/classes.csv" >"$T/c"
		cmp "$T/a" "$T/b" || false
		run ! cmp -s "$T/a" "$T/c"
	done
}

@test "--report prints the counts before and after on stderr" {
	run --separate-stderr "$S" rebalance --by label --seed 1 --report "$R/classes.csv"
	[ "$status" -eq 0 ]
	[ "$stderr" = "sift rebalance: class 'no': 23 -> 7
sift rebalance: class 'yes': 7 -> 7
sift rebalance: $R/classes.csv: 30 records -> 14" ]
}

@test "--dry-run prints only the report and writes no file" {
	run --separate-stderr "$S" rebalance --by label -m over --dry-run -o "$T/out.csv" "$R/classes.csv"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ ! -e "$T/out.csv" ]
	[[ "$stderr" == *"class 'yes': 7 -> 23"* ]]
}

@test "-m over repeats smaller-class records up to the majority, every original kept" {
	run "$S" rebalance --by label -m over --seed 2 "$R/classes.csv"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | per_class)" = "no 23 yes 23 " ]
	for id in 4 8 12 16 20 24 28; do
		printf '%s\n' "$output" | grep -q "^$id," || false
	done
}

@test "--ratio A:B: minority to majority, as imbalanced-learn counts" {
	run "$S" rebalance --by label --ratio 1:2 --seed 1 "$R/classes.csv"
	[ "$(printf '%s\n' "$output" | per_class)" = "no 14 yes 7 " ]
	run "$S" rebalance --by label -m over --ratio 0.5 --seed 1 "$R/classes.csv"
	[ "$(printf '%s\n' "$output" | per_class)" = "no 23 yes 11 " ]
}

@test "--ratio: a decimal and its A:B agree where the float product falls short" {
	# 100 x 0.57 is 56.99999999999999 in floating point, 100 x 0.29 is
	# 28.999999999999996 and 100 x 0.58 is 57.99999999999999: each is
	# the whole number within a relative 1e-9, as 57:100 counts exactly.
	{
		echo id,label
		for i in $(seq 1 100); do echo "$i,big"; done
		for i in $(seq 101 110); do echo "$i,small"; done
	} >"$T/100.csv"
	count() { tail -n +2 | cut -d, -f2 | grep -cx small; }
	for r in '0.57 57:100 57' '0.29 29:100 29' '0.58 58:100 58' \
		'0.7 7:10 70' '0.14 14:100 14'; do
		set -- $r
		run "$S" rebalance --by label -m over --ratio "$1" --seed 1 "$T/100.csv"
		[ "$status" -eq 0 ] || false
		[ "$(printf '%s\n' "$output" | count)" -eq "$3" ] || false
		run "$S" rebalance --by label -m over --ratio "$2" --seed 1 "$T/100.csv"
		[ "$(printf '%s\n' "$output" | count)" -eq "$3" ] || false
	done
	# Not within the tolerance: 0.333333 of 100 is 33.3333, floored;
	# 1:3 counts exactly, and 0.999999999 of 100 is 99.
	run "$S" rebalance --by label -m over --ratio 0.333333 --seed 1 "$T/100.csv"
	[ "$(printf '%s\n' "$output" | count)" -eq 33 ]
	run "$S" rebalance --by label -m over --ratio 1:3 --seed 1 "$T/100.csv"
	[ "$(printf '%s\n' "$output" | count)" -eq 33 ]
	run "$S" rebalance --by label -m over --ratio 0.999999 --seed 1 "$T/100.csv"
	[ "$(printf '%s\n' "$output" | count)" -eq 99 ]
	# Under-sampling: 57 small records at 0.57 keep 100 big ones.
	{
		echo id,label
		for i in $(seq 1 200); do echo "$i,big"; done
		for i in $(seq 201 257); do echo "$i,small"; done
	} >"$T/57.csv"
	for r in 0.57 57:100; do
		run "$S" rebalance --by label --ratio "$r" --seed 1 "$T/57.csv"
		[ "$(printf '%s\n' "$output" | tail -n +2 | cut -d, -f2 | grep -cx big)" -eq 100 ] || false
	done
}

@test "--target LABEL=N gives exactly N; classes not named are kept" {
	run "$S" rebalance --by label --target no=10 --seed 1 "$R/classes.csv"
	[ "$(printf '%s\n' "$output" | per_class)" = "no 10 yes 7 " ]
	run "$S" rebalance --by label -m over --target yes=40,no=23 --seed 1 "$R/classes.csv"
	[ "$(printf '%s\n' "$output" | per_class)" = "no 23 yes 40 " ]
}

@test "--to majority, minority, mean" {
	run "$S" rebalance --by label --to minority --seed 1 "$R/classes.csv"
	[ "$(printf '%s\n' "$output" | per_class)" = "no 7 yes 7 " ]
	run "$S" rebalance --by label -m over --to majority --seed 1 "$R/classes.csv"
	[ "$(printf '%s\n' "$output" | per_class)" = "no 23 yes 23 " ]
	run "$S" rebalance --by label --to mean --seed 1 "$R/classes.csv"
	[ "$(printf '%s\n' "$output" | per_class)" = "no 15 yes 7 " ]
	run "$S" rebalance --by label -m over --to mean --seed 1 "$R/classes.csv"
	[ "$(printf '%s\n' "$output" | per_class)" = "no 23 yes 15 " ]
}

@test "-m weights appends balanced weights N/(K N_c); --emit-weight names the column" {
	run "$S" rebalance --by label -m weights "$R/classes.csv"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "id,user,label,f1,f2,text,day,weight" ]
	[ "${lines[1]}" = "1,u1,no,0.737,7.42,plain,2023-02-02,0.6521739130434783" ]
	[ "${lines[4]}" = "4,u4,yes,-2.826,4.66,plain,2023-05-05,2.142857142857143" ]
	[ "${#lines[@]}" -eq 31 ]
	run "$S" rebalance --by label -m weights --emit-weight w "$R/classes.csv"
	[ "${lines[0]}" = "id,user,label,f1,f2,text,day,w" ]
}

@test "-m weights --class-weight gives weights as given; others 1" {
	run --separate-stderr "$S" rebalance --by label -m weights --class-weight yes=3.5 --report "$R/classes.csv"
	[ "${lines[1]##*,}" = "1" ]
	[ "${lines[4]##*,}" = "3.5" ]
	[[ "$stderr" == *"class 'yes': 7 records, weight 3.5"* ]]
}

@test "-m smote: real rows marked 0, synthetic rows 1 after them, other columns copied" {
	run "$S" rebalance --by label -m smote --features f1,f2 -k 3 --seed 4 "$R/classes.csv"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "id,user,label,f1,f2,text,day,synthetic" ]
	[ "$(printf '%s\n' "$output" | per_class)" = "no 23 yes 23 " ]
	[ "$(printf '%s\n' "$output" | sed -n 2,31p | grep -c ',0$')" -eq 30 ]
	[ "$(printf '%s\n' "$output" | sed -n '32,$p' | grep -c ',yes,.*,1$')" -eq 16 ]
	# A synthetic row of base 20 keeps its quoted text and its day.
	printf '%s\n' "$output" | sed -n '32,$p' | grep '^20,' | while IFS= read -r l; do
		[[ "$l" == *',"said ""hi"", then left",2023-09-21,1' ]] || false
	done
}

@test "--mark-col names the marker column; --neighbors is -k" {
	run "$S" rebalance --by label -m smote --features f1,f2 --neighbors 2 --mark-col fake --seed 4 "$R/classes.csv"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "id,user,label,f1,f2,text,day,fake" ]
}

@test "stdin is spooled and the spool is gone afterwards; -o writes the file" {
	mkdir "$T/tmp"
	TMPDIR="$T/tmp" "$S" rebalance --by label --seed 1 -o "$T/out.csv" <"$R/classes.csv"
	"$S" rebalance --by label --seed 1 "$R/classes.csv" | cmp - "$T/out.csv"
	[ -z "$(ls -A "$T/tmp")" ]
	gzip -c "$R/classes.csv" | TMPDIR="$T/tmp" "$S" rebalance --by label -m smote --features f1,f2 --seed 1 >"$T/gz.csv"
	"$S" rebalance --by label -m smote --features f1,f2 --seed 1 "$R/classes.csv" | cmp - "$T/gz.csv"
	[ -z "$(ls -A "$T/tmp")" ]
}

@test "-d, --tsv and --no-header" {
	tr , '\t' <"$R/classes.csv" | sed 's/"said ""hi""\t then left"/x/' >"$T/in.tsv"
	run "$S" rebalance --by label --tsv --seed 1 "$T/in.tsv"
	[ "${#lines[@]}" -eq 15 ]
	run "$S" rebalance --by label -d '\t' --seed 1 "$T/in.tsv"
	[ "${#lines[@]}" -eq 15 ]
	tail -n +2 "$R/classes.csv" >"$T/nohead.csv"
	run "$S" rebalance --by 3 --no-header -m weights "$T/nohead.csv"
	[ "${lines[0]}" = "1,u1,no,0.737,7.42,plain,2023-02-02,0.6521739130434783" ]
}

@test "-v reports the seed" {
	run --separate-stderr "$S" rebalance --by label --seed 17 -v "$R/classes.csv"
	[ "$stderr" = "sift rebalance: method under, seed 17" ]
}

@test "--help" {
	run "$S" rebalance --help
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$USAGE1" ]
}

@test "bad input: a missing class column" {
	run --separate-stderr "$S" rebalance --by nope "$R/classes.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift rebalance: $R/classes.csv: no column 'nope'; the columns are: id, user, label, f1, f2, text, day" ]
}

@test "bad input: a target for a class that has no records" {
	run --separate-stderr "$S" rebalance --by label --target maybe=3 "$R/classes.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift rebalance: $R/classes.csv: --target: no record has class 'maybe'" ]
}

@test "bad input: a target or ratio that cannot be met" {
	run --separate-stderr "$S" rebalance --by label --target yes=9 "$R/classes.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift rebalance: $R/classes.csv: class 'yes' has 7 records, fewer than the 9 asked for: -m under cannot add records" ]
	run --separate-stderr "$S" rebalance --by label -m over --ratio 1:5 "$R/classes.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift rebalance: $R/classes.csv: class 'yes' has 7 records, more than the 4 asked for: -m over cannot drop records" ]
	run --separate-stderr "$S" rebalance --by label --ratio 3:1 "$R/classes.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift rebalance: --ratio: '3:1' puts the minority above the majority (A:B needs A <= B)" ]
	run --separate-stderr "$S" rebalance --by label --ratio 1:x "$R/classes.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift rebalance: --ratio: '1:x' is not A:B with A, B > 0 (minority to majority)" ]
}

@test "bad input: non-numeric or missing features for smote" {
	run --separate-stderr "$S" rebalance --by label -m smote --features f1,f2 "$R/bad-feature.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift rebalance: $R/bad-feature.csv:10: column 'f1' (4): 'n/a' is not a finite number" ]
	run --separate-stderr "$S" rebalance --by label -m smote --features f1,f2 -o "$T/o.csv" "$R/missing-feature.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift rebalance: $R/missing-feature.csv:13: column 'f2' (5) is empty: -m smote needs a number in every feature" ]
	[ ! -e "$T/o.csv" ]
	run --separate-stderr "$S" rebalance --by label -m smote --features f1,nope "$R/classes.csv"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"no column 'nope'"* ]]
	run --separate-stderr "$S" rebalance --by label -m smote "$R/classes.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift rebalance: -m smote needs --features COL[,COL...]" ]
}

@test "bad input: fewer than k+1 records in a class smote grows" {
	run --separate-stderr "$S" rebalance --by label -m smote --features f1,f2 -k 7 "$R/classes.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift rebalance: $R/classes.csv: class 'yes' has 7 records: -m smote with -k 7 needs at least 8 in a class it grows" ]
}

@test "bad usage: methods, options that do not belong, conflicting targets" {
	run --separate-stderr "$S" rebalance --by label -m frob "$R/classes.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift rebalance: -m: no method 'frob' (under, over, smote, weights)" ]
	[ "${stderr_lines[1]}" = "$USAGE1" ]
	run --separate-stderr "$S" rebalance "$R/classes.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift rebalance: --by COL: name the class column" ]
	run --separate-stderr "$S" rebalance --by label --ratio 1:2 --to mean "$R/classes.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift rebalance: give one of --ratio, --target, --to and --class-weight" ]
	run --separate-stderr "$S" rebalance --by label --to majority "$R/classes.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift rebalance: --to majority: -m under cannot add records (use -m over or -m smote)" ]
	run --separate-stderr "$S" rebalance --by label --to median "$R/classes.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift rebalance: --to: 'median' is not majority, minority or mean (did you mean 'mean'?)" ]
	run --separate-stderr "$S" rebalance --by label -k 3 "$R/classes.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift rebalance: -k applies to -m smote only (not -m under)" ]
	run --separate-stderr "$S" rebalance --by label --emit-weight w "$R/classes.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift rebalance: --emit-weight applies to -m weights only" ]
	run --separate-stderr "$S" rebalance --by label --class-weight yes=2 "$R/classes.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift rebalance: --class-weight applies to -m weights only" ]
	run --separate-stderr "$S" rebalance --by label -m smote --features f1,label "$R/classes.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift rebalance: --features: 'label' is the class column" ]
	run --separate-stderr "$S" rebalance --by label --frob "$R/classes.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift rebalance: unknown option --frob" ]
	run --separate-stderr "$S" rebalance --by label a.csv b.csv
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift rebalance: one input at most (got 2)" ]
}

@test "an empty input gives an empty output; a header-only input its header" {
	run "$S" rebalance --by label </dev/null
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	printf 'id,label\n' | "$S" rebalance --by label >"$T/h.csv"
	[ "$(cat "$T/h.csv")" = "id,label" ]
}

@test "examples/imbalance: rebalanced and weighted training sets, scored on a stratified split" {
	ex="$BATS_TEST_DIRNAME/../../examples/imbalance/compare.sh"
	run env SIFT="$SIFT" N=20000 DIR="$BATS_TEST_TMPDIR/imb" sh "$ex"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 6 ]
	[[ "${lines[0]}" == "training set"*"precision"*"recall"*"F1" ]]
	[[ "${lines[2]}" == "class weights"* ]]
	[[ "${lines[5]}" == "over-sampled 1:3"* ]]
}

@test "--by with a single value over the input: a warning, status 0, the records as they are" {
	awk -F, 'BEGIN { OFS = "," } NR == 1 || $3 == "yes"' "$R/classes.csv" >"$T/yes.csv"
	n=$(($(wc -l <"$T/yes.csv") - 1))
	for m in under over weights; do
		run --separate-stderr "$S" rebalance --by label -m $m --seed 1 "$T/yes.csv"
		[ "$status" -eq 0 ] || false
		[ "$stderr" = "sift rebalance: --by label: all $n records have the value 'yes': a single class, nothing to balance it against" ] || false
		[ "${#lines[@]}" -eq $((n + 1)) ] || false
	done
	run --separate-stderr "$S" rebalance --by label --dry-run "$T/yes.csv"
	[ "$status" -eq 0 ]
	[ "${stderr_lines[0]}" = "sift rebalance: --by label: all $n records have the value 'yes': a single class, nothing to balance it against" ]
	# two classes say nothing
	run --separate-stderr "$S" rebalance --by label --seed 1 "$R/classes.csv"
	[ -z "$stderr" ]
}
