#!/usr/bin/env bats
# Command tests of `sift sample`: every documented option, every bad
# input of issue 2, with the exact message and exit status.

bats_require_minimum_version 1.5.0

setup() {
	S="$SIFT"
	D="$DATA"
	T="$BATS_TEST_TMPDIR"
}

ids() { cut -d, -f1 | tail -n +2 | tr '\n' ' '; }

# A CSV of N numbered records with a class column (1 in 10 is "rare").
numbered() {
	awk -v n="$1" 'BEGIN { print "id,class,w"; for (i = 1; i <= n; i++)
		print i "," (i % 10 == 0 ? "rare" : "common") "," (i % 7) }'
}

@test "reservoir is the default with -n and keeps exactly n in input order" {
	run "$S" sample -n 3 --seed 1 "$D/small.csv"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "id,user,month,label,w,text" ]
	n=$(printf '%s\n' "$output" | tail -n +2 | grep -c '^[0-9]')
	[ "$n" -eq 3 ]
	sorted=$(printf '%s\n' "$output" | ids)
	[ "$sorted" = "$(printf '%s\n' "$output" | ids | tr ' ' '\n' | sort -n | tr '\n' ' ')" ]
}

@test "the same seed gives byte-identical output; another seed differs" {
	numbered 1000 >"$T/in.csv"
	for m in "-n 50" "-p 0.1" "-k 17" "--by class -n 20" "-w w -n 20" \
	         "-m importance -w w -n 20" "-w w -n 20 --replace" "-n 30 --shuffle"; do
		"$S" sample $m --seed 5 "$T/in.csv" >"$T/a"
		"$S" sample $m --seed 5 "$T/in.csv" >"$T/b"
		"$S" sample $m --seed 6 "$T/in.csv" >"$T/c"
		cmp "$T/a" "$T/b" || false
		run ! cmp -s "$T/a" "$T/c"
	done
}

@test "-m first keeps the first n and stops reading" {
	run "$S" sample -m first -n 2 "$D/small.csv"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | ids)" = "1 2 " ]
	# It stops: a broken record after the first n is never reached.
	printf 'a\n1\n2\n"broken\n' | "$S" sample -m first -n 2 >/dev/null
}

@test "-m convenience is first" {
	run "$S" sample -m convenience -n 1 "$D/small.csv"
	[ "$(printf '%s\n' "$output" | ids)" = "1 " ]
}

@test "bernoulli is the default with -p; -p 0 keeps none, -p 1 keeps all" {
	run "$S" sample -p 0 "$D/small.csv"
	[ "$output" = "id,user,month,label,w,text" ]
	run "$S" sample -p 1 "$D/small.csv"
	[ "$output" = "$(cat "$D/small.csv")" ]
}

@test "bernoulli keeps about p of the records" {
	numbered 20000 | "$S" sample -p 0.1 --seed 3 >"$T/out"
	n=$(($(wc -l <"$T/out") - 1))
	# mean 2000, sd 42: within 5 sd
	[ "$n" -gt 1790 ]
	[ "$n" -lt 2210 ]
}

@test "systematic keeps every k-th record from a random start" {
	numbered 100 | "$S" sample -k 10 --seed 4 >"$T/out"
	[ "$(($(wc -l <"$T/out") - 1))" -eq 10 ]
	first=$(sed -n 2p "$T/out" | cut -d, -f1)
	[ "$first" -ge 1 ]
	[ "$first" -le 10 ]
	tail -n +2 "$T/out" | cut -d, -f1 | awk -v f="$first" \
		'{ if ($1 != f + 10 * (NR - 1)) exit 1 }'
}

@test "hash keeps a key always in or always out, whatever the file" {
	awk 'BEGIN { print "user,x"; for (i = 0; i < 3000; i++)
		print "u" (i % 300) "," i }' >"$T/a.csv"
	awk 'BEGIN { print "x,user"; for (i = 0; i < 900; i++)
		print i ",u" ((i * 7) % 300) }' >"$T/b.csv"
	"$S" sample -m hash --key user -p 0.2 "$T/a.csv" | tail -n +2 |
		cut -d, -f1 | sort -u >"$T/ka"
	"$S" sample --key user -p 0.2 "$T/b.csv" | tail -n +2 |
		cut -d, -f2 | sort -u >"$T/kb"
	cmp "$T/ka" "$T/kb"
	n=$(wc -l <"$T/ka")
	[ "$n" -gt 30 ]
	[ "$n" -lt 90 ]
	# A user is in with all of its records.
	"$S" sample --key user -p 0.2 "$T/a.csv" | tail -n +2 | cut -d, -f1 |
		sort | uniq -c | awk '$1 != 10 { exit 1 }'
	# Another seed, another set.
	"$S" sample --key user -p 0.2 --seed 9 "$T/a.csv" | tail -n +2 |
		cut -d, -f1 | sort -u >"$T/kc"
	run ! cmp -s "$T/ka" "$T/kc"
}

@test "stratified meets its proportional allocation exactly" {
	numbered 1000 | "$S" sample --by class -n 50 --seed 2 \
		--emit-weight dw >"$T/out"
	[ "$(grep -c ',rare,' "$T/out")" -eq 5 ]
	[ "$(grep -c ',common,' "$T/out")" -eq 45 ]
	[ "$(head -1 "$T/out")" = "id,class,w,dw" ]
	grep ',rare,' "$T/out" | grep -q ',20$'
	grep ',common,' "$T/out" | grep -q ',20$'
}

@test "stratified: equal allocation, per-stratum and min-per-stratum" {
	numbered 1000 >"$T/in.csv"
	"$S" sample -m stratified --by class -n 50 --allocation equal \
		--seed 1 "$T/in.csv" >"$T/out"
	[ "$(grep -c ',rare,' "$T/out")" -eq 25 ]
	"$S" sample --by class --per-stratum 7 --seed 1 "$T/in.csv" >"$T/out"
	[ "$(grep -c ',rare,' "$T/out")" -eq 7 ]
	[ "$(grep -c ',common,' "$T/out")" -eq 7 ]
	"$S" sample --by class -n 50 --min-per-stratum 20 --seed 1 \
		"$T/in.csv" >"$T/out"
	[ "$(grep -c ',rare,' "$T/out")" -eq 20 ]
	[ "$(grep -c ',common,' "$T/out")" -eq 30 ]
}

@test "stratified by two columns reads stdin twice through a spool" {
	numbered 200 | "$S" sample --by class,w -n 28 --seed 1 >"$T/out"
	[ "$(($(wc -l <"$T/out") - 1))" -eq 28 ]
	# 7 common strata of about 26 records get 3.64 each, rounded up by
	# the largest remainders; 7 rare strata of about 3 get 0.4 each.
	[ "$(tail -n +2 "$T/out" | cut -d, -f2,3 | sort | uniq -c |
		awk '{ printf "%s ", $1 }')" = "4 4 4 4 4 4 4 " ]
}

@test "stratified: floors that exceed n are an error" {
	run "$S" sample --by class -n 10 --min-per-stratum 6 --seed 1 \
		<(numbered 100)
	[ "$status" -eq 1 ]
	[[ "$output" == *"--min-per-stratum 6 over 2 strata needs more than -n 10 records"* ]]
}

@test "quota keeps the first k of every stratum" {
	run "$S" sample -m quota --by month --per-stratum 1 "$D/small.csv"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | ids)" = "1 3 6 " ]
}

@test "weighted never draws a record of weight 0 and emits 1/pi" {
	for seed in 1 2 3 4 5 6 7 8; do
		"$S" sample -m weighted -w w -n 3 --seed $seed \
			--emit-weight pi_inv "$D/small.csv" >"$T/out"
		[ "$(($(wc -l <"$T/out") - 1))" -ge 3 ] || false
		[ "$(cut -d, -f1 "$T/out" | grep -cx 6)" -eq 0 ] || false
		head -1 "$T/out" | grep -q ',pi_inv$' || false
	done
}

@test "weighted with more n than positive weights keeps them all" {
	run --separate-stderr "$S" sample -w w -n 100 --seed 1 "$D/small.csv"
	[ "$status" -eq 0 ]
	[ "$stderr" = "sift sample: -n 100 is more than the 7 records of positive weight: all are kept" ]
}

@test "weighted --replace draws exactly n, repeats allowed" {
	run "$S" sample -w w -n 20 --replace --seed 1 "$D/small.csv"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | tail -n +2 | grep -c '^[0-9]')" -eq 20 ]
}

@test "importance writes its weight column, with -n or with -p" {
	run "$S" sample -m importance -w w -n 3 --seed 1 "$D/small.csv"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "id,user,month,label,w,text,weight" ]
	run "$S" sample -m importance -w w -p 0.2 --target w --seed 1 \
		--emit-weight iw "$D/small.csv"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "id,user,month,label,w,text,iw" ]
}

@test "--emit-weight writes N/n for reservoir" {
	run "$S" sample -n 4 --seed 1 --emit-weight dw "$D/small.csv"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "id,user,month,label,w,text,dw" ]
	[ "$(printf '%s\n' "$output" | grep -c ',2$')" -eq 4 ]
}

@test "--emit-weight: 1/p for bernoulli, k for systematic" {
	run "$S" sample -p 0.5 --seed 1 --emit-weight dw <(numbered 20)
	printf '%s\n' "$output" | tail -n +2 | awk -F, '$4 != 2 { exit 1 }'
	run "$S" sample -k 4 --seed 1 --emit-weight dw <(numbered 20)
	printf '%s\n' "$output" | tail -n +2 | awk -F, '$4 != 4 { exit 1 }'
}

@test "--shuffle keeps the same records in another order" {
	numbered 100 >"$T/in.csv"
	"$S" sample -n 30 --seed 8 "$T/in.csv" | tail -n +2 >"$T/a"
	"$S" sample -n 30 --seed 8 --shuffle "$T/in.csv" | tail -n +2 >"$T/b"
	run ! cmp -s "$T/a" "$T/b"
	[ "$(sort "$T/a")" = "$(sort "$T/b")" ]
	"$S" sample -p 0.5 --seed 8 --shuffle "$T/in.csv" | tail -n +2 >"$T/c"
	"$S" sample -p 0.5 --seed 8 "$T/in.csv" | tail -n +2 >"$T/d"
	[ "$(sort "$T/c")" = "$(sort "$T/d")" ]
}

@test "-o writes a file, and .gz compresses it" {
	run "$S" sample -n 3 --seed 1 -o "$T/out.csv" "$D/small.csv"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ "$(wc -l <"$T/out.csv")" -eq 4 ]
	"$S" sample -p 1 -o "$T/out.csv.gz" "$D/small.csv"
	gzip -dc "$T/out.csv.gz" | cmp - "$D/small.csv"
	[ -z "$(find "$T" -mindepth 1 -maxdepth 1 -name '.*')" ]   # no temporary left behind
}

@test "-o leaves nothing behind when the input is bad" {
	run "$S" sample -n 3 -o "$T/out.csv" "$D/ragged.csv"
	[ "$status" -eq 1 ]
	[ ! -e "$T/out.csv" ]
	[ -z "$(ls -A "$T")" ]
}

@test "-v reports the method, the seed and the counts" {
	run --separate-stderr "$S" sample -v -n 2 --seed 77 "$D/small.csv"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"method reservoir, seed 77"* ]]
	[[ "$stderr" == *"kept 2 of 8 records"* ]]
}

@test "without --seed, -v prints the seed drawn, and it reproduces the run" {
	numbered 500 >"$T/in.csv"
	"$S" sample -v -n 10 "$T/in.csv" >"$T/a" 2>"$T/err"
	seed=$(sed -n 's/.*seed \([0-9]*\).*/\1/p' "$T/err")
	"$S" sample -n 10 --seed "$seed" "$T/in.csv" | cmp - "$T/a"
}

@test "--no-header, -d and --tsv" {
	run "$S" sample -m first -n 1 --no-header "$D/small.csv"
	[ "$output" = "id,user,month,label,w,text" ]
	printf 'a;b\n1;x\n2;y\n' >"$T/semi.csv"
	run "$S" sample -m quota --by b --per-stratum 1 -d ';' "$T/semi.csv"
	[ "$output" = "$(cat "$T/semi.csv")" ]
	printf 'a\tb\n1\tx\n2\ty\n' >"$T/t.tsv"
	run "$S" sample --key 2 -p 1 --tsv "$T/t.tsv"
	[ "$output" = "$(cat "$T/t.tsv")" ]
	run "$S" sample --key b -p 1 -d '\t' "$T/t.tsv"
	[ "$status" -eq 0 ]
}

@test "gzip input, from a file and from stdin, is read like plain" {
	gzip -c "$D/small.csv" >"$T/s.csv.gz"
	"$S" sample -p 1 "$T/s.csv.gz" | cmp - "$D/small.csv"
	gzip -c "$D/small.csv" | "$S" sample -p 1 - | cmp - "$D/small.csv"
	gzip -c "$D/small.csv" | "$S" sample -p 1 | cmp - "$D/small.csv"
}

@test "records pass through byte-exact: CRLF, quotes, bad UTF-8, NUL" {
	"$S" sample -n 100 --seed 1 "$D/crlf.csv" | cmp - "$D/crlf.csv"
	"$S" sample -n 100 --seed 1 "$D/binary.csv" | cmp - "$D/binary.csv"
	"$S" sample -n 100 --seed 1 "$D/small.csv" 2>/dev/null |
		cmp - "$D/small.csv"
}

@test "a header-only input gives the header; an empty input nothing" {
	run "$S" sample -n 5 "$D/header-only.csv"
	[ "$status" -eq 0 ]
	[ "$output" = "id,text" ]
	run "$S" sample -n 5 </dev/null
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "-n larger than the input keeps every record, with a note" {
	run --separate-stderr "$S" sample -n 100 --seed 1 "$D/small.csv"
	[ "$status" -eq 0 ]
	[ "$stderr" = "sift sample: -n 100 is more than the 8 records of the input: all are kept" ]
}

@test "| head ends quietly with status 0" {
	awk 'BEGIN { print "id"; for (i = 0; i < 2000000; i++) print i }' \
		>"$T/big.csv"
	run --separate-stderr bash -c \
		"set -o pipefail; '$S' sample -p 1 '$T/big.csv' | head -n 2"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
}

@test "a full disk is an error, status 1" {
	[ -w /dev/full ] || skip "no /dev/full"
	run "$S" sample -p 1 "$D/small.csv" >/dev/full
	run --separate-stderr bash -c "'$S' sample -p 1 '$D/small.csv' >/dev/full"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift sample: stdout: write error: No space left on device" ]
}

# ---- bad input: status 1, the file, the line and the column -------------

@test "bad input: an unterminated quote" {
	run "$S" sample -n 5 "$D/unterminated.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift sample: $D/unterminated.csv:2:3: unterminated quoted field (it runs to the end of the input)" ]
}

@test "bad input: a ragged row" {
	run "$S" sample -n 5 "$D/ragged.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift sample: $D/ragged.csv:3: ragged row: 2 fields, the header has 3: no column 'n' (3)" ]
}

@test "bad input: a ragged row names the column it lacks or passes" {
	printf 'id,text,n\n1,a,2\n2,b,3,4\n' >"$T/long.csv"
	run "$S" sample -n 5 "$T/long.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift sample: $T/long.csv:3: ragged row: 4 fields, the header has 3: field 4 is past column 'n' (3)" ]
	printf '1,a,2\n2,b\n' >"$T/short.csv"
	run "$S" sample --no-header -n 5 "$T/short.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift sample: $T/short.csv:2: ragged row: 2 fields, the first record has 3: no column 3" ]
}

@test "bad input: a weight that is not a number names its column, or its value" {
	printf 'id,w\n1,2\n2,heavy\n' >"$T/w.csv"
	run "$S" sample -w w -n 1 "$T/w.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift sample: $T/w.csv:3: column 'w' (2): weight 'heavy' is not a number" ]
	run "$S" sample --no-header -w 2 -n 1 "$T/w.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift sample: $T/w.csv:1: column 2: weight 'w' is not a number" ]
	run "$S" sample -w 'prefix(w, 3)' -n 1 "$T/w.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift sample: $T/w.csv:3: value 'prefix(w, 3)': weight 'hea' is not a number" ]
}

@test "bad input: a ragged row among skipped records" {
	run "$S" sample -p 0 "$D/ragged.csv"
	[ "$status" -eq 1 ]
	[[ "$output" == *"ragged.csv:3: ragged row"* ]]
}

@test "bad input: a missing column lists the available ones" {
	run "$S" sample --key nope -p 0.5 "$D/small.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift sample: $D/small.csv: no column 'nope'; the columns are: id, user, month, label, w, text" ]
}

@test "bad input: an ambiguous column" {
	run "$S" sample --key user -p 0.5 "$D/ambiguous.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift sample: $D/ambiguous.csv: column 'user' is ambiguous: columns 2 and 3 are both named so (use a number)" ]
}

@test "bad input: weights that are negative, NaN, infinite or text" {
	run "$S" sample -w w -n 1 "$D/negative-weight.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift sample: $D/negative-weight.csv:3: column 'w' (2): weight '-3' is negative" ]
	run "$S" sample -w w -n 1 "$D/nan-weight.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift sample: $D/nan-weight.csv:3: column 'w' (2): weight 'nan' is not finite" ]
	run "$S" sample -w w -n 1 "$D/inf-weight.csv"
	[ "$status" -eq 1 ]
	[[ "$output" == *": column 'w' (2): weight 'inf' is not finite" ]]
	run "$S" sample -m importance -w w -n 1 "$D/text-weight.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift sample: $D/text-weight.csv:3: column 'w' (2): proposal 'heavy' is not a number" ]
}

@test "bad input: a truncated gzip stream" {
	awk 'BEGIN { srand(1); print "id,x"; for (i = 0; i < 50000; i++)
		print i "," int(rand() * 1e9) }' | gzip -c >"$T/full.gz"
	head -c 40000 "$T/full.gz" >"$T/cut.gz"
	run "$S" sample -n 5 "$T/cut.gz"
	[ "$status" -eq 1 ]
	[ "$output" = "sift sample: $T/cut.gz: read error: truncated gzip stream (unexpected end of file)" ]
}

@test "bad input: a file that does not exist" {
	run "$S" sample -n 5 "$T/nope.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift sample: $T/nope.csv: No such file or directory" ]
}

# ---- bad options: status 2 and the usage line ---------------------------

usage_line='usage: sift sample [-m METHOD] [-n N | -p P | -k K] [--by COL] [-w COL]'

@test "bad options: P outside [0,1]" {
	run "$S" sample -p 1.5 "$D/small.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift sample: -p: P must be in [0, 1]" ]
	[ "${lines[1]}" = "$usage_line" ]
	run "$S" sample -p -0.1 "$D/small.csv"
	[ "$status" -eq 2 ]
}

@test "bad options: N negative or not a number" {
	run "$S" sample -n -3 "$D/small.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift sample: -n: '-3' is not a whole number >= 0" ]
	[ "${lines[1]}" = "$usage_line" ]
	run "$S" sample -n ten "$D/small.csv"
	[ "$status" -eq 2 ]
	run "$S" sample -n 99999999999999999999999 "$D/small.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift sample: -n: 99999999999999999999999 is too large (at most 18446744073709551615)" ]
}

@test "bad options: an unknown method" {
	run "$S" sample -m magic -n 3 "$D/small.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift sample: -m: no method 'magic' (first, reservoir, bernoulli, systematic, hash, stratified, quota, weighted, importance, snowball, judgment, uncertainty)" ]
	[ "${lines[1]}" = "$usage_line" ]
}

@test "bad options: an option that does not apply, a missing one" {
	run "$S" sample -m bernoulli -n 3 "$D/small.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift sample: -n does not apply to -m bernoulli" ]
	run "$S" sample -m weighted -n 3 "$D/small.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift sample: -m weighted needs --weight COL" ]
	run "$S" sample "$D/small.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift sample: say how much to keep: -n N, -p P or -k K" ]
	run "$S" sample -m first -n 3 --emit-weight w "$D/small.csv"
	[ "$status" -eq 2 ]
	[[ "${lines[0]}" == *"-m first is not a probability sample"* ]]
	run "$S" sample -k 0 "$D/small.csv"
	[ "$status" -eq 2 ]
	run "$S" sample -n 1 a.csv b.csv
	[ "$status" -eq 2 ]
	run "$S" sample --bogus
	[ "$status" -eq 2 ]
}

@test "--help prints the options on stdout, status 0" {
	run --separate-stderr "$S" sample --help
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$usage_line" ]
	[[ "$output" == *"--emit-weight NAME"* ]]
	[ -z "$stderr" ]
}

@test "bad options: unknown options and missing values name themselves" {
	run "$S" sample -x "$D/small.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift sample: unknown option -x" ]
	[ "${lines[1]}" = "$usage_line" ]
	run "$S" sample --frobnicate "$D/small.csv"
	[ "${lines[0]}" = "sift sample: unknown option --frobnicate" ]
	run "$S" sample -n
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift sample: -n needs a value" ]
	run "$S" sample -n 3 --by
	[ "${lines[0]}" = "sift sample: --by needs a value" ]
}

@test "bad options: the option that does not apply is named before its value" {
	run "$S" sample -m systematic -k 3 -p 2 "$D/small.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift sample: -p does not apply to -m systematic" ]
	run "$S" sample --by label --per-stratum 2 --allocation proportional "$D/small.csv"
	[ "$status" -eq 2 ]
}

@test "-n 0 keeps nothing but still checks the whole input" {
	run "$S" sample -n 0 "$D/ragged.csv"
	[ "$status" -eq 1 ]
	run --separate-stderr "$S" sample -n 0 -v "$D/small.csv"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"kept 0 of 8 records"* ]]
}

@test "importance says when records can never be drawn" {
	run --separate-stderr "$S" sample -m importance -w w -n 2 --seed 1 "$D/small.csv"
	[ "$status" -eq 0 ]
	[ "$stderr" = "sift sample: 1 records have proposal 0 and can never be drawn: weighted sums over the sample leave them out" ]
}

@test "stratified says when a stratum gets no record" {
	awk 'BEGIN { print "id,s"; print "1,a"; print "2,a";
		for (i = 0; i < 50; i++) print i ",b"; for (i = 0; i < 50; i++) print i ",c" }' >"$T/in.csv"
	run --separate-stderr "$S" sample --by s -n 11 --seed 1 "$T/in.csv"
	[ "$status" -eq 0 ]
	[ "$stderr" = "sift sample: stratum 'a' (2 records) gets no record of -n 11, so its records cannot be drawn (--min-per-stratum 1 gives each stratum at least one)" ]
	run --separate-stderr "$S" sample --by s -n 11 --min-per-stratum 1 --seed 1 "$T/in.csv"
	[ -z "$stderr" ]
	[ "$(printf '%s\n' "$output" | grep -c ',a$')" -eq 1 ]
}

@test "stratified names at most five strata that get no record, then counts the rest" {
	awk 'BEGIN { print "id,s"; for (i = 1; i <= 8; i++) { print i ",x" i; print i ",x" i }
		for (i = 0; i < 100; i++) print i ",big" }' >"$T/in.csv"
	run --separate-stderr "$S" sample --by s -n 10 --seed 1 "$T/in.csv"
	[ "$status" -eq 0 ]
	[ "${#stderr_lines[@]}" -eq 6 ]
	[ "${stderr_lines[0]}" = "sift sample: stratum 'x2' (2 records) gets no record of -n 10, so its records cannot be drawn" ]
	[ "${stderr_lines[4]}" = "sift sample: stratum 'x6' (2 records) gets no record of -n 10, so its records cannot be drawn" ]
	[ "${stderr_lines[5]}" = "sift sample: and 2 more strata get no record, 7 of 9 in all (-v lists every stratum; --min-per-stratum 1 gives each at least one)" ]
}

@test "--by with a single value over the input: stratified and quota say it slices nothing" {
	numbered 20 | awk -F, 'BEGIN { OFS = "," } { $2 = NR == 1 ? "class" : "same"; print }' >"$T/one.csv"
	run --separate-stderr "$S" sample --by class -n 5 --seed 1 "$T/one.csv"
	[ "$status" -eq 0 ]
	[ "$stderr" = "sift sample: --by class: all 20 records have the value 'same': a single stratum, so the sample is a simple random sample" ]
	[ "${#lines[@]}" -eq 6 ]
	run --separate-stderr "$S" sample -m quota --by class,w --per-stratum 2 "$T/one.csv"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	awk -F, 'BEGIN { OFS = "," } NR > 1 { $3 = 1 } { print }' "$T/one.csv" >"$T/one1.csv"
	run --separate-stderr "$S" sample -m quota --by class,w --per-stratum 2 "$T/one1.csv"
	[ "$status" -eq 0 ]
	[ "$stderr" = "sift sample: --by class,w: all 20 records have the value 'same,1': a single stratum, so the sample is the first records of the input" ]
	# a shard of --partial may hold one stratum: it says nothing
	run --separate-stderr "$S" sample --by class -n 5 --partial --seed 1 "$T/one.csv"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
}

@test "weighted and importance say when the weight column is 0 throughout" {
	numbered 6 | awk -F, 'BEGIN { OFS = "," } NR > 1 { $3 = 0 } { print }' >"$T/zero.csv"
	run --separate-stderr "$S" sample -w w -n 2 --seed 1 "$T/zero.csv"
	[ "$status" -eq 0 ]
	[ "$stderr" = "sift sample: column 'w': the weights of the 6 records are all 0: no record can be drawn, the sample is empty" ]
	[ "$output" = "id,class,w" ]
	run --separate-stderr "$S" sample -w w -n 2 --replace --seed 1 "$T/zero.csv"
	[ "$status" -eq 0 ]
	[ "$stderr" = "sift sample: column 'w': the weights of the 6 records are all 0: no record can be drawn, the sample is empty" ]
	for size in "-n 2" "-p 0.5"; do
		run --separate-stderr "$S" sample -m importance -w w $size --seed 1 "$T/zero.csv"
		[ "$status" -eq 0 ] || false
		[ "$stderr" = "sift sample: column 'w': the proposals of the 6 records are all 0: no record can be drawn, the sample is empty" ] || false
	done
}

@test "importance: a target column that is 0 throughout is an error (its weights would be 0/0)" {
	numbered 6 | awk -F, 'BEGIN { OFS = "," } { print $0, NR == 1 ? "t" : 0 }' >"$T/t0.csv"
	run --separate-stderr "$S" sample -m importance -w id --target t -n 2 --seed 1 "$T/t0.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift sample: $T/t0.csv: column 't' (--target): the targets of the 6 records are all 0: the importance weights P / mean P are undefined" ]
	[ -z "$output" ]
}

@test "stdin is spooled under TMPDIR and the spool is gone afterwards" {
	mkdir "$T/tmp"
	numbered 100 | TMPDIR="$T/tmp" "$S" sample --by class -n 10 --seed 1 >/dev/null
	[ -z "$(ls -A "$T/tmp")" ]
}

@test "bad input: a character after a closing quote, and a bare CR after one" {
	printf 'a,b\n1,"x"y\n' >"$T/q.csv"
	run "$S" sample -p 1 "$T/q.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift sample: $T/q.csv:2:6: unexpected character after a closing quote" ]
	printf 'a,b\n1,"x"\rz\n' >"$T/q.csv"
	run "$S" sample -p 1 "$T/q.csv"
	[ "$status" -eq 1 ]
	printf 'a,b\n1,ab"c\n' >"$T/q.csv"
	run "$S" sample -p 1 "$T/q.csv"
	[ "$output" = "sift sample: $T/q.csv:2:5: quote inside an unquoted field (a field with quotes must be quoted whole, quotes doubled)" ]
}

@test "bad input: lone-CR line ends are refused, not read as one line" {
	printf 'id,text,label\r1,a,1\r2,b,0\r' >"$T/mac.csv"
	run --separate-stderr "$S" sample -n 5 "$T/mac.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "sift sample: $T/mac.csv:1:14: a carriage return without a line feed after it (lone-CR line ends, as old Mac programs write, read after tr '\\r' '\\n'; in a field, a CR must be quoted)" ]
	# label writes no mangled header either
	printf 'any: text ~ /a/ -> yes\n' >"$T/r.rules"
	run --separate-stderr "$S" label -r "$T/r.rules" "$T/mac.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	# after tr, the file reads
	tr '\r' '\n' <"$T/mac.csv" >"$T/unix.csv"
	run --separate-stderr "$S" sample -n 5 "$T/unix.csv"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	# a bare CR in an unquoted field, in a record passed over
	printf 'a,b\n1,x\n2,y\rz\n3,w\n' >"$T/cr.csv"
	run --separate-stderr "$S" sample -m systematic -k 3 --seed 0 "$T/cr.csv"
	[ "$status" -eq 1 ]
	[[ "$stderr" == "sift sample: $T/cr.csv:3:4: a carriage return without a line feed"* ]]
}

@test "bad input: bytes after the gzip data are an error, from a file or a pipe" {
	printf 'id,text\n1,a\n2,b\n' | gzip >"$T/g.csv.gz"
	cat "$T/g.csv.gz" "$T/g.csv.gz" >"$T/two.csv.gz"
	cp "$T/g.csv.gz" "$T/bad.csv.gz"
	printf 'not gzip' >>"$T/bad.csv.gz"
	n=$(wc -c <"$T/g.csv.gz")
	run --separate-stderr "$S" sample -p 1 "$T/bad.csv.gz"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift sample: $T/bad.csv.gz: read error: bytes that are not gzip after the end of the gzip data, from byte $n (gzip -t refuses them too)" ]
	run --separate-stderr sh -c "cat '$T/bad.csv.gz' | '$S' sample -p 1"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"stdin: read error: bytes that are not gzip after the end of the gzip data"* ]]
	# two members are one input; zeros after the last are padding
	run --separate-stderr "$S" sample -p 1 "$T/two.csv.gz"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 6 ]
	head -c 512 /dev/zero >>"$T/g.csv.gz"
	run --separate-stderr "$S" sample -p 1 "$T/g.csv.gz"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
}

@test "a byte-order mark is no part of the first column's name, and is kept" {
	printf '\xef\xbb\xbfid,label\r\n1,a\r\n2,b\r\n' >"$T/bom.csv"
	run --separate-stderr "$S" sample -m stratified --by id --per-stratum 1 --seed 1 "$T/bom.csv"
	[ "$status" -eq 0 ]
	[ "$(head -c 3 <<<"$output" | od -An -tx1 | tr -d ' ')" = "efbbbf" ]
	[ "${#lines[@]}" -eq 3 ]
	run --separate-stderr "$S" metrics --gold id --pred id "$T/bom.csv"
	[ "$status" -eq 0 ]
}

@test "a wrong column name suggests the nearest, after listing them" {
	run --separate-stderr "$S" sample --by Label -n 2 "$D/small.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift sample: $D/small.csv: no column 'Label' (did you mean 'label'?); the columns are: id, user, month, label, w, text" ]
	run --separate-stderr "$S" sample --by mnth -n 2 "$D/small.csv"
	[ "$stderr" = "sift sample: $D/small.csv: no column 'mnth' (did you mean 'month'?); the columns are: id, user, month, label, w, text" ]
	# in a list of columns too
	run --separate-stderr "$S" sample --by user,lable -n 2 "$D/small.csv"
	[ "$stderr" = "sift sample: $D/small.csv: no column 'lable' (did you mean 'label'?); the columns are: id, user, month, label, w, text" ]
}

@test "a header of one column that holds tabs or ';' suggests the delimiter" {
	printf 'id\ttext\tlabel\n1\ta\tb\n' >"$T/t.tsv"
	run --separate-stderr "$S" sample --by label -n 1 "$T/t.tsv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift sample: $T/t.tsv: no column 'label': the header is one column, 'id\ttext\tlabel', that holds tabs: is that the delimiter? (try --tsv)" ]
	run --separate-stderr "$S" sample --tsv --by label -n 1 "$T/t.tsv"
	[ "$status" -eq 0 ]
	printf 'id;text;label\n1;a;b\n' >"$T/s.csv"
	run --separate-stderr "$S" sample --by label -n 1 "$T/s.csv"
	[ "$stderr" = "sift sample: $T/s.csv: no column 'label': the header is one column, 'id;text;label', that holds ';': is that the delimiter? (try -d ';')" ]
	run --separate-stderr "$S" sample --tsv --by label -n 1 "$D/small.csv"
	[ "$stderr" = "sift sample: $D/small.csv: no column 'label': the header is one column, 'id,user,month,label,w,text', that holds commas: is that the delimiter? (commas are the default: drop --tsv or -d)" ]
}
