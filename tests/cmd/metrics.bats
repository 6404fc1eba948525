#!/usr/bin/env bats
# Command tests of `sift metrics`: every documented option, every bad
# input of issue 3, with the exact message and exit status.

bats_require_minimum_version 1.5.0

setup() {
	S="$SIFT"
	D="$DATA/metrics"
	T="$BATS_TEST_TMPDIR"
	EX="$BATS_TEST_DIRNAME/../../examples/fraud"
}

# The value of a metric in csv output (overall slice, no class).
csv_value() { awk -F, -v m="$1" '$1 == "" && $2 == m && $3 == "" { print $5 }'; }

@test "bank model A: 90% accurate, precision 50%, recall 10%, F1 16.7%, flagged" {
	run --separate-stderr "$S" metrics --gold gold --pred pred --positive fraud "$EX/model-a.csv"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[[ "$output" == *"  accuracy                         0.9000"* ]]
	[[ "$output" == *"  precision                        0.5000"* ]]
	[[ "$output" == *"  recall                           0.1000"* ]]
	[[ "$output" == *"  F1                               0.1667"* ]]
	[[ "$output" == *"! accuracy 90.0% hides a recall of 10.0% on 'fraud': 90 of its 100 records are missed"* ]]
}

@test "bank model B: precision 50%, recall 90%, F1 64.3%, no warning" {
	run "$S" metrics --gold gold --pred pred --positive fraud "$EX/model-b.csv"
	[ "$status" -eq 0 ]
	[[ "$output" == *"  recall                           0.9000"* ]]
	[[ "$output" == *"  F1                               0.6429"* ]]
	[[ "$output" != *"warnings:"* ]]
}

@test "the text report aligns the confusion matrix, rows gold, columns predicted" {
	run "$S" metrics --gold gold --pred pred --positive fraud "$EX/model-a.csv"
	[ "${lines[0]}" = "== all records ==" ]
	[ "${lines[1]}" = "1000 records (total weight 1000), 2 classes; positive class 'fraud'" ]
	[ "${lines[2]}" = "confusion matrix (rows: gold, columns: predicted)" ]
	[ "${lines[3]}" = "  gold \\ predicted   fraud      ok   total" ]
	[ "${lines[4]}" = "  fraud                 10      90     100" ]
	[ "${lines[5]}" = "  ok                    10     890     900" ]
	[ "${lines[6]}" = "  total                 20     980    1000" ]
}

@test "without --positive the rarer gold class is chosen and named" {
	run "$S" metrics --gold gold --pred pred "$EX/model-a.csv"
	[ "${lines[1]}" = "1000 records (total weight 1000), 2 classes; positive class 'fraud' (the rarer gold class; --positive names another)" ]
}

@test "--score: ROC-AUC, average precision, log loss, Brier, best threshold" {
	run "$S" metrics --gold gold --pred pred --score score --positive 1 -f csv "$D/binary.csv"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | csv_value roc_auc)" = 0.75 ]
	[ "$(printf '%s\n' "$output" | csv_value average_precision)" = 0.8333333333333333 ]
	[ "$(printf '%s\n' "$output" | csv_value best_threshold)" = 0.35 ]
	[ "$(printf '%s\n' "$output" | csv_value best_f1)" = 0.8 ]
	[ "$(printf '%s\n' "$output" | csv_value brier)" = 0.15812500000000002 ]
}

@test "--proba-prefix: one column per class, argmax without --pred" {
	run "$S" metrics --gold gold --proba-prefix p_ --positive fish -f csv "$D/multi.csv"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | csv_value accuracy)" = 0.6 ]
	[ "$(printf '%s\n' "$output" | csv_value roc_auc)" = 1 ]
	run "$S" metrics --gold gold --pred pred --proba-prefix p_ -f csv "$D/multi.csv"
	[ "$(printf '%s\n' "$output" | csv_value accuracy)" = 0.6 ]
	run "$S" metrics --gold gold --proba-prefix q_ "$D/multi.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift metrics: $D/multi.csv: no column starts with 'q_'" ]
}

@test "--weight: a record of weight 2 counts twice" {
	run "$S" metrics --gold gold --pred pred --weight w -f csv "$D/binary.csv"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | csv_value total_weight)" = 5 ]
	[ "$(printf '%s\n' "$output" | csv_value accuracy)" = 0.4 ]
}

@test "--beta 2 reports F2" {
	run "$S" metrics --gold gold --pred pred --positive fraud --beta 2 "$EX/model-a.csv"
	[[ "$output" == *"  F2                               0.1190"* ]]
}

@test "--cost FN=10,FP=1: cost at the predictions and the cost-minimising threshold" {
	run "$S" metrics --gold gold --pred pred --score score --positive 1 --cost FN=10,FP=1 -f csv "$D/binary.csv"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | csv_value cost)" = 2.75 ]
	[ "$(printf '%s\n' "$output" | csv_value cost_threshold)" = 0.35 ]
	[ "$(printf '%s\n' "$output" | csv_value min_cost)" = 0.25 ]
}

@test "--cost keys in any case; bad specs are usage errors before any data is read" {
	run "$S" metrics --gold gold --pred pred --score score --positive 1 --cost fn=10,fp=1 -f csv "$D/binary.csv"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | csv_value cost)" = 2.75 ]
	run --separate-stderr "$S" metrics --gold gold --pred pred --cost XY=3 "$T/no-such.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift metrics: --cost: 'XY=3' is not KEY=NUMBER (KEY: TP, FP, FN, TN or gold:pred)" ]
	[[ "${stderr_lines[1]}" == "usage: sift metrics"* ]]
	run --separate-stderr "$S" metrics --gold gold --pred pred --cost FN=inf "$D/binary.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift metrics: --cost: 'FN=inf' is not KEY=NUMBER (KEY: TP, FP, FN, TN or gold:pred)" ]
	run --separate-stderr "$S" metrics --gold gold --pred pred --cost , "$D/binary.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift metrics: --cost: no entry in ',': give KEY=NUMBER,... (KEY: TP, FP, FN, TN or gold:pred)" ]
	# the two forms do not mix, whatever the classes are
	run --separate-stderr "$S" metrics --gold gold --pred pred --cost FN=1,dog:cat=2 "$D/binary.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift metrics: --cost: give TP/FP/FN/TN or gold:pred entries, not both" ]
}

@test "--cost gold:pred=C for several classes" {
	run "$S" metrics --gold gold --pred pred --cost 'dog:cat=5,cat:fish=1' -f csv "$D/multi.csv"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | csv_value cost)" = 1.2 ]
	run "$S" metrics --gold gold --pred pred --cost 'cow:cat=5' "$D/multi.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift metrics: --cost: no class 'cow' in the input (classes: 'cat', 'dog', 'fish')" ]
	run "$S" metrics --gold gold --pred pred --cost 'FN' "$D/multi.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift metrics: --cost: 'FN' is not KEY=NUMBER (KEY: TP, FP, FN, TN or gold:pred)" ]
}

@test "--ci adds seeded bootstrap intervals; the same seed gives the same output" {
	"$S" metrics --gold gold --pred pred --positive fraud --ci 0.95 --bootstrap 100 --seed 3 "$EX/model-a.csv" >"$T/a"
	"$S" metrics --gold gold --pred pred --positive fraud --ci 0.95 --bootstrap 100 --seed 3 "$EX/model-a.csv" >"$T/b"
	"$S" metrics --gold gold --pred pred --positive fraud --ci 0.95 --bootstrap 100 --seed 4 "$EX/model-a.csv" >"$T/c"
	cmp "$T/a" "$T/b"
	# another seed, other intervals (not only another seed in the text)
	run ! cmp -s <(grep -v 'bootstrap:' "$T/a") <(grep -v 'bootstrap:' "$T/c")
	grep -q '95% CI' "$T/a"
	grep -q '(bootstrap: 100 resamples of the records, percentile intervals, seed 3)' "$T/a"
	run "$S" metrics --gold gold --pred pred --ci 0.95 --bootstrap 50 --seed 1 -f csv "$EX/model-a.csv"
	line=$(printf '%s\n' "$output" | grep '^,accuracy,')
	lo=$(echo "$line" | cut -d, -f6)
	hi=$(echo "$line" | cut -d, -f7)
	awk -v l="$lo" -v h="$hi" 'BEGIN { exit !(l < 0.9 && h > 0.9 && l > 0.85 && h < 0.95) }'
}

@test "--ci out of range and --bootstrap 0 are usage errors" {
	run "$S" metrics --gold gold --pred pred --ci 1.5 "$D/binary.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift metrics: --ci: the level must be between 0 and 1, not 1.5" ]
	run "$S" metrics --gold gold --pred pred --ci 0.9 --bootstrap 0 "$D/binary.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift metrics: --bootstrap: N must be from 1 to 1000000" ]
}

@test "--by repeats the report per slice, sorted, on the same positive class" {
	run "$S" metrics --gold gold --pred pred --by month --positive 1 "$D/binary.csv"
	[ "$status" -eq 0 ]
	[[ "$output" == *"== slice a =="* ]]
	[[ "$output" == *"== slice b =="* ]]
	run "$S" metrics --gold gold --pred pred --by month -f csv "$D/binary.csv"
	[ "$(printf '%s\n' "$output" | awk -F, '$2 == "positive" { print $1 ":" $3 }' | tr '\n' ' ')" = ":1 a:1 b:1 " ]
}

@test "--curve roc and pr write the points as CSV" {
	run "$S" metrics --gold gold --pred pred --score score --positive 1 --curve roc "$D/binary.csv"
	[ "$status" -eq 0 ]
	[ "$output" = "threshold,fpr,tpr
inf,0,0
0.8,0,0.5
0.4,0.5,0.5
0.35,0.5,1
0.1,1,1" ]
	run "$S" metrics --gold gold --pred pred --score score --positive 1 --curve pr "$D/binary.csv"
	[ "$output" = "threshold,recall,precision
0.8,0.5,1
0.4,0.5,0.5
0.35,1,0.6666666666666666" ]
	run "$S" metrics --gold gold --pred pred --curve roc "$D/binary.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift metrics: --curve needs scores: --score COL or --proba-prefix P" ]
}

@test "--plot writes a self-contained SVG" {
	run "$S" metrics --gold gold --pred pred --score score --plot "$T/p.svg" "$D/binary.csv"
	[ "$status" -eq 0 ]
	head -c 100 "$T/p.svg" | grep -q '^<?xml'
	grep -q 'precision-recall (AP 0.833)' "$T/p.svg"
	grep -q 'ROC (AUC 0.750)' "$T/p.svg"
	grep -q 'confusion (rows gold, columns predicted)' "$T/p.svg"
	grep -q 'reliability (ECE 0.137, 15 bins)' "$T/p.svg"
	grep -q '>mean predicted probability<' "$T/p.svg"
	grep -q 'records per bin (fullest 2)' "$T/p.svg"
	# One point per bin of records: bins 2, 6 and 12 of binary.csv.
	[ "$(grep -c '<circle' "$T/p.svg")" -eq 3 ]
	tail -n 1 "$T/p.svg" | grep -q '^</svg>$'
	run ! grep -q 'href' "$T/p.svg"
}

@test "--plot --bins draws that many bins; top-label axes with many classes" {
	run "$S" metrics --gold gold --pred pred --score score --bins 4 --plot "$T/p.svg" "$D/binary.csv"
	[ "$status" -eq 0 ]
	grep -q 'reliability (ECE [0-9.]*, 4 bins)' "$T/p.svg"
	run "$S" metrics --gold gold --pred pred --proba-prefix p_ --plot "$T/m.svg" "$D/multi.csv"
	[ "$status" -eq 0 ]
	grep -q '>confidence<' "$T/m.svg"
	grep -q '>accuracy<' "$T/m.svg"
}

@test "--plot without scores draws the confusion matrix alone" {
	run "$S" metrics --gold gold --pred pred --plot "$T/p.svg" "$D/binary.csv"
	[ "$status" -eq 0 ]
	grep -q 'confusion (rows gold, columns predicted)' "$T/p.svg"
	run ! grep -q 'reliability' "$T/p.svg"
	run ! grep -q 'precision-recall' "$T/p.svg"
}

@test "--format json is one object with a reports array" {
	run "$S" metrics --gold gold --pred pred --score score -f json "$D/binary.csv"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = '{"format": "sift-metrics 1", "reports": [' ]
	[[ "$output" == *'"roc_auc": 0.75'* ]]
	[[ "$output" == *'"confusion": [[1, 1], [1, 1]]'* ]]
	if command -v python3 >/dev/null; then
		printf '%s\n' "$output" | python3 -c 'import json, sys; json.load(sys.stdin)'
	fi
	run "$S" metrics --gold gold --pred pred -f yaml "$D/binary.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift metrics: --format: 'yaml' is not text, csv or json" ]
}

@test "-o writes the report to a file" {
	run "$S" metrics --gold gold --pred pred -f csv -o "$T/out.csv" "$D/binary.csv"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	head -n 1 "$T/out.csv" | grep -q '^slice,metric,class,predicted,value,ci_low,ci_high$'
}

@test "stdin, --tsv and --no-header" {
	run "$S" metrics --gold gold --pred pred -f csv <"$D/binary.csv"
	[ "$(printf '%s\n' "$output" | csv_value accuracy)" = 0.5 ]
	tr , '\t' <"$D/binary.csv" >"$T/b.tsv"
	run "$S" metrics --gold gold --pred pred --tsv -f csv "$T/b.tsv"
	[ "$(printf '%s\n' "$output" | csv_value accuracy)" = 0.5 ]
	tail -n +2 "$D/binary.csv" | "$S" metrics --no-header --gold 1 --pred 2 -f csv >"$T/o"
	[ "$(csv_value accuracy <"$T/o")" = 0.5 ]
}

@test "-v reports the counts and the seed" {
	run --separate-stderr "$S" metrics --gold gold --pred pred --seed 9 -v "$D/binary.csv"
	[ "$status" -eq 0 ]
	[ "$stderr" = "sift metrics: $D/binary.csv: 4 records, 2 classes, 0 slices, seed 9" ]
}

@test "predicts only one class: said in plain words" {
	run "$S" metrics --gold gold --pred pred "$D/only-ok.csv"
	[ "$status" -eq 0 ]
	[[ "$output" == *"! the model predicts only 'ok': its accuracy of 90.0% is the share of 'ok' in gold"* ]]
	[[ "$output" == *"! class 'spam' is never predicted: its recall is 0"* ]]
	[[ "$output" == *"- nothing is predicted 'spam': its precision is undefined, reported as 0"* ]]
}

@test "a predicted label never seen in gold is counted and reported" {
	run "$S" metrics --gold gold --pred pred "$D/unseen-pred.csv"
	[ "$status" -eq 0 ]
	[[ "$output" == *"! class 'maybe' is predicted (1 records) but never occurs in gold: its recall, undefined, is reported as 0"* ]]
}

@test "a missing column lists the available ones" {
	run "$S" metrics --gold label --pred pred "$D/binary.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift metrics: $D/binary.csv: no column 'label'; the columns are: gold, pred, score, w, month" ]
}

@test "a score that is not a number, outside [0,1], or NaN: file and line, status 1" {
	run "$S" metrics --gold gold --pred pred --score score "$D/score-text.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift metrics: $D/score-text.csv:3: column 'score' (3): score 'abc' is not a number" ]
	run "$S" metrics --gold gold --pred pred --score score "$D/score-range.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift metrics: $D/score-range.csv:3: column 'score' (3): score '1.5' is outside [0, 1]" ]
	run "$S" metrics --gold gold --pred pred --score score "$D/score-nan.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift metrics: $D/score-nan.csv:3: column 'score' (3): score 'NaN' is NaN or infinite" ]
}

@test "a negative weight: file and line, status 1" {
	run "$S" metrics --gold gold --pred pred --weight w "$D/weight-negative.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift metrics: $D/weight-negative.csv:3: column 'w' (3): weight '-2' is negative" ]
}

@test "an empty input and a header without records: status 1" {
	run "$S" metrics --gold gold --pred pred "$D/empty.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift metrics: $D/empty.csv: empty input" ]
	run "$S" metrics --gold gold --pred pred "$D/header-only.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift metrics: $D/header-only.csv: no records" ]
}

@test "usage errors: missing --gold or --pred, --score with --proba-prefix, unknown option" {
	run "$S" metrics --pred pred "$D/binary.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift metrics: --gold COL is required" ]
	run "$S" metrics --gold gold "$D/binary.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift metrics: --pred COL is required (or --proba-prefix P)" ]
	run "$S" metrics --gold gold --score score --proba-prefix p_ "$D/binary.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift metrics: --score and --proba-prefix exclude each other" ]
	run "$S" metrics --gold gold --pred pred --frob "$D/binary.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift metrics: unknown option --frob" ]
	run "$S" metrics --gold gold --pred pred --positive nope "$D/binary.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift metrics: --positive: no class 'nope' in the input (classes: '0', '1')" ]
	run "$S" metrics --gold gold --pred pred --beta 0 "$D/binary.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift metrics: --beta: B must be > 0" ]
}

@test "--help prints the usage and the options on stdout" {
	run --separate-stderr "$S" metrics --help
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "usage: sift metrics --gold COL"* ]]
	[[ "$output" == *"--proba-prefix P"* ]]
	[ -z "$stderr" ]
}

@test "a closed pipe downstream is a quiet success" {
	run --separate-stderr bash -c "'$S' metrics --gold gold --pred pred --ci 0.9 --bootstrap 10 --seed 1 '$EX/model-a.csv' | head -n 1"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
}

# tests/data/metrics/sklearn.csv: 200 records with tied scores and
# integer weights (0 included); the values are scikit-learn 1.2.1's
# roc_auc_score, average_precision_score, log_loss, brier_score_loss,
# matthews_corrcoef, cohen_kappa_score, balanced_accuracy_score.
check_sklearn() {
	"$S" metrics --gold gold --pred pred --score score --positive 1 $1 -f csv "$D/sklearn.csv" |
		awk -F, -v want="$2" 'BEGIN { n = split(want, w, " ")
				for (i = 1; i < n; i += 2) v[w[i]] = w[i + 1] }
			$1 == "" && ($2 in v) { d = $5 - v[$2]; if (d < 0) d = -d
				if (d > 1e-9) { print $2 ": " $5 " != " v[$2]; bad = 1 }
				seen++ }
			END { if (seen != 7) { print "saw " seen " of 7"; bad = 1 }
				exit bad }'
}

@test "every scored figure agrees with scikit-learn, with and without weights" {
	check_sklearn "" "roc_auc 0.8038747853 average_precision 0.4503632155 log_loss 0.4424491753 brier 0.1431000000 mcc 0.2924407491 kappa 0.2679558011 balanced_accuracy 0.6851498378"
	check_sklearn "--weight w" "roc_auc 0.7897584973 average_precision 0.4168753727 log_loss 0.4292217770 brier 0.1377557756 mcc 0.2580767253 kappa 0.2413620431 balanced_accuracy 0.6616726297"
}

@test "--weight: weights that are all 0 are an error; a slice of weight 0 is left out with a warning" {
	printf 'gold,pred,w,s\nyes,yes,0,a\nno,no,0,a\nno,yes,0,b\n' >"$T/w0.csv"
	run --separate-stderr "$S" metrics --gold gold --pred pred -w w "$T/w0.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift metrics: $T/w0.csv: column 'w': the weights of the 3 records are all 0: no figure can be computed" ]
	[ -z "$output" ]
	printf 'gold,pred,w,s\nyes,yes,1,a\nno,no,2,a\nno,yes,0,b\nyes,yes,0,c\nno,no,0,c\n' >"$T/w1.csv"
	run --separate-stderr "$S" metrics --gold gold --pred pred -w w --by s -f csv "$T/w1.csv"
	[ "$status" -eq 0 ]
	[ "${stderr_lines[0]}" = "sift metrics: --by s: slice 'b': the weight of its 1 record is 0: no report for it" ]
	[ "${stderr_lines[1]}" = "sift metrics: --by s: slice 'c': the weights of its 2 records are all 0: no report for it" ]
	[ "$(printf '%s\n' "$output" | cut -d, -f1 | sort -u | tr '\n' ' ')" = " a slice " ]
}

@test "--by with a single value over the input: a warning that the slice repeats the whole" {
	printf 'gold,pred,s\nyes,yes,x\nno,no,x\nno,yes,x\n' >"$T/one.csv"
	run --separate-stderr "$S" metrics --gold gold --pred pred --by s "$T/one.csv"
	[ "$status" -eq 0 ]
	[ "$stderr" = "sift metrics: --by s: all 3 records have the value 'x': a single slice, whose report repeats the overall one" ]
	[[ "$output" == *"== slice x =="* ]]
	printf 'gold,pred,s\nyes,yes,x\nno,no,y\n' >"$T/two.csv"
	run --separate-stderr "$S" metrics --gold gold --pred pred --by s "$T/two.csv"
	[ -z "$stderr" ]
}

# Two numbers equal to within 1e-12.
near() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 1e-12) }'; }

# binary.csv by hand: scores .1 (gold 0), .4 (0, weight 2), .35 (1),
# .8 (1). 15 equal-width bins: .35 and .4 share (1/3, .4], the edge .4
# going down: ECE (.1 + 2 * .125 + .2) / 4, MCE .2; one record per
# equal-mass bin: (.1 + .65 + .4 + .2) / 4.
@test "--score: ECE, adaptive ECE and MCE in text, csv and json" {
	run "$S" metrics --gold gold --pred pred --score score --positive 1 "$D/binary.csv"
	[ "$status" -eq 0 ]
	[[ "$output" == *"  Brier score                      0.1581
  ECE (15 bins)                    0.1375
  adaptive ECE (15 bins)           0.3375
  MCE (15 bins)                    0.2000
  best-F1 threshold"* ]]
	run "$S" metrics --gold gold --pred pred --score score --positive 1 -f csv "$D/binary.csv"
	[ "$(printf '%s\n' "$output" | csv_value bins)" = 15 ]
	near "$(printf '%s\n' "$output" | csv_value ece)" 0.1375
	near "$(printf '%s\n' "$output" | csv_value adaptive_ece)" 0.3375
	near "$(printf '%s\n' "$output" | csv_value mce)" 0.2
	run "$S" metrics --gold gold --pred pred --score score --positive 1 -f json "$D/binary.csv"
	[[ "$output" == *'"beta": 1, "bins": 15, "tp": 1'* ]]
	[[ "$output" =~ \"brier\":\ [0-9.]+,\ \"ece\":\ 0\.13749+[0-9]*,\ \"adaptive_ece\":\ 0\.3374+9[0-9]*,\ \"mce\":\ 0\.19+[0-9]*,\ \"best_threshold\" ]]
}

@test "the calibration errors are left out without scores" {
	run "$S" metrics --gold gold --pred pred -f csv "$D/binary.csv"
	[ "$status" -eq 0 ]
	run ! grep -E '^,(bins|ece|adaptive_ece|mce),' <<<"$output"
	run "$S" metrics --gold gold --pred pred -f json "$D/binary.csv"
	[[ "$output" != *'"bins"'* ]]
	[[ "$output" != *'"ece"'* ]]
}

# Two bins: equal-width (.1 .35 .4 | .8): (3 * |.85/3 - 1/3| + .2) / 4;
# equal-mass, the median .375: (2 * .275 + 2 * .1) / 4. Weighted (.4
# weighs 2), 15 bins: (.1 + 3 * |1.15/3 - 1/3| + .2) / 5 and (.1 + .65 +
# 2 * .4 + .2) / 5.
@test "--bins N and --weight change the bins" {
	run "$S" metrics --gold gold --pred pred --score score --positive 1 --bins 2 -f csv "$D/binary.csv"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | csv_value bins)" = 2 ]
	near "$(printf '%s\n' "$output" | csv_value ece)" 0.0875
	near "$(printf '%s\n' "$output" | csv_value adaptive_ece)" 0.1875
	run "$S" metrics --gold gold --pred pred --score score --positive 1 --bins 2 "$D/binary.csv"
	[[ "$output" == *"  ECE (2 bins)                     0.0875"* ]]
	run "$S" metrics --gold gold --pred pred --score score --positive 1 --bins 1 "$D/binary.csv"
	# one bin: |1.65 / 4 - 2 / 4|
	[[ "$output" == *"  MCE (1 bin)                      0.0875"* ]]
	run "$S" metrics --gold gold --pred pred --score score --positive 1 -w w -f csv "$D/binary.csv"
	near "$(printf '%s\n' "$output" | csv_value ece)" 0.09
	near "$(printf '%s\n' "$output" | csv_value adaptive_ece)" 0.35
	near "$(printf '%s\n' "$output" | csv_value mce)" 0.2
}

@test "--bins 0, --bins x, --bins too large, --bins without scores: usage errors" {
	run "$S" metrics --gold gold --pred pred --score score --bins 0 "$D/binary.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift metrics: --bins: N must be from 1 to 1000000, not 0" ]
	run "$S" metrics --gold gold --pred pred --score score --bins x "$D/binary.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift metrics: --bins: 'x' is not a whole number >= 0" ]
	run "$S" metrics --gold gold --pred pred --score score --bins 1000001 "$D/binary.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift metrics: --bins: N must be from 1 to 1000000, not 1000001" ]
	run "$S" metrics --gold gold --pred pred --bins 10 "$D/binary.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift metrics: --bins needs scores: --score COL or --proba-prefix P" ]
}

@test "--proba-prefix with more than two classes bins the top-label confidence" {
	# multi.csv: the highest probability against the most probable class
	# being gold; the bins are the same whatever the positive class
	run "$S" metrics --gold gold --proba-prefix p_ --bins 5 -f csv "$D/multi.csv"
	[ "$status" -eq 0 ]
	ece=$(printf '%s\n' "$output" | csv_value ece)
	want=$(awk -F, 'NR > 1 { m = $4; k = "cat"; if ($5 > m) { m = $5; k = "dog" }
			if ($6 > m) { m = $6; k = "fish" }
			b = int(m * 5 - 1e-9); if (b < 0) b = 0
			n[b]++; p[b] += m; y[b] += (k == $2) }
		END { for (b in n) { d = p[b] - y[b]; e += d < 0 ? -d : d }
			printf "%.6f", e / (NR - 1) }' "$D/multi.csv")
	[ "$(printf '%.6f' "$ece")" = "$want" ]
	run "$S" metrics --gold gold --proba-prefix p_ --bins 5 --positive cat -f csv "$D/multi.csv"
	[ "$(printf '%s\n' "$output" | csv_value ece)" = "$ece" ]
}

@test "--ci gives the calibration errors intervals; --by a report per slice" {
	run "$S" metrics --gold gold --pred pred --score score --ci 0.9 --bootstrap 200 --seed 1 -f csv "$D/sklearn.csv"
	[ "$status" -eq 0 ]
	line=$(printf '%s\n' "$output" | grep '^,ece,')
	v=$(echo "$line" | cut -d, -f5)
	lo=$(echo "$line" | cut -d, -f6)
	hi=$(echo "$line" | cut -d, -f7)
	awk -v v="$v" -v l="$lo" -v h="$hi" 'BEGIN { exit !(l < v && v < h) }'
	run "$S" metrics --gold gold --pred pred --score score --positive 1 --by month -f csv "$D/binary.csv"
	# a: .1 (gold 0) and .4 (0); b: .35 (1) and .8 (1)
	[ "$(printf '%s\n' "$output" | awk -F, '$2 == "ece" { printf "%s:%.6f ", $1, $5 }')" = ":0.137500 a:0.250000 b:0.425000 " ]
}

# tests/data/metrics/sklearn.csv, by a one-off script: scikit-learn
# 1.2.1's calibration_curve(gold, score, n_bins=15, strategy='uniform'
# and 'quantile'), the bin counts from np.searchsorted as it bins, ECE
# = sum(count * |prob_true - prob_pred|) / sum(count), MCE = max |...|;
# weighted: the records repeated by their integer weights.
check_calibration() {
	"$S" metrics --gold gold --pred pred --score score --positive 1 $1 -f csv "$D/sklearn.csv" |
		awk -F, -v want="$2" 'BEGIN { n = split(want, w, " ")
				for (i = 1; i < n; i += 2) v[w[i]] = w[i + 1] }
			$1 == "" && ($2 in v) { d = $5 - v[$2]; if (d < 0) d = -d
				if (d > 1e-9) { print $2 ": " $5 " != " v[$2]; bad = 1 }
				seen++ }
			END { if (seen != n / 2) { print "saw " seen; bad = 1 }
				exit bad }'
}

@test "the calibration errors agree with scikit-learn's calibration_curve" {
	check_calibration "" "ece 0.1970000000 adaptive_ece 0.1970000000 mce 0.3272727273"
	check_calibration "--weight w" "ece 0.1900990099 mce 0.3372093023"
}

@test "--curve reliability writes the equal-width bins as CSV" {
	run "$S" metrics --gold gold --pred pred --score score --positive 1 --curve reliability --bins 4 "$D/binary.csv"
	[ "$status" -eq 0 ]
	[ "$output" = "bin,lo,hi,count,weight,mean_predicted,observed
1,0,0.25,1,1,0.1,0
2,0.25,0.5,2,2,0.375,0.5
3,0.5,0.75,0,0,,
4,0.75,1,1,1,0.8,1" ]
	run "$S" metrics --gold gold --pred pred --score score --positive 1 --curve reliability --bins 2 -w w --by month "$D/binary.csv"
	[ "$output" = "slice,bin,lo,hi,count,weight,mean_predicted,observed
,1,0,0.5,3,4,0.3125,0.25
,2,0.5,1,1,1,0.8,1
a,1,0,0.5,2,3,0.3,0
a,2,0.5,1,0,0,,
b,1,0,0.5,1,1,0.35,1
b,2,0.5,1,1,1,0.8,1" ]
	run "$S" metrics --gold gold --pred pred --curve reliability "$D/binary.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift metrics: --curve needs scores: --score COL or --proba-prefix P" ]
	run "$S" metrics --gold gold --pred pred --score score --curve reliabilty "$D/binary.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift metrics: --curve: 'reliabilty' is not pr, roc or reliability (did you mean 'reliability'?)" ]
}

@test "the report depends on the records, not their order: shuffled, the same to the last digit" {
	# weights of many digits, slices, scores of 3 digits (ties), intervals
	"$EX/gen-scored" | awk -F, -v OFS=, 'NR == 1 { print $0, "w"; next } { print $0, 1 + (NR % 7) / 3 }' >"$T/a.csv"
	{
		head -n 1 "$T/a.csv"
		tail -n +2 "$T/a.csv" | awk 'BEGIN { srand(5) } { print rand() "\t" $0 }' | sort -k1,1 | cut -f2-
	} >"$T/b.csv"
	run ! cmp -s "$T/a.csv" "$T/b.csv"
	for f in a b; do
		"$S" metrics --gold gold --pred pred --score score --positive fraud -w w --by branch \
			--ci 0.9 --bootstrap 100 --seed 2 -f csv "$T/$f.csv" >"$T/$f.out"
	done
	[ "$(wc -l <"$T/a.out")" -gt 100 ]
	cmp "$T/a.out" "$T/b.out"
	# and probability columns with three classes, plain records
	{
		head -n 1 "$D/multi.csv"
		tail -n +2 "$D/multi.csv" | sort -r
	} >"$T/m.csv"
	"$S" metrics --gold gold --pred pred --proba-prefix p_ --ci 0.9 --seed 1 -f csv "$D/multi.csv" >"$T/m1.out"
	"$S" metrics --gold gold --pred pred --proba-prefix p_ --ci 0.9 --seed 1 -f csv "$T/m.csv" >"$T/m2.out"
	cmp "$T/m1.out" "$T/m2.out"
}

@test "the classes are in bytewise order, whichever record comes first" {
	printf 'gold,pred\nb,b\nb,a\nb,b\na,a\n' >"$T/ba.csv"
	{
		echo gold,pred
		tail -n +2 "$T/ba.csv" | sort
	} >"$T/ab.csv"
	run ! cmp -s "$T/ba.csv" "$T/ab.csv"
	"$S" metrics --gold gold --pred pred "$T/ba.csv" >"$T/ba.out"
	"$S" metrics --gold gold --pred pred "$T/ab.csv" >"$T/ab.out"
	cmp "$T/ba.out" "$T/ab.out"
	run grep -F '  gold \ predicted       a       b   total' "$T/ba.out"
	[ "$status" -eq 0 ]
	# weights, slices and intervals, the rare class met first or last
	"$EX/gen-scored" | awk -F, -v OFS=, 'NR == 1 { print $0, "w"; next } { print $0, 1 + (NR % 7) / 3 }' >"$T/a.csv"
	{
		head -n 1 "$T/a.csv"
		tail -n +2 "$T/a.csv" | grep '^fraud,' | head -n 1
		tail -n +2 "$T/a.csv" | grep -v '^fraud,'
		tail -n +2 "$T/a.csv" | grep '^fraud,' | tail -n +2
	} >"$T/b.csv"
	{
		head -n 1 "$T/a.csv"
		tail -n +2 "$T/a.csv" | grep -v '^fraud,'
		tail -n +2 "$T/a.csv" | grep '^fraud,'
	} >"$T/c.csv"
	for f in b c; do
		"$S" metrics --gold gold --pred pred --score score -w w --by branch \
			--ci 0.9 --bootstrap 50 --seed 3 -f csv "$T/$f.csv" >"$T/$f.out"
	done
	[ "$(wc -l <"$T/b.out")" -gt 100 ]
	cmp "$T/b.out" "$T/c.out"
}
