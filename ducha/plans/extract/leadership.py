"""Leadership group (领导小组): 组长, 副组长, 成员 and the office director (办公室主任)."""

import re

from .names import split_names
from .normalize import chinese_punct

LABELS = {
    "leader": r"组\s*长",
    "deputy": r"副\s*组\s*长",
    "members": r"成\s*员",
    "office_director": r"办\s*公\s*室\s*主\s*任",
}
LABEL = re.compile(
    r"(?P<label>副\s*组\s*长|组\s*长|成\s*员|办\s*公\s*室\s*主\s*任)\s*[:：]\s*",
)
DIRECTOR = re.compile(
    r"(?:办公室)?主任由\s*(?P<n>[\u4e00-\u9fff\s]{2,8}?)\s*(?:同志)?\s*(?:兼任|担任|兼|任)"
)
DIRECTOR_AFTER = re.compile(
    r"由\s*(?P<n>[\u4e00-\u9fff\s]{2,8}?)\s*(?:同志)?\s*(?:兼任|担任|任)(?:领导小组)?办公室主任"
)
GROUP = re.compile(r"成立(?:了)?(?P<g>[^，,。；;：:\n]{0,60}?领导小组)")
DESCRIPTION = re.compile(
    r"负责人|负责同志|各[\u4e00-\u9fff]{0,6}?(?:部门|单位|科室|股室)|主要领导|分管领导|全体"
)
ROLE_OF = {
    "组长": "leader",
    "副组长": "deputy",
    "成员": "members",
    "办公室主任": "office_director",
}


def _group_name(text: str, before: int) -> str | None:
    found = None
    for m in GROUP.finditer(text, 0, before + 200):
        found = m["g"]
    if not found:
        return None
    found = re.sub(r"^.*?为组长的", "", found)
    found = re.sub(r"^(?:由|以)[^，]*?(?:任|为)组长的", "", found)
    found = re.sub(r"\s+", "", found)
    return chinese_punct(found) if found != "领导小组" else None


def extract_leadership(text: str) -> dict:
    """Names by role; a role given as a description (各部门负责人) yields no names."""
    out = {k: [] for k in ("leader", "deputy", "members", "office_director")}
    labels = list(LABEL.finditer(text))
    first = None
    for i, m in enumerate(labels):
        role = ROLE_OF[re.sub(r"\s+", "", m["label"])]
        end = labels[i + 1].start() if i + 1 < len(labels) else len(text)
        chunk = text[m.end() : end]
        # a list runs until a sentence or paragraph of other matter begins
        stop = re.search(
            r"[。；;]|\n\s*\n\s*(?=\S{6,})|\n(?=\s*\S*(?:领导小组|办公室|附件))", chunk
        )
        if stop:
            chunk = chunk[: stop.start()]
        if len(chunk) > 200:
            continue
        if DESCRIPTION.search(chunk):
            continue  # 成员：各部门负责人 names no one
        names = split_names(chunk)
        if names and first is None:
            first = m.start()
        for n in names:
            if n not in out[role]:
                out[role].append(n)
    for m in [*DIRECTOR.finditer(text), *DIRECTOR_AFTER.finditer(text)]:
        n = re.sub(r"\s+", "", m["n"])
        names = split_names(n)
        for n in names:
            if n not in out["office_director"]:
                out["office_director"].append(n)
    group = None
    if labels or out["office_director"]:
        group = _group_name(
            text, first if first is not None else labels[0].start() if labels else 0
        )
    return {"group_name": group, **out}
