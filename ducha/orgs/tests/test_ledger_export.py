"""Exporting ledgers to .xlsx: scoped, masked, audited, and readable by the importer."""

import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ducha.audit.models import AuditEntry
from ducha.orgs.ledgers import services
from ducha.orgs.models import Person, Place, Role
from ducha.orgs.tests.factories import (
    HouseholdFactory,
    OrgUnitFactory,
    PersonFactory,
    PlaceFactory,
    PostFactory,
    make_member,
)
from ducha.orgs.tests.ledger_files import run_import, sheet_rows, table_of, upload

ID = "11010519491231002X"


def export(user, kind: str) -> bytes:
    return services.ledger_export(actor=user, ledger=services.LEDGERS[kind]).file.read()


def codes_in(data: bytes) -> set[str]:
    return {row[0] for row in sheet_rows(data)[2:]}


def test_it_exports_only_the_units_in_scope(carol, alice, tree):
    assert codes_in(export(carol, "units")) == {"H03"}
    assert codes_in(export(alice, "units")) == {"D01", "H01", "H01-1", "H02"}


def test_it_writes_a_title_then_the_header_row_the_importer_finds(admin, tree):
    data = export(admin, "units")
    rows = sheet_rows(data)

    assert rows[0][0].startswith("组织机构台账")
    assert rows[1] == ("编码", "名称", "简称", "类型", "上级编码", "排序")
    assert ("H01-1", "内科", None, "科室", "H01", 0) in rows
    table = table_of(data, "units")
    assert table.header_row == 2
    assert [values["code"] for _n, values in table.rows] == [r[0] for r in rows[2:]]


def test_it_exports_people_in_scope_with_their_posts(carol, dora, tree):
    zhang = PersonFactory(code="H03-9", name="张伟", unit=tree.other_hospital, gender="male")
    PostFactory(person=zhang, title="院长", sort_order=0)
    PostFactory(person=zhang, title="党委书记", sort_order=1)

    rows = sheet_rows(export(carol, "people"))

    assert rows[1] == ("工号", "姓名", "性别", "单位编码", "职务", "党员", "电话", "邮箱")
    assert ("H03-9", "张伟", "男", "H03", "院长、党委书记", "否", None, None) in rows
    assert Person.objects.get(user=dora).code not in {r[0] for r in rows}


def test_it_masks_households_for_users_who_may_not_read_them(alice, dora, tree, village):
    HouseholdFactory(code="HH01", name="王大明户", unit=tree.hospital, parent=village, id_number=ID)

    masked = {r[0]: r for r in sheet_rows(export(alice, "places"))[2:]}
    shown = {r[0]: r for r in sheet_rows(export(dora, "places"))[2:]}

    # 名称, 联系人, 身份证号, 电话 are columns 2, 8, 9 and 10.
    assert (masked["HH01"][1], masked["HH01"][7], masked["HH01"][8], masked["HH01"][9]) == (
        "王***",
        "王**",
        "1101**********002X",
        "138****5678",
    )
    assert (shown["HH01"][1], shown["HH01"][8], shown["HH01"][9]) == ("王大明户", ID, "13812345678")
    assert masked["V01"][1] == "东湖村"  # villages are not personal data


def test_it_round_trips_places_through_an_export(dora, tree, village):
    doctor = Person.objects.get(user=dora)
    cell = PlaceFactory(
        code="G01", name="一网格", kind=Place.Kind.GRID_CELL, unit=tree.hospital, parent=village
    )
    cell.responsible_doctor = doctor
    cell.save()
    HouseholdFactory(
        code="HH01", unit=tree.department, parent=cell, id_number=ID, address="三组", notes="独居"
    )
    fields = ["code", "name", "kind", "unit_id", "parent__code", "household_kind", "contact_name"]
    fields += ["id_number", "phone", "responsible_doctor_id", "address", "notes"]
    before = sorted(Place.objects.values_list(*fields))
    data = export(dora, "places")
    for kind in (Place.Kind.HOUSEHOLD, Place.Kind.GRID_CELL, Place.Kind.VILLAGE):
        Place.objects.filter(kind=kind).delete()

    result = services.ledger_import(
        actor=dora, ledger=services.LEDGERS["places"], file=upload(data), filename="地点.xlsx"
    )

    assert result.ok, result.errors
    assert sorted(Place.objects.values_list(*fields)) == before


def test_it_records_each_export(carol, tree):
    export(carol, "people")

    entry = AuditEntry.objects.get(action="export")
    assert (entry.actor_id, entry.object_type, entry.unit_path) == (
        carol.pk,
        "orgs.person",
        tree.other_hospital.path,
    )
    assert entry.after["rows"] == 1
    assert entry.object_repr.startswith("人员-") and entry.object_repr.endswith(".xlsx")


def test_it_exports_with_the_same_queries_for_3_or_300_people(admin, tree):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            export(admin, "people")
        return len(captured.captured_queries)

    export(admin, "people")  # the first audit entry also creates the chain's head
    few = queries()
    unit = OrgUnitFactory(parent=tree.county)
    for person in PersonFactory.create_batch(300, unit=unit):
        PostFactory(person=person)
    assert queries() == few


def test_it_keeps_text_that_looks_like_a_formula_as_text(admin, tree):
    OrgUnitFactory(code="X1", name='=HYPERLINK("http://evil")', parent=tree.county)

    sheet = openpyxl.load_workbook(io.BytesIO(export(admin, "units"))).worksheets[0]
    cell = next(row[1] for row in sheet.iter_rows(min_row=3) if row[0].value == "X1")
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://evil")', "s")


def test_it_refuses_exports_to_users_without_a_role(tree):
    nobody = make_member("nobody", tree.hospital, None).user
    with pytest.raises(PermissionDenied):
        services.ledger_export(actor=nobody, ledger=services.LEDGERS["units"])
    assert not AuditEntry.objects.filter(action="export").exists()


@pytest.mark.parametrize("kind", ["units", "people", "places"])
def test_it_gives_a_template_whose_example_row_imports(kind, admin, tree, village):
    data = services.ledger_template(ledger=services.LEDGERS[kind]).file.read()
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    header = [c.value for c in workbook.worksheets[0][1]]
    notes = workbook["说明"]
    example = [c.value for c in list(notes.iter_rows())[-1]]

    assert header == [c.header for c in services.LEDGERS[kind].columns]
    assert [c.value for c in list(notes.iter_rows())[-2]] == header
    assert notes.max_row == len(header) + 5  # titles, one row a column, gap, example

    result = run_import(admin, kind, [header, example])
    assert result.ok, result.errors
    assert result.created == 1


def test_it_needs_a_role_to_see_coordinator_rows(tree):
    # A coordinator made at the department sees only that department's people.
    coordinator = make_member("dept", tree.department, Role.COORDINATOR, name="科室联络员").user
    assert codes_in(export(coordinator, "people")) == {Person.objects.get(user=coordinator).code}
