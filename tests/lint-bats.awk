# tests/lint-bats.awk FILE.bats...: assertions that bats cannot see fail.
#
# With set -e as bats runs a test, a command that fails mid-test fails
# it, except: the left side of && (so `[ a ] && [ b ]` checks nothing
# when a is false), a command negated with ! (use `run ! cmd`), and in
# a loop anything but the last pass's last command, unless it ends in
# `|| false`. Each such line is printed as FILE:LINE: what; the exit
# status is 1 if there is any. Shellcheck's SC2314 finds the ! case too;
# this finds the others, which it does not.

function report(what) {
	printf "%s:%d: %s\n    %s\n", FILENAME, FNR, what, $0
	bad = 1
}

# A line that asserts: a test, a comparison of files, a grep -q.
function asserts(s) {
	return s ~ /^[ \t]*(\[|\[\[|test |cmp |diff |grep -q)/ ||
	       s ~ /\| *(grep -q|cmp |diff )/
}

# How often the shell word w stands in s (outside quotes, roughly).
function words(s, w,    n, t) {
	gsub(/"[^"]*"|'[^']*'/, "", s)
	n = 0
	t = " " s " "
	while (match(t, "[ \t;]" w "[ \t;<>|]")) {
		n++
		t = substr(t, RSTART + RLENGTH - 1)
	}
	return n
}

/^@test / { in_test = 1; depth = 0; next }
in_test && /^}/ { in_test = 0; next }
!in_test { next }
{
	line = $0
	sub(/[ \t]+#.*$/, "", line) # a trailing comment
}
line ~ /^[ \t]*#/ { next }
line ~ /^[ \t]*! / { report("a bare ! never fails the test: use run ! CMD") }
line ~ /(\]|\]\]) && / && asserts(line) {
	report("the left side of && never fails the test: one [ ] a line")
}
{
	# a loop opened and closed on one line checks after its done
	after = depth + words(line, "do") - words(line, "done")
	inside = depth > 0 || after > depth
	depth = after < 0 ? 0 : after
}
inside && asserts(line) && line !~ /\|\| *(false|\{|exit|return)/ {
	report("in a loop only the last pass counts: end the check in || false")
}

END { exit bad }
