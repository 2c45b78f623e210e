#!/bin/sh
# suite_crash.sh - crash safety and re-runs of the publication.  The samples
# are published once (the "old" set), then a run on a changed copy of the
# data (one adoption fewer: scores.csv, the notice and the PDF change) is
# killed with SIGKILL after a random delay spread over the whole run, many
# times, each time starting again from the old set.  After each kill
# OUT/2017Q1 must hold exactly the complete old set or exactly the complete
# new one (checksums of every file, superseded/ included, never a mix or a
# partial file), nothing but hidden .2017Q1.new-PID / .old-PID folders may be
# left beside it, and the next run must succeed despite the dead run's lock
# file and leave nothing behind.  Also: an identical re-run touches nothing
# (inodes and times), and a changed re-run keeps the previous PDF as
# superseded/tongbao-YYYY-MM-DDTHHMMSS.pdf (its old modification time,
# local) and says so.  Where strace works, the run is also killed at each
# step of the publication in turn (SIGKILL injected at the k-th call of each
# system call that changes the output), so every point is tried, not only
# the ones a random delay happens to hit.  VARIANT=san does fewer random
# rounds and no strace sweep; ROUNDS=N overrides the number of rounds.
set -u
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A private copy of the program with its templates and fonts laid out as in
# the tree, so that a rebuild during the suite's half minute cannot change
# the outputs between two runs.
prog=$work/prog
mkdir -p "$prog/bin" "$prog/out/build"
cp "$TB" "$prog/bin/tongbao"
tb=$prog/bin/tongbao
cp -R templates fonts "$prog/"
[ -d out/build/fonts ] && cp -R out/build/fonts "$prog/out/build/"
fail=0
if [ "${VARIANT:-rel}" = san ]; then rounds=${ROUNDS:-6}; else rounds=${ROUNDS:-40}; fi

ok() { echo "PASS: $1"; }
bad() { echo "FAIL: $1"; fail=1; }

# The changed data: the samples without their last adoption.
cp -R samples "$work/new"
sed -i '$d' "$work/new/2017Q1/adoptions.csv"

run() { # data out [more options]: one quiet run, stderr to $work/stderr
	d=$1 o=$2; shift 2
	# the unit statements (120 more files, a second more) are left out:
	# they are published by the same code, and 80 killed runs stay fast
	"$tb" quarter 2017Q1 --data "$d" --out "$o" --formats csv,pdf,html -q "$@" 2> "$work/stderr"
}

# Every entry under the folder $1 with a checksum (files) or its type,
# the date in superseded names replaced by DATE.  Prints nothing (and
# fails) when the folder is missing.
set_of() {
	[ -d "$1" ] || return 1
	(cd "$1" && find . -mindepth 1 | LC_ALL=C sort | while IFS= read -r p; do
		if [ -f "$p" ] && [ ! -L "$p" ]; then
			echo "$(sha256sum < "$p" | cut -c1-64) $p"
		else
			echo "$(stat -c %F "$p") $p"
		fi
	done) | sed -E 's#superseded/tongbao-[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{6}(-[0-9]+)?\.pdf#superseded/tongbao-DATE.pdf#'
}

# Entries of OUT other than the lock and the folder, one a line.
extras() { ls -A "$1" | grep -vxE '\.2017Q1\.lock|2017Q1'; }

# Milliseconds since the epoch.
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# ---- the two sets -------------------------------------------------------
ref=$work/ref
if run samples "$ref"; then ok "publish the samples"; else bad "publish the samples (exit $?)"; cat "$work/stderr"; exit 1; fi
cp -a "$ref" "$work/pristine"
set_of "$ref/2017Q1" > "$work/old.set"
if run "$work/new" "$ref"; then ok "publish the changed data"; else bad "publish the changed data (exit $?)"; cat "$work/stderr"; exit 1; fi
set_of "$ref/2017Q1" > "$work/new.set"
if cmp -s "$work/old.set" "$work/new.set"; then
	bad "the changed data changes the outputs"; exit 1
fi
for f in scores.csv tongbao.pdf; do
	if grep -q " ./$f\$" "$work/old.set" && ! grep -qxF "$(grep " ./$f\$" "$work/old.set")" "$work/new.set"; then
		ok "the changed data changes $f"
	else
		bad "the changed data changes $f"
	fi
done

# ---- a changed re-run keeps the previous PDF -----------------------------
old_pdf=$work/pristine/2017Q1/tongbao.pdf
stamp=$(date -r "$old_pdf" +%Y-%m-%dT%H%M%S)
kept=$ref/2017Q1/superseded/tongbao-$stamp.pdf
if [ "$(ls -A "$ref/2017Q1/superseded" 2>/dev/null)" = "tongbao-$stamp.pdf" ] &&
   cmp -s "$kept" "$old_pdf" &&
   [ "$(stat -c %Y "$kept")" = "$(stat -c %Y "$old_pdf")" ]; then
	ok "a changed re-run keeps the previous PDF as superseded/tongbao-$stamp.pdf"
else
	bad "a changed re-run keeps the previous PDF as superseded/tongbao-$stamp.pdf"
	ls -lR "$ref/2017Q1"
fi
rm -rf "$work/say"
cp -a "$work/pristine" "$work/say"
"$tb" quarter 2017Q1 --data "$work/new" --out "$work/say" 2> "$work/stderr"
if grep -qF "tongbao.pdf: warning: replaced; the previous version is kept as $work/say/2017Q1/superseded/tongbao-$stamp.pdf" "$work/stderr"; then
	ok "a replaced PDF is reported"
else
	bad "a replaced PDF is reported"; grep -v 'submissions.csv' "$work/stderr" | head
fi

# ---- an identical re-run touches nothing ---------------------------------
snap() { (cd "$1" && find . -printf '%p %i %T@ %s\n' | LC_ALL=C sort); }
snap "$ref" > "$work/before"
if run "$work/new" "$ref" && snap "$ref" > "$work/after" && cmp -s "$work/before" "$work/after"; then
	ok "an identical re-run rewrites nothing (inodes and times)"
else
	bad "an identical re-run rewrites nothing (inodes and times)"; diff "$work/before" "$work/after" | head
fi

# ---- killed runs ---------------------------------------------------------
# The duration of a run on the changed data, from the old set.
total=0
for i in 1 2 3; do
	rm -rf "$work/out"; cp -a "$work/pristine" "$work/out"
	t0=$(now_ms); run "$work/new" "$work/out"; t1=$(now_ms)
	total=$((total + t1 - t0))
done
dur=$((total / 3))
span=$((dur + dur / 5 + 5))     # a little past the end too

n_old=0 n_new=0 n_left=0 why=""

# Checks OUT after a killed run (round $1), then that the next run succeeds
# and leaves nothing behind; adds what is wrong to $why.
check_killed() {
	label=$1 out=$work/out
	set_of "$out/2017Q1" > "$work/got.set"
	if cmp -s "$work/got.set" "$work/old.set"; then
		n_old=$((n_old + 1))
	elif cmp -s "$work/got.set" "$work/new.set"; then
		n_new=$((n_new + 1))
	else
		why="$why $label: a mix or partial set;"
		diff "$work/old.set" "$work/got.set" | head -20
	fi
	if [ -n "$(find "$out/2017Q1" -name '.*' 2> /dev/null)" ]; then
		why="$why $label: a hidden temporary inside the folder;"
	fi
	x=$(extras "$out")
	if [ -n "$x" ]; then
		n_left=$((n_left + 1))
		if printf '%s\n' "$x" | grep -qvxE '\.2017Q1\.(new|old)-[0-9]+(-[0-9]+)?'; then
			why="$why $label: visible leftovers: $x;"
		fi
	fi
	# the next run succeeds despite the dead run's lock, and cleans up
	if ! run "$work/new" "$out"; then
		why="$why $label: the next run failed ($(head -3 "$work/stderr"));"
	elif ! set_of "$out/2017Q1" | cmp -s - "$work/new.set"; then
		why="$why $label: the next run did not publish the new set;"
	elif [ -n "$(extras "$out")" ]; then
		why="$why $label: the next run left $(extras "$out");"
	fi
}

# Random kills, spread over the whole run.
i=0
while [ $i -lt "$rounds" ]; do
	i=$((i + 1))
	rm -rf "$work/out"; cp -a "$work/pristine" "$work/out"
	r=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
	ms=$((r % span))
	"$tb" quarter 2017Q1 --data "$work/new" --out "$work/out" --formats csv,pdf,html -q 2> /dev/null &
	pid=$!
	sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
	kill -KILL $pid 2> /dev/null
	wait $pid 2> /dev/null
	check_killed "round $i (${ms} ms)"
done
if [ -z "$why" ]; then
	ok "$rounds runs killed at random within ${span} ms: always a complete set ($n_old old, $n_new new, $n_left with hidden leftovers), the next run succeeds and cleans up"
else
	bad "runs killed at random:$why"
fi

# Kills at each step of the publication: strace delivers SIGKILL at the
# k-th call (after the lock is taken) of each system call that changes the
# output, so every point between two steps is tried.
if [ "${VARIANT:-rel}" = san ]; then
	echo "SKIP: kills at each step of the publication (checked in the release run)"
elif ! strace -f -o /dev/null true 2> /dev/null; then
	echo "SKIP: kills at each step of the publication (strace is not available)"
else
	n_old=0 n_new=0 n_left=0 why="" tries=0
	calls="mkdir mkdirat chmod fchmod fchmodat openat write fsync linkat symlinkat renameat2 renameat rename unlink unlinkat rmdir"
	rm -rf "$work/out"; cp -a "$work/pristine" "$work/out"
	strace -f -qq -o "$work/trace" -e trace="$(echo $calls | tr ' ' ,)" \
	    "$tb" quarter 2017Q1 --data "$work/new" --out "$work/out" --formats csv,pdf,html -q 2> /dev/null
	# only the calls after the lock is taken: the publication
	lockline=$(grep -n '2017Q1\.lock' "$work/trace" | head -1 | cut -d: -f1)
	for c in $calls; do
		count=$(grep -cE "^[0-9]+ +$c\(" "$work/trace")
		k=$(head -n "$lockline" "$work/trace" | grep -cE "^[0-9]+ +$c\(")
		k=$((k + 1))
		while [ $k -le "$count" ]; do
			rm -rf "$work/out"; cp -a "$work/pristine" "$work/out"
			strace -f -qq -o /dev/null -e trace="$c" -e inject="$c":signal=SIGKILL:when=$k \
			    "$tb" quarter 2017Q1 --data "$work/new" --out "$work/out" --formats csv,pdf,html -q > /dev/null 2>&1
			tries=$((tries + 1))
			check_killed "$c #$k"
			k=$((k + 1))
		done
	done
	if [ -z "$why" ] && [ $n_new -gt 0 ] && [ $n_old -gt 0 ] && [ $tries -gt 20 ]; then
		ok "$tries runs killed at each step of the publication: always a complete set ($n_old old, $n_new new, $n_left with hidden leftovers), the next run succeeds and cleans up"
	else
		bad "runs killed at each step of the publication ($tries tries, $n_new new):$why"
	fi
fi

exit $fail
