"""Phases (阶段): a name and a date range, e.g. (一)动员部署阶段(201*年12月20日-31日)."""

import re

from .dates import parse_range
from .normalize import chinese_punct

CJK = r"\u4e00-\u9fff"
ORDINAL = r"(?:[(（]\s*[一二三四五六七八九十]+\s*[)）]|[一二三四五六七八九十]+\s*[、.．]|\d+\s*[、.．]|第[一二三四五六七八九十\d]+(?:阶段|步)\s*[:：，,]?)"
OPEN, CLOSE = r"[(（]", r"[)）]"
# 动员部署阶段(201*年12月20日-31日) / 第三阶段:整改提高阶段(5月上旬—5月下旬)
NAMED = re.compile(
    rf"(?:{ORDINAL}\s*)?(?P<name>[{CJK}、，,]{{2,16}}?)\s*阶段\s*"
    rf"(?:{OPEN}(?P<dates>[^()（）]{{2,40}}){CLOSE}|[:：，,]\s*(?P<dates2>(?:\d{{4}}|\d{{2,3}}[*xX×]+|[*xX×]{{2,4}})?\s*年?\s*\d{{1,2}}\s*月[^，。；,;（(]{{0,24}}))?"
)
# 第一阶段（5月1日—15日）：宣传发动 / 第一阶段：宣传发动（5月1日—15日）
STAGE_FIRST = re.compile(
    rf"第[一二三四五六七八九十\d]+阶段\s*(?:{OPEN}(?P<d1>[^()（）]{{2,40}}){CLOSE})?\s*[:：，,、]?\s*"
    rf"(?P<name>[{CJK}、，,]{{2,16}}?)\s*(?:阶段)?\s*(?:{OPEN}(?P<d2>[^()（）]{{2,40}}){CLOSE}|(?=[。；;\n:：]|$))"
)
TIME_AFTER = re.compile(
    r"\s*[。.]?\s*(?:\n\s*)*(?:时间|时间安排|实施时间)\s*[:：]\s*(?P<d>[^。；;\n]{3,40})"
)
# in a steps section: (一)广泛发动,安排部署(4月上旬—5月底)
ITEM = re.compile(
    rf"^\s*{ORDINAL}\s*(?P<name>[{CJK}、，,]{{2,16}}?)\s*{OPEN}(?P<dates>[^()（）]{{2,40}}){CLOSE}"
)
STEPS_HEADING = re.compile(
    r"(?:实施步骤|方法步骤|步骤安排|时间安排|进度安排|活动安排|工作步骤|实施阶段|方法与步骤|阶段安排|工作安排|活动步骤)"
)
NOT_A_PHASE = re.compile(
    r"^(?:第[一二三四五六七八九十\d]+$|各|每个|这个|下一|上一|本|该|此|不同|整个|分?[一二三四五六七八九十两几]个)"
)


def _clean_name(name: str) -> str:
    name = re.sub(r"^第[一二三四五六七八九十\d]+阶段[:：，,]?", "", name)
    name = name.strip("，,、 ")
    return chinese_punct(name)


def _phase(name: str, dates: str | None, year: int | None) -> dict | None:
    name = _clean_name(name)
    if len(name) < 2 or NOT_A_PHASE.match(name):
        return None
    phase = {"name": name, "start": None, "start_part": None, "end": None, "end_part": None}
    rng = parse_range(dates, year) if dates else None
    if rng:
        start, end = rng
        phase["start"], phase["start_part"] = start.text()
        phase["end"], phase["end_part"] = end.text(end=True)
    elif dates:
        return None if not re.search(r"\d", dates) else phase
    return phase


def extract_phases(text: str, year: int | None = None) -> list[dict]:
    """Phases in document order; `year` is the issue date's year, for dates without one."""
    phases: list[dict] = []
    seen: set[str] = set()

    def add(p: dict | None) -> None:
        if p and p["name"] not in seen:
            seen.add(p["name"])
            phases.append(p)

    for m in NAMED.finditer(text):
        dates = m["dates"] or m["dates2"]
        name = m["name"]
        # only a heading names a phase: it starts a line or follows an ordinal like (一)
        start = m.start()
        line_start = text.rfind("\n", 0, start) + 1
        before = text[line_start:start]
        if (
            before.strip()
            and not re.search(r"[。；;]\s*$", before)
            and not re.match(rf"^\s*{ORDINAL}", m[0])
        ):
            continue
        if dates is None:
            t = TIME_AFTER.match(text, m.end())
            if t:
                dates = t["d"]
        if dates is None or not re.search(r"\d+\s*月|\d{4}|[*xX]年", dates):
            # a phase heading without dates counts only where it stands as a heading
            if not re.match(rf"^\s*{ORDINAL}", m[0]) and before.strip():
                continue
            if re.search(r"阶段\s*[，,]", m[0]) or m["dates2"]:
                continue
            dates = None
        add(_phase(name, dates, year))
    for m in STAGE_FIRST.finditer(text):
        if "阶段" in m["name"]:
            continue
        add(_phase(m["name"], m["d1"] or m["d2"], year))
    if phases:
        return phases
    # numbered items with date ranges in a steps section, without the word 阶段
    lines = text.split("\n")
    in_steps = False
    for line in lines:
        s = line.strip()
        if not s:
            continue
        if (
            STEPS_HEADING.search(s[:20])
            and len(s) < 40
            or re.match(r"^[一二三四五六七八九十]+、.*步骤", s)
        ):
            in_steps = True
            continue
        if in_steps and re.match(r"^[一二三四五六七八九十]+、", s):
            in_steps = False
        if not in_steps:
            continue
        m = ITEM.match(s)
        if m and re.search(r"\d+\s*月", m["dates"]):
            add(_phase(m["name"], m["dates"], year))
    return phases
