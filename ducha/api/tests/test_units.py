from django.db import connection
from django.test.utils import CaptureQueriesContext

from ducha.audit.models import AuditEntry
from ducha.orgs.models import OrgUnit, OrgUnitChange
from ducha.orgs.tests.factories import OrgUnitFactory

URL = "/api/orgs/units"


def _codes(response):
    return {item["code"] for item in response.json()["items"]}


def test_it_lists_units_in_scope_only(api_as, alice, carol):
    response = api_as(alice).get(URL)
    assert response.status_code == 200
    assert _codes(response) == {"D01", "H01", "H01-1", "H02"}
    assert response.json()["count"] == 4

    assert _codes(api_as(carol).get(URL)) == {"H03"}


def test_it_filters_units(api_as, alice, tree):
    api = api_as(alice)
    assert _codes(api.get(URL, {"q": "中医"})) == {"H02"}
    assert _codes(api.get(URL, {"kind": "department"})) == {"H01-1"}
    assert _codes(api.get(URL, {"under": tree.hospital.pk})) == {"H01", "H01-1"}
    assert api.get(URL, {"kind": "castle"}).status_code == 422


def test_it_refuses_a_filter_unit_outside_scope(api_as, alice, admin, tree):
    assert api_as(admin).get(URL, {"under": tree.other_county.pk}).status_code == 200
    response = api_as(alice).get(URL, {"under": tree.other_county.pk})
    assert response.status_code == 404


def test_it_paginates(api_as, admin, tree):
    for n in range(5):
        OrgUnitFactory(parent=tree.county, code=f"Z{n}")
    response = api_as(admin).get(URL, {"page": 2, "page_size": 5})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 12
    assert len(body["items"]) == 5


def test_it_lists_with_a_fixed_number_of_queries(api_as, admin, tree, django_assert_num_queries):
    api = api_as(admin)
    OrgUnitFactory.create_batch(3, parent=tree.county)
    with CaptureQueriesContext(connection) as few:
        assert api.get(URL).status_code == 200
    OrgUnitFactory.create_batch(27, parent=tree.hospital)
    with django_assert_num_queries(len(few.captured_queries)):
        response = api.get(URL)
    assert response.json()["count"] == 37


def test_it_gets_a_unit_and_hides_other_counties(api_as, alice, carol, tree):
    response = api_as(alice).get(f"{URL}/{tree.hospital.pk}")
    assert response.status_code == 200
    assert response.json()["name"] == "东湖区人民医院"
    assert response.json()["parent_id"] == tree.county.pk

    api = api_as(carol)
    refused = api.get(f"{URL}/{tree.hospital.pk}")
    missing = api.get(f"{URL}/999999")
    assert refused.status_code == missing.status_code == 404
    assert refused.json() == missing.json()


def test_it_creates_a_unit(api_as, admin, bob, tree):
    payload = {
        "parent_id": tree.county.pk,
        "code": "T01",
        "name": "东湖区卫生院",
        "kind": "township_centre",
    }

    refused = api_as(bob).post(URL, payload)
    assert refused.status_code == 403
    assert not OrgUnit.objects.filter(code="T01").exists()

    response = api_as(admin).post(URL, payload)
    assert response.status_code == 201
    unit = OrgUnit.objects.get(code="T01")
    assert response.json()["id"] == unit.pk
    assert unit.parent == tree.county
    assert unit.path == f"{tree.county.path}{unit.pk}/"
    entry = AuditEntry.objects.get(object_type="orgs.orgunit", object_id=str(unit.pk))
    assert entry.action == "create"
    assert entry.actor_name == "admin"
    assert entry.after["name"] == "东湖区卫生院"


def test_it_refuses_a_parent_outside_scope(api_as, county_admin, tree):
    api = api_as(county_admin)
    for parent_id in (tree.other_county.pk, 999999):
        response = api.post(
            URL, {"parent_id": parent_id, "code": "T02", "name": "x", "kind": "hospital"}
        )
        assert response.status_code == 422
        assert "parent_id" in response.json()["detail"]
    assert not OrgUnit.objects.filter(code="T02").exists()
    assert not AuditEntry.objects.filter(object_type="orgs.orgunit").exists()


def test_it_reports_validation_errors_by_field(api_as, admin, tree):
    api = api_as(admin)
    base = {"parent_id": tree.county.pk, "code": "H01", "name": "重名医院", "kind": "hospital"}

    duplicate = api.post(URL, base)
    assert duplicate.status_code == 422
    assert duplicate.json()["detail"]["code"]

    missing = api.post(URL, {k: v for k, v in base.items() if k != "name"})
    assert missing.status_code == 422
    assert missing.json()["detail"]["name"]

    bad_kind = api.post(URL, {**base, "code": "H09", "kind": "castle"})
    assert bad_kind.status_code == 422
    assert bad_kind.json()["detail"]["kind"]
    assert OrgUnit.objects.filter(name="重名医院").count() == 0


def test_it_reports_the_message_in_english(api_as, admin, tree, english):
    response = api_as(admin).post(
        URL, {"parent_id": tree.county.pk, "code": "H01", "name": "x", "kind": "hospital"}
    )
    assert response.json()["detail"]["code"] == ["Org unit with this Code already exists."]


def test_it_updates_a_unit(api_as, admin, bob, carol, tree):
    url = f"{URL}/{tree.hospital2.pk}"
    assert api_as(carol).patch(url, {"name": "新名"}).status_code == 404
    assert api_as(bob).patch(url, {"name": "新名"}).status_code == 403
    tree.hospital2.refresh_from_db()
    assert tree.hospital2.name == "东湖区中医院"

    response = api_as(admin).patch(url, {"name": "东湖区中西医结合医院", "sort_order": 3})
    assert response.status_code == 200
    tree.hospital2.refresh_from_db()
    assert tree.hospital2.name == "东湖区中西医结合医院"
    assert tree.hospital2.sort_order == 3
    assert tree.hospital2.code == "H02"
    assert OrgUnitChange.objects.filter(unit=tree.hospital2, kind="renamed").exists()
    entry = AuditEntry.objects.filter(object_id=str(tree.hospital2.pk), action="update").get()
    assert entry.before == {"name": "东湖区中医院", "sort_order": 0}


def test_it_moves_a_unit_with_its_subtree(api_as, admin, county_admin, tree):
    url = f"{URL}/{tree.hospital.pk}/move"

    refused = api_as(county_admin).post(url, {"parent_id": tree.other_county.pk})
    assert refused.status_code == 422
    tree.hospital.refresh_from_db()
    assert tree.hospital.parent == tree.county

    response = api_as(admin).post(url, {"parent_id": tree.other_county.pk})
    assert response.status_code == 200
    tree.department.refresh_from_db()
    assert (
        tree.department.path == f"{tree.other_county.path}{tree.hospital.pk}/{tree.department.pk}/"
    )

    under_itself = api_as(admin).post(
        f"{URL}/{tree.hospital.pk}/move", {"parent_id": tree.department.pk}
    )
    assert under_itself.status_code == 422


def test_it_deletes_an_empty_unit(api_as, admin, bob, carol, tree):
    url = f"{URL}/{tree.hospital2.pk}"
    assert api_as(carol).delete(url).status_code == 404
    assert api_as(bob).delete(url).status_code == 403
    assert OrgUnit.objects.filter(pk=tree.hospital2.pk).exists()

    api = api_as(admin)
    assert api.delete(f"{URL}/{tree.county.pk}").status_code == 422
    assert api.delete(url).status_code == 204
    assert not OrgUnit.objects.filter(pk=tree.hospital2.pk).exists()
    assert AuditEntry.objects.filter(object_id=str(tree.hospital2.pk), action="delete").exists()


def test_it_lists_children(api_as, alice, carol, tree):
    response = api_as(alice).get(f"{URL}/{tree.county.pk}/children")
    assert response.status_code == 200
    children = {item["code"]: item for item in response.json()}
    assert set(children) == {"H01", "H02"}
    assert children["H01"]["child_count"] == 1

    assert api_as(carol).get(f"{URL}/{tree.county.pk}/children").status_code == 404
