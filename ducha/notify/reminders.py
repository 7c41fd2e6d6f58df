"""Deadline reminders and escalation (DOMAIN §5), and the notice of a returned submission.

For every unit that owes a submission of an active campaign:

- before:     from `remind_days_before` days ahead until the eve of the due date, once;
- due today:  on the due date;
- overdue:    from the day after, once;
- escalation: from `escalate_days_after` days after (at least one), once, to the unit head.

The first three go to the unit's coordinators. Each notice has a key naming its stage and
the occurrence (requirement, unit, due date), never the day it was sent: a run repeated, or a
worker restarted, sends nothing twice, and a run after days of downtime still sends what is
owed. A unit has handed in when its submission is submitted or accepted, or returned and still
within the correction period the reviewer set.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ducha.campaigns.models import Campaign, Participant
from ducha.orgs.models import Role, RoleAssignment
from ducha.submissions import periods
from ducha.submissions.models import Requirement, ReviewEvent, Submission

from . import services
from .models import Notification
from .services import Notice

# How far back a run looks: occurrences due longer ago than this are left to the overdue
# lists of the dashboard rather than announced late, and so are older returns.
CATCH_UP_DAYS = 30

Kind = Notification.Kind
DEADLINE_KINDS = (Kind.REMINDER, Kind.DUE_TODAY, Kind.OVERDUE, Kind.ESCALATION)


@dataclass(frozen=True)
class Owed:
    """An occurrence a unit has not handed in."""

    requirement: Requirement
    unit_id: int
    due: datetime.date


def reminders_send(*, today: datetime.date | None = None) -> dict[str, int]:
    """Send the notices due on `today` (China Standard Time) that were not sent before.
    Returns how many notifications of each kind were created, and how many mails were
    queued again for earlier notices. A constant number of queries, whatever the units."""
    today = today or periods.today_cst()
    # Notices are stored in the site's language, whichever request or worker runs this.
    with translation.override(settings.LANGUAGE_CODE):
        retried = services.notifications_email_pending()
        requirements = _requirements()
        recipients = _recipients()
        notices = _deadline_notices(today, requirements, recipients)
        notices += _returned_notices(today, recipients)
        max_before = max((r.remind_days_before for r in requirements), default=0)
        window = today - datetime.timedelta(days=CATCH_UP_DAYS + max_before + 1)
        known = Notification.objects.filter(
            kind__in=[*DEADLINE_KINDS, Kind.RETURNED],
            created_at__gte=_start_of(window),
        )
        created = services.notices_send(notices, known=known)
    counts = Counter(n.kind for n in created)
    result = {str(kind): counts.get(kind, 0) for kind in [*DEADLINE_KINDS, Kind.RETURNED]}
    result["emails_retried"] = len(retried)
    return result


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=periods.CST)


def _requirements() -> list[Requirement]:
    """Requirements of active campaigns, each with `unit_ids`: its own units or, when it names
    none, every participant of the campaign."""
    requirements = list(
        Requirement.objects.filter(campaign__status=Campaign.Status.ACTIVE).select_related(
            "campaign"
        )
    )
    own: dict[int, list[int]] = defaultdict(list)
    for requirement_id, unit_id in Requirement.units.through.objects.filter(
        requirement__campaign__status=Campaign.Status.ACTIVE
    ).values_list("requirement_id", "orgunit_id"):
        own[requirement_id].append(unit_id)
    participants: dict[int, list[int]] = defaultdict(list)
    for campaign_id, unit_id in Participant.objects.filter(
        campaign__status=Campaign.Status.ACTIVE
    ).values_list("campaign_id", "unit_id"):
        participants[campaign_id].append(unit_id)
    for requirement in requirements:
        requirement.unit_ids = own.get(requirement.pk) or participants[requirement.campaign_id]
    return requirements


@dataclass
class Recipients:
    coordinators: dict[int, set[int]]  # unit id → user ids
    heads: dict[int, set[int]]
    unit_names: dict[int, str]


def _recipients() -> Recipients:
    """Active accounts of those holding the coordinator or unit-head role at exactly a unit
    that takes part in an active campaign."""
    active = Campaign.Status.ACTIVE
    in_campaign = Exists(
        Participant.objects.filter(unit_id=OuterRef("unit_id"), campaign__status=active)
    ) | Exists(
        Requirement.units.through.objects.filter(
            orgunit_id=OuterRef("unit_id"), requirement__campaign__status=active
        )
    )
    found = Recipients(defaultdict(set), defaultdict(set), {})
    rows = RoleAssignment.objects.filter(
        in_campaign,
        role__in=[Role.COORDINATOR, Role.UNIT_HEAD],
        unit__is_active=True,
        person__user__isnull=False,
        person__user__is_active=True,
    ).values_list("unit_id", "unit__name", "role", "person__user_id")
    for unit_id, unit_name, role, user_id in rows:
        target = found.coordinators if role == Role.COORDINATOR else found.heads
        target[unit_id].add(user_id)
        found.unit_names[unit_id] = unit_name
    return found


def _owed(today: datetime.date, requirements: list[Requirement]) -> list[Owed]:
    """Occurrences inside the run's window that their unit has not handed in."""
    oldest = today - datetime.timedelta(days=CATCH_UP_DAYS)
    windows = {
        r.pk: [
            due
            for due in periods.occurrences(r)
            if oldest <= due <= today + datetime.timedelta(days=r.remind_days_before)
        ]
        for r in requirements
    }
    if not any(windows.values()):
        return []
    latest = max(due for dates in windows.values() for due in dates)
    handed_in = set()
    for requirement_id, unit_id, due, status, correction_due in Submission.objects.filter(
        requirement__campaign__status=Campaign.Status.ACTIVE,
        due_date__gte=oldest,
        due_date__lte=latest,
    ).values_list("requirement_id", "unit_id", "due_date", "status", "correction_due"):
        returned = status == Submission.Status.RETURNED
        if not returned or (correction_due is not None and today <= correction_due):
            handed_in.add((requirement_id, unit_id, due))
    return [
        Owed(requirement, unit_id, due)
        for requirement in requirements
        for due in windows[requirement.pk]
        for unit_id in requirement.unit_ids
        if (requirement.pk, unit_id, due) not in handed_in
    ]


def _deadline_notices(
    today: datetime.date, requirements: list[Requirement], recipients: Recipients
) -> list[Notice]:
    notices: list[Notice] = []
    for owed in _owed(today, requirements):
        requirement, due = owed.requirement, owed.due
        stages = []
        if due - datetime.timedelta(days=requirement.remind_days_before) <= today < due:
            stages.append(Kind.REMINDER)
        if today == due:
            stages.append(Kind.DUE_TODAY)
        if today > due:
            stages.append(Kind.OVERDUE)
        if today >= due + datetime.timedelta(days=max(requirement.escalate_days_after, 1)):
            stages.append(Kind.ESCALATION)
        if not stages:
            continue
        text = {
            "title": requirement.title,
            "due": due.isoformat(),
            "unit": recipients.unit_names.get(owed.unit_id, ""),
            "campaign": requirement.campaign.title,
        }
        # The page where the unit hands it in.
        url = _link(
            "submissions-submission-create", requirement.campaign_id, requirement.pk
        ) or _link("campaigns-campaign-detail", requirement.campaign_id)
        for kind in stages:
            users = (recipients.heads if kind == Kind.ESCALATION else recipients.coordinators).get(
                owed.unit_id, ()
            )
            title, body = _deadline_text(kind, text)
            key = f"reminder:{kind}:{requirement.pk}:{owed.unit_id}:{due.isoformat()}"
            notices += [
                Notice(user_id=uid, kind=kind, title=title, body=body, url=url, key=key)
                for uid in users
            ]
    return notices


def _deadline_text(kind: str, text: dict) -> tuple[str, str]:
    if kind == Kind.REMINDER:
        return (
            _("Reminder: “%(title)s” is due on %(due)s") % text,
            _("%(unit)s has not yet handed in “%(title)s” for %(campaign)s. It is due on %(due)s.")
            % text,
        )
    if kind == Kind.DUE_TODAY:
        return (
            _("Due today: “%(title)s”") % text,
            _("“%(title)s” for %(campaign)s is due today (%(due)s); %(unit)s has not handed it in.")
            % text,
        )
    if kind == Kind.OVERDUE:
        return (
            _("Overdue: “%(title)s” was due on %(due)s") % text,
            _("%(unit)s has not handed in “%(title)s” for %(campaign)s, due on %(due)s.") % text,
        )
    return (
        _("Escalation: %(unit)s is late with “%(title)s”, due on %(due)s") % text,
        _(
            "As the head of %(unit)s you are told that “%(title)s” for %(campaign)s, due on "
            "%(due)s, has still not been handed in."
        )
        % text,
    )


def _returned_notices(today: datetime.date, recipients: Recipients) -> list[Notice]:
    """The latest return of each submission still waiting for its correction, to the unit's
    coordinators (key "returned:<event id>")."""
    since = _start_of(today - datetime.timedelta(days=CATCH_UP_DAYS))
    events = (
        ReviewEvent.objects.filter(
            kind=ReviewEvent.Kind.RETURNED,
            at__gte=since,
            submission__status=Submission.Status.RETURNED,
            submission__requirement__campaign__status=Campaign.Status.ACTIVE,
        )
        .select_related("submission__requirement")
        .order_by("submission_id", "-at", "-id")
    )
    notices: list[Notice] = []
    last_submission = None
    for event in events:
        if event.submission_id == last_submission:
            continue  # an older return, answered already
        last_submission = event.submission_id
        submission = event.submission
        text = {
            "title": submission.requirement.title,
            "due": submission.due_date.isoformat(),
            "correction_due": submission.correction_due.isoformat()
            if submission.correction_due
            else "—",
            "reason": event.reason,
        }
        title = _("Returned: “%(title)s” (due %(due)s)") % text
        body = (
            _(
                "The submission was returned for correction: %(reason)s. Hand it in again by %(correction_due)s."
            )
            % text
        )
        url = _link("submissions-submission-detail", submission.pk) or _link(
            "campaigns-campaign-detail", submission.requirement.campaign_id
        )
        key = f"returned:{event.pk}"
        notices += [
            Notice(user_id=uid, kind=Kind.RETURNED, title=title, body=body, url=url, key=key)
            for uid in recipients.coordinators.get(submission.unit_id, ())
        ]
    return notices


def _link(name: str, *args) -> str:
    """The page a notice leads to, or none while that page does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""
