"""The problems API: the loop through the endpoints, refusals as the services decide, the
dashboard and the schema."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from ducha.orgs.models import Person
from ducha.problems import services
from ducha.problems.models import Problem
from ducha.problems.tests.factories import (
    campaign,
    category,
    claimed,
    docx_bytes,
    media,
    png_bytes,
    rectifying,
    report,
    upload,
)

__all__ = ["campaign", "category", "media"]
pytestmark = pytest.mark.usefixtures("media")
URL = "/api/problems"


@pytest.fixture(autouse=True)
def _clock():
    with freeze_time("2026-06-01 10:00:00"):
        yield


def test_the_whole_loop_through_the_api(api_as, client, tree, sam, dora, alice, category):
    api = api_as(sam)
    response = api.post(
        f"{URL}/",
        {
            "unit_id": tree.hospital.pk,
            "category_id": category.pk,
            "title": "候诊区厕所无扶手",
            "source": "visit",
            "is_physical": True,
        },
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["status"] == "reported"

    api = api_as(dora)
    assert api.post(f"{URL}/{pk}/assign", {"unit_id": tree.hospital.pk}).status_code == 200
    response = api.post(
        f"{URL}/{pk}/rectification",
        {
            "measures": "加装扶手",
            "target": "每个厕位有扶手",
            "deadline": "2026-06-30",
            "responsible_person_id": Person.objects.get(user=dora).pk,
            "milestones": [{"title": "采购", "due_date": "2026-06-10"}],
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["light"] == "green" and body["deadline"] == "2026-06-30"
    assert [m["title"] for m in body["milestones"]] == ["采购"]
    response = client.post(
        f"{URL}/{pk}/progress",
        {"note": "已采购", "public": "true", "files": [upload(docx_bytes(), "采购单.docx")]},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["evidence"][0]["original_name"] == "采购单.docx"
    assert client.post(f"{URL}/{pk}/claim", {"note": "已安装"}).status_code == 200

    api_as(alice)
    response = client.post(f"{URL}/{pk}/close", {"note": "同意"})
    assert response.status_code == 422
    assert set(response.json()["detail"]) == {"before_photo", "after_photo"}
    response = client.post(
        f"{URL}/{pk}/close",
        {
            "note": "同意销号",
            "before_photo": upload(png_bytes(), "before.png"),
            "after_photo": upload(png_bytes(), "after.png"),
        },
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "closed"
    assert [e["kind"] for e in body["events"]][-2:] == ["claimed", "closed"]
    assert {e["kind"] for e in body["evidence"]} == {"file", "before", "after"}


def test_files_are_attached_to_an_open_problem(api_as, client, tree, sam, carol, category):
    problem = report(sam, tree.hospital, category)
    api_as(sam)
    response = client.post(
        f"{URL}/{problem.pk}/attachments",
        {"note": "现场照片", "before_photo": upload(png_bytes(), "现场.png")},
    )
    assert response.status_code == 201, response.json()
    assert [(e["kind"], e["original_name"]) for e in response.json()["evidence"]] == [
        ("before", "现场.png")
    ]
    api_as(carol)
    response = client.post(
        f"{URL}/{problem.pk}/attachments", {"files": [upload(docx_bytes(), "x.docx")]}
    )
    assert response.status_code == 404


def test_carol_gets_the_same_404_as_for_a_missing_problem(api_as, tree, sam, carol, category):
    problem = report(sam, tree.hospital, category)
    api = api_as(carol)
    refused, missing = api.get(f"{URL}/{problem.pk}"), api.get(f"{URL}/999999")
    assert refused.status_code == missing.status_code == 404
    assert refused.json() == missing.json()
    assert api.post(f"{URL}/{problem.pk}/invalidate", {"reason": "x"}).status_code == 404
    assert api.get(f"{URL}/").json()["items"] == []


def test_a_problem_cannot_be_deleted(api_as, tree, sam, dora, category):
    problem = report(sam, tree.hospital, category)
    assert api_as(dora).delete(f"{URL}/{problem.pk}").status_code == 405
    assert Problem.objects.filter(pk=problem.pk).exists()


def test_the_list_filters_by_colour_in_fixed_queries(api_as, tree, sam, dora, alice, category):
    rectifying(sam, dora, tree.hospital, category, deadline=datetime.date(2026, 6, 3))
    api = api_as(alice)
    with CaptureQueriesContext(connection) as few:
        assert api.get(f"{URL}/", {"light": "yellow"}).json()["count"] == 1
    for n in range(4):
        rectifying(
            sam, dora, tree.hospital, category, title=f"问题{n}", deadline=datetime.date(2026, 6, 4)
        )
    with CaptureQueriesContext(connection) as many:
        items = api.get(f"{URL}/", {"light": "yellow"}).json()["items"]
    assert len(items) == 5 and {i["light"] for i in items} == {"yellow"}
    assert len(many.captured_queries) == len(few.captured_queries)
    assert api.get(f"{URL}/", {"light": "red"}).json()["count"] == 0


def test_an_escalation_outside_the_chain_is_a_field_error(api_as, tree, sam, dora, category):
    problem = report(sam, tree.hospital, category)
    api = api_as(dora)
    response = api.post(
        f"{URL}/{problem.pk}/escalate", {"to_unit_id": tree.hospital2.pk, "reason": "x"}
    )
    assert response.status_code == 422 and "to_unit" in response.json()["detail"]
    response = api.post(
        f"{URL}/{problem.pk}/escalate", {"to_unit_id": tree.department.pk, "reason": "x"}
    )
    assert response.status_code == 422
    response = api.post(
        f"{URL}/{problem.pk}/escalate", {"to_unit_id": tree.county.pk, "reason": "协调"}
    )
    assert response.status_code == 200
    assert response.json()["escalated_to_id"] == tree.county.pk


def test_the_unit_cannot_grant_its_own_extension(api_as, tree, sam, dora, alice, category):
    problem = rectifying(sam, dora, tree.hospital, category)
    api = api_as(dora)
    response = api.post(
        f"{URL}/{problem.pk}/extensions", {"new_deadline": "2026-08-31", "reason": "招标"}
    )
    assert response.status_code == 201
    extension_id = response.json()["id"]
    assert api.post(f"{URL}/extensions/{extension_id}/decide", {"grant": True}).status_code == 403
    response = api_as(alice).post(f"{URL}/extensions/{extension_id}/decide", {"grant": True})
    assert response.status_code == 200 and response.json()["status"] == "granted"


def test_a_deadline_in_the_past_is_a_field_error(api_as, tree, sam, dora, category):
    problem = services.problem_assign(
        actor=dora, problem=report(sam, tree.hospital, category), unit=tree.hospital
    )
    response = api_as(dora).post(
        f"{URL}/{problem.pk}/rectification",
        {
            "measures": "m",
            "target": "t",
            "deadline": "2026-05-01",
            "responsible_person_id": Person.objects.get(user=dora).pk,
        },
    )
    assert response.status_code == 422 and "deadline" in response.json()["detail"]


def test_the_dashboard(api_as, tree, sam, dora, alice, category):
    claimed(sam, dora, tree.hospital, category)
    report(sam, tree.department, category)
    body = api_as(alice).get(f"{URL}/dashboard", {"unit": tree.county.pk}).json()
    row = next(r for r in body["units"] if r["unit_id"] == tree.hospital.pk)
    assert row["counts"]["found"] == 2 and row["counts"]["in_progress"] == 2
    assert body["total"]["found"] == 2
    assert api_as(dora).get(f"{URL}/dashboard", {"unit": tree.county.pk}).status_code == 404


def test_commitments_and_opinions(api_as, tree, dora, alice, carol, category):
    api = api_as(dora)
    response = api.post(
        f"{URL}/commitments",
        {"kind": "service", "unit_id": tree.hospital.pk, "text": "候诊不超过30分钟"},
    )
    assert response.status_code == 201
    commitment_id = response.json()["id"]
    assert api.post(f"{URL}/commitments/{commitment_id}/verify", {"kept": True}).status_code == 403
    response = api_as(alice).post(f"{URL}/commitments/{commitment_id}/verify", {"kept": True})
    assert response.json()["status"] == "kept"

    opinion = services.opinion_submit(unit=tree.hospital, text="挂号慢", client="c")
    assert (
        api_as(carol).post(f"{URL}/opinions/{opinion.pk}/answer", {"answer": "x"}).status_code
        == 404
    )
    api = api_as(dora)
    assert [o["text"] for o in api.get(f"{URL}/opinions").json()["items"]] == ["挂号慢"]
    response = api.post(
        f"{URL}/opinions/{opinion.pk}/problem", {"category_id": category.pk, "title": "挂号慢"}
    )
    assert response.status_code == 201 and response.json()["source"] == "opinion"


def test_the_schema_lists_the_problem_endpoints(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    expected = {
        "/api/problems/": {"get", "post"},
        "/api/problems/{problem_id}": {"get"},
        "/api/problems/{problem_id}/assign": {"post"},
        "/api/problems/{problem_id}/escalate": {"post"},
        "/api/problems/{problem_id}/rectification": {"post"},
        "/api/problems/{problem_id}/progress": {"post"},
        "/api/problems/{problem_id}/claim": {"post"},
        "/api/problems/{problem_id}/close": {"post"},
        "/api/problems/{problem_id}/extensions": {"post"},
        "/api/problems/extensions/{extension_id}/decide": {"post"},
        "/api/problems/dashboard": {"get"},
        "/api/problems/commitments": {"get", "post"},
        "/api/problems/opinions": {"get"},
    }
    for path, methods in expected.items():
        assert path in paths, path
        assert methods <= set(paths[path]), path
