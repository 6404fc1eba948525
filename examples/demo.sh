#!/bin/sh
# examples/demo.sh - `make demo`: the README's tour, every command of it
# as written, from generating the corpus to sampling, labeling with
# rules, auditing annotators, splitting, rebalancing, training,
# predicting and the metrics, each command shown with the start of its
# output (tests/doc/doccheck.sh --demo: the commands are read from
# README.md, so that the demo and the README cannot part). SIFT names
# the sift binary (make sets it); DEMO_DIR the directory the tour runs
# in, new or empty, kept afterwards (default: a new one in TMPDIR).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=${DEMO_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/sift-demo.XXXXXX")}
SIFT=${SIFT:-$here/../sift} exec "$here/../tests/doc/doccheck.sh" \
	--demo "$dir" "$here/.."
