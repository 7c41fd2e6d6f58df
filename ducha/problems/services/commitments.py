"""Commitments (承诺, DOMAIN §8): a unit head's public commitment on a listed problem (specific
target, clear deadline, clear responsibility), a party member's one-sentence pledge, a unit's
service commitment. Each has an owner and is verified by the level above as kept or broken."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.audit.services import audit_record, snapshot
from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.orgs.models import OrgUnit, Person

from ..models import Commitment, Problem
from .common import require_verifier, required_text, today

K = Commitment.Kind
# "一句话承诺": a pledge is one sentence.
PLEDGE_MAX = 100


def commitment_create(
    *,
    actor,
    kind: str,
    unit: OrgUnit,
    text: str,
    person: Person | None = None,
    problem: Problem | None = None,
    campaign=None,
    target: str = "",
    responsibility: str = "",
    due_date: datetime.date | None = None,
    is_public: bool = True,
) -> Commitment:
    """Record a commitment. Those who run the unit's problems record any kind; a party member
    records their own pledge."""
    own_pledge = (
        kind == K.PLEDGE
        and person is not None
        and person.user_id is not None
        and person.user_id == getattr(actor, "pk", None)
    )
    if not own_pledge and not access.has_cap(actor, Cap.HANDLE_PROBLEMS, unit):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    text = required_text(text, "text", _("Write the commitment."))
    target, responsibility = (target or "").strip(), (responsibility or "").strip()
    if person is not None and not person.unit.is_descendant_of(unit):
        errors["person"] = [_("Choose a person of this unit.")]
    if problem is not None and not problem.unit.is_descendant_of(unit):
        errors["problem"] = [_("Choose a problem of this unit.")]
    if due_date is not None and due_date < today():
        errors["due_date"] = [_("The due date may not lie in the past.")]
    if kind == K.PUBLIC:
        if problem is None:
            errors["problem"] = [_("A public commitment is made on a listed problem.")]
        if person is None:
            errors["person"] = [_("Name the unit head who commits.")]
        if not target:
            errors["target"] = [_("State a specific target.")]
        if due_date is None:
            errors["due_date"] = [_("Set a clear deadline.")]
        if not responsibility:
            errors["responsibility"] = [_("State who is responsible.")]
    elif kind == K.PLEDGE:
        if person is None:
            errors["person"] = [_("Name the party member who pledges.")]
        elif not person.is_party_member:
            errors["person"] = [_("Pledges are made by party members.")]
        if len(text) > PLEDGE_MAX:
            errors["text"] = [
                _("A pledge is one sentence: at most %(n)s characters.") % {"n": PLEDGE_MAX}
            ]
    elif kind != K.SERVICE:
        errors["kind"] = [_("Choose a kind of commitment.")]
    if errors:
        raise ValidationError(errors)
    commitment = Commitment(
        kind=kind,
        unit=unit,
        person=person,
        problem=problem,
        campaign=campaign or (problem.campaign if problem else None),
        text=text,
        target=target,
        responsibility=responsibility,
        due_date=due_date,
        is_public=is_public,
        created_by=actor,
    )
    commitment.full_clean(exclude=["created_by", "verified_by"])
    with transaction.atomic():
        commitment.save()
        audit_record(
            actor=actor,
            action="create",
            obj=commitment,
            unit_path=unit.path,
            after=snapshot(commitment),
        )
    return commitment


def commitment_verify(*, actor, commitment: Commitment, kept: bool, note: str = "") -> Commitment:
    """The level above records whether the commitment was kept; a broken one says why."""
    require_verifier(actor, commitment.unit)
    if commitment.status != Commitment.Status.OPEN:
        raise ValidationError(_("This commitment has been verified already."), code="verified")
    note = (note or "").strip()
    if not kept and not note:
        raise ValidationError({"note": [_("Say how the commitment was broken.")]})
    before = snapshot(commitment)
    with transaction.atomic():
        commitment.status = Commitment.Status.KEPT if kept else Commitment.Status.BROKEN
        commitment.verified_by = actor
        commitment.verified_at = timezone.now()
        commitment.verification_note = note
        commitment.save(
            update_fields=[
                "status",
                "verified_by",
                "verified_at",
                "verification_note",
                "updated_at",
            ]
        )
        audit_record(
            actor=actor,
            action="verify",
            obj=commitment,
            unit_path=commitment.unit.path,
            before=before,
            after=snapshot(commitment),
        )
    return commitment
