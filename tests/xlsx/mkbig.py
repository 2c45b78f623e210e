#!/usr/bin/env python3
"""
tests/xlsx/mkbig.py - the benchmark workbook (make bench): a ledger CSV
(as samples/generate.py --bench writes it) as the .xlsx Excel itself
would save - shared strings in UTF-8, the time columns as date cells
(serial numbers with a date style), 字数 as number cells - written part by
part with the standard library, so that a 10^6-row sheet takes seconds,
not the minutes openpyxl needs (and openpyxl writes inline strings with
every CJK character as a character reference, which no Excel writes).

    python3 tests/xlsx/mkbig.py IN.csv OUT.xlsx
"""
import csv
import datetime as dt
import sys
import zipfile
from xml.sax.saxutils import escape

TIME_COLS = {"报送时间", "事发时间", "采用时间", "下达时间"}
NUMBER_COLS = {"字数"}
EXCEL0 = dt.datetime(1899, 12, 30)

CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      '<Default Extension="xml" ContentType="application/xml"/>'
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
      '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
      '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
      '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
      '</Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>')
WB = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
      '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
      '<workbookPr/><sheets><sheet name="登记表" sheetId="1" r:id="rId1"/></sheets></workbook>')
WBRELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
          '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
          '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
          '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
          '</Relationships>')
STYLES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
          '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd\\ hh:mm"/></numFmts>'
          '<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>'
          '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
          '<borders count="1"><border/></borders>'
          '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
          '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
          '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
          '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
          '</styleSheet>')


def col_name(c):
    s = ""
    c += 1
    while c:
        c, r = divmod(c - 1, 26)
        s = chr(65 + r) + s
    return s


def main():
    src, dst = sys.argv[1], sys.argv[2]
    strings, index = [], {}

    def sst(v):
        i = index.get(v)
        if i is None:
            i = index[v] = len(strings)
            strings.append(v)
        return i

    z = zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=6)
    z.writestr("[Content_Types].xml", CT)
    z.writestr("_rels/.rels", RELS)
    z.writestr("xl/workbook.xml", WB)
    z.writestr("xl/_rels/workbook.xml.rels", WBRELS)
    z.writestr("xl/styles.xml", STYLES)
    names = [col_name(c) for c in range(64)]
    with open(src, encoding="utf-8-sig", newline="") as f, \
            z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
        rows = csv.reader(f)
        header = next(rows)
        kinds = ["t" if h in TIME_COLS else "n" if h in NUMBER_COLS else "s"
                 for h in header]
        out.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                  b'<worksheet xmlns="http://schemas.openxmlformats.org/'
                  b'spreadsheetml/2006/main"><sheetData>')
        r = 1
        out.write(('<row r="1">%s</row>' % "".join(
            '<c r="%s1" t="s"><v>%d</v></c>' % (names[c], sst(v))
            for c, v in enumerate(header))).encode())
        for row in rows:
            r += 1
            cells = []
            for c, (k, v) in enumerate(zip(kinds, row)):
                if v == "":
                    continue
                ref = "%s%d" % (names[c], r)
                if k == "t":
                    t = dt.datetime.strptime(v, "%Y-%m-%d %H:%M")
                    cells.append('<c r="%s" s="1"><v>%.10f</v></c>' % (
                        ref, (t - EXCEL0).total_seconds() / 86400))
                elif k == "n":
                    cells.append('<c r="%s"><v>%s</v></c>' % (ref, v))
                else:
                    cells.append('<c r="%s" t="s"><v>%d</v></c>' % (ref, sst(v)))
            out.write(('<row r="%d">%s</row>' % (r, "".join(cells))).encode())
        out.write(b"</sheetData></worksheet>")
    with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
        out.write(('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                   '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                   '2006/main" count="%d" uniqueCount="%d">' % (
                       len(strings), len(strings))).encode())
        for v in strings:
            out.write(("<si><t>%s</t></si>" % escape(v)).encode())
        out.write(b"</sst>")
    z.close()


if __name__ == "__main__":
    main()
