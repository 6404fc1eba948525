#!/usr/bin/env bats
# Command tests of -o FILE under faults: the output appears whole or not
# at all, its temporary is private until then, and what a killed run
# left beside FILE is removed by the next run that writes FILE.

bats_require_minimum_version 1.5.0
load nobody

setup() {
	S="$SIFT"
	T="$BATS_TEST_TMPDIR"
	printf 'id,text\n1,a\n2,b\n' >"$T/in.csv"
}

teardown() {
	nobody_cleanup
}

# The temporaries beside $T/out.csv, one a line.
temporaries() {
	find "$T" -maxdepth 1 -name '.out.csv.*' -printf '%f\n' | sort
}

# Start `sift sample -p 1 -o $T/out.csv` reading the FIFO $T/fifo, with
# the header and records written to it (more than the scanner's block of
# 64 bytes, which it waits for) and the FIFO held open on fd 7; its pid
# in $pid once its temporary exists.
start_writer() {
	mkfifo "$T/fifo"
	"$S" sample -p 1 -q -o "$T/out.csv" <"$T/fifo" 3>&- &
	pid=$!
	exec 7>"$T/fifo"
	printf 'id,text\n' >&7
	seq 100 | sed 's/$/,a/' >&7
	for _ in $(seq 100); do
		[ -n "$(temporaries)" ] && break
		sleep 0.05
	done
}

@test "-o: a temporary of a run that is gone is removed, a live one's kept" {
	touch "$T/.out.csv.999999999.AbCdEf" "$T/.out.csv.$$.XyZ123"
	touch "$T/.out.csv.keep" "$T/.other.csv.999999999.AbCdEf"
	run --separate-stderr "$S" sample -p 1 -o "$T/out.csv" "$T/in.csv"
	[ "$status" -eq 0 ]
	[ "$(cat "$T/out.csv")" = "$(cat "$T/in.csv")" ]
	[ ! -e "$T/.out.csv.999999999.AbCdEf" ]
	# a live process's (this shell's), and names not of the pattern
	[ -e "$T/.out.csv.$$.XyZ123" ]
	[ -e "$T/.out.csv.keep" ]
	[ -e "$T/.other.csv.999999999.AbCdEf" ]
}

@test "-o: killed mid-run, no FILE; the next run removes what it left" {
	start_writer
	[ -n "$(temporaries)" ]
	# private while it is written
	[ "$(stat -c %a "$T/$(temporaries)")" = 600 ]
	kill -9 "$pid"
	wait "$pid" || true
	exec 7>&-
	[ ! -e "$T/out.csv" ]
	[ "$(temporaries | wc -l)" -eq 1 ]
	run --separate-stderr "$S" sample -p 1 -o "$T/out.csv" "$T/in.csv"
	[ "$status" -eq 0 ]
	[ -z "$(temporaries)" ]
	[ "$(cat "$T/out.csv")" = "$(cat "$T/in.csv")" ]
	# the mode the umask gives, once whole
	[ "$(stat -c %a "$T/out.csv")" = "$(printf '%o' $((0666 & ~$(umask))))" ]
}

@test "-o: killed mid-run over an older FILE, the older FILE stays whole" {
	printf 'old\n' >"$T/out.csv"
	start_writer
	kill -9 "$pid"
	wait "$pid" || true
	exec 7>&-
	[ "$(cat "$T/out.csv")" = "old" ]
}

@test "-o: an error mid-run leaves neither FILE nor a temporary" {
	printf 'id,text\n1,a\n2,"b\n' >"$T/bad.csv"
	run --separate-stderr "$S" sample -p 1 -o "$T/out.csv" "$T/bad.csv"
	[ "$status" -eq 1 ]
	[ ! -e "$T/out.csv" ]
	[ -z "$(temporaries)" ]
}

@test "-o through a symbolic link replaces the file it leads to, keeps the link" {
	printf 'old\n' >"$T/real.csv"
	chmod 0640 "$T/real.csv"
	mkdir "$T/sub"
	ln -s ../real.csv "$T/sub/link.csv"
	ln -s sub/link.csv "$T/link2.csv"
	inode=$(stat -c %i "$T/real.csv")
	run --separate-stderr "$S" sample -p 1 -o "$T/link2.csv" "$T/in.csv"
	[ "$status" -eq 0 ]
	# replaced by a rename, not written in place
	[ "$(stat -c %i "$T/real.csv")" != "$inode" ]
	[ -L "$T/link2.csv" ]
	[ -L "$T/sub/link.csv" ]
	[ "$(cat "$T/real.csv")" = "$(cat "$T/in.csv")" ]
	# a file replaced keeps its permissions
	[ "$(stat -c %a "$T/real.csv")" = 640 ]
	printf 'r: text ~ /a/ -> x\n' >"$T/r.rules"
	run --separate-stderr "$S" label -r "$T/r.rules" -o "$T/sub/link.csv" "$T/in.csv"
	[ "$status" -eq 0 ]
	[ -L "$T/sub/link.csv" ]
	[ "$(sed -n 2p "$T/real.csv")" = "1,a,x" ]
	[ -z "$(find "$T" -name '.real.csv.*')" ]
}

@test "-o onto a dangling link, a directory, a symlink loop: status 1, nothing written" {
	ln -s nowhere.csv "$T/dangling.csv"
	run --separate-stderr "$S" sample -p 1 -o "$T/dangling.csv" "$T/in.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift sample: $T/dangling.csv: not writing through a dangling symbolic link (to $T/nowhere.csv)" ]
	[ ! -e "$T/nowhere.csv" ]
	mkdir "$T/dir"
	for cmd in "sample -p 1 -o $T/dir" "split -r 0.5,0.5 -o $T/dir,$T/b.csv"; do
		# shellcheck disable=SC2086
		run --separate-stderr "$S" $cmd "$T/in.csv"
		[ "$status" -eq 1 ] || false
		[ "$stderr" = "sift ${cmd%% *}: $T/dir: is a directory" ] || false
	done
	# commands that write once the input is read fail before reading it
	run --separate-stderr "$S" train --text text --label id -o "$T/dir/" "$T/in.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift train: $T/dir/: is a directory" ]
	run --separate-stderr "$S" metrics --gold id --pred id --plot "$T/dir" "$T/in.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift metrics: $T/dir: is a directory" ]
	run --separate-stderr "$S" audit --item id --annotator text --label text -o "$T/dangling.csv" "$T/in.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift audit: $T/dangling.csv: not writing through a dangling symbolic link (to $T/nowhere.csv)" ]
	ln -s loop1 "$T/loop2"
	ln -s loop2 "$T/loop1"
	run --separate-stderr "$S" sample -p 1 -o "$T/loop1" "$T/in.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift sample: $T/loop1: cannot open: Too many levels of symbolic links" ]
	[ -z "$(find "$T" -name '.*.[0-9]*')" ]
	[ -z "$(ls -A "$T/dir")" ]
}

@test "-o onto a FIFO, /dev/null, /dev/stdout, /dev/fd/N: written in place, never replaced" {
	mkfifo "$T/fifo"
	cat "$T/fifo" >"$T/from-fifo" &
	run --separate-stderr "$S" sample -p 1 -o "$T/fifo" "$T/in.csv"
	wait
	[ "$status" -eq 0 ]
	[ -p "$T/fifo" ]
	[ "$(cat "$T/from-fifo")" = "$(cat "$T/in.csv")" ]
	"$S" sample -p 1 -o /dev/null "$T/in.csv"
	[ -c /dev/null ]
	[ "$("$S" sample -p 1 -o /dev/stdout "$T/in.csv" | cat)" = "$(cat "$T/in.csv")" ]
	# a descriptor open for appending is appended to, through a name of
	# it or a link to one, and no file is renamed over the link
	printf 'first\n' >"$T/log"
	"$S" sample -p 1 -o /dev/fd/3 "$T/in.csv" 3>>"$T/log"
	ln -s /proc/self/fd/1 "$T/stdout-link"
	"$S" sample -p 1 -o "$T/stdout-link" "$T/in.csv" >>"$T/log"
	[ -L "$T/stdout-link" ]
	[ "$(cat "$T/log")" = "$(printf 'first\n'; cat "$T/in.csv" "$T/in.csv")" ]
	run --separate-stderr "$S" sample -p 1 -o /dev/fd/9 "$T/in.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift sample: /dev/fd/9: cannot open: Bad file descriptor" ]
}

@test "-o where no file may be written: status 1 naming the path and the cause" {
	need_nobody
	cp "$T/in.csv" "$P/in.csv"
	mkdir "$P/closed" "$P/open"
	printf 'old\n' >"$P/open/kept.csv"
	chmod 0555 "$P/closed"
	chmod 0444 "$P/open/kept.csv"
	give_nobody "$P/open" "$P/open/kept.csv"
	run --separate-stderr as_nobody "$S" sample -p 1 -o "$P/closed/out.csv" "$P/in.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift sample: $P/closed/out.csv: cannot create: Permission denied" ]
	# the same before any work, where the output is written at the end
	run --separate-stderr as_nobody "$S" train --text text --label id -o "$P/closed/m.model" "$P/in.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift train: $P/closed/m.model: cannot create: Permission denied" ]
	# the directory would allow the rename; the file itself does not
	run --separate-stderr as_nobody "$S" sample -p 1 -o "$P/open/kept.csv" "$P/in.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift sample: $P/open/kept.csv: cannot write: Permission denied" ]
	[ "$(cat "$P/open/kept.csv")" = "old" ]
	[ -z "$(ls -A "$P/closed")" ]
	[ "$(ls -A "$P/open")" = "kept.csv" ]
}

@test "-o naming the input: read to its end before it is replaced, every kind of run" {
	seq 1000 | awk 'BEGIN { print "id,g,text" } { print $1 "," $1 % 3 ",t" $1 }' >"$T/big.csv"
	printf 'r: text ~ /1/ -> one\n' >"$T/r.rules"
	while read -r name args; do
		cp "$T/big.csv" "$T/self.csv"
		# shellcheck disable=SC2086
		"$S" $args -o "$T/want.csv" "$T/big.csv" 2>/dev/null
		# shellcheck disable=SC2086
		"$S" $args -o "$T/self.csv" "$T/self.csv" 2>/dev/null
		cmp "$T/want.csv" "$T/self.csv" || { echo "$name differs"; false; }
	done <<-EOF
		uniform sample -n 10 --seed 1
		stratified sample --by g -n 30 --seed 1
		label label -r $T/r.rules
		rebalance rebalance --by g -m under --seed 1
	EOF
	# both outputs of split, one of them the input
	cp "$T/big.csv" "$T/self.csv"
	"$S" split -r 0.5,0.5 --seed 1 -q -o "$T/a.csv,$T/b.csv" "$T/big.csv"
	"$S" split -r 0.5,0.5 --seed 1 -q -o "$T/self.csv,$T/b2.csv" "$T/self.csv"
	cmp "$T/a.csv" "$T/self.csv"
	cmp "$T/b.csv" "$T/b2.csv"
}

@test "SIGTERM, SIGINT, SIGHUP during -o: no FILE, no temporary, the signal's status" {
	for sig in TERM INT HUP; do
		set -m # a background job of a shell without it ignores SIGINT
		start_writer
		set +m
		[ -n "$(temporaries)" ] || false
		kill -s "$sig" "$pid"
		st=0
		wait "$pid" || st=$?
		exec 7>&-
		rm "$T/fifo"
		[ "$st" -eq $((128 + $(kill -l "$sig"))) ] || false
		[ -z "$(temporaries)" ] || false
		[ ! -e "$T/out.csv" ] || false
	done
}

@test "a signal ignored on entry stays ignored (nohup)" {
	start_writer
	kill -s INT "$pid"
	printf '1000,end\n' >&7
	exec 7>&-
	wait "$pid"
	[ "$(tail -1 "$T/out.csv")" = "1000,end" ]
}

@test "kill -9 at 20 moments during -o: FILE is the old one or the whole new one" {
	seq 200000 | awk 'BEGIN { print "id,text" } { print $1 ",some text " $1 }' >"$T/big.csv"
	printf 'old\n' >"$T/out.csv"
	printf 'r: text ~ /7/ -> seven\n' >"$T/r.rules"
	"$S" sample -p 1 -q -o "$T/want-sample.csv" "$T/big.csv"
	"$S" label -r "$T/r.rules" -q -o "$T/want-label.csv" "$T/big.csv"
	RANDOM=14
	for i in $(seq 20); do
		if [ $((i % 2)) -eq 0 ]; then
			cmd=(sample -p 1) want="$T/want-sample.csv"
		else
			cmd=(label -r "$T/r.rules") want="$T/want-label.csv"
		fi
		"$S" "${cmd[@]}" -q -o "$T/out.csv" "$T/big.csv" &
		sleep "0.0$((RANDOM % 10))$((RANDOM % 10))"
		kill -9 $! 2>/dev/null || true
		wait $! || true
		if [ "$(head -c 4 "$T/out.csv")" = "old" ]; then
			[ "$(cat "$T/out.csv")" = "old" ] || false
		else
			cmp "$T/out.csv" "$want" || false
			printf 'old\n' >"$T/out.csv"
		fi
	done
	# what the killed runs left, the next run removes
	"$S" sample -p 1 -q -o "$T/out.csv" "$T/in.csv"
	[ -z "$(temporaries)" ]
}

@test "sift sample | head -1: a quiet end, status 0" {
	seq 200000 | awk 'BEGIN { print "id,text" } { print $1 ",t" }' >"$T/big.csv"
	run --separate-stderr bash -c "set -o pipefail; '$S' sample -p 1 '$T/big.csv' | head -1"
	[ "$status" -eq 0 ]
	[ "$output" = "id,text" ]
	[ -z "$stderr" ]
}

@test "the stratified spool of stdin: unlinked while it is written, nothing left after kill -9" {
	mkdir "$T/tmp"
	mkfifo "$T/fifo"
	TMPDIR="$T/tmp" "$S" sample --by text -n 5 -q <"$T/fifo" >/dev/null 3>&- &
	pid=$!
	exec 7>"$T/fifo"
	printf 'id,text\n' >&7
	seq 10000 | sed 's/$/,a/' >&7
	spool=
	for _ in $(seq 100); do
		spool=$(find "/proc/$pid/fd" -lname "$T/tmp/sift-spool-* (deleted)" | head -1)
		if [ -n "$spool" ]; then break; fi
		sleep 0.05
	done
	[ -n "$spool" ]
	[ -z "$(ls -A "$T/tmp")" ]
	kill -9 "$pid"
	wait "$pid" || true
	exec 7>&-
	[ -z "$(ls -A "$T/tmp")" ]
}
