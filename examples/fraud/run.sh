#!/bin/sh
# examples/fraud/run.sh - the lecture's two fraud models, both 90%
# accurate, through sift metrics: it shows what accuracy hides and flags
# model A. SIFT names the sift binary (default: the one built in the
# repository).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
sift=${SIFT:-$here/../../sift}
[ -s "$here/model-a.csv" ] || "$here/make-tables.sh"
for model in a b; do
	echo "\$ sift metrics --gold gold --pred pred --positive fraud model-$model.csv"
	"$sift" metrics --gold gold --pred pred --positive fraud "$here/model-$model.csv"
	echo
done
# The verdict a script can read: model A's warnings, as CSV rows.
echo "\$ sift metrics --gold gold --pred pred --positive fraud -f csv model-a.csv | grep ',warning,'"
"$sift" metrics --gold gold --pred pred --positive fraud -f csv "$here/model-a.csv" |
	grep ',warning,'
