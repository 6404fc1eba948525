# tests/cmd/tsv_helpers.bash: comparing CSV and TSV by their values, for
# tsv.bats. Each helper reads a file (or stdin) and prints its records
# one a line, fields joined by tabs, each value with a tab, LF, CR and
# backslash written \t \n \r \\: the same text for the same values in
# either dialect, so that `diff` compares values, not quoting.

export LC_ALL=C

# The canonical form of escaped text (shared by the two parsers).
_canon_awk='
function canon(s,    out, i, c) {
	out = ""
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (c == "\\") out = out "\\\\"
		else if (c == "\t") out = out "\\t"
		else if (c == "\n") out = out "\\n"
		else if (c == "\r") out = out "\\r"
		else out = out c
	}
	return out
}
'

# RFC 4180 CSV (quoted fields with doubled quotes, newlines inside them;
# CRLF or LF line ends) with delimiter ${2:-,}.
canon_csv() {
	awk -v d="${2:-,}" "$_canon_awk"'
	function flush_field() { rec = rec (nf++ ? "\t" : "") canon(field); field = "" }
	BEGIN { inq = 0; nf = 0; rec = ""; field = ""; started = 0 }
	{
		line = $0
		if (inq)
			field = field "\n"
		for (i = 1; i <= length(line); i++) {
			c = substr(line, i, 1)
			if (inq) {
				if (c == "\"" && substr(line, i + 1, 1) == "\"") { field = field c; i++ }
				else if (c == "\"") inq = 0
				else field = field c
			} else if (c == "\"") inq = 1
			else if (c == d) flush_field()
			else field = field c
		}
		if (inq) next
		if (substr(line, length(line), 1) == "\r") # a CRLF line end
			field = substr(field, 1, length(field) - 1)
		flush_field()
		print rec
		rec = ""; nf = 0
	}' "${1:--}"
}

# TSV (or another delimiter ${2:-tab}) without quoting: every line a
# record, CR LF or LF line ends, the escapes of sift_tsv_decode.
canon_tsv() {
	awk -v d="${2:-	}" "$_canon_awk"'
	function oct(c) { return index("01234567", c) - 1 }
	function hexv(c) { return index("0123456789abcdef", tolower(c)) - 1 }
	function decode(s,    out, i, c, n, v, k) {
		if (s == "\\N") return ""
		out = ""
		for (i = 1; i <= length(s); i++) {
			c = substr(s, i, 1)
			if (c != "\\" || i == length(s)) { out = out c; continue }
			n = substr(s, i + 1, 1)
			k = index("tnr\\bfv", n)
			if (k) { out = out substr("\t\n\r\\\b\f\v", k, 1); i++; continue }
			if (oct(n) >= 0) {
				v = 0
				for (k = 1; k <= 3 && oct(substr(s, i + k, 1)) >= 0; k++)
					v = v * 8 + oct(substr(s, i + k, 1))
				out = out sprintf("%c", v % 256); i += k - 1; continue
			}
			if (n == "x" && hexv(substr(s, i + 2, 1)) >= 0) {
				v = hexv(substr(s, i + 2, 1)); k = 3
				if (hexv(substr(s, i + 3, 1)) >= 0) { v = v * 16 + hexv(substr(s, i + 3, 1)); k = 4 }
				out = out sprintf("%c", v); i += k - 1; continue
			}
			out = out c
		}
		return out
	}
	{
		line = $0
		if (substr(line, length(line), 1) == "\r")
			line = substr(line, 1, length(line) - 1)
		if (line == "") next
		n = split(line, f, d)
		rec = ""
		for (i = 1; i <= n; i++)
			rec = rec (i > 1 ? "\t" : "") canon(decode(f[i]))
		print rec
	}' "${1:--}"
}

# Every line of a TSV file has as many fields as its first.
tsv_rectangular() {
	awk -F'\t' 'NR == 1 { n = NF } NF != n { print "line " NR ": " NF " fields, not " n; bad = 1 } END { exit bad }' "${1:--}"
}
