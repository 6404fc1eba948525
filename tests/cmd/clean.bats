#!/usr/bin/env bats
# Command tests of `sift clean`: the issues confident learning finds,
# each filter and ranking, byte-exact pass-through, the report, and
# every bad input's message and status.
#
# The expected issues of three.csv (60 records, 3 classes, 25% of the
# labels redrawn at random) were computed by bench/clean-numpy.py, an
# implementation in numpy written apart from lib/clean.c:
#   clean-numpy.py --filter F tests/data/clean/three.csv
# (its record numbers count from 0; the ids here from 1).

bats_require_minimum_version 1.5.0

setup() {
	S="$SIFT"
	D="$DATA/clean"
	T="$BATS_TEST_TMPDIR"
}

# The first column of the records sift clean writes, on one line.
ids() {
	"$S" clean -q "$@" | tail -n +2 | cut -d, -f1 | tr '\n' ' '
}

@test "the issues, worst first, with suggested_label and label_quality" {
	run "$S" clean "$D/hand.csv"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 4 ]
	[ "${lines[0]}" = "id,label,p_a,p_b,p_c,suggested_label,label_quality" ]
	[ "${lines[1]}" = "5,a,0.1,0.1,0.8,c,0.1" ]
	[ "${lines[2]}" = "4,a,0.2,0.7,0.1,b,0.2" ]
	[ "${lines[3]}" = "10,b,0.6,0.3,0.1,a,0.3" ]
}

@test "--filter: each pruning rule finds what numpy finds" {
	[ "$(ids --sort input "$D/three.csv")" = "6 7 14 18 24 26 28 39 44 51 54 57 " ]
	[ "$(ids --sort input --filter prune_by_noise_rate "$D/three.csv")" = "6 7 14 18 24 26 28 39 44 51 54 57 " ]
	[ "$(ids --sort input --filter prune_by_class "$D/three.csv")" = "6 7 14 18 24 26 28 32 44 46 51 54 57 " ]
	[ "$(ids --sort input --filter both "$D/three.csv")" = "6 7 14 18 24 26 28 44 51 54 57 " ]
	[ "$(ids --sort input --filter confident_learning "$D/three.csv")" = "6 7 14 18 24 26 28 39 44 51 54 57 " ]
}

@test "--filter predicted_neq_given: the records whose argmax is not the label" {
	[ "$(ids --sort input --filter predicted_neq_given "$D/three.csv")" = "6 7 14 16 18 24 26 28 29 32 39 40 44 46 51 54 57 " ]
	# the same, by awk: the largest probability's class is not the label
	awk -F, 'NR > 1 {
		best = "ham"; p = $3
		if ($4 > p) { best = "spam"; p = $4 }
		if ($5 > p) { best = "promo" }
		if (best != $2) printf "%s ", $1 }' "$D/three.csv" >"$T/awk"
	[ "$(ids --sort input --filter predicted_neq_given "$D/three.csv")" = "$(cat "$T/awk")" ]
}

@test "--rank normalized_margin: the label's probability less the best other's" {
	run "$S" clean --rank normalized_margin "$D/hand.csv"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 4 ]
	# (p_label - max other + 1) / 2: (0.1 - 0.8 + 1) / 2 = 0.15
	[ "$(echo "${lines[1]}" | cut -d, -f1,6)" = "5,c" ]
	awk -F, 'NR > 1 { q = $7; if (q < prev) exit 1; prev = q }' <<<"$output"
	[ "$(echo "${lines[1]}" | cut -d, -f7 | cut -c1-6)" = "0.1499" ]
	[ "$(echo "${lines[2]}" | cut -d, -f1,7)" = "4,0.25" ]
	[ "$(echo "${lines[3]}" | cut -d, -f1,7)" = "10,0.35" ]
}

@test "--sort input: the issues in the order they were read" {
	[ "$(ids "$D/hand.csv")" = "5 4 10 " ]
	[ "$(ids --sort input "$D/hand.csv")" = "4 5 10 " ]
	[ "$(ids --sort quality "$D/hand.csv")" = "5 4 10 " ]
}

@test "--all: every record byte-exact, with is_issue" {
	run "$S" clean --all "$D/three.csv"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 61 ]
	[ "${lines[0]}" = "id,label,p_ham,p_spam,p_promo,suggested_label,label_quality,is_issue" ]
	"$S" clean --all "$D/three.csv" | cut -d, -f1-5 >"$T/back"
	cmp "$T/back" "$D/three.csv"
	[ "$("$S" clean --all "$D/three.csv" | awk -F, '$8 == 1' | wc -l)" -eq 12 ]
	[ "$("$S" clean --all "$D/three.csv" | awk -F, '$8 == 0' | wc -l)" -eq 48 ]
	# the issues of --all are those of the default, and 0/1 only
	[ "$("$S" clean --all "$D/three.csv" | awk -F, '$8 == 1 { printf "%s ", $1 }')" = "$(ids --sort input "$D/three.csv")" ]
	[ "$("$S" clean --all "$D/three.csv" | awk -F, 'NR > 1 && $8 != 0 && $8 != 1' | wc -l)" -eq 0 ]
}

@test "--drop: the records that are not issues, unchanged" {
	run "$S" clean --drop "$D/hand.csv"
	[ "$status" -eq 0 ]
	grep -v -E '^(4|5|10),' "$D/hand.csv" >"$T/want"
	"$S" clean --drop "$D/hand.csv" >"$T/got"
	cmp "$T/got" "$T/want"
	[ "$("$S" clean --drop "$D/three.csv" | wc -l)" -eq 49 ]
}

@test "--report and -v: the thresholds, the joints and the noise in words" {
	run --separate-stderr "$S" clean --report "$D/three.csv"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 13 ]
	grep -qxF "sift clean: class 'ham': 24 records, threshold 0.6206" <<<"$stderr"
	grep -qxF "sift clean: confident joint (48 records above a threshold):" <<<"$stderr"
	# clean-numpy.py --explain: joint [[14,2,2],[1,13,4],[2,1,9]],
	# calibrated [[18,3,3],[1,16,5],[2,1,11]], noise rate 15 / 60
	grep -qE '^sift clean:   spam +1 +13 +4$' <<<"$stderr"
	grep -qE '^sift clean:   spam +1 +16 +5$' <<<"$stderr"
	grep -qxF "sift clean: estimated noise rate 25% (15 of 60 labels)" <<<"$stderr"
	grep -qxF "sift clean: about 23% of records labeled 'spam' are likely 'promo' (5 of 22)" <<<"$stderr"
	grep -qxF "sift clean: 12 issues found (20% of the labeled records)" <<<"$stderr"
	"$S" clean -v "$D/three.csv" 2>"$T/v" >/dev/null
	[ "$(cat "$T/v")" = "$stderr" ]
	# without it, nothing on stderr
	run --separate-stderr "$S" clean "$D/three.csv"
	[ -z "$stderr" ]
}

@test "--proba-prefix and -l: other names for the columns" {
	sed '1s/.*/item,given,prob_a,prob_b,prob_c/' "$D/hand.csv" >"$T/named.csv"
	[ "$(ids -l given --proba-prefix prob_ "$T/named.csv")" = "5 4 10 " ]
	run "$S" clean --label given --proba-prefix prob_ "$T/named.csv"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "item,given,prob_a,prob_b,prob_c,suggested_label,label_quality" ]
}

@test "records with an empty label are not judged, and counted" {
	sed '3s/^2,a,/2,,/' "$D/hand.csv" >"$T/gap.csv"
	run --separate-stderr "$S" clean --all "$T/gap.csv"
	[ "$status" -eq 0 ]
	[ "$stderr" = "sift clean: 1 of 18 records have no label: not judged" ]
	# the argmax is suggested; a label that is not there has no quality
	[ "${lines[2]}" = "2,,0.8,0.1,0.1,a,,0" ]
}

@test "stdin, gzip, and -o FILE (plain and .gz)" {
	"$S" clean "$D/three.csv" >"$T/want"
	"$S" clean <"$D/three.csv" >"$T/stdin"
	cmp "$T/stdin" "$T/want"
	gzip -c "$D/three.csv" >"$T/three.csv.gz"
	"$S" clean "$T/three.csv.gz" >"$T/gz"
	cmp "$T/gz" "$T/want"
	gzip -c "$D/three.csv" | "$S" clean >"$T/gzstdin"
	cmp "$T/gzstdin" "$T/want"
	run "$S" clean -o "$T/out.csv" "$D/three.csv"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	cmp "$T/out.csv" "$T/want"
	"$S" clean -o "$T/out.csv.gz" "$D/three.csv"
	gzip -dc "$T/out.csv.gz" >"$T/back"
	cmp "$T/back" "$T/want"
}

@test "CRLF, quoted and multi-line fields pass through byte-exact" {
	printf 'id,note,label,p_x,p_y\r\n1,"one, two",x,0.9,0.1\r\n2,"a ""q""\r\nline",x,0.2,0.8\r\n3,plain,y,0.1,0.9\r\n4,,y,0.3,0.7\r\n5,z,x,0.8,0.2\r\n' >"$T/crlf.csv"
	run "$S" clean --all "$T/crlf.csv"
	[ "$status" -eq 0 ]
	"$S" clean --all "$T/crlf.csv" >"$T/out"
	# the input's bytes, each record's line ending kept
	grep -c $'\r$' "$T/out" >"$T/n"
	[ "$(cat "$T/n")" -eq 7 ]
	grep -qF '2,"a ""q""' "$T/out"
	grep -qF '1,"one, two",x,0.9,0.1,x,0.9,0' "$T/out"
	"$S" clean --drop "$T/crlf.csv" >"$T/drop"
	[ "$("$S" clean "$T/crlf.csv" | tail -n +2 | head -1 | cut -d, -f1)" = "2" ]
	[ "$(head -c 22 "$T/drop")" = "$(printf 'id,note,label,p_x,p_y\r')" ]
	run ! grep -qF 'line' "$T/drop"
}

@test "TSV as Miller writes it, and -d tab" {
	tr ',' '\t' <"$D/hand.csv" >"$T/hand.tsv"
	run "$S" clean --tsv "$T/hand.tsv"
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "$(printf '5\ta\t0.1\t0.1\t0.8\tc\t0.1')" ]
	run "$S" clean -d tab "$T/hand.tsv"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 4 ]
}

@test "on sift label's output: where the rules go wrong" {
	# rules label the tweets; a model's probabilities judge the rules
	"$S" train -l misinfo -t text --seed 1 -q -o "$T/m" "$DATA/train/tweets.csv" >/dev/null
	printf 'labels: misinfo = "1", ok = "0"\nvaccine: text ~ /vaccine|5g/i -> misinfo\nline: text ~ /minutes/ -> ok\n' >"$T/rules"
	"$S" label -q -r "$T/rules" "$DATA/train/tweets.csv" |
		"$S" predict -q -m "$T/m" >"$T/scored.csv"
	head -1 "$T/scored.csv" | grep -q ',label,pred,p_0,p_1'
	run --separate-stderr "$S" clean -l label --all "$T/scored.csv"
	[ "$status" -eq 0 ]
	[ "$(wc -l <"$T/scored.csv")" -eq "$(echo "$output" | wc -l)" ]
	# the rules' "5g means misinformation" is wrong often enough to show
	[ "$("$S" clean -q -l label "$T/scored.csv" | awk -F, '$9 == 1' | wc -l)" -gt 10 ]
}

@test "on sift audit --consensus: where the annotators go wrong" {
	"$S" audit --consensus dawid-skene "$DATA/audit/small.csv" >"$T/consensus.csv"
	head -1 "$T/consensus.csv" | grep -qx 'item,label,confidence'
	# a scorer's probabilities per item, joined on by awk
	awk -F, 'NR == 1 { print $0 ",p_" "pos,p_neg"; next }
		{ p = (NR % 3 == 0) ? 0.1 : 0.9
		  if ($2 == "neg") p = 1 - p
		  print $0 "," p "," 1 - p }' OFS=, "$T/consensus.csv" >"$T/joined.csv"
	run "$S" clean --all "$T/joined.csv"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq "$(wc -l <"$T/joined.csv")" ]
}

@test "bad usage: unknown words, and --all with --drop, exit 2" {
	run "$S" clean --filter prune "$D/hand.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift clean: --filter: 'prune' is not one of prune_by_noise_rate, prune_by_class, both, confident_learning, predicted_neq_given" ]
	run "$S" clean --rank margin "$D/hand.csv"
	[ "$status" -eq 2 ]
	[[ "${lines[0]}" == "sift clean: --rank: 'margin' is not one of self_confidence, normalized_margin"* ]]
	run "$S" clean --sort size "$D/hand.csv"
	[ "$status" -eq 2 ]
	[[ "${lines[0]}" == "sift clean: --sort: 'size' is not one of quality, input"* ]]
	run "$S" clean --all --drop "$D/hand.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift clean: give one of --all and --drop" ]
	run "$S" clean --all --sort quality "$D/hand.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift clean: --sort quality orders the issues alone; --all writes in input order" ]
	run "$S" clean "$D/hand.csv" "$D/three.csv"
	[ "$status" -eq 2 ]
	run "$S" clean --help
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "usage: sift clean "* ]]
}

@test "bad data: missing columns and probabilities, exit 1" {
	printf 'label,p_a\na,1\na,1\n' >"$T/one.csv"
	run "$S" clean "$T/one.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift clean: $T/one.csv: confident learning needs a probability column per class, named p_<label> (as sift predict writes them); 1 found" ]
	printf 'lbl,p_a,p_b\na,0.5,0.5\n' >"$T/nolabel.csv"
	run "$S" clean "$T/nolabel.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift clean: $T/nolabel.csv: no column 'label'; the columns are: lbl, p_a, p_b" ]
	printf 'label,p_a,p_b\na,0.5,0.5\nc,0.5,0.5\n' >"$T/nocol.csv"
	run "$S" clean "$T/nocol.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift clean: $T/nocol.csv:3: label 'c' has no probability column p_c (the classes are 'a', 'b')" ]
	printf 'label,p_a,p_b\na,0.5,0.6\nb,0.5,0.5\n' >"$T/sum.csv"
	run "$S" clean "$T/sum.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift clean: $T/sum.csv:2: the class probabilities sum to 1.1, not 1" ]
	printf 'label,p_a,p_b\na,x,0.6\nb,0.5,0.5\n' >"$T/nan.csv"
	run "$S" clean "$T/nan.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift clean: $T/nan.csv:2: column 'p_a' (2): 'x' is not a probability" ]
	printf 'label,p_a,p_b\na,-0.1,1.1\nb,0.5,0.5\n' >"$T/range.csv"
	run "$S" clean "$T/range.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift clean: $T/range.csv:2: column 'p_a' (2): '-0.1' is not a probability" ]
	printf 'label,p_a,p_b\na,0.5,0.5\na,0.7,0.3\n' >"$T/single.csv"
	run "$S" clean "$T/single.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift clean: $T/single.csv: every labeled record is labeled 'a': confident learning needs two classes or more" ]
	printf 'label,p_a,p_b\n' >"$T/header.csv"
	run "$S" clean "$T/header.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift clean: $T/header.csv: no record has a label in column 'label' (1)" ]
	run "$S" clean "$T/absent.csv"
	[ "$status" -eq 1 ]
}

@test "a failed run leaves no output file" {
	printf 'label,p_a,p_b\na,0.5,0.5\nc,0.5,0.5\n' >"$T/nocol.csv"
	run "$S" clean -o "$T/out.csv" "$T/nocol.csv"
	[ "$status" -eq 1 ]
	[ ! -e "$T/out.csv" ]
}

@test "examples/noisy: confident learning beside the argmax baseline, on flipped labels" {
	ex="$BATS_TEST_DIRNAME/../../examples/noisy/run.sh"
	run env SIFT="$SIFT" N=20000 DIR="$BATS_TEST_TMPDIR/noisy" sh "$ex"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 4 ]
	[[ "${lines[0]}" == *" of 20000 labels flipped" ]]
	[[ "${lines[2]}" == "sift clean "* ]]
	[[ "${lines[3]}" == "argmax != label "* ]]
	# confident learning is the more precise of the two
	clean=$(echo "${lines[2]}" | awk '{ print $(NF - 1) }')
	base=$(echo "${lines[3]}" | awk '{ print $(NF - 1) }')
	awk -v a="$clean" -v b="$base" 'BEGIN { exit !(a > b) }'
}
