# tests/doc/shell.awk: open_quote(s), whether the shell text s ends
# inside a quoted string ('...' or "...", a backslash escaping outside
# single quotes, comments skipped), so that a command spans lines.
# Loaded before extract-md.awk and extract-man.awk.

function open_quote(s,    i, c, q, len) {
	q = ""
	len = length(s)
	for (i = 1; i <= len; i++) {
		c = substr(s, i, 1)
		if (q == "'") {
			if (c == "'")
				q = ""
		} else if (c == "\\") {
			i++
		} else if (q == "\"") {
			if (c == "\"")
				q = ""
		} else if (c == "'" || c == "\"") {
			q = c
		} else if (c == "#" && (i == 1 || substr(s, i - 1, 1) ~ /[ \t\n;|&]/)) {
			while (i <= len && substr(s, i, 1) != "\n")
				i++
		}
	}
	return q != ""
}
