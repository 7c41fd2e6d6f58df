"""The caller's own notifications: /api/notifications/."""

import datetime

from ninja import Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from ducha.notify import selectors, services

router = Router(tags=["notify"])


class NotificationOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    body: str
    url: str
    created_at: datetime.datetime
    read_at: datetime.datetime | None

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())


class NotificationFilters(Schema):
    unread: bool | None = None


class UnreadOut(Schema):
    unread: int


class MarkedOut(Schema):
    marked: int


@router.get("", response=list[NotificationOut])
@paginate(PageNumberPagination)
def notification_list(request, filters: Query[NotificationFilters]):
    """The caller's notifications, newest first; `unread=true` for the unread ones only."""
    return selectors.notifications_list(request.user, unread=filters.unread)


@router.get("/unread-count", response=UnreadOut)
def notification_unread_count(request):
    return {"unread": selectors.unread_count(request.user)}


@router.post("/read-all", response=MarkedOut)
def notification_read_all(request):
    return {"marked": services.notifications_mark_all_read(user=request.user)}


@router.get("/{int:notification_id}", response=NotificationOut)
def notification_get(request, notification_id: int):
    return selectors.notification_get(request.user, notification_id)


@router.post("/{int:notification_id}/read", response=NotificationOut)
def notification_read(request, notification_id: int):
    notification = selectors.notification_get(request.user, notification_id)
    return services.notification_mark_read(user=request.user, notification=notification)
