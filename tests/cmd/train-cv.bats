#!/usr/bin/env bats
# Command tests of `sift train --cv K`, --group and --oof (issue 15):
# the report, the folds, the out-of-fold records byte for byte, the
# final model, and the bad inputs with their exact messages and statuses.

bats_require_minimum_version 1.5.0

setup() {
	S="$SIFT"
	D="$DATA/train"
	T="$BATS_TEST_TMPDIR"
}

@test "--cv prints the mean and sd of every figure and writes no model without -o" {
	mkdir "$T/w"
	cd "$T/w"
	run --separate-stderr "$S" train --cv 5 -l misinfo -t text --seed 1 "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[[ "$output" == "cross-validation report: 5 stratified folds, mean and sample sd over the folds"* ]]
	[[ "$output" == *"positive class '1'"* ]]
	[[ "$output" == *"class precision        sd    recall"* ]]
	[[ "$output" == *"  figure                             mean        sd"* ]]
	[[ "$output" == *"  macro F1                         0."*" 0."* ]]
	[[ "$output" == *"  ROC-AUC  "* ]]
	[[ "$stderr" == *"fold 5/5: training on 2400 records, judged on 600"* ]]
	[[ "$stderr" == *"fold 3/5 epoch 10/10: train loss"* ]]
	[[ "$stderr" == *"3000 records: 3000 labeled in 5 folds, 0 unlabeled"* ]]
	[[ "$stderr" != *"final model"* ]]
	[ -z "$(ls -A "$T/w")" ]
}

@test "--cv folds are stratified: each class within 1 of equal in every fold" {
	run --separate-stderr "$S" train --cv 7 -l misinfo -t text --seed 2 -q "$D/tweets.csv"
	[ "$status" -eq 0 ]
	# the fold table: fold, records, then a count per class (2700 of 0,
	# 300 of 1): 385 or 386, and 42 or 43
	echo "$output" | awk '/^  fold   records/ { on = 1; next } on && NF == 0 { exit } on { print }' >"$T/folds"
	[ "$(wc -l <"$T/folds")" -eq 7 ]
	while read -r _ n c0 c1; do
		[ "$n" -eq $((c0 + c1)) ] || false
		[ "$c0" -ge 385 ] || false
		[ "$c0" -le 386 ] || false
		[ "$c1" -ge 42 ] || false
		[ "$c1" -le 43 ] || false
	done <"$T/folds"
	[ "$(awk '{ s += $3 } END { print s }' "$T/folds")" -eq 2700 ]
}

@test "--cv -v prints each fold's figures, whose mean and sd are the report's" {
	run --separate-stderr "$S" train --cv 4 -l misinfo -t text --seed 3 -v "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[ "$(echo "$stderr" | grep -c 'fold [1-4]/4: accuracy ')" -eq 4 ]
	for fig in macro_f1 accuracy roc_auc log_loss; do
		echo "$stderr" | awk -v f="$fig" '/fold [1-4]\/4: accuracy / { for (i = 1; i < NF; i++) if ($i == f) print $(i + 1) }' >"$T/v"
		[ "$(wc -l <"$T/v")" -eq 4 ] || false
		awk '{ s += $1; ss += $1 * $1 } END { m = s / NR; printf "%.4f %.4f\n", m, sqrt((ss - NR * m * m) / (NR - 1)) }' "$T/v" >"$T/want"
		case $fig in
		macro_f1) label="macro F1" ;;
		accuracy) label="accuracy" ;;
		roc_auc) label="ROC-AUC" ;;
		log_loss) label="log loss" ;;
		esac
		echo "$output" | awk -v l="$label" 'index($0, "  " l " ") == 1 { print $(NF - 1), $NF }' >"$T/got"
		# the per-fold figures have 6 decimals: the mean and sd of
		# the rounded values may differ in the 4th by one
		awk 'NR == FNR { m = $1; s = $2; next } { d = $1 - m; e = $2 - s; if (d < 0) d = -d; if (e < 0) e = -e; exit !(d <= 0.00011 && e <= 0.00011) }' "$T/want" "$T/got" || false
	done
}

@test "--cv with -o writes the very model sift train writes, after the folds" {
	run --separate-stderr "$S" train --cv 3 -l misinfo -t text --num followers --seed 4 -o "$T/cv.model" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"final model: training on all 3000 records"* ]]
	[[ "$stderr" == *"3000 records: 2700 labeled for training, 300 for validation"* ]]
	[[ "$output" == "cross-validation report"* ]]
	"$S" train -l misinfo -t text --num followers --seed 4 -q -o "$T/plain.model" "$D/tweets.csv" >/dev/null
	cmp "$T/cv.model" "$T/plain.model"
}

@test "--cv: the same seed gives the same report and records; another seed others" {
	"$S" train --cv 3 -l misinfo -t text --seed 5 -q --oof "$T/a.csv" "$D/tweets.csv" >"$T/ra"
	"$S" train --cv 3 -l misinfo -t text --seed 5 -q --oof "$T/b.csv" "$D/tweets.csv" >"$T/rb"
	"$S" train --cv 3 -l misinfo -t text --seed 6 -q --oof "$T/c.csv" "$D/tweets.csv" >"$T/rc"
	cmp "$T/ra" "$T/rb"
	cmp "$T/a.csv" "$T/b.csv"
	run ! cmp -s "$T/a.csv" "$T/c.csv"
	run ! cmp -s "$T/ra" "$T/rc"
}

@test "--oof: the labeled records byte for byte, CRLF and quoted lines kept, with pred and p_ appended" {
	run --separate-stderr "$S" train --cv 3 -l label -t text --seed 1 --oof "$T/oof.csv" "$D/cv-crlf.csv"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"60 records: 55 labeled in 3 folds, 5 unlabeled"* ]]
	[ "$(head -n 1 "$T/oof.csv")" = $'id,text,label,pred,p_a,p_b\r' ]
	# the input without its 5 unlabeled records (ids 11, 22 ... 55)
	grep -v -E '^(11|22|33|44|55),' "$D/cv-crlf.csv" >"$T/want"
	# the appended fields are the last three of a record's last line;
	# the inner lines of the quoted fields hold no comma
	sed -E $'s/,[^,\r]*,[^,\r]*,[^,\r]*(\r?)$/\\1/' "$T/oof.csv" >"$T/got"
	cmp "$T/want" "$T/got"
	# every appended part is a class and two probabilities adding to 1
	awk -F, '/,[ab],[0-9][^,]*,[0-9][^,]*\r$/ { s = $(NF - 1) + $NF; if (s < 0.999999 || s > 1.000001) bad++; n++ } END { exit !(n == 55 && !bad) }' "$T/oof.csv" || false
}

@test "--oof writes what sift predict appends, from the fold models, not the final one" {
	"$S" train --cv 3 -l misinfo -t text --seed 7 -q -o "$T/m" --oof "$T/oof.csv" "$D/tweets.csv" >/dev/null
	"$S" predict -m "$T/m" "$D/tweets.csv" >"$T/pred.csv"
	# the same header, and the same records before the appended fields
	[ "$(head -n 1 "$T/oof.csv")" = "$(head -n 1 "$T/pred.csv")" ]
	sed -E 's/,[^,]*,[^,]*,[^,]*$//' "$T/oof.csv" >"$T/a"
	sed -E 's/,[^,]*,[^,]*,[^,]*$//' "$T/pred.csv" >"$T/b"
	cmp "$T/a" "$T/b"
	# out of fold, the log loss is higher than on the data the final
	# model saw
	oof=$("$S" metrics --gold misinfo --pred pred --proba-prefix p_ --format csv "$T/oof.csv" | awk -F, '$2 == "log_loss" { print $5 }')
	ins=$("$S" metrics --gold misinfo --pred pred --proba-prefix p_ --format csv "$T/pred.csv" | awk -F, '$2 == "log_loss" { print $5 }')
	awk -v a="$oof" -v b="$ins" 'BEGIN { exit !(a > b * 1.2) }' || false
}

@test "--oof reads stdin twice through a spool, as it reads a file" {
	"$S" train --cv 3 -l label -t text --seed 2 -q --oof "$T/file.csv" "$D/cv-crlf.csv" >"$T/rf"
	"$S" train --cv 3 -l label -t text --seed 2 -q --oof "$T/stdin.csv" <"$D/cv-crlf.csv" >"$T/rs"
	cmp "$T/file.csv" "$T/stdin.csv"
	cmp "$T/rf" "$T/rs"
}

@test "--group: grouped folds, reported, and never splitting a group" {
	run --separate-stderr "$S" train --cv 4 --group user -l misinfo -t text --seed 1 "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[[ "$output" == "cross-validation report: 4 grouped folds, mean and sample sd over the folds"* ]]
	[[ "$output" =~ [0-9]+" groups of labeled records" ]]
	[[ "$stderr" == *"4 grouped folds of 3000 labeled records"* ]]
	# The user is the only feature: the records of a user have the same
	# features, so one fold model gives them all the same probabilities,
	# and two fold models (a user split over two folds) would not.
	# Grouped by user, a user's records agree; stratified, they do not.
	"$S" train --cv 4 --group user -l misinfo --cat user --seed 1 -q --oof "$T/g.csv" "$D/tweets.csv" >/dev/null
	"$S" train --cv 4 -l misinfo --cat user --seed 1 -q --oof "$T/s.csv" "$D/tweets.csv" >/dev/null
	# (a one-line record: its second field a time, its last a number)
	split='$2 ~ /^20[0-9][0-9]-/ && $NF ~ /^[0-9][.0-9e-]*$/ { if (($3 in p) && p[$3] != $NF) bad++; p[$3] = $NF } END { exit bad > 0 }'
	awk -F, "$split" "$T/g.csv" || false
	run ! awk -F, "$split" "$T/s.csv"
}

@test "--cv bad usage: K < 2, --oof or --group without --cv, --valid, -o needed" {
	run --separate-stderr "$S" train --cv 1 -l misinfo -t text "$D/tweets.csv"
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "sift train: --cv: 1 is not in 2..1000" ]
	run --separate-stderr "$S" train --oof "$T/o" -l misinfo -t text -o "$T/m" "$D/tweets.csv"
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "sift train: --oof FILE needs --cv K" ]
	run --separate-stderr "$S" train --group user -l misinfo -t text -o "$T/m" "$D/tweets.csv"
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "sift train: --group COL needs --cv K" ]
	run --separate-stderr "$S" train --cv 3 --valid "$D/later.csv" -l misinfo -t text "$D/tweets.csv"
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "sift train: --cv and --valid: cross-validation judges every model on its own fold; give one or the other" ]
	run --separate-stderr "$S" train --cv 3 --export-svm "$T/f.svm" -l misinfo -t text "$D/tweets.csv"
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "sift train: --export-svm with --cv writes the final model's features: give -o MODEL" ]
	run --separate-stderr "$S" train --cv 3 --log "$T/db" -l misinfo -t text "$D/tweets.csv"
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "sift train: --log with --cv logs the final model's training: give -o MODEL" ]
	run --separate-stderr "$S" train -l misinfo -t text "$D/tweets.csv"
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "sift train: -o MODEL is required" ]
	[ ! -e "$T/o" ]
}

@test "--cv bad data: a class smaller than K, a missing group column, too few groups" {
	run --separate-stderr "$S" train --cv 400 -l misinfo -t text "$D/tweets.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift train: $D/tweets.csv: --cv: 400 folds, but class '1' has 300 labeled records: every fold needs one of each class (give at most 300 folds)" ]
	run --separate-stderr "$S" train --cv 3 --group nope -l misinfo -t text "$D/tweets.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift train: $D/tweets.csv: no column 'nope'; the columns are: id, created_at, user, followers, verified, mentions, text, misinfo" ]
	run --separate-stderr "$S" train --cv 3 --group verified -l misinfo -t text --oof "$T/o" "$D/tweets.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift train: $D/tweets.csv: --group: column 'verified' makes 2 groups of labeled records, fewer than the 3 folds of --cv" ]
	[ ! -e "$T/o" ]
}

@test "--cv --help and the man page name the options" {
	run "$S" train --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"--cv K "* ]]
	[[ "$output" == *"--group COL "* ]]
	[[ "$output" == *"--oof FILE "* ]]
}

@test "--cv says the penalty each fold chose on its holdout; none when --l2 fixes it" {
	run --separate-stderr "$S" train -l misinfo -t text --cv 3 --seed 1 "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[[ "$stderr" =~ $'\n'"sift train: --l2: the folds chose "[0-9.e-]+", "[0-9.e-]+", "[0-9.e-]+", each on its own holdout"$'\n' ]]
	run --separate-stderr "$S" train -l misinfo -t text --cv 3 --seed 1 --l2 1e-4 "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[[ "$stderr" != *"the folds chose"* ]]
	# -q: no summary lines at all
	run --separate-stderr "$S" train -l misinfo -t text --cv 3 --seed 1 -q "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[[ "$stderr" != *"the folds chose"* ]]
}
