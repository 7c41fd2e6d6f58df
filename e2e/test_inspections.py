"""An inspection round in a browser (DOMAIN §9): Alice creates a round over the district's two
hospitals and records a finding at one of them, which shows on the problem list."""

import pytest
from playwright.sync_api import expect

from ducha.campaigns.models import Campaign, Participant
from ducha.inspections.models import Finding, InspectionRound
from ducha.problems.models import Problem

pytestmark = pytest.mark.e2e


@pytest.fixture
def campaign(tree):
    campaign = Campaign.objects.create(
        title="东湖区作风整顿专项活动", unit=tree.county, status=Campaign.Status.ACTIVE
    )
    for unit in (tree.hospital, tree.hospital2):
        Participant.objects.create(campaign=campaign, unit=unit)
    return campaign


def test_alice_records_a_finding_that_becomes_a_problem(
    page, log_in, password, tree, alice, campaign
):
    log_in(page, "alice", password)
    page.goto(f"/campaigns/{campaign.pk}/inspections/new/")
    page.fill("#id_title", "三月明查暗访")
    page.select_option("#id_mode", "unannounced")
    page.fill("#id_date", "2024-03-15")
    page.fill("#id_bodies", "区卫生局\n区纪委")
    page.fill("#id_checklist", "门诊秩序\n收费公示")
    page.check(f"input[name=units][value='{tree.hospital.pk}']")
    page.check(f"input[name=units][value='{tree.hospital2.pk}']")
    with page.expect_navigation():
        page.click("main button.primary")
    inspection_round = InspectionRound.objects.get()
    assert inspection_round.units.count() == 2
    expect(page.locator("h1")).to_have_text("三月明查暗访")

    page.select_option("#id_unit", str(tree.hospital2.pk))
    page.fill("#id_text", "收费标准未公示")
    page.select_option("#id_severity", "serious")
    with page.expect_navigation():
        page.click("main form[enctype] button.primary")
    finding = Finding.objects.get()
    assert finding.unit == tree.hospital2
    problem = Problem.objects.get()
    assert problem.source == Problem.Source.INSPECTION and problem.unit == tree.hospital2
    expect(page.locator(f"tr[data-finding-id='{finding.pk}']")).to_contain_text("收费标准未公示")

    page.goto("/problems/")
    expect(page.locator("main")).to_contain_text("收费标准未公示")
