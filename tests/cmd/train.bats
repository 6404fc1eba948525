#!/usr/bin/env bats
# Command tests of `sift train`: options, the log, the model file, and
# the bad inputs of issue 5 with their exact messages and statuses.

bats_require_minimum_version 1.5.0

setup() {
	S="$SIFT"
	D="$DATA/train"
	T="$BATS_TEST_TMPDIR"
}

@test "train writes a model, logs epochs on stderr and the report on stdout" {
	run --separate-stderr "$S" train --label misinfo --text text --seed 1 -o "$T/m" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[ -s "$T/m" ]
	[ "$(head -c 8 "$T/m")" = SIFTMODL ]
	[[ "$stderr" == *"epoch 10/10: train loss"*"macro-F1"* ]]
	[[ "$stderr" == *"tuned for the best F1 on the validation data"* ]]
	[[ "$output" == "validation report"* ]]
	[[ "$output" == *"macro F1"* ]]
	[[ "$output" == *"class precision"* ]]
}

@test "the same seed gives the same model bytes; another seed differs" {
	for h in 0 4; do
		"$S" train -l misinfo -t text --hidden $h --seed 3 -q -o "$T/a" "$D/tweets.csv" >/dev/null
		"$S" train -l misinfo -t text --hidden $h --seed 3 -q -o "$T/b" "$D/tweets.csv" >/dev/null
		"$S" train -l misinfo -t text --hidden $h --seed 4 -q -o "$T/c" "$D/tweets.csv" >/dev/null
		cmp "$T/a" "$T/b" || false
		# the seed is stored in the model: its predictions must differ
		"$S" predict -m "$T/a" "$D/tweets.csv" >"$T/pa"
		"$S" predict -m "$T/c" "$D/tweets.csv" >"$T/pc"
		run ! cmp -s "$T/pa" "$T/pc"
	done
}

@test "every feature and training option is accepted" {
	run --separate-stderr "$S" train --label misinfo --text text --num followers \
		--cat verified,user --ngrams 3 --char-ngrams 2,4 --bits 16 --hidden 8 \
		--lr 0.2 --epochs 3 --batch 4 --l2 1e-5 --class-weight balanced \
		--threshold cost --cost FN=10,FP=1 --positive 1 --holdout 0.2 \
		--early-stop 1 --early-stop-on ap --seed 2 -o "$T/m" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"tuned for the lowest cost"* ]]
	[[ "$stderr" == *"(weight "* ]]
}

@test "--valid FILE reports on it; --holdout 0 reports on training data" {
	run --separate-stderr "$S" train -l misinfo -t text --valid "$D/later.csv" --seed 1 -o "$T/m" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[[ "$output" == *"500 records"* ]]
	run --separate-stderr "$S" train -l misinfo -t text --holdout 0 --seed 1 -o "$T/m" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[[ "$output" == "training-data report"* ]]
	[[ "$stderr" == *"no validation data: the report is on the training data"* ]]
}

@test "class weights: LABEL=W is applied and an unknown class is a usage error" {
	run --separate-stderr "$S" train -l misinfo -t text --class-weight 1=5 --seed 1 -o "$T/m" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"1 "*"(weight 5)"* ]]
	run --separate-stderr "$S" train -l misinfo -t text --class-weight nope=5 -o "$T/m" "$D/tweets.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift train: --class-weight: no class 'nope' in the training data" ]
}

@test "--weight reads sample weights; a bad weight names the line" {
	printf 'text,label,w\ngood,a,1\nbad,b,2\ngood,a,x\n' >"$T/w.csv"
	run --separate-stderr "$S" train -l label -t text -w w -o "$T/m" "$T/w.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift train: $T/w.csv:4: column 'w' (3): weight 'x' is not a finite number >= 0" ]
}

@test "--weight: a common scale of the weights changes nothing, and the summary says they are normalised" {
	# (texts span lines: the column is appended by sift, not awk)
	"$S" rebalance --by misinfo -m weights --class-weight 0=3,1=3 --emit-weight w "$D/tweets.csv" >"$T/w3.csv"
	run --separate-stderr "$S" train -l misinfo -t text -w w --seed 1 -o "$T/w" "$T/w3.csv"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *$'\nsift train: weights normalised: mean 1 over 2700 training records (raw mean 3)\n'* ]]
	"$S" train -l misinfo -t text --seed 1 -q -o "$T/plain" "$D/tweets.csv" >/dev/null
	"$S" predict -m "$T/w" "$D/tweets.csv" >"$T/pw.csv"
	"$S" predict -m "$T/plain" "$D/tweets.csv" >"$T/pp.csv"
	cmp "$T/pw.csv" "$T/pp.csv"
	run --separate-stderr "$S" train -l misinfo -t text --seed 1 -o "$T/plain" "$D/tweets.csv"
	[[ "$stderr" != *"normalised"* ]]
}

@test "--weight: design weights of ~1 and ~100 do not make the validation loss jump" {
	gen="$BATS_TEST_DIRNAME/../../examples/tweets/gen-tweets"
	[ -x "$gen" ] || skip "gen-tweets is not built"
	"$gen" -n 100000 -s 7 | "$S" sample --by misinfo --per-stratum 1000 --emit-weight w --seed 1 >"$T/s.csv"
	run --separate-stderr "$S" train -l misinfo -t text -w w --seed 1 -o "$T/m" "$T/s.csv"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"sift train: weights normalised: mean 1 over 1800 training records (raw mean 50)"* ]]
	[[ "$stderr" != *"unstable"* ]]
	# no epoch's validation loss more than 1% above the one before (a
	# creep as the rate nears 0, not a jump)
	printf '%s\n' "$stderr" | awk '/valid loss/ { for (i = 1; i < NF; i++) if ($i == "loss" && $(i - 1) == "valid") v = $(i + 1)
		if (n++ && v > 1.01 * p) bad++; p = v } END { exit !(n == 10 && !bad) }'
}

@test "--weight: weights that are all 0 are an error, in training or in validation" {
	"$S" rebalance --by misinfo -m weights --class-weight 0=0,1=0 --emit-weight w "$D/tweets.csv" >"$T/w0.csv"
	run --separate-stderr "$S" train -l misinfo -t text -w w --seed 1 -o "$T/m" "$T/w0.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift train: $T/w0.csv: column 'w': the weights of the 2700 training records are all 0: there is nothing to learn from" ]
	[ ! -e "$T/m" ]
	"$S" rebalance --by misinfo -m weights --emit-weight w --class-weight 0=1,1=1 "$D/tweets.csv" >"$T/w1.csv"
	"$S" rebalance --by misinfo -m weights --emit-weight w --class-weight 0=0,1=0 "$D/later.csv" >"$T/v0.csv"
	run --separate-stderr "$S" train -l misinfo -t text -w w --valid "$T/v0.csv" --seed 1 -o "$T/m" "$T/w1.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift train: $T/v0.csv: column 'w': the weights of the 500 validation records are all 0: no figure can judge the model on them" ]
}

@test "diagnostics: an unstable validation loss is named, with the epochs and the fix" {
	# (the features and penalty of the figures below)
	run --separate-stderr "$S" train -l misinfo -t text --ngrams 2 --l2 1e-6 --lr 400 --epochs 6 --seed 4 -o "$T/m" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *$'\nsift train: warning: the validation loss is unstable: it rose by 80% from epoch 2 to 3 (0.805 to 1.446): the steps overshoot; the learning rate 400 is too high, try --lr 40'* ]]
	run --separate-stderr "$S" train -l misinfo -t text --ngrams 2 --l2 1e-6 --lr 400 --epochs 6 --seed 3 --class-weight balanced -o "$T/m" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"warning: the validation loss (weighted by the class weights, as in training) is unstable: it rose by "*"(a record of weight 5 takes a step 5 times that of one of weight 1); the learning rate 400 is too high, try --lr 40"* ]]
	# the default steps on the same data are stable
	run --separate-stderr "$S" train -l misinfo -t text --epochs 6 --seed 4 -o "$T/m" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[[ "$stderr" != *"unstable"* ]]
}

@test "--log accumulates runs, options, epochs and batches in SQLite" {
	command -v sqlite3 >/dev/null || skip "sqlite3 shell not installed"
	"$S" train -l misinfo -t text --seed 1 -q --log "$T/runs.db" -o "$T/m" "$D/tweets.csv" >/dev/null
	"$S" train -l misinfo -t text --seed 2 -q --epochs 2 --log "$T/runs.db" -o "$T/m" "$D/tweets.csv" >/dev/null
	[ "$(sqlite3 "$T/runs.db" 'select count(*) from runs where status = "ok"')" = 2 ]
	[ "$(sqlite3 "$T/runs.db" 'select count(*) from epochs')" = 12 ]
	[ "$(sqlite3 "$T/runs.db" 'select value from options where run_id = 2 and name = "epochs"')" = 2 ]
	[ "$(sqlite3 "$T/runs.db" 'pragma user_version')" = 1 ]
	[ "$(sqlite3 "$T/runs.db" 'select count(*) > 100 from batches')" = 1 ]
}

@test "--self-train reports what it added per class per round" {
	awk -F, 'NR > 1 && NR % 3 == 0 { sub(/[01]$/, "") } { print }' "$D/tweets.csv" >"$T/semi.csv"
	run --separate-stderr "$S" train -l misinfo -t text --self-train 2 --confidence 0.9 --seed 1 -o "$T/m" "$T/semi.csv"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"self-training round 1: "*"records pseudo-labeled (0 "*", 1 "* ]]
	[[ "$stderr" == *"round 1 epoch 1/10"* ]]
}

@test "diagnostics: one class predicted, too few records, an empty column" {
	{ echo "text,empty,label"; for i in $(seq 300); do
		if [ $((i % 100)) -eq 0 ]; then echo "x,,b"; else echo "x,,a"; fi; done; } >"$T/d.csv"
	run --separate-stderr "$S" train -l label -t empty --holdout 0 -o "$T/m" "$T/d.csv"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"warning: the model predicts one class only ('a'): its accuracy of 99.0% is the accuracy trap, the recall of 'b' is 0; try --class-weight balanced"* ]]
	[[ "$stderr" == *"warning: class 'b' has only 3 labeled training records"* ]]
	[[ "$stderr" == *"warning: text column 'empty' yielded no tokens in any record: check --text"* ]]
}

@test "diagnostics: a leaking categorical column is named" {
	awk -F, 'NR == 1 || (NF == 8 && !/"/ && /^[0-9]+,20/)' "$D/tweets.csv" |
		awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0, "copy"; next } { print $0, "v" $NF }' >"$T/leak.csv"
	run --separate-stderr "$S" train -l misinfo -t text --cat copy --seed 1 -o "$T/m" "$T/leak.csv"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"one feature alone predicts the label perfectly: a categorical feature of column 'copy'"* ]]
}

@test "a learning rate far too high is caught" {
	run --separate-stderr "$S" train -l misinfo -t text --lr 1e300 --seed 1 -o "$T/m" "$D/tweets.csv"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"the learning rate is too high; try --lr"* ]]
	[ ! -e "$T/m" ]
}

@test "usage errors: exit 2 with the message and the usage line" {
	run --separate-stderr "$S" train -t text -o "$T/m" "$D/tweets.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift train: --label COL is required" ]
	[[ "${stderr_lines[1]}" == "usage: sift train"* ]]
	run --separate-stderr "$S" train -l misinfo -t text "$D/tweets.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift train: -o MODEL is required" ]
	run --separate-stderr "$S" train -l misinfo -o "$T/m" "$D/tweets.csv"
	[ "${stderr_lines[0]}" = "sift train: no features: give --text, --num or --cat" ]
	run --separate-stderr "$S" train -l misinfo -t text --bits 40 -o "$T/m" "$D/tweets.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift train: --bits: 40 is not in 1..28" ]
	run --separate-stderr "$S" train -l misinfo -t text --threshold best -o "$T/m" "$D/tweets.csv"
	[ "${stderr_lines[0]}" = "sift train: --threshold: 'best' is not f1, cost or none" ]
	run --separate-stderr "$S" train -l misinfo -t text --cost FN=x -o "$T/m" "$D/tweets.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift train: --cost: 'FN=x' is not KEY=NUMBER (KEY: TP, FP, FN, TN or gold:pred)" ]
	run --separate-stderr "$S" train -l misinfo -t text --holdout 1 -o "$T/m" "$D/tweets.csv"
	[ "${stderr_lines[0]}" = "sift train: --holdout: 1 is not in [0, 1)" ]
	run --separate-stderr "$S" train -l misinfo -t text --bogus -o "$T/m" "$D/tweets.csv"
	[ "${stderr_lines[0]}" = "sift train: unknown option --bogus" ]
}

@test "--cost reads sift metrics' spec: keys in any case, FN and FP only" {
	# the costs stored in the model are the ones given, whatever the case
	run --separate-stderr "$S" train -l misinfo -t text --threshold cost --cost fn=10,fp=1 \
		--seed 1 -q -o "$T/lower" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	"$S" train -l misinfo -t text --threshold cost --cost FN=10,FP=1 \
		--seed 1 -q -o "$T/upper" "$D/tweets.csv" >/dev/null
	cmp "$T/lower" "$T/upper"
	run --separate-stderr "$S" train -l misinfo -t text --cost Fn=3 --seed 1 -q -o "$T/fn" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	run --separate-stderr "$S" train -l misinfo -t text --cost TP=0,FN=2 -o "$T/m" "$D/tweets.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift train: --cost: 'TP=0': sift train weighs its two errors only: give FN=X,FP=Y" ]
	run --separate-stderr "$S" train -l misinfo -t text --cost 1:0=5,0:1=1 -o "$T/m" "$D/tweets.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift train: --cost: '1:0=5': sift train weighs its two errors only: give FN=X,FP=Y" ]
	run --separate-stderr "$S" train -l misinfo -t text --cost FN=-1 -o "$T/m" "$D/tweets.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift train: --cost: 'FN=-1': a cost must be >= 0" ]
	run --separate-stderr "$S" train -l misinfo -t text --cost XY=3 -o "$T/m" "$D/tweets.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift train: --cost: 'XY=3' is not KEY=NUMBER (KEY: TP, FP, FN, TN or gold:pred)" ]
	run --separate-stderr "$S" train -l misinfo -t text --cost '' -o "$T/m" "$D/tweets.csv"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "sift train: --cost: no entry in '': give KEY=NUMBER,... (KEY: TP, FP, FN, TN or gold:pred)" ]
	[ ! -e "$T/m" ]
}

@test "bad data: a missing column, one class, an unknown validation label" {
	run --separate-stderr "$S" train -l nope -t text -o "$T/m" "$D/tweets.csv"
	[ "$status" -eq 1 ]
	[[ "$stderr" == "sift train: "*"nope"* ]]
	printf 'text,label\na,x\nb,x\n' >"$T/one.csv"
	run --separate-stderr "$S" train -l label -t text -o "$T/m" "$T/one.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift train: $T/one.csv: the label column 'label' has 1 class among 2 records: training needs at least two" ]
	printf 'text,label\na,x\nb,y\n' >"$T/two.csv"
	printf 'text,label\na,z\n' >"$T/v.csv"
	run --separate-stderr "$S" train -l label -t text --valid "$T/v.csv" -o "$T/m" "$T/two.csv"
	[ "$status" -eq 1 ]
	[ "$stderr" = "sift train: $T/v.csv:2: column 'label' (2): label 'z' is not among the training classes" ]
}

@test "--help lists every option" {
	run "$S" train --help
	[ "$status" -eq 0 ]
	for o in --label --text --num --cat --weight --ngrams --char-ngrams --bits \
	         --hidden --lr --epochs --batch --l2 --class-weight --threshold --cost \
	         --positive --valid --holdout --early-stop --early-stop-on --self-train \
	         --confidence --seed --log --export-svm --output --quiet --verbose; do
		[[ "$output" == *"$o"* ]] || false
	done
}

@test "--export-svm writes the model's features in the LIBSVM format, as predict does" {
	"$S" train -l misinfo -t text --seed 1 -q -o "$T/m" --export-svm "$T/a.svm" "$D/tweets.csv" >/dev/null
	[ "$(wc -l <"$T/a.svm")" -eq 3000 ] # records (some texts span lines)
	# labels are class ids; indices 1-based and strictly ascending
	awk '{ if ($1 != 0 && $1 != 1) bad++
		for (i = 2; i <= NF; i++) { split($i, a, ":"); if (a[1] + 0 < 1 || (i > 2 && a[1] + 0 <= p)) bad++; p = a[1] + 0 } }
		END { exit bad > 0 }' "$T/a.svm"
	"$S" predict -m "$T/m" --export-svm "$T/b.svm" -o /dev/null "$D/tweets.csv"
	cmp "$T/a.svm" "$T/b.svm"
	# unlabeled records are left out
	awk 'NR > 1 && NR <= 6 { sub(/,[01]$/, ",") } { print }' "$D/tweets.csv" >"$T/u.csv"
	"$S" train -l misinfo -t text --seed 1 -q -o "$T/m2" --export-svm "$T/c.svm" "$T/u.csv" >/dev/null
	[ "$(wc -l <"$T/c.svm")" -eq 2995 ]
}

@test "predict --export-svm labels an unknown or missing label -1" {
	"$S" train -l misinfo -t text --seed 1 -q -o "$T/m" "$D/tweets.csv" >/dev/null
	printf 'text,misinfo\nhello world,1\nhello,maybe\n' >"$T/x.csv"
	"$S" predict -m "$T/m" --export-svm "$T/x.svm" -o /dev/null "$T/x.csv"
	[ "$(cut -d' ' -f1 "$T/x.svm" | tr '\n' ' ')" = "1 -1 " ]
	printf 'text\nhello world\n' >"$T/y.csv"
	"$S" predict -m "$T/m" --export-svm "$T/y.svm" -o /dev/null "$T/y.csv"
	[ "$(cut -d' ' -f1 "$T/y.svm")" = "-1" ]
}

@test "diagnostics: a leaking text feature among several text columns" {
	awk 'BEGIN { srand(3); print "text,tag,y"
		for (i = 0; i < 400; i++) { y = i % 4 == 0
			printf "w%d w%d,note x%dx w%d,%d\n", int(rand() * 50), int(rand() * 50), y, int(rand() * 50), y } }' >"$T/leak.csv"
	run --separate-stderr "$S" train -l y -t text -t tag --seed 1 -o "$T/m" "$T/leak.csv"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"one feature alone predicts the label perfectly: a text feature (of one of the --text columns) is in every"* ]]
	run --separate-stderr "$S" train -l y -t tag --seed 1 -o "$T/m" "$T/leak.csv"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"one feature alone predicts the label perfectly: a text feature of column 'tag' is in every"* ]]
}

@test "the summary says which weights are kept; -v prints about ten batch lines an epoch" {
	run --separate-stderr "$S" train -l misinfo -t text --seed 1 -o "$T/m" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"kept the weights of the last epoch, 10 (the best on validation was epoch "* ]]
	# one epoch: the last is the best, and the line says just that
	run --separate-stderr "$S" train -l misinfo -t text --seed 1 --epochs 1 -o "$T/m" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"; kept the weights of the last epoch, 1, the best on validation"$'\n'* ]]
	run --separate-stderr "$S" train -l misinfo -t text --seed 1 --epochs 8 --early-stop 2 -o "$T/m" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	[[ "$stderr" =~ "kept the weights of epoch "[1-8]" of "[1-8]", the best on validation (--early-stop; no gain in 2 epochs after epoch "[1-8] ]]
	run --separate-stderr "$S" train -l misinfo -t text --seed 1 --epochs 2 -v -o "$T/m" "$D/tweets.csv"
	[ "$status" -eq 0 ]
	n=$(printf '%s\n' "$stderr" | grep -c '^sift train: round 0 epoch [12] batches [0-9]*-[0-9]*/338: loss')
	[ "$n" -eq 20 ]
	printf '%s\n' "$stderr" | grep -q 'epoch 2 batches 307-338/338'
}
