"""The rectification ledger (整改台账): export one row per problem, import all rows or none."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from freezegun import freeze_time

from ducha.audit.models import AuditEntry
from ducha.orgs.ledgers.services import ledger_export, ledger_import
from ducha.problems import ledgers, services
from ducha.problems.models import Event, Problem

from .factories import claimed, evidence, report

HEADER = ["编号", "来源", "单位编码", "类别", "问题", "整改措施", "整改目标", "整改时限", "责任人"]


@pytest.fixture(autouse=True)
def _clock():
    with freeze_time("2026-06-01 09:00:00"):
        yield


def workbook(*rows, header=HEADER) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("整改台账.xlsx", out.getvalue())


def do_import(actor, file):
    return ledger_import(actor=actor, ledger=ledgers.LEDGER, file=file, filename=file.name)


def test_it_exports_one_row_per_problem(tree, sam, dora, alice, carol, category):
    report(sam, tree.hospital, category, title="候诊区无饮水机")
    problem = claimed(sam, dora, tree.hospital, category)
    services.rectification_close(actor=alice, problem=problem, files=[evidence()])
    report(carol, tree.other_hospital, category, title="西山的问题")

    out = ledger_export(actor=alice, ledger=ledgers.LEDGER)
    sheet = openpyxl.load_workbook(out.file).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:6] == ("编号", "来源", "活动", "单位编码", "单位", "类别")
    data = {row[6]: row for row in rows[2:]}
    assert set(data) == {"候诊区无饮水机", "门诊导诊台无人值守"}  # not Carol's county
    closed = data["门诊导诊台无人值守"]
    assert closed[1] == "走访" and closed[3] == "H01"
    assert closed[8] == "安排专人轮流值守导诊台"
    assert closed[10] == datetime.datetime(2026, 6, 30)
    assert closed[11] == "多拉"
    assert closed[13:] == ("已销号", datetime.datetime(2026, 6, 1))
    assert data["候诊区无饮水机"][13] == "待处理"
    assert AuditEntry.objects.filter(action="export", object_type="problems.problem").exists()


def test_it_imports_new_problems_and_starts_their_rectification(tree, dora, category):
    result = do_import(
        dora,
        workbook(
            [
                "",
                "自查",
                "H01",
                "服务态度",
                "挂号窗口态度生硬",
                "开展礼仪培训",
                "零投诉",
                "2026-08-31",
                "多拉",
            ],
            ["", "投诉", "H01-1", "环境", "内科走廊堆放杂物", "", "", "", ""],
        ),
    )
    assert result.ok, result.errors
    assert result.created == 2
    first = Problem.objects.get(title="挂号窗口态度生硬")
    assert first.status == Problem.Status.RECTIFYING
    assert first.source == Problem.Source.SELF_INSPECTION
    assert first.rectification.deadline == datetime.date(2026, 8, 31)
    assert first.rectification.responsible_person.name == "多拉"
    assert first.rectification.warn_from == datetime.date(2026, 8, 24)
    second = Problem.objects.get(title="内科走廊堆放杂物")
    assert (second.status, second.unit) == (Problem.Status.REPORTED, tree.department)
    assert Event.objects.filter(problem=second, kind="reported").exists()
    entry = AuditEntry.objects.get(action="import")
    assert entry.after["rows"] == 2


def test_a_round_trip_leaves_the_exported_rows_alone(tree, sam, dora, category):
    report(sam, tree.hospital, category)
    out = ledger_export(actor=dora, ledger=ledgers.LEDGER)
    file = SimpleUploadedFile("整改台账.xlsx", out.file.read())
    assert do_import(dora, file).created == 0
    assert Problem.objects.count() == 1


def test_one_bad_row_imports_nothing_and_every_problem_is_named(tree, dora, carol, category):
    result = do_import(
        dora,
        workbook(
            ["", "自查", "H01", "服务态度", "好的一行", "", "", "", ""],
            ["", "天上掉的", "H03", "不存在", "坏的一行", "培训", "", "2026-05-01", "无名氏"],
            ["999", "自查", "H01", "服务态度", "别人的编号", "", "", "", ""],
        ),
    )
    assert not result.ok
    assert not Problem.objects.exists()
    found = {(e.row, e.column) for e in result.errors}
    assert {
        (3, "来源"),
        (3, "单位编码"),
        (3, "类别"),
        (3, "整改目标"),
        (3, "整改时限"),
        (4, "编号"),
    } <= found


def test_carol_cannot_import_into_the_hospital(tree, carol, category):
    result = do_import(carol, workbook(["", "自查", "H01", "服务态度", "越权", "", "", "", ""]))
    assert [(e.row, e.column) for e in result.errors] == [(2, "单位编码")]
    assert not Problem.objects.exists()
