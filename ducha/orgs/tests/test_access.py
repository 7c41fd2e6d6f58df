import pytest
from django.http import Http404

from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.orgs.models import Role, RoleAssignment
from ducha.orgs.tests.factories import OrgUnitFactory, PersonFactory


def test_it_scopes_units_to_the_subtree(tree, alice, carol):
    alice_units = set(access.units_for_user(alice).values_list("code", flat=True))
    assert alice_units == {"D01", "H01", "H01-1", "H02"}
    carol_units = set(access.units_for_user(carol).values_list("code", flat=True))
    assert carol_units == {"H03"}


def test_it_reaches_units_of_any_depth(tree, alice):
    deep = tree.department
    for n in range(6):
        deep = OrgUnitFactory(code=f"X{n}", parent=deep)
    assert access.units_for_user(alice).filter(pk=deep.pk).exists()


def test_it_gives_the_same_404_for_missing_and_out_of_scope(tree, carol):
    for unit_id in (tree.hospital.pk, 999999, "abc", None):
        with pytest.raises(Http404):
            access.get_unit_for_user(carol, unit_id)


def test_it_merges_overlapping_grants(tree, alice):
    # A second role inside the first one's subtree adds nothing but must not duplicate rows.
    RoleAssignment.objects.create(person=alice.person, unit=tree.hospital, role=Role.STAFF)
    access.forget_grants(alice)
    assert access.scope_paths(alice) == [tree.county.path]
    assert access.people_for_user(alice).count() == access.people_for_user(alice).distinct().count()


def test_it_ignores_roles_of_disabled_accounts(tree, alice):
    alice.is_active = False
    alice.save()
    assert not access.units_for_user(alice).exists()


def test_it_grants_caps_by_role(tree, admin, alice, bob, dora, sam, carol):
    assert access.has_cap(admin, Cap.MANAGE_UNITS, tree.hospital)
    assert not access.has_cap(alice, Cap.MANAGE_UNITS, tree.hospital)
    assert not access.has_cap(bob, Cap.MANAGE_PEOPLE, tree.hospital)
    assert access.has_cap(dora, Cap.MANAGE_PEOPLE, tree.department)
    assert not access.has_cap(dora, Cap.MANAGE_PEOPLE, tree.hospital2)
    assert access.has_cap(sam, Cap.VIEW_PERSONAL_DATA, tree.hospital)
    assert not access.has_cap(carol, Cap.VIEW, tree.hospital)


def test_it_masks_household_data_for_those_who_do_not_need_it(tree, alice, dora, household):
    hidden = access.PlaceMasker(alice).values(household)
    assert hidden["id_number"] == "3301**********1234"
    assert hidden["phone"] == "138****5678"
    assert hidden["contact_name"] == "王**"
    shown = access.PlaceMasker(dora).values(household)
    assert shown["id_number"] == "330102198001011234"


def test_it_does_not_mask_villages(tree, alice, village):
    assert access.PlaceMasker(alice).values(village)["name"] == village.name


def test_a_person_without_an_account_sees_nothing(tree):
    person = PersonFactory(unit=tree.hospital)
    assert access.scope_paths(person.user) == []
