#!/usr/bin/env python3
"""pdftags.py - checks the tagging of a PDF the program wrote (issue 15).

    python3 tests/pdftags.py FILE.pdf [--figure]

Reads every object with `qpdf --json` (streams decoded) and checks:
- the catalog: /MarkInfo <</Marked true>>, /Lang (zh-CN), a StructTreeRoot
  with a ParentTree and ParentTreeNextKey, ViewerPreferences DisplayDocTitle;
- each page: /StructParents its index; in its content every text object
  (BT ... ET) and every painted path inside a marked-content sequence (an
  MCID's or an Artifact's), sequences never nested and all closed, no
  marked content inside a text object; its MCIDs 0..n-1 each once;
- the ParentTree: for each page an array whose entry i is the element that
  holds MCID i of that page in its /K (with that page as its /Pg or the
  MCR's), and every MCID so held is on the page;
- every element: /S, and a /P whose /K lists it; TH with /A /Scope;
  each Figure with a non-empty /Alt (--figure: at least one Figure).
Prints what is wrong and exits 1; prints a one-line summary and exits 0.
"""
import base64
import json
import re
import subprocess
import sys


def load(path):
    out = subprocess.run(["qpdf", "--json", "--json-stream-data=inline",
                          "--decode-level=generalized", path],
                         check=True, capture_output=True).stdout
    j = json.loads(out)
    objs = {}
    trailer = None
    for k, v in j["qpdf"][1].items():
        if k == "trailer":
            trailer = v["value"]
        elif k.startswith("obj:"):
            objs[k[4:]] = v
    return objs, trailer


def value(objs, ref):
    """The value of an object (a stream's dictionary for a stream)."""
    o = objs[ref]
    return o["stream"]["dict"] if "stream" in o else o["value"]


def deref(objs, v):
    if isinstance(v, str) and re.fullmatch(r"\d+ \d+ R", v):
        return value(objs, v)
    return v


TOKEN = re.compile(rb"""
    (?P<ws>[\x00\t\n\x0c\r ]+|%[^\r\n]*)
  | (?P<str>\()
  | (?P<hex><[0-9A-Fa-f\s]*>)
  | (?P<dopen><<) | (?P<dclose>>>)
  | (?P<aopen>\[) | (?P<aclose>\])
  | (?P<name>/[^\x00\t\n\x0c\r ()<>\[\]{}/%]*)
  | (?P<num>[+-]?(?:\d+\.?\d*|\.\d+))
  | (?P<op>[^\x00\t\n\x0c\r ()<>\[\]{}/%]+)
""", re.X)


def operators(data):
    """(operator, operands) of a content stream; strings are skipped
    whole (escapes and nested parentheses)."""
    i, n, args, depth = 0, len(data), [], 0
    while i < n:
        m = TOKEN.match(data, i)
        if not m:
            raise ValueError("content: cannot read at byte %d" % i)
        kind = m.lastgroup
        if kind == "str":
            j, level = m.end(), 1
            while level:
                c = data[j:j + 1]
                if c == b"\\":
                    j += 2
                    continue
                if c == b"(":
                    level += 1
                elif c == b")":
                    level -= 1
                j += 1
            args.append(b"(string)")
            i = j
            continue
        i = m.end()
        if kind == "ws":
            continue
        tok = m.group(kind)
        if kind in ("dopen", "aopen"):
            depth += 1
            args.append(tok)
        elif kind in ("dclose", "aclose"):
            depth -= 1
            args.append(tok)
        elif kind == "op" and depth == 0 and tok not in (b"true", b"false", b"null"):
            yield tok.decode("latin-1"), args
            args = []
        else:
            args.append(tok)


def kids_of(objs, elem):
    k = elem.get("/K")
    if k is None:
        return []
    return k if isinstance(k, list) else [k]


def main():
    path = sys.argv[1]
    want_figure = "--figure" in sys.argv[2:]
    objs, trailer = load(path)
    errors = []
    cat = value(objs, trailer["/Root"])
    if cat.get("/MarkInfo") is None or deref(objs, cat["/MarkInfo"]).get("/Marked") is not True:
        errors.append("catalog: no /MarkInfo <</Marked true>>")
    if cat.get("/Lang") != "u:zh-CN":
        errors.append("catalog: /Lang is %r, not zh-CN" % cat.get("/Lang"))
    vp = deref(objs, cat.get("/ViewerPreferences", {}))
    if vp.get("/DisplayDocTitle") is not True:
        errors.append("catalog: no ViewerPreferences /DisplayDocTitle true")
    if "/StructTreeRoot" not in cat:
        print("FAIL %s: no StructTreeRoot" % path)
        return 1
    root_ref = cat["/StructTreeRoot"]
    root = value(objs, root_ref)
    nums = deref(objs, deref(objs, root["/ParentTree"])["/Nums"])
    parents = {nums[i]: deref(objs, nums[i + 1]) for i in range(0, len(nums), 2)}

    # the pages, in order
    pages = []

    def walk(ref):
        node = value(objs, ref)
        if node.get("/Type") == "/Pages":
            for k in node["/Kids"]:
                walk(k)
        else:
            pages.append(ref)
    walk(cat["/Pages"])
    if root.get("/ParentTreeNextKey") != len(pages):
        errors.append("ParentTreeNextKey %r, %d pages" % (root.get("/ParentTreeNextKey"), len(pages)))

    # the elements: walk the tree from the root, checking /P
    elems = {}
    held = {}                  # (page ref, mcid) -> element ref
    order = []

    def visit(ref, parent_ref):
        e = value(objs, ref)
        if ref in elems:
            errors.append("element %s reached twice" % ref)
            return
        elems[ref] = e
        order.append(e.get("/S"))
        if "/S" not in e:
            errors.append("element %s has no /S" % ref)
        if e.get("/P") != parent_ref:
            errors.append("element %s: /P %s, parent %s" % (ref, e.get("/P"), parent_ref))
        for k in kids_of(objs, e):
            if isinstance(k, int):
                pg = e.get("/Pg")
                if pg is None:
                    errors.append("element %s: an MCID without /Pg" % ref)
                held[(pg, k)] = ref
            elif isinstance(k, dict):          # a marked-content reference
                if k.get("/Type") != "/MCR":
                    errors.append("element %s: a direct kid that is no MCR" % ref)
                held[(k.get("/Pg", e.get("/Pg")), k["/MCID"])] = ref
            else:
                visit(k, ref)
    for k in kids_of(objs, root):
        visit(k, root_ref)

    figures = 0
    for ref, e in elems.items():
        if e.get("/S") == "/TH":
            a = deref(objs, e.get("/A", {}))
            if a.get("/Scope") not in ("/Column", "/Row", "/Both"):
                errors.append("TH %s without /Scope" % ref)
        if e.get("/S") == "/Figure":
            figures += 1
            alt = e.get("/Alt", "")
            if not (isinstance(alt, str) and len(alt) > 2):
                errors.append("Figure %s without /Alt" % ref)
    if want_figure and figures == 0:
        errors.append("no Figure")

    # the pages' content
    nmcid = 0
    for index, pref in enumerate(pages):
        page = value(objs, pref)
        if page.get("/StructParents") != index:
            errors.append("page %d: /StructParents %r" % (index + 1, page.get("/StructParents")))
            continue
        contents = page.get("/Contents", [])
        if not isinstance(contents, list):
            contents = [contents]
        data = b"".join(base64.b64decode(objs[c]["stream"]["data"]) for c in contents)
        depth, intext, mcids = 0, False, []
        for op, args in operators(data):
            if op in ("BDC", "BMC"):
                if depth:
                    errors.append("page %d: marked content nested" % (index + 1))
                if intext:
                    errors.append("page %d: marked content inside BT ... ET" % (index + 1))
                depth += 1
                tag = args[0].decode("latin-1")
                if op == "BDC" and tag != "/Artifact":
                    m = re.search(rb"/MCID\s+(\d+)", b" ".join(args))
                    if not m:
                        errors.append("page %d: %s without an MCID" % (index + 1, tag))
                    else:
                        mcids.append(int(m.group(1)))
                elif op == "BMC" and tag != "/Artifact":
                    errors.append("page %d: %s BMC outside the tree" % (index + 1, tag))
            elif op == "EMC":
                if intext:
                    errors.append("page %d: EMC inside BT ... ET" % (index + 1))
                depth -= 1
                if depth < 0:
                    errors.append("page %d: EMC without BDC" % (index + 1))
                    depth = 0
            elif op == "BT":
                if depth == 0:
                    errors.append("page %d: a text object outside marked content" % (index + 1))
                intext = True
            elif op == "ET":
                intext = False
            elif op in ("f", "F", "f*", "S", "s", "B", "B*", "b", "b*", "sh", "Do"):
                if depth == 0:
                    errors.append("page %d: %s outside marked content" % (index + 1, op))
        if depth:
            errors.append("page %d: marked content left open" % (index + 1))
        if sorted(mcids) != list(range(len(mcids))):
            errors.append("page %d: MCIDs %s are not 0..n-1 once each" % (index + 1, mcids[:10]))
        arr = parents.get(index, [])
        if len(arr) != len(mcids):
            errors.append("page %d: %d MCIDs, ParentTree has %d" % (index + 1, len(mcids), len(arr)))
        for m in mcids:
            owner = held.get((pref, m))
            if owner is None:
                errors.append("page %d: MCID %d is in no element" % (index + 1, m))
            elif m < len(arr) and arr[m] != owner:
                errors.append("page %d: ParentTree entry %d is %s, not %s" % (index + 1, m, arr[m], owner))
        nmcid += len(mcids)
    if len(held) != nmcid:
        errors.append("%d MCIDs held by elements, %d in the pages" % (len(held), nmcid))
    for e in errors[:30]:
        print("FAIL %s: %s" % (path, e))
    if errors:
        return 1
    print("ok %s: %d pages, %d elements, %d marked-content sequences, %d figures"
          % (path, len(pages), len(elems), nmcid, figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
