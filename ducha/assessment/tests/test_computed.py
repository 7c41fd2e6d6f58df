"""Computed indicators read Ducha's own data: reporting timeliness from the submissions."""

from decimal import Decimal

import pytest
from freezegun import freeze_time

from ducha.assessment import services
from ducha.assessment.scoring import campaign_ranking
from ducha.submissions.tests.rate_factories import hand_built_campaign


@pytest.fixture
def scenario(tree):
    return hand_built_campaign(tree)


def test_timeliness_counts_the_months_due_reports(alice, tree, scenario):
    campaign = scenario.campaign
    services.indicator_create(
        actor=alice,
        campaign=campaign,
        content="报送及时率",
        weight=Decimal(100),
        computed_source="timeliness",
        comparator="gte",
        target_value=Decimal(95),
        veto=True,
    )
    with freeze_time("2012-06-19 10:00:00+08:00"):
        ranking = campaign_ranking(campaign=campaign, period="2012-06", user=alice)
    rows = {row.unit.pk: row for row in ranking.rows}
    # Hospital: plan on time, briefs of 4 and 18 June on time, 11 June returned; the brief of
    # 25 June is not due yet on 19 June.
    assert rows[tree.hospital.pk].score == Decimal("75.00")
    assert rows[tree.hospital.pk].failed  # below the 95% veto line
    assert tree.department.pk not in rows  # departments report through their unit
    with freeze_time("2012-06-19 10:00:00+08:00"):
        may = campaign_ranking(campaign=campaign, period="2012-05", user=alice)
    assert {row.score for row in may.rows} == {None}  # nothing due in May: missing, not 0
