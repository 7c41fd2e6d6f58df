"""A user's own notifications: nobody else's are ever listed or found."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from .models import Notification


def notifications_list(user, *, unread: bool | None = None) -> QuerySet[Notification]:
    rows = Notification.objects.filter(user_id=user.pk)
    if unread is not None:
        rows = rows.filter(read_at__isnull=unread)
    return rows


def notification_get(user, notification_id) -> Notification:
    """One of the user's notifications; another's gives the same 404 as a missing one."""
    try:
        return Notification.objects.get(pk=notification_id, user_id=user.pk)
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def unread_count(user) -> int:
    return Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()
