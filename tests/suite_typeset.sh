#!/bin/sh
# tests/suite_typeset.sh - the Chinese typesetting rules of issue 14, read
# back from the PDFs:
#   names    no unit name of the registry (names and aliases of
#            samples/units.xml) is broken across the lines of a table cell
#            in the sample quarter's tongbao.pdf, the annual notice or the
#            unit test's notice (pdftotext -tsv: a cell's line ending in
#            the start of a name and the cell's next line holding the rest)
#   digits   no spacing inside a number: every two digits next to each
#            other on a line are the same distance apart as all others of
#            that size (justification never spreads "1208")
#   pairs    标点挤压: a full-width closing mark before a closing or opening
#            mark, or an opening mark after one, is half an em from it
#            ("）、" "。”" "，“"); a line may end in a mark squeezed into it,
#            its glyph then inside the block
#   hang     附件说明 (GB/T 9704 7.3.4): "附件：" two characters in, the
#            numbers of the items under each other, a name's second line
#            under its own first character (the unit test's notice has one)
#   tables   one size for every table: 12 pt (小四), cells padded 2 mm
# Glyph positions come from tests/pdfglyphs.py (the content streams read
# with the fonts' widths and ToUnicode maps); words and lines from poppler.
# Under VARIANT=san nothing more is learned (the PDFs are the same bytes):
# the checks run once, on the release build's files.
# Prints "PASS: name" / "FAIL: name"; exits non-zero on any failure.

B=${B:-out/build}
TB=${TB:-gen/tongbao}
VARIANT=${VARIANT:-rel}
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
if [ "$VARIANT" = san ]; then
	echo "SKIP: typeset under VARIANT=san (the same bytes as the release build's)"
	exit 0
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

if [ ! -f out/test-pdf/notice.pdf ] && [ -x "$B/rel/test_render_pdf" ]; then
	"$B/rel/test_render_pdf" > /dev/null 2>&1
fi
if ! "$TB" quarter 2017Q1 --data samples --out "$tmp/out" -q --formats pdf \
    > "$tmp/log" 2>&1 || ! "$TB" year 2017 --data samples --out "$tmp/out" \
    -q --formats pdf >> "$tmp/log" 2>&1; then
	echo "FAIL: typeset the sample quarter and year render"
	head -5 "$tmp/log"
	exit 1
fi
for f in "$tmp/out/2017Q1/tongbao.pdf" "$tmp/out/2017/tongbao.pdf" out/test-pdf/notice.pdf; do
	pdftotext -tsv "$f" "$f.tsv" 2>/dev/null
done

PYTHONPATH=tests $PY - samples/units.xml "$tmp/out/2017Q1/tongbao.pdf" \
    "$tmp/out/2017/tongbao.pdf" out/test-pdf/notice.pdf <<'EOF'
import re, sys
from collections import defaultdict
import pdfglyphs

units_xml, quarter, annual, notice = sys.argv[1:5]
MM = 72 / 25.4
LEFT, RIGHT = 28 * MM, (28 + 156) * MM
CELL = 156 * MM / 28
ok = True

def result(name, cond, detail=""):
    global ok
    print(("PASS" if cond else "FAIL") + ": typeset " + name + ("" if cond else "  (%s)" % detail))
    ok = ok and bool(cond)

xml = open(units_xml, encoding="utf-8").read()
names = set(re.findall(r'<unit [^>]*name="([^"]+)"', xml)) | set(re.findall(r"<alias>([^<]+)</alias>", xml))
names = {n for n in names if len(n) >= 2}

# ---- names: poppler's lines of the table cells ------------------------------
def tsv_lines(path):
    """(page, left, top, width, height, text) of every line pdftotext -tsv
    gives, its words joined."""
    lines = defaultdict(list)
    for row in open(path + ".tsv", encoding="utf-8").read().splitlines()[1:]:
        f = row.split("\t")
        if len(f) < 12 or f[0] != "5":
            continue
        lines[(int(f[1]), int(f[2]), int(f[3]), int(f[4]))].append(
            (float(f[6]), float(f[7]), float(f[8]), float(f[9]), f[11]))
    out = []
    for (page, _, _, _), ws in lines.items():
        x0 = min(w[0] for w in ws); y0 = min(w[1] for w in ws)
        x1 = max(w[0] + w[2] for w in ws); y1 = max(w[1] + w[3] for w in ws)
        out.append((page, x0, y0, x1 - x0, y1 - y0, "".join(w[4] for w in ws)))
    return out

def broken_names(path):
    """Unit names split between a table cell's line and the cell's next
    line.  A page's text runs across it or, on a landscape page, up it;
    table text is thinner than the body's 16 pt lines."""
    lines = tsv_lines(path)
    bypage = defaultdict(list)
    for l in lines:
        bypage[l[0]].append(l)
    body = sorted(l[4] for l in lines if l[0] == 1 and len(l[5]) > 10)
    thick = body[len(body) // 2] if body else 16.7
    found = []
    for page, ls in bypage.items():
        cjk = [l for l in ls if sum(ord(c) > 0x2E80 for c in l[5]) >= 2]
        tall = sum(1 for l in cjk if l[4] > l[3])
        wide = sum(1 for l in cjk if l[3] > l[4])
        up = tall > wide        # a landscape page (GB/T 9704 §8)
        cell = [l for l in ls if (l[3] if up else l[4]) < 0.95 * thick]
        for a in cell:
            for b in cell:
                if up:          # the next line is to the right, starting level
                    same = abs((a[2] + a[4]) - (b[2] + b[4])) < 0.6 and 8 < b[1] - a[1] < 24
                else:           # the next line is below, starting level
                    same = abs(a[1] - b[1]) < 0.6 and 8 < b[2] - a[2] < 24
                if not same:
                    continue
                for n in names:
                    for k in range(1, len(n)):
                        if a[5].endswith(n[:k]) and b[5].startswith(n[k:]):
                            found.append("p%d %s/%s" % (page, n[:k], n[k:]))
    return found

for label, path in (("2017Q1 tongbao.pdf", quarter), ("annual notice", annual),
                    ("test notice", notice)):
    bad = broken_names(path)
    result("%s: no unit name broken in a table cell" % label, not bad,
           "%d broken: %s" % (len(bad), bad[:4]))

# ---- glyphs ----------------------------------------------------------------------
pages = {p: pdfglyphs.glyphs(p) for p in (quarter, annual, notice)}
DIGITS = set("0123456789")
CLOSING = set("，。、；：）」』”’》〉】〕")
OPENING = set("（「『“‘《〈【〔")

def along(g):
    return g.x if g.rot == 0 else g.y

# digits: between every two adjacent digits of one size the same space
# beyond the first one's glyph (the grid's tracking, nothing added)
for label, path in (("2017Q1 tongbao.pdf", quarter), ("annual notice", annual),
                    ("test notice", notice)):
    gaps = defaultdict(list)
    for page in pages[path]:
        for line in pdfglyphs.lines(page):
            for a, b in zip(line, line[1:]):
                if a.ch in DIGITS and b.ch in DIGITS and 0 < along(b) - along(a) < a.size:
                    gaps[a.size].append((along(b) - along(a) - a.w, a.ch + b.ch))
    spread = {s: max(g for g, _ in v) - min(g for g, _ in v) for s, v in gaps.items()}
    body = len(gaps.get(16, []))
    result("%s: digits evenly spaced (%d pairs at 16 pt, %d in tables)" %
           (label, body, len(gaps.get(12, []))),
           body > 20 and all(sp < 0.01 for sp in spread.values()),
           "spread %s" % {s: round(v, 3) for s, v in spread.items()})

# pairs: 标点挤压
for label, path in (("2017Q1 tongbao.pdf", quarter), ("test notice", notice)):
    pairs, bad, ends, out = 0, [], 0, []
    for page in pages[path]:
        for line in pdfglyphs.lines(page):
            for a, b in zip(line, line[1:]):
                full = a.w > 0.9 * a.size and b.w > 0.9 * b.size
                if full and ((a.ch in CLOSING and (b.ch in CLOSING or b.ch in OPENING)) or
                             (a.ch in OPENING and b.ch in OPENING)):
                    pairs += 1
                    d = along(b) - along(a)
                    if not 0.4 * a.size < d < 0.75 * a.size:
                        bad.append("%s%s %.2f" % (a.ch, b.ch, d))
            last = line[-1]
            if last.rot == 0 and last.size == 16 and last.ch in CLOSING:
                # a mark squeezed in at the line's end: its advance past
                # the edge, its glyph (the left half) inside
                if last.x + last.size > RIGHT + 0.5:
                    ends += 1
                    # (the glyph's half, which the grid's tracking of
                    # -0.21 pt keeps from the box's edge)
                    if last.x + last.size / 2 > RIGHT + 0.3:
                        out.append("".join(g.ch for g in line[-6:]))
    result("%s: full-width mark pairs are 1.5 em (%d pairs)" % (label, pairs),
           pairs > 0 and not bad, "%s" % bad[:5])
    result("%s: marks squeezed in at line ends stay inside the block (%d lines)" % (label, ends),
           not out, "%s" % out[:3])

# hang: 附件说明 of the unit test's notice
lines = [l for page in pages[notice] for l in pdfglyphs.lines(page) if l[0].rot == 0 and l[0].size == 16]
text = ["".join(g.ch for g in l) for l in lines]
at = [i for i, t in enumerate(text) if t.startswith("附件：")]
if not at:
    result("附件说明 found in the test notice", False, "no line starts with 附件：")
else:
    i = at[0]
    first = lines[i]
    result("附件说明 two characters in", abs(first[0].x - (LEFT + 2 * CELL)) < 0.05,
           "x %.2f" % first[0].x)
    # the items and their second lines, until the signature
    item_x, name_x, conts, bad = None, None, 0, []
    for l, t in zip(lines[i:], text[i:i + 12]):
        body = t[3:] if t.startswith("附件：") else t
        g0 = l[3] if t.startswith("附件：") else l[0]
        m = re.match(r"\d+[.．、]", body)
        if m:
            # an item: its number under the first item's, its name after it
            if item_x is None:
                item_x = g0.x
            elif abs(g0.x - item_x) > 0.05:
                bad.append("number of %s at %.2f, not %.2f" % (body[:6], g0.x, item_x))
            k = (3 if t.startswith("附件：") else 0) + len(m.group(0))
            name_x = l[k].x
        elif name_x is not None and l[0].x < LEFT + 8 * CELL:
            # a second line of the name above: under its first character
            conts += 1
            if abs(l[0].x - name_x) > 0.05:
                bad.append("%s at %.2f, not under %.2f" % (t[:6], l[0].x, name_x))
        else:
            break
    result("附件说明 hangs: numbers aligned, a name's second line under its first "
           "character (%d such lines)" % conts, conts > 0 and not bad, "; ".join(bad[:3]))

# tables: one size, 12 pt, and the padding: a cell's text at least 2 mm
# from the rules on either side of it
rules = []
tpages = pdfglyphs.glyphs(quarter, rules)
near, checked = [], 0
for page, rs in zip(tpages, rules):
    for g in page:
        if g.size != 12 or g.ch in " \u3000":
            continue
        checked += 1
        # the cell's side rules: lines across the baseline's direction
        # that span the glyph
        # (a closing mark squeezed in at a line's end: its left half)
        a0 = along(g)
        a1 = a0 + (g.size / 2 if g.ch in CLOSING else g.adv)
        for x0, y0, x1, y1 in rs:
            if g.rot == 0 and abs(x0 - x1) < 0.01 and min(y0, y1) <= g.y <= max(y0, y1):
                r = x0
            elif g.rot == 90 and abs(y0 - y1) < 0.01 and min(x0, x1) <= g.x + 1 and g.x - 1 <= max(x0, x1):
                r = y0
            else:
                continue
            d = a0 - r if r <= a0 + 0.01 else r - a1
            if -0.01 < d < 2 * MM - 0.01 or (a0 < r < a1 and r - a0 > 0.01 and a1 - r > 0.01):
                near.append("p? %s %.2f" % (g.ch, d))
result("table cells padded 2 mm (%d glyphs)" % checked, checked > 1000 and not near,
       "%s" % near[:5])
sizes = defaultdict(int)
for page in pages[quarter] + pages[annual]:
    for g in page:
        sizes[g.size] += 1
table_sizes = sorted(s for s in sizes if s < 14)
result("one table size, 12 pt (小四), sizes %s" % sorted(sizes), table_sizes == [12],
       "table sizes %s" % table_sizes)
sys.exit(0 if ok else 1)
EOF
