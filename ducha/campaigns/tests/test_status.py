import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from freezegun import freeze_time

from ducha.audit.models import AuditEntry
from ducha.campaigns import services
from ducha.campaigns.models import Campaign

Status = Campaign.Status


def _status(campaign) -> str:
    return Campaign.objects.get(pk=campaign.pk).status


@freeze_time("2024-03-05 09:00:00+08:00")
def test_it_walks_draft_active_closed_archived(alice, campaign):
    assert not campaign.is_open_for_submissions

    services.campaign_activate(actor=alice, campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.status == Status.ACTIVE
    assert campaign.activated_at == datetime.datetime(2024, 3, 5, 1, tzinfo=datetime.UTC)
    assert campaign.is_open_for_submissions

    services.campaign_close(actor=alice, campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.status == Status.CLOSED
    assert campaign.closed_at is not None
    assert not campaign.is_open_for_submissions

    services.campaign_archive(actor=alice, campaign=campaign)
    assert _status(campaign) == Status.ARCHIVED

    entries = AuditEntry.objects.filter(
        object_type="campaigns.campaign", object_id=str(campaign.pk), action="update"
    ).order_by("seq")
    assert [(e.before["status"], e.after["status"]) for e in entries] == [
        ("draft", "active"),
        ("active", "closed"),
        ("closed", "archived"),
    ]


@pytest.mark.parametrize(
    ("start", "action"),
    [
        (Status.DRAFT, services.campaign_close),
        (Status.DRAFT, services.campaign_archive),
        (Status.ACTIVE, services.campaign_activate),
        (Status.ACTIVE, services.campaign_archive),
        (Status.CLOSED, services.campaign_activate),
        (Status.ARCHIVED, services.campaign_close),
    ],
)
def test_it_refuses_steps_out_of_order(alice, campaign, start, action):
    Campaign.objects.filter(pk=campaign.pk).update(status=start)
    campaign.refresh_from_db()
    with pytest.raises(ValidationError):
        action(actor=alice, campaign=campaign)
    assert _status(campaign) == start


def test_it_never_goes_back_to_draft(alice, campaign):
    services.campaign_activate(actor=alice, campaign=campaign)
    with pytest.raises(ValidationError):
        services.campaign_set_status(actor=alice, campaign=campaign, status=Status.DRAFT)
    assert _status(campaign) == Status.ACTIVE


def test_a_stale_copy_cannot_step_twice(alice, campaign):
    stale = Campaign.objects.get(pk=campaign.pk)
    services.campaign_activate(actor=alice, campaign=campaign)
    with pytest.raises(ValidationError):
        services.campaign_activate(actor=alice, campaign=stale)
    assert AuditEntry.objects.filter(action="update", object_id=str(campaign.pk)).count() == 1


def test_it_needs_a_participant_to_activate(alice, tree, english):
    campaign = services.campaign_create(
        actor=alice,
        unit=tree.county,
        title="x",
        scope_mode=Campaign.ScopeMode.LIST,
        units=[tree.hospital],
    )
    campaign.participants.all().delete()
    with pytest.raises(ValidationError) as error:
        services.campaign_activate(actor=alice, campaign=campaign)
    assert "participating unit" in error.value.messages[0]
    assert _status(campaign) == Status.DRAFT


def test_it_needs_a_title_to_activate(alice, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(title="")
    campaign.refresh_from_db()
    with pytest.raises(ValidationError):
        services.campaign_activate(actor=alice, campaign=campaign)
    assert _status(campaign) == Status.DRAFT


def test_it_refuses_status_changes_by_a_bureau_leader(bob, campaign):
    with pytest.raises(PermissionDenied):
        services.campaign_activate(actor=bob, campaign=campaign)
    with pytest.raises(PermissionDenied):
        services.campaign_set_status(actor=bob, campaign=campaign, status=Status.DRAFT)
    assert _status(campaign) == Status.DRAFT


def test_a_closed_campaign_can_no_longer_be_changed(alice, campaign):
    services.campaign_activate(actor=alice, campaign=campaign)
    services.campaign_close(actor=alice, campaign=campaign)
    with pytest.raises(ValidationError):
        services.campaign_update(actor=alice, campaign=campaign, theme="x")
    with pytest.raises(ValidationError):
        services.phase_add(
            actor=alice,
            campaign=campaign,
            name="补课",
            starts_on=datetime.date(2024, 4, 1),
            ends_on=datetime.date(2024, 4, 2),
        )
    assert Campaign.objects.get(pk=campaign.pk).theme == ""
    assert not campaign.phases.exists()


def test_an_edit_from_a_stale_copy_keeps_the_new_status(alice, campaign):
    stale = Campaign.objects.get(pk=campaign.pk)
    services.campaign_activate(actor=alice, campaign=campaign)
    services.campaign_update(actor=alice, campaign=stale, theme="新主题")
    fresh = Campaign.objects.get(pk=campaign.pk)
    assert (fresh.status, fresh.theme) == (Status.ACTIVE, "新主题")
    assert fresh.activated_at is not None
    entry = AuditEntry.objects.filter(object_id=str(campaign.pk), action="update").first()
    assert entry.after == {"theme": "新主题"}  # the edit records the edit only
