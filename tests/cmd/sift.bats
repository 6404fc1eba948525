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
	[ "$output" = "sift help: no command or format 'frobnicate' (commands: see sift --help; formats: rules, model, annotations)" ]
	run "$SIFT" help lable
	[ "$status" -eq 2 ]
	[ "$output" = "sift help: no command or format 'lable' (did you mean sift help label?)" ]
	run "$SIFT" help rulse
	[ "$output" = "sift help: no command or format 'rulse' (did you mean sift help rules?)" ]
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

@test "sift help FORMAT shows the section-5 page: rules, model, annotations" {
	command -v man >/dev/null || skip "man is not installed"
	run env MANPAGER=cat PAGER=cat "$SIFT" help rules
	[ "$status" -eq 0 ]
	[[ "$output" == *"SIFT-RULES(5)"* ]]
	for f in model annotations sift-rules; do
		run env MANPAGER=cat PAGER=cat "$SIFT" help "$f"
		[ "$status" -eq 0 ] || false
		[[ "$output" == *"(5)"* ]] || false
	done
}

# A stand-in for man(1) that says which page it was asked for.
fake_man() {
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	printf '#!/bin/sh\necho "man $*"\n' >"$BATS_TEST_TMPDIR/bin/man"
	chmod +x "$BATS_TEST_TMPDIR/bin/man"
}

@test "sift help in the source tree opens the tree's pages" {
	fake_man
	run env PATH="$BATS_TEST_TMPDIR/bin:$PATH" "$SIFT" help rules
	[ "$status" -eq 0 ]
	[ "$output" = "man -l $(cd "$BATS_TEST_DIRNAME/../.." && pwd)/man/sift-rules.5" ]
}

@test "an installed sift help finds the pages of its own prefix" {
	# under make valgrind, $S is a wrapper that runs the built binary
	[ -z "${SIFT_VALGRIND:-}" ] || skip "SIFT is a wrapper: no binary to install"
	fake_man
	top="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
	p="$BATS_TEST_TMPDIR/opt x"
	install -d "$p/bin" "$p/share/man/man1" "$p/share/man/man5"
	cp "$SIFT" "$p/bin/sift"
	cp "$top"/man/*.1 "$p/share/man/man1/"
	cp "$top"/man/*.5 "$p/share/man/man5/"
	run env PATH="$BATS_TEST_TMPDIR/bin:$PATH" "$p/bin/sift" help sample
	[ "$status" -eq 0 ]
	[ "$output" = "man -l $p/bin/../share/man/man1/sift-sample.1" ]
	run env PATH="$BATS_TEST_TMPDIR/bin:$PATH" "$p/bin/sift" help annotations
	[ "$output" = "man -l $p/bin/../share/man/man5/sift-annotations.5" ]
	# without pages of its own, man's search
	rm "$p/share/man/man5/sift-annotations.5"
	run env PATH="$BATS_TEST_TMPDIR/bin:$PATH" "$p/bin/sift" help annotations
	[ "$output" = "man sift-annotations" ]
}

@test "every command has a man page that lints clean" {
	command -v mandoc >/dev/null || skip "mandoc is not installed"
	man="$BATS_TEST_DIRNAME/../../man"
	for cmd in $("$SIFT" --help | awk '/^commands:/ { on = 1; next }
			on && /^  [a-z]/ { print $1 }'); do
		[ -f "$man/sift-$cmd.1" ] || false
	done
	for page in "$man"/*.[15]; do
		run mandoc -Tlint -W warning "$page"
		[ -z "$output" ] || { echo "$output"; false; }
	done
}

@test "a word that is none of an option's words suggests the nearest" {
	while IFS='|' read -r cmd args want; do
		run --separate-stderr "$SIFT" $cmd $args
		[ "$status" -eq 2 ] || false
		[ "${stderr_lines[0]}" = "sift $cmd: $want" ] || false
	done <<-EOF
		sample|-m reservior -n 1|-m: no method 'reservior' (first, reservoir, bernoulli, systematic, hash, stratified, quota, weighted, importance, snowball, judgment, uncertainty) (did you mean 'reservoir'?)
		sample|--by x -n 1 --allocation eqaul|--allocation: 'eqaul' is neither proportional nor equal (did you mean 'equal'?)
		sample|-m uncertainty -n 1 --by margn|--by: 'margn' is not a measure (least-confidence, margin, entropy) (did you mean 'margin'?)
		rebalance|--by x -m ovr|-m: no method 'ovr' (under, over, smote, weights) (did you mean 'over'?)
		rebalance|--by x --to majorty|--to: 'majorty' is not majority, minority or mean (did you mean 'majority'?)
		label|-r x -c majorty|-c: no combiner 'majorty' (majority, first, weighted, model) (did you mean 'majority'?)
		label|-r x --keep labelled|--keep: 'labelled' is neither all nor labeled (did you mean 'labeled'?)
		label|-r x --tie frist|--tie: 'frist' is neither abstain nor first (did you mean 'first'?)
		metrics|-g a -p b --format jsno|--format: 'jsno' is not text, csv or json (did you mean 'json'?)
		metrics|-g a -p b --curve ROC|--curve: 'ROC' is not pr, roc or reliability (did you mean 'roc'?)
		audit|--format CSV|--format: 'CSV' is none of text, csv, json (did you mean 'csv'?)
		audit|--level ordnial|--level: 'ordnial' is neither nominal, ordinal, interval, ratio nor a confidence level in (0, 1) (did you mean 'ordinal'?)
		audit|--consensus dawid_skene|--consensus: 'dawid_skene' is neither majority nor dawid-skene (did you mean 'dawid-skene'?)
		train|-l a -t b -o m --class-weight balance|--class-weight: 'balance' is not none, balanced or LABEL=W,... (did you mean 'balanced'?)
		train|-l a -t b -o m --threshold F1|--threshold: 'F1' is not f1, cost or none (did you mean 'f1'?)
		train|-l a -t b -o m --early-stop-on macro_f1|--early-stop-on: 'macro_f1' is not macro-f1, ap or cost (did you mean 'macro-f1'?)
		train|-l a -t b -o m --threshold best|--threshold: 'best' is not f1, cost or none
	EOF
}
