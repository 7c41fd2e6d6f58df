"""The submissions API: requirements, submitting (multipart), review, to-do and queue."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from ducha.audit.models import AuditEntry
from ducha.campaigns.models import Campaign
from ducha.submissions import services
from ducha.submissions.models import Requirement, Submission, SubmissionFile
from ducha.submissions.tests import factories
from ducha.submissions.tests.factories import (
    EXE_BYTES,
    RequirementFactory,
    docx_bytes,
    make_campaign,
    submit,
    upload,
)

campaign, requirement, media = factories.campaign, factories.requirement, factories.media
pytestmark = pytest.mark.usefixtures("media")
URL = "/api/submissions"


def post_files(client, requirement, unit, *, files=None, token=None, **fields):
    data = {
        "unit_id": unit.pk,
        "client_token": token or uuid.uuid4().hex,
        "note": "请审阅",
        "files": files if files is not None else [upload(docx_bytes(), "总结报告.docx")],
        **fields,
    }
    return client.post(f"{URL}/requirements/{requirement.pk}/submit", data)


# --- requirements --------------------------------------------------------------------------


def test_it_lists_requirements_and_hides_other_counties(api_as, dora, carol, requirement, tree):
    requirement.units.set([tree.hospital])
    response = api_as(dora).get(f"{URL}/campaigns/{requirement.campaign_id}/requirements")
    assert response.status_code == 200
    assert [(r["title"], r["unit_ids"]) for r in response.json()] == [
        ("总结报告", [tree.hospital.pk])
    ]

    api = api_as(carol)
    refused = api.get(f"{URL}/campaigns/{requirement.campaign_id}/requirements")
    missing = api.get(f"{URL}/campaigns/999999/requirements")
    assert refused.status_code == missing.status_code == 404
    assert refused.json() == missing.json()
    assert api.get(f"{URL}/requirements/{requirement.pk}").status_code == 404


def test_it_creates_updates_and_deletes_a_requirement(api_as, alice, bob, campaign, tree):
    payload = {
        "kind": "brief",
        "title": "工作简报",
        "due_date": "2012-06-01",
        "recurrence": "weekly",
        "repeat_until": "2012-06-29",
        "unit_ids": [tree.hospital.pk],
    }
    assert (
        api_as(bob).post(f"{URL}/campaigns/{campaign.pk}/requirements", payload).status_code == 403
    )

    api = api_as(alice)
    response = api.post(f"{URL}/campaigns/{campaign.pk}/requirements", payload)
    assert response.status_code == 201
    body = response.json()
    assert (body["recurrence"], body["unit_ids"]) == ("weekly", [tree.hospital.pk])
    requirement = Requirement.objects.get(pk=body["id"])

    response = api.patch(f"{URL}/requirements/{requirement.pk}", {"title": "每周简报"})
    assert response.status_code == 200
    requirement.refresh_from_db()
    assert (requirement.title, requirement.recurrence) == ("每周简报", "weekly")
    assert list(requirement.units.all()) == [tree.hospital]

    assert api_as(bob).delete(f"{URL}/requirements/{requirement.pk}").status_code == 403
    assert api_as(alice).delete(f"{URL}/requirements/{requirement.pk}").status_code == 204
    assert not Requirement.objects.exists()
    assert AuditEntry.objects.filter(object_type="submissions.requirement").count() == 3


def test_it_reports_bad_requirement_input_as_fields(api_as, alice, campaign, tree, english):
    api = api_as(alice)
    url = f"{URL}/campaigns/{campaign.pk}/requirements"
    base = {"kind": "unit_plan", "title": "方案", "due_date": "2012-05-20"}

    response = api.post(url, {**base, "unit_ids": [tree.other_hospital.pk]})
    assert response.status_code == 422
    assert response.json() == {"detail": {"unit_ids": ["No such record in your scope."]}}

    response = api.post(url, {**base, "unit_ids": [tree.department.pk]})
    assert response.status_code == 422
    assert list(response.json()["detail"]) == ["units"]

    assert api.post(url, {**base, "kind": "poem"}).status_code == 422
    assert not Requirement.objects.exists()


def test_a_child_deadline_later_than_the_parents_is_refused(api_as, alice, tree, english):
    parent_campaign = make_campaign(tree.city, [tree.county])
    parent = RequirementFactory(campaign=parent_campaign, due_date=datetime.date(2012, 6, 18))
    child = make_campaign(tree.county, [tree.hospital], parent=parent_campaign)
    url = f"{URL}/campaigns/{child.pk}/requirements"
    base = {"kind": "summary_report", "title": "总结", "parent_id": parent.pk}

    response = api_as(alice).post(url, {**base, "due_date": "2012-06-19"})
    assert response.status_code == 422
    assert response.json()["detail"] == {
        "due_date": ["The due date may not be later than the parent requirement's, 2012-06-18."]
    }
    assert api_as(alice).post(url, {**base, "due_date": "2012-06-18"}).status_code == 201


# --- submitting ----------------------------------------------------------------------------


@freeze_time("2012-06-18 15:59:59")
def test_dora_submits_on_the_last_second(api_as, client, dora, requirement, tree):
    api_as(dora)
    response = post_files(client, requirement, tree.hospital)

    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["on_time"], body["due_date"]) == ("submitted", True, "2012-06-18")
    assert body["versions"][0]["files"][0]["original_name"] == "总结报告.docx"
    assert body["events"][0]["kind"] == "submitted"


@freeze_time("2012-06-18 16:00:01")
def test_a_second_later_is_late(api_as, client, dora, requirement, tree):
    api_as(dora)
    response = post_files(client, requirement, tree.hospital, due_date="2012-06-18")
    assert response.status_code == 201
    assert response.json()["on_time"] is False


def test_a_double_click_returns_the_same_submission(api_as, client, dora, requirement, tree):
    api_as(dora)
    token = uuid.uuid4().hex
    first = post_files(client, requirement, tree.hospital, token=token)
    second = post_files(client, requirement, tree.hospital, token=token)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert SubmissionFile.objects.count() == 1


def test_bad_submissions_are_refused(api_as, client, dora, requirement, tree, settings, english):
    api_as(dora)
    response = post_files(client, requirement, tree.hospital, files=[upload(EXE_BYTES, "a.docx")])
    assert response.status_code == 422
    assert "looks like a .exe file" in response.json()["detail"]["__all__"][0]

    response = post_files(client, requirement, tree.hospital, files=[upload(b"", "a.docx")])
    assert response.json()["detail"] == {"__all__": ["“a.docx” is empty (0 bytes)."]}

    response = post_files(client, requirement, tree.hospital, files=[])
    assert response.json()["detail"] == {"files": ["Attach at least one file."]}

    settings.SUBMISSION_MAX_BYTES = 1024
    response = post_files(client, requirement, tree.hospital)
    assert "is larger than 1 KB" in response.json()["detail"]["__all__"][0]
    assert not Submission.objects.exists()


def test_a_closed_campaign_and_a_second_report_are_refused(
    api_as, client, dora, requirement, tree, english
):
    api_as(dora)
    assert post_files(client, requirement, tree.hospital).status_code == 201
    response = post_files(client, requirement, tree.hospital)
    assert response.status_code == 422
    assert "already submitted" in response.json()["detail"]["__all__"][0]

    Campaign.objects.filter(pk=requirement.campaign_id).update(status=Campaign.Status.CLOSED)
    other = RequirementFactory(campaign=requirement.campaign)
    response = post_files(client, other, tree.hospital)
    assert response.json()["detail"] == {"__all__": ["The campaign is closed."]}


def test_submitters_outside_scope_get_404_and_viewers_403(
    api_as, client, carol, bob, dora, requirement, tree
):
    api_as(carol)
    assert post_files(client, requirement, tree.other_hospital).status_code == 404
    api_as(bob)
    assert post_files(client, requirement, tree.hospital).status_code == 403
    api_as(dora)
    response = post_files(client, requirement, tree.hospital2)
    assert response.status_code == 422
    assert list(response.json()["detail"]) == ["unit_id"]
    assert not Submission.objects.exists()


# --- review --------------------------------------------------------------------------------


@pytest.fixture
def submission(dora, requirement, tree):
    with freeze_time("2012-06-15 02:00:00"):
        return submit(dora, requirement, tree.hospital).submission


def test_the_office_returns_and_the_unit_resubmits_in_time(
    api_as, client, alice, bob, carol, dora, submission, tree
):
    url = f"{URL}/{submission.pk}/return"
    assert api_as(carol).post(url, {"reason": "补", "correction_days": 3}).status_code == 404
    assert api_as(bob).post(url, {"reason": "补", "correction_days": 3}).status_code == 403
    with freeze_time("2012-06-20 02:00:00"):
        response = api_as(alice).post(url, {"reason": "缺少整改措施", "correction_days": 3})
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["correction_due"]) == ("returned", "2012-06-23")

    with freeze_time("2012-06-23 10:00:00"):
        api_as(dora)
        response = post_files(client, submission.requirement, tree.hospital, due_date="2012-06-18")
    assert response.status_code == 201
    body = response.json()
    assert body["id"] == submission.pk
    assert [v["number"] for v in body["versions"]] == [1, 2]
    assert [e["kind"] for e in body["events"]] == ["submitted", "returned", "resubmitted"]
    assert body["on_time"] is True
    assert body["counted_at"] == body["first_submitted_at"]


def test_a_return_needs_a_reason(api_as, alice, submission, english):
    response = api_as(alice).post(
        f"{URL}/{submission.pk}/return", {"reason": " ", "correction_days": 3}
    )
    assert response.status_code == 422
    assert response.json()["detail"] == {"reason": ["Say why the submission is returned."]}


def test_the_office_accepts(api_as, alice, bob, submission):
    assert api_as(bob).post(f"{URL}/{submission.pk}/accept").status_code == 403
    response = api_as(alice).post(f"{URL}/{submission.pk}/accept")
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    assert api_as(alice).post(f"{URL}/{submission.pk}/accept").status_code == 422


def test_it_gets_a_submission_and_its_file(api_as, dora, carol, submission):
    api = api_as(dora)
    body = api.get(f"{URL}/{submission.pk}").json()
    file_id = body["versions"][0]["files"][0]["id"]
    response = api.get(f"{URL}/files/{file_id}")
    assert response.status_code == 200
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert b"".join(response.streaming_content)[:2] == b"PK"

    api = api_as(carol)
    assert api.get(f"{URL}/{submission.pk}").status_code == 404
    assert api.get(f"{URL}/files/{file_id}").status_code == 404


# --- lists ---------------------------------------------------------------------------------


@freeze_time("2012-06-10 02:00:00")
def test_my_todo(api_as, dora, alice, requirement, submission):
    response = api_as(dora).get(f"{URL}/campaigns/{requirement.campaign_id}/todo")
    assert response.status_code == 200
    assert [(t["requirement_title"], t["status"], t["may_send"]) for t in response.json()] == [
        ("总结报告", "submitted", False)
    ]
    assert api_as(alice).get(f"{URL}/campaigns/{requirement.campaign_id}/todo").json() == []


def test_the_review_queue_has_a_fixed_number_of_queries(api_as, alice, bob, dora, campaign, tree):
    url = f"{URL}/campaigns/{campaign.pk}/review"
    submit(dora, RequirementFactory(campaign=campaign), tree.hospital)
    api = api_as(alice)
    with CaptureQueriesContext(connection) as few:
        assert api.get(url).json()["count"] == 1
    for _n in range(4):
        submission = submit(dora, RequirementFactory(campaign=campaign), tree.hospital).submission
    services.submission_accept(actor=alice, submission=submission)
    with CaptureQueriesContext(connection) as many:
        assert api.get(url).json()["count"] == 5
    assert len(many.captured_queries) == len(few.captured_queries)
    assert api.get(url, {"status": "accepted"}).json()["count"] == 1
    assert api_as(bob).get(url).status_code == 403
