#!/usr/bin/env bats
# Command tests of issue 8's sampling: snowball, judgment, uncertainty,
# and exact sampling across shards with --partial and --merge.

bats_require_minimum_version 1.5.0

setup() {
	S="$SIFT"
	D="$DATA/sample"
	T="$BATS_TEST_TMPDIR"
}

ids() { tail -n +2 | cut -d, -f1 | tr '\n' ' '; }

@test "snowball follows the links wave after wave" {
	run "$S" sample -m snowball --seeds a --user user --links mentions --waves 2 "$D/graph.csv"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "id,user,mentions,text,wave" ]
	# a (wave 0) -> b (1) -> c, d (2); e is three steps away.
	[ "$(printf '%s\n' "$output" | ids)" = "1 2 3 4 8 " ]
	[ "$(printf '%s\n' "$output" | grep -c ',0$')" -eq 2 ]
	[ "${lines[2]}" = "2,b,@c @d,second,1" ]
	[ "${lines[3]}" = "3,c,,third,2" ]
}

@test "snowball: --waves 0 keeps the seeds' records, more waves reach further" {
	run "$S" sample -m snowball --seeds a,g --user user --links mentions --waves 0 "$D/graph.csv"
	[ "$(printf '%s\n' "$output" | ids)" = "1 7 8 " ]
	run "$S" sample -m snowball --seeds a --user user --links mentions --waves 9 --wave-col hop "$D/graph.csv"
	[ "${lines[0]}" = "id,user,mentions,text,hop" ]
	[ "$(printf '%s\n' "$output" | ids)" = "1 2 3 4 5 6 8 " ]
	[ "${lines[6]}" = "6,f,,sixth,4" ]
}

@test "snowball: --max-users N reaches N users, not one more" {
	# a (wave 0) -> b (1) -> c, d (2): four users in two waves
	run --separate-stderr "$S" sample -m snowball --seeds a --user user --links mentions --waves 2 --max-users 4 "$D/graph.csv"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | ids)" = "1 2 3 4 8 " ]
	run --separate-stderr "$S" sample -m snowball --seeds a --user user --links mentions --waves 2 --max-users 3 "$D/graph.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "" ]
	[ "$stderr" = "sift sample: $D/graph.csv: wave 2 of the snowball reaches more than 3 users (--max-users): follow fewer --waves, or raise the limit" ]
	run --separate-stderr "$S" sample -m snowball --seeds a --user user --links mentions --max-users 0 "$D/graph.csv"
	[ "$status" -eq 2 ]
	[[ "$stderr" == "sift sample: --max-users: N must be >= 1"* ]]
	run --separate-stderr "$S" sample -n 2 --max-users 3 "$D/graph.csv"
	[ "$status" -eq 2 ]
	[[ "$stderr" == "sift sample: --max-users does not apply to -m reservoir"* ]]
}

@test "snowball: a snowball that reaches most of the input says so" {
	awk 'BEGIN { print "id,user,mentions"; for (i = 0; i < 2000; i++) printf "%d,u%d,%s\n", i, i, (i % 3 != 2 ? "@u" i + 1 : "") }' >"$T/chain.csv"
	run --separate-stderr "$S" sample -m snowball --seeds u0,u3,u6,u9 --user user --links mentions --waves 3 "$T/chain.csv"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	run --separate-stderr "$S" sample -m snowball --seeds "$(seq -s, -f 'u%g' 0 3 1999)" --user user --links mentions --waves 3 "$T/chain.csv"
	[ "$status" -eq 0 ]
	[ "$stderr" = "sift sample: the snowball reached 2000 of the 2000 records: most of the input rather than a sample of it" ]
}

@test "snowball: seeds from a file, and from stdin data through the spool" {
	printf '# seeds\n@d\n' >"$T/seeds.txt"
	run "$S" sample -m snowball --seeds @"$T/seeds.txt" --user user --links mentions "$D/graph.csv"
	[ "$(printf '%s\n' "$output" | ids)" = "4 5 " ]
	run bash -c "cat '$D/graph.csv' | '$S' sample -m snowball --seeds d --user user --links mentions --waves 2"
	[ "$(printf '%s\n' "$output" | ids)" = "4 5 6 " ]
}

@test "bad input: seeds that match no user" {
	run "$S" sample -m snowball --seeds zz --user user --links mentions "$D/graph.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift sample: $D/graph.csv: no record's user is one of the seed users" ]
}

@test "bad input: a links column with junk" {
	printf 'id,user,links\n1,a,@b <script>\n' >"$T/junk.csv"
	run "$S" sample -m snowball --seeds a --user user --links links "$T/junk.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift sample: $T/junk.csv:2: the links column 'links' holds '<script>', which is not a user (users are separated by spaces or commas, with an optional @)" ]
}

@test "snowball needs its options" {
	run "$S" sample -m snowball --seeds a --user user "$D/graph.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift sample: -m snowball needs --links COL" ]
}

@test "judgment keeps what the condition selects, in order" {
	run "$S" sample -m judgment --where 'mentions ~ /@[cd]/ or text = "sixth"' "$D/graph.csv"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | ids)" = "2 6 " ]
	run "$S" sample -m judgment --where 'id >= 3 and not user = "d"' "$D/graph.csv"
	[ "$(printf '%s\n' "$output" | ids)" = "3 5 6 7 8 " ]
}

@test "judgment -n caps the matches at random, reproducibly" {
	run --separate-stderr "$S" sample -m judgment --where 'id > 0' -n 3 --seed 2 "$D/graph.csv"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | tail -n +2 | wc -l)" -eq 3 ]
	[ "$stderr" = "sift sample: 8 records match; 3 drawn at random" ]
	a=$("$S" sample -m judgment --where 'id > 0' -n 3 --seed 2 "$D/graph.csv" 2>/dev/null)
	[ "$a" = "$output" ]
}

@test "bad input: a --where that does not parse points at it" {
	run "$S" sample -m judgment --where 'id >> 3' "$D/graph.csv"
	[ "$status" -eq 2 ]
	[[ "${lines[0]}" == "sift sample: --where:1:"* ]]
	[[ "$output" == *"^"* ]]
	run "$S" sample -m judgment --where 'nosuch = "x"' "$D/graph.csv"
	[ "$status" -eq 1 ]
	[[ "$output" == *"nosuch"* ]]
}

@test "uncertainty: the n least sure, by each measure" {
	run "$S" sample -m uncertainty -n 1 "$D/proba-lc.csv"
	[ "$(printf '%s\n' "$output" | ids)" = "1 " ]
	run "$S" sample -m uncertainty -n 1 --by least-confidence "$D/proba-lc.csv"
	[ "$(printf '%s\n' "$output" | ids)" = "1 " ]
	run "$S" sample -m uncertainty -n 1 --by entropy "$D/proba-lc.csv"
	[ "$(printf '%s\n' "$output" | ids)" = "2 " ]
	run "$S" sample -m uncertainty -n 1 --by margin "$D/proba3.csv"
	[ "$(printf '%s\n' "$output" | ids)" = "2 " ]
	run "$S" sample -m uncertainty -n 1 --by least-confidence "$D/proba3.csv"
	[ "$(printf '%s\n' "$output" | ids)" = "3 " ]
	run "$S" sample -m uncertainty -n 3 --by margin "$D/proba3.csv"
	[ "$(printf '%s\n' "$output" | ids)" = "1 2 3 " ]
	run "$S" sample -m uncertainty -n 2 --by entropy "$D/proba.csv"
	[ "$(printf '%s\n' "$output" | ids)" = "2 6 " ]
}

@test "uncertainty: --mix takes a share at random from the others" {
	for seed in 1 2 3 4 5; do
		run "$S" sample -m uncertainty -n 4 --mix 0.5 --seed $seed --proba-prefix p_ "$D/proba.csv"
		[ "$status" -eq 0 ] || false
		got=$(printf '%s\n' "$output" | ids)
		# the two least sure are always there, and two others
		[[ " $got" == *" 2 "* ]] || false
		[[ " $got" == *" 6 "* ]] || false
		[ "$(printf '%s\n' "$output" | tail -n +2 | wc -l)" -eq 4 ] || false
	done
}

@test "bad input: probabilities that do not sum to one, or are missing" {
	printf 'id,p_a,p_b\n1,0.5,0.5\n2,0.7,0.7\n' >"$T/bad.csv"
	run "$S" sample -m uncertainty -n 1 "$T/bad.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift sample: $T/bad.csv:3: the class probabilities sum to 1.4, not 1" ]
	run "$S" sample -m uncertainty -n 1 --proba-prefix q_ "$D/proba.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift sample: $D/proba.csv: uncertainty needs a probability column per class, named q_<label> (as sift predict writes them); 0 found" ]
	printf 'id,p_a,p_b\n1,x,0.5\n' >"$T/bad.csv"
	run "$S" sample -m uncertainty -n 1 "$T/bad.csv"
	[ "$output" = "sift sample: $T/bad.csv:2: column 'p_a' (2): 'x' is not a probability" ]
	run "$S" sample -m uncertainty -n 1 --by magic "$D/proba.csv"
	[ "$status" -eq 2 ]
}

# ---- across machines --------------------------------------------------

shards() {
	awk -v n="$1" 'BEGIN { print "id,class,w"; for (i = 1; i <= n; i++)
		print i "," (i % 4 == 0 ? "rare" : "common") "," (i % 5 + 1) }' >"$T/all.csv"
	head -1 "$T/all.csv" >"$T/s1.csv"; sed -n "2,$(($1 / 3 + 1))p" "$T/all.csv" >>"$T/s1.csv"
	head -1 "$T/all.csv" >"$T/s2.csv"; sed -n "$(($1 / 3 + 2)),\$p" "$T/all.csv" >>"$T/s2.csv"
}

@test "--partial writes the reservoir with keys; --merge gives the sample" {
	shards 300
	for m in "-n 10" "-w w -n 10" "--by class -n 12" "--by class --per-stratum 4"; do
		"$S" sample $m --partial --seed 3 "$T/s1.csv" >"$T/p1"
		"$S" sample $m --partial --seed 3 "$T/s2.csv" >"$T/p2"
		head -1 "$T/p1" | grep -q ',sift_partial,sift_key,sift_count$' || false
		"$S" sample --merge --emit-weight dw "$T/p1" "$T/p2" >"$T/m"
		[ "$(head -1 "$T/m")" = "id,class,w,dw" ] || false
		# one stream holding both partials merges the same
		cat "$T/p1" "$T/p2" | "$S" sample --merge --emit-weight dw | cmp - "$T/m" || false
	done
	"$S" sample --by class -n 12 --partial --seed 3 "$T/s1.csv" >"$T/p1"
	"$S" sample --by class -n 12 --partial --seed 3 "$T/s2.csv" >"$T/p2"
	"$S" sample --merge --emit-weight dw "$T/p1" "$T/p2" >"$T/m"
	[ "$(grep -c ',rare,' "$T/m")" -eq 3 ]
	[ "$(grep -c ',common,' "$T/m")" -eq 9 ]
	grep ',rare,' "$T/m" | grep -q ',25$'
}

@test "--merge of reservoir partials is uniform (chi-square, 200 seeds)" {
	shards 60
	for seed in $(seq 1 200); do
		"$S" sample -n 6 --partial --seed $seed "$T/s1.csv" >"$T/p1"
		"$S" sample -n 6 --partial --seed $seed "$T/s2.csv" >"$T/p2"
		"$S" sample --merge "$T/p1" "$T/p2" | tail -n +2 | cut -d, -f1
	done | sort -n | uniq -c >"$T/counts"
	# 60 records, each expected 200 * 6 / 60 = 20 times; the 0.1% point
	# of chi-square with 59 degrees of freedom is 98.3.
	[ "$(wc -l <"$T/counts")" -eq 60 ]
	awk '{ x += ($1 - 20) ^ 2 / 20 } END { print x; exit !(x < 98.3) }' "$T/counts"
}

@test "shards of identical bytes draw independent keys: uniform (chi-square, 200 seeds)" {
	shards 60
	for seed in $(seq 1 200); do
		"$S" sample -n 6 --partial --shard 1 --seed $seed "$T/all.csv" >"$T/p1"
		"$S" sample -n 6 --partial --shard 2 --seed $seed "$T/all.csv" >"$T/p2"
		"$S" sample --merge "$T/p1" "$T/p2" | tail -n +2 | cut -d, -f1
	done | sort -n | uniq -c >"$T/counts"
	# 120 positions (60 records, twice), 6 drawn: each record expected
	# 200 * 6 / 60 = 20 times. Keys shared by the two copies would draw
	# records in pairs and double the statistic (about 118). The 0.1%
	# point of chi-square with 59 degrees of freedom is 98.3.
	[ "$(wc -l <"$T/counts")" -eq 60 ]
	awk '{ x += ($1 - 20) ^ 2 / 20 } END { print x; exit !(x < 98.3) }' "$T/counts"
}

@test "--shard: the identity draws the keys; the file's name, \$PARALLEL_SEQ, -v" {
	shards 90
	"$S" sample -n 5 --partial --seed 1 --shard a "$T/s1.csv" >"$T/a1"
	"$S" sample -n 5 --partial --seed 1 --shard a <"$T/s1.csv" | cmp - "$T/a1"
	"$S" sample -n 5 --partial --seed 1 --shard b "$T/s1.csv" >"$T/b1"
	run ! cmp -s "$T/a1" "$T/b1"
	# a file's name is its identity; on stdin, GNU parallel's job number,
	# else Hadoop's task partition
	"$S" sample -n 5 --partial --seed 1 --shard "$T/s1.csv" "$T/s1.csv" >"$T/named"
	"$S" sample -n 5 --partial --seed 1 "$T/s1.csv" | cmp - "$T/named"
	"$S" sample -n 5 --partial --seed 1 --shard 3 "$T/s1.csv" >"$T/three"
	PARALLEL_SEQ=3 "$S" sample -n 5 --partial --seed 1 <"$T/s1.csv" | cmp - "$T/three"
	mapreduce_task_partition=3 "$S" sample -n 5 --partial --seed 1 <"$T/s1.csv" | cmp - "$T/three"
	run --separate-stderr env PARALLEL_SEQ=4 mapreduce_task_partition=3 "$S" sample -v -n 5 --partial --seed 1 -o /dev/null <"$T/s1.csv"
	[ "${stderr_lines[0]}" = "sift sample: method reservoir, seed 1, shard '4' (PARALLEL_SEQ)" ]
	run --separate-stderr "$S" sample -v -n 5 --partial --seed 1 -o /dev/null "$T/s1.csv"
	[ "${stderr_lines[0]}" = "sift sample: method reservoir, seed 1, shard '$T/s1.csv' (the input's name)" ]
}

@test "bad options: --partial on stdin without an identity, --shard misplaced" {
	run --separate-stderr env -u PARALLEL_SEQ -u mapreduce_task_partition "$S" sample -n 5 --partial --seed 1 <"$DATA/small.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift sample: --partial on stdin needs the shard's identity: --shard ID (GNU parallel's \$PARALLEL_SEQ and Hadoop's \$mapreduce_task_partition are not set)" ]
	run --separate-stderr "$S" sample -n 5 --shard 1 "$DATA/small.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift sample: --shard goes with --partial" ]
	run --separate-stderr "$S" sample -n 5 --partial --shard '' "$DATA/small.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift sample: --shard: the identity is empty" ]
	run --separate-stderr "$S" sample --merge --shard 1 "$DATA/small.csv"
	[ "$status" -eq 2 ]
}

@test "under GNU parallel: shards sampled in parallel jobs merge uniformly" {
	command -v parallel >/dev/null || skip "GNU parallel is not installed"
	awk 'BEGIN { print "id,class"; for (i = 1; i <= 40; i++) print i ",c" (i % 3) }' >"$T/par.csv"
	for seed in $(seq 1 60); do
		parallel --will-cite --pipepart -a "$T/par.csv" --header 1 --block 120 -j 2 \
			"$S sample -n 10 --partial --seed $seed" >"$T/parts"
		[ "$(grep -c sift_partial "$T/parts")" -ge 2 ] || false
		"$S" sample --merge "$T/parts" | tail -n +2 | cut -d, -f1
	done | sort -n | uniq -c >"$T/counts"
	# 40 records, each expected 60 * 10 / 40 = 15 times; chi-square with
	# 39 degrees of freedom, 0.1% point 72.1.
	[ "$(wc -l <"$T/counts")" -eq 40 ]
	awk '{ x += ($1 - 15) ^ 2 / 15 } END { print x; exit !(x < 72.1) }' "$T/counts"
}

@test "bad input: partials of different seeds or methods mixed" {
	shards 90
	"$S" sample -n 5 --partial --seed 1 "$T/s1.csv" >"$T/p1"
	"$S" sample -n 5 --partial --seed 2 "$T/s2.csv" >"$T/p2"
	run "$S" sample --merge "$T/p1" "$T/p2"
	[ "$status" -eq 1 ]
	[ "$output" = "sift sample: $T/p2:2: partial samples of different methods, sizes or seeds mixed: 'reservoir n=5 seed=2' after 'reservoir n=5 seed=1'" ]
	"$S" sample -w w -n 5 --partial --seed 1 "$T/s2.csv" >"$T/p2"
	run "$S" sample --merge "$T/p1" "$T/p2"
	[ "$status" -eq 1 ]
}

@test "bad input: --merge fed a file that is not partial" {
	shards 30
	run "$S" sample --merge "$T/all.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift sample: $T/all.csv: not a partial sample (its last columns are not sift_partial, sift_key, sift_count; write one with sift sample --partial)" ]
}

@test "bad options: --partial where it cannot merge, --merge with a method" {
	run "$S" sample -p 0.5 --partial "$DATA/small.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift sample: --partial does not apply to -m bernoulli" ]
	run "$S" sample -n 5 --partial --emit-weight w "$DATA/small.csv"
	[ "$status" -eq 2 ]
	run "$S" sample -w w -n 5 --replace --partial "$DATA/small.csv"
	[ "$status" -eq 2 ]
	run "$S" sample --merge -n 5 "$DATA/small.csv"
	[ "$status" -eq 2 ]
}

# ---- whole partials only: the trailer ------------------------------------

@test "--partial ends with a trailer: records read, rows written, shard" {
	shards 90
	"$S" sample -n 4 --partial --seed 5 --shard one "$T/s1.csv" >"$T/p1"
	[ "$(wc -l <"$T/p1")" -eq 6 ]
	[ "$(tail -n 1 "$T/p1")" = ",,,reservoir n=4 seed=5,end,records=30 rows=4 shard=one" ]
	"$S" sample --by class -n 4 --partial --seed 5 --shard 'a,"b' "$T/s1.csv" >"$T/p2"
	[ "$(tail -n 1 "$T/p2")" = ',,,stratified n=4 seed=5 proportional min=0 by=class,end,"records=30 rows=8 shard=a,""b"' ]
	# an empty input still gives a partial: its columns and its trailer
	: >"$T/empty.csv"
	"$S" sample -n 4 --partial --seed 5 "$T/empty.csv" >"$T/p3"
	[ "$(cat "$T/p3")" = "sift_partial,sift_key,sift_count
reservoir n=4 seed=5,end,records=0 rows=0 shard=$T/empty.csv" ]
	# and merges with any other
	run --separate-stderr "$S" sample --merge --emit-weight w "$T/p3" "$T/p1"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 5 ]
	[ "$stderr" = "sift sample: merged 2 partials: kept 4 of 30 records" ]
}

@test "--merge reports the records of all shards; --expect-records; -q; -v" {
	shards 90
	"$S" sample -n 5 --partial --seed 1 "$T/s1.csv" >"$T/p1"
	"$S" sample -n 5 --partial --seed 1 "$T/s2.csv" >"$T/p2"
	run --separate-stderr "$S" sample --merge --expect-records 90 --emit-weight w "$T/p1" "$T/p2"
	[ "$status" -eq 0 ]
	[ "$stderr" = "sift sample: merged 2 partials: kept 5 of 90 records" ]
	# the weights stand for every record of every shard
	[ "$(printf '%s\n' "${lines[@]}" | tail -n +2 | awk -F, '{ s += $NF } END { print s }')" = 90 ]
	run --separate-stderr "$S" sample --merge -q "$T/p1" "$T/p2"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	run --separate-stderr "$S" sample --merge -v "$T/p1" "$T/p2"
	[ "${stderr_lines[1]}" = "sift sample: the partials held 10 rows" ]
	run --separate-stderr "$S" sample --merge --expect-records 91 -o "$T/out.csv" "$T/p1" "$T/p2"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift sample: --expect-records 91: the 2 partials hold 90 records (a shard is missing)" ]
	[ ! -e "$T/out.csv" ]
	run --separate-stderr "$S" sample --merge --expect-records 60 "$T/p1" "$T/p2"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift sample: --expect-records 60: the 2 partials hold 90 records (a shard too many, or another input's)" ]
	[ -z "$output" ]
}

@test "bad input: a partial cut short, without its trailer, or with rows lost" {
	shards 90
	"$S" sample -n 5 --partial --seed 1 "$T/s1.csv" >"$T/p1"
	"$S" sample -n 5 --partial --seed 1 "$T/s2.csv" >"$T/p2"
	# no trailer: a shard that failed, or output cut at a line's end
	head -n 4 "$T/p1" >"$T/cut"
	run --separate-stderr "$S" sample --merge "$T/cut" "$T/p2"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift sample: $T/cut:4: the partial sample of line 1 ends without its trailer (after 3 rows): its shard failed or its output was cut short" ]
	[ -z "$output" ]
	# cut in the middle of a row's last field (its count)
	head -n 4 "$T/p1" | head -c -2 >"$T/mid"
	run --separate-stderr "$S" sample --merge "$T/mid" "$T/p2"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift sample: $T/mid:4: the partial sample of line 1 ends without its trailer (after 3 rows): its shard failed or its output was cut short" ]
	# cut in the middle of a row's data
	head -n 3 "$T/p1" >"$T/mid"
	printf '17,com' >>"$T/mid"
	run --separate-stderr "$S" sample --merge "$T/mid" "$T/p2"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift sample: $T/mid:4: ragged row: 2 fields, the header has 6: no column 'w' (3)" ]
	# cut in the trailer
	head -c -1 "$T/p1" >"$T/tr"
	run --separate-stderr "$S" sample --merge "$T/tr" "$T/p2"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift sample: $T/tr:7: the trailer has no line ending: the partial was cut short" ]
	# in a stream, the next partial's header comes before the trailer
	head -n 6 "$T/p1" | cat - "$T/p2" >"$T/stream"
	run --separate-stderr "$S" sample --merge <"$T/stream"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift sample: stdin:6: the partial sample of line 1 ends without its trailer (after 5 rows): its shard failed or its output was cut short" ]
	# a row lost between the header and the trailer
	sed 3d "$T/p1" >"$T/lost"
	run --separate-stderr "$S" sample --merge "$T/lost" "$T/p2"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift sample: $T/lost:6: the trailer of shard '$T/s1.csv' counts 5 rows, but its partial holds 4: rows were lost or added" ]
	# a row after the trailer
	{ cat "$T/p1"; sed -n 2p "$T/p2"; } >"$T/after"
	run --separate-stderr "$S" sample --merge "$T/after" "$T/p2"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift sample: $T/after:8: a row after the trailer of line 7, where only the header of another partial may follow" ]
	# nothing at all: the shard wrote nothing
	: >"$T/none"
	run --separate-stderr "$S" sample --merge "$T/p1" "$T/none"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift sample: $T/none: empty, so not a partial sample: its shard wrote nothing (it failed, or its output was lost)" ]
	# a trailer that does not parse
	sed '$ s/rows=5/rows=five/' "$T/p1" >"$T/bad"
	run --separate-stderr "$S" sample --merge "$T/bad"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift sample: $T/bad:7: malformed trailer 'records=30 rows=five shard=$T/s1.csv' (not records=N rows=M shard=ID)" ]
}

@test "bad input: a shard merged twice" {
	shards 90
	"$S" sample -n 5 --partial --seed 1 "$T/s1.csv" >"$T/p1"
	"$S" sample -n 5 --partial --seed 1 "$T/s2.csv" >"$T/p2"
	cp "$T/p1" "$T/copy"
	run --separate-stderr "$S" sample --merge "$T/p1" "$T/p2" "$T/copy"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift sample: $T/copy:7: shard '$T/s1.csv' again (its partial ends at $T/p1:7): a shard counted twice" ]
	[ -z "$output" ]
	cat "$T/p1" "$T/p2" "$T/p1" >"$T/stream"
	run --separate-stderr "$S" sample --merge <"$T/stream"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift sample: stdin:21: shard '$T/s1.csv' again (its partial ends at stdin:7): a shard counted twice" ]
	# the same file under two names is one shard too: give --shard to
	# sample it twice on purpose
	run --separate-stderr "$S" sample --merge "$T/p1" "$T/p1"
	[ "$status" -eq 1 ]
}

@test "bad options: --partial with --no-header, --expect-records without --merge" {
	run --separate-stderr "$S" sample -n 5 --partial --seed 1 --no-header "$DATA/small.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift sample: --partial needs a header (not --no-header): the merge matches the partials of one input by it" ]
	# -q only silences progress without --merge
	run --separate-stderr "$S" sample -n 5 -q "$DATA/small.csv"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	run --separate-stderr "$S" sample -n 5 --expect-records 3 "$DATA/small.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift sample: --expect-records goes with --merge" ]
	run --separate-stderr "$S" sample --merge --expect-records x "$DATA/small.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift sample: --expect-records: 'x' is not a whole number >= 0" ]
}
