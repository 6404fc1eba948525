#!/usr/bin/env bats
# Command tests of sift's limits (sift(1), LIMITS): each at its value,
# where it works, and one past it, where the message names the limit
# and its value (status 1 for data, 2 for usage). The record length
# (256 MiB) is tested with a small cap in tests/unit/test_reader.c.

bats_require_minimum_version 1.5.0

setup() {
	S="$SIFT"
	T="$BATS_TEST_TMPDIR"
	printf 'id,user,mentions,text\n1,u1,@u2,a hoax\n2,u2,@u3,b\n3,u3,@u4,c\n4,u4,,d\n' >"$T/t.csv"
}

# labels N: a rules file declaring N labels.
labels() {
	awk -v n="$1" 'BEGIN { printf "version: 1\nlabels: "
		for (i = 1; i <= n; i++) printf "%sl%d = \"%d\"", (i > 1 ? ", " : ""), i, i
		print ""; print "r: text ~ /a/ -> l1" }'
}

# nested N: a condition inside N pairs of parentheses, or (not) N nots.
nested() {
	awk -v n="$1" -v w="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", w == "not" ? "not " : "("
		printf "text ~ /a/"; if (w != "not") for (i = 0; i < n; i++) printf ")" }'
}

@test "labels: 254 in a rules file, not 255" {
	labels 254 >"$T/at.rules"
	run "$S" label -r "$T/at.rules" "$T/t.csv"
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "1,u1,@u2,a hoax,1" ]
	labels 255 >"$T/past.rules"
	run "$S" label -r "$T/past.rules" "$T/t.csv"
	[ "$status" -eq 2 ]
	[[ "${lines[0]}" == "sift label: $T/past.rules:2:"*": more than 254 labels" ]]
}

@test "nesting: 256 levels of a condition, in a rules file and in --where" {
	for w in paren not; do
		printf 'version: 1\nlabels: a = "1"\nr: %s -> a\n' "$(nested 256 $w)" >"$T/at.rules"
		run "$S" label -r "$T/at.rules" "$T/t.csv"
		[ "$status" -eq 0 ] || false
		printf 'version: 1\nlabels: a = "1"\nr: %s -> a\n' "$(nested 257 $w)" >"$T/past.rules"
		run "$S" label -r "$T/past.rules" "$T/t.csv"
		[ "$status" -eq 2 ] || false
		[[ "${lines[0]}" == "sift label: $T/past.rules:3:"*": nested more than 256 levels deep" ]] || false
	done
	run "$S" sample -m judgment --where "$(nested 256 not)" -n 1 "$T/t.csv"
	[ "$status" -eq 0 ]
	run "$S" sample -m judgment --where "$(nested 257 not)" -n 1 "$T/t.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift sample: --where:1:1025: nested more than 256 levels deep" ]
}

@test "function arguments: coalesce() takes 32, not 33" {
	args() { awk -v n="$1" 'BEGIN { for (i = 1; i < n; i++) printf "user, "; printf "text" }'; }
	run "$S" sample -m quota --by "coalesce($(args 32))" --per-stratum 1 "$T/t.csv"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 5 ]
	run "$S" sample -m quota --by "coalesce($(args 33))" --per-stratum 1 "$T/t.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift sample: --by:1:202: coalesce() takes at most 32 arguments" ]
}

@test "phrase file: 64 MiB, not a byte more" {
	{ echo hoax; head -c $((64 * 1024 * 1024 - 5)) /dev/zero | tr '\0' '\n'; } >"$T/at.txt"
	[ "$(wc -c <"$T/at.txt")" -eq 67108864 ]
	printf 'version: 1\nlabels: a = "1"\nr: text ~ @at.txt -> a\n' >"$T/at.rules"
	run "$S" label -r "$T/at.rules" "$T/t.csv"
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "1,u1,@u2,a hoax,1" ]
	echo >>"$T/at.txt"
	run "$S" label -r "$T/at.rules" "$T/t.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift label: $T/at.rules:3:11: $T/at.txt: larger than 64 MiB: not a phrase file" ]
}

@test "rules file: 64 MiB, not a byte more" {
	printf 'version: 1\nlabels: a = "1"\nr: text ~ /hoax/ -> a\n' >"$T/head"
	{ cat "$T/head"; head -c $((64 * 1024 * 1024 - $(wc -c <"$T/head"))) /dev/zero | tr '\0' '\n'; } >"$T/at.rules"
	[ "$(wc -c <"$T/at.rules")" -eq 67108864 ]
	run "$S" label -r "$T/at.rules" "$T/t.csv"
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "1,u1,@u2,a hoax,1" ]
	echo >>"$T/at.rules"
	run "$S" label -r "$T/at.rules" "$T/t.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift label: $T/at.rules: larger than 64 MiB: not a rules file" ]
}

@test "snowball: --max-users N reached, not N + 1" {
	# u1 (the seed) mentions u2: two users in wave 1
	run "$S" sample -m snowball --seeds u1 --user user --links mentions --waves 1 --max-users 2 "$T/t.csv"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	run "$S" sample -m snowball --seeds u1 --user user --links mentions --waves 2 --max-users 2 "$T/t.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift sample: $T/t.csv: wave 2 of the snowball reaches more than 2 users (--max-users): follow fewer --waves, or raise the limit" ]
}

@test "split: 16 parts, not 17" {
	run "$S" split -r "$(printf '1,%.0s' $(seq 15))1" --prefix "$T/p" "$T/t.csv"
	[ "$status" -eq 0 ]
	[ -f "$T/p-16.csv" ]
	run "$S" split -r "$(printf '1,%.0s' $(seq 16))1" --prefix "$T/q" "$T/t.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift split: --ratios: at most 16 parts" ]
}

@test "classes: 1024 in metrics and train, not 1025" {
	for n in 1024 1025; do
		awk -v n="$n" 'BEGIN { print "gold,pred,text"; for (i = 0; i < n; i++) { print "c" i ",c" i ",w" i " x"; print "c" i ",c" i ",w" i " y" } }' >"$T/c$n.csv"
	done
	run "$S" metrics --gold gold --pred pred "$T/c1024.csv"
	[ "$status" -eq 0 ]
	run "$S" metrics --gold gold --pred pred "$T/c1025.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift metrics: $T/c1025.csv: more than 1024 classes" ]
	run "$S" train -l gold -t text --bits 8 --epochs 1 -q -o "$T/m" "$T/c1024.csv"
	[ "$status" -eq 0 ]
	run "$S" train -l gold -t text --bits 8 --epochs 1 -q -o "$T/m2" "$T/c1025.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift train: more than 1024 classes" ]
	[ ! -e "$T/m2" ]
}

@test "model size: --bits 28, --ngrams 8, --char-ngrams to 16, --hidden 4096" {
	printf 'text,label\n' >"$T/tr.csv"
	for i in 1 2 3 4 5 6 7 8 9 10; do printf 'good w%s,a\nbad v%s,b\n' "$i" "$i" >>"$T/tr.csv"; done
	run "$S" train -l label -t text --ngrams 8 -q -o "$T/m" "$T/tr.csv"
	[ "$status" -eq 0 ]
	run "$S" train -l label -t text --char-ngrams 1,16 -q -o "$T/m" "$T/tr.csv"
	[ "$status" -eq 0 ]
	run "$S" train -l label -t text --bits 4 --hidden 4096 --epochs 1 -q -o "$T/m" "$T/tr.csv"
	[ "$status" -eq 0 ]
	run --separate-stderr "$S" train -l label -t text --ngrams 9 -o "$T/m" "$T/tr.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift train: --ngrams: 9 is not in 1..8" ]
	run --separate-stderr "$S" train -l label -t text --char-ngrams 1,17 -o "$T/m" "$T/tr.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift train: --char-ngrams: '1,17' is not MIN,MAX with 1 <= MIN <= MAX <= 16" ]
	run --separate-stderr "$S" train -l label -t text --bits 29 -o "$T/m" "$T/tr.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift train: --bits: 29 is not in 1..28" ]
	run --separate-stderr "$S" train -l label -t text --hidden 4097 -o "$T/m" "$T/tr.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift train: --hidden: 4097 is not in 0..4096" ]
}

@test "text columns: 255 in train, not 256 (a model file holds no more)" {
	awk 'BEGIN {
		printf "label"; for (i = 0; i < 256; i++) printf ",t%d", i; print ""
		for (r = 0; r < 20; r++) {
			printf "%d", r % 2; for (i = 0; i < 256; i++) printf ",w%d x%d", r % 2, i; print ""
		}
	}' >"$T/wide.csv"
	args=()
	for i in $(seq 0 254); do args+=(-t "t$i"); done
	run "$S" train -l label "${args[@]}" --bits 8 --epochs 1 --holdout 0 -q -o "$T/m" "$T/wide.csv"
	[ "$status" -eq 0 ]
	run "$S" predict -m "$T/m" --no-proba "$T/wide.csv"
	[ "$status" -eq 0 ]
	run --separate-stderr "$S" train -l label "${args[@]}" -t t255 --bits 8 -o "$T/m2" "$T/wide.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift train: --text: more than 255 text columns" ]
	[ ! -e "$T/m2" ]
}

@test "a partial's stratum spec: 2048 bytes, not 2049" {
	by() { printf 'lower(user%*s)' $(($1 - 11)) ''; }
	[ "$(by 2048 | wc -c)" -eq 2048 ]
	run "$S" sample -n 2 --by "$(by 2048)" --partial "$T/t.csv"
	[ "$status" -eq 0 ]
	run --separate-stderr "$S" sample -n 2 --by "$(by 2049)" --partial "$T/t.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift sample: --by: longer than 2048 bytes, too long for --partial" ]
}
