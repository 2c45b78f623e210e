#!/bin/sh
# suite_trend.sh - what the notice says beyond the quarter's number (SPEC 5),
# end to end on the sample year (samples/generate.py, a generated year):
#   - every unit's year to date, change and change of rank, computed here
#     independently from the four quarters' scores.csv (SPEC 4 columns only),
#     equal the ytd, change and rank_change columns of scores.csv, the cells
#     of the HTML score tables and the rows of the PDF's (pdftotext);
#   - the 采用情况 attachment lists in the HTML every adoption of the quarter
#     (the ledger's rows, counted here from 2017Q1/adoptions.csv), as
#     adoptions.csv does; the PDF prints at most 10 a unit and says how many
#     more;
#   - the overview tables, the 零报送/零采用 lists and the contact line;
#   - an office's edits of templates/notice.xml, and a quarter's own
#     <problems>, appear in the output, with the figures filled in;
#   - the 表彰决定 (biaozhang.pdf, .html) names exactly the units and
#     authors annual.csv and workers.csv mark honour 1.
set -u
TB=${TB:-gen/tongbao}
PY=${PY:-/usr/bin/python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

pass() { echo "PASS: $1"; }
failed() { echo "FAIL: $1"; fail=1; }

out="$tmp/out"
for q in 1 2 3 4; do
	if ! "$TB" quarter 2017Q$q --data samples --out "$out" \
	    --templates templates > "$tmp/q$q.log" 2>&1; then
		failed "quarter 2017Q$q runs"; cat "$tmp/q$q.log"; exit 1
	fi
done
"$TB" year 2017 --data samples --out "$out" --templates templates \
    > "$tmp/y.log" 2>&1 || { failed "year 2017 runs"; cat "$tmp/y.log"; exit 1; }

cat > "$tmp/check.py" <<'EOF'
import csv, html.parser, re, subprocess, sys

out = sys.argv[1]
ok = True
def report(cond, what):
    global ok
    print(("PASS: " if cond else "FAIL: ") + what)
    ok = ok and cond

def tenths(s):
    return int(round(float(s) * 10))

def fmt(t):                       # tenths_format
    return str(t // 10) if t % 10 == 0 else "%s%d.%d" % (
        "-" if t < 0 else "", abs(t) // 10, abs(t) % 10)

def rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))

class Tables(html.parser.HTMLParser):
    """Every <table> of a page: its attachment number (0: the body) and
    its rows of cell texts (th and td alike), the column header first (the
    header's other row, the caption repeated for print, is left out)."""
    def __init__(self):
        super().__init__()
        self.tables, self.att, self.cell, self.row = [], 0, None, None
        self.text, self.lis, self.li = [], [], None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        m = re.match(r"tb(-\w+)?-att-(\d+)$", a.get("aria-labelledby") or "")
        if tag == "section" and m:
            self.att = int(m.group(2))
        if tag == "table":
            self.tables.append((self.att, []))
        if tag == "tr" and a.get("class") != "tb-cap-row":
            self.row = []
        if tag in ("td", "th") and self.row is not None:
            self.cell = ""
        if tag == "nav":
            self.in_nav = True
        if tag == "li" and not getattr(self, "in_nav", False):
            self.li = ""
    def handle_endtag(self, tag):
        if tag == "nav":              # the contents: not the notice's lists
            self.in_nav = False
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(self.cell.strip())
            self.cell = None
        if tag == "tr" and self.row is not None:
            self.tables[-1][1].append(self.row)
            self.row = None
        if tag == "li" and self.li is not None:
            self.lis.append(self.li)
            self.li = None
    def handle_data(self, d):
        if self.cell is not None:
            self.cell += d
        if self.li is not None:
            self.li += d
        self.text.append(d)

def page(path):
    p = Tables()
    with open(path, encoding="utf-8") as f:
        p.feed(f.read())
    return p

def change_cell(known, d, up, down, same):
    if not known:
        return "—"
    if d == 0:
        return same
    return (up if d > 0 else down) + fmt(abs(d) if up == "+" else abs(d) * 10)

NUMERIC = re.compile(r"^([+-]?\d+(\.\d)?|持平|—|[↑↓]\d+)$")

def pdf_lines(pdf):
    """The words of each line (page, baseline) that look like figures.  On
    a landscape page (GB/T 9704 §8: the text runs up the page, as most of
    its words of two ideographs or more are taller than wide) a line is a
    column of words, read from the bottom up."""
    tsv = subprocess.run(["pdftotext", "-tsv", pdf, "-"], capture_output=True,
                         text=True, check=True).stdout
    raw = []
    for line in tsv.splitlines()[1:]:
        f = line.split("\t")
        if len(f) >= 12 and f[0] == "5":
            raw.append((int(f[1]), float(f[6]), float(f[7]), float(f[8]),
                        float(f[9]), f[11]))
    up = {}
    for pg, x, y, w, h, t in raw:
        if sum(ord(c) > 0x2E80 for c in t) >= 2:
            up.setdefault(pg, [0, 0])[h > w] += 1
    ws = []
    for pg, x, y, w, h, t in raw:
        if pg in up and up[pg][1] > up[pg][0]:
            ws.append((pg, x, -(y + h), t))
        else:
            ws.append((pg, y + h, x, t))
    ws.sort()
    lines, cur, key = [], [], None
    for pg, base, left, t in ws:
        if key is not None and (pg != key[0] or abs(base - key[1]) > 1.0):
            lines.append(tuple(w for _, w in sorted(cur)))
            cur = []
        key = (pg, base)
        cur.append((left, t))
    if cur:
        lines.append(tuple(w for _, w in sorted(cur)))
    return [tuple(w for w in l if NUMERIC.match(w)) for l in lines]

# ---- year to date, change, change of rank -----------------------------------
quarters = {}
for q in range(1, 5):
    quarters[q] = rows("%s/2017Q%d/scores.csv" % (out, q))
for q in range(1, 5):
    prev = {r["unit_id"]: r for r in quarters[q - 1]} if q > 1 else {}
    ytd = {}
    for k in range(1, q + 1):
        for r in quarters[k]:
            ytd[r["unit_id"]] = ytd.get(r["unit_id"], 0) + tenths(r["total"])
    want = {}
    bad = []
    for r in quarters[q]:
        u = r["unit_id"]
        p = prev.get(u)
        d = tenths(r["total"]) - tenths(p["total"]) if p else None
        rc = int(p["rank"]) - int(r["rank"]) if p and p["group"] == r["group"] else None
        want[r["unit_name"]] = (ytd[u], d, rc, r)
        if (r["ytd"], r["change"], r["rank_change"]) != (
                fmt(ytd[u]), "" if d is None else fmt(d),
                "" if rc is None else str(rc)):
            bad.append(u)
    report(not bad and len(quarters[q]) > 100,
           "2017Q%d scores.csv: ytd, change, rank_change of %d units as the "
           "quarter files give them%s" % (q, len(quarters[q]),
                                          ": " + " ".join(bad[:5]) if bad else ""))
    report(q > 1 or all(r["change"] == "" and r["rank_change"] == ""
                        for r in quarters[q]),
           "2017Q%d: the first quarter compares with nothing" % q)

    # the HTML: attachment 1, one 12-column table per group
    pg = page("%s/2017Q%d/index.html" % (out, q))
    seen, bad = 0, []
    for att, t in pg.tables:
        if att != 1:
            continue
        for row in t[1:]:
            if len(row) != 12 or row[1] not in want:
                continue
            y, d, rc, r = want[row[1]]
            exp = [fmt(y), change_cell(d is not None, d or 0, "+", "-", "持平"),
                   change_cell(rc is not None, rc or 0, "↑", "↓", "持平")]
            seen += 1
            if row[9:12] != exp or row[8] != r["total"] or row[0] != r["rank"]:
                bad.append("%s %s != %s" % (row[1], row[8:12], exp))
    report(seen == len(want) and not bad,
           "2017Q%d HTML: 累计得分, 增减 and 名次升降 of all %d units (%d seen)%s"
           % (q, len(want), seen, ": " + "; ".join(bad[:3]) if bad else ""))

    # the PDF: each unit's figures on one line of its table row
    lines = pdf_lines("%s/2017Q%d/tongbao.pdf" % (out, q))
    have = {}
    for l in lines:
        for i in range(len(l)):
            have[l[i:i + 11]] = have.get(l[i:i + 11], 0) + 1
    missing = []
    for name, (y, d, rc, r) in want.items():
        seq = (r["rank"], r["quota"], r["submitted"], r["counted"],
               r["effective"], r["base"], r["quality"], r["total"], fmt(y),
               change_cell(d is not None, d or 0, "+", "-", "持平"),
               change_cell(rc is not None, rc or 0, "↑", "↓", "持平"))
        if have.get(seq, 0) == 0:
            missing.append(name)
        else:
            have[seq] -= 1
    report(not missing, "2017Q%d PDF: every unit's row with its year to date "
           "and changes%s" % (q, ": " + " ".join(missing[:5]) if missing else ""))

# ---- the unit statements: each its own year to date and change ---------------
bad = []
for r in quarters[2]:
    t = re.sub(r"\s+", "", subprocess.run(
        ["pdftotext", "%s/2017Q2/units/%s.pdf" % (out, r["unit_id"]), "-"],
        capture_output=True, text=True).stdout)
    d = r["change"]
    want = "累计得分%s分" % r["ytd"]
    if d == "":
        pass
    elif d == "0":
        want += "，总分与上季度持平"
    elif d.startswith("-"):
        want += "，总分比上季度减少%s分" % d[1:]
    else:
        want += "，总分比上季度增加%s分" % d
    if want not in t:
        bad.append(r["unit_id"])
report(not bad, "2017Q2 statements: each unit's year to date and change "
       "as scores.csv%s" % (": " + " ".join(bad[:5]) if bad else ""))

# ---- 采用情况 ------------------------------------------------------------------
with open("samples/2017Q1/adoptions.csv", encoding="utf-8-sig", newline="") as f:
    ledger = len(list(csv.reader(f))) - 1
long_lists = 0
for q in range(1, 5):
    ad = rows("%s/2017Q%d/adoptions.csv" % (out, q))
    pg = page("%s/2017Q%d/index.html" % (out, q))
    listed = [row for att, t in pg.tables if att == 4 for row in t[1:]
              if len(row) == 5]
    report(sorted((r[0], r[1], r[2]) for r in listed) ==
           sorted((a["unit_name"], a["title"].replace("\r", " ").replace("\n", " "),
                   a["carrier"]) for a in ad) and len(ad) > 100,
           "2017Q%d HTML 采用情况: all %d adoptions of adoptions.csv"
           % (q, len(ad)))
    if q == 1:
        report(len(ad) == ledger, "2017Q1 adoptions.csv: every row of the "
               "ledger (%d of %d)" % (len(ad), ledger))
    per = {}
    for a in ad:
        per[a["unit_name"]] = per.get(a["unit_name"], 0) + 1
    text = subprocess.run(["pdftotext", "%s/2017Q%d/tongbao.pdf" % (out, q),
                           "-"], capture_output=True, text=True).stdout
    flat = re.sub(r"\s+", "", text)
    more = [u for u, n in per.items() if n > 10]
    bad = [u for u in more if "%s另有%d条次" % (u, per[u] - 10) not in flat]
    long_lists += len(more)
    report(not bad, "2017Q%d PDF: %d units with more than 10 "
           "adoptions say how many more%s" % (q, len(more),
                                              ": " + " ".join(bad) if bad else ""))
    # points: highest carriers first within a unit
    pts = {}
    order_ok = True
    for a in ad:
        p = tenths(a["points"]) if a["points"] else -1
        if a["unit_id"] in pts and p > pts[a["unit_id"]]:
            order_ok = False
        pts[a["unit_id"]] = p
    report(order_ok, "2017Q%d adoptions.csv: highest carriers first in each unit" % q)

report(long_lists > 0, "the sample year has units with more than 10 adoptions")

# ---- overview, named units, contact --------------------------------------------
pg = page("%s/2017Q2/index.html" % out)
body = [t for att, t in pg.tables if att == 0]
q1 = rows("%s/2017Q1/scores.csv" % out)
q2 = rows("%s/2017Q2/scores.csv" % out)
recv = lambda rs: sum(int(r["submitted"]) for r in rs)
total = [r for r in body[0] if r and r[0] == "合计"] if body else []
d = recv(q2) - recv(q1)
report(bool(total) and total[0][1] == str(recv(q2)) and
       total[0][2] == change_cell(True, d * 10, "+", "-", "持平"),
       "2017Q2 overview: items received %d, %+d on Q1" % (recv(q2), d))
zero = [r["unit_name"] for r in q2 if r["submitted"] == "0"]
alltext = "".join(pg.text)
report(zero and all(u in alltext for u in zero) and "零报送" in alltext
       and "零采用" in alltext, "2017Q2: 零报送 and 零采用 units named")
report("联系人：张明" in alltext, "the contact line of rules.xml")

# ---- 表彰决定 -------------------------------------------------------------------
ann = rows("%s/2017/annual.csv" % out)
wk = rows("%s/2017/workers.csv" % out)
bz = page("%s/2017/biaozhang.html" % out)
names = [li.split("（")[0] for li in bz.lis]
want_units = [r["unit_name"] for r in ann if r["honour"] == "1"]
want_workers = [r["author"] for r in wk if r["honour"] == "1"]
report(sorted(names) == sorted(want_units + want_workers) and want_units and
       want_workers, "表彰决定 names the %d units and %d workers of honour 1, "
       "and no one else" % (len(want_units), len(want_workers)))
bzt = re.sub(r"\s+", "", subprocess.run(["pdftotext", "%s/2017/biaozhang.pdf" % out,
                                          "-"], capture_output=True, text=True).stdout)
report(all(n in bzt for n in want_units + want_workers) and "〔2018〕号" in bzt,
       "biaozhang.pdf names them, with a blank for the number")
sys.exit(0 if ok else 1)
EOF
"$PY" "$tmp/check.py" "$out" || fail=1

# ---- the office's edits --------------------------------------------------------
# edit FILE FROM TO: FROM's first occurrence in FILE becomes TO; FROM must
# be there (an edit that misses would test nothing)
cat > "$tmp/edit.py" <<'EOF'
import sys
p, a, b = sys.argv[1:4]
s = open(p, encoding="utf-8").read()
if a not in s:
    sys.exit("edit %s: %r not found" % (p, a))
open(p, "w", encoding="utf-8").write(s.replace(a, b, 1))
EOF
edit() { "$PY" "$tmp/edit.py" "$@" || { failed "edit $1"; exit 1; }; }
cp -r templates "$tmp/tpl"
cp -r samples "$tmp/data"
edit "$tmp/tpl/notice.xml" "<item>一些单位对政务信息工作重视不够" \
    "<item>办公室本季度特别指出：{unsigned}条未签发，{channel}条报错邮箱。</item><item>一些单位对政务信息工作重视不够"
edit "$tmp/tpl/notice.xml" "<item>一要提高认识，加强领导。" \
    "<item>一要按时报送，零报送单位{zero_submit}个。"
"$TB" quarter 2017Q1 --data "$tmp/data" --out "$tmp/o2" --templates "$tmp/tpl" \
    --formats html,csv > "$tmp/e.log" 2>&1 || { cat "$tmp/e.log"; }
un=$("$PY" -c "
import csv,sys
r=list(csv.DictReader(open('$out/2017Q1/scores.csv',encoding='utf-8')))
print(sum(1 for x in r if x['submitted']=='0'))")
if grep -q "办公室本季度特别指出：[0-9][0-9]*条未签发，[0-9][0-9]*条报错邮箱。" "$tmp/o2/2017Q1/index.html" &&
    grep -q "一要按时报送，零报送单位${un}个。" "$tmp/o2/2017Q1/index.html"; then
	pass "template edits appear, with the figures filled in"
else
	failed "template edits appear, with the figures filled in"
fi
edit "$tmp/data/2017Q1/notice.xml" "</notice-settings>" \
    "<problems><p>本季度自定问题：迟报{late}条。</p></problems></notice-settings>"
"$TB" quarter 2017Q1 --data "$tmp/data" --out "$tmp/o3" --templates templates \
    --formats html > "$tmp/e.log" 2>&1
if grep -q "本季度自定问题：迟报[0-9][0-9]*条。" "$tmp/o3/2017Q1/index.html" &&
    ! grep -q "一些单位对政务信息工作重视不够" "$tmp/o3/2017Q1/index.html"; then
	pass "a quarter's own <problems> replaces the template's"
else
	failed "a quarter's own <problems> replaces the template's"; cat "$tmp/e.log"
fi
edit "$tmp/data/2017Q1/notice.xml" "迟报{late}条" "迟报{lateness}条"
"$TB" quarter 2017Q1 --data "$tmp/data" --out "$tmp/o4" --templates templates \
    --formats html > "$tmp/e.log" 2>&1
rc=$?
if [ $rc -eq 65 ] && grep -q "notice.xml:[0-9]*: error: .*lateness" "$tmp/e.log" &&
    [ ! -e "$tmp/o4/2017Q1" ]; then
	pass "an unknown placeholder in <problems> is an error at its line"
else
	failed "an unknown placeholder in <problems> is an error at its line (rc $rc)"
	cat "$tmp/e.log"
fi

# ---- the annual 名次升降 on the previous year ----------------------------------
# 2016 is the sample year moved back a year (ids and dates: every "2017"
# becomes "2016", in GB18030 too, whose multi-byte forms never hold four
# ASCII digits), 2017 the small year of tests/office/clean
yr="$tmp/years"
mkdir -p "$yr"
cp samples/units.xml samples/rules.xml "$yr/"
for q in 1 2 3 4; do
	mkdir -p "$yr/2016Q$q"
	cp -r tests/office/clean/2017Q$q "$yr/"
	for f in samples/2017Q$q/*; do
		sed 's/2017/2016/g' "$f" > "$yr/2016Q$q/$(basename "$f")"
	done
done
"$TB" year 2016 --data "$yr" --out "$tmp/yo" --templates templates --formats csv > "$tmp/e.log" 2>&1 &&
"$TB" year 2017 --data "$yr" --out "$tmp/yo" --templates templates --formats csv,html > "$tmp/e.log" 2>&1 ||
    { failed "the two years run"; cat "$tmp/e.log"; }
cat > "$tmp/years.py" <<'EOF'
import csv, html.parser, sys
out = sys.argv[1]
def rows(p):
    return list(csv.DictReader(open(p, encoding="utf-8-sig")))
before = {r["unit_id"]: r for r in rows(out + "/2016/annual.csv")}
want = {}
for r in rows(out + "/2017/annual.csv"):
    b = before.get(r["unit_id"])
    d = int(b["rank"]) - int(r["rank"]) if b and b["group"] == r["group"] else None
    want[r["unit_name"]] = "—" if d is None else "持平" if d == 0 else (
        "↑%d" % d if d > 0 else "↓%d" % -d)
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.rows, self.row, self.cell = [], None, None
    def handle_starttag(self, t, a):
        if t == "tr": self.row = []
        if t in ("td", "th") and self.row is not None: self.cell = ""
    def handle_endtag(self, t):
        if t in ("td", "th") and self.cell is not None:
            self.row.append(self.cell.strip()); self.cell = None
        if t == "tr" and self.row is not None:
            self.rows.append(self.row); self.row = None
    def handle_data(self, d):
        if self.cell is not None: self.cell += d
p = P()
p.feed(open(out + "/2017/index.html", encoding="utf-8").read())
got = {r[0]: r[7] for r in p.rows if len(r) == 8 and r[0] in want}
moved = sum(1 for v in want.values() if v not in ("持平", "—"))
ok = got == want and moved > 10
print(("PASS" if ok else "FAIL") + ": annual 名次升降 of %d units on the "
      "previous year's annual.csv (%d moved)" % (len(want), moved))
if not ok:
    print([(k, got.get(k), v) for k, v in want.items() if got.get(k) != v][:5])
sys.exit(0 if ok else 1)
EOF
"$PY" "$tmp/years.py" "$tmp/yo" || fail=1
rm -rf "$yr/2016Q4"
"$TB" year 2017 --data "$yr" --out "$tmp/yo2" --templates templates --formats html > "$tmp/e.log" 2>&1
if grep -q "warning: 2016Q4 is missing: the annual notice shows no change of rank on 2016" "$tmp/e.log" &&
    [ -f "$tmp/yo2/2017/index.html" ]; then
	pass "part of the previous year: a warning, and no change of rank"
else
	failed "part of the previous year: a warning, and no change of rank"; cat "$tmp/e.log"
fi

# ---- an earlier quarter that cannot be read ------------------------------------
cp -r samples "$tmp/d2"
printf 'garbage\n' >> "$tmp/d2/2017Q1/adoptions.csv"
"$TB" quarter 2017Q2 --data "$tmp/d2" --out "$tmp/o5" --templates templates \
    > "$tmp/e.log" 2>&1
rc=$?
if [ $rc -eq 65 ] && grep -q "2017Q1/adoptions.csv:[0-9]*: error" "$tmp/e.log" &&
    [ ! -e "$tmp/o5/2017Q2" ]; then
	pass "an unreadable earlier quarter stops the run: no year to date guessed"
else
	failed "an unreadable earlier quarter stops the run (rc $rc)"; tail -5 "$tmp/e.log"
fi
exit $fail
