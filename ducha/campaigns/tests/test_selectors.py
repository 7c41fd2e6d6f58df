import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from ducha.campaigns import selectors, services
from ducha.campaigns.models import Campaign
from ducha.campaigns.tests.factories import PhaseFactory

D = datetime.date


@pytest.fixture
def phased(alice, campaign):
    """Three phases: March, April–May 20, May 20–June (sharing 20 May with the second)."""
    for name, start, end in (
        ("动员部署", D(2024, 3, 1), D(2024, 3, 31)),
        ("查摆问题", D(2024, 4, 1), D(2024, 5, 20)),
        ("整改提高", D(2024, 5, 20), D(2024, 6, 30)),
    ):
        services.phase_add(actor=alice, campaign=campaign, name=name, starts_on=start, ends_on=end)
    return campaign


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        ("2024-02-29 23:59:59+08:00", None),  # before the first phase
        ("2024-03-01 00:00:00+08:00", "动员部署"),
        # 31 March 23:30 in China is still 31 March, though it is 15:30 UTC the same day;
        # 1 April 00:30 in China is 31 March in UTC: China's date counts.
        ("2024-03-31 23:30:00+08:00", "动员部署"),
        ("2024-04-01 00:30:00+08:00", "查摆问题"),
        ("2024-05-20 12:00:00+08:00", "查摆问题"),  # two phases share the day: the first
        ("2024-05-21 08:00:00+08:00", "整改提高"),
        ("2024-07-01 08:00:00+08:00", None),
    ],
)
def test_the_current_phase_follows_the_date_in_china(phased, now, expected):
    with freeze_time(now):
        phase = selectors.current_phase(phased)
    assert (phase.name if phase else None) == expected


@freeze_time("2024-04-16 10:00:00+08:00")
def test_the_timeline_marks_past_current_and_future_phases(phased):
    line = selectors.timeline(phased)
    assert (line.starts_on, line.ends_on) == (D(2024, 3, 1), D(2024, 6, 30))
    assert [(r.phase.name, r.state) for r in line.rows] == [
        ("动员部署", "past"),
        ("查摆问题", "current"),
        ("整改提高", "future"),
    ]
    assert line.current.name == "查摆问题"
    past, current, future = line.rows
    assert (past.elapsed, future.elapsed) == (100, 0)
    assert current.elapsed == round(100 * 16 / 50)  # day 16 of 50
    # Bars sit on one axis of 122 days (1 March – 30 June).
    assert past.left == 0
    assert past.width == round(100 * 31 / 122, 2)
    assert current.left == round(100 * 31 / 122, 2)
    assert line.today_at == round(100 * 46.5 / 122, 2)


@freeze_time("2024-05-20 10:00:00+08:00")
def test_phases_sharing_today_are_both_current(phased):
    states = [r.state for r in selectors.timeline(phased).rows]
    assert states == ["past", "current", "current"]


@freeze_time("2024-08-01")
def test_the_timeline_has_no_today_marker_outside_its_span(phased):
    line = selectors.timeline(phased)
    assert line.today_at is None
    assert {r.state for r in line.rows} == {"past"}
    assert line.current is None


def test_a_campaign_without_phases_or_dates_has_an_empty_timeline(alice, tree):
    campaign = services.campaign_create(actor=alice, unit=tree.county, title="x")
    line = selectors.timeline(campaign, D(2024, 1, 1))
    assert line.rows == []
    assert line.starts_on is None


def test_the_status_reads_as_the_phase_of_the_day(alice, phased, english):
    assert selectors.status_display(phased, D(2024, 4, 2)) == "Draft"
    services.campaign_activate(actor=alice, campaign=phased)
    assert selectors.status_display(phased, D(2024, 2, 1)) == "Active · not started yet"
    assert selectors.status_display(phased, D(2024, 4, 2)) == "Active · 查摆问题"
    assert selectors.status_display(phased, D(2024, 7, 2)) == "Active · all phases over"
    services.campaign_close(actor=alice, campaign=phased)
    assert selectors.status_display(phased, D(2024, 4, 2)) == "Closed"


# --- the list ------------------------------------------------------------------------------


def test_the_list_is_scoped_filtered_and_counted(alice, dora, carol, campaign, phased, tree):
    other = services.campaign_create(actor=alice, unit=tree.county, title="创先争优")
    services.campaign_activate(actor=alice, campaign=other)

    rows = list(selectors.campaign_list(alice, on=D(2024, 4, 2)))
    assert [c.title for c in rows] == ["创先争优", "东湖区作风整顿活动"]
    row = rows[1]
    assert (row.participant_count, row.phase_count, row.child_count) == (2, 3, 0)
    assert row.current_phase_name == "查摆问题"

    assert [c.title for c in selectors.campaign_list(alice, status="active")] == ["创先争优"]
    assert [c.title for c in selectors.campaign_list(alice, q="12号")] == ["东湖区作风整顿活动"]
    # A participating hospital sees the campaigns; the other county does not.
    assert len(selectors.campaign_list(dora)) == 2
    assert not selectors.campaign_list(carol).exists()


def test_the_list_costs_the_same_queries_for_more_campaigns(alice, tree):
    def cost() -> int:
        with CaptureQueriesContext(connection) as ctx:
            names = [
                (c.unit.name, c.parent_id, c.current_phase_name)
                for c in selectors.campaign_list(alice)
            ]
        assert names
        return len(ctx.captured_queries)

    services.campaign_create(actor=alice, unit=tree.county, title="一")
    few = cost()
    for n in range(5):
        campaign = services.campaign_create(actor=alice, unit=tree.county, title=f"活动{n}")
        PhaseFactory(campaign=campaign)
    assert cost() == few


# --- the adoption tree ---------------------------------------------------------------------


@pytest.fixture
def cascade(alice, cathy, city_campaign, tree):
    county = services.campaign_adopt(actor=alice, parent=city_campaign, unit=tree.county)
    services.campaign_activate(actor=alice, campaign=county)
    hospital = services.campaign_adopt(actor=alice, parent=county, unit=tree.hospital)
    hospital2 = services.campaign_adopt(actor=alice, parent=county, unit=tree.hospital2)
    return county, hospital, hospital2


def test_descendants_walk_the_tree_level_by_level(city_campaign, cascade, tree):
    county, hospital, hospital2 = cascade
    with CaptureQueriesContext(connection) as ctx:
        nodes = selectors.descendants(city_campaign, D(2024, 3, 10))
    # one query per level, and one to learn there is no further level
    assert len(ctx.captured_queries) == 3
    assert [(n.campaign.pk, n.depth, n.descendants) for n in nodes] == [
        (county.pk, 1, 2),
        (hospital.pk, 2, 0),
        (hospital2.pk, 2, 0),
    ]
    assert nodes[0].campaign.current_phase_name == "动员部署"
    assert nodes[0].campaign.child_count == 2

    summary = selectors.cascade_summary(city_campaign, nodes)
    assert summary.participants == 5  # both counties and their three hospitals
    assert summary.adopted == 1
    assert summary.descendants == 3
    assert summary.by_status == {"draft": 2, "active": 1, "closed": 0, "archived": 0}


def test_a_unit_sees_its_own_and_its_childrens_adoptions(city_campaign, cascade, dora, alice):
    county, hospital, _hospital2 = cascade
    seen = [n.campaign.pk for n in selectors.descendants_for_user(dora, city_campaign)]
    assert seen == [county.pk, hospital.pk]  # not the sibling hospital's campaign
    assert len(selectors.descendants_for_user(alice, city_campaign)) == 3


def test_adopt_is_offered_to_the_units_own_office(alice, cathy, city_campaign, tree):
    assert selectors.adoptable_units(alice, city_campaign) == [tree.county]
    assert selectors.adoptable_units(cathy, city_campaign) == []  # she issued it
    services.campaign_adopt(actor=alice, parent=city_campaign, unit=tree.county)
    assert selectors.adoptable_units(alice, city_campaign) == []
    assert selectors.adoption_of(city_campaign, tree.county).unit == tree.county


def test_participants_show_their_adoption(alice, cathy, city_campaign, tree):
    county = services.campaign_adopt(actor=alice, parent=city_campaign, unit=tree.county)
    rows = {p.unit_id: p for p in selectors.participants_for_user(cathy, city_campaign)}
    assert rows[tree.county.pk].adoption_id == county.pk
    assert rows[tree.county.pk].adoption_status == Campaign.Status.DRAFT
    assert rows[tree.other_county.pk].adoption_id is None
    # A participating county sees its own units among them, not the other county's.
    mine = {p.unit_id for p in selectors.participants_for_user(alice, city_campaign)}
    assert mine == {tree.county.pk, tree.hospital.pk, tree.hospital2.pk}


def test_the_list_puts_campaigns_without_issue_date_last(alice, tree):
    services.campaign_create(actor=alice, unit=tree.county, title="无日期")
    services.campaign_create(actor=alice, unit=tree.county, title="早", issue_date=D(2023, 1, 1))
    services.campaign_create(actor=alice, unit=tree.county, title="晚", issue_date=D(2024, 1, 1))
    assert [c.title for c in selectors.campaign_list(alice)] == ["晚", "早", "无日期"]
