#!/bin/sh
# tests/run.sh UNIT_TEST_BINARY... : run the unit tests (cmocka, TAP
# output), the command tests (bats, TAP output) and the documentation's
# commands (tests/doc), then print one line: "N passed, N failed".
# Exits 1 if anything failed.
#
# Environment: SIFT (the binary under test), BUILD (its build dir).
set -u
here=$(cd "$(dirname "$0")" && pwd)
log=${TMPDIR:-/tmp}/sift-tests.$$.log
: >"$log"
status=0

for t in "$@"; do
	echo "# $t" >>"$log"
	CMOCKA_MESSAGE_OUTPUT=TAP "$t" >>"$log" 2>&1 || status=1
done

# Checks that can never fail are defects: shellcheck (SC2314: a bare !)
# and tests/lint-bats.awk (&& between checks, checks in loops) over the
# command tests, one TAP line each.
if command -v shellcheck >/dev/null 2>&1; then
	if shellcheck -s bash -e SC2154,SC2086,SC1003,SC2016 -f gcc \
		"$here"/cmd/*.bats >"$log.sc" 2>&1; then
		echo "ok - shellcheck tests/cmd/*.bats" >>"$log"
	else
		echo "not ok - shellcheck tests/cmd/*.bats" >>"$log"
		sed 's/^/# /' "$log.sc" >>"$log"
		status=1
	fi
	rm -f "$log.sc"
else
	echo "not ok - shellcheck is not installed (make deps installs it)" >>"$log"
	status=1
fi
if awk -f "$here/lint-bats.awk" "$here"/cmd/*.bats >"$log.lint" 2>&1; then
	echo "ok - tests/lint-bats.awk: every check of tests/cmd can fail" >>"$log"
else
	echo "not ok - tests/lint-bats.awk: checks that cannot fail" >>"$log"
	sed 's/^/# /' "$log.lint" >>"$log"
	status=1
fi
rm -f "$log.lint"

if command -v bats >/dev/null 2>&1; then
	SIFT=${SIFT:?SIFT must name the sift binary} DATA="$here/data" \
		bats --tap "$here"/cmd/*.bats >>"$log" 2>&1 || status=1
else
	echo "not ok 1 - bats is not installed (make deps installs it)" >>"$log"
	status=1
fi

# The commands of README.md and of the manual pages' EXAMPLES, run as
# written (tests/doc/doccheck.sh, about 45 s): one TAP line, and the
# failing commands with their diagnostics. Skipped for the sanitizer
# build (build/san), where the tour of 1,000,000 tweets is too slow.
doc="tests/doc/doccheck.sh: README.md and the manual pages run as shown"
if [ "${BUILD:-}" = build/san ]; then
	echo "ok - $doc # skip under the sanitizers (too slow)" >>"$log"
elif "$here/doc/doccheck.sh" "$here/.." >"$log.doc" 2>&1; then
	echo "ok - $doc" >>"$log"
else
	echo "not ok - $doc" >>"$log"
	grep -v -e '^ok' -e '^1\.\.' "$log.doc" | sed 's/^/# /' >>"$log"
	status=1
fi
rm -f "$log.doc"

# Show failures with their diagnostics; passing tests stay quiet.
awk '
	/^not ok/ { shown = 1; print; next }
	/^ok/ { shown = 0 }
	shown && /^#/ { print }
' "$log"
passed=$(grep -c '^ok' "$log")
failed=$(grep -c '^not ok' "$log")
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
	# A test binary crashed before it could report: show its output.
	tail -n 30 "$log"
	failed=1
fi
rm -f "$log"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
