import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from ducha.audit.models import AuditEntry
from ducha.orgs import services
from ducha.orgs.models import Person, Role
from ducha.orgs.tests.factories import PersonFactory, make_member

User = get_user_model()
GOOD = "Spring-Rain-2024"


@pytest.fixture(autouse=True)
def plain_login(settings):
    """client.login() passes no request, which django-axes requires; the login page keeps it."""
    settings.AXES_ENABLED = False


def _login_page_accepts(client, username, password) -> bool:
    response = client.post(reverse("web-login"), {"username": username, "password": password})
    return response.status_code == 302


@pytest.fixture
def newcomer(tree):
    return PersonFactory(unit=tree.hospital, name="周医生", code="E200")


@pytest.fixture
def other_admin(tree):
    """A system administrator of the other county: may manage accounts, but not ours."""
    return make_member("westadmin", tree.other_county, Role.SYSTEM_ADMIN).user


def _create(client, person, username="zhouwei", password=GOOD, confirm=None, **extra):
    return client.post(
        reverse("accounts-account-create", args=[person.pk]),
        {"username": username, "password1": password, "password2": confirm or password, **extra},
    )


def test_it_shows_the_account_box_to_account_managers_only(client, admin, alice, newcomer):
    action = reverse("accounts-account-create", args=[newcomer.pk])
    client.force_login(admin)
    page = client.get(reverse("orgs-person-detail", args=[newcomer.pk]))
    assert page.status_code == 200
    assert action in page.content.decode()

    client.force_login(alice)
    page = client.get(reverse("orgs-person-detail", args=[newcomer.pk]))
    assert page.status_code == 200
    assert action not in page.content.decode()


def test_it_opens_an_account(client, admin, newcomer, password):
    client.force_login(admin)
    response = _create(client, newcomer, next=reverse("orgs-person-detail", args=[newcomer.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("orgs-person-detail", args=[newcomer.pk])
    newcomer.refresh_from_db()
    assert newcomer.user.username == "zhouwei"
    entry = AuditEntry.objects.get(object_type="auth.user", action="create")
    assert entry.after == {"username": "zhouwei", "person_id": newcomer.pk}
    assert entry.actor_name == "admin"
    client.logout()
    assert client.login(username="zhouwei", password=GOOD)


def test_it_ignores_a_next_address_on_another_site(client, admin, newcomer):
    client.force_login(admin)
    response = _create(client, newcomer, next="https://evil.example/")
    assert response["Location"] == reverse("accounts-account-create", args=[newcomer.pk])


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1-xyz", "This password is too short. It must contain at least 10 characters."),
        ("abcdefghijkmn", "Your password must contain at least 3 of these"),
        ("Zhouwei-2024!", "Your password must not contain your username."),
    ],
)
def test_it_rejects_weak_passwords(client, admin, newcomer, english, password, message):
    client.force_login(admin)
    response = _create(client, newcomer, password=password)
    assert response.status_code == 200
    assert message in response.content.decode()
    newcomer.refresh_from_db()
    assert newcomer.user is None
    assert not User.objects.filter(username="zhouwei").exists()


def test_it_rejects_a_taken_username_and_different_passwords(client, admin, newcomer, dora):
    client.force_login(admin)
    assert _create(client, newcomer, username="DORA").status_code == 200
    assert _create(client, newcomer, confirm="Spring-Rain-2025").status_code == 200
    newcomer.refresh_from_db()
    assert newcomer.user is None


def test_it_refuses_other_counties_with_404(client, carol, other_admin, newcomer, dora):
    dora_person = Person.objects.get(user=dora)
    for user in (carol, other_admin):
        client.force_login(user)
        assert client.get(reverse("accounts-account-create", args=[newcomer.pk])).status_code == 404
        assert _create(client, newcomer).status_code == 404
        disable = client.post(
            reverse("accounts-account-active", args=[dora_person.pk]), {"active": "0"}
        )
        assert disable.status_code == 404
        missing = client.post(reverse("accounts-account-active", args=[999999]), {"active": "0"})
        assert missing.status_code == 404
    newcomer.refresh_from_db()
    dora.refresh_from_db()
    assert newcomer.user is None
    assert dora.is_active


def test_it_refuses_users_without_account_rights_with_403(client, alice, newcomer, dora):
    client.force_login(alice)
    assert _create(client, newcomer).status_code == 403
    response = client.post(
        reverse("accounts-account-active", args=[Person.objects.get(user=dora).pk]),
        {"active": "0"},
    )
    assert response.status_code == 403
    dora.refresh_from_db()
    assert dora.is_active


def test_it_disables_and_enables_an_account(client, admin, dora, password, settings):
    person = Person.objects.get(user=dora)
    _token, raw = services.api_token_create(actor=dora, name="sync")
    url = reverse("accounts-account-active", args=[person.pk])
    client.force_login(admin)

    assert client.post(url, {"active": "0"}).status_code == 302
    dora.refresh_from_db()
    assert not dora.is_active
    assert AuditEntry.objects.filter(
        object_type="auth.user", object_id=str(dora.pk), after={"is_active": False}
    ).exists()
    client.logout()
    assert client.login(username="dora", password=password) is False
    assert client.get("/api/me", headers={"authorization": f"Bearer {raw}"}).status_code == 401
    settings.AXES_ENABLED = True
    assert not _login_page_accepts(client, "dora", password)
    settings.AXES_ENABLED = False

    client.force_login(admin)
    assert client.post(url, {"active": "1"}).status_code == 302
    client.logout()
    assert client.login(username="dora", password=password) is True
    client.logout()
    settings.AXES_ENABLED = True
    assert _login_page_accepts(client, "dora", password)


def test_it_does_not_let_a_manager_disable_themselves(client, admin):
    client.force_login(admin)
    url = reverse("accounts-account-active", args=[Person.objects.get(user=admin).pk])
    assert client.post(url, {"active": "0"}).status_code == 302
    admin.refresh_from_db()
    assert admin.is_active


def test_it_resets_a_password(client, admin, dora, password, english):
    url = reverse("accounts-account-password", args=[Person.objects.get(user=dora).pk])
    client.force_login(admin)

    weak = client.post(url, {"password1": "dora-dora-dora-1", "password2": "dora-dora-dora-1"})
    assert weak.status_code == 200
    assert "Your password must not contain your username." in weak.content.decode()

    assert client.post(url, {"password1": GOOD, "password2": GOOD}).status_code == 302
    client.logout()
    assert client.login(username="dora", password=password) is False
    assert client.login(username="dora", password=GOOD) is True
    assert AuditEntry.objects.filter(
        object_type="auth.user", object_id=str(dora.pk), after={"password": "(reset)"}
    ).exists()


def test_it_refuses_password_resets_outside_scope(client, alice, carol, dora, password):
    url = reverse("accounts-account-password", args=[Person.objects.get(user=dora).pk])
    client.force_login(carol)
    assert client.post(url, {"password1": GOOD, "password2": GOOD}).status_code == 404
    client.force_login(alice)
    assert client.post(url, {"password1": GOOD, "password2": GOOD}).status_code == 403
    client.logout()
    assert client.login(username="dora", password=password)
