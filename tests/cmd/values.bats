#!/usr/bin/env bats
# Command tests of value expressions (sift-rules(5), VALUES) wherever a
# command takes a column: the derived value is the one used, the plain
# column still wins when it exists, and a bad expression or a value that
# cannot be computed is an error with its place and status.

bats_require_minimum_version 1.5.0

setup() {
	S="$SIFT"
	D="$DATA/values"
	T="$BATS_TEST_TMPDIR"
}

# The ids of a CSV (first field of lines that start with a number).
ids() { grep -o '^[0-9][0-9]*,' | tr -d , | tr '\n' ' '; }

@test "sample --by: strata of a derived month, times with zones in UTC" {
	run --separate-stderr "$S" sample --by 'yearmonth(created_at)' --per-stratum 2 --seed 1 -v "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[ "${stderr_lines[2]}" = "sift sample: stratum 2023-01: 8 records, 2 kept" ]
	[ "${stderr_lines[3]}" = "sift sample: stratum 2023-02: 8 records, 2 kept" ]
	[ "${stderr_lines[4]}" = "sift sample: stratum 2023-03: 4 records, 2 kept" ]
	# 2023-03-31T23:30:00-01:00 is April in UTC
	[ "${stderr_lines[5]}" = "sift sample: stratum 2023-04: 4 records, 2 kept" ]
	[ "${#stderr_lines[@]}" -eq 6 ]
}

@test "sample --by: a list mixing values and columns, commas in calls" {
	run --separate-stderr "$S" sample --by 'substr(created_at, 1, 7),label' --per-stratum 100 -v "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[ "${stderr_lines[2]}" = "sift sample: stratum 2023-01,ok: 4 records, 4 kept" ]
	# the text of the timestamp, not UTC: the last day of March stays
	[ "${stderr_lines[5]}" = "sift sample: stratum 2023-03,ok: 8 records, 8 kept" ]
	[ "${#stderr_lines[@]}" -eq 7 ]
	run --separate-stderr "$S" sample -m quota --by 'cut(followers, 1000, 3000),match(text, /#(\w+)/)' --per-stratum 100 -v "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[ "${stderr_lines[2]}" = "sift sample: stratum <1000,news: 6 records, 6 kept" ]
	[ "${stderr_lines[5]}" = "sift sample: stratum [1000,3000),hoax: 3 records, 3 kept" ]
}

@test "sample -m quota --by a URL's domain: one record per domain" {
	run "$S" sample -m quota --by 'domain(url)' --per-stratum 1 "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | ids)" = "1 2 3 4 " ]
}

@test "sample -m hash --key: the derived key decides, the same on every run" {
	tr 'U' 'u' <"$D/tweets.csv" >"$T/lower.csv"
	"$S" sample -m hash --key 'lower(user)' -p 0.5 "$D/tweets.csv" | ids >"$T/a"
	"$S" sample -m hash --key user -p 0.5 "$T/lower.csv" | ids >"$T/b"
	"$S" sample -m hash --key user -p 0.5 "$D/tweets.csv" | ids >"$T/c"
	[ -s "$T/a" ]
	cmp "$T/a" "$T/b"
	run ! cmp -s "$T/a" "$T/c"
}

@test "sample -w and --target take numeric values" {
	run "$S" sample -w 'len(text)' -n 5 --emit-weight w --seed 2 "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "id,created_at,user,followers,verified,url,text,label,w" ]
	run "$S" sample -m importance -w 'bin(followers, 1000, 1)' --target 'len(user)' -n 5 --seed 2 "$D/tweets.csv"
	[ "$status" -eq 0 ]
	run "$S" sample -w 'lower(user)' -n 5 "$D/tweets.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift sample: $D/tweets.csv:2: value 'lower(user)': weight 'u01' is not a number" ]
}

@test "sample -m snowball: --user and --links take values" {
	printf 'id,who,links\n1,Ann,@bob\n2,BOB,@cy\n3,cy,\n4,dee,@ann\n' >"$T/g.csv"
	run "$S" sample -m snowball --seeds ann --user 'lower(who)' --links 'lower(links)' --waves 2 "$T/g.csv"
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "1,Ann,@bob,0" ]
	[ "${lines[2]}" = "2,BOB,@cy,1" ]
	[ "${lines[3]}" = "3,cy,,2" ]
	[ "${#lines[@]}" -eq 4 ]
}

@test "sample -m judgment --where: unquoted true matches True and TRUE" {
	run "$S" sample -m judgment --where 'verified = true' -n 100 "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | ids)" = "2 4 6 8 10 12 14 16 18 20 22 24 " ]
	run "$S" sample -m judgment --where 'verified = "true"' -n 100 "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	run "$S" sample -m judgment --where 'month(created_at) = 2 and len(text) > 19' -n 100 "$D/tweets.csv"
	[ "$(printf '%s\n' "$output" | ids)" = "14 15 20 21 " ]
}

@test "a column whose name looks like a call is the column" {
	run --separate-stderr "$S" sample --by 'score (0-1)' --per-stratum 5 -v "$D/parens.csv"
	[ "$status" -eq 0 ]
	[ "${stderr_lines[2]}" = "sift sample: stratum 0.5: 2 records, 2 kept" ]
}

@test "split --group and --stratify take values; --by-time a derived date" {
	run "$S" split -r 0.5,0.5 --group 'domain(url)' --prefix "$T/g" --seed 3 -q "$D/tweets.csv"
	[ "$status" -eq 0 ]
	for f in "$T/g-train.csv" "$T/g-test.csv"; do
		n=$("$S" sample -m quota --by 'domain(url)' --per-stratum 1 "$f" | ids | wc -w)
		m=$("$S" sample -m quota --by url --per-stratum 1 "$f" | ids | wc -w)
		[ "$n" -eq "$m" ] || false
	done
	run --separate-stderr "$S" split -r 0.5,0.5 --stratify 'yearmonth(created_at)' --prefix "$T/s" --seed 3 "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[ "${stderr_lines[0]}" = "sift split: $T/s-train.csv: 12 records (50.0%); '2023-01' 4 (33.3%), '2023-02' 4 (33.3%), '2023-03' 2 (16.7%), '2023-04' 2 (16.7%)" ]
	[ "${stderr_lines[2]}" = "sift split: class shares in the parts are within 0.00 percentage points of the whole" ]
	run --separate-stderr "$S" split --by-time 'date(created_at)' --cut 2023-03-01 --prefix "$T/t" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[ "${stderr_lines[0]}" = "sift split: $T/t-train.csv: 16 records (66.7%)" ]
}

@test "rebalance --by a value" {
	run --separate-stderr "$S" rebalance --by 'yearmonth(created_at)' --dry-run --seed 1 "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[ "${stderr_lines[0]}" = "sift rebalance: class '2023-01': 8 -> 4" ]
	[ "${stderr_lines[3]}" = "sift rebalance: class '2023-04': 4 -> 4" ]
}

@test "metrics --by slices by a value, --gold and --pred take values" {
	awk -F, 'NR == 1 { print $0 ",pred"; next } { print $0 "," (NR % 2 ? "OK" : "BAD") }' "$D/tweets.csv" >"$T/p.csv"
	run "$S" metrics --gold 'upper(label)' --pred pred --by 'yearmonth(created_at)' -f csv "$T/p.csv"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | awk -F, '$2 == "records" { print $1 "=" $5 }' | tr '\n' ' ')" = "=24 2023-01=8 2023-02=8 2023-03=4 2023-04=4 " ]
}

@test "label: rules test values; --gold and --id take values" {
	printf 'labels: bad, ok\nhoax: match(text, /#(\\w+)/) = "hoax" -> bad\nnews: lower(match(text, /#(\\w+)/)) = "news" and len(text) < 30 -> ok\n' >"$T/r.rules"
	run --separate-stderr "$S" label -r "$T/r.rules" --long --id 'prefix(created_at, 10)' "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "2023-01-20,news,ok" ]
	run --separate-stderr "$S" label -r "$T/r.rules" --analyze --gold 'lower(label)' "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" == "hoax,2,"* ]]
}

@test "train -l and -w take values" {
	run --separate-stderr "$S" train -l 'upper(label)' -t text -w 'bin(followers, 1000, 1)' --holdout 0 --epochs 2 --seed 1 -o "$T/m.model" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	run "$S" predict -m "$T/m.model" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "id,created_at,user,followers,verified,url,text,label,pred,p_BAD,p_OK" ]
}

@test "bad input: a value that cannot be computed names the file, line and why" {
	run "$S" sample --by 'yearmonth(created_at)' -n 2 "$D/bad-time.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift sample: $D/bad-time.csv:3: yearmonth(created_at): 'soon' is not an ISO 8601 date or time (no four-digit year)" ]
	run --separate-stderr "$S" sample --by 'coalesce(yearmonth(created_at), "none")' --per-stratum 5 -v "$D/bad-time.csv"
	[ "$status" -eq 0 ]
	[ "${stderr_lines[3]}" = "sift sample: stratum none: 1 records, 1 kept" ]
}

@test "bad usage: a bad expression is an error with a caret, status 2" {
	run "$S" sample --by 'mnth(created_at)' -n 2 "$D/tweets.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift sample: --by:1:1: no function 'mnth' (did you mean 'month'?) (functions: lower, upper, trim, len, length, substr, prefix, suffix, match, replace, domain, coalesce, year, month, day, hour, minute, second, weekday, date, yearmonth, strftime, epoch, utc, bin, cut)" ]
	[ "${lines[1]}" = "    mnth(created_at)" ]
	[ "${lines[2]}" = "    ^" ]
	run "$S" split -r 1,1 --group 'prefix(user)' --prefix "$T/x" "$D/tweets.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift split: --group:1:12: prefix() takes 2 arguments" ]
	run "$S" metrics --gold label --pred label --by 'bin(followers, -1)' "$D/tweets.csv"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "sift metrics: --by:1:16: bin(): the width must be > 0" ]
}

@test "bad input: a column the expression names is not in the data, status 1" {
	run "$S" sample --by 'yearmonth(created)' -n 2 "$D/tweets.csv"
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "sift sample: --by:1:11: no column 'created' in the data (did you mean 'created_at'?) (columns: id, created_at, user, followers, verified, url, text, label)" ]
	[ "${lines[2]}" = "              ^" ]
	run "$S" sample --by created -n 2 "$D/tweets.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "sift sample: $D/tweets.csv: no column 'created' (did you mean 'created_at'?); the columns are: id, created_at, user, followers, verified, url, text, label" ]
}

@test "--partial and --merge by a value holding commas, quotes and backslashes" {
	by='coalesce(yearmonth(created_at), "none, \"at all\"")'
	head -13 "$D/tweets.csv" >"$T/a.csv"
	{ head -1 "$D/tweets.csv"; tail -n +14 "$D/tweets.csv"; } >"$T/b.csv"
	"$S" sample --by "$by" --per-stratum 2 --partial --seed 4 "$T/a.csv" >"$T/pa"
	"$S" sample --by "$by" --per-stratum 2 --partial --seed 4 "$T/b.csv" >"$T/pb"
	run --separate-stderr "$S" sample --merge --expect-records 24 "$T/pa" "$T/pb"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | ids | wc -w)" -eq 8 ]
	# TSV: the signature is escaped in the row, and still found
	printf 'id\tt\n1\ta\\tb\n2\tc\n3\ta\\tb\n' >"$T/in.tsv"
	"$S" sample --tsv --by 'replace(t, /\t/, "\\")' -n 2 --partial --seed 1 "$T/in.tsv" >"$T/pt"
	run --separate-stderr "$S" sample --tsv --merge --expect-records 3 "$T/pt"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
}
