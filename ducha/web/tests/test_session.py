import time

from django.urls import reverse

from ducha.web.middleware import SESSION_KEY


def _age_session(client, seconds):
    session = client.session
    session[SESSION_KEY] = int(time.time()) - seconds
    session.save()


def test_it_keeps_an_active_session(client, alice, settings):
    client.force_login(alice)
    _age_session(client, settings.SESSION_IDLE_SECONDS - 60)
    assert client.get(reverse("web-home")).status_code == 200


def test_it_logs_out_after_30_idle_minutes_and_says_so(client, alice, english):
    client.force_login(alice)
    _age_session(client, 31 * 60)
    response = client.post(
        reverse("web-password-change"),
        {"old_password": "x"},
        HTTP_REFERER="http://testserver/password/",
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web-login"))
    assert "next=%2Fpassword%2F" in response["Location"]
    page = client.get(response["Location"])
    assert "without activity" in page.content.decode()
    # The session is really gone: the protected page now asks for a login.
    assert client.get(reverse("web-home")).status_code == 302


def test_it_answers_api_calls_with_401_after_idle_timeout(client, alice):
    client.force_login(alice)
    _age_session(client, 31 * 60)
    assert client.get("/api/orgs/units").status_code == 401


def test_it_tells_htmx_to_redirect(client, alice):
    client.force_login(alice)
    _age_session(client, 31 * 60)
    response = client.get(reverse("web-home"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith(reverse("web-login"))


def test_the_session_cookie_expires_with_the_idle_limit(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
