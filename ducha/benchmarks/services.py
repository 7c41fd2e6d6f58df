"""Actions on benchmarks: choose one, enter or import its values, record the measures adopted
to close the gap and mark them done. Each checks the actor through access.may_benchmark."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.assessment.models import Indicator
from ducha.assessment.scoring import assessed_units, check_period
from ducha.audit.services import audit_record, snapshot
from ducha.orgs import access
from ducha.orgs.models import OrgUnit

from .models import Benchmark, BenchmarkMeasure, BenchmarkValue
from .tables import read_value_rows


def _require(actor, benchmark: Benchmark) -> None:
    if not access.may_benchmark(actor, benchmark.campaign, benchmark.unit):
        raise PermissionDenied


def _require_active(benchmark: Benchmark) -> None:
    if not benchmark.is_active:
        raise ValidationError(_("This benchmark is no longer followed; restore it first."))


def _locked(benchmark: Benchmark) -> Benchmark:
    # Writes to one benchmark queue up on its row, so a double click can't add a row twice.
    return Benchmark.objects.select_for_update().get(pk=benchmark.pk)


def _campaign_indicators(campaign, indicators: Iterable[Indicator]) -> list[Indicator]:
    indicators = list(dict.fromkeys(indicators))
    if not indicators:
        raise ValidationError({"indicators": [_("Choose at least one indicator to compare on.")]})
    if any(i.campaign_id != campaign.pk for i in indicators):
        raise ValidationError({"indicators": [_("Choose indicators of this campaign.")]})
    return indicators


def _snapshot(benchmark: Benchmark, indicators: list[Indicator]) -> dict:
    return snapshot(benchmark) | {"indicators": sorted(i.pk for i in indicators)}


def benchmark_create(
    *,
    actor,
    campaign,
    unit: OrgUnit,
    kind: str,
    indicators: Iterable[Indicator],
    benchmark_unit: OrgUnit | None = None,
    name: str = "",
    note: str = "",
) -> Benchmark:
    """A unit of the campaign picks a benchmark: another unit of the campaign, or a leading
    unit or region outside Ducha, and the indicators to compare on."""
    if not access.may_benchmark(actor, campaign, unit):
        raise PermissionDenied
    participants = {u.pk for u in assessed_units(campaign)}
    if unit.pk not in participants:
        raise ValidationError({"unit": [_("This unit does not take part in the campaign.")]})
    indicators = _campaign_indicators(campaign, indicators)
    benchmark = Benchmark(
        campaign=campaign, unit=unit, kind=kind, note=(note or "").strip(), created_by=actor
    )
    if kind == Benchmark.Kind.UNIT:
        if benchmark_unit is None:
            raise ValidationError({"benchmark_unit": [_("Choose the unit to compare with.")]})
        if benchmark_unit.pk == unit.pk:
            raise ValidationError({"benchmark_unit": [_("A unit can't be its own benchmark.")]})
        if benchmark_unit.pk not in participants:
            raise ValidationError(
                {"benchmark_unit": [_("The benchmark unit must take part in the campaign.")]}
            )
        benchmark.benchmark_unit = benchmark_unit
        benchmark.name = benchmark_unit.name
    elif kind == Benchmark.Kind.OUTSIDE:
        benchmark.name = (name or "").strip()
        if not benchmark.name:
            raise ValidationError({"name": [_("Name the unit or region to compare with.")]})
    benchmark.full_clean(exclude=["created_by"], validate_unique=False, validate_constraints=False)
    duplicate = Benchmark.objects.filter(campaign=campaign, unit=unit, name=benchmark.name)
    if benchmark.benchmark_unit_id:
        duplicate = duplicate | Benchmark.objects.filter(
            campaign=campaign, unit=unit, benchmark_unit=benchmark.benchmark_unit
        )
    field = "benchmark_unit" if benchmark.benchmark_unit_id else "name"
    exists = ValidationError({field: [_("This unit already has this benchmark.")]})
    if duplicate.exists():
        raise exists
    try:
        with transaction.atomic():
            benchmark.save()
            benchmark.indicators.set(indicators)
            audit_record(
                actor=actor,
                action="create",
                obj=benchmark,
                unit_path=unit.path,
                after=_snapshot(benchmark, indicators),
            )
    except IntegrityError:  # the same benchmark sent twice at once
        raise exists from None
    return benchmark


def benchmark_update(
    *, actor, benchmark: Benchmark, indicators: Iterable[Indicator], note: str
) -> Benchmark:
    """Change the indicators compared on and the reason; values already entered stay."""
    _require(actor, benchmark)
    indicators = _campaign_indicators(benchmark.campaign, indicators)
    with transaction.atomic():
        locked = _locked(benchmark)
        before = _snapshot(locked, list(locked.indicators.all()))
        locked.note = (note or "").strip()
        locked.save(update_fields=["note", "updated_at"])
        locked.indicators.set(indicators)
        after = _snapshot(locked, indicators)
        if before != after:
            audit_record(
                actor=actor,
                action="update",
                obj=locked,
                unit_path=locked.unit.path,
                before=before,
                after=after,
            )
    return locked


def benchmark_set_active(*, actor, benchmark: Benchmark, active: bool) -> Benchmark:
    """Stop following a benchmark, or follow it again; its values and measures are kept."""
    _require(actor, benchmark)
    with transaction.atomic():
        locked = _locked(benchmark)
        if locked.is_active != active:
            before = snapshot(locked, ["is_active"])
            locked.is_active = active
            locked.save(update_fields=["is_active", "updated_at"])
            audit_record(
                actor=actor,
                action="update",
                obj=locked,
                unit_path=locked.unit.path,
                before=before,
                after=snapshot(locked, ["is_active"]),
            )
    return locked


def benchmark_value_set(
    *,
    actor,
    benchmark: Benchmark,
    indicator: Indicator,
    period: str,
    value: Decimal,
    source: str,
) -> BenchmarkValue:
    """The benchmark's value of an indicator for a month, with where it was published. A second
    value for the same month replaces the first (the audit log keeps both)."""
    _require(actor, benchmark)
    _require_active(benchmark)
    with transaction.atomic():
        _locked(benchmark)
        return _value_set(
            actor=actor,
            benchmark=benchmark,
            indicator=indicator,
            period=period,
            value=value,
            source=source,
        )


def _value_set(*, actor, benchmark, indicator, period, value, source) -> BenchmarkValue:
    if not benchmark.indicators.filter(pk=indicator.pk).exists():
        raise ValidationError(
            {"indicator": [_("Choose one of the indicators this benchmark compares on.")]}
        )
    check_period(period)
    source = (source or "").strip()
    if not source:
        raise ValidationError({"source": [_("Say where the value was published.")]})
    if value is not None:
        value = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    entry = BenchmarkValue.objects.filter(
        benchmark=benchmark, indicator=indicator, period=period
    ).first()
    before = snapshot(entry) if entry else None
    if entry is None:
        entry = BenchmarkValue(benchmark=benchmark, indicator=indicator, period=period)
    entry.value, entry.source, entry.entered_by = value, source, actor
    entry.full_clean(
        exclude=["benchmark", "indicator", "entered_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    after = snapshot(entry)
    if before is not None and {k: before[k] for k in ("value", "source")} == {
        k: after[k] for k in ("value", "source")
    }:
        return entry  # the same value sent again: nothing changes
    entry.save()
    audit_record(
        actor=actor,
        action="update" if before else "create",
        obj=entry,
        unit_path=benchmark.unit.path,
        before=before,
        after=snapshot(entry),
    )
    return entry


def benchmark_values_import(*, actor, benchmark: Benchmark, file: IO[bytes]) -> int:
    """Values from an .xlsx table (指标, 月份, 数值, 来源; a header row first). All or nothing:
    an unknown indicator, one not compared on, a bad month or value, or a missing source
    refuses the whole table, naming the rows."""
    _require(actor, benchmark)
    _require_active(benchmark)
    rows = read_value_rows(file, benchmark)
    with transaction.atomic():
        _locked(benchmark)
        for row in rows:
            _value_set(
                actor=actor,
                benchmark=benchmark,
                indicator=row.indicator,
                period=row.period,
                value=row.value,
                source=row.source,
            )
    return len(rows)


def benchmark_measure_create(
    *,
    actor,
    benchmark: Benchmark,
    text: str,
    responsible_person: str,
    indicator: Indicator | None = None,
    due_on: datetime.date | None = None,
) -> BenchmarkMeasure:
    """A measure adopted to close the gap, with who is responsible and by when."""
    _require(actor, benchmark)
    _require_active(benchmark)
    if indicator is not None and not benchmark.indicators.filter(pk=indicator.pk).exists():
        raise ValidationError(
            {"indicator": [_("Choose one of the indicators this benchmark compares on.")]}
        )
    measure = BenchmarkMeasure(
        benchmark=benchmark,
        indicator=indicator,
        text=(text or "").strip(),
        responsible_person=(responsible_person or "").strip(),
        due_on=due_on,
        created_by=actor,
    )
    measure.full_clean(
        exclude=["benchmark", "indicator", "created_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    with transaction.atomic():
        _locked(benchmark)
        if BenchmarkMeasure.objects.filter(benchmark=benchmark, text=measure.text).exists():
            raise ValidationError({"text": [_("This measure is already on the list.")]})
        measure.save()
        audit_record(
            actor=actor,
            action="create",
            obj=measure,
            unit_path=benchmark.unit.path,
            after=snapshot(measure),
        )
    return measure


def benchmark_measure_done(*, actor, measure: BenchmarkMeasure) -> BenchmarkMeasure:
    """Mark a measure done; marking it again changes nothing."""
    _require(actor, measure.benchmark)
    with transaction.atomic():
        locked = BenchmarkMeasure.objects.select_for_update().get(pk=measure.pk)
        if locked.is_done:
            return locked
        before = snapshot(locked, ["status", "done_at"])
        locked.status = BenchmarkMeasure.Status.DONE
        locked.done_at = timezone.now()
        locked.save(update_fields=["status", "done_at", "updated_at"])
        audit_record(
            actor=actor,
            action="update",
            obj=locked,
            unit_path=measure.benchmark.unit.path,
            before=before,
            after=snapshot(locked, ["status", "done_at"]),
        )
    return locked
