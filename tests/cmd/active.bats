#!/usr/bin/env bats
# The active-learning example (examples/active/loop.sh) runs end to end:
# a tiny version, 2 rounds.

bats_require_minimum_version 1.5.0

# The number of records of a CSV file (not of lines: a quoted field may
# hold line breaks), as sift counts them.
records() {
	"$SIFT" sample -p 0 -v "$1" 2>&1 >/dev/null | sed -n 's/.* kept 0 of \([0-9]*\) records$/\1/p'
}

@test "examples/active/loop.sh completes 2 rounds and prints them" {
	loop="$BATS_TEST_DIRNAME/../../examples/active/loop.sh"
	run --separate-stderr env SIFT="$SIFT" ACTIVE_DIR="$BATS_TEST_TMPDIR/a" \
		ACTIVE_POOL=3000 ACTIVE_TEST=2000 ACTIVE_INIT=300 ACTIVE_N=100 \
		ACTIVE_ROUNDS=2 ACTIVE_PREVALENCE=0.1 sh "$loop"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "round  labeled  uncertainty: macro rare (+)"* ]]
	[[ "${lines[1]}" =~ ^0\ +300\ +[01]\.[0-9]{4}\ [01]\.[0-9]{4} ]]
	[[ "${lines[2]}" =~ ^1\ +400\ +[01]\.[0-9]{4}\ [01]\.[0-9]{4} ]]
	[[ "${lines[3]}" =~ ^2\ +500\ +[01]\.[0-9]{4}\ [01]\.[0-9]{4} ]]
	[ "${#lines[@]}" -eq 5 ]
	# the labeled sets grew by exactly the records picked, taken from
	# the pool: 300 + 2 x 100 labeled, 3000 - 500 left
	a="$BATS_TEST_TMPDIR/a"
	[ "$(records "$a/init.csv")" -eq 300 ]
	[ "$(records "$a/unc.lab.csv")" -eq 500 ]
	[ "$(records "$a/rnd.lab.csv")" -eq 500 ]
	[ "$(records "$a/unc.pool.csv")" -eq 2500 ]
	[ "$(records "$a/rnd.pool.csv")" -eq 2500 ]
}
