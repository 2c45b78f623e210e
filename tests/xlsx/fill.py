#!/usr/bin/env python3
"""
tests/xlsx/fill.py - what an office does with `tongbao template`: opens
the empty ledger in Excel and types the rows in.  Fills TEMPLATE.xlsx
with the rows of a CSV ledger (its columns in the template's order, by
header) - times as date cells, 字数 as numbers - and saves OUT.xlsx.

    python3 tests/xlsx/fill.py TEMPLATE.xlsx IN.csv OUT.xlsx
"""
import csv
import datetime as dt
import sys

import openpyxl


def value(v, fmt):
    if v == "":
        return None
    if "yy" in fmt:
        for f in ("%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y/%m/%d %H:%M", "%Y/%m/%d"):
            try:
                return dt.datetime.strptime(v, f)
            except ValueError:
                pass
    if fmt == "0" and v.isdigit():
        return int(v)
    return v


def main():
    tpl, src, dst = sys.argv[1:4]
    wb = openpyxl.load_workbook(tpl)
    ws = wb["台账"]
    header = [c.value for c in ws[1]]
    fmts = [ws.cell(row=2, column=i + 1).number_format for i in range(len(header))]
    with open(src, encoding="utf-8-sig", newline="") as f:
        rows = csv.DictReader(f)
        for r, row in enumerate(rows, 2):
            for i, h in enumerate(header):
                c = ws.cell(row=r, column=i + 1)
                c.value = value(row.get(h, ""), fmts[i])
                c.number_format = fmts[i]
    wb.save(dst)


if __name__ == "__main__":
    main()
