#!/bin/sh
# suite_threads.sh - the program's threads under ThreadSanitizer.  The 120
# statements are rendered on up to four threads (units.c); the
# ThreadSanitizer build ($B/tsan/tongbao,
# built by `make check`) runs the sample quarter with every format and the
# sample year, and must finish with exit 0, no report, and every file.
# Runs once (VARIANT=rel): the sanitizers cannot be combined in one build.
# Should the kernel lay out memory where TSan cannot work ("unexpected
# memory mapping", with high ASLR entropy), the run is repeated without
# address randomization (setarch -R), TSan's documented remedy.
set -u
B=${B:-out/build}
VARIANT=${VARIANT:-rel}
[ "$VARIANT" = rel ] || exit 0
tb=$B/tsan/tongbao
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

tsan_run() { # args...
	TSAN_OPTIONS="halt_on_error=1 exitcode=66" "$tb" "$@" 2> "$tmp/err"
	rc=$?
	if grep -q "unexpected memory mapping" "$tmp/err"; then
		TSAN_OPTIONS="halt_on_error=1 exitcode=66" setarch "$(uname -m)" -R \
		    "$tb" "$@" 2> "$tmp/err"
		rc=$?
	fi
}

verdict() { # name, files that must exist...
	name=$1; shift
	why=""
	[ "$rc" -eq 0 ] || why="$why exit $rc;"
	grep -q "ThreadSanitizer" "$tmp/err" && why="$why $(grep -m1 'WARNING: ThreadSanitizer' "$tmp/err");"
	for f in "$@"; do
		[ -s "$f" ] || why="$why no $f;"
	done
	if [ -z "$why" ]; then
		echo "PASS: threads: $name"
	else
		echo "FAIL: threads: $name:$why"
		head -20 "$tmp/err"
		fail=1
	fi
}

if [ ! -x "$tb" ]; then
	echo "FAIL: threads: no $tb (make check builds it)"
	exit 1
fi
tsan_run quarter 2017Q1 --data samples --out "$tmp/out" -q
verdict "quarter, every format, no race" "$tmp/out/2017Q1/tongbao.pdf" \
    "$tmp/out/2017Q1/index.html" "$tmp/out/2017Q1/units.pdf" \
    "$tmp/out/2017Q1/units/wuhan.pdf"
tsan_run year 2017 --data samples --out "$tmp/out" -q
verdict "year, no race" "$tmp/out/2017/tongbao.pdf" "$tmp/out/2017/index.html"
exit $fail
