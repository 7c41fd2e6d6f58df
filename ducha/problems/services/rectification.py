"""Rectification (整改): the task book, progress with evidence, the unit's claim that it is done,
verification and closing (销号) by the level above, and extension requests (延期申请)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import IO

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.audit.services import audit_record, snapshot
from ducha.notify.models import Notification
from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.orgs.models import Person

from ..models import Event, Evidence, Extension, Milestone, Problem, Rectification
from .common import (
    audit,
    check_files,
    delete_stored,
    event_add,
    files_audit,
    handlers_of,
    notify_after_commit,
    require_handler,
    require_status,
    require_verifier,
    required_text,
    save_files,
    today,
    verifiers_of,
)

S = Problem.Status
# A long-term item's plan lists at most this many milestones.
MAX_MILESTONES = 20


def rectification_set(
    *,
    actor,
    problem: Problem,
    measures: str,
    target: str,
    deadline: datetime.date,
    responsible_person: Person,
    responsible_leader: Person | None = None,
    warn_days: int | None = None,
    is_long_term: bool = False,
    plan: str = "",
    milestones: Sequence[tuple[str, datetime.date]] = (),
) -> Rectification:
    """Task book, timetable, responsible person for an assigned problem. The deadline may not
    lie in the past; a long-term item needs its plan, and its milestones fall by the deadline."""
    require_status(problem, S.ASSIGNED)
    require_handler(actor, problem.unit)
    errors: dict[str, list[str]] = {}
    day = today()
    if deadline is None:
        errors["deadline"] = [_("Set a deadline.")]
    elif deadline < day:
        errors["deadline"] = [_("The deadline may not lie in the past.")]
    for field, person in (
        ("responsible_person", responsible_person),
        ("responsible_leader", responsible_leader),
    ):
        if person is not None and not access.has_cap(actor, Cap.VIEW, person.unit):
            errors[field] = [_("Choose one of the listed people.")]
    if is_long_term and not (plan or "").strip():
        errors["plan"] = [_("A long-term item needs a plan.")]
    milestones = [(t.strip(), d) for t, d in milestones if (t or "").strip()]
    if len(milestones) > MAX_MILESTONES:
        errors["milestones"] = [_("At most %(n)s milestones.") % {"n": MAX_MILESTONES}]
    for title, due in milestones:
        if due is None or due < day or (deadline is not None and due > deadline):
            errors["milestones"] = [
                _("“%(title)s”: a milestone falls between today and the deadline.")
                % {"title": title}
            ]
    if errors:
        raise ValidationError(errors)
    rectification = Rectification(
        problem=problem,
        measures=required_text(measures, "measures", _("Describe the measures.")),
        target=required_text(target, "target", _("State the target.")),
        first_deadline=deadline,
        responsible_person=responsible_person,
        responsible_leader=responsible_leader,
        is_long_term=is_long_term,
        plan=(plan or "").strip(),
    )
    if warn_days is not None:
        rectification.warn_days = warn_days
    rectification.set_deadline(deadline)
    rectification.full_clean(exclude=["problem"])
    before = snapshot(problem)
    with transaction.atomic():
        rectification.save()
        Milestone.objects.bulk_create(
            Milestone(rectification=rectification, title=t, due_date=d) for t, d in milestones
        )
        problem.status = S.RECTIFYING
        problem.save(update_fields=["status", "updated_at"])
        event_add(
            problem,
            Event.Kind.RECTIFICATION_SET,
            actor=actor,
            note=_("Deadline %(date)s") % {"date": deadline.isoformat()},
        )
        audit_record(
            actor=actor,
            action="create",
            obj=rectification,
            unit_path=problem.unit.path,
            after={
                **snapshot(rectification),
                "milestones": [[t, d.isoformat()] for t, d in milestones],
            },
        )
        audit(actor, "update", problem, before)
    return rectification


def rectification_progress(
    *,
    actor,
    problem: Problem,
    note: str,
    files: Sequence[IO[bytes]] = (),
    public: bool = False,
) -> Event:
    """A progress update with evidence files; `public` shows its note on the public page."""
    require_status(problem, S.RECTIFYING)
    require_handler(actor, problem.unit)
    note = required_text(note, "note", _("Describe the progress."))
    checked = check_files(files)
    stored: list[str] = []
    try:
        with transaction.atomic():
            event = event_add(problem, Event.Kind.PROGRESS, actor=actor, note=note, public=public)
            save_files(problem, event, checked, stored)
            audit_record(
                actor=actor,
                action="progress",
                obj=problem,
                unit_path=problem.unit.path,
                after={"note": note, "public": public, "files": files_audit(checked)},
            )
    except BaseException:
        delete_stored(stored)
        raise
    return event


def milestone_done(*, actor, milestone: Milestone, note: str = "") -> Milestone:
    rectification = milestone.rectification
    problem = rectification.problem
    require_status(problem, S.RECTIFYING)
    require_handler(actor, problem.unit)
    if milestone.done_at is not None:
        return milestone
    with transaction.atomic():
        milestone.done_at = timezone.now()
        milestone.save(update_fields=["done_at"])
        event_add(
            problem,
            Event.Kind.MILESTONE_DONE,
            actor=actor,
            note=f"{milestone.title}. {note}".strip().rstrip("."),
        )
        audit_record(
            actor=actor,
            action="update",
            obj=problem,
            unit_path=problem.unit.path,
            after={"milestone": milestone.title, "done_at": milestone.done_at.isoformat()},
        )
    return milestone


def rectification_claim(
    *, actor, problem: Problem, note: str, files: Sequence[IO[bytes]] = ()
) -> Problem:
    """The unit says the rectification is done; the level above verifies it."""
    require_status(problem, S.RECTIFYING)
    require_handler(actor, problem.unit)
    note = required_text(note, "note", _("Say what was done."))
    checked = check_files(files)
    rectification = problem.rectification
    before = snapshot(problem)
    stored: list[str] = []
    try:
        with transaction.atomic():
            rectification.claimed_at = timezone.now()
            rectification.save(update_fields=["claimed_at", "updated_at"])
            problem.status = S.CLAIMED
            problem.save(update_fields=["status", "updated_at"])
            event = event_add(problem, Event.Kind.CLAIMED, actor=actor, note=note)
            save_files(problem, event, checked, stored)
            audit(actor, "claim", problem, before, note=note, files=files_audit(checked))
            notify_after_commit(
                user_ids=verifiers_of(problem.unit),
                event=event,
                title=_("A rectification awaits your verification: %(title)s")
                % {"title": problem.title},
            )
    except BaseException:
        delete_stored(stored)
        raise
    return problem


def rectification_close(
    *,
    actor,
    problem: Problem,
    note: str = "",
    files: Sequence[IO[bytes]] = (),
    before_photo: IO[bytes] | None = None,
    after_photo: IO[bytes] | None = None,
) -> Problem:
    """The level above verifies the claimed rectification and closes it (销号). Closing asks
    for evidence; for a place or a thing, a before and an after photo."""
    require_status(problem, S.CLAIMED)
    require_verifier(actor, problem.unit)
    checked = check_files(files)
    checked += check_files([before_photo], kind=Evidence.Kind.BEFORE, field="before_photo")
    checked += check_files([after_photo], kind=Evidence.Kind.AFTER, field="after_photo")
    # What the reporter attached shows the problem, not its rectification: only files of the
    # progress, the claim or this closing count as evidence; a before photo counts from anywhere.
    kinds = {k for _c, k in checked}
    for kind, event_kind in problem.evidence.values_list("kind", "event__kind"):
        if kind == Evidence.Kind.BEFORE or event_kind not in (
            Event.Kind.REPORTED,
            Event.Kind.ATTACHED,
        ):
            kinds.add(kind)
    errors: dict[str, list[str]] = {}
    if not kinds - {Evidence.Kind.BEFORE}:
        errors["files"] = [
            _("Closing needs evidence: attach files here or to a progress update first.")
        ]
    if problem.is_physical:
        if Evidence.Kind.BEFORE not in kinds:
            errors["before_photo"] = [
                _("This problem concerns a place or a thing: add a photo from before.")
            ]
        if Evidence.Kind.AFTER not in kinds:
            errors["after_photo"] = [
                _("This problem concerns a place or a thing: add a photo from after.")
            ]
    if errors:
        raise ValidationError(errors)
    rectification = problem.rectification
    before = snapshot(problem)
    now = timezone.now()
    stored: list[str] = []
    try:
        with transaction.atomic():
            rectification.closed_at = now
            rectification.closed_by = actor
            rectification.save(update_fields=["closed_at", "closed_by", "updated_at"])
            problem.status = S.CLOSED
            problem.finished_at = now
            problem.save(update_fields=["status", "finished_at", "updated_at"])
            event = event_add(problem, Event.Kind.CLOSED, actor=actor, note=(note or "").strip())
            save_files(problem, event, checked, stored)
            audit(actor, "close", problem, before, note=event.note, files=files_audit(checked))
            notify_after_commit(
                user_ids=[*handlers_of(problem.unit), problem.reporter_id],
                event=event,
                title=_("Rectification verified and closed: %(title)s") % {"title": problem.title},
            )
    except BaseException:
        delete_stored(stored)
        raise
    return problem


def rectification_send_back(*, actor, problem: Problem, reason: str) -> Problem:
    """The level above finds the claim wanting and sends it back to be rectified further."""
    require_status(problem, S.CLAIMED)
    require_verifier(actor, problem.unit)
    reason = required_text(reason, "reason", _("Say what is still missing."))
    rectification = problem.rectification
    before = snapshot(problem)
    with transaction.atomic():
        rectification.claimed_at = None
        rectification.save(update_fields=["claimed_at", "updated_at"])
        problem.status = S.RECTIFYING
        problem.save(update_fields=["status", "updated_at"])
        event = event_add(problem, Event.Kind.SENT_BACK, actor=actor, note=reason)
        audit(actor, "send_back", problem, before, reason=reason)
        notify_after_commit(
            user_ids=handlers_of(problem.unit),
            event=event,
            title=_("Rectification sent back: %(title)s") % {"title": problem.title},
            kind=Notification.Kind.RETURNED,
        )
    return problem


def extension_request(
    *, actor, problem: Problem, new_deadline: datetime.date, reason: str
) -> Extension:
    """Where a deadline cannot be met the unit asks, before it passes, for a later one."""
    require_status(problem, S.RECTIFYING)
    require_handler(actor, problem.unit)
    rectification = problem.rectification
    if today() > rectification.deadline:
        raise ValidationError(
            _("The deadline %(date)s has passed: an extension must be requested before it.")
            % {"date": rectification.deadline.isoformat()},
            code="deadline_passed",
        )
    if new_deadline is None or new_deadline <= rectification.deadline:
        raise ValidationError(
            {"new_deadline": [_("The new deadline must fall after the current one.")]}
        )
    reason = required_text(reason, "reason", _("Give the reason for the extension."))
    try:
        with transaction.atomic():
            extension = Extension.objects.create(
                rectification=rectification,
                old_deadline=rectification.deadline,
                new_deadline=new_deadline,
                reason=reason,
                requested_by=actor,
                requested_at=timezone.now(),
            )
            event = event_add(
                problem,
                Event.Kind.EXTENSION_REQUESTED,
                actor=actor,
                note=f"{rectification.deadline} → {new_deadline}: {reason}",
            )
            audit_record(
                actor=actor,
                action="create",
                obj=extension,
                unit_path=problem.unit.path,
                after=snapshot(extension),
            )
            notify_after_commit(
                user_ids=verifiers_of(problem.unit),
                event=event,
                title=_("An extension is requested: %(title)s") % {"title": problem.title},
            )
    except IntegrityError:
        raise ValidationError(
            _("An extension request is already waiting for a decision."), code="pending"
        ) from None
    return extension


def extension_decide(*, actor, extension: Extension, grant: bool, note: str = "") -> Extension:
    """The level above grants (the deadline moves) or refuses the request; both stay in the
    history, and so does the first deadline."""
    rectification = extension.rectification
    problem = rectification.problem
    require_verifier(actor, problem.unit)
    if extension.status != Extension.Status.PENDING:
        raise ValidationError(_("This request has been decided already."), code="decided")
    note = (note or "").strip()
    if not grant and not note:
        raise ValidationError({"note": [_("Give the reason for refusing.")]})
    before = snapshot(extension)
    with transaction.atomic():
        extension.status = Extension.Status.GRANTED if grant else Extension.Status.REFUSED
        extension.decided_by = actor
        extension.decided_at = timezone.now()
        extension.decision_note = note
        extension.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        if grant:
            rectification.set_deadline(extension.new_deadline)
            rectification.save(update_fields=["deadline", "warn_from", "updated_at"])
        event = event_add(
            problem,
            Event.Kind.EXTENSION_GRANTED if grant else Event.Kind.EXTENSION_REFUSED,
            actor=actor,
            note=f"{extension.old_deadline} → {extension.new_deadline}. {note}".strip(),
        )
        audit_record(
            actor=actor,
            action="update",
            obj=extension,
            unit_path=problem.unit.path,
            before=before,
            after=snapshot(extension),
        )
        notify_after_commit(
            user_ids=handlers_of(problem.unit),
            event=event,
            title=(
                _("Extension granted: %(title)s") if grant else _("Extension refused: %(title)s")
            )
            % {"title": problem.title},
        )
    return extension
