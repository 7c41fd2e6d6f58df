import pytest
from django.urls import reverse

from ducha.orgs.models import Place
from ducha.orgs.tests.factories import HouseholdFactory, PersonFactory, PlaceFactory

from .orgs_pages import audit_count, queries_for

CLEAR = ("王大明", "330102198001011234", "13812345678")
MASKED = ("王**", "3301**********1234", "138****5678")


def _place_ids(response) -> set[int]:
    content = response.content.decode()
    return {p.pk for p in Place.objects.all() if f'data-place-id="{p.pk}"' in content}


def _place_data(place=None, **changes):
    data = dict.fromkeys(
        [
            "code",
            "name",
            "kind",
            "unit",
            "parent",
            "address",
            "household_kind",
            "contact_name",
            "id_number",
            "phone",
            "responsible_doctor",
            "notes",
        ],
        "",
    )
    if place is not None:
        for key in data:
            value = getattr(place, f"{key}_id" if key in ("unit", "parent") else key)
            if key == "responsible_doctor":
                value = place.responsible_doctor_id
            data[key] = "" if value is None else value
    data.update(changes)
    return data


# --- list and masking ----------------------------------------------------------------------


def test_it_lists_the_places_in_scope(client, tree, alice, village, household, other_village):
    client.force_login(alice)
    response = client.get(reverse("orgs-place-list"))
    assert response.status_code == 200
    assert _place_ids(response) == {village.pk, household.pk}


@pytest.mark.parametrize("page", ["orgs-place-list", "orgs-place-detail"])
@pytest.mark.parametrize("viewer", ["alice", "admin"])
def test_it_masks_household_data_for_those_without_the_right(
    request, client, tree, village, household, page, viewer
):
    client.force_login(request.getfixturevalue(viewer))
    args = [household.pk] if page == "orgs-place-detail" else []
    content = client.get(reverse(page, args=args)).content.decode()
    for clear in CLEAR:
        assert clear not in content
    for masked in MASKED:
        assert masked in content


@pytest.mark.parametrize("page", ["orgs-place-list", "orgs-place-detail"])
def test_it_shows_household_data_to_the_coordinator(client, tree, dora, household, page):
    client.force_login(dora)
    args = [household.pk] if page == "orgs-place-detail" else []
    content = client.get(reverse(page, args=args)).content.decode()
    for clear in CLEAR:
        assert clear in content


def test_it_masks_households_listed_inside_a_village(client, tree, alice, village, household):
    client.force_login(alice)
    response = client.get(reverse("orgs-place-detail", args=[village.pk]))
    assert _place_ids(response) == {household.pk}
    content = response.content.decode()
    assert "王大明" not in content
    assert "13812345678" not in content


def test_it_filters_places_by_kind_household_kind_unit_and_search(
    client, tree, alice, village, household
):
    veteran = HouseholdFactory(
        unit=tree.hospital2, household_kind=Place.HouseholdKind.VETERAN_PARTY_MEMBER
    )
    enterprise = PlaceFactory(unit=tree.hospital2, kind=Place.Kind.ENTERPRISE, name="东湖纺织厂")
    client.force_login(alice)
    url = reverse("orgs-place-list")
    assert _place_ids(client.get(url, {"kind": "household"})) == {household.pk, veteran.pk}
    assert _place_ids(client.get(url, {"household_kind": "veteran"})) == {veteran.pk}
    assert _place_ids(client.get(url, {"unit": tree.hospital2.pk})) == {veteran.pk, enterprise.pk}
    assert _place_ids(client.get(url, {"q": "纺织"})) == {enterprise.pk}
    # Households are not found by their names: those are personal data.
    assert _place_ids(client.get(url, {"q": "王"})) == set()


def test_it_lists_places_with_a_fixed_number_of_queries(client, tree, alice, village):
    client.force_login(alice)
    HouseholdFactory.create_batch(3, unit=tree.hospital, parent=village)
    url = reverse("orgs-place-list")
    few = queries_for(client, url)
    HouseholdFactory.create_batch(10, unit=tree.hospital2, parent=village)
    PlaceFactory.create_batch(10, unit=tree.department)
    assert queries_for(client, url) == few


# --- detail --------------------------------------------------------------------------------


def test_it_refuses_a_place_of_another_county_like_a_missing_one(client, tree, carol, household):
    client.force_login(carol)
    for name in ("orgs-place-detail", "orgs-place-update", "orgs-place-delete"):
        assert client.get(reverse(name, args=[household.pk])).status_code == 404, name
        assert client.get(reverse(name, args=[999999])).status_code == 404, name
    assert client.post(reverse("orgs-place-delete", args=[household.pk])).status_code == 404
    assert Place.objects.filter(pk=household.pk).exists()


# --- create, edit, delete ------------------------------------------------------------------


def test_it_creates_a_village(client, tree, alice):
    client.force_login(alice)
    url = reverse("orgs-place-create") + f"?unit={tree.hospital.pk}"
    assert f'data-draft="place-create-{tree.hospital.pk}"' in client.get(url).content.decode()

    response = client.post(
        url, _place_data(code="V09", name="南湖村", kind="village", unit=tree.hospital.pk)
    )

    place = Place.objects.get(code="V09")
    assert (place.name, place.unit) == ("南湖村", tree.hospital)
    assert audit_count("create", Place, place.pk) == 1
    page = client.get(response["Location"]).content.decode()
    assert f'data-draft-saved="place-create-{tree.hospital.pk}"' in page


def test_it_creates_a_grid_cell_with_its_responsible_doctor(client, tree, dora, sam):
    client.force_login(dora)
    client.post(
        reverse("orgs-place-create"),
        _place_data(
            code="G01",
            name="一号网格",
            kind="grid_cell",
            unit=tree.hospital.pk,
            responsible_doctor=sam.person.pk,
        ),
    )
    assert Place.objects.get(code="G01").responsible_doctor == sam.person


@pytest.mark.parametrize("field", ["unit", "parent", "responsible_doctor"])
def test_it_refuses_choices_outside_the_scope(client, tree, dora, carol, other_village, field):
    outside = {
        "unit": tree.other_hospital.pk,
        "parent": other_village.pk,
        "responsible_doctor": carol.person.pk,
    }
    data = _place_data(code="G02", name="二号网格", kind="grid_cell", unit=tree.hospital.pk)
    data[field] = outside[field]
    client.force_login(dora)
    response = client.post(reverse("orgs-place-create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Place.objects.filter(code="G02").exists()


def test_it_lets_the_coordinator_edit_household_data(client, tree, dora, household):
    client.force_login(dora)
    url = reverse("orgs-place-update", args=[household.pk])
    assert f'data-draft="place-update-{household.pk}"' in client.get(url).content.decode()
    response = client.post(url, _place_data(household, phone="13900001111"))
    assert response.status_code == 302
    assert Place.objects.get(pk=household.pk).phone == "13900001111"
    assert audit_count("update", Place, household.pk) == 1


def test_it_keeps_household_data_out_of_the_edit_form_when_masked(
    client, tree, alice, village, household
):
    client.force_login(alice)
    url = reverse("orgs-place-update", args=[household.pk])
    content = client.get(url).content.decode()
    for clear in CLEAR:
        assert clear not in content
    assert 'name="id_number"' not in content

    # Whatever she posts for the hidden fields, only the others change.
    response = client.post(
        url,
        _place_data(
            household,
            address="东湖村3组",
            name="改名",
            kind="village",
            id_number="110101199001011111",
            phone="",
        ),
    )

    assert response.status_code == 302
    place = Place.objects.get(pk=household.pk)
    assert place.address == "东湖村3组"
    assert (place.name, place.kind, place.id_number, place.phone) == (
        "王大明户",
        Place.Kind.HOUSEHOLD,
        "330102198001011234",
        "13812345678",
    )


def test_it_deletes_a_place(client, tree, alice, household):
    client.force_login(alice)
    url = reverse("orgs-place-delete", args=[household.pk])
    content = client.get(url).content.decode()
    assert "王大明" not in content
    response = client.post(url)
    assert response["Location"] == reverse("orgs-place-list")
    assert not Place.objects.filter(pk=household.pk).exists()
    assert audit_count("delete", Place, household.pk) == 1


def test_it_refuses_to_delete_a_village_with_households(client, tree, alice, village, household):
    client.force_login(alice)
    response = client.post(reverse("orgs-place-delete", args=[village.pk]))
    assert response.status_code == 409
    assert Place.objects.filter(pk=village.pk).exists()
    assert audit_count("delete", Place, village.pk) == 0


def test_it_lets_a_bureau_leader_look_but_not_change(client, tree, bob, village):
    client.force_login(bob)
    assert client.get(reverse("orgs-place-detail", args=[village.pk])).status_code == 200
    assert client.get(reverse("orgs-place-create")).status_code == 403
    for name in ("orgs-place-update", "orgs-place-delete"):
        url = reverse(name, args=[village.pk])
        assert client.get(url).status_code == 403, name
        assert client.post(url, _place_data(village, name="改")).status_code == 403, name
    assert Place.objects.get(pk=village.pk).name == "东湖村"


def test_it_offers_only_non_household_places_as_parents(client, tree, dora, village, household):
    PersonFactory(unit=tree.hospital)
    client.force_login(dora)
    form = client.get(reverse("orgs-place-create")).context["form"]
    assert list(form.fields["parent"].queryset) == [village]
