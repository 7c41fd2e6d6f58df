"""Telling people things: in-app notices (the bell) and the email that follows them."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import Truncator

from . import channels
from .models import Notification

# A notice whose mail failed is retried by the periodic run for this long, then left unmailed.
EMAIL_RETRY_DAYS = 2


@dataclass(frozen=True)
class Notice:
    """One notice for one user; `key` names what it is about, so it is stored only once."""

    user_id: int
    kind: str
    title: str
    key: str
    body: str = ""
    url: str = ""

    def as_row(self) -> Notification:
        return Notification(
            user_id=self.user_id,
            kind=self.kind,
            title=Truncator(self.title).chars(200),
            body=self.body,
            url=self.url[:300],
            key=self.key[:200],
        )


def notify(
    *, users: Iterable, kind: str, title: str, key: str, body: str = "", url: str = ""
) -> list[Notification]:
    """Tell `users` (users or their ids) one thing. A user who was already told `key` is not
    told again. Returns the notifications created; their mail is queued after commit."""
    user_ids = {getattr(u, "pk", u) for u in users}
    return notices_send(
        [
            Notice(user_id=uid, kind=kind, title=title, key=key, body=body, url=url)
            for uid in user_ids
        ]
    )


def notices_send(
    notices: Iterable[Notice], *, known: QuerySet[Notification] | None = None
) -> list[Notification]:
    """Store the notices not stored before (one per user and key) and queue their mail.

    `known` is where earlier notices of this kind can be found: by default a lookup by key;
    the periodic run passes a time window so its query count does not grow with the units.
    Idempotence never rests on it: the unique (user, key) constraint has the last word.
    """
    unique: dict[tuple[int, str], Notice] = {}
    for notice in notices:
        unique.setdefault((notice.user_id, notice.key), notice)
    if not unique:
        return []
    if known is None:
        known = Notification.objects.filter(
            key__in={key for _uid, key in unique}, user_id__in={uid for uid, _key in unique}
        )
    seen = set(known.order_by().values_list("user_id", "key"))
    fresh = [notice.as_row() for pair, notice in unique.items() if pair not in seen]
    if not fresh:
        return []
    with transaction.atomic():
        created = channels.deliver("inapp", fresh)
        if created:
            ids = [n.pk for n in created]
            # robust: a queue that is down must not undo the notices; the next periodic run
            # mails what is still unmailed (notifications_email_pending).
            transaction.on_commit(lambda: _queue_email(ids), robust=True)
    return created


def _queue_email(ids: list[int]) -> None:
    from .tasks import send_email_task  # tasks import this module

    send_email_task.enqueue(ids)


def notifications_email(*, ids: Sequence[int]) -> dict[str, int]:
    """Mail the given notifications that were not mailed yet (the email task calls this)."""
    rows = list(
        Notification.objects.filter(pk__in=list(ids), emailed_at__isnull=True).select_related(
            "user", "user__person"
        )
    )
    sent = channels.deliver("email", rows)
    return {"sent": len(sent), "skipped": len(rows) - len(sent)}


def notifications_email_pending(*, now: datetime.datetime | None = None) -> list[int]:
    """Queue mail for recent notices that have an address but no mail yet: a send that
    failed, or a queue that was down. Returns the ids queued."""
    since = (now or timezone.now()) - datetime.timedelta(days=EMAIL_RETRY_DAYS)
    ids = list(
        Notification.objects.filter(
            Q(user__email__gt="") | Q(user__person__email__gt=""),
            emailed_at__isnull=True,
            created_at__gte=since,
            user__is_active=True,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if ids:
        _queue_email(ids)
    return ids


def notification_mark_read(*, user, notification: Notification) -> Notification:
    """Mark one of the user's own notifications read (reading twice keeps the first time)."""
    if notification.user_id != user.pk:
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_mark_all_read(*, user) -> int:
    """Mark all the user's unread notifications read; returns how many."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
