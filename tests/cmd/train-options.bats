#!/usr/bin/env bats
# Command tests of issue 18: the options of `sift train` that made a
# model worse without a word. The seed drawn without --seed is printed
# and stored; --holdout 0 says the threshold is not tuned, and with --cv
# tunes it on the out-of-fold probabilities; -q prints nothing on
# success but what is wrong.

bats_require_minimum_version 1.5.0

setup() {
	S="$SIFT"
	D="$DATA/train"
	T="$BATS_TEST_TMPDIR"
}

@test "no --seed: the summary prints the seed drawn, and that seed repeats the run" {
	run --separate-stderr "$S" train -l misinfo -t text -o "$T/a.model" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	line=$(printf '%s\n' "$stderr" | grep '^sift train: seed [0-9]*, drawn at random (--seed [0-9]* repeats this run)$')
	seed=$(printf '%s\n' "$line" | sed 's/^sift train: seed \([0-9]*\),.*/\1/')
	[ -n "$seed" ]
	[[ "$line" == *"(--seed $seed repeats this run)" ]]
	"$S" train -l misinfo -t text --seed "$seed" -q -o "$T/b.model" "$D/tweets.csv" >/dev/null
	cmp "$T/a.model" "$T/b.model"
	# The model stores the seed among its options (sift-model(5): a
	# zlib payload after the 40-byte header; each option a name and a
	# value, length-prefixed).
	python3 -c 'import sys, zlib
sys.stdout.buffer.write(zlib.decompress(open(sys.argv[1], "rb").read()[40:]))' \
		"$T/a.model" >"$T/payload"
	grep -aq "seed....$seed" "$T/payload"
}

@test "--seed given: no seed line; -v still prints it first" {
	run --separate-stderr "$S" train -l misinfo -t text --seed 7 -o "$T/m" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	run grep -c 'drawn at random' <<<"$stderr"
	[ "$output" = 0 ]
	run --separate-stderr "$S" train -l misinfo -t text --seed 7 -v -o "$T/m" "$D/tweets.csv"
	[ "${stderr_lines[0]}" = "sift train: seed 7" ]
}

@test "no --seed: --log stores the seed drawn among the run's options" {
	run --separate-stderr "$S" train -l misinfo -t text --log "$T/runs.db" -o "$T/a.model" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	seed=$(sqlite3 "$T/runs.db" "SELECT value FROM options WHERE name = 'seed'")
	[[ "$stderr" == *"sift train: seed $seed, drawn at random"* ]]
	"$S" train -l misinfo -t text --seed "$seed" -q -o "$T/b.model" "$D/tweets.csv" >/dev/null
	cmp "$T/a.model" "$T/b.model"
	# A seed given is logged once, as given.
	"$S" train -l misinfo -t text --seed 9 -q --log "$T/runs.db" -o "$T/c.model" "$D/tweets.csv" >/dev/null
	[ "$(sqlite3 "$T/runs.db" "SELECT group_concat(value) FROM options WHERE run_id = 2 AND name = 'seed'")" = 9 ]
}

@test "no --seed with --cv: the seed drawn is printed, and repeats the report" {
	run --separate-stderr "$S" train -l misinfo -t text --cv 3 "$D/tweets.csv"
	[ "$status" -eq 0 ]
	seed=$(printf '%s\n' "$stderr" | sed -n 's/^sift train: seed \([0-9]*\), drawn at random.*/\1/p')
	[ -n "$seed" ]
	first=$output
	run --separate-stderr "$S" train -l misinfo -t text --cv 3 --seed "$seed" "$D/tweets.csv"
	[ "$output" = "$first" ]
}

@test "-q: nothing on stderr on success, not the threshold, calibration or seed" {
	run --separate-stderr "$S" train -l misinfo -t text -q --seed 1 -o "$T/m" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[[ "$output" == "validation report"* ]]
	run --separate-stderr "$S" train -l misinfo -t text -q --seed 1 --calibrate platt --early-stop 2 --epochs 8 -o "$T/m" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	run --separate-stderr "$S" train -l misinfo -t text -q --seed 1 --holdout 0 -o "$T/m" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	run --separate-stderr "$S" train -l misinfo -t text -q --seed 1 --cv 3 --holdout 0 -o "$T/m" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	# A seed drawn at random is not printed either (a diagnostic may be,
	# by the seed's luck).
	run --separate-stderr "$S" train -l misinfo -t text -q -o "$T/m" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	run grep -c 'seed\|tuned' <<<"$stderr"
	[ "$output" = 0 ]
}

@test "-q: what is wrong is still said, and nothing else" {
	{ echo "text,empty,label"; for i in $(seq 300); do
		if [ $((i % 100)) -eq 0 ]; then echo "x,,b"; else echo "x,,a"; fi; done; } >"$T/d.csv"
	run --separate-stderr "$S" train -l label -t empty -q --seed 1 --holdout 0 -o "$T/m" "$T/d.csv"
	[ "$status" -eq 0 ]
	[ "${#stderr_lines[@]}" -eq 3 ]
	[[ "${stderr_lines[0]}" == "sift train: warning: the model predicts one class only ('a')"* ]]
	[ "${stderr_lines[1]}" = "sift train: warning: text column 'empty' yielded no tokens in any record: check --text" ]
	[[ "${stderr_lines[2]}" == "sift train: warning: class 'b' has only 3 labeled training records"* ]]
}

@test "--holdout 0: the threshold is not tuned, and the summary says so" {
	run --separate-stderr "$S" train -l misinfo -t text --seed 1 --holdout 0 -o "$T/m" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"sift train: no validation data: the threshold is not tuned and stays 0.5 (--valid FILE or --holdout F; with --cv K and --holdout 0 it is tuned on the out-of-fold probabilities)"* ]]
	# --threshold none asked for no tuning: nothing to say.
	run --separate-stderr "$S" train -l misinfo -t text --seed 1 --holdout 0 --threshold none -o "$T/m" "$D/tweets.csv"
	run grep -c 'threshold is not tuned' <<<"$stderr"
	[ "$output" = 0 ]
}

@test "--cv K --holdout 0: the final model's threshold is tuned on the out-of-fold probabilities" {
	run --separate-stderr "$S" train -l misinfo -t text --seed 1 --cv 3 --holdout 0 --oof "$T/oof.csv" -o "$T/m" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	line=$(printf '%s\n' "$stderr" | grep 'tuned for the best F1 on the out-of-fold probabilities')
	t=$(printf '%s\n' "$line" | sed 's/^sift train: threshold \([0-9.e-]*\) on P(1),.*/\1/')
	[ -n "$t" ]
	# The threshold is the best-F1 threshold of the out-of-fold P(1), as
	# sift metrics finds it on the --oof file.
	best=$("$S" metrics --gold misinfo --pred pred --score p_1 --positive 1 --format csv "$T/oof.csv" |
		awk -F, '$2 == "best_threshold" { print $5 }')
	awk -v a="$t" -v b="$best" 'BEGIN { d = a - b; exit !(d < 1e-5 && d > -1e-5) }'
	run ! grep -q 'threshold is not tuned' <<<"$stderr"
	# With a holdout, the final model tunes on it as before.
	run --separate-stderr "$S" train -l misinfo -t text --seed 1 --cv 3 -o "$T/m" "$D/tweets.csv"
	[[ "$stderr" == *"tuned for the best F1 on the validation data"* ]]
}

@test "--cv K --holdout 0 --threshold cost: tuned for the lowest cost on the out-of-fold probabilities" {
	run --separate-stderr "$S" train -l misinfo -t text --seed 1 --cv 3 --holdout 0 --threshold cost --cost FN=5,FP=1 -o "$T/m" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"tuned for the lowest cost on the out-of-fold probabilities"* ]]
}
