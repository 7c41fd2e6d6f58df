import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from openpyxl import Workbook

from ducha.audit.models import AuditEntry
from ducha.orgs.models import Place, Role
from ducha.orgs.tests.factories import OrgUnitFactory, PlaceFactory, make_member
from ducha.visits import contacts, selectors, services
from ducha.visits.models import ContactAssignment

Kind = ContactAssignment.Kind


def _xlsx(rows) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


def test_the_campaign_office_pairs_a_unit_with_a_village(tree, campaign, alice, village):
    assignment = services.contact_assignment_add(
        actor=alice,
        campaign=campaign,
        kind=Kind.UNIT_PLACE,
        unit=tree.hospital2,
        target_place=village,
    )
    assert ContactAssignment.objects.get() == assignment
    assert AuditEntry.objects.filter(
        action="create", object_type="visits.contactassignment"
    ).exists()
    # The paired unit may now record visits to the village and the households in it.
    assert village in selectors.contact_places(campaign, tree.hospital2)


@pytest.mark.parametrize(
    ("kind", "target", "field"),
    [
        (Kind.UNIT_PLACE, "household", "target_place"),
        (Kind.UNIT_PLACE, "other_village", "target_place"),
        (Kind.DOCTOR_GRID, "village", "target_place"),
    ],
)
def test_it_refuses_pairs_that_do_not_fit_the_kind(
    request, tree, campaign, alice, sam, kind, target, field
):
    place = request.getfixturevalue(target)
    with pytest.raises(ValidationError) as caught:
        services.contact_assignment_add(
            actor=alice,
            campaign=campaign,
            kind=kind,
            unit=tree.hospital,
            person=sam.person,
            target_place=place,
        )
    assert field in caught.value.message_dict
    assert not ContactAssignment.objects.exists()


def test_it_refuses_the_same_pair_twice(tree, campaign, alice, bob):
    services.contact_assignment_add(
        actor=alice,
        campaign=campaign,
        kind=Kind.LEADER_UNIT,
        person=bob.person,
        target_unit=tree.hospital,
    )
    with pytest.raises(ValidationError):
        services.contact_assignment_add(
            actor=alice,
            campaign=campaign,
            kind=Kind.LEADER_UNIT,
            person=bob.person,
            target_unit=tree.hospital,
        )


def test_only_the_campaign_office_assigns(tree, campaign, dora, carol, bob):
    with pytest.raises(PermissionDenied):
        services.contact_assignment_add(
            actor=dora,
            campaign=campaign,
            kind=Kind.LEADER_UNIT,
            person=bob.person,
            target_unit=tree.hospital,
        )
    with pytest.raises(Http404):
        services.contact_assignment_add(
            actor=carol,
            campaign=campaign,
            kind=Kind.LEADER_UNIT,
            person=bob.person,
            target_unit=tree.hospital,
        )


def test_it_splits_the_plans_wording():
    assert contacts.split_targets("院桥中心卫生院及其管辖乡、镇（街道）卫生院") == (
        ["院桥中心卫生院"],
        True,
    )
    assert contacts.split_targets(
        "区卫生监督所、区疾病控制中心、北洋中心卫生院及其管辖乡、镇卫生院"
    ) == (
        ["区卫生监督所", "区疾病控制中心", "北洋中心卫生院"],
        True,
    )
    assert contacts.split_targets("区第三人民医院、区妇幼保健院") == (
        ["区第三人民医院", "区妇幼保健院"],
        False,
    )


def test_it_imports_the_plans_visiting_table_by_names(tree, campaign, alice, bob):
    tree.hospital.short_name = "区人民医院"
    tree.hospital.save()
    wang = make_member("wang", tree.county, Role.BUREAU_LEADER, name="王蔚")
    file = _xlsx(
        [
            ["局领导班子成员走访活动安排表"],
            ["姓  名", "职  务", "调研单位"],
            ["鲍勃", "副局长", "区人民医院"],
            ["王  蔚", "党委委员、副局长", "东湖区中医院及其管辖乡、镇卫生院"],
        ]
    )
    result = contacts.contacts_import(
        actor=alice, campaign=campaign, file=file, filename="附件2.xlsx"
    )
    assert result.ok, result.errors
    assert result.created == 2
    rows = {
        (a.person, a.target_unit, a.target_text)
        for a in ContactAssignment.objects.filter(kind=Kind.LEADER_UNIT)
    }
    assert rows == {
        (bob.person, tree.hospital, "区人民医院"),
        (wang, tree.hospital2, "东湖区中医院及其管辖乡、镇卫生院"),
    }
    assert AuditEntry.objects.filter(
        action="import", object_type="visits.contactassignment"
    ).exists()


def test_an_import_with_a_bad_row_writes_nothing(english, tree, campaign, alice, bob):
    OrgUnitFactory(code="H09", name="东湖区妇幼保健院", parent=tree.county)
    file = _xlsx(
        [
            ["姓名", "职务", "调研单位"],
            ["鲍勃", "副局长", "东湖区人民医院"],
            ["无名氏", "副局长", "东湖区中医院"],
            ["鲍勃", "副局长", "火星医院"],
        ]
    )
    result = contacts.contacts_import(actor=alice, campaign=campaign, file=file, filename="a.xlsx")
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [(3, "姓名"), (4, "联系对象")]
    assert result.errors[0].reason == "Nobody named “无名氏” works under the campaign."
    assert result.errors[1].reason == "“火星医院” matches no single unit under the campaign."
    assert not ContactAssignment.objects.exists()


def test_it_imports_unit_village_pairs_by_code(tree, campaign, alice, village):
    enterprise = PlaceFactory(
        code="E07", name="东湖塑料厂", unit=tree.hospital2, kind=Place.Kind.ENTERPRISE
    )
    file = _xlsx(
        [
            ["类型", "单位编码", "联系对象编码"],
            ["结对村企", "H02", f"{village.code}、{enterprise.code}"],
        ]
    )
    result = contacts.contacts_import(actor=alice, campaign=campaign, file=file, filename="b.xlsx")
    assert result.ok, result.errors
    assert {a.target_place for a in ContactAssignment.objects.filter(unit=tree.hospital2)} == {
        village,
        enterprise,
    }
