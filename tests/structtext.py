#!/usr/bin/env python3
"""structtext.py - the text of a tagged PDF read through its tags
(`pdfinfo -struct-text`, poppler), checked against what the document says
(issue 15).

    python3 tests/structtext.py FILE.pdf [--scores scores.csv]
                                [--html index.html] [--names FILE]

- no space is inserted between two Chinese characters;
- --scores: every unit of scores.csv has a table row (TR) whose cells
  (TD) hold its name and its total;
- --html: the title and the headings of the portal page (the same
  document model) are the PDF's H1 and H2-H4, in the same order;
- --names: every name in FILE (one a line) is in the tagged text.
Prints what is wrong and exits 1, else one summary line.
"""
import csv
import html
import re
import subprocess
import sys

CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"


def tree(path):
    """The elements in reading order as [type, depth, strings, parent,
    index]: the strings of the element's own marked content."""
    out = subprocess.run(["pdfinfo", "-struct-text", path], check=True,
                         capture_output=True, text=True).stdout
    nodes, stack = [], []
    for line in out.splitlines():
        m = re.match(r'^(\s*)"(.*)"$', line)
        if m:
            depth = len(m.group(1))
            # a string belongs to the element above it with less indent
            while stack and stack[-1][1] >= depth:
                stack.pop()
            if stack:
                stack[-1][2].append(m.group(2))
            continue
        m = re.match(r"^(\s*)([A-Za-z][A-Za-z0-9]*)\b", line)
        if not m or line.strip().startswith("/"):
            continue
        depth = len(m.group(1))
        while stack and stack[-1][1] >= depth:
            stack.pop()
        node = [m.group(2), depth, [], stack[-1] if stack else None, len(nodes)]
        nodes.append(node)
        stack.append(node)
    return nodes


def text_of(node, nodes):
    """An element's text with its descendants', in order."""
    i = node[4]
    parts = list(node[2])
    for n in nodes[i + 1:]:
        if n[1] <= node[1]:
            break
        parts.extend(n[2])
    return "".join(parts)


def main():
    args = sys.argv[1:]
    path = args[0]
    opts = dict(zip(args[1::2], args[2::2]))
    nodes = tree(path)
    errors = []
    full = "".join(s for n in nodes for s in n[2])
    for m in re.finditer("[%s] +[%s]" % (CJK, CJK), full):
        errors.append("a space inside Chinese text: %r" % full[max(0, m.start() - 8):m.end() + 8])
        break
    rows = []
    for i, n in enumerate(nodes):
        if n[0] == "TR":
            cells = []
            for c in nodes[i + 1:]:
                if c[1] <= n[1]:
                    break
                if c[0] in ("TD", "TH") and c[3] is n:
                    cells.append(text_of(c, nodes))
            rows.append(cells)
    checked = []
    if "--scores" in opts:
        with open(opts["--scores"], encoding="utf-8") as f:
            units = list(csv.DictReader(f))
        for u in units:
            if not any(u["unit_name"] in r and u["total"] in r for r in rows):
                errors.append("no table row holds %s with its total %s" % (u["unit_name"], u["total"]))
        checked.append("%d units with their totals" % len(units))
    if "--html" in opts:
        with open(opts["--html"], encoding="utf-8") as f:
            page = f.read()
        want = [html.unescape(re.sub("<[^>]*>", "", m.group(2))).strip()
                for m in re.finditer(r'<(h1 class="tb-title"|h[2-4] class="tb-h[^"]*")[^>]*>(.*?)</h[1-4]>', page, re.S)]
        got = [text_of(n, nodes) for n in nodes
               if n[0] in ("H1", "H2", "H3", "H4")]
        # in order; the attachments' titles are H1s too, between them
        k = 0
        for w in want:
            while k < len(got) and got[k] != w:
                k += 1
            if k == len(got):
                errors.append("heading %r not found in order" % w)
                break
            k += 1
        if not want:
            errors.append("no heading in %s" % opts["--html"])
        checked.append("%d headings in order" % len(want))
    if "--names" in opts:
        with open(opts["--names"], encoding="utf-8") as f:
            names = [l.strip() for l in f if l.strip()]
        for nm in names:
            if nm not in full:
                errors.append("unit name %s not in the tagged text" % nm)
        checked.append("%d names" % len(names))
    for e in errors[:20]:
        print("FAIL %s: %s" % (path, e))
    if errors:
        return 1
    print("ok %s: %d elements; %s" % (path, len(nodes), ", ".join(checked) or "text"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
