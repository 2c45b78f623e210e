#!/usr/bin/env python3
"""generate.py - writes the sample year 2017 (2017Q1 ... 2017Q4) of the Hubei
Department of Justice government-information ledgers, for all the units of
samples/units.xml, and (with --bench) large synthetic quarters for speed tests.

    python3 samples/generate.py              regenerate samples/2017Q*/ in place
    python3 samples/generate.py --report     same, then print the expected scores
    python3 samples/generate.py --bench N --out DIR
                                             DIR/units.xml, DIR/rules.xml and
                                             DIR/2017Q1 with N submissions

Why a generator: the samples must look like a real year of the office's
ledgers (about 1,300 items a quarter, realistic titles, names, channels,
adoptions) and at the same time contain, on purpose, every case SPEC.md
names: encodings, header forms, time formats, unit naming forms, exclusions,
double weights, late urgent reports, ties, cross-quarter adoptions.  Writing
that by hand is error-prone; a seeded generator keeps it reviewable (each
deliberate case is made in one marked place, search for "CASE:") and
reproducible: the output depends only on units.xml and on this file (fixed
seeds derived from strings, no clock, no set iteration, no hash order), so
two runs give byte-identical files.

Every quarter exercises different input forms:

    2017Q1  submissions.csv, adoptions.csv: UTF-8 without BOM, CRLF line ends
            (in-cell line breaks are LF, as Excel writes them), Chinese
            headers in the SPEC order, 督办编号 present, mostly empty.
    2017Q2  GB18030 without BOM (Excel on Chinese Windows), CRLF, English
            headers (SPEC aliases) in another column order.
    2017Q3  UTF-8 with BOM, LF, Chinese headers in another order, no
            督办编号 column.
    2017Q4  submissions.xml, adoptions.xml (templates/schema/ledger.xsd);
            <directive> only on the submissions that follow one up.

Directives (Art 4): 2017Q1/directives.csv (UTF-8, CRLF, Chinese headers),
2017Q2/directives.csv (GB18030, CRLF, English headers), 2017Q4/directives.xml.
Existing submissions of the responsible units are linked to them through
督办编号 (and retitled as the reports they are), chosen so that units report
on the day, a day late, late in a later quarter, never, and a long-running
directive has its periodic reports met and missed; see DIRECTIVES.  Links
change no score (the 督办编号 plays no part in SPEC 2); an independent
follow-up check (followups()) asserts each case and --report prints the
expected status of every obligation per quarter.

The script also scores what it wrote with a small independent scorer (SPEC 2,
2.1) and asserts the deliberate cases (exact quota, one below, quota only by
double weight, the tie, the worked example of SPEC 2.1), so a change here
cannot silently lose one of them.  Python 3.11 standard library only.
"""

import argparse
import datetime as dt
import os
import random
import shutil
import sys
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
YEAR = 2017
SEED = "tongbao-samples-2017"

# ---------------------------------------------------------------------------
# Vocabularies (the shipped rules.xml, SPEC 3.2): used to make and to check
# the data, never read by the program from here.

K_DT, K_JY, K_KN, K_JJ, K_RC = "动态", "调研-典型经验", "调研-困难问题", "重要紧急", "日常"
WEIGHT = {K_DT: 1, K_JY: 1, K_KN: 2, K_JJ: 2, K_RC: 0}

POINTS = {
    "省厅门户网站": 3, "省厅工作简报": 5, "每日安全维稳信访情况": 5,
    "省厅领导批示": 10, "鄂司通报": 10,
    "司法部采用": 15, "省委采用": 15, "省政府采用": 15,
    "省委领导批示": 20, "司法部领导批示": 20, "省人大领导批示": 20,
    "省政府领导批示": 20, "省政协领导批示": 20,
    "中央采用": 25, "国务院采用": 25, "中央领导批示": 30,
}
# Aliases of carriers in the shipped rules.xml, used in a few Q3 rows.
CARRIER_ALIAS = {"省厅门户网站": "门户网站", "省厅工作简报": "工作简报",
                 "省厅领导批示": "厅领导批示"}

# Accepted mailboxes (Art 13) and the channels that do not count (Art 8).
CH_NORMAL = [("综合科、督办科", 40), ("sifatingzhk@163.com;hbssftdbk@163.com", 25),
             ("综合科;督办科", 12), ("sifatingzhk@163.com", 8), ("综合科", 6),
             ("hbssftdbk@163.com", 5), ("督办科", 4)]
CH_URGENT = [("维稳办", 30), ("sifatingbwk@163.com", 25),
             ("维稳办、综合科、督办科", 20), ("sifatingbwk@163.com;sifatingzhk@163.com", 15),
             ("电话、维稳办", 10)]
CH_NOT_ACCEPTED = ["电话", "传真", "短信", "电话、短信"]

CSV_SUB_CN = ["编号", "报送单位", "标题", "类别", "字数", "报送时间", "事发时间",
              "报送方式", "签发人", "作者", "督办编号"]
CSV_SUB_EN = ["id", "unit", "title", "type", "chars", "submitted", "event",
              "channel", "approver", "authors", "directive"]
CSV_ADO_CN = ["编号", "采用载体", "采用时间", "备注"]
CSV_ADO_EN = ["item", "carrier", "date", "note"]
SUB_KEYS = CSV_SUB_EN
ADO_KEYS = CSV_ADO_EN
CN_OF = dict(zip(CSV_SUB_EN, CSV_SUB_CN))
CN_OF.update(dict(zip(CSV_ADO_EN, CSV_ADO_CN)))

# Per quarter: file form, encoding, line end, header language, column order.
QUARTER_FORMS = {
    1: dict(form="csv", enc="utf-8", eol="\r\n", lang="cn",
            sub_cols=SUB_KEYS,
            ado_cols=ADO_KEYS),
    2: dict(form="csv", enc="gb18030", eol="\r\n", lang="en",
            sub_cols=["id", "submitted", "unit", "type", "title", "chars",
                      "channel", "approver", "authors", "event", "directive"],
            ado_cols=["item", "date", "carrier", "note"]),
    3: dict(form="csv", enc="utf-8-sig", eol="\n", lang="cn",
            sub_cols=["id", "submitted", "unit", "title", "type", "chars",
                      "authors", "approver", "channel", "event"],
            ado_cols=["date", "item", "carrier", "note"]),
    4: dict(form="xml"),
}

# ---------------------------------------------------------------------------
# Registry


class Unit:
    def __init__(self, idx, uid, name, aliases, gid, gname, quota):
        self.idx, self.id, self.name, self.aliases = idx, uid, name, aliases
        self.gid, self.gname, self.quota = gid, gname, quota
        self.profile = profile_of(name, gid)


def load_units(path):
    """Units of units.xml in document order (the registry order)."""
    root = ET.parse(path).getroot()
    units = []
    for g in root.findall("group"):
        for c in g.findall("category"):
            for u in c.findall("unit"):
                units.append(Unit(len(units), u.get("id"), u.get("name"),
                                  [a.text.strip() for a in u.findall("alias")],
                                  g.get("id"), g.get("name"), int(c.get("quota"))))
    return units


def profile_of(name, gid):
    """Which topic vocabulary a unit writes about (by its name and group)."""
    table = [("社矫", "corr"), ("法制宣传", "pufa"), ("律师公证", "lawyer"),
             ("法律援助", "aid"), ("基层工作", "bureau"), ("鉴定", "forensic"),
             ("法制处", "legal"), ("组织宣传", "party"), ("机关党委", "party"),
             ("警官职业学院", "college"), ("律师", "lawyer"), ("司法考试", "exam"),
             ("计划财务", "finance"), ("干部处", "cadre"), ("警务处", "police"),
             ("工会", "union"), ("离退休", "retiree"), ("服务中心", "service"),
             ("公证", "notary"), ("强戒所", "rehab"), ("戒毒", "rehab"),
             ("监狱", "prison"), ("基层法律服务所", "grass"), ("调解中心", "bureau")]
    for key, prof in table:
        if key in name:
            if prof == "service" and gid != "office":
                continue
            return prof
    return "bureau"


# ---------------------------------------------------------------------------
# Calendar of 2017 (State Council holiday notice): workdays for submissions.

HOLIDAYS = {(1, 1), (1, 2), (1, 27), (1, 28), (1, 29), (1, 30), (1, 31), (2, 1),
            (2, 2), (4, 2), (4, 3), (4, 4), (4, 29), (4, 30), (5, 1), (5, 28),
            (5, 29), (5, 30), (10, 1), (10, 2), (10, 3), (10, 4), (10, 5),
            (10, 6), (10, 7), (10, 8)}
MAKEUP = {(1, 22), (2, 4), (4, 1), (5, 27), (9, 30)}


def is_workday(d):
    md = (d.month, d.day)
    if md in MAKEUP:
        return True
    return d.weekday() < 5 and md not in HOLIDAYS


def quarter_bounds(q):
    start = dt.date(YEAR, 3 * q - 2, 1)
    end = dt.date(YEAR + 1, 1, 1) if q == 4 else dt.date(YEAR, 3 * q + 1, 1)
    return start, end - dt.timedelta(days=1)


def quarter_of(t):
    return (t.month - 1) // 3 + 1


def workdays(q):
    a, b = quarter_bounds(q)
    out = []
    while a <= b:
        if is_workday(a):
            out.append(a)
        a += dt.timedelta(days=1)
    return out


def next_workday(d):
    while not is_workday(d):
        d += dt.timedelta(days=1)
    return d


# ---------------------------------------------------------------------------
# Names: authors (信息员) and approvers (unit heads), unique across units.

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董"
            "袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏付方白邹孟熊"
            "秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万覃严向汤喻柯童舒涂艾")
GIVEN = ("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建国文辉力"
         "兵斌峰晶琳雪莉波宁鹏飞俊杰婷颖琴慧振东海林华亮志刚永红晓燕春梅新民"
         "德胜卫东爱华光明家豪子涵雨欣浩然思远宏伟立新学军丹凤剑锋小兰")


class NamePool:
    def __init__(self):
        self.rng = random.Random(SEED + "-names")
        self.used = set()   # membership only, never iterated

    def fresh(self):
        while True:
            s = self.rng.choice(SURNAMES)
            n = self.rng.choice(GIVEN)
            if self.rng.random() < 0.7:
                n += self.rng.choice(GIVEN)
            if n[0] == s or (len(n) == 2 and n[0] == n[1]):
                continue
            if s + n not in self.used:
                self.used.add(s + n)
                return s + n


# ---------------------------------------------------------------------------
# Title vocabulary.  "{u}" is the unit's name.

ADV = ["扎实", "全力", "多措并举", "积极", "创新举措", "强化措施", "高标准", "持续",
       "着力", "认真", "全面", "深入", "稳步", "大力"]

# profile -> (objects to 推进, activities to 开展)
TOPICS = {
    "bureau": (["社区矫正规范化建设", "公共法律服务体系建设", "司法所规范化建设",
                "人民调解组织网络建设", "“七五”普法规划实施", "法治乡村建设",
                "律师调解试点工作", "矛盾纠纷多元化解机制建设", "法律援助便民服务",
                "刑满释放人员安置帮教工作", "社区矫正信息化建设", "村（居）法律顾问全覆盖",
                "行业性专业性人民调解组织建设", "民主法治示范村（社区）创建",
                "公共法律服务实体平台建设", "“谁执法谁普法”普法责任制落实"],
               ["矛盾纠纷大排查大调处活动", "“法律进乡村”活动", "社区服刑人员集中教育",
                "法律援助惠民生活动", "基层司法所长业务培训", "安置帮教对象走访慰问",
                "“法润荆楚”普法宣传活动", "社区矫正执法检查", "人民调解员业务培训",
                "“法律六进”主题宣传", "社区服刑人员公益劳动", "重点人群排查管控"]),
    "corr": (["社区矫正规范化建设", "社区矫正信息化建设", "社区矫正中心建设",
              "社区服刑人员分类管理", "社区矫正执法规范化", "社会力量参与社区矫正"],
             ["社区矫正执法大检查", "社区服刑人员手机定位管理专项检查",
              "社区矫正工作人员培训", "社区服刑人员脱管漏管专项排查"]),
    "pufa": (["“七五”普法规划实施", "国家工作人员学法用法", "“谁执法谁普法”普法责任制",
              "法治文化阵地建设", "青少年法治教育", "新媒体普法"],
             ["“法润荆楚”普法宣传活动", "法治文艺汇演", "“12·4”国家宪法日宣传",
              "领导干部任前法律知识考试", "“法律进企业”活动"]),
    "lawyer": (["律师参与化解和代理涉法涉诉信访案件", "律师服务民营企业发展",
                "公益法律服务", "律师行业党建", "党政机关法律顾问工作",
                "律师调解工作", "律师执业权利保障"],
               ["“律师进社区”公益法律服务", "企业“法治体检”活动", "青年律师业务培训",
                "为困难群众免费法律咨询", "律师参与城市管理执法监督"]),
    "notary": (["公证便民利民服务", "公证质量监管", "“互联网+公证”服务",
                "公证参与司法辅助事务", "公证机构体制改革"],
               ["上门办证服务", "“公证进企业”活动", "公证员执业培训", "公证质量检查"]),
    "aid": (["法律援助便民服务", "农民工法律援助", "法律援助质量监管",
             "法律援助值班律师工作", "法律援助工作站建设"],
            ["法律援助进社区", "农民工讨薪维权专项行动", "残疾人法律援助专项活动",
             "法律援助案件质量评估"]),
    "forensic": (["司法鉴定执业规范化", "司法鉴定质量建设", "司法鉴定便民服务",
                  "司法鉴定信息化管理"],
                 ["司法鉴定能力验证", "医疗纠纷鉴定咨询", "鉴定人执业培训",
                  "司法鉴定执业检查"]),
    "grass": (["基层法律服务规范化", "法律服务进村入户", "人民调解与诉讼对接"],
              ["矛盾纠纷集中调处", "“法律咨询进村”活动", "普法宣传进集市"]),
    "prison": (["监管安全隐患排查整治", "罪犯教育改造质量提升", "狱务公开", "监狱信息化建设",
                "刑罚执行规范化", "警察队伍正规化建设", "罪犯心理矫治",
                "减刑假释案件办理规范化", "“智慧监狱”建设", "监狱企业安全生产"],
               ["监管安全大检查", "罪犯亲情帮教活动", "狱内“严打”整治专项行动",
                "新收罪犯入监教育", "警察实战化训练", "罪犯职业技能培训",
                "罪犯文化考试"]),
    "rehab": (["戒毒康复一体化建设", "强戒人员教育矫治", "戒毒场所安全管理",
               "全国统一的司法行政戒毒工作模式建设", "所外就医管理规范化", "戒毒医疗工作"],
              ["戒毒人员亲情帮教", "禁毒宣传进社区", "场所安全隐患排查", "戒毒人员职业技能培训",
               "“6·26”国际禁毒日宣传"]),
    "college": (["教学改革", "警务化管理", "司法行政干部培训", "校企合作"],
                ["司法行政干警轮训", "新生入学教育", "毕业生就业指导", "警务技能大比武"]),
    "party": (["基层党组织建设", "“两学一做”学习教育常态化制度化", "党风廉政建设",
               "机关作风建设", "司法行政队伍思想政治建设"],
              ["主题党日活动", "党支部书记培训", "警示教育", "“三会一课”督查"]),
    "legal": (["依法行政", "行政复议规范化", "规范性文件合法性审查", "权力清单和责任清单制度"],
              ["规范性文件清理", "行政执法案卷评查", "法律顾问制度落实检查"]),
    "exam": (["国家司法考试考务管理", "考务安全保密", "司法考试报名组织"],
             ["司法考试考务培训", "考点巡查", "报名现场确认"]),
    "finance": (["经费保障", "政法转移支付资金管理", "装备建设", "预算绩效管理"],
                ["财务专项检查", "国有资产清查", "装备配备调研"]),
    "cadre": (["干部选拔任用工作", "干部教育培训", "年轻干部培养"],
              ["干部人事档案专项审核", "领导干部个人有关事项报告抽查", "干部轮岗交流"]),
    "police": (["警务督察", "警衔管理", "执法执勤用车管理", "警察训练"],
               ["警务督察专项检查", "警容风纪检查", "警察体能测试"]),
    "union": (["困难职工帮扶", "女职工权益保护", "职工之家建设"],
              ["职工文体活动", "“送温暖”慰问活动", "职工健步走活动"]),
    "retiree": (["离退休干部服务管理", "离退休干部党建", "老干部精准服务"],
                ["老干部走访慰问", "老干部文体活动", "离退休干部情况通报会"]),
    "service": (["机关后勤保障", "公共机构节能", "机关食堂管理"],
                ["机关安全检查", "节能宣传周活动", "机关环境整治"]),
}
# Seasonal activities by quarter (2017).
SEASON = {
    1: ["春节前矛盾纠纷排查化解", "全国“两会”期间安保维稳", "“三八”妇女维权法律服务",
        "农民工讨薪法律援助“绿色通道”", "“3·15”消费维权法律咨询"],
    2: ["“4·15”全民国家安全教育日宣传", "“五一”期间安全稳定检查", "“6·26”国际禁毒日宣传",
        "汛前安全隐患排查", "高考期间法律服务"],
    3: ["汛期安全隐患排查", "防汛救灾法律服务", "党的十九大安保维稳准备",
        "“八一”双拥法律服务", "国家司法考试考务保障"],
    4: ["学习宣传贯彻党的十九大精神", "党的十九大期间安保维稳", "“12·4”国家宪法日宣传",
        "年终岗位目标考核", "冬季安全隐患排查"],
}
PROBLEMS = {
    "bureau": ["人民调解工作经费保障不足", "基层司法所人员力量薄弱", "社区矫正执法主体不明确",
               "社区服刑人员脱管漏管风险", "司法所办公用房不达标", "村（居）法律顾问补贴落实难",
               "安置帮教工作衔接不畅", "人民调解员队伍老化"],
    "corr": ["社区矫正执法主体不明确", "社区矫正专职队伍缺乏", "社区服刑人员教育帮扶资源不足"],
    "prison": ["监狱警力不足", "监狱老旧设施改造资金缺口", "老病残罪犯收治困难",
               "罪犯医疗费用负担过重", "监狱企业转型困难"],
    "rehab": ["强戒所收治病残吸毒人员困难", "戒毒人员出所后衔接帮扶机制不健全",
              "戒毒医疗资质与经费不足"],
    "lawyer": ["律师参与信访积极性不高", "律师执业权利保障不到位", "基层律师资源分布不均"],
    "notary": ["公证员队伍青黄不接", "公证机构改革后经费保障不足"],
    "aid": ["法律援助经费与案件增长不匹配", "法律援助办案补贴标准偏低"],
    "forensic": ["司法鉴定机构执业不规范", "司法鉴定收费标准滞后"],
    "grass": ["基层法律服务所生存困难", "基层法律服务工作者准入退出机制不健全"],
    "college": ["警官院校教官队伍结构不合理", "实训基地建设经费不足"],
}
PROBLEMS_OFFICE = ["基层信息员队伍不稳定", "机关信息化建设滞后", "基层经费保障不足"]
URGENT = {
    "bureau": ["{u}关于辖区一起土地征收纠纷引发群体性上访的报告",
               "{u}关于一名社区服刑人员脱管的紧急报告",
               "{u}关于社区服刑人员{x}某某涉嫌再犯罪被刑事拘留的报告",
               "{u}关于一起因医疗纠纷引发聚集事件的处置情况",
               "{u}关于一起农民工集体讨薪事件的处置情况"],
    "corr": ["{u}关于一名社区服刑人员手机定位异常的紧急报告"],
    "prison": ["{u}关于罪犯{x}某突发疾病经抢救无效死亡的报告",
               "{u}关于一名罪犯吞食异物的紧急报告", "{u}关于监区生产车间发生火情的报告",
               "{u}关于罪犯{x}某某自伤自残的紧急报告"],
    "rehab": ["{u}关于强戒人员{x}某突发疾病送医救治的报告",
              "{u}关于一名戒毒人员自伤的紧急报告"],
    "lawyer": ["{u}关于律师代理一起重大敏感案件的情况报告",
               "{u}关于律师参与处置一起突发群体性事件的报告"],
    "notary": ["{u}关于一起公证书被举报涉嫌虚假的情况报告"],
    "aid": ["{u}关于为一起重大劳资纠纷中农民工提供紧急法律援助的报告"],
    "forensic": ["{u}关于一起医疗纠纷死亡案件紧急鉴定的情况报告"],
    "grass": ["{u}关于一起山林权属纠纷激化的紧急报告"],
    "college": ["{u}关于一名学员训练中受伤送医的报告"],
    "exam": ["{u}关于国家司法考试考场发现疑似作弊设备的报告"],
}
URGENT_OFFICE = ["{u}关于机关办公楼突发停电的情况报告"]
URGENT_SEASON = {2: ["{u}关于暴雨致{t}司法所办公用房受损的报告"],
                 3: ["{u}关于暴雨洪灾致{t}群众被困开展法律服务的报告",
                     "{u}关于汛期{t}堤段险情的紧急报告"]}
TOWNS = ["城关镇", "新华镇", "马口镇", "白庙乡", "长岭镇", "杨林镇", "龙泉镇", "三河镇"]
DAILY = ["{u}主要负责同志出席全市政法工作会议", "{u}党组书记、局长参加市委中心组学习",
         "{u}召开2017年度工作会议", "{u}召开党组（扩大）会议传达全省司法行政工作会议精神",
         "{u}负责同志出席全省司法行政系统座谈会", "{u}召开{qn}工作讲评会",
         "{u}领导班子参加“两学一做”专题民主生活会", "{u}主要领导走访慰问困难党员"]
QN = {1: "一季度", 2: "二季度", 3: "三季度", 4: "四季度"}


def title_for(rng, unit, kind, q):
    """A realistic title for an item of `kind` by `unit` in quarter q."""
    u = unit.name
    objs, acts = TOPICS.get(unit.profile, TOPICS["bureau"])
    if kind == K_DT:
        r = rng.random()
        if r < 0.15:
            return f"{u}{rng.choice(ADV)}开展{rng.choice(SEASON[q])}"
        if r < 0.5:
            return f"{u}{rng.choice(ADV)}推进{rng.choice(objs)}"
        if r < 0.8:
            return f"{u}{rng.choice(ADV)}开展{rng.choice(acts)}"
        if r < 0.9:
            return f"{u}{rng.choice(objs)}取得新成效"
        return f"{u}“{rng.choice(['三个到位', '四个强化', '五个一', '两个全覆盖'])}”推进{rng.choice(objs)}"
    if kind == K_JY:
        o = rng.choice(objs)
        return rng.choice([f"{u}推进{o}的实践与思考", f"{u}关于{o}的经验做法",
                           f"探索{o}新路径——{u}的做法与启示", f"{u}{o}工作调研报告"])
    if kind == K_KN:
        p = rng.choice(PROBLEMS.get(unit.profile, PROBLEMS_OFFICE))
        return rng.choice([f"{u}关于{p}的调研", f"关于{p}问题的调研报告（{u}）",
                           f"{p}问题亟待解决——来自{u}的调研", f"{u}关于{p}的情况反映"])
    if kind == K_JJ:
        pool = list(URGENT.get(unit.profile, URGENT_OFFICE)) + URGENT_SEASON.get(q, [])
        return rng.choice(pool).format(u=u, x=rng.choice(SURNAMES), t=rng.choice(TOWNS))
    return rng.choice(DAILY).format(u=u, qn=QN[q])


def chars_for(rng, kind, outside=False):
    """字数 for a kind: inside its Art 3 range, or (outside=True) beyond it."""
    if kind == K_DT:
        return rng.randint(1050, 1600) if outside else rng.randint(260, 980)
    if kind in (K_JY, K_KN):
        if outside:
            return rng.choice([rng.randint(700, 980), rng.randint(3600, 5200)])
        return rng.randint(1200, 3400)
    if kind == K_JJ:
        return rng.randint(180, 900)
    return rng.randint(120, 480)


# ---------------------------------------------------------------------------
# Records


class Item:
    """One submission; `adopt` is a list of (carrier, datetime, note)."""

    def __init__(self, unit, kind, q):
        self.unit, self.kind, self.q = unit, kind, q
        self.id = None
        self.title = ""
        self.chars = 0
        self.sub = None          # datetime
        self.sub_fmt = "iso"     # iso | sec | slash | date
        self.event = None
        self.channel = ""
        self.approver = ""
        self.authors = []
        self.sep = "、"
        self.ref = unit.name     # how the ledger names the unit
        self.adopt = []
        self.random_adopt = True
        self.tag = None          # name of a deliberate case, for --report


def fmt_time(t, style):
    if style == "date":
        return f"{t:%Y-%m-%d}"
    if style == "sec":
        return f"{t:%Y-%m-%d %H:%M:%S}"
    if style == "slash":
        return f"{t.year}/{t.month}/{t.day} {t.hour}:{t.minute:02d}"
    return f"{t:%Y-%m-%d %H:%M}"


# ---------------------------------------------------------------------------
# The plan: how many items of which kinds each unit sends in each quarter.

# CASE: units with nothing submitted in a quarter (at least 2 a quarter).
NOTHING = {
    1: ["神农架林区司法局红坪司法所", "黄石市强戒所", "宜都明信法医司法鉴定所"],
    2: ["潜江市司法局园林司法所", "湖北军安司法鉴定中心"],
    3: ["神农架林区司法局红坪司法所", "黄石市强戒所", "厅离退休干部处"],
    4: ["宜都明信法医司法鉴定所", "天门市司法局竟陵司法所", "公安县公证处"],
}

# Deliberate Q1 cases, by canonical name.
AT_QUOTA = "黄石市司法局"          # effective exactly 24 = quota
ONE_BELOW = "十堰市司法局"         # effective 23 = quota - 1: base 0
BY_DOUBLE = "省戒毒局"             # 17 counted items, effective 20 = quota
TIE = ("湖北真武律师事务所", "湖北立丰律师事务所")   # 法律服务直报点, equal totals
WORKED = "宜昌市司法局"            # SPEC 2.1 worked example
PHONE_ADOPTED = "襄阳市司法局"     # channel 电话, adopted by the portal
NOSIGN_ADOPTED = "荆州市司法局"    # no 签发人, adopted
DAILY_ADOPTED = "武汉市司法局"     # 日常, adopted
SPECIAL_Q1 = {AT_QUOTA, ONE_BELOW, BY_DOUBLE, TIE[0], TIE[1]}


def diligence(unit):
    """A unit's habit, stable over the year: 'high', 'near' or 'low'."""
    r = random.Random(f"{SEED}-habit-{unit.name}").random()
    if unit.gid.startswith("point-"):
        return "high" if r < 0.08 else "near" if r < 0.45 else "low"
    if unit.gid == "office":
        return "high" if r < 0.15 else "near" if r < 0.8 else "low"
    return "high" if r < 0.25 else "near" if r < 0.92 else "low"


def n_items(rng, unit):
    h, qt = diligence(unit), unit.quota
    if h == "high":
        return int(qt * rng.uniform(1.3, 2.0))
    if h == "near":
        return max(1, qt + rng.randint(-3, 3))
    return max(1, int(qt * rng.uniform(0.25, 0.8)))


def kind_mix(unit):
    """Kind weights for a unit's ordinary items: (kind, weight) pairs."""
    urgent = {"prison": 10, "rehab": 9, "bureau": 6, "corr": 6}.get(unit.profile, 2)
    research = 16 if unit.gid in ("city", "direct", "bureau", "office") else 9
    return [(K_DT, 78 - urgent - research), (K_JY, research * 0.6), (K_KN, research * 0.4),
            (K_JJ, urgent), (K_RC, 6)]


def pick(rng, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


class Maker:
    """Builds the items of one unit in one quarter."""

    def __init__(self, unit, q, people):
        self.unit, self.q = unit, q
        self.rng = random.Random(f"{SEED}-{q}-{unit.name}")
        self.authors, self.heads = people[unit.idx]
        self.days = workdays(q)
        self.titles = set()   # membership only

    def sub_time(self):
        rng = self.rng
        # Items cluster towards the end of each month and of the quarter.
        d = rng.choice(self.days)
        if rng.random() < 0.3:
            late = [x for x in self.days if x.day >= 18]
            d = rng.choice(late)
        if rng.random() < 0.1:
            h, m = rng.randint(18, 21), rng.randint(0, 59)
        else:
            h, m = rng.randint(8, 17), rng.randint(0, 59)
            if h == 8 and m < 30:
                m += 30
        return dt.datetime(d.year, d.month, d.day, h, m, rng.choice([0, 0, 0, 15, 30, 45]))

    def item(self, kind, **over):
        rng, u = self.rng, self.unit
        it = Item(u, kind, self.q)
        for _ in range(20):
            it.title = title_for(rng, u, kind, self.q)
            if it.title not in self.titles:
                break
        self.titles.add(it.title)
        # Art 3: about 1.5 % of items have a length outside their kind's range.
        it.chars = chars_for(rng, kind, outside=rng.random() < 0.015)
        it.sub = self.sub_time()
        r = rng.random()
        it.sub_fmt = "iso" if r < 0.74 else "slash" if r < 0.86 else "sec" if r < 0.95 else "date"
        if kind == K_JJ:
            # Urgent: submitted minutes after the event, almost always within
            # two hours; 12 % leave the event time empty; 4 % are late.
            a, b = quarter_bounds(self.q)
            day = a + dt.timedelta(days=rng.randint(0, (b - a).days - 2))
            ev = dt.datetime(day.year, day.month, day.day, rng.randint(0, 23), rng.randint(0, 59))
            delay = rng.randint(15, 115) if rng.random() >= 0.04 else rng.randint(150, 600)
            it.sub = ev + dt.timedelta(minutes=delay)
            it.event = None if rng.random() < 0.12 else ev
            it.sub_fmt = "iso" if rng.random() < 0.8 else "slash"
            it.channel = pick(rng, CH_URGENT)
        else:
            it.channel = pick(rng, CH_NORMAL)
        if rng.random() < 0.025:          # Art 8: not an accepted mailbox
            it.channel = rng.choice(CH_NOT_ACCEPTED)
        it.approver = "" if rng.random() < 0.015 else rng.choice(self.heads)   # Art 11
        k = pick(rng, [(1, 50), (2, 35), (3, 15)])
        it.authors = rng.sample(self.authors, min(k, len(self.authors)))
        it.sep = "、" if rng.random() < 0.85 else ";"
        for key, val in over.items():
            setattr(it, key, val)
        return it

    def at(self, month, day, hour, minute):
        return dt.datetime(YEAR, month, day, hour, minute)


def clean(m, kind, **over):
    """An item that surely counts: accepted mailbox, signed, length in range."""
    base = dict(channel="综合科、督办科", approver=m.heads[0],
                chars=chars_for(m.rng, kind))
    if kind == K_JJ:
        base["channel"] = "维稳办"
    base.update(over)
    return m.item(kind, **base)


def plan_unit(unit, q, people):
    """The items of `unit` in quarter q (deliberate cases first, then the rest)."""
    m = Maker(unit, q, people)
    if unit.name in NOTHING[q]:
        return []
    items = []
    name = unit.name
    if q == 1 and name in SPECIAL_Q1:
        # No random adoptions in Q1 for these: their totals are designed.
        if name == AT_QUOTA:
            # CASE: exactly at quota: 18x1 + 1 重要紧急 (2) + 2 典型经验 + 1 困难问题 (2)
            # = 24, plus a 日常 item and a 传真 item that do not count.
            kinds = [K_DT] * 18 + [K_JJ, K_JY, K_JY, K_KN]
            items = [clean(m, k) for k in kinds]
            items.append(m.item(K_RC, approver=m.heads[0]))
            items.append(clean(m, K_DT, channel="传真"))
        elif name == ONE_BELOW:
            # CASE: one below quota: 21 + 1 困难问题 (2) = 23; a 24th item
            # without 签发人 would have reached it but does not count.
            items = [clean(m, K_DT) for _ in range(21)] + [clean(m, K_KN)]
            items.append(clean(m, K_DT, approver=""))
        elif name == BY_DOUBLE:
            # CASE: quota only through double weight: 14 动态 + 2 困难问题 +
            # 1 重要紧急 = 17 counted items, effective 20 = quota.
            kinds = [K_DT] * 14 + [K_KN, K_KN, K_JJ]
            items = [clean(m, k) for k in kinds]
        elif name == TIE[0]:
            # CASE: tie (1/2): 12 动态, effective 12, + 工作简报 (5) + 门户网站 (3) in Q1.
            items = [clean(m, K_DT) for _ in range(12)]
            items[2].adopt = [("省厅工作简报", None, None)]
            items[7].adopt = [("省厅门户网站", None, None)]
        elif name == TIE[1]:
            # CASE: tie (2/2): 10 动态 + 1 困难问题 = effective 12 by another
            # mix, + one 省厅门户网站 (3) and one 省厅工作简报 (5) in Q1; total 68.
            items = [clean(m, K_DT) for _ in range(10)] + [clean(m, K_KN)]
            items[10].adopt = [("省厅工作简报", None, None)]
            items[4].adopt = [("省厅门户网站", None, None)]
            items.append(clean(m, K_DT, channel="短信"))   # not counted
        for it in items:
            it.random_adopt = False
            while it.sub > dt.datetime(YEAR, 3, 20, 18, 0):   # Q1 adoptions fit
                it.sub -= dt.timedelta(days=14)
            if it.kind == K_JJ:
                it.event = it.sub - dt.timedelta(minutes=50)
            it.tag = it.tag or {AT_QUOTA: "at-quota", ONE_BELOW: "one-below",
                                BY_DOUBLE: "double-weight", TIE[0]: "tie",
                                TIE[1]: "tie"}[name]
        return items

    n = n_items(m.rng, unit)
    mix = kind_mix(unit)
    items = [m.item(pick(m.rng, mix)) for _ in range(n)]

    if q == 1 and name == WORKED:
        # CASE: SPEC 2.1 worked example: submitted in Q1, adopted by the
        # portal in Q1 (3), by 司法部采用 in Q2 (15), by 工作简报 in Q2 (5):
        # Q1 +3, Q2 +12, year 15.
        it = clean(m, K_JY, title="宜昌市司法局推进“互联网+公共法律服务”平台建设的实践与思考",
                   sub=m.at(3, 10, 10, 12), sub_fmt="iso", chars=2860,
                   authors=m.authors[:2], tag="worked-example")
        it.random_adopt = False
        it.adopt = [("省厅门户网站", dt.datetime(YEAR, 3, 14), None),
                    ("司法部采用", dt.datetime(YEAR, 4, 20), "司法部《司法行政工作简报》第36期"),
                    ("省厅工作简报", dt.datetime(YEAR, 5, 8), "2017年第18期")]
        items.append(it)
    if q == 1 and name == PHONE_ADOPTED:
        # CASE: excluded by channel (电话) yet adopted by the portal.
        it = clean(m, K_DT, channel="电话", sub=m.at(2, 15, 16, 40), tag="phone-adopted",
                   title="襄阳市司法局成功调处一起涉及百余名农民工的欠薪纠纷")
        it.random_adopt = False
        it.adopt = [("省厅门户网站", dt.datetime(YEAR, 2, 17), "“基层动态”栏目")]
        items.append(it)
    if q == 1 and name == NOSIGN_ADOPTED:
        # CASE: no 签发人 (not counted) yet adopted by 省厅工作简报.
        it = clean(m, K_JY, approver="", sub=m.at(1, 12, 9, 5), tag="unsigned-adopted",
                   title="荆州市司法局以“法律诊所”模式推动公共法律服务进村入户")
        it.random_adopt = False
        it.adopt = [("省厅工作简报", dt.datetime(YEAR, 1, 20), "2017年第3期")]
        items.append(it)
    if q == 1 and name == DAILY_ADOPTED:
        # CASE: a 日常 item (never counted) adopted by the portal.
        it = clean(m, K_RC, sub=m.at(1, 6, 11, 20), tag="daily-adopted", chars=320,
                   title="武汉市司法局召开2017年全市司法行政工作会议")
        it.random_adopt = False
        it.adopt = [("省厅门户网站", dt.datetime(YEAR, 1, 9), None)]
        items.append(it)
        # CASE: HTML escaping: script markup, ampersand and double quotes.
        items.append(clean(m, K_DT, sub=m.at(2, 22, 15, 3), tag="script-title",
                           title='武汉市司法局门户网站拦截<script>alert(1)</script> & "引号"等恶意代码注入'))
        # CASE: a quoted multi-line title with commas and double quotes.
        items.append(clean(m, K_DT, sub=m.at(3, 2, 10, 45), tag="multiline-title",
                           title='武汉市司法局开展"法律进万家"活动,受益群众逾万人\n'
                                 '——江岸、江汉、硚口三区同步启动,"一村一法律顾问"全覆盖'))
    if q == 1 and name == "鄂州市司法局":
        # CASE: a title with <b> markup.
        items.append(clean(m, K_DT, sub=m.at(3, 8, 9, 50), tag="b-title",
                           title="鄂州市司法局<b>全面推行</b>“谁执法谁普法”普法责任制"))
    if q == 1 and name == "省监狱局":
        # CASE: 重要紧急 timeliness: 45 min (in time), exactly 120 min (in
        # time: late means more than 2 h), no event time (not judged).
        for t, d, tag in ((m.at(1, 16, 3, 10), 45, "urgent-45min"),
                          (m.at(2, 9, 14, 0), 120, "urgent-120min"),
                          (m.at(3, 3, 22, 30), None, "urgent-no-event")):
            it = clean(m, K_JJ, sub=t, tag=tag, sub_fmt="iso")
            it.event = None if d is None else t - dt.timedelta(minutes=d)
            items.append(it)
    if q == 1 and name == "孝感市司法局":
        # CASE: 迟报 by one minute: event 121 min before submission.
        t = m.at(2, 21, 19, 1)
        items.append(clean(m, K_JJ, sub=t, event=t - dt.timedelta(minutes=121),
                           tag="urgent-121min-late", sub_fmt="slash"))
    if q == 1 and name == "省沙洋广华监狱":
        # CASE: 迟报 by hours (event the night before), channel by phone and mailbox.
        t = m.at(3, 14, 9, 20)
        items.append(clean(m, K_JJ, sub=t, event=t - dt.timedelta(minutes=375),
                           channel="电话、维稳办", tag="urgent-late-6h"))
    if q == 1 and name == "咸宁市司法局":
        # CASE: Art 3 boundaries: 动态 exactly 1000 (fine), 1001 (warning),
        # 调研 exactly 1000 and 3500 (fine), 999 and 3501 (warnings).
        for k, c in ((K_DT, 1000), (K_DT, 1001), (K_JY, 1000), (K_KN, 3500),
                     (K_JY, 999), (K_JY, 3501)):
            items.append(clean(m, k, chars=c, tag=f"chars-{c}"))
    if q == 1 and name == "随州市司法局":
        # CASE: a channel naming an accepted mailbox in another letter case.
        items.append(clean(m, K_DT, channel="SifaTingZHK@163.com", tag="mailbox-case"))
    if q == 4 and name == "武汉市司法局":
        # CASE: markup in the XML quarter too (escaped by the writer).
        items.append(clean(m, K_DT, tag="script-title-xml",
                           title='武汉市司法局回应网民关于<script>alert(1)</script> & "引号"的留言'))
    return items


# ---------------------------------------------------------------------------
# How each row names its unit (SPEC 2.3).

def unit_ref(rng, it, q, pos):
    """The text a ledger row uses to name it.unit (pos: row number in the unit)."""
    u = it.unit
    fw = u.name.replace("(", "（").replace(")", "）")
    if fw != u.name and pos % 2 == 1:
        # CASE: full-width parentheses (厅政治（警务）部组织宣传处, 北京盈科（武汉）律师事务所).
        return fw
    alias_by_name = {"恩施州司法局": "恩施土家族苗族自治州司法局",
                     "省监狱局": "湖北省监狱管理局", "省社矫局": "省社区矫正管理局",
                     "天门市司法局高新园司法分局": "高新园司法分局"}
    if u.name in alias_by_name and pos % 3 != 0:
        # CASE: a unit named by an alias of units.xml.
        a = alias_by_name[u.name]
        assert a in u.aliases, f"{a} is not an alias of {u.name} in units.xml"
        return a
    if u.name == "潜江市司法局" and q == 2:
        return u.id                   # CASE: a unit named by its id (a whole quarter)
    r = rng.random()
    if r < 0.02:
        return u.id                   # CASE: by id, here and there
    if r < 0.03:
        return f" {u.name} "          # CASE: surrounding spaces
    return u.name


def fullwidth(s):
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s)


# ---------------------------------------------------------------------------
# Adoptions

CARRIER_MIX = {
    K_DT: [("省厅门户网站", 66), ("省厅工作简报", 22), ("鄂司通报", 4), ("省厅领导批示", 4),
           ("司法部采用", 2), ("省委采用", 1), ("省政府采用", 1)],
    "research": [("省厅工作简报", 30), ("省厅领导批示", 20), ("鄂司通报", 15),
                 ("省厅门户网站", 10), ("司法部采用", 9), ("省委采用", 4), ("省政府采用", 4),
                 ("省委领导批示", 2.5), ("省政府领导批示", 1.5), ("司法部领导批示", 1.5),
                 ("省人大领导批示", 0.7), ("省政协领导批示", 0.7), ("中央采用", 0.5),
                 ("国务院采用", 0.3), ("中央领导批示", 0.3)],
    K_JJ: [("每日安全维稳信访情况", 70), ("省厅领导批示", 22), ("省委领导批示", 4),
           ("省政府领导批示", 4)],
    K_RC: [("省厅门户网站", 1)],
}
ADOPT_P = {K_DT: 0.14, K_JY: 0.42, K_KN: 0.48, K_JJ: 0.32, K_RC: 0.03}
LAG = {"省厅门户网站": (1, 6), "省厅工作简报": (4, 25), "每日安全维稳信访情况": (1, 2),
       "省厅领导批示": (2, 15), "鄂司通报": (7, 35)}
LEADERS = ["厅主要领导", "分管副厅长", "厅党委书记", "厅长"]


def note_for(rng, carrier, d):
    n = rng.randint(1, 48)
    table = {
        "省厅门户网站": None if rng.random() < 0.5 else rng.choice(["“工作动态”栏目", "“基层动态”栏目"]),
        "省厅工作简报": f"{d.year}年第{n}期",
        "每日安全维稳信访情况": f"第{d.timetuple().tm_yday}期",
        "鄂司通报": f"第{rng.randint(1, 24)}期",
        "省厅领导批示": f"{rng.choice(LEADERS)}批示",
        "司法部采用": f"司法部《司法行政工作简报》第{n}期",
        "省委采用": f"省委办公厅《湖北信息》第{n}期",
        "省政府采用": f"省政府办公厅《政务要情》第{n}期",
        "中央采用": f"中办信息综合室采用,第{n}期",
        "国务院采用": f"国办《政务信息》第{n}期",
    }
    if carrier in table:
        return table[carrier]
    return f"{carrier.replace('批示', '')}同志批示"


def random_adoptions(items, year_end):
    """Adds adoptions to items left to chance.  Dates fall on workdays after
    the submission day; an adoption after the year end is dropped."""
    for it in items:
        if not it.random_adopt:
            continue
        rng = random.Random(f"{SEED}-adopt-{it.id}")
        if rng.random() >= ADOPT_P[it.kind]:
            continue
        key = "research" if it.kind in (K_JY, K_KN) else it.kind
        first = pick(rng, CARRIER_MIX[key])
        chain = [first]
        if rng.random() < 0.2:
            # A second carrier, now and then lower than the first (not cumulative).
            chain.append(pick(rng, CARRIER_MIX["research" if key != K_JJ else K_JJ]))
        day = it.sub.date()
        for c in chain:
            lo, hi = LAG.get(c, (10, 45))
            day = next_workday(day + dt.timedelta(days=rng.randint(lo, hi)))
            if day > year_end:
                break
            it.adopt.append((c, dt.datetime(day.year, day.month, day.day), None))


def fix_adoptions(items):
    """Turns planned adoptions into dated rows: (item, carrier, datetime, note, fmt)."""
    rows = []
    for it in items:
        rng = random.Random(f"{SEED}-note-{it.id}")
        day = it.sub.date()
        for c, when, note in it.adopt:
            if when is None:                     # planned without a date
                day = next_workday(day + dt.timedelta(days=rng.randint(2, 6)))
                when = dt.datetime(day.year, day.month, day.day)
            if note is None:
                note = note_for(rng, c, when) or ""
            r = rng.random()
            if r < 0.12:
                when = when.replace(hour=rng.randint(9, 17), minute=rng.randint(0, 59))
                fmt = "slash" if r < 0.06 else "iso"
            else:
                fmt = "date"
            assert when.date() > it.sub.date(), (it.id, c)
            rows.append((it, c, when, note, fmt))
    rows.sort(key=lambda r: (r[2], r[0].id, POINTS[r[1]]))
    return rows


# ---------------------------------------------------------------------------
# Writers

def csv_field(s):
    if s != s.strip() or any(ch in s for ch in ',"\r\n'):
        return '"' + s.replace('"', '""') + '"'
    return s


def sub_values(it):
    return {
        "id": it.id, "unit": it.ref, "title": it.title, "type": it.kind,
        "chars": str(it.chars), "submitted": fmt_time(it.sub, it.sub_fmt),
        "event": "" if it.event is None else fmt_time(it.event, it.sub_fmt if it.sub_fmt != "date" else "iso"),
        "channel": it.channel, "approver": it.approver,
        "authors": it.sep.join(it.authors), "directive": getattr(it, "directive", ""),
    }


def write_csv(path, cols, lang, rows, enc, eol):
    # Records end with `eol`; a line break inside a quoted field stays LF,
    # as Excel writes in-cell line breaks.
    head = [CN_OF[c] if lang == "cn" else c for c in cols]
    lines = [",".join(head)]
    for r in rows:
        lines.append(",".join(csv_field(r[c]) for c in cols))
    data = eol.join(lines) + eol
    with open(path, "wb") as f:
        f.write(data.encode(enc))


def write_xml(path, root, rec, cols, rows):
    """One element per field; a None value leaves the element out, "" makes
    it empty (the same thing to the reader, both forms are exercised)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f"<!-- 2017Q4 {root}: written by samples/generate.py -->", f"<{root}>"]
    for r in rows:
        out.append(f"  <{rec}>")
        for c in cols:
            v = r[c]
            if v is None:
                continue
            out.append(f"    <{c}>{escape(v)}</{c}>" if v != "" else f"    <{c}/>")
        out.append(f"  </{rec}>")
    out.append(f"</{root}>")
    with open(path, "wb") as f:
        f.write(("\n".join(out) + "\n").encode("utf-8"))


def ado_values(row, q):
    it, c, when, note, fmt = row
    carrier = c
    if q == 3 and c in CARRIER_ALIAS and it.id.endswith(("3", "7")):
        carrier = CARRIER_ALIAS[c]                  # CASE: carrier named by an alias
    return {"item": it.id, "carrier": carrier, "date": fmt_time(when, fmt), "note": note}


def write_quarter(folder, q, items, adoptions):
    os.makedirs(folder, exist_ok=True)
    form = QUARTER_FORMS[q]
    for stale in ("submissions.csv", "submissions.xml", "adoptions.csv", "adoptions.xml",
                  "directives.csv", "directives.xml"):
        p = os.path.join(folder, stale)
        if os.path.exists(p):
            os.remove(p)
    subs = [sub_values(it) for it in items]
    ados = [ado_values(r, q) for r in adoptions]
    if form["form"] == "xml":
        # Q4: directive only where an item follows one up; event only for
        # 重要紧急 (empty element when unknown); approver an empty element
        # when missing.
        cols = ["id", "unit", "title", "type", "chars", "submitted", "event",
                "channel", "approver", "authors", "directive"]
        for it, s in zip(items, subs):
            if it.kind != K_JJ:
                s["event"] = None          # urgent items with no event keep <event/>
            if s["directive"] == "":
                s["directive"] = None
        for a in ados:
            if a["note"] == "":
                a["note"] = None
        write_xml(os.path.join(folder, "submissions.xml"), "submissions", "submission",
                  cols, subs)
        write_xml(os.path.join(folder, "adoptions.xml"), "adoptions", "adoption",
                  ADO_KEYS, ados)
        return
    write_csv(os.path.join(folder, "submissions.csv"), form["sub_cols"], form["lang"],
              subs, form["enc"], form["eol"])
    write_csv(os.path.join(folder, "adoptions.csv"), form["ado_cols"], form["lang"],
              ados, form["enc"], form["eol"])


# ---------------------------------------------------------------------------
# Directives (Art 4) and the submissions that follow them up.

PLAN_DAYS, PROGRESS_DAYS, PERIOD_DAYS = 7, 60, 90    # rules.xml <followup>
LINKABLE = (1, 2, 4)      # quarters whose ledgers carry 督办编号 (Q3 has no column)

# Per directive: id, folder quarter, 事项, 下达时间 (as written), long-running,
# the groups its responsible units come from, how its reports are titled
# (plan, progress, periodic; {u} is the unit), and its cases.  A case is a
# name and the reports the unit makes: (report, first day, last day) as
# days after the issue day, inclusive; each report is the unit's first
# 动态 item in that window after the previous report.  "silent" makes none.
DIRECTIVES = [
    dict(id="DB-2017-01", q=1, issued="2017-01-10", long=False,
         title="学习贯彻全省司法行政工作会议精神", groups=("city",),
         titles=("{u}传达学习全省司法行政工作会议精神并研究部署贯彻落实工作",
                 "{u}贯彻落实全省司法行政工作会议精神情况报告", None),
         cases=[("on-the-day", [("plan", 7, 7), ("progress", 8, 60)]),
                ("on-time", [("plan", 0, 6), ("progress", 8, 60)]),
                ("plan-a-day-late", [("plan", 8, 8), ("progress", 9, 60)]),
                ("progress-late-in-q2", [("plan", 0, 7), ("progress", 81, 120)]),
                ("no-progress", [("plan", 0, 7)]),
                ("silent", [])]),
    dict(id="DB-2017-02", q=1, issued="2017-02-27 16:30", long=False,
         title="落实厅领导关于做好全国“两会”期间监所安全稳定工作的批示",
         groups=("bureau", "point-prison"),
         titles=("{u}传达学习厅领导批示精神并部署“两会”期间监所安全稳定工作",
                 "{u}落实厅领导批示做好“两会”期间监所安全稳定工作情况报告", None),
         cases=[("on-time", [("plan", 0, 7), ("progress", 8, 60)]),
                ("progress-late", [("plan", 0, 7), ("progress", 61, 110)]),
                ("plan-late", [("plan", 8, 30)]),
                ("silent", [])]),
    dict(id="DB-2017-03", q=1, issued="2017-03-01", long=True,
         title="推进公共法律服务体系建设（厅党委会议纪要〔2017〕3号）",
         groups=("direct", "city"),
         titles=("{u}传达学习厅党委会议精神并制定公共法律服务体系建设实施方案",
                 "{u}推进公共法律服务体系建设工作情况报告",
                 "{u}推进公共法律服务体系建设阶段性进展情况"),
         cases=[("all-on-time", [("plan", 0, 7), ("progress", 8, 60), ("period", 61, 150),
                                 ("period", 151, 240), ("period", 241, 305)]),
                ("missed-period-2", [("plan", 0, 7), ("progress", 8, 60),
                                     ("period", 61, 150), ("period", 241, 305)]),
                ("stopped-after-progress", [("plan", 0, 7), ("progress", 8, 60)])]),
    dict(id="DB-2017-04", q=2, issued="2017/5/8", long=False,
         title="学习贯彻省第十一次党代会精神", groups=("office",),
         titles=("{u}传达学习省第十一次党代会精神并研究贯彻落实措施",
                 "{u}学习贯彻省第十一次党代会精神情况报告", None),
         cases=[("on-time", [("plan", 0, 7), ("progress", 8, 60)]),
                ("no-progress", [("plan", 0, 7)]),
                ("silent", [])]),
    dict(id="DB-2017-05", q=4, issued="2017-10-30", long=False,
         title="学习宣传贯彻党的十九大精神", groups=("city",),
         titles=("{u}传达学习党的十九大精神并制定学习宣传贯彻工作方案",
                 "{u}学习宣传贯彻党的十九大精神工作情况报告", None),
         cases=[("on-the-day", [("plan", 7, 7), ("progress", 8, 60)]),
                ("no-progress", [("plan", 0, 7)]),
                ("silent", [])]),
]


def parse_issued(s):
    for f in ("%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y/%m/%d"):
        try:
            return dt.datetime.strptime(s, f)
        except ValueError:
            pass
    raise ValueError(s)


def link_directives(units, quarters):
    """Chooses the responsible units of each directive and links (and
    retitles) their reports.  Returns the directives with .units (registry
    order) and .cases {unit name: case}."""
    mine = {}
    for q in LINKABLE:
        for it in quarters[q]:
            if it.kind == K_DT and it.tag is None:
                mine.setdefault(it.unit.idx, []).append(it)
    taken = set()             # id() of linked items (membership only)
    out = []
    for spec in DIRECTIVES:
        d = dict(spec)
        t = parse_issued(d["issued"])
        d["time"] = t
        pool = [u for u in units if u.gid in d["groups"]]
        pool.sort(key=lambda u: (d["groups"].index(u.gid), u.idx))
        chosen, cases = [], {}
        for name, reports in d["cases"]:
            if not reports:
                # CASE: a silent unit; one that sent nothing at all this quarter when there is one
                cands = [u for u in pool if u not in chosen and u.name in NOTHING[d["q"]]]
                cands += [u for u in pool if u not in chosen and u not in cands]
                chosen.append(cands[0])
                cases[cands[0].name] = (name, [])
                continue
            for u in pool:
                if u in chosen:
                    continue
                picked, last = [], t
                for rep, lo, hi in reports:
                    hit = None
                    for it in mine.get(u.idx, []):
                        off = (it.sub.date() - t.date()).days
                        if (id(it) not in taken and lo <= off <= hi and it.sub >= t
                                and it.sub > last and all(it is not p for _, p in picked)):
                            hit = it
                            break
                    if hit is None:
                        break
                    picked.append((rep, hit))
                    last = hit.sub
                if len(picked) == len(reports):
                    break
            else:
                raise AssertionError(f"{d['id']}: no unit for case {name}")
            chosen.append(u)
            cases[u.name] = (name, [it for _, it in picked])
            n = 0
            for rep, it in picked:
                taken.add(id(it))
                it.directive = d["id"]
                tpl = d["titles"][{"plan": 0, "progress": 1, "period": 2}[rep]]
                it.title = tpl.format(u=u.name)
                if rep == "period":
                    n += 1
                    it.title += f"（第{n}期）"
        d["units"] = sorted(chosen, key=lambda u: u.idx)
        d["cases"] = cases
        out.append(d)
    for it in quarters[3]:
        assert not getattr(it, "directive", ""), "Q3 has no 督办编号 column"
    return out


def followups(directives, quarters, q):
    """An independent reading of Art 4 (the rules of gen/score/followup.h): every
    obligation as of the end of quarter q, as tuples (directive, unit,
    obligation, period, deadline, item or None, status, listed)."""
    qstart, qlast = quarter_bounds(q)
    qend = dt.datetime(qlast.year, qlast.month, qlast.day) + dt.timedelta(days=1)
    out = []
    for d in directives:
        t = d["time"]
        if t >= qend:
            continue
        for u in d["units"]:
            linked = sorted((it for k in quarters if k <= q for it in quarters[k]
                             if it.unit is u and getattr(it, "directive", "") == d["id"]
                             and it.sub >= t), key=lambda it: it.sub)
            used = set()
            rows = []

            def settle(kind, n, deadline, it, window=None):
                if it is not None:
                    used.add(it.id)
                    st = "on_time" if it.sub.date() <= deadline else "late"
                else:
                    st = "overdue" if deadline <= qlast else "pending"
                rows.append([d["id"], u, kind, n, deadline, it, st])

            day = t.date()
            plan = linked[0] if linked else None
            prog = linked[1] if len(linked) > 1 else None
            settle("plan", 0, day + dt.timedelta(days=PLAN_DAYS), plan)
            settle("progress", 0, day + dt.timedelta(days=PROGRESS_DAYS), prog)
            if d["long"]:
                p = day + dt.timedelta(days=PROGRESS_DAYS)
                n = 1
                while p + dt.timedelta(days=(n - 1) * PERIOD_DAYS + 1) <= qlast:
                    lo = p + dt.timedelta(days=(n - 1) * PERIOD_DAYS + 1)
                    hi = p + dt.timedelta(days=n * PERIOD_DAYS)
                    hit = next((it for it in linked if it.id not in used
                                and lo <= it.sub.date() <= hi), None)
                    settle("periodic", n, hi, hit)
                    n += 1
            for r in rows:
                it = r[5]
                listed = (r[4] >= qstart or r[6] == "overdue"
                          or (it is not None and it.sub.date() >= qstart))
                out.append(tuple(r) + (listed,))
    return out


# Deliberate follow-up cases: (directive, case, quarter, obligation, period, status).
FOLLOWUP_CASES = [
    ("DB-2017-01", "on-the-day", 1, "plan", 0, "on_time"),
    ("DB-2017-01", "plan-a-day-late", 1, "plan", 0, "late"),
    ("DB-2017-01", "progress-late-in-q2", 1, "progress", 0, "overdue"),
    ("DB-2017-01", "progress-late-in-q2", 2, "progress", 0, "late"),
    ("DB-2017-01", "no-progress", 1, "progress", 0, "overdue"),
    ("DB-2017-01", "silent", 1, "plan", 0, "overdue"),
    ("DB-2017-02", "plan-late", 1, "progress", 0, "pending"),
    ("DB-2017-02", "plan-late", 2, "progress", 0, "overdue"),
    ("DB-2017-02", "progress-late", 2, "progress", 0, "late"),
    ("DB-2017-03", "all-on-time", 3, "periodic", 2, "pending"),
    ("DB-2017-03", "all-on-time", 4, "periodic", 2, "on_time"),
    ("DB-2017-03", "missed-period-2", 4, "periodic", 2, "overdue"),
    ("DB-2017-03", "missed-period-2", 4, "periodic", 3, "on_time"),
    ("DB-2017-03", "stopped-after-progress", 3, "periodic", 1, "overdue"),
    ("DB-2017-04", "no-progress", 2, "progress", 0, "pending"),
    ("DB-2017-04", "no-progress", 3, "progress", 0, "overdue"),
    ("DB-2017-05", "on-the-day", 4, "progress", 0, "on_time"),
    ("DB-2017-05", "no-progress", 4, "progress", 0, "overdue"),
]


def check_followups(directives, quarters):
    by = {d["id"]: d for d in directives}
    for did, case, q, kind, n, status in FOLLOWUP_CASES:
        d = by[did]
        unit = [u for u in d["units"] if d["cases"][u.name][0] == case][0]
        got = [r[6] for r in followups(directives, quarters, q)
               if r[0] == did and r[1] is unit and r[2] == kind and r[3] == n]
        assert got == [status], (did, case, q, kind, n, got)
    # the Q1 notice names overdue units
    assert any(r[6] == "overdue" and r[7] for r in followups(directives, quarters, 1))


def write_directives(folder, q, directives):
    mine = [d for d in directives if d["q"] == q]
    if not mine:
        return
    rows = []
    aliased = q != 1
    for d in mine:
        names = []
        for u in d["units"]:
            if not aliased and u.aliases:
                # CASE: a responsible unit named by an alias of units.xml (Q1, once)
                names.append(u.aliases[0])
                aliased = True
            else:
                names.append(u.name)
        rows.append({"id": d["id"], "title": d["title"], "issued": d["issued"],
                     "units": "、".join(names), "long_running": "是" if d["long"] else ""})
    cols = ["id", "title", "issued", "units", "long_running"]
    cn = {"id": "督办编号", "title": "事项", "issued": "下达时间", "units": "责任单位",
          "long_running": "长期"}
    form = QUARTER_FORMS[q]
    if form["form"] == "xml":
        for r in rows:
            if r["long_running"] == "":
                r["long_running"] = None
        write_xml(os.path.join(folder, "directives.xml"), "directives", "directive", cols, rows)
        return
    if form["lang"] == "en":
        cols = ["id", "issued", "title", "units", "long_running"]
    head = [cn[c] if form["lang"] == "cn" else c for c in cols]
    lines = [",".join(head)] + [",".join(csv_field(r[c]) for c in cols) for r in rows]
    with open(os.path.join(folder, "directives.csv"), "wb") as f:
        f.write((form["eol"].join(lines) + form["eol"]).encode(form["enc"]))


# ---------------------------------------------------------------------------
# An independent scorer (SPEC 2, 2.1), to assert the deliberate cases.

ACCEPTED = ["综合科", "督办科", "维稳办", "sifatingzhk@163.com", "hbssftdbk@163.com",
            "sifatingbwk@163.com"]


def counts(it):
    parts = it.channel.replace("；", ";").replace("、", ";").replace(",", ";").split(";")
    ok = any(p.strip().lower() in ACCEPTED for p in parts)
    return ok and it.approver != "" and WEIGHT[it.kind] > 0


def score(units, quarters, adoptions_by_q):
    """{q: {unit name: (submitted, counted, effective, base, quality, total)}}."""
    res = {}
    best = {}   # item id -> running maximum so far
    for q in (1, 2, 3, 4):
        quality = {u.name: 0 for u in units}
        for it, c, _when, _note, _fmt in adoptions_by_q[q]:
            old = best.get(it.id, 0)
            if POINTS[c] > old:
                quality[it.unit.name] += POINTS[c] - old
                best[it.id] = POINTS[c]
        res[q] = {}
        for u in units:
            mine = [it for it in quarters[q] if it.unit is u]
            counted = [it for it in mine if counts(it)]
            eff = sum(WEIGHT[it.kind] for it in counted)
            base = 60 if eff >= u.quota else 0
            res[q][u.name] = (len(mine), len(counted), eff, base, quality[u.name],
                              base + quality[u.name])
    return res


def check_cases(units, quarters, adoptions_by_q, res):
    """Asserts that each deliberate case is really in the data."""
    by = {u.name: u for u in units}
    r1 = res[1]
    assert r1[AT_QUOTA][2] == by[AT_QUOTA].quota, r1[AT_QUOTA]
    assert r1[ONE_BELOW][2] == by[ONE_BELOW].quota - 1 and r1[ONE_BELOW][3] == 0
    assert r1[BY_DOUBLE][1] < by[BY_DOUBLE].quota == r1[BY_DOUBLE][2]
    assert r1[TIE[0]][5] == r1[TIE[1]][5] > 0, (r1[TIE[0]], r1[TIE[1]])
    for q in (1, 2, 3, 4):
        assert sum(1 for u in units if res[q][u.name][0] == 0) >= 2
    w = [it for it in quarters[1] if it.tag == "worked-example"][0]
    gain = {}
    best = 0
    for q in (1, 2, 3, 4):
        for it, c, *_ in adoptions_by_q[q]:
            if it is w and POINTS[c] > best:
                gain[q] = gain.get(q, 0) + POINTS[c] - best
                best = POINTS[c]
    assert gain == {1: 3, 2: 12}, gain
    ids = [it.id for q in (1, 2, 3, 4) for it in quarters[q]]
    assert len(ids) == len(set(ids))
    for q in (1, 2, 3, 4):
        for it in quarters[q]:
            assert quarter_of(it.sub) == q
            if it.event is not None:
                assert it.event < it.sub
        for it, c, when, *_ in adoptions_by_q[q]:
            assert quarter_of(when) == q and when > it.sub and c in POINTS
    for it in quarters[2]:
        (it.title + it.ref + it.channel + "".join(it.authors)).encode("gb18030")
    used = {c for q in (1, 2, 3, 4) for _, c, *_ in adoptions_by_q[q]}
    missing = [c for c in POINTS if c not in used]
    assert not missing, missing


# ---------------------------------------------------------------------------
# The sample year

def build_year(units):
    pool = NamePool()
    people = []
    for u in units:
        rng = random.Random(f"{SEED}-people-{u.name}")
        n_auth = 3 if u.quota <= 12 else 6
        n_auth += rng.randint(0, 3)
        authors = [pool.fresh() for _ in range(n_auth)]
        heads = [pool.fresh() for _ in range(1 + (rng.random() < 0.6))]
        people.append((authors, heads))

    quarters = {}
    for q in (1, 2, 3, 4):
        items = []
        for u in units:
            items.extend(plan_unit(u, q, people))
        # Ledger order: by submission time, then registry order.
        order = sorted(range(len(items)), key=lambda i: (items[i].sub, items[i].unit.idx, i))
        items = [items[i] for i in order]
        rng = random.Random(f"{SEED}-refs-{q}")
        seen = {}
        for n, it in enumerate(items, 1):
            it.id = f"{YEAR}Q{q}-{n:04d}"
            pos = seen.get(it.unit.idx, 0)
            seen[it.unit.idx] = pos + 1
            it.ref = unit_ref(rng, it, q, pos)
        quarters[q] = items

    # CASE: a unit named by its id written in full-width letters (Q1, one row).
    for it in quarters[1]:
        if it.unit.name == "咸宁市司法局" and it.tag is None:
            it.ref = fullwidth(it.unit.id)
            break
    # CASE: kind named by an alias of rules.xml (Q3, a few rows).
    for it in quarters[3][::150]:
        if it.kind == K_DT:
            it.kind_alias = "动态信息"

    all_items = [it for q in (1, 2, 3, 4) for it in quarters[q]]
    random_adoptions(all_items, dt.date(YEAR, 12, 31))
    # CASE: every carrier of SPEC 3.2 with points is used at least once
    # (rare ones are given to research items of Q3), never 领导参阅件.
    used = {c for it in all_items for c, *_ in it.adopt}
    research = [it for it in quarters[3] if it.kind in (K_JY, K_KN) and it.random_adopt
                and not it.adopt and it.sub.month == 7]
    for c in POINTS:
        if c not in used:
            research.pop(0).adopt.append((c, None, None))
    rows = fix_adoptions(all_items)
    adoptions_by_q = {q: [r for r in rows if quarter_of(r[2]) == q] for q in (1, 2, 3, 4)}
    return quarters, adoptions_by_q


def generate(units, outdir, report):
    quarters, adoptions_by_q = build_year(units)
    directives = link_directives(units, quarters)
    res = score(units, quarters, adoptions_by_q)
    check_cases(units, quarters, adoptions_by_q, res)
    check_followups(directives, quarters)
    for q in (1, 2, 3, 4):
        for it in quarters[q]:
            if getattr(it, "kind_alias", None):
                it.kind = it.kind_alias
        write_quarter(os.path.join(outdir, f"{YEAR}Q{q}"), q, quarters[q], adoptions_by_q[q])
        write_directives(os.path.join(outdir, f"{YEAR}Q{q}"), q, directives)
    if report:
        print_report(units, quarters, adoptions_by_q, res)
        print_followups(directives, quarters)


def print_report(units, quarters, adoptions_by_q, res):
    for q in (1, 2, 3, 4):
        subs, ados = quarters[q], adoptions_by_q[q]
        none = [u.name for u in units if res[q][u.name][0] == 0]
        print(f"{YEAR}Q{q}: {len(subs)} submissions, {len(ados)} adoptions; nothing from: "
              + "、".join(none))
    print("deliberate items:")
    for q in (1, 2, 3, 4):
        for it in quarters[q]:
            if it.tag and it.tag not in ("at-quota", "one-below", "double-weight", "tie"):
                print(f"  {it.tag}: {it.id} {it.unit.name} ({it.unit.id})")
    print("expected scores (quarter unit_id name submitted counted effective base quality total):")
    for q in (1, 2, 3, 4):
        for u in units:
            s = res[q][u.name]
            print(f"  {YEAR}Q{q} {u.id} {u.name} " + " ".join(str(x) for x in s))
    print("year totals:")
    for u in units:
        print(f"  {u.id} {u.name} {sum(res[q][u.name][5] for q in (1, 2, 3, 4))}")


def print_followups(directives, quarters):
    print("directive cases (directive unit_id name case):")
    for d in directives:
        for u in d["units"]:
            print(f"  {d['id']} {u.id} {u.name} {d['cases'][u.name][0]}")
    print("expected follow-ups, as followups.csv lists them "
          "(quarter/directive unit_id obligation period deadline item status):")
    for q in (1, 2, 3, 4):
        for did, u, kind, n, deadline, it, st, listed in followups(directives, quarters, q):
            if listed:
                print(f"  {YEAR}Q{q}/{did} {u.id} {kind} {n or '-'} {deadline} "
                      f"{it.id if it else '-'} {st}")


# ---------------------------------------------------------------------------
# Benchmark mode: one large, valid, plain quarter.

def bench(units, n, out):
    os.makedirs(os.path.join(out, f"{YEAR}Q1"), exist_ok=True)
    for f in ("units.xml", "rules.xml"):
        shutil.copyfile(os.path.join(HERE, f), os.path.join(out, f))
    rng = random.Random(f"{SEED}-bench-{n}")
    names = [u.name for u in units]
    base = dt.datetime(YEAR, 1, 1)
    minutes = 89 * 24 * 60                      # submissions up to 30 March
    stamp = {}

    def ts(m):
        s = stamp.get(m)
        if s is None:
            s = stamp[m] = fmt_time(base + dt.timedelta(minutes=m), "iso")
        return s

    kinds = [K_DT, K_JY, K_KN, K_JJ, K_RC]
    kind_w = [72, 8, 6, 8, 6]
    # Three titles per unit and kind; authors and heads as in the samples.
    titles = [[[title_for(rng, u, k, 1) for _ in range(3)] for k in kinds] for u in units]
    pool = NamePool()
    heads = [pool.fresh() for _ in units]
    authors = [[pool.fresh() for _ in range(4)] for _ in units]
    chars = {K_DT: (200, 1000), K_JY: (1000, 3500), K_KN: (1000, 3500), K_JJ: (150, 900),
             K_RC: (100, 500)}
    channels = ["综合科、督办科", "sifatingzhk@163.com;hbssftdbk@163.com", "督办科", "电话"]
    chan_w = [60, 30, 7, 3]
    carriers = ["省厅门户网站", "省厅工作简报", "每日安全维稳信访情况", "省厅领导批示", "鄂司通报",
                "司法部采用", "省委领导批示", "中央采用"]
    carr_w = [50, 25, 8, 7, 5, 3, 1.5, 0.5]
    width = max(4, len(str(n)))
    sub_lines = ["编号,报送单位,标题,类别,字数,报送时间,事发时间,报送方式,签发人,作者"]
    ado_lines = ["编号,采用载体,采用时间,备注"]
    uix = rng.choices(range(len(names)), k=n)
    kix = rng.choices(range(5), weights=kind_w, k=n)
    cix = rng.choices(range(4), weights=chan_w, k=n)
    aix = rng.choices(range(len(carriers)), weights=carr_w, k=n // 4 + 1)
    tms = [rng.randrange(minutes) for _ in range(n)]
    na = 0
    for i in range(n):
        iid = f"{YEAR}Q1-{i + 1:0{width}d}"
        u, k, t = uix[i], kix[i], tms[i]
        kind = kinds[k]
        ev = ts(t - rng.randint(10, 110)) if k == 3 and t > 200 else ""
        ch = "维稳办" if k == 3 else channels[cix[i]]
        au = authors[u]
        sub_lines.append(f"{iid},{names[u]},{titles[u][k][i % 3]},{kind},"
                         f"{rng.randint(*chars[kind])},{ts(t)},{ev},{ch},{heads[u]},"
                         f"{au[i % 4]}、{au[(i + 1) % 4]}" if i % 3 else
                         f"{iid},{names[u]},{titles[u][k][i % 3]},{kind},"
                         f"{rng.randint(*chars[kind])},{ts(t)},{ev},{ch},{heads[u]},{au[i % 4]}")
        if rng.random() < 0.2:
            ado_lines.append(f"{iid},{carriers[aix[na % len(aix)]]},"
                             f"{ts(min(t + rng.randint(60, 20000), minutes + 1439))},")
            na += 1
    for name, lines in (("submissions.csv", sub_lines), ("adoptions.csv", ado_lines)):
        with open(os.path.join(out, f"{YEAR}Q1", name), "w", encoding="utf-8", newline="\n") as f:
            f.write("\n".join(lines) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--units", default=os.path.join(HERE, "units.xml"))
    ap.add_argument("--out", default=HERE, help="data folder to write (default: samples/)")
    ap.add_argument("--bench", type=int, metavar="N", help="write one quarter of N items")
    ap.add_argument("--report", action="store_true", help="print the expected scores")
    a = ap.parse_args()
    units = load_units(a.units)
    if a.bench is not None:
        if a.out == HERE:
            ap.error("--bench needs --out DIR (not samples/)")
        bench(units, a.bench, a.out)
    else:
        generate(units, a.out, a.report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
