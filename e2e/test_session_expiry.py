"""A session that ends while a form is open: the user is sent to log in, told why, and brought
back to the form afterwards."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session

from ducha.web.middleware import SESSION_KEY

pytestmark = pytest.mark.e2e


def open_password_form(page, log_in, to_english, password):
    page.goto("/login/")
    to_english(page)
    log_in(page, "alice", password, go=False)
    page.goto("/password/")
    page.fill("#id_old_password", password)
    page.fill("#id_new_password1", "Brand-New-Secret-7")
    page.fill("#id_new_password2", "Brand-New-Secret-7")


def submit(page):
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def assert_sent_to_login_for(page, live_server, path):
    url = urlsplit(page.url)
    assert f"{url.scheme}://{url.netloc}" == live_server.url
    assert url.path == "/login/"
    assert parse_qs(url.query)["next"] == [path]


def test_a_session_deleted_on_the_server_sends_the_form_through_login(
    page, live_server, alice, password, log_in, to_english
):
    open_password_form(page, log_in, to_english, password)
    assert Session.objects.count() == 1
    Session.objects.all().delete()

    submit(page)

    assert_sent_to_login_for(page, live_server, "/password/")
    assert "Please log in to continue" in page.inner_text("main .hint")
    # Nothing was changed by the refused post.
    assert get_user_model().objects.get(username="alice").check_password(password)

    # Logging in again leads back to the form.
    log_in(page, "alice", password, go=False)
    assert page.url == f"{live_server.url}/password/"


def test_an_idle_session_ends_with_a_message_and_comes_back_to_the_form(
    page, live_server, alice, password, log_in, to_english, settings
):
    open_password_form(page, log_in, to_english, password)
    session = Session.objects.get()
    store = SessionStore(session_key=session.session_key)
    store[SESSION_KEY] = int(time.time()) - settings.SESSION_IDLE_SECONDS - 60
    store.save()

    submit(page)

    assert_sent_to_login_for(page, live_server, "/password/")
    assert "without activity" in page.inner_text("main .messages")
    assert get_user_model().objects.get(username="alice").check_password(password)
    log_in(page, "alice", password, go=False)
    assert page.url == f"{live_server.url}/password/"
