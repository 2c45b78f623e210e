#!/usr/bin/env python3
"""registry2xml.py - writes units.xml (the registry of evaluated units) from
registry.tsv, the tab-separated list the office keeps (group, quota, canonical
name, aliases separated by |).

    python3 samples/registry2xml.py registry.tsv > samples/units.xml

Groups and units keep the order of the tsv.  One <category> is made per run of
units with the same (group, quota); its id and Art 7 wording come from the
tables below.  Unit ids are readable (pinyin for the cities, systematic
group-prefix-NN for the rest) and stable as long as the tsv order is.  A few
harmless aliases are added (湖北省… for 省… units, 省司法厅… for 厅… offices);
the script refuses any alias that collides with another unit's name or alias.
"""
import sys
from xml.sax.saxutils import escape, quoteattr

# group name (as registry.tsv writes it) -> (group id, unit id prefix)
GROUPS = {
    "市州司法局": ("city", None),
    "直管市及神农架林区司法局": ("direct", None),
    "监狱戒毒管理局": ("bureau", None),
    "厅机关处室及直属单位": ("office", "office"),
    "司法行政机关直报点": ("point-admin", "pa"),
    "监狱戒毒系统直报点": ("point-prison", "pp"),
    "法律服务直报点": ("point-legal", "pl"),
}

# (group id, quota, first unit of the run) -> (category id, Art 7 wording)
CATEGORIES = {
    ("city", 24): ("city-bureau", "各市、州司法局"),
    ("direct", 18): ("direct-bureau", "各直管市、神农架林区司法局"),
    ("bureau", 24): ("prison-bureau", "省监狱局"),
    ("bureau", 20): ("rehab-bureau", "省戒毒局"),
    ("office", 12): ("office-12", "厅机关处室及直属单位（12条）"),
    ("office", 6): ("office-6", "厅机关处室及直属单位（6条）"),
    ("point-admin", 12): ("point-admin", "省厅信息直报点（司法行政机关）"),
    ("point-prison", 12): ("point-prison", "省厅信息直报点（监狱戒毒系统）"),
    ("point-legal", 12): ("point-legal", "省厅信息直报点（法律服务）"),
}

UNIT_IDS = {
    "武汉市司法局": "wuhan", "黄石市司法局": "huangshi",
    "十堰市司法局": "shiyan", "宜昌市司法局": "yichang",
    "襄阳市司法局": "xiangyang", "鄂州市司法局": "ezhou",
    "荆门市司法局": "jingmen", "孝感市司法局": "xiaogan",
    "荆州市司法局": "jingzhou", "黄冈市司法局": "huanggang",
    "咸宁市司法局": "xianning", "随州市司法局": "suizhou",
    "恩施州司法局": "enshi", "仙桃市司法局": "xiantao",
    "潜江市司法局": "qianjiang", "天门市司法局": "tianmen",
    "神农架林区司法局": "shennongjia", "省监狱局": "prison",
    "省戒毒局": "rehab",
}

# title of the unit's head, used when the notice is copied to it (Art 14)
HEADS = {"city": "局长", "direct": "局长", "bureau": "局长"}


def key(s):
    """Python twin of name_key() in gen/base/text.c."""
    s = s.strip(" \t\r\n\u3000")
    out = []
    for ch in s:
        cp = ord(ch)
        if 0xFF01 <= cp <= 0xFF5E:
            ch = chr(cp - 0xFF01 + 0x21)
        elif cp == 0x3000:
            ch = " "
        if "A" <= ch <= "Z":
            ch = ch.lower()
        out.append(ch)
    return "".join(out)


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "registry.tsv"
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            parts = line.split("\t")
            while len(parts) < 4:
                parts.append("")
            group, quota, name, aliases = parts[:4]
            aliases = [a for a in aliases.split("|") if a]
            rows.append([group, int(quota), name, aliases])

    names = {key(r[2]) for r in rows}
    taken = set(names)
    for r in rows:
        for a in r[3]:
            taken.add(key(a))
    # extra aliases, only where they collide with nothing
    for r in rows:
        name = r[2]
        extra = []
        if name.startswith("省"):
            extra.append("湖北" + name)
        elif name.startswith("厅"):
            extra.append("省司法厅" + name[1:])
        for a in extra:
            k = key(a)
            if k in taken:
                continue
            taken.add(k)
            r[3].append(a)

    counters = {}
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           "<!-- units.xml: the units evaluated under the 考评办法 (Art 2, 7"
           " and the annex).",
           "     Generated from registry.tsv by samples/registry2xml.py;"
           " edit freely.",
           "     Ledgers name a unit by its id, name or any alias. -->",
           "<registry>"]
    cur_group = cur_cat = None
    for group, quota, name, aliases in rows:
        gid, prefix = GROUPS[group]
        if cur_group != group:
            if cur_cat is not None:
                out.append("    </category>")
            if cur_group is not None:
                out.append("  </group>")
            out.append("  <group id=%s name=%s>" % (quoteattr(gid), quoteattr(group)))
            cur_group, cur_cat = group, None
        cat = CATEGORIES[(gid, quota)]
        if cur_cat != cat:
            if cur_cat is not None:
                out.append("    </category>")
            out.append("    <category id=%s name=%s quota=\"%d\">"
                       % (quoteattr(cat[0]), quoteattr(cat[1]), quota))
            cur_cat = cat
        if name in UNIT_IDS:
            uid = UNIT_IDS[name]
        else:
            counters[prefix] = counters.get(prefix, 0) + 1
            uid = "%s-%02d" % (prefix, counters[prefix])
        head = HEADS.get(gid)
        attrs = "id=%s name=%s" % (quoteattr(uid), quoteattr(name))
        if head:
            attrs += " head=%s" % quoteattr(head)
        if aliases:
            out.append("      <unit %s>" % attrs)
            for a in aliases:
                out.append("        <alias>%s</alias>" % escape(a))
            out.append("      </unit>")
        else:
            out.append("      <unit %s/>" % attrs)
    out.append("    </category>")
    out.append("  </group>")
    out.append("</registry>")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
