"""Quotas (定额): 每年不少于2次, 个人自学时间不少于40学时, 每次不超过5人."""

import re

from .normalize import chinese_punct
from .numerals import CN_NUMBER, cn_to_int

COMPARATORS = {
    "不少于": ">=",
    "不低于": ">=",
    "至少": ">=",
    "不得少于": ">=",
    "不应少于": ">=",
    "最少": ">=",
    "不超过": "<=",
    "不得超过": "<=",
    "不多于": "<=",
    "不高于": "<=",
    "最多": "<=",
}
UNITS = r"(?:个?学时|学分|人次|课时|小时|个工作日|工作日|个月|周|天|日|次|人|家|户|篇|份|项|件|场|期|名|所|个|条|元|万元)"
QUOTA = re.compile(
    r"(?P<pre>[^，,。；;：:、\n（）()]{0,14}?)"
    rf"(?P<cmp>{'|'.join(sorted(COMPARATORS, key=len, reverse=True))})\s*"
    r"(?P<verb>[\u4e00-\u9fff]{0,6}?)\s*"
    rf"(?P<num>\d+(?:\.\d+)?|[{CN_NUMBER}]+)\s*(?P<unit>{UNITS})"
)
PERIOD = {
    "每年": "年",
    "每季度": "季度",
    "每季": "季度",
    "每月": "月",
    "每周": "周",
    "每天": "天",
    "每日": "天",
}


def extract_quotas(text: str) -> list[dict]:
    out, seen = [], set()
    for m in QUOTA.finditer(text):
        number = cn_to_int(m["num"]) if not m["num"][0].isdigit() else float(m["num"])
        if number is None:
            continue
        if isinstance(number, float) and number.is_integer():
            number = int(number)
        pre = m["pre"]
        pre = re.split(r"的|要|须|应|并|将|把", pre)[-1]
        period = next((p for p in PERIOD if p in m["pre"]), None)
        if period:
            pre = m["pre"][m["pre"].index(period) :]
        unit = re.sub(r"^个(?=学时)", "", m["unit"])
        if period and unit in ("次", "人次", "天", "篇", "家", "户", "个"):
            unit = f"{unit}/{PERIOD[period]}"
        text_ = chinese_punct(re.sub(r"\s+", "", pre + m["cmp"] + m["verb"] + m["num"] + m["unit"]))
        key = (text_, number)
        if key in seen:
            continue
        seen.add(key)
        out.append(
            {"text": text_, "number": number, "comparator": COMPARATORS[m["cmp"]], "unit": unit}
        )
    return out
