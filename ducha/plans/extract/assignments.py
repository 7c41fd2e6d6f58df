"""Contact assignments (联系点): a leader, their post and the units they visit.

Tables arrive three ways: one row per line with tab-separated cells (from .docx), flattened one
cell per line (copied from a web page, a cell's second line carried over without its tab), or
in prose as 姓名（职务）：单位、单位.
"""

import re

from .names import is_name
from .normalize import chinese_punct

CJK = r"\u4e00-\u9fff"
NAME_HEAD = re.compile(
    r"^(?:姓名|领导姓名|局领导|领导|联系领导|责任领导|包联领导|挂点领导|带队领导|负责领导|分管领导)$"
)
ROLE_HEAD = re.compile(r"^(?:职务|职位|现任职务|职务职称)$")
TARGET_HEAD = re.compile(
    r"(?:单位|联系点|调研|走访|对象|村|社区|企业|乡镇|街道|医院|联系|挂点|包联|分工)"
)
SKIP_HEAD = re.compile(r"^(?:序号|编号|备注|时间|联系电话|电话)$")
POST = re.compile(
    r"(?:书记|局长|主任|委员|院长|调研员|科长|股长|组长|部长|处长|主席|巡视员|督查员|队长|所长|站长|"
    r"总监|总会计师|总经济师|党组成员|党委成员|班子成员|纪检组长)$"
)
STOP = re.compile(r"^(?:附件|附表|附：|[一二三四五六七八九十]+、)")
ADMIN_TAIL = re.compile(r"(?:乡|镇|街道|场|村)$")
ADMIN_HEAD = re.compile(r"^(?:乡|镇|街道|场|村)")
PROSE = re.compile(
    rf"(?P<n>[{CJK}]{{2,4}})\s*[（(](?P<r>[^）)]{{2,30}})[）)]\s*[:：]\s*(?P<t>[^。；;\n]{{2,200}})"
)


def split_targets(s: str) -> list[str]:
    """Units in a cell: split on 、 outside brackets, but keep 乡、镇卫生院 together."""
    parts, depth, cur = [], 0, ""
    for ch in s:
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
        if ch in "、，,；;\t\n" and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    parts = [re.sub(r"\s+", "", p).strip("。. ") for p in parts]
    parts = [p for p in parts if p]
    merged: list[str] = []
    for p in parts:
        if merged and ADMIN_TAIL.search(merged[-1]) and ADMIN_HEAD.match(p):
            merged[-1] += "、" + p
        else:
            merged.append(p)
    return [chinese_punct(p) for p in merged]


def _cells(lines: list[str]) -> list[tuple[str, bool]]:
    """(cell text, starts a row) from table lines, joining a cell carried over to the next line."""
    tabbed = any(line.startswith("\t") for line in lines)
    cells: list[tuple[str, bool]] = []
    for line in lines:
        if not line.strip():
            continue
        inner = line.strip("\t ").split("\t")
        if len(inner) > 1:
            for i, c in enumerate(inner):
                cells.append((c.strip(), i == 0))
        elif tabbed and not line.startswith("\t") and cells:
            text, first = cells[-1]
            cells[-1] = (text + "\n" + line.strip(), first)
        else:
            cells.append((line.strip(), False))
    return cells


def _header(lines: list[str], i: int) -> tuple[list[str], int] | None:
    """Column kinds of a header at line i and the index after it, or None."""
    first = lines[i].strip("\t ").split("\t")
    if len(first) == 1:
        pieces = re.split(r"\s{2,}", lines[i].strip())
        if all(len(p) >= 2 for p in pieces):
            first = pieces
    if len(first) > 1:
        heads, j = [re.sub(r"\s+", "", c) for c in first], i + 1
    else:
        heads, j = [], i
        while j < len(lines) and len(heads) < 6:
            s = re.sub(r"\s+", "", lines[j])
            if not s:
                j += 1
                continue
            if len(s) > 10 or not (
                NAME_HEAD.match(s)
                or ROLE_HEAD.match(s)
                or SKIP_HEAD.match(s)
                or TARGET_HEAD.search(s)
            ):
                break
            heads.append(s)
            j += 1
    kinds = []
    for h in heads:
        if NAME_HEAD.match(h):
            kinds.append("name")
        elif ROLE_HEAD.match(h):
            kinds.append("role")
        elif SKIP_HEAD.match(h):
            kinds.append("skip")
        elif TARGET_HEAD.search(h):
            kinds.append("targets")
        else:
            kinds.append("skip")
    if "name" in kinds and "targets" in kinds:
        return kinds, j
    return None


def _table(lines: list[str], kinds: list[str]) -> list[dict]:
    rows: list[dict] = []
    row = None
    for text, _ in _cells(lines):
        parts = [p for p in text.split("\n") if p.strip()]
        # a name opens a row once the row before has its units (a unit may look like a name)
        if is_name(parts[0]) and (row is None or row["targets"]):
            row = {"person": re.sub(r"\s+", "", parts[0]), "role": [], "targets": []}
            rows.append(row)
            parts = parts[1:]
        if row is None or re.fullmatch(r"\d+", text.strip()):
            continue
        for part in parts:
            s = re.sub(r"\s+", "", part)
            if "role" in kinds and not row["targets"] and POST.search(s) and len(s) <= 20:
                row["role"].extend(x for x in re.split(r"[、，,/]", s) if x)
            else:
                row["targets"].extend(split_targets(part))
    return [
        {"person": r["person"], "role": "、".join(r["role"]) or None, "targets": r["targets"]}
        for r in rows
        if r["targets"]
    ]


def extract_assignments(text: str) -> list[dict]:
    lines = text.split("\n")
    out: list[dict] = []
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        found = _header(lines, i)
        if not found:
            i += 1
            continue
        kinds, j = found
        k = j
        while k < len(lines):
            s = lines[k].strip()
            if s and (STOP.match(s) or ("。" in s and len(s) > 30) or _header(lines, k)):
                break
            k += 1
        out.extend(_table(lines[j:k], kinds))
        i = max(k, i + 1)
    if not out:
        for m in PROSE.finditer(text):
            if is_name(m["n"]) and POST.search(re.sub(r"[、，,].*", "", m["r"])):
                targets = split_targets(m["t"])
                if targets:
                    role = chinese_punct(m["r"])
                    out.append({"person": m["n"], "role": role, "targets": targets})
    return out
