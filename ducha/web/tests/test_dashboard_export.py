"""The dashboard grid as .xlsx: layout, statuses in Chinese, fills, totals, audit entry."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from freezegun import freeze_time

from ducha.audit.models import AuditEntry
from ducha.submissions.tests.rate_factories import (
    CampaignFactory,
    RequirementFactory,
    hand_built_campaign,
    participate,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def scenario(tree):
    return hand_built_campaign(tree)


def download(client, campaign, query: str = ""):
    url = reverse("dashboard-grid-export", args=[campaign.pk]) + query
    with freeze_time("2012-06-19 10:00:00+08:00"):
        response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def values(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_it_exports_the_grid(client, alice, tree, scenario):
    client.force_login(alice)
    sheet = download(client, scenario.campaign)
    rows = values(sheet)

    assert rows[0][0] == f"{scenario.campaign.title} 报送情况表"
    assert rows[1][0].startswith("统计截至 2012-06-19")
    assert "alice 导出于 2012-06-19 10:00" in rows[1][2]
    assert rows[2] == [
        "单位编码", "单位名称", "实施方案（2012-06-01）", "工作简报（2012-06-18）",
        "应报", "已报", "按时", "逾期", "退回", "未报", "上报率", "及时率",
    ]  # fmt: skip
    assert rows[3] == ["D01", "东湖区卫生健康局", "已报 2/应报 3", "已报 2/应报 3",
                       13, 10, 6, 3, 1, 3, 0.7692, 0.4615]  # fmt: skip
    assert rows[4] == ["H01", "东湖区人民医院", "按时", "按时", 8, 7, 5, 1, 1, 1, 0.875, 0.625]
    assert rows[5] == ["H01-1", "内科", "未报", "逾期", 4, 3, 2, 1, 0, 1, 0.75, 0.5]
    assert rows[6] == ["H02", "东湖区中医院", "逾期", "未报", 5, 3, 1, 2, 0, 2, 0.6, 0.2]
    assert rows[7] == ["合计", None, "已报 2/应报 3", "已报 2/应报 3",
                       13, 10, 6, 3, 1, 3, 0.7692, 0.4615]  # fmt: skip
    assert len(rows) == 8

    # Fills follow the status; names are indented by level; rates are percentages.
    assert sheet["C5"].fill.fgColor.rgb == "00C6EFCE"  # 按时
    assert sheet["C6"].fill.fgColor.rgb == "00FFC7CE"  # 未报
    assert sheet["D6"].fill.fgColor.rgb == "00FFEB9C"  # 逾期
    assert sheet["B6"].alignment.indent == 2
    assert sheet["B4"].font.bold
    assert sheet["K5"].number_format == "0.0%"


def test_it_exports_the_chosen_period_and_unit(client, alice, tree, scenario):
    client.force_login(alice)
    sheet = download(client, scenario.campaign, f"?period=2012-06-25&under={tree.hospital2.pk}")
    rows = values(sheet)

    assert rows[2][2:4] == ["实施方案（2012-06-01）", "工作简报（2012-06-25）"]
    assert rows[3:] == [
        ["H02", "东湖区中医院", "逾期", "按时", 5, 3, 1, 2, 0, 2, 0.6, 0.2],
        ["合计", None, "已报 1/应报 1", "已报 1/应报 1", 5, 3, 1, 2, 0, 2, 0.6, 0.2],
    ]
    assert sheet["D4"].fill.fgColor.rgb == "00C6EFCE"


def test_a_rate_with_nothing_expected_is_a_dash(client, alice, tree):
    campaign = CampaignFactory(unit=tree.county)
    participate(campaign, tree.hospital)
    RequirementFactory(campaign=campaign, title="总结报告", due_date=datetime.date(2012, 7, 1))
    client.force_login(alice)
    rows = values(download(client, campaign))

    # Due on 1 July, looked at on 19 June: not expected yet, so no rate at all, not 0%.
    assert rows[3] == ["H01", "东湖区人民医院", "未到期", 0, 0, 0, 0, 0, 0, "—", "—"]


def test_it_records_the_export_in_the_audit_log(client, alice, tree, scenario):
    client.force_login(alice)
    download(client, scenario.campaign, "?period=2012-06-11")

    entry = AuditEntry.objects.get(action="export")
    assert entry.actor_id == alice.pk
    assert entry.object_type == "campaigns.campaign"
    assert entry.object_id == str(scenario.campaign.pk)
    assert entry.unit_path == tree.county.path
    assert entry.after == {
        "file": f"报送情况-{scenario.campaign.pk}-20120619.xlsx",
        "rows": 4,
        "as_of": "2012-06-19",
        "period": "2012-06-11",
        "under": None,
    }


def test_a_coordinator_exports_only_their_unit(client, dora, tree, scenario):
    client.force_login(dora)
    rows = values(download(client, scenario.campaign))

    assert [r[1] for r in rows[3:]] == ["东湖区人民医院", "内科", None]
    assert not any("东湖区中医院" in str(cell) for row in rows for cell in row)


def test_it_refuses_the_other_county_and_records_nothing(client, carol, alice, tree, scenario):
    client.force_login(carol)
    url = reverse("dashboard-grid-export", args=[scenario.campaign.pk])
    assert client.get(url).status_code == 404
    client.force_login(alice)
    assert client.get(url + f"?under={tree.other_hospital.pk}").status_code == 404
    assert not AuditEntry.objects.filter(action="export").exists()
