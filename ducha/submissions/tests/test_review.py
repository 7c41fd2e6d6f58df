"""The campaign office accepts a submission or returns it with a reason."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from freezegun import freeze_time

from ducha.audit.models import AuditEntry
from ducha.campaigns.models import Campaign
from ducha.submissions import services
from ducha.submissions.models import ReviewEvent, Submission

from .factories import submit


@pytest.fixture
def submission(dora, requirement, tree):
    with freeze_time("2012-06-15 02:00:00"):
        return submit(dora, requirement, tree.hospital).submission


def test_it_accepts_a_submission(alice, submission):
    with freeze_time("2012-06-16 02:00:00"):
        services.submission_accept(actor=alice, submission=submission)

    submission.refresh_from_db()
    assert submission.status == Submission.Status.ACCEPTED
    assert submission.reviewed_by == alice
    assert submission.reviewed_at == datetime.datetime(2012, 6, 16, 2, tzinfo=datetime.UTC)
    assert submission.events.last().kind == ReviewEvent.Kind.ACCEPTED
    entry = AuditEntry.objects.get(action="accept")
    assert entry.before == {"reviewed_at": None, "reviewed_by_id": None, "status": "submitted"}
    assert entry.after["status"] == "accepted"


def test_it_returns_a_submission_with_a_reason_and_a_correction_period(alice, submission):
    with freeze_time("2012-06-20 17:00:00"):  # already 21 June in Beijing
        services.submission_return(
            actor=alice, submission=submission, reason=" 缺少整改措施 ", correction_days=5
        )

    submission.refresh_from_db()
    assert submission.status == Submission.Status.RETURNED
    assert submission.return_reason == "缺少整改措施"
    assert submission.correction_due == datetime.date(2012, 6, 26)
    assert submission.returned_at is not None
    event = submission.events.last()
    assert (event.kind, event.reason, event.actor) == ("returned", "缺少整改措施", alice)
    entry = AuditEntry.objects.get(action="return")
    assert entry.after["status"] == "returned"
    assert entry.after["correction_due"] == "2012-06-26"


def test_a_return_needs_a_reason_and_a_sane_period(alice, submission, english):
    with pytest.raises(ValidationError) as error:
        services.submission_return(
            actor=alice, submission=submission, reason="  ", correction_days=400
        )
    assert error.value.message_dict == {
        "reason": ["Say why the submission is returned."],
        "correction_days": ["Give between 0 and 90 days for the correction."],
    }
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    assert not AuditEntry.objects.filter(action="return").exists()


def test_only_the_campaign_office_reviews(bob, dora, carol, alice, submission):
    for actor in (bob, dora, carol):
        with pytest.raises(PermissionDenied):
            services.submission_accept(actor=actor, submission=submission)
        with pytest.raises(PermissionDenied):
            services.submission_return(
                actor=actor, submission=submission, reason="不行", correction_days=3
            )
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.events.count() == 1


def test_a_reviewed_submission_is_not_reviewed_again(alice, submission, english):
    services.submission_accept(actor=alice, submission=submission)
    with pytest.raises(ValidationError) as error:
        services.submission_return(
            actor=alice, submission=submission, reason="再看看", correction_days=3
        )
    assert error.value.code == "not_awaiting_review"
    with pytest.raises(ValidationError):
        services.submission_accept(actor=alice, submission=submission)
    assert submission.events.count() == 2


def test_a_closed_campaign_returns_nothing(alice, submission):
    Campaign.objects.filter(pk=submission.requirement.campaign_id).update(
        status=Campaign.Status.CLOSED
    )
    submission = Submission.objects.get(pk=submission.pk)
    with pytest.raises(ValidationError):
        services.submission_return(
            actor=alice, submission=submission, reason="补充", correction_days=3
        )
    # Accepting what arrived before the close is still possible.
    services.submission_accept(actor=alice, submission=submission)
    assert Submission.objects.get(pk=submission.pk).status == Submission.Status.ACCEPTED
