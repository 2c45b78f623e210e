#!/bin/sh
# suite_bad.sh - the bad-input suite: one folder per defect under tests/bad/,
# each a data folder (data/2017Q1/...; units.xml and rules.xml come from
# samples/ unless the case has its own) and `expected`, the exact
# diagnostics.  Each case must exit 65, print exactly the expected
# FILE:LINE lines, and leave the output folder exactly as it was.
# REGEN=1 rewrites the expected files (make golden) - read the diff!
set -u
top=$(pwd)
tb=$(cd "$(dirname "$TB")" && pwd)/$(basename "$TB")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0

for case in tests/bad/*/; do
	name=$(basename "$case")
	d=$work/$name
	mkdir -p "$d"
	cp -R "$case/data" "$d/data"
	[ -f "$d/data/units.xml" ] || cp samples/units.xml "$d/data/"
	[ -f "$d/data/rules.xml" ] || cp samples/rules.xml "$d/data/"
	mkdir -p "$d/out/2017Q1"
	echo "published before" > "$d/out/2017Q1/scores.csv"
	echo "keep" > "$d/out/keep.txt"
	before=$(cd "$d" && find out -print0 | sort -z | xargs -0 ls -ld --time-style=+%s | awk '{print $1, $5, $6, $7}'; cat out/2017Q1/scores.csv)
	(cd "$d" && "$tb" quarter 2017Q1 --data data --out out > stdout 2> stderr)
	rc=$?
	(cd "$d" && "$tb" check 2017Q1 --data data > /dev/null 2> check.stderr)
	crc=$?
	after=$(cd "$d" && find out -print0 | sort -z | xargs -0 ls -ld --time-style=+%s | awk '{print $1, $5, $6, $7}'; cat out/2017Q1/scores.csv)
	grep -E ': (error|warning): ' "$d/stderr" > "$d/got"
	if [ "${REGEN:-0}" = 1 ]; then
		cp "$d/got" "$case/expected"
		echo "PASS: $name (regenerated)"
		continue
	fi
	why=""
	[ "$rc" -eq 65 ] || why="$why exit $rc (want 65);"
	[ "$crc" -eq 65 ] || why="$why check exit $crc (want 65);"
	[ "$before" = "$after" ] || why="$why output folder changed;"
	[ -s "$d/got" ] || why="$why no diagnostics;"
	if ! diff -u "$case/expected" "$d/got" > "$d/diff" 2>&1; then
		why="$why diagnostics differ:"
	fi
	if [ -z "$why" ]; then
		echo "PASS: $name"
	else
		echo "FAIL: $name:$why"
		cat "$d/diff" "$d/stderr" | head -30
		fail=1
	fi
done
exit $fail
