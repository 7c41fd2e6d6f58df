import pytest
from django.test import Client

from ducha.orgs import services
from ducha.orgs.models import ApiToken, OrgUnit, Person

URL = "/api/orgs/units"
CSRF = "a" * 32


def _new_unit(tree, code):
    return {"parent_id": tree.county.pk, "code": code, "name": code, "kind": "hospital"}


@pytest.mark.parametrize("path", [URL, "/api/orgs/people", "/api/orgs/places", "/api/me"])
def test_it_refuses_anonymous_callers(client, tree, path):
    response = client.get(path)
    assert response.status_code == 401


def test_it_accepts_a_token_and_scopes_by_its_owner(client, dora, tree):
    _token, raw = services.api_token_create(actor=dora, name="ledger sync")
    response = client.get(URL, headers={"authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert {item["code"] for item in response.json()["items"]} == {"H01", "H01-1"}
    assert ApiToken.objects.get(user=dora).last_used_at is not None

    wrong = client.get(URL, headers={"authorization": "Bearer dch_not-a-token"})
    assert wrong.status_code == 401


def test_it_writes_with_a_token_and_no_csrf(admin, tree):
    _token, raw = services.api_token_create(actor=admin, name="script")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        URL,
        _new_unit(tree, "T10"),
        content_type="application/json",
        headers={"authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 201
    assert OrgUnit.objects.filter(code="T10").exists()


def test_it_refuses_the_token_of_a_disabled_user(client, admin, dora, tree):
    _token, raw = services.api_token_create(actor=dora, name="old laptop")
    headers = {"authorization": f"Bearer {raw}"}
    assert client.get(URL, headers=headers).status_code == 200

    services.account_set_active(actor=admin, person=Person.objects.get(user=dora), active=False)
    assert client.get(URL, headers=headers).status_code == 401


def test_it_refuses_a_revoked_token(client, dora, tree):
    token, raw = services.api_token_create(actor=dora, name="old laptop")
    services.api_token_revoke(actor=dora, token=token)
    assert client.get(URL, headers={"authorization": f"Bearer {raw}"}).status_code == 401


def test_it_needs_the_csrf_token_for_session_writes(admin, tree, settings):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    assert client.get(URL).status_code == 200

    refused = client.post(URL, _new_unit(tree, "T11"), content_type="application/json")
    assert refused.status_code == 403
    assert not OrgUnit.objects.filter(code="T11").exists()

    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF
    accepted = client.post(
        URL, _new_unit(tree, "T11"), content_type="application/json", headers={"x-csrftoken": CSRF}
    )
    assert accepted.status_code == 201
    assert OrgUnit.objects.filter(code="T11").exists()


def test_it_refuses_the_session_of_a_disabled_user(client, admin, dora, tree):
    client.force_login(dora)
    assert client.get(URL).status_code == 200
    services.account_set_active(actor=admin, person=Person.objects.get(user=dora), active=False)
    assert client.get(URL).status_code == 401
