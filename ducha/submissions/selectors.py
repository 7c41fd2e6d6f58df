"""Reads of requirements and submissions: lists, a unit's to-do, the review queue.

Reporting rates and their roll-ups up the tree live in rates.py (the dashboard's).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ducha.campaigns.models import Campaign, Participant
from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.orgs.models import OrgUnit

from . import periods
from .models import Requirement, ReviewEvent, Submission, SubmissionFile, SubmissionVersion


class TodoStatus(models.TextChoices):
    MISSING = "missing", _("Not submitted")
    OVERDUE = "overdue", _("Overdue")
    SUBMITTED = Submission.Status.SUBMITTED.value, Submission.Status.SUBMITTED.label
    ACCEPTED = Submission.Status.ACCEPTED.value, Submission.Status.ACCEPTED.label
    RETURNED = Submission.Status.RETURNED.value, Submission.Status.RETURNED.label


@dataclass
class TodoItem:
    requirement: Requirement
    unit: OrgUnit
    due_date: datetime.date
    due_at: datetime.datetime
    submission: Submission | None
    status: str

    @property
    def status_label(self) -> str:
        return TodoStatus(self.status).label

    @property
    def may_send(self) -> bool:
        """Whether the unit can hand this one in now (first time, or after a return)."""
        return self.status in (TodoStatus.MISSING, TodoStatus.OVERDUE, TodoStatus.RETURNED)


@dataclass
class RequirementProgress:
    requirement: Requirement
    expected: int
    received: int
    accepted: int
    returned: int

    @property
    def awaiting_review(self) -> int:
        return self.received - self.accepted - self.returned


# --- requirements --------------------------------------------------------------------------


def requirement_list(campaign: Campaign) -> QuerySet[Requirement]:
    return (
        Requirement.objects.filter(campaign=campaign)
        .select_related("parent")
        .prefetch_related(Prefetch("units", queryset=OrgUnit.objects.order_by("path")))
    )


def requirement_get(user, campaign_id, requirement_id) -> Requirement:
    """A requirement of a campaign the user can see, or 404 (the same for missing ones)."""
    campaign = access.get_campaign_for_user(user, campaign_id)
    try:
        requirement = requirement_list(campaign).get(pk=int(requirement_id))
    except (TypeError, ValueError, OverflowError, Requirement.DoesNotExist):
        raise Http404 from None
    requirement.campaign = campaign
    return requirement


def requirement_get_any(user, requirement_id) -> Requirement:
    """A requirement by its own id (the API's paths), through its campaign's visibility."""
    try:
        campaign_id = Requirement.objects.values_list("campaign_id", flat=True).get(
            pk=int(requirement_id)
        )
    except (TypeError, ValueError, OverflowError, Requirement.DoesNotExist):
        raise Http404 from None
    return requirement_get(user, campaign_id, requirement_id)


def participant_units(campaign: Campaign) -> list[OrgUnit]:
    units = OrgUnit.objects.filter(participations__campaign=campaign).order_by("path")
    return list(units)


def required_units(requirement: Requirement, participants: list[OrgUnit]) -> list[OrgUnit]:
    """The units that must hand the requirement in: its own list, else every participant.
    Uses prefetched units when the requirement came from requirement_list()."""
    chosen = list(requirement.units.all())
    return chosen or participants


def is_participant(campaign: Campaign, unit: OrgUnit) -> bool:
    return Participant.objects.filter(campaign=campaign, unit=unit).exists()


def must_submit(requirement: Requirement, unit: OrgUnit) -> bool:
    """Whether `unit` takes part in the requirement's campaign and the requirement asks it."""
    if not is_participant(requirement.campaign, unit):
        return False
    chosen = requirement.units.all()
    return not chosen.exists() or chosen.filter(pk=unit.pk).exists()


def submitting_units(user, campaign: Campaign, participants: list[OrgUnit]) -> list[OrgUnit]:
    """The participants the user may hand submissions in for."""
    roots = access.scope_paths(user, Cap.SUBMIT)
    return [u for u in participants if any(u.path.startswith(r) for r in roots)]


def requirement_progress(campaign: Campaign, *, today=None) -> list[RequirementProgress]:
    """Per requirement: submissions expected so far (required units × due dates passed plus
    the current one) against those received, accepted and returned. Four queries."""
    today = today or periods.today_cst()
    requirements = list(requirement_list(campaign))
    participants = participant_units(campaign)
    counts: dict[int, dict[datetime.date, dict[str, int]]] = {}
    rows = (
        Submission.objects.filter(requirement__campaign=campaign)
        .values("requirement_id", "due_date")
        .annotate(
            received=Count("id"),
            accepted=Count("id", filter=Q(status=Submission.Status.ACCEPTED)),
            returned=Count("id", filter=Q(status=Submission.Status.RETURNED)),
        )
        .order_by()
    )
    for row in rows:
        counts.setdefault(row["requirement_id"], {})[row["due_date"]] = row
    progress = []
    for requirement in requirements:
        requirement.campaign = campaign
        dates = periods.occurrences_so_far(requirement, today)
        units = {u.pk for u in required_units(requirement, participants)}
        by_date = counts.get(requirement.pk, {})
        rows_so_far = [by_date[d] for d in dates if d in by_date]
        progress.append(
            RequirementProgress(
                requirement=requirement,
                expected=len(units) * len(dates),
                received=sum(r["received"] for r in rows_so_far),
                accepted=sum(r["accepted"] for r in rows_so_far),
                returned=sum(r["returned"] for r in rows_so_far),
            )
        )
    return progress


# --- a unit's to-do -----------------------------------------------------------------------


def todo_for_unit(user, campaign: Campaign, *, now=None) -> list[TodoItem]:
    """What the user's submitting units owe the campaign: each required (requirement, unit,
    due date) so far with its submission's status, or missing/overdue. Four queries."""
    now = now or timezone.now()
    today = periods.today_cst(now)
    participants = participant_units(campaign)
    units = submitting_units(user, campaign, participants)
    if not units:
        return []
    requirements = list(requirement_list(campaign))
    submissions = {
        (s.requirement_id, s.unit_id, s.due_date): s
        for s in Submission.objects.filter(
            requirement__campaign=campaign, unit__in=[u.pk for u in units]
        )
    }
    items = []
    for requirement in requirements:
        requirement.campaign = campaign
        required = {u.pk for u in required_units(requirement, participants)}
        dates = periods.occurrences_so_far(requirement, today)
        for unit in units:
            if unit.pk not in required:
                continue
            for date in dates:
                submission = submissions.get((requirement.pk, unit.pk, date))
                deadline = periods.due_at(date)
                if submission is not None:
                    status = submission.status
                else:
                    status = TodoStatus.OVERDUE if now > deadline else TodoStatus.MISSING
                items.append(
                    TodoItem(
                        requirement=requirement,
                        unit=unit,
                        due_date=date,
                        due_at=deadline,
                        submission=submission,
                        status=str(status),
                    )
                )
    items.sort(key=lambda i: (i.due_date, i.unit.path, i.requirement.pk))
    return items


# --- submissions ---------------------------------------------------------------------------


def submissions_for_user(user) -> QuerySet[Submission]:
    """Submissions the user may read: those of units in the user's scope, and all of a
    campaign issued inside it (the office that receives them)."""
    return Submission.objects.filter(
        access.scope_q(user, field="unit")
        | access.scope_q(user, field="requirement__campaign__unit")
    )


def submission_get(user, submission_id) -> Submission:
    """One submission with its versions, files and history, or 404 (missing or out of scope)."""
    queryset = submissions_for_user(user).select_related(
        "requirement__campaign__unit", "unit", "reviewed_by"
    )
    queryset = queryset.prefetch_related(
        Prefetch(
            "versions",
            queryset=SubmissionVersion.objects.select_related("submitted_by").prefetch_related(
                Prefetch("files", queryset=SubmissionFile.objects.order_by("id"))
            ),
        ),
        Prefetch("events", queryset=ReviewEvent.objects.select_related("actor")),
    )
    try:
        return queryset.get(pk=int(submission_id))
    except (TypeError, ValueError, OverflowError, Submission.DoesNotExist):
        raise Http404 from None


def submission_file_get(user, file_id) -> SubmissionFile:
    """A submitted file the user may read (through its submission), or 404."""
    visible = submissions_for_user(user).values("pk")
    try:
        return SubmissionFile.objects.select_related("version__submission").get(
            pk=int(file_id), version__submission__in=visible
        )
    except (TypeError, ValueError, OverflowError, SubmissionFile.DoesNotExist):
        raise Http404 from None


def review_queue(user, campaign: Campaign, status: str | None = None) -> QuerySet[Submission]:
    """The campaign's submissions for its reviewers, oldest first; by status when given."""
    access.require_cap(user, Cap.REVIEW, campaign.unit)
    queryset = Submission.objects.filter(requirement__campaign=campaign).select_related(
        "requirement", "unit"
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("last_submitted_at", "id")
