"""Hazard sweeps (隐患排查, DOMAIN §9): each inspected unit inspects itself against the round's
checklist by the deadline (自查), every hazard it reports entering the rectification loop as its
problem; then the bureau spot-checks some units (抽查) and records what it finds there."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.audit.services import audit_record, snapshot
from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.orgs.models import OrgUnit
from ducha.problems import services as problem_services
from ducha.problems.models import Problem

from ..models import InspectionRound, SelfInspection, SelfInspectionItem, SpotCheck
from .common import category_or_default, today

Result = SelfInspectionItem.Result


def _require_sweep(inspection_round: InspectionRound) -> None:
    if not inspection_round.is_hazard_sweep:
        raise ValidationError(_("Only a hazard sweep has self-inspections and spot-checks."))


def _clean_results(
    inspection_round: InspectionRound, results: Sequence[Mapping]
) -> list[tuple[str, str, str]]:
    """(item, result, note) for every checklist item, in the checklist's order: each item
    answered once, a hazard always described."""
    checklist = list(inspection_round.checklist)
    answers: dict[str, tuple[str, str]] = {}
    errors: list[str] = []
    for row in results:
        item = str(row.get("item") or "").strip()
        result = str(row.get("result") or "").strip()
        note = str(row.get("note") or "").strip()
        if item not in checklist:
            errors.append(_("“%(item)s” is not on the round's checklist.") % {"item": item})
        elif item in answers:
            errors.append(_("“%(item)s” is answered twice.") % {"item": item})
        elif result not in Result.values:
            errors.append(
                _("Say whether “%(item)s” is free of hazards or has one.") % {"item": item}
            )
        elif result == Result.HAZARD and not note:
            errors.append(_("Describe the hazard found at “%(item)s”.") % {"item": item})
        else:
            answers[item] = (result, note)
    unanswered = [item for item in checklist if item not in answers]
    if unanswered and not errors:
        errors.append(
            _("Answer every item of the checklist; missing: %(items)s.")
            % {"items": "、".join(unanswered)}
        )
    if errors:
        raise ValidationError({"items": errors})
    return [(item, *answers[item]) for item in checklist]


def self_inspection_submit(
    *,
    actor,
    inspection_round: InspectionRound,
    unit: OrgUnit,
    results: Sequence[Mapping],
    note: str = "",
) -> SelfInspection:
    """File `unit`'s self-inspection: every checklist item either free of hazards or with the
    hazard described, by the end of the deadline day. Filed once: a second filing (a double
    click included) is refused, never merged. Each hazard becomes a problem of the unit."""
    _require_sweep(inspection_round)
    if inspection_round.mode != InspectionRound.Mode.OPEN or not access.may_file_self_inspection(
        actor, inspection_round, unit
    ):
        raise PermissionDenied
    if not inspection_round.units.filter(pk=unit.pk).exists():
        raise ValidationError({"unit": [_("This unit is not inspected in this round.")]})
    deadline = inspection_round.self_inspection_deadline
    if deadline is not None and today() > deadline:
        raise ValidationError(
            _(
                "The self-inspection deadline (%(date)s) has passed; it can no longer be filed. "
                "Ask the campaign office."
            )
            % {"date": deadline.isoformat()}
        )
    answers = _clean_results(inspection_round, results)
    category = category_or_default(inspection_round)
    already = _("This unit has already filed its self-inspection for this round.")
    try:
        with transaction.atomic():
            # Locking the round serialises the filings of its units and its spot-checks.
            InspectionRound.objects.select_for_update().get(pk=inspection_round.pk)
            if SelfInspection.objects.filter(round=inspection_round, unit=unit).exists():
                raise ValidationError(already)
            self_inspection = SelfInspection.objects.create(
                round=inspection_round,
                unit=unit,
                note=(note or "").strip(),
                submitted_by=actor,
                submitted_at=timezone.now(),
            )
            items = []
            for item, result, item_note in answers:
                problem = None
                if result == Result.HAZARD:
                    problem = problem_services.problem_report(
                        actor=actor,
                        unit=unit,
                        category=category,
                        title=f"{item}：{item_note.splitlines()[0]}"[:200],
                        description=item_note,
                        source=Problem.Source.SELF_INSPECTION,
                        campaign=inspection_round.campaign,
                    )
                items.append(
                    SelfInspectionItem.objects.create(
                        self_inspection=self_inspection,
                        item=item,
                        result=result,
                        note=item_note,
                        problem=problem,
                    )
                )
            audit_record(
                actor=actor,
                action="create",
                obj=self_inspection,
                unit_path=unit.path,
                after={
                    **snapshot(self_inspection),
                    "items": [
                        {
                            "item": i.item,
                            "result": i.result,
                            "note": i.note,
                            "problem": i.problem_id,
                        }
                        for i in items
                    ],
                },
            )
    except IntegrityError:
        # Two filings at the same moment: the unique constraint lets one through.
        raise ValidationError(already) from None
    return self_inspection


def spot_check_record(
    *,
    actor,
    inspection_round: InspectionRound,
    unit: OrgUnit,
    date: datetime.date,
    note: str = "",
) -> SpotCheck:
    """The issuing office records its spot-check of one of the sweep's units, once per unit,
    dated between the round's date and today. A unit is spot-checked after its self-inspection:
    once it has filed, or once the deadline has passed without it."""
    if not access.has_cap(actor, Cap.MANAGE_CAMPAIGNS, inspection_round.unit):
        raise PermissionDenied
    _require_sweep(inspection_round)
    if not inspection_round.units.filter(pk=unit.pk).exists():
        raise ValidationError({"unit": [_("This unit is not inspected in this round.")]})
    if date is None:
        raise ValidationError({"date": [_("Give the day of the spot-check.")]})
    if date > today():
        raise ValidationError({"date": [_("A spot-check cannot be dated in the future.")]})
    if date < inspection_round.date:
        raise ValidationError({"date": [_("A spot-check cannot be before the round's date.")]})
    deadline = inspection_round.self_inspection_deadline
    filed = SelfInspection.objects.filter(round=inspection_round, unit=unit).exists()
    if not filed and deadline is not None and today() <= deadline:
        raise ValidationError(
            {
                "unit": [
                    _(
                        "This unit may file its self-inspection until %(date)s; spot-check it "
                        "once it has, or after that day."
                    )
                    % {"date": deadline.isoformat()}
                ]
            }
        )
    already = _("This unit has already been spot-checked in this round.")
    spot_check = SpotCheck(
        round=inspection_round,
        unit=unit,
        date=date,
        note=(note or "").strip(),
        checked_by=actor,
    )
    try:
        with transaction.atomic():
            InspectionRound.objects.select_for_update().get(pk=inspection_round.pk)
            if SpotCheck.objects.filter(round=inspection_round, unit=unit).exists():
                raise ValidationError({"unit": [already]})
            spot_check.save()
            audit_record(
                actor=actor,
                action="create",
                obj=spot_check,
                unit_path=unit.path,
                after=snapshot(spot_check),
            )
    except IntegrityError:
        raise ValidationError({"unit": [already]}) from None
    return spot_check
