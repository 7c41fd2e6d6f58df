"""The bell and the notification list."""

from django.urls import path

from .views import notify

urlpatterns = [
    path("notifications/", notify.notification_list, name="notify-notification-list"),
    path("notifications/count/", notify.notification_count, name="notify-notification-count"),
    path(
        "notifications/<int:notification_id>/read/",
        notify.notification_read,
        name="notify-notification-read",
    ),
    path(
        "notifications/read-all/",
        notify.notification_read_all,
        name="notify-notification-read-all",
    ),
]
