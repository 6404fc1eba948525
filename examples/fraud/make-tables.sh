#!/bin/sh
# examples/fraud/make-tables.sh - write model-a.csv and model-b.csv: one
# row per bank transaction (1000 of them, 100 frauds), with the gold label
# and each model's prediction, built from the lecture's confusion matrices:
#   Model A: TP 10, FP 10, FN 90, TN 890
#   Model B: TP 90, FP 90, FN 10, TN 810
set -eu
here=$(cd "$(dirname "$0")" && pwd)
table() { # TP FP FN TN
	awk -v tp="$1" -v fp="$2" -v fn="$3" -v tn="$4" 'BEGIN {
		print "id,gold,pred"
		id = 0
		for (i = 0; i < tp; i++) print ++id ",fraud,fraud"
		for (i = 0; i < fn; i++) print ++id ",fraud,ok"
		for (i = 0; i < fp; i++) print ++id ",ok,fraud"
		for (i = 0; i < tn; i++) print ++id ",ok,ok"
	}'
}
table 10 10 90 890 >"$here/model-a.csv"
table 90 90 10 810 >"$here/model-b.csv"
