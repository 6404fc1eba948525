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
	[ "$output" = "sift help: no command 'frobnicate'" ]
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
