#!/usr/bin/env bats
# Command tests of `sift train --l2 auto` (the default with validation
# data): the penalty chosen on the validation data from the grid 1e-6
# ... 1e-2, the model of the choice the same as --l2 with it, and the
# runs that have no validation data.

bats_require_minimum_version 1.5.0

setup() {
	S="$SIFT"
	D="$DATA/train"
	T="$BATS_TEST_TMPDIR"
}

# The summary line of the penalty chosen in $stderr.
auto_line() {
	printf '%s\n' "$stderr" | grep '^sift train: --l2: chose '
}

@test "--l2 auto: the summary gives every penalty's score and the best one" {
	run --separate-stderr "$S" train -l misinfo -t text --seed 1 --l2 auto -o "$T/m" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	line=$(auto_line)
	[[ "$line" =~ ^"sift train: --l2: chose "[0-9.e-]+", the best macro-F1 on validation (1e-06 "[01]\.[0-9]{4}", 1e-05 "[01]\.[0-9]{4}", 0.0001 "[01]\.[0-9]{4}", 0.0003 "[01]\.[0-9]{4}", 0.001 "[01]\.[0-9]{4}", 0.003 "[01]\.[0-9]{4}", 0.01 "[01]\.[0-9]{4}")"$ ]]
	# the penalty chosen has the highest score, the larger on a tie
	printf '%s\n' "$line" | awk '{
		sub(/.*chose /, ""); chosen = $1 + 0; sub(/^[^(]*\(/, ""); sub(/\)$/, "")
		n = split($0, pair, ", ")
		for (i = 1; i <= n; i++) {
			split(pair[i], f, " ")
			if (i == 1 || f[2] + 0 >= top) { top = f[2] + 0; best = f[1] + 0 }
		}
		exit !(best == chosen)
	}'
}

@test "--l2 auto: the model and report are those of --l2 with the penalty chosen" {
	run --separate-stderr "$S" train -l misinfo -t text --seed 3 --epochs 3 --l2 auto -o "$T/auto.model" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" >"$T/auto.report"
	chosen=$(auto_line | sed 's/.*chose \([^,]*\),.*/\1/')
	[ -n "$chosen" ]
	run --separate-stderr "$S" train -l misinfo -t text --seed 3 --epochs 3 --l2 "$chosen" -o "$T/fixed.model" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" >"$T/fixed.report"
	cmp "$T/auto.model" "$T/fixed.model"
	cmp "$T/auto.report" "$T/fixed.report"
	# and the epoch lines are those of the chosen run alone
	[ "$(printf '%s\n' "$stderr" | grep -c '^sift train: epoch ')" -eq 3 ]
}

@test "--l2 auto --early-stop-on ap: chosen by average precision" {
	run --separate-stderr "$S" train -l misinfo -t text --seed 1 --epochs 2 --l2 auto --early-stop-on ap -o "$T/m" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[[ "$(auto_line)" == *", the best average precision on validation (1e-06 "* ]]
}

@test "--l2 auto --early-stop-on cost: the cost is shown as a cost" {
	run --separate-stderr "$S" train -l misinfo -t text --seed 1 --epochs 2 --l2 auto --early-stop-on cost --cost FN=5,FP=1 -o "$T/m" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	line=$(auto_line)
	[[ "$line" == *", the best cost on validation (1e-06 "* ]]
	# costs are not negative
	run ! grep -q -- ' -[0-9]' <<<"$line"
}

@test "--l2 auto with --holdout 0 and no --valid: usage error, exit 2" {
	run --separate-stderr "$S" train -l misinfo -t text --seed 1 --l2 auto --holdout 0 -o "$T/m" "$D/tweets.csv"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"--l2 auto chooses the penalty on validation data: --holdout 0 leaves none (--valid FILE, or --holdout F above 0)"* ]]
	[ ! -e "$T/m" ]
}

@test "--l2 auto with --cv: each fold chooses on its own holdout" {
	run --separate-stderr "$S" train -l misinfo -t text --seed 1 --epochs 2 --cv 2 --l2 auto "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[[ "$output" == *"macro F1"* ]]
	run --separate-stderr "$S" train -l misinfo -t text --seed 1 --cv 2 --holdout 0 --l2 auto "$D/tweets.csv"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"--l2 auto chooses the penalty on validation data"* ]]
}

@test "--l2: a value that is neither a number nor auto is refused, exit 2" {
	run --separate-stderr "$S" train -l misinfo -t text --l2 automatic -o "$T/m" "$D/tweets.csv"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"--l2"*"automatic"* ]]
	run --separate-stderr "$S" train -l misinfo -t text --l2 -1 -o "$T/m" "$D/tweets.csv"
	[ "$status" -eq 2 ]
}

@test "the default chooses the penalty as --l2 auto does, given validation data" {
	run --separate-stderr "$S" train -l misinfo -t text --seed 2 --epochs 2 -o "$T/default.model" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[ -n "$(auto_line)" ]
	run --separate-stderr "$S" train -l misinfo -t text --seed 2 --epochs 2 --l2 auto -o "$T/auto.model" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	cmp "$T/default.model" "$T/auto.model"
}

@test "the default without validation data: --l2 1e-6, and no summary line" {
	run --separate-stderr "$S" train -l misinfo -t text --seed 2 --epochs 2 --holdout 0 -o "$T/default.model" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[ -z "$(auto_line)" ]
	run --separate-stderr "$S" train -l misinfo -t text --seed 2 --epochs 2 --holdout 0 --l2 1e-6 -o "$T/fixed.model" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	cmp "$T/default.model" "$T/fixed.model"
	# a penalty given is not chosen
	run --separate-stderr "$S" train -l misinfo -t text --seed 2 --epochs 2 --l2 1e-4 -o "$T/fixed.model" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[ -z "$(auto_line)" ]
}
