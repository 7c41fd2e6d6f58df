"""Survey periods: a month ("2026-05") in China Standard Time for monthly surveys, the empty
string for a survey answered once."""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

from django.utils import timezone

CST = ZoneInfo("Asia/Shanghai")
ONCE = ""
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def current(survey, now: datetime.datetime | None = None) -> str:
    """The period an answer given now belongs to."""
    if not survey.is_monthly:
        return ONCE
    return month_of((now or timezone.now()).astimezone(CST).date())


def month_of(day: datetime.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def is_month(period: str) -> bool:
    return bool(_MONTH.match(period or ""))


def is_valid(survey, period: str) -> bool:
    if not survey.is_monthly:
        return period == ONCE
    return is_month(period)


def previous(period: str, count: int) -> list[str]:
    """`count` months ending with `period`, oldest first (a trend's x-axis)."""
    match = _MONTH.match(period)
    if not match:
        return [period]
    index = int(match[1]) * 12 + int(match[2]) - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - count + 1, index + 1)]


def label(period: str) -> str:
    return period or "—"
