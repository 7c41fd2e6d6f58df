"""The campaign dashboard page: figures, grid, lists, timeline, charts' data, scope."""

import datetime
import json

import lxml.html
import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from ducha.orgs.tests.factories import OrgUnitFactory
from ducha.submissions.models import Requirement
from ducha.submissions.tests.rate_factories import (
    CampaignFactory,
    RequirementFactory,
    cst,
    hand_built_campaign,
    participate,
    submit,
)

D = datetime.date
GRID = ".//table[contains(@class, 'rate-grid')]"
CELL = "contains(@class, 'cell')"


@pytest.fixture
def scenario(tree):
    return hand_built_campaign(tree, phases=True)


@pytest.fixture
def frozen():
    with freeze_time("2012-06-19 10:00:00+08:00"):
        yield


def url(campaign, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("dashboard-campaign", args=[campaign.pk]) + (f"?{query}" if query else "")


def page(response):
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def tiles(doc) -> dict:
    return {
        el.get("data-tile"): el.find("b").text_content().strip()
        for el in doc.xpath(".//*[@data-tile]")
    }


def grid(doc) -> dict:
    """Unit name → the data-status of each requirement cell of its row."""
    return {
        row.xpath("./th")[0].text_content().strip(): [
            td.get("data-status") for td in row.xpath(f"./td[{CELL}]")
        ]
        for row in doc.xpath(f"{GRID}/tbody/tr")
    }


def test_it_shows_the_figures_the_grid_and_the_lists(client, alice, scenario, frozen, english):
    client.force_login(alice)
    doc = page(client.get(url(scenario.campaign)))

    assert tiles(doc) == {
        "expected": "13",
        "received": "10",
        "on_time": "6",
        "returned": "1",
        "missing": "3",
        "reporting_rate": "76.9%",
        "timeliness": "46.2%",
    }
    # Columns: the unit plan (due 1 June) and the brief's latest due date, 18 June.
    headers = [th.text_content() for th in doc.xpath(f"{GRID}/thead//th")]
    assert "due 2012-06-01" in headers[1]
    assert "due 2012-06-18" in headers[2]
    assert grid(doc) == {
        "东湖区卫生健康局": ["rollup", "rollup"],
        "东湖区人民医院": ["on_time", "on_time"],
        "内科": ["missing", "late"],
        "东湖区中医院": ["late", "missing"],
    }
    # Each coloured cell also says its status in words.
    cell = doc.xpath(f"{GRID}/tbody/tr")[2].xpath(f"./td[{CELL}]")[0]
    assert cell.text_content().strip() == "Missing"
    county_row = doc.xpath(f".//tr[@data-unit-id='{scenario.campaign.unit.pk}']")[0]
    assert "rollup" in county_row.get("class")
    assert [c.text_content().strip() for c in county_row.xpath(f"./td[{CELL}]")] == ["2/3", "2/3"]
    assert [td.text_content() for td in county_row.xpath("./td[@data-rate]")] == [
        "76.9%",
        "46.2%",
    ]

    missing = doc.xpath(".//*[@data-list='missing']//tbody/tr")
    assert [[td.text_content() for td in tr.xpath("./td")] for tr in missing] == [
        ["内科", "实施方案", "2012-06-01", "18"],
        ["东湖区中医院", "工作简报", "2012-06-04", "15"],
        ["东湖区中医院", "工作简报", "2012-06-18", "1"],
    ]
    late = doc.xpath(".//*[@data-list='late']//tbody/tr")
    assert [tr.xpath("./td")[0].text_content() for tr in late] == ["东湖区中医院"] * 2 + ["内科"]
    # Received at 00:00 Beijing time on 19 June: shown in China Standard Time, a day late.
    assert [td.text_content() for td in late[2].xpath("./td")][3:] == ["2012-06-19 00:00", "1"]


def test_it_highlights_the_current_phase(client, alice, scenario, frozen, english):
    client.force_login(alice)
    doc = page(client.get(url(scenario.campaign)))

    phases = doc.xpath(".//ol[@class='timeline']/li")
    assert [(li.find("b").text, li.get("data-phase-state")) for li in phases] == [
        ("动员部署", "past"),
        ("查摆问题", "current"),
        ("整改落实", "upcoming"),
    ]
    assert phases[1].get("aria-current") == "step"
    assert "Current phase" in phases[1].text_content()


def test_the_current_phase_follows_the_day_in_china(client, alice, scenario, english):
    """The first phase ends on 31 May: it is current all that day in Beijing, and at 16:00 UTC
    it is already 1 June there, so the second phase has begun."""
    client.force_login(alice)

    def states(moment: str) -> list[str]:
        with freeze_time(moment):
            doc = page(client.get(url(scenario.campaign)))
        return [li.get("data-phase-state") for li in doc.xpath(".//ol[@class='timeline']/li")]

    assert states("2012-05-31 15:59:00+00:00") == ["current", "upcoming", "upcoming"]
    assert states("2012-05-31 16:00:00+00:00") == ["past", "current", "upcoming"]


def test_it_feeds_the_charts_and_loads_echarts_on_this_page_only(
    client, alice, scenario, frozen, english
):
    client.force_login(alice)
    response = client.get(url(scenario.campaign))
    doc = page(response)

    data = json.loads(doc.get_element_by_id("dashboard-data").text_content())
    # One bar pair per hospital below the county.
    assert data["units"] == {
        "names": ["东湖区人民医院", "东湖区中医院"],
        "reporting_rate": [87.5, 60.0],
        "timeliness": [62.5, 20.0],
    }
    assert data["periods"]["dates"] == ["2012-06-01", "2012-06-04", "2012-06-11", "2012-06-18", "2012-06-25"]  # fmt: skip
    assert data["periods"]["series"]["missing"] == [1, 1, 0, 1, 0]
    assert data["periods"]["series"]["on_time"] == [1, 2, 1, 1, 1]
    assert data["periods"]["series"]["pending"] == [0, 0, 0, 0, 2]
    assert data["labels"]["statuses"]["late"] == "Late"
    assert len(doc.xpath(".//*[@data-chart='rates']")) == 1
    assert len(doc.xpath(".//*[@data-chart='statuses']")) == 1
    scripts = [s.get("src") for s in doc.xpath(".//script[@src]")]
    assert "/static/vendor/echarts/echarts.min.js" in scripts
    assert "/static/js/dashboard.js" in scripts

    home = client.get(reverse("web-home")).content.decode()
    assert "echarts" not in home


def test_it_shows_the_chosen_period(client, alice, scenario, frozen, english):
    client.force_login(alice)
    doc = page(client.get(url(scenario.campaign, period="2012-06-25")))

    assert grid(doc)["东湖区人民医院"] == ["on_time", "pending"]
    assert grid(doc)["东湖区中医院"] == ["late", "on_time"]
    options = doc.xpath(".//select[@id='id_period']/option")
    assert [o.get("value") for o in options] == ["", "2012-06-04", "2012-06-11", "2012-06-18", "2012-06-25"]  # fmt: skip
    assert [o.get("value") for o in options if o.get("selected") is not None] == ["2012-06-25"]
    # The export link carries the same choice.
    export = doc.xpath(".//a[@data-export]")[0].get("href")
    assert export == reverse("dashboard-grid-export", args=[scenario.campaign.pk]) + (
        "?period=2012-06-25"
    )
    # A date that isn't one falls back to the latest due date.
    assert grid(page(client.get(url(scenario.campaign, period="soon"))))["内科"] == [
        "missing",
        "late",
    ]


def test_a_coordinator_sees_only_their_unit(client, dora, scenario, frozen, english):
    client.force_login(dora)
    response = client.get(url(scenario.campaign))
    doc = page(response)

    assert list(grid(doc)) == ["东湖区人民医院", "内科"]
    assert "东湖区中医院" not in response.content.decode()
    assert tiles(doc)["expected"] == "8"
    assert tiles(doc)["missing"] == "1"


def test_it_narrows_to_a_unit_and_refuses_one_outside_the_scope(
    client, alice, tree, scenario, frozen, english
):
    client.force_login(alice)
    doc = page(client.get(url(scenario.campaign, under=tree.hospital.pk)))
    assert list(grid(doc)) == ["东湖区人民医院", "内科"]
    assert "Show all your units" in doc.text_content()

    for under in (tree.other_county.pk, tree.other_hospital.pk, 999999, "x"):
        assert client.get(url(scenario.campaign, under=under)).status_code == 404


def test_it_refuses_the_other_county(client, carol, scenario, frozen):
    client.force_login(carol)
    assert client.get(url(scenario.campaign)).status_code == 404
    export = reverse("dashboard-grid-export", args=[scenario.campaign.pk])
    assert client.get(export).status_code == 404
    assert client.get(reverse("dashboard-campaign", args=[999999])).status_code == 404


def test_it_sends_anonymous_visitors_to_the_login_page(client, scenario):
    response = client.get(url(scenario.campaign))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web-login"))


def test_an_empty_campaign_shows_dashes_not_zero_percent(client, alice, tree, english):
    campaign = CampaignFactory(unit=tree.county)
    participate(campaign, tree.hospital)
    RequirementFactory(campaign=campaign, due_date=D(2012, 7, 1))
    client.force_login(alice)
    with freeze_time("2012-06-19 10:00:00+08:00"):
        doc = page(client.get(url(campaign)))

    assert tiles(doc)["expected"] == "0"
    assert tiles(doc)["reporting_rate"] == "—"
    assert tiles(doc)["timeliness"] == "—"
    assert grid(doc) == {"东湖区人民医院": ["pending"]}
    assert "This campaign has no phases." in doc.text_content()
    assert "Nothing is missing." in doc.text_content()


def test_the_campaign_page_links_to_the_dashboard(scenario, english):
    html = render_to_string(
        "web/submissions/_campaign_dashboard_link.html", {"campaign": scenario.campaign}
    )
    link = lxml.html.fragment_fromstring(html, create_parent="div").xpath(".//a")[0]
    assert link.get("href") == reverse("dashboard-campaign", args=[scenario.campaign.pk])
    assert link.text_content() == "Reporting dashboard"


def _campaign_with(tree, units: int):
    campaign = CampaignFactory(unit=tree.county)
    middle = OrgUnitFactory(parent=tree.county, name="乡镇卫生院片区")
    centres = [OrgUnitFactory(parent=middle) for _ in range(units)]
    participate(campaign, *centres)
    brief = RequirementFactory(
        campaign=campaign, due_date=D(2012, 6, 4), recurrence=Requirement.Recurrence.WEEKLY
    )
    RequirementFactory(campaign=campaign, due_date=D(2012, 6, 1), units=centres[:2])
    for n, centre in enumerate(centres):
        if n % 3:
            submit(brief, centre, due_date=D(2012, 6, 11), at=cst(2012, 6, 11 + n % 2, 9))
    return campaign


def test_it_shows_the_dashboard_with_a_fixed_number_of_queries(client, alice, tree, frozen):
    client.force_login(alice)

    def queries(campaign) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url(campaign))
        assert response.status_code == 200
        return len(captured.captured_queries), response

    few, small = queries(_campaign_with(tree, 3))
    many, large = queries(_campaign_with(tree, 30))
    assert few == many
    assert len(page(small).xpath(f"{GRID}/tbody/tr")) == 3 + 1
    assert len(page(large).xpath(f"{GRID}/tbody/tr")) == 30 + 1


def test_a_long_grid_shows_the_top_two_levels(
    client, alice, tree, scenario, frozen, monkeypatch, english
):
    from ducha.web.views import dashboard

    client.force_login(alice)
    monkeypatch.setattr(dashboard, "GRID_ROWS", 3)
    doc = page(client.get(url(scenario.campaign)))

    # Four rows are too many: the department (level 2) is left out, its hospital's roll-up
    # row stays and links down to it.
    assert list(grid(doc)) == ["东湖区卫生健康局", "东湖区人民医院", "东湖区中医院"]
    note = doc.xpath("//*[@data-grid-hidden]")[0]
    assert note.get("data-grid-hidden") == "1"
    assert "download the grid" in note.text_content()
    link = doc.xpath(f".//tr[@data-unit-id='{tree.hospital.pk}']/th/a")[0]
    assert link.get("href") == f"?under={tree.hospital.pk}"

    # Even two levels are too many: the first rows, and the rest counted.
    monkeypatch.setattr(dashboard, "GRID_ROWS", 2)
    doc = page(client.get(url(scenario.campaign)))
    assert list(grid(doc)) == ["东湖区卫生健康局", "东湖区人民医院"]
    assert doc.xpath("//*[@data-grid-hidden]")[0].get("data-grid-hidden") == "2"
