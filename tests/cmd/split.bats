#!/usr/bin/env bats
# Command tests of `sift split`: every documented option, the bad inputs
# of issue 7, with the exact message and exit status.

bats_require_minimum_version 1.5.0

setup() {
	S="$SIFT"
	R="$DATA/rebalance"
	T="$BATS_TEST_TMPDIR"
}

USAGE1="usage: sift split --ratios R,R[,R...] (-o FILE,FILE[,...] | --prefix P)"

# A CSV of N records: id, user (id % U), class (1 in 5 "r"), day.
numbered() {
	awk -v n="$1" -v u="$2" 'BEGIN { print "id,user,cls,day"; for (i = 1; i <= n; i++)
		printf "%d,u%d,%s,2023-%02d-01\n", i, i % u, (i % 5 ? "c" : "r"), 1 + i % 12 }'
}

# The ids of a part, sorted.
ids() { tail -n +2 "$1" | cut -d, -f1 | sort -n; }

@test "--ratios with -o: exact sizes, every record in exactly one part, headers" {
	numbered 1001 40 >"$T/in.csv"
	run --separate-stderr "$S" split --ratios 0.8,0.1,0.1 -o "$T/a.csv,$T/b.csv,$T/c.csv" --seed 1 "$T/in.csv"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	for f in a b c; do [ "$(head -n 1 "$T/$f.csv")" = "id,user,cls,day" ]; done
	[ "$(tail -n +2 "$T/a.csv" | wc -l)" -eq 801 ]
	[ "$(tail -n +2 "$T/b.csv" | wc -l)" -eq 100 ]
	[ "$(tail -n +2 "$T/c.csv" | wc -l)" -eq 100 ]
	cat "$T/a.csv" "$T/b.csv" "$T/c.csv" | grep -v '^id' | sort >"$T/all"
	tail -n +2 "$T/in.csv" | sort | cmp - "$T/all"
	[ "${stderr_lines[0]}" = "sift split: $T/a.csv: 801 records (80.0%)" ]
	[ "${stderr_lines[2]}" = "sift split: $T/c.csv: 100 records (10.0%)" ]
}

@test "records keep their bytes and their input order within a part" {
	run "$S" split -r 0.5,0.5 -o "$T/a.csv,$T/b.csv" --seed 3 -q "$R/classes.csv"
	[ "$status" -eq 0 ]
	[ "$(ids "$T/a.csv")" = "$(tail -n +2 "$T/a.csv" | cut -d, -f1)" ]
	tail -n +2 "$T/a.csv" | while IFS= read -r line; do grep -qxF -- "$line" "$R/classes.csv"; done
	grep -qF '"said ""hi"", then left"' "$T/a.csv" "$T/b.csv"
}

@test "--prefix names the parts train/test, train/valid/test, else 1..N" {
	cd "$T"
	"$S" split -r 0.5,0.5 --prefix p -q --seed 1 "$R/classes.csv"
	[ -f p-train.csv ]
	[ -f p-test.csv ]
	"$S" split -r 0.8,0.1,0.1 --prefix q -q --seed 1 "$R/classes.csv"
	[ -f q-train.csv ]
	[ -f q-valid.csv ]
	[ -f q-test.csv ]
	"$S" split -r 1,1,1,1 --prefix k -q --seed 1 "$R/classes.csv"
	[ -f k-1.csv ]
	[ -f k-4.csv ]
}

@test "the same seed gives the same split; another differs" {
	numbered 500 20 >"$T/in.csv"
	"$S" split -r 0.7,0.3 --prefix "$T/x" --seed 5 -q "$T/in.csv"
	"$S" split -r 0.7,0.3 --prefix "$T/y" --seed 5 -q "$T/in.csv"
	"$S" split -r 0.7,0.3 --prefix "$T/z" --seed 6 -q "$T/in.csv"
	cmp "$T/x-train.csv" "$T/y-train.csv"
	run ! cmp -s "$T/x-train.csv" "$T/z-train.csv"
}

@test "--group: no group straddles two parts; stable as the data grows" {
	numbered 3000 300 >"$T/in.csv"
	"$S" split -r 0.8,0.1,0.1 --group user --prefix "$T/g" -q "$T/in.csv"
	for p in train valid test; do tail -n +2 "$T/g-$p.csv" | cut -d, -f2 | sort -u >"$T/u-$p"; done
	[ -z "$(comm -12 "$T/u-train" "$T/u-valid")" ]
	[ -z "$(comm -12 "$T/u-train" "$T/u-test")" ]
	[ -z "$(comm -12 "$T/u-valid" "$T/u-test")" ]
	numbered 6000 400 >"$T/more.csv"
	"$S" split -r 0.8,0.1,0.1 --group user --prefix "$T/h" -q "$T/more.csv"
	tail -n +2 "$T/h-test.csv" | cut -d, -f2 | sort -u >"$T/v-test"
	# Every user of the first test part is in the second test part.
	[ -z "$(comm -23 "$T/u-test" "$T/v-test")" ]
	# --seed moves the groups.
	"$S" split -r 0.8,0.1,0.1 --group user --seed 9 --prefix "$T/s" -q "$T/in.csv"
	run ! cmp -s "$T/g-test.csv" "$T/s-test.csv"
}

@test "--stratify: each part keeps the class proportions exactly; report" {
	numbered 1000 40 >"$T/in.csv"
	run --separate-stderr "$S" split -r 0.8,0.1,0.1 --stratify cls --prefix "$T/s" --seed 2 "$T/in.csv"
	[ "$status" -eq 0 ]
	[ "$(grep -c ',r,' "$T/s-train.csv")" -eq 160 ]
	[ "$(grep -c ',r,' "$T/s-valid.csv")" -eq 20 ]
	[ "$(grep -c ',r,' "$T/s-test.csv")" -eq 20 ]
	[ "${stderr_lines[0]}" = "sift split: $T/s-train.csv: 800 records (80.0%); 'c' 640 (80.0%), 'r' 160 (20.0%)" ]
	[ "${stderr_lines[3]}" = "sift split: class shares in the parts are within 0.00 percentage points of the whole" ]
}

@test "--group with --stratify says how far off the proportions ended" {
	numbered 1000 40 >"$T/in.csv"
	run --separate-stderr "$S" split -r 0.5,0.5 --group user --stratify cls --prefix "$T/gs" "$T/in.csv"
	[ "$status" -eq 0 ]
	[[ "${stderr_lines[2]}" =~ ^"sift split: class shares in the parts are within "[0-9]+\.[0-9][0-9]" percentage points of the whole"$ ]]
}

@test "--label reports a class column without stratifying" {
	run --separate-stderr "$S" split -r 0.5,0.5 --label label --prefix "$T/l" --seed 1 "$R/classes.csv"
	[ "$status" -eq 0 ]
	[[ "${stderr_lines[0]}" == *"records (50.0%); 'no' "* ]]
}

@test "--by-time --cut: before the cut to the first part, the rest to the second" {
	numbered 120 7 >"$T/in.csv"
	run --separate-stderr "$S" split --by-time day --cut 2023-07-01 --prefix "$T/t" "$T/in.csv"
	[ "$status" -eq 0 ]
	[ "$(tail -n +2 "$T/t-train.csv" | cut -d, -f4 | sort -u | tail -n 1)" = "2023-06-01" ]
	[ "$(tail -n +2 "$T/t-test.csv" | cut -d, -f4 | sort -u | head -n 1)" = "2023-07-01" ]
	[ "$(($(wc -l <"$T/t-train.csv") + $(wc -l <"$T/t-test.csv")))" -eq 122 ]
}

@test "stdin is spooled for an exact split and the spool is gone afterwards" {
	mkdir "$T/tmp"
	TMPDIR="$T/tmp" "$S" split -r 0.5,0.5 --stratify label --prefix "$T/p" --seed 1 -q <"$R/classes.csv"
	"$S" split -r 0.5,0.5 --stratify label --prefix "$T/f" --seed 1 -q "$R/classes.csv"
	cmp "$T/p-train.csv" "$T/f-train.csv"
	[ -z "$(ls -A "$T/tmp")" ]
}

@test "-d, --tsv, --no-header, -v" {
	tr , '\t' <"$R/classes.csv" | sed 's/"said ""hi""\t then left"/x/' >"$T/in.tsv"
	"$S" split -r 1,1 --tsv --stratify label --prefix "$T/a" -q --seed 1 "$T/in.tsv"
	[ "$(head -n 1 "$T/a-train.csv" | tr '\t' ,)" = "id,user,label,f1,f2,text,day" ]
	"$S" split -r 1,1 -d '\t' --stratify 3 --prefix "$T/b" -q --seed 1 "$T/in.tsv"
	cmp "$T/a-train.csv" "$T/b-train.csv"
	tail -n +2 "$R/classes.csv" >"$T/nh.csv"
	"$S" split -r 1,1 --no-header --prefix "$T/c" -q --seed 1 "$T/nh.csv"
	[ "$(($(wc -l <"$T/c-train.csv") + $(wc -l <"$T/c-test.csv")))" -eq 30 ]
	run --separate-stderr "$S" split -r 1,1 --prefix "$T/d" -q -v --seed 12 "$R/classes.csv"
	[ "$stderr" = "sift split: seed 12" ]
}

@test "--help" {
	run "$S" split --help
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$USAGE1" ]
}

@test "a failed split leaves no output behind" {
	printf 'id,day\n1,2023-01-01\n2,01/02/2024\n' >"$T/bad.csv"
	run --separate-stderr "$S" split --by-time day --cut 2024-01-01 --prefix "$T/o" "$T/bad.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift split: $T/bad.csv:3: column 'day' (2): '01/02/2024' is not an ISO-8601 date (YYYY-MM-DD...)" ]
	[ ! -e "$T/o-train.csv" ]
	[ ! -e "$T/o-test.csv" ]
	[ -z "$(find "$T" -mindepth 1 -maxdepth 1 -name 'o-*')" ]
}

@test "bad input: a missing column" {
	run --separate-stderr "$S" split -r 1,1 --group nope --prefix "$T/o" "$R/classes.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift split: $R/classes.csv: no column 'nope'; the columns are: id, user, label, f1, f2, text, day" ]
	[ ! -e "$T/o-train.csv" ]
}

@test "bad usage: ratios, outputs, time options" {
	run --separate-stderr "$S" split --prefix p "$R/classes.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift split: say how to split: --ratios R,R[,R...] or --by-time COL --cut T" ]
	[ "${stderr_lines[1]}" = "$USAGE1" ]
	run --separate-stderr "$S" split -r 0.8,x --prefix p "$R/classes.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift split: --ratios: '0.8,x' is not a list of numbers > 0 (such as 0.8,0.1,0.1)" ]
	run --separate-stderr "$S" split -r 1 --prefix p "$R/classes.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift split: --ratios: '1' names one part; a split needs two or more" ]
	run --separate-stderr "$S" split -r 0.5,0.5 -o a.csv "$R/classes.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift split: -o: 1 files for 2 parts" ]
	run --separate-stderr "$S" split -r 0.5,0.5 -o a.csv,a.csv "$R/classes.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift split: -o: 'a.csv' names two parts" ]
	run --separate-stderr "$S" split -r 0.5,0.5 "$R/classes.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift split: name the parts' files: -o FILE,FILE,... or --prefix P" ]
	run --separate-stderr "$S" split --by-time day --prefix p "$R/classes.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift split: --by-time COL and --cut T go together" ]
	run --separate-stderr "$S" split --by-time day --cut 2024-01-01 -r 1,1 --prefix p "$R/classes.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift split: --by-time splits at --cut, not by --ratios" ]
	run --separate-stderr "$S" split --by-time day --cut 2024-01-01 --group user --prefix p "$R/classes.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift split: --by-time takes neither --group nor --stratify" ]
	run --separate-stderr "$S" split --by-time day --cut 1/2/2024 --prefix p "$R/classes.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift split: --cut: '1/2/2024' is not an ISO-8601 date (YYYY-MM-DD, optionally with a time)" ]
	run --separate-stderr "$S" split -r 1,1 --prefix p --frob "$R/classes.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift split: unknown option --frob" ]
}

# ---- --chunks: shards for parallel work ----------------------------------

USAGE3="       sift split --chunks K (-o 'NAME-%03d.csv' | --prefix P) [FILE]"

# N records, every third with a quoted field across lines (one CRLF).
quoted() {
	awk -v n="$1" 'BEGIN { print "id,text,n"; for (i = 1; i <= n; i++)
		if (i % 3 == 0) printf "%d,\"a line, then\n%s\",%d\n", i, (i == 6 ? "crlf\r\nhere" : "another"), i
		else printf "%d,plain text %d,%d\n", i, i, i }'
}

# The data records of shards, in shard order, as the reader sees them.
joined() {
	for f in "$@"; do "$S" sample -m first -n 1000000 "$f" | tail -n +2; done
}

@test "--chunks: a file cut into contiguous ranges at record boundaries" {
	quoted 300 >"$T/in.csv"
	run --separate-stderr "$S" split --chunks 4 -o "$T/shard-%03d.csv" "$T/in.csv"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	for j in 1 2 3 4; do
		[ "$(head -n 1 "$T/shard-00$j.csv")" = "id,text,n" ] || false
	done
	# in order, the shards (without their headers) are the input, byte for byte
	{ cat "$T/shard-001.csv"; for j in 2 3 4; do tail -n +2 "$T/shard-00$j.csv"; done; } | cmp - "$T/in.csv"
	# each shard's size is within a record of a quarter of the input
	total=$(($(wc -c <"$T/in.csv") - 10))
	for j in 1 2 3 4; do
		size=$(($(wc -c <"$T/shard-00$j.csv") - 10))
		[ $((size - total / 4)) -lt 40 ] || false
		[ $((total / 4 - size)) -lt 40 ] || false
	done
	# a record's last line, and only it, ends in ,N
	n1=$(grep -c ',[0-9]*$' "$T/shard-001.csv")
	pct=$(awk -v n="$n1" 'BEGIN { printf "%.1f", 100 * n / 300 }')
	[ "${stderr_lines[0]}" = "sift split: $T/shard-001.csv: $n1 records ($pct%)" ]
	[ "${stderr_lines[4]}" = "sift split: 300 records in 4 shards (contiguous ranges of the file)" ]
	[ "${#stderr_lines[@]}" -eq 5 ]
}

@test "--chunks from stdin or a gzip file: round robin, gzip out by name" {
	quoted 30 >"$T/in.csv"
	gzip -c "$T/in.csv" >"$T/in.csv.gz"
	run --separate-stderr "$S" split --chunks 3 -o "$T/g-%d.csv.gz" "$T/in.csv.gz"
	[ "$status" -eq 0 ]
	[ "${stderr_lines[0]}" = "sift split: $T/g-1.csv.gz: 10 records (33.3%)" ]
	[ "${stderr_lines[3]}" = "sift split: 30 records in 3 shards (round robin: one record to each shard in turn)" ]
	# record i goes to shard i mod 3
	[ "$(joined "$T/g-1.csv.gz" | cut -d, -f1 | head -n 3 | tr '\n' ' ')" = "1 4 7 " ]
	[ "$(gzip -dc "$T/g-3.csv.gz" | head -n 1)" = "id,text,n" ]
	"$S" split --chunks 3 -q -o "$T/s-%d.csv" <"$T/in.csv"
	for j in 1 2 3; do
		gzip -dc "$T/g-$j.csv.gz" | cmp - "$T/s-$j.csv" || false
	done
	# every record exactly once, the quoted line breaks whole
	joined "$T"/s-?.csv | sort >"$T/got"
	joined "$T/in.csv" | sort | cmp - "$T/got"
}

@test "--chunks --prefix: P-01.csv ... padded to the width of K" {
	quoted 40 >"$T/in.csv"
	"$S" split --chunks 12 --prefix "$T/p" -q "$T/in.csv"
	[ -f "$T/p-01.csv" ]
	[ -f "$T/p-12.csv" ]
	[ ! -e "$T/p-13.csv" ]
	"$S" split --chunks 2 -o "$T/pct-%%-%02d.csv" -q "$T/in.csv"
	[ -f "$T/pct-%-01.csv" ]
	[ -f "$T/pct-%-02.csv" ]
}

@test "--chunks: more shards than records, a header alone, --no-header, -q" {
	quoted 2 >"$T/in.csv"
	run --separate-stderr "$S" split --chunks 4 --prefix "$T/m" "$T/in.csv"
	[ "$status" -eq 0 ]
	[ "${stderr_lines[1]}" = "sift split: $T/m-2.csv: 1 records (50.0%)" ]
	[ "${stderr_lines[2]}" = "sift split: $T/m-3.csv: 0 records (0.0%)" ]
	[ "$(cat "$T/m-4.csv")" = "id,text,n" ]
	tail -n +2 "$T/in.csv" >"$T/nh.csv"
	run --separate-stderr "$S" split --chunks 2 --no-header -q --prefix "$T/nh" "$T/nh.csv"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	cat "$T/nh-1.csv" "$T/nh-2.csv" | cmp - "$T/nh.csv"
	: >"$T/empty.csv"
	"$S" split --chunks 2 -q --prefix "$T/e" "$T/empty.csv"
	[ ! -s "$T/e-1.csv" ]
	[ -f "$T/e-2.csv" ]
}

@test "--chunks: bad input leaves no shard behind" {
	quoted 30 >"$T/in.csv"
	printf '31,"never closed,31\n' >>"$T/in.csv"
	run --separate-stderr "$S" split --chunks 2 --prefix "$T/bad" "$T/in.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift split: $T/in.csv:43:4: unterminated quoted field (it runs to the end of the input)" ]
	[ -z "$(find "$T" -mindepth 1 -maxdepth 1 -name 'bad*')" ]
	run --separate-stderr "$S" split --chunks 2 --prefix "$T/bad" <"$T/in.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift split: stdin:43:4: unterminated quoted field (it runs to the end of the input)" ]
	[ -z "$(find "$T" -mindepth 1 -maxdepth 1 -name 'bad*')" ]
}

@test "bad usage: --chunks 0 or absurd, names without a %d, other modes" {
	quoted 3 >"$T/in.csv"
	run --separate-stderr "$S" split --chunks 0 --prefix "$T/p" "$T/in.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift split: --chunks: 0 shards; give 1 to 1024" ]
	[ "${stderr_lines[4]}" = "$USAGE3" ]
	run --separate-stderr "$S" split --chunks 100000 --prefix "$T/p" "$T/in.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift split: --chunks: 100000 shards; give 1 to 1024" ]
	run --separate-stderr "$S" split --chunks x --prefix "$T/p" "$T/in.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift split: --chunks: 'x' is not a whole number >= 0" ]
	run --separate-stderr "$S" split --chunks 4 -o "$T/shard.csv" "$T/in.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift split: --chunks: -o '$T/shard.csv' has no %d for the shard's number (such as shard-%03d.csv)" ]
	for o in "s-%d-%d.csv" "s-%s.csv" "s-%3d.csv" "s-%0d.csv" "s-%d%"; do
		run --separate-stderr "$S" split --chunks 4 -o "$o" "$T/in.csv"
		[ "$status" -eq 2 ] || false
		[ "${stderr_lines[0]}" = "sift split: --chunks: -o '$o' must hold one %d or %0Nd (such as shard-%03d.csv) and no other % but %%" ] || false
	done
	run --separate-stderr "$S" split --chunks 4 "$T/in.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift split: name the shards' files: -o NAME-%03d.csv or --prefix P" ]
	run --separate-stderr "$S" split --chunks 4 -r 1,1 --prefix "$T/p" "$T/in.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift split: --chunks cuts the input in order: it takes no --ratios, --group, --stratify, --label, --by-time, --cut or --seed" ]
	run --separate-stderr "$S" split --chunks 4 --seed 1 --prefix "$T/p" "$T/in.csv"
	[ "$status" -eq 2 ]
	[ -z "$(find "$T" -mindepth 1 -maxdepth 1 -name 'p*')" ]
}

@test "--stratify with a single value over the input: a warning, even with -q" {
	numbered 20 3 | awk -F, 'BEGIN { OFS = "," } NR > 1 { $3 = "c" } { print }' >"$T/one.csv"
	run --separate-stderr "$S" split -r 0.5,0.5 --stratify cls --seed 1 -q -o "$T/a.csv,$T/b.csv" "$T/one.csv"
	[ "$status" -eq 0 ]
	[ "$stderr" = "sift split: --stratify cls: all 20 records have the value 'c': a single class, nothing to keep in proportion" ]
	[ "$(($(wc -l <"$T/a.csv") + $(wc -l <"$T/b.csv")))" -eq 22 ]
	run --separate-stderr "$S" split -r 0.5,0.5 --stratify cls --group user -q -o "$T/a.csv,$T/b.csv" "$T/one.csv"
	[ "$status" -eq 0 ]
	[ "$stderr" = "sift split: --stratify cls: all 20 records have the value 'c': a single class, nothing to keep in proportion" ]
	# --label alone reports classes; it stratifies nothing and says nothing
	run --separate-stderr "$S" split -r 0.5,0.5 --label cls --seed 1 -q -o "$T/a.csv,$T/b.csv" "$T/one.csv"
	[ -z "$stderr" ]
	numbered 20 3 >"$T/two.csv"
	run --separate-stderr "$S" split -r 0.5,0.5 --stratify cls --seed 1 -q -o "$T/a.csv,$T/b.csv" "$T/two.csv"
	[ -z "$stderr" ]
}
