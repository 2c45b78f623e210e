#!/bin/sh
# suite_office.sh - ledgers as offices really write them (SPEC 3.4): each
# case is the small quarter of tests/office/clean/ (four quarters, so that
# the year's workers.csv is checked too) with one ledger rewritten the way
# a clerk might, and one of three verdicts:
#   same      the same reading: exit 0 and scores.csv, followups.csv,
#             annual.csv and workers.csv byte-identical to the clean run's;
#   reads     exit 0, and what the case checks (a placeholder read as
#             unsigned, a lateness the ledger cannot prove not published);
#   refused   exit 65, nothing written;
# and, always, exactly the diagnostics listed (every "FILE:LINE: error:",
# "warning:" and "note:" line, in order): the program says what it did.
set -u
top=$(pwd)
tb=$(cd "$(dirname "$TB")" && pwd)/$(basename "$TB")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -n "${KEEP:-}" ] && { trap - EXIT; echo "kept: $tmp"; }
fail=0
ok()  { echo "PASS: $1"; }
bad() { echo "FAIL: $1"; fail=1; }

H='编号,报送单位,标题,类别,字数,报送时间,事发时间,报送方式,签发人,作者,督办编号'
A='编号,采用载体,采用时间,备注'

# new NAME: a copy of the clean data folder to rewrite
new() {
	name=$1
	d=$tmp/$name
	mkdir -p "$d"
	cp -R tests/office/clean "$d/data"
	cp samples/units.xml samples/rules.xml "$d/data/"
}
# put FILE: stdin becomes data/2017Q1/FILE of the current case
put() { cat > "$d/data/2017Q1/$1"; }
# run: quarter and year; $d/rc, $d/diags (the messages, in order)
run() {
	(cd "$d" && "$tb" quarter 2017Q1 --data data --out out -q --templates "$top/templates" 2> stderr)
	echo $? > "$d/rc"
	if [ "$(cat "$d/rc")" = 0 ]; then
		(cd "$d" && "$tb" year 2017 --data data --out out -q --templates "$top/templates" 2>> stderr)
		echo $? > "$d/yrc"
	fi
	# -q hides warnings and notes: run check for them
	(cd "$d" && "$tb" check 2017Q1 --data data --templates "$top/templates" 2> check.stderr)
	grep -E ': (error|warning|note): ' "$d/check.stderr" > "$d/diags"
}
# diags: stdin is the exact list of messages the case must print
diags() {
	cat > "$d/want"
	if ! diff -u "$d/want" "$d/diags" > "$d/diff"; then
		why="$why messages differ:"
		cat "$d/diff" >> "$d/why"
	fi
}
outputs() { # the files compared with the clean run
	for f in 2017Q1/scores.csv 2017Q1/followups.csv 2017/annual.csv 2017/workers.csv; do
		cmp -s "$1/out/$f" "$2/out/$f" || echo "$f"
	done
}
verdict() {
	if [ -z "$why" ]; then ok "$name"; else bad "$name:$why"; cat "$d/why" 2>/dev/null | head -20; fi
}
same() { # NAME: after run and diags
	why=""
	: > "$d/why"
	[ "$(cat "$d/rc")" = 0 ] && [ "$(cat "$d/yrc" 2>/dev/null)" = 0 ] ||
	    why="$why exit $(cat "$d/rc") (want 0);"
	[ -z "$(outputs "$d" "$tmp/clean")" ] || why="$why differs from the clean reading: $(outputs "$d" "$tmp/clean" | tr '\n' ' ');"
}
reads() {
	why=""
	: > "$d/why"
	[ "$(cat "$d/rc")" = 0 ] || why="$why exit $(cat "$d/rc") (want 0);"
}
refused() {
	why=""
	: > "$d/why"
	[ "$(cat "$d/rc")" = 65 ] || why="$why exit $(cat "$d/rc") (want 65);"
	[ ! -e "$d/out" ] || why="$why something was written;"
}
# col FILE UNIT COLUMN: a unit's value in scores.csv, by column name
col() {
	awk -F, -v u="$2" -v c="$3" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next } $2 == u { print $k }' "$1"
}
# want WHAT GOT EXPECTED
want() { [ "$2" = "$3" ] || why="$why $1 is $2 (want $3);"; }

# ---- the clean quarter ------------------------------------------------------
new clean
run
why=""
[ "$(cat "$d/rc")" = 0 ] || why="$why exit $(cat "$d/rc");"
diags <<'EOF'
data/2017Q1/submissions.csv:4: warning: 重要紧急 reported later than 120 min after the event (Art 13)
EOF
verdict
clean_scores=$d/out/2017Q1/scores.csv

# ==== the same reading ========================================================

# a title row and a blank row above the header; footer rows below the data
new title-and-footer
{ echo '2017年第一季度政务信息报送登记表,,,,,,,,,,'; echo ',,,,,,,,,,'
  cat tests/office/clean/2017Q1/submissions.csv
  echo ',,,,,,,,,,'; echo '合计,9条,,,,,,,,,'; echo '填表人：张三,,,,审核人：李四,,,,,,'; } | put submissions.csv
run; same
diags <<'EOF'
data/2017Q1/submissions.csv:1: note: 1 row above the header (line 3) skipped: "2017年第一季度政务信息报送登记表"
data/2017Q1/submissions.csv:14: note: 2 rows after the data left out as a footer: "合计", "填表人：张三"
data/2017Q1/submissions.csv:6: warning: 重要紧急 reported later than 120 min after the event (Art 13)
EOF
verdict

# headers as clerks write them: bracketed notes, spaces, full-width letters,
# any order, the English aliases, and columns the program does not read
new header-notes
put submissions.csv <<'EOF'
序号,编 号,unit,标题,类别（选填）,字数,报送时间（年月日）,事发时间(重要紧急必填),报送方式,签发人（审核）,作者【必填】,督办编号,联系电话
1,C01,武汉市司法局,武汉市推进公共法律服务体系建设,动态,800,2017-01-05 09:30,,综合科,张局长,王伟、李明,,027-1
2,C02,武汉市司法局,武汉市学习贯彻全省司法行政工作会议精神的计划,动态,600,2017-01-12 10:00,,督办科,张局长,王伟,DB-01,
3,C03,黄石市司法局,黄石港区突发山体滑坡,重要紧急,500,2017-01-20 15:00,2017-01-20 09:00,维稳办,李局长,赵六,,
4,C04,黄石市司法局,黄石市人民调解工作的经验,调研-典型经验,2500,2017-02-10 09:00,,综合科,李局长,赵六;钱七,,
5,C05,十堰市司法局,十堰市法律援助工作动态,动态,700,2017-02-15 11:00,,综合科,,孙八,,
6,C06,十堰市司法局,十堰市社区矫正工作动态,动态,650,2017-02-16 11:00,,传真,周局长,孙八,,
7,C07,江汉区司法局,江汉区人民调解工作动态,动态,700,2017-03-01 09:00,,综合科,吴局长,郑九,,
8,C08,黄石市司法局,黄石市一起群体性上访事件,重要紧急,600,2017-03-05 12:00,2017-03-05 11:00,维稳办,李局长,赵六,,
9,C09,武汉市司法局,武汉市贯彻落实会议精神的情况,动态,900,2017-03-08 10:00,,督办科,张局长,李明,DB-01,
EOF
run; same
diags <<'EOF'
data/2017Q1/submissions.csv:1: warning: columns not read (not a column of this ledger): 序号, 联系电话
data/2017Q1/submissions.csv:4: warning: 重要紧急 reported later than 120 min after the event (Art 13)
EOF
verdict

# times in the forms of SPEC 3.4 (a day without a clock time only where the
# clock time does not matter: not for an urgent item)
new time-forms
put submissions.csv <<EOF
$H
C01,武汉市司法局,武汉市推进公共法律服务体系建设,动态,800,2017年1月5日 9:30,,综合科,张局长,王伟、李明,
C02,武汉市司法局,武汉市学习贯彻全省司法行政工作会议精神的计划,动态,600,2017.1.12 10:00,,督办科,张局长,王伟,DB-01
C03,黄石市司法局,黄石港区突发山体滑坡,重要紧急,500,2017年1月20日15时,2017年1月20日9时00分,维稳办,李局长,赵六,
C04,黄石市司法局,黄石市人民调解工作的经验,调研-典型经验,2500,20170210,,综合科,李局长,赵六;钱七,
C05,十堰市司法局,十堰市法律援助工作动态,动态,700,42781.4583,,综合科,,孙八,
C06,十堰市司法局,十堰市社区矫正工作动态,动态,650,２０１７－０２－１６　１１：００,,传真,周局长,孙八,
C07,江汉区司法局,江汉区人民调解工作动态,动态,700,2017/3/1 9:00,,综合科,吴局长,郑九,
C08,黄石市司法局,黄石市一起群体性上访事件,重要紧急,600,2017-03-05T12:00,2017.03.05 11:00,维稳办,李局长,赵六,
C09,武汉市司法局,武汉市贯彻落实会议精神的情况,动态,900,2017年3月8日10点,,督办科,张局长,李明,DB-01
EOF
printf '%s\nC01,省厅门户网站,42741,\nC04,省厅工作简报,2017年2月20日,第5期\nC03,省厅领导批示,2017.1.21,厅长批示\n' "$A" | put adoptions.csv
run; same
diags <<'EOF'
data/2017Q1/submissions.csv:4: warning: 重要紧急 reported later than 120 min after the event (Art 13)
EOF
verdict

# 字数 as clerks write it, empty (not stated) included; placeholders in the
# optional cells (事发时间 of a routine item, 督办编号, 备注)
new chars-and-placeholders
put submissions.csv <<EOF
$H
C01,武汉市司法局,武汉市推进公共法律服务体系建设,动态,800字,2017-01-05 09:30,无,综合科,张局长,王伟、李明,无
C02,武汉市司法局,武汉市学习贯彻全省司法行政工作会议精神的计划,动态,约600,2017-01-12 10:00,/,督办科,张局长,王伟,DB-01
C03,黄石市司法局,黄石港区突发山体滑坡,重要紧急,５００,2017-01-20 15:00,2017-01-20 09:00,维稳办,李局长,赵六,—
C04,黄石市司法局,黄石市人民调解工作的经验,调研-典型经验,"2,500",2017-02-10 09:00,-,综合科,李局长,赵六;钱七,-
C05,十堰市司法局,十堰市法律援助工作动态,动态,,2017-02-15 11:00,,综合科,,孙八,
C06,十堰市司法局,十堰市社区矫正工作动态,动态,６５０字,2017-02-16 11:00,,传真,周局长,孙八,
C07,江汉区司法局,江汉区人民调解工作动态,动态,700,2017-03-01 09:00,,综合科,吴局长,郑九,
C08,黄石市司法局,黄石市一起群体性上访事件,重要紧急,600,2017-03-05 12:00,2017-03-05 11:00,维稳办,李局长,赵六,
C09,武汉市司法局,武汉市贯彻落实会议精神的情况,动态,"1，200",2017-03-08 10:00,,督办科,张局长,李明,DB-01
EOF
printf '%s\nC01,省厅门户网站,2017-01-06,无\nC04,省厅工作简报,2017-02-20,第5期\nC03,省厅领导批示,2017-01-21,厅长批示\n' "$A" | put adoptions.csv
run; same
diags <<'EOF'
data/2017Q1/submissions.csv:4: warning: 重要紧急 reported later than 120 min after the event (Art 13)
data/2017Q1/submissions.csv:10: warning: 动态 longer than the 1000 字 limit (Art 3)
EOF
verdict

# 报送方式 in the words clerks use: several mailboxes, a mailbox and its
# word 邮箱, an address in any case, 电话 beside a mailbox
new channel-words
put submissions.csv <<EOF
$H
C01,武汉市司法局,武汉市推进公共法律服务体系建设,动态,800,2017-01-05 09:30,,综合科 督办科,张局长,王伟、李明,
C02,武汉市司法局,武汉市学习贯彻全省司法行政工作会议精神的计划,动态,600,2017-01-12 10:00,,督办科邮箱,张局长,王伟,DB-01
C03,黄石市司法局,黄石港区突发山体滑坡,重要紧急,500,2017-01-20 15:00,2017-01-20 09:00,电话、维稳办,李局长,赵六,
C04,黄石市司法局,黄石市人民调解工作的经验,调研-典型经验,2500,2017-02-10 09:00,,邮箱：sifatingzhk@163.com,李局长,赵六;钱七,
C05,十堰市司法局,十堰市法律援助工作动态,动态,700,2017-02-15 11:00,,SIFATINGZHK@163.COM,,孙八,
C06,十堰市司法局,十堰市社区矫正工作动态,动态,650,2017-02-16 11:00,,传真/电话,周局长,孙八,
C07,江汉区司法局,江汉区人民调解工作动态,动态,700,2017-03-01 09:00,,电子邮件：综合科,吴局长,郑九,
C08,黄石市司法局,黄石市一起群体性上访事件,重要紧急,600,2017-03-05 12:00,2017-03-05 11:00,厅维稳办,李局长,赵六,
C09,武汉市司法局,武汉市贯彻落实会议精神的情况,动态,900,2017-03-08 10:00,,督办科；综合科,张局长,李明,DB-01
EOF
run; same
diags <<'EOF'
data/2017Q1/submissions.csv:4: warning: 重要紧急 reported later than 120 min after the event (Art 13)
EOF
verdict

# authors: a two-character name padded to three is one person (the year's
# workers.csv must not grow a second 王伟); other separators
new padded-authors
put submissions.csv <<EOF
$H
C01,武汉市司法局,武汉市推进公共法律服务体系建设,动态,800,2017-01-05 09:30,,综合科,张局长,王　伟，李　明,
C02,武汉市司法局,武汉市学习贯彻全省司法行政工作会议精神的计划,动态,600,2017-01-12 10:00,,督办科,张局长,王 伟,DB-01
C03,黄石市司法局,黄石港区突发山体滑坡,重要紧急,500,2017-01-20 15:00,2017-01-20 09:00,维稳办,李局长,赵　六,
C04,黄石市司法局,黄石市人民调解工作的经验,调研-典型经验,2500,2017-02-10 09:00,,综合科,李局长,赵六/钱七,
C05,十堰市司法局,十堰市法律援助工作动态,动态,700,2017-02-15 11:00,,综合科,,孙八,
C06,十堰市司法局,十堰市社区矫正工作动态,动态,650,2017-02-16 11:00,,传真,周局长,孙八,
C07,江汉区司法局,江汉区人民调解工作动态,动态,700,2017-03-01 09:00,,综合科,吴局长,郑九,
C08,黄石市司法局,黄石市一起群体性上访事件,重要紧急,600,2017-03-05 12:00,2017-03-05 11:00,维稳办,李局长,赵六 ,
C09,武汉市司法局,武汉市贯彻落实会议精神的情况,动态,900,2017-03-08 10:00,,督办科,张局长,李明,DB-01
EOF
run; same
diags <<'EOF'
data/2017Q1/submissions.csv:4: warning: 重要紧急 reported later than 120 min after the event (Art 13)
EOF
verdict

# both times a day only, the same day: the event is not "after" the report
new same-day-dates
sed 's/^C08,\(.*\),2017-03-05 12:00,2017-03-05 11:00,/C08,\1,2017-03-05,2017-03-05,/' tests/office/clean/2017Q1/submissions.csv | put submissions.csv
run; same
diags <<'EOF'
data/2017Q1/submissions.csv:4: warning: 重要紧急 reported later than 120 min after the event (Art 13)
EOF
verdict

# ==== readings that change a count ===========================================

# 签发人 written as a placeholder is no signature: not counted (Art 11)
new unsigned-placeholders
sed -e 's/^\(C01,.*\),张局长,王伟、李明,$/\1,无,王伟、李明,/' \
    -e 's/^\(C02,.*\),张局长,王伟,DB-01$/\1,\/,王伟,DB-01/' \
    -e 's/^\(C07,.*\),吴局长,郑九,$/\1,未签发,郑九,/' \
    tests/office/clean/2017Q1/submissions.csv | put submissions.csv
run; reads
s=$d/out/2017Q1/scores.csv
want "wuhan counted" "$(col "$s" wuhan counted)" $(( $(col "$clean_scores" wuhan counted) - 2 ))
want "pa-01 counted" "$(col "$s" pa-01 counted)" $(( $(col "$clean_scores" pa-01 counted) - 1 ))
want "huangshi counted" "$(col "$s" huangshi counted)" "$(col "$clean_scores" huangshi counted)"
# the unit head's statement gives the reason for the item
pdftotext -layout "$d/out/2017Q1/units/pa-01.pdf" - 2>/dev/null |
    awk 'BEGIN { RS = "" } { gsub(/[ \n]/, ""); print }' |
    grep '江汉区人民调解工作动态' | grep -q '无负责人签发.*第十一条' ||
    why="$why the statement of pa-01 does not give C07 as unsigned;"
diags <<'EOF'
data/2017Q1/submissions.csv:2: warning: 签发人 "无" read as not signed: not counted (Art 11)
data/2017Q1/submissions.csv:3: warning: 签发人 "/" read as not signed: not counted (Art 11)
data/2017Q1/submissions.csv:4: warning: 重要紧急 reported later than 120 min after the event (Art 13)
data/2017Q1/submissions.csv:8: warning: 签发人 "未签发" read as not signed: not counted (Art 11)
EOF
verdict

# 报送方式: a word the rules do not know is named; the item counts only
# through an accepted mailbox; an empty cell is named too
new channel-doubts
sed -e 's/^\(C01,.*\),综合科,张局长,/\1,综合科 邮政,张局长,/' \
    -e 's/^\(C07,.*\),综合科,吴局长,/\1,领导信箱,吴局长,/' \
    -e 's/^\(C09,.*\),督办科,张局长,/\1,,张局长,/' \
    tests/office/clean/2017Q1/submissions.csv | put submissions.csv
run; reads
s=$d/out/2017Q1/scores.csv
want "wuhan counted" "$(col "$s" wuhan counted)" $(( $(col "$clean_scores" wuhan counted) - 1 ))
want "pa-01 counted" "$(col "$s" pa-01 counted)" $(( $(col "$clean_scores" pa-01 counted) - 1 ))
# the item's row: its lines (a cell may wrap) are a block of -layout's
pdftotext -layout "$d/out/2017Q1/units/pa-01.pdf" - 2>/dev/null |
    awk 'BEGIN { RS = "" } { gsub(/[ \n]/, ""); print }' |
    grep '江汉区人民调解工作动态' | grep -q '未报送至规定.*第八条' ||
    why="$why the statement of pa-01 does not give C07 as sent elsewhere;"
diags <<'EOF'
data/2017Q1/submissions.csv:2: warning: 报送方式 "综合科 邮政": rules.xml names no mailbox or channel "邮政"
data/2017Q1/submissions.csv:4: warning: 重要紧急 reported later than 120 min after the event (Art 13)
data/2017Q1/submissions.csv:8: warning: 报送方式 "领导信箱": rules.xml names no mailbox or channel "领导信箱"; not counted (Art 8)
data/2017Q1/submissions.csv:10: warning: empty 报送方式 (channel): not counted (Art 8)
EOF
verdict

# a 事发时间 with a day only: late only when the report came more than the
# limit after that day's end, and the notice then shows the day alone
new event-day-only
sed -e 's/^\(C03,.*\),2017-01-20 15:00,2017-01-20 09:00,/\1,2017-01-20 15:00,2017-01-20,/' \
    -e 's/^\(C08,.*\),2017-03-05 12:00,2017-03-05 11:00,/\1,2017-03-08 12:00,2017年3月5日,/' \
    tests/office/clean/2017Q1/submissions.csv | put submissions.csv
run; reads
h=$d/out/2017Q1/index.html
grep -q '黄石港区突发山体滑坡》，事发' "$h" && why="$why the day-only event of C03 is published as late;"
grep -q '黄石市一起群体性上访事件》，事发于2017年3月5日（台账未记载具体时刻），即使按最短间隔计算，也在事发后60小时才报送，超过规定时限58小时。' "$h" ||
    why="$why C08's lateness is not shown by its day: $(grep -o '黄石市一起群体性上访事件》[^<]*' "$h");"
pdftotext "$d/out/2017Q1/tongbao.pdf" - 2>/dev/null | tr -d '\n ' | grep -q '事发于2017年3月5日（台账未记载具体时刻）' ||
    why="$why the PDF does not say the same;"
diags <<'EOF'
data/2017Q1/submissions.csv:9: warning: 重要紧急 reported later than 120 min after the event (Art 13); counted from the end of a day given without a clock time
EOF
verdict

# the same readings in an XML ledger: a placeholder 签发人, a Chinese date,
# a padded author, a 字数 with 字
new xml-readings
rm "$d/data/2017Q1/submissions.csv"
python3 - tests/office/clean/2017Q1/submissions.csv > "$d/data/2017Q1/submissions.xml" <<'PY'
import csv, sys
from xml.sax.saxutils import escape
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
en = ["id", "unit", "title", "type", "chars", "submitted", "event",
      "channel", "approver", "authors", "directive"]
edit = {("C01", "approver"): "无", ("C02", "submitted"): "2017年1月12日10时",
        ("C04", "authors"): "赵　六；钱七", ("C05", "chars"): "700字"}
print('<?xml version="1.0" encoding="UTF-8"?>\n<submissions>')
for r in rows[1:]:
    print("  <submission>" + "".join("<%s>%s</%s>" % (e, escape(edit.get((r[0], e), v)), e)
                                     for e, v in zip(en, r)) + "</submission>")
print("</submissions>")
PY
run; reads
s=$d/out/2017Q1/scores.csv
want "wuhan counted" "$(col "$s" wuhan counted)" $(( $(col "$clean_scores" wuhan counted) - 1 ))
want "huangshi total" "$(col "$s" huangshi total)" "$(col "$clean_scores" huangshi total)"
cmp -s "$d/out/2017/workers.csv" "$tmp/clean/out/2017/workers.csv" || why="$why workers.csv differs;"
diags <<'EOF'
data/2017Q1/submissions.xml:3: warning: 签发人 "无" read as not signed: not counted (Art 11)
data/2017Q1/submissions.xml:5: warning: 重要紧急 reported later than 120 min after the event (Art 13)
EOF
verdict

# ==== refused, with one message the clerk can act on ==========================

# a renamed or dropped 签发人 would make every item unsigned
new approver-renamed
sed '1s/签发人/签发领导/' tests/office/clean/2017Q1/submissions.csv | put submissions.csv
run; refused
diags <<'EOF'
data/2017Q1/submissions.csv:1: error: missing column 签发人 (approver); the header has: 编号, 报送单位, 标题, 类别, 字数, 报送时间, 事发时间, 报送方式, 签发领导, 作者, 督办编号; nearest: "签发领导"
EOF
verdict

new approver-dropped
cut -d, -f1-8,10- tests/office/clean/2017Q1/submissions.csv | put submissions.csv
run; refused
diags <<'EOF'
data/2017Q1/submissions.csv:1: error: missing column 签发人 (approver); the header has: 编号, 报送单位, 标题, 类别, 字数, 报送时间, 事发时间, 报送方式, 作者, 督办编号
EOF
verdict

# a renamed 作者 would drop every author from workers.csv
new authors-renamed
sed '1s/作者/撰稿人/' tests/office/clean/2017Q1/submissions.csv | put submissions.csv
run; refused
diags <<'EOF'
data/2017Q1/submissions.csv:1: error: missing column 作者 (authors); the header has: 编号, 报送单位, 标题, 类别, 字数, 报送时间, 事发时间, 报送方式, 签发人, 撰稿人, 督办编号
EOF
verdict

# a renamed 事发时间 would drop the timeliness of every urgent item
new event-renamed
sed '1s/事发时间/发生时间/' tests/office/clean/2017Q1/submissions.csv | put submissions.csv
run; refused
diags <<'EOF'
data/2017Q1/submissions.csv:1: warning: column not read (not a column of this ledger): 发生时间
data/2017Q1/submissions.csv:1: error: missing column 事发时间 (event), needed because the file has 2 urgent items (first at line 4): without it their timeliness (Art 13) cannot be judged
EOF
verdict

# a renamed 督办编号 would make every follow-up overdue
new directive-renamed
sed '1s/督办编号/督办事项/' tests/office/clean/2017Q1/submissions.csv | put submissions.csv
run; refused
diags <<'EOF'
data/2017Q1/submissions.csv:1: warning: column not read (not a column of this ledger): 督办事项
data/2017Q1/submissions.csv:1: error: missing column 督办编号 (directive), needed because this quarter has a directives ledger (data/2017Q1/directives.csv): without it no item would count as a follow-up (Art 4)
EOF
verdict

# a file saved with semicolons: one error, and no "unknown item" for the
# adoptions naming its items
new semicolons
tr ',' ';' < tests/office/clean/2017Q1/submissions.csv | put submissions.csv
run; refused
diags <<'EOF'
data/2017Q1/submissions.csv:1: error: the columns are separated by semicolons (;), not by commas: save the sheet from Excel as "CSV UTF-8 (comma delimited)" or as an .xlsx workbook
EOF
verdict

# a column named twice
new column-twice
sed '1s/作者,督办编号/作者,督办编号,签发人(审核)/; 2,$s/$/,张局长/' tests/office/clean/2017Q1/submissions.csv | put submissions.csv
run; refused
diags <<'EOF'
data/2017Q1/submissions.csv:1: error: column 签发人 (approver) is named twice in the header: "签发人" (column 9) and "签发人(审核)" (column 12)
EOF
verdict

# cells the program cannot read for sure
new unreadable-cells
put submissions.csv <<EOF
$H
C01,武汉市司法局,武汉市推进公共法律服务体系建设,动态,1.2k,2017-01-05 09:30,,综合科,张局长,王伟、李明,
C02,武汉市司法局,武汉市学习贯彻全省司法行政工作会议精神的计划,动态,600,1月12日,,督办科,张局长,王伟,DB-01
C03,黄石市司法局,黄石港区突发山体滑坡,重要紧急,500,2017-01-20 15:00,2017-01-20 9点半,维稳办,李局长,赵六,
C04,黄石市司法局,黄石市人民调解工作的经验,调研-典型经验,"12,00",2017-02-10 09:00,,综合科,李局长,赵 六 钱 七,
C05,武汉市江汉区司法局,十堰市法律援助工作动态,动态,700,2017-02-15 11:00,,综合科,,孙八,
C06,十堰市司法局,十堰市社区矫正工作动态,动态,650,2017017,,传真,周局长,孙八,
EOF
run; refused
diags <<'EOF'
data/2017Q1/submissions.csv:2: error: 字数 (chars) "1.2k" is not a number of characters (write 1200, 1,200 or 1200字)
data/2017Q1/submissions.csv:3: error: invalid time "1月12日" in 报送时间 (submitted); accepted forms: 2017-01-05, 2017-01-05 09:30[:00], 2017/1/5 9:30, 2017.1.5, 2017年1月5日, 2017年1月5日 9:30, 2017年1月5日9时30分, 20170105, an Excel serial date (42740 or 42740.3958)
data/2017Q1/submissions.csv:4: error: invalid time "2017-01-20 9点半" in 事发时间 (event); accepted forms: 2017-01-05, 2017-01-05 09:30[:00], 2017/1/5 9:30, 2017.1.5, 2017年1月5日, 2017年1月5日 9:30, 2017年1月5日9时30分, 20170105, an Excel serial date (42740 or 42740.3958)
data/2017Q1/submissions.csv:5: error: 字数 (chars) "12,00" is not a number of characters (write 1200, 1,200 or 1200字)
data/2017Q1/submissions.csv:5: error: 作者 (authors) "赵 六 钱 七": cannot tell where one name ends and the next begins; separate the names with 、
data/2017Q1/submissions.csv:6: error: unknown unit "武汉市江汉区司法局"; nearest: 江汉区司法局, 武昌区司法局, 神农架林区司法局
data/2017Q1/submissions.csv:7: error: invalid time "2017017" in 报送时间 (submitted); accepted forms: 2017-01-05, 2017-01-05 09:30[:00], 2017/1/5 9:30, 2017.1.5, 2017年1月5日, 2017年1月5日 9:30, 2017年1月5日9时30分, 20170105, an Excel serial date (42740 or 42740.3958)
EOF
verdict

# a 合计 row inside the data is data (and wrong): only rows after the data
# are a footer
new footer-inside
{ head -5 tests/office/clean/2017Q1/submissions.csv; echo '合计,4条,,,,,,,,,'
  tail -n +6 tests/office/clean/2017Q1/submissions.csv; } | put submissions.csv
run; refused
diags <<'EOF'
data/2017Q1/submissions.csv:6: error: unknown unit "4条"; nearest: 省监狱局, 省戒毒局, 省社矫局
data/2017Q1/submissions.csv:6: error: empty 标题 (title)
data/2017Q1/submissions.csv:6: error: unknown kind "" in 类别 (expected one of 动态, 调研-典型经验, 调研-困难问题, 重要紧急, 日常)
data/2017Q1/submissions.csv:6: error: invalid time "" in 报送时间 (submitted); accepted forms: 2017-01-05, 2017-01-05 09:30[:00], 2017/1/5 9:30, 2017.1.5, 2017年1月5日, 2017年1月5日 9:30, 2017年1月5日9时30分, 20170105, an Excel serial date (42740 or 42740.3958)
data/2017Q1/submissions.csv:4: warning: 重要紧急 reported later than 120 min after the event (Art 13)
data/2017Q1/submissions.csv:6: warning: empty 报送方式 (channel): not counted (Art 8)
EOF
verdict

# a refused directives ledger: the items naming its directives are no
# further errors
new directives-refused
printf '编号,事项,下达时间,责任单位,长期\nDB-01,学习贯彻,2017-01-10,武汉市司法局,\n' | put directives.csv
run; refused
diags <<'EOF'
data/2017Q1/directives.csv:1: error: missing column 督办编号 (id); the header has: 编号, 事项, 下达时间, 责任单位, 长期; nearest: "编号"
data/2017Q1/submissions.csv:4: warning: 重要紧急 reported later than 120 min after the event (Art 13)
EOF
verdict

# a ledger of many bad rows: 50 errors shown, the rest counted
new many-errors
{ echo "$H"; i=0; while [ $i -lt 60 ]; do i=$((i + 1)); echo "X$i,某某局,标题,动态,500,2017-01-05 09:30,,综合科,张三,李四,"; done; } | put submissions.csv
rm "$d/data/2017Q1/adoptions.csv"
run; refused
n=$(grep -c ': error: unknown unit' "$d/diags")
want "errors shown" "$n" 50
tail -1 "$d/diags" > "$d/diags.last"; mv "$d/diags.last" "$d/diags"
diags <<'EOF'
data/2017Q1/submissions.csv: error: 10 further errors in this file not shown
EOF
verdict

# ==== the property: the sample year rewritten as clerks write ledgers =========
# tests/office/rewrite.py rewrites every CSV ledger of the samples at random
# in forms SPEC 3.4 says read the same; each quarter's scores.csv and
# followups.csv and the year's annual.csv and workers.csv must not change
# by a byte.  Three seeds; a failure names its seed.
sample_run() { # DIR
	for q in 2017Q1 2017Q2 2017Q3 2017Q4; do
		"$tb" quarter $q --data "$1/data" --out "$1/out" --formats csv -q --templates "$top/templates" 2>> "$1/stderr" || return 1
	done
	"$tb" year 2017 --data "$1/data" --out "$1/out" --formats csv -q --templates "$top/templates" 2>> "$1/stderr"
}
sample_copy() { # DIR
	mkdir -p "$1/data"
	cp -R samples/units.xml samples/rules.xml samples/2017Q1 samples/2017Q2 samples/2017Q3 samples/2017Q4 "$1/data/"
}
if ! command -v python3 > /dev/null; then
	echo "PASS: samples-rewritten (skipped: no python3)"
else
	sample_copy "$tmp/samples"
	sample_run "$tmp/samples" || bad "samples: the clean run failed"
	for seed in 1 2 3; do
		name="samples-rewritten (seed $seed)"
		d=$tmp/rewritten-$seed
		why=""
		sample_copy "$d"
		python3 tests/office/rewrite.py "$d/data" $seed 2> "$d/rewrite.err" ||
		    why="$why rewrite.py failed: $(tail -1 "$d/rewrite.err");"
		sample_run "$d" || why="$why exit $?: $(grep -m3 error: "$d/stderr" | tr '\n' ' ');"
		for f in 2017Q1/scores.csv 2017Q2/scores.csv 2017Q3/scores.csv 2017Q4/scores.csv \
		    2017Q1/followups.csv 2017Q2/followups.csv 2017Q3/followups.csv 2017Q4/followups.csv \
		    2017/annual.csv 2017/workers.csv; do
			cmp -s "$tmp/samples/out/$f" "$d/out/$f" || why="$why $f differs;"
		done
		verdict
	done
fi

[ $fail = 0 ]
