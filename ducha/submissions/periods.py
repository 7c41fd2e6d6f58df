"""Due dates of a requirement's occurrences and the moment each one ends.

On time means received by the end of the due day in China Standard Time, by the server's
clock (DOMAIN §5). CST is fixed here rather than read from settings.TIME_ZONE: the rule is the
plan's, not the deployment's.
"""

from __future__ import annotations

import calendar
import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

CST = ZoneInfo("Asia/Shanghai")
END_OF_DAY = datetime.time(23, 59, 59, 999999)
# A recurring requirement with neither its own end nor a campaign end runs for a year.
DEFAULT_SPAN_MONTHS = 12
# Bounds the list whatever the dates say (a weekly brief for eight years).
MAX_OCCURRENCES = 420


def due_at(due_date: datetime.date) -> datetime.datetime:
    """The last instant of `due_date` in China Standard Time, as an aware datetime."""
    return datetime.datetime.combine(due_date, END_OF_DAY, tzinfo=CST)


def today_cst(now: datetime.datetime | None = None) -> datetime.date:
    """Today's date in China Standard Time, by the server's clock."""
    return (now or timezone.now()).astimezone(CST).date()


def add_months(start: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the 31st falls back to the last day of shorter months."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def last_due_date(requirement) -> datetime.date:
    """The last day an occurrence may fall on: repeat_until, else the campaign's end."""
    if requirement.recurrence == requirement.Recurrence.ONCE:
        return requirement.due_date
    until = requirement.repeat_until or requirement.campaign.ends_on
    return until or add_months(requirement.due_date, DEFAULT_SPAN_MONTHS)


def occurrences(requirement) -> list[datetime.date]:
    """Every due date of the requirement: one for ONCE, else weekly or monthly from the first
    due date up to repeat_until (or the campaign end)."""
    first = requirement.due_date
    if requirement.recurrence == requirement.Recurrence.ONCE:
        return [first]
    until = last_due_date(requirement)
    dates: list[datetime.date] = []
    n = 0
    while len(dates) < MAX_OCCURRENCES:
        if requirement.recurrence == requirement.Recurrence.WEEKLY:
            date = first + datetime.timedelta(weeks=n)
        else:
            date = add_months(first, n)
        if date > until:
            break
        dates.append(date)
        n += 1
    return dates or [first]


def occurrences_so_far(requirement, today: datetime.date) -> list[datetime.date]:
    """The due dates that have passed plus the next one: what a unit has to hand in by now."""
    dates = occurrences(requirement)
    past = [d for d in dates if d < today]
    upcoming = [d for d in dates if d >= today]
    return past + upcoming[:1]


def current_due_date(requirement, today: datetime.date) -> datetime.date:
    """The occurrence a submission without a chosen date answers: the next one still open,
    else the last one."""
    dates = occurrences(requirement)
    for date in dates:
        if date >= today:
            return date
    return dates[-1]
