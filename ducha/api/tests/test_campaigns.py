"""/api/campaigns: list, detail, create, patch, status, adopt, children."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from ducha.audit.models import AuditEntry
from ducha.campaigns import services
from ducha.campaigns.models import Campaign, Phase
from ducha.campaigns.tests.factories import (
    PhaseFactory,
    make_city_campaign,
    make_city_office,
    make_county_campaign,
)

URL = "/api/campaigns"
LIST = f"{URL}/"  # the router is mounted at /api/campaigns/
D = datetime.date


@pytest.fixture
def campaign(alice, tree):
    return make_county_campaign(alice, tree)


@pytest.fixture
def cathy(tree):
    return make_city_office(tree)


def _titles(response) -> list[str]:
    return [item["title"] for item in response.json()["items"]]


# --- list and detail -----------------------------------------------------------------------


def test_it_lists_campaigns_in_scope(api_as, alice, dora, carol, campaign, tree):
    active = services.campaign_create(actor=alice, unit=tree.county, title="创先争优")
    services.campaign_activate(actor=alice, campaign=active)
    response = api_as(alice).get(LIST)
    assert response.status_code == 200
    assert response.json()["count"] == 2
    item = next(i for i in response.json()["items"] if i["id"] == campaign.pk)
    assert item["doc_number"] == "东卫发〔2024〕12号"
    assert item["unit_name"] == "东湖区卫生健康局"
    assert item["participant_count"] == 2

    assert _titles(api_as(alice).get(LIST, {"status": "active"})) == ["创先争优"]
    assert _titles(api_as(alice).get(LIST, {"q": "作风"})) == ["东湖区作风整顿活动"]
    assert api_as(alice).get(LIST, {"status": "bogus"}).status_code == 422
    assert api_as(dora).get(LIST).json()["count"] == 2
    assert api_as(carol).get(LIST).json()["count"] == 0


def test_it_lists_with_a_fixed_number_of_queries(api_as, alice, tree):
    api = api_as(alice)
    make_county_campaign(alice, tree)
    with CaptureQueriesContext(connection) as few:
        assert api.get(LIST).status_code == 200
    for n in range(5):
        PhaseFactory(campaign=make_county_campaign(alice, tree, title=f"活动{n}"))
    with CaptureQueriesContext(connection) as more:
        assert api.get(LIST).json()["count"] == 6
    assert len(more.captured_queries) == len(few.captured_queries)


@freeze_time("2024-04-10 09:00:00+08:00")
def test_it_gets_a_campaign_with_phases_and_the_current_one(api_as, alice, campaign):
    services.phase_add(
        actor=alice, campaign=campaign, name="动员", starts_on=D(2024, 3, 1), ends_on=D(2024, 3, 31)
    )
    services.phase_add(
        actor=alice,
        campaign=campaign,
        name="查摆",
        starts_on=D(2024, 4, 1),
        ends_on=D(2024, 4, 30),
        end_text="4月底",
    )
    services.key_task_add(actor=alice, campaign=campaign, title="大走访")
    services.leadership_set(
        actor=alice,
        campaign=campaign,
        members=[{"role": "leader", "name": "李局长", "post": "局长"}],
    )
    services.campaign_activate(actor=alice, campaign=campaign)
    body = api_as(alice).get(f"{URL}/{campaign.pk}").json()
    assert body["status"] == "active"
    assert body["current_phase"]["name"] == "查摆"
    assert body["current_phase"]["end_text"] == "4月底"
    assert [(p["name"], p["state"]) for p in body["phases"]] == [
        ("动员", "past"),
        ("查摆", "current"),
    ]
    assert body["key_tasks"][0] == {
        "id": body["key_tasks"][0]["id"],
        "number": 1,
        "title": "大走访",
        "text": "",
    }
    assert body["leadership"][0]["role"] == "leader"
    assert body["participant_count"] == 2
    assert body["phase_count"] == 2


def test_it_hides_campaigns_of_another_county(api_as, carol, campaign):
    api = api_as(carol)
    refused, missing = api.get(f"{URL}/{campaign.pk}"), api.get(f"{URL}/999999")
    assert refused.status_code == missing.status_code == 404
    assert refused.json() == missing.json()
    assert api.patch(f"{URL}/{campaign.pk}", {"title": "x"}).status_code == 404
    assert api.post(f"{URL}/{campaign.pk}/status", {"status": "active"}).status_code == 404


# --- writes --------------------------------------------------------------------------------


def test_it_creates_a_campaign(api_as, alice, bob, tree):
    payload = {
        "unit_id": tree.county.pk,
        "title": "东湖区效能建设活动",
        "doc_number": "东卫发〔2024〕5号",
        "issue_date": "2024-02-01",
        "scope_mode": "list",
        "unit_ids": [tree.hospital.pk],
    }
    refused = api_as(bob).post(LIST, payload)
    assert refused.status_code == 403
    assert not Campaign.objects.exists()

    response = api_as(alice).post(LIST, payload)
    assert response.status_code == 201
    campaign = Campaign.objects.get()
    assert response.json()["id"] == campaign.pk
    assert response.json()["status"] == "draft"
    assert campaign.issue_date == D(2024, 2, 1)
    assert list(campaign.participants.values_list("unit_id", flat=True)) == [tree.hospital.pk]
    assert AuditEntry.objects.filter(object_type="campaigns.campaign", action="create").count() == 1


def test_it_refuses_units_outside_scope_as_field_errors(api_as, alice, tree):
    api = api_as(alice)
    base = {"unit_id": tree.county.pk, "title": "x", "scope_mode": "list"}
    response = api.post(LIST, {**base, "unit_ids": [tree.other_hospital.pk]})
    assert response.status_code == 422
    assert "unit_ids" in response.json()["detail"]
    response = api.post(LIST, {**base, "unit_id": tree.other_county.pk})
    assert response.status_code == 422
    assert "unit_id" in response.json()["detail"]
    response = api.post(LIST, {**base, "unit_ids": [], "scope_mode": "list"})
    assert response.status_code == 422
    assert "units" in response.json()["detail"]
    response = api.post(LIST, {**base, "starts_on": "2024-05-01", "ends_on": "2024-04-01"})
    assert response.json()["detail"]["ends_on"]
    assert not Campaign.objects.exists()


def test_it_patches_a_campaign_and_its_scope(api_as, alice, bob, campaign, tree):
    response = api_as(bob).patch(f"{URL}/{campaign.pk}", {"theme": "x"})
    assert response.status_code == 403
    api = api_as(alice)
    response = api.patch(f"{URL}/{campaign.pk}", {"theme": "转作风", "issue_date": None})
    assert response.status_code == 200
    assert response.json()["theme"] == "转作风"
    response = api.patch(
        f"{URL}/{campaign.pk}", {"scope_mode": "list", "unit_ids": [tree.hospital2.pk]}
    )
    assert response.status_code == 200
    assert response.json()["participant_count"] == 1
    campaign.refresh_from_db()
    assert campaign.theme == "转作风"
    assert campaign.scope_mode == "list"


def test_it_steps_the_status_and_refuses_a_skip(api_as, alice, bob, campaign):
    url = f"{URL}/{campaign.pk}/status"
    assert api_as(bob).post(url, {"status": "active"}).status_code == 403
    api = api_as(alice)
    skipped = api.post(url, {"status": "closed"})
    assert skipped.status_code == 422
    assert api.post(url, {"status": "nope"}).status_code == 422
    response = api.post(url, {"status": "active"})
    assert response.status_code == 200
    assert response.json()["status"] == "active"
    assert Campaign.objects.get(pk=campaign.pk).status == "active"


# --- cascade -------------------------------------------------------------------------------


def test_a_county_adopts_and_the_tree_is_listed(api_as, alice, cathy, dora, carol, tree):
    city = make_city_campaign(cathy, tree)
    url = f"{URL}/{city.pk}/adopt"
    assert api_as(dora).post(url, {"unit_id": tree.hospital.pk}).status_code == 403
    refused = api_as(alice).post(url, {"unit_id": tree.other_county.pk})
    assert refused.status_code == 422  # a unit outside her scope is an invalid field
    assert refused.json()["detail"]["unit_id"]

    api = api_as(alice)
    first = api.post(url, {"unit_id": tree.county.pk})
    assert first.status_code == 201
    child = Campaign.objects.get(parent=city)
    assert first.json()["id"] == child.pk
    assert first.json()["parent_id"] == city.pk
    assert [p["inherited_from_id"] for p in first.json()["phases"]] == list(
        city.phases.values_list("pk", flat=True)
    )
    again = api.post(url, {"unit_id": tree.county.pk})
    assert again.status_code == 200
    assert again.json()["id"] == child.pk

    services.campaign_activate(actor=alice, campaign=child)
    api.post(f"{URL}/{child.pk}/adopt", {"unit_id": tree.hospital.pk})
    api.post(f"{URL}/{child.pk}/adopt", {"unit_id": tree.hospital2.pk})
    children = api_as(cathy).get(f"{URL}/{city.pk}/children").json()
    assert [(c["unit_name"], c["depth"]) for c in children] == [
        ("东湖区卫生健康局", 1),
        ("东湖区人民医院", 2),
        ("东湖区中医院", 2),
    ]
    assert children[0]["descendants"] == 2
    # The hospital sees its own branch only; the other county's coordinator none of it.
    assert [c["unit_name"] for c in api_as(dora).get(f"{URL}/{city.pk}/children").json()] == [
        "东湖区卫生健康局",
        "东湖区人民医院",
    ]
    assert api_as(carol).get(f"{URL}/{child.pk}/children").status_code == 404


def test_the_adopted_phase_may_not_end_later_than_the_parents(api_as, alice, cathy, tree):
    city = make_city_campaign(cathy, tree)
    child = services.campaign_adopt(actor=alice, parent=city, unit=tree.county)
    phase = child.phases.get(name="查摆问题")
    url = f"{URL}/{child.pk}/phases/{phase.pk}"
    api = api_as(alice)
    response = api.patch(url, {"ends_on": "2024-05-31"})
    assert response.status_code == 422
    assert "2024-05-20" in response.json()["detail"]["ends_on"][0]
    assert api.patch(url, {"ends_on": "2024-05-15"}).status_code == 200
    assert Phase.objects.get(pk=phase.pk).ends_on == D(2024, 5, 15)


def test_the_schema_lists_the_campaign_endpoints(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    expected = {
        "/api/campaigns/": {"get", "post"},
        "/api/campaigns/{campaign_id}": {"get", "patch"},
        "/api/campaigns/{campaign_id}/status": {"post"},
        "/api/campaigns/{campaign_id}/adopt": {"post"},
        "/api/campaigns/{campaign_id}/children": {"get"},
        "/api/campaigns/{campaign_id}/phases": {"get", "post"},
        "/api/campaigns/{campaign_id}/phases/{phase_id}": {"patch", "delete"},
        "/api/campaigns/{campaign_id}/key-tasks": {"post"},
        "/api/campaigns/{campaign_id}/key-tasks/{task_id}": {"patch", "delete"},
        "/api/campaigns/{campaign_id}/leadership": {"put"},
        "/api/campaigns/{campaign_id}/participants": {"get", "put"},
        "/api/campaigns/{campaign_id}/attachments": {"post"},
        "/api/campaigns/{campaign_id}/attachments/{attachment_id}": {"delete"},
        "/api/campaigns/{campaign_id}/attachments/{attachment_id}/file": {"get"},
    }
    for path, methods in expected.items():
        assert path in paths, path
        assert methods <= set(paths[path]), path
