"""Rows for the rate and dashboard tests, made directly (the submission services are built
elsewhere): a campaign, its participants, requirements and submissions."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import factory

from ducha.campaigns.models import Campaign, Participant, Phase
from ducha.submissions import periods
from ducha.submissions.models import Requirement, Submission

CST = ZoneInfo("Asia/Shanghai")
D = datetime.date


def end_of_due_day(due_date: datetime.date) -> datetime.datetime:
    """The last instant of the due date in China Standard Time, as the services store it."""
    return periods.due_at(due_date)


def cst(*args) -> datetime.datetime:
    """A moment given in China Standard Time: cst(2012, 6, 18, 9, 30)."""
    return datetime.datetime(*args, tzinfo=CST)


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    title = factory.Sequence(lambda n: f"作风整顿专项活动{n}")
    doc_number = factory.Sequence(lambda n: f"东卫发〔2012〕{n}号")
    status = Campaign.Status.ACTIVE
    starts_on = datetime.date(2012, 5, 1)
    ends_on = datetime.date(2012, 7, 31)


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phase

    name = factory.Sequence(lambda n: f"阶段{n}")
    order = factory.Sequence(int)
    starts_on = datetime.date(2012, 5, 1)
    ends_on = datetime.date(2012, 5, 31)


class RequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Requirement
        skip_postgeneration_save = True

    kind = Requirement.Kind.UNIT_PLAN
    title = factory.Sequence(lambda n: f"报送材料{n}")
    due_date = datetime.date(2012, 6, 18)
    recurrence = Requirement.Recurrence.ONCE

    @factory.post_generation
    def units(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.units.set(extracted)


def participate(campaign: Campaign, *units) -> None:
    Participant.objects.bulk_create([Participant(campaign=campaign, unit=u) for u in units])


def submit(
    requirement: Requirement,
    unit,
    *,
    at: datetime.datetime,
    due_date: datetime.date | None = None,
    status: str = Submission.Status.SUBMITTED,
    due_at: datetime.datetime | None = None,
) -> Submission:
    """A submission of `unit` for one due date of `requirement`, counted as received `at`."""
    due_date = due_date or requirement.due_date
    return Submission.objects.create(
        requirement=requirement,
        unit=unit,
        due_date=due_date,
        due_at=due_at or end_of_due_day(due_date),
        status=status,
        first_submitted_at=at,
        last_submitted_at=at,
        counted_at=at,
        returned_at=at if status == Submission.Status.RETURNED else None,
    )


def hand_built_campaign(tree, *, phases: bool = False):
    """The county's campaign; three units take part: two hospitals and the first one's
    department. A one-off unit plan due 1 June and a weekly brief due each Monday from 4 June.
    The tests look at it on Tuesday 19 June 2012, in the second of three phases."""
    campaign = CampaignFactory(unit=tree.county)
    participate(campaign, tree.hospital, tree.hospital2, tree.department)
    plan = RequirementFactory(campaign=campaign, title="实施方案", due_date=D(2012, 6, 1))
    brief = RequirementFactory(
        campaign=campaign,
        kind=Requirement.Kind.BRIEF,
        title="工作简报",
        due_date=D(2012, 6, 4),
        recurrence=Requirement.Recurrence.WEEKLY,
        repeat_until=D(2012, 7, 30),
    )
    h1, h2, dept = tree.hospital, tree.hospital2, tree.department
    returned = Submission.Status.RETURNED
    # The unit plan: hospital on time, hospital 2 two days late, the department never.
    submit(plan, h1, at=cst(2012, 5, 30, 10))
    submit(plan, h2, at=cst(2012, 6, 3, 9))
    # Briefs of the hospital: on time, returned, on time in the last second of the due day.
    submit(brief, h1, due_date=D(2012, 6, 4), at=cst(2012, 6, 4, 17))
    submit(brief, h1, due_date=D(2012, 6, 11), at=cst(2012, 6, 10, 8), status=returned)
    submit(brief, h1, due_date=D(2012, 6, 18), at=cst(2012, 6, 18, 23, 59, 59))
    # Hospital 2: missing, a day late, missing, and next week's brief already in.
    submit(brief, h2, due_date=D(2012, 6, 11), at=cst(2012, 6, 12, 8))
    submit(brief, h2, due_date=D(2012, 6, 25), at=cst(2012, 6, 19, 9))
    # The department: on time, on time, one second after the due day.
    submit(brief, dept, due_date=D(2012, 6, 4), at=cst(2012, 6, 1, 8))
    submit(brief, dept, due_date=D(2012, 6, 11), at=cst(2012, 6, 11, 8))
    submit(brief, dept, due_date=D(2012, 6, 18), at=cst(2012, 6, 19, 0, 0, 0))
    if phases:
        for order, (name, start, end) in enumerate(
            [
                ("动员部署", D(2012, 5, 1), D(2012, 5, 31)),
                ("查摆问题", D(2012, 6, 1), D(2012, 6, 30)),
                ("整改落实", D(2012, 7, 1), D(2012, 7, 31)),
            ]
        ):
            PhaseFactory(campaign=campaign, order=order, name=name, starts_on=start, ends_on=end)
    return type("Scenario", (), {"campaign": campaign, "plan": plan, "brief": brief})
