#!/bin/sh
# suite_fuzzregress.sh - the fuzz targets' inputs in make check, without
# libFuzzer: every seed of tests/fuzz/corpus/TARGET and every input that
# once crashed, tests/fuzz/regress/TARGET, goes through the same entry
# point (LLVMFuzzerTestOneInput of tests/fuzz/TARGET.c, with its checks),
# driven by tests/fuzz/driver.c.  Built with $CC (gcc) and the project's
# objects of this variant: $B/rel/*.o, or $B/san/*.o with ASan+UBSan (and
# LeakSanitizer).  One case per target and folder:
#   PASS: fuzz_csv/regress (3 inputs)
# A crash names its input.  Env: B (build dir), VARIANT (rel|san).
set -u
B=${B:-out/build}
VARIANT=${VARIANT:-rel}
CC=${CC:-cc}
top=$(pwd)
D=$B/fuzzregress/$VARIANT
fail=0
mkdir -p "$D"
R=$(mktemp -d)     # this run's outputs
trap 'rm -rf "$R"; rm -f "$D"/*.$$' EXIT

# the libraries' flags as the Makefile has them (PKGS, NOPC)
pkg=$(make -s --no-print-directory -C "$top" print-cflags)
libs=$(make -s --no-print-directory -C "$top" print-libs)
warn="-Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral"
flags="-std=c11 -g -O1 $warn $pkg -DTB_TOP=\"$top\""
[ "$VARIANT" = san ] && flags="$flags -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"

objs=""
for c in $(make -s --no-print-directory -C "$top" print-srcs); do
	o=$B/$VARIANT/${c#gen/}
	o=${o%.c}.o
	if [ ! -f "$o" ]; then
		echo "FAIL: fuzzregress: $o missing (run make check, which builds it)"
		exit 1
	fi
	objs="$objs $o"
done

# stale when any object or source is newer than the binary
build() { # $1 = target
	bin=$D/$1
	if [ -x "$bin" ] && [ -z "$(find $objs "tests/fuzz/$1.c" tests/fuzz/driver.c gen/*.h gen/*/*.h -newer "$bin" 2>/dev/null | head -1)" ]; then
		return 0
	fi
	# built under a temporary name and renamed: another make check running
	# at the same time never sees half a binary
	# shellcheck disable=SC2086
	$CC $flags -o "$bin.$$" "tests/fuzz/$1.c" tests/fuzz/driver.c $objs $libs > "$R/$1.build" 2>&1 &&
	    mv -f "$bin.$$" "$bin"
}

for src in tests/fuzz/fuzz_*.c; do
	t=$(basename "$src" .c)
	if ! build "$t"; then
		echo "FAIL: $t: does not build"
		head -20 "$R/$t.build"
		fail=1
		continue
	fi
	for set in regress corpus; do
		dir=tests/fuzz/$set/$t
		n=$(find "$dir" -maxdepth 1 -type f ! -name '.*' 2>/dev/null | wc -l)
		[ "$n" -gt 0 ] || continue
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		"$D/$t" "$dir" > "$R/$t.$set.out" 2> "$R/$t.$set.err"
		rc=$?
		ok=$(grep -c '^ok ' "$R/$t.$set.out")
		if [ "$rc" -eq 0 ] && [ "$ok" -eq "$n" ]; then
			echo "PASS: $t/$set ($n inputs)"
		else
			last=$(grep '^run ' "$R/$t.$set.err" | tail -1 | cut -c5-)
			echo "FAIL: $t/$set: exit $rc after $ok of $n inputs; input: $last"
			grep -vE '^run ' "$R/$t.$set.err" | head -25
			fail=1
		fi
	done
done
exit $fail
