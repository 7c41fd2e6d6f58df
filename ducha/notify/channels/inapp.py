"""The bell: a notification is delivered in-app by storing it, once per user and key."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone

from ducha.notify.models import Notification


def deliver(notifications: Sequence[Notification]) -> list[Notification]:
    """Insert the unsaved rows; those whose (user, key) already exists are skipped by the
    database, so concurrent or repeated runs never store a notice twice. Returns the rows
    this call stored, with their ids."""
    if not notifications:
        return []
    started = timezone.now()
    Notification.objects.bulk_create(notifications, ignore_conflicts=True)
    # bulk_create(ignore_conflicts=True) sets no ids: read back what was inserted since we
    # started and keep the rows we asked for. One query, bounded by this run's inserts.
    wanted = {(n.user_id, n.key) for n in notifications}
    return [
        row
        for row in Notification.objects.filter(
            created_at__gte=started, kind__in={n.kind for n in notifications}
        ).select_related("user")
        if (row.user_id, row.key) in wanted
    ]
