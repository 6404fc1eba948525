#!/bin/bash
# tests/doc/doccheck.sh [--demo DIR] SRCDIR: run every command that
# README.md and the manual pages' EXAMPLES show, as written, in a
# scratch directory, and compare the output the README shows with what
# they print (TAP on stdout, one line a command).
#
# The README is run first, top to bottom: its tour makes the corpus
# (tweets.csv.gz, 1,000,000 generated tweets) and the files later
# commands read, and the manual pages' examples then run on those. In
# a shown output, a line "..." stands for any number of lines, and
# times such as "0.05s" match any time. `make` lines are not run (the
# binaries are built). Environment: SIFT, the binary under test, put
# on the PATH as `sift`, as the README asks of its reader; examples/ is
# linked into the directory, which stands for the top of the tree.
#
# --demo DIR (make demo, examples/demo.sh): the README's tour only, in
# DIR (new or empty; kept), shown as a transcript: each command and the
# start of what it prints, a note where that differs from the README.
#
# A block of the README that cannot run here (one that needs sift
# installed) follows a line
#     <!-- doccheck skip: REASON -->
# (hidden when the Markdown is shown) and is reported as
# "ok N - README.md:LINE # skip REASON". Keep such blocks rare: a file
# that an example reads is better made by the tour, or below.
set -u
usage="usage: doccheck.sh [--demo DIR] SRCDIR"
demo=""
if [ "${1:-}" = --demo ]; then
	demo=${2:?$usage}
	shift 2
fi
src=$(cd "${1:?$usage}" && pwd)
here="$src/tests/doc"
: "${SIFT:?SIFT must name the sift binary}"
if [ -n "$demo" ]; then
	mkdir -p "$demo" || exit 2
	if [ -n "$(ls -A "$demo")" ]; then
		echo "doccheck.sh: $demo is not empty; the tour starts afresh" >&2
		exit 2
	fi
	scratch=$(cd "$demo" && pwd)
else
	scratch=$(mktemp -d "${TMPDIR:-/tmp}/sift-doc.XXXXXX")
	trap 'rm -rf "$scratch"' EXIT
fi
mkdir "$scratch/.doccheck"
ln -s "$SIFT" "$scratch/.doccheck/sift"
ln -s "$src/examples" "$scratch/examples"
export PATH="$scratch/.doccheck:$PATH"
export MANPAGER=cat PAGER=cat LC_ALL=C
cd "$scratch" || exit 1

n=0
failed=0
pending=""
out="$scratch/.doccheck/out"

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

# A block not run, for the reason on stdin.
doc_skip() {
	local where=$1 why
	why=$(cat)
	report
	n=$((n + 1))
	echo "ok $n - $where # skip $why"
}

# The output the document shows for the last command, on stdin.
doc_expect() {
	local want="$scratch/.doccheck/want"
	cat >"$want"
	[ -n "$pending" ] || return
	if awk -f "$here/match.awk" "$want" "$out" >"$scratch/.doccheck/diff"; then
		report
	else
		echo "not ${pending%% - *} - ${pending#* - }: output differs from the document"
		sed 's/^/# /' "$scratch/.doccheck/diff"
		failed=$((failed + 1))
		pending=""
	fi
}

# In a demo, the same calls show a transcript instead of TAP lines.
if [ -n "$demo" ]; then
	doc_cmd() {
		local cmd lines
		where=$1
		cmd=$(cat)
		[[ $cmd == make* ]] && return
		n=$((n + 1))
		printf '\n$ %s\n' "$cmd"
		bash -o pipefail -c "$cmd" >"$out" 2>&1 </dev/null
		ran=$?
		lines=$(wc -l <"$out")
		head -n 15 "$out" | cut -c 1-160
		[ "$lines" -le 15 ] || echo "[... $((lines - 15)) more lines]"
		if [ "$ran" -ne 0 ]; then
			echo "[$where: exit status $ran]"
			failed=$((failed + 1))
		fi
	}
	doc_expect() {
		local want="$scratch/.doccheck/want"
		cat >"$want"
		[ "$ran" -eq 0 ] || return
		if ! awk -f "$here/match.awk" "$want" "$out" >"$scratch/.doccheck/diff"; then
			echo "[$where: not what README.md shows:"
			sed 's/^/  /' "$scratch/.doccheck/diff"
			echo "]"
			failed=$((failed + 1))
		fi
	}
	doc_skip() {
		printf '\n[%s: not run here: %s]\n' "$1" "$(cat)"
	}
fi

script=$(cd "$src" && awk -f "$here/shell.awk" -f "$here/extract-md.awk" \
	README.md) || exit 1
eval "$script"
if [ -n "$demo" ]; then
	echo
	echo "make demo: $n commands of README.md, $failed failed; the files are in $scratch"
	[ "$failed" -eq 0 ]
	exit
fi
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
