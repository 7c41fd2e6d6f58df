"""Visits in a browser: logging a visit one-handed on a phone, with the draft kept through a
reload and a lost connection, and the quota dashboard with who is behind."""

import datetime
import importlib

import pytest
from django.apps import apps

from ducha.visits.models import Quota, Visit
from ducha.visits.selectors import today as today_cst
from ducha.visits.tests.factories import make_campaign, make_visit

pytestmark = pytest.mark.e2e

PHONE_WIDTH = 390


@pytest.fixture
def campaign(tree):
    """Dates around today (the live server's clock can't be frozen), and the built-in
    checklists, which a transactional test database loses between tests."""
    importlib.import_module("ducha.visits.migrations.0004_builtin_checklists").add_builtins(
        apps, None
    )
    today = today_cst()
    day = datetime.timedelta(days=1)
    return make_campaign(tree, starts_on=today - 30 * day, ends_on=today + 30 * day)


def test_a_visit_is_logged_one_handed_on_a_phone_and_survives_a_lost_connection(
    phone_page, live_server, tree, campaign, sam, village, household, password, log_in
):
    page = phone_page
    log_in(page, "sam", password)
    page.goto(f"/visits/new/?campaign={campaign.pk}")

    # One column that fits the phone; the save button stays in reach at the bottom.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    button = page.locator(".sticky-submit button")
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= PHONE_WIDTH * 0.8
    assert box["y"] + box["height"] <= 844
    # Touch targets: each checkbox row is at least 44 px high.
    assert page.locator("#places-list label.check").first.bounding_box()["height"] >= 44

    page.locator(f"#places-list input[value='{village.pk}']").check()
    page.locator(f"#places-list input[value='{household.pk}']").check()
    template = page.locator("select[name=checklist]").input_value()
    page.locator(f"[data-checklist='{template}'] input[type=checkbox]").first.check()
    page.fill("textarea[name=notes]", "入户走访王大明户，了解就医情况。")
    token = page.input_value("input[name=client_token]")

    # A reload (or a browser killed in a pocket) keeps what was typed, and the same token.
    page.reload()
    assert page.input_value("textarea[name=notes]") == "入户走访王大明户，了解就医情况。"
    assert page.locator(f"#places-list input[value='{household.pk}']").is_checked()
    assert page.locator("[data-draft-note]").is_visible()
    assert page.input_value("input[name=client_token]") == token

    # Saving while the connection is down fails in the browser; nothing reaches the server.
    page.locator("input[name=discipline_affirmed]").check()
    page.context.set_offline(True)
    # The browser reports a network error.
    with pytest.raises(Exception), page.expect_navigation(timeout=3000):  # noqa: B017
        button.click()
    page.context.set_offline(False)
    assert Visit.objects.count() == 0

    page.goto(f"/visits/new/?campaign={campaign.pk}")
    assert page.input_value("textarea[name=notes]") == "入户走访王大明户，了解就医情况。"
    assert page.locator("input[name=discipline_affirmed]").is_checked()
    with page.expect_navigation():
        page.locator(".sticky-submit button").click()
    assert "/visits/" in page.url and "saved=" in page.url
    visit = Visit.objects.get()
    assert visit.client_token == token
    assert {p.pk for p in visit.places.all()} == {village.pk, household.pk}
    assert list(visit.visitors.all()) == [sam.person]

    # The saved draft and its token are gone: the next visit starts empty.
    page.goto(f"/visits/new/?campaign={campaign.pk}")
    assert page.input_value("textarea[name=notes]") == ""
    assert page.input_value("input[name=client_token]") != token


def test_a_visit_group_larger_than_the_plan_allows_is_flagged_before_sending(
    phone_page, live_server, tree, campaign, sam, village, password, log_in
):
    from ducha.orgs.models import Role
    from ducha.orgs.tests.factories import make_member

    for n in range(5):
        make_member(f"staff{n}", tree.hospital, Role.STAFF, name=f"职工{n}")
    page = phone_page
    log_in(page, "sam", password)
    page.goto(f"/visits/new/?campaign={campaign.pk}")
    boxes = page.locator("#visitors-list input[type=checkbox]")
    for n in range(boxes.count()):
        boxes.nth(n).check()
    assert page.inner_text("[data-group-count]") == "6 / 5"
    page.locator(f"#places-list input[value='{village.pk}']").check()
    page.locator("input[name=discipline_affirmed]").check()
    with page.expect_navigation():
        page.locator(".sticky-submit button").click()
    assert "6" in page.inner_text(".visit-form") and Visit.objects.count() == 0


def test_the_quota_dashboard_shows_who_is_behind(
    page, live_server, tree, campaign, alice, sam, dora, village, password, log_in, to_english
):
    Quota.objects.create(
        campaign=campaign,
        activity=Quota.Activity.VISIT_VILLAGE,
        comparator=">=",
        number=2,
        subject=Quota.Subject.PERSON,
        period=Quota.Period.CAMPAIGN,
        text="每年不少于2次深入到各联系村",
    )
    today = today_cst()
    make_visit(campaign, tree.hospital, today, [sam.person, dora.person], [village])
    make_visit(campaign, tree.hospital, today, [sam.person], [village])
    log_in(page, "alice", password)
    to_english(page)
    page.goto(f"/visits/dashboard/?campaign={campaign.pk}")

    cards = page.locator(".quota-cards .stat")
    assert cards.count() == 1 and "50%" in cards.first.inner_text()
    units = page.locator("table.unit-attainment")
    assert "东湖区人民医院" in units.inner_text()
    people = page.locator("table.people-attainment tbody tr")
    assert people.count() == 2
    # Those behind come first and are marked.
    assert "多拉" in people.first.inner_text()
    assert "behind" in people.first.inner_text()

    page.check("input[name=behind]")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert page.locator("table.people-attainment tbody tr").count() == 1
    assert "山姆" not in page.locator("table.people-attainment").inner_text()

    # A unit's row narrows the page to its subtree.
    with page.expect_navigation():
        page.click(f"tr[data-unit-id='{tree.hospital.pk}'] a")
    assert f"unit={tree.hospital.pk}" in page.url
