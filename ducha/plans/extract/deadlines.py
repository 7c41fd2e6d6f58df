"""Required submissions (报送): what, by when, to whom."""

import re

from .dates import parse_point
from .normalize import chinese_punct

CJK = r"\u4e00-\u9fff"
VERB = r"(?:报送|上报|提交|呈报|报告|递交|送交|交|报)"
DAY = r"(?:(?:19|20)[\d*xX]{2}\s*年\s*)?(?:1[0-2]|0?[1-9])\s*月\s*(?:(?:3[01]|[12]\d|0?[1-9])\s*[日号]|底|末|下旬|中旬|上旬)"
BEFORE = r"(?:之前|以前|前)"
ORG_END = r"(?:局|委|厅|部|处|科|股|室|办|院|所|中心|小组|委员会|党组|党委|政府|公司|站|组)"
DOC_NOUN = r"(?:报告|总结|方案|材料|措施|计划|清单|台账|台帐|简报|汇报|意见|表|阶段性)"
SENTENCE = re.compile(r"[^。；;\n]+")

# A、B和C分别于2月19日、4月20日前报X
LISTED = re.compile(
    rf"(?P<whats>[^，,：:]{{2,80}}?)\s*分别(?:于|在)\s*(?P<days>{DAY}(?:\s*[、，,和及]\s*{DAY})+)\s*{BEFORE}?\s*"
    rf"(?:{VERB})(?:至|到|给)?(?P<to>(?:“[^”]*”|[^，,。；;]){{2,80}})"
)
# 6月18日前，向区卫生局人事监察科提交活动开展情况的书面总结报告
DATE_FIRST = re.compile(
    rf"(?:于|在)?(?P<day>{DAY})\s*{BEFORE}\s*[，,]?\s*(?:[^，,。；;]{{0,20}}?)"
    rf"(?:向(?P<to>[^，,。；;]{{2,40}}?))?{VERB}(?:至|到|给)?(?P<what>[^，,。；;（(]{{2,60}})"
)
# 6月30日前将总结报告报送局办公室
DATE_JIANG = re.compile(
    rf"(?P<day>{DAY})\s*{BEFORE}\s*[，,]?\s*(?:[^，,。；;]{{0,12}}?)(?:将|把)(?P<what>[^，,。；;]{{2,40}}?)"
    rf"(?:以[^，,。；;]{{2,12}}形式)?\s*(?:{VERB})(?:至|到|给)?(?P<to>[^，,。；;（(]{{2,40}})"
)
# 联络人于5月10日前上报卫生局党政办 / 总结报告于6月30日前报送区卫生局
WHAT_FIRST = re.compile(
    rf"(?P<what>[^，,。；;]{{2,40}}?)\s*(?:须|要|应|务必|请)?\s*(?:于|在)\s*(?P<day>{DAY})\s*{BEFORE}\s*"
    rf"(?:(?:以[^，,。；;]{{2,12}}形式|通过[^，,。；;]{{2,12}})?\s*)?"
    rf"(?:向(?P<to1>[^，,。；;]{{2,40}}?))?{VERB}(?:至|到|给)?(?P<to2>[^，,。；;（(]{{2,40}})?"
)
# 向县卫生局上报阶段性 (no date)
UNDATED = re.compile(
    rf"向(?P<to>[{CJK}（）()“”\"]{{2,40}}?{ORG_END})\s*(?:{VERB})(?P<what>[^，,。；;]{{0,30}}?{DOC_NOUN}[^，,。；;]{{0,6}}?)(?=[，,。；;]|$)"
)
SUBJECT = re.compile(r"^(?:请|各单位|各部门|各医疗卫生单位|各级各单位|要|将|并|确定|把|及时)+")


def _clean(s: str | None) -> str | None:
    if s is None:
        return None
    s = re.sub(r"\s+", "", s).strip("，,、：: ")
    return chinese_punct(s) if s else None


def _what(s: str) -> str | None:
    s = _clean(s) or ""
    s = re.sub(r"^.*?(?:要求?|须|应|请|将)(?=[^要须应请将]{2,})", "", s) if len(s) > 12 else s
    s = SUBJECT.sub("", s)
    s = re.sub(r"^(?:[^，]*?确定)", "", s) if "确定" in s[:8] else s
    return s or None


def _due(day: str, year: int | None) -> str | None:
    p = parse_point(day)
    p.fill_year(year)
    return p.due()


def extract_deadlines(text: str, year: int | None = None) -> list[dict]:
    """Each required submission once; `year` (the issue date's) completes dates without one."""
    out: list[dict] = []
    seen: set[tuple] = set()

    def add(what: str | None, due: str | None, to: str | None) -> None:
        what, to = _what(what or ""), _clean(to)
        if not what or len(what) < 2:
            return
        key = (what, due)
        if key in seen:
            return
        seen.add(key)
        out.append({"what": what, "due": due, "to": to})

    for sm in SENTENCE.finditer(text):
        s = sm[0]
        if not re.search(rf"{VERB}", s):
            continue
        # a sentence may hold several clauses: 3月20日前报送方案，7月31日前报送总结
        while s:
            end = _one(s, year, add)
            if end is None:
                break
            s = s[end:]
    return out


def _one(s: str, year: int | None, add) -> int | None:
    """Add the first submission found in s; the index where it ends, or None."""
    m = LISTED.search(s)
    if m:
        whats_text = re.sub(
            r"^(?:各[\u4e00-\u9fff]{0,6}?(?:单位|部门|科室|县区|机构)[、，,和及]?)+", "", m["whats"]
        )
        whats = [w for w in re.split(r"\s*[、，,和及]\s*", whats_text) if w.strip()]
        days = re.findall(DAY, m["days"])
        if len(whats) == len(days):
            for w, d in zip(whats, days, strict=True):
                add(w, _due(d, year), m["to"])
            return m.end()
    found = []
    for pattern in (WHAT_FIRST, DATE_JIANG, DATE_FIRST):
        m = pattern.search(s)
        if not m:
            continue
        if pattern is WHAT_FIRST:
            if len(_what(m["what"]) or "") < 2:
                continue
            found.append((m.start("day"), m, m["what"], m["to1"] or m["to2"]))
        else:
            if not m["what"]:
                continue
            found.append((m.start("day"), m, m["what"], m["to"]))
    if found:
        # the clause whose date comes first; on a tie the earlier pattern
        _, m, what, to = min(found, key=lambda f: f[0])
        add(what, _due(m["day"], year), to)
        return m.end()
    m = UNDATED.search(s)
    if m:
        add(m["what"], None, m["to"])
        return m.end()
    return None
