"""Reporting rate (上报率) and timeliness (及时率) of a campaign's submissions, rolled up the tree.

Completeness as the health-statistics world measures it (DOMAIN §5): for every unit that must
hand in a requirement and every due date of it that has passed, the report was received on time,
received late, received and returned for correction, or is missing. A due date that hasn't
passed yet is pending and not counted, unless the report already came in.

    reporting rate = received / expected      timeliness = received on time / expected

The whole computation is a handful of queries (requirements, their unit lists, participants,
submissions, and the names of the units between the scope and the participants); everything
else is done in Python over those rows, so the cost does not grow in queries with the number of
units, only in rows.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Case, DateTimeField, F, Q, TextChoices, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ducha.campaigns.models import Campaign, Participant
from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.orgs.models import OrgUnit

from . import periods
from .models import Requirement, Submission

CST = periods.CST


class CellStatus(TextChoices):
    """The state of one (requirement, unit, due date). Values double as Totals attributes."""

    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
    RETURNED = "returned", _("Returned")
    MISSING = "missing", _("Missing")
    PENDING = "pending", _("Not yet due")


# The names offices use in their own registers; the .xlsx export writes these.
STATUS_CHINESE = {
    CellStatus.ON_TIME: "按时",
    CellStatus.LATE: "逾期",
    CellStatus.RETURNED: "退回",
    CellStatus.MISSING: "未报",
    CellStatus.PENDING: "未到期",
}


def format_rate(value: float | None) -> str:
    """A rate as a percentage with one decimal; "—" when nothing was expected (not 0%)."""
    if value is None:
        return "—"
    return f"{value * 100:.1f}%"


class Totals:
    """Counts of cells by status; expected and received are derived from them."""

    __slots__ = ("on_time", "late", "returned", "missing", "pending")

    def __init__(self) -> None:
        self.on_time = self.late = self.returned = self.missing = self.pending = 0

    def add(self, status: str, n: int = 1) -> None:
        setattr(self, status, getattr(self, status) + n)

    def merge(self, other: Totals) -> None:
        self.on_time += other.on_time
        self.late += other.late
        self.returned += other.returned
        self.missing += other.missing
        self.pending += other.pending

    @property
    def received(self) -> int:
        # A returned report was received; it is being corrected, not missing.
        return self.on_time + self.late + self.returned

    @property
    def expected(self) -> int:
        return self.received + self.missing

    @property
    def reporting_rate(self) -> float | None:
        return self.received / self.expected if self.expected else None

    @property
    def timeliness(self) -> float | None:
        return self.on_time / self.expected if self.expected else None

    @property
    def reporting_rate_text(self) -> str:
        return format_rate(self.reporting_rate)

    @property
    def timeliness_text(self) -> str:
        return format_rate(self.timeliness)

    def as_dict(self) -> dict:
        return {
            "expected": self.expected,
            "received": self.received,
            "on_time": self.on_time,
            "late": self.late,
            "returned": self.returned,
            "missing": self.missing,
            "pending": self.pending,
            "reporting_rate": _percent(self.reporting_rate),
            "timeliness": _percent(self.timeliness),
        }

    def __repr__(self) -> str:
        return f"Totals({self.as_dict()})"


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


# --- the roll-up --------------------------------------------------------------------------


@dataclass
class UnitInfo:
    id: int
    code: str
    name: str
    path: str
    depth: int
    # Levels below the top row of the table (0 for the top).
    level: int = 0
    # Must hand in at least one requirement (a participant, or named by a requirement).
    is_reporting: bool = False
    # Has reporting units below it: its row is a roll-up of them.
    has_children: bool = False
    sort_key: tuple = ()


@dataclass
class LateItem:
    unit: UnitInfo
    requirement: Requirement
    due_date: datetime.date
    counted_at: datetime.datetime
    days: int


@dataclass
class MissingItem:
    unit: UnitInfo
    requirement: Requirement
    due_date: datetime.date
    days: int


@dataclass
class CampaignRates:
    campaign: Campaign
    as_of: datetime.date
    requirements: list[Requirement]
    # Every due date of each requirement (ducha.submissions.periods).
    occurrences: dict[int, list[datetime.date]]
    # The table's rows: reporting units in scope and the units between them and the scope.
    units: list[UnitInfo]
    # Unit ids that must hand in each requirement.
    expected_units: dict[int, set[int]]
    # (requirement id, unit id, due date) → CellStatus value, for every cell considered.
    cells: dict[tuple[int, int, datetime.date], str]
    own: dict[int, Totals]
    rolled: dict[int, Totals]
    by_requirement: dict[int, Totals]
    by_period: dict[datetime.date, Totals]
    total: Totals
    late: list[LateItem]
    missing: list[MissingItem]
    # Unit id → ids of its table rows from the top down to itself (roll-up chain).
    chains: dict[int, list[int]] = field(default_factory=dict)


def _ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def _common_ids(paths: list[list[int]]) -> list[int]:
    common = paths[0]
    for ids in paths[1:]:
        size = 0
        while size < min(len(common), len(ids)) and common[size] == ids[size]:
            size += 1
        common = common[:size]
    return common


def _under_q(roots: list[str], field_name: str) -> Q:
    return reduce(or_, (Q(**{f"{field_name}__path__startswith": p}) for p in roots))


def campaign_rates(
    *,
    campaign: Campaign,
    user,
    under: OrgUnit | None = None,
    as_of: datetime.date | None = None,
) -> CampaignRates:
    """Expected, received, on time, returned and missing for every unit of the campaign that
    `user` may see (or only those under `under`), per unit, requirement and due date, each unit's
    figures rolled up over the reporting units below it, and the late and missing lists.

    `as_of` is the day we look from (today in China by default). A due date on `as_of` itself
    has not passed yet: the due day lasts until 23:59:59 China Standard Time.
    """
    as_of = as_of or periods.today_cst()
    roots = access.scope_paths(user, Cap.VIEW)
    if under is not None:
        if not any(under.path.startswith(root) for root in roots):
            raise Http404
        roots = [under.path]

    requirements = list(Requirement.objects.filter(campaign=campaign).order_by("due_date", "id"))
    if not roots:
        return _empty(campaign, as_of, requirements)

    # 1. Reporting units: participants, and units named by a requirement, inside the scope.
    unit_fields = ("id", "code", "name", "path", "depth", "sort_order")
    info: dict[int, tuple] = {}
    participants: list[int] = []
    for row in (
        Participant.objects.filter(_under_q(roots, "unit"), campaign=campaign, unit__is_active=True)
        .values_list(*(f"unit__{f}" for f in unit_fields))
        .order_by()
    ):
        info[row[0]] = row
        participants.append(row[0])
    # A requirement that names units binds those only. All its names are read, in scope or not:
    # one naming only units outside the scope binds nobody here, not every participant.
    named: dict[int, set[int]] = {}
    for req_id, is_active, *row in (
        Requirement.units.through.objects.filter(requirement__campaign=campaign)
        .values_list(
            "requirement_id", "orgunit__is_active", *(f"orgunit__{f}" for f in unit_fields)
        )
        .order_by()
    ):
        units_named = named.setdefault(req_id, set())
        if is_active and any(row[3].startswith(root) for root in roots):
            units_named.add(row[0])
            info[row[0]] = tuple(row)
    participant_set = set(participants)
    expected_units = {r.pk: named.get(r.pk, participant_set) for r in requirements}

    # 2. Submissions of those units, keyed by cell, each already on time, late or returned.
    # The database compares counted_at with due_at and hands back the time of late ones only:
    # turning every row's two timestamps into Python datetimes cost half the roll-up's time.
    late_at = Case(
        When(counted_at__gt=F("due_at"), then=F("counted_at")),
        default=None,
        output_field=DateTimeField(),
    )
    submissions: dict[tuple[int, int, datetime.date], tuple[str, datetime.datetime | None]] = {}
    ahead: dict[int, list[tuple[int, int, datetime.date]]] = defaultdict(list)
    returned_value = Submission.Status.RETURNED.value
    for req_id, unit_id, due_date, status, late_time in (
        Submission.objects.filter(_under_q(roots, "unit"), requirement__campaign=campaign)
        .annotate(late_at=late_at)
        .values_list("requirement_id", "unit_id", "due_date", "status", "late_at")
        .order_by()
    ):
        if status == returned_value:
            cell = CellStatus.RETURNED.value
        elif late_time is None:
            cell = CellStatus.ON_TIME.value
        else:
            cell = CellStatus.LATE.value
        submissions[(req_id, unit_id, due_date)] = (cell, late_time)
        if due_date > as_of:
            ahead[req_id].append((req_id, unit_id, due_date))

    # 3. The table's rows: under each scope root, start at the deepest unit holding all of the
    # root's reporting units, and add the units between it and them (roll-up rows).
    id_paths = {uid: _ids(row[3]) for uid, row in info.items()}
    chains: dict[int, list[int]] = {}
    for root in roots:
        root_len = len(_ids(root))
        members = [uid for uid, row in info.items() if row[3].startswith(root)]
        if not members:
            continue
        top = max(len(_common_ids([id_paths[uid] for uid in members])), root_len)
        for uid in members:
            chains[uid] = id_paths[uid][top - 1 :]
    missing_ids = {a for chain in chains.values() for a in chain} - info.keys()
    if missing_ids:
        for row in OrgUnit.objects.filter(pk__in=missing_ids).values_list(*unit_fields):
            info[row[0]] = row
    units_by_id: dict[int, UnitInfo] = {}
    for uid, chain in chains.items():
        for level, aid in enumerate(chain):
            if aid in units_by_id:
                continue
            row = info[aid]
            units_by_id[aid] = UnitInfo(
                id=aid, code=row[1], name=row[2], path=row[3], depth=row[4], level=level
            )
        units_by_id[uid].is_reporting = True
        for aid in chain[:-1]:
            units_by_id[aid].has_children = True
    for unit in units_by_id.values():
        chain = chains.get(unit.id) or _chain_of(unit, units_by_id)
        unit.sort_key = tuple((info[a][5], info[a][1]) for a in chain)
    units = sorted(units_by_id.values(), key=lambda u: u.sort_key)

    # 4. Every cell: a status, counted into its unit, requirement and due date.
    occ: dict[int, list[datetime.date]] = {}
    cells: dict[tuple[int, int, datetime.date], str] = {}
    own: dict[int, Totals] = {uid: Totals() for uid in chains}
    by_requirement: dict[int, Totals] = {r.pk: Totals() for r in requirements}
    by_period: dict[datetime.date, Totals] = defaultdict(Totals)
    late: list[LateItem] = []
    missing: list[MissingItem] = []
    late_s, missing_s, pending = (
        CellStatus.LATE.value,
        CellStatus.MISSING.value,
        CellStatus.PENDING.value,
    )
    for requirement in requirements:
        requirement.campaign = campaign  # periods reads the campaign's end: no query
        dates = periods.occurrences(requirement)
        occ[requirement.pk] = dates
        # Past due dates, and the next one; later ones only where a report came in early.
        counted_dates = [d for d in dates if d < as_of]
        later = [d for d in dates if d >= as_of]
        if later:
            counted_dates.append(later[0])
        later_set = set(later[1:])
        unit_ids = [uid for uid in expected_units[requirement.pk] if uid in chains]
        unit_set = set(unit_ids)
        req_totals = by_requirement[requirement.pk]
        req_id = requirement.pk
        for due_date in counted_dates:
            absent = missing_s if due_date < as_of else pending
            period_totals = by_period[due_date]
            for uid in unit_ids:
                key = (req_id, uid, due_date)
                sub = submissions.get(key)
                status = absent if sub is None else sub[0]
                cells[key] = status
                own[uid].add(status)
                req_totals.add(status)
                period_totals.add(status)
                if status == late_s:
                    late.append(_late_item(units_by_id[uid], requirement, due_date, sub[1]))
                elif status == missing_s:
                    days = (as_of - due_date).days
                    missing.append(MissingItem(units_by_id[uid], requirement, due_date, days))
        if later_set:
            # Reports handed in before a due date further ahead than the next one.
            for key in ahead[requirement.pk]:
                uid, due_date = key[1], key[2]
                if due_date not in later_set or uid not in unit_set:
                    continue
                status = submissions[key][0]
                cells[key] = status
                own[uid].add(status)
                req_totals.add(status)
                by_period[due_date].add(status)

    # 5. Roll-ups: each unit's figures added to every row above it.
    rolled: dict[int, Totals] = {uid: Totals() for uid in units_by_id}
    total = Totals()
    for uid, totals in own.items():
        for aid in chains[uid]:
            rolled[aid].merge(totals)
        total.merge(totals)

    order = {u.id: i for i, u in enumerate(units)}
    req_order = {r.pk: i for i, r in enumerate(requirements)}
    late.sort(key=lambda x: (-x.days, x.due_date, order[x.unit.id], req_order[x.requirement.pk]))
    missing.sort(key=lambda x: (-x.days, x.due_date, order[x.unit.id], req_order[x.requirement.pk]))
    return CampaignRates(
        campaign=campaign,
        as_of=as_of,
        requirements=requirements,
        occurrences=occ,
        units=units,
        expected_units=expected_units,
        cells=cells,
        own=own,
        rolled=rolled,
        by_requirement=by_requirement,
        by_period=dict(sorted(by_period.items())),
        total=total,
        late=late,
        missing=missing,
        chains={u.id: chains.get(u.id) or _chain_of(u, units_by_id) for u in units},
    )


def _chain_of(unit: UnitInfo, units_by_id: dict[int, UnitInfo]) -> list[int]:
    return [a for a in _ids(unit.path) if a in units_by_id]


def _late_item(unit, requirement, due_date, counted_at) -> LateItem:
    days = (timezone.localtime(counted_at, CST).date() - due_date).days
    return LateItem(unit, requirement, due_date, counted_at, days)


def _empty(campaign, as_of, requirements) -> CampaignRates:
    return CampaignRates(
        campaign=campaign,
        as_of=as_of,
        requirements=requirements,
        occurrences={r.pk: [r.due_date] for r in requirements},
        units=[],
        expected_units={r.pk: set() for r in requirements},
        cells={},
        own={},
        rolled={},
        by_requirement={r.pk: Totals() for r in requirements},
        by_period={},
        total=Totals(),
        late=[],
        missing=[],
    )


# --- the units × requirements grid --------------------------------------------------------


@dataclass
class GridColumn:
    requirement: Requirement
    due_date: datetime.date
    totals: Totals


@dataclass
class GridCell:
    # The unit's own status; "" when the unit need not hand this requirement in.
    status: str
    # Over the reporting units below (and including) a roll-up row.
    rollup: Totals | None = None

    @property
    def label(self) -> str:
        return CellStatus(self.status).label if self.status else ""


@dataclass
class GridRow:
    unit: UnitInfo
    cells: list[GridCell]
    totals: Totals


@dataclass
class Grid:
    period: datetime.date | None
    periods: list[datetime.date]
    columns: list[GridColumn]
    rows: list[GridRow]


def due_date_for(dates: list[datetime.date], on: datetime.date) -> datetime.date:
    """The due date in force on `on`: the latest one not after it, else the first one."""
    chosen = dates[0]
    for date in dates:
        if date > on:
            break
        chosen = date
    return chosen


def rates_grid(rates: CampaignRates, *, period: datetime.date | None = None) -> Grid:
    """Rows of units, a column per requirement showing one due date of it: the one in force on
    `period` (by default the latest that has come, for a recurring requirement)."""
    on = period or rates.as_of
    columns = [
        GridColumn(r, due_date_for(rates.occurrences[r.pk], on), Totals())
        for r in rates.requirements
    ]
    # Periods to choose from: the recurring requirements' due dates up to the next one.
    choices: set[datetime.date] = {period} if period else set()
    for r in rates.requirements:
        if r.recurrence == Requirement.Recurrence.ONCE:
            continue
        for d in rates.occurrences[r.pk]:
            choices.add(d)
            if d >= rates.as_of:
                break
    own_status: dict[int, list[str]] = {}
    rollups: dict[int, list[Totals]] = {
        u.id: [Totals() for _ in columns] for u in rates.units if u.has_children
    }
    pending = CellStatus.PENDING.value
    for unit in rates.units:
        if not unit.is_reporting:
            continue
        statuses = []
        for index, column in enumerate(columns):
            req_id = column.requirement.pk
            if unit.id not in rates.expected_units.get(req_id, ()):
                statuses.append("")
                continue
            status = rates.cells.get((req_id, unit.id, column.due_date), pending)
            statuses.append(status)
            column.totals.add(status)
            for aid in rates.chains[unit.id]:
                if aid in rollups:
                    rollups[aid][index].add(status)
        own_status[unit.id] = statuses
    rows = []
    for unit in rates.units:
        statuses = own_status.get(unit.id) or [""] * len(columns)
        sums = rollups.get(unit.id)
        cells = [GridCell(status, sums[i] if sums else None) for i, status in enumerate(statuses)]
        rows.append(GridRow(unit, cells, rates.rolled[unit.id]))
    return Grid(period=period, periods=sorted(choices), columns=columns, rows=rows)


def roots_of(rates: CampaignRates) -> list[UnitInfo]:
    return [u for u in rates.units if u.level == 0]
