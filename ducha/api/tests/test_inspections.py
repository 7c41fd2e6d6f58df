import datetime
import json

import pytest

from ducha.campaigns.tests.factories import make_county_campaign
from ducha.inspections import services
from ducha.inspections.models import Finding, InspectionRound
from ducha.problems.models import Problem

LIST = "/api/inspections/"


@pytest.fixture
def campaign(alice, tree):
    return make_county_campaign(alice, tree)


@pytest.fixture
def inspection_round(alice, tree, campaign):
    return services.inspection_round_create(
        actor=alice,
        campaign=campaign,
        title="三月督查",
        date=datetime.date(2024, 3, 15),
        units=[tree.hospital],
    )


def test_it_creates_a_round(api_as, alice, tree, campaign):
    response = api_as(alice).post(
        LIST,
        {
            "campaign_id": campaign.pk,
            "title": "六督联查",
            "date": "2024-04-01",
            "mode": "unannounced",
            "bodies": ["区卫生局", "区纪委"],
            "checklist": ["门诊秩序"],
            "unit_ids": [tree.hospital.pk, tree.hospital2.pk],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["is_joint"] is True
    assert body["unit_ids"] == sorted([tree.hospital.pk, tree.hospital2.pk])
    assert InspectionRound.objects.get().mode == InspectionRound.Mode.UNANNOUNCED


def test_a_finding_becomes_a_problem(api_as, alice, tree, inspection_round):
    response = api_as(alice).post(
        f"{LIST}{inspection_round.pk}/findings",
        {"unit_id": tree.hospital.pk, "text": "收费未公示", "severity": "grave"},
    )
    assert response.status_code == 201, response.content
    problem = Problem.objects.get(pk=response.json()["problem_id"])
    assert (problem.unit, problem.severity) == (tree.hospital, Problem.Severity.GRAVE)


def test_it_refuses_a_unit_not_in_the_round(api_as, alice, tree, inspection_round):
    response = api_as(alice).post(
        f"{LIST}{inspection_round.pk}/findings",
        {"unit_id": tree.hospital2.pk, "text": "问题"},
    )
    assert response.status_code == 422
    assert "unit" in response.json()["detail"]
    assert not Finding.objects.exists()


def test_it_refuses_other_county(api_as, alice, carol, tree, inspection_round):
    for user, status, count in ((alice, 200, 1), (carol, 404, 0)):
        client = api_as(user)
        assert client.get(f"{LIST}{inspection_round.pk}").status_code == status
        assert client.get(LIST).json()["count"] == count
    response = api_as(carol).post(
        f"{LIST}{inspection_round.pk}/findings", {"unit_id": tree.hospital.pk, "text": "x"}
    )
    assert response.status_code == 404
    assert not Problem.objects.exists()


def test_a_bulletin_is_drafted_edited_issued_and_frozen(api_as, alice, carol, tree, campaign):
    client = api_as(alice)
    created = client.post(f"{LIST}bulletins", {"campaign_id": campaign.pk, "period": "2024-03"})
    assert created.status_code == 201, created.content
    bulletin_id = created.json()["id"]
    edit = {
        "title": "三月通报",
        "body": "正文",
        "doc_prefix": "东卫通",
        "criticised_ids": [tree.hospital.pk],
    }
    assert (
        client.client.put(
            f"{LIST}bulletins/{bulletin_id}", json.dumps(edit), content_type="application/json"
        ).status_code
        == 200
    )
    issued = client.post(f"{LIST}bulletins/{bulletin_id}/issue")
    assert issued.status_code == 200, issued.content
    body = issued.json()
    assert body["status"] == "issued" and body["doc_number"].endswith("〕1号")
    assert Problem.objects.get(pk=body["problem_ids"][0]).unit == tree.hospital
    again = client.client.put(
        f"{LIST}bulletins/{bulletin_id}", json.dumps(edit), content_type="application/json"
    )
    assert again.status_code == 422
    assert api_as(carol).get(f"{LIST}bulletins/{bulletin_id}").status_code == 404
