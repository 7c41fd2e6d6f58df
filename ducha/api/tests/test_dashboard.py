"""GET /api/dashboard/campaigns/{id}: the dashboard's figures, scoped to the caller."""

import pytest
from freezegun import freeze_time

from ducha.submissions.tests.rate_factories import hand_built_campaign


@pytest.fixture
def scenario(tree):
    return hand_built_campaign(tree)


def get(api_as, user, campaign, **params):
    with freeze_time("2012-06-19 10:00:00+08:00"):
        return api_as(user).get(f"/api/dashboard/campaigns/{campaign.pk}", params)


def test_it_gives_the_summary_and_the_units(api_as, alice, tree, scenario):
    response = get(api_as, alice, scenario.campaign)

    assert response.status_code == 200
    data = response.json()
    assert data["as_of"] == "2012-06-19"
    assert data["summary"] == {
        "expected": 13, "received": 10, "on_time": 6, "late": 3, "returned": 1, "missing": 3,
        "pending": 2, "reporting_rate": 76.9, "timeliness": 46.2,
    }  # fmt: skip
    units = {u["name"]: u for u in data["units"]}
    assert list(units) == ["东湖区卫生健康局", "东湖区人民医院", "内科", "东湖区中医院"]
    assert units["东湖区人民医院"]["parent_id"] == tree.county.pk
    assert units["内科"]["parent_id"] == tree.hospital.pk
    assert units["东湖区卫生健康局"]["parent_id"] is None
    assert units["东湖区卫生健康局"]["has_children"] is True
    assert units["东湖区卫生健康局"]["is_reporting"] is False
    assert units["东湖区人民医院"]["totals"]["expected"] == 8  # itself and its department
    assert units["东湖区中医院"]["totals"]["reporting_rate"] == 60.0
    brief = data["requirements"][1]
    assert brief["title"] == "工作简报"
    assert brief["due_dates"][:4] == ["2012-06-04", "2012-06-11", "2012-06-18", "2012-06-25"]
    assert (brief["totals"]["expected"], brief["totals"]["pending"]) == (10, 2)
    assert [p["due_date"] for p in data["periods"]][0] == "2012-06-01"


def test_it_scopes_the_units_to_the_caller(api_as, dora, alice, tree, scenario):
    data = get(api_as, dora, scenario.campaign).json()
    assert [u["name"] for u in data["units"]] == ["东湖区人民医院", "内科"]
    assert data["summary"]["expected"] == 8

    narrowed = get(api_as, alice, scenario.campaign, under=tree.hospital2.pk).json()
    assert narrowed["under_id"] == tree.hospital2.pk
    assert [u["name"] for u in narrowed["units"]] == ["东湖区中医院"]
    assert narrowed["summary"]["reporting_rate"] == 60.0


def test_it_refuses_the_other_county(api_as, carol, alice, tree, scenario):
    assert get(api_as, carol, scenario.campaign).status_code == 404
    assert get(api_as, alice, scenario.campaign, under=tree.other_hospital.pk).status_code == 404
    assert api_as(None).get(f"/api/dashboard/campaigns/{scenario.campaign.pk}").status_code == 401
