import re

from django.urls import reverse

from ducha.audit.models import AuditEntry
from ducha.orgs import services
from ducha.orgs.models import ApiToken

URL = "/account/tokens/"
RAW = re.compile(r"dch_[A-Za-z0-9_-]{20,}")


def test_it_creates_a_token_and_shows_it_once(client, dora):
    client.force_login(dora)
    response = client.post(URL, {"name": "办公室电脑"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    raw = RAW.search(response.content.decode()).group()
    token = ApiToken.objects.get(user=dora)
    assert token.name == "办公室电脑"
    assert token.digest == services.token_digest(raw)
    assert raw not in token.digest
    assert AuditEntry.objects.filter(object_type="orgs.apitoken", action="create").exists()

    again = client.get(URL)
    assert raw not in again.content.decode()
    assert "办公室电脑" in again.content.decode()

    client.logout()
    assert client.get("/api/me", headers={"authorization": f"Bearer {raw}"}).status_code == 200


def test_it_requires_a_name(client, dora):
    client.force_login(dora)
    response = client.post(URL, {"name": ""})
    assert response.status_code == 200
    assert not ApiToken.objects.exists()


def test_it_lists_only_ones_own_tokens(client, dora, sam):
    services.api_token_create(actor=dora, name="dora-token")
    services.api_token_create(actor=sam, name="sam-token")
    client.force_login(dora)
    body = client.get(URL).content.decode()
    assert "dora-token" in body
    assert "sam-token" not in body


def test_it_revokes_a_token(client, dora, sam):
    token, raw = services.api_token_create(actor=dora, name="old")
    others, _raw = services.api_token_create(actor=sam, name="sams")
    client.force_login(dora)

    refused = client.post(reverse("accounts-token-revoke", args=[others.pk]))
    assert refused.status_code == 404
    assert ApiToken.objects.filter(pk=others.pk).exists()

    response = client.post(reverse("accounts-token-revoke", args=[token.pk]))
    assert response.status_code == 302
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert AuditEntry.objects.filter(object_type="orgs.apitoken", action="delete").exists()
    client.logout()
    assert client.get("/api/me", headers={"authorization": f"Bearer {raw}"}).status_code == 401


def test_it_sends_anonymous_users_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web-login"))
