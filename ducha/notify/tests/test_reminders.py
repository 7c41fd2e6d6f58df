import datetime

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from ducha.campaigns.models import Campaign
from ducha.notify.models import Notification
from ducha.notify.reminders import reminders_send
from ducha.orgs.models import OrgUnit, Role
from ducha.orgs.tests.factories import OrgUnitFactory, make_member
from ducha.submissions.models import Requirement, Submission

from .factories import RequirementFactory, make_campaign, make_return, make_submission

Kind = Notification.Kind


def notices(user, kind=None):
    rows = Notification.objects.filter(user=user)
    return list(rows.filter(kind=kind) if kind else rows)


def test_it_walks_a_requirement_through_its_days(run_on, requirement, cast, tree, english):
    # Due 18 June, reminders 3 days before, escalation 3 days after. Hugo's hospital handed in.
    make_submission(requirement, tree.hospital2)
    assert run_on("2026-06-14")["reminder"] == 0
    assert Notification.objects.count() == 0

    counts = run_on("2026-06-15")
    assert counts["reminder"] == 1
    (reminder,) = notices(cast.dora)
    assert reminder.kind == Kind.REMINDER
    assert reminder.title == "Reminder: “总结报告” is due on 2026-06-18"
    assert "东湖区人民医院" in reminder.body
    assert reminder.url == reverse(
        "submissions-submission-create", args=[requirement.campaign_id, requirement.pk]
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["dora@example.org"]
    assert mail.outbox[0].subject == reminder.title
    reminder.refresh_from_db()
    assert reminder.emailed_at is not None

    # The same day again, and the days up to the due date: nothing new.
    assert run_on("2026-06-15") == {**counts, "reminder": 0}
    run_on("2026-06-17")
    assert len(notices(cast.dora)) == 1
    assert len(mail.outbox) == 1

    assert run_on("2026-06-18")["due_today"] == 1
    assert [n.kind for n in notices(cast.dora)] == [Kind.DUE_TODAY, Kind.REMINDER]

    assert run_on("2026-06-19")["overdue"] == 1
    run_on("2026-06-20")
    assert len(notices(cast.dora, Kind.OVERDUE)) == 1
    assert notices(cast.hank) == []

    assert run_on("2026-06-21")["escalation"] == 1
    (escalation,) = notices(cast.hank)
    assert escalation.kind == Kind.ESCALATION
    assert "东湖区人民医院" in escalation.title
    # The head has no address on his account: the one on his person record is used.
    assert mail.outbox[-1].to == ["hank@example.org"]
    run_on("2026-06-22")
    run_on("2026-06-25")

    assert sorted(n.kind for n in notices(cast.dora)) == sorted(
        [Kind.REMINDER, Kind.DUE_TODAY, Kind.OVERDUE]
    )
    assert len(notices(cast.hank)) == 1
    assert len(mail.outbox) == 4
    assert notices(cast.hugo) == notices(cast.carol) == []


def test_a_unit_that_handed_in_gets_nothing(run_on, requirement, cast, tree):
    make_submission(requirement, tree.hospital)
    for day in ("2026-06-15", "2026-06-18", "2026-06-19", "2026-06-25"):
        run_on(day)
    assert notices(cast.dora) == []
    assert notices(cast.hank) == []
    # The other hospital did not: its coordinator was told at each stage.
    assert {n.kind for n in notices(cast.hugo)} == {Kind.REMINDER, Kind.DUE_TODAY, Kind.OVERDUE}


def test_an_accepted_submission_counts_as_handed_in(run_on, requirement, cast, tree):
    make_submission(requirement, tree.hospital, status=Submission.Status.ACCEPTED)
    run_on("2026-06-25")
    assert notices(cast.dora) == []


def test_a_closed_or_draft_campaign_sends_nothing(run_on, requirement, campaign, cast):
    for status in (Campaign.Status.CLOSED, Campaign.Status.DRAFT, Campaign.Status.ARCHIVED):
        Campaign.objects.filter(pk=campaign.pk).update(status=status)
        for day in ("2026-06-15", "2026-06-18", "2026-06-25"):
            run_on(day)
    assert Notification.objects.count() == 0
    assert mail.outbox == []
    # The same setup, active, does send: the refusal above is for the status alone.
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.ACTIVE)
    run_on("2026-06-15")
    assert len(notices(cast.dora)) == 1


def test_a_disabled_account_gets_nothing(run_on, requirement, cast):
    cast.dora.is_active = False
    cast.dora.save()
    run_on("2026-06-15")
    assert notices(cast.dora) == []
    assert [m.to for m in mail.outbox] == [["hugo@example.org"]]
    assert len(notices(cast.hugo)) == 1


def test_only_roles_at_exactly_that_unit_are_told(run_on, requirement, cast, tree, alice):
    # A coordinator of the department below, staff of the hospital, a unit head elsewhere.
    dept = make_member("dept", tree.department, Role.COORDINATOR).user
    sam = make_member("sam", tree.hospital, Role.STAFF).user
    other_head = make_member("otherhead", tree.hospital2, Role.UNIT_HEAD).user
    run_on("2026-06-25")
    assert notices(dept) == notices(sam) == notices(alice) == []
    assert [n.kind for n in notices(cast.hank)] == [Kind.ESCALATION]
    assert [n.kind for n in notices(other_head)] == [Kind.ESCALATION]


def test_a_run_after_the_worker_was_down_catches_up_once(run_on, requirement, cast):
    # Nothing ran before due+5: overdue and escalation go out now, the stale ones don't.
    counts = run_on("2026-06-23")
    assert counts["reminder"] == counts["due_today"] == 0
    assert counts["overdue"] == 2  # dora and hugo
    assert counts["escalation"] == 1  # hank
    assert [n.kind for n in notices(cast.dora)] == [Kind.OVERDUE]
    assert [n.kind for n in notices(cast.hank)] == [Kind.ESCALATION]
    assert len(mail.outbox) == 3
    run_on("2026-06-24")
    assert Notification.objects.count() == 3
    assert len(mail.outbox) == 3


def test_a_missed_reminder_day_is_caught_up_before_the_due_date(run_on, requirement, cast):
    run_on("2026-06-17")
    assert [n.kind for n in notices(cast.dora)] == [Kind.REMINDER]


def test_occurrences_long_past_are_left_to_the_overdue_lists(run_on, requirement, cast):
    run_on("2026-08-01")
    assert Notification.objects.count() == 0


def test_a_returned_submission_tells_the_coordinator_once(run_on, requirement, cast, tree, english):
    submission = make_submission(requirement, tree.hospital)
    with freeze_time("2026-06-16 02:00:00"):
        event = make_return(
            submission, reason="缺少附件", correction_due=datetime.date(2026, 6, 20)
        )
    counts = run_on("2026-06-16")
    assert counts["returned"] == 1
    (returned,) = notices(cast.dora, Kind.RETURNED)
    assert returned.key == f"returned:{event.pk}"
    assert returned.url == reverse("submissions-submission-detail", args=[submission.pk])
    assert "缺少附件" in returned.body
    assert "2026-06-20" in returned.body
    assert [m.to for m in mail.outbox if m.subject == returned.title] == [["dora@example.org"]]
    run_on("2026-06-16")
    run_on("2026-06-17")
    assert len(notices(cast.dora, Kind.RETURNED)) == 1
    # Within its correction period the returned report counts as handed in: no deadline notice.
    run_on("2026-06-18")
    run_on("2026-06-20")
    assert notices(cast.dora, Kind.DUE_TODAY) == notices(cast.dora, Kind.OVERDUE) == []
    # Past it, the unit owes the report again.
    run_on("2026-06-21")
    assert [n.kind for n in notices(cast.dora, Kind.OVERDUE)] == [Kind.OVERDUE]
    assert notices(cast.hank, Kind.ESCALATION) != []
    assert notices(cast.hugo, Kind.RETURNED) == []


def test_a_return_answered_before_the_run_is_not_announced(run_on, requirement, cast, tree):
    submission = make_submission(requirement, tree.hospital)
    make_return(submission, correction_due=datetime.date(2026, 6, 20))
    Submission.objects.filter(pk=submission.pk).update(status=Submission.Status.SUBMITTED)
    run_on("2026-06-16")
    assert notices(cast.dora) == []


def test_a_recurring_requirement_reminds_for_each_occurrence(run_on, campaign, cast, tree):
    weekly = RequirementFactory(
        campaign=campaign,
        kind=Requirement.Kind.BRIEF,
        title="工作简报",
        due_date=datetime.date(2026, 6, 5),
        recurrence=Requirement.Recurrence.WEEKLY,
        remind_days_before=1,
        escalate_days_after=10,
    )
    make_submission(weekly, tree.hospital, due_date=datetime.date(2026, 6, 5))
    run_on("2026-06-11")  # eve of the 12 June brief
    run_on("2026-06-13")  # day after it
    kinds = sorted((n.kind, n.key.rsplit(":", 1)[1]) for n in notices(cast.dora))
    assert kinds == [(Kind.OVERDUE, "2026-06-12"), (Kind.REMINDER, "2026-06-12")]


def test_a_requirement_for_chosen_units_reminds_only_them(run_on, campaign, cast, tree):
    chosen = RequirementFactory(campaign=campaign, title="自查报告")
    chosen.units.set([tree.hospital2])
    run_on("2026-06-15")
    assert [n.title for n in notices(cast.hugo)] and notices(cast.dora) == []


def _campaign_with_units(tree, n, prefix):
    units = []
    for i in range(n):
        unit = OrgUnitFactory(
            name=f"{prefix}卫生院{i}", kind=OrgUnit.Kind.TOWNSHIP_CENTRE, parent=tree.county
        )
        make_member(f"{prefix}coord{i}", unit, Role.COORDINATOR)
        make_member(f"{prefix}head{i}", unit, Role.UNIT_HEAD)
        units.append(unit)
    campaign = make_campaign(tree.county, units, title=f"{prefix}活动")
    make_submission(RequirementFactory(campaign=campaign, title="总结报告"), units[0])
    return campaign


def _run_counting_queries():
    with freeze_time("2026-06-23 01:00:00"), CaptureQueriesContext(connection) as queries:
        counts = reminders_send()
    return counts, len(queries)


def test_the_run_makes_as_many_queries_for_30_units_as_for_3(tree):
    small = _campaign_with_units(tree, 3, "a")
    counts, small_queries = _run_counting_queries()
    # Three units, one report handed in: two overdue notices, two escalations.
    assert counts["overdue"] == counts["escalation"] == 2
    Campaign.objects.filter(pk=small.pk).update(status=Campaign.Status.CLOSED)

    _campaign_with_units(tree, 30, "b")
    counts, large_queries = _run_counting_queries()
    assert counts["overdue"] == counts["escalation"] == 29
    # Reads are fixed; only the insert is split, by SQLite's parameter limit, past ~110 rows.
    assert large_queries == small_queries
