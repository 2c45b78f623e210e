"""pdfglyphs.py - where each glyph of a PDF is drawn, read from the file
itself (Python's standard library only), for the typesetting checks of
tests/suite_typeset.sh.

poppler's pdftotext gives words and lines, not characters; the checks of
标点挤压, of the spacing inside numbers and of the hanging 附件说明 need
each character's origin.  This reads what tongbao writes: the page tree,
Type0 fonts with Identity-H encoding (two-byte codes), their /W widths and
ToUnicode CMaps, and the content operators q Q cm BT ET Tf Tc Tw Tz TL Td
TD Tm T* Tj TJ ' " (and skips the rest).  It is a reader of PDF, not of
tongbao's own structures: another writer of the same PDF would read the
same.

glyphs(path) -> list of pages; each page a list of Glyph(ch, x, y, adv,
size, rot, w) in page space (points, origin bottom left): the glyph's
origin, its advance along the baseline (width * size + Tc, as the text
matrix moves), the font size, the baseline's direction (0 left to right,
90 bottom to top, as on a landscape page turned counter-clockwise) and
the glyph's own width (the font's, times the size).  Given a
list, glyphs(path, rules) also appends each page's stroked straight lines
(m ... l ... S) to it.
"""
import math
import re
import sys
import zlib
from collections import namedtuple

Glyph = namedtuple("Glyph", "ch x y adv size rot w")


class PDF:
    def __init__(self, path):
        self.data = open(path, "rb").read()
        self.objs = {}
        self._fonts = {}
        for m in re.finditer(rb"(?m)^(\d+) 0 obj\s*", self.data):
            end = self.data.find(b"endobj", m.end())
            self.objs[int(m.group(1))] = self.data[m.end():end]

    def stream(self, num):
        body = self.objs[num]
        m = re.search(rb"stream\r?\n", body)
        head = body[:m.start()]
        ln = re.search(rb"/Length (\d+)( 0 R)?", head)
        n = int(self.objs[int(ln.group(1))].strip()) if ln.group(2) else int(ln.group(1))
        raw = body[m.end():m.end() + n]
        # (an empty page's stream may hold no bytes at all)
        return zlib.decompressobj().decompress(raw) if b"FlateDecode" in head else raw

    @staticmethod
    def ref(body, key):
        m = re.search(rb"/" + key + rb"\s+(\d+) 0 R", body)
        return int(m.group(1)) if m else None

    def pages(self):
        root = self.ref(self.data[self.data.rfind(b"trailer"):], b"Root")
        out = []

        def walk(num):
            body = self.objs[num]
            kids = re.search(rb"/Kids\s*\[([^\]]*)\]", body)
            if kids and re.search(rb"/Type\s*/Pages", body):
                for k in re.findall(rb"(\d+) 0 R", kids.group(1)):
                    walk(int(k))
            else:
                out.append(num)
        walk(self.ref(self.objs[root], b"Pages"))
        return out

    def fonts_of(self, page):
        body = self.objs[page]
        res = self.ref(body, b"Resources")
        rbody = self.objs[res] if res else body
        fdict = re.search(rb"/Font\s*<<(.*?)>>", rbody, re.S)
        if not fdict:
            fr = self.ref(rbody, b"Font")
            fdict = re.search(rb"<<(.*)>>", self.objs[fr], re.S) if fr else None
        fonts = {}
        for name, num in re.findall(rb"/(\S+?)\s+(\d+) 0 R", fdict.group(1) if fdict else b""):
            fonts[name.decode()] = self.font(int(num))
        return fonts

    def font(self, num):
        if num in self._fonts:
            return self._fonts[num]
        body = self.objs[num]
        desc = re.search(rb"/DescendantFonts\s*\[\s*(\d+) 0 R", body)
        dbody = self.objs[int(desc.group(1))] if desc else body
        dw = re.search(rb"/DW\s+(\d+)", dbody)
        widths = {"default": int(dw.group(1)) if dw else 1000}
        m = re.search(rb"/W\s*\[(.*?)\]\s*(/|>>)", dbody, re.S)
        toks = re.findall(rb"\[|\]|-?\d+(?:\.\d+)?", m.group(1)) if m else []
        i = 0
        while i < len(toks):
            c = int(toks[i])
            if toks[i + 1] == b"[":
                i += 2
                while toks[i] != b"]":
                    widths[c] = float(toks[i])
                    c += 1
                    i += 1
                i += 1
            else:
                for k in range(c, int(toks[i + 1]) + 1):
                    widths[k] = float(toks[i + 2])
                i += 3
        uni = {}
        tu = self.ref(body, b"ToUnicode")
        if tu:
            cmap = self.stream(tu)
            for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
                for a, b in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                    uni[int(a, 16)] = bytes.fromhex(b.decode()).decode("utf-16-be")
            for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
                for a, b, rest in re.findall(
                        rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\[[^\]]*\]|<[0-9A-Fa-f]+>)", block):
                    lo, hi = int(a, 16), int(b, 16)
                    if rest.startswith(b"["):
                        for k, h in enumerate(re.findall(rb"<([0-9A-Fa-f]+)>", rest)):
                            uni[lo + k] = bytes.fromhex(h.decode()).decode("utf-16-be")
                    else:
                        v = int(rest[1:-1], 16)
                        for k in range(lo, hi + 1):
                            uni[k] = chr(v + k - lo)
        f = {"w": widths, "u": uni}
        self._fonts[num] = f
        return f


TOKEN = re.compile(rb"""
    (?P<ws>\s+|%[^\r\n]*) |
    (?P<str>\((?:\\.|[^\\()]|\((?:\\.|[^\\()])*\))*\)) |
    (?P<hex><[0-9A-Fa-f\s]*>) |
    (?P<dopen><<) | (?P<dclose>>>) |
    (?P<aopen>\[) | (?P<aclose>\]) |
    (?P<name>/[^\s/\[\]()<>{}%]*) |
    (?P<num>[-+]?(?:\d+\.?\d*|\.\d+)) |
    (?P<op>[A-Za-z'"*]+)
""", re.X | re.S)

ESC = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f",
       b"(": b"(", b")": b")", b"\\": b"\\"}


def unescape(s):
    out, i = bytearray(), 1
    while i < len(s) - 1:
        c = s[i:i + 1]
        if c == b"\\":
            n = s[i + 1:i + 2]
            if n in ESC:
                out += ESC[n]
                i += 2
            elif n.isdigit():
                m = re.match(rb"[0-7]{1,3}", s[i + 1:i + 4])
                out.append(int(m.group(0), 8) & 0xFF)
                i += 1 + len(m.group(0))
            else:
                i += 2
        else:
            out += c
            i += 1
    return bytes(out)


def mul(a, b):
    return [a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5]]


def run(content, fonts, rules=None):
    """The glyphs of one page's content; the straight lines it strokes
    (x0, y0, x1, y1, in page space) appended to rules when given."""
    out = []
    path, cur = [], None
    ctm, stack = [1, 0, 0, 1, 0, 0], []
    tm = tlm = [1, 0, 0, 1, 0, 0]
    font, size, tc, tw, tz, tl = None, 0, 0, 0, 1, 0
    args = []

    def show(b):
        nonlocal tm
        for k in range(0, len(b) - 1, 2):
            code = b[k] << 8 | b[k + 1]
            w = font["w"].get(code, font["w"]["default"]) / 1000.0
            adv = (w * size + tc) * tz
            m = mul(mul([size * tz, 0, 0, size, 0, 0], tm), ctm)
            trm = mul(tm, ctm)
            rot = round(math.degrees(math.atan2(trm[1], trm[0]))) % 360
            out.append(Glyph(font["u"].get(code, "\ufffd"), m[4], m[5],
                             adv * math.hypot(trm[0], trm[1]), size, rot,
                             w * size * tz * math.hypot(trm[0], trm[1])))
            tm = mul([1, 0, 0, 1, adv, 0], tm)

    depth = 0
    for m in TOKEN.finditer(content):
        kind, tok = m.lastgroup, m.group(m.lastgroup)
        if kind == "ws":
            continue
        if kind in ("dopen", "aopen"):
            depth += 1
            args.append(kind)
            continue
        if kind in ("dclose", "aclose"):
            depth -= 1
            # fold the array into one argument
            k = len(args) - 1 - args[::-1].index("dopen" if kind == "dclose" else "aopen")
            items = args[k + 1:]
            del args[k:]
            args.append(("array", items))
            continue
        if kind == "num":
            args.append(float(tok))
        elif kind == "str":
            args.append(unescape(tok))
        elif kind == "hex":
            h = re.sub(rb"\s", b"", tok[1:-1])
            args.append(bytes.fromhex((h + b"0" * (len(h) % 2)).decode()))
        elif kind == "name":
            args.append(tok[1:].decode("latin-1"))
        elif kind == "op" and depth == 0:
            op = tok.decode()
            if op == "q":
                stack.append(ctm)
            elif op == "Q":
                ctm = stack.pop() if stack else ctm
            elif op == "cm":
                ctm = mul(args[-6:], ctm)
            elif op == "m":
                cur = (args[-2], args[-1])
            elif op == "l" and cur is not None:
                path.append((cur, (args[-2], args[-1])))
                cur = (args[-2], args[-1])
            elif op in ("S", "s"):
                for (x0, y0), (x1, y1) in path:
                    if rules is not None:
                        rules.append((ctm[0] * x0 + ctm[2] * y0 + ctm[4],
                                      ctm[1] * x0 + ctm[3] * y0 + ctm[5],
                                      ctm[0] * x1 + ctm[2] * y1 + ctm[4],
                                      ctm[1] * x1 + ctm[3] * y1 + ctm[5]))
                path, cur = [], None
            elif op in ("n", "f", "F", "f*", "B", "B*", "b", "b*"):
                path, cur = [], None
            elif op == "BT":
                tm = tlm = [1, 0, 0, 1, 0, 0]
            elif op == "Tf":
                font, size = fonts.get(args[-2]), args[-1]
            elif op == "Tc":
                tc = args[-1]
            elif op == "Tw":
                tw = args[-1]
            elif op == "Tz":
                tz = args[-1] / 100.0
            elif op == "TL":
                tl = args[-1]
            elif op in ("Td", "TD"):
                if op == "TD":
                    tl = -args[-1]
                tlm = mul([1, 0, 0, 1, args[-2], args[-1]], tlm)
                tm = tlm
            elif op == "Tm":
                tlm = tm = list(args[-6:])
            elif op == "T*":
                tlm = mul([1, 0, 0, 1, 0, -tl], tlm)
                tm = tlm
            elif op == "Tj" and font:
                show(args[-1])
            elif op == "'" and font:
                tlm = mul([1, 0, 0, 1, 0, -tl], tlm)
                tm = tlm
                show(args[-1])
            elif op == "TJ" and font:
                for it in args[-1][1]:
                    if isinstance(it, bytes):
                        show(it)
                    else:
                        tm = mul([1, 0, 0, 1, -it / 1000.0 * size * tz, 0], tm)
            args = []
        if kind == "op" and depth == 0:
            args = []
    return out


def glyphs(path, rules=None):
    """The glyphs of every page; with rules a list, each page's stroked
    lines appended to it as a list of its own."""
    pdf = PDF(path)
    pages = []
    for p in pdf.pages():
        body = pdf.objs[p]
        fonts = pdf.fonts_of(p)
        c = re.search(rb"/Contents\s+(\d+) 0 R", body)
        content = pdf.stream(int(c.group(1))) if c else b""
        r = []
        pages.append(run(content, fonts, r))
        if rules is not None:
            rules.append(r)
    return pages


def lines(page, tol=0.5):
    """The glyphs of a page in lines: the same direction, baseline and
    size, in reading order, and no gap wider than a quarter of an em
    between them (the cells of a table's row are lines of their own);
    each line a list of glyphs."""
    out = {}
    for g in page:
        k = (g.rot, -g.y if g.rot == 0 else g.x)
        for kk in out:
            if kk[0] == k[0] and abs(kk[1] - k[1]) < tol:
                out[kk].append(g)
                break
        else:
            out[k] = [g]
    res = []
    for k in sorted(out):
        along = (lambda g: g.x) if k[0] == 0 else (lambda g: g.y)
        cur = []
        for g in sorted(out[k], key=along):
            if cur and (g.size != cur[-1].size or
                        along(g) - along(cur[-1]) > cur[-1].adv + g.size / 4):
                res.append(cur)
                cur = []
            cur.append(g)
        if cur:
            res.append(cur)
    return res


if __name__ == "__main__":
    for n, page in enumerate(glyphs(sys.argv[1]), 1):
        for line in lines(page):
            g = line[0]
            print("%d %3d %7.2f %7.2f %s" % (n, g.rot, g.x, g.y, "".join(x.ch for x in line)))
