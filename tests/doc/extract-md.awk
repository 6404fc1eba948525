# tests/doc/extract-md.awk: the command blocks of a Markdown file as
# calls of doccheck.sh (doc_cmd, doc_expect), in the file's order.
#
# A code block (indented by four spaces, or fenced with ```) is a
# transcript when a line starts with "$ ": each such line (with the
# lines after it that it continues with a trailing \ or |, or inside a
# quoted string: open_quote, tests/doc/shell.awk) is a command,
# and the lines up to the next one are its expected output. Otherwise a
# block whose first line starts with a command (sift, examples/,
# gen-annotations, parallel, set) holds one command a line, output not
# shown; other blocks (rules, tables, trees) are not commands. A block
# after a line "<!-- doccheck skip: REASON -->" is not run (doc_skip).

function flush(    i, line, cmd, start, out, blanks, transcript, first) {
	if (nb == 0)
		return
	while (nb > 0 && blk[nb] ~ /^[ \t]*$/)
		nb--
	if (skip != "") {
		printf "doc_skip '%s:%d' <<'__SIFT_DOC_CMD__'\n%s\n__SIFT_DOC_CMD__\n", FILENAME, bline[1], skip
		skip = ""
		nb = 0
		return
	}
	transcript = 0
	for (i = 1; i <= nb; i++)
		if (blk[i] ~ /^\$ /)
			transcript = 1
	first = blk[1]
	if (!transcript && first !~ /^(sift|examples\/|gen-annotations|parallel|set|make)( |$)/) {
		nb = 0
		return
	}
	i = 1
	while (i <= nb) {
		line = blk[i]
		if (transcript && line !~ /^\$ /) {
			i++ # output before any command: not checked
			continue
		}
		if (line ~ /^[ \t]*(#.*)?$/) {
			i++
			continue
		}
		start = bline[i]
		cmd = transcript ? substr(line, 3) : line
		while ((cmd ~ /(\\|\|)[ \t]*$/ || open_quote(cmd)) &&
		       i < nb) {
			i++
			cmd = cmd "\n" blk[i]
		}
		i++
		printf "doc_cmd '%s:%d' <<'__SIFT_DOC_CMD__'\n%s\n__SIFT_DOC_CMD__\n", FILENAME, start, cmd
		if (!transcript)
			continue
		# Blank lines that end the output only part it from the next command.
		out = ""
		blanks = ""
		while (i <= nb && blk[i] !~ /^\$ /) {
			if (blk[i] ~ /^[ \t]*$/) {
				blanks = blanks blk[i] "\n"
			} else {
				out = out blanks blk[i] "\n"
				blanks = ""
			}
			i++
		}
		printf "doc_expect <<'__SIFT_DOC_OUT__'\n%s__SIFT_DOC_OUT__\n", out
	}
	nb = 0
}

BEGIN { nb = 0; fenced = 0; prev_blank = 1; skip = "" }

fenced && /^```/ { fenced = 0; flush(); next }
fenced { blk[++nb] = $0; bline[nb] = FNR; next }
/^```/ { flush(); fenced = 1; next }
/^    / && (nb > 0 || prev_blank) {
	blk[++nb] = substr($0, 5); bline[nb] = FNR; prev_blank = 0; next
}
/^<!-- doccheck skip: .* -->[ \t]*$/ {
	flush()
	skip = $0
	sub(/^<!-- doccheck skip: /, "", skip)
	sub(/ -->[ \t]*$/, "", skip)
	prev_blank = 0
	next
}
/^[ \t]*$/ { if (nb > 0) { blk[++nb] = ""; bline[nb] = FNR }; prev_blank = 1; next }
{ flush(); prev_blank = 0 }
END { flush() }
