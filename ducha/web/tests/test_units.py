from django.urls import reverse

from ducha.audit.models import AuditEntry
from ducha.orgs.models import OrgUnit, OrgUnitChange
from ducha.orgs.tests.factories import OrgUnitFactory, PersonFactory

from .orgs_pages import audit_count, queries_for


def _unit_ids(response) -> set[int]:
    content = response.content.decode()
    return {unit.pk for unit in OrgUnit.objects.all() if f'data-unit-id="{unit.pk}"' in content}


# --- the tree and the search -----------------------------------------------------------------


def test_it_shows_the_scope_roots_as_the_tree(client, tree, alice):
    client.force_login(alice)
    response = client.get(reverse("orgs-unit-list"))
    assert response.status_code == 200
    assert _unit_ids(response) == {tree.county.pk}
    assert reverse("orgs-unit-children", args=[tree.county.pk]) in response.content.decode()


def test_it_loads_children_as_an_htmx_fragment(client, tree, alice):
    client.force_login(alice)
    response = client.get(
        reverse("orgs-unit-children", args=[tree.county.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert _unit_ids(response) == {tree.hospital.pk, tree.hospital2.pk}


def test_it_refuses_children_of_another_county_like_a_missing_unit(client, tree, carol):
    client.force_login(carol)
    assert client.get(reverse("orgs-unit-children", args=[tree.county.pk])).status_code == 404
    assert client.get(reverse("orgs-unit-children", args=[999999])).status_code == 404
    own = client.get(reverse("orgs-unit-children", args=[tree.other_county.pk]))
    assert own.status_code == 404  # Carol's scope starts at her hospital


def test_it_pages_children_by_fifty(client, tree, admin):
    OrgUnitFactory.create_batch(55, parent=tree.hospital2, kind=OrgUnit.Kind.DEPARTMENT)
    client.force_login(admin)
    url = reverse("orgs-unit-children", args=[tree.hospital2.pk])
    first = client.get(url)
    assert len(_unit_ids(first)) == 50
    assert f"{url}?page=2" in first.content.decode()
    assert len(_unit_ids(client.get(url, {"page": 2}))) == 5


def test_it_searches_units_inside_the_scope_only(client, tree, alice):
    client.force_login(alice)
    response = client.get(reverse("orgs-unit-list"), {"q": "医院"})
    assert response.status_code == 200
    assert _unit_ids(response) == {tree.hospital.pk, tree.hospital2.pk}


def test_it_filters_units_by_kind(client, tree, alice):
    client.force_login(alice)
    response = client.get(reverse("orgs-unit-list"), {"kind": OrgUnit.Kind.DEPARTMENT})
    assert _unit_ids(response) == {tree.department.pk}


def test_it_lists_units_with_a_fixed_number_of_queries(client, tree, alice):
    client.force_login(alice)
    OrgUnitFactory.create_batch(3, parent=tree.hospital2, name="分院")
    search = reverse("orgs-unit-list") + "?q=分院"
    children = reverse("orgs-unit-children", args=[tree.hospital2.pk])
    few = (queries_for(client, search), queries_for(client, children))
    OrgUnitFactory.create_batch(20, parent=tree.hospital2, name="分院")
    assert (queries_for(client, search), queries_for(client, children)) == few


# --- the unit page -------------------------------------------------------------------------


def test_it_shows_a_unit_with_breadcrumbs_counts_and_children(client, tree, alice, dora, sam):
    client.force_login(alice)
    response = client.get(reverse("orgs-unit-detail", args=[tree.hospital.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    # The county is inside Alice's scope and linked; the city above it is only named.
    assert f'href="{reverse("orgs-unit-detail", args=[tree.county.pk])}"' in content
    assert f'href="{reverse("orgs-unit-detail", args=[tree.city.pk])}"' not in content
    assert tree.city.name in content
    assert response.context["totals"] == {"units": 1, "people": 2, "places": 0}
    assert [c.pk for c in response.context["children"]] == [tree.department.pk]
    assert not response.context["can_manage"]


def test_it_refuses_a_unit_of_another_county_like_a_missing_one(client, tree, carol):
    client.force_login(carol)
    assert client.get(reverse("orgs-unit-detail", args=[tree.hospital.pk])).status_code == 404
    assert client.get(reverse("orgs-unit-detail", args=[999999])).status_code == 404
    assert client.get(reverse("orgs-unit-detail", args=[tree.other_hospital.pk])).status_code == 200


def test_it_shows_renames_and_moves_in_the_history(client, tree, admin):
    client.force_login(admin)
    client.post(
        reverse("orgs-unit-update", args=[tree.hospital2.pk]),
        _unit_data(tree.hospital2, name="东湖区中西医结合医院"),
    )
    client.post(
        reverse("orgs-unit-move", args=[tree.hospital2.pk]), {"new_parent": tree.other_county.pk}
    )
    response = client.get(reverse("orgs-unit-detail", args=[tree.hospital2.pk]))
    content = response.content.decode()
    assert "东湖区中医院 → 东湖区中西医结合医院" in content
    assert f"{tree.county.name} → {tree.other_county.name}" in content


def test_it_offers_edit_links_to_unit_managers_only(client, tree, admin, bob):
    url = reverse("orgs-unit-detail", args=[tree.hospital.pk])
    edit = reverse("orgs-unit-update", args=[tree.hospital.pk])
    client.force_login(admin)
    assert edit in client.get(url).content.decode()
    client.force_login(bob)
    response = client.get(url)
    assert response.status_code == 200
    assert edit not in response.content.decode()


# --- create, edit, move, delete ------------------------------------------------------------


def _unit_data(unit=None, **changes):
    data = {"code": "", "name": "", "short_name": "", "kind": "department", "sort_order": 0}
    if unit is not None:
        data.update(code=unit.code, name=unit.name, short_name=unit.short_name, kind=unit.kind)
        data.update(sort_order=unit.sort_order)
        if unit.is_active:
            data["is_active"] = "on"
    data.update(changes)
    return data


def test_it_creates_a_subordinate_unit(client, tree, admin):
    client.force_login(admin)
    url = reverse("orgs-unit-create", args=[tree.hospital.pk])
    form_page = client.get(url).content.decode()
    assert f'data-draft="unit-create-{tree.hospital.pk}"' in form_page
    assert "data-draft-note" in form_page

    response = client.post(url, _unit_data(code="H01-2", name="外科", is_active="on"))

    unit = OrgUnit.objects.get(code="H01-2")
    assert unit.parent == tree.hospital
    assert unit.path == f"{tree.hospital.path}{unit.pk}/"
    assert response.status_code == 302
    assert audit_count("create", OrgUnit, unit.pk) == 1
    page = client.get(response["Location"]).content.decode()
    assert f'data-draft-saved="unit-create-{tree.hospital.pk}"' in page


def test_it_shows_a_duplicate_code_as_a_form_error(client, tree, admin):
    client.force_login(admin)
    response = client.post(
        reverse("orgs-unit-create", args=[tree.hospital.pk]), _unit_data(code="H02", name="外科")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not OrgUnit.objects.filter(name="外科").exists()


def test_it_renames_a_unit(client, tree, admin):
    client.force_login(admin)
    response = client.post(
        reverse("orgs-unit-update", args=[tree.hospital.pk]),
        _unit_data(tree.hospital, name="东湖区第一人民医院"),
    )
    assert response.status_code == 302
    tree.hospital.refresh_from_db()
    assert tree.hospital.name == "东湖区第一人民医院"
    assert OrgUnitChange.objects.filter(
        unit=tree.hospital, kind="renamed", old_name="东湖区人民医院"
    ).exists()
    entry = AuditEntry.objects.get(
        action="update", object_type="orgs.orgunit", object_id=str(tree.hospital.pk)
    )
    assert entry.before == {"name": "东湖区人民医院"}
    assert entry.after == {"name": "东湖区第一人民医院"}


def test_it_moves_a_unit_with_its_subtree(client, tree, admin):
    client.force_login(admin)
    response = client.post(
        reverse("orgs-unit-move", args=[tree.hospital.pk]), {"new_parent": tree.other_county.pk}
    )
    assert response.status_code == 302
    tree.hospital.refresh_from_db()
    tree.department.refresh_from_db()
    assert tree.hospital.parent == tree.other_county
    assert tree.department.path.startswith(tree.other_county.path)
    assert audit_count("update", OrgUnit, tree.hospital.pk) == 1


def test_it_refuses_to_move_a_unit_under_its_own_descendant(client, tree, admin, english):
    client.force_login(admin)
    before = OrgUnit.objects.get(pk=tree.county.pk)
    response = client.post(
        reverse("orgs-unit-move", args=[tree.county.pk]), {"new_parent": tree.department.pk}
    )
    assert response.status_code == 200
    assert "subordinate units" in str(response.context["form"].non_field_errors())
    after = OrgUnit.objects.get(pk=tree.county.pk)
    assert (after.parent_id, after.path, after.depth) == (
        before.parent_id,
        before.path,
        before.depth,
    )
    assert not OrgUnitChange.objects.filter(unit=tree.county, kind="moved").exists()
    assert audit_count("update", OrgUnit, tree.county.pk) == 0


def test_it_refuses_a_new_parent_outside_the_managed_scope(client, tree, admin):
    client.force_login(admin)
    response = client.post(
        reverse("orgs-unit-move", args=[tree.hospital.pk]), {"new_parent": tree.root.pk}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_parent"]
    tree.hospital.refresh_from_db()
    assert tree.hospital.parent == tree.county


def test_it_deletes_an_empty_unit(client, tree, admin):
    client.force_login(admin)
    url = reverse("orgs-unit-delete", args=[tree.department.pk])
    assert client.get(url).status_code == 200
    assert OrgUnit.objects.filter(pk=tree.department.pk).exists()  # GET only asks

    response = client.post(url)

    assert response["Location"] == reverse("orgs-unit-detail", args=[tree.hospital.pk])
    assert not OrgUnit.objects.filter(pk=tree.department.pk).exists()
    assert audit_count("delete", OrgUnit, tree.department.pk) == 1


def test_it_refuses_to_delete_a_unit_that_is_not_empty(client, tree, admin, english):
    PersonFactory(unit=tree.hospital2)
    client.force_login(admin)
    response = client.post(reverse("orgs-unit-delete", args=[tree.hospital2.pk]))
    assert response.status_code == 409
    assert "still has subordinate units, people or places" in response.content.decode()
    assert OrgUnit.objects.filter(pk=tree.hospital2.pk).exists()
    assert audit_count("delete", OrgUnit, tree.hospital2.pk) == 0


def test_it_lets_a_bureau_leader_look_but_not_change(client, tree, bob):
    client.force_login(bob)
    assert client.get(reverse("orgs-unit-detail", args=[tree.hospital.pk])).status_code == 200
    for name in ("orgs-unit-create", "orgs-unit-update", "orgs-unit-move", "orgs-unit-delete"):
        url = reverse(name, args=[tree.hospital.pk])
        assert client.get(url).status_code == 403, name
        assert client.post(url, _unit_data(tree.hospital, name="改")).status_code == 403, name
    tree.hospital.refresh_from_db()
    assert tree.hospital.name == "东湖区人民医院"
    assert OrgUnit.objects.count() == 8


def test_it_refuses_editing_units_of_another_county_like_missing_ones(client, tree, carol):
    client.force_login(carol)
    for name in ("orgs-unit-create", "orgs-unit-update", "orgs-unit-move", "orgs-unit-delete"):
        assert client.get(reverse(name, args=[tree.hospital.pk])).status_code == 404, name
        assert client.post(reverse(name, args=[tree.hospital.pk])).status_code == 404, name
