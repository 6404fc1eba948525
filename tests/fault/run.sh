#!/bin/bash
# tests/fault/run.sh SIFT FAULT_SO [CASE...]: the fault loops (make fault).
#
# For each case (a command of sift on a small input, below), a clean run
# counts the calls it makes of each kind (write, read, fsync, rename,
# malloc; see tests/fault/fault.c), then for every n up to FAULT_MAX
# (and past it a spread of FAULT_SPREAD more) the case runs again with
# its n-th call of that kind failing; write and fsync also with every
# call from the n-th failing, a disk that stays full. Each run must
# either
#   - succeed (status 0) with the clean run's output, or
#   - fail with status 1, every line on stderr "sift CMD: ..." and the
#     last, the message, naming the cause ("No space left on device",
#     "Input/output error", "out of memory", ...); every output file its
#     previous version or the new one whole (a split may have renamed
#     some of its files when a later one fails), nothing else left in
#     its directory or in $TMPDIR, and a store that passes pragma
#     integrity_check and holds all of the import or none of it.
# Anything else (a crash, a wrong output with status 0, a temporary
# left) is printed with the command to repeat it, and the exit status
# is 1. CASE... runs only the cases named; FAULT_KINDS (default "write
# read fsync rename malloc") the kinds named.
#
# Adding a case: a function case_NAME that runs the command with `sift`
# (the shell function below, which loads the shim) in the current
# directory, and a line in the table CASES: NAME, the files it writes
# (each made beforehand as a previous version, "-" for none), and the
# store it imports into, if any.
set -u
SIFT=${1:?usage: run.sh SIFT FAULT_SO [CASE...]}
SO=${2:?usage: run.sh SIFT FAULT_SO [CASE...]}
shift 2
here=$(cd "$(dirname "$0")" && pwd)
D=$here/../data
MAX=${FAULT_MAX:-150}
SPREAD=${FAULT_SPREAD:-50}
KINDS=${FAULT_KINDS:-write read fsync rename malloc}
work=$(mktemp -d "${TMPDIR:-/tmp}/sift-fault.XXXXXX")
trap 'rm -rf "$work"' EXIT

# NAME OUTPUTS STORE
CASES="
stdout      -               -
sample_n    out.csv         -
sample_gz   out.csv.gz      -
sample_by   out.csv         -
spool       out.csv         -
label       out.csv         -
label_big   out.csv         -
train       m.model         -
audit_new   -               s.db
audit_add   -               s.db
split_o     a.csv,b.csv     -
split_pre   p-train.csv,p-test.csv -
clean_pipe  out.csv         -
"

# sift ARGS: the binary under test with the shim and the fault of the run.
sift() {
	LD_PRELOAD=$SO SIFT_FAULT=$fault SIFT_FAULT_COUNT=$count \
		TMPDIR=$PWD/tmp "$SIFT" "$@"
}

case_stdout() { sift sample -n 5 --seed 1 "$D/small.csv"; }
case_sample_n() { sift sample -n 5 --seed 1 -o out.csv "$D/small.csv"; }
case_sample_gz() { sift sample -n 5 --seed 1 -o out.csv.gz "$D/small.csv"; }
case_sample_by() {
	sift sample -m stratified --by month -n 4 --seed 1 -o out.csv \
		"$D/small.csv"
}
# From a pipe: the stratified sample spools its input to $TMPDIR.
case_spool() {
	sift sample -m stratified --by month -n 4 --seed 1 -o out.csv \
		< <(cat "$D/small.csv")
}
case_label() {
	sift label -q -r "$D/label/small.rules" -o out.csv "$D/label/small.csv"
}
# Past a MiB of input, the reader's read-ahead thread reads it, and the
# output takes several writes.
case_label_big() {
	sift label -q -r "$D/label/small.rules" -o out.csv "$work/big.csv"
}
case_train() {
	sift train -q --label misinfo --text text -b 12 -e 2 --seed 1 \
		-o m.model "$D/train/plain.csv"
}
case_audit_new() { sift audit -q --db s.db --import "$D/audit/small.csv"; }
case_audit_add() { case_audit_new; }
case_split_o() {
	sift split -q -r 0.5,0.5 --seed 1 -o a.csv,b.csv "$D/small.csv"
}
case_split_pre() {
	sift split -q -r 0.5,0.5 --seed 1 --prefix p "$D/small.csv"
}
# sift clean spools its input from a pipe and the scores to $TMPDIR,
# and reads the spool twice.
case_clean_pipe() {
	sift clean -q -o out.csv < <(cat "$D/clean/three.csv")
}

# One case's loop, in a worker of its own (a subshell): its runs in
# $work/NAME/, its report in $work/NAME.log, "RUNS DEFECTS" in
# $work/NAME.sum.
runs=0
defects=0
defect() { # SPEC WHAT
	defects=$((defects + 1))
	printf 'make fault: %s with SIFT_FAULT=%s: %s\n' "$name" "$1" "$2"
	printf '    repeat: cd DIR && SIFT_FAULT=%s LD_PRELOAD=%s %s\n' \
		"$1" "$SO" "$(declare -f "case_$name" | sed -n '3{s/^ *//;p}')"
	sed 's/^/    stderr: /' "$dir.err" | head -5
}

# The run in $dir against the clean run in $ref (no process started
# where the shell can do without: there are thousands of runs).
check() { # SPEC KIND STATUS
	local spec=$1 kind=$2 status=$3 f n line
	local -a errs left
	local -A known=([tmp]=1)
	if [ "$status" = 0 ]; then
		cmp -s "$dir.out" "$ref.out" ||
			defect "$spec" "status 0, other output on stdout"
		for f in "${outs[@]}"; do
			cmp -s "$dir/$f" "$ref/$f" ||
				defect "$spec" "status 0, $f differs"
		done
		if [ "$store" != - ]; then
			n=$(rows "$dir/$store")
			[ "$n" = "$ref_rows" ] ||
				defect "$spec" "status 0 with $n rows, not $ref_rows"
		fi
		return
	fi
	if [ "$status" != 1 ]; then
		defect "$spec" "status $status"
		return
	fi
	# The message is the last line; the lines before it are notes of
	# the run before it failed, each a line of its own too.
	mapfile -t errs <"$dir.err"
	for line in "${errs[@]}"; do
		[[ $line == "sift $cmd: "* ]] || {
			defect "$spec" "a line on stderr is not 'sift $cmd: ...'"
			break
		}
	done
	[[ ${errs[${#errs[@]}-1]-} =~ ^sift\ $cmd:\ .*(${causes[$kind]}) ]] ||
		defect "$spec" "the message names no cause"
	# Each output is its previous version or the new one whole (a split
	# may have renamed some of its outputs when a later one failed).
	for f in "${outs[@]}"; do
		known[$f]=1
		line=
		[ -f "$dir/$f" ] && read -r line <"$dir/$f"
		[ "$line" = "previous version" ] || cmp -s "$dir/$f" "$ref/$f" ||
			defect "$spec" "$f is neither its old version nor the new"
	done
	if [ "$store" != - ]; then
		# SQLite's own files beside a store, that the next open
		# replays, may stay after a failure.
		known[$store]=1 known[$store-wal]=1 known[$store-shm]=1
		known[$store-journal]=1
		if [ -f "$dir/$store" ]; then
			mapfile -t errs < <(sqlite3 "$dir/$store" \
				'pragma integrity_check' \
				'select count(*) from annotations' 2>&1)
			[ "${errs[0]-}" = ok ] ||
				defect "$spec" "the store: ${errs[*]}"
			n=${errs[1]-}
		else
			n=
		fi
		[ "$n" = "$base_rows" ] || [ "$n" = "$ref_rows" ] ||
			defect "$spec" "the store holds $n rows: part of the import"
	fi
	left=("$dir"/*)
	for f in "${left[@]}"; do
		[ -n "${known[${f##*/}]-}" ] ||
			defect "$spec" "${f##*/} is left behind"
	done
	left=("$dir"/tmp/*)
	[ "${#left[@]}" = 0 ] ||
		defect "$spec" "left in TMPDIR: ${left[*]##*/}"
}

one() { # SPEC KIND
	local status
	rm -rf "$dir" && mkdir "$dir"
	prepare "$dir"
	fault=$1
	cd "$dir" || return
	"case_$name" >"$dir.out" 2>"$dir.err"
	status=$?
	cd "$work" || return
	runs=$((runs + 1))
	check "$1" "$2" "$status"
}

# The n to try for a kind of c calls: all up to MAX, then a spread.
points() { # C
	local c=$1 n step
	if [ "$c" -le "$MAX" ]; then
		seq 1 "$c"
		return
	fi
	seq 1 "$MAX"
	step=$(((c - MAX) / SPREAD + 1))
	for ((n = MAX + step; n < c; n += step)); do echo "$n"; done
	echo "$c"
}

# The state a run starts from: previous versions of its outputs, and
# for audit_add a store holding another import.
prepare() { # DIR
	local f
	mkdir -p "$1/tmp"
	for f in "${outs[@]}"; do
		printf 'previous version\n' >"$1/$f"
	done
	[ "$name" != audit_add ] || cp "$work/base.db" "$1/s.db"
}

rows() { # DB: its number of annotations, or "" if there is no store
	[ -f "$1" ] || return 0
	sqlite3 "$1" 'select count(*) from annotations' 2>&1
}

# The words that name the cause of a kind's failure.
declare -A causes=(
	[write]='No space left on device|database or disk is full'
	# SQLite takes a read failing with EIO for a corrupt file system.
	[read]='Input/output error|disk I/O error|or a corrupt one'
	[fsync]='Input/output error|disk I/O error'
	[rename]='Input/output error'
	[malloc]='out of memory|Cannot allocate memory'
)

loop() { # NAME OUTPUTS STORE
	local kind c n counts line
	name=$1 store=$3
	outs=()
	[ "$2" = - ] || IFS=, read -r -a outs <<<"$2"
	cmd=${name%%_*}
	case $cmd in stdout | spool) cmd=sample ;; esac
	ref=$work/$name.ref dir=$work/$name.run
	mkdir -p "$ref"
	prepare "$ref"
	fault=''
	count=$work/$name.count
	(cd "$ref" && "case_$name" >"$ref.out" 2>"$ref.err") || {
		echo "make fault: $name fails without a fault:"
		cat "$ref.err"
		echo "0 1" >"$work/$name.sum"
		return
	}
	counts=$(cat "$count")
	count=
	base_rows=''
	ref_rows=''
	[ "$store" = - ] || ref_rows=$(rows "$ref/$store")
	[ "$name" != audit_add ] || base_rows=$(rows "$work/base.db")
	line="make fault: $name:"
	cd "$work" || return
	for kind in $KINDS; do
		c=$(awk -v k="$kind" '$1 == k { print $2 }' <<<"$counts")
		line="$line $kind $c"
		for n in $(points "$c"); do
			one "$kind:$n" "$kind"
			# A disk that stays full: every write from the n-th on.
			case $kind in write | fsync)
				[ "$n" = "$c" ] || one "$kind:$n+" "$kind" ;;
			esac
		done
	done
	echo "$line; $runs runs"
	echo "$runs $defects" >"$work/$name.sum"
}

# A store holding another import, for audit_add; the big input.
"$SIFT" audit -q --db "$work/base.db" --import "$D/audit/fleiss.csv" ||
	exit 1
{
	cat "$D/train/tweets.csv"
	for _ in 1 2 3; do tail -n +2 "$D/train/tweets.csv"; done
} >"$work/big.csv"

shopt -s nullglob dotglob
names=()
while read -r name outs store; do
	[ -n "$name" ] || continue
	if [ $# -gt 0 ] && ! printf '%s\n' "$@" | grep -qx "$name"; then
		continue
	fi
	names+=("$name")
	# FAULT_JOBS loops at once.
	while [ "$(jobs -rp | wc -l)" -ge "${FAULT_JOBS:-2}" ]; do wait -n; done
	loop "$name" "$outs" "$store" >"$work/$name.log" 2>&1 &
done <<<"$CASES"
wait
total_runs=0 total_defects=0
for name in "${names[@]}"; do
	cat "$work/$name.log"
	read -r r d <"$work/$name.sum" || { r=0 d=1; }
	total_runs=$((total_runs + r)) total_defects=$((total_defects + d))
done
echo "make fault: $total_runs runs, $total_defects defects"
[ "$total_defects" = 0 ]
