"""/api/campaigns/<id>/…: phases, key tasks, leadership group, participants, attachments."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ducha.audit.models import AuditEntry
from ducha.campaigns import services
from ducha.campaigns.models import Attachment, KeyTask, LeadershipMember, Phase
from ducha.campaigns.tests.factories import make_county_campaign
from ducha.orgs.tests.factories import PersonFactory

URL = "/api/campaigns"
D = datetime.date


@pytest.fixture
def campaign(alice, tree):
    return make_county_campaign(alice, tree)


PHASE = {
    "name": "动员部署",
    "starts_on": "2024-03-01",
    "ends_on": "2024-03-31",
    "start_text": "3月初",
}


def test_phases_crud(api_as, alice, campaign):
    api = api_as(alice)
    url = f"{URL}/{campaign.pk}/phases"
    created = api.post(url, PHASE)
    assert created.status_code == 201
    phase_id = created.json()["id"]
    assert created.json()["start_text"] == "3月初"
    assert created.json()["order"] == 1
    assert [p["id"] for p in api.get(url).json()] == [phase_id]

    patched = api.patch(f"{url}/{phase_id}", {"ends_on": "2024-04-10", "end_text": "4月上旬"})
    assert patched.status_code == 200
    assert Phase.objects.get(pk=phase_id).end_text == "4月上旬"

    assert api.delete(f"{url}/{phase_id}").status_code == 204
    assert not Phase.objects.exists()
    actions = list(
        AuditEntry.objects.filter(object_type="campaigns.phase")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update", "delete"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"starts_on": "2024-04-01", "ends_on": "2024-03-31"}, "ends_on"),  # ends before it starts
        ({"starts_on": "2024-02-01"}, "starts_on"),  # before the campaign
        ({"ends_on": "2024-07-01"}, "ends_on"),  # after the campaign
    ],
)
def test_bad_phase_dates_are_field_errors(api_as, alice, campaign, change, field):
    response = api_as(alice).post(f"{URL}/{campaign.pk}/phases", {**PHASE, **change})
    assert response.status_code == 422
    assert list(response.json()["detail"]) == [field]
    assert not Phase.objects.exists()


def test_phase_writes_are_refused_to_bob_and_carol(api_as, alice, bob, carol, campaign):
    phase = services.phase_add(
        actor=alice, campaign=campaign, name="动员", starts_on=D(2024, 3, 1), ends_on=D(2024, 3, 2)
    )
    url = f"{URL}/{campaign.pk}/phases"
    assert api_as(bob).post(url, PHASE).status_code == 403
    assert api_as(bob).delete(f"{url}/{phase.pk}").status_code == 403
    assert api_as(carol).get(url).status_code == 404
    assert api_as(carol).patch(f"{url}/{phase.pk}", {"name": "x"}).status_code == 404
    assert (
        api_as(alice).patch(f"{URL}/{campaign.pk}/phases/999999", {"name": "x"}).status_code == 404
    )
    assert Phase.objects.get().name == "动员"


def test_key_tasks(api_as, alice, bob, campaign):
    api = api_as(alice)
    url = f"{URL}/{campaign.pk}/key-tasks"
    first = api.post(url, {"title": "大走访"}).json()
    second = api.post(url, {"title": "查摆问题", "number": 5})
    assert second.status_code == 201
    assert (first["number"], second.json()["number"]) == (1, 5)
    clash = api.patch(f"{url}/{first['id']}", {"number": 5})
    assert clash.status_code == 422
    assert "number" in clash.json()["detail"]
    assert api_as(bob).delete(f"{url}/{first['id']}").status_code == 403
    assert api_as(alice).delete(f"{url}/{first['id']}").status_code == 204
    assert list(KeyTask.objects.values_list("number", flat=True)) == [5]


def test_leadership_group(api_as, alice, campaign, tree):
    leader = PersonFactory(unit=tree.county, name="李局长")
    stranger = PersonFactory(unit=tree.other_county)
    url = f"{URL}/{campaign.pk}/leadership"
    api = api_as(alice)
    response = api.client.put(
        url,
        [
            {"role": "leader", "person_id": leader.pk, "post": "局长"},
            {"role": "office_director", "name": "赵主任", "post": "办公室主任"},
        ],
        content_type="application/json",
    )
    assert response.status_code == 200
    assert [m["name"] for m in response.json()] == ["李局长", "赵主任"]
    refused = api.client.put(
        url, [{"role": "leader", "person_id": stranger.pk}], content_type="application/json"
    )
    assert refused.status_code == 422
    assert "0.person_id" in refused.json()["detail"]
    assert LeadershipMember.objects.count() == 2


def test_participants(api_as, alice, bob, campaign, tree):
    api = api_as(alice)
    listed = api.get(f"{URL}/{campaign.pk}/participants").json()
    assert {p["unit_id"] for p in listed["items"]} == {tree.hospital.pk, tree.hospital2.pk}
    url = f"{URL}/{campaign.pk}/participants"
    body = {"scope_mode": "list", "unit_ids": [tree.hospital.pk]}
    assert api_as(bob).client.put(url, body, content_type="application/json").status_code == 403
    response = api_as(alice).client.put(url, body, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["participant_count"] == 1


def test_attachments(api_as, alice, carol, campaign, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    api = api_as(alice)
    url = f"{URL}/{campaign.pk}/attachments"
    response = api.client.post(url, {"file": SimpleUploadedFile("方案.pdf", b"%PDF-1.4")})
    assert response.status_code == 201
    assert response.json()["original_name"] == "方案.pdf"
    attachment = Attachment.objects.get()
    file_url = f"{url}/{attachment.pk}/file"
    download = api.get(file_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4"
    assert api_as(carol).get(file_url).status_code == 404
    assert api_as(alice).delete(f"{url}/{attachment.pk}").status_code == 204
    assert not Attachment.objects.exists()
