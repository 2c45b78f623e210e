#!/bin/sh
# suite_faults.sh - a full disk, a failing disk and too little memory, on
# the real program (issue 16).  Each run starts from a published set (the
# samples) and publishes a changed one; after any failure the folder must
# hold exactly the old set, nothing may be left beside it, and the
# message must name the path and the reason.
#   - strace makes the k-th write() and the k-th fsync() of the run fail
#     with ENOSPC, then EIO, for every k (the main thread's calls: the
#     publication and the workbooks' temporary files): exit 73;
#   - RLIMIT_AS (setrlimit through ulimit -v) from too little to enough,
#     in steps: exit 0, 70 (out of memory) or 73, never 134 (abort) or 139
#     (a crash), and never a silent exit.
# Release build only (ASan reserves terabytes of address space and does
# not run under RLIMIT_AS; strace would slow it down tenfold): VARIANT=san
# skips.  Env: TB, VARIANT.  Run from the repository root.
set -u
if [ "${VARIANT:-rel}" = san ]; then
	echo "PASS: faults (checked in the release run)"
	exit 0
fi
tb=$(cd "$(dirname "$TB")" && pwd)/$(basename "$TB")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
ok()  { echo "PASS: $1"; }
bad() { echo "FAIL: $1"; fail=1; }

# the old set, published from the samples; the new data: one adoption fewer
cp -R samples "$work/new"
sed -i '$d' "$work/new/2017Q1/adoptions.csv"
F="--formats csv,pdf,html"
"$tb" quarter 2017Q1 --data samples --out "$work/pristine" $F -q 2> /dev/null ||
    { bad "publish the samples"; exit 1; }
set_of() { (cd "$1" && find . -printf '%p %y %m %s\n' | LC_ALL=C sort;
    find . -type f -exec md5sum {} + | LC_ALL=C sort); }
set_of "$work/pristine/2017Q1" > "$work/old.set"
fresh() { rm -rf "$work/out"; cp -a "$work/pristine" "$work/out"; }
fresh
"$tb" quarter 2017Q1 --data "$work/new" --out "$work/out" $F -q 2> /dev/null
set_of "$work/out/2017Q1" | sed 's#superseded/tongbao-[0-9T-]*\.pdf#superseded/tongbao-DATE.pdf#' > "$work/new.set"
# checks $work/out after a run that exited $1 with messages in $work/err;
# appends to $why
after_failure() {
	rc=$1 label=$2
	case $rc in
	73|70) ;;
	*) why="$why $label: exit $rc;"; return;;
	esac
	set_of "$work/out/2017Q1" | cmp -s - "$work/old.set" ||
	    why="$why $label: the folder changed;"
	x=$(ls -A "$work/out" | grep -vxE '\.2017Q1\.lock|2017Q1')
	[ -z "$x" ] || why="$why $label: left beside the folder: $x;"
	[ -s "$work/err" ] || why="$why $label: no message;"
}

# ---- ENOSPC and EIO at every write and fsync -----------------------------------
if ! strace -qq -o /dev/null true 2> /dev/null; then
	echo "PASS: faults at every write (skipped: strace is not available)"
else
	fresh
	strace -qq -o "$work/trace" -e trace=write,fsync,openat \
	    "$tb" quarter 2017Q1 --data "$work/new" --out "$work/out" $F -q 2> /dev/null
	why="" tries=0
	for call in write fsync; do
		# the k-th call of the main thread to a file (not stdout or
		# stderr): every one once the lock is taken (the publication),
		# every third before (the workbooks' temporary files)
		ks=$(awk -v c="$call" '
			/^openat\(.*\.2017Q1\.lock/ { locked = 1 }
			$0 ~ "^" c "\\(" { n++; fd = $0; sub("^" c "\\(", "", fd)
			  sub("[,)].*", "", fd)
			  if (fd > 2 && (locked || n % 3 == 1)) print n }' "$work/trace")
		for err in ENOSPC EIO; do
			case $err in ENOSPC) msg="No space left on device";; *) msg="Input/output error";; esac
			for k in $ks; do
				fresh
				strace -qq -o /dev/null -e trace=$call \
				    -e inject=$call:error=$err:when=$k \
				    "$tb" quarter 2017Q1 --data "$work/new" --out "$work/out" $F -q \
				    > /dev/null 2> "$work/err"
				rc=$?
				tries=$((tries + 1))
				if grep -q "published, but the output folder cannot be synced: $msg" "$work/err"; then
					# the fault came after the switch (syncing OUT):
					# exit 73 all the same, the new set in place
					[ $rc -eq 73 ] || why="$why $call #$k $err: exit $rc after the switch;"
					set_of "$work/out/2017Q1" | sed 's#superseded/tongbao-[0-9T-]*\.pdf#superseded/tongbao-DATE.pdf#' |
					    cmp -s - "$work/new.set" ||
					    why="$why $call #$k $err: not the new set after the switch;"
					continue
				fi
				after_failure $rc "$call #$k $err"
				# libxlsxwriter does not check the writes to its own
				# temporary files: the damage is found, not the errno
				grep -qE "^$work/out/2017Q1[^ ]*: error: .*($msg|scores\.xlsx: the workbook came out damaged)" "$work/err" ||
				    why="$why $call #$k $err: message '$(head -1 "$work/err")';"
			done
		done
	done
	if [ -z "$why" ] && [ $tries -gt 40 ]; then
		ok "ENOSPC and EIO at each of $tries writes and fsyncs: exit 73 naming the file, the old set untouched"
	else
		bad "faults at every write ($tries tries):$why"
	fi
fi

# ---- too little memory ---------------------------------------------------------
# Below some 50 MB the dynamic loader cannot map the libraries (exit 127,
# before the program runs): those limits say nothing about it.
why="" seen=""
mb=48
while [ $mb -le 240 ]; do
	fresh
	(ulimit -v $((mb * 1024)); "$tb" quarter 2017Q1 --data "$work/new" \
	    --out "$work/out" -q > /dev/null 2> "$work/err")
	rc=$?
	case $rc in
	127) ;;
	0) seen="$seen $mb:0" ;;
	*) seen="$seen $mb:$rc"; after_failure $rc "${mb} MB" ;;
	esac
	mb=$((mb + 12))
done
case $seen in *:70*) ;; *) why="$why never out of memory (exit 70):$seen;";; esac
case $seen in *:0*) ;; *) why="$why never enough memory:$seen;";; esac
if [ -z "$why" ]; then ok "RLIMIT_AS from 48 to 240 MB: exit 0, 70 or 73 with a message, the old set untouched ($seen)"
else bad "too little memory:$why"; fi

exit $fail
