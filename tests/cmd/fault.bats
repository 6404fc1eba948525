#!/usr/bin/env bats
# Command tests under injected faults: a full disk as stdout, and the
# fault shim (tests/fault/fault.c, $FAULT_SO, loaded with LD_PRELOAD)
# making the n-th write, read, fsync, rename or malloc fail. Each run
# succeeds or exits 1 with one message naming the cause, and leaves no
# partial output. make fault walks every call of more commands.

bats_require_minimum_version 1.5.0

setup() {
	S="$SIFT"
	T="$BATS_TEST_TMPDIR"
	D="$DATA"
}

# Skip where the shim cannot load: not built (make test builds it), or
# a sanitized sift, whose runtime must come first among the libraries.
need_shim() {
	if [ -z "${FAULT_SO:-}" ] || [ ! -f "$FAULT_SO" ]; then
		skip "no fault shim (FAULT_SO; make test builds it)"
	fi
	if ldd "$S" 2>/dev/null | grep -q libasan; then
		skip "the shim cannot load beside the sanitizers"
	fi
}

# faulty SPEC CMD...: CMD with SIFT_FAULT=SPEC, in $T/run; its stdin a
# pipe from the file $feed if that is set.
faulty() {
	local spec=$1
	shift
	if [ -n "${feed:-}" ]; then
		faulty_run "$spec" "$@" < <(cat "$feed")
	else
		faulty_run "$spec" "$@"
	fi
}

faulty_run() {
	local spec=$1
	shift
	(cd "$T/run" && LD_PRELOAD=$FAULT_SO SIFT_FAULT=$spec "$@")
}

# calls KIND CMD...: how many calls of KIND a clean run of CMD makes.
calls() {
	local kind=$1
	shift
	SIFT_FAULT_COUNT=$T/count faulty "" "$@" >/dev/null 2>&1
	awk -v k="$kind" '$1 == k { print $2 }' "$T/count"
}

# walk KIND FROM TO CAUSE CMD...: CMD with its n-th call of KIND failing,
# for n from FROM to TO (in a fresh $T/run each time, a copy of $T/base
# if there is one): it succeeds, or it
# exits 1 with every line on stderr "sift ...: " and the last naming
# CAUSE (a regular expression). The first run that does not is shown.
walk() {
	local kind=$1 from=$2 to=$3 cause=$4 n status last
	shift 4
	for ((n = from; n <= to; n++)); do
		rm -rf "$T/run" && mkdir "$T/run"
		[ ! -d "$T/base" ] || cp -a "$T/base/." "$T/run/"
		status=0
		faulty "$kind:$n" "$@" >/dev/null 2>"$T/err" || status=$?
		[ "$status" = 0 ] && continue
		last=$(tail -n 1 "$T/err")
		if [ "$status" != 1 ] || grep -qv '^sift [a-z]*: ' "$T/err" ||
			! [[ $last =~ $cause ]]; then
			echo "SIFT_FAULT=$kind:$n: status $status"
			cat "$T/err"
			return 1
		fi
	done
}

@test "/dev/full as stdout: every command fails, No space left on device" {
	local model="$T/m.model" c
	"$S" train -q --label misinfo --text text -b 10 -e 1 --seed 1 \
		-o "$model" "$D/train/plain.csv" >/dev/null 2>&1
	while read -r c; do
		# shellcheck disable=SC2086 # each line is a command's words
		run --separate-stderr bash -c '"$@" >/dev/full' _ "$S" $c
		[ "$status" -eq 1 ] || false
		[[ "${stderr##*$'\n'}" == "sift"*": stdout: write error: No space left on device" ]] || false
	done <<EOF
sample -n 3 $D/small.csv
sample -m stratified --by month -n 4 --seed 1 $D/small.csv
label -r $D/label/small.rules $D/label/small.csv
audit $D/audit/small.csv
rebalance --by label --seed 1 $D/rebalance/classes.csv
train -q --label misinfo --text text -b 10 -e 1 --seed 1 -o $T/m2.model $D/train/plain.csv
predict -m $model $D/train/plain.csv
metrics --gold label --pred label $D/small.csv
--help
--version
sample --help
EOF
}

@test "the shim counts the calls of a run and fails the n-th" {
	need_shim
	mkdir "$T/run"
	[ "$(calls rename "$S" sample -n 3 --seed 1 -o out.csv "$D/small.csv")" = 1 ]
	rm "$T/run/out.csv"
	run --separate-stderr faulty rename:1 "$S" sample -n 3 -o out.csv "$D/small.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift sample: out.csv: Input/output error" ]
	run faulty rename:1:EXDEV "$S" sample -n 3 -o out.csv "$D/small.csv"
	[ "$output" = "sift sample: out.csv: Invalid cross-device link" ]
	[ -z "$(ls -A "$T/run")" ]
}

@test "audit --import: a store it created and could not fill is removed" {
	need_shim
	local spec
	for spec in write:1+ fsync:1 read:3; do
		rm -rf "$T/run" && mkdir "$T/run"
		run --separate-stderr faulty $spec "$S" audit -q --db s.db --import "$D/audit/small.csv"
		[ "$status" -eq 1 ] || false
		[[ "$stderr" == "sift audit: s.db: "* ]] || false
		[ -z "$(ls -A "$T/run")" ] || false
	done
}

@test "audit --import: a store error names the system's cause" {
	need_shim
	mkdir "$T/run"
	run --separate-stderr faulty read:3 "$S" audit -q --db s.db --import "$D/audit/small.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift audit: s.db: disk I/O error: Input/output error" ]
}

@test "audit --import: memory running out as a name is bound is out of memory" {
	need_shim
	local n
	mkdir "$T/base" "$T/run"
	"$S" audit -q --db "$T/base/s.db" --import "$D/audit/fleiss.csv"
	cp "$T/base/s.db" "$T/run/"
	n=$(calls malloc "$S" audit -q --db s.db --import "$D/audit/small.csv")
	# the last of the import's rows (make fault walks them all)
	walk malloc $((n - 50)) "$n" 'out of memory' \
		"$S" audit -q --db s.db --import "$D/audit/small.csv"
}

@test "-o FILE.gz: a failed write at the end of the stream names its cause" {
	need_shim
	mkdir "$T/run"
	run --separate-stderr faulty write:1 "$S" sample -n 3 -o out.csv.gz "$D/small.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift sample: out.csv.gz: write error: No space left on device" ]
	[ -z "$(ls -A "$T/run")" ]
}

@test "a sample spooled from stdin: memory running out as it is re-read" {
	need_shim
	mkdir "$T/run"
	feed=$D/small.csv
	n=$(calls malloc "$S" sample -m stratified --by month -n 4 --seed 1)
	walk malloc $((n - 12)) "$n" 'out of memory|Cannot allocate memory' \
		"$S" sample -m stratified --by month -n 4 --seed 1
}

@test "split, train: memory running out as the options are read is status 1" {
	need_shim
	mkdir "$T/run"
	walk malloc 1 3 '^sift split: out of memory$' \
		"$S" split -q -r 0.5,0.5 --seed 1 -o a.csv,b.csv "$D/small.csv"
	walk malloc 1 2 '^sift train: out of memory$' "$S" train -q \
		--label misinfo --text text -b 10 -e 1 --seed 1 -o m.model \
		"$D/train/plain.csv"
}

@test "train -o: memory running out as the model is compressed" {
	need_shim
	local n
	mkdir "$T/run"
	n=$(calls malloc "$S" train -q --label misinfo --text text -b 10 -e 1 \
		--seed 1 -o m.model "$D/train/plain.csv")
	walk malloc $((n - 12)) "$n" '^sift train: out of memory$' "$S" train \
		-q --label misinfo --text text -b 10 -e 1 --seed 1 -o m.model \
		"$D/train/plain.csv"
}

@test "label -r: memory or a read failing in the rules is status 1, one line" {
	need_shim
	local n
	mkdir "$T/run"
	# as its regular expressions are compiled (make fault walks all)
	walk malloc 25 35 'out of memory|Cannot allocate memory' \
		"$S" label -r "$D/label/small.rules" "$D/label/small.csv"
	n=$(calls read "$S" label -r "$D/label/small.rules" "$D/label/small.csv")
	walk read 1 "$n" 'Input/output error' \
		"$S" label -r "$D/label/small.rules" "$D/label/small.csv"
	run --separate-stderr faulty read:3 "$S" label -r "$D/label/small.rules" "$D/label/small.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift label: $D/label/words.txt: read error: Input/output error" ]
}
