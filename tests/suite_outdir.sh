#!/bin/sh
# suite_outdir.sh - a hostile or careless output folder (issue 16), end to
# end: cron runs the program as root over OUT, where others may write.
#   - symbolic links planted where the run writes (OUT/2017Q1, its units/,
#     the lock file) are refused with exit 73 and a message naming the
#     path, and nothing appears where they point; links and files named
#     like the program's leftovers (.2017Q1.new-PID, .old-PID) are left
#     alone with a warning and block nothing;
#   - a umask 077 run publishes 0644 files and 0755 folders, and repairs
#     what an earlier one left;
#   - each folder has its own lock: a run for 2017Q2 does not wait for one
#     publishing 2017Q1; --wait waits, then gives up with 75;
#   - --formats csv after a full run refreshes the whole set (README,
#     "Publication"): the PDF and the page agree with the new scores.csv;
#   - an OUT path near PATH_MAX publishes and re-publishes, leaving nothing;
#   - SIGXFSZ does not kill the run (exit 73, not 153).
# Env: TB (binary), VARIANT (rel|san).  Run from the repository root.
set -u
tb=$(cd "$(dirname "$TB")" && pwd)/$(basename "$TB")
VARIANT=${VARIANT:-rel}
work=$(mktemp -d)
holder_pid=""
cleanup() {
	[ -n "$holder_pid" ] && kill "$holder_pid" 2> /dev/null
	rm -rf "$work"
}
trap cleanup EXIT
fail=0
ok()  { echo "PASS: $1"; }
bad() { echo "FAIL: $1"; fail=1; }
verdict() { if [ -z "$why" ]; then ok "$1"; else bad "$1:$why"; head -5 "$d/stderr" 2> /dev/null; fi; }

# case NAME: $d = $work/NAME with data/ (the sample year's first quarter)
new_case() {
	d=$work/$1
	mkdir -p "$d"
	cp -R samples "$d/data"
	why=""
}
# run ARGS...: the program in $d, stderr in $d/stderr; sets $rc
run() {
	(cd "$d" && "$tb" "$@" > /dev/null 2> stderr)
	rc=$?
}
want_rc() { [ "$rc" -eq "$1" ] || why="$why exit $rc (want $1);"; }
said() { grep -q -- "$1" "$d/stderr" || why="$why no message '$1';"; }
Q="quarter 2017Q1 --data data --out out -q"

# ---- symbolic links where the run writes ----------------------------------------
new_case link-units
mkdir -p "$d/elsewhere"
run $Q --formats csv,units
want_rc 0
rm -rf "$d/out/2017Q1/units"
ln -s ../../elsewhere "$d/out/2017Q1/units"
sed -i '$d' "$d/data/2017Q1/adoptions.csv"
run $Q --formats csv,units
want_rc 73
said "^out/2017Q1: error: units/ is a symbolic link, not a folder"
[ -z "$(ls -A "$d/elsewhere")" ] || why="$why files written where the link points;"
verdict "a symbolic link as OUT/2017Q1/units: exit 73, nothing written through it"

new_case link-folder
mkdir -p "$d/elsewhere" "$d/out"
ln -s ../elsewhere "$d/out/2017Q1"
run $Q --formats csv
want_rc 73
said "^out/2017Q1: error: exists and is a symbolic link, not a folder"
[ -z "$(ls -A "$d/elsewhere")" ] || why="$why files written where the link points;"
verdict "a symbolic link as OUT/2017Q1: exit 73"

new_case link-lock
mkdir -p "$d/elsewhere" "$d/out"
ln -s ../elsewhere/owned "$d/out/.2017Q1.lock"
run $Q --formats csv
want_rc 73
said "^out/.2017Q1.lock: error: the lock file is a symbolic link"
[ ! -e "$d/elsewhere/owned" ] || why="$why the link's target was created;"
[ ! -e "$d/out/2017Q1" ] || why="$why published anyway;"
verdict "a symbolic link as the lock file: exit 73, its target not created"

new_case link-leftovers
mkdir -p "$d/elsewhere" "$d/out"
echo precious > "$d/elsewhere/precious.txt"
# an .old- link would be moved into place as OUT/2017Q1 (the folder is
# missing), a .new- link's target emptied by the clean-up
ln -s ../elsewhere "$d/out/.2017Q1.old-1"
ln -s ../elsewhere "$d/out/.2017Q1.new-2"
echo planted > "$d/out/.2017Q1.new-3"
run $Q --formats csv
want_rc 0
said "^out/.2017Q1.old-1: warning: left alone: named like a folder an interrupted tongbao run leaves, but a symbolic link"
said "^out/.2017Q1.new-3: warning: left alone: .* but a file"
[ -f "$d/elsewhere/precious.txt" ] || why="$why the link's target was emptied;"
[ -d "$d/out/2017Q1" ] && [ ! -L "$d/out/2017Q1" ] || why="$why OUT/2017Q1 is not a real folder;"
[ -L "$d/out/.2017Q1.old-1" ] && [ -L "$d/out/.2017Q1.new-2" ] && [ -f "$d/out/.2017Q1.new-3" ] ||
    why="$why the planted entries were touched;"
run $Q --formats csv
want_rc 0
verdict "links and files named like leftovers: left alone with a warning, blocking nothing"

# ---- modes, whatever the umask -------------------------------------------------
new_case umask
(umask 077 && cd "$d" && "$tb" $Q > /dev/null 2> stderr)
rc=$?
want_rc 0
bad_modes=$(cd "$d/out" && find . \( -type f ! -perm 0644 \) -o \( -type d ! -perm 0755 \))
[ -z "$bad_modes" ] || why="$why modes not 0644/0755: $(echo $bad_modes | head -c 200);"
# an earlier run left 0700 and 0600: repaired by the next, even unchanged
chmod 0700 "$d/out/2017Q1" "$d/out/2017Q1/units"
chmod 0600 "$d/out/2017Q1/scores.csv" "$d/out/2017Q1/units/wuhan.pdf" 2> /dev/null ||
    chmod 0600 "$d/out/2017Q1/scores.csv"
(umask 077 && cd "$d" && "$tb" $Q > /dev/null 2> stderr)
rc=$?
want_rc 0
bad_modes=$(cd "$d/out" && find . \( -type f ! -perm 0644 \) -o \( -type d ! -perm 0755 \))
[ -z "$bad_modes" ] || why="$why not repaired: $(echo $bad_modes | head -c 200);"
verdict "umask 077: files 0644, folders 0755, an earlier run's 0700/0600 repaired"

# ---- a lock per folder; --wait ----------------------------------------------------
new_case locks
mkdir -p "$d/out"
: > "$d/holder"
python3 -c '
import fcntl, sys, time
f = open(sys.argv[1], "a")
fcntl.lockf(f, fcntl.LOCK_EX)
print("locked", flush=True)
time.sleep(float(sys.argv[2]))' "$d/out/.2017Q1.lock" 60 > "$d/holder" &
holder_pid=$!
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	grep -q locked "$d/holder" && break
	sleep 0.2
done
run quarter 2017Q2 --data data --out out -q --formats csv
want_rc 0
[ -f "$d/out/2017Q2/scores.csv" ] || why="$why 2017Q2 not published beside a locked 2017Q1;"
run $Q --formats csv
want_rc 75
said "another tongbao run holds the lock of out/2017Q1"
t0=$(date +%s%N)
run $Q --formats csv --wait 1
t1=$(date +%s%N)
want_rc 75
said "(waited 1 s)"
[ $(( (t1 - t0) / 1000000 )) -ge 900 ] || why="$why --wait 1 gave up after $(( (t1 - t0) / 1000000 )) ms;"
kill "$holder_pid" 2> /dev/null
wait "$holder_pid" 2> /dev/null
# a holder that lets go after a second: --wait 30 publishes
: > "$d/holder"
python3 -c '
import fcntl, sys, time
f = open(sys.argv[1], "a")
fcntl.lockf(f, fcntl.LOCK_EX)
print("locked", flush=True)
time.sleep(1)' "$d/out/.2017Q1.lock" > "$d/holder" &
holder_pid=$!
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	grep -q locked "$d/holder" && break
	sleep 0.2
done
run $Q --formats csv --wait 30
want_rc 0
[ -f "$d/out/2017Q1/scores.csv" ] || why="$why nothing published after the wait;"
wait "$holder_pid" 2> /dev/null
holder_pid=""
run $Q --wait x
want_rc 64
verdict "two quarters at once: each its own lock; --wait waits, then exit 75"

# ---- a partial run refreshes the whole set -----------------------------------------
new_case mixed-set
run $Q --formats csv,pdf,html
want_rc 0
cp "$d/out/2017Q1/tongbao.pdf" "$d/old.pdf"
# one adoption fewer: the scores, the notice and the PDF change
sed -i '$d' "$d/data/2017Q1/adoptions.csv"
(cd "$d" && "$tb" quarter 2017Q1 --data data --out out --formats csv > /dev/null 2> stderr)
rc=$?
want_rc 0
said "2017Q1: also refreshing pdf, html: out/2017Q1 holds them from an earlier run"
cmp -s "$d/old.pdf" "$d/out/2017Q1/tongbao.pdf" && why="$why tongbao.pdf not refreshed;"
[ -n "$(ls "$d/out/2017Q1/superseded" 2> /dev/null)" ] || why="$why the replaced PDF not kept;"
# the set agrees with itself: the same run of the new data, published fresh
(cd "$d" && "$tb" quarter 2017Q1 --data data --out fresh --formats csv,pdf,html -q 2> /dev/null)
for f in scores.csv adoptions.csv index.html notice.xml tongbao.pdf; do
	cmp -s "$d/out/2017Q1/$f" "$d/fresh/2017Q1/$f" || why="$why $f differs from a full run's;"
done
# an empty folder: only what was asked for
run quarter 2017Q1 --data data --out only-csv -q --formats csv
[ -f "$d/only-csv/2017Q1/scores.csv" ] && [ ! -e "$d/only-csv/2017Q1/tongbao.pdf" ] ||
    why="$why --formats csv into an empty folder made more than the CSV;"
verdict "--formats csv after a full run refreshes the whole set (PDF and page agree with scores.csv)"

# ---- OUT near PATH_MAX -------------------------------------------------------------
new_case path-max
long=$(python3 -c '
import os, sys
p = sys.argv[1]
while len(p) < 3900:
    p = os.path.join(p, "d" * min(200, 3990 - len(p)))
os.makedirs(p)
print(p)' "$d/o")
sed -i '$d' "$d/data/2017Q1/adoptions.csv"
(cd "$d" && "$tb" quarter 2017Q1 --data data --out "$long" -q > /dev/null 2> stderr)
rc=$?
want_rc 0
cp -R samples/2017Q1/adoptions.csv "$d/data/2017Q1/"
(cd "$d" && "$tb" quarter 2017Q1 --data data --out "$long" -q > /dev/null 2> stderr)
rc=$?
want_rc 0
n=$(python3 -c '
import os, sys
print(" ".join(sorted(os.listdir(sys.argv[1]))))' "$long")
[ "$n" = ".2017Q1.lock 2017Q1" ] || why="$why left beside the folder: $n;"
python3 -c '
import os, sys
d = os.open(sys.argv[1], os.O_RDONLY)
q = os.open("2017Q1", os.O_RDONLY, dir_fd=d)
u = os.open("units", os.O_RDONLY, dir_fd=q)
sys.exit(0 if len(os.listdir(u)) >= 100 and "superseded" in os.listdir(q) else 1)' "$long" ||
    why="$why the statements or superseded/ are missing;"
verdict "an OUT of $(printf %s "$long" | wc -c) bytes: published twice, nothing left beside it"

# ---- SIGXFSZ --------------------------------------------------------------------
# without `trap '' XFSZ` the shell passes the default action on: the
# program must ignore the signal itself and report the write error
new_case sigxfsz
# (200 blocks: the workbooks fit, notice.xml or the PDF does not)
(cd "$d" && ulimit -f 200 && "$tb" $Q --formats csv,pdf 2> stderr > /dev/null)
rc=$?
want_rc 73
said "File too large"
verdict "a file over RLIMIT_FSIZE: exit 73 with the path, not death by SIGXFSZ"

exit $fail
