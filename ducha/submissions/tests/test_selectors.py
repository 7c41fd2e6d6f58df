"""A unit's to-do, the review queue, one submission and the requirements' progress."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from ducha.orgs.models import Role
from ducha.orgs.tests.factories import OrgUnitFactory, make_member
from ducha.submissions import selectors, services
from ducha.submissions.models import Requirement, Submission

from .factories import RequirementFactory, make_campaign, submit

D = datetime.date


@pytest.fixture
def weekly(campaign):
    return RequirementFactory(
        campaign=campaign,
        title="工作简报",
        kind=Requirement.Kind.BRIEF,
        recurrence=Requirement.Recurrence.WEEKLY,
        due_date=D(2012, 6, 1),
        repeat_until=D(2012, 6, 29),
    )


def rows(items):
    return [(i.requirement.title, i.unit.code, i.due_date, i.status) for i in items]


def test_the_todo_lists_what_the_unit_owes_so_far(alice, dora, requirement, weekly, tree, english):
    with freeze_time("2012-06-05 02:00:00"):
        submit(dora, weekly, tree.hospital, due_date=D(2012, 6, 1))
    with freeze_time("2012-06-08 02:00:00"):
        brief = submit(dora, weekly, tree.hospital).submission
        services.submission_return(
            actor=alice, submission=brief, reason="太简略", correction_days=2
        )

    with freeze_time("2012-06-10 02:00:00"):
        items = selectors.todo_for_unit(dora, requirement.campaign)

    assert rows(items) == [
        ("工作简报", "H01", D(2012, 6, 1), "submitted"),
        ("工作简报", "H01", D(2012, 6, 8), "returned"),
        ("工作简报", "H01", D(2012, 6, 15), "missing"),
        ("总结报告", "H01", D(2012, 6, 18), "missing"),
    ]
    assert items[1].submission == brief
    assert [i.may_send for i in items] == [False, True, True, True]

    with freeze_time("2012-06-18 16:00:01"):
        late = selectors.todo_for_unit(dora, requirement.campaign)
    assert ("总结报告", "H01", D(2012, 6, 18), "overdue") in rows(late)
    assert [i.status_label for i in late if i.status == "overdue"][0] == "Overdue"


def test_the_todo_has_only_the_units_a_requirement_asks(dora, requirement, weekly, tree):
    weekly.units.set([tree.hospital2])
    with freeze_time("2012-06-10 02:00:00"):
        assert rows(selectors.todo_for_unit(dora, requirement.campaign)) == [
            ("总结报告", "H01", D(2012, 6, 18), "missing")
        ]


def test_only_submitting_units_have_a_todo(alice, bob, sam, carol, requirement):
    for user in (alice, bob, sam, carol):
        assert selectors.todo_for_unit(user, requirement.campaign) == []


def test_a_county_coordinator_sees_every_hospitals_todo(requirement, tree):
    coordinator = make_member("coco", tree.county, Role.COORDINATOR).user
    with freeze_time("2012-06-10 02:00:00"):
        units = [i.unit.code for i in selectors.todo_for_unit(coordinator, requirement.campaign)]
    assert units == ["H01", "H02"]


def test_the_todo_costs_a_fixed_number_of_queries(dora, requirement, weekly, tree):
    campaign = requirement.campaign
    with freeze_time("2012-06-10 02:00:00"):
        dora = type(dora).objects.get(pk=dora.pk)
        with CaptureQueriesContext(connection) as few:
            selectors.todo_for_unit(dora, campaign)
        for n in range(5):
            extra = RequirementFactory(campaign=campaign, title=f"专题报告{n}")
            extra.units.set([tree.hospital])
            submit(dora, extra, tree.hospital)
        dora = type(dora).objects.get(pk=dora.pk)
        with CaptureQueriesContext(connection) as many:
            items = selectors.todo_for_unit(dora, campaign)
    assert len(items) == 9
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_review_queue_is_for_the_office(alice, bob, dora, requirement, tree, campaign):
    campaign_other = make_campaign(tree.county, [tree.hospital])
    other = RequirementFactory(campaign=campaign_other)
    first = submit(dora, requirement, tree.hospital).submission
    submit(dora, other, tree.hospital)
    services.submission_accept(actor=alice, submission=first)
    second = submit(dora, RequirementFactory(campaign=campaign), tree.hospital).submission

    assert list(selectors.review_queue(alice, campaign)) == [first, second]
    assert list(selectors.review_queue(alice, campaign, status="submitted")) == [second]
    for user in (bob, dora):
        with pytest.raises(PermissionDenied):
            selectors.review_queue(user, campaign)


def test_a_submission_is_seen_by_its_unit_and_the_office_only(
    alice, bob, dora, sam, carol, requirement, tree
):
    submission = submit(dora, requirement, tree.hospital).submission
    for user in (alice, bob, dora, sam):
        assert selectors.submission_get(user, submission.pk) == submission
    with pytest.raises(Http404):
        selectors.submission_get(carol, submission.pk)
    # Another hospital of the same county sees its own submissions, not this one.
    neighbour = make_member("nina", tree.hospital2, Role.COORDINATOR).user
    with pytest.raises(Http404):
        selectors.submission_get(neighbour, submission.pk)
    file = submission.versions.get().files.get()
    assert selectors.submission_file_get(dora, file.pk) == file
    for user in (carol, neighbour):
        with pytest.raises(Http404):
            selectors.submission_file_get(user, file.pk)
    with pytest.raises(Http404):
        selectors.submission_get(alice, "nope")


def test_a_submission_loads_its_history_in_a_fixed_number_of_queries(
    alice, dora, requirement, tree, django_assert_num_queries
):
    with freeze_time("2012-06-10 02:00:00"):
        submission = submit(dora, requirement, tree.hospital).submission
        services.submission_return(
            actor=alice, submission=submission, reason="补", correction_days=3
        )
        submit(dora, requirement, tree.hospital)
    alice = type(alice).objects.get(pk=alice.pk)
    selectors.submission_get(alice, submission.pk)  # grants are cached on the user
    with django_assert_num_queries(4):
        loaded = selectors.submission_get(alice, submission.pk)
        names = [f.original_name for v in loaded.versions.all() for f in v.files.all()]
        actors = [e.actor.username for e in loaded.events.all()]
        assert loaded.requirement.campaign.unit.name
    assert len(names) == 2
    assert actors == ["dora", "alice", "dora"]


def test_the_progress_counts_expected_and_received(alice, dora, requirement, weekly, tree):
    OrgUnitFactory(parent=tree.county)  # not a participant: never expected
    with freeze_time("2012-06-10 02:00:00"):
        first = submit(dora, weekly, tree.hospital, due_date=D(2012, 6, 1)).submission
        second = submit(dora, weekly, tree.hospital, due_date=D(2012, 6, 8)).submission
        services.submission_accept(actor=alice, submission=first)
        services.submission_return(actor=alice, submission=second, reason="补", correction_days=1)
        submit(dora, requirement, tree.hospital)
        progress = {p.requirement.title: p for p in selectors.requirement_progress(weekly.campaign)}

    brief = progress["工作简报"]
    # Two hospitals × three briefs so far (1, 8 and the coming 15 June).
    assert (brief.expected, brief.received, brief.accepted, brief.returned) == (6, 2, 1, 1)
    assert brief.awaiting_review == 0
    report = progress["总结报告"]
    assert (report.expected, report.received, report.awaiting_review) == (2, 1, 1)
    assert Submission.objects.count() == 3
