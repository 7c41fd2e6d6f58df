from decimal import Decimal

import pytest

from ducha.assessment.models import Indicator, ManualScore
from ducha.campaigns.tests.factories import make_county_campaign

URL = "/api/assessment/campaigns"


@pytest.fixture
def campaign(alice, tree):
    return make_county_campaign(alice, tree)


def test_it_builds_indicators_scores_and_ranks(api_as, alice, tree, campaign):
    client = api_as(alice)
    created = client.post(
        f"{URL}/{campaign.pk}/indicators", {"content": "制度建设", "weight": "100"}
    )
    assert created.status_code == 201, created.content
    indicator_id = created.json()["id"]
    for unit, value in ((tree.hospital, "90"), (tree.hospital2, "90")):
        response = client.post(
            f"{URL}/{campaign.pk}/scores",
            {
                "indicator_id": indicator_id,
                "unit_id": unit.pk,
                "period": "2024-03",
                "value": value,
                "evidence": "台账",
            },
        )
        assert response.status_code == 200, response.content
    ranking = client.get(f"{URL}/{campaign.pk}/ranking", {"period": "2024-03"})
    assert ranking.status_code == 200
    rows = {r["unit_id"]: r for r in ranking.json()["rows"]}
    assert rows[tree.hospital.pk]["rank"] == rows[tree.hospital2.pk]["rank"] == 1
    assert ManualScore.objects.count() == 2


def test_it_reports_weights_that_do_not_add_up(api_as, alice, campaign):
    Indicator.objects.create(campaign=campaign, content="x", weight=Decimal(40))
    response = api_as(alice).get(f"{URL}/{campaign.pk}/ranking", {"period": "2024-03"})
    assert response.status_code == 422
    assert "40" in response.json()["detail"]["__all__"][0]


def test_a_missing_value_is_null(api_as, alice, tree, campaign):
    Indicator.objects.create(campaign=campaign, content="x", weight=Decimal(100))
    rows = api_as(alice).get(f"{URL}/{campaign.pk}/ranking", {"period": "2024-03"}).json()["rows"]
    assert {r["score"] for r in rows} == {None}
    assert all(r["cells"][0]["value"] is None and r["incomplete"] for r in rows)


def test_it_refuses_other_county(api_as, alice, dora, carol, tree, campaign):
    indicator = Indicator.objects.create(campaign=campaign, content="x", weight=Decimal(100))
    for user, status in ((alice, 200), (dora, 403), (carol, 404)):
        assert (
            api_as(user).get(f"{URL}/{campaign.pk}/ranking", {"period": "2024-03"}).status_code
            == status
        )
    response = api_as(carol).post(
        f"{URL}/{campaign.pk}/scores",
        {
            "indicator_id": indicator.pk,
            "unit_id": tree.hospital.pk,
            "period": "2024-03",
            "value": "1",
            "evidence": "x",
        },
    )
    assert response.status_code == 404
    assert not ManualScore.objects.exists()
