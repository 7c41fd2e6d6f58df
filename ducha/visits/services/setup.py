"""Actions that set a campaign up for visiting: photo settings, its own checklists, the
contact assignments (who visits whom) and its quotas. Campaign managers only."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ducha.audit.services import audit_record, snapshot
from ducha.campaigns.models import Campaign
from ducha.orgs import access
from ducha.orgs.models import OrgUnit, Person, Place

from ..models import ChecklistTemplate, ContactAssignment, Quota, Visit, VisitSettings
from .visits import _campaign_visible

# --- campaign settings and checklists ------------------------------------------------------


def _require_manager(actor, campaign: Campaign) -> None:
    _campaign_visible(actor, campaign)
    if not access.may_manage_campaign(actor, campaign):
        raise PermissionDenied


def require_editable(campaign: Campaign) -> None:
    if campaign.status not in (Campaign.Status.DRAFT, Campaign.Status.ACTIVE):
        raise ValidationError(
            _("The campaign is %(status)s and can no longer be changed.")
            % {"status": campaign.get_status_display()}
        )


def visit_settings_update(*, actor, campaign: Campaign, keep_photo_location: bool) -> VisitSettings:
    """Whether photos of the campaign's visits keep where they were taken."""
    _require_manager(actor, campaign)
    require_editable(campaign)
    with transaction.atomic():
        settings_row, _created = VisitSettings.objects.select_for_update().get_or_create(
            campaign=campaign
        )
        before = snapshot(settings_row)
        settings_row.keep_photo_location = keep_photo_location
        settings_row.save(update_fields=["keep_photo_location"])
        audit_record(
            actor=actor,
            action="update",
            obj=settings_row,
            unit_path=campaign.unit.path,
            before=before,
            after=snapshot(settings_row),
        )
    return settings_row


def checklist_create(
    *,
    actor,
    campaign: Campaign,
    name: str,
    target: str,
    checks: Sequence[str] = (),
    questions: Sequence[str] = (),
) -> ChecklistTemplate:
    """A campaign's own checklist: items to tick and questions answered in words."""
    _require_manager(actor, campaign)
    require_editable(campaign)
    items = [{"key": f"c{n}", "text": t, "kind": "check"} for n, t in enumerate(checks, 1)]
    items += [{"key": f"q{n}", "text": t, "kind": "text"} for n, t in enumerate(questions, 1)]
    if not items:
        raise ValidationError({"checks": [_("Give the checklist at least one item.")]})
    existing = ChecklistTemplate.objects.filter(campaign=campaign).count()
    template = ChecklistTemplate(
        campaign=campaign,
        code=f"c{campaign.pk}-{existing + 1}",
        name=(name or "").strip(),
        target=target,
        items=items,
        builtin=False,
    )
    template.full_clean(exclude=["campaign"])
    with transaction.atomic():
        while ChecklistTemplate.objects.filter(campaign=campaign, code=template.code).exists():
            existing += 1
            template.code = f"c{campaign.pk}-{existing + 1}"
        template.save()
        audit_record(
            actor=actor,
            action="create",
            obj=template,
            unit_path=campaign.unit.path,
            after=snapshot(template),
        )
    return template


def checklist_delete(*, actor, template: ChecklistTemplate) -> None:
    """Remove a campaign's own checklist that no visit has used; built-ins stay."""
    if template.builtin or template.campaign is None:
        raise PermissionDenied
    campaign = template.campaign
    _require_manager(actor, campaign)
    if Visit.objects.filter(checklist=template).exists():
        raise ValidationError(_("Visits were recorded with this checklist; it stays."))
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="delete",
            obj=template,
            unit_path=campaign.unit.path,
            before=snapshot(template),
        )
        template.delete()


# --- contact assignments -------------------------------------------------------------------

Kind = ContactAssignment.Kind
PAIRED_PLACE_KINDS = (Place.Kind.VILLAGE, Place.Kind.COMMUNITY, Place.Kind.ENTERPRISE)


def assignment_problems(assignment: ContactAssignment, campaign: Campaign) -> dict:
    """What is wrong with an assignment for its kind: who visits (a person or a unit) and
    what is visited (a unit or a place) must both lie under the campaign's issuing unit."""
    problems: dict[str, list[str]] = {}
    root = campaign.unit.path

    def refuse(key: str, message: str) -> None:
        problems.setdefault(key, []).append(message)

    kind = assignment.kind
    by_person = kind in (Kind.LEADER_UNIT, Kind.LEADER_LIAISON, Kind.DOCTOR_GRID)
    if by_person:
        if assignment.person is None:
            refuse("person", _("Choose the person."))
        elif not assignment.person.unit.path.startswith(root):
            refuse("person", _("This person does not work under the campaign's issuing unit."))
    elif assignment.unit is None:
        refuse("unit", _("Choose the unit."))
    elif not assignment.unit.path.startswith(root):
        refuse("unit", _("This unit does not take part in this campaign."))
    if kind in (Kind.LEADER_UNIT, Kind.LEADER_LIAISON):
        if assignment.target_unit is None:
            refuse("target_unit", _("Choose the unit visited."))
        elif not assignment.target_unit.path.startswith(root):
            refuse("target_unit", _("The unit visited does not take part in this campaign."))
        if assignment.target_place is not None:
            refuse("target_place", _("A leader is paired with a unit, not a place."))
    else:
        wanted = (Place.Kind.GRID_CELL,) if kind == Kind.DOCTOR_GRID else PAIRED_PLACE_KINDS
        place = assignment.target_place
        if place is None:
            refuse("target_place", _("Choose the place."))
        elif place.kind not in wanted:
            refuse(
                "target_place",
                _("A responsible doctor is paired with a grid cell.")
                if kind == Kind.DOCTOR_GRID
                else _("A unit is paired with villages, communities and enterprises."),
            )
        elif not place.unit.path.startswith(root):
            refuse("target_place", _("This place lies outside the campaign's area."))
        if assignment.target_unit is not None:
            refuse("target_unit", _("This kind of assignment names a place, not a unit."))
    return problems


def _same_assignment(assignment: ContactAssignment) -> bool:
    return ContactAssignment.objects.filter(
        campaign_id=assignment.campaign_id,
        kind=assignment.kind,
        person=assignment.person,
        unit=assignment.unit,
        target_unit=assignment.target_unit,
        target_place=assignment.target_place,
    ).exists()


def contact_assignment_add(
    *,
    actor,
    campaign: Campaign,
    kind: str,
    person: Person | None = None,
    unit: OrgUnit | None = None,
    target_unit: OrgUnit | None = None,
    target_place: Place | None = None,
    target_text: str = "",
    post: str = "",
) -> ContactAssignment:
    """Pair a leader with a unit, a unit with a village or enterprise, or a doctor with a
    grid cell, for one campaign."""
    _require_manager(actor, campaign)
    require_editable(campaign)
    assignment = ContactAssignment(
        campaign=campaign,
        kind=kind,
        person=person if kind != Kind.UNIT_PLACE else None,
        unit=unit if kind == Kind.UNIT_PLACE else None,
        target_unit=target_unit,
        target_place=target_place,
        target_text=(target_text or "").strip(),
        post=(post or "").strip(),
    )
    if kind not in Kind.values:
        raise ValidationError({"kind": [_("Unknown kind of assignment.")]})
    problems = assignment_problems(assignment, campaign)
    if problems:
        raise ValidationError(problems)
    assignment.full_clean(exclude=["campaign", "person", "unit", "target_unit", "target_place"])
    if _same_assignment(assignment):
        raise ValidationError(_("This pair is already recorded for the campaign."))
    with transaction.atomic():
        assignment.save()
        audit_record(
            actor=actor,
            action="create",
            obj=assignment,
            unit_path=campaign.unit.path,
            after=snapshot(assignment),
        )
    return assignment


def contact_assignment_delete(*, actor, assignment: ContactAssignment) -> None:
    campaign = assignment.campaign
    _require_manager(actor, campaign)
    require_editable(campaign)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="delete",
            obj=assignment,
            unit_path=campaign.unit.path,
            before=snapshot(assignment),
        )
        assignment.delete()


# --- quotas --------------------------------------------------------------------------------

QUOTA_FIELDS = ("activity", "comparator", "number", "subject", "period", "text")


def _check_quota(quota: Quota) -> None:
    quota.text = (quota.text or "").strip()
    quota.full_clean(exclude=["campaign"])
    if quota.number is None or quota.number <= 0:
        raise ValidationError({"number": [_("Enter a number above zero.")]})
    is_visit = quota.activity.startswith("visit")
    if is_visit and quota.number != int(quota.number):
        raise ValidationError({"number": [_("Visits are counted in whole numbers.")]})


def quota_create(*, actor, campaign: Campaign, **fields) -> Quota:
    """A quota of the campaign: at least or at most N of an activity per subject and period."""
    _require_manager(actor, campaign)
    require_editable(campaign)
    quota = Quota(campaign=campaign, **{k: v for k, v in fields.items() if k in QUOTA_FIELDS})
    _check_quota(quota)
    with transaction.atomic():
        quota.save()
        audit_record(
            actor=actor,
            action="create",
            obj=quota,
            unit_path=campaign.unit.path,
            after=snapshot(quota),
        )
    return quota


def quota_update(*, actor, quota: Quota, **fields) -> Quota:
    campaign = quota.campaign
    _require_manager(actor, campaign)
    require_editable(campaign)
    before = snapshot(Quota.objects.get(pk=quota.pk))
    for key, value in fields.items():
        if key in QUOTA_FIELDS:
            setattr(quota, key, value)
    _check_quota(quota)
    with transaction.atomic():
        quota.save()
        audit_record(
            actor=actor,
            action="update",
            obj=quota,
            unit_path=campaign.unit.path,
            before=before,
            after=snapshot(quota),
        )
    return quota


def quota_delete(*, actor, quota: Quota) -> None:
    campaign = quota.campaign
    _require_manager(actor, campaign)
    require_editable(campaign)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="delete",
            obj=quota,
            unit_path=campaign.unit.path,
            before=snapshot(quota),
        )
        quota.delete()
