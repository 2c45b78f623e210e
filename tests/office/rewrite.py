#!/usr/bin/env python3
"""
tests/office/rewrite.py - the property behind SPEC 3.4: a ledger written
the way clerks write it reads the same as the clean one.  Rewrites every
CSV ledger of a data folder in place, row by row at random (seeded, so a
failure can be replayed), in forms the program must read exactly as the
original:

  - a title row and a blank row above the header, footer rows below;
  - header cells with bracketed notes (签发人（审核）) and inner spaces;
  - times as 2017年1月5日 9:30, 2017年1月5日9时30分, 2017.1.5 9:30,
    full-width digits, Excel serials (a day keeps no clock time, a clock
    time keeps its minute);
  - 字数 as 1,200, 1200字, 约1200, full-width digits;
  - 报送方式 as 综合科邮箱, several mailboxes between spaces;
  - authors between ，；/ and two-character names padded to three (王　伟);
  - empty optional cells as placeholders (无, /, —), an empty 签发人 as 无;
  - units with spaces around them.

Each file keeps its encoding (UTF-8 with or without BOM, or GB18030).

    python3 tests/office/rewrite.py DATA SEED
"""
import csv
import datetime as dt
import io
import os
import random
import re
import sys

FW = str.maketrans("0123456789:-/.", "０１２３４５６７８９：－／．")
EXCEL0 = dt.datetime(1899, 12, 30)
TIME_COLS = {"报送时间", "submitted", "事发时间", "event", "采用时间", "date",
             "下达时间", "issued"}
OPTIONAL = {"事发时间", "event", "督办编号", "directive", "备注", "note",
            "长期", "long_running"}
NOTES = {"签发人": "签发人（审核）", "approver": "approver (签发)",
         "报送时间": "报送时间（年月日）", "作者": "作者(必填)",
         "字数": "字 数", "编号": "编号【必填】"}
NOTE_PLACEHOLDERS = ["无", "/", "—", "－"]


def read_time(s):
    for f in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M",
              "%Y-%m-%d", "%Y/%m/%d"):
        try:
            return dt.datetime.strptime(s, f), "%H" in f
        except ValueError:
            pass
    raise ValueError(s)


def time_form(r, s):
    t, clock = read_time(s)
    y, m, d = t.year, t.month, t.day
    if not clock:
        return r.choice([f"{y}年{m}月{d}日", f"{y}.{m}.{d}", t.strftime("%Y%m%d"),
                         f"{y}/{m}/{d}".translate(FW),
                         str((t - EXCEL0).days)])
    h, mi = t.hour, t.minute
    serial = (t - EXCEL0).total_seconds() / 86400
    return r.choice([f"{y}年{m}月{d}日 {h}:{mi:02d}",
                     f"{y}年{m}月{d}日{h}时{mi}分",
                     f"{y}.{m:02d}.{d:02d} {h}:{mi:02d}",
                     f"{y}-{m:02d}-{d:02d} {h:02d}:{mi:02d}".translate(FW),
                     f"{y}-{m:02d}-{d:02d}T{h:02d}:{mi:02d}",
                     f"{serial:.6f}"])


def chars_form(r, s):
    n = int(s)
    return r.choice([f"{n:,}", f"{n}字", f"约{n}", str(n).translate(FW),
                     f"{n:,}".replace(",", "，")])


def channel_form(r, s):
    words = re.split("、|;", s)
    if len(words) > 1:
        return r.choice([" ".join(words), "；".join(words), "/".join(words)])
    w = words[0]
    if w in ("综合科", "督办科", "维稳办"):
        return r.choice([w + "邮箱", w + "信箱", "邮箱：" + w, w + " "])
    return w


def authors_form(r, s):
    names = [n for n in re.split("、|;", s) if n]
    out = []
    for n in names:
        if len(n) == 2 and r.random() < 0.5:
            n = n[0] + "\u3000" + n[1]
        out.append(n)
    return r.choice(["，", "；", "/", "、"]).join(out)


def rewrite_row(r, header, row):
    out = []
    for col, v in zip(header, row):
        if r.random() < 0.5:
            out.append(v)
        elif v == "" and col in OPTIONAL:
            out.append(r.choice(NOTE_PLACEHOLDERS))
        elif v == "" and col in ("签发人", "approver"):
            out.append(r.choice(["无", "未签发", "/"]))
        elif v == "":
            out.append(v)
        elif col in TIME_COLS:
            out.append(time_form(r, v))
        elif col in ("字数", "chars"):
            out.append(chars_form(r, v))
        elif col in ("报送方式", "channel"):
            out.append(channel_form(r, v))
        elif col in ("作者", "authors"):
            out.append(authors_form(r, v))
        elif col in ("报送单位", "unit"):
            out.append(r.choice([" " + v, v + "\u3000", v]))
        else:
            out.append(v)
    return out


def rewrite(path, r):
    raw = open(path, "rb").read()
    try:
        text, enc = raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, enc = raw.decode("gb18030"), "gb18030"
    bom = text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header, data = rows[0], rows[1:]
    width = len(header)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow([f"2017年政务信息报送登记表（{os.path.basename(path)}）"] + [""] * (width - 1))
    w.writerow([""] * width)
    w.writerow([NOTES.get(h, h) if r.random() < 0.7 else h for h in header])
    for row in data:
        w.writerow(rewrite_row(r, header, row))
    w.writerow([""] * width)
    w.writerow([f"合计：{len(data)}条"] + [""] * (width - 1))
    w.writerow(["填表人：张三"] + [""] * (width - 2) + ["审核人：李四"])
    data = out.getvalue()
    with open(path, "wb") as f:
        f.write(("\ufeff" if bom else "").encode("utf-8") if enc == "utf-8" else b"")
        f.write(data.encode(enc))


def main():
    top, seed = sys.argv[1], int(sys.argv[2])
    r = random.Random(seed)
    for q in sorted(os.listdir(top)):
        for name in ("submissions.csv", "adoptions.csv", "directives.csv"):
            p = os.path.join(top, q, name)
            if os.path.isfile(p):
                rewrite(p, r)


if __name__ == "__main__":
    main()
