# tests/doc/extract-man.awk: the commands of a manual page's EXAMPLES
# section (between .EX/.EE or .nf/.fi) as calls of doccheck.sh: one a
# line, a line ending in \ or | or inside a quoted string continued by
# the next (open_quote, tests/doc/shell.awk); roff escapes undone.
# Lines that are not commands (rules, comments) are left out, as is
# everything outside EXAMPLES.

function unroff(s) {
	gsub(/\\-/, "-", s)
	gsub(/\\\(aq/, "'", s)
	gsub(/\\\(dq/, "\"", s)
	gsub(/\\&/, "", s)
	gsub(/\\e/, "\\", s)
	return s
}

/^\.SH / { examples = ($0 ~ /^\.SH EXAMPLES/); inblk = 0; next }
!examples { next }
/^\.(EX|nf)/ { inblk = 1; cmd = ""; next }
/^\.(EE|fi)/ { inblk = 0; next }
!inblk || /^\./ { next }
{
	line = unroff($0)
	if (cmd == "" && line !~ /^(sift|zcat|awk|examples\/|parallel|sqlite3) /)
		next
	start = cmd == "" ? FNR : start
	cmd = cmd == "" ? line : cmd "\n" line
	if (line ~ /(\\|\|)[ \t]*$/ || open_quote(cmd))
		next
	printf "doc_cmd '%s:%d' <<'__SIFT_DOC_CMD__'\n%s\n__SIFT_DOC_CMD__\n", FILENAME, start, cmd
	cmd = ""
}
