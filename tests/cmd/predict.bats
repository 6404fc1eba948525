#!/usr/bin/env bats
# Command tests of `sift predict`: records pass through byte-exact with
# pred and p_<class> appended; corrupt models are rejected.

bats_require_minimum_version 1.5.0

setup() {
	S="$SIFT"
	D="$DATA/train"
	T="$BATS_TEST_TMPDIR"
	[ -s "$BATS_FILE_TMPDIR/m" ] ||
		"$S" train -l misinfo -t text --seed 1 -q -o "$BATS_FILE_TMPDIR/m" "$D/tweets.csv" >/dev/null
	M="$BATS_FILE_TMPDIR/m"
}

@test "every record comes out byte-exact with pred and p_ columns" {
	cp "$D/plain.csv" "$T/plain.csv"
	run "$S" predict -m "$M" "$T/plain.csv"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(head -1 "$D/later.csv"),pred,p_0,p_1" ]
	[ "${#lines[@]}" -eq "$(wc -l <"$T/plain.csv")" ]
	"$S" predict -m "$M" "$D/later.csv" | wc -c >"$T/n"
	[ "$(cat "$T/n")" -gt "$(wc -c <"$D/later.csv")" ]
	"$S" predict -m "$M" "$T/plain.csv" | awk -F, 'NR > 1 { NF -= 3; print }' OFS=, >"$T/back"
	tail -n +2 "$T/plain.csv" >"$T/orig"
	cmp "$T/back" "$T/orig"
}

@test "probabilities sum to 1 and pred follows the stored threshold" {
	cp "$D/plain.csv" "$T/plain.csv"
	"$S" predict -m "$M" "$T/plain.csv" | awk -F, 'NR > 1 {
		s = $(NF - 1) + $NF; if (s < 0.999999 || s > 1.000001) bad++ }
		END { exit bad > 0 }'
	run "$S" predict -m "$M" --threshold 0 "$T/plain.csv"
	[ "$(printf '%s\n' "$output" | awk -F, 'NR > 1 && $(NF - 2) != 1' | wc -l)" -eq 0 ]
	run "$S" predict -m "$M" --threshold 1 "$T/plain.csv"
	[ "$(printf '%s\n' "$output" | awk -F, 'NR > 1 && $(NF - 2) == 1 && $NF < 1' | wc -l)" -eq 0 ]
}

@test "--no-proba appends pred only; an empty text still gets a prediction" {
	printf 'id,text\n1,\n2,"fake cure, share now"\n' >"$T/in.csv"
	run "$S" predict -m "$M" --no-proba "$T/in.csv"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "id,text,pred" ]
	[[ "${lines[1]}" == "1,,"[01] ]]
	[ "${#lines[@]}" -eq 3 ]
}

@test "predict output feeds sift metrics --proba-prefix p_" {
	"$S" predict -m "$M" -o "$T/p.csv" "$D/later.csv"
	run "$S" metrics --gold misinfo --proba-prefix p_ "$T/p.csv"
	[ "$status" -eq 0 ]
	[[ "$output" == *"macro F1"* ]]
}

@test "save, load and predict give identical probabilities each time" {
	"$S" predict -m "$M" "$D/later.csv" >"$T/a"
	cp "$M" "$T/copy"
	"$S" predict -m "$T/copy" "$D/later.csv" >"$T/b"
	cmp "$T/a" "$T/b"
}

@test "corrupt models are rejected: truncated, flipped, foreign, newer" {
	head -c 100 "$M" >"$T/trunc"
	run --separate-stderr "$S" predict -m "$T/trunc" "$D/later.csv"
	[ "$status" -eq 1 ]
	[[ "$stderr" == "sift predict: $T/trunc: truncated model (100 bytes of "* ]]
	cp "$M" "$T/flip"
	printf 'X' | dd of="$T/flip" bs=1 seek=200 conv=notrunc 2>/dev/null
	run --separate-stderr "$S" predict -m "$T/flip" "$D/later.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift predict: $T/flip: corrupted model (checksum mismatch)" ]
	run --separate-stderr "$S" predict -m "$D/tweets.csv" "$D/later.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift predict: $D/tweets.csv: not a sift model (no SIFTMODL magic at its start)" ]
	cp "$M" "$T/new"
	printf '\003' | dd of="$T/new" bs=1 seek=8 conv=notrunc 2>/dev/null
	run --separate-stderr "$S" predict -m "$T/new" "$D/later.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift predict: $T/new: model format version 3 is newer than this sift reads (2): upgrade sift (or the file is damaged)" ]
	cp "$M" "$T/hdr"
	printf 'X' | dd of="$T/hdr" bs=1 seek=20 conv=notrunc 2>/dev/null
	run --separate-stderr "$S" predict -m "$T/hdr" "$D/later.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift predict: $T/hdr: corrupted model (header checksum mismatch; format version 1)" ]
	run --separate-stderr "$S" predict -m "$T/none" "$D/later.csv"
	[ "$status" -eq 1 ]
	[[ "$stderr" == "sift predict: $T/none: cannot open"* ]]
}

@test "a model's column missing from the input is an error naming it" {
	printf 'id,body\n1,x\n' >"$T/in.csv"
	run --separate-stderr "$S" predict -m "$M" "$T/in.csv"
	[ "$status" -eq 1 ]
	[[ "$stderr" == "sift predict: "*"text"* ]]
}

@test "usage errors exit 2" {
	run --separate-stderr "$S" predict "$D/later.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift predict: -m MODEL is required" ]
	run --separate-stderr "$S" predict -m "$M" --threshold 2 "$D/later.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift predict: --threshold: 2 is not in [0, 1]" ]
	run --separate-stderr "$S" predict -m "$M" --nope "$D/later.csv"
	[ "$status" -eq 2 ]
}
