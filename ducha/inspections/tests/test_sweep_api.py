"""Hazard sweeps through the JSON API: /api/inspections/…"""

import json

import pytest
from freezegun import freeze_time

from ducha.inspections.models import Finding, SelfInspection, SpotCheck
from ducha.problems.models import Problem

from .factories import AFTER_DEADLINE, BEFORE_DEADLINE, ISSUED, answers, file, make_sweep

API = "/api/inspections"


@pytest.fixture
def api(client):
    """api(user, method, path, data=None) → response, as `user` (session auth)."""

    def call(user, method, path, data=None):
        client.force_login(user)
        if method == "get":
            return client.get(path)
        return client.post(path, json.dumps(data or {}), content_type="application/json")

    return call


def test_a_round_is_created_with_its_deadline(api, alice, tree, campaign):
    body = {
        "campaign_id": campaign.pk,
        "title": "危化品隐患排查",
        "kind": "hazard_sweep",
        "date": "2024-04-01",
        "checklist": ["危化品存放"],
        "unit_ids": [tree.hospital.pk],
    }
    with freeze_time(ISSUED):
        refused = api(alice, "post", f"{API}/", body)
        created = api(alice, "post", f"{API}/", {**body, "self_inspection_deadline": "2024-04-15"})
    assert refused.status_code == 422
    assert "self_inspection_deadline" in refused.json()["detail"]
    assert created.status_code == 201, created.content
    assert created.json()["self_inspection_deadline"] == "2024-04-15"


def test_the_unit_lists_and_files_its_self_inspection(api, dora, tree, sweep):
    url = f"{API}/{sweep.pk}/self-inspections/{tree.hospital.pk}"
    with freeze_time(BEFORE_DEADLINE):
        listed = api(dora, "get", f"{API}/hazard-sweeps").json()
        assert [(r["round_id"], r["unit_id"], r["status"]) for r in listed] == [
            (sweep.pk, tree.hospital.pk, "pending")
        ]
        assert listed[0]["checklist"] == sweep.checklist
        response = api(dora, "post", url, {"items": answers(hazard_at="特种设备")})
        assert response.status_code == 201, response.content
        again = api(dora, "post", url, {"items": answers()})
        shown = api(dora, "get", url).json()
    body = response.json()
    assert body["status"] == "filed"
    hazard = next(i for i in body["items"] if i["result"] == "hazard")
    problem = Problem.objects.get(pk=hazard["problem_id"])
    assert (problem.unit, problem.source) == (tree.hospital, Problem.Source.SELF_INSPECTION)
    assert again.status_code == 422
    assert SelfInspection.objects.count() == 1 and Problem.objects.count() == 1
    assert shown == body


def test_bad_self_inspections_are_refused(api, alice, dora, hugo, carol, tree, campaign, sweep):
    only_first = make_sweep(alice, campaign, [tree.hospital], title="单院排查")
    own = f"{API}/{sweep.pk}/self-inspections/{tree.hospital.pk}"
    with freeze_time(BEFORE_DEADLINE):
        # A unit not in the round, another unit's page, another county: the same 404.
        not_in_round = f"{API}/{only_first.pk}/self-inspections/{tree.hospital2.pk}"
        assert api(hugo, "post", not_in_round, {"items": answers()}).status_code == 404
        other_unit = f"{API}/{sweep.pk}/self-inspections/{tree.hospital2.pk}"
        assert api(dora, "post", other_unit, {"items": answers()}).status_code == 404
        assert api(dora, "get", other_unit).status_code == 404
        assert api(carol, "post", own, {"items": answers()}).status_code == 404
        assert api(alice, "post", own, {"items": answers()}).status_code == 403
        incomplete = api(dora, "post", own, {"items": answers()[:1]})
        assert incomplete.status_code == 422 and "items" in incomplete.json()["detail"]
        bad = api(dora, "post", own, {"items": [{"item": "消防通道", "result": "maybe"}]})
        assert bad.status_code == 422
    with freeze_time(AFTER_DEADLINE):
        late = api(dora, "post", own, {"items": answers()})
    assert late.status_code == 422
    assert "2024-04-15" in json.dumps(late.json(), ensure_ascii=False)
    assert not SelfInspection.objects.exists()
    assert not Problem.objects.exists()


def test_the_office_spot_checks_and_reads_the_sweep(api, alice, dora, carol, tree, sweep):
    file(dora, sweep, tree.hospital, hazard_at="消防通道")
    checks = f"{API}/{sweep.pk}/spot-checks"
    with freeze_time(AFTER_DEADLINE):
        assert (
            api(
                dora, "post", checks, {"unit_id": tree.hospital.pk, "date": "2024-04-16"}
            ).status_code
            == 404
        )
        elsewhere = api(
            alice, "post", checks, {"unit_id": tree.other_hospital.pk, "date": "2024-04-16"}
        )
        assert elsewhere.status_code == 422
        created = api(alice, "post", checks, {"unit_id": tree.hospital.pk, "date": "2024-04-16"})
        assert created.status_code == 201, created.content
        twice = api(alice, "post", checks, {"unit_id": tree.hospital.pk, "date": "2024-04-16"})
        assert twice.status_code == 422
        finding = api(
            alice,
            "post",
            f"{API}/{sweep.pk}/findings",
            {"unit_id": tree.hospital.pk, "text": "锅炉未年检", "checklist_item": "特种设备"},
        )
        rows = api(alice, "get", f"{API}/{sweep.pk}/sweep").json()
        assert api(carol, "get", f"{API}/{sweep.pk}/sweep").status_code == 404
    assert SpotCheck.objects.count() == 1
    assert finding.status_code == 201, finding.content
    assert finding.json()["missed_by_self_inspection"] is True
    assert finding.json()["spot_check_id"] == created.json()["id"]
    assert Finding.objects.get().missed_by_self_inspection
    assert rows == [
        {
            "unit_id": tree.hospital.pk,
            "unit_name": tree.hospital.name,
            "status": "filed",
            "hazards": 1,
            "spot_check_date": "2024-04-16",
            "findings": 1,
            "missed": 1,
        },
        {
            "unit_id": tree.hospital2.pk,
            "unit_name": tree.hospital2.name,
            "status": "missing",
            "hazards": 0,
            "spot_check_date": None,
            "findings": 0,
            "missed": 0,
        },
    ]
