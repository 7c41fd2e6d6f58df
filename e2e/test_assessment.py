"""The ranking page in a browser: the office imports the indicator table, reads the ranking,
its heat map and trend, and follows a number to the records behind it."""

import io
from decimal import Decimal

import openpyxl
import pytest

from ducha.assessment import services
from ducha.campaigns.tests.factories import make_county_campaign

pytestmark = pytest.mark.e2e

PERIOD = "2024-03"


@pytest.fixture
def campaign(alice, tree):
    return make_county_campaign(alice, tree)


def table(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["序号", "考核内容", "考核方式", "分值", "比较", "目标值", "一票否决"])
    workbook.active.append([1, "制度建设", "材料审查", 60, "", "", "否"])
    workbook.active.append([2, "服务态度", "问卷调查", 40, "≥", 60, "是"])
    path = tmp_path / "指标体系.xlsx"
    workbook.save(path)
    return path


def test_alice_imports_indicators_and_reads_the_ranking(
    page, live_server, alice, tree, campaign, password, log_in, tmp_path
):
    log_in(page, "alice", password)
    page.goto(f"/campaigns/{campaign.pk}/assessment/")
    page.set_input_files("input[type=file][name=file]", str(table(tmp_path)))
    page.click("form[action$='/indicators/import/'] button[type=submit]")
    page.locator(".msg-success").wait_for()
    assert page.locator("table.indicators tbody tr").count() == 2

    # Scores: the hospital does well, the second hospital fails the veto item.
    first, second = campaign.indicators.order_by("order")
    for unit, values in ((tree.hospital, (90, 80)), (tree.hospital2, (95, 50))):
        for indicator, value in zip((first, second), values, strict=True):
            services.manual_score_set(
                actor=alice,
                indicator=indicator,
                unit=unit,
                period=PERIOD,
                value=Decimal(value),
                evidence=f"{unit.name}台账",
            )
    page.goto(f"/campaigns/{campaign.pk}/assessment/ranking/?period={PERIOD}")
    for name in ("ranking", "heat", "trend"):
        page.locator(f"[data-chart={name}] canvas").first.wait_for()
    hospital = page.locator(f"tr[data-unit-id='{tree.hospital.pk}']")
    failed = page.locator(f"tr[data-unit-id='{tree.hospital2.pk}']")
    assert hospital.get_attribute("data-rank") == "1"
    assert failed.get_attribute("data-failed") is not None
    assert hospital.locator("[data-score]").inner_text() == "86.00"

    # A number leads to the hand score and the evidence behind it.
    hospital.locator("a[data-cell-link]").first.click()
    page.wait_for_url("**/assessment/scores/history/**")
    assert "东湖区人民医院台账" in page.locator("table.scores").inner_text()
    assert page.locator("table.scores tbody tr").count() == 1

    # The table downloads again as .xlsx.
    page.goto(f"/campaigns/{campaign.pk}/assessment/")
    with page.expect_download() as download_info:
        page.click("a[data-indicator-export]")
    path = tmp_path / "export.xlsx"
    download_info.value.save_as(path)
    sheet = openpyxl.load_workbook(io.BytesIO(path.read_bytes())).active
    assert [sheet["B2"].value, sheet["B3"].value] == ["制度建设", "服务态度"]
