#!/usr/bin/env bats
# Command tests of `sift train --plot FILE.svg` and `--plot-run
# DB[:RUN]` (issue 15): the picture of a run, drawn as it trains and
# from its log, and the bad inputs with their exact messages and
# statuses.

bats_require_minimum_version 1.5.0

setup() {
	S="$SIFT"
	D="$DATA/train"
	T="$BATS_TEST_TMPDIR"
}

# The drawing without its subtitle, which says where it was drawn from.
body() { grep -v 'fill="#555"' "$1"; }

@test "--plot draws loss, accuracy and macro-F1, titled by the run, the kept epoch marked" {
	run --separate-stderr "$S" train -l misinfo -t text --seed 3 --epochs 8 --early-stop 2 \
		--plot "$T/p.svg" -o "$T/m.model" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	kept=$(printf '%s\n' "$stderr" | sed -n 's/.*kept the weights of epoch \([0-9]*\) of.*/\1/p')
	[ -n "$kept" ]
	head -c 100 "$T/p.svg" | grep -q '^<?xml'
	tail -n 1 "$T/p.svg" | grep -q '^</svg>$'
	grep -q "<title>$T/m.model, trained on $D/tweets.csv</title>" "$T/p.svg"
	grep -q '>--label misinfo --text text --seed 3 --epochs 8 --early-stop 2</text>' "$T/p.svg"
	grep -q ">kept: epoch $kept</text>" "$T/p.svg"
	for key in "training loss, per batch" "training loss, smoothed" "validation loss, per epoch" \
		"training accuracy, per batch" "training accuracy, smoothed" "validation macro-F1, per epoch"; do
		grep -q ">$key</text>" "$T/p.svg" || false
	done
	grep -q '>batches, with the end of each epoch marked</text>' "$T/p.svg"
	# Four lines of batches (raw and smoothed, loss and accuracy), two
	# of validation with a dot per epoch.
	[ "$(grep -c '^<polyline' "$T/p.svg")" -eq 6 ]
	epochs=$(printf '%s\n' "$stderr" | grep -c '^sift train: epoch ')
	[ "$(grep -c '<circle cx=[^>]*r="3.5"' "$T/p.svg")" -eq $((2 * epochs + 2)) ]
	run ! grep -q 'href' "$T/p.svg"
	[ -s "$T/m.model" ]
}

@test "--plot without validation data, and with a seed drawn at random" {
	run "$S" train -l misinfo -t text --holdout 0 -q --plot "$T/p.svg" -o "$T/m.model" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	run ! grep -q 'validation' "$T/p.svg"
	grep -q '>accuracy</text>' "$T/p.svg"
	grep -q '>kept: epoch 10</text>' "$T/p.svg"
	grep -q '>seed [0-9]* (drawn); --label misinfo --text text --holdout 0</text>' "$T/p.svg"
}

@test "--plot-run draws a logged run as --plot drew it, to stdout or --plot FILE" {
	run "$S" train -l misinfo -t text --seed 1 --epochs 3 -q --log "$T/runs.db" \
		--plot "$T/live.svg" -o "$T/m.model" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	run --separate-stderr "$S" train --plot-run "$T/runs.db"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	printf '%s\n' "$output" > "$T/back.svg"
	diff <(body "$T/live.svg") <(body "$T/back.svg")
	grep -q '>run 1 of 20[0-9-]*T[0-9:]*Z; --label misinfo --text text --seed 1 --epochs 3</text>' "$T/back.svg"
	run "$S" train --plot-run "$T/runs.db:1" --plot "$T/one.svg"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	cmp "$T/back.svg" "$T/one.svg"
}

@test "--plot-run picks a run by number, the last by default" {
	for e in 2 3; do
		run "$S" train -l misinfo -t text --seed 1 --epochs "$e" -q --log "$T/runs.db" -o "$T/m.model" "$D/tweets.csv"
		[ "$status" -eq 0 ] || false
	done
	run "$S" train --plot-run "$T/runs.db:1"
	[ "$status" -eq 0 ]
	[[ "$output" == *'>run 1 of '*'--epochs 2</text>'* ]]
	[[ "$output" == *'>2</text>'* ]]
	[[ "$output" != *'>3</text>'* ]]
	run "$S" train --plot-run "$T/runs.db"
	[ "$status" -eq 0 ]
	[[ "$output" == *'>run 2 of '*'--epochs 3</text>'* ]]
	run "$S" train --plot-run "$T/runs.db:3"
	[ "$status" -eq 1 ]
	[ "$output" = "sift train: $T/runs.db: no run 3 in the training log" ]
}

@test "--plot with --cv draws the final model's training" {
	run "$S" train --cv 3 -l misinfo -t text --seed 1 --epochs 2 -q --plot "$T/p.svg" -o "$T/m.model" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	grep -q '>kept: epoch 2</text>' "$T/p.svg"
	run "$S" train --cv 3 -l misinfo -t text --plot "$T/q.svg" "$D/tweets.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift train: --plot draws the training of the final model: with --cv it needs -o MODEL" ]
	[ ! -e "$T/q.svg" ]
}

@test "--plot-run: a file that is not a log, no file, no run, a bad run number" {
	printf 'id,label\n1,a\n' > "$T/a.csv"
	run "$S" train --plot-run "$T/a.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift train: $T/a.csv: file is not a database" ]
	run "$S" train --plot-run "$T/none.db"
	[ "$status" -eq 1 ]
	[ "$output" = "sift train: $T/none.db: No such file or directory" ]
	sqlite3 "$T/other.db" 'CREATE TABLE t(a)'
	run "$S" train --plot-run "$T/other.db"
	[ "$status" -eq 1 ]
	[ "$output" = "sift train: $T/other.db: not a training log (made by --log)" ]
	run "$S" train --plot-run "$T/runs.db:0"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift train: --plot-run: run 0: runs count from 1" ]
	run "$S" train --plot-run ":4"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift train: --plot-run: ':4' names no database" ]
}

@test "--plot-run trains nothing: training options and an input are usage errors" {
	run "$S" train --plot-run "$T/runs.db" --epochs 3
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift train: --plot-run draws a logged run and trains nothing: --epochs has no use with it" ]
	run "$S" train --plot-run "$T/runs.db" -o "$T/m.model"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift train: --plot-run draws a logged run and trains nothing: --output has no use with it" ]
	run "$S" train --plot-run "$T/runs.db" "$D/tweets.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift train: --plot-run draws a logged run and reads no input: '$D/tweets.csv' has no use with it" ]
}

@test "--plot: the model's own file, or a file that cannot be made, fails before training" {
	run "$S" train -l misinfo -t text -o "$T/m.model" --plot "$T/m.model" "$D/tweets.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift train: --plot $T/m.model would overwrite the model of -o" ]
	run "$S" train -l misinfo -t text -q -o "$T/m.model" --plot "$T/no/p.svg" "$D/tweets.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift train: $T/no/p.svg: cannot create: No such file or directory" ]
	[ ! -e "$T/m.model" ]
}
