#!/bin/sh
# suite_xlsx.sh - ledgers kept as Excel workbooks (SPEC 3.5), read with the
# rules of 3.1 and 3.4:
#   - the sample year with every CSV ledger turned into a workbook with
#     real date cells (tests/xlsx/csv2xlsx.py, openpyxl), in the forms an
#     office produces - shared strings, inline strings, rich text with a
#     phonetic guide, the 1904 date system, a merged title row, header
#     notes, footer rows, a second sheet - scores byte-identically to the
#     CSV form (tests/golden/expected/);
#   - a message names the Excel row and the cell (submissions.xlsx:4: B4:);
#   - a workbook that cannot be read (an .xls, encrypted, not a zip,
#     truncated, a zip bomb, sizes that lie, a DOCTYPE, no workbook part, a
#     broken shared-string index, libxml2's depth and text limits) is one
#     clear error and nothing is written; two forms of one ledger are an
#     error;
#   - a sheet of 4,000 rows (several batches from the parser's thread)
#     scores as its CSV, and a bad row number at row 3,000 stops it there;
#   - tongbao template writes the three empty ledgers (drop-downs of every
#     unit, kind, carrier and mailbox on a hidden sheet, an input message
#     on each column, date and number formats), never over a file; filled
#     in as an office would (tests/xlsx/fill.py), they score as the CSVs;
#   - scores.xlsx, annual.xlsx and workers.xlsx read back hold exactly the
#     rows of their CSVs, numbers as number cells, one sheet per group.
# Needs Debian's python3-openpyxl (/usr/bin/python3); skipped without it.
set -u
top=$(pwd)
tb=$(cd "$(dirname "$TB")" && pwd)/$(basename "$TB")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
PY=${PY:-/usr/bin/python3}
fail=0
ok()  { echo "PASS: $1"; }
bad() { echo "FAIL: $1"; fail=1; }
if ! "$PY" -c 'import openpyxl' 2> /dev/null; then
	echo "PASS: xlsx (skipped: $PY has no openpyxl; apt-get install python3-openpyxl)"
	exit 0
fi
T="--templates $top/templates"

# ---- the sample year as workbooks ---------------------------------------------
for opts in "" "--inline --footer" "--rich --sheet-first --1904" "--title --notes"; do
	name="samples as workbooks ${opts:-(shared strings)}"
	d=$tmp/s
	rm -rf "$d"
	mkdir -p "$d/data"
	cp -R samples/units.xml samples/rules.xml samples/2017Q1 samples/2017Q2 samples/2017Q3 samples/2017Q4 "$d/data/"
	why=""
	# shellcheck disable=SC2086
	"$PY" tests/xlsx/csv2xlsx.py --folder "$d/data" $opts 2> "$d/py.err" || why="$why csv2xlsx failed: $(tail -1 "$d/py.err");"
	[ -f "$d/data/2017Q2/submissions.xlsx" ] && [ ! -f "$d/data/2017Q2/submissions.csv" ] || why="$why not converted;"
	for q in 2017Q1 2017Q2 2017Q3 2017Q4; do
		# shellcheck disable=SC2086
		"$tb" quarter $q --data "$d/data" --out "$d/out" --formats csv -q $T 2>> "$d/err" || why="$why $q exit $?;"
	done
	# shellcheck disable=SC2086
	"$tb" year 2017 --data "$d/data" --out "$d/out" --formats csv -q $T 2>> "$d/err" || why="$why year exit $?;"
	for f in 2017Q1/scores.csv 2017Q2/scores.csv 2017Q3/scores.csv 2017Q4/scores.csv \
	    2017Q1/followups.csv 2017Q2/followups.csv 2017Q3/followups.csv \
	    2017/annual.csv 2017/workers.csv; do
		cmp -s "$d/out/$f" "tests/golden/expected/$f" || why="$why $f differs;"
	done
	if [ -z "$why" ]; then ok "$name"; else bad "$name:$why"; head -5 "$d/err"; fi
done

# ---- samples/xlsx: the quarter kept as an office will keep it ----------------
# (made by tests/xlsx/mksample.sh: tongbao template, filled in) publishes
# what samples/2017Q1 does, the portal page included
d=$tmp/sx
# shellcheck disable=SC2086
"$tb" quarter 2017Q1 --data samples/xlsx --out "$d/x" --formats csv,html -q $T 2> "$d.err"
# shellcheck disable=SC2086
"$tb" quarter 2017Q1 --data samples --out "$d/c" --formats csv,html -q $T
why=""
for f in scores.csv followups.csv index.html; do
	cmp -s "$d/x/2017Q1/$f" "$d/c/2017Q1/$f" || why="$why $f differs;"
done
for l in submissions adoptions directives; do
	[ -f samples/xlsx/2017Q1/$l.xlsx ] || why="$why no samples/xlsx/2017Q1/$l.xlsx;"
done
if [ -z "$why" ]; then ok "samples/xlsx publishes what samples/2017Q1 does"; else bad "samples/xlsx:$why"; cat "$d.err"; fi

# ---- messages name the cell ---------------------------------------------------
d=$tmp/cells
mkdir -p "$d/data"
cp -R tests/office/clean/* "$d/data/"
cp samples/units.xml samples/rules.xml "$d/data/"
sed -e 's/^C02,武汉市司法局,/C02,武汉市江汉区司法局,/' -e 's/^C04,\(.*\),2500,/C04,\1,1.2k,/' \
    tests/office/clean/2017Q1/submissions.csv > "$d/sub.csv"
rm "$d/data/2017Q1/submissions.csv"
"$PY" tests/xlsx/csv2xlsx.py "$d/sub.csv" "$d/data/2017Q1/submissions.xlsx" --title --notes
# shellcheck disable=SC2086
(cd "$d" && "$tb" check 2017Q1 --data data $T 2> err)
rc=$?
grep -E ': (error|warning|note): ' "$d/err" > "$d/got"
cat > "$d/want" <<'EOF'
data/2017Q1/submissions.xlsx:1: note: 1 row above the header (line 2) skipped: "2017年政务信息报送登记表"
data/2017Q1/submissions.xlsx:4: error: B4: unknown unit "武汉市江汉区司法局"; nearest: 江汉区司法局, 武昌区司法局, 神农架林区司法局
data/2017Q1/submissions.xlsx:6: error: E6: 字数 (chars) "1.2k" is not a number of characters (write 1200, 1,200 or 1200字)
data/2017Q1/submissions.xlsx:5: warning: 重要紧急 reported later than 120 min after the event (Art 13)
EOF
if [ $rc -eq 65 ] && diff -u "$d/want" "$d/got" > "$d/diff"; then
	ok "messages give the Excel row and the cell"
else
	bad "messages give the Excel row and the cell (exit $rc)"; cat "$d/diff"
fi

# ---- workbooks that cannot be read -------------------------------------------
"$PY" tests/xlsx/csv2xlsx.py tests/office/clean/2017Q1/submissions.csv "$tmp/good.xlsx"
"$PY" tests/xlsx/badbooks.py "$tmp/good.xlsx" "$tmp/bad"
S=data/2017Q1/submissions.xlsx
refused() { # case, the one message
	d=$tmp/r-$1
	mkdir -p "$d/data/2017Q1"
	cp samples/units.xml samples/rules.xml "$d/data/"
	cp "$tmp/bad/$1.xlsx" "$d/data/2017Q1/submissions.xlsx"
	# shellcheck disable=SC2086
	(cd "$d" && "$tb" quarter 2017Q1 --data data --out out $T > /dev/null 2> err)
	rc=$?
	got=$(grep -E ': (error|warning): ' "$d/err")
	if [ $rc -eq 65 ] && [ "$got" = "$2" ] && [ ! -e "$d/out/2017Q1" ] &&
	    [ "$(wc -l < "$d/err")" -le 2 ]; then
		ok "refused: $1"
	else
		bad "refused: $1 (exit $rc)"; cat "$d/err"; echo "want: $2"
	fi
}
refused xls "$S: error: this is an old Excel .xls file, not an .xlsx workbook: open it in Excel and save it as \"Excel Workbook (*.xlsx)\""
refused encrypted "$S: error: the workbook is password-protected: remove the password in Excel (File > Info > Protect Workbook) and save it again"
refused csv "$S: error: not an .xlsx workbook (the file is not a zip archive, or it is damaged): save the sheet from Excel as \"Excel Workbook (*.xlsx)\""
refused truncated "$S: error: not an .xlsx workbook (the file is not a zip archive, or it is damaged): save the sheet from Excel as \"Excel Workbook (*.xlsx)\""
sizes=$("$PY" -c "import zipfile
i = zipfile.ZipFile('$tmp/bad/bomb.xlsx').getinfo('xl/worksheets/sheet1.xml')
print(i.compress_size, 'bytes to', i.file_size)")
refused bomb "$S: error: refused: xl/worksheets/sheet1.xml would inflate from $sizes (a zip bomb, or no workbook Excel wrote)"
refused liar "$S: error: refused: xl/worksheets/sheet1.xml inflates past its declared size (a zip bomb, or a damaged workbook)"
refused doctype "$S: error: refused: xl/worksheets/sheet1.xml has a DOCTYPE, which no workbook Excel writes has"
refused nosheet "$S: error: not an .xlsx workbook Excel wrote: it has no xl/workbook.xml (the file is damaged, or another kind of zip archive)"
refused badref "$S:2: error: A2: the workbook is damaged: shared string 99999 does not exist"
refused deep "$S: error: the workbook is damaged: xl/worksheets/sheet1.xml is not well-formed XML (line 1: Excessive depth in document: 256 use XML_PARSE_HUGE option)"
refused hugetext "$S: error: the workbook is damaged: xl/worksheets/sheet1.xml is not well-formed XML (line 1: xmlSAX2Characters: huge text node)"

# ---- a sheet of 4,000 rows (the rows go over from the parser's thread in
# batches of 256 KiB): it scores as its CSV; a row number going back at
# row 3,000 stops the reading there, one error, whatever follows
d=$tmp/big
"$PY" samples/generate.py --bench 4000 --out "$d/csv" > /dev/null
mkdir -p "$d/x/2017Q1"
cp "$d/csv/units.xml" "$d/csv/rules.xml" "$d/x/"
cp "$d/csv/2017Q1/adoptions.csv" "$d/x/2017Q1/"
"$PY" tests/xlsx/mkbig.py "$d/csv/2017Q1/submissions.csv" "$d/x/2017Q1/submissions.xlsx"
why=""
# shellcheck disable=SC2086
"$tb" quarter 2017Q1 --data "$d/csv" --out "$d/oc" --formats csv -q $T 2> "$d/err" || why="$why csv exit $?;"
# shellcheck disable=SC2086
"$tb" quarter 2017Q1 --data "$d/x" --out "$d/ox" --formats csv -q $T 2>> "$d/err" || why="$why xlsx exit $?;"
for f in scores.csv adoptions.csv; do
	cmp -s "$d/oc/2017Q1/$f" "$d/ox/2017Q1/$f" || why="$why $f differs;"
done
if [ -z "$why" ]; then ok "4,000 rows as .xlsx score as the CSV"; else bad "4,000 rows as .xlsx:$why"; head -5 "$d/err"; fi
"$PY" - "$d/x/2017Q1/submissions.xlsx" "$d/back.xlsx" <<'PY'
import sys, zipfile
src, dst = sys.argv[1:3]
with zipfile.ZipFile(src) as z, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as o:
    for n in z.namelist():
        b = z.read(n)
        if n == "xl/worksheets/sheet1.xml":
            b = b.replace(b'<row r="3000">', b'<row r="3">', 1)
        o.writestr(n, b)
PY
cp "$d/back.xlsx" "$d/x/2017Q1/submissions.xlsx"
# shellcheck disable=SC2086
(cd "$d" && "$tb" check 2017Q1 --data x $T > /dev/null 2> err2)
rc=$?
got=$(grep -E ': (error|warning): ' "$d/err2")
if [ $rc -eq 65 ] && [ "$got" = "x/2017Q1/submissions.xlsx:3000: error: the workbook is damaged: row number \"3\" after row 2999" ]; then
	ok "a row number going back at row 3,000 of 4,000: one error"
else
	bad "a row number going back at row 3,000 (exit $rc)"; cat "$d/err2"
fi

# ---- one ledger in two forms --------------------------------------------------
d=$tmp/two
mkdir -p "$d/data"
cp -R tests/office/clean/* "$d/data/"
cp samples/units.xml samples/rules.xml "$d/data/"
cp "$tmp/good.xlsx" "$d/data/2017Q1/submissions.xlsx"
# shellcheck disable=SC2086
(cd "$d" && "$tb" check 2017Q1 --data data $T 2> err)
rc=$?
if [ $rc -eq 65 ] && grep -qx "data/2017Q1/submissions.xlsx: error: both submissions.csv and submissions.xlsx are present; keep one" "$d/err"; then
	ok "two forms of one ledger are an error"
else
	bad "two forms of one ledger (exit $rc)"; cat "$d/err"
fi

# ---- tongbao template, filled in -----------------------------------------------
d=$tmp/tpl
mkdir -p "$d/data/2017Q1"
cp samples/units.xml samples/rules.xml "$d/data/"
cp -R tests/office/clean/2017Q2 tests/office/clean/2017Q3 tests/office/clean/2017Q4 "$d/data/"
# shellcheck disable=SC2086
"$tb" template 2017Q1 --data "$d/data" --out "$d/tpl" -q $T 2> "$d/err"
rc=$?
for l in submissions adoptions directives; do
	[ -f "$d/tpl/2017Q1/$l.xlsx" ] || rc="$rc, no $l.xlsx"
	"$PY" tests/xlsx/fill.py "$d/tpl/2017Q1/$l.xlsx" "tests/office/clean/2017Q1/$l.csv" "$d/data/2017Q1/$l.xlsx"
done
c=$tmp/tclean
mkdir -p "$c"
cp -R tests/office/clean "$c/data"
cp samples/units.xml samples/rules.xml "$c/data/"
# shellcheck disable=SC2086
"$tb" quarter 2017Q1 --data "$c/data" --out "$c/out" -q $T --formats csv
# shellcheck disable=SC2086
"$tb" quarter 2017Q1 --data "$d/data" --out "$d/out" -q $T --formats csv 2>> "$d/err"
if [ "$rc" = 0 ] && cmp -s "$d/out/2017Q1/scores.csv" "$c/out/2017Q1/scores.csv" &&
    cmp -s "$d/out/2017Q1/followups.csv" "$c/out/2017Q1/followups.csv"; then
	ok "the template filled in scores as the CSV ledgers"
else
	bad "the template filled in (template exit $rc)"; cat "$d/err"
fi
"$PY" - "$d/tpl/2017Q1" samples/units.xml samples/rules.xml > "$d/check" 2>&1 <<'PY'
import sys, openpyxl
import xml.etree.ElementTree as ET
top, units, rules = sys.argv[1:4]
names = [u.get("name") for u in ET.parse(units).iter() if u.tag.endswith("unit")]
r = ET.parse(rules)
kinds = [k.get("name") for k in r.iter() if k.tag.endswith("kind")]
carriers = [c.get("name") for c in r.iter() if c.tag.endswith("carrier") and c.get("points")]
def lists(book):
    wb = openpyxl.load_workbook("%s/%s.xlsx" % (top, book))
    assert wb.sheetnames == ["台账", "lists"], wb.sheetnames
    assert wb["lists"].sheet_state == "hidden"
    ws = wb["台账"]
    assert ws.freeze_panes == "A2", ws.freeze_panes
    dvs = {str(dv.sqref).split(":")[0][:-1]: dv for dv in ws.data_validations.dataValidation}
    head = [c.value for c in ws[1]]
    for i, h in enumerate(head):
        col = openpyxl.utils.get_column_letter(i + 1)
        assert col in dvs and dvs[col].prompt, "no input message on " + h
    l = wb["lists"]
    out = {}
    for c in l[1]:
        out[c.value] = [x.value for x in l[c.column_letter][1:] if x.value is not None]
    return head, dvs, out
head, dvs, l = lists("submissions")
assert l["报送单位"] == names, "units"
assert l["类别"] == kinds, "kinds"
assert "综合科" in l["报送方式"] and "电话" in l["报送方式"], "mailboxes"
assert dvs["B"].type == "list" and dvs["B"].errorStyle == "warning"
head, dvs, l = lists("adoptions")
assert l["采用载体"] == carriers, (l["采用载体"], carriers)
head, dvs, l = lists("directives")
assert l["责任单位"] == names
print("ok", len(names), len(kinds), len(carriers))
PY
if grep -q '^ok 120 5 ' "$d/check"; then
	ok "the template's drop-downs: every unit, kind and carrier; a message on each column"
else
	bad "the template's drop-downs"; cat "$d/check"
fi
# shellcheck disable=SC2086
"$tb" template 2017Q1 --data "$d/data" --out "$d/tpl" -q $T 2> "$d/err2"
rc=$?
if [ $rc -eq 73 ] && grep -q "tpl/2017Q1/submissions.xlsx: error: exists: tongbao template never overwrites a ledger" "$d/err2"; then
	ok "the template never overwrites a ledger (exit 73)"
else
	bad "the template over an existing ledger: exit $rc"; cat "$d/err2"
fi

# ---- scores.xlsx, annual.xlsx, workers.xlsx read back ---------------------------
d=$tmp/books
for q in 2017Q1 2017Q2 2017Q3 2017Q4; do
	# shellcheck disable=SC2086
	"$tb" quarter $q --data samples --out "$d" -q $T --formats csv
done
# shellcheck disable=SC2086
"$tb" year 2017 --data samples --out "$d" -q $T --formats csv
"$PY" - "$d" > "$d/check" 2>&1 <<'PY'
import csv, sys, openpyxl
top = sys.argv[1]
def same(book, csvf, group, first):
    rows = list(csv.reader(open("%s/%s" % (top, csvf), encoding="utf-8")))
    wb = openpyxl.load_workbook("%s/%s" % (top, book))
    assert wb.sheetnames[0] == first, wb.sheetnames
    def text(v):
        return "" if v is None else str(v)
    for name in wb.sheetnames:
        ws = wb[name]
        got = [[text(c.value) for c in r] for r in ws.iter_rows()]
        want = rows if name == first else [rows[0]] + [r for r in rows[1:] if r[rows[0].index(group)] == name]
        assert got == want, (book, name, got[:2], want[:2])
        assert ws.freeze_panes == "A2"
        for r in ws.iter_rows(min_row=2):
            for c in r:
                if rows[0][c.column - 1] in ("total", "rank", "quota", "effective", "q1", "items"):
                    assert isinstance(c.value, (int, float)), (book, c.coordinate, c.value)
    if group:
        groups = sorted(set(r[rows[0].index(group)] for r in rows[1:]))
        assert sorted(wb.sheetnames[1:]) == groups, wb.sheetnames
for q in ("2017Q1", "2017Q2", "2017Q3", "2017Q4"):
    same(q + "/scores.xlsx", q + "/scores.csv", "group", "全部单位")
same("2017/annual.xlsx", "2017/annual.csv", "group", "全部单位")
same("2017/workers.xlsx", "2017/workers.csv", None, "先进工作者")
print("ok")
PY
if grep -qx ok "$d/check"; then
	ok "scores.xlsx, annual.xlsx and workers.xlsx hold the rows of their CSVs"
else
	bad "the workbooks read back"; tail -5 "$d/check"
fi
mkdir -p "$d/again"
# shellcheck disable=SC2086
"$tb" quarter 2017Q1 --data samples --out "$d/again" -q $T --formats csv
cmp -s "$d/again/2017Q1/scores.xlsx" "$d/2017Q1/scores.xlsx" &&
    ok "scores.xlsx is byte-identical on a second run" || bad "scores.xlsx differs between runs"
exit $fail
