"""The requirement pages of a campaign: list, create, edit, delete."""

import datetime

import pytest
from django.urls import reverse

from ducha.audit.models import AuditEntry
from ducha.submissions.models import Requirement
from ducha.submissions.tests import factories
from ducha.submissions.tests.factories import RequirementFactory, make_campaign
from ducha.web.tests.orgs_pages import queries_for

campaign, requirement, media = factories.campaign, factories.requirement, factories.media
pytestmark = pytest.mark.usefixtures("media")


def list_url(campaign):
    return reverse("submissions-requirement-list", args=[campaign.pk])


def form_data(**overrides):
    return {
        "kind": "unit_plan",
        "title": "单位实施方案",
        "description": "",
        "due_date": "2012-05-20",
        "due_text": "5月20日前",
        "recurrence": "once",
        "repeat_until": "",
        "receiver": "领导小组办公室",
        "remind_days_before": "3",
        "escalate_days_after": "3",
        **overrides,
    }


def test_it_lists_the_requirements(client, dora, requirement, tree):
    requirement.units.set([tree.hospital])
    client.force_login(dora)
    response = client.get(list_url(requirement.campaign))

    assert response.status_code == 200
    content = response.content.decode()
    assert "总结报告" in content
    assert "东湖区人民医院" in content
    # Dora may submit, not manage.
    assert reverse("submissions-requirement-create", args=[requirement.campaign_id]) not in content
    assert (
        reverse("submissions-submission-create", args=[requirement.campaign_id, requirement.pk])
        in content
    )


def test_it_lists_with_a_fixed_number_of_queries(client, alice, campaign, tree):
    client.force_login(alice)
    RequirementFactory(campaign=campaign).units.set([tree.hospital])
    few = queries_for(client, list_url(campaign))
    for _n in range(6):
        RequirementFactory(campaign=campaign).units.set([tree.hospital, tree.hospital2])
    assert queries_for(client, list_url(campaign)) == few


def test_carol_gets_the_same_404_as_for_a_missing_campaign(client, carol, campaign):
    client.force_login(carol)
    assert client.get(list_url(campaign)).status_code == 404
    assert client.get(reverse("submissions-requirement-list", args=[999999])).status_code == 404
    url = reverse("submissions-requirement-create", args=[campaign.pk])
    assert client.post(url, form_data()).status_code == 404
    assert not Requirement.objects.exists()


def test_it_creates_a_requirement(client, alice, bob, campaign, tree):
    url = reverse("submissions-requirement-create", args=[campaign.pk])
    client.force_login(bob)
    assert client.get(url).status_code == 403
    assert client.post(url, form_data()).status_code == 403
    assert not Requirement.objects.exists()

    client.force_login(alice)
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(units=[tree.hospital.pk]))

    assert response.status_code == 302
    assert response["Location"] == list_url(campaign)
    requirement = Requirement.objects.get()
    assert (requirement.title, requirement.due_date) == ("单位实施方案", datetime.date(2012, 5, 20))
    assert list(requirement.units.all()) == [tree.hospital]
    assert AuditEntry.objects.filter(action="create", object_id=str(requirement.pk)).exists()


def test_it_refuses_a_unit_outside_the_campaign(client, alice, campaign, tree):
    client.force_login(alice)
    url = reverse("submissions-requirement-create", args=[campaign.pk])
    response = client.post(url, form_data(units=[tree.department.pk]))
    assert response.status_code == 400
    assert not Requirement.objects.exists()


def test_it_refuses_a_child_deadline_later_than_the_parents(client, alice, tree, english):
    parent_campaign = make_campaign(tree.city, [tree.county])
    parent = RequirementFactory(campaign=parent_campaign, due_date=datetime.date(2012, 6, 18))
    child = make_campaign(tree.county, [tree.hospital], parent=parent_campaign)
    client.force_login(alice)
    url = reverse("submissions-requirement-create", args=[child.pk])

    response = client.post(url, form_data(parent=parent.pk, due_date="2012-06-25"))

    assert response.status_code == 400
    assert (
        "The due date may not be later than the parent requirement&#x27;s, 2012-06-18."
        in response.content.decode()
    )
    assert not Requirement.objects.filter(campaign=child).exists()
    response = client.post(url, form_data(parent=parent.pk, due_date="2012-06-15"))
    assert response.status_code == 302
    assert Requirement.objects.get(campaign=child).parent == parent


def test_it_edits_a_requirement(client, alice, requirement):
    client.force_login(alice)
    url = reverse("submissions-requirement-update", args=[requirement.campaign_id, requirement.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(title="年度总结报告", due_date="2012-06-20"))

    assert response.status_code == 302
    requirement.refresh_from_db()
    assert (requirement.title, requirement.due_date) == ("年度总结报告", datetime.date(2012, 6, 20))
    entry = AuditEntry.objects.get(action="update", object_id=str(requirement.pk))
    assert entry.before["title"] == "总结报告"


def test_a_requirement_of_another_campaign_is_not_found(client, alice, requirement, tree):
    other = make_campaign(tree.county, [tree.hospital])
    client.force_login(alice)
    url = reverse("submissions-requirement-update", args=[other.pk, requirement.pk])
    assert client.get(url).status_code == 404


def test_it_deletes_a_requirement(client, alice, bob, requirement):
    url = reverse("submissions-requirement-delete", args=[requirement.campaign_id, requirement.pk])
    client.force_login(bob)
    assert client.post(url).status_code == 403
    client.force_login(alice)
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302
    assert not Requirement.objects.exists()
