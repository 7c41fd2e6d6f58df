"""Builders the inspection tests share: a hazard sweep and its self-inspections."""

import datetime

from freezegun import freeze_time

from ducha.inspections import services
from ducha.inspections.models import InspectionRound

CHECKLIST = ["消防通道", "特种设备", "危化品存放"]
DEADLINE = datetime.date(2024, 4, 15)
# Frozen times are UTC: 02:00 UTC is 10:00 in China.
ISSUED = "2024-04-01 02:00:00"
BEFORE_DEADLINE = "2024-04-10 02:00:00"
AFTER_DEADLINE = "2024-04-16 02:00:00"


def make_sweep(alice, campaign, units, **fields) -> InspectionRound:
    """A hazard sweep issued on 1 April 2024, self-inspections due on 15 April."""
    values = {
        "title": "春季消防安全隐患排查",
        "kind": InspectionRound.Kind.HAZARD_SWEEP,
        "date": datetime.date(2024, 4, 1),
        "self_inspection_deadline": DEADLINE,
        "checklist": CHECKLIST,
        **fields,
    }
    with freeze_time(ISSUED):
        return services.inspection_round_create(
            actor=alice, campaign=campaign, units=units, **values
        )


def answers(hazard_at: str | None = None, note: str = "消防通道堆放杂物") -> list[dict]:
    """Every checklist item free of hazards, but `hazard_at`, described by `note`."""
    return [
        {"item": item, "result": "hazard", "note": note}
        if item == hazard_at
        else {"item": item, "result": "ok"}
        for item in CHECKLIST
    ]


def file(actor, sweep, unit, *, hazard_at: str | None = "消防通道", at: str = BEFORE_DEADLINE):
    """`actor` files `unit`'s self-inspection at `at` (UTC)."""
    with freeze_time(at):
        return services.self_inspection_submit(
            actor=actor, inspection_round=sweep, unit=unit, results=answers(hazard_at)
        )


def spot_check(alice, sweep, unit, *, day=datetime.date(2024, 4, 16), at=AFTER_DEADLINE):
    with freeze_time(at):
        return services.spot_check_record(
            actor=alice, inspection_round=sweep, unit=unit, date=day, note="现场抽查"
        )
