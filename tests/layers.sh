#!/bin/sh
# tests/layers.sh BUILD [DOT]: check that the tree's layers point one way,
# and with DOT, write the include graph there (Graphviz's dot language).
#
#   tools/          may include sift/*.h and tools/sift.h, not lib/'s own
#   lib/            may include sift/*.h and lib/'s private headers
#   include/sift/   may include sift/*.h alone
#
# No header includes itself through others (no circle). In the sampling
# module the calls point one way as well (lib/sample_method.h): the core
# (sample_core.o, sample_partial.o) calls no method, and no method calls
# the run or the merge; the object files' undefined symbols say so.
# Prints one line per fault and exits 1 if there is any.
set -u
build=${1:?usage: layers.sh BUILD [DOT]}
dot=${2:-}
cd "$(dirname "$0")/.." || exit 1
faults=0

fault() {
	echo "layers: $*"
	faults=$((faults + 1))
}

# "file included" pairs of every quoted include, paths as in the tree.
edges=${TMPDIR:-/tmp}/sift-layers.$$
trap 'rm -f "$edges"' EXIT
for f in include/sift/*.h lib/*.c lib/*.h tools/*.c tools/*.h; do
	sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f" | while read -r inc; do
		case $inc in
		sift/*) to=include/$inc ;;
		*) to=$(realpath -m --relative-to=. "${f%/*}/$inc") ;;
		esac
		echo "$f $to"
	done
done >"$edges"

while read -r from to; do
	case $from:$to in
	include/sift/*:include/sift/*) ;;
	include/sift/*) fault "$from includes $to: a public header includes public headers only" ;;
	lib/*:include/sift/* | lib/*:lib/*) ;;
	lib/*) fault "$from includes $to: lib/ includes no file of tools/" ;;
	tools/*:include/sift/* | tools/*:tools/*) ;;
	tools/*) fault "$from includes $to: a tool uses the public headers, not lib/'s own" ;;
	esac
done <"$edges"

# A circle among headers: tsort finds one.
if ! awk '$1 ~ /\.h$/' "$edges" | tsort >/dev/null 2>&1; then
	fault "a circle among headers: $(awk '$1 ~ /\.h$/' "$edges" | tsort 2>&1 >/dev/null | tr '\n' ' ')"
fi

# The sampling module's calls, from the objects' undefined symbols.
undefined() {
	nm -u "$build/lib/$1.o" 2>/dev/null | awk '{print $NF}'
}
if [ -f "$build/lib/sample_core.o" ]; then
	for core in sample_core sample_partial; do
		for sym in $(undefined $core); do
			case $sym in
			sample_method | sample_method_* | sift_sample_run | sift_sample_merge | sift_sample_check)
				fault "lib/$core.c calls $sym: the core calls no method" ;;
			esac
		done
	done
	for m in sample_uniform sample_strata sample_weighted sample_snowball \
		sample_judgment sample_uncertainty; do
		for sym in $(undefined $m); do
			case $sym in
			sample_method | sift_sample_run | sift_sample_merge | sift_sample_check)
				fault "lib/$m.c calls $sym: a method calls the core, not the run" ;;
			esac
		done
	done
else
	fault "$build/lib/sample_core.o is missing (make all first)"
fi

# The library speaks of its options' fields, `ratio`, never of the
# command line's flags, --ratio: the tools put fields into flags (see
# sift_set_option_namer in sift/error.h). A string in lib/ that names a
# flag is a fault; comments may, and so may a message that quotes
# another program's (gzip -t).
flags=$(awk '
	/^[ \t]*(\/\*|\*)/ { next }
	{
		line = $0
		while (match(line, /"([^"\\]|\\.)*"/)) {
			lit = substr(line, RSTART, RLENGTH)
			# the flags of other programs may be named: gzip -t
			if (lit !~ /gzip -/ &&
			    (lit ~ /(^|[^-a-zA-Z0-9])--[a-z]/ ||
			     lit ~ /["( ]-[a-zA-Z]( |"|:|\))/))
				print FILENAME ":" FNR ": " lit
			line = substr(line, RSTART + RLENGTH)
		}
	}' lib/*.c)
if [ -n "$flags" ]; then
	printf '%s\n' "$flags" | while IFS= read -r l; do
		echo "layers: $l names a flag; name the field, \`like_this\`" >&2
	done
	fault "lib/ names command-line flags"
fi

if [ -n "$dot" ]; then
	{
		echo 'digraph includes {'
		echo '  rankdir=TB; node [shape=box, fontsize=10];'
		echo '  subgraph cluster_tools { label="tools/"; style=dashed;'
		for f in tools/*.c tools/*.h; do echo "    \"$f\";"; done
		echo '  }'
		echo '  subgraph cluster_lib { label="lib/"; style=dashed;'
		for f in lib/*.c lib/*.h; do echo "    \"$f\";"; done
		echo '  }'
		echo '  subgraph cluster_include { label="include/sift/"; style=dashed;'
		for f in include/sift/*.h; do echo "    \"$f\";"; done
		echo '  }'
		awk '{ printf "  \"%s\" -> \"%s\";\n", $1, $2 }' "$edges"
		echo '}'
	} >"$dot"
fi

[ "$faults" -eq 0 ] && echo "layers: tools/ over lib/ over include/sift/, no circle; the sampling module flows one way; lib/ names fields, not flags"
[ "$faults" -eq 0 ]
