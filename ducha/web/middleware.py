"""Ends a session after SESSION_IDLE_SECONDS without a request, and says so on the login page."""

import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

SESSION_KEY = "_ducha_last_seen"
# Background polls (the notification bell) send this header: they are no activity and must
# not keep an idle session alive.
POLL_HEADER = "X-Ducha-Poll"


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get(SESSION_KEY)
            if last is not None and now - last > settings.SESSION_IDLE_SECONDS:
                return self._expired(request)
            if not request.headers.get(POLL_HEADER):
                request.session[SESSION_KEY] = now
        return self.get_response(request)

    def _expired(self, request):
        path = request.get_full_path()
        logout(request)
        if request.path.startswith("/api/"):
            from django.http import JsonResponse

            return JsonResponse(
                {"detail": _("Your session has expired. Please log in again.")}, status=401
            )
        messages.warning(
            request,
            _(
                "You were logged out after %(m)d minutes without activity. Log in again to carry "
                "on; anything you typed in a form on this device has been kept."
            )
            % {"m": settings.SESSION_IDLE_SECONDS // 60},
        )
        next_path = path
        if request.method == "POST":
            # Back to the page that held the form, never to another site.
            referer = urlsplit(request.META.get("HTTP_REFERER", ""))
            if referer.path and url_has_allowed_host_and_scheme(
                request.META.get("HTTP_REFERER", ""), allowed_hosts={request.get_host()}
            ):
                next_path = referer.path + (f"?{referer.query}" if referer.query else "")
        response = redirect(f"{reverse('web-login')}?{urlencode({'next': next_path})}")
        if request.headers.get("HX-Request"):
            response["HX-Redirect"] = response["Location"]
        return response
