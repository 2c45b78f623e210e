#!/usr/bin/env python3
"""
tests/xlsx/csv2xlsx.py - a CSV ledger as the workbook an office keeps in
Excel, written with openpyxl (Debian's python3-openpyxl): time columns as
real date cells (a day alone as a date, a clock time as a date-time),
字数 as number cells, everything else as strings.  Options make the
workbook the way the reader must cope with:

  --1904        the 1904 date system (Excel for Mac)
  --title       a merged title row above the header (A1:K1)
  --notes       header cells with notes (签发人（审核）)
  --inline      every string an inline string, as openpyxl writes them
                (by default they become shared strings, as Excel writes)
  --rich        shared strings as rich-text runs with a phonetic guide
  --footer      a 合计 row and a 填表人 row after the data
  --sheet-first an extra sheet "说明" placed after the ledger sheet

    python3 tests/xlsx/csv2xlsx.py IN.csv OUT.xlsx [options]
    python3 tests/xlsx/csv2xlsx.py --folder DATA [options]   (every CSV
        ledger of DATA/20*/ becomes .xlsx beside it; the CSV is removed)
"""
import csv
import datetime as dt
import io
import os
import re
import sys
import zipfile

from openpyxl import Workbook

TIME_COLS = {"报送时间", "submitted", "事发时间", "event", "采用时间", "date",
             "下达时间", "issued"}
NUMBER_COLS = {"字数", "chars"}
NOTES = {"签发人": "签发人（审核）", "报送时间": "报送时间（年月日）",
         "作者": "作者(必填)"}


def read_time(s):
    for f in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M",
              "%Y-%m-%d", "%Y/%m/%d"):
        try:
            return dt.datetime.strptime(s, f), "%H" in f
        except ValueError:
            pass
    return None, False


def convert(src, dst, opts):
    raw = open(src, "rb").read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030")
    rows = list(csv.reader(io.StringIO(text)))
    header, data = rows[0], rows[1:]
    wb = Workbook()
    ws = wb.active
    ws.title = "登记表"
    if "1904" in opts:
        wb.epoch = dt.datetime(1904, 1, 1)
    if "title" in opts:
        ws.append(["2017年政务信息报送登记表"] + [None] * (len(header) - 1))
        ws.merge_cells(start_row=1, start_column=1, end_row=1,
                       end_column=len(header))
    ws.append([NOTES.get(h, h) if "notes" in opts else h for h in header])
    for row in data:
        out = []
        for h, v in zip(header, row):
            if v == "":
                out.append(None)
            elif h in TIME_COLS:
                t, clock = read_time(v)
                out.append(v if t is None else t if clock else t.date())
            elif h in NUMBER_COLS and re.fullmatch(r"[0-9]+", v):
                out.append(int(v))
            else:
                out.append(v)
        ws.append(out)
        r = ws.max_row
        for c, h in enumerate(header, 1):
            cell = ws.cell(row=r, column=c)
            if h in TIME_COLS and isinstance(cell.value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif h in TIME_COLS and isinstance(cell.value, dt.date):
                cell.number_format = "yyyy\"年\"m\"月\"d\"日\""
    if "footer" in opts:
        ws.append([None] * len(header))
        ws.append(["合计：%d条" % len(data)])
        ws.append(["填表人：张三", None, None, "审核人：李四"])
    if "sheet-first" in opts:
        wb.create_sheet("说明").append(["本表由各单位填写"])
    wb.save(dst)
    if "inline" not in opts:
        rewrite_strings(dst, opts)


def rewrite_strings(path, opts):
    """openpyxl writes inline strings only; Excel writes shared ones.  Turn
    the inline strings into a shared-string table (the default), with
    rich-text runs and a phonetic guide when asked, by editing the parts."""
    z = zipfile.ZipFile(path)
    parts = {n: z.read(n) for n in z.namelist()}
    z.close()
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    items, index = [], {}

    def shared(m):
        attrs, text = m.group(1), m.group(2)
        if text not in index:
            index[text] = len(items)
            items.append(text)
        return '<c%s t="s"><v>%d</v></c>' % (attrs, index[text])
    sheet = re.sub(r'<c([^>]*?) t="inlineStr"><is><t>(.*?)</t></is></c>',
                   shared, sheet)

    def item(t):
        if "rich" not in opts or len(t) < 2 or t.startswith("&"):
            return "<si><t>%s</t></si>" % t
        return ('<si><r><t>%s</t></r><r><rPr><b/></rPr><t xml:space='
                '"preserve">%s</t></r><rPh sb="0" eb="1"><t>PH</t></rPh>'
                '</si>' % (t[:1], t[1:]))
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    parts["xl/sharedStrings.xml"] = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
        'main" count="%d" uniqueCount="%d">' % (len(items), len(items)) +
        "".join(item(t) for t in items) + "</sst>").encode()
    ct = parts["[Content_Types].xml"].decode()
    ct = ct.replace("</Types>", '<Override PartName="/xl/sharedStrings.xml" '
                    'ContentType="application/vnd.openxmlformats-officedocument.'
                    'spreadsheetml.sharedStrings+xml"/></Types>')
    parts["[Content_Types].xml"] = ct.encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    rels = rels.replace("</Relationships>", '<Relationship Id="rIdSST" Type='
                        '"http://schemas.openxmlformats.org/officeDocument/'
                        '2006/relationships/sharedStrings" Target='
                        '"sharedStrings.xml"/></Relationships>')
    parts["xl/_rels/workbook.xml.rels"] = rels.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in parts.items():
            z.writestr(n, b)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    opts = {a[2:] for a in sys.argv[1:] if a.startswith("--")}
    if "folder" in opts:
        top = args[0]
        for q in sorted(os.listdir(top)):
            for name in ("submissions", "adoptions", "directives"):
                p = os.path.join(top, q, name + ".csv")
                if os.path.isfile(p):
                    convert(p, os.path.join(top, q, name + ".xlsx"), opts)
                    os.remove(p)
    else:
        convert(args[0], args[1], opts)


if __name__ == "__main__":
    main()
