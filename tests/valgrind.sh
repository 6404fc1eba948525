#!/bin/sh
# tests/valgrind.sh SIFT [BATS_FILE...]: the command tests with every sift
# run under valgrind's memcheck: an error, or a byte definitely lost,
# fails the run that made it (status 99, valgrind's report on stderr).
# make valgrind runs it over tests/cmd/*.bats; it takes a while. A test
# that needs the binary itself (to install it) skips when SIFT_VALGRIND
# is set.
set -u
here=$(cd "$(dirname "$0")" && pwd)
sift=${1:?usage: valgrind.sh SIFT [BATS_FILE...]}
shift
wrap=$(mktemp -d "${TMPDIR:-/tmp}/sift-vg.XXXXXX")
trap 'rm -rf "$wrap"' EXIT
cat >"$wrap/sift" <<WRAP
#!/bin/sh
exec valgrind -q --error-exitcode=99 --leak-check=full \\
	--errors-for-leak-kinds=definite --show-leak-kinds=definite \\
	--suppressions="$here/valgrind.supp" "$sift" "\$@"
WRAP
chmod +x "$wrap/sift"
[ $# -gt 0 ] || set -- "$here"/cmd/*.bats
SIFT="$wrap/sift" DATA="$here/data" SIFT_NO_JIT=1 SIFT_VALGRIND=1 bats --tap "$@"
