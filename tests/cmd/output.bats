#!/usr/bin/env bats
# Command tests of -o FILE under faults: the output appears whole or not
# at all, its temporary is private until then, and what a killed run
# left beside FILE is removed by the next run that writes FILE.

bats_require_minimum_version 1.5.0

setup() {
	S="$SIFT"
	T="$BATS_TEST_TMPDIR"
	printf 'id,text\n1,a\n2,b\n' >"$T/in.csv"
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
