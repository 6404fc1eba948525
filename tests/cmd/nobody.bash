# tests/cmd/nobody.bash: running sift where file permissions bind, for
# output.bats and audit.bats. Root passes every permission check, so as
# root a command runs as the user nobody (setpriv); as anyone else it
# runs as it is.

# Skip the test unless a command can run where permissions bind, and
# make $P a directory of its own that such a command can reach (the
# tests' own directories are private to root); nobody_cleanup removes
# it.
need_nobody() {
	if [ "$(id -u)" -eq 0 ]; then
		command -v setpriv >/dev/null || skip "root, and no setpriv to drop to nobody"
		id nobody >/dev/null 2>&1 || skip "root, and no user nobody"
	fi
	as_nobody "$SIFT" --version >/dev/null 2>&1 || skip "nobody may not run $SIFT"
	P=$(mktemp -d -p /tmp)
	chmod 0755 "$P"
}

# Run a command as nobody (as root) or as it is.
as_nobody() {
	if [ "$(id -u)" -ne 0 ]; then
		"$@"
	else
		setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
	fi
}

# Give the files to the user that as_nobody runs as.
give_nobody() {
	[ "$(id -u)" -ne 0 ] || chown nobody "$@"
}

# For teardown: remove $P, whether or not the test got to its end.
nobody_cleanup() {
	[ -z "${P:-}" ] || rm -rf "$P"
}
