import pytest
from django.urls import reverse

from ducha.audit.models import AuditEntry
from ducha.orgs.models import Person, Role, RoleAssignment
from ducha.orgs.tests.factories import make_member


@pytest.fixture
def county_admin(tree):
    return make_member("countyadmin", tree.county, Role.SYSTEM_ADMIN).user


def _assign(client, person, unit, role=Role.INSPECTOR):
    return client.post(
        reverse("accounts-role-assign", args=[person.pk]), {"role": role, "unit": unit.pk}
    )


def test_it_assigns_a_role_within_the_managers_scope(client, county_admin, sam, tree):
    person = Person.objects.get(user=sam)
    client.force_login(county_admin)

    response = _assign(client, person, tree.county)
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(person=person, role=Role.INSPECTOR)
    assert assignment.unit == tree.county
    assert AuditEntry.objects.filter(
        object_type="orgs.roleassignment", object_id=str(assignment.pk), action="create"
    ).exists()


def test_it_refuses_a_unit_outside_the_managers_scope(client, county_admin, sam, tree):
    person = Person.objects.get(user=sam)
    client.force_login(county_admin)
    for unit in (tree.city, tree.other_county):
        response = _assign(client, person, unit, role=Role.SYSTEM_ADMIN)
        assert response.status_code == 200
    assert not person.roles.filter(role=Role.SYSTEM_ADMIN).exists()


def test_it_refuses_other_counties_and_non_managers(client, carol, alice, sam, tree):
    person = Person.objects.get(user=sam)
    client.force_login(carol)
    assert _assign(client, person, tree.hospital).status_code == 404
    client.force_login(alice)
    assert _assign(client, person, tree.hospital).status_code == 403
    assert list(person.roles.values_list("role", flat=True)) == [Role.STAFF]


def test_it_revokes_a_role(client, county_admin, admin, carol, alice, sam, tree):
    person = Person.objects.get(user=sam)
    staff = person.roles.get()
    at_city = RoleAssignment.objects.create(person=person, unit=tree.city, role=Role.INSPECTOR)
    url = reverse("accounts-role-revoke", args=[staff.pk])

    client.force_login(carol)
    assert client.post(url).status_code == 404
    assert client.post(reverse("accounts-role-revoke", args=[999999])).status_code == 404
    client.force_login(alice)
    assert client.post(url).status_code == 403
    client.force_login(county_admin)
    assert client.post(reverse("accounts-role-revoke", args=[at_city.pk])).status_code == 403
    assert RoleAssignment.objects.filter(pk__in=[staff.pk, at_city.pk]).count() == 2

    assert client.post(url).status_code == 302
    assert not RoleAssignment.objects.filter(pk=staff.pk).exists()
    assert AuditEntry.objects.filter(
        object_type="orgs.roleassignment", object_id=str(staff.pk), action="delete"
    ).exists()


def test_it_offers_revoking_only_where_the_manager_may(client, county_admin, sam, tree):
    person = Person.objects.get(user=sam)
    staff = person.roles.get()
    at_city = RoleAssignment.objects.create(person=person, unit=tree.city, role=Role.INSPECTOR)
    client.force_login(county_admin)
    body = client.get(reverse("accounts-account-create", args=[person.pk])).content.decode()
    assert reverse("accounts-role-revoke", args=[staff.pk]) in body
    assert reverse("accounts-role-revoke", args=[at_city.pk]) not in body
