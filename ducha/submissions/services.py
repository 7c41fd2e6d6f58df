"""Actions on required submissions and the units' submissions. Each writes its audit entry.

Times are the server's (timezone.now()), never a client's: on time means received by the end
of the due day in China Standard Time (DOMAIN §5).
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Sequence
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ducha.audit.services import audit_record, snapshot
from ducha.campaigns.models import Campaign
from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.orgs.models import OrgUnit

from . import files as submission_files
from . import periods, selectors
from .models import Requirement, ReviewEvent, Submission, SubmissionFile, SubmissionVersion

REQUIREMENT_FIELDS = (
    "kind",
    "title",
    "description",
    "due_date",
    "due_text",
    "recurrence",
    "repeat_until",
    "receiver",
    "remind_days_before",
    "escalate_days_after",
    "parent",
)
# A submission's files; beyond this a unit should zip them or split the report.
MAX_FILES = 10
MAX_CORRECTION_DAYS = 90
CLIENT_TOKEN_MAX = 64


# --- requirements --------------------------------------------------------------------------


def requirement_create(
    *, actor, campaign: Campaign, units: Iterable[OrgUnit] = (), **fields
) -> Requirement:
    """Add a required submission to a campaign the actor runs."""
    access.require_cap(actor, Cap.MANAGE_CAMPAIGNS, campaign.unit)
    _require_editable(campaign)
    requirement = Requirement(
        campaign=campaign, **{k: v for k, v in fields.items() if k in REQUIREMENT_FIELDS}
    )
    units = list(units)
    _validate_requirement(requirement, units)
    with transaction.atomic():
        requirement.save()
        requirement.units.set(units)
        audit_record(
            actor=actor,
            action="create",
            obj=requirement,
            unit_path=campaign.unit.path,
            after=_requirement_snapshot(requirement, units),
        )
    return requirement


def requirement_update(
    *, actor, requirement: Requirement, units: Iterable[OrgUnit] | None = None, **fields
) -> Requirement:
    """Change a requirement; `units` (when given) replaces its list of units."""
    campaign = requirement.campaign
    access.require_cap(actor, Cap.MANAGE_CAMPAIGNS, campaign.unit)
    _require_editable(campaign)
    old_units = list(requirement.units.all())
    before = _requirement_snapshot(Requirement.objects.get(pk=requirement.pk), old_units)
    for key, value in fields.items():
        if key in REQUIREMENT_FIELDS:
            setattr(requirement, key, value)
    new_units = old_units if units is None else list(units)
    _validate_requirement(requirement, new_units)
    with transaction.atomic():
        requirement.save()
        if units is not None:
            requirement.units.set(new_units)
        audit_record(
            actor=actor,
            action="update",
            obj=requirement,
            unit_path=campaign.unit.path,
            before=before,
            after=_requirement_snapshot(requirement, new_units),
        )
    return requirement


def requirement_delete(*, actor, requirement: Requirement) -> None:
    """Remove a requirement nobody has answered yet."""
    campaign = requirement.campaign
    access.require_cap(actor, Cap.MANAGE_CAMPAIGNS, campaign.unit)
    _require_editable(campaign)
    if requirement.submissions.exists():
        raise ValidationError(
            _("“%(title)s” already has submissions and cannot be deleted.")
            % {"title": requirement.title},
            code="has_submissions",
        )
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="delete",
            obj=requirement,
            unit_path=campaign.unit.path,
            before=_requirement_snapshot(requirement, list(requirement.units.all())),
        )
        requirement.delete()


def _require_editable(campaign: Campaign) -> None:
    if campaign.status in (Campaign.Status.CLOSED, Campaign.Status.ARCHIVED):
        raise ValidationError(_("The campaign is closed."), code="campaign_closed")


def _validate_requirement(requirement: Requirement, units: list[OrgUnit]) -> None:
    requirement.full_clean(exclude=["campaign", "units", "parent"])
    campaign = requirement.campaign
    errors: dict[str, list[str]] = {}
    if requirement.recurrence != Requirement.Recurrence.ONCE:
        end = requirement.repeat_until or campaign.ends_on
        if end is None:
            errors["repeat_until"] = [
                _("A recurring submission needs a last date, or a campaign end date.")
            ]
        elif end < requirement.due_date:
            errors["repeat_until"] = [_("The last date is before the first due date.")]
    elif requirement.repeat_until is not None:
        requirement.repeat_until = None
    parent = requirement.parent
    if parent is not None:
        if campaign.parent_id is None or parent.campaign_id != campaign.parent_id:
            errors["parent"] = [_("Choose a requirement of the campaign this one adopts.")]
        elif requirement.due_date > parent.due_date:
            # Cascade (层层落实): a child may only tighten its parent's deadline.
            errors["due_date"] = [
                _("The due date may not be later than the parent requirement's, %(date)s.")
                % {"date": date_format(parent.due_date, "Y-m-d")}
            ]
    if units:
        taking_part = {u.pk for u in selectors.participant_units(campaign)}
        outsiders = [u.name for u in units if u.pk not in taking_part]
        if outsiders:
            errors["units"] = [
                _("These units do not take part in the campaign: %(units)s.")
                % {"units": "、".join(outsiders)}
            ]
    if errors:
        raise ValidationError(errors)


def _requirement_snapshot(requirement: Requirement, units: list[OrgUnit]) -> dict:
    return {**snapshot(requirement), "units": sorted(u.pk for u in units)}


# --- submitting ----------------------------------------------------------------------------


def submission_submit(
    *,
    actor,
    requirement: Requirement,
    unit: OrgUnit,
    files: Sequence[IO[bytes]],
    note: str = "",
    client_token: str,
    due_date: datetime.date | None = None,
) -> SubmissionVersion:
    """Hand in (or, after a return, hand in again) a unit's answer to a requirement.

    The same client_token again returns the version it made (a double click or a resent
    form). Files are checked by content and stored under MEDIA_ROOT with their original
    names kept; if anything fails, no row and no stored file remain.
    """
    campaign = requirement.campaign
    _require_submitter(actor, campaign, unit)
    client_token = (client_token or "").strip()
    if not client_token or len(client_token) > CLIENT_TOKEN_MAX:
        raise ValidationError(_("The form has expired; reload the page."), code="token")
    replay = _replayed_version(client_token, requirement, unit)
    if replay is not None:
        return replay
    if not selectors.must_submit(requirement, unit):
        raise ValidationError(
            _("Your unit does not take part in this requirement."), code="not_participant"
        )
    if not campaign.is_open_for_submissions:
        raise _not_open(campaign)
    now = timezone.now()
    if due_date is None:
        due_date = periods.current_due_date(requirement, periods.today_cst(now))
    elif due_date not in periods.occurrences(requirement):
        raise ValidationError({"due_date": [_("The requirement is not due on this date.")]})
    files = list(files)
    if not files:
        raise ValidationError({"files": [_("Attach at least one file.")]})
    if len(files) > MAX_FILES:
        raise ValidationError(
            {"files": [_("Attach at most %(n)s files.") % {"n": MAX_FILES}]},
        )
    checked = [submission_files.check_upload(f) for f in files]

    stored: list[str] = []
    try:
        with transaction.atomic():
            version = _write_version(
                actor=actor,
                requirement=requirement,
                unit=unit,
                due_date=due_date,
                note=note.strip(),
                client_token=client_token,
                checked=checked,
                now=now,
                stored=stored,
            )
    except IntegrityError:
        _delete_stored(stored)
        # A concurrent request with the same token or for the same period won the race.
        replay = _replayed_version(client_token, requirement, unit)
        if replay is not None:
            return replay
        raise _already_submitted() from None
    except BaseException:
        _delete_stored(stored)
        raise
    return version


def _write_version(
    *, actor, requirement, unit, due_date, note, client_token, checked, now, stored
) -> SubmissionVersion:
    submission = (
        Submission.objects.select_for_update()
        .filter(requirement=requirement, unit=unit, due_date=due_date)
        .first()
    )
    if submission is None:
        submission = Submission.objects.create(
            requirement=requirement,
            unit=unit,
            due_date=due_date,
            due_at=periods.due_at(due_date),
            status=Submission.Status.SUBMITTED,
            first_submitted_at=now,
            last_submitted_at=now,
            counted_at=now,
        )
        before, number, kind = None, 1, ReviewEvent.Kind.SUBMITTED
    elif submission.status == Submission.Status.RETURNED:
        before = snapshot(submission)
        number = submission.versions.count() + 1
        kind = ReviewEvent.Kind.RESUBMITTED
        # Back within the correction period: the first submission's time still counts.
        in_time = submission.correction_due and now <= periods.due_at(submission.correction_due)
        submission.counted_at = submission.first_submitted_at if in_time else now
        submission.status = Submission.Status.SUBMITTED
        submission.last_submitted_at = now
        submission.save(update_fields=["counted_at", "status", "last_submitted_at", "updated_at"])
    else:
        raise _already_submitted()
    version = SubmissionVersion.objects.create(
        submission=submission,
        number=number,
        note=note,
        submitted_by=actor,
        submitted_at=now,
        client_token=client_token,
    )
    for item in checked:
        record = SubmissionFile(
            version=version,
            original_name=item.name,
            content_type=item.kind.content_type,
            size=item.size,
            sha256=item.sha256,
        )
        # Stored under a random name: the original one is kept in the row, never on disk.
        item.upload.seek(0)
        record.file.save(f"{uuid.uuid4().hex}.{item.kind.extension}", File(item.upload), False)
        stored.append(record.file.name)
        record.save()
    ReviewEvent.objects.create(submission=submission, kind=kind, actor=actor, at=now)
    audit_record(
        actor=actor,
        action="submit" if number == 1 else "resubmit",
        obj=submission,
        unit_path=unit.path,
        before=before,
        after={
            **snapshot(submission),
            "version": number,
            "files": [{"name": c.name, "size": c.size, "sha256": c.sha256} for c in checked],
        },
    )
    return version


def _require_submitter(actor, campaign: Campaign, unit: OrgUnit) -> None:
    """Outside the actor's sight (campaign or unit): 404, as for a missing record; visible
    but without the right to submit for the unit: 403."""
    if not access.campaigns_for_user(actor).filter(pk=campaign.pk).exists():
        raise Http404
    if not access.has_cap(actor, Cap.VIEW, unit):
        raise Http404
    if not access.may_submit(actor, unit):
        raise PermissionDenied


def _replayed_version(client_token: str, requirement, unit) -> SubmissionVersion | None:
    version = (
        SubmissionVersion.objects.select_related("submission")
        .filter(client_token=client_token)
        .first()
    )
    if version is None:
        return None
    submission = version.submission
    if submission.requirement_id != requirement.pk or submission.unit_id != unit.pk:
        raise ValidationError(_("The form has expired; reload the page."), code="token")
    return version


def _not_open(campaign: Campaign) -> ValidationError:
    if campaign.status == Campaign.Status.DRAFT:
        return ValidationError(
            _("The campaign is not active yet; it takes no submissions."), code="campaign_draft"
        )
    return ValidationError(_("The campaign is closed."), code="campaign_closed")


def _already_submitted() -> ValidationError:
    return ValidationError(
        _("Your unit has already submitted this report; it can be sent again once returned."),
        code="already_submitted",
    )


def _delete_stored(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


# --- review --------------------------------------------------------------------------------


def submission_accept(*, actor, submission: Submission) -> Submission:
    """The campaign office accepts a submission awaiting review."""
    campaign = submission.requirement.campaign
    if not access.may_review(actor, campaign):
        raise PermissionDenied
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        if submission.status != Submission.Status.SUBMITTED:
            raise _not_awaiting_review()
        before = snapshot(submission)
        now = timezone.now()
        submission.status = Submission.Status.ACCEPTED
        submission.reviewed_by = actor
        submission.reviewed_at = now
        submission.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
        ReviewEvent.objects.create(
            submission=submission, kind=ReviewEvent.Kind.ACCEPTED, actor=actor, at=now
        )
        audit_record(
            actor=actor,
            action="accept",
            obj=submission,
            unit_path=submission.unit.path,
            before=before,
            after=snapshot(submission),
        )
    return submission


def submission_return(
    *, actor, submission: Submission, reason: str, correction_days: int
) -> Submission:
    """Send a submission back (退回) with a reason; the unit has `correction_days` days
    (counted in China Standard Time from today) to bring it back and keep its first time."""
    campaign = submission.requirement.campaign
    if not access.may_review(actor, campaign):
        raise PermissionDenied
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = [_("Say why the submission is returned.")]
    if correction_days is None or not 0 <= correction_days <= MAX_CORRECTION_DAYS:
        errors["correction_days"] = [
            _("Give between 0 and %(n)s days for the correction.") % {"n": MAX_CORRECTION_DAYS}
        ]
    if errors:
        raise ValidationError(errors)
    if not campaign.is_open_for_submissions:
        raise ValidationError(
            _("The campaign is closed; a returned report could not come back."),
            code="campaign_closed",
        )
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        if submission.status != Submission.Status.SUBMITTED:
            raise _not_awaiting_review()
        before = snapshot(submission)
        now = timezone.now()
        submission.status = Submission.Status.RETURNED
        submission.return_reason = reason
        submission.returned_at = now
        submission.correction_due = periods.today_cst(now) + datetime.timedelta(
            days=correction_days
        )
        submission.reviewed_by = actor
        submission.reviewed_at = now
        submission.save(
            update_fields=[
                "status",
                "return_reason",
                "returned_at",
                "correction_due",
                "reviewed_by",
                "reviewed_at",
                "updated_at",
            ]
        )
        ReviewEvent.objects.create(
            submission=submission,
            kind=ReviewEvent.Kind.RETURNED,
            actor=actor,
            at=now,
            reason=reason,
        )
        audit_record(
            actor=actor,
            action="return",
            obj=submission,
            unit_path=submission.unit.path,
            before=before,
            after=snapshot(submission),
        )
    return submission


def _not_awaiting_review() -> ValidationError:
    return ValidationError(
        _("This submission is not awaiting review (it was accepted or returned already)."),
        code="not_awaiting_review",
    )
