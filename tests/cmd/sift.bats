#!/usr/bin/env bats
# Command tests of the `sift` dispatcher: help, version, manuals.

bats_require_minimum_version 1.5.0

@test "sift --help lists the commands on stdout, status 0" {
	run --separate-stderr "$SIFT" --help
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "usage: sift COMMAND [OPTIONS] [FILE]" ]
	[[ "$output" == *"  sample "* ]]
	[ -z "$stderr" ]
}

@test "sift --version" {
	run "$SIFT" --version
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^sift\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
}

@test "sift without a command is a usage error" {
	run "$SIFT"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "usage: sift COMMAND [OPTIONS] [FILE]" ]
}

@test "an unknown command is a usage error" {
	run "$SIFT" frobnicate
	[ "$status" -eq 2 ]
	[ "$output" = "sift: no command 'frobnicate' (see sift --help)" ]
}

@test "sift help CMD shows the manual page" {
	command -v man >/dev/null || skip "man is not installed"
	run env MANPAGER=cat PAGER=cat "$SIFT" help sample
	[ "$status" -eq 0 ]
	[[ "$output" == *"SYNOPSIS"* ]]
	[[ "$output" == *"sift sample"* ]]
	run env MANPAGER=cat PAGER=cat "$SIFT" help
	[ "$status" -eq 0 ]
	[[ "$output" == *"SYNOPSIS"* ]]
}

@test "sift help of an unknown command" {
	run "$SIFT" help frobnicate
	[ "$status" -eq 2 ]
	[ "$output" = "sift help: no command 'frobnicate' (see sift --help)" ]
	run "$SIFT" help lable
	[ "$status" -eq 2 ]
	[ "$output" = "sift help: no command 'lable' (did you mean sift help label?)" ]
}

@test "a misspelt command suggests the nearest" {
	run "$SIFT" smaple -n 1
	[ "$status" -eq 2 ]
	[ "$output" = "sift: no command 'smaple' (did you mean sift sample?)" ]
	run "$SIFT" Train
	[ "$output" = "sift: no command 'Train' (did you mean sift train?)" ]
}

@test "an unknown long option suggests the nearest option of that command" {
	while read -r cmd typed meant; do
		run --separate-stderr "$SIFT" $cmd "--$typed"
		[ "$status" -eq 2 ] || false
		[ "${stderr_lines[0]}" = "sift $cmd: unknown option --$typed (did you mean --$meant?)" ] || false
		[[ "${stderr_lines[1]}" == "usage: sift $cmd"* ]] || false
	done <<-EOF
		sample emit-weights emit-weight
		sample per-stratun per-stratum
		label rulez rules
		audit annotater annotator
		rebalance emit-wieght emit-weight
		split stratfy stratify
		train lable label
		predict modle model
		metrics postive positive
		metrics Format format
	EOF
	# with a value, the name alone is matched
	run --separate-stderr "$SIFT" sample --emit-weights=w -n 1
	[ "${stderr_lines[0]}" = "sift sample: unknown option --emit-weights (did you mean --emit-weight?)" ]
	# nothing near: no suggestion
	run --separate-stderr "$SIFT" sample --frobnicate
	[ "${stderr_lines[0]}" = "sift sample: unknown option --frobnicate" ]
	# the options of another command are not suggested
	run --separate-stderr "$SIFT" sample --gold g
	[ "${stderr_lines[0]}" = "sift sample: unknown option --gold" ]
}

@test "an ambiguous abbreviation lists what it may mean; a switch given a value says so" {
	run --separate-stderr "$SIFT" sample --w x
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift sample: option --w is ambiguous (--weight, --waves, --wave-col, --where)" ]
	# synonyms are no ambiguity
	run --separate-stderr "$SIFT" rebalance --neighbo 3 --by x /dev/null
	[ "${stderr_lines[0]}" = "sift rebalance: -k applies to -m smote only (not -m under)" ]
	run --separate-stderr "$SIFT" sample --shuffle=yes -n 1
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift sample: --shuffle takes no value" ]
	run --separate-stderr "$SIFT" train --quiet=1
	[ "${stderr_lines[0]}" = "sift train: --quiet takes no value" ]
}

@test "every command has a man page that lints clean" {
	command -v mandoc >/dev/null || skip "mandoc is not installed"
	man="$BATS_TEST_DIRNAME/../../man"
	for cmd in $("$SIFT" --help | awk '/^commands:/ { on = 1; next }
			on && /^  [a-z]/ { print $1 }'); do
		[ -f "$man/sift-$cmd.1" ]
	done
	for page in "$man"/*.[15]; do
		run mandoc -Tlint -W warning "$page"
		[ -z "$output" ] || { echo "$output"; false; }
	done
}
