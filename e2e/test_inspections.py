"""An inspection round in a browser (DOMAIN §9): Alice creates a round over the district's two
hospitals and records a finding at one of them, which shows on the problem list; in a hazard
sweep a hospital inspects itself first and the office spot-checks it."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ducha.campaigns.models import Campaign, Participant
from ducha.inspections import services
from ducha.inspections.models import Finding, InspectionRound, SelfInspection, SpotCheck
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


def test_a_hospital_inspects_itself_and_the_office_spot_checks(
    phone_page, page, log_in, password, tree, alice, dora, campaign
):
    """Dora, on her phone, files the hospital's self-inspection in a hazard sweep; Alice then
    spot-checks the hospital and finds a hazard on an item Dora called safe."""
    today = timezone.localdate()
    sweep = services.inspection_round_create(
        actor=alice,
        campaign=campaign,
        title="春季消防安全隐患排查",
        kind=InspectionRound.Kind.HAZARD_SWEEP,
        date=today,
        self_inspection_deadline=today + datetime.timedelta(days=7),
        checklist=["消防通道", "特种设备"],
        units=[tree.hospital, tree.hospital2],
    )

    phone = phone_page
    log_in(phone, "dora", password)
    phone.goto("/inspections/")
    row = phone.locator(f"table.to-file tr[data-round-id='{sweep.pk}']")
    expect(row).to_have_attribute("data-status", "pending")
    with phone.expect_navigation():
        row.locator("a").click()
    phone.check("input[name=result_0][value=hazard]")
    phone.fill("#id_note_0", "二楼消防通道堆放杂物")
    phone.check("input[name=result_1][value=ok]")
    with phone.expect_navigation():
        phone.click("form.self-inspection-form button.primary")
    expect(phone.locator("[data-status]").first).to_have_attribute("data-status", "filed")
    expect(phone.locator("table.self-inspection-items tr[data-result=hazard]")).to_contain_text(
        "二楼消防通道堆放杂物"
    )
    self_inspection = SelfInspection.objects.get()
    assert self_inspection.unit == tree.hospital
    hazard = Problem.objects.get()
    assert (hazard.unit, hazard.source) == (tree.hospital, Problem.Source.SELF_INSPECTION)

    office = page
    log_in(office, "alice", password)
    office.goto(f"/inspections/{sweep.pk}/")
    unit_row = office.locator(f"table.sweep tr[data-unit-id='{tree.hospital.pk}']")
    expect(unit_row).to_have_attribute("data-status", "filed")
    expect(office.locator(f"table.sweep tr[data-unit-id='{tree.hospital2.pk}']")).to_have_attribute(
        "data-status", "pending"
    )
    office.select_option("#id_spot-unit", str(tree.hospital.pk))
    office.fill("#id_spot-note", "现场抽查消防与特种设备")
    with office.expect_navigation():
        office.click("form.spot-check-form button.primary")
    assert SpotCheck.objects.get().unit == tree.hospital
    expect(unit_row.locator("[data-spot-check]")).to_contain_text("现场抽查")

    office.select_option("#id_unit", str(tree.hospital.pk))
    office.fill("#id_text", "锅炉未按期年检")
    office.select_option("#id_checklist_item", "特种设备")
    with office.expect_navigation():
        office.click("form.finding-form button.primary")
    finding = Finding.objects.get()
    assert finding.missed_by_self_inspection
    assert finding.problem.source == Problem.Source.HAZARD_SWEEP
    expect(office.locator(f"tr[data-finding-id='{finding.pk}'][data-missed]")).to_be_visible()
    expect(unit_row.locator("[data-missed]")).to_have_text("1")
