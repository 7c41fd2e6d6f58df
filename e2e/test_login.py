import datetime

import pytest
from axes.models import AccessAttempt

from ducha.audit.models import AuditEntry

pytestmark = pytest.mark.e2e


def test_it_logs_in_and_shows_the_home_page(page, live_server, alice, password, log_in):
    log_in(page, "alice", password)

    assert page.url == f"{live_server.url}/"
    assert "艾丽" in page.inner_text("h1")
    # The signed-in navigation and the user's role at the county bureau are on the page.
    assert page.locator("#mainnav a[href='/units/']").count() == 1
    assert page.locator("#mainnav form[action='/logout/']").count() == 1
    assert "东湖区卫生健康局" in page.inner_text("main")


def test_a_wrong_password_shows_an_error(page, live_server, alice, password, log_in):
    log_in(page, "alice", password + "-wrong")

    assert page.url == f"{live_server.url}/login/"
    assert page.locator("form .errors[role=alert]").is_visible()
    assert page.input_value("#id_username") == "alice"
    # Not logged in: the home page still sends us to the login page.
    page.goto("/")
    assert page.url.startswith(f"{live_server.url}/login/?next=")


def test_five_wrong_passwords_lock_the_account_until_the_cooloff_passes(
    page, live_server, alice, password, log_in, settings
):
    page.goto("/login/")
    for attempt in range(1, settings.AXES_FAILURE_LIMIT):
        log_in(page, "alice", f"Wrong-guess-{attempt}", go=False)
        assert page.locator("form .errors[role=alert]").is_visible(), attempt

    with page.expect_response(
        lambda r: r.url.endswith("/login/") and r.request.method == "POST"
    ) as locked:
        log_in(page, "alice", "Wrong-guess-5", go=False)

    assert locked.value.status == 429
    assert page.locator("section[role=alert] a[href='/login/']").is_visible()
    assert AccessAttempt.objects.get(username="alice").failures_since_start == 5
    assert AuditEntry.objects.filter(action="lockout", object_repr="alice").exists()

    # Even the right password is refused while the account is locked.
    with page.expect_response(
        lambda r: r.url.endswith("/login/") and r.request.method == "POST"
    ) as again:
        log_in(page, "alice", password)
    assert again.value.status == 429
    page.goto("/")
    assert page.url.startswith(f"{live_server.url}/login/")

    # Once the cool-off has passed, the right password works again.
    AccessAttempt.objects.filter(username="alice").update(
        attempt_time=datetime.datetime.now(datetime.UTC)
        - datetime.timedelta(minutes=settings.AXES_COOLOFF_TIME * 60 + 1)
    )
    log_in(page, "alice", password)
    assert page.url == f"{live_server.url}/"


def test_on_a_phone_the_menu_opens_with_a_tap(phone_page, live_server, alice, password, log_in):
    log_in(phone_page, "alice", password)

    assert phone_page.url == f"{live_server.url}/"
    nav = phone_page.locator("#mainnav")
    toggle = phone_page.locator("button.menu-toggle")
    assert toggle.is_visible() and not nav.is_visible()
    toggle.tap()
    assert nav.is_visible()
    assert toggle.get_attribute("aria-expanded") == "true"
    # Nothing is wider than the phone's screen.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
