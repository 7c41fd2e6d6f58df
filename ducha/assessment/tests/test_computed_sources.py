"""The computed indicators beyond timeliness: quota attainment, satisfaction, the overdue rate,
inspections without findings and the closure rate's roll-up over a unit's subtree; and the
ranking's query count, which must not grow with the number of units."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from ducha.assessment import services
from ducha.assessment.scoring import campaign_ranking
from ducha.campaigns import services as campaign_services
from ducha.campaigns.models import Campaign, Participant
from ducha.campaigns.tests.factories import make_county_campaign
from ducha.inspections import services as inspection_services
from ducha.orgs.models import OrgUnit, Role
from ducha.orgs.tests.factories import OrgUnitFactory, make_member
from ducha.problems import services as problem_services
from ducha.problems.models import Category, Problem
from ducha.problems.tests.factories import evidence, person_of
from ducha.surveys.tests.factories import (  # noqa: F401  (autouse: empty rate limits, files in a temporary MEDIA_ROOT)
    _survey_defaults,
    answer_public,
    make_satisfaction_survey,
    satisfaction_answers,
)
from ducha.visits.models import Quota
from ducha.visits.tests.factories import make_visit

D = datetime.date
PERIOD = "2024-03"
# The ranking of March is looked at on 20 March, China Standard Time.
TODAY = "2024-03-20 10:00:00+08:00"
# When the problems are reported, unless a test says otherwise.
MARCH = "2024-03-01 09:00:00+08:00"


@pytest.fixture
def campaign(alice, tree):
    """The county's campaign (1 March – 30 June 2024); both hospitals take part."""
    return make_county_campaign(alice, tree)


@pytest.fixture
def hospital3(tree, campaign):
    """A third participant with no people, no problems, no visits and no inspections."""
    unit = OrgUnitFactory(code="H04", name="东湖区妇幼保健院", parent=tree.county)
    Participant.objects.create(campaign=campaign, unit=unit)
    return unit


def only_indicator(alice, campaign, source: str):
    return services.indicator_create(
        actor=alice, campaign=campaign, content=source, weight=Decimal(100), computed_source=source
    )


def ranking_rows(campaign, user, period: str = PERIOD):
    with freeze_time(TODAY):
        ranking = campaign_ranking(campaign=campaign, period=period, user=user)
    return {row.unit.pk: row for row in ranking.rows}


def values(rows, *units) -> list:
    """The value of the single indicator for each unit."""
    return [rows[u.pk].cells[0].value for u in units]


# --- the rectification loop, through the services ---------------------------------------------


def report(alice, campaign, unit, at: str, title: str = "导诊台无人值守") -> Problem:
    with freeze_time(at):
        return problem_services.problem_report(
            actor=alice,
            unit=unit,
            category=Category.objects.get(code="other"),
            title=title,
            source=Problem.Source.INSPECTION,
            campaign=campaign,
        )


def rectifying(alice, campaign, unit, deadline: datetime.date, *, at: str = MARCH) -> Problem:
    """Reported and assigned to `unit` at `at`, with a rectification due on `deadline`."""
    problem = report(alice, campaign, unit, at)
    with freeze_time(at):
        problem_services.problem_assign(actor=alice, problem=problem, unit=unit)
        problem_services.rectification_set(
            actor=alice,
            problem=problem,
            measures="安排专人值守",
            target="工作时间有人值守",
            deadline=deadline,
            responsible_person=person_of(alice),
        )
    problem.refresh_from_db()
    return problem


def close(alice, problem: Problem, at: str) -> Problem:
    """Claimed done and verified by the county (the level above) at `at`."""
    with freeze_time(at):
        problem_services.rectification_claim(
            actor=alice, problem=problem, note="已整改到位", files=[evidence()]
        )
        problem_services.rectification_close(actor=alice, problem=problem)
    problem.refresh_from_db()
    return problem


def closed(alice, campaign, unit, deadline: datetime.date, closed_at: str, *, at: str = MARCH):
    return close(alice, rectifying(alice, campaign, unit, deadline, at=at), closed_at)


# --- quota attainment --------------------------------------------------------------------------


def test_quota_attainment_is_the_share_of_the_units_people_who_met_it(
    alice, sam, dora, tree, campaign, hospital3, village
):
    only_indicator(alice, campaign, "quota_attainment")
    Quota.objects.create(
        campaign=campaign,
        activity=Quota.Activity.VISIT_ANY,
        comparator=Quota.Comparator.AT_LEAST,
        number=Decimal(2),
        subject=Quota.Subject.PERSON,
        period=Quota.Period.MONTH,
    )
    zoe = make_member("zoe", tree.hospital2, Role.STAFF, name="佐伊")
    # The hospital: Sam and Dora visit twice together in March, both meet the quota.
    for day in (D(2024, 3, 4), D(2024, 3, 18)):
        make_visit(campaign, tree.hospital, day, [sam.person, dora.person], [village])
    # The other hospital: Zoe visits once in March; her April visit is another month's.
    make_visit(campaign, tree.hospital2, D(2024, 3, 5), [zoe], [village])
    make_visit(campaign, tree.hospital2, D(2024, 4, 2), [zoe], [village])

    rows = ranking_rows(campaign, alice)

    assert values(rows, tree.hospital, tree.hospital2) == [Decimal("100.00"), Decimal("0.00")]
    assert rows[tree.hospital2.pk].score == Decimal("0.00")
    # Nobody at the third unit is counted: no data, not 0%.
    assert values(rows, hospital3) == [None]
    assert rows[hospital3.pk].score is None and rows[hospital3.pk].rank is None


def test_quota_attainment_counts_a_unit_where_some_met_it(
    alice, sam, dora, tree, campaign, village
):
    only_indicator(alice, campaign, "quota_attainment")
    Quota.objects.create(
        campaign=campaign,
        activity=Quota.Activity.VISIT_ANY,
        comparator=Quota.Comparator.AT_LEAST,
        number=Decimal(2),
        subject=Quota.Subject.PERSON,
        period=Quota.Period.MONTH,
    )
    make_visit(campaign, tree.hospital, D(2024, 3, 4), [sam.person, dora.person], [village])
    make_visit(campaign, tree.hospital, D(2024, 3, 11), [sam.person], [village])

    rows = ranking_rows(campaign, alice)

    assert values(rows, tree.hospital) == [Decimal("50.00")]  # Sam met it, Dora did not


# --- satisfaction ------------------------------------------------------------------------------


def test_satisfaction_is_the_share_of_the_months_answers_at_four_or_five(
    alice, tree, campaign, hospital3
):
    only_indicator(alice, campaign, "satisfaction")
    survey = make_satisfaction_survey(alice, tree.county, campaign=campaign)
    with freeze_time("2024-03-12 10:00:00+08:00"):
        for score in (5, 4, 3, 1):
            answer_public(survey, tree.hospital, satisfaction_answers(score))
    # February's and April's answers belong to other months.
    with freeze_time("2024-02-29 23:30:00+08:00"):
        answer_public(survey, tree.hospital, satisfaction_answers(5))
        answer_public(survey, tree.hospital2, satisfaction_answers(5))
    with freeze_time("2024-04-01 00:30:00+08:00"):
        answer_public(survey, tree.hospital, satisfaction_answers(1))
        answer_public(survey, tree.hospital2, satisfaction_answers(1))

    rows = ranking_rows(campaign, alice)

    assert values(rows, tree.hospital) == [Decimal("50.00")]
    assert rows[tree.hospital.pk].score == Decimal("50.00")
    # No answer in March: no data, not 0% (nor February's 100%).
    assert values(rows, tree.hospital2, hospital3) == [None, None]
    april = ranking_rows(campaign, alice, "2024-04")
    assert values(april, tree.hospital, tree.hospital2) == [Decimal("0.00"), Decimal("0.00")]


def test_a_month_outside_the_campaign_has_no_quota_attainment(alice, sam, tree, campaign, village):
    only_indicator(alice, campaign, "quota_attainment")
    Quota.objects.create(
        campaign=campaign,
        activity=Quota.Activity.VISIT_ANY,
        comparator=Quota.Comparator.AT_LEAST,
        number=Decimal(1),
        subject=Quota.Subject.PERSON,
        period=Quota.Period.MONTH,
    )
    make_visit(campaign, tree.hospital, D(2024, 3, 4), [sam.person], [village])
    make_visit(campaign, tree.hospital, D(2024, 6, 4), [sam.person], [village])

    # The campaign runs from March to June: February and August have no quota window.
    with freeze_time("2024-09-20 10:00:00+08:00"):
        before = campaign_ranking(campaign=campaign, period="2024-02", user=alice)
        after = campaign_ranking(campaign=campaign, period="2024-08", user=alice)
    assert {row.cells[0].value for row in before.rows + after.rows} == {None}


def test_a_satisfaction_survey_of_no_campaign_does_not_count(alice, tree, campaign):
    only_indicator(alice, campaign, "satisfaction")
    survey = make_satisfaction_survey(alice, tree.county)  # not the campaign's
    with freeze_time("2024-03-12 10:00:00+08:00"):
        answer_public(survey, tree.hospital, satisfaction_answers(5))

    assert values(ranking_rows(campaign, alice), tree.hospital) == [None]


# --- the overdue rate --------------------------------------------------------------------------


def test_the_overdue_rate_counts_the_rectifications_due_in_the_month(alice, tree, campaign):
    only_indicator(alice, campaign, "overdue_rate")
    hospital, department = tree.hospital, tree.department
    # On time: closed the day before its deadline.
    closed(alice, campaign, hospital, D(2024, 3, 10), "2024-03-09 16:00:00+08:00")
    # Late: closed three days after its deadline.
    closed(alice, campaign, hospital, D(2024, 3, 12), "2024-03-15 16:00:00+08:00")
    # Late: closed at 07:00 the morning after, still the deadline's day in UTC.
    closed(alice, campaign, hospital, D(2024, 3, 6), "2024-03-07 07:00:00+08:00")
    # Overdue: still open five days after its deadline.
    rectifying(alice, campaign, hospital, D(2024, 3, 15))
    # A problem of the hospital's department, closed late in the evening of its deadline:
    # on time, and it counts for the hospital.
    closed(alice, campaign, department, D(2024, 3, 5), "2024-03-05 23:30:00+08:00")
    # Not counted: the deadline is still ahead on 20 March, or in another month.
    rectifying(alice, campaign, hospital, D(2024, 3, 28))
    rectifying(alice, campaign, hospital, D(2024, 2, 28), at="2024-02-20 09:00:00+08:00")
    rectifying(alice, campaign, hospital, D(2024, 4, 5))
    # Nor does one whose problem was closed as invalid.
    wrong = rectifying(alice, campaign, hospital, D(2024, 3, 8))
    with freeze_time(TODAY):
        problem_services.problem_invalidate(actor=alice, problem=wrong, reason="重复登记")

    rows = ranking_rows(campaign, alice)

    # 3 of the 5 counted (on time, late, late, overdue, on time) were not closed by the deadline.
    assert values(rows, tree.hospital) == [Decimal("60.00")]
    assert values(rows, tree.hospital2) == [None]  # nothing due: no data, not 0%


def test_a_lower_overdue_rate_earns_more_points_and_ranks_higher(alice, tree, campaign):
    only_indicator(alice, campaign, "overdue_rate")
    # The hospital: one on time, one late (50% overdue).
    closed(alice, campaign, tree.hospital, D(2024, 3, 10), "2024-03-08 10:00:00+08:00")
    closed(alice, campaign, tree.hospital, D(2024, 3, 10), "2024-03-12 10:00:00+08:00")
    # The other hospital: on time (0% overdue).
    closed(alice, campaign, tree.hospital2, D(2024, 3, 10), "2024-03-10 10:00:00+08:00")

    rows = ranking_rows(campaign, alice)

    assert values(rows, tree.hospital2, tree.hospital) == [Decimal("0.00"), Decimal("50.00")]
    best, worst = rows[tree.hospital2.pk], rows[tree.hospital.pk]
    assert (best.score, worst.score) == (Decimal("100.00"), Decimal("50.00"))
    assert (best.rank, worst.rank) == (1, 2)
    assert worst.bottom and not best.bottom


def test_the_overdue_rate_earns_points_beside_other_indicators(alice, tree, campaign):
    overdue = services.indicator_create(
        actor=alice,
        campaign=campaign,
        content="整改超期率",
        weight=Decimal(40),
        computed_source="overdue_rate",
        comparator="lte",
        target_value=Decimal(10),
    )
    manual = services.indicator_create(
        actor=alice, campaign=campaign, content="制度建设", weight=Decimal(60)
    )
    for unit in (tree.hospital, tree.hospital2):
        services.manual_score_set(
            actor=alice,
            indicator=manual,
            unit=unit,
            period=PERIOD,
            value=Decimal(80),
            evidence="台账",
        )
    rectifying(alice, campaign, tree.hospital, D(2024, 3, 10))  # overdue
    closed(alice, campaign, tree.hospital2, D(2024, 3, 10), "2024-03-09 10:00:00+08:00")

    rows = ranking_rows(campaign, alice)

    # 0% overdue earns all 40 points, 100% overdue none: 40 + 48 and 0 + 48.
    assert rows[tree.hospital2.pk].score == Decimal("88.00")
    assert rows[tree.hospital.pk].score == Decimal("48.00")
    # The target is a ceiling: 0% meets "≤ 10%", 100% does not.
    assert [rows[u.pk].cells[0].met for u in (tree.hospital2, tree.hospital)] == [True, False]
    assert overdue.lower_is_better


def test_a_rectification_claimed_by_its_deadline_is_not_overdue(alice, tree, campaign):
    only_indicator(alice, campaign, "overdue_rate")
    waiting = rectifying(alice, campaign, tree.hospital, D(2024, 3, 10))
    verified_late = rectifying(alice, campaign, tree.hospital, D(2024, 3, 10))
    with freeze_time("2024-03-09 16:00:00+08:00"):
        for problem in (waiting, verified_late):
            problem_services.rectification_claim(
                actor=alice, problem=problem, note="已整改到位", files=[evidence()]
            )
    with freeze_time("2024-03-12 10:00:00+08:00"):  # the county verifies after the deadline
        problem_services.rectification_close(actor=alice, problem=verified_late)
    waiting.refresh_from_db()
    assert waiting.rectification.light(D(2024, 3, 20)) != "red"

    assert values(ranking_rows(campaign, alice), tree.hospital) == [Decimal("0.00")]


# --- inspections without findings --------------------------------------------------------------


def test_inspections_without_findings_are_the_share_of_the_months_clean_rounds(
    alice, tree, campaign, hospital3
):
    only_indicator(alice, campaign, "inspection_findings")

    def inspection_round(date, units, title="督查"):
        return inspection_services.inspection_round_create(
            actor=alice, campaign=campaign, title=title, date=date, units=units
        )

    def finding(inspection_round, unit):
        with freeze_time(TODAY):
            inspection_services.finding_record(
                actor=alice, inspection_round=inspection_round, unit=unit, text="候诊秩序混乱"
            )

    # The hospital is inspected twice in March: in the first round itself, in the second
    # through its department, where something is found (twice, still one round).
    first = inspection_round(D(2024, 3, 5), [tree.hospital, tree.hospital2])
    second = inspection_round(D(2024, 3, 19), [tree.department, tree.hospital2])
    finding(second, tree.department)
    finding(second, tree.department)
    # The other hospital: found clean in both March rounds; April's finding is April's, and
    # February's round does not count either.
    april = inspection_round(D(2024, 4, 2), [tree.hospital2])
    finding(april, tree.hospital2)
    inspection_round(D(2024, 2, 20), [tree.hospital2, tree.hospital])
    assert first.pk != second.pk

    rows = ranking_rows(campaign, alice)

    assert values(rows, tree.hospital, tree.hospital2) == [Decimal("50.00"), Decimal("100.00")]
    assert values(rows, hospital3) == [None]  # not inspected in March: no data, not 0
    with freeze_time("2024-04-20 10:00:00+08:00"):
        in_april = campaign_ranking(campaign=campaign, period="2024-04", user=alice)
    by_unit = {row.unit.pk: row.cells[0].value for row in in_april.rows}
    assert (by_unit[tree.hospital2.pk], by_unit[tree.hospital.pk]) == (Decimal("0.00"), None)


# --- the closure rate's roll-up ----------------------------------------------------------------


def test_the_closure_rate_counts_the_problems_of_the_units_subtree(alice, tree, campaign):
    only_indicator(alice, campaign, "closure_rate")
    department = tree.department
    # The department: one solved on the spot, one closed after rectification, one open.
    spot = report(alice, campaign, department, MARCH)
    with freeze_time(MARCH):
        problem_services.problem_solve_on_spot(actor=alice, problem=spot, solution="当场整改")
    closed(alice, campaign, department, D(2024, 3, 20), "2024-03-08 10:00:00+08:00")
    rectifying(alice, campaign, department, D(2024, 4, 30))
    # The hospital itself: one open.
    report(alice, campaign, tree.hospital, MARCH)
    # Not counted: closed as invalid, or found in February.
    wrong = report(alice, campaign, department, MARCH)
    with freeze_time(MARCH):
        problem_services.problem_invalidate(actor=alice, problem=wrong, reason="重复登记")
    old = report(alice, campaign, tree.hospital, "2024-02-28 09:00:00+08:00")
    with freeze_time("2024-02-28 10:00:00+08:00"):
        problem_services.problem_solve_on_spot(actor=alice, problem=old, solution="当场整改")
    # The other hospital: one found and solved on the spot.
    other = report(alice, campaign, tree.hospital2, MARCH)
    with freeze_time(MARCH):
        problem_services.problem_solve_on_spot(actor=alice, problem=other, solution="当场整改")

    rows = ranking_rows(campaign, alice)

    # 2 of the hospital's 4 (3 in the department, 1 of its own) are finished.
    assert values(rows, tree.hospital, tree.hospital2) == [Decimal("50.00"), Decimal("100.00")]
    assert tree.department.pk not in rows  # departments are scored through their unit


# --- query count -------------------------------------------------------------------------------


def _busy_campaign(alice, tree, n_units: int) -> Campaign:
    """A campaign over `n_units` new hospitals of the county, each with a problem in
    rectification (overdue), one closed on time and one found on an inspection in March."""
    units = [
        OrgUnitFactory(
            code=f"Q{n_units:02d}{i:02d}",
            name=f"卫生院{n_units}-{i}",
            parent=tree.county,
            kind=OrgUnit.Kind.TOWNSHIP_CENTRE,
        )
        for i in range(n_units)
    ]
    campaign = campaign_services.campaign_create(
        actor=alice,
        unit=tree.county,
        scope_mode=Campaign.ScopeMode.LIST,
        units=units,
        title=f"作风整顿活动{n_units}",
        starts_on=D(2024, 3, 1),
        ends_on=D(2024, 6, 30),
    )
    for source in ("closure_rate", "overdue_rate", "inspection_findings"):
        services.indicator_create(
            actor=alice,
            campaign=campaign,
            content=source,
            weight=Decimal(25),
            computed_source=source,
        )
    manual = services.indicator_create(
        actor=alice, campaign=campaign, content="制度建设", weight=Decimal(25)
    )
    rounds = [
        inspection_services.inspection_round_create(
            actor=alice, campaign=campaign, title="督查", date=day, units=units
        )
        for day in (D(2024, 3, 6), D(2024, 3, 18))
    ]
    for i, unit in enumerate(units):
        rectifying(alice, campaign, unit, D(2024, 3, 10))
        closed(alice, campaign, unit, D(2024, 3, 12), "2024-03-11 10:00:00+08:00")
        with freeze_time(MARCH):
            inspection_services.finding_record(
                actor=alice, inspection_round=rounds[i % 2], unit=unit, text="台账不全"
            )
        services.manual_score_set(
            actor=alice,
            indicator=manual,
            unit=unit,
            period=PERIOD,
            value=Decimal(70 + i),
            evidence="台账",
        )
    return campaign


def _ranking_queries(campaign, user) -> tuple[int, list]:
    with freeze_time(TODAY):
        campaign_ranking(campaign=campaign, period=PERIOD, user=user)  # the user's roles are cached
        with CaptureQueriesContext(connection) as queries:
            ranking = campaign_ranking(campaign=campaign, period=PERIOD, user=user)
    return len(queries.captured_queries), ranking.rows


def test_the_rankings_queries_do_not_grow_with_the_number_of_units(alice, tree):
    few, few_rows = _ranking_queries(_busy_campaign(alice, tree, 2), alice)
    many, many_rows = _ranking_queries(_busy_campaign(alice, tree, 20), alice)

    # The data was there: every unit has every value (closure 1 of 3, overdue 1 of 2, clean
    # in 1 of 2 rounds, a hand score).
    assert len(few_rows) == 2 and len(many_rows) == 20
    assert {tuple(c.value for c in row.cells[:3]) for row in few_rows + many_rows} == {
        (Decimal("33.33"), Decimal("50.00"), Decimal("50.00"))
    }
    assert many == few
    assert few <= 10
