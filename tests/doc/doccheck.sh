#!/bin/bash
# tests/doc/doccheck.sh SRCDIR: run every command that README.md and the
# manual pages' EXAMPLES show, as written, in a scratch directory, and
# compare the output the README shows with what they print (TAP on
# stdout, one line a command).
#
# The README is run first, top to bottom: its tour makes the corpus
# (tweets.csv.gz, 1,000,000 generated tweets) and the files later
# commands read, and the manual pages' examples then run on those. In
# a shown output, a line "..." stands for any number of lines, and
# times such as "0.05s" match any time. `make` lines are not run (the
# binaries are built). Environment: SIFT, the binary under test.
set -u
src=$(cd "${1:?usage: doccheck.sh SRCDIR}" && pwd)
here="$src/tests/doc"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/sift-doc.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/bin"
ln -s "${SIFT:?SIFT must name the sift binary}" "$scratch/bin/sift"
ln -s "$src/examples" "$scratch/examples"
export PATH="$scratch/bin:$src/examples/tweets:$src/examples/annotators:$src/examples/fraud:$PATH"
export MANPAGER=cat PAGER=cat LC_ALL=C
cd "$scratch" || exit 1

n=0
failed=0
pending=""
out="$scratch/.out"

# The TAP line of the last command, once it is known whether its
# output is the one shown (doc_expect), or that none is shown.
report() {
	[ -z "$pending" ] || echo "$pending"
	pending=""
}

# Run the command on stdin (bash, pipefail), keeping its output.
doc_cmd() {
	local where=$1 cmd
	cmd=$(cat)
	report
	[[ $cmd == make* ]] && return
	n=$((n + 1))
	if bash -o pipefail -c "$cmd" >"$out" 2>&1 </dev/null; then
		pending="ok $n - $where"
	else
		echo "not ok $n - $where exits $?: $cmd"
		sed 's/^/# /' "$out" | head -20
		failed=$((failed + 1))
	fi
}

# The output the document shows for the last command, on stdin.
doc_expect() {
	local want="$scratch/.want"
	cat >"$want"
	[ -n "$pending" ] || return
	if awk -f "$here/match.awk" "$want" "$out" >"$scratch/.diff"; then
		report
	else
		echo "not ${pending%% - *} - ${pending#* - }: output differs from the document"
		sed 's/^/# /' "$scratch/.diff"
		failed=$((failed + 1))
		pending=""
	fi
}

for doc in "$src/README.md"; do
	script=$(cd "$src" && awk -f "$here/shell.awk" \
		-f "$here/extract-md.awk" "${doc#"$src"/}") || exit 1
	eval "$script"
done
# What the manual pages' examples read beyond the tour's files:
# compressed TSV for sift(1), the annotations with tabs (no field of
# theirs holds a comma).
tr , '\t' <ann.csv | gzip >logs.tsv.gz
for page in "$src"/man/*.[15]; do
	script=$(cd "$src" && awk -f "$here/shell.awk" \
		-f "$here/extract-man.awk" "man/${page##*/}") || exit 1
	eval "$script"
done
report
echo "1..$n"
[ "$failed" -eq 0 ]
