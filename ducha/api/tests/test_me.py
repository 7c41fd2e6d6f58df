from ducha.orgs.models import Role, RoleAssignment


def test_it_describes_the_caller(api_as, dora, tree):
    RoleAssignment.objects.create(person=dora.person, unit=tree.department, role=Role.INSPECTOR)
    response = api_as(dora).get("/api/me")
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "dora"
    assert body["person"]["name"] == "多拉"
    assert body["person"]["unit"] == {"id": tree.hospital.pk, "name": "东湖区人民医院"}
    assert [(r["role"], r["unit"]["id"]) for r in body["roles"]] == [
        (Role.COORDINATOR, tree.hospital.pk),
        (Role.INSPECTOR, tree.department.pk),
    ]


def test_it_describes_a_user_without_a_person(api_as, django_user_model, tree):
    user = django_user_model.objects.create_user("loner", password="Long-enough-42")
    body = api_as(user).get("/api/me").json()
    assert body == {"username": "loner", "person": None, "roles": []}


def test_it_refuses_anonymous(client, tree):
    assert client.get("/api/me").status_code == 401
