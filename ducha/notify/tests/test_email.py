"""The email channel: the backend from settings, one mail per notification whatever happens."""

from unittest import mock

from django.core import mail

from ducha.notify import services
from ducha.notify.models import Notification

from .factories import NotificationFactory


def test_it_mails_through_the_configured_backend(cast, settings):
    settings.DEFAULT_FROM_EMAIL = "ducha@wsj.example.gov.cn"
    settings.SITE_URL = "https://ducha.example.gov.cn"
    row = NotificationFactory(user=cast.dora, title="提醒", body="请按时报送", url="/campaigns/1/")

    assert services.notifications_email(ids=[row.pk]) == {"sent": 1, "skipped": 0}

    (message,) = mail.outbox
    assert message.from_email == "ducha@wsj.example.gov.cn"
    assert message.to == ["dora@example.org"]
    assert message.subject == "提醒"
    assert message.body == "请按时报送\n\nhttps://ducha.example.gov.cn/campaigns/1/"
    row.refresh_from_db()
    assert row.emailed_at is not None


def test_the_console_backend_prints_in_development(cast, settings, capsys):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    row = NotificationFactory(user=cast.dora, title="Console reminder")
    services.notifications_email(ids=[row.pk])
    assert "Console reminder" in capsys.readouterr().out
    assert mail.outbox == []


def test_a_notification_is_mailed_once_however_often_asked(cast):
    row = NotificationFactory(user=cast.dora)
    services.notifications_email(ids=[row.pk])
    assert services.notifications_email(ids=[row.pk, row.pk]) == {"sent": 0, "skipped": 0}
    assert len(mail.outbox) == 1


def test_users_without_an_address_or_disabled_get_no_mail(cast, tree, sam):
    no_address = NotificationFactory(user=sam)
    cast.hugo.is_active = False
    cast.hugo.save()
    disabled = NotificationFactory(user=cast.hugo)
    result = services.notifications_email(ids=[no_address.pk, disabled.pk])
    assert result == {"sent": 0, "skipped": 2}
    assert mail.outbox == []
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 0


def test_a_failed_send_is_retried_by_the_next_run_and_then_sent_once(cast, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    row = NotificationFactory(user=cast.dora)
    other = NotificationFactory(user=cast.hugo)
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=OSError("SMTP server unreachable"),
    ):
        assert services.notifications_email(ids=[row.pk, other.pk]) == {"sent": 0, "skipped": 2}
    row.refresh_from_db()
    assert row.emailed_at is None  # the claim was released

    # The periodic run queues the unmailed ones again; each leaves once.
    assert sorted(services.notifications_email_pending()) == sorted([row.pk, other.pk])
    assert sorted(m.to[0] for m in mail.outbox) == ["dora@example.org", "hugo@example.org"]
    assert services.notifications_email_pending() == []
    assert len(mail.outbox) == 2
