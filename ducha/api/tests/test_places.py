from django.db import connection
from django.test.utils import CaptureQueriesContext

from ducha.audit.models import AuditEntry
from ducha.orgs.models import Person, Place
from ducha.orgs.tests.factories import HouseholdFactory, PlaceFactory

URL = "/api/orgs/places"


def _by_code(response):
    return {item["code"]: item for item in response.json()["items"]}


def test_it_masks_households_for_those_without_personal_data_rights(api_as, alice, dora, household):
    masked = _by_code(api_as(alice).get(URL))["HH01"]
    assert masked["personal_data_masked"] is True
    assert masked["name"] == "王***"
    assert masked["contact_name"] == "王**"
    assert masked["id_number"] == "3301**********1234"
    assert masked["phone"] == "138****5678"

    clear = _by_code(api_as(dora).get(URL))["HH01"]
    assert clear["personal_data_masked"] is False
    assert clear["name"] == "王大明户"
    assert clear["id_number"] == "330102198001011234"
    assert clear["phone"] == "13812345678"


def test_it_masks_a_household_on_its_own_page(api_as, alice, household):
    response = api_as(alice).get(f"{URL}/{household.pk}")
    assert response.status_code == 200
    assert "330102198001011234" not in response.content.decode()
    assert "13812345678" not in response.content.decode()


def test_it_does_not_mask_villages(api_as, alice, village):
    item = api_as(alice).get(f"{URL}/{village.pk}").json()
    assert item["name"] == "东湖村"
    assert item["personal_data_masked"] is False


def test_it_lists_places_in_scope_only(api_as, alice, carol, household, other_village):
    assert set(_by_code(api_as(alice).get(URL))) == {"V01", "HH01"}
    assert set(_by_code(api_as(carol).get(URL))) == {"V02"}
    api = api_as(carol)
    refused, missing = api.get(f"{URL}/{household.pk}"), api.get(f"{URL}/999999")
    assert refused.status_code == missing.status_code == 404
    assert refused.json() == missing.json()


def test_it_searches_households_by_code_not_name(api_as, dora, household):
    api = api_as(dora)
    assert set(_by_code(api.get(URL, {"q": "王大明"}))) == set()
    assert set(_by_code(api.get(URL, {"q": "HH01"}))) == {"HH01"}
    assert set(_by_code(api.get(URL, {"kind": "village"}))) == {"V01"}


def test_it_lists_with_a_fixed_number_of_queries(
    api_as, alice, tree, village, django_assert_num_queries
):
    doctor = Person.objects.create(code="DOC1", name="李医生", unit=tree.hospital)
    api = api_as(alice)
    HouseholdFactory.create_batch(2, unit=tree.hospital, parent=village)
    with CaptureQueriesContext(connection) as few:
        assert api.get(URL).status_code == 200
    HouseholdFactory.create_batch(20, unit=tree.hospital2, parent=village)
    PlaceFactory.create_batch(
        7, unit=tree.hospital, kind=Place.Kind.GRID_CELL, responsible_doctor=doctor
    )
    with django_assert_num_queries(len(few.captured_queries)):
        response = api.get(URL)
    assert response.json()["count"] == 30


def test_it_creates_a_household_under_a_village(api_as, alice, bob, tree, village):
    payload = {
        "unit_id": tree.hospital.pk,
        "parent_id": village.pk,
        "code": "HH09",
        "name": "李四户",
        "kind": "household",
        "household_kind": "petitioner",
        "id_number": "330102199001011111",
        "phone": "13900001111",
    }
    assert api_as(bob).post(URL, payload).status_code == 403
    assert not Place.objects.filter(code="HH09").exists()

    response = api_as(alice).post(URL, payload)
    assert response.status_code == 201
    place = Place.objects.get(code="HH09")
    assert place.parent == village
    assert place.id_number == "330102199001011111"
    assert response.json()["id_number"] == "3301**********1111"
    assert AuditEntry.objects.filter(object_type="orgs.place", object_id=str(place.pk)).exists()


def test_it_refuses_references_outside_scope(api_as, alice, tree, other_village):
    carols_doctor = Person.objects.create(code="DOC2", name="西山医生", unit=tree.other_hospital)
    api = api_as(alice)
    base = {"unit_id": tree.hospital.pk, "code": "G01", "name": "一网格", "kind": "grid_cell"}
    for field, value in (
        ("unit_id", tree.other_hospital.pk),
        ("parent_id", other_village.pk),
        ("responsible_doctor_id", carols_doctor.pk),
    ):
        response = api.post(URL, {**base, field: value})
        assert response.status_code == 422
        assert field in response.json()["detail"]
    assert not Place.objects.filter(code="G01").exists()


def test_it_updates_a_place(api_as, alice, carol, household):
    url = f"{URL}/{household.pk}"
    assert api_as(carol).patch(url, {"phone": "13900000000"}).status_code == 404

    response = api_as(alice).patch(url, {"phone": "13900000000", "address": "东湖村3组"})
    assert response.status_code == 200
    assert response.json()["phone"] == "139****0000"
    household.refresh_from_db()
    assert household.phone == "13900000000"
    assert household.address == "东湖村3组"
    assert household.name == "王大明户"

    assert api_as(alice).patch(url, {"parent_id": None}).status_code == 200
    household.refresh_from_db()
    assert household.parent is None


def test_it_deletes_an_empty_place(api_as, alice, bob, carol, village, household):
    assert api_as(carol).delete(f"{URL}/{household.pk}").status_code == 404
    assert api_as(bob).delete(f"{URL}/{household.pk}").status_code == 403

    api = api_as(alice)
    assert api.delete(f"{URL}/{village.pk}").status_code == 422
    assert api.delete(f"{URL}/{household.pk}").status_code == 204
    assert not Place.objects.filter(pk=household.pk).exists()
    assert Place.objects.filter(pk=village.pk).exists()
