#!/usr/bin/env bats
# Command tests of the progress line: drawn on stderr when it is a
# terminal (script(1) gives the command one), by every command that
# reads records; never with -q, never into a file or a pipe, never among
# records or a report written to the same terminal.

bats_require_minimum_version 1.5.0

setup_file() {
	export CORPUS="$BATS_FILE_TMPDIR/t.csv.gz"
	"$BATS_TEST_DIRNAME/../../examples/tweets/gen-tweets" -n 60000 -s 3 | gzip -1 >"$CORPUS"
}

setup() {
	S="$SIFT"
	T="$BATS_TEST_TMPDIR"
	command -v script >/dev/null || skip "script(1) is not installed"
}

# What the terminal shows of CMD's stderr (stdout into $T/out), every
# redraw on a line of its own, the blanks of the erasing cut.
on_tty() {
	SIFT_PROGRESS_AFTER=0 script -qec "$1" /dev/null | tr '\r' '\n' |
		sed 's/ *$//' | grep -v '^$' || true
}

@test "a terminal shows bytes of the total, records, rate and time left" {
	run on_tty "'$S' sample -n 5 -o '$T/o.csv' '$CORPUS'"
	[ "$status" -eq 0 ]
	[ -n "$output" ]
	for l in "${lines[@]}"; do
		[[ "$l" =~ ^"sift sample: "[0-9.]+" "[kMG]?B" of "[0-9.]+" "[kMG]?B" ("[0-9]+"%), "[0-9.]+[kM]?" records"(", "[0-9.]+" "[kMG]?B/s", "[0-9]+" s left")?$ ]] || false
	done
	[ "$(wc -l <"$T/o.csv")" -ge 6 ]
}

@test "a second pass says so; a pipe has no total" {
	run on_tty "'$S' sample --by misinfo -n 5 -o '$T/o.csv' '$CORPUS'"
	[[ "$output" == *"sift sample: second pass: "*" of "* ]]
	run on_tty "gzip -dc '$CORPUS' | '$S' sample -n 5 -o '$T/o.csv'"
	[[ "${lines[0]}" =~ ^"sift sample: "[0-9.]+" "[kMG]?B", "[0-9.]+[kM]?" records" ]]
	[[ "$output" != *" of "* ]]
}

@test "every command that reads records draws it" {
	"$S" train -l misinfo -t text --epochs 1 -q -o "$T/m.model" "$CORPUS" >/dev/null
	"$S" predict -m "$T/m.model" -o "$T/p.csv" "$CORPUS"
	printf 'labels: x\nr: text ~ /hoax/ -> x\n' >"$T/r.rules"
	while IFS='|' read -r cmd args; do
		run on_tty "'$S' $cmd $args >/dev/null"
		[[ "$output" == *"sift $cmd: "*" records"* ]] || { echo "$cmd: $output"; false; }
	done <<-EOF
		sample|-p 0.5 -o $T/o.csv $CORPUS
		label|-r $T/r.rules -o $T/o.csv $CORPUS
		rebalance|--by misinfo --dry-run $CORPUS
		split|-r 1,1 --prefix $T/s -q $CORPUS
		split|--chunks 2 --prefix $T/c -q $CORPUS
		train|-l misinfo -t text --epochs 1 -o $T/m2.model $CORPUS
		predict|-m $T/m.model -o $T/o.csv $CORPUS
		metrics|--gold misinfo --pred pred -o $T/r.txt $T/p.csv
	EOF
	"$S" label -r "$T/r.rules" --long -o "$T/ann.csv" "$CORPUS"
	run on_tty "'$S' audit -o '$T/a.txt' '$T/ann.csv'"
	[[ "$output" == *"sift audit: "*" records"* ]]
}

@test "-q, a file or a pipe for stderr, and records on the terminal: nothing" {
	run on_tty "'$S' sample -n 5 -q -o '$T/o.csv' '$CORPUS'"
	[ -z "$output" ]
	SIFT_PROGRESS_AFTER=0 run --separate-stderr "$S" sample -n 5 -o "$T/o.csv" "$CORPUS"
	[ -z "$stderr" ]
	# the records themselves go to the terminal
	run on_tty "'$S' sample -n 2 --seed 1 '$CORPUS'"
	[[ "$output" != *"sift sample:"* ]]
	[[ "${lines[0]}" == "id,created_at"* ]]
}

@test "a message erases the line first, and the end leaves none" {
	SIFT_PROGRESS_AFTER=0 script -qec "'$S' sample -n 99999999 -o '$T/o.csv' '$CORPUS'" /dev/null >"$T/tty"
	# the note starts a line of its own
	grep -q "$(printf '\r')sift sample: -n 99999999 is more than the 60000 records" "$T/tty"
	# nothing after the last erase but the note
	last=$(tr '\r' '\n' <"$T/tty" | sed 's/ *$//' | grep -v '^$' | tail -1)
	[[ "$last" == "sift sample: -n 99999999 is more than the 60000 records"* ]]
}
