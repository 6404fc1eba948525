#!/usr/bin/env bats
# Command tests of sampling across shards as README.md and
# sift-sample(1) (ACROSS MACHINES) tell it: sift split --chunks, GNU
# parallel running sift sample --partial on every shard, sift sample
# --merge --expect-records; on a corpus whose quoted fields hold line
# breaks, and with shards that fail.

bats_require_minimum_version 1.5.0

setup() {
	S="$SIFT"
	T="$BATS_TEST_TMPDIR"
	command -v parallel >/dev/null || skip "GNU parallel is not installed"
	gen="$BATS_TEST_DIRNAME/../../examples/tweets/gen-tweets"
	[ -x "$gen" ] || skip "gen-tweets is not built"
	# 1.2% of the tweets hold a line break (some a CRLF) in their text
	"$gen" -n 4000 -s 5 >"$T/tweets.csv"
	cd "$T" || return
}

# The records of a CSV on stdin (after its header), and the sum of its
# last field: quoted line breaks are counted by their quotes.
count_and_sum() {
	awk 'NR == 1 { next } { q += gsub(/"/, "&") }
		q % 2 == 0 { n = split($0, f, ","); s += f[n]; q = 0; r++ }
		END { printf "%d %.6f\n", r, s }'
}

# The recipe, as documented (the shell's status is the pipeline's).
recipe() {
	bash -c "set -o pipefail
		parallel --will-cite --halt now,fail=1 -j 2 \
			'$S' sample $1 --partial --seed 7 ::: shard-*.csv.gz \
			| '$S' sample --merge --expect-records $2 --emit-weight weight -o sample.csv"
}

@test "the recipe: no record lost, the weights add up to the input" {
	[ "$(grep -c '' tweets.csv)" -gt 4000 ] # lines: more than records
	run --separate-stderr "$S" split --chunks 4 -o 'shard-%03d.csv.gz' tweets.csv
	[ "$status" -eq 0 ]
	[ "${stderr_lines[4]}" = "sift split: 4000 records in 4 shards (contiguous ranges of the file)" ]
	# every record is in a shard, whole
	for f in shard-*.csv.gz; do gzip -dc "$f" | tail -n +2; done | cat <(head -n 1 tweets.csv) - | cmp - tweets.csv
	run --separate-stderr recipe "-n 200" 4000
	[ "$status" -eq 0 ]
	[ "$stderr" = "sift sample: merged 4 partials: kept 200 of 4000 records" ]
	[ "$(count_and_sum <sample.csv)" = "200 4000.000000" ]
	# stratified: every stratum's weights add up to its size
	run --separate-stderr recipe "--by misinfo -n 200 --min-per-stratum 20" 4000
	[ "$status" -eq 0 ]
	[ "$(count_and_sum <sample.csv)" = "200 4000.000000" ]
}

@test "the recipe from a stream: round robin shards, the same total" {
	gzip -c tweets.csv | "$S" split --chunks 3 -q -o 'shard-%03d.csv.gz'
	run --separate-stderr recipe "-n 150" 4000
	[ "$status" -eq 0 ]
	[ "$(count_and_sum <sample.csv)" = "150 4000.000000" ]
}

@test "--expect-records fails the recipe when the count is wrong" {
	"$S" split --chunks 4 -q -o 'shard-%03d.csv.gz' tweets.csv
	run --separate-stderr recipe "-n 200" 4001
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift sample: --expect-records 4001: the 4 partials hold 4000 records (a shard is missing)" ]
	[ ! -e sample.csv ]
	# a shard left out
	rm shard-002.csv.gz
	run --separate-stderr recipe "-n 200" 4000
	[ "$status" -eq 1 ]
	[[ "$stderr" == "sift sample: --expect-records 4000: the 3 partials hold "*" records (a shard is missing)" ]]
	[ ! -e sample.csv ]
}

@test "a shard that fails fails the pipeline, and writes no sample" {
	"$S" split --chunks 4 -q -o 'shard-%03d.csv.gz' tweets.csv
	{ gzip -dc shard-003.csv.gz; printf '9999,"never closed\n'; } | gzip >bad.gz
	mv bad.gz shard-003.csv.gz
	run --separate-stderr recipe "-n 200" 4000
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"sift sample: shard-003.csv.gz:"*": unterminated quoted field (it runs to the end of the input)"* ]]
	[ ! -e sample.csv ]
}

@test "a shard killed mid-way, or cut short with status 0, fails the pipeline" {
	"$S" split --chunks 4 -q -o 'shard-%03d.csv.gz' tweets.csv
	# shard 2's job writes part of its partial, then is killed
	cat >job.sh <<EOF
#!/bin/sh
if [ "\$1" = shard-002.csv.gz ]; then
	'$S' sample -n 200 --partial --seed 7 "\$1" | head -n 20
	kill -KILL \$\$
fi
exec '$S' sample -n 200 --partial --seed 7 "\$1"
EOF
	chmod +x job.sh
	run --separate-stderr bash -c "set -o pipefail
		parallel --will-cite --halt now,fail=1 -j 2 ./job.sh ::: shard-*.csv.gz \
			| '$S' sample --merge --expect-records 4000 -o sample.csv"
	[ "$status" -ne 0 ]
	[ ! -e sample.csv ]
	# a job that cuts its output short and still exits 0: the merge
	# alone catches it
	sed -i 's/kill -KILL \$\$/exit 0/' job.sh
	run --separate-stderr bash -c "set -o pipefail
		parallel --will-cite --halt now,fail=1 -j 2 ./job.sh ::: shard-*.csv.gz \
			| '$S' sample --merge --expect-records 4000 -o sample.csv"
	[ "$status" -eq 1 ]
	[[ "$stderr" == "sift sample: stdin:"*": the partial sample of line "*" ends without its trailer (after "*" rows): its shard failed or its output was cut short" ]]
	[ ! -e sample.csv ]
}

@test "the line-cut recipe of old: what it loses shows, and fails the checks" {
	# parallel --pipepart cuts at line ends, inside quoted fields too: the
	# jobs that get the halves fail and write nothing, so their shards are
	# simply missing from the merge
	awk 'BEGIN { print "id,text"; for (i = 1; i <= 400; i++) {
		if (i % 20) { print i ",plain"; continue }
		printf "%d,\"", i; for (l = 1; l < 20; l++) printf "line %d\n", l; print "end\"" } }' >lines.csv
	cut="parallel --will-cite --pipepart -a lines.csv --header 1 --block 200 -j 2"
	# the merge's report shows the records lost
	run --separate-stderr bash -c "$cut '$S' sample -n 10 --partial --seed 7 | '$S' sample --merge -o sample.csv"
	[[ "${stderr_lines[-1]}" =~ ^"sift sample: merged "[0-9]+" partials: kept 10 of "([0-9]+)" records"$ ]]
	[ "${BASH_REMATCH[1]}" -lt 400 ]
	# --expect-records refuses them
	run --separate-stderr bash -c "$cut '$S' sample -n 10 --partial --seed 7 | '$S' sample --merge --expect-records 400 -o sample.csv"
	[ "$status" -eq 1 ]
	[[ "${stderr_lines[-1]}" == "sift sample: --expect-records 400: the "*" partials hold "*" records (a shard is missing)" ]]
	# and so do pipefail and --halt, on the jobs' failure
	rm -f sample.csv
	run --separate-stderr bash -c "set -o pipefail; $cut --halt now,fail=1 '$S' sample -n 10 --partial --seed 7 | '$S' sample --merge -o sample.csv"
	[ "$status" -ne 0 ]
	# the same file cut by sift split loses nothing
	"$S" split --chunks 4 -q -o 'shard-%03d.csv.gz' lines.csv
	run --separate-stderr recipe "-n 10" 400
	[ "$status" -eq 0 ]
	[ "$stderr" = "sift sample: merged 4 partials: kept 10 of 400 records" ]
}
