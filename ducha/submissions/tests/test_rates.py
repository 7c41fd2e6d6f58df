"""Reporting rate and timeliness: a hand-built campaign checked number by number."""

import datetime

import pytest
from django.http import Http404
from freezegun import freeze_time

from ducha.orgs.tests.factories import OrgUnitFactory
from ducha.submissions import rates
from ducha.submissions.models import Requirement
from ducha.submissions.rates import CellStatus

from .rate_factories import (
    CampaignFactory,
    RequirementFactory,
    cst,
    end_of_due_day,
    hand_built_campaign,
    participate,
    submit,
)

D = datetime.date
ON_TIME, LATE, RETURNED, MISSING, PENDING = (
    "on_time",
    "late",
    "returned",
    "missing",
    "pending",
)


def counts(totals) -> dict:
    return {
        "expected": totals.expected,
        "received": totals.received,
        "on_time": totals.on_time,
        "late": totals.late,
        "returned": totals.returned,
        "missing": totals.missing,
        "pending": totals.pending,
    }


@pytest.fixture
def scenario(tree):
    return hand_built_campaign(tree)


@pytest.fixture
def frozen():
    with freeze_time("2012-06-19 10:00:00+08:00"):
        yield


def test_it_gives_each_cell_its_status(scenario, tree, alice, frozen):
    result = rates.campaign_rates(campaign=scenario.campaign, user=alice)
    plan, brief = scenario.plan.pk, scenario.brief.pk
    h1, h2, dept = tree.hospital.pk, tree.hospital2.pk, tree.department.pk

    assert result.as_of == D(2012, 6, 19)
    assert result.occurrences[brief][:4] == [D(2012, 6, d) for d in (4, 11, 18, 25)]
    assert result.cells == {
        (plan, h1, D(2012, 6, 1)): ON_TIME,
        (plan, h2, D(2012, 6, 1)): LATE,
        (plan, dept, D(2012, 6, 1)): MISSING,
        (brief, h1, D(2012, 6, 4)): ON_TIME,
        (brief, h1, D(2012, 6, 11)): RETURNED,
        (brief, h1, D(2012, 6, 18)): ON_TIME,
        (brief, h1, D(2012, 6, 25)): PENDING,
        (brief, h2, D(2012, 6, 4)): MISSING,
        (brief, h2, D(2012, 6, 11)): LATE,
        (brief, h2, D(2012, 6, 18)): MISSING,
        (brief, h2, D(2012, 6, 25)): ON_TIME,
        (brief, dept, D(2012, 6, 4)): ON_TIME,
        (brief, dept, D(2012, 6, 11)): ON_TIME,
        (brief, dept, D(2012, 6, 18)): LATE,
        (brief, dept, D(2012, 6, 25)): PENDING,
    }


def test_it_counts_per_unit_requirement_and_period(scenario, tree, alice, frozen):
    result = rates.campaign_rates(campaign=scenario.campaign, user=alice)

    assert counts(result.own[tree.hospital.pk]) == {
        "expected": 4, "received": 4, "on_time": 3, "late": 0, "returned": 1, "missing": 0,
        "pending": 1,
    }  # fmt: skip
    assert counts(result.own[tree.hospital2.pk]) == {
        "expected": 5, "received": 3, "on_time": 1, "late": 2, "returned": 0, "missing": 2,
        "pending": 0,
    }  # fmt: skip
    assert counts(result.own[tree.department.pk]) == {
        "expected": 4, "received": 3, "on_time": 2, "late": 1, "returned": 0, "missing": 1,
        "pending": 1,
    }  # fmt: skip
    assert counts(result.by_requirement[scenario.plan.pk]) == {
        "expected": 3, "received": 2, "on_time": 1, "late": 1, "returned": 0, "missing": 1,
        "pending": 0,
    }  # fmt: skip
    assert counts(result.by_requirement[scenario.brief.pk]) == {
        "expected": 10, "received": 8, "on_time": 5, "late": 2, "returned": 1, "missing": 2,
        "pending": 2,
    }  # fmt: skip
    by_period = {d: (t.expected, t.received, t.on_time) for d, t in result.by_period.items()}
    assert by_period == {
        D(2012, 6, 1): (3, 2, 1),
        D(2012, 6, 4): (3, 2, 2),
        D(2012, 6, 11): (3, 3, 1),
        D(2012, 6, 18): (3, 2, 1),
        D(2012, 6, 25): (1, 1, 1),
    }
    assert result.by_period[D(2012, 6, 25)].pending == 2


def test_it_rolls_the_figures_up_and_gives_the_rates(scenario, tree, alice, frozen):
    result = rates.campaign_rates(campaign=scenario.campaign, user=alice)

    # The county is the top row; it does not take part itself, so its figures are its units'.
    assert [(u.name, u.level, u.is_reporting, u.has_children) for u in result.units] == [
        ("东湖区卫生健康局", 0, False, True),
        ("东湖区人民医院", 1, True, True),
        ("内科", 2, True, False),
        ("东湖区中医院", 1, True, False),
    ]
    county = result.rolled[tree.county.pk]
    assert counts(county) == {
        "expected": 13, "received": 10, "on_time": 6, "late": 3, "returned": 1, "missing": 3,
        "pending": 2,
    }  # fmt: skip
    assert counts(result.total) == counts(county)
    # The hospital's row covers itself and its department.
    assert counts(result.rolled[tree.hospital.pk]) == {
        "expected": 8, "received": 7, "on_time": 5, "late": 1, "returned": 1, "missing": 1,
        "pending": 2,
    }  # fmt: skip
    assert county.reporting_rate_text == "76.9%"  # 10 / 13
    assert county.timeliness_text == "46.2%"  # 6 / 13
    assert result.rolled[tree.hospital2.pk].reporting_rate_text == "60.0%"  # 3 / 5
    assert result.rolled[tree.hospital2.pk].timeliness_text == "20.0%"  # 1 / 5


def test_it_lists_the_late_and_the_missing_by_days_overdue(scenario, tree, alice, frozen):
    result = rates.campaign_rates(campaign=scenario.campaign, user=alice)

    assert [(i.unit.name, i.requirement.title, i.due_date, i.days) for i in result.late] == [
        ("东湖区中医院", "实施方案", D(2012, 6, 1), 2),
        ("东湖区中医院", "工作简报", D(2012, 6, 11), 1),
        ("内科", "工作简报", D(2012, 6, 18), 1),
    ]
    assert [(i.unit.name, i.requirement.title, i.due_date, i.days) for i in result.missing] == [
        ("内科", "实施方案", D(2012, 6, 1), 18),
        ("东湖区中医院", "工作简报", D(2012, 6, 4), 15),
        ("东湖区中医院", "工作简报", D(2012, 6, 18), 1),
    ]


def test_a_due_date_is_pending_until_its_day_has_ended(scenario, tree, alice):
    """On the due day itself nothing is missing yet; the next morning it is."""
    with freeze_time("2012-06-18 23:59:00+08:00"):
        during = rates.campaign_rates(campaign=scenario.campaign, user=alice)
    with freeze_time("2012-06-19 00:00:30+08:00"):
        after = rates.campaign_rates(campaign=scenario.campaign, user=alice)

    key = (scenario.brief.pk, tree.hospital2.pk, D(2012, 6, 18))
    assert during.as_of == D(2012, 6, 18)
    assert during.cells[key] == PENDING
    assert after.cells[key] == MISSING
    assert during.total.missing == 2
    assert after.total.missing == 3


def test_the_due_day_ends_at_midnight_china_standard_time(tree, alice):
    """counted_at 2012-06-18 15:59:59 UTC is 23:59:59 in Beijing: on time for 18 June."""
    campaign = CampaignFactory(unit=tree.county)
    participate(campaign, tree.hospital, tree.hospital2)
    summary = RequirementFactory(campaign=campaign, title="总结报告", due_date=D(2012, 6, 18))
    utc = datetime.UTC
    submit(summary, tree.hospital, at=datetime.datetime(2012, 6, 18, 15, 59, 59, tzinfo=utc))
    submit(summary, tree.hospital2, at=datetime.datetime(2012, 6, 18, 16, 0, 0, tzinfo=utc))
    # Received at the very instant the due day ends: still on time.
    participate(campaign, tree.department)
    submit(summary, tree.department, at=end_of_due_day(D(2012, 6, 18)))

    with freeze_time("2012-06-20 09:00:00+08:00"):
        result = rates.campaign_rates(campaign=campaign, user=alice)

    assert result.cells[(summary.pk, tree.hospital.pk, D(2012, 6, 18))] == ON_TIME
    assert result.cells[(summary.pk, tree.hospital2.pk, D(2012, 6, 18))] == LATE
    assert result.cells[(summary.pk, tree.department.pk, D(2012, 6, 18))] == ON_TIME
    assert result.late[0].days == 1
    assert result.total.timeliness_text == "66.7%"


def test_it_counts_only_the_units_a_requirement_names(scenario, tree, alice, dora, frozen):
    special = RequirementFactory(
        campaign=scenario.campaign,
        title="专题报告",
        due_date=D(2012, 6, 15),
        units=[tree.hospital2],
    )
    result = rates.campaign_rates(campaign=scenario.campaign, user=alice)

    assert counts(result.by_requirement[special.pk])["expected"] == 1
    assert result.cells[(special.pk, tree.hospital2.pk, D(2012, 6, 15))] == MISSING
    assert (special.pk, tree.hospital.pk, D(2012, 6, 15)) not in result.cells

    # Dora's scope holds none of the named units: the requirement binds nobody she sees.
    dora_view = rates.campaign_rates(campaign=scenario.campaign, user=dora)
    assert dora_view.by_requirement[special.pk].expected == 0
    assert dora_view.by_requirement[special.pk].reporting_rate_text == "—"


def test_it_shows_a_coordinator_only_their_unit(scenario, tree, dora, frozen):
    result = rates.campaign_rates(campaign=scenario.campaign, user=dora)

    assert [u.name for u in result.units] == ["东湖区人民医院", "内科"]
    assert counts(result.total) == counts(result.rolled[tree.hospital.pk])
    assert result.total.expected == 8
    assert {i.unit.name for i in result.missing} == {"内科"}
    assert all(key[1] != tree.hospital2.pk for key in result.cells)


def test_it_narrows_to_a_unit_in_scope_and_refuses_one_outside(scenario, tree, alice, frozen):
    narrowed = rates.campaign_rates(campaign=scenario.campaign, user=alice, under=tree.hospital2)
    assert [u.name for u in narrowed.units] == ["东湖区中医院"]
    assert narrowed.total.expected == 5

    with pytest.raises(Http404):
        rates.campaign_rates(campaign=scenario.campaign, user=alice, under=tree.other_county)


def test_it_rolls_a_county_up_over_its_hospitals(tree, admin):
    """A city campaign: each county's row adds up its own hospitals and nobody else's."""
    campaign = CampaignFactory(unit=tree.city)
    participate(campaign, tree.hospital, tree.hospital2, tree.other_hospital)
    report = RequirementFactory(campaign=campaign, due_date=D(2012, 6, 18))
    submit(report, tree.hospital, at=cst(2012, 6, 18, 9))
    submit(report, tree.other_hospital, at=cst(2012, 6, 20, 9))

    result = rates.campaign_rates(campaign=campaign, user=admin, as_of=D(2012, 6, 25))

    assert [(u.name, u.level) for u in result.units] == [
        ("黄州市卫生局", 0),
        ("东湖区卫生健康局", 1),
        ("东湖区人民医院", 2),
        ("东湖区中医院", 2),
        ("西山县卫生健康局", 1),
        ("西山县人民医院", 2),
    ]
    county, other = result.rolled[tree.county.pk], result.rolled[tree.other_county.pk]
    assert (county.expected, county.received, county.on_time, county.missing) == (2, 1, 1, 1)
    assert (other.expected, other.received, other.on_time, other.late) == (1, 1, 0, 1)
    city = result.rolled[tree.city.pk]
    assert (city.expected, city.received, city.on_time) == (3, 2, 1)
    assert city.reporting_rate_text == "66.7%"
    assert city.timeliness_text == "33.3%"


def test_an_empty_expectation_is_a_dash_not_zero(tree, alice):
    campaign = CampaignFactory(unit=tree.county)
    participate(campaign, tree.hospital)
    RequirementFactory(campaign=campaign, due_date=D(2012, 7, 1))

    result = rates.campaign_rates(campaign=campaign, user=alice, as_of=D(2012, 6, 19))

    assert result.total.expected == 0
    assert result.total.pending == 1
    assert result.total.reporting_rate is None
    assert result.total.reporting_rate_text == "—"
    assert result.total.timeliness_text == "—"
    assert rates.format_rate(0.0) == "0.0%"


def test_the_grid_shows_the_latest_due_date_or_the_chosen_period(scenario, tree, alice, frozen):
    result = rates.campaign_rates(campaign=scenario.campaign, user=alice)

    grid = rates.rates_grid(result)
    assert [c.due_date for c in grid.columns] == [D(2012, 6, 1), D(2012, 6, 18)]
    assert grid.periods == [D(2012, 6, d) for d in (4, 11, 18, 25)]
    statuses = {row.unit.name: [c.status for c in row.cells] for row in grid.rows}
    assert statuses == {
        "东湖区卫生健康局": ["", ""],
        "东湖区人民医院": [ON_TIME, ON_TIME],
        "内科": [MISSING, LATE],
        "东湖区中医院": [LATE, MISSING],
    }
    county_row = grid.rows[0]
    assert [counts(c.rollup)["received"] for c in county_row.cells] == [2, 2]
    assert [counts(c.rollup)["expected"] for c in county_row.cells] == [3, 3]
    hospital_row = grid.rows[1]
    assert [(c.rollup.on_time, c.rollup.missing) for c in hospital_row.cells] == [(1, 1), (1, 0)]
    assert grid.rows[2].cells[0].rollup is None
    assert county_row.totals is result.rolled[tree.county.pk]

    next_week = rates.rates_grid(result, period=D(2012, 6, 25))
    assert [c.due_date for c in next_week.columns] == [D(2012, 6, 1), D(2012, 6, 25)]
    assert {r.unit.name: r.cells[1].status for r in next_week.rows if r.unit.is_reporting} == {
        "东湖区人民医院": PENDING,
        "内科": PENDING,
        "东湖区中医院": ON_TIME,
    }
    # A date between two due dates shows the one in force on it.
    between = rates.rates_grid(result, period=D(2012, 6, 13))
    assert between.columns[1].due_date == D(2012, 6, 11)
    assert grid.rows[1].cells[0].label == CellStatus.ON_TIME.label


def test_recurring_due_dates_stop_at_the_end_of_the_campaign(tree, alice):
    campaign = CampaignFactory(unit=tree.county, ends_on=D(2012, 6, 20))
    participate(campaign, tree.hospital)
    brief = RequirementFactory(
        campaign=campaign, due_date=D(2012, 6, 4), recurrence=Requirement.Recurrence.WEEKLY
    )

    result = rates.campaign_rates(campaign=campaign, user=alice, as_of=D(2012, 7, 31))

    assert result.occurrences[brief.pk] == [D(2012, 6, 4), D(2012, 6, 11), D(2012, 6, 18)]
    assert result.total.missing == 3
    assert result.total.pending == 0


@pytest.mark.parametrize("units", [3, 30])
def test_it_reads_a_fixed_number_of_queries(tree, alice, units, django_assert_num_queries):
    campaign = CampaignFactory(unit=tree.county)
    centres = [OrgUnitFactory(parent=tree.county) for _ in range(units)]
    participate(campaign, *centres)
    brief = RequirementFactory(
        campaign=campaign, due_date=D(2012, 6, 4), recurrence=Requirement.Recurrence.WEEKLY
    )
    RequirementFactory(campaign=campaign, due_date=D(2012, 6, 1), units=centres[:2])
    for centre in centres[::2]:
        submit(brief, centre, at=cst(2012, 6, 4, 9))
    alice_grants = rates.access.scope_paths(alice)  # cached on the user: not counted below
    assert alice_grants

    # requirements, their named units, participants, submissions, the county's name
    with django_assert_num_queries(5):
        result = rates.campaign_rates(campaign=campaign, user=alice, as_of=D(2012, 6, 19))
    assert result.total.expected == units * 3 + 2
