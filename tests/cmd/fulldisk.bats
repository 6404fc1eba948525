#!/usr/bin/env bats
# Command tests on a disk that is really full (issue 14): a 1 MiB tmpfs
# for -o, for the store of sift audit --db and for the spool in $TMPDIR.
# Each command must fail with status 1 and the system's message, and
# leave no partial output, no temporary file and no half import. Needs
# root (to mount a tmpfs); skipped otherwise. The fault shim
# (tests/fault/run.sh) covers the same paths call by call.

bats_require_minimum_version 1.5.0

setup() {
	S="$SIFT"
	T="$BATS_TEST_TMPDIR"
	EX="$BATS_TEST_DIRNAME/../../examples"
	F="$T/full"
	mkdir "$F"
	mount -t tmpfs -o size=1m tmpfs "$F" 2>/dev/null || skip "cannot mount a tmpfs here"
	[ -x "$EX/tweets/gen-tweets" ] || skip "gen-tweets is not built"
	"$EX/tweets/gen-tweets" -n 30000 -s 1 >"$T/big.csv"
}

teardown() {
	umount "$F" 2>/dev/null || true
}

@test "a full disk under -o: status 1, the message, no file and no temporary" {
	run "$S" sample -n 20000 --seed 1 -o "$F/out.csv" "$T/big.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift sample: $F/out.csv: write error: No space left on device" ]
	[ -z "$(ls -A "$F")" ]
	run "$S" split -r 0.5,0.5 --seed 1 -o "$F/a.csv,$F/b.csv" "$T/big.csv"
	[ "$status" -eq 1 ]
	[[ "$output" == *"No space left on device"* ]]
	[ -z "$(ls -A "$F")" ]
}

@test "a full disk keeps the previous version of -o FILE" {
	printf 'old\n' >"$F/out.csv"
	run "$S" sample -n 20000 --seed 1 -o "$F/out.csv" "$T/big.csv"
	[ "$status" -eq 1 ]
	[ "$(cat "$F/out.csv")" = old ]
	[ "$(ls -A "$F")" = out.csv ]
}

@test "a full disk in \$TMPDIR: the spool of a stratified sample from a pipe fails" {
	run bash -c "cat '$T/big.csv' | TMPDIR='$F' '$S' sample --by misinfo -n 100 --seed 1"
	[ "$status" -eq 1 ]
	[ "$output" = "sift sample: stdin: cannot spool input to a temporary file: No space left on device" ]
	[ -z "$(ls -A "$F")" ]
}

@test "a full disk under sift audit --db: no half import, a new store removed" {
	[ -x "$EX/annotators/gen-annotations" ] || skip "gen-annotations is not built"
	"$EX/annotators/gen-annotations" -n 20000 -s 1 >"$T/ann.csv"
	run "$S" audit --db "$F/ann.db" --import "$T/ann.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift audit: $F/ann.db: database or disk is full" ]
	[ -z "$(ls -A "$F")" ]
	run "$S" audit --db "$F/ann.db" --import "$DATA/audit/small.csv"
	[ "$status" -eq 0 ]
	run "$S" audit --db "$F/ann.db" --import "$T/ann.csv"
	[ "$status" -eq 1 ]
	[ "$(sqlite3 "$F/ann.db" 'SELECT count(*) FROM annotations')" -eq 10 ]
	[ "$(sqlite3 "$F/ann.db" 'PRAGMA integrity_check')" = ok ]
}

@test "a full disk under sift train -o: no model" {
	# A model of this corpus fits in the 1 MiB: fill it first.
	head -c 1000000 /dev/zero >"$F/fill"
	run "$S" train -l misinfo -t text --seed 1 -q -o "$F/m.model" "$T/big.csv"
	[ "$status" -eq 1 ]
	[[ "$output" == *"$F/m.model"*"No space left on device"* ]]
	[ "$(ls -A "$F")" = fill ]
}
