"""Benchmarks in a browser (DOMAIN §12): Dora, coordinator of 东湖区人民医院, picks a leading
hospital outside Ducha, enters its published value with the source, reads the gap to her own
score and records the measure adopted to close it."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from ducha.assessment import services as assessment_services
from ducha.benchmarks.models import Benchmark, BenchmarkMeasure, BenchmarkValue
from ducha.campaigns.tests.factories import make_county_campaign

pytestmark = pytest.mark.e2e


@pytest.fixture
def campaign(alice, tree):
    return make_county_campaign(alice, tree)


@pytest.fixture
def indicators(alice, tree, campaign):
    """Two hand-scored indicators; Dora's hospital is scored for this month."""
    period = datetime.date.today().strftime("%Y-%m")
    satisfaction = assessment_services.indicator_create(
        actor=alice, campaign=campaign, content="患者满意度", weight=Decimal(60), order=1
    )
    complaints = assessment_services.indicator_create(
        actor=alice,
        campaign=campaign,
        content="投诉率",
        weight=Decimal(40),
        order=2,
        comparator="lte",
        target_value=Decimal(5),
    )
    for indicator, value in ((satisfaction, 80), (complaints, 10)):
        assessment_services.manual_score_set(
            actor=alice,
            indicator=indicator,
            unit=tree.hospital,
            period=period,
            value=Decimal(value),
            evidence="台账",
        )
    return satisfaction, complaints


def test_dora_benchmarks_her_hospital_against_an_outside_one(
    page, log_in, password, tree, dora, campaign, indicators
):
    satisfaction, complaints = indicators
    log_in(page, "dora", password)
    page.goto(f"/campaigns/{campaign.pk}/benchmarks/")
    page.check("input[name=kind][value=outside]")
    expect(page.locator("#id_benchmark_unit")).to_be_hidden()  # only the outside name is asked
    page.fill("#id_name", "浙江省某县人民医院")
    page.fill("#id_note", "省级改善医疗服务示范医院")
    page.check(f"input[name=indicators][value='{satisfaction.pk}']")
    page.check(f"input[name=indicators][value='{complaints.pk}']")
    with page.expect_navigation():
        page.click("form[data-benchmark-form] button.primary")
    benchmark = Benchmark.objects.get()
    assert (benchmark.unit, benchmark.kind) == (tree.hospital, Benchmark.Kind.OUTSIDE)
    expect(page.locator("h1")).to_contain_text("浙江省某县人民医院")

    # Their 投诉率 is 6 against our 10: lower is better, so we are behind by +4.
    page.select_option("#value-indicator", str(complaints.pk))
    page.fill("#value-value", "6")
    page.fill("#value-source", "浙江省卫生健康委通报")
    with page.expect_navigation():
        page.click("form[data-value-form] button.primary")
    assert BenchmarkValue.objects.get().source == "浙江省卫生健康委通报"
    row = page.locator(f"table.gaps tr[data-indicator-id='{complaints.pk}']")
    expect(row.locator("[data-gap]")).to_have_text("+4.00")
    expect(row).to_have_attribute("data-position", "behind")
    expect(row).to_contain_text("浙江省卫生健康委通报")
    # The benchmark's missing 满意度 shows a dash, not 0.
    other = page.locator(f"table.gaps tr[data-indicator-id='{satisfaction.pk}']")
    expect(other.locator("[data-gap]")).to_have_text("—")
    expect(
        page.locator(f"[data-chart='benchmark-trend'][data-indicator-id='{complaints.pk}'] canvas")
    ).to_have_count(1)

    page.fill("#measure-text", "推行投诉首问负责制，每周分析投诉")
    page.select_option("#measure-indicator", str(complaints.pk))
    page.fill("#measure-responsible_person", "王院长")
    with page.expect_navigation():
        page.click("form[data-measure-form] button.primary")
    measure = BenchmarkMeasure.objects.get()
    row = page.locator(f"tr[data-measure-id='{measure.pk}']")
    expect(row).to_contain_text("推行投诉首问负责制")
    with page.expect_navigation():
        row.locator("button").click()
    expect(page.locator(f"tr[data-measure-id='{measure.pk}']")).to_have_attribute(
        "data-status", "done"
    )
