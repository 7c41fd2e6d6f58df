"""The bell and the notification list: one's own notifications only."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ducha.notify.models import Notification
from ducha.notify.tests.factories import NotificationFactory
from ducha.web.middleware import SESSION_KEY

HX = {"HX-Request": "true", "X-Ducha-Poll": "1"}


@pytest.fixture
def doras(dora):
    """Two unread notices of Dora's and one she has read."""
    return [
        NotificationFactory(user=dora, title="提醒：总结报告", url="/"),
        NotificationFactory(user=dora, title="逾期：问题分析报告", kind="overdue"),
        NotificationFactory(user=dora, title="已读的", read_at="2026-06-01T00:00:00Z"),
    ]


def count(client):
    return client.get(reverse("notify-notification-count"), headers=HX)


def test_every_page_carries_the_bell_without_a_query_for_it(client, dora, doras):
    client.force_login(dora)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("web-home")).content.decode()
    assert 'hx-get="/notifications/count/"' in page
    assert 'hx-trigger="load, every 60s"' in page
    assert 'href="/notifications/"' in page
    assert not any("notify_notification" in q["sql"] for q in queries.captured_queries)


def test_the_bell_counts_the_unread(client, dora, doras, carol):
    client.force_login(dora)
    assert count(client).content.decode() == "2"
    Notification.objects.filter(user=dora).update(read_at="2026-06-02T00:00:00Z")
    assert count(client).content.decode() == ""
    # Carol's count is hers alone.
    client.force_login(carol)
    assert count(client).content.decode() == ""


def test_the_bell_opened_as_a_page_leads_to_the_list(client, dora):
    client.force_login(dora)
    response = client.get(reverse("notify-notification-count"))
    assert response.status_code == 302
    assert response["Location"] == reverse("notify-notification-list")


def test_the_bell_asks_anonymous_users_to_log_in(client, tree):
    assert client.get(reverse("notify-notification-count"), headers=HX).status_code == 302


def test_the_bell_polling_keeps_no_idle_session_alive(client, dora, settings):
    client.force_login(dora)
    session = client.session
    session[SESSION_KEY] = last = int(time.time()) - 20 * 60
    session.save()
    assert count(client).status_code == 200
    assert client.session[SESSION_KEY] == last
    # A page the user opens is activity.
    client.get(reverse("notify-notification-list"))
    assert client.session[SESSION_KEY] > last


def test_the_list_shows_only_ones_own(client, dora, doras, carol, english):
    NotificationFactory(user=carol, title="卡罗的提醒")
    client.force_login(dora)
    page = client.get(reverse("notify-notification-list")).content.decode()
    for n in doras:
        assert n.title in page
    assert "卡罗的提醒" not in page
    assert "2 unread notifications" in page
    unread = client.get(reverse("notify-notification-list"), {"unread": "1"}).content.decode()
    assert "提醒：总结报告" in unread and "已读的" not in unread


def test_the_list_makes_as_many_queries_for_30_as_for_3(client, dora):
    client.force_login(dora)
    url = reverse("notify-notification-list")
    NotificationFactory.create_batch(3, user=dora)
    client.get(url)  # warm the session and the language
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    NotificationFactory.create_batch(27, user=dora)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count("data-notification-id=") == 30
    assert len(many) == len(few)


def test_opening_a_notification_marks_it_read_and_follows_it(client, dora, doras):
    client.force_login(dora)
    first = doras[0]
    response = client.post(reverse("notify-notification-read", args=[first.pk]), {"open": "1"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    first.refresh_from_db()
    assert first.read_at is not None
    assert count(client).content.decode() == "1"


def test_marking_read_without_opening_goes_back_to_the_list(client, dora, doras):
    client.force_login(dora)
    response = client.post(reverse("notify-notification-read", args=[doras[1].pk]))
    assert response["Location"] == reverse("notify-notification-list")
    doras[1].refresh_from_db()
    assert doras[1].read_at is not None


def test_a_link_to_another_site_is_not_followed(client, dora):
    client.force_login(dora)
    n = NotificationFactory(user=dora, url="https://evil.example/")
    response = client.post(reverse("notify-notification-read", args=[n.pk]), {"open": "1"})
    assert response["Location"] == reverse("notify-notification-list")


def test_carol_cannot_mark_doras_notification(client, dora, doras, carol):
    target = doras[0]
    client.force_login(carol)
    url = reverse("notify-notification-read", args=[target.pk])
    assert client.post(url, {"open": "1"}).status_code == 404
    target.refresh_from_db()
    assert target.read_at is None
    # The same request by its owner succeeds: the refusal was about the owner alone.
    client.force_login(dora)
    assert client.post(url, {"open": "1"}).status_code == 302
    target.refresh_from_db()
    assert target.read_at is not None


def test_marking_read_is_a_post(client, dora, doras):
    client.force_login(dora)
    assert client.get(reverse("notify-notification-read", args=[doras[0].pk])).status_code == 405
    doras[0].refresh_from_db()
    assert doras[0].read_at is None


def test_mark_all_read_touches_only_ones_own(client, dora, doras, carol, english):
    carols = NotificationFactory(user=carol)
    client.force_login(dora)
    response = client.post(reverse("notify-notification-read-all"), follow=True)
    assert "All notifications are marked read." in response.content.decode()
    assert not Notification.objects.filter(user=dora, read_at__isnull=True).exists()
    carols.refresh_from_db()
    assert carols.read_at is None
