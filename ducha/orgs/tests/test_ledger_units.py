"""Importing org units from a spreadsheet: all rows or none, parents first, in scope only."""

import pytest
from django.core.exceptions import PermissionDenied

from ducha.audit.models import AuditEntry
from ducha.orgs.models import OrgUnit, OrgUnitChange, Role
from ducha.orgs.tests.factories import make_member
from ducha.orgs.tests.ledger_files import UNIT_HEADER, errors_of, run_import


def unit_codes() -> set[str]:
    return set(OrgUnit.objects.values_list("code", flat=True))


@pytest.fixture
def county_admin(tree):
    """A system administrator of the 东湖 county only."""
    return make_member("countyadmin", tree.county, Role.SYSTEM_ADMIN, name="区管理员").user


def test_it_imports_units_with_parents_later_in_the_file(admin, tree):
    result = run_import(
        admin,
        "units",
        [
            UNIT_HEADER,
            # The department names a parent that comes two rows later.
            ["H09-1", "儿科", "", "科室", "H09", 2],
            ["T01", "东湖镇卫生院", "", "卫生院", "D01", ""],
            ["H09", "东湖区第二人民医院", "区二院", "hospital", "D01", 1],
        ],
        name="东湖台账.xlsx",
    )

    assert result.ok, result.errors
    assert result.created == 3
    hospital = OrgUnit.objects.get(code="H09")
    department = OrgUnit.objects.get(code="H09-1")
    assert hospital.parent == tree.county
    assert hospital.path == f"{tree.county.path}{hospital.pk}/"
    assert hospital.depth == tree.county.depth + 1
    assert (hospital.short_name, hospital.kind, hospital.sort_order) == (
        "区二院",
        OrgUnit.Kind.HOSPITAL,
        1,
    )
    assert department.parent == hospital
    assert department.path == f"{hospital.path}{department.pk}/"
    assert department.depth == hospital.depth + 1
    assert OrgUnit.objects.get(code="T01").kind == OrgUnit.Kind.TOWNSHIP_CENTRE
    # Subtree queries find the imported units.
    assert set(
        OrgUnit.objects.filter(path__startswith=hospital.path).values_list("code", flat=True)
    ) == {"H09", "H09-1"}
    assert {"H09", "H09-1", "T01"} <= set(
        OrgUnit.objects.filter(path__startswith=tree.county.path).values_list("code", flat=True)
    )
    assert OrgUnitChange.objects.filter(
        unit=department, kind=OrgUnitChange.Kind.CREATED, new_parent=hospital, actor=admin
    ).exists()


def test_it_writes_one_audit_entry_per_import(admin, tree):
    before = AuditEntry.objects.count()
    run_import(
        admin,
        "units",
        [
            UNIT_HEADER,
            ["H09", "二院", "", "医院", "D01", ""],
            ["H10", "三院", "", "医院", "D01", ""],
        ],
        name="东湖台账.xlsx",
    )

    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.get(action="import")
    assert entry.actor_id == admin.pk
    assert entry.object_type == "orgs.orgunit"
    assert entry.object_repr == "东湖台账.xlsx"
    assert entry.unit_path == tree.county.path
    assert entry.after == {"file": "东湖台账.xlsx", "rows": 2, "codes": ["H09", "H10"]}


def test_it_reports_duplicate_codes_and_writes_nothing(admin, tree, english):
    before = unit_codes()
    result = run_import(
        admin,
        "units",
        [
            UNIT_HEADER,
            ["H09", "二院", "", "医院", "D01", ""],
            ["H09", "二院分院", "", "医院", "D01", ""],  # twice in the file
            ["H01", "人民医院", "", "医院", "D01", ""],  # already in the database
            ["H10", "三院", "", "医院", "D01", ""],  # fine on its own
        ],
    )

    assert not result.ok
    assert errors_of(result) == {(3, "编码"), (4, "编码")}
    reasons = [e.reason for e in result.errors]
    assert "appears more than once in the file (first on row 2)" in reasons[0]
    assert "A unit with the code “H01” already exists." in reasons[1]
    assert unit_codes() == before
    assert not AuditEntry.objects.filter(action="import").exists()


def test_it_reports_a_parent_that_does_not_exist(admin, tree, english):
    before = unit_codes()
    result = run_import(admin, "units", [UNIT_HEADER, ["H09", "二院", "", "医院", "X99", ""]])

    assert [(e.row, e.column, e.reason) for e in result.errors] == [
        (2, "上级编码", "No unit with the code “X99” among the units you manage.")
    ]
    assert unit_codes() == before


def test_it_refuses_a_parent_outside_the_importers_scope(county_admin, tree, english):
    before = unit_codes()
    result = run_import(
        county_admin,
        "units",
        [
            UNIT_HEADER,
            ["H09", "二院", "", "医院", "D01", ""],
            ["H19", "西山二院", "", "医院", "D02", ""],  # the other county
        ],
    )

    # The same words as for a missing unit: codes outside the scope can't be probed.
    assert [(e.row, e.column, e.reason) for e in result.errors] == [
        (3, "上级编码", "No unit with the code “D02” among the units you manage.")
    ]
    assert unit_codes() == before


def test_it_reports_every_bad_cell_of_a_row(admin, tree, english):
    result = run_import(admin, "units", [UNIT_HEADER, ["", "", "", "宇宙飞船", "", "第一"]])

    assert errors_of(result) == {
        (2, "编码"),
        (2, "名称"),
        (2, "类型"),
        (2, "排序"),
        (2, "上级编码"),
    }
    reasons = {e.column: e.reason for e in result.errors}
    assert reasons["类型"].startswith("“宇宙飞船” is not one of: 卫生健康委员会、卫生健康局、医院")
    assert reasons["排序"] == "“第一” is not a whole number."


def test_it_reports_parents_that_go_round_in_a_loop(admin, tree, english):
    result = run_import(
        admin,
        "units",
        [
            UNIT_HEADER,
            ["A1", "甲", "", "科室", "A2", ""],
            ["A2", "乙", "", "科室", "A1", ""],
            ["A3", "丙", "", "科室", "A3", ""],
            ["A4", "丁", "", "科室", "H01", ""],
        ],
    )

    assert errors_of(result) == {(2, "上级编码"), (3, "上级编码"), (4, "上级编码")}
    assert not OrgUnit.objects.filter(code__in=["A1", "A2", "A3", "A4"]).exists()


def test_it_refuses_units_without_a_parent_unless_superuser(admin, tree, english):
    result = run_import(admin, "units", [UNIT_HEADER, ["R9", "另一个委员会", "", "卫健委", "", ""]])
    assert [(e.row, e.column) for e in result.errors] == [(2, "上级编码")]

    admin.is_superuser = True
    admin.save()
    result = run_import(admin, "units", [UNIT_HEADER, ["R9", "另一个委员会", "", "卫健委", "", ""]])
    assert result.ok
    root = OrgUnit.objects.get(code="R9")
    assert (root.parent, root.path, root.depth) == (None, f"/{root.pk}/", 0)


def test_it_refuses_importers_who_manage_no_units(alice, carol):
    for user in (alice, carol):
        with pytest.raises(PermissionDenied):
            run_import(user, "units", [UNIT_HEADER, ["H09", "二院", "", "医院", "D01", ""]])
    assert not OrgUnit.objects.filter(code="H09").exists()


def test_it_imports_10000_units_without_a_query_per_row(admin, tree, django_assert_max_num_queries):
    rows = [UNIT_HEADER]
    for i in range(1000):
        rows.append([f"N{i:04d}", f"卫生院{i}", "", "卫生院", "D01", i])
        for j in range(9):
            rows.append([f"N{i:04d}-{j}", f"科室{i}-{j}", "", "科室", f"N{i:04d}", j])

    # SQLite takes at most 999 parameters per statement, so about 90 units per INSERT:
    # some 220 statements in all. A query per row would make it more than 10,000.
    with django_assert_max_num_queries(250):
        result = run_import(admin, "units", rows)

    assert result.ok, result.errors[:5]
    assert result.created == 10_000
    assert (
        OrgUnit.objects.filter(path__startswith=tree.county.path, code__startswith="N").count()
        == 10_000
    )
    centre = OrgUnit.objects.get(code="N0999")
    department = OrgUnit.objects.get(code="N0999-8")
    assert department.path == f"{tree.county.path}{centre.pk}/{department.pk}/"
    assert not OrgUnit.objects.filter(path__startswith="#").exists()
    assert AuditEntry.objects.get(action="import").after["rows"] == 10_000


def test_it_refuses_a_tree_deeper_than_the_limit(admin, tree, english):
    # D01 is at depth 2, so the 18th unit of a chain under it would be at depth 20.
    rows = [UNIT_HEADER, ["K1", "一级", "", "科室", "D01", ""]]
    rows += [[f"K{i}", f"{i}级", "", "科室", f"K{i - 1}", ""] for i in range(2, 19)]
    result = run_import(admin, "units", rows)

    assert [(e.row, e.column) for e in result.errors] == [(19, "上级编码")]
    assert "more than 20 levels deep" in result.errors[0].reason
    assert not OrgUnit.objects.filter(code__startswith="K").exists()
