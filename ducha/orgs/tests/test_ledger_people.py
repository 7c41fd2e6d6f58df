"""Importing people from a spreadsheet into units whose people the importer manages."""

import pytest
from django.core.exceptions import PermissionDenied

from ducha.audit.models import AuditEntry
from ducha.orgs.models import Person
from ducha.orgs.tests.ledger_files import PERSON_HEADER, errors_of, run_import


def person_codes() -> set[str]:
    return set(Person.objects.values_list("code", flat=True))


def test_it_imports_people_with_posts_and_party_membership(dora, tree):
    result = run_import(
        dora,
        "people",
        [
            [*PERSON_HEADER, "电话", "邮箱"],
            ["H01-0001", "张伟", "男", "H01", "院长、党委书记; 院长", "是", 13800000001, ""],
            ["H01-0002", "李娜", "女", "H01-1", "", "否", "", "lina@example.cn"],
            ["H01-0003", "王芳", "", "H01", "护士长", "", "", ""],
        ],
    )

    assert result.ok, result.errors
    assert result.created == 3
    zhang = Person.objects.get(code="H01-0001")
    assert (zhang.name, zhang.gender, zhang.unit, zhang.is_party_member, zhang.phone) == (
        "张伟",
        Person.Gender.MALE,
        tree.hospital,
        True,
        "13800000001",
    )
    assert list(zhang.posts.values_list("title", "unit__code")) == [
        ("院长", "H01"),
        ("党委书记", "H01"),
    ]
    li = Person.objects.get(code="H01-0002")
    assert (li.unit, li.gender, li.is_party_member, li.email) == (
        tree.department,
        Person.Gender.FEMALE,
        False,
        "lina@example.cn",
    )
    assert Person.objects.get(code="H01-0003").gender == ""
    entry = AuditEntry.objects.get(action="import")
    assert (entry.object_type, entry.actor_id, entry.unit_path) == (
        "orgs.person",
        dora.pk,
        tree.hospital.path,
    )
    assert entry.after["codes"] == ["H01-0001", "H01-0002", "H01-0003"]


def test_it_refuses_units_outside_the_importers_scope(dora, tree, english):
    before = person_codes()
    result = run_import(
        dora,
        "people",
        [
            PERSON_HEADER,
            ["H01-0001", "张伟", "男", "H01", "", ""],
            ["H02-0001", "赵强", "男", "H02", "", ""],  # a sibling hospital
            ["H03-0001", "孙丽", "女", "H03", "", ""],  # the other county
            ["X-0001", "周杰", "男", "X99", "", ""],  # no such unit
        ],
    )

    assert errors_of(result) == {(3, "单位编码"), (4, "单位编码"), (5, "单位编码")}
    assert (
        result.errors[1].reason
        == "No unit with the code “H03” among the units whose people you manage."
    )
    assert person_codes() == before
    assert not AuditEntry.objects.filter(action="import").exists()


def test_it_reports_bad_cells_and_duplicates(dora, tree, english):
    existing = Person.objects.get(user=dora).code
    before = person_codes()
    result = run_import(
        dora,
        "people",
        [
            [*PERSON_HEADER, "邮箱"],
            ["H01-0001", "张伟", "未知", "H01", "", "也许", "not-an-address"],
            ["H01-0001", "张伟", "男", "H01", "", "", ""],
            [existing, "多拉", "女", "H01", "", "", ""],
            ["H01-0004", "", "女", "", "院" * 51, "", ""],
        ],
    )

    assert errors_of(result) == {
        (2, "性别"),
        (2, "党员"),
        (2, "邮箱"),
        (3, "工号"),
        (4, "工号"),
        (5, "姓名"),
        (5, "单位编码"),
        (5, "职务"),
    }
    assert person_codes() == before


def test_it_refuses_importers_who_manage_no_people(alice, bob):
    for user in (alice, bob):
        with pytest.raises(PermissionDenied):
            run_import(user, "people", [PERSON_HEADER, ["P1", "张伟", "男", "H01", "", ""]])
    assert not Person.objects.filter(code="P1").exists()
