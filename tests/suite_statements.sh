#!/bin/sh
# suite_statements.sh - the score statements of the unit heads (Art 14),
# read back from the PDFs with pdftotext: for every unit of the samples in
# 2017Q1 and 2017Q2 (which has adoptions of Q1 items), the figures printed
# in its statement add up to its row of scores.csv:
#   - the score row (定额 报送 计入 折算 基准分 质量分 总分 名次) is the row;
#   - one item row per item submitted; the 折算 column sums to `effective`,
#     the rows marked 计入 count `counted`, the 合计 row says `effective`;
#   - each adoption row credits max(分值 - 此前已计, 0); the credits sum to
#     `quality`, as does its 合计 row;  base + quality = total;
# plus: a unit that sent nothing says 本季度未报送信息, a cross-quarter
# adoption shows what was credited before, a <script> title prints as
# text, fonts are embedded.
#
# The PDFs are what `$TB quarter --formats csv,units` publishes:
# OUT/YYYYQn/units/ID.pdf, and OUT/YYYYQn/units.pdf, which must hold every
# statement in registry order, each from an odd page, and no page of which
# may end with a table's header row alone.
set -u
TB=${TB:-gen/tongbao}
B=${B:-out/build}
VARIANT=${VARIANT:-rel}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

pass() { echo "PASS: $1"; }
failed() { echo "FAIL: $1"; fail=1; }

cat > "$tmp/check.py" <<'EOF'
# check.py SCORES_CSV PDF_DIR QUARTER : prints PASS:/FAIL: lines
import concurrent.futures, csv, os, re, subprocess, sys

scores, pdfdir, quarter = sys.argv[1:4]
ID = re.compile(r'^\d{4}Q[1-4]-\d+$')
NUM = re.compile(r'^-?\d+(\.\d+)?$')

def tenths(s):
    return int(round(float(s) * 10))

def words_of(pdf):
    out = subprocess.run(['pdftotext', '-tsv', pdf, '-'], capture_output=True,
                         text=True, check=True).stdout
    ws = []
    for line in out.splitlines()[1:]:
        f = line.split('\t')
        if len(f) < 12 or f[0] != '5':
            continue
        ws.append((int(f[1]), float(f[7]), float(f[6]), f[11], float(f[8]),
                   float(f[9])))
    ws.sort()
    return ws

def lines_of(ws):
    """Words on the same page and baseline, left to right, with the page
    and the line's top."""
    lines, cur, key = [], [], None
    for page, top, left, text, width, height in ws:
        if key is not None and (page != key[0] or abs(top - key[1]) > 1.0):
            lines.append((key, sorted(cur)))
            cur = []
        if not cur:
            key = (page, top)
        cur.append((left, text, width, height))
    if cur:
        lines.append((key, sorted(cur)))
    return [(k, [w[1] for w in l], l) for k, l in lines]

def header_cells(keyed, i, anchor):
    """The texts of the cells of the header row whose word `anchor` is on
    line i: the words in the header's face and size (the anchor's height)
    on the lines within a row's height of it, a cell's lines (it may wrap)
    joined top to bottom, cells told apart by where their words stand."""
    key = keyed[i][0]
    h0 = [w[3] for w in keyed[i][2] if w[1] == anchor][0]
    # the header ends where the first row begins: a line with a figure or
    # an item's number (the faces of header and cells may have one height)
    # (or a title's first line: a word that is no piece of a column name)
    names = ("定额报送计入折算基准分质量分总分名次编号标题类别权重计入情况"
             "载体日期分值此前已计本季度计分督办编号事项应报内容期限报送情况状态")
    end = i + 1
    while end < min(len(keyed), i + 5) and all(
            w in names for w in keyed[end][1]):
        end += 1
    words = [(k[1], left, width, text) for k, _, ws in keyed[max(0, i - 4):end]
             if k[0] == key[0] and abs(k[1] - key[1]) < 40
             for left, text, width, height in ws if abs(height - h0) < 0.3]
    cells = []          # [x0, x1, [(top, text)]]
    for top, left, width, text in sorted(words, key=lambda w: w[1]):
        for c in cells:
            if left <= c[1] + 1 and left + width >= c[0] - 1:
                c[0], c[1] = min(c[0], left), max(c[1], left + width)
                c[2].append((top, text))
                break
        else:
            cells.append([left, left + width, [(top, text)]])
    return [''.join(t for _, t in sorted(c[2])) for c in cells]

def parse(pdf):
    st = {'score': None, 'items': [], 'items_sum': None, 'adopt': [],
          'adopt_sum': None, 'text': ''}
    keyed = lines_of(words_of(pdf))
    lines = [l for _, l, _ in keyed]
    st['text'] = ''.join(''.join(l) for l in lines)
    state = None
    for i, (key, l, _) in enumerate(keyed):
        # a header row: its cells may wrap (layout.c)
        head = []
        for anchor in ('编号', '定额'):
            if anchor in l:
                head = header_cells(keyed, i, anchor)
        if '定额' in l and '名次' in head:
            state = 'score'
            continue
        if '编号' in l and '计入情况' in head:
            state = 'items'
            continue
        if '编号' in l and '本季度计分' in head:
            state = 'adopt'
            continue
        nums = [w for w in l if NUM.match(w)]
        if state == 'score':
            if len(nums) == 8 and len(l) == 8:
                st['score'] = nums
                state = None
        elif state in ('items', 'adopt') and l and (ID.match(l[0]) or l[0] == '合计'):
            rest = [w for w in l[1:] if NUM.match(w)]
            if l[0] == '合计':
                st[state + '_sum'] = rest
                state = None
            elif state == 'items':
                st['items'].append((l[0], rest[-2:], '计入' in l))
            else:
                st['adopt'].append((l[0], rest[-3:]))
    return st

rows = {}
with open(scores, newline='', encoding='utf-8') as f:
    for r in csv.DictReader(f):
        rows[r['unit_id']] = r

def parse_or_error(uid):
    pdf = os.path.join(pdfdir, uid + '.pdf')
    if not os.path.exists(pdf):
        return None
    try:
        return parse(pdf)
    except Exception as e:       # an unreadable PDF fails every check
        return e

# pdftotext dominates: two at a time
with concurrent.futures.ThreadPoolExecutor(max_workers=2) as ex:
    parsed = dict(zip(rows, ex.map(parse_or_error, rows)))

bad = {k: [] for k in ('present', 'row', 'items', 'adopt', 'total', 'silent')}
before_seen = 0
for uid, r in rows.items():
    st = parsed[uid]
    if st is None:
        bad['present'].append(uid)
        continue
    if isinstance(st, Exception):
        for k in bad:
            bad[k].append('%s (%s)' % (uid, st))
        continue
    want = [r['quota'], r['submitted'], r['counted'], r['effective'],
            r['base'], r['quality'], r['total'], r['rank']]
    if st['score'] is None or [tenths(x) for x in st['score']] != [tenths(x) for x in want]:
        bad['row'].append('%s: %s, scores.csv %s' % (uid, st['score'], want))
    # items
    sub, cnt, eff = int(r['submitted']), int(r['counted']), int(r['effective'])
    w = sum(int(x[1][1]) for x in st['items'] if len(x[1]) == 2)
    c = sum(1 for x in st['items'] if x[2])
    ok = (len(st['items']) == sub and all(len(x[1]) == 2 for x in st['items'])
          and w == eff and c == cnt)
    if sub > 0:
        ok = ok and st['items_sum'] == [str(eff)]
    else:
        ok = ok and '本季度未报送信息' in st['text']
        if not ok:
            bad['silent'].append(uid)
    if not ok:
        bad['items'].append('%s: %d rows, weights %d, counted %d; scores.csv '
                            '%d, %d, %d' % (uid, len(st['items']), w, c, sub, eff, cnt))
    # adoptions
    q = 0
    ok = True
    for iid, v in st['adopt']:
        if len(v) != 3:
            ok = False
            continue
        pts, before, cr = (tenths(x) for x in v)
        ok = ok and cr == max(pts - before, 0)
        q += cr
        if before > 0:
            before_seen += 1
    ok = ok and q == tenths(r['quality'])
    if st['adopt']:
        ok = ok and st['adopt_sum'] is not None and \
            [tenths(x) for x in st['adopt_sum']] == [tenths(r['quality'])]
    else:
        ok = ok and tenths(r['quality']) == 0
    if not ok:
        bad['adopt'].append('%s: credits %s sum %s, scores.csv quality %s' %
                            (uid, st['adopt'], q / 10, r['quality']))
    if st['score'] is None or tenths(st['score'][4]) + tenths(st['score'][5]) != tenths(st['score'][6]) \
            or tenths(r['base']) + tenths(r['quality']) != tenths(r['total']):
        bad['total'].append(uid)
    if uid == 'wuhan' and quarter == '2017Q1':
        t = st['text']
        print(('PASS' if '<script>alert(1)' in t else 'FAIL') +
              ': statements %s: a <script> title prints as text' % quarter)

names = {
    'present': 'a statement for every unit (%d)' % len(rows),
    'row': 'the score row is the unit\'s row of scores.csv',
    'items': 'item rows: count = submitted, 折算 sums to effective, 计入 rows = counted',
    'adopt': 'adoption rows: credited = max(分值 - 此前已计, 0), sum = quality',
    'total': 'base + quality = total',
    'silent': 'units that sent nothing say 本季度未报送信息',
}
for k, n in names.items():
    if bad[k]:
        print('FAIL: statements %s: %s: %d units, e.g. %s' % (quarter, n, len(bad[k]), '; '.join(bad[k][:3])))
    else:
        print('PASS: statements %s: %s' % (quarter, n))
if quarter == '2017Q2':
    print(('PASS' if before_seen > 0 else 'FAIL') +
          ': statements %s: adoptions of items adopted before show 此前已计 (%d rows)' % (quarter, before_seen))
EOF

cat > "$tmp/check_all.py" <<'EOF'
# check_all.py UNITS_XML PDF_DIR ALL_PDF QUARTER : units.pdf holds every
# statement, in registry order, each from an odd page after a blank one
import re, subprocess, sys

units_xml, pdfdir, allpdf, quarter = sys.argv[1:5]
with open(units_xml, encoding='utf-8') as f:
    units = re.findall(r'<unit id="([^"]+)" name="([^"]+)"', f.read())

def pages(pdf):
    out = subprocess.run(['pdfinfo', pdf], capture_output=True, text=True,
                         check=True).stdout
    return int(re.search(r'^Pages:\s+(\d+)', out, re.M).group(1))

text = subprocess.run(['pdftotext', allpdf, '-'], capture_output=True,
                      text=True, check=True).stdout.split('\f')
start, bad = 1, []
for k, (uid, name) in enumerate(units):
    p = pages('%s/%s.pdf' % (pdfdir, uid))
    first = re.sub(r'\s', '', text[start - 1]) if start - 1 < len(text) else ''
    if '（%s）' % name not in first:
        bad.append('%s not from page %d' % (uid, start))
    if p % 2 == 1 and k + 1 < len(units):
        if start + p - 1 >= len(text) or text[start + p - 1].strip():
            bad.append('page %d after %s is not blank' % (start + p, uid))
    start += p + p % 2
total = pages(allpdf)
if total not in (start - 1, start - 2):
    bad.append('%d pages, the statements need %d' % (total, start - 1))
if bad:
    print('FAIL: statements %s: units.pdf: %s' % (quarter, '; '.join(bad[:5])))
    sys.exit(1)
print('PASS: statements %s: units.pdf holds the %d statements in registry '
      'order, each from an odd page (%d pages)' % (quarter, len(units), total))
EOF

for q in 2017Q1 2017Q2; do
	if ! "$TB" quarter "$q" --data samples --out "$tmp/out" --formats csv,units -q \
	    > "$tmp/run.log" 2>&1; then
		failed "statements $q: tongbao quarter $q"; cat "$tmp/run.log"; continue
	fi
	dir="$tmp/out/$q/units"
	if [ ! -d "$dir" ]; then
		failed "statements $q: tongbao published no units/"; continue
	fi
	python3 "$tmp/check.py" "$tmp/out/$q/scores.csv" "$dir" "$q" > "$tmp/check.out" 2>&1
	cat "$tmp/check.out"
	grep -q '^FAIL' "$tmp/check.out" && fail=1
	grep -qE '^(PASS|FAIL)' "$tmp/check.out" || failed "statements $q: check.py"

	# fonts embedded, in a statement with tables
	if pdffonts "$dir/wuhan.pdf" 2>/dev/null | tail -n +3 > "$tmp/fonts" && [ -s "$tmp/fonts" ] &&
	    ! awk '{ if ($(NF-4) != "yes") bad = 1 } END { exit !bad }' "$tmp/fonts"; then
		pass "statements $q: fonts embedded"
	else
		failed "statements $q: fonts embedded"
	fi

	# all in one: every statement in registry order, each from an odd page
	all="$tmp/out/$q/units.pdf"
	if [ -f "$all" ]; then
		python3 "$tmp/check_all.py" samples/units.xml "$dir" "$all" "$q" || fail=1
	else
		failed "statements $q: no units.pdf"
	fi

	# no page ends with a table's header row alone (it goes with a first row)
	if [ -f "$all" ] && pdftotext -layout "$all" "$tmp/all.txt" 2>/dev/null; then
		python3 -c '
import re, sys
heads = set()
pages = open(sys.argv[1], encoding="utf-8").read().split("\f")
for page in pages:
    for line in page.splitlines():
        w = line.split()
        if w[:2] == ["编号", "标题"]:
            heads.add(" ".join(w))
orphans = 0
for page in pages:
    lines = [l.split() for l in page.splitlines() if l.strip()]
    lines = [l for l in lines if not re.fullmatch(r"[—-]\s*\d+\s*[—-]", " ".join(l))]
    if lines and " ".join(lines[-1]) in heads:
        orphans += 1
print(("PASS" if heads and orphans == 0 else "FAIL") +
      ": statements %s: no page ends with a lone table header (%d header rows seen, %d orphans)"
      % (sys.argv[2], len(heads), orphans))
' "$tmp/all.txt" "$q" | tee "$tmp/orph.out"
		grep -q '^FAIL' "$tmp/orph.out" && fail=1
	fi
done

# a statement template the office broke: exit 65, the template's FILE:LINE,
# and the output folder as it was (no statement, no notice, no CSV)
cp -r templates "$tmp/tpl"
sed -i 's|</phrases>|<text key="no-such-phrase">x</text></phrases>|' "$tmp/tpl/statement.xml"
rm -rf "$tmp/bad"
mkdir -p "$tmp/bad"
"$TB" quarter 2017Q1 --data samples --out "$tmp/bad" --templates "$tmp/tpl" \
    --formats csv,units -q 2> "$tmp/bad.err"
rc=$?
if [ $rc -eq 65 ] && grep -q "statement.xml:[0-9]*: error:" "$tmp/bad.err" &&
    [ -z "$(ls -A "$tmp/bad")" ]; then
	pass "broken statement template: exit 65, FILE:LINE, nothing written"
else
	failed "broken statement template: exit $rc, $(head -c 300 "$tmp/bad.err"), out: $(ls -A "$tmp/bad")"
fi
exit $fail
