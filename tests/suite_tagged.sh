#!/bin/sh
# tests/suite_tagged.sh - every PDF the program writes is a tagged PDF
# (issue 15), read back with poppler and qpdf.
#
#   tagged      pdfinfo says "Tagged: yes" of tongbao.pdf, units.pdf, three
#               unit statements, the annual notice and biaozhang.pdf.
#   marks       tests/pdftags.py over each (qpdf --json): MarkInfo, /Lang
#               zh-CN, the StructTreeRoot and ParentTree, /StructParents on
#               every page, every text object and painted path inside an
#               MCID's or an Artifact's marked content (never nested, never
#               inside BT ... ET), every MCID in exactly one element, TH
#               with /Scope, the chart a Figure with /Alt.
#   detects     the same checker refuses a copy of the notice with one
#               paragraph's MCID taken away and /Lang changed (so a pass
#               means something).
#   tree        `pdfinfo -struct` of the sample quarter's notice equals
#               tests/golden/expected/2017Q1/tongbao.struct (the element
#               kinds in order, text stripped; `make golden` regenerates).
#   text        tests/structtext.py over `pdfinfo -struct-text`: the
#               notice's tagged text holds every unit of the registry in a
#               table row with its total, the title and headings of the
#               portal page in order, and no space inside Chinese text;
#               the same for a unit statement and the annual notice.
#               poppler reads the text of each element by running over its
#               page again (46 s for the notice's 3,800 sequences, three
#               minutes for units.pdf), so units.pdf's text is not read
#               this way: its statements are set by the same code as
#               units/ID.pdf, checked here.
# Under VARIANT=san the PDFs are made by the sanitizer build and checked
# with pdftags.py again; poppler's struct text is not read twice.
# Prints "PASS: name" / "FAIL: name"; exits non-zero on any failure.

B=${B:-out/build}
TB=${TB:-gen/tongbao}
VARIANT=${VARIANT:-rel}
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
fails=0
pass() { echo "PASS: tagged $1"; }
fail() { echo "FAIL: tagged $1"; fails=$((fails + 1)); }
check() { # what command...
	what=$1; shift
	if "$@" > "$tmp/check.log" 2>&1; then pass "$what"; else
		fail "$what"; head -20 "$tmp/check.log"; fi
}

for tool in pdfinfo qpdf; do
	if ! command -v $tool > /dev/null 2>&1; then
		echo "FAIL: tagged needs $tool (make deps installs it)"
		exit 1
	fi
done
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
exp=tests/golden/expected/2017Q1/tongbao.struct

if ! "$TB" quarter 2017Q1 --data samples --out "$tmp/out" -q > "$tmp/q.log" 2>&1 ||
   ! "$TB" year 2017 --data samples --out "$tmp/out" -q > "$tmp/y.log" 2>&1; then
	fail "the sample quarter and year render"
	cat "$tmp/q.log" "$tmp/y.log" | head -5
	exit 1
fi
q=$tmp/out/2017Q1
y=$tmp/out/2017
pdfs="$q/tongbao.pdf $q/units.pdf $q/units/wuhan.pdf $q/units/office-01.pdf
      $q/units/pa-01.pdf $y/tongbao.pdf $y/biaozhang.pdf"

for f in $pdfs; do
	name=${f#$tmp/out/}
	check "$name says Tagged: yes" sh -c "pdfinfo '$f' | grep -q '^Tagged: *yes'"
	figure=
	case $name in */tongbao.pdf) figure=--figure;; esac
	check "$name: every piece of content marked, the tree sound" \
	    $PY tests/pdftags.py "$f" $figure
done

# The checker finds what is wrong: a paragraph's content no longer an MCID
# sequence, and another language.
qpdf --qdf --object-streams=disable "$q/tongbao.pdf" "$tmp/qdf.pdf"
$PY - "$tmp/qdf.pdf" "$tmp/broken.pdf" <<'EOF'
import re, sys
data = open(sys.argv[1], "rb").read()
data = re.sub(rb"/P\s*<<\s*/MCID\s+0\s*>>\s*BDC", b"/P BMC", data, count=1)
data = data.replace(b"/Lang (zh-CN)", b"/Lang (en-US)", 1)
open(sys.argv[2], "wb").write(data)
EOF
fix-qdf "$tmp/broken.pdf" > "$tmp/fixed.pdf" 2> /dev/null
if $PY tests/pdftags.py "$tmp/fixed.pdf" > "$tmp/broken.log" 2>&1; then
	fail "the checker refuses a broken copy (it passed)"
elif grep -q "BMC outside the tree" "$tmp/broken.log" &&
     grep -q "/Lang" "$tmp/broken.log"; then
	pass "the checker refuses a broken copy"
else
	fail "the checker refuses a broken copy for its faults"
	head -5 "$tmp/broken.log"
fi

# The tree of the sample notice, text stripped.
pdfinfo -struct "$q/tongbao.pdf" > "$tmp/tongbao.struct"
if [ "${REGEN:-0}" = 1 ]; then
	cp "$tmp/tongbao.struct" "$exp"
	pass "regenerated $exp"
elif diff -u "$exp" "$tmp/tongbao.struct" > "$tmp/diff"; then
	pass "pdfinfo -struct of the notice equals $exp"
else
	fail "pdfinfo -struct of the notice equals $exp"
	head -30 "$tmp/diff"
fi
check "the tree has every kind the notice needs" sh -c "
	for k in Document Sect H1 H2 H3 P L LI LBody Table Caption TR TH TD Figure Span; do
		grep -q \"^ *\$k\\b\" '$tmp/tongbao.struct' || { echo missing \$k; exit 1; }
	done"

if [ "$VARIANT" = rel ]; then
	# every unit of the registry (scores.csv lists each one in force)
	$PY -c 'import csv,sys
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")): print(r["unit_name"])' \
	    "$q/scores.csv" > "$tmp/names"
	check "the notice's tagged text: every unit with its total, the headings in order" \
	    $PY tests/structtext.py "$q/tongbao.pdf" --scores "$q/scores.csv" \
	    --html "$q/index.html" --names "$tmp/names"
	echo 武汉市司法局 > "$tmp/wuhan"
	check "a unit statement's tagged text holds its unit" \
	    $PY tests/structtext.py "$q/units/wuhan.pdf" --names "$tmp/wuhan"
	check "the annual notice's tagged text: the headings in order" \
	    $PY tests/structtext.py "$y/tongbao.pdf" --html "$y/index.html"
fi
[ "$fails" -eq 0 ]
