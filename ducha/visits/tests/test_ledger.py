import datetime
import io

import pytest
from openpyxl import Workbook, load_workbook

from ducha.audit.models import AuditEntry
from ducha.orgs.models import Role
from ducha.orgs.tests.factories import make_member
from ducha.visits import ledgers
from ducha.visits.models import Visit

from .factories import builtin, make_visit

D = datetime.date
HEADERS = [c.header for c in ledgers.COLUMNS]


@pytest.fixture
def visits(tree, campaign, sam, dora, village, household):
    first = make_visit(
        campaign,
        tree.hospital,
        D(2024, 4, 2),
        [sam.person, dora.person],
        [village, household],
        checklist=builtin("sanfang-sanwen-sancha"),
        checklist_answers={"visit_poor": True, "ask_ideas": "发展蜜橘"},
        notes="=入户走访",
        problems_found="村卫生室缺药",
        created_by=sam,
    )
    second = make_visit(campaign, tree.hospital, D(2024, 5, 3), [sam.person], [village])
    return [first, second]


def _sheet(export):
    return load_workbook(export.file).active


def _rows(sheet):
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_it_exports_a_tidy_ledger_with_title_period_and_totals(tree, campaign, dora, visits):
    export = ledgers.visit_ledger_export(actor=dora, campaign=campaign, unit=tree.hospital)
    assert export.rows == 2
    assert export.filename.startswith("走访台账-")
    sheet = _sheet(export)
    rows = _rows(sheet)
    assert rows[0][0] == "东湖区进村入企大走访活动走访台账"
    assert rows[1][0].startswith("单位：东湖区人民医院　　期间：2024-03-01 至 2024-08-31")
    assert rows[2] == HEADERS
    col = {h: i for i, h in enumerate(HEADERS)}
    first = rows[3]
    assert first[col["序号"]] == 1
    assert first[col["日期"]].date() == D(2024, 4, 2)
    assert first[col["走访人员"]] == "多拉、山姆"
    assert first[col["人数"]] == 2
    # Dora keeps the hospital's records: she reads the household's name.
    assert first[col["走访对象"]] == "王大明户、东湖村"
    assert first[col["完成事项"]] == "访贫困户\n问发展思路：发展蜜橘"
    # Text that looks like a formula stays text.
    assert first[col["走访情况"]] == "=入户走访"
    assert sheet.cell(row=4, column=col["走访情况"] + 1).data_type == "s"
    totals = rows[5]
    assert totals[col["序号"]] == "合计"
    assert totals[col["日期"]] == "2次"
    assert totals[col["人数"]] == 3
    assert totals[col["走访对象"]] == "2个地点"
    assert totals[col["发现问题"]] == "1次走访发现问题"
    assert sheet.freeze_panes == "A4"
    entry = AuditEntry.objects.get(action="export", object_type="visits.visit")
    assert entry.after["rows"] == 2


def test_it_masks_households_for_an_exporter_without_the_right(tree, campaign, alice, visits):
    rows = _rows(_sheet(ledgers.visit_ledger_export(actor=alice, campaign=campaign)))
    content = repr(rows)
    assert "王大明户" not in content
    assert "王***" in content


def test_the_other_county_exports_nothing_of_it(tree, campaign, carol, visits):
    from django.http import Http404

    with pytest.raises(Http404):
        ledgers.visit_ledger_export(actor=carol, campaign=campaign)


def _upload(rows, title=True) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append(["东湖区走访台账"])
        sheet.append(["单位：东湖区人民医院"])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append([row.get(h, "") for h in HEADERS])
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


def _row(**cells):
    return {
        "日期": "2024-05-06",
        "走访单位编码": "H01",
        "走访人员工号": "",
        "走访对象编码": "V01",
        "遵守纪律": "是",
        **cells,
    }


def test_it_imports_the_same_layout_back(today, tree, campaign, dora, sam, village, household):
    file = _upload(
        [
            _row(
                走访人员工号=f"{sam.person.code}、{dora.person.code}",
                走访对象编码="V01、HH01",
                完成事项="访贫困户\n问发展思路：发展蜜橘",
                走访情况="入户走访",
            ),
            _row(
                日期="2024-05-07",
                走访人员工号=sam.person.code,
                清单="六个一",
                完成事项="1\n4：修路",
            ),
            {"序号": "合计", "日期": "2次"},
        ]
    )
    result = ledgers.visit_ledger_import(
        actor=dora, campaign=campaign, file=file, filename="台账.xlsx"
    )
    assert result.ok, result.errors
    assert result.created == 2
    first, second = Visit.objects.order_by("date")
    assert {p.code for p in first.places.all()} == {"V01", "HH01"}
    assert {p.pk for p in first.visitors.all()} == {sam.person.pk, dora.person.pk}
    assert first.checklist.code == "sanfang-sanwen-sancha"
    assert first.checklist_answers == {"visit_poor": True, "ask_ideas": "发展蜜橘"}
    assert first.created_by == dora
    assert second.checklist.code == "liugeyi"
    assert second.checklist_answers == {"households": True, "practical_thing": "修路"}
    assert AuditEntry.objects.filter(action="import", object_type="visits.visit").count() == 1


def test_an_export_imports_into_an_empty_campaign(today, tree, campaign, dora, visits):
    export = ledgers.visit_ledger_export(actor=dora, campaign=campaign)
    Visit.objects.all().delete()
    result = ledgers.visit_ledger_import(
        actor=dora, campaign=campaign, file=export.file, filename="台账.xlsx"
    )
    assert result.ok, result.errors
    assert Visit.objects.count() == 2


def test_mixed_good_and_bad_rows_import_nothing(
    english, today, tree, campaign, dora, sam, village, other_village
):
    staff = [make_member(f"s{n}", tree.hospital, Role.STAFF, name=f"职工{n}") for n in range(6)]
    six = "、".join(p.code for p in staff)
    file = _upload(
        [
            _row(走访人员工号=sam.person.code),
            _row(走访人员工号=six),
            _row(日期="2024-05-20", 走访人员工号=sam.person.code),
            _row(日期="2024-02-01", 走访人员工号=sam.person.code),
            _row(走访人员工号=sam.person.code, 走访对象编码="V02"),
            _row(日期="2024-05-09", 走访人员工号=sam.person.code, 遵守纪律="否"),
            _row(走访人员工号="NOBODY"),
        ]
    )
    result = ledgers.visit_ledger_import(
        actor=dora, campaign=campaign, file=file, filename="x.xlsx"
    )
    assert not result.ok
    problems = {(e.row, e.column): e.reason for e in result.errors}
    assert problems == {
        (
            5,
            "走访人员工号",
        ): "A visit group has at most 5 people under this campaign; this one has 6.",
        (6, "日期"): "A visit cannot be dated in the future (today is 2024-05-15).",
        (7, "日期"): "The campaign runs from 2024-03-01 to 2024-08-31; 2024-02-01 is outside it.",
        # Another county's village: unknown to Dora, as if it did not exist.
        (8, "走访对象编码"): "No place with the code “V02” among the places you can see.",
        (
            9,
            "遵守纪律",
        ): "The visit group must affirm that it kept the campaign's discipline rules.",
        (
            10,
            "走访人员工号",
        ): "No person with the staff number “NOBODY” among the people you can see.",
    }
    assert not Visit.objects.exists()
    assert not AuditEntry.objects.filter(action="import").exists()


def test_a_ledger_imported_twice_is_refused_the_second_time(
    english, today, tree, campaign, dora, sam, village
):
    rows = [_row(走访人员工号=sam.person.code)]
    first = ledgers.visit_ledger_import(
        actor=dora, campaign=campaign, file=_upload(rows), filename="a.xlsx"
    )
    assert first.ok
    again = ledgers.visit_ledger_import(
        actor=dora, campaign=campaign, file=_upload(rows), filename="a.xlsx"
    )
    assert [e.reason for e in again.errors] == ["This visit is already recorded."]
    twice = ledgers.visit_ledger_import(
        actor=dora,
        campaign=campaign,
        file=_upload([_row(日期="2024-05-08", 走访人员工号=sam.person.code)] * 2),
        filename="b.xlsx",
    )
    assert [e.reason for e in twice.errors] == ["The same visit is on row 4."]
    assert Visit.objects.count() == 1
