"""Reporting a problem and routing it (上下联动): solved on the spot, assigned to the responsible
unit, escalated up the chain or to an outside body, or closed as invalid. Every hop is an Event.
Also the office's own categories and public disclosure (开门整改)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.audit.services import audit_record, snapshot
from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.orgs.models import OrgUnit, Place

from ..models import Category, Event, Evidence, Problem
from .common import (
    audit,
    check_files,
    delete_stored,
    event_add,
    files_audit,
    handlers_of,
    holder,
    notify_after_commit,
    require_handler,
    require_status,
    required_text,
    save_files,
)

S = Problem.Status
# A problem waiting for its route: it may still go anywhere.
ROUTABLE = (S.REPORTED, S.ASSIGNED, S.ESCALATED)
OPEN = tuple(s for s in S if s not in Problem.FINISHED)


def category_create(*, actor, unit: OrgUnit, name: str, sort_order: int = 100) -> Category:
    """A campaign office adds a category its subtree may use."""
    access.require_cap(actor, Cap.MANAGE_CAMPAIGNS, unit)
    name = required_text(name, "name", _("Give the category a name."))
    if access.problem_categories_for_user(actor).filter(name=name).exists():
        raise ValidationError({"name": [_("This category exists already.")]})
    category = Category(
        code=f"{unit.code}-{uuid.uuid4().hex[:8]}", name=name, unit=unit, sort_order=sort_order
    )
    category.full_clean()
    with transaction.atomic():
        category.save()
        audit_record(
            actor=actor,
            action="create",
            obj=category,
            unit_path=unit.path,
            after=snapshot(category),
        )
    return category


def problem_report(
    *,
    actor,
    unit: OrgUnit,
    category: Category,
    title: str,
    source: str,
    description: str = "",
    severity: str = Problem.Severity.MINOR,
    campaign=None,
    is_physical: bool = False,
    place: Place | None = None,
    visit=None,
    files: Sequence[IO[bytes]] = (),
    before_photo: IO[bytes] | None = None,
) -> Problem:
    """Put a problem on the list of `unit`. Staff who log visits and those who run the
    unit's problems may report; one found on a visit keeps the visit and its campaign.
    Files and a photo of how it was (the before photo of a place or a thing) may come along."""
    if not access.may_report_problem(actor, unit):
        raise PermissionDenied
    if not access.problem_categories_for_user(actor).filter(pk=category.pk).exists():
        raise ValidationError({"category": [_("Choose one of the listed categories.")]})
    if visit is not None:
        if not access.has_cap(actor, Cap.VIEW, visit.unit):
            raise PermissionDenied
        source = Problem.Source.VISIT
        campaign = campaign or visit.campaign
    if (
        campaign is not None
        and not access.campaigns_for_user(actor).filter(pk=campaign.pk).exists()
    ):
        raise ValidationError({"campaign": [_("Choose one of the listed campaigns.")]})
    if place is not None and not access.has_cap(actor, Cap.VIEW, place.unit):
        raise ValidationError({"place": [_("Choose one of the listed places.")]})
    problem = Problem(
        campaign=campaign,
        unit=unit,
        found_unit=unit,
        source=source,
        category=category,
        title=required_text(title, "title", _("Say what the problem is.")),
        description=(description or "").strip(),
        severity=severity,
        is_physical=is_physical,
        place=place,
        visit=visit,
        reporter=actor,
        status=S.REPORTED,
    )
    problem.full_clean(exclude=["reporter"])
    checked = check_files(files)
    checked += check_files([before_photo], kind=Evidence.Kind.BEFORE, field="before_photo")
    stored: list[str] = []
    try:
        with transaction.atomic():
            problem.save()
            event = event_add(problem, Event.Kind.REPORTED, actor=actor, to_unit=unit)
            save_files(problem, event, checked, stored)
            audit_record(
                actor=actor,
                action="create",
                obj=problem,
                unit_path=unit.path,
                after={**snapshot(problem), "files": files_audit(checked)},
            )
            notify_after_commit(
                user_ids=handlers_of(unit),
                event=event,
                title=_("A problem was reported: %(title)s") % {"title": problem.title},
            )
    except BaseException:
        delete_stored(stored)
        raise
    return problem


def problem_attach(
    *,
    actor,
    problem: Problem,
    note: str = "",
    files: Sequence[IO[bytes]] = (),
    before_photo: IO[bytes] | None = None,
) -> Event:
    """Add files or the before photo to an open problem: its reporter or those who run it."""
    require_status(problem, *OPEN)
    if problem.reporter_id != getattr(actor, "pk", None):
        require_handler(actor, problem.unit)
    checked = check_files(files)
    checked += check_files([before_photo], kind=Evidence.Kind.BEFORE, field="before_photo")
    if not checked:
        raise ValidationError({"files": [_("Attach a file or a photo.")]})
    stored: list[str] = []
    try:
        with transaction.atomic():
            event = event_add(problem, Event.Kind.ATTACHED, actor=actor, note=(note or "").strip())
            save_files(problem, event, checked, stored)
            audit_record(
                actor=actor,
                action="attach",
                obj=problem,
                unit_path=problem.unit.path,
                after={"note": event.note, "files": files_audit(checked)},
            )
    except BaseException:
        delete_stored(stored)
        raise
    return event


def problem_solve_on_spot(*, actor, problem: Problem, solution: str) -> Problem:
    """Solved on the spot (就地解决), saying what was done. The reporter may record it on the
    spot; so may those who run the unit's problems."""
    require_status(problem, S.REPORTED, S.ASSIGNED)
    is_reporter = problem.status == S.REPORTED and problem.reporter_id == getattr(actor, "pk", None)
    if not is_reporter:
        require_handler(actor, holder(problem))
    solution = required_text(solution, "solution", _("Say what was done on the spot."))
    before = snapshot(problem)
    with transaction.atomic():
        problem.status = S.SOLVED_ON_SPOT
        problem.solution = solution
        problem.finished_at = timezone.now()
        problem.save(update_fields=["status", "solution", "finished_at", "updated_at"])
        event_add(problem, Event.Kind.SOLVED_ON_SPOT, actor=actor, note=solution)
        audit(actor, "solve_on_spot", problem, before)
    return problem


def problem_assign(*, actor, problem: Problem, unit: OrgUnit, note: str = "") -> Problem:
    """Hand the problem to the unit responsible for it (its own unit accepting it, one below,
    or, from the level above, any unit of that level's subtree)."""
    require_status(problem, *ROUTABLE)
    require_handler(actor, holder(problem))
    if not access.has_cap(actor, Cap.HANDLE_PROBLEMS, unit):
        raise ValidationError({"unit": [_("Choose a unit whose problems you run.")]})
    before = snapshot(problem)
    from_unit = holder(problem)
    with transaction.atomic():
        problem.unit = unit
        problem.escalated_to = None
        problem.escalated_body = ""
        problem.status = S.ASSIGNED
        problem.save(
            update_fields=["unit", "escalated_to", "escalated_body", "status", "updated_at"]
        )
        event = event_add(
            problem,
            Event.Kind.ASSIGNED,
            actor=actor,
            from_unit=from_unit,
            to_unit=unit,
            note=(note or "").strip(),
        )
        audit(actor, "assign", problem, before, note=event.note)
        notify_after_commit(
            user_ids=handlers_of(unit),
            event=event,
            title=_("A problem was assigned to your unit: %(title)s") % {"title": problem.title},
        )
    return problem


def problem_escalate(
    *, actor, problem: Problem, reason: str, to_unit: OrgUnit | None = None, to_body: str = ""
) -> Problem:
    """Ask for coordination above (上报): to a unit up the chain of the unit now holding the
    problem, or to an outside coordinating body such as the local government's style office."""
    require_status(problem, *ROUTABLE)
    current = holder(problem)
    require_handler(actor, current)
    reason = required_text(reason, "reason", _("Give the reason for escalating."))
    to_body = (to_body or "").strip()
    if (to_unit is None) == (not to_body):
        raise ValidationError(
            {"to_unit": [_("Escalate either to a unit above or to an outside body.")]}
        )
    if to_unit is not None and not (
        current.path.startswith(to_unit.path) and current.path != to_unit.path
    ):
        raise ValidationError(
            {
                "to_unit": [
                    _("A problem is escalated only to a unit above “%(unit)s”.")
                    % {"unit": current.name}
                ]
            }
        )
    if len(to_body) > Problem._meta.get_field("escalated_body").max_length:
        raise ValidationError({"to_body": [_("The name of the body is too long.")]})
    before = snapshot(problem)
    with transaction.atomic():
        if to_unit is not None:
            problem.escalated_to = to_unit
            problem.escalated_body = ""
        else:
            problem.escalated_body = to_body
        problem.status = S.ESCALATED
        problem.save(update_fields=["escalated_to", "escalated_body", "status", "updated_at"])
        event = event_add(
            problem,
            Event.Kind.ESCALATED,
            actor=actor,
            from_unit=current,
            to_unit=to_unit,
            to_body=to_body,
            note=reason,
        )
        audit(actor, "escalate", problem, before, reason=reason)
        if to_unit is not None:
            notify_after_commit(
                user_ids=handlers_of(to_unit),
                event=event,
                title=_("A problem was escalated to your unit: %(title)s")
                % {"title": problem.title},
            )
    return problem


def problem_invalidate(*, actor, problem: Problem, reason: str) -> Problem:
    """A problem is never deleted: a wrong one is closed as invalid, with the reason kept."""
    require_status(problem, *OPEN)
    require_handler(actor, holder(problem))
    reason = required_text(reason, "reason", _("Say why the problem is invalid."))
    before = snapshot(problem)
    with transaction.atomic():
        problem.status = S.INVALID
        problem.invalid_reason = reason
        problem.finished_at = timezone.now()
        problem.save(update_fields=["status", "invalid_reason", "finished_at", "updated_at"])
        event_add(problem, Event.Kind.INVALID, actor=actor, note=reason)
        audit(actor, "invalidate", problem, before)
    return problem


def problem_disclose(
    *, actor, problem: Problem, public_title: str, public_text: str = ""
) -> Problem:
    """Show the problem on the unit's public page (开门整改) under wording the unit writes,
    without personal data; status, progress marked public, and dates follow it."""
    require_handler(actor, problem.unit)
    require_status(problem, *(s for s in S if s != S.INVALID))
    public_title = required_text(
        public_title, "public_title", _("Give the title the public will read.")
    )
    before = snapshot(problem)
    problem.public_title = public_title
    problem.public_text = (public_text or "").strip()
    problem.full_clean(exclude=["reporter"])
    with transaction.atomic():
        first = not problem.disclosed
        problem.disclosed = True
        problem.disclosed_at = problem.disclosed_at or timezone.now()
        problem.save(
            update_fields=["disclosed", "disclosed_at", "public_title", "public_text", "updated_at"]
        )
        if first:
            event_add(problem, Event.Kind.DISCLOSED, actor=actor)
        audit(actor, "disclose", problem, before)
    return problem


def problem_withdraw(*, actor, problem: Problem, reason: str) -> Problem:
    """Take the problem off the public page; the history says who did and why."""
    require_handler(actor, problem.unit)
    if not problem.disclosed:
        raise ValidationError(_("The problem is not on the public page."), code="not_disclosed")
    reason = required_text(reason, "reason", _("Say why it is withdrawn."))
    before = snapshot(problem)
    with transaction.atomic():
        problem.disclosed = False
        problem.save(update_fields=["disclosed", "updated_at"])
        event_add(problem, Event.Kind.WITHDRAWN, actor=actor, note=reason)
        audit(actor, "withdraw", problem, before, reason=reason)
    return problem
