#!/bin/sh
# suite_hostile.sh - what a hostile or careless ledger may carry into the
# outputs (issue 16), end to end on copies of the sample quarter:
#   - characters that hide or reorder text (bidi overrides, zero-width,
#     control characters) in titles, notes and the office's paragraphs are
#     removed with a warning and appear in no output (names, ids and
#     numbers holding one are refused: tests/bad/hidden-*);
#   - a title or an author starting with = + - @, a tab or a CR is quoted
#     in every CSV as OWASP recommends ('=...) and so in the .xlsx twins,
#     where it is a text cell, never a formula.
# Env: TB (binary), VARIANT (rel|san).  Run from the repository root.
set -u
tb=$(cd "$(dirname "$TB")" && pwd)/$(basename "$TB")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
ok()  { echo "PASS: $1"; }
bad() { echo "FAIL: $1"; fail=1; }

# sample_copy NAME: $work/NAME/data, the sample registry, rules and 2017Q1
sample_copy() {
	d=$work/$1
	mkdir -p "$d/data"
	cp samples/units.xml samples/rules.xml "$d/data/"
	cp -R samples/2017Q1 "$d/data/"
}

# ---- hidden characters in free text -----------------------------------------
sample_copy hidden-titles
python3 - "$d/data/2017Q1" <<'EOF'
import sys, csv, io
q = sys.argv[1]
lines = open(q + "/submissions.csv", encoding="utf-8").read().split("\n")
# rows 2..4: an override, a zero-width space, an isolate and a tag in titles
marks = ["\u202e", "\u200b", "\u2066", "\U000E0041"]
for k in range(4):
    f = lines[k + 1].split(",")
    f[2] = f[2][:4] + marks[k] + f[2][4:]
    lines[k + 1] = ",".join(f)
open(q + "/submissions.csv", "w", encoding="utf-8").write("\n".join(lines))
s = open(q + "/notice.xml", encoding="utf-8").read()
s = s.replace("</extra>", "<p>请各单位\u200b认真\u202e核对。</p></extra>")
open(q + "/notice.xml", "w", encoding="utf-8").write(s)
EOF
grep -q '<extra>' "$d/data/2017Q1/notice.xml" || { bad "hidden-titles: the test could not add <extra>"; }
(cd "$d" && "$tb" quarter 2017Q1 --data data --out out --formats csv,pdf,html 2> stderr > /dev/null)
rc=$?
why=""
[ "$rc" -eq 0 ] || why="$why exit $rc;"
grep -q "submissions.csv:2: warning: 4 items: 标题 (title) held characters that hide or reorder text" "$d/stderr" ||
    why="$why no tallied warning for the titles;"
grep -q "notice.xml:[0-9][0-9]*: warning: <extra>: characters that hide or reorder text (U+200B" "$d/stderr" ||
    why="$why no warning for the paragraph;"
# none of the characters in any output, the PDF's text included
pdftotext -enc UTF-8 "$d/out/2017Q1/tongbao.pdf" "$d/pdf.txt" 2> /dev/null
for f in "$d"/out/2017Q1/*.csv "$d"/out/2017Q1/*.html "$d"/out/2017Q1/notice.xml "$d/pdf.txt"; do
	if python3 - "$f" <<'EOF'
import sys
t = open(sys.argv[1], encoding="utf-8", errors="replace").read()
bad = [c for c in t if c in "\u202e\u200b\u2066" or 0xE0000 <= ord(c) <= 0xE007F]
sys.exit(0 if bad else 1)
EOF
	then why="$why hidden characters in $(basename "$f");"; fi
done
grep -q '请各单位认真核对' "$d/out/2017Q1/notice.xml" || why="$why the paragraph is not in the notice;"
if [ -z "$why" ]; then ok "hidden characters in titles and paragraphs: removed with a warning, in no output"
else bad "hidden characters in titles:$why"; head -5 "$d/stderr"; fi

# ---- formulas in the CSV and .xlsx outputs ------------------------------------
# Titles and authors of adopted items (adoptions.csv, workers.csv), a
# directive's title (followups.csv), each starting with one of = + - @,
# a tab or a CR.  Every such field must be written "'…" (quoted, with a
# leading apostrophe), numbers as before, and no workbook may hold a
# formula (<f>) or the text without its apostrophe.
d=$work/formulas
mkdir -p "$d"
cp -R samples "$d/data"
rm -rf "$d/data/2017Q2" "$d/data/2017Q3" "$d/data/2017Q4"
cat > "$work/evil.py" <<'EOF'
import csv, io, sys
q = sys.argv[1]
evil = ["=HYPERLINK(\"http://x.example/\",\"点击\")", "+1+1", "-2+3",
        "@SUM(1,2)", "\t=1+2", "\r=3+4"]
def load(name):
    return list(csv.reader(open(q + "/" + name, encoding="utf-8", newline="")))
def save(name, rows):
    out = io.StringIO()
    csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(rows)
    open(q + "/" + name, "w", encoding="utf-8", newline="").write(out.getvalue())
rows = load("submissions.csv")
adopted = [r[0] for r in load("adoptions.csv")[1:]]
ids = []
for r in rows[1:]:
    if r[0] in adopted and r[0] not in ids and len(ids) < len(evil):
        ids.append(r[0])
for r in rows[1:]:
    if r[0] in ids:
        k = ids.index(r[0])
        r[2] = evil[k] + r[2]
        if k == 0:
            r[9] = "=cmd|'calc'!A0"
        if k == 3:
            r[9] = "@王伟"
save("submissions.csv", rows)
d = load("directives.csv")
d[1][1] = "-" + d[1][1]
save("directives.csv", d)
EOF
python3 "$work/evil.py" "$d/data/2017Q1"
cat > "$work/check.py" <<'EOF'
import csv, io, re, sys, zipfile
o, what = sys.argv[1], sys.argv[2]
bad = []
def fields(name):
    raw = open(o + "/" + name, encoding="utf-8", newline="").read()
    return raw, [f for r in csv.reader(io.StringIO(raw)) for f in r]
def no_formula(x, want=None):
    z = zipfile.ZipFile(o + "/" + x)
    text = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    if re.search(r"<f[ >]", text):
        bad.append("%s: a formula" % x)
    if want is not None and want not in text.replace("&apos;", "'"):
        bad.append("%s: %r is not a text cell" % (x, want))
def protected(name, want):
    raw, fs = fields(name)
    hits = [f for f in fs if f[:1] in "=+-@\t\r" and f != ""]
    if hits:
        bad.append("%s: a field starts with a formula character: %r" % (name, hits[0]))
    quoted = set(f for f in fs if f[:1] == "'" and f[1:2] in "=+-@\t\r")
    if len(quoted) < want:
        bad.append("%s: %d fields written '... (want %d)" % (name, len(quoted), want))
    if '"' + "'" not in raw:
        bad.append("%s: no field written \"'...\"" % name)
    return fs
if what == "quarter":
    protected("adoptions.csv", 6)
    protected("followups.csv", 1)
    raw, fs = fields("scores.csv")
    if any(f.startswith("'") for f in fs):
        bad.append("scores.csv: a number was quoted")
    no_formula("scores.xlsx")
else:
    fs = protected("workers.csv", 2)
    for a in ("'=cmd|'calc'!A0", "'@王伟"):
        if a not in fs:
            bad.append("workers.csv: no author %r" % a)
    no_formula("workers.xlsx", "'=cmd|'calc'!A0")
    no_formula("annual.xlsx")
print("; ".join(bad))
sys.exit(1 if bad else 0)
EOF
(cd "$d" && "$tb" quarter 2017Q1 --data data --out out --formats csv -q 2> stderr)
rc=$?
why=""
[ "$rc" -eq 0 ] || why="$why exit $rc;"
msg=$(python3 "$work/check.py" "$d/out/2017Q1" quarter) || why="$why $msg;"
# the year: workers.csv and workers.xlsx carry the authors
cp -R samples/2017Q2 samples/2017Q3 samples/2017Q4 "$d/data/"
(cd "$d" && "$tb" year 2017 --data data --out out --formats csv -q 2> stderr)
rc=$?
[ "$rc" -eq 0 ] || why="$why year exit $rc: $(head -2 "$d/stderr");"
msg=$(python3 "$work/check.py" "$d/out/2017" year) || why="$why $msg;"
if [ -z "$why" ]; then ok "formula characters: written '... in every CSV, text (no formula) in the workbooks"
else bad "formula characters:$why"; head -5 "$d/stderr"; fi

# ---- a giant quarter's lists, at small caps --------------------------------------
# The notice and the statements list at most so many rows of each long
# list (templates/notice.xml late_max, excluded_max, high_max,
# adoptions_max, adoptions_web_max; statement.xml items_max, adopt_max),
# then one line with how many more there are and the file that lists them
# all; items.csv lists every item.  The caps made small here, so the
# sample quarter (150 items not counted, 4 late, 10 adoptions of 省监狱局,
# 47 items of 鄂州市司法局) runs into each.
d=$work/caps
mkdir -p "$d"
cp -R templates "$d/tpl"
sed -i 's|<text key="late_max">[0-9]*<|<text key="late_max">1<|; s|<text key="excluded_max">[0-9]*<|<text key="excluded_max">2<|; s|<text key="adoptions_max">[0-9]*<|<text key="adoptions_max">1<|; s|<text key="adoptions_web_max">[0-9]*<|<text key="adoptions_web_max">2<|' "$d/tpl/notice.xml"
sed -i 's|<text key="items_max">[0-9]*<|<text key="items_max">5<|' "$d/tpl/statement.xml"
(cd "$d" && "$tb" quarter 2017Q1 --data "$OLDPWD/samples" --out out --templates tpl -q 2> stderr)
rc=$?
why=""
[ "$rc" -eq 0 ] || why="$why exit $rc;"
o=$d/out/2017Q1
n=$(python3 -c 'import csv,sys; print(len(list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))))' "$o/items.csv")
[ "$n" = 1343 ] || why="$why items.csv has $n items (want 1343);"
pdftotext -enc UTF-8 "$o/tongbao.pdf" - 2> /dev/null | tr -d ' \n' > "$d/pdf.txt"
pdftotext -enc UTF-8 "$o/units/ezhou.pdf" - 2> /dev/null | tr -d ' \n' > "$d/ezhou.txt"
for want in "html:另有148条未在此列出，全部见同一目录下的items.csv" \
    "html:另有3条重要紧急信息超过规定时限报送" \
    "html:省监狱局另有8条次，详见同一目录下的adoptions.csv" \
    "pdf:另有148条未在此列出" "pdf:另有3条重要紧急信息" \
    "pdf:省监狱局另有9条次" "ezhou:另有42条未列出，全部见本季度通报同一目录下的items.csv"; do
	where=${want%%:*} text=${want#*:}
	case $where in
	html) grep -q "$text" "$o/index.html" || why="$why no '$text' in index.html;";;
	pdf) grep -q "$text" "$d/pdf.txt" || why="$why no '$text' in tongbao.pdf;";;
	ezhou) grep -q "$text" "$d/ezhou.txt" || why="$why no '$text' in units/ezhou.pdf;";;
	esac
done
if [ -z "$why" ]; then ok "long lists capped in the PDF, the page and the statements, with the count and the file of the rest"
else bad "capped lists:$why"; head -5 "$d/stderr"; fi

exit $fail
