"""Quota attainment (定额完成情况): how far each person, leader or unit has come against a
campaign's quotas, per period window, rolled up the org tree.

A window is a calendar year or month in China Standard Time (visit and study dates are local
dates), clipped to the campaign's dates; "per year" over a campaign from December to January
is two windows, each judged on its own. Counting costs a fixed number of queries whatever the
number of people: one for the population, one for the counts, one for the units.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum

from ducha.campaigns.models import Campaign, Participant
from ducha.orgs import access
from ducha.orgs.models import OrgUnit, Person, Role, RoleAssignment

from . import selectors
from .models import ChecklistTemplate, Quota, StudyRecord, Visit

Activity = Quota.Activity
Subject = Quota.Subject
VISIT_TARGETS = {
    Activity.VISIT_VILLAGE: ChecklistTemplate.Target.VILLAGE,
    Activity.VISIT_ENTERPRISE: ChecklistTemplate.Target.ENTERPRISE,
    Activity.VISIT_ANY: None,
}
STUDY_KINDS = {
    Activity.STUDY_SELF: StudyRecord.Kind.SELF,
    Activity.STUDY_COLLECTIVE: StudyRecord.Kind.COLLECTIVE,
}


@dataclass(frozen=True)
class Window:
    start: datetime.date
    end: datetime.date
    label: str

    @property
    def key(self) -> str:
        return self.start.isoformat()

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


@dataclass
class SubjectRow:
    """One person, leader or unit with the value counted in the window."""

    id: int
    name: str
    code: str
    unit_id: int
    unit_name: str
    unit_path: str
    value: Decimal = Decimal(0)
    met: bool = False

    @property
    def behind(self) -> bool:
        return not self.met


@dataclass
class UnitRow:
    """A unit with its subjects' attainment summed over its whole subtree."""

    id: int
    name: str
    path: str
    depth: int
    subjects: int = 0
    met: int = 0
    total: Decimal = Decimal(0)

    @property
    def behind(self) -> int:
        return self.subjects - self.met

    @property
    def rate(self) -> float:
        return self.met / self.subjects if self.subjects else 0.0

    @property
    def percent(self) -> int:
        return round(self.rate * 100)


@dataclass
class Attainment:
    quota: Quota
    window: Window
    windows: list[Window]
    rows: list[SubjectRow] = field(default_factory=list)
    units: list[UnitRow] = field(default_factory=list)

    @property
    def met(self) -> int:
        return sum(1 for r in self.rows if r.met)

    @property
    def behind(self) -> list[SubjectRow]:
        return [r for r in self.rows if not r.met]

    @property
    def rate(self) -> float:
        return self.met / len(self.rows) if self.rows else 0.0

    @property
    def percent(self) -> int:
        return round(self.rate * 100)


# --- windows -------------------------------------------------------------------------------


def campaign_span(campaign: Campaign, today: datetime.date | None = None):
    """The campaign's first and last day; an open end is the end of the current year."""
    today = today or selectors.today()
    start = campaign.starts_on or datetime.date(today.year, 1, 1)
    end = campaign.ends_on or max(datetime.date(today.year, 12, 31), start)
    return start, end


def quota_windows(quota: Quota, today: datetime.date | None = None) -> list[Window]:
    """The windows the quota is judged in, each clipped to the campaign's dates."""
    start, end = campaign_span(quota.campaign, today)
    if quota.period == Quota.Period.CAMPAIGN:
        return [Window(start, end, f"{start.isoformat()} – {end.isoformat()}")]
    windows: list[Window] = []
    if quota.period == Quota.Period.YEAR:
        for year in range(start.year, end.year + 1):
            first = max(start, datetime.date(year, 1, 1))
            last = min(end, datetime.date(year, 12, 31))
            windows.append(Window(first, last, str(year)))
        return windows
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        days = calendar.monthrange(year, month)[1]
        first = max(start, datetime.date(year, month, 1))
        last = min(end, datetime.date(year, month, days))
        windows.append(Window(first, last, f"{year}-{month:02d}"))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return windows


def current_window(windows: list[Window], today: datetime.date | None = None) -> Window:
    """The window holding today, else the last one begun, else the first."""
    today = today or selectors.today()
    for window in windows:
        if window.contains(today):
            return window
    begun = [w for w in windows if w.start <= today]
    return begun[-1] if begun else windows[0]


def pick_window(windows: list[Window], key: str | None, today=None) -> Window:
    for window in windows:
        if window.key == key:
            return window
    return current_window(windows, today)


# --- who is counted ------------------------------------------------------------------------


def _minimal(paths) -> list[str]:
    minimal: list[str] = []
    for path in sorted(set(paths)):
        if not any(path.startswith(root) for root in minimal):
            minimal.append(path)
    return minimal


def _in(path: str, roots: list[str]) -> bool:
    return any(path.startswith(root) for root in roots)


def _participant_paths(campaign: Campaign) -> list[str]:
    paths = list(Participant.objects.filter(campaign=campaign).values_list("unit__path", flat=True))
    return _minimal(paths) or [campaign.unit.path]


def _people(quota: Quota, seen: list[str], under: OrgUnit | None) -> list[SubjectRow]:
    """Staff members (everyone in the participating units) or bureau leaders (people holding
    the bureau-leader role under the issuing unit), within the viewer's scope."""
    campaign = quota.campaign
    qs = Person.objects.filter(unit__path__startswith=campaign.unit.path)
    if quota.subject == Subject.LEADER:
        leaders = RoleAssignment.objects.filter(
            role=Role.BUREAU_LEADER, unit__path__startswith=campaign.unit.path
        ).values("person_id")
        qs = qs.filter(pk__in=leaders)
        roots = [campaign.unit.path]
    else:
        roots = _participant_paths(campaign)
    if under is not None:
        qs = qs.filter(unit__path__startswith=under.path)
    rows = qs.values("id", "name", "code", "unit_id", "unit__name", "unit__path").order_by(
        "unit__path", "name", "id"
    )
    return [
        SubjectRow(
            id=r["id"],
            name=r["name"],
            code=r["code"],
            unit_id=r["unit_id"],
            unit_name=r["unit__name"],
            unit_path=r["unit__path"],
        )
        for r in rows
        if _in(r["unit__path"], roots) and _in(r["unit__path"], seen)
    ]


def _units(campaign: Campaign, seen: list[str], under: OrgUnit | None) -> list[UnitRow]:
    qs = OrgUnit.objects.filter(path__startswith=campaign.unit.path)
    if under is not None:
        qs = qs.filter(path__startswith=under.path)
    return [
        UnitRow(id=u["id"], name=u["name"], path=u["path"], depth=u["depth"])
        for u in qs.values("id", "name", "path", "depth").order_by("path")
        if _in(u["path"], seen)
    ]


# --- counting ------------------------------------------------------------------------------


def _visits(quota: Quota, window: Window):
    qs = Visit.objects.filter(campaign=quota.campaign, date__gte=window.start, date__lte=window.end)
    target = VISIT_TARGETS.get(quota.activity)
    if target is not None:
        qs = qs.filter(target_kind=target)
    return qs


def _study(quota: Quota, window: Window):
    # Study logged without a campaign counts for every campaign it falls in.
    return StudyRecord.objects.filter(
        Q(campaign=quota.campaign) | Q(campaign__isnull=True),
        kind=STUDY_KINDS[quota.activity],
        date__gte=window.start,
        date__lte=window.end,
    )


def _person_values(quota: Quota, window: Window) -> dict[int, Decimal]:
    if quota.activity in STUDY_KINDS:
        rows = _study(quota, window).values("person_id").annotate(v=Sum("hours"))
    else:
        # A person counts each visit they were part of, as a member of the group.
        visits = _visits(quota, window)
        rows = (
            Visit.visitors.through.objects.filter(visit__in=visits)
            .values("person_id")
            .annotate(v=Count("visit_id", distinct=True))
        )
    return {r["person_id"]: Decimal(r["v"] or 0) for r in rows}


def _unit_values(quota: Quota, window: Window) -> list[tuple[str, Decimal]]:
    """(unit path, value) for every unit with something counted: visits by the visiting
    unit, study hours by the unit of the person who studied."""
    if quota.activity in STUDY_KINDS:
        rows = _study(quota, window).values("person__unit__path").annotate(v=Sum("hours"))
        return [(r["person__unit__path"], Decimal(r["v"] or 0)) for r in rows]
    rows = _visits(quota, window).values("unit__path").annotate(v=Count("id"))
    return [(r["unit__path"], Decimal(r["v"])) for r in rows]


def _met(quota: Quota, value: Decimal) -> bool:
    if quota.comparator == Quota.Comparator.AT_MOST:
        return value <= quota.number
    return value >= quota.number


def quota_attainment(
    quota: Quota,
    *,
    user,
    window_key: str | None = None,
    under: OrgUnit | None = None,
    today: datetime.date | None = None,
) -> Attainment:
    """Each subject's value in the window and whether it meets the quota, and the units of
    the campaign with their subjects rolled up by path, limited to what `user` may see."""
    windows = quota_windows(quota, today)
    window = pick_window(windows, window_key, today)
    seen = access.scope_paths(user)
    result = Attainment(quota=quota, window=window, windows=windows)
    if not seen:
        return result
    campaign = quota.campaign
    units = _units(campaign, seen, under)
    by_path = {u.path: u for u in units}

    if quota.subject == Subject.UNIT:
        participants = set(
            Participant.objects.filter(campaign=campaign).values_list("unit__path", flat=True)
        ) or {campaign.unit.path}
        counted = _unit_values(quota, window)
        for unit in units:
            if unit.path not in participants:
                continue
            value = sum((v for path, v in counted if path.startswith(unit.path)), Decimal(0))
            row = SubjectRow(
                id=unit.id,
                name=unit.name,
                code="",
                unit_id=unit.id,
                unit_name=unit.name,
                unit_path=unit.path,
                value=value,
                met=_met(quota, value),
            )
            result.rows.append(row)
        subjects = result.rows
    else:
        values = _person_values(quota, window)
        subjects = _people(quota, seen, under)
        for row in subjects:
            row.value = values.get(row.id, Decimal(0))
            row.met = _met(quota, row.value)
        result.rows = subjects

    # Roll up: each subject counts in its own unit and every unit above it.
    for row in subjects:
        for ancestor in _ancestor_paths(row.unit_path):
            unit = by_path.get(ancestor)
            if unit is None:
                continue
            unit.subjects += 1
            unit.met += row.met
            unit.total += row.value
    result.units = [u for u in units if u.subjects]
    result.rows.sort(key=lambda r: (r.met, r.value, r.unit_path, r.name))
    if quota.comparator == Quota.Comparator.AT_MOST:
        result.rows.sort(key=lambda r: (r.met, -r.value, r.unit_path, r.name))
    return result


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


@dataclass
class QuotaSummary:
    quota: Quota
    window: Window
    subjects: int
    met: int

    @property
    def percent(self) -> int:
        return round(self.met * 100 / self.subjects) if self.subjects else 0


def quota_summaries(campaign: Campaign, *, user, under: OrgUnit | None = None, today=None):
    """Each quota of the campaign in its current window: how many subjects meet it. A few
    queries per quota, never per person."""
    summaries = []
    for quota in campaign.quotas.all().order_by("activity", "id"):
        quota.campaign = campaign
        result = quota_attainment(quota, user=user, under=under, today=today)
        summaries.append(QuotaSummary(quota, result.window, len(result.rows), result.met))
    return summaries
