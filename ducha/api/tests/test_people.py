from django.db import connection
from django.test.utils import CaptureQueriesContext

from ducha.audit.models import AuditEntry
from ducha.orgs.models import Person, Role, RoleAssignment
from ducha.orgs.tests.factories import PersonFactory, PostFactory

URL = "/api/orgs/people"


def _names(response):
    return {item["name"] for item in response.json()["items"]}


def test_it_lists_people_in_scope_only(api_as, alice, bob, dora, sam, carol):
    response = api_as(alice).get(URL)
    assert response.status_code == 200
    assert _names(response) == {"艾丽", "鲍勃", "多拉", "山姆"}
    assert _names(api_as(carol).get(URL)) == {"卡罗"}


def test_it_filters_people(api_as, alice, dora, sam, tree):
    PostFactory(person=Person.objects.get(user=sam), title="护士长")
    api = api_as(alice)
    assert _names(api.get(URL, {"q": "护士长"})) == {"山姆"}
    assert _names(api.get(URL, {"role": Role.COORDINATOR})) == {"多拉"}
    assert _names(api.get(URL, {"unit": tree.hospital.pk})) == {"多拉", "山姆"}


def test_it_lists_with_a_fixed_number_of_queries(api_as, admin, tree, django_assert_num_queries):
    def add_people(n, unit):
        for person in PersonFactory.create_batch(n, unit=unit):
            PostFactory(person=person, title="科员")
            RoleAssignment.objects.create(person=person, unit=unit, role=Role.STAFF)

    api = api_as(admin)
    add_people(3, tree.hospital)
    with CaptureQueriesContext(connection) as few:
        assert api.get(URL).status_code == 200
    add_people(27, tree.hospital2)
    with django_assert_num_queries(len(few.captured_queries)):
        response = api.get(URL)
    assert response.json()["count"] == 31
    assert all(item["posts"] == ["科员"] for item in response.json()["items"][1:])


def test_it_gets_a_person_with_posts_and_roles(api_as, alice, dora, carol):
    person = Person.objects.get(user=dora)
    PostFactory(person=person, title="办公室主任")
    response = api_as(alice).get(f"{URL}/{person.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["posts"] == ["办公室主任"]
    assert body["username"] == "dora"
    assert [(r["role"], r["unit_name"]) for r in body["roles"]] == [
        (Role.COORDINATOR, "东湖区人民医院")
    ]

    api = api_as(carol)
    refused, missing = api.get(f"{URL}/{person.pk}"), api.get(f"{URL}/999999")
    assert refused.status_code == missing.status_code == 404
    assert refused.json() == missing.json()


def test_it_creates_a_person_with_posts(api_as, dora, bob, tree):
    payload = {
        "unit_id": tree.hospital.pk,
        "code": "E100",
        "name": "周医生",
        "gender": "female",
        "is_party_member": True,
        "posts": ["副院长", "党委委员"],
    }
    assert api_as(bob).post(URL, payload).status_code == 403
    assert not Person.objects.filter(code="E100").exists()

    response = api_as(dora).post(URL, payload)
    assert response.status_code == 201
    person = Person.objects.get(code="E100")
    assert person.unit == tree.hospital
    assert person.is_party_member
    assert list(person.posts.values_list("title", flat=True)) == ["副院长", "党委委员"]
    assert response.json()["posts"] == ["副院长", "党委委员"]
    entry = AuditEntry.objects.get(object_type="orgs.person", object_id=str(person.pk))
    assert entry.after["posts"] == ["副院长", "党委委员"]


def test_it_refuses_a_unit_outside_scope(api_as, dora, tree):
    api = api_as(dora)
    for unit in (tree.other_hospital, tree.county):
        response = api.post(URL, {"unit_id": unit.pk, "code": "E101", "name": "x"})
        assert response.status_code == 422
        assert "unit_id" in response.json()["detail"]
    assert not Person.objects.filter(code="E101").exists()


def test_it_updates_a_person_and_posts_but_not_roles(api_as, dora, sam, bob, carol, tree):
    person = Person.objects.get(user=sam)
    url = f"{URL}/{person.pk}"
    assert api_as(carol).patch(url, {"name": "改名"}).status_code == 404
    assert api_as(bob).patch(url, {"posts": ["院长"]}).status_code == 403
    assert not person.posts.exists()

    response = api_as(dora).patch(
        url,
        {"phone": "0571-1234567", "posts": ["护士"], "roles": [{"role": "system_admin"}]},
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.phone == "0571-1234567"
    assert person.name == "山姆"
    assert list(person.posts.values_list("title", flat=True)) == ["护士"]
    assert list(person.roles.values_list("role", flat=True)) == [Role.STAFF]
    assert response.json()["posts"] == ["护士"]


def test_it_refuses_moving_a_person_out_of_scope(api_as, dora, sam, tree):
    person = Person.objects.get(user=sam)
    response = api_as(dora).patch(f"{URL}/{person.pk}", {"unit_id": tree.other_hospital.pk})
    assert response.status_code == 422
    person.refresh_from_db()
    assert person.unit == tree.hospital


def test_it_deletes_a_person_and_disables_the_account(api_as, dora, sam, bob, carol):
    person = Person.objects.get(user=sam)
    url = f"{URL}/{person.pk}"
    assert api_as(carol).delete(url).status_code == 404
    assert api_as(bob).delete(url).status_code == 403
    assert Person.objects.filter(pk=person.pk).exists()

    assert api_as(dora).delete(url).status_code == 204
    assert not Person.objects.filter(pk=person.pk).exists()
    sam.refresh_from_db()
    assert not sam.is_active
