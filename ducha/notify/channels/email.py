"""Email through Django's mail backend from settings: SMTP in production, the console in
development, the in-memory outbox in tests."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.conf import settings
from django.core import mail
from django.utils import timezone

from ducha.notify.models import Notification

logger = logging.getLogger(__name__)


def address_of(user) -> str:
    """The account's address, else the address on the person's record."""
    if user.email:
        return user.email
    person = getattr(user, "person", None)
    return person.email if person is not None else ""


def message_for(notification: Notification, to: str) -> mail.EmailMessage:
    body = notification.body
    if notification.url:
        link = notification.url
        if link.startswith("/") and settings.SITE_URL:
            link = settings.SITE_URL.rstrip("/") + link
        body = f"{body}\n\n{link}" if body else link
    return mail.EmailMessage(
        subject=notification.title,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )


def deliver(notifications: Sequence[Notification]) -> list[Notification]:
    """Mail each stored notification whose user has an address and that was not mailed yet.

    Each row is claimed (emailed_at set) before its message leaves, so two workers or a
    restarted one never mail it twice; a failed send releases the claim for a later retry.
    """
    sent: list[Notification] = []
    pending = [
        (n, address_of(n.user)) for n in notifications if n.emailed_at is None and n.user.is_active
    ]
    pending = [(n, to) for n, to in pending if to]
    if not pending:
        return sent
    with mail.get_connection() as connection:
        for notification, to in pending:
            now = timezone.now()
            claimed = Notification.objects.filter(
                pk=notification.pk, emailed_at__isnull=True
            ).update(emailed_at=now)
            if not claimed:
                continue
            try:
                connection.send_messages([message_for(notification, to)])
            except Exception:
                Notification.objects.filter(pk=notification.pk, emailed_at=now).update(
                    emailed_at=None
                )
                logger.exception("mailing notification %s to %s failed", notification.pk, to)
                continue
            notification.emailed_at = now
            sent.append(notification)
    return sent
