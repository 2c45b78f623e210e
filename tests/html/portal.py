#!/usr/bin/env python3
"""portal.py - static checks of the portal page (tests/suite_html.sh).

  portal.py css STYLE.css
      every selector is under .tongbao (no bare element selector, nothing
      that reaches the host page: no :root, html, body, *, no @page or
      @import); font sizes in em (medium at the root), pt only for print,
      px only for the chart's SVG text (the drawing's own units).

  portal.py print PAGE.pdf DIR
      the quarter's page (DIR/index.html, DIR/scores.csv) as Chromium
      printed it: every unit's row of the score tables is there with all
      its figures (the twelve columns fit the A4 page), and every page
      holding such rows begins them with the header row, all twelve
      column names, and under a group's name: a table continued on a new
      page is named again.

  portal.py page DIR PREFIX KIND [--base URL] [--statements]
      DIR/index.html and DIR/index.fragment.html of a quarter (KIND
      quarter: DIR/scores.csv) or a year (KIND year: DIR/annual.csv):
        - every id starts with PREFIX and none appears twice;
        - every unit of the CSV has its row's anchor PREFIX-u-ID, and each
          group with units its table's PREFIX-g-GROUP (samples/units.xml);
        - every link resolves: #id to an id of the same page, anything
          else to a file published in DIR (with --base URL: every link but
          #id is URL + the path of such a file);
        - the downloads: the notice's PDF and its tables (CSV, workbook)
          with their sizes as the files have them;
        - with --statements, each unit's name links to units/ID.pdf;
        - every <table> has a <caption>;
        - the Content-Security-Policy allows no script and no load, and
          the portal tags are those of DIR/notice.xml;
        - the fragment: its one <link> is to tongbao.css (published, equal
          to templates/style.css), then the page's <article>, the same
          bytes.
Prints PASS:/FAIL: lines; exits 1 on a failure.
"""
import csv
import html.parser
import os
import re
import sys
import xml.etree.ElementTree as ET

failed = 0


def report(ok, name, detail=""):
    global failed
    print(("PASS: " if ok else "FAIL: ") + name)
    if not ok:
        failed += 1
        if detail:
            print("    " + str(detail)[:600])


# ---- the stylesheet ---------------------------------------------------------

def rules(css):
    """(selector list, declarations, enclosing at-rule) of every rule."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    out, stack, i, start = [], [], 0, 0
    while i < len(css):
        c = css[i]
        if c == "{":
            prelude = css[start:i].strip()
            if prelude.startswith("@") and not prelude.startswith("@page"):
                stack.append(prelude)
            else:
                j = css.index("}", i)
                out.append((prelude, css[i + 1:j], stack[-1] if stack else ""))
                i = j
            start = i + 1
        elif c == "}":
            if stack:
                stack.pop()
            start = i + 1
        i += 1
    return out


def split_selectors(prelude):
    parts, depth, cur = [], 0, ""
    for c in prelude:
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        if c == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += c
    parts.append(cur.strip())
    return parts


def check_css(path):
    css = open(path, encoding="utf-8").read()
    bare, sizes, n = [], [], 0
    for prelude, decls, at in rules(css):
        if prelude.startswith("@"):
            bare.append(prelude)
            continue
        for sel in split_selectors(prelude):
            n += 1
            if not re.match(r"\.tongbao(?![\w-])", sel):
                bare.append(sel)
        for m in re.finditer(r"font-size\s*:\s*([^;]+)", decls):
            v = m.group(1).strip()
            ok = (re.fullmatch(r"[\d.]+em|medium", v) or
                  ("print" in at and re.fullmatch(r"[\d.]+pt", v)) or
                  ("tb-chart-svg" in prelude and re.fullmatch(r"\d+px", v)))
            if not ok:
                sizes.append("%s { font-size: %s }" % (prelude, v))
    report(n > 50 and not bare, "style.css: all %d selectors under .tongbao, "
           "no bare element selector, no @page or @import" % n, bare[:5])
    report(not re.search(r"url\(|@import|@font-face", css),
           "style.css: no url(), @import or web font")
    report(not sizes, "style.css: font sizes in em of the reader's size "
           "(pt in print, px only in the chart's drawing)", sizes[:5])


# ---- the page ----------------------------------------------------------------

class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.links, self.metas, self.tables = [], [], [], []
        self.title, self.in_title, self.open_table = "", False, None
        self.rowhead_links = {}       # row id -> href of its name's link
        self.row, self.in_rowhead, self.stylesheets = None, False, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
            if self.in_rowhead and self.row:
                self.rowhead_links[self.row] = a["href"]
        if tag == "link":
            self.stylesheets.append(a.get("href"))
            self.links.append(a.get("href"))
        if tag == "meta":
            self.metas.append(a)
        if tag == "title" and not self.title:      # the page's, not the chart's
            self.in_title = True
        if tag == "table":
            self.open_table = []
            self.tables.append(self.open_table)
        elif self.open_table is not None and tag in ("caption", "thead", "tbody", "tr"):
            self.open_table.append(tag)
        if tag == "tr":
            self.row = a.get("id")
        if tag == "th" and a.get("scope") == "row":
            self.in_rowhead = True

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if tag == "table":
            self.open_table = None
        if tag == "th":
            self.in_rowhead = False

    def handle_data(self, d):
        if self.in_title:
            self.title += d


def size_text(n):                 # html.xsl's size template
    if n < 1024:
        return "%d 字节" % n
    if n < 1048064:
        return "%d KB" % int(n / 1024 + 0.5)
    return "%.1f MB" % (n / 1048576)


def check_page(d, prefix, kind, base, statements):
    page = open(os.path.join(d, "index.html"), encoding="utf-8").read()
    frag = open(os.path.join(d, "index.fragment.html"), encoding="utf-8").read()
    p = Page()
    p.feed(page)
    name = os.path.basename(d.rstrip("/"))

    bad = [i for i in p.ids if not re.match(re.escape(prefix) + r"(-|$)", i)]
    dup = sorted({i for i in p.ids if p.ids.count(i) > 1})
    report(len(p.ids) > 100 and not bad and not dup,
           "%s: all %d ids start with %s, none twice" % (name, len(p.ids), prefix),
           (bad + dup)[:5])

    table = "scores.csv" if kind == "quarter" else "annual.csv"
    units = list(csv.DictReader(open(os.path.join(d, table), encoding="utf-8")))
    ids = set(p.ids)
    missing = [u["unit_id"] for u in units if "%s-u-%s" % (prefix, u["unit_id"]) not in ids]
    report(len(units) > 100 and not missing, "%s: each of the %d units of %s "
           "has its row's anchor %s-u-ID" % (name, len(units), table, prefix), missing[:5])
    reg = ET.parse("samples/units.xml").getroot()
    groups = [g.get("id") for g in reg.iter("group")
              if g.get("name") in {u["group"] for u in units}]
    missing = [g for g in groups if "%s-g-%s" % (prefix, g) not in ids]
    report(groups and not missing, "%s: each of the %d groups has its table's "
           "anchor" % (name, len(groups)), missing)

    unresolved, files = [], []
    for href in p.links:
        if href.startswith("#"):
            if href[1:] not in ids:
                unresolved.append(href)
            continue
        path = href
        if base is not None:
            if not href.startswith(base + name + "/"):
                unresolved.append(href)
                continue
            path = href[len(base + name + "/"):]
        if re.match(r"^[a-z]+:|^/|\.\.", path) or not os.path.isfile(os.path.join(d, path)):
            unresolved.append(href)
        else:
            files.append(path)
    report(len(p.links) > 10 and not unresolved, "%s: all %d links resolve, "
           "to the page's ids or to files published beside it%s" % (
               name, len(p.links), " under " + base if base else ""), unresolved[:5])

    offers = ["tongbao.pdf", "scores.xlsx", "scores.csv"] if kind == "quarter" else \
        ["tongbao.pdf", "annual.xlsx", "annual.csv", "workers.xlsx", "workers.csv"]
    listed = []
    for f in offers:
        size = size_text(os.path.getsize(os.path.join(d, f)))
        href = (base + name + "/" if base else "") + f
        m = re.search(r'<a href="%s" type="[^"]+">[^<]+<span class="tb-file-info">（[^，]+，%s）</span></a>'
                      % (re.escape(href), re.escape(size)), page)
        if not m:
            listed.append("%s (%s)" % (f, size))
    report(not listed, "%s: the downloads: %s, each with its size" % (name, ", ".join(offers)),
           listed)

    if statements:
        wrong = [u["unit_id"] for u in units
                 if p.rowhead_links.get("%s-u-%s" % (prefix, u["unit_id"])) !=
                 (base + name + "/" if base else "") + "units/%s.pdf" % u["unit_id"]]
        report(not wrong, "%s: each unit's name links to its statement "
               "units/ID.pdf" % name, wrong[:5])
    elif kind == "quarter":
        report(not p.rowhead_links, "%s: no statement published, none linked" % name)

    nocap = [i for i, t in enumerate(p.tables) if not t or t[0] != "caption"]
    report(len(p.tables) > 5 and not nocap, "%s: each of the %d tables has its "
           "<caption>" % (name, len(p.tables)), nocap[:5])

    metas = {m.get("name") or m.get("http-equiv"): m.get("content") for m in p.metas}
    report(metas.get("Content-Security-Policy") ==
           "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
           "%s: Content-Security-Policy: no script, nothing loaded" % name,
           metas.get("Content-Security-Policy"))
    x = ET.parse(os.path.join(d, "notice.xml")).getroot()
    want = {
        "ArticleTitle": x.findtext("title"),
        "PubDate": x.findtext("meta/date") + " 00:00",
        "ContentSource": x.findtext("issuer"),
        "ColumnName": x.findtext("meta/column"),
        "Keywords": x.findtext("meta/keywords"),
        "Description": x.findtext("subject"),
    }
    wrong = {k: (metas.get(k), v) for k, v in want.items() if metas.get(k) != v or not v}
    report(not wrong and p.title.strip() == want["ArticleTitle"],
           "%s: portal tags ArticleTitle, PubDate, ContentSource, ColumnName, "
           "Keywords, Description from notice.xml" % name, wrong or p.title)

    css_href = (base + name + "/" if base else "") + "tongbao.css"
    first, _, rest = frag.partition("\n")
    art = re.search(r"<article .*</article>", page, re.S).group(0)
    same_css = open(os.path.join(d, "tongbao.css"), "rb").read() == \
        open("templates/style.css", "rb").read()
    report(first == '<link rel="stylesheet" href="%s">' % css_href and
           rest.strip() == art.strip() and same_css and frag.count("<link") == 1,
           "%s: the fragment is its stylesheet link (tongbao.css = style.css) "
           "and the page's <article>" % name, first)


def check_print(pdf, d):
    import subprocess
    units = list(csv.DictReader(open(os.path.join(d, "scores.csv"), encoding="utf-8")))
    names = {u["unit_name"] for u in units}
    groups = {u["group"] for u in units}
    x = ET.parse(os.path.join(d, "notice.xml")).getroot()
    cols = [c.text for c in next(t for t in x.iter("table") if t.get("id")).iter("col")]
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True,
                          text=True, check=True).stdout
    seen, bad, pages = set(), [], 0
    for n, pg in enumerate(text.split("\f"), 1):
        lines = [l.split() for l in pg.splitlines()] + [[]]
        rows = []
        for i, w in enumerate(lines[:-1]):
            if len(w) != len(cols) or not w[0].isdigit():
                continue
            # a long name wraps: its rest is the next line
            name = w[1] if w[1] in names else w[1] + "".join(lines[i + 1])
            if name in names:
                rows.append(i)
                seen.add(name)
        if not rows:
            continue
        pages += 1
        head = [i for i, w in enumerate(lines) if w == cols]
        group = [i for i, w in enumerate(lines) if " ".join(w) in groups]
        if not head or head[0] > rows[0]:
            bad.append("page %d: no header row above its first unit" % n)
        elif not group or group[0] > head[0]:
            bad.append("page %d: no group's name above its header" % n)
    report(pages > 1 and not bad and seen == names,
           "printed: the %d units' rows with all %d columns on %d pages, each "
           "page's rows under the header and a group's name" % (len(seen), len(cols), pages),
           bad[:3] or sorted(names - seen)[:5])


def main():
    if sys.argv[1] == "css":
        check_css(sys.argv[2])
    elif sys.argv[1] == "print":
        check_print(sys.argv[2], sys.argv[3])
    else:
        args = sys.argv[2:]
        base = None
        if "--base" in args:
            k = args.index("--base")
            base = args[k + 1]
            del args[k:k + 2]
        statements = "--statements" in args
        args = [a for a in args if a != "--statements"]
        check_page(args[0], args[1], args[2], base, statements)
    sys.exit(1 if failed else 0)


main()
