"""Inspection rounds and their findings, each finding becoming a problem of the inspected unit."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ducha.audit.services import audit_record, snapshot
from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.orgs.models import OrgUnit
from ducha.problems import services as problem_services
from ducha.problems.models import Category, Problem

from ..models import Finding, InspectionRound, SelfInspectionItem, SpotCheck
from .common import category_or_default, today

CHECKLIST_ITEM_MAX = 200


def _clean_lines(items: Iterable[str]) -> list[str]:
    """Stripped, non-empty, each once, in the order given."""
    return list(dict.fromkeys(str(item).strip() for item in items if str(item).strip()))


def _check_sweep(
    *, campaign, kind: str, mode: str, date, deadline, checklist: list[str], units
) -> None:
    """A hazard sweep is announced and has a checklist and a self-inspection deadline between
    the round's date and the campaign's end; its units take part in the campaign, so the
    hazards they report belong to it. Other rounds have no deadline."""
    errors: dict[str, list[str]] = {}
    if any(len(item) > CHECKLIST_ITEM_MAX for item in checklist):
        errors["checklist"] = [
            _("Each checklist item must be at most %(n)s characters.") % {"n": CHECKLIST_ITEM_MAX}
        ]
    if kind != InspectionRound.Kind.HAZARD_SWEEP:
        if deadline is not None:
            errors["self_inspection_deadline"] = [
                _("Only a hazard sweep has a self-inspection deadline.")
            ]
        if errors:
            raise ValidationError(errors)
        return
    if mode != InspectionRound.Mode.OPEN:
        errors["mode"] = [_("A hazard sweep is announced: the units inspect themselves first.")]
    if not checklist:
        errors.setdefault("checklist", []).append(
            _("A hazard sweep needs its checklist: the units inspect themselves against it.")
        )
    if deadline is None:
        errors["self_inspection_deadline"] = [
            _("Give the day by which the units file their self-inspection.")
        ]
    elif date and deadline < date:
        errors["self_inspection_deadline"] = [
            _("The self-inspection deadline cannot be before the round's date.")
        ]
    elif deadline < today():
        errors["self_inspection_deadline"] = [_("The self-inspection deadline has passed.")]
    elif campaign.ends_on and deadline > campaign.ends_on:
        errors["self_inspection_deadline"] = [
            _("The self-inspection deadline must fall within the campaign (until %(date)s).")
            % {"date": campaign.ends_on.isoformat()}
        ]
    taking_part = set(campaign.participants.values_list("unit_id", flat=True))
    if any(u.pk not in taking_part for u in units):
        errors.setdefault("units", []).append(
            _("The units of a hazard sweep must take part in the campaign.")
        )
    if errors:
        raise ValidationError(errors)


def inspection_round_create(
    *,
    actor,
    campaign,
    title: str,
    date: datetime.date,
    units: Sequence[OrgUnit],
    kind: str = InspectionRound.Kind.MONTHLY,
    mode: str = InspectionRound.Mode.OPEN,
    bodies: str = "",
    checklist: Iterable[str] = (),
    self_inspection_deadline: datetime.date | None = None,
) -> InspectionRound:
    """A round of the campaign's office over units under the issuing unit."""
    if not access.may_manage_campaign(actor, campaign):
        raise PermissionDenied
    units = list(units)
    if not units:
        raise ValidationError({"units": [_("Choose at least one unit to inspect.")]})
    root = campaign.unit.path
    if any(not u.path.startswith(root) or u.pk == campaign.unit_id for u in units):
        raise ValidationError({"units": [_("Inspected units must be under the issuing unit.")]})
    checklist = _clean_lines(checklist)
    _check_sweep(
        campaign=campaign,
        kind=kind,
        mode=mode,
        date=date,
        deadline=self_inspection_deadline,
        checklist=checklist,
        units=units,
    )
    inspection_round = InspectionRound(
        campaign=campaign,
        unit=campaign.unit,
        title=(title or "").strip(),
        kind=kind,
        mode=mode,
        bodies="\n".join(_clean_lines((bodies or "").splitlines())),
        date=date,
        checklist=checklist,
        self_inspection_deadline=self_inspection_deadline,
        created_by=actor,
    )
    inspection_round.full_clean(exclude=["created_by"])
    with transaction.atomic():
        inspection_round.save()
        inspection_round.units.set(units)
        audit_record(
            actor=actor,
            action="create",
            obj=inspection_round,
            unit_path=campaign.unit.path,
            after={**snapshot(inspection_round), "units": sorted(u.pk for u in units)},
        )
    return inspection_round


def finding_record(
    *,
    actor,
    inspection_round: InspectionRound,
    unit: OrgUnit,
    text: str,
    severity: str = Problem.Severity.MINOR,
    category: Category | None = None,
    evidence: IO[bytes] | None = None,
    checklist_item: str = "",
) -> Finding:
    """Record a finding at one of the round's units; it is reported as a problem of that unit
    (source inspection, or hazard sweep) so it enters the rectification loop. In a hazard
    sweep it belongs to the unit's spot-check, and one on an item the unit's self-inspection
    called free of hazards is flagged as missed by it."""
    if not access.has_cap(actor, Cap.MANAGE_CAMPAIGNS, inspection_round.unit):
        raise PermissionDenied
    if not inspection_round.units.filter(pk=unit.pk).exists():
        raise ValidationError({"unit": [_("This unit is not inspected in this round.")]})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Say what was found.")]})
    checklist_item = (checklist_item or "").strip()
    if checklist_item and checklist_item not in inspection_round.checklist:
        raise ValidationError({"checklist_item": [_("Choose an item of the round's checklist.")]})
    spot_check, missed = None, False
    if inspection_round.is_hazard_sweep:
        spot_check = SpotCheck.objects.filter(round=inspection_round, unit=unit).first()
        if spot_check is None:
            raise ValidationError(
                {"unit": [_("Record the spot-check of this unit before its findings.")]}
            )
        missed = (
            bool(checklist_item)
            and SelfInspectionItem.objects.filter(
                self_inspection__round=inspection_round,
                self_inspection__unit=unit,
                item=checklist_item,
                result=SelfInspectionItem.Result.OK,
            ).exists()
        )
    category = category or category_or_default(inspection_round)
    source = (
        Problem.Source.HAZARD_SWEEP
        if inspection_round.is_hazard_sweep
        else Problem.Source.INSPECTION
    )
    with transaction.atomic():
        problem = problem_services.problem_report(
            actor=actor,
            unit=unit,
            category=category,
            title=text.splitlines()[0][:200],
            description=text,
            source=source,
            severity=severity,
            campaign=inspection_round.campaign,
            files=[evidence] if evidence is not None else (),
        )
        finding = Finding(
            round=inspection_round,
            unit=unit,
            text=text,
            severity=severity,
            problem=problem,
            recorded_by=actor,
            spot_check=spot_check,
            checklist_item=checklist_item,
            missed_by_self_inspection=missed,
        )
        finding.full_clean(exclude=["recorded_by"])
        finding.save()
        audit_record(
            actor=actor,
            action="create",
            obj=finding,
            unit_path=unit.path,
            after=snapshot(finding),
        )
    return finding
