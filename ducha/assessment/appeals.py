"""Appeals (申诉) against published scores: a unit files one with its reasons and evidence
within the release's appeal period; the campaign office accepts or rejects it. Accepting an
appeal on an indicator stores the corrected value and publishes the ranking again at once."""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.audit.services import audit_record, snapshot
from ducha.notify.models import Notification
from ducha.orgs import access
from ducha.orgs.models import OrgUnit, Role, RoleAssignment
from ducha.submissions import files as checked_files

from . import releases
from .models import Appeal, Indicator, ScoreCorrection, ScoreRelease


def _open_appeal(release: ScoreRelease, unit: OrgUnit, indicator: Indicator | None):
    return Appeal.objects.filter(
        release=release, unit=unit, indicator=indicator, status=Appeal.Status.SUBMITTED
    ).first()


def appeal_file(
    *,
    actor,
    release: ScoreRelease,
    unit: OrgUnit,
    reasons: str,
    indicator: Indicator | None = None,
    file: IO[bytes] | None = None,
) -> tuple[Appeal, bool]:
    """A unit's appeal against its score of the release, or one indicator of it. A second
    filing of the same open appeal (a double click) returns the first, with False."""
    if not access.may_appeal(actor, unit):
        raise PermissionDenied
    if release.is_superseded:
        raise ValidationError(
            _("A newer version of these scores was published; appeal against that one.")
        )
    if releases.row_of(release, unit.pk) is None:
        raise ValidationError({"unit": [_("This unit has no score in this release.")]})
    if indicator is not None and releases.indicator_of(release, indicator.pk) is None:
        raise ValidationError({"indicator": [_("This indicator is not part of this release.")]})
    if not releases.appeal_open(release):
        raise ValidationError(
            _("The appeal period of these scores ended on %(date)s.")
            % {"date": releases.deadline_text(release)}
        )
    reasons = (reasons or "").strip()
    if not reasons:
        raise ValidationError({"reasons": [_("Give the reasons for the appeal.")]})
    checked = None
    if file is not None:
        try:
            checked = checked_files.check_upload(file)
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from None
    stored: list[str] = []
    try:
        with transaction.atomic():
            # Filings of one release queue here, so a double click finds the first appeal.
            list(ScoreRelease.objects.select_for_update().filter(pk=release.pk).values_list("pk"))
            existing = _open_appeal(release, unit, indicator)
            if existing is not None:
                return existing, False
            appeal = Appeal(
                release=release,
                unit=unit,
                indicator=indicator,
                reasons=reasons,
                submitted_by=actor,
            )
            if checked is not None:
                checked.upload.seek(0)
                appeal.file.save(
                    f"{uuid.uuid4().hex}.{checked.kind.extension}", File(checked.upload), False
                )
                stored.append(appeal.file.name)
                appeal.file_name = checked.name
                appeal.file_type = checked.kind.content_type
                appeal.file_size = checked.size
                appeal.file_sha256 = checked.sha256
            appeal.save()
            audit_record(
                actor=actor,
                action="create",
                obj=appeal,
                unit_path=unit.path,
                after=snapshot(appeal),
            )
    except IntegrityError:
        # Two filings raced past the lock (a database without row locks): keep the first.
        _delete(stored)
        existing = _open_appeal(release, unit, indicator)
        if existing is None:
            raise
        return existing, False
    except Exception:
        _delete(stored)
        raise
    return appeal, True


def _delete(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def _corrected(appeal: Appeal, decision: str, value) -> Decimal | None:
    corrects = decision == Appeal.Status.ACCEPTED and appeal.indicator_id is not None
    if value in (None, ""):
        if corrects:
            raise ValidationError(
                {"corrected_value": [_("Give the corrected value of the indicator (0–100).")]}
            )
        return None
    if not corrects:
        raise ValidationError(
            {
                "corrected_value": [
                    _("Only an accepted appeal on one indicator takes a corrected value.")
                ]
            }
        )
    try:
        value = Decimal(str(value))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or not Decimal(0) <= value <= Decimal(100):
        raise ValidationError({"corrected_value": [_("The corrected value must be 0 to 100.")]})
    return value.quantize(Decimal("0.01"))


def appeal_decide(
    *, actor, appeal: Appeal, decision: str, note: str, corrected_value=None
) -> Appeal:
    """The office accepts or rejects an open appeal, saying why. Accepting an appeal on an
    indicator stores the corrected value; accepting publishes the ranking again at once (the
    old version stays, superseded). The unit's coordinators are told."""
    if not access.may_decide_appeal(actor, appeal):
        raise PermissionDenied
    if decision not in (Appeal.Status.ACCEPTED, Appeal.Status.REJECTED):
        raise ValidationError({"decision": [_("Accept or reject the appeal.")]})
    note = (note or "").strip()
    if not note:
        raise ValidationError({"decision_note": [_("Say why the appeal is decided so.")]})
    value = _corrected(appeal, decision, corrected_value)
    release = appeal.release
    with transaction.atomic():
        locked = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if locked.status != Appeal.Status.SUBMITTED:
            raise ValidationError(_("This appeal was already decided."))
        before = snapshot(locked)
        locked.status = decision
        locked.decision_note = note
        locked.corrected_value = value
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        if decision == Appeal.Status.ACCEPTED:
            if value is not None:
                correction = ScoreCorrection.objects.create(
                    indicator_id=locked.indicator_id,
                    unit_id=locked.unit_id,
                    period=release.period,
                    value=value,
                    appeal=locked,
                )
                audit_record(
                    actor=actor,
                    action="create",
                    obj=correction,
                    unit_path=appeal.unit.path,
                    after=snapshot(correction),
                )
            # The appeal period does not start again for the corrected version.
            locked.result_release, _created = releases.publish(
                actor=actor,
                campaign=release.campaign,
                period=release.period,
                appeal_deadline=release.appeal_deadline,
            )
        locked.save()
        audit_record(
            actor=actor,
            action="update",
            obj=locked,
            unit_path=appeal.unit.path,
            before=before,
            after=snapshot(locked),
        )
        _notify_after_commit(locked, actor)
    return locked


def _notify_after_commit(appeal: Appeal, actor) -> None:
    """The unit's coordinators and whoever filed the appeal hear the decision."""
    users = set(
        RoleAssignment.objects.filter(
            unit_id=appeal.unit_id,
            role=Role.COORDINATOR,
            person__user__isnull=False,
            person__user__is_active=True,
        ).values_list("person__user_id", flat=True)
    )
    if appeal.submitted_by_id:
        users.add(appeal.submitted_by_id)
    users.discard(actor.pk)
    if not users:
        return
    if appeal.status == Appeal.Status.ACCEPTED:
        title = _("Your appeal against the scores of %(period)s was accepted")
    else:
        title = _("Your appeal against the scores of %(period)s was rejected")
    title = title % {"period": appeal.release.period}
    try:
        url = reverse("assessment-appeal-detail", args=[appeal.pk])
    except NoReverseMatch:  # the web app is not installed
        url = ""

    def send():
        from ducha.notify.services import notify

        notify(
            users=users,
            kind=Notification.Kind.INFO,
            title=title,
            body=appeal.decision_note,
            url=url,
            key=f"assessment:appeal:{appeal.pk}:decided",
        )

    transaction.on_commit(send, robust=True)
