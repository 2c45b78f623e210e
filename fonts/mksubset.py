#!/usr/bin/python3
"""fonts/mksubset.py - build-time font subsets for the PDF backend.

    /usr/bin/python3 fonts/mksubset.py OUTDIR [TEXTFILE...]

Reads Debian's font files (never copied into the repository) and writes
OUTDIR/tb-song.ttf, tb-kai.ttf and tb-hei.ttf: each face cut down to the
characters a notice uses - ASCII and Latin-1, common punctuation, CJK
symbols and full-width forms, the GB 2312 character set, and every
character of the TEXTFILEs (registry, templates, samples: names such as
硚 and 洈 lie outside GB 2312).  fonts/fonts.conf lists these subsets first
and the full Debian files after them, so a character outside the subset
still prints, from the full font (the PDF then grows by that font).

Why: the PDF backend (gen/fonts.c) maps these files for every PDF and
writes a subset of the glyphs drawn; smaller faces with smaller cmaps are
read faster (about 12 % of the statements' time, 5 % of their size; see
fonts/README.md).  Two details date from when libharu read the faces
itself and are kept because they cost nothing:
  * the gaps of the CJK block are mapped to glyph 0 (.notdef, which the
    backend treats as "missing"), so the format 4 cmap has a handful of
    ranges instead of thousands;
  * each subset gets its own PostScript name (TBSongUMing ...), which is
    what the PDF names the font after.
Needs python3-fonttools (Debian).
"""
import os
import sys

from fontTools import subset
from fontTools.ttLib import TTFont

FACES = [
    # output, Debian file, face index in the collection, new name, only
    ("tb-song.ttf", "/usr/share/fonts/truetype/arphic/uming.ttc", 0, "TBSongUMing", None),
    ("tb-kai.ttf", "/usr/share/fonts/truetype/arphic/ukai.ttc", 0, "TBKaiUKai", None),
    # WenQuanYi Zen Hei: libharu draws it right only in ASCII and the main
    # CJK block (composite glyphs beyond glyph 32767 lose their parts)
    ("tb-hei.ttf", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0, "TBHeiZenHei",
     lambda c: 0x20 <= c <= 0x7E or 0x4E00 <= c <= 0x9FFF),
]

RANGES = [(0x20, 0x7E), (0xA0, 0xFF), (0x2010, 0x2027), (0x2030, 0x203B),
          (0x2160, 0x216B), (0x2460, 0x2473), (0x2474, 0x2487),
          (0x3000, 0x303F), (0x3220, 0x3229), (0xFF01, 0xFF5E), (0xFFE0, 0xFFE5)]


def charset(textfiles):
    chars = set()
    for lo, hi in RANGES:
        chars.update(range(lo, hi + 1))
    # GB 2312 symbols (rows 1-9) and level-1 hanzi (rows 16-55, the 3755
    # common characters); anything rarer comes from the TEXTFILEs or, at
    # run time, from the full Debian face
    for a in list(range(0xA1, 0xAA)) + list(range(0xB0, 0xF8)):
        for b in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes([a, b]).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    for path in textfiles:
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            continue
        for enc in ("utf-8-sig", "gb18030"):
            try:
                chars.update(ord(c) for c in data.decode(enc) if ord(c) <= 0xFFFF)
                break
            except UnicodeDecodeError:
                continue
    return chars


def fill_gaps(font):
    """Maps unmapped code points of the CJK block to .notdef, so the format
    4 cmap holds few ranges (see above)."""
    for table in font["cmap"].tables:
        if table.format != 4:
            continue
        cmap = table.cmap
        if not any(0x4E00 <= c <= 0x9FFF for c in cmap):
            continue
        lo = min(c for c in cmap if c >= 0x4E00)
        hi = max(c for c in cmap if c <= 0x9FFF)
        for c in range(lo, hi + 1):
            cmap.setdefault(c, ".notdef")


def rename(font, name):
    for rec in font["name"].names:
        if rec.nameID in (1, 3, 4, 6, 16, 17):
            value = name if rec.nameID in (3, 6) else name
            rec.string = value


def make(outdir, out, src, index, name, only, chars):
    opts = subset.Options()
    opts.font_number = index
    opts.hinting = False
    opts.layout_features = []
    opts.notdef_outline = True
    opts.name_IDs = ["*"]
    opts.drop_tables += ["BDF", "EBDT", "EBLC", "EBSC", "FFTM", "GSUB", "GPOS",
                         "GDEF", "vhea", "vmtx", "VORG", "gasp", "DSIG"]
    # keep the Debian face's head.modified: a subset built today must not
    # differ from one built tomorrow (the PDF embeds its head table)
    font = TTFont(src, fontNumber=index, lazy=False, recalcTimestamp=False)
    sub = subset.Subsetter(opts)
    want = [c for c in chars if only is None or only(c)]
    sub.populate(unicodes=want)
    sub.subset(font)
    fill_gaps(font)
    rename(font, name)
    tmp = os.path.join(outdir, out + ".tmp")
    font.save(tmp)
    os.replace(tmp, os.path.join(outdir, out))


def main(argv):
    if len(argv) < 2:
        sys.stderr.write("usage: mksubset.py OUTDIR [TEXTFILE...]\n")
        return 64
    outdir = argv[1]
    os.makedirs(outdir, exist_ok=True)
    chars = charset(argv[2:])
    for out, src, index, name, only in FACES:
        if not os.path.exists(src):
            sys.stderr.write("mksubset: %s missing, %s not made\n" % (src, out))
            continue
        make(outdir, out, src, index, name, only, chars)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
