import datetime

import pytest
from django.utils import timezone

from ducha.campaigns import services
from ducha.campaigns.models import Campaign

pytestmark = pytest.mark.e2e

RED = "rgb(179, 18, 27)"  # --red in static/css/ducha.css


def _iso(day: datetime.date) -> str:
    return day.isoformat()


def test_alice_creates_a_campaign_with_two_phases_and_activates_it(
    page, live_server, alice, tree, password, log_in
):
    # The server's today (China Standard Time): one phase is over, the second runs now.
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    log_in(page, "alice", password)

    page.goto("/campaigns/")
    with page.expect_navigation():
        page.click("a[href='/campaigns/new/']")
    page.select_option("#id_unit", str(tree.county.pk))
    page.fill("#id_title", "东湖区作风整顿活动")
    page.fill("#id_doc_number", "东卫发〔2024〕12号")
    page.fill("#id_starts_on", _iso(today - 30 * day))
    page.fill("#id_ends_on", _iso(today + 60 * day))
    with page.expect_navigation():
        page.click("form[data-draft] button[type=submit].primary")
    campaign = Campaign.objects.get()
    assert page.url.startswith(f"{live_server.url}/campaigns/{campaign.pk}/")
    assert "东卫发〔2024〕12号" in page.inner_text("main")

    # Two phases, the plan's wording kept beside the dates; "add another" returns to the form.
    with page.expect_navigation():
        page.click(f"a[href='/campaigns/{campaign.pk}/phases/new/']")
    page.fill("#id_name", "动员部署")
    page.fill("#id_starts_on", _iso(today - 30 * day))
    page.fill("#id_start_text", "月初")
    page.fill("#id_ends_on", _iso(today - day))
    with page.expect_navigation():
        page.click("button[name=another]")
    page.fill("#id_name", "查摆问题")
    page.fill("#id_starts_on", _iso(today))
    page.fill("#id_ends_on", _iso(today + 30 * day))
    page.fill("#id_end_text", "下月中旬")
    with page.expect_navigation():
        page.click("form[data-draft] button[type=submit].primary")
    assert campaign.phases.count() == 2

    with page.expect_navigation():
        page.click("button[data-transition=active]")
    assert page.get_attribute("h1 [data-status]", "data-status") == "active"
    assert Campaign.objects.get().status == Campaign.Status.ACTIVE

    # The timeline: the first phase over, the second current and highlighted, today marked.
    rows = page.locator("[data-timeline] li.phase")
    assert rows.count() == 2
    assert rows.nth(0).get_attribute("data-state") == "past"
    current = rows.nth(1)
    assert current.get_attribute("data-state") == "current"
    assert current.get_attribute("aria-current") == "step"
    assert "查摆问题" in current.inner_text()
    assert "下月中旬" in current.inner_text()
    assert current.evaluate("el => getComputedStyle(el).borderLeftColor") == RED
    assert current.locator(".today-marker").is_visible()
    bar = current.locator(".phase-bar").bounding_box()
    marker = current.locator(".today-marker").bounding_box()
    assert bar["x"] <= marker["x"] <= bar["x"] + bar["width"]


def test_the_timeline_fits_a_phone(phone_page, live_server, alice, tree, password, log_in):
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    campaign = services.campaign_create(actor=alice, unit=tree.county, title="创先争优活动")
    for name, start, end in (
        ("学习动员阶段", today - 40 * day, today - 11 * day),
        ("查摆剖析阶段", today - 10 * day, today + 10 * day),
        ("整改落实阶段", today + 11 * day, today + 50 * day),
    ):
        services.phase_add(actor=alice, campaign=campaign, name=name, starts_on=start, ends_on=end)
    page = phone_page
    log_in(page, "alice", password)
    page.goto(f"/campaigns/{campaign.pk}/")
    assert page.locator("li.phase[data-state=current]").inner_text().startswith("查摆剖析阶段")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
