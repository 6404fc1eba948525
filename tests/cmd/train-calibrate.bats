#!/usr/bin/env bats
# Command tests of `sift train --calibrate` and of `sift predict` on a
# calibrated model (issue 15): what is fitted and said, what the model
# file holds, what predict writes, and the bad inputs with their exact
# messages and statuses.

bats_require_minimum_version 1.5.0

setup() {
	S="$SIFT"
	D="$DATA/train"
	T="$BATS_TEST_TMPDIR"
}

# The format version of a model file: its byte 8.
version() { od -An -tu1 -j8 -N1 "$1" | tr -d ' '; }

@test "--calibrate platt: the fit and its effect in a note, the model in format 2" {
	run --separate-stderr "$S" train -l misinfo -t text --seed 1 --class-weight balanced \
		--calibrate platt -o "$T/p.model" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[[ "$stderr" =~ "sift train: calibration platt A -"[0-9.]+" B "-?[0-9.]+", fitted on the 300 validation records: on them, log loss "[0-9.]+" -> "[0-9.]+", ECE "[0-9.]+" -> "[0-9.]+ ]]
	# The threshold is tuned after, on the calibrated probabilities.
	[[ "$stderr" == *"calibration platt"*"threshold "*" tuned for the best F1"* ]]
	[ "$(version "$T/p.model")" -eq 2 ]
	run "$S" train -l misinfo -t text --seed 1 -q -o "$T/n.model" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[ "$(version "$T/n.model")" -eq 1 ]
}

@test "--calibrate isotonic and temperature say what they fitted" {
	run --separate-stderr "$S" train -l misinfo -t text --seed 1 --calibrate isotonic -o "$T/i.model" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[[ "$stderr" =~ "sift train: calibration isotonic, "[0-9]+" points, fitted on the 300 validation records" ]]
	run --separate-stderr "$S" train -l misinfo -t text --seed 1 --calibrate temperature -o "$T/t.model" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[[ "$stderr" =~ "sift train: calibration temperature "[0-9.]+", fitted on the 300 validation records" ]]
}

@test "a calibration lowers the validation log loss of a class-weighted model" {
	run --separate-stderr "$S" train -l misinfo -t text --seed 1 --class-weight balanced --lr 0.4 \
		--calibrate platt -o "$T/p.model" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	before=$(printf '%s\n' "$stderr" | sed -n 's/.*log loss \([0-9.]*\) -> \([0-9.]*\),.*/\1/p')
	after=$(printf '%s\n' "$stderr" | sed -n 's/.*log loss \([0-9.]*\) -> \([0-9.]*\),.*/\2/p')
	[ -n "$before" ]
	awk -v a="$after" -v b="$before" 'BEGIN { exit !(a < b) }'
}

@test "predict applies the calibration; --raw-proba writes the network's own, pred the same" {
	run "$S" train -l misinfo -t text --seed 1 -q --class-weight balanced --calibrate platt -o "$T/p.model" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	"$S" predict -m "$T/p.model" "$D/later.csv" > "$T/cal.csv"
	"$S" predict -m "$T/p.model" --raw-proba "$D/later.csv" > "$T/raw.csv"
	# Same records, same decisions, other probabilities.
	[ "$(wc -l < "$T/cal.csv")" -eq "$(wc -l < "$D/later.csv")" ]
	run ! cmp -s "$T/cal.csv" "$T/raw.csv"
	diff <("$S" predict -m "$T/p.model" --no-proba "$D/later.csv") \
		<("$S" predict -m "$T/p.model" --raw-proba --no-proba "$D/later.csv")
	# Each row's probabilities sum to one in both.
	for f in cal raw; do
		run "$S" metrics --gold misinfo --pred pred --proba-prefix p_ "$T/$f.csv"
		[ "$status" -eq 0 ] || false
	done
	# On a model without a calibration --raw-proba changes nothing.
	run "$S" train -l misinfo -t text --seed 1 -q -o "$T/n.model" "$D/tweets.csv"
	cmp <("$S" predict -m "$T/n.model" "$D/later.csv") <("$S" predict -m "$T/n.model" --raw-proba "$D/later.csv")
}

@test "a model of format 1, made before calibration, still loads and predicts" {
	[ "$(version "$DATA/model/v1.model")" -eq 1 ]
	run "$S" predict -m "$DATA/model/v1.model" --no-proba "$D/plain.csv"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "id,created_at,user,followers,verified,mentions,text,misinfo,pred" ]
	[ "${#lines[@]}" -eq 140 ]
}

@test "--calibrate with more than two classes maps each against the rest" {
	# A third class from the followers (a record of several lines gets
	# it from its last line: arbitrary, and enough here).
	awk -F, 'NR == 1 { print $0 ",reach"; next }
		{ print $0 "," ($4 < 50 ? "few" : $4 < 200 ? "some" : "many") }' "$D/tweets.csv" > "$T/three.csv"
	run --separate-stderr "$S" train -l reach -t text --seed 1 --calibrate isotonic --oof "$T/oof.csv" --cv 2 "$T/three.csv"
	[ "$status" -eq 0 ]
	run --separate-stderr "$S" train -l reach -t text --seed 1 --calibrate platt -o "$T/m.model" "$T/three.csv"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"calibration platt, one class against the rest, fitted on the 300 validation records"* ]]
	run "$S" predict -m "$T/m.model" "$T/three.csv"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *",pred,p_few,p_many,p_some" ]]
	run "$S" train -l reach -t text --seed 1 -q --calibrate temperature -o "$T/t.model" "$T/three.csv"
	[ "$status" -eq 0 ]
	[ "$(version "$T/t.model")" -eq 2 ]
}

@test "--calibrate with --cv calibrates each fold on its own holdout" {
	run "$S" train -l misinfo -t text --seed 1 -q --cv 3 --class-weight balanced "$D/tweets.csv"
	[ "$status" -eq 0 ]
	plain=$(printf '%s\n' "$output" | awk '$1 == "log" && $2 == "loss" { print $3 }')
	run "$S" train -l misinfo -t text --seed 1 -q --cv 3 --class-weight balanced --calibrate platt "$D/tweets.csv"
	[ "$status" -eq 0 ]
	cal=$(printf '%s\n' "$output" | awk '$1 == "log" && $2 == "loss" { print $3 }')
	[ -n "$plain" ]
	[ -n "$cal" ]
	awk -v a="$cal" -v b="$plain" 'BEGIN { exit !(a < b) }'
}

@test "--calibrate: a word that is no kind, no validation data, one class in it" {
	run "$S" train -l misinfo -t text --calibrate Platt -o "$T/m.model" "$D/tweets.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift train: --calibrate: 'Platt' is not platt, isotonic or temperature (did you mean 'platt'?)" ]
	run "$S" train -l misinfo -t text --calibrate isotonic --holdout 0 -o "$T/m.model" "$D/tweets.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift train: --calibrate needs validation data to fit on: --holdout 0 leaves none (--valid FILE, or --holdout F above 0)" ]
	"$S" sample -m judgment --where 'misinfo ~ /^0$/' "$D/tweets.csv" > "$T/ok-only.csv"
	run "$S" train -l misinfo -t text -q --calibrate platt --valid "$T/ok-only.csv" -o "$T/m.model" "$D/tweets.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift train: the validation data has no record of class '1': --calibrate platt needs every class to fit on (a larger --holdout, or a --valid FILE that has it)" ]
	[ ! -e "$T/m.model" ]
}
