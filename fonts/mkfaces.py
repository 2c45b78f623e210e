#!/usr/bin/python3
"""fonts/mkfaces.py - a Fandol face made ready for embedding (fonts/README.md).

    /usr/bin/python3 fonts/mkfaces.py FandolFang-Regular.otf out/build/fonts/tb-fang.ttf

Run by `make` (target fonts) on the Fandol OpenType files it unpacks from
Debian's texlive-lang-chinese, with Debian's python3-fonttools.  The output
holds every character and glyph of the face, under the face's own names,
with two changes, both for the PDF the program embeds it in:

* TrueType outlines instead of CFF.  HarfBuzz subsets the two kinds at run
  time, but a CFF face whose charstrings are long (Fandol's: 660 bytes a
  glyph, no subroutines) costs about 12 microseconds a glyph to subset
  against 1.5 for TrueType, and the program subsets a face for each of the
  120 unit statements: half a second for CFF, a tenth for TrueType.

* Outlines on a grid of 1/125 em, and the points that grid makes redundant
  dropped.  Fandol's outlines are detailed (200 points a glyph: the 640
  characters of the sample notice's body are 300 KB compressed as the face
  has them), and the notice must stay under 250 KB.  A cubic segment
  becomes quadratic ones within MAX_ERR; every point is then rounded to
  the nearest multiple of GRID units (of 1000 an em), and a point is
  dropped where the outline moves by less than TOLERANCE without it.  At
  the body's 16 pt a grid step is 0.13 pt (0.045 mm, about one dot of a
  600 dpi printer), a point moves by 0.16 pt at most; the same characters
  take 111 KB (a tolerance of 8 units: 122 KB; 12: 108 KB, where strokes
  begin to lose their shape when enlarged).  Advances and the em box stay
  exact, so no text moves.

No hinting (it would not survive the grid); no layout or vertical tables
(the program does its own layout).  head.modified is the face's: the output
is the same bytes whenever and wherever it is made.
"""
import sys

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphCoordinates

GRID = 8            # units of 1/1000 em
TOLERANCE = 10      # how far (units) the outline may move when a point goes
MAX_ERR = 4.0       # cubic to quadratic, units


def on_chord(a, p, b, tol):
    """Whether p lies within tol of the segment a-b (and between a and b)."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    l2 = dx * dx + dy * dy
    if l2 == 0:
        return p[0] == a[0] and p[1] == a[1]
    cross = dx * (p[1] - a[1]) - dy * (p[0] - a[0])
    dot = (p[0] - a[0]) * dx + (p[1] - a[1]) * dy
    return cross * cross <= l2 * tol * tol and 0 <= dot <= l2


def redundant(c, i, tol):
    """Whether point i of contour c ([x, y, on]) can go: an on-curve point
    on its neighbour, near the midpoint of the off-curve points around it
    (TrueType implies an on-curve point there), or near the straight line
    between on-curve neighbours; an off-curve point near the straight line
    between its on-curve neighbours (the curve is a line)."""
    n = len(c)
    a, p, b = c[i - 1], c[i], c[(i + 1) % n]
    if p[2]:
        if a[2] and a[0] == p[0] and a[1] == p[1]:
            return True
        if not a[2] and not b[2]:
            return (abs(a[0] + b[0] - 2 * p[0]) <= 2 * tol and
                    abs(a[1] + b[1] - 2 * p[1]) <= 2 * tol)
        if a[2] and b[2]:
            return on_chord(a, p, b, tol)
        return False
    if a[2] and b[2]:
        dx, dy = b[0] - a[0], b[1] - a[1]
        l2 = dx * dx + dy * dy
        cross = dx * (p[1] - a[1]) - dy * (p[0] - a[0])
        return cross * cross <= l2 * tol * tol
    return False


def thin(c, tol):
    i = 0
    while i < len(c) and len(c) > 3:
        if redundant(c, i, tol):
            del c[i]
            if i > 0:
                i -= 1      # its neighbour may go now
        else:
            i += 1
    return c


def convert(glyphset, name):
    """Glyph name of the CFF face as a TrueType glyph on the grid."""
    pen = TTGlyphPen(None)
    glyphset[name].draw(Cu2QuPen(pen, MAX_ERR, reverse_direction=True))
    g = pen.glyph()
    if g.numberOfContours <= 0:
        return g
    contours, start = [], 0
    for end in g.endPtsOfContours:
        c = [[int(round(g.coordinates[k][0] / GRID)) * GRID,
              int(round(g.coordinates[k][1] / GRID)) * GRID,
              g.flags[k] & 1] for k in range(start, end + 1)]
        c = thin(c, TOLERANCE)
        if len(c) >= 3:
            contours.append(c)
        start = end + 1
    out = Glyph()
    out.numberOfContours = len(contours)
    out.coordinates = GlyphCoordinates([(x, y) for c in contours for x, y, _ in c])
    out.flags = bytearray(on for c in contours for _, _, on in c)
    out.endPtsOfContours, n = [], 0
    for c in contours:
        n += len(c)
        out.endPtsOfContours.append(n - 1)
    out.program = g.program
    return out


def main(src, dst):
    f = TTFont(src)
    if "CFF " not in f or f["head"].unitsPerEm != 1000:
        sys.exit("mkfaces.py: %s: expected a CFF face of 1000 units per em" % src)
    order = f.getGlyphOrder()
    gs = f.getGlyphSet()
    glyphs = {name: convert(gs, name) for name in order}
    hmtx = f["hmtx"]
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(order)
    fb.setupCharacterMap(f.getBestCmap())
    fb.setupGlyf(glyphs)
    for name in order:
        glyphs[name].recalcBounds(fb.font["glyf"])
    fb.setupHorizontalMetrics({name: (hmtx[name][0], getattr(glyphs[name], "xMin", 0))
                               for name in order})
    hh = f["hhea"]
    fb.setupHorizontalHeader(ascent=hh.ascent, descent=hh.descent, lineGap=hh.lineGap)
    fb.font["OS/2"] = f["OS/2"]
    fb.font["name"] = f["name"]
    fb.setupPost(keepGlyphNames=False, italicAngle=f["post"].italicAngle,
                 underlinePosition=f["post"].underlinePosition,
                 underlineThickness=f["post"].underlineThickness)
    fb.setupMaxp()
    head = fb.font["head"]
    for k in ("fontRevision", "created", "modified", "macStyle", "flags",
              "lowestRecPPEM", "fontDirectionHint"):
        setattr(head, k, getattr(f["head"], k))
    fb.font.recalcTimestamp = False
    fb.font.save(dst)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: mkfaces.py FACE.otf OUT.ttf")
    main(sys.argv[1], sys.argv[2])
