"""Actions on the indicator system: add an indicator, give a unit a score by hand."""

from __future__ import annotations

from decimal import Decimal
from typing import IO

import openpyxl
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from ducha.audit.services import audit_record, snapshot
from ducha.orgs import access
from ducha.orgs.models import OrgUnit

from .models import FollowUp, Indicator, ManualScore
from .scoring import check_period


def indicator_create(*, actor, campaign, content: str, weight: Decimal, **fields) -> Indicator:
    """An item of the campaign's indicator system. A veto item needs a numeric target, the
    line it fails below; a computed one reads its value from Ducha's own data."""
    if not access.may_manage_campaign(actor, campaign):
        raise PermissionDenied
    indicator = Indicator(campaign=campaign, content=(content or "").strip(), weight=weight)
    for name, value in fields.items():
        setattr(indicator, name, value)
    if not indicator.order:
        # Numbered in the order added: the number keys the row in the .xlsx table.
        last = campaign.indicators.aggregate(last=models.Max("order"))["last"]
        indicator.order = (last or 0) + 1
    if indicator.is_computed:
        indicator.method = Indicator.Method.COMPUTED
    if indicator.veto and (not indicator.comparator or indicator.target_value is None):
        raise ValidationError(
            {"comparator": [_("A veto item needs a numeric target to fail below.")]}
        )
    if indicator.comparator and indicator.target_value is None:
        raise ValidationError({"target_value": [_("Give the target's number.")]})
    indicator.full_clean()
    with transaction.atomic():
        indicator.save()
        audit_record(
            actor=actor,
            action="create",
            obj=indicator,
            unit_path=campaign.unit.path,
            after=snapshot(indicator),
        )
    return indicator


def manual_score_set(
    *, actor, indicator: Indicator, unit: OrgUnit, period: str, value: Decimal, evidence: str
) -> ManualScore:
    """Score a unit on a hand-scored indicator for a month, with evidence; a second score for
    the same month replaces the first (the audit log keeps both)."""
    campaign = indicator.campaign
    if not access.may_manage_campaign(actor, campaign):
        raise PermissionDenied
    if indicator.is_computed:
        raise ValidationError(_("This indicator is computed from Ducha's data."))
    check_period(period)
    if not campaign.participants.filter(unit=unit).exists():
        raise ValidationError({"unit": [_("This unit does not take part in the campaign.")]})
    if not (evidence or "").strip():
        raise ValidationError({"evidence": [_("Say what the score rests on.")]})
    with transaction.atomic():
        score = (
            ManualScore.objects.select_for_update()
            .filter(indicator=indicator, unit=unit, period=period)
            .first()
        )
        before = snapshot(score) if score else None
        if score is None:
            score = ManualScore(indicator=indicator, unit=unit, period=period)
        score.value = value
        score.evidence = evidence.strip()
        score.actor = actor
        score.full_clean(exclude=["actor"])
        score.save()
        audit_record(
            actor=actor,
            action="update" if before else "create",
            obj=score,
            unit_path=unit.path,
            before=before,
            after=snapshot(score),
        )
    return score


def follow_up_record(
    *, actor, campaign, unit: OrgUnit, period: str, kind: str, note: str
) -> FollowUp:
    """Record the admonition talk or accountability of a unit that the month's ranking put
    last among its peers or failed on a veto item."""
    from .scoring import campaign_ranking

    if not access.may_manage_campaign(actor, campaign):
        raise PermissionDenied
    ranking = campaign_ranking(campaign=campaign, period=period, user=actor)
    row = next((r for r in ranking.rows if r.unit.pk == unit.pk), None)
    if row is None or not (row.bottom or row.failed):
        raise ValidationError(
            {"unit": [_("Only a bottom-ranked or failed unit of the month is followed up.")]}
        )
    if not (note or "").strip():
        raise ValidationError({"note": [_("Say what was done.")]})
    follow_up = FollowUp(
        campaign=campaign, unit=unit, period=period, kind=kind, note=note.strip(), actor=actor
    )
    follow_up.full_clean(exclude=["actor"])
    with transaction.atomic():
        follow_up.save()
        audit_record(
            actor=actor,
            action="create",
            obj=follow_up,
            unit_path=unit.path,
            after=snapshot(follow_up),
        )
    return follow_up


def manual_scores_import(*, actor, indicator: Indicator, period: str, file: IO[bytes]) -> int:
    """Scores of many units from an .xlsx table: unit code or name, score, evidence, one row a
    unit, a header row first. All or nothing: an unknown unit, a unit outside the campaign or a
    bad score refuses the whole table, naming the rows."""
    from .scoring import assessed_units

    if not access.may_manage_campaign(actor, indicator.campaign):
        raise PermissionDenied
    check_period(period)
    try:
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationError({"file": [_("This is not an .xlsx workbook.")]}) from None
    units = assessed_units(indicator.campaign)
    by_key = {u.code: u for u in units} | {u.name: u for u in units}
    rows, errors = [], []
    for number, values in enumerate(workbook.active.iter_rows(min_row=2, values_only=True), 2):
        key, value, evidence = (list(values) + [None, None, None])[:3]
        key = str(key or "").strip()
        if not key and value is None:
            continue
        unit = by_key.get(key)
        if unit is None:
            errors.append(_("Row %(row)s: unknown unit “%(unit)s”.") % {"row": number, "unit": key})
            continue
        try:
            score = Decimal(str(value))
            if not Decimal(0) <= score <= Decimal(100):
                raise ArithmeticError
        except (ArithmeticError, ValueError):
            errors.append(_("Row %(row)s: the score must be 0 to 100.") % {"row": number})
            continue
        rows.append((unit, score, str(evidence or "").strip()))
    if errors:
        raise ValidationError({"file": errors})
    if not rows:
        raise ValidationError({"file": [_("The table has no rows.")]})
    with transaction.atomic():
        for unit, score, evidence in rows:
            manual_score_set(
                actor=actor,
                indicator=indicator,
                unit=unit,
                period=period,
                value=score,
                evidence=evidence or _("Imported table"),
            )
    return len(rows)
