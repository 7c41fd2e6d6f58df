"""Guesses the importer makes for the review form, each from a plan's own wording: the unit
a visiting target names, the kind of a required submission, what a quota counts, the key
tasks. The user sees every guess on the review page and may correct it."""

from __future__ import annotations

import re

from ducha.orgs.models import OrgUnit
from ducha.submissions.models import Requirement
from ducha.visits.models import Quota

GROUP_MAX = "group_max"  # a quota row that sets the campaign's largest visit group

K = Requirement.Kind
# What a required submission is, from its wording; the first match wins (整改方案 is
# rectification, 阶段性总结 a stage report).
KIND_WORDS = [
    (re.compile(r"整改"), K.RECTIFICATION_MEASURES),
    (re.compile(r"剖析|对照检查"), K.SELF_ANALYSIS),
    (re.compile(r"问题分析|分析报告|问题清单"), K.PROBLEM_ANALYSIS),
    (re.compile(r"走访"), K.VISIT_REPORT),
    (re.compile(r"专题"), K.SPECIAL_REPORT),
    (re.compile(r"阶段"), K.STAGE_REPORT),
    (re.compile(r"总结"), K.SUMMARY_REPORT),
    (re.compile(r"简报|信息|动态"), K.BRIEF),
    (re.compile(r"方案|计划"), K.UNIT_PLAN),
]
# "各单位要结合实际制定具体方案" asks every unit for its own plan, usually without a date.
UNIT_PLAN_ASKED = re.compile(
    r"(?:各|每个)[\u4e00-\u9fff]{0,8}?(?:单位|部门|科室)[^。；;\n]{0,30}?(?:制订|制定|出台)"
    r"[^。；;\n]{0,12}?(?:活动|实施|工作)?方案"
)
UNIT_PLAN_TITLE = "本单位具体实施方案"

# Key tasks (重点工作): the numbered items under a heading like 三、重点内容.
KEY_TASKS_HEADING = re.compile(
    r"^\s*[一二三四五六七八九十]+\s*[、.．]\s*(?:重点内容|重点工作|主要任务|重点任务|工作重点|"
    r"主要内容|工作任务|目标任务|主要工作)\s*$",
    re.M,
)
TOP_HEADING = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]")
TASK_ITEM = re.compile(r"^\s*[(（]\s*[一二三四五六七八九十]+\s*[)）]\s*(?P<rest>\S.*)$")
# A visiting target's own wording beyond the unit: 宁溪中心卫生院及其管辖乡、镇卫生院.
TARGET_TAIL = re.compile(r"(?:及其|及所属|及下属|及辖区|及管辖).*$")


def _squeeze(s: str) -> str:
    return re.sub(r"\s+", "", s or "")


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def match_unit(wording: str, units) -> OrgUnit | None:
    """The unit a plan's wording names, or None when none or several fit. Tried in turn: the
    name or short name exactly (台一医), a name ending in it (区中医院 → 台州市黄岩区中医院), and
    a name holding its characters in order (区疾病控制中心 → 黄岩区疾病预防控制中心)."""
    core = TARGET_TAIL.sub("", _squeeze(wording))
    if len(core) < 2:
        return None
    units = list(units)
    tiers = [
        lambda u: core in (u.name, u.short_name),
        lambda u: len(core) >= 3 and (u.name.endswith(core) or u.short_name.endswith(core)),
        lambda u: (
            len(core) >= 3 and (_subsequence(core, u.name) or _subsequence(core, u.short_name))
        ),
    ]
    for fits in tiers:
        found = [u for u in units if fits(u)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            return None
    return None


def guess_kind(what: str) -> str:
    for pattern, kind in KIND_WORDS:
        if pattern.search(what or ""):
            return kind
    return K.OTHER


def guess_quota(quota: dict, context: str = "") -> dict:
    """A quota row from the extractor's quota and the sentence it stands in: what is counted
    (visits to villages or enterprises, study hours), for whom and per what period."""
    own, unit = quota.get("text") or "", quota.get("unit") or ""
    words = f"{own} {context}"
    comparator = "<=" if quota.get("comparator") == "<=" else ">="
    A = Quota.Activity
    if re.search(r"学时|课时", unit) or re.search(r"学习|自学", own):
        if re.search(r"集中|集体", own) or not re.search(r"自学|个人", own) and "集中" in context:
            activity = A.STUDY_COLLECTIVE
        else:
            activity = A.STUDY_SELF
    elif unit == "人" and comparator == "<=" and re.search(r"组|走访|每次", words):
        activity = GROUP_MAX
    elif re.search(r"企业", words) and not re.search(r"村|社区|农户|农家", words):
        activity = A.VISIT_ENTERPRISE
    elif re.search(r"村|社区|农户|农家", words):
        activity = A.VISIT_VILLAGE
    else:
        activity = A.VISIT_ANY
    S = Quota.Subject
    if re.search(r"职工|党员|干部|每人|人均|个人|医务人员", words):
        subject = S.PERSON
    elif re.search(r"局领导|班子成员|领导班子", words):
        subject = S.LEADER
    elif re.search(r"每个单位|每单位|各单位每", words):
        subject = S.UNIT
    else:
        subject = S.PERSON
    P = Quota.Period
    if re.search(r"每年|年度|/年", f"{own} {unit}"):
        period = P.YEAR
    elif re.search(r"每月|/月", f"{own} {unit}"):
        period = P.MONTH
    else:
        period = P.CAMPAIGN
    return {
        "text": own,
        "number": quota.get("number"),
        "comparator": comparator,
        "activity": activity,
        "subject": subject,
        "period": period,
    }


def find_key_tasks(text: str) -> list[dict]:
    """The numbered items (（一）…) under a key-tasks heading: a short title and the rest."""
    heading = KEY_TASKS_HEADING.search(text)
    if not heading:
        return []
    tasks = []
    for line in text[heading.end() :].split("\n"):
        if TOP_HEADING.match(line):
            break
        m = TASK_ITEM.match(line)
        if not m:
            continue
        rest = m["rest"].strip()
        title, stop, body = rest.partition("。")
        if not stop or len(title) > 40:
            title, body = rest[:30], rest[30:]
        tasks.append({"title": title.strip(), "text": body.strip()})
    return tasks
