"""The campaign dashboard in a browser: coloured grid, missing list, ECharts, .xlsx download."""

import datetime

import openpyxl
import pytest

from ducha.campaigns.models import Phase
from ducha.submissions import periods
from ducha.submissions.models import Requirement, Submission
from ducha.submissions.tests.rate_factories import (
    CampaignFactory,
    RequirementFactory,
    participate,
    submit,
)

pytestmark = pytest.mark.e2e


def at(date: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(date, datetime.time(hour), tzinfo=periods.CST)


@pytest.fixture
def campaign(tree):
    """Dates around today (the live server's clock can't be frozen: cookies would expire)."""
    today = periods.today_cst()
    day = datetime.timedelta(days=1)
    campaign = CampaignFactory(
        unit=tree.county, starts_on=today - 30 * day, ends_on=today + 60 * day
    )
    Phase.objects.create(
        campaign=campaign, order=1, name="动员部署", starts_on=today - 30 * day,
        ends_on=today - 11 * day,
    )  # fmt: skip
    Phase.objects.create(
        campaign=campaign, order=2, name="查摆问题", starts_on=today - 10 * day,
        ends_on=today + 10 * day,
    )  # fmt: skip
    participate(campaign, tree.hospital, tree.hospital2, tree.department)
    plan = RequirementFactory(campaign=campaign, title="实施方案", due_date=today - 10 * day)
    brief = RequirementFactory(
        campaign=campaign,
        title="工作简报",
        kind=Requirement.Kind.BRIEF,
        due_date=today - 13 * day,
        recurrence=Requirement.Recurrence.WEEKLY,
    )
    last_week = today - 6 * day
    submit(plan, tree.hospital, at=at(today - 11 * day, 9))
    submit(plan, tree.hospital2, at=at(today - 8 * day, 9))
    submit(brief, tree.hospital, due_date=today - 13 * day, at=at(today - 13 * day, 9))
    submit(
        brief,
        tree.hospital,
        due_date=last_week,
        at=at(last_week, 9),
        status=Submission.Status.RETURNED,
    )
    submit(brief, tree.hospital2, due_date=last_week, at=at(last_week + day, 9))
    submit(brief, tree.department, due_date=today - 13 * day, at=at(today - 14 * day, 9))
    return campaign


def statuses(page, unit) -> list[str]:
    cells = page.locator(f"table.rate-grid tr[data-unit-id='{unit.pk}'] td.cell")
    return [cells.nth(i).get_attribute("data-status") for i in range(cells.count())]


def test_alice_reads_the_dashboard_and_downloads_the_grid(
    page, live_server, alice, tree, campaign, password, log_in, tmp_path
):
    log_in(page, "alice", password)
    page.goto(f"/campaigns/{campaign.pk}/dashboard/")

    # The grid: last week's brief (first due 13 days ago) and the plan (due 10 days ago), each
    # cell coloured by status, with words.
    assert statuses(page, tree.hospital) == ["returned", "on_time"]
    assert statuses(page, tree.hospital2) == ["late", "late"]
    assert statuses(page, tree.department) == ["missing", "missing"]
    assert statuses(page, tree.county) == ["rollup", "rollup"]
    missing_cell = page.locator(
        f"tr[data-unit-id='{tree.department.pk}'] td[data-status=missing] .chip"
    ).first
    colour = missing_cell.evaluate("el => getComputedStyle(el).backgroundColor")
    on_time_cell = page.locator(
        f"tr[data-unit-id='{tree.hospital.pk}'] td[data-status=on_time] .chip"
    ).first
    assert colour != on_time_cell.evaluate("el => getComputedStyle(el).backgroundColor")
    assert missing_cell.inner_text().strip()  # the status is written, not only coloured

    # The missing list names the units, the longest overdue first.
    missing = page.locator("[data-list=missing] tbody tr")
    assert missing.count() == 3
    assert missing.nth(0).locator("td").first.inner_text() == "东湖区中医院"  # brief, 13 days
    assert "内科" in page.locator("[data-list=missing]").inner_text()

    # The current phase is marked.
    current = page.locator(".timeline li[aria-current=step]")
    assert "查摆问题" in current.inner_text()

    # ECharts has drawn both charts.
    for name in ("rates", "statuses"):
        page.locator(f"[data-chart={name}] canvas, [data-chart={name}] svg").first.wait_for()

    # The export link downloads the grid as .xlsx.
    with page.expect_download() as download_info:
        page.click("a[data-export]")
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    sheet = openpyxl.load_workbook(target).active
    names = [row[1] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert names[:4] == ["东湖区卫生健康局", "东湖区人民医院", "内科", "东湖区中医院"]


def test_the_dashboard_fits_a_phone(phone_page, live_server, alice, campaign, password, log_in):
    page = phone_page
    log_in(page, "alice", password)
    page.goto(f"/campaigns/{campaign.pk}/dashboard/")
    page.locator("[data-chart=rates] canvas").first.wait_for()

    # The page doesn't scroll sideways; the grid scrolls inside its own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    wrap = page.locator(".table-wrap:has(table.rate-grid)")
    assert wrap.evaluate("el => el.scrollWidth > el.clientWidth")
