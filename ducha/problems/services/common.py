"""What the problem services share: the history row, evidence files, the checks on who acts,
and the notices sent after commit."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Sequence
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.audit.services import audit_record, snapshot
from ducha.notify.models import Notification
from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.orgs.models import OrgUnit
from ducha.submissions import files as checked_files

from .. import selectors
from ..models import Event, Evidence, Problem

# Files per progress update, claim or closing.
MAX_FILES = 10


def today() -> datetime.date:
    """Today in the site's time zone (China Standard Time by default)."""
    return timezone.localdate()


def required_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: [message]})
    return value


def holder(problem: Problem) -> OrgUnit:
    """The unit that must act now: the level it was escalated to, else the responsible one."""
    return problem.escalated_to if problem.escalated_to_id else problem.unit


def require_handler(actor, unit: OrgUnit) -> None:
    if not access.has_cap(actor, Cap.HANDLE_PROBLEMS, unit):
        raise PermissionDenied


def require_verifier(actor, unit: OrgUnit) -> None:
    """Only the level above verifies; a unit never verifies its own rectification."""
    if not access.may_verify_unit(actor, unit):
        raise PermissionDenied(_("Only the level above may verify this unit's rectification."))


def require_status(problem: Problem, *statuses: str) -> None:
    if problem.status not in statuses:
        raise ValidationError(
            _("This cannot be done while the problem is “%(status)s”.")
            % {"status": problem.get_status_display()},
            code="status",
        )


def event_add(problem: Problem, kind: str, *, actor, note: str = "", **fields) -> Event:
    return Event.objects.create(
        problem=problem,
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        at=timezone.now(),
        note=note,
        **fields,
    )


def audit(actor, action: str, problem: Problem, before: dict | None, **extra) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=problem,
        unit_path=problem.unit.path,
        before=before,
        after={**snapshot(problem), **extra},
    )


# --- evidence files ------------------------------------------------------------------------


def check_files(
    uploads: Sequence[IO[bytes]] | None, *, kind: str = Evidence.Kind.FILE, field: str = "files"
) -> list[tuple[checked_files.CheckedFile, str]]:
    """Check uploads by content (Word, Excel, PDF, JPEG, PNG) before anything is written;
    a before or after photo must be a photo."""
    uploads = [u for u in (uploads or []) if u is not None]
    if len(uploads) > MAX_FILES:
        raise ValidationError({field: [_("Attach at most %(n)s files.") % {"n": MAX_FILES}]})
    checked = []
    for upload in uploads:
        try:
            item = checked_files.check_upload(upload)
        except ValidationError as error:
            raise ValidationError({field: error.messages}) from None
        if kind != Evidence.Kind.FILE and item.kind.family != "image":
            raise ValidationError(
                {field: [_("“%(name)s” is not a photo (JPEG or PNG).") % {"name": item.name}]}
            )
        checked.append((item, kind))
    return checked


def save_files(problem: Problem, event: Event, checked, stored: list[str]) -> list[Evidence]:
    """Store checked files under random names; `stored` collects them for cleanup."""
    rows = []
    for item, kind in checked:
        row = Evidence(
            problem=problem,
            event=event,
            kind=kind,
            original_name=item.name,
            content_type=item.kind.content_type,
            size=item.size,
            sha256=item.sha256,
        )
        item.upload.seek(0)
        row.file.save(f"{uuid.uuid4().hex}.{item.kind.extension}", File(item.upload), False)
        stored.append(row.file.name)
        row.save()
        rows.append(row)
    return rows


def delete_stored(names: Iterable[str]) -> None:
    for name in names:
        default_storage.delete(name)


def files_audit(checked) -> list[dict]:
    return [{"name": c.name, "kind": k, "size": c.size, "sha256": c.sha256} for c, k in checked]


# --- notices -------------------------------------------------------------------------------


def problem_url(problem: Problem) -> str:
    try:
        return reverse("problems-problem-detail", args=[problem.pk])
    except NoReverseMatch:  # the web app is not installed
        return ""


def notify_after_commit(
    *, user_ids: Iterable[int], event: Event, title: str, kind: str = Notification.Kind.INFO
):
    """Tell people about a step of the problem once the step is saved; a notice that fails
    never undoes the step."""
    ids = {uid for uid in user_ids if uid and uid != event.actor_id}
    if not ids:
        return

    def send():
        from ducha.notify.services import notify

        notify(
            users=ids,
            kind=kind,
            title=title,
            body=event.problem.title,
            url=problem_url(event.problem),
            key=f"problems:{event.kind}:{event.pk}",
        )

    transaction.on_commit(send, robust=True)


def handlers_of(unit: OrgUnit) -> list[int]:
    return selectors.problem_handler_ids(unit)


def verifiers_of(unit: OrgUnit) -> list[int]:
    return selectors.problem_verifier_ids(unit)
