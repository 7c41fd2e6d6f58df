"""Alice imports the district plan: pastes it, reviews the draft beside the document, fills in
what the plan leaves open, and lands on the new campaign."""

import pytest

from ducha.campaigns.models import Campaign
from ducha.orgs.tests.factories import PersonFactory
from ducha.plans.tests.samples import seed_text

pytestmark = pytest.mark.e2e

TITLE = "黄岩区卫生系统“进村入企大走访、比学赶创促发展”活动实施意见"


def test_alice_pastes_the_seed_plan_reviews_it_and_creates_the_campaign(
    page, live_server, alice, tree, password, log_in
):
    # Two of the plan's leaders work at Alice's county bureau.
    jiang = PersonFactory(name="蒋海峰", unit=tree.county)
    PersonFactory(name="黄洪", unit=tree.county)
    log_in(page, "alice", password)

    page.goto("/campaigns/")
    with page.expect_navigation():
        page.click("a[href='/plans/import/']")
    page.fill("#id_text", seed_text())
    with page.expect_navigation():
        page.click("form.import-source button[type=submit]")

    # The document beside the draft: two columns on a desktop.
    doc = page.locator(".plan-doc").bounding_box()
    draft = page.locator("form.plan-draft").bounding_box()
    assert doc["x"] + doc["width"] <= draft["x"]
    assert page.input_value("#id_title") == TITLE
    assert page.input_value("#id_doc_number") == "黄卫发〔2012〕39号"
    assert page.input_value("#id_issue_date") == "2012-04-18"
    mark = page.locator("mark[data-source=issue_date]")
    assert mark.inner_text() == "二〇一二年四月十八日"
    # A mark leads to its field.
    page.click("mark[data-source=doc_number]")
    assert page.evaluate("document.activeElement.id") == "id_doc_number"
    # Names found in the scope are linked already.
    assert page.input_value("#id_person_0") == str(jiang.pk)

    # The plan asks each unit for its own plan without a date; the office sets one. It gives
    # no phases either: Alice adds one in the empty row.
    unit_plan = page.locator("#section-deadlines tbody tr").nth(1)
    assert unit_plan.locator("select[name$='-kind']").input_value() == "unit_plan"
    unit_plan.locator("input[name$='-due']").fill("2012-04-30")
    phase = page.locator("#section-phases tbody tr").first
    phase.locator("input[name$='-name']").fill("集中走访")
    phase.locator("input[name$='-start']").fill("2012-04-18")
    phase.locator("input[name$='-end']").fill("2012-09")
    with page.expect_navigation():
        page.click("form.plan-draft button[type=submit].primary")

    campaign = Campaign.objects.get()
    assert page.url.startswith(f"{live_server.url}/campaigns/{campaign.pk}/")
    assert page.inner_text("h1").startswith(TITLE)
    timeline = page.locator("[data-timeline] li.phase")
    assert timeline.count() == 1
    assert "集中走访" in timeline.first.inner_text()
    leaders = page.locator("table.leadership tbody tr")
    assert leaders.count() == 13  # 1 leader, 6 deputies, 5 members, the office director
    assert "蒋海峰" in page.locator("tr[data-member-role=leader]").inner_text()
    assert "黄洪" in page.locator("tr[data-member-role=office_director]").inner_text()
    assert campaign.leadership.get(role="leader").person == jiang
    assert campaign.ends_on.isoformat() == "2012-09-30"
