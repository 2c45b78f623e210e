#!/usr/bin/python3
"""tests/unit/mkcff.py - small CFF faces for test_fonts.c.

    /usr/bin/python3 tests/unit/mkcff.py SOURCE.ttf OUT.otf [CIDFACE.otf CIDOUT.otf]

Debian has no name-keyed CFF face with Chinese characters (Noto CJK and
Fandol are CID-keyed), so this makes one with fontTools from a few glyphs
of SOURCE (the FandolFang the build makes): .notdef, a space, 湖 北 省 and
a padding glyph between them, so that glyph indices are not all
consecutive (the subset must keep them: a CIDFontType0 selects glyphs of
a name-keyed CFF by CID = glyph index).
"""
import sys

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.ttLib import TTFont

src = TTFont(sys.argv[1])
cmap = src.getBestCmap()
gs = src.getGlyphSet()
chars = {0x20: "space", 0x6E56: "uni6E56", 0x5317: "uni5317", 0x7701: "uni7701"}
order = [".notdef", "space", "pad1", "uni5317", "pad2", "pad3", "uni6E56", "uni7701"]
strings, widths = {}, {}
for name in order:
    pen = T2CharStringPen(1000 if name != "space" else 333, None)
    cp = next((c for c, n in chars.items() if n == name), None)
    if cp is not None and cp != 0x20:
        gs[cmap[cp]].draw(pen)
    elif name in (".notdef", "pad1", "pad2", "pad3"):
        pen.moveTo((100, 0)); pen.lineTo((100, 700)); pen.lineTo((400, 700)); pen.closePath()
    strings[name] = pen.getCharString()
    widths[name] = (1000 if name != "space" else 333, 0)
fb = FontBuilder(1000, isTTF=False)
fb.setupGlyphOrder(order)
fb.setupCharacterMap(chars)
fb.setupCFF("TBTestNameKeyed-Regular", {"FullName": "TB Test Name Keyed"}, strings, {})
fb.setupHorizontalMetrics(widths)
fb.setupHorizontalHeader(ascent=880, descent=-120)
fb.setupNameTable({"familyName": "TB Test Name Keyed", "styleName": "Regular",
                   "psName": "TBTestNameKeyed-Regular"})
fb.setupOS2(sTypoAscender=880, sTypoDescender=-120)
fb.setupPost()
fb.save(sys.argv[2])

if len(sys.argv) > 4:
    from fontTools import subset
    f = TTFont(sys.argv[3])
    opts = subset.Options()
    opts.layout_features = []
    sub = subset.Subsetter(opts)
    sub.populate(text="湖北省司法厅、。1")
    sub.subset(f)
    f.save(sys.argv[4])
