"""Rows for the notify tests, made directly: campaign and submission services are other
contexts' and are not under test here."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from ducha.campaigns.models import Campaign, Participant
from ducha.notify.models import Notification
from ducha.submissions import periods
from ducha.submissions.models import Requirement, ReviewEvent, Submission


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    title = factory.Sequence(lambda n: f"作风整顿活动{n}")
    status = Campaign.Status.ACTIVE
    starts_on = datetime.date(2026, 5, 1)
    ends_on = datetime.date(2026, 12, 31)


class RequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Requirement

    kind = Requirement.Kind.SUMMARY_REPORT
    title = factory.Sequence(lambda n: f"总结报告{n}")
    due_date = datetime.date(2026, 6, 18)
    remind_days_before = 3
    escalate_days_after = 3


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    kind = Notification.Kind.REMINDER
    title = factory.Sequence(lambda n: f"Reminder {n}")
    key = factory.Sequence(lambda n: f"test:{n}")


def make_campaign(unit, participants, **fields) -> Campaign:
    campaign = CampaignFactory(unit=unit, **fields)
    Participant.objects.bulk_create(Participant(campaign=campaign, unit=u) for u in participants)
    return campaign


def make_submission(
    requirement, unit, *, due_date=None, status=Submission.Status.SUBMITTED, at=None, **fields
) -> Submission:
    due_date = due_date or requirement.due_date
    at = at or timezone.now()
    return Submission.objects.create(
        requirement=requirement,
        unit=unit,
        due_date=due_date,
        due_at=periods.due_at(due_date),
        status=status,
        first_submitted_at=at,
        last_submitted_at=at,
        counted_at=at,
        **fields,
    )


def make_return(submission, *, reason="材料不全", correction_due, at=None, actor=None):
    """Return a submission the way the review does: status, correction period, event row."""
    at = at or timezone.now()
    submission.status = Submission.Status.RETURNED
    submission.return_reason = reason
    submission.returned_at = at
    submission.correction_due = correction_due
    submission.save()
    return ReviewEvent.objects.create(
        submission=submission, kind=ReviewEvent.Kind.RETURNED, actor=actor, at=at, reason=reason
    )
