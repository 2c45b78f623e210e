#!/usr/bin/env python3
"""
tests/xlsx/badbooks.py - workbooks the reader must refuse, each with one
clear error (tests/suite_xlsx.sh).  Writes into DIR:

  xls.xlsx        an old .xls (an OLE2 compound file) renamed
  encrypted.xlsx  a password-protected workbook (OLE2 with EncryptionInfo)
  csv.xlsx        a CSV file renamed .xlsx
  truncated.xlsx  GOOD cut in half
  bomb.xlsx       a sheet of 300 MB of blanks, deflated about 1000 times
  liar.xlsx       GOOD whose sheet's sizes claim 100 bytes
  doctype.xlsx    GOOD whose sheet declares an entity in a DOCTYPE
  nosheet.xlsx    a zip without xl/workbook.xml
  badref.xlsx     GOOD with a cell referring to shared string 99999
  deep.xlsx       GOOD with 300 elements nested in a cell of row 2
  hugetext.xlsx   GOOD with a cell of 10,000,001 characters in row 3

    python3 tests/xlsx/badbooks.py GOOD.xlsx DIR
"""
import os
import struct
import sys
import zipfile


def parts(path):
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def write(path, ps, method=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", method) as z:
        for n, b in ps.items():
            z.writestr(n, b)


def ole2(extra):
    head = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + b"\0" * 504
    return head + extra + b"\0" * 2048


def main():
    good, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    ps = parts(good)
    sheet = "xl/worksheets/sheet1.xml"

    open(os.path.join(out, "xls.xlsx"), "wb").write(ole2(b"W\0o\0r\0k\0b\0o\0o\0k\0"))
    open(os.path.join(out, "encrypted.xlsx"), "wb").write(
        ole2("EncryptionInfo".encode("utf-16-le") + b"\0\0" +
             "EncryptedPackage".encode("utf-16-le")))
    open(os.path.join(out, "csv.xlsx"), "w", encoding="utf-8").write(
        "编号,报送单位\nC01,武汉市司法局\n")
    data = open(good, "rb").read()
    open(os.path.join(out, "truncated.xlsx"), "wb").write(data[:len(data) // 2])

    bomb = dict(ps)
    s = bomb[sheet].decode()
    bomb[sheet] = (s.replace("<sheetData>", "<sheetData>" + " " * (300 << 20), 1)).encode()
    write(os.path.join(out, "bomb.xlsx"), bomb)

    # the liar: rewrite the uncompressed size of the sheet in the local
    # header and the central directory
    path = os.path.join(out, "liar.xlsx")
    write(path, ps)
    raw = bytearray(open(path, "rb").read())
    name = sheet.encode()
    i = 0
    while True:
        i = raw.find(name, i + 1)
        if i < 0:
            break
        if raw[i - 30:i - 26] == b"PK\x03\x04":          # local header
            struct.pack_into("<I", raw, i - 30 + 22, 100)
        elif raw[i - 46:i - 42] == b"PK\x01\x02":        # central directory
            struct.pack_into("<I", raw, i - 46 + 24, 100)
    open(path, "wb").write(bytes(raw))

    doc = dict(ps)
    s = doc[sheet].decode()
    doc[sheet] = ('<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a '
                  '"aaaaaaaaaa">]>' + s[s.index("<worksheet"):]).encode()
    write(os.path.join(out, "doctype.xlsx"), doc)

    nos = {n: b for n, b in ps.items() if n != "xl/workbook.xml"}
    write(os.path.join(out, "nosheet.xlsx"), nos)

    bad = dict(ps)
    s = bad[sheet].decode()
    k = s.index('t="s"><v>', s.index('<row r="2"'))
    j = s.index("</v>", k)
    bad[sheet] = (s[:k] + 't="s"><v>99999' + s[j:]).encode()
    write(os.path.join(out, "badref.xlsx"), bad)

    # libxml2's limits of a tree, which the SAX2 reading keeps
    deep = dict(ps)
    s = deep[sheet].decode()
    k = s.index("<v>", s.index('<row r="2"'))
    deep[sheet] = (s[:k] + "<x>" * 300 + "</x>" * 300 + s[k:]).encode()
    write(os.path.join(out, "deep.xlsx"), deep)
    huge = dict(ps)
    s = huge[sheet].decode()
    k = s.index("</row>", s.index('<row r="3"'))
    huge[sheet] = (s[:k] + '<c r="Z3" t="inlineStr"><is><t>' + "a" * 10000001 +
                   "</t></is></c>" + s[k:]).encode()
    write(os.path.join(out, "hugetext.xlsx"), huge)


if __name__ == "__main__":
    main()
