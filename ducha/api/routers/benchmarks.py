"""Benchmarks (对照标杆): /api/benchmarks. A unit's benchmarks, the gap per indicator for a
month, the benchmark's values and the measures adopted to close the gap."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from ducha.api.refs import resolve_ref
from ducha.assessment.models import Indicator
from ducha.assessment.scoring import assessed_units, check_period
from ducha.benchmarks import selectors, services
from ducha.benchmarks.models import Benchmark, BenchmarkMeasure
from ducha.orgs import access

router = Router(tags=["benchmarks"])


class BenchmarkOut(Schema):
    id: int
    campaign_id: int
    unit_id: int
    unit_name: str
    kind: str
    benchmark_unit_id: int | None
    name: str
    note: str
    indicator_ids: list[int]
    is_active: bool

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_indicator_ids(obj) -> list[int]:
        return [i.pk for i in obj.indicators.all()]


class BenchmarkIn(Schema):
    unit_id: int
    kind: Benchmark.Kind
    indicator_ids: list[int]
    benchmark_unit_id: int | None = None
    name: str = ""
    note: str = ""


@router.get("/campaigns/{int:campaign_id}/benchmarks", response=list[BenchmarkOut])
def benchmark_list(request, campaign_id: int):
    """Benchmarks of the campaign's units in the caller's scope."""
    campaign = access.get_campaign_for_user(request.user, campaign_id)
    return list(selectors.benchmark_list(request.user, campaign))


def _indicators(campaign, ids: list[int], field: str) -> list[Indicator]:
    found = {i.pk: i for i in campaign.indicators.filter(pk__in=ids)}
    if set(ids) - set(found):
        raise ValidationError({field: [_("No such indicator in this campaign.")]})
    return [found[pk] for pk in ids]


@router.post("/campaigns/{int:campaign_id}/benchmarks", response={201: BenchmarkOut})
def benchmark_create(request, campaign_id: int, payload: BenchmarkIn):
    """A unit of the campaign picks a benchmark: a unit in Ducha (`kind` "unit",
    `benchmark_unit_id`) or outside it (`kind` "outside", `name`), and the indicators to
    compare on. 422 if the same benchmark exists already."""
    user = request.user
    campaign = access.get_campaign_for_user(user, campaign_id)
    unit = resolve_ref(access.get_unit_for_user, user, payload.unit_id, field="unit_id")
    benchmark_unit = None
    if payload.kind == Benchmark.Kind.UNIT and payload.benchmark_unit_id is not None:
        benchmark_unit = _participant(campaign, payload.benchmark_unit_id)
    benchmark = services.benchmark_create(
        actor=user,
        campaign=campaign,
        unit=unit,
        kind=payload.kind,
        indicators=_indicators(campaign, payload.indicator_ids, "indicator_ids"),
        benchmark_unit=benchmark_unit,
        name=payload.name,
        note=payload.note,
    )
    return Status(201, benchmark)


def _participant(campaign, unit_id: int):
    # A peer benchmark may lie outside the caller's scope: it is looked up among the
    # campaign's units, not through the caller's subtree.
    unit = next((u for u in assessed_units(campaign) if u.pk == unit_id), None)
    if unit is None:
        raise ValidationError(
            {"benchmark_unit_id": [_("The benchmark unit must take part in the campaign.")]}
        )
    return unit


class PointOut(Schema):
    period: str
    own: Decimal | None
    benchmark: Decimal | None
    source: str
    gap: Decimal | None
    position: str | None


class GapRowOut(Schema):
    indicator_id: int
    indicator: str
    lower_is_better: bool
    current: PointOut
    trend: list[PointOut]


class MeasureOut(Schema):
    id: int
    indicator_id: int | None
    text: str
    responsible_person: str
    due_on: datetime.date | None
    status: str
    done_at: datetime.datetime | None


class BenchmarkDetailOut(BenchmarkOut):
    period: str
    gap_error: str | None
    peer_values_shown: bool
    rows: list[GapRowOut]
    measures: list[MeasureOut]

    @staticmethod
    def resolve_measures(obj) -> list:
        return list(obj.measures.all())


class PeriodIn(Schema):
    period: str | None = None


def _point(point) -> dict:
    return {
        "period": point.period,
        "own": point.own,
        "benchmark": point.benchmark,
        "source": point.source,
        "gap": point.gap,
        "position": point.position and str(point.position),
    }


@router.get("/{int:benchmark_id}", response=BenchmarkDetailOut)
def benchmark_detail(request, benchmark_id: int, filters: Query[PeriodIn]):
    """The benchmark with the gap per indicator for `period` (YYYY-MM, default this month)
    and the six months up to it. A missing value is null, never 0; gap = own − benchmark, and
    `position` is "behind", "level" or "ahead" (for an "at most" indicator lower is better).
    When the campaign's weights do not add up to 100, `gap_error` says so and rows are empty."""
    user = request.user
    benchmark = access.get_benchmark_for_user(user, benchmark_id)
    period = filters.period or timezone.localdate().strftime("%Y-%m")
    check_period(period)  # a bad month is a 422 on `period`
    rows, error, peer_shown = [], None, False
    try:
        comparison = selectors.benchmark_comparison(benchmark=benchmark, period=period, user=user)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    else:
        peer_shown = comparison.peer_values_shown
        rows = [
            {
                "indicator_id": row.indicator.pk,
                "indicator": row.indicator.content,
                "lower_is_better": row.lower_is_better,
                "current": _point(row.current),
                "trend": [_point(p) for p in row.points],
            }
            for row in comparison.rows
        ]
    benchmark.period, benchmark.gap_error, benchmark.rows = period, error, rows
    benchmark.peer_values_shown = peer_shown
    return benchmark


class ValueIn(Schema):
    indicator_id: int
    period: str
    value: Decimal
    source: str


class ValueOut(Schema):
    id: int
    indicator_id: int
    period: str
    value: Decimal
    source: str


def _indicator_of(benchmark):
    def get(_user, pk):
        try:
            return benchmark.indicators.get(pk=int(pk))
        except (TypeError, ValueError, Indicator.DoesNotExist):
            raise Http404 from None

    return get


@router.post("/{int:benchmark_id}/values", response=ValueOut)
def value_set(request, benchmark_id: int, payload: ValueIn):
    """The benchmark's value (0–100) of one of its indicators for a month, with its source;
    a second value for the same month replaces the first."""
    user = request.user
    benchmark = access.get_benchmark_for_user(user, benchmark_id, write=True)
    indicator = resolve_ref(
        _indicator_of(benchmark), user, payload.indicator_id, field="indicator_id"
    )
    return services.benchmark_value_set(
        actor=user,
        benchmark=benchmark,
        indicator=indicator,
        period=payload.period,
        value=payload.value,
        source=payload.source,
    )


class MeasureIn(Schema):
    text: str
    responsible_person: str
    indicator_id: int | None = None
    due_on: datetime.date | None = None


@router.post("/{int:benchmark_id}/measures", response={201: MeasureOut})
def measure_create(request, benchmark_id: int, payload: MeasureIn):
    """A measure adopted to close the gap; 422 if the same measure is on the list already."""
    user = request.user
    benchmark = access.get_benchmark_for_user(user, benchmark_id, write=True)
    indicator = resolve_ref(
        _indicator_of(benchmark), user, payload.indicator_id, field="indicator_id"
    )
    measure = services.benchmark_measure_create(
        actor=user,
        benchmark=benchmark,
        text=payload.text,
        responsible_person=payload.responsible_person,
        indicator=indicator,
        due_on=payload.due_on,
    )
    return Status(201, measure)


@router.post("/{int:benchmark_id}/measures/{int:measure_id}/done", response=MeasureOut)
def measure_done(request, benchmark_id: int, measure_id: int):
    """Mark a measure done; marking it again changes nothing."""
    user = request.user
    benchmark = access.get_benchmark_for_user(user, benchmark_id, write=True)
    try:
        measure = benchmark.measures.get(pk=measure_id)
    except BenchmarkMeasure.DoesNotExist:
        raise Http404 from None
    return services.benchmark_measure_done(actor=user, measure=measure)
