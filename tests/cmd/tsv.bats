#!/usr/bin/env bats
# Command tests of TSV input and output: every command that reads records
# reads the fixtures of tests/data/tsv (Miller's TSV, CRLF, csvkit's and
# pandas' tab-separated CSV, a PostgreSQL COPY text file) and gives the
# same values as on the equivalent CSV; the columns it appends to TSV
# records are TSV. See tests/data/tsv/README for how each was made.

bats_require_minimum_version 1.5.0

load tsv_helpers

setup() {
	S="$SIFT"
	D="$DATA/tsv"
	T="$BATS_TEST_TMPDIR"
}

# agree BASE ARGS...: sift ARGS on BASE.csv, and on every other form of
# it there is, gives the same values; a TSV output is rectangular, and
# keeps CRLF line ends where its input had them. Output files named
# after -o go to $T/<form>.out; other output is stdout. With eol=lf,
# the output is a new table (label --long, --analyze), written with LF
# line ends whatever the input's were.
agree() {
	local base=$1 form
	shift
	"$S" "$@" "$D/$base.csv" >"$T/csv.out" || return 1
	canon_csv "$T/csv.out" >"$T/want"
	[ -s "$T/want" ] || return 1
	for form in tsv crlf.tsv csvkit.tsv pandas.tsv; do
		[ -e "$D/$base.$form" ] || continue
		case $form in
		csvkit.tsv | pandas.tsv)
			"$S" "$@" -d tab "$D/$base.$form" >"$T/$form.out" || return 1
			canon_csv "$T/$form.out" '	' >"$T/got"
			;;
		*)
			"$S" "$@" --tsv "$D/$base.$form" >"$T/$form.out" || return 1
			canon_tsv "$T/$form.out" >"$T/got"
			tsv_rectangular "$T/$form.out" || return 1
			;;
		esac
		diff "$T/want" "$T/got" || { echo "($form)"; return 1; }
		if [ "$form" = crlf.tsv ] && [ "${eol:-crlf}" = crlf ]; then
			# every line ends in CR LF, appended columns too
			awk '!/\r$/ { exit 1 }' "$T/$form.out" || return 1
		fi
	done
}

# Like agree, for reports that do not depend on the input's dialect:
# the same bytes.
same_report() {
	local base=$1
	shift
	"$S" "$@" "$D/$base.csv" >"$T/want" || return 1
	"$S" "$@" --tsv "$D/$base.tsv" >"$T/got" || return 1
	cmp "$T/want" "$T/got"
}

# ---- reading ------------------------------------------------------------

@test "the fixtures: each form holds the values of its CSV" {
	for f in records.tsv records.crlf.tsv annotations.tsv predictions.tsv pg.tsv; do
		diff <(canon_csv "$D/${f%%.*}.csv") <(canon_tsv "$D/$f") || false
	done
	for f in records.csvkit.tsv records.pandas.tsv; do
		diff <(canon_csv "$D/records.csv") <(canon_csv "$D/$f" '	') || false
	done
}

@test "--tsv: quotes are data, escapes decoded, records pass through byte for byte" {
	run --separate-stderr "$S" sample -m bernoulli -p 1 --seed 1 --tsv "$D/records.tsv"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$output" = "$(cat "$D/records.tsv")" ]
	# a rule sees the decoded values: a tab, a newline, a quote
	printf '%s\n' 'labels: t, n, q' \
		'tab: text ~ /a tab\there/ -> t' \
		'nl: text ~ /^two\nlines/ -> n' \
		'q: `group "g"` = "a\"b" and text = "\"starts with a quote" -> q' >"$T/r.rules"
	run --separate-stderr "$S" label -r "$T/r.rules" -c first --keep labeled --tsv "$D/records.tsv"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | cut -f1,8 | tr '\t\n' ':,')" = "id:label,7:t,8:n,16:q,34:t,35:n," ]
}

@test "-d tab reads csvkit's and pandas' tab-separated CSV; --tsv reads its quotes as data" {
	agree records sample -m bernoulli -p 1 --seed 1
	run "$S" sample -n 5 --tsv "$D/records.csvkit.tsv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift sample: $D/records.csvkit.tsv:3: ragged row: 8 fields, the header has 7: field 8 is past column '\"group \"\"g\"\"\"' (7)" ]
	printf 'a\tb\n1\t"say ""hi"""\n' >"$T/q.tsv"
	printf 'labels: x\nall: a = "1" -> x\n' >"$T/x.rules"
	run "$S" label -r "$T/x.rules" --long --id b --tsv "$T/q.tsv"
	[ "${lines[1]}" = "\"say \"\"hi\"\"\"	all	x" ]
	run "$S" label -r "$T/x.rules" --long --id b -d tab "$T/q.tsv"
	[ "${lines[1]}" = "\"say \"\"hi\"\"\"	all	x" ]
	run "$S" label -r "$T/x.rules" --long --id b -d '\t' "$T/q.tsv"
	[ "${lines[1]}" = "\"say \"\"hi\"\"\"	all	x" ]
}

@test "a PostgreSQL COPY text file: \\N, octal, hex and control escapes" {
	printf '%s\n' 'labels: bad = "yes", good = "no"' \
		'hoax: text ~ /hoax|fake/ -> bad' \
		'null: note = "" -> good' \
		'ctl: text ~ /\x08\x0c\x0b/ and text ~ /é|AB/ -> good' >"$T/pg.rules"
	agree pg label -r "$T/pg.rules" --votes --confidence
	eol=lf agree pg label -r "$T/pg.rules" --long --id text
	agree pg sample -m hash --key note -p 0.5
}

@test "blank lines are skipped, a ragged row is an error, CRLF is kept" {
	printf 'a\tb\r\n1\t"x\r\n\r\n\n2\ty\r\n' >"$T/r.tsv"
	run --separate-stderr "$S" sample -m bernoulli -p 1 --seed 1 --emit-weight w --tsv "$T/r.tsv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a\tb\tw\r\n1\t"x\t1\r\n2\ty\t1\r')" ]
	printf '3\n' >>"$T/r.tsv"
	run "$S" sample -m bernoulli -p 1 --seed 1 --tsv "$T/r.tsv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift sample: $T/r.tsv:6: ragged row: 1 fields, the header has 2: no column 'b' (2)" ]
	printf 'a\tb\n1\t2\t3\n' >"$T/w.tsv"
	run "$S" sample -n 5 --tsv "$T/w.tsv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift sample: $T/w.tsv:2: ragged row: 3 fields, the header has 2: field 3 is past column 'b' (2)" ]
}

@test "--no-quote: another delimiter without quoting; --tsv -d , likewise" {
	printf 'id|text\n1|5" screen\n2|a\\x7cb\\tc\n' >"$T/p.txt"
	printf 'labels: x\nall: id > 0 -> x\n' >"$T/x.rules"
	run --separate-stderr "$S" label -r "$T/x.rules" --long --id text -d '|' --no-quote "$T/p.txt"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'item|annotator|label\n5" screen|all|x\na\\x7cb\\tc|all|x')" ]
	run "$S" label -r "$T/x.rules" -d '|' "$T/p.txt"
	[ "$status" -eq 1 ]
	[ "$output" = "sift label: $T/p.txt:2:4: quote inside an unquoted field (a field with quotes must be quoted whole, quotes doubled)" ]
	tr '|' , <"$T/p.txt" >"$T/c.txt"
	run "$S" label -r "$T/x.rules" --long --id text --tsv -d , "$T/c.txt"
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = '5" screen,all,x' ]
	run "$S" label -r "$T/x.rules" --no-quote -d , "$T/c.txt"
	[ "${lines[1]}" = '1,5" screen,x' ]
}

@test "a backslash cannot delimit fields without quoting" {
	printf 'a\\b\n' >"$T/b.txt"
	for opt in --no-quote --tsv; do
		run "$S" sample -n 1 $opt -d '\' "$T/b.txt"
		[ "$status" -eq 2 ] || false
		[ "${lines[0]}" = 'sift sample: -d: a backslash cannot delimit fields without quoting (--tsv, --no-quote): it starts the escapes \t, \n, \\' ] || false
	done
	printf 'labels: x\nall: a = "1" -> x\n' >"$T/x.rules"
	run "$S" label -r "$T/x.rules" --no-quote -d '\' "$T/b.txt"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = 'sift label: -d: a backslash cannot delimit fields without quoting (--tsv, --no-quote): it starts the escapes \t, \n, \\' ]
	run "$S" sample -n 1 -d '\' "$T/b.txt"
	[ "$status" -eq 0 ]
}

@test "--help says what -d tab, --tsv and --no-quote read" {
	for cmd in sample label audit rebalance split train predict metrics; do
		run "$S" "$cmd" --help
		[[ "$output" == *"      --tsv          TSV as Miller and PostgreSQL write it"* ]] || false
		[[ "$output" == *"      --no-quote     no quoting with -d's delimiter"* ]] || false
		[[ "$output" == *"-d tab reads csvformat -T's output"* ]] || false
	done
}

# ---- every command --------------------------------------------------------

@test "sample: every method reads TSV as CSV, appended weights are TSV" {
	agree records sample -n 10 --seed 4
	agree records sample -n 10 --seed 4 --shuffle
	agree records sample -m bernoulli -p 0.3 --seed 4 --emit-weight 'pi "w"'
	agree records sample -m systematic -k 3 --seed 4 --emit-weight wt
	agree records sample -m stratified --by 'group "g"' -n 10 --seed 4 --emit-weight wt
	agree records sample -m stratified --by label --per-stratum 3 --seed 4
	agree records sample -w w -n 8 --seed 4 --emit-weight wt
	agree records sample -m hash --key text -p 0.5
	agree records sample -m judgment --where 'text ~ /\t|\n/' -n 5 --seed 4
}

@test "sample --partial and --merge: TSV shards merge into TSV" {
	"$S" sample -n 6 --seed 2 --partial --tsv "$D/records.tsv" >"$T/p1.tsv"
	"$S" sample -n 6 --seed 2 --partial --tsv "$D/records.crlf.tsv" >"$T/p2.tsv"
	tsv_rectangular "$T/p1.tsv"
	run --separate-stderr "$S" sample --merge --emit-weight 'w "m"' --tsv "$T/p1.tsv" "$T/p2.tsv"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 7 ]
	[ "${lines[0]}" = "$(head -1 "$D/records.tsv")	w \"m\"" ]
	printf '%s\n' "$output" | tsv_rectangular
	# every merged record is a line of an input, byte for byte
	printf '%s\n' "$output" | tail -n +2 | cut -f1-7 | tr -d '\r' | while IFS= read -r line; do
		grep -qxF -- "$line" "$D/records.tsv" || false
	done
}

@test "label: rules on TSV values; --votes, --confidence, --long, --analyze" {
	printf '%s\n' 'labels: bad = "yes", good = "no"' \
		'hoax: text ~ /hoax|fake/i -> bad' \
		'tab: text ~ /\t/ -> bad' \
		'nl: text ~ /\n/ -> good' \
		'slash: `group "g"` = "e\\f" -> good' \
		'quote: `group "g"` = "a\"b" or text ~ /"/ -> good' >"$T/r.rules"
	agree records label -r "$T/r.rules"
	agree records label -r "$T/r.rules" --votes --confidence --out-col 'lab "x"'
	agree records label -r "$T/r.rules" -c model --confidence
	eol=lf agree records label -r "$T/r.rules" --long --id text
	eol=lf agree records label -r "$T/r.rules" --long
	eol=lf agree records label -r "$T/r.rules" --analyze --gold label
	agree records label -r "$T/r.rules" --keep labeled -c first
}

@test "audit: TSV annotations give the CSV's reports, consensus and review" {
	same_report annotations audit --min-overlap 2
	same_report annotations audit --min-overlap 2 --format csv
	same_report annotations audit --min-overlap 2 --format json
	same_report annotations audit --consensus majority
	same_report annotations audit --consensus dawid-skene
	same_report annotations audit --min-overlap 2 --review 3 --seed 1
	# the item names hold a quote, a tab, a backslash, a newline; the
	# consensus is CSV whatever the input was
	run "$S" audit --consensus majority --tsv "$D/annotations.tsv"
	[ "${lines[1]}" = '"tw""1",yes,0.5' ]
	[ "${lines[2]}" = 'tw	2,no,0.75' ]
	[ "${lines[3]}" = 'tw\3,"maybe ""?""",1' ]
}

@test "audit --gold and --import read TSV with the input's options" {
	printf 'item\tlabel\ntw"1\tyes\ntw\\t2\tno\n' >"$T/gold.tsv"
	printf 'item,label\n"tw""1",yes\n"tw\t2",no\n' >"$T/gold.csv"
	"$S" audit --min-overlap 2 --format csv --gold "$T/gold.csv" "$D/annotations.csv" >"$T/want"
	"$S" audit --min-overlap 2 --format csv --tsv --gold "$T/gold.tsv" "$D/annotations.tsv" >"$T/got"
	cmp "$T/want" "$T/got"
	grep -q ',2,1,' "$T/got" # two gold items, both right for a1
	"$S" audit --db "$T/a.db" --import "$D/annotations.tsv" --tsv
	"$S" audit --db "$T/b.db" --import "$D/annotations.csv"
	"$S" audit --db "$T/a.db" --consensus majority >"$T/a"
	"$S" audit --db "$T/b.db" --consensus majority >"$T/b"
	cmp "$T/a" "$T/b"
}

@test "rebalance: under, over, SMOTE and weights on TSV; synthetic rows are TSV" {
	agree records rebalance --by label --seed 2
	agree records rebalance --by label -m over --seed 2
	agree records rebalance --by label -m weights --emit-weight 'w "c"'
	agree records rebalance --by label -m smote --features x1,x2 -k 3 --seed 2
	# the synthetic rows (marked 1) copy texts with tabs, newlines and
	# backslashes, escaped
	[ "$(awk -F'\t' '$NF == 1' "$T/tsv.out" | wc -l)" -eq 24 ]
	awk -F'\t' '$NF == 1 && $2 ~ /\\[tn\\]/' "$T/tsv.out" | grep -q .
}

# split_agree ARGS...: the parts of records.csv and of its other forms
# hold the same values; TSV and CRLF TSV parts the same records.
split_agree() {
	local p
	"$S" split "$@" -q -o "$T/a.csv,$T/b.csv" "$D/records.csv" || return 1
	"$S" split "$@" -q --tsv -o "$T/a.tsv,$T/b.tsv" "$D/records.tsv" || return 1
	"$S" split "$@" -q --tsv -o "$T/a.crlf,$T/b.crlf" "$D/records.crlf.tsv" || return 1
	"$S" split "$@" -q -d tab -o "$T/a.ck,$T/b.ck" "$D/records.csvkit.tsv" || return 1
	for p in a b; do
		[ "$(wc -l <"$T/$p.csv")" -gt 5 ] || return 1
		canon_csv "$T/$p.csv" >"$T/want"
		canon_tsv "$T/$p.tsv" | diff "$T/want" - || return 1
		canon_tsv "$T/$p.crlf" | diff "$T/want" - || return 1
		canon_csv "$T/$p.ck" '	' | diff "$T/want" - || return 1
		tr -d '\r' <"$T/$p.crlf" | cmp "$T/$p.tsv" - || return 1
	done
}

@test "split: ratios, strata and groups of TSV records" {
	split_agree -r 1,1 --stratify label --seed 5
	split_agree -r 2,1 --seed 5
	# the group column's name holds a quote, its values a tab, a quote
	# and a backslash
	split_agree -r 1,1 --group 'group "g"'
}

@test "train: the same model from TSV as from CSV; --valid in the input's dialect" {
	"$S" train --label label --text text --num x1,x2 --cat 'group "g"' --seed 1 -e 3 -q -o "$T/csv.model" "$D/records.csv" >/dev/null
	"$S" train --label label --text text --num x1,x2 --cat 'group "g"' --seed 1 -e 3 -q --tsv -o "$T/tsv.model" "$D/records.tsv" >/dev/null
	cmp "$T/csv.model" "$T/tsv.model"
	"$S" train --label label --text text --seed 1 -e 3 -q -d tab -o "$T/ck.model" "$D/records.pandas.tsv" >/dev/null
	"$S" train --label label --text text --seed 1 -e 3 -q -o "$T/c2.model" "$D/records.csv" >/dev/null
	cmp "$T/c2.model" "$T/ck.model"
	run --separate-stderr "$S" train --label label --text text --seed 1 -e 3 -q --tsv --valid "$D/records.crlf.tsv" -o "$T/v.tsv.model" "$D/records.tsv"
	[ "$status" -eq 0 ]
	tsv_report=$output
	run --separate-stderr "$S" train --label label --text text --seed 1 -e 3 -q --valid "$D/records.csv" -o "$T/v.csv.model" "$D/records.csv"
	[ "$output" = "$tsv_report" ]
	cmp "$T/v.csv.model" "$T/v.tsv.model"
	[[ "$output" == *"48 records (total weight 48)"* ]]
}

@test "predict: pred and p_ columns appended to TSV records are TSV" {
	"$S" train --label label --text text --seed 1 -e 3 -q -o "$T/m" "$D/records.csv" >/dev/null
	agree records predict -m "$T/m"
	[ "$(head -1 "$T/tsv.out")" = "$(head -1 "$D/records.tsv")	pred	p_no	p_yes" ]
	agree records predict -m "$T/m" --no-proba --threshold 0.9
	[ "$(head -1 "$T/tsv.out")" = "$(head -1 "$D/records.tsv")	pred" ]
}

@test "predict: class names are escaped in TSV, quoted in CSV" {
	printf 'text\tlabel\nhoax here\ta\\tb\nfine day\tq"x\nhoax again\ta\\tb\nnice day\tq"x\n' >"$T/t.tsv"
	"$S" train --label label --text text --seed 1 -e 2 -q --tsv --holdout 0 -o "$T/m" "$T/t.tsv" >/dev/null
	run --separate-stderr "$S" predict -m "$T/m" --tsv "$T/t.tsv"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(printf 'text\tlabel\tpred\tp_a\\tb\tp_q"x')" ]
	[ "$(printf '%s\n' "${lines[1]}" | cut -f3)" = 'a\tb' ]
	printf '%s\n' "$output" | tsv_rectangular
	printf 'text\nhoax\n' >"$T/t.csv"
	run --separate-stderr "$S" predict -m "$T/m" "$T/t.csv"
	[ "${lines[0]}" = "$(printf 'text,pred,p_a\tb,"p_q""x"')" ]
	[ "${lines[1]%%,0.*}" = "$(printf 'hoax,a\tb')" ]
}

@test "metrics: TSV predictions give the CSV's report, per slice too" {
	same_report predictions metrics --gold gold --pred pred --score score
	same_report predictions metrics --gold gold --pred pred --score score --by slice -f csv
	same_report predictions metrics --gold gold --pred pred --by slice -f json
	same_report predictions metrics --gold gold --pred pred --score score --curve roc
	run "$S" metrics --gold gold --pred pred --by slice -f csv --tsv "$D/predictions.tsv"
	# the report is CSV whatever the input was
	[[ "$output" == *'
"s""1",records,,,10,,'* ]]
	[[ "$output" == *'
s	2,records,,,10,,'* ]]
}
