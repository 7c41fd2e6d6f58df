"""The editing pages of a campaign: phases, key tasks, leadership group, attachments."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ducha.campaigns import services
from ducha.campaigns.models import Attachment, KeyTask, LeadershipMember, Phase
from ducha.campaigns.tests.factories import (
    make_city_campaign,
    make_city_office,
    make_county_campaign,
)
from ducha.orgs.tests.factories import PersonFactory

from .orgs_pages import audit_count

D = datetime.date


@pytest.fixture
def campaign(alice, tree):
    return make_county_campaign(alice, tree)


@pytest.fixture
def phase(alice, campaign):
    return services.phase_add(
        actor=alice,
        campaign=campaign,
        name="动员部署",
        starts_on=D(2024, 3, 1),
        ends_on=D(2024, 3, 31),
    )


PHASE = {
    "name": "查摆问题",
    "starts_on": "2024-04-01",
    "start_text": "4月初",
    "ends_on": "2024-05-20",
    "end_text": "5月中旬",
    "tasks": "征求意见",
}


# --- phases --------------------------------------------------------------------------------


def test_alice_adds_a_phase_with_its_wording(client, alice, campaign):
    client.force_login(alice)
    url = reverse("campaigns-phase-create", args=[campaign.pk])
    page = client.get(url).content.decode()
    assert 'type="date"' in page
    response = client.post(url, {**PHASE, "another": "1"})
    assert response.status_code == 302
    assert response["Location"].startswith(url)  # "add another" comes back to the form
    phase = Phase.objects.get()
    assert (phase.start_text, phase.end_text, phase.order) == ("4月初", "5月中旬", 1)
    assert audit_count("create", Phase, phase.pk) == 1


def test_a_phase_ending_before_it_starts_is_shown_on_the_form(client, alice, campaign, english):
    client.force_login(alice)
    response = client.post(
        reverse("campaigns-phase-create", args=[campaign.pk]), {**PHASE, "ends_on": "2024-03-20"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["ends_on"] == ["The phase ends before it starts."]
    response = client.post(
        reverse("campaigns-phase-create", args=[campaign.pk]), {**PHASE, "ends_on": "2024-07-20"}
    )
    assert "2024-06-30" in response.context["form"].errors["ends_on"][0]
    assert not Phase.objects.exists()


def test_alice_edits_and_removes_a_phase(client, alice, campaign, phase):
    client.force_login(alice)
    url = reverse("campaigns-phase-update", args=[campaign.pk, phase.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {**PHASE, "name": "动员部署", "order": 1})
    assert response.status_code == 302
    phase.refresh_from_db()
    assert phase.ends_on == D(2024, 5, 20)
    delete = reverse("campaigns-phase-delete", args=[campaign.pk, phase.pk])
    assert client.get(delete).status_code == 200
    assert client.post(delete).status_code == 302
    assert not Phase.objects.exists()


def test_an_adopted_phase_can_be_tightened_but_not_loosened(client, alice, tree, english):
    city = make_city_campaign(make_city_office(tree), tree)
    child = services.campaign_adopt(actor=alice, parent=city, unit=tree.county)
    phase = child.phases.get(name="查摆问题")
    client.force_login(alice)
    url = reverse("campaigns-phase-update", args=[child.pk, phase.pk])
    assert "2024-05-20" in client.get(url).content.decode()
    data = {
        "name": phase.name,
        "order": phase.order,
        "starts_on": "2024-04-01",
        "ends_on": "2024-05-25",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "2024-05-20" in response.context["form"].errors["ends_on"][0]
    assert client.post(url, {**data, "ends_on": "2024-05-15"}).status_code == 302
    assert Phase.objects.get(pk=phase.pk).ends_on == D(2024, 5, 15)
    # An inherited phase is not removed.
    delete = reverse("campaigns-phase-delete", args=[child.pk, phase.pk])
    assert client.post(delete).status_code == 409
    assert Phase.objects.filter(pk=phase.pk).exists()


def test_phase_pages_are_refused_to_a_leader_and_hidden_from_carol(
    client, bob, carol, campaign, phase
):
    urls = [
        reverse("campaigns-phase-create", args=[campaign.pk]),
        reverse("campaigns-phase-update", args=[campaign.pk, phase.pk]),
        reverse("campaigns-phase-delete", args=[campaign.pk, phase.pk]),
    ]
    client.force_login(bob)
    assert [client.post(u, PHASE).status_code for u in urls] == [403, 403, 403]
    client.force_login(carol)
    assert [client.post(u, PHASE).status_code for u in urls] == [404, 404, 404]
    assert list(Phase.objects.values_list("name", flat=True)) == ["动员部署"]


def test_a_phase_of_another_campaign_is_not_found(client, alice, tree, campaign, phase):
    other = make_county_campaign(alice, tree, title="另一个")
    client.force_login(alice)
    assert (
        client.get(reverse("campaigns-phase-update", args=[other.pk, phase.pk])).status_code == 404
    )


# --- key tasks -----------------------------------------------------------------------------


def test_alice_adds_edits_and_removes_key_tasks(client, alice, bob, campaign):
    client.force_login(alice)
    create = reverse("campaigns-key-task-create", args=[campaign.pk])
    assert (
        client.post(create, {"title": "开展大走访", "text": "每名干部至少2次"}).status_code == 302
    )
    task = KeyTask.objects.get()
    assert task.number == 1
    update = reverse("campaigns-key-task-update", args=[campaign.pk, task.pk])
    assert client.post(update, {"number": 3, "title": "开展进村入企大走访"}).status_code == 302
    task.refresh_from_db()
    assert (task.number, task.title) == (3, "开展进村入企大走访")
    delete = reverse("campaigns-key-task-delete", args=[campaign.pk, task.pk])
    client.force_login(bob)
    assert client.post(delete).status_code == 403
    client.force_login(alice)
    assert client.post(delete).status_code == 302
    assert not KeyTask.objects.exists()


# --- leadership group ----------------------------------------------------------------------


def _formset(rows, prefix="members"):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "100",
    }
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{n}-{key}"] = value
    return data


def test_alice_sets_the_leadership_group(
    client, alice, campaign, tree, django_assert_max_num_queries
):
    leader = PersonFactory(unit=tree.county, name="李局长")
    PersonFactory.create_batch(10, unit=tree.hospital)
    client.force_login(alice)
    url = reverse("campaigns-leadership-update", args=[campaign.pk])
    with django_assert_max_num_queries(15):  # the people list is read once, not per row
        assert client.get(url).status_code == 200
    rows = [
        {"role": "leader", "person": leader.pk, "name": "", "post": "局长"},
        {"role": "office_director", "name": "赵主任", "post": "办公室主任"},
        {"role": "", "name": "", "post": ""},  # an empty row is ignored
    ]
    response = client.post(url, _formset(rows))
    assert response.status_code == 302
    members = list(campaign.leadership.values_list("role", "name", "person_id"))
    assert members == [("leader", "李局长", leader.pk), ("office_director", "赵主任", None)]

    page = client.get(reverse("campaigns-campaign-detail", args=[campaign.pk])).content.decode()
    assert 'data-member-role="office_director"' in page


def test_the_leadership_form_refuses_a_person_of_the_other_county(client, alice, campaign, tree):
    stranger = PersonFactory(unit=tree.other_county)
    client.force_login(alice)
    url = reverse("campaigns-leadership-update", args=[campaign.pk])
    response = client.post(url, _formset([{"role": "leader", "person": stranger.pk}]))
    assert response.status_code == 200
    assert not LeadershipMember.objects.exists()
    response = client.post(url, _formset([{"role": "", "name": "无角色"}]))
    assert response.status_code == 200
    assert not LeadershipMember.objects.exists()


# --- attachments ---------------------------------------------------------------------------


def test_alice_attaches_downloads_and_removes_a_file(
    client, alice, carol, campaign, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(alice)
    upload = SimpleUploadedFile("实施方案.docx", b"plan text")
    response = client.post(
        reverse("campaigns-attachment-create", args=[campaign.pk]), {"file": upload}
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    download = reverse("campaigns-attachment-download", args=[campaign.pk, attachment.pk])
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"plan text"
    assert "attachment" in response["Content-Disposition"]
    assert "%E5%AE%9E%E6%96%BD%E6%96%B9%E6%A1%88.docx" in response["Content-Disposition"]

    client.force_login(carol)
    assert client.get(download).status_code == 404

    client.force_login(alice)
    delete = reverse("campaigns-attachment-delete", args=[campaign.pk, attachment.pk])
    assert client.post(delete).status_code == 302
    assert not Attachment.objects.exists()


def test_an_empty_upload_is_refused(client, alice, campaign):
    client.force_login(alice)
    response = client.post(reverse("campaigns-attachment-create", args=[campaign.pk]), {})
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
