from django.contrib.auth import get_user_model
from django.urls import reverse

from ducha.orgs.models import Person, Post, Role, RoleAssignment
from ducha.orgs.tests.factories import PersonFactory, PostFactory

from .orgs_pages import audit_count, queries_for

User = get_user_model()


def _person_ids(response) -> set[int]:
    content = response.content.decode()
    return {p.pk for p in Person.objects.all() if f'data-person-id="{p.pk}"' in content}


def _person_data(person=None, **changes):
    data = {"code": "", "name": "", "gender": "", "unit": "", "phone": "", "email": "", "posts": ""}
    if person is not None:
        data.update(code=person.code, name=person.name, gender=person.gender, unit=person.unit_id)
        data.update(phone=person.phone, email=person.email)
        data["posts"] = "\n".join(person.posts.values_list("title", flat=True))
        if person.is_party_member:
            data["is_party_member"] = "on"
    data.update(changes)
    return data


# --- the list ------------------------------------------------------------------------------


def test_it_lists_the_people_in_scope(client, tree, alice, bob, dora, sam, carol):
    client.force_login(alice)
    response = client.get(reverse("orgs-person-list"))
    assert response.status_code == 200
    assert _person_ids(response) == {p.person.pk for p in (alice, bob, dora, sam)}


def test_it_searches_people_by_name_staff_number_and_post(client, tree, alice, dora, sam):
    PostFactory(person=sam.person, title="院长")
    client.force_login(alice)
    url = reverse("orgs-person-list")
    assert _person_ids(client.get(url, {"q": "院长"})) == {sam.person.pk}
    assert _person_ids(client.get(url, {"q": "多拉"})) == {dora.person.pk}
    assert _person_ids(client.get(url, {"q": dora.person.code})) == {dora.person.pk}


def test_it_filters_people_by_unit_subtree_party_and_role(client, tree, alice, bob, dora, sam):
    in_department = PersonFactory(unit=tree.department, is_party_member=True)
    client.force_login(alice)
    url = reverse("orgs-person-list")
    by_unit = client.get(url, {"unit": tree.hospital.pk})
    assert _person_ids(by_unit) == {dora.person.pk, sam.person.pk, in_department.pk}
    assert _person_ids(client.get(url, {"party": "yes"})) == {in_department.pk}
    by_role = client.get(url, {"role": Role.COORDINATOR})
    assert _person_ids(by_role) == {dora.person.pk}


def test_it_ignores_a_unit_filter_outside_the_scope(client, tree, alice, carol):
    client.force_login(alice)
    response = client.get(reverse("orgs-person-list"), {"unit": tree.other_hospital.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["unit"]
    assert carol.person.pk not in _person_ids(response)


def test_it_shows_unit_posts_party_and_account_in_the_table(client, tree, alice, dora):
    PostFactory(person=dora.person, title="副院长")
    client.force_login(alice)
    content = client.get(reverse("orgs-person-list")).content.decode()
    assert "副院长" in content
    assert tree.hospital.name in content


def test_it_lists_people_with_a_fixed_number_of_queries(client, tree, alice):
    client.force_login(alice)
    for person in PersonFactory.create_batch(3, unit=tree.hospital):
        PostFactory(person=person)
    url = reverse("orgs-person-list")
    few = queries_for(client, url)
    for person in PersonFactory.create_batch(20, unit=tree.hospital2):
        PostFactory(person=person)
        PostFactory(person=person, title="党委书记")
    assert queries_for(client, url) == few


# --- detail --------------------------------------------------------------------------------


def test_it_shows_a_person_with_posts_and_roles(client, tree, alice, dora, english):
    PostFactory(person=dora.person, title="院办主任")
    client.force_login(alice)
    response = client.get(reverse("orgs-person-detail", args=[dora.person.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "院办主任" in content
    assert "Unit coordinator" in content
    assert reverse("orgs-person-update", args=[dora.person.pk]) not in content  # no MANAGE_PEOPLE


def test_it_refuses_a_person_of_another_county_like_a_missing_one(client, tree, dora, carol):
    client.force_login(carol)
    for name in ("orgs-person-detail", "orgs-person-update", "orgs-person-delete"):
        assert client.get(reverse(name, args=[dora.person.pk])).status_code == 404, name
        assert client.get(reverse(name, args=[999999])).status_code == 404, name
    assert client.post(reverse("orgs-person-delete", args=[dora.person.pk])).status_code == 404
    assert Person.objects.filter(pk=dora.person.pk).exists()


# --- create, edit, delete ------------------------------------------------------------------


def test_it_creates_a_person_with_posts(client, tree, dora):
    client.force_login(dora)
    url = reverse("orgs-person-create") + f"?unit={tree.department.pk}"
    form_page = client.get(url)
    assert form_page.context["form"]["unit"].value() == str(tree.department.pk)
    assert f'data-draft="person-create-{tree.department.pk}"' in form_page.content.decode()

    response = client.post(
        url,
        _person_data(
            code="P900", name="周医生", unit=tree.department.pk, posts="科主任，党支部书记"
        ),
    )

    person = Person.objects.get(code="P900")
    assert person.unit == tree.department
    assert list(person.posts.values_list("title", flat=True)) == ["科主任", "党支部书记"]
    assert audit_count("create", Person, person.pk) == 1
    page = client.get(response["Location"]).content.decode()
    assert f'data-draft-saved="person-create-{tree.department.pk}"' in page


def test_it_refuses_a_unit_outside_the_scope_on_create(client, tree, dora):
    client.force_login(dora)
    response = client.post(
        reverse("orgs-person-create"), _person_data(code="P901", name="周", unit=tree.county.pk)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["unit"]
    assert not Person.objects.filter(code="P901").exists()


def test_it_updates_a_person_and_replaces_their_posts(client, tree, dora, sam):
    PostFactory(person=sam.person, title="医师")
    client.force_login(dora)
    url = reverse("orgs-person-update", args=[sam.person.pk])
    assert f'data-draft="person-update-{sam.person.pk}"' in client.get(url).content.decode()

    response = client.post(
        url,
        _person_data(
            sam.person, name="山姆医生", posts="主治医师\n党支部委员", is_party_member="on"
        ),
    )

    assert response.status_code == 302
    person = Person.objects.get(pk=sam.person.pk)
    assert (person.name, person.is_party_member) == ("山姆医生", True)
    assert list(person.posts.values_list("title", flat=True)) == ["主治医师", "党支部委员"]
    assert audit_count("update", Person, person.pk) == 2  # the person, then the posts


def test_it_writes_no_posts_entry_when_the_posts_did_not_change(client, tree, dora, sam):
    PostFactory(person=sam.person, title="医师")
    client.force_login(dora)
    client.post(
        reverse("orgs-person-update", args=[sam.person.pk]), _person_data(sam.person, phone="123")
    )
    assert Person.objects.get(pk=sam.person.pk).phone == "123"
    assert audit_count("update", Person, sam.person.pk) == 1
    assert Post.objects.filter(person=sam.person).count() == 1


def test_it_deletes_a_person_and_disables_their_account(client, tree, dora, sam):
    client.force_login(dora)
    person_pk = sam.person.pk
    url = reverse("orgs-person-delete", args=[person_pk])
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response["Location"] == reverse("orgs-person-list")
    assert not Person.objects.filter(pk=person_pk).exists()
    assert not User.objects.get(pk=sam.pk).is_active
    assert audit_count("delete", Person, person_pk) == 1


def test_it_lets_a_bureau_leader_look_but_not_change(client, tree, bob, dora):
    client.force_login(bob)
    assert client.get(reverse("orgs-person-detail", args=[dora.person.pk])).status_code == 200
    assert client.get(reverse("orgs-person-create")).status_code == 403
    assert client.post(reverse("orgs-person-create"), _person_data()).status_code == 403
    for name in ("orgs-person-update", "orgs-person-delete"):
        url = reverse(name, args=[dora.person.pk])
        assert client.get(url).status_code == 403, name
        assert client.post(url, _person_data(dora.person, name="改")).status_code == 403, name
    assert Person.objects.get(pk=dora.person.pk).name == "多拉"


def test_it_keeps_roles_out_of_the_person_form(client, tree, dora, sam):
    client.force_login(dora)
    client.post(
        reverse("orgs-person-update", args=[sam.person.pk]),
        _person_data(sam.person, role=Role.SYSTEM_ADMIN),
    )
    assert list(
        RoleAssignment.objects.filter(person=sam.person).values_list("role", flat=True)
    ) == [Role.STAFF]
