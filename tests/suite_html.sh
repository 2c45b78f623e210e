#!/bin/sh
# suite_html.sh - the portal page (issue 4), checked from outside:
#
#   pages   the sample quarter's and year's index.html made by $TB, and the
#           unit test's hostile page out/test-html/index.html (a <script>
#           title, a 120-row table, a chart) and empty.html (a notice with
#           nothing in it), both written by test_render_html;
#   tidy    HTML5 with no errors and no warnings, the fragment too (inside
#           a minimal page);
#   self-contained: no tag loads anything (src, script, img, http...), no
#           url() or @import in the CSS; the only <link> is the fragment's
#           stylesheet; valid UTF-8;
#   scoped  style.css: every selector under .tongbao, no bare element
#           selector, font sizes in em (tests/html/portal.py css);
#   portal  the sample quarter's and year's pages (tests/html/portal.py
#           page): ids prefixed tb-2017q1 / tb-2017, none twice; every unit
#           of scores.csv (annual.csv) has its row's anchor and every group
#           its table's; every link resolves, within the page or to a
#           published file (absolute under --base-url); the downloads with
#           their sizes; the statements linked when published (and not
#           when not); every table has a caption; the CSP and the portal
#           tags of notice.xml; the fragment = its stylesheet link + the
#           page's article; two quarters' fragments in one page are tidy
#           (no id twice); a --base-url that is no http(s) URL exits 64;
#   numbers every unit's row in scores.csv (annual.csv for the year) is a
#           row of the page with the same numbers;
#   same bytes on a second run;
#   browser Debian's Chromium through playwright-core (tests/browser):
#           1280 and 360 px, also at 200 % text, screenshots
#           out/html-{1280,360}[-200].png (and out/html-year-*,
#           out/test-html-*, the fragment alone in a bare page,
#           out/html-fragment-*, and in tests/html/hostile-host.html,
#           out/html-host-*), no horizontal page scroll, rank, name and
#           总分 (全年) of every unit in view by their bounding boxes,
#           axe-core without violations, no requests, the page's CSP
#           enforced, and the hosted fragment with the computed styles of
#           the page on its own; the page printed by Chromium
#           (out/html-print.pdf): every unit's row with its twelve figures,
#           each page of a score table under its header and group name.
#           Skipped under VARIANT=san (run once, for rel) and, with a SKIP
#           line, when /usr/bin/chromium is absent.
#
# Env: TB (tongbao binary), B (build dir), VARIANT (rel|san).  Prints one
# PASS:/FAIL: line per case; exits 1 on any failure.
B=${B:-out/build}
VARIANT=${VARIANT:-rel}
TB=${TB:-gen/tongbao}
fails=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tb-html.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

ok()  { echo "PASS: $1"; }
bad() { echo "FAIL: $1"; fails=$((fails + 1)); }
check() { # $1 = name; the rest is a command that must succeed
	name=$1; shift
	if "$@" > "$tmp/check.out" 2>&1; then ok "$name"; else
		bad "$name"; sed 's/^/    /' "$tmp/check.out" | head -20; fi
}

# ---- the pages -----------------------------------------------------------
pages=""        # name=path pairs for the browser
tidy_page() { # $1 = page: HTML5, no errors, no warnings
	tidy -q -e "$1"
}
wrap_fragment() { # $1 = fragment, $2 = page: the fragment in a bare CMS-like page
	{ printf '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>门户</title></head><body><main>\n'
	  cat "$1"
	  printf '</main></body></html>\n'; } > "$2"
}
tidy_fragment() { # $1 = fragment, wrapped in a minimal page
	wrap_fragment "$1" "$tmp/frag.html"
	tidy -q -e "$tmp/frag.html"
}
self_contained() { # $1 = page or fragment: nothing outside itself
	iconv -f UTF-8 -t UTF-8 "$1" > /dev/null || { echo "not valid UTF-8"; return 1; }
	# links (<a href>) are navigation, checked by portal.py; the
	# fragment's first line is its stylesheet
	refs=$(tr '\n' ' ' < "$1" | sed 's/>/>\n/g' | grep -o '<[^>]*>' |
	    grep -v '^<link rel="stylesheet" href="tongbao.css">$' |
	    grep -v '^<a href="[^":]*"' |
	    grep -iE 'https?:|ftp:|file:|//|src=|href=|srcset=|^<(link|script|img|iframe|object|embed|base|audio|video|source)[ >]' |
	    grep -v '^<!DOCTYPE html>$' | head -5)
	[ "$(grep -c '<link' "$1")" -le 1 ] || { echo "more than one <link>"; return 1; }
	css=$(sed -n '/<style>/,/<\/style>/p' "$1" | grep -iE 'url\(|@import|@font-face' | head -5)
	[ -z "$refs$css" ] || { echo "external references: $refs $css"; return 1; }
}
page_head() { # $1 = page: doctype, language, one charset
	head -c 16 "$1" | grep -qx '<!DOCTYPE html>' || { echo "no <!DOCTYPE html> first"; return 1; }
	grep -q '<html lang="zh-CN">' "$1" || { echo "no lang=zh-CN"; return 1; }
	[ "$(grep -c 'charset=' "$1")" -eq 1 ] || { echo "not exactly one charset"; return 1; }
}
# Every row of CSV ($2) is a table row of the page ($1): a row holding the
# unit's name whose numbers include the CSV's numeric fields ($3, comma list).
numbers_match() {
	python3 - "$1" "$2" "$3" <<'EOF'
import csv, sys
from html.parser import HTMLParser

class Rows(HTMLParser):
    def __init__(self):
        super().__init__(); self.rows = []; self.cell = None; self.row = None
    def handle_starttag(self, tag, attrs):
        if tag == 'tr': self.row = []
        elif tag in ('td', 'th') and self.row is not None: self.cell = ''
    def handle_endtag(self, tag):
        if tag in ('td', 'th') and self.cell is not None:
            self.row.append(self.cell.strip()); self.cell = None
        elif tag == 'tr' and self.row is not None:
            self.rows.append(self.row); self.row = None
    def handle_data(self, d):
        if self.cell is not None: self.cell += d

def num(s):
    try: return float(s)
    except ValueError: return None

page, table, fields = sys.argv[1], sys.argv[2], sys.argv[3].split(',')
p = Rows(); p.feed(open(page, encoding='utf-8').read())
bad = 0; n = 0
for r in csv.DictReader(open(table, encoding='utf-8-sig', newline='')):
    n += 1
    want = [num(r[f]) for f in fields]
    found = False
    for row in p.rows:
        if r['unit_name'] not in row: continue
        have = [num(c) for c in row if num(c) is not None]
        if all(have.count(v) >= want.count(v) for v in want):
            found = True; break
    if not found:
        bad += 1
        if bad <= 5:
            print(f"{r['unit_name']}: no row with {dict(zip(fields, [r[f] for f in fields]))}")
if n == 0: print('no rows in', table); bad = 1
sys.exit(1 if bad else 0)
EOF
}

# the stylesheet, scoped under .tongbao
python3 tests/html/portal.py css templates/style.css || fails=$((fails + 1))

# the unit test's page (hostile title, 120 rows, chart)
test_bin=$B/$VARIANT/test_render_html
if [ -x "$test_bin" ]; then
	CMOCKA_MESSAGE_OUTPUT=stdout "$test_bin" > "$tmp/unit.out" 2>&1
fi
if [ -f out/test-html/index.html ]; then
	t=out/test-html
	check "test page: tidy HTML5, no errors or warnings" tidy_page $t/index.html
	check "test page: fragment tidy" tidy_fragment $t/index.fragment.html
	check "test page: doctype, lang, charset" page_head $t/index.html
	check "test page: self-contained" self_contained $t/index.html
	check "test page: fragment self-contained" self_contained $t/index.fragment.html
	if [ -f $t/empty.html ]; then
		check "empty notice: tidy HTML5, no errors or warnings" tidy_page $t/empty.html
	else
		bad "empty notice page $t/empty.html exists"
	fi
	check "test page: <script> title is text" sh -c \
	    "! grep -q '<script' $t/index.html && grep -q '&lt;script&gt;alert(1)&lt;/script&gt; &amp;' $t/index.html"
	pages="$pages test-html=$t/index.html:120"
else
	bad "test page out/test-html/index.html exists (run $test_bin)"
fi

# the sample quarter and year, made by the program
if [ -x "$TB" ] && [ -d samples/2017Q1 ]; then
	q=$tmp/a/2017Q1
	if "$TB" quarter 2017Q1 --data samples --out "$tmp/a" > "$tmp/run.out" 2>&1 &&
	    [ -f "$q/index.html" ] && [ -f "$q/index.fragment.html" ]; then
		ok "sample quarter: index.html and index.fragment.html written"
		check "sample quarter: tidy HTML5, no errors or warnings" tidy_page "$q/index.html"
		check "sample quarter: fragment tidy" tidy_fragment "$q/index.fragment.html"
		check "sample quarter: doctype, lang, charset" page_head "$q/index.html"
		check "sample quarter: self-contained" self_contained "$q/index.html"
		check "sample quarter: fragment self-contained" self_contained "$q/index.fragment.html"
		check "sample quarter: every unit's numbers equal scores.csv" numbers_match \
		    "$q/index.html" "$q/scores.csv" quota,submitted,counted,effective,base,quality,total,rank
		python3 tests/html/portal.py page "$q" tb-2017q1 quarter --statements ||
		    fails=$((fails + 1))
		if "$TB" quarter 2017Q1 --data samples --out "$tmp/b" > "$tmp/run2.out" 2>&1; then
			check "sample quarter: same bytes on a second run" sh -c \
			    "cmp '$q/index.html' '$tmp/b/2017Q1/index.html' && cmp '$q/index.fragment.html' '$tmp/b/2017Q1/index.fragment.html'"
		else
			bad "sample quarter: second run"; sed 's/^/    /' "$tmp/run2.out" | head
		fi
		wrap_fragment "$q/index.fragment.html" "$tmp/a/2017Q1/fragment-page.html"
		# the fragment in a portal page that styles every element
		awk -v f="$q/index.fragment.html" '/<!-- FRAGMENT -->/ {
		    while ((getline l < f) > 0) print l; next } { print }' \
		    tests/html/hostile-host.html > "$q/hosted.html"
		pages="$pages html=$q/index.html:120 html-fragment=$q/fragment-page.html:120"
		pages="$pages html-host=$q/hosted.html:120"
	else
		bad "sample quarter: $TB quarter 2017Q1 writes index.html"
		sed 's/^/    /' "$tmp/run.out" | head -20
	fi
	y=$tmp/a/2017
	if "$TB" year 2017 --data samples --out "$tmp/a" > "$tmp/run.out" 2>&1 &&
	    [ -f "$y/index.html" ]; then
		ok "sample year: index.html written"
		check "sample year: tidy HTML5, no errors or warnings" tidy_page "$y/index.html"
		check "sample year: self-contained" self_contained "$y/index.html"
		check "sample year: every unit's numbers equal annual.csv" numbers_match \
		    "$y/index.html" "$y/annual.csv" q1,q2,q3,q4,total,rank
		python3 tests/html/portal.py page "$y" tb-2017 year || fails=$((fails + 1))
		pages="$pages html-year=$y/index.html:120"
	else
		bad "sample year: $TB year 2017 writes index.html"
		sed 's/^/    /' "$tmp/run.out" | head -20
	fi
else
	bad "sample pages: $TB is not built"
fi

# another quarter without the statements; both fragments in one page
if "$TB" quarter 2017Q2 --data samples --out "$tmp/c" --formats csv,pdf,html \
    > "$tmp/run.out" 2>&1; then
	python3 tests/html/portal.py page "$tmp/c/2017Q2" tb-2017q2 quarter ||
	    fails=$((fails + 1))
	if [ -f "$tmp/a/2017Q1/index.fragment.html" ]; then
		cat "$tmp/a/2017Q1/index.fragment.html" > "$tmp/two.frag"
		sed 1d "$tmp/c/2017Q2/index.fragment.html" >> "$tmp/two.frag"
		check "two quarters' fragments in one page: tidy, no id twice" \
		    tidy_fragment "$tmp/two.frag"
	fi
else
	bad "2017Q2 --formats csv,pdf,html runs"; sed 's/^/    /' "$tmp/run.out" | head
fi
# --base-url: every link absolute, for portals that serve the files elsewhere
if "$TB" quarter 2017Q1 --data samples --out "$tmp/u" --formats csv,pdf,html \
    --base-url https://sft.hubei.gov.cn/xxgk/tongbao > "$tmp/run.out" 2>&1; then
	python3 tests/html/portal.py page "$tmp/u/2017Q1" tb-2017q1 quarter \
	    --base https://sft.hubei.gov.cn/xxgk/tongbao/ || fails=$((fails + 1))
else
	bad "--base-url runs"; sed 's/^/    /' "$tmp/run.out" | head
fi
for u in 'javascript:alert(1)' 'https://' 'https://a b/' 'https://x/"><script>' 'ftp://x/'; do
	"$TB" quarter 2017Q1 --data samples --out "$tmp/v" --base-url "$u" > "$tmp/run.out" 2>&1
	rc=$?
	if [ $rc -eq 64 ] && [ ! -e "$tmp/v" ] && grep -q "base-url" "$tmp/run.out"; then
		ok "--base-url '$u' refused (64), nothing written"
	else
		bad "--base-url '$u' refused (64), nothing written (exit $rc)"
	fi
done

# ---- the browser -----------------------------------------------------------
if [ "$VARIANT" = san ]; then
	echo "SKIP: browser check (run for the release variant only)"
elif [ ! -x /usr/bin/chromium ]; then
	bad "browser check: /usr/bin/chromium is installed (make deps installs it)"
elif ! command -v node > /dev/null 2>&1; then
	bad "browser check: node is installed"
else
	if [ ! -d tests/browser/node_modules/playwright-core ] ||
	    [ ! -d tests/browser/node_modules/axe-core ]; then
		(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error) \
		    > "$tmp/npm.out" 2>&1 || { bad "browser check: npm ci in tests/browser"; sed 's/^/    /' "$tmp/npm.out" | tail -5; }
	fi
	if [ -n "$pages" ] && [ -d tests/browser/node_modules/playwright-core ]; then
		# shellcheck disable=SC2086
		node tests/browser/check.mjs out --same html-host:html --same html-fragment:html \
		    --print html $pages > "$tmp/browser.out" 2>&1
		rc=$?
		cat "$tmp/browser.out"
		if [ -f out/html-print.pdf ]; then
			python3 tests/html/portal.py print out/html-print.pdf "$tmp/a/2017Q1" ||
			    fails=$((fails + 1))
		else
			bad "printed: out/html-print.pdf written"
		fi
		if [ $rc -ne 0 ]; then
			grep -q '^FAIL: ' "$tmp/browser.out" || bad "browser check exited $rc"
			fails=$((fails + $(grep -c '^FAIL: ' "$tmp/browser.out")))
		fi
	fi
fi

[ "$fails" -eq 0 ]
