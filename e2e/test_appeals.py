"""Published scores and an appeal in a browser (DOMAIN §10): Alice publishes March's scores,
Dora, the hospital's coordinator, appeals one indicator from her own scores, Alice accepts it
with a corrected value, and the new version of the scores shows the changed score and rank."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from ducha.assessment import services
from ducha.assessment.models import Appeal, ScoreRelease
from ducha.campaigns.tests.factories import make_county_campaign

pytestmark = pytest.mark.e2e

PERIOD = "2024-03"


@pytest.fixture
def indicators(alice, tree):
    campaign = make_county_campaign(alice, tree)
    a = services.indicator_create(
        actor=alice, campaign=campaign, content="制度建设", weight=Decimal(60)
    )
    b = services.indicator_create(
        actor=alice, campaign=campaign, content="服务态度", weight=Decimal(40)
    )
    for unit, (va, vb) in {tree.hospital: (70, 70), tree.hospital2: (90, 80)}.items():
        for indicator, value in ((a, va), (b, vb)):
            services.manual_score_set(
                actor=alice,
                indicator=indicator,
                unit=unit,
                period=PERIOD,
                value=Decimal(value),
                evidence="检查台账",
            )
    return a, b


def test_an_accepted_appeal_changes_the_published_score(
    new_page, log_in, password, tree, alice, dora, indicators
):
    campaign = indicators[0].campaign
    office = new_page()
    log_in(office, "alice", password)
    office.goto(f"/campaigns/{campaign.pk}/assessment/releases/")
    office.fill("#id_period", PERIOD)
    with office.expect_navigation():
        office.click("main form button.primary")
    first = ScoreRelease.objects.get()
    hospital_row = office.locator(f"tr[data-unit-id='{tree.hospital.pk}']")
    expect(hospital_row.locator("[data-score]")).to_have_text("70.00")
    expect(hospital_row.locator("td").first).to_have_text("2 / 2")
    expect(office.locator("[data-verify=match]")).to_be_visible()

    unit = new_page()
    log_in(unit, "dora", password)
    unit.goto("/assessment/my-scores/")
    expect(unit.locator("main")).not_to_contain_text(tree.hospital2.name)
    with unit.expect_navigation():
        unit.click(f"tr[data-unit-id='{tree.hospital.pk}'] [data-appeal-link]")
    unit.select_option("#id_indicator", str(indicators[0].pk))
    unit.fill("#id_reasons", "三月台账漏计两项制度，附件为制度文本")
    with unit.expect_navigation():
        unit.click("main form button.primary")
    appeal = Appeal.objects.get()
    assert (appeal.unit, appeal.indicator, appeal.submitted_by) == (
        tree.hospital,
        indicators[0],
        dora,
    )
    expect(unit.locator("[data-status]")).to_have_attribute("data-status", "submitted")

    office.goto(f"/assessment/appeals/{appeal.pk}/")
    office.check("input[name=decision][value=accepted]")
    office.fill("#id_decision_note", "核实制度文本，漏计属实")
    office.fill("#id_corrected_value", "100")
    with office.expect_navigation():
        office.click("main form button.primary")
    expect(office.locator("[data-status]")).to_have_attribute("data-status", "accepted")
    with office.expect_navigation():
        office.click("[data-result-release]")
    second = ScoreRelease.objects.get(version=2)
    assert office.url.endswith(f"/assessment/releases/{second.pk}/")
    hospital_row = office.locator(f"tr[data-unit-id='{tree.hospital.pk}']")
    expect(hospital_row.locator("[data-score]")).to_have_text("88.00")
    expect(hospital_row.locator("td").first).to_have_text("1 / 2")
    expect(hospital_row.locator("td[data-source=correction] a")).to_have_text("100.00")

    office.goto(f"/assessment/releases/{first.pk}/")
    expect(office.locator("[data-superseded]")).to_be_visible()

    unit.goto("/assessment/my-scores/")
    expect(unit.locator(f"tr[data-unit-id='{tree.hospital.pk}'] [data-score]")).to_have_text(
        "88.00"
    )
