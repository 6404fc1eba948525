#!/usr/bin/env bats
# Command tests of `sift label`: every documented option, every bad
# input of issue 4, with the exact message and exit status.

bats_require_minimum_version 1.5.0

setup() {
	S="$SIFT"
	L="$DATA/label"
	T="$BATS_TEST_TMPDIR"
}

@test "majority by default: records byte-exact (CRLF, quotes) plus the label" {
	run "$S" label -r "$L/small.rules" "$L/small.csv"
	[ "$status" -eq 0 ]
	printf 'id,text,verified,followers,label\r\n1,"a hoax, really",false,10,yes\r\n2,plain day,true,200000,no\r\n3,"the ""miracle cure"" is here",false,5,yes\r\n4,hoax via miracle cure,true,100,yes\r\n5,nothing,false,7,\r\n' >"$T/want"
	"$S" label -r "$L/small.rules" "$L/small.csv" >"$T/got"
	cmp "$T/want" "$T/got"
}

@test "every record passes through byte-exact on the generated corpus" {
	gen="$BATS_TEST_DIRNAME/../../examples/tweets/gen-tweets"
	[ -x "$gen" ] || skip "gen-tweets is not built"
	"$gen" -n 3000 -s 5 >"$T/t.csv"
	"$S" label -r "$BATS_TEST_DIRNAME/../../examples/tweets/misinfo.rules" \
		--votes "$T/t.csv" >"$T/out.csv"
	# strip the 12 appended fields (label + 11 votes; none is quoted)
	sed -E 's/(,[^,"]*){12}(\r?)$/\2/' "$T/out.csv" >"$T/back.csv"
	cmp "$T/t.csv" "$T/back.csv"
}

@test "--out-col, --confidence and --votes" {
	run "$S" label -r "$L/small.rules" --out-col y --confidence --votes "$L/small.csv"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "${lines[0]}" | tr -d '\r')" = "id,text,verified,followers,y,confidence,vote_hoax,vote_cure,vote_words,vote_big" ]
	[ "$(printf '%s' "${lines[4]}" | tr -d '\r')" = "4,hoax via miracle cure,true,100,yes,0.6666666666666666,yes,,yes,no" ]
	[ "$(printf '%s' "${lines[5]}" | tr -d '\r')" = "5,nothing,false,7,,,,,," ]
}

@test "--combine weighted uses the rule weights" {
	run "$S" label -r "$L/small.rules" -c weighted --confidence "$L/small.csv"
	[ "$status" -eq 0 ]
	# record 4: hoax 1 + words 3 = 4 for yes, big 5 for no
	[ "$(printf '%s' "${lines[4]}" | tr -d '\r')" = "4,hoax via miracle cure,true,100,no,0.5555555555555556" ]
}

@test "--combine first is a decision list" {
	printf 'id,text\n1,b a\n2,a\n3,c\n' >"$T/d.csv"
	printf 'rb: text ~ /b/ -> B\nra: text ~ /a/ -> A\n' >"$T/d.rules"
	run "$S" label -r "$T/d.rules" -c first "$T/d.csv"
	[ "$output" = "$(printf 'id,text,label\n1,b a,B\n2,a,A\n3,c,')" ]
	# majority: record 1 is a tie, which abstains; --tie first breaks it
	run "$S" label -r "$T/d.rules" "$T/d.csv"
	[ "${lines[1]}" = "1,b a," ]
	run "$S" label -r "$T/d.rules" --tie first "$T/d.csv"
	[ "${lines[1]}" = "1,b a,B" ]
}

@test "--combine model reads stdin twice (spooled) and gives posteriors" {
	run --separate-stderr "$S" label -r "$L/small.rules" -c model --confidence -v <"$L/small.csv"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 6 ]
	[ "$(printf '%s' "${lines[3]}" | cut -d, -f5)" = "yes" ]
	[ "$(printf '%s' "${lines[5]}" | tr -d '\r')" = "5,nothing,false,7,," ]
	[[ "$stderr" == *"5 distinct vote patterns"* ]]
	[[ "$stderr" == *"label model:"*"EM iterations"* ]]
}

@test "--keep labeled drops abstained records and says how many" {
	run --separate-stderr "$S" label -r "$L/small.rules" --keep labeled "$L/small.csv"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 5 ]
	[ "$stderr" = "sift label: kept 4 of 5 records (1 abstained)" ]
}

@test "--long writes item,annotator,label; --id names the item column" {
	run "$S" label -r "$L/small.rules" --long "$L/small.csv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'item,annotator,label\n1,hoax,yes\n2,big,no\n3,cure,yes\n3,words,yes\n4,hoax,yes\n4,words,yes\n4,big,no')" ]
	run "$S" label -r "$L/small.rules" --long --id text "$L/small.csv"
	[ "${lines[1]}" = '"a hoax, really",hoax,yes' ]
	[ "${lines[3]}" = '"the ""miracle cure"" is here",cure,yes' ]
}

@test "sift label --long | sift audit: the rules are the annotators, no options needed" {
	gen="$BATS_TEST_DIRNAME/../../examples/tweets/gen-tweets"
	[ -x "$gen" ] || skip "gen-tweets is not built"
	"$gen" -n 2000 -s 3 >"$T/t.csv"
	rules="$BATS_TEST_DIRNAME/../../examples/tweets/misinfo.rules"
	"$S" label -r "$rules" --long "$T/t.csv" 2>/dev/null >"$T/long.csv"
	run --separate-stderr bash -c "set -o pipefail; '$S' label -r '$rules' --long '$T/t.csv' 2>/dev/null | '$S' audit --min-overlap 1 --format csv"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	# the audit's annotators are the rules that voted, in order of appearance
	want=$(tail -n +2 "$T/long.csv" | cut -d, -f2 | awk '!seen[$0]++' | sort | tr '\n' ' ')
	got=$(printf '%s\n' "$output" | awk -F, '$1 == "annotator" { on = 1; next } on && NF > 5 { print $1 } on && NF <= 5 { on = 0 }' | sort | tr '\n' ' ')
	[ -n "$want" ]
	[ "$got" = "$want" ]
}

@test "a rule that fires on no record is named with its line (a warning, status 0)" {
	printf 'labels: yes, no\nhoax: text ~ /hoax/ -> yes\nnever: text ~ /zebra/ -> yes\nbig: followers >= 100000 -> no\n' >"$T/r.rules"
	run --separate-stderr "$S" label -r "$T/r.rules" "$L/small.csv"
	[ "$status" -eq 0 ]
	[ "$stderr" = "sift label: rule 'never' ($T/r.rules:3) fired on none of the 5 records" ]
	[ "${#lines[@]}" -eq 6 ]
	# in every mode, and once however often the input is read
	for mode in --long --analyze "-c model"; do
		run --separate-stderr "$S" label -r "$T/r.rules" $mode "$L/small.csv"
		[ "$status" -eq 0 ] || false
		[ "$stderr" = "sift label: rule 'never' ($T/r.rules:3) fired on none of the 5 records" ] || false
	done
	# an input without records says nothing
	printf 'id,text,verified,followers\n' >"$T/empty.csv"
	run --separate-stderr "$S" label -r "$T/r.rules" "$T/empty.csv"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
}

@test "rules that fire on none: ten are named, the rest counted" {
	{ echo 'labels: yes'; echo 'hit: text ~ /a/ -> yes'
	  for i in $(seq 1 14); do echo "r$i: text ~ /zz$i/ -> yes"; done; } >"$T/many.rules"
	run --separate-stderr "$S" label -r "$T/many.rules" "$L/small.csv"
	[ "$status" -eq 0 ]
	[ "${#stderr_lines[@]}" -eq 11 ]
	[ "${stderr_lines[0]}" = "sift label: rule 'r1' ($T/many.rules:3) fired on none of the 5 records" ]
	[ "${stderr_lines[9]}" = "sift label: rule 'r10' ($T/many.rules:12) fired on none of the 5 records" ]
	[ "${stderr_lines[10]}" = "sift label: and 4 more rules fired on none of the 5 records, 14 of 15 in all (--analyze gives every rule's coverage)" ]
}

@test "--analyze --gold: coverage, overlaps, conflicts, accuracy, confusion" {
	printf 'id,text,gold\n1,a b,A\n2,a,B\n3,b,B\n4,c,\n5,a b c,A\n' >"$T/g.csv"
	printf 'labels: A, B\nra: text ~ /a/ -> A\nrb: text ~ /b/ -> B\nrc: text ~ /c/ -> A\n' >"$T/g.rules"
	run "$S" label -r "$T/g.rules" --analyze --gold gold "$T/g.csv"
	[ "$status" -eq 0 ]
	printf '%s\n' \
		"rule,line,labels,coverage,overlaps,conflicts,correct,incorrect,accuracy,confusion" \
		"ra,2,A,0.6000,0.4000,0.4000,2,1,0.6667,A>A:2 B>A:1" \
		"rb,3,B,0.6000,0.4000,0.4000,1,2,0.3333,A>B:2 B>B:1" \
		"rc,4,A,0.4000,0.2000,0.2000,1,0,1.0000,A>A:1" \
		"(all rules),,A B,1.0000,0.4000,0.4000,,,," \
		"(majority),,A B,0.8000,,,2,1,0.6667,A>A:1 B>A:1 B>B:1" >"$T/want"
	"$S" label -r "$T/g.rules" --analyze --gold gold "$T/g.csv" >"$T/got"
	diff "$T/want" "$T/got"
}

@test "--analyze without --gold leaves the accuracy empty" {
	run "$S" label -r "$L/small.rules" --analyze "$L/small.csv"
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "hoax,3,yes,0.4000,0.2000,0.2000,,,," ]
	[ "${lines[6]}" = "(majority),,yes no,0.8000,,,,,," ]
}

@test "a pathological regex ends at the match limit, abstains and warns" {
	awk 'BEGIN { printf "id,text\n1,"; for (i = 0; i < 200000; i++) printf "a"; print "b"; print "2,xa" }' >"$T/slow.csv"
	run --separate-stderr timeout 20 "$S" label -r "$L/slow.rules" "$T/slow.csv"
	[ "$status" -eq 0 ]
	[ "${lines[2]}" = "2,xa,bad" ]
	[ "$stderr" = "sift label: $L/slow.rules:1: rule 'slow' hit the PCRE2 match limit on 1 records and abstained on them" ]
	run --separate-stderr timeout 20 "$S" label --strict -r "$L/slow.rules" "$T/slow.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift label: $T/slow.csv:2: rule 'slow' ($L/slow.rules:1) hit the PCRE2 match limit (--strict)" ]
}

@test "invalid UTF-8 in the data is matched, never an error" {
	printf 'id,text\n1,\377\376 hoax \303\n2,\200\n3,ok\n' >"$T/bin.csv"
	printf 'h: text ~ /hoax|^.$/i -> x\n' >"$T/u.rules"
	run "$S" label -r "$T/u.rules" "$T/bin.csv"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | cut -d, -f3 | tr '\n' ' ')" = "label x   " ]
}

@test "--no-header: columns by number; --tsv; -o writes a file" {
	printf '1\thoax\n2\tfine\n' >"$T/t.tsv"
	printf 'h: 2 ~ /hoax/ -> x\n' >"$T/n.rules"
	run "$S" label -r "$T/n.rules" --tsv --no-header "$T/t.tsv"
	[ "$output" = "$(printf '1\thoax\tx\n2\tfine\t')" ]
	"$S" label -r "$L/small.rules" -o "$T/out.csv" "$L/small.csv"
	[ "$(wc -l <"$T/out.csv")" -eq 6 ]
}

@test "a syntax error names file:line:column with a caret; nothing is labeled" {
	run --separate-stderr "$S" label -r "$L/syntax.rules" "$L/small.csv"
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[ "$stderr" = "sift label: $L/syntax.rules:3:31: expected 'and', 'or' or '-> LABEL', found 'bad'
    cure:  text ~ /miracle cure/i bad
                                  ^" ]
}

@test "an invalid regex shows PCRE2's message and offset" {
	run --separate-stderr "$S" label -r "$L/badregex.rules" "$L/small.csv"
	[ "$status" -eq 2 ]
	[ "$stderr" = "sift label: $L/badregex.rules:1:21: invalid regex: missing closing parenthesis (at offset 5)
    hoax:  text ~ /(hoax/i -> bad
                        ^" ]
}

@test "a column the data lacks is named with the available ones" {
	run --separate-stderr "$S" label -r "$L/nocol.rules" "$L/small.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift label: $L/nocol.rules:1:8: no column 'body' in the data (columns: id, text, verified, followers)
    hoax:  body ~ /hoax/i -> bad
           ^" ]
}

@test "an undeclared label, a missing phrase file, a missing rules file" {
	printf 'labels: a\nr: text ~ /x/ -> b\n' >"$T/u.rules"
	run --separate-stderr "$S" label -r "$T/u.rules" "$L/small.csv"
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "sift label: $T/u.rules:2:18: label 'b' is not declared (labels: a)" ]
	printf 'r: text ~ @nope.txt -> b\n' >"$T/p.rules"
	run --separate-stderr "$S" label -r "$T/p.rules" "$L/small.csv"
	[ "$status" -eq 2 ]
	[[ "${stderr%%$'\n'*}" == "sift label: $T/p.rules:1:11: $T/nope.txt: cannot open: "* ]]
	run --separate-stderr "$S" label -r "$T/none.rules" "$L/small.csv"
	[ "$status" -eq 1 ]
	[[ "$stderr" == "sift label: $T/none.rules: cannot open: "* ]]
}

@test "phrase files: beside the rules file only; from stdin, in the current directory" {
	mkdir -p "$T/rules/sub" "$T/cwd"
	printf 'hoax\n' >"$T/rules/sub/words.txt"
	printf 'hoax\n' >"$T/outside.txt"
	printf 'id,text\n1,a hoax\n' >"$T/t.csv"
	printf 'r: text ~ @sub/words.txt -> x\n' >"$T/rules/in.rules"
	run --separate-stderr "$S" label -r "$T/rules/in.rules" "$T/t.csv"
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "1,a hoax,x" ]
	for name in ../outside.txt "$T/outside.txt" sub/../sub/words.txt; do
		printf 'r: text ~ @%s -> x\n' "$name" >"$T/rules/out.rules"
		run --separate-stderr "$S" label -r "$T/rules/out.rules" "$T/t.csv"
		[ "$status" -eq 2 ] || false
		[ "${stderr_lines[0]}" = "sift label: $T/rules/out.rules:1:11: @$name: a phrase file outside the rules file's directory (name one in it or below, without '..')" ] || false
		[ "${stderr_lines[2]}" = "              ^" ] || false
	done
	# a rules file on standard input, a pipe or a file, has no
	# directory: the current one serves
	cp "$T/rules/sub/words.txt" "$T/cwd/words.txt"
	cd "$T/cwd"
	run --separate-stderr bash -c "echo 'r: text ~ @words.txt -> x' | '$S' label -r /dev/stdin '$T/t.csv'"
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "1,a hoax,x" ]
	printf 'r: text ~ @words.txt -> x\n' >"$T/stdin.rules"
	run --separate-stderr "$S" label -r /dev/stdin "$T/t.csv" <"$T/stdin.rules"
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "1,a hoax,x" ]
	printf 'r: text ~ @../outside.txt -> x\n' >"$T/stdin.rules"
	run --separate-stderr "$S" label -r /dev/stdin "$T/t.csv" <"$T/stdin.rules"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift label: /dev/stdin:1:11: @../outside.txt: a phrase file outside the rules file's directory (name one in it or below, without '..')" ]
	# a condition on the command line names any file
	run --separate-stderr "$S" sample -m judgment --where "text ~ @$T/outside.txt" -n 1 "$T/t.csv"
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "1,a hoax" ]
}

@test "bad usage: no rules, unknown combiner, options that do not go together" {
	run --separate-stderr "$S" label "$L/small.csv"
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "sift label: say which rules: -r RULES" ]
	run --separate-stderr "$S" label -r "$L/small.rules" -c vote "$L/small.csv"
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "sift label: -c: no combiner 'vote' (majority, first, weighted, model)" ]
	run --separate-stderr "$S" label -r "$L/small.rules" --long --votes "$L/small.csv"
	[ "${stderr%%$'\n'*}" = "sift label: --votes does not go with --long" ]
	run --separate-stderr "$S" label -r "$L/small.rules" --long --analyze "$L/small.csv"
	[ "${stderr%%$'\n'*}" = "sift label: --long and --analyze do not go together" ]
	run --separate-stderr "$S" label -r "$L/small.rules" --analyze --keep labeled "$L/small.csv"
	[ "${stderr%%$'\n'*}" = "sift label: --keep labeled does not go with --analyze" ]
	run --separate-stderr "$S" label -r "$L/small.rules" --gold x "$L/small.csv"
	[ "${stderr%%$'\n'*}" = "sift label: --gold needs --analyze" ]
	run --separate-stderr "$S" label -r "$L/small.rules" --id x "$L/small.csv"
	[ "${stderr%%$'\n'*}" = "sift label: --id needs --long" ]
	run --separate-stderr "$S" label -r "$L/small.rules" --tie maybe "$L/small.csv"
	[ "${stderr%%$'\n'*}" = "sift label: --tie: 'maybe' is neither abstain nor first" ]
	run --separate-stderr "$S" label -r "$L/small.rules" --keep some "$L/small.csv"
	[ "${stderr%%$'\n'*}" = "sift label: --keep: 'some' is neither all nor labeled" ]
	run --separate-stderr "$S" label -r "$L/small.rules" --max-iter 0 "$L/small.csv"
	[ "${stderr%%$'\n'*}" = "sift label: --max-iter: N must be 1..1000000" ]
	run --separate-stderr "$S" label -r "$L/small.rules" --tol -1 "$L/small.csv"
	[ "${stderr%%$'\n'*}" = "sift label: --tol: X must be >= 0" ]
	run --separate-stderr "$S" label -r "$L/small.rules" --out-col "" "$L/small.csv"
	[ "${stderr%%$'\n'*}" = "sift label: --out-col: the column needs a name" ]
	run --separate-stderr "$S" label -r "$L/small.rules" --bogus "$L/small.csv"
	[ "${stderr%%$'\n'*}" = "sift label: unknown option --bogus" ]
	[ "$status" -eq 2 ]
	run --separate-stderr "$S" label -r "$L/small.rules" a.csv b.csv
	[ "${stderr%%$'\n'*}" = "sift label: one input at most (got 2)" ]
}

@test "--max-iter and --tol are accepted by the model; -h prints help" {
	run "$S" label -r "$L/small.rules" -c model --max-iter 3 --tol 0 "$L/small.csv"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 6 ]
	run "$S" label -h
	[ "$status" -eq 0 ]
	[[ "$output" == *"--combine C"* ]]
}

@test "bad data is an error with the file and line" {
	printf 'id,text\n1,"open\n' >"$T/bad.csv"
	printf 'h: text ~ /x/ -> x\n' >"$T/x.rules"
	run --separate-stderr "$S" label -r "$T/x.rules" "$T/bad.csv"
	[ "$status" -eq 1 ]
	[[ "$stderr" == "sift label: $T/bad.csv:2"* ]]
}

@test "a closed pipe downstream is quiet" {
	gen="$BATS_TEST_DIRNAME/../../examples/tweets/gen-tweets"
	[ -x "$gen" ] || skip "gen-tweets is not built"
	"$gen" -n 20000 -s 2 >"$T/t.csv"
	run bash -c "'$S' label -r '$BATS_TEST_DIRNAME/../../examples/tweets/misinfo.rules' '$T/t.csv' | head -1"
	[ "$status" -eq 0 ]
	[ "$output" = "id,created_at,user,followers,verified,mentions,text,misinfo,label" ]
}

@test "more than 254 labels is an error in the rules file" {
	{ printf 'labels: '; for i in $(seq 0 254); do printf 'l%d, ' $i; done; printf 'z\n'; printf 'r: text ~ /a/ -> z\n'; } >"$T/many.rules"
	run --separate-stderr "$S" label -r "$T/many.rules" "$L/small.csv"
	[ "$status" -eq 2 ]
	[[ "${stderr%%$'\n'*}" == *"more than 254 labels" ]]
}

@test "--long and --analyze headers use the input's delimiter" {
	printf 'r: text ~ /a/ -> yes\n' >"$T/s.rules"
	printf 'id\ttext\n1\ta\n' >"$T/t.tsv"
	run "$S" label -r "$T/s.rules" --tsv --long "$T/t.tsv"
	[ "${lines[0]}" = "$(printf 'item\tannotator\tlabel')" ]
	run "$S" label -r "$T/s.rules" --tsv --analyze "$T/t.tsv"
	[[ "${lines[0]}" == "$(printf 'rule\tline\tlabels\t')"* ]]
}
