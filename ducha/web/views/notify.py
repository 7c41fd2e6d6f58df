"""The bell and the list of one's own notifications. Nobody sees or marks another's."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from ducha.notify import selectors, services

from .pages import page_of


@login_required
@require_GET
def notification_list(request):
    unread_only = request.GET.get("unread") == "1"
    rows = selectors.notifications_list(request.user, unread=True if unread_only else None)
    return render(
        request,
        "web/notify/notification_list.html",
        {
            "page": page_of(request, rows),
            "unread_only": unread_only,
            "unread": selectors.unread_count(request.user),
        },
    )


@never_cache
@login_required
@require_GET
def notification_count(request):
    """The bell's number, polled by htmx; opened as a page it leads to the list."""
    if not request.headers.get("HX-Request"):
        return redirect("notify-notification-list")
    return render(
        request, "web/notify/_count.html", {"unread": selectors.unread_count(request.user)}
    )


@login_required
@require_POST
def notification_read(request, notification_id):
    """Mark one notification read; with `open`, go on to the page it is about."""
    notification = selectors.notification_get(request.user, notification_id)
    services.notification_mark_read(user=request.user, notification=notification)
    target = notification.url
    if (
        "open" in request.POST
        and target
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return redirect(target)
    return redirect(_back_to_list(request))


@login_required
@require_POST
def notification_read_all(request):
    n = services.notifications_mark_all_read(user=request.user)
    if n:
        messages.success(request, _("All notifications are marked read."))
    return redirect(_back_to_list(request))


def _back_to_list(request) -> str:
    url = reverse("notify-notification-list")
    return f"{url}?unread=1" if request.POST.get("unread") == "1" else url
