import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ducha.audit.models import AuditEntry
from ducha.campaigns import services
from ducha.campaigns.models import Campaign
from ducha.orgs.models import OrgUnit
from ducha.orgs.tests.factories import OrgUnitFactory


def _participants(campaign) -> set[int]:
    return set(campaign.participants.values_list("unit_id", flat=True))


def test_it_creates_a_draft_reaching_the_subtree_below_the_issuing_unit(alice, tree):
    OrgUnitFactory(parent=tree.hospital2, is_active=False)  # inactive units are left out
    campaign = services.campaign_create(
        actor=alice,
        unit=tree.county,
        title=" 东湖区作风整顿活动 ",
        theme="转作风、提效能",
        doc_number="东卫发〔2024〕12号",
        issue_date=datetime.date(2024, 2, 20),
        objectives="群众满意度≥80%",
        discipline_rules="不准大吃大喝\n不准收受礼品",
    )
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT
    assert campaign.title == "东湖区作风整顿活动"
    assert campaign.issuer == "东湖区卫生健康局"  # the issuing unit unless named
    assert campaign.created_by == alice
    # Neither the county bureau itself nor its departments (科室) take part.
    assert _participants(campaign) == {tree.hospital.pk, tree.hospital2.pk}
    entry = AuditEntry.objects.get(object_type="campaigns.campaign", object_id=str(campaign.pk))
    assert entry.action == "create"
    assert entry.actor_name == "alice"
    assert entry.unit_path == tree.county.path
    assert entry.after["doc_number"] == "东卫发〔2024〕12号"
    assert sorted(entry.after["participants"]) == sorted([tree.hospital.pk, tree.hospital2.pk])


def test_it_creates_a_campaign_for_chosen_units(alice, tree):
    campaign = services.campaign_create(
        actor=alice,
        unit=tree.county,
        title="试点",
        scope_mode=Campaign.ScopeMode.LIST,
        units=[tree.hospital2],
    )
    assert campaign.scope_mode == Campaign.ScopeMode.LIST
    assert _participants(campaign) == {tree.hospital2.pk}


@pytest.mark.parametrize("chosen", ["other_hospital", "county", "none"])
def test_it_refuses_chosen_units_outside_the_issuing_subtree(alice, tree, chosen):
    units = [] if chosen == "none" else [tree.hospital, getattr(tree, chosen)]
    with pytest.raises(ValidationError) as error:
        services.campaign_create(
            actor=alice,
            unit=tree.county,
            title="试点",
            scope_mode=Campaign.ScopeMode.LIST,
            units=units,
        )
    assert "units" in error.value.message_dict
    assert not Campaign.objects.exists()


def test_it_refuses_those_who_may_not_run_campaigns_at_the_unit(alice, bob, dora, tree):
    for actor, unit in ((bob, tree.county), (dora, tree.hospital), (alice, tree.city)):
        with pytest.raises(PermissionDenied):
            services.campaign_create(actor=actor, unit=unit, title="x")
    assert not Campaign.objects.exists()
    assert not AuditEntry.objects.filter(object_type="campaigns.campaign").exists()


def test_it_refuses_a_campaign_ending_before_it_starts(alice, tree):
    with pytest.raises(ValidationError) as error:
        services.campaign_create(
            actor=alice,
            unit=tree.county,
            title="x",
            starts_on=datetime.date(2024, 5, 1),
            ends_on=datetime.date(2024, 4, 1),
        )
    assert "ends_on" in error.value.message_dict


def test_it_refuses_a_campaign_without_a_title(alice, tree):
    with pytest.raises(ValidationError) as error:
        services.campaign_create(actor=alice, unit=tree.county, title="  ")
    assert "title" in error.value.message_dict


def test_it_updates_a_campaign_with_an_audit_entry(alice, campaign):
    services.campaign_update(actor=alice, campaign=campaign, theme="新主题", status="archived")
    campaign.refresh_from_db()
    assert campaign.theme == "新主题"
    assert campaign.status == Campaign.Status.DRAFT  # status changes only by transitions
    entry = AuditEntry.objects.filter(action="update", object_id=str(campaign.pk)).get()
    assert entry.before == {"theme": ""}
    assert entry.after == {"theme": "新主题"}


def test_it_refuses_campaign_dates_that_leave_a_phase_outside(alice, campaign):
    services.phase_add(
        actor=alice,
        campaign=campaign,
        name="整改",
        starts_on=datetime.date(2024, 5, 1),
        ends_on=datetime.date(2024, 6, 30),
    )
    with pytest.raises(ValidationError) as error:
        services.campaign_update(actor=alice, campaign=campaign, ends_on=datetime.date(2024, 6, 1))
    assert "整改" in error.value.message_dict["ends_on"][0]
    assert Campaign.objects.get(pk=campaign.pk).ends_on == datetime.date(2024, 6, 30)


def test_it_refuses_updates_by_a_bureau_leader(bob, campaign):
    with pytest.raises(PermissionDenied):
        services.campaign_update(actor=bob, campaign=campaign, theme="x")


def test_it_changes_the_scope(alice, campaign, tree):
    services.campaign_set_participants(
        actor=alice, campaign=campaign, scope_mode=Campaign.ScopeMode.LIST, units=[tree.hospital]
    )
    assert _participants(campaign) == {tree.hospital.pk}
    assert Campaign.objects.get(pk=campaign.pk).scope_mode == Campaign.ScopeMode.LIST
    entry = AuditEntry.objects.filter(action="update", object_id=str(campaign.pk)).get()
    assert entry.before["participants"] == sorted([tree.hospital.pk, tree.hospital2.pk])
    assert entry.after["participants"] == [tree.hospital.pk]

    new = OrgUnitFactory(parent=tree.county, kind=OrgUnit.Kind.TOWNSHIP_CENTRE)
    services.campaign_set_participants(
        actor=alice, campaign=campaign, scope_mode=Campaign.ScopeMode.SUBTREE
    )
    assert _participants(campaign) == {tree.hospital.pk, tree.hospital2.pk, new.pk}


def test_it_keeps_a_unit_that_adopted_the_campaign_in_scope(alice, campaign, tree):
    services.phase_add(
        actor=alice,
        campaign=campaign,
        name="动员",
        starts_on=datetime.date(2024, 3, 1),
        ends_on=datetime.date(2024, 3, 31),
    )
    services.campaign_activate(actor=alice, campaign=campaign)
    services.campaign_adopt(actor=alice, parent=campaign, unit=tree.hospital2)
    with pytest.raises(ValidationError) as error:
        services.campaign_set_participants(
            actor=alice,
            campaign=campaign,
            scope_mode=Campaign.ScopeMode.LIST,
            units=[tree.hospital],
        )
    assert "东湖区中医院" in error.value.message_dict["units"][0]
    assert _participants(campaign) == {tree.hospital.pk, tree.hospital2.pk}


def test_an_unchanged_scope_writes_nothing(alice, campaign):
    services.campaign_set_participants(
        actor=alice, campaign=campaign, scope_mode=Campaign.ScopeMode.SUBTREE
    )
    assert not AuditEntry.objects.filter(action="update", object_id=str(campaign.pk)).exists()
