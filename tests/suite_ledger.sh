#!/bin/sh
# suite_ledger.sh - rules of SPEC 2.3 and 3 and of the README's decisions,
# end to end on small data folders made here (the shipped units.xml and
# rules.xml, a few ledger rows):
#   - a unit is named by id, name or alias, with surrounding spaces and
#     full-width forms, and never guessed (沙洋监狱局 is no unit);
#   - a channel names several mailboxes separated by 、 or ;;
#   - an adoption dated the day of its item's submission is accepted
#     (compared by calendar day);
#   - an unknown column is a warning, not an error;
#   - an earlier quarter's item of a unit that left the registry credits
#     nobody and is no error;
#   - the year needs its four quarters.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
ok()  { echo "PASS: $1"; }
bad() { echo "FAIL: $1"; fail=1; }

H='编号,报送单位,标题,类别,字数,报送时间,事发时间,报送方式,签发人,作者'
A='编号,采用载体,采用时间,备注'
folder() { # name: a data folder with the shipped registry and rules
	mkdir -p "$tmp/$1/2017Q1" "$tmp/$1/2017Q2"
	cp samples/units.xml samples/rules.xml "$tmp/$1/"
}
row() { # file, unit, column of the row: the unit's total in scores.csv
	awk -F, -v u="$2" -v c="$3" '$2 == u { print $c }' "$1"
}

# ---- naming a unit (SPEC 2.3) ------------------------------------------------
folder names
cat > "$tmp/names/2017Q1/submissions.csv" <<CSV
$H
N1, 武汉市司法局 ,标题一,动态,500,2017-01-05,,综合科,张三,李四
N2,ＷＵＨＡＮ,标题二,动态,500,2017-01-05,,综合科,张三,李四
N3,湖北省监狱管理局,标题三,动态,500,2017-01-05,,综合科,张三,李四
N4,厅政治（警务）部组织宣传处,标题四,动态,500,2017-01-05,,综合科,张三,李四
N5,仙桃市司法局,标题五,动态,500,2017-01-05,,电话、综合科,张三,李四
N6,仙桃市司法局,标题六,动态,500,2017-01-05,,电话;传真,张三,李四
CSV
if "$TB" quarter 2017Q1 --data "$tmp/names" --out "$tmp/o1" --formats csv -q 2> "$tmp/err"; then
	s=$tmp/o1/2017Q1/scores.csv
	[ "$(row "$s" wuhan 7)" = 2 ] && ok "unit by name with spaces and by full-width upper-case id" || bad "wuhan submitted $(row "$s" wuhan 7), want 2"
	[ "$(row "$s" prison 7)" = 1 ] && ok "unit by alias" || bad "prison submitted $(row "$s" prison 7), want 1"
	[ "$(row "$s" office-08 7)" = 1 ] && ok "unit by name with full-width brackets" || bad "office-08 submitted $(row "$s" office-08 7), want 1"
	[ "$(row "$s" xiantao 7),$(row "$s" xiantao 8)" = 2,1 ] && ok "channel: one accepted mailbox among several (、), none among 电话;传真" || bad "xiantao submitted,counted $(row "$s" xiantao 7),$(row "$s" xiantao 8), want 2,1"
else
	bad "named units: exit $?"; head -5 "$tmp/err"
fi
cat > "$tmp/names/2017Q1/submissions.csv" <<CSV
$H
N1,沙洋监狱局,标题一,动态,500,2017-01-05,,综合科,张三,李四
CSV
"$TB" check 2017Q1 --data "$tmp/names" 2> "$tmp/err"
rc=$?
if [ $rc -eq 65 ] && grep -q "submissions.csv:2: error: unknown unit \"沙洋监狱局\"; nearest: 省沙洋监狱局, " "$tmp/err"; then
	ok "a near name is never guessed"
else
	bad "沙洋监狱局 was not refused (exit $rc)"; head -3 "$tmp/err"
fi

# ---- adoption on the day of submission; unknown column ---------------------------
folder sameday
cat > "$tmp/sameday/2017Q1/submissions.csv" <<CSV
$H,备用
S1,武汉市司法局,标题,动态,500,2017-01-05 09:30,,综合科,张三,李四,x
CSV
printf '%s\nS1,省厅门户网站,2017-01-05,\n' "$A" > "$tmp/sameday/2017Q1/adoptions.csv"
if "$TB" quarter 2017Q1 --data "$tmp/sameday" --out "$tmp/o2" --formats csv 2> "$tmp/err"; then
	[ "$(row "$tmp/o2/2017Q1/scores.csv" wuhan 12)" = 3 ] && ok "adoption dated the day of submission (by calendar day)" || bad "same-day adoption credited $(row "$tmp/o2/2017Q1/scores.csv" wuhan 12), want 3"
	grep -q "submissions.csv:1: warning: column not read (not a column of this ledger): 备用" "$tmp/err" && ok "an unknown column is a warning" || bad "no warning for the unknown column"
else
	bad "same-day adoption or unknown column refused"; head -5 "$tmp/err"
fi

# ---- an earlier item of a unit that left the registry -------------------------
folder left
cat > "$tmp/left/2017Q1/submissions.csv" <<CSV
$H
L1,宜都明信法医司法鉴定所,标题,动态,500,2017-02-05,,综合科,张三,李四
CSV
cat > "$tmp/left/2017Q2/submissions.csv" <<CSV
$H
L2,武汉市司法局,标题,动态,500,2017-04-05,,综合科,张三,李四
CSV
printf '%s\nL1,省厅门户网站,2017-04-10,\n' "$A" > "$tmp/left/2017Q2/adoptions.csv"
"$TB" quarter 2017Q2 --data "$tmp/left" --out "$tmp/o3" --formats csv -q
[ "$(row "$tmp/o3/2017Q2/scores.csv" pl-19 12)" = 3 ] && ok "an adoption credits the unit in the quarter it happened" || bad "pl-19 Q2 quality $(row "$tmp/o3/2017Q2/scores.csv" pl-19 12), want 3"
grep -v 'id="pl-19"' samples/units.xml > "$tmp/left/2017Q2/units.xml"
if "$TB" quarter 2017Q2 --data "$tmp/left" --out "$tmp/o4" --formats csv -q 2> "$tmp/err"; then
	if grep -q ',pl-19,' "$tmp/o4/2017Q2/scores.csv"; then
		bad "a unit removed in 2017Q2 still has a row"
	else
		ok "an earlier item of a removed unit credits nobody and is no error"
	fi
else
	bad "an earlier item of a removed unit is an error"; head -3 "$tmp/err"
fi

# ---- the year needs its four quarters --------------------------------------------
"$TB" year 2017 --data "$tmp/left" --out "$tmp/o5" -q 2> "$tmp/err"
rc=$?
if [ $rc -eq 65 ] && grep -q "2017Q3: error: no such quarter folder" "$tmp/err" && [ ! -e "$tmp/o5" ]; then
	ok "the year refuses a missing quarter and writes nothing"
else
	bad "year with two quarters: exit $rc"; head -3 "$tmp/err"
fi
exit $fail
