"""The bell: Dora sees her unread reminder counted, opens it from the list, and the count goes."""

import re

import pytest
from playwright.sync_api import expect

from ducha.notify.models import Notification

pytestmark = pytest.mark.e2e


def test_dora_opens_her_reminder_from_the_bell(page, live_server, dora, password, log_in):
    reminder = Notification.objects.create(
        user=dora,
        kind=Notification.Kind.REMINDER,
        title="提醒：“总结报告”将于2026-06-18到期",
        body="东湖区人民医院尚未报送“总结报告”。",
        url="/units/",
        key="reminder:before:1:1:2026-06-18",
    )
    log_in(page, "dora", password)

    count = page.locator("[data-bell-count]")
    expect(count).to_have_text("1")

    with page.expect_navigation():
        page.click("a[data-bell]")
    assert page.url == f"{live_server.url}/notifications/"
    item = page.locator(f"li[data-notification-id='{reminder.pk}']")
    expect(item).to_contain_text("总结报告")

    with (
        page.expect_response("**/notifications/count/") as polled,
        page.expect_navigation(),
    ):
        item.locator("button[data-open]").click()
    # It led to the page it is about, and is read now: the bell, asked again, shows no count.
    assert page.url == f"{live_server.url}/units/"
    reminder.refresh_from_db()
    assert reminder.read_at is not None
    assert polled.value.ok
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-bell-count]").inner_html() == ""

    page.goto("/notifications/")
    expect(page.locator(f"li[data-notification-id='{reminder.pk}']")).not_to_have_class(
        re.compile(r"\bis-unread\b")
    )
