"""Precise dates for a plan's fuzzy ones (DOMAIN §4): months alone, 上旬/中旬/下旬, years left
out or masked (201*, 20xx), resolved against the year the user confirms."""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

PART_WORDS = {"early": "上旬", "mid": "中旬", "late": "下旬"}


class MissingYear(ValueError):
    pass


_DATE_VALUE = re.compile(r"(?:(\d{4})-)?(\d{1,2})(?:-(\d{1,2}))?")


def parse_date_value(value) -> tuple[int | None, int, int | None]:
    """(year, month, day) of a date as the extractor or a user writes it: 2012-06-18, 06-18,
    2012-05, 05, 2012/6/18, 6月18日. Raises ValueError when it is none of these."""
    if isinstance(value, datetime.date):
        return value.year, value.month, value.day
    s = str(value or "").strip()
    s = re.sub(r"[年月/.]", "-", s)
    s = re.sub(r"[日号]$", "", s).strip("-")
    m = _DATE_VALUE.fullmatch(s)
    if not m or not 1 <= int(m[2]) <= 12:
        raise ValueError(value)
    return (int(m[1]) if m[1] else None), int(m[2]), (int(m[3]) if m[3] else None)


def resolve_date(value, part: str | None, year: int | None, *, end: bool) -> datetime.date:
    """A precise date for a plan's date. A month alone is its first or last day; with a part,
    上旬/中旬/下旬 are days 1–10, 11–20 and 21–end (DOMAIN §4). A date without a year takes
    `year`; MissingYear when there is none."""
    y, month, day = parse_date_value(value)
    y = y or year
    if y is None:
        raise MissingYear(value)
    last = calendar.monthrange(y, month)[1]
    if day is None:
        day = {
            "early": (1, 10),
            "mid": (11, 20),
            "late": (21, last),
        }.get(part or "", (1, last))[1 if end else 0]
    return datetime.date(y, month, day)


def _has_year(value) -> bool:
    try:
        return parse_date_value(value)[0] is not None
    except ValueError:
        return False


@dataclass
class Resolved:
    phases: list[tuple[datetime.date, datetime.date]]
    deadlines: list[datetime.date]
    errors: dict[str, list[str]]


def resolve_dates(data: dict) -> Resolved:
    """Every phase's and deadline's precise dates. Dates without a year fall in the confirmed
    year; when a plan's months go back (12月 … then 1月) the later ones fall in the next year."""
    year = data.get("year")
    errors: dict[str, list[str]] = {}
    missing_year = False

    def refuse(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    phases = []
    previous: datetime.date | None = None
    cursor = year
    for n, row in enumerate(data.get("phases") or [], start=1):
        name = row.get("name") or ""
        if not row.get("start") or not row.get("end"):
            refuse(
                "phases",
                _("Phase %(n)d “%(name)s”: give its start and its end.") % {"n": n, "name": name},
            )
            continue
        try:
            start = resolve_date(row["start"], row.get("start_part"), cursor, end=False)
            if previous and start < previous and not _has_year(row["start"]):
                start = resolve_date(row["start"], row.get("start_part"), start.year + 1, end=False)
            end = resolve_date(row["end"], row.get("end_part"), start.year, end=True)
            if end < start and not _has_year(row["end"]):
                end = resolve_date(row["end"], row.get("end_part"), start.year + 1, end=True)
        except MissingYear:
            missing_year = True
            continue
        except ValueError:
            refuse(
                "phases",
                _(
                    "Phase %(n)d “%(name)s”: write dates as 2012-05-01, 05-01 or 2012-05 (a "
                    "month, with early/mid/late if the plan says so)."
                )
                % {"n": n, "name": name},
            )
            continue
        if end < start:
            refuse(
                "phases",
                _("Phase %(n)d “%(name)s” ends before it starts.") % {"n": n, "name": name},
            )
            continue
        phases.append((start, end))
        previous, cursor = start, start.year

    # A deadline without a year that would fall before the plan was issued (or its first
    # phase began) is next year's.
    reference = data.get("issue_date") or (phases[0][0] if phases else None)
    deadlines = []
    for n, row in enumerate(data.get("deadlines") or [], start=1):
        what = row.get("what") or ""
        if not row.get("due"):
            refuse(
                "deadlines",
                _("Submission %(n)d “%(what)s”: give its due date, or leave the row out.")
                % {"n": n, "what": what},
            )
            continue
        try:
            due = resolve_date(row["due"], None, year, end=True)
            if reference and due < reference and not _has_year(row["due"]):
                due = resolve_date(row["due"], None, due.year + 1, end=True)
        except MissingYear:
            missing_year = True
            continue
        except ValueError:
            refuse(
                "deadlines",
                _("Submission %(n)d “%(what)s”: write the due date as 2012-06-18 or 06-18.")
                % {"n": n, "what": what},
            )
            continue
        deadlines.append(due)
    if missing_year or (data.get("year_placeholder") and not year):
        refuse(
            "year",
            _(
                "Confirm the year: the plan writes dates without a year or with a masked one "
                "(201*, 20xx)."
            ),
        )
    return Resolved(phases=phases, deadlines=deadlines, errors=errors)


def wording_of(value: str | None, part: str | None) -> str:
    """How a plan writes a schema date: 12-20 → 12月20日, 2012-05 + late → 2012年5月下旬."""
    if not value:
        return ""
    try:
        year, month, day = parse_date_value(value)
    except ValueError:
        return str(value)
    out = f"{year}年" if year else ""
    out += f"{month}月"
    out += f"{day}日" if day else PART_WORDS.get(part or "", "")
    return out


def date_or_none(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None
