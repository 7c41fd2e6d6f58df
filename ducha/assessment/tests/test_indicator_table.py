"""The indicator system as an .xlsx table: export, then import all or nothing."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ducha.assessment import indicator_table, services
from ducha.assessment.models import Indicator
from ducha.audit.models import AuditEntry
from ducha.campaigns.tests.factories import make_county_campaign

HEADER = ["序号", "考核内容", "评分标准", "考核方式", "分值", "目标", "比较", "目标值", "数据来源"]
HEADER += ["一票否决", "分管领导", "责任单位", "责任人"]


@pytest.fixture
def campaign(alice, tree):
    return make_county_campaign(alice, tree)


def xlsx(*rows, header=HEADER) -> io.BytesIO:
    workbook = openpyxl.Workbook()
    workbook.active.append(header)
    for row in rows:
        workbook.active.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


def good_rows(tree):
    return [
        [1, "满意度测评", "群众满意率", "问卷调查", 40, "≥ 80%", "≥", 80, "满意率", "否", "蒋海峰"]
        + [tree.hospital.code, "张三"],
        [2, "整改超期率", "", "", 30, "≤ 5%", "≤", 5, "整改超期率", "是", "", "", ""],
        [3, "制度建设", "制度上墙", "材料审查", 30, "", "", "", "", "否", "", "", ""],
    ]


def test_it_imports_a_whole_table(alice, tree, campaign):
    count = indicator_table.indicators_import(
        actor=alice, campaign=campaign, file=xlsx(*good_rows(tree))
    )
    assert count == 3
    first, second, third = campaign.indicators.order_by("order")
    assert (first.method, first.computed_source) == ("computed", "satisfaction")
    assert (first.comparator, first.target_value) == ("gte", Decimal("80.00"))
    assert first.responsible_unit == tree.hospital and first.leader == "蒋海峰"
    assert (second.computed_source, second.veto, second.comparator) == ("overdue_rate", True, "lte")
    assert second.lower_is_better
    assert (third.method, third.is_computed) == ("material_review", False)
    assert AuditEntry.objects.filter(object_type="assessment.indicator").count() == 3


def test_the_export_reads_back_the_same_table(alice, tree, campaign):
    indicator_table.indicators_import(actor=alice, campaign=campaign, file=xlsx(*good_rows(tree)))
    before = list(campaign.indicators.order_by("order").values())
    content = indicator_table.indicators_xlsx(campaign)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet["B2"].value == "满意度测评" and sheet["I2"].value == "满意率"
    # Importing the exported table again changes nothing but the audit log.
    indicator_table.indicators_import(actor=alice, campaign=campaign, file=io.BytesIO(content))
    after = list(campaign.indicators.order_by("order").values())
    strip = lambda rows: [{k: v for k, v in r.items() if k != "updated_at"} for r in rows]  # noqa: E731
    assert strip(after) == strip(before)


def test_a_known_order_number_updates_its_indicator(alice, tree, campaign):
    indicator_table.indicators_import(actor=alice, campaign=campaign, file=xlsx(*good_rows(tree)))
    rows = good_rows(tree)
    rows[2][1], rows[2][4], rows[0][4] = "制度建设与落实", 20, 50
    indicator_table.indicators_import(actor=alice, campaign=campaign, file=xlsx(*rows))
    assert campaign.indicators.count() == 3
    assert campaign.indicators.get(order=3).content == "制度建设与落实"
    assert campaign.indicators.get(order=1).weight == Decimal(50)


def test_weights_that_do_not_add_up_refuse_the_table(alice, tree, campaign, english):
    rows = good_rows(tree)
    rows[2][4] = 20
    with pytest.raises(ValidationError) as error:
        indicator_table.indicators_import(actor=alice, campaign=campaign, file=xlsx(*rows))
    assert "90" in error.value.messages[0] and "nothing was imported" in error.value.messages[0]
    assert not Indicator.objects.exists()
    assert not AuditEntry.objects.filter(object_type="assessment.indicator").exists()


def test_each_wrong_row_is_named_and_nothing_is_written(alice, tree, campaign, english):
    rows = good_rows(tree)
    rows[0][11] = "不存在的医院"  # unknown unit
    rows[1][3] = "掷骰子"  # unknown method
    rows[2][4] = "三十"  # not a number
    rows.append([3, "重复序号", "", "", 0, "", "", "", "", "否", "", "", ""])
    rows.append([5, "否决无目标", "", "", 0, "", "", "", "", "是", "", "", ""])
    with pytest.raises(ValidationError) as error:
        indicator_table.indicators_import(actor=alice, campaign=campaign, file=xlsx(*rows))
    messages = error.value.messages
    assert messages[0].startswith("Row 2:") and "不存在的医院" in messages[0]
    assert messages[1].startswith("Row 3:") and "掷骰子" in messages[1]
    assert messages[2].startswith("Row 4:") and "weight" in messages[2]
    assert messages[3].startswith("Row 5:") and "twice" in messages[3]
    assert messages[4].startswith("Row 6:") and "veto" in messages[4]
    assert not Indicator.objects.exists()


def test_a_unit_outside_the_importers_scope_is_unknown(alice, tree, campaign, english):
    rows = good_rows(tree)
    rows[0][11] = tree.other_county.code
    with pytest.raises(ValidationError) as error:
        indicator_table.indicators_import(actor=alice, campaign=campaign, file=xlsx(*rows))
    assert error.value.messages[0].startswith("Row 2: unknown unit")


def test_it_refuses_a_file_that_is_not_a_workbook_or_lacks_columns(alice, campaign, english):
    with pytest.raises(ValidationError) as error:
        indicator_table.indicators_import(
            actor=alice, campaign=campaign, file=io.BytesIO(b"not a workbook")
        )
    assert "not an .xlsx" in error.value.messages[0]
    with pytest.raises(ValidationError) as error:
        indicator_table.indicators_import(
            actor=alice, campaign=campaign, file=xlsx([1, "x"], header=["序号", "名称"])
        )
    assert "考核内容" in error.value.messages[0] and "分值" in error.value.messages[0]


def test_only_the_office_imports(dora, tree, campaign):
    with pytest.raises(PermissionDenied):
        indicator_table.indicators_import(actor=dora, campaign=campaign, file=xlsx())


def test_english_labels_and_codes_are_read_too(alice, campaign):
    rows = [[1, "Timeliness", "", "Computed", 100, "", "gte", 95, "timeliness", "yes", "", "", ""]]
    indicator_table.indicators_import(actor=alice, campaign=campaign, file=xlsx(*rows))
    indicator = campaign.indicators.get()
    assert (indicator.computed_source, indicator.veto) == ("timeliness", True)


def test_services_and_table_agree_on_a_manual_indicator(alice, campaign):
    services.indicator_create(actor=alice, campaign=campaign, content="台账", weight=Decimal(100))
    sheet = openpyxl.load_workbook(io.BytesIO(indicator_table.indicators_xlsx(campaign))).active
    assert [sheet["B2"].value, sheet["D2"].value, sheet["I2"].value] == ["台账", "材料审核", None]
