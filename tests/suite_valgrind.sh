#!/bin/sh
# suite_valgrind.sh - no leaks and no memory errors under valgrind on the
# sample run (quarter, year) and on a run refused for bad input.  The
# sanitizer variant of the other suites covers the rest; valgrind runs once.
set -u
[ "$VARIANT" = rel ] || { echo "PASS: valgrind (checked in the release run)"; exit 0; }
command -v valgrind > /dev/null || { echo "FAIL: valgrind is not installed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
vg() { # name, expected exit, args...
	name=$1 want=$2; shift 2
	valgrind -q --leak-check=full --show-leak-kinds=all \
	    --errors-for-leak-kinds=definite,indirect,possible \
	    --error-exitcode=99 "$TB" "$@" > "$tmp/log" 2>&1
	rc=$?
	if [ "$rc" -eq "$want" ]; then
		echo "PASS: valgrind $name"
	else
		echo "FAIL: valgrind $name (exit $rc, want $want)"; grep -v '^tongbao:' "$tmp/log" | head -30; fail=1
	fi
}
vg "quarter 2017Q1" 0 quarter 2017Q1 --data samples --out "$tmp/out" -q
vg "year 2017" 0 year 2017 --data samples --out "$tmp/out" -q
cp -R tests/bad/several-errors/data "$tmp/bad"
cp samples/units.xml samples/rules.xml "$tmp/bad/"
vg "bad input" 65 check 2017Q1 --data "$tmp/bad" -q
exit $fail
