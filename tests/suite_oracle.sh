#!/bin/sh
# suite_oracle.sh - an independent check of the scoring rules: the sample
# generator (samples/generate.py) carries its own Python reading of SPEC 2
# and prints the scores it expects (--report).  Every unit of every quarter
# scored by tongbao must agree with it, field by field; and the generator
# must reproduce the committed samples byte for byte.
set -u
[ "$VARIANT" = rel ] || { echo "PASS: oracle (checked in the release run)"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

python3 samples/generate.py --report --out "$tmp/gen" > "$tmp/report" 2>&1 || {
	echo "FAIL: generate.py --report"; cat "$tmp/report"; exit 1; }
for q in 2017Q1 2017Q2 2017Q3 2017Q4; do
	for f in "$tmp/gen/$q"/*; do
		if cmp -s "$f" "samples/$q/$(basename "$f")"; then
			echo "PASS: samples reproducible $q/$(basename "$f")"
		else
			echo "FAIL: samples/$q/$(basename "$f") differs from what generate.py writes"; fail=1
		fi
	done
	"$TB" quarter "$q" --data samples --out "$tmp/out" --formats csv -q || { echo "FAIL: run $q"; fail=1; continue; }
	# quarter unit_id name submitted counted effective base quality total
	grep -E "^  $q " "$tmp/report" | awk '{ print $1, $2, $4, $5, $6, $7, $8, $9 }' | sort > "$tmp/want"
	awk -F, 'NR > 1 { print $1, $2, $7, $8, $9, $11, $12, $13 }' "$tmp/out/$q/scores.csv" | sort > "$tmp/got"
	if [ -s "$tmp/want" ] && diff -u "$tmp/want" "$tmp/got" > "$tmp/diff"; then
		echo "PASS: oracle $q ($(wc -l < "$tmp/got") units)"
	else
		echo "FAIL: oracle $q"; head -20 "$tmp/diff"; fail=1
	fi
	# follow-ups (Art 4): Q/directive unit obligation period deadline item status
	grep -E "^  $q/" "$tmp/report" | sed 's/^  //' | sort > "$tmp/fwant"
	python3 -c '
import csv, sys
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")):
    print("%s/%s %s %s %s %s %s %s" % (r["quarter"], r["directive"], r["unit_id"],
        r["obligation"], r["period"] or "-", r["deadline"], r["item"] or "-", r["status"]))
' "$tmp/out/$q/followups.csv" | sort > "$tmp/fgot"
	if diff -u "$tmp/fwant" "$tmp/fgot" > "$tmp/diff"; then
		echo "PASS: oracle follow-ups $q ($(wc -l < "$tmp/fgot") obligations)"
	else
		echo "FAIL: oracle follow-ups $q"; head -20 "$tmp/diff"; fail=1
	fi
done
exit $fail
