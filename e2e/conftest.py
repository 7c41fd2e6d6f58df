"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

One browser per session (starting Chromium is the slow part); a fresh context, so fresh
cookies and storage, per test. Tests run on a transactional database (`live_server`), so test
code and the server thread see the same rows. A failing test leaves a screenshot in
e2e/artifacts/ (ignored by git).
"""

import os
import re
from pathlib import Path

# Playwright's sync API runs an event loop in this thread; Django would refuse database
# access from it, though the calls are synchronous and the server runs in its own thread.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import contextlib

import pytest  # noqa: E402
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, sync_playwright  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
ARTIFACTS = Path(__file__).parent / "artifacts"
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Hashing cost is not under test here; the lockout test alone hashes a dozen passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.e2e_failed = report.failed
    return report


@pytest.fixture
def new_page(browser, live_server, request):
    """new_page(viewport=..., locale=..., **context options) → a page in a fresh context.

    The browser asks for Chinese (zh-CN) unless told otherwise, as our users' browsers do.
    """
    contexts = []

    def make(**options) -> Page:
        options = {"viewport": DESKTOP, "locale": "zh-CN", "base_url": live_server.url, **options}
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    if getattr(request.node, "e2e_failed", False):
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        for n, context in enumerate(contexts):
            for m, page in enumerate(context.pages):
                page.screenshot(path=str(ARTIFACTS / f"{name}-{n}-{m}.png"), full_page=True)
    for context in contexts:
        # Let requests the page started by itself (htmx loads, the bell's count) finish first:
        # one still running on the server when the database is emptied deadlocks PostgreSQL.
        for open_page in context.pages:
            with contextlib.suppress(PlaywrightError):
                open_page.wait_for_load_state("networkidle", timeout=5_000)
        context.close()


@pytest.fixture
def page(new_page) -> Page:
    """A desktop page (1280×800)."""
    return new_page()


@pytest.fixture
def phone_page(new_page) -> Page:
    """A phone-sized touch page (390×844)."""
    return new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)


@pytest.fixture
def log_in():
    """log_in(page, username, password): fill in the login form and submit it."""

    def submit(page: Page, username: str, password: str, *, go: bool = True) -> None:
        if go:
            page.goto("/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.click("form[action='/login/'] button[type=submit]")

    return submit


@pytest.fixture
def to_english():
    """to_english(page): press the language switch until the page is in English."""

    def switch(page: Page) -> None:
        if page.get_attribute("html", "lang") != "en":
            with page.expect_navigation():
                page.click(".lang-switch button[name=language]")
        assert page.get_attribute("html", "lang") == "en"

    return switch


@pytest.fixture(autouse=True)
def _builtin_data(live_server):
    """Browser tests run on a database that is emptied between tests, which also drops the
    rows our data migrations ship (problem categories, visit checklists); put them back."""
    from importlib import import_module

    from django.apps import apps

    for module in (
        "ducha.problems.migrations.0002_builtin_categories",
        "ducha.visits.migrations.0004_builtin_checklists",
    ):
        import_module(module).add_builtins(apps, None)
