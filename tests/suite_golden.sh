#!/bin/sh
# suite_golden.sh - end to end over samples/: every quarter of 2017 and the
# year, compared byte for byte with tests/golden/expected/ (diff -u).  Also
# checks that a second run gives byte-identical files.  Regenerate the
# expected files on purpose with `make golden` (REGEN=1) and read the diff.
set -u
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
exp=tests/golden/expected
fail=0

run() { # name, command...
	name=$1; shift
	if "$@" > "$out/log" 2>&1; then
		echo "PASS: run $name"
	else
		echo "FAIL: run $name (exit $?)"; cat "$out/log" | head -20; fail=1
	fi
}

for q in 2017Q1 2017Q2 2017Q3 2017Q4; do
	run "$q" "$TB" quarter "$q" --data samples --out "$out/a" -q
done
run 2017 "$TB" year 2017 --data samples --out "$out/a" -q

files="2017Q1/scores.csv 2017Q2/scores.csv 2017Q3/scores.csv 2017Q4/scores.csv
       2017Q1/followups.csv 2017Q2/followups.csv 2017Q3/followups.csv 2017Q4/followups.csv
       2017/annual.csv 2017/workers.csv"
if [ "${REGEN:-0}" = 1 ]; then
	for f in $files; do
		mkdir -p "$exp/$(dirname "$f")"
		cp "$out/a/$f" "$exp/$f"
	done
	echo "PASS: regenerated $exp"
	exit 0
fi
for f in $files; do
	if diff -u "$exp/$f" "$out/a/$f" > "$out/diff" 2>&1; then
		echo "PASS: golden $f"
	else
		echo "FAIL: golden $f"; head -40 "$out/diff"; fail=1
	fi
done

# the same input gives byte-identical output, every file
if [ "$VARIANT" = rel ]; then
	"$TB" quarter 2017Q1 --data samples --out "$out/b" -q
	"$TB" year 2017 --data samples --out "$out/b" -q
	for f in $(cd "$out/b" && find 2017Q1 2017 -type f | sort); do
		if cmp -s "$out/a/$f" "$out/b/$f"; then
			echo "PASS: deterministic $f"
		else
			echo "FAIL: deterministic $f differs between two runs"; fail=1
		fi
	done
fi
exit $fail
