#!/bin/sh
# suite_cli.sh - the command line of SPEC 4: usage errors exit 64, the
# default quarter follows --today, the lock gives 75, -q is silent on
# success, the stage log names the quarter, and --help and the man page
# (gen/tongbao.1) name the same commands and options.
set -u
tmp=$(mktemp -d)
trap 'kill $holder 2>/dev/null; rm -rf "$tmp"' EXIT
holder=
fail=0
ok()  { echo "PASS: $1"; }
bad() { echo "FAIL: $1"; fail=1; }
expect() { # name, wanted exit, command...
	name=$1 want=$2; shift 2
	"$@" > "$tmp/stdout" 2> "$tmp/stderr"
	rc=$?
	if [ "$rc" -eq "$want" ]; then ok "$name"; else bad "$name: exit $rc, want $want"; head -5 "$tmp/stderr"; fi
}

expect "no command" 64 "$TB"
expect "unknown command" 64 "$TB" publish --data samples --out "$tmp/o"
expect "unknown option" 64 "$TB" quarter 2017Q1 --data samples --out "$tmp/o" --colour
expect "missing --out" 64 "$TB" quarter 2017Q1 --data samples
expect "missing --data" 64 "$TB" check 2017Q1
expect "bad quarter" 64 "$TB" check 2017Q5 --data samples
expect "bad year" 64 "$TB" year 17 --data samples --out "$tmp/o"
expect "bad --today" 64 "$TB" check --today 2017-02-30 --data samples
expect "bad --formats" 64 "$TB" quarter 2017Q1 --data samples --out "$tmp/o" --formats doc
expect "bad --encoding" 64 "$TB" check 2017Q1 --data samples --encoding latin1
expect "option without value" 64 "$TB" check 2017Q1 --data
expect "no such data folder" 64 "$TB" check 2017Q1 --data "$tmp/none"
expect "--help" 0 "$TB" --help
grep -q "^usage: tongbao quarter" "$tmp/stdout" && ok "--help prints the usage" || bad "--help prints the usage"
expect "--version" 0 "$TB" --version
version=$(sed 's/^tongbao //' "$tmp/stdout")
grep -q "^\.TH TONGBAO 1 .*\"tongbao $version\"" gen/tongbao.1 && ok "man page version $version" || bad "man page version differs from --version ($version)"

# --help and the man page agree on commands and options
"$TB" --help > "$tmp/help"
for w in $(grep -oE -- '(^| )--?[a-z]+(-[a-z]+)*' "$tmp/help" | tr -d ' ' | sort -u) quarter year check; do
	if sed 's/\\-/-/g' gen/tongbao.1 | grep -qE -- "(^|[ (])(\\.B[IR]? )?$w([ ,\"]|\$)"; then :; else bad "man page lacks $w"; fi
done
for w in $(sed 's/\\-/-/g' gen/tongbao.1 | grep -E '^\.(B|BI|BR|TP)' | grep -oE -- '--?[a-z]+(-[a-z]+)*' | sort -u); do
	grep -qE -- "(^| )$w([ ,]|\$)" "$tmp/help" || bad "--help lacks $w (in the man page)"
done
ok "--help and man page name the same options"

# --help and the man page describe the ledgers alike (SPEC 3.4): every
# column with its alias and whether it is required, the time forms, the
# placeholders
cols=$(grep -E '^    [^ ]+\*? / [a-z_]+' "$tmp/help" | sed 's/^ *//; s/ (.*//')
[ "$(echo "$cols" | wc -l)" -eq 20 ] || bad "--help names $(echo "$cols" | wc -l) ledger columns (want 20)"
man=$(sed 's/\\-/-/g' gen/tongbao.1)
echo "$cols" | { lacks=""; while read -r c; do
	echo "$man" | grep -qF -- "$c" || lacks="$lacks $c,"; done
	[ -z "$lacks" ] && ok "--help and the man page: every ledger column" || bad "man page lacks ledger columns:$lacks"; }
for w in 签发人* 作者* 督办编号 "required when the file has an urgent" 2017年1月5日9时30分 20170105 42740.3958 未签发 N/A; do
	grep -qF -- "$w" "$tmp/help" || bad "--help lacks $w"
	echo "$man" | grep -qF -- "$w" || bad "man page lacks $w"
done
ok "--help and the man page: time forms and placeholders"
for e in utf-8 UTF-8 Utf8 gb18030 GB18030 gbk GBK auto; do
	"$TB" check 2017Q1 --data samples --encoding "$e" -q > /dev/null 2>&1
	[ $? -ne 64 ] || bad "--encoding $e refused"
done
"$TB" check 2017Q1 --data samples --encoding latin1 > /dev/null 2>&1
[ $? -eq 64 ] && ok "--encoding in any letter case; an unknown one is bad usage" || bad "--encoding latin1 accepted"

# the default quarter: the one before today's (UTC+8 dates)
expect "default quarter from --today" 0 "$TB" check --today 2017-04-05 --data samples
grep -q "2017Q1: the data is valid" "$tmp/stderr" && ok "2017-04-05 means 2017Q1" || bad "2017-04-05 did not choose 2017Q1"
expect "year boundary" 0 "$TB" check --today 2018-01-05 --data samples
grep -q "2017Q4: the data is valid" "$tmp/stderr" && ok "2018-01-05 means 2017Q4" || bad "2018-01-05 did not choose 2017Q4"
"$TB" check --today 2017-01-05 --data samples > /dev/null 2> "$tmp/stderr"
grep -q "2016Q4: error: no such quarter folder" "$tmp/stderr" && ok "2017-01-05 means 2016Q4" || bad "2017-01-05 did not choose 2016Q4"

# per-quarter overrides of rules.xml and units.xml (the annex is "adjusted
# in real time"): 2017Q1/rules.xml with the proportional base gives 十堰
# (23 of 24) 60 x 23 / 24 = 57.5; 2017Q1/units.xml with a quota of 23 for
# the city bureaus gives it the full base; 2017Q2 keeps the shared files.
cp -R samples "$tmp/ov"
sed 's/policy="all-or-nothing"/policy="proportional"/' samples/rules.xml > "$tmp/ov/2017Q1/rules.xml"
"$TB" quarter 2017Q1 --data "$tmp/ov" --out "$tmp/ovout" --formats csv -q
grep -q '^2017Q1,shiyan,.*,0,57.5,0,57.5,' "$tmp/ovout/2017Q1/scores.csv" && ok "quarter rules.xml overrides the base policy" || bad "quarter rules.xml override: $(grep shiyan "$tmp/ovout/2017Q1/scores.csv")"
rm "$tmp/ov/2017Q1/rules.xml"
sed 's/quota="24"/quota="23"/' samples/units.xml > "$tmp/ov/2017Q1/units.xml"
"$TB" quarter 2017Q1 --data "$tmp/ov" --out "$tmp/ovout" --formats csv -q
grep -q '^2017Q1,shiyan,十堰市司法局,市州司法局,city-bureau,23,23,22,23,1,60,' "$tmp/ovout/2017Q1/scores.csv" && ok "quarter units.xml overrides the quota" || bad "quarter units.xml override: $(grep shiyan "$tmp/ovout/2017Q1/scores.csv")"
"$TB" quarter 2017Q2 --data "$tmp/ov" --out "$tmp/ovout" --formats csv -q
# the quarter's own figures (SPEC 4's columns) keep the shared registry; its
# year to date adds 2017Q1 as 2017Q1's own run scored it, override included
cut -d, -f1-14 "$tmp/ovout/2017Q2/scores.csv" > "$tmp/ov2.csv"
cut -d, -f1-14 tests/golden/expected/2017Q2/scores.csv > "$tmp/gold2.csv"
cmp -s "$tmp/ov2.csv" "$tmp/gold2.csv" && ok "other quarters keep the shared registry" || bad "2017Q2 changed by 2017Q1's override"
q1=$(grep '^2017Q1,shiyan,' "$tmp/ovout/2017Q1/scores.csv" | cut -d, -f13)
q2=$(grep '^2017Q2,shiyan,' "$tmp/ovout/2017Q2/scores.csv" | cut -d, -f13)
ytd=$(grep '^2017Q2,shiyan,' "$tmp/ovout/2017Q2/scores.csv" | cut -d, -f15)
[ "$(awk -v a="$q1" -v b="$q2" 'BEGIN { print a + b }')" = "$ytd" ] && ok "the year to date adds the quarter as its own run scored it" || bad "ytd $ytd != $q1 + $q2"

# -q is silent on success; the log has one line per stage with the quarter
expect "quiet run" 0 "$TB" quarter 2017Q1 --data samples --out "$tmp/o" --formats csv -q
[ -s "$tmp/stderr" ] && bad "-q printed: $(head -1 "$tmp/stderr")" || ok "-q prints nothing on success"
expect "logged run" 0 "$TB" quarter 2017Q1 --data samples --out "$tmp/o" --formats csv
for stage in "2017Q1: read 120 units" "2017Q1: scored" "published"; do
	grep -q "^tongbao: $stage.*" "$tmp/stderr" && ok "log: $stage" || bad "log lacks '$stage'"
done

# a progress line only on a terminal
if grep -q "$(printf '\r')" "$tmp/stderr" || grep -q '\.\.\.' "$tmp/stderr"; then
	bad "progress shown though stderr is not a terminal"
else
	ok "no progress line when stderr is a file"
fi
if command -v script > /dev/null; then
	script -qec "$TB quarter 2017Q1 --data samples --out $tmp/o --formats csv" /dev/null > "$tmp/tty" 2>&1
	grep -q "2017Q1: reading the data\.\.\." "$tmp/tty" && ok "progress on a terminal" || bad "no progress on a terminal"
fi

# another run holds the lock: 75, nothing written
if command -v python3 > /dev/null; then
	mkdir -p "$tmp/lk"
	python3 -c '
import fcntl, sys, time
f = open(sys.argv[1], "a")
fcntl.lockf(f, fcntl.LOCK_EX)
print("locked", flush=True)
time.sleep(60)' "$tmp/lk/.2017Q1.lock" > "$tmp/holder" &
	holder=$!
	for i in 1 2 3 4 5 6 7 8 9 10; do grep -q locked "$tmp/holder" && break; sleep 0.2; done
	expect "lock held: exit 75" 75 "$TB" quarter 2017Q1 --data samples --out "$tmp/lk" --formats csv -q
	[ -e "$tmp/lk/2017Q1" ] && bad "a locked-out run wrote output" || ok "a locked-out run writes nothing"
	kill "$holder"; wait "$holder" 2>/dev/null; holder=
	expect "lock released" 0 "$TB" quarter 2017Q1 --data samples --out "$tmp/lk" --formats csv -q
fi
exit $fail
