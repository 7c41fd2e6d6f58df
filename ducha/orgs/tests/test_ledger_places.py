"""Importing places (villages, households, grid cells …) from a spreadsheet."""

import pytest
from django.core.exceptions import PermissionDenied

from ducha.audit.models import AuditEntry
from ducha.orgs.ledgers.places import id_number_problem
from ducha.orgs.models import Person, Place
from ducha.orgs.tests.ledger_files import PLACE_HEADER, errors_of, run_import

ID = "11010519491231002X"  # the check character of 11010519491231002 is X


def place_codes() -> set[str]:
    return set(Place.objects.values_list("code", flat=True))


def row(code, name, kind, unit="H01", parent="", **cells):
    values = {
        "address": "",
        "household_kind": "",
        "contact": "",
        "id": "",
        "phone": "",
        "doctor": "",
        "notes": "",
    }
    values.update(cells)
    return [code, name, kind, unit, parent, *values.values()]


def test_it_imports_places_inside_places_of_the_same_file(dora, tree, village):
    doctor = Person.objects.get(user=dora)
    result = run_import(
        dora,
        "places",
        [
            PLACE_HEADER,
            row(
                "HH07",
                "王二户",
                "农户",
                parent="G01",
                household_kind="贫困户",
                contact="王二",
                id=ID.lower(),
                phone="13800000002",
                address="东湖村三组",
            ),
            row("G01", "东湖村一网格", "网格", parent="V01", doctor=doctor.code),
            row("HH08", "李四户", "household", parent="G01"),
            row("E01", "东湖水泥厂", "企业", contact="赵厂长", notes="重点企业"),
        ],
    )

    assert result.ok, result.errors
    assert result.created == 4
    cell = Place.objects.get(code="G01")
    assert (cell.kind, cell.parent, cell.unit, cell.responsible_doctor) == (
        Place.Kind.GRID_CELL,
        village,
        tree.hospital,
        doctor,
    )
    household = Place.objects.get(code="HH07")
    assert household.parent == cell
    assert (
        household.kind,
        household.household_kind,
        household.contact_name,
        household.id_number,
        household.phone,
        household.address,
    ) == (Place.Kind.HOUSEHOLD, Place.HouseholdKind.POOR, "王二", ID, "13800000002", "东湖村三组")
    # A household without a kind of household is an "other" one, as when made on the page.
    assert Place.objects.get(code="HH08").household_kind == Place.HouseholdKind.OTHER
    enterprise = Place.objects.get(code="E01")
    assert (enterprise.contact_name, enterprise.notes) == ("赵厂长", "重点企业")
    entry = AuditEntry.objects.get(action="import")
    assert (entry.object_type, entry.unit_path, entry.after["rows"]) == (
        "orgs.place",
        tree.hospital.path,
        4,
    )


def test_it_refuses_units_and_places_outside_the_importers_scope(
    carol, tree, village, other_village, english
):
    before = place_codes()
    result = run_import(
        carol,
        "places",
        [
            PLACE_HEADER,
            row("HH21", "孙家户", "农户", unit="H03", parent="V02"),
            row("V21", "东湖新村", "村", unit="H01"),  # Dora's hospital
            row("HH22", "赵家户", "农户", unit="H03", parent="V01"),  # Dora's village
        ],
    )

    assert [(e.row, e.column, e.reason) for e in result.errors] == [
        (3, "责任单位编码", "No unit with the code “H01” among the units whose places you manage."),
        (4, "所属地点编码", "No place with the code “V01” among the places you can see."),
    ]
    assert place_codes() == before


def test_it_keeps_personal_data_to_households_and_doctors_to_grid_cells(dora, tree, english):
    before = place_codes()
    result = run_import(
        dora,
        "places",
        [
            PLACE_HEADER,
            row("V09", "新村", "村", household_kind="贫困户", id=ID, contact="村支书"),
            row("E09", "新厂", "企业", doctor=Person.objects.get(user=dora).code),
        ],
    )

    assert errors_of(result) == {(2, "户类型"), (2, "身份证号"), (2, "联系人"), (3, "责任医生工号")}
    assert place_codes() == before


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("110105194912310021", "its check character is wrong"),
        ("110105194902300020", "its birth date 19490230 does not exist"),  # a bad date
        ("11010519491231", "it must have 18 characters (or 15 digits)"),
        ("身份证", "it must have 18 characters (or 15 digits)"),
        (110105194912310020, "Enter the ID number as text"),  # Excel has rounded it
    ],
)
def test_it_refuses_bad_id_numbers(dora, tree, cell, reason, english):
    result = run_import(dora, "places", [PLACE_HEADER, row("HH09", "某户", "农户", id=cell)])

    assert [(e.row, e.column) for e in result.errors] == [(2, "身份证号")]
    assert reason in result.errors[0].reason
    assert not Place.objects.filter(code="HH09").exists()


def test_it_accepts_both_generations_of_id_numbers():
    assert id_number_problem(ID) is None
    assert id_number_problem("110105491231002") is None  # 15 digits, born 1949-12-31
    assert id_number_problem("110105491331002") is not None  # month 13


def test_it_reports_duplicates_and_loops(dora, tree, village, english):
    result = run_import(
        dora,
        "places",
        [
            PLACE_HEADER,
            row("V01", "东湖村", "村"),  # exists
            row("G1", "一网格", "网格", parent="G2"),
            row("G2", "二网格", "网格", parent="G1"),
            row("G3", "三网格", "网格"),
            row("G3", "三网格", "网格"),
        ],
    )

    assert errors_of(result) == {(2, "编码"), (3, "所属地点编码"), (4, "所属地点编码"), (6, "编码")}
    assert not Place.objects.filter(code__startswith="G").exists()


def test_it_refuses_importers_who_manage_no_places(bob, sam):
    for user in (bob, sam):
        with pytest.raises(PermissionDenied):
            run_import(user, "places", [PLACE_HEADER, row("V09", "新村", "村")])
    assert not Place.objects.filter(code="V09").exists()
