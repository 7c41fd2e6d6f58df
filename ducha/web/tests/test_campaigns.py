"""The campaign pages: list, create, detail, edit, status and adoption."""

import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time

from ducha.audit.models import AuditEntry
from ducha.campaigns import services
from ducha.campaigns.models import Campaign
from ducha.campaigns.tests.factories import (
    PhaseFactory,
    make_city_campaign,
    make_city_office,
    make_county_campaign,
)
from ducha.orgs.tests.factories import OrgUnitFactory

from .orgs_pages import audit_count, queries_for

D = datetime.date


@pytest.fixture
def campaign(alice, tree):
    return make_county_campaign(alice, tree)


@pytest.fixture
def cathy(tree):
    return make_city_office(tree)


def _ids(response, attr="data-campaign-id") -> set[int]:
    content = response.content.decode()
    return {c.pk for c in Campaign.objects.all() if f'{attr}="{c.pk}"' in content}


# --- list ----------------------------------------------------------------------------------


def test_the_list_shows_campaigns_in_scope_only(client, alice, dora, carol, campaign, tree):
    services.campaign_create(actor=alice, unit=tree.county, title="创先争优")
    client.force_login(alice)
    response = client.get(reverse("campaigns-campaign-list"))
    assert response.status_code == 200
    assert len(_ids(response)) == 2
    assert reverse("campaigns-campaign-create") in response.content.decode()

    client.force_login(dora)  # a participating hospital sees them, without a create button
    response = client.get(reverse("campaigns-campaign-list"))
    assert len(_ids(response)) == 2
    assert reverse("campaigns-campaign-create") not in response.content.decode()

    client.force_login(carol)
    assert _ids(client.get(reverse("campaigns-campaign-list"))) == set()


def test_the_list_filters_by_status_and_search(client, alice, campaign, tree):
    other = services.campaign_create(actor=alice, unit=tree.county, title="创先争优")
    services.campaign_activate(actor=alice, campaign=other)
    client.force_login(alice)
    url = reverse("campaigns-campaign-list")
    assert _ids(client.get(url, {"status": "active"})) == {other.pk}
    assert _ids(client.get(url, {"q": "作风"})) == {campaign.pk}
    assert _ids(client.get(url, {"status": "bogus"})) == {other.pk, campaign.pk}


def test_the_list_costs_a_fixed_number_of_queries(client, alice, tree):
    client.force_login(alice)
    url = reverse("campaigns-campaign-list")
    make_county_campaign(alice, tree)
    few = queries_for(client, url)
    for n in range(6):
        c = make_county_campaign(alice, tree, title=f"活动{n}")
        PhaseFactory(campaign=c)
    assert queries_for(client, url) == few


# --- create and edit -----------------------------------------------------------------------


def test_alice_creates_a_campaign(client, alice, tree):
    client.force_login(alice)
    url = reverse("campaigns-campaign-create")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "unit": tree.county.pk,
            "title": "东湖区进村入企大走访活动",
            "doc_number": "东卫发〔2024〕3号",
            "issue_date": "2024-02-20",
            "starts_on": "2024-03-01",
            "ends_on": "2024-06-30",
            "scope_mode": "list",
            "units": [tree.hospital2.pk],
            "discipline_rules": "不准大吃大喝\n不准收受礼品",
            "visit_group_max": 5,
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("campaigns-campaign-detail", args=[campaign.pk]))
    assert campaign.doc_number == "东卫发〔2024〕3号"
    assert campaign.issue_date == D(2024, 2, 20)
    assert list(campaign.participants.values_list("unit_id", flat=True)) == [tree.hospital2.pk]
    assert audit_count("create", Campaign, campaign.pk) == 1


def test_create_offers_only_units_where_one_runs_campaigns(client, alice, tree):
    client.force_login(alice)
    response = client.post(
        reverse("campaigns-campaign-create"),
        {"unit": tree.city.pk, "title": "越权", "scope_mode": "subtree", "visit_group_max": 5},
    )
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not Campaign.objects.exists()


def test_create_shows_the_services_refusal_on_the_field(client, alice, tree):
    client.force_login(alice)
    response = client.post(
        reverse("campaigns-campaign-create"),
        {
            "unit": tree.county.pk,
            "title": "x",
            "starts_on": "2024-05-01",
            "ends_on": "2024-04-01",
            "scope_mode": "subtree",
            "visit_group_max": 5,
        },
    )
    assert response.status_code == 200
    assert "ends_on" in response.context["form"].errors
    assert not Campaign.objects.exists()


def test_create_is_refused_to_those_who_run_no_campaigns(client, bob, dora):
    for user in (bob, dora):
        client.force_login(user)
        assert client.get(reverse("campaigns-campaign-create")).status_code == 403


def test_alice_edits_the_campaign_and_its_scope(client, alice, campaign, tree):
    client.force_login(alice)
    url = reverse("campaigns-campaign-update", args=[campaign.pk])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(
        url,
        {
            "title": campaign.title,
            "theme": "转作风、优服务",
            "starts_on": "2024-03-01",
            "ends_on": "2024-06-30",
            "scope_mode": "list",
            "units": [tree.hospital.pk],
            "visit_group_max": 4,
        },
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.theme == "转作风、优服务"
    assert campaign.visit_group_max == 4
    assert list(campaign.participants.values_list("unit_id", flat=True)) == [tree.hospital.pk]


def test_edit_is_refused_to_a_leader_and_hidden_from_the_other_county(client, bob, carol, campaign):
    url = reverse("campaigns-campaign-update", args=[campaign.pk])
    client.force_login(bob)
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "改"}).status_code == 403
    client.force_login(carol)
    assert client.get(url).status_code == 404
    assert client.get(reverse("campaigns-campaign-update", args=[999999])).status_code == 404
    assert Campaign.objects.get(pk=campaign.pk).title == "东湖区作风整顿活动"


# --- detail --------------------------------------------------------------------------------


@freeze_time("2024-04-10 09:00:00+08:00")
def test_the_detail_shows_header_timeline_and_manager_buttons(client, alice, bob, campaign):
    services.phase_add(
        actor=alice,
        campaign=campaign,
        name="动员部署",
        starts_on=D(2024, 3, 1),
        ends_on=D(2024, 3, 31),
        start_text="3月初",
        end_text="3月底",
    )
    current = services.phase_add(
        actor=alice,
        campaign=campaign,
        name="查摆问题",
        starts_on=D(2024, 4, 1),
        ends_on=D(2024, 5, 31),
    )
    services.key_task_add(actor=alice, campaign=campaign, title="开展大走访")
    services.campaign_update(actor=alice, campaign=campaign, discipline_rules="不准收受礼品")
    url = reverse("campaigns-campaign-detail", args=[campaign.pk])

    client.force_login(alice)
    content = client.get(url).content.decode()
    assert "东卫发〔2024〕12号" in content
    assert f'data-phase-id="{current.pk}" data-state="current" aria-current="step"' in content
    assert 'data-state="past"' in content
    assert "（3月初—3月底）" in content
    assert "today-marker" in content
    assert "开展大走访" in content and "不准收受礼品" in content
    assert 'data-transition="active"' in content
    assert reverse("campaigns-campaign-update", args=[campaign.pk]) in content

    client.force_login(bob)  # sees it all, changes nothing
    content = client.get(url).content.decode()
    assert 'data-state="current"' in content
    assert "data-transition" not in content
    assert reverse("campaigns-campaign-update", args=[campaign.pk]) not in content


def test_the_detail_is_hidden_from_the_other_county(client, carol, campaign):
    client.force_login(carol)
    refused = client.get(reverse("campaigns-campaign-detail", args=[campaign.pk]))
    missing = client.get(reverse("campaigns-campaign-detail", args=[999999]))
    assert refused.status_code == missing.status_code == 404


# --- status --------------------------------------------------------------------------------


def test_alice_activates_closes_and_archives(client, alice, campaign):
    client.force_login(alice)
    url = reverse("campaigns-campaign-status", args=[campaign.pk])
    for status in ("active", "closed", "archived"):
        response = client.post(url, {"status": status})
        assert response.status_code == 302
        assert Campaign.objects.get(pk=campaign.pk).status == status
    assert audit_count("update", Campaign, campaign.pk) == 3


def test_a_refused_transition_is_a_message(client, alice, campaign, english):
    client.force_login(alice)
    url = reverse("campaigns-campaign-status", args=[campaign.pk])
    response = client.post(url, {"status": "closed"}, follow=True)
    assert "cannot become" in response.content.decode()
    assert Campaign.objects.get(pk=campaign.pk).status == "draft"
    assert client.get(url).status_code == 405


def test_status_is_refused_to_a_leader_and_the_other_county(client, bob, carol, campaign):
    url = reverse("campaigns-campaign-status", args=[campaign.pk])
    client.force_login(bob)
    assert client.post(url, {"status": "active"}).status_code == 403
    client.force_login(carol)
    assert client.post(url, {"status": "active"}).status_code == 404
    assert Campaign.objects.get(pk=campaign.pk).status == "draft"


# --- cascade -------------------------------------------------------------------------------


@freeze_time("2024-03-10 09:00:00+08:00")
def test_the_county_adopts_the_city_campaign_and_the_city_sees_it(client, alice, cathy, dora, tree):
    city = make_city_campaign(cathy, tree)
    url = reverse("campaigns-campaign-detail", args=[city.pk])
    client.force_login(alice)
    page = client.get(url).content.decode()
    assert f'data-adopt="{tree.county.pk}"' in page
    # Alice's county takes part; the other county's units are not hers to see.
    assert f'data-participant="{tree.hospital.pk}"' in page
    assert f'data-participant="{tree.other_county.pk}"' not in page
    assert 'data-count="adopted"' not in page  # the roll-up belongs to the city

    response = client.post(
        reverse("campaigns-campaign-adopt", args=[city.pk]), {"unit": tree.county.pk}
    )
    child = Campaign.objects.get(parent=city)
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns-campaign-detail", args=[child.pk])
    assert child.unit == tree.county
    assert child.phases.count() == 2
    # Asking again changes nothing.
    client.post(reverse("campaigns-campaign-adopt", args=[city.pk]), {"unit": tree.county.pk})
    assert Campaign.objects.filter(parent=city).count() == 1

    client.force_login(cathy)
    page = client.get(url).content.decode()
    assert f'data-child-campaign="{child.pk}"' in page
    assert "1 / 5" in page  # one of five participants adopted
    assert f'data-participant="{tree.other_county.pk}"' in page

    services.campaign_activate(actor=alice, campaign=child)
    hospital = services.campaign_adopt(actor=alice, parent=child, unit=tree.hospital)
    hospital2 = services.campaign_adopt(actor=alice, parent=child, unit=tree.hospital2)
    page = client.get(url).content.decode()
    assert {f'data-child-campaign="{c.pk}"' in page for c in (child, hospital, hospital2)} == {True}

    client.force_login(dora)  # the hospital sees its own branch, not its sibling's
    page = client.get(url).content.decode()
    assert f'data-child-campaign="{hospital.pk}"' in page
    assert f'data-child-campaign="{hospital2.pk}"' not in page


def test_adoption_is_refused_outside_ones_units(client, alice, bob, cathy, carol, tree):
    city = make_city_campaign(cathy, tree)
    url = reverse("campaigns-campaign-adopt", args=[city.pk])
    client.force_login(bob)
    assert client.post(url, {"unit": tree.county.pk}).status_code == 403
    client.force_login(alice)
    assert client.post(url, {"unit": tree.other_county.pk}).status_code == 403
    county_campaign = make_county_campaign(alice, tree)
    client.force_login(carol)
    assert (
        client.post(
            reverse("campaigns-campaign-adopt", args=[county_campaign.pk]),
            {"unit": tree.other_hospital.pk},
        ).status_code
        == 404
    )
    assert not Campaign.objects.filter(parent__isnull=False).exists()
    refused = AuditEntry.objects.filter(
        object_type="campaigns.campaign", actor_name__in=["bob", "carol"]
    )
    assert not refused.exists()


def test_the_detail_costs_the_same_queries_for_a_bigger_cascade(client, alice, cathy, tree):
    city = make_city_campaign(cathy, tree)
    county = services.campaign_adopt(actor=alice, parent=city, unit=tree.county)
    services.campaign_activate(actor=alice, campaign=county)
    services.campaign_adopt(actor=alice, parent=county, unit=tree.hospital)
    client.force_login(cathy)
    url = reverse("campaigns-campaign-detail", args=[city.pk])
    few = queries_for(client, url)

    services.campaign_adopt(actor=alice, parent=county, unit=tree.hospital2)
    services.campaign_adopt(actor=cathy, parent=city, unit=tree.other_county)
    for _ in range(4):
        OrgUnitFactory(parent=tree.other_county)
    services.campaign_set_participants(actor=cathy, campaign=city, scope_mode="subtree")
    services.key_task_add(actor=cathy, campaign=city, title="大走访")
    assert queries_for(client, url) == few
