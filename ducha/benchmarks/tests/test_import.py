import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ducha.audit.models import AuditEntry
from ducha.benchmarks import services, tables
from ducha.benchmarks.models import BenchmarkValue

from .factories import PERIOD, make_outside, xlsx


@pytest.fixture
def benchmark(alice, tree, campaign, indicators):
    return make_outside(alice, campaign, tree.hospital, indicators)


def values():
    return {
        (v.indicator.content, v.period): (v.value, v.source)
        for v in BenchmarkValue.objects.select_related("indicator")
    }


def test_it_imports_a_table_of_values(alice, benchmark):
    count = services.benchmark_values_import(
        actor=alice,
        benchmark=benchmark,
        file=xlsx(
            [
                [1, "2024-03", 85.5, "省卫健委通报"],  # the indicator by its order number
                ["投诉率", datetime.datetime(2024, 2, 1), "3.2%", "医院年报"],  # Excel's date
                ["2", "2024年1月", 4, "医院年报"],
                [None, None, None, None],  # blank rows are skipped
            ]
        ),
    )
    assert count == 3
    assert values() == {
        ("患者满意度", "2024-03"): (Decimal("85.50"), "省卫健委通报"),
        ("投诉率", "2024-02"): (Decimal("3.20"), "医院年报"),
        ("投诉率", "2024-01"): (Decimal("4.00"), "医院年报"),
    }
    assert AuditEntry.objects.filter(object_type="benchmarks.benchmarkvalue").count() == 3


def test_an_imported_value_replaces_an_entered_one(alice, benchmark, indicators):
    services.benchmark_value_set(
        actor=alice,
        benchmark=benchmark,
        indicator=indicators[0],
        period=PERIOD,
        value=Decimal(70),
        source="旧",
    )
    services.benchmark_values_import(
        actor=alice, benchmark=benchmark, file=xlsx([["患者满意度", PERIOD, 72, "新"]])
    )
    assert values() == {("患者满意度", PERIOD): (Decimal("72.00"), "新")}


def test_a_table_with_bad_rows_is_refused_whole(alice, campaign, tree, indicators, english):
    from ducha.assessment import services as assessment_services

    unchosen = assessment_services.indicator_create(
        actor=alice, campaign=campaign, content="病历书写", weight=Decimal(0), order=3
    )
    benchmark = make_outside(alice, campaign, tree.hospital, indicators)
    services.benchmark_value_set(
        actor=alice,
        benchmark=benchmark,
        indicator=indicators[0],
        period=PERIOD,
        value=Decimal(70),
        source="旧",
    )
    with pytest.raises(ValidationError) as error:
        services.benchmark_values_import(
            actor=alice,
            benchmark=benchmark,
            file=xlsx(
                [
                    ["患者满意度", PERIOD, 90, "新"],  # row 2 is good, yet not written
                    ["不存在的指标", PERIOD, 90, "通报"],
                    ["病历书写", PERIOD, 90, "通报"],
                    ["患者满意度", "2024-13", 90, "通报"],
                    ["患者满意度", "三月", 90, "通报"],
                    ["投诉率", PERIOD, "很高", "通报"],
                    ["投诉率", "2024-02", 101, "通报"],
                    ["投诉率", "2024-01", 5, None],
                    ["患者满意度", PERIOD, 91, "通报"],
                    [9, PERIOD, 1, "通报"],
                ]
            ),
        )
    assert error.value.message_dict["file"] == [
        "Row 3: unknown indicator “不存在的指标”.",
        "Row 4: the indicator “病历书写” is not compared on in this benchmark.",
        "Row 5: give the month as YYYY-MM, not “2024-13”.",
        "Row 6: give the month as YYYY-MM, not “三月”.",
        "Row 7: the value must be a number from 0 to 100, not “很高”.",
        "Row 8: the value must be a number from 0 to 100, not “101”.",
        "Row 9: the source is missing.",
        "Row 10: the same indicator and month as row 2.",
        "Row 11: unknown indicator “9”.",
    ]
    assert unchosen.pk  # the unchosen indicator exists in the campaign
    assert values() == {("患者满意度", PERIOD): (Decimal("70.00"), "旧")}
    assert AuditEntry.objects.filter(object_type="benchmarks.benchmarkvalue").count() == 1


def test_a_table_without_its_columns_is_refused(alice, benchmark, english):
    with pytest.raises(ValidationError) as error:
        services.benchmark_values_import(
            actor=alice,
            benchmark=benchmark,
            file=xlsx([["患者满意度", PERIOD, 90]], header=("指标", "月份", "数值")),
        )
    assert error.value.message_dict["file"] == [
        "Row 1, column “来源”: This required column is missing."
    ]
    assert not BenchmarkValue.objects.exists()


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
        "指标,月份,数值,来源\n患者满意度,2024-03,90,通报\n".encode(),
        b"PK\x03\x04 a damaged zip",
        b"",
    ],
    ids=["png", "csv", "damaged", "empty"],
)
def test_a_file_that_is_not_an_xlsx_workbook_is_refused(alice, benchmark, content, english):
    with pytest.raises(ValidationError) as error:
        services.benchmark_values_import(actor=alice, benchmark=benchmark, file=io.BytesIO(content))
    messages = error.value.message_dict["file"]
    assert len(messages) == 1
    assert "xlsx" in messages[0] or "empty" in messages[0]
    assert not BenchmarkValue.objects.exists()


def test_only_who_may_enter_values_imports(sam, carol, benchmark):
    for actor in (sam, carol):
        with pytest.raises(PermissionDenied):
            services.benchmark_values_import(
                actor=actor, benchmark=benchmark, file=xlsx([["患者满意度", PERIOD, 90, "通报"]])
            )
    assert not BenchmarkValue.objects.exists()


def test_the_template_names_the_columns_and_the_indicators(benchmark):
    workbook = openpyxl.load_workbook(tables.template_workbook(benchmark))
    sheet, notes = workbook.worksheets
    assert [c.value for c in sheet[1]] == ["指标", "月份", "数值", "来源"]
    listed = [row for row in notes.iter_rows(values_only=True) if row and row[1]]
    assert (1, "患者满意度") in listed and (2, "投诉率") in listed


def test_a_filled_in_template_imports(alice, benchmark):
    workbook = openpyxl.load_workbook(tables.template_workbook(benchmark))
    workbook.worksheets[0].append(["投诉率", PERIOD, 2.5, "省通报"])
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    assert services.benchmark_values_import(actor=alice, benchmark=benchmark, file=out) == 1
