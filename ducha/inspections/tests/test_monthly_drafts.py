"""The monthly background run that drafts last month's bulletin of every active campaign."""

import io

import pytest
from django.core.management import CommandError, call_command
from freezegun import freeze_time

from ducha.audit.models import AuditEntry
from ducha.campaigns.models import Campaign
from ducha.campaigns.tests.factories import make_county_campaign
from ducha.inspections import services
from ducha.inspections.models import Bulletin
from ducha.inspections.tasks import bulletin_drafts_task
from ducha.notify.models import Notification

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def active(alice, tree):
    campaign = make_county_campaign(alice, tree)
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.ACTIVE)
    campaign.refresh_from_db()
    return campaign


def run(day: str) -> dict:
    with freeze_time(f"{day} 01:00:00"):
        return bulletin_drafts_task.enqueue().return_value


def test_it_drafts_last_months_bulletin_once_and_tells_the_office(
    settings, alice, bob, dora, tree, active
):
    settings.TASKS = IMMEDIATE

    assert run("2024-04-02") == {"period": "2024-03", "drafted": 1}
    assert run("2024-04-03") == {"period": "2024-03", "drafted": 0}

    bulletin = Bulletin.objects.get()
    assert (bulletin.campaign, bulletin.period, bulletin.status) == (
        active,
        "2024-03",
        Bulletin.Status.DRAFT,
    )
    # Written in the site's language, from what the office itself would read.
    assert bulletin.title == "2024年3月专项活动情况通报"
    assert bulletin.body == services.bulletin_text(campaign=active, period="2024-03", user=alice)
    entry = AuditEntry.objects.get(object_type="inspections.bulletin", object_id=str(bulletin.pk))
    assert (entry.action, entry.actor_id) == ("create", None)
    # The campaign office is told once; the leader and the hospital are not.
    notices = Notification.objects.all()
    assert [n.user for n in notices] == [alice]
    assert "2024-03" in notices[0].title
    assert notices[0].url == f"/bulletins/{bulletin.pk}/"


def test_it_leaves_campaigns_that_have_a_bulletin_for_the_month(settings, alice, active):
    settings.TASKS = IMMEDIATE
    issued = services.bulletin_draft(actor=alice, campaign=active, period="2024-03")
    services.bulletin_update(
        actor=alice, bulletin=issued, title="三月通报", body="正文", doc_prefix="东卫通"
    )
    services.bulletin_issue(actor=alice, bulletin=issued)
    before = Bulletin.objects.values().get(pk=issued.pk)

    assert run("2024-04-01")["drafted"] == 0

    assert Bulletin.objects.count() == 1
    assert Bulletin.objects.values().get(pk=issued.pk) == before
    assert not Notification.objects.exists()


def test_it_drafts_only_on_the_first_days_and_for_running_campaigns(settings, alice, tree, active):
    settings.TASKS = IMMEDIATE
    draft = make_county_campaign(alice, tree, title="草稿活动")
    later = make_county_campaign(alice, tree, title="五月起的活动")
    Campaign.objects.filter(pk=later.pk).update(
        status=Campaign.Status.ACTIVE, starts_on="2024-05-01"
    )

    assert run("2024-04-06")["drafted"] == 0  # too late in the month
    assert not Bulletin.objects.exists()
    assert run("2024-04-05")["drafted"] == 1
    assert list(Bulletin.objects.values_list("campaign", flat=True)) == [active.pk]
    assert not Bulletin.objects.filter(campaign__in=[draft, later]).exists()


def test_a_january_run_drafts_december(settings, alice, tree):
    settings.TASKS = IMMEDIATE
    campaign = make_county_campaign(alice, tree, ends_on=None)
    Campaign.objects.filter(pk=campaign.pk).update(
        status=Campaign.Status.ACTIVE, starts_on="2024-11-01"
    )
    assert run("2025-01-01") == {"period": "2024-12", "drafted": 1}
    assert Bulletin.objects.get().period == "2024-12"


def test_the_command_runs_it_for_cron(alice, active):
    out = io.StringIO()
    call_command("draft_bulletins", "--today", "2024-04-01", stdout=out)
    assert out.getvalue().strip() == "period=2024-03 drafted=1"
    call_command("draft_bulletins", "--today", "2024-04-01", stdout=out)
    assert Bulletin.objects.count() == 1
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("draft_bulletins", "--today", "1/4/2024")


def test_the_scheduler_queues_it(settings):
    assert "ducha.inspections.tasks.bulletin_drafts_task" in settings.PERIODIC_TASKS
