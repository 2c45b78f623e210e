#!/bin/sh
# suite_html.sh - the portal page (issue 4), checked from outside:
#
#   pages   the sample quarter's and year's index.html made by $TB, and the
#           unit test's hostile page out/test-html/index.html (a <script>
#           title, a 120-row table, a chart) and empty.html (a notice with
#           nothing in it), both written by test_render_html;
#   tidy    HTML5 with no errors and no warnings, the fragment too (inside
#           a minimal page);
#   self-contained: no tag refers to anything (src, href, link, script,
#           img, http...), no url() or @import in the CSS; valid UTF-8;
#   numbers every unit's row in scores.csv (annual.csv for the year) is a
#           row of the page with the same numbers;
#   same bytes on a second run;
#   browser Debian's Chromium through playwright-core (tests/browser):
#           1280 and 360 px, screenshots out/html-{1280,360}.png (and
#           out/html-year-*.png, out/test-html-*.png, and the fragment
#           alone in a bare page, out/html-fragment-*.png), no horizontal page
#           scroll at 360 px, axe-core without violations, no requests.
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
	refs=$(tr '\n' ' ' < "$1" | sed 's/>/>\n/g' | grep -o '<[^>]*>' |
	    grep -iE 'https?:|ftp:|file:|//|src=|href=|srcset=|^<(link|script|img|iframe|object|embed|base|audio|video|source)[ >]' |
	    grep -v '^<!DOCTYPE html>$' | head -5)
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
	pages="$pages test-html=$t/index.html"
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
		if "$TB" quarter 2017Q1 --data samples --out "$tmp/b" > "$tmp/run2.out" 2>&1; then
			check "sample quarter: same bytes on a second run" sh -c \
			    "cmp '$q/index.html' '$tmp/b/2017Q1/index.html' && cmp '$q/index.fragment.html' '$tmp/b/2017Q1/index.fragment.html'"
		else
			bad "sample quarter: second run"; sed 's/^/    /' "$tmp/run2.out" | head
		fi
		wrap_fragment "$q/index.fragment.html" "$tmp/fragment-page.html"
		pages="$pages html=$q/index.html html-fragment=$tmp/fragment-page.html"
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
		pages="$pages html-year=$y/index.html"
	else
		bad "sample year: $TB year 2017 writes index.html"
		sed 's/^/    /' "$tmp/run.out" | head -20
	fi
else
	bad "sample pages: $TB is not built"
fi

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
		node tests/browser/check.mjs out $pages > "$tmp/browser.out" 2>&1
		rc=$?
		cat "$tmp/browser.out"
		if [ $rc -ne 0 ]; then
			grep -q '^FAIL: ' "$tmp/browser.out" || bad "browser check exited $rc"
			fails=$((fails + $(grep -c '^FAIL: ' "$tmp/browser.out")))
		fi
	fi
fi

[ "$fails" -eq 0 ]
