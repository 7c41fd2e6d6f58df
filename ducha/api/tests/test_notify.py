"""/api/notifications/: the caller's own notifications, their count, marking them read."""

import pytest

from ducha.notify.models import Notification
from ducha.notify.tests.factories import NotificationFactory


@pytest.fixture
def doras(dora):
    return [
        NotificationFactory(user=dora, title="提醒：总结报告", url="/"),
        NotificationFactory(user=dora, title="逾期：问题分析报告", kind="overdue"),
        NotificationFactory(user=dora, title="已读的", read_at="2026-06-01T00:00:00Z"),
    ]


def test_it_lists_the_callers_notifications(api_as, dora, doras, carol, english):
    NotificationFactory(user=carol, title="卡罗的提醒")
    body = api_as(dora).get("/api/notifications/").json()
    assert body["count"] == 3
    titles = {item["title"] for item in body["items"]}
    assert titles == {"提醒：总结报告", "逾期：问题分析报告", "已读的"}
    overdue = next(item for item in body["items"] if item["kind"] == "overdue")
    assert overdue["kind_label"] == "Overdue"
    assert overdue["read_at"] is None

    unread = api_as(dora).get("/api/notifications/", {"unread": "true"}).json()
    assert {item["title"] for item in unread["items"]} == {"提醒：总结报告", "逾期：问题分析报告"}


def test_it_counts_the_unread(api_as, dora, doras, carol):
    assert api_as(dora).get("/api/notifications/unread-count").json() == {"unread": 2}
    assert api_as(carol).get("/api/notifications/unread-count").json() == {"unread": 0}


def test_it_marks_one_read(api_as, dora, doras):
    target = doras[0]
    response = api_as(dora).post(f"/api/notifications/{target.pk}/read")
    assert response.status_code == 200
    assert response.json()["read_at"] is not None
    target.refresh_from_db()
    assert target.read_at is not None
    assert api_as(dora).get("/api/notifications/unread-count").json() == {"unread": 1}


def test_carol_can_neither_read_nor_mark_doras(api_as, dora, doras, carol):
    target = doras[0]
    carol_api = api_as(carol)
    assert carol_api.get(f"/api/notifications/{target.pk}").status_code == 404
    assert carol_api.post(f"/api/notifications/{target.pk}/read").status_code == 404
    target.refresh_from_db()
    assert target.read_at is None
    # Dora, with the same calls, may.
    dora_api = api_as(dora)
    assert dora_api.get(f"/api/notifications/{target.pk}").status_code == 200
    assert dora_api.post(f"/api/notifications/{target.pk}/read").status_code == 200


def test_it_marks_all_read(api_as, dora, doras, carol):
    carols = NotificationFactory(user=carol)
    assert api_as(dora).post("/api/notifications/read-all").json() == {"marked": 2}
    assert not Notification.objects.filter(user=dora, read_at__isnull=True).exists()
    carols.refresh_from_db()
    assert carols.read_at is None


def test_it_refuses_anonymous(client, tree):
    assert client.get("/api/notifications/").status_code == 401
    assert client.get("/api/notifications/unread-count").status_code == 401
