"""Scores and ranking of a campaign's units for one month (DOMAIN §10).

Rules, chosen so that a score can be recomputed from the same data:
- an indicator's value is a percentage (computed) or a hand score, both 0–100; it earns
  `weight × value / 100` points;
- a value with no data is missing (None, shown "—"), never 0. The unit's score is then taken
  over the indicators that have data, the weights redistributed: `100 × points / weight with
  data`; the row is marked incomplete and lists what is missing;
- weights must add up to 100, or no ranking is computed;
- a veto item whose target is missed fails the unit whatever its score; failed units rank
  below all others of their peer group;
- peers are units with the same parent and kind; equal scores share a rank (1, 1, 3); the
  lowest rank of a group of two or more is flagged bottom-ranked (末位).
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ducha.orgs.models import OrgUnit

from .models import Indicator, ManualScore

HUNDRED = Decimal(100)
_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def check_period(period: str) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a YYYY-MM period."""
    match = _PERIOD.match(period or "")
    if not match:
        raise ValidationError({"period": [_("Give the month as YYYY-MM.")]})
    year, month = int(match[1]), int(match[2])
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, 1), datetime.date(year, month, last)


def _q(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class Cell:
    indicator: Indicator
    value: Decimal | None
    met: bool | None

    @property
    def text(self) -> str:
        return "—" if self.value is None else f"{self.value}"


@dataclass
class UnitScore:
    unit: OrgUnit
    cells: list[Cell]
    score: Decimal | None
    incomplete: bool
    failed: bool
    rank: int | None = None
    peers: int = 0
    bottom: bool = False
    missing: list[str] = field(default_factory=list)

    @property
    def score_text(self) -> str:
        return "—" if self.score is None else f"{self.score}"


@dataclass
class Ranking:
    campaign: object
    period: str
    indicators: list[Indicator]
    rows: list[UnitScore]


def check_weights(indicators: list[Indicator]) -> None:
    total = sum((i.weight for i in indicators), Decimal(0))
    if total != HUNDRED:
        raise ValidationError(
            _("The weights of the indicators add up to %(total)s, not 100.") % {"total": total}
        )


# --- computed values: one function per source, each {unit id: percentage or None} ---------


def _timeliness(campaign, units, start, end, user) -> dict[int, Decimal | None]:
    from django.utils import timezone

    from ducha.submissions.rates import CellStatus, campaign_rates

    # A month still running is looked at from today: later due dates are not yet due.
    rates = campaign_rates(campaign=campaign, user=user, as_of=min(end, timezone.localdate()))
    on_time: dict[int, int] = defaultdict(int)
    due: dict[int, int] = defaultdict(int)
    for (_req, unit_id, due_date), status in rates.cells.items():
        if start <= due_date <= end and status != CellStatus.PENDING:
            due[unit_id] += 1
            on_time[unit_id] += status == CellStatus.ON_TIME
    return {u.pk: (_q(HUNDRED * on_time[u.pk] / due[u.pk]) if due[u.pk] else None) for u in units}


def day_bounds(start, end) -> tuple[datetime.datetime, datetime.datetime]:
    """From local midnight of `start` to local midnight after `end`: a range the created_at
    index serves (a __date lookup runs a function on every row)."""
    from django.utils import timezone

    zone = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    until = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return since, until


def _by_subtree(units, rows):
    """Group (unit path, item) rows under every assessed unit whose subtree holds the path:
    one pass over the rows, no query per unit."""
    by_path = {u.path: u.pk for u in units}
    grouped: dict[int, list] = defaultdict(list)
    for path, item in rows:
        parts = path.strip("/").split("/")
        for depth in range(1, len(parts) + 1):
            unit_id = by_path.get("/" + "/".join(parts[:depth]) + "/")
            if unit_id is not None:
                grouped[unit_id].append(item)
    return grouped


def _closure_rate(campaign, units, start, end, user) -> dict[int, Decimal | None]:
    """Of the problems found in the month in the unit's subtree, the share finished (closed
    after verification or solved on the spot); invalid ones do not count."""
    from ducha.problems.models import Problem

    since, until = day_bounds(start, end)
    rows = (
        Problem.objects.filter(campaign=campaign, created_at__gte=since, created_at__lt=until)
        .exclude(status=Problem.Status.INVALID)
        .values_list("unit__path", "status")
    )
    grouped = _by_subtree(units, rows)
    result = {}
    for unit in units:
        statuses = grouped.get(unit.pk, [])
        closed = sum(s in Problem.FINISHED for s in statuses)
        result[unit.pk] = _q(HUNDRED * closed / len(statuses)) if statuses else None
    return result


def _overdue_rate(campaign, units, start, end, user) -> dict[int, Decimal | None]:
    """Of the rectifications due in the month whose deadline has passed, the share not done by
    the deadline (lower is better). Done is the day the unit claimed it done, as for the
    three-colour lights: the wait for verification is not the unit's delay; an item sent back
    loses its claim. A deadline still ahead does not count yet."""
    from django.utils import timezone

    from ducha.problems.models import Problem, Rectification

    today = timezone.localdate()
    rows = (
        Rectification.objects.filter(
            problem__campaign=campaign, deadline__gte=start, deadline__lte=end
        )
        .exclude(problem__status=Problem.Status.INVALID)
        .values_list("problem__unit__path", "deadline", "claimed_at", "closed_at")
    )
    counted = []
    for path, deadline, claimed_at, closed_at in rows:
        done_at = claimed_at or closed_at
        done_on = timezone.localtime(done_at).date() if done_at else None
        if done_on is None and deadline >= today:
            continue
        counted.append((path, done_on is None or done_on > deadline))
    grouped = _by_subtree(units, counted)
    result = {}
    for unit in units:
        flags = grouped.get(unit.pk, [])
        result[unit.pk] = _q(HUNDRED * sum(flags) / len(flags)) if flags else None
    return result


def _inspection_findings(campaign, units, start, end, user) -> dict[int, Decimal | None]:
    """Of the month's inspection rounds that inspected the unit (or a unit below it), the share
    that found nothing there. Not inspected in the month: no data."""
    from ducha.inspections.models import Finding, InspectionRound

    inspected = InspectionRound.units.through.objects.filter(
        inspectionround__campaign=campaign,
        inspectionround__date__gte=start,
        inspectionround__date__lte=end,
    ).values_list("orgunit__path", "inspectionround_id")
    found = Finding.objects.filter(
        round__campaign=campaign, round__date__gte=start, round__date__lte=end
    ).values_list("unit__path", "round_id")
    rounds = _by_subtree(units, inspected)
    with_findings = _by_subtree(units, found)
    result = {}
    for unit in units:
        seen = set(rounds.get(unit.pk, []))
        dirty = seen & set(with_findings.get(unit.pk, []))
        result[unit.pk] = _q(HUNDRED * (len(seen) - len(dirty)) / len(seen)) if seen else None
    return result


def _quota_attainment(campaign, units, start, end, user) -> dict[int, Decimal | None]:
    """The mean attainment of the campaign's quotas judged in a window overlapping the month
    (the month itself, or the year it falls in). A month outside every window: no data."""
    from ducha.visits.models import Quota
    from ducha.visits.quotas import quota_attainment, quota_windows

    rates: dict[int, list[float]] = defaultdict(list)
    for quota in Quota.objects.filter(campaign=campaign):
        window = next(
            (w for w in quota_windows(quota, end) if w.start <= end and w.end >= start), None
        )
        if window is None:
            continue
        result = quota_attainment(quota, user=user, window_key=window.key, today=end)
        for row in result.units:
            if row.subjects:
                rates[row.id].append(row.rate)
    return {
        u.pk: (_q(HUNDRED * Decimal(sum(rates[u.pk])) / len(rates[u.pk])) if rates[u.pk] else None)
        for u in units
    }


def _satisfaction(campaign, units, start, end, user) -> dict[int, Decimal | None]:
    from ducha.surveys.models import Survey
    from ducha.surveys.results import unit_table

    period = start.strftime("%Y-%m")
    rates: dict[int, list[float]] = defaultdict(list)
    for survey in Survey.objects.filter(campaign=campaign, kind=Survey.Kind.SATISFACTION):
        for row in unit_table(survey, period, units):
            if not row.hidden and row.satisfaction and row.satisfaction.rate is not None:
                rates[row.key].append(row.satisfaction.rate)
    return {
        u.pk: (_q(HUNDRED * Decimal(sum(rates[u.pk])) / len(rates[u.pk])) if rates[u.pk] else None)
        for u in units
    }


SOURCES = {
    Indicator.Source.TIMELINESS: _timeliness,
    Indicator.Source.CLOSURE_RATE: _closure_rate,
    Indicator.Source.QUOTA_ATTAINMENT: _quota_attainment,
    Indicator.Source.SATISFACTION: _satisfaction,
    Indicator.Source.OVERDUE_RATE: _overdue_rate,
    Indicator.Source.INSPECTION_FINDINGS: _inspection_findings,
}


def assessed_units(campaign) -> list[OrgUnit]:
    return list(
        OrgUnit.objects.filter(participations__campaign=campaign, is_active=True)
        .exclude(kind=OrgUnit.Kind.DEPARTMENT)
        .order_by("path")
    )


def campaign_ranking(*, campaign, period: str, user) -> Ranking:
    """Each participant unit's score for the month, its rank among its peers, veto failures
    and the bottom-ranked flag. Raises ValidationError if the weights do not add up to 100."""
    start, end = check_period(period)
    indicators = list(campaign.indicators.all())
    check_weights(indicators)
    units = assessed_units(campaign)
    computed = {
        source: SOURCES[source](campaign, units, start, end, user)
        for source in {i.computed_source for i in indicators if i.is_computed}
    }
    manual = {
        (s.indicator_id, s.unit_id): s.value
        for s in ManualScore.objects.filter(indicator__campaign=campaign, period=period)
    }
    from .models import ScoreCorrection

    # An accepted appeal's corrected value replaces the computed or hand-given one.
    corrections = ScoreCorrection.objects.values_for(campaign=campaign, period=period)
    rows = []
    for unit in units:
        cells, points, weight_with_data, failed, missing = [], Decimal(0), Decimal(0), False, []
        for indicator in indicators:
            if indicator.is_computed:
                value = computed[indicator.computed_source].get(unit.pk)
            else:
                value = manual.get((indicator.pk, unit.pk))
            value = corrections.get((indicator.pk, unit.pk), value)
            met = None if value is None else indicator.meets_target(value)
            cells.append(Cell(indicator=indicator, value=value, met=met))
            if value is None:
                missing.append(indicator.content)
                continue
            earned = HUNDRED - value if indicator.lower_is_better else value
            points += indicator.weight * earned / HUNDRED
            weight_with_data += indicator.weight
            if indicator.veto and met is False:
                failed = True
        score = _q(HUNDRED * points / weight_with_data) if weight_with_data else None
        rows.append(
            UnitScore(
                unit=unit,
                cells=cells,
                score=score,
                incomplete=bool(missing),
                failed=failed,
                missing=missing,
            )
        )
    _rank(rows)
    return Ranking(campaign=campaign, period=period, indicators=indicators, rows=rows)


def _rank(rows: list[UnitScore]) -> None:
    groups: dict[tuple, list[UnitScore]] = defaultdict(list)
    for row in rows:
        if row.score is not None:
            groups[(row.unit.parent_id, row.unit.kind)].append(row)
    for group in groups.values():
        group.sort(key=lambda r: (r.failed, -r.score, r.unit.path))
        previous_key, rank = None, 0
        for position, row in enumerate(group, start=1):
            key = (row.failed, row.score)
            if key != previous_key:
                rank, previous_key = position, key
            row.rank, row.peers = rank, len(group)
        if len(group) > 1:
            lowest = group[-1].rank
            for row in group:
                row.bottom = row.rank == lowest and lowest > 1
    rows.sort(key=lambda r: (r.unit.parent_id or 0, r.unit.kind, r.rank or 10**6, r.unit.path))


def default_period(campaign) -> str:
    """The month a page shows first: this month while the campaign runs, else its last month
    (or its first, before it starts)."""
    from django.utils import timezone

    day = timezone.localdate()
    if campaign.ends_on and day > campaign.ends_on:
        day = campaign.ends_on
    if campaign.starts_on and day < campaign.starts_on:
        day = campaign.starts_on
    return day.strftime("%Y-%m")


def previous_periods(period: str, count: int) -> list[str]:
    """`count` months ending with `period`, oldest first."""
    from ducha.surveys.periods import previous

    check_period(period)
    return previous(period, count)


def _monthly_rows(*, campaign, periods: list[str], user, current: Ranking | None = None):
    """(month, [(unit id, score, {indicator id: value})]) for each of `periods`. An earlier
    month whose scores were published is read from its current release — the official
    figures, and no recomputation; the last month and unpublished ones are computed, the
    last one taken from `current` when the caller has it already."""
    from .models import ScoreRelease

    published = {
        release.period: release
        for release in ScoreRelease.objects.filter(
            campaign=campaign, period__in=periods[:-1], superseded_by=None
        ).only("period", "rows")
    }

    def number(value):
        return None if value is None else Decimal(value)

    for month in periods:
        release = published.get(month)
        if release is not None:
            rows = [
                (
                    row["unit_id"],
                    number(row["score"]),
                    {c["indicator_id"]: number(c["value"]) for c in row["cells"]},
                )
                for row in release.rows
            ]
        else:
            if current is not None and current.period == month:
                ranking = current
            else:
                ranking = campaign_ranking(campaign=campaign, period=month, user=user)
            rows = [
                (row.unit.pk, row.score, {c.indicator.pk: c.value for c in row.cells})
                for row in ranking.rows
            ]
        yield month, rows


def score_trend(
    *, campaign, period: str, user, months: int = 3, current: Ranking | None = None
) -> dict[int, list]:
    """Each unit's score in the `months` months up to `period` (None where missing); published
    earlier months as published (_monthly_rows). `current`: the ranking of `period`, if the
    caller has computed it already."""
    periods = previous_periods(period, months)
    monthly = _monthly_rows(campaign=campaign, periods=periods, user=user, current=current)
    by_month = [{unit_id: score for unit_id, score, _cells in rows} for _month, rows in monthly]
    units = {unit_id for scores in by_month for unit_id in scores}
    return {
        unit_id: [
            (month, scores.get(unit_id)) for month, scores in zip(periods, by_month, strict=True)
        ]
        for unit_id in units
    }


def unit_values(
    *, campaign, period: str, user, unit_ids: set[int], months: int
) -> dict[tuple[int, int, str], Decimal | None]:
    """{(unit id, indicator id, month): value} of the given units over the `months` months up
    to `period`; published earlier months as published (_monthly_rows)."""
    periods = previous_periods(period, months)
    return {
        (unit_id, indicator_id, month): value
        for month, rows in _monthly_rows(campaign=campaign, periods=periods, user=user)
        for unit_id, _score, cells in rows
        if unit_id in unit_ids
        for indicator_id, value in cells.items()
    }
