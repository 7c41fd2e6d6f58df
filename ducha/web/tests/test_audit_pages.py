import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ducha.audit.models import AuditEntry
from ducha.orgs import services
from ducha.orgs.models import Role, RoleAssignment
from ducha.orgs.tests.factories import make_member

URL = "/audit/"
ROW = re.compile(r'data-seq="(\d+)"')


@pytest.fixture
def county_admin(tree):
    """A system administrator whose role is at the county bureau, not the city."""
    return make_member("countyadmin", tree.county, Role.SYSTEM_ADMIN).user


@pytest.fixture
def renames(admin, tree):
    """One rename in our county and one in the other county."""
    services.unit_update(actor=admin, unit=tree.hospital2, name="东湖区中西医结合医院")
    services.unit_update(actor=admin, unit=tree.other_hospital, name="西山县第一人民医院")
    entries = AuditEntry.objects.filter(action="update", object_type="orgs.orgunit")
    by_unit = {e.object_id: e for e in entries}
    return by_unit[str(tree.hospital2.pk)], by_unit[str(tree.other_hospital.pk)]


def _seqs(response) -> set[int]:
    assert response.status_code == 200
    return {int(s) for s in ROW.findall(response.content.decode())}


def test_it_lists_entries_in_scope_only(client, county_admin, admin, renames):
    ours, theirs = renames
    client.force_login(county_admin)
    assert _seqs(client.get(URL)) == {ours.seq}
    client.force_login(admin)
    assert {ours.seq, theirs.seq} <= _seqs(client.get(URL))


def test_it_refuses_users_without_audit_rights(client, alice, carol, renames):
    for user in (alice, carol):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.get(reverse("audit-entry-detail", args=[renames[0].seq])).status_code == 403
    client.logout()
    assert client.get(URL).status_code == 302


def test_it_filters_entries(client, admin, tree, renames):
    ours, theirs = renames
    client.force_login(admin)
    assert _seqs(
        client.get(URL, {"object_id": tree.hospital2.pk, "object_type": "orgs.orgunit"})
    ) == {ours.seq}
    assert _seqs(client.get(URL, {"action": "delete"})) == set()
    assert {ours.seq, theirs.seq} <= _seqs(client.get(URL, {"actor": "ADM"}))
    assert _seqs(client.get(URL, {"actor": "nobody"})) == set()
    AuditEntry.objects.filter(pk=theirs.pk).update(at="2024-05-01T04:00:00Z")
    day = {"date_from": "2024-05-01", "date_to": "2024-05-01"}
    assert _seqs(client.get(URL, day)) == {theirs.seq}


def test_it_paginates_by_fifty(client, admin, tree):
    for n in range(60):
        services.unit_update(actor=admin, unit=tree.hospital2, sort_order=n + 1)
    client.force_login(admin)
    first = _seqs(client.get(URL, {"object_type": "orgs.orgunit"}))
    second = _seqs(client.get(URL, {"object_type": "orgs.orgunit", "page": 2}))
    assert len(first) == 50
    assert len(second) == 10
    assert not first & second


def test_it_lists_with_a_fixed_number_of_queries(
    client, admin, tree, household, django_assert_num_queries
):
    def changes(n):
        for i in range(n):
            services.unit_update(actor=admin, unit=tree.hospital2, sort_order=i + 100)
            services.place_update(actor=admin, place=household, phone=f"1380000{i:04d}")

    client.force_login(admin)
    changes(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    changes(15)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert len(_seqs(response)) >= 30


def test_it_shows_before_and_after(client, county_admin, renames):
    ours, theirs = renames
    client.force_login(county_admin)
    response = client.get(reverse("audit-entry-detail", args=[ours.seq]))
    assert response.status_code == 200
    body = response.content.decode()
    row = re.search(r'<tr data-field="name".*?</tr>', body, re.S).group()
    assert re.search(r'class="before">东湖区中医院<', row)
    assert re.search(r'class="after">东湖区中西医结合医院<', row)

    refused = client.get(reverse("audit-entry-detail", args=[theirs.seq]))
    missing = client.get(reverse("audit-entry-detail", args=[999999]))
    assert refused.status_code == missing.status_code == 404


def test_it_masks_households_personal_data(client, admin, alice, tree, household):
    services.place_update(actor=alice, place=household, phone="13900001111")
    entry = AuditEntry.objects.get(object_type="orgs.place", action="update")
    url = reverse("audit-entry-detail", args=[entry.seq])

    client.force_login(admin)
    body = client.get(url).content.decode()
    assert "13900001111" not in body
    assert "13812345678" not in body
    assert "139****1111" in body
    assert "王大明户" not in body
    assert "王大明户" not in client.get(URL).content.decode()

    # The same administrator, once also coordinator of the hospital, may see it there.
    RoleAssignment.objects.create(person=admin.person, unit=tree.hospital, role=Role.COORDINATOR)
    body = client.get(url).content.decode()
    assert "13900001111" in body
    assert "王大明户" in body


def test_it_masks_households_deleted_since(client, admin, alice, household):
    services.place_update(actor=alice, place=household, phone="13900001111")
    services.place_delete(actor=alice, place=household)
    client.force_login(admin)
    body = client.get(URL, {"object_type": "orgs.place"}).content.decode()
    assert "王大明户" not in body


def test_it_verifies_the_chain_for_superusers_only(client, admin, django_user_model, renames):
    url = reverse("audit-chain-verify")
    client.force_login(admin)
    assert client.post(url).status_code == 403

    root = django_user_model.objects.create_superuser("root", password="Root-Pass-2024")
    client.force_login(root)
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert any(m.level_tag == "success" for m in response.context["messages"])

    AuditEntry.objects.filter(pk=renames[0].pk).update(after={"name": "假名"})
    response = client.post(url, follow=True)
    assert any(m.level_tag == "error" for m in response.context["messages"])
