"""notify(): one notice per user and key, its mail queued only once the notice is committed."""

from django.core import mail

from ducha.notify.models import Notification
from ducha.notify.services import notify

from .conftest import IMMEDIATE


def test_it_tells_each_user_once_per_key(cast, settings, django_capture_on_commit_callbacks):
    settings.TASKS = IMMEDIATE
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        created = notify(
            users=[cast.dora, cast.hugo.pk],
            kind=Notification.Kind.INFO,
            title="会议通知",
            body="周五开会",
            url="/",
            key="meeting:1",
        )
    assert len(callbacks) == 1
    assert {n.user_id for n in created} == {cast.dora.pk, cast.hugo.pk}
    assert sorted(m.to[0] for m in mail.outbox) == ["dora@example.org", "hugo@example.org"]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = notify(users=[cast.dora, cast.hank], kind="info", title="会议通知", key="meeting:1")
    # Only Hank is new; Dora was told already and is not mailed twice.
    assert [n.user_id for n in again] == [cast.hank.pk]
    assert Notification.objects.filter(key="meeting:1").count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == [
        "dora@example.org",
        "hank@example.org",
        "hugo@example.org",
    ]


def test_nothing_is_mailed_unless_the_notice_is_committed(cast, settings):
    settings.TASKS = IMMEDIATE
    # The plain `db` fixture never commits: the mail must not leave before the notice exists.
    notify(users=[cast.dora], kind="info", title="会议通知", key="meeting:2")
    assert Notification.objects.filter(user=cast.dora, key="meeting:2").exists()
    assert mail.outbox == []


def test_a_long_title_is_cut_to_fit(cast):
    (row,) = notify(users=[cast.dora], kind="info", title="长" * 300, key="long")
    row.refresh_from_db()
    assert len(row.title) == 200
