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

exit $fail
