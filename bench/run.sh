#!/usr/bin/env bash
# bench/run.sh: the entry point of `make bench`. Runs every bench/*.sh but
# itself and lib.sh, in name order, each as its own process.
#
# Environment: SIFT (the binary; `make bench` sets it, default ./sift),
# and whatever the benchmarks read (see bench/README.md).
#
# A benchmark that misses a target still exits 0 (benchmarks report,
# tests judge); this script exits 1 only if a benchmark itself broke.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
SIFT=${SIFT:-$(cd "$here/.." && pwd)/sift}
export SIFT LC_ALL=C

status=0
first=1
for b in "$here"/*.sh; do
	case "${b##*/}" in
	run.sh | lib.sh) continue ;;
	esac
	[ "$first" = 1 ] || echo
	first=0
	if ! bash "$b"; then
		echo "bench: ${b##*/} failed" >&2
		status=1
	fi
done
exit "$status"
