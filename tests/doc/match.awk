# tests/doc/match.awk WANT GOT: whether GOT is the output WANT shows.
# A WANT line "..." (blanks around it allowed) stands for any number of
# lines; elsewhere lines must follow one another exactly, up to the end
# of GOT unless WANT ends in "...". Times such as 0.05s match any time,
# and trailing blanks do not count. Exits 1 with what differs.

function norm(s) {
	gsub(/[0-9]+\.[0-9]+s/, "#.#s", s)
	sub(/[ \t]+$/, "", s)
	return s
}

FNR == NR { want[++nw] = norm($0); next }
{ got[++ng] = norm($0) }

END {
	j = 1
	gap = 0
	for (i = 1; i <= nw; i++) {
		if (want[i] ~ /^[ \t]*\.\.\.[ \t]*$/) {
			gap = 1
			continue
		}
		if (gap)
			while (j <= ng && got[j] != want[i])
				j++
		if (j > ng || got[j] != want[i]) {
			printf "line %d of the shown output, not found%s:\n  %s\n", \
				i, gap ? " after the lines before it" : "", want[i]
			if (!gap && j <= ng)
				printf "the command printed instead:\n  %s\n", got[j]
			exit 1
		}
		j++
		gap = 0
	}
	if (!gap && j <= ng) {
		printf "the command printed more than shown, from:\n  %s\n", got[j]
		exit 1
	}
}
