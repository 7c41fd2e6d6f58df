"""Exemplars and commendation (典型、表彰): honours, nominations recommended upward level by
level until the awarding unit approves, their evidence, and typical cases (典型案例)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.audit.services import audit_record, snapshot
from ducha.campaigns.models import Campaign
from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.orgs.models import OrgUnit, Person
from ducha.submissions import files as checked_files

from ..models import Honour, Nomination, NominationEvidence, NominationStep, TypicalCase

REASONS_MAX = 5000
MAX_EVIDENCE_FILES = 10


class Decision:
    RECOMMEND = "recommend"
    APPROVE = "approve"
    DECLINE = "decline"
    ALL = (RECOMMEND, APPROVE, DECLINE)


# --- honours ---------------------------------------------------------------------------------


def honour_create(
    *,
    actor,
    unit: OrgUnit,
    title: str,
    subject_kind: str,
    year: int,
    description: str = "",
    campaign: Campaign | None = None,
) -> Honour:
    """A named honour awarded by `unit`, open for nominations from the units under it."""
    access.require_cap(actor, Cap.MANAGE_CAMPAIGNS, unit)
    honour = Honour(
        unit=unit,
        title=(title or "").strip(),
        subject_kind=subject_kind,
        year=year,
        description=(description or "").strip(),
        campaign=campaign,
        created_by=actor,
    )
    honour.full_clean()
    if (
        campaign is not None
        and not access.campaigns_for_user(actor).filter(pk=campaign.pk).exists()
    ):
        raise ValidationError({"campaign": [_("No such record in your scope.")]})
    with transaction.atomic():
        honour.save()
        audit_record(
            actor=actor, action="create", obj=honour, unit_path=unit.path, after=snapshot(honour)
        )
    return honour


def honour_set_open(*, actor, honour: Honour, is_open: bool) -> Honour:
    access.require_cap(actor, Cap.MANAGE_CAMPAIGNS, honour.unit)
    before = snapshot(honour)
    honour.is_open = is_open
    with transaction.atomic():
        honour.save(update_fields=["is_open", "updated_at"])
        audit_record(
            actor=actor,
            action="update",
            obj=honour,
            unit_path=honour.unit.path,
            before=before,
            after=snapshot(honour),
        )
    return honour


# --- nominations -----------------------------------------------------------------------------


def nomination_create(
    *,
    actor,
    honour: Honour,
    from_unit: OrgUnit,
    reasons: str,
    person: Person | None = None,
    unit: OrgUnit | None = None,
    files: Sequence[IO[bytes]] = (),
) -> Nomination:
    """`from_unit` nominates one of its people or units, with reasons and evidence. The
    nomination goes to the next level up, or awaits approval if `from_unit` awards it."""
    if not access.may_nominate_at(actor, from_unit):
        raise PermissionDenied
    if not honour.is_open:
        raise ValidationError(_("This honour no longer takes nominations."), code="closed")
    if not from_unit.path.startswith(honour.unit.path):
        raise ValidationError(
            {"from_unit": [_("Only units under the awarding unit nominate for this honour.")]}
        )
    person, unit = _subject(actor, honour, from_unit, person, unit)
    reasons = (reasons or "").strip()
    if not reasons:
        raise ValidationError({"reasons": [_("Give the reasons for the nomination.")]})
    if len(reasons) > REASONS_MAX:
        raise ValidationError({"reasons": [_("At most %(n)s characters.") % {"n": REASONS_MAX}]})
    checked = _checked(files)
    now = timezone.now()
    stored: list[str] = []
    try:
        with transaction.atomic():
            nomination = Nomination.objects.create(
                honour=honour,
                person=person,
                unit=unit,
                from_unit=from_unit,
                at_unit=_next_level(honour, from_unit),
                reasons=reasons,
                nominated_by=actor,
            )
            NominationStep.objects.create(
                nomination=nomination,
                unit=from_unit,
                decision=NominationStep.Decision.NOMINATED,
                actor=actor,
                at=now,
            )
            names = _store(nomination, checked, actor, stored)
            audit_record(
                actor=actor,
                action="create",
                obj=nomination,
                unit_path=unit.path,
                after={**snapshot(nomination), "evidence": names},
            )
    except IntegrityError:
        _delete_stored(stored)
        raise ValidationError(
            _("“%(name)s” is already nominated for this honour.")
            % {"name": person.name if person else unit.name},
            code="duplicate",
        ) from None
    except BaseException:
        _delete_stored(stored)
        raise
    return nomination


def nomination_decide(
    *, actor, nomination: Nomination, decision: str, note: str = ""
) -> Nomination:
    """The level holding the nomination recommends it upward or declines it; the awarding
    unit approves or declines."""
    honour = nomination.honour
    at_top = nomination.at_unit_id == honour.unit_id
    if not may_decide(actor, nomination):
        raise PermissionDenied
    if nomination.status != Nomination.Status.PENDING:
        raise ValidationError(_("This nomination has been decided."), code="decided")
    if decision not in Decision.ALL:
        raise ValidationError({"decision": [_("Recommend, approve or decline.")]})
    if decision == Decision.APPROVE and not at_top:
        raise ValidationError(_("Only the awarding unit approves."), code="not_top")
    if decision == Decision.RECOMMEND and at_top:
        raise ValidationError(_("The awarding unit approves or declines."), code="top")
    note = (note or "").strip()
    if decision == Decision.DECLINE and not note:
        raise ValidationError({"note": [_("Say why the nomination is declined.")]})
    before = snapshot(nomination)
    now = timezone.now()
    level = nomination.at_unit
    if decision == Decision.RECOMMEND:
        step = NominationStep.Decision.RECOMMENDED
        nomination.at_unit = _next_level(honour, level)
    elif decision == Decision.APPROVE:
        step = NominationStep.Decision.APPROVED
        nomination.status, nomination.decided_at = Nomination.Status.APPROVED, now
    else:
        step = NominationStep.Decision.DECLINED
        nomination.status, nomination.decided_at = Nomination.Status.DECLINED, now
    with transaction.atomic():
        nomination.save(update_fields=["at_unit", "status", "decided_at", "updated_at"])
        NominationStep.objects.create(
            nomination=nomination, unit=level, decision=step, note=note[:2000], actor=actor, at=now
        )
        audit_record(
            actor=actor,
            action="update",
            obj=nomination,
            unit_path=nomination.unit.path,
            before=before,
            after={**snapshot(nomination), "decision": step, "note": note[:2000]},
        )
    return nomination


def nomination_add_evidence(
    *, actor, nomination: Nomination, files: Sequence[IO[bytes]]
) -> list[NominationEvidence]:
    """More evidence from the nominating unit while the nomination is under way."""
    if not access.may_nominate_at(actor, nomination.from_unit):
        raise PermissionDenied
    if nomination.status != Nomination.Status.PENDING:
        raise ValidationError(_("This nomination has been decided."), code="decided")
    if not files:
        raise ValidationError({"files": [_("Attach at least one file.")]})
    if nomination.evidence.count() + len(files) > MAX_EVIDENCE_FILES:
        raise ValidationError(
            {"files": [_("At most %(n)s files of evidence.") % {"n": MAX_EVIDENCE_FILES}]}
        )
    checked = _checked(files)
    stored: list[str] = []
    try:
        with transaction.atomic():
            names = _store(nomination, checked, actor, stored)
            audit_record(
                actor=actor,
                action="update",
                obj=nomination,
                unit_path=nomination.unit.path,
                after={"evidence_added": names},
            )
    except BaseException:
        _delete_stored(stored)
        raise
    return list(nomination.evidence.filter(file__in=stored))


def may_decide(user, nomination: Nomination) -> bool:
    """The awarding unit's campaign office at the top; below it, the level's coordinator,
    head or campaign office."""
    if nomination.status != Nomination.Status.PENDING:
        return False
    if nomination.at_unit_id == nomination.honour.unit_id:
        return access.has_cap(user, Cap.MANAGE_CAMPAIGNS, nomination.at_unit)
    return access.may_nominate_at(user, nomination.at_unit)


def _subject(actor, honour, from_unit, person, unit) -> tuple[Person | None, OrgUnit]:
    """The person or unit nominated: inside the nominating unit and the nominator's scope."""
    if honour.subject_kind == Honour.SubjectKind.PERSON:
        if person is None:
            raise ValidationError({"person": [_("Choose the person nominated.")]})
        if not (
            access.has_cap(actor, Cap.VIEW, person.unit)
            and person.unit.path.startswith(from_unit.path)
        ):
            raise ValidationError({"person": [_("No such record in your scope.")]})
        return person, person.unit
    if unit is None:
        raise ValidationError({"unit": [_("Choose the unit nominated.")]})
    if not (access.has_cap(actor, Cap.VIEW, unit) and unit.path.startswith(from_unit.path)):
        raise ValidationError({"unit": [_("No such record in your scope.")]})
    return None, unit


def _next_level(honour: Honour, unit: OrgUnit) -> OrgUnit:
    """The unit above `unit` on its way to the awarding unit."""
    if unit.pk == honour.unit_id or unit.parent_id is None:
        return honour.unit
    return OrgUnit.objects.get(pk=unit.parent_id)


def _checked(files: Sequence[IO[bytes]]) -> list:
    files = list(files)
    if len(files) > MAX_EVIDENCE_FILES:
        raise ValidationError(
            {"files": [_("At most %(n)s files of evidence.") % {"n": MAX_EVIDENCE_FILES}]}
        )
    try:
        return [checked_files.check_upload(f) for f in files]
    except ValidationError as error:
        raise ValidationError({"files": error.messages}) from None


def _store(nomination: Nomination, checked: list, actor, stored: list[str]) -> list[dict]:
    names = []
    for item in checked:
        record = NominationEvidence(
            nomination=nomination,
            original_name=item.name,
            content_type=item.kind.content_type,
            size=item.size,
            sha256=item.sha256,
            uploaded_by=actor,
        )
        # Stored under a random name; the original one is kept in the row.
        item.upload.seek(0)
        record.file.save(f"{uuid.uuid4().hex}.{item.kind.extension}", File(item.upload), False)
        stored.append(record.file.name)
        record.save()
        names.append({"name": item.name, "size": item.size, "sha256": item.sha256})
    return names


def _delete_stored(names: list[str]) -> None:
    for name in names:
        NominationEvidence.file.field.storage.delete(name)


# --- typical cases ---------------------------------------------------------------------------


def typical_case_submit(
    *,
    actor,
    unit: OrgUnit,
    title: str,
    body: str,
    summary: str = "",
    campaign: Campaign | None = None,
) -> TypicalCase:
    """A unit hands in a typical case for the office above to review."""
    if not access.may_nominate_at(actor, unit):
        raise PermissionDenied
    case = TypicalCase(
        unit=unit,
        title=(title or "").strip(),
        summary=(summary or "").strip(),
        body=(body or "").strip(),
        campaign=campaign,
        submitted_by=actor,
    )
    case.full_clean()
    with transaction.atomic():
        case.save()
        audit_record(
            actor=actor, action="create", obj=case, unit_path=unit.path, after=snapshot(case)
        )
    return case


def typical_case_update(*, actor, case: TypicalCase, **fields) -> TypicalCase:
    """Rewrite a case not yet published; it goes back for review."""
    if not access.may_nominate_at(actor, case.unit):
        raise PermissionDenied
    if case.status == TypicalCase.Status.PUBLISHED:
        raise ValidationError(_("A published case can't be changed."), code="published")
    before = snapshot(case)
    for key in ("title", "summary", "body"):
        if key in fields:
            setattr(case, key, (fields[key] or "").strip())
    case.status = TypicalCase.Status.SUBMITTED
    case.full_clean()
    with transaction.atomic():
        case.save()
        audit_record(
            actor=actor,
            action="update",
            obj=case,
            unit_path=case.unit.path,
            before=before,
            after=snapshot(case),
        )
    return case


def typical_case_review(*, actor, case: TypicalCase, publish: bool, note: str = "") -> TypicalCase:
    """Publish a case on the public pages, or return it to the unit with a note."""
    if not access.may_review_typical_case(actor, case):
        raise PermissionDenied
    if case.status != TypicalCase.Status.SUBMITTED:
        raise ValidationError(_("This case is not awaiting review."), code="not_submitted")
    note = (note or "").strip()
    if not publish and not note:
        raise ValidationError({"note": [_("Say what the unit should change.")]})
    before = snapshot(case)
    case.status = TypicalCase.Status.PUBLISHED if publish else TypicalCase.Status.RETURNED
    case.review_note = note
    case.reviewed_by = actor
    case.published_at = timezone.now() if publish else None
    with transaction.atomic():
        case.save(
            update_fields=["status", "review_note", "reviewed_by", "published_at", "updated_at"]
        )
        audit_record(
            actor=actor,
            action="update",
            obj=case,
            unit_path=case.unit.path,
            before=before,
            after=snapshot(case),
        )
    return case
