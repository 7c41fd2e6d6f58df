import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ducha.audit.models import AuditEntry
from ducha.orgs import services
from ducha.orgs.models import OrgUnit, OrgUnitChange


def test_it_creates_a_unit_with_its_path(tree, admin):
    unit = services.unit_create(
        actor=admin, parent=tree.hospital, code="H01-2", name="外科", kind=OrgUnit.Kind.DEPARTMENT
    )
    unit.refresh_from_db()
    assert unit.path == f"{tree.hospital.path}{unit.pk}/"
    assert unit.depth == tree.hospital.depth + 1
    entry = AuditEntry.objects.get(object_type="orgs.orgunit", object_id=str(unit.pk))
    assert entry.action == "create" and entry.actor_id == admin.pk
    assert entry.after["name"] == "外科"


def test_it_refuses_to_create_outside_scope(tree, carol, admin):
    with pytest.raises(PermissionDenied):
        services.unit_create(
            actor=carol, parent=tree.hospital, code="Z1", name="Z", kind=OrgUnit.Kind.DEPARTMENT
        )
    assert not OrgUnit.objects.filter(code="Z1").exists()


def test_it_moves_a_whole_subtree(tree, admin):
    services.unit_move(actor=admin, unit=tree.hospital, new_parent=tree.other_county)
    for unit in (tree.hospital, tree.department):
        unit.refresh_from_db()
    assert tree.hospital.parent_id == tree.other_county.pk
    assert tree.hospital.path == f"{tree.other_county.path}{tree.hospital.pk}/"
    assert tree.department.path == f"{tree.hospital.path}{tree.department.pk}/"
    assert tree.department.depth == tree.hospital.depth + 1
    change = OrgUnitChange.objects.get(unit=tree.hospital, kind=OrgUnitChange.Kind.MOVED)
    assert change.old_parent_id == tree.county.pk and change.new_parent_id == tree.other_county.pk


def test_it_refuses_a_move_under_its_own_descendant(tree, admin):
    paths_before = dict(OrgUnit.objects.values_list("pk", "path"))
    for target in (tree.department, tree.hospital):
        with pytest.raises(ValidationError):
            services.unit_move(actor=admin, unit=tree.hospital, new_parent=target)
    assert dict(OrgUnit.objects.values_list("pk", "path")) == paths_before


def test_it_keeps_renames_in_history(tree, admin):
    services.unit_update(actor=admin, unit=tree.hospital, name="东湖区第一人民医院")
    change = OrgUnitChange.objects.get(unit=tree.hospital, kind=OrgUnitChange.Kind.RENAMED)
    assert (change.old_name, change.new_name) == ("东湖区人民医院", "东湖区第一人民医院")


def test_it_refuses_to_delete_a_unit_with_children(tree, admin):
    with pytest.raises(ValidationError):
        services.unit_delete(actor=admin, unit=tree.hospital)
    assert OrgUnit.objects.filter(pk=tree.hospital.pk).exists()
    department_id = tree.department.pk
    services.unit_delete(actor=admin, unit=tree.department)
    assert not OrgUnit.objects.filter(pk=department_id).exists()
    assert AuditEntry.objects.filter(action="delete", object_id=str(department_id)).exists()


def test_it_refuses_duplicate_codes(tree, admin):
    with pytest.raises(ValidationError) as exc:
        services.unit_create(
            actor=admin, parent=tree.county, code="H01", name="重复", kind=OrgUnit.Kind.HOSPITAL
        )
    assert "code" in exc.value.message_dict
