"""Reads of benchmarks: the list of a campaign, and the gap per indicator with its trend.

The unit's own values are Ducha's: its cells of the campaign's monthly ranking. A benchmark
inside Ducha gives its values the same way, but only to a viewer who may see that unit; an
entered value (an outside benchmark's, or a peer's published figure) wins over Ducha's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from ducha.assessment import scoring
from ducha.assessment.models import Indicator
from ducha.orgs import access

from .models import Benchmark, BenchmarkMeasure

TREND_MONTHS = 6


class Position(TextChoices):
    BEHIND = "behind", pgettext_lazy("benchmark gap", "Behind")
    LEVEL = "level", pgettext_lazy("benchmark gap", "Level")
    AHEAD = "ahead", pgettext_lazy("benchmark gap", "Ahead")


def benchmark_list(user, campaign):
    """Benchmarks of the campaign's units in the user's scope, with their measure counts."""
    return (
        access.benchmarks_for_user(user)
        .filter(campaign=campaign)
        .select_related("unit", "benchmark_unit")
        .prefetch_related("indicators")
        .annotate(
            measures_adopted=Count(
                "measures", filter=Q(measures__status=BenchmarkMeasure.Status.ADOPTED)
            ),
            measures_done=Count(
                "measures", filter=Q(measures__status=BenchmarkMeasure.Status.DONE)
            ),
        )
        .order_by("-is_active", "unit__path", "name", "id")
    )


def _text(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}"


@dataclass
class Point:
    """One indicator in one month: the unit's value beside the benchmark's."""

    period: str
    own: Decimal | None
    benchmark: Decimal | None
    source: str
    lower_is_better: bool

    @property
    def gap(self) -> Decimal | None:
        """Own value minus the benchmark's; None unless both are known."""
        if self.own is None or self.benchmark is None:
            return None
        return self.own - self.benchmark

    @property
    def position(self) -> str | None:
        gap = self.gap
        if gap is None:
            return None
        if gap == 0:
            return Position.LEVEL
        # "At most" indicators (waiting time, overdue rate): a higher value is worse.
        behind = gap > 0 if self.lower_is_better else gap < 0
        return Position.BEHIND if behind else Position.AHEAD

    @property
    def is_behind(self) -> bool:
        return self.position == Position.BEHIND

    @property
    def is_ahead(self) -> bool:
        return self.position == Position.AHEAD

    @property
    def position_label(self) -> str:
        return Position(self.position).label if self.position else "—"

    @property
    def own_text(self) -> str:
        return _text(self.own)

    @property
    def benchmark_text(self) -> str:
        return _text(self.benchmark)

    @property
    def gap_text(self) -> str:
        gap = self.gap
        if gap is None:
            return "—"
        return f"+{gap}" if gap > 0 else f"{gap}"


@dataclass
class IndicatorComparison:
    indicator: Indicator
    points: list[Point]  # oldest month first; the last is the month asked for

    @property
    def current(self) -> Point:
        return self.points[-1]

    @property
    def lower_is_better(self) -> bool:
        return self.indicator.comparator == Indicator.Comparator.AT_MOST


@dataclass
class Comparison:
    benchmark: Benchmark
    period: str
    periods: list[str]
    rows: list[IndicatorComparison] = field(default_factory=list)
    # Whether Ducha's own figures of a benchmark unit were shown to this viewer.
    peer_values_shown: bool = False


def benchmark_comparison(
    *, benchmark: Benchmark, period: str, user, months: int = TREND_MONTHS
) -> Comparison:
    """The gap per indicator for `period` and the `months` months up to it. Raises
    ValidationError for a bad month or when the campaign's weights do not add up to 100."""
    periods = scoring.previous_periods(period, months)
    indicators = list(benchmark.indicators.order_by("order", "id"))
    peer_id = benchmark.benchmark_unit_id
    peer_shown = bool(peer_id) and access.may_see_benchmark_unit_values(
        user, benchmark.benchmark_unit
    )
    unit_ids = {benchmark.unit_id} | ({peer_id} if peer_shown else set())
    values = scoring.unit_values(
        campaign=benchmark.campaign, period=period, user=user, unit_ids=unit_ids, months=months
    )
    own = {(i, m): v for (u, i, m), v in values.items() if u == benchmark.unit_id}
    peer = {(i, m): v for (u, i, m), v in values.items() if peer_shown and u == peer_id}
    entered = {(v.indicator_id, v.period): v for v in benchmark.values.filter(period__in=periods)}
    ducha = _("Ducha's own data")
    comparison = Comparison(
        benchmark=benchmark, period=periods[-1], periods=periods, peer_values_shown=peer_shown
    )
    for indicator in indicators:
        lower = indicator.comparator == Indicator.Comparator.AT_MOST
        points = []
        for month in periods:
            key = (indicator.pk, month)
            if key in entered:
                value, source = entered[key].value, entered[key].source
            else:
                value = peer.get(key)
                source = ducha if value is not None else ""
            points.append(
                Point(
                    period=month,
                    own=own.get(key),
                    benchmark=value,
                    source=source,
                    lower_is_better=lower,
                )
            )
        comparison.rows.append(IndicatorComparison(indicator=indicator, points=points))
    return comparison


def chart_data(comparison: Comparison) -> dict:
    """What static/js/benchmarks.js draws: per indicator, own and benchmark values by month."""
    as_float = lambda v: None if v is None else float(v)  # noqa: E731
    return {
        "periods": comparison.periods,
        "own_label": comparison.benchmark.unit.name,
        "benchmark_label": comparison.benchmark.name,
        "no_data": _("No value in these months."),
        "indicators": [
            {
                "id": row.indicator.pk,
                "own": [as_float(p.own) for p in row.points],
                "benchmark": [as_float(p.benchmark) for p in row.points],
            }
            for row in comparison.rows
        ],
    }
